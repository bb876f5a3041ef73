/* The terminal loop: curses and libevent around the view (ui.h). */
#ifndef SYNFIN_LOOP_H
#define SYNFIN_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ui.h"

int	 loop_run(struct ui *, bool, char *, size_t);
int	 cast_write(struct ui *, FILE *, int, int, double, bool, char *,
	     size_t);

#endif
