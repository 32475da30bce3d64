/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary text as JSON records for a fixed schema with every type, through the
 * public API only (avrokit.h), once as Avro's JSON encoding and once as plain JSON (whose
 * unions of several records try the object as each):
 * - ak_encode_json() value by value: what encodes must decode again, to its last byte, and
 *   its Avro JSON must encode again to the same bytes;
 * - ak_writer_write_json() from a read callback into a file in memory, which must read back
 *   with as many records as the writer counted.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avrokit.h"
#include "fuzz_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema[] =
	"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"f\",\"fields\":["
	"{\"name\":\"n\",\"type\":\"null\",\"default\":null},"
	"{\"name\":\"b\",\"type\":\"boolean\",\"default\":true},"
	"{\"name\":\"i\",\"type\":\"int\",\"default\":1},"
	"{\"name\":\"l\",\"type\":\"long\",\"default\":-2},"
	"{\"name\":\"f\",\"type\":\"float\",\"default\":\"NaN\"},"
	"{\"name\":\"d\",\"type\":\"double\",\"default\":1.5},"
	"{\"name\":\"by\",\"type\":\"bytes\",\"default\":\"\\u00ff\"},"
	"{\"name\":\"s\",\"type\":\"string\",\"default\":\"x\"},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]},"
	"\"default\":\"B\"},"
	"{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"X\",\"size\":2},\"default\":\"ab\"},"
	"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\"},\"default\":[]},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"f.R\"]},\"default\":{}},"
	"{\"name\":\"u\",\"type\":[\"null\",\"string\",\"E\",{\"type\":\"array\",\"items\":\"f.R\"}],"
	"\"default\":null},"
	"{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"},\"default\":0},"
	"{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":6,"
	"\"scale\":2},\"default\":\"\"},"
	/* plain JSON tries an object as each record branch of a union */
	"{\"name\":\"o\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"P\",\"fields\":["
	"{\"name\":\"x\",\"type\":\"int\"}]},{\"type\":\"record\",\"name\":\"Q\",\"fields\":["
	"{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":[\"null\",\"f.R\"],"
	"\"default\":null}]},{\"type\":\"map\",\"values\":\"double\"}],\"default\":null}]}";

struct text {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t text_read(void *ctx, void *buf, size_t n)
{
	struct text *t = ctx;

	if (n > 4093) /* short reads: values cut across reads */
		n = 4093;
	if (n > t->len - t->pos)
		n = t->len - t->pos;
	memcpy(buf, t->p + t->pos, n);
	t->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ak_schema *s;
	static struct ak_encoder *enc[2], *again;
	static struct ak_decoder *dec;
	struct ak_error err;

	if (!s) {
		struct ak_encoder_opts eo;
		struct ak_decoder_opts dopt;

		s = ak_schema_parse(schema, strlen(schema), 0, NULL);
		ak_encoder_opts_init(&eo);
		enc[0] = s ? ak_encoder_new(s, &eo, NULL) : NULL;
		eo.json_flags = AK_JSON_PLAIN;
		enc[1] = s ? ak_encoder_new(s, &eo, NULL) : NULL;
		again = s ? ak_encoder_new(s, NULL, NULL) : NULL;
		ak_decoder_opts_init(&dopt);
		dec = s ? ak_decoder_new(s, &dopt, NULL) : NULL;
		if (!enc[0] || !enc[1] || !again || !dec)
			__builtin_trap();
	}
	for (int mode = 0; mode < 2; mode++) {
		struct ak_encoder *e = enc[mode];
		size_t off = 0;

		ak_encoder_reset(e);
		for (int n = 0; n < 64 && off <= size; n++) {
			const void *p, *p2;
			size_t len, len2, used = 0;
			struct buf json = { NULL, 0, 0 };
			int rc;

			ak_error_clear(&err);
			rc = ak_encode_json(e, (const char *)data + off, size - off, &used, &err);
			if (rc != AK_OK)
				break;
			off += used;
			if (ak_encoder_datum(e, &p, &len, &err) != AK_OK)
				__builtin_trap();
			/* it encoded, so it must decode to the end exactly */
			if (ak_decode_json(dec, p, len, &used, collect, &json, &err) != AK_OK ||
			    used != len)
				__builtin_trap();
			/* and its Avro JSON encodes to the same bytes */
			ak_encoder_reset(again);
			if (ak_encode_json(again, (const char *)json.p, json.len, &used, &err) != AK_OK ||
			    ak_encoder_datum(again, &p2, &len2, &err) != AK_OK || len2 != len ||
			    memcmp(p, p2, len) != 0)
				__builtin_trap();
			free(json.p);
			ak_encoder_reset(e);
		}
	}

	/* the same text into a file, then read back */
	for (int mode = 0; mode < 2; mode++) {
		struct buf file = { NULL, 0, 0 };
		struct text t = { data, size, 0 };
		struct ak_writer *w = ak_writer_open_callbacks(collect, &file, s, NULL, NULL);
		uint64_t written, n = 0;
		struct ak_reader *r;
		int rc;

		if (!w)
			__builtin_trap();
		rc = ak_writer_write_json(w, text_read, &t, mode ? AK_JSON_PLAIN : 0, NULL, NULL,
					  &err);
		if (rc == AK_OK)
			rc = ak_writer_finish(w, &err);
		written = ak_writer_count(w);
		ak_writer_free(w);
		if (rc == AK_OK) {
			if (!(r = ak_reader_open_memory(file.p, file.len, NULL, &err)))
				__builtin_trap();
			while ((rc = ak_reader_read(r, NULL, NULL, &err)) == AK_OK)
				n++;
			if (rc != AK_EOF || n != written)
				__builtin_trap();
			ak_reader_free(r);
		}
		free(file.p);
	}
	return 0;
}
