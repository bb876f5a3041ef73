/*
 * One TCP endpoint, after RFC 9293 section 3.10: user calls (3.10.1-6),
 * SEGMENT ARRIVES (3.10.7) and timeouts (3.10.8).  The linux profile
 * follows what the Linux kernel does where it departs from the text;
 * each such place says so and why.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "seq.h"
#include "tcp.h"

#define MAX_QUICKACKS	16	/* Linux TCP_MAX_QUICKACKS */
#define MSS_DEFAULT	536	/* RFC 9293 3.7.1, Linux TCP_MSS_DEFAULT */
#define MIN_MSS		88	/* Linux TCP_MIN_MSS */

const char *const tcp_state_names[TCP_NSTATES] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT",
};

const char *const tcp_timer_names[TCP_NTIMERS] = {
	"rtx", "delack", "timewait", "finwait2", "keepalive",
};

const char *const tcp_call_names[TCP_NCALLS] = {
	"listen", "accept", "connect", "send", "read", "shutdown", "close",
	"abort", "keepalive", "crash", "reboot",
};

const char *const tcp_error_names[TCP_NERRORS] = {
	"OK", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTCONN",
	"EISCONN", "EADDRNOTAVAIL", "EAGAIN", "EINVAL", "EHOSTDOWN", "EBADF",
};

const struct tcp_cause_info tcp_causes[TCP_NCAUSES] = {
	[CAUSE_NONE] = { NULL, { "", "" } },
	[CAUSE_LISTEN] = { "3.10.1", {
	    "listen(): wait for a SYN",
	    "listen()：等待 SYN" } },
	[CAUSE_CONNECT] = { "3.10.1", {
	    "connect(): send SYN",
	    "connect()：发送 SYN" } },
	[CAUSE_TW_REUSE] = { "3.10.1", {
	    "connect() reuses the ports: TIME_WAIT ends (tcp_tw_reuse)",
	    "connect() 重用这对端口：TIME_WAIT 结束（tcp_tw_reuse）" } },
	[CAUSE_CLOSE] = { "3.10.4", {
	    "close(): send FIN",
	    "close()：发送 FIN" } },
	[CAUSE_SHUTDOWN] = { "3.10.4", {
	    "shutdown(): send FIN after the data",
	    "shutdown()：数据之后发送 FIN" } },
	[CAUSE_SHUTDOWN_EARLY] = { "3.10.4", {
	    "shutdown() before the handshake: the connection attempt is "
	    "dropped",
	    "握手之前 shutdown()：放弃这次连接尝试" } },
	[CAUSE_CLOSE_EARLY] = { "3.10.4", {
	    "close() before the handshake completed",
	    "握手完成之前调用了 close()" } },
	[CAUSE_CLOSE_LISTENER] = { "3.10.4", {
	    "close() of the listening socket",
	    "关闭监听套接字" } },
	[CAUSE_CLOSE_LISTENER_HALF] = { "3.10.4", {
	    "close() of the listening socket drops the half-open connection",
	    "关闭监听套接字，半开连接随之删除" } },
	[CAUSE_CLOSE_LISTENER_RESET] = { "3.10.4", {
	    "close() of the listening socket resets the connection nobody "
	    "accepted",
	    "关闭监听套接字，重置还没有被 accept 的连接" } },
	[CAUSE_CLOSE_UNREAD] = { "3.6", {
	    "close() with unread data: RST tells the peer data was lost",
	    "还有未读数据时 close()：用 RST 告诉对方数据丢失了" } },
	[CAUSE_ABORT_EARLY] = { "3.10.5", {
	    "abort before the connection existed",
	    "连接建立之前就中止了" } },
	[CAUSE_ABORT_RST] = { "3.10.5", {
	    "abort: RST, and the connection is gone",
	    "中止：发出 RST，连接随即消失" } },
	[CAUSE_ABORT_DELETE] = { "3.10.5", {
	    "abort: the connection is deleted",
	    "中止：连接被删除" } },
	[CAUSE_CRASH] = { "3.5.1", {
	    "the host crashed: the connection is forgotten without a word",
	    "主机崩溃：连接被悄无声息地遗忘" } },
	[CAUSE_REBOOT] = { "3.5.1", {
	    "the host restarted and knows no connection",
	    "主机重启，不再记得任何连接" } },
	[CAUSE_RCV_SYN] = { "3.10.7.2", {
	    "received SYN: answer with SYN+ACK",
	    "收到 SYN：回复 SYN+ACK" } },
	[CAUSE_LISTENER_SYN] = { "3.10.7.2", {
	    "a new SYN, and the listening socket is still open",
	    "新的 SYN 到来，监听套接字仍然开着" } },
	[CAUSE_LISTENER_TAKES_SYN] = { "3.10.7.2", {
	    "the listening socket takes the new SYN",
	    "监听套接字接收新的 SYN" } },
	[CAUSE_RCV_SYNACK] = { "3.10.7.3", {
	    "received SYN+ACK: our SYN is acknowledged",
	    "收到 SYN+ACK：我们的 SYN 已被确认" } },
	[CAUSE_REFUSED] = { "3.10.7.3", {
	    "RST answered our SYN: connection refused",
	    "对方用 RST 回应我们的 SYN：连接被拒绝" } },
	[CAUSE_SIMOPEN] = { "3.10.7.3", {
	    "received SYN while our SYN is unanswered: simultaneous open",
	    "我们的 SYN 还没有回应时收到 SYN：同时打开" } },
	[CAUSE_SIMOPEN_DONE] = { "3.10.7.4", {
	    "received SYN+ACK: simultaneous open complete",
	    "收到 SYN+ACK：同时打开完成" } },
	[CAUSE_ACK_OF_SYNACK] = { "3.10.7.4", {
	    "received ACK of our SYN+ACK: handshake complete",
	    "收到对我们 SYN+ACK 的确认：握手完成" } },
	[CAUSE_ACK_OF_SYN] = { "3.10.7.4", {
	    "received ACK of our SYN: handshake complete",
	    "收到对我们 SYN 的确认：握手完成" } },
	[CAUSE_RST_HALF_OPEN] = { "3.10.7.4", {
	    "RST in SYN_RECEIVED: the half-open connection goes, the listener "
	    "stays",
	    "在 SYN_RECEIVED 收到 RST：半开连接被删除，监听套接字仍在" } },
	[CAUSE_RST_REFUSED] = { "3.10.7.4", {
	    "RST in SYN_RECEIVED: connection refused",
	    "在 SYN_RECEIVED 收到 RST：连接被拒绝" } },
	[CAUSE_RST_RESET] = { "3.10.7.4", {
	    "received RST: the connection is reset",
	    "收到 RST：连接被重置" } },
	[CAUSE_RST] = { "3.10.7.4", {
	    "received RST",
	    "收到 RST" } },
	[CAUSE_RST_TIME_WAIT] = { "3.10.7.4", {
	    "RST in TIME_WAIT ends it early (TIME-WAIT assassination, RFC "
	    "1337)",
	    "TIME_WAIT 中收到 RST 而提前结束（TIME-WAIT 暗杀，RFC 1337）" } },
	[CAUSE_SYN_RESET] = { "3.10.7.4", {
	    "SYN in a synchronized state: reset",
	    "已同步的状态下收到 SYN：重置" } },
	[CAUSE_SYN_TIME_WAIT] = { "3.10.7.4", {
	    "a new SYN ends TIME_WAIT",
	    "新的 SYN 结束了 TIME_WAIT" } },
	[CAUSE_SYN_FIN_WAIT_2] = { "3.10.7.4", {
	    "a SYN in FIN_WAIT_2 after close(): reset",
	    "close() 之后在 FIN_WAIT_2 收到 SYN：重置" } },
	[CAUSE_DATA_AFTER_CLOSE] = { "3.6", {
	    "data arrived after close(): nobody can read it, so reset",
	    "close() 之后又来了数据：没人能读，于是重置" } },
	[CAUSE_FIN_ACKED] = { "3.10.7.4", {
	    "our FIN is acknowledged",
	    "我们的 FIN 已被确认" } },
	[CAUSE_FIN_ACKED_CLOSED] = { "3.10.7.4", {
	    "our FIN is acknowledged: the connection is closed",
	    "我们的 FIN 已被确认：连接关闭" } },
	[CAUSE_RCV_FIN] = { "3.10.7.4", {
	    "received FIN",
	    "收到 FIN" } },
	[CAUSE_RCV_FIN_FIRST] = { "3.10.7.4", {
	    "received FIN: the peer has no more to send",
	    "收到 FIN：对方没有更多数据要发送" } },
	[CAUSE_RCV_FIN_ACK] = { "3.10.7.4", {
	    "received FIN+ACK: the peer acknowledged our FIN and sent its own",
	    "收到 FIN+ACK：对方确认了我们的 FIN，并发出它自己的 FIN" } },
	[CAUSE_SIMCLOSE] = { "3.10.7.4", {
	    "received FIN while ours is unacknowledged: simultaneous close",
	    "我们的 FIN 尚未被确认时收到 FIN：同时关闭" } },
	[CAUSE_2MSL] = { "3.10.8", {
	    "2MSL passed: no old duplicate can still be about",
	    "2MSL 已过：不会再有旧的重复报文段在网络中" } },
	[CAUSE_FIN_TIMEOUT] = { "3.10.8", {
	    "tcp_fin_timeout passed in FIN_WAIT_2 with nobody to read: the "
	    "connection is dropped",
	    "无人读取的 FIN_WAIT_2 超过了 tcp_fin_timeout：连接被删除" } },
	[CAUSE_SYNACK_GIVE_UP] = { "3.10.8", {
	    "SYN+ACK retries exhausted: the half-open connection is dropped "
	    "silently",
	    "SYN+ACK 重传次数用尽：半开连接被悄悄删除" } },
	[CAUSE_KEEPALIVE_DEAD] = { "3.8.4", {
	    "keepalive probes unanswered: the peer is taken to be dead",
	    "保活探测没有回应：认为对方已经失效" } },
	[CAUSE_GIVE_UP_SYN] = { "3.8.3", {
	    "SYN retransmitted %d times: the connection is given up",
	    "SYN 重传了 %d 次：放弃连接" } },
	[CAUSE_GIVE_UP_SYNACK] = { "3.8.3", {
	    "SYN+ACK retransmitted %d times: the connection is given up",
	    "SYN+ACK 重传了 %d 次：放弃连接" } },
	[CAUSE_GIVE_UP_FIN] = { "3.8.3", {
	    "FIN retransmitted %d times: the connection is given up",
	    "FIN 重传了 %d 次：放弃连接" } },
	[CAUSE_GIVE_UP_DATA] = { "3.8.3", {
	    "data retransmitted %d times: the connection is given up",
	    "数据重传了 %d 次：放弃连接" } },
	[CAUSE_KERNEL] = { NULL, {
	    "seen in the kernel",
	    "在内核中观察到" } },
};

const char *const tcp_outcomes[TCP_NOUTCOMES][NLANGS] = {
	[OUT_NONE] = { "", "" },
	[OUT_BYTES] = { "%u bytes", "%u 字节" },
	[OUT_EOF] = { "end of stream", "数据流结束" },
	[OUT_NOTHING_YET] = { "nothing yet", "还没有数据" },
	[OUT_WAITS] = { "waits for a connection", "等待连接到来" },
	[OUT_UNREAD_RESET] = { "%u unread bytes: reset",
	    "还有 %u 字节未读：重置" },
	[OUT_LISTENER_RESET] = {
	    "the listener: its unaccepted connection is reset",
	    "关闭的是监听套接字：还没有被 accept 的连接被重置" },
	[OUT_LISTENING] = { "a listening socket cannot connect",
	    "监听套接字不能发起连接" },
	[OUT_IN_TIME_WAIT] = { "these four ports are still in TIME_WAIT",
	    "这个四元组仍处于 TIME_WAIT" },
	[OUT_IN_USE] = { "these four ports are still in use (%s)",
	    "这个四元组仍在使用中（%s）" },
	[OUT_CONNECTED_ALREADY] = { "connection already exists",
	    "连接已经存在" },
	[OUT_CONNECTED] = { "the socket is connected", "套接字已经连接" },
	[OUT_NOT_LISTENING] = { "not listening", "没有在监听" },
	[OUT_GONE] = { "the connection is gone", "连接已经不存在" },
	[OUT_NOT_CONNECTED] = { "not connected", "没有连接" },
	[OUT_SHUT] = { "we have closed our side", "我们已经关闭了自己这一端" },
	[OUT_HOST_DOWN] = { "the host is down", "主机已经宕机" },
	[OUT_CLOSED_SOCKET] = { "the socket was closed", "套接字已经关闭" },
};

static void	timer_fired(struct timer *, void *);
static void	write_on(struct timer *, void *);
static void	write_step(struct tcp *);
static void	output(struct tcp *);

/* "TIME_WAIT", "time-wait" and "TIME-WAIT" all name the same state. */
int
tcp_state_parse(const char *s, enum tcp_state *out)
{
	char	 buf[16];
	size_t	 i;

	for (i = 0; s[i] != '\0' && i < sizeof buf - 1; i++)
		buf[i] = s[i] == '-' ? '_' : s[i];
	if (s[i] != '\0')
		return -1;
	buf[i] = '\0';
	for (int k = 0; k < TCP_NSTATES; k++) {
		if (strcasecmp(buf, tcp_state_names[k]) == 0) {
			*out = (enum tcp_state)k;
			return 0;
		}
	}
	return -1;
}

int
tcp_call_parse(const char *s, enum tcp_call *out)
{
	for (int k = 0; k < TCP_NCALLS; k++) {
		if (strcmp(s, tcp_call_names[k]) == 0) {
			*out = (enum tcp_call)k;
			return 0;
		}
	}
	return -1;
}

int
tcp_error_parse(const char *s, enum tcp_error *out)
{
	for (int k = 1; k < TCP_NERRORS; k++) {
		if (strcmp(s, tcp_error_names[k]) == 0) {
			*out = (enum tcp_error)k;
			return 0;
		}
	}
	return -1;
}

/* What a real system call's errno is among ours (the kernel engine). */
enum tcp_error
tcp_error_from_errno(int e)
{
	static const int errnos[TCP_NERRORS] = {
		[TE_NONE] = 0, [TE_CONNREFUSED] = ECONNREFUSED,
		[TE_CONNRESET] = ECONNRESET, [TE_TIMEDOUT] = ETIMEDOUT,
		[TE_PIPE] = EPIPE, [TE_NOTCONN] = ENOTCONN,
		[TE_ISCONN] = EISCONN, [TE_ADDRNOTAVAIL] = EADDRNOTAVAIL,
		[TE_AGAIN] = EAGAIN, [TE_INVAL] = EINVAL,
		[TE_HOSTDOWN] = EHOSTDOWN, [TE_BADF] = EBADF,
	};

	for (int k = 0; k < TCP_NERRORS; k++) {
		if (errnos[k] == e)
			return (enum tcp_error)k;
	}
	return TE_INVAL;
}

/*
 * The tables' texts are formats: the give-up causes count (%d), two
 * outcomes count octets (%u), one names a state (%s).  tcp_text_check
 * (run by the tests) makes sure both languages convert alike.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* Why a state changed, in a language: the cause's words, n filled in. */
int
tcp_cause_text(char *buf, size_t len, enum tcp_cause cause, int n,
    enum lang lang)
{
	return snprintf(buf, len, tcp_causes[cause].text[lang], n);
}

/* What a call came to: "EPIPE: the connection is gone", "100 bytes". */
int
tcp_result_text(char *buf, size_t len, const struct tcp_result *r,
    enum lang lang)
{
	const char	*what = tcp_outcomes[r->what][lang];
	char		 text[160];

	if (r->what == OUT_IN_USE)
		snprintf(text, sizeof text, what, r->n < TCP_NSTATES ?
		    tcp_state_names[r->n] : "?");
	else
		snprintf(text, sizeof text, what, r->n);
	if (r->err == TE_NONE || r->err == TE_AGAIN)
		return snprintf(buf, len, "%s", text);
	return snprintf(buf, len, "%s%s%s", tcp_error_names[r->err],
	    *text != '\0' ? ": " : "", text);
}
#pragma GCC diagnostic pop

/* The conversions of a format, "%d%s", in order. */
static void
conversions(const char *f, char *out, size_t len)
{
	size_t	 n = 0;

	for (; *f != '\0' && n + 3 < len; f++) {
		if (*f != '%' || *++f == '%')
			continue;
		out[n++] = '%';
		out[n++] = *f;
		if (*f == '\0')
			break;
	}
	out[n] = '\0';
}

/* Every cause and outcome in both languages, converting alike: 0 or -1. */
int
tcp_text_check(void)
{
	char	 a[16], b[16];

	for (int c = 0; c < TCP_NCAUSES; c++) {
		if (tcp_causes[c].text[LANG_EN] == NULL ||
		    tcp_causes[c].text[LANG_ZH] == NULL ||
		    (tcp_causes[c].rfc == NULL && c != CAUSE_NONE &&
		    c != CAUSE_KERNEL))
			return -1;
		conversions(tcp_causes[c].text[LANG_EN], a, sizeof a);
		conversions(tcp_causes[c].text[LANG_ZH], b, sizeof b);
		if (strcmp(a, b) != 0)
			return -1;
	}
	for (int o = 0; o < TCP_NOUTCOMES; o++) {
		if (tcp_outcomes[o][LANG_EN] == NULL ||
		    tcp_outcomes[o][LANG_ZH] == NULL)
			return -1;
		conversions(tcp_outcomes[o][LANG_EN], a, sizeof a);
		conversions(tcp_outcomes[o][LANG_ZH], b, sizeof b);
		if (strcmp(a, b) != 0)
			return -1;
	}
	return 0;
}

/*
 * The application's byte stream: the client writes lowercase letters,
 * the server capitals, so a capture shows whose data is whose.
 */
void
tcp_stream_bytes(enum side side, uint64_t offset, uint8_t *buf, uint32_t n)
{
	uint8_t	 base = side == SIDE_CLIENT ? 'a' : 'A';

	for (uint32_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(base + (offset + i) % 26);
}

static vtime_t
now(const struct tcp *tp)
{
	return tp->clock->now;
}

/*
 * The one place a state changes: old, new, and why (the cause table
 * says where RFC 9293 calls for it); n is the count a cause may name.
 */
static void
change_state(struct tcp *tp, enum tcp_state to, enum tcp_cause cause, int n)
{
	enum tcp_state	 from = tp->state;

	if (from == to)
		return;
	tp->state = to;
	tp->hooks->state(tp->ctx, tp, from, to, cause, n);
}

static void
set_state(struct tcp *tp, enum tcp_state to, enum tcp_cause cause)
{
	change_state(tp, to, cause, 0);
}

static void
timer_set(struct tcp *tp, enum tcp_timer k, vtime_t delay)
{
	vtime_t	 due = now(tp) + delay;

	clock_arm(tp->clock, &tp->timers[k], due);
	tp->hooks->timer(tp->ctx, tp, k, TA_ARMED, due);
}

static void
timer_stop(struct tcp *tp, enum tcp_timer k)
{
	if (!tp->timers[k].armed)
		return;
	clock_cancel(tp->clock, &tp->timers[k]);
	tp->hooks->timer(tp->ctx, tp, k, TA_CANCELLED, VT_NEVER);
}

static bool
timer_armed(const struct tcp *tp, enum tcp_timer k)
{
	return tp->timers[k].armed;
}

static void
timers_stop_all(struct tcp *tp)
{
	for (int k = 0; k < TCP_NTIMERS; k++)
		timer_stop(tp, (enum tcp_timer)k);
}

static void
notify(struct tcp *tp, enum tcp_error err)
{
	tp->error = err;
	tp->hooks->notify(tp->ctx, tp, err);
}

void
tcp_init(struct tcp *tp, enum side side, const struct profile *prof,
    struct clock *clock, const struct tcp_hooks *hooks, void *ctx)
{
	memset(tp, 0, sizeof *tp);
	tp->side = side;
	tp->state = TCPS_CLOSED;
	tp->prof = prof;
	tp->clock = clock;
	tp->hooks = hooks;
	tp->ctx = ctx;
	tp->rto = prof->rto_initial;
	for (int k = 0; k < TCP_NTIMERS; k++)
		timer_init(&tp->timers[k], timer_fired, tp, TIMER_ENDPOINT);
	timer_init(&tp->write_timer, write_on, tp, TIMER_ARRIVAL);
}

void
tcp_free(struct tcp *tp)
{
	for (int k = 0; k < TCP_NTIMERS; k++)
		clock_cancel(tp->clock, &tp->timers[k]);
	clock_cancel(tp->clock, &tp->write_timer);
}

/*
 * Forget the connection (RFC 9293: "delete the TCB").  What belongs to
 * the socket rather than the connection stays: ports, the listening
 * socket, the keepalive option, the next ISN, the clock offset.
 */
static void
tcb_clear(struct tcp *tp)
{
	struct tcp	 keep;

	timers_stop_all(tp);
	clock_cancel(tp->clock, &tp->write_timer);
	keep = *tp;
	memset(&tp->iss, 0, sizeof *tp - offsetof(struct tcp, iss));
	tp->isn_next = keep.isn_next;
	tp->ts_offset = keep.ts_offset;
	tp->listening = keep.listening;
	tp->accept_waiting = keep.accept_waiting;
	tp->keepalive = keep.keepalive;
	tp->down = keep.down;
	tp->error = keep.error;
	tp->orphan = keep.orphan;
	tp->rcv_fin = keep.rcv_fin;	/* the socket saw end of stream */
	tp->was_connected = keep.was_connected || keep.state >= TCPS_SYN_SENT;
	tp->rto = tp->prof->rto_initial;
	/* The timers are all stopped; only their wiring is kept. */
	for (int k = 0; k < TCP_NTIMERS; k++)
		timer_init(&tp->timers[k], timer_fired, tp, TIMER_ENDPOINT);
	timer_init(&tp->write_timer, write_on, tp, TIMER_ARRIVAL);
}

/* The connection is over: CLOSED, and the TCB deleted. */
static void
tcp_closed(struct tcp *tp, enum tcp_cause cause)
{
	tcb_clear(tp);
	set_state(tp, TCPS_CLOSED, cause);
}

/*
 * A passive open that failed: the half-open connection goes and the
 * listener is as before (RFC 9293 3.10.7.4: "return this connection to
 * LISTEN state").
 */
static void
back_to_listen(struct tcp *tp, enum tcp_cause cause)
{
	tcb_clear(tp);
	set_state(tp, TCPS_LISTEN, cause);
}

/*
 * Choose an ISS.  The first comes from the run's seed; each later one
 * from the one before, so a script's numbers never depend on wall time.
 */
static uint32_t
choose_iss(struct tcp *tp)
{
	uint32_t	 iss = tp->isn_next;

	tp->isn_next = iss * 1664525u + 1013904223u;
	return iss;
}

bool
tcp_synchronized(const struct tcp *tp)
{
	return tp->state >= TCPS_ESTABLISHED;
}

/*
 * The window the receive buffer allows now.  The textbook: the free
 * space.  Linux (__tcp_select_window): half the free space (unread data
 * costs about twice its size), at most the SYN's window (rcv_ssthresh),
 * rounded up to the scale unit.
 */
static uint32_t
rcv_space(const struct tcp *tp)
{
	uint32_t	 space, unit = 1u << tp->rcv_wscale;

	space = tp->prof->rcv_buf > tp->rcvq ? tp->prof->rcv_buf - tp->rcvq : 0;
	if (!tp->prof->half_free_window)
		return space;
	space /= 2;
	if (space > tp->prof->syn_win)
		space = tp->prof->syn_win;
	return (space + unit - 1) / unit * unit;
}

/* RCV.WND: what is left of the window last advertised (Linux's
 * tcp_receive_window). */
static uint32_t
recv_window(const struct tcp *tp)
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
	uint32_t	 space = rcv_space(tp), unit = 1u << tp->rcv_wscale;

	if (flags & TH_SYN) {
		/* RFC 7323 2.2: the window in a SYN is never scaled.  A
		 * simultaneous open's SYN+ACK is our SYN again. */
		space = (flags & TH_ACK) && tp->passive ?
		    tp->prof->synack_win : tp->prof->syn_win;
		tp->rcv_wnd = space;
		return (uint16_t)(space > 65535 ? 65535 : space);
	}
	if (tp->prof->never_shrink && space < recv_window(tp))
		space = (recv_window(tp) + unit - 1) / unit * unit;
	tp->rcv_wnd = space;
	space >>= tp->rcv_wscale;
	return (uint16_t)(space > 65535 ? 65535 : space);
}

/* Fill in what every segment we send carries. */
static void
fill(struct tcp *tp, struct segment *seg, uint32_t seq, uint32_t ack,
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
		seg->ts_val = tp->ts_offset + (uint32_t)(now(tp) / 1000);
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
	tp->pushed = tp->pushed2 = false;
	timer_stop(tp, TT_DELACK);
	tp->rcv_wup = tp->rcv_nxt;
}

static void
emit(struct tcp *tp, struct segment *seg, const uint8_t *payload)
{
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

static void
send_syn(struct tcp *tp)
{
	struct segment	 seg;

	fill(tp, &seg, tp->iss, 0, TH_SYN);
	syn_options(tp, &seg, false);
	emit(tp, &seg, NULL);
}

static void
send_synack(struct tcp *tp)
{
	struct segment	 seg;

	fill(tp, &seg, tp->iss, tp->rcv_nxt, TH_SYN | TH_ACK);
	syn_options(tp, &seg, true);
	emit(tp, &seg, NULL);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
static void
send_ack(struct tcp *tp)
{
	struct segment	 seg;

	fill(tp, &seg, tp->snd_nxt, tp->rcv_nxt, TH_ACK);
	emit(tp, &seg, NULL);
}

/*
 * An ACK for a segment that was not acceptable.  Linux sends at most one
 * every 500 ms for segments that carry no data (tcp_oow_rate_limited), so
 * that two confused endpoints cannot ACK each other forever; data and
 * FINs are always answered.
 */
static void
send_oow_ack(struct tcp *tp, const struct segment *in)
{
	if (tp->prof->oow_ack_gap > 0 &&
	    (segment_seqlen(in) == 0 || (in->flags & TH_SYN))) {
		if (tp->last_oow_ack != 0 &&
		    now(tp) - tp->last_oow_ack < tp->prof->oow_ack_gap)
			return;
		tp->last_oow_ack = now(tp) == 0 ? 1 : now(tp);
	}
	send_ack(tp);
}

/*
 * A reset answering a segment that has no connection to go to (RFC 9293
 * 3.10.7.1, Linux tcp_v4_send_reset): if it carried an ACK,
 * <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
static void
send_reset_for(struct tcp *tp, const struct segment *in)
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
 * <SEQ=SND.NXT><CTL=RST>.  Linux's tcp_send_active_reset also sets ACK.
 */
static void
send_active_reset(struct tcp *tp)
{
	struct segment	 seg;
	uint8_t		 flags = TH_RST;

	if (tp->prof->rst_ack_on_abort)
		flags |= TH_ACK;
	fill(tp, &seg, tp->snd_nxt, tp->rcv_nxt, flags);
	seg.win = 0;
	if (tp->prof->rst_has_window)
		seg.win = window_field(tp, flags);
	tp->hooks->output(tp->ctx, tp, &seg, NULL);
}

/*
 * The most we put in one segment: the peer's MSS less our options, and
 * never more than one UDP datagram holds.  That last limit is synfin's
 * own: Linux's loopback segments may carry 65483 octets, ours 65475.
 */
static uint32_t
send_mss(const struct tcp *tp)
{
	uint32_t	 mss = tp->peer_mss ? tp->peer_mss : MSS_DEFAULT;
	uint32_t	 opts = tp->ts_ok ? 12 : 0;

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

static uint32_t
unsent(const struct tcp *tp)
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

static void
rtx_start(struct tcp *tp)
{
	if (!timer_armed(tp, TT_RTX))
		timer_set(tp, TT_RTX, tp->rto);
}

/*
 * When a tail loss probe would go (tcp_schedule_loss_probe): two RTTs
 * and TCP_RTO_MIN for a lone segment, two ticks when more are out; never
 * later than the RTO.
 */
static vtime_t
probe_timeout(const struct tcp *tp)
{
	vtime_t	 pto;
	uint32_t out = tp->snd_max - tp->snd_una, mss = send_mss(tp);

	if (tp->srtt == 0)
		return tp->rto;
	pto = 2 * tp->srtt + (out > mss ? 2 * tp->prof->tick :
	    tp->prof->rto_min);
	pto = (pto + tp->prof->tick - 1) / tp->prof->tick * tp->prof->tick;
	return pto < tp->rto ? pto : tp->rto;
}

/*
 * Linux (RFC 8985) makes the first expiry after new data a tail loss
 * probe, once per flight, while the connection is not recovering.
 */
static void
arm_tail_probe(struct tcp *tp)
{
	if (tp->prof->tail_loss_probe && tp->sack_ok && tp->tlp_high == 0 &&
	    tp->retransmits == 0)
		tp->tlp_armed = true;
}

/* The probe: the last segment sent, again as it was; snd_nxt untouched. */
static void
send_tail_probe(struct tcp *tp)
{
	struct segment	 seg;
	static uint8_t	 payload[SEG_PAYLOAD_MAX];

	fill(tp, &seg, tp->last_seq, tp->rcv_nxt, tp->last_flags);
	seg.len = tp->last_len;
	tcp_stream_bytes(tp->side, (uint64_t)(tp->last_seq - tp->iss - 1),
	    payload, tp->last_len);
	emit(tp, &seg, payload);
}

/*
 * Send what the window allows: data in segments of at most one MSS, and
 * the FIN once all data has gone (on the last data segment if it fits).
 * Nagle's algorithm holds back a small segment while an earlier small
 * one is unacknowledged (RFC 9293 3.7.4; Linux uses Minshall's variant).
 */
static void
output(struct tcp *tp)
{
	if (!may_send_data(tp))
		return;
	for (;;) {
		struct segment	 seg;
		uint8_t		 payload_buf[1];
		uint8_t		*payload = payload_buf;
		uint32_t	 mss = send_mss(tp);
		uint32_t	 len = unsent_to(tp, tp->write_end);
		uint32_t	 inflight = tp->snd_nxt - tp->snd_una;
		uint32_t	 wnd = tp->snd_wnd, cwnd = tp->cwnd * mss;
		uint8_t		 flags = TH_ACK;
		bool		 fin = false, retrans;

		if (cwnd < wnd)
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
		    tp->fin_seq)) && len == unsent(tp))
			fin = true;		/* all of the data is in this one */
		if (len == 0 && !fin)
			return;
		if (len > 0 && len < mss && !fin) {
			bool	 small_out = tp->prof->nagle_minshall ?
			    seq_gt(tp->snd_sml, tp->snd_una) &&
			    seq_leq(tp->snd_sml, tp->snd_nxt) :
			    tp->snd_nxt != tp->snd_una;

			if (small_out && tp->snd_nxt == tp->snd_max)
				return;		/* Nagle */
		}
		/* PSH on the end of what was written, and (Linux's
		 * forced_push) once more than half a window has gone since
		 * the last one. */
		if (len > 0 && tp->prof->psh_on_data && (len == unsent(tp) ||
		    seq_gt(tp->snd_nxt + len, tp->pushed_seq +
		    tp->max_snd_wnd / 2))) {
			flags |= TH_PSH;
			tp->pushed_seq = tp->snd_nxt + len;
		}
		if (fin)
			flags |= TH_FIN;
		retrans = seq_lt(tp->snd_nxt, tp->snd_max);
		fill(tp, &seg, tp->snd_nxt, tp->rcv_nxt, flags);
		seg.len = len;
		if (len > 0) {
			static uint8_t	 big[SEG_PAYLOAD_MAX];

			payload = big;
			tcp_stream_bytes(tp->side,
			    (uint64_t)(tp->snd_nxt - tp->iss - 1), payload, len);
			if (len < mss)
				tp->snd_sml = tp->snd_nxt + len;
		}
		if (fin) {
			tp->fin_sent = true;
			tp->fin_seq = tp->snd_nxt + len;
		}
		if (!retrans) {
			tp->last_seq = tp->snd_nxt;
			tp->last_len = len;
			tp->last_flags = flags;
		}
		if (!retrans && !tp->rtt_timing) {
			tp->rtt_timing = true;
			tp->rtt_seq = tp->snd_nxt;
			tp->rtt_sent = now(tp);
		}
		tp->snd_nxt += len + fin;
		if (seq_gt(tp->snd_nxt, tp->snd_max))
			tp->snd_max = tp->snd_nxt;
		/* A reply soon after data came makes Linux treat the
		 * connection as interactive (pingpong). */
		if (len > 0 && tp->ato != 0 && now(tp) - tp->lrcvtime < tp->ato)
			tp->pingpong++;
		emit(tp, &seg, payload);
		if (!retrans)
			arm_tail_probe(tp);
		if (tp->tlp_armed)
			timer_set(tp, TT_RTX, probe_timeout(tp));
		else
			rtx_start(tp);
		if (fin)
			return;
	}
}

/*
 * A round-trip sample m.  Linux (tcp_rtt_estimator, __tcp_set_rto): the
 * variance term never falls below tcp_rto_min, so RTO = SRTT + max(...,
 * 200 ms).  RFC 6298 section 2: RTO = SRTT + max(G, 4 * RTTVAR), at
 * least 1 s.
 */
static void
rtt_sample(struct tcp *tp, vtime_t m)
{
	const struct profile	*p = tp->prof;

	if (m < 1)
		m = 1;
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
	if (p->rto_in_ticks && p->tick > 0)
		tp->rto = (tp->rto + p->tick - 1) / p->tick * p->tick;
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
static void
enter_quickack(struct tcp *tp)
{
	incr_quickack(tp);
	tp->pingpong = 0;
	tp->ato = tp->prof->ato_min;
}

static bool
in_pingpong(const struct tcp *tp)
{
	return tp->pingpong >= 1;	/* tcp_pingpong_thresh */
}

/*
 * In-order data arrived (Linux tcp_event_data_recv and
 * tcp_measure_rcv_mss): learn the sender's segment size and the gap
 * between arrivals, which set how long an ACK may wait.
 */
static void
data_received(struct tcp *tp, const struct segment *seg)
{
	vtime_t		 m;
	uint32_t	 len = seg->len;

	tp->ack_pending = true;
	if (len >= tp->rcv_mss) {
		tp->rcv_mss = len < tp->prof->mss ? len : tp->prof->mss;
		if (len == tp->rcv_mss && (seg->flags & TH_PSH))
			tp->pushed = true;
	} else {
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
		m = now(tp) - tp->lrcvtime;
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
	tp->lrcvtime = now(tp);
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

		if (in_pingpong(tp) || tp->pushed)
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
	if (ato < p->tick)
		ato = p->tick;
	due = now(tp) + ato;
	if (timer_armed(tp, TT_DELACK)) {
		/* About to go anyway: send it now. */
		if (tp->timers[TT_DELACK].when <= now(tp) + ato / 4) {
			send_ack(tp);
			return;
		}
		if (due >= tp->timers[TT_DELACK].when)
			return;
	}
	timer_set(tp, TT_DELACK, due - now(tp));
}

/*
 * After a segment has been processed: send the ACK it earned, now or
 * later.  The textbook ACKs at once.  Linux (__tcp_ack_snd_check) ACKs at
 * once after more than one full segment, in quick-ACK mode, or when told
 * to; otherwise it waits, hoping to ride on data or a FIN.
 */
static void
ack_check(struct tcp *tp)
{
	if (!tp->ack_pending)
		return;
	/* More than a full segment unacknowledged, and the window would
	 * not shrink: an ACK now opens it for the sender. */
	if (!tp->prof->delayed_ack || tp->ack_now ||
	    (tp->rcv_nxt - tp->rcv_wup > tp->rcv_mss &&
	    (tp->rcvq == 0 || rcv_space(tp) >= tp->rcv_wnd)) ||
	    (tp->quick > 0 && !in_pingpong(tp))) {
		send_ack(tp);
		return;
	}
	delay_ack(tp);
}

/* An ACK is owed and must go at once (out of order, duplicate, FIN). */
static void
ack_soon(struct tcp *tp)
{
	tp->ack_pending = true;
	tp->ack_now = true;
}

bool
tcp_owes_ack(const struct tcp *tp)
{
	return tp->ack_pending;
}

/* Something sent is not yet acknowledged and the timer watches it. */
bool
tcp_awaits_ack(const struct tcp *tp)
{
	return timer_armed(tp, TT_RTX);
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

	limit = syn ? p->syn_retries : tp->orphan ? p->orphan_retries :
	    p->retries2;
	if (!p->give_up_by_time)
		return tp->retransmits >= limit;
	if (tp->state == TCPS_SYN_SENT &&
	    tp->retransmits >= limit + p->syn_linear)
		return true;
	if (tp->retransmits == 0 && !syn)
		return false;
	return now(tp) - tp->retrans_start >= model_timeout(tp, limit,
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
		back_to_listen(tp, CAUSE_SYNACK_GIVE_UP);
		return;
	}
	tp->synack_timeouts++;
	tp->retransmits++;
	tp->rtt_timing = false;
	send_synack(tp);
	timer_set(tp, TT_RTX, tp->prof->synack_timeout << tp->synack_timeouts);
}

/* RETRANSMISSION TIMEOUT (RFC 9293 3.10.8, RFC 6298 5.4-5.6). */
static void
rtx_timeout(struct tcp *tp)
{
	if (tp->state == TCPS_SYN_RECEIVED && tp->passive) {
		synack_timeout(tp);
		return;
	}
	if (retries_exhausted(tp)) {
		enum tcp_cause	 why = give_up_cause(tp);
		int		 tries = tp->retransmits;

		notify(tp, TE_TIMEDOUT);
		/* Linux says nothing to the peer (tcp_write_err). */
		tcb_clear(tp);
		change_state(tp, TCPS_CLOSED, why, tries);
		return;
	}
	if (tp->tlp_armed) {
		/* The first expiry after new data is a tail loss probe:
		 * the last segment again, no backoff, a full RTO more. */
		tp->tlp_armed = false;
		tp->tlp_high = tp->snd_max;
		send_tail_probe(tp);
		timer_set(tp, TT_RTX, tp->rto);
		return;
	}
	if (tp->retransmits == 0 && tp->state != TCPS_SYN_SENT)
		tp->retrans_start = now(tp);
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
		send_syn(tp);
		break;
	case TCPS_SYN_RECEIVED:
		send_synack(tp);
		break;
	default:
		/* Go back to the oldest unacknowledged octet, with a
		 * congestion window of one segment (RFC 5681 3.1). */
		tp->snd_nxt = tp->snd_una;
		tp->cwnd = 1;
		output(tp);
		break;
	}
	timer_set(tp, TT_RTX, tp->rto);
}

/* Linux tcp_delack_timer_handler. */
static void
delack_timeout(struct tcp *tp)
{
	if (!tp->ack_pending)
		return;
	if (!in_pingpong(tp)) {
		/* The ACK was late: let it wait longer next time. */
		tp->ato = tp->ato * 2 > tp->rto ? tp->rto : tp->ato * 2;
	} else {
		/* No reply came to ride on: not interactive after all. */
		tp->pingpong = 0;
		tp->ato = tp->prof->ato_min;
	}
	send_ack(tp);
}

static vtime_t
time_wait_len(const struct tcp *tp)
{
	return 2 * tp->prof->msl;
}

static void
enter_time_wait(struct tcp *tp, enum tcp_cause cause)
{
	for (int k = 0; k < TCP_NTIMERS; k++) {
		if (k != TT_DELACK)
			timer_stop(tp, (enum tcp_timer)k);
	}
	set_state(tp, TCPS_TIME_WAIT, cause);
	timer_set(tp, TT_TIMEWAIT, time_wait_len(tp));
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
	vtime_t			 idle = now(tp) - tp->rcv_tstamp;
	struct segment		 seg;

	if (!tp->keepalive || !tcp_synchronized(tp) ||
	    tp->state == TCPS_TIME_WAIT)
		return;
	/* Data in flight: the retransmission timer watches the peer. */
	if (tp->snd_una != tp->snd_max || unsent(tp) > 0) {
		timer_set(tp, TT_KEEPALIVE, p->keepalive_idle);
		return;
	}
	if (idle < p->keepalive_idle) {
		timer_set(tp, TT_KEEPALIVE, p->keepalive_idle - idle);
		return;
	}
	if (tp->probes_out >= p->keepalive_probes) {
		if (p->keepalive_rst)
			send_active_reset(tp);
		notify(tp, TE_TIMEDOUT);
		tcp_closed(tp, CAUSE_KEEPALIVE_DEAD);
		return;
	}
	fill(tp, &seg, tp->snd_una - 1, tp->rcv_nxt, TH_ACK);
	emit(tp, &seg, NULL);
	tp->probes_out++;
	timer_set(tp, TT_KEEPALIVE, p->keepalive_intvl);
}

static void
timer_fired(struct timer *t, void *arg)
{
	struct tcp	*tp = arg;
	enum tcp_timer	 k = (enum tcp_timer)(t - tp->timers);

	tp->hooks->timer(tp->ctx, tp, k, TA_FIRED, now(tp));
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

/* A new connection's send side, for an active or passive open. */
static void
new_tcb(struct tcp *tp, bool passive)
{
	uint32_t	 queued = tp->sndbuf_end - tp->iss - 1;

	if (tp->state == TCPS_CLOSED || tp->state == TCPS_LISTEN)
		queued = 0;
	tp->iss = choose_iss(tp);
	tp->snd_una = tp->iss;
	tp->snd_nxt = tp->iss + 1;
	tp->snd_max = tp->snd_nxt;
	tp->sndbuf_end = tp->iss + 1 + queued;
	tp->write_end = tp->sndbuf_end;
	tp->snd_sml = tp->iss;
	tp->pushed_seq = tp->iss + 1;
	tp->cwnd = tp->prof->iw_segments;
	tp->passive = passive;
	tp->orphan = false;
	tp->rcv_fin = false;
	tp->accepted = false;
	tp->rto = tp->prof->rto_initial;
	tp->rtt_timing = true;
	tp->rtt_seq = tp->iss;
	tp->rtt_sent = now(tp);
}

static bool
fin_acked(const struct tcp *tp)
{
	return tp->fin_sent && seq_gt(tp->snd_una, tp->fin_seq);
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
	tp->lrcvtime = now(tp);
	tp->rcv_tstamp = now(tp);
	tp->retransmits = 0;
	tp->backoff = 0;
	set_state(tp, TCPS_ESTABLISHED, cause);
	if (tp->passive && tp->accept_waiting) {
		tp->accepted = true;
		tp->accept_waiting = false;
	}
	if (tp->keepalive)
		timer_set(tp, TT_KEEPALIVE, tp->prof->keepalive_idle);
}

/*
 * An ACK covering new data, SYN or FIN: measure, advance, and restart or
 * stop the retransmission timer (RFC 6298 5.2, 5.3).
 */
static void
acked(struct tcp *tp, const struct segment *seg)
{
	bool	 retransmitted = tp->retransmits > 0;

	if (tp->rtt_timing && seq_gt(seg->ack, tp->rtt_seq)) {
		rtt_sample(tp, now(tp) - tp->rtt_sent);
		tp->rtt_timing = false;
	} else if (retransmitted && tp->ts_ok && seg->has_ts &&
	    seg->ts_ecr != 0) {
		/* Linux times a retransmitted segment by the timestamp
		 * it echoes, to the millisecond. */
		vtime_t	 m = now(tp) - (vtime_t)(uint32_t)(seg->ts_ecr -
		    tp->ts_offset) * 1000;

		rtt_sample(tp, m < VT_MS(1) ? VT_MS(1) : m);
	} else if (retransmitted && tp->srtt == 0 &&
	    tp->prof->rto_3s_after_syn_loss &&
	    tp->state <= TCPS_SYN_RECEIVED) {
		/* RFC 6298 5.7: a SYN was lost and nothing was measured. */
		tp->rto = VT_SEC(3);
	} else if (tp->backoff > 0 && tp->srtt != 0) {
		/* A new ACK ends the backoff (RFC 6298 5.7, Linux). */
		rtt_sample(tp, tp->srtt);
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
		timer_stop(tp, TT_RTX);
	else {
		if (tcp_synchronized(tp))
			arm_tail_probe(tp);
		timer_set(tp, TT_RTX, tp->tlp_armed ? probe_timeout(tp) :
		    tp->rto);
	}
}

/* RFC 9293 3.10.7.4, Table 6: is any of the segment inside our window? */
static bool
acceptable(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 len = segment_seqlen(seg);
	uint32_t	 wnd = recv_window(tp);

	if (len == 0) {
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
			back_to_listen(tp, CAUSE_RST_HALF_OPEN);
			return;
		}
		notify(tp, TE_CONNREFUSED);
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
			notify(tp, err);
		tcp_closed(tp, CAUSE_RST_RESET);
		return;
	default:
		tcp_closed(tp, CAUSE_RST);
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
			tp->rcvq += e - tp->rcv_nxt;
			tp->rcv_nxt = e;
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
		set_state(tp, TCPS_CLOSE_WAIT, CAUSE_RCV_FIN_FIRST);
		/* Linux tcp_fin: treat the connection as interactive, so
		 * the ACK waits in case our own FIN follows soon. */
		if (tp->prof->fin_delays_ack)
			tp->pingpong = 1;
		break;
	case TCPS_FIN_WAIT_1:
		tp->ack_now = true;
		if (fin_acked(tp))
			enter_time_wait(tp, CAUSE_RCV_FIN_ACK);
		else
			set_state(tp, TCPS_CLOSING, CAUSE_SIMCLOSE);
		break;
	case TCPS_FIN_WAIT_2:
		tp->ack_now = true;
		enter_time_wait(tp, CAUSE_RCV_FIN);
		break;
	case TCPS_TIME_WAIT:
		tp->ack_now = true;
		timer_set(tp, TT_TIMEWAIT, time_wait_len(tp));
		break;
	default:
		break;
	}
}

/* Our close() cannot take data any more: Linux answers it with a RST. */
static bool
data_after_close(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 end = seg->seq + seg->len;

	if (!tp->orphan || !tp->prof->rst_on_data_after_close ||
	    seg->len == 0 || !seq_gt(end, tp->rcv_nxt))
		return false;
	send_reset_for(tp, seg);
	tcp_closed(tp, CAUSE_DATA_AFTER_CLOSE);
	return true;
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
	if (seq_gt(seq, tp->rcv_nxt)) {
		/* Out of order: keep it, and say at once what we lack. */
		if (len > 0)
			ooo_add(tp, seq, seq + len);
		if (fin) {
			tp->ooo_fin = true;
			tp->ooo_fin_seq = seq + len;
		}
		ack_soon(tp);
		return;
	}
	if (seq_lt(seq, tp->rcv_nxt)) {
		uint32_t	 old = tp->rcv_nxt - seq;

		if (old >= len + fin) {
			/* All seen before: a retransmission.  ACK at once
			 * (Linux leaves pingpong mode for it). */
			if (tp->prof->dupack_quickack)
				enter_quickack(tp);
			ack_soon(tp);
			return;
		}
		if (old > len)
			old = len;
		seq += old;
		len -= old;
	}
	waiting = tp->nooo > 0 || tp->ooo_fin;
	if (len > 0) {
		tp->rcv_nxt += len;
		tp->rcvq += len;
		if (tp->prof->delayed_ack) {
			struct segment	 s = *seg;

			s.len = len;
			data_received(tp, &s);
		} else
			tp->ack_pending = true;
		ooo_drain(tp);
	}
	if (fin && seq + len == tp->rcv_nxt)
		fin_received(tp);
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
		write_step(tp);		/* a blocked write goes on */
	else
		output(tp);
	ack_check(tp);
}

/* 3.10.7.1: no connection.  Linux's listener, still open, takes a SYN. */
static void	input_listen(struct tcp *, const struct segment *);

static void
input_closed(struct tcp *tp, const struct segment *seg)
{
	if (tp->listening && tp->prof->listener_stays &&
	    (seg->flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN) {
		set_state(tp, TCPS_LISTEN, CAUSE_LISTENER_SYN);
		input_listen(tp, seg);
		return;
	}
	send_reset_for(tp, seg);
}

/* 3.10.7.2 */
static void
input_listen(struct tcp *tp, const struct segment *seg)
{
	if (seg->flags & TH_RST)
		return;
	if (seg->flags & TH_ACK) {
		send_reset_for(tp, seg);
		return;
	}
	if (!(seg->flags & TH_SYN))
		return;
	if (tp->prof->drop_syn_fin && (seg->flags & TH_FIN))
		return;
	learn_syn(tp, seg);
	new_tcb(tp, true);
	tp->synack_timeouts = 0;
	set_state(tp, TCPS_SYN_RECEIVED, CAUSE_RCV_SYN);
	send_synack(tp);
	timer_set(tp, TT_RTX, tp->prof->listener_stays ?
	    tp->prof->synack_timeout : tp->rto);
}

/* 3.10.7.3 */
static void
input_syn_sent(struct tcp *tp, const struct segment *seg)
{
	bool	 ack_ok = false;

	if (seg->flags & TH_ACK) {
		if (seq_leq(seg->ack, tp->iss) || seq_gt(seg->ack, tp->snd_nxt)) {
			send_reset_for(tp, seg);
			/* Linux: the peer is confused, try our SYN again
			 * soon (TCP_TIMEOUT_MIN), once. */
			if (tp->prof->syn_retry_on_bad_ack &&
			    tp->retransmits == 0)
				timer_set(tp, TT_RTX, 2 * tp->prof->tick);
			return;
		}
		ack_ok = true;
	}
	if (seg->flags & TH_RST) {
		if (ack_ok) {
			notify(tp, TE_CONNREFUSED);
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
	set_state(tp, TCPS_SYN_RECEIVED, CAUSE_SIMOPEN);
	send_synack(tp);
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
		    now(tp) - tp->last_oow_ack >= tp->prof->oow_ack_gap) {
			tp->last_oow_ack = now(tp) ? now(tp) : 1;
			tp->retransmits++;
			tp->rtt_timing = false;
			send_synack(tp);
			timer_set(tp, TT_RTX, tp->prof->synack_timeout <<
			    tp->synack_timeouts);
		}
		return;
	}
	/* An ACK of something else: the listener answers with a RST. */
	if ((fl & TH_ACK) && seg->ack != tp->iss + 1) {
		send_reset_for(tp, seg);
		return;
	}
	in_window = seg->seq == tp->rcv_nxt ||
	    (seq_gt(end, tp->rcv_nxt) &&
	    seq_lt(seg->seq, tp->rcv_nxt + tp->prof->synack_win)) ||
	    (seg->seq == tp->rcv_nxt + tp->prof->synack_win && seg->seq == end);
	if (!in_window) {
		if (!(fl & TH_RST))
			send_oow_ack(tp, seg);
		return;
	}
	if (fl & (TH_RST | TH_SYN)) {
		if (!(fl & TH_RST))
			send_reset_for(tp, seg);
		reset_by_peer(tp);
		return;
	}
	if (!(fl & TH_ACK))
		return;
	acked(tp, seg);
	established(tp, seg, CAUSE_ACK_OF_SYNACK);
	text_and_fin(tp, seg);
	after_input(tp);
}

/* Linux tcp_timewait_state_process, for a socket in TIME_WAIT. */
static void
input_time_wait_linux(struct tcp *tp, const struct segment *seg)
{
	uint32_t	 len = segment_seqlen(seg);
	uint8_t		 fl = seg->flags;

	if (seg->seq == tp->rcv_nxt && (len == 0 || (fl & TH_RST))) {
		if (fl & TH_RST) {
			/* tcp_rfc1337 is 0: a RST ends TIME_WAIT early. */
			tcp_closed(tp, CAUSE_RST_TIME_WAIT);
			return;
		}
		timer_set(tp, TT_TIMEWAIT, time_wait_len(tp));
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
		set_state(tp, TCPS_LISTEN, CAUSE_LISTENER_TAKES_SYN);
		input_listen(tp, seg);
		return;
	}
	if (fl & TH_RST)
		return;
	/* Anything else, a retransmitted FIN above all: ACK it, and
	 * start 2MSL again. */
	if (fl & TH_ACK)
		timer_set(tp, TT_TIMEWAIT, time_wait_len(tp));
	send_oow_ack(tp, seg);
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
	uint8_t		 fl = seg->flags;
	bool		 in_window;

	in_window = seg->seq == tp->rcv_nxt ||
	    (seq_gt(end, tp->rcv_nxt) &&
	    seq_lt(seg->seq, tp->rcv_nxt + tp->rcv_wnd));
	if (!in_window) {
		send_oow_ack(tp, seg);
		return;
	}
	if (fl & TH_RST) {
		tcp_closed(tp, CAUSE_RST);
		return;
	}
	if ((fl & TH_SYN) && seq_geq(seg->seq, tp->rcv_nxt)) {
		send_reset_for(tp, seg);
		tcp_closed(tp, CAUSE_SYN_FIN_WAIT_2);
		return;
	}
	if (!(fl & TH_ACK) || !seq_gt(end, tp->rcv_nxt) || end == seg->seq)
		return;			/* a duplicate ACK */
	if (!(fl & TH_FIN) || end != tp->rcv_nxt + 1) {
		send_reset_for(tp, seg);
		tcp_closed(tp, CAUSE_DATA_AFTER_CLOSE);
		return;
	}
	tp->rcv_nxt = end;
	tp->rcv_fin = true;
	enter_time_wait(tp, CAUSE_RCV_FIN);
	send_ack(tp);
}

/* 3.10.7.4: SYN_RECEIVED and every synchronized state. */
static void
input_sync(struct tcp *tp, const struct segment *seg)
{
	uint8_t		 fl = seg->flags;
	uint32_t	 wnd;

	/* TIME_WAIT: the peer's FIN again, because our ACK was lost.
	 * ACK it and restart 2MSL (fifth step, TIME-WAIT STATE). */
	if (tp->state == TCPS_TIME_WAIT && (fl & TH_FIN) && !(fl & TH_RST) &&
	    seg->seq + segment_seqlen(seg) == tp->rcv_nxt) {
		timer_set(tp, TT_TIMEWAIT, time_wait_len(tp));
		send_ack(tp);
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
		enter_quickack(tp);
		ack_soon(tp);
		after_input(tp);
		return;
	}

	/* First, check the sequence number. */
	if (!acceptable(tp, seg)) {
		if (fl & TH_RST)
			return;
		if (tp->prof->dupack_quickack && seg->len > 0)
			enter_quickack(tp);
		send_oow_ack(tp, seg);
		return;
	}
	tp->rcv_tstamp = now(tp);
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
			send_oow_ack(tp, seg);	/* challenge ACK */
		return;
	}

	/* Fourth, the SYN bit. */
	if (fl & TH_SYN) {
		if (tp->state == TCPS_SYN_RECEIVED && tp->passive) {
			reset_by_peer(tp);
			return;
		}
		if (tp->prof->challenge_ack_syn) {
			send_oow_ack(tp, seg);	/* RFC 5961 section 4 */
			return;
		}
		send_active_reset(tp);
		notify(tp, TE_CONNRESET);
		tcp_closed(tp, CAUSE_SYN_RESET);
		return;
	}

	/* Fifth, the ACK field. */
	if (!(fl & TH_ACK))
		return;
	if (tp->state == TCPS_SYN_RECEIVED) {
		if (!seq_gt(seg->ack, tp->snd_una) ||
		    seq_gt(seg->ack, tp->snd_max)) {
			send_reset_for(tp, seg);
			return;
		}
		acked(tp, seg);
		established(tp, seg, CAUSE_ACK_OF_SYN);
	} else {
		/* RFC 5961 section 5: acceptable only within
		 * SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT. */
		if (seq_gt(seg->ack, tp->snd_max) ||
		    seq_lt(seg->ack, tp->snd_una - tp->max_snd_wnd)) {
			send_oow_ack(tp, seg);
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
	switch (tp->state) {
	case TCPS_FIN_WAIT_1:
		/* A FIN that also acknowledges ours takes the diagram's
		 * edge straight to TIME_WAIT (in the eighth step); nobody
		 * could ever see the FIN_WAIT_2 in between. */
		if (!fin_acked(tp) || ((fl & TH_FIN) && seg->seq == tp->rcv_nxt))
			break;
		set_state(tp, TCPS_FIN_WAIT_2, CAUSE_FIN_ACKED);
		/* Linux: an orphan waits tcp_fin_timeout for the FIN. */
		if (tp->orphan && tp->prof->fin_timeout > 0 &&
		    !(fl & TH_FIN))
			timer_set(tp, TT_FINWAIT2, tp->prof->fin_timeout);
		break;
	case TCPS_CLOSING:
		if (fin_acked(tp))
			enter_time_wait(tp, CAUSE_FIN_ACKED);
		return;
	case TCPS_LAST_ACK:
		if (fin_acked(tp))
			tcp_closed(tp, CAUSE_FIN_ACKED_CLOSED);
		return;
	default:
		break;
	}

	text_and_fin(tp, seg);
	after_input(tp);
}

/* SEGMENT ARRIVES (RFC 9293 3.10.7). */
void
tcp_input(struct tcp *tp, const struct segment *seg, const uint8_t *payload)
{
	(void)payload;
	if (tp->down)
		return;
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
		if (tp->prof->timewait_socks)
			input_time_wait_linux(tp, seg);
		else
			input_sync(tp, seg);
		break;
	case TCPS_FIN_WAIT_2:
		if (tp->prof->timewait_socks && tp->orphan &&
		    timer_armed(tp, TT_FINWAIT2))
			input_fin_wait_2_orphan(tp, seg);
		else
			input_sync(tp, seg);
		break;
	default:
		input_sync(tp, seg);
		break;
	}
}

static struct tcp_result
result(enum tcp_error err, enum tcp_outcome what, uint32_t n)
{
	struct tcp_result	 r = { err, what, n };

	return r;
}

/* OPEN, active (3.10.1): connect(). */
static struct tcp_result
user_connect(struct tcp *tp)
{
	switch (tp->state) {
	case TCPS_CLOSED:
		break;
	case TCPS_LISTEN:
		if (tp->prof->listen_cannot_connect)
			return result(TE_ISCONN, OUT_LISTENING, 0);
		break;		/* RFC: a passive open turns active */
	case TCPS_TIME_WAIT:
		if (tp->prof->tw_reuse > 0 && tp->ts_ok &&
		    now(tp) - tp->rcv_tstamp >= tp->prof->tw_reuse) {
			/* tcp_tw_reuse (2: loopback): with timestamps the
			 * old duplicates can be told apart after 1 s. */
			uint32_t	 isn = tp->snd_nxt + 65535 + 2;

			tcp_closed(tp, CAUSE_TW_REUSE);
			tp->isn_next = isn;
			break;
		}
		return result(TE_ADDRNOTAVAIL, OUT_IN_TIME_WAIT, 0);
	default:
		if (tp->orphan) {
			/* A new socket, but the old connection on these four
			 * ports lives on after close(). */
			return result(TE_ADDRNOTAVAIL, OUT_IN_USE, tp->state);
		}
		return result(TE_ISCONN, OUT_CONNECTED_ALREADY, 0);
	}
	tp->error = TE_NONE;
	tp->orphan = false;
	new_tcb(tp, false);
	tp->retrans_start = now(tp);
	set_state(tp, TCPS_SYN_SENT, CAUSE_CONNECT);
	send_syn(tp);
	timer_set(tp, TT_RTX, tp->rto);
	return result(TE_NONE, OUT_NONE, 0);
}

/* OPEN, passive (3.10.1): listen(). */
static struct tcp_result
user_listen(struct tcp *tp)
{
	if (tp->state == TCPS_LISTEN)
		return result(TE_NONE, OUT_NONE, 0);
	if (tp->state != TCPS_CLOSED)
		return result(TE_INVAL, OUT_CONNECTED, 0);
	tp->listening = true;
	tp->error = TE_NONE;
	tp->orphan = false;
	set_state(tp, TCPS_LISTEN, CAUSE_LISTEN);
	return result(TE_NONE, OUT_NONE, 0);
}

/*
 * accept(): the application takes the connection once its handshake is
 * complete.  Calls never block in a script, so an accept made early
 * simply waits for that moment.
 */
static struct tcp_result
user_accept(struct tcp *tp)
{
	if (!tp->listening && !tp->passive)
		return result(TE_INVAL, OUT_NOT_LISTENING, 0);
	if (tcp_synchronized(tp) && tp->passive) {
		tp->accepted = true;
		return result(TE_NONE, OUT_NONE, 0);
	}
	tp->accept_waiting = true;
	return result(TE_NONE, OUT_WAITS, 0);
}

/* SEND (3.10.2). */
static struct tcp_result
user_send(struct tcp *tp, uint32_t n)
{
	switch (tp->state) {
	case TCPS_SYN_SENT:
	case TCPS_SYN_RECEIVED:
		/* Queued until the connection is established. */
		tp->sndbuf_end += n;
		tp->write_end = tp->sndbuf_end;
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_ESTABLISHED:
	case TCPS_CLOSE_WAIT:
		if (tp->fin_queued)
			break;
		tp->sndbuf_end += n;
		write_step(tp);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_CLOSED:
	case TCPS_LISTEN:
		if (tp->error != TE_NONE) {
			enum tcp_error	 e = tp->error;

			tp->error = TE_NONE;
			return result(e, OUT_NONE, 0);
		}
		if (tp->state == TCPS_CLOSED && tp->was_connected)
			return result(TE_PIPE, OUT_GONE, 0);
		return result(TE_NOTCONN, OUT_NOT_CONNECTED, 0);
	default:
		break;
	}
	return result(TE_PIPE, OUT_SHUT, 0);
}

/*
 * When the application reads, Linux may send the ACK it was holding
 * (tcp_cleanup_rbuf): after more than a segment, or after a short pushed
 * segment on a connection that is not interactive.
 */
static void
read_ack_check(struct tcp *tp, uint32_t copied)
{
	if (!tp->prof->delayed_ack || !tp->ack_pending)
		return;
	if (tp->rcv_nxt - tp->rcv_wup > tp->rcv_mss ||
	    (copied > 0 && (tp->pushed2 || (tp->pushed && !in_pingpong(tp))) &&
	    tp->rcvq == 0))
		send_ack(tp);
}

/* RECEIVE (3.10.3): read() everything waiting, or at most n octets. */
static struct tcp_result
user_read(struct tcp *tp, uint32_t n)
{
	uint32_t	 k;

	if (tp->rcvq > 0) {
		k = n == 0 || n > tp->rcvq ? tp->rcvq : n;
		tp->rcvq -= k;
		tp->read_total += k;
		read_ack_check(tp, k);
		return result(TE_NONE, OUT_BYTES, k);
	}
	/* Linux tcp_recvmsg: once the FIN came, read() says end of stream
	 * even if a reset followed; else a pending error, once; after
	 * that a dead connection reads as ended too. */
	if (tp->rcv_fin)
		return result(TE_NONE, OUT_EOF, 0);
	if (tp->error != TE_NONE) {
		enum tcp_error	 e = tp->error;

		tp->error = TE_NONE;
		return result(e, OUT_NONE, 0);
	}
	if (tp->state == TCPS_CLOSED && tp->was_connected)
		return result(TE_NONE, OUT_EOF, 0);
	if (tp->state == TCPS_CLOSED || tp->state == TCPS_LISTEN)
		return result(TE_NOTCONN, OUT_NOT_CONNECTED, 0);
	return result(TE_AGAIN, OUT_NOTHING_YET, 0);
}

/*
 * Hand written data to output().  Linux's sendmsg pushes each segment as
 * soon as it has copied it, and on loopback the peer answers before the
 * next one is made: so a write larger than a segment goes out a segment
 * at a time, each after what arrives at this instant.  The textbook
 * writes all at once.
 */
static void
write_step(struct tcp *tp)
{
	uint32_t	 next = tp->snd_nxt + send_mss(tp), sent = tp->snd_nxt;

	if (!tp->prof->write_per_segment || !tcp_synchronized(tp) ||
	    seq_geq(next, tp->sndbuf_end))
		tp->write_end = tp->sndbuf_end;
	else if (seq_gt(next, tp->write_end))
		tp->write_end = next;
	output(tp);
	/* With the window full the writer blocks; an ACK resumes it. */
	if (tp->write_end != tp->sndbuf_end && tp->snd_nxt != sent &&
	    !tp->write_timer.armed)
		clock_arm(tp->clock, &tp->write_timer, now(tp));
}

static void
write_on(struct timer *t, void *arg)
{
	struct tcp	*tp = arg;

	(void)t;
	if (!may_send_data(tp)) {
		tp->write_end = tp->sndbuf_end;
		return;
	}
	write_step(tp);
}

/* Queue our FIN behind the data (close or shutdown) and send it. */
static void
queue_fin(struct tcp *tp, enum tcp_state to, enum tcp_cause cause)
{
	tp->fin_queued = true;
	set_state(tp, to, cause);
	output(tp);
}

/* shutdown(SHUT_WR): no more data from us; we can still receive. */
static struct tcp_result
user_shutdown(struct tcp *tp)
{
	switch (tp->state) {
	case TCPS_CLOSED:
		return result(TE_NOTCONN, OUT_NOT_CONNECTED, 0);
	case TCPS_LISTEN:
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_SYN_SENT:
		tcp_closed(tp, CAUSE_SHUTDOWN_EARLY);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		queue_fin(tp, TCPS_FIN_WAIT_1, CAUSE_SHUTDOWN);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_CLOSE_WAIT:
		queue_fin(tp, TCPS_LAST_ACK, CAUSE_SHUTDOWN);
		return result(TE_NONE, OUT_NONE, 0);
	default:
		return result(TE_NONE, OUT_NONE, 0);
	}
}

/* The socket is given up; what does the connection do?  (3.10.4) */
static struct tcp_result
user_close(struct tcp *tp)
{
	const struct profile	*p = tp->prof;

	if (p->close_orphans)
		tp->orphan = true;
	if (p->rst_on_unread_close && tp->rcvq > 0 &&
	    tp->state >= TCPS_SYN_RECEIVED && tp->state != TCPS_TIME_WAIT) {
		uint32_t	 unread = tp->rcvq;

		send_active_reset(tp);
		tcp_closed(tp, CAUSE_CLOSE_UNREAD);
		return result(TE_NONE, OUT_UNREAD_RESET, unread);
	}
	/*
	 * Linux keeps the listening socket apart from its connections: a
	 * program that never accepted holds only the listener, and closing
	 * it resets a connection waiting to be accepted (inet_csk_listen_
	 * stop) and drops a half-open one.
	 */
	if (p->listener_stays && tp->passive && !tp->accepted &&
	    tp->state >= TCPS_SYN_RECEIVED) {
		tp->listening = false;
		if (tp->state == TCPS_SYN_RECEIVED) {
			tcp_closed(tp, CAUSE_CLOSE_LISTENER_HALF);
			return result(TE_NONE, OUT_NONE, 0);
		}
		if (tp->state == TCPS_ESTABLISHED ||
		    tp->state == TCPS_CLOSE_WAIT)
			send_active_reset(tp);
		tcp_closed(tp, CAUSE_CLOSE_LISTENER_RESET);
		return result(TE_NONE, OUT_LISTENER_RESET, 0);
	}
	switch (tp->state) {
	case TCPS_CLOSED:
		tp->listening = false;
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_LISTEN:
		tp->listening = false;
		tcp_closed(tp, CAUSE_CLOSE_LISTENER);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_SYN_SENT:
		tcp_closed(tp, CAUSE_CLOSE_EARLY);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_SYN_RECEIVED:
		queue_fin(tp, TCPS_FIN_WAIT_1, CAUSE_CLOSE);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_ESTABLISHED:
		queue_fin(tp, TCPS_FIN_WAIT_1, CAUSE_CLOSE);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_CLOSE_WAIT:
		queue_fin(tp, TCPS_LAST_ACK, CAUSE_CLOSE);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_FIN_WAIT_2:
		if (tp->orphan && p->fin_timeout > 0)
			timer_set(tp, TT_FINWAIT2, p->fin_timeout);
		return result(TE_NONE, OUT_NONE, 0);
	default:
		return result(TE_NONE, OUT_NONE, 0);
	}
}

/* ABORT (3.10.5): SO_LINGER with a zero timeout, then close(). */
static struct tcp_result
user_abort(struct tcp *tp)
{
	if (tp->prof->close_orphans)
		tp->orphan = true;
	switch (tp->state) {
	case TCPS_CLOSED:
		tp->listening = false;
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_LISTEN:
		tp->listening = false;
		/* FALLTHROUGH */
	case TCPS_SYN_SENT:
		tcp_closed(tp, CAUSE_ABORT_EARLY);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSE_WAIT:
		send_active_reset(tp);
		tcp_closed(tp, CAUSE_ABORT_RST);
		return result(TE_NONE, OUT_NONE, 0);
	default:
		/* CLOSING, LAST_ACK, TIME_WAIT: "ok", delete the TCB. */
		tcp_closed(tp, CAUSE_ABORT_DELETE);
		return result(TE_NONE, OUT_NONE, 0);
	}
}

static struct tcp_result
user_keepalive(struct tcp *tp, bool on)
{
	tp->keepalive = on;
	if (!on)
		timer_stop(tp, TT_KEEPALIVE);
	else if (tcp_synchronized(tp) && tp->state != TCPS_TIME_WAIT)
		timer_set(tp, TT_KEEPALIVE, tp->prof->keepalive_idle);
	return result(TE_NONE, OUT_NONE, 0);
}

/* The host stops: no segment out, none taken in, nothing remembered. */
static struct tcp_result
user_crash(struct tcp *tp)
{
	tp->down = true;
	tp->listening = false;
	tp->keepalive = false;
	tp->error = TE_NONE;
	tcp_closed(tp, CAUSE_CRASH);
	return result(TE_NONE, OUT_NONE, 0);
}

static struct tcp_result
user_reboot(struct tcp *tp)
{
	tp->down = false;
	tp->listening = false;
	tp->keepalive = false;
	tcp_closed(tp, CAUSE_REBOOT);
	return result(TE_NONE, OUT_NONE, 0);
}

/*
 * What the application does.  arg is the octet count for send and read
 * (0: read all), on/off for keepalive.  The result is the error the
 * call returns and what it came to (tcp_result_text says it in words).
 */
struct tcp_result
tcp_call(struct tcp *tp, enum tcp_call call, uint32_t arg)
{
	if (tp->down && call != CALL_REBOOT)
		return result(TE_HOSTDOWN, OUT_HOST_DOWN, 0);
	/* After close() the application has no connection socket to use
	 * (accept acts on the listening socket, which may still be open). */
	if (tp->orphan && (call == CALL_SEND || call == CALL_READ ||
	    call == CALL_SHUTDOWN))
		return result(TE_BADF, OUT_CLOSED_SOCKET, 0);
	/* Sending, reading or shutting down a connection means the
	 * program accepted it first. */
	if (tp->passive && (call == CALL_SEND || call == CALL_READ ||
	    call == CALL_SHUTDOWN))
		tp->accepted = true;
	switch (call) {
	case CALL_LISTEN:
		return user_listen(tp);
	case CALL_ACCEPT:
		return user_accept(tp);
	case CALL_CONNECT:
		return user_connect(tp);
	case CALL_SEND:
		return user_send(tp, arg);
	case CALL_READ:
		return user_read(tp, arg);
	case CALL_SHUTDOWN:
		return user_shutdown(tp);
	case CALL_CLOSE:
		return user_close(tp);
	case CALL_ABORT:
		return user_abort(tp);
	case CALL_KEEPALIVE:
		return user_keepalive(tp, arg != 0);
	case CALL_CRASH:
		return user_crash(tp);
	case CALL_REBOOT:
		return user_reboot(tp);
	}
	return result(TE_INVAL, OUT_NONE, 0);
}
