/*
 * The canvas on a curses screen: the styles' colours and attributes, and
 * the copy of the cells.  The terminal loop and the cast export share it.
 */
#include "config.h"

#include <curses.h>
#include <wchar.h>

#include "paint.h"

/*
 * The colour scheme: each style is a meaning, mapped to colours, or to
 * attributes alone when the terminal has no colours or NO_COLOR is set.
 * Text always says the same thing without them.
 */
void
paint_scheme(struct paint *pt, bool colour)
{
	static const struct {
		short	 fg;
		attr_t	 attr;		/* with colours */
		attr_t	 mono;		/* without */
	} scheme[ST_NSTYLES] = {
		[ST_NORMAL] = { -1, A_NORMAL, A_NORMAL },
		[ST_DIM] = { -1, A_DIM, A_DIM },
		[ST_BOLD] = { -1, A_BOLD, A_BOLD },
		[ST_STATUS] = { -1, A_REVERSE | A_BOLD, A_REVERSE },
		[ST_CLIENT] = { COLOR_CYAN, A_BOLD, A_BOLD },
		[ST_SERVER] = { COLOR_MAGENTA, A_BOLD, A_BOLD },
		[ST_STATE_CLIENT] = { COLOR_CYAN, A_BOLD, A_BOLD },
		[ST_STATE_SERVER] = { COLOR_MAGENTA, A_BOLD, A_BOLD },
		[ST_SYN] = { COLOR_GREEN, A_BOLD, A_BOLD },
		[ST_FIN] = { COLOR_YELLOW, A_BOLD, A_BOLD },
		[ST_RST] = { COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
		[ST_DATA] = { COLOR_BLUE, A_BOLD, A_NORMAL },
		[ST_ACK] = { -1, A_NORMAL, A_NORMAL },
		[ST_DROPPED] = { COLOR_RED, A_BOLD, A_BOLD },
		[ST_TIMER] = { COLOR_YELLOW, A_NORMAL, A_NORMAL },
		[ST_KEY] = { -1, A_REVERSE, A_REVERSE },
		[ST_GOOD] = { COLOR_GREEN, A_BOLD, A_BOLD },
		[ST_BAD] = { COLOR_RED, A_BOLD, A_BOLD },
		[ST_HEADING] = { -1, A_BOLD, A_BOLD },
		[ST_HILITE] = { COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE },
	};

	for (int i = 0; i < ST_NSTYLES; i++) {
		pt->pair[i] = 0;
		pt->attr[i] = colour ? scheme[i].attr : scheme[i].mono;
		if (colour && scheme[i].fg != -1) {
			init_pair((short)(i + 1), scheme[i].fg, -1);
			pt->pair[i] = (short)(i + 1);
		}
	}
}

/* Copy the canvas to curses; curses sends only what changed. */
void
paint_canvas(const struct paint *pt, const struct canvas *cv)
{

	for (int y = 0; y < cv->h; y++) {
		for (int x = 0; x < cv->w; x++) {
			const struct cell	*c = &cv->cells[y * cv->w + x];
			uint8_t			 st = c->style & ~ST_SELECTED;
			wchar_t			 wc[2] = { (wchar_t)c->ch, 0 };
			cchar_t			 cc;
			attr_t			 a;

			if (c->ch == 0)
				continue;
			if (st >= ST_NSTYLES)
				st = ST_NORMAL;
			a = pt->attr[st];
			if (c->style & ST_SELECTED)
				a |= A_REVERSE;
			setcchar(&cc, wc, a, pt->pair[st], NULL);
			mvadd_wch(y, x, &cc);
		}
	}
}
