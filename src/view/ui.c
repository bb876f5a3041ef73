/*
 * The view's state and what the keys do: the position in the timeline
 * (playing, stepping, going back), the selection, the panels, questions,
 * the learner's fates for segments and the sandbox's calls; and the
 * layout of a frame, which places the panels (view.h) and lets each draw.
 */
#include "config.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "util.h"
#include "view.h"

#define STEP_SECONDS	0.35	/* one step with n, at most */
#define NARRATION_ROWS	5	/* the narration's rows, 8 from 30 rows */
#define DETAIL_FROM	44	/* body rows from which the detail shows too */
#define STEPS_AHEAD	256	/* worked out past the position */
#define WORK_SLICE	1024	/* steps worked out between two keys */

static const double speeds[] = { 0.25, 0.5, 1, 2, 4, 8, 16 };
#define NSPEEDS		(int)(sizeof speeds / sizeof speeds[0])
#define SPEED_1X	2

const char *
ui_str(const struct ui *ui, enum msg m)
{
	return msg_text(m, ui->lang);
}

/* A line for the learner under the narration (or the menu). */
static void
say(struct ui *ui, uint8_t style, const char *text)
{
	snprintf(ui->msg, sizeof ui->msg, "%s", text);
	ui->msg_style = style;
}

void
ui_say(struct ui *ui, uint8_t style, enum msg m, ...)
{
	va_list	 ap;

	va_start(ap, m);
	msg_vformat(ui->msg, sizeof ui->msg, m, ui->lang, ap);
	va_end(ap);
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

/*
 * What follows a cause: " (RFC 9293 3.10.4)", "（RFC 9293 第 3.10.4 节）",
 * or nothing where the change is not the RFC's (seen in the kernel).
 */
const char *
ui_rfc_note(const struct ui *ui, const struct jevent *e, char buf[64])
{
	const char	*rfc = tcp_causes[e->u.state.cause].rfc;

	if (rfc == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, 64, ui->lang == LANG_EN ? " (RFC 9293 %s)" :
		    "（RFC 9293 第 %s 节）", rfc);
	return buf;
}

/* The first event of a type in step k (from 1), or NULL. */
const struct jevent *
ui_step_event(const struct ui *ui, size_t k, enum jev_type type)
{
	const struct journal	*j = session_journal(ui->s);

	if (k == 0 || k > ui->s->nsteps)
		return NULL;
	for (size_t i = session_applied(ui->s, k - 1);
	    i < session_applied(ui->s, k); i++) {
		if (j->ev[i].type == type)
			return &j->ev[i];
	}
	return NULL;
}

/* ---- the player ------------------------------------------------------- */

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

	if (ui_step_event(ui, k, JE_SAY) != NULL ||
	    ui_step_event(ui, k, JE_ASK) != NULL)
		beat = 1.2;
	if (gap > 1)
		gap = 1 + 1.5 * log(gap);
	return gap > beat ? gap : beat;
}

/*
 * The view's data for the timeline as the session now knows it: worked
 * out at least STEPS_AHEAD steps past where the view is or is going;
 * display times and the ladder's rows made for the steps new or changed;
 * when the timeline changed, answers kept up to the position only.
 */
static void
sync(struct ui *ui)
{
	struct player	*p = &ui->play;
	struct quiz	*q = &ui->quiz;
	size_t		 n, same, rows, from, k = ui_shown(ui);

	if (ui->s == NULL)
		return;
	session_need(ui->s, (k > p->target ? k : p->target) + STEPS_AHEAD);
	session_changes(ui->s, &same, &rows);
	n = ui->s->nsteps;
	if (same >= ui->synced && rows >= ui->synced && n == ui->synced)
		return;
	same = same < ui->synced ? same : ui->synced;
	rows = rows < same ? rows : same;
	p->cum = xreallocarray(p->cum, n + 1, sizeof *p->cum);
	p->cum[0] = 0;
	for (size_t i = same + 1; i <= n; i++)
		p->cum[i] = p->cum[i - 1] + step_seconds(ui, i);
	p->ncum = n + 1;
	from = same < ui->synced ? k + 1 : ui->synced + 1;
	if (from > ui->synced + 1)
		from = ui->synced + 1;
	q->answers = xreallocarray(q->answers, n + 1, sizeof *q->answers);
	for (size_t i = from; i <= n; i++)
		q->answers[i] = 0;
	q->nanswers = n + 1;
	/* A recording's answers: given as the learner gave them. */
	for (size_t i = 0; i < ui->s->asks.n; i++) {
		const struct jevent *e = &session_journal(ui->s)->ev[
		    ui->s->asks.ev[i]];
		size_t	 at = session_step_of(ui->s, ui->s->asks.ev[i]);

		if (at >= from && at <= n && e->u.ask.q->answered > 0)
			q->answers[at] = (uint8_t)e->u.ask.q->answered;
	}
	if (p->pos > (double)n)
		p->pos = (double)n;
	if (p->target > n)
		p->target = n;
	ladder_sync(ui, rows);
	ui->synced = n;
}

/* Sync when the view comes near the end of what is known. */
static void
look_ahead(struct ui *ui, size_t k)
{
	if (k + STEPS_AHEAD / 2 > ui->synced && !session_done(ui->s))
		sync(ui);
}

/* Show a session from its beginning, forgetting the last one's view. */
static void
view_open(struct ui *ui, struct session *s)
{
	ui->s = s;
	ui->play.pos = 0;
	ui->play.target = 0;
	ui->play.playing = ui->play.stepping = false;
	ui->play.speed = SPEED_1X;
	ui->sel = -1;
	ui->panel = PANEL_LADDER;
	ui->help = false;
	ui->act_side = SIDE_NONE;
	ui->msg[0] = '\0';
	ui->quiz.nanswers = 0;
	ui->synced = 0;
	ui->ladder.steps = 0;
	ui->ladder.nrows = 0;
	sync(ui);
	if (s->live != NULL)
		ui_say(ui, ST_DIM, M_LIVE_HINT);
	else if (s->sandbox)
		ui_say(ui, ST_DIM, M_SANDBOX_HINT);
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
	ui->course.cat = cat;
	ui->course.menu = true;
}

/* The session shown is this lesson of the catalog: keep its progress. */
void
ui_set_lesson(struct ui *ui, struct catalog *cat, struct lesson *l)
{
	ui->course.cat = cat;
	ui->course.lesson = l;
}

/* Open a lesson from the menu: 0, or -1 with the reason said. */
int
ui_open_lesson(struct ui *ui, struct lesson *l)
{
	char		 err[1024];

	if (session_open_file(&ui->course.own, l->path, err, sizeof err) ==
	    -1) {
		ui_say(ui, ST_BAD, M_OPEN_FAILED, err);
		return -1;
	}
	ui->course.lesson = l;
	view_open(ui, &ui->course.own);
	return 0;
}

/* Back from a lesson to the menu. */
static void
close_lesson(struct ui *ui)
{
	if (ui->s == &ui->course.own)
		session_close(&ui->course.own);
	ui->s = NULL;
	ui->course.lesson = NULL;
	ui->msg[0] = '\0';
	/* What other instances finished meanwhile shows too. */
	catalog_reload(ui->course.cat);
}

void
ui_free(struct ui *ui)
{
	if (ui->s == &ui->course.own)
		session_close(&ui->course.own);
	free(ui->play.cum);
	free(ui->quiz.answers);
	free(ui->ladder.rows);
	free(ui->ladder.seg_row);
	free(ui->ladder.hit);
	memset(ui, 0, sizeof *ui);
}

static int	 skipped(const struct ui *);
static void	 seg_label(const struct ui *, int, char *, size_t);
static void	 live_edge(struct ui *);
static void	 live_follow(struct ui *);
static void	 changed(struct ui *);

/*
 * Keep the learner's progress in the lesson shown: finished once its
 * last step is reached with every question answered, and the most
 * questions answered right.  A save that failed is tried again at the
 * next key (retry), not at every frame.
 */
static void
note_progress(struct ui *ui, bool retry)
{
	struct lesson	*l = ui->course.lesson;
	bool		 changed = false;
	char		 err[512];
	int		 right, asked;

	if (l == NULL || ui->course.cat == NULL || ui->s == NULL ||
	    ui->s->sandbox)
		return;
	if (!l->finished && ui->s->nsteps > 0 && session_done(ui->s) &&
	    ui_shown(ui) >= ui->s->nsteps && skipped(ui) == 0) {
		l->finished = true;
		changed = true;
	}
	ui_score(ui, &right, &asked);
	if (right > l->questions)
		right = l->questions;
	if (asked > 0 && right > l->best) {
		l->best = right;
		changed = true;
	}
	/* A save that failed is tried again at each key, and said again
	 * until it works: the learner must not think it was kept. */
	if (!changed && !(ui->course.unsaved && retry))
		return;
	ui->course.unsaved = catalog_save(ui->course.cat, err,
	    sizeof err) == -1;
	if (ui->course.unsaved)
		ui_say(ui, ST_BAD, M_SAVE_FAILED, err);
}

/* The steps whose events are all shown. */
size_t
ui_shown(const struct ui *ui)
{
	return (size_t)floor(ui->play.pos);
}

/* Virtual time at the position, moving smoothly between steps. */
vtime_t
ui_vtime(const struct ui *ui)
{
	size_t	 k = ui_shown(ui);
	double	 f = ui->play.pos - (double)k;
	vtime_t	 a = session_time(ui->s, k);

	if (k >= ui->s->nsteps || f <= 0)
		return a;
	return a + (vtime_t)(f * (double)(session_time(ui->s, k + 1) - a));
}

/* The speed factor, 1 at 1x. */
double
ui_speed(const struct ui *ui)
{
	return speeds[ui->play.speed];
}

/* Whether a long wait is being compressed on screen just now. */
bool
ui_fast(const struct ui *ui)
{
	size_t	 k = ui_shown(ui);

	return k < ui->s->nsteps && session_time(ui->s, k + 1) -
	    session_time(ui->s, k) > VT_SEC(1) && ui_animating(ui);
}

/* Display seconds at the position. */
static double
display_at(const struct ui *ui, double pos)
{
	const struct player	*p = &ui->play;
	size_t			 k = (size_t)floor(pos);

	if (k + 1 >= p->ncum)
		return p->cum[p->ncum - 1];
	return p->cum[k] + (pos - (double)k) * (p->cum[k + 1] - p->cum[k]);
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
	a = ui->play.cum[session_step_of(ui->s, sent)];
	b = ui->play.cum[session_step_of(ui->s, end)];
	now = display_at(ui, ui->play.pos);
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
	session_states(ui->s, ui_shown(ui), state, last);
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
	return session_last_seg(ui->s, ui_shown(ui));
}

bool
ui_animating(const struct ui *ui)
{
	return ui->s != NULL && (ui->play.playing || ui->play.stepping);
}

/* A question at step k not yet answered. */
static const struct jevent *
open_question(const struct ui *ui, size_t k)
{
	const struct jevent	*e = ui_question(ui, k);

	if (e == NULL || k >= ui->quiz.nanswers || ui->quiz.answers[k] != 0)
		return NULL;
	return e;
}

/* Playing stops where the script pauses or asks. */
static bool
stops_at(const struct ui *ui, size_t k)
{
	return ui_step_event(ui, k, JE_PAUSE) != NULL ||
	    open_question(ui, k) != NULL || k >= ui->s->nsteps;
}

/*
 * The score: the questions answered, and how many right.  Worked out
 * from the answers each time, so that a question whose premise the
 * learner broke since (ui_question) no longer counts.
 */
void
ui_score(const struct ui *ui, int *right, int *asked)
{
	*right = *asked = 0;
	for (size_t k = 1; k < ui->quiz.nanswers; k++) {
		const struct jevent	*q;

		if (ui->quiz.answers[k] == 0 ||
		    (q = ui_question(ui, k)) == NULL)
			continue;
		(*asked)++;
		*right += ui->quiz.answers[k] - 1 == q->u.ask.q->answer;
	}
}

/* The questions passed over unanswered in the steps shown. */
static int
skipped(const struct ui *ui)
{
	const struct evlist	*asks = &ui->s->asks;
	size_t			 shown = ui_shown(ui), last = 0;
	int			 n = 0;

	/* By the questions, not the steps: a run may have 100,000. */
	for (size_t i = 0; i < asks->n; i++) {
		size_t	 k = session_step_of(ui->s, asks->ev[i]);

		if (k > shown || k == last || k >= ui->quiz.nanswers)
			continue;
		last = k;
		n += ui->quiz.answers[k] == 0 && ui_question(ui, k) != NULL;
	}
	return n;
}

static void
at_end(struct ui *ui)
{
	int	 n;

	/* An error said on the way stays in view. */
	if (ui->msg[0] != '\0' && ui->msg_style == ST_BAD)
		return;
	if (ui->s->live != NULL && session_live_held(ui->s) != -1) {
		char	 label[16];
		int	 seg = session_live_held(ui->s);

		seg_label(ui, seg, label, sizeof label);
		ui_say(ui, ST_DIM, M_LIVE_HELD, seg + 1, label);
	} else if (ui->s->live != NULL)
		ui_say(ui, ST_DIM, M_LIVE_NONE_HELD);
	else if (ui->s->sandbox)
		ui_say(ui, ST_DIM, M_AT_END_SANDBOX);
	else if ((n = skipped(ui)) > 0)
		ui_say(ui, ST_HILITE, M_AT_END_SKIPPED, n);
	else
		ui_say(ui, ST_DIM, M_AT_END);
}

/*
 * The question the learner is at, if it waits for an answer: no key but
 * an answer moves on past it or covers it (End skips, and says so).
 */
static const struct jevent *
waiting_question(const struct ui *ui)
{
	if (ui->s == NULL || ui->play.pos != floor(ui->play.pos))
		return NULL;
	return open_question(ui, ui_shown(ui));
}

static bool
refuse_at_question(struct ui *ui)
{
	const struct jevent	*q = waiting_question(ui);

	if (q == NULL)
		return false;
	ui_say(ui, ST_HILITE, M_ANSWER_FIRST, q->u.ask.q->nchoices);
	return true;
}

static void
arrived(struct ui *ui, size_t k)
{
	struct player	*p = &ui->play;

	if (p->stepping && k >= p->target)
		p->stepping = false;
	if (p->playing && stops_at(ui, k))
		p->playing = false;
	if (k >= ui->s->nsteps) {
		p->playing = p->stepping = false;
		at_end(ui);
	}
}

/* Let dt seconds of wall time pass. */
void
ui_advance(struct ui *ui, double dt)
{
	struct player	*p = &ui->play;

	while (dt > 0 && ui_animating(ui)) {
		size_t	 k = ui_shown(ui);
		double	 dur, rem;

		look_ahead(ui, k + 1);
		if (k >= ui->s->nsteps) {
			arrived(ui, k);
			break;
		}
		dur = step_seconds(ui, k + 1) / speeds[p->speed];
		if (p->stepping && dur > STEP_SECONDS)
			dur = STEP_SECONDS;
		rem = ((double)(k + 1) - p->pos) * dur;
		if (dt < rem) {
			p->pos += dt / dur;
			break;
		}
		dt -= rem;
		p->pos = (double)(k + 1);
		arrived(ui, k + 1);
	}
	note_progress(ui, false);
}

/*
 * Whether the timeline is still being worked out; ui_work does a slice
 * of it, which the terminal runs while no key waits.
 */
bool
ui_working(const struct ui *ui)
{
	return ui->s != NULL && !session_done(ui->s);
}

void
ui_work(struct ui *ui)
{
	if (ui->s == NULL)
		return;
	session_more(ui->s, WORK_SLICE);
	sync(ui);
}

/* Whether a live engine (the kernel's sandbox) runs under the view. */
bool
ui_live(const struct ui *ui)
{
	return ui->s != NULL && ui->s->live != NULL && !ui->s->live_dead;
}

/*
 * Take in what the kernels did meanwhile: true if the picture changed.
 * A learner at the end of the timeline (or stepping or playing to it)
 * sees it happen; one who went back stays there.
 */
bool
ui_live_poll(struct ui *ui)
{
	struct player	*p = &ui->play;
	size_t		 before = ui->s->nsteps;
	bool		 follow = p->pos >= (double)before ||
			     (ui_animating(ui) && (p->playing ||
			     p->target >= before));
	char		 err[512];
	int		 r = session_live_poll(ui->s, err, sizeof err);

	if (r == -1) {
		say(ui, ST_BAD, err);
		return true;
	}
	if (r == 0)
		return false;
	sync(ui);
	if (follow && ui->s->nsteps > before) {
		p->playing = false;
		live_follow(ui);
	}
	return true;
}

/*
 * Live: what has happened has happened; a key that acts on the kernels
 * acts at the end of the timeline, and the view goes there first.
 */
static void
live_edge(struct ui *ui)
{
	ui->play.playing = ui->play.stepping = false;
	ui->play.pos = (double)ui->s->nsteps;
}

/* Live: what the key made happen, shown a step at a time. */
static void
live_follow(struct ui *ui)
{
	ui->play.target = ui->s->nsteps;
	ui->play.stepping = ui_shown(ui) < ui->play.target;
}

/* Jump to where the animation is going (the headless frames). */
void
ui_finish(struct ui *ui)
{
	while (ui_animating(ui))
		ui_advance(ui, 1e9);
}

/* A single step animating is done at once: the key that follows acts. */
static void
settle(struct ui *ui)
{
	if (ui->play.stepping)
		ui->play.pos = (double)ui->play.target;
	ui->play.stepping = false;
}

/* ---- what the keys do ------------------------------------------------- */

typedef enum ui_result action_fn(struct ui *, int);

static enum ui_result
act_quit(struct ui *ui, int arg)
{
	(void)arg;
	/* An overlay closes first: q never quits from inside one. */
	if (ui->s != NULL && ui->panel != PANEL_LADDER) {
		ui->panel = PANEL_LADDER;
		return UI_RELAYOUT;
	}
	if (ui->s == NULL || !ui->course.menu)
		return UI_QUIT;
	close_lesson(ui);
	return UI_REDRAW;
}

static enum ui_result
act_next(struct ui *ui, int arg)
{
	struct player	*p = &ui->play;
	size_t		 k;

	(void)arg;
	p->playing = false;
	if (p->stepping)
		p->pos = (double)p->target;
	if (refuse_at_question(ui))
		return UI_REDRAW;
	/* Live: the segment held longest goes on, whatever step is
	 * shown (the kernels' clocks do not wait for the view). */
	if (ui_live(ui)) {
		char	 err[512];
		int	 r;

		live_edge(ui);
		r = session_live_step(ui->s, err, sizeof err);
		sync(ui);
		if (r == -1) {
			say(ui, ST_BAD, err);
			return UI_REDRAW;
		}
		if (r == 0) {
			ui_say(ui, ST_DIM, M_LIVE_NONE_HELD);
			return UI_REDRAW;
		}
		ui->msg[0] = '\0';
		live_follow(ui);
		return UI_REDRAW;
	}
	k = ui_shown(ui);
	look_ahead(ui, k + 1);
	if (k >= ui->s->nsteps) {
		p->stepping = false;
		at_end(ui);
		return UI_REDRAW;
	}
	ui->msg[0] = '\0';
	p->target = k + 1;
	p->stepping = true;
	return UI_REDRAW;
}

/* To the step before the one shown (or, paused between two, the first). */
static enum ui_result
act_back(struct ui *ui, int arg)
{
	struct player	*p = &ui->play;
	double		 k = floor(p->pos);

	(void)arg;
	if (p->stepping && k > 0)
		k -= 1;
	p->playing = p->stepping = false;
	ui->msg[0] = '\0';
	if (p->pos <= 0) {
		ui_say(ui, ST_DIM, M_AT_START);
		return UI_REDRAW;
	}
	p->pos = k == p->pos ? k - 1 : k;
	return UI_REDRAW;
}

static enum ui_result
act_play(struct ui *ui, int arg)
{
	struct player	*p = &ui->play;

	(void)arg;
	if (p->playing) {
		p->playing = false;
		return UI_REDRAW;
	}
	settle(ui);
	if (refuse_at_question(ui))
		return UI_REDRAW;
	look_ahead(ui, ui_shown(ui) + 1);
	if (ui_shown(ui) >= ui->s->nsteps)
		p->pos = 0;
	ui->msg[0] = '\0';
	p->playing = ui->s->nsteps > 0;
	return UI_REDRAW;
}

/* Home and End: the beginning, or the end, at once. */
static enum ui_result
act_jump(struct ui *ui, double pos)
{
	ui->play.playing = ui->play.stepping = false;
	ui->msg[0] = '\0';
	ui->play.pos = pos;
	return UI_REDRAW;
}

static enum ui_result
act_start(struct ui *ui, int arg)
{
	(void)arg;
	return act_jump(ui, 0);
}

static enum ui_result
act_end(struct ui *ui, int arg)
{
	(void)arg;
	session_complete(ui->s);
	sync(ui);
	act_jump(ui, (double)ui->s->nsteps);
	at_end(ui);
	return UI_REDRAW;
}

static enum ui_result
act_faster(struct ui *ui, int arg)
{
	(void)arg;
	if (ui->play.speed + 1 < NSPEEDS)
		ui->play.speed++;
	return UI_REDRAW;
}

static enum ui_result
act_slower(struct ui *ui, int arg)
{
	(void)arg;
	if (ui->play.speed > 0)
		ui->play.speed--;
	return UI_REDRAW;
}

static enum ui_result
act_restart(struct ui *ui, int arg)
{
	char	 err[512];
	size_t	 changes = ui->s->live != NULL ? 0 : ui->s->sandbox ?
		     ui->s->script->ncmds : ui->s->niv;

	(void)arg;
	/* What the learner did is not thrown away on one key. */
	if (changes > 0 && !ui->restarting) {
		ui->restarting = true;
		ui_say(ui, ST_HILITE, ui->s->sandbox ? M_RESTART_SANDBOX :
		    M_RESTART_LESSON, (int)changes);
		return UI_REDRAW;
	}
	ui->restarting = false;
	ui->play.pos = 0;
	ui->play.playing = ui->play.stepping = false;
	ui->sel = -1;
	ui->quiz.nanswers = 0;
	if (session_restart(ui->s, err, sizeof err) == -1)
		say(ui, ST_BAD, err);
	else
		ui_say(ui, ST_DIM, M_RESTARTED);
	changed(ui);
	sync(ui);
	return UI_REDRAW;
}

/* Choose the next segment shown that way (dir 1 or -1), maybe wrapping. */
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

static enum ui_result
act_select(struct ui *ui, int dir)
{
	select_move(ui, dir, true);
	return UI_REDRAW;
}

static enum ui_result
act_select_step(struct ui *ui, int dir)
{
	if (dir < 0 && ui->sel < 0)
		ui->sel = ui_selected(ui);
	select_move(ui, dir, false);
	return UI_REDRAW;
}

static enum ui_result
act_follow(struct ui *ui, int arg)
{
	(void)arg;
	/* Esc closes an overlay; on the ladder it follows the newest. */
	if (ui->panel != PANEL_LADDER) {
		ui->panel = PANEL_LADDER;
		return UI_RELAYOUT;
	}
	ui->sel = -1;
	ui->msg[0] = '\0';
	return UI_REDRAW;
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
static enum ui_result
act_fate(struct ui *ui, int arg)
{
	static const enum msg will[] = {
		[RULE_DROP] = M_WILL_DROP,
		[RULE_DELAY] = M_WILL_DELAY,
		[RULE_DUP] = M_WILL_DUP,
		[RULE_REORDER] = M_NONE,
		[RULE_HOLD] = M_WILL_HOLD,
	};
	enum rule_kind	 kind = (enum rule_kind)arg;
	char		 err[512], label[16];
	int		 seg = -1, set;

	settle(ui);
	if (ui_live(ui)) {
		live_edge(ui);
		/* H: every segment held, or none. */
		if (kind == RULE_HOLD) {
			bool	 on = ui->s->live_free;

			if (session_live_hold(ui->s, on, err, sizeof err) == -1)
				say(ui, ST_BAD, err);
			else
				ui_say(ui, ST_HILITE, on ? M_LIVE_HOLD_ON :
				    M_LIVE_HOLD_OFF);
			sync(ui);
			live_follow(ui);
			return UI_REDRAW;
		}
	}
	if (ui->sel >= 0 && seg_visible(ui, ui->sel)) {
		if (!seg_in_flight(ui, ui->sel)) {
			ui_say(ui, ST_BAD, M_DONE_ALREADY, ui->sel + 1);
			return UI_REDRAW;
		}
		seg = ui->sel;
	} else if (ui_live(ui) && session_live_held(ui->s) != -1) {
		seg = session_live_held(ui->s);
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
			ui_say(ui, ST_BAD, M_NOTHING_SENT);
			return UI_REDRAW;
		}
		session_set_pending(ui->s, kind);
		ui_say(ui, ST_HILITE, M_NEXT_SENT,
		    kind == RULE_DROP ? ui_str(ui, M_DROPPED) :
		    kind == RULE_DUP ? ui_str(ui, M_COPY) :
		    kind == RULE_HOLD ? ui_str(ui, M_HELD) : "+1.5 s");
		return UI_REDRAW;
	}
	set = session_toggle(ui->s, seg, kind, err, sizeof err);
	sync(ui);
	if (set == -1) {
		say(ui, ST_BAD, err);
		return UI_REDRAW;
	}
	seg_label(ui, seg, label, sizeof label);
	if (ui->s->live != NULL) {	/* done, not to be done */
		live_follow(ui);
		ui_say(ui, ST_HILITE, kind == RULE_DROP ? M_LIVE_DROPPED :
		    kind == RULE_DUP ? M_LIVE_COPIED : M_LIVE_DELAYED, seg + 1,
		    label);
		changed(ui);
		return UI_REDRAW;
	}
	ui_say(ui, set ? ST_HILITE : ST_DIM, set ? will[kind] : M_TAKEN_BACK,
	    seg + 1, label);
	changed(ui);
	return UI_REDRAW;
}

/* s and i: a panel over the body, or back to the ladder. */
static enum ui_result
act_panel(struct ui *ui, enum ui_panel panel)
{
	ui->panel = ui->panel == panel ? PANEL_LADDER : panel;
	return UI_RELAYOUT;
}

static enum ui_result
act_diagram(struct ui *ui, int arg)
{
	(void)arg;
	/* The diagram would cover an open question. */
	if (ui->panel != PANEL_DIAGRAM && refuse_at_question(ui))
		return UI_REDRAW;
	return act_panel(ui, PANEL_DIAGRAM);
}

static enum ui_result
act_detail(struct ui *ui, int arg)
{
	(void)arg;
	return act_panel(ui, PANEL_DETAIL);
}

static enum ui_result
act_lang(struct ui *ui, int arg)
{
	(void)arg;
	if (!ui->ascii)
		ui->lang = ui->lang == LANG_EN ? LANG_ZH : LANG_EN;
	return UI_RELAYOUT;
}

/* t: the ladder down a time axis, or one event a row. */
static enum ui_result
act_timeaxis(struct ui *ui, int arg)
{
	(void)arg;
	ui->ladder.compact = !ui->ladder.compact;
	return UI_RELAYOUT;
}

/* p: presenter mode, for a projector: no dim text, large states. */
static enum ui_result
act_present(struct ui *ui, int arg)
{
	(void)arg;
	ui->present = !ui->present;
	return UI_RELAYOUT;
}

static enum ui_result
act_help(struct ui *ui, int arg)
{
	(void)arg;
	ui->help = true;
	return UI_REDRAW;
}

static enum ui_result
act_close_help(struct ui *ui, int arg)
{
	(void)arg;
	ui->help = false;
	return UI_REDRAW;
}

/* A digit at a question: the learner's answer. */
static enum ui_result
act_answer(struct ui *ui, int choice)
{
	size_t			 k = ui_shown(ui);
	const struct jevent	*e;

	if (ui->play.pos != floor(ui->play.pos) ||
	    (e = open_question(ui, k)) == NULL)
		return UI_REDRAW;
	if (choice >= e->u.ask.q->nchoices)
		return UI_REDRAW;
	ui->quiz.answers[k] = (uint8_t)(choice + 1);
	ui->msg[0] = '\0';
	changed(ui);
	return UI_REDRAW;
}

/* Whether the whole timeline is known and shown. */
bool
ui_at_end(const struct ui *ui)
{
	return session_done(ui->s) && ui_shown(ui) >= ui->s->nsteps;
}

/*
 * The right answer to the question waiting, if one waits (a cast plays a
 * lesson through): whether there was one.
 */
bool
ui_answer_right(struct ui *ui)
{
	const struct jevent	*q = waiting_question(ui);

	if (q == NULL)
		return false;
	act_answer(ui, q->u.ask.q->answer);
	return true;
}

/* Sandbox: 1 or 2, a side will act. */
static enum ui_result
act_side(struct ui *ui, int side)
{
	ui->act_side = (enum side)side;
	return UI_REDRAW;
}

static enum ui_result
act_cancel(struct ui *ui, int arg)
{
	(void)arg;
	ui->act_side = SIDE_NONE;
	return UI_REDRAW;
}

/*
 * Sandbox: the learner does something now (a call, a setting, a
 * release).  It happens at the time on the clock, which never goes back:
 * the view stays at that time and plays on from there.
 */
static enum ui_result
sandbox_do(struct ui *ui, struct cmd *c)
{
	struct player	*p = &ui->play;
	char		 err[512];
	size_t		 step, last;
	vtime_t		 now, a, b;

	if (ui->s->live != NULL)
		live_edge(ui);
	if (p->stepping)
		p->pos = (double)p->target;
	/* Acting while the last call still plays out: that call has
	 * happened, the new one comes after it. */
	last = session_last_act(ui->s);
	if (ui_animating(ui) && p->pos < (double)last)
		p->pos = (double)last;
	p->stepping = p->playing = false;
	now = ui_vtime(ui);
	c->at = now;
	if (session_act_cmd(ui->s, ui_shown(ui), c, &step, err,
	    sizeof err) == -1) {
		sync(ui);
		say(ui, ST_BAD, err);
		return UI_REDRAW;
	}
	sync(ui);
	/* Live: it happened now, at the end; the view plays on to it. */
	if (ui->s->live != NULL) {
		ui->msg[0] = '\0';
		live_follow(ui);
		changed(ui);
		return UI_REDRAW;
	}
	/* Between the step before it and its own, where the clock was; a
	 * setting makes no step of its own, and the view stays put. */
	if (step > 0 && (a = session_time(ui->s, step - 1)) <= now) {
		double	 f;

		b = session_time(ui->s, step);
		f = b > a ? (double)(now - a) / (double)(b - a) : 0;
		p->pos = (double)(step - 1) + (f > 1 ? 1 : f);
	} else if (p->pos > (double)ui->s->nsteps)
		p->pos = (double)ui->s->nsteps;
	ui->msg[0] = '\0';
	/* Show it happen and what follows, as a program would. */
	p->playing = ui_shown(ui) < ui->s->nsteps;
	changed(ui);
	return UI_REDRAW;
}

/*
 * The sandbox's session changed: the program above writes the recording
 * if there is one, and a failure is said at once.
 */
static void
changed(struct ui *ui)
{
	const char	*err;

	if (ui->save != NULL &&
	    (err = ui->save(ui, false, ui->save_arg)) != NULL)
		ui_say(ui, ST_BAD, M_RECORD_FAILED, err);
}

/* What a save came to, said by the program that made it. */
void
ui_saved(struct ui *ui, const char *path, const char *err)
{
	if (err != NULL)
		ui_say(ui, ST_BAD, M_RECORD_FAILED, err);
	else
		ui_say(ui, ST_GOOD, M_SAVED, path, path);
}

/* Sandbox, w: save the session so far as a recording. */
static enum ui_result
act_save(struct ui *ui, int arg)
{
	const char	*err;

	(void)arg;
	if (ui->save != NULL && (err = ui->save(ui, true, ui->save_arg)) !=
	    NULL)
		ui_say(ui, ST_BAD, M_RECORD_FAILED, err);
	return UI_REDRAW;
}

/* Whether side's keepalive is on, by the learner's last word on it. */
static bool
keepalive_on(const struct ui *ui, enum side side)
{
	const struct script	*sc = ui->s->script;

	for (size_t i = sc->ncmds; i-- > 0; ) {
		const struct cmd	*c = &sc->cmds[i];

		if (c->type == CMD_CALL && c->side == side &&
		    c->u.call.call == CALL_KEEPALIVE)
			return c->u.call.on;
	}
	return false;
}

/* Sandbox: the chosen side makes a call. */
static enum ui_result
act_call(struct ui *ui, int call)
{
	enum side	 side = ui->act_side;
	struct cmd	 c;
	uint32_t	 n = call == CALL_SEND ? 100 : 0;

	ui->act_side = SIDE_NONE;
	if (call == CALL_KEEPALIVE)
		n = !keepalive_on(ui, side);
	script_call(&c, 0, side, (enum tcp_call)call, n);
	return sandbox_do(ui, &c);
}

/* Sandbox, L: the latency from now on, 0, 20 ms or 200 ms in turn. */
static enum ui_result
act_latency(struct ui *ui, int arg)
{
	static const vtime_t	 steps[] = { 0, VT_MS(20), VT_MS(200) };
	const struct script	*sc = ui->s->script;
	vtime_t			 cur = 0;
	struct cmd		 c;
	size_t			 i;

	(void)arg;
	for (i = sc->ncmds; i-- > 0; ) {
		if (sc->cmds[i].type == CMD_SET &&
		    sc->cmds[i].u.set->key == SET_LATENCY) {
			cur = sc->cmds[i].u.set->d[0];
			break;
		}
	}
	for (i = 0; i < nitems(steps) && steps[i] != cur; i++)
		;
	memset(&c, 0, sizeof c);
	c.type = CMD_SET;
	c.u.set = xcalloc(1, sizeof *c.u.set);
	c.u.set->key = SET_LATENCY;
	c.u.set->d[0] = steps[(i + 1) % nitems(steps)];
	sandbox_do(ui, &c);
	if (ui->msg[0] == '\0')
		ui_say(ui, ST_HILITE, M_LATENCY_SET,
		    (int)(c.u.set->d[0] / 1000));
	return UI_REDRAW;
}

/* Sandbox, R: the segments held so far go on their way now. */
static enum ui_result
act_release(struct ui *ui, int arg)
{
	struct cmd	 c;

	(void)arg;
	if (ui->s->live != NULL) {
		char	 err[512];

		live_edge(ui);
		if (session_live_release(ui->s, err, sizeof err) == -1) {
			sync(ui);
			say(ui, ST_BAD, err);
			return UI_REDRAW;
		}
		sync(ui);
		live_follow(ui);
		ui_say(ui, ST_HILITE, M_RELEASED);
		return UI_REDRAW;
	}
	memset(&c, 0, sizeof c);
	c.type = CMD_RELEASE;
	c.u.rule.dir = -1;
	sandbox_do(ui, &c);
	if (ui->msg[0] == '\0')
		ui_say(ui, ST_HILITE, M_RELEASED);
	return UI_REDRAW;
}

/* Sandbox, P: the same calls again under the other profile. */
static enum ui_result
act_profile(struct ui *ui, int arg)
{
	enum profile_id	 next = session_journal(ui->s)->conn.profile ==
			     PROFILE_LINUX ? PROFILE_RFC9293 : PROFILE_LINUX;
	double		 pos = ui->play.pos;
	char		 err[512];

	(void)arg;
	ui->play.playing = ui->play.stepping = false;
	if (session_set_profile(ui->s, next, err, sizeof err) == -1) {
		sync(ui);
		say(ui, ST_BAD, err);
		return UI_REDRAW;
	}
	ui->synced = 0;
	ui->ladder.steps = ui->ladder.nrows = 0;
	sync(ui);
	ui->play.pos = pos < (double)ui->s->nsteps ? floor(pos) :
	    (double)ui->s->nsteps;
	ui_say(ui, ST_HILITE, M_PROFILE_SET, profiles[next].name);
	changed(ui);
	return UI_RELAYOUT;
}

static action_fn *const actions[UI_NACTIONS] = {
	[A_QUIT] = act_quit,
	[A_PLAY] = act_play,
	[A_NEXT] = act_next,
	[A_BACK] = act_back,
	[A_START] = act_start,
	[A_END] = act_end,
	[A_FASTER] = act_faster,
	[A_SLOWER] = act_slower,
	[A_RESTART] = act_restart,
	[A_SELECT] = act_select,
	[A_SELECT_STEP] = act_select_step,
	[A_FOLLOW] = act_follow,
	[A_FATE] = act_fate,
	[A_DIAGRAM] = act_diagram,
	[A_DETAIL] = act_detail,
	[A_LANG] = act_lang,
	[A_TIMEAXIS] = act_timeaxis,
	[A_PRESENT] = act_present,
	[A_HELP] = act_help,
	[A_ANSWER] = act_answer,
	[A_SIDE] = act_side,
	[A_CALL] = act_call,
	[A_CANCEL] = act_cancel,
	[A_CLOSE_HELP] = act_close_help,
	[A_LATENCY] = act_latency,
	[A_RELEASE] = act_release,
	[A_PROFILE] = act_profile,
	[A_SAVE] = act_save,
	/* The menu's actions are menu.c's (ui_menu_act). */
};

/* Which keys apply now. */
enum keymap
ui_keymap(const struct ui *ui)
{
	if (ui->s == NULL)
		return KEYMAP_MENU;
	if (ui->help)
		return KEYMAP_HELP;
	if (ui->act_side != SIDE_NONE)
		return KEYMAP_CALL;
	return ui->s->sandbox ? KEYMAP_SANDBOX : KEYMAP_VIEW;
}

enum ui_result
ui_key(struct ui *ui, int key)
{
	enum keymap		 map = ui_keymap(ui);
	const struct binding	*b;
	enum ui_result		 r;
	int			 arg = 0;

	sync(ui);
	b = key_lookup(map, key, &arg);
	if (b == NULL || b->action != A_RESTART)
		ui->restarting = false;
	if (map == KEYMAP_MENU)
		return b != NULL ? ui_menu_act(ui, b->action, arg) : UI_NOTHING;
	if (b != NULL) {
		assert(actions[b->action] != NULL);
		r = actions[b->action](ui, arg);
	}
	else if (map == KEYMAP_HELP)
		r = act_close_help(ui, 0);	/* any key closes it */
	else if (map == KEYMAP_CALL)
		r = act_cancel(ui, 0);		/* any other key: no call */
	else
		r = UI_NOTHING;
	note_progress(ui, true);
	return r;
}

/* A click: the panel under it, topmost first, takes it. */
enum ui_result
ui_click(struct ui *ui, int y, int x)
{
	const struct layout	*lo = &ui->layout;

	for (int i = lo->n; i-- > 0; ) {
		const struct rect	*r = &lo->rect[i];

		if (lo->panel[i]->click == NULL || y < r->y ||
		    y >= r->y + r->h || x < r->x || x >= r->x + r->w)
			continue;
		return lo->panel[i]->click(ui, r, y - r->y, x - r->x);
	}
	return UI_NOTHING;
}

/* ---- layout ----------------------------------------------------------- */

/* Place a panel at a rect and let it draw. */
static void
place(struct ui *ui, struct canvas *cv, const struct panel *p, int y, int x,
    int w, int h)
{
	struct layout	*lo = &ui->layout;
	struct rect	 r = { y, x, w, h };

	if (lo->n < UI_MAXPLACED) {
		lo->panel[lo->n] = p;
		lo->rect[lo->n] = r;
		lo->n++;
	}
	p->draw(ui, cv, &r);
}

/*
 * Presenter mode: nothing dim, for a projector washes dim text out; what
 * was plain is bold.  Colours stay, and the words say it all anyway.
 */
static void
present(struct canvas *cv)
{
	for (int i = 0; i < cv->w * cv->h; i++) {
		struct cell	*c = &cv->cells[i];
		uint8_t		 st = c->style & ~ST_SELECTED;

		if (st == ST_DIM || st == ST_NORMAL || st == ST_ACK)
			c->style = (uint8_t)((c->style & ST_SELECTED) |
			    ST_BOLD);
	}
}

/*
 * The frame: the status line at the top and the keys at the bottom; in
 * between the ladder, the segment's detail (from 46 rows) and the
 * narration, or a panel in their place; the state diagram beside them
 * when the screen is wide enough; the help over it all.
 */
void
ui_draw(struct ui *ui, struct canvas *cv)
{
	int	 body = cv->h - 2, lw = cv->w, narr, detail = 0, dw, dh, w;

	sync(ui);
	canvas_clear(cv);
	ui->layout.n = 0;
	if (cv->w < MIN_W || cv->h < MIN_H) {
		place(ui, cv, &panel_small, 0, 0, cv->w, cv->h);
		return;
	}
	if (ui->s == NULL) {
		place(ui, cv, &panel_menu, 0, 0, cv->w, cv->h);
		return;
	}
	place(ui, cv, &panel_status, 0, 0, cv->w, 1);
	place(ui, cv, &panel_footer, cv->h - 1, 0, cv->w, 1);
	panel_diagram.layout(ui, cv->w, body, &dw, &dh);
	if (cv->w >= 80 + dw + 1 && body >= dh &&
	    (ui->panel != PANEL_DIAGRAM || waiting_question(ui) != NULL)) {
		lw = cv->w - dw - 1;
		place(ui, cv, &panel_diagram, 1, lw + 1, dw, body);
	}
	/* An open question, or a long step's narration, takes the room it
	 * needs, up to half the screen. */
	narr = body >= 30 ? 8 : NARRATION_ROWS;
	panel_narration.layout(ui, lw, body, &w, &dh);
	if (dh > narr)
		narr = dh < body / 2 ? dh : body / 2;
	if (ui->panel == PANEL_DIAGRAM && waiting_question(ui) == NULL)
		place(ui, cv, &panel_diagram, 1, 0, cv->w, body);
	else if (ui->panel == PANEL_DETAIL) {
		/* The detail in the ladder's place: the narration stays. */
		place(ui, cv, &panel_detail, 1, 0, lw, body - narr);
		place(ui, cv, &panel_narration, 1 + body - narr, 0, lw, narr);
	} else {
		if (body >= DETAIL_FROM)
			panel_detail.layout(ui, lw, body, &w, &detail);
		place(ui, cv, &panel_ladder, 1, 0, lw, body - narr - detail);
		if (detail > 0)
			place(ui, cv, &panel_detail, 1 + body - narr - detail,
			    0, lw, detail);
		place(ui, cv, &panel_narration, 1 + body - narr, 0, lw, narr);
	}
	if (ui->help) {
		panel_help.layout(ui, cv->w, cv->h, &w, &dh);
		place(ui, cv, &panel_help, (cv->h - dh) / 2, (cv->w - w) / 2,
		    w, dh);
	}
	if (ui->present)
		present(cv);
}
