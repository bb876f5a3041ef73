/*
 * The view without a terminal: the interface strings, the canvas's layout
 * by display width, the session's timeline (steps, going back, fates),
 * and the view's keys on real scenarios.
 */
#include "config.h"

#include <dirent.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "catalog.h"
#include "session.h"
#include "tap.h"
#include "ui.h"
#include "view.h"
#include "str.h"

static const char *srcdir = ".";

static struct script *
load(const char *rel)
{
	char		 path[2048], err[1024];
	struct script	*s;

	snprintf(path, sizeof path, "%s/%s", srcdir, rel);
	if ((s = script_load(path, err, sizeof err)) == NULL)
		printf("# %s\n", err);
	return s;
}

static void
test_strings(void)
{
	ok(msg_check() == 0, "every interface string in en and zh, same "
	    "conversions");
	ok(ui_diagram_check() == 0, "every transition label is on its row "
	    "of the diagram");
}

/* Every state change a scenario or lesson makes names its cause. */
static void
test_causes(void)
{
	static const char *const dirs[] = { "tests/scenarios", "lessons",
	    "tests/linux" };
	int	 files = 0, missing = 0;

	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		char		 dir[1024];
		DIR		*dp;
		struct dirent	*de;

		snprintf(dir, sizeof dir, "%s/%s", srcdir, dirs[d]);
		if ((dp = opendir(dir)) == NULL)
			continue;
		while ((de = readdir(dp)) != NULL) {
			char		 rel[1024], err[512];
			struct script	*sc;
			struct session	 s;
			size_t		 n = strlen(de->d_name);

			if (n < 5 || strcmp(de->d_name + n - 4, ".syn") != 0)
				continue;
			snprintf(rel, sizeof rel, "%s/%s", dirs[d], de->d_name);
			if ((sc = load(rel)) == NULL ||
			    session_open(&s, sc, err, sizeof err) == -1)
				continue;
			files++;
			for (size_t i = 0; i < session_journal(&s)->nev; i++) {
				const struct jevent *e = &session_journal(&s)->ev[i];

				if (e->type == JE_STATE &&
				    (e->u.state.cause == CAUSE_NONE ||
				    e->u.state.cause >= TCP_NCAUSES)) {
					printf("# %s: no cause for %s -> %s\n",
					    rel, tcp_state_names[e->u.state.from],
					    tcp_state_names[e->u.state.to]);
					missing++;
				}
			}
			session_close(&s);
		}
		closedir(dp);
	}
	ok(files > 60 && missing == 0, "the state changes of %d scripts "
	    "each name a cause (%d do not)", files, missing);
}

static void
test_canvas(void)
{
	struct canvas	 cv;
	char		*text;
	size_t		 skip, n;

	canvas_init(&cv, 10, 2);
	is_int(text_width("abc"), 3, "ASCII is one column a character");
	is_int(text_width("三次握手"), 8, "Chinese is two columns a character");
	is_int(canvas_text(&cv, 0, 0, 7, ST_NORMAL, "三次握手"), 6,
	    "a wide character that would be cut is left out");
	text = canvas_dump(&cv);
	ok(strcmp(text, "三次握\n\n") == 0, "the dump shows whole characters");
	free(text);
	n = text_wrap("the quick brown fox", 10, &skip);
	ok(n == 9 && skip == 10, "Latin text wraps at a space (%zu, %zu)", n,
	    skip);
	n = text_wrap("客户端调用connect", 7, &skip);
	ok(n == 9 && skip == 9, "Chinese wraps between characters (%zu "
	    "octets: three characters)", n);
	/* 8 columns: "一二三四" fits, but a comma may not begin a line and
	 * an opening bracket may not end one. */
	n = text_wrap("一二三四，五六", 8, &skip);
	ok(n == 9 && skip == 9, "a Chinese comma is not put first on a line: "
	    "its character goes with it (%zu octets)", n);
	n = text_wrap("一二三（四）", 8, &skip);
	ok(n == 9, "an opening bracket is not left last on a line (%zu)", n);
	is_int(text_lines("服务器回复 SYN+ACK。它的确认号是多少？", 20), 2,
	    "mixed text: 20 columns, then 18");
	is_int(text_lines("服务器回复 SYN+ACK。它的确认号是多少？", 12), 4,
	    "and four lines of 12 columns");
	canvas_clear(&cv);
	canvas_text(&cv, 0, 0, 10, ST_NORMAL, "中文");
	canvas_fill(&cv, 0, 1, 1, '+', ST_NORMAL);
	canvas_fill(&cv, 0, 2, 1, '|', ST_NORMAL);
	text = canvas_dump(&cv);
	ok(strcmp(text, " +|\n\n") == 0, "overwriting half a wide character "
	    "blanks the other half");
	free(text);
	cv.ascii = true;
	canvas_clear(&cv);
	canvas_text(&cv, 1, 0, 10, ST_NORMAL, "a中b");
	text = canvas_dump(&cv);
	ok(strcmp(text, "\na?b\n") == 0, "ASCII mode shows '?' for the rest");
	free(text);
	canvas_free(&cv);
}

/* A session's timeline: steps, time, segments' ends. */
static void
test_session(void)
{
	struct session		 s;
	char			 err[512];
	struct script		*sc = load("tests/scenarios/close-client-first.syn");
	size_t			 nev, applied, k;
	struct jevent		*copy;
	int			 seg, set;

	if (sc == NULL || session_open(&s, sc, err, sizeof err) == -1) {
		ok(0, "open a scenario: %s", err);
		return;
	}
	ok(s.nsteps > 10 && s.error == NULL, "a close makes %zu steps",
	    s.nsteps);
	ok(session_applied(&s, s.nsteps) == session_journal(&s)->nev,
	    "the steps cover the whole journal");
	for (k = 1; k < s.nsteps; k++) {
		if (session_time(&s, k) > session_time(&s, k + 1))
			break;
	}
	ok(k == s.nsteps, "time never runs backwards from step to step");
	/* The last step is TIME_WAIT running out: the timeline runs on. */
	ok(session_journal(&s)->ev[session_journal(&s)->nev - 1].type ==
	    JE_STATE, "after the script the timeline runs on to CLOSED");

	/* Drop the client's FIN: everything before its arrival stays. */
	seg = -1;
	for (size_t i = 0; i < session_journal(&s)->nsegs; i++) {
		const struct jseg *g = &session_journal(&s)->segs[i];

		if (g->dir == DIR_C2S && (g->seg.flags & TH_FIN)) {
			seg = (int)i;
			break;
		}
	}
	ok(seg >= 0, "the client sends a FIN");
	applied = session_arrival_event(&s, seg, false);
	nev = applied;
	copy = malloc(nev * sizeof *copy);
	memcpy(copy, session_journal(&s)->ev, nev * sizeof *copy);
	set = session_toggle(&s, seg, RULE_DROP, err, sizeof err);
	session_complete(&s);
	ok(set == 1, "dropping it is set");
	for (k = 0; k < nev; k++) {
		const struct jevent *e = &session_journal(&s)->ev[k];

		if (e->type != copy[k].type || e->t != copy[k].t ||
		    e->side != copy[k].side)
			break;
	}
	ok(k == nev, "the %zu events before its arrival are the same", nev);
	ok(session_journal(&s)->ev[nev].type == JE_SEG &&
	    session_journal(&s)->ev[nev].u.seg.fate == FATE_DROPPED,
	    "and then it is dropped");
	ok(session_fate(&s, seg, NULL), "the fate is remembered");
	set = session_toggle(&s, seg, RULE_DROP, err, sizeof err);
	session_complete(&s);
	ok(set == 0 && session_journal(&s)->ev[nev].u.seg.fate ==
	    FATE_DELIVERED, "asking again takes it back");
	set = session_toggle(&s, seg, RULE_DELAY, err, sizeof err);
	session_complete(&s);
	ok(set == 1 && session_journal(&s)->ev[session_arrival_event(&s,
	    seg, false)].t - session_journal(&s)->ev[session_sent_event(&s,
	    seg)].t == SESSION_DELAY, "a delayed segment arrives %lld ms "
	    "late", (long long)SESSION_DELAY / 1000);
	set = session_toggle(&s, seg, RULE_DUP, err, sizeof err);
	session_complete(&s);
	ok(set == 1 && session_arrival_event(&s, seg, true) != SIZE_MAX,
	    "a duplicated one arrives a second time");
	free(copy);
	session_close(&s);
}

/* The state a side is in at the end of the session's journal. */
static enum tcp_state
final_state(const struct session *s, enum side side)
{
	const struct journal	*j = session_journal(s);
	enum tcp_state		 st = TCPS_CLOSED;

	for (size_t i = 0; i < j->nev; i++) {
		if (j->ev[i].type == JE_STATE && j->ev[i].side == side)
			st = j->ev[i].u.state.to;
	}
	return st;
}

/* The sandbox's calls, one a line, as a script would say them. */
static const char *
actions(const struct session *s)
{
	static char	 buf[1024];
	size_t		 n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->script->ncmds && n < sizeof buf; i++) {
		const struct cmd *c = &s->script->cmds[i];

		if (c->type != CMD_CALL)
			continue;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "@%.6f %s %s\n",
		    c->at / 1e6, side_name(c->side),
		    tcp_call_names[c->u.call.call]);
	}
	return buf;
}

/* The sandbox: calls made at a time, forgotten when gone back over. */
static void
test_sandbox(void)
{
	struct session	 s;
	char		 err[512];
	size_t		 step;

	if (session_open_sandbox(&s, err, sizeof err) == -1) {
		ok(0, "sandbox: %s", err);
		return;
	}
	ok(s.nsteps == 0, "an empty sandbox has no steps");
	ok(session_act(&s, 0, 0, SIDE_SERVER, CALL_LISTEN, 0, &step, err,
	    sizeof err) == 0 && step == 1, "server listen is step 1");
	ok(session_act(&s, 1, 0, SIDE_CLIENT, CALL_CONNECT, 0, &step, err,
	    sizeof err) == 0 && step == 2, "client connect is step 2");
	ok(final_state(&s, SIDE_CLIENT) == TCPS_ESTABLISHED,
	    "and the handshake completes");
	ok(session_act(&s, s.nsteps, 0, SIDE_CLIENT, CALL_CLOSE, 0, &step,
	    err, sizeof err) == 0, "client close");
	ok(strncmp(actions(&s), "@0.000000 server listen\n", 24) == 0 &&
	    strstr(actions(&s), "\n@0.000000 client close\n") != NULL,
	    "the actions are kept as a script with @ times");
	/* Back at step 1, connect differently: the later calls go. */
	ok(session_act(&s, 1, 0, SIDE_CLIENT, CALL_ABORT, 0, &step, err,
	    sizeof err) == 0 && strstr(actions(&s), "close") == NULL &&
	    strstr(actions(&s), "connect") == NULL,
	    "acting after going back forgets what came after");
	session_set_pending(&s, RULE_DROP);
	ok(session_act(&s, s.nsteps, 0, SIDE_CLIENT, CALL_CONNECT, 0, &step,
	    err, sizeof err) == 0 && s.niv == 1,
	    "a drop asked for before anything is sent applies to the next");
	session_close(&s);
}

static struct ui *
view_of(struct session *s)
{
	static struct ui	 ui;

	ui_init(&ui, s, LANG_EN, false);
	return &ui;
}

static struct ui *
view(struct session *s, const char *rel, enum lang lang)
{
	static struct ui	 ui;
	char			 err[512];
	struct script		*sc = load(rel);

	if (sc == NULL || session_open(s, sc, err, sizeof err) == -1)
		return NULL;
	ui_init(&ui, s, lang, false);
	return &ui;
}

static void
keys(struct ui *ui, const char *k)
{
	for (; *k != '\0'; k++) {
		ui_key(ui, *k == '>' ? UIK_RIGHT : *k == '<' ? UIK_LEFT :
		    *k == 'T' ? UIK_TAB : *k);
		ui_finish(ui);
	}
}

static char *
screen(struct ui *ui, int w, int h)
{
	struct canvas	 cv;
	char		*text;

	canvas_init(&cv, w, h);
	ui_draw(ui, &cv);
	text = canvas_dump(&cv);
	canvas_free(&cv);
	return text;
}

static void
test_view(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/handshake.syn", LANG_EN);
	char		*t;
	double		 pos;
	int		 right, asked;

	if (ui == NULL) {
		ok(0, "open the handshake lesson");
		return;
	}
	t = screen(ui, 80, 24);
	ok(strstr(t, "CLIENT") && strstr(t, "SERVER") && strstr(t, "step 0/"),
	    "it opens paused at the beginning, both sides shown");
	free(t);
	keys(ui, "nnn>");
	ok(ui->play.pos == 4, "n and the right arrow step (at %g)", ui->play.pos);
	keys(ui, "b<");
	ok(ui->play.pos == 2, "b and the left arrow step back (at %g)", ui->play.pos);
	keys(ui, " ");
	ok(!ui->play.playing && ui->play.pos == 4, "space plays to the next pause "
	    "(at %g)", ui->play.pos);
	keys(ui, " ");
	ok(!ui->play.playing && ui->play.pos == 5, "and then on to the question "
	    "(at %g)", ui->play.pos);
	pos = ui->play.pos;
	t = screen(ui, 80, 24);
	ok(strstr(t, "Press 1-3") != NULL, "a question waits for an answer");
	free(t);
	keys(ui, "1");
	ui_score(ui, &right, &asked);
	ok(asked == 1 && right == 0, "a wrong answer is scored");
	t = screen(ui, 80, 24);
	ok(strstr(t, "the answer is \"1\"") != NULL && strstr(t, "score 0/1"),
	    "and says what was right");
	free(t);
	keys(ui, "2");
	ui_score(ui, &right, &asked);
	ok(asked == 1 && right == 0, "a question is answered once");
	ui->play.pos = pos;
	keys(ui, "l");
	t = screen(ui, 80, 24);
	ok(strstr(t, "服务器") != NULL && strstr(t, "得分 0/1") != NULL,
	    "l switches to Chinese");
	if (strstr(t, "得分 0/1") == NULL)
		printf("%s", t);
	free(t);
	keys(ui, "l");
	ui_key(ui, UIK_END);
	t = screen(ui, 80, 24);
	ok(strstr(t, "ESTABLISHED") != NULL, "at the end both are ESTABLISHED");
	free(t);
	t = screen(ui, 40, 10);
	ok(strstr(t, "too small") != NULL, "a tiny terminal says so");
	free(t);
	keys(ui, "?");
	t = screen(ui, 80, 24);
	ok(strstr(t, "synfin keys") != NULL, "? shows the keys");
	free(t);
	keys(ui, "x");
	ok(!ui->help, "any key closes them");
	ui_free(ui);
	session_close(&s);
}

/*
 * The one key table: every row that the footer or the help shows has
 * keys, every key acts in a keymap, and a handler says what must happen
 * (nothing for a key bound to nothing: the loop then draws nothing).
 */
static void
test_keys(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/handshake.syn", LANG_EN);
	size_t		 bad = 0;
	int		 arg;
	char		*t, err[512];

	for (size_t i = 0; i < nbindings; i++) {
		if (bindings[i].keys[0] == 0 || bindings[i].maps == 0) {
			printf("# row %zu (%s) has no key or keymap\n", i,
			    bindings[i].label);
			bad++;
		}
	}
	ok(bad == 0, "every row of the key table binds a key in a keymap");
	ok(key_lookup(KEYMAP_VIEW, 'n', &arg) != NULL &&
	    key_lookup(KEYMAP_VIEW, UIK_RIGHT, &arg)->action == A_NEXT &&
	    key_lookup(KEYMAP_VIEW, '3', &arg)->action == A_ANSWER &&
	    arg == 2 && key_lookup(KEYMAP_SANDBOX, '2', &arg)->action ==
	    A_SIDE && arg == SIDE_SERVER, "keys are looked up by keymap, with "
	    "their argument");
	ok(key_parse("space") == ' ' && key_parse("pgdn") == UIK_PGDN &&
	    key_parse("q") == 'q' && key_parse("nosuchkey") == -1,
	    "frames names keys from the same place");
	if (ui == NULL) {
		ok(0, "open the handshake lesson");
		return;
	}
	ok(ui_key(ui, 'Z') == UI_NOTHING && ui_key(ui, 'n') == UI_REDRAW &&
	    ui_key(ui, 's') == UI_RELAYOUT && ui_key(ui, 's') == UI_RELAYOUT &&
	    ui_key(ui, 'q') == UI_QUIT, "a key says what must happen: nothing, "
	    "a redraw, a relayout, quit");
	ui_free(ui);
	session_close(&s);

	if (session_open_sandbox(&s, err, sizeof err) == -1) {
		ok(0, "the sandbox: %s", err);
		return;
	}
	ui = view_of(&s);
	keys(ui, "?");
	t = screen(ui, 80, 24);
	ok(strstr(t, "space      play or pause") && strstr(t, "l listen") &&
	    strstr(t, "k abort (RST)"), "the help has the view's keys, and "
	    "in the sandbox its calls");
	free(t);
	keys(ui, "x2");
	t = screen(ui, 100, 24);
	ok(strstr(t, "server  l listen  a accept") && strstr(t, "Esc cancel"),
	    "a side chosen, the footer shows its calls");
	free(t);
	ui_free(ui);
	session_close(&s);
}

/* Drop the segment in flight and see it lost and sent again. */
static void
test_drop(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/handshake.syn", LANG_EN);
	char		*t;
	size_t		 n;
	int		 claims = 0, asks = 0, right, asked;
	int		 plain = 0, fail = 0;

	if (ui == NULL) {
		ok(0, "open a lesson");
		return;
	}
	keys(ui, "nnnn");
	n = s.nsteps;
	keys(ui, "d");
	t = screen(ui, 80, 24);
	ok(strstr(t, "#1 S will be dropped") != NULL && strstr(t,
	    "[to drop]") != NULL, "d marks the SYN in flight");
	free(t);
	keys(ui, "nn");
	t = screen(ui, 80, 24);
	ok(strstr(t, "X dropped") != NULL, "the next steps show it lost");
	ok(s.nsteps != n, "and the timeline changed after it");
	ok(strstr(t, "#1 SYN (seq=0) is lost on the way") != NULL &&
	    strstr(t, "sends it again when its retransmission timer") != NULL &&
	    strstr(t, "fires at 1.0205 s") != NULL, "the narration says the "
	    "SYN was lost and when it goes again");
	free(t);
	/* Step to the end: until the resent SYN establishes the connection,
	 * nothing says it is, and no question about the lost run is asked. */
	for (int i = 0; i < 40 && ui_shown(ui) < s.nsteps; i++) {
		const struct jevent	*last;
		int			 st[2];

		keys(ui, "n");
		ui_states(ui, st, &last);
		t = screen(ui, 80, 24);
		if (st[SIDE_CLIENT] != TCPS_ESTABLISHED)
			claims += strstr(t, "is ESTABLISHED") != NULL ||
			    strstr(t, "are ESTABLISHED") != NULL;
		asks += strstr(t, "Press 1-") != NULL;
		free(t);
	}
	ok(claims == 0 && asks == 0, "nothing says ESTABLISHED before the "
	    "resent SYN is answered (%d), no question is asked (%d)", claims,
	    asks);
	ui_score(ui, &right, &asked);
	ok(asked == 0, "the score counts no question (%d)", asked);
	ui_key(ui, UIK_END);
	t = screen(ui, 80, 40);
	ok(strstr(t, "RTO expired") != NULL && strstr(t, "#2 S seq=0") !=
	    NULL, "the SYN is sent again when RTO expires");
	free(t);
	/* The failed expectations, back at the step of the lost SYN. */
	for (size_t k = 1; k <= s.nsteps; k++) {
		ui->play.pos = (double)k;
		t = screen(ui, 80, 24);
		if (strstr(t, "The lesson expected the server to be in "
		    "SYN_RECEIVED here; after your drop, it") &&
		    strstr(t, "is in LISTEN."))
			plain++;
		fail += strstr(t, "FAIL") != NULL ||
		    strstr(t, "expectation failed") != NULL;
		free(t);
	}
	ok(plain > 0 && fail == 0, "the lesson's expectations say in plain "
	    "words what no longer holds, never in test syntax");
	/* And in Chinese. */
	keys(ui, "l");
	plain = fail = 0;
	for (size_t k = 1; k <= s.nsteps; k++) {
		ui->play.pos = (double)k;
		t = screen(ui, 80, 24);
		plain += strstr(t, "课程原以为服务器此时处于 SYN_RECEIVED") !=
		    NULL;
		fail += strstr(t, "预期不符") != NULL ||
		    strstr(t, "FAIL") != NULL;
		free(t);
	}
	ok(plain > 0 && fail == 0, "in Chinese too: 课程原以为…, not 预期不符");
	keys(ui, "l");
	keys(ui, "r");
	t = screen(ui, 80, 24);
	ok(s.niv == 1 && strstr(t, "Start over without your 1 change(s)?"),
	    "r asks first: the drop is still there");
	free(t);
	keys(ui, "nr");
	ok(s.niv == 1, "another key keeps it, and r asks again");
	keys(ui, "r");
	ok(s.niv == 0 && ui->play.pos == 0, "r twice starts again without the "
	    "drop");
	ui_free(ui);
	session_close(&s);
}

/* Sandbox keys pressed faster than the animation: no call is lost. */
static void
test_sandbox_keys(void)
{
	struct session	 s;
	struct ui	 ui;
	char		 err[512];
	const int	 k[] = { '2', 'l', '1', 'c' };

	if (session_open_sandbox(&s, err, sizeof err) == -1) {
		ok(0, "sandbox: %s", err);
		return;
	}
	ui_init(&ui, &s, LANG_EN, false);
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		ui_key(&ui, k[i]);
	ok(strstr(actions(&s), "server listen") != NULL &&
	    strstr(actions(&s), "client connect") != NULL,
	    "listen then connect, typed while listen still plays: both kept");
	ui_finish(&ui);
	ok(final_state(&s, SIDE_SERVER) == TCPS_ESTABLISHED,
	    "and the server is ESTABLISHED");
	ui_free(&ui);
	session_close(&s);
}

/*
 * The detail panel's relative numbers are those the ladder and trace
 * show: to the base in force when the segment was sent, though a later
 * SYN (here an old duplicate's, then the real one) starts a new base.
 */
static void
test_detail_relative(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "tests/scenarios/old-duplicate-syn.syn",
	    LANG_EN);
	const struct journal *j;
	int		 wrong = 0, n = 0;

	if (ui == NULL) {
		ok(0, "open old-duplicate-syn");
		return;
	}
	j = session_journal(&s);
	ui_key(ui, UIK_END);
	ui->panel = PANEL_DETAIL;
	for (size_t i = 0; i < j->nsegs; i++) {
		char	 want[64], *t;

		if (!j->segs[i].valid)
			continue;
		ui->sel = (int)i;
		t = screen(ui, 100, 40);
		snprintf(want, sizeof want, "(relative %u)",
		    j->segs[i].rel_seq);
		if (strstr(t, want) == NULL) {
			printf("# segment #%zu: no '%s'\n", i + 1, want);
			wrong++;
		}
		n++;
		free(t);
	}
	ok(n > 3 && wrong == 0, "the header panel numbers %d segments "
	    "relative as the ladder does (%d differ)", n, wrong);
	ui_free(ui);
	session_close(&s);
}

/*
 * A timer set when the script ends counts down until it fires: TIME_WAIT
 * is on screen at every step between entering it and its end.
 */
static void
test_timer_to_the_end(void)
{
	static const char text[] =
	    "server listen\nclient connect\nserver accept\nclient close\n"
	    "wait 10ms\nserver close\n";
	struct script	*sc;
	struct session	 s;
	struct ui	 ui;
	char		 err[512], *t;
	size_t		 from = 0, missing = 0;

	sc = script_parse("tw.syn", text, sizeof text - 1, err, sizeof err);
	if (sc == NULL || session_open(&s, sc, err, sizeof err) == -1) {
		ok(0, "a close ending in TIME_WAIT: %s", err);
		return;
	}
	ui_init(&ui, &s, LANG_EN, false);
	for (size_t k = 1; k < s.nsteps; k++) {
		ui.play.pos = (double)k;
		t = screen(&ui, 80, 24);
		if (from == 0 && strstr(t, "|  TIME_WAIT   |") != NULL)
			from = k;
		if (from != 0 && strstr(t, "TIME_WAIT 61s/61s") == NULL)
			missing++;
		free(t);
	}
	ok(from > 0 && missing == 0, "the TIME_WAIT countdown shows from step "
	    "%zu to the step before it fires (%zu steps without)", from,
	    missing);
	ui_free(&ui);
	session_close(&s);
}

/* l turns the ladder's notes into the other language where they stand. */
static void
test_notes_in_language(void)
{
	static const char text[] =
	    "server listen\ndrop next c2s\nclient connect\nserver accept\n";
	struct script	*sc;
	struct session	 s;
	struct ui	 ui;
	char		 err[512], *en, *zh;

	sc = script_parse("rto.syn", text, sizeof text - 1, err, sizeof err);
	if (sc == NULL || session_open(&s, sc, err, sizeof err) == -1) {
		ok(0, "a lost SYN: %s", err);
		return;
	}
	ui_init(&ui, &s, LANG_EN, false);
	ui.play.pos = (double)s.nsteps;
	en = screen(&ui, 80, 24);
	keys(&ui, "l");
	zh = screen(&ui, 80, 24);
	ok(strstr(en, "RTO expired") != NULL && strstr(zh, "RTO expired") ==
	    NULL && strstr(zh, "重传超时") != NULL, "after l the timer's note "
	    "on the ladder reads in Chinese, at the same position");
	free(en);
	free(zh);
	ui_free(&ui);
	session_close(&s);
}

/* A step with more narration than the panel's usual rows shows it all. */
static void
test_long_narration(void)
{
	static const char text[] =
	    "title en \"Long\"\nserver listen\nclient connect\nwait idle\n"
	    "say en \"First: aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa "
	    "aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa "
	    "aaaa aaaa aaaa aaaa aaaa aaaa aaaa end-of-first.\"\n"
	    "say en \"Second: bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb "
	    "bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb "
	    "bbbb bbbb bbbb end-of-second.\"\n";
	struct script	*sc;
	struct session	 s;
	struct ui	 ui;
	char		 err[512], *t;

	sc = script_parse("long.syn", text, sizeof text - 1, err, sizeof err);
	if (sc == NULL || session_open(&s, sc, err, sizeof err) == -1) {
		ok(0, "a script with long narration: %s", err);
		return;
	}
	ui_init(&ui, &s, LANG_EN, false);
	ui_key(&ui, UIK_END);
	t = screen(&ui, 80, 24);
	ok(strstr(t, "First:") && strstr(t, "end-of-first.") &&
	    strstr(t, "Second:") && strstr(t, "end-of-second."),
	    "at 80x24 a step's two long lines of narration both show whole");
	if (strstr(t, "First:") == NULL)
		printf("%s", t);
	free(t);
	ui_free(&ui);
	session_close(&s);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static char *
read_file(const char *path)
{
	static char	 buf[4096];
	FILE		*f = fopen(path, "r");
	size_t		 n = 0;

	buf[0] = '\0';
	if (f != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/*
 * The lesson library in a directory of its own: groups and order, a bad
 * file, progress kept and written back whole, and the menu's keys.
 */
static void
test_menu(void)
{
	char		 dir[] = "/tmp/synfin-t-ui.XXXXXX", state[1100];
	char		 kept[1200], err[512];
	struct catalog	 cat;
	struct ui	 ui;
	char		*t;
	int		 right = 0, asked = 0;

	if (mkdtemp(dir) == NULL) {
		ok(0, "a temporary directory");
		return;
	}
	write_file(dir, "zeta.syn", "title en \"Zeta opens\"\n"
	    "title zh \"泽塔\"\ngroup opening 2\nserver listen\n"
	    "client connect\nwait idle\n");
	write_file(dir, "alpha.syn", "title en \"Alpha closes\"\n"
	    "title zh \"阿尔法\"\ngroup closing 1\nserver listen\n"
	    "client connect\nwait idle\n"
	    "ask en \"Q?\" choices A B answer B\n"
	    "ask zh \"问？\" choices A B answer B\nclient close\n");
	write_file(dir, "beta.syn", "title en \"Beta opens first\"\n"
	    "group opening 1\nserver listen\n");
	write_file(dir, "loose.syn", "server listen\n");
	write_file(dir, "broken.syn", "title en \"Broken\"\ngroup nowhere\n");
	write_file(dir, "notes.txt", "not a lesson\n");
	snprintf(state, sizeof state, "%s/state/synfin/progress", dir);
	catalog_load(&cat, dir, state);
	ok(cat.n == 4 && cat.nbad == 1, "four lessons and one bad file "
	    "(%zu, %zu)", cat.n, cat.nbad);
	ok(cat.bad != NULL && strstr(cat.bad, "broken.syn:2:7: expected a "
	    "group") != NULL, "the bad one is named with line and column: %s",
	    cat.bad ? cat.bad : "(none)");
	ok(cat.n == 4 && strcmp(cat.l[0].name, "beta") == 0 &&
	    strcmp(cat.l[1].name, "zeta") == 0 &&
	    strcmp(cat.l[2].name, "alpha") == 0 &&
	    strcmp(cat.l[3].name, "loose") == 0,
	    "sorted by group, then place; no group comes last");
	ok(cat.n == 4 && strcmp(cat.l[0].title[LANG_ZH], "Beta opens first")
	    == 0 && strcmp(cat.l[3].title[LANG_EN], "loose") == 0,
	    "a missing title borrows the other language, or the name");
	ok(catalog_lookup(&cat, "alpha") == &cat.l[2] &&
	    catalog_lookup(&cat, "alpha.syn") == &cat.l[2] &&
	    catalog_lookup(&cat, "alph") == NULL, "lessons are found by name");
	ok(cat.l[2].questions == 1 && cat.l[2].best == -1 &&
	    !cat.l[2].finished, "a question counted once, not yet tried");
	catalog_free(&cat);

	/* Progress: read back, other lines kept as they were. */
	snprintf(kept, sizeof kept, "%s/state", dir);
	mkdir(kept, 0700);
	snprintf(kept, sizeof kept, "%s/state/synfin", dir);
	mkdir(kept, 0700);
	write_file(kept, "progress", "# old\nzeta 1 -1\nretired 1 3\n"
	    "some words from elsewhere\n");
	catalog_load(&cat, dir, state);
	ok(cat.l[1].finished && !cat.l[0].finished, "progress is read back");

	ui_init_menu(&ui, &cat, LANG_EN, false);
	t = screen(&ui, 160, 60);
	ok(strstr(t, "Opening a connection") && strstr(t, "Beta opens first")
	    && strstr(t, "Alpha closes") && strstr(t, "Other scripts") &&
	    strstr(t, "1 of 4 finished") && strstr(t, "✓ Zeta opens") &&
	    strstr(t, "best -/1"), "the menu lists titles by group, "
	    "finished and score");
	ok(strstr(t, "broken.syn:2:7") != NULL, "and names the bad file");
	free(t);
	keys(&ui, "l");
	t = screen(&ui, 160, 60);
	ok(strstr(t, "建立连接") && strstr(t, "泽塔") && strstr(t, "阿尔法"),
	    "l: the titles and groups in Chinese");
	free(t);
	keys(&ui, "l");
	ui_key(&ui, UIK_DOWN);
	ui_key(&ui, UIK_DOWN);
	ui_key(&ui, UIK_ENTER);
	ok(ui.s != NULL && ui.course.lesson == &cat.l[2], "Enter opens the lesson "
	    "chosen");
	t = screen(&ui, 80, 24);
	ok(strstr(t, "Alpha closes") && strstr(t, "q lessons"),
	    "its title shows, and q goes back to the lessons");
	free(t);
	/* Step on, answering B wherever a question waits. */
	for (int i = 0; i < 50 && ui.s != NULL && asked == 0; i++) {
		keys(&ui, "n2");
		ui_score(&ui, &right, &asked);
	}
	ui_key(&ui, UIK_END);
	ui_score(&ui, &right, &asked);
	ok(right == 1 && cat.l[2].best == 1 && cat.l[2].finished,
	    "a right answer and the end are noted (best %d)", cat.l[2].best);
	t = read_file(state);
	ok(strstr(t, "alpha 1 1\n") && strstr(t, "zeta 1 -1\n") &&
	    strstr(t, "retired 1 3\n") &&
	    strstr(t, "some words from elsewhere\n"),
	    "the progress file has it, and keeps lines about other lessons");
	keys(&ui, "q");
	ok(ui.s == NULL && ui.course.sel == 2, "q goes back to the menu, at "
	    "the same lesson");
	t = screen(&ui, 80, 24);
	ok(strstr(t, "2 of 4 finished") && strstr(t, "best 1/1"),
	    "the menu shows it finished, with its score");
	free(t);
	ui_key(&ui, UIK_END);
	ui_key(&ui, UIK_DOWN);
	ok(ui.course.sel == 3, "the choice stops at the last lesson");
	ok(ui_key(&ui, 'q') == UI_QUIT, "q in the menu quits");
	ui_free(&ui);

	/* A state path that cannot be made: said, not fatal. */
	free(cat.state);
	snprintf(state, sizeof state, "%s/notes.txt/synfin/progress", dir);
	cat.state = strdup(state);
	ok(catalog_save(&cat, err, sizeof err) == -1 &&
	    strstr(err, "notes.txt") != NULL, "a progress file that cannot "
	    "be written is an error: %s", err);
	catalog_free(&cat);

	catalog_load(&cat, NULL, NULL);
	ui_init_menu(&ui, &cat, LANG_ZH, false);
	t = screen(&ui, 80, 24);
	ok(strstr(t, "没有找到课程目录") != NULL, "no lessons: the menu says "
	    "how to find some");
	free(t);
	keys(&ui, "jk ");
	ok(ui.s == NULL && ui.course.sel == 0, "and its keys do nothing wrong");
	ui_free(&ui);
	catalog_free(&cat);
	snprintf(kept, sizeof kept, "rm -rf '%s'", dir);
	if (system(kept) != 0)
		printf("# could not remove %s\n", dir);
}

/* Panels that behave: an overlay closes before anything quits, and an
 * open question is never covered or passed by another key. */
static void
test_panels(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/handshake.syn", LANG_EN);
	enum ui_result	 r;
	char		*t;
	double		 pos;
	int		 sel;

	if (ui == NULL) {
		ok(0, "open a lesson");
		return;
	}
	keys(ui, "nnni");
	r = ui_key(ui, 'q');
	ok(r != UI_QUIT && ui->panel == PANEL_LADDER, "q in the segment "
	    "detail goes back to the ladder, it does not quit");
	keys(ui, "s");
	r = ui_key(ui, 'q');
	ok(r != UI_QUIT && ui->panel == PANEL_LADDER, "q in the state diagram "
	    "goes back to the ladder");
	keys(ui, "i");
	sel = ui_selected(ui);
	ui_key(ui, UIK_ESC);
	ok(ui->panel == PANEL_LADDER && ui_selected(ui) == sel, "Esc in the "
	    "detail closes it and leaves the segment chosen");
	t = screen(ui, 80, 24);
	ok(strstr(t, "q quit") != NULL, "back on the ladder, q quits again");
	free(t);
	/* On to the question. */
	for (int i = 0; i < 20 && ui_question(ui, ui_shown(ui)) == NULL; i++)
		keys(ui, "n");
	pos = ui->play.pos;
	keys(ui, "s");
	t = screen(ui, 80, 24);
	ok(ui->panel == PANEL_LADDER && strstr(t, "Press 1-3") != NULL,
	    "s at an open question leaves it on screen");
	free(t);
	keys(ui, "n ");
	ok(ui->play.pos == pos, "n and space do not pass it unanswered");
	keys(ui, "2n");
	ok(ui->play.pos > pos, "answered, n goes on");
	ui_free(ui);
	session_close(&s);

	/* The header lesson says "Press i": the detail leaves the
	 * narration in view, and its notes are whole at 80 columns. */
	ui = view(&s, "lessons/header.syn", LANG_EN);
	if (ui == NULL) {
		ok(0, "open the header lesson");
		return;
	}
	for (int i = 0; i < 20; i++) {
		t = screen(ui, 80, 24);
		if (strstr(t, "Press i") != NULL) {
			free(t);
			break;
		}
		free(t);
		keys(ui, "2n");
	}
	keys(ui, "i");
	t = screen(ui, 80, 24);
	ok(strstr(t, "-- narration") != NULL && strstr(t, "Press i") != NULL,
	    "i opens the detail and the narration that asked for it stays");
	if (strstr(t, "agreed in the handshake") == NULL)
		printf("%s", t);
	ok(strstr(t, "agreed in the handshake") != NULL, "the notes of the "
	    "fields are whole at 80 columns");
	free(t);
	ui_free(ui);
	session_close(&s);
}

/* The line of the screen holding a text, from line from; -1 if none. */
static int
line_with(const char *screen, const char *text, int from)
{
	int	 line = 0;

	for (const char *p = screen; *p != '\0'; line++) {
		const char	*eol = strchr(p, '\n');
		size_t		 n = eol ? (size_t)(eol - p) : strlen(p);

		if (line >= from && memmem(p, n, text, strlen(text)) != NULL)
			return line;
		p += n + (eol != NULL);
	}
	return -1;
}

/*
 * The time axis: rows spaced by time, so RTO backoff shows as growing
 * gaps with their times in the margin; two FINs in flight at once cross.
 */
static void
test_time_axis(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/lost-syn.syn", LANG_EN);
	char		*t;
	int		 l5, l6, l7, l4, a, b, heads;

	if (ui == NULL) {
		ok(0, "open lost-syn");
		return;
	}
	ui_key(ui, UIK_END);
	t = screen(ui, 80, 40);
	l5 = line_with(t, "#5 S seq=0", 0);
	l6 = line_with(t, "#6 S seq=0", 0);
	l7 = line_with(t, "#7 S seq=0", 0);
	l4 = line_with(t, "#4 S seq=0", 0);
	ok(l4 >= 0 && l5 > l4 && l6 > l5 && l7 > l6 &&
	    l7 - l6 > l6 - l5 && l6 - l5 == l5 - l4,
	    "the SYNs 1 s apart are evenly spaced, the one after 2 s further "
	    "(lines %d %d %d %d)", l4, l5, l6, l7);
	ok(line_with(t, "5116.5ms", l6) == l6 &&
	    line_with(t, "7132.5ms", l7) == l7 &&
	    line_with(t, "~ 2.016 s ~", 0) > l6 &&
	    line_with(t, "~ 2.016 s ~", 0) < l7,
	    "the margin shows their times, the long gap its length");
	free(t);
	/* At 80x24 it scrolls to keep the chosen segment in view. */
	for (int i = 0; i < 12; i++)
		ui_key(ui, UIK_UP);
	t = screen(ui, 80, 24);
	l4 = line_with(t, "#1 S seq=0", 0);
	ok(ui_selected(ui) == 0 && l4 >= 0 && line_with(t, ">", l4) == l4 &&
	    line_with(t, "0ms SYN_SENT", l4) == l4, "at 80x24, choosing the "
	    "first SYN scrolls back to it");
	free(t);
	keys(ui, "t");
	t = screen(ui, 80, 40);
	l5 = line_with(t, "#5 S seq=0", 0);
	l6 = line_with(t, "#6 S seq=0", 0);
	l7 = line_with(t, "#7 S seq=0", 0);
	ok(l6 - l5 == l7 - l6 && line_with(t, "5000ms", 0) < 0,
	    "t: one event a row again, no margin");
	free(t);
	ui_free(ui);
	session_close(&s);

	ui = view(&s, "lessons/simultaneous-close.syn", LANG_EN);
	if (ui == NULL) {
		ok(0, "open simultaneous-close");
		return;
	}
	for (int i = 0; i < 40; i++) {
		int			 st[2];
		const struct jevent	*last;

		keys(ui, ui_question(ui, ui_shown(ui)) &&
		    ui->quiz.answers[ui_shown(ui)] == 0 ? "3" : "n");
		ui_states(ui, st, &last);
		if (st[0] == TCPS_CLOSING && st[1] == TCPS_CLOSING)
			break;
	}
	t = screen(ui, 80, 30);
	a = line_with(t, "#4 F.", 0);
	b = line_with(t, "#5 F.", 0);
	heads = -1;
	for (int l = (a > b ? a : b) + 1; l < 30 && heads < 0; l++) {
		int	 left = line_with(t, "<-", l);
		int	 right = line_with(t, "->", l);

		if (left == l && right == l)
			heads = l;
	}
	ok(a >= 0 && b > a && heads > b, "the two FINs cross: sent on lines %d "
	    "and %d, both land on line %d", a, b, heads);
	if (heads < 0)
		printf("%s", t);
	free(t);
	ui_free(ui);
	session_close(&s);

	/* A copy arriving 100 ms after its original is drawn down to then,
	 * not right under it. */
	ui = view(&s, "lessons/handshake.syn", LANG_EN);
	keys(ui, "nnnnc");
	ui_key(ui, UIK_END);
	t = screen(ui, 80, 30);
	a = line_with(t, "(copy)", 0);
	b = line_with(t, "120ms", 0);
	ok(a > 0 && b - a >= 5, "a copy 100 ms late slopes down to its "
	    "arrival (sent on line %d, the 120 ms row on %d)", a, b);
	free(t);
	ui_free(ui);
	session_close(&s);
}

/* The sandbox's keys, one after another, each animation run out. */
static void
sandbox_keys(struct ui *ui, const char *k)
{
	for (; *k != '\0'; k++) {
		ui_key(ui, *k);
		ui_finish(ui);
	}
}

/* An honest sandbox: failed calls shown failed, the network and hosts
 * under the learner's hand, and a clock that never runs back. */
static void
test_sandbox_honest(void)
{
	struct session	 s;
	struct ui	*ui;
	const struct journal *j;
	char		 err[512], *t;
	vtime_t		 t0, t1, low;
	size_t		 end;

	if (session_open_sandbox(&s, err, sizeof err) == -1) {
		ok(0, "sandbox: %s", err);
		return;
	}
	ui = view_of(&s);
	sandbox_keys(ui, "1s");
	t = screen(ui, 80, 24);
	ok(strstr(t, "send(100) ENOTCONN") != NULL &&
	    strstr(t, "It fails with ENOTCONN") != NULL, "send before "
	    "connecting: drawn and said failed with ENOTCONN");
	free(t);
	sandbox_keys(ui, "2a");
	t = screen(ui, 80, 24);
	ok(strstr(t, "accept() EINVAL") != NULL, "accept without listen: "
	    "EINVAL");
	free(t);
	sandbox_keys(ui, "2l1c1x1h");
	t = screen(ui, 80, 24);
	ok(strstr(t, "shutdown() EBADF") != NULL, "shutdown after close: "
	    "EBADF");
	free(t);
	sandbox_keys(ui, "1x");
	t = screen(ui, 80, 24);
	ok(strstr(t, "close() EBADF") != NULL, "a second close: EBADF");
	free(t);
	sandbox_keys(ui, "1e");
	t = screen(ui, 80, 24);
	ok(strstr(t, "keepalive(on) EBADF") != NULL, "keepalive on a closed "
	    "socket: EBADF");
	free(t);
	ui_free(ui);
	session_close(&s);

	/* Latency: the SYN takes 20 ms; then the other profile. */
	session_open_sandbox(&s, err, sizeof err);
	ui = view_of(&s);
	sandbox_keys(ui, "2lL1c");
	j = session_journal(&s);
	end = session_arrival_event(&s, 0, false);
	ok(j->nsegs > 0 && end != SIZE_MAX && j->ev[end].t == VT_MS(20),
	    "L: the latency is 20 ms from then on (the SYN arrives at %.3f "
	    "ms)", end != SIZE_MAX ? j->ev[end].t / 1e3 : -1.0);
	sandbox_keys(ui, "P");
	t = screen(ui, 80, 24);
	ok(session_journal(&s)->conn.profile == PROFILE_RFC9293 &&
	    strstr(t, "rfc9293") != NULL && session_journal(&s)->nsegs >= 3,
	    "P: the same calls again under the rfc9293 profile");
	free(t);
	ui_free(ui);
	session_close(&s);

	/* Hold and release; keepalive; crash and reboot. */
	session_open_sandbox(&s, err, sizeof err);
	ui = view_of(&s);
	sandbox_keys(ui, "2lH1c");
	ok(session_journal(&s)->nsegs >= 1 &&
	    session_arrival_event(&s, 0, false) == SIZE_MAX,
	    "H: the SYN is held on the way (its retransmission is not)");
	sandbox_keys(ui, "R");
	ok(session_arrival_event(&s, 0, false) != SIZE_MAX &&
	    session_journal(&s)->nsegs >= 3, "R: it goes on, and the "
	    "handshake ends");
	sandbox_keys(ui, "1e");
	t = screen(ui, 80, 24);
	ok(strstr(t, "keepalive(on)") != NULL, "1 e: keepalive on");
	free(t);
	sandbox_keys(ui, "2z");
	t = screen(ui, 80, 24);
	ok(strstr(t, "The server's host crashes") != NULL, "2 z: the server's "
	    "host crashes");
	free(t);
	sandbox_keys(ui, "2o");
	t = screen(ui, 80, 24);
	ok(strstr(t, "The server's host comes back") != NULL, "2 o: it "
	    "reboots");
	free(t);
	ui_free(ui);
	session_close(&s);

	/* A call made while TIME_WAIT runs on: the clock never goes back. */
	session_open_sandbox(&s, err, sizeof err);
	ui = view_of(&s);
	sandbox_keys(ui, "2l1c1x2x");
	ui->play.pos = 0;
	ui_key(ui, ' ');
	for (int i = 0; i < 2000 && ui_vtime(ui) < VT_SEC(5); i++)
		ui_advance(ui, 0.05);
	t0 = ui_vtime(ui);
	ui_key(ui, '1');
	ui_key(ui, 'c');
	t1 = ui_vtime(ui);
	low = t1;
	for (int i = 0; i < 200 && ui_animating(ui); i++) {
		ui_advance(ui, 0.05);
		if (ui_vtime(ui) < low)
			low = ui_vtime(ui);
	}
	ok(t0 > VT_SEC(1) && t1 >= t0 && low >= t0, "connect during "
	    "TIME_WAIT at %.3f s: the clock shows %.3f s, never less than "
	    "%.3f s after", t0 / 1e6, t1 / 1e6, low / 1e6);
	ui_free(ui);
	session_close(&s);
}

/* Presenter mode: nothing dim, the states in large letters, seconds. */
static void
test_present(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/handshake.syn", LANG_EN);
	struct canvas	 cv;
	int		 dim[2] = { 0, 0 };
	char		*t;

	if (ui == NULL) {
		ok(0, "open a lesson");
		return;
	}
	keys(ui, "nnnn");
	for (int mode = 0; mode < 2; mode++) {
		canvas_init(&cv, 120, 35);
		ui_draw(ui, &cv);
		for (int i = 0; i < cv.w * cv.h; i++)
			dim[mode] += (cv.cells[i].style & ~ST_SELECTED) ==
			    ST_DIM;
		canvas_free(&cv);
		keys(ui, "p");
	}
	ok(dim[0] > 0 && dim[1] == 0, "p: no dim text on a projector (%d "
	    "dim cells before, %d after)", dim[0], dim[1]);
	keys(ui, "p");
	t = screen(ui, 120, 35);
	ok(strstr(t, "▀█▀") != NULL && strstr(t, "0.00s") != NULL &&
	    strstr(t, "connect(): send SYN (RFC 9293 3.10.1)") != NULL,
	    "at 120x35 the states in large letters, the margin in seconds, "
	    "the cause on one line");
	free(t);
	t = screen(ui, 80, 24);
	ok(strstr(t, "SYN_SENT") != NULL && strstr(t, "+--------------+") !=
	    NULL, "at 80x24, no room: the usual boxes");
	free(t);
	ui_free(ui);
	session_close(&s);
}

/* A line of a screen, from 0, into buf. */
static const char *
screen_line(const char *screen, int n, char *buf, size_t len)
{
	const char	*p = screen;

	for (int i = 0; i < n && p != NULL; i++)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

/* Text that is cut shows it: no title cut mid-word, no RFC reference
 * split over two lines, no timer written into the other's half. */
static void
test_cut_text(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/header.syn", LANG_EN);
	struct catalog	 cat;
	struct ui	 menu;
	char		*t, line[512], dir[1100], below[32];
	int		 split = 0, cut = 0;

	if (ui == NULL) {
		ok(0, "open the header lesson");
		return;
	}
	for (int i = 0; i < 10 && ui_question(ui, ui_shown(ui)) == NULL; i++)
		keys(ui, "n");
	keys(ui, "2");
	t = screen(ui, 80, 24);
	ok(strstr(screen_line(t, 0, line, sizeof line), "The TCP header, "
	    "field by field") != NULL && strstr(line, "score 1/1") != NULL,
	    "at 80 columns the title stays whole beside the score: %s", line);
	free(t);
	t = screen(ui, 60, 16);
	screen_line(t, 0, line, sizeof line);
	ok(strstr(line, "The TCP…") != NULL || strstr(line, "The TCP "
	    "header,…") != NULL, "at 60 columns it is cut at a word, and "
	    "says so: %s", line);
	free(t);
	ui_free(ui);
	session_close(&s);

	/* RFC references, at every step of two lessons, in both languages. */
	for (int l = 0; l < 2; l++) {
		ui = view(&s, l == 0 ? "lessons/handshake.syn" :
		    "lessons/close-client-first.syn", l == 0 ? LANG_EN :
		    LANG_ZH);
		for (int i = 0; i < 40 && ui_shown(ui) < s.nsteps; i++) {
			keys(ui, ui_question(ui, ui_shown(ui)) &&
			    ui->quiz.answers[ui_shown(ui)] == 0 ? "1" : "n");
			t = screen(ui, 80, 24);
			for (int y = 0; y < 24; y++) {
				const char	*r;
				size_t		 n;

				screen_line(t, y, line, sizeof line);
				n = strlen(line);
				while (n > 0 && line[n - 1] == ' ')
					line[--n] = '\0';
				r = strstr(line, "RFC");
				if ((r != NULL && (strcmp(r, "RFC") == 0 ||
				    strcmp(r, "RFC 9293") == 0 ||
				    strcmp(r, "RFC 9293 第") == 0)) ||
				    strncmp(line + strspn(line, " "), "3.",
				    2) == 0 || strncmp(line + strspn(line,
				    " "), "节", strlen("节")) == 0) {
					if (split++ < 3)
						printf("# %s\n", line);
				}
			}
			free(t);
		}
		ui_free(ui);
		session_close(&s);
	}
	ok(split == 0, "no RFC reference is split over two lines (%d)",
	    split);

	/* Two timers with a retry at 60x16: each in its own half, whole. */
	ui = view(&s, "lessons/lost-synack.syn", LANG_EN);
	for (int i = 0; i < 60 && ui_shown(ui) < s.nsteps; i++) {
		char	*a, *b;

		keys(ui, ui_question(ui, ui_shown(ui)) &&
		    ui->quiz.answers[ui_shown(ui)] == 0 ? "1" : "n");
		t = screen(ui, 60, 16);
		screen_line(t, 5, line, sizeof line);
		free(t);
		if ((a = strstr(line, "RTO")) == NULL ||
		    (b = strstr(a + 3, "RTO")) == NULL)
			continue;
		/* Each ends in a whole word: a bar, a count or a time. */
		b[-1] = '\0';
		for (char *e = a + strlen(a); e > a && e[-1] == ' '; )
			*--e = '\0';
		if (strstr(b, " re") != NULL && strstr(b, "retry") == NULL)
			cut++;
		if (strstr(a, "retry") == NULL && strstr(a, " re") != NULL)
			cut++;
		if (b - a < 3 || strlen(a) > 28)
			cut++;
	}
	ok(cut == 0, "at 60x16 the two timers each keep to their half, no "
	    "word cut (%d)", cut);
	ui_free(ui);
	session_close(&s);

	/* The menu at 80x24 says there are more lessons than it shows:
	 * 14 rows of lessons fit under three group headings, whatever
	 * the groups hold, so the rest are said to be below. */
	snprintf(dir, sizeof dir, "%s/lessons", srcdir);
	catalog_load(&cat, dir, NULL);
	ui_init_menu(&menu, &cat, LANG_EN, false);
	t = screen(&menu, 80, 24);
	snprintf(below, sizeof below, "%zu more below", cat.n - 14);
	ok(cat.n >= 23 && strstr(t, below) != NULL, "the menu at 80x24 "
	    "says %zu more lessons are below", cat.n - 14);
	free(t);
	ui_key(&menu, UIK_END);
	t = screen(&menu, 80, 24);
	ok(strstr(t, "more above") != NULL && strstr(t, "more below") == NULL,
	    "at the last, how many are above");
	free(t);
	ui_free(&menu);
	catalog_free(&cat);
}

int
main(void)
{
	if (getenv("SRCDIR") != NULL)
		srcdir = getenv("SRCDIR");
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		printf("1..0 # SKIP no C.UTF-8 locale\n");
		return 0;
	}
	test_strings();
	test_causes();
	test_canvas();
	test_session();
	test_sandbox();
	test_sandbox_keys();
	test_sandbox_honest();
	test_view();
	test_keys();
	test_drop();
	test_panels();
	test_time_axis();
	test_present();
	test_cut_text();
	test_detail_relative();
	test_long_narration();
	test_timer_to_the_end();
	test_notes_in_language();
	test_menu();
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}
