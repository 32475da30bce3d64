/* SPDX-License-Identifier: Apache-2.0 */
#include "json_in.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define JSON_IN_BUFSIZE (256 * 1024)

int ak_json_in_init(struct ak_json_in *j, struct ak_source *src, struct ak_error *err)
{
	memset(j, 0, sizeof(*j));
	j->src = src;
	j->buf = malloc(JSON_IN_BUFSIZE);
	if (!j->buf)
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	j->cap = JSON_IN_BUFSIZE;
	j->owned = 1;
	j->p = j->end = j->buf;
	j->line = 1;
	return AK_OK;
}

void ak_json_in_init_mem(struct ak_json_in *j, const char *s, size_t len)
{
	memset(j, 0, sizeof(*j));
	j->buf = (unsigned char *)(uintptr_t)s;
	j->p = j->buf;
	j->end = j->buf + len;
	j->eof = 1;
	j->line = 1;
}

void ak_json_in_release(struct ak_json_in *j)
{
	if (j->owned)
		free(j->buf);
	j->buf = NULL;
	j->p = j->end = NULL;
}

static uint64_t offset_of(const struct ak_json_in *j, const unsigned char *p)
{
	return j->consumed + (uint64_t)(p - j->buf);
}

/* Keep the bytes from buf[cap_from] up to @upto of a value being copied, before the buffer
 * is reused. */
static int capture_flush(struct ak_json_in *j, const unsigned char *upto, struct ak_error *err)
{
	size_t n = (size_t)(upto - j->buf) - j->cap_from;

	if (j->capture->len + n > j->cap_max)
		return ak_fail(err, AK_E_LIMIT, "value longer than %zu bytes", j->cap_max);
	if (n && ak_buf_append(j->capture, j->buf + j->cap_from, n, err) != AK_OK)
		return AK_E_NOMEM;
	j->cap_from = 0;
	return AK_OK;
}

/* Read the next chunk; everything before it has been used. AK_OK, AK_EOF or AK_E_IO. */
static int refill(struct ak_json_in *j, struct ak_error *err)
{
	ssize_t n;

	if (j->eof || !j->src)
		return AK_EOF;
	if (j->capture) {
		int rc = capture_flush(j, j->end, err);

		if (rc != AK_OK)
			return rc;
	}
	j->consumed += (uint64_t)(j->end - j->buf);
	j->p = j->end = j->buf;
	if ((n = ak_source_read(j->src, j->buf, j->cap, err)) < 0)
		return (int)n;
	if (n == 0) {
		j->eof = 1;
		return AK_EOF;
	}
	j->end = j->buf + n;
	return AK_OK;
}

/* Next byte, consumed; -1 at the end of input, -2 on a read error (err set). */
static inline int next(struct ak_json_in *j, struct ak_error *err)
{
	if (j->p == j->end) {
		int rc = refill(j, err);

		if (rc != AK_OK)
			return rc == AK_EOF ? -1 : -2;
	}
	return *j->p++;
}

/* Next byte, not consumed. */
static inline int look(struct ak_json_in *j, struct ak_error *err)
{
	if (j->p == j->end) {
		int rc = refill(j, err);

		if (rc != AK_OK)
			return rc == AK_EOF ? -1 : -2;
	}
	return *j->p;
}

static void mark_token(struct ak_json_in *j)
{
	j->tok_line = j->line;
	j->tok_col = offset_of(j, j->p) - j->line_start + 1;
}

int ak_json_in_fail(struct ak_json_in *j, int code, struct ak_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	ak_fail(err, code, "%s", "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->line = j->tok_line;
	err->column = j->tok_col;
	return code;
}

/* Point messages at the byte just consumed (the start of an escape or a UTF-8 sequence). */
static void mark_prev(struct ak_json_in *j)
{
	j->tok_line = j->line;
	j->tok_col = offset_of(j, j->p - 1) - j->line_start + 1;
}

/* Fail at the current byte rather than at the token start. */
#define FAIL_HERE(j, err, ...) (mark_token(j), ak_json_in_fail((j), AK_E_JSON, (err), __VA_ARGS__))

int ak_json_in_peek_slow(struct ak_json_in *j, struct ak_error *err)
{
	for (;;) {
		while (j->p < j->end) {
			unsigned char c = *j->p;

			if (c == ' ' || c == '\t' || c == '\r') {
				j->p++;
			} else if (c == '\n') {
				j->p++;
				j->line++;
				j->line_start = offset_of(j, j->p);
			} else {
				mark_token(j);
				return c;
			}
		}
		int rc = refill(j, err);
		if (rc == AK_EOF) {
			mark_token(j);
			return -1;
		}
		if (rc != AK_OK)
			return rc;
	}
}

void ak_json_in_pos(const struct ak_json_in *j, struct ak_json_pos *pos)
{
	pos->offset = j->consumed + (uint64_t)(j->p - j->buf);
	pos->line = j->line;
	pos->line_start = j->line_start;
}

void ak_json_in_init_at(struct ak_json_in *j, const char *s, size_t len,
			const struct ak_json_pos *pos)
{
	ak_json_in_init_mem(j, s, len);
	j->consumed = pos->offset;
	j->line = pos->line;
	j->line_start = pos->line_start;
}

int ak_json_in_copy_value(struct ak_json_in *j, struct ak_buf *out, size_t max,
			  struct ak_buf *scratch, struct ak_error *err)
{
	int rc, c = ak_json_in_peek(j, err);

	if (c < -1)
		return c;
	j->capture = out;
	j->cap_from = (size_t)(j->p - j->buf);
	j->cap_max = max;
	rc = ak_json_in_skip_value(j, scratch, 0, err);
	if (rc == AK_OK)
		rc = capture_flush(j, j->p, err);
	j->capture = NULL;
	return rc;
}

/* Make at least @n bytes (or what is left of the input) readable from j->p on, moving what
 * is there to the start of the buffer. */
static int ensure(struct ak_json_in *j, size_t n, struct ak_error *err)
{
	size_t have = (size_t)(j->end - j->p);

	if (have >= n || j->eof || !j->src)
		return AK_OK;
	if (n > j->cap)
		n = j->cap;
	if (j->capture) {
		int rc = capture_flush(j, j->p, err);

		if (rc != AK_OK)
			return rc;
	}
	j->consumed += (uint64_t)(j->p - j->buf);
	memmove(j->buf, j->p, have);
	j->p = j->buf;
	j->end = j->buf + have;
	while ((size_t)(j->end - j->p) < n) {
		ssize_t got = ak_source_read(j->src, (unsigned char *)j->end,
					     j->cap - (size_t)(j->end - j->buf), err);

		if (got < 0)
			return (int)got;
		if (got == 0) {
			j->eof = 1;
			break;
		}
		j->end += got;
	}
	return AK_OK;
}

#define FIRST_KEY_MAX 4096

int ak_json_in_first_key(struct ak_json_in *j, const unsigned char **key, size_t *len, int *value,
			 struct ak_error *err)
{
	const unsigned char *p, *end, *k;
	int rc = ensure(j, FIRST_KEY_MAX, err);

	if (rc != AK_OK)
		return rc;
	p = j->p + 1; /* after '{' */
	/* the same answer wherever the buffer happens to end */
	end = j->end - j->p > FIRST_KEY_MAX ? j->p + FIRST_KEY_MAX : j->end;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end || *p != '"')
		return 0;
	for (k = ++p; p < end && *p != '"'; p++)
		if (*p == '\\' || *p < 0x20)
			return 0;
	if (p == end)
		return 0;
	*key = k;
	*len = (size_t)(p - k);
	for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
		;
	if (p == end || *p != ':')
		return 0;
	for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
		;
	*value = p < end ? *p : 0;
	return 1;
}

const char *ak_json_kind(int c)
{
	switch (c) {
	case '"': return "string";
	case '{': return "object";
	case '[': return "array";
	case 't':
	case 'f': return "boolean";
	case 'n': return "null";
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9': return "number";
	case -1: return "end of input";
	case '}': return "'}'";
	case ']': return "']'";
	case ',': return "','";
	case ':': return "':'";
	}
	return "invalid JSON";
}

/* After the array's ']': nothing but white space may follow. */
static int seq_end(struct ak_json_seq *s, struct ak_error *err)
{
	int c = ak_json_in_peek(s->j, err);

	s->state = 2;
	if (c < -1)
		return c;
	if (c != -1)
		return ak_json_in_fail(s->j, AK_E_JSON, err, "unexpected %s after the array",
				       ak_json_kind(c));
	return AK_EOF;
}

int ak_json_seq_next_array(struct ak_json_seq *s, struct ak_error *err)
{
	struct ak_json_in *j = s->j;
	int c = ak_json_in_peek(j, err);

	if (c < -1)
		return c;
	if (s->state == 2)
		return AK_EOF;
	if (s->state == 0) {
		if (c != '[')
			return ak_json_in_fail(j, AK_E_JSON, err, "with --array the input must be "
					       "one JSON array, got %s", ak_json_kind(c));
		ak_json_in_advance(j);
		s->state = 1;
		if ((c = ak_json_in_peek(j, err)) == ']') {
			ak_json_in_advance(j);
			return seq_end(s, err);
		}
	} else if (c == ',') {
		ak_json_in_advance(j);
		c = ak_json_in_peek(j, err); /* a ']' here is the value reader's to refuse */
	} else if (c == ']') {
		ak_json_in_advance(j);
		return seq_end(s, err);
	} else if (c != -1) {
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected ',' or ']' in "
				       "the array, got %s", ak_json_kind(c));
	}
	if (c < -1)
		return c;
	if (c == -1)
		return ak_json_in_fail(j, AK_E_JSON, err, "the input ends inside the array (no "
				       "closing ']')");
	return AK_OK;
}

/* A byte that goes on a bare word (a literal, NaN, or something invalid) for messages. */
static int word_byte(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '+' || c == '.';
}

#define WORD_MAX 32

/* Read the rest of a bare word into @w, which holds @n bytes of it already; the word is cut
 * at WORD_MAX bytes (then "..." is added). */
static void read_word(struct ak_json_in *j, char w[WORD_MAX + 4], size_t n,
		      struct ak_error *err)
{
	int c;

	while ((c = look(j, err)) >= 0 && word_byte(c)) {
		j->p++;
		if (n < WORD_MAX)
			w[n++] = (char)c;
		else if (n == WORD_MAX)
			memcpy(w + n, "...", 3), n += 3;
	}
	w[n] = '\0';
}

static int bad_token(struct ak_json_in *j, char w[WORD_MAX + 4], size_t n, struct ak_error *err)
{
	read_word(j, w, n, err);
	return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON token '%s'", w);
}

/* The literal @lit did not match: its first @k bytes did, then came @c. */
__attribute__((noinline, cold))
static int bad_literal(struct ak_json_in *j, const char *lit, size_t k, int c,
		       struct ak_error *err)
{
	char w[WORD_MAX + 4];

	memcpy(w, lit, k);
	if (c >= 0 && word_byte(c))
		w[k++] = (char)c;
	return bad_token(j, w, k, err);
}

int ak_json_in_literal(struct ak_json_in *j, const char *lit, struct ak_error *err)
{
	size_t k;
	int c;

	for (k = 0; lit[k]; k++) {
		c = next(j, err);
		if (c == -2)
			return err->code;
		if (c != (unsigned char)lit[k])
			return bad_literal(j, lit, k, c, err);
	}
	c = look(j, err);
	if (c == -2)
		return err->code;
	if (word_byte(c))
		return bad_literal(j, lit, k, -1, err);
	return AK_OK;
}

const char *ak_json_in_kind(struct ak_json_in *j, int c, char buf[AK_JSON_KIND_MAX],
			    struct ak_error *err)
{
	static const char *const known[][2] = {
		{ "null", "null" }, { "true", "boolean" }, { "false", "boolean" },
		{ "NaN", "NaN" }, { "Infinity", "Infinity" },
	};
	char w[WORD_MAX + 4];

	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return ak_json_kind(c);
	read_word(j, w, 0, err);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(w, known[i][0]) == 0)
			return known[i][1];
	snprintf(buf, AK_JSON_KIND_MAX, "the invalid JSON token '%s'", w);
	return buf;
}

int ak_json_in_nonfinite(struct ak_json_in *j, int c, double *d, struct ak_error *err)
{
	char w[WORD_MAX + 4];

	(void)c;
	read_word(j, w, 0, err);
	if (strcmp(w, "NaN") == 0)
		*d = NAN;
	else if (strcmp(w, "Infinity") == 0)
		*d = INFINITY;
	else
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON token '%s'", w);
	return AK_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_hex4(struct ak_json_in *j, struct ak_error *err, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int c = next(j, err), h;

		if (c == -2)
			return err->code;
		if ((h = hexval(c)) < 0)
			return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: bad \\u escape in a "
					       "string");
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return AK_OK;
}

/* 1: plain byte inside a string (copied in runs) */
static const unsigned char plain[256] = {
	['\x20'] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1,
	['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
	['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
	['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1, ['\x7f'] = 1,
};

/*
 * Copy the plain bytes at @p (up to a quote, a backslash, a control character or a non-ASCII
 * byte, or @lim) to *@o, which has room for @lim - @p bytes; returns where the copy stopped.
 * Eight bytes at a time where the byte order allows: each test below sets the high bit of the
 * bytes it looks for, and borrows can only mark bytes above a marked one, so the lowest mark
 * is exact. All eight bytes are stored, and only the plain ones kept.
 */
static inline const unsigned char *copy_plain(const unsigned char *p, const unsigned char *lim,
					      unsigned char **o)
{
	unsigned char *d = *o;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;

	while (lim - p >= 8) {
		uint64_t v, q, b, m;

		memcpy(&v, p, 8);
		memcpy(d, &v, 8);
		q = v ^ (ones * '"');
		b = v ^ (ones * '\\');
		m = (v & highs) | ((v - ones * 0x20) & ~v & highs) | ((q - ones) & ~q & highs) |
		    ((b - ones) & ~b & highs);
		if (m) {
			unsigned k = (unsigned)__builtin_ctzll(m) >> 3;

			*o = d + k;
			return p + k;
		}
		p += 8;
		d += 8;
	}
#endif
	while (p < lim && plain[*p])
		*d++ = *p++;
	*o = d;
	return p;
}

int ak_json_in_string(struct ak_json_in *j, struct ak_buf *out, int latin1, size_t *count,
		      struct ak_error *err)
{
	size_t n = 0;
	int rc, c;

	if ((c = next(j, err)) != '"')
		return c == -2 ? err->code : ak_json_in_fail(j, AK_E_JSON, err, "expected a string");
	for (;;) {
		unsigned cp;

		/* Fast path, writing straight into @out: runs of plain bytes, \u00XX escapes and
		 * well-formed raw UTF-8, as far as the input buffer and the room in @out go (no
		 * input byte makes more than one byte of output). The rest, one character at a
		 * time, below. */
		if (out->cap - out->len < 64 && (rc = ak_buf_reserve(out, 4096, err)) != AK_OK)
			return rc;
		{
			const unsigned char *p = j->p, *lim = j->end;
			unsigned char *o = out->data + out->len;

			if ((size_t)(lim - p) > out->cap - out->len)
				lim = p + (out->cap - out->len);
			for (;;) {
				const unsigned char *q = copy_plain(p, lim, &o);

				n += (size_t)(q - p);
				p = q;
				if (lim - p < 6)
					break;
				if (p[0] == '\\' && p[1] == 'u' && p[2] == '0' && p[3] == '0' &&
				    hexval(p[4]) >= 0 && hexval(p[5]) >= 0) {
					cp = (unsigned)(hexval(p[4]) << 4 | hexval(p[5]));
					if (latin1 || cp < 0x80) {
						*o++ = (unsigned char)cp;
					} else {
						*o++ = (unsigned char)(0xc0 | cp >> 6);
						*o++ = (unsigned char)(0x80 | (cp & 0x3f));
					}
					p += 6;
					n++;
				} else if (!latin1 && p[0] >= 0xc2 && p[0] <= 0xdf &&
					   (p[1] & 0xc0) == 0x80) {
					*o++ = *p++;
					*o++ = *p++;
					n++;
				} else if (!latin1 && p[0] >= 0xe0 && p[0] <= 0xef &&
					   (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
					   (p[0] != 0xe0 || p[1] >= 0xa0) &&
					   (p[0] != 0xed || p[1] < 0xa0)) {
					*o++ = *p++;
					*o++ = *p++;
					*o++ = *p++;
					n++;
				} else {
					break;
				}
			}
			out->len = (size_t)(o - out->data);
			j->p = p;
		}
		c = next(j, err);
		if (c == -2)
			return err->code;
		if (c == -1)
			return FAIL_HERE(j, err, "invalid JSON: the input ends inside a string");
		if (c == '"')
			break;
		if (c == '\\' || c >= 0x80)
			mark_prev(j);
		if (c < 0x20) {
			j->p--;
			return FAIL_HERE(j, err, "invalid JSON: control character 0x%02x in a string "
					 "(it must be escaped)", c);
		}
		if (c == '\\' && j->end - j->p >= 5 && j->p[0] == 'u' && j->p[1] == '0' &&
		    j->p[2] == '0' && hexval(j->p[3]) >= 0 && hexval(j->p[4]) >= 0) {
			/* \u00XX, the form of every byte of Avro's bytes and fixed: fast path */
			unsigned char tmp[2];
			size_t k = 0;

			cp = (unsigned)(hexval(j->p[3]) << 4 | hexval(j->p[4]));
			j->p += 5;
			if (latin1 || cp < 0x80) {
				tmp[k++] = (unsigned char)cp;
			} else {
				tmp[k++] = (unsigned char)(0xc0 | cp >> 6);
				tmp[k++] = (unsigned char)(0x80 | (cp & 0x3f));
			}
			if ((rc = ak_buf_append(out, tmp, k, err)) != AK_OK)
				return rc;
			n++;
			continue;
		}
		if (c == '\\') {
			c = next(j, err);
			switch (c) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if ((rc = read_hex4(j, err, &cp)) != AK_OK)
					return rc;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: lone low surrogate "
							 "\\u%04X in a string", cp);
				if (cp >= 0xd800 && cp <= 0xdbff) {
					unsigned lo;

					if (next(j, err) != '\\' || next(j, err) != 'u')
						return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: high surrogate "
								 "\\u%04X not followed by a low one", cp);
					if ((rc = read_hex4(j, err, &lo)) != AK_OK)
						return rc;
					if (lo < 0xdc00 || lo > 0xdfff)
						return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: high surrogate "
								 "\\u%04X not followed by a low one", cp);
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				break;
			case -2:
				return err->code;
			default:
				return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: bad escape in a string");
			}
		} else if (c < 0x80) {
			cp = (unsigned)c;
		} else {
			/* a UTF-8 sequence in the raw text */
			unsigned need, min;

			if (c >= 0xc2 && c <= 0xdf) {
				need = 1, cp = (unsigned)c & 0x1f, min = 0x80;
			} else if (c >= 0xe0 && c <= 0xef) {
				need = 2, cp = (unsigned)c & 0x0f, min = 0x800;
			} else if (c >= 0xf0 && c <= 0xf4) {
				need = 3, cp = (unsigned)c & 0x07, min = 0x10000;
			} else {
				j->p--;
				return ak_json_in_fail(j, AK_E_JSON, err, "invalid UTF-8 in the input (byte 0x%02x)", c);
			}
			for (unsigned k = 0; k < need; k++) {
				int cc = next(j, err);

				if (cc == -2)
					return err->code;
				if (cc < 0 || (cc & 0xc0) != 0x80) {
					if (cc >= 0)
						j->p--;
					return ak_json_in_fail(j, AK_E_JSON, err, "invalid UTF-8 in the input "
							 "(truncated sequence)");
				}
				cp = cp << 6 | ((unsigned)cc & 0x3f);
			}
			if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return ak_json_in_fail(j, AK_E_JSON, err, "invalid UTF-8 in the input (overlong or "
						 "out-of-range sequence)");
		}
		if (latin1) {
			unsigned char b = (unsigned char)cp;

			if (cp > 0xff)
				return ak_json_in_fail(j, AK_E_JSON, err, "character U+%04X cannot be a "
						       "byte: bytes and fixed values take U+0000 to "
						       "U+00FF only", cp);
			if ((rc = ak_buf_append(out, &b, 1, err)) != AK_OK)
				return rc;
		} else {
			unsigned char tmp[4];

			if ((rc = ak_buf_append(out, tmp, ak_utf8_put(tmp, cp), err)) != AK_OK)
				return rc;
		}
		n++;
	}
	if (count)
		*count = n;
	return AK_OK;
}

int ak_json_in_number(struct ak_json_in *j, char tok[AK_JSON_NUMBER_TOKEN_MAX + 1], size_t *len,
		      int *is_int, struct ak_error *err)
{
	size_t n = 0;
	int c, state = 0, isint = 1;

	/* states: 0 start, 1 after '-', 2 int digits, 3 after leading 0, 4 after '.',
	 * 5 frac digits, 6 after e, 7 after e sign, 8 exp digits */
	for (;;) {
		c = look(j, err);
		if (c == -2)
			return err->code;
		int ok = 0;

		switch (state) {
		case 0:
			if (c == '-') { state = 1; ok = 1; }
			else if (c == '0') { state = 3; ok = 1; }
			else if (c >= '1' && c <= '9') { state = 2; ok = 1; }
			break;
		case 1:
			if (c == '0') { state = 3; ok = 1; }
			else if (c >= '1' && c <= '9') { state = 2; ok = 1; }
			break;
		case 2:
		case 3:
			if (state == 2 && c >= '0' && c <= '9') { ok = 1; }
			else if (c == '.') { state = 4; ok = 1; isint = 0; }
			else if (c == 'e' || c == 'E') { state = 6; ok = 1; isint = 0; }
			break;
		case 4:
			if (c >= '0' && c <= '9') { state = 5; ok = 1; }
			break;
		case 5:
			if (c >= '0' && c <= '9') { ok = 1; }
			else if (c == 'e' || c == 'E') { state = 6; ok = 1; }
			break;
		case 6:
			if (c == '+' || c == '-') { state = 7; ok = 1; }
			else if (c >= '0' && c <= '9') { state = 8; ok = 1; }
			break;
		case 7:
			if (c >= '0' && c <= '9') { state = 8; ok = 1; }
			break;
		case 8:
			if (c >= '0' && c <= '9') { ok = 1; }
			break;
		}
		if (!ok)
			break;
		if (n >= AK_JSON_NUMBER_TOKEN_MAX)
			return ak_json_in_fail(j, AK_E_JSON, err, "number longer than %d characters",
					       AK_JSON_NUMBER_TOKEN_MAX);
		tok[n++] = (char)c;
		j->p++;
	}
	tok[n] = '\0';
	if (state == 1 && c == 'I') {
		/* -Infinity, as Python and Jackson write it (see ak_json_in_nonfinite()) */
		char w[WORD_MAX + 4];

		read_word(j, w, 0, err);
		if (strcmp(w, "Infinity") != 0)
			return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON token '-%s'", w);
		memcpy(tok, "-Infinity", 10);
		*len = 9;
		*is_int = 0;
		return AK_OK;
	}
	if (state != 2 && state != 3 && state != 5 && state != 8)
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: malformed number");
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-' ||
	    (c >= '0' && c <= '9'))
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: malformed number");
	*len = n;
	*is_int = isint;
	return AK_OK;
}

int ak_json_in_skip_value(struct ak_json_in *j, struct ak_buf *scratch, unsigned depth,
			  struct ak_error *err)
{
	int c = ak_json_in_peek(j, err), rc;

	if (c < -1)
		return c;
	if (depth > 1000)
		return ak_json_in_fail(j, AK_E_LIMIT, err, "JSON nested too deeply");
	switch (c) {
	case '"':
		scratch->len = 0;
		return ak_json_in_string(j, scratch, 0, NULL, err);
	case 't':
		return ak_json_in_literal(j, "true", err);
	case 'f':
		return ak_json_in_literal(j, "false", err);
	case 'n':
		return ak_json_in_literal(j, "null", err);
	case '[':
	case '{': {
		int close = c == '[' ? ']' : '}';

		j->p++;
		if ((c = ak_json_in_peek(j, err)) == close) {
			j->p++;
			return AK_OK;
		}
		for (;;) {
			if (close == '}') {
				if (c != '"')
					return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: "
							       "expected a field name");
				scratch->len = 0;
				if ((rc = ak_json_in_string(j, scratch, 0, NULL, err)) != AK_OK)
					return rc;
				if (ak_json_in_peek(j, err) != ':')
					return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: "
							       "expected ':'");
				j->p++;
			}
			if ((rc = ak_json_in_skip_value(j, scratch, depth + 1, err)) != AK_OK)
				return rc;
			c = ak_json_in_peek(j, err);
			if (c == close) {
				j->p++;
				return AK_OK;
			}
			if (c != ',')
				return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected ',' "
						       "or '%c'", close);
			j->p++;
			c = ak_json_in_peek(j, err);
		}
	}
	default:
		if (c == '-' || (c >= '0' && c <= '9')) {
			char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
			size_t n;
			int isint;

			return ak_json_in_number(j, tok, &n, &isint, err);
		}
		if (c == -1)
			return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: unexpected end of "
					       "input");
		if (c == 'N' || c == 'I') {
			double d;

			return ak_json_in_nonfinite(j, c, &d, err);
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			char w[WORD_MAX + 4];

			return bad_token(j, w, 0, err);
		}
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: unexpected character '%c'",
				       c);
	}
}
