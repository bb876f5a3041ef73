/* The canvas on a curses screen (paint.c). */
#ifndef SYNFIN_PAINT_H
#define SYNFIN_PAINT_H

#include <curses.h>
#include <stdbool.h>

#include "canvas.h"

struct paint {
	attr_t		 attr[ST_NSTYLES];
	short		 pair[ST_NSTYLES];
};

void	 paint_scheme(struct paint *, bool);
void	 paint_canvas(const struct paint *, const struct canvas *);

#endif
