/* Allocation that cannot fail quietly, and small string helpers. */
#ifndef SYNFIN_UTIL_H
#define SYNFIN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

void	 xalloc_init(void);
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list)
	    __attribute__((format(printf, 1, 0)));
bool	 formats_agree(const char *, const char *);

#endif
