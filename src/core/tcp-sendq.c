/*
 * Linux's send queue (the linux profile's send_queue), as Linux 6.18
 * keeps it on lo.
 *
 *	A write (tcp_sendmsg_locked) copies into buffers (skbs) of one
 *	segment each, sized as the write began.  Each one filled is sent
 *	at once if nothing waits before it (tcp_push_one), or with all
 *	before it once more than half a window has gone without PSH
 *	(forced_push); the rest when the write ends (tcp_push).  On lo
 *	the peer answers each before the next is copied, into the
 *	writer's backlog: tcp-output.c's write_done takes them in.
 *
 *	Sending (tcp_write_xmit) takes the first buffer, grows it from
 *	the one behind to two segments' worth (tcp_grow_skb: lo's GSO
 *	takes max(64 KiB / MSS, tcp_min_tso_segs 2)), cuts it at the
 *	window and, for the last buffer, at Nagle's partial segment
 *	(tcp_mss_split_point), or holds it back a moment in hope of more
 *	window (tcp_tso_should_defer).  A buffer of two segments goes as
 *	one packet with PSH while it fits in 64 KiB; beyond, GSO cuts it
 *	into segments, PSH and FIN on the last.
 *
 * Where the buffers end is all synfin keeps of them (sq[].end, with their
 * PSH marks); the first begins at snd_nxt.  Retransmissions go from
 * the scoreboard (tcp-sack.c) or, without SACK, by tcp_output's own
 * loop; this queue holds only data never sent.
 */
#include "config.h"

#include <string.h>

#include "seq.h"
#include "tcp-priv.h"

/* tcp_write_xmit's nonagle */
#define NAGLE_OFF	1	/* TCP_NODELAY, F-RTO's new data, a probe */
#define NAGLE_CORK	2
#define NAGLE_PUSH	4	/* the write's own pushes: no Nagle */

#define GSO_MAX_SIZE	65536	/* lo's gso_max_size */
#define MIN_TSO_SEGS	2	/* tcp_min_tso_segs */

bool
tcp_sq_on(const struct tcp *tp)
{
	return tp->prof->send_queue;
}

static uint32_t
sq_start(const struct tcp *tp, int i)
{
	return i == 0 ? tp->snd_nxt : tp->sq[i - 1].end;
}

static uint32_t
sq_len(const struct tcp *tp, int i)
{
	return tp->sq[i].end - sq_start(tp, i);
}

static void
sq_remove(struct tcp *tp, int i)
{
	memmove(&tp->sq[i], &tp->sq[i + 1],
	    (size_t)(tp->nsq - i - 1) * sizeof tp->sq[0]);
	tp->nsq--;
}

/*
 * Copy what is written, up to upto and one buffer: into the last one
 * while it is under goal, else into a new one.  The first copy of a
 * write takes the PSH off the buffer it lands in (tcp_sendmsg_locked).
 * With the queue full (more buffers than synfin keeps), the last one
 * takes it all.
 */
static void
sq_copy(struct tcp *tp, uint32_t goal, uint32_t upto, bool first)
{
	uint32_t	 left = upto - tp->write_end, room = 0;
	int		 t = tp->nsq - 1;

	if (t >= 0 && sq_len(tp, t) < goal)
		room = goal - sq_len(tp, t);
	if (room == 0 && tp->nsq < TCP_SQ_MAX) {
		tp->sq[tp->nsq].end = tp->write_end;
		tp->sq[tp->nsq++].psh = false;
		t++;
		room = goal;
	} else if (room == 0)
		room = left;
	if (first)
		tp->sq[t].psh = false;
	if (room > left)
		room = left;
	tp->sq[t].end += room;
	tp->write_end += room;
}

/*
 * What was written and is in no buffer yet (data queued before the
 * connection was up, the rest of a write cut short) goes into buffers
 * of an MSS.  Not while resending below snd_max without SACK: that is
 * tcp_output's.
 */
static void
sq_fill(struct tcp *tp, uint32_t mss)
{
	uint32_t	 end = tp->write_end;

	if (tp->nsq == 0) {
		if (seq_lt(tp->snd_nxt, tp->snd_max) ||
		    !seq_lt(tp->snd_nxt, end))
			return;
		tp->write_end = tp->snd_nxt;
	} else
		tp->write_end = tp->sq[tp->nsq - 1].end;
	while (seq_lt(tp->write_end, end))
		sq_copy(tp, mss, end, false);
}

/* The first buffer carries the FIN (tcp_send_fin puts it on the last
 * one, or on a buffer of its own when none is left). */
static bool
sq_fin(const struct tcp *tp)
{
	return tp->fin_queued && !tp->fin_sent && (tp->nsq == 0 ||
	    (tp->nsq == 1 && tp->sq[0].end == tp->sndbuf_end));
}

/* tcp_mark_push: the last buffer carries PSH. */
static void
sq_mark_push(struct tcp *tp)
{
	if (tp->nsq > 0) {
		tp->sq[tp->nsq - 1].psh = true;
		tp->pushed_seq = tp->write_end;
	}
}

/* Segments in flight, as tcp_packets_in_flight counts them. */
static uint32_t
in_flight(const struct tcp *tp, uint32_t mss)
{
	if (tcp_sb_on(tp))
		return tcp_sb_in_flight(tp);
	return (tp->snd_nxt - tp->snd_una + mss - 1) / mss;
}

/* tcp_cwnd_test: how many segments the congestion window lets go, at
 * most half of it so that two packets are in flight. */
static uint32_t
cwnd_quota(const struct tcp *tp, uint32_t mss)
{
	uint32_t	 out = in_flight(tp, mss), half = tp->cwnd / 2;

	if (out >= tp->cwnd)
		return 0;
	if (half < 1)
		half = 1;
	return half < tp->cwnd - out ? half : tp->cwnd - out;
}

/* tcp_minshall_check: a small segment sent is still unacknowledged. */
static bool
small_out(const struct tcp *tp)
{
	return seq_gt(tp->snd_sml, tp->snd_una) &&
	    seq_leq(tp->snd_sml, tp->snd_nxt);
}

/* tcp_nagle_check: a partial segment must wait. */
static bool
nagle_holds(const struct tcp *tp, bool partial, int nonagle)
{
	return partial && ((nonagle & NAGLE_CORK) || (nonagle == 0 &&
	    tp->snd_nxt != tp->snd_una && small_out(tp)));
}

/* tcp_grow_skb: the first buffer takes up to amount from the next; one
 * emptied is eaten, its PSH with it. */
static void
sq_grow(struct tcp *tp, uint32_t amount)
{
	uint32_t	 next;

	if (tp->nsq < 2)
		return;
	next = sq_len(tp, 1);
	if (amount < next) {
		tp->sq[0].end += amount;
		return;
	}
	tp->sq[0].end = tp->sq[1].end;
	tp->sq[0].psh = tp->sq[0].psh || tp->sq[1].psh;
	sq_remove(tp, 1);
}

/* tso_fragment: the first buffer keeps len octets; the rest becomes a
 * buffer of its own, with the PSH. */
static void
sq_split(struct tcp *tp, uint32_t len)
{
	if (tp->nsq == TCP_SQ_MAX) {
		/* No room to keep another boundary: the last two go as
		 * one (never seen in practice: a queue this long waits
		 * on a closed window). */
		tp->sq[tp->nsq - 2] = tp->sq[tp->nsq - 1];
		tp->nsq--;
	}
	memmove(&tp->sq[1], &tp->sq[0], (size_t)tp->nsq * sizeof tp->sq[0]);
	tp->nsq++;
	tp->sq[0].end = tp->snd_nxt + len;
	tp->sq[0].psh = false;
}

/* tcp_mss_split_point: how much of the first buffer goes now. */
static uint32_t
split_point(const struct tcp *tp, uint32_t len, uint32_t mss,
    uint32_t quota, int nonagle, bool last)
{
	uint32_t	 window = tp->snd_una + tp->snd_wnd - tp->snd_nxt;
	uint32_t	 max_len = mss * quota, needed, partial;

	if (max_len <= window && !last)
		return max_len;
	needed = len < window ? len : window;
	if (max_len <= needed)
		return max_len;
	partial = needed % mss;
	if (nagle_holds(tp, partial != 0, nonagle))
		return needed - partial;
	return needed;
}

/*
 * tcp_tso_should_defer: a buffer of more than one segment that the
 * windows would cut waits for the ACK due soon, rather than go in
 * pieces.  Only while data went within the last millisecond and the
 * oldest segment out is due to be acknowledged (its RTT has all but
 * passed), and not for a FIN.
 */
static bool
tso_defer(const struct tcp *tp, uint32_t len, uint32_t mss,
    uint32_t max_segs, bool last, bool fin)
{
	uint32_t	 out = in_flight(tp, mss);
	uint32_t	 send_win = tp->snd_una + tp->snd_wnd - tp->snd_nxt;
	uint32_t	 cong_win = (tp->cwnd - out) * mss, limit, chunk;
	vtime_t		 head, srtt = tp->srtt, threshold;

	if (tp->ca >= CA_RECOVERY || tcp_now(tp) - tp->last_xmit >= VT_MS(1))
		return false;
	limit = send_win < cong_win ? send_win : cong_win;
	if (limit >= max_segs * mss || (!last && limit >= len))
		return false;
	chunk = tp->snd_wnd < tp->cwnd * mss ? tp->snd_wnd : tp->cwnd * mss;
	if (limit >= chunk / 3)		/* tcp_tso_win_divisor */
		return false;
	if (tp->snd_una == tp->snd_nxt)
		return false;
	head = tcp_sb_on(tp) && tp->nsent > 0 ? tp->sent[0].when :
	    tp->unacked_since;
	threshold = srtt / 2 < VT_MS(1) ? srtt / 2 : VT_MS(1);
	if ((int64_t)(head + srtt) - (int64_t)tcp_now(tp) >
	    (int64_t)threshold)
		return false;
	if (cong_win < send_win) {
		if (cong_win <= len)
			return true;
	} else if (send_win <= len)
		return true;
	return !fin;
}

/*
 * One buffer goes: as one packet while it fits in one IPv4 packet,
 * else cut by GSO into segments.  A buffer of more than one segment
 * goes with PSH (__tcp_transmit_skb sets it on the clone it sends); PSH
 * and FIN ride its last segment.
 */
static void
sq_send(struct tcp *tp, uint32_t len, bool psh, bool fin, uint32_t mss)
{
	uint32_t	 pcount = len > mss ? (len + mss - 1) / mss : 1;
	uint32_t	 piece = len, ipmax = SEG_DGRAM_MAX - SEG_HDR_MIN -
	    tcp_opt_len(tp);
	bool		 marked = psh;

	if (pcount > 1)
		psh = true;
	if (len > ipmax)
		piece = mss;
	/* tcp_minshall_update: it ends in a partial segment. */
	if (len < pcount * mss)
		tp->snd_sml = tp->snd_nxt + len + fin;
	for (;;) {
		uint32_t	 n = len > piece ? piece : len;
		bool		 end = n == len;
		uint8_t		 flags = TH_ACK;

		if (end && psh)
			flags |= TH_PSH;
		if (end && fin)
			flags |= TH_FIN;
		tcp_send_data(tp, n, flags);
		len -= n;
		if (end)
			break;
	}
	/* The PSH forced on a GSO packet is the copy's that went out, not
	 * the buffer's own mark: a loss probe's piece of it goes without,
	 * unless the write had marked it (tcp_fragment). */
	if (!marked)
		tp->last_flags &= (uint8_t)~TH_PSH;
	tp->last_xmit = tcp_now(tp);
}

/*
 * tcp_write_xmit over the queue, with the MSS given, Nagle as nonagle
 * says, and push_one: 1 sends one buffer at most (tcp_push_one), 2 one
 * even past the congestion window (a loss probe).  True if any went.
 */
static bool
sq_xmit(struct tcp *tp, uint32_t mss, int nonagle, int push_one)
{
	uint32_t	 max_segs = GSO_MAX_SIZE / mss;
	bool		 sent = false;

	if (max_segs < MIN_TSO_SEGS)
		max_segs = MIN_TSO_SEGS;
	tp->pass++;
	sq_fill(tp, mss);
	for (;;) {
		bool		 last, fin;
		uint32_t	 quota, len, segs, end, limit;

		if (tp->nsq == 0 && !sq_fin(tp))
			break;
		quota = cwnd_quota(tp, mss);
		if (quota == 0) {
			/* A loss probe goes anyway; so does a bare FIN in
			 * recovery (what Linux was seen to do). */
			if (push_one == 2 || (tp->nsq == 0 &&
			    tcp_sb_on(tp) && tp->ca >= CA_RECOVERY))
				quota = 1;
			else
				break;
		}
		if (quota > max_segs)
			quota = max_segs;
		if (tp->nsq > 0 && quota * mss > sq_len(tp, 0))
			sq_grow(tp, quota * mss - sq_len(tp, 0));
		last = tp->nsq <= 1;
		fin = sq_fin(tp);
		len = tp->nsq > 0 ? sq_len(tp, 0) : 0;
		segs = len > mss ? (len + mss - 1) / mss : 1;
		/* tcp_snd_wnd_test: the first segment fits the window. */
		end = tp->snd_nxt + (len > mss ? mss : len + fin);
		if (seq_gt(end, tp->snd_una + tp->snd_wnd))
			break;
		if (segs == 1) {
			if (!fin && nagle_holds(tp, len < mss,
			    last ? nonagle : NAGLE_PUSH))
				break;
		} else if (!push_one && tso_defer(tp, len, mss, max_segs,
		    last, fin))
			break;
		limit = segs > 1 ? split_point(tp, len, mss, quota, nonagle,
		    last) : mss;
		if (len > limit) {
			sq_split(tp, limit);
			len = limit;
			fin = false;
		}
		if (len > 0) {
			bool	 psh = tp->sq[0].psh;

			sq_remove(tp, 0);
			sq_send(tp, len, psh, fin, mss);
		} else
			sq_send(tp, 0, false, true, mss);
		sent = true;
		if (push_one || fin)
			break;
	}
	return sent;
}

/*
 * tcp_snd_wnd_test for the first buffer, as it would go now: its first
 * segment (or all of it, if smaller; a FIN counts) fits the window.
 */
bool
tcp_head_fits(const struct tcp *tp)
{
	uint32_t	 mss = tcp_send_mss(tp), len;

	if (tp->nsq > 0)
		len = sq_len(tp, 0);
	else
		len = tcp_unsent(tp);
	len = len > mss ? mss : len + sq_fin(tp);
	return seq_leq(tp->snd_nxt + len, tp->snd_una + tp->snd_wnd);
}

/*
 * The probe timer found a window, only too small for the first buffer
 * (Linux tcp_write_wakeup): as much of it as the window takes, an MSS
 * at most, goes at once, marked PSH, and the retransmission timer runs
 * for it (tcp_event_new_data_sent: no loss probe).  False when the
 * window is shut: the caller probes with an old ACK.
 */
bool
tcp_sq_wakeup(struct tcp *tp)
{
	uint32_t	 mss = tcp_send_mss(tp), room, len;

	if (!tcp_sq_on(tp) || tp->nsq == 0 ||
	    !seq_lt(tp->snd_nxt, tp->snd_una + tp->snd_wnd))
		return false;
	room = tp->snd_una + tp->snd_wnd - tp->snd_nxt;
	len = sq_len(tp, 0);
	if (room > mss)
		room = mss;
	if (len > room) {
		sq_split(tp, room);
		len = room;
	}
	sq_remove(tp, 0);
	tp->push = PUSH_PROBE;
	sq_send(tp, len, true, false, mss);
	tp->push = PUSH_NORMAL;
	tcp_rtx_start(tp);
	return true;
}

/* __tcp_push_pending_frames with the MSS as it is now, for tcp_output:
 * after an ACK, a close, a timer, a probe (push), F-RTO (no Nagle). */
void
tcp_sq_push(struct tcp *tp)
{
	sq_xmit(tp, tcp_send_mss(tp), tp->push == PUSH_NORMAL ? 0 :
	    NAGLE_OFF, tp->push == PUSH_PROBE ? 2 : 0);
	tcp_zwp_check(tp);
}

/*
 * A write goes on (tcp_sendmsg_locked): copy a buffer at a time; one
 * full and first in the queue is sent, and so is all the queue once
 * more than half a window has gone without PSH.  True if a segment went
 * and the write must wait for the peer's answer before copying more;
 * false once all is copied and pushed (tcp_push).
 */
bool
tcp_sq_write(struct tcp *tp)
{
	bool	 first = !tp->in_write;
	uint32_t goal, last;

	if (!first && tp->write_end == tp->sndbuf_end)
		return false;		/* the last push was answered */
	if (first)
		tp->write_goal = tcp_send_mss(tp);
	goal = tp->write_goal;
	sq_fill(tp, goal);
	while (tp->write_end != tp->sndbuf_end) {
		uint32_t	 nxt = tp->snd_nxt;

		sq_copy(tp, goal, tp->sndbuf_end, first);
		first = false;
		if (tp->write_end == tp->sndbuf_end)
			break;
		if (seq_gt(tp->write_end, tp->pushed_seq +
		    tp->max_snd_wnd / 2)) {
			sq_mark_push(tp);
			sq_xmit(tp, goal, NAGLE_PUSH, 0);
		} else if (tp->nsq == 1)
			sq_xmit(tp, goal, NAGLE_PUSH, 1);
		if (tp->snd_nxt != nxt)
			return true;
	}
	last = tp->snd_nxt;
	sq_mark_push(tp);
	sq_xmit(tp, goal, 0, 0);
	tcp_zwp_check(tp);
	/* What the last push sent is answered on lo before the write lets
	 * the socket go: the answer waits in the backlog with the rest. */
	return tp->snd_nxt != last;
}
