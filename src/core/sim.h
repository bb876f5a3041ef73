/*
 * The simulation: two endpoints, the link between them, the real socket
 * pair under it, one clock and one journal.
 *
 * A segment an endpoint sends is encoded, written to the journal and put
 * on the link.  When its time comes the receiving side decodes and
 * validates it and only then hands it to its state machine, and its
 * datagram crosses the kernel, with its batch, to be read back byte for
 * byte (wire.h).  The connection's addresses and the profile are the
 * journal's (journal.conn): what it records is what runs.
 */
#ifndef SYNFIN_SIM_H
#define SYNFIN_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "journal.h"
#include "link.h"
#include "profile.h"
#include "tcp.h"
#include "wire.h"

struct sim {
	struct profile	 prof;		/* a copy: scripts may set timers */
	struct clock	 clock;
	struct journal	 journal;
	struct link	 link;
	struct wire	 wire;
	struct tcp	 ep[NSIDES];
	uint64_t	 rng;
	unsigned long	 ignored[NSIDES];	/* datagrams refused per side */
	uint64_t	 read_total[NSIDES];	/* octets each application read */
	enum tcp_error	 last_error[NSIDES];	/* what each was last told */
	uint64_t	 events;	/* timers, arrivals, injections so far */
	bool		 started;	/* an endpoint has acted */
	bool		 in_memory;	/* bypass the socket pair (benchmarks) */
	bool		 relay;		/* as the kernel engine's relay */
	uint8_t		*txbuf;		/* a segment being encoded */
	char		 failure[256];	/* the wire failed: why */
};

/*
 * A checkpoint: everything a run's future depends on, so that it can be
 * put back and run on to the same end (or, with another fate for a
 * segment not yet sent, to a different one).  The sockets stay as they
 * are: they carry, they hold nothing a run depends on.
 */
struct sim_mark {
	struct profile		 prof;
	vtime_t			 now;
	uint64_t		 step;
	uint64_t		 armed_count;
	struct tcp		 ep[NSIDES];
	uint64_t		 rng;
	unsigned long		 ignored[NSIDES];
	uint64_t		 read_total[NSIDES];
	enum tcp_error		 last_error[NSIDES];
	uint64_t		 events;
	bool			 started;
	struct journal_mark	 journal;
	struct link_mark	 link;
};

int		 sim_init(struct sim *, enum profile_id, char *, size_t);
void		 sim_free(struct sim *);
void		 sim_set_profile(struct sim *, enum profile_id);
void		 sim_seed(struct sim *, uint64_t);
void		 sim_set_isn(struct sim *, enum side, uint32_t);
void		 sim_set_addr(struct sim *, enum side, uint32_t, uint16_t);
void		 sim_set_user_timeout(struct sim *, enum side, vtime_t);
enum tcp_error	 sim_call(struct sim *, enum side, enum tcp_call, uint32_t);
bool		 sim_step(struct sim *, vtime_t);
void		 sim_run_until(struct sim *, vtime_t);
void		 sim_journal_pending(struct sim *);
void		 sim_flush(struct sim *);
bool		 sim_quiet(const struct sim *);
bool		 sim_idle(const struct sim *);
void		 sim_inject(struct sim *, enum dir, const struct segment *);
void		 sim_inject_bad(struct sim *, enum dir, enum bad_kind);
uint32_t	 sim_random(struct sim *);
void		 sim_mark(const struct sim *, struct sim_mark *);
void		 sim_rewind(struct sim *, const struct sim_mark *);
void		 sim_mark_free(struct sim_mark *);

#endif
