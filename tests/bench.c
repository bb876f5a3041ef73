/*
 * make bench: complete connection lifecycles per second (handshake,
 * four-way close, TIME_WAIT expiry) with the in-memory link and through
 * the UDP socket pair, measured side by side in alternating rounds; the
 * median of each is printed as "bench NAME VALUE UNIT".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim.h"

#define ROUNDS		5
#define ROUND_SECONDS	0.4

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
settle(struct sim *s, vtime_t after)
{
	sim_run_until(s, s->clock.now + after);
}

/* One connection from connect() to the end of TIME_WAIT, checked. */
static void
lifecycle(struct sim *s)
{
	sim_call(s, SIDE_CLIENT, CALL_CONNECT, 0);
	sim_call(s, SIDE_SERVER, CALL_ACCEPT, 0);
	settle(s, 0);
	if (s->ep[SIDE_CLIENT].state != TCPS_ESTABLISHED ||
	    s->ep[SIDE_SERVER].state != TCPS_ESTABLISHED) {
		fprintf(stderr, "bench: the handshake did not complete\n");
		exit(1);
	}
	sim_call(s, SIDE_CLIENT, CALL_CLOSE, 0);
	settle(s, VT_MS(10));
	sim_call(s, SIDE_SERVER, CALL_CLOSE, 0);
	settle(s, VT_SEC(61));
	if (s->ep[SIDE_CLIENT].state != TCPS_CLOSED ||
	    s->ep[SIDE_SERVER].state != TCPS_CLOSED ||
	    s->journal.nsegs != 7) {
		fprintf(stderr, "bench: the close went wrong (%zu segments)\n",
		    s->journal.nsegs);
		exit(1);
	}
	journal_clear(&s->journal);
}

/* Lifecycles per second over one round. */
static double
round_rate(bool in_memory)
{
	struct sim	 s;
	char		 err[256];
	unsigned long	 n = 0;
	double		 t0, t;

	if (sim_init(&s, PROFILE_LINUX, err, sizeof err) == -1) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	s.in_memory = in_memory;
	sim_call(&s, SIDE_SERVER, CALL_LISTEN, 0);
	t0 = seconds();
	do {
		for (int i = 0; i < 64; i++, n++)
			lifecycle(&s);
	} while ((t = seconds() - t0) < ROUND_SECONDS);
	sim_free(&s);
	return n / t;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(void)
{
	double	 mem[ROUNDS], loop[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		mem[i] = round_rate(true);
		loop[i] = round_rate(false);
	}
	qsort(mem, ROUNDS, sizeof mem[0], cmp_double);
	qsort(loop, ROUNDS, sizeof loop[0], cmp_double);
	printf("bench lifecycles_memory %.0f conn/s\n", mem[ROUNDS / 2]);
	printf("bench lifecycles_loopback %.0f conn/s\n", loop[ROUNDS / 2]);
	printf("bench loopback_cost_ratio %.2f x\n",
	    mem[ROUNDS / 2] / loop[ROUNDS / 2]);
	return 0;
}
