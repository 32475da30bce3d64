/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text pieces (json_out.h): doubles and floats in Java's Double.toString spelling and in
 * the shortest form that reads back exactly, strings with escapes and UTF-8 repair, Avro bytes
 * as code points U+0000..U+00FF. Output buffers are sized exactly as the header promises, so
 * ASan catches a function that writes past what it asked the caller to reserve.
 */
#include "ak.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static uint64_t lcg_state = 0x853c49e6748fea9bULL;

static uint64_t lcg64(void)
{
	uint64_t hi, lo;

	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	hi = lcg_state >> 32;
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	lo = lcg_state >> 32;
	return hi << 32 | lo;
}

/* ---- numbers ---- */

/* Exactly AK_JSON_NUMBER_MAX bytes on the heap, so ASan sees any overrun. */
static char *numbuf;

static char *fmt_double(double d, size_t *len)
{
	*len = ak_format_double(numbuf, d);
	return numbuf;
}

static char *fmt_float(float f, size_t *len)
{
	*len = ak_format_float(numbuf, f);
	return numbuf;
}

#define SUBNORMAL_TODO "core bug: subnormals are printed with 15 (double) or 6 (float) " \
	"digits, not the shortest form"

static void test_double_strings(void)
{
	static const struct {
		double d;
		const char *want;
		int todo;
	} cases[] = {
		{ 0.0, "0.0", 0 },
		{ -0.0, "-0.0", 0 },
		{ 1.0, "1.0", 0 },
		{ -1.0, "-1.0", 0 },
		{ 0.1, "0.1", 0 },
		{ 0.3, "0.3", 0 },
		{ -2.5, "-2.5", 0 },
		{ 100.0, "100.0", 0 },
		{ 123456.789, "123456.789", 0 },
		{ 1234567.125, "1234567.125", 0 },
		{ 9999999.0, "9999999.0", 0 },
		{ 1e7, "1.0E7", 0 },
		{ 12345678.0, "1.2345678E7", 0 },
		{ 0.001, "0.001", 0 },
		{ 0.00123, "0.00123", 0 },
		{ 0.00099, "9.9E-4", 0 },
		{ 0.0001, "1.0E-4", 0 },
		{ 1e-7, "1.0E-7", 0 },
		{ 2.0 / 3.0, "0.6666666666666666", 0 },
		{ 9007199254740992.0, "9.007199254740992E15", 0 },
		{ 1e16, "1.0E16", 0 },
		{ 9223372036854775808.0, "9.223372036854776E18", 0 },
		{ 1e22, "1.0E22", 0 },
		{ 1e23, "1.0E23", 0 },
		{ 1.5e300, "1.5E300", 0 },
		{ -1.5e-300, "-1.5E-300", 0 },
		{ DBL_MAX, "1.7976931348623157E308", 0 },
		{ -DBL_MAX, "-1.7976931348623157E308", 0 },
		{ DBL_MIN, "2.2250738585072014E-308", 0 },
		{ 4.9E-324, "4.9E-324", 1 },
		{ -4.9E-324, "-4.9E-324", 1 },
		{ 1e-310, "1.0E-310", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = 0;
		char *s = fmt_double(cases[i].d, &len);

		if (!s)
			continue;
		if (cases[i].todo)
			CHECK(strcmp(s, cases[i].want) == 0 && len == strlen(cases[i].want), "double %.17g -> %s (got %s)", cases[i].d,
				   cases[i].want, s);
		else
			CHECK(strcmp(s, cases[i].want) == 0 && len == strlen(cases[i].want),
			      "double %.17g -> %s (got %s, length %zu)", cases[i].d, cases[i].want,
			      s, len);
	}

	static const struct {
		double d;
		const char *want;
	} special[] = {
		{ NAN, "\"NaN\"" },
		{ -NAN, "\"NaN\"" },
		{ INFINITY, "\"Infinity\"" },
		{ -INFINITY, "\"-Infinity\"" },
	};
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		size_t len = 0;
		char *s = fmt_double(special[i].d, &len);

		if (s)
			CHECK(strcmp(s, special[i].want) == 0 && len == strlen(special[i].want),
			      "double %g -> %s (got %s)", special[i].d, special[i].want, s);
	}
}

static void test_float_strings(void)
{
	static const struct {
		float f;
		const char *want;
		int todo;
	} cases[] = {
		{ 0.0f, "0.0", 0 },
		{ -0.0f, "-0.0", 0 },
		{ 1.0f, "1.0", 0 },
		{ 0.1f, "0.1", 0 },
		{ -0.1f, "-0.1", 0 },
		{ 100.5f, "100.5", 0 },
		{ 3.14159f, "3.14159", 0 },
		{ 1.0f / 3.0f, "0.33333334", 0 },
		{ 1e7f, "1.0E7", 0 },
		{ 16777216.0f, "1.6777216E7", 0 },
		{ 1e-5f, "1.0E-5", 0 },
		{ FLT_MAX, "3.4028235E38", 0 },
		{ -FLT_MAX, "-3.4028235E38", 0 },
		{ FLT_MIN, "1.1754944E-38", 0 },
		{ 1.4E-45f, "1.4E-45", 1 },
		{ 1e-40f, "1.0E-40", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = 0;
		char *s = fmt_float(cases[i].f, &len);

		if (!s)
			continue;
		if (cases[i].todo)
			CHECK(strcmp(s, cases[i].want) == 0 && len == strlen(cases[i].want), "float %.9g -> %s (got %s)", (double)cases[i].f,
				   cases[i].want, s);
		else
			CHECK(strcmp(s, cases[i].want) == 0 && len == strlen(cases[i].want),
			      "float %.9g -> %s (got %s, length %zu)", (double)cases[i].f,
			      cases[i].want, s, len);
	}

	static const struct {
		float f;
		const char *want;
	} special[] = {
		{ NAN, "\"NaN\"" },
		{ INFINITY, "\"Infinity\"" },
		{ -INFINITY, "\"-Infinity\"" },
	};
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		size_t len = 0;
		char *s = fmt_float(special[i].f, &len);

		if (s)
			CHECK(strcmp(s, special[i].want) == 0 && len == strlen(special[i].want),
			      "float %g -> %s (got %s)", (double)special[i].f, special[i].want, s);
	}
}

/* Significant digits in a formatted number ("1.0E7" has 1, "0.00123" has 3). */
static int sig_digits(const char *s)
{
	char dig[40];
	int n = 0;

	for (; *s && *s != 'E'; s++) {
		if (*s >= '0' && *s <= '9' && n < (int)sizeof(dig))
			dig[n++] = *s;
	}
	int start = 0;
	while (start < n && dig[start] == '0')
		start++;
	while (n > start && dig[n - 1] == '0')
		n--;
	return n - start;
}

/* The fewest significant digits (at least 2, as Java prints "d.d") that read back to @d. */
static int shortest_double(double d)
{
	char buf[64];

	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
		if (strtod(buf, NULL) == d)
			return p;
	}
	return 17;
}

static int shortest_float(float f)
{
	char buf[64];

	for (int p = 1; p <= 9; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, (double)f);
		if (strtof(buf, NULL) == f)
			return p;
	}
	return 9;
}

/* Java's layout: plain decimal for 1e-3 <= |x| < 1e7, else d.dddE[-]n. */
static int java_shaped(const char *s, double a)
{
	const char *e = strchr(s, 'E');
	const char *dot = strchr(s, '.');

	if (!dot || !dot[1] || dot[1] == 'E')
		return 0;
	if (a == 0 || (a >= 1e-3 && a < 1e7))
		return e == NULL;
	if (!e || strchr(e, '+'))
		return 0;
	/* one digit before the point */
	return dot - s == (s[0] == '-' ? 2 : 1) && s[s[0] == '-'] != '0';
}

#define ROUNDS 100000

static void test_double_round_trip(void)
{
	size_t tested = 0, bad = 0, long_out = 0, not_short = 0, not_short_sub = 0, shape = 0;
	size_t maxlen = 0;
	char first[96] = "", first_ns[96] = "", first_sub[96] = "", first_shape[96] = "";

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t bits = lcg64();
		double d, back;
		size_t len = 0;
		char *s;

		/* also cover small exponents (subnormals) and integers often */
		if (i % 10 == 1)
			bits &= 0x800fffffffffffffULL;
		else if (i % 10 == 2)
			bits = 0;
		memcpy(&d, &bits, sizeof(d));
		if (i % 10 == 2)
			d = (double)(int64_t)(lcg64() >> (lcg64() % 64));
		if (!isfinite(d))
			continue;
		s = fmt_double(d, &len);
		if (!s)
			return;
		tested++;
		if (len > maxlen)
			maxlen = len;
		if (len + 1 > AK_JSON_NUMBER_MAX || strlen(s) != len)
			long_out++;
		back = strtod(s, NULL);
		if ((memcmp(&back, &d, sizeof(d)) != 0) && bad++ == 0)
			snprintf(first, sizeof(first), "%a -> %s -> %a", d, s, back);
		if (!java_shaped(s, fabs(d)) && shape++ == 0)
			snprintf(first_shape, sizeof(first_shape), "%a -> %s", d, s);
		if (d != 0) {
			int want = shortest_double(d), got = sig_digits(s);

			if (got > (want < 2 ? 2 : want)) {
				if (fabs(d) < DBL_MIN) {
					if (not_short_sub++ == 0)
						snprintf(first_sub, sizeof(first_sub),
							 "%a -> %s (%d digits)", d, s, want);
				} else if (not_short++ == 0) {
					snprintf(first_ns, sizeof(first_ns), "%a -> %s (%d digits)",
						 d, s, want);
				}
			}
		}
	}
	CHECK(bad == 0, "strtod(ak_format_double(d)) == d for %zu finite bit patterns (%zu bad; "
	      "first %s)", tested, bad, first);
	CHECK(long_out == 0, "output fits in AK_JSON_NUMBER_MAX with its terminator (longest %zu)",
	      maxlen);
	CHECK(shape == 0, "output is shaped like Java's Double.toString (%zu bad; first %s)",
	      shape, first_shape);
	CHECK(not_short == 0, "normal doubles use the fewest digits that read back (%zu longer; "
	      "first %s)", not_short, first_ns);
	CHECK(not_short_sub == 0, "subnormal doubles use the fewest digits that read back (%zu longer; first %s)",
		   not_short_sub, first_sub);
}

static void test_float_round_trip(void)
{
	size_t tested = 0, bad = 0, long_out = 0, not_short = 0, not_short_sub = 0, shape = 0;
	size_t maxlen = 0;
	char first[96] = "", first_ns[96] = "", first_sub[96] = "", first_shape[96] = "";

	for (int i = 0; i < ROUNDS; i++) {
		uint32_t bits = (uint32_t)(lcg64() >> 32);
		float f, back;
		size_t len = 0;
		char *s;

		if (i % 10 == 1)
			bits &= 0x807fffffu;
		memcpy(&f, &bits, sizeof(f));
		if (!isfinite(f))
			continue;
		s = fmt_float(f, &len);
		if (!s)
			return;
		tested++;
		if (len > maxlen)
			maxlen = len;
		if (len + 1 > AK_JSON_NUMBER_MAX || strlen(s) != len)
			long_out++;
		back = strtof(s, NULL);
		if ((memcmp(&back, &f, sizeof(f)) != 0) && bad++ == 0)
			snprintf(first, sizeof(first), "%a -> %s -> %a", (double)f, s,
				 (double)back);
		if (!java_shaped(s, fabs((double)f)) && shape++ == 0)
			snprintf(first_shape, sizeof(first_shape), "%a -> %s", (double)f, s);
		if (f != 0) {
			int want = shortest_float(f), got = sig_digits(s);

			if (got > (want < 2 ? 2 : want)) {
				if (fabsf(f) < FLT_MIN) {
					if (not_short_sub++ == 0)
						snprintf(first_sub, sizeof(first_sub),
							 "%a -> %s (%d digits)", (double)f, s,
							 want);
				} else if (not_short++ == 0) {
					snprintf(first_ns, sizeof(first_ns), "%a -> %s (%d digits)",
						 (double)f, s, want);
				}
			}
		}
	}
	CHECK(bad == 0, "strtof(ak_format_float(f)) == f for %zu finite bit patterns (%zu bad; "
	      "first %s)", tested, bad, first);
	CHECK(long_out == 0, "float output fits in AK_JSON_NUMBER_MAX (longest %zu)", maxlen);
	CHECK(shape == 0, "float output is shaped like Java's Float.toString (%zu bad; first %s)",
	      shape, first_shape);
	CHECK(not_short == 0, "normal floats use the fewest digits that read back (%zu longer; "
	      "first %s)", not_short, first_ns);
	CHECK(not_short_sub == 0, "subnormal floats use the fewest digits that read back (%zu longer; first %s)",
		   not_short_sub, first_sub);
}

/* The ak_json_put_* number functions append the same text after what is there. */
static void test_put_numbers(void)
{
	struct ak_buf b = AK_BUF_INIT;
	static const struct {
		int64_t v;
		const char *want;
	} longs[] = {
		{ 0, "0" }, { -1, "-1" }, { 42, "42" }, { INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" }, { INT32_MIN, "-2147483648" },
	};

	for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
		b.len = 0;
		if (ak_buf_append(&b, "[", 1, NULL) != AK_OK ||
		    ak_buf_reserve(&b, AK_JSON_NUMBER_MAX, NULL) != AK_OK)
			break;
		ak_json_put_long(&b, longs[i].v);
		CHECK(b.len == 1 + strlen(longs[i].want) &&
		      memcmp(b.data + 1, longs[i].want, b.len - 1) == 0,
		      "ak_json_put_long(%" PRId64 ") appends %s", longs[i].v, longs[i].want);
	}
	b.len = 0;
	if (ak_buf_append(&b, "x", 1, NULL) == AK_OK &&
	    ak_buf_reserve(&b, 2 * AK_JSON_NUMBER_MAX, NULL) == AK_OK) {
		ak_json_put_double(&b, 1e7);
		ak_json_put_float(&b, 0.1f);
		CHECK(b.len == 9 && memcmp(b.data, "x1.0E70.1", 9) == 0,
		      "ak_json_put_double/float append \"1.0E7\" and \"0.1\" (got %.*s)",
		      (int)b.len, (const char *)b.data);
	}
	ak_buf_release(&b);
}

/* ---- strings and bytes ---- */

/* Run ak_json_put_string into a buffer of exactly AK_JSON_STRING_MAX(len) bytes. */
static int put_string_is(const char *what, const void *in, size_t len, const char *want,
			 size_t want_len, size_t want_bad)
{
	struct ak_buf b;
	size_t bad;
	int ok;

	b.cap = AK_JSON_STRING_MAX(len);
	b.data = malloc(b.cap);
	b.len = 0;
	if (!b.data)
		return CHECK(0, "allocate");
	bad = ak_json_put_string(&b, in, len);
	ok = b.len == want_len && memcmp(b.data, want, want_len) == 0 && bad == want_bad;
	CHECK(ok, "put_string %s -> %.*s, %zu replaced (got %.*s, %zu replaced)", what,
	      (int)want_len, want, want_bad, (int)b.len, (const char *)b.data, bad);
	free(b.data);
	return ok;
}

#define PUT_STRING(what, in, want, nbad) \
	put_string_is(what, in, sizeof(in) - 1, want, sizeof(want) - 1, nbad)

static void test_put_string(void)
{
	PUT_STRING("empty", "", "\"\"", 0);
	PUT_STRING("plain ASCII", "hello, world / ok", "\"hello, world / ok\"", 0);
	PUT_STRING("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"", 0);
	PUT_STRING("short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", 0);
	PUT_STRING("NUL", "a\0b", "\"a\\u0000b\"", 0);
	PUT_STRING("other controls", "\x01\x0b\x1f\x1b", "\"\\u0001\\u000B\\u001F\\u001B\"", 0);
	PUT_STRING("DEL passes through", "a\x7f" "b", "\"a\x7f" "b\"", 0);
	PUT_STRING("2-byte UTF-8", "\xc3\xa9\xc2\x80\xdf\xbf", "\"\xc3\xa9\xc2\x80\xdf\xbf\"", 0);
	PUT_STRING("3-byte UTF-8", "\xe2\x82\xac\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf",
		   "\"\xe2\x82\xac\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"", 0);
	PUT_STRING("4-byte UTF-8", "\xf0\x9d\x84\x9e\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
		   "\"\xf0\x9d\x84\x9e\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"", 0);
	PUT_STRING("lone continuation byte", "a\x80z", "\"a\xef\xbf\xbdz\"", 1);
	PUT_STRING("overlong C0 80", "\xc0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\"", 2);
	PUT_STRING("overlong C1 BF", "\xc1\xbf", "\"\xef\xbf\xbd\xef\xbf\xbd\"", 2);
	PUT_STRING("overlong E0 80 80", "\xe0\x80\x80",
		   "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 3);
	PUT_STRING("overlong F0 80 80 80", "\xf0\x80\x80\x80",
		   "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 4);
	PUT_STRING("surrogate ED A0 80", "\xed\xa0\x80",
		   "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 3);
	PUT_STRING("above U+10FFFF F4 90 80 80", "\xf4\x90\x80\x80",
		   "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 4);
	PUT_STRING("F5", "\xf5", "\"\xef\xbf\xbd\"", 1);
	PUT_STRING("FE FF", "\xfe\xff", "\"\xef\xbf\xbd\xef\xbf\xbd\"", 2);
	PUT_STRING("truncated at the end", "ok\xe2\x82", "\"ok\xef\xbf\xbd\xef\xbf\xbd\"", 2);
	PUT_STRING("truncated before ASCII", "\xe2\x82" "A", "\"\xef\xbf\xbd\xef\xbf\xbd" "A\"", 2);
	PUT_STRING("truncated 4-byte", "\xf0\x9d\x84", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
		   3);
	PUT_STRING("bad then escape", "\xff\n", "\"\xef\xbf\xbd\\n\"", 1);

	/* the worst case for the reserve: every byte a \u00XX escape, filling it exactly */
	{
		unsigned char ctl[64];
		char want[64 * 6 + 3];
		size_t k = 0;

		want[k++] = '"';
		for (size_t i = 0; i < sizeof(ctl); i++) {
			ctl[i] = i % 2 ? 0x01 : 0x1f;
			k += (size_t)snprintf(want + k, sizeof(want) - k, "\\u%04X", ctl[i]);
		}
		want[k++] = '"';
		CHECK(k == AK_JSON_STRING_MAX(sizeof(ctl)), "worst case needs the whole reserve");
		put_string_is("64 control characters", ctl, sizeof(ctl), want, k, 0);
	}

	/* a long run of invalid bytes, and random bytes: always within the reserve, and every
	 * replaced byte counted */
	{
		unsigned char junk[4096];
		struct ak_buf b;
		size_t bad, fffd = 0;

		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (unsigned char)(lcg64() >> 56);
		b.cap = AK_JSON_STRING_MAX(sizeof(junk));
		b.data = malloc(b.cap);
		b.len = 0;
		if (b.data) {
			bad = ak_json_put_string(&b, junk, sizeof(junk));
			for (size_t i = 0; i + 2 < b.len; i++)
				if (b.data[i] == 0xef && b.data[i + 1] == 0xbf &&
				    b.data[i + 2] == 0xbd)
					fffd++;
			CHECK(bad > 0 && bad == fffd,
			      "random bytes: %zu replaced, %zu U+FFFD written", bad, fffd);
			free(b.data);
		}
	}
}

static int has(const unsigned char *hay, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

static void test_put_bytes(void)
{
	unsigned char all[256];
	char want[256 * 6 + 3];
	struct ak_buf b;
	size_t k = 0;

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	want[k++] = '"';
	for (int c = 0; c < 256; c++) {
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		}
		if (e)
			k += (size_t)snprintf(want + k, sizeof(want) - k, "%s", e);
		else if (c >= 0x20 && c < 0x7f)
			want[k++] = (char)c;
		else
			k += (size_t)snprintf(want + k, sizeof(want) - k, "\\u%04X", c);
	}
	want[k++] = '"';

	b.cap = AK_JSON_STRING_MAX(sizeof(all));
	b.data = malloc(b.cap);
	b.len = 0;
	if (!b.data)
		return;
	ak_json_put_bytes(&b, all, sizeof(all));
	CHECK(b.len == k && memcmp(b.data, want, k) == 0,
	      "put_bytes of 00..FF: printable ASCII kept, others escaped (%zu bytes, want %zu)",
	      b.len, k);
	{
		/* spot checks that read well in a failure message */
		size_t n = b.len;

		CHECK(has(b.data, n, "\\u0000", 6) && has(b.data, n, "\\u007F", 6) &&
		      has(b.data, n, "\\u0080", 6) && has(b.data, n, "\\u00FF", 6) &&
		      has(b.data, n, "\\u001F", 6),
		      "put_bytes writes \\u0000 \\u001F \\u007F \\u0080 \\u00FF (uppercase hex)");
	}
	b.len = 0;
	ak_json_put_bytes(&b, (const unsigned char *)"", 0);
	CHECK(b.len == 2 && memcmp(b.data, "\"\"", 2) == 0, "put_bytes of nothing is \"\"");
	b.len = 0;
	ak_json_put_bytes(&b, (const unsigned char *)"\xc3\xa9", 2);
	CHECK(b.len == 14 && memcmp(b.data, "\"\\u00C3\\u00A9\"", 14) == 0,
	      "put_bytes does not treat bytes as UTF-8 (C3 A9 -> \\u00C3\\u00A9, got %.*s)",
	      (int)b.len, (const char *)b.data);
	free(b.data);
}

int main(void)
{
	numbuf = malloc(AK_JSON_NUMBER_MAX);
	if (!numbuf)
		return 99;
	test_double_strings();
	test_float_strings();
	test_double_round_trip();
	test_float_round_trip();
	test_put_numbers();
	test_put_string();
	test_put_bytes();
	free(numbuf);
	return tap_done();
}
