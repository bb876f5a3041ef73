/*
 * Checkpoints (run.h, sim.h): a run put back to any checkpoint and run
 * on comes to the same end, event for event.  Every scenario and lesson
 * is run once, marked before each command; then the run is put back to
 * each mark in a scrambled order (back, forward, back again) and run on,
 * and its trace compared with the first one's.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "tap.h"
#include "trace.h"

static const char *srcdir = ".";

/* The whole trace, as synfin run prints it. */
static char *
trace_of(struct run *r)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	trace_print(f, run_journal(r), 0, run_journal(r)->nev, LANG_EN);
	trace_print(f, run_journal(r), 0, run_journal(r)->nev, LANG_ZH);
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
		if (whole == NULL || again == NULL || strcmp(whole, again) != 0) {
			if (bad++ == 0)
				printf("# %s: put back before command %zu, the run "
				    "differs\n", path, m[k].pc);
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

int
main(void)
{
	if (getenv("SRCDIR") != NULL)
		srcdir = getenv("SRCDIR");
	check_dir("tests/scenarios");
	check_dir("lessons");
	return tap_done();
}
