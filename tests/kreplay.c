/*
 * kreplay: what the Linux kernel does for a script's calls, in the trace
 * format (the kernel engine, src/kernel, alone): how the recordings in
 * tests/linux are made and replayed.
 *
 *	kreplay FILE
 */
#include "config.h"

#include <stdio.h>

#include "journal.h"
#include "kernel.h"
#include "script.h"
#include "trace.h"

int
main(int argc, char **argv)
{
	struct script	*sc;
	struct journal	 j;
	char		 err[1024];
	int		 r;

	if (argc != 2) {
		fprintf(stderr, "usage: kreplay FILE\n");
		return 2;
	}
	if ((sc = script_load(argv[1], err, sizeof err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	r = kernel_run(sc, NULL, &j, err, sizeof err);
	script_free(sc);
	if (r == -1) {
		fprintf(stderr, "kreplay: %s\n", err);
		return 2;
	}
	trace_print(stdout, &j, 0, j.nev, LANG_EN);
	fflush(stdout);
	journal_free(&j);
	return ferror(stdout) ? 1 : 0;
}
