/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary bytes as a container file, through the public API only (avrokit.h):
 * every record as JSON one at a time, as value trees (every accessor walked), all at once
 * with ak_reader_to_json(), and block by block (skipping data, raw, any sync). The record
 * reads and ak_reader_to_json() must agree: the same text, then the same status and error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avrokit.h"
#include "fuzz_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Records read per pass: a block of 2^24 empty records (nulls) is valid, and a few bytes of
 * input would otherwise take seconds. */
#define MAX_RECORDS 100000

/* Touch every part of a value tree. */
static size_t walk(const struct ak_value *v, unsigned depth)
{
	size_t n = 0, len;

	if (!v || depth > 2000)
		return 0;
	switch (ak_value_type(v)) {
	case AK_RECORD:
	case AK_ARRAY:
	case AK_MAP:
		for (size_t i = 0; i < ak_value_count(v); i++) {
			if (ak_value_type(v) == AK_MAP) {
				const char *k = ak_value_key(v, i, &len);

				if (!k || ak_value_get(v, k) == NULL)
					__builtin_trap();
			}
			if (ak_value_type(v) == AK_RECORD) {
				const char *name = ak_node_field_name(ak_value_node(v), i);

				if (ak_value_field(v, name) != ak_value_at(v, i))
					__builtin_trap();
			}
			n += walk(ak_value_at(v, i), depth + 1);
		}
		break;
	case AK_ENUM:
		if (!ak_value_symbol(v))
			__builtin_trap();
		break;
	case AK_BYTES:
	case AK_STRING:
	case AK_FIXED:
		if (!ak_value_bytes(v, &len))
			__builtin_trap();
		n += len;
		break;
	default: {
		volatile double d = ak_value_double(v); /* read, whatever it is */

		(void)d;
		n += (size_t)ak_value_long(v) + (size_t)ak_value_boolean(v);
		break;
	}
	}
	return n + (size_t)ak_value_branch(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_reader_opts o;
	struct ak_reader *r;
	struct ak_error err, err2;
	struct buf lines = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	struct ak_block blk;
	const struct ak_value *v;
	unsigned n;
	int rc = AK_EOF, rc2;

	ak_reader_opts_init(&o);
	o.max_header = 1 << 20;
	o.max_block = 4 << 20;
	o.json_flags = size % 2 ? AK_JSON_PRETTY : 0;

	/* records one at a time, as JSON lines */
	ak_error_clear(&err);
	if (!(r = ak_reader_open_memory(data, size, &o, &err)))
		return 0;
	for (n = 0; n < MAX_RECORDS && (rc = ak_reader_read_json(r, collect, &lines, &err)) == AK_OK;
	     n++)
		if (collect(&lines, "\n", 1) != 0)
			break;
	if (n == MAX_RECORDS)
		rc = AK_EOF; /* as ak_reader_to_json() says at its limit */
	ak_reader_free(r);

	/* all at once: the same */
	ak_error_clear(&err2);
	if ((r = ak_reader_open_memory(data, size, &o, &err2))) {
		rc2 = ak_reader_to_json(r, MAX_RECORDS, collect, &all, NULL, NULL, &err2);
		if (rc2 == AK_OK)
			rc2 = AK_EOF;
		if (rc2 != rc || all.len != lines.len ||
		    (all.len && memcmp(all.p, lines.p, all.len) != 0))
			__builtin_trap();
		if (rc < 0 && (err.code != err2.code || err.block != err2.block ||
			       err.record != err2.record || strcmp(err.path, err2.path) != 0))
			__builtin_trap();
		ak_reader_free(r);
	}

	/* value trees */
	if ((r = ak_reader_open_memory(data, size, &o, &err))) {
		for (n = 0; n < MAX_RECORDS && ak_reader_read_value(r, &v, &err) == AK_OK; n++)
			walk(v, 0);
		ak_reader_free(r);
	}

	/* blocks: skipping data with any sync marker, then raw */
	if ((r = ak_reader_open_memory(data, size, &o, &err))) {
		while (ak_reader_next_block(r, &blk, AK_BLOCK_SKIP_DATA | AK_BLOCK_ANY_SYNC, &err) ==
		       AK_OK)
			;
		ak_reader_free(r);
	}
	if ((r = ak_reader_open_memory(data, size, &o, &err))) {
		while (ak_reader_next_block(r, &blk, AK_BLOCK_RAW, &err) == AK_OK)
			if (blk.size != blk.stored_size)
				__builtin_trap();
		ak_reader_free(r);
	}
	free(lines.p);
	free(all.p);
	return 0;
}
