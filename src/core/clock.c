/* Virtual time and the timer queue (clock.h): a list kept in firing order. */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "clock.h"

void
clock_init(struct clock *c)
{
	c->now = 0;
	c->step = 1;
	c->armed_count = 0;
	c->head = NULL;
}

void
timer_init(struct timer *t, timer_cb *fire, void *arg, enum timer_class class)
{
	t->when = VT_NEVER;
	t->class = class;
	t->order = 0;
	t->fire = fire;
	t->arg = arg;
	t->next = NULL;
	t->armed = false;
}

/* Does a fire before b?  See clock.h for the order at one instant. */
static bool
timer_before(const struct timer *a, const struct timer *b)
{
	if (a->when != b->when)
		return a->when < b->when;
	if (a->class != b->class)
		return a->class < b->class;
	if (a->class == TIMER_ENDPOINT)
		return a->order > b->order;
	return a->order < b->order;
}

/* Put an armed timer in its place in the queue. */
static void
insert(struct clock *c, struct timer *t)
{
	struct timer	**pp;

	pp = &c->head;
	while (*pp != NULL && timer_before(*pp, t))
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
}

/* Arm t to fire at virtual time when (re-arming moves it). */
void
clock_arm(struct clock *c, struct timer *t, vtime_t when)
{
	assert(when >= c->now);
	clock_cancel(c, t);
	t->when = when;
	t->order = c->armed_count++;
	t->armed = true;
	insert(c, t);
}

/*
 * The queue anew from the timers that are armed, each keeping its time
 * and its order: after a run was put back to a checkpoint (sim.c), where
 * the timers were copied and their links are stale.
 */
void
clock_relink(struct clock *c, struct timer **armed, size_t n)
{
	c->head = NULL;
	for (size_t i = 0; i < n; i++) {
		assert(armed[i]->armed);
		insert(c, armed[i]);
	}
}

void
clock_cancel(struct clock *c, struct timer *t)
{
	struct timer	**pp;

	if (!t->armed)
		return;
	for (pp = &c->head; *pp != t; pp = &(*pp)->next)
		assert(*pp != NULL);
	*pp = t->next;
	t->next = NULL;
	t->armed = false;
	t->when = VT_NEVER;
}

/*
 * Fire the earliest timer if it is due no later than limit, moving the
 * clock to its time.  Returns whether one fired.
 */
bool
clock_fire_next(struct clock *c, vtime_t limit)
{
	struct timer	*t = c->head;

	if (t == NULL || t->when > limit)
		return false;
	c->head = t->next;
	t->next = NULL;
	t->armed = false;
	if (c->now != t->when)
		c->step++;
	c->now = t->when;
	t->when = VT_NEVER;
	t->fire(t, t->arg);
	return true;
}

/* Move the clock forward to when, which no armed timer precedes. */
void
clock_advance(struct clock *c, vtime_t when)
{
	assert(when >= c->now);
	assert(c->head == NULL || c->head->when >= when);
	if (c->now != when)
		c->step++;
	c->now = when;
}

/*
 * Seconds with three decimals, more only where the time has them:
 * "1.060", "1.0205".  A timer on Linux's wheel fires half a millisecond
 * past a millisecond, and a recording or a narration must say so.
 */
char *
vt_seconds(char buf[32], vtime_t t)
{
	const char	*sign = t < 0 ? "-" : "";
	vtime_t		 a = t < 0 ? -t : t;
	int		 n;

	n = snprintf(buf, 32, "%s%" PRId64 ".%06" PRId64, sign, a / 1000000,
	    a % 1000000);
	while (n > 4 && buf[n - 1] == '0' && buf[n - 4] != '.')
		buf[--n] = '\0';
	return buf;
}
