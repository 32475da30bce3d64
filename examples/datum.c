/* SPDX-License-Identifier: Apache-2.0 */
/*
 * datum.c: one schemaless datum (no container file around it), decoded and encoded.
 *
 *     datum
 *
 * Decodes the specification's example record {"a": 27, "b": "foo"} from its five bytes with a
 * visitor (a callback per value), encodes the same values from C with an encoder, checks that
 * the bytes are the same, and shows the error a datum cut short gives.
 */
#include <avrokit.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char schema_json[] =
	"{\"type\": \"record\", \"name\": \"test\", \"fields\": ["
	"{\"name\": \"a\", \"type\": \"long\"}, {\"name\": \"b\", \"type\": \"string\"}]}";

/* a = 27 as a zigzag varint, then b = "foo": its length 3 (zigzag: 6) and its bytes */
static const unsigned char datum[] = { 0x36, 0x06, 'f', 'o', 'o' };

/* The visitor's callbacks: record_field says which field the next value belongs to (@type is
 * the record), then the value comes through the callback of its type. */
static int on_field(void *ctx, const struct ak_node *type, uint32_t index)
{
	(void)ctx;
	printf("%s: ", ak_node_field_name(type, index));
	return 0;
}

static int on_long(void *ctx, const struct ak_node *type, int64_t v)
{
	(void)ctx;
	(void)type;
	printf("%" PRId64 "\n", v);
	return 0;
}

static int on_string(void *ctx, const struct ak_node *type, const char *p, size_t len)
{
	(void)ctx;
	(void)type;
	printf("\"%.*s\"\n", (int)len, p); /* p is borrowed, and not NUL-terminated */
	return 0;
}

static void print_hex(const char *what, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	printf("%s:", what);
	for (i = 0; i < len; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

int main(void)
{
	struct ak_error err;
	struct ak_schema *s;
	struct ak_decoder *d = NULL;
	struct ak_encoder *e = NULL;
	/* Unset callbacks (the others) are not called; the values are still checked. */
	struct ak_visitor v = AK_VISITOR_INIT;
	const struct ak_value *tree;
	const void *out;
	size_t used, len;
	char msg[1024];
	int rc = 1;

	v.record_field = on_field;
	v.on_long = on_long;
	v.on_string = on_string;
	if (!(s = ak_schema_parse(schema_json, strlen(schema_json), 0, &err)))
		goto fail;

	/* Decode: the datum was written with schema s (and is read as s: no reader schema). */
	if (!(d = ak_decoder_new(s, NULL, &err)))
		goto fail;
	print_hex("datum", datum, sizeof(datum));
	if (ak_decode(d, datum, sizeof(datum), &used, &v, NULL, &err) != AK_OK)
		goto fail;
	printf("decoded %zu bytes\n", used);

	/* Encode the same record from C values; fields may come in any order. */
	if (!(e = ak_encoder_new(s, NULL, &err)))
		goto fail;
	ak_put_record(e, &err);
	ak_put_field(e, "b", &err);
	ak_put_string(e, "foo", 3, &err);
	ak_put_field(e, "a", &err);
	ak_put_long(e, 27, &err);
	ak_put_end(e, &err);
	/* The encoder's first error, if any, comes out here. */
	if (ak_encoder_datum(e, &out, &len, &err) != AK_OK)
		goto fail;
	print_hex("encoded", out, len);
	if (len != sizeof(datum) || memcmp(out, datum, len) != 0) {
		fprintf(stderr, "datum: the round trip changed the bytes\n");
		goto out;
	}
	printf("round trip: same bytes\n");

	/* A datum cut short is an error that says where: here in field b. (This time into a
	 * value tree, the other way to receive a decoded datum.) */
	if (ak_decode_value(d, datum, sizeof(datum) - 1, NULL, &tree, &err) == AK_OK) {
		fprintf(stderr, "datum: a truncated datum was accepted\n");
		goto out;
	}
	ak_error_format(&err, msg, sizeof(msg));
	printf("cut short: %s (%s)\n", msg, ak_status_name(err.code));
	rc = 0;
	goto out;
fail:
	ak_error_format(&err, msg, sizeof(msg));
	fprintf(stderr, "datum: %s\n", msg);
out:
	ak_encoder_free(e);
	ak_decoder_free(d);
	ak_schema_free(s);
	return rc;
}
