/* SPDX-License-Identifier: Apache-2.0 */
/*
 * count: records in data files, summed from the block headers without decoding a record.
 * Several inputs are counted like `wc -l` counts lines: a line per input, then a total; an
 * input that cannot be read is reported and the others are still counted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_range.h"

enum { OPT_OUTPUT = 'o', OPT_TOTAL_ONLY = 't' };

static const struct cli_option opts[] = {
	{ "total-only", OPT_TOTAL_ONLY, NULL,
	  "print only the total of all inputs (nothing when one of them cannot be read)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_RANGE,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

/* Count the records of one input into *@n: AK_OK, or an error in @err. */
static int count_input(const char *path, const struct cli_range *range, uint64_t *n,
		       const char **name, struct ak_error *err)
{
	struct cli_input in;
	struct ak_reader *r = NULL;
	struct ak_block blk;
	int rc;

	*n = 0;
	rc = cli_input_open(&in, path, err);
	*name = in.name;
	if (rc == AK_OK && !(r = ak_reader_open(&in.src, cli_limits, err)))
		rc = err->code;
	if (rc == AK_OK)
		rc = cli_range_apply(range, r, err);
	while (rc == AK_OK && (rc = ak_reader_next_block(r, &blk, AK_BLOCK_SKIP_DATA, err)) == AK_OK)
		*n += (uint64_t)blk.count;
	ak_reader_free(r);
	cli_input_close(&in);
	return rc == AK_EOF ? AK_OK : rc;
}

static int digits(uint64_t v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

int cmd_count(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	const char *outpath = NULL;
	char **files, *stdin_only[] = { NULL }, line[64];
	int nfiles, c, ret = CLI_EXIT_OK, total_only = 0, width, bad = 0, write_failed = 0;
	struct cli_range range = { 0 };
	uint64_t total = 0, *counts;
	unsigned char *ok;

	cli_opts_init(&o, "count", "[OPTION]... [FILE]...",
		      "Print the number of records in Avro data files, from the block headers (every\n"
		      "sync marker is checked; records are not decoded and block data is skipped, by\n"
		      "seeking where possible). With one input, print its count; with several, a line\n"
		      "\"COUNT FILE\" for each and a total line, as wc -l does. An input that cannot be\n"
		      "read is reported, the others are still counted, and the exit status is 1. With\n"
		      "no FILE, or when FILE is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case CLI_KEY_RANGE:
			if (cli_range_option(&o, &range) != 0)
				return o.exit_code;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_TOTAL_ONLY:
			total_only = 1;
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
	counts = calloc((size_t)nfiles, sizeof(*counts));
	ok = calloc((size_t)nfiles, 1);
	if (!counts || !ok) {
		cli_msg("count", "out of memory");
		free(counts);
		free(ok);
		return CLI_EXIT_DATA;
	}
	for (int i = 0; i < nfiles; i++) {
		const char *name;

		if (count_input(files[i], &range, &counts[i], &name, &err) != AK_OK) {
			cli_report("count", name, &err);
			bad++;
			continue;
		}
		ok[i] = 1;
		total += counts[i];
	}
	if (bad)
		ret = CLI_EXIT_DATA;
	/* one input, or --total-only: the number alone, and none when it would be wrong */
	if ((nfiles == 1 || total_only) && bad)
		goto done;
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK) {
		cli_report("count", NULL, &err);
		ret = CLI_EXIT_DATA;
		goto done;
	}
	width = digits(total);
	if (nfiles == 1 || total_only) {
		snprintf(line, sizeof(line), "%" PRIu64 "\n", total);
		write_failed = ak_buf_append(&out.out.b, line, strlen(line), &err) != AK_OK;
	} else {
		/* as wc -l: the counts right-aligned, then the name as given ("-" for standard
		 * input), and a total line; an input that could not be read has no line */
		for (int i = 0; i < nfiles && !write_failed; i++) {
			const char *name = files[i] ? files[i] : "-";

			if (!ok[i])
				continue;
			snprintf(line, sizeof(line), "%*" PRIu64 " ", width, counts[i]);
			write_failed = ak_buf_append(&out.out.b, line, strlen(line), &err) != AK_OK ||
				       ak_buf_append(&out.out.b, name, strlen(name), &err) != AK_OK ||
				       ak_buf_append(&out.out.b, "\n", 1, &err) != AK_OK ||
				       ak_out_commit(&out.out, &err) != AK_OK;
		}
		snprintf(line, sizeof(line), "%*" PRIu64 " total\n", width, total);
		if (!write_failed)
			write_failed = ak_buf_append(&out.out.b, line, strlen(line), &err) != AK_OK;
	}
	/* standard output gets the counts of the inputs that could be read; a file is replaced
	 * only when every input was */
	if (cli_output_finish(&out, !write_failed && (!bad || !outpath), &err) != AK_OK ||
	    write_failed) {
		cli_report("count", outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
done:
	free(counts);
	free(ok);
	return ret;
}
