/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Zig-zag and varint coding (varint.h) and ak_in_long() (io.h) at the boundaries: exact
 * encodings, the 10-byte maximum, overlong and truncated input. Bulk properties over a few
 * hundred values are each reported as one check naming the first value that broke them.
 */
#include "ak.h"

#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* ---- helpers ---- */

/* Bytes as hex into @out (at least 3 * @n + 1 bytes, up to 64 bytes shown). */
static const char *hexs_to(char *out, size_t cap, const unsigned char *p, size_t n)
{
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && k + 4 < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%02x", i ? " " : "", p[i]);
	return out;
}

static const char *hexs(const unsigned char *p, size_t n)
{
	static char out[4 * 64];

	return hexs_to(out, sizeof(out), p, n);
}

/* Bytes a zig-zagged value takes, computed from its bit length (not by the encoder's loop). */
static size_t expected_len(uint64_t zz)
{
	int bits = 0;

	while (bits < 64 && (zz >> bits) != 0)
		bits++;
	return bits == 0 ? 1 : (size_t)(bits + 6) / 7;
}

/* A reference encoder written independently: 7-bit groups, low group first. */
static size_t ref_encode(unsigned char *dst, int64_t v)
{
	uint64_t zz = v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1;
	size_t n = expected_len(zz);

	for (size_t i = 0; i < n; i++) {
		dst[i] = (unsigned char)((zz >> (7 * i)) & 0x7f);
		if (i + 1 < n)
			dst[i] |= 0x80;
	}
	return n;
}

/* Every boundary value the tests walk over. */
static size_t boundary_values(int64_t *out, size_t cap)
{
	static const int64_t fixed[] = {
		0, -1, 1, 63, -64, 64, -65, 127, -128, 8191, -8192, 8192,
		INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1,
		INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]) && n < cap; i++)
		out[n++] = fixed[i];
	for (int k = 0; k < 63 && n + 6 <= cap; k++) {
		int64_t p = (int64_t)1 << k;

		out[n++] = p;
		out[n++] = p - 1;
		out[n++] = p + 1;
		out[n++] = -p;
		out[n++] = -p - 1;
		out[n++] = -p + 1;
	}
	return n;
}

/* A source that hands out one byte per read, so a varint straddles buffer refills. */
struct trickle {
	const unsigned char *data;
	size_t len, pos;
};

static ssize_t trickle_read(void *ctx, void *buf, size_t n)
{
	struct trickle *t = ctx;

	if (t->pos >= t->len || n == 0)
		return 0;
	*(unsigned char *)buf = t->data[t->pos++];
	return 1;
}

/* ---- zig-zag ---- */

static void test_zigzag(void)
{
	static const struct {
		int64_t v;
		uint64_t zz;
	} cases[] = {
		{ 0, 0 },
		{ -1, 1 },
		{ 1, 2 },
		{ -2, 3 },
		{ 2, 4 },
		{ 63, 126 },
		{ -64, 127 },
		{ 64, 128 },
		{ INT32_MAX, 4294967294u },
		{ INT32_MIN, 4294967295u },
		{ INT64_MAX, UINT64_MAX - 1 },
		{ INT64_MIN, UINT64_MAX },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t zz = ak_zigzag_encode(cases[i].v);
		int64_t back = ak_zigzag_decode(cases[i].zz);

		CHECK(zz == cases[i].zz,
		      "zigzag_encode(%" PRId64 ") = %" PRIu64 " (want %" PRIu64 ")", cases[i].v, zz,
		      cases[i].zz);
		CHECK(back == cases[i].v,
		      "zigzag_decode(%" PRIu64 ") = %" PRId64 " (want %" PRId64 ")", cases[i].zz,
		      back, cases[i].v);
	}

	int64_t vals[512];
	size_t n = boundary_values(vals, 512), bad = 0;
	int64_t first = 0;

	for (size_t i = 0; i < n; i++) {
		if (ak_zigzag_decode(ak_zigzag_encode(vals[i])) != vals[i] && bad++ == 0)
			first = vals[i];
	}
	CHECK(bad == 0, "zigzag round trip of %zu boundary values (%zu bad, first %" PRId64 ")", n,
	      bad, first);
}

/* ---- ak_varint_encode / ak_varint_decode ---- */

static void test_exact_encodings(void)
{
	static const struct {
		int64_t v;
		size_t len;
		unsigned char bytes[AK_VARINT_MAX];
	} cases[] = {
		{ 0, 1, { 0x00 } },
		{ -1, 1, { 0x01 } },
		{ 1, 1, { 0x02 } },
		{ 63, 1, { 0x7e } },
		{ -64, 1, { 0x7f } },
		{ 64, 2, { 0x80, 0x01 } },
		{ -65, 2, { 0x81, 0x01 } },
		{ 8191, 2, { 0xfe, 0x7f } },
		{ 8192, 3, { 0x80, 0x80, 0x01 } },
		{ INT32_MAX, 5, { 0xfe, 0xff, 0xff, 0xff, 0x0f } },
		{ INT32_MIN, 5, { 0xff, 0xff, 0xff, 0xff, 0x0f } },
		{ INT64_MAX, 10, { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 } },
		{ INT64_MIN, 10, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char buf[AK_VARINT_MAX + 4];
		size_t n;

		memset(buf, 0xaa, sizeof(buf));
		n = ak_varint_encode(buf, cases[i].v);
		char want[64];

		CHECK(n == cases[i].len && memcmp(buf, cases[i].bytes, n) == 0,
		      "encode(%" PRId64 ") = [%s] (got [%s])", cases[i].v,
		      hexs_to(want, sizeof(want), cases[i].bytes, cases[i].len), hexs(buf, n));
		CHECK(buf[n] == 0xaa, "encode(%" PRId64 ") writes only its %zu bytes", cases[i].v,
		      n);

		const unsigned char *p = cases[i].bytes;
		int64_t out = 12345;
		int rc = ak_varint_decode(&p, cases[i].bytes + cases[i].len, &out);

		CHECK(rc == AK_VARINT_OK && out == cases[i].v && p == cases[i].bytes + cases[i].len,
		      "decode([%s]) = %" PRId64 " rc %d, consumed %td", hexs(cases[i].bytes,
		      cases[i].len), out, rc, p - cases[i].bytes);
	}
}

static void test_round_trip(void)
{
	int64_t vals[512];
	size_t n = boundary_values(vals, 512);
	size_t bad_len = 0, bad_bytes = 0, bad_dec = 0, bad_short = 0, maxlen = 0;
	int64_t first_len = 0, first_bytes = 0, first_dec = 0, first_short = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char buf[AK_VARINT_MAX + 1], ref[AK_VARINT_MAX + 1];
		size_t len = ak_varint_encode(buf, vals[i]);
		size_t rlen = ref_encode(ref, vals[i]);
		const unsigned char *p = buf;
		int64_t out = 0;
		int rc;

		if (len > maxlen)
			maxlen = len;
		if (len != expected_len(ak_zigzag_encode(vals[i])) && bad_len++ == 0)
			first_len = vals[i];
		if ((len != rlen || memcmp(buf, ref, len) != 0) && bad_bytes++ == 0)
			first_bytes = vals[i];
		rc = ak_varint_decode(&p, buf + len, &out);
		if ((rc != AK_VARINT_OK || out != vals[i] || p != buf + len) && bad_dec++ == 0)
			first_dec = vals[i];
		/* every proper prefix is too short, and leaves the pointer alone */
		for (size_t cut = 0; cut < len; cut++) {
			p = buf;
			rc = ak_varint_decode(&p, buf + cut, &out);
			if ((rc != AK_VARINT_SHORT || p != buf) && bad_short++ == 0)
				first_short = vals[i];
		}
	}
	CHECK(bad_len == 0, "encoded length matches the bit length for %zu values (first bad %"
	      PRId64 ")", n, first_len);
	CHECK(bad_bytes == 0, "encoded bytes match a reference encoder (first bad %" PRId64 ")",
	      first_bytes);
	CHECK(bad_dec == 0, "decode(encode(v)) == v and consumes exactly the encoding (first bad %"
	      PRId64 ")", first_dec);
	CHECK(bad_short == 0, "every truncated encoding gives AK_VARINT_SHORT with the pointer "
	      "unchanged (first bad %" PRId64 ")", first_short);
	CHECK(maxlen == AK_VARINT_MAX, "the longest encoding is %zu bytes (want %d)", maxlen,
	      AK_VARINT_MAX);
}

static void test_bad_varints(void)
{
	static const struct {
		const char *what;
		size_t len;
		unsigned char b[12];
		int rc;
	} cases[] = {
		{ "empty input", 0, { 0 }, AK_VARINT_SHORT },
		{ "lone continuation byte", 1, { 0x80 }, AK_VARINT_SHORT },
		{ "9 continuation bytes",
		  9,
		  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  AK_VARINT_SHORT },
		{ "11 bytes (10th has the continuation bit)",
		  11,
		  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00 },
		  AK_VARINT_OVERLONG },
		{ "11 bytes of zero groups",
		  11,
		  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 },
		  AK_VARINT_OVERLONG },
		{ "10th byte with bit 64 set",
		  10,
		  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02 },
		  AK_VARINT_OVERLONG },
		{ "10th byte 0x7f",
		  10,
		  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
		  AK_VARINT_OVERLONG },
		{ "10th byte 0x03",
		  10,
		  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03 },
		  AK_VARINT_OVERLONG },
		{ "12 continuation bytes",
		  12,
		  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  AK_VARINT_OVERLONG },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *p = cases[i].b;
		int64_t out = 777;
		int rc = ak_varint_decode(&p, cases[i].b + cases[i].len, &out);

		CHECK(rc == cases[i].rc && p == cases[i].b,
		      "decode %s [%s] gives %d with the pointer unchanged (got %d, moved %td)",
		      cases[i].what, hexs(cases[i].b, cases[i].len), cases[i].rc, rc,
		      p - cases[i].b);
	}

	/* a 10-byte encoding whose last byte is 0x01 is the largest legal one */
	static const unsigned char ok10[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					      0x01 };
	const unsigned char *p = ok10;
	int64_t out = 0;
	int rc = ak_varint_decode(&p, ok10 + sizeof(ok10), &out);

	CHECK(rc == AK_VARINT_OK && out == INT64_C(0x4000000000000000) && p == ok10 + 10,
	      "10-byte encoding with only bit 63 of the zig-zag value set decodes to 2^62 "
	      "(got %" PRId64 ", rc %d)", out, rc);
}

/* ---- ak_in_long over a memory source ---- */

static void test_in_long(void)
{
	int64_t vals[512];
	size_t n = boundary_values(vals, 512);
	unsigned char *all = malloc(n * AK_VARINT_MAX);
	size_t len = 0;
	struct ak_source src;
	struct ak_mem_source m;
	struct ak_in in;
	struct ak_error err = { 0 };
	size_t bad = 0, i;
	int rc = AK_OK;
	int64_t first = 0;

	if (!CHECK(all != NULL, "allocate the test input"))
		return;
	for (i = 0; i < n; i++)
		len += ak_varint_encode(all + len, vals[i]);

	ak_mem_source_init(&src, &m, all, len);
	CHECK(ak_in_init(&in, &src, &err) == AK_OK, "ak_in_init");
	for (i = 0; i < n; i++) {
		int64_t out = 0;

		rc = ak_in_long(&in, &out, &err);
		if ((rc != AK_OK || out != vals[i]) && bad++ == 0)
			first = vals[i];
		if (rc < 0)
			break;
	}
	CHECK(bad == 0, "ak_in_long reads back %zu boundary values in a row (first bad %" PRId64
	      ")", n, first);
	CHECK(ak_in_offset(&in) == len, "offset after them is %zu (got %" PRIu64 ")", len,
	      ak_in_offset(&in));
	{
		int64_t out = 0;

		rc = ak_in_long(&in, &out, &err);
		CHECK(rc == AK_EOF, "AK_EOF at a clean end of input (got %d)", rc);
		rc = ak_in_long(&in, &out, &err);
		CHECK(rc == AK_EOF, "AK_EOF again when called after the end (got %d)", rc);
	}
	ak_in_release(&in);

	/* the same stream, one byte per read: varints straddle refills */
	{
		struct trickle t = { all, len, 0 };
		struct ak_source tsrc = { trickle_read, NULL, &t };
		int64_t out = 0;

		bad = 0;
		CHECK(ak_in_init(&in, &tsrc, &err) == AK_OK, "ak_in_init (trickle)");
		for (i = 0; i < n; i++) {
			rc = ak_in_long(&in, &out, &err);
			if ((rc != AK_OK || out != vals[i]) && bad++ == 0)
				first = vals[i];
			if (rc < 0)
				break;
		}
		CHECK(bad == 0,
		      "ak_in_long over a one-byte-per-read source (first bad %" PRId64 ")", first);
		CHECK(ak_in_long(&in, &out, &err) == AK_EOF, "trickle source ends with AK_EOF");
		ak_in_release(&in);
	}
	free(all);

	/* truncated and malformed */
	static const struct {
		const char *what;
		size_t len;
		unsigned char b[12];
		int rc;
		const char *msg;
	} cases[] = {
		{ "empty input", 0, { 0 }, AK_EOF, NULL },
		{ "one continuation byte", 1, { 0x80 }, AK_E_FORMAT, "unexpected end of input" },
		{ "INT64_MAX cut to 9 bytes", 9,
		  { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, AK_E_FORMAT,
		  "unexpected end of input" },
		{ "10th byte with bit 64 set", 10,
		  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02 }, AK_E_FORMAT,
		  "longer than 64 bits" },
		{ "10th byte 0xff", 11,
		  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 }, AK_E_FORMAT,
		  "longer than 64 bits" },
	};
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t out = 0;

		ak_error_clear(&err);
		ak_mem_source_init(&src, &m, cases[i].b, cases[i].len);
		if (ak_in_init(&in, &src, &err) != AK_OK)
			continue;
		rc = ak_in_long(&in, &out, &err);
		CHECK(rc == cases[i].rc && (!cases[i].msg || strstr(ERRSTR(&err), cases[i].msg)),
		      "ak_in_long on %s gives %d (got %d, \"%s\")", cases[i].what, cases[i].rc, rc,
		      ERRSTR(&err));
		ak_in_release(&in);
	}

	/* AK_EOF only before the first byte: a varint cut by the end after a good one */
	{
		static const unsigned char two[] = { 0x02, 0x80 };
		int64_t out = 0;

		ak_mem_source_init(&src, &m, two, sizeof(two));
		ak_in_init(&in, &src, &err);
		rc = ak_in_long(&in, &out, &err);
		CHECK(rc == AK_OK && out == 1, "first of two varints reads (rc %d, %" PRId64 ")",
		      rc, out);
		rc = ak_in_long(&in, &out, &err);
		CHECK(rc == AK_E_FORMAT && strstr(ERRSTR(&err), "offset 2"),
		      "truncated second varint is AK_E_FORMAT at offset 2 (got %d, \"%s\")", rc,
		      ERRSTR(&err));
		ak_in_release(&in);
	}
}

/*
 * An 11-byte varint whose 10th byte carries only the continuation bit (and maybe bit 63) must
 * be refused by ak_in_long() as it is by ak_varint_decode(). Run in a child process: if the
 * core shifts by 70 bits, UBSan (halt_on_error, exit status 1) stops the child, and the parent
 * still reports. Exit codes: 0 refused, 10 accepted, 11 another error, 12 setup failed.
 */
static int in_long_child(const unsigned char *b, size_t len)
{
	struct ak_source src;
	struct ak_mem_source m;
	struct ak_in in;
	struct ak_error err = { 0 };
	int64_t out = 0;
	int rc;

	ak_mem_source_init(&src, &m, b, len);
	if (ak_in_init(&in, &src, &err) != AK_OK)
		return 12;
	rc = ak_in_long(&in, &out, &err);
	ak_in_release(&in);
	return rc == AK_E_FORMAT ? 0 : rc == AK_OK ? 10 : 11;
}

#define IN_LONG_TODO "core bug: ak_in_long accepts an 11th byte and shifts by 70 bits"

static void test_in_long_overlong(void)
{
	static const struct {
		const char *what;
		unsigned char b[11];
	} cases[] = {
		{ "80 x10, 00",
		  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 } },
		{ "80 x9, 81, 00",
		  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t pid;
		int status = 0;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(20);
			_exit(in_long_child(cases[i].b, sizeof(cases[i].b)));
		}
		if (pid < 0) {
			tap_skip("fork failed");
			continue;
		}
		waitpid(pid, &status, 0);
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

		const char *what = code == 10 ? "accepted it" : code == 11 ? "other error" :
				   code == 1 ? "stopped by UBSan" : "killed";

		CHECK(code == 0, "ak_in_long refuses the 11-byte varint [%s] as AK_E_FORMAT (child: %s)",
			   cases[i].what, what);
	}
}

int main(void)
{
	test_zigzag();
	test_exact_encodings();
	test_round_trip();
	test_bad_varints();
	test_in_long();
	test_in_long_overlong();
	return tap_done();
}
