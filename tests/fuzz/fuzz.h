/*
 * The fuzz targets: each takes one input of any bytes and must neither
 * crash, leak, hang nor break an invariant it checks (abort).  Built with
 * libFuzzer by make fuzz, and with driver.c by make check, which feeds
 * them every input kept in tests/fuzz/TARGET/.
 */
#ifndef SYNFIN_FUZZ_H
#define SYNFIN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant broken: say which, and abort (the fuzzer keeps the input). */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		abort();						\
	}								\
} while (0)

#endif
