/*
 * A session: what the interactive view shows and steps through.
 *
 * The script (a lesson, or the actions a learner made in the sandbox) is
 * run to its end, and on until nothing is left to happen, giving one
 * journal: the timeline.  The timeline is cut into steps, each one thing
 * happening and its consequences (a call, a segment arriving, a timer
 * firing, a line of narration).  The view shows the first k steps, so
 * stepping back is exact.
 *
 * The timeline is worked out as it is needed: the first SESSION_FIRST
 * steps when the session opens, as far as the view looks (session_need),
 * and the rest a slice at a time while the learner reads (session_more);
 * a lesson is done at once, a run of 100,000 steps shows at once too.
 * Until it is all known, nsteps counts the steps known so far, and the
 * last step known is held back: more may happen at its instant.
 *
 * When the learner drops, delays or duplicates a segment, the run is put
 * back to the last checkpoint before that segment was sent (run.h) and
 * goes on from there with the change; a run is deterministic, so every
 * step before the change comes out the same.  Checkpoints are taken
 * between commands every SESSION_MARK_EVERY events.  The sandbox's calls
 * change the script, and run it again from the start.
 */
#ifndef SYNFIN_SESSION_H
#define SYNFIN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "script.h"

/* How far past its last command a timeline runs for timers to fire. */
#define SESSION_HORIZON		VT_SEC(300)
/* A delayed segment arrives this much later; a copy this long after. */
#define SESSION_DELAY		VT_MS(1500)
#define SESSION_DUP_LAG		VT_MS(100)
/* Steps worked out before a session shows; events between checkpoints. */
#define SESSION_FIRST		1000
#define SESSION_MARK_EVERY	2048

/* Events of one kind, by their index in the journal, in order. */
struct evlist {
	uint32_t	*ev;
	uint32_t	*aux;		/* a figure kept beside each, or NULL */
	size_t		 n;
	size_t		 cap;
};

/*
 * A live engine: the kernel's, each real segment held for the learner.
 * It writes its journal as things happen; the session reads it as it
 * grows.  Each function returns -1 with the reason in the buffer when it
 * fails; after that the engine is stopped.
 */
struct live_ops {
	const struct journal *(*journal)(void *);
	int	 (*poll)(void *, char *, size_t);	/* take in what came */
	int	 (*act)(void *, int, const struct cmd *, char *, size_t);
	/* A held segment goes on: as it is (-1), or lost, copied, late;
	 * 1 if it is not held. */
	int	 (*let_go)(void *, int, int, char *, size_t);
	int	 (*first_held)(void *);		/* the oldest held, or -1 */
	int	 (*hold)(void *, bool, char *, size_t);	/* hold all, or none */
	vtime_t	 (*now)(void *);
	void	 (*close)(void *);
};

/* What the learner asked for one segment. */
struct intervention {
	int		 seg;		/* journal segment index */
	enum rule_kind	 kind;		/* RULE_DROP, RULE_DELAY, RULE_DUP */
};

struct session {
	struct script		*script;	/* owned; the sandbox's calls */
	bool			 sandbox;
	bool			 capture;	/* real traffic, read from a file */
	bool			 kernel;	/* ... or the kernel engine's run */
	const struct live_ops	*live;		/* ... or live (sandbox) */
	void			*live_arg;
	const struct journal	*live_j;
	bool			 live_dead;	/* it failed: error says why */
	bool			 live_free;	/* segments go on unheld */
	size_t			 pending_from;	/* live: the first segment */
	struct intervention	*iv;
	size_t			 niv;
	bool			 pending;	/* sandbox: a fate for the next */
	enum rule_kind		 pending_kind;	/* segment anyone sends */

	struct run		 run;		/* the timeline */
	bool			 have_run;
	enum {
		PHASE_SCRIPT,		/* its commands */
		PHASE_FINISH,		/* until the connection is quiet */
		PHASE_ON,		/* on while timers are set */
		PHASE_DONE,
	}			 phase;
	vtime_t			 horizon;	/* PHASE_ON's end */
	struct run_mark		*marks;		/* checkpoints, in order */
	size_t			 nmarks;
	size_t			 markcap;
	size_t			 kept;		/* events a change kept */
	size_t			 mark_every;	/* or fewer, for tests */

	/* Each step's first event: it ends where the next begins. */
	uint32_t		*step_first;
	size_t			 nsteps;	/* known and settled */
	size_t			 ncut;		/* cut, the last may grow */
	size_t			 stepcap;
	size_t			 cut;		/* events cut into steps */
	size_t			 indexed;	/* events indexed */
	size_t			 same;		/* see session_changes */
	size_t			 rows;
	uint32_t		*seg_sent;	/* per segment: its events, */
	uint32_t		*seg_end;	/* or UINT32_MAX */
	uint32_t		*seg_copy_end;
	size_t			 nseg;		/* segments indexed */
	size_t			 segcap;
	const char		*error;		/* why the run stopped early */

	/* Indexes of the timeline, so that a position costs log n. */
	struct evlist		 states[NSIDES];	/* its state changes */
	/* aux, the retransmission timer's: its retries so far */
	struct evlist		 timers[NSIDES][TCP_NTIMERS];
	struct evlist		 appear;	/* a segment's first event; */
						/* aux: the highest shown */
	struct evlist		 ignored;	/* datagrams refused */
	struct evlist		 asks;		/* questions, each language */
};

int		 session_open(struct session *, struct script *, char *,
		     size_t);
int		 session_open_file(struct session *, const char *, char *,
		     size_t);
int		 session_open_sandbox(struct session *, char *, size_t);
void		 session_open_capture(struct session *, struct journal *,
		     const char *);
void		 session_open_live(struct session *, const struct live_ops *,
		     void *);
int		 session_live_poll(struct session *, char *, size_t);
int		 session_live_step(struct session *, char *, size_t);
int		 session_live_held(const struct session *);
int		 session_live_hold(struct session *, bool, char *, size_t);
int		 session_live_release(struct session *, char *, size_t);
void		 session_close(struct session *);
int		 session_restart(struct session *, char *, size_t);
int		 session_rebuild(struct session *, char *, size_t);
bool		 session_done(const struct session *);
void		 session_need(struct session *, size_t);
bool		 session_more(struct session *, size_t);
void		 session_complete(struct session *);
void		 session_changes(struct session *, size_t *, size_t *);
const char	*session_title(const struct session *, enum lang, char *,
		     size_t);

const struct journal *session_journal(const struct session *);
size_t		 session_applied(const struct session *, size_t);
vtime_t		 session_time(const struct session *, size_t);
size_t		 session_step_of(const struct session *, size_t);
size_t		 session_sent_event(const struct session *, int);
size_t		 session_arrival_event(const struct session *, int, bool);
int		 session_next_sent(struct session *, size_t);
void		 session_states(const struct session *, size_t, int[2],
		     const struct jevent **);
const struct jevent *session_timer(const struct session *, size_t,
		     enum side, enum tcp_timer, int *);
int		 session_last_seg(const struct session *, size_t);
size_t		 session_ignored(const struct session *, size_t);

bool		 session_fate(const struct session *, int, enum rule_kind *);
size_t		 session_first_change(const struct session *,
		     enum rule_kind *);
bool		 session_holds(const struct session *, size_t);
int		 session_toggle(struct session *, int, enum rule_kind, char *,
		     size_t);
void		 session_set_pending(struct session *, enum rule_kind);
size_t		 session_last_act(const struct session *);
int		 session_act_cmd(struct session *, size_t, const struct cmd *,
		     size_t *, char *, size_t);
int		 session_set_profile(struct session *, enum profile_id, char *,
		     size_t);
int		 session_act(struct session *, size_t, vtime_t, enum side,
		     enum tcp_call, uint32_t, size_t *, char *, size_t);

#endif
