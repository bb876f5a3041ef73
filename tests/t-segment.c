/* The segment codec and sequence arithmetic, against the Linux kernel's bytes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"
#include "seq.h"
#include "tap.h"
#include "vectors.h"

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const struct seg_addrs c2s = { A(10, 55, 0, 1), A(10, 55, 0, 2) };
static const struct seg_addrs s2c = { A(10, 55, 0, 2), A(10, 55, 0, 1) };
static const struct seg_addrs other = { A(10, 55, 0, 3), A(10, 55, 0, 2) };

/* Decode the kernel's bytes, then encode what we read: the same bytes. */
static void
roundtrip(const char *name, const uint8_t *wire, size_t n,
    const struct seg_addrs *a, struct segment *seg)
{
	const uint8_t	*payload;
	uint8_t		 buf[256];
	int		 len;

	is_int(segment_decode(wire, n, a, seg, &payload), SEG_OK,
	    "%s: decodes, checksum verified", name);
	len = segment_encode(seg, payload, a, buf, sizeof buf);
	is_int(len, n, "%s: re-encodes to the same length", name);
	ok(len == (int)n && memcmp(buf, wire, n) == 0,
	    "%s: re-encodes to the kernel's exact bytes, checksum included",
	    name);
}

static void
test_linux_vectors(void)
{
	struct segment	 seg;
	char		 flags[16];

	roundtrip("SYN", linux_syn, sizeof linux_syn, &c2s, &seg);
	is_int(seg.sport, 40312, "SYN: source port");
	is_int(seg.dport, 80, "SYN: destination port");
	is_int(seg.seq, 2544603904u, "SYN: seq");
	is_int(seg.off, 10, "SYN: data offset 10 words (20 octets of options)");
	is_str(segment_flags(seg.flags, flags), "S", "SYN: flags");
	is_int(seg.win, 64240, "SYN: window");
	is_int(seg.mss, 1460, "SYN: MSS option");
	ok(seg.sack_ok, "SYN: SACK-permitted option");
	ok(seg.has_ts && seg.ts_val == 1124681244u && seg.ts_ecr == 0,
	    "SYN: timestamp option");
	is_int(seg.wscale, 10, "SYN: window scale option");
	is_int(segment_seqlen(&seg), 1, "SYN occupies one sequence number");

	roundtrip("SYN+ACK", linux_synack, sizeof linux_synack, &s2c, &seg);
	is_str(segment_flags(seg.flags, flags), "S.", "SYN+ACK: flags");
	is_int(seg.ack, 2544603905u, "SYN+ACK: ack = ISN + 1");

	roundtrip("ACK", linux_ack, sizeof linux_ack, &c2s, &seg);
	is_str(segment_flags(seg.flags, flags), ".", "ACK: flags");
	is_int(seg.off, 8, "ACK: timestamps make the header 32 octets");
	is_int(segment_seqlen(&seg), 0, "a bare ACK occupies no sequence space");

	roundtrip("data", linux_data, sizeof linux_data, &c2s, &seg);
	is_str(segment_flags(seg.flags, flags), "P.", "data: flags");
	is_int(seg.len, 5, "data: five octets of payload");
	ok(memcmp(linux_data + 32, "hello", 5) == 0, "data: payload follows");

	roundtrip("FIN", linux_fin, sizeof linux_fin, &c2s, &seg);
	is_str(segment_flags(seg.flags, flags), "F.", "FIN: flags");
	is_int(segment_seqlen(&seg), 1, "FIN occupies one sequence number");
}

/* Every way a datagram can fail to be a segment is caught. */
static void
test_malformed(void)
{
	struct segment	 seg;
	uint8_t		 b[64];

	memcpy(b, linux_ack, sizeof linux_ack);
	is_int(segment_decode(b, 19, &c2s, &seg, NULL), SEG_ESHORT,
	    "19 octets: too short");
	is_int(segment_decode(b, 0, &c2s, &seg, NULL), SEG_ESHORT,
	    "empty: too short");
	b[16] ^= 1;
	is_int(segment_decode(b, sizeof linux_ack, &c2s, &seg, NULL),
	    SEG_ECHECKSUM, "one bit flipped in the checksum");
	b[16] ^= 1;
	/* Swapping the two addresses would not show (the sum commutes). */
	is_int(segment_decode(b, sizeof linux_ack, &other, &seg, NULL),
	    SEG_ECHECKSUM, "right bytes, another address: pseudo-header fails");
	b[4] ^= 0x80;
	is_int(segment_decode(b, sizeof linux_ack, &c2s, &seg, NULL),
	    SEG_ECHECKSUM, "sequence number changed: checksum fails");
	b[4] ^= 0x80;

	memcpy(b, linux_ack, sizeof linux_ack);
	b[12] = 0x40;
	is_int(segment_decode(b, sizeof linux_ack, &c2s, &seg, NULL),
	    SEG_EOFFSET, "data offset 4 words");
	b[12] = 0xf0;
	is_int(segment_decode(b, sizeof linux_ack, &c2s, &seg, NULL),
	    SEG_EOFFSET, "data offset past the end");

	/* An option whose length runs past the header. */
	memcpy(b, linux_ack, sizeof linux_ack);
	b[23] = 40;
	is_int(segment_decode(b, sizeof linux_ack, &c2s, &seg, NULL),
	    SEG_EOPTION, "timestamp option claiming 40 octets");
	b[23] = 1;
	is_int(segment_decode(b, sizeof linux_ack, &c2s, &seg, NULL),
	    SEG_EOPTION, "option length below 2");
	memcpy(b, linux_syn, sizeof linux_syn);
	b[21] = 5;
	is_int(segment_decode(b, sizeof linux_syn, &c2s, &seg, NULL),
	    SEG_EOPTION, "MSS option of length 5");
}

/* An odd-length segment sums its last octet as the high half. */
static void
test_checksum_odd(void)
{
	struct segment	 seg, back;
	uint8_t		 buf[128];
	const uint8_t	*payload;
	int		 n;

	segment_init(&seg);
	seg.sport = 1;
	seg.dport = 2;
	seg.seq = 0xfffffff0u;
	seg.ack = 7;
	seg.flags = TH_ACK | TH_PSH;
	seg.win = 512;
	seg.len = 3;
	n = segment_encode(&seg, (const uint8_t *)"abc", &c2s, buf, sizeof buf);
	is_int(n, 23, "3 octets of data after a bare header");
	is_int(segment_checksum(buf, (size_t)n, &c2s), 0,
	    "an encoded segment sums to zero");
	is_int(segment_decode(buf, (size_t)n, &c2s, &back, &payload), SEG_OK,
	    "and decodes");
	ok(back.len == 3 && memcmp(payload, "abc", 3) == 0, "payload intact");
	is_int(segment_encode(&seg, (const uint8_t *)"abc", &c2s, buf, 22), -1,
	    "a buffer too small is refused");
}

/*
 * SACK blocks (RFC 2018): after the other options, behind two NOPs, as
 * Linux writes them; three fit beside timestamps, four without; a D-SACK
 * is told by where its block lies (RFC 2883).
 */
static void
test_sack(void)
{
	struct segment	 seg, back;
	uint8_t		 buf[128];
	int		 n;

	segment_init(&seg);
	seg.sport = 80;
	seg.dport = 40000;
	seg.seq = 1000;
	seg.ack = 5000;
	seg.flags = TH_ACK;
	seg.win = 64;
	seg.has_ts = true;
	seg.ts_val = 7;
	seg.ts_ecr = 9;
	seg.nsack = 2;
	seg.sack[0].start = 6000;
	seg.sack[0].end = 7000;
	seg.sack[1].start = 8000;
	seg.sack[1].end = 9000;
	n = segment_encode(&seg, NULL, &s2c, buf, sizeof buf);
	is_int(n, 20 + 12 + 4 + 16, "timestamps and two SACK blocks: 52 octets");
	ok(buf[32] == 1 && buf[33] == 1 && buf[34] == 5 && buf[35] == 18,
	    "NOP NOP, then SACK of length 18");
	is_int(segment_decode(buf, (size_t)n, &s2c, &back, NULL), SEG_OK,
	    "decodes");
	ok(back.nsack == 2 && back.sack[0].start == 6000 &&
	    back.sack[0].end == 7000 && back.sack[1].start == 8000 &&
	    back.sack[1].end == 9000, "both blocks come back");
	ok(!segment_dsack(&back), "blocks past the ack are no D-SACK");
	seg.nsack = 4;
	seg.sack[2] = seg.sack[1];
	seg.sack[3] = seg.sack[1];
	n = segment_encode(&seg, NULL, &s2c, buf, sizeof buf);
	is_int(n, 60, "beside timestamps only three of four fit: 60 octets");
	segment_decode(buf, (size_t)n, &s2c, &back, NULL);
	is_int(back.nsack, 3, "three blocks sent");
	seg.has_ts = false;
	n = segment_encode(&seg, NULL, &s2c, buf, sizeof buf);
	segment_decode(buf, (size_t)n, &s2c, &back, NULL);
	ok(n == 56 && back.nsack == 4, "without timestamps, four");
	seg.nsack = 1;
	seg.sack[0].start = 4000;
	seg.sack[0].end = 5000;
	ok(segment_dsack(&seg), "a block below the ack is a D-SACK");
	seg.nsack = 2;
	seg.sack[0].start = 6500;
	seg.sack[0].end = 7000;
	seg.sack[1].start = 6000;
	seg.sack[1].end = 7000;
	ok(segment_dsack(&seg), "so is a first block inside the second");
	/* A SACK option whose length is no whole number of blocks. */
	seg.nsack = 1;
	n = segment_encode(&seg, NULL, &s2c, buf, sizeof buf);
	buf[20 + 3] = 9;
	is_int(segment_decode(buf, (size_t)n, NULL, &back, NULL), SEG_EOPTION,
	    "a SACK of length 9 is refused");
}

/* RFC 1071's sum, one big-endian word at a time, to check the fast one. */
static uint16_t
reference_checksum(const uint8_t *p, size_t n, const struct seg_addrs *a)
{
	uint32_t	 sum = (a->src >> 16) + (a->src & 0xffff) +
			    (a->dst >> 16) + (a->dst & 0xffff) + 6 +
			    (uint32_t)n;

	for (size_t i = 0; i < n; i++)
		sum += i % 2 == 0 ? (uint32_t)p[i] << 8 : p[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Every length and alignment, all-ones octets among them. */
static void
test_checksum_lengths(void)
{
	uint8_t		 buf[1030];
	uint32_t	 x = 12345;
	int		 bad = 0, first = -1;

	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = i % 7 == 0 ? 0xff : (uint8_t)(x >> 16);
	}
	for (size_t off = 0; off < 4; off++) {
		for (size_t n = 0; n + off <= sizeof buf; n++) {
			if (segment_checksum(buf + off, n, &c2s) !=
			    reference_checksum(buf + off, n, &c2s)) {
				if (bad++ == 0)
					first = (int)n;
			}
		}
	}
	is_int(bad, 0, "the checksum of 0 to 1030 octets at four alignments "
	    "agrees with RFC 1071's word-at-a-time sum (first wrong: %d)",
	    first);
}

static void
test_flags(void)
{
	static const struct {
		uint8_t		 flags;
		const char	*text;
	} t[] = {
		{ TH_SYN, "S" }, { TH_SYN | TH_ACK, "S." }, { TH_ACK, "." },
		{ TH_FIN | TH_ACK, "F." }, { TH_RST, "R" },
		{ TH_RST | TH_ACK, "R." }, { TH_PSH | TH_ACK, "P." },
		{ TH_FIN | TH_PSH | TH_ACK, "FP." }, { 0, "none" },
	};
	char	 buf[16];
	uint8_t	 f;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		is_str(segment_flags(t[i].flags, buf), t[i].text,
		    "flags %#x print as %s", t[i].flags, t[i].text);
		ok(segment_parse_flags(t[i].text, &f, NULL) == 0 && f == t[i].flags,
		    "'%s' parses back", t[i].text);
	}
	ok(segment_parse_flags("SYN+ACK", &f, NULL) == 0 && f == (TH_SYN | TH_ACK),
	    "SYN+ACK by name");
	ok(segment_parse_flags("fin", &f, NULL) == 0 && f == TH_FIN, "fin by name");
	ok(segment_parse_flags("SS", &f, NULL) == -1, "a letter twice is refused");
	ok(segment_parse_flags("SYN+", &f, NULL) == -1, "a trailing + is refused");
	ok(segment_parse_flags("X", &f, NULL) == -1, "an unknown letter is refused");
	ok(segment_parse_flags("", &f, NULL) == -1, "nothing is refused");
	{
		bool	 exact;

		ok(segment_parse_flags(".", &f, &exact) == 0 && exact,
		    "letters name the exact set");
		ok(segment_parse_flags("ACK", &f, &exact) == 0 && !exact,
		    "names name flags carried at least");
		f = 0x12;
		ok(segment_parse_flags("300ms", &f, &exact) == -1 && !exact &&
		    f == 0x12, "text that is not flags leaves the outputs alone");
	}
}

static void
test_seq(void)
{
	ok(seq_lt(0xfffffff0u, 0x10), "seq_lt across the wrap");
	ok(!seq_lt(0x10, 0xfffffff0u), "and not the other way");
	ok(seq_gt(5, 0xffffffffu), "5 comes after 2^32 - 1");
	ok(seq_leq(7, 7) && seq_geq(7, 7), "equal is both =< and >=");
	ok(seq_between(0xfffffffeu, 1, 3), "seq_between across the wrap");
	ok(!seq_between(2, 1, 3), "below the range");
	ok(seq_in_window(0xffffffffu, 0xfffffff0u, 0x20), "in a wrapping window");
	ok(!seq_in_window(0x10, 0xfffffff0u, 0x20), "just past it");
	is_int(seq_max(0xfffffff0u, 3), 3, "seq_max across the wrap");
}

int
main(void)
{
	test_linux_vectors();
	test_malformed();
	test_checksum_odd();
	test_sack();
	test_checksum_lengths();
	test_flags();
	test_seq();
	return tap_done();
}
