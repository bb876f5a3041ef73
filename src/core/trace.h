/*
 * The trace: the journal as text, one event a line (DESIGN section 6).
 * Other programs and tests read it, so its form is kept stable.
 */
#ifndef SYNFIN_TRACE_H
#define SYNFIN_TRACE_H

#include <stdio.h>

#include "journal.h"
#include "types.h"

struct sim;

void	 trace_print(FILE *, const struct journal *, size_t, size_t,
	     enum lang);
void	 trace_pending(FILE *, const struct sim *);
char	*trace_time(char [32], vtime_t);
void	 trace_seg_text(char *, size_t, const struct jseg *);

#endif
