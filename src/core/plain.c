/* SPDX-License-Identifier: Apache-2.0 */
#include "plain.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The proleptic Gregorian date of a day count from 1970-01-01 (after the well-known
 * era/day-of-era decomposition: eras of 400 years, 146097 days). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void put(struct ak_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct ak_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf((char *)b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static void put_date(struct ak_buf *b, int64_t days)
{
	int64_t y;
	unsigned m, d;

	civil(days, &y, &m, &d);
	if (y >= 0 && y <= 9999)
		put(b, "%04" PRId64 "-%02u-%02u", y, m, d);
	else
		put(b, "%c%04" PRIu64 "-%02u-%02u", y < 0 ? '-' : '+',
		    y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y, m, d);
}

void ak_plain_date(struct ak_buf *b, int64_t days)
{
	put(b, "\"");
	put_date(b, days);
	put(b, "\"");
}

static int64_t pow10i(int digits)
{
	int64_t p = 1;

	while (digits-- > 0)
		p *= 10;
	return p;
}

int ak_plain_time(struct ak_buf *b, int64_t v, int digits)
{
	int64_t unit = pow10i(digits), s;

	if (v < 0 || v >= 86400 * unit)
		return -1;
	s = v / unit;
	put(b, "\"%02d:%02d:%02d.%0*" PRId64 "\"", (int)(s / 3600), (int)(s / 60 % 60),
	    (int)(s % 60), digits, v % unit);
	return 0;
}

void ak_plain_timestamp(struct ak_buf *b, int64_t v, int digits, int utc)
{
	int64_t unit = pow10i(digits);
	int64_t frac = v % unit, secs = v / unit;
	int64_t days, rem;

	if (frac < 0) {
		frac += unit;
		secs--;
	}
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	put(b, "\"");
	put_date(b, days);
	put(b, "T%02d:%02d:%02d.%0*" PRId64 "%s\"", (int)(rem / 3600), (int)(rem / 60 % 60),
	    (int)(rem % 60), digits, frac, utc ? "Z" : "");
}

int ak_plain_decimal(struct ak_buf *b, const unsigned char *p, size_t n, int scale)
{
	unsigned char mag[AK_PLAIN_DECIMAL_BYTES];
	char digits[AK_PLAIN_DECIMAL_BYTES * 3 + 2];
	size_t nd = 0, len = n;
	int neg = n && (p[0] & 0x80);

	if (n > AK_PLAIN_DECIMAL_BYTES || scale < 0 || scale > 1000)
		return -1;
	/* magnitude of the two's-complement value */
	memcpy(mag, p, n);
	if (neg) {
		int carry = 1;

		for (size_t i = n; i-- > 0;) {
			unsigned v = (unsigned)(unsigned char)~mag[i] + (unsigned)carry;

			mag[i] = (unsigned char)v;
			carry = v >> 8;
		}
	}
	/* repeated division by 10 gives the digits, least significant first */
	size_t start = 0;
	while (start < len && mag[start] == 0)
		start++;
	while (start < len) {
		unsigned rem = 0;

		for (size_t i = start; i < len; i++) {
			unsigned cur = rem << 8 | mag[i];

			mag[i] = (unsigned char)(cur / 10);
			rem = cur % 10;
		}
		digits[nd++] = (char)('0' + rem);
		while (start < len && mag[start] == 0)
			start++;
	}
	if (nd == 0)
		digits[nd++] = '0';
	/* lay out with the decimal point @scale digits from the right */
	unsigned char *o = b->data + b->len;

	*o++ = '"';
	if (neg)
		*o++ = '-';
	if ((size_t)scale >= nd) {
		*o++ = '0';
		if (scale > 0) {
			*o++ = '.';
			for (size_t i = 0; i < (size_t)scale - nd; i++)
				*o++ = '0';
			for (size_t i = nd; i-- > 0;)
				*o++ = (unsigned char)digits[i];
		}
	} else {
		for (size_t i = nd; i-- > 0;) {
			*o++ = (unsigned char)digits[i];
			if (i == (size_t)scale && scale > 0)
				*o++ = '.';
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	return 0;
}

void ak_plain_uuid(struct ak_buf *b, const unsigned char *p)
{
	put(b, "\"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\"", p[0],
	    p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14],
	    p[15]);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void ak_plain_duration(struct ak_buf *b, const unsigned char *p)
{
	put(b, "{\"months\":%" PRIu32 ",\"days\":%" PRIu32 ",\"milliseconds\":%" PRIu32 "}",
	    le32(p), le32(p + 4), le32(p + 8));
}

void ak_plain_base64(struct ak_buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char *o = b->data + b->len;
	size_t i = 0;

	*o++ = '"';
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		*o++ = (unsigned char)tab[v >> 18];
		*o++ = (unsigned char)tab[v >> 12 & 63];
		*o++ = (unsigned char)tab[v >> 6 & 63];
		*o++ = (unsigned char)tab[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		*o++ = (unsigned char)tab[v >> 18];
		*o++ = (unsigned char)tab[v >> 12 & 63];
		*o++ = '=';
		*o++ = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		*o++ = (unsigned char)tab[v >> 18];
		*o++ = (unsigned char)tab[v >> 12 & 63];
		*o++ = (unsigned char)tab[v >> 6 & 63];
		*o++ = '=';
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
}

void ak_plain_hex(struct ak_buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char *o = b->data + b->len;

	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		*o++ = (unsigned char)hex[p[i] >> 4];
		*o++ = (unsigned char)hex[p[i] & 15];
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
}
