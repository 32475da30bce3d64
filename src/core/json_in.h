/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A streaming JSON reader for fromjson: pulls text through a struct ak_source in chunks, so a
 * file of any size is read in bounded memory, and knows the line and column of every token
 * for error messages. It has no tree: the schema-directed encoder (encode.c) asks for the next
 * token of the kind it expects and writes Avro binary as it goes.
 */
#ifndef AK_JSON_IN_H
#define AK_JSON_IN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "io.h"

struct ak_json_in {
	struct ak_source *src; /* borrowed; NULL for a fixed memory text */
	unsigned char *buf;
	size_t cap;
	const unsigned char *p, *end;
	int eof;
	int owned;             /* buf is ours to free */
	uint64_t consumed;     /* input bytes before buf[0] */
	uint64_t line;         /* current line, 1-based */
	uint64_t line_start;   /* input offset where the current line starts */
	/* where the last token started (for messages) */
	uint64_t tok_line, tok_col;
	/* ak_json_in_copy_value(): input bytes from buf[cap_from] on are being copied here */
	struct ak_buf *capture;
	size_t cap_from, cap_max;
};

/* A place in the input, to read a copy of some of it again (ak_json_in_init_at()). */
struct ak_json_pos {
	uint64_t offset, line, line_start;
};

/* Longest number token accepted (digits and all). */
#define AK_JSON_NUMBER_TOKEN_MAX 400

int ak_json_in_init(struct ak_json_in *j, struct ak_source *src, struct ak_error *err);
/* Read from the text @s (borrowed) only. */
void ak_json_in_init_mem(struct ak_json_in *j, const char *s, size_t len);
void ak_json_in_release(struct ak_json_in *j);

/* Skip whitespace; return the next byte without consuming it, or -1 at the end of the input
 * (or a negative status on a read error, with @err set). Records the token position. */
int ak_json_in_peek_slow(struct ak_json_in *j, struct ak_error *err);

static inline int ak_json_in_peek(struct ak_json_in *j, struct ak_error *err)
{
	/* the common case, a token right there (no white space, no refill), inline */
	if (j->p < j->end && *j->p > ' ') {
		j->tok_line = j->line;
		j->tok_col = j->consumed + (uint64_t)(j->p - j->buf) - j->line_start + 1;
		return *j->p;
	}
	return ak_json_in_peek_slow(j, err);
}

/* Consume one byte (after a peek). */
static inline void ak_json_in_advance(struct ak_json_in *j)
{
	j->p++;
}

/* Fail with the position of the last token: "LINE:COL" go in err->line/column. */
int ak_json_in_fail(struct ak_json_in *j, int code, struct ak_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Expect the literal @lit (true, false, null) at the current position. */
int ak_json_in_literal(struct ak_json_in *j, const char *lit, struct ak_error *err);

/*
 * Read a string token (the next byte must be '"'). Appends its value to @out as UTF-8, or,
 * with @latin1, as one byte per code point (Avro bytes and fixed; a code point above U+00FF
 * is an error). *@count receives the number of code points. Raw input bytes must be valid
 * UTF-8.
 */
int ak_json_in_string(struct ak_json_in *j, struct ak_buf *out, int latin1, size_t *count,
		      struct ak_error *err);

/* Read a number token into @tok (NUL-terminated). *@is_int is set when it has no fraction and
 * no exponent. The bare -Infinity (see ak_json_in_nonfinite()) is read as a number token
 * "-Infinity", not an integer, which strtod() takes. */
int ak_json_in_number(struct ak_json_in *j, char tok[AK_JSON_NUMBER_TOKEN_MAX + 1], size_t *len,
		      int *is_int, struct ak_error *err);

/* Skip one whole value of any kind (used for fields that are to be ignored). */
int ak_json_in_skip_value(struct ak_json_in *j, struct ak_buf *scratch, unsigned depth,
			  struct ak_error *err);

/*
 * Lookahead, for plain JSON unions that must see a whole object to pick a branch. These work
 * on any reader, memory or source, and keep line and column numbers right.
 *
 * ak_json_in_pos(): the place of the token just peeked. ak_json_in_copy_value(): append the
 * text of the value starting there to @out (checked as JSON on the way, as
 * ak_json_in_skip_value() does), reading past it; more than @max bytes is AK_E_LIMIT. Then
 * ak_json_in_init_at() reads such a copy (@s, borrowed) as if it were at @pos in the input.
 */
void ak_json_in_pos(const struct ak_json_in *j, struct ak_json_pos *pos);
int ak_json_in_copy_value(struct ak_json_in *j, struct ak_buf *out, size_t max,
			  struct ak_buf *scratch, struct ak_error *err);
void ak_json_in_init_at(struct ak_json_in *j, const char *s, size_t len,
			const struct ak_json_pos *pos);

/*
 * The first member name of the object whose '{' was just peeked, without reading anything:
 * *@key points into the reader's buffer (valid until the next read) when the name is there
 * within the next 4 KiB or so of input, has no escapes, and is followed by ':'. Returns 1
 * then, with *@value the first character of the member's value (0 when it is not within that
 * window), else 0 (or a negative status on a read error).
 */
int ak_json_in_first_key(struct ak_json_in *j, const unsigned char **key, size_t *len, int *value,
			 struct ak_error *err);

/*
 * The values of a whole input, one after another: separated by white space (JSON Lines, for
 * one), or with @array the elements of the one array that is all of the input. Call
 * ak_json_seq_next() before each value: AK_OK when a value may start there (read it), AK_EOF
 * when there are no more, after checking what must close them (the array's ']', then
 * nothing but white space), or a negative status. Outside an array it does not look: the
 * value reader finds the end of the input (AK_EOF), which ends the values. Inside one the
 * value reader always finds a value's first byte. The array's own errors are worded the same
 * for every command: not an array, no closing ']', no ',' between elements, something after
 * the array.
 */
struct ak_json_seq {
	struct ak_json_in *j;
	int array;
	int state; /* 0: before the array; 1: inside it, after a value; 2: after it */
};

static inline void ak_json_seq_init(struct ak_json_seq *s, struct ak_json_in *j, int array)
{
	s->j = j;
	s->array = array;
	s->state = 0;
}

int ak_json_seq_next_array(struct ak_json_seq *s, struct ak_error *err);

static inline int ak_json_seq_next(struct ak_json_seq *s, struct ak_error *err)
{
	return s->array ? ak_json_seq_next_array(s, err) : AK_OK;
}

/* A word for the kind of value starting with byte @c: "string", "number", "object", ... */
const char *ak_json_kind(int c);

/*
 * The same for a message about the token just peeked (@c), telling a bare word for what it
 * is: "null", "boolean", "NaN", "Infinity", or "the invalid JSON token 'nonsense'" (in @buf)
 * rather than what its first letter suggests. Reads (consumes) the word; for messages only.
 */
#define AK_JSON_KIND_MAX 80
const char *ak_json_in_kind(struct ak_json_in *j, int c, char buf[AK_JSON_KIND_MAX],
			    struct ak_error *err);

/*
 * NaN, Infinity: the bare tokens that Python's json module and Jackson (with
 * ALLOW_NON_NUMERIC_NUMBERS) write for float and double values, JSON or not. The next token
 * starts with @c ('N' or 'I'): reads it and sets *@d, or fails with "invalid JSON token".
 * (-Infinity comes through ak_json_in_number(), as the token "-Infinity".)
 */
int ak_json_in_nonfinite(struct ak_json_in *j, int c, double *d, struct ak_error *err);

#endif /* AK_JSON_IN_H */
