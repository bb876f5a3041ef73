/*
 * The learner's progress file: instances saving side by side lose no
 * update, lines that are not synfin's are kept byte for byte, values out
 * of range are taken within range, and the temporary files of saves
 * killed by older synfins are cleaned up.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "tap.h"

#define NLESSONS	12

static char	 dir[] = "/tmp/synfin-t-catalog.XXXXXX";
static char	 lessons[1100], state[1100];

static void
write_file(const char *path, const char *text, size_t n)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(text, 1, n, f);
		fclose(f);
	}
}

static char *
read_file(const char *path, size_t *n)
{
	static char	 buf[65536];
	FILE		*f = fopen(path, "rb");

	*n = 0;
	if (f != NULL) {
		*n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[*n] = '\0';
	return buf;
}

/* Lessons l0 .. l11, each with one question. */
static void
make_lessons(void)
{
	snprintf(lessons, sizeof lessons, "%s/lessons", dir);
	mkdir(lessons, 0700);
	for (int i = 0; i < NLESSONS; i++) {
		char	 path[1200], text[256];

		snprintf(path, sizeof path, "%s/l%d.syn", lessons, i);
		snprintf(text, sizeof text, "title en \"Lesson %d\"\n"
		    "server listen\nask en \"Q?\" choices A B answer A\n", i);
		write_file(path, text, strlen(text));
	}
	snprintf(state, sizeof state, "%s/state/synfin/progress", dir);
}

static void
clear_state(void)
{
	char	 cmd[1200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s/state'", dir);
	if (system(cmd) != 0)
		printf("# could not clear %s/state\n", dir);
}

/* The progress file's directory, made afresh. */
static void
make_state_dir(void)
{
	char	 sdir[1200];

	clear_state();
	snprintf(sdir, sizeof sdir, "%s/state", dir);
	mkdir(sdir, 0700);
	snprintf(sdir, sizeof sdir, "%s/state/synfin", dir);
	mkdir(sdir, 0700);
}

static bool
finished(struct catalog *cat, const char *name)
{
	struct lesson	*l = catalog_lookup(cat, name);

	return l != NULL && l->finished;
}

/* Two instances loaded the same file; each finishes a lesson and saves. */
static void
test_two_instances(void)
{
	struct catalog	 a, b, c;
	char		 err[512];

	clear_state();
	catalog_load(&a, lessons, state);
	catalog_load(&b, lessons, state);
	catalog_lookup(&a, "l1")->finished = true;
	catalog_lookup(&b, "l2")->finished = true;
	catalog_lookup(&b, "l2")->best = 1;
	ok(catalog_save(&a, err, sizeof err) == 0 &&
	    catalog_save(&b, err, sizeof err) == 0, "two instances save");
	catalog_load(&c, lessons, state);
	ok(finished(&c, "l1") && finished(&c, "l2") &&
	    catalog_lookup(&c, "l2")->best == 1, "the file has both lessons");
	ok(finished(&b, "l1"), "and the second instance now shows the first's");
	catalog_lookup(&a, "l3")->finished = true;
	catalog_save(&a, err, sizeof err);
	catalog_free(&c);
	catalog_load(&c, lessons, state);
	ok(finished(&c, "l2") && finished(&c, "l3"), "an instance left open "
	    "does not undo what another finished");
	catalog_free(&a);
	catalog_free(&b);
	catalog_free(&c);
}

/*
 * Many processes, released at once, each finishing its own lesson: no
 * update may be lost, round after round.
 */
static void
test_processes(void)
{
	int	 lost = 0, rounds = 10;

	for (int r = 0; r < rounds; r++) {
		struct catalog	 c;
		int		 gate[2];
		pid_t		 pid[NLESSONS];

		clear_state();
		if (pipe(gate) == -1)
			break;
		for (int i = 0; i < NLESSONS; i++) {
			if ((pid[i] = fork()) == 0) {
				struct catalog	 mine;
				char		 name[16], err[512], b;

				close(gate[1]);
				catalog_load(&mine, lessons, state);
				snprintf(name, sizeof name, "l%d", i);
				catalog_lookup(&mine, name)->finished = true;
				/* Wait for the others: all save at once. */
				(void)read(gate[0], &b, 1);
				_exit(catalog_save(&mine, err, sizeof err) ==
				    0 ? 0 : 1);
			}
		}
		close(gate[0]);
		close(gate[1]);
		for (int i = 0; i < NLESSONS; i++) {
			if (pid[i] > 0)
				waitpid(pid[i], NULL, 0);
		}
		catalog_load(&c, lessons, state);
		for (int i = 0; i < NLESSONS; i++) {
			char	 name[16];

			snprintf(name, sizeof name, "l%d", i);
			if (!finished(&c, name))
				lost++;
		}
		catalog_free(&c);
	}
	ok(lost == 0, "%d rounds of %d processes saving at once: %d updates "
	    "lost", rounds, NLESSONS, lost);
}

/* Lines that are not synfin's, as they were: comments, long, with NUL. */
static void
test_kept(void)
{
	static char	 text[8192];
	struct catalog	 c;
	char		 err[512], *after;
	size_t		 n = 0, m;
	bool		 all = true;
	const char	*lines[] = {
		"# a comment someone wrote\n",
		"retired 1 3\n",
		"l4 x y\n",
		"words from elsewhere\n",
	};

	make_state_dir();
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		memcpy(text + n, lines[i], strlen(lines[i]));
		n += strlen(lines[i]);
	}
	/* A line of 3000 octets, and one with a NUL in it. */
	memset(text + n, 'x', 3000);
	n += 3000;
	text[n++] = '\n';
	memcpy(text + n, "before\0after\n", 13);
	n += 13;
	memcpy(text + n, "l5 1 0\n", 7);
	n += 7;
	write_file(state, text, n);
	catalog_load(&c, lessons, state);
	ok(finished(&c, "l5") && !finished(&c, "l4"), "the file is read");
	catalog_lookup(&c, "l6")->finished = true;
	ok(catalog_save(&c, err, sizeof err) == 0, "and saved (%s)",
	    err);
	after = read_file(state, &m);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (memmem(after, m, lines[i], strlen(lines[i])) == NULL)
			all = false;
	}
	ok(all, "comments, other lessons and other words are kept");
	ok(memmem(after, m, text + n - 7 - 13 - 3001, 3001) != NULL,
	    "a line of 3000 octets is kept whole");
	ok(memmem(after, m, "before\0after\n", 13) != NULL,
	    "a line with a NUL is kept byte for byte");
	ok(memmem(after, m, "l5 1 0\n", 7) != NULL &&
	    memmem(after, m, "l6 1 -1\n", 8) != NULL, "and the lessons' "
	    "lines are there");
	catalog_free(&c);
}

/* Values out of range are taken within range. */
static void
test_ranges(void)
{
	static const char text[] =
	    "l1 1 999999\nl2 -3 0\nl3 2 -7\n";
	struct catalog	 c;

	make_state_dir();
	write_file(state, text, sizeof text - 1);
	catalog_load(&c, lessons, state);
	ok(catalog_lookup(&c, "l1")->best == 1, "a best beyond the questions "
	    "is all of them (%d)", catalog_lookup(&c, "l1")->best);
	ok(!finished(&c, "l2") && !finished(&c, "l3"), "only 1 is finished");
	ok(catalog_lookup(&c, "l3")->best == -1, "a best below -1 is "
	    "never tried");
	catalog_free(&c);
}

/* A save killed by an older synfin left progress.PID behind. */
static void
test_stale(void)
{
	struct catalog	 c;
	char		 dead[1200], live[1200], other[1200], err[512];
	struct stat	 sb;

	clear_state();
	catalog_load(&c, lessons, state);
	catalog_lookup(&c, "l1")->finished = true;
	catalog_save(&c, err, sizeof err);
	snprintf(dead, sizeof dead, "%s.999999999", state);
	snprintf(live, sizeof live, "%s.%ld", state, (long)getpid());
	snprintf(other, sizeof other, "%s.backup", state);
	write_file(dead, "x\n", 2);
	write_file(live, "x\n", 2);
	write_file(other, "x\n", 2);
	catalog_save(&c, err, sizeof err);
	ok(stat(dead, &sb) == -1 && errno == ENOENT, "a dead process's "
	    "temporary file is removed");
	ok(stat(live, &sb) == 0 && stat(other, &sb) == 0, "a live one's, and "
	    "other files, are not");
	unlink(live);
	catalog_free(&c);
}

/* A file too large to read whole is never written over. */
static void
test_too_large(void)
{
	struct catalog	 c;
	char		 err[512], *big;
	size_t		 n = 5 * 1024 * 1024;
	struct stat	 sb;

	make_state_dir();
	if ((big = malloc(n)) == NULL)
		return;
	memset(big, 'x', n);
	big[n - 1] = '\n';
	write_file(state, big, n);
	free(big);
	catalog_load(&c, lessons, state);
	catalog_lookup(&c, "l1")->finished = true;
	ok(catalog_save(&c, err, sizeof err) == -1 && strstr(err, "large") !=
	    NULL, "a progress file of 5 MiB is not rewritten: %s", err);
	ok(stat(state, &sb) == 0 && (size_t)sb.st_size == n, "and is as it was");
	catalog_free(&c);
}

/*
 * A process saving over and over, killed at any moment, 200 times: the
 * file is always whole, and what is left beside it is the lock and at
 * most one progress.new.
 */
static void
test_killed(void)
{
	struct catalog	 c;
	char		 sdir[1200], err[512];
	int		 others = 0, whole = 1;
	DIR		*d;
	struct dirent	*de;

	make_state_dir();
	catalog_load(&c, lessons, state);
	catalog_lookup(&c, "l0")->finished = true;
	catalog_save(&c, err, sizeof err);
	catalog_free(&c);
	srand(7);
	for (int i = 0; i < 200; i++) {
		pid_t	 pid = fork();

		if (pid == 0) {
			struct catalog	 mine;

			catalog_load(&mine, lessons, state);
			for (int k = 0;; k++) {
				catalog_lookup(&mine, "l1")->best = k % 2 - 1;
				catalog_save(&mine, err, sizeof err);
			}
		}
		usleep((useconds_t)(rand() % 3000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		catalog_load(&c, lessons, state);
		if (!finished(&c, "l0"))
			whole = 0;
		catalog_free(&c);
	}
	snprintf(sdir, sizeof sdir, "%s/state/synfin", dir);
	if ((d = opendir(sdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0 &&
			    strcmp(de->d_name, "progress") != 0 &&
			    strcmp(de->d_name, "progress.lock") != 0 &&
			    strcmp(de->d_name, "progress.new") != 0) {
				printf("# left: %s\n", de->d_name);
				others++;
			}
		}
		closedir(d);
	}
	ok(whole, "200 saves killed at any moment: the file is always whole");
	ok(others == 0, "nothing left beside it but the lock and one "
	    "progress.new at most (%d others)", others);
}

int
main(void)
{
	char	 cmd[1200];

	if (mkdtemp(dir) == NULL) {
		printf("1..0 # SKIP no temporary directory\n");
		return 0;
	}
	make_lessons();
	test_two_instances();
	test_processes();
	test_kept();
	test_ranges();
	test_stale();
	test_too_large();
	test_killed();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
