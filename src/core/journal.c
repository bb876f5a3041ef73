/* The journal (journal.h): events and segments, appended in order. */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "util.h"

void
journal_init(struct journal *j)
{
	memset(j, 0, sizeof *j);
	j->cur_cmd = -1;
}

/*
 * Keep a block the journal owns: a line of narration, a question's parts,
 * an expectation.  Events point into these; journal_clear frees them.
 */
static void *
own(struct journal *j, void *p)
{
	if (j->nowned == j->ownedcap) {
		j->ownedcap = j->ownedcap ? j->ownedcap * 2 : 64;
		j->owned = xreallocarray(j->owned, j->ownedcap,
		    sizeof *j->owned);
	}
	j->owned[j->nowned++] = p;
	return p;
}

static char *
own_str(struct journal *j, const char *s)
{
	return own(j, xstrdup(s));
}

void
journal_clear(struct journal *j)
{
	for (size_t i = 0; i < j->nowned; i++)
		free(j->owned[i]);
	j->nowned = 0;
	j->nev = 0;
	j->nsegs = 0;
	j->nbytes = 0;
	j->ncalls = 0;
	j->have_base[0] = j->have_base[1] = false;
	j->have_prev[0] = j->have_prev[1] = false;
}

void
journal_free(struct journal *j)
{
	journal_clear(j);
	free(j->ev);
	free(j->segs);
	free(j->bytes);
	free(j->owned);
	free(j->calls);
	journal_init(j);
}

/* Append an event; the caller fills in its fields. */
struct jevent *
journal_add(struct journal *j, enum jev_type type, vtime_t t, enum side side)
{
	struct jevent	*e;

	if (j->nev == j->evcap) {
		j->evcap = j->evcap ? j->evcap * 2 : 256;
		j->ev = xreallocarray(j->ev, j->evcap, sizeof *j->ev);
	}
	e = &j->ev[j->nev++];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->t = t;
	e->side = side;
	e->cmd = j->cur_cmd;
	return e;
}

/* A line of narration in one language. */
void
journal_say(struct journal *j, vtime_t t, enum lang lang, const char *text)
{
	struct jevent	*e = journal_add(j, JE_SAY, t, SIDE_NONE);

	e->x.lang = lang;
	e->u.say.text = own_str(j, text);
}

/*
 * A recording's answer (from 0) to the question just asked, in each of
 * its languages: the number of its choices, or -1 if none was asked.
 */
int
journal_answered(struct journal *j, int choice)
{
	int	 n = -1;

	for (size_t i = j->nev; i-- > 0; ) {
		struct jask	*q;

		if (j->ev[i].type != JE_ASK) {
			if (n >= 0)
				break;
			continue;
		}
		q = (struct jask *)(uintptr_t)j->ev[i].u.ask.q;
		n = q->nchoices;
		if (choice >= 0 && choice < q->nchoices)
			q->answered = choice + 1;
	}
	return n;
}

/* A question in one language: its choices, the right one, and why. */
void
journal_ask(struct journal *j, vtime_t t, enum lang lang, const char *text,
    char *const *choices, int nchoices, int answer, const char *why)
{
	struct jevent	*e = journal_add(j, JE_ASK, t, SIDE_NONE);
	struct jask	*q = own(j, xcalloc(1, sizeof *q));

	q->text = own_str(j, text);
	q->choices = own(j, xreallocarray(NULL, (size_t)nchoices,
	    sizeof *q->choices));
	for (int i = 0; i < nchoices; i++)
		q->choices[i] = own_str(j, choices[i]);
	q->nchoices = nchoices;
	q->answer = answer;
	q->why = why != NULL ? own_str(j, why) : NULL;
	e->x.lang = lang;
	e->u.ask.q = q;
}

/* An expectation checked: the caller fills in what was wanted and found. */
struct jexpect *
journal_expect(struct journal *j, vtime_t t, enum side side)
{
	struct jevent	*e = journal_add(j, JE_EXPECT, t, side);
	struct jexpect	*x = own(j, xcalloc(1, sizeof *x));

	x->found = -1;
	e->u.expect = x;
	return x;
}

/*
 * A call the application makes: its event, and its entry in calls for
 * the caller to fill in (valid until the next call is added).
 */
struct jcall *
journal_call(struct journal *j, vtime_t t, enum side side)
{
	struct jevent	*e = journal_add(j, JE_CALL, t, side);

	if (j->ncalls == j->callcap) {
		j->callcap = j->callcap ? j->callcap * 2 : 64;
		j->calls = xreallocarray(j->calls, j->callcap,
		    sizeof *j->calls);
	}
	e->u.call = (uint32_t)j->ncalls;
	memset(&j->calls[j->ncalls], 0, sizeof j->calls[j->ncalls]);
	return &j->calls[j->ncalls++];
}

static struct jseg *
new_seg(struct journal *j, enum dir dir, const uint8_t *bytes, size_t n)
{
	struct jseg	*s;

	if (j->nsegs == j->segcap) {
		j->segcap = j->segcap ? j->segcap * 2 : 64;
		j->segs = xreallocarray(j->segs, j->segcap, sizeof *j->segs);
	}
	s = &j->segs[j->nsegs];
	memset(s, 0, sizeof *s);
	s->id = (int32_t)++j->nsegs;
	s->dir = (uint8_t)dir;
	if (j->nbytes + n > j->bytecap) {
		while (j->nbytes + n > j->bytecap)
			j->bytecap = j->bytecap ? j->bytecap * 2 : 4096;
		j->bytes = xreallocarray(j->bytes, j->bytecap, 1);
	}
	memcpy(j->bytes + j->nbytes, bytes, n);
	s->off = (uint32_t)j->nbytes;
	s->nbytes = (uint32_t)n;
	j->nbytes += n;
	return s;
}

/*
 * Record a segment put on the link and its "sent" event; returns its
 * index.  Segments an endpoint sends set the relative base of their
 * direction: the first one sent that way, or a SYN with a new ISN (a new
 * connection), as Wireshark numbers a new stream.  The base it replaces
 * is kept for the old connection's numbers (journal_rel).
 */
int
journal_add_seg(struct journal *j, enum dir dir, const struct segment *seg,
    const uint8_t *bytes, size_t n, bool injected, vtime_t t)
{
	struct jseg	*s = new_seg(j, dir, bytes, n);
	int		 idx = s->id - 1;

	s->seg = *seg;
	s->valid = true;
	s->injected = injected;
	if (!injected && (!j->have_base[dir] ||
	    ((seg->flags & TH_SYN) && seg->seq != j->base[dir]))) {
		j->prev_base[dir] = j->base[dir];
		j->have_prev[dir] = j->have_base[dir];
		j->base[dir] = seg->seq;
		j->have_base[dir] = true;
	}
	/* A reset of a segment that had no ACK, a SYN to a port where
	 * nothing listens above all, is <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
	 * <CTL=RST,ACK> (RFC 9293 3.10.7.1): its 0 is no place in any
	 * stream, and counted from an earlier connection's ISN it would
	 * read as a number that depends on that ISN. */
	if ((seg->flags & (TH_RST | TH_ACK)) == (TH_RST | TH_ACK) &&
	    seg->seq == 0)
		s->rel_seq = 0;
	else
		s->rel_seq = journal_rel(j, dir, seg->seq);
	s->rel_ack = journal_rel(j, !dir, seg->ack);
	s->t = t;
	journal_seg_event(j, t, idx, FATE_SENT);
	return idx;
}

/* Record a datagram the wire refused, with the reason. */
int
journal_add_raw(struct journal *j, enum dir dir, const uint8_t *bytes,
    size_t n, enum jwhy why)
{
	struct jseg	*s = new_seg(j, dir, bytes, n);

	s->valid = false;
	s->injected = true;
	s->why = (uint8_t)why;
	segment_init(&s->seg);
	return s->id - 1;
}

void
journal_seg_event(struct journal *j, vtime_t t, int idx, enum fate fate)
{
	struct jevent	*e;

	assert(idx >= 0 && (size_t)idx < j->nsegs);
	e = journal_add(j, JE_SEG, t, (enum side)j->segs[idx].dir);
	e->u.seg.id = idx;
	e->u.seg.fate = fate;
}

/* How far apart two sequence numbers are, either way round (mod 2^32). */
static uint32_t
distance(uint32_t a, uint32_t b)
{
	uint32_t	 d = a - b;

	return d > 0x80000000u ? -d : d;
}

/*
 * A sequence number of direction dir, relative to that direction's base.
 * After a new connection's SYN, a number nearer the connection before it
 * is counted from that connection's base, as the peer still holding it
 * counts: a rebooted client's SYN draws a challenge ACK with ack=101, not
 * ack=2^32 less some millions that depend on the two ISNs (RFC 9293
 * 3.5.1, figure 9).
 */
uint32_t
journal_rel(const struct journal *j, enum dir dir, uint32_t v)
{
	if (!j->have_base[dir])
		return v;
	if (j->have_prev[dir] &&
	    distance(v, j->prev_base[dir]) < distance(v, j->base[dir]))
		return v - j->prev_base[dir];
	return v - j->base[dir];
}

/* Where the journal stands now. */
void
journal_mark(const struct journal *j, struct journal_mark *m)
{
	m->nev = j->nev;
	m->nsegs = j->nsegs;
	m->nbytes = j->nbytes;
	m->nowned = j->nowned;
	m->ncalls = j->ncalls;
	m->conn = j->conn;
	for (int i = 0; i < NSIDES; i++) {
		m->base[i] = j->base[i];
		m->have_base[i] = j->have_base[i];
		m->prev_base[i] = j->prev_base[i];
		m->have_prev[i] = j->have_prev[i];
	}
	m->cur_cmd = j->cur_cmd;
}

/* Forget what was added since the mark was taken. */
void
journal_rewind(struct journal *j, const struct journal_mark *m)
{
	assert(m->nev <= j->nev && m->nsegs <= j->nsegs &&
	    m->nowned <= j->nowned);
	for (size_t i = m->nowned; i < j->nowned; i++)
		free(j->owned[i]);
	j->nowned = m->nowned;
	j->nev = m->nev;
	j->nsegs = m->nsegs;
	j->nbytes = m->nbytes;
	j->ncalls = m->ncalls;
	j->conn = m->conn;
	for (int i = 0; i < NSIDES; i++) {
		j->base[i] = m->base[i];
		j->have_base[i] = m->have_base[i];
		j->prev_base[i] = m->prev_base[i];
		j->have_prev[i] = m->have_prev[i];
	}
	j->cur_cmd = m->cur_cmd;
}

/* The reason a decoder's error gives. */
enum jwhy
journal_why(enum seg_error e)
{
	switch (e) {
	case SEG_OK:
		return WHY_NONE;
	case SEG_ESHORT:
		return WHY_SHORT;
	case SEG_EOFFSET:
		return WHY_OFFSET;
	case SEG_EOPTION:
		return WHY_OPTION;
	case SEG_ECHECKSUM:
		return WHY_CHECKSUM;
	case SEG_ETOOBIG:
		return WHY_TOOBIG;
	}
	return WHY_UNEXPECTED;
}

/* The window scale each direction announced in its SYN, or -1. */
int
journal_wscale(const struct journal *j, enum dir dir)
{
	for (size_t i = 0; i < j->nsegs; i++) {
		const struct jseg *g = &j->segs[i];

		if (g->valid && g->dir == dir && (g->seg.flags & TH_SYN))
			return g->seg.wscale;
	}
	return -1;
}

/* A segment's window in octets: scaled once both SYNs offered a scale
 * (RFC 7323 2.2), never in a SYN. */
uint64_t
journal_window(const struct journal *j, const struct jseg *g)
{
	int	 ws = journal_wscale(j, (enum dir)g->dir);

	if ((g->seg.flags & TH_SYN) || ws <= 0 ||
	    journal_wscale(j, !g->dir) < 0)
		return g->seg.win;
	return (uint64_t)g->seg.win << ws;
}

/* A reason's name, as the trace prints it; NULL for none. */
const char *
journal_why_name(enum jwhy why)
{
	static const char *const names[] = {
		[WHY_NONE] = NULL,
		[WHY_SHORT] = "short",
		[WHY_OFFSET] = "offset",
		[WHY_OPTION] = "option",
		[WHY_CHECKSUM] = "checksum",
		[WHY_TOOBIG] = "toobig",
		[WHY_STRANGER] = "stranger",
		[WHY_PORTS] = "ports",
		[WHY_UNEXPECTED] = "unexpected",
	};

	return why < sizeof names / sizeof names[0] ? names[why] : NULL;
}

const char *
fate_name(enum fate f)
{
	static const char *const names[] = {
		"sent", "delivered", "dropped", "duplicated", "ignored"
	};

	return names[f];
}
