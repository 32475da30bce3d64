/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading container files through avrokit.h (ak_reader): over a path, a descriptor, memory,
 * callbacks and a pipe; the header's metadata; records as JSON, value trees and visitor
 * events; every codec this build has, with 1 and 4 threads; ak_reader_to_json() against
 * record-by-record reads, with and without threads and limits; blocks with each flag; a
 * reader schema; and the errors of damaged files, with block, offset, record and path.
 * The test data are the .avro files of tests/data (their .layout files give the offsets
 * used here) and, when present, the shared corpus's weather files.
 */
#include <fcntl.h>
#include <pthread.h>

#include "tap.h"

static const char *data_dir, *corpus_dir;

static const char *data_path(const char *name)
{
	static char buf[4][1024];
	static unsigned k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", data_dir, name);
	return buf[k];
}

static unsigned char *load(const char *path, size_t *len)
{
	unsigned char *p = read_file(path, len);

	if (!p) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	return p;
}

static struct ak_reader *open_mem(const void *p, size_t n, const struct ak_reader_opts *o)
{
	struct ak_error err;
	struct ak_reader *r;

	ak_error_clear(&err);
	if (!(r = ak_reader_open_memory(p, n, o, &err))) {
		printf("Bail out! ak_reader_open_memory: %s\n", errstr(&err));
		exit(1);
	}
	return r;
}

/* Every record as a JSON line, one ak_reader_read_json() at a time, into @m; the last
 * status (AK_EOF when all went well), the error in @err. */
static int json_lines(struct ak_reader *r, struct membuf *m, struct ak_error *err)
{
	int rc;

	ak_error_clear(err);
	while ((rc = ak_reader_read_json(r, membuf_write, m, err)) == AK_OK)
		membuf_write(m, "\n", 1);
	return rc;
}

static int count_records(struct ak_reader *r, struct ak_error *err, uint64_t *n)
{
	int rc;

	*n = 0;
	ak_error_clear(err);
	while ((rc = ak_reader_read(r, NULL, NULL, err)) == AK_OK)
		(*n)++;
	return rc;
}

/* ---- the ways in ---- */

struct pipe_feed {
	int fd;
	const unsigned char *p;
	size_t n;
};

static void *feeder(void *arg)
{
	struct pipe_feed *f = arg;
	size_t off = 0;

	while (off < f->n) {
		size_t chunk = f->n - off < 777 ? f->n - off : 777;
		ssize_t w = write(f->fd, f->p + off, chunk);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	return read(*(int *)ctx, buf, n);
}

static int no_skip(void *ctx, uint64_t n)
{
	(void)ctx;
	(void)n;
	errno = ESPIPE;
	return -1;
}

/* A read callback that breaks the contract: one more byte than asked for (fail 0), or -1
 * without touching errno (fail 1). */
struct lying {
	const unsigned char *data;
	size_t len;
	int fail;
	size_t pos;
};

static ssize_t lying_read(void *ctx, void *buf, size_t n)
{
	struct lying *l = ctx;
	size_t k = n < l->len - l->pos ? n : l->len - l->pos;

	if (l->fail)
		return -1;
	memcpy(buf, l->data + l->pos, k);
	l->pos += k;
	return (ssize_t)n + 1;
}

static void test_sources(void)
{
	size_t len, wlen;
	unsigned char *file = load(data_path("weather.avro"), &len);
	unsigned char *want = load(data_path("weather.json"), &wlen);
	struct ak_error err;
	struct ak_reader *r;
	struct membuf m = MEMBUF_INIT;
	int rc, fd;

	/* a path */
	ak_error_clear(&err);
	r = ak_reader_open_path(data_path("weather.avro"), NULL, &err);
	CHECK(r != NULL, "ak_reader_open_path (%s)", errstr(&err));
	rc = r ? json_lines(r, &m, &err) : -99;
	CHECK(rc == AK_EOF && strcmp(membuf_str(&m), (char *)want) == 0, "from a path: the records "
	      "of weather.json (%s)", errstr(&err));
	ak_reader_free(r);

	/* a descriptor, not closed by the reader */
	membuf_clear(&m);
	fd = open(data_path("weather.avro"), O_RDONLY);
	r = ak_reader_open_fd(fd, NULL, &err);
	rc = r ? json_lines(r, &m, &err) : -99;
	CHECK(rc == AK_EOF && strcmp(membuf_str(&m), (char *)want) == 0, "from a descriptor");
	ak_reader_free(r);
	CHECK(fcntl(fd, F_GETFD) != -1, "the descriptor is still open after ak_reader_free");
	close(fd);

	/* memory */
	membuf_clear(&m);
	r = open_mem(file, len, NULL);
	rc = json_lines(r, &m, &err);
	CHECK(rc == AK_EOF && strcmp(membuf_str(&m), (char *)want) == 0, "from memory");
	ak_reader_free(r);

	/* callbacks with short reads, with and without a skip callback, skipping data */
	for (int with_skip = 0; with_skip < 2; with_skip++) {
		struct memsrc src;
		struct ak_block blk;

		memsrc_init(&src, file, len, 7);
		membuf_clear(&m);
		r = ak_reader_open_callbacks(memsrc_read, with_skip ? memsrc_skip : NULL, &src, NULL,
					     &err);
		rc = r ? json_lines(r, &m, &err) : -99;
		CHECK(rc == AK_EOF && strcmp(membuf_str(&m), (char *)want) == 0,
		      "from callbacks handing out 7 bytes at a time%s", with_skip ? ", with skip" :
		      "");
		ak_reader_free(r);
		memsrc_init(&src, file, len, 7);
		r = ak_reader_open_callbacks(memsrc_read, with_skip ? memsrc_skip : no_skip, &src,
					     NULL, &err);
		rc = r ? ak_reader_next_block(r, &blk, AK_BLOCK_SKIP_DATA, &err) : -99;
		CHECK(rc == AK_OK && blk.count == 10 && blk.size == 0 && src.pos == len,
		      "AK_BLOCK_SKIP_DATA %s (%s)", with_skip ? "skips with the skip callback" :
		      "reads when the skip callback says ESPIPE", errstr(&err));
		ak_reader_free(r);
	}

	/* a pipe, through a descriptor and through callbacks */
	for (int cb = 0; cb < 2; cb++) {
		int p[2];
		pthread_t t;
		struct pipe_feed f;

		if (pipe(p) != 0) {
			tap_skip("no pipe");
			continue;
		}
		f.fd = p[1];
		f.p = file;
		f.n = len;
		pthread_create(&t, NULL, feeder, &f);
		membuf_clear(&m);
		r = cb ? ak_reader_open_callbacks(fd_read, NULL, &p[0], NULL, &err)
		       : ak_reader_open_fd(p[0], NULL, &err);
		rc = r ? json_lines(r, &m, &err) : -99;
		CHECK(rc == AK_EOF && strcmp(membuf_str(&m), (char *)want) == 0,
		      "from a pipe, %s (%s)", cb ? "through callbacks" : "through its descriptor",
		      errstr(&err));
		ak_reader_free(r);
		pthread_join(t, NULL);
		close(p[0]);
	}

	/* errors of the ways in */
	ak_error_clear(&err);
	r = ak_reader_open_path(scratch_path("no-such-file.avro"), NULL, &err);
	CHECK(!r && err.code == AK_E_IO && err.sys_errno == ENOENT && !(err.flags & AK_ERROR_OUTPUT),
	      "a missing file: AK_E_IO, ENOENT (%s)", errstr(&err));
	r = ak_reader_open_path(NULL, NULL, &err);
	CHECK(!r && err.code == AK_E_ARG, "a NULL path: AK_E_ARG");
	r = ak_reader_open_memory(NULL, 10, NULL, &err);
	CHECK(!r && err.code == AK_E_ARG, "NULL memory of 10 bytes: AK_E_ARG");
	r = ak_reader_open_callbacks(NULL, NULL, NULL, NULL, &err);
	CHECK(!r && err.code == AK_E_ARG, "no read callback: AK_E_ARG");
	r = ak_reader_open_fd(-1, NULL, &err);
	CHECK(!r && err.code == AK_E_IO && err.sys_errno == EBADF, "a bad descriptor: AK_E_IO, "
	      "EBADF (%s)", errstr(&err));
	{
		struct memsrc src;

		memsrc_init(&src, file, len, 64);
		src.fail_at = 100;
		r = ak_reader_open_callbacks(memsrc_read, NULL, &src, NULL, &err);
		CHECK(!r && err.code == AK_E_IO && err.sys_errno == EIO, "a read callback failing in "
		      "the header: AK_E_IO, its errno (%s)", errstr(&err));
		memsrc_init(&src, file, len, 64);
		src.fail_at = 500;
		r = ak_reader_open_callbacks(memsrc_read, NULL, &src, NULL, &err);
		rc = r ? ak_reader_read(r, NULL, NULL, &err) : -99;
		CHECK(rc == AK_E_IO && err.sys_errno == EIO && err.block == 0,
		      "a read callback failing in a block: AK_E_IO in block 0 (%s)", errstr(&err));
		ak_reader_free(r);
	}
	{
		/* callbacks that break their contract: the library checks, not trusts */
		struct lying lie = { file, len, 0, 0 };

		r = ak_reader_open_callbacks(lying_read, NULL, &lie, NULL, &err);
		CHECK(!r && err.code == AK_E_IO && strstr(err.msg, "the read callback returned"),
		      "a read callback returning more than asked for: AK_E_IO (%s)", errstr(&err));
		lie = (struct lying){ file, len, 1, 0 };
		errno = ENOENT; /* stale: the callback says nothing */
		r = ak_reader_open_callbacks(lying_read, NULL, &lie, NULL, &err);
		CHECK(!r && err.code == AK_E_IO && err.sys_errno == EIO,
		      "a read callback failing with errno left alone: AK_E_IO, EIO (%s)",
		      errstr(&err));
	}
	ak_reader_free(NULL);
	membuf_free(&m);
	free(file);
	free(want);
}

/* ---- the header ---- */

static void test_header(void)
{
	struct ak_error err;
	struct ak_reader *r;
	const struct ak_schema *s;
	const unsigned char *sync;
	const char *v;
	size_t n;
	static const unsigned char want_sync[16] = {
		0xc1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18, 0x29, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e,
		0x8f, 0x92,
	};

	ak_error_clear(&err);
	r = ak_reader_open_path(data_path("multiblock.avro"), NULL, &err);
	if (!CHECK(r != NULL, "multiblock.avro opens (%s)", errstr(&err)))
		return;
	s = ak_reader_schema(r);
	CHECK(s && strcmp(ak_node_fullname(ak_schema_root(s)), "test.Weather") == 0 &&
	      ak_node_count(ak_schema_root(s)) == 3, "the writer schema: test.Weather, 3 fields");
	CHECK(strcmp(ak_reader_codec(r), "null") == 0, "codec null");
	sync = ak_reader_sync(r);
	CHECK(sync && memcmp(sync, want_sync, 16) == 0, "the sync marker (%s)", hexstr(sync, 16));
	CHECK(ak_reader_header_size(r) == 373, "header size 373, as multiblock.layout says (%llu)",
	      (unsigned long long)ak_reader_header_size(r));
	n = ak_reader_meta_count(r);
	CHECK(n >= 2, "metadata entries: %zu", n);
	for (size_t i = 0; i < n; i++)
		tap_note("meta %zu: %s", i, ak_reader_meta_key(r, i));
	v = ak_reader_meta_get(r, "avro.schema", &n);
	CHECK(v && n > 10 && memcmp(v, "{", 1) == 0, "avro.schema is there (%zu bytes)", n);
	v = ak_reader_meta_get(r, "avro.codec", &n);
	CHECK(v && n == 4 && memcmp(v, "null", 4) == 0, "avro.codec is null");
	{
		int found = 0;

		for (size_t i = 0; i < ak_reader_meta_count(r); i++) {
			const void *val = ak_reader_meta_value(r, i, &n);
			const void *val2;
			size_t n2;

			val2 = ak_reader_meta_get(r, ak_reader_meta_key(r, i), &n2);
			found += val == val2 && n == n2;
		}
		CHECK(found == (int)ak_reader_meta_count(r), "ak_reader_meta_value(i) is "
		      "ak_reader_meta_get(key(i)) for every entry");
	}
	n = 5;
	CHECK(!ak_reader_meta_get(r, "nope", &n) && n == 0, "an absent key: NULL, length 0");
	CHECK(!ak_reader_meta_get(r, NULL, NULL), "a NULL key: NULL");
	n = 5;
	CHECK(!ak_reader_meta_key(r, 99) && !ak_reader_meta_value(r, 99, &n) && n == 0,
	      "an entry beyond the last: NULL");
	ak_reader_free(r);

	/* a user key and its value (weather.avro has test.note) */
	r = ak_reader_open_path(data_path("weather.avro"), NULL, &err);
	v = r ? ak_reader_meta_get(r, "test.note", &n) : NULL;
	CHECK(v && n > 0, "weather.avro's user key test.note: %.*s", v ? (int)n : 0, v ? v : "");
	ak_reader_free(r);
	/* no avro.codec at all means null */
	r = ak_reader_open_path(data_path("nocodec.avro"), NULL, &err);
	CHECK(r && strcmp(ak_reader_codec(r), "null") == 0 && !ak_reader_meta_get(r, "avro.codec",
										NULL),
	      "no avro.codec: codec null");
	ak_reader_free(r);
	r = ak_reader_open_path(data_path("weather-deflate.avro"), NULL, &err);
	CHECK(r && strcmp(ak_reader_codec(r), "deflate") == 0, "weather-deflate.avro: deflate");
	ak_reader_free(r);
}

/* ---- records ---- */

struct counts {
	unsigned records, strings, longs, ints;
	char first[64];
};

static int c_rbegin(void *ctx, const struct ak_node *t)
{
	(void)t;
	((struct counts *)ctx)->records++;
	return 0;
}

static int c_string(void *ctx, const struct ak_node *t, const char *p, size_t n)
{
	struct counts *c = ctx;

	(void)t;
	if (!c->strings++)
		snprintf(c->first, sizeof(c->first), "%.*s", (int)n, p);
	return 0;
}

static int c_long(void *ctx, const struct ak_node *t, int64_t v)
{
	(void)t;
	(void)v;
	((struct counts *)ctx)->longs++;
	return 0;
}

static int c_int(void *ctx, const struct ak_node *t, int32_t v)
{
	(void)t;
	(void)v;
	((struct counts *)ctx)->ints++;
	return 0;
}

static void test_records(void)
{
	struct ak_error err;
	struct ak_reader *r;
	struct ak_visitor v = AK_VISITOR_INIT;
	struct counts c = { 0, 0, 0, 0, "" };
	const struct ak_value *val = NULL;
	uint64_t n = 0;
	int rc;

	v.record_begin = c_rbegin;
	v.on_string = c_string;
	v.on_long = c_long;
	v.on_int = c_int;
	ak_error_clear(&err);
	r = ak_reader_open_path(data_path("multiblock.avro"), NULL, &err);
	while ((rc = ak_reader_read(r, &v, &c, &err)) == AK_OK)
		;
	CHECK(rc == AK_EOF && c.records == 300 && c.strings == 300 && c.longs == 300 &&
	      c.ints == 300 && strcmp(c.first, "ST00") == 0, "ak_reader_read: 300 records, every "
	      "field (%u records)", c.records);
	rc = ak_reader_read(r, &v, &c, &err);
	CHECK(rc == AK_EOF, "AK_EOF again after the end");
	rc = ak_reader_prepare(r, &err);
	CHECK(rc == AK_EOF, "ak_reader_prepare at the end: AK_EOF");
	ak_reader_free(r);

	r = ak_reader_open_path(data_path("multiblock.avro"), NULL, &err);
	rc = ak_reader_prepare(r, &err);
	CHECK(rc == AK_OK, "ak_reader_prepare before the first record: AK_OK");
	rc = ak_reader_prepare(r, &err);
	CHECK(rc == AK_OK, "and again: still the same record ready");
	for (n = 0; (rc = ak_reader_read_value(r, &val, &err)) == AK_OK; n++) {
		if (n == 0) {
			size_t l;
			const char *s = ak_value_string(ak_value_field(val, "station"), &l);

			CHECK(s && strcmp(s, "ST00") == 0 &&
			      ak_value_long(ak_value_field(val, "time")) == 1704067200000LL &&
			      ak_value_long(ak_value_field(val, "temp")) == -300,
			      "ak_reader_read_value: the first record's values");
		}
		if (n == 299)
			CHECK(ak_value_count(val) == 3, "the last record is a tree of 3 fields too");
	}
	CHECK(rc == AK_EOF && n == 300 && val == NULL, "ak_reader_read_value: 300 records, then "
	      "AK_EOF with no value");
	ak_reader_free(r);

	/* json_flags from the options */
	{
		struct ak_reader_opts o;
		struct membuf m = MEMBUF_INIT;

		ak_reader_opts_init(&o);
		o.json_flags = AK_JSON_PRETTY;
		r = ak_reader_open_path(data_path("weather.avro"), &o, &err);
		rc = ak_reader_read_json(r, membuf_write, &m, &err);
		CHECK(rc == AK_OK && strncmp(membuf_str(&m), "{\n  \"station\" : \"", 17) == 0,
		      "json_flags AK_JSON_PRETTY: %.30s", membuf_str(&m));
		membuf_clear(&m);
		m.fail_after = 3;
		rc = ak_reader_read_json(r, membuf_write, &m, &err);
		CHECK(rc == AK_E_IO && (err.flags & AK_ERROR_OUTPUT) && err.sys_errno == ENOSPC,
		      "a write callback failing: AK_E_IO, AK_ERROR_OUTPUT (%s)", errstr(&err));
		m.fail_after = -1;
		rc = ak_reader_read_json(r, NULL, NULL, &err);
		CHECK(rc == AK_OK, "a NULL write callback only decodes");
		membuf_free(&m);
		ak_reader_free(r);
	}

	/* no records at all */
	r = ak_reader_open_path(data_path("empty.avro"), NULL, &err);
	rc = r ? count_records(r, &err, &n) : -99;
	CHECK(rc == AK_EOF && n == 0, "empty.avro: AK_EOF at once");
	ak_reader_free(r);
	/* 200,000 null records of no bytes in two blocks */
	r = ak_reader_open_path(data_path("nulls.avro"), NULL, &err);
	rc = r ? count_records(r, &err, &n) : -99;
	CHECK(rc == AK_EOF && n == 200000, "nulls.avro: 200000 records of no bytes (%llu, %s)",
	      (unsigned long long)n, errstr(&err));
	ak_reader_free(r);
}

/* ---- a reader schema ---- */

static void test_reader_schema(void)
{
	struct ak_schema *rs = schema_or_die(
		"{\"type\":\"record\",\"name\":\"Weather\",\"namespace\":\"test\",\"fields\":["
		"{\"name\":\"temp\",\"type\":\"double\"},"
		"{\"name\":\"station\",\"type\":\"string\"},"
		"{\"name\":\"where\",\"type\":\"string\",\"default\":\"?\"}]}");
	struct ak_schema *bad = schema_or_die("{\"type\":\"record\",\"name\":\"Weather\","
					      "\"namespace\":\"test\",\"fields\":["
					      "{\"name\":\"temp\",\"type\":\"string\"}]}");
	struct ak_reader_opts o;
	struct ak_error err;
	struct ak_reader *r;
	struct membuf m = MEMBUF_INIT;
	int rc;

	ak_reader_opts_init(&o);
	o.reader_schema = rs;
	ak_error_clear(&err);
	r = ak_reader_open_path(data_path("weather.avro"), &o, &err);
	rc = r ? ak_reader_read_json(r, membuf_write, &m, &err) : -99;
	CHECK(rc == AK_OK && strcmp(membuf_str(&m), "{\"temp\":-123.0,\"station\":\"ALTA-1\","
				    "\"where\":\"?\"}") == 0,
	      "with a reader schema: its fields, order, types and defaults (%s)", membuf_str(&m));
	CHECK(r && ak_reader_schema(r) != rs && ak_node_count(ak_schema_root(ak_reader_schema(r))) ==
	      3 && ak_node_field_index(ak_schema_root(ak_reader_schema(r)), "time") == 1,
	      "ak_reader_schema is still the writer's");
	ak_reader_free(r);
	o.reader_schema = bad;
	ak_error_clear(&err);
	r = ak_reader_open_path(data_path("weather.avro"), &o, &err);
	CHECK(!r && err.code == AK_E_SCHEMA && strstr(err.msg, "temp"), "a reader schema that cannot "
	      "read the file: the open fails with AK_E_SCHEMA (%s)", r ? "opened" : errstr(&err));
	ak_reader_free(r);
	membuf_free(&m);
	ak_schema_free(rs);
	ak_schema_free(bad);

	/* a file whose schema has names only lenient readers take (Java and Python write them) */
	{
		const char *text = "{\"type\":\"record\",\"name\":\"my-rec\",\"fields\":"
				   "[{\"name\":\"$x\",\"type\":\"int\"}]}";
		struct ak_schema *ls = ak_schema_parse(text, strlen(text), AK_SCHEMA_LENIENT, NULL);
		struct membuf f = MEMBUF_INIT;
		struct ak_writer *w = ls ? ak_writer_open_callbacks(membuf_write, &f, ls, NULL, NULL)
					 : NULL;
		uint64_t n;

		ak_put_record(ak_writer_encoder(w), NULL);
		ak_put_field(ak_writer_encoder(w), "$x", NULL);
		ak_put_int(ak_writer_encoder(w), 5, NULL);
		ak_put_end(ak_writer_encoder(w), NULL);
		ak_writer_commit(w, NULL);
		ak_writer_finish(w, NULL);
		ak_writer_free(w);
		r = f.len ? ak_reader_open_memory(f.p, f.len, NULL, &err) : NULL;
		rc = r ? count_records(r, &err, &n) : -99;
		CHECK(rc == AK_EOF && n == 1, "a file with the names my-rec and $x opens and reads "
		      "(schema_flags: lenient by default) (%s)", errstr(&err));
		ak_reader_free(r);
		ak_reader_opts_init(&o);
		o.schema_flags = 0;
		ak_error_clear(&err);
		r = f.len ? ak_reader_open_memory(f.p, f.len, &o, &err) : NULL;
		CHECK(!r && err.code == AK_E_SCHEMA, "with schema_flags 0 it is refused (%s)",
		      errstr(&err));
		membuf_free(&f);
		ak_schema_free(ls);
	}
}

/* ---- blocks ---- */

static void test_blocks(void)
{
	static const int64_t counts[6] = { 50, 60, 40, 70, 30, 50 };
	static const uint64_t offsets[6] = { 373, 1031, 1816, 2349, 3263, 3667 };
	static const uint64_t sizes[6] = { 639, 766, 514, 894, 385, 640 };
	static const unsigned flagsets[4] = { 0, AK_BLOCK_RAW, AK_BLOCK_SKIP_DATA, AK_BLOCK_ANY_SYNC };
	struct ak_error err;
	struct ak_reader *r;
	struct ak_block blk;
	size_t len;
	unsigned char *file = load(data_path("multiblock.avro"), &len);
	int rc, ok;

	for (int fs = 0; fs < 4; fs++) {
		unsigned flags = flagsets[fs];

		r = open_mem(file, len, NULL);
		ok = 1;
		for (int i = 0; i < 6; i++) {
			rc = ak_reader_next_block(r, &blk, flags, &err);
			ok &= rc == AK_OK && blk.index == (uint64_t)i && blk.offset == offsets[i] &&
			      blk.count == counts[i] && blk.stored_size == sizes[i] && blk.sync_ok;
			if (flags & AK_BLOCK_SKIP_DATA)
				ok &= blk.size == 0;
			else
				ok &= blk.size == sizes[i] && blk.data &&
				      memcmp(blk.data, file + offsets[i] + (offsets[i] == 2349 ? 4 : 3),
					     blk.size) == 0;
		}
		CHECK(ok, "flags %u: six blocks with the layout's index, offset, count, size, data",
		      flags);
		rc = ak_reader_next_block(r, &blk, flags, &err);
		CHECK(rc == AK_EOF, "flags %u: then AK_EOF", flags);
		rc = ak_reader_next_block(r, &blk, flags, &err);
		CHECK(rc == AK_EOF, "flags %u: and AK_EOF again", flags);
		ak_reader_free(r);
	}

	/* a wrong sync marker after block 1 */
	file[1800] ^= 0xff;
	r = open_mem(file, len, NULL);
	ak_error_clear(&err);
	rc = ak_reader_next_block(r, &blk, 0, &err);
	rc = rc == AK_OK ? ak_reader_next_block(r, &blk, 0, &err) : rc;
	CHECK(rc == AK_E_FORMAT && err.block == 1 && err.offset == 1031 && strstr(err.msg, "sync"),
	      "a wrong sync marker: AK_E_FORMAT naming block 1 at 1031 (%s)", errstr(&err));
	rc = ak_reader_next_block(r, &blk, 0, &err);
	CHECK(rc == AK_EOF, "no block after the error (AK_EOF: %d)", rc);
	ak_reader_free(r);
	r = open_mem(file, len, NULL);
	ok = 1;
	for (int i = 0; i < 6; i++) {
		rc = ak_reader_next_block(r, &blk, AK_BLOCK_ANY_SYNC, &err);
		ok &= rc == AK_OK && blk.sync_ok == (i != 1);
	}
	CHECK(ok, "AK_BLOCK_ANY_SYNC: sync_ok is 0 for block 1 only, and reading goes on");
	ak_reader_free(r);
	{
		uint64_t n;

		r = open_mem(file, len, NULL);
		rc = count_records(r, &err, &n);
		CHECK(rc == AK_E_FORMAT && n == 50 && err.block == 1, "records: the 50 of block 0, "
		      "then the sync error of block 1 (%s)", errstr(&err));
		ak_reader_free(r);
	}
	file[1800] ^= 0xff;

	/* mixing blocks and records: the rest of the current block is skipped */
	{
		struct membuf m = MEMBUF_INIT;
		size_t wl;
		unsigned char *want = load(data_path("multiblock.json"), &wl);
		const char *line111 = (const char *)want;

		for (int i = 0; i < 110; i++)
			line111 = strchr(line111, '\n') + 1;
		r = open_mem(file, len, NULL);
		rc = ak_reader_read_json(r, NULL, NULL, &err);
		rc = rc == AK_OK ? ak_reader_next_block(r, &blk, 0, &err) : rc;
		CHECK(rc == AK_OK && blk.index == 1, "a record of block 0, then ak_reader_next_block: "
		      "block 1");
		rc = ak_reader_read_json(r, membuf_write, &m, &err);
		CHECK(rc == AK_OK && strncmp(membuf_str(&m), line111, m.len) == 0 &&
		      line111[m.len] == '\n', "the next record is block 2's first (record 110): %s",
		      membuf_str(&m));
		ak_reader_free(r);
		membuf_free(&m);
		free(want);
	}
	free(file);
}

/* ---- damaged files ---- */

static void test_damage(void)
{
	size_t len;
	unsigned char *file = load(data_path("multiblock.avro"), &len), *copy;
	struct ak_error err, err2;
	struct ak_reader *r;
	struct ak_decoder *d;
	size_t off = 1819, used;
	uint64_t n;
	int rc;

	/* find record 3 of block 2 with a decoder of the file's schema */
	r = open_mem(file, len, NULL);
	d = ak_decoder_new(ak_reader_schema(r), NULL, NULL);
	for (int i = 0; i < 3; i++) {
		ak_decode_skip(d, file + off, len - off, &used, NULL);
		off += used;
	}
	ak_decoder_free(d);
	ak_reader_free(r);
	copy = malloc(len);
	memcpy(copy, file, len);
	copy[off] = 0x01; /* the station's length: -1 */

	r = open_mem(copy, len, NULL);
	rc = count_records(r, &err, &n);
	CHECK(rc == AK_E_FORMAT && n == 113, "a negative string length in record 3 of block 2: the "
	      "113 records before it, then AK_E_FORMAT (%s)", errstr(&err));
	CHECK(err.block == 2 && err.offset == 1816 && err.record == 3 &&
	      strcmp(err.path, "station") == 0, "the error names block 2 at offset 1816, record 3, "
	      "field station");
	rc = ak_reader_read(r, NULL, NULL, &err2);
	CHECK(rc == AK_E_FORMAT && err2.block == 2 && err2.record == 3 &&
	      strcmp(err.msg, err2.msg) == 0, "the error sticks: the next read says it again");
	ak_reader_free(r);
	{
		char text[600];

		ak_error_format(&err, text, sizeof(text));
		CHECK(strncmp(text, "block 2 (offset 1816): record 3: field station: ", 48) == 0,
		      "ak_error_format: %s", text);
	}
	/* the same from the value tree, JSON and ak_reader_to_json with and without threads */
	{
		const struct ak_value *v;
		struct membuf m = MEMBUF_INIT;

		r = open_mem(copy, len, NULL);
		for (n = 0; (rc = ak_reader_read_value(r, &v, &err)) == AK_OK; n++)
			;
		CHECK(rc == AK_E_FORMAT && n == 113 && err.block == 2 && err.record == 3 &&
		      strcmp(err.path, "station") == 0, "ak_reader_read_value: the same error");
		ak_reader_free(r);
		r = open_mem(copy, len, NULL);
		rc = json_lines(r, &m, &err);
		CHECK(rc == AK_E_FORMAT && err.block == 2 && err.record == 3 &&
		      strcmp(err.path, "station") == 0, "ak_reader_read_json: the same error");
		ak_reader_free(r);
		for (unsigned th = 1; th <= 4; th += 3) {
			struct ak_reader_opts o;
			struct membuf m2 = MEMBUF_INIT;

			ak_reader_opts_init(&o);
			o.threads = th;
			r = open_mem(copy, len, &o);
			ak_error_clear(&err);
			rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &m2, NULL, NULL, &err);
			CHECK(rc == AK_E_FORMAT && err.block == 2 && err.offset == 1816 &&
			      err.record == 3 && strcmp(err.path, "station") == 0 &&
			      m2.len == m.len && memcmp(m2.p, m.p, m.len) == 0,
			      "ak_reader_to_json, %u thread(s): the 113 records first, then the same "
			      "error (%s)", th, errstr(&err));
			ak_reader_free(r);
			membuf_free(&m2);
		}
		membuf_free(&m);
	}

	/* a file cut inside block 2's data */
	r = open_mem(file, 2000, NULL);
	rc = count_records(r, &err, &n);
	CHECK(rc == AK_E_FORMAT && n == 110 && err.block == 2 && err.offset == 1816 &&
	      strstr(err.msg, "ends inside the block"), "a file cut inside block 2: 110 records, then "
	      "AK_E_FORMAT at block 2 (%s)", errstr(&err));
	ak_reader_free(r);
	/* a block count its bytes cannot hold */
	memcpy(copy, file, len);
	copy[1816] = 0x7e; /* 63 records: more than 40, and the bytes cannot hold them */
	r = open_mem(copy, len, NULL);
	rc = count_records(r, &err, &n);
	CHECK(rc == AK_E_FORMAT && n == 150 && err.block == 2 && err.record == 40,
	      "a record count too big for block 2: its 40 records, then AK_E_FORMAT at record 40 "
	      "(%s)", errstr(&err));
	ak_reader_free(r);
	/* bytes left over after a block's records */
	memcpy(copy, file, len);
	copy[1816] = 0x4e; /* 39 records of 40 */
	r = open_mem(copy, len, NULL);
	rc = count_records(r, &err, &n);
	CHECK(rc == AK_E_FORMAT && n == 149 && err.block == 2 && strstr(err.msg, "left over"),
	      "a record count too small: the records, then bytes left over (%s)", errstr(&err));
	ak_reader_free(r);
	{
		struct membuf m = MEMBUF_INIT;

		r = open_mem(copy, len, NULL);
		rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &m, NULL, NULL, &err);
		CHECK(rc == AK_E_FORMAT && err.block == 2 && strstr(err.msg, "left over"),
		      "ak_reader_to_json says so too (%s)", errstr(&err));
		ak_reader_free(r);
		membuf_free(&m);
	}

	/* headers */
	ak_error_clear(&err);
	r = ak_reader_open_memory("", 0, NULL, &err);
	CHECK(!r && err.code == AK_E_FORMAT, "no bytes: AK_E_FORMAT (%s)", errstr(&err));
	r = ak_reader_open_memory("{\"a\":1}\n", 8, NULL, &err);
	CHECK(!r && err.code == AK_E_FORMAT, "not an Avro file: AK_E_FORMAT (%s)", errstr(&err));
	r = ak_reader_open_memory(file, 200, NULL, &err);
	CHECK(!r && err.code == AK_E_FORMAT, "a header cut short: AK_E_FORMAT (%s)", errstr(&err));
	{
		struct ak_reader_opts o;

		ak_reader_opts_init(&o);
		o.max_header = 100;
		r = ak_reader_open_memory(file, len, &o, &err);
		CHECK(!r && err.code == AK_E_LIMIT && (err.flags & AK_ERROR_LIMIT_HEADER),
		      "max_header 100: AK_E_LIMIT, AK_ERROR_LIMIT_HEADER (%s)", errstr(&err));
		ak_reader_opts_init(&o);
		o.max_block = 600;
		r = ak_reader_open_memory(file, len, &o, &err);
		rc = r ? count_records(r, &err, &n) : -99;
		CHECK(rc == AK_E_LIMIT && (err.flags & AK_ERROR_LIMIT_BLOCK) && err.block == 0,
		      "max_block 600: block 0 (639 bytes) is AK_E_LIMIT, AK_ERROR_LIMIT_BLOCK (%s)",
		      errstr(&err));
		ak_reader_free(r);
	}
	/* an unknown codec; a schema that is not valid */
	{
		unsigned char *bad = malloc(len);
		size_t k;

		memcpy(bad, file, len);
		for (k = 0; k + 4 < 373 && memcmp(bad + k, "null", 4) != 0; k++)
			;
		memcpy(bad + k, "nope", 4);
		r = ak_reader_open_memory(bad, len, NULL, &err);
		CHECK(!r && err.code == AK_E_CODEC && strstr(err.msg, "nope"), "an unknown codec: "
		      "AK_E_CODEC (%s)", errstr(&err));
		memcpy(bad, file, len);
		for (k = 0; k + 6 < 373 && memcmp(bad + k, "record", 6) != 0; k++)
			;
		memcpy(bad + k, "recurd", 6);
		r = ak_reader_open_memory(bad, len, NULL, &err);
		CHECK(!r && err.code == AK_E_SCHEMA, "a header schema that is not valid: AK_E_SCHEMA "
		      "(%s)", errstr(&err));
		free(bad);
	}
	free(copy);
	free(file);
}

/* ---- codecs and threads ---- */

static int progress_stop(void *ctx, uint64_t records, uint64_t bytes)
{
	(void)bytes;
	*(uint64_t *)ctx = records;
	return 1;
}

static int progress_count(void *ctx, uint64_t records, uint64_t bytes)
{
	(void)bytes;
	*(uint64_t *)ctx = records;
	return 0;
}

/* A file of @n records of a small record type, written by the library with @codec. */
static unsigned char *make_file(const char *codec, unsigned n, size_t block_size, size_t *len)
{
	static struct ak_schema *s;
	struct ak_writer_opts o;
	struct ak_writer *w;
	struct membuf m = MEMBUF_INIT;
	struct ak_error err;

	if (!s)
		s = schema_or_die("{\"type\":\"record\",\"name\":\"Rec\",\"fields\":["
				  "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\","
				  "\"type\":\"string\"},{\"name\":\"tags\",\"type\":{\"type\":"
				  "\"array\",\"items\":\"int\"}},{\"name\":\"opt\",\"type\":"
				  "[\"null\",\"double\"]}]}");
	ak_writer_opts_init(&o);
	o.codec = codec;
	o.block_size = block_size;
	ak_error_clear(&err);
	if (!(w = ak_writer_open_callbacks(membuf_write, &m, s, &o, &err))) {
		printf("Bail out! writer for %s: %s\n", codec, errstr(&err));
		exit(1);
	}
	for (unsigned i = 0; i < n; i++) {
		struct ak_encoder *e = ak_writer_encoder(w);
		char name[32];

		snprintf(name, sizeof(name), "name-%u", i * 7919 % 1000);
		ak_put_record(e, NULL);
		ak_put_field(e, "id", NULL);
		ak_put_long(e, (int64_t)i * 1000003, NULL);
		ak_put_field(e, "name", NULL);
		ak_put_string(e, name, strlen(name), NULL);
		ak_put_field(e, "tags", NULL);
		ak_put_array(e, NULL);
		for (unsigned k = 0; k < i % 5; k++)
			ak_put_int(e, (int32_t)(k * i), NULL);
		ak_put_end(e, NULL);
		ak_put_field(e, "opt", NULL);
		if (i % 3)
			ak_put_double(e, i / 4.0, NULL);
		else
			ak_put_null(e, NULL);
		ak_put_end(e, NULL);
		if (ak_writer_commit(w, &err) != AK_OK) {
			printf("Bail out! commit: %s\n", errstr(&err));
			exit(1);
		}
	}
	if (ak_writer_finish(w, &err) != AK_OK) {
		printf("Bail out! finish: %s\n", errstr(&err));
		exit(1);
	}
	ak_writer_free(w);
	*len = m.len;
	return m.p;
}

static void test_codecs_threads(void)
{
	static const char *const codecs[] = { "null", "deflate", "snappy", "bzip2", "xz",
					      "zstandard" };
	struct membuf ref = MEMBUF_INIT;

	for (size_t c = 0; c < sizeof(codecs) / sizeof(codecs[0]); c++) {
		size_t len;
		unsigned char *file;
		struct ak_error err;

		if (ak_codec_supported(codecs[c]) != 2) {
			tap_skip(codecs[c]);
			continue;
		}
		file = make_file(codecs[c], 3000, 4096, &len);
		for (unsigned th = 1; th <= 4; th += 3) {
			struct ak_reader_opts o;
			struct ak_reader *r;
			struct membuf lines = MEMBUF_INIT, all = MEMBUF_INIT, lim = MEMBUF_INIT;
			const struct ak_value *v;
			uint64_t n, prog = 0;
			int rc, ok = 1;

			ak_reader_opts_init(&o);
			o.threads = th;
			/* record by record */
			r = open_mem(file, len, &o);
			CHECK(strcmp(ak_reader_codec(r), codecs[c]) == 0, "%s: the codec",
			      codecs[c]);
			rc = json_lines(r, &lines, &err);
			ak_reader_free(r);
			if (!ref.len)
				membuf_write(&ref, lines.p, lines.len);
			CHECK(rc == AK_EOF && lines.len == ref.len &&
			      memcmp(lines.p, ref.p, ref.len) == 0, "%s, %u thread(s): "
			      "ak_reader_read_json gives the records (%s)", codecs[c], th,
			      errstr(&err));
			/* value trees */
			r = open_mem(file, len, &o);
			for (n = 0; (rc = ak_reader_read_value(r, &v, &err)) == AK_OK; n++)
				ok &= ak_value_long(ak_value_field(v, "id")) == (int64_t)n * 1000003;
			CHECK(rc == AK_EOF && n == 3000 && ok, "%s, %u thread(s): value trees in "
			      "order", codecs[c], th);
			ak_reader_free(r);
			/* the whole file at once, with progress */
			r = open_mem(file, len, &o);
			rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &all, progress_count,
					       &prog, &err);
			CHECK(rc == AK_OK && all.len == ref.len && memcmp(all.p, ref.p, ref.len) == 0,
			      "%s, %u thread(s): ak_reader_to_json gives the same text (%s)",
			      codecs[c], th, errstr(&err));
			CHECK(prog == 3000, "%s: the progress callback saw all 3000 records (%llu)",
			      codecs[c], (unsigned long long)prog);
			rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &all, NULL, NULL, &err);
			CHECK(rc == AK_OK, "%s: ak_reader_to_json at the end: nothing more, AK_OK (%d)",
			      codecs[c], rc);
			ak_reader_free(r);
			/* a limit; then records go on after it */
			r = open_mem(file, len, &o);
			rc = ak_reader_to_json(r, 1234, membuf_write, &lim, NULL, NULL, &err);
			{
				const char *p = membuf_str(&ref);

				for (int i = 0; i < 1234; i++)
					p = strchr(p, '\n') + 1;
				CHECK(rc == AK_EOF && lim.len == (size_t)(p - (const char *)ref.p) &&
				      memcmp(lim.p, ref.p, lim.len) == 0, "%s, %u thread(s): a limit "
				      "of 1234: those records, AK_EOF (%d, %s)", codecs[c], th, rc,
				      errstr(&err));
				membuf_clear(&lim);
				rc = ak_reader_read_json(r, membuf_write, &lim, &err);
				CHECK(rc == AK_OK && strncmp(membuf_str(&lim), p, lim.len) == 0 &&
				      p[lim.len] == '\n', "%s, %u thread(s): the next record read is "
				      "the 1235th", codecs[c], th);
				/* and the rest at once */
				membuf_clear(&lim);
				rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &lim, NULL, NULL,
						       &err);
				p = strchr(p, '\n') + 1;
				CHECK(rc == AK_OK && strcmp(membuf_str(&lim), p) == 0, "%s, %u "
				      "thread(s): then ak_reader_to_json gives all the rest", codecs[c],
				      th);
			}
			ak_reader_free(r);
			/* record reads first, then the rest at once */
			r = open_mem(file, len, &o);
			membuf_clear(&lim);
			for (int i = 0; i < 10; i++) {
				ak_reader_read_json(r, membuf_write, &lim, &err);
				membuf_write(&lim, "\n", 1);
			}
			rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &lim, NULL, NULL, &err);
			CHECK(rc == AK_OK && lim.len == ref.len && memcmp(lim.p, ref.p, ref.len) == 0,
			      "%s, %u thread(s): ten records read, then ak_reader_to_json: the same "
			      "text", codecs[c], th);
			ak_reader_free(r);
			/* a block taken between records: the next record is the next block's */
			{
				struct ak_block b0, b1;
				int64_t id = -1;

				r = open_mem(file, len, NULL);
				ak_reader_next_block(r, &b0, AK_BLOCK_SKIP_DATA, &err);
				ak_reader_next_block(r, &b1, AK_BLOCK_SKIP_DATA, &err);
				ak_reader_free(r);
				r = open_mem(file, len, &o);
				rc = ak_reader_read_value(r, &v, &err);
				rc = rc == AK_OK ? ak_reader_next_block(r, &b1, 0, &err) : rc;
				rc = rc == AK_OK ? ak_reader_read_value(r, &v, &err) : rc;
				if (rc == AK_OK)
					id = ak_value_long(ak_value_field(v, "id"));
				/* with threads too: the blocks read ahead are handed out first */
				CHECK(id == (b0.count + b1.count) * 1000003, "%s, %u thread(s): "
				      "after a record and a block, the next record is block 2's "
				      "first", codecs[c], th);
				ak_reader_free(r);
			}
			/* a progress callback that stops */
			r = open_mem(file, len, &o);
			prog = 99;
			rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &lim, progress_stop, &prog,
					       &err);
			CHECK(rc == AK_E_CALLBACK && prog > 0 && prog < 3000, "%s, %u thread(s): "
			      "a progress callback that stops: AK_E_CALLBACK after %llu records",
			      codecs[c], th, (unsigned long long)prog);
			ak_reader_free(r);
			/* a write callback that fails */
			r = open_mem(file, len, &o);
			membuf_clear(&lim);
			lim.fail_after = 10000;
			rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &lim, NULL, NULL, &err);
			CHECK(rc == AK_E_IO && (err.flags & AK_ERROR_OUTPUT), "%s, %u thread(s): a "
			      "failing write: AK_E_IO, AK_ERROR_OUTPUT (%s)", codecs[c], th,
			      errstr(&err));
			ak_reader_free(r);
			membuf_free(&lines);
			membuf_free(&all);
			membuf_free(&lim);
		}
		/* damage inside block 1's data: an error naming block 1 */
		if (strcmp(codecs[c], "null") != 0) {
			struct ak_reader *r = open_mem(file, len, NULL);
			struct ak_block b0, b1;
			unsigned char *copy = malloc(len);
			uint64_t n;
			int rc;

			ak_reader_next_block(r, &b0, 0, &err);
			ak_reader_next_block(r, &b1, AK_BLOCK_RAW, &err);
			memcpy(copy, file, len);
			ak_reader_free(r);
			for (size_t k = 0; k < 8 && k < b1.stored_size; k++)
				copy[b1.offset + 4 + k] ^= 0x55;
			for (unsigned th = 1; th <= 4; th += 3) {
				struct ak_reader_opts o;

				ak_reader_opts_init(&o);
				o.threads = th;
				r = open_mem(copy, len, &o);
				rc = count_records(r, &err, &n);
				CHECK(rc < 0 && err.block == 1 && err.offset == b1.offset &&
				      n == (uint64_t)b0.count, "%s, %u thread(s): damaged compressed "
				      "data in block 1: the records of block 0, then an error naming "
				      "block 1 at %llu (%s)", codecs[c], th,
				      (unsigned long long)b1.offset, errstr(&err));
				ak_reader_free(r);
			}
			free(copy);
		}
		free(file);
	}
	/* the skip callback skips over block data that is not buffered yet */
	{
		size_t len;
		unsigned char *file = make_file("null", 40000, 300000, &len);
		struct memsrc src;
		struct ak_reader *r;
		struct ak_block blk;
		struct ak_error err;
		int rc, blocks = 0;

		memsrc_init(&src, file, len, 4096);
		r = ak_reader_open_callbacks(memsrc_read, memsrc_skip, &src, NULL, &err);
		while (r && (rc = ak_reader_next_block(r, &blk, AK_BLOCK_SKIP_DATA, &err)) == AK_OK)
			blocks++;
		CHECK(r && rc == AK_EOF && blocks >= 2 && src.skips > 0 && src.pos == len,
		      "AK_BLOCK_SKIP_DATA over %d blocks of 300 KB: the skip callback is used (%u "
		      "times)", blocks, src.skips);
		ak_reader_free(r);
		free(file);
	}
	/* lzma (avro-c's name) is read only */
	{
		struct ak_writer_opts o;
		struct ak_error err;
		struct ak_schema *s = schema_or_die("\"int\"");

		ak_writer_opts_init(&o);
		o.codec = "lzma";
		ak_error_clear(&err);
		CHECK(!ak_writer_open_callbacks(membuf_write, &ref, s, &o, &err) &&
		      err.code == AK_E_ARG, "lzma cannot be written (%s)", errstr(&err));
		o.codec = "lz4";
		ak_error_clear(&err);
		CHECK(!ak_writer_open_callbacks(membuf_write, &ref, s, &o, &err) &&
		      err.code == AK_E_ARG, "lz4 cannot be written (%s)", errstr(&err));
		ak_schema_free(s);
	}
	membuf_free(&ref);
	/* fastavro's lz4 is read: a file of ints 1 and -1 in one block, the decompressed size
	 * (2, little-endian) then an LZ4 block of one literal run (token 0x20) */
	{
		static const unsigned char file[] = {
			'O', 'b', 'j', 1, 0x04,
			0x16, 'a', 'v', 'r', 'o', '.', 's', 'c', 'h', 'e', 'm', 'a',
			0x0a, '"', 'i', 'n', 't', '"',
			0x14, 'a', 'v', 'r', 'o', '.', 'c', 'o', 'd', 'e', 'c', 0x06, 'l', 'z', '4',
			0x00, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			0x04, 0x0e, 0x02, 0x00, 0x00, 0x00, 0x20, 0x02, 0x01,
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		};
		struct membuf out = MEMBUF_INIT;
		struct ak_error err;
		struct ak_reader *r;

		ak_error_clear(&err);
		r = ak_reader_open_memory(file, sizeof(file), NULL, &err);
		if (ak_codec_supported("lz4") == 1) {
			int rc = r ? json_lines(r, &out, &err) : -1;

			CHECK(r && rc == AK_EOF && out.len == 5 && memcmp(out.p, "1\n-1\n", 5) == 0,
			      "an lz4 file reads as 1 and -1 (rc %d, %zu bytes: %.*s)", rc, out.len,
			      (int)out.len, out.p ? (const char *)out.p : "");
		} else {
			CHECK(!r && strstr(errstr(&err), "lz4"),
			      "without liblz4, an lz4 file is refused naming the codec (%s)",
			      errstr(&err));
		}
		ak_reader_free(r);
		membuf_free(&out);
	}

	/* the corpus's weather files in each codec */
	{
		static const char *const names[] = { "weather.avro", "weather-deflate.avro",
						     "weather-snappy.avro", "weather-zstd.avro" };
		char path[1024];
		size_t wl;
		unsigned char *want;

		snprintf(path, sizeof(path), "%s/share/test/data/weather.json", corpus_dir);
		if (!(want = read_file(path, &wl))) {
			tap_skip("the shared corpus is not here");
			return;
		}
		for (size_t i = 0; i < 4; i++) {
			struct ak_reader *r;
			struct ak_error err;
			struct membuf m = MEMBUF_INIT;
			uint64_t n;
			int rc;

			snprintf(path, sizeof(path), "%s/share/test/data/%s", corpus_dir, names[i]);
			ak_error_clear(&err);
			r = ak_reader_open_path(path, NULL, &err);
			if (!r && err.code == AK_E_UNSUPPORTED) {
				tap_skip(names[i]);
				continue;
			}
			rc = r ? count_records(r, &err, &n) : -99;
			CHECK(rc == AK_EOF && n == 5, "corpus %s: 5 records (%s)", names[i],
			      errstr(&err));
			ak_reader_free(r);
			r = ak_reader_open_path(path, NULL, &err);
			rc = r ? ak_reader_to_json(r, AK_NO_POS, membuf_write, &m, NULL, NULL, &err)
			       : -99;
			tap_note("%s: %s", names[i], membuf_str(&m));
			CHECK(rc == AK_OK && m.len > 0, "corpus %s: as JSON", names[i]);
			ak_reader_free(r);
			membuf_free(&m);
		}
		free(want);
	}
}

static void test_to_json_args(void)
{
	struct ak_error err;
	struct ak_reader *r = ak_reader_open_path(data_path("weather.avro"), NULL, &err);
	struct membuf m = MEMBUF_INIT;
	int rc;

	ak_error_clear(&err);
	rc = ak_reader_to_json(r, AK_NO_POS, NULL, NULL, NULL, NULL, &err);
	CHECK(rc == AK_E_ARG, "ak_reader_to_json with no write callback: AK_E_ARG");
	rc = ak_reader_to_json(NULL, AK_NO_POS, membuf_write, &m, NULL, NULL, &err);
	CHECK(rc == AK_E_ARG, "ak_reader_to_json with no reader: AK_E_ARG");
	rc = ak_reader_to_json(r, 0, membuf_write, &m, NULL, NULL, &err);
	CHECK(rc == AK_EOF && m.len == 0, "a limit of 0: AK_EOF, nothing written");
	rc = ak_reader_to_json(r, AK_NO_POS, membuf_write, &m, NULL, NULL, &err);
	CHECK(rc == AK_OK && m.len > 0 && m.p[m.len - 1] == '\n' &&
	      strncmp(membuf_str(&m), "{\"station\":\"ALTA-1\"", 19) == 0,
	      "then all of it, one record per line");
	ak_reader_free(r);
	membuf_free(&m);
}

int main(int argc, char **argv)
{
	data_dir = argc > 1 ? argv[1] : "tests/data";
	corpus_dir = argc > 2 ? argv[2] : "../shared/corpus";
	test_sources();
	test_header();
	test_records();
	test_reader_schema();
	test_blocks();
	test_damage();
	test_codecs_threads();
	test_to_json_args();
	scratch_remove();
	return tap_done();
}
