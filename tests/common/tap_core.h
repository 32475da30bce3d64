/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The TAP output of the C tests, shared by the unit tests (check.h) and the API tests (tap.h).
 * CHECK(cond, fmt, ...) prints "ok N - what" or "not ok N - what" followed by
 * "#   at file:line", and carries on, so one run reports every failure. CHECK_TODO() marks a
 * check that shows a known bug: TAP counts its failure as expected, and meson reports an
 * unexpected pass once the bug is fixed (then drop the TODO). tap_note() prints a diagnostic
 * line, tap_skip() a check that could not be run here, and tap_done() the plan line "1..N",
 * returning the exit status for main(). This header includes only the C library's headers, so
 * the API tests still see avrokit only through avrokit.h.
 */
#ifndef AK_TEST_TAP_CORE_H
#define AK_TEST_TAP_CORE_H

#include <stdarg.h>
#include <stdio.h>

static unsigned tap_count, tap_failed;

/* Print @s on one line: TAP is line-based, so control characters are shown escaped. */
static inline void tap_puts_line(const char *s)
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
static inline int tap_at(int ok, const char *todo, const char *file, int line,
			 const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tap_count++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	tap_puts_line(msg);
	if (todo) {
		fputs(" # TODO ", stdout);
		tap_puts_line(todo);
	}
	putchar('\n');
	if (!ok) {
		printf("#   at %s:%d\n", file, line);
		if (!todo)
			tap_failed++;
	}
	fflush(stdout);
	return ok;
}

#define CHECK(cond, ...) tap_at((cond) != 0, NULL, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_TODO(cond, reason, ...) \
	tap_at((cond) != 0, (reason), __FILE__, __LINE__, __VA_ARGS__)

/* A free-form diagnostic line. */
__attribute__((format(printf, 1, 2)))
static inline void tap_note(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("# ", stdout);
	tap_puts_line(msg);
	putchar('\n');
}

/* A check that could not be run here. */
static inline void tap_skip(const char *reason)
{
	tap_count++;
	printf("ok %u # SKIP ", tap_count);
	tap_puts_line(reason);
	putchar('\n');
	fflush(stdout);
}

/* Print the plan and return what main() should return. */
static inline int tap_done(void)
{
	printf("1..%u\n", tap_count);
	if (tap_failed)
		printf("# %u of %u checks failed\n", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* AK_TEST_TAP_CORE_H */
