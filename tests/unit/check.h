/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny TAP helper for the unit tests. CHECK(cond, fmt, ...) prints "ok N - what" or
 * "not ok N - what" followed by "#   at file:line", and carries on, so one run reports every
 * failure. CHECK_TODO() marks a check that shows a known core bug: TAP counts its failure as
 * expected, and meson reports an unexpected pass once the bug is fixed (then drop the TODO).
 * check_done() prints the plan line "1..N" and returns the exit status for main().
 */
#ifndef AK_TEST_CHECK_H
#define AK_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

#include "avrokit.h"

static unsigned check_count;

/* An error as avrokit prints it: positions and path, then the message (a few at a time may
 * be in use, for one CHECK). */
#define ERRSTR(e) check_errstr(e)
static inline const char *check_errstr(const struct ak_error *e)
{
	static char buf[4][AK_ERROR_MSG_MAX + AK_ERROR_PATH_MAX + 128];
	static unsigned i;

	i = (i + 1) % 4;
	ak_error_format(e, buf[i], sizeof(buf[i]));
	return buf[i];
}

static unsigned check_failed;

/* Print @s on one line: TAP is line-based, so control characters are shown escaped. */
static inline void check_puts_line(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

__attribute__((format(printf, 5, 6)))
static inline int check_at(int ok, const char *todo, const char *file, int line,
			   const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_count++;
	printf("%sok %u - ", ok ? "" : "not ", check_count);
	check_puts_line(msg);
	if (todo) {
		fputs(" # TODO ", stdout);
		check_puts_line(todo);
	}
	putchar('\n');
	if (!ok) {
		printf("#   at %s:%d\n", file, line);
		if (!todo)
			check_failed++;
	}
	fflush(stdout);
	return ok;
}

#define CHECK(cond, ...) check_at((cond) != 0, NULL, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_TODO(cond, reason, ...) \
	check_at((cond) != 0, (reason), __FILE__, __LINE__, __VA_ARGS__)

/* A check that could not be run here. */
static inline void check_skip(const char *reason)
{
	check_count++;
	printf("ok %u # SKIP ", check_count);
	check_puts_line(reason);
	putchar('\n');
	fflush(stdout);
}

/* A free-form diagnostic line. */
__attribute__((format(printf, 1, 2)))
static inline void check_note(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("# ", stdout);
	check_puts_line(msg);
	putchar('\n');
}

/* Print the plan and return what main() should return. */
static inline int check_done(void)
{
	printf("1..%u\n", check_count);
	if (check_failed)
		printf("# %u of %u checks failed\n", check_failed, check_count);
	fflush(stdout);
	return check_failed ? 1 : 0;
}

#endif /* AK_TEST_CHECK_H */
