/*
 * Timeouts (RFC 9293 3.10.8) and what drives them: retransmission with
 * its RTT estimate, backoff and tail loss probe; delayed ACKs (Linux's
 * quick-ACK and pingpong machinery); 2MSL; the orphan's FIN_WAIT_2
 * timeout; keepalive.
 */
#include "config.h"

#include "seq.h"
#include "tcp.h"
#include "tcp-priv.h"

#define MAX_QUICKACKS	16	/* Linux TCP_MAX_QUICKACKS */
#define TLP_MIN_MORE	VT_MS(2) /* Linux TCP_TIMEOUT_MIN_US */

/*
 * When Linux's timer wheel runs a timer armed now to expire after delay
 * (kernel/time/timer.c, calc_wheel_index).  A wait is whole ticks
 * (jiffies).  Each level of the wheel holds a range of waits in buckets
 * 8 times as wide as the level below (under 63 ticks: buckets of one
 * tick; under 504: of 8; under 4032: of 64; ...), and a timer goes in
 * the bucket after the one its expiry falls in, so that it never fires
 * early: it fires at least a tick late and at most an eighth of its wait.
 * *expires is the expiry as the kernel keeps it (icsk_timeout), which
 * its ACK code compares.  Jiffy 1 begins at the profile's tick_phase.
 */
static vtime_t
wheel_due(const struct tcp *tp, vtime_t delay, vtime_t *expires)
{
	vtime_t	 tick = tp->prof->tick, phase = tp->prof->tick_phase;
	int64_t	 jiffies = (tcp_now(tp) + tick - phase) / tick;
	int64_t	 n = (delay + tick - 1) / tick, e = jiffies + n, start = 63;
	int	 shift = 0;

	while (n >= start && shift < 24) {	/* 9 levels at HZ=250 */
		shift += 3;
		start <<= 3;
	}
	*expires = e * tick - tick + phase;
	return (((e >> shift) + 1) << shift) * tick - tick + phase;
}

/* The journal says what the retransmission timer's expiry will be. */
static void
timer_set(struct tcp *tp, enum tcp_timer k, vtime_t delay,
    enum timer_action a)
{
	vtime_t	 due = tcp_now(tp) + delay;

	tp->expires[k] = due;
	if (tp->prof->timer_wheel)
		due = wheel_due(tp, delay, &tp->expires[k]);
	clock_arm(tp->clock, &tp->timers[k], due);
	tp->hooks->timer(tp->ctx, tp, k, a, due);
}

void
tcp_timer_set(struct tcp *tp, enum tcp_timer k, vtime_t delay)
{
	if (k == TT_RTX)
		tp->reo_armed = tp->zwp_armed = false;
	timer_set(tp, k, delay, k == TT_RTX && tp->tlp_armed ? TA_ARMED_PROBE :
	    TA_ARMED);
}

/* The retransmission timer as RACK's reordering wait (tcp-sack.c). */
void
tcp_timer_set_reo(struct tcp *tp, vtime_t delay)
{
	tp->tlp_armed = false;
	tp->reo_armed = true;
	timer_set(tp, TT_RTX, delay, TA_ARMED_REO);
}

static void
timer_stop(struct tcp *tp, enum tcp_timer k, enum timer_action a)
{
	if (k == TT_RTX)
		tp->reo_armed = tp->zwp_armed = false;
	if (!tp->timers[k].armed)
		return;
	clock_cancel(tp->clock, &tp->timers[k]);
	tp->hooks->timer(tp->ctx, tp, k, a, VT_NEVER);
}

void
tcp_timer_stop(struct tcp *tp, enum tcp_timer k)
{
	timer_stop(tp, k, TA_CANCELLED);
}

bool
tcp_timer_armed(const struct tcp *tp, enum tcp_timer k)
{
	return tp->timers[k].armed;
}

/*
 * Zero-window probing (RFC 9293 3.8.6.1).  Nothing is out and data waits
 * that the peer's window will not take: the timer is set for a probe,
 * at the RTO (at least 200 ms; the textbook's 1 s), doubling with each
 * probe sent (SHLD-29, SHLD-30; Linux tcp_check_probe_timer,
 * tcp_probe0_when).  The textbook's probe is an octet of data, and
 * probing goes on while it is refused.
 */
static bool
zwp_waiting(const struct tcp *tp)
{
	if ((!tp->prof->zwp_old_ack && !tp->prof->zwp_octet) ||
	    !tcp_synchronized(tp))
		return false;
	if (tp->zwp_out)
		return tp->snd_wnd == 0;
	return tp->snd_una == tp->snd_nxt &&
	    seq_geq(tp->snd_nxt, tp->snd_max) &&
	    (tcp_unsent(tp) > 0 || (tp->fin_queued && !tp->fin_sent)) &&
	    !tcp_head_fits(tp);
}

static void
zwp_arm(struct tcp *tp)
{
	vtime_t	 when = tp->rto > tp->prof->rto_min ? tp->rto :
	    tp->prof->rto_min;

	for (int i = 0; i < tp->zwp_backoff && when < tp->prof->rto_max; i++)
		when *= 2;
	if (when > tp->prof->rto_max)
		when = tp->prof->rto_max;
	tp->tlp_armed = tp->reo_armed = false;
	tp->zwp_armed = true;
	timer_set(tp, TT_RTX, tcp_ticks(tp, when), TA_ARMED_ZWP);
}

/* After sending, or failing to: the probe timer, if nothing else runs. */
void
tcp_zwp_check(struct tcp *tp)
{
	if (!tcp_timer_armed(tp, TT_RTX) && zwp_waiting(tp))
		zwp_arm(tp);
}

/*
 * An ACK came with nothing out but a probe (Linux tcp_ack_probe): the
 * window opened (the probing ends), or the probe timer is set again from
 * now.  The textbook's octet, refused while the window was shut, goes
 * again at the head of the data once it opens.
 */
void
tcp_zwp_ack(struct tcp *tp)
{
	if (tp->zwp_out) {
		if (tp->snd_una == tp->snd_nxt)
			tp->zwp_out = false;	/* taken */
		else if (tp->snd_wnd == 0)
			return;			/* refused: probing goes on */
		else {
			tp->zwp_out = false;
			tp->snd_nxt = tp->snd_una;
			tcp_timer_stop(tp, TT_RTX);
			tp->zwp_backoff = 0;
			return;
		}
	}
	if (zwp_waiting(tp))
		zwp_arm(tp);
	else if (tp->zwp_armed) {
		tcp_timer_stop(tp, TT_RTX);
		tp->zwp_backoff = 0;
	} else
		tp->zwp_backoff = 0;
}

/*
 * The textbook's probe timer found a window opened too little for the
 * sender's SWS avoidance: what fits goes, under the retransmission timer
 * (the override of RFC 9293 3.8.6.2.1 (4)).  False when the window is
 * shut (with the probe octet out it is).
 */
static bool
zwp_override(struct tcp *tp)
{
	uint32_t	 len = tcp_unsent(tp), mss = tcp_send_mss(tp);
	uint32_t	 room = tp->snd_una + tp->snd_wnd - tp->snd_nxt;

	if (seq_leq(tp->snd_una + tp->snd_wnd, tp->snd_nxt))
		return false;
	if (len > mss)
		len = mss;
	tcp_send_data(tp, len > room ? room : len, TH_ACK);
	return true;
}

/* ... and a shut one: the next octet of data (again, if refused
 * before), which the peer refuses with an ACK giving its window or, its
 * window open, takes. */
static void
zwp_octet(struct tcp *tp)
{
	enum tcp_push	 push = tp->push;

	if (tp->zwp_out)
		tp->snd_nxt = tp->snd_una;
	tp->push = PUSH_PROBE;
	tcp_send_data(tp, 1, TH_ACK);
	tp->push = push;
	tp->zwp_out = true;
	/* Refused and sent again, the octet times no round trip. */
	if (tp->rtt_timing && tp->rtt_seq == tp->snd_una)
		tp->rtt_timing = false;
}

/* The probe (tcp_send_probe0): what of the data a window too small
 * for it takes, or, the window shut, an ACK one octet behind what was
 * sent (Linux's) or the next octet (the textbook's), which the peer must
 * answer with its window; the next waits twice as long. */
static void
zwp_timeout(struct tcp *tp)
{
	struct segment	 seg;

	tp->zwp_armed = false;
	if (!zwp_waiting(tp)) {
		tp->zwp_backoff = 0;
		tcp_output(tp);
		return;
	}
	if (tcp_sq_wakeup(tp)) {
		tp->zwp_backoff = 0;
		return;
	}
	if (tp->prof->zwp_octet) {
		if (tcp_unsent(tp) == 0) {
			tcp_output(tp);	/* a FIN alone needs no window */
			return;
		}
		if (zwp_override(tp)) {
			tp->zwp_backoff = 0;
			return;
		}
		zwp_octet(tp);
	} else {
		tcp_fill(tp, &seg, tp->snd_una - 1, tp->rcv_nxt, TH_ACK);
		tcp_emit(tp, &seg, NULL);
	}
	if (tp->zwp_backoff < tp->prof->retries2)
		tp->zwp_backoff++;
	zwp_arm(tp);
}

/* The TCB goes (a RST, an abort, a give-up, the end): so do its timers,
 * whatever they waited for. */
void
tcp_timers_stop_all(struct tcp *tp)
{
	for (int k = 0; k < TCP_NTIMERS; k++)
		timer_stop(tp, (enum tcp_timer)k, TA_CLEARED);
}

/*
 * When the user timeout runs out, or VT_NEVER.  The application's R2
 * (RFC 9293 3.8.3 (d), MUST-21; the USER TIMEOUT of 3.10.8; RFC 5482's
 * "maximum amount of time that transmitted data may remain
 * unacknowledged"; Linux's TCP_USER_TIMEOUT) replaces the retry budget
 * once the connection is synchronized.  The textbook counts it from when
 * data went out with nothing unacknowledged before it, and afresh after
 * each acknowledgement of new data; Linux from the first retransmission
 * by the timer (retransmits_timed_out given icsk_user_timeout).  SYNs
 * keep their own count here.
 */
static vtime_t
user_deadline(const struct tcp *tp)
{
	if (tp->user_timeout == 0 || !tcp_synchronized(tp))
		return VT_NEVER;
	if (tp->prof->user_timeout_from_rtx)
		return tp->retransmits > 0 ? tp->retrans_start +
		    tp->user_timeout : VT_NEVER;
	return tp->unacked_since + tp->user_timeout;
}

/* A wait in whole ticks of the kernel's timer wheel, rounded up, and at
 * least one (no tick: as it is). */
vtime_t
tcp_ticks(const struct tcp *tp, vtime_t d)
{
	vtime_t	 tick = tp->prof->tick;

	if (tick <= 0)
		return d;
	d = (d + tick - 1) / tick * tick;
	return d < tick ? tick : d;
}

/*
 * The retransmission timer's next wait: the RTO, cut short so that it
 * fires when the user timeout runs out (Linux
 * tcp_clamp_rto_to_user_timeout: whole ticks, and at least one).
 */
vtime_t
tcp_rtx_delay(const struct tcp *tp)
{
	vtime_t	 deadline = user_deadline(tp), left;

	if (deadline == VT_NEVER)
		return tp->rto;
	left = tcp_ticks(tp, deadline - tcp_now(tp));
	return left < tp->rto ? left : tp->rto;
}

void
tcp_rtx_start(struct tcp *tp)
{
	if (!tcp_timer_armed(tp, TT_RTX))
		tcp_timer_set(tp, TT_RTX, tcp_rtx_delay(tp));
}

/*
 * When a tail loss probe would go (tcp_schedule_loss_probe): two RTTs
 * and TCP_RTO_MIN for a lone segment, for the peer's delayed ACK; two
 * RTTs and TCP_TIMEOUT_MIN_US (2 ms, since Linux 6.6; two ticks before)
 * when more are out; in whole ticks, never later than the RTO.  The
 * kernel counts segments (packets_out), not bytes: a small segment and
 * the FIN behind it are two, and the probe goes before a delayed ACK.
 */
vtime_t
tcp_probe_timeout(const struct tcp *tp)
{
	vtime_t	 pto;
	/* More out than the last segment sent (it does not start at the
	 * oldest unacknowledged octet), or that one holds two (a GSO
	 * packet: Linux counts its segments). */
	bool	 more = seq_lt(tp->snd_una, tp->last_seq) ||
		     tp->last_len > tcp_send_mss(tp);

	if (tp->srtt == 0)
		return tp->rto;
	pto = tcp_ticks(tp, 2 * tp->srtt + (more ? TLP_MIN_MORE :
	    tp->prof->rto_min));
	return pto < tp->rto ? pto : tp->rto;
}

/*
 * Linux (RFC 8985) makes the first expiry after new data a tail loss
 * probe, once per flight, while the connection is not recovering.
 */
void
tcp_arm_tail_probe(struct tcp *tp)
{
	if (tp->prof->tail_loss_probe && tp->sack_ok && tp->tlp_high == 0 &&
	    tp->retransmits == 0 && tp->ca == CA_OPEN)
		tp->tlp_armed = true;
}

/*
 * A round-trip sample m.  Linux (tcp_rtt_estimator, __tcp_set_rto): the
 * variance term never falls below tcp_rto_min, so RTO = SRTT + max(...,
 * 200 ms).  RFC 6298 section 2: RTO = SRTT + max(G, 4 * RTTVAR), at
 * least 1 s.
 */
void
tcp_rtt_sample(struct tcp *tp, vtime_t m)
{
	const struct profile	*p = tp->prof;

	if (m < 1)
		m = 1;
	if (tp->min_rtt == 0 || m < tp->min_rtt)
		tp->min_rtt = m;
	if (tp->srtt == 0) {
		tp->srtt = m;
		tp->rttvar = m / 2;
	} else {
		vtime_t	 err = m - tp->srtt;

		tp->srtt += err / 8;
		if (err < 0)
			err = -err;
		tp->rttvar += (err - tp->rttvar) / 4;
	}
	if (p->rto_var_floor) {
		vtime_t	 var = 4 * tp->rttvar;

		tp->rto = tp->srtt + (var > p->rto_min ? var : p->rto_min);
	} else {
		tp->rto = tp->srtt + 4 * tp->rttvar;
		if (tp->rto < p->rto_min)
			tp->rto = p->rto_min;
	}
	if (tp->rto > p->rto_max)
		tp->rto = p->rto_max;
	/* Linux keeps the RTO in ticks, rounded up: 200 ms + RTT is
	 * 204 ms at HZ=250. */
	if (p->rto_in_ticks)
		tp->rto = tcp_ticks(tp, tp->rto);
}

/* Linux tcp_incr_quickack: how many ACKs to send at once from now. */
static void
incr_quickack(struct tcp *tp)
{
	uint32_t	 q = tp->rcv_mss ? tp->rcv_wnd / (2 * tp->rcv_mss) : 0;

	if (q == 0)
		q = 2;
	if (q > MAX_QUICKACKS)
		q = MAX_QUICKACKS;
	if ((int)q > tp->quick)
		tp->quick = (int)q;
}

/* Linux tcp_enter_quickack_mode: ACK at once, the connection is not
 * interactive after all. */
void
tcp_enter_quickack(struct tcp *tp)
{
	incr_quickack(tp);
	tp->pingpong = 0;
	tp->ato = tp->prof->ato_min;
}

bool
tcp_in_pingpong(const struct tcp *tp)
{
	return tp->pingpong >= 1;	/* tcp_pingpong_thresh */
}

/*
 * A segment shorter than rcv_mss, but not tiny: its size, without the
 * options every segment carries, is kept, and a second of the same size
 * in a row becomes rcv_mss (tcp_measure_rcv_mss: the sender's writes are
 * that size).  True then.
 */
static bool
same_short_size(struct tcp *tp, const struct segment *seg, uint32_t len,
    uint32_t lss)
{
	uint32_t	 wire = len + SEG_HDR_MIN + (uint32_t)segment_opt_len(seg);

	if (wire < MSS_DEFAULT + SEG_HDR_MIN && (wire < MIN_MSS + SEG_HDR_MIN ||
	    (seg->flags & (TH_FIN | TH_URG | TH_SYN | TH_PSH))))
		return false;
	tp->last_seg_size = wire - SEG_HDR_MIN - tcp_opt_len(tp);
	if (tp->last_seg_size != lss)
		return false;
	tp->rcv_mss = lss;
	return true;
}

/*
 * In-order data arrived (Linux tcp_event_data_recv and
 * tcp_measure_rcv_mss): learn the sender's segment size and the gap
 * between arrivals, which set how long an ACK may wait.
 */
void
tcp_data_received(struct tcp *tp, const struct segment *seg)
{
	vtime_t		 m;
	uint32_t	 len = tcp_rcv_seg_len(tp, seg->len);
	uint32_t	 lss = tp->last_seg_size;

	tp->ack_pending = true;
	tp->last_seg_size = 0;
	if (len >= tp->rcv_mss) {
		tp->rcv_mss = len < tp->prof->mss ? len : tp->prof->mss;
		if (len == tp->rcv_mss && (seg->flags & TH_PSH))
			tp->pushed = true;
	} else if (!same_short_size(tp, seg, len, lss)) {
		/* A short segment: the sender pushed (end of a write). */
		if (tp->pushed)
			tp->pushed2 = true;
		tp->pushed = true;
	}
	if (tp->ato == 0) {
		/* The first data: ACK the next ones at once. */
		incr_quickack(tp);
		tp->ato = tp->prof->ato_min;
	} else {
		m = tcp_now(tp) - tp->lrcvtime;
		if (m <= tp->prof->ato_min / 2) {
			tp->ato = tp->ato / 2 + tp->prof->ato_min / 2;
		} else if (m < tp->ato) {
			tp->ato = tp->ato / 2 + m;
			if (tp->ato > tp->rto)
				tp->ato = tp->rto;
		} else if (m > tp->rto) {
			incr_quickack(tp);
		}
	}
	tp->lrcvtime = tcp_now(tp);
}

/*
 * Arm the delayed-ACK timer (Linux tcp_send_delayed_ack): wait ato, at
 * most the round-trip time when that is above 40 ms, and never past a
 * timer already running.
 */
static void
delay_ack(struct tcp *tp)
{
	const struct profile	*p = tp->prof;
	vtime_t			 ato = tp->ato, due;

	if (ato > p->delack_min) {
		vtime_t	 max_ato = VT_MS(500);

		if (tcp_in_pingpong(tp) || tp->pushed)
			max_ato = p->delack_max;
		if (tp->srtt != 0) {
			vtime_t	 rtt = tp->srtt > p->delack_min ? tp->srtt :
			    p->delack_min;

			if (rtt < max_ato)
				max_ato = rtt;
		}
		if (ato > max_ato)
			ato = max_ato;
	}
	if (ato > p->delack_max)
		ato = p->delack_max;
	if (!p->timer_wheel && ato < p->tick)
		ato = p->tick;
	due = tcp_now(tp) + ato;
	if (tcp_timer_armed(tp, TT_DELACK)) {
		/* About to go anyway: send it now. */
		if (tp->expires[TT_DELACK] <= tcp_now(tp) + ato / 4) {
			tcp_send_ack(tp);
			return;
		}
		if (due >= tp->expires[TT_DELACK])
			return;
	}
	tcp_timer_set(tp, TT_DELACK, due - tcp_now(tp));
}

/*
 * After a segment has been processed: send the ACK it earned, now or
 * later.  The textbook ACKs at once.  Linux (__tcp_ack_snd_check) ACKs at
 * once after more than one full segment, in quick-ACK mode, or when told
 * to; otherwise it waits, hoping to ride on data or a FIN.
 */
void
tcp_ack_check(struct tcp *tp)
{
	bool	 full, quick;

	if (!tp->ack_pending)
		return;
	/* More than a full segment unacknowledged, and the window would
	 * not shrink: an ACK now opens it for the sender. */
	full = tp->rcv_nxt - tp->rcv_wup > tp->rcv_mss &&
	    (tp->rcvq == 0 || tcp_rcv_space(tp) >= tp->rcv_wnd);
	quick = tp->quick > 0 && !tcp_in_pingpong(tp);
	if (!tp->prof->delayed_ack || tp->ack_now || full || quick) {
		/* Taking the backlog in, Linux puts these off until it
		 * has let it go (tcp_backlog_ack_defer); not the ACK for
		 * data out of order alone, nor tcp_fin's. */
		if (tp->draining && tp->prof->send_queue &&
		    (full || quick || !tp->ack_direct)) {
			tp->ack_deferred = true;
			return;
		}
		tcp_send_ack(tp);
		return;
	}
	delay_ack(tp);
}

/* An ACK is owed and must go at once (out of order, duplicate, FIN). */
void
tcp_ack_soon(struct tcp *tp)
{
	tp->ack_pending = true;
	tp->ack_now = true;
}

/*
 * Linux decides a connection is dead by time, not by count
 * (retransmits_timed_out, tcp_model_timeout): the time boundary
 * retransmissions would take from rto_base, doubling up to TCP_RTO_MAX.
 */
static vtime_t
model_timeout(const struct tcp *tp, int boundary, vtime_t rto_base)
{
	vtime_t	 max = tp->prof->rto_max;
	int	 thresh = 0;

	while ((rto_base << (thresh + 1)) <= max)
		thresh++;
	if (boundary <= thresh)
		return ((2LL << boundary) - 1) * rto_base;
	return ((2LL << thresh) - 1) * rto_base + (vtime_t)(boundary - thresh) * max;
}

/*
 * Has the retransmission timer run out of tries?  Linux counts SYNs
 * (tcp_syn_retries plus the linear ones) and, for everything, time
 * since the first transmission of a SYN or the first retransmission of
 * data (retransmits_timed_out).
 */
static bool
retries_exhausted(const struct tcp *tp)
{
	const struct profile	*p = tp->prof;
	bool			 syn = tp->state == TCPS_SYN_SENT ||
	    tp->state == TCPS_SYN_RECEIVED;
	int			 limit;

	if (tp->user_timeout > 0 && !syn)
		return tcp_now(tp) >= user_deadline(tp);
	limit = syn ? p->syn_retries : tp->orphan ? p->orphan_retries :
	    p->retries2;
	if (!p->give_up_by_time)
		return tp->retransmits >= limit;
	if (tp->state == TCPS_SYN_SENT &&
	    tp->retransmits >= limit + p->syn_linear)
		return true;
	if (tp->retransmits == 0 && !syn)
		return false;
	return tcp_now(tp) - tp->retrans_start >= model_timeout(tp, limit,
	    syn ? p->rto_initial : p->rto_min);
}

/* Why a connection is given up: what went unacknowledged. */
static enum tcp_cause
give_up_cause(const struct tcp *tp)
{
	switch (tp->state) {
	case TCPS_SYN_SENT:
		return CAUSE_GIVE_UP_SYN;
	case TCPS_SYN_RECEIVED:
		return CAUSE_GIVE_UP_SYNACK;
	default:
		if (tp->user_timeout > 0)
			return CAUSE_USER_TIMEOUT;
		return tp->fin_sent && tp->snd_una == tp->fin_seq &&
		    tp->sndbuf_end == tp->fin_seq ? CAUSE_GIVE_UP_FIN :
		    CAUSE_GIVE_UP_DATA;
	}
}

/*
 * The passive SYN_RECEIVED of the linux profile is a request socket: its
 * SYN+ACK timer starts at 1 s and doubles, and after tcp_synack_retries
 * the request is dropped without a word; the listener stays.
 */
static void
synack_timeout(struct tcp *tp)
{
	if (tp->synack_timeouts >= tp->prof->synack_retries) {
		tcp_back_to_listen(tp, CAUSE_SYNACK_GIVE_UP);
		return;
	}
	tp->synack_timeouts++;
	tp->retransmits++;
	tp->rtt_timing = false;
	tcp_send_synack(tp);
	tcp_timer_set(tp, TT_RTX, tp->prof->synack_timeout << tp->synack_timeouts);
}

/* RETRANSMISSION TIMEOUT (RFC 9293 3.10.8, RFC 6298 5.4-5.6). */
static void
rtx_timeout(struct tcp *tp)
{
	if (tp->zwp_armed) {
		zwp_timeout(tp);
		return;
	}
	if (tp->state == TCPS_SYN_RECEIVED && tp->passive) {
		synack_timeout(tp);
		return;
	}
	if (retries_exhausted(tp)) {
		enum tcp_cause	 why = give_up_cause(tp);
		int		 tries = tp->retransmits;

		/* After close() no program is left to be told: Linux's
		 * tcp_write_err sets sk_err on the orphan, which nobody
		 * reads, and destroys it. */
		if (!tp->orphan)
			tcp_notify(tp, TE_TIMEDOUT);
		/* Linux says nothing to the peer (tcp_write_err). */
		tcp_tcb_clear(tp);
		tcp_change_state(tp, TCPS_CLOSED, why, tries);
		return;
	}
	if (tp->reo_armed) {
		tcp_sb_reo_timeout(tp);
		return;
	}
	if (tp->tlp_armed) {
		/* The first expiry after new data is a tail loss probe:
		 * the last segment again, no backoff, a full RTO more. */
		tp->tlp_armed = false;
		if (!tcp_sb_probe_new(tp))
			tcp_send_tail_probe(tp);
		tp->tlp_high = tp->snd_max;
		tcp_timer_set(tp, TT_RTX, tp->rto);
		return;
	}
	if (tp->retransmits == 0 && tp->state != TCPS_SYN_SENT)
		tp->retrans_start = tcp_now(tp);
	tp->dupacks = 0;
	tp->retransmits++;
	tp->rtt_timing = false;		/* Karn: no sample from a retransmission */
	if (!(tp->state == TCPS_SYN_SENT &&
	    tp->retransmits <= tp->prof->syn_linear)) {
		tp->backoff++;
		tp->rto = tp->rto * 2 > tp->prof->rto_max ?
		    tp->prof->rto_max : tp->rto * 2;
	}
	switch (tp->state) {
	case TCPS_SYN_SENT:
		tcp_send_syn(tp);
		break;
	case TCPS_SYN_RECEIVED:
		tcp_send_synack(tp);
		break;
	default:
		if (tcp_sb_timeout(tp))
			break;		/* what SACK told is kept */
		/* Go back to the oldest unacknowledged octet, with a
		 * congestion window of one segment (RFC 5681 3.1). */
		tp->snd_nxt = tp->snd_una;
		tp->cwnd = 1;
		tcp_output(tp);
		break;
	}
	/* tcp_output has armed it for data and FINs: once is enough. */
	tcp_rtx_start(tp);
}

/* Linux tcp_delack_timer_handler. */
static void
delack_timeout(struct tcp *tp)
{
	if (!tp->ack_pending)
		return;
	if (!tcp_in_pingpong(tp)) {
		/* The ACK was late: let it wait longer next time. */
		tp->ato = tp->ato * 2 > tp->rto ? tp->rto : tp->ato * 2;
	} else {
		/* No reply came to ride on: not interactive after all. */
		tp->pingpong = 0;
		tp->ato = tp->prof->ato_min;
	}
	tcp_send_ack(tp);
}

vtime_t
tcp_time_wait_len(const struct tcp *tp)
{
	return 2 * tp->prof->msl;
}

void
tcp_enter_time_wait(struct tcp *tp, enum tcp_cause cause)
{
	for (int k = 0; k < TCP_NTIMERS; k++) {
		if (k != TT_DELACK)
			tcp_timer_stop(tp, (enum tcp_timer)k);
	}
	tcp_set_state(tp, TCPS_TIME_WAIT, cause);
	tcp_timer_set(tp, TT_TIMEWAIT, tcp_time_wait_len(tp));
}

/*
 * KEEPALIVE (RFC 9293 3.8.4, Linux tcp_keepalive_timer): after the idle
 * time with nothing received, probe with <SEQ=SND.UNA-1><CTL=ACK> and no
 * data; after the probes go unanswered, reset and give up.
 */
static void
keepalive_timeout(struct tcp *tp)
{
	const struct profile	*p = tp->prof;
	vtime_t			 idle = tcp_now(tp) - tp->rcv_tstamp;
	struct segment		 seg;

	if (!tp->keepalive || !tcp_synchronized(tp) ||
	    tp->state == TCPS_TIME_WAIT)
		return;
	/* Data in flight: the retransmission timer watches the peer. */
	if (tp->snd_una != tp->snd_max || tcp_unsent(tp) > 0) {
		tcp_timer_set(tp, TT_KEEPALIVE, p->keepalive_idle);
		return;
	}
	if (idle < p->keepalive_idle) {
		tcp_timer_set(tp, TT_KEEPALIVE, p->keepalive_idle - idle);
		return;
	}
	if (tp->probes_out >= p->keepalive_probes) {
		if (p->keepalive_rst)
			tcp_send_active_reset(tp);
		tcp_notify(tp, TE_TIMEDOUT);
		tcp_closed(tp, CAUSE_KEEPALIVE_DEAD);
		return;
	}
	tcp_fill(tp, &seg, tp->snd_una - 1, tp->rcv_nxt, TH_ACK);
	tcp_emit(tp, &seg, NULL);
	tp->probes_out++;
	tcp_timer_set(tp, TT_KEEPALIVE, p->keepalive_intvl);
}

void
tcp_timer_fired(struct timer *t, void *arg)
{
	struct tcp		*tp = arg;
	enum tcp_timer		 k = (enum tcp_timer)(t - tp->timers);
	enum timer_action	 a = TA_FIRED;

	tp->pass++;
	/* Linux's loss probe and RACK's reordering wait have timers of
	 * their own (ICSK_TIME_LOSS_PROBE, ICSK_TIME_REO_TIMEOUT): their
	 * firing is no retransmission timeout, and is told apart. */
	if (k == TT_RTX && tp->zwp_armed)
		a = TA_ZWP;
	else if (k == TT_RTX && tp->reo_armed)
		a = TA_REO;
	else if (k == TT_RTX && tp->tlp_armed &&
	    !(tp->state == TCPS_SYN_RECEIVED && tp->passive) &&
	    !retries_exhausted(tp))
		a = TA_PROBE;
	tp->hooks->timer(tp->ctx, tp, k, a, tcp_now(tp));
	switch (k) {
	case TT_RTX:
		rtx_timeout(tp);
		break;
	case TT_DELACK:
		delack_timeout(tp);
		break;
	case TT_TIMEWAIT:
		tcp_closed(tp, CAUSE_2MSL);
		break;
	case TT_FINWAIT2:
		/* Linux drops an orphan that waited tcp_fin_timeout for
		 * the peer's FIN, without telling the peer. */
		tcp_closed(tp, CAUSE_FIN_TIMEOUT);
		break;
	case TT_KEEPALIVE:
		keepalive_timeout(tp);
		break;
	}
}
