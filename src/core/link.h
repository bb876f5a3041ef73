/*
 * The link: segments in flight between the two endpoints, and the rules
 * that decide their fate (drop, duplicate, delay, reorder, hold).
 *
 * A segment is in flight for the link's latency.  A rule set by the script
 * or the learner ("drop next s2c FIN") applies to the next segment sent
 * that way carrying those flags, and is then used up; a standing rule
 * ("drop all c2s") applies until removed.  A dropped segment still travels
 * half the picture: it is lost where it would have arrived, so the view
 * can show it stop, and the journal says "dropped" then.
 */
#ifndef SYNFIN_LINK_H
#define SYNFIN_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "journal.h"

enum rule_kind {
	RULE_DROP,
	RULE_DUP,
	RULE_DELAY,
	RULE_REORDER,
	RULE_HOLD,
};

struct link_rule {
	enum rule_kind	 kind;
	int		 seg;		/* this segment only (journal index), or -1 */
	enum dir	 dir;
	uint8_t		 flags;		/* the segment must carry all of these */
	bool		 exact;		/* ... and no others */
	bool		 standing;	/* applies until removed */
	vtime_t		 extra;		/* delay, or the copy's lag for dup */
	struct link_rule *next;
};

struct link;

struct flight {
	struct link	*link;
	int		 seg;		/* journal index */
	enum dir	 dir;
	size_t		 nbytes;
	size_t		 cap;		/* room for bytes */
	vtime_t		 sent;
	vtime_t		 arrive;	/* VT_NEVER while held */
	bool		 drop;		/* lost on arrival */
	bool		 copy;		/* the second copy of a duplicated segment */
	bool		 held;		/* waits for link_release */
	bool		 reorder;	/* waits for the next segment that way */
	struct timer	 timer;
	struct flight	*next;
	uint8_t		 bytes[];	/* the datagram */
};

/* Flights this small are kept for the next segment when they land. */
#define FLIGHT_SMALL	256
#define FLIGHT_SPARES	8

/* What the link asks of its owner when a segment's time has come. */
struct link_ops {
	void	(*arrive)(void *, struct flight *);	/* deliver the bytes */
	void	(*lost)(void *, struct flight *);	/* journal the drop */
};

struct link {
	struct clock		*clock;
	const struct link_ops	*ops;
	void			*ctx;
	vtime_t			 latency;
	struct link_rule	*rules;
	struct flight		*flights;
	struct flight		*spare;		/* landed, kept for reuse */
	int			 nspare;
};

/* What was on the link at a checkpoint: its rules and flights, copied. */
struct link_mark {
	vtime_t			 latency;
	struct link_rule	*rules;		/* an array, in order */
	size_t			 nrules;
	struct flight		**flights;	/* in the order sent */
	size_t			 nflights;
};

void	 link_init(struct link *, struct clock *, const struct link_ops *,
	     void *);
void	 link_free(struct link *);
void	 link_add_rule(struct link *, enum rule_kind, enum dir, uint8_t, bool,
	     bool, vtime_t);
void	 link_add_seg_rule(struct link *, enum rule_kind, int, vtime_t);
int	 link_clear_rules(struct link *, enum rule_kind, int);
void	 link_send(struct link *, int, enum dir, uint8_t, const uint8_t *,
	     size_t);
int	 link_release(struct link *, int);
int	 link_release_reordered(struct link *);
int	 link_let_go(struct link *, int, int, vtime_t);
int	 link_first_held(const struct link *);
size_t	 link_in_flight(const struct link *);
void	 link_drop_seg_rules(struct link *);
void	 link_mark(const struct link *, struct link_mark *);
size_t	 link_rewind(struct link *, const struct link_mark *,
	     struct timer **);
void	 link_mark_free(struct link_mark *);

#endif
