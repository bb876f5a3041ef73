/* The wire (wire.h): the UDP socket pair on 127.0.0.1, and a stranger. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

static int
open_one(struct sockaddr_in *sin, char *err, size_t errlen)
{
	socklen_t	 len = sizeof *sin;
	int		 fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = 0;
	if (bind(fd, (struct sockaddr *)sin, sizeof *sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) == -1) {
		snprintf(err, errlen, "bind 127.0.0.1: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Open the pair (and the stranger).  Returns 0, or -1 with a message. */
int
wire_open(struct wire *w, char *err, size_t errlen)
{
	for (int i = 0; i <= NSIDES; i++)
		w->fd[i] = -1;
	for (int i = 0; i <= NSIDES; i++) {
		if ((w->fd[i] = open_one(&w->addr[i], err, errlen)) == -1) {
			wire_close(w);
			return -1;
		}
	}
	return 0;
}

void
wire_close(struct wire *w)
{
	for (int i = 0; i <= NSIDES; i++) {
		if (w->fd[i] != -1)
			close(w->fd[i]);
		w->fd[i] = -1;
	}
}

/* Send one datagram from socket from (a side or WIRE_STRANGER) to side to. */
int
wire_send(struct wire *w, int from, enum side to, const uint8_t *buf, size_t n)
{
	ssize_t	 r;

	do {
		r = sendto(w->fd[from], buf, n, 0,
		    (struct sockaddr *)&w->addr[to], sizeof w->addr[to]);
	} while (r == -1 && errno == EINTR);
	return r == (ssize_t)n ? 0 : -1;
}

/*
 * Read one datagram that arrived for side to, waiting up to timeout_ms
 * (0: only what is there already).  *from is set to the side or
 * WIRE_STRANGER it came from, or -1 for any other sender, and *len to its
 * length (which may be zero).  Returns 1 if one came, 0 if none, -1 on
 * error.
 */
int
wire_recv(struct wire *w, enum side to, uint8_t *buf, size_t cap,
    size_t *len, int *from, int timeout_ms)
{
	struct pollfd		 pfd = { .fd = w->fd[to], .events = POLLIN };
	struct sockaddr_in	 sin;
	socklen_t		 slen;
	ssize_t			 r;

	for (;;) {
		memset(&sin, 0, sizeof sin);
		slen = sizeof sin;
		r = recvfrom(w->fd[to], buf, cap, 0, (struct sockaddr *)&sin,
		    &slen);
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
	*from = -1;
	for (int i = 0; i <= NSIDES; i++) {
		if (sin.sin_addr.s_addr == w->addr[i].sin_addr.s_addr &&
		    sin.sin_port == w->addr[i].sin_port)
			*from = i;
	}
	*len = (size_t)r;
	return 1;
}
