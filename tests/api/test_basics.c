/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The small calls of avrokit.h: versions, the frozen status codes and their names, struct
 * ak_error (clearing, and ak_error_format() for each kind of position), ak_free(), the codecs
 * built in, the defaults every ak_X_opts_init() sets, and that every free function takes NULL.
 */
#include "tap.h"

static void test_version(void)
{
	CHECK(strcmp(ak_version(), AK_VERSION_STRING) == 0, "ak_version() is the header's %s (%s)",
	      AK_VERSION_STRING, ak_version());
	CHECK(ak_version_number() == AK_VERSION_NUMBER, "ak_version_number() is %d",
	      AK_VERSION_NUMBER);
	CHECK(AK_VERSION_NUMBER == AK_VERSION_MAJOR * 10000 + AK_VERSION_MINOR * 100 +
				   AK_VERSION_PATCH, "AK_VERSION_NUMBER is made of its parts");
	{
		char s[32];

		snprintf(s, sizeof(s), "%d.%d.%d", AK_VERSION_MAJOR, AK_VERSION_MINOR,
			 AK_VERSION_PATCH);
		CHECK(strcmp(s, AK_VERSION_STRING) == 0, "AK_VERSION_STRING is %s", s);
	}
}

static void test_status(void)
{
	static const struct {
		int code, value;
		const char *name;
	} codes[] = {
		{ AK_OK, 0, "ok" },
		{ AK_EOF, 1, "end of input" },
		{ AK_E_NOMEM, -1, "out of memory" },
		{ AK_E_IO, -2, "I/O error" },
		{ AK_E_FORMAT, -3, "format error" },
		{ AK_E_SCHEMA, -4, "schema error" },
		{ AK_E_LIMIT, -5, "limit exceeded" },
		{ AK_E_CODEC, -6, "codec error" },
		{ AK_E_UNSUPPORTED, -7, "unsupported" },
		{ AK_E_ARG, -8, "invalid argument" },
		{ AK_E_JSON, -9, "JSON error" },
		{ AK_E_VALUE, -10, "value does not fit the schema" },
		{ AK_E_STATE, -11, "call out of order" },
		{ AK_E_CALLBACK, -12, "stopped by a callback" },
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		CHECK(codes[i].code == codes[i].value, "status %s has its frozen value %d",
		      codes[i].name, codes[i].value);
		CHECK(strcmp(ak_status_name(codes[i].code), codes[i].name) == 0,
		      "ak_status_name(%d) is \"%s\" (%s)", codes[i].code, codes[i].name,
		      ak_status_name(codes[i].code));
	}
	CHECK(strcmp(ak_status_name(-99), "unknown error") == 0 &&
	      strcmp(ak_status_name(42), "unknown error") == 0, "an unknown code has a name too");
	/* the other frozen numbers */
	CHECK(AK_ISSUE_TYPE_MISMATCH == 1 && AK_ISSUE_NAME_MISMATCH == 2 && AK_ISSUE_FIXED_SIZE == 3 &&
	      AK_ISSUE_MISSING_FIELD == 4 && AK_ISSUE_BAD_DEFAULT == 5 &&
	      AK_ISSUE_MISSING_SYMBOL == 6 && AK_ISSUE_MISSING_BRANCH == 7 &&
	      AK_ISSUE_NOT_IN_UNION == 8, "issue kinds have their frozen values");
	CHECK(AK_NULL == 0 && AK_FIXED == 13 && AK_LT_NONE == 0 && AK_LT_DURATION == 12,
	      "type and logical type numbers");
	CHECK(AK_NO_POS == UINT64_MAX, "AK_NO_POS is UINT64_MAX");
}

static void test_error_clear(void)
{
	struct ak_error e;

	memset(&e, 0x5a, sizeof(e));
	ak_error_clear(&e);
	CHECK(e.code == 0 && e.sys_errno == 0 && e.flags == 0, "cleared: code, errno, flags 0");
	CHECK(e.offset == AK_NO_POS && e.block == AK_NO_POS && e.record == AK_NO_POS,
	      "cleared: positions AK_NO_POS");
	CHECK(e.line == 0 && e.column == 0, "cleared: line and column 0");
	CHECK(e.path[0] == '\0' && e.msg[0] == '\0', "cleared: path and message empty");
	ak_error_clear(NULL);
	CHECK(1, "ak_error_clear(NULL) does nothing");
}

/* @e with the given fields and message. */
static struct ak_error mkerr(int code, uint64_t block, uint64_t offset, uint64_t record,
			     uint64_t line, uint64_t column, const char *path, const char *msg)
{
	struct ak_error e;

	ak_error_clear(&e);
	e.code = code;
	e.block = block;
	e.offset = offset;
	e.record = record;
	e.line = line;
	e.column = column;
	snprintf(e.path, sizeof(e.path), "%s", path);
	snprintf(e.msg, sizeof(e.msg), "%s", msg);
	return e;
}

static void format_is(const struct ak_error *e, const char *want, const char *what)
{
	char buf[1024];
	size_t n = ak_error_format(e, buf, sizeof(buf));

	CHECK(strcmp(buf, want) == 0 && n == strlen(want), "ak_error_format, %s: \"%s\" (got \"%s\","
	      " %zu)", what, want, buf, n);
}

static void test_error_format(void)
{
	const uint64_t N = AK_NO_POS;
	struct ak_error e;
	char small[12];
	size_t n;

	e = mkerr(AK_E_FORMAT, 7, 81234, 3, 0, 0, "address.zip", "negative string length");
	format_is(&e, "block 7 (offset 81234): record 3: field address.zip: negative string length",
		  "container data with every position");
	e = mkerr(AK_E_FORMAT, 2, N, N, 0, 0, "", "sync marker mismatch");
	format_is(&e, "block 2: sync marker mismatch", "a block without offset");
	e = mkerr(AK_E_FORMAT, 0, 40, N, 0, 0, "", "file ends inside the block data");
	format_is(&e, "block 0 (offset 40): file ends inside the block data", "a block");
	e = mkerr(AK_E_FORMAT, 1, 99, 0, 0, 0, "", "bad");
	format_is(&e, "block 1 (offset 99): record 0: bad", "record 0 of a block");
	e = mkerr(AK_E_JSON, N, N, N, 12, 5, "a.b", "expected string, got number");
	format_is(&e, "12:5: field \"a.b\": expected string, got number", "text input");
	e = mkerr(AK_E_JSON, N, N, 4, 3, 1, "m[\"k\"]", "expected int");
	format_is(&e, "3:1: at m[\"k\"]: expected int",
		  "text input, a path with quotes (a record index is not shown with a line)");
	e = mkerr(AK_E_JSON, N, 77, N, 1, 9, "", "invalid JSON");
	format_is(&e, "1:9: invalid JSON", "text input with an offset (not shown)");
	e = mkerr(AK_E_FORMAT, N, 10, 4, 0, 0, "tags[3]", "too short");
	format_is(&e, "record 4 (offset 10): field tags[3]: too short",
		  "a schemaless datum: record and offset");
	e = mkerr(AK_E_VALUE, N, N, 4, 0, 0, "", "no default");
	format_is(&e, "record 4: no default", "a record index alone");
	e = mkerr(AK_E_FORMAT, N, 10, N, 0, 0, "", "bad boolean");
	format_is(&e, "offset 10: bad boolean", "an offset alone");
	e = mkerr(AK_E_VALUE, N, N, N, 0, 0, "address.zip", "out of range");
	format_is(&e, "field address.zip: out of range", "a path alone");
	e = mkerr(AK_E_ARG, N, N, N, 0, 0, "", "no path");
	format_is(&e, "no path", "the message alone");
	e = mkerr(AK_E_IO, N, N, N, 0, 0, "", "");
	format_is(&e, "I/O error", "no message: the status name");

	/* cut to the size, NUL-terminated, and the whole length returned */
	e = mkerr(AK_E_FORMAT, 7, 81234, 3, 0, 0, "address.zip", "negative string length");
	memset(small, 'x', sizeof(small));
	n = ak_error_format(&e, small, sizeof(small));
	CHECK(n == strlen("block 7 (offset 81234): record 3: field address.zip: negative string "
			  "length") && strcmp(small, "block 7 (of") == 0,
	      "a small buffer gets the start, NUL-terminated, and the whole length (%zu, \"%s\")", n,
	      small);
	n = ak_error_format(&e, NULL, 0);
	CHECK(n > 20, "size 0 writes nothing and still gives the length (%zu)", n);
	small[0] = 'x';
	CHECK(ak_error_format(NULL, small, sizeof(small)) == 0 && small[0] == '\0',
	      "a NULL error formats as \"\"");
}

static void test_free(void)
{
	ak_free(NULL);
	ak_schema_free(NULL);
	ak_compat_free(NULL);
	ak_decoder_free(NULL);
	ak_encoder_free(NULL);
	ak_reader_free(NULL);
	ak_writer_free(NULL);
	ak_encoder_reset(NULL);
	CHECK(1, "every free function (and ak_encoder_reset) takes NULL");
}

static void test_codecs(void)
{
	static const char *const writable[] = { "null", "deflate", "snappy" };
	static const char *const optional[] = { "bzip2", "xz", "zstandard" };
	const char *libs = ak_codec_libraries();

	for (size_t i = 0; i < 3; i++)
		CHECK(ak_codec_supported(writable[i]) == 2, "codec %s is always read and written",
		      writable[i]);
	for (size_t i = 0; i < 3; i++) {
		int s = ak_codec_supported(optional[i]);

		CHECK(s == 0 || s == 2, "codec %s: 0 or 2 (%d)", optional[i], s);
		tap_note("%s: %s", optional[i], s ? "built in" : "left out");
	}
	CHECK(ak_codec_supported("lzma") == (ak_codec_supported("xz") ? 1 : 0),
	      "lzma (avro-c's) is read only, when xz is built in (%d)",
	      ak_codec_supported("lzma"));
	CHECK(ak_codec_supported("lz4") == (libs && strstr(libs, "liblz4") ? 1 : 0),
	      "lz4 (fastavro's) is read only, when liblz4 is built in (%d)",
	      ak_codec_supported("lz4"));
	CHECK(ak_codec_supported("gzip") == 0 && ak_codec_supported("") == 0 &&
	      ak_codec_supported("deflat") == 0 && ak_codec_supported("nulls") == 0 &&
	      ak_codec_supported(NULL) == 0, "no such codec: 0 (also NULL, \"\", prefixes)");
	CHECK(libs && strstr(libs, "zlib") && strstr(libs, "snappy"),
	      "ak_codec_libraries() names zlib and snappy: %s", libs ? libs : "(null)");
	CHECK(ak_codec_libraries() == libs, "ak_codec_libraries() is static storage");
}

static void test_opts(void)
{
	struct ak_reader_opts ro;
	struct ak_writer_opts wo;
	struct ak_decoder_opts dopt;
	struct ak_encoder_opts eo;
	int zero = 1;

	memset(&ro, 0xa5, sizeof(ro));
	ak_reader_opts_init(&ro);
	CHECK(ro.reader_schema == NULL && ro.json_flags == 0, "reader opts: no reader schema, json "
	      "flags 0");
	CHECK(ro.max_header == (size_t)64 << 20, "reader opts: max_header 64 MiB (%zu)",
	      ro.max_header);
	CHECK(ro.max_block == (size_t)512 << 20, "reader opts: max_block 512 MiB (%zu)",
	      ro.max_block);
	CHECK(ro.max_depth == 1000, "reader opts: max_depth 1000 (%u)", ro.max_depth);
	CHECK(ro.threads == 1, "reader opts: threads 1 (%u)", ro.threads);
	CHECK(ro.schema_flags == AK_SCHEMA_LENIENT, "reader opts: file schemas read leniently");
	CHECK(ro.resolve_flags == 0, "reader opts: resolve flags 0 (resolved when opened)");
	zero = ro.reserved0 == 0;
	for (int i = 0; i < 7; i++)
		zero &= ro.reserved[i] == 0;
	CHECK(zero, "reader opts: reserved space zeroed");

	memset(&wo, 0xa5, sizeof(wo));
	ak_writer_opts_init(&wo);
	CHECK(wo.codec && strcmp(wo.codec, "null") == 0, "writer opts: codec null");
	CHECK(wo.level == -1, "writer opts: level -1 (the codec's default)");
	CHECK(wo.block_size == AK_DEFAULT_BLOCK_SIZE && AK_DEFAULT_BLOCK_SIZE == 65536,
	      "writer opts: block size 64 KiB (%zu)", wo.block_size);
	CHECK(wo.sync == NULL && wo.meta_keys == NULL && wo.meta_values == NULL &&
	      wo.meta_lens == NULL && wo.nmeta == 0, "writer opts: no sync marker, no metadata");
	CHECK(wo.threads == 1 && wo.flags == 0, "writer opts: threads 1, flags 0");
	CHECK(wo.schema_text == NULL && wo.schema_text_len == 0, "writer opts: no schema text");
	zero = 1;
	for (int i = 0; i < 8; i++)
		zero &= wo.reserved[i] == 0;
	CHECK(zero, "writer opts: reserved space zeroed");

	memset(&dopt, 0xa5, sizeof(dopt));
	ak_decoder_opts_init(&dopt);
	CHECK(dopt.reader == NULL && dopt.json_flags == 0 && dopt.max_depth == 1000 &&
		      dopt.resolve_flags == 0,
	      "decoder opts: no reader schema, json flags 0, max_depth 1000, resolve flags 0");
	zero = dopt.reserved0 == 0;
	for (int i = 0; i < 7; i++)
		zero &= dopt.reserved[i] == 0;
	CHECK(zero, "decoder opts: reserved space zeroed");

	memset(&eo, 0xa5, sizeof(eo));
	ak_encoder_opts_init(&eo);
	CHECK(eo.json_flags == 0 && eo.max_depth == 1000, "encoder opts: json flags 0, max_depth "
	      "1000");
	zero = 1;
	for (int i = 0; i < 8; i++)
		zero &= eo.reserved[i] == 0;
	CHECK(zero, "encoder opts: reserved space zeroed");

	{
		struct ak_visitor v = AK_VISITOR_INIT;

		CHECK(v.size == sizeof(struct ak_visitor) && !v.on_null && !v.union_branch,
		      "AK_VISITOR_INIT sets the size and no callback");
	}
}

int main(void)
{
	test_version();
	test_status();
	test_error_clear();
	test_error_format();
	test_free();
	test_codecs();
	test_opts();
	return tap_done();
}
