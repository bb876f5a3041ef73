/*
 * Fuzz target: the learner's progress file, any bytes.  It is read and
 * saved; saved again, nothing changes (a save is a fixed point), and the
 * lessons read back the same, within range.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "fuzz.h"

static char	 dir[] = "/tmp/synfin-fuzz-progress.XXXXXX";
static char	 lessons[256], state[256];

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE	*f = fopen(path, "wb");

	FUZZ_CHECK(f != NULL);
	fwrite(p, 1, n, f);
	fclose(f);
}

static char *
read_file(const char *path, size_t *n)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	size_t	 cap = 1 << 16, r;

	FUZZ_CHECK(f != NULL && (buf = malloc(cap)) != NULL);
	*n = 0;
	while ((r = fread(buf + *n, 1, cap - *n, f)) > 0) {
		*n += r;
		if (*n == cap)
			FUZZ_CHECK((buf = realloc(buf, cap *= 2)) != NULL);
	}
	fclose(f);
	return buf;
}

/* Three lessons, with 0, 1 and 3 questions; the state file beside. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const text[] = {
		"title en \"A\"\nserver listen\n",
		"title en \"B\"\nask en \"?\" choices x y answer x\n",
		"ask en \"1\" choices x y answer x\n"
		"ask en \"2\" choices x y answer y\n"
		"ask en \"3\" choices x y answer x\n",
	};

	(void)argc;
	(void)argv;
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(lessons, sizeof lessons, "%s/lessons", dir);
	mkdir(lessons, 0700);
	for (int i = 0; i < 3; i++) {
		char	 path[300];

		snprintf(path, sizeof path, "%s/%c.syn", lessons, 'a' + i);
		write_file(path, text[i], strlen(text[i]));
	}
	snprintf(state, sizeof state, "%s/progress", dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog	 c, d;
	char		 err[512], *once, *twice;
	size_t		 n1, n2;

	write_file(state, data, size);
	catalog_load(&c, lessons, state);
	FUZZ_CHECK(c.n == 3);
	for (size_t i = 0; i < c.n; i++)
		FUZZ_CHECK(c.l[i].best >= -1 && c.l[i].best <= c.l[i].questions);
	c.l[0].finished = true;
	FUZZ_CHECK(catalog_save(&c, err, sizeof err) == 0);
	once = read_file(state, &n1);
	catalog_load(&d, lessons, state);
	for (size_t i = 0; i < c.n; i++)
		FUZZ_CHECK(d.l[i].finished == c.l[i].finished &&
		    d.l[i].best == c.l[i].best);
	FUZZ_CHECK(catalog_save(&d, err, sizeof err) == 0);
	twice = read_file(state, &n2);
	FUZZ_CHECK(n1 == n2 && memcmp(once, twice, n1) == 0);
	free(once);
	free(twice);
	catalog_free(&c);
	catalog_free(&d);
	return 0;
}
