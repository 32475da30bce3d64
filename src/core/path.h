/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where inside a value an error is, for messages: "address.zip", "items[3].name",
 * "tags[\"k\"]". The decoder and the encoder recurse, so the path is built backwards while they
 * unwind after an error: each frame puts its piece in front. Nothing is done on the good path.
 */
#ifndef AK_PATH_H
#define AK_PATH_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct ak_path {
	char buf[384];
	size_t start; /* the path is buf[start..], NUL-terminated at the end of buf */
};

static inline void ak_path_reset(struct ak_path *p)
{
	p->start = sizeof(p->buf) - 1;
	p->buf[p->start] = '\0';
}

static inline int ak_path_empty(const struct ak_path *p)
{
	return p->start == sizeof(p->buf) - 1;
}

static inline const char *ak_path_str(const struct ak_path *p)
{
	return p->buf + p->start;
}

static inline void ak_path_prepend(struct ak_path *p, const char *s, size_t n)
{
	if (n > p->start)
		return; /* full: keep the innermost part */
	p->start -= n;
	memcpy(p->buf + p->start, s, n);
}

/* A dot before what is there, unless it starts with an index or is empty. */
static inline void ak_path_dot(struct ak_path *p)
{
	if (!ak_path_empty(p) && p->buf[p->start] != '[' && p->buf[p->start] != '.')
		ak_path_prepend(p, ".", 1);
}

static inline void ak_path_field(struct ak_path *p, const char *name, size_t n)
{
	ak_path_dot(p);
	ak_path_prepend(p, name, n);
}

static inline void ak_path_index(struct ak_path *p, uint64_t i)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "[%" PRIu64 "]", i);

	ak_path_dot(p);
	ak_path_prepend(p, tmp, (size_t)n);
}

static inline void ak_path_key(struct ak_path *p, const unsigned char *k, size_t n)
{
	char tmp[64];
	int len;

	if (n > 40)
		len = snprintf(tmp, sizeof(tmp), "[\"%.*s...\"]", 37, (const char *)k);
	else
		len = snprintf(tmp, sizeof(tmp), "[\"%.*s\"]", (int)n, (const char *)k);
	ak_path_dot(p);
	ak_path_prepend(p, tmp, (size_t)len);
}

#endif /* AK_PATH_H */
