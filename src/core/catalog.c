/*
 * The lesson library and the learner's progress (catalog.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	for (size_t i = 0; i < sc->ncmds; i++) {
		if (sc->cmds[i].type == CMD_ASK &&
		    sc->cmds[i].u.ask.lang == LANG_EN)
			l->questions++;
	}
}

static void
load_progress(struct catalog *cat)
{
	FILE	*f;
	char	 line[1024], name[256];	/* sscanf below: 255 */
	int	 fin, best;

	if (cat->state == NULL || (f = fopen(cat->state, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		struct lesson	*l;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		/* "NAME FINISHED BEST" */
		if (sscanf(line, "%255s %d %d", name, &fin, &best) == 3 &&
		    (l = catalog_lookup(cat, name)) != NULL) {
			l->finished = fin != 0;
			l->best = best < -1 ? -1 : best;
			continue;
		}
		/* Not ours to judge: written back as it was. */
		cat->kept = xreallocarray(cat->kept, cat->nkept + 1,
		    sizeof *cat->kept);
		cat->kept[cat->nkept++] = xstrdup(line);
	}
	fclose(f);
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
	load_progress(cat);
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
	for (size_t i = 0; i < cat->nkept; i++)
		free(cat->kept[i]);
	free(cat->kept);
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
 * Write the progress file whole: a new file renamed over the old, so a
 * crash or a full disk leaves the old one as it was.
 */
int
catalog_save(const struct catalog *cat, char *err, size_t errlen)
{
	char	*tmp;
	FILE	*f;
	int	 rc = 0;

	if (cat->state == NULL)
		return 0;
	if (make_parents(cat->state) == -1) {
		snprintf(err, errlen, "%s: %s", cat->state, strerror(errno));
		return -1;
	}
	tmp = xasprintf("%s.%ld", cat->state, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fputs("# synfin progress: lesson, finished (0 or 1), best score\n", f);
	for (size_t i = 0; i < cat->n; i++) {
		const struct lesson	*l = &cat->l[i];

		/* A name with blanks would not read back as one word. */
		if ((l->finished || l->best >= 0) &&
		    strpbrk(l->name, " \t") == NULL)
			fprintf(f, "%s %d %d\n", l->name, l->finished, l->best);
	}
	for (size_t i = 0; i < cat->nkept; i++)
		fprintf(f, "%s\n", cat->kept[i]);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) == -1)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, cat->state) == -1)
		rc = -1;
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", cat->state, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}
