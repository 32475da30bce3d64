/* SPDX-License-Identifier: Apache-2.0 */
#include "plain.h"

#include "schema.h"

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

/* ---- parsing the plain forms back (fromjson --plain) ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	uint64_t yoe = (uint64_t)(y - era * 400);
	uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static int digits_at(const char *s, size_t n, size_t at, size_t k, int64_t *v)
{
	int64_t x = 0;

	if (at + k > n)
		return -1;
	for (size_t i = at; i < at + k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* "YYYY-MM-DD" at s; *used gets the length. */
static int parse_date_at(const char *s, size_t n, int64_t *days, size_t *used)
{
	size_t i = 0, yd;
	int neg = 0;
	int64_t y = 0, m, d;

	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (yd = 0; i + yd < n && s[i + yd] >= '0' && s[i + yd] <= '9' && yd < 12; yd++)
		y = y * 10 + (s[i + yd] - '0');
	if (yd < 4 || (yd > 4 && i == 0))
		return -1;
	i += yd;
	if (i >= n || s[i] != '-' || digits_at(s, n, i + 1, 2, &m) || i + 3 >= n ||
	    s[i + 3] != '-' || digits_at(s, n, i + 4, 2, &d))
		return -1;
	if (neg)
		y = -y;
	static const unsigned char mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	*used = i + 6;
	return 0;
}

int ak_parse_date(const char *s, size_t n, int64_t *days)
{
	size_t used;

	return parse_date_at(s, n, days, &used) == 0 && used == n ? 0 : -1;
}

/* "HH:MM:SS[.f...]" at s, in units of 10^-digits s; *used gets the length. */
static int parse_time_at(const char *s, size_t n, int digits, int64_t *v, size_t *used)
{
	int64_t h, m, sec, frac = 0, unit = pow10i(digits);
	size_t i = 8;
	int fd = 0;

	if (digits_at(s, n, 0, 2, &h) || n < 8 || s[2] != ':' || digits_at(s, n, 3, 2, &m) ||
	    s[5] != ':' || digits_at(s, n, 6, 2, &sec) || h > 23 || m > 59 || sec > 59)
		return -1;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, fd++) {
			if (fd >= digits)
				return -2; /* more precision than the type holds */
			frac = frac * 10 + (s[i] - '0');
		}
		if (fd == 0)
			return -1;
		for (int k = fd; k < digits; k++)
			frac *= 10;
	}
	*v = ((h * 60 + m) * 60 + sec) * unit + frac;
	*used = i;
	return 0;
}

int ak_parse_time(const char *s, size_t n, int digits, int64_t *v)
{
	size_t used;
	int rc = parse_time_at(s, n, digits, v, &used);

	return rc ? rc : used == n ? 0 : -1;
}

int ak_parse_timestamp(const char *s, size_t n, int digits, int utc, int64_t *v)
{
	int64_t days, tod, unit = pow10i(digits), off = 0;
	size_t used, u2;
	int rc;

	if (parse_date_at(s, n, &days, &used) || used >= n || (s[used] != 'T' && s[used] != ' '))
		return -1;
	used++;
	if ((rc = parse_time_at(s + used, n - used, digits, &tod, &u2)) != 0)
		return rc;
	used += u2;
	if (utc) {
		int64_t oh, om;

		if (used < n && s[used] == 'Z' && used + 1 == n) {
			off = 0;
		} else if (used + 6 == n && (s[used] == '+' || s[used] == '-') &&
			   !digits_at(s, n, used + 1, 2, &oh) && s[used + 3] == ':' &&
			   !digits_at(s, n, used + 4, 2, &om) && oh < 24 && om < 60) {
			off = (oh * 60 + om) * 60 * (s[used] == '-' ? -1 : 1);
		} else {
			return -1;
		}
	} else if (used != n) {
		return -1;
	}
	/* (days * 86400 - off) * unit + tod, without overflowing */
	__int128 t = ((__int128)days * 86400 - off) * unit + tod;
	if (t > INT64_MAX || t < INT64_MIN)
		return -3;
	*v = (int64_t)t;
	return 0;
}

int ak_parse_decimal(const char *s, size_t n, int scale, size_t size, struct ak_buf *out,
		     struct ak_error *err)
{
	unsigned char mag[AK_PLAIN_DECIMAL_BYTES + 1];
	size_t i = 0, len = 1, fd = 0;
	int neg = 0, any = 0, rc;

	if (scale < 0 || scale > 1000)
		return -1;
	memset(mag, 0, sizeof(mag));
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	/* unscaled value = all digits, with the fraction padded to @scale digits */
	for (int frac = 0, k = 0; k <= 1; k++) {
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			unsigned carry = (unsigned)(s[i] - '0');

			any = 1;
			if (frac && fd++ >= (size_t)scale)
				return -2; /* more fraction digits than the scale */
			for (size_t b = AK_PLAIN_DECIMAL_BYTES + 1; b-- > AK_PLAIN_DECIMAL_BYTES + 1 - len;) {
				unsigned v = mag[b] * 10u + carry;

				mag[b] = (unsigned char)v;
				carry = v >> 8;
			}
			if (carry) {
				if (len == AK_PLAIN_DECIMAL_BYTES + 1)
					return -3;
				mag[AK_PLAIN_DECIMAL_BYTES + 1 - ++len] = (unsigned char)carry;
			}
		}
		if (k == 0 && i < n && s[i] == '.') {
			i++;
			frac = 1;
		} else {
			break;
		}
	}
	if (!any || i != n)
		return -1;
	{
		int zero = 1;

		for (size_t b = 0; b < sizeof(mag); b++)
			zero &= mag[b] == 0;
		if (zero)
			neg = 0; /* -0.00 is 0 */
	}
	for (; fd < (size_t)scale; fd++) {
		unsigned carry = 0;

		for (size_t b = AK_PLAIN_DECIMAL_BYTES + 1; b-- > AK_PLAIN_DECIMAL_BYTES + 1 - len;) {
			unsigned v = mag[b] * 10u + carry;

			mag[b] = (unsigned char)v;
			carry = v >> 8;
		}
		if (carry) {
			if (len == AK_PLAIN_DECIMAL_BYTES + 1)
				return -3;
			mag[AK_PLAIN_DECIMAL_BYTES + 1 - ++len] = (unsigned char)carry;
		}
	}
	/* two's complement, big-endian; one more byte if the top bit would read as the sign */
	unsigned char *m = mag + AK_PLAIN_DECIMAL_BYTES + 1 - len;
	if (neg) {
		int carry = 1;

		for (size_t b = len; b-- > 0;) {
			unsigned v = (unsigned)(unsigned char)~m[b] + (unsigned)carry;

			m[b] = (unsigned char)v;
			carry = (int)(v >> 8);
		}
	}
	unsigned char ext = neg ? 0xff : 0x00;
	/* minimal: drop leading bytes that only repeat the sign */
	while (len > 1 && m[0] == ext && ((m[1] & 0x80) != 0) == neg) {
		m++;
		len--;
	}
	if (((m[0] & 0x80) != 0) != neg) {
		/* the sign bit is wrong: one more byte is needed */
		if (m == mag)
			return -3;
		*--m = ext;
		len++;
	}
	if (size) {
		if (len > size)
			return -3;
		for (size_t k = len; k < size; k++)
			if ((rc = ak_buf_append(out, &ext, 1, err)) != AK_OK)
				return rc;
	}
	return ak_buf_append(out, m, len, err) == AK_OK ? 0 : AK_E_NOMEM;
}

int ak_parse_uuid(const char *s, size_t n, unsigned char out[16])
{
	size_t k = 0;

	if (n != 36)
		return -1;
	for (size_t i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		hi = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : (s[i] | 32) >= 'a' && (s[i] | 32) <= 'f'
			? (s[i] | 32) - 'a' + 10 : -1;
		i++;
		lo = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : (s[i] | 32) >= 'a' && (s[i] | 32) <= 'f'
			? (s[i] | 32) - 'a' + 10 : -1;
		if (hi < 0 || lo < 0 || i == 8 || i == 13 || i == 18 || i == 23)
			return -1;
		out[k++] = (unsigned char)(hi << 4 | lo);
	}
	return k == 16 ? 0 : -1;
}

int ak_parse_hex(const char *s, size_t n, struct ak_buf *out, struct ak_error *err)
{
	if (n % 2)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int v[2];

		for (int k = 0; k < 2; k++) {
			char c = s[i + (size_t)k];

			v[k] = c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f'
				? (c | 32) - 'a' + 10 : -1;
			if (v[k] < 0)
				return -1;
		}
		unsigned char b = (unsigned char)(v[0] << 4 | v[1]);
		if (ak_buf_append(out, &b, 1, err) != AK_OK)
			return AK_E_NOMEM;
	}
	return 0;
}

int ak_parse_base64(const char *s, size_t n, struct ak_buf *out, struct ak_error *err)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t i, pad = 0;

	if (n % 4)
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int v;

		if (c == '=') {
			if (i + 2 < n || (i + 1 < n && s[i + 1] != '='))
				return -1;
			pad++;
			continue;
		}
		if (pad)
			return -1;
		v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
		    : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			unsigned char b = (unsigned char)(acc >> (bits - 8));

			bits -= 8;
			if (ak_buf_append(out, &b, 1, err) != AK_OK)
				return AK_E_NOMEM;
		}
	}
	return 0;
}

int ak_plain_logical_long(struct ak_buf *o, unsigned logical, int64_t v)
{
	switch (logical) {
	case AK_LT_DATE:
		if (v < -1000000000LL || v > 1000000000LL)
			return -1;
		ak_plain_date(o, v);
		return 0;
	case AK_LT_TIME_MILLIS:
		return ak_plain_time(o, v, 3);
	case AK_LT_TIME_MICROS:
		return ak_plain_time(o, v, 6);
	case AK_LT_TIMESTAMP_MILLIS:
	case AK_LT_LOCAL_TIMESTAMP_MILLIS:
		ak_plain_timestamp(o, v, 3, logical == AK_LT_TIMESTAMP_MILLIS);
		return 0;
	case AK_LT_TIMESTAMP_MICROS:
	case AK_LT_LOCAL_TIMESTAMP_MICROS:
		ak_plain_timestamp(o, v, 6, logical == AK_LT_TIMESTAMP_MICROS);
		return 0;
	case AK_LT_TIMESTAMP_NANOS:
	case AK_LT_LOCAL_TIMESTAMP_NANOS:
		ak_plain_timestamp(o, v, 9, logical == AK_LT_TIMESTAMP_NANOS);
		return 0;
	}
	return -1;
}
