/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text pushed in pieces, for a pull reader (json_in.h) that wants whole values: the
 * pieces are kept until they hold one or more complete top-level values, which are then handed
 * to a callback as a reader over just that text, positioned (offset, line, column) where it
 * is in the whole input. A value cut by a piece's end waits for the next piece. Finding
 * where a value ends needs only brackets, strings and white space, so invalid JSON is found
 * by the reader, not here, with its position. Memory: the longest value plus one piece.
 */
#ifndef AK_JSON_FEED_H
#define AK_JSON_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "json_in.h"

/* Read the values of @j (all of them: the text ends after the last). */
typedef int (*ak_json_feed_fn)(void *ctx, struct ak_json_in *j, struct ak_error *err);

struct ak_json_feed {
	struct ak_buf text;     /* not handed out yet: from the start of a value on */
	size_t scanned;         /* bytes of text looked at */
	size_t depth;           /* open brackets at the scan position */
	int in_string, escape;  /* inside a string (after a backslash) */
	int in_word;            /* inside a top-level number or literal */
	struct ak_json_pos pos; /* where text[0] is in the input */
	struct ak_error failed; /* the first error, returned again (code 0: none) */
};

void ak_json_feed_init(struct ak_json_feed *f);
void ak_json_feed_release(struct ak_json_feed *f);

/* Append @len bytes of text and hand every value now complete to @fn. An error (@fn's, or
 * AK_E_NOMEM) is kept: later calls return it again until ak_json_feed_end() is called. */
int ak_json_feed_push(struct ak_json_feed *f, const char *text, size_t len, ak_json_feed_fn fn,
		      void *ctx, struct ak_error *err);

/* The text is over: hand what is left to @fn (the reader reports a value cut short), and
 * start afresh for a new text. Returns the kept error if there was one. */
int ak_json_feed_end(struct ak_json_feed *f, ak_json_feed_fn fn, void *ctx,
		     struct ak_error *err);

#endif /* AK_JSON_FEED_H */
