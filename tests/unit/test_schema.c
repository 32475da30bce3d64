/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema parsing (schema.h): every type, names and namespaces, recursion, aliases, logical
 * types, and the invalid schemas the specification rules out, each with the message it must
 * give; object keys holding U+0000 (kept escaped inside, given back as written). Then the
 * Apache Avro C schema test vectors, when the corpus is present: the folder comes from
 * $AK_CORPUS, or from argv[1] (meson passes <repo>/../shared/corpus).
 */
#include "ak.h"
#include "text.h"

#include <jansson.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static struct ak_schema *parse(const char *json, struct ak_error *err)
{
	ak_error_clear(err);
	return ak_schema_parse(json, strlen(json), 0, err);
}

static int streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *str_or_null(const char *s)
{
	return s ? s : "(null)";
}

static const struct ak_field *field(const struct ak_node *n, const char *name)
{
	if (!n || n->type != AK_RECORD)
		return NULL;
	for (size_t i = 0; i < n->nfields; i++)
		if (streq(n->fields[i].name, name))
			return &n->fields[i];
	return NULL;
}

static const struct ak_node *ftype(const struct ak_node *n, const char *name)
{
	const struct ak_field *f = field(n, name);

	return f ? f->type : NULL;
}

/* ---- valid schemas ---- */

static void test_primitives(void)
{
	static const struct {
		const char *name;
		enum ak_type t;
	} prims[] = {
		{ "null", AK_NULL }, { "boolean", AK_BOOLEAN }, { "int", AK_INT },
		{ "long", AK_LONG }, { "float", AK_FLOAT }, { "double", AK_DOUBLE },
		{ "bytes", AK_BYTES }, { "string", AK_STRING },
	};
	struct ak_error err;

	for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]); i++) {
		char bare[64], obj[96];
		struct ak_schema *s;
		const struct ak_node *r;

		snprintf(bare, sizeof(bare), "\"%s\"", prims[i].name);
		snprintf(obj, sizeof(obj), "{\"type\": \"%s\", \"extra\": [1, 2]}", prims[i].name);
		s = parse(bare, &err);
		r = s ? ak_schema_root(s) : NULL;
		CHECK(r && r->type == prims[i].t && !r->fullname && r->logical == AK_LT_NONE,
		      "%s parses to type %d (%s)", bare, prims[i].t, s ? "" : ERRSTR(&err));
		CHECK(streq(ak_type_name(prims[i].t), prims[i].name), "ak_type_name(%d) = %s",
		      prims[i].t, prims[i].name);
		if (r)
			CHECK(streq(ak_node_branch_name(r), prims[i].name),
			      "branch name of %s is itself", prims[i].name);
		ak_schema_free(s);
		s = parse(obj, &err);
		r = s ? ak_schema_root(s) : NULL;
		CHECK(r && r->type == prims[i].t, "%s parses to type %d (%s)", obj, prims[i].t,
		      s ? "" : ERRSTR(&err));
		ak_schema_free(s);
	}
	CHECK(streq(ak_type_name(AK_RECORD), "record") && streq(ak_type_name(AK_FIXED), "fixed") &&
	      streq(ak_type_name(AK_UNION), "union"), "ak_type_name of complex types");
}

static void test_record(void)
{
	struct ak_error err;
	struct ak_schema *s = parse(
		"{\"type\": \"record\", \"name\": \"User\", \"namespace\": \"com.example\","
		" \"doc\": \"a user\", \"aliases\": [\"Person\", \"org.old.Member\"],"
		" \"fields\": ["
		"  {\"name\": \"id\", \"type\": \"long\", \"order\": \"descending\"},"
		"  {\"name\": \"name\", \"type\": \"string\", \"default\": \"anon\","
		"   \"aliases\": [\"username\", \"login\"]},"
		"  {\"name\": \"tags\", \"type\": {\"type\": \"array\", \"items\": \"string\"},"
		"   \"default\": [], \"order\": \"ignore\"},"
		"  {\"name\": \"props\", \"type\": {\"type\": \"map\", \"values\": \"int\"}},"
		"  {\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null},"
		"  {\"name\": \"kind\", \"type\": {\"type\": \"enum\", \"name\": \"Kind\","
		"   \"symbols\": [\"A\", \"B\", \"C\"], \"default\": \"B\"}},"
		"  {\"name\": \"hash\", \"type\": {\"type\": \"fixed\", \"name\": \"MD5\", "
		"\"size\": 16}}"
		"]}",
		&err);
	const struct ak_node *r, *t;
	const struct ak_field *f;

	if (!CHECK(s != NULL, "record with every kind of field parses (%s)", ERRSTR(&err)))
		return;
	r = ak_schema_root(s);
	CHECK(r->type == AK_RECORD && streq(r->name, "User") && streq(r->space, "com.example") &&
	      streq(r->fullname, "com.example.User"), "record names: %s / %s / %s",
	      str_or_null(r->name), str_or_null(r->space), str_or_null(r->fullname));
	CHECK(r->nfields == 7, "record has 7 fields (%zu)", r->nfields);
	CHECK(r->naliases == 2 && streq(r->aliases[0], "com.example.Person") &&
	      streq(r->aliases[1], "org.old.Member"),
	      "record aliases are full names in the record's namespace");
	CHECK(streq(ak_node_branch_name(r), "com.example.User"), "branch name is the full name");

	f = field(r, "id");
	CHECK(f && f == &r->fields[0] && f->type->type == AK_LONG && f->def == NULL &&
	      f->order == AK_ORDER_DESCENDING, "field id: long, no default, descending");
	f = field(r, "name");
	CHECK(f && f->type->type == AK_STRING && f->def != NULL && f->naliases == 2 &&
	      streq(f->aliases[0], "username") && streq(f->aliases[1], "login") &&
	      f->order == AK_ORDER_ASCENDING, "field name: string with default and aliases");
	f = field(r, "tags");
	CHECK(f && f->type->type == AK_ARRAY && f->type->items->type == AK_STRING &&
	      f->order == AK_ORDER_IGNORE && f->def, "field tags: array of string");
	t = ftype(r, "props");
	CHECK(t && t->type == AK_MAP && t->items && t->items->type == AK_INT, "field props: map");
	t = ftype(r, "email");
	CHECK(t && t->type == AK_UNION && t->nbranches == 2 && t->branches[0]->type == AK_NULL &&
	      t->branches[1]->type == AK_STRING, "field email: union of null and string");
	t = ftype(r, "kind");
	CHECK(t && t->type == AK_ENUM && streq(t->fullname, "com.example.Kind") &&
	      t->nsymbols == 3 && streq(t->symbols[0], "A") && streq(t->symbols[2], "C") &&
	      t->enum_default == 1, "enum Kind: inherits the namespace, 3 symbols, default B");
	t = ftype(r, "hash");
	CHECK(t && t->type == AK_FIXED && t->size == 16 && streq(t->fullname, "com.example.MD5") &&
	      streq(t->name, "MD5") && streq(t->space, "com.example"), "fixed MD5 of 16 bytes");

	/* node ids are dense and unique */
	{
		size_t n = ak_schema_node_count(s), bad = 0;
		unsigned char *seen = calloc(n ? n : 1, 1);
		const struct ak_node *all[] = { r,
						ftype(r, "id"),
						ftype(r, "tags"),
						ftype(r, "tags")->items,
						ftype(r, "props"),
						ftype(r, "email"),
						ftype(r, "kind"),
						ftype(r, "hash") };

		for (size_t i = 0; seen && i < sizeof(all) / sizeof(all[0]); i++) {
			if (all[i]->id >= n || seen[all[i]->id])
				bad++;
			else
				seen[all[i]->id] = 1;
		}
		CHECK(seen && bad == 0 && n >= 8, "node ids are unique and below the count (%zu)",
		      n);
		free(seen);
	}

	char *json = ak_schema_json(s, 0);
	CHECK(json && strstr(json, "\"com.example\"") && !strchr(json, '\n'),
	      "ak_schema_json gives one line holding the schema");
	free(json);
	json = ak_schema_json(s, 2);
	CHECK(json && strchr(json, '\n'), "ak_schema_json with indent spans lines");
	free(json);
	ak_schema_free(s);
	ak_schema_free(NULL);

	s = parse("{\"type\": \"error\", \"name\": \"Oops\", \"fields\": []}", &err);
	CHECK(s && ak_schema_root(s)->type == AK_RECORD && ak_schema_root(s)->nfields == 0 &&
	      ak_schema_root(s)->space == NULL, "an error type with no fields is a record (%s)",
	      ERRSTR(&err));
	ak_schema_free(s);

	/* a schema object where a type name belongs: Java, Python, avsc and avro-c refuse it */
	s = parse("{\"type\": {\"type\": {\"type\": \"array\", \"items\": \"int\"}}}", &err);
	CHECK(!s && strstr(ERRSTR(&err), "\"type\" holds a schema object where a type name belongs"),
	      "a schema wrapped in \"type\" objects is refused (%s)", ERRSTR(&err));
	ak_schema_free(s);
}

static void test_namespaces(void)
{
	struct ak_error err;
	struct ak_schema *s = parse(
		"{\"type\": \"record\", \"name\": \"Outer\", \"namespace\": \"a.b\", \"fields\": ["
		" {\"name\": \"inner\", \"type\": {\"type\": \"record\", \"name\": \"Inner\","
		"   \"fields\": [{\"name\": \"x\", \"type\": \"int\"}]}},"
		" {\"name\": \"again\", \"type\": \"Inner\"},"
		" {\"name\": \"full\", \"type\": \"a.b.Inner\"},"
		" {\"name\": \"other\", \"type\": {\"type\": \"record\", \"name\": \"Other\","
		"   \"namespace\": \"c\", \"fields\": ["
		"     {\"name\": \"deep\", \"type\": {\"type\": \"enum\", \"name\": \"Deep\","
		"       \"symbols\": [\"X\"]}},"
		"     {\"name\": \"back\", \"type\": \"a.b.Inner\"}]}},"
		" {\"name\": \"dotted\", \"type\": {\"type\": \"fixed\", \"name\": \"x.y.Z\","
		"   \"namespace\": \"ignored\", \"size\": 2}},"
		" {\"name\": \"nullns\", \"type\": {\"type\": \"record\", \"name\": \"Top\","
		"   \"namespace\": \"\", \"fields\": ["
		"     {\"name\": \"kid\", \"type\": {\"type\": \"fixed\", \"name\": \"Kid\", "
		"\"size\": 1}}]}},"
		" {\"name\": \"viaNull\", \"type\": {\"type\": \"record\", \"name\": \"Q\","
		"   \"namespace\": \"q\", \"fields\": [{\"name\": \"t\", \"type\": \"Top\"},"
		"     {\"name\": \"k\", \"type\": \"Kid\"}]}},"
		" {\"name\": \"z\", \"type\": \"x.y.Z\"}"
		"]}",
		&err);
	const struct ak_node *r, *inner, *other, *top, *q;

	if (!CHECK(s != NULL, "nested namespaces parse (%s)", ERRSTR(&err)))
		return;
	r = ak_schema_root(s);
	inner = ftype(r, "inner");
	CHECK(inner && streq(inner->fullname, "a.b.Inner") && streq(inner->space, "a.b"),
	      "a nested record inherits the enclosing namespace (%s)",
	      inner ? str_or_null(inner->fullname) : "?");
	CHECK(ftype(r, "again") == inner, "a bare reference resolves in the enclosing namespace");
	CHECK(ftype(r, "full") == inner, "a full-name reference resolves");
	other = ftype(r, "other");
	CHECK(other && streq(other->fullname, "c.Other"), "an explicit namespace applies");
	CHECK(other && ftype(other, "deep") && streq(ftype(other, "deep")->fullname, "c.Deep"),
	      "a type nested in namespace c inherits c");
	CHECK(other && ftype(other, "back") == inner, "a full name reaches across namespaces");
	CHECK(ftype(r, "dotted") && streq(ftype(r, "dotted")->fullname, "x.y.Z") &&
	      streq(ftype(r, "dotted")->name, "Z") && streq(ftype(r, "dotted")->space, "x.y"),
	      "a dotted name overrides the namespace attribute");
	CHECK(ftype(r, "z") == ftype(r, "dotted"), "x.y.Z is found by its full name");
	top = ftype(r, "nullns");
	CHECK(top && streq(top->fullname, "Top") && top->space == NULL,
	      "\"namespace\": \"\" puts a type in the null namespace (%s)",
	      top ? str_or_null(top->fullname) : "?");
	CHECK(top && ftype(top, "kid") && streq(ftype(top, "kid")->fullname, "Kid") &&
	      ftype(top, "kid")->space == NULL, "types inside it stay in the null namespace");
	q = ftype(r, "viaNull");
	CHECK(q && ftype(q, "t") == top && ftype(q, "k") == ftype(top, "kid"),
	      "a bare name not in the enclosing namespace falls back to the null namespace");
	ak_schema_free(s);

	/* the corpus' mutual recursion across two namespaces, written out here */
	s = parse("{\"type\": \"record\", \"name\": \"M\", \"namespace\": \"n1\", \"fields\": ["
		  " {\"name\": \"kids\", \"type\": {\"type\": \"array\", \"items\": {"
		  "   \"type\": \"record\", \"name\": \"M\", \"namespace\": \"n2\", \"fields\": ["
		  "     {\"name\": \"up\", \"type\": \"n1.M\"},"
		  "     {\"name\": \"same\", \"type\": \"M\"}]}}},"
		  " {\"name\": \"two\", \"type\": \"n2.M\"}]}", &err);
	if (CHECK(s != NULL, "same simple name in two namespaces (%s)", ERRSTR(&err))) {
		const struct ak_node *m1 = ak_schema_root(s), *m2 = ftype(m1, "kids")->items;

		CHECK(streq(m2->fullname, "n2.M") && ftype(m2, "up") == m1 &&
		      ftype(m2, "same") == m2 && ftype(m1, "two") == m2,
		      "n2.M's bare \"M\" is itself, n1.M is the outer record");
	}
	ak_schema_free(s);
}

static void test_recursion(void)
{
	struct ak_error err;
	struct ak_schema *s = parse(
		"{\"type\": \"record\", \"name\": \"Node\", \"fields\": ["
		" {\"name\": \"value\", \"type\": \"int\"},"
		" {\"name\": \"next\", \"type\": [\"null\", \"Node\"], \"default\": null},"
		" {\"name\": \"kids\", \"type\": {\"type\": \"array\", \"items\": \"Node\"}}]}",
		&err);

	if (CHECK(s != NULL, "recursive record parses (%s)", ERRSTR(&err))) {
		const struct ak_node *r = ak_schema_root(s), *next = ftype(r, "next");

		CHECK(next && next->type == AK_UNION && next->nbranches == 2 &&
		      next->branches[1] == r,
		      "the union's second branch is the record itself");
		CHECK(ftype(r, "kids") && ftype(r, "kids")->items == r,
		      "array items are the record");
		CHECK(streq(ak_node_branch_name(r), "Node"), "branch name of Node");
	}
	ak_schema_free(s);
}

static void test_logical(void)
{
	static const struct {
		const char *json;
		enum ak_type t;
		enum ak_logical lt;
		const char *lname;
		int precision, scale;
	} cases[] = {
		{ "{\"type\": \"int\", \"logicalType\": \"date\"}", AK_INT, AK_LT_DATE,
		  "date", 0, 0 },
		{ "{\"type\": \"int\", \"logicalType\": \"time-millis\"}", AK_INT,
		  AK_LT_TIME_MILLIS, "time-millis", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"time-micros\"}", AK_LONG,
		  AK_LT_TIME_MICROS, "time-micros", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", AK_LONG,
		  AK_LT_TIMESTAMP_MILLIS, "timestamp-millis", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"timestamp-micros\"}", AK_LONG,
		  AK_LT_TIMESTAMP_MICROS, "timestamp-micros", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"timestamp-nanos\"}", AK_LONG,
		  AK_LT_TIMESTAMP_NANOS, "timestamp-nanos", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"local-timestamp-millis\"}", AK_LONG,
		  AK_LT_LOCAL_TIMESTAMP_MILLIS, "local-timestamp-millis", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"local-timestamp-micros\"}", AK_LONG,
		  AK_LT_LOCAL_TIMESTAMP_MICROS, "local-timestamp-micros", 0, 0 },
		{ "{\"type\": \"long\", \"logicalType\": \"local-timestamp-nanos\"}", AK_LONG,
		  AK_LT_LOCAL_TIMESTAMP_NANOS, "local-timestamp-nanos", 0, 0 },
		{ "{\"type\": \"string\", \"logicalType\": \"uuid\"}", AK_STRING, AK_LT_UUID,
		  "uuid", 0, 0 },
		{ "{\"type\": \"fixed\", \"name\": \"U\", \"size\": 16, \"logicalType\": \"uuid\"}",
		  AK_FIXED, AK_LT_UUID, "uuid", 0, 0 },
		{ "{\"type\": \"fixed\", \"name\": \"D\", \"size\": 12, \"logicalType\": "
		  "\"duration\"}",
		  AK_FIXED, AK_LT_DURATION, "duration", 0, 0 },
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 10, "
		  "\"scale\": 2}",
		  AK_BYTES, AK_LT_DECIMAL, "decimal", 10, 2 },
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 5}", AK_BYTES,
		  AK_LT_DECIMAL, "decimal", 5, 0 },
		{ "{\"type\": \"fixed\", \"name\": \"F8\", \"size\": 8, "
		  "\"logicalType\": \"decimal\", \"precision\": 18, \"scale\": 4}",
		  AK_FIXED, AK_LT_DECIMAL, "decimal", 18, 4 },
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 4, "
		  "\"scale\": 4}",
		  AK_BYTES, AK_LT_DECIMAL, "decimal", 4, 4 },
		/* invalid parameters: the logical type is dropped, the schema still parses */
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 2, "
		  "\"scale\": 3}",
		  AK_BYTES, AK_LT_NONE, "decimal", 0, 0 },
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 0}", AK_BYTES,
		  AK_LT_NONE, "decimal", 0, 0 },
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\"}", AK_BYTES, AK_LT_NONE,
		  "decimal", 0, 0 },
		{ "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 4, "
		  "\"scale\": -1}",
		  AK_BYTES, AK_LT_NONE, "decimal", 0, 0 },
		{ "{\"type\": \"fixed\", \"name\": \"F8\", \"size\": 8, "
		  "\"logicalType\": \"decimal\", \"precision\": 19}",
		  AK_FIXED, AK_LT_NONE, "decimal", 0, 0 },
		{ "{\"type\": \"int\", \"logicalType\": \"decimal\", \"precision\": 4}", AK_INT,
		  AK_LT_NONE, "decimal", 0, 0 },
		/* on the wrong base type, or unknown: ignored */
		{ "{\"type\": \"long\", \"logicalType\": \"date\"}", AK_LONG, AK_LT_NONE,
		  "date", 0, 0 },
		{ "{\"type\": \"int\", \"logicalType\": \"timestamp-millis\"}", AK_INT, AK_LT_NONE,
		  "timestamp-millis", 0, 0 },
		{ "{\"type\": \"fixed\", \"name\": \"U\", \"size\": 15, \"logicalType\": \"uuid\"}",
		  AK_FIXED, AK_LT_NONE, "uuid", 0, 0 },
		{ "{\"type\": \"string\", \"logicalType\": \"zip-code\"}", AK_STRING, AK_LT_NONE,
		  "zip-code", 0, 0 },
		{ "{\"type\": \"string\", \"logicalType\": 7}", AK_STRING, AK_LT_NONE, NULL, 0, 0 },
	};
	struct ak_error err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ak_schema *s = parse(cases[i].json, &err);
		const struct ak_node *r = s ? ak_schema_root(s) : NULL;

		CHECK(r && r->type == cases[i].t && r->logical == cases[i].lt &&
		      streq(r->logical_name, cases[i].lname) &&
		      (cases[i].lt != AK_LT_DECIMAL ||
			       (r->precision == cases[i].precision && r->scale == cases[i].scale)),
		      "%s -> logical %d (got %s, logical %d, precision %d, scale %d)",
		      cases[i].json, cases[i].lt, s ? "parsed" : ERRSTR(&err), r ? (int)r->logical : -1,
		      r ? r->precision : -1, r ? r->scale : -1);
		ak_schema_free(s);
	}
}

static void test_defaults_that_fit(void)
{
	static const char *const ok[] = {
		"{\"name\": \"f\", \"type\": \"int\", \"default\": -2147483648}",
		"{\"name\": \"f\", \"type\": \"long\", \"default\": 9223372036854775807}",
		"{\"name\": \"f\", \"type\": \"double\", \"default\": 1.5}",
		"{\"name\": \"f\", \"type\": \"double\", \"default\": 3}",
		/* integer literals beyond int64 (jansson alone refuses them) */
		"{\"name\": \"f\", \"type\": \"double\", \"default\": 10000000000000000000}",
		"{\"name\": \"f\", \"type\": \"float\", \"default\": -9223372036854775809,"
		" \"doc\": \"99999999999999999999 \\\" 99999999999999999999\"}",
		"{\"name\": \"f\", \"type\": \"long\", \"default\": -9223372036854775808}",
		"{\"name\": \"f\", \"type\": \"float\", \"default\": \"NaN\"}",
		"{\"name\": \"f\", \"type\": \"bytes\", \"default\": \"\\u00ff\\u0000\"}",
		"{\"name\": \"f\", \"type\": {\"type\": \"fixed\", \"name\": \"F\", \"size\": 2},"
		" \"default\": \"\\u00e9a\"}",
		"{\"name\": \"f\", \"type\": [\"null\", \"int\"], \"default\": null}",
		"{\"name\": \"f\", \"type\": [\"int\", \"null\"], \"default\": 5}",
		"{\"name\": \"f\", \"type\": {\"type\": \"map\", \"values\": \"long\"},"
		" \"default\": {\"a\": 1}}",
		"{\"name\": \"f\", \"type\": {\"type\": \"array\", \"items\": \"boolean\"},"
		" \"default\": [true, false]}",
		"{\"name\": \"f\", \"type\": {\"type\": \"record\", \"name\": \"P\", \"fields\": ["
		" {\"name\": \"a\", \"type\": \"int\"}, {\"name\": \"b\", \"type\": \"int\","
		" \"default\": 2}]}, \"default\": {\"a\": 1}}",
	};
	struct ak_error err;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char json[1024];
		struct ak_schema *s;

		snprintf(json, sizeof(json), "{\"type\": \"record\", \"name\": \"R\", \"fields\": "
			 "[%s]}", ok[i]);
		s = parse(json, &err);
		CHECK(s != NULL, "default fits: %s (%s)", ok[i], s ? "ok" : ERRSTR(&err));
		ak_schema_free(s);
	}
}

/* ---- invalid schemas ---- */

struct bad_case {
	const char *what;
	const char *json;
	const char *msg1, *msg2;
};

static void check_bad(const struct bad_case *b)
{
	struct ak_error err;
	struct ak_schema *s = parse(b->json, &err);

	CHECK(s == NULL && err.code == AK_E_SCHEMA && (!b->msg1 || strstr(ERRSTR(&err), b->msg1)) &&
	      (!b->msg2 || strstr(ERRSTR(&err), b->msg2)),
	      "rejects %s with AK_E_SCHEMA, \"%s\"%s%s%s (got %d: \"%s\")", b->what,
	      b->msg1 ? b->msg1 : "", b->msg2 ? " and \"" : "", b->msg2 ? b->msg2 : "",
	      b->msg2 ? "\"" : "", s ? 0 : err.code, s ? "parsed" : ERRSTR(&err));
	/* the flag marks exactly the names that are not defined */
	CHECK(!s && !(err.flags & AK_ERROR_UNKNOWN_TYPE) == !strstr(err.msg, "unknown type"),
	      "%s: AK_ERROR_UNKNOWN_TYPE %s", b->what,
	      strstr(err.msg, "unknown type") ? "is set" : "is not set");
	ak_schema_free(s);
}

#define REC(fields) "{\"type\": \"record\", \"name\": \"R\", \"fields\": [" fields "]}"

static void test_invalid(void)
{
	static const struct bad_case cases[] = {
		{ "a long default beyond int64",
		  REC("{\"name\": \"f\", \"type\": \"long\", \"default\": 9223372036854775808}"),
		  "does not fit its type long", NULL },
		{ "bad name 2d2", "{\"type\": \"enum\", \"name\": \"2d2\", \"symbols\": [\"A\"]}",
		  "invalid name \"2d2\"", NULL },
		{ "bad name with a dash", "{\"type\": \"fixed\", \"name\": \"a-b\", \"size\": 1}",
		  "invalid name", NULL },
		{ "empty name component", "{\"type\": \"fixed\", \"name\": \"a..b\", \"size\": 1}",
		  "invalid name", NULL },
		{ "bad namespace",
		  "{\"type\": \"fixed\", \"name\": \"a\", \"namespace\": \"1x\","
		  " \"size\": 1}",
		  "invalid namespace", NULL },
		{ "bad field name", REC("{\"name\": \"9a\", \"type\": \"int\"}"),
		  "invalid field name \"9a\"", NULL },
		{ "duplicate field",
		  REC("{\"name\": \"a\", \"type\": \"int\"},"
		      "{\"name\": \"a\", \"type\": \"long\"}"),
		  "fields[1]", "duplicate field \"a\"" },
		{ "duplicate enum symbol",
		  "{\"type\": \"enum\", \"name\": \"E\","
		  " \"symbols\": [\"A\", \"B\", \"A\"]}",
		  "symbols[2]", "duplicate symbol \"A\"" },
		{ "bad enum symbol",
		  "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"a b\"]}", "invalid symbol",
		  NULL },
		{ "enum default not in symbols",
		  "{\"type\": \"enum\", \"name\": \"E\","
		  " \"symbols\": [\"A\"], \"default\": \"Z\"}",
		  "not one of its symbols", NULL },
		{ "duplicate union branch", "[\"int\", \"string\", \"int\"]",
		  "duplicate union branch \"int\"", "[2]" },
		{ "two arrays in a union",
		  "[{\"type\": \"array\", \"items\": \"int\"},"
		  " {\"type\": \"array\", \"items\": \"long\"}]",
		  "duplicate union branch \"array\"", NULL },
		{ "a named type twice in a union",
		  REC("{\"name\": \"a\", \"type\": [{\"type\": "
		      "\"fixed\", \"name\": \"F\", \"size\": 1}, \"F\"]}"),
		  "duplicate union branch \"F\"", NULL },
		{ "union inside union", "[\"null\", [\"int\", \"long\"]]",
		  "may not directly contain another union", NULL },
		{ "unknown type strng", REC("{\"name\": \"a\", \"type\": \"strng\"}"),
		  "fields[0].type", "unknown type \"strng\"" },
		{ "unknown item type",
		  REC("{\"name\": \"a\", \"type\": \"int\"}, {\"name\": \"b\","
		      " \"type\": {\"type\": \"array\", \"items\": \"strng\"}}"),
		  "fields[1].type.items: unknown type \"strng\"", NULL },
		{ "unknown type in object form", "{\"type\": \"panther\"}",
		  "unknown type \"panther\"", NULL },
		{ "fixed without size", "{\"type\": \"fixed\", \"name\": \"F\"}", "has no \"size\"",
		  NULL },
		{ "negative size", "{\"type\": \"fixed\", \"name\": \"F\", \"size\": -1}",
		  "non-negative integer", NULL },
		{ "size as a string", "{\"type\": \"fixed\", \"name\": \"F\", \"size\": \"16\"}",
		  "non-negative integer", NULL },
		{ "missing fields", "{\"type\": \"record\", \"name\": \"R\"}", "has no \"fields\"",
		  NULL },
		{ "fields not an array", "{\"type\": \"record\", \"name\": \"R\", \"fields\": {}}",
		  "must be an array", NULL },
		{ "record without a name", "{\"type\": \"record\", \"fields\": []}",
		  "missing its \"name\"", NULL },
		{ "field without a type", REC("{\"name\": \"a\"}"), "has no \"type\"", NULL },
		{ "field without a name", REC("{\"type\": \"int\"}"), "no \"name\"", NULL },
		{ "record named int", "{\"type\": \"record\", \"name\": \"int\", \"fields\": []}",
		  "primitive type \"int\"", NULL },
		{ "type defined twice",
		  REC("{\"name\": \"a\", \"type\": {\"type\": \"fixed\","
		      " \"name\": \"F\", \"size\": 1}}, {\"name\": \"b\", \"type\": {"
		      "\"type\": \"enum\", \"name\": \"F\", \"symbols\": [\"X\"]}}"),
		  "type \"F\" is defined twice", NULL },
		{ "record defined inside itself",
		  REC("{\"name\": \"a\", \"type\": {\"type\": "
		      "\"record\", \"name\": \"R\", \"fields\": []}}"),
		  "defined twice", NULL },
		{ "bad order", REC("{\"name\": \"a\", \"type\": \"int\", \"order\": \"up\"}"),
		  "\"order\"", NULL },
		{ "int default \"x\"",
		  REC("{\"name\": \"a\", \"type\": \"int\", \"default\": \"x\"}"), "fields[0]",
		  "does not fit" },
		{ "int default out of range",
		  REC("{\"name\": \"a\", \"type\": \"int\","
		      " \"default\": 2147483648}"),
		  "does not fit", NULL },
		{ "int default 1.5", REC("{\"name\": \"a\", \"type\": \"int\", \"default\": 1.5}"),
		  "does not fit", NULL },
		{ "null default 0", REC("{\"name\": \"a\", \"type\": \"null\", \"default\": 0}"),
		  "does not fit", NULL },
		{ "enum default not a symbol",
		  REC("{\"name\": \"a\", \"type\": {\"type\": \"enum\","
		      " \"name\": \"E\", \"symbols\": [\"A\", \"B\"]}, \"default\": \"C\"}"),
		  "does not fit", NULL },
		{ "fixed default of the wrong size",
		  REC("{\"name\": \"a\", \"type\": {\"type\": "
		      "\"fixed\", \"name\": \"F\", \"size\": 2}, \"default\": \"abc\"}"),
		  "does not fit", NULL },
		{ "bytes default beyond U+00FF",
		  REC("{\"name\": \"a\", \"type\": \"bytes\","
		      " \"default\": \"\\u20ac\"}"),
		  "does not fit", NULL },
		{ "record default missing a field",
		  REC("{\"name\": \"a\", \"type\": {\"type\": "
		      "\"record\", \"name\": \"P\", \"fields\": [{\"name\": \"x\", "
		      "\"type\": \"int\"}, {\"name\": \"y\", \"type\": \"int\"}]}, "
		      "\"default\": {\"x\": 1}}"),
		  "does not fit", NULL },
		{ "array default with a bad item",
		  REC("{\"name\": \"a\", \"type\": {\"type\": "
		      "\"array\", \"items\": \"int\"}, \"default\": [1, \"two\"]}"),
		  "does not fit", NULL },
		{ "union default fitting no branch",
		  REC("{\"name\": \"a\", \"type\": [\"null\","
		      " \"int\"], \"default\": \"s\"}"),
		  "does not fit", NULL },
		{ "forward reference",
		  REC("{\"name\": \"a\", \"type\": \"Later\"}, {\"name\": \"b\","
		      " \"type\": {\"type\": \"fixed\", \"name\": \"Later\", \"size\": 1}}"),
		  "unknown type \"Later\"", NULL },
		{ "reference outside its namespace",
		  "{\"type\": \"record\", \"name\": \"R\","
		  " \"fields\": [{\"name\": \"a\", \"type\": {\"type\": \"fixed\", \"name\": \"F\","
		  " \"namespace\": \"n\", \"size\": 1}}, {\"name\": \"b\", \"type\": \"F\"}]}",
		  "unknown type \"F\"", NULL },
		{ "invalid JSON", "{\"type\": \"record\", \"name\": \"R\", \"fields\": [}",
		  "not valid JSON", NULL },
		{ "empty input", "", "not valid JSON", NULL },
		{ "JSON null", "null", "not null", NULL },
		{ "a number", "42", "a number", NULL },
		{ "type is a number", "{\"type\": 1}", "\"type\" must be", NULL },
		{ "object without type", "{\"name\": \"x\"}", "no \"type\"", NULL },
		{ "array without items", "{\"type\": \"array\"}", "no \"items\"", NULL },
		{ "map without values", "{\"type\": \"map\"}", "no \"values\"", NULL },
		{ "enum without symbols", "{\"type\": \"enum\", \"name\": \"E\"}", "symbols",
		  NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_bad(&cases[i]);
	{
		/* text that is not JSON: where, as fields (line 2, at the stray '}') */
		struct ak_error err;
		struct ak_schema *s = parse("{\"type\": \"record\",\n \"fields\": [}", &err);

		CHECK(!s && err.code == AK_E_SCHEMA && err.line == 2 && err.column > 0 &&
		      !strstr(err.msg, "line"),
		      "not JSON: AK_E_SCHEMA with err.line 2 and a column, not in the message "
		      "(code %d, line %llu, column %llu: %s)", err.code,
		      (unsigned long long)err.line, (unsigned long long)err.column, err.msg);
		ak_schema_free(s);
	}
}

#define LONG_PATH_TODO "core bug: a long schema path fills the 512-byte message, cutting off why"

/* Arrays nested @depth deep around "int", as one JSON text. */
static char *nested_arrays(int depth)
{
	static const char open[] = "{\"type\":\"array\",\"items\":";
	size_t n = (size_t)depth * (sizeof(open) - 1 + 1) + 8;
	char *s = malloc(n), *p = s;

	if (!s)
		return NULL;
	for (int i = 0; i < depth; i++) {
		memcpy(p, open, sizeof(open) - 1);
		p += sizeof(open) - 1;
	}
	memcpy(p, "\"int\"", 5);
	p += 5;
	for (int i = 0; i < depth; i++)
		*p++ = '}';
	*p = '\0';
	return s;
}

/* ---- object keys holding U+0000 (kept escaped, since jansson refuses them) ---- */

#define UFFFF "\xEF\xBF\xBF"

/* ak_schema_key_append(@key) gives the @n bytes @want. */
static int key_is(const char *key, const char *want, size_t n)
{
	struct ak_buf b = AK_BUF_INIT;
	struct ak_error err;
	int ok = ak_schema_key_append(&b, key, &err) == AK_OK && b.len == n &&
		 (n == 0 || memcmp(b.data, want, n) == 0);

	ak_buf_release(&b);
	return ok;
}

/* Is the binary encoding of field @name's default in the record schema @json the @n bytes
 * @want? When not, the bytes it is are printed. */
static int default_bytes(const char *json, const char *name, const char *want, size_t n)
{
	struct ak_error err;
	struct ak_schema *s = parse(json, &err);
	const struct ak_field *f = s ? field(ak_schema_root(s), name) : NULL;
	struct ak_buf b = AK_BUF_INIT;
	int ok = f && f->def && ak_encode_default(f->type, f->def, &b, &err) == AK_OK &&
		 b.len == n && memcmp(b.data, want, n) == 0;

	if (!ok) {
		tap_note("schema %s: %s", s ? "parsed" : "refused", s ? "" : ERRSTR(&err));
		for (size_t i = 0; i < b.len; i++)
			tap_note("  byte %zu: 0x%02x", i, b.data[i]);
	}
	ak_buf_release(&b);
	ak_schema_free(s);
	return ok;
}

/* A float or double default JSON has no number for: Java's strings, and any case of what
 * Python's float() reads (fastavro writes those defaults); anything else is refused. */
static void test_non_finite_defaults(void)
{
	static const struct {
		const char *def;
		const char *want; /* the double's 8 bytes, little-endian; NULL: refused */
	} cases[] = {
		{ "NaN", "\x00\x00\x00\x00\x00\x00\xf8\x7f" },
		{ "nan", "\x00\x00\x00\x00\x00\x00\xf8\x7f" },
		{ "-NAN", "\x00\x00\x00\x00\x00\x00\xf8\x7f" },
		{ "Infinity", "\x00\x00\x00\x00\x00\x00\xf0\x7f" },
		{ "+inf", "\x00\x00\x00\x00\x00\x00\xf0\x7f" },
		{ "-Infinity", "\x00\x00\x00\x00\x00\x00\xf0\xff" },
		{ "-iNF", "\x00\x00\x00\x00\x00\x00\xf0\xff" },
		{ "infinit", NULL }, { "nann", NULL }, { "1.5", NULL }, { "", NULL },
		{ "+-inf", NULL }, { " nan", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[256];
		struct ak_error err;
		struct ak_schema *s;

		snprintf(json, sizeof(json), "{\"type\": \"record\", \"name\": \"R\", \"fields\": "
			 "[{\"name\": \"d\", \"type\": \"double\", \"default\": \"%s\"}]}",
			 cases[i].def);
		if (cases[i].want) {
			CHECK(default_bytes(json, "d", cases[i].want, 8), "default \"%s\"",
			      cases[i].def);
		} else {
			s = parse(json, &err);
			CHECK(!s && err.code == AK_E_SCHEMA, "default \"%s\" refused", cases[i].def);
			ak_schema_free(s);
		}
	}
}

static void test_object_keys(void)
{
	struct ak_error err;
	struct ak_schema *s;
	char *txt;

	/* the decoder */
	CHECK(key_is("abc", "abc", 3), "a key without U+FFFF is its own bytes");
	CHECK(key_is("", "", 0), "the empty key");
	CHECK(key_is("a" UFFFF "0b", "a\0b", 3), "U+FFFF '0' is U+0000");
	CHECK(key_is(UFFFF UFFFF, UFFFF, 3), "U+FFFF U+FFFF is U+FFFF");
	CHECK(key_is(UFFFF UFFFF "0", UFFFF "0", 4), "U+FFFF U+FFFF '0' is U+FFFF '0'");
	CHECK(key_is(UFFFF "0" UFFFF UFFFF UFFFF "0", "\0" UFFFF "\0", 5),
	      "U+0000 U+FFFF U+0000");
	CHECK(key_is("x" UFFFF, "x" UFFFF, 4) && key_is(UFFFF "y", UFFFF "y", 4),
	      "a lone U+FFFF (the parser never makes one) is kept");

	/* parse, then encode a map default: the keys' real bytes in binary */
	CHECK(default_bytes(REC("{\"name\": \"m\","
				" \"type\": {\"type\": \"map\", \"values\": \"int\"},"
				" \"default\": {\"a\\u0000b\": 1}}"),
			    "m", "\x02\x06" "a\0b" "\x02\x00", 7),
	      "map default {\"a\\u0000b\": 1} encodes the key as 3 bytes with U+0000");
	CHECK(default_bytes(REC("{\"name\": \"m\","
				" \"type\": {\"type\": \"map\", \"values\": \"int\"},"
				" \"default\": {\"\\uffff0\": 1, \"\\u00000\": 2, \"" UFFFF "\": 3,"
				" \"\\\\u0000\\u0000\": 4}}"),
			    "m", "\x08" "\x08" UFFFF "0\x02" "\x04" "\0" "0\x04" "\x06" UFFFF "\x06"
			    "\x0e" "\\u0000\0" "\x08" "\x00", 26),
	      "keys U+FFFF '0', U+0000 '0', raw U+FFFF and \\\\u0000 U+0000 stay apart");
	CHECK(default_bytes(REC("{\"name\": \"m\","
				" \"type\": {\"type\": \"map\", \"values\": \"int\"},"
				" \"default\": {\"\\uFFFF\": 1, \"" UFFFF "\": 2}}"),
			    "m", "\x02\x06" UFFFF "\x04\x00", 7),
	      "\\uFFFF and a raw U+FFFF are the same key (the last one wins, as for any key)");
	CHECK(default_bytes(REC("{\"name\": \"s\", \"type\": \"string\","
				" \"default\": \"a\\u0000" UFFFF "0\", \"k\\u0000\": \"\\u0000\"},"
				" {\"name\": \"d\", \"type\": \"double\", \"default\": 1e0}"),
			    "s", "\x0c" "a\0" UFFFF "0", 7),
	      "string values are not escaped, beside a key holding U+0000");
	CHECK(default_bytes(REC("{\"name\": \"d\", \"type\": \"double\", \"x\\u0000\": 1,"
				" \"default\": 10000000000000000000}"),
			    "d", "\x00\x3d\x91\x60\xe4\x58\xe1\x43", 8),
	      "an integer beyond int64 is still widened beside a key holding U+0000");

	/* written back as it was: \u0000 again, U+FFFF raw */
	s = parse("{\"type\": \"fixed\", \"name\": \"F\", \"size\": 1,"
		  " \"a\\u0000\": {\"\\uffff\": 1, \"\\\\u0000\": \"\\u0000\"}}", &err);
	txt = s ? ak_schema_json(s, 0) : NULL;
	CHECK(txt && strcmp(txt, "{\"type\":\"fixed\",\"name\":\"F\",\"size\":1,\"a\\u0000\":{\""
			     UFFFF "\":1,\"\\\\u0000\":\"\\u0000\"}}") == 0,
	      "ak_schema_json writes the keys as they were (got %s)", txt ? txt : ERRSTR(&err));
	free(txt);
	txt = s ? ak_schema_json(s, 2) : NULL;
	CHECK(txt && strstr(txt, "\"a\\u0000\": {") && strstr(txt, "\"" UFFFF "\": 1"),
	      "and indented (got %s)", txt ? txt : "NULL");
	free(txt);
	txt = s ? ak_schema_canonical(s, &err) : NULL;
	CHECK(txt && strcmp(txt, "{\"name\":\"F\",\"type\":\"fixed\",\"size\":1}") == 0,
	      "the canonical form leaves the attribute out (got %s)", txt ? txt : ERRSTR(&err));
	free(txt);
	ak_schema_free(s);

	/* errors: the default printed with its key as written; bad JSON still refused */
	s = parse(REC("{\"name\": \"m\", \"type\": {\"type\": \"map\", \"values\": \"int\"},"
		      " \"default\": {\"a\\u0000\": \"x\"}}"), &err);
	CHECK(!s && strstr(ERRSTR(&err), "default {\"a\\u0000\":\"x\"} of field \"m\""),
	      "a default that does not fit is shown with its key (got %s)", s ? "parsed" : ERRSTR(&err));
	ak_schema_free(s);
	s = parse("{\"type\": \"int\", \"a\\u0000", &err);
	CHECK(!s && err.code == AK_E_SCHEMA, "an unterminated key holding \\u0000 is an error");
	ak_schema_free(s);
	s = parse("{\"type\": \"int\", \"a\\u0000\\u00\": 1}", &err);
	CHECK(!s && err.code == AK_E_SCHEMA, "a key with a short \\u escape is an error");
	ak_schema_free(s);
	/* (a lone surrogate is read as U+FFFD: test_lone_surrogates) */
	s = parse("{\"type\": \"int\", \"\\ud800\\u0000\": 1}", &err);
	CHECK(s != NULL, "a lone surrogate before \\u0000 reads (%s)", s ? "ok" : ERRSTR(&err));
	ak_schema_free(s);
	s = parse("{\"type\": \"int\", \"\\ud83d\\ude00\\u0000\": 1}", &err);
	CHECK(s != NULL, "a surrogate pair before \\u0000 is fine (%s)", s ? "ok" : ERRSTR(&err));
	ak_schema_free(s);
}

static void test_depth(void)
{
	struct ak_error err;
	char *ok = nested_arrays(AK_SCHEMA_MAX_DEPTH - 1);
	char *deep = nested_arrays(AK_SCHEMA_MAX_DEPTH + 50);
	struct ak_schema *s;

	if (!ok || !deep) {
		free(ok);
		free(deep);
		return;
	}
	s = parse(ok, &err);
	CHECK(s != NULL, "%d nested arrays (the limit) parse (%s)", AK_SCHEMA_MAX_DEPTH - 1,
	      ERRSTR(&err));
	ak_schema_free(s);
	s = parse(deep, &err);
	CHECK(s == NULL && err.code == AK_E_SCHEMA, "%d nested arrays are refused",
	      AK_SCHEMA_MAX_DEPTH + 50);
	size_t mlen = strlen(ERRSTR(&err));

	CHECK(strstr(ERRSTR(&err), "nested deeper") != NULL, "the message for %d nested arrays says \"nested deeper\" (got %zu bytes "
		   "ending \"...%s\")", AK_SCHEMA_MAX_DEPTH + 50, mlen,
		   ERRSTR(&err) + (mlen > 40 ? mlen - 40 : 0));
	ak_schema_free(s);
	free(ok);
	free(deep);

	/* deep JSON that is not even a schema must not blow the stack either */
	size_t n = 200000;
	char *brackets = malloc(n + 1);

	if (brackets) {
		memset(brackets, '[', n);
		brackets[n] = '\0';
		s = parse(brackets, &err);
		CHECK(s == NULL && err.code == AK_E_SCHEMA, "200000 open brackets are refused (%s)",
		      ERRSTR(&err));
		ak_schema_free(s);
		free(brackets);
	}
}

/* ---- the Avro C schema test vectors ---- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *b = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		size_t k = fread(buf + n, 1, cap - n, f);
		if (k == 0)
			break;
		n += k;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void test_corpus_dir(const char *base, const char *sub, int must_pass)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	size_t files = 0, wrong = 0;
	char first[512] = "";

	snprintf(dir, sizeof(dir), "%s/lang/c/tests/schema_tests/%s", base, sub);
	d = opendir(dir);
	if (!d) {
		char why[4200];

		snprintf(why, sizeof(why), "corpus not found (%s)", dir);
		tap_skip(why);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char path[8192];
		struct ak_error err = { 0 };
		struct ak_schema *s;
		size_t len = 0;
		char *text;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_file(path, &len);
		if (!text)
			continue;
		files++;
		s = ak_schema_parse(text, len, 0, &err);
		if (must_pass ? s == NULL : (s != NULL || err.code != AK_E_SCHEMA)) {
			if (wrong++ == 0)
				snprintf(first, sizeof(first), "%.200s: %.300s", e->d_name,
					 s ? "parsed" : ERRSTR(&err));
			tap_note("%s/%s: %s", sub, e->d_name, s ? "parsed" : ERRSTR(&err));
		}
		ak_schema_free(s);
		free(text);
	}
	closedir(d);
	CHECK(files > 0 && wrong == 0, "corpus schema_tests/%s: %zu files, all %s (%zu wrong; %s)",
	      sub, files, must_pass ? "parse" : "rejected", wrong, first);
}

/* ---- a data file's own schema (AK_SCHEMA_LENIENT) ---- */

static struct ak_schema *parse_flags(const char *json, unsigned flags, struct ak_error *err)
{
	ak_error_clear(err);
	return ak_schema_parse_ex(json, strlen(json), flags, err);
}

static void test_lenient(void)
{
	static const struct {
		const char *what, *json, *strict_msg;
	} cases[] = {
		{ "a namespace ending in $ (Java reflection's inner classes)",
		  "{\"type\": \"record\", \"name\": \"Pair\", "
		  "\"namespace\": \"org.apache.avro.mapred.TestReflectJob$\", \"fields\": []}",
		  "invalid namespace" },
		{ "enum symbols starting with a digit (Pig)",
		  "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"1st\", \"2nd\"]}",
		  "invalid symbol \"1st\"" },
		{ "a name with a dash", "{\"type\": \"record\", \"name\": \"n-me\", \"fields\": []}",
		  "invalid name \"n-me\"" },
		{ "a field name with a dash", REC("{\"name\": \"a-b\", \"type\": \"int\"}"),
		  "invalid field name" },
		{ "a dotted name with a $ part",
		  "{\"type\": \"fixed\", \"name\": \"a.b$.C\", \"size\": 2}", "invalid name" },
		{ "a record named int in a namespace",
		  "{\"type\": \"record\", \"name\": \"int\", \"namespace\": \"ns\", \"fields\": []}",
		  "a record may not be named after the primitive type \"int\"" },
		{ "an alias with a $", "{\"type\": \"record\", \"name\": \"R\", \"aliases\": "
		  "[\"x.Y$\"], \"fields\": []}", "invalid alias" },
		{ "a default that does not fit",
		  REC("{\"name\": \"s\", \"type\": \"string\", \"default\": null}"),
		  "does not fit its type string" },
		{ "a fixed wrapped in a type object, with a logical type (Rust's duration)",
		  REC("{\"name\": \"d\", \"type\": {\"type\": {\"type\": \"fixed\", "
		      "\"name\": \"dur\", \"size\": 12}, \"logicalType\": \"duration\"}}"),
		  "fields[0].type: \"type\" holds a schema object where a type name belongs" },
		{ "a union wrapped in a type object",
		  REC("{\"name\": \"u\", \"type\": {\"type\": [\"null\", \"int\"]}}"),
		  "\"type\" holds a union where a type name belongs" },
	};
	struct ak_error err;
	struct ak_schema *s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = parse(cases[i].json, &err);
		CHECK(!s && err.code == AK_E_SCHEMA && strstr(err.msg, cases[i].strict_msg),
		      "strict: refuses %s (\"%s\", got \"%s\")", cases[i].what, cases[i].strict_msg,
		      s ? "parsed" : err.msg);
		ak_schema_free(s);
		s = parse_flags(cases[i].json, AK_SCHEMA_LENIENT, &err);
		CHECK(s != NULL, "lenient: reads %s (%s)", cases[i].what, s ? "ok" : err.msg);
		ak_schema_free(s);
	}

	s = parse_flags("{\"type\": \"record\", \"name\": \"Z\", \"namespace\": \"a.B$\", "
			"\"fields\": [{\"name\": \"e\", \"type\": {\"type\": \"enum\", "
			"\"name\": \"E\", \"symbols\": [\"0\"]}}, {\"name\": \"again\", "
			"\"type\": \"E\"}]}", AK_SCHEMA_LENIENT, &err);
	CHECK(s && streq(ak_schema_root(s)->fullname, "a.B$.Z") &&
	      streq(ftype(ak_schema_root(s), "e")->fullname, "a.B$.E") &&
	      ftype(ak_schema_root(s), "again") == ftype(ak_schema_root(s), "e"),
	      "lenient: names in a $ namespace resolve as usual (%s)", s ? "ok" : err.msg);
	ak_schema_free(s);

	s = parse_flags(REC("{\"name\": \"s\", \"type\": \"string\", \"default\": null}"),
			AK_SCHEMA_LENIENT, &err);
	CHECK(s && field(ak_schema_root(s), "s")->def == NULL,
	      "lenient: a default that does not fit is dropped");
	ak_schema_free(s);

	/* ns.int is a record; a bare int is still the primitive, as in Java */
	s = parse_flags("{\"type\": \"record\", \"name\": \"R\", \"namespace\": \"ns\", \"fields\": ["
			"{\"name\": \"r\", \"type\": {\"type\": \"record\", \"name\": \"int\", "
			"\"fields\": []}}, {\"name\": \"i\", \"type\": \"int\"}, "
			"{\"name\": \"j\", \"type\": \"ns.int\"}]}", AK_SCHEMA_LENIENT, &err);
	CHECK(s && ftype(ak_schema_root(s), "r")->type == AK_RECORD &&
	      ftype(ak_schema_root(s), "i")->type == AK_INT &&
	      ftype(ak_schema_root(s), "j") == ftype(ak_schema_root(s), "r"),
	      "lenient: \"int\" is the primitive, \"ns.int\" the record (%s)", s ? "ok" : err.msg);
	ak_schema_free(s);

	s = parse_flags("{\"type\": \"record\", \"name\": \"int\", \"fields\": []}",
			AK_SCHEMA_LENIENT, &err);
	CHECK(!s && strstr(err.msg, "a record may not be named after the primitive type"),
	      "lenient: still refuses a type whose full name is a primitive's (%s)", err.msg);
	ak_schema_free(s);

	s = parse_flags("{\"type\": \"fixed\", \"name\": \"\", \"size\": 1}", AK_SCHEMA_LENIENT,
			&err);
	CHECK(!s && strstr(err.msg, "invalid name"), "lenient: still refuses an empty name (%s)",
	      err.msg);
	ak_schema_free(s);

	s = parse_flags("{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"1\", \"1\"]}",
			AK_SCHEMA_LENIENT, &err);
	CHECK(!s && strstr(err.msg, "duplicate symbol"), "lenient: still refuses duplicate "
	      "symbols (%s)", err.msg);
	ak_schema_free(s);

	s = parse_flags(REC("{\"name\": \"d\", \"type\": {\"type\": {\"type\": \"fixed\", "
			    "\"name\": \"dur\", \"size\": 12}, \"logicalType\": \"duration\"}}"),
			AK_SCHEMA_LENIENT, &err);
	CHECK(s && ftype(ak_schema_root(s), "d")->type == AK_FIXED &&
	      ftype(ak_schema_root(s), "d")->logical == AK_LT_DURATION,
	      "lenient: the outer logical type of a wrapped fixed applies to it (%s)",
	      s ? "ok" : err.msg);
	ak_schema_free(s);

	/* aliases no name can equal ("", ".a", "a.": python-avro writes them) are left out;
	 * the valid ones stay, in order; strict parsing refuses each */
	static const char *const badalias =
		"{\"type\": \"record\", \"name\": \"R\", \"namespace\": \"n\", "
		"\"aliases\": [\"\", \"x.Old\", \".a\", \"a.\", \"Older\"], "
		"\"fields\": [{\"name\": \"f\", \"type\": \"int\", \"aliases\": [\"\", \"g\"]}]}";
	s = parse_flags(badalias, AK_SCHEMA_LENIENT, &err);
	CHECK(s && ak_schema_root(s)->naliases == 2 &&
	      strcmp(ak_schema_root(s)->aliases[0], "x.Old") == 0 &&
	      strcmp(ak_schema_root(s)->aliases[1], "n.Older") == 0 &&
	      ak_schema_root(s)->fields[0].naliases == 1 &&
	      strcmp(ak_schema_root(s)->fields[0].aliases[0], "g") == 0,
	      "lenient: aliases that name nothing are left out, the others kept (%s)",
	      s ? "ok" : err.msg);
	ak_schema_free(s);
	s = parse_flags(badalias, 0, &err);
	CHECK(!s && strstr(err.msg, "aliases[0]: invalid alias"),
	      "strict: an empty alias is refused (%s)", err.msg);
	ak_schema_free(s);
	s = parse_flags("{\"type\": \"record\", \"name\": \"R\", \"aliases\": [1], "
			"\"fields\": []}", AK_SCHEMA_LENIENT, &err);
	CHECK(!s && strstr(err.msg, "aliases[0]: invalid alias"),
	      "lenient: an alias that is no string is still refused, as Java refuses it (%s)",
	      err.msg);
	ak_schema_free(s);
}

static void test_union_default_first(void)
{
	static const char *const second =
		REC("{\"name\": \"u\", \"type\": [\"null\", \"int\"], \"default\": 1}");
	static const char *const nested =
		REC("{\"name\": \"r\", \"type\": {\"type\": \"record\", \"name\": \"In\", "
		    "\"fields\": [{\"name\": \"u\", \"type\": [\"null\", \"string\"]}]}, "
		    "\"default\": {\"u\": \"x\"}}");
	struct ak_error err;
	struct ak_schema *s;

	s = parse(second, &err);
	CHECK(s != NULL, "a union default may fit a later branch, as Java and Python allow (%s)",
	      s ? "ok" : err.msg);
	ak_schema_free(s);
	s = parse_flags(second, AK_SCHEMA_UNION_DEFAULT_FIRST, &err);
	CHECK(!s && strstr(err.msg, "fields[0]") && strstr(err.msg, "only by a union branch "
	      "other than the first") && strstr(err.msg, "its first branch, null"),
	      "UNION_DEFAULT_FIRST: a default of the second branch is refused (%s)", err.msg);
	ak_schema_free(s);
	s = parse_flags(nested, AK_SCHEMA_UNION_DEFAULT_FIRST, &err);
	CHECK(!s && strstr(err.msg, "other than the first"),
	      "UNION_DEFAULT_FIRST: also inside a record default (%s)", err.msg);
	ak_schema_free(s);
	s = parse_flags(REC("{\"name\": \"u\", \"type\": [\"int\", \"null\"], \"default\": 1}"),
			AK_SCHEMA_UNION_DEFAULT_FIRST, &err);
	CHECK(s != NULL, "UNION_DEFAULT_FIRST: a default of the first branch is fine (%s)",
	      s ? "ok" : err.msg);
	ak_schema_free(s);
	s = parse_flags(REC("{\"name\": \"u\", \"type\": [\"null\", \"int\"], "
			    "\"default\": \"x\"}"), AK_SCHEMA_UNION_DEFAULT_FIRST, &err);
	CHECK(!s && strstr(err.msg, "does not fit its type"),
	      "UNION_DEFAULT_FIRST: a default that fits no branch says so (%s)", err.msg);
	ak_schema_free(s);
}

/* A message that quotes a value cuts it, and a cut inside a character would leave text that
 * is not UTF-8: those bytes are '?', in the message and in ak_error_format()'s text. */
static void test_messages_stay_utf8(void)
{
	struct ak_error err;
	char json[512], out[64];
	int saw_mark = 0;

	for (int pad = 0; pad < 4; pad++) {
		struct ak_schema *s;
		char x[128] = "";

		for (int i = 0; i < pad; i++)
			strcat(x, "a");
		for (int i = 0; i < 40; i++)
			strcat(x, "\xc3\xa9"); /* é */
		snprintf(json, sizeof(json),
			 "{\"type\": \"record\", \"name\": \"Z\", \"fields\": [{\"name\": \"r\", "
			 "\"type\": {\"type\": \"record\", \"name\": \"S\", \"fields\": [{\"name\": "
			 "\"t\", \"type\": \"int\"}]}, \"default\": {\"t\": \"abc\", \"x\": \"%s\"}}]}",
			 x);
		s = parse(json, &err);
		CHECK(!s && strstr(err.msg, "does not fit its type S") &&
			      ak_utf8_valid((const unsigned char *)err.msg, strlen(err.msg)),
		      "a default cut in a message is valid UTF-8 (pad %d: %s)", pad, err.msg);
		saw_mark |= strstr(err.msg, "\xc3\xa9?...") != NULL;
		ak_schema_free(s);
	}
	CHECK(saw_mark, "the bytes of a split character are question marks");
	ak_error_clear(&err);
	snprintf(err.msg, sizeof(err.msg), "%s", "abcdefgh\xe2\x82\xac");
	ak_error_format(&err, out, 11); /* room for "abcdefgh" and two bytes of the euro sign */
	CHECK(strcmp(out, "abcdefgh??") == 0, "ak_error_format's cut is valid UTF-8 (%s)", out);
}

/* ---- several texts ---- */

static struct ak_schema *parse_set(const char *const *texts, size_t n, struct ak_error *err)
{
	struct ak_schema_text t[8];
	static const char *const names[8] = { "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7" };

	for (size_t i = 0; i < n; i++) {
		t[i].text = texts[i];
		t[i].len = strlen(texts[i]);
		t[i].name = names[i];
	}
	ak_error_clear(err);
	return ak_schema_parse_many(t, n, 0, err);
}

static void test_many(void)
{
	static const char *const addr =
		"{\"type\": \"record\", \"name\": \"Address\", \"namespace\": \"com.x\", "
		"\"fields\": [{\"name\": \"zip\", \"type\": \"Zip\"}, "
		"{\"name\": \"kind\", \"type\": {\"type\": \"enum\", \"name\": \"Kind\", "
		"\"symbols\": [\"HOME\", \"WORK\"]}}]}";
	static const char *const zip =
		"{\"type\": \"fixed\", \"name\": \"com.x.Zip\", \"size\": 5}";
	static const char *const user =
		"{\"type\": \"record\", \"name\": \"User\", \"namespace\": \"com.y\", "
		"\"fields\": [{\"name\": \"home\", \"type\": \"com.x.Address\"}, "
		"{\"name\": \"kind\", \"type\": \"com.x.Kind\"}, "
		"{\"name\": \"work\", \"type\": [\"null\", \"com.x.Address\"]}]}";
	const char *orders[][3] = { { addr, zip, user }, { zip, addr, user } };
	struct ak_error err;
	struct ak_schema *s;
	char *canon = NULL, *json, *canon2;

	for (size_t o = 0; o < 2; o++) {
		s = parse_set(orders[o], 3, &err);
		CHECK(s && streq(ak_schema_root(s)->fullname, "com.y.User") &&
		      ftype(ak_schema_root(s), "home") == ftype(ak_schema_root(s), "work")->branches[1],
		      "three texts in order %zu give one schema, the last text's (%s)", o,
		      s ? "ok" : err.msg);
		if (!s)
			continue;
		canon2 = ak_schema_canonical(s, &err);
		if (o == 0) {
			canon = canon2;
			CHECK(canon && strstr(canon, "{\"name\":\"com.x.Zip\",\"type\":\"fixed\",\"size\":5}"),
			      "the canonical form holds the other texts' types (%s)", canon);
		} else {
			CHECK(canon && canon2 && strcmp(canon, canon2) == 0,
			      "the order of the other texts does not matter");
			free(canon2);
		}
		/* the JSON stands alone */
		json = ak_schema_json(s, 0);
		ak_schema_free(s);
		s = json ? ak_schema_parse(json, strlen(json), 0, &err) : NULL;
		canon2 = s ? ak_schema_canonical(s, &err) : NULL;
		CHECK(canon && canon2 && strcmp(canon, canon2) == 0,
		      "its JSON stands alone and means the same (%s)", json ? json : "no JSON");
		free(canon2);
		free(json);
		ak_schema_free(s);
	}
	free(canon);

	/* the root may be a bare reference to another text's type */
	{
		const char *t[] = { zip, addr, "\"com.x.Address\"" };

		s = parse_set(t, 3, &err);
		CHECK(s && streq(ak_schema_root(s)->fullname, "com.x.Address"),
		      "a root that names another text's type (%s)", s ? "ok" : err.msg);
		ak_schema_free(s);
	}
	{
		const char *t[] = { addr, user };

		s = parse_set(t, 2, &err);
		CHECK(!s && strstr(err.msg, "t0: ") && strstr(err.msg, "unknown type \"Zip\""),
		      "a name no text defines is reported with its text (%s)", err.msg);
		ak_schema_free(s);
	}
	{
		const char *t[] = { zip, zip, user };

		s = parse_set(t, 3, &err);
		CHECK(!s && strstr(err.msg, "t1: ") && strstr(err.msg, "defined twice"),
		      "a type defined in two texts is an error (%s)", err.msg);
		ak_schema_free(s);
	}
	{
		const char *t[] = { "{\"type\": \"fixed\", \"name\": \"A\", \"size\": 1}",
				    "{\"type\": \"record\", \"name\": \"R\", \"fields\": [{\"name\": "
				    "\"a\", \"type\": \"A\", \"default\": 5}]}" };

		s = parse_set(t, 2, &err);
		CHECK(!s && strstr(err.msg, "t1: fields[0]") && strstr(err.msg, "does not fit"),
		      "a bad default is reported with its text (%s)", err.msg);
		ak_schema_free(s);
	}
	{
		const char *t[] = { "{\"type\": \"fixed\", \"name\": \"A\", \"size\": 1", zip };

		s = parse_set(t, 2, &err);
		CHECK(!s && strstr(err.msg, "t0: schema is not valid JSON"),
		      "malformed JSON is reported with its text (%s)", err.msg);
		ak_schema_free(s);
	}
	{
		/* a null-namespace type used from inside a namespace keeps its namespace */
		const char *t[] = { "{\"type\": \"enum\", \"name\": \"Color\", \"symbols\": [\"R\"]}",
				    "{\"type\": \"record\", \"name\": \"P\", \"namespace\": \"ns\", "
				    "\"fields\": [{\"name\": \"c\", \"type\": \"Color\"}]}" };

		s = parse_set(t, 2, &err);
		json = s ? ak_schema_json(s, 0) : NULL;
		CHECK(s && streq(ftype(ak_schema_root(s), "c")->fullname, "Color") && json &&
		      strstr(json, "\"namespace\":\"\""),
		      "a null-namespace type from another text stays in the null namespace (%s)",
		      json ? json : err.msg);
		free(json);
		ak_schema_free(s);
	}
}

/* Lone surrogates in \u escapes (JSON's grammar allows them; jansson refuses them): read as
 * U+FFFD, in any schema, while pairs and an escaped backslash before "u" stay as they are
 * (seen here in a string default, whose text the schema keeps). */
static void test_lone_surrogates(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "\\udc80", "\xef\xbf\xbd" },
		{ "a\\ud83d", "a\xef\xbf\xbd" },
		{ "\\ud83d\\ud83d\\ude00", "\xef\xbf\xbd\xf0\x9f\x98\x80" },
		{ "\\ude00\\ud83d", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\\\\udc80", "\\udc80" },
		{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80" },
	};
	char json[256];
	struct ak_error err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ak_schema *s;
		const char *got = NULL;

		snprintf(json, sizeof(json),
			 "{\"type\": \"record\", \"name\": \"R\", \"fields\": [{\"name\": \"s\", "
			 "\"type\": \"string\", \"default\": \"%s\"}]}", cases[i].text);
		s = parse_flags(json, 0, &err);
		if (s)
			got = json_string_value((const json_t *)ak_schema_root(s)->fields[0].def);
		CHECK(got && strcmp(got, cases[i].want) == 0, "\"%s\" reads as \"%s\" (%s)",
		      cases[i].text, cases[i].want, s ? (got ? got : "no default") : err.msg);
		ak_schema_free(s);
	}
	/* the retry changes only the surrogates: other faults are still reported */
	CHECK(!parse_flags("{\"type\": \"record\", \"doc\": \"\\udc80\", \"name\": }", 0, &err) &&
	      strstr(err.msg, "not valid JSON"), "a lone surrogate beside a syntax error: %s",
	      err.msg);
}

int main(int argc, char **argv)
{
	const char *corpus = getenv("AK_CORPUS");

	if (!corpus || !*corpus)
		corpus = argc > 1 ? argv[1] : "../shared/corpus";
	test_primitives();
	test_record();
	test_namespaces();
	test_recursion();
	test_logical();
	test_defaults_that_fit();
	test_invalid();
	test_non_finite_defaults();
	test_object_keys();
	test_depth();
	test_lenient();
	test_lone_surrogates();
	test_union_default_first();
	test_messages_stay_utf8();
	test_many();
	test_corpus_dir(corpus, "pass", 1);
	test_corpus_dir(corpus, "fail", 0);
	return tap_done();
}
