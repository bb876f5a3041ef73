/*
 * Fuzz target: a datagram, any bytes, as the wire would hand it over.
 * It decodes or is refused for a reason; decoded, it encodes back to
 * bytes that decode to the same segment, with a checksum that verifies.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "segment.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t		 out[SEG_DGRAM_MAX];
	struct seg_addrs	 a = { 0x7f000001, 0x7f000001 };
	struct segment		 seg, back;
	const uint8_t		*payload, *p2;
	enum seg_error		 e;
	uint8_t			*copy;
	int			 n;

	e = segment_decode(data, size, &a, &seg, &payload);
	FUZZ_CHECK(segment_strerror(e) != NULL);
	if (e != SEG_OK && e != SEG_ECHECKSUM)
		return 0;
	if (e == SEG_OK)
		FUZZ_CHECK(payload != NULL || seg.len == 0);
	/* Encode it back: the codec writes the options it knows. */
	copy = malloc(seg.len ? seg.len : 1);
	FUZZ_CHECK(copy != NULL);
	if (seg.len > 0 && e == SEG_OK)
		memcpy(copy, payload, seg.len);
	else
		memset(copy, 0, seg.len ? seg.len : 1);
	n = segment_encode(&seg, copy, &a, out, sizeof out);
	if (n > 0) {
		FUZZ_CHECK(segment_decode(out, (size_t)n, &a, &back, &p2) ==
		    SEG_OK);
		FUZZ_CHECK(back.seq == seg.seq && back.ack == seg.ack &&
		    back.flags == seg.flags && back.win == seg.win &&
		    back.len == seg.len && back.mss == seg.mss &&
		    back.wscale == seg.wscale && back.sack_ok == seg.sack_ok &&
		    back.has_ts == seg.has_ts);
		FUZZ_CHECK(seg.len == 0 || memcmp(p2, copy, seg.len) == 0);
	}
	free(copy);
	return 0;
}
