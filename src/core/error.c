/* SPDX-License-Identifier: Apache-2.0 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ak_fail(struct ak_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->sys_errno = 0;
	err->line = err->column = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int ak_fail_errno(struct ak_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err)
		return AK_E_IO;
	err->code = AK_E_IO;
	err->sys_errno = errnum;
	err->line = err->column = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, "%s%s", n ? ": " : "", strerror(errnum));
	return AK_E_IO;
}

void ak_error_prefix(struct ak_error *err, const char *fmt, ...)
{
	char pre[AK_ERROR_MSG_MAX], old[AK_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	size_t n = strlen(pre);

	memcpy(old, err->msg, sizeof(old));
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, pre, n);
	memcpy(err->msg + n, ": ", 2);
	n += 2;
	size_t m = strlen(old);
	if (m > sizeof(err->msg) - 1 - n)
		m = sizeof(err->msg) - 1 - n;
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = '\0';
}

void ak_error_clear(struct ak_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->sys_errno = 0;
	err->line = err->column = 0;
	err->msg[0] = '\0';
}

const char *ak_status_name(int code)
{
	switch (code) {
	case AK_OK: return "ok";
	case AK_EOF: return "end of input";
	case AK_E_NOMEM: return "out of memory";
	case AK_E_IO: return "I/O error";
	case AK_E_FORMAT: return "format error";
	case AK_E_SCHEMA: return "schema error";
	case AK_E_LIMIT: return "limit exceeded";
	case AK_E_CODEC: return "codec error";
	case AK_E_UNSUPPORTED: return "unsupported";
	case AK_E_ARG: return "invalid argument";
	case AK_E_JSON: return "JSON error";
	}
	return "unknown error";
}
