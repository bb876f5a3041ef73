/*
 * The wire: UDP sockets on 127.0.0.1 that every segment crosses as one
 * datagram holding its encoded TCP header and data, read back and checked
 * byte for byte against what was sent.
 *
 * The client's and the server's sockets are connected to each other, so
 * the kernel delivers to them nothing but each other's datagrams: a flood
 * from elsewhere on the machine never reaches the run.  A third socket
 * stands for "somebody else on this machine": what it sends a side
 * arrives at that side's inbox, a socket connected to it alone.
 *
 * The wire carries; it does not decide.  A datagram the kernel loses is
 * sent again, a late copy of one sent again is set aside, so what the
 * kernel does with synfin's own datagrams never changes a run.  That is
 * why the datagrams may cross in batches: each is posted as its segment
 * arrives (decoded and validated from the very octets posted), and a
 * batch of up to WIRE_BATCH goes through the kernel in a few system calls
 * (sendmmsg, recvmmsg) instead of two each; until every datagram of it is
 * back, the run is not over.  A system call costs more than a datagram's
 * trip through the kernel on loopback, so this is what makes the socket
 * pair as fast as the kernel's own TCP.
 */
#ifndef SYNFIN_WIRE_H
#define SYNFIN_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

#define WIRE_STRANGER	NSIDES		/* the third socket, as a sender */
#define WIRE_DGRAM_MAX	65507		/* largest UDP payload over IPv4 */

/* Datagrams that are not valid segments of the connection. */
enum bad_kind {
	BAD_GARBAGE,		/* random octets */
	BAD_SHORT,		/* shorter than a header */
	BAD_CHECKSUM,		/* a good segment with its checksum spoiled */
	BAD_PORT,		/* a good segment for other ports */
	BAD_STRANGER,		/* a good segment from another address */
};

#define WIRE_BATCH	64		/* datagrams posted before they cross */
#define WIRE_BATCH_BYTES (64 * 1024)	/* well within a socket's buffer */
#define WIRE_WAIT_MS	100		/* not back this soon: lost */
#define WIRE_TRIES	20		/* lost so often: the wire failed */

/* The ways through: c2s, s2c, and the stranger to each side's inbox. */
#define WIRE_PATHS	(NSIDES * 2)

/* The datagrams posted one way and not yet crossed. */
struct wire_path {
	uint8_t		*bytes;		/* end to end */
	size_t		 nbytes;
	size_t		 cap;
	size_t		 off[WIRE_BATCH];
	uint32_t	 len[WIRE_BATCH];
	bool		 back[WIRE_BATCH];	/* read back */
	int		 n;
};

struct wire {
	int			 fd[NSIDES + 1];	/* the sides; the stranger */
	int			 inbox[NSIDES];	/* each side, from the stranger */
	struct sockaddr_in	 addr[NSIDES + 1];
	struct sockaddr_in	 inbox_addr[NSIDES];
	int			 batch;		/* WIRE_BATCH, or fewer */
	struct wire_path	 path[WIRE_PATHS];
	int			 posted;	/* in all paths */
	size_t			 posted_bytes;
	uint8_t			*rx;		/* room to read a batch back */
	size_t			 rxcap;
	uint64_t		 sent;		/* datagrams that crossed */
	uint64_t		 resent;	/* lost, and sent again */
	uint64_t		 stale;		/* late copies, set aside */
};

int	 wire_open(struct wire *, char *, size_t);
void	 wire_close(struct wire *);
int	 wire_post(struct wire *, int, enum side, const uint8_t *, size_t,
	     char *, size_t);
int	 wire_flush(struct wire *, char *, size_t);
void	 wire_discard(struct wire *);

#endif
