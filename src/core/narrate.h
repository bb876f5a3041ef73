/*
 * Narration made from the journal: for each event, what happened and why,
 * in plain words, in English or Chinese (DESIGN section 9).
 *
 * It reads the journal and nothing else, so it says only what the run
 * has done up to the event and what is set now (a timer and when it
 * fires), never what the run does later.  The sandbox's narration, the
 * lesson's once the learner changed it, and "synfin run --narrate" all
 * come from here.
 */
#ifndef SYNFIN_NARRATE_H
#define SYNFIN_NARRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "journal.h"
#include "types.h"

/* What the learner changed before an event: a failed expectation says so. */
enum narrate_change {
	NC_NONE,		/* the run the script was written for */
	NC_CALLS,		/* the sandbox: the learner's own calls */
	NC_DROP,		/* a segment dropped, */
	NC_DELAY,		/* delayed, */
	NC_DUP,			/* or sent twice */
};

/* A step's lines, as the view shows them and the export writes them. */
#define NARRATE_LINES	16

struct nline {
	const char	*text;
	bool		 bad;		/* an expectation that failed */
	uint8_t		 rank;		/* 0 kept longest */
};

struct narration {
	struct nline	 line[NARRATE_LINES];
	int		 n;
	bool		 scripted;	/* the script's own lines */
	char		 buf[NARRATE_LINES][512];
};

struct session;

const char	*narrate(const struct journal *, size_t, enum lang,
		     enum narrate_change, char *, size_t);
void		 narrate_step(const struct session *, size_t, enum lang,
		     struct narration *);
void		 narrate_print(FILE *, const struct journal *, enum lang);

#endif
