/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building datums through avrokit.h (ak_encoder, ak_put_*): every put on every type (what is
 * taken and the bytes it gives, what is refused), union branch picking, fields in any order
 * and the defaults of those left out, every error (range, UTF-8, fixed size, enum symbol and
 * index, wrong types, nesting: AK_E_STATE) with err->path naming the value, the sticky first
 * error, ak_encode_json(), and round trips through the decoder. Expected bytes are written by
 * hand (tap.h's bin_*), not by the library.
 */
#include <float.h>
#include <math.h>

#include "fixtures.h"

static struct ak_encoder *encoder(const struct ak_schema *s, unsigned json_flags)
{
	struct ak_encoder_opts o;
	struct ak_error err;
	struct ak_encoder *e;

	ak_encoder_opts_init(&o);
	o.json_flags = json_flags;
	ak_error_clear(&err);
	if (!(e = ak_encoder_new(s, &o, &err))) {
		printf("Bail out! ak_encoder_new: %s\n", errstr(&err));
		exit(1);
	}
	return e;
}

/* The datum(s) put since the last reset are @want; then reset. */
static int datum_is(struct ak_encoder *e, const struct bin *want, const char *what)
{
	const void *p = NULL;
	size_t n = 0;
	struct ak_error err;
	int rc, ok;

	ak_error_clear(&err);
	rc = ak_encoder_datum(e, &p, &n, &err);
	ok = CHECK(rc == AK_OK && n == want->n && memcmp(p, want->b, n) == 0,
		   "%s: the bytes %s", what, rc == AK_OK ? hexstr(p, n) : errstr(&err));
	if (!ok && rc == AK_OK)
		tap_note("wanted %s", hexstr(want->b, want->n));
	ak_encoder_reset(e);
	return ok;
}

/* The encoder's sticky error is @code, with @path and a message holding @msg; then reset. */
static int fails_with(struct ak_encoder *e, int code, const char *path, const char *msg,
		      const char *what)
{
	const void *p = (const void *)"x";
	size_t n = 1;
	struct ak_error err;
	int rc, ok;

	ak_error_clear(&err);
	rc = ak_encoder_datum(e, &p, &n, &err);
	ok = CHECK(rc == code && err.code == code && strcmp(err.path, path) == 0 &&
		   strstr(err.msg, msg) && p == NULL && n == 0,
		   "%s: %s, path \"%s\", \"%s\" (%s; path \"%s\")", what, ak_status_name(code), path,
		   msg, errstr(&err), err.path);
	ak_encoder_reset(e);
	return ok;
}

/* ---- the datum of every type ---- */

static void put_all(struct ak_encoder *e, int reverse, int skip_o)
{
	static const int order[F_COUNT] = {
		F_N, F_B, F_I, F_L, F_F, F_D, F_BY, F_S, F_E, F_X, F_A, F_M, F_U, F_DATE, F_TS, F_DEC,
		F_ID, F_SUB, F_O,
	};

	ak_put_record(e, NULL);
	for (int k = 0; k < F_COUNT; k++) {
		int f = order[reverse ? F_COUNT - 1 - k : k];

		if (f == F_O && skip_o)
			continue;
		ak_put_field_index(e, (size_t)f, NULL);
		switch (f) {
		case F_N: ak_put_null(e, NULL); break;
		case F_B: ak_put_boolean(e, 1, NULL); break;
		case F_I: ak_put_int(e, -3, NULL); break;
		case F_L: ak_put_long(e, 1234567890123LL, NULL); break;
		case F_F: ak_put_float(e, 1.5f, NULL); break;
		case F_D: ak_put_double(e, -0.25, NULL); break;
		case F_BY: ak_put_bytes(e, "\x00\xff", 2, NULL); break;
		case F_S: ak_put_string(e, "h\xc3\xa9llo", 6, NULL); break;
		case F_E: ak_put_symbol(e, "CLUBS", NULL); break;
		case F_X: ak_put_fixed(e, "ab", 2, NULL); break;
		case F_A:
			ak_put_array(e, NULL);
			ak_put_int(e, 1, NULL);
			ak_put_int(e, -1, NULL);
			ak_put_end(e, NULL);
			break;
		case F_M:
			ak_put_map(e, NULL);
			ak_put_key(e, "k", 1, NULL);
			ak_put_long(e, 7, NULL);
			ak_put_end(e, NULL);
			break;
		case F_U: ak_put_string(e, "u", 1, NULL); break;
		case F_DATE: ak_put_int(e, 19000, NULL); break;
		case F_TS: ak_put_long(e, 1700000000000LL, NULL); break;
		case F_DEC: ak_put_bytes(e, "09", 2, NULL); break;
		case F_ID: ak_put_string(e, ALL_UUID, 36, NULL); break;
		case F_SUB:
			ak_put_record(e, NULL);
			ak_put_field(e, "z", NULL);
			ak_put_int(e, 9, NULL);
			ak_put_end(e, NULL);
			break;
		case F_O:
			ak_put_record(e, NULL);
			ak_put_field(e, "z", NULL);
			ak_put_int(e, -1, NULL);
			ak_put_end(e, NULL);
			break;
		}
	}
	ak_put_end(e, NULL);
}

static void test_all(void)
{
	struct ak_schema *s = schema_or_die(all_schema);
	struct ak_encoder *e = encoder(s, 0);
	struct bin want, two;
	const void *p;
	size_t n;

	all_datum(&want);
	put_all(e, 0, 0);
	datum_is(e, &want, "a datum of every type, fields in order");
	put_all(e, 1, 0);
	datum_is(e, &want, "the same, fields in reverse order");
	/* o left out: its default null (branch 0) */
	put_all(e, 1, 1);
	want.n -= 2;
	want.b[want.n++] = 0;
	datum_is(e, &want, "the field with a default left out");
	/* two datums between resets: both */
	all_datum(&want);
	two = want;
	bin_raw(&two, want.b, want.n);
	put_all(e, 0, 0);
	put_all(e, 1, 0);
	datum_is(e, &two, "two datums since the reset, one after the other");
	/* nothing put: an empty buffer */
	CHECK(ak_encoder_datum(e, &p, &n, NULL) == AK_OK && n == 0 && p != NULL,
	      "nothing put: no bytes (a pointer all the same)");
	ak_encoder_free(e);
	ak_schema_free(s);
}

/* ---- every put on every type ---- */

enum put { P_NULL, P_BOOL, P_INT, P_LONG, P_FLOAT, P_DOUBLE, P_BYTES, P_STRING, P_FIXED, P_ENUM,
	   P_SYMBOL, P_RECORD, P_ARRAY, P_MAP, P_N };

static const char *const put_names[P_N] = {
	"null", "boolean", "int", "long", "float", "double", "bytes", "string", "fixed", "enum",
	"symbol", "record", "array", "map",
};

static int do_put(struct ak_encoder *e, enum put p, struct ak_error *err)
{
	int rc;

	switch (p) {
	case P_NULL: return ak_put_null(e, err);
	case P_BOOL: return ak_put_boolean(e, 7, err);
	case P_INT: return ak_put_int(e, 2, err);
	case P_LONG: return ak_put_long(e, 2, err);
	case P_FLOAT: return ak_put_float(e, 2.5f, err);
	case P_DOUBLE: return ak_put_double(e, 2.5, err);
	case P_BYTES: return ak_put_bytes(e, "ab", 2, err);
	case P_STRING: return ak_put_string(e, "ab", 2, err);
	case P_FIXED: return ak_put_fixed(e, "ab", 2, err);
	case P_ENUM: return ak_put_enum(e, 1, err);
	case P_SYMBOL: return ak_put_symbol(e, "B", err);
	case P_RECORD:
		if ((rc = ak_put_record(e, err)) != AK_OK)
			return rc;
		return ak_put_end(e, err);
	case P_ARRAY:
		if ((rc = ak_put_array(e, err)) != AK_OK)
			return rc;
		return ak_put_end(e, err);
	case P_MAP:
		if ((rc = ak_put_map(e, err)) != AK_OK)
			return rc;
		return ak_put_end(e, err);
	default:
		return -99;
	}
}

static void test_matrix(void)
{
	static const char *const types[] = {
		"\"null\"", "\"boolean\"", "\"int\"", "\"long\"", "\"float\"", "\"double\"",
		"\"bytes\"", "\"string\"",
		"{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}",
		"{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}",
		"{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}",
		"{\"type\":\"array\",\"items\":\"int\"}",
		"{\"type\":\"map\",\"values\":\"int\"}",
	};
	/* the bytes each put gives on each type; NULL: refused with AK_E_VALUE */
	static const struct {
		const char *type;
		const char *bytes[P_N];
	} t[] = {
		/*           null  bool    int     long    float               double */
		{ "null", { "", NULL, NULL, NULL, NULL, NULL,
		/*           bytes string fixed enum symbol record array map */
			    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "boolean", { NULL, "01", NULL, NULL, NULL, NULL,
			       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "int", { NULL, NULL, "04", "04", NULL, NULL,
			   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "long", { NULL, NULL, "04", "04", NULL, NULL,
			    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "float", { NULL, NULL, "00 00 00 40", "00 00 00 40", "00 00 20 40", "00 00 20 40",
			     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "double", { NULL, NULL, "00 00 00 00 00 00 00 40", "00 00 00 00 00 00 00 40",
			      "00 00 00 00 00 00 04 40", "00 00 00 00 00 00 04 40",
			      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "bytes", { NULL, NULL, NULL, NULL, NULL, NULL,
			     "04 61 62", NULL, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ "string", { NULL, NULL, NULL, NULL, NULL, NULL,
			      NULL, "04 61 62", NULL, NULL, NULL, NULL, NULL, NULL } },
		/* an enum takes an index from ak_put_int/long too (avrokit.h), but 2 is beyond
		 * this one's: test_unions() puts a 1 */
		{ "enum", { NULL, NULL, NULL, NULL, NULL, NULL,
			    NULL, NULL, NULL, "02", "02", NULL, NULL, NULL } },
		{ "fixed", { NULL, NULL, NULL, NULL, NULL, NULL,
			     "61 62", NULL, "61 62", NULL, NULL, NULL, NULL, NULL } },
		{ "record", { NULL, NULL, NULL, NULL, NULL, NULL,
			      NULL, NULL, NULL, NULL, NULL, "", NULL, NULL } },
		{ "array", { NULL, NULL, NULL, NULL, NULL, NULL,
			     NULL, NULL, NULL, NULL, NULL, NULL, "00", NULL } },
		{ "map", { NULL, NULL, NULL, NULL, NULL, NULL,
			   NULL, NULL, NULL, NULL, NULL, NULL, NULL, "00" } },
	};

	for (size_t ti = 0; ti < sizeof(types) / sizeof(types[0]); ti++) {
		struct ak_schema *s = schema_or_die(types[ti]);
		struct ak_encoder *e = encoder(s, 0);

		for (int p = 0; p < P_N; p++) {
			struct ak_error err;
			const void *d;
			size_t n;
			int rc;

			ak_error_clear(&err);
			rc = do_put(e, (enum put)p, &err);
			if (t[ti].bytes[p]) {
				int rc2 = ak_encoder_datum(e, &d, &n, &err);
				int ok = rc == AK_OK && rc2 == AK_OK &&
					 strcmp(hexstr(d, n), t[ti].bytes[p]) == 0;

				CHECK(ok, "%s takes a %s: %s (%s)", t[ti].type, put_names[p],
				      t[ti].bytes[p], rc2 == AK_OK && rc == AK_OK ? hexstr(d, n) :
				      errstr(&err));
			} else {
				CHECK(rc == AK_E_VALUE && err.code == AK_E_VALUE && err.msg[0],
				      "%s refuses a %s with AK_E_VALUE (%s)", t[ti].type,
				      put_names[p], rc ? errstr(&err) : "taken");
			}
			ak_encoder_reset(e);
		}
		ak_encoder_free(e);
		ak_schema_free(s);
	}
}

/* ---- unions ---- */

/* Put with @put into a datum of schema @json, expecting the bytes @hex or (NULL) an error
 * @code with a message holding @msg. */
static void union_case(const char *json, int (*put)(struct ak_encoder *, struct ak_error *),
		       const char *hex, int code, const char *msg, const char *what)
{
	struct ak_schema *s = schema_or_die(json);
	struct ak_encoder *e = encoder(s, 0);
	struct ak_error err;
	const void *d;
	size_t n;
	int rc;

	ak_error_clear(&err);
	rc = put(e, &err);
	if (hex) {
		int rc2 = ak_encoder_datum(e, &d, &n, &err);

		CHECK(rc == AK_OK && rc2 == AK_OK && strcmp(hexstr(d, n), hex) == 0, "%s: %s (%s)",
		      what, hex, rc == AK_OK && rc2 == AK_OK ? hexstr(d, n) : errstr(&err));
	} else {
		CHECK(rc == code && strstr(err.msg, msg), "%s: %s, \"%s\" (%s)", what,
		      ak_status_name(code), msg, rc ? errstr(&err) : "taken");
	}
	ak_encoder_free(e);
	ak_schema_free(s);
}

static int u_null(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_null(e, err);
}

static int u_string(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_string(e, "a", 1, err);
}

static int u_long5(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_long(e, 5, err);
}

static int u_long_big(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_long(e, (int64_t)1 << 40, err);
}

static int u_int3(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_int(e, 3, err);
}

static int u_int1(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_int(e, 1, err);
}

static int u_branch1_int1(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_branch(e, 1, err);

	return rc ? rc : ak_put_int(e, 1, err);
}

static int u_bytes2(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_bytes(e, "ab", 2, err);
}

static int u_bytes3(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_bytes(e, "abc", 3, err);
}

static int u_symbol(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_symbol(e, "S", err);
}

static int u_symbol_bad(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_symbol(e, "NOPE", err);
}

static int u_record(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_record(e, err);

	return rc ? rc : ak_put_end(e, err);
}

static int u_array(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_array(e, err);

	return rc ? rc : ak_put_end(e, err);
}

static int u_branch2_record(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_branch(e, 2, err);

	return rc ? rc : u_record(e, err);
}

static int u_branch0_long(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_branch(e, 0, err);

	return rc ? rc : ak_put_long(e, 5, err);
}

static int u_branch1_string(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_branch(e, 1, err);

	return rc ? rc : ak_put_string(e, "a", 1, err);
}

static int u_branch9(struct ak_encoder *e, struct ak_error *err)
{
	return ak_put_branch(e, 9, err);
}

static int u_branch_twice(struct ak_encoder *e, struct ak_error *err)
{
	int rc = ak_put_branch(e, 0, err);

	return rc ? rc : ak_put_branch(e, 0, err);
}

static void test_unions(void)
{
	const char *ab = "[\"null\",{\"type\":\"record\",\"name\":\"A\",\"fields\":[]},"
			 "{\"type\":\"record\",\"name\":\"B\",\"fields\":[]}]";

	union_case("[\"null\",\"string\"]", u_null, "00", 0, NULL, "null picks the null branch");
	union_case("[\"null\",\"string\"]", u_string, "02 02 61", 0, NULL,
		   "a string picks the string branch");
	union_case("[\"int\",\"long\"]", u_long5, "00 0a", 0, NULL,
		   "a long that fits an int: the int branch, the first that takes it");
	union_case("[\"int\",\"long\"]", u_long_big, "02 80 80 80 80 80 40", 0, NULL,
		   "a long beyond an int: the long branch");
	union_case("[\"long\",\"int\"]", u_int3, "00 06", 0, NULL,
		   "an int into [long, int]: long, the first that takes it");
	union_case("[\"null\",\"double\"]", u_int3, "02 00 00 00 00 00 00 08 40", 0, NULL,
		   "an int into [null, double]: converted");
	union_case("[\"string\",\"bytes\"]", u_bytes2, "02 04 61 62", 0, NULL,
		   "bytes into [string, bytes]: bytes");
	union_case("[\"null\",{\"type\":\"fixed\",\"name\":\"F\",\"size\":2},\"bytes\"]", u_bytes2,
		   "02 61 62", 0, NULL, "two bytes: the fixed of two, first");
	union_case("[\"null\",{\"type\":\"fixed\",\"name\":\"F\",\"size\":2},\"bytes\"]", u_bytes3,
		   "04 06 61 62 63", 0, NULL, "three bytes: not the fixed, the bytes");
	union_case("[\"null\",{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"R\",\"S\"]}]",
		   u_symbol, "02 02", 0, NULL, "a symbol picks the enum that has it");
	union_case("[\"null\",{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"R\",\"S\"]}]",
		   u_symbol_bad, NULL, AK_E_VALUE, "no branch", "an unknown symbol: no branch");
	union_case("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"R\",\"S\"]}", u_int1,
		   "02", 0, NULL, "an enum takes a number as its index");
	union_case("[\"null\",{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"R\",\"S\"]}]",
		   u_int1, NULL, AK_E_VALUE, "no branch", "a number picks no enum branch");
	union_case("[\"null\",{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"R\",\"S\"]}]",
		   u_branch1_int1, "02 02", 0, NULL, "... but goes into one by ak_put_branch()");
	union_case("[\"null\",\"string\"]", u_int3, NULL, AK_E_VALUE, "no branch of the union "
		   "takes", "an int into [null, string]");
	union_case("[\"null\",{\"type\":\"record\",\"name\":\"A\",\"fields\":[]}]", u_record, "02",
		   0, NULL, "a record into a union with one record");
	union_case(ab, u_record, NULL, AK_E_VALUE, "ak_put_branch", "a record into a union with "
		   "two records needs ak_put_branch()");
	union_case(ab, u_branch2_record, "04", 0, NULL, "... with ak_put_branch(2) it goes");
	union_case("[\"null\",{\"type\":\"array\",\"items\":\"int\"}]", u_array, "02 00", 0,
		   NULL, "an array into a union with one array");
	union_case("[\"int\",\"long\"]", u_branch0_long, "00 0a", 0, NULL,
		   "ak_put_branch(0) then a long that fits");
	union_case("[\"int\",\"string\"]", u_branch0_long, "00 0a", 0, NULL,
		   "ak_put_branch(0) then a long that fits (int)");
	union_case("[\"null\",\"int\"]", u_branch1_string, NULL, AK_E_VALUE, "expected int",
		   "ak_put_branch(1) then a value the branch does not take");
	union_case("[\"null\",\"int\"]", u_branch9, NULL, AK_E_VALUE, "2 branches",
		   "ak_put_branch beyond the branches");
	union_case("\"int\"", u_branch9, NULL, AK_E_VALUE, "not a union",
		   "ak_put_branch where there is no union");
	union_case("[\"null\",\"int\"]", u_branch_twice, NULL, AK_E_STATE, "twice",
		   "ak_put_branch twice");
}

/* ---- errors ---- */

static const char rec_schema[] =
	"{\"type\":\"record\",\"name\":\"R\",\"fields\":["
	"{\"name\":\"i\",\"type\":\"int\"},"
	"{\"name\":\"s\",\"type\":\"string\",\"default\":\"dflt\"},"
	"{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2},"
	"\"default\":\"zz\"},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]},"
	"\"default\":\"B\"},"
	"{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"record\","
	"\"name\":\"In\",\"fields\":[{\"name\":\"zip\",\"type\":\"int\"}]}},\"default\":{}}"
	"]}";

static void test_errors(void)
{
	struct ak_schema *s = schema_or_die(rec_schema);
	struct ak_encoder *e = encoder(s, 0);
	struct ak_error err;
	int rc;

	/* int range */
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_error_clear(&err);
	rc = ak_put_long(e, (int64_t)INT32_MAX + 1, &err);
	CHECK(rc == AK_E_VALUE && strcmp(err.path, "i") == 0, "2^31 into an int: AK_E_VALUE at "
	      "\"i\" at once (%s)", errstr(&err));
	fails_with(e, AK_E_VALUE, "i", "out of the range of an int", "2^31 into an int");
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_long(e, (int64_t)INT32_MIN - 1, NULL);
	fails_with(e, AK_E_VALUE, "i", "out of the range", "-2^31 - 1 into an int");
	{
		struct bin want = { { 0 }, 0 };

		ak_put_record(e, NULL);
		ak_put_field(e, "i", NULL);
		ak_put_long(e, INT32_MIN, NULL);
		ak_put_end(e, NULL);
		bin_long(&want, INT32_MIN);
		bin_str(&want, "dflt", 4);
		bin_raw(&want, "zz", 2);
		bin_long(&want, 1);
		bin_long(&want, 0);
		bin_long(&want, 0);
		datum_is(e, &want, "INT32_MIN fits; every other field takes its default");
	}

	/* UTF-8 */
	{
		static const struct {
			const char *s;
			size_t n;
			const char *what;
		} badutf[] = {
			{ "\xc3\x28", 2, "a bad continuation byte" },
			{ "\xc0\xaf", 2, "an overlong two-byte form" },
			{ "\xe0\x80\xaf", 3, "an overlong three-byte form" },
			{ "\xed\xa0\x80", 3, "a surrogate" },
			{ "\xf4\x90\x80\x80", 4, "beyond U+10FFFF" },
			{ "\xe2\x82", 2, "a sequence cut short" },
			{ "\xff", 1, "a byte never in UTF-8" },
			{ "a\x80", 2, "a lone continuation byte" },
		};

		for (size_t i = 0; i < sizeof(badutf) / sizeof(badutf[0]); i++) {
			ak_put_record(e, NULL);
			ak_put_field(e, "s", NULL);
			ak_put_string(e, badutf[i].s, badutf[i].n, NULL);
			fails_with(e, AK_E_VALUE, "s", "not valid UTF-8", badutf[i].what);
		}
		{
			struct bin want = { { 0 }, 0 };

			ak_put_record(e, NULL);
			ak_put_field(e, "i", NULL);
			ak_put_int(e, 0, NULL);
			ak_put_field(e, "s", NULL);
			ak_put_string(e, "\xf0\x9f\x98\x80" "a\0b\xef\xbf\xbf", 10, NULL);
			ak_put_end(e, NULL);
			bin_long(&want, 0);
			bin_str(&want, "\xf0\x9f\x98\x80" "a\0b\xef\xbf\xbf", 10);
			bin_raw(&want, "zz", 2);
			bin_long(&want, 1);
			bin_long(&want, 0);
			bin_long(&want, 0);
			datum_is(e, &want, "four-byte UTF-8, a NUL and U+FFFF are fine");
		}
		ak_put_record(e, NULL);
		ak_put_field(e, "m", NULL);
		ak_put_map(e, NULL);
		ak_put_key(e, "\xc3", 1, NULL);
		fails_with(e, AK_E_VALUE, "m", "map key is not valid UTF-8", "a map key that is not "
			   "UTF-8");
	}

	/* fixed size, enum index and symbol */
	ak_put_record(e, NULL);
	ak_put_field(e, "x", NULL);
	ak_put_fixed(e, "abc", 3, NULL);
	fails_with(e, AK_E_VALUE, "x", "F is a fixed of 2 bytes, not 3", "a fixed of the wrong size");
	ak_put_record(e, NULL);
	ak_put_field(e, "x", NULL);
	ak_put_bytes(e, "a", 1, NULL);
	fails_with(e, AK_E_VALUE, "x", "not 1", "bytes of the wrong size into a fixed");
	ak_put_record(e, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_enum(e, 2, NULL);
	fails_with(e, AK_E_VALUE, "e", "enum index 2 is out of range", "an enum index too big");
	ak_put_record(e, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_long(e, 5, NULL);
	fails_with(e, AK_E_VALUE, "e", "enum index 5 is out of range", "a number as an enum index, "
		   "too big");
	ak_put_record(e, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_int(e, -1, NULL);
	fails_with(e, AK_E_VALUE, "e", "enum index -1 is out of range", "a negative number as an "
		   "enum index");
	ak_put_record(e, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_symbol(e, "C", NULL);
	fails_with(e, AK_E_VALUE, "e", "\"C\" is not a symbol of E", "an unknown symbol");
	ak_put_record(e, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_symbol(e, NULL, NULL);
	fails_with(e, AK_E_VALUE, "e", "not a symbol", "a NULL symbol");

	/* wrong types, with the path of nested values */
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_string(e, "x", 1, NULL);
	fails_with(e, AK_E_VALUE, "i", "expected int, got string", "a string for an int");
	ak_put_record(e, NULL);
	ak_put_field(e, "tags", NULL);
	ak_put_array(e, NULL);
	ak_put_string(e, "a", 1, NULL);
	ak_put_string(e, "b", 1, NULL);
	ak_put_long(e, 3, NULL);
	fails_with(e, AK_E_VALUE, "tags[2]", "expected string", "the third array item wrong");
	ak_put_record(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	ak_put_key(e, "home", 4, NULL);
	ak_put_record(e, NULL);
	ak_put_field(e, "zip", NULL);
	ak_put_double(e, 1.5, NULL);
	fails_with(e, AK_E_VALUE, "m[\"home\"].zip", "expected int", "a field of a record in a map");
	ak_put_record(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	ak_put_key(e, "home", 4, NULL);
	ak_put_record(e, NULL);
	ak_put_end(e, NULL);
	fails_with(e, AK_E_VALUE, "m[\"home\"].zip", "no default", "a field without default left "
		   "out, in a map");

	/* fields */
	ak_put_record(e, NULL);
	ak_put_field(e, "nope", NULL);
	fails_with(e, AK_E_VALUE, "", "no field \"nope\"", "an unknown field");
	ak_put_record(e, NULL);
	ak_put_field(e, NULL, NULL);
	fails_with(e, AK_E_VALUE, "", "no field", "a NULL field name");
	ak_put_record(e, NULL);
	ak_put_field_index(e, 6, NULL);
	fails_with(e, AK_E_VALUE, "", "has 6 fields, not 7", "a field index beyond the fields");
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_int(e, 1, NULL);
	ak_put_field(e, "i", NULL);
	fails_with(e, AK_E_VALUE, "i", "field put twice", "a field put twice");
	ak_put_record(e, NULL);
	ak_put_field(e, "s", NULL);
	ak_put_string(e, "x", 1, NULL);
	ak_put_end(e, NULL);
	fails_with(e, AK_E_VALUE, "i", "no value, and the field has no default",
		   "a field without default left out");

	/* NULL pointers with a length */
	ak_put_record(e, NULL);
	ak_put_field(e, "s", NULL);
	ak_error_clear(&err);
	rc = ak_put_string(e, NULL, 3, &err);
	CHECK(rc == AK_E_ARG, "a NULL string of 3 bytes: AK_E_ARG (%s)", errstr(&err));
	ak_encoder_reset(e);
	rc = ak_put_bytes(e, NULL, 1, &err);
	CHECK(rc == AK_E_ARG, "NULL bytes: AK_E_ARG");
	ak_encoder_reset(e);
	rc = ak_put_fixed(e, NULL, 2, &err);
	CHECK(rc == AK_E_ARG, "a NULL fixed: AK_E_ARG");
	ak_encoder_reset(e);
	ak_put_record(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	rc = ak_put_key(e, NULL, 2, &err);
	CHECK(rc == AK_E_ARG, "a NULL key of 2 bytes: AK_E_ARG");
	ak_encoder_reset(e);
	ak_encoder_free(e);

	/* NULL schema */
	ak_error_clear(&err);
	CHECK(!ak_encoder_new(NULL, NULL, &err) && err.code == AK_E_ARG,
	      "ak_encoder_new(NULL) is AK_E_ARG");
	ak_schema_free(s);
}

/* Calls out of order: AK_E_STATE. */
static void test_state(void)
{
	struct ak_schema *s = schema_or_die(rec_schema);
	struct ak_encoder *e = encoder(s, 0);
	struct ak_error err;
	const void *p;
	size_t n;
	int rc;

	ak_put_record(e, NULL);
	ak_put_int(e, 1, NULL);
	fails_with(e, AK_E_STATE, "", "needs ak_put_field() first", "a value in a record without "
		   "ak_put_field()");
	ak_put_field(e, "i", NULL);
	fails_with(e, AK_E_STATE, "", "outside a record", "ak_put_field() at the top level");
	ak_put_record(e, NULL);
	ak_put_field(e, "tags", NULL);
	ak_put_array(e, NULL);
	ak_put_field(e, "i", NULL);
	fails_with(e, AK_E_STATE, "tags[0]", "outside a record", "ak_put_field() in an array");
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_field(e, "s", NULL);
	fails_with(e, AK_E_STATE, "i", "twice", "ak_put_field() twice without a value");
	ak_put_record(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	ak_put_record(e, NULL);
	fails_with(e, AK_E_STATE, "m", "needs ak_put_key() first", "a value in a map without a key");
	ak_put_record(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	ak_put_key(e, "a", 1, NULL);
	ak_put_key(e, "b", 1, NULL);
	fails_with(e, AK_E_STATE, "m[\"a\"]", "twice", "ak_put_key() twice");
	ak_put_key(e, "a", 1, NULL);
	fails_with(e, AK_E_STATE, "", "outside a map", "ak_put_key() outside a map");
	ak_put_end(e, NULL);
	fails_with(e, AK_E_STATE, "", "no record, array or map open", "ak_put_end() with nothing "
		   "open");
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_end(e, NULL);
	fails_with(e, AK_E_STATE, "i", "before the value", "ak_put_end() after ak_put_field()");
	ak_put_record(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	ak_put_key(e, "a", 1, NULL);
	ak_put_end(e, NULL);
	fails_with(e, AK_E_STATE, "m[\"a\"]", "before the value", "ak_put_end() after a key");

	/* an unfinished datum */
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_int(e, 1, NULL);
	ak_error_clear(&err);
	rc = ak_encoder_datum(e, &p, &n, &err);
	CHECK(rc == AK_E_STATE && p == NULL && n == 0, "ak_encoder_datum() with a record open: "
	      "AK_E_STATE (%s)", errstr(&err));
	ak_error_clear(&err);
	rc = ak_encode_json(e, "{}", 2, NULL, &err);
	CHECK(rc == AK_E_STATE, "ak_encode_json() inside an unfinished value: AK_E_STATE (%s)",
	      errstr(&err));
	/* finishing it makes it good */
	ak_put_end(e, NULL);
	rc = ak_encoder_datum(e, &p, &n, &err);
	CHECK(rc == AK_OK && n > 0, "finished, the datum is there");
	ak_encoder_reset(e);
	/* a branch given and no value */
	{
		struct ak_schema *u = schema_or_die("[\"null\",\"int\"]");
		struct ak_encoder *eu = encoder(u, 0);

		ak_put_branch(eu, 1, NULL);
		rc = ak_encoder_datum(eu, &p, &n, &err);
		CHECK(rc == AK_E_STATE, "ak_encoder_datum() after ak_put_branch() alone: AK_E_STATE");
		ak_encoder_free(eu);
		ak_schema_free(u);
	}
	ak_encoder_free(e);
	ak_schema_free(s);
}

/* The first error sticks: later calls do nothing and return it. */
static void test_sticky(void)
{
	struct ak_schema *s = schema_or_die(rec_schema);
	struct ak_encoder *e = encoder(s, 0);
	struct ak_error err;
	struct bin want = { { 0 }, 0 };
	int rc;

	ak_put_record(e, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_symbol(e, "Q", NULL);
	ak_error_clear(&err);
	rc = ak_put_field(e, "i", &err);
	CHECK(rc == AK_E_VALUE && strstr(err.msg, "\"Q\"") && strcmp(err.path, "e") == 0,
	      "after an error, the next put returns the first error, its path and message (%s)",
	      errstr(&err));
	rc = ak_put_int(e, 1, &err);
	CHECK(rc == AK_E_VALUE && strstr(err.msg, "\"Q\""), "and the next");
	rc = ak_put_end(e, &err);
	CHECK(rc == AK_E_VALUE && strstr(err.msg, "\"Q\""), "and ak_put_end()");
	rc = ak_put_branch(e, 0, &err);
	CHECK(rc == AK_E_VALUE, "and ak_put_branch()");
	rc = ak_put_key(e, "k", 1, &err);
	CHECK(rc == AK_E_VALUE, "and ak_put_key()");
	rc = ak_put_record(e, &err);
	CHECK(rc == AK_E_VALUE, "and ak_put_record()");
	rc = ak_encode_json(e, "{\"i\":1}", 7, NULL, &err);
	CHECK(rc == AK_E_VALUE && strstr(err.msg, "\"Q\""), "and ak_encode_json()");
	fails_with(e, AK_E_VALUE, "e", "\"Q\" is not a symbol", "ak_encoder_datum() reports it");
	/* a state error sticks too */
	ak_put_end(e, NULL);
	rc = ak_put_record(e, &err);
	CHECK(rc == AK_E_STATE, "a state error sticks as well (%s)", errstr(&err));
	ak_encoder_reset(e);
	/* after the reset all is well */
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_int(e, -1, NULL);
	ak_put_end(e, NULL);
	bin_long(&want, -1);
	bin_str(&want, "dflt", 4);
	bin_raw(&want, "zz", 2);
	bin_long(&want, 1);
	bin_long(&want, 0);
	bin_long(&want, 0);
	datum_is(e, &want, "ak_encoder_reset() forgets the error");
	/* an error leaves no bytes of the failed datum behind the good ones */
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_int(e, -1, NULL);
	ak_put_end(e, NULL);
	ak_put_record(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_string(e, "bad", 3, NULL);
	fails_with(e, AK_E_VALUE, "i", "expected int", "an error after a good datum fails the lot");
	ak_encoder_free(e);
	ak_schema_free(s);
}

/* Defaults of every type for fields left out. */
static void test_defaults(void)
{
	struct ak_schema *s = schema_or_die(
		"{\"type\":\"record\",\"name\":\"D\",\"fields\":["
		"{\"name\":\"n\",\"type\":\"null\",\"default\":null},"
		"{\"name\":\"b\",\"type\":\"boolean\",\"default\":true},"
		"{\"name\":\"i\",\"type\":\"int\",\"default\":7},"
		"{\"name\":\"l\",\"type\":\"long\",\"default\":-2},"
		"{\"name\":\"f\",\"type\":\"float\",\"default\":1.5},"
		"{\"name\":\"d\",\"type\":\"double\",\"default\":2.5},"
		"{\"name\":\"by\",\"type\":\"bytes\",\"default\":\"\\u00ff\\u0000\"},"
		"{\"name\":\"s\",\"type\":\"string\",\"default\":\"x\\u00e9\"},"
		"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]},"
		"\"default\":\"B\"},"
		"{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2},"
		"\"default\":\"ab\"},"
		"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"},\"default\":[1,2]},"
		"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"int\"},\"default\":{\"k\":3}},"
		"{\"name\":\"u1\",\"type\":[\"null\",\"int\"],\"default\":null},"
		"{\"name\":\"u2\",\"type\":[\"int\",\"null\"],\"default\":4},"
		"{\"name\":\"r\",\"type\":{\"type\":\"record\",\"name\":\"In\",\"fields\":["
		"{\"name\":\"z\",\"type\":\"int\"},{\"name\":\"w\",\"type\":\"string\","
		"\"default\":\"q\"}]},\"default\":{\"z\":5}}"
		"]}");
	struct ak_encoder *e = encoder(s, 0);
	struct bin want = { { 0 }, 0 };

	bin_raw(&want, "\x01", 1);
	bin_long(&want, 7);
	bin_long(&want, -2);
	bin_float(&want, 1.5f);
	bin_double(&want, 2.5);
	bin_str(&want, "\xff\x00", 2);
	bin_str(&want, "x\xc3\xa9", 3);
	bin_long(&want, 1);
	bin_raw(&want, "ab", 2);
	bin_long(&want, 2);
	bin_long(&want, 1);
	bin_long(&want, 2);
	bin_long(&want, 0);
	bin_long(&want, 1);
	bin_str(&want, "k", 1);
	bin_long(&want, 3);
	bin_long(&want, 0);
	bin_long(&want, 0);
	bin_long(&want, 0);
	bin_long(&want, 4);
	bin_long(&want, 5);
	bin_str(&want, "q", 1);
	ak_put_record(e, NULL);
	ak_put_end(e, NULL);
	datum_is(e, &want, "a record with nothing put: every default");
	ak_put_record(e, NULL);
	ak_put_end(e, NULL);
	datum_is(e, &want, "again (the defaults are made once)");
	ak_encoder_free(e);
	ak_schema_free(s);
}

/* ak_encode_json: the same bytes as the puts */
static void test_json(void)
{
	struct ak_schema *s = schema_or_die(all_schema);
	struct ak_encoder *e = encoder(s, 0), *ep;
	struct ak_error err;
	struct bin want;
	size_t used = 0;
	int rc;
	const char *avro =
		"  {\"n\":null,\"b\":true,\"i\":-3,\"l\":1234567890123,\"f\":1.5,\"d\":-0.25,"
		"\"by\":\"\\u0000\\u00ff\",\"s\":\"h\xc3\xa9llo\",\"e\":\"CLUBS\",\"x\":\"ab\","
		"\"a\":[1,-1],\"m\":{\"k\":7},\"u\":{\"string\":\"u\"},\"date\":19000,"
		"\"ts\":1700000000000,\"dec\":\"09\",\"id\":\"" ALL_UUID "\",\"sub\":{\"z\":9},"
		"\"o\":{\"t.Sub\":{\"z\":-1}}} {\"next\":1}";
	const char *plain =
		"{\"n\":null,\"b\":true,\"i\":-3,\"l\":1234567890123,\"f\":1.5,\"d\":-0.25,"
		"\"by\":\"AP8=\",\"s\":\"h\xc3\xa9llo\",\"e\":\"CLUBS\",\"x\":\"YWI=\","
		"\"a\":[1,-1],\"m\":{\"k\":7},\"u\":\"u\",\"date\":\"2022-01-08\","
		"\"ts\":\"2023-11-14T22:13:20.000Z\",\"dec\":\"123.45\",\"id\":\"" ALL_UUID "\","
		"\"sub\":{\"z\":9},\"o\":{\"z\":-1},\"unknown\":[1]}";

	all_datum(&want);
	ak_error_clear(&err);
	rc = ak_encode_json(e, avro, strlen(avro), &used, &err);
	CHECK_RC(rc, AK_OK, &err, "ak_encode_json of Avro JSON");
	CHECK(used == strlen(avro) - strlen(" {\"next\":1}"), "*used stops after the first value "
	      "(%zu)", used);
	datum_is(e, &want, "ak_encode_json gives the bytes the puts give");
	rc = ak_encode_json(e, "  \n ", 4, &used, &err);
	CHECK(rc == AK_EOF && used == 0, "only white space: AK_EOF");
	rc = ak_encode_json(e, NULL, 0, &used, &err);
	CHECK(rc == AK_EOF, "no text: AK_EOF");
	rc = ak_encode_json(e, NULL, 3, &used, &err);
	CHECK(rc == AK_E_ARG, "NULL text of 3 bytes: AK_E_ARG");
	ak_error_clear(&err);
	rc = ak_encode_json(e, "{\"n\":null,\n\"b\":5}", 17, &used, &err);
	CHECK(rc == AK_E_JSON && err.line == 2 && err.column > 0 && strcmp(err.path, "b") == 0,
	      "a JSON error has line, column and path (%s)", errstr(&err));
	/* a JSON error is not sticky: the next value goes */
	rc = ak_encode_json(e, avro, strlen(avro), &used, &err);
	CHECK(rc == AK_OK, "after a JSON error the next value encodes");
	datum_is(e, &want, "... to the same bytes, without the failed one's");
	/* puts and JSON mix */
	put_all(e, 0, 0);
	rc = ak_encode_json(e, avro, strlen(avro), &used, &err);
	{
		struct bin two = want;

		bin_raw(&two, want.b, want.n);
		datum_is(e, &two, "a datum from puts, then one from JSON");
	}
	ak_encoder_free(e);

	/* plain JSON, base64, unknown fields ignored */
	ep = encoder(s, AK_JSON_PLAIN | AK_JSON_BYTES_BASE64 | AK_JSON_IGNORE_UNKNOWN);
	ak_error_clear(&err);
	rc = ak_encode_json(ep, plain, strlen(plain), &used, &err);
	CHECK_RC(rc, AK_OK, &err, "ak_encode_json of plain JSON (base64, unknown field)");
	datum_is(ep, &want, "plain JSON gives the same bytes");
	ak_encoder_free(ep);
	ep = encoder(s, AK_JSON_PLAIN | AK_JSON_BYTES_BASE64);
	rc = ak_encode_json(ep, plain, strlen(plain), &used, &err);
	CHECK(rc == AK_E_JSON && strstr(err.msg, "unknown"), "without AK_JSON_IGNORE_UNKNOWN the "
	      "unknown field is an error (%s)", errstr(&err));
	ak_encoder_free(ep);
	ak_schema_free(s);
}

/* Round trips: encode, decode, the same values; decoding and encoding again, the same bytes. */
static void test_round_trips(void)
{
	struct ak_schema *s = schema_or_die(
		"{\"type\":\"record\",\"name\":\"T\",\"fields\":["
		"{\"name\":\"i\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
		"{\"name\":\"l\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
		"{\"name\":\"f\",\"type\":{\"type\":\"array\",\"items\":\"float\"}},"
		"{\"name\":\"d\",\"type\":{\"type\":\"array\",\"items\":\"double\"}},"
		"{\"name\":\"s\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
		"{\"name\":\"nest\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"map\","
		"\"values\":{\"type\":\"record\",\"name\":\"P\",\"fields\":["
		"{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":[\"null\",\"string\"]},"
		"{\"name\":\"c\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}]}}}}"
		"]}");
	struct ak_encoder *e = encoder(s, 0);
	struct ak_decoder *d = ak_decoder_new(s, NULL, NULL);
	static const int32_t ints[] = { 0, 1, -1, 63, -64, 64, -65, INT32_MAX, INT32_MIN };
	static const int64_t longs[] = { 0, 1, -1, INT64_MAX, INT64_MIN, (int64_t)1 << 35 };
	const float floats[] = { 0.0f, -0.0f, 1.0f / 3, FLT_MAX, FLT_MIN, INFINITY, -INFINITY, NAN };
	const double doubles[] = { 0.0, -0.0, 0.1, DBL_MAX, DBL_MIN, 4.9e-324, INFINITY, NAN };
	static char big[1000];
	const void *p;
	size_t n, used;
	const struct ak_value *v, *f;
	struct ak_error err;
	int rc, ok = 1;

	memset(big, 'x', sizeof(big));
	ak_put_record(e, NULL);
	/* out of order, nested, with a 200-item array (a two-byte count put in front) */
	ak_put_field(e, "nest", NULL);
	ak_put_array(e, NULL);
	for (int k = 0; k < 3; k++) {
		ak_put_map(e, NULL);
		for (int j = 0; j < k; j++) {
			char key[8];

			snprintf(key, sizeof(key), "k%d", j);
			ak_put_key(e, key, strlen(key), NULL);
			ak_put_record(e, NULL);
			ak_put_field(e, "c", NULL);
			ak_put_array(e, NULL);
			for (int q = 0; q < 200; q++)
				ak_put_int(e, q - 100, NULL);
			ak_put_end(e, NULL);
			if (j) {
				ak_put_field(e, "b", NULL);
				ak_put_string(e, key, strlen(key), NULL);
			} else {
				ak_put_field(e, "b", NULL);
				ak_put_null(e, NULL);
			}
			ak_put_field(e, "a", NULL);
			ak_put_int(e, 10 * k + j, NULL);
			ak_put_end(e, NULL);
		}
		ak_put_end(e, NULL);
	}
	ak_put_end(e, NULL);
	ak_put_field(e, "s", NULL);
	ak_put_array(e, NULL);
	ak_put_string(e, "", 0, NULL);
	ak_put_string(e, big, sizeof(big), NULL);
	ak_put_end(e, NULL);
	ak_put_field(e, "d", NULL);
	ak_put_array(e, NULL);
	for (size_t k = 0; k < sizeof(doubles) / sizeof(doubles[0]); k++)
		ak_put_double(e, doubles[k], NULL);
	ak_put_end(e, NULL);
	ak_put_field(e, "f", NULL);
	ak_put_array(e, NULL);
	for (size_t k = 0; k < sizeof(floats) / sizeof(floats[0]); k++)
		ak_put_float(e, floats[k], NULL);
	ak_put_end(e, NULL);
	ak_put_field(e, "l", NULL);
	ak_put_array(e, NULL);
	for (size_t k = 0; k < sizeof(longs) / sizeof(longs[0]); k++)
		ak_put_long(e, longs[k], NULL);
	ak_put_end(e, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_array(e, NULL);
	for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
		ak_put_int(e, ints[k], NULL);
	ak_put_end(e, NULL);
	ak_put_end(e, NULL);
	ak_error_clear(&err);
	rc = ak_encoder_datum(e, &p, &n, &err);
	CHECK_RC(rc, AK_OK, &err, "a big nested datum, fields out of order");
	if (rc != AK_OK || !d)
		goto out;
	rc = ak_decode_value(d, p, n, &used, &v, &err);
	CHECK(rc == AK_OK && used == n, "it decodes, to its end (%s)", errstr(&err));
	if (rc != AK_OK)
		goto out;
	f = ak_value_field(v, "i");
	for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
		ok &= ak_value_long(ak_value_at(f, k)) == ints[k];
	CHECK(ok && ak_value_count(f) == sizeof(ints) / sizeof(ints[0]), "ints come back");
	f = ak_value_field(v, "l");
	ok = ak_value_count(f) == sizeof(longs) / sizeof(longs[0]);
	for (size_t k = 0; k < sizeof(longs) / sizeof(longs[0]); k++)
		ok &= ak_value_long(ak_value_at(f, k)) == longs[k];
	CHECK(ok, "longs come back, INT64_MIN and INT64_MAX too");
	f = ak_value_field(v, "f");
	ok = ak_value_count(f) == sizeof(floats) / sizeof(floats[0]);
	for (size_t k = 0; ok && k < sizeof(floats) / sizeof(floats[0]); k++) {
		float x = (float)ak_value_double(ak_value_at(f, k));

		ok &= isnan(floats[k]) ? isnan(x) : memcmp(&x, &floats[k], 4) == 0;
	}
	CHECK(ok, "floats come back bit for bit (-0, infinities, NaN)");
	f = ak_value_field(v, "d");
	ok = ak_value_count(f) == sizeof(doubles) / sizeof(doubles[0]);
	for (size_t k = 0; ok && k < sizeof(doubles) / sizeof(doubles[0]); k++) {
		double x = ak_value_double(ak_value_at(f, k));

		ok &= isnan(doubles[k]) ? isnan(x) : memcmp(&x, &doubles[k], 8) == 0;
	}
	CHECK(ok, "doubles come back bit for bit (a subnormal too)");
	f = ak_value_field(v, "s");
	CHECK(ak_value_count(f) == 2 && ak_value_bytes(ak_value_at(f, 0), &n) && n == 0 &&
	      ak_value_bytes(ak_value_at(f, 1), &n) && n == sizeof(big), "strings: empty and 1000 "
	      "bytes");
	f = ak_value_field(v, "nest");
	ok = ak_value_count(f) == 3;
	for (size_t k = 0; ok && k < 3; k++) {
		const struct ak_value *m = ak_value_at(f, k);

		ok &= ak_value_count(m) == k;
		for (size_t j = 0; ok && j < k; j++) {
			const struct ak_value *r = ak_value_at(m, j), *c = ak_value_field(r, "c");

			ok &= ak_value_long(ak_value_field(r, "a")) == (int64_t)(10 * k + j);
			ok &= ak_value_branch(ak_value_field(r, "b")) == (j ? 1 : 0);
			ok &= ak_value_count(c) == 200 && ak_value_long(ak_value_at(c, 0)) == -100 &&
			      ak_value_long(ak_value_at(c, 199)) == 99;
		}
	}
	CHECK(ok, "the nested arrays, maps and out-of-order records come back");
out:
	ak_decoder_free(d);
	ak_encoder_free(e);
	ak_schema_free(s);
}

/* max_depth of the encoder */
static void test_depth(void)
{
	struct ak_schema *s = schema_or_die("{\"type\":\"array\",\"items\":{\"type\":\"array\","
					    "\"items\":{\"type\":\"array\",\"items\":\"int\"}}}");
	struct ak_encoder_opts o;
	struct ak_encoder *e;
	struct ak_error err;
	int rc;

	ak_encoder_opts_init(&o);
	o.max_depth = 2;
	e = ak_encoder_new(s, &o, NULL);
	ak_put_array(e, NULL);
	ak_put_array(e, NULL);
	ak_error_clear(&err);
	rc = ak_put_array(e, &err);
	CHECK(rc == AK_E_LIMIT, "a third level with max_depth 2: AK_E_LIMIT (%s)", errstr(&err));
	ak_encoder_free(e);
	o.max_depth = 0; /* the default */
	e = ak_encoder_new(s, &o, NULL);
	ak_put_array(e, NULL);
	ak_put_array(e, NULL);
	rc = ak_put_array(e, NULL);
	CHECK(rc == AK_OK, "max_depth 0 is the default (1000)");
	ak_encoder_free(e);
	ak_schema_free(s);
}

int main(void)
{
	test_all();
	test_matrix();
	test_unions();
	test_errors();
	test_state();
	test_sticky();
	test_defaults();
	test_json();
	test_round_trips();
	test_depth();
	return tap_done();
}
