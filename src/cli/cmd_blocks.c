/* SPDX-License-Identifier: Apache-2.0 */
/*
 * blocks: one line per block of a data file, for people who debug one. Every block is
 * decompressed and its records decoded (skipped through, not printed), so that a block that
 * cannot be read is marked on its line, as a wrong sync marker is, and the listing goes on
 * to the next block.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_range.h"

enum { OPT_JSON = 'j', OPT_OUTPUT = 'o' };

static const struct cli_option opts[] = {
	{ "json", OPT_JSON, NULL, "print JSON lines (a header object, then one object per block)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_RANGE,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

static int put(struct ak_buf *b, struct ak_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int put(struct ak_buf *b, struct ak_error *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || ak_buf_reserve(b, (size_t)n + 1, err) != AK_OK)
		return AK_E_NOMEM;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return AK_OK;
}

/*
 * Decompress and decode the records of a block read as stored (AK_BLOCK_RAW): AK_OK, or an
 * error in @err saying what is wrong with it. *@size gets the size after the codec, or -1
 * when it could not be decompressed.
 */
static int check_block(const struct ak_codec *codec, const struct ak_plan *plan,
		       const struct ak_block *blk, struct ak_buf *inflated, int64_t *size,
		       struct ak_error *err)
{
	const unsigned char *p = blk->data, *end;
	int rc;

	*size = -1;
	if (strcmp(codec->name, "null") != 0) {
		if (!codec->decompress)
			return ak_fail(err, AK_E_UNSUPPORTED, "codec %s not built in", codec->name);
		if ((rc = codec->decompress(blk->data, blk->size, inflated, cli_limits->max_inflated,
					    err)) != AK_OK)
			return rc;
		p = inflated->data;
		*size = (int64_t)inflated->len;
	} else {
		*size = (int64_t)blk->size;
	}
	end = p + *size;
	if ((rc = ak_decode_check_count(plan, blk->count, (size_t)*size, err)) != AK_OK)
		return rc;
	for (int64_t i = 0; i < blk->count; i++) {
		if ((rc = ak_datum_skip(plan, &p, end, 0, err)) != AK_OK) {
			ak_error_prefix(err, "record %" PRId64, i);
			return rc;
		}
	}
	if (p != end)
		return ak_fail(err, AK_E_FORMAT, "%zu bytes left over after its %" PRId64 " records",
			       (size_t)(end - p), blk->count);
	return AK_OK;
}

/* @n things, for the summary message: "1 block", "2 blocks" */
static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

int cmd_blocks(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_avro_in in = { 0 };
	struct ak_error err = { 0 };
	const char *outpath = NULL, *errname;
	char **files, *pcf = NULL;
	int nfiles, c, json = 0, ret = CLI_EXIT_DATA, opened = 0, rc;
	struct cli_range range = { 0 };
	uint64_t fp, records = 0, bad_sync = 0, bad_data = 0;
	struct ak_plan *plan = NULL;
	struct ak_buf inflated = AK_BUF_INIT;

	cli_opts_init(&o, "blocks", "[OPTION]... [FILE]",
		      "Describe the blocks of an Avro data file: a header line (codec, schema\n"
		      "fingerprint, metadata keys), then per block its index, byte offset, record\n"
		      "count, stored size, size after the codec and whether its sync marker is right.\n"
		      "Every block is decompressed and its records decoded: a block that cannot be is\n"
		      "marked BAD with the reason, and the listing goes on. A wrong sync marker or a\n"
		      "bad block makes the exit status 1. With no FILE, or when FILE is -, read\n"
		      "standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_JSON:
			json = 1;
			break;
		case CLI_KEY_RANGE:
			if (cli_range_option(&o, &range) != 0)
				return o.exit_code;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles > 1)
		return cli_usage_error("blocks", "one input at most (got %d)", nfiles);
	if ((ret = cli_range_check("blocks", &range, files, nfiles)) != CLI_EXIT_OK)
		return ret;
	ret = CLI_EXIT_DATA;
	errname = nfiles && strcmp(files[0], "-") ? files[0] : "(standard input)";
	if (cli_avro_open(&in, nfiles ? files[0] : NULL, &err) != AK_OK ||
	    cli_range_apply(&range, in.r, &err) != AK_OK)
		goto out;
	if (!(pcf = ak_schema_canonical(ak_reader_schema(in.r), &err)))
		goto out;
	if (!(plan = ak_plan_new(ak_reader_schema(in.r), &err)))
		goto out;
	fp = ak_crc64_avro(pcf, strlen(pcf));
	/* printed as `avrokit fingerprint` prints it: the bytes in little-endian order */
	fp = __builtin_bswap64(fp);
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	struct ak_buf *b = &out.out.b;
	rc = json ? put(b, &err, "{\"codec\":\"%s\",\"schema_crc64\":\"%016" PRIx64 "\","
			"\"header_bytes\":%" PRIu64 ",\"metadata\":[", ak_reader_codec_ops(in.r)->name, fp,
			ak_reader_header_size(in.r))
		  : put(b, &err, "# codec %s, schema CRC-64-AVRO %016" PRIx64 ", header %" PRIu64
			" bytes, metadata:", ak_reader_codec_ops(in.r)->name, fp,
			ak_reader_header_size(in.r));
	for (size_t i = 0; rc == AK_OK && i < ak_reader_meta_count(in.r); i++) {
		const char *k = ak_reader_meta(in.r, i)->key;

		if (json) {
			rc = ak_buf_reserve(b, AK_JSON_STRING_MAX(strlen(k)) + 1, &err);
			if (rc == AK_OK) {
				if (i)
					b->data[b->len++] = ',';
				ak_json_put_string(b, (const unsigned char *)k, strlen(k));
			}
		} else {
			rc = put(b, &err, " %s", k);
		}
	}
	if (rc == AK_OK)
		rc = json ? put(b, &err, "]}\n")
			  : put(b, &err, "\n%-8s %12s %10s %12s %12s %s\n", "block", "offset",
				"records", "stored", "decoded", "sync");
	if (rc != AK_OK)
		goto out;
	errname = nfiles && strcmp(files[0], "-") ? files[0] : "(standard input)";
	for (;;) {
		struct ak_block blk;
		struct ak_error berr = { 0 };
		char decoded[24] = "-";
		int64_t size;
		int data_ok;

		rc = ak_reader_next_block(in.r, &blk, AK_BLOCK_ANY_SYNC | AK_BLOCK_RAW, &err);
		if (rc == AK_EOF)
			break;
		if (rc != AK_OK)
			goto out;
		data_ok = check_block(ak_reader_codec_ops(in.r), plan, &blk, &inflated, &size,
				      &berr) == AK_OK;
		bad_sync += !blk.sync_ok;
		bad_data += !data_ok;
		records += (uint64_t)blk.count;
		if (size >= 0)
			snprintf(decoded, sizeof(decoded), "%" PRId64, size);
		if (json) {
			rc = put(b, &err, "{\"block\":%" PRIu64 ",\"offset\":%" PRIu64 ",\"records\":%"
				 PRId64 ",\"stored\":%" PRIu64 ",\"decoded\":%s,\"sync_ok\":%s,"
				 "\"data_ok\":%s", blk.index, blk.offset, blk.count, blk.stored_size,
				 size >= 0 ? decoded : "null", blk.sync_ok ? "true" : "false",
				 data_ok ? "true" : "false");
			if (rc == AK_OK && !data_ok) {
				size_t n = strlen(berr.msg);

				rc = put(b, &err, ",\"error\":");
				if (rc == AK_OK)
					rc = ak_buf_reserve(b, AK_JSON_STRING_MAX(n), &err);
				if (rc == AK_OK)
					ak_json_put_string(b, (const unsigned char *)berr.msg, n);
			}
			if (rc == AK_OK)
				rc = put(b, &err, "}\n");
		} else {
			rc = put(b, &err, "%-8" PRIu64 " %12" PRIu64 " %10" PRId64 " %12" PRIu64
				 " %12s %s%s%s\n", blk.index, blk.offset, blk.count, blk.stored_size,
				 decoded, blk.sync_ok ? "ok" : "MISMATCH", data_ok ? "" : " BAD: ",
				 data_ok ? "" : berr.msg);
		}
		if (rc != AK_OK || (rc = ak_out_commit(&out.out, &err)) != AK_OK) {
			errname = outpath ? outpath : "(standard output)";
			goto out;
		}
	}
	if (!json && put(b, &err, "# %" PRIu64 " records\n", records) != AK_OK)
		goto out;
	if (bad_sync || bad_data) {
		char sync_part[64] = "", data_part[64] = "";

		if (bad_sync)
			snprintf(sync_part, sizeof(sync_part), "%" PRIu64 " block%s with a wrong sync "
				 "marker", bad_sync, plural(bad_sync));
		if (bad_data)
			snprintf(data_part, sizeof(data_part), "%" PRIu64 " block%s that cannot be "
				 "read", bad_data, plural(bad_data));
		ak_fail(&err, AK_E_FORMAT, "%s%s%s", sync_part, bad_sync && bad_data ? ", " : "",
			data_part);
		goto out;
	}
	ret = CLI_EXIT_OK;
out:
	if (opened) {
		/* keep what was printed on stdout even on error; a file only on success */
		struct ak_error ferr = { 0 };

		if (cli_output_finish(&out, ret == CLI_EXIT_OK || !outpath, &ferr) != AK_OK) {
			cli_report("blocks", outpath ? outpath : "(standard output)", &ferr);
			ret = CLI_EXIT_DATA;
		}
	}
	if (ret != CLI_EXIT_OK && err.code)
		cli_report("blocks", errname, &err);
	free(pcf);
	ak_plan_free(plan);
	ak_buf_release(&inflated);
	cli_avro_close(&in);
	return ret;
}
