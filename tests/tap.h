/*
 * A minimal TAP producer for the unit tests: automake's tap-driver.sh
 * reads "ok N - what" / "not ok N - what" lines and the "1..N" plan.
 */
#ifndef SYNFIN_TAP_H
#define SYNFIN_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int	 tap_count;
static int	 tap_failures;

static void __attribute__((format(printf, 4, 5), unused))
tap_result(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	tap_count++;
	if (!pass)
		tap_failures++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
}

#define ok(cond, ...) \
	tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long got_ = (long long)(got), want_ = (long long)(want);	\
	tap_result(got_ == want_, __FILE__, __LINE__, __VA_ARGS__);	\
	if (got_ != want_)						\
		printf("#   got %lld, want %lld\n", got_, want_);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *got_ = (got), *want_ = (want);			\
	int same_ = got_ != NULL && want_ != NULL &&			\
	    strcmp(got_, want_) == 0;					\
	tap_result(same_, __FILE__, __LINE__, __VA_ARGS__);		\
	if (!same_)							\
		printf("#   got '%s'\n#  want '%s'\n",			\
		    got_ ? got_ : "(null)", want_ ? want_ : "(null)");	\
} while (0)

static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures > 0;
}

#endif
