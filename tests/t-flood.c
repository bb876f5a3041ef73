/*
 * The wire carries, it does not decide.  A run is the same, event for
 * event, while another process floods its sockets' ports with datagrams;
 * none of synfin's own datagrams is lost on the way (none is sent
 * twice); and a script's own stray datagrams are still refused.  The
 * same when each datagram crosses on its own rather than in a batch.
 */
#include "config.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "tap.h"
#include "trace.h"

#define RUNS	4
#define CYCLES	800

/* One connection's life, with losses, copies, delays and strays. */
static const char cycle[] =
    "drop next c2s S\n"
    "client connect\n"
    "wait idle\n"
    "server accept\n"
    "client send 3000\n"
    "server send 200\n"
    "dup next s2c\n"
    "server send 10\n"
    "wait 50ms\n"
    "delay next c2s F 300ms\n"
    "client close\n"
    "wait 100ms\n"
    "server close\n"
    "inject c2s garbage 20\n"
    "inject s2c stranger 5\n"
    "wait until client CLOSED\n";

/* The script: a listener, then CYCLES connections. */
static char *
make_script(void)
{
	size_t	 n = strlen(cycle), head = strlen("set latency 5ms\n"
	    "server listen\n");
	char	*s = malloc(head + n * CYCLES + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, "set latency 5ms\nserver listen\n", head);
	for (int i = 0; i < CYCLES; i++)
		memcpy(s + head + n * (size_t)i, cycle, n);
	s[head + n * CYCLES] = '\0';
	return s;
}

static char	*script;

/* Every port of the run's sockets: the two sides, the stranger, inboxes. */
static int
ports_of(const struct run *r, uint16_t *p)
{
	int	 n = 0;

	for (int i = 0; i <= NSIDES; i++)
		p[n++] = ntohs(r->sim.wire.addr[i].sin_port);
	for (int i = 0; i < NSIDES; i++)
		p[n++] = ntohs(r->sim.wire.inbox_addr[i].sin_port);
	return n;
}

/* Send datagrams at the ports from a socket of our own, until killed. */
static void __attribute__((noreturn))
flood(const uint16_t *ports, int n, unsigned long *sent)
{
	struct sockaddr_in	 to = { .sin_family = AF_INET };
	uint8_t			 junk[64];
	int			 fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(junk, 0x45, sizeof junk);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (unsigned long k = 0;; k++) {
		to.sin_port = htons(ports[k % (unsigned long)n]);
		if (sendto(fd, junk, sizeof junk, MSG_DONTWAIT,
		    (struct sockaddr *)&to, sizeof to) > 0)
			(*sent)++;
	}
}

/* The script's trace, run once; with a flood at its ports if asked. */
static char *
trace_of(bool flooded, int batch, unsigned long *sent, uint64_t *resent,
    uint64_t *stale)
{
	struct script	*s;
	struct run	 r;
	char		 err[256], *text = NULL;
	size_t		 len = 0;
	uint16_t	 ports[NSIDES * 2 + 1];
	pid_t		 pid = -1;
	FILE		*f;

	s = script_parse("flood.syn", script, strlen(script), err, sizeof err);
	if (s == NULL || run_init(&r, s, err, sizeof err) == -1) {
		printf("# %s\n", err);
		script_free(s);
		return NULL;
	}
	r.sim.wire.batch = batch;
	if (flooded && (pid = fork()) == 0)
		flood(ports, ports_of(&r, ports), sent);
	if (flooded)
		usleep(2000);		/* let it start beating */
	run_all(&r);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	*resent += r.sim.wire.resent;
	*stale += r.sim.wire.stale;
	if ((f = open_memstream(&text, &len)) != NULL) {
		trace_print(f, run_journal(&r), 0, run_journal(&r)->nev,
		    LANG_EN);
		fclose(f);
	}
	run_free(&r);
	script_free(s);
	return text;
}

int
main(void)
{
	unsigned long	*sent;
	uint64_t	 resent = 0, stale = 0;
	char		*quiet, *plain;
	int		 same = 0;

	/* A wire that stalled on the flood would hang: end it instead. */
	alarm(120);
	/* The flooders' count, shared with them. */
	sent = mmap(NULL, sizeof *sent, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sent == MAP_FAILED) {
		printf("1..0 # SKIP no shared memory\n");
		return 0;
	}
	*sent = 0;
	if ((script = make_script()) == NULL)
		return 1;
	quiet = trace_of(false, WIRE_BATCH, sent, &resent, &stale);
	ok(quiet != NULL && strstr(quiet, "ignored stranger") != NULL &&
	    strstr(quiet, "ignored offset") != NULL, "the quiet run, its own "
	    "strays refused");
	for (int i = 0; i < RUNS && quiet != NULL; i++) {
		char	*loud = trace_of(true, WIRE_BATCH, sent, &resent,
		    &stale);

		if (loud != NULL && strcmp(loud, quiet) == 0)
			same++;
		else if (loud != NULL && same == i)
			printf("# run %d differs:\n%s", i, loud);
		free(loud);
	}
	ok(same == RUNS, "%d of %d runs flooded with %lu datagrams in all: "
	    "the journal as in the quiet run", same, RUNS, *sent);
	plain = quiet != NULL ? trace_of(true, 1, sent, &resent, &stale) :
	    NULL;
	ok(plain != NULL && strcmp(plain, quiet) == 0, "flooded, each "
	    "datagram crossing on its own: the same journal");
	free(plain);
	ok(*sent > 1000, "the flood was real (%lu datagrams)", *sent);
	ok(resent == 0 && stale == 0, "no datagram of synfin's was lost or "
	    "sent twice (%llu, %llu)", (unsigned long long)resent,
	    (unsigned long long)stale);
	free(quiet);
	free(script);
	return tap_done();
}
