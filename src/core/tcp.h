/*
 * One TCP endpoint: the connection state machine of RFC 9293 section 3.10.
 *
 * The control block holds host-order numbers; it never sees bytes.  It is
 * driven by three kinds of event, as the RFC lists them: user calls
 * (tcp_call), arriving segments (tcp_input) and timeouts (fired through
 * the clock).  It acts through hooks: sending a segment, a state change,
 * a timer armed or fired, something the application is told.  Every state
 * change goes through one function, which records the old state, the new
 * one, the cause and the RFC 9293 section that calls for it.
 */
#ifndef SYNFIN_TCP_H
#define SYNFIN_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "clock.h"
#include "profile.h"
#include "segment.h"
#include "types.h"

enum tcp_state {
	TCPS_CLOSED,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_FIN_WAIT_1,
	TCPS_FIN_WAIT_2,
	TCPS_CLOSE_WAIT,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_TIME_WAIT,
};
#define TCP_NSTATES 11

enum tcp_timer {
	TT_RTX,		/* retransmission (SYN, SYN+ACK, data, FIN) */
	TT_DELACK,	/* delayed acknowledgement */
	TT_TIMEWAIT,	/* 2MSL */
	TT_FINWAIT2,	/* orphaned FIN_WAIT_2 */
	TT_KEEPALIVE,
};
#define TCP_NTIMERS 5

enum timer_action {
	TA_ARMED,
	TA_CANCELLED,
	TA_FIRED,
	TA_PENDING,	/* still set when a run stops (the journal's end) */
	TA_PROBE,	/* the retransmission timer fired early as a tail
			 * loss probe (RFC 8985 7): no retry, no backoff */
	TA_REO,		/* ... as RACK's reordering timer (RFC 8985 6.3):
			 * the segments it waited for are taken for lost */
	TA_ARMED_PROBE,	/* armed, its expiry to be a tail loss probe */
	TA_ARMED_REO,	/* armed as RACK's reordering wait */
	TA_ARMED_ZWP,	/* armed for a zero-window probe (RFC 9293
			 * 3.8.6.1; Linux's ICSK_TIME_PROBE0) */
	TA_ZWP,		/* ... fired so: a probe of the closed window */
	TA_CLEARED,	/* stopped as the connection's TCB is deleted */
};
#define TA_IS_ARMED(a)	((a) == TA_ARMED || (a) == TA_ARMED_PROBE || \
			    (a) == TA_ARMED_REO || (a) == TA_ARMED_ZWP)
#define TA_IS_FIRED(a)	((a) == TA_FIRED || (a) == TA_PROBE || \
			    (a) == TA_REO || (a) == TA_ZWP)

/* What the application does: the socket calls a script can make. */
enum tcp_call {
	CALL_LISTEN,
	CALL_ACCEPT,
	CALL_CONNECT,
	CALL_SEND,
	CALL_READ,
	CALL_SHUTDOWN,	/* shutdown(SHUT_WR) */
	CALL_CLOSE,
	CALL_ABORT,	/* SO_LINGER {1, 0}, then close() */
	CALL_KEEPALIVE,	/* SO_KEEPALIVE on or off */
	CALL_CRASH,	/* the host stops dead: no segment in or out */
	CALL_REBOOT,	/* it comes back having forgotten everything */
	CALL_EXIT,	/* the program ends: the kernel closes its sockets */
};
#define TCP_NCALLS 12

/* Errors the application can be told, named as errno names them. */
enum tcp_error {
	TE_NONE,
	TE_CONNREFUSED,
	TE_CONNRESET,
	TE_TIMEDOUT,
	TE_PIPE,
	TE_NOTCONN,
	TE_ISCONN,
	TE_ADDRNOTAVAIL,
	TE_AGAIN,
	TE_INVAL,
	TE_HOSTDOWN,
	TE_BADF,
	TE_ADDRINUSE,
};
#define TCP_NERRORS 13

/*
 * Why a state changed.  tcp_causes[] gives each the section of RFC 9293
 * that calls for it and its words in English and Chinese; the words of
 * the CAUSE_GIVE_UP ones count the retransmissions (%d), the _BEHIND
 * ones the octets written but not yet sent that the FIN waits behind.
 */
enum tcp_cause {
	CAUSE_NONE,		/* never journaled: a cause forgotten */
	CAUSE_LISTEN,
	CAUSE_CONNECT,
	CAUSE_TW_REUSE,
	CAUSE_CLOSE,
	CAUSE_CLOSE_BEHIND,	/* ... the FIN behind n octets unsent */
	CAUSE_SHUTDOWN,
	CAUSE_SHUTDOWN_BEHIND,
	CAUSE_SHUTDOWN_EARLY,
	CAUSE_CLOSE_EARLY,
	CAUSE_CLOSE_LISTENER,
	CAUSE_CLOSE_LISTENER_HALF,
	CAUSE_CLOSE_LISTENER_RESET,
	CAUSE_CLOSE_UNREAD,
	CAUSE_ABORT_EARLY,
	CAUSE_ABORT_RST,
	CAUSE_ABORT_DELETE,
	CAUSE_CRASH,
	CAUSE_REBOOT,
	CAUSE_RCV_SYN,
	CAUSE_LISTENER_ON,
	CAUSE_RCV_SYNACK,
	CAUSE_REFUSED,
	CAUSE_SIMOPEN,
	CAUSE_SIMOPEN_DONE,
	CAUSE_ACK_OF_SYNACK,
	CAUSE_ACK_OF_SYN,
	CAUSE_RST_HALF_OPEN,
	CAUSE_RST_REFUSED,
	CAUSE_RST_RESET,
	CAUSE_RST,
	CAUSE_RST_TIME_WAIT,
	CAUSE_SYN_RESET,
	CAUSE_SYN_TIME_WAIT,
	CAUSE_SYN_FIN_WAIT_2,
	CAUSE_DATA_AFTER_CLOSE,
	CAUSE_FIN_ACKED,
	CAUSE_FIN_ACKED_CLOSED,
	CAUSE_RCV_FIN,
	CAUSE_RCV_FIN_FIRST,
	CAUSE_RCV_FIN_ACK,
	CAUSE_SIMCLOSE,
	CAUSE_2MSL,
	CAUSE_FIN_TIMEOUT,
	CAUSE_SYNACK_GIVE_UP,
	CAUSE_KEEPALIVE_DEAD,
	CAUSE_GIVE_UP_SYN,
	CAUSE_GIVE_UP_SYNACK,
	CAUSE_GIVE_UP_FIN,
	CAUSE_GIVE_UP_DATA,
	CAUSE_USER_TIMEOUT,
	CAUSE_OVERFLOW_RESET,
	CAUSE_KERNEL,
	CAUSE_OBSERVED,		/* a capture: seen already in this state */
	CAUSE_WAS_LISTENING,	/* ... the SYN it answers shows it */
	CAUSE_SENT_FIN,		/* ... close() or shutdown(), unseen */
};
#define TCP_NCAUSES (CAUSE_OBSERVED + 3)

struct tcp_cause_info {
	const char	*rfc;		/* "3.10.7.4"; NULL: none */
	const char	*text[NLANGS];
};

/*
 * What a call came to, besides its error: "100 bytes", "end of stream",
 * "EPIPE: the connection is gone".  tcp_outcomes[] gives the words.
 */
enum tcp_outcome {
	OUT_NONE,
	OUT_BYTES,		/* n octets read */
	OUT_EOF,		/* read: the peer's FIN came */
	OUT_NOTHING_YET,	/* read: EAGAIN */
	OUT_WAITS,		/* accept before a connection */
	OUT_UNREAD_RESET,	/* close with n octets unread: RST */
	OUT_LISTENER_RESET,	/* close of a listener: its connection reset */
	OUT_LISTENING,		/* connect on a listening socket */
	OUT_IN_TIME_WAIT,	/* connect: the four-tuple is in TIME_WAIT */
	OUT_PORT_TAKEN,		/* connect: bind() of the port in state n */
	OUT_IN_USE,		/* connect: ... still in state n */
	OUT_CONNECTED_ALREADY,	/* connect twice */
	OUT_CONNECTED,		/* listen on a connected socket */
	OUT_NOT_LISTENING,	/* accept without listen */
	OUT_GONE,		/* the connection is no more */
	OUT_NOT_CONNECTED,
	OUT_SHUT,		/* send after our FIN */
	OUT_HOST_DOWN,		/* the host has crashed */
	OUT_CLOSED_SOCKET,	/* the socket was closed */
	OUT_OTHER_CONN,		/* accept: another client's, not drawn */
};
#define TCP_NOUTCOMES (OUT_OTHER_CONN + 1)

struct tcp_result {
	enum tcp_error	 err;
	enum tcp_outcome what;
	uint32_t	 n;		/* octets, or a state (OUT_IN_USE) */
};

#define TCP_OOO_MAX 16
#define TCP_RXQ_MAX 16
#define TCP_SQ_MAX 256
#define TCP_RQ_MAX 64

/*
 * A segment out and not yet acknowledged, as the sender's scoreboard keeps
 * it (Linux's retransmission queue, when SACK was agreed): its sequence
 * space (a FIN counts one), when it last went, and what is known of it.
 */
struct tcp_sent {
	uint32_t	 seq;
	uint32_t	 end;
	vtime_t		 when;
	uint32_t	 order;		/* the how-manyth transmission */
	uint32_t	 pass;		/* in which sending pass (tp->pass) */
	uint8_t		 flags;		/* TH_PSH, TH_FIN */
	uint8_t		 sb;		/* SB_* */
};
#define SB_SACKED	0x01	/* the peer holds it (a SACK block) */
#define SB_LOST		0x02	/* taken for lost: to be sent again */
#define SB_RTX_OUT	0x04	/* sent again since, and still out */
#define SB_RETRANS	0x08	/* ever sent again */
#define TCP_SENT_MAX	128

/* How tcp_output sends: as usual, Nagle aside (F-RTO's new data), or
 * one segment, Nagle and the congestion window aside (a loss probe). */
enum tcp_push {
	PUSH_NORMAL,
	PUSH_NO_NAGLE,
	PUSH_PROBE,
};

/* Linux's congestion states (icsk_ca_state), as far as loss goes. */
enum tcp_ca {
	CA_OPEN,
	CA_DISORDER,		/* SACKs seen, nothing lost yet */
	CA_RECOVERY,		/* fast recovery: a loss found by RACK */
	CA_LOSS,		/* after a retransmission timeout */
};

/* listen()'s backlog unless a script sets one: Linux's somaxconn. */
#define TCP_BACKLOG_DEFAULT 4096

struct tcp;

struct tcp_hooks {
	/* Put a segment on the wire; payload holds seg->len octets. */
	void	(*output)(void *, struct tcp *, struct segment *,
		    const uint8_t *);
	void	(*state)(void *, struct tcp *, enum tcp_state, enum tcp_state,
		    enum tcp_cause, int);
	void	(*timer)(void *, struct tcp *, enum tcp_timer,
		    enum timer_action, vtime_t);
	/* The application is told of an error (ECONNRESET). */
	void	(*notify)(void *, struct tcp *, enum tcp_error);
	/* What is on its way now arrives, and what that makes the peer
	 * send (on lo, before the sender goes on); may be NULL. */
	void	(*settle)(void *, struct tcp *);
};

struct tcp {
	enum side		 side;
	enum tcp_state		 state;
	const struct profile	*prof;
	struct clock		*clock;
	const struct tcp_hooks	*hooks;
	void			*ctx;
	uint16_t		 lport;
	uint16_t		 rport;
	uint32_t		 isn_next;	/* the ISS the next open uses */
	/* How often each state was entered: "wait until server CLOSED"
	 * sees a connection close though the listener is in LISTEN again
	 * in the same instant. */
	uint32_t		 entered[TCP_NSTATES];
	bool			 so_reuseaddr;	/* the socket asked SO_REUSEADDR */
	vtime_t			 user_timeout;	/* TCP_USER_TIMEOUT; 0: none */
	/* The listener's accept queue: listen()'s backlog, and the
	 * connections of other clients, not drawn, that wait there for
	 * accept(), ahead of this one or (come while it waited) behind. */
	uint32_t		 backlog;
	uint32_t		 others;
	uint32_t		 others_behind;
	bool			 exited;	/* the program exited: it holds
						   no socket until it listens or
						   connects anew */
	/* The segments cross a relay (the kernel engine's two TUN devices),
	 * not lo: each comes in a buffer of its own, no clone of the
	 * sender's, whose head a receiver cannot take into another
	 * (skb_head_is_locked), though a FIN's empty buffer folds in. */
	bool			 relay;

	/* Send sequence variables (RFC 9293 section 3.3.1). */
	uint32_t		 iss;
	uint32_t		 snd_una;
	uint32_t		 snd_nxt;
	uint32_t		 snd_max;	/* highest sent; snd_nxt rewinds */
	uint32_t		 snd_wnd;
	uint32_t		 snd_wl1;
	uint32_t		 snd_wl2;
	uint32_t		 max_snd_wnd;

	/* Receive sequence variables. */
	uint32_t		 irs;
	uint32_t		 rcv_nxt;
	uint32_t		 rcv_wup;	/* rcv_nxt when a window was last sent */
	uint32_t		 rcv_wnd;	/* the window last advertised */
	/* The receive buffer as Linux counts it (linux profile): its size;
	 * in-order segments not yet read (the buffers of the receive
	 * queue, rq_len), each costing its length and a fixed overhead
	 * (truesize) until read whole; the part of free memory offered as
	 * window, in 256ths (scaling_ratio, learnt from the segments); the
	 * window's clamp; and rcv_ssthresh, the ceiling that data arriving
	 * raises (tcp_grow_window). */
	uint32_t		 rcvbuf;
	uint32_t		 rcvq_space;	/* DRS's measure (tcp_rcvbuf_grow) */
	uint32_t		 rcvq_seq;	/* ... read_total when taken */
	vtime_t			 rcvq_time;	/* ... and when */
	vtime_t			 rcv_rtt;	/* the receive RTT, us * 8; 0: none */
	bool			 rcv_rtt_on;	/* a window's sample under way: */
	uint32_t		 rcv_rtt_seq;	/* ... done when rcv_nxt is here */
	vtime_t			 rcv_rtt_time;	/* ... begun then */
	uint32_t		 rcv_rtt_tsecr;	/* the last echo sampled */
	uint32_t		 max_rcv_wnd;	/* the largest window offered */
	uint32_t		 rq_len[TCP_RQ_MAX];	/* the unread buffers */
	int			 nrq;
	bool			 rq_fin;	/* the last is a FIN's, empty */
	uint32_t		 rq_off;	/* read of the first so far */
	/* The last buffer's first segment: where it ends and the clock's
	 * step it came in, and the page pieces (frags) the buffer holds. */
	uint32_t		 rq_head_end;
	uint64_t		 rq_head_step;
	uint32_t		 rq_frags;
	/* The peer's SND.UNA as the segment being taken in arrived (set
	 * by whoever carries segments): on lo what lies below it the peer
	 * has freed, so our buffers of it share their data no more. */
	uint32_t		 peer_una;
	uint32_t		 win_ratio;
	uint32_t		 win_clamp;
	uint32_t		 rcv_ssthresh;

	/* Options agreed in the handshake. */
	uint16_t		 peer_mss;
	int			 snd_wscale;
	int			 rcv_wscale;
	bool			 ws_ok;
	bool			 ts_ok;
	bool			 sack_ok;
	uint32_t		 ts_offset;
	uint32_t		 ts_recent;

	/* The application's side of the socket. */
	uint32_t		 sndbuf_end;	/* seq after the last octet written */
	uint32_t		 write_end;	/* of which copied so far (linux) */
	uint64_t		 read_total;	/* octets it has read */
	uint32_t		 rcvq;		/* received, not yet read */
	bool			 fin_queued;	/* close/shutdown: send FIN after data */
	bool			 fin_sent;
	uint32_t		 fin_seq;	/* seq our FIN occupies */
	bool			 rcv_fin;	/* the peer's FIN has arrived */
	bool			 orphan;	/* close() was called: no reader */
	bool			 was_connected;
	bool			 passive;	/* came from LISTEN */
	bool			 listening;	/* a listen socket stays open */
	bool			 conn_gone;	/* LISTEN: the listener's, and the
						   connection before is over */
	bool			 accepted;
	bool			 accept_waiting;	/* accept() before a connection */
	bool			 keepalive;
	bool			 down;		/* the host has crashed */
	enum tcp_error		 error;		/* pending socket error */

	/* Retransmission (RFC 6298; Linux's estimator under "linux"). */
	vtime_t			 rto;
	int			 backoff;
	int			 retransmits;
	vtime_t			 retrans_start;	/* when the first one went */
	vtime_t			 unacked_since;	/* data out, no progress since */
	vtime_t			 srtt;		/* 0: no sample yet */
	vtime_t			 rttvar;
	vtime_t			 rtt_sent;	/* a timed segment's send time */
	uint32_t		 rtt_seq;
	bool			 rtt_timing;
	bool			 tlp_armed;	/* next expiry is a loss probe */
	bool			 reo_armed;	/* ... is RACK's reordering wait */
	bool			 zwp_armed;	/* ... is a zero-window probe */
	int			 zwp_backoff;	/* probes sent, the wait doubling */
	bool			 zwp_out;	/* the textbook's probe octet is
						   out, not yet taken */
	int			 dupacks;	/* RFC 5681 duplicate ACKs in a row */
	uint32_t		 tlp_high;	/* a probe is out up to here */
	uint32_t		 last_seq;	/* the last new segment sent: */
	uint32_t		 last_len;	/* where, how long, */
	uint8_t			 last_flags;	/* with which flags (its buffer's
						   own: not a GSO packet's PSH) */

	/* Delayed acknowledgements (Linux's machinery, linux profile). */
	bool			 ack_pending;
	bool			 ack_now;
	bool			 ack_direct;	/* ack_now that goes even while
						   the backlog is taken in:
						   data out of order, a FIN in
						   FIN_WAIT_2 */
	bool			 ack_deferred;	/* owed as the backlog is let go
						   (TCP_ACK_DEFERRED) */
	int			 quick;		/* immediate ACKs left */
	int			 pingpong;
	vtime_t			 ato;
	vtime_t			 lrcvtime;	/* last data received */
	uint32_t		 rcv_mss;

	/* Keepalive. */
	int			 probes_out;
	vtime_t			 rcv_tstamp;	/* last segment received */

	/* RFC 5961 challenge ACK rate limit (per connection, Linux's). */
	vtime_t			 last_oow_ack;

	/* Out-of-order data waiting for a hole to fill (seq, end). */
	uint32_t		 ooo[TCP_OOO_MAX][2];
	int			 nooo;
	bool			 ooo_fin;	/* a FIN waits at ooo_fin_seq */
	uint32_t		 ooo_fin_seq;

	/* SACK as a receiver (RFC 2018, Linux's): the blocks we report,
	 * the newest first; and a D-SACK (RFC 2883) for a duplicate, told
	 * in the next segment out only. */
	struct sack_block	 sacks[SEG_SACK_MAX];
	int			 nsacks;
	bool			 dsack;
	struct sack_block	 dsack_blk;

	/* SACK as a sender (linux profile): the scoreboard, RACK's clock
	 * (RFC 8985 6.1), and the recovery it drives.  sb_off: more out
	 * than the scoreboard holds; the timer alone repairs, as without
	 * SACK. */
	struct tcp_sent		 sent[TCP_SENT_MAX];
	int			 nsent;
	bool			 sb_off;
	enum tcp_ca		 ca;
	uint32_t		 high_seq;	/* recovery ends when it is acked */
	uint32_t		 ssthresh;
	uint32_t		 prior_cwnd;
	uint32_t		 prr_delivered;	/* PRR (RFC 6937) */
	uint32_t		 prr_out;
	bool			 frto;		/* F-RTO (RFC 5682) after a timeout */
	enum tcp_push		 push;
	vtime_t			 min_rtt;
	bool			 rack_set;
	bool			 rack_advanced;
	vtime_t			 rack_rtt;
	vtime_t			 rack_when;	/* the newest segment delivered: */
	uint32_t		 rack_order;	/* when it went, in what order, */
	uint32_t		 rack_pass;	/* in which pass */
	uint32_t		 xmits;		/* transmissions so far */
	/* Linux reads its clock once for all it sends in one pass (an
	 * arriving segment, a timer, tcp_write_xmit: tcp_mstamp_refresh),
	 * and between two passes on lo it moves on by more than RACK's
	 * reordering window.  synfin's clock may not move at all: the pass
	 * tells them apart. */
	uint32_t		 pass;

	/* Linux delayed-ACK flags: a short segment was seen (pushed). */
	bool			 pushed;
	bool			 pushed2;
	uint32_t		 snd_sml;	/* end of the last small segment */
	uint32_t		 pushed_seq;	/* end of the last segment with PSH */
	uint32_t		 last_seg_size;	/* a short segment's, to compare */
	uint32_t		 cwnd;		/* segments */
	int			 synack_timeouts;

	/* Linux's send queue (tcp-sendq.c): where each buffer of data
	 * not yet sent ends, the first beginning at snd_nxt, and whether
	 * it carries PSH; the MSS the write in progress began with; when
	 * data last went (tcp_wstamp_ns). */
	struct {
		uint32_t	 end;
		bool		 psh;
	}			 sq[TCP_SQ_MAX];
	int			 nsq;
	uint32_t		 write_goal;
	vtime_t			 last_xmit;

	/* A write in progress (linux profile): the writer owns the
	 * socket, and what arrives waits in its backlog until the write
	 * returns (release_sock). */
	bool			 in_write;
	bool			 read_acked;	/* a read sent an ACK: on lo the
						   peer answers before it returns */
	bool			 held;		/* ... into the backlog, a read
						   or a close holding the
						   socket */
	bool			 draining;	/* ... taking the backlog in,
						   still holding the socket */
	int			 nrxq;
	struct segment		 rxq[TCP_RXQ_MAX];
	uint32_t		 backlog_len;	/* its memory, as Linux counts it */

	struct timer		 timers[TCP_NTIMERS];
	vtime_t			 expires[TCP_NTIMERS];	/* as asked; a timer
							   wheel fires later */
	struct timer		 write_timer;	/* a large write goes on */
};

extern const char *const tcp_state_names[TCP_NSTATES];
extern const char *const tcp_timer_names[TCP_NTIMERS];
extern const char *const tcp_call_names[TCP_NCALLS];
extern const char *const tcp_error_names[TCP_NERRORS];
extern const struct tcp_cause_info tcp_causes[TCP_NCAUSES];
extern const char *const tcp_outcomes[TCP_NOUTCOMES][NLANGS];

void	 tcp_init(struct tcp *, enum side, const struct profile *,
	     struct clock *, const struct tcp_hooks *, void *);
void	 tcp_free(struct tcp *);
int	 tcp_state_parse(const char *, enum tcp_state *);
int	 tcp_call_parse(const char *, enum tcp_call *);
int	 tcp_error_parse(const char *, enum tcp_error *);
enum tcp_error	 tcp_error_from_errno(int);
int	 tcp_cause_text(char *, size_t, enum tcp_cause, int, enum lang);
int	 tcp_result_text(char *, size_t, const struct tcp_result *,
	     enum lang);
int	 tcp_text_check(void);

struct tcp_result tcp_call(struct tcp *, enum tcp_call, uint32_t);
void		 tcp_input(struct tcp *, const struct segment *,
		     const uint8_t *);
void		 tcp_release(struct tcp *);
bool		 tcp_owes_ack(const struct tcp *);
bool		 tcp_awaits_ack(const struct tcp *);
bool		 tcp_synchronized(const struct tcp *);
uint32_t	 tcp_acceptq_len(const struct tcp *);
bool		 tcp_acceptq_full(const struct tcp *);
bool		 tcp_others_arrive(struct tcp *, uint32_t);
void		 tcp_stream_bytes(enum side, uint64_t, uint8_t *, uint32_t);

#endif
