/*
 * What the application does (RFC 9293 3.10.1-6): open (listen, connect,
 * accept), send, receive, close and shutdown, abort; the program's end
 * (exit); and the socket options and host events a script can make
 * (keepalive, crash, reboot).
 */
#include "config.h"

#include "seq.h"
#include "tcp.h"
#include "tcp-priv.h"

static struct tcp_result
result(enum tcp_error err, enum tcp_outcome what, uint32_t n)
{
	struct tcp_result	 r = { err, what, n };

	return r;
}

/*
 * The connection this socket had is over: CLOSED, or (Linux) the
 * listener it came from is all that is left, in LISTEN.
 */
static bool
conn_over(const struct tcp *tp)
{
	return tp->was_connected &&
	    (tp->state == TCPS_CLOSED || tp->conn_gone);
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
		/* A new socket binds the old port first: unless both it
		 * and the old one asked SO_REUSEADDR, bind() fails
		 * (inet_csk_bind_conflict). */
		if (!tp->prof->reuseaddr || !tp->so_reuseaddr)
			return result(TE_ADDRINUSE, OUT_PORT_TAKEN, tp->state);
		if (tp->prof->tw_takeover && tp->ts_ok) {
			/* With timestamps the old duplicates can be told
			 * apart: the new connection takes over, its ISS past
			 * anything the old one sent. */
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
			if (!tp->prof->reuseaddr || !tp->so_reuseaddr)
				return result(TE_ADDRINUSE, OUT_PORT_TAKEN,
				    tp->state);
			return result(TE_ADDRNOTAVAIL, OUT_IN_USE, tp->state);
		}
		return result(TE_ISCONN, OUT_CONNECTED_ALREADY, 0);
	}
	tp->error = TE_NONE;
	tp->orphan = false;
	tp->exited = false;
	tp->so_reuseaddr = tp->prof->reuseaddr;
	tcp_new_tcb(tp, false);
	tp->retrans_start = tcp_now(tp);
	tcp_set_state(tp, TCPS_SYN_SENT, CAUSE_CONNECT);
	tcp_send_syn(tp);
	tcp_timer_set(tp, TT_RTX, tp->rto);
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
	tp->others = tp->others_behind = 0;	/* a new, empty queue */
	tp->exited = false;
	tcp_set_state(tp, TCPS_LISTEN, CAUSE_LISTEN);
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
	/* After exit, until a new listen(), nothing listens: the
	 * connection a passive open left behind is no one's to accept. */
	if ((!tp->listening && !tp->passive) || tp->exited)
		return result(TE_INVAL, OUT_NOT_LISTENING, 0);
	/* The accept queue is first in, first out: other clients'
	 * connections that came first go first. */
	if (tcp_acceptq_len(tp) == tp->others + tp->others_behind) {
		tp->others += tp->others_behind;
		tp->others_behind = 0;
	}
	if (tp->others > 0) {
		tp->others--;
		return result(TE_NONE, OUT_OTHER_CONN, 0);
	}
	/* A connection the program already closed (in TIME_WAIT, say) is
	 * not one to accept: wait for the next. */
	if (tcp_synchronized(tp) && tp->passive && !tp->orphan) {
		tp->accepted = true;
		tp->others = tp->others_behind;
		tp->others_behind = 0;
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
		tcp_write_step(tp);
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_CLOSED:
	case TCPS_LISTEN:
		if (tp->error != TE_NONE) {
			enum tcp_error	 e = tp->error;

			tp->error = TE_NONE;
			return result(e, OUT_NONE, 0);
		}
		if (conn_over(tp))
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
	if (tp->prof->delayed_ack && tp->ack_pending &&
	    (tp->rcv_nxt - tp->rcv_wup > tp->rcv_mss ||
	    (copied > 0 && (tp->pushed2 || (tp->pushed &&
	    !tcp_in_pingpong(tp))) && tp->rcvq == 0))) {
		tcp_send_ack(tp);
		tp->read_acked = true;
		return;
	}
	/* The read freed much of the buffer: say so now. */
	if (tcp_synchronized(tp) && tcp_rwin_opened(tp, copied)) {
		tcp_send_ack(tp);
		tp->read_acked = true;
		return;
	}
	/* The textbook's receiver (RFC 9293 3.8.6.2.2): a window left
	 * too small for a segment, whose edge the read lets move on
	 * (textbook_window), is announced at once; else the sender learns
	 * of it only when its probe timer runs out. */
	if (!tp->prof->half_free_window && tcp_synchronized(tp) &&
	    copied > 0 && !tp->rcv_fin) {
		uint32_t	 left = tcp_recv_window(tp);

		if (left < tcp_send_mss(tp) && tcp_rcv_space(tp) > left)
			tcp_send_ack(tp);
	}
}

/* RECEIVE (3.10.3): read() everything waiting, or at most n octets. */
static struct tcp_result
user_read(struct tcp *tp, uint32_t n)
{
	uint32_t	 k;

	if (tp->rcvq > 0) {
		k = n == 0 || n > tp->rcvq ? tp->rcvq : n;
		tcp_rq_read(tp, k);
		if (k != n)		/* room left: on to the FIN */
			tcp_rq_eat_fin(tp);
		read_ack_check(tp, k);
		return result(TE_NONE, OUT_BYTES, k);
	}
	/* Linux tcp_recvmsg: once the FIN came, read() says end of stream
	 * even if a reset followed; else a pending error, once; after
	 * that a dead connection reads as ended too. */
	if (tp->rcv_fin) {
		tcp_rq_eat_fin(tp);
		return result(TE_NONE, OUT_EOF, 0);
	}
	if (tp->error != TE_NONE) {
		enum tcp_error	 e = tp->error;

		tp->error = TE_NONE;
		return result(e, OUT_NONE, 0);
	}
	if (conn_over(tp))
		return result(TE_NONE, OUT_EOF, 0);
	if (tp->state == TCPS_CLOSED || tp->state == TCPS_LISTEN)
		return result(TE_NOTCONN, OUT_NOT_CONNECTED, 0);
	return result(TE_AGAIN, OUT_NOTHING_YET, 0);
}

/* Queue our FIN behind the data (close or shutdown) and send it. */
static void
queue_fin(struct tcp *tp, enum tcp_state to, enum tcp_cause cause)
{
	uint32_t	 unsent = 0;

	/* Written but never sent: the FIN takes its place behind it, on
	 * its last segment at the earliest (the window may hold it). */
	if (seq_gt(tp->sndbuf_end, tp->snd_max))
		unsent = tp->sndbuf_end - tp->snd_max;
	tp->fin_queued = true;
	if (unsent > 0)
		tcp_change_state(tp, to, cause == CAUSE_CLOSE ?
		    CAUSE_CLOSE_BEHIND : CAUSE_SHUTDOWN_BEHIND, (int)unsent);
	else
		tcp_set_state(tp, to, cause);
	tcp_output(tp);
}

/* shutdown(SHUT_WR): no more data from us; we can still receive. */
static struct tcp_result
user_shutdown(struct tcp *tp)
{
	switch (tp->state) {
	case TCPS_CLOSED:
		return result(TE_NOTCONN, OUT_NOT_CONNECTED, 0);
	case TCPS_LISTEN:
		if (tp->conn_gone)
			return result(TE_NOTCONN, OUT_NOT_CONNECTED, 0);
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

		tcp_send_active_reset(tp);
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
			tcp_send_active_reset(tp);
		tcp_closed(tp, CAUSE_CLOSE_LISTENER_RESET);
		return result(TE_NONE, OUT_LISTENER_RESET, 0);
	}
	switch (tp->state) {
	case TCPS_CLOSED:
		tp->listening = false;
		return result(TE_NONE, OUT_NONE, 0);
	case TCPS_LISTEN:
		if (tp->conn_gone)	/* the dead connection's socket */
			return result(TE_NONE, OUT_NONE, 0);
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
			tcp_timer_set(tp, TT_FINWAIT2, p->fin_timeout);
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
		if (tp->conn_gone)	/* the dead connection's socket */
			return result(TE_NONE, OUT_NONE, 0);
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
		tcp_send_active_reset(tp);
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
		tcp_timer_stop(tp, TT_KEEPALIVE);
	else if (tcp_synchronized(tp) && tp->state != TCPS_TIME_WAIT)
		tcp_timer_set(tp, TT_KEEPALIVE, tp->prof->keepalive_idle);
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
 * The program exits: it returns from main(), calls exit(), or is killed
 * (SIGKILL too).  It never calls close(), but the kernel closes every
 * descriptor it held (do_exit -> exit_files -> filp_close), and for a
 * socket that is tcp_close(), exactly what close() does: the connection
 * gets its FIN and lives on as an orphan, or, with data unread, a RST
 * (RFC 9293 3.6.1 SHLD-3; RFC 2525 2.17); and the listening socket
 * closes, so that a later SYN is refused (RFC 9293 3.10.7.1).  Nothing
 * here is SO_LINGER's abort: an exit is a close, not a reset.
 */
static struct tcp_result
user_exit(struct tcp *tp)
{
	struct tcp_result	 r = result(TE_NONE, OUT_NONE, 0);

	if (tp->exited)
		return r;
	tp->exited = true;
	tp->accept_waiting = false;
	/* The listener goes first: its connection, once over, leaves the
	 * port CLOSED, not LISTEN. */
	tp->listening = false;
	tp->others = tp->others_behind = 0;	/* reset with it, not drawn */
	if (tp->state == TCPS_LISTEN)
		tcp_closed(tp, CAUSE_CLOSE_LISTENER);
	else if (tp->state != TCPS_CLOSED && !tp->orphan)
		r = user_close(tp);
	return r;
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
	/* A program that exited holds no descriptor: only a new socket
	 * (listen, connect) or the host's events act. */
	if (tp->exited && (call == CALL_SEND || call == CALL_READ ||
	    call == CALL_SHUTDOWN || call == CALL_CLOSE ||
	    call == CALL_ABORT || call == CALL_KEEPALIVE))
		return result(TE_BADF, OUT_CLOSED_SOCKET, 0);
	/* After close() the application has no connection socket to use
	 * (accept acts on the listening socket, which may still be open):
	 * a second close, like any use of the descriptor, is EBADF. */
	if (tp->orphan && (call == CALL_SEND || call == CALL_READ ||
	    call == CALL_SHUTDOWN || call == CALL_CLOSE ||
	    call == CALL_ABORT || call == CALL_KEEPALIVE))
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
	case CALL_EXIT:
		return user_exit(tp);
	}
	return result(TE_INVAL, OUT_NONE, 0);
}
