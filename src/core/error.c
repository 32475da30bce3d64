/* SPDX-License-Identifier: Apache-2.0 */
/* Recording errors and writing them out in avrokit's usual form. */
#include "error.h"
#include "text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void reset_position(struct ak_error *err)
{
	err->sys_errno = 0;
	err->flags = 0;
	err->offset = err->block = err->record = AK_NO_POS;
	err->line = err->column = 0;
	err->path[0] = '\0';
}

/*
 * Messages are cut to fit (at AK_ERROR_MSG_MAX, and a value quoted in one at a few dozen
 * bytes), and a cut can fall inside a multi-byte character; a program that takes the text
 * as UTF-8 (Python's str, a JSON log) may then refuse all of it. So every byte that is not
 * part of a whole UTF-8 character becomes '?'.
 */
static void utf8_repair(char *text)
{
	unsigned char *s = (unsigned char *)text;
	size_t n = strlen(text);

	for (size_t i = 0; i < n;) {
		size_t k;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = ak_utf8_seq(s + i, n - i);
		if (k) {
			i += k;
		} else {
			s[i++] = '?';
		}
	}
}

int ak_fail(struct ak_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	reset_position(err);
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	utf8_repair(err->msg);
	return code;
}

int ak_fail_errno(struct ak_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err)
		return AK_E_IO;
	if (!errnum)
		errnum = EIO; /* a callback that failed without saying why */
	reset_position(err);
	err->code = AK_E_IO;
	err->sys_errno = errnum;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, "%s%s", n ? ": " : "", strerror(errnum));
	utf8_repair(err->msg);
	return AK_E_IO;
}

int ak_fail_write(struct ak_error *err, int errnum)
{
	ak_fail_errno(err, errnum, "write error");
	if (err)
		err->flags |= AK_ERROR_OUTPUT;
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
	utf8_repair(err->msg);
}

void ak_error_set_path(struct ak_error *err, const char *path)
{
	size_t n;

	if (!err)
		return;
	n = strlen(path);
	if (n >= sizeof(err->path))
		path += n - (sizeof(err->path) - 1); /* keep the innermost part */
	snprintf(err->path, sizeof(err->path), "%s", path);
	utf8_repair(err->path);
}

void ak_error_copy(struct ak_error *dst, const struct ak_error *src)
{
	if (dst && src && dst != src)
		memcpy(dst, src, sizeof(*dst));
}

AK_API void ak_error_clear(struct ak_error *err)
{
	if (!err)
		return;
	reset_position(err);
	err->code = 0;
	err->msg[0] = '\0';
}

/* Append to @buf of @size what snprintf would, keeping count of the whole length in *@len. */
__attribute__((format(printf, 4, 5)))
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < size ? buf + *len : NULL, *len < size ? size - *len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

AK_API size_t ak_error_format(const struct ak_error *err, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	if (!err)
		return 0;
	if (err->line)
		put(buf, size, &len, "%" PRIu64 ":%" PRIu64 ": ", err->line, err->column);
	if (err->block != AK_NO_POS) {
		put(buf, size, &len, "block %" PRIu64, err->block);
		if (err->offset != AK_NO_POS)
			put(buf, size, &len, " (offset %" PRIu64 ")", err->offset);
		put(buf, size, &len, ": ");
		if (err->record != AK_NO_POS)
			put(buf, size, &len, "record %" PRIu64 ": ", err->record);
	} else if (err->record != AK_NO_POS && !err->line) {
		put(buf, size, &len, "record %" PRIu64, err->record);
		if (err->offset != AK_NO_POS)
			put(buf, size, &len, " (offset %" PRIu64 ")", err->offset);
		put(buf, size, &len, ": ");
	} else if (err->offset != AK_NO_POS && !err->line) {
		put(buf, size, &len, "offset %" PRIu64 ": ", err->offset);
	}
	if (err->path[0]) {
		/* in text, the path in quotes, as JSON users write keys; a path that holds quotes
		 * itself (a map key) goes without */
		if (!err->line)
			put(buf, size, &len, "field %s: ", err->path);
		else if (strchr(err->path, '"'))
			put(buf, size, &len, "at %s: ", err->path);
		else
			put(buf, size, &len, "field \"%s\": ", err->path);
	}
	put(buf, size, &len, "%s", err->msg[0] ? err->msg : ak_status_name(err->code));
	if (size)
		utf8_repair(buf); /* @size may have cut it */
	return len;
}

AK_API const char *ak_status_name(int code)
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
	case AK_E_VALUE: return "value does not fit the schema";
	case AK_E_STATE: return "call out of order";
	case AK_E_CALLBACK: return "stopped by a callback";
	}
	return "unknown error";
}
