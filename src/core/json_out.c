/* SPDX-License-Identifier: Apache-2.0 */
#include "json_out.h"

#include "shortest.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char hex[] = "0123456789ABCDEF";

/* 0: copy as is; 1: needs an escape; 2: start of a multi-byte UTF-8 sequence. */
static const unsigned char str_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static inline unsigned char *put_escape(unsigned char *o, unsigned char c)
{
	*o++ = '\\';
	switch (c) {
	case '"': *o++ = '"'; break;
	case '\\': *o++ = '\\'; break;
	case '\b': *o++ = 'b'; break;
	case '\f': *o++ = 'f'; break;
	case '\n': *o++ = 'n'; break;
	case '\r': *o++ = 'r'; break;
	case '\t': *o++ = 't'; break;
	default:
		*o++ = 'u';
		*o++ = '0';
		*o++ = '0';
		*o++ = (unsigned char)hex[c >> 4];
		*o++ = (unsigned char)hex[c & 15];
	}
	return o;
}

size_t ak_json_put_string(struct ak_buf *b, const unsigned char *s, size_t len)
{
	unsigned char *o = b->data + b->len;
	size_t i = 0, bad = 0;

	*o++ = '"';
	while (i < len) {
		size_t start = i;

		while (i < len && str_class[s[i]] == 0)
			i++;
		memcpy(o, s + start, i - start);
		o += i - start;
		if (i >= len)
			break;
		if (str_class[s[i]] == 1) {
			o = put_escape(o, s[i]);
			i++;
		} else {
			size_t n = ak_utf8_seq(s + i, len - i);

			if (n) {
				memcpy(o, s + i, n);
				o += n;
				i += n;
			} else {
				*o++ = 0xef;
				*o++ = 0xbf;
				*o++ = 0xbd;
				i++;
				bad++;
			}
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	return bad;
}

void ak_json_put_bytes(struct ak_buf *b, const unsigned char *s, size_t len)
{
	unsigned char *o = b->data + b->len;

	*o++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			*o++ = c;
		else
			o = put_escape(o, c);
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
}

void ak_json_put_long(struct ak_buf *b, int64_t v)
{
	char tmp[24];
	unsigned char *o = b->data + b->len;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*o++ = '-';
	while (n)
		*o++ = (unsigned char)tmp[--n];
	b->len = (size_t)(o - b->data);
}

/*
 * Lay out the decimal digits @dig (no leading or trailing zeros, @nd of them) with decimal
 * exponent @e (value = d.ddd x 10^e) the way Java's Double.toString does.
 */
static size_t java_layout(char *dst, int neg, const char *dig, size_t nd, int e)
{
	char *o = dst;

	if (neg)
		*o++ = '-';
	if (e >= -3 && e < 7) {
		if (e >= 0) {
			for (int i = 0; i <= e; i++)
				*o++ = (size_t)i < nd ? dig[i] : '0';
			*o++ = '.';
			if ((size_t)e + 1 < nd) {
				memcpy(o, dig + e + 1, nd - (size_t)e - 1);
				o += nd - (size_t)e - 1;
			} else {
				*o++ = '0';
			}
		} else {
			*o++ = '0';
			*o++ = '.';
			for (int i = -1; i > e; i--)
				*o++ = '0';
			memcpy(o, dig, nd);
			o += nd;
		}
	} else {
		*o++ = dig[0];
		*o++ = '.';
		if (nd > 1) {
			memcpy(o, dig + 1, nd - 1);
			o += nd - 1;
		} else {
			*o++ = '0';
		}
		o += snprintf(o, 8, "E%d", e);
	}
	*o = '\0';
	return (size_t)(o - dst);
}

/* Split "d.ddde[+-]xx" from printf into digits without trailing zeros and the exponent. */
static size_t split_sci(const char *s, char *dig, int *e)
{
	size_t nd = 0;

	if (*s == '-')
		s++;
	dig[nd++] = *s++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			dig[nd++] = *s;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	*e = atoi(s + 1);
	return nd;
}

static size_t special(char *dst, double d)
{
	const char *s = isnan(d) ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
	size_t n = strlen(s);

	memcpy(dst, s, n + 1);
	return n;
}

/*
 * Round the @nd-digit decimal @dig (exponent *e) to @p digits into @out; returns @p, or adjusts
 * *e when the rounding carries into a new digit (999 -> 100, one more power of ten).
 */
static size_t round_digits(const char *dig, size_t nd, size_t p, char *out, int *e, int up)
{
	memcpy(out, dig, p);
	if (p < nd && up) {
		size_t i = p;

		while (i > 0 && out[i - 1] == '9')
			out[--i] = '0';
		if (i == 0) {
			out[0] = '1';
			(*e)++;
		} else {
			out[i - 1]++;
		}
	}
	return p;
}

/* Does the decimal dig[0].dig[1..p) x 10^e read back as @d (or @f when @is_float)? */
static int reads_back(int neg, const char *dig, size_t p, int e, double d, float f, int is_float)
{
	char buf[48], *o = buf;

	if (neg)
		*o++ = '-';
	*o++ = dig[0];
	*o++ = '.';
	memcpy(o, dig + 1, p - 1);
	o += p - 1;
	snprintf(o, 10, "e%d", e);
	return is_float ? strtof(buf, NULL) == f : strtod(buf, NULL) == d;
}

/*
 * Shortest digits: one printf of enough digits to be exact (17 for a double, 9 for a float),
 * then shorter roundings of that string are tried, shortest first, and the first that reads
 * back is taken. Most doubles need 15 to 17 digits and most floats 6 to 9, so the search
 * starts there; subnormals and values that need fewer digits (1.5, 0.1) come out short
 * because trailing zeros are dropped at the end.
 */
static size_t format_shortest(char *dst, double d, float f, int is_float)
{
	char buf[64], dig[40], cand[40];
	size_t nd, maxd = is_float ? 9 : 17, p;
	int e, e2, neg = is_float ? f < 0 : d < 0;
	int sub = is_float ? fabsf(f) < FLT_MIN : fabs(d) < DBL_MIN, x2;
	int pow2 = fabs(frexp(is_float ? (double)f : d, &x2)) == 0.5;

	/* integers below 10^7 print as "123.0": no search needed */
	if (!is_float && fabs(d) < 1e7 && d == (double)(int64_t)d) {
		int64_t v = (int64_t)d;
		struct ak_buf b = { (unsigned char *)dst, 0, AK_JSON_NUMBER_MAX };

		if (v == 0 && signbit(d))
			dst[b.len++] = '-';
		ak_json_put_long(&b, v);
		memcpy(dst + b.len, ".0", 3);
		return b.len + 2;
	}
	snprintf(buf, sizeof(buf), "%.*e", (int)maxd - 1, is_float ? (double)f : d);
	nd = split_sci(buf, dig, &e);
	for (p = sub ? 2 : (is_float ? 6 : 15); p <= maxd && p <= nd; p++) {
		/* the nearer of the two p-digit neighbours first, then the other: the digit
		 * string is itself rounded, so near a tie either may be the one that reads back */
		int up = p < nd && dig[p] >= '5';

		if (p == nd - 1 && dig[p] == '5') {
			/* "...5" may be an exact half or a rounded 4999..: ask for more digits */
			char more[64], mdig[40];
			int me;
			size_t mn;

			snprintf(more, sizeof(more), "%.*e", (int)maxd + 7, is_float ? (double)f : d);
			mn = split_sci(more, mdig, &me);
			up = me != e || mn > p + 1 || mdig[p] > '5'; /* above the half: up */
			if (me == e && mn > p && mdig[p] < '5')
				up = 0;
		}

		/* only at a power of two is the interval that reads back lopsided, so that the
		 * farther neighbour may read back when the nearer does not */
		for (int k = 0; k < (p < nd && pow2 ? 2 : 1); k++, up = !up) {
			e2 = e;
			round_digits(dig, nd, p, cand, &e2, up);
			if (reads_back(neg, cand, p, e2, d, f, is_float)) {
				while (p > 1 && cand[p - 1] == '0')
					p--;
				return java_layout(dst, neg, cand, p, e2);
			}
		}
	}
	/* the value is exactly a decimal of fewer digits than the search starts at (0.5) */
	return java_layout(dst, neg, dig, nd, e);
}

/* Lay out digits x 10^exp10 (from ak_shortest_*) the Java way. */
static size_t layout_digits(char *dst, int neg, uint64_t digits, int32_t exp10)
{
	char tmp[24], dig[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + digits % 10);
		digits /= 10;
	} while (digits);
	for (size_t i = 0; i < n; i++)
		dig[i] = tmp[n - 1 - i];
	while (n > 1 && dig[n - 1] == '0') {
		n--;
		exp10++;
	}
	return java_layout(dst, neg, dig, n, exp10 + (int32_t)n - 1);
}

size_t ak_format_double(char *dst, double d)
{
	uint64_t digits;
	int32_t e;

	if (!isfinite(d))
		return special(dst, d);
	if (d == 0)
		return java_layout(dst, signbit(d) != 0, "0", 1, 0);
	if (fabs(d) < DBL_MIN) /* subnormal: Java's rule for very short results differs */
		return format_shortest(dst, d, 0, 0);
	ak_shortest_double(d, &digits, &e);
	return layout_digits(dst, d < 0, digits, e);
}

size_t ak_format_float(char *dst, float f)
{
	uint64_t digits;
	int32_t e;

	if (!isfinite(f))
		return special(dst, f);
	if (f == 0)
		return java_layout(dst, signbit(f) != 0, "0", 1, 0);
	if (fabsf(f) < FLT_MIN)
		return format_shortest(dst, 0, f, 1);
	ak_shortest_float(f, &digits, &e);
	return layout_digits(dst, f < 0, digits, e);
}

void ak_json_put_double(struct ak_buf *b, double d)
{
	b->len += ak_format_double((char *)b->data + b->len, d);
}

void ak_json_put_float(struct ak_buf *b, float f)
{
	b->len += ak_format_float((char *)b->data + b->len, f);
}

int ak_json_reformat(const char *text, size_t len, int indent, unsigned base,
		     struct ak_buf *out, struct ak_error *err)
{
	/* Jackson's layout: objects one member per line, indented by object depth; arrays on
	 * the line, "[ a, b ]"; empty ones "{ }" and "[ ]". */
	unsigned char stack[AK_SCHEMA_JSON_MAX_DEPTH];
	unsigned sp = 0, objs = base;
	int fresh = 0, rc;

#define NEWLINE(d) do { out->data[out->len++] = '\n'; \
		memset(out->data + out->len, ' ', (size_t)indent * (d)); \
		out->len += (size_t)indent * (d); } while (0)
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		int in_obj = sp && stack[sp - 1] == '{';

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if ((rc = ak_buf_reserve(out, 8 + (size_t)indent * (objs + 1), err)) != AK_OK)
			return rc;
		if (fresh && c != '}' && c != ']' && indent) {
			if (in_obj)
				NEWLINE(objs);
			else
				out->data[out->len++] = ' ';
		}
		fresh = 0;
		switch (c) {
		case '{':
		case '[':
			if (sp == sizeof(stack))
				return ak_fail(err, AK_E_LIMIT, "JSON nested too deeply");
			stack[sp++] = (unsigned char)c;
			if (c == '{')
				objs++;
			out->data[out->len++] = (unsigned char)c;
			fresh = 1;
			break;
		case '}':
		case ']': {
			int empty = out->len && out->data[out->len - 1] == (c == '}' ? '{' : '[');

			if (sp)
				sp--;
			if (c == '}' && objs)
				objs--;
			if (indent) {
				if (empty || c == ']')
					out->data[out->len++] = ' ';
				else
					NEWLINE(objs);
			}
			out->data[out->len++] = (unsigned char)c;
			break;
		}
		case ',':
			out->data[out->len++] = ',';
			if (indent) {
				if (in_obj)
					NEWLINE(objs);
				else
					out->data[out->len++] = ' ';
			}
			break;
		case ':':
			if (indent) {
				memcpy(out->data + out->len, " : ", 3);
				out->len += 3;
			} else {
				out->data[out->len++] = ':';
			}
			break;
		case '"': {
			size_t j = i + 1;

			while (j < len && text[j] != '"')
				j += text[j] == '\\' ? 2 : 1;
			if (j >= len)
				return ak_fail(err, AK_E_JSON, "unterminated string in JSON text");
			if ((rc = ak_buf_append(out, text + i, j - i + 1, err)) != AK_OK)
				return rc;
			i = j;
			break;
		}
		default: {
			size_t j = i;

			/* a number or a literal: copied as written */
			while (j < len && !strchr(" \t\r\n,:{}[]\"", text[j]))
				j++;
			if ((rc = ak_buf_append(out, text + i, j - i, err)) != AK_OK)
				return rc;
			i = j - 1;
		}
		}
	}
#undef NEWLINE
	return AK_OK;
}
