/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing container files through avrokit.h (ak_writer): over a path (a temporary file renamed
 * into place on finish, nothing left behind otherwise, an existing file untouched until then),
 * a descriptor and callbacks (a failing write is AK_E_IO with AK_ERROR_OUTPUT); every codec
 * and level (a bad level is AK_E_ARG); metadata (avro.* and duplicate keys refused); the sync
 * marker; AK_WRITER_NO_HEADER appending to a file; ak_writer_append (good and bad datums),
 * blocks as they are and as stored; ak_writer_write_json (streams, arrays, plain JSON, threads
 * giving the same bytes, errors with line, column and path); flush; commit errors. Every file
 * written is read back with the reader.
 */
#include <fcntl.h>

#include "tap.h"

static struct ak_schema *schema;

static const char schema_json[] =
	"{\"type\":\"record\",\"name\":\"Rec\",\"namespace\":\"w\",\"fields\":["
	"{\"name\":\"id\",\"type\":\"long\"},"
	"{\"name\":\"name\",\"type\":\"string\"},"
	"{\"name\":\"opt\",\"type\":[\"null\",\"double\"],\"default\":null}]}";

/* Put record @i into the writer's encoder. */
static void put_rec(struct ak_writer *w, unsigned i)
{
	struct ak_encoder *e = ak_writer_encoder(w);
	char name[32];

	snprintf(name, sizeof(name), "n%u", i);
	ak_put_record(e, NULL);
	ak_put_field(e, "id", NULL);
	ak_put_long(e, i, NULL);
	ak_put_field(e, "name", NULL);
	ak_put_string(e, name, strlen(name), NULL);
	ak_put_field(e, "opt", NULL);
	if (i % 2)
		ak_put_double(e, i / 2.0, NULL);
	else
		ak_put_null(e, NULL);
	ak_put_end(e, NULL);
}

/* Commit records @from .. @to - 1; the status of the first failure. */
static int put_recs(struct ak_writer *w, unsigned from, unsigned to, struct ak_error *err)
{
	for (unsigned i = from; i < to; i++) {
		int rc;

		put_rec(w, i);
		if ((rc = ak_writer_commit(w, err)) != AK_OK)
			return rc;
	}
	return AK_OK;
}

/* The JSON text of record @i, as the reader writes it. */
static void rec_json(unsigned i, char *buf, size_t size)
{
	if (i % 2)
		snprintf(buf, size, "{\"id\":%u,\"name\":\"n%u\",\"opt\":{\"double\":%.17g}}", i, i,
			 i / 2.0);
	else
		snprintf(buf, size, "{\"id\":%u,\"name\":\"n%u\",\"opt\":null}", i, i);
}

/* The records of a file are exactly 0 .. @n - 1 (checked through their ids and names), and
 * its blocks as counted into @blocks. Returns 1 when so. */
static int file_has(const void *p, size_t len, unsigned n, unsigned *blocks, const char *codec,
		    const char *what)
{
	struct ak_error err;
	struct ak_reader *r;
	const struct ak_value *v;
	unsigned i = 0;
	int rc, ok = 1;

	ak_error_clear(&err);
	if (!(r = ak_reader_open_memory(p, len, NULL, &err)))
		return CHECK(0, "%s: the file opens (%s)", what, errstr(&err));
	if (codec)
		ok &= strcmp(ak_reader_codec(r), codec) == 0;
	while ((rc = ak_reader_read_value(r, &v, &err)) == AK_OK) {
		size_t l;
		const char *s = ak_value_string(ak_value_field(v, "name"), &l);
		char want[32];

		snprintf(want, sizeof(want), "n%u", i);
		ok &= ak_value_long(ak_value_field(v, "id")) == i && s && strcmp(s, want) == 0;
		ok &= ak_value_branch(ak_value_field(v, "opt")) == (long)(i % 2);
		i++;
	}
	ak_reader_free(r);
	if (blocks) {
		struct ak_block b;

		*blocks = 0;
		r = ak_reader_open_memory(p, len, NULL, &err);
		while (r && ak_reader_next_block(r, &b, AK_BLOCK_SKIP_DATA, &err) == AK_OK)
			(*blocks)++;
		ak_reader_free(r);
	}
	return CHECK(ok && rc == AK_EOF && i == n, "%s: reads back %u records (%u, %s)", what, n, i,
		     rc == AK_EOF ? "end" : errstr(&err));
}

static int file_has_path(const char *path, unsigned n, const char *what)
{
	size_t len;
	unsigned char *p = read_file(path, &len);
	int ok;

	if (!p)
		return CHECK(0, "%s: %s is there", what, path);
	ok = file_has(p, len, n, NULL, NULL, what);
	free(p);
	return ok;
}

static struct ak_writer *open_cb(struct membuf *m, const struct ak_writer_opts *o)
{
	struct ak_error err;
	struct ak_writer *w;

	ak_error_clear(&err);
	if (!(w = ak_writer_open_callbacks(membuf_write, m, schema, o, &err))) {
		printf("Bail out! ak_writer_open_callbacks: %s\n", errstr(&err));
		exit(1);
	}
	return w;
}

/* ---- paths ---- */

static void test_path(void)
{
	const char *target = scratch_path("out.avro");
	struct ak_error err;
	struct ak_writer *w;
	size_t len;
	unsigned char *p;
	int rc;

	unlink(target);
	ak_error_clear(&err);
	w = ak_writer_open_path(target, schema, NULL, &err);
	CHECK(w != NULL, "ak_writer_open_path (%s)", errstr(&err));
	rc = put_recs(w, 0, 100, &err);
	CHECK(rc == AK_OK && ak_writer_count(w) == 100, "100 records committed (%llu)",
	      (unsigned long long)ak_writer_count(w));
	CHECK(access(target, F_OK) != 0 && scratch_entries() == 1,
	      "before finish: the target is not there, one temporary file beside it");
	rc = ak_writer_finish(w, &err);
	CHECK(rc == AK_OK && access(target, F_OK) == 0 && scratch_entries() == 1,
	      "after finish: the target is there, nothing else (%s)", errstr(&err));
	file_has_path(target, 100, "the file written through a path");
	rc = ak_writer_commit(w, &err);
	CHECK(rc == AK_E_STATE, "commit after finish: AK_E_STATE");
	rc = ak_writer_finish(w, &err);
	CHECK(rc == AK_E_STATE, "finish twice: AK_E_STATE");
	rc = ak_writer_flush(w, &err);
	CHECK(rc == AK_E_STATE, "flush after finish: AK_E_STATE");
	rc = ak_writer_append(w, "\x02\x02x\x00", 4, &err);
	CHECK(rc < 0, "append after finish fails (%s)", ak_status_name(rc));
	ak_writer_free(w);

	/* free without finish: nothing left behind, the existing file untouched */
	p = read_file(target, &len);
	w = ak_writer_open_path(target, schema, NULL, &err);
	put_recs(w, 0, 5000, &err);
	ak_writer_flush(w, &err);
	ak_writer_free(w);
	{
		size_t len2;
		unsigned char *q = read_file(target, &len2);

		CHECK(q && len2 == len && memcmp(p, q, len) == 0 && scratch_entries() == 1,
		      "ak_writer_free without finish: the old file untouched, no temporary file left");
		free(q);
	}
	/* an open that fails leaves nothing either */
	{
		struct ak_writer_opts o;

		ak_writer_opts_init(&o);
		o.codec = "gzip";
		w = ak_writer_open_path(target, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG && scratch_entries() == 1,
		      "an open that fails (a bad codec): AK_E_ARG, no temporary file left (%s)",
		      errstr(&err));
	}
	free(p);

	/* a directory that is not there; no path */
	ak_error_clear(&err);
	w = ak_writer_open_path(scratch_path("no/such/dir.avro"), schema, NULL, &err);
	CHECK(!w && err.code == AK_E_IO && err.sys_errno == ENOENT, "a directory that is not there: "
	      "AK_E_IO, ENOENT (%s)", errstr(&err));
	w = ak_writer_open_path(NULL, schema, NULL, &err);
	CHECK(!w && err.code == AK_E_ARG, "a NULL path: AK_E_ARG");
	w = ak_writer_open_path("", schema, NULL, &err);
	CHECK(!w && err.code == AK_E_ARG, "an empty path: AK_E_ARG");
	w = ak_writer_open_path(target, NULL, NULL, &err);
	CHECK(!w && err.code == AK_E_ARG && scratch_entries() == 1, "no schema: AK_E_ARG, nothing "
	      "left (%s)", errstr(&err));
	unlink(target);
}

/* ---- descriptors and callbacks ---- */

static void test_fd_callbacks(void)
{
	const char *path = scratch_path("fd.avro");
	struct ak_error err;
	struct ak_writer *w;
	struct membuf m = MEMBUF_INIT;
	size_t hlen;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ak_error_clear(&err);
	w = ak_writer_open_fd(fd, schema, NULL, &err);
	rc = w ? put_recs(w, 0, 10, &err) : -99;
	rc = rc == AK_OK ? ak_writer_finish(w, &err) : rc;
	CHECK(rc == AK_OK, "ak_writer_open_fd: written (%s)", errstr(&err));
	ak_writer_free(w);
	CHECK(write(fd, "", 0) == 0, "the descriptor is still open after ak_writer_free");
	close(fd);
	file_has_path(path, 10, "the file written through a descriptor");
	unlink(path);

	w = ak_writer_open_fd(-1, schema, NULL, &err);
	CHECK(!w && err.code == AK_E_IO && (err.flags & AK_ERROR_OUTPUT) && err.sys_errno == EBADF,
	      "a bad descriptor: AK_E_IO, EBADF, AK_ERROR_OUTPUT (%s)", errstr(&err));

	/* callbacks */
	w = open_cb(&m, NULL);
	rc = put_recs(w, 0, 10, &err);
	rc = rc == AK_OK ? ak_writer_finish(w, &err) : rc;
	CHECK(rc == AK_OK, "ak_writer_open_callbacks: written");
	ak_writer_free(w);
	file_has(m.p, m.len, 10, NULL, "null", "the file written through callbacks");
	membuf_free(&m);
	w = ak_writer_open_callbacks(NULL, NULL, schema, NULL, &err);
	CHECK(!w && err.code == AK_E_ARG, "no write callback: AK_E_ARG");

	/* a write callback that fails: in the header, in a block */
	m.fail_after = 0;
	w = ak_writer_open_callbacks(membuf_write, &m, schema, NULL, &err);
	CHECK(!w && err.code == AK_E_IO && (err.flags & AK_ERROR_OUTPUT) && err.sys_errno == ENOSPC,
	      "a failing write of the header: AK_E_IO, ENOSPC, AK_ERROR_OUTPUT (%s)", errstr(&err));
	membuf_free(&m);
	m.fail_after = 2000;
	w = open_cb(&m, NULL);
	rc = put_recs(w, 0, 20000, &err);
	CHECK(rc == AK_E_IO && (err.flags & AK_ERROR_OUTPUT), "a failing write of a block: the "
	      "commit that ends the block fails with AK_E_IO, AK_ERROR_OUTPUT (%s)", errstr(&err));
	ak_writer_free(w);
	membuf_free(&m);
	/* the header alone goes, the block does not */
	w = open_cb(&m, NULL);
	hlen = m.len;
	ak_writer_free(w);
	membuf_free(&m);
	m.fail_after = (long)hlen + 5;
	w = open_cb(&m, NULL);
	put_recs(w, 0, 10, &err);
	rc = ak_writer_finish(w, &err);
	CHECK(rc == AK_E_IO && (err.flags & AK_ERROR_OUTPUT), "... or finish, for the last block "
	      "(%s)", errstr(&err));
	ak_writer_free(w);
	membuf_free(&m);
	m.fail_after = (long)hlen + 5;
	w = open_cb(&m, NULL);
	put_recs(w, 0, 10, &err);
	rc = ak_writer_flush(w, &err);
	CHECK(rc == AK_E_IO && (err.flags & AK_ERROR_OUTPUT), "... or flush (%s)", errstr(&err));
	ak_writer_free(w);
	membuf_free(&m);
}

/* A write callback that fails once, then would take everything: a writer must not try again
 * (the file may hold part of what failed), whatever the codec and threads. */
static int flaky_write(void *ctx, const void *buf, size_t n)
{
	struct membuf *m = ctx;

	if (m->fail_after >= 0 && m->len + n > (size_t)m->fail_after) {
		m->fail_after = -1; /* from now on it would work */
		m->calls++;
		errno = ENOSPC;
		return -1;
	}
	return membuf_write(ctx, buf, n);
}

static void test_stopped_by_a_failed_write(void)
{
	static const char *const codecs[] = { "null", "deflate" };

	for (int c = 0; c < 2; c++) {
		for (unsigned threads = 1; threads <= 2; threads++) {
			struct ak_writer_opts o;
			struct membuf m = MEMBUF_INIT;
			struct ak_error err;
			struct ak_writer *w;
			unsigned calls;
			size_t len;
			int rc = AK_OK, n = 0;

			ak_writer_opts_init(&o);
			o.codec = codecs[c];
			o.threads = threads;
			o.block_size = 200;
			m.fail_after = 600; /* past the header, in the second or third block */
			ak_error_clear(&err);
			w = ak_writer_open_callbacks(flaky_write, &m, schema, &o, &err);
			for (unsigned i = 0; w && rc == AK_OK && i < 5000; i++, n++) {
				put_rec(w, i);
				rc = ak_writer_commit(w, &err);
			}
			if (w && rc == AK_OK)
				rc = ak_writer_flush(w, &err);
			CHECK(rc == AK_E_IO && (err.flags & AK_ERROR_OUTPUT) && err.sys_errno == ENOSPC,
			      "%s, %u thread(s): the failed write comes out (%s)", codecs[c], threads,
			      errstr(&err));
			calls = m.calls;
			len = m.len;
			put_rec(w, 1);
			rc = ak_writer_commit(w, &err);
			CHECK(rc == AK_E_IO && strstr(err.msg, "an earlier error stopped the writer: ") &&
			      err.sys_errno == ENOSPC && (err.flags & AK_ERROR_OUTPUT),
			      "... then a commit gives it again (%s)", errstr(&err));
			rc = ak_writer_flush(w, &err);
			CHECK(rc == AK_E_IO && strstr(err.msg, "stopped the writer"),
			      "... and a flush (%s)", errstr(&err));
			rc = ak_writer_finish(w, &err);
			CHECK(rc == AK_E_IO && strstr(err.msg, "stopped the writer"),
			      "... and finish (%s)", errstr(&err));
			CHECK(m.calls == calls && m.len == len, "... and nothing more was written "
			      "(%u calls, %zu bytes; %u, %zu before)", m.calls, m.len, calls, len);
			ak_writer_free(w);
			membuf_free(&m);
		}
	}
}

/* ---- codecs, levels, threads ---- */

static void test_codecs(void)
{
	static const struct {
		const char *name;
		int good_level, bad_level;
	} codecs[] = {
		{ "null", -1, 1 },
		{ "deflate", 9, 10 },
		{ "snappy", -1, 1 },
		{ "bzip2", 1, 0 },
		{ "xz", 0, 10 },
		{ "zstandard", 22, 23 },
	};
	static const unsigned char sync[16] = "0123456789abcdef";

	for (size_t c = 0; c < sizeof(codecs) / sizeof(codecs[0]); c++) {
		struct ak_writer_opts o;
		struct ak_writer *w;
		struct ak_error err;
		struct membuf ref = MEMBUF_INIT;
		unsigned blocks;
		int rc;

		if (ak_codec_supported(codecs[c].name) != 2) {
			ak_writer_opts_init(&o);
			o.codec = codecs[c].name;
			ak_error_clear(&err);
			w = ak_writer_open_callbacks(membuf_write, &ref, schema, &o, &err);
			CHECK(!w && err.code == AK_E_UNSUPPORTED, "%s is not built in: AK_E_UNSUPPORTED",
			      codecs[c].name);
			continue;
		}
		for (int lv = 0; lv < 2; lv++)
			for (unsigned th = 1; th <= 4; th += 3) {
				struct membuf m = MEMBUF_INIT;

				ak_writer_opts_init(&o);
				o.codec = codecs[c].name;
				o.level = lv ? codecs[c].good_level : -1;
				o.sync = sync;
				o.block_size = 2000;
				o.threads = th;
				ak_error_clear(&err);
				w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
				rc = w ? put_recs(w, 0, 3000, &err) : -99;
				rc = rc == AK_OK ? ak_writer_finish(w, &err) : rc;
				CHECK(rc == AK_OK, "%s, level %d, %u thread(s): 3000 records written (%s)",
				      codecs[c].name, o.level, th, errstr(&err));
				ak_writer_free(w);
				file_has(m.p, m.len, 3000, &blocks, codecs[c].name, codecs[c].name);
				CHECK(blocks > 10, "%s: blocks of about 2000 bytes (%u blocks)",
				      codecs[c].name, blocks);
				if (th == 1) {
					membuf_free(&ref);
					ref = m;
				} else {
					CHECK(m.len == ref.len && memcmp(m.p, ref.p, m.len) == 0,
					      "%s, level %d: 4 threads write the same bytes as 1",
					      codecs[c].name, o.level);
					membuf_free(&m);
				}
			}
		membuf_free(&ref);
		ak_writer_opts_init(&o);
		o.codec = codecs[c].name;
		o.level = codecs[c].bad_level;
		ak_error_clear(&err);
		w = ak_writer_open_callbacks(membuf_write, &ref, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG, "%s, level %d: AK_E_ARG (%s)", codecs[c].name,
		      o.level, errstr(&err));
		o.level = -2;
		w = ak_writer_open_callbacks(membuf_write, &ref, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG, "%s, level -2: AK_E_ARG", codecs[c].name);
		membuf_free(&ref);
	}
	{
		struct ak_writer_opts o;
		struct ak_error err;
		struct membuf m = MEMBUF_INIT;
		struct ak_writer *w;

		ak_writer_opts_init(&o);
		o.codec = "gzip";
		ak_error_clear(&err);
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG, "codec gzip: AK_E_ARG (%s)", errstr(&err));
		o.codec = "lzma";
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG, "codec lzma (read only): AK_E_ARG");
		o.codec = NULL;
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(w != NULL, "codec NULL: null");
		ak_writer_free(w);
		CHECK(m.len > 0, "the header is written at once");
		membuf_free(&m);
		w = ak_writer_open_callbacks(membuf_write, &m, schema, NULL, &err);
		CHECK(w && m.len > 0, "NULL options: the defaults");
		ak_writer_free(w);
		membuf_free(&m);
	}
}

/* ---- metadata, sync, schema text ---- */

static void test_header(void)
{
	static const char *const keys[] = { "user.a", "user.bin" };
	static const void *const vals[] = { "hello", "\x00\xff\x00" };
	static const size_t lens[] = { 5, 3 };
	static const unsigned char sync[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
						16 };
	struct ak_writer_opts o;
	struct ak_writer *w;
	struct ak_reader *r;
	struct ak_error err;
	struct membuf m = MEMBUF_INIT, m2 = MEMBUF_INIT;
	const char *v;
	size_t n;

	ak_writer_opts_init(&o);
	o.meta_keys = keys;
	o.meta_values = vals;
	o.meta_lens = lens;
	o.nmeta = 2;
	o.sync = sync;
	o.codec = "deflate";
	w = open_cb(&m, &o);
	put_recs(w, 0, 3, &err);
	ak_writer_finish(w, &err);
	ak_writer_free(w);
	ak_error_clear(&err);
	r = ak_reader_open_memory(m.p, m.len, NULL, &err);
	v = r ? ak_reader_meta_get(r, "user.a", &n) : NULL;
	CHECK(v && n == 5 && memcmp(v, "hello", 5) == 0, "metadata user.a read back");
	v = r ? ak_reader_meta_get(r, "user.bin", &n) : NULL;
	CHECK(v && n == 3 && memcmp(v, "\x00\xff\x00", 3) == 0, "metadata with NUL bytes read back");
	CHECK(r && memcmp(ak_reader_sync(r), sync, 16) == 0, "the sync marker given is the file's");
	CHECK(r && strcmp(ak_reader_codec(r), "deflate") == 0, "avro.codec deflate");
	CHECK(r && ak_reader_meta_count(r) == 4 && strcmp(ak_reader_meta_key(r, 0), "avro.schema") ==
	      0 && strcmp(ak_reader_meta_key(r, 1), "avro.codec") == 0 &&
	      strcmp(ak_reader_meta_key(r, 2), "user.a") == 0, "keys in order: avro.schema, "
	      "avro.codec, then the user's");
	v = r ? ak_reader_meta_get(r, "avro.schema", &n) : NULL;
	{
		char *json = ak_schema_json(schema, 0);

		CHECK(v && json && n == strlen(json) && memcmp(v, json, n) == 0,
		      "avro.schema is ak_schema_json(s, 0)");
		ak_free(json);
	}
	ak_reader_free(r);

	/* random sync markers differ */
	ak_writer_opts_init(&o);
	membuf_clear(&m);
	w = open_cb(&m, &o);
	ak_writer_finish(w, &err);
	ak_writer_free(w);
	w = open_cb(&m2, &o);
	ak_writer_finish(w, &err);
	ak_writer_free(w);
	{
		struct ak_reader *r1 = ak_reader_open_memory(m.p, m.len, NULL, &err);
		struct ak_reader *r2 = ak_reader_open_memory(m2.p, m2.len, NULL, &err);

		CHECK(r1 && r2 && memcmp(ak_reader_sync(r1), ak_reader_sync(r2), 16) != 0,
		      "two files without a given sync marker get different random ones");
		ak_reader_free(r1);
		ak_reader_free(r2);
	}

	/* the schema text given */
	{
		const char *text = "{ \"type\": \"record\", \"name\": \"Rec\", \"namespace\": \"w\", "
				   "\"fields\": [ {\"name\":\"id\",\"type\":\"long\"},"
				   "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"opt\","
				   "\"type\":[\"null\",\"double\"],\"default\":null} ] }";

		ak_writer_opts_init(&o);
		o.schema_text = text;
		o.schema_text_len = strlen(text);
		membuf_clear(&m);
		w = open_cb(&m, &o);
		put_recs(w, 0, 2, &err);
		ak_writer_finish(w, &err);
		ak_writer_free(w);
		r = ak_reader_open_memory(m.p, m.len, NULL, &err);
		v = r ? ak_reader_meta_get(r, "avro.schema", &n) : NULL;
		CHECK(v && n == strlen(text) && memcmp(v, text, n) == 0, "schema_text is stored as "
		      "it is");
		ak_reader_free(r);
		file_has(m.p, m.len, 2, NULL, NULL, "with schema_text");
	}

	/* refused metadata */
	{
		static const char *const reserved[] = { "avro.codec" };
		static const char *const twice[] = { "k", "k" };
		static const char *const empty[] = { "" };
		static const void *const v2[] = { "a", "b" };
		static const size_t l2[] = { 1, 1 };

		ak_writer_opts_init(&o);
		o.meta_keys = reserved;
		o.meta_values = v2;
		o.meta_lens = l2;
		o.nmeta = 1;
		membuf_clear(&m);
		ak_error_clear(&err);
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG && strstr(err.msg, "reserved") && m.len == 0,
		      "an avro.* key: AK_E_ARG, nothing written (%s)", errstr(&err));
		o.meta_keys = twice;
		o.nmeta = 2;
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG && strstr(err.msg, "twice"), "a key twice: AK_E_ARG "
		      "(%s)", errstr(&err));
		o.meta_keys = empty;
		o.nmeta = 1;
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG, "an empty key: AK_E_ARG (%s)", errstr(&err));
		o.meta_keys = NULL;
		w = ak_writer_open_callbacks(membuf_write, &m, schema, &o, &err);
		CHECK(!w && err.code == AK_E_ARG, "nmeta without keys: AK_E_ARG (%s)", errstr(&err));
	}
	membuf_free(&m);
	membuf_free(&m2);
}

/* ---- appending to a file ---- */

static void test_append_file(void)
{
	const char *path = scratch_path("append.avro");
	static const unsigned char sync[16] = "SYNCSYNCSYNCSYNC";
	struct ak_writer_opts o;
	struct ak_writer *w;
	struct ak_error err;
	int fd, rc;

	for (int codec = 0; codec < 2; codec++) {
		ak_writer_opts_init(&o);
		o.sync = sync;
		o.codec = codec ? "deflate" : "null";
		ak_error_clear(&err);
		w = ak_writer_open_path(path, schema, &o, &err);
		rc = w ? put_recs(w, 0, 50, &err) : -99;
		rc = rc == AK_OK ? ak_writer_finish(w, &err) : rc;
		ak_writer_free(w);
		fd = open(path, O_WRONLY | O_APPEND);
		o.flags = AK_WRITER_NO_HEADER;
		w = ak_writer_open_fd(fd, schema, &o, &err);
		rc = w ? put_recs(w, 50, 120, &err) : -99;
		rc = rc == AK_OK ? ak_writer_finish(w, &err) : rc;
		CHECK(rc == AK_OK, "%s: AK_WRITER_NO_HEADER appends 70 records (%s)", o.codec,
		      errstr(&err));
		ak_writer_free(w);
		close(fd);
		file_has_path(path, 120, "the file with its appended records");
	}
	o.sync = NULL;
	ak_error_clear(&err);
	w = ak_writer_open_path(path, schema, &o, &err);
	CHECK(!w && err.code == AK_E_ARG && strstr(err.msg, "sync"), "AK_WRITER_NO_HEADER without a "
	      "sync marker: AK_E_ARG (%s)", errstr(&err));
	unlink(path);
}

/* ---- datums and blocks ---- */

static void test_append(void)
{
	struct membuf m = MEMBUF_INIT, m2 = MEMBUF_INIT;
	struct ak_writer *w = open_cb(&m, NULL);
	struct ak_error err;
	struct bin b = { { 0 }, 0 };
	int rc;

	/* a datum of record 0 by hand */
	bin_long(&b, 0);
	bin_str(&b, "n0", 2);
	bin_long(&b, 0);
	ak_error_clear(&err);
	rc = ak_writer_append(w, b.b, b.n, &err);
	CHECK(rc == AK_OK && ak_writer_count(w) == 1, "ak_writer_append of a good datum (%s)",
	      errstr(&err));
	rc = ak_writer_append(w, b.b, b.n - 1, &err);
	CHECK(rc == AK_E_FORMAT && ak_writer_count(w) == 1, "a datum cut short: AK_E_FORMAT, not "
	      "counted (%s)", errstr(&err));
	b.b[b.n] = 0;
	rc = ak_writer_append(w, b.b, b.n + 1, &err);
	CHECK(rc == AK_E_FORMAT && strstr(err.msg, "after the datum"), "a datum with a byte after "
	      "it: AK_E_FORMAT (%s)", errstr(&err));
	{
		struct bin bad = { { 0 }, 0 };

		bin_long(&bad, 1);
		bin_str(&bad, "n1", 2);
		bin_long(&bad, 7); /* union branch 7 */
		rc = ak_writer_append(w, bad.b, bad.n, &err);
		CHECK(rc == AK_E_FORMAT && strcmp(err.path, "opt") == 0, "a bad union branch: "
		      "AK_E_FORMAT at \"opt\" (%s)", errstr(&err));
		bad.n = 0;
		bin_long(&bad, 1);
		bin_str(&bad, "n1", 2);
		bin_long(&bad, 1);
		bin_double(&bad, 0.5);
		rc = ak_writer_append(w, bad.b, bad.n, &err);
		CHECK(rc == AK_OK && ak_writer_count(w) == 2, "then a good one again");
	}
	rc = ak_writer_append(w, NULL, 3, &err);
	CHECK(rc == AK_E_ARG, "NULL datum of 3 bytes: AK_E_ARG");
	rc = ak_writer_append(NULL, b.b, b.n, &err);
	CHECK(rc == AK_E_ARG, "no writer: AK_E_ARG");
	/* records from the encoder and datums mix */
	rc = put_recs(w, 2, 4, &err);
	CHECK(rc == AK_OK && ak_writer_count(w) == 4, "records from the encoder after datums");
	/* a block of records as they are */
	{
		unsigned char blk[4096];
		size_t n = 0;

		for (unsigned i = 4; i < 7; i++) {
			struct bin r = { { 0 }, 0 };
			char name[8];

			snprintf(name, sizeof(name), "n%u", i);
			bin_long(&r, i);
			bin_str(&r, name, strlen(name));
			if (i % 2) {
				bin_long(&r, 1);
				bin_double(&r, i / 2.0);
			} else {
				bin_long(&r, 0);
			}
			memcpy(blk + n, r.b, r.n);
			n += r.n;
		}
		rc = ak_writer_append_block(w, blk, n, 3, &err);
		CHECK(rc == AK_OK && ak_writer_count(w) == 7, "ak_writer_append_block of 3 records (%s)",
		      errstr(&err));
	}
	rc = ak_writer_finish(w, &err);
	ak_writer_free(w);
	{
		unsigned blocks;

		file_has(m.p, m.len, 7, &blocks, "null", "datums, records and a block");
		CHECK(blocks == 2, "two blocks: the records before the appended block, then it (%u)",
		      blocks);
	}

	/* blocks as stored: copied from one deflate file into another */
	{
		struct ak_writer_opts o;
		struct ak_reader *r;
		struct ak_block blk;
		unsigned blocks = 0;

		ak_writer_opts_init(&o);
		o.codec = "deflate";
		o.block_size = 500;
		membuf_clear(&m);
		w = open_cb(&m, &o);
		put_recs(w, 0, 300, &err);
		ak_writer_finish(w, &err);
		ak_writer_free(w);
		w = open_cb(&m2, &o);
		r = ak_reader_open_memory(m.p, m.len, NULL, &err);
		while (r && ak_reader_next_block(r, &blk, AK_BLOCK_RAW, &err) == AK_OK) {
			rc = ak_writer_append_compressed(w, blk.data, blk.size, blk.count, &err);
			blocks++;
		}
		ak_reader_free(r);
		CHECK(rc == AK_OK && blocks > 5 && ak_writer_count(w) == 300,
		      "ak_writer_append_compressed of %u deflate blocks (%s)", blocks, errstr(&err));
		ak_writer_finish(w, &err);
		ak_writer_free(w);
		file_has(m2.p, m2.len, 300, NULL, "deflate", "blocks copied as stored");
	}
	/* a negative count would write a block no reader takes */
	{
		membuf_clear(&m2);
		w = open_cb(&m2, NULL);
		ak_error_clear(&err);
		rc = ak_writer_append_block(w, "", 0, -1, &err);
		CHECK(rc == AK_E_ARG, "ak_writer_append_block with a negative count: AK_E_ARG (%s)",
		      errstr(&err));
		rc = ak_writer_append_compressed(w, "", 0, -1, &err);
		CHECK(rc == AK_E_ARG, "ak_writer_append_compressed with a negative count: AK_E_ARG");
		rc = ak_writer_append_block(w, NULL, 5, 1, &err);
		CHECK(rc == AK_E_ARG, "ak_writer_append_block of NULL data of 5 bytes: AK_E_ARG");
		rc = ak_writer_finish(w, &err);
		CHECK(rc == AK_OK && m2.len > 0, "the writer is still good");
		file_has(m2.p, m2.len, 0, NULL, NULL, "no block written for the refused ones");
		ak_writer_free(w);
	}
	membuf_free(&m);
	membuf_free(&m2);
}

/* ---- commits and flushes ---- */

static void test_commit(void)
{
	struct membuf m = MEMBUF_INIT;
	struct ak_writer *w = open_cb(&m, NULL);
	struct ak_encoder *e = ak_writer_encoder(w);
	struct ak_error err;
	const void *p;
	size_t n;
	unsigned blocks;
	int rc;

	CHECK(e && ak_writer_encoder(w) == e, "ak_writer_encoder gives the same encoder each time");
	CHECK(ak_writer_encoder(NULL) == NULL, "ak_writer_encoder(NULL): NULL");
	ak_error_clear(&err);
	rc = ak_writer_commit(w, &err);
	CHECK(rc == AK_E_STATE, "commit with nothing put: AK_E_STATE (%s)", errstr(&err));
	put_rec(w, 0);
	put_rec(w, 1);
	rc = ak_writer_commit(w, &err);
	CHECK(rc == AK_E_STATE && strstr(err.msg, "2 values"), "two records put, one commit: "
	      "AK_E_STATE (%s)", errstr(&err));
	CHECK(ak_writer_count(w) == 0, "nothing committed");
	ak_put_record(e, NULL);
	ak_put_field(e, "id", NULL);
	ak_put_long(e, 0, NULL);
	rc = ak_writer_commit(w, &err);
	CHECK(rc == AK_E_STATE && strstr(err.msg, "unfinished"), "a record left open: AK_E_STATE "
	      "(%s)", errstr(&err));
	ak_put_record(e, NULL);
	ak_put_field(e, "id", NULL);
	ak_put_string(e, "x", 1, NULL);
	rc = ak_writer_commit(w, &err);
	CHECK(rc == AK_E_VALUE && strcmp(err.path, "id") == 0 && err.record == 0,
	      "a value error: AK_E_VALUE, the field's path, the record's number (%s)", errstr(&err));
	rc = ak_encoder_datum(e, &p, &n, &err);
	CHECK(rc == AK_E_STATE, "ak_encoder_datum on a writer's encoder: AK_E_STATE");
	/* the writer is still good: records 0..2, a flush, 3..4 */
	rc = put_recs(w, 0, 3, &err);
	CHECK(rc == AK_OK && ak_writer_count(w) == 3, "after the errors, records commit (%s)",
	      errstr(&err));
	rc = ak_writer_flush(w, &err);
	CHECK(rc == AK_OK, "flush");
	rc = ak_writer_flush(w, &err);
	CHECK(rc == AK_OK, "flush with nothing new: AK_OK");
	put_recs(w, 3, 5, &err);
	ak_writer_finish(w, &err);
	ak_writer_free(w);
	file_has(m.p, m.len, 5, &blocks, NULL, "records around the errors and a flush");
	CHECK(blocks == 2, "two blocks: flush ends one, and writes no empty one (%u)", blocks);
	rc = ak_writer_commit(NULL, &err);
	CHECK(rc == AK_E_STATE || rc == AK_E_ARG, "commit with no writer fails (%s)",
	      ak_status_name(rc));
	rc = ak_writer_finish(NULL, &err);
	CHECK(rc == AK_E_ARG, "finish with no writer: AK_E_ARG");
	membuf_free(&m);
}

/* ---- JSON in ---- */

struct text_src {
	const char *p;
	size_t len, pos, chunk;
};

static ssize_t text_read(void *ctx, void *buf, size_t n)
{
	struct text_src *t = ctx;

	if (n > t->chunk)
		n = t->chunk;
	if (n > t->len - t->pos)
		n = t->len - t->pos;
	memcpy(buf, t->p + t->pos, n);
	t->pos += n;
	return (ssize_t)n;
}

struct progress_log {
	unsigned calls;
	uint64_t records;
	int stop;
	int monotonic;
};

static int progress(void *ctx, uint64_t records, uint64_t bytes)
{
	struct progress_log *pl = ctx;

	(void)bytes;
	if (!pl->calls)
		pl->monotonic = 1;
	pl->monotonic &= records >= pl->records;
	pl->records = records;
	pl->calls++;
	return pl->stop;
}

static int write_json(const char *text, size_t len, unsigned flags, unsigned threads,
		      struct membuf *out, struct ak_error *err)
{
	static const unsigned char sync[16] = "json-sync-marker";
	struct ak_writer_opts o;
	struct ak_writer *w;
	struct text_src t = { text, len, 0, 100000 };
	int rc;

	ak_writer_opts_init(&o);
	o.sync = sync;
	o.threads = threads;
	o.codec = "deflate";
	w = open_cb(out, &o);
	ak_error_clear(err);
	rc = ak_writer_write_json(w, text_read, &t, flags, NULL, NULL, err);
	if (rc == AK_OK)
		rc = ak_writer_finish(w, err);
	ak_writer_free(w);
	return rc;
}

static void test_json(void)
{
	unsigned n = 30000;
	size_t cap = (size_t)n * 80 + 16, len = 0, alen = 0, plen = 0;
	char *text = malloc(cap), *arr = malloc(cap), *plain = malloc(cap);
	struct membuf m1 = MEMBUF_INIT, m4 = MEMBUF_INIT, ma = MEMBUF_INIT, mp = MEMBUF_INIT;
	struct ak_error err;
	int rc;

	arr[alen++] = '[';
	for (unsigned i = 0; i < n; i++) {
		char rec[128];

		rec_json(i, rec, sizeof(rec));
		len += (size_t)snprintf(text + len, cap - len, "%s\n", rec);
		alen += (size_t)snprintf(arr + alen, cap - alen, "%s%s", i ? ",\n " : "", rec);
		if (i % 2)
			plen += (size_t)snprintf(plain + plen, cap - plen, "{\"id\":%u,\"name\":"
						 "\"n%u\",\"opt\":%.17g}  ", i, i, i / 2.0);
		else
			plen += (size_t)snprintf(plain + plen, cap - plen, "{\"id\":%u,\"name\":"
						 "\"n%u\"} ", i, i);
	}
	arr[alen++] = ']';
	tap_note("JSON input: %zu bytes", len);
	rc = write_json(text, len, 0, 1, &m1, &err);
	CHECK(rc == AK_OK, "ak_writer_write_json: %u records, one thread (%s)", n, errstr(&err));
	file_has(m1.p, m1.len, n, NULL, "deflate", "JSON, one thread");
	rc = write_json(text, len, 0, 4, &m4, &err);
	CHECK(rc == AK_OK && m4.len == m1.len && memcmp(m4.p, m1.p, m1.len) == 0,
	      "four threads (more than 1 MiB of text): the same bytes (%s)", errstr(&err));
	rc = write_json(arr, alen, AK_JSON_ARRAY, 1, &ma, &err);
	CHECK(rc == AK_OK && ma.len == m1.len && memcmp(ma.p, m1.p, m1.len) == 0,
	      "AK_JSON_ARRAY: the same bytes (%s)", errstr(&err));
	membuf_clear(&ma);
	rc = write_json(arr, alen, AK_JSON_ARRAY, 4, &ma, &err);
	CHECK(rc == AK_OK && ma.len == m1.len && memcmp(ma.p, m1.p, m1.len) == 0,
	      "AK_JSON_ARRAY with four threads: the same bytes (%s)", errstr(&err));
	rc = write_json(plain, plen, AK_JSON_PLAIN, 4, &mp, &err);
	CHECK(rc == AK_OK && mp.len == m1.len && memcmp(mp.p, m1.p, m1.len) == 0,
	      "plain JSON (unions unwrapped, a default left out, no newlines), four threads: the "
	      "same bytes (%s)", errstr(&err));

	/* errors: line, column, path; the same with threads */
	{
		size_t at = len / 2;
		char *bad = malloc(len + 1);
		struct membuf e1 = MEMBUF_INIT, e4 = MEMBUF_INIT;
		struct ak_error err4;
		unsigned line = 1;

		memcpy(bad, text, len);
		while (bad[at] != '\n')
			at++;
		at++;
		for (size_t k = 0; k < at; k++)
			line += bad[k] == '\n';
		/* {"id":N,... -> {"id":"N... */
		bad[at + 6] = '"';
		rc = write_json(bad, len, 0, 1, &e1, &err);
		CHECK(rc == AK_E_JSON && err.line == line && err.column == 7 &&
		      strcmp(err.path, "id") == 0, "a bad value on line %u: AK_E_JSON at %u:7, path id "
		      "(%s)", line, line, errstr(&err));
		ak_error_clear(&err4);
		rc = write_json(bad, len, 0, 4, &e4, &err4);
		CHECK(rc == AK_E_JSON && err4.line == err.line && err4.column == err.column &&
		      strcmp(err4.path, err.path) == 0 && strcmp(err4.msg, err.msg) == 0,
		      "with four threads: the same error (%s)", errstr(&err4));
		free(bad);
		membuf_free(&e1);
		membuf_free(&e4);
	}
	rc = write_json("[1]", 3, 0, 1, &m4, &err);
	CHECK(rc == AK_E_JSON, "an array without AK_JSON_ARRAY: AK_E_JSON (%s)", errstr(&err));
	rc = write_json("{\"id\":1,\"name\":\"x\",\"opt\":null}", 30, AK_JSON_ARRAY, 1, &m4, &err);
	CHECK(rc == AK_E_JSON, "AK_JSON_ARRAY and no array: AK_E_JSON (%s)", errstr(&err));
	rc = write_json("[{\"id\":1,\"name\":\"x\",\"opt\":null}", 30, AK_JSON_ARRAY, 1, &m4, &err);
	CHECK(rc == AK_E_JSON, "an array that does not end: AK_E_JSON (%s)", errstr(&err));
	{
		struct membuf e = MEMBUF_INIT;
		const char *t = "{\"id\":1,\"name\":\"x\",\"opt\":null,\"zz\":1}";

		rc = write_json(t, strlen(t), 0, 1, &e, &err);
		CHECK(rc == AK_E_JSON, "an unknown field: AK_E_JSON (%s)", errstr(&err));
		membuf_free(&e);
		rc = write_json(t, strlen(t), AK_JSON_IGNORE_UNKNOWN, 1, &e, &err);
		CHECK(rc == AK_OK, "AK_JSON_IGNORE_UNKNOWN: it goes (%s)", errstr(&err));
		membuf_free(&e);
	}
	/* empty input: no records */
	{
		struct membuf e = MEMBUF_INIT;

		rc = write_json("  \n", 3, 0, 1, &e, &err);
		CHECK(rc == AK_OK, "white space only: no records, AK_OK");
		file_has(e.p, e.len, 0, NULL, NULL, "no JSON records");
		membuf_free(&e);
	}
	/* progress: told as records go in; one that stops */
	for (unsigned th = 1; th <= 4; th += 3) {
		struct membuf e = MEMBUF_INIT;
		struct ak_writer_opts o;
		struct ak_writer *w;
		struct text_src t = { text, len, 0, 100000 };
		struct progress_log pl = { 0, 0, 0, 0 };

		ak_writer_opts_init(&o);
		o.threads = th;
		w = open_cb(&e, &o);
		rc = ak_writer_write_json(w, text_read, &t, 0, progress, &pl, &err);
		CHECK(rc == AK_OK && pl.calls > 0 && pl.records <= n && pl.monotonic,
		      "%u thread(s): the progress callback is called (%u times, up to %llu records, "
		      "never backwards)", th, pl.calls, (unsigned long long)pl.records);
		ak_writer_free(w);
		membuf_free(&e);
		t.pos = 0;
		pl.stop = 1;
		pl.calls = 0;
		w = open_cb(&e, &o);
		rc = ak_writer_write_json(w, text_read, &t, 0, progress, &pl, &err);
		CHECK(rc == AK_E_CALLBACK && pl.calls == 1 && ak_writer_count(w) < n,
		      "%u thread(s): a progress callback that stops: AK_E_CALLBACK (%s)", th,
		      errstr(&err));
		ak_writer_free(w);
		membuf_free(&e);
	}
	/* arguments */
	{
		struct membuf e = MEMBUF_INIT;
		struct ak_writer *w = open_cb(&e, NULL);

		rc = ak_writer_write_json(w, NULL, NULL, 0, NULL, NULL, &err);
		CHECK(rc == AK_E_ARG, "no read callback: AK_E_ARG");
		ak_writer_free(w);
		membuf_free(&e);
	}
	free(text);
	free(arr);
	free(plain);
	membuf_free(&m1);
	membuf_free(&m4);
	membuf_free(&ma);
	membuf_free(&mp);
}

int main(void)
{
	schema = schema_or_die(schema_json);
	test_path();
	test_fd_callbacks();
	test_stopped_by_a_failed_write();
	test_codecs();
	test_header();
	test_append_file();
	test_append();
	test_commit();
	test_json();
	ak_schema_free(schema);
	scratch_remove();
	return tap_done();
}
