/*
 * Behaviour profiles.  "linux" is what the Linux kernel does on loopback,
 * checked against captures of the real stack; "rfc9293" is the textbook,
 * RFC 9293 with its recommended RFC 6298 timers.  Every field where the
 * two differ says why in profile.c.
 */
#ifndef SYNFIN_PROFILE_H
#define SYNFIN_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"

enum profile_id {
	PROFILE_LINUX,
	PROFILE_RFC9293,
};
#define NPROFILES 2

struct profile {
	enum profile_id	 id;
	const char	*name;

	vtime_t		 latency;	/* one way, segment on the link */
	vtime_t		 msl;		/* TIME_WAIT lasts 2 * msl */
	vtime_t		 rto_initial;	/* before any RTT sample */
	vtime_t		 rto_min;
	vtime_t		 rto_max;
	vtime_t		 synack_timeout;/* the server's first SYN+ACK timer */
	int		 syn_retries;	/* SYN retransmissions before giving up */
	int		 syn_linear;	/* SYN retransmissions before backoff */
	int		 synack_retries;
	int		 retries2;	/* data and FIN retransmissions */
	int		 orphan_retries;/* FIN retransmissions after close() */
	vtime_t		 fin_timeout;	/* orphaned FIN_WAIT_2; 0: none */
	vtime_t		 keepalive_idle;
	vtime_t		 keepalive_intvl;
	int		 keepalive_probes;

	bool		 delayed_ack;	/* the Linux quick/pingpong machinery */
	bool		 tail_loss_probe;	/* probe once before the first RTO */
	bool		 rack;		/* SACK scoreboard, RACK, PRR, F-RTO */
	bool		 fast_retransmit;	/* RFC 5681 3.2 (set) */
	vtime_t		 delack_min;
	vtime_t		 delack_max;
	vtime_t		 ato_min;
	vtime_t		 tick;		/* a timer due "now" fires a tick later */
	bool		 timer_wheel;	/* ... and a long one later still */
	vtime_t		 tick_phase;	/* the wheel's first tick ends here */

	bool		 rst_ack_on_abort;	/* RST carries ACK */
	bool		 rst_on_unread_close;	/* close() with unread data */
	bool		 rst_on_data_after_close;
	bool		 rst_has_window;	/* a RST advertises a window */
	bool		 psh_on_data;
	/* The listening socket lives apart from its connections, and a
	 * half-open one is a request socket (its own SYN+ACK timer). */
	bool		 listener_stays;
	bool		 challenge_ack_rst;	/* RFC 5961 section 3 */
	bool		 challenge_ack_syn;	/* RFC 5961 section 4 */
	vtime_t		 oow_ack_gap;	/* ACKs to bad segments; 0: no limit */

	/* How the receiver acknowledges and advertises. */
	bool		 half_free_window;	/* the window as Linux's buffer
						   accounting gives it */
	bool		 never_shrink;		/* the right edge never moves back */
	bool		 ack_at_edge;		/* a segment without data at the
						   window's right edge counts */
	bool		 dupack_quickack;	/* a duplicate ends delayed ACKs */
	bool		 fin_delays_ack;	/* the FIN's ACK waits for ours */

	/* How the sender segments and times. */
	bool		 mss_half_window;	/* segments of half the window */
	bool		 nagle_minshall;	/* Minshall's Nagle */
	bool		 zwp_old_ack;	/* a zero-window probe is an ACK of
					   old sequence, not an octet */
	bool		 zwp_octet;	/* ... the next octet of data (the
					   textbook's), and the same timer
					   overrides sender SWS avoidance */
	bool		 send_queue;	/* Linux's send queue on lo: a write
					   goes a buffer at a time, two
					   segments may go as one (GSO) */
	bool		 rto_var_floor;		/* rto_min floors 4*RTTVAR */
	bool		 rto_in_ticks;		/* the RTO is whole ticks */
	bool		 rto_3s_after_syn_loss;	/* RFC 6298 5.7 */
	bool		 give_up_by_time;	/* retries count as time */
	bool		 user_timeout_from_rtx;	/* ... from the first RTO */
	bool		 syn_retry_on_bad_ack;	/* a confused peer: SYN again */

	/* Opening, closing and their corners. */
	bool		 drop_syn_fin;		/* a SYN with FIN is dropped */
	bool		 simopen_synack;	/* SYN+ACK ends a simultaneous open */
	bool		 listen_cannot_connect;	/* EISCONN, not an active open */
	bool		 close_orphans;		/* close() leaves nobody to read */
	bool		 close_wait_rst_epipe;	/* RST in CLOSE_WAIT: EPIPE */
	bool		 rst_before_rcv_nxt;	/* a RST at RCV.NXT-1 counts */
	bool		 keepalive_rst;		/* a dead peer is sent a RST */
	bool		 timewait_socks;	/* TIME_WAIT as a light socket */
	bool		 tw_takeover;	/* SO_REUSEADDR and timestamps: a
					 * connect() takes over TIME_WAIT */
	bool		 reuseaddr;	/* the client's SO_REUSEADDR (set) */
	bool		 abort_on_overflow;	/* tcp_abort_on_overflow (set) */

	/* What goes into SYNs and windows. */
	uint16_t	 mss;
	bool		 timestamps;
	bool		 sack_ok;
	int		 wscale;	/* -1: no window scale option */
	uint32_t	 syn_win;	/* window field of a SYN */
	uint32_t	 synack_win;	/* window field of a SYN+ACK */
	uint32_t	 rcv_buf;	/* receive buffer: free space bounds the window */
	uint32_t	 iw_segments;	/* initial congestion window */
};

extern const struct profile profiles[NPROFILES];

const struct profile	*profile_find(const char *);

#endif
