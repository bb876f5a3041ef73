/*
 * The state machine, state by state: one endpoint fed hand-made
 * segments, and what it sends, which state it takes, what its
 * application hears.  Under both profiles where they differ.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "seq.h"
#include "tap.h"
#include "tcp.h"

#define PEER_ISS	5000u
#define LPORT		40312
#define RPORT		80
/* Linux's timer wheel fires a wait of 60 s (15000 ticks) in a bucket of
 * 512 ticks after it: up to 2.048 s late. */
#define TW_SLACK_MS	2048

struct harness {
	struct clock	 clock;
	struct profile	 prof;
	struct tcp	 tp;
	struct segment	 out[64];
	int		 nout;
	int		 seen;		/* out[] read up to here */
	enum tcp_error	 err;
	enum tcp_cause	 cause;		/* of the last state change */
	int		 cause_n;
	struct tcp_result res;		/* of the last call */
};

static void
h_output(void *ctx, struct tcp *tp, struct segment *seg, const uint8_t *p)
{
	struct harness	*h = ctx;

	(void)tp;
	(void)p;
	if (h->nout < 64)
		h->out[h->nout++] = *seg;
}

static void
h_state(void *ctx, struct tcp *tp, enum tcp_state from, enum tcp_state to,
    enum tcp_cause cause, int n)
{
	struct harness	*h = ctx;

	(void)tp;
	(void)from;
	(void)to;
	h->cause = cause;
	h->cause_n = n;
}

static void
h_timer(void *ctx, struct tcp *tp, enum tcp_timer k, enum timer_action a,
    vtime_t due)
{
	(void)ctx;
	(void)tp;
	(void)k;
	(void)a;
	(void)due;
}

static void
h_notify(void *ctx, struct tcp *tp, enum tcp_error err)
{
	struct harness	*h = ctx;

	(void)tp;
	h->err = err;
}

static const struct tcp_hooks hooks = {
	h_output, h_state, h_timer, h_notify, NULL
};

static void
h_init(struct harness *h, enum profile_id prof)
{
	memset(h, 0, sizeof *h);
	clock_init(&h->clock);
	h->prof = profiles[prof];
	tcp_init(&h->tp, SIDE_CLIENT, &h->prof, &h->clock, &hooks, h);
	h->tp.lport = LPORT;
	h->tp.rport = RPORT;
	h->tp.isn_next = 1000;
}

static void
h_free(struct harness *h)
{
	tcp_free(&h->tp);
}

/* Segments sent since last asked. */
static int
h_sent(struct harness *h)
{
	int	 n = h->nout - h->seen;

	h->seen = h->nout;
	return n;
}

static const struct segment *
h_last(const struct harness *h)
{
	return h->nout ? &h->out[h->nout - 1] : NULL;
}

/* A segment from the peer. */
static void
h_in(struct harness *h, uint8_t flags, uint32_t seq, uint32_t ack,
    uint32_t len)
{
	struct segment	 s;

	segment_init(&s);
	s.sport = RPORT;
	s.dport = LPORT;
	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.win = 512;
	/* Timestamps, as Linux sends them: a millisecond clock. */
	s.has_ts = true;
	s.ts_val = 7000000 + (uint32_t)(h->clock.now / 1000);
	if (flags & TH_SYN) {
		s.mss = 65495;
		s.wscale = 7;
		s.sack_ok = true;
		s.win = 65535;
	}
	tcp_input(&h->tp, &s, NULL);
}

/* Let virtual time run to t, firing what falls due. */
static void
h_run(struct harness *h, vtime_t t)
{
	while (clock_fire_next(&h->clock, t))
		;
	if (t > h->clock.now)
		clock_advance(&h->clock, t);
}

/* Run until a segment goes, by limit at the latest: when it went, or
 * VT_NEVER. */
static vtime_t
h_next(struct harness *h, vtime_t limit)
{
	int	 n = h->nout;

	while (h->nout == n && clock_fire_next(&h->clock, limit))
		;
	return h->nout > n ? h->clock.now : VT_NEVER;
}

/* A timer's wait as Linux's wheel runs it, from from to at: never on
 * time, a tick late at least and an eighth of the wait at most. */
static bool
wheel_late(vtime_t from, vtime_t at, vtime_t wait)
{
	return at != VT_NEVER && at > from + wait &&
	    at <= from + wait + wait / 8 + VT_MS(4);
}

static enum tcp_error
h_call(struct harness *h, enum tcp_call c, uint32_t arg)
{
	h->res = tcp_call(&h->tp, c, arg);
	/* A write returns once all is copied and pushed (as sim_call). */
	while (c == CALL_SEND && h->tp.in_write &&
	    clock_fire_next(&h->clock, h->clock.now))
		;
	return h->res.err;
}

static bool
sent_is(const struct segment *s, uint8_t flags, uint32_t seq, uint32_t ack)
{
	return s != NULL && s->flags == flags && s->seq == seq &&
	    (!(flags & TH_ACK) || s->ack == ack);
}

/* An active open to ESTABLISHED: our ISS 1000, the peer's 5000. */
static void
h_establish(struct harness *h)
{
	h_call(h, CALL_CONNECT, 0);
	h_in(h, TH_SYN | TH_ACK, PEER_ISS, 1001, 0);
	h_sent(h);
}

static void
test_closed(void)
{
	struct harness	 h;

	h_init(&h, PROFILE_LINUX);
	h_in(&h, TH_SYN, 777, 0, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST | TH_ACK, 0, 778),
	    "CLOSED, SYN: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (3.10.7.1)");
	h_in(&h, TH_ACK, 777, 4242, 10);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST, 4242, 0),
	    "CLOSED, ACK: <SEQ=SEG.ACK><CTL=RST>");
	h_in(&h, TH_RST, 777, 0, 0);
	is_int(h_sent(&h), 0, "CLOSED, RST: discarded, no answer");
	h_in(&h, TH_FIN | TH_ACK, 9, 10, 5);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST, 10, 0),
	    "CLOSED, FIN with ACK: reset with seq = its ACK");
	h_free(&h);
}

static void
test_listen(void)
{
	struct harness	 h;

	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_LISTEN, 0);
	is_int(h.tp.state, TCPS_LISTEN, "listen(): LISTEN");
	h_in(&h, TH_RST, 1, 0, 0);
	ok(h_sent(&h) == 0 && h.tp.state == TCPS_LISTEN,
	    "LISTEN, RST: ignored (3.10.7.2 first)");
	h_in(&h, TH_ACK, 1, 99, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST, 99, 0) &&
	    h.tp.state == TCPS_LISTEN, "LISTEN, ACK: <SEQ=SEG.ACK><CTL=RST>");
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	ok(h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_SYN | TH_ACK, 1000, PEER_ISS + 1),
	    "LISTEN, SYN: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>");
	is_int(h.tp.state, TCPS_SYN_RECEIVED, "and SYN_RECEIVED");
	ok(h.cause == CAUSE_RCV_SYN && strcmp(tcp_causes[h.cause].rfc,
	    "3.10.7.2") == 0, "the transition cites 3.10.7.2");
	ok(h_last(&h)->mss == 65495 && h_last(&h)->wscale == 10 &&
	    h_last(&h)->sack_ok, "the SYN+ACK answers the options offered");
	is_int(h_last(&h)->win, 65483, "linux: SYN+ACK window 65483");
	h_free(&h);
}

static void
test_syn_sent(void)
{
	struct harness	 h;

	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_CONNECT, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_SYN, 1000, 0) &&
	    h.tp.state == TCPS_SYN_SENT, "connect(): SYN, SYN_SENT");
	ok(h_last(&h)->mss == 65495 && h_last(&h)->has_ts &&
	    h_last(&h)->ts_ecr == 0 && h_last(&h)->win == 65495,
	    "linux SYN: MSS 65495, timestamps, window 65495");
	h_in(&h, TH_SYN | TH_ACK, PEER_ISS, 1000, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST, 1000, 0) &&
	    h.tp.state == TCPS_SYN_SENT,
	    "SYN_SENT, SEG.ACK =< ISS: RST with seq = SEG.ACK, stay");
	h_in(&h, TH_RST | TH_ACK, 0, 1001 + 5, 0);
	ok(h_sent(&h) == 0 && h.tp.state == TCPS_SYN_SENT,
	    "SYN_SENT, RST with a bad ACK: dropped");
	h_in(&h, TH_RST, 0, 0, 0);
	ok(h_sent(&h) == 0 && h.tp.state == TCPS_SYN_SENT,
	    "SYN_SENT, RST without ACK: dropped");
	h_in(&h, TH_RST | TH_ACK, 0, 1001, 0);
	ok(h.tp.state == TCPS_CLOSED && h.err == TE_CONNREFUSED,
	    "SYN_SENT, RST with an acceptable ACK: CLOSED, ECONNREFUSED");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_CONNECT, 0);
	h_sent(&h);
	h_in(&h, TH_SYN | TH_ACK, PEER_ISS, 1001, 0);
	ok(h.tp.state == TCPS_ESTABLISHED && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_ACK, 1001, PEER_ISS + 1),
	    "SYN_SENT, SYN+ACK: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT>");
	is_int(h_last(&h)->win, 64, "linux: then window 64 (65536 >> 10)");
	is_int(h.tp.rto, VT_MS(204), "linux: RTO 204 ms after a "
	    "loopback handshake");
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_call(&h, CALL_CONNECT, 0);
	h_sent(&h);
	ok(h_last(&h)->mss == 1460 && !h_last(&h)->has_ts &&
	    h_last(&h)->wscale == -1, "rfc9293 SYN: MSS 1460 only");
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	ok(h.tp.state == TCPS_SYN_RECEIVED && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_SYN | TH_ACK, 1000, PEER_ISS + 1),
	    "SYN_SENT, SYN: simultaneous open, SYN_RECEIVED, "
	    "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>");
	h_in(&h, TH_ACK, PEER_ISS + 1, 1001, 0);
	is_int(h.tp.state, TCPS_ESTABLISHED, "then its ACK: ESTABLISHED");
	h_free(&h);
}

static void
test_syn_received(void)
{
	struct harness	 h;

	/* linux: a request socket. */
	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_LISTEN, 0);
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	h_sent(&h);
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_SYN | TH_ACK, 1000,
	    PEER_ISS + 1), "linux SYN_RECEIVED, the SYN again: SYN+ACK again");
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	is_int(h_sent(&h), 0, "and not again within 500 ms");
	h_in(&h, TH_ACK, PEER_ISS + 1, 1000 + 7, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST, 1007, 0) &&
	    h.tp.state == TCPS_SYN_RECEIVED,
	    "an ACK of something else: RST, the request stays");
	h_in(&h, TH_RST, PEER_ISS + 1, 0, 0);
	ok(h.tp.state == TCPS_LISTEN && h_sent(&h) == 0,
	    "RST: the half-open connection goes back to LISTEN");
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	h_in(&h, TH_ACK, PEER_ISS + 1, h.tp.iss + 1, 0);
	is_int(h.tp.state, TCPS_ESTABLISHED, "its ACK: ESTABLISHED");
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_call(&h, CALL_LISTEN, 0);
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	h_in(&h, TH_RST, PEER_ISS + 1, 0, 0);
	is_int(h.tp.state, TCPS_LISTEN,
	    "rfc9293 SYN_RECEIVED, RST: back to LISTEN (3.10.7.4)");
	h_free(&h);
}

static void
test_established(void)
{
	struct harness	 h;
	enum profile_id	 p;

	for (p = PROFILE_LINUX; p <= PROFILE_RFC9293; p++) {
		const char	*pn = profiles[p].name;

		h_init(&h, p);
		h_establish(&h);
		h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 1, 1001, 100);
		ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK, 1001,
		    PEER_ISS + 101), "%s: data in order is ACKed at once "
		    "(first data)", pn);
		h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 201, 1001, 100);
		ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK, 1001,
		    PEER_ISS + 101), "%s: out of order: a duplicate ACK at "
		    "once", pn);
		h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 101, 1001, 100);
		ok(h_sent(&h) == 1 && h_last(&h)->ack == PEER_ISS + 301 &&
		    h.tp.rcvq == 300, "%s: the hole filled: all of it ACKed",
		    pn);
		h_in(&h, TH_RST, PEER_ISS + 301 + 1000, 0, 0);
		ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK, 1001,
		    PEER_ISS + 301) && h.tp.state == TCPS_ESTABLISHED,
		    "%s: RST in the window, not at RCV.NXT: challenge ACK "
		    "(RFC 5961)", pn);
		h_in(&h, TH_RST, PEER_ISS + 301 + 10000000, 0, 0);
		ok(h_sent(&h) == 0 && h.tp.state == TCPS_ESTABLISHED,
		    "%s: RST outside the window: dropped silently", pn);
		h_run(&h, h.clock.now + VT_SEC(1));
		h_in(&h, TH_SYN, 123, 0, 0);
		ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK, 1001,
		    PEER_ISS + 301) && h.tp.state == TCPS_ESTABLISHED,
		    "%s: SYN: challenge ACK, no reset", pn);
		h_run(&h, h.clock.now + VT_SEC(1));
		h_in(&h, TH_ACK, PEER_ISS + 301, 5000, 0);
		ok(h_sent(&h) == 1 && h.tp.snd_una == 1001,
		    "%s: an ACK of data never sent: ACK, dropped", pn);
		h_in(&h, TH_RST, PEER_ISS + 301, 0, 0);
		ok(h.tp.state == TCPS_CLOSED && h.err == TE_CONNRESET,
		    "%s: RST at RCV.NXT: CLOSED, ECONNRESET", pn);
		h_free(&h);
	}
}

static void
test_close_states(void)
{
	struct harness	 h;

	/* FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT, then 2MSL. */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_call(&h, CALL_CLOSE, 0);
	ok(h.tp.state == TCPS_FIN_WAIT_1 && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_FIN | TH_ACK, 1001, PEER_ISS + 1),
	    "close(): FIN_WAIT_1, F. (a FIN after the handshake carries ACK)");
	h_in(&h, TH_ACK, PEER_ISS + 1, 1002, 0);
	is_int(h.tp.state, TCPS_FIN_WAIT_2, "the ACK of our FIN: FIN_WAIT_2");
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	ok(h.tp.state == TCPS_TIME_WAIT && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_ACK, 1002, PEER_ISS + 2),
	    "FIN_WAIT_2, FIN: TIME_WAIT, ACK at once");
	h_run(&h, h.clock.now + VT_SEC(30));
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK, 1002, PEER_ISS + 2),
	    "TIME_WAIT, the FIN again: ACK again");
	h_run(&h, h.clock.now + VT_SEC(59));
	is_int(h.tp.state, TCPS_TIME_WAIT, "and 2MSL starts over: 59 s "
	    "later still TIME_WAIT");
	h_run(&h, h.clock.now + VT_MS(1000 + TW_SLACK_MS));
	is_int(h.tp.state, TCPS_CLOSED, "60 s after the last FIN, and the "
	    "timer wheel's slack: CLOSED");
	h_free(&h);

	/* FIN_WAIT_1, FIN not acking ours: CLOSING, then TIME_WAIT. */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_call(&h, CALL_CLOSE, 0);
	h_sent(&h);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1001, 0);
	ok(h.tp.state == TCPS_CLOSING && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_ACK, 1002, PEER_ISS + 2),
	    "FIN_WAIT_1, FIN: CLOSING, ACK at once");
	h_in(&h, TH_ACK, PEER_ISS + 2, 1002, 0);
	is_int(h.tp.state, TCPS_TIME_WAIT, "CLOSING, ACK of our FIN: "
	    "TIME_WAIT");
	h_free(&h);

	/* FIN_WAIT_1, FIN+ACK: straight to TIME_WAIT. */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_call(&h, CALL_CLOSE, 0);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	is_int(h.tp.state, TCPS_TIME_WAIT,
	    "FIN_WAIT_1, FIN acknowledging ours: straight to TIME_WAIT");
	h_free(&h);

	/* CLOSE_WAIT and LAST_ACK, with Linux's delayed ACK of the FIN. */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1001, 0);
	ok(h.tp.state == TCPS_CLOSE_WAIT && h_sent(&h) == 0,
	    "linux ESTABLISHED, FIN: CLOSE_WAIT, the ACK waits");
	h_run(&h, h.clock.now + VT_MS(4));
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK, 1001, PEER_ISS + 2),
	    "and goes on the next tick (4 ms) when no data ever came");
	h_call(&h, CALL_CLOSE, 0);
	ok(h.tp.state == TCPS_LAST_ACK && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_FIN | TH_ACK, 1001, PEER_ISS + 2),
	    "CLOSE_WAIT, close(): LAST_ACK, FIN");
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	ok(h_sent(&h) == 1 && h.tp.state == TCPS_LAST_ACK,
	    "LAST_ACK, the peer's FIN again: ACK, stay");
	h_in(&h, TH_ACK, PEER_ISS + 2, 1002, 0);
	is_int(h.tp.state, TCPS_CLOSED, "LAST_ACK, ACK of our FIN: CLOSED");
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_establish(&h);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1001, 0);
	ok(h.tp.state == TCPS_CLOSE_WAIT && h_sent(&h) == 1,
	    "rfc9293 ESTABLISHED, FIN: CLOSE_WAIT, ACK at once");
	h_free(&h);
}

static void
test_time_wait_linux(void)
{
	struct harness	 h;

	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_call(&h, CALL_CLOSE, 0);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	h_sent(&h);
	h_in(&h, TH_RST, PEER_ISS + 2, 0, 0);
	is_int(h.tp.state, TCPS_CLOSED,
	    "linux TIME_WAIT, RST at RCV.NXT: ends it (tcp_rfc1337 = 0)");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_call(&h, CALL_CLOSE, 0);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	h_run(&h, h.clock.now + VT_MS(150));
	is_int(h_call(&h, CALL_CONNECT, 0), TE_ADDRINUSE,
	    "connect() from the port in TIME_WAIT, no SO_REUSEADDR: bind() "
	    "fails, EADDRINUSE");
	h.prof.reuseaddr = true;
	is_int(h_call(&h, CALL_CONNECT, 0), TE_ADDRINUSE,
	    "SO_REUSEADDR on the new socket only: still EADDRINUSE");
	h.tp.so_reuseaddr = true;	/* as if the old one had asked */
	h.tp.ts_ok = false;
	is_int(h_call(&h, CALL_CONNECT, 0), TE_ADDRNOTAVAIL,
	    "both asked, but no timestamps: EADDRNOTAVAIL");
	h.tp.ts_ok = true;
	is_int(h_call(&h, CALL_CONNECT, 0), TE_NONE,
	    "with SO_REUSEADDR and timestamps: connect() takes over at once");
	ok(h.tp.state == TCPS_SYN_SENT &&
	    h_last(&h)->seq == 1002 + 65535 + 2,
	    "with an ISS past the old connection's: SND.NXT + 65537");
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_establish(&h);
	h_call(&h, CALL_CLOSE, 0);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, 1002, 0);
	h.prof.reuseaddr = true;
	h.tp.so_reuseaddr = true;
	is_int(h_call(&h, CALL_CONNECT, 0), TE_ADDRNOTAVAIL,
	    "rfc9293: SO_REUSEADDR or not, TIME_WAIT holds the four-tuple");
	h_free(&h);
}

static void
test_calls(void)
{
	struct harness	 h;

	h_init(&h, PROFILE_LINUX);
	is_int(h_call(&h, CALL_SEND, 10), TE_NOTCONN, "send() unconnected: "
	    "ENOTCONN");
	h_establish(&h);
	is_int(h_call(&h, CALL_CONNECT, 0), TE_ISCONN, "connect() twice: "
	    "EISCONN");
	h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 1, 1001, 20);
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 21, 1001, 0);
	is_int(h_call(&h, CALL_READ, 0), TE_NONE, "read() takes the data");
	ok(h.tp.read_total == 20 && h.res.what == OUT_BYTES &&
	    h.res.n == 20, "all 20 octets, and says so");
	ok(h_call(&h, CALL_READ, 0) == TE_NONE && h.res.what == OUT_EOF,
	    "then end of stream");
	h_call(&h, CALL_SHUTDOWN, 0);
	is_int(h.tp.state, TCPS_LAST_ACK, "shutdown() in CLOSE_WAIT: LAST_ACK");
	is_int(h_call(&h, CALL_SEND, 5), TE_PIPE, "send() after it: EPIPE");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 1, 1001, 20);
	h_sent(&h);
	h_call(&h, CALL_CLOSE, 0);
	ok(h.tp.state == TCPS_CLOSED && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_RST | TH_ACK, 1001, PEER_ISS + 21),
	    "linux close() with unread data: RST+ACK, CLOSED");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_call(&h, CALL_ABORT, 0);
	ok(h.tp.state == TCPS_CLOSED &&
	    sent_is(h_last(&h), TH_RST | TH_ACK, 1001, PEER_ISS + 1),
	    "linux abort: R. <SEQ=SND.NXT>, CLOSED");
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_establish(&h);
	h_call(&h, CALL_ABORT, 0);
	ok(h.tp.state == TCPS_CLOSED &&
	    sent_is(h_last(&h), TH_RST, 1001, 0),
	    "rfc9293 abort: <SEQ=SND.NXT><CTL=RST> (3.10.5)");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_LISTEN, 0);
	h_call(&h, CALL_CLOSE, 0);
	ok(h.tp.state == TCPS_CLOSED && h_sent(&h) == 0,
	    "close() in LISTEN: CLOSED, nothing sent");
	h_call(&h, CALL_CONNECT, 0);
	h_sent(&h);
	h_call(&h, CALL_CLOSE, 0);
	ok(h.tp.state == TCPS_CLOSED && h_sent(&h) == 0,
	    "close() in SYN_SENT: CLOSED, nothing sent");
	h_free(&h);
}

static void
test_timers(void)
{
	struct harness	 h;

	/* The SYN's waits: 1 s five times, then doubling.  Linux's timer
	 * wheel puts a wait of 63 ticks or more in a bucket of 8 ticks (of
	 * 64 past 504, of 512 past 4032) after its expiry: a wait is never
	 * short, and at most an eighth late.  From a bucket's edge a wait
	 * of 1 s takes 1.024 s and 2 s 2.016 s, as 6.18 does on lo. */
	static const int linux_syn[] = { 1, 1, 1, 1, 1, 2, 4, 8, 16, 32 };
	static const int linux_syn_ms[] = { 0, 1024, 1024, 1024, 1024, 2016 };
	vtime_t		 t, at, wait;
	int		 i, exact = 0;

	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_CONNECT, 0);
	h_sent(&h);
	for (i = 0, t = 0; i < 10; i++, t = at) {
		wait = VT_SEC(linux_syn[i]);
		at = h_next(&h, t + wait + wait / 8 + VT_MS(4));
		if (!wheel_late(t, at, wait) || h_sent(&h) != 1)
			break;
		if (i < 6 && linux_syn_ms[i] != 0)
			exact += at - t == VT_MS(linux_syn_ms[i]);
	}
	is_int(i, 10, "linux: 10 SYN retransmissions, after 1 s five times "
	    "and then 2, 4, 8, 16, 32 s, each a tick late at least and an "
	    "eighth at most");
	is_int(exact, 5, "1.024 s four times, then 2.016 s, as the kernel");
	h_next(&h, t + VT_SEC(64) + VT_SEC(8) + VT_MS(4));
	ok(h.clock.now > t + VT_SEC(64) && h.tp.state == TCPS_CLOSED &&
	    h.err == TE_TIMEDOUT, "given up 64 s after the last: ETIMEDOUT");
	ok(h.cause == CAUSE_GIVE_UP_SYN && h.cause_n == 10,
	    "the cause: the SYN, retransmitted 10 times (%d)", h.cause_n);
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_call(&h, CALL_CONNECT, 0);
	h_sent(&h);
	for (i = 0, t = 0; i < 7; i++) {
		vtime_t	 rto = VT_SEC(1) << i;

		t += rto > VT_SEC(60) ? VT_SEC(60) : rto;
		h_run(&h, t);
		if (h_sent(&h) != 1)
			break;
	}
	is_int(i, 7, "rfc9293 SYN retransmissions doubling: 1, 3, 7, 15, 31, "
	    "63, 123 s");
	h_free(&h);

	/* Data: tail loss probe, then backoff from 204 ms. */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	t = h.clock.now;
	h_call(&h, CALL_SEND, 10);
	h_sent(&h);
	at = h_next(&h, t + VT_SEC(1));
	ok(wheel_late(t, at, VT_MS(204)) && h_sent(&h) == 1 &&
	    h_last(&h)->len == 10 && h.tp.backoff == 0,
	    "linux: the data again after 204 ms, a probe, no backoff");
	t = at;
	at = h_next(&h, t + VT_SEC(1));
	ok(wheel_late(t, at, VT_MS(204)) && h_sent(&h) == 1 &&
	    h.tp.backoff == 1,
	    "then an RTO retransmission 204 ms later, backing off");
	t = at;
	at = h_next(&h, t + VT_SEC(1));
	ok(wheel_late(t, at, VT_MS(408)) && h_sent(&h) == 1,
	    "and the next 408 ms after that");
	h_free(&h);

	/* Two segments out (data, then data and FIN held back by Nagle):
	 * the probe waits two RTTs and 2 ms, not 200 ms, so it goes
	 * before the peer's delayed ACK (tcp_schedule_loss_probe). */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	t = h.clock.now;
	h_call(&h, CALL_SEND, 10);
	h_call(&h, CALL_SEND, 10);
	h_call(&h, CALL_CLOSE, 0);
	ok(h_sent(&h) == 2 && sent_is(h_last(&h), TH_FIN | TH_PSH | TH_ACK,
	    1011, PEER_ISS + 1) && h_last(&h)->len == 10,
	    "linux: close() with data held back: FP. seq=1011 len=10");
	at = h_next(&h, t + VT_SEC(1));
	ok(wheel_late(t, at, VT_MS(4)) && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_FIN | TH_PSH | TH_ACK, 1011, PEER_ISS + 1) &&
	    h.tp.backoff == 0,
	    "the FP. again after 2 * SRTT + 2 ms in ticks (one), a probe");
	h_free(&h);

	/* An orphan's FIN never ACKed: tcp_orphan_retries 0, taken as 8,
	 * is a time budget of 511 x 200 ms from the first RTO resend. */
	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	t = h.clock.now;
	h_call(&h, CALL_CLOSE, 0);
	h_sent(&h);
	while (h.tp.state == TCPS_FIN_WAIT_1 &&
	    clock_fire_next(&h.clock, t + VT_SEC(200)))
		;
	is_int(h_sent(&h), 9, "linux orphan: a probe and 8 RTO resends of its "
	    "FIN");
	ok(h.tp.state == TCPS_CLOSED && h.clock.now > t + VT_MS(104448) &&
	    h.clock.now <= t + VT_MS(104448) * 9 / 8,
	    "then it is dropped, without a RST, at the 9th timeout: 104.448 s "
	    "and the wheel's slack");
	ok(h.cause == CAUSE_GIVE_UP_FIN && h.cause_n == 8,
	    "the cause: the FIN, retransmitted 8 times (%d)", h.cause_n);
	is_int(h.err, TE_NONE, "and no program is told: it has closed");
	h_free(&h);
}

/*
 * The listener's accept queue: a SYN that finds it full is dropped; an
 * ACK that finds it filled since the SYN is dropped too (linux), or
 * reset with tcp_abort_on_overflow; accept() takes the oldest first.
 */
static void
test_accept_queue(void)
{
	struct harness	 h;
	vtime_t		 at;

	for (int p = 0; p < NPROFILES; p++) {
		h_init(&h, (enum profile_id)p);
		h.tp.backlog = 1;
		h_call(&h, CALL_LISTEN, 0);
		ok(tcp_others_arrive(&h.tp, 2) && tcp_acceptq_full(&h.tp),
		    "%s: backlog 1 holds two connections", profiles[p].name);
		ok(!tcp_others_arrive(&h.tp, 1), "and no third");
		h_in(&h, TH_SYN, PEER_ISS, 0, 0);
		ok(h_sent(&h) == 0 && h.tp.state == TCPS_LISTEN,
		    "a SYN to a full queue is dropped without a word");
		h_call(&h, CALL_ACCEPT, 0);
		is_int(h.res.what, OUT_OTHER_CONN,
		    "accept() takes the oldest: another client's");
		h_in(&h, TH_SYN, PEER_ISS, 0, 0);
		h_in(&h, TH_ACK, PEER_ISS + 1, h.tp.iss + 1, 0);
		ok(h.tp.state == TCPS_ESTABLISHED && tcp_acceptq_full(&h.tp),
		    "room for one: the next SYN completes, the queue is full");
		h_call(&h, CALL_ACCEPT, 0);
		ok(h.res.what == OUT_OTHER_CONN && !h.tp.accepted,
		    "accept() takes the other one first");
		h_call(&h, CALL_ACCEPT, 0);
		ok(h.res.what == OUT_NONE && h.tp.accepted,
		    "then this one");
		h_free(&h);
	}

	h_init(&h, PROFILE_LINUX);
	h.tp.backlog = 1;
	h_call(&h, CALL_LISTEN, 0);
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	h_sent(&h);
	tcp_others_arrive(&h.tp, 2);
	h_in(&h, TH_ACK, PEER_ISS + 1, h.tp.iss + 1, 0);
	ok(h_sent(&h) == 0 && h.tp.state == TCPS_SYN_RECEIVED,
	    "linux: the ACK finds the queue filled since: dropped");
	h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 1, h.tp.iss + 1, 10);
	ok(h_sent(&h) == 0 && h.tp.state == TCPS_SYN_RECEIVED &&
	    h.tp.rcvq == 0, "and data with it");
	at = h_next(&h, VT_SEC(2));
	ok(wheel_late(0, at, VT_SEC(1)) && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_SYN | TH_ACK, 1000, PEER_ISS + 1),
	    "the SYN+ACK timer still runs: 1 s");
	h_call(&h, CALL_ACCEPT, 0);
	h_in(&h, TH_ACK, PEER_ISS + 1, h.tp.iss + 1, 0);
	is_int(h.tp.state, TCPS_ESTABLISHED, "room again: the ACK completes");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h.prof.abort_on_overflow = true;
	h.tp.backlog = 0;
	h_call(&h, CALL_LISTEN, 0);
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	h_sent(&h);
	tcp_others_arrive(&h.tp, 1);
	h_in(&h, TH_ACK, PEER_ISS + 1, h.tp.iss + 1, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST, 1001, 0) &&
	    h.tp.state == TCPS_LISTEN && h.cause == CAUSE_OVERFLOW_RESET,
	    "tcp_abort_on_overflow: RST, and the request goes");
	h_free(&h);
}

/* A passive open on the harness's endpoint, to ESTABLISHED. */
static void
h_accept_one(struct harness *h)
{
	h_call(h, CALL_LISTEN, 0);
	h_in(h, TH_SYN, PEER_ISS, 0, 0);
	h_in(h, TH_ACK, PEER_ISS + 1, h->tp.iss + 1, 0);
	h_sent(h);
}

/*
 * The program exits: the kernel closes its sockets as close() would.
 * The connection's FIN, or RST with data unread; the listener closes
 * too, so a later SYN is refused; and no descriptor is left to use.
 */
static void
test_exit(void)
{
	struct harness	 h;
	uint32_t	 iss;

	h_init(&h, PROFILE_LINUX);
	h_accept_one(&h);
	h_call(&h, CALL_ACCEPT, 0);
	iss = h.tp.iss;
	is_int(h_call(&h, CALL_EXIT, 0), TE_NONE, "exit(): no error");
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_FIN | TH_ACK, iss + 1,
	    PEER_ISS + 1) && h.tp.state == TCPS_FIN_WAIT_1,
	    "linux exit with a connection: F. as close() sends, FIN_WAIT_1");
	ok(h_call(&h, CALL_SEND, 10) == TE_BADF && h_call(&h, CALL_READ, 0) ==
	    TE_BADF && h_call(&h, CALL_CLOSE, 0) == TE_BADF &&
	    h_call(&h, CALL_SHUTDOWN, 0) == TE_BADF &&
	    h_call(&h, CALL_ABORT, 0) == TE_BADF &&
	    h_call(&h, CALL_KEEPALIVE, 1) == TE_BADF,
	    "after exit, send, read, close, shutdown, abort, keepalive: EBADF");
	is_int(h_call(&h, CALL_ACCEPT, 0), TE_INVAL,
	    "accept() after exit: EINVAL, nothing listens");
	is_int(h_call(&h, CALL_EXIT, 0), TE_NONE, "a second exit: nothing "
	    "left to close");
	is_int(h_sent(&h), 0, "and nothing sent");
	h_in(&h, TH_ACK, PEER_ISS + 1, iss + 2, 0);
	is_int(h.tp.state, TCPS_FIN_WAIT_2, "its FIN acknowledged: FIN_WAIT_2");
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, iss + 2, 0);
	ok(h.tp.state == TCPS_TIME_WAIT && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_ACK, iss + 2, PEER_ISS + 2),
	    "the peer's FIN: ACK, TIME_WAIT");
	h_run(&h, h.clock.now + VT_MS(60000 + TW_SLACK_MS));
	is_int(h.tp.state, TCPS_CLOSED, "60 s later CLOSED, not LISTEN: the "
	    "listener went with the program");
	h_in(&h, TH_SYN, PEER_ISS + 9000, 0, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST | TH_ACK, 0,
	    PEER_ISS + 9001) && h.tp.state == TCPS_CLOSED,
	    "a new SYN: RST+ACK, connection refused");
	is_int(h_call(&h, CALL_LISTEN, 0), TE_NONE, "a new program listens");
	ok(h.tp.state == TCPS_LISTEN && h_call(&h, CALL_SEND, 10) ==
	    TE_NOTCONN, "LISTEN, and its calls are its own (send: ENOTCONN)");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 1, 1001, 20);
	h_sent(&h);
	h_call(&h, CALL_EXIT, 0);
	ok(h.tp.state == TCPS_CLOSED && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_RST | TH_ACK, 1001, PEER_ISS + 21) &&
	    h.res.what == OUT_UNREAD_RESET && h.res.n == 20,
	    "linux exit with 20 octets unread: R., CLOSED (tcp_close)");
	is_int(h_call(&h, CALL_READ, 0), TE_BADF, "read() after it: EBADF");
	is_int(h_call(&h, CALL_CONNECT, 0), TE_NONE, "connect() anew: a new "
	    "socket");
	is_int(h.tp.state, TCPS_SYN_SENT, "SYN_SENT");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_call(&h, CALL_LISTEN, 0);
	h_call(&h, CALL_EXIT, 0);
	ok(h.tp.state == TCPS_CLOSED && h_sent(&h) == 0,
	    "exit while listening: CLOSED, nothing sent");
	h_in(&h, TH_SYN, PEER_ISS, 0, 0);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_RST | TH_ACK, 0,
	    PEER_ISS + 1), "then a SYN is refused: RST+ACK");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_accept_one(&h);
	iss = h.tp.iss;
	h_call(&h, CALL_EXIT, 0);
	ok(h.tp.state == TCPS_CLOSED && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_RST | TH_ACK, iss + 1, PEER_ISS + 1),
	    "a connection never accepted goes with the listener: R.");
	h_free(&h);

	h_init(&h, PROFILE_LINUX);
	h_accept_one(&h);
	h_call(&h, CALL_ACCEPT, 0);
	iss = h.tp.iss;
	h_call(&h, CALL_CLOSE, 0);
	h_sent(&h);
	h_call(&h, CALL_EXIT, 0);
	ok(h.tp.state == TCPS_FIN_WAIT_1 && h_sent(&h) == 0,
	    "exit after close(): the orphan goes on, nothing more sent");
	h_in(&h, TH_FIN | TH_ACK, PEER_ISS + 1, iss + 2, 0);
	h_run(&h, h.clock.now + VT_MS(60000 + TW_SLACK_MS));
	is_int(h.tp.state, TCPS_CLOSED, "and ends CLOSED: the listener "
	    "closed with the program");
	h_free(&h);

	h_init(&h, PROFILE_RFC9293);
	h_accept_one(&h);
	h_in(&h, TH_ACK | TH_PSH, PEER_ISS + 1, h.tp.iss + 1, 20);
	h_sent(&h);
	iss = h.tp.iss;
	h_call(&h, CALL_EXIT, 0);
	ok(h.tp.state == TCPS_FIN_WAIT_1 && h_sent(&h) == 1 &&
	    sent_is(h_last(&h), TH_FIN | TH_ACK, iss + 1, PEER_ISS + 21),
	    "rfc9293 exit with 20 octets unread: FIN, as its CLOSE sends");
	is_int(h_call(&h, CALL_READ, 0), TE_BADF, "read() after exit: EBADF");
	h_free(&h);
}

/* The words of causes and call results, in both languages. */
static void
test_texts(void)
{
	struct tcp_result	 r = { TE_PIPE, OUT_GONE, 0 };
	char			 buf[160];

	ok(tcp_text_check() == 0, "every cause and call result in en and zh, "
	    "converting alike; every cause cites RFC 9293");
	tcp_result_text(buf, sizeof buf, &r, LANG_EN);
	is_str(buf, "EPIPE: the connection is gone", "an error and its words");
	r = (struct tcp_result){ TE_NONE, OUT_BYTES, 20 };
	tcp_result_text(buf, sizeof buf, &r, LANG_ZH);
	is_str(buf, "20 字节", "octets read, in Chinese");
	r = (struct tcp_result){ TE_ADDRNOTAVAIL, OUT_IN_USE, TCPS_LAST_ACK };
	tcp_result_text(buf, sizeof buf, &r, LANG_EN);
	is_str(buf, "EADDRNOTAVAIL: these four ports are still in use "
	    "(LAST_ACK)", "a state named in a result");
	r = (struct tcp_result){ TE_CONNRESET, OUT_NONE, 0 };
	tcp_result_text(buf, sizeof buf, &r, LANG_ZH);
	is_str(buf, "ECONNRESET", "an error alone");
	tcp_cause_text(buf, sizeof buf, CAUSE_GIVE_UP_SYN, 6, LANG_ZH);
	is_str(buf, "SYN 重传了 6 次：放弃连接", "a cause that counts");
}

/*
 * The sender and SACK (linux profile): data then the FIN; the FIN alone
 * is SACKed.  RACK takes the data for lost and resends it at once, the
 * FIN not merged in; a D-SACK alone changes nothing; the ACK of all
 * ends the recovery.
 */
static void
test_sack_sender(void)
{
	struct harness	 h;
	struct segment	 s;

	h_init(&h, PROFILE_LINUX);
	h_establish(&h);
	ok(h.tp.sack_ok, "linux: SACK agreed in the handshake");
	h_call(&h, CALL_SEND, 1000);
	h_call(&h, CALL_SHUTDOWN, 0);
	ok(h_sent(&h) == 2 && sent_is(h_last(&h), TH_ACK | TH_FIN, 2001,
	    PEER_ISS + 1), "linux: the data, then the FIN");
	segment_init(&s);
	s.sport = RPORT;
	s.dport = LPORT;
	s.flags = TH_ACK;
	s.seq = PEER_ISS + 1;
	s.ack = 1001;
	s.win = 512;
	s.nsack = 1;
	s.sack[0].start = 2001;
	s.sack[0].end = 2002;
	tcp_input(&h.tp, &s, NULL);
	ok(h_sent(&h) == 1 && sent_is(h_last(&h), TH_ACK | TH_PSH, 1001,
	    PEER_ISS + 1) && h_last(&h)->len == 1000 &&
	    h.tp.ca == CA_RECOVERY,
	    "linux: the FIN SACKed: the data resent at once, alone (RACK)");
	s.sack[0].start = 1001;
	s.sack[0].end = 2001;
	s.ack = 2002;
	tcp_input(&h.tp, &s, NULL);
	ok(h_sent(&h) == 0 && h.tp.snd_una == 2002 && h.tp.nsent == 0 &&
	    h.tp.ca == CA_OPEN, "linux: the ACK of all, with a D-SACK: "
	    "recovery over, nothing resent");
	h_free(&h);

	/* The textbook has no SACK: the same loss waits for the timer. */
	h_init(&h, PROFILE_RFC9293);
	h_establish(&h);
	h_call(&h, CALL_SEND, 1000);
	h_call(&h, CALL_SHUTDOWN, 0);
	h_sent(&h);
	s.ack = 1001;
	s.nsack = 0;
	tcp_input(&h.tp, &s, NULL);
	ok(h_sent(&h) == 0 && !h.tp.sack_ok,
	    "rfc9293: a duplicate ACK resends nothing");
	h_free(&h);
}

int
main(void)
{
	test_texts();
	test_closed();
	test_listen();
	test_syn_sent();
	test_syn_received();
	test_established();
	test_close_states();
	test_time_wait_linux();
	test_calls();
	test_exit();
	test_timers();
	test_accept_queue();
	test_sack_sender();
	return tap_done();
}
