/*
 * The segment codec: struct segment to and from the 20-octet TCP header
 * with its options (RFC 9293 sections 3.1 and 3.2), and the checksum over
 * the IPv4 pseudo-header.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "segment.h"

/* Option kinds (RFC 9293 section 3.2, RFC 7323, RFC 2018). */
#define OPT_EOL		0
#define OPT_NOP		1
#define OPT_MSS		2
#define OPT_WSCALE	3
#define OPT_SACK_OK	4
#define OPT_SACK	5
#define OPT_TS		8

void
segment_init(struct segment *seg)
{
	memset(seg, 0, sizeof *seg);
	seg->wscale = -1;
}

/* Sequence space the segment occupies: its data, plus one each for SYN and FIN. */
uint32_t
segment_seqlen(const struct segment *seg)
{
	return seg->len + !!(seg->flags & TH_SYN) + !!(seg->flags & TH_FIN);
}

/*
 * The options in the order Linux writes them (tcp_options_write): MSS,
 * then SACK-permitted folded into the timestamp's padding, then window
 * scale behind a NOP.  Keeping that order makes our bytes line up with a
 * capture of the real kernel.
 */
static size_t
options_encode(const struct segment *seg, uint8_t *p)
{
	uint8_t	*start = p;

	if (seg->mss != 0) {
		*p++ = OPT_MSS;
		*p++ = 4;
		*p++ = seg->mss >> 8;
		*p++ = seg->mss & 0xff;
	}
	if (seg->has_ts) {
		if (seg->sack_ok) {
			*p++ = OPT_SACK_OK;
			*p++ = 2;
		} else {
			*p++ = OPT_NOP;
			*p++ = OPT_NOP;
		}
		*p++ = OPT_TS;
		*p++ = 10;
		for (int i = 3; i >= 0; i--)
			*p++ = seg->ts_val >> (8 * i);
		for (int i = 3; i >= 0; i--)
			*p++ = seg->ts_ecr >> (8 * i);
	} else if (seg->sack_ok) {
		*p++ = OPT_NOP;
		*p++ = OPT_NOP;
		*p++ = OPT_SACK_OK;
		*p++ = 2;
	}
	if (seg->wscale >= 0) {
		*p++ = OPT_NOP;
		*p++ = OPT_WSCALE;
		*p++ = 3;
		*p++ = (uint8_t)seg->wscale;
	}
	/* The SACK blocks last, behind two NOPs; as many as fit. */
	if (seg->nsack > 0) {
		int	 n = seg->nsack, room = (int)(40 - (p - start) - 4) / 8;

		if (n > room)
			n = room;
		*p++ = OPT_NOP;
		*p++ = OPT_NOP;
		*p++ = OPT_SACK;
		*p++ = (uint8_t)(2 + 8 * n);
		for (int b = 0; b < n; b++) {
			for (int i = 3; i >= 0; i--)
				*p++ = seg->sack[b].start >> (8 * i);
			for (int i = 3; i >= 0; i--)
				*p++ = seg->sack[b].end >> (8 * i);
		}
	}
	/* Pad to a whole word with EOL (never needed by the layouts above). */
	while ((p - start) % 4 != 0)
		*p++ = OPT_EOL;
	return p - start;
}

/* How many octets its options take on the wire. */
size_t
segment_opt_len(const struct segment *seg)
{
	uint8_t	 scratch[64];

	return options_encode(seg, scratch);
}

/*
 * The one's complement sum of n octets as 16-bit big-endian words, folded
 * to 16 bits.  The sum is taken four octets at a time in the machine's
 * own order and turned around at the end: a one's complement sum of
 * byte-swapped words is the byte-swapped sum (RFC 1071, section 2).
 */
static uint32_t
sum16(const uint8_t *p, size_t n)
{
	uint64_t	 sum = 0;
	uint32_t	 w;
	uint16_t	 h;
	uint8_t		 last[2] = { 0, 0 };

	for (; n >= 4; p += 4, n -= 4) {
		memcpy(&w, p, 4);
		sum += w;
	}
	if (n >= 2) {
		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		n -= 2;
	}
	if (n == 1) {
		last[0] = p[0];
		memcpy(&h, last, 2);
		sum += h;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ntohs((uint16_t)sum);
}

/* The Internet checksum of n octets alone (an IPv4 header, say). */
uint16_t
inet_checksum(const uint8_t *buf, size_t n)
{
	return (uint16_t)~sum16(buf, n);
}

/*
 * The Internet checksum of a whole TCP segment (header with its checksum
 * field as it stands, plus payload) and the IPv4 pseudo-header: source,
 * destination, zero, protocol 6, TCP length (RFC 9293 section 3.1).  A
 * segment whose checksum field is right sums to zero.
 */
uint16_t
segment_checksum(const uint8_t *buf, size_t n, const struct seg_addrs *a)
{
	uint32_t	 sum = 0;

	sum += a->src >> 16;
	sum += a->src & 0xffff;
	sum += a->dst >> 16;
	sum += a->dst & 0xffff;
	sum += 6;
	sum += (uint32_t)n;
	sum += sum16(buf, n);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Write the header, options and payload into buf.  Fills in seg->off and
 * seg->cksum.  Returns the number of octets, or -1 if buf is too small or
 * the segment would not fit one datagram.
 */
int
segment_encode(struct segment *seg, const uint8_t *payload,
    const struct seg_addrs *a, uint8_t *buf, size_t size)
{
	uint8_t	 opts[SEG_HDR_MAX - SEG_HDR_MIN];
	size_t	 olen, hlen, total;

	olen = options_encode(seg, opts);
	hlen = SEG_HDR_MIN + olen;
	total = hlen + seg->len;
	if (seg->len > SEG_PAYLOAD_MAX || total > SEG_DGRAM_MAX || total > size)
		return -1;

	put16(buf + 0, seg->sport);
	put16(buf + 2, seg->dport);
	put32(buf + 4, seg->seq);
	put32(buf + 8, seg->ack);
	seg->off = (uint8_t)(hlen / 4);
	buf[12] = (uint8_t)(seg->off << 4);
	buf[13] = seg->flags;
	put16(buf + 14, seg->win);
	put16(buf + 16, 0);
	put16(buf + 18, seg->urp);
	memcpy(buf + SEG_HDR_MIN, opts, olen);
	if (seg->len > 0)
		memcpy(buf + hlen, payload, seg->len);

	seg->cksum = segment_checksum(buf, total, a);
	put16(buf + 16, seg->cksum);
	return (int)total;
}

static enum seg_error
options_decode(const uint8_t *p, size_t n, struct segment *seg)
{
	size_t	 i = 0;

	while (i < n) {
		uint8_t	 kind = p[i], len;

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			return SEG_EOPTION;
		len = p[i + 1];
		if (len < 2 || i + len > n)
			return SEG_EOPTION;
		switch (kind) {
		case OPT_MSS:
			if (len != 4)
				return SEG_EOPTION;
			seg->mss = get16(p + i + 2);
			break;
		case OPT_WSCALE:
			if (len != 3)
				return SEG_EOPTION;
			seg->wscale = (int8_t)(p[i + 2] > 14 ? 14 : p[i + 2]);
			break;
		case OPT_SACK_OK:
			if (len != 2)
				return SEG_EOPTION;
			seg->sack_ok = true;
			break;
		case OPT_SACK:
			if (len < 10 || (len - 2) % 8 != 0 ||
			    (len - 2) / 8 > SEG_SACK_MAX)
				return SEG_EOPTION;
			seg->nsack = (uint8_t)((len - 2) / 8);
			for (int b = 0; b < seg->nsack; b++) {
				seg->sack[b].start = get32(p + i + 2 + 8 * b);
				seg->sack[b].end = get32(p + i + 6 + 8 * b);
			}
			break;
		case OPT_TS:
			if (len != 10)
				return SEG_EOPTION;
			seg->has_ts = true;
			seg->ts_val = get32(p + i + 2);
			seg->ts_ecr = get32(p + i + 6);
			break;
		default:
			/* Unknown options are skipped (RFC 9293 MUST-6). */
			break;
		}
		i += len;
	}
	return SEG_OK;
}

/*
 * Parse and validate the octets of one segment.  On success fills *seg and
 * points *payload at the data.  Every field is checked that can be checked
 * without the connection: length, data offset, option lengths, and the
 * checksum over the pseudo-header of addresses a.  A NULL a skips the
 * checksum: a capture on lo holds only the partial sum the kernel leaves
 * for offload.  Ports are the caller's business.
 */
enum seg_error
segment_decode(const uint8_t *buf, size_t n, const struct seg_addrs *a,
    struct segment *seg, const uint8_t **payload)
{
	size_t		 hlen;
	enum seg_error	 e;

	segment_init(seg);
	if (n < SEG_HDR_MIN)
		return SEG_ESHORT;
	if (n > SEG_DGRAM_MAX)
		return SEG_ETOOBIG;
	seg->sport = get16(buf + 0);
	seg->dport = get16(buf + 2);
	seg->seq = get32(buf + 4);
	seg->ack = get32(buf + 8);
	seg->off = buf[12] >> 4;
	/* The four reserved bits are ignored on receipt (RFC 9293 3.1). */
	seg->flags = buf[13];
	seg->win = get16(buf + 14);
	seg->cksum = get16(buf + 16);
	seg->urp = get16(buf + 18);

	hlen = (size_t)seg->off * 4;
	if (seg->off < 5 || hlen > n)
		return SEG_EOFFSET;
	if ((e = options_decode(buf + SEG_HDR_MIN, hlen - SEG_HDR_MIN, seg)) != SEG_OK)
		return e;
	if (a != NULL && segment_checksum(buf, n, a) != 0)
		return SEG_ECHECKSUM;
	seg->len = (uint32_t)(n - hlen);
	if (payload != NULL)
		*payload = buf + hlen;
	return SEG_OK;
}

/* The word the trace gives for why a datagram was not a segment. */
const char *
segment_strerror(enum seg_error e)
{
	static const char *const words[] = {
		[SEG_OK] = "ok",
		[SEG_ESHORT] = "short",
		[SEG_EOFFSET] = "offset",
		[SEG_EOPTION] = "option",
		[SEG_ECHECKSUM] = "checksum",
		[SEG_ETOOBIG] = "toobig",
	};

	return words[e];
}

/* tcpdump's letters, in tcpdump's order; ACK is the dot. */
static const struct {
	uint8_t	 bit;
	char	 letter;
	const char *name;
} flag_table[] = {
	{ TH_FIN, 'F', "FIN" },
	{ TH_SYN, 'S', "SYN" },
	{ TH_RST, 'R', "RST" },
	{ TH_PSH, 'P', "PSH" },
	{ TH_ACK, '.', "ACK" },
	{ TH_URG, 'U', "URG" },
	{ TH_ECE, 'E', "ECE" },
	{ TH_CWR, 'W', "CWR" },
};
#define NFLAGS (sizeof flag_table / sizeof flag_table[0])

/* Flags as tcpdump prints them: "S", "S.", ".", "F.", "R.", "P.", "none". */
const char *
segment_flags(uint8_t flags, char buf[16])
{
	char	*p = buf;

	for (size_t i = 0; i < NFLAGS; i++) {
		if (flags & flag_table[i].bit)
			*p++ = flag_table[i].letter;
	}
	if (p == buf)
		return strcpy(buf, "none");
	*p = '\0';
	return buf;
}

static int
flag_by_letter(char c)
{
	for (size_t i = 0; i < NFLAGS; i++) {
		if (flag_table[i].letter == c)
			return flag_table[i].bit;
	}
	return -1;
}

static int
flag_by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < NFLAGS; i++) {
		if (n == 3 && strncasecmp(s, flag_table[i].name, 3) == 0)
			return flag_table[i].bit;
	}
	return -1;
}

/*
 * Read flags written either as tcpdump letters ("S.", "FP.", "none") or as
 * names joined by '+' ("SYN+ACK", "fin").  Letters name the exact set a
 * segment carries, names the flags it must carry at least: *exact (if
 * not NULL) says which.  Returns 0, or -1 if the text is neither.
 */
int
segment_parse_flags(const char *s, uint8_t *out, bool *exact)
{
	uint8_t	 flags = 0;
	bool	 by_letter = true;
	int	 bit;

	if (*s == '\0')
		return -1;
	if (strcmp(s, "none") != 0 && strlen(s) >= 3 &&
	    flag_by_name(s, 3) != -1) {
		by_letter = false;
		while (*s != '\0') {
			size_t	 n = strcspn(s, "+");

			if ((bit = flag_by_name(s, n)) == -1)
				return -1;
			flags |= bit;
			s += n;
			if (*s == '+' && *++s == '\0')
				return -1;
		}
	} else if (strcmp(s, "none") != 0) {
		for (; *s != '\0'; s++) {
			if ((bit = flag_by_letter(*s)) == -1 || (flags & bit))
				return -1;
			flags |= bit;
		}
	}
	/* Only a success touches what the caller passed. */
	*out = flags;
	if (exact != NULL)
		*exact = by_letter;
	return 0;
}
