/*
 * The wire: UDP sockets on 127.0.0.1 that every segment crosses as one
 * datagram holding its encoded TCP header and data; the receiver reads
 * it back and validates it before its state machine may see it.
 *
 * The client's and the server's sockets are connected to each other, so
 * the kernel delivers to them nothing but each other's datagrams: a flood
 * from elsewhere on the machine never reaches the run.  A third socket
 * stands for "somebody else on this machine": what it sends a side
 * arrives at that side's inbox, a socket connected to it alone.
 *
 * The wire carries; it does not decide.  A datagram the kernel loses is
 * sent again (sim.c), so what the kernel does with synfin's own
 * datagrams never changes a run.
 *
 * Where Linux has io_uring, a crossing (send, then read what came) is one
 * system call instead of two: the datagram still goes through the
 * kernel's UDP stack and is read from the receiving socket.
 */
#ifndef SYNFIN_WIRE_H
#define SYNFIN_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

struct io_uring;

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

struct wire {
	int			 fd[NSIDES + 1];	/* the sides; the stranger */
	int			 inbox[NSIDES];	/* each side, from the stranger */
	struct sockaddr_in	 addr[NSIDES + 1];
	struct sockaddr_in	 inbox_addr[NSIDES];
	struct io_uring		*ring;		/* or NULL: plain system calls */
};

int	 wire_open(struct wire *, char *, size_t);
void	 wire_close(struct wire *);
int	 wire_send(struct wire *, int, enum side, const uint8_t *, size_t);
int	 wire_recv(struct wire *, int, enum side, uint8_t *, size_t, size_t *,
	     int);
int	 wire_cross(struct wire *, int, enum side, const uint8_t *, size_t,
	     uint8_t *, size_t, size_t *);

#endif
