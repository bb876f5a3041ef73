/*
 * One TCP endpoint, after RFC 9293 section 3.10: the control block's life
 * and its state changes, and the tables that name states, timers, calls,
 * errors, causes and call results.  The endpoint's other parts are in
 * tcp-user.c, tcp-input.c, tcp-output.c and tcp-timer.c (tcp-priv.h).
 * The linux profile follows what the Linux kernel does where it departs
 * from the text; the profile's fields say where and why.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "seq.h"
#include "tcp.h"
#include "tcp-priv.h"
#include "util.h"

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
	"abort", "keepalive", "crash", "reboot", "exit",
};

const char *const tcp_error_names[TCP_NERRORS] = {
	"OK", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTCONN",
	"EISCONN", "EADDRNOTAVAIL", "EAGAIN", "EINVAL", "EHOSTDOWN", "EBADF",
	"EADDRINUSE",
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
	    "connect() with SO_REUSEADDR takes over the TIME_WAIT: "
	    "timestamps tell its old segments apart",
	    "带 SO_REUSEADDR 的 connect() 接管了 TIME_WAIT：时间戳能把旧报文段区分开" } },
	[CAUSE_CLOSE] = { "3.10.4", {
	    "close(): send FIN",
	    "close()：发送 FIN" } },
	[CAUSE_CLOSE_BEHIND] = { "3.10.4", {
	    "close(): send FIN after the %d bytes written but not yet sent",
	    "close()：在已写入、尚未发出的 %d 字节之后发送 FIN" } },
	[CAUSE_SHUTDOWN] = { "3.10.4", {
	    "shutdown(): send FIN after the data",
	    "shutdown()：数据之后发送 FIN" } },
	[CAUSE_SHUTDOWN_BEHIND] = { "3.10.4", {
	    "shutdown(): send FIN after the %d bytes written but not yet sent",
	    "shutdown()：在已写入、尚未发出的 %d 字节之后发送 FIN" } },
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
	[CAUSE_LISTENER_ON] = { "3.10.1", {
	    "the connection is gone; the listening socket is still open",
	    "连接没了，监听套接字还开着" } },
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
	[CAUSE_USER_TIMEOUT] = { "3.10.8", {
	    "the user timeout ran out (TCP_USER_TIMEOUT) after %d "
	    "retransmissions: the connection is given up",
	    "用户超时（TCP_USER_TIMEOUT）已到，此前重传了 %d 次：放弃连接" } },
	[CAUSE_OVERFLOW_RESET] = { "3.10.7.4", {
	    "the ACK finds the accept queue full and tcp_abort_on_overflow "
	    "is on: the half-open connection is reset",
	    "ACK 到达时全连接队列已满，且 tcp_abort_on_overflow 已打开：半连接被复位" } },
	[CAUSE_KERNEL] = { NULL, {
	    "seen in the kernel",
	    "在内核中观察到" } },
	[CAUSE_OBSERVED] = { NULL, {
	    "the capture begins with the connection already open: an "
	    "observer on the wire cannot see how it got there",
	    "抓包开始时连接已经建立：线路上的观察者看不到它之前的经过" } },
	[CAUSE_WAS_LISTENING] = { "3.10.1", {
	    "it was listening: the SYN it answers shows it (listen() itself "
	    "is not on the wire)",
	    "它在监听：它回应的 SYN 说明了这一点（listen() 本身不会出现在线路上）" } },
	[CAUSE_SENT_FIN] = { "3.10.4", {
	    "sent FIN: its application called close() or shutdown(); the "
	    "wire cannot tell which",
	    "发出 FIN：它的应用调用了 close() 或 shutdown()，线路上分辨不出是哪一个" } },
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
	[OUT_PORT_TAKEN] = { "bind(): the port is still held (%s); that "
	    "needs SO_REUSEADDR on both sockets",
	    "bind()：端口仍被占用（%s）；要两个套接字都设置 SO_REUSEADDR 才行" },
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
	[OUT_OTHER_CONN] = { "another client's connection (not drawn)",
	    "另一个客户端的连接（图中未画出）" },
};

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
		[TE_ADDRINUSE] = EADDRINUSE,
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

	if (r->what == OUT_IN_USE || r->what == OUT_PORT_TAKEN)
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

/* Every cause and outcome in both languages, converting alike: 0 or -1. */
int
tcp_text_check(void)
{
	for (int c = 0; c < TCP_NCAUSES; c++) {
		const struct tcp_cause_info *ci = &tcp_causes[c];

		if (ci->text[LANG_EN] == NULL || ci->text[LANG_ZH] == NULL ||
		    (ci->rfc == NULL && c != CAUSE_NONE && c != CAUSE_KERNEL &&
		    c != CAUSE_OBSERVED) ||
		    !formats_agree(ci->text[LANG_EN], ci->text[LANG_ZH]))
			return -1;
	}
	for (int o = 0; o < TCP_NOUTCOMES; o++) {
		if (tcp_outcomes[o][LANG_EN] == NULL ||
		    tcp_outcomes[o][LANG_ZH] == NULL ||
		    !formats_agree(tcp_outcomes[o][LANG_EN],
		    tcp_outcomes[o][LANG_ZH]))
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

/*
 * The one place a state changes: old, new, and why (the cause table
 * says where RFC 9293 calls for it); n is the count a cause may name.
 */
void
tcp_change_state(struct tcp *tp, enum tcp_state to, enum tcp_cause cause, int n)
{
	enum tcp_state	 from = tp->state;

	if (from == to)
		return;
	tp->state = to;
	tp->entered[to]++;
	tp->hooks->state(tp->ctx, tp, from, to, cause, n);
}

void
tcp_set_state(struct tcp *tp, enum tcp_state to, enum tcp_cause cause)
{
	tcp_change_state(tp, to, cause, 0);
}

void
tcp_notify(struct tcp *tp, enum tcp_error err)
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
	tp->backlog = TCP_BACKLOG_DEFAULT;
	for (int k = 0; k < TCP_NTIMERS; k++)
		timer_init(&tp->timers[k], tcp_timer_fired, tp, TIMER_ENDPOINT);
	timer_init(&tp->write_timer, tcp_write_on, tp, TIMER_ARRIVAL);
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
 * socket, the keepalive and user timeout options, the next ISN, the
 * clock offset.
 */
void
tcp_tcb_clear(struct tcp *tp)
{
	uint32_t	 ts_offset = tp->ts_offset;
	bool		 listening = tp->listening;
	bool		 accept_waiting = tp->accept_waiting;
	bool		 keepalive = tp->keepalive, down = tp->down;
	bool		 orphan = tp->orphan, rcv_fin = tp->rcv_fin;
	bool		 was_connected = tp->was_connected ||
			     tp->state >= TCPS_SYN_SENT;
	enum tcp_error	 error = tp->error;

	tcp_timers_stop_all(tp);
	clock_cancel(tp->clock, &tp->write_timer);
	/* What comes before iss (the socket's own: its ports, isn_next)
	 * stays. */
	_Static_assert(offsetof(struct tcp, isn_next) <
	    offsetof(struct tcp, iss), "isn_next is the socket's");
	memset(&tp->iss, 0, sizeof *tp - offsetof(struct tcp, iss));
	tp->ts_offset = ts_offset;
	tp->listening = listening;
	tp->accept_waiting = accept_waiting;
	tp->keepalive = keepalive;
	tp->down = down;
	tp->error = error;
	tp->orphan = orphan;
	tp->rcv_fin = rcv_fin;		/* the socket saw end of stream */
	tp->was_connected = was_connected;
	tp->rto = tp->prof->rto_initial;
	/* The timers are all stopped; only their wiring is kept. */
	for (int k = 0; k < TCP_NTIMERS; k++)
		timer_init(&tp->timers[k], tcp_timer_fired, tp, TIMER_ENDPOINT);
	timer_init(&tp->write_timer, tcp_write_on, tp, TIMER_ARRIVAL);
}

/* The connection is over: CLOSED, and the TCB deleted. */
void
tcp_closed(struct tcp *tp, enum tcp_cause cause)
{
	tcp_tcb_clear(tp);
	tcp_set_state(tp, TCPS_CLOSED, cause);
	/* Linux: the connection was one of the listener's; the listener
	 * never stopped listening, so the server is in LISTEN again. */
	if (tp->listening && tp->prof->listener_stays) {
		tp->conn_gone = true;
		tcp_set_state(tp, TCPS_LISTEN, CAUSE_LISTENER_ON);
	}
}

/*
 * A passive open that failed: the half-open connection goes and the
 * listener is as before (RFC 9293 3.10.7.4: "return this connection to
 * LISTEN state").
 */
void
tcp_back_to_listen(struct tcp *tp, enum tcp_cause cause)
{
	tcp_tcb_clear(tp);
	tcp_set_state(tp, TCPS_LISTEN, cause);
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
 * The listener's accept queue: the other clients' connections waiting
 * there, and this one from the end of its handshake until accept()
 * takes it.
 */
uint32_t
tcp_acceptq_len(const struct tcp *tp)
{
	return tp->others + tp->others_behind + (tp->passive &&
	    !tp->accepted && tcp_synchronized(tp) && !tp->orphan);
}

/*
 * Linux sk_acceptq_is_full: full when it holds more than the backlog,
 * so listen(fd, 1) lets two connections wait.
 */
bool
tcp_acceptq_full(const struct tcp *tp)
{
	return tp->listening && tcp_acceptq_len(tp) > tp->backlog;
}

/*
 * n connections of other clients (not drawn) complete their handshakes
 * and join the accept queue, behind this one if it is waiting there.
 * An accept() already waiting takes the first.  False if the queue has
 * no room for them: their SYNs would be dropped.
 */
bool
tcp_others_arrive(struct tcp *tp, uint32_t n)
{
	bool	 behind = tcp_acceptq_len(tp) > tp->others + tp->others_behind;

	if (!tp->listening || tcp_acceptq_len(tp) + n > tp->backlog + 1)
		return false;
	if (n > 0 && tp->accept_waiting && !behind) {
		tp->accept_waiting = false;
		n--;
	}
	if (behind)
		tp->others_behind += n;
	else
		tp->others += n;
	return true;
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
	/* A zero-window probe waits for a window, which may never come
	 * (RFC 9293 MUST-37): the rest of the run goes on meanwhile. */
	return tcp_timer_armed(tp, TT_RTX) && !tp->zwp_armed;
}

/* A new connection's send side, for an active or passive open. */
void
tcp_new_tcb(struct tcp *tp, bool passive)
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
	tcp_rwin_init(tp);
	tp->passive = passive;
	tp->orphan = false;
	tp->rcv_fin = false;
	tp->accepted = false;
	tp->conn_gone = false;
	tp->rto = tp->prof->rto_initial;
	tp->rtt_timing = true;
	tp->rtt_seq = tp->iss;
	tp->rtt_sent = tcp_now(tp);
}

/*
 * Whether Linux keeps the connection as a light timewait socket now:
 * TIME_WAIT, and an orphan's FIN_WAIT_2 while its timeout runs (when it
 * is no longer than TIME_WAIT's, tcp_close), unless the FIN_WAIT_2 came
 * as the backlog was taken in: the socket was held, so it stays whole
 * until then (tcp_rcv_state_process).  Such a socket answers with bare
 * ACKs, no SACK.
 */
bool
tcp_timewait_sock(const struct tcp *tp)
{
	if (!tp->prof->timewait_socks)
		return false;
	return tp->state == TCPS_TIME_WAIT ||
	    (tp->state == TCPS_FIN_WAIT_2 && tp->orphan &&
	    tcp_timer_armed(tp, TT_FINWAIT2) && !tp->draining);
}

bool
tcp_fin_acked(const struct tcp *tp)
{
	return tp->fin_sent && seq_gt(tp->snd_una, tp->fin_seq);
}
