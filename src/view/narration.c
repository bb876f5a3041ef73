/*
 * The narration panel: an open question with its choices and, once
 * answered, whether it was right and why; else the script's latest lines
 * in the learner's language, newest at the bottom, and any expectation
 * that failed.  A message for the learner (a key's answer) goes under it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "trace.h"
#include "view.h"

#define NARRATION_KEEP	8	/* older lines looked back over, at most */

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
const struct jevent *
ui_question(const struct ui *ui, size_t k)
{
	const struct journal	*j = session_journal(ui->s);
	const struct jevent	*best = NULL;

	if (k == 0 || k > ui->s->nsteps)
		return NULL;
	for (size_t i = session_applied(ui->s, k - 1);
	    i < session_applied(ui->s, k); i++) {
		if (j->ev[i].type != JE_ASK)
			continue;
		if (best == NULL || j->ev[i].x.lang == ui->lang)
			best = &j->ev[i];
	}
	return best;
}

/* The rows a question takes at width w, answered: text, choices, why. */
int
ui_question_rows(const struct jevent *q, int w)
{
	const struct jask	*a = q->u.ask.q;

	return text_lines(a->text, w) + a->nchoices + 2 +
	    (a->why ? text_lines(a->why, w) : 0);
}

static int
draw_question(struct ui *ui, struct canvas *cv, int y, int x, int w, int h,
    size_t k)
{
	const struct jevent	*e = ui_question(ui, k);
	const struct jask	*q;
	int			 used, chosen = ui->quiz.answers[k] - 1;
	char			 buf[512];

	if (e == NULL)
		return 0;
	q = e->u.ask.q;
	used = canvas_wrap(cv, y, x, w, h, ST_HILITE, q->text);
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
 * What an event says in the narration, in the learner's language: a
 * line of the script's, or an expectation that failed; else NULL.
 */
static const char *
narration_text(const struct ui *ui, const struct jevent *e, char *buf,
    size_t len)
{
	char	 what[256];

	if (e->type == JE_SAY && e->x.lang == ui->lang)
		return e->u.say.text;
	if (e->type == JE_EXPECT && !e->u.expect->ok) {
		trace_expect_text(what, sizeof what, session_journal(ui->s), e);
		msg_format(buf, len, M_EXPECT_FAILED, ui->lang, what);
		return buf;
	}
	return NULL;
}

/* Whether an open question is shown: at a step, not on the way to one. */
static const struct jevent *
shown_question(const struct ui *ui)
{
	if (ui->play.pos != floor(ui->play.pos))
		return NULL;
	return ui_question(ui, ui_shown(ui));
}

/*
 * The rows the narration needs at width w: a question's, or the step's
 * own lines in the learner's language, failed expectations, the message
 * and the heading.  Older narration only fills what is left.
 */
static void
layout(const struct ui *ui, int w, int h, int *ww, int *wh)
{
	const struct journal	*j = session_journal(ui->s);
	const struct jevent	*q = shown_question(ui);
	size_t			 k = ui_shown(ui);
	int			 need = 1;
	char			 buf[512];

	(void)h;
	*ww = w;
	if (q != NULL) {
		*wh = ui_question_rows(q, w - 2);
		return;
	}
	if (ui->msg[0] != '\0')
		need += text_lines(ui->msg, w - 2);
	for (size_t i = k > 0 ? session_applied(ui->s, k - 1) : 0;
	    k > 0 && i < session_applied(ui->s, k); i++) {
		const char	*t = narration_text(ui, &j->ev[i], buf,
		    sizeof buf);

		if (t != NULL)
			need += text_lines(t, w - 2);
	}
	*wh = need;
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	size_t			 k = ui_shown(ui);
	const struct jevent	*ev[NARRATION_KEEP];
	int			 n = 0, lines = 0, used;
	int			 y = r->y + 1, x = r->x, w = r->w, h = r->h - 1;
	char			 buf[512];

	heading(cv, r->y, x, w, ui_str(ui, M_NARRATION));
	if (ui->msg[0] != '\0' && h > 0) {
		used = text_lines(ui->msg, w - 2);
		used = used < h ? used : h;
		canvas_wrap(cv, y + h - used, x + 1, w - 2, used,
		    ui->msg_style, ui->msg);
		h -= used;
	}
	if (k > 0 && ui->play.pos == floor(ui->play.pos) &&
	    ui_step_event(ui, k, JE_ASK)) {
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
	n = (int)session_narration(ui->s, k, ui->lang, ev, NARRATION_KEEP);
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

const struct panel panel_narration = { "narration", layout, draw, NULL };
