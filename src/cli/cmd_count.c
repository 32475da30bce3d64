/* SPDX-License-Identifier: Apache-2.0 */
/* count: records in data files, summed from the block headers without decoding a record. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_range.h"

enum { OPT_OUTPUT = 'o' };

static const struct cli_option opts[] = {
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_RANGE,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

int cmd_count(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	const char *outpath = NULL;
	char **files, *stdin_only[] = { NULL }, line[32];
	int nfiles, c, ret = CLI_EXIT_OK;
	uint64_t total = 0;
	struct cli_range range = { 0 };

	cli_opts_init(&o, "count", "[OPTION]... [FILE]...",
		      "Print the total number of records in Avro data files. The counts come from\n"
		      "the block headers (every sync marker is checked; records are not decoded and\n"
		      "block data is skipped, by seeking where possible). With no FILE, or when FILE\n"
		      "is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case CLI_KEY_RANGE:
			if (cli_range_option(&o, &range) != 0)
				return o.exit_code;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if ((ret = cli_range_check("count", &range, files, nfiles)) != CLI_EXIT_OK)
		return ret;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles && ret == CLI_EXIT_OK; i++) {
		struct cli_input in;
		struct ak_reader *r = NULL;
		struct ak_block blk;
		int rc;

		rc = cli_input_open(&in, files[i], &err);
		if (rc == AK_OK && !(r = ak_reader_open(&in.src, cli_limits, &err)))
			rc = err.code;
		if (rc == AK_OK)
			rc = cli_range_apply(&range, r, &err);
		while (rc == AK_OK &&
		       (rc = ak_reader_next_block(r, &blk, AK_BLOCK_SKIP_DATA, &err)) == AK_OK)
			total += (uint64_t)blk.count;
		if (rc < 0) {
			cli_report("count", in.name, &err);
			ret = CLI_EXIT_DATA;
		}
		ak_reader_free(r);
		cli_input_close(&in);
	}
	if (ret != CLI_EXIT_OK)
		return ret; /* no total: it would be wrong */
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK) {
		cli_report("count", NULL, &err);
		return CLI_EXIT_DATA;
	}
	snprintf(line, sizeof(line), "%" PRIu64 "\n", total);
	if (ak_buf_append(&out.out.b, line, strlen(line), &err) != AK_OK)
		ret = CLI_EXIT_DATA;
	if (cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		cli_report("count", outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
	return ret;
}
