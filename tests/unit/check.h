/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The unit tests' helpers: the TAP output of tap_core.h (CHECK(), CHECK_TODO(), tap_note(),
 * tap_skip() and tap_done(), shared with the API tests), and ERRSTR(), an error as avrokit
 * prints it.
 */
#ifndef AK_TEST_CHECK_H
#define AK_TEST_CHECK_H

#include "avrokit.h"
#include "tap_core.h"

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

#endif /* AK_TEST_CHECK_H */
