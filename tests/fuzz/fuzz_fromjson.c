/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: arbitrary text as fromjson input for a fixed schema with every type, in Avro
 * JSON and in plain JSON (whose unions of several records try the object as each); what
 * encodes must decode again. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ak.h"

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
	"{\"name\":\"o\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"P\",\"fields\":["
	"{\"name\":\"x\",\"type\":\"int\"}]},{\"type\":\"record\",\"name\":\"Q\",\"fields\":["
	"{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":[\"null\",\"f.R\"],"
	"\"default\":null}]},{\"type\":\"map\",\"values\":\"double\"}],\"default\":null}]}";

static void run(struct ak_json_encoder *e, const struct ak_plan *p, const uint8_t *data, size_t size)
{
	struct ak_error err = { 0 };
	struct ak_json_in j;
	struct ak_buf out = AK_BUF_INIT, json = AK_BUF_INIT;

	ak_json_in_init_mem(&j, (const char *)data, size);
	for (int n = 0; n < 64; n++) {
		size_t start = out.len;
		const unsigned char *q;

		if (ak_json_encode(e, &j, &out, &err) != AK_OK)
			break;
		/* it encoded, so it must decode to the end exactly */
		struct ak_json_writer w = { p, 0, 0, 0, NULL };

		q = out.data + start;
		json.len = 0;
		if (ak_datum_json(&w, &q, out.data + out.len, &json, &err) != AK_OK ||
		    q != out.data + out.len)
			__builtin_trap();
		ak_json_writer_release(&w);
	}
	ak_json_in_release(&j);
	ak_buf_release(&out);
	ak_buf_release(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ak_schema *s;
	static struct ak_plan *p;
	static struct ak_json_encoder *e, *ep;
	struct ak_error err = { 0 };

	if (!s) {
		s = ak_schema_parse(schema, strlen(schema), 0, &err);
		p = s ? ak_plan_new(s, &err) : NULL;
		e = p ? ak_json_encoder_new(p, 0, &err) : NULL;
		ep = p ? ak_json_encoder_new(p, AK_ENCODE_PLAIN, &err) : NULL;
		if (!e || !ep)
			__builtin_trap();
	}
	run(e, p, data, size);
	run(ep, p, data, size);
	return 0;
}
