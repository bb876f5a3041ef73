/*
 * Fuzz target: a capture file, any bytes.  It is read as synfin reads a
 * pcap or pcapng: either a clear error, or a journal whose states are
 * states and whose segments are the connection's, in time order.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "fuzz.h"

static char	 path[] = "/tmp/synfin-fuzz-capture.XXXXXX";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	(void)argc;
	(void)argv;
	FUZZ_CHECK((fd = mkstemp(path)) != -1);
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct journal	 j;
	char		 err[1024] = "";
	FILE		*f = fopen(path, "wb");
	vtime_t		 t = 0;

	FUZZ_CHECK(f != NULL);
	fwrite(data, 1, n, f);
	fclose(f);
	if (capture_read(path, 1, &j, NULL, err, sizeof err) == -1) {
		/* A clear error, naming the file. */
		FUZZ_CHECK(strstr(err, path) != NULL);
		return 0;
	}
	for (size_t i = 0; i < j.nev; i++) {
		const struct jevent	*e = &j.ev[i];

		FUZZ_CHECK(e->t >= t);
		t = e->t;
		if (e->type == JE_STATE)
			FUZZ_CHECK(e->u.state.from < TCP_NSTATES &&
			    e->u.state.to < TCP_NSTATES &&
			    e->u.state.cause < TCP_NCAUSES);
		if (e->type == JE_SEG) {
			const struct jseg *g = &j.segs[e->u.seg.id];

			FUZZ_CHECK(g->seg.sport == j.conn.port[g->dir] &&
			    g->seg.dport == j.conn.port[!g->dir]);
		}
	}
	journal_free(&j);
	return 0;
}
