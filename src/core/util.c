/* Allocation that cannot fail quietly, and small string helpers. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif

/* Running out of memory is not something synfin can teach its way out of. */
static void
out_of_memory(void)
{
	fputs("synfin: out of memory\n", stderr);
	abort();
}

/*
 * A long run's arrays grow to megabytes by doubling.  Each in a mapping
 * of its own (glibc puts them in the heap once one has been freed), a
 * grown array moves without a copy and the room it left goes back to the
 * system at once: a run of 100,000 steps peaks 1.5 MB lower.  Programs
 * call this first.
 */
void
xalloc_init(void)
{
#if defined(HAVE_MALLOPT) && defined(M_MMAP_THRESHOLD)
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	size_t	 total;

	if (size != 0 && n > SIZE_MAX / size)
		out_of_memory();
	total = n * size;
	if ((p = realloc(p, total != 0 ? total : 1)) == NULL)
		out_of_memory();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*p;

	if (vasprintf(&p, fmt, ap) == -1)
		out_of_memory();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* The conversions of a printf format, "%d%s", in order. */
static void
conversions(const char *f, char *out, size_t len)
{
	size_t	 n = 0;

	for (; *f != '\0' && n + 3 < len; f++) {
		if (*f != '%')
			continue;
		f++;
		if (*f == '%')
			continue;
		while (*f != '\0' && strchr("0123456789.-+ #lzh", *f) != NULL)
			f++;
		out[n++] = '%';
		out[n++] = *f;
		if (*f == '\0')
			break;
	}
	out[n] = '\0';
}

/*
 * Whether two printf formats take the same arguments in the same order:
 * the two languages of an entry in a table of texts.
 */
bool
formats_agree(const char *a, const char *b)
{
	char	 ca[64], cb[64];

	conversions(a, ca, sizeof ca);
	conversions(b, cb, sizeof cb);
	return strcmp(ca, cb) == 0;
}
