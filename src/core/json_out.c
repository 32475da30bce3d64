/* SPDX-License-Identifier: Apache-2.0 */
#include "json_out.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Length of the valid UTF-8 sequence at @s (1..4), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return left >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
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
			size_t n = utf8_seq(s + i, len - i);

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

size_t ak_format_double(char *dst, double d)
{
	char buf[40], dig[20];
	int e;

	if (!isfinite(d))
		return special(dst, d);
	if (d == 0)
		return java_layout(dst, signbit(d) != 0, "0", 1, 0);
	if (fabs(d) < DBL_MIN) {
		/* subnormal: few digits may do. Java never prints fewer than two significant
		 * digits' worth of choice: when one digit would do, it takes the closest of the
		 * one- and two-digit decimals, which is what two digits correctly rounded give. */
		for (int p = 2;; p++) {
			snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
			if (p >= 17 || strtod(buf, NULL) == d)
				break;
		}
	} else {
		for (int p = 15; p <= 17; p++) {
			snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
			if (p == 17 || strtod(buf, NULL) == d)
				break;
		}
	}
	size_t nd = split_sci(buf, dig, &e);
	return java_layout(dst, d < 0, dig, nd, e);
}

size_t ak_format_float(char *dst, float f)
{
	char buf[40], dig[20];
	int e;

	if (!isfinite(f))
		return special(dst, f);
	if (f == 0)
		return java_layout(dst, signbit(f) != 0, "0", 1, 0);
	if (fabsf(f) < FLT_MIN) {
		for (int p = 2;; p++) {
			snprintf(buf, sizeof(buf), "%.*e", p - 1, (double)f);
			if (p >= 9 || strtof(buf, NULL) == f)
				break;
		}
	} else {
		for (int p = 6; p <= 9; p++) {
			snprintf(buf, sizeof(buf), "%.*e", p - 1, (double)f);
			if (p == 9 || strtof(buf, NULL) == f)
				break;
		}
	}
	size_t nd = split_sci(buf, dig, &e);
	return java_layout(dst, f < 0, dig, nd, e);
}

void ak_json_put_double(struct ak_buf *b, double d)
{
	b->len += ak_format_double((char *)b->data + b->len, d);
}

void ak_json_put_float(struct ak_buf *b, float f)
{
	b->len += ak_format_float((char *)b->data + b->len, f);
}

int ak_json_reformat(const char *text, size_t len, int indent, struct ak_buf *out,
		     struct ak_error *err)
{
	unsigned depth = 0;
	int fresh = 0; /* just after '{' or '[' */
	int rc;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if ((rc = ak_buf_reserve(out, 8 + (size_t)indent * (depth + 1), err)) != AK_OK)
			return rc;
		if (fresh && c != '}' && c != ']' && indent) {
			out->data[out->len++] = '\n';
			memset(out->data + out->len, ' ', (size_t)indent * depth);
			out->len += (size_t)indent * depth;
		}
		fresh = 0;
		switch (c) {
		case '{':
		case '[':
			out->data[out->len++] = (unsigned char)c;
			depth++;
			fresh = 1;
			break;
		case '}':
		case ']':
			if (depth)
				depth--;
			if (indent && out->len && out->data[out->len - 1] != '{' &&
			    out->data[out->len - 1] != '[') {
				out->data[out->len++] = '\n';
				memset(out->data + out->len, ' ', (size_t)indent * depth);
				out->len += (size_t)indent * depth;
			} else if (indent) {
				out->data[out->len++] = ' ';
			}
			out->data[out->len++] = (unsigned char)c;
			break;
		case ',':
			out->data[out->len++] = ',';
			if (indent) {
				out->data[out->len++] = '\n';
				memset(out->data + out->len, ' ', (size_t)indent * depth);
				out->len += (size_t)indent * depth;
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
	return AK_OK;
}
