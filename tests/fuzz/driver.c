/*
 * A fuzz target without libFuzzer (make check): every file named, or in
 * every directory named, goes through LLVMFuzzerTestOneInput once.  TAP:
 * one line a directory or file, "ok" when none crashed.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int	 inputs;

static void
one(const char *path)
{
	FILE	*f = fopen(path, "rb");
	uint8_t	*buf;
	size_t	 n = 0, cap = 4096, r;

	if (f == NULL)
		return;
	buf = malloc(cap);
	while (buf != NULL && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (buf == NULL)
		return;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	inputs++;
}

int
main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat	 sb;
		DIR		*d;
		struct dirent	*de;
		int		 before = inputs;

		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode) &&
		    (d = opendir(argv[i])) != NULL) {
			while ((de = readdir(d)) != NULL) {
				char	 path[4096];

				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof path, "%s/%s", argv[i],
				    de->d_name);
				one(path);
			}
			closedir(d);
		} else
			one(argv[i]);
		printf("ok %d - %s: %d inputs, none broke it\n", i, argv[i],
		    inputs - before);
	}
	printf("1..%d\n", argc - 1);
	return 0;
}
