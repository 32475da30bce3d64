/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schemaless datums through avrokit.h (ak_decoder): the exact visitor events for a datum of
 * every type, then through a reader schema (promotions arrive as the reader's type, writer-only
 * fields are skipped, reader-only fields come last with their defaults, enum symbols and
 * union branches are mapped); value trees and every accessor; JSON text in every flag
 * combination against known text; skipping; callbacks that stop; the visitor's size; and the
 * errors of bad data, with the path of the value.
 */
#include <stddef.h>

#include "fixtures.h"

/* ---- a visitor that logs every event as text ---- */

struct log {
	char s[8192];
	size_t n;
	int stop_at;      /* return stop_rc at this event (counted from 1); 0: never */
	int stop_rc;
	int events;
	int bad_type;     /* a callback got a type node of another type */
};

__attribute__((format(printf, 2, 3)))
static int logf_(struct log *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(l->s) - l->n)
		l->n += (size_t)n;
	l->events++;
	return l->stop_at && l->events == l->stop_at ? l->stop_rc : 0;
}

/* "int" or "int/date": the type a scalar arrived with. */
static const char *tname(const struct ak_node *t)
{
	static char buf[64];

	if (ak_node_logical_name(t))
		snprintf(buf, sizeof(buf), "%s/%s", ak_type_name(ak_node_type(t)),
			 ak_node_logical_name(t));
	else
		snprintf(buf, sizeof(buf), "%s", ak_type_name(ak_node_type(t)));
	return buf;
}

static void want_type(struct log *l, const struct ak_node *t, enum ak_type want)
{
	if (!t || ak_node_type(t) != want)
		l->bad_type++;
}

static int l_null(void *c, const struct ak_node *t)
{
	want_type(c, t, AK_NULL);
	return logf_(c, " null");
}

static int l_boolean(void *c, const struct ak_node *t, int v)
{
	want_type(c, t, AK_BOOLEAN);
	return logf_(c, " boolean:%d", v);
}

static int l_int(void *c, const struct ak_node *t, int32_t v)
{
	want_type(c, t, AK_INT);
	return logf_(c, " %s:%d", tname(t), (int)v);
}

static int l_long(void *c, const struct ak_node *t, int64_t v)
{
	want_type(c, t, AK_LONG);
	return logf_(c, " %s:%lld", tname(t), (long long)v);
}

static int l_float(void *c, const struct ak_node *t, float v)
{
	want_type(c, t, AK_FLOAT);
	return logf_(c, " float:%g", (double)v);
}

static int l_double(void *c, const struct ak_node *t, double v)
{
	want_type(c, t, AK_DOUBLE);
	return logf_(c, " double:%g", v);
}

static int l_bytes(void *c, const struct ak_node *t, const void *p, size_t n)
{
	want_type(c, t, AK_BYTES);
	return logf_(c, " %s:%s", tname(t), hexstr(p, n));
}

static int l_string(void *c, const struct ak_node *t, const char *p, size_t n)
{
	want_type(c, t, AK_STRING);
	return logf_(c, " %s:%.*s", tname(t), (int)n, p);
}

static int l_fixed(void *c, const struct ak_node *t, const void *p, size_t n)
{
	want_type(c, t, AK_FIXED);
	return logf_(c, " fixed(%s):%s", ak_node_fullname(t), hexstr(p, n));
}

static int l_enum(void *c, const struct ak_node *t, uint32_t i)
{
	want_type(c, t, AK_ENUM);
	return logf_(c, " enum:%u=%s", i, ak_node_symbol(t, i) ? ak_node_symbol(t, i) : "?");
}

static int l_rbegin(void *c, const struct ak_node *t)
{
	want_type(c, t, AK_RECORD);
	return logf_(c, " rec{%s", ak_node_fullname(t));
}

static int l_rfield(void *c, const struct ak_node *t, uint32_t i)
{
	want_type(c, t, AK_RECORD);
	return logf_(c, " .%s", ak_node_field_name(t, i) ? ak_node_field_name(t, i) : "?");
}

static int l_rend(void *c, const struct ak_node *t)
{
	want_type(c, t, AK_RECORD);
	return logf_(c, " }rec");
}

static int l_abegin(void *c, const struct ak_node *t, uint64_t hint)
{
	want_type(c, t, AK_ARRAY);
	return logf_(c, " array[%llu", (unsigned long long)hint);
}

static int l_aend(void *c, const struct ak_node *t)
{
	want_type(c, t, AK_ARRAY);
	return logf_(c, " ]array");
}

static int l_mbegin(void *c, const struct ak_node *t, uint64_t hint)
{
	want_type(c, t, AK_MAP);
	return logf_(c, " map{%llu", (unsigned long long)hint);
}

static int l_mkey(void *c, const struct ak_node *t, const char *k, size_t n)
{
	want_type(c, t, AK_MAP);
	return logf_(c, " key:%.*s", (int)n, k);
}

static int l_mend(void *c, const struct ak_node *t)
{
	want_type(c, t, AK_MAP);
	return logf_(c, " }map");
}

static int l_union(void *c, const struct ak_node *t, uint32_t i)
{
	want_type(c, t, AK_UNION);
	return logf_(c, " branch:%u", i);
}

static const struct ak_visitor logv = {
	sizeof(struct ak_visitor), l_null, l_boolean, l_int, l_long, l_float, l_double, l_bytes,
	l_string, l_fixed, l_enum, l_rbegin, l_rfield, l_rend, l_abegin, l_aend, l_mbegin, l_mkey,
	l_mend, l_union,
};

static struct ak_decoder *decoder(const struct ak_schema *w, const struct ak_schema *r,
				  unsigned json_flags)
{
	struct ak_decoder_opts o;
	struct ak_error err;
	struct ak_decoder *d;

	ak_decoder_opts_init(&o);
	o.reader = r;
	o.json_flags = json_flags;
	ak_error_clear(&err);
	if (!(d = ak_decoder_new(w, &o, &err))) {
		printf("Bail out! ak_decoder_new: %s\n", errstr(&err));
		exit(1);
	}
	return d;
}

/* Decode @p..@n into the log; the status. */
static int visit(struct ak_decoder *d, const void *p, size_t n, size_t *used, struct log *l,
		 struct ak_error *err)
{
	memset(l, 0, sizeof(*l));
	ak_error_clear(err);
	return ak_decode(d, p, n, used, &logv, l, err);
}

static const char all_events[] =
	" rec{t.All .n null .b boolean:1 .i int:-3 .l long:1234567890123 .f float:1.5"
	" .d double:-0.25 .by bytes:00 ff .s string:h\xc3\xa9llo .e enum:2=CLUBS"
	" .x fixed(t.F2):61 62 .a array[2 int:1 int:-1 ]array .m map{1 key:k long:7 }map"
	" .u branch:1 string:u .date int/date:19000 .ts long/timestamp-millis:1700000000000"
	" .dec bytes/decimal:30 39 .id string/uuid:" ALL_UUID " .sub rec{t.Sub .z int:9 }rec"
	" .o branch:1 rec{t.Sub .z int:-1 }rec }rec";

static void test_visitor(void)
{
	struct ak_schema *s = schema_or_die(all_schema);
	struct ak_decoder *d = decoder(s, NULL, 0);
	struct ak_error err;
	struct log l;
	struct bin b;
	size_t used = 0;
	int rc;

	all_datum(&b);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK_RC(rc, AK_OK, &err, "a datum of every type decodes");
	CHECK(strcmp(l.s, all_events) == 0, "the exact events, in order (got:%s)", l.s);
	CHECK(l.bad_type == 0, "every callback got a type node of its own type");
	CHECK(used == b.n, "*used is the datum's length (%zu of %zu)", used, b.n);

	/* two datums back to back: *used says where the second starts */
	{
		unsigned char two[8192];

		memcpy(two, b.b, b.n);
		memcpy(two + b.n, b.b, b.n);
		rc = visit(d, two, 2 * b.n, &used, &l, &err);
		CHECK(rc == AK_OK && used == b.n, "with two datums in the buffer, the first is read "
		      "(%zu)", used);
		rc = visit(d, two + used, 2 * b.n - used, &used, &l, &err);
		CHECK(rc == AK_OK && used == b.n && strcmp(l.s, all_events) == 0,
		      "then the second, the same");
	}

	/* every callback optional: NULL ones are not called, the data is still checked */
	{
		struct ak_visitor none = AK_VISITOR_INIT;

		ak_error_clear(&err);
		rc = ak_decode(d, b.b, b.n, &used, &none, NULL, &err);
		CHECK(rc == AK_OK && used == b.n, "a visitor with no callbacks decodes");
		rc = ak_decode(d, b.b, b.n, &used, NULL, NULL, &err);
		CHECK(rc == AK_OK && used == b.n, "a NULL visitor decodes");
		rc = ak_decode(d, b.b, b.n - 1, &used, NULL, NULL, &err);
		CHECK(rc == AK_E_FORMAT && used == 0, "and still checks the data (%s)", errstr(&err));
	}

	/* the size field: callbacks beyond it are not read */
	{
		struct ak_visitor old = logv;

		old.size = offsetof(struct ak_visitor, on_string);
		memset(&l, 0, sizeof(l));
		rc = ak_decode(d, b.b, b.n, &used, &old, &l, &err);
		CHECK(rc == AK_OK && strcmp(l.s, " null boolean:1 int:-3 long:1234567890123 float:1.5"
					    " double:-0.25 bytes:00 ff int:1 int:-1 long:7"
					    " int/date:19000 long/timestamp-millis:1700000000000"
					    " bytes/decimal:30 39 int:9 int:-1") == 0,
		      "a visitor whose size ends before on_string gets only the callbacks before "
		      "it (%s)", l.s);
	}

	/* stopping */
	{
		memset(&l, 0, sizeof(l));
		l.stop_at = 4;
		l.stop_rc = 1;
		ak_error_clear(&err);
		rc = ak_decode(d, b.b, b.n, &used, &logv, &l, &err);
		CHECK(rc == AK_E_CALLBACK && err.code == AK_E_CALLBACK && used == 0,
		      "a callback returning 1 stops with AK_E_CALLBACK (%s)", errstr(&err));
		CHECK(l.events == 4, "no callback after the one that stopped (%d)", l.events);
		CHECK(strcmp(err.path, "b") == 0, "err->path says where it stopped (%s)", err.path);
		memset(&l, 0, sizeof(l));
		l.stop_at = 10;
		l.stop_rc = AK_E_VALUE;
		rc = ak_decode(d, b.b, b.n, &used, &logv, &l, &err);
		CHECK(rc == AK_E_VALUE && err.code == AK_E_VALUE, "a callback's own negative status is "
		      "passed on (%s)", errstr(&err));
	}

	/* skipping */
	ak_error_clear(&err);
	rc = ak_decode_skip(d, b.b, b.n, &used, &err);
	CHECK(rc == AK_OK && used == b.n, "ak_decode_skip takes the whole datum (%zu)", used);
	rc = ak_decode_skip(d, b.b, b.n - 3, &used, &err);
	CHECK(rc == AK_E_FORMAT && used == 0, "ak_decode_skip checks the data (%s)", errstr(&err));

	/* arguments */
	rc = ak_decode(NULL, b.b, b.n, &used, &logv, &l, &err);
	CHECK_RC(rc, AK_E_ARG, &err, "ak_decode with no decoder is AK_E_ARG");
	rc = ak_decode(d, NULL, 5, &used, &logv, &l, &err);
	CHECK_RC(rc, AK_E_ARG, &err, "ak_decode with NULL data of 5 bytes is AK_E_ARG");
	rc = ak_decode_skip(NULL, b.b, b.n, NULL, NULL);
	CHECK(rc == AK_E_ARG, "ak_decode_skip with no decoder and no error struct is AK_E_ARG");
	{
		struct ak_decoder *d2;

		ak_error_clear(&err);
		d2 = ak_decoder_new(NULL, NULL, &err);
		CHECK(!d2 && err.code == AK_E_ARG, "ak_decoder_new(NULL) is AK_E_ARG (%s)",
		      errstr(&err));
		d2 = ak_decoder_new(s, NULL, &err);
		CHECK(d2 != NULL, "ak_decoder_new with NULL options takes the defaults");
		ak_decoder_free(d2);
	}
	ak_decoder_free(d);
	ak_schema_free(s);
}

/* A datum with no bytes: null, a record of nothing, an empty array. */
static void test_empty(void)
{
	struct ak_schema *s = schema_or_die("\"null\"");
	struct ak_decoder *d = decoder(s, NULL, 0);
	struct ak_error err;
	struct log l;
	size_t used = 99;
	int rc;

	rc = visit(d, NULL, 0, &used, &l, &err);
	CHECK(rc == AK_OK && used == 0 && strcmp(l.s, " null") == 0, "null from no bytes (NULL, 0)");
	ak_decoder_free(d);
	ak_schema_free(s);
}

/* Arrays and maps in several blocks, with negative counts (and sizes). */
static void test_blocks(void)
{
	struct ak_schema *s = schema_or_die("{\"type\":\"record\",\"name\":\"B\",\"fields\":["
					    "{\"name\":\"a\",\"type\":{\"type\":\"array\","
					    "\"items\":\"long\"}},{\"name\":\"m\",\"type\":"
					    "{\"type\":\"map\",\"values\":\"string\"}}]}");
	struct ak_decoder *d = decoder(s, NULL, 0);
	struct ak_error err;
	struct log l;
	struct bin b = { { 0 }, 0 };
	size_t used;
	int rc;

	bin_long(&b, -2);       /* two items, 2 bytes */
	bin_long(&b, 2);
	bin_long(&b, 1);
	bin_long(&b, -1);
	bin_long(&b, 1);        /* one more */
	bin_long(&b, 30);
	bin_long(&b, 0);
	bin_long(&b, -1);       /* one entry, 4 bytes */
	bin_long(&b, 4);
	bin_str(&b, "a", 1);
	bin_str(&b, "x", 1);
	bin_long(&b, 1);
	bin_str(&b, "b", 1);
	bin_str(&b, "", 0);
	bin_long(&b, 0);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK_RC(rc, AK_OK, &err, "arrays and maps in several blocks, negative counts with sizes");
	CHECK(strcmp(l.s, " rec{B .a array[2 long:1 long:-1 long:30 ]array .m map{1 key:a string:x"
		      " key:b string: }map }rec") == 0 && used == b.n,
	      "the items of every block, the first block's count as the hint (%s)", l.s);
	/* JSON gets them all too */
	{
		struct membuf m = MEMBUF_INIT;

		rc = ak_decode_json(d, b.b, b.n, &used, membuf_write, &m, &err);
		CHECK(rc == AK_OK && strcmp(membuf_str(&m), "{\"a\":[1,-1,30],\"m\":{\"a\":\"x\","
					    "\"b\":\"\"}}") == 0, "as JSON: %s", membuf_str(&m));
		membuf_free(&m);
	}
	/* a declared block size is not used (as Java, Python and fastavro do): the same value
	 * whatever follows */
	for (int extra = 0; extra < 2; extra++) {
		struct bin m = { { 0 }, 0 };

		bin_long(&m, -1);       /* one item, declared as 5 bytes: it takes 1 */
		bin_long(&m, 5);
		bin_long(&m, 7);
		bin_long(&m, 0);
		bin_long(&m, 0);        /* the map */
		if (extra)
			bin_raw(&m, "\0\0\0\0\0\0\0\0", 8);
		rc = visit(d, m.b, m.n, &used, &l, &err);
		CHECK(rc == AK_OK && used == m.n - (extra ? 8 : 0),
		      "an array block whose declared size is not its items' bytes decodes%s "
		      "(rc %d, used %zu: %s)", extra ? ", with bytes after the datum" : "", rc,
		      used, rc ? errstr(&err) : "ok");
	}
	ak_decoder_free(d);
	ak_schema_free(s);
}

/* ---- resolution ---- */

static const char res_writer[] =
	"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":["
	"{\"name\":\"a\",\"type\":\"int\"},"
	"{\"name\":\"gone\",\"type\":{\"type\":\"record\",\"name\":\"G\",\"fields\":["
	"{\"name\":\"g\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}},"
	"{\"name\":\"b\",\"type\":\"float\"},"
	"{\"name\":\"s\",\"type\":\"string\"},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\","
	"\"X\"]}},"
	"{\"name\":\"u\",\"type\":[\"null\",\"int\",\"string\"]},"
	"{\"name\":\"v\",\"type\":\"int\"},"
	"{\"name\":\"w\",\"type\":[\"null\",\"long\"]},"
	"{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"int\"}}"
	"]}";

static const char res_reader[] =
	"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":["
	"{\"name\":\"b\",\"type\":\"double\"},"
	"{\"name\":\"a\",\"type\":\"long\"},"
	"{\"name\":\"s\",\"type\":\"bytes\"},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"C\",\"A\",\"B\","
	"\"D\"],\"default\":\"D\"}},"
	"{\"name\":\"u\",\"type\":[\"string\",\"null\",\"long\"]},"
	"{\"name\":\"v\",\"type\":[\"null\",\"double\"]},"
	"{\"name\":\"w\",\"type\":\"long\"},"
	"{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":\"double\"}},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
	"{\"name\":\"extra\",\"type\":\"int\",\"default\":42},"
	"{\"name\":\"extra2\",\"type\":\"string\",\"default\":\"dflt\"},"
	"{\"name\":\"extra3\",\"type\":\"E\",\"default\":\"B\"},"
	"{\"name\":\"extra4\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\"}],"
	"\"default\":null},"
	"{\"name\":\"extra5\",\"type\":{\"type\":\"record\",\"name\":\"P\",\"fields\":["
	"{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":{\"type\":\"map\","
	"\"values\":\"boolean\"}}]},\"default\":{\"x\":-5,\"y\":{\"q\":true}}}"
	"]}";

/* A datum of res_writer: e is symbol @sym, w takes branch @wbranch. */
static void res_datum(struct bin *o, int sym, int wbranch)
{
	o->n = 0;
	bin_long(o, 5);                 /* a */
	bin_long(o, 1);                 /* gone.g: ["zz"] */
	bin_str(o, "zz", 2);
	bin_long(o, 0);
	bin_float(o, 2.5f);             /* b */
	bin_str(o, "hi", 2);            /* s */
	bin_long(o, sym);               /* e */
	bin_long(o, 1);                 /* u: int 7 */
	bin_long(o, 7);
	bin_long(o, 3);                 /* v */
	bin_long(o, wbranch);           /* w */
	if (wbranch)
		bin_long(o, 9);
	bin_long(o, 1);                 /* arr: [1] */
	bin_long(o, 1);
	bin_long(o, 0);
	bin_long(o, 1);                 /* m: {"k": 2} */
	bin_str(o, "k", 1);
	bin_long(o, 2);
	bin_long(o, 0);
}

static void test_resolution(void)
{
	struct ak_schema *w = schema_or_die(res_writer), *r = schema_or_die(res_reader);
	struct ak_decoder *d = decoder(w, r, 0);
	struct ak_error err;
	struct log l;
	struct bin b;
	size_t used;
	int rc;
	static const char tail[] =
		" .extra int:42 .extra2 string:dflt .extra3 enum:2=B .extra4 branch:0 null"
		" .extra5 rec{t.P .x int:-5 .y map{1 key:q boolean:1 }map }rec }rec";
	char want[2048];

	res_datum(&b, 1, 1);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK_RC(rc, AK_OK, &err, "a datum read with a reader schema");
	snprintf(want, sizeof(want),
		 " rec{t.R .a long:5 .b double:2.5 .s bytes:68 69 .e enum:2=B"
		 " .u branch:2 long:7 .v branch:1 double:3 .w long:9 .arr array[1 double:1 ]array"
		 " .m map{1 key:k long:2 }map%s", tail);
	CHECK(strcmp(l.s, want) == 0, "events: the writer's order, reader's types and field "
	      "indexes, writer-only fields skipped, defaults last (got:%s)", l.s);
	CHECK(l.bad_type == 0, "promoted values arrive with the reader's type nodes");
	CHECK(used == b.n, "all of the writer's bytes are read (%zu of %zu)", used, b.n);

	/* a symbol the reader lacks: the reader's default symbol */
	res_datum(&b, 3, 1);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK(rc == AK_OK && strstr(l.s, " .e enum:3=D "), "writer symbol X becomes the reader's "
	      "default D (%s)", errstr(&err));
	res_datum(&b, 0, 1);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK(rc == AK_OK && strstr(l.s, " .e enum:1=A "), "writer symbol A is the reader's 1");

	/* a writer branch the reader cannot take fails that datum only, naming the field */
	res_datum(&b, 1, 0);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK(rc == AK_E_FORMAT && strcmp(err.path, "w") == 0 && used == 0,
	      "a null where the reader has a long fails with the field's path (%s)", errstr(&err));
	res_datum(&b, 1, 1);
	rc = visit(d, b.b, b.n, &used, &l, &err);
	CHECK(rc == AK_OK, "the decoder goes on with the next datum");

	/* the same as a value tree */
	{
		const struct ak_value *v = NULL, *f;

		ak_error_clear(&err);
		rc = ak_decode_value(d, b.b, b.n, &used, &v, &err);
		CHECK_RC(rc, AK_OK, &err, "as a value tree");
		CHECK(v && ak_value_count(v) == 14, "the tree has the reader's 14 fields");
		f = v ? ak_value_at(v, 0) : NULL;
		CHECK(f && ak_value_type(f) == AK_DOUBLE && ak_value_double(f) == 2.5,
		      "field 0 is the reader's first, b, a double 2.5");
		f = v ? ak_value_field(v, "a") : NULL;
		CHECK(f && ak_value_type(f) == AK_LONG && ak_value_long(f) == 5, "a is a long 5");
		f = v ? ak_value_field(v, "extra") : NULL;
		CHECK(f && ak_value_long(f) == 42 && f == ak_value_at(v, 9), "extra is its default "
		      "42, in its place");
		f = v ? ak_value_field(v, "extra5") : NULL;
		CHECK(f && ak_value_long(ak_value_field(f, "x")) == -5 &&
		      ak_value_get(ak_value_field(f, "y"), "q") &&
		      ak_value_boolean(ak_value_get(ak_value_field(f, "y"), "q")) == 1,
		      "a record default, with its map");
		f = v ? ak_value_field(v, "u") : NULL;
		CHECK(f && ak_value_type(f) == AK_LONG && ak_value_branch(f) == 2 &&
		      ak_value_long(f) == 7, "u: the reader's branch 2, long 7");
		f = v ? ak_value_field(v, "v") : NULL;
		CHECK(f && ak_value_type(f) == AK_DOUBLE && ak_value_branch(f) == 1,
		      "v: an int written, read into the reader's union");
		f = v ? ak_value_field(v, "w") : NULL;
		CHECK(f && ak_value_type(f) == AK_LONG && ak_value_branch(f) == -1 &&
		      ak_value_long(f) == 9, "w: a union written, read as no union");
		CHECK(v && !ak_value_field(v, "gone"), "no field for the writer's \"gone\"");
		f = v ? ak_value_field(v, "extra4") : NULL;
		CHECK(f && ak_value_type(f) == AK_NULL && ak_value_branch(f) == 0,
		      "extra4: the null default, branch 0");
	}

	/* as JSON: the reader's field order */
	{
		struct membuf m = MEMBUF_INIT;

		ak_error_clear(&err);
		rc = ak_decode_json(d, b.b, b.n, &used, membuf_write, &m, &err);
		CHECK(rc == AK_OK && strcmp(membuf_str(&m),
					    "{\"b\":2.5,\"a\":5,\"s\":\"hi\",\"e\":\"B\","
					    "\"u\":{\"long\":7},\"v\":{\"double\":3.0},\"w\":9,"
					    "\"arr\":[1.0],\"m\":{\"k\":2},\"extra\":42,"
					    "\"extra2\":\"dflt\",\"extra3\":\"B\",\"extra4\":null,"
					    "\"extra5\":{\"x\":-5,\"y\":{\"q\":true}}}") == 0,
		      "as JSON, in the reader's field order: %s (%s)", membuf_str(&m), errstr(&err));
		membuf_free(&m);
	}
	ak_decoder_free(d);

	/* a reader that cannot read the writer at all */
	{
		struct ak_schema *bad = schema_or_die("\"string\"");
		struct ak_decoder_opts o;

		ak_decoder_opts_init(&o);
		o.reader = bad;
		ak_error_clear(&err);
		d = ak_decoder_new(w, &o, &err);
		CHECK(!d && err.code == AK_E_SCHEMA, "ak_decoder_new with an unreadable reader schema "
		      "is AK_E_SCHEMA (%s)", errstr(&err));
		ak_decoder_free(d);
		ak_schema_free(bad);
	}
	ak_schema_free(w);
	ak_schema_free(r);
}

/* ---- value trees ---- */

static void test_values(void)
{
	struct ak_schema *s = schema_or_die(all_schema);
	struct ak_decoder *d = decoder(s, NULL, 0);
	const struct ak_value *v = NULL, *f, *g;
	const struct ak_node *root = ak_schema_root(s);
	struct ak_error err;
	struct bin b;
	size_t used, n;
	const char *p;
	int rc;

	all_datum(&b);
	ak_error_clear(&err);
	rc = ak_decode_value(d, b.b, b.n, &used, &v, &err);
	CHECK_RC(rc, AK_OK, &err, "ak_decode_value");
	if (!v) {
		ak_decoder_free(d);
		ak_schema_free(s);
		return;
	}
	CHECK(used == b.n, "*used is the whole datum");
	CHECK(ak_value_type(v) == AK_RECORD && ak_value_node(v) == root && ak_value_branch(v) == -1 &&
	      ak_value_count(v) == F_COUNT, "root: a record of %d fields, its node, no branch",
	      F_COUNT);
	for (size_t i = 0; i < F_COUNT; i++) {
		f = ak_value_at(v, i);
		CHECK(f && ak_value_node(f) && (ak_value_type(f) == ak_node_type(ak_value_node(f))) &&
		      ak_value_field(v, ak_node_field_name(root, i)) == f,
		      "field %zu (%s): at and field agree, the type is its node's",
		      i, ak_node_field_name(root, i));
	}
	CHECK(!ak_value_at(v, F_COUNT) && !ak_value_field(v, "nope") && !ak_value_field(v, NULL),
	      "no field beyond the last, none by an unknown name");
	f = ak_value_field(v, "n");
	CHECK(f && ak_value_type(f) == AK_NULL, "n: null");
	f = ak_value_field(v, "b");
	CHECK(f && ak_value_type(f) == AK_BOOLEAN && ak_value_boolean(f) == 1, "b: true");
	f = ak_value_field(v, "i");
	CHECK(f && ak_value_type(f) == AK_INT && ak_value_long(f) == -3 &&
	      ak_value_double(f) == -3.0, "i: -3, also as a double");
	f = ak_value_field(v, "l");
	CHECK(f && ak_value_type(f) == AK_LONG && ak_value_long(f) == 1234567890123LL &&
	      ak_value_double(f) == 1234567890123.0, "l: 1234567890123");
	f = ak_value_field(v, "f");
	CHECK(f && ak_value_type(f) == AK_FLOAT && ak_value_double(f) == 1.5, "f: 1.5");
	f = ak_value_field(v, "d");
	CHECK(f && ak_value_type(f) == AK_DOUBLE && ak_value_double(f) == -0.25, "d: -0.25");
	f = ak_value_field(v, "by");
	p = f ? ak_value_bytes(f, &n) : NULL;
	CHECK(p && n == 2 && memcmp(p, "\x00\xff", 2) == 0 && ak_value_type(f) == AK_BYTES,
	      "by: the bytes 00 ff");
	f = ak_value_field(v, "s");
	p = f ? ak_value_string(f, &n) : NULL;
	CHECK(p && n == 6 && strcmp(p, "h\xc3\xa9llo") == 0, "s: the string, NUL-terminated too");
	CHECK(ak_value_string(f, NULL) == p, "the length pointer may be NULL");
	f = ak_value_field(v, "e");
	CHECK(f && ak_value_type(f) == AK_ENUM && ak_value_long(f) == 2 && ak_value_symbol(f) &&
	      strcmp(ak_value_symbol(f), "CLUBS") == 0, "e: index 2, symbol CLUBS");
	f = ak_value_field(v, "x");
	p = f ? ak_value_bytes(f, &n) : NULL;
	CHECK(p && n == 2 && memcmp(p, "ab", 2) == 0 && ak_value_type(f) == AK_FIXED, "x: fixed ab");
	f = ak_value_field(v, "a");
	CHECK(f && ak_value_type(f) == AK_ARRAY && ak_value_count(f) == 2 &&
	      ak_value_long(ak_value_at(f, 0)) == 1 && ak_value_long(ak_value_at(f, 1)) == -1 &&
	      !ak_value_at(f, 2), "a: [1, -1]");
	CHECK(f && ak_value_branch(ak_value_at(f, 0)) == -1 && !ak_value_key(f, 0, &n) && n == 0,
	      "array items have no branch and no key");
	f = ak_value_field(v, "m");
	p = f ? ak_value_key(f, 0, &n) : NULL;
	CHECK(f && ak_value_type(f) == AK_MAP && ak_value_count(f) == 1 && p && n == 1 &&
	      strcmp(p, "k") == 0, "m: one key, \"k\"");
	CHECK(f && ak_value_long(ak_value_at(f, 0)) == 7 && ak_value_get(f, "k") == ak_value_at(f, 0),
	      "m: its value 7, by index and by key");
	CHECK(f && !ak_value_get(f, "z") && !ak_value_key(f, 1, &n) && n == 0, "m: no key \"z\", no "
	      "second key");
	f = ak_value_field(v, "u");
	p = f ? ak_value_string(f, &n) : NULL;
	CHECK(f && ak_value_type(f) == AK_STRING && ak_value_branch(f) == 1 && p &&
	      strcmp(p, "u") == 0, "u: the union value is its branch's, branch 1, \"u\"");
	CHECK(f && ak_value_node(f) == ak_node_branch(ak_node_field_type(root, F_U), 1),
	      "u: its node is the branch's");
	f = ak_value_field(v, "date");
	CHECK(f && ak_value_type(f) == AK_INT && ak_value_long(f) == 19000 &&
	      ak_node_logical(ak_value_node(f)) == AK_LT_DATE, "date: the raw int, logical type "
	      "from its node");
	f = ak_value_field(v, "ts");
	CHECK(f && ak_value_long(f) == 1700000000000LL, "ts: the raw long");
	f = ak_value_field(v, "dec");
	p = f ? ak_value_bytes(f, &n) : NULL;
	CHECK(p && n == 2 && memcmp(p, "09", 2) == 0 &&
	      ak_node_scale(ak_value_node(f)) == 2, "dec: the raw bytes, scale from its node");
	f = ak_value_field(v, "sub");
	g = f ? ak_value_field(f, "z") : NULL;
	CHECK(f && ak_value_type(f) == AK_RECORD && ak_value_count(f) == 1 && g &&
	      ak_value_long(g) == 9, "sub: a record, z = 9");
	f = ak_value_field(v, "o");
	g = f ? ak_value_field(f, "z") : NULL;
	CHECK(f && ak_value_type(f) == AK_RECORD && ak_value_branch(f) == 1 && g &&
	      ak_value_long(g) == -1, "o: a record in a union, branch 1, z = -1");

	/* accessors on the wrong type give nothing */
	f = ak_value_field(v, "i");
	CHECK(ak_value_boolean(f) == 0 && !ak_value_bytes(f, &n) && n == 0 &&
	      !ak_value_string(f, NULL) && !ak_value_symbol(f) && ak_value_count(f) == 0 &&
	      !ak_value_at(f, 0) && !ak_value_field(f, "z") && !ak_value_key(f, 0, NULL) &&
	      !ak_value_get(f, "k"), "an int has no bytes, symbol, children, fields or keys");
	f = ak_value_field(v, "s");
	CHECK(ak_value_long(f) == 0 && ak_value_double(f) == 0, "a string has no number");
	CHECK(!ak_value_get(v, "n") && !ak_value_key(v, 0, NULL), "a record has no map keys");

	/* a null union branch, and duplicate map keys */
	{
		struct ak_schema *s2 = schema_or_die("{\"type\":\"record\",\"name\":\"Q\",\"fields\":["
						     "{\"name\":\"o\",\"type\":[\"null\",\"int\"]},"
						     "{\"name\":\"m\",\"type\":{\"type\":\"map\","
						     "\"values\":\"int\"}}]}");
		struct ak_decoder *d2 = decoder(s2, NULL, 0);
		struct bin q = { { 0 }, 0 };

		bin_long(&q, 0);
		bin_long(&q, 2);
		bin_str(&q, "k", 1);
		bin_long(&q, 1);
		bin_str(&q, "k", 1);
		bin_long(&q, 2);
		bin_long(&q, 0);
		rc = ak_decode_value(d2, q.b, q.n, &used, &v, &err);
		f = rc == AK_OK ? ak_value_field(v, "o") : NULL;
		CHECK(f && ak_value_type(f) == AK_NULL && ak_value_branch(f) == 0,
		      "a null in a union: type null, branch 0");
		f = rc == AK_OK ? ak_value_field(v, "m") : NULL;
		CHECK(f && ak_value_count(f) == 2 && ak_value_long(ak_value_get(f, "k")) == 2,
		      "a map with a key twice keeps both entries; ak_value_get gives the last");
		/* the tree of the next datum replaces it */
		q.n = 0;
		bin_long(&q, 1);
		bin_long(&q, 77);
		bin_long(&q, 0);
		rc = ak_decode_value(d2, q.b, q.n, &used, &v, &err);
		f = rc == AK_OK ? ak_value_field(v, "o") : NULL;
		CHECK(f && ak_value_long(f) == 77 && ak_value_branch(f) == 1 &&
		      ak_value_count(ak_value_field(v, "m")) == 0, "the next datum's tree");
		rc = ak_decode_value(d2, q.b, 1, &used, &v, &err);
		CHECK(rc == AK_E_FORMAT && v == NULL, "a bad datum gives no tree (%s)", errstr(&err));
		ak_decoder_free(d2);
		ak_schema_free(s2);
	}
	ak_decoder_free(d);
	ak_schema_free(s);
}

/* ---- JSON text ---- */

/* @tmpl with each "@K@" replaced by the value of @keys[i] = @vals[i]. */
static void subst(char *out, size_t size, const char *tmpl, const char *const *keys,
		  const char *const *vals, size_t nk)
{
	size_t n = 0;

	while (*tmpl && n + 1 < size) {
		size_t k;

		if (*tmpl == '@') {
			for (k = 0; k < nk; k++) {
				size_t kl = strlen(keys[k]);

				if (strncmp(tmpl + 1, keys[k], kl) == 0 && tmpl[1 + kl] == '@') {
					n += (size_t)snprintf(out + n, size - n, "%s", vals[k]);
					tmpl += kl + 2;
					break;
				}
			}
			if (k < nk)
				continue;
		}
		out[n++] = *tmpl++;
	}
	out[n < size ? n : size - 1] = '\0';
}

static const char compact[] =
	"{\"n\":null,\"b\":true,\"i\":-3,\"l\":1234567890123,\"f\":1.5,\"d\":-0.25,\"by\":@BY@,"
	"\"s\":\"h\xc3\xa9llo\",\"e\":\"CLUBS\",\"x\":@X@,\"a\":[1,-1],\"m\":{\"k\":7},\"u\":@U@,"
	"\"date\":@DATE@,\"ts\":@TS@,\"dec\":@DEC@,\"id\":\"" ALL_UUID "\",\"sub\":{\"z\":9},"
	"\"o\":@O@}";

static const char pretty[] =
	"{\n"
	"  \"n\" : null,\n"
	"  \"b\" : true,\n"
	"  \"i\" : -3,\n"
	"  \"l\" : 1234567890123,\n"
	"  \"f\" : 1.5,\n"
	"  \"d\" : -0.25,\n"
	"  \"by\" : @BY@,\n"
	"  \"s\" : \"h\xc3\xa9llo\",\n"
	"  \"e\" : \"CLUBS\",\n"
	"  \"x\" : @X@,\n"
	"  \"a\" : [ 1, -1 ],\n"
	"  \"m\" : {\n"
	"    \"k\" : 7\n"
	"  },\n"
	"  \"u\" : @U@,\n"
	"  \"date\" : @DATE@,\n"
	"  \"ts\" : @TS@,\n"
	"  \"dec\" : @DEC@,\n"
	"  \"id\" : \"" ALL_UUID "\",\n"
	"  \"sub\" : {\n"
	"    \"z\" : 9\n"
	"  },\n"
	"  \"o\" : @O@\n"
	"}";

static void test_json(void)
{
	struct ak_schema *s = schema_or_die(all_schema);
	static const char *const keys[] = { "BY", "X", "DEC", "U", "DATE", "TS", "O" };
	/* [bytes form][0: Avro JSON, 1: plain] for BY, X, DEC */
	static const char *const bytes_vals[3][2][3] = {
		{ { "\"\\u0000\\u00FF\"", "\"ab\"", "\"09\"" },
		  { "\"\\u0000\\u00FF\"", "\"ab\"", "\"123.45\"" } },
		{ { "\"AP8=\"", "\"YWI=\"", "\"MDk=\"" }, { "\"AP8=\"", "\"YWI=\"", "\"123.45\"" } },
		{ { "\"00ff\"", "\"6162\"", "\"3039\"" }, { "\"00ff\"", "\"6162\"", "\"123.45\"" } },
	};
	static const unsigned bytes_flags[3] = { 0, AK_JSON_BYTES_BASE64, AK_JSON_BYTES_HEX };
	static const char *const bytes_names[3] = { "code points", "base64", "hex" };
	struct bin b;

	all_datum(&b);
	for (int form = 0; form < 3; form++)
		for (int plain = 0; plain < 2; plain++)
			for (int pr = 0; pr < 2; pr++) {
				unsigned flags = bytes_flags[form] | (plain ? AK_JSON_PLAIN : 0) |
						 (pr ? AK_JSON_PRETTY : 0);
				const char *vals[7];
				char want[4096];
				struct membuf m = MEMBUF_INIT;
				struct ak_decoder *d = decoder(s, NULL, flags);
				struct ak_error err;
				size_t used = 0;
				int rc;

				vals[0] = bytes_vals[form][plain][0];
				vals[1] = bytes_vals[form][plain][1];
				vals[2] = bytes_vals[form][plain][2];
				vals[3] = plain ? "\"u\"" : pr ? "{\n    \"string\" : \"u\"\n  }"
							       : "{\"string\":\"u\"}";
				vals[4] = plain ? "\"2022-01-08\"" : "19000";
				vals[5] = plain ? "\"2023-11-14T22:13:20.000Z\"" : "1700000000000";
				vals[6] = plain ? (pr ? "{\n    \"z\" : -1\n  }" : "{\"z\":-1}")
						: (pr ? "{\n    \"t.Sub\" : {\n      \"z\" : -1\n    }\n  }"
						      : "{\"t.Sub\":{\"z\":-1}}");
				subst(want, sizeof(want), pr ? pretty : compact, keys, vals, 7);
				ak_error_clear(&err);
				rc = ak_decode_json(d, b.b, b.n, &used, membuf_write, &m, &err);
				CHECK(rc == AK_OK && used == b.n && strcmp(membuf_str(&m), want) == 0,
				      "JSON%s%s, bytes as %s: the known text (got: %s)",
				      pr ? ", pretty" : "", plain ? ", plain" : "", bytes_names[form],
				      rc == AK_OK ? membuf_str(&m) : errstr(&err));
				membuf_free(&m);
				ak_decoder_free(d);
				/* the input-only flags change nothing */
				d = decoder(s, NULL, flags | AK_JSON_IGNORE_UNKNOWN | AK_JSON_ARRAY);
				rc = ak_decode_json(d, b.b, b.n, &used, membuf_write, &m, &err);
				CHECK(rc == AK_OK && strcmp(membuf_str(&m), want) == 0,
				      "... and the same with the input-only flags");
				membuf_free(&m);
				ak_decoder_free(d);
			}
	/* a write callback that fails */
	{
		struct ak_decoder *d = decoder(s, NULL, 0);
		struct membuf m = MEMBUF_INIT;
		struct ak_error err;
		size_t used = 7;
		int rc;

		m.fail_after = 10;
		ak_error_clear(&err);
		rc = ak_decode_json(d, b.b, b.n, &used, membuf_write, &m, &err);
		CHECK(rc == AK_E_IO && err.sys_errno == ENOSPC && (err.flags & AK_ERROR_OUTPUT) &&
		      used == 0, "a failing write callback: AK_E_IO, its errno, AK_ERROR_OUTPUT (%s)",
		      errstr(&err));
		membuf_free(&m);
		rc = ak_decode_json(d, b.b, b.n, &used, NULL, NULL, &err);
		CHECK(rc == AK_OK && used == b.n, "a NULL write callback only checks");
		ak_decoder_free(d);
	}
	ak_schema_free(s);
}

/* ---- bad data ---- */

static void bad(struct ak_decoder *d, const struct bin *b, int code, const char *path,
		const char *msg, const char *what)
{
	struct ak_error err;
	size_t used = 77;
	int rc;

	ak_error_clear(&err);
	rc = ak_decode(d, b->b, b->n, &used, NULL, NULL, &err);
	CHECK(rc == code && err.code == code && strcmp(err.path, path) == 0 &&
	      strstr(err.msg, msg) && used == 0, "%s: %s at \"%s\" (%s; path \"%s\")", what,
	      ak_status_name(code), path, errstr(&err), err.path);
	/* the JSON and value paths say the same */
	{
		const struct ak_value *v;
		struct ak_error e2;

		ak_error_clear(&e2);
		rc = ak_decode_value(d, b->b, b->n, &used, &v, &e2);
		CHECK(rc == code && strcmp(e2.path, path) == 0 && !v, "%s: the same as a value tree",
		      what);
		ak_error_clear(&e2);
		rc = ak_decode_json(d, b->b, b->n, &used, NULL, NULL, &e2);
		CHECK(rc == code && strcmp(e2.path, path) == 0, "%s: the same as JSON (%s)", what,
		      errstr(&e2));
	}
}

static void test_bad_data(void)
{
	struct ak_schema *s = schema_or_die(
		"{\"type\":\"record\",\"name\":\"R\",\"fields\":["
		"{\"name\":\"b\",\"type\":\"boolean\"},"
		"{\"name\":\"i\",\"type\":\"int\"},"
		"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}},"
		"{\"name\":\"u\",\"type\":[\"null\",\"int\"]},"
		"{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
		"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"record\","
		"\"name\":\"In\",\"fields\":[{\"name\":\"zip\",\"type\":\"long\"}]}}}]}");
	struct ak_decoder *d = decoder(s, NULL, 0);
	struct bin b;

#define GOOD_UNTIL(stage)                                                                  \
	do {                                                                               \
		b.n = 0;                                                                   \
		if (stage > 0) bin_raw(&b, "\x01", 1);                                     \
		if (stage > 1) bin_long(&b, 5);                                            \
		if (stage > 2) bin_long(&b, 0);                                            \
		if (stage > 3) bin_long(&b, 0);                                            \
		if (stage > 4) { bin_long(&b, 1); bin_str(&b, "t", 1); bin_long(&b, 0); } \
	} while (0)

	GOOD_UNTIL(5);
	bin_long(&b, 1);
	bin_str(&b, "k", 1);
	bin_long(&b, 4);
	bin_long(&b, 0);
	{
		const struct ak_value *v;
		size_t used;

		CHECK(ak_decode_value(d, b.b, b.n, &used, &v, NULL) == AK_OK && used == b.n,
		      "the good datum decodes");
	}
	GOOD_UNTIL(0);
	bin_raw(&b, "\x02", 1);
	bad(d, &b, AK_E_FORMAT, "b", "boolean", "a boolean byte 2");
	GOOD_UNTIL(1);
	bin_long(&b, (int64_t)1 << 40);
	bad(d, &b, AK_E_FORMAT, "i", "out of range", "an int beyond 32 bits");
	GOOD_UNTIL(1);
	bin_raw(&b, "\xff\xff", 2);
	bad(d, &b, AK_E_FORMAT, "i", "", "an int cut short");
	GOOD_UNTIL(2);
	bin_long(&b, 1);
	bad(d, &b, AK_E_FORMAT, "e", "enum index 1", "an enum index out of range");
	GOOD_UNTIL(3);
	bin_long(&b, 2);
	bad(d, &b, AK_E_FORMAT, "u", "union branch index 2", "a union branch out of range");
	GOOD_UNTIL(3);
	bin_long(&b, -1);
	bad(d, &b, AK_E_FORMAT, "u", "", "a negative union branch");
	GOOD_UNTIL(4);
	bin_long(&b, 2);
	bin_str(&b, "a", 1);
	bin_long(&b, -3);
	bad(d, &b, AK_E_FORMAT, "tags[1]", "negative", "a negative string length in an array");
	GOOD_UNTIL(4);
	bin_long(&b, 1);
	bin_long(&b, 100);
	bin_raw(&b, "abc", 3);
	bad(d, &b, AK_E_FORMAT, "tags[0]", "", "a string longer than the datum");
	GOOD_UNTIL(4);
	bin_long(&b, 1000000);
	bad(d, &b, AK_E_FORMAT, "tags", "", "an array count the bytes cannot hold");
	GOOD_UNTIL(5);
	bin_long(&b, 1);
	bin_str(&b, "key", 3);
	bad(d, &b, AK_E_FORMAT, "m[\"key\"].zip", "", "a record in a map cut short");
	GOOD_UNTIL(5);
	bin_long(&b, 1);
	bin_long(&b, -2);
	bad(d, &b, AK_E_FORMAT, "m", "negative map key length", "a negative map key length");
#undef GOOD_UNTIL
	ak_decoder_free(d);
	ak_schema_free(s);
}

/* max_depth: values nested deeper than the option are refused */
static void test_depth(void)
{
	struct ak_schema *s = schema_or_die("{\"type\":\"record\",\"name\":\"N\",\"fields\":["
					    "{\"name\":\"next\",\"type\":[\"null\",\"N\"]}]}");
	struct ak_decoder_opts o;
	struct ak_decoder *d;
	struct ak_error err;
	struct bin b = { { 0 }, 0 };
	size_t used;
	int rc;

	for (int i = 0; i < 50; i++)
		bin_long(&b, 1);
	bin_long(&b, 0);
	ak_decoder_opts_init(&o);
	o.max_depth = 40;
	d = ak_decoder_new(s, &o, NULL);
	ak_error_clear(&err);
	rc = ak_decode(d, b.b, b.n, &used, NULL, NULL, &err);
	CHECK(rc == AK_E_LIMIT, "50 nested records with max_depth 40: AK_E_LIMIT (%s)",
	      errstr(&err));
	ak_decoder_free(d);
	o.max_depth = 1000;
	d = ak_decoder_new(s, &o, NULL);
	rc = ak_decode(d, b.b, b.n, &used, NULL, NULL, &err);
	CHECK(rc == AK_OK && used == b.n, "with max_depth 1000 they decode");
	ak_decoder_free(d);
	ak_schema_free(s);
}

int main(void)
{
	test_visitor();
	test_empty();
	test_blocks();
	test_resolution();
	test_values();
	test_json();
	test_bad_data();
	test_depth();
	return tap_done();
}
