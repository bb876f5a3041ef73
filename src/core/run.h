/*
 * Running a script: its commands, in order, against a simulation.  The
 * headless runner (synfin run) goes straight through; the interactive
 * view drives the same thing one command at a time.
 */
#ifndef SYNFIN_RUN_H
#define SYNFIN_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "script.h"
#include "sim.h"

/* Events (timers, arrivals) one run may have: far above any lesson,
 * low enough that a runaway script stops in a second or two. */
#define RUN_EVENTS_MAX	500000
#define RUN_WAIT_MAX	VT_SEC(86400)	/* a wait until that never ends */

enum run_status {
	RUN_OK,		/* every expect held */
	RUN_FAILED,	/* an expect did not */
	RUN_BAD,	/* the script cannot be run as written */
};

struct run {
	struct script	*script;
	struct sim	 sim;
	size_t		 pc;		/* the next command */
	uint64_t	 events_max;	/* RUN_EVENTS_MAX unless lowered */
	int		 failures;
	uint32_t	 until_entered;	/* a wait until: entries seen before */
	bool		 bad;
	char		 err[512];
};

/* A checkpoint between two commands (sim.h). */
struct run_mark {
	size_t		 pc;
	int		 failures;
	struct sim_mark	 sim;
};

void		 run_seg_rules(struct run *, size_t);
int		 run_init(struct run *, struct script *, char *, size_t);
void		 run_free(struct run *);
const struct journal *run_journal(const struct run *);
bool		 run_command(struct run *);
void		 run_finish(struct run *);
enum run_status	 run_all(struct run *);
void		 run_end(struct run *);
void		 run_mark(struct run *, struct run_mark *);
void		 run_rewind(struct run *, const struct run_mark *);
void		 run_mark_free(struct run_mark *);

#endif
