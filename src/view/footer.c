/*
 * The footer: the keys that act now, each with its word, read from the
 * key table (keys.c) for the keymap and the panel on screen.  When they
 * do not fit, the least needed give way first (their rank); the sandbox's
 * calls, which are all needed, are packed closer instead.
 */
#include "config.h"

#include <string.h>

#include "view.h"

#define MAXHINTS	32

struct hint {
	const char	*key;
	const char	*word;
	int		 rank;
};

/* The hints of keymap map on this screen, in the table's order. */
static size_t
hints(const struct ui *ui, enum keymap map, struct hint *h)
{
	size_t	 n = 0;

	for (size_t i = 0; i < nbindings && n < MAXHINTS; i++) {
		const struct binding	*b = &bindings[i];
		enum msg		 word = b->hint;

		if (!(b->maps & KM(map)) || b->hint == M_NONE ||
		    !(b->panels & KP(ui->panel)))
			continue;
		/* q goes back to the menu when there is one. */
		if (b->action == A_QUIT && map != KEYMAP_MENU &&
		    ui->course.menu)
			word = M_K_MENU;
		h[n].key = b->label;
		h[n].word = ui_str(ui, word);
		h[n].rank = b->rank;
		n++;
	}
	return n;
}

/* One hint at x: the key reversed, then its word.  Returns the new x. */
static int
put_hint(struct canvas *cv, int y, int x, const struct hint *h)
{
	x += canvas_text(cv, y, x, cv->w - x, ST_KEY | ST_SELECTED, h->key);
	x += 1;
	return x + canvas_text(cv, y, x, cv->w - x, ST_KEY, h->word);
}

/* Hints in their order, dropping the least needed until they fit. */
void
ui_hints(struct ui *ui, struct canvas *cv, int y, enum keymap map)
{
	struct hint	 h[MAXHINTS];
	bool		 keep[MAXHINTS];
	size_t		 n = hints(ui, map, h);
	int		 width, x = 1, limit = 99;

	for (;;) {
		width = 0;
		for (size_t i = 0; i < n; i++) {
			keep[i] = h[i].rank <= limit;
			if (keep[i])
				width += (int)strlen(h[i].key) + 1 +
				    text_width(h[i].word) + 2;
		}
		if (width <= cv->w - 1 || limit == 0)
			break;
		limit--;
	}
	for (size_t i = 0; i < n; i++) {
		if (keep[i])
			x = put_hint(cv, y, x, &h[i]) + 2;
	}
}

/*
 * The sandbox, a side chosen: "client  l listen  a accept ... Esc
 * cancel", every call shown, one column between them if two do not fit.
 */
static void
call_hints(struct ui *ui, struct canvas *cv, int y)
{
	struct hint	 h[MAXHINTS];
	size_t		 n = hints(ui, KEYMAP_CALL, h);
	int		 x = 1, gap = 2, need;

	x += canvas_text(cv, y, x, cv->w - x, ST_KEY | ST_SELECTED,
	    ui_str(ui, ui->act_side == SIDE_CLIENT ? M_K_CLIENT :
	    M_K_SERVER));
	x += 2;
	need = x;
	for (size_t i = 0; i < n; i++)
		need += (int)strlen(h[i].key) + 1 + text_width(h[i].word) +
		    (i + 1 < n ? gap : 0);
	if (need > cv->w)
		gap = 1;
	for (size_t i = 0; i < n; i++)
		x = put_hint(cv, y, x, &h[i]) + gap;
}

static void
draw(struct ui *ui, struct canvas *cv, const struct rect *r)
{
	canvas_fill(cv, r->y, r->x, r->w, ' ', ST_KEY);
	if (ui->act_side != SIDE_NONE)
		call_hints(ui, cv, r->y);
	else
		ui_hints(ui, cv, r->y, ui->s->sandbox ? KEYMAP_SANDBOX :
		    KEYMAP_VIEW);
}

const struct panel panel_footer = { "footer", NULL, draw, NULL };
