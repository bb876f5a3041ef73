/*
 * Virtual time and the timer queue.
 *
 * The core never reads the wall clock.  Time is a count of virtual
 * microseconds; the interactive program advances it from wall time times
 * the speed, a headless run jumps from one timer to the next.  Timers due
 * at the same instant fire in the order they were armed, which makes every
 * run of the same script identical.
 */
#ifndef SYNFIN_CLOCK_H
#define SYNFIN_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t vtime_t;		/* virtual microseconds */

#define VT_US(x)	((vtime_t)(x))
#define VT_MS(x)	((vtime_t)(x) * 1000)
#define VT_SEC(x)	((vtime_t)(x) * 1000000)
#define VT_NEVER	INT64_MAX

struct timer;
typedef void timer_cb(struct timer *, void *);

struct timer {
	vtime_t		 when;
	uint64_t	 order;
	timer_cb	*fire;
	void		*arg;
	struct timer	*next;
	bool		 armed;
};

struct clock {
	vtime_t		 now;
	uint64_t	 armed_count;
	struct timer	*head;		/* sorted by (when, order) */
};

void	 clock_init(struct clock *);
void	 timer_init(struct timer *, timer_cb *, void *);
void	 clock_arm(struct clock *, struct timer *, vtime_t);
void	 clock_cancel(struct clock *, struct timer *);
vtime_t	 clock_next(const struct clock *);
bool	 clock_fire_next(struct clock *, vtime_t);
void	 clock_advance(struct clock *, vtime_t);

#endif
