/*
 * The view's state and its keys: the position in the timeline, playing
 * and stepping, the selection, the panels, questions and the sandbox.
 * Drawing the parts is in ui-ladder.c, ui-detail.c and ui-diagram.c; this
 * file lays them out and draws the status line, narration and help.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "ui.h"
#include "str.h"
#include "util.h"

#define MIN_W		60
#define MIN_H		16
#define STEP_SECONDS	0.35	/* one step with n, at most */

static const double speeds[] = { 0.25, 0.5, 1, 2, 4, 8, 16 };
#define NSPEEDS		(int)(sizeof speeds / sizeof speeds[0])
#define SPEED_1X	2

const char *
ui_str(const struct ui *ui, enum msg m)
{
	return msg_text(m, ui->lang);
}

/* A line for the learner under the narration. */
static void
say(struct ui *ui, uint8_t style, const char *text)
{
	snprintf(ui->msg, sizeof ui->msg, "%s", text);
	ui->msg_style = style;
}

/* Why a state changed (a JE_STATE event), in the learner's language. */
const char *
ui_cause(const struct ui *ui, const struct jevent *e, char *buf, size_t len)
{
	tcp_cause_text(buf, len, e->u.state.cause, e->u.state.n, ui->lang);
	return buf;
}

/* Where RFC 9293 calls for a state change, or "-". */
const char *
ui_rfc(const struct jevent *e)
{
	const char	*rfc = tcp_causes[e->u.state.cause].rfc;

	return rfc != NULL ? rfc : "-";
}

static void
say_msg(struct ui *ui, uint8_t style, enum msg m, ...)
{
	va_list	 ap;

	va_start(ap, m);
	msg_vformat(ui->msg, sizeof ui->msg, m, ui->lang, ap);
	va_end(ap);
	ui->msg_style = style;
}

/* Whether step k (from 1) holds an event of this type. */
static const struct jevent *
step_event(const struct ui *ui, size_t k, enum jev_type type)
{
	const struct journal	*j = session_journal(ui->s);
	const struct step	*st;

	if (k == 0 || k > ui->s->nsteps)
		return NULL;
	st = &ui->s->steps[k - 1];
	for (size_t i = st->first; i < st->end; i++) {
		if (j->ev[i].type == type)
			return &j->ev[i];
	}
	return NULL;
}

/*
 * How long the move into step k lasts on screen, in seconds at 1x: a beat
 * to see it, or the virtual time it takes, long waits compressed so that
 * a 60 s TIME_WAIT can be watched (the clock still shows the real time).
 */
static double
step_seconds(const struct ui *ui, size_t k)
{
	double	 gap = (session_time(ui->s, k) - session_time(ui->s,
		    k - 1)) / 1e6, beat = 0.6;

	if (step_event(ui, k, JE_SAY) != NULL ||
	    step_event(ui, k, JE_ASK) != NULL)
		beat = 1.2;
	if (gap > 1)
		gap = 1 + 1.5 * log(gap);
	return gap > beat ? gap : beat;
}

/* After the timeline changed: display times, answers kept up to here. */
static void
timeline_changed(struct ui *ui)
{
	size_t	 n = ui->s->nsteps, keep;

	ui->cum = xreallocarray(ui->cum, n + 1, sizeof *ui->cum);
	ui->cum[0] = 0;
	for (size_t k = 1; k <= n; k++)
		ui->cum[k] = ui->cum[k - 1] + step_seconds(ui, k);
	ui->ncum = n + 1;
	keep = (size_t)floor(ui->pos) + 1;
	ui->answers = xreallocarray(ui->answers, n + 1, sizeof *ui->answers);
	for (size_t k = keep < ui->nanswers ? keep : ui->nanswers; k <= n; k++)
		ui->answers[k] = 0;
	ui->nanswers = n + 1;
	if (ui->pos > (double)n)
		ui->pos = (double)n;
	if (ui->target > n)
		ui->target = n;
	ui->rows_for = SIZE_MAX;
}

/* Show a session from its beginning, forgetting the last one's view. */
static void
view_open(struct ui *ui, struct session *s)
{
	ui->s = s;
	ui->pos = 0;
	ui->target = 0;
	ui->playing = ui->stepping = false;
	ui->speed = SPEED_1X;
	ui->sel = -1;
	ui->panel = PANEL_LADDER;
	ui->help = false;
	ui->act_side = SIDE_NONE;
	ui->msg[0] = '\0';
	ui->nanswers = 0;
	ui->right = ui->asked = 0;
	ui->nrows = 0;
	ui->rows_for = SIZE_MAX;
	timeline_changed(ui);
	if (s->sandbox)
		say_msg(ui, ST_DIM, M_SANDBOX_HINT);
}

void
ui_init(struct ui *ui, struct session *s, enum lang lang, bool ascii)
{
	memset(ui, 0, sizeof *ui);
	ui->ascii = ascii;
	ui->lang = ascii ? LANG_EN : lang;
	view_open(ui, s);
}

/* The lesson menu first; a lesson chosen there is opened by the view. */
void
ui_init_menu(struct ui *ui, struct catalog *cat, enum lang lang, bool ascii)
{
	memset(ui, 0, sizeof *ui);
	ui->ascii = ascii;
	ui->lang = ascii ? LANG_EN : lang;
	ui->cat = cat;
	ui->menu = true;
}

/* Open a lesson from the menu: 0, or -1 with the reason said. */
int
ui_open_lesson(struct ui *ui, struct lesson *l)
{
	char		 err[1024];

	if (session_open_file(&ui->own, l->path, err, sizeof err) == -1) {
		say_msg(ui, ST_BAD, M_OPEN_FAILED, err);
		return -1;
	}
	ui->lesson = l;
	view_open(ui, &ui->own);
	return 0;
}

/* Back from a lesson to the menu. */
static void
close_lesson(struct ui *ui)
{
	if (ui->s == &ui->own)
		session_close(&ui->own);
	ui->s = NULL;
	ui->lesson = NULL;
	ui->msg[0] = '\0';
}

void
ui_free(struct ui *ui)
{
	if (ui->s == &ui->own)
		session_close(&ui->own);
	free(ui->cum);
	free(ui->answers);
	free(ui->rows);
	free(ui->hit);
	memset(ui, 0, sizeof *ui);
}

/*
 * Keep the learner's progress in the lesson shown: finished once its
 * last step is reached, and the most questions answered right.
 */
static void
note_progress(struct ui *ui)
{
	struct lesson	*l = ui->lesson;
	bool		 changed = false;
	char		 err[512];
	int		 right;

	if (l == NULL || ui->cat == NULL || ui->s == NULL || ui->s->sandbox)
		return;
	if (!l->finished && ui->s->nsteps > 0 &&
	    ui_shown(ui) >= ui->s->nsteps) {
		l->finished = true;
		changed = true;
	}
	right = ui->right < l->questions ? ui->right : l->questions;
	if (ui->asked > 0 && right > l->best) {
		l->best = right;
		changed = true;
	}
	if (changed && catalog_save(ui->cat, err, sizeof err) == -1)
		say_msg(ui, ST_BAD, M_SAVE_FAILED, err);
}

/* The steps whose events are all shown. */
size_t
ui_shown(const struct ui *ui)
{
	return (size_t)floor(ui->pos);
}

/* Virtual time at the position, moving smoothly between steps. */
vtime_t
ui_vtime(const struct ui *ui)
{
	size_t	 k = ui_shown(ui);
	double	 f = ui->pos - (double)k;
	vtime_t	 a = session_time(ui->s, k);

	if (k >= ui->s->nsteps || f <= 0)
		return a;
	return a + (vtime_t)(f * (double)(session_time(ui->s, k + 1) - a));
}

/* Display seconds at the position. */
static double
display_at(const struct ui *ui, double pos)
{
	size_t	 k = (size_t)floor(pos);

	if (k + 1 >= ui->ncum)
		return ui->cum[ui->ncum - 1];
	return ui->cum[k] + (pos - (double)k) * (ui->cum[k + 1] - ui->cum[k]);
}

/*
 * How far along its way a segment is, 0 to 1, in display time: it leaves
 * at the step it was sent in and arrives at the step it arrived in.
 */
double
ui_progress(const struct ui *ui, int seg, bool copy)
{
	size_t	 sent = session_sent_event(ui->s, seg);
	size_t	 end = session_arrival_event(ui->s, seg, copy);
	double	 a, b, now;

	if (sent == SIZE_MAX || end == SIZE_MAX)
		return end == SIZE_MAX ? 0.3 : 1;
	a = ui->cum[session_step_of(ui->s, sent)];
	b = ui->cum[session_step_of(ui->s, end)];
	now = display_at(ui, ui->pos);
	if (b <= a)
		return now >= b ? 1 : 0;
	now = (now - a) / (b - a);
	return now < 0 ? 0 : now > 1 ? 1 : now;
}

/*
 * Which state each side is in once the steps shown have happened, and the
 * last change (NULL if none): the boxes and the diagram both show them.
 */
void
ui_states(const struct ui *ui, int state[2], const struct jevent **last)
{
	const struct journal	*j = session_journal(ui->s);
	size_t			 end = session_applied(ui->s, ui_shown(ui));

	state[0] = state[1] = TCPS_CLOSED;
	*last = NULL;
	for (size_t i = 0; i < end; i++) {
		if (j->ev[i].type == JE_STATE) {
			state[j->ev[i].side] = j->ev[i].u.state.to;
			*last = &j->ev[i];
		}
	}
}

/* The step a segment first shows in (raw datagrams: when refused). */
static size_t
seg_step(const struct ui *ui, int seg)
{
	size_t	 ev = session_sent_event(ui->s, seg);

	if (ev == SIZE_MAX)
		ev = session_arrival_event(ui->s, seg, false);
	return ev == SIZE_MAX ? SIZE_MAX : session_step_of(ui->s, ev);
}

static bool
seg_visible(const struct ui *ui, int seg)
{
	size_t	 k = seg_step(ui, seg);

	return k != SIZE_MAX && k <= ui_shown(ui);
}

/* On its way at the position: sent, not yet arrived or lost. */
static bool
seg_in_flight(const struct ui *ui, int seg)
{
	size_t	 end = session_arrival_event(ui->s, seg, false);

	if (!seg_visible(ui, seg) || session_sent_event(ui->s, seg) ==
	    SIZE_MAX)
		return false;
	return end == SIZE_MAX || session_step_of(ui->s, end) > ui_shown(ui);
}

/* The segment the detail panel shows: the chosen one, else the newest. */
int
ui_selected(const struct ui *ui)
{
	const struct journal	*j = session_journal(ui->s);

	if (ui->sel >= 0 && (size_t)ui->sel < j->nsegs &&
	    seg_visible(ui, ui->sel))
		return ui->sel;
	for (size_t i = j->nsegs; i-- > 0; ) {
		if (seg_visible(ui, (int)i))
			return (int)i;
	}
	return -1;
}

static void
select_move(struct ui *ui, int dir, bool wrap)
{
	int	 n = (int)session_journal(ui->s)->nsegs, cur = ui_selected(ui);

	if (cur < 0)
		return;
	for (int i = 1; i <= n; i++) {
		int	 c = cur + dir * i;

		if (!wrap && (c < 0 || c >= n))
			return;
		c = (c % n + n) % n;
		if (seg_visible(ui, c)) {
			ui->sel = c;
			return;
		}
	}
}

bool
ui_animating(const struct ui *ui)
{
	return ui->s != NULL && (ui->playing || ui->stepping);
}

/* A question at step k not yet answered. */
static const struct jevent *
open_question(const struct ui *ui, size_t k)
{
	const struct jevent	*e = step_event(ui, k, JE_ASK);

	if (e == NULL || k >= ui->nanswers || ui->answers[k] != 0)
		return NULL;
	return e;
}

/* Playing stops where the script pauses or asks. */
static bool
stops_at(const struct ui *ui, size_t k)
{
	return step_event(ui, k, JE_PAUSE) != NULL ||
	    open_question(ui, k) != NULL || k >= ui->s->nsteps;
}

static void
arrived(struct ui *ui, size_t k)
{
	if (ui->stepping && k >= ui->target)
		ui->stepping = false;
	if (ui->playing && stops_at(ui, k))
		ui->playing = false;
	if (k >= ui->s->nsteps) {
		ui->playing = ui->stepping = false;
		say_msg(ui, ST_DIM, (ui->s->sandbox ?
		    M_AT_END_SANDBOX : M_AT_END));
	}
}

/* Let dt seconds of wall time pass. */
void
ui_advance(struct ui *ui, double dt)
{
	while (dt > 0 && ui_animating(ui)) {
		size_t	 k = ui_shown(ui);
		double	 dur, rem;

		if (k >= ui->s->nsteps) {
			arrived(ui, k);
			break;
		}
		dur = step_seconds(ui, k + 1) / speeds[ui->speed];
		if (ui->stepping && dur > STEP_SECONDS)
			dur = STEP_SECONDS;
		rem = ((double)(k + 1) - ui->pos) * dur;
		if (dt < rem) {
			ui->pos += dt / dur;
			break;
		}
		dt -= rem;
		ui->pos = (double)(k + 1);
		arrived(ui, k + 1);
	}
	note_progress(ui);
}

/* Jump to where the animation is going (the headless frames). */
void
ui_finish(struct ui *ui)
{
	while (ui_animating(ui))
		ui_advance(ui, 1e9);
}

static void
step_forward(struct ui *ui)
{
	size_t	 k;

	ui->playing = false;
	if (ui->stepping)
		ui->pos = (double)ui->target;
	k = ui_shown(ui);
	if (k >= ui->s->nsteps) {
		ui->stepping = false;
		say_msg(ui, ST_DIM, (ui->s->sandbox ?
		    M_AT_END_SANDBOX : M_AT_END));
		return;
	}
	ui->msg[0] = '\0';
	ui->target = k + 1;
	ui->stepping = true;
}

/* To the step before the one shown (or, paused between two, the first). */
static void
step_back(struct ui *ui)
{
	double	 k = floor(ui->pos);

	if (ui->stepping && k > 0)
		k -= 1;
	ui->playing = ui->stepping = false;
	ui->msg[0] = '\0';
	if (ui->pos <= 0) {
		say_msg(ui, ST_DIM, M_AT_START);
		return;
	}
	ui->pos = k == ui->pos ? k - 1 : k;
}

static void
play_pause(struct ui *ui)
{
	if (ui->playing) {
		ui->playing = false;
		return;
	}
	if (ui->stepping)
		ui->pos = (double)ui->target;
	ui->stepping = false;
	if (ui_shown(ui) >= ui->s->nsteps)
		ui->pos = 0;
	ui->msg[0] = '\0';
	ui->playing = ui->s->nsteps > 0;
}

static void
restart(struct ui *ui)
{
	char	 err[512];

	ui->pos = 0;
	ui->playing = ui->stepping = false;
	ui->sel = -1;
	ui->right = ui->asked = 0;
	ui->nanswers = 0;
	if (session_restart(ui->s, err, sizeof err) == -1)
		say(ui, ST_BAD, err);
	else
		say_msg(ui, ST_DIM, M_RESTARTED);
	timeline_changed(ui);
}

static void
seg_label(const struct ui *ui, int seg, char *buf, size_t len)
{
	const struct jseg	*g = &session_journal(ui->s)->segs[seg];
	char			 flags[16];

	if (!g->valid)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s", segment_flags(g->seg.flags, flags));
}

/* d, D, c: a fate for the segment in flight, or the next one sent. */
static void
set_fate(struct ui *ui, enum rule_kind kind)
{
	static const enum msg will[] = {
		[RULE_DROP] = M_WILL_DROP,
		[RULE_DELAY] = M_WILL_DELAY,
		[RULE_DUP] = M_WILL_DUP,
	};
	char	 err[512], label[16];
	int	 seg = -1, set;

	if (ui->stepping)
		ui->pos = (double)ui->target;
	ui->stepping = false;
	if (ui->sel >= 0 && seg_visible(ui, ui->sel)) {
		if (!seg_in_flight(ui, ui->sel)) {
			say_msg(ui, ST_BAD, M_DONE_ALREADY, ui->sel + 1);
			return;
		}
		seg = ui->sel;
	} else {
		const struct journal *j = session_journal(ui->s);

		for (size_t i = j->nsegs; i-- > 0 && seg == -1; ) {
			if (j->segs[i].valid && seg_in_flight(ui, (int)i))
				seg = (int)i;
		}
		if (seg == -1)
			seg = session_next_sent(ui->s, ui_shown(ui));
	}
	if (seg == -1) {
		if (!ui->s->sandbox) {
			say_msg(ui, ST_BAD, M_NOTHING_SENT);
			return;
		}
		session_set_pending(ui->s, kind);
		say_msg(ui, ST_HILITE, M_NEXT_SENT,
		    kind == RULE_DROP ? ui_str(ui, M_DROPPED) :
		    kind == RULE_DUP ? ui_str(ui, M_COPY) : "+1.5 s");
		return;
	}
	set = session_toggle(ui->s, seg, kind, err, sizeof err);
	timeline_changed(ui);
	if (set == -1) {
		say(ui, ST_BAD, err);
		return;
	}
	seg_label(ui, seg, label, sizeof label);
	say_msg(ui, set ? ST_HILITE : ST_DIM, set ? will[kind] : M_TAKEN_BACK,
	    seg + 1, label);
}

/* Sandbox: the chosen side makes a call. */
static void
act(struct ui *ui, int key)
{
	static const struct {
		int		 key;
		enum tcp_call	 call;
	} keys[] = {
		{ 'l', CALL_LISTEN }, { 'a', CALL_ACCEPT }, { 'c', CALL_CONNECT },
		{ 's', CALL_SEND }, { 'r', CALL_READ }, { 'h', CALL_SHUTDOWN },
		{ 'x', CALL_CLOSE }, { 'k', CALL_ABORT },
	};
	enum side	 side = ui->act_side;
	char		 err[512];
	size_t		 step;

	ui->act_side = SIDE_NONE;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].key != key)
			continue;
		if (ui->stepping)
			ui->pos = (double)ui->target;
		/* Acting while the last call still plays out: that call has
		 * happened, the new one comes after it. */
		if (ui_animating(ui) && ui->pos < (double)session_last_act(ui->s))
			ui->pos = (double)session_last_act(ui->s);
		ui->stepping = ui->playing = false;
		if (session_act(ui->s, ui_shown(ui), ui_vtime(ui), side,
		    keys[i].call, 100, &step, err, sizeof err) == -1) {
			timeline_changed(ui);
			say(ui, ST_BAD, err);
			return;
		}
		ui->pos = floor(ui->pos);
		timeline_changed(ui);
		ui->msg[0] = '\0';
		/* Show it happen and what follows, as a program would. */
		ui->playing = ui_shown(ui) < ui->s->nsteps;
		return;
	}
}

/* A digit at a question: the learner's answer. */
static void
answer(struct ui *ui, int choice)
{
	size_t			 k = ui_shown(ui);
	const struct jevent	*e;

	if (ui->pos != floor(ui->pos) || (e = open_question(ui, k)) == NULL)
		return;
	if (choice >= e->u.say.ask->nchoices)
		return;
	ui->answers[k] = choice + 1;
	ui->asked++;
	if (choice == e->u.say.ask->answer)
		ui->right++;
}

static enum ui_result
view_key(struct ui *ui, int key)
{
	if (ui->help) {
		ui->help = false;
		return UI_REDRAW;
	}
	if (ui->act_side != SIDE_NONE) {
		if (key == UIK_ESC)
			ui->act_side = SIDE_NONE;
		else
			act(ui, key);
		return UI_REDRAW;
	}
	switch (key) {
	case 'q':
	case 'Q':
		if (!ui->menu)
			return UI_QUIT;
		close_lesson(ui);
		break;
	case ' ':
		play_pause(ui);
		break;
	case 'n':
	case UIK_RIGHT:
		step_forward(ui);
		break;
	case 'b':
	case UIK_LEFT:
		step_back(ui);
		break;
	case UIK_HOME:
		ui->playing = ui->stepping = false;
		ui->msg[0] = '\0';
		ui->pos = 0;
		break;
	case UIK_END:
		ui->playing = ui->stepping = false;
		ui->msg[0] = '\0';
		ui->pos = (double)ui->s->nsteps;
		break;
	case '+':
	case '=':
		if (ui->speed + 1 < NSPEEDS)
			ui->speed++;
		break;
	case '-':
	case '_':
		if (ui->speed > 0)
			ui->speed--;
		break;
	case 'r':
		restart(ui);
		break;
	case UIK_TAB:
		select_move(ui, 1, true);
		break;
	case UIK_BTAB:
		select_move(ui, -1, true);
		break;
	case UIK_DOWN:
		select_move(ui, 1, false);
		break;
	case UIK_UP:
		if (ui->sel < 0)
			ui->sel = ui_selected(ui);
		select_move(ui, -1, false);
		break;
	case UIK_ESC:
		ui->sel = -1;
		ui->msg[0] = '\0';
		break;
	case 'd':
		set_fate(ui, RULE_DROP);
		break;
	case 'D':
		set_fate(ui, RULE_DELAY);
		break;
	case 'c':
		set_fate(ui, RULE_DUP);
		break;
	case 's':
		ui->panel = ui->panel == PANEL_DIAGRAM ? PANEL_LADDER :
		    PANEL_DIAGRAM;
		break;
	case 'i':
	case UIK_ENTER:
		ui->panel = ui->panel == PANEL_DETAIL ? PANEL_LADDER :
		    PANEL_DETAIL;
		break;
	case 'l':
		if (!ui->ascii)
			ui->lang = ui->lang == LANG_EN ? LANG_ZH : LANG_EN;
		break;
	case '?':
	case 'h':
		ui->help = true;
		break;
	case '1':
	case '2':
		if (ui->s->sandbox) {
			ui->act_side = key == '1' ? SIDE_CLIENT : SIDE_SERVER;
			break;
		}
		/* FALLTHROUGH */
	case '3': case '4': case '5': case '6': case '7': case '8': case '9':
		answer(ui, key - '1');
		break;
	default:
		return UI_NOTHING;
	}
	return UI_REDRAW;
}

enum ui_result
ui_key(struct ui *ui, int key)
{
	enum ui_result	 r;

	if (ui->s == NULL)
		return ui_menu_key(ui, key);
	r = view_key(ui, key);
	note_progress(ui);
	return r;
}

/* A click: on a segment's row, choose it; in the menu, a lesson. */
enum ui_result
ui_click(struct ui *ui, int y, int x)
{
	(void)x;
	if (ui->s == NULL)
		return ui_menu_click(ui, y);
	if (y < 0 || y >= ui->nhit || ui->hit[y] < 0)
		return UI_NOTHING;
	ui->sel = ui->hit[y];
	return UI_REDRAW;
}

/* ---- drawing ---------------------------------------------------------- */

/* The lesson's title in the learner's language, else the file's name. */
static const char *
title(const struct ui *ui, char *buf, size_t len)
{
	if (ui->s->sandbox)
		return ui_str(ui, M_SANDBOX);
	return session_title(ui->s, ui->lang, buf, len);
}

/*
 * "synfin · title" on the left; profile, play/pause, speed, time, step,
 * score and ignored datagrams on the right.  The title gives way first.
 */
static void
draw_status(struct ui *ui, struct canvas *cv)
{
	const struct session	*s = ui->s;
	const struct journal	*j = session_journal(s);
	size_t			 shown = ui_shown(ui);
	unsigned long		 ignored = 0;
	char			 right[256], left[256], t[32], name[64];
	int			 n, rw;
	bool			 fast;

	for (size_t i = 0; i < session_applied(s, shown); i++) {
		if (j->ev[i].type == JE_SEG &&
		    j->ev[i].u.seg.fate == FATE_IGNORED)
			ignored++;
	}
	fast = shown < s->nsteps && session_time(s, shown + 1) -
	    session_time(s, shown) > VT_SEC(1) && ui_animating(ui);
	/* Compressed: the clock runs faster than the speed says. */
	snprintf(t, sizeof t, "%.3f", ui_vtime(ui) / 1e6);
	snprintf(left, sizeof left, " synfin · %s", title(ui, name,
	    sizeof name));
	/* Where the title would be cut, the profile and then a plain 1x
	 * speed give way to it first. */
	for (int terse = 0; terse < 3; terse++) {
		char	 speed[32] = "";

		if (terse < 2 || speeds[ui->speed] != 1)
			snprintf(speed, sizeof speed, " · %gx%s%s",
			    speeds[ui->speed], fast ? " " : "",
			    fast ? ui_str(ui, M_FAST) : "");
		else if (fast)
			snprintf(speed, sizeof speed, " · %s",
			    ui_str(ui, M_FAST));
		n = snprintf(right, sizeof right, "%s%s%s%s · t=%ss · %s %zu/%zu",
		    terse == 0 ? profiles[j->conn.profile].name : "",
		    terse == 0 ? " · " : "",
		    ui_str(ui, ui->playing ? M_PLAYING : M_PAUSED), speed, t,
		    ui_str(ui, M_STEP), shown, s->nsteps);
		if (ui->asked > 0 && n > 0 && (size_t)n < sizeof right)
			n += snprintf(right + n, sizeof right - (size_t)n,
			    " · %s %d/%d", ui_str(ui, M_SCORE), ui->right,
			    ui->asked);
		if (ignored > 0 && n > 0 && (size_t)n < sizeof right)
			snprintf(right + n, sizeof right - (size_t)n,
			    " · %s %lu", ui_str(ui, M_IGNORED), ignored);
		if (text_width(left) + text_width(right) + 3 <= cv->w)
			break;
	}
	canvas_fill(cv, 0, 0, cv->w, ' ', ST_STATUS);
	rw = text_width(right);
	if (rw + 2 > cv->w)
		rw = cv->w - 2;
	canvas_text(cv, 0, 0, cv->w - rw - 2, ST_STATUS, left);
	canvas_text(cv, 0, cv->w - rw - 1, rw, ST_STATUS, right);
}

/* Hints in their order, dropping the least needed until they fit. */
void
ui_hints(struct ui *ui, struct canvas *cv, int y, const char *lead,
    const struct keyhint *h, size_t n)
{
	bool	 keep[24];
	int	 width, x = 1, limit = 99;

	for (;;) {
		width = lead ? text_width(lead) + 2 : 0;
		for (size_t i = 0; i < n; i++) {
			keep[i] = h[i].rank <= limit;
			if (keep[i])
				width += (int)strlen(h[i].key) + 1 +
				    text_width(ui_str(ui, h[i].what)) + 2;
		}
		if (width <= cv->w - 1 || limit == 0)
			break;
		limit--;
	}
	if (lead != NULL) {
		x += canvas_text(cv, y, x, cv->w - x, ST_KEY | ST_SELECTED, lead);
		x += 2;
	}
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		x += canvas_text(cv, y, x, cv->w - x, ST_KEY | ST_SELECTED,
		    h[i].key);
		x += 1;
		x += canvas_text(cv, y, x, cv->w - x, ST_KEY, ui_str(ui,
		    h[i].what));
		x += 2;
	}
}

static void
draw_footer(struct ui *ui, struct canvas *cv)
{
	static const struct keyhint view[] = {
		{ "1", M_K_CLIENT, 0 }, { "2", M_K_SERVER, 0 },
		{ "space", M_K_PLAY, 2 }, { "n", M_K_NEXT, 1 },
		{ "b", M_K_BACK, 1 }, { "+-", M_K_SPEED, 9 },
		{ "d", M_K_DROP, 3 }, { "D", M_K_DELAY, 7 },
		{ "c", M_K_COPY, 7 }, { "s", M_K_DIAGRAM, 4 },
		{ "i", M_K_HEADER, 5 }, { "l", M_K_LANG, 3 },
		{ "?", M_K_HELP, 0 }, { "q", M_K_QUIT, 0 },
	}, act[] = {
		{ "l", M_K_LADDER, 0 }, { "a", M_K_LADDER, 0 },
		{ "c", M_K_LADDER, 0 }, { "s", M_K_LADDER, 0 },
		{ "r", M_K_LADDER, 0 }, { "h", M_K_LADDER, 0 },
		{ "x", M_K_LADDER, 0 }, { "k", M_K_LADDER, 0 },
		{ "Esc", M_K_CANCEL, 1 },
	}, panel[] = {
		{ "s", M_K_LADDER, 0 }, { "Tab", M_K_OTHER, 1 },
		{ "n", M_K_NEXT, 1 }, { "b", M_K_BACK, 1 },
		{ "?", M_K_HELP, 0 }, { "q", M_K_QUIT, 0 },
	};
	static const char *const calls[] = {
		"listen", "accept", "connect", "send", "read", "shutdown",
		"close", "abort",
	};
	int		 y = cv->h - 1, x = 1, gap = 2, need;
	struct keyhint	 p[sizeof panel / sizeof panel[0]];
	struct keyhint	 v[sizeof view / sizeof view[0]];

	canvas_fill(cv, y, 0, cv->w, ' ', ST_KEY);
	if (ui->act_side != SIDE_NONE) {
		/* The calls are the socket API's own names. */
		x += canvas_text(cv, y, x, cv->w - x, ST_KEY | ST_SELECTED,
		    ui_str(ui, ui->act_side == SIDE_CLIENT ? M_K_CLIENT :
		    M_K_SERVER));
		x += 2;
		need = x + 3 + 1 + text_width(ui_str(ui, M_K_CANCEL));
		for (size_t i = 0; i < 8; i++)
			need += 2 + (int)strlen(calls[i]) + 2;
		if (need > cv->w)
			gap = 1;
		for (size_t i = 0; i < 8; i++) {
			x += canvas_text(cv, y, x, cv->w - x,
			    ST_KEY | ST_SELECTED, act[i].key);
			x += 1 + canvas_text(cv, y, x + 1, cv->w - x - 1,
			    ST_KEY, calls[i]);
			x += gap;
		}
		x += canvas_text(cv, y, x, cv->w - x, ST_KEY | ST_SELECTED,
		    "Esc");
		canvas_text(cv, y, x + 1, cv->w - x - 1, ST_KEY,
		    ui_str(ui, M_K_CANCEL));
		return;
	}
	if (ui->panel != PANEL_LADDER) {
		memcpy(p, panel, sizeof p);
		p[0].key = ui->panel == PANEL_DIAGRAM ? "s" : "i";
		if (ui->menu)
			p[nitems(p) - 1].what = M_K_MENU;
		ui_hints(ui, cv, y, NULL, p, sizeof p / sizeof p[0]);
		return;
	}
	memcpy(v, view, sizeof v);
	if (ui->menu)
		v[nitems(v) - 1].what = M_K_MENU;
	ui_hints(ui, cv, y, NULL, ui->s->sandbox ? v : v + 2,
	    ui->s->sandbox ? nitems(v) : nitems(v) - 2);
}

/* A heading rule across the panel: "-- narration ------". */
static void
heading(struct canvas *cv, int y, int x, int w, const char *text)
{
	int	 n;

	canvas_fill(cv, y, x, w, '-', ST_DIM);
	n = canvas_text(cv, y, x + 2, w - 4, ST_HEADING, " ");
	n += canvas_text(cv, y, x + 2 + n, w - 4 - n, ST_HEADING, text);
	canvas_text(cv, y, x + 2 + n, w - 4 - n, ST_HEADING, " ");
}

/* The question at step k, in the learner's language where it has one. */
static const struct jevent *
question(const struct ui *ui, size_t k)
{
	const struct journal	*j = session_journal(ui->s);
	const struct step	*st;
	const struct jevent	*best = NULL;

	if (k == 0 || k > ui->s->nsteps)
		return NULL;
	st = &ui->s->steps[k - 1];
	for (size_t i = st->first; i < st->end; i++) {
		if (j->ev[i].type != JE_ASK)
			continue;
		if (best == NULL || j->ev[i].u.say.lang == ui->lang)
			best = &j->ev[i];
	}
	return best;
}

static int
draw_question(struct ui *ui, struct canvas *cv, int y, int x, int w, int h,
    size_t k)
{
	const struct jevent	*e = question(ui, k);
	const struct jask	*q;
	int			 used, chosen = ui->answers[k] - 1;
	char			 buf[512];

	if (e == NULL)
		return 0;
	q = e->u.say.ask;
	used = canvas_wrap(cv, y, x, w, h, ST_HILITE, e->text);
	for (int i = 0; i < q->nchoices && used < h; i++) {
		uint8_t	 st = ST_NORMAL;

		if (chosen >= 0 && i == q->answer)
			st = ST_GOOD;
		else if (i == chosen)
			st = ST_BAD;
		snprintf(buf, sizeof buf, "  %d) %s%s", i + 1, q->choices[i],
		    chosen >= 0 && i == q->answer ? "  <=" : "");
		canvas_text(cv, y + used++, x, w, st, buf);
	}
	if (used >= h)
		return used;
	if (chosen < 0) {
		msg_format(buf, sizeof buf, M_ASK_PROMPT, ui->lang,
		    q->nchoices);
		canvas_text(cv, y + used++, x, w, ST_KEY, buf);
		return used;
	}
	if (chosen == q->answer)
		snprintf(buf, sizeof buf, "%s %s", ui_str(ui, M_RIGHT),
		    q->why ? q->why : "");
	else {
		int n = msg_format(buf, sizeof buf, M_WRONG, ui->lang,
		    q->choices[q->answer]);

		if (q->why != NULL && n > 0 && (size_t)n < sizeof buf)
			snprintf(buf + n, sizeof buf - (size_t)n, " %s", q->why);
	}
	used += canvas_wrap(cv, y + used, x, w, h - used,
	    chosen == q->answer ? ST_GOOD : ST_BAD, buf);
	return used;
}

/*
 * The narration panel: a question if one is open here, else the script's
 * latest lines in the learner's language, newest at the bottom, and any
 * expectation that failed.
 */
/*
 * What an event says in the narration, in the learner's language: a
 * line of the script's, or an expectation that failed; else NULL.
 */
static const char *
narration_text(const struct ui *ui, const struct jevent *e, char *buf,
    size_t len)
{
	char	 what[256];

	if (e->type == JE_SAY && e->u.say.lang == ui->lang)
		return e->text;
	if (e->type == JE_EXPECT && !e->u.expect.ok) {
		trace_expect_text(what, sizeof what, session_journal(ui->s), e);
		msg_format(buf, len, M_EXPECT_FAILED, ui->lang, what);
		return buf;
	}
	return NULL;
}

static void
draw_narration(struct ui *ui, struct canvas *cv, int y, int x, int w, int h)
{
	const struct journal	*j = session_journal(ui->s);
	size_t			 k = ui_shown(ui), end, from;
	const struct jevent	*ev[8];
	int			 n = 0, lines = 0, used;
	char			 buf[512];

	heading(cv, y, x, w, ui_str(ui, M_NARRATION));
	y++;
	h--;
	if (ui->msg[0] != '\0' && h > 0) {
		used = text_lines(ui->msg, w - 2);
		used = used < h ? used : h;
		canvas_wrap(cv, y + h - used, x + 1, w - 2, used,
		    ui->msg_style, ui->msg);
		h -= used;
	}
	if (k > 0 && ui->pos == floor(ui->pos) && step_event(ui, k, JE_ASK)) {
		draw_question(ui, cv, y, x + 1, w - 2, h, k);
		return;
	}
	if (ui->s->error != NULL && h > 0) {
		msg_format(buf, sizeof buf, M_SCRIPT_STOPPED, ui->lang,
		    ui->s->error);
		used = text_lines(buf, w - 2);
		used = used < h ? used : h;
		canvas_wrap(cv, y + h - used, x + 1, w - 2, used, ST_BAD, buf);
		h -= used;
	}
	/* The newest narration first, then older ones while they fit. */
	end = session_applied(ui->s, k);
	from = end;
	while (from > 0 && n < 8) {
		const struct jevent	*e = &j->ev[--from];

		if (narration_text(ui, e, buf, sizeof buf) != NULL)
			ev[n++] = e;
	}
	for (int i = 0; i < n; i++) {
		const char	*t = narration_text(ui, ev[i], buf, sizeof buf);
		int		 need = text_lines(t, w - 2);

		if (lines + need > h) {
			if (i > 0)
				break;
			need = h - lines;
		}
		lines += need;
		canvas_wrap(cv, y + h - lines, x + 1, w - 2, need,
		    ev[i]->type == JE_EXPECT ? ST_BAD : i == 0 ? ST_NORMAL :
		    ST_DIM, t);
	}
}

/*
 * The rows the narration of the step shown needs at width w: its lines
 * in the learner's language, failed expectations, the message, and the
 * heading.  Older narration only fills what is left.
 */
static int
narration_need(const struct ui *ui, int w)
{
	const struct journal	*j = session_journal(ui->s);
	size_t			 k = ui_shown(ui);
	int			 need = 1;
	char			 buf[512];

	if (ui->msg[0] != '\0')
		need += text_lines(ui->msg, w);
	if (k == 0)
		return need;
	for (size_t i = session_applied(ui->s, k - 1);
	    i < session_applied(ui->s, k); i++) {
		const char	*t = narration_text(ui, &j->ev[i], buf,
		    sizeof buf);

		if (t != NULL)
			need += text_lines(t, w);
	}
	return need;
}

static void
draw_help(struct ui *ui, struct canvas *cv)
{
	const char	*help = ui_str(ui, M_HELP);
	const char	*more = ui->s->sandbox ? ui_str(ui, M_HELP_SANDBOX) : "";
	int		 lines = 0, width = 0, w, h, y, x;
	char		 line[256];

	for (int pass = 0; pass < 2; pass++) {
		const char	*p = pass == 0 ? help : more;

		while (*p != '\0') {
			size_t	 n = strcspn(p, "\n");

			snprintf(line, sizeof line, "%.*s", (int)n, p);
			if (text_width(line) > width)
				width = text_width(line);
			lines++;
			p += n + (p[n] == '\n');
		}
	}
	w = width + 4 < cv->w ? width + 4 : cv->w;
	h = lines + 4 < cv->h ? lines + 4 : cv->h;
	y = (cv->h - h) / 2;
	x = (cv->w - w) / 2;
	for (int i = 0; i < h; i++)
		canvas_fill(cv, y + i, x, w, ' ', ST_NORMAL);
	canvas_box(cv, y, x, h, w, ST_HEADING);
	canvas_text(cv, y, x + 2, w - 4, ST_HEADING, ui_str(ui, M_HELP_TITLE));
	lines = 0;
	for (int pass = 0; pass < 2; pass++) {
		const char	*p = pass == 0 ? help : more;

		while (*p != '\0' && lines < h - 3) {
			size_t	 n = strcspn(p, "\n");

			canvas_textn(cv, y + 1 + lines++, x + 2, w - 4,
			    pass ? ST_HILITE : ST_NORMAL, p, n);
			p += n + (p[n] == '\n');
		}
	}
	canvas_text(cv, y + h - 2, x + 2, w - 4, ST_DIM,
	    ui_str(ui, M_HELP_CLOSE));
}

static void
draw_too_small(struct ui *ui, struct canvas *cv)
{
	char	 buf[256];
	int	 lines;

	msg_format(buf, sizeof buf, M_TOO_SMALL, ui->lang, MIN_W, MIN_H,
	    cv->w, cv->h);
	lines = text_lines(buf, cv->w);
	canvas_wrap(cv, (cv->h - lines) / 2, 0, cv->w, cv->h, ST_BAD, buf);
}

void
ui_draw(struct ui *ui, struct canvas *cv)
{
	const struct jevent *q;
	int		 body = cv->h - 2, lw = cv->w, narr, detail = 0, dw;

	canvas_clear(cv);
	if (ui->nhit != cv->h) {
		ui->nhit = cv->h;
		ui->hit = xreallocarray(ui->hit, (size_t)cv->h,
		    sizeof *ui->hit);
	}
	for (int i = 0; i < cv->h; i++)
		ui->hit[i] = -1;
	if (cv->w < MIN_W || cv->h < MIN_H) {
		draw_too_small(ui, cv);
		return;
	}
	if (ui->s == NULL) {
		ui_menu_draw(ui, cv);
		return;
	}
	ui_build_rows(ui);
	draw_status(ui, cv);
	draw_footer(ui, cv);
	dw = ui_diagram_width();
	if (cv->w >= 80 + dw + 1 && body >= ui_diagram_height() &&
	    ui->panel != PANEL_DIAGRAM) {
		lw = cv->w - dw - 1;
		ui_diagram_draw(ui, cv, 1, lw + 1, dw, body);
	}
	if (ui->panel == PANEL_DIAGRAM) {
		ui_diagram_draw(ui, cv, 1, 0, cv->w, body);
	} else if (ui->panel == PANEL_DETAIL) {
		ui_detail_draw(ui, cv, 1, 0, lw, body);
	} else {
		int	 need;

		narr = body >= 30 ? 8 : 5;
		/* An open question, or a long step's narration, takes the
		 * room it needs, up to half the screen. */
		if (ui->pos == floor(ui->pos) &&
		    (q = question(ui, ui_shown(ui))) != NULL)
			need = text_lines(q->text, lw - 2) +
			    q->u.say.ask->nchoices + 2 + (q->u.say.ask->why ?
			    text_lines(q->u.say.ask->why, lw - 2) : 0);
		else
			need = narration_need(ui, lw - 2);
		if (need > narr)
			narr = need < body / 2 ? need : body / 2;
		if (body >= 44)
			detail = 17;
		ui_ladder_draw(ui, cv, 1, 0, lw, body - narr - detail);
		if (detail > 0)
			ui_detail_draw(ui, cv, 1 + body - narr - detail, 0, lw,
			    detail);
		draw_narration(ui, cv, 1 + body - narr, 0, lw, narr);
	}
	if (ui->help)
		draw_help(ui, cv);
}
