/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro IDL (idl_lex.h, idl.h): the lexer's tokens, lines and columns; doc comment stripping
 * as Java does it; the parser's output for each construct (compared as JSON values with what
 * Java's avro-tools writes), its errors with file:line:column, warnings, imports through an
 * in-memory loader (cycles, JSON schema and protocol files), and the limits.
 */
#include "ak.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- lexer ---- */

/* The token types of @text, as a string of names separated by spaces. */
static char *lex_all(const char *text, struct ak_error *err)
{
	static char out[4096];
	struct idl_lexer lx;
	struct idl_token t;
	size_t n = 0;

	out[0] = '\0';
	idl_lexer_init(&lx, text, strlen(text));
	for (;;) {
		if (idl_lex_next(&lx, &t, err) != AK_OK) {
			snprintf(out + n, sizeof(out) - n, "%sERROR(%lu:%lu %s)", n ? " " : "",
				 err->line, err->column, err->msg);
			break;
		}
		if (t.type == IDL_T_EOF)
			break;
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s<%.*s>", n ? " " : "",
				      idl_tok_name(t.type), (int)t.len, text + t.start);
	}
	idl_lexer_release(&lx);
	return out;
}

static void check_lex(const char *text, const char *want)
{
	struct ak_error err = { 0 };
	const char *got = lex_all(text, &err);

	CHECK(strcmp(got, want) == 0, "lex %s -> %s (got %s)", text, want, got);
}

static void test_lexer(void)
{
	struct ak_error err = { 0 };
	struct idl_lexer lx;
	struct idl_token t;
	const char *text;

	check_lex("record Foo", "'record'<record> identifier<Foo>");
	check_lex("records record.x `record` record-x",
		  "identifier<records> identifier<record.x> identifier<`record`> "
		  "identifier<record-x>");
	check_lex("avro.java.`string` java-class", "identifier<avro.java.`string`> "
		  "identifier<java-class>");
	check_lex("x-1", "identifier<x> integer<-1>");
	check_lex("- 1", "'-'<-> integer<1>");
	check_lex("12 -0x1F 017 5L 0", "integer<12> integer<-0x1F> integer<017> integer<5L> "
		  "integer<0>");
	check_lex("1.5 1e5 1f .5 1. 0x1.8p1 -2E-3d", "number<1.5> number<1e5> number<1f> "
		  "number<.5> number<1.> number<0x1.8p1> number<-2E-3d>");
	check_lex("NaN -Infinity +NaN NaNs `NaN`", "number<NaN> number<-Infinity> number<+NaN> "
		  "identifier<NaNs> identifier<`NaN`>");
	check_lex("1e x", "integer<1> identifier<e> identifier<x>");
	check_lex("0x", "integer<0> identifier<x>");
	check_lex("\"a\\\"b\\u00e9\\101\" ", "string<\"a\\\"b\\u00e9\\101\">");
	check_lex("@x({\"a\":[1,true,null]})", "'@'<@> identifier<x> '('<(> '{'<{> "
		  "string<\"a\"> ':'<:> '['<[> integer<1> ','<,> 'true'<true> ','<,> 'null'<null> "
		  "']'<]> '}'<}> ')'<)>");
	check_lex("a // comment\nb /* c */ c /**/ d", "identifier<a> identifier<b> identifier<c> "
		  "identifier<d>");
	check_lex("a // comment at the end", "identifier<a>");
	check_lex("Протоколы 文字列 _x", "identifier<Протоколы> identifier<文字列> identifier<_x>");
	check_lex("a \x1a garbage after the end mark", "identifier<a>");
	check_lex("a /* open", "identifier<a> ERROR(1:3 unterminated comment)");
	check_lex("a /** open", "identifier<a> ERROR(1:3 unterminated documentation comment)");
	check_lex("\"open", "ERROR(1:1 unterminated string)");
	check_lex("\"a\tb\"", "ERROR(1:3 control character in a string)");
	check_lex("\"\\q\"", "ERROR(1:2 invalid escape in a string)");
	check_lex("a # b", "identifier<a> ERROR(1:3 unexpected character '#')");
	check_lex("a \xe2\x82\xac", "identifier<a> ERROR(1:3 unexpected character U+20AC)");
	check_lex("a \xff", "identifier<a> ERROR(1:3 unexpected character (invalid UTF-8))");
	check_lex("` x`", "ERROR(1:1 a backtick must enclose an identifier, as in `record`)");
	check_lex("+x", "ERROR(1:1 unexpected character '+')");

	/* lines count '\n', columns count characters; doc comments are counted beside */
	text = "/** one */ a\n  /** two */ /** three */ é b\r\nc";
	idl_lexer_init(&lx, text, strlen(text));
	CHECK(idl_lex_next(&lx, &t, &err) == AK_OK && t.line == 1 && t.column == 12 &&
	      t.docs_before == 1 && t.docs_run == 1, "a: 1:12, one doc comment before it");
	CHECK(idl_lex_next(&lx, &t, &err) == AK_OK && t.type == IDL_T_IDENT && t.line == 2 &&
	      t.column == 27 && t.docs_before == 3 && t.docs_run == 2,
	      "é: 2:27 (columns count code points), two doc comments right before it");
	CHECK(idl_lex_next(&lx, &t, &err) == AK_OK && t.line == 2 && t.column == 29 &&
	      t.docs_run == 0, "b: 2:29");
	CHECK(idl_lex_next(&lx, &t, &err) == AK_OK && t.line == 3 && t.column == 1, "c: 3:1");
	CHECK(idl_lexer_doc(&lx, 1) && idl_lexer_doc(&lx, 1)->line == 2 &&
	      idl_lexer_doc(&lx, 1)->column == 3, "the second doc comment is at 2:3");
	idl_lexer_drop_docs(&lx, 2);
	CHECK(!idl_lexer_doc(&lx, 0) && !idl_lexer_doc(&lx, 1) && idl_lexer_doc(&lx, 2),
	      "dropped doc comments are gone, the rest stay");
	idl_lexer_release(&lx);
}

/* ---- doc comments ---- */

static void check_strip(const char *in, const char *want)
{
	struct ak_error err = { 0 };
	struct ak_buf b = AK_BUF_INIT;
	int rc = ak_idl_strip_doc(in, strlen(in), &b, &err);
	int ok = rc == AK_OK && b.len == strlen(want) && (!b.len || memcmp(b.data, want, b.len) == 0);

	CHECK(ok, "strip [%s] -> [%s] (got [%.*s])", in, want, (int)b.len,
	      b.data ? (const char *)b.data : "");
	ak_buf_release(&b);
}

static void test_strip(void)
{
	check_strip("A simple test case.", "A simple test case.");
	check_strip("* A simple test case.", "A simple test case.");
	check_strip("* Licensed to\n * or more\n *\n *     https://x", "Licensed to\nor more\n\n"
		    "    https://x");
	check_strip("** a\n ** b", "a\nb");
	check_strip("** a\n * b", "* a\nb");
	check_strip("* a\n  b", "* a\nb");
	check_strip("first\n    second\n    third", "first\nsecond\nthird");
	check_strip("first\n    second\n  third", "first\n  second\nthird");
	check_strip("first\n\tsecond\n\t\tthird", "first\nsecond\n\tthird");
	check_strip("first\n  second\nthird", "first\n  second\nthird");
	check_strip("* one\r\n * two", "one\r\ntwo");
	check_strip("", "");
}

/* ---- the parser ---- */

struct mem_file {
	const char *name, *text;
};

static const struct mem_file files[] = {
	{ "a.avdl", "protocol A { import idl \"b.avdl\"; record RA {} int fa(); }" },
	{ "b.avdl", "protocol B { import idl \"a.avdl\"; import idl \"b.avdl\"; record RB {} "
		    "int fb(); }" },
	{ "s.avdl", "namespace s; record S {}" },
	{ "foo.avsc", "{\"type\":\"record\",\"name\":\"Foo\",\"fields\":[]}" },
	{ "nested.avsc", "{\"type\":\"record\",\"name\":\"n.Out\",\"fields\":[{\"name\":"
			 "\"in\",\"type\":{\"type\":\"enum\",\"name\":\"In\",\"symbols\":"
			 "[\"X\"]},\"default\":\"X\"}]}" },
	{ "p.avpr", "{\"protocol\":\"Q\",\"namespace\":\"q\",\"types\":[{\"type\":\"fixed\","
		    "\"name\":\"F\",\"size\":2}],\"messages\":{\"m\":{\"request\":[{\"name\":"
		    "\"f\",\"type\":\"F\"}],\"response\":\"null\",\"one-way\":true}}}" },
	{ "bad.avsc", "{\"type\":\"record\"" },
	{ "deep.avdl", "protocol D { import idl \"deep.avdl\"; }" },
	{ NULL, NULL },
};


static const struct mem_file *mem_files = files;

static int mem_find(void *ctx, const char *from, const char *path, struct ak_idl_source *out,
		    struct ak_error *err)
{
	(void)ctx;
	(void)from;
	for (size_t i = 0; mem_files && mem_files[i].name; i++) {
		if (strcmp(mem_files[i].name, path) == 0) {
			out->name = strdup(path);
			out->has_id = 1;
			out->id[0] = 7;
			out->id[1] = i;
			return AK_OK;
		}
	}
	return ak_fail(err, AK_E_IO, "no such file");
}

static int mem_read(void *ctx, struct ak_idl_source *src, size_t max, struct ak_error *err)
{
	const char *text = mem_files[src->id[1]].text;

	(void)ctx;
	if (strlen(text) > max)
		return ak_fail(err, AK_E_LIMIT, "too large");
	src->text = strdup(text);
	src->len = strlen(text);
	return AK_OK;
}

static const struct ak_idl_loader mem_loader = { mem_find, mem_read, NULL };

static struct ak_idl *parse(const char *text, struct ak_error *err)
{
	struct ak_idl_source src = { strdup("t.avdl"), strdup(text), strlen(text), 1, { 7, 999 } };
	struct ak_idl_opts opts = { &mem_loader, 0, 0 };

	ak_error_clear(err);
	return ak_idl_parse(&src, &opts, err);
}

/* Does @text give JSON equal to @want (compact JSON; "'" stands for '"')? */
static void check_idl(const char *what, const char *text, const char *want_q)
{
	struct ak_error err = { 0 };
	struct ak_idl *idl = parse(text, &err);
	struct ak_buf b = AK_BUF_INIT;
	char want[4096];
	json_t *got = NULL, *exp;
	int ok;

	snprintf(want, sizeof(want), "%s", want_q);
	for (char *p = want; *p; p++)
		if (*p == '\'')
			*p = '"';
	exp = json_loads(want, JSON_DECODE_ANY, NULL);
	if (idl && ak_idl_json(idl, 0, &b, &err) == AK_OK)
		got = json_loadb((const char *)b.data, b.len, JSON_DECODE_ANY, NULL);
	ok = got && exp && json_equal(got, exp);
	CHECK(ok, "%s", what);
	if (!ok) {
		tap_note("want %s", want);
		tap_note("got  %.*s", (int)b.len, b.data ? (const char *)b.data : err.msg);
	}
	json_decref(got);
	json_decref(exp);
	ak_buf_release(&b);
	ak_idl_free(idl);
}

static void check_error(const char *what, const char *text, const char *want)
{
	struct ak_error err = { 0 };
	struct ak_idl *idl = parse(text, &err);

	CHECK(!idl && err.code != AK_OK && strcmp(err.msg, want) == 0, "%s: %s (got %s)", what,
	      want, err.msg);
	ak_idl_free(idl);
}

static void test_types(void)
{
	check_idl("an empty protocol", "protocol P {}",
		  "{'protocol':'P','types':[],'messages':{}}");
	check_idl("@namespace, doc and properties of a protocol",
		  "/** The doc. */ @namespace(\"a.b\") @version(\"1\") protocol P {}",
		  "{'protocol':'P','namespace':'a.b','doc':'The doc.','version':'1','types':[],"
		  "'messages':{}}");
	check_idl("a dotted protocol name carries its namespace", "protocol a.b.P {}",
		  "{'protocol':'P','namespace':'a.b','types':[],'messages':{}}");
	check_idl("primitives and logical types",
		  "schema R; record R { boolean a; int b; long c; float d; double e; bytes f; "
		  "string g; null h; date i; time_ms j; timestamp_ms k; local_timestamp_ms l; "
		  "uuid m; decimal(9,2) n; decimal(4) o; }",
		  "{'type':'record','name':'R','fields':[{'name':'a','type':'boolean'},"
		  "{'name':'b','type':'int'},{'name':'c','type':'long'},{'name':'d','type':'float'},"
		  "{'name':'e','type':'double'},{'name':'f','type':'bytes'},"
		  "{'name':'g','type':'string'},{'name':'h','type':'null'},"
		  "{'name':'i','type':{'type':'int','logicalType':'date'}},"
		  "{'name':'j','type':{'type':'int','logicalType':'time-millis'}},"
		  "{'name':'k','type':{'type':'long','logicalType':'timestamp-millis'}},"
		  "{'name':'l','type':{'type':'long','logicalType':'local-timestamp-millis'}},"
		  "{'name':'m','type':{'type':'string','logicalType':'uuid'}},"
		  "{'name':'n','type':{'type':'bytes','logicalType':'decimal','precision':9,"
		  "'scale':2}},{'name':'o','type':{'type':'bytes','logicalType':'decimal',"
		  "'precision':4,'scale':0}}]}");
	check_idl("other logical types through @logicalType",
		  "schema @logicalType(\"timestamp-micros\") long;",
		  "{'type':'long','logicalType':'timestamp-micros'}");
	check_idl("arrays, maps and unions", "schema union { null, array<map<int>> };",
		  "['null',{'type':'array','items':{'type':'map','values':'int'}}]");
	check_idl("T? puts null first, or last when the default is not null",
		  "schema R; record R { string? a; string? b = null; string? c = \"x\", "
		  "d = null; }",
		  "{'type':'record','name':'R','fields':[{'name':'a','type':['null','string']},"
		  "{'name':'b','type':['null','string'],'default':null},"
		  "{'name':'c','type':['string','null'],'default':'x'},"
		  "{'name':'d','type':['null','string'],'default':null}]}");
	check_idl("annotations of T? go on T", "schema @foo(1) int?;",
		  "['null',{'type':'int','foo':1}]");
	check_idl("enums with a default, fixed with a hex size, errors",
		  "namespace n; schema array<R>; enum E { A, B } = B; fixed F(0x10); "
		  "error R { E e; F f; }",
		  "{'type':'array','items':{'type':'error','name':'R','namespace':'n','fields':["
		  "{'name':'e','type':{'type':'enum','name':'E','symbols':['A','B'],"
		  "'default':'B'}},{'name':'f','type':{'type':'fixed','name':'F','size':16}}]}}");
	check_idl("without a main schema: each named schema on its own",
		  "namespace n; enum E { A } record R { E e; }",
		  "[{'type':'enum','name':'E','namespace':'n','symbols':['A']},"
		  "{'type':'record','name':'R','namespace':'n','fields':[{'name':'e','type':"
		  "{'type':'enum','name':'E','symbols':['A']}}]}]");
	check_idl("an empty schema file", "", "[]");
	check_idl("defaults of every kind",
		  "schema R; record R { long a = 0x10; double b = -1.5e3; float c = NaN; "
		  "double d = Infinity; array<int> e = [1, 2]; map<boolean> f = {\"k\": true}; "
		  "bytes g = \"\\u00ff\\n\"; string h = \"\\101\\u00e9\"; long i = 5L; int j = -010; }",
		  "{'type':'record','name':'R','fields':[{'name':'a','type':'long','default':16},"
		  "{'name':'b','type':'double','default':-1500.0},"
		  "{'name':'c','type':'float','default':'NaN'},"
		  "{'name':'d','type':'double','default':'Infinity'},"
		  "{'name':'e','type':{'type':'array','items':'int'},'default':[1,2]},"
		  "{'name':'f','type':{'type':'map','values':'boolean'},'default':{'k':true}},"
		  "{'name':'g','type':'bytes','default':'\\u00ff\\n'},"
		  "{'name':'h','type':'string','default':'A\\u00e9'},"
		  "{'name':'i','type':'long','default':5},{'name':'j','type':'int','default':-8}]}");
	check_idl("field annotations: order, aliases, others; aliases of a type",
		  "schema R; @aliases([\"Old\", \"x.Older\", \"Old\"]) @p(1) record R { "
		  "string @order(\"DESCENDING\") @aliases([\"b\", \"b\"]) @q(\"v\") a; }",
		  "{'type':'record','name':'R','fields':[{'name':'a','type':'string',"
		  "'order':'descending','aliases':['b'],'q':'v'}],'p':1,'aliases':['Old','x.Older']}");
	check_idl("keywords as names; backticks",
		  "protocol P { record `record` { int int; string `error`; } "
		  "void `error`(); record error(); }",
		  "{'protocol':'P','types':[{'type':'record','name':'record','fields':["
		  "{'name':'int','type':'int'},{'name':'error','type':'string'}]}],"
		  "'messages':{'error':{'request':[],'response':'record'}}}");
}

static void test_names(void)
{
	check_idl("a record's namespace names what it refers to, and where namespaces differ "
		  "they are written",
		  "@namespace(\"p\") protocol P { @namespace(\"q\") record A { B b; } "
		  "@namespace(\"q\") record B {} record C { q.A a; } }",
		  "{'protocol':'P','namespace':'p','types':[{'type':'record','name':'A',"
		  "'namespace':'q','fields':[{'name':'b','type':{'type':'record','name':'B',"
		  "'fields':[]}}]},{'type':'record','name':'C','fields':[{'name':'a','type':'q.A'}]}],"
		  "'messages':{}}");
	check_idl("a type in the null namespace inside another gets \"namespace\": \"\"",
		  "namespace n; schema R; record R { X x; } @namespace(\"\") record X {}",
		  "{'type':'record','name':'R','namespace':'n','fields':[{'name':'x','type':"
		  "{'type':'record','name':'X','namespace':'','fields':[]}}]}");
	check_idl("a name not found in its namespace is looked for in the null one",
		  "protocol P { import schema \"foo.avsc\"; @namespace(\"n\") record R { Foo f; } }",
		  "{'protocol':'P','types':[{'type':'record','name':'Foo','fields':[]},"
		  "{'type':'record','name':'R','namespace':'n','fields':[{'name':'f','type':'Foo'}]}],"
		  "'messages':{}}");
	check_idl("forward references and recursion; a type is defined where first written",
		  "protocol P { record A { B b; } record B { array<A> a; B? self; } }",
		  "{'protocol':'P','types':[{'type':'record','name':'A','fields':[{'name':'b',"
		  "'type':{'type':'record','name':'B','fields':[{'name':'a','type':{'type':'array',"
		  "'items':'A'}},{'name':'self','type':['null','B']}]}}]}],'messages':{}}");
}

static void test_messages(void)
{
	check_idl("messages: doc, properties, defaults, one-way, throws",
		  "protocol P { error E {} /** Doc. */ @p(1) int add(int a, int b = 2) throws E; "
		  "void ping() oneway; void e2() throws E; }",
		  "{'protocol':'P','types':[{'type':'error','name':'E','fields':[]}],'messages':{"
		  "'add':{'doc':'Doc.','p':1,'request':[{'name':'a','type':'int'},{'name':'b',"
		  "'type':'int','default':2}],'response':'int','errors':['E']},"
		  "'ping':{'request':[],'response':'null','one-way':true},"
		  "'e2':{'request':[],'response':'null','errors':['E']}}}");
	check_idl("a message declared twice keeps its place and takes the later one",
		  "protocol P { int a(); int b(); string a(); }",
		  "{'protocol':'P','types':[],'messages':{'a':{'request':[],'response':'string'},"
		  "'b':{'request':[],'response':'int'}}}");
	check_idl("doc comments of fields and parameters, the first one as a default",
		  "protocol P { record R { /** all */ int a, /** mine */ b; } "
		  "void m(/** p */ int x); }",
		  "{'protocol':'P','types':[{'type':'record','name':'R','fields':[{'name':'a',"
		  "'type':'int','doc':'all'},{'name':'b','type':'int','doc':'mine'}]}],"
		  "'messages':{'m':{'request':[{'name':'x','type':'int','doc':'p'}],"
		  "'response':'null'}}}");
}

static void test_imports(void)
{
	check_idl("an import cycle reads each file once; messages come along",
		  "protocol T { import idl \"a.avdl\"; }",
		  "{'protocol':'T','types':[{'type':'record','name':'RB','fields':[]},"
		  "{'type':'record','name':'RA','fields':[]}],'messages':{'fb':{'request':[],"
		  "'response':'int'},'fa':{'request':[],'response':'int'}}}");
	check_idl("a schema-syntax file imported into a protocol gives its types",
		  "protocol T { import idl \"s.avdl\"; }",
		  "{'protocol':'T','types':[{'type':'record','name':'S','namespace':'s','fields':[]}],"
		  "'messages':{}}");
	check_idl("JSON schema files: a record comes before the types defined in it",
		  "protocol T { import schema \"nested.avsc\"; }",
		  "{'protocol':'T','types':[{'type':'record','name':'Out','namespace':'n','fields':["
		  "{'name':'in','type':{'type':'enum','name':'In','symbols':['X']},"
		  "'default':'X'}]}],'messages':{}}");
	check_idl("JSON protocol files: types and messages",
		  "protocol T { import protocol \"p.avpr\"; }",
		  "{'protocol':'T','types':[{'type':'fixed','name':'F','namespace':'q','size':2}],"
		  "'messages':{'m':{'request':[{'name':'f','type':'q.F'}],'response':'null',"
		  "'one-way':true}}}");
	check_idl("a schema file takes no messages from a protocol it imports",
		  "import protocol \"p.avpr\";",
		  "[{'type':'fixed','name':'F','namespace':'q','size':2}]");
	check_error("a missing file", "protocol T {\n  import idl \"none.avdl\"; }",
		    "t.avdl:2:14: import \"none.avdl\": no such file");
	check_error("bad JSON", "protocol T { import schema \"bad.avsc\"; }",
		    "bad.avsc:1:16: invalid JSON: '}' expected near end of file");
	check_idl("a file importing itself", "protocol D { import idl \"deep.avdl\"; }",
		  "{'protocol':'D','types':[],'messages':{}}");
}

static void test_errors(void)
{
	check_error("a missing semicolon", "protocol P {\n  record R { int x }\n}",
		    "t.avdl:2:20: expected ',' or ';', found '}'");
	check_error("the end too early", "protocol P { record R {",
		    "t.avdl:1:24: expected '}', found the end of the input");
	check_error("an unknown type", "protocol P {\n record R { Nope n; } }",
		    "t.avdl:2:13: unknown type 'Nope'");
	check_error("a bad default", "schema R; record R { int x = \"no\"; }",
		    "t.avdl:1:30: invalid default for field 'x': not a value of type int");
	check_error("an int default too large", "schema R; record R { int x = 3000000000; }",
		    "t.avdl:1:30: invalid default for field 'x': not a value of type int");
	check_error("an integer too large", "schema R; record R { long x = 9223372036854775808; }",
		    "t.avdl:1:31: integer '9223372036854775808' does not fit in 64 bits");
	check_error("an annotated reference", "protocol P { record A {} record B { @x(1) A a; } }",
		    "t.avdl:1:43: a reference to a named type cannot be annotated");
	check_error("a reserved property", "schema @type(\"x\") int;",
		    "t.avdl:1:8: 'type' is a reserved property here");
	check_error("a duplicate field", "schema R; record R { int a; long a; }",
		    "t.avdl:1:34: field 'a' is declared twice");
	check_error("a duplicate symbol", "enum E { A, A }",
		    "t.avdl:1:13: enum symbol 'A' is declared twice");
	check_error("an enum default that is no symbol", "enum E { A } = B;",
		    "t.avdl:1:16: the default 'B' is not a symbol of enum 'E'");
	check_error("a union twice the same", "schema union { int, string, int };",
		    "t.avdl:1:29: 'int' is in the union twice");
	check_error("null? is a union of null twice", "schema null?;",
		    "t.avdl:1:8: 'null' is in the union twice");
	check_error("nested unions", "schema union { int, union { string } };",
		    "t.avdl:1:21: a union cannot hold another union");
	check_error("a one-way message returning something", "protocol P { int m() oneway; }",
		    "t.avdl:1:22: one-way message 'm' must return void");
	check_error("an error thrown twice", "protocol P { error E {} void m() throws E, E; }",
		    "t.avdl:1:44: 'E' is in the union twice");
	check_error("a type name that is a primitive", "record int {}",
		    "t.avdl:1:8: invalid type name 'int'");
	check_error("a dash in a type name", "record a-b {}", "t.avdl:1:8: invalid type name 'a-b'");
	check_error("a type defined twice differently", "record A { int x; }\nrecord A {}",
		    "t.avdl:2:8: type 'A' is already defined at t.avdl:1:8");
	check_error("decimal scale above precision", "schema decimal(2, 3);",
		    "t.avdl:1:19: invalid decimal scale 3 (greater than the precision 2)");
	check_error("@order", "schema R; record R { int @order(\"up\") a; }",
		    "t.avdl:1:26: @order(...) must hold \"ascending\", \"descending\" or \"ignore\"");
	check_error("@namespace", "@namespace(1) protocol P {}",
		    "t.avdl:1:1: @namespace(...) must hold a string");
	check_error("a fixed size with L", "fixed F(16L);",
		    "t.avdl:1:9: the size '16L' is not a 32-bit integer");
	check_error("something after the protocol", "protocol P {} record R {}",
		    "t.avdl:1:15: expected the end of the input after the protocol, found 'record'");
	check_error("annotations before a namespace", "@x(1) namespace n;",
		    "t.avdl:1:7: expected 'protocol', 'record', 'error', 'enum' or 'fixed' after "
		    "annotations, found 'namespace'");
	check_error("a lexer error", "protocol P { # }", "t.avdl:1:14: unexpected character '#'");
	check_error("a lone surrogate", "schema R; record R { string s = \"\\ud800\"; }",
		    "t.avdl:1:33: a lone surrogate (\\uD800) in a string");
	check_error("an import without a loader's file", "import idl \"x.avdl\";",
		    "t.avdl:1:12: import \"x.avdl\": no such file");
}

static void test_warnings(void)
{
	struct ak_error err = { 0 };
	struct ak_idl *idl = parse("/** License */\n/** Doc */\nprotocol P {\n"
				   "  enum E { /** dangling */ A }\n  record R {}\n}", &err);
	const struct ak_idl_warning *w;

	CHECK(idl && ak_idl_warning_count(idl) == 2, "two out-of-place doc comments");
	if (idl && ak_idl_warning_count(idl) == 2) {
		w = ak_idl_warning(idl, 0);
		CHECK(strcmp(w->file, "t.avdl") == 0 && w->line == 1 && w->column == 1,
		      "the license header is one (1:1)");
		w = ak_idl_warning(idl, 1);
		CHECK(w->line == 4 && w->column == 12, "the comment before a symbol is one (4:12)");
	}
	ak_idl_free(idl);
}

static void test_outputs(void)
{
	struct ak_error err = { 0 };
	struct ak_buf b = AK_BUF_INIT;
	struct ak_idl *idl = parse("@namespace(\"n\") protocol P { record A { m.B b; } "
				   "@namespace(\"m\") record B {} }", &err);

	CHECK(idl && ak_idl_kind(idl) == AK_IDL_PROTOCOL, "a protocol");
	CHECK(idl && ak_idl_type_count(idl) == 2 && strcmp(ak_idl_type_name(idl, 1), "B") == 0 &&
	      strcmp(ak_idl_type_fullname(idl, 1), "m.B") == 0, "its types, in order");
	{
		const char *want = "{\"type\":\"record\",\"name\":\"A\",\"namespace\":\"n\","
				   "\"fields\":[{\"name\":\"b\",\"type\":{\"type\":\"record\","
				   "\"name\":\"B\",\"namespace\":\"m\",\"fields\":[]}}]}";

		CHECK(idl && ak_idl_type_json(idl, 0, 0, &b, &err) == AK_OK &&
		      b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
		      "a type on its own defines what it uses");
	}
	b.len = 0;
	CHECK(idl && ak_idl_schema_json(idl, 0, &b, &err) == AK_E_SCHEMA &&
	      strstr(err.msg, "protocol is not a schema"), "a protocol has no main schema");
	ak_idl_free(idl);
	idl = parse("schema int;", &err);
	b.len = 0;
	CHECK(idl && ak_idl_kind(idl) == AK_IDL_SCHEMA && ak_idl_schema_json(idl, 2, &b, &err) ==
	      AK_OK && b.len == 5 && memcmp(b.data, "\"int\"", 5) == 0, "schema int;");
	ak_idl_free(idl);
	idl = parse("record R {}", &err);
	CHECK(idl && ak_idl_kind(idl) == AK_IDL_SCHEMAS &&
	      ak_idl_schema_json(idl, 0, &b, &err) == AK_E_SCHEMA, "no schema declaration");
	ak_idl_free(idl);
	ak_buf_release(&b);
}

static void test_limits(void)
{
	struct ak_error err = { 0 };
	struct ak_buf b = AK_BUF_INIT;
	struct ak_idl *idl;
	char *deep = malloc(100000);
	size_t n = 0;

	/* 300 nested arrays */
	n += (size_t)sprintf(deep, "schema ");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(deep + n, "array<");
	n += (size_t)sprintf(deep + n, "int");
	for (int i = 0; i < 300; i++)
		deep[n++] = '>';
	deep[n++] = ';';
	deep[n] = '\0';
	idl = parse(deep, &err);
	CHECK(!idl && strstr(err.msg, "nested more than 256 levels deep"), "deep types: %s",
	      err.msg);
	ak_idl_free(idl);
	/* 300 nested JSON arrays in an annotation */
	n = (size_t)sprintf(deep, "schema @x(");
	for (int i = 0; i < 300; i++)
		deep[n++] = '[';
	for (int i = 0; i < 300; i++)
		deep[n++] = ']';
	n += (size_t)sprintf(deep + n, ") int;");
	idl = parse(deep, &err);
	CHECK(!idl && strstr(err.msg, "nested more than 256 levels deep"), "deep JSON: %s",
	      err.msg);
	ak_idl_free(idl);
	/* a chain of 300 records, each defined inside the one before when written out */
	n = (size_t)sprintf(deep, "schema R0;");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(deep + n, " record R%d { R%d? r; }", i, i + 1);
	n += (size_t)sprintf(deep + n, " record R300 {}");
	idl = parse(deep, &err);
	CHECK(idl && ak_idl_json(idl, 0, &b, &err) == AK_E_LIMIT &&
	      strstr(err.msg, "nest more than 256 levels deep when written out"),
	      "a deep chain of definitions: %s", err.msg);
	ak_idl_free(idl);
	free(deep);
	ak_buf_release(&b);
}

int main(void)
{
	test_lexer();
	test_strip();
	test_types();
	test_names();
	test_messages();
	test_imports();
	test_errors();
	test_warnings();
	test_outputs();
	test_limits();
	return tap_done();
}
