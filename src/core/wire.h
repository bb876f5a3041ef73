/*
 * The wire: two UDP sockets on 127.0.0.1, one per endpoint.  Every segment
 * crosses the kernel as one datagram holding its encoded TCP header and
 * data; the receiver reads it back and validates it before its state
 * machine may see it.  A third socket stands for "somebody else on this
 * machine", to send datagrams from an address that is not the peer's.
 */
#ifndef SYNFIN_WIRE_H
#define SYNFIN_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

#define WIRE_STRANGER	NSIDES		/* index of the third socket */

/* Datagrams that are not valid segments of the connection. */
enum bad_kind {
	BAD_GARBAGE,		/* random octets */
	BAD_SHORT,		/* shorter than a header */
	BAD_CHECKSUM,		/* a good segment with its checksum spoiled */
	BAD_PORT,		/* a good segment for other ports */
	BAD_STRANGER,		/* a good segment from another address */
};
#define WIRE_DGRAM_MAX	65507		/* largest UDP payload over IPv4 */

struct wire {
	int			 fd[NSIDES + 1];
	struct sockaddr_in	 addr[NSIDES + 1];
};

int	 wire_open(struct wire *, char *, size_t);
void	 wire_close(struct wire *);
int	 wire_send(struct wire *, int, enum side, const uint8_t *, size_t);
int	 wire_recv(struct wire *, enum side, uint8_t *, size_t, size_t *, int *,
	     int);

#endif
