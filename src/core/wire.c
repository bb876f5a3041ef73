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

#include "util.h"
#include "wire.h"

#ifndef HAVE_SENDMMSG
/* Where there is no sendmmsg, one sendmsg a datagram. */
#ifndef HAVE_RECVMMSG
struct mmsghdr {
	struct msghdr	 msg_hdr;
	unsigned int	 msg_len;
};
#endif

static int
sendmmsg(int fd, struct mmsghdr *m, unsigned int n, int flags)
{
	unsigned int	 i;
	ssize_t		 r;

	for (i = 0; i < n; i++) {
		if ((r = sendmsg(fd, &m[i].msg_hdr, flags)) == -1)
			return i > 0 ? (int)i : -1;
		m[i].msg_len = (unsigned int)r;
	}
	return (int)n;
}
#endif

#ifndef HAVE_RECVMMSG
/* And no recvmmsg: one recvmsg a datagram, as many as are there. */
static int
recvmmsg(int fd, struct mmsghdr *m, unsigned int n, int flags, void *t)
{
	unsigned int	 i;
	ssize_t		 r;

	(void)t;
	for (i = 0; i < n; i++) {
		if ((r = recvmsg(fd, &m[i].msg_hdr, flags)) == -1)
			return i > 0 ? (int)i : -1;
		m[i].msg_len = (unsigned int)r;
	}
	return (int)n;
}
#endif

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
	memset(w, 0, sizeof *w);
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
	w->batch = WIRE_BATCH;
	return 0;
fail:
	wire_close(w);
	return -1;
}

void
wire_close(struct wire *w)
{
	for (int p = 0; p < WIRE_PATHS; p++) {
		free(w->path[p].bytes);
		w->path[p].bytes = NULL;
		w->path[p].n = 0;
	}
	free(w->rx);
	w->rx = NULL;
	w->posted = 0;
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

/* The path from sender (a side, or the stranger) to side to. */
static int
path_of(int from, enum side to)
{
	return from == WIRE_STRANGER ? NSIDES + (int)to : from;
}

/* The socket a path sends from, and the one it arrives at. */
static int
path_from(const struct wire *w, int p)
{
	return p < NSIDES ? w->fd[p] : w->fd[WIRE_STRANGER];
}

static int
path_to(const struct wire *w, int p)
{
	return p < NSIDES ? w->fd[!p] : w->inbox[p - NSIDES];
}

static const struct sockaddr_in *
path_addr(const struct wire *w, int p)
{
	return p < NSIDES ? NULL : &w->inbox_addr[p - NSIDES];
}

/*
 * Send the datagrams of path p not yet back, every one (first) or those
 * the kernel has lost.  A send the kernel refuses for want of room counts
 * as lost: it goes again.  Returns -1 on another error.
 */
static int
send_path(struct wire *w, int p, bool again)
{
	struct wire_path	*wp = &w->path[p];
	struct mmsghdr		 msg[WIRE_BATCH];
	struct iovec		 iov[WIRE_BATCH];
	const struct sockaddr_in *to = path_addr(w, p);
	int			 n = 0, done = 0, r;

	for (int i = 0; i < wp->n; i++) {
		if (wp->back[i])
			continue;
		iov[n].iov_base = wp->bytes + wp->off[i];
		iov[n].iov_len = wp->len[i];
		memset(&msg[n], 0, sizeof msg[n]);
		msg[n].msg_hdr.msg_iov = &iov[n];
		msg[n].msg_hdr.msg_iovlen = 1;
		msg[n].msg_hdr.msg_name = (void *)to;
		msg[n].msg_hdr.msg_namelen = to != NULL ? sizeof *to : 0;
		n++;
	}
	if (again)
		w->resent += (uint64_t)n;
	while (done < n) {
		r = sendmmsg(path_from(w, p), msg + done, (unsigned)(n - done),
		    0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == ENOBUFS || errno == EAGAIN))
			return 0;
		if (r == -1)
			return -1;
		done += r;
	}
	return 0;
}

/*
 * A datagram read back on path p: the first posted one it is, or a late
 * copy of one sent again.
 */
static void
match(struct wire *w, int p, const uint8_t *d, size_t len, int *left)
{
	struct wire_path	*wp = &w->path[p];

	for (int i = 0; i < wp->n; i++) {
		if (!wp->back[i] && wp->len[i] == len &&
		    memcmp(wp->bytes + wp->off[i], d, len) == 0) {
			wp->back[i] = true;
			(*left)--;
			return;
		}
	}
	w->stale++;
}

/* Path p's datagrams through the kernel and back: 0, or -1 (errno). */
static int
cross_path(struct wire *w, int p, char *err, size_t errlen)
{
	struct wire_path	*wp = &w->path[p];
	struct mmsghdr		 msg[WIRE_BATCH];
	struct iovec		 iov[WIRE_BATCH];
	struct pollfd		 pfd = { path_to(w, p), POLLIN, 0 };
	size_t			 slot = 0;
	int			 left = wp->n, tries = 0, r;

	/* Room for each datagram to come back whole, and one octet more:
	 * a longer one is not ours. */
	for (int i = 0; i < wp->n; i++)
		if (wp->len[i] + 1 > slot)
			slot = wp->len[i] + 1;
	if (slot * (size_t)wp->n > w->rxcap) {
		w->rxcap = slot * (size_t)wp->n;
		free(w->rx);
		w->rx = xmalloc(w->rxcap);
	}
	if (send_path(w, p, false) == -1) {
		snprintf(err, errlen, "sending on the socket pair failed: %s",
		    strerror(errno));
		return -1;
	}
	while (left > 0) {
		for (int i = 0; i < left; i++) {
			iov[i].iov_base = w->rx + slot * (size_t)i;
			iov[i].iov_len = slot;
			memset(&msg[i], 0, sizeof msg[i]);
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(pfd.fd, msg, (unsigned)left, MSG_DONTWAIT, NULL);
		if (r > 0) {
			for (int i = 0; i < r; i++)
				match(w, p, w->rx + slot * (size_t)i,
				    msg[i].msg_len, &left);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(err, errlen, "reading the socket pair "
			    "failed: %s", strerror(errno));
			return -1;
		}
		r = poll(&pfd, 1, WIRE_WAIT_MS);
		if (r == -1 && errno != EINTR) {
			snprintf(err, errlen, "waiting on the socket pair "
			    "failed: %s", strerror(errno));
			return -1;
		}
		if (r != 0)
			continue;
		/* Nothing for a while: what is missing was lost. */
		if (++tries == WIRE_TRIES) {
			snprintf(err, errlen, "the kernel lost a datagram of "
			    "the socket pair %d times in a row", WIRE_TRIES);
			return -1;
		}
		if (send_path(w, p, true) == -1) {
			snprintf(err, errlen, "sending on the socket pair "
			    "failed: %s", strerror(errno));
			return -1;
		}
	}
	w->sent += (uint64_t)wp->n;
	wp->n = 0;
	wp->nbytes = 0;
	return 0;
}

/*
 * Every datagram posted, through the kernel and back: 0, or -1 with the
 * reason in err.
 */
int
wire_flush(struct wire *w, char *err, size_t errlen)
{
	for (int p = 0; p < WIRE_PATHS; p++) {
		if (w->path[p].n > 0 && cross_path(w, p, err, errlen) == -1)
			return -1;
	}
	w->posted = 0;
	w->posted_bytes = 0;
	return 0;
}

/*
 * A datagram to cross from sender (a side, or WIRE_STRANGER) to side to,
 * with the next batch; the batch before goes first if this one would not
 * fit.  Returns 0, or -1 with the reason in err.
 */
int
wire_post(struct wire *w, int from, enum side to, const uint8_t *buf,
    size_t n, char *err, size_t errlen)
{
	struct wire_path	*wp = &w->path[path_of(from, to)];

	if ((w->posted >= w->batch || w->posted_bytes + n > WIRE_BATCH_BYTES ||
	    wp->n == WIRE_BATCH) && w->posted > 0 &&
	    wire_flush(w, err, errlen) == -1)
		return -1;
	if (wp->nbytes + n > wp->cap) {
		while (wp->nbytes + n > wp->cap)
			wp->cap = wp->cap ? wp->cap * 2 : 4096;
		wp->bytes = xreallocarray(wp->bytes, wp->cap, 1);
	}
	memcpy(wp->bytes + wp->nbytes, buf, n);
	wp->off[wp->n] = wp->nbytes;
	wp->len[wp->n] = (uint32_t)n;
	wp->back[wp->n] = false;
	wp->n++;
	wp->nbytes += n;
	w->posted++;
	w->posted_bytes += n;
	if (w->posted >= w->batch)
		return wire_flush(w, err, errlen);
	return 0;
}

/* Forget what was posted and has not crossed. */
void
wire_discard(struct wire *w)
{
	for (int p = 0; p < WIRE_PATHS; p++) {
		w->path[p].n = 0;
		w->path[p].nbytes = 0;
	}
	w->posted = 0;
	w->posted_bytes = 0;
}
