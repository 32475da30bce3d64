/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: arbitrary bytes as a container file, read and printed as JSON, then counted and
 * checked block by block the way count and blocks do. */
#include <stddef.h>
#include <stdint.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int discard(void *ctx, const void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_mem_source m;
	struct ak_source src;
	struct ak_sink sink = { discard, NULL };
	struct ak_out out;
	struct ak_error err = { 0 };
	struct ak_limits lim = { 1 << 20, 1 << 20, 4 << 20 };
	struct ak_reader *r;
	struct ak_plan *plan = NULL;
	struct ak_block blk;

	ak_mem_source_init(&src, &m, data, size);
	if (!(r = ak_reader_open(&src, &lim, &err)))
		return 0;
	if (ak_out_init(&out, &sink, &err) != AK_OK)
		goto done;
	if ((plan = ak_plan_new(ak_reader_schema(r), &err))) {
		struct ak_json_writer w = { plan, AK_JSON_PRETTY, 0, 0, NULL };

		while (ak_reader_next_block(r, &blk, 0, &err) == AK_OK) {
			const unsigned char *p = blk.data, *end = blk.data + blk.size;

			if (ak_decode_check_count(plan, blk.count, blk.size, &err) != AK_OK)
				break;
			for (int64_t i = 0; i < blk.count; i++) {
				if (ak_datum_json(&w, &p, end, &out.b, &err) != AK_OK) {
					ak_out_rollback(&out);
					break;
				}
				ak_out_commit(&out, &err);
			}
		}
		ak_json_writer_release(&w);
	}
	ak_out_release(&out);
done:
	ak_plan_free(plan);
	ak_reader_free(r);
	/* again, skipping block data */
	ak_mem_source_init(&src, &m, data, size);
	if ((r = ak_reader_open(&src, &lim, &err))) {
		while (ak_reader_next_block(r, &blk, AK_BLOCK_SKIP_DATA | AK_BLOCK_ANY_SYNC, &err) ==
		       AK_OK)
			;
		ak_reader_free(r);
	}
	return 0;
}
