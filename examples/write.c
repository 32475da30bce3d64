/* SPDX-License-Identifier: Apache-2.0 */
/*
 * write.c: write an Avro data file from C values.
 *
 *     write FILE [CODEC]
 *
 * Writes three records of the schema below to FILE, compressed with CODEC ("null" by default;
 * "deflate", "snappy", ... when the library has them). The file appears only when everything
 * went well: until ak_writer_finish() the records go to a temporary file beside it.
 */
#include <avrokit.h>
#include <stdio.h>
#include <string.h>

static const char schema_json[] =
	"{\"type\": \"record\", \"name\": \"Reading\", \"namespace\": \"example\", \"fields\": ["
	"  {\"name\": \"station\", \"type\": \"string\"},"
	"  {\"name\": \"time\","
	"   \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}},"
	"  {\"name\": \"temps\", \"type\": {\"type\": \"array\", \"items\": \"int\"}},"
	"  {\"name\": \"sky\", \"type\": {\"type\": \"enum\", \"name\": \"Sky\","
	"                               \"symbols\": [\"CLEAR\", \"CLOUDY\", \"RAIN\"]}},"
	"  {\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}"
	"]}";

struct reading {
	const char *station;
	long long time;
	int temps[3];
	const char *sky;
	const char *note; /* NULL: no note */
};

static const struct reading readings[] = {
	{ "ALTA-1", 1704067200000LL, { -123, -118, -120 }, "CLEAR", NULL },
	{ "BERGEN", 1704070800000LL, { 45, 47, 44 }, "RAIN", "gauge cleaned" },
	{ "Tromsø", 1704074400000LL, { -87, -90, -95 }, "CLOUDY", NULL },
};

/* Put one record into the encoder, depth first. The encoder keeps its first error and
 * ignores the calls after it, so the result is checked once, by ak_writer_commit(). */
static void put_reading(struct ak_encoder *e, const struct reading *r, struct ak_error *err)
{
	size_t i;

	ak_put_record(e, err);
	ak_put_field(e, "station", err);
	ak_put_string(e, r->station, strlen(r->station), err);
	ak_put_field(e, "time", err);
	ak_put_long(e, r->time, err); /* a logical type is put as its underlying value */
	ak_put_field(e, "temps", err);
	ak_put_array(e, err);
	for (i = 0; i < sizeof(r->temps) / sizeof(r->temps[0]); i++)
		ak_put_int(e, r->temps[i], err);
	ak_put_end(e, err);
	ak_put_field(e, "sky", err);
	ak_put_symbol(e, r->sky, err);
	if (r->note) { /* left out, the field takes its default, null */
		ak_put_field(e, "note", err);
		ak_put_string(e, r->note, strlen(r->note), err); /* picks the union's string */
	}
	ak_put_end(e, err);
}

int main(int argc, char **argv)
{
	struct ak_error err;
	struct ak_schema *s;
	struct ak_writer *w = NULL;
	struct ak_writer_opts o;
	char msg[1024];
	size_t i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: write FILE [CODEC]\n");
		return 2;
	}
	if (!(s = ak_schema_parse(schema_json, strlen(schema_json), 0, &err)))
		goto fail;
	ak_writer_opts_init(&o); /* always first: new fields get their defaults */
	if (argc == 3)
		o.codec = argv[2];
	if (!(w = ak_writer_open_path(argv[1], s, &o, &err)))
		goto fail;
	for (i = 0; i < sizeof(readings) / sizeof(readings[0]); i++) {
		put_reading(ak_writer_encoder(w), &readings[i], &err);
		if (ak_writer_commit(w, &err) != AK_OK)
			goto fail;
	}
	if (ak_writer_finish(w, &err) != AK_OK)
		goto fail;
	printf("%llu records written to %s\n", (unsigned long long)ak_writer_count(w), argv[1]);
	ak_writer_free(w);
	ak_schema_free(s);
	return 0;
fail:
	ak_error_format(&err, msg, sizeof(msg));
	fprintf(stderr, "write: %s: %s\n", argv[1], msg);
	ak_writer_free(w); /* a writer not finished leaves no file behind */
	ak_schema_free(s);
	return 1;
}
