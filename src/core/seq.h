/*
 * Sequence number arithmetic, modulo 2^32 (RFC 9293 section 3.4).
 *
 * Sequence numbers wrap, so "a comes before b" is decided by the sign of the
 * 32-bit difference, never by a bare < on the values.
 */
#ifndef SYNFIN_SEQ_H
#define SYNFIN_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool
seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool
seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool
seq_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* lo =< a =< hi, as the RFC writes "SND.UNA =< SEG.ACK =< SND.NXT". */
static inline bool
seq_between(uint32_t lo, uint32_t a, uint32_t hi)
{
	return seq_leq(lo, a) && seq_leq(a, hi);
}

/* start =< a < start + len: a lies inside a window of len octets. */
static inline bool
seq_in_window(uint32_t a, uint32_t start, uint32_t len)
{
	return a - start < len;
}

static inline uint32_t
seq_max(uint32_t a, uint32_t b)
{
	return seq_gt(a, b) ? a : b;
}

#endif
