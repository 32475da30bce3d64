/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text in pieces (json_feed.h). A small scanner follows the text as it comes: the depth of
 * brackets, whether it is inside a string (and after a backslash there), and whether it is
 * inside a bare top-level word (a number, true, false, null). A top-level value ends at its
 * closing bracket or quote, or, for a word, at the first byte that cannot be part of it; the
 * text up to the last such end goes to the reader in one piece. The scanner keeps its state
 * between pieces, so no byte is looked at twice.
 */
#include "json_feed.h"

#include <string.h>

void ak_json_feed_init(struct ak_json_feed *f)
{
	memset(f, 0, sizeof(*f));
	ak_buf_init(&f->text);
	f->pos.line = 1;
}

void ak_json_feed_release(struct ak_json_feed *f)
{
	ak_buf_release(&f->text);
}

/* The end of the last top-level value complete in the text (0: none), scanning from where the
 * last call stopped. A stray ',', ':' or closing bracket at the top level counts as a value,
 * so that the reader meets it and reports it where it is. */
static size_t scan(struct ak_json_feed *f)
{
	const unsigned char *t = f->text.data;
	size_t cut = 0;

	for (size_t i = f->scanned; i < f->text.len; i++) {
		unsigned char c = t[i];

		if (f->in_string) {
			if (f->escape)
				f->escape = 0;
			else if (c == '\\')
				f->escape = 1;
			else if (c == '"' && (f->in_string = 0, !f->depth))
				cut = i + 1;
			continue;
		}
		if (f->in_word) {
			if (!strchr(" \t\r\n{}[],:\"", c) || c == '\0')
				continue;
			f->in_word = 0;
			cut = i;
		}
		switch (c) {
		case '"':
			f->in_string = 1;
			break;
		case '{':
		case '[':
			f->depth++;
			break;
		case '}':
		case ']':
			if (f->depth)
				f->depth--;
			if (!f->depth)
				cut = i + 1;
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			break;
		case ',':
		case ':':
			if (!f->depth)
				cut = i + 1;
			break;
		default:
			if (!f->depth)
				f->in_word = 1;
			break;
		}
	}
	f->scanned = f->text.len;
	return cut;
}

/* Hand the first @n bytes of the text to @fn, then drop them, moving the position on. */
static int hand_out(struct ak_json_feed *f, size_t n, ak_json_feed_fn fn, void *ctx,
		    struct ak_error *err)
{
	const char *t = (const char *)f->text.data;
	struct ak_json_in j;
	int rc;

	ak_json_in_init_at(&j, n ? t : "", n, &f->pos);
	rc = fn(ctx, &j, err);
	ak_json_in_release(&j);
	for (size_t i = 0; i < n; i++)
		if (t[i] == '\n') {
			f->pos.line++;
			f->pos.line_start = f->pos.offset + i + 1;
		}
	f->pos.offset += n;
	memmove(f->text.data, f->text.data + n, f->text.len - n);
	f->text.len -= n;
	f->scanned -= n;
	return rc;
}

static int kept(struct ak_json_feed *f, struct ak_error *err)
{
	ak_error_copy(err, &f->failed);
	return f->failed.code;
}

static int keep(struct ak_json_feed *f, int rc, struct ak_error *err)
{
	if (rc < 0) {
		if (err)
			ak_error_copy(&f->failed, err);
		else
			f->failed.code = rc;
	}
	return rc;
}

int ak_json_feed_push(struct ak_json_feed *f, const char *text, size_t len, ak_json_feed_fn fn,
		      void *ctx, struct ak_error *err)
{
	size_t cut;
	int rc;

	if (f->failed.code)
		return kept(f, err);
	if (!len)
		return AK_OK;
	if ((rc = ak_buf_append(&f->text, text, len, err)) != AK_OK)
		return keep(f, rc, err);
	if ((cut = scan(f)) == 0)
		return AK_OK;
	return keep(f, hand_out(f, cut, fn, ctx, err), err);
}

int ak_json_feed_end(struct ak_json_feed *f, ak_json_feed_fn fn, void *ctx,
		     struct ak_error *err)
{
	int rc = f->failed.code ? kept(f, err) : hand_out(f, f->text.len, fn, ctx, err);

	ak_json_feed_release(f);
	ak_json_feed_init(f);
	return rc;
}
