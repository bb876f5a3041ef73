/*
 * Inside the TCP endpoint: what its files share and nothing else uses.
 *
 *	tcp.c		the control block's life, its state changes, the
 *			tables of names, causes and call results
 *	tcp-user.c	RFC 9293 3.10.1-6: the calls an application makes
 *	tcp-input.c	3.10.7: SEGMENT ARRIVES, state by state
 *	tcp-output.c	what to send and when: segments, windows, writes
 *	tcp-timer.c	3.10.8: retransmission and its RTT, delayed ACKs,
 *			2MSL, FIN_WAIT_2 and keepalive
 *	tcp-sendq.c	Linux's send queue: the buffers a write makes,
 *			grown, cut and sent as on lo (linux profile)
 *	tcp-sack.c	the sender's SACK scoreboard and the recovery it
 *			drives (RACK-TLP, PRR, F-RTO; linux profile)
 */
#ifndef SYNFIN_TCP_PRIV_H
#define SYNFIN_TCP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp.h"

#define MSS_DEFAULT	536	/* RFC 9293 3.7.1, Linux TCP_MSS_DEFAULT */
#define MIN_MSS		88	/* Linux TCP_MIN_MSS */
/*
 * What a segment costs in the receive buffer beyond its bytes: skb->truesize
 * less its length, for a segment on lo (Linux 6.18, measured for 1 to
 * 65483 bytes: always 832).
 */
#define TRUESIZE_EXTRA	832

static inline vtime_t
tcp_now(const struct tcp *tp)
{
	return tp->clock->now;
}

/* Our timestamp clock: Linux's ticks in milliseconds. */
static inline uint32_t
tcp_ts_now(const struct tcp *tp)
{
	return tp->ts_offset + (uint32_t)(tcp_now(tp) / 1000);
}

/* tcp.c */
void	 tcp_set_state(struct tcp *, enum tcp_state, enum tcp_cause);
void	 tcp_change_state(struct tcp *, enum tcp_state, enum tcp_cause, int);
void	 tcp_notify(struct tcp *, enum tcp_error);
void	 tcp_tcb_clear(struct tcp *);
void	 tcp_closed(struct tcp *, enum tcp_cause);
void	 tcp_back_to_listen(struct tcp *, enum tcp_cause);
void	 tcp_new_tcb(struct tcp *, bool);
bool	 tcp_fin_acked(const struct tcp *);
bool	 tcp_timewait_sock(const struct tcp *);

/* tcp-input.c */
void	 tcp_backlog_drain(struct tcp *);

/* tcp-output.c */
uint32_t tcp_rcv_space(struct tcp *);
uint32_t tcp_rcv_seg_len(const struct tcp *, uint32_t);
void	 tcp_rwin_init(struct tcp *);
void	 tcp_rwin_data(struct tcp *, uint32_t, bool);
void	 tcp_rq_fin(struct tcp *);
void	 tcp_rq_eat_fin(struct tcp *);
void	 tcp_rq_push(struct tcp *, uint32_t);
void	 tcp_rq_read(struct tcp *, uint32_t);
void	 tcp_rcv_rtt_ts(struct tcp *, const struct segment *);
void	 tcp_rcv_space_adjust(struct tcp *);
bool	 tcp_rwin_opened(struct tcp *, uint32_t);
uint32_t tcp_recv_window(const struct tcp *);
uint32_t tcp_opt_len(const struct tcp *);
uint32_t tcp_send_mss(const struct tcp *);
uint32_t tcp_unsent(const struct tcp *);
void	 tcp_fill(struct tcp *, struct segment *, uint32_t, uint32_t,
	     uint8_t);
void	 tcp_emit(struct tcp *, struct segment *, const uint8_t *);
void	 tcp_send_syn(struct tcp *);
void	 tcp_send_synack(struct tcp *);
void	 tcp_send_ack(struct tcp *);
void	 tcp_send_oow_ack(struct tcp *, const struct segment *);
void	 tcp_send_reset_for(struct tcp *, const struct segment *);
void	 tcp_send_active_reset(struct tcp *);
void	 tcp_send_tail_probe(struct tcp *);
void	 tcp_send_data(struct tcp *, uint32_t, uint8_t);
void	 tcp_output(struct tcp *);
void	 tcp_write_step(struct tcp *);
void	 tcp_write_on(struct timer *, void *);

/* tcp-sendq.c */
bool	 tcp_sq_on(const struct tcp *);
bool	 tcp_sq_wakeup(struct tcp *);
void	 tcp_sq_push(struct tcp *);
bool	 tcp_sq_write(struct tcp *);
bool	 tcp_head_fits(const struct tcp *);

/* tcp-timer.c */
void	 tcp_timer_set(struct tcp *, enum tcp_timer, vtime_t);
void	 tcp_timer_set_reo(struct tcp *, vtime_t);
void	 tcp_timer_stop(struct tcp *, enum tcp_timer);
bool	 tcp_timer_armed(const struct tcp *, enum tcp_timer);
void	 tcp_timers_stop_all(struct tcp *);
void	 tcp_timer_fired(struct timer *, void *);
void	 tcp_rtx_start(struct tcp *);
vtime_t	 tcp_ticks(const struct tcp *, vtime_t);
vtime_t	 tcp_rtx_delay(const struct tcp *);
vtime_t	 tcp_probe_timeout(const struct tcp *);
void	 tcp_arm_tail_probe(struct tcp *);
void	 tcp_zwp_check(struct tcp *);
void	 tcp_zwp_ack(struct tcp *);
void	 tcp_rtt_sample(struct tcp *, vtime_t);
void	 tcp_enter_quickack(struct tcp *);
bool	 tcp_in_pingpong(const struct tcp *);
void	 tcp_data_received(struct tcp *, const struct segment *);
void	 tcp_ack_check(struct tcp *);
void	 tcp_ack_soon(struct tcp *);
vtime_t	 tcp_time_wait_len(const struct tcp *);
void	 tcp_enter_time_wait(struct tcp *, enum tcp_cause);

/* tcp-sack.c */
bool	 tcp_sb_on(const struct tcp *);
uint32_t tcp_sb_in_flight(const struct tcp *);
bool	 tcp_sb_resent_acked(const struct tcp *, uint32_t);
void	 tcp_sb_sent(struct tcp *, uint32_t, uint32_t, uint8_t, bool);
void	 tcp_sb_ack(struct tcp *, const struct segment *, uint32_t);
bool	 tcp_sb_timeout(struct tcp *);
bool	 tcp_sb_probe_new(struct tcp *);
void	 tcp_sb_reo_timeout(struct tcp *);
void	 tcp_dupack(struct tcp *, const struct segment *, uint32_t, bool);

#endif
