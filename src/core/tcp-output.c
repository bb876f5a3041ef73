/*
 * What the endpoint sends and when: the window it offers, the segments it
 * makes (SYN, data, FIN, ACK, RST), how much goes at once (the MSS, the
 * windows, Nagle), and a large write going out a segment at a time.
 */
#include "config.h"

#include <string.h>

#include "seq.h"
#include "tcp.h"
#include "tcp-priv.h"

#define RMEM_MAX	33554432	/* tcp_rmem[2] */

/* The memory what waits takes: unread buffers (the first whole, though
 * partly read), and out-of-order pieces. */
static uint32_t
rmem_alloc(const struct tcp *tp)
{
	uint32_t	 m = tp->rcvq + tp->rq_off +
	    TRUESIZE_EXTRA * (uint32_t)tp->nrq;

	for (int i = 0; i < tp->nooo; i++)
		m += tp->ooo[i][1] - tp->ooo[i][0] + TRUESIZE_EXTRA;
	return m;
}

/* Linux tcp_win_from_space: the part of some memory offered as window. */
static uint32_t
win_from_space(const struct tcp *tp, int64_t space)
{
	return space > 0 ? (uint32_t)((uint64_t)space * tp->win_ratio >> 8) :
	    0;
}

/* The buffer's free memory; the backlog counts too, until all of it
 * has been taken in (sk_backlog.len). */
static int64_t
rbuf_free(const struct tcp *tp)
{
	return (int64_t)tp->rcvbuf - rmem_alloc(tp) - tp->backlog_len;
}

/* Linux tcp_space: what is free, as window. */
static uint32_t
rwin_free(const struct tcp *tp)
{
	return win_from_space(tp, rbuf_free(tp));
}

/* The segment size we offered (advmss), less the options we use. */
static uint32_t
adv_mss(const struct tcp *tp)
{
	return tp->prof->mss - tcp_opt_len(tp);
}

#define FRAG_PAGE	32768	/* a sender's page_frag (SKB_FRAG_PAGE_ORDER) */
#define BUF_FRAGS_MAX	17	/* MAX_SKB_FRAGS */

/* The page pieces a segment of len octets brings: the sender copies a
 * write into pages of 32 KiB (its task's page_frag), seldom aligned. */
static uint32_t
frags_of(uint32_t len)
{
	return len == 0 ? 0 : (len + FRAG_PAGE - 1) / FRAG_PAGE + 1;
}

/*
 * Whether the last buffer may take more (tcp_try_coalesce): on lo a
 * buffer is a clone of the sender's, shared (skb_cloned) until the
 * sender has freed its copy, which it does as it takes our ACK of it
 * in, and until a tap's copy is gone too (the kernel engine's capture,
 * read between two steps).  So: its first segment came in a step
 * before this one, the peer had taken our ACK of it when the new one
 * came (an ACK lost on the way frees nothing), and its page pieces and
 * the new ones fit in one buffer.
 * Through the kernel engine's relay a buffer is the relay's own and no
 * clone, but its data is in its head, which no other can take in: only
 * a FIN's empty buffer folds in.
 */
static bool
rq_tail_takes(const struct tcp *tp, uint32_t len)
{
	uint64_t	 step = tp->clock->step;

	if (!tp->prof->half_free_window || tp->nrq == 0 || tp->rq_fin)
		return false;
	if (tp->relay)
		return len == 0;
	return tp->rq_head_step < step &&
	    seq_geq(tp->peer_una, tp->rq_head_end) &&
	    tp->rq_frags + frags_of(len) <= BUF_FRAGS_MAX;
}

/*
 * An in-order buffer of len octets, up to rcv_nxt, joins the receive
 * queue: into the last buffer if that one may take it (then it costs
 * no overhead of its own), else as a buffer of its own (the last one
 * takes it when synfin keeps no more).
 */
void
tcp_rq_push(struct tcp *tp, uint32_t len)
{
	tp->rcvq += len;
	if (rq_tail_takes(tp, len)) {
		tp->rq_len[tp->nrq - 1] += len;
		tp->rq_frags += frags_of(len);
		return;
	}
	if (tp->nrq == TCP_RQ_MAX) {
		tp->rq_len[tp->nrq - 1] += len;
		return;
	}
	tp->rq_len[tp->nrq++] = len;
	tp->rq_head_end = tp->rcv_nxt;
	tp->rq_head_step = tp->clock->step;
	tp->rq_frags = frags_of(len);
}

/*
 * A FIN alone joins the receive queue as a buffer of its own, costing
 * its overhead until a read reaches it, unless the last buffer takes it
 * (its flag goes there).
 */
void
tcp_rq_fin(struct tcp *tp)
{
	if (!tp->prof->half_free_window || rq_tail_takes(tp, 0))
		return;
	tcp_rq_push(tp, 0);
	tp->rq_fin = true;
}

/* A read went past the data to the FIN: its buffer is freed. */
void
tcp_rq_eat_fin(struct tcp *tp)
{
	if (!tp->rq_fin || tp->nrq != 1 || tp->rq_len[0] != 0)
		return;
	tp->nrq = 0;
	tp->rq_fin = false;
}

/*
 * The application reads k octets, a buffer at a time (tcp_recvmsg):
 * DRS takes its measure after the first (tcp_rcv_space_adjust), and a
 * buffer read whole is freed.
 */
void
tcp_rq_read(struct tcp *tp, uint32_t k)
{
	bool	 first = true;

	while (k > 0 && tp->nrq > 0) {
		uint32_t	 n = tp->rq_len[0] - tp->rq_off;

		if (n > k)
			n = k;
		tp->rcvq -= n;
		tp->read_total += n;
		k -= n;
		if (first)
			tcp_rcv_space_adjust(tp);
		first = false;
		tp->rq_off += n;
		if (tp->rq_off == tp->rq_len[0]) {
			memmove(&tp->rq_len[0], &tp->rq_len[1],
			    (size_t)(tp->nrq - 1) * sizeof tp->rq_len[0]);
			tp->nrq--;
			tp->rq_off = 0;
		}
	}
}

/* The buffer of a new connection, before any data (tcp_init_buffer_space
 * on loopback: tcp_rmem[1], half of it as window). */
void
tcp_rwin_init(struct tcp *tp)
{
	tp->rcvbuf = tp->prof->rcv_buf;
	tp->nrq = 0;
	tp->rq_fin = false;
	tp->rq_off = 0;
	tp->win_ratio = 128;
	tp->win_clamp = win_from_space(tp, tp->rcvbuf);
	tp->rcvq_space = 0;		/* set as the handshake ends */
}

/*
 * The segment size Linux learns from a segment of len octets: on lo a
 * packet may carry two of the sender's segments (GSO), and the kernel
 * takes its gso_size, the sender's MSS: at most half the largest window
 * we offered (tcp_bound_to_half_wnd).
 */
uint32_t
tcp_rcv_seg_len(const struct tcp *tp, uint32_t len)
{
	uint32_t	 mss = tp->max_rcv_wnd / 2;

	if (mss > adv_mss(tp))
		mss = adv_mss(tp);

	return tp->prof->send_queue && mss > 0 && len > mss ? mss : len;
}

/* Linux __tcp_grow_window: how far a segment whose truesize is large
 * against its length may still raise rcv_ssthresh. */
static uint32_t
grow_small(const struct tcp *tp, uint32_t len, uint32_t truesize)
{
	uint32_t	 t = win_from_space(tp, truesize) >> 1;
	uint32_t	 w = win_from_space(tp, RMEM_MAX) >> 1;

	while (tp->rcv_ssthresh <= w) {
		if (t <= len)
			return 2 * tp->rcv_mss;
		t >>= 1;
		w >>= 1;
	}
	return 0;
}

/*
 * The buffer grows for what DRS measured, newval octets read in a
 * receive RTT (Linux tcp_rcvbuf_grow): twice that, twice more the
 * growth since the last measure, and all up to the last piece held out
 * of order; the clamp follows.
 */
static void
rcvbuf_grow(struct tcp *tp, uint32_t newval)
{
	uint32_t	 oldval = tp->rcvq_space, last = tp->rcv_nxt;
	uint64_t	 rcvwin = (uint64_t)newval << 1, buf;

	tp->rcvq_space = newval;
	if (oldval > 0 && newval > oldval)
		rcvwin += (rcvwin * (newval - oldval) / oldval) << 1;
	for (int i = 0; i < tp->nooo; i++)
		if (seq_gt(tp->ooo[i][1], last))
			last = tp->ooo[i][1];
	rcvwin += last - tp->rcv_nxt;
	buf = (rcvwin << 8) / tp->win_ratio;
	if (buf > RMEM_MAX)
		buf = RMEM_MAX;
	if (buf > tp->rcvbuf) {
		tp->rcvbuf = (uint32_t)buf;
		tp->win_clamp = win_from_space(tp, tp->rcvbuf);
	}
}

/*
 * The receive RTT DRS goes by (Linux rcv_rtt_est, in microseconds times
 * 8): the least sample, or with timestamps a smoothed one while nothing
 * waits unread.
 */
static void
rcv_rtt_update(struct tcp *tp, vtime_t sample, bool win_dep)
{
	vtime_t	 m = sample << 3;

	if (tp->rcv_rtt == 0 || m < tp->rcv_rtt)
		tp->rcv_rtt = m;
	else if (!win_dep && tp->rcvq == 0)
		tp->rcv_rtt = tp->rcv_rtt - (tp->rcv_rtt >> 3) + sample;
}

/* Linux tcp_rcv_rtt_measure: in-order data came; a window's worth of it
 * since the last sample makes one, the time it took. */
static void
rcv_rtt_window(struct tcp *tp)
{
	if (tp->rcv_rtt_on && seq_lt(tp->rcv_nxt, tp->rcv_rtt_seq))
		return;
	if (tp->rcv_rtt_on) {
		vtime_t	 d = tcp_now(tp) - tp->rcv_rtt_time;

		rcv_rtt_update(tp, d > 0 ? d : 1, true);
	}
	tp->rcv_rtt_on = true;
	tp->rcv_rtt_seq = tp->rcv_nxt + tp->rcv_wnd;
	tp->rcv_rtt_time = tcp_now(tp);
}

/* Linux tcp_rcv_rtt_measure_ts: a segment of a full MSS or more, with a
 * timestamp echoed anew: the milliseconds since we sent that one. */
void
tcp_rcv_rtt_ts(struct tcp *tp, const struct segment *seg)
{
	int32_t	 d;

	if (!tp->prof->half_free_window || !tp->ts_ok || !seg->has_ts ||
	    seg->ts_ecr == tp->rcv_rtt_tsecr)
		return;
	tp->rcv_rtt_tsecr = seg->ts_ecr;
	d = (int32_t)(tcp_ts_now(tp) - seg->ts_ecr);
	if (segment_seqlen(seg) >= tp->rcv_mss && d > 0)
		rcv_rtt_update(tp, VT_MS(d), false);
}

/*
 * DRS, after a read (Linux tcp_rcv_space_adjust): once a receive RTT has
 * passed since the last measure, what the application read meanwhile,
 * less what still waits, is the new measure; more than the last one
 * grows the buffer.
 */
void
tcp_rcv_space_adjust(struct tcp *tp)
{
	int64_t	 copied;

	if (!tp->prof->half_free_window || tp->rcv_rtt == 0 ||
	    tcp_now(tp) - tp->rcvq_time < tp->rcv_rtt >> 3)
		return;
	copied = (int64_t)(uint32_t)(tp->read_total - tp->rcvq_seq) -
	    tp->rcvq;
	if (copied > tp->rcvq_space)
		rcvbuf_grow(tp, (uint32_t)copied);
	tp->rcvq_seq = (uint32_t)tp->read_total;
	tp->rcvq_time = tcp_now(tp);
}

/*
 * A data segment of len octets went into the buffer (linux profile):
 * it may teach the ratio and the segment size (tcp_measure_rcv_mss, out
 * of order too since Linux 6.16, with rcv_mss as it was before it); it
 * may raise rcv_ssthresh (tcp_grow_window), by up to two of our segments
 * at a time: in order with its memory counted, out of order before it
 * is; and out of order it grows the buffer.
 */
void
tcp_rwin_data(struct tcp *tp, uint32_t len, bool in_order)
{
	uint32_t	 advmss = adv_mss(tp);
	uint32_t	 truesize = len + TRUESIZE_EXTRA, incr, room, top;
	uint32_t	 seglen = tcp_rcv_seg_len(tp, len);
	bool		 ratio = seglen >= tp->rcv_mss && seglen != tp->rcv_mss;

	if (!tp->prof->half_free_window)
		return;
	if (ratio) {
		uint32_t	 r = (uint32_t)(((uint64_t)len << 8) / truesize);
		uint32_t	 clamp;

		if (r == 0)
			r = 1;
		if (r != tp->win_ratio) {
			tp->win_ratio = r;
			clamp = win_from_space(tp, tp->rcvbuf);
			if (clamp < tp->win_clamp) {
				if (tp->rcv_ssthresh > clamp)
					tp->rcv_ssthresh = clamp;
			} else if (clamp > tp->win_clamp) {
				uint32_t	 s = tp->rcv_wnd < clamp ?
				    tp->rcv_wnd : clamp;

				if (s > tp->rcv_ssthresh)
					tp->rcv_ssthresh = s;
			}
			tp->win_clamp = clamp;
		}
		if (!in_order)
			tp->rcv_mss = seglen < advmss ? seglen : advmss;
	}
	if (len >= 128 && (in_order || tp->sack_ok)) {
		top = win_from_space(tp, rbuf_free(tp) +
		    (in_order ? 0 : truesize));
		if (top > tp->win_clamp)
			top = tp->win_clamp;
		if (top > tp->rcv_ssthresh) {
			room = top - tp->rcv_ssthresh;
			/* In order, the segment's head is left out of its
			 * truesize (truesize_adjust): it always fits. */
			incr = in_order || win_from_space(tp, truesize) <= len ?
			    2 * advmss : grow_small(tp, len, truesize);
			if (incr > 0 && incr < 2 * len)
				incr = 2 * len;
			if (incr > 0) {
				tp->rcv_ssthresh += incr < room ? incr : room;
				/* ... and the ACK goes at once, to say so
				 * (icsk_ack.quick |= 1). */
				tp->quick |= 1;
			}
		}
	}
	if (in_order)
		rcv_rtt_window(tp);
	else
		rcvbuf_grow(tp, tp->rcvq_space);
}

/*
 * The textbook's window (RFC 9293 3.8.6.2.2, MUST-39): the free space,
 * RCV.BUFF - RCV.USER, but the right edge stays where it was until that
 * would move it by min(RCV.BUFF/2, Eff.snd.MSS) or more: no window
 * opened a sliver at a time (receiver SWS avoidance).
 */
static uint32_t
textbook_window(struct tcp *tp)
{
	uint32_t	 buf = tp->prof->rcv_buf, mss = tcp_send_mss(tp);
	uint32_t	 room = buf > tp->rcvq ? buf - tp->rcvq : 0;
	uint32_t	 left = tcp_recv_window(tp);
	uint32_t	 step = buf / 2 < mss ? buf / 2 : mss;

	return room < left || room - left >= step ? room : left;
}

/*
 * The window the receive buffer allows now.  The textbook: the free
 * space, its edge held (textbook_window).  Linux (__tcp_select_window):
 * the free memory as window, at most rcv_ssthresh; nothing while that
 * is less than a segment or a sixteenth of the buffer (and so under half
 * of it); rounded up to the scale unit.
 */
uint32_t
tcp_rcv_space(struct tcp *tp)
{
	uint32_t	 space, unit = 1u << tp->rcv_wscale, allowed, full, mss;

	if (!tp->prof->half_free_window)
		return textbook_window(tp);
	space = rwin_free(tp);
	allowed = win_from_space(tp, tp->rcvbuf);
	full = tp->win_clamp < allowed ? tp->win_clamp : allowed;
	mss = tp->rcv_mss < full ? tp->rcv_mss : full;
	if (space < full / 2) {
		tp->quick = 0;		/* no more quick ACKs: it fills */
		space = space / unit * unit;
		if (space < allowed / 16 || space < mss)
			return 0;
	}
	if (space > tp->rcv_ssthresh)
		space = tp->rcv_ssthresh;
	if (tp->rcv_wscale == 0 && mss > 0) {
		/* No scaling: whole segments, or the window as it was. */
		uint32_t	 w = tp->rcv_wnd;

		if (w + mss <= space || w > space)
			w = space / mss * mss;
		return w;
	}
	return (space + unit - 1) / unit * unit;
}

/*
 * After a read of copied octets (Linux tcp_cleanup_rbuf): whether the
 * window may be announced at once, having at least doubled from what
 * is left of the last one, itself at most half the clamp.  Not once
 * the peer's FIN came: no more data is coming.
 */
bool
tcp_rwin_opened(struct tcp *tp, uint32_t copied)
{
	uint32_t	 now = tcp_recv_window(tp), w;

	if (!tp->prof->half_free_window || copied == 0 || tp->rcv_fin ||
	    2 * now > tp->win_clamp)
		return false;
	w = tcp_rcv_space(tp);
	return w != 0 && w >= 2 * now;
}

/* RCV.WND: what is left of the window last advertised (Linux's
 * tcp_receive_window). */
uint32_t
tcp_recv_window(const struct tcp *tp)
{
	int32_t	 w = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	return w > 0 ? (uint32_t)w : 0;
}

/*
 * The window field we advertise, scaled.  Linux never moves the right
 * edge back (tcp_shrink_window 0): a smaller window is taken back up to
 * what is left of the last one.
 */
static uint16_t
window_field(struct tcp *tp, uint8_t flags)
{
	uint32_t	 space = tcp_rcv_space(tp), unit = 1u << tp->rcv_wscale;

	if (flags & TH_SYN) {
		/* RFC 7323 2.2: the window in a SYN is never scaled.  A
		 * simultaneous open's SYN+ACK is our SYN again. */
		space = (flags & TH_ACK) && tp->passive ?
		    tp->prof->synack_win : tp->prof->syn_win;
		tp->rcv_wnd = space;
		tp->rcv_ssthresh = space;
		tp->max_rcv_wnd = space;
		return (uint16_t)(space > 65535 ? 65535 : space);
	}
	if (tp->prof->never_shrink && space < tcp_recv_window(tp))
		space = (tcp_recv_window(tp) + unit - 1) / unit * unit;
	tp->rcv_wnd = space;
	if (space > tp->max_rcv_wnd)
		tp->max_rcv_wnd = space;
	space >>= tp->rcv_wscale;
	return (uint16_t)(space > 65535 ? 65535 : space);
}

/* Fill in what every segment we send carries. */
void
tcp_fill(struct tcp *tp, struct segment *seg, uint32_t seq, uint32_t ack,
    uint8_t flags)
{
	segment_init(seg);
	seg->sport = tp->lport;
	seg->dport = tp->rport;
	seg->seq = seq;
	seg->ack = flags & TH_ACK ? ack : 0;
	seg->flags = flags;
	seg->win = window_field(tp, flags);
	if (tp->ts_ok || ((flags & TH_SYN) && !(flags & TH_ACK) &&
	    tp->prof->timestamps)) {
		seg->has_ts = true;
		/* Linux's timestamp clock ticks in milliseconds. */
		seg->ts_val = tcp_ts_now(tp);
		seg->ts_ecr = flags & TH_ACK ? tp->ts_recent : 0;
	}
}

/*
 * Bookkeeping after any segment carrying ACK has gone: the ACK owed is
 * paid (Linux tcp_event_ack_sent), and the window edge is recorded.
 */
static void
ack_sent(struct tcp *tp)
{
	if (tp->quick > 0 && tp->ack_pending) {
		if (--tp->quick == 0)
			tp->ato = tp->prof->ato_min;
	}
	tp->ack_pending = false;
	tp->ack_now = false;
	tp->ack_direct = false;
	tp->pushed = tp->pushed2 = false;
	tcp_timer_stop(tp, TT_DELACK);
	tp->rcv_wup = tp->rcv_nxt;
}

/* How many SACK blocks a segment has room for beside the timestamps,
 * and the option's length with the ones we have to tell. */
static int
sack_room(const struct tcp *tp)
{
	return tp->ts_ok ? 3 : 4;
}

static uint32_t
sack_opt_len(const struct tcp *tp)
{
	int	 n = tp->nsacks + tp->dsack;

	return 4 + 8 * (uint32_t)(n < sack_room(tp) ? n : sack_room(tp));
}

/*
 * A full socket's segments carry the SACK blocks (Linux's
 * tcp_established_options): a D-SACK first, once, then the blocks, as
 * many as fit beside the timestamps.  TIME_WAIT and an orphan's
 * FIN_WAIT_2 kept as a timewait socket have none to tell.
 */
static void
sack_blocks(struct tcp *tp, struct segment *seg)
{
	int	 room = sack_room(tp);

	if (!tp->sack_ok || !(seg->flags & TH_ACK) || (seg->flags & TH_SYN) ||
	    tcp_timewait_sock(tp))
		return;
	if (tp->dsack)
		seg->sack[seg->nsack++] = tp->dsack_blk;
	for (int i = 0; i < tp->nsacks && seg->nsack < room; i++)
		seg->sack[seg->nsack++] = tp->sacks[i];
	tp->dsack = false;
}

void
tcp_emit(struct tcp *tp, struct segment *seg, const uint8_t *payload)
{
	sack_blocks(tp, seg);
	tp->hooks->output(tp->ctx, tp, seg, payload);
	if (seg->flags & TH_ACK)
		ack_sent(tp);
}

/* The options of a SYN or SYN+ACK. */
static void
syn_options(struct tcp *tp, struct segment *seg, bool synack)
{
	seg->mss = tp->prof->mss;
	if (!synack) {
		seg->sack_ok = tp->prof->sack_ok;
		seg->wscale = (int8_t)tp->prof->wscale;
		return;
	}
	/* A SYN+ACK carries only the options the SYN offered. */
	seg->sack_ok = tp->sack_ok;
	seg->wscale = tp->ws_ok ? (int8_t)tp->prof->wscale : -1;
}

void
tcp_send_syn(struct tcp *tp)
{
	struct segment	 seg;

	tcp_fill(tp, &seg, tp->iss, 0, TH_SYN);
	syn_options(tp, &seg, false);
	tcp_emit(tp, &seg, NULL);
}

void
tcp_send_synack(struct tcp *tp)
{
	struct segment	 seg;

	tcp_fill(tp, &seg, tp->iss, tp->rcv_nxt, TH_SYN | TH_ACK);
	syn_options(tp, &seg, true);
	tcp_emit(tp, &seg, NULL);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
void
tcp_send_ack(struct tcp *tp)
{
	struct segment	 seg;

	tcp_fill(tp, &seg, tp->snd_nxt, tp->rcv_nxt, TH_ACK);
	tcp_emit(tp, &seg, NULL);
}

/*
 * An ACK for a segment that was not acceptable.  Linux sends at most one
 * every 500 ms for segments that carry no data (tcp_oow_rate_limited), so
 * that two confused endpoints cannot ACK each other forever; data and
 * FINs are always answered.
 */
void
tcp_send_oow_ack(struct tcp *tp, const struct segment *in)
{
	if (tp->prof->oow_ack_gap > 0 &&
	    (segment_seqlen(in) == 0 || (in->flags & TH_SYN))) {
		if (tp->last_oow_ack != 0 &&
		    tcp_now(tp) - tp->last_oow_ack < tp->prof->oow_ack_gap)
			return;
		tp->last_oow_ack = tcp_now(tp) == 0 ? 1 : tcp_now(tp);
	}
	tcp_send_ack(tp);
}

/*
 * A reset answering a segment that has no connection to go to (RFC 9293
 * 3.10.7.1, Linux tcp_v4_send_reset): if it carried an ACK,
 * <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
void
tcp_send_reset_for(struct tcp *tp, const struct segment *in)
{
	struct segment	 seg;

	if (in->flags & TH_RST)
		return;
	segment_init(&seg);
	seg.sport = tp->lport;
	seg.dport = tp->rport;
	if (in->flags & TH_ACK) {
		seg.seq = in->ack;
		seg.flags = TH_RST;
	} else {
		seg.seq = 0;
		seg.ack = in->seq + segment_seqlen(in);
		seg.flags = TH_RST | TH_ACK;
	}
	tp->hooks->output(tp->ctx, tp, &seg, NULL);
}

/*
 * Our own reset of a synchronized connection (ABORT, RFC 9293 3.10.5):
 * <SEQ=SND.NXT><CTL=RST>.  Linux's tcp_send_active_reset also sets ACK,
 * and sends it as any segment of the connection (tcp_transmit_skb): with
 * the SACK blocks, a D-SACK owed among them.
 */
void
tcp_send_active_reset(struct tcp *tp)
{
	struct segment	 seg;
	uint8_t		 flags = TH_RST;

	if (tp->prof->rst_ack_on_abort)
		flags |= TH_ACK;
	tcp_fill(tp, &seg, tp->snd_nxt, tp->rcv_nxt, flags);
	seg.win = 0;
	if (tp->prof->rst_has_window)
		seg.win = window_field(tp, flags);
	sack_blocks(tp, &seg);
	tp->hooks->output(tp->ctx, tp, &seg, NULL);
}

/* The options every segment of the connection carries: timestamps. */
uint32_t
tcp_opt_len(const struct tcp *tp)
{
	return tp->ts_ok ? 12 : 0;
}

/*
 * The most we put in one segment: the peer's MSS less our options, and
 * never more than one IPv4 packet holds (65483 octets with timestamps,
 * as on lo).
 */
uint32_t
tcp_send_mss(const struct tcp *tp)
{
	uint32_t	 mss = tp->peer_mss ? tp->peer_mss : MSS_DEFAULT;
	uint32_t	 opts = tcp_opt_len(tp);

	if (mss > tp->prof->mss)
		mss = tp->prof->mss;
	mss -= opts;
	if (mss > SEG_DGRAM_MAX - SEG_HDR_MIN - opts)
		mss = SEG_DGRAM_MAX - SEG_HDR_MIN - opts;
	/* Linux (tcp_bound_to_half_wnd): no segment larger than half the
	 * largest window the peer offered, 32768 on loopback. */
	if (tp->prof->mss_half_window && tp->max_snd_wnd > MSS_DEFAULT &&
	    mss > tp->max_snd_wnd / 2)
		mss = tp->max_snd_wnd / 2;
	/* SACK blocks we tell take room from the data (RFC 9293 3.7.1:
	 * the options in use; Linux tcp_current_mss). */
	if (tp->sack_ok && tp->nsacks + tp->dsack > 0)
		mss -= sack_opt_len(tp);
	return mss;
}

/* Octets written by the application and not yet sent, up to end. */
static uint32_t
unsent_to(const struct tcp *tp, uint32_t end)
{
	uint32_t	 data_nxt = tp->snd_nxt;

	/* Past our FIN there is no data left. */
	if (tp->fin_sent && seq_gt(data_nxt, tp->fin_seq))
		data_nxt = tp->fin_seq;
	return seq_gt(end, data_nxt) ? end - data_nxt : 0;
}

uint32_t
tcp_unsent(const struct tcp *tp)
{
	return unsent_to(tp, tp->sndbuf_end);
}

static bool
may_send_data(const struct tcp *tp)
{
	switch (tp->state) {
	case TCPS_ESTABLISHED:
	case TCPS_CLOSE_WAIT:
	case TCPS_FIN_WAIT_1:
	case TCPS_CLOSING:
	case TCPS_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/* The probe: the last segment sent, again as it was; snd_nxt untouched. */
void
tcp_send_tail_probe(struct tcp *tp)
{
	struct segment	 seg;
	static uint8_t	 payload[SEG_PAYLOAD_MAX];

	uint32_t	 mss = tcp_send_mss(tp), off = 0;

	/* A segment of more than one MSS: its last MSS-sized piece goes
	 * (tcp_send_loss_probe fragments the buffer), with the buffer's
	 * own marks (tcp_fragment leaves PSH and FIN to the tail). */
	if (tp->last_len > mss)
		off = (tp->last_len - 1) / mss * mss;
	tcp_fill(tp, &seg, tp->last_seq + off, tp->rcv_nxt, tp->last_flags);
	seg.len = tp->last_len - off;
	tcp_stream_bytes(tp->side, (uint64_t)(tp->last_seq + off - tp->iss -
	    1), payload, seg.len);
	tcp_sb_sent(tp, seg.seq, seg.len, seg.flags, true);
	tcp_emit(tp, &seg, payload);
}

/*
 * A segment of len octets at snd_nxt goes, with flags (TH_ACK, TH_PSH,
 * TH_FIN): the sender's books are kept, and the timer armed for a
 * probe or a retransmission (a loss probe's own segment arms nothing:
 * its sender sets the timeout after it, tcp_send_loss_probe).
 */
void
tcp_send_data(struct tcp *tp, uint32_t len, uint8_t flags)
{
	static uint8_t	 payload[SEG_PAYLOAD_MAX];
	struct segment	 seg;
	bool		 retrans = seq_lt(tp->snd_nxt, tp->snd_max);
	bool		 fin = (flags & TH_FIN) != 0;

	tcp_fill(tp, &seg, tp->snd_nxt, tp->rcv_nxt, flags);
	seg.len = len;
	if (len > 0)
		tcp_stream_bytes(tp->side,
		    (uint64_t)(tp->snd_nxt - tp->iss - 1), payload, len);
	if (fin) {
		tp->fin_sent = true;
		tp->fin_seq = tp->snd_nxt + len;
	}
	if (!retrans && tp->snd_una == tp->snd_max)
		tp->unacked_since = tcp_now(tp);
	if (!retrans) {
		tp->last_seq = tp->snd_nxt;
		tp->last_len = len;
		tp->last_flags = flags;
	}
	if (!retrans && !tp->rtt_timing) {
		tp->rtt_timing = true;
		tp->rtt_seq = tp->snd_nxt;
		tp->rtt_sent = tcp_now(tp);
	}
	tp->snd_nxt += len + fin;
	if (seq_gt(tp->snd_nxt, tp->snd_max))
		tp->snd_max = tp->snd_nxt;
	/* A reply soon after data came makes Linux treat the
	 * connection as interactive (pingpong). */
	if (len > 0 && tp->ato != 0 && tcp_now(tp) - tp->lrcvtime < tp->ato)
		tp->pingpong++;
	tcp_sb_sent(tp, seg.seq, len, flags, retrans);
	tcp_emit(tp, &seg, len > 0 ? payload : NULL);
	if (tp->push == PUSH_PROBE)
		return;
	if (!retrans)
		tcp_arm_tail_probe(tp);
	if (tp->tlp_armed)
		tcp_timer_set(tp, TT_RTX, tcp_probe_timeout(tp));
	else
		tcp_rtx_start(tp);
}

/*
 * Send what the window allows: data in segments of at most one MSS, and
 * the FIN once all data has gone (on the last data segment if it fits).
 * Nagle's algorithm holds back a small segment while an earlier small
 * one is unacknowledged (RFC 9293 3.7.4; Linux uses Minshall's variant).
 * New data under Linux's send queue is tcp-sendq.c's.
 */
static void
output_data(struct tcp *tp)
{
	if (!may_send_data(tp))
		return;
	for (;;) {
		uint32_t	 mss = tcp_send_mss(tp);
		uint32_t	 len = unsent_to(tp, tp->write_end);
		uint32_t	 inflight = tp->snd_nxt - tp->snd_una;
		uint32_t	 wnd = tp->snd_wnd, cwnd = tp->cwnd * mss;
		uint8_t		 flags = TH_ACK;
		bool		 fin = false;

		if (tcp_sq_on(tp) && seq_geq(tp->snd_nxt, tp->snd_max)) {
			tcp_sq_push(tp);
			return;
		}
		if (tcp_sb_on(tp) && tp->ca >= CA_RECOVERY) {
			/* Recovering, Linux counts segments in flight
			 * against cwnd (tcp_cwnd_test): SACKed and lost ones
			 * are not in flight; a bare FIN is let through. */
			if (tcp_sb_in_flight(tp) >= tp->cwnd &&
			    tp->push != PUSH_PROBE &&
			    !(len == 0 && tp->fin_queued))
				return;
		} else if (cwnd < wnd && tp->push != PUSH_PROBE)
			wnd = cwnd;
		wnd = wnd > inflight ? wnd - inflight : 0;
		if (len > mss)
			len = mss;
		if (len > wnd) {
			/* Sender SWS avoidance (RFC 9293 3.8.6.2.1, MUST-38):
			 * no sliver of a segment for a sliver of window,
			 * unless that is half the largest window seen. */
			if (wnd < tp->max_snd_wnd / 2)
				return;
			len = wnd;
		}
		if (tp->fin_queued && (!tp->fin_sent || seq_leq(tp->snd_nxt,
		    tp->fin_seq)) && len == tcp_unsent(tp))
			fin = true;		/* all of the data is in this one */
		if (len == 0 && !fin)
			return;
		if (len > 0 && len < mss && !fin) {
			bool	 small_out = tp->prof->nagle_minshall ?
			    seq_gt(tp->snd_sml, tp->snd_una) &&
			    seq_leq(tp->snd_sml, tp->snd_nxt) :
			    tp->snd_nxt != tp->snd_una;

			if (small_out && tp->snd_nxt == tp->snd_max &&
			    tp->push == PUSH_NORMAL)
				return;		/* Nagle */
		}
		/* PSH on the end of what was written, and (Linux's
		 * forced_push) once more than half a window has gone since
		 * the last one. */
		if (len > 0 && tp->prof->psh_on_data && (len == tcp_unsent(tp) ||
		    seq_gt(tp->snd_nxt + len, tp->pushed_seq +
		    tp->max_snd_wnd / 2))) {
			flags |= TH_PSH;
			tp->pushed_seq = tp->snd_nxt + len;
		}
		if (fin)
			flags |= TH_FIN;
		if (len > 0 && len < mss)
			tp->snd_sml = tp->snd_nxt + len;
		tcp_send_data(tp, len, flags);
		if (tp->push == PUSH_PROBE || fin)
			return;
	}
}

/* ... and, the textbook's sender left with data the window will not
 * take, its probe timer (Linux's send queue sets its own). */
void
tcp_output(struct tcp *tp)
{
	output_data(tp);
	if (tp->prof->zwp_octet)
		tcp_zwp_check(tp);
}

/* The write returns (Linux release_sock).  On lo what its last push
 * sent was answered before that, into the backlog; what arrived
 * meanwhile is taken in. */
static void
write_done(struct tcp *tp)
{
	tp->write_end = tp->sndbuf_end;
	if (tp->in_write && tp->hooks->settle != NULL)
		tp->hooks->settle(tp->ctx, tp);
	tp->in_write = false;
	tcp_backlog_drain(tp);
}

/*
 * Hand written data to tcp_output().  Linux's sendmsg goes a buffer at
 * a time, and on loopback the peer answers each before the next is
 * made (tcp-sendq.c): the write goes on at the same instant, after the
 * peer, on the write timer.  The textbook writes all at once.
 */
void
tcp_write_step(struct tcp *tp)
{
	if (tcp_sq_on(tp) && tcp_synchronized(tp)) {
		if (tcp_sq_write(tp)) {
			tp->in_write = true;
			if (!tp->write_timer.armed)
				clock_arm(tp->clock, &tp->write_timer,
				    tcp_now(tp));
			return;
		}
	} else {
		tp->write_end = tp->sndbuf_end;
		tcp_output(tp);
	}
	write_done(tp);
}

void
tcp_write_on(struct timer *t, void *arg)
{
	struct tcp	*tp = arg;

	(void)t;
	if (!may_send_data(tp)) {
		write_done(tp);
		return;
	}
	tcp_write_step(tp);
}
