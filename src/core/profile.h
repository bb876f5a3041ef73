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
	vtime_t		 delack_min;
	vtime_t		 delack_max;
	vtime_t		 ato_min;
	vtime_t		 tick;		/* a timer due "now" fires a tick later */

	bool		 rst_ack_on_abort;	/* RST carries ACK */
	bool		 rst_on_unread_close;	/* close() with unread data */
	bool		 rst_on_data_after_close;
	bool		 psh_on_data;
	bool		 listener_stays;	/* listen socket apart from conn */
	bool		 challenge_ack_rst;	/* RFC 5961 section 3 */
	bool		 challenge_ack_syn;	/* RFC 5961 section 4 */

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
