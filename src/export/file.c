/*
 * Writing an export whole or not at all: it goes to PATH.partial, and is
 * renamed into place only once every octet is written and the file
 * closed; on any failure (a full disk, a read-only directory) the partial
 * file is removed and the reason said.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "export.h"

FILE *
export_open(const char *path, struct export_file *x, char *err,
    size_t errlen)
{
	FILE	*f;

	snprintf(x->part, sizeof x->part, "%s.partial", path);
	x->path = path;
	if ((f = fopen(x->part, "w")) == NULL)
		snprintf(err, errlen, "%s: %s", x->part, strerror(errno));
	return f;
}

/* Close f and put it in place: 0, or -1 with nothing left behind. */
int
export_close(FILE *f, struct export_file *x, char *err, size_t errlen)
{
	int	 ok = fflush(f) == 0 && !ferror(f);

	if (!ok)
		snprintf(err, errlen, "%s: %s", x->path, strerror(errno));
	if (fclose(f) != 0 && ok) {
		snprintf(err, errlen, "%s: %s", x->path, strerror(errno));
		ok = 0;
	}
	if (ok && rename(x->part, x->path) == -1) {
		snprintf(err, errlen, "%s: %s", x->path, strerror(errno));
		ok = 0;
	}
	if (!ok)
		remove(x->part);
	return ok ? 0 : -1;
}
