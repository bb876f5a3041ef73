/* The wire (wire.h): connected UDP sockets on 127.0.0.1, and a stranger. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "util.h"
#include "wire.h"

/* A UDP socket bound to a port of 127.0.0.1 the kernel picks. */
static int
open_one(struct sockaddr_in *sin, char *err, size_t errlen)
{
	socklen_t	 len = sizeof *sin;
	int		 fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		snprintf(err, errlen, "the loopback socket pair: socket: %s",
		    strerror(errno));
		return -1;
	}
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = 0;
	if (bind(fd, (struct sockaddr *)sin, sizeof *sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) == -1) {
		snprintf(err, errlen, "the loopback socket pair: bind "
		    "127.0.0.1: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* From now on fd takes datagrams from peer alone. */
static int
join(int fd, const struct sockaddr_in *peer, char *err, size_t errlen)
{
	if (connect(fd, (const struct sockaddr *)peer, sizeof *peer) == -1) {
		snprintf(err, errlen, "the loopback socket pair: connect "
		    "127.0.0.1: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A ring for crossings, with the two sides' sockets registered; NULL if
 * this kernel has no io_uring or will not give one (a container may
 * forbid it): then plain system calls do.
 */
static struct io_uring *
open_ring(const struct wire *w)
{
#ifdef HAVE_LIBURING
	struct io_uring	*ring = xcalloc(1, sizeof *ring);

	/* One thread submits, and its completions may wait until it asks
	 * (Linux 6.1); older kernels refuse the flags and get none. */
	if (io_uring_queue_init(4, ring, IORING_SETUP_SINGLE_ISSUER |
	    IORING_SETUP_DEFER_TASKRUN) < 0 &&
	    io_uring_queue_init(4, ring, 0) < 0) {
		free(ring);
		return NULL;
	}
	io_uring_register_ring_fd(ring);
	if (io_uring_register_files(ring, w->fd, NSIDES) < 0) {
		io_uring_queue_exit(ring);
		free(ring);
		return NULL;
	}
	return ring;
#else
	(void)w;
	return NULL;
#endif
}

/* Open the pair, the stranger and the inboxes: 0, or -1 with a message. */
int
wire_open(struct wire *w, char *err, size_t errlen)
{
	for (int i = 0; i <= NSIDES; i++)
		w->fd[i] = -1;
	for (int i = 0; i < NSIDES; i++)
		w->inbox[i] = -1;
	for (int i = 0; i <= NSIDES; i++) {
		if ((w->fd[i] = open_one(&w->addr[i], err, errlen)) == -1)
			goto fail;
	}
	for (int i = 0; i < NSIDES; i++) {
		if ((w->inbox[i] = open_one(&w->inbox_addr[i], err,
		    errlen)) == -1 ||
		    join(w->inbox[i], &w->addr[WIRE_STRANGER], err,
		    errlen) == -1 ||
		    join(w->fd[i], &w->addr[!i], err, errlen) == -1)
			goto fail;
	}
	if (getenv("SYNFIN_NO_URING") == NULL)
		w->ring = open_ring(w);
	return 0;
fail:
	wire_close(w);
	return -1;
}

void
wire_close(struct wire *w)
{
#ifdef HAVE_LIBURING
	if (w->ring != NULL) {
		io_uring_queue_exit(w->ring);
		free(w->ring);
	}
#endif
	w->ring = NULL;
	for (int i = 0; i <= NSIDES; i++) {
		if (w->fd[i] != -1)
			close(w->fd[i]);
		w->fd[i] = -1;
	}
	for (int i = 0; i < NSIDES; i++) {
		if (w->inbox[i] != -1)
			close(w->inbox[i]);
		w->inbox[i] = -1;
	}
}

/*
 * Send one datagram to side to: from the other side (on their connected
 * pair), or from the stranger (to the side's inbox).
 */
int
wire_send(struct wire *w, int from, enum side to, const uint8_t *buf, size_t n)
{
	ssize_t	 r;

	do {
		if (from == WIRE_STRANGER)
			r = sendto(w->fd[WIRE_STRANGER], buf, n, 0,
			    (struct sockaddr *)&w->inbox_addr[to],
			    sizeof w->inbox_addr[to]);
		else
			r = send(w->fd[from], buf, n, 0);
	} while (r == -1 && errno == EINTR);
	return r == (ssize_t)n ? 0 : -1;
}

/*
 * Read one datagram that came to side to from from (the other side, or
 * WIRE_STRANGER), waiting up to timeout_ms (0: only one there already).
 * *len is set to its length, which may be zero.  Returns 1 if one came,
 * 0 if none, -1 on error.
 */
int
wire_recv(struct wire *w, int from, enum side to, uint8_t *buf, size_t cap,
    size_t *len, int timeout_ms)
{
	int		 fd = from == WIRE_STRANGER ? w->inbox[to] : w->fd[to];
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	ssize_t		 r;

	for (;;) {
		r = recv(fd, buf, cap, 0);
		if (r >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (timeout_ms == 0)
			return 0;
		r = poll(&pfd, 1, timeout_ms);
		if (r == 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		timeout_ms = 0;
	}
	*len = (size_t)r;
	return 1;
}

/*
 * Send a datagram to side to, from the other side or the stranger, and
 * read at once what has come to it: on loopback the kernel has delivered
 * it by the
 * time the send returns, unless it lost it or is slow.  Returns 1 with
 * what came in rx and *len (perhaps an earlier copy: the caller compares),
 * 0 if nothing has come yet (wire_recv waits), -1 on error.  A send the
 * kernel refused for want of room counts as lost, not as an error.
 */
int
wire_cross(struct wire *w, int from, enum side to, const uint8_t *buf,
    size_t n, uint8_t *rx, size_t cap, size_t *len)
{
#ifdef HAVE_LIBURING
	struct io_uring_sqe	*sqe;
	struct io_uring_cqe	*cqe;
	int			 sent = 0, got = -EAGAIN, r;

	if (w->ring != NULL && from != WIRE_STRANGER) {
		/* Registered files 0 and 1 are the sides' sockets. */
		sqe = io_uring_get_sqe(w->ring);
		io_uring_prep_send(sqe, from, buf, n, 0);
		sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
		sqe->user_data = 1;
		sqe = io_uring_get_sqe(w->ring);
		io_uring_prep_recv(sqe, (int)to, rx, cap, MSG_DONTWAIT);
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->user_data = 2;
		do
			r = io_uring_submit_and_wait(w->ring, 2);
		while (r == -EINTR);
		if (r < 0) {
			errno = -r;
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			if ((r = io_uring_wait_cqe(w->ring, &cqe)) < 0) {
				errno = -r;
				return -1;
			}
			if (cqe->user_data == 1)
				sent = cqe->res;
			else
				got = cqe->res;
			io_uring_cqe_seen(w->ring, cqe);
		}
		if (sent < 0 && sent != -ENOBUFS && sent != -EAGAIN) {
			errno = -sent;
			return -1;
		}
		if (got >= 0) {
			*len = (size_t)got;
			return 1;
		}
		if (got != -EAGAIN && got != -ECANCELED && got != -EINTR) {
			errno = -got;
			return -1;
		}
		return 0;
	}
#endif
	if (wire_send(w, from, to, buf, n) == -1 && errno != ENOBUFS &&
	    errno != EAGAIN)
		return -1;
	return wire_recv(w, from, to, rx, cap, len, 0);
}
