/*
 * Virtual time and the timer queue.
 *
 * The core never reads the wall clock.  Time is a count of virtual
 * microseconds; the interactive program advances it from wall time times
 * the speed, a headless run jumps from one timer to the next.
 *
 * Timers due at the same instant fire in a fixed order, which makes every
 * run of the same script identical, and the order is Linux's: the
 * endpoints' own timers first, the most recently armed first (a timer
 * wheel bucket is a list pushed at its head), and only then the segments
 * arriving at that instant, in the order they were sent (the network
 * softirq runs after the timer softirq).
 */
#ifndef SYNFIN_CLOCK_H
#define SYNFIN_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t vtime_t;		/* virtual microseconds */

#define VT_US(x)	((vtime_t)(x))
#define VT_MS(x)	((vtime_t)(x) * 1000)
#define VT_SEC(x)	((vtime_t)(x) * 1000000)
#define VT_NEVER	INT64_MAX

char	*vt_seconds(char [32], vtime_t);

struct timer;
typedef void timer_cb(struct timer *, void *);

enum timer_class {
	TIMER_ENDPOINT,		/* same instant: last armed fires first */
	TIMER_ARRIVAL,		/* same instant: first armed fires first */
};

struct timer {
	vtime_t		 when;
	enum timer_class class;
	uint64_t	 order;
	timer_cb	*fire;
	void		*arg;
	struct timer	*next;
	bool		 armed;
};

/*
 * step counts the moments a run is made of: it moves on with the time and
 * at each call.  What a tap on lo (the kernel engine's capture) holds of
 * the segments is taken from it between two such moments, not within one.
 */
struct clock {
	vtime_t		 now;
	uint64_t	 step;
	uint64_t	 armed_count;
	struct timer	*head;		/* sorted by (when, order) */
};

void	 clock_init(struct clock *);
void	 timer_init(struct timer *, timer_cb *, void *, enum timer_class);
void	 clock_arm(struct clock *, struct timer *, vtime_t);
void	 clock_cancel(struct clock *, struct timer *);
bool	 clock_fire_next(struct clock *, vtime_t);
void	 clock_advance(struct clock *, vtime_t);
void	 clock_relink(struct clock *, struct timer **, size_t);

#endif
