/*
 * The trace: the journal as text, one event a line (DESIGN section 6).
 * Other programs and tests read it, so its form is kept stable.  It reads
 * the journal and nothing else.
 */
#ifndef SYNFIN_TRACE_H
#define SYNFIN_TRACE_H

#include <stdio.h>

#include "journal.h"
#include "types.h"

void	 trace_print(FILE *, const struct journal *, size_t, size_t,
	     enum lang);
char	*trace_time(char [32], vtime_t);
void	 trace_seg_text(char *, size_t, const struct jseg *);
void	 trace_sack_text(char *, size_t, const struct jseg *);
char	**trace_sent(const struct journal *, enum dir, size_t *, size_t **);
void	 trace_sent_free(char **, size_t, size_t *);
void	 trace_call_text(char *, size_t, const struct journal *,
	     const struct jevent *);
void	 trace_expect_text(char *, size_t, const struct journal *,
	     const struct jevent *);

#endif
