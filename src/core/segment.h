/*
 * A TCP segment in host order, and its wire form (RFC 9293 section 3.1).
 *
 * The control block does arithmetic on struct segment; only this module
 * touches bytes in network order.
 */
#ifndef SYNFIN_SEGMENT_H
#define SYNFIN_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20
#define TH_ECE	0x40
#define TH_CWR	0x80

#define SEG_HDR_MIN	20	/* header without options */
#define SEG_HDR_MAX	60	/* data offset 15 words */
/* A segment must fit one IPv4 packet: 65535 octets, less its header (as
 * Linux's on lo; the socket pair's UDP carries 8 fewer, wire.h). */
#define SEG_DGRAM_MAX	65515
#define SEG_PAYLOAD_MAX	(SEG_DGRAM_MAX - SEG_HDR_MIN)
/* SACK blocks in 40 octets of options: 4, or 3 beside timestamps. */
#define SEG_SACK_MAX	4

struct segment {
	uint16_t	 sport;
	uint16_t	 dport;
	uint32_t	 seq;
	uint32_t	 ack;
	uint8_t		 flags;		/* TH_* */
	uint8_t		 off;		/* data offset in words (set by codec) */
	uint16_t	 win;		/* the field as carried: already scaled */
	uint16_t	 cksum;		/* as carried (set by codec) */
	uint16_t	 urp;
	uint32_t	 len;		/* payload octets */

	/* Options: those Linux sends on loopback. */
	uint16_t	 mss;		/* 0: absent */
	int8_t		 wscale;	/* -1: absent */
	bool		 sack_ok;
	bool		 has_ts;
	uint32_t	 ts_val;
	uint32_t	 ts_ecr;
	uint8_t		 nsack;		/* SACK blocks (RFC 2018), up to 4 */
	struct sack_block {
		uint32_t	 start;	/* the first sequence number held */
		uint32_t	 end;	/* and the one after the last */
	}		 sack[SEG_SACK_MAX];
};

/* IPv4 addresses of the connection, host order, for the pseudo-header. */
struct seg_addrs {
	uint32_t	 src;
	uint32_t	 dst;
};

enum seg_error {
	SEG_OK,
	SEG_ESHORT,	/* fewer than 20 octets */
	SEG_EOFFSET,	/* data offset below 5 or past the end */
	SEG_EOPTION,	/* an option runs past the header or has a bad length */
	SEG_ECHECKSUM,	/* checksum does not verify */
	SEG_ETOOBIG,	/* will not fit a datagram */
};

void		 segment_init(struct segment *);
uint32_t	 segment_seqlen(const struct segment *);
size_t		 segment_opt_len(const struct segment *);
int		 segment_encode(struct segment *, const uint8_t *,
		     const struct seg_addrs *, uint8_t *, size_t);
enum seg_error	 segment_decode(const uint8_t *, size_t,
		     const struct seg_addrs *, struct segment *,
		     const uint8_t **);
uint16_t	 segment_checksum(const uint8_t *, size_t,
		     const struct seg_addrs *);
uint16_t	 inet_checksum(const uint8_t *, size_t);
const char	*segment_strerror(enum seg_error);
const char	*segment_flags(uint8_t, char [16]);
int		 segment_parse_flags(const char *, uint8_t *, bool *);

/*
 * Whether the first SACK block is a D-SACK (RFC 2883 section 4): below
 * the ack, or inside the second block.
 */
static inline bool
segment_dsack(const struct segment *seg)
{
	const struct sack_block	*b = seg->sack;

	if (seg->nsack == 0)
		return false;
	if ((int32_t)(b[0].end - seg->ack) <= 0)
		return true;
	return seg->nsack > 1 && (int32_t)(b[0].start - b[1].start) >= 0 &&
	    (int32_t)(b[0].end - b[1].end) <= 0;
}

/* Network byte order in and out of a buffer: headers, captures. */
static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

#endif
