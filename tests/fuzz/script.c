/*
 * Fuzz target: a script, any bytes.  It is read, or refused with
 * "fuzz.syn:LINE:COL: ..."; read, it runs (the wire in memory, a lower
 * event limit) to an end, with a journal whose time never runs back and
 * whose state changes chain, and its trace is written.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "run.h"
#include "trace.h"

#define FUZZ_EVENTS	20000

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Time never runs back; each state change starts where the last ended. */
static void
check_journal(const struct run *r)
{
	const struct journal	*j = run_journal(r);
	enum tcp_state		 state[NSIDES] = { TCPS_CLOSED, TCPS_CLOSED };
	vtime_t			 t = 0;

	for (size_t i = 0; i < j->nev; i++) {
		const struct jevent	*e = &j->ev[i];

		FUZZ_CHECK(e->t >= t);
		t = e->t;
		if (e->type == JE_STATE) {
			FUZZ_CHECK(e->u.state.from == state[e->side]);
			FUZZ_CHECK(e->u.state.cause != CAUSE_NONE);
			state[e->side] = e->u.state.to;
		}
		if (e->type == JE_SEG)
			FUZZ_CHECK(e->u.seg.id >= 0 &&
			    (size_t)e->u.seg.id < j->nsegs);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script	*s;
	struct run	 r;
	char		 err[1024];
	FILE		*f;

	s = script_parse("fuzz.syn", (const char *)data, size, err,
	    sizeof err);
	if (s == NULL) {
		FUZZ_CHECK(strncmp(err, "fuzz.syn:", 9) == 0);
		return 0;
	}
	if (run_init(&r, s, err, sizeof err) == 0) {
		r.sim.in_memory = true;
		r.events_max = FUZZ_EVENTS;
		if (run_all(&r) != RUN_BAD)
			check_journal(&r);
		run_end(&r);
		if ((f = fopen("/dev/null", "w")) != NULL) {
			trace_print(f, run_journal(&r), 0, run_journal(&r)->nev,
			    LANG_EN);
			fclose(f);
		}
		run_free(&r);
	}
	script_free(s);
	return 0;
}
