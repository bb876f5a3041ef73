/*
 * The narration panel: an open question with its choices and, once
 * answered, whether it was right and why; else the script's latest lines
 * in the learner's language, newest at the bottom, and any expectation
 * that failed.  A message for the learner (a key's answer) goes under it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "util.h"
#include "view.h"

#define NARRATION_KEEP	8	/* older steps looked back over, at most */

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

/*
 * The question at step k, in the learner's language where it has one,
 * if its premise still holds (session_holds): a question about a run
 * the learner has changed is not asked.
 */
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
		if (!session_holds(ui->s, i))
			return NULL;
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
	const char		*sep;

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
	/* Chinese puts no space after its full stop. */
	sep = ui->lang == LANG_ZH ? "" : " ";
	if (chosen == q->answer)
		snprintf(buf, sizeof buf, "%s%s%s", ui_str(ui, M_RIGHT),
		    q->why ? sep : "", q->why ? q->why : "");
	else {
		int n = msg_format(buf, sizeof buf, M_WRONG, ui->lang,
		    q->choices[q->answer]);

		if (q->why != NULL && n > 0 && (size_t)n < sizeof buf)
			snprintf(buf + n, sizeof buf - (size_t)n, "%s%s", sep,
			    q->why);
	}
	used += canvas_wrap(cv, y + used, x, w, h - used,
	    chosen == q->answer ? ST_GOOD : ST_BAD, buf);
	return used;
}

/* The rows the step's lines take at width w. */
static int
step_rows(const struct narration *st, int w)
{
	int	 rows = 0;

	for (int i = 0; i < st->n; i++)
		rows += text_lines(st->line[i].text, w);
	return rows;
}

/* Leave out the least needed lines until the rest fit in h rows. */
static void
step_fit(struct narration *st, int w, int h)
{
	for (int rank = 3; rank > 0 && step_rows(st, w) > h; rank--) {
		for (int i = st->n; i-- > 0 && step_rows(st, w) > h; ) {
			if (st->line[i].rank != rank)
				continue;
			memmove(&st->line[i], &st->line[i + 1],
			    (size_t)(st->n - i - 1) * sizeof st->line[i]);
			st->n--;
		}
	}
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
	const struct jevent	*q = shown_question(ui);
	size_t			 k = ui_shown(ui);
	int			 need = 1;
	struct narration	*st;

	(void)h;
	*ww = w;
	if (ui->msg[0] != '\0')
		need += text_lines(ui->msg, w - 2);
	if (q != NULL) {
		*wh = need - 1 + ui_question_rows(q, w - 2);
		return;
	}
	/* The step's lines, and the script's last lines before them if
	 * the step has none of its own: the teacher's words stay in view
	 * while the events they explain go by. */
	st = xmalloc(sizeof *st);
	for (size_t back = 0; back < NARRATION_KEEP && back < k; back++) {
		narrate_step(ui->s, k - back, ui->lang, st);
		if (back == 0)
			need += step_rows(st, w - 2);
		if (back == 0 && st->scripted)
			break;
		if (back > 0 && st->scripted) {
			need += step_rows(st, w - 2);
			break;
		}
	}
	free(st);
	*wh = need;
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	size_t			 k = ui_shown(ui);
	struct narration	*st;
	int			 used;
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
	    ui_question(ui, k) != NULL) {
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
	/* The step's own lines, then older steps' above while they fit. */
	st = xmalloc(sizeof *st);
	for (size_t back = 0; back < NARRATION_KEEP && back < k && h > 0;
	    back++) {
		int	 rows;

		narrate_step(ui->s, k - back, ui->lang, st);
		if (back == 0)
			step_fit(st, w - 2, h);
		for (int i = st->n; i-- > 0 && h > 0; ) {
			const struct nline *l = &st->line[i];
			uint8_t	 style = l->bad ? ST_BAD : ST_NORMAL;

			rows = text_lines(l->text, w - 2);
			if (rows > h) {
				if (back > 0) {
					h = 0;
					break;
				}
				rows = h;
			}
			canvas_wrap(cv, y + h - rows, x + 1, w - 2, rows,
			    back == 0 || l->bad ? style : ST_DIM, l->text);
			h -= rows;
		}
	}
	free(st);
}

const struct panel panel_narration = { "narration", layout, draw, NULL };
