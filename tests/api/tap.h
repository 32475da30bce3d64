/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small helpers for the API tests, which see the library only through avrokit.h (this
 * header and tap_core.h include nothing else of avrokit's). CHECK(), CHECK_TODO(), tap_note(),
 * tap_skip() and tap_done() come from tap_core.h, the TAP output shared with the unit tests.
 * CHECK_RC() compares a status and shows the error when it differs. The other helpers: a
 * growable memory sink (an ak_write_fn that can be told to fail), a memory source that hands
 * out short reads (an ak_read_fn), files, a scratch directory and a hand-written varint, so
 * that test data does not depend on the library under test.
 */
#ifndef AK_API_TAP_H
#define AK_API_TAP_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "avrokit.h"
#include "tap_core.h"

/* An error as ak_error_format() writes it (four may be in use at a time, for one CHECK). */
static inline const char *errstr(const struct ak_error *e)
{
	static char buf[4][AK_ERROR_MSG_MAX + AK_ERROR_PATH_MAX + 128];
	static unsigned i;

	i = (i + 1) % 4;
	ak_error_format(e, buf[i], sizeof(buf[i]));
	return buf[i];
}

/* A status check that shows the error when the status is not the one wanted. */
#define CHECK_RC(rc, want, err, ...) tap_rc((rc), (want), (err), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 6, 7)))
static inline int tap_rc(int rc, int want, const struct ak_error *err, const char *file,
			 int line, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rc == want)
		return tap_at(1, NULL, file, line, "%s", msg);
	return tap_at(0, NULL, file, line, "%s: status %d (%s), wanted %d (%s): %s", msg, rc,
		      ak_status_name(rc), want, ak_status_name(want), err ? errstr(err) : "");
}

/* "0a ff ..." of @n bytes, for messages. */
static inline const char *hexstr(const void *p, size_t n)
{
	static char buf[4][400];
	static unsigned k;
	const unsigned char *b = p;
	size_t len = 0;

	k = (k + 1) % 4;
	buf[k][0] = '\0';
	for (size_t i = 0; i < n && len + 4 < sizeof(buf[k]); i++)
		len += (size_t)snprintf(buf[k] + len, sizeof(buf[k]) - len, "%s%02x", i ? " " : "",
					b[i]);
	return buf[k];
}

/* ---- memory sink ---- */

struct membuf {
	unsigned char *p;
	size_t len, cap;
	long fail_after; /* fail (ENOSPC) once this many bytes were taken; -1: never */
	unsigned calls;
};

#define MEMBUF_INIT { NULL, 0, 0, -1, 0 }

static inline int membuf_write(void *ctx, const void *buf, size_t n)
{
	struct membuf *m = ctx;

	m->calls++;
	if (m->fail_after >= 0 && m->len + n > (size_t)m->fail_after) {
		errno = ENOSPC;
		return -1;
	}
	if (m->len + n + 1 > m->cap) {
		size_t cap = m->cap ? m->cap : 256;
		unsigned char *q;

		while (cap < m->len + n + 1)
			cap *= 2;
		if (!(q = realloc(m->p, cap))) {
			errno = ENOMEM;
			return -1;
		}
		m->p = q;
		m->cap = cap;
	}
	if (n)
		memcpy(m->p + m->len, buf, n);
	m->len += n;
	m->p[m->len] = '\0';
	return 0;
}

/* The text so far ("" when none), NUL-terminated. */
static inline const char *membuf_str(const struct membuf *m)
{
	return m->p ? (const char *)m->p : "";
}

static inline void membuf_clear(struct membuf *m)
{
	m->len = 0;
	if (m->p)
		m->p[0] = '\0';
}

static inline void membuf_free(struct membuf *m)
{
	free(m->p);
	m->p = NULL;
	m->len = m->cap = 0;
}

/* ---- memory source: short reads of at most @chunk bytes ---- */

struct memsrc {
	const unsigned char *p;
	size_t len, pos, chunk;
	long fail_at; /* fail (EIO) once reading reaches this offset; -1: never */
	unsigned skips;
};

static inline void memsrc_init(struct memsrc *s, const void *p, size_t len, size_t chunk)
{
	s->p = p;
	s->len = len;
	s->pos = 0;
	s->chunk = chunk ? chunk : 1;
	s->fail_at = -1;
	s->skips = 0;
}

static inline ssize_t memsrc_read(void *ctx, void *buf, size_t n)
{
	struct memsrc *s = ctx;

	if (s->fail_at >= 0 && s->pos >= (size_t)s->fail_at) {
		errno = EIO;
		return -1;
	}
	if (n > s->chunk)
		n = s->chunk;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	if (s->fail_at >= 0 && s->pos + n > (size_t)s->fail_at)
		n = (size_t)s->fail_at - s->pos;
	memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

static inline int memsrc_skip(void *ctx, uint64_t n)
{
	struct memsrc *s = ctx;

	s->skips++;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	s->pos += (size_t)n;
	return 0;
}

/* ---- files ---- */

/* The whole file, NUL-terminated (free it), or NULL. */
static inline unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, got;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			unsigned char *q = realloc(buf, cap ? 2 * cap : 65536);

			if (!q) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = q;
			cap = cap ? 2 * cap : 65536;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static inline int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* A scratch directory for this test program, removed with everything in it by
 * scratch_remove(). */
static char scratch_dir[512];

static inline const char *scratch(void)
{
	const char *tmp = getenv("TMPDIR");

	if (!scratch_dir[0]) {
		snprintf(scratch_dir, sizeof(scratch_dir), "%s/ak-api-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(scratch_dir)) {
			perror("mkdtemp");
			exit(99);
		}
	}
	return scratch_dir;
}

/* @name inside the scratch directory. */
static inline const char *scratch_path(const char *name)
{
	static char buf[4][700];
	static unsigned k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", scratch(), name);
	return buf[k];
}

/* The number of entries in the scratch directory (temporary files left behind show here). */
static inline int scratch_entries(void)
{
	DIR *d = opendir(scratch());
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static inline void scratch_remove(void)
{
	DIR *d;
	struct dirent *e;

	if (!scratch_dir[0] || !(d = opendir(scratch_dir)))
		return;
	while ((e = readdir(d))) {
		char p[800];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", scratch_dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(scratch_dir);
}

/* ---- hand-made Avro binary, independent of the library ---- */

struct bin {
	unsigned char b[4096];
	size_t n;
};

static inline void bin_long(struct bin *o, int64_t v)
{
	uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);

	while (z >= 0x80) {
		o->b[o->n++] = (unsigned char)(z | 0x80);
		z >>= 7;
	}
	o->b[o->n++] = (unsigned char)z;
}

static inline void bin_raw(struct bin *o, const void *p, size_t n)
{
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static inline void bin_str(struct bin *o, const char *s, size_t n)
{
	bin_long(o, (int64_t)n);
	bin_raw(o, s, n);
}

static inline void bin_float(struct bin *o, float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	for (int i = 0; i < 4; i++)
		o->b[o->n++] = (unsigned char)(u >> (8 * i));
}

static inline void bin_double(struct bin *o, double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	for (int i = 0; i < 8; i++)
		o->b[o->n++] = (unsigned char)(u >> (8 * i));
}

/* Parse a schema the test needs; a failure ends the program (the tests after it would only
 * crash). */
static inline struct ak_schema *schema_or_die(const char *json)
{
	struct ak_error err;
	struct ak_schema *s;

	ak_error_clear(&err);
	s = ak_schema_parse(json, strlen(json), 0, &err);
	if (!s) {
		printf("Bail out! schema does not parse: %s: %s\n", errstr(&err), json);
		exit(1);
	}
	return s;
}

#endif /* AK_API_TAP_H */
