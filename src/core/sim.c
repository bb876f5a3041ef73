/*
 * The simulation (sim.h): two endpoints, the link, the UDP socket pair
 * under it and the journal; each segment encoded, decoded and validated
 * before a state machine sees it, and carried through the kernel with
 * its batch (wire.h).
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "util.h"

#define LOOPBACK	0x7f000001u

static void	sim_output(void *, struct tcp *, struct segment *,
		    const uint8_t *);
static void	sim_state(void *, struct tcp *, enum tcp_state,
		    enum tcp_state, enum tcp_cause, int);
static void	sim_timer(void *, struct tcp *, enum tcp_timer,
		    enum timer_action, vtime_t);
static void	sim_notify(void *, struct tcp *, enum tcp_error);
static void	sim_settle(void *, struct tcp *);
static void	sim_arrive(void *, struct flight *);
static void	sim_lost(void *, struct flight *);

static const struct tcp_hooks sim_tcp_hooks = {
	sim_output, sim_state, sim_timer, sim_notify, sim_settle
};
static const struct link_ops sim_link_ops = { sim_arrive, sim_lost };

/* splitmix64: small, good enough, and the same everywhere. */
static uint64_t
next_random(uint64_t *s)
{
	uint64_t	 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t
sim_random(struct sim *s)
{
	return (uint32_t)(next_random(&s->rng) >> 32);
}

/*
 * Seed the run: the ISNs, the timestamp clocks and the garbage the script
 * may inject all come from it, so the same seed gives the same journal.
 */
void
sim_seed(struct sim *s, uint64_t seed)
{
	s->rng = seed;
	for (int i = 0; i < NSIDES; i++) {
		s->ep[i].isn_next = sim_random(s);
		s->ep[i].ts_offset = sim_random(s);
	}
}

static void
init_endpoints(struct sim *s)
{
	for (int i = 0; i < NSIDES; i++) {
		tcp_init(&s->ep[i], (enum side)i, &s->prof, &s->clock,
		    &sim_tcp_hooks, s);
		s->ep[i].relay = s->relay;
		s->ep[i].lport = s->journal.conn.port[i];
		s->ep[i].rport = s->journal.conn.port[!i];
	}
}

/* Returns 0, or -1 when the socket pair cannot be had (message in err). */
int
sim_init(struct sim *s, enum profile_id prof, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	if (wire_open(&s->wire, err, errlen) == -1)
		return -1;
	s->prof = profiles[prof];
	clock_init(&s->clock);
	journal_init(&s->journal);
	link_init(&s->link, &s->clock, &sim_link_ops, s);
	s->link.latency = s->prof.latency;
	s->journal.conn.ip[SIDE_CLIENT] = LOOPBACK;
	s->journal.conn.ip[SIDE_SERVER] = LOOPBACK;
	s->journal.conn.port[SIDE_CLIENT] = 40312;
	s->journal.conn.port[SIDE_SERVER] = 80;
	s->journal.conn.profile = prof;
	s->txbuf = xmalloc(SEG_DGRAM_MAX + 1);
	init_endpoints(s);
	sim_seed(s, 1);
	return 0;
}

void
sim_free(struct sim *s)
{
	for (int i = 0; i < NSIDES; i++)
		tcp_free(&s->ep[i]);
	link_free(&s->link);
	journal_free(&s->journal);
	wire_close(&s->wire);
	free(s->txbuf);
}

/* Before anything has happened only: the endpoints start afresh. */
void
sim_set_profile(struct sim *s, enum profile_id prof)
{
	uint32_t	 isn[NSIDES], ts[NSIDES], backlog[NSIDES];
	vtime_t		 ut[NSIDES];

	assert(!s->started);
	for (int i = 0; i < NSIDES; i++) {
		isn[i] = s->ep[i].isn_next;
		ts[i] = s->ep[i].ts_offset;
		ut[i] = s->ep[i].user_timeout;
		backlog[i] = s->ep[i].backlog;
		tcp_free(&s->ep[i]);
	}
	s->prof = profiles[prof];
	s->journal.conn.profile = prof;
	s->link.latency = s->prof.latency;
	init_endpoints(s);
	for (int i = 0; i < NSIDES; i++) {
		s->ep[i].isn_next = isn[i];
		s->ep[i].ts_offset = ts[i];
		s->ep[i].user_timeout = ut[i];
		s->ep[i].backlog = backlog[i];
	}
}

void
sim_set_isn(struct sim *s, enum side side, uint32_t isn)
{
	s->ep[side].isn_next = isn;
}

/* setsockopt(TCP_USER_TIMEOUT) on the side's socket; 0 turns it off. */
void
sim_set_user_timeout(struct sim *s, enum side side, vtime_t d)
{
	s->ep[side].user_timeout = d;
}

void
sim_set_addr(struct sim *s, enum side side, uint32_t ip, uint16_t port)
{
	s->journal.conn.ip[side] = ip;
	s->journal.conn.port[side] = port;
	s->ep[side].lport = port;
	s->ep[!side].rport = port;
}

static struct seg_addrs
addrs_from(const struct sim *s, enum side from)
{
	const struct jconn	*c = &s->journal.conn;
	struct seg_addrs	 a = { c->ip[from], c->ip[!from] };

	return a;
}

/* Encode, journal and put on the link; returns the journal index. */
static int
send_segment(struct sim *s, enum dir dir, struct segment *seg,
    const uint8_t *payload, bool injected)
{
	struct seg_addrs	 a = addrs_from(s, (enum side)dir);
	int			 n, idx;

	n = segment_encode(seg, payload, &a, s->txbuf, SEG_DGRAM_MAX);
	assert(n > 0);
	idx = journal_add_seg(&s->journal, dir, seg, s->txbuf, (size_t)n,
	    injected, s->clock.now);
	link_send(&s->link, idx, dir, seg->flags, s->txbuf, (size_t)n);
	return idx;
}

static void
sim_output(void *ctx, struct tcp *tp, struct segment *seg,
    const uint8_t *payload)
{
	struct sim	*s = ctx;

	s->started = true;
	send_segment(s, (enum dir)tp->side, seg, payload, false);
	/* Sent as the socket takes its backlog in, in the process's own
	 * context (release_sock): on loopback the softirq that ends the
	 * transmit carries it through the peer, and the peer's answer
	 * into the backlog, before the sender goes on. */
	if (tp->draining)
		sim_run_until(s, s->clock.now);
}

static void
sim_state(void *ctx, struct tcp *tp, enum tcp_state from, enum tcp_state to,
    enum tcp_cause cause, int n)
{
	struct sim	*s = ctx;
	struct jevent	*e;

	e = journal_add(&s->journal, JE_STATE, s->clock.now, tp->side);
	e->u.state.from = (uint8_t)from;
	e->u.state.to = (uint8_t)to;
	e->u.state.cause = cause;
	e->u.state.n = n;
}

static void
sim_timer(void *ctx, struct tcp *tp, enum tcp_timer kind,
    enum timer_action action, vtime_t due)
{
	struct sim	*s = ctx;
	struct jevent	*e;

	e = journal_add(&s->journal, JE_TIMER, s->clock.now, tp->side);
	e->x.timer.kind = (uint8_t)kind;
	e->x.timer.action = (uint8_t)action;
	e->u.timer.due = due;
}

static void
sim_notify(void *ctx, struct tcp *tp, enum tcp_error err)
{
	struct sim	*s = ctx;

	s->last_error[tp->side] = err;
	journal_add(&s->journal, JE_ERROR, s->clock.now, tp->side)->
	    u.error.err = err;
}

/* On lo a segment arrives as it is sent, and the peer's answer comes
 * back before the sender goes on: what is due now happens. */
static void
sim_settle(void *ctx, struct tcp *tp)
{
	(void)tp;
	sim_run_until(ctx, ((struct sim *)ctx)->clock.now);
}

/* Which way a datagram for side to is travelling. */
static enum dir
dir_to(enum side to)
{
	return to == SIDE_SERVER ? DIR_C2S : DIR_S2C;
}

static void
ignore(struct sim *s, enum side to, const uint8_t *buf, size_t n,
    enum jwhy why)
{
	int	 idx;

	idx = journal_add_raw(&s->journal, dir_to(to), buf, n, why);
	journal_seg_event(&s->journal, s->clock.now, idx, FATE_IGNORED);
	s->ignored[to]++;
}

/*
 * Validate one datagram that came to side to from sender (the other side
 * or WIRE_STRANGER): is it a segment of this connection?  Returns the
 * decoded segment through seg, or the reason it is not (WHY_NONE: it is).
 */
static enum jwhy
validate(struct sim *s, enum side to, int sender, const uint8_t *buf,
    size_t n, struct segment *seg, const uint8_t **payload)
{
	struct seg_addrs	 a = addrs_from(s, (enum side)!to);
	enum seg_error		 e;

	if (sender != (int)!to)
		return WHY_STRANGER;
	if ((e = segment_decode(buf, n, &a, seg, payload)) != SEG_OK)
		return journal_why(e);
	if (seg->sport != s->journal.conn.port[!to] ||
	    seg->dport != s->journal.conn.port[to])
		return WHY_PORTS;
	return WHY_NONE;
}

/*
 * One datagram has come to side to from sender.  If it is a flight's (f)
 * and validates, its segment goes to the state machine; anything else,
 * however well formed, is refused: only the link delivers segments.
 */
static void
take_datagram(struct sim *s, enum side to, int sender, const uint8_t *buf,
    size_t n, const struct flight *f)
{
	struct segment	 seg;
	const uint8_t	*payload;
	enum jwhy	 why;

	why = validate(s, to, sender, buf, n, &seg, &payload);
	if (f == NULL) {
		ignore(s, to, buf, n, why != WHY_NONE ? why : WHY_UNEXPECTED);
		return;
	}
	if (why != WHY_NONE) {
		/* A segment the script spoiled on purpose. */
		journal_seg_event(&s->journal, s->clock.now, f->seg,
		    FATE_IGNORED);
		s->journal.segs[f->seg].why = (uint8_t)why;
		s->ignored[to]++;
		return;
	}
	journal_seg_event(&s->journal, s->clock.now, f->seg,
	    f->copy ? FATE_DUPLICATED : FATE_DELIVERED);
	s->ep[to].peer_una = s->ep[!to].snd_una;
	tcp_input(&s->ep[to], &seg, payload);
}

/*
 * Post a datagram to cross the kernel, from sender to side to: it goes
 * with its batch (wire.h), and the receiver takes it as posted.  The
 * wire carries, it does not decide: what the kernel loses is sent again,
 * so the run is the same whatever the kernel did.  (Others cannot reach
 * these sockets at all: they are connected.)  A wire that fails stops the
 * run with s->failure said.
 */
static void
cross(struct sim *s, int sender, enum side to, const uint8_t *buf, size_t n)
{
	/* A segment as large as lo's (65483 octets of data) is 8 octets
	 * more than UDP over IPv4 carries: it arrives without crossing. */
	if (!s->in_memory && s->failure[0] == '\0' && n <= WIRE_DGRAM_MAX)
		wire_post(&s->wire, sender, to, buf, n, s->failure,
		    sizeof s->failure);
}

/* Every datagram posted, through the kernel and back. */
void
sim_flush(struct sim *s)
{
	if (!s->in_memory && s->failure[0] == '\0')
		wire_flush(&s->wire, s->failure, sizeof s->failure);
}

static void
sim_arrive(void *ctx, struct flight *f)
{
	struct sim	*s = ctx;
	enum side	 to = (enum side)!f->dir;

	if (s->ep[to].down) {
		/* Nobody is there to read it. */
		journal_seg_event(&s->journal, s->clock.now, f->seg,
		    FATE_DROPPED);
		return;
	}
	cross(s, (int)f->dir, to, f->bytes, f->nbytes);
	take_datagram(s, to, (int)f->dir, f->bytes, f->nbytes, f);
}

static void
sim_lost(void *ctx, struct flight *f)
{
	struct sim	*s = ctx;

	journal_seg_event(&s->journal, s->clock.now, f->seg, FATE_DROPPED);
}

enum tcp_error
sim_call(struct sim *s, enum side side, enum tcp_call call, uint32_t arg)
{
	uint64_t		 before = s->ep[side].read_total;
	struct jcall		*c;
	struct tcp_result	 res;
	size_t			 at;

	s->started = true;
	s->clock.step++;
	/* The call goes first, though the call's segments are sent inside
	 * it: the journal reads in cause-then-effect order. */
	c = journal_call(&s->journal, s->clock.now, side);
	c->call = (uint8_t)call;
	c->arg = arg;
	c->has_arg = call == CALL_SEND || (call == CALL_READ && arg != 0);
	at = s->journal.ncalls - 1;
	s->ep[side].read_acked = false;
	res = tcp_call(&s->ep[side], call, arg);
	/* Linux's close() and shutdown() hold the socket as they send the
	 * FIN, and on loopback the peer's answer comes before they return:
	 * into the backlog, taken in as they let go (__tcp_close's
	 * __release_sock).  Should the first of it end the connection (a
	 * RST for data after close), the rest reaches a closed socket,
	 * which drops it. */
	if ((call == CALL_CLOSE || call == CALL_SHUTDOWN) &&
	    s->prof.send_queue) {
		s->ep[side].held = true;
		sim_run_until(s, s->clock.now);
		tcp_release(&s->ep[side]);
	}
	/* A write returns once all of it is copied (Linux's sendmsg): what
	 * it sends, and what the peer answers on loopback meanwhile,
	 * happens before the next call. */
	while (call == CALL_SEND && s->ep[side].in_write &&
	    sim_step(s, s->clock.now))
		;
	/* Linux's recvmsg holds the socket while it copies, and an ACK it
	 * sent on loopback (a window opened) brings the peer's next data
	 * before it returns: into the socket's backlog, taken in as the
	 * read lets the socket go (tcp_release); another read takes that
	 * too, and so on while the release or the read sends an ACK the
	 * peer answers.  With latency nothing comes back in the same
	 * instant. */
	while (call == CALL_READ && res.what == OUT_BYTES &&
	    s->ep[side].read_acked && (arg == 0 || res.n < arg) &&
	    s->prof.send_queue) {
		struct tcp_result	 more;
		size_t			 from = s->journal.nsegs;

		s->ep[side].read_acked = false;
		s->ep[side].held = true;
		sim_run_until(s, s->clock.now);
		tcp_release(&s->ep[side]);
		/* Between two reads nothing holds the socket: what the peer
		 * answers to the release's ACKs comes in as it arrives. */
		sim_run_until(s, s->clock.now);
		more = tcp_call(&s->ep[side], CALL_READ, arg ? arg - res.n : 0);
		if (more.what != OUT_BYTES)
			break;
		res.n += more.n;
		for (size_t i = from; i < s->journal.nsegs; i++)
			if (s->journal.segs[i].dir == (uint8_t)side)
				s->ep[side].read_acked = true;
	}
	journal_set_result(&s->journal.calls[at], &res);
	if (call == CALL_READ && s->ep[side].read_total > before)
		s->read_total[side] += s->ep[side].read_total - before;
	if (res.err != TE_NONE && res.err != TE_AGAIN)
		s->last_error[side] = res.err;
	return res.err;
}

/*
 * The run stops here: each timer still set goes into the journal as
 * pending, with when it would fire, for the trace to list.
 */
void
sim_journal_pending(struct sim *s)
{
	for (int i = 0; i < NSIDES; i++) {
		for (int k = 0; k < TCP_NTIMERS; k++) {
			const struct timer	*tm = &s->ep[i].timers[k];
			struct jevent		*e;

			if (!tm->armed)
				continue;
			e = journal_add(&s->journal, JE_TIMER, s->clock.now,
			    (enum side)i);
			e->x.timer.kind = (uint8_t)k;
			e->x.timer.action = TA_PENDING;
			e->u.timer.due = tm->when;
		}
	}
}

/* Fire the next event if it is due no later than limit. */
bool
sim_step(struct sim *s, vtime_t limit)
{
	if (!clock_fire_next(&s->clock, limit))
		return false;
	s->events++;
	return true;
}

/* Let everything due up to t happen, then stand at t. */
void
sim_run_until(struct sim *s, vtime_t t)
{
	while (sim_step(s, t))
		;
	if (t > s->clock.now)
		clock_advance(&s->clock, t);
}

/* Nothing on its way and no acknowledgement owed: the script may end. */
bool
sim_quiet(const struct sim *s)
{
	if (link_in_flight(&s->link) > 0)
		return false;
	for (int i = 0; i < NSIDES; i++) {
		if (tcp_owes_ack(&s->ep[i]))
			return false;
	}
	return true;
}

/* Quiet, and nobody waiting to retransmit either. */
bool
sim_idle(const struct sim *s)
{
	if (!sim_quiet(s))
		return false;
	for (int i = 0; i < NSIDES; i++) {
		if (tcp_awaits_ack(&s->ep[i]))
			return false;
	}
	return true;
}

/* A crafted segment, numbers already absolute, sent like any other. */
void
sim_inject(struct sim *s, enum dir dir, const struct segment *tmpl)
{
	struct segment	 seg = *tmpl;
	uint8_t		*payload = NULL;

	seg.sport = s->journal.conn.port[dir];
	seg.dport = s->journal.conn.port[!dir];
	if (seg.len > 0) {
		payload = xmalloc(seg.len);
		tcp_stream_bytes((enum side)dir, 0, payload, seg.len);
	}
	send_segment(s, dir, &seg, payload, true);
	free(payload);
}

/*
 * A datagram that is not a valid segment of this connection, sent
 * straight on the wire to the side dir points at; the receiver refuses it.
 */
void
sim_inject_bad(struct sim *s, enum dir dir, enum bad_kind kind)
{
	struct seg_addrs	 a = addrs_from(s, (enum side)dir);
	struct segment		 seg;
	uint8_t			 buf[128];
	enum side		 to = (enum side)!dir;
	int			 from = (int)dir, n;

	segment_init(&seg);
	seg.sport = s->journal.conn.port[dir];
	seg.dport = s->journal.conn.port[to];
	seg.seq = sim_random(s);
	seg.ack = sim_random(s);
	seg.flags = TH_ACK;
	seg.win = 512;
	switch (kind) {
	case BAD_GARBAGE:
		n = 1 + (int)(sim_random(s) % sizeof buf);
		for (int i = 0; i < n; i++)
			buf[i] = (uint8_t)sim_random(s);
		/* Random octets could be a valid header only by a 2^-16
		 * checksum accident; make sure they are not. */
		if (n >= SEG_HDR_MIN)
			buf[12] = 0x10;		/* data offset 1: invalid */
		break;
	case BAD_SHORT:
		n = 1 + (int)(sim_random(s) % (SEG_HDR_MIN - 1));
		for (int i = 0; i < n; i++)
			buf[i] = (uint8_t)sim_random(s);
		break;
	case BAD_CHECKSUM:
		n = segment_encode(&seg, NULL, &a, buf, sizeof buf);
		buf[16] ^= 0x5a;
		break;
	case BAD_PORT:
		seg.dport = (uint16_t)(s->journal.conn.port[to] + 1);
		n = segment_encode(&seg, NULL, &a, buf, sizeof buf);
		break;
	case BAD_STRANGER:
	default:
		n = segment_encode(&seg, NULL, &a, buf, sizeof buf);
		from = WIRE_STRANGER;
		break;
	}
	s->started = true;
	/* A datagram crossing the kernel is an event like an arrival: a
	 * script cannot inject without end. */
	s->events++;
	/* It is refused at once: the refusal is part of this moment. */
	cross(s, from, to, buf, (size_t)n);
	take_datagram(s, to, from, buf, (size_t)n, NULL);
}

/* Take a checkpoint of the run as it stands. */
void
sim_mark(const struct sim *s, struct sim_mark *m)
{
	m->prof = s->prof;
	m->now = s->clock.now;
	m->step = s->clock.step;
	m->armed_count = s->clock.armed_count;
	for (int i = 0; i < NSIDES; i++) {
		m->ep[i] = s->ep[i];
		m->ignored[i] = s->ignored[i];
		m->read_total[i] = s->read_total[i];
		m->last_error[i] = s->last_error[i];
	}
	m->rng = s->rng;
	m->events = s->events;
	m->started = s->started;
	journal_mark(&s->journal, &m->journal);
	link_mark(&s->link, &m->link);
}

/*
 * Put the run back to a checkpoint: what happened since is forgotten,
 * the journal with it.  The endpoints are copied back in place, so their
 * timers' owners stay where they were; the timer queue is made anew.
 */
void
sim_rewind(struct sim *s, const struct sim_mark *m)
{
	struct timer	**armed;
	size_t		  n;

	armed = xreallocarray(NULL, m->link.nflights + NSIDES *
	    (TCP_NTIMERS + 1), sizeof *armed);
	n = link_rewind(&s->link, &m->link, armed);
	/* What was posted since the mark belongs to a future forgotten. */
	wire_discard(&s->wire);
	s->prof = m->prof;
	for (int i = 0; i < NSIDES; i++) {
		struct tcp	*tp = &s->ep[i];

		*tp = m->ep[i];
		for (int k = 0; k < TCP_NTIMERS; k++) {
			tp->timers[k].next = NULL;
			if (tp->timers[k].armed)
				armed[n++] = &tp->timers[k];
		}
		tp->write_timer.next = NULL;
		if (tp->write_timer.armed)
			armed[n++] = &tp->write_timer;
		s->ignored[i] = m->ignored[i];
		s->read_total[i] = m->read_total[i];
		s->last_error[i] = m->last_error[i];
	}
	s->clock.now = m->now;
	s->clock.step = m->step;
	s->clock.armed_count = m->armed_count;
	clock_relink(&s->clock, armed, n);
	free(armed);
	s->rng = m->rng;
	s->events = m->events;
	s->started = m->started;
	journal_rewind(&s->journal, &m->journal);
}

void
sim_mark_free(struct sim_mark *m)
{
	link_mark_free(&m->link);
}
