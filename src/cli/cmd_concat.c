/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concat: join data files that share a schema. Blocks are copied as they are stored (no
 * decompression, no decoding) when their codec is the output's; only the sync marker changes.
 * Blocks of another codec are decompressed and compressed again, still without decoding.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_OUTPUT = 'o',
	OPT_SYNC = CLI_KEY_SYNC,
};

static const struct cli_option opts[] = {
	{ "codec", OPT_CODEC, "NAME",
	  "codec of the output (default: the first input's); blocks of other codecs are "
	  "recompressed" },
	{ "level", OPT_LEVEL, "N", "compression level for recompressed blocks" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ "sync-marker", OPT_SYNC, "HEX", "use this sync marker (32 hex digits)" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

int cmd_concat(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_avro_in first = { 0 };
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[CLI_MAX_META];
	struct ak_writer *w = NULL;
	struct cli_progress prog = { 0 };
	const struct ak_meta_entry *schema;
	const char *outpath = NULL, *errname = NULL;
	char **files, *stdin_only[] = { NULL };
	int nfiles, c, ret = CLI_EXIT_DATA, opened = 0, nstdin = 0;

	memset(&wo, 0, sizeof(wo));
	cli_opts_init(&o, "concat", "[OPTION]... [FILE]...",
		      "Join Avro data files that have the same schema into one, in order. Blocks are\n"
		      "copied as stored when their codec is the output's, without decompressing or\n"
		      "decoding. The output takes the first input's schema, codec and metadata. With\n"
		      "no FILE, or when FILE is -, read standard input.",
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
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles; i++)
		nstdin += !files[i] || strcmp(files[i], "-") == 0;
	if (nstdin > 1)
		return cli_usage_error("concat", "standard input can be only one of the inputs");
	if ((c = cli_refuse_tty("concat", outpath)) != CLI_EXIT_OK)
		return c;
	if (cli_inputs_check(files, nfiles, outpath, &errname, &err) != AK_OK)
		goto out;

	errname = files[0] ? files[0] : "(standard input)";
	if (cli_avro_open(&first, files[0], &err) != AK_OK)
		goto out;
	if ((c = cli_pick_codec("concat", wa.codec ? wa.codec : ak_reader_codec_ops(first.r)->name,
				wa.have_level, wa.level, &wo)) != CLI_EXIT_OK) {
		cli_avro_close(&first);
		return c;
	}
	if (!wa.have_sync && cli_random_sync(wo.sync, &err) != AK_OK)
		goto out;
	wo.meta = meta;
	wo.nmeta = cli_user_meta(first.r, meta, CLI_MAX_META);
	schema = ak_reader_meta_find(first.r, "avro.schema");
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_writer_new(&out.sink, (const char *)schema->value, schema->value_len, &wo,
				&err)))
		goto out;
	cli_progress_start(&prog, "concat", files, nfiles, out.fd == STDOUT_FILENO);
	for (int i = 0; i < nfiles; i++) {
		struct cli_avro_in next = { 0 }, *a = i ? &next : &first;
		struct ak_block blk;
		int rc = AK_OK, same;

		errname = files[i] ? files[i] : "(standard input)";
		if (i && (rc = cli_avro_open(&next, files[i], &err)) == AK_OK)
			rc = cli_same_schema(first.r, files[0] ? files[0] : "(standard input)", next.r,
					     errname, &err);
		same = rc == AK_OK && ak_reader_codec_ops(a->r) == wo.codec;
		while (rc == AK_OK &&
		       (rc = ak_reader_next_block(a->r, &blk, same ? AK_BLOCK_RAW : 0, &err)) == AK_OK) {
			rc = same ? ak_writer_append_compressed(w, blk.data, blk.size, blk.count, &err)
				  : ak_writer_append_block(w, blk.data, blk.size, blk.count, &err);
			if (rc != AK_OK)
				errname = outpath ? outpath : "(standard output)";
			else
				cli_progress_add(&prog, (uint64_t)blk.count, blk.stored_size);
		}
		if (i)
			cli_avro_close(&next);
		if (rc != AK_EOF)
			goto out;
	}
	errname = outpath ? outpath : "(standard output)";
	if (ak_writer_close(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	cli_progress_end(&prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("concat", errname, &err);
	ak_writer_free(w);
	cli_avro_close(&first);
	return ret;
}
