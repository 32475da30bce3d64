/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The thread rules of avrokit.h: a parsed schema is shared by several threads, each with
 * handles of its own (encoder, decoder, reader, writer), and the calls with hidden state
 * made at once by all of them on first use (the CRC-64 table, the codec library names). Every
 * thread must get exactly what one thread alone gets. Run under the sanitizer builds (and,
 * by hand, under ThreadSanitizer: the command is in tests/api/meson.build).
 */
#include <pthread.h>

#include "fixtures.h"

#define THREADS 6
#define ROUNDS 200

static struct ak_schema *shared;
static pthread_barrier_t start;

struct result {
	unsigned char fp[32];
	char canon[2048];
	const char *libs;
	int ok_datums, ok_json, ok_reader, ok_compat;
	char why[256];
};

/* The reference, made by one thread alone before the others start. */
static struct result ref;
static struct bin datum;
static unsigned char *file;
static size_t file_len;

static int discard(void *ctx, const void *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

static void put_datum(struct ak_encoder *e, int k)
{
	ak_put_record(e, NULL);
	ak_put_field(e, "n", NULL);
	ak_put_null(e, NULL);
	ak_put_field(e, "b", NULL);
	ak_put_boolean(e, 1, NULL);
	ak_put_field(e, "i", NULL);
	ak_put_int(e, -3, NULL);
	ak_put_field(e, "l", NULL);
	ak_put_long(e, 1234567890123LL, NULL);
	ak_put_field(e, "f", NULL);
	ak_put_float(e, 1.5f, NULL);
	ak_put_field(e, "d", NULL);
	ak_put_double(e, -0.25, NULL);
	ak_put_field(e, "by", NULL);
	ak_put_bytes(e, "\x00\xff", 2, NULL);
	ak_put_field(e, "s", NULL);
	ak_put_string(e, "h\xc3\xa9llo", 6, NULL);
	ak_put_field(e, "e", NULL);
	ak_put_symbol(e, "CLUBS", NULL);
	ak_put_field(e, "x", NULL);
	ak_put_fixed(e, "ab", 2, NULL);
	ak_put_field(e, "a", NULL);
	ak_put_array(e, NULL);
	ak_put_int(e, 1, NULL);
	ak_put_int(e, -1, NULL);
	ak_put_end(e, NULL);
	ak_put_field(e, "m", NULL);
	ak_put_map(e, NULL);
	ak_put_key(e, "k", 1, NULL);
	ak_put_long(e, 7, NULL);
	ak_put_end(e, NULL);
	ak_put_field(e, "u", NULL);
	ak_put_string(e, "u", 1, NULL);
	ak_put_field(e, "date", NULL);
	ak_put_int(e, 19000, NULL);
	ak_put_field(e, "ts", NULL);
	ak_put_long(e, 1700000000000LL, NULL);
	ak_put_field(e, "dec", NULL);
	ak_put_bytes(e, "09", 2, NULL);
	ak_put_field(e, "id", NULL);
	ak_put_string(e, ALL_UUID, 36, NULL);
	ak_put_field(e, "sub", NULL);
	ak_put_record(e, NULL);
	ak_put_field(e, "z", NULL);
	ak_put_int(e, 9, NULL);
	ak_put_end(e, NULL);
	if (k % 2) { /* o left out every other time: its default */
		ak_put_field(e, "o", NULL);
		ak_put_record(e, NULL);
		ak_put_field(e, "z", NULL);
		ak_put_int(e, -1, NULL);
		ak_put_end(e, NULL);
	}
	ak_put_end(e, NULL);
}

static void *worker(void *arg)
{
	struct result *res = arg;
	struct ak_encoder *e;
	struct ak_decoder *d;
	struct ak_error err;
	char *c;

	ak_error_clear(&err);
	pthread_barrier_wait(&start);
	/* first thing, all at once: the calls with state set up on first use */
	ak_schema_fingerprint(shared, AK_FP_CRC64, res->fp, NULL);
	res->libs = ak_codec_libraries();
	c = ak_schema_canonical(shared, NULL);
	snprintf(res->canon, sizeof(res->canon), "%s", c ? c : "");
	ak_free(c);

	/* an encoder and a decoder each, on the shared schema */
	e = ak_encoder_new(shared, NULL, &err);
	d = ak_decoder_new(shared, NULL, &err);
	res->ok_datums = e && d;
	res->ok_json = e && d;
	for (int k = 0; e && d && k < ROUNDS; k++) {
		const void *p;
		size_t n, used;
		const struct ak_value *v;
		struct membuf m = MEMBUF_INIT;

		put_datum(e, 1);
		if (ak_encoder_datum(e, &p, &n, &err) != AK_OK || n != datum.n ||
		    memcmp(p, datum.b, n) != 0) {
			res->ok_datums = 0;
			snprintf(res->why, sizeof(res->why), "round %d: the encoder: %s", k,
				 errstr(&err));
			break;
		}
		if (ak_decode_value(d, p, n, &used, &v, &err) != AK_OK || used != n ||
		    ak_value_long(ak_value_field(v, "l")) != 1234567890123LL ||
		    ak_value_branch(ak_value_field(v, "o")) != 1) {
			res->ok_datums = 0;
			snprintf(res->why, sizeof(res->why), "round %d: the decoder: %s", k,
				 errstr(&err));
			break;
		}
		if (ak_decode_json(d, p, n, &used, membuf_write, &m, &err) != AK_OK ||
		    strstr(membuf_str(&m), "\"o\":{\"t.Sub\":{\"z\":-1}}") == NULL)
			res->ok_json = 0;
		membuf_free(&m);
		ak_encoder_reset(e);
		put_datum(e, 0); /* with a default */
		if (ak_encoder_datum(e, &p, &n, &err) != AK_OK || n != datum.n - 1)
			res->ok_datums = 0;
		ak_encoder_reset(e);
	}
	ak_encoder_free(e);
	ak_decoder_free(d);

	/* a reader each over the same bytes, with threads of its own too */
	{
		struct ak_reader_opts o;
		struct ak_reader *r;
		uint64_t n = 0;
		int rc;

		ak_reader_opts_init(&o);
		o.threads = 2;
		r = ak_reader_open_memory(file, file_len, &o, &err);
		while (r && (rc = ak_reader_read(r, NULL, NULL, &err)) == AK_OK)
			n++;
		res->ok_reader = r && rc == AK_EOF && n == 2000;
		ak_reader_free(r);
		r = ak_reader_open_memory(file, file_len, &o, &err);
		rc = r ? ak_reader_to_json(r, AK_NO_POS, discard, NULL, NULL, NULL, &err) : -99;
		res->ok_reader &= rc == AK_OK;
		ak_reader_free(r);
	}

	/* compatibility of the shared schema with itself */
	{
		struct ak_compat *cp = ak_schema_compatibility(shared, shared, &err);

		res->ok_compat = cp && ak_compat_count(cp) == 0 && ak_compat_readable(cp);
		ak_compat_free(cp);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	static struct result res[THREADS];
	struct ak_error err;

	shared = schema_or_die(all_schema);
	all_datum(&datum);

	/* a file of 2000 datums in deflate blocks, for the readers */
	{
		struct ak_writer_opts o;
		struct membuf m = MEMBUF_INIT;
		struct ak_writer *w;

		ak_writer_opts_init(&o);
		o.codec = "deflate";
		o.block_size = 4096;
		ak_error_clear(&err);
		w = ak_writer_open_callbacks(membuf_write, &m, shared, &o, &err);
		for (int k = 0; w && k < 2000; k++)
			ak_writer_append(w, datum.b, datum.n, &err);
		if (!w || ak_writer_finish(w, &err) != AK_OK) {
			printf("Bail out! the test file: %s\n", errstr(&err));
			return 1;
		}
		ak_writer_free(w);
		file = m.p;
		file_len = m.len;
	}

	pthread_barrier_init(&start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, &res[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);

	/* the reference: the same calls once more, alone */
	ak_schema_fingerprint(shared, AK_FP_CRC64, ref.fp, NULL);
	{
		char *c = ak_schema_canonical(shared, NULL);

		snprintf(ref.canon, sizeof(ref.canon), "%s", c ? c : "");
		ak_free(c);
	}
	ref.libs = ak_codec_libraries();
	for (int i = 0; i < THREADS; i++) {
		CHECK(memcmp(res[i].fp, ref.fp, 8) == 0 && ak_crc64_avro(ref.canon,
									strlen(ref.canon)) ==
		      ((uint64_t)ref.fp[0] | (uint64_t)ref.fp[1] << 8 | (uint64_t)ref.fp[2] << 16 |
		       (uint64_t)ref.fp[3] << 24 | (uint64_t)ref.fp[4] << 32 |
		       (uint64_t)ref.fp[5] << 40 | (uint64_t)ref.fp[6] << 48 |
		       (uint64_t)ref.fp[7] << 56),
		      "thread %d: the CRC-64 fingerprint, computed by all threads at once first", i);
		CHECK(strcmp(res[i].canon, ref.canon) == 0, "thread %d: the canonical form", i);
		CHECK(res[i].libs == ref.libs && strcmp(res[i].libs, ref.libs) == 0,
		      "thread %d: ak_codec_libraries(), one static string", i);
		CHECK(res[i].ok_datums, "thread %d: %d datums encoded and decoded with its own "
		      "encoder and decoder on the shared schema %s", i, 2 * ROUNDS, res[i].why);
		CHECK(res[i].ok_json, "thread %d: the JSON of each datum", i);
		CHECK(res[i].ok_reader, "thread %d: its own reader (with threads of its own) over the "
		      "shared bytes: 2000 records", i);
		CHECK(res[i].ok_compat, "thread %d: the schema is compatible with itself", i);
	}
	free(file);
	ak_schema_free(shared);
	return tap_done();
}
