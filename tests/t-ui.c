/*
 * The view without a terminal: the interface strings, the canvas's layout
 * by display width, the session's timeline (steps, going back, fates),
 * and the view's keys on real scenarios.
 */
#include "config.h"

#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "session.h"
#include "tap.h"
#include "ui.h"
#include "ui-str.h"

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

/* Every cause a scenario or lesson meets has its Chinese line. */
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

				if (e->type == JE_STATE && e->text != NULL &&
				    msg_cause(e->text, LANG_ZH) == NULL) {
					printf("# no zh for '%s' (%s)\n",
					    e->text, rel);
					missing++;
				}
			}
			session_close(&s);
		}
		closedir(dp);
	}
	ok(files > 60 && missing == 0, "the causes of %d scripts' state "
	    "changes all have Chinese (%d missing)", files, missing);
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
	ok(set == 0 && session_journal(&s)->ev[nev].u.seg.fate ==
	    FATE_DELIVERED, "asking again takes it back");
	set = session_toggle(&s, seg, RULE_DELAY, err, sizeof err);
	ok(set == 1 && session_journal(&s)->ev[session_arrival_event(&s,
	    seg, false)].t - session_journal(&s)->ev[session_sent_event(&s,
	    seg)].t == SESSION_DELAY, "a delayed segment arrives %lld ms "
	    "late", (long long)SESSION_DELAY / 1000);
	set = session_toggle(&s, seg, RULE_DUP, err, sizeof err);
	ok(set == 1 && session_arrival_event(&s, seg, true) != SIZE_MAX,
	    "a duplicated one arrives a second time");
	free(copy);
	session_close(&s);
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
	ok(s.run.sim.ep[SIDE_CLIENT].state == TCPS_ESTABLISHED,
	    "and the handshake completes");
	ok(session_act(&s, s.nsteps, 0, SIDE_CLIENT, CALL_CLOSE, 0, &step,
	    err, sizeof err) == 0, "client close");
	ok(strncmp(s.actions, "@0.000000 server listen\n", 24) == 0 &&
	    strstr(s.actions, "\n@0.000000 client close\n") != NULL,
	    "the actions are kept as a script with @ times");
	/* Back at step 1, connect differently: the later calls go. */
	ok(session_act(&s, 1, 0, SIDE_CLIENT, CALL_ABORT, 0, &step, err,
	    sizeof err) == 0 && strstr(s.actions, "close") == NULL &&
	    strstr(s.actions, "connect") == NULL,
	    "acting after going back forgets what came after");
	session_set_pending(&s, RULE_DROP);
	ok(session_act(&s, s.nsteps, 0, SIDE_CLIENT, CALL_CONNECT, 0, &step,
	    err, sizeof err) == 0 && s.niv == 1,
	    "a drop asked for before anything is sent applies to the next");
	session_close(&s);
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

	if (ui == NULL) {
		ok(0, "open the handshake lesson");
		return;
	}
	t = screen(ui, 80, 24);
	ok(strstr(t, "CLIENT") && strstr(t, "SERVER") && strstr(t, "step 0/"),
	    "it opens paused at the beginning, both sides shown");
	free(t);
	keys(ui, "nnn>");
	ok(ui->pos == 4, "n and the right arrow step (at %g)", ui->pos);
	keys(ui, "b<");
	ok(ui->pos == 2, "b and the left arrow step back (at %g)", ui->pos);
	keys(ui, " ");
	ok(!ui->playing && ui->pos == 4, "space plays to the next pause "
	    "(at %g)", ui->pos);
	keys(ui, " ");
	ok(!ui->playing && ui->pos == 5, "and then on to the question "
	    "(at %g)", ui->pos);
	pos = ui->pos;
	t = screen(ui, 80, 24);
	ok(strstr(t, "Press 1-3") != NULL, "a question waits for an answer");
	free(t);
	keys(ui, "1");
	ok(ui->asked == 1 && ui->right == 0, "a wrong answer is scored");
	t = screen(ui, 80, 24);
	ok(strstr(t, "the answer is 1") != NULL && strstr(t, "score 0/1"),
	    "and says what was right");
	free(t);
	keys(ui, "2");
	ok(ui->asked == 1, "a question is answered once");
	ui->pos = pos;
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

/* Drop the segment in flight and see it lost and sent again. */
static void
test_drop(void)
{
	struct session	 s;
	struct ui	*ui = view(&s, "lessons/handshake.syn", LANG_EN);
	char		*t;
	size_t		 n;

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
	free(t);
	ok(s.nsteps != n, "and the timeline changed after it");
	ui_key(ui, UIK_END);
	t = screen(ui, 80, 40);
	ok(strstr(t, "RTO expired") != NULL && strstr(t, "#2 S seq=0") !=
	    NULL, "the SYN is sent again when RTO expires");
	ok(strstr(t, "expectation failed") != NULL, "and the lesson's "
	    "expectations say what no longer holds");
	free(t);
	keys(ui, "r");
	ok(s.niv == 0 && ui->pos == 0, "r starts again without the drop");
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
	ok(strstr(s.actions, "server listen") != NULL &&
	    strstr(s.actions, "client connect") != NULL,
	    "listen then connect, typed while listen still plays: both kept");
	ui_finish(&ui);
	ok(s.run.sim.ep[SIDE_SERVER].state == TCPS_ESTABLISHED,
	    "and the server is ESTABLISHED");
	ui_free(&ui);
	session_close(&s);
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
	test_view();
	test_drop();
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}
