/*
 * The lesson library and the learner's progress (catalog.h).
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "script.h"
#include "util.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/synfin"
#endif

static bool
is_dir(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/*
 * Where the lessons are: $LESSONS_DIR; else lessons/ in the source tree
 * of an uninstalled synfin (the program is src/synfin there); else the
 * installed package data.  argv0 helps where /proc/self/exe is missing.
 */
const char *
catalog_find_dir(const char *argv0, char *buf, size_t len)
{
	const char	*env = getenv("LESSONS_DIR");
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = '\0';
	else if (argv0 == NULL || strchr(argv0, '/') == NULL ||
	    realpath(argv0, exe) == NULL)
		exe[0] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL) {
		*slash = '\0';
		snprintf(buf, len, "%s/../lessons", exe);
		if (is_dir(buf) && realpath(buf, exe) != NULL) {
			snprintf(buf, len, "%s", exe);
			return buf;
		}
	}
	snprintf(buf, len, "%s/lessons", PKGDATADIR);
	return is_dir(buf) ? buf : NULL;
}

static int
cmp_lesson(const void *a, const void *b)
{
	const struct lesson	*x = a, *y = b;

	if (x->group != y->group)
		return x->group - y->group;
	if (x->order != y->order)
		return x->order - y->order;
	return strcmp(x->name, y->name);
}

static void
add_lesson(struct catalog *cat, const char *name, const struct script *sc)
{
	struct lesson	*l;

	cat->l = xreallocarray(cat->l, cat->n + 1, sizeof *cat->l);
	l = &cat->l[cat->n++];
	memset(l, 0, sizeof *l);
	l->name = xstrdup(name);
	l->path = xstrdup(sc->path);
	for (int i = 0; i < NLANGS; i++) {
		const char	*t = sc->title[i];

		/* A missing language borrows the other; no title, the name. */
		if (t == NULL)
			t = sc->title[i == LANG_EN ? LANG_ZH : LANG_EN];
		l->title[i] = xstrdup(t != NULL ? t : name);
	}
	l->group = sc->group >= 0 ? sc->group : NGROUPS;
	l->order = sc->order;
	l->best = -1;
	l->kernel = script_kernel_ok(sc, NULL, 0);
	for (size_t i = 0; i < sc->ncmds; i++) {
		if (sc->cmds[i].type == CMD_ASK &&
		    sc->cmds[i].u.ask->lang == LANG_EN)
			l->questions++;
	}
}

/*
 * The progress file.  A line "NAME FINISHED BEST" about a lesson of the
 * catalog is synfin's; every other line (comments, lessons not here,
 * words from elsewhere) is kept byte for byte, however long, whatever it
 * holds.  Each save merges with what is on disk under a lock, keeping
 * the best of both, so instances running side by side lose nothing.
 */
#define PROGRESS_MAX	(4 * 1024 * 1024)	/* read no more than this */
#define PROGRESS_HEADER	"# synfin progress: lesson, finished (0 or 1), best score"

/*
 * The whole file, or NULL: none (errno ENOENT), one that cannot be read,
 * or one of PROGRESS_MAX or more (EFBIG), which is never rewritten.
 */
static char *
read_all(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	size_t	 n = 0, cap = 4096, r;
	int	 saved;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf = xmalloc(cap);
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n < cap)
			continue;
		if (cap >= PROGRESS_MAX) {
			fclose(f);
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		cap *= 2;
		buf = xreallocarray(buf, cap, 1);
	}
	saved = ferror(f) ? EIO : 0;
	fclose(f);
	if (saved != 0) {
		free(buf);
		errno = saved;
		return NULL;
	}
	*len = n;
	return buf;
}

/* A whole number in [lo, hi] spelt exactly, else false. */
static bool
parse_int(const char *s, size_t n, long lo, long hi, long *out)
{
	long	 v = 0;
	size_t	 i = 0;
	bool	 neg = false;

	if (n > 0 && s[0] == '-') {
		neg = true;
		i++;
	}
	if (i == n || n - i > 9)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	v = neg ? -v : v;
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/*
 * If the line [s, s + n) is about a lesson of the catalog (its name and
 * two numbers), that lesson and what the line says of it; else NULL.
 * Only FINISHED 1 is finished; BEST is taken within -1 (never tried) and
 * the lesson's questions, whatever the line says.
 */
static struct lesson *
progress_line(struct catalog *cat, const char *s, size_t n, bool *finished,
    int *best)
{
	const char	*f[4];
	size_t		 len[4];
	int		 k = 0;
	char		 name[256];
	long		 fin, b;
	struct lesson	*l;

	for (size_t i = 0; i < n && k < 4; ) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		f[k] = s + i;
		while (i < n && s[i] != ' ')
			i++;
		len[k] = (size_t)(s + i - f[k]);
		k++;
	}
	if (k != 3 || len[0] >= sizeof name || memchr(s, '\0', n) != NULL)
		return NULL;
	memcpy(name, f[0], len[0]);
	name[len[0]] = '\0';
	if ((l = catalog_lookup(cat, name)) == NULL ||
	    !parse_int(f[1], len[1], -999999999, 999999999, &fin) ||
	    !parse_int(f[2], len[2], -999999999, 999999999, &b))
		return NULL;
	*finished = fin == 1;
	*best = b < -1 ? -1 : b > l->questions ? l->questions : (int)b;
	return l;
}

/* Take the best of what the lesson shows and what a line says. */
static void
merge(struct lesson *l, bool finished, int best)
{
	l->finished = l->finished || finished;
	if (best > l->best)
		l->best = best;
}

/*
 * Walk the file's lines: each about a lesson here is merged into it; the
 * others, unless they are the header, are handed to keep (if not NULL),
 * with their newline.
 */
static void
read_progress(struct catalog *cat, const char *buf, size_t n, FILE *keep)
{
	size_t	 i = 0;

	while (i < n) {
		const char	*nl = memchr(buf + i, '\n', n - i);
		size_t		 len = nl ? (size_t)(nl - (buf + i)) : n - i;
		struct lesson	*l;
		bool		 fin;
		int		 best;

		if ((l = progress_line(cat, buf + i, len, &fin, &best)) != NULL)
			merge(l, fin, best);
		else if (keep != NULL && !(len == strlen(PROGRESS_HEADER) &&
		    memcmp(buf + i, PROGRESS_HEADER, len) == 0)) {
			fwrite(buf + i, 1, len, keep);
			fputc('\n', keep);
		}
		i += len + (nl != NULL);
	}
}

/* What the file says now, merged into the lessons (another instance
 * may have saved since). */
void
catalog_reload(struct catalog *cat)
{
	char	*buf;
	size_t	 n;

	if (cat->state == NULL || (buf = read_all(cat->state, &n)) == NULL)
		return;
	read_progress(cat, buf, n, NULL);
	free(buf);
}

/*
 * Every lesson in dir (which may be NULL: none), sorted for the menu,
 * with the progress kept in state (which may be NULL: none kept).
 * Lessons that do not load are counted, the first error kept in bad.
 */
void
catalog_load(struct catalog *cat, const char *dir, const char *state)
{
	DIR		*d;
	struct dirent	*de;
	char		 err[1024];

	memset(cat, 0, sizeof *cat);
	cat->state = state != NULL ? xstrdup(state) : NULL;
	if (dir == NULL)
		return;
	cat->dir = xstrdup(dir);
	if ((d = opendir(dir)) == NULL) {
		cat->bad = xasprintf("%s: %s", dir, strerror(errno));
		cat->nbad++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t		 n = strlen(de->d_name);
		struct script	*sc;
		char		*path, *name;

		if (n <= 4 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + n - 4, ".syn") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		name = xstrndup(de->d_name, n - 4);
		if ((sc = script_load(path, err, sizeof err)) != NULL)
			add_lesson(cat, name, sc);
		else if (cat->nbad++ == 0)
			cat->bad = xstrdup(err);
		script_free(sc);
		free(name);
		free(path);
	}
	closedir(d);
	if (cat->n > 0)
		qsort(cat->l, cat->n, sizeof *cat->l, cmp_lesson);
	catalog_reload(cat);
}

void
catalog_free(struct catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		free(cat->l[i].name);
		free(cat->l[i].path);
		for (int j = 0; j < NLANGS; j++)
			free(cat->l[i].title[j]);
	}
	free(cat->l);
	free(cat->dir);
	free(cat->bad);
	free(cat->state);
	memset(cat, 0, sizeof *cat);
}

/* A lesson by name: "teardown" or "teardown.syn". */
struct lesson *
catalog_lookup(struct catalog *cat, const char *name)
{
	size_t	 n = strlen(name);

	if (n > 4 && strcmp(name + n - 4, ".syn") == 0)
		n -= 4;
	for (size_t i = 0; i < cat->n; i++) {
		if (strlen(cat->l[i].name) == n &&
		    strncmp(cat->l[i].name, name, n) == 0)
			return &cat->l[i];
	}
	return NULL;
}

/* The lesson that is this file, wherever the path leads. */
struct lesson *
catalog_by_path(struct catalog *cat, const char *path)
{
	char	 want[PATH_MAX], have[PATH_MAX];

	if (realpath(path, want) == NULL)
		return NULL;
	for (size_t i = 0; i < cat->n; i++) {
		if (realpath(cat->l[i].path, have) != NULL &&
		    strcmp(want, have) == 0)
			return &cat->l[i];
	}
	return NULL;
}

/* $XDG_STATE_HOME/synfin/progress, else ~/.local/state/...; or NULL. */
char *
catalog_state_path(void)
{
	const char	*xdg = getenv("XDG_STATE_HOME");
	const char	*home = getenv("HOME");

	/* The XDG rules: a relative path there is to be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/synfin/progress", xdg);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/state/synfin/progress", home);
	return NULL;
}

/* mkdir -p for the directories above path. */
static int
make_parents(const char *path)
{
	char	*p = xstrdup(path);
	int	 rc = 0;

	for (char *s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

/*
 * Older synfins saved through "progress.PID"; one killed in the middle
 * left it behind.  Remove those whose process is gone.
 */
static void
remove_stale(const char *state)
{
	char		*dir = xstrdup(state), *base;
	DIR		*d;
	struct dirent	*de;
	size_t		 blen;

	if ((base = strrchr(dir, '/')) == NULL) {
		free(dir);
		return;
	}
	*base++ = '\0';
	blen = strlen(base);
	if ((d = opendir(*dir != '\0' ? dir : "/")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			const char	*p = de->d_name;
			long		 pid;
			char		*path;

			if (strncmp(p, base, blen) != 0 || p[blen] != '.' ||
			    !parse_int(p + blen + 1, strlen(p + blen + 1), 1,
			    999999999, &pid))
				continue;
			/* Alive, or not ours to know: leave it. */
			if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
			path = xasprintf("%s/%s", dir, p);
			unlink(path);
			free(path);
		}
		closedir(d);
	}
	free(dir);
}

/* Write the file, the lessons' lines and the kept ones, atomically. */
static int
write_progress(struct catalog *cat, const char *old, size_t n,
    const char *tmp)
{
	FILE	*f;
	int	 rc = 0;

	if ((f = fopen(tmp, "wb")) == NULL)
		return -1;
	fputs(PROGRESS_HEADER "\n", f);
	for (size_t i = 0; i < cat->n; i++) {
		const struct lesson	*l = &cat->l[i];

		/* A name with blanks would not read back as one word. */
		if ((l->finished || l->best >= 0) &&
		    strpbrk(l->name, " \t") == NULL)
			fprintf(f, "%s %d %d\n", l->name, l->finished, l->best);
	}
	if (old != NULL)
		read_progress(cat, old, n, f);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) == -1)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, cat->state) == -1)
		rc = -1;
	return rc;
}

/*
 * Save the progress: under a lock (progress.lock, never renamed), read
 * what is on disk, merge it (the best of both: another instance may have
 * saved since we loaded), write it whole to progress.new and rename that
 * over the file, so a crash or a full disk leaves the old one as it was.
 * The lessons shown take what was merged in.
 */
int
catalog_save(struct catalog *cat, char *err, size_t errlen)
{
	char	*lock, *tmp, *old;
	size_t	 n = 0;
	int	 fd, rc = 0, saved;

	if (cat->state == NULL)
		return 0;
	if (make_parents(cat->state) == -1) {
		snprintf(err, errlen, "%s: %s", cat->state, strerror(errno));
		return -1;
	}
	lock = xasprintf("%s.lock", cat->state);
	tmp = xasprintf("%s.new", cat->state);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    flock(fd, LOCK_EX) == -1) {
		snprintf(err, errlen, "%s: %s", lock, strerror(errno));
		if (fd != -1)
			close(fd);
		free(lock);
		free(tmp);
		return -1;
	}
	errno = 0;
	old = read_all(cat->state, &n);
	if (old == NULL && errno != ENOENT) {
		/* What cannot be read whole is not written over. */
		snprintf(err, errlen, "%s: %s", cat->state, strerror(errno));
		rc = -1;
	} else {
		if (old != NULL)
			read_progress(cat, old, n, NULL);
		if (write_progress(cat, old, n, tmp) == -1) {
			saved = errno;
			snprintf(err, errlen, "%s: %s", cat->state,
			    strerror(saved));
			unlink(tmp);
			rc = -1;
		} else
			remove_stale(cat->state);
	}
	free(old);
	close(fd);		/* and with it the lock */
	free(lock);
	free(tmp);
	return rc;
}
