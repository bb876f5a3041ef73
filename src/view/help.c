/*
 * The help, over the rest of the screen: a line for each key binding
 * that has one (keys.c), in the table's order, and in the sandbox its
 * calls; and the message that replaces everything when the terminal is
 * too small.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

#define HELP_LINES	40
#define CALL_GAP	"  "

struct help {
	char	 line[HELP_LINES][160];
	bool	 sandbox[HELP_LINES];	/* the sandbox's part, highlighted */
	int	 n;
	int	 width;
};

static void
add_line(struct help *h, const char *s, size_t len, bool sandbox)
{
	if (h->n == HELP_LINES)
		return;
	snprintf(h->line[h->n], sizeof h->line[h->n], "%.*s", (int)len, s);
	h->sandbox[h->n] = sandbox;
	if (text_width(h->line[h->n]) > h->width)
		h->width = text_width(h->line[h->n]);
	h->n++;
}

/* A text of one or more lines. */
static void
add_text(struct help *h, const char *s, bool sandbox)
{
	while (*s != '\0') {
		size_t	 n = strcspn(s, "\n");

		add_line(h, s, n, sandbox);
		s += n + (s[n] == '\n');
	}
}

/* On the kernel's sandbox some keys do otherwise: their lines then. */
static enum msg
live_help(const struct ui *ui, enum msg m)
{
	static const enum msg live[][2] = {
		{ M_H_NEXT, M_H_LIVE_NEXT }, { M_H_BACK, M_H_LIVE_BACK },
		{ M_H_RESTART, M_H_LIVE_RESTART }, { M_H_DROP, M_H_LIVE_DROP },
		{ M_H_DUP, M_H_LIVE_DUP }, { M_H_SANDBOX_MORE, M_H_LIVE_MORE },
	};

	if (ui->s->live == NULL)
		return m;
	for (size_t i = 0; i < sizeof live / sizeof live[0]; i++) {
		if (live[i][0] == m)
			return live[i][1];
	}
	return m;
}

/*
 * The help's lines: the view's keys, then in the sandbox the calls a
 * side can make, "key call" after "key call", as many a line as the
 * heading above them is wide.
 */
static void
help_lines(const struct ui *ui, struct help *h)
{
	char	 line[160] = "";
	int	 width;

	memset(h, 0, sizeof *h);
	for (size_t i = 0; i < nbindings; i++) {
		if ((bindings[i].maps & KM_VIEWS) && bindings[i].help != M_NONE)
			add_text(h, ui_str(ui, live_help(ui,
			    bindings[i].help)), false);
	}
	if (!ui->s->sandbox)
		return;
	add_text(h, ui_str(ui, M_HELP_SANDBOX), true);
	width = text_width(ui_str(ui, M_HELP_SANDBOX));
	for (size_t i = 0; i < nbindings; i++) {
		const struct binding	*b = &bindings[i];
		char			 item[64];
		size_t			 len = strlen(line);

		if (!(b->maps & KM(KEYMAP_CALL)) || b->help == M_NONE)
			continue;
		snprintf(item, sizeof item, "%s %s", b->label,
		    ui_str(ui, b->help));
		if (len > 0 && text_width(line) + (int)strlen(CALL_GAP) +
		    text_width(item) > width) {
			add_line(h, line, len, true);
			line[0] = '\0';
			len = 0;
		}
		snprintf(line + len, sizeof line - len, "%s%s",
		    len > 0 ? CALL_GAP : "", item);
	}
	if (line[0] != '\0')
		add_line(h, line, strlen(line), true);
	add_text(h, ui_str(ui, live_help(ui, M_H_SANDBOX_MORE)), true);
}

/* A box round the lines, a title and a way out, within w by h. */
static void
layout(const struct ui *ui, int w, int h, int *ww, int *wh)
{
	struct help	 help;

	help_lines(ui, &help);
	*ww = help.width + 4 < w ? help.width + 4 : w;
	*wh = help.n + 4 < h ? help.n + 4 : h;
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	struct help	 help;

	help_lines(ui, &help);
	for (int i = 0; i < r->h; i++)
		canvas_fill(cv, r->y + i, r->x, r->w, ' ', ST_NORMAL);
	canvas_box(cv, r->y, r->x, r->h, r->w, ST_HEADING);
	canvas_text(cv, r->y, r->x + 2, r->w - 4, ST_HEADING,
	    ui_str(ui, M_HELP_TITLE));
	for (int i = 0; i < help.n && i < r->h - 3; i++)
		canvas_text(cv, r->y + 1 + i, r->x + 2, r->w - 4,
		    help.sandbox[i] ? ST_HILITE : ST_NORMAL, help.line[i]);
	canvas_text(cv, r->y + r->h - 2, r->x + 2, r->w - 4, ST_DIM,
	    ui_str(ui, M_HELP_CLOSE));
}

const struct panel panel_help = { "help", layout, draw, NULL };

/* Below MIN_W x MIN_H: a message in place of the picture. */
static void
small_draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	char	 buf[256];
	int	 lines;

	msg_format(buf, sizeof buf, M_TOO_SMALL, ui->lang, MIN_W, MIN_H,
	    r->w, r->h);
	lines = text_lines(buf, r->w);
	canvas_wrap(cv, r->y + (r->h - lines) / 2, r->x, r->w, r->h, ST_BAD,
	    buf);
}

const struct panel panel_small = { "too small", NULL, small_draw, NULL };
