/*
 * Files other tools read (DESIGN section 10), each written by a reader of
 * the journal in a file of its own: a pcap capture (pcap.c), the
 * narration as Markdown (narration.c), the ladder as text (ladder.c).
 * This layer sees the core and the view, never the terminal.
 */
#ifndef SYNFIN_EXPORT_H
#define SYNFIN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "journal.h"
#include "session.h"
#include "types.h"

/* A file being written: PATH.partial until it is whole (file.c). */
struct export_file {
	const char	*path;
	char		 part[4096];
};

FILE	*export_open(const char *, struct export_file *, char *, size_t);
int	 export_close(FILE *, struct export_file *, char *, size_t);

int	 export_pcap(const struct journal *, const char *, bool, char *,
	     size_t);
int	 export_narration(struct session *, const char *, enum lang, char *,
	     size_t);
int	 capture_read(const char *, int, struct journal *, FILE *, char *,
	     size_t);
bool	 capture_is(const char *);
int	 export_recording(struct session *, const char *, const uint8_t *,
	     size_t, char *, size_t);
int	 export_ladder(struct session *, const char *, enum lang, bool, int,
	     char *, size_t);

#endif
