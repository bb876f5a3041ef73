/*
 * The lesson library: which lessons there are, where, and how far the
 * learner got in each.
 *
 * Lessons are the scripts in one directory: $LESSONS_DIR, else the
 * source tree's lessons/ beside an uninstalled synfin, else the installed
 * package data.  Progress (finished, best score) is a small text file in
 * the XDG state directory, merged with what is on disk under a lock and
 * rewritten whole and atomically at each save.
 */
#ifndef SYNFIN_CATALOG_H
#define SYNFIN_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

struct lesson {
	char		*name;		/* file name without .syn */
	char		*path;
	char		*title[NLANGS];
	int		 group;		/* enum lesson_group, NGROUPS: other */
	int		 order;
	int		 questions;	/* how many it asks */
	bool		 kernel;	/* the kernel engine can run it */
	bool		 finished;
	int		 best;		/* most answered right, -1: never tried */
};

struct catalog {
	char		*dir;		/* where the lessons are, or NULL */
	struct lesson	*l;
	size_t		 n;
	char		*bad;		/* the first lesson that did not load */
	size_t		 nbad;
	char		*state;		/* the progress file, or NULL */
};

const char	*catalog_find_dir(const char *, char *, size_t);
void		 catalog_load(struct catalog *, const char *, const char *);
void		 catalog_free(struct catalog *);
struct lesson	*catalog_lookup(struct catalog *, const char *);
struct lesson	*catalog_by_path(struct catalog *, const char *);
char		*catalog_state_path(void);
int		 catalog_save(struct catalog *, char *, size_t);
void		 catalog_reload(struct catalog *);

#endif
