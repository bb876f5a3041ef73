/* The wire (wire.h): connected UDP sockets on 127.0.0.1, and a stranger. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
	return 0;
fail:
	wire_close(w);
	return -1;
}

void
wire_close(struct wire *w)
{
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
