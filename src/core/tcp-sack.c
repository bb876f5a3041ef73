/*
 * Loss recovery beyond the timer.  First, the textbook's fast retransmit
 * (RFC 5681 3.2), where a script asks for it.  Then SACK as a sender
 * (linux profile): the scoreboard of segments out, what
 * each ACK's blocks say of them, and the recovery that follows, as Linux
 * 6.x runs it with its defaults (tcp_recovery 1, tcp_early_retrans 3,
 * tcp_frto 2).
 *
 *	RACK (RFC 8985 6): a segment is lost once one sent after it has
 *	been delivered and its reordering window has passed; the window
 *	is a quarter of the least RTT seen, none once three segments are
 *	SACKed or recovery has begun.  On loopback it is a few
 *	microseconds; in synfin's time, where a segment takes no time,
 *	it is nothing, so the hole is resent on the first ACK that
 *	SACKs beyond it.
 *	Fast recovery: the lost segments go again at once, the window
 *	paced by PRR (RFC 6937) down to 0.7 of itself (CUBIC's beta),
 *	until everything out when it began is acknowledged.
 *	A timeout: every segment not SACKed is lost, the first goes again
 *	(with what follows it, not SACKed, if it fits: Linux's
 *	tcp_retrans_try_collapse), and F-RTO (RFC 5682) sends new data
 *	on the first ACK before sending more again.
 *
 * Nothing here runs unless the profile asks (rack) and the handshake
 * agreed SACK; the textbook's sender repairs by its timer alone.
 */
#include <string.h>

#include "seq.h"
#include "tcp-priv.h"

#define DUPTHRESH	3	/* tcp_reordering */

bool
tcp_sb_on(const struct tcp *tp)
{
	return tp->prof->rack && tp->sack_ok && !tp->sb_off;
}

/* The data a segment of the scoreboard holds, its FIN aside. */
static uint32_t
sent_len(const struct tcp_sent *e)
{
	return e->end - e->seq - ((e->flags & TH_FIN) != 0);
}

static int
count(const struct tcp *tp, uint8_t sb)
{
	int	 n = 0;

	for (int i = 0; i < tp->nsent; i++)
		if (tp->sent[i].sb & sb)
			n++;
	return n;
}

/* Linux tcp_packets_in_flight: out, less SACKed and lost, plus resent. */
uint32_t
tcp_sb_in_flight(const struct tcp *tp)
{
	return (uint32_t)(tp->nsent - count(tp, SB_SACKED) -
	    count(tp, SB_LOST) + count(tp, SB_RTX_OUT));
}

/*
 * Whether an ACK up to ack takes in data that was sent more than once
 * (Linux FLAG_RETRANS_DATA_ACKED): Karn's rule then allows no sample
 * from the send times.
 */
bool
tcp_sb_resent_acked(const struct tcp *tp, uint32_t ack)
{
	for (int i = 0; i < tp->nsent && seq_lt(tp->sent[i].seq, ack); i++)
		if (tp->sent[i].sb & SB_RETRANS)	/* SACKed or not */
			return true;
	return false;
}

static void
sent_remove(struct tcp *tp, int i)
{
	memmove(&tp->sent[i], &tp->sent[i + 1],
	    (size_t)(tp->nsent - i - 1) * sizeof tp->sent[0]);
	tp->nsent--;
}

/*
 * A segment went: a new one joins the scoreboard; one sent again (a loss
 * probe's) is marked so in the segments it covers.
 */
void
tcp_sb_sent(struct tcp *tp, uint32_t seq, uint32_t len, uint8_t flags,
    bool retrans)
{
	uint32_t	 end = seq + len + ((flags & TH_FIN) != 0);

	if (!tcp_sb_on(tp) || end == seq)
		return;
	if (retrans) {
		for (int i = 0; i < tp->nsent; i++) {
			struct tcp_sent	*e = &tp->sent[i];

			if (seq_lt(e->seq, end) && seq_gt(e->end, seq)) {
				e->when = tcp_now(tp);
				e->order = ++tp->xmits;
				e->pass = tp->pass;
				e->sb |= SB_RETRANS;
			}
		}
		return;
	}
	if (tp->nsent == TCP_SENT_MAX) {
		/* More out than it can hold: give up on SACK's help for
		 * this connection rather than tell it wrong. */
		tp->sb_off = true;
		tp->nsent = 0;
		tp->ca = CA_OPEN;
		return;
	}
	tp->sent[tp->nsent++] = (struct tcp_sent){ seq, end, tcp_now(tp),
	    ++tp->xmits, tp->pass, (uint8_t)(flags & (TH_PSH | TH_FIN)), 0 };
}

/*
 * Send segment i again, and with it the segments after it that were not
 * SACKed while all fit in one segment and the window: they become one.
 */
static void
retransmit(struct tcp *tp, int i)
{
	struct tcp_sent	*e = &tp->sent[i];
	uint32_t	 mss = tcp_send_mss(tp);
	uint32_t	 wnd_end = tp->snd_una + tp->snd_wnd;
	uint32_t	 room = seq_gt(wnd_end, e->seq) ? wnd_end - e->seq : 0;
	struct segment	 seg;
	static uint8_t	 payload[SEG_PAYLOAD_MAX];

	if (room > mss || room == 0)
		room = mss;
	if (sent_len(e) > room && tp->nsent < TCP_SENT_MAX) {
		/* Too long for one segment now: the rest stays behind. */
		memmove(e + 1, e, (size_t)(tp->nsent - i) * sizeof *e);
		tp->nsent++;
		e->end = e->seq + room;
		e->flags &= (uint8_t)~(TH_FIN | TH_PSH);
		e[1].seq = e->end;
	}
	while (i + 1 < tp->nsent) {
		struct tcp_sent	*n = &tp->sent[i + 1];

		if ((n->sb & SB_SACKED) || sent_len(e) + sent_len(n) > room ||
		    seq_gt(n->end, wnd_end))
			break;
		e->end = n->end;
		e->flags |= n->flags;
		sent_remove(tp, i + 1);
	}
	tcp_fill(tp, &seg, e->seq, tp->rcv_nxt, TH_ACK | e->flags);
	seg.len = sent_len(e);
	tcp_stream_bytes(tp->side, (uint64_t)(e->seq - tp->iss - 1), payload,
	    seg.len);
	e->when = tcp_now(tp);
	e->order = ++tp->xmits;
	e->sb |= SB_RETRANS | SB_RTX_OUT;
	tcp_emit(tp, &seg, payload);
}

/*
 * Linux tcp_xmit_retransmit_queue: the lost segments, as cwnd allows;
 * true if the first went (the timer is set afresh then).
 */
static bool
retransmit_lost(struct tcp *tp)
{
	bool	 head = false;

	for (int i = 0; i < tp->nsent; i++) {
		uint8_t	 sb = tp->sent[i].sb;

		if (tcp_sb_in_flight(tp) >= tp->cwnd ||
		    count(tp, SB_RTX_OUT) >= count(tp, SB_LOST))
			break;
		if (!(sb & SB_LOST) || (sb & (SB_SACKED | SB_RTX_OUT)))
			continue;
		retransmit(tp, i);
		if (tp->ca == CA_RECOVERY)
			tp->prr_out++;
		/* The timer is set afresh for the first, unless it is
		 * RACK's, waiting or firing now (reo_armed stays until it is
		 * set again). */
		if (i == 0 && !tp->reo_armed) {
			tcp_timer_set(tp, TT_RTX, tcp_rtx_delay(tp));
			head = true;
		}
	}
	return head;
}

/* RFC 8985 6.2 step 2 (Linux tcp_rack_advance). */
static void
rack_advance(struct tcp *tp, const struct tcp_sent *e)
{
	vtime_t	 rtt = tcp_now(tp) - e->when;

	/* Which copy arrived is not known when it came back sooner than
	 * any round trip could.  (A round trip is a microsecond at least,
	 * as tcp_rtt_sample counts them: on synfin's wire, with no
	 * latency, they all take none.) */
	if ((e->sb & SB_RETRANS) && (rtt < 1 ? 1 : rtt) < tp->min_rtt)
		return;
	tp->rack_advanced = true;
	tp->rack_rtt = rtt;
	/* Sent later (tcp_rack_sent_after): on synfin's clock two
	 * segments may go in the same microsecond, so the order they went
	 * in decides, as the kernel's clock would. */
	if (!tp->rack_set || e->order > tp->rack_order) {
		tp->rack_set = true;
		tp->rack_when = e->when;
		tp->rack_order = e->order;
		tp->rack_pass = e->pass;
	}
}

static void
mark_lost(struct tcp_sent *e)
{
	e->sb |= SB_LOST;
	e->sb &= (uint8_t)~SB_RTX_OUT;
}

/*
 * RFC 8985 6.2 step 4-5 (Linux tcp_rack_detect_loss): how many segments
 * it found lost; *wait, how long until the last one still inside its
 * reordering window leaves it (0: none).
 */
static int
detect_loss(struct tcp *tp, vtime_t *wait)
{
	vtime_t	 reo = tp->min_rtt / 4;
	int	 found = 0;

	*wait = 0;
	if (tp->ca >= CA_RECOVERY || count(tp, SB_SACKED) >= DUPTHRESH)
		reo = 0;
	else if (reo > tp->srtt)
		reo = tp->srtt;
	else if (reo < 1)
		reo = 1;	/* a minimum RTT on lo is some µs, not none */
	for (int i = 0; i < tp->nsent; i++) {
		struct tcp_sent	*e = &tp->sent[i];

		vtime_t		 age = tcp_now(tp) - e->when, left;

		if ((e->sb & SB_SACKED) ||
		    (e->sb & (SB_LOST | SB_RTX_OUT)) == SB_LOST ||
		    tp->rack_order <= e->order)
			continue;
		/* Sent in the same µs of synfin's clock as the segment
		 * RACK goes by, but in an earlier pass: Linux's clock would
		 * have moved on, by a µs at least (on lo, as much as the
		 * window there). */
		if (e->when == tp->rack_when && e->pass != tp->rack_pass)
			age++;
		left = tp->rack_rtt + reo - age;
		if (left <= 0) {
			mark_lost(e);
			found++;
		} else if (left > *wait) {
			*wait = left;
		}
	}
	return found;
}

/*
 * RACK on an ACK that delivered something (tcp_rack_mark_lost); a
 * segment still inside its reordering window is waited for: the timer
 * becomes RACK's for that long and 2 ms more (TCP_TIMEOUT_MIN_US), in
 * whole ticks, instead of the RTO or a probe.  Returns how many
 * were found lost; *waiting, whether the timer now waits.
 */
static int
rack_detect(struct tcp *tp, bool *waiting)
{
	vtime_t	 wait;
	int	 found;

	if (!tp->rack_advanced)
		return 0;
	tp->rack_advanced = false;
	found = detect_loss(tp, &wait);
	if (wait > 0) {
		tcp_timer_set_reo(tp, tcp_ticks(tp, wait + VT_MS(2)));
		*waiting = true;
	}
	return found;
}

/*
 * The retransmission timer, counted from when the oldest segment out
 * went (tcp_rearm_rto after a probe or RACK's wait), in whole ticks.
 */
static void
rearm_from_head(struct tcp *tp)
{
	vtime_t	 left = tp->nsent > 0 ? tp->sent[0].when + tcp_rtx_delay(tp) -
	    tcp_now(tp) : tcp_rtx_delay(tp);

	tcp_timer_set(tp, TT_RTX, tcp_ticks(tp, left));
}

/* Linux tcp_enter_recovery and tcp_init_cwnd_reduction (CUBIC). */
static void
enter_recovery(struct tcp *tp)
{
	tp->ca = CA_RECOVERY;
	tp->high_seq = tp->snd_nxt;
	tp->prior_cwnd = tp->cwnd;
	tp->ssthresh = tp->cwnd * 717 / 1024;
	if (tp->ssthresh < 2)
		tp->ssthresh = 2;
	tp->prr_delivered = 0;
	tp->prr_out = 0;
}

/* PRR (RFC 6937; Linux tcp_cwnd_reduction). */
static void
cwnd_reduction(struct tcp *tp, int newly, int newly_lost, bool una_advanced)
{
	uint32_t	 inflight = tcp_sb_in_flight(tp);
	int		 delta = (int)tp->ssthresh - (int)inflight, sndcnt;

	if (newly <= 0 || tp->prior_cwnd == 0)
		return;
	tp->prr_delivered += (uint32_t)newly;
	if (delta < 0) {
		sndcnt = (int)(((uint64_t)tp->ssthresh * tp->prr_delivered +
		    tp->prior_cwnd - 1) / tp->prior_cwnd) - (int)tp->prr_out;
	} else {
		sndcnt = (int)(tp->prr_delivered - tp->prr_out);
		if (sndcnt < newly)
			sndcnt = newly;
		if (una_advanced && newly_lost == 0 && sndcnt > delta)
			sndcnt = delta;
	}
	if (sndcnt < (tp->prr_out ? 0 : 1))
		sndcnt = tp->prr_out ? 0 : 1;
	tp->cwnd = inflight + (uint32_t)sndcnt;
}

/* The connection is whole again: what it was when nothing is out. */
static void
to_open(struct tcp *tp)
{
	tp->ca = count(tp, SB_SACKED | SB_LOST | SB_RTX_OUT) ? CA_DISORDER :
	    CA_OPEN;
}

/*
 * An acceptable ACK reached the sender; SND.UNA was prior_una before it
 * and has moved already (acked()).  Linux tcp_ack from the SACK blocks
 * on: tcp_sacktag_write_queue, tcp_clean_rtx_queue, tcp_fastretrans_alert,
 * tcp_cong_control, tcp_xmit_recovery.
 */
void
tcp_sb_ack(struct tcp *tp, const struct segment *seg, uint32_t prior_una)
{
	bool	 una_advanced = seq_gt(tp->snd_una, prior_una);
	bool	 sacked = false, orig = false, rexmit = false, send_new = false;
	bool	 head = false, waiting = false;
	int	 newly = 0, lost = 0, first = 0;
	enum tcp_ca	 was = tp->ca;

	if (!tcp_sb_on(tp))
		return;
	/* A D-SACK (RFC 2883 4) reports a duplicate, not data held. */
	if (seg->nsack > 0 && (seq_lt(seg->sack[0].start, seg->ack) ||
	    (seg->nsack > 1 && seq_geq(seg->sack[0].start, seg->sack[1].start) &&
	    seq_leq(seg->sack[0].end, seg->sack[1].end))))
		first = 1;
	for (int b = first; b < seg->nsack; b++) {
		for (int i = 0; i < tp->nsent; i++) {
			struct tcp_sent	*e = &tp->sent[i];

			if ((e->sb & SB_SACKED) ||
			    seq_lt(e->seq, seg->sack[b].start) ||
			    seq_gt(e->end, seg->sack[b].end))
				continue;
			e->sb = (uint8_t)((e->sb & SB_RETRANS) | SB_SACKED);
			newly++;
			sacked = true;
			if (!(e->sb & SB_RETRANS) &&
			    seq_leq(e->end, tp->high_seq))
				orig = true;
			rack_advance(tp, e);
		}
	}
	while (tp->nsent > 0 && seq_leq(tp->sent[0].end, tp->snd_una)) {
		if (!(tp->sent[0].sb & SB_SACKED)) {
			newly++;
			if (!(tp->sent[0].sb & SB_RETRANS) &&
			    seq_leq(tp->sent[0].end, tp->high_seq))
				orig = true;
			rack_advance(tp, &tp->sent[0]);
		}
		sent_remove(tp, 0);
	}
	if (tp->nsent > 0 && seq_gt(tp->snd_una, tp->sent[0].seq))
		tp->sent[0].seq = tp->snd_una;	/* a part acknowledged */

	/* Linux calls the state machine only for a dubious ACK; an ACK
	 * with no SACK changes nothing while all is well. */
	if (tp->ca == CA_OPEN && !sacked)
		return;
	/* After a timeout the window starts again from one segment
	 * (acked() counted one of these). */
	if (tp->ca == CA_LOSS && una_advanced && newly > 1) {
		uint32_t	 before = tp->cwnd;

		tp->cwnd += (uint32_t)newly - 1;
		if (before < tp->ssthresh && tp->cwnd > tp->ssthresh)
			tp->cwnd = tp->ssthresh;
	}

	/* Recovery ends when all that was out when it began is acked. */
	if (tp->ca == CA_RECOVERY && seq_geq(tp->snd_una, tp->high_seq)) {
		tp->cwnd = tp->ssthresh;
		tp->ca = CA_OPEN;
	}
	if (tp->ca == CA_LOSS) {
		bool	 recovered = seq_geq(tp->snd_una, tp->high_seq);

		if (tp->frto && orig) {
			/* RFC 5682 3.1 step 3b: data never sent again
			 * arrived: the timeout was spurious. */
			for (int i = 0; i < tp->nsent; i++)
				tp->sent[i].sb &= (uint8_t)~SB_LOST;
			if (tp->cwnd < tp->prior_cwnd)
				tp->cwnd = tp->prior_cwnd;
			tp->frto = false;
			to_open(tp);
			goto timer;
		}
		if (tp->frto) {
			if (seq_gt(tp->snd_nxt, tp->high_seq)) {
				if (sacked || !una_advanced)
					tp->frto = false;	/* step 3a */
			} else if (una_advanced && !recovered) {
				/* Step 2b: new data, if there is any. */
				tp->high_seq = tp->snd_nxt;
				if (tcp_unsent(tp) > 0 && seq_gt(tp->snd_una +
				    tp->snd_wnd, tp->snd_nxt)) {
					send_new = true;
					goto xmit;
				}
				tp->frto = false;
			}
		}
		if (recovered) {
			tp->ca = CA_OPEN;
		} else {
			rexmit = true;
			rack_detect(tp, &waiting);
			goto xmit;
		}
	}
	if (tp->ca == CA_RECOVERY) {
		lost = rack_detect(tp, &waiting);
		rexmit = true;
	} else {
		lost = rack_detect(tp, &waiting);
		if (count(tp, SB_LOST) == 0) {
			to_open(tp);
			goto timer;
		}
		enter_recovery(tp);
		rexmit = true;
	}
	cwnd_reduction(tp, newly, lost, una_advanced);
xmit:
	if (send_new) {
		tp->push = PUSH_NO_NAGLE;
		tcp_output(tp);
		tp->push = PUSH_NORMAL;
		if (seq_gt(tp->snd_nxt, tp->high_seq))
			goto timer;
		tp->frto = false;
	}
	if (rexmit)
		head = retransmit_lost(tp);
timer:
	/* Linux sets the timer after the state is known (tcp_set_xmit_timer):
	 * a loss probe only while nothing is amiss; not at all while RACK
	 * waits. */
	if (waiting)
		return;
	if (tp->ca != was && tp->snd_una != tp->snd_max && una_advanced) {
		tp->tlp_armed = false;
		tcp_arm_tail_probe(tp);
		tcp_timer_set(tp, TT_RTX, tp->tlp_armed ?
		    tcp_probe_timeout(tp) : tcp_rtx_delay(tp));
	} else if (tp->ca != CA_OPEN && tp->tlp_armed) {
		/* No probe now: the timeout instead. */
		tp->tlp_armed = false;
		if (!head)	/* resending the first set it afresh */
			rearm_from_head(tp);
	}
}

/*
 * The retransmission timer ran out with data or a FIN out (Linux
 * tcp_enter_loss, then the head sent again).  Returns false when the
 * scoreboard is not in use: the caller goes back to SND.UNA.
 */
bool
tcp_sb_timeout(struct tcp *tp)
{
	if (!tcp_sb_on(tp) || tp->nsent == 0)
		return false;
	if (tp->ca <= CA_DISORDER || seq_geq(tp->snd_una, tp->high_seq)) {
		tp->prior_cwnd = tp->cwnd;
		tp->ssthresh = tp->cwnd * 717 / 1024;
		if (tp->ssthresh < 2)
			tp->ssthresh = 2;
	}
	/* F-RTO on a first timeout, or one after another. */
	tp->frto = tp->ca <= CA_DISORDER || tp->retransmits > 1;
	for (int i = 0; i < tp->nsent; i++) {
		struct tcp_sent	*e = &tp->sent[i];

		if (e->sb & SB_SACKED)
			continue;
		/* RACK leaves a segment sent within the last RTT be. */
		if (i > 0 && tp->rack_set &&
		    tp->rack_rtt - (tcp_now(tp) - e->when) > 0)
			continue;
		mark_lost(e);
	}
	tp->ca = CA_LOSS;
	tp->high_seq = tp->snd_nxt;
	tp->cwnd = tcp_sb_in_flight(tp) + 1;
	retransmit(tp, 0);
	return true;
}

/*
 * A loss probe (Linux tcp_send_loss_probe): new data if the window
 * takes it, one segment, Nagle and the congestion window aside; true if
 * one went.  The window is asked first (tcp_snd_wnd_test): a send queue
 * it shuts is left as it is, its buffers not grown for nothing.
 */
bool
tcp_sb_probe_new(struct tcp *tp)
{
	uint32_t	 nxt = tp->snd_nxt;

	if (!tcp_sb_on(tp) || tcp_unsent(tp) == 0 || !tcp_head_fits(tp))
		return false;
	tp->push = PUSH_PROBE;
	tcp_output(tp);
	tp->push = PUSH_NORMAL;
	return tp->snd_nxt != nxt;
}

/*
 * RACK's reordering wait ran out (Linux tcp_rack_reo_timeout): what is
 * still unacknowledged of what it waited for is lost, and goes again.
 */
void
tcp_sb_reo_timeout(struct tcp *tp)
{
	uint32_t	 prior = tcp_sb_in_flight(tp);
	vtime_t		 wait;
	int		 lost = detect_loss(tp, &wait);

	if (tcp_sb_in_flight(tp) != prior) {
		if (tp->ca != CA_RECOVERY) {
			enter_recovery(tp);
			cwnd_reduction(tp, 1, lost, false);
		}
		retransmit_lost(tp);
	}
	rearm_from_head(tp);
}

/*
 * RFC 5681 3.2, where a script asks for it (set fast-retransmit on) and
 * SACK is not helping: the third duplicate ACK in a row resends the first
 * segment not acknowledged at once, the window halves (ssthresh) and is
 * inflated by the three segments that left the network; each further
 * duplicate inflates it by one, and the ACK of new data deflates it to
 * ssthresh.  A duplicate, as 2 defines it: data outstanding, no data or
 * SYN or FIN in it, the same acknowledgement number, the same window.
 */
void
tcp_dupack(struct tcp *tp, const struct segment *seg, uint32_t prior_una,
    bool win_changed)
{
	uint32_t	 mss = tcp_send_mss(tp), end, len, flight;
	struct segment	 out;
	static uint8_t	 payload[SEG_PAYLOAD_MAX];

	if (!tp->prof->fast_retransmit || tcp_sb_on(tp))
		return;
	if (seq_gt(tp->snd_una, prior_una)) {
		if (tp->dupacks >= DUPTHRESH)
			tp->cwnd = tp->ssthresh;	/* recovery over */
		tp->dupacks = 0;
		return;
	}
	/* The answer to a probe octet is no sign of loss. */
	if (tp->snd_una == tp->snd_max || tp->zwp_out || seg->len > 0 ||
	    (seg->flags & (TH_SYN | TH_FIN)) || seg->ack != tp->snd_una ||
	    win_changed)
		return;
	if (++tp->dupacks > DUPTHRESH) {
		tp->cwnd++;
		return;
	}
	if (tp->dupacks < DUPTHRESH)
		return;
	flight = (tp->snd_max - tp->snd_una + mss - 1) / mss;
	tp->ssthresh = flight / 2 > 2 ? flight / 2 : 2;
	end = tp->fin_sent ? tp->fin_seq : tp->snd_max;
	len = end - tp->snd_una < mss ? end - tp->snd_una : mss;
	tcp_fill(tp, &out, tp->snd_una, tp->rcv_nxt, TH_ACK |
	    (tp->fin_sent && tp->snd_una + len == tp->fin_seq ? TH_FIN : 0));
	out.len = len;
	tcp_stream_bytes(tp->side, (uint64_t)(tp->snd_una - tp->iss - 1),
	    payload, len);
	tp->rtt_timing = false;		/* Karn */
	tcp_emit(tp, &out, payload);
	tp->cwnd = tp->ssthresh + DUPTHRESH;
}
