/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema text through jansson, and back (schema_text.h). Two things valid JSON may hold that
 * jansson will not take are rewritten in one pass before it parses: integer literals beyond
 * int64 (a float or double default may be one) become reals, and object keys holding U+0000
 * are escaped (see KEY_ESC). Writing the JSON out restores the keys.
 */
#include "schema_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "schema.h"

/* Does the digit string @d (@n digits, no sign) exceed what a 64-bit integer holds? */
static int beyond_int64(const char *d, size_t n, int neg)
{
	const char *lim = neg ? "9223372036854775808" : "9223372036854775807";

	while (n > 1 && *d == '0')
		d++, n--;
	return n > 19 || (n == 19 && memcmp(d, lim, 19) > 0);
}

/*
 * Object keys. jansson refuses U+0000 in an object key ("NUL byte in object key not
 * supported", even with JSON_ALLOW_NUL), yet a map default may hold one ({"a\u0000b": 1}), and
 * so may any custom attribute; other implementations write such schemas. So keys are stored
 * escaped, with U+FFFF (a noncharacter, valid in JSON and UTF-8) as the escape: U+0000 as
 * U+FFFF '0' and U+FFFF itself as U+FFFF U+FFFF. The mapping is injective and leaves every
 * key without U+0000 or U+FFFF as it is, so names and attributes are looked up as usual.
 * ak_schema_key_append() gives a key's real bytes back; ak_schema_json() writes the keys
 * as they were.
 */
#define KEY_ESC "\xEF\xBF\xBF"
#define KEY_ESC_LEN 3

static int is_key_esc(const char *p, const char *end)
{
	return end - p >= KEY_ESC_LEN && memcmp(p, KEY_ESC, KEY_ESC_LEN) == 0;
}

/* The value of the four hex digits at @p, or -1. */
static long hex4(const char *p)
{
	long v = 0;

	for (int k = 0; k < 4; k++) {
		char ch = p[k];

		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v |= ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v |= ch - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * The JSON string whose opening quote is at @text[@i]: returns the index just past its closing
 * quote (@len when there is none). *@special is set when the string is terminated and holds
 * \u0000, or U+FFFF raw or as \uFFFF: a key that must be escaped, or restored.
 */
static size_t scan_string(const char *text, size_t len, size_t i, int *special)
{
	int sp = 0;

	for (i++; i < len && text[i] != '"'; i++) {
		if (text[i] == '\\') {
			if (len - i > 5 && text[i + 1] == 'u') {
				long v = hex4(text + i + 2);

				sp |= v == 0 || v == 0xFFFF;
			}
			i++;
		} else if (text[i] == KEY_ESC[0] && is_key_esc(text + i, text + len)) {
			sp = 1;
		}
	}
	*special = sp && i < len;
	return i < len ? i + 1 : len;
}

/* Is the string that ends before @text[@i] an object key (followed by a colon)? */
static int before_colon(const char *text, size_t len, size_t i)
{
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < len && text[i] == ':';
}

/* Append the JSON string @s (@n bytes, quotes included) to @out with its content escaped as
 * an object key: \u0000 becomes U+FFFF '0', U+FFFF (raw or \uFFFF) U+FFFF U+FFFF. Other
 * escapes are copied whole, so "\\u0000" (a backslash, then u0000) stays as it is. */
static int escape_key(struct ak_buf *out, const char *s, size_t n)
{
	const char *p = s + 1, *end = s + n - 1;
	int rc = ak_buf_append(out, "\"", 1, NULL);

	while (rc == AK_OK && p < end) {
		if (*p == '\\') {
			long v = end - p >= 6 && p[1] == 'u' ? hex4(p + 2) : -1;

			if (v == 0)
				rc = ak_buf_append(out, KEY_ESC "0", KEY_ESC_LEN + 1, NULL);
			else if (v == 0xFFFF)
				rc = ak_buf_append(out, KEY_ESC KEY_ESC, 2 * KEY_ESC_LEN, NULL);
			else
				rc = ak_buf_append(out, p, v < 0 ? 2 : 6, NULL);
			p += v < 0 ? 2 : 6;
		} else if (is_key_esc(p, end)) {
			rc = ak_buf_append(out, KEY_ESC KEY_ESC, 2 * KEY_ESC_LEN, NULL);
			p += KEY_ESC_LEN;
		} else {
			rc = ak_buf_append(out, p++, 1, NULL);
		}
	}
	return rc == AK_OK ? ak_buf_append(out, "\"", 1, NULL) : rc;
}

/* The reverse of escape_key() on the JSON string @s (@n bytes, quotes included) as
 * json_dumps() writes it (U+FFFF raw): U+FFFF '0' becomes \u0000, U+FFFF U+FFFF U+FFFF. */
static int restore_key(struct ak_buf *out, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int rc = AK_OK;

	while (rc == AK_OK && p < end) {
		if (*p == '\\') { /* \uXXXX or a two-character escape: no U+FFFF inside */
			rc = ak_buf_append(out, p, 2, NULL);
			p += 2;
		} else if (is_key_esc(p, end) && end - p > KEY_ESC_LEN && p[KEY_ESC_LEN] == '0') {
			rc = ak_buf_append(out, "\\u0000", 6, NULL);
			p += KEY_ESC_LEN + 1;
		} else if (is_key_esc(p, end) && is_key_esc(p + KEY_ESC_LEN, end)) {
			rc = ak_buf_append(out, KEY_ESC, KEY_ESC_LEN, NULL);
			p += 2 * KEY_ESC_LEN;
		} else {
			rc = ak_buf_append(out, p++, 1, NULL);
		}
	}
	return rc;
}

int ak_schema_key_append(struct ak_buf *out, const char *key, struct ak_error *err)
{
	const char *p = key, *end = key + strlen(key), *esc;
	int rc = AK_OK;

	while (rc == AK_OK && (esc = strstr(p, KEY_ESC)) != NULL) {
		if ((rc = ak_buf_append(out, p, (size_t)(esc - p), err)) != AK_OK)
			break;
		p = esc + KEY_ESC_LEN;
		if (*p == '0') { /* U+0000 */
			rc = ak_buf_append(out, "", 1, err);
			p++;
		} else { /* U+FFFF, doubled (or, never made by the parser, alone) */
			rc = ak_buf_append(out, KEY_ESC, KEY_ESC_LEN, err);
			if (is_key_esc(p, end))
				p += KEY_ESC_LEN;
		}
	}
	return rc == AK_OK ? ak_buf_append(out, p, (size_t)(end - p), err) : rc;
}

/*
 * The end of a rewrite of @text (@len bytes) into @b, which holds it up to @copied: with
 * @found, the rest appended and NUL-terminated, the new text in *@out (its length in
 * *@newlen); without, *@out stays NULL and @b is released. @rc: the rewrite's status so far.
 */
static int rewritten(struct ak_buf *b, const char *text, size_t len, size_t copied, int rc,
		     int found, char **out, size_t *newlen)
{
	if (rc == AK_OK && found &&
	    (rc = ak_buf_append(b, text + copied, len - copied, NULL)) == AK_OK)
		rc = ak_buf_append(b, "", 1, NULL);
	if (rc != AK_OK || !found) {
		ak_buf_release(b);
		return rc;
	}
	*newlen = b->len - 1;
	*out = (char *)b->data;
	return AK_OK;
}

/*
 * Rewrite JSON @text for jansson, or back. Forward (@restore 0): escape each object key that
 * holds U+0000 or U+FFFF (see KEY_ESC), and put ".0" after each integer literal beyond int64
 * outside strings, which jansson refuses ("too big integer") while JSON allows it and a float
 * or double default may be one, so that it is read as a real number. Back (@restore 1, on
 * json_dumps() output): restore the escaped keys. Sets *@out to the new text (malloc'd,
 * NUL-terminated, length in *@newlen), or to NULL when nothing changes: then it allocates
 * nothing, the common case. AK_OK or AK_E_NOMEM.
 */
static int rewrite_json(const char *text, size_t len, int restore, char **out, size_t *newlen)
{
	struct ak_buf b = AK_BUF_INIT;
	size_t i = 0, copied = 0;
	int rc = AK_OK, found = 0;

	*out = NULL;
	while (i < len && rc == AK_OK) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '"') {
			int special;
			size_t end = scan_string(text, len, i, &special);

			if (special && before_colon(text, len, end)) {
				rc = ak_buf_append(&b, text + copied, i - copied, NULL);
				if (rc == AK_OK)
					rc = restore ? restore_key(&b, text + i, end - i)
						     : escape_key(&b, text + i, end - i);
				copied = end;
				found = 1;
			}
			i = end;
			continue;
		}
		if (restore || (ch != '-' && (ch < '0' || ch > '9'))) {
			i++;
			continue;
		}
		size_t d0;
		int neg = ch == '-';

		i += (size_t)neg;
		d0 = i;
		while (i < len && text[i] >= '0' && text[i] <= '9')
			i++;
		if (i < len && (text[i] == '.' || text[i] == 'e' || text[i] == 'E')) {
			while (i < len && strchr("0123456789.eE+-", text[i]))
				i++;
			continue; /* already a real */
		}
		if (i == d0 || !beyond_int64(text + d0, i - d0, neg))
			continue;
		if ((rc = ak_buf_append(&b, text + copied, i - copied, NULL)) == AK_OK)
			rc = ak_buf_append(&b, ".0", 2, NULL);
		copied = i;
		found = 1;
	}
	return rewritten(&b, text, len, copied, rc, found, out, newlen);
}

char *ak_schema_dump_json(const json_t *j, size_t flags)
{
	char *txt = json_dumps(j, flags), *back;
	size_t n;

	if (!txt || rewrite_json(txt, strlen(txt), 1, &back, &n) != AK_OK) {
		free(txt);
		return NULL;
	}
	if (!back)
		return txt;
	free(txt);
	return back;
}

/*
 * @text with every \u escape of a lone surrogate (U+D800..U+DFFF not in a high-low pair)
 * made \uFFFD, in *@out (malloc'd, length in *@newlen); *@out NULL when there is none. JSON's
 * grammar allows such escapes (RFC 8259 leaves their meaning open) and Python and Java read
 * them, so schemas holding one exist (a doc made with Python's surrogateescape, say); jansson
 * refuses them. AK_OK or AK_E_NOMEM.
 */
static int replace_lone_surrogates(const char *text, size_t len, char **out, size_t *newlen)
{
	struct ak_buf b = AK_BUF_INIT;
	size_t i = 0, copied = 0;
	int rc = AK_OK, found = 0;

	*out = NULL;
	while (i < len && rc == AK_OK) {
		long v, w;

		if (text[i] != '\\' || i + 1 >= len) {
			i++;
			continue;
		}
		if (text[i + 1] != 'u' || len - i < 6 || (v = hex4(text + i + 2)) < 0xD800 ||
		    v > 0xDFFF) {
			i += 2; /* another escape, \\ included: skipped whole */
			continue;
		}
		if (v <= 0xDBFF && len - i >= 12 && text[i + 6] == '\\' && text[i + 7] == 'u' &&
		    (w = hex4(text + i + 8)) >= 0xDC00 && w <= 0xDFFF) {
			i += 12; /* a pair */
			continue;
		}
		rc = ak_buf_append(&b, text + copied, i - copied, NULL);
		if (rc == AK_OK)
			rc = ak_buf_append(&b, "\\uFFFD", 6, NULL);
		i += 6;
		copied = i;
		found = 1;
	}
	return rewritten(&b, text, len, copied, rc, found, out, newlen);
}

json_t *ak_schema_load_json(const char *text, size_t len, struct ak_error *err)
{
	json_error_t jerr;
	size_t wlen = 0, flen = 0;
	char *wide, *fixed = NULL;
	json_t *j;

	if (rewrite_json(text, len, 0, &wide, &wlen) != AK_OK) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	j = json_loadb(wide ? wide : text, wide ? wlen : len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
		       &jerr);
	/* only when jansson refused the text: the common case scans nothing more */
	if (!j && replace_lone_surrogates(wide ? wide : text, wide ? wlen : len, &fixed, &flen) ==
			  AK_OK && fixed) {
		json_error_t again;

		j = json_loadb(fixed, flen, JSON_DECODE_ANY | JSON_ALLOW_NUL, &again);
		if (!j && again.line > 0)
			jerr = again; /* what else is wrong, where the line numbers still hold */
		free(fixed);
	}
	free(wide);
	if (!j) {
		ak_fail(err, AK_E_SCHEMA, "schema is not valid JSON: %s", jerr.text);
		if (err && jerr.line > 0) {
			err->line = (uint64_t)jerr.line;
			err->column = jerr.column > 0 ? (uint64_t)jerr.column : 1;
		}
	}
	return j;
}
