/* SPDX-License-Identifier: Apache-2.0 */
/* recodec: rewrite a data file with another codec, block by block, records untouched. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_SYNC = CLI_KEY_SYNC,
	OPT_OUTPUT = 'o',
};

static const struct cli_option opts[] = {
	{ "codec", OPT_CODEC, "NAME",
	  "codec of the output: null (default), deflate, snappy, bzip2, xz, zstandard" },
	{ "level", OPT_LEVEL, "N", "compression level" },
	{ "sync-marker", OPT_SYNC, "HEX",
	  "use this sync marker (32 hex digits; default: keep the input's)" },
	{ "output", OPT_OUTPUT, "FILE",
	  "write to FILE (replaced only on success); the same as the OUTPUT operand" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

int cmd_recodec(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_avro_in in = { 0 };
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[CLI_MAX_META];
	struct ak_writer *w = NULL;
	struct cli_progress prog = { 0 };
	const struct ak_meta_entry *schema;
	const char *errname, *inpath = NULL, *outpath = NULL;
	char **rest;
	int c, n, ret = CLI_EXIT_DATA, opened = 0;

	memset(&wo, 0, sizeof(wo));
	cli_opts_init(&o, "recodec", "[OPTION]... [INPUT [OUTPUT]]",
		      "Rewrite an Avro data file with another codec (and level), block by block:\n"
		      "the schema, the metadata, the records and their grouping into blocks stay as\n"
		      "they are. INPUT and OUTPUT default to standard input and output (or -); the\n"
		      "output may also be given as -o FILE.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		default:
			if (!cli_progress_option(c) && cli_write_option(&o, c, &wa, &wo) < 0)
				return o.exit_code;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	n = cli_opts_rest(&o, &rest);
	if ((c = cli_in_out_operands("recodec", rest, n, &inpath, &outpath)) != CLI_EXIT_OK)
		return c;
	if ((c = cli_refuse_tty("recodec", outpath)) != CLI_EXIT_OK)
		return c;
	if ((c = cli_pick_codec("recodec", wa.codec ? wa.codec : "null", wa.have_level, wa.level,
				&wo)) != CLI_EXIT_OK)
		return c;
	errname = inpath && strcmp(inpath, "-") ? inpath : "(standard input)";
	if (cli_avro_open(&in, inpath, &err) != AK_OK)
		goto out;
	if (!wa.have_sync)
		memcpy(wo.sync, ak_reader_sync(in.r), AK_SYNC_SIZE);
	wo.meta = meta;
	wo.nmeta = cli_user_meta(in.r, meta, CLI_MAX_META);
	schema = ak_reader_meta_find(in.r, "avro.schema");
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, rest, n ? 1 : 0, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_writer_new(&out.sink, (const char *)schema->value, schema->value_len, &wo,
				&err)))
		goto out;
	{
		char *inputs[] = { (char *)(uintptr_t)inpath };

		cli_progress_start(&prog, "recodec", inputs, 1, out.fd == STDOUT_FILENO);
	}
	for (;;) {
		struct ak_block blk;
		int same = ak_reader_codec_ops(in.r) == wo.codec && !wa.have_level;
		int rc = ak_reader_next_block(in.r, &blk, same ? AK_BLOCK_RAW : 0, &err);

		if (rc == AK_EOF)
			break;
		errname = inpath && strcmp(inpath, "-") ? inpath : "(standard input)";
		if (rc != AK_OK)
			goto out;
		errname = outpath ? outpath : "(standard output)";
		rc = same ? ak_writer_append_compressed(w, blk.data, blk.size, blk.count, &err)
			  : ak_writer_append_block(w, blk.data, blk.size, blk.count, &err);
		if (rc != AK_OK)
			goto out;
		cli_progress_add(&prog, (uint64_t)blk.count, blk.stored_size);
	}
	errname = outpath ? outpath : "(standard output)";
	if (ak_writer_close(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	cli_progress_end(&prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK)
		ret = CLI_EXIT_DATA;
	if (ret != CLI_EXIT_OK)
		cli_report("recodec", errname, &err);
	ak_writer_free(w);
	cli_avro_close(&in);
	return ret;
}
