/*
 * SEGMENT ARRIVES (RFC 9293 3.10.7): a segment for this endpoint, state
 * by state, with Linux's request and timewait sockets beside the RFC's
 * general steps where the profile says so.
 */
#include "config.h"

#include <string.h>

#include "seq.h"
#include "tcp.h"
#include "tcp-priv.h"


/* Learn the peer's numbers and options from its SYN. */
static void
learn_syn(struct tcp *tp, const struct segment *seg)
{
	const struct profile	*p = tp->prof;
	uint32_t		 hint;

	tp->irs = seg->seq;
	tp->rcv_nxt = seg->seq + 1;
	tp->rcv_wup = tp->rcv_nxt;
	tp->peer_mss = seg->mss ? seg->mss : MSS_DEFAULT;
	tp->ws_ok = seg->wscale >= 0 && p->wscale >= 0;
	tp->snd_wscale = tp->ws_ok ? seg->wscale : 0;
	tp->rcv_wscale = tp->ws_ok ? p->wscale : 0;
	tp->ts_ok = seg->has_ts && p->timestamps;
	if (tp->ts_ok)
		tp->ts_recent = seg->ts_val;
	tp->sack_ok = seg->sack_ok && p->sack_ok;
	/* Linux tcp_initialize_rcv_mss: a guess at the peer's segment
	 * size, at most 536 until data shows otherwise. */
	hint = p->mss < tp->peer_mss ? p->mss : tp->peer_mss;
	if (hint > p->syn_win / 2)
		hint = p->syn_win / 2;
	if (hint > MSS_DEFAULT)
		hint = MSS_DEFAULT;
	tp->rcv_mss = hint < MIN_MSS ? MIN_MSS : hint;
}

/* What happens once the handshake is complete on this side. */
static void
established(struct tcp *tp, const struct segment *seg, enum tcp_cause cause)
{
	tp->snd_wnd = seg->win;		/* a SYN's window is never scaled */
	if (!(seg->flags & TH_SYN))
		tp->snd_wnd <<= tp->snd_wscale;
	tp->snd_wl1 = seg->seq;
	tp->snd_wl2 = seg->ack;
	tp->max_snd_wnd = tp->snd_wnd;
	tp->lrcvtime = tcp_now(tp);
	tp->rcv_tstamp = tcp_now(tp);
	tp->retransmits = 0;
	tp->backoff = 0;
	/* Linux tcp_init_buffer_space: DRS starts from the window, now. */
	tp->rcvq_space = tp->rcv_ssthresh < tp->rcv_wnd ? tp->rcv_ssthresh :
	    tp->rcv_wnd;
	tp->rcvq_seq = (uint32_t)tp->read_total;
	tp->rcvq_time = tcp_now(tp);
	tcp_set_state(tp, TCPS_ESTABLISHED, cause);
	if (tp->passive && tp->accept_waiting) {
		tp->accepted = true;
		tp->accept_waiting = false;
	}
	if (tp->keepalive)
		tcp_timer_set(tp, TT_KEEPALIVE, tp->prof->keepalive_idle);
}

/*
 * An ACK covering new data, SYN or FIN: measure, advance, and restart or
 * stop the retransmission timer (RFC 6298 5.2, 5.3).
 */
static void
acked(struct tcp *tp, const struct segment *seg)
{
	/* Karn: data sent again gives no sample from its send times (Linux
	 * FLAG_RETRANS_DATA_ACKED); the timestamp it echoes may. */
	bool	 resent = tcp_sb_on(tp) && tcp_sb_resent_acked(tp, seg->ack);
	bool	 retransmitted = tp->retransmits > 0 || resent;
	bool	 timed = tp->rtt_timing && seq_gt(seg->ack, tp->rtt_seq);

	if (timed)
		tp->rtt_timing = false;
	if (timed && !resent) {
		tcp_rtt_sample(tp, tcp_now(tp) - tp->rtt_sent);
	} else if (retransmitted && tp->ts_ok && seg->has_ts &&
	    seg->ts_ecr != 0) {
		/* Linux times a retransmitted segment by the timestamp
		 * it echoes, to the millisecond. */
		vtime_t	 m = tcp_now(tp) - (vtime_t)(uint32_t)(seg->ts_ecr -
		    tp->ts_offset) * 1000;

		tcp_rtt_sample(tp, m < VT_MS(1) ? VT_MS(1) : m);
	} else if (retransmitted && tp->srtt == 0 &&
	    tp->prof->rto_3s_after_syn_loss &&
	    tp->state <= TCPS_SYN_RECEIVED) {
		/* RFC 6298 5.7: a SYN was lost and nothing was measured. */
		tp->rto = VT_SEC(3);
	} else if (tp->backoff > 0 && tp->srtt != 0) {
		/* A new ACK ends the backoff (RFC 6298 5.7, Linux). */
		tcp_rtt_sample(tp, tp->srtt);
	}
	tp->snd_una = seg->ack;
	if (seq_lt(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	tp->retransmits = 0;
	tp->backoff = 0;
	tp->probes_out = 0;
	tp->synack_timeouts = 0;
	if (tp->tlp_high != 0 && seq_geq(seg->ack, tp->tlp_high))
		tp->tlp_high = 0;
	tp->tlp_armed = false;
	if (tp->cwnd < 1000)
		tp->cwnd++;
	if (tp->snd_una == tp->snd_max)
		tcp_timer_stop(tp, TT_RTX);
	else {
		/* Progress: the user timeout counts afresh (textbook). */
		tp->unacked_since = tcp_now(tp);
		if (tcp_synchronized(tp))
			tcp_arm_tail_probe(tp);
		tcp_timer_set(tp, TT_RTX, tp->tlp_armed ? tcp_probe_timeout(tp) :
		    tcp_rtx_delay(tp));
	}
}

/* RFC 9293 3.10.7.4, Table 6: is any of the segment inside our window? */
static bool
acceptable(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 len = segment_seqlen(seg);
	uint32_t	 wnd = tcp_recv_window(tp);

	if (len == 0) {
		if (tp->prof->ack_at_edge && seg->seq == tp->rcv_nxt + wnd)
			return true;
		if (wnd == 0)
			return seg->seq == tp->rcv_nxt;
		return seq_in_window(seg->seq, tp->rcv_nxt, wnd);
	}
	if (wnd == 0)
		return false;
	return seq_in_window(seg->seq, tp->rcv_nxt, wnd) ||
	    seq_in_window(seg->seq + len - 1, tp->rcv_nxt, wnd);
}

/* An RST we accept, by state (RFC 9293 3.10.7.4, second step). */
static void
reset_by_peer(struct tcp *tp)
{
	enum tcp_error	 err = TE_CONNRESET;

	switch (tp->state) {
	case TCPS_SYN_RECEIVED:
		if (tp->passive && tp->listening) {
			tcp_back_to_listen(tp, CAUSE_RST_HALF_OPEN);
			return;
		}
		tcp_notify(tp, TE_CONNREFUSED);
		tcp_closed(tp, CAUSE_RST_REFUSED);
		return;
	case TCPS_CLOSE_WAIT:
		/* Linux tcp_reset reports EPIPE here: we had the EOF. */
		if (tp->prof->close_wait_rst_epipe)
			err = TE_PIPE;
		/* FALLTHROUGH */
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
		if (!tp->orphan)
			tcp_notify(tp, err);
		tcp_closed(tp, CAUSE_RST_RESET);
		return;
	default:
		tcp_closed(tp, CAUSE_RST);
		return;
	}
}

/*
 * SACK as Linux keeps it (tcp_sack_new_ofo_skb and the functions around
 * it).  Blocks that touch or overlap are one; the block that grew or is
 * new goes first, the others keep their order, and a fifth is forgotten.
 */
static bool
sack_extend(struct sack_block *b, uint32_t seq, uint32_t end)
{
	if (seq_gt(seq, b->end) || seq_gt(b->start, end))
		return false;
	if (seq_lt(seq, b->start))
		b->start = seq;
	if (seq_gt(end, b->end))
		b->end = end;
	return true;
}

/* Out-of-order data [seq, end) came: the blocks say so. */
static void
sack_ofo(struct tcp *tp, uint32_t seq, uint32_t end)
{
	struct sack_block	*sp = tp->sacks, b = { seq, end };
	int			 i;

	if (!tp->sack_ok)
		return;
	for (i = 0; i < tp->nsacks; i++) {
		if (!sack_extend(&sp[i], seq, end))
			continue;
		b = sp[i];
		for (; i > 0; i--)
			sp[i] = sp[i - 1];
		sp[0] = b;
		/* It may reach others now: they become one with it. */
		for (i = 1; i < tp->nsacks; ) {
			if (!sack_extend(&sp[0], sp[i].start, sp[i].end)) {
				i++;
				continue;
			}
			tp->nsacks--;
			for (int j = i; j < tp->nsacks; j++)
				sp[j] = sp[j + 1];
		}
		return;
	}
	if (tp->nsacks == SEG_SACK_MAX)
		tp->nsacks--;
	for (i = tp->nsacks; i > 0; i--)
		sp[i] = sp[i - 1];
	sp[0] = b;
	tp->nsacks++;
}

/* RCV.NXT moved: the blocks it passed go (tcp_sack_remove). */
static void
sack_remove(struct tcp *tp)
{
	if (tp->nooo == 0) {
		tp->nsacks = 0;
		return;
	}
	for (int i = 0; i < tp->nsacks; ) {
		if (seq_lt(tp->rcv_nxt, tp->sacks[i].start)) {
			i++;
			continue;
		}
		tp->nsacks--;
		for (int j = i; j < tp->nsacks; j++)
			tp->sacks[j] = tp->sacks[j + 1];
	}
}

/* A duplicate [seq, end) came: the next segment out says so (D-SACK,
 * RFC 2883; Linux's tcp_dsack_set, with net.ipv4.tcp_dsack on). */
static void
dsack_set(struct tcp *tp, uint32_t seq, uint32_t end)
{
	if (!tp->sack_ok)
		return;
	tp->dsack = true;
	tp->dsack_blk.start = seq;
	tp->dsack_blk.end = end;
}

/* Out-of-order data that overlaps what is held already: that part came
 * twice (tcp_data_queue_ofo's D-SACK). */
static void
ooo_dup(struct tcp *tp, uint32_t seq, uint32_t end)
{
	for (int i = 0; i < tp->nooo; i++) {
		uint32_t	 s = tp->ooo[i][0], e = tp->ooo[i][1];

		if (!seq_lt(seq, e) || !seq_gt(end, s))
			continue;
		dsack_set(tp, seq_gt(seq, s) ? seq : s, seq_lt(end, e) ? end : e);
		return;
	}
}

/* Remember out-of-order data [seq, end) until the hole before it fills. */
static void
ooo_add(struct tcp *tp, uint32_t seq, uint32_t end)
{
	for (int i = 0; i < tp->nooo; i++) {
		if (tp->ooo[i][0] == seq && tp->ooo[i][1] == end)
			return;
	}
	if (tp->nooo < TCP_OOO_MAX) {
		tp->ooo[tp->nooo][0] = seq;
		tp->ooo[tp->nooo][1] = end;
		tp->nooo++;
	}
}

/* Move pieces from the out-of-order store into the stream as far as they
 * now reach. */
static void
ooo_drain(struct tcp *tp)
{
	for (int i = 0; i < tp->nooo; ) {
		uint32_t	 s = tp->ooo[i][0], e = tp->ooo[i][1];

		if (seq_gt(s, tp->rcv_nxt)) {
			i++;
			continue;
		}
		if (seq_gt(e, tp->rcv_nxt)) {
			/* its buffer, now in order */
			uint32_t	 len = e - tp->rcv_nxt;

			tp->rcv_nxt = e;
			tcp_rq_push(tp, len);
		}
		tp->nooo--;
		tp->ooo[i][0] = tp->ooo[tp->nooo][0];
		tp->ooo[i][1] = tp->ooo[tp->nooo][1];
		i = 0;		/* a piece passed over may fit now */
	}
}

/* The FIN has arrived in order (RFC 9293 3.10.7.4, eighth step). */
static void
fin_received(struct tcp *tp)
{
	tp->rcv_nxt++;
	tp->rcv_fin = true;
	tp->ack_pending = true;
	switch (tp->state) {
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tcp_set_state(tp, TCPS_CLOSE_WAIT, CAUSE_RCV_FIN_FIRST);
		/* Linux tcp_fin: treat the connection as interactive, so
		 * the ACK waits in case our own FIN follows soon. */
		if (tp->prof->fin_delays_ack)
			tp->pingpong = 1;
		break;
	case TCPS_FIN_WAIT_1:
		tp->ack_now = true;
		if (tcp_fin_acked(tp)) {
			tcp_enter_time_wait(tp, CAUSE_RCV_FIN_ACK);
			break;
		}
		tcp_set_state(tp, TCPS_CLOSING, CAUSE_SIMCLOSE);
		/* The FIN is ACKed at once and alone, before any data we
		 * still have to send (Linux tcp_fin). */
		tcp_send_ack(tp);
		break;
	case TCPS_FIN_WAIT_2:
		tp->ack_now = true;
		tp->ack_direct = true;
		tcp_enter_time_wait(tp, CAUSE_RCV_FIN);
		break;
	case TCPS_TIME_WAIT:
		tp->ack_now = true;
		tcp_timer_set(tp, TT_TIMEWAIT, tcp_time_wait_len(tp));
		break;
	default:
		break;
	}
}

/*
 * Our close() cannot take data any more: Linux answers it with a RST
 * (tcp_rcv_state_process, FIN_WAIT_1 and 2).  A FIN beyond RCV.NXT
 * counts: it says data we lack was sent, and nobody will read it.
 */
static bool
data_after_close(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 end = seg->seq + seg->len;

	if (!tp->orphan || !tp->prof->rst_on_data_after_close ||
	    (seg->len == 0 && !(seg->flags & TH_FIN)) ||
	    !seq_gt(end, tp->rcv_nxt))
		return false;
	tcp_send_reset_for(tp, seg);
	tcp_closed(tp, CAUSE_DATA_AFTER_CLOSE);
	return true;
}

/*
 * Data we had already came again: say so at once.  Linux (tcp_data_queue)
 * enters quick-ACK mode and leaves the ACK to its usual check, where a
 * buffer more than half full ends quick ACKs: a copy reaching a full
 * buffer (a loss probe's) waits as a delayed ACK, its D-SACK with it.
 */
static void
dup_ack(struct tcp *tp)
{
	if (!tp->prof->dupack_quickack) {
		tcp_ack_soon(tp);
		return;
	}
	tcp_enter_quickack(tp);
	tp->ack_pending = true;
}

/*
 * The segment's text and FIN (RFC 9293 3.10.7.4, seventh and eighth
 * steps), for a segment already found acceptable.
 */
static void
text_and_fin(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 seq = seg->seq, len = seg->len;
	bool		 fin = (seg->flags & TH_FIN) != 0, waiting;

	if (seg->flags & TH_SYN)
		seq++;			/* data on a SYN starts after it */
	switch (tp->state) {
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_SYN_RECEIVED:
		break;
	default:
		/* CLOSE_WAIT and after: the peer's FIN came already, so
		 * there is no text to take (an old copy of it failed the
		 * sequence test and was ACKed there). */
		return;
	}
	if (len == 0 && !fin)
		return;
	if (data_after_close(tp, seg))
		return;
	tcp_rcv_rtt_ts(tp, seg);
	if (seq_gt(seq, tp->rcv_nxt)) {
		/* Out of order: keep it, and say at once what we lack. */
		/* A FIN held out of order has its sequence number too: a
		 * block reports it (Linux's out-of-order queue holds it). */
		if (fin && tp->ooo_fin && tp->ooo_fin_seq == seq + len &&
		    len == 0)
			dsack_set(tp, seq, seq + 1);
		if (len > 0)
			ooo_dup(tp, seq, seq + len);
		if (len > 0) {
			ooo_add(tp, seq, seq + len);
			tcp_rwin_data(tp, len, false);
		}
		sack_ofo(tp, seq, seq + len + fin);
		if (fin) {
			tp->ooo_fin = true;
			tp->ooo_fin_seq = seq + len;
		}
		tcp_ack_soon(tp);
		tp->ack_direct = true;
		return;
	}
	if (seq_lt(seq, tp->rcv_nxt)) {
		uint32_t	 old = tp->rcv_nxt - seq;

		if (old >= len + fin) {
			/* All seen before: a retransmission.  ACK at once
			 * (Linux leaves pingpong mode for it), and say it
			 * came twice. */
			dsack_set(tp, seq, seq + len + fin);
			dup_ack(tp);
			return;
		}
		if (old > len)
			old = len;
		/* Partly seen before: that part came twice. */
		dsack_set(tp, seq, tp->rcv_nxt);
		seq += old;
		len -= old;
	}
	waiting = tp->nooo > 0 || tp->ooo_fin;
	if (len > 0) {
		tp->rcv_nxt += len;
		tcp_rq_push(tp, len);
		tcp_rwin_data(tp, len, true);
		if (tp->prof->delayed_ack) {
			struct segment	 s = *seg;

			s.len = len;
			tcp_data_received(tp, &s);
		} else
			tp->ack_pending = true;
		ooo_drain(tp);
		sack_remove(tp);
	}
	if (fin && seq + len == tp->rcv_nxt) {
		if (seg->len == 0)
			tcp_rq_fin(tp);
		fin_received(tp);
	}
	else if (tp->ooo_fin && tp->ooo_fin_seq == tp->rcv_nxt) {
		tp->ooo_fin = false;
		fin_received(tp);
	}
	/* RFC 5681 4.2 (Linux ICSK_ACK_NOW): the hole is filled, nothing
	 * waits out of order any more: ACK at once. */
	if (waiting && tp->nooo == 0 && !tp->ooo_fin)
		tp->ack_now = true;
}

/* Finish handling a segment: send what may go, then the ACK owed. */
static void
after_input(struct tcp *tp)
{
	if (tp->state == TCPS_CLOSED || tp->state == TCPS_LISTEN)
		return;
	if (tp->write_end != tp->sndbuf_end)
		tcp_write_step(tp);		/* a blocked write goes on */
	else
		tcp_output(tp);
	tcp_ack_check(tp);
}

/* 3.10.7.1: no connection.  (Linux's listener, still open, is in LISTEN
 * again as soon as its connection closes: tcp_closed.) */
static void	input_listen(struct tcp *, const struct segment *);

static void
input_closed(struct tcp *tp, const struct segment *seg)
{
	tcp_send_reset_for(tp, seg);
}

/* 3.10.7.2 */
static void
input_listen(struct tcp *tp, const struct segment *seg)
{
	if (seg->flags & TH_RST)
		return;
	if (seg->flags & TH_ACK) {
		tcp_send_reset_for(tp, seg);
		return;
	}
	if (!(seg->flags & TH_SYN))
		return;
	if (tp->prof->drop_syn_fin && (seg->flags & TH_FIN))
		return;
	/*
	 * No room in the accept queue: the SYN is dropped without a word
	 * and the client will send it again (Linux tcp_conn_request, since
	 * 4.10; 4.4BSD's sonewconn refused it too).  RFC 9293 has no queue.
	 */
	if (tcp_acceptq_full(tp))
		return;
	learn_syn(tp, seg);
	tcp_new_tcb(tp, true);
	tp->synack_timeouts = 0;
	tcp_set_state(tp, TCPS_SYN_RECEIVED, CAUSE_RCV_SYN);
	tcp_send_synack(tp);
	tcp_timer_set(tp, TT_RTX, tp->prof->listener_stays ?
	    tp->prof->synack_timeout : tp->rto);
}

/* 3.10.7.3 */
static void
input_syn_sent(struct tcp *tp, const struct segment *seg)
{
	bool	 ack_ok = false;

	if (seg->flags & TH_ACK) {
		if (seq_leq(seg->ack, tp->iss) || seq_gt(seg->ack, tp->snd_nxt)) {
			tcp_send_reset_for(tp, seg);
			/* Linux: the peer is confused, try our SYN again
			 * soon (TCP_TIMEOUT_MIN), once. */
			if (tp->prof->syn_retry_on_bad_ack &&
			    tp->retransmits == 0)
				tcp_timer_set(tp, TT_RTX, 2 * tp->prof->tick);
			return;
		}
		ack_ok = true;
	}
	if (seg->flags & TH_RST) {
		if (ack_ok) {
			tcp_notify(tp, TE_CONNREFUSED);
			tcp_closed(tp, CAUSE_REFUSED);
		}
		return;
	}
	if (!(seg->flags & TH_SYN))
		return;
	learn_syn(tp, seg);
	if (ack_ok)
		acked(tp, seg);
	if (seq_gt(tp->snd_una, tp->iss)) {
		established(tp, seg, CAUSE_RCV_SYNACK);
		tp->ack_pending = true;
		tp->ack_now = true;
		after_input(tp);	/* queued data carries the ACK */
		return;
	}
	/* Both sides sent a SYN: simultaneous open. */
	tp->snd_wnd = seg->win;
	tp->snd_wl1 = seg->seq;
	tp->snd_wl2 = seg->ack;
	tcp_set_state(tp, TCPS_SYN_RECEIVED, CAUSE_SIMOPEN);
	tcp_send_synack(tp);
}

/*
 * Linux's passive SYN_RECEIVED is a request socket, and tcp_check_req
 * handles its segments rather than the RFC's general steps.
 */
static void
input_request(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 end = seg->seq + segment_seqlen(seg);
	uint8_t		 fl = seg->flags;
	bool		 in_window;

	/* A retransmitted SYN: the SYN+ACK went missing, send it again
	 * and restart its timer. */
	if (seg->seq == tp->irs && (fl & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN) {
		if (tp->last_oow_ack == 0 ||
		    tcp_now(tp) - tp->last_oow_ack >= tp->prof->oow_ack_gap) {
			tp->last_oow_ack = tcp_now(tp) ? tcp_now(tp) : 1;
			tp->retransmits++;
			tp->rtt_timing = false;
			tcp_send_synack(tp);
			tcp_timer_set(tp, TT_RTX, tp->prof->synack_timeout <<
			    tp->synack_timeouts);
		}
		return;
	}
	/* An ACK of something else: the listener answers with a RST. */
	if ((fl & TH_ACK) && seg->ack != tp->iss + 1) {
		tcp_send_reset_for(tp, seg);
		return;
	}
	in_window = seg->seq == tp->rcv_nxt ||
	    (seq_gt(end, tp->rcv_nxt) &&
	    seq_lt(seg->seq, tp->rcv_nxt + tp->prof->synack_win)) ||
	    (seg->seq == tp->rcv_nxt + tp->prof->synack_win && seg->seq == end);
	if (!in_window) {
		if (!(fl & TH_RST))
			tcp_send_oow_ack(tp, seg);
		return;
	}
	if (fl & (TH_RST | TH_SYN)) {
		if (!(fl & TH_RST))
			tcp_send_reset_for(tp, seg);
		reset_by_peer(tp);
		return;
	}
	if (!(fl & TH_ACK))
		return;
	/*
	 * The handshake is complete, but the accept queue has filled since
	 * the SYN (tcp_v4_syn_recv_sock): the segment is dropped and the
	 * request stays, its SYN+ACK timer running, for a later ACK to
	 * complete; with tcp_abort_on_overflow the request is reset
	 * instead (tcp_check_req).
	 */
	if (tcp_acceptq_full(tp)) {
		if (tp->prof->abort_on_overflow) {
			tcp_send_reset_for(tp, seg);
			tcp_back_to_listen(tp, CAUSE_OVERFLOW_RESET);
		}
		return;
	}
	acked(tp, seg);
	established(tp, seg, CAUSE_ACK_OF_SYNACK);
	text_and_fin(tp, seg);
	after_input(tp);
}

/* Linux tcp_timewait_state_process, for a socket in TIME_WAIT. */
static void
input_timewait_sock(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 len = segment_seqlen(seg);
	uint8_t		 fl = seg->flags;

	if (seg->seq == tp->rcv_nxt && (len == 0 || (fl & TH_RST))) {
		if (fl & TH_RST) {
			/* tcp_rfc1337 is 0: a RST ends TIME_WAIT early. */
			tcp_closed(tp, CAUSE_RST_TIME_WAIT);
			return;
		}
		tcp_timer_set(tp, TT_TIMEWAIT, tcp_time_wait_len(tp));
		return;
	}
	if ((fl & (TH_SYN | TH_RST | TH_ACK)) == TH_SYN &&
	    (seq_gt(seg->seq, tp->rcv_nxt) || (tp->ts_ok && seg->has_ts &&
	    (int32_t)(tp->ts_recent - seg->ts_val) < 0)) && tp->listening) {
		/* A new SYN for the same four ports: a new connection,
		 * its ISS beyond anything the old one used. */
		uint32_t	 isn = tp->snd_nxt + 65535 + 2;

		tcp_closed(tp, CAUSE_SYN_TIME_WAIT);
		tp->isn_next = isn;
		input_listen(tp, seg);
		return;
	}
	if (fl & TH_RST)
		return;
	/* Anything else, a retransmitted FIN above all: ACK it, and
	 * start 2MSL again. */
	if (fl & TH_ACK)
		tcp_timer_set(tp, TT_TIMEWAIT, tcp_time_wait_len(tp));
	tcp_send_oow_ack(tp, seg);
}

/*
 * Linux keeps an orphan in FIN_WAIT_2 as a light TIME_WAIT-like socket
 * (tcp_timewait_state_process, FIN_WAIT2 substate): it waits only for the
 * FIN, and anything else new is met with a RST.
 */
static void
input_fin_wait_2_orphan(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 end = seg->seq + segment_seqlen(seg);
	uint32_t	 edge = tp->rcv_nxt + tcp_recv_window(tp);
	uint8_t		 fl = seg->flags;
	bool		 in_window;

	/* tcp_in_window, with what was left of the window: a segment of
	 * no length may stand at its right edge. */
	in_window = seg->seq == tp->rcv_nxt ||
	    (seq_gt(end, tp->rcv_nxt) && seq_lt(seg->seq, edge)) ||
	    (seg->seq == edge && end == seg->seq);
	if (!in_window) {
		tcp_send_oow_ack(tp, seg);
		return;
	}
	if (fl & TH_RST) {
		tcp_closed(tp, CAUSE_RST);
		return;
	}
	if ((fl & TH_SYN) && seq_geq(seg->seq, tp->rcv_nxt)) {
		tcp_send_reset_for(tp, seg);
		tcp_closed(tp, CAUSE_SYN_FIN_WAIT_2);
		return;
	}
	if (!(fl & TH_ACK) || !seq_gt(end, tp->rcv_nxt) || end == seg->seq)
		return;			/* a duplicate ACK */
	if (!(fl & TH_FIN) || end != tp->rcv_nxt + 1) {
		tcp_send_reset_for(tp, seg);
		tcp_closed(tp, CAUSE_DATA_AFTER_CLOSE);
		return;
	}
	tp->rcv_nxt = end;
	tp->rcv_fin = true;
	tcp_enter_time_wait(tp, CAUSE_RCV_FIN);
	tcp_send_ack(tp);
}

/* 3.10.7.4: SYN_RECEIVED and every synchronized state. */
static void
input_sync(struct tcp *tp, const struct segment *seg)
{
	uint8_t		 fl = seg->flags;
	uint32_t	 wnd, prior_una = tp->snd_una, prior_wnd = tp->snd_wnd;

	/* TIME_WAIT: the peer's FIN again, because our ACK was lost.
	 * ACK it and restart 2MSL (fifth step, TIME-WAIT STATE). */
	if (tp->state == TCPS_TIME_WAIT && (fl & TH_FIN) && !(fl & TH_RST) &&
	    seg->seq + segment_seqlen(seg) == tp->rcv_nxt) {
		tcp_timer_set(tp, TT_TIMEWAIT, tcp_time_wait_len(tp));
		tcp_send_ack(tp);
		return;
	}

	/* Linux lets the peer's SYN+ACK of a simultaneous open through
	 * (tcp_validate_incoming); its SYN is then an old duplicate. */
	if (tp->prof->simopen_synack && tp->state == TCPS_SYN_RECEIVED &&
	    !tp->passive &&
	    (fl & (TH_SYN | TH_ACK | TH_RST)) == (TH_SYN | TH_ACK) &&
	    seg->seq + 1 == tp->rcv_nxt && seg->ack == tp->snd_nxt) {
		acked(tp, seg);
		established(tp, seg, CAUSE_SIMOPEN_DONE);
		tcp_enter_quickack(tp);
		tcp_ack_soon(tp);
		after_input(tp);
		return;
	}

	/* First, check the sequence number. */
	if (!acceptable(tp, seg)) {
		if (fl & TH_RST)
			return;
		if (tp->prof->dupack_quickack && seg->len > 0)
			tcp_enter_quickack(tp);
		/* Sequence space we had already (tcp_send_dupack; a SYN
		 * draws a challenge ACK there instead). */
		if (!(fl & TH_SYN) && segment_seqlen(seg) > 0 &&
		    seq_lt(seg->seq, tp->rcv_nxt))
			dsack_set(tp, seg->seq, seq_lt(seg->seq +
			    segment_seqlen(seg), tp->rcv_nxt) ? seg->seq +
			    segment_seqlen(seg) : tp->rcv_nxt);
		/* Linux's window test (tcp_sequence) lets through data it
		 * has had, back to the last window it offered, even into a
		 * closed window: it is answered as a duplicate. */
		if (tp->prof->dupack_quickack && seg->len > 0 &&
		    !(fl & (TH_SYN | TH_FIN)) &&
		    seq_leq(seg->seq + seg->len, tp->rcv_nxt) &&
		    seq_geq(seg->seq + seg->len, tp->rcv_wup)) {
			dup_ack(tp);
			tcp_ack_check(tp);
			return;
		}
		tcp_send_oow_ack(tp, seg);
		return;
	}
	tp->rcv_tstamp = tcp_now(tp);
	if (tp->ts_ok && seg->has_ts && seq_leq(seg->seq, tp->rcv_nxt))
		tp->ts_recent = seg->ts_val;

	/* Second, the RST bit (with RFC 5961 section 3). */
	if (fl & TH_RST) {
		if (seg->seq == tp->rcv_nxt || !tp->prof->challenge_ack_rst ||
		    (tp->prof->rst_before_rcv_nxt && seg->seq == tp->rcv_nxt - 1 &&
		    (tp->state == TCPS_CLOSE_WAIT || tp->state == TCPS_LAST_ACK ||
		    tp->state == TCPS_CLOSING)))
			reset_by_peer(tp);
		else
			tcp_send_oow_ack(tp, seg);	/* challenge ACK */
		return;
	}

	/* Fourth, the SYN bit. */
	if (fl & TH_SYN) {
		if (tp->state == TCPS_SYN_RECEIVED && tp->passive) {
			reset_by_peer(tp);
			return;
		}
		if (tp->prof->challenge_ack_syn) {
			tcp_send_oow_ack(tp, seg);	/* RFC 5961 section 4 */
			return;
		}
		tcp_send_active_reset(tp);
		tcp_notify(tp, TE_CONNRESET);
		tcp_closed(tp, CAUSE_SYN_RESET);
		return;
	}

	/* Fifth, the ACK field. */
	if (!(fl & TH_ACK))
		return;
	if (tp->state == TCPS_SYN_RECEIVED) {
		if (!seq_gt(seg->ack, tp->snd_una) ||
		    seq_gt(seg->ack, tp->snd_max)) {
			tcp_send_reset_for(tp, seg);
			return;
		}
		acked(tp, seg);
		established(tp, seg, CAUSE_ACK_OF_SYN);
	} else {
		/* RFC 5961 section 5: acceptable only within
		 * SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT. */
		if (seq_gt(seg->ack, tp->snd_max) ||
		    seq_lt(seg->ack, tp->snd_una - tp->max_snd_wnd)) {
			tcp_send_oow_ack(tp, seg);
			return;
		}
		if (seq_gt(seg->ack, tp->snd_una))
			acked(tp, seg);
	}
	/* Any acceptable ACK shows the peer alive (Linux tcp_ack). */
	tp->probes_out = 0;

	/* The send window, from segments no older than the last used. */
	if (seq_lt(tp->snd_wl1, seg->seq) || (tp->snd_wl1 == seg->seq &&
	    seq_leq(tp->snd_wl2, seg->ack))) {
		wnd = (uint32_t)seg->win << tp->snd_wscale;
		tp->snd_wnd = wnd;
		tp->snd_wl1 = seg->seq;
		tp->snd_wl2 = seg->ack;
		if (wnd > tp->max_snd_wnd)
			tp->max_snd_wnd = wnd;
	}
	if (tp->state != TCPS_SYN_RECEIVED) {
		tcp_sb_ack(tp, seg, prior_una);
		tcp_dupack(tp, seg, prior_una, tp->snd_wnd != prior_wnd);
		/* Nothing was out but a probe: its answer, or a window
		 * update (Linux tcp_ack_probe). */
		if (prior_una == tp->snd_max || tp->zwp_out)
			tcp_zwp_ack(tp);
	}
	switch (tp->state) {
	case TCPS_FIN_WAIT_1:
		/* A FIN that also acknowledges ours takes the diagram's
		 * edge straight to TIME_WAIT (in the eighth step); nobody
		 * could ever see the FIN_WAIT_2 in between. */
		if (!tcp_fin_acked(tp) || ((fl & TH_FIN) && seg->seq == tp->rcv_nxt))
			break;
		tcp_set_state(tp, TCPS_FIN_WAIT_2, CAUSE_FIN_ACKED);
		/* Linux: an orphan waits tcp_fin_timeout for the FIN. */
		if (tp->orphan && tp->prof->fin_timeout > 0 &&
		    !(fl & TH_FIN))
			tcp_timer_set(tp, TT_FINWAIT2, tp->prof->fin_timeout);
		break;
	/* Until our FIN is ACKed, data queued before it still goes as
	 * the window lets it (Linux's close() queues the FIN behind it). */
	case TCPS_CLOSING:
		if (!tcp_fin_acked(tp))
			break;
		tcp_enter_time_wait(tp, CAUSE_FIN_ACKED);
		return;
	case TCPS_LAST_ACK:
		if (!tcp_fin_acked(tp))
			break;
		tcp_closed(tp, CAUSE_FIN_ACKED_CLOSED);
		return;
	default:
		break;
	}

	text_and_fin(tp, seg);
	after_input(tp);
}

/*
 * The connection's socket is gone: closed, or handed to a timewait
 * socket (Linux's tcp_done, tcp_time_wait).  What still waits in its
 * backlog then reaches a socket in TCP_CLOSE, which drops it.
 */
static bool
socket_gone(const struct tcp *tp)
{
	return tp->state == TCPS_CLOSED || tp->conn_gone ||
	    tcp_timewait_sock(tp);
}

static void	input_now(struct tcp *, const struct segment *);

/*
 * What waited in the backlog is taken in, in order (Linux release_sock).
 * The socket is still held meanwhile: on lo, what the peer answers to
 * a segment this sends comes back at once, into the backlog, taken in
 * as well; only then is the backlog's memory let go (__release_sock),
 * and then goes the ACK put off meanwhile (tcp_release_cb).
 */
void
tcp_backlog_drain(struct tcp *tp)
{
	struct segment	 q[TCP_RXQ_MAX];
	bool		 gone = socket_gone(tp);

	tp->draining = true;
	while (tp->nrxq > 0) {
		int	 n = tp->nrxq;

		memcpy(q, tp->rxq, (size_t)n * sizeof q[0]);
		tp->nrxq = 0;
		for (int i = 0; i < n && (gone || !socket_gone(tp)); i++) {
			input_now(tp, &q[i]);
			if (tp->hooks->settle != NULL)
				tp->hooks->settle(tp->ctx, tp);
		}
	}
	tp->draining = false;
	tp->backlog_len = 0;
	if (tp->ack_deferred) {
		tp->ack_deferred = false;
		if (tp->ack_pending && !socket_gone(tp))
			tcp_send_ack(tp);
	}
}

/* A read or a close ends: the socket is the kernel's again. */
void
tcp_release(struct tcp *tp)
{
	tp->held = false;
	tcp_backlog_drain(tp);
}

/* SEGMENT ARRIVES (RFC 9293 3.10.7): the segment is taken in now. */
static void
input_now(struct tcp *tp, const struct segment *seg)
{
	if (tp->down)
		return;
	tp->pass++;
	switch (tp->state) {
	case TCPS_CLOSED:
		input_closed(tp, seg);
		break;
	case TCPS_LISTEN:
		input_listen(tp, seg);
		break;
	case TCPS_SYN_SENT:
		input_syn_sent(tp, seg);
		break;
	case TCPS_SYN_RECEIVED:
		if (tp->passive && tp->prof->listener_stays)
			input_request(tp, seg);
		else
			input_sync(tp, seg);
		break;
	case TCPS_TIME_WAIT:
		if (tcp_timewait_sock(tp))
			input_timewait_sock(tp, seg);
		else
			input_sync(tp, seg);
		break;
	case TCPS_FIN_WAIT_2:
		if (tcp_timewait_sock(tp))
			input_fin_wait_2_orphan(tp, seg);
		else
			input_sync(tp, seg);
		break;
	default:
		input_sync(tp, seg);
		break;
	}
}

/* A segment arrives: now, or into the backlog while the application
 * holds the socket. */
void
tcp_input(struct tcp *tp, const struct segment *seg, const uint8_t *payload)
{
	(void)payload;
	if (tp->down)
		return;
	/* Each waits apart: Linux joins a segment to the backlog's last
	 * only if that one is no clone (tcp_add_backlog, skb_try_coalesce),
	 * and on lo every one is: the sender keeps its data until ACKed,
	 * and a tap (tcpdump, synfin's kernel engine) holds a copy of
	 * each. */
	if ((tp->in_write || tp->held || tp->draining) &&
	    tp->nrxq < TCP_RXQ_MAX) {
		tp->pass++;
		tp->rxq[tp->nrxq++] = *seg;
		tp->backlog_len += seg->len + TRUESIZE_EXTRA;
		return;
	}
	input_now(tp, seg);
}
