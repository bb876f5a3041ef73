/*
 * The two profiles.  The linux numbers are the kernel's defaults (sysctl
 * names in the comments) as seen on loopback with a 6.x kernel; the
 * rfc9293 numbers are the RFC's, or RFC 6298's and RFC 1122's where RFC
 * 9293 defers to them.
 */
#include "config.h"

#include <string.h>

#include "profile.h"

const struct profile profiles[NPROFILES] = {
	[PROFILE_LINUX] = {
		.id = PROFILE_LINUX,
		.name = "linux",
		/* On loopback the kernel hands a segment to its receiver
		 * inside the system call that sent it, so a program's next
		 * call already sees it: zero latency.  A script sets one to
		 * model a network. */
		.latency = 0,
		/* TCP_TIMEWAIT_LEN is a fixed 60 s: MSL 30 s, as 2MSL. */
		.msl = VT_SEC(30),
		.rto_initial = VT_SEC(1),		/* TCP_TIMEOUT_INIT */
		/* tcp_rto_min_us: the floor under RTTVAR, so loopback's
		 * RTO is about 200 ms where RFC 6298 says 1 s. */
		.rto_min = VT_MS(200),
		.rto_max = VT_SEC(120),			/* TCP_RTO_MAX */
		.synack_timeout = VT_SEC(1),
		.syn_retries = 6,			/* tcp_syn_retries */
		/* tcp_syn_linear_timeouts (6.x): the first four SYN
		 * retransmissions come 1 s apart, then the RTO doubles;
		 * connect() gives up at 131 s. */
		.syn_linear = 4,
		.synack_retries = 5,			/* tcp_synack_retries */
		.retries2 = 15,				/* tcp_retries2 */
		.orphan_retries = 8,			/* tcp_orphan_retries 0 */
		/* tcp_fin_timeout: an orphaned FIN_WAIT_2 is not kept
		 * forever; the RFC has no such timer. */
		.fin_timeout = VT_SEC(60),
		.keepalive_idle = VT_SEC(7200),		/* tcp_keepalive_time */
		.keepalive_intvl = VT_SEC(75),		/* tcp_keepalive_intvl */
		.keepalive_probes = 9,			/* tcp_keepalive_probes */
		/* Linux delays ACKs (40 ms on loopback) once a connection
		 * looks interactive, and always for a FIN; that is what
		 * lets the FIN+ACK of a quick close merge into one. */
		.delayed_ack = true,
		/* RFC 8985 tail loss probe (tcp_early_retrans 3): the
		 * last segment is sent once more before the RTO backs off. */
		.tail_loss_probe = true,
		/* tcp_recovery 1: with SACK the sender keeps a scoreboard
		 * and finds losses by time (RACK, RFC 8985), repairs them
		 * in fast recovery with PRR (RFC 6937), and after a timeout
		 * tries F-RTO (RFC 5682) before going back. */
		.rack = true,
		.delack_min = VT_MS(40),		/* TCP_DELACK_MIN */
		/* tcp_delack_max: TCP_DELACK_MAX less a tick, 196 ms. */
		.delack_max = VT_MS(196),
		.ato_min = VT_MS(40),			/* TCP_ATO_MIN */
		/* CONFIG_HZ=250: a delayed ACK with nothing learned yet
		 * (ato 0) goes on the next 4 ms tick. */
		.tick = VT_MS(4),
		/* Linux's timers wait in a wheel that rounds their expiry
		 * up to its buckets: a tick late at least, and a long wait
		 * up to an eighth late (1 s: 1.004 to 1.032 s; 60 s: up to
		 * 62 s).  Jiffies start at virtual time 0. */
		.timer_wheel = true,
		/* The kernel's ticks fall anywhere in a script's
		 * milliseconds; synfin's half a millisecond past a whole
		 * one, so that nothing a script times in whole ms is on a
		 * tick's edge, and a one-tick timer waits 4.5 to 7.5 ms, 6
		 * on average, as the kernel's do.  set tick-phase moves
		 * them. */
		.tick_phase = VT_US(500),
		/* tcp_send_active_reset sends RST+ACK; RFC 9293's ABORT
		 * sends a bare RST. */
		.rst_ack_on_abort = true,
		/* RFC 1122 4.2.2.13 (and RFC 9293 3.6.1, SHLD-3): data lost
		 * to a closed socket is reported with a RST.  Linux does;
		 * the textbook state machine does not show it. */
		.rst_on_unread_close = true,
		.rst_on_data_after_close = true,
		/* tcp_v4_send_reset/tcp_send_active_reset fill in the
		 * window; the RFC's <SEQ=..><CTL=RST> has none. */
		.rst_has_window = true,
		.psh_on_data = true,
		/* The listening socket lives on beside its connections;
		 * a half-open one is a request socket that tcp_check_req
		 * handles, with a SYN+ACK timer of its own. */
		.listener_stays = true,
		.challenge_ack_rst = true,
		.challenge_ack_syn = true,
		/* tcp_invalid_ratelimit: an ACK to a segment without data
		 * that was not acceptable, at most one each 500 ms, so two
		 * confused ends cannot ACK each other forever. */
		.oow_ack_gap = VT_MS(500),
		/* __tcp_select_window: the free buffer, counted as the
		 * kernel counts memory (each segment's truesize), times a
		 * ratio learnt from the segments (half at first), at most
		 * rcv_ssthresh, which data arriving raises (tcp_grow_window):
		 * tcp-output.c, measured on 6.18. */
		.half_free_window = true,
		/* tcp_shrink_window 0: a window never takes back what was
		 * offered (RFC 9293 3.8.6.2.2 says SHOULD NOT shrink). */
		.never_shrink = true,
		/* tcp_sequence: a segment fits if it starts no later than
		 * the right edge, so an ACK with nothing in it may stand at
		 * the edge (a sender that filled the window sends those),
		 * where RFC 9293's table wants it inside. */
		.ack_at_edge = true,
		/* tcp_send_dupack: a duplicate segment is ACKed at once and
		 * ends the interactive (pingpong) mode. */
		.dupack_quickack = true,
		/* tcp_fin: a FIN makes the connection look interactive, so
		 * its ACK waits in case our FIN follows (three segments). */
		.fin_delays_ack = true,
		/* tcp_bound_to_half_wnd: no segment over half the largest
		 * window offered: 32768 on loopback. */
		.mss_half_window = true,
		/* tcp_nagle_check: Minshall's variant, holding a small
		 * segment back only while an earlier small one is out. */
		.nagle_minshall = true,
		/* tcp_sendmsg copies a write into buffers of a segment
		 * and pushes each as it fills; on loopback the peer
		 * answers before the next is made, but the writer owns
		 * its socket: the answers wait in its backlog until the
		 * write returns.  tcp_write_xmit grows a buffer to two
		 * segments (tcp_grow_skb, tcp_min_tso_segs), split at the
		 * window; lo carries up to 64 KiB as one packet, more in
		 * segments (tcp-sendq.c). */
		.send_queue = true,
		/* tcp_xmit_probe_skb: the zero-window probe is an ACK one
		 * octet behind snd_una, no data. */
		.zwp_old_ack = true,
		/* tcp_set_rto: RTO = SRTT + max(4 * RTTVAR, rto_min), in
		 * jiffies. */
		.rto_var_floor = true,
		.rto_in_ticks = true,
		/* retransmits_timed_out: retries are a time budget
		 * (tcp_model_timeout), not a count. */
		.give_up_by_time = true,
		/* TCP_USER_TIMEOUT replaces that budget, counted from the
		 * same start, the first retransmission by the timer
		 * (retrans_stamp; the tail loss probe does not set it); the
		 * timer is cut short to fire at the deadline
		 * (tcp_clamp_rto_to_user_timeout).  RFC 5482 counts from
		 * when the data went unacknowledged. */
		.user_timeout_from_rtx = true,
		/* tcp_rcv_synsent_state_process: a SYN+ACK with a bad ACK
		 * is reset, and our SYN goes again in TCP_TIMEOUT_MIN. */
		.syn_retry_on_bad_ack = true,
		.drop_syn_fin = true,			/* tcp_rcv_state_process */
		/* tcp_validate_incoming lets the peer's SYN+ACK of a
		 * simultaneous open through; the RFC would challenge it. */
		.simopen_synack = true,
		/* inet_stream_connect on a listening socket: EISCONN.  The
		 * RFC lets a passive OPEN turn active. */
		.listen_cannot_connect = true,
		/* close() ends the application's part: an orphan cannot
		 * read.  The RFC's CLOSE only says "no more to send". */
		.close_orphans = true,
		.close_wait_rst_epipe = true,		/* tcp_reset */
		/* tcp_reset_check: in CLOSE_WAIT, CLOSING and LAST_ACK a
		 * RST one below RCV.NXT (the peer's FIN) is taken too. */
		.rst_before_rcv_nxt = true,
		.keepalive_rst = true,		/* tcp_keepalive_timer */
		/* TIME_WAIT, and an orphaned FIN_WAIT_2, are kept as a
		 * light timewait socket (tcp_timewait_state_process). */
		.timewait_socks = true,
		/* tcp_twsk_unique: a socket bound to the port with
		 * SO_REUSEADDR may connect() over a TIME_WAIT at once if
		 * that connection used timestamps, whatever tcp_tw_reuse
		 * says (that sysctl, and its 1 s, concern only ports the
		 * kernel picks itself in connect()). */
		.tw_takeover = true,
		/* lo's MTU is 65536; tcp_rmem[2] of 32 MiB gives wscale 10. */
		.mss = 65495,
		.timestamps = true,
		.sack_ok = true,
		.wscale = 10,
		.syn_win = 65495,
		.synack_win = 65483,
		/* tcp_rmem[1]. */
		.rcv_buf = 131072,
		.iw_segments = 10,
	},
	[PROFILE_RFC9293] = {
		.id = PROFILE_RFC9293,
		.name = "rfc9293",
		.latency = 0,
		/* RFC 9293 3.4.2: MSL is taken to be 2 minutes. */
		.msl = VT_SEC(120),
		/* RFC 6298 2.1 and 2.4: 1 s initially, never below 1 s;
		 * 2.5: a maximum of at least 60 s. */
		.rto_initial = VT_SEC(1),
		.rto_min = VT_SEC(1),
		.rto_max = VT_SEC(60),
		.synack_timeout = VT_SEC(1),
		/* RFC 9293 3.8.3 (MUST-20, MUST-21): R2 for a SYN at least
		 * 3 minutes, for data at least 100 s.  Retries 7 gives up
		 * at 183 s, retries 6 at 123 s. */
		.syn_retries = 7,
		.syn_linear = 0,
		.synack_retries = 7,
		.retries2 = 6,
		.orphan_retries = 6,
		.fin_timeout = 0,
		/* RFC 9293 3.8.4: keep-alive idle at least two hours. */
		.keepalive_idle = VT_SEC(7200),
		.keepalive_intvl = VT_SEC(75),
		.keepalive_probes = 9,
		/* The textbook acknowledges every segment at once. */
		.delayed_ack = false,
		.delack_min = VT_MS(200),
		.delack_max = VT_MS(500),
		.ato_min = VT_MS(200),
		.tick = VT_MS(1),
		.rst_ack_on_abort = false,
		.rst_on_unread_close = false,
		.rst_on_data_after_close = false,
		.psh_on_data = false,
		.listener_stays = false,
		.challenge_ack_rst = true,
		.challenge_ack_syn = true,
		/* RFC 6298 5.7: with a SYN lost and no RTT measured, the
		 * RTO is 3 s once the connection is established. */
		.rto_3s_after_syn_loss = true,
		/* RFC 9293 3.7.1: an MSS option in every SYN; an Ethernet
		 * path, so 1460.  No other options. */
		.mss = 1460,
		.timestamps = false,
		.sack_ok = false,
		.wscale = -1,
		.syn_win = 65535,
		.synack_win = 65535,
		.rcv_buf = 65535,
		.iw_segments = 4,
		/* RFC 9293 3.8.6.1 (MUST-36): a shut window is probed
		 * with an octet of new data; 3.8.6.2.1: the same timer
		 * overrides the sender's SWS avoidance. */
		.zwp_octet = true,
	},
};

const struct profile *
profile_find(const char *name)
{
	for (int i = 0; i < NPROFILES; i++) {
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	}
	return NULL;
}
