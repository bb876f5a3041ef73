/* The link (link.h): segments in flight, and the rules deciding their fate. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "util.h"

static void	flight_due(struct timer *, void *);

void
link_init(struct link *l, struct clock *c, const struct link_ops *ops,
    void *ctx)
{
	memset(l, 0, sizeof *l);
	l->clock = c;
	l->ops = ops;
	l->ctx = ctx;
}

static void
flight_free(struct link *l, struct flight *f)
{
	struct flight	**pp;

	clock_cancel(l->clock, &f->timer);
	for (pp = &l->flights; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	if (f->cap == FLIGHT_SMALL && l->nspare < FLIGHT_SPARES) {
		f->next = l->spare;
		l->spare = f;
		l->nspare++;
	} else
		free(f);
}

void
link_free(struct link *l)
{
	struct link_rule	*r;
	struct flight		*f;

	while (l->flights != NULL)
		flight_free(l, l->flights);
	while ((f = l->spare) != NULL) {
		l->spare = f->next;
		free(f);
	}
	l->nspare = 0;
	while ((r = l->rules) != NULL) {
		l->rules = r->next;
		free(r);
	}
}

static struct link_rule *
append_rule(struct link *l, enum rule_kind kind, enum dir dir,
    uint8_t flags, bool exact, bool standing, vtime_t extra)
{
	struct link_rule	*r = xcalloc(1, sizeof *r), **pp;

	r->kind = kind;
	r->seg = -1;
	r->dir = dir;
	r->flags = flags;
	r->exact = exact;
	r->standing = standing;
	r->extra = extra;
	for (pp = &l->rules; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = r;
	return r;
}

void
link_add_rule(struct link *l, enum rule_kind kind, enum dir dir,
    uint8_t flags, bool exact, bool standing, vtime_t extra)
{
	append_rule(l, kind, dir, flags, exact, standing, extra);
}

/*
 * A rule for one segment, named by its journal index: what the learner
 * asks for a segment on the screen.  The run is deterministic, so a re-run
 * sends the same segment under the same number.  It goes before the
 * script's rules, which it overrides.
 */
void
link_add_seg_rule(struct link *l, enum rule_kind kind, int seg, vtime_t extra)
{
	struct link_rule	*r = xcalloc(1, sizeof *r);

	r->kind = kind;
	r->seg = seg;
	r->extra = extra;
	r->next = l->rules;
	l->rules = r;
}

/* Forget the rules for single segments. */
void
link_drop_seg_rules(struct link *l)
{
	struct link_rule	**pp = &l->rules, *r;

	while ((r = *pp) != NULL) {
		if (r->seg != -1) {
			*pp = r->next;
			free(r);
		} else
			pp = &r->next;
	}
}

/*
 * Remove the script's rules of a kind for a direction (dir -1: both); the
 * learner's rules for single segments stay.  Returns how many went.
 */
int
link_clear_rules(struct link *l, enum rule_kind kind, int dir)
{
	struct link_rule	**pp = &l->rules, *r;
	int			  n = 0;

	while ((r = *pp) != NULL) {
		if (r->seg == -1 && r->kind == kind && (dir == -1 || (int)r->dir == dir)) {
			*pp = r->next;
			free(r);
			n++;
		} else
			pp = &r->next;
	}
	return n;
}

/* Whether a rule applies to this segment. */
static bool
rule_matches(const struct link_rule *r, int seg, enum dir dir, uint8_t flags)
{
	if (r->seg != -1)
		return r->seg == seg;
	if (r->dir != dir)
		return false;
	return r->exact ? flags == r->flags : (flags & r->flags) == r->flags;
}

/* The first rule for this segment, used up unless it is standing. */
static bool
take_rule(struct link *l, int seg, enum dir dir, uint8_t flags,
    struct link_rule *out)
{
	struct link_rule	**pp, *r;

	for (pp = &l->rules; (r = *pp) != NULL; pp = &r->next) {
		if (!rule_matches(r, seg, dir, flags))
			continue;
		*out = *r;
		if (!r->standing) {
			*pp = r->next;
			free(r);
		}
		return true;
	}
	return false;
}

static struct flight *
new_flight(struct link *l, int seg, enum dir dir, const uint8_t *bytes,
    size_t n)
{
	struct flight	*f, **pp;
	size_t		 cap = n <= FLIGHT_SMALL ? FLIGHT_SMALL : n;

	if (cap == FLIGHT_SMALL && l->spare != NULL) {
		f = l->spare;
		l->spare = f->next;
		l->nspare--;
	} else
		f = xmalloc(sizeof *f + cap);
	memset(f, 0, sizeof *f);
	f->cap = cap;
	f->link = l;
	f->seg = seg;
	f->dir = dir;
	memcpy(f->bytes, bytes, n);
	f->nbytes = n;
	f->sent = l->clock->now;
	f->arrive = VT_NEVER;
	timer_init(&f->timer, flight_due, f, TIMER_ARRIVAL);
	/* Kept in the order sent, so the view lists them that way. */
	for (pp = &l->flights; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = f;
	return f;
}

static void
schedule(struct flight *f, vtime_t when)
{
	f->arrive = when;
	clock_arm(f->link->clock, &f->timer, when);
}

/*
 * A flight's fate (an enum rule_kind, or -1 for none), due at: lost
 * there, copied (the copy extra later), late by extra, waiting for the
 * next segment its way, held, or simply arriving.
 */
static void
set_fate(struct link *l, struct flight *f, int kind, vtime_t at,
    vtime_t extra)
{
	struct flight	*copy;

	switch (kind) {
	case RULE_DROP:
		f->drop = true;
		schedule(f, at);
		break;
	case RULE_DUP:
		schedule(f, at);
		copy = new_flight(l, f->seg, f->dir, f->bytes, f->nbytes);
		copy->copy = true;
		copy->sent = f->sent;
		schedule(copy, at + extra);
		break;
	case RULE_DELAY:
		schedule(f, at + extra);
		break;
	case RULE_REORDER:
		f->reorder = true;
		break;
	case RULE_HOLD:
		f->held = true;
		break;
	default:
		schedule(f, at);
		break;
	}
}

/*
 * Put a segment (journal index seg, its wire bytes) on the link, applying
 * the first rule that matches it.
 */
void
link_send(struct link *l, int seg, enum dir dir, uint8_t flags,
    const uint8_t *bytes, size_t n)
{
	struct flight		*f = new_flight(l, seg, dir, bytes, n);
	struct link_rule	 r;
	vtime_t			 at = l->clock->now + l->latency;

	if (!take_rule(l, seg, dir, flags, &r))
		set_fate(l, f, -1, at, 0);
	else
		set_fate(l, f, (int)r.kind, at, r.extra);
}

/*
 * A segment's time has come: first let go of any segment sent earlier that
 * was told to wait for a later one, so that it arrives right after this,
 * then hand this one over.
 */
static void
flight_due(struct timer *t, void *arg)
{
	struct flight	*f = arg, *o;
	struct link	*l = f->link;

	/* The list is in the order sent: only those before f wait for it. */
	for (o = l->flights; o != NULL && o != f; o = o->next) {
		if (o->reorder && o->dir == f->dir) {
			o->reorder = false;
			schedule(o, l->clock->now);
		}
	}
	if (f->drop)
		l->ops->lost(l->ctx, f);
	else
		l->ops->arrive(l->ctx, f);
	flight_free(l, f);
}

/*
 * Let held segments go (dir -1: both ways).  Each arrives when it would
 * have, or now if that time has passed.  Returns how many.
 */
int
link_release(struct link *l, int dir)
{
	int	 n = 0;

	for (struct flight *f = l->flights; f != NULL; f = f->next) {
		if (!f->held || (dir != -1 && (int)f->dir != dir))
			continue;
		f->held = false;
		schedule(f, f->sent + l->latency > l->clock->now ?
		    f->sent + l->latency : l->clock->now);
		n++;
	}
	return n;
}

/*
 * A segment still on the link gets a fate now (the kernel engine's,
 * for the learner): held, it goes on as it was sent (kind -1), or lost,
 * copied or late by extra, arriving when its latency would have had it
 * or now if that has passed; already on its way, it is lost, copied or
 * late from its arrival time.  Returns 0, or -1 if it is not on the link.
 */
int
link_let_go(struct link *l, int seg, int kind, vtime_t extra)
{
	struct flight	*f;
	vtime_t		 at;

	for (f = l->flights; f != NULL; f = f->next) {
		if (f->seg == seg && !f->copy && !f->reorder)
			break;
	}
	if (f == NULL || (!f->held && kind == -1))
		return -1;
	if (f->held) {
		f->held = false;
		at = f->sent + l->latency > l->clock->now ?
		    f->sent + l->latency : l->clock->now;
	} else
		at = f->arrive;
	set_fate(l, f, kind, at, extra);
	return 0;
}

/* The segment held longest, or -1. */
int
link_first_held(const struct link *l)
{
	for (const struct flight *f = l->flights; f != NULL; f = f->next) {
		if (f->held)
			return f->seg;
	}
	return -1;
}

/*
 * A reordered segment normally waits for the next one sent its way; when
 * nothing else is left to happen, it arrives after all.
 */
int
link_release_reordered(struct link *l)
{
	int	 n = 0;

	for (struct flight *f = l->flights; f != NULL; f = f->next) {
		if (f->reorder) {
			f->reorder = false;
			schedule(f, l->clock->now);
			n++;
		}
	}
	return n;
}

/* Segments on their way: held and reordered ones wait, they do not move. */
size_t
link_in_flight(const struct link *l)
{
	size_t	 n = 0;

	for (const struct flight *f = l->flights; f != NULL; f = f->next) {
		if (!f->held && !f->reorder)
			n++;
	}
	return n;
}

/* Copy the link's rules and flights. */
void
link_mark(const struct link *l, struct link_mark *m)
{
	size_t	 n = 0;

	memset(m, 0, sizeof *m);
	m->latency = l->latency;
	for (const struct link_rule *r = l->rules; r != NULL; r = r->next)
		n++;
	m->rules = xreallocarray(NULL, n ? n : 1, sizeof *m->rules);
	for (const struct link_rule *r = l->rules; r != NULL; r = r->next)
		m->rules[m->nrules++] = *r;
	n = 0;
	for (const struct flight *f = l->flights; f != NULL; f = f->next)
		n++;
	m->flights = xreallocarray(NULL, n ? n : 1, sizeof *m->flights);
	for (const struct flight *f = l->flights; f != NULL; f = f->next) {
		struct flight	*c = xmalloc(sizeof *c + f->nbytes);

		memcpy(c, f, sizeof *c + f->nbytes);
		c->cap = f->nbytes;
		m->flights[m->nflights++] = c;
	}
}

/*
 * Put the link back as it was at the mark: its rules, and its flights
 * with their timers as they were.  The clock's queue is the caller's to
 * relink at once (clock_relink): the flights' armed timers are put in
 * armed (room for m->nflights), and their count returned.
 */
size_t
link_rewind(struct link *l, const struct link_mark *m, struct timer **armed)
{
	struct link_rule	**rp;
	struct flight		**fp, *f;
	size_t			  n = 0;

	/* The caller relinks the clock: the flights only go. */
	while ((f = l->flights) != NULL) {
		l->flights = f->next;
		free(f);
	}
	while (l->rules != NULL) {
		struct link_rule	*r = l->rules;

		l->rules = r->next;
		free(r);
	}
	l->latency = m->latency;
	rp = &l->rules;
	for (size_t i = 0; i < m->nrules; i++) {
		*rp = xmalloc(sizeof **rp);
		**rp = m->rules[i];
		rp = &(*rp)->next;
	}
	*rp = NULL;
	fp = &l->flights;
	for (size_t i = 0; i < m->nflights; i++) {
		const struct flight	*c = m->flights[i];
		size_t			 cap = c->nbytes <= FLIGHT_SMALL ?
					     FLIGHT_SMALL : c->nbytes;

		f = xmalloc(sizeof *f + cap);
		memcpy(f, c, sizeof *f + c->nbytes);
		f->cap = cap;
		f->link = l;
		f->timer.arg = f;
		f->timer.next = NULL;
		f->next = NULL;
		if (f->timer.armed)
			armed[n++] = &f->timer;
		*fp = f;
		fp = &f->next;
	}
	return n;
}

void
link_mark_free(struct link_mark *m)
{
	for (size_t i = 0; i < m->nflights; i++)
		free(m->flights[i]);
	free(m->flights);
	free(m->rules);
	memset(m, 0, sizeof *m);
}
