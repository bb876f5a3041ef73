/*
 * The lesson menu: every lesson by title in the learner's language,
 * grouped, with what the learner finished and the best score.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "view.h"

#define LIST_Y		2	/* the lines start on this row */
#define LIST_SPARE	5	/* rows that are not lines: title, keys, ... */

/* A line of the menu: a group's heading, a lesson, or a blank. */
struct mline {
	int	 group;		/* a heading, or -1 */
	int	 lesson;	/* a lesson, or -1 */
};

static const enum msg group_msgs[NGROUPS + 1] = {
	M_GROUP_OPENING, M_GROUP_CLOSING, M_GROUP_FAILURES, M_GROUP_DETAILS,
	M_GROUP_OTHER,
};

/*
 * The menu's lines into out (room for n + 2 * (NGROUPS + 1)); returns
 * how many.  The lessons are sorted by group already.
 */
static size_t
menu_lines(const struct catalog *cat, struct mline *out)
{
	size_t	 n = 0;
	int	 group = -1;

	for (size_t i = 0; i < cat->n; i++) {
		if (cat->l[i].group != group) {
			if (group != -1)
				out[n++] = (struct mline){ -1, -1 };
			group = cat->l[i].group;
			out[n++] = (struct mline){ group, -1 };
		}
		out[n++] = (struct mline){ -1, (int)i };
	}
	return n;
}

/* The menu's keys (keys.c). */
enum ui_result
ui_menu_act(struct ui *ui, enum ui_action action, int arg)
{
	size_t	 n = ui->course.cat->n, sel = ui->course.sel;

	ui->msg[0] = '\0';
	switch (action) {
	case A_QUIT:
		return UI_QUIT;
	case A_MENU_MOVE:
		if (arg < 0)
			sel = sel > (size_t)-arg ? sel - (size_t)-arg : 0;
		else
			sel += (size_t)arg;
		break;
	case A_MENU_WRAP:
		if (n > 0)
			sel = (sel + n + (size_t)(arg < 0 ? n - 1 : 1)) % n;
		break;
	case A_MENU_FIRST:
		sel = 0;
		break;
	case A_MENU_LAST:
		sel = n - 1;
		break;
	case A_MENU_OPEN:
		if (n > 0)
			ui_open_lesson(ui, &ui->course.cat->l[sel]);
		return UI_REDRAW;
	case A_LANG:
		if (!ui->ascii)
			ui->lang = ui->lang == LANG_EN ? LANG_ZH : LANG_EN;
		return UI_RELAYOUT;
	default:
		return UI_NOTHING;
	}
	ui->course.sel = n == 0 ? 0 : sel >= n ? n - 1 : sel;
	return UI_REDRAW;
}

#define NAME_W		26	/* the name column, from 100 columns */
#define SCORE_W		14	/* "最好成绩 9/9" and a gap */

/* One lesson's line: number, finished mark, title; the score on the right. */
static void
draw_lesson(struct ui *ui, struct canvas *cv, int y, size_t i)
{
	const struct lesson	*l = &ui->course.cat->l[i];
	uint8_t			 sel = i == ui->course.sel ? ST_SELECTED : 0;
	char			 num[16], score[64] = "";
	int			 sw = 0, namew = 0, x = 2;

	canvas_fill(cv, y, 1, cv->w - 2, ' ', ST_NORMAL | sel);
	snprintf(num, sizeof num, "%2zu", i + 1);
	x += canvas_text(cv, y, x, 3, ST_DIM | sel, num) + 1;
	if (l->finished)
		canvas_text(cv, y, x, 1, ST_GOOD | sel, ui->ascii ? "*" : "✓");
	x += 2;
	if (l->questions > 0 && l->best >= 0)
		msg_format(score, sizeof score, M_MENU_BEST, ui->lang, l->best,
		    l->questions);
	else if (l->questions > 0)
		msg_format(score, sizeof score, M_MENU_QUESTIONS, ui->lang,
		    l->questions);
	sw = text_width(score);
	canvas_text(cv, y, cv->w - 2 - sw, sw, (l->best >= 0 ? ST_GOOD :
	    ST_DIM) | sel, score);
	/* Wide screens also show the name that opens it: synfin NAME. */
	if (cv->w >= 100) {
		namew = NAME_W;
		canvas_text(cv, y, cv->w - 2 - SCORE_W - namew, namew,
		    ST_DIM | sel, l->name);
	}
	canvas_text(cv, y, x, cv->w - x - 2 - (namew ? namew + SCORE_W :
	    sw + 2),
	    ST_NORMAL | sel, l->title[ui->lang]);
}

/* The line above the keys: a message, a bad lesson, or how to open it. */
static void
draw_note(struct ui *ui, struct canvas *cv, int y)
{
	const struct catalog	*cat = ui->course.cat;
	char			 buf[1280];

	if (ui->msg[0] != '\0') {
		canvas_text(cv, y, 1, cv->w - 2, ui->msg_style, ui->msg);
		return;
	}
	if (cat->nbad > 0) {
		msg_format(buf, sizeof buf, M_BAD_LESSONS, ui->lang, cat->nbad,
		    cat->bad);
		canvas_text(cv, y, 1, cv->w - 2, ST_BAD, buf);
		return;
	}
	if (cat->n > 0) {
		const struct lesson	*l = &cat->l[ui->course.sel];

		/* Where the kernel engine can run it too, the command. */
#ifdef HAVE_LINUX_IF_PACKET_H
		if (l->kernel)
			snprintf(buf, sizeof buf, "synfin [--engine kernel] %s"
			    "  ·  %s", l->name, l->path);
		else
#endif
			snprintf(buf, sizeof buf, "synfin %s  ·  %s", l->name,
			    l->path);
		canvas_text(cv, y, 1, cv->w - 2, ST_DIM, buf);
	}
}

/*
 * Lessons above or below the lines shown are said on the blank rows
 * around them: "↑ 3 more above", "↓ 9 more below".
 */
static void
more(struct ui *ui, struct canvas *cv, const struct mline *lines, size_t n,
    int first, int rows)
{
	int	 above = 0, below = 0, w;
	char	 buf[128];

	for (size_t i = 0; i < n; i++) {
		if (lines[i].lesson < 0)
			continue;
		above += (int)i < first;
		below += (int)i >= first + rows;
	}
	if (above > 0) {
		msg_format(buf, sizeof buf, M_MORE_ABOVE, ui->lang,
		    ui->ascii ? "^" : "↑", above);
		w = text_width(buf);
		canvas_text(cv, LIST_Y - 1, cv->w - w - 2, w, ST_KEY, buf);
	}
	if (below > 0) {
		msg_format(buf, sizeof buf, M_MORE_BELOW, ui->lang,
		    ui->ascii ? "v" : "↓", below);
		w = text_width(buf);
		canvas_text(cv, LIST_Y + rows, cv->w - w - 2, w, ST_KEY, buf);
	}
}

/* The whole screen: the lessons by group, the keys, a note. */
static void
draw(struct ui *ui, struct canvas *cv, const struct rect *rc)
{
	const struct catalog	*cat = ui->course.cat;
	struct mline		*lines;
	size_t			 n, done = 0, at = 0;
	int			 top = LIST_Y, rows = rc->h - LIST_SPARE, first;
	char			 buf[256], right[128];

	for (size_t i = 0; i < cat->n; i++)
		done += cat->l[i].finished;
	canvas_fill(cv, 0, 0, cv->w, ' ', ST_STATUS);
	snprintf(buf, sizeof buf, " synfin · %s", ui_str(ui, M_MENU));
	msg_format(right, sizeof right, M_MENU_DONE, ui->lang, (int)done,
	    (int)cat->n);
	canvas_text(cv, 0, 0, cv->w, ST_STATUS, buf);
	canvas_text(cv, 0, cv->w - text_width(right) - 1, text_width(right),
	    ST_STATUS, right);

	canvas_fill(cv, cv->h - 1, 0, cv->w, ' ', ST_KEY);
	ui_hints(ui, cv, cv->h - 1, KEYMAP_MENU);
	draw_note(ui, cv, cv->h - 2);

	if (cat->n == 0) {
		if (cat->dir != NULL)
			msg_format(buf, sizeof buf, M_NO_LESSONS, ui->lang,
			    cat->dir);
		else
			snprintf(buf, sizeof buf, "%s",
			    ui_str(ui, M_NO_LESSON_DIR));
		canvas_wrap(cv, top, 2, cv->w - 4, rows, ST_NORMAL, buf);
		return;
	}
	lines = xreallocarray(NULL, cat->n + 2 * (NGROUPS + 1), sizeof *lines);
	n = menu_lines(cat, lines);
	for (size_t i = 0; i < n; i++) {
		if (lines[i].lesson == (int)ui->course.sel)
			at = i;
	}
	/* Scroll just enough to show the choice, and its heading if it can. */
	first = ui->course.top;
	if ((int)at - 1 < first)
		first = at > 0 ? (int)at - 1 : 0;
	if ((int)at >= first + rows)
		first = (int)at - rows + 1;
	if (first > (int)n - rows)
		first = (int)n - rows;
	if (first < 0)
		first = 0;
	ui->course.top = first;
	more(ui, cv, lines, n, first, rows);
	for (int r = 0; r < rows && first + r < (int)n; r++) {
		const struct mline	*m = &lines[first + r];
		int			 y = top + r;

		if (m->group >= 0)
			canvas_text(cv, y, 2, cv->w - 4, ST_HEADING,
			    ui_str(ui, group_msgs[m->group]));
		else if (m->lesson >= 0)
			draw_lesson(ui, cv, y, (size_t)m->lesson);
	}
	free(lines);
}

/* A click on a lesson's line opens it. */
static enum ui_result
click(struct ui *ui, const struct rect *rc, int y, int x)
{
	const struct catalog	*cat = ui->course.cat;
	struct mline		*lines;
	int			 line = ui->course.top + y - LIST_Y, lesson = -1;

	(void)x;
	if (y < LIST_Y || y >= LIST_Y + rc->h - LIST_SPARE || cat->n == 0)
		return UI_NOTHING;
	lines = xreallocarray(NULL, cat->n + 2 * (NGROUPS + 1), sizeof *lines);
	if (line < (int)menu_lines(cat, lines))
		lesson = lines[line].lesson;
	free(lines);
	if (lesson < 0)
		return UI_NOTHING;
	ui->course.sel = (size_t)lesson;
	ui_open_lesson(ui, &ui->course.cat->l[lesson]);
	return UI_REDRAW;
}

const struct panel panel_menu = { "menu", NULL, draw, click };
