/*
 * Checkpoints (run.h, sim.h): a run put back to any checkpoint and run
 * on comes to the same end, event for event.  Every scenario and lesson
 * is run once, marked before each command; then the run is put back to
 * each mark in a scrambled order (back, forward, back again) and run on,
 * and its trace compared with the first one's.
 *
 * Then a session (session.h) of a few connections, with a checkpoint
 * every few events: each segment in turn dropped, delayed or duplicated,
 * and taken back, goes back to a checkpoint before it was sent; the
 * timeline, steps and all, must be what running the whole script again
 * with that change gives.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "session.h"
#include "tap.h"
#include "trace.h"

static const char *srcdir = ".";

/* A journal's whole trace, as synfin run prints it, in both languages. */
static void
print_trace(FILE *f, const struct journal *j)
{
	trace_print(f, j, 0, j->nev, LANG_EN);
	trace_print(f, j, 0, j->nev, LANG_ZH);
}

static char *
trace_of(struct run *r)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	print_trace(f, run_journal(r));
	fclose(f);
	return text;
}

/* From where the run stands, to its end. */
static void
run_out(struct run *r)
{
	while (run_command(r))
		;
	run_finish(r);
	run_end(r);
}

/* One script: the number of marks whose re-run differed, or -1. */
static int
check(const char *path, size_t *nmarks)
{
	struct script	*s;
	struct run	 r;
	struct run_mark	*m = NULL;
	size_t		 n = 0;
	char		 err[512], *whole, *again;
	int		 bad = 0;

	*nmarks = 0;
	if ((s = script_load(path, err, sizeof err)) == NULL ||
	    run_init(&r, s, err, sizeof err) == -1) {
		printf("# %s\n", err);
		script_free(s);
		return -1;
	}
	m = calloc(s->ncmds + 1, sizeof *m);
	for (;;) {
		if (r.bad || n > s->ncmds)
			break;
		run_mark(&r, &m[n++]);
		if (!run_command(&r))
			break;
	}
	run_finish(&r);
	run_end(&r);
	whole = trace_of(&r);
	/* Last, first, then the rest from the middle out and back. */
	for (size_t i = 0; i < n; i++) {
		size_t	 k = i == 0 ? n - 1 : i == 1 ? 0 : (i * 7) % n;

		run_rewind(&r, &m[k]);
		run_out(&r);
		again = trace_of(&r);
		if (whole == NULL || again == NULL ||
		    strcmp(whole, again) != 0) {
			if (bad++ == 0)
				printf("# %s: put back before command %zu, "
				    "the run differs\n", path, m[k].pc);
		}
		free(again);
	}
	for (size_t i = 0; i < n; i++)
		run_mark_free(&m[i]);
	free(m);
	free(whole);
	run_free(&r);
	script_free(s);
	*nmarks = n;
	return bad;
}

static void
check_dir(const char *rel)
{
	char		 dir[1024], path[2048];
	struct dirent	**names;
	int		 n;

	snprintf(dir, sizeof dir, "%s/%s", srcdir, rel);
	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		ok(0, "%s can be read", dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		const char	*name = names[i]->d_name;
		size_t		 len = strlen(name), marks;
		int		 bad;

		if (len > 4 && strcmp(name + len - 4, ".syn") == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, name);
			bad = check(path, &marks);
			ok(bad == 0, "%s/%s: put back to each of %zu "
			    "checkpoints, it runs on to the same end", rel,
			    name, marks);
		}
		free(names[i]);
	}
	free(names);
}

#define CYCLES	16

/*
 * Connections with data both ways, a copy, and a late segment with
 * another sent while it is on its way.
 */
static struct script *
many(void)
{
	static const char cycle[] =
	    "client connect\nserver accept\ndup next c2s\n"
	    "client send 3000\nserver read\ndelay next s2c 30ms\n"
	    "server send 200\nclient send 10\nwait 50ms\nclient read\n"
	    "server read\nclient close\nwait 10ms\nserver close\n"
	    "wait until client CLOSED\n";
	size_t		 n = strlen(cycle), head = strlen("server listen\n");
	char		*text = malloc(head + n * CYCLES + 1), err[256];
	struct script	*s;

	memcpy(text, "server listen\n", head);
	for (int i = 0; i < CYCLES; i++)
		memcpy(text + head + n * (size_t)i, cycle, n);
	s = script_parse("many.syn", text, head + n * CYCLES, err, sizeof err);
	if (s == NULL)
		printf("# %s\n", err);
	free(text);
	return s;
}

/* What the view looks up at step k, as text. */
static void
lookups(FILE *f, const struct session *s, size_t k)
{
	const struct journal	*j = session_journal(s);
	const struct jevent	*last, *e;
	int			 state[2], retries;

	session_states(s, k, state, &last);
	fprintf(f, "at %zu: states %d %d last %td seg %d ignored %zu", k,
	    state[0], state[1], last ? last - j->ev : -1,
	    session_last_seg(s, k), session_ignored(s, k));
	for (int side = 0; side < NSIDES; side++) {
		for (int t = 0; t < TCP_NTIMERS; t++) {
			e = session_timer(s, k, side, t, &retries);
			fprintf(f, " %td/%d", e ? e - j->ev : -1, retries);
		}
	}
	fputc('\n', f);
}

/* A session's whole timeline as text: its trace, then its steps. */
static char *
timeline(struct session *s)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	session_complete(s);
	print_trace(f, session_journal(s));
	for (size_t k = 0; k < s->nsteps; k++) {
		fprintf(f, "step %zu %zu %zu %lld\n", k,
		    session_applied(s, k), session_applied(s, k + 1),
		    (long long)session_time(s, k + 1));
		lookups(f, s, k + 1);
	}
	for (size_t i = 0; i < session_journal(s)->nsegs; i++)
		fprintf(f, "seg %zu %zu %zu %zu\n", i,
		    session_sent_event(s, (int)i),
		    session_arrival_event(s, (int)i, false),
		    session_arrival_event(s, (int)i, true));
	fclose(f);
	return text;
}

static void
check_session(void)
{
	static const enum rule_kind kinds[] = { RULE_DROP, RULE_DELAY,
	    RULE_DUP };
	struct session	 s;
	char		 err[512], *first, *changed, *whole;
	int		 nsegs = 0, same = 0, back = 0, from_mark = 0;
	size_t		 n;

	if (session_open(&s, many(), err, sizeof err) == -1) {
		ok(0, "a session of %d connections: %s", CYCLES, err);
		return;
	}
	/* Checkpoints close together, so that some fall while a segment
	 * is on its way. */
	s.mark_every = 1;
	session_rebuild(&s, err, sizeof err);
	first = timeline(&s);
	n = session_journal(&s)->nsegs;
	ok(s.nmarks >= 50, "%zu checkpoints in %zu events", s.nmarks,
	    session_journal(&s)->nev);
	for (size_t seg = 0; seg < n; seg++) {
		const struct jseg	*g = &session_journal(&s)->segs[seg];
		enum rule_kind		 kind = kinds[seg % 3];
		int			 i = (int)seg;

		if (!g->valid || g->injected)
			continue;
		nsegs++;
		session_toggle(&s, i, kind, err, sizeof err);
		if (s.kept > 0)
			from_mark++;
		changed = timeline(&s);
		session_rebuild(&s, err, sizeof err);
		whole = timeline(&s);
		if (changed != NULL && whole != NULL &&
		    strcmp(changed, whole) == 0)
			same++;
		else
			printf("# segment %d, fate %d: from the checkpoint "
			    "(%zu events kept) the timeline differs\n",
			    i, kind, s.kept);
		free(changed);
		free(whole);
		/* And taken back: the first timeline again. */
		session_toggle(&s, i, kind, err, sizeof err);
		changed = timeline(&s);
		if (changed != NULL && first != NULL &&
		    strcmp(changed, first) == 0)
			back++;
		free(changed);
	}
	ok(nsegs > 100 && from_mark >= nsegs - 5, "%d of %d changes went "
	    "back to a checkpoint, not to the start", from_mark, nsegs);
	ok(same == nsegs, "%d of %d: a drop, delay or copy from a checkpoint "
	    "is the timeline the whole run gives", same, nsegs);
	ok(back == nsegs, "%d of %d: taken back, the first timeline again",
	    back, nsegs);
	free(first);
	session_close(&s);
}

int
main(void)
{
	if (getenv("SRCDIR") != NULL)
		srcdir = getenv("SRCDIR");
	check_dir("tests/scenarios");
	check_dir("lessons");
	check_session();
	return tap_done();
}
