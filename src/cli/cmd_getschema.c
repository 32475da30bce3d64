/* SPDX-License-Identifier: Apache-2.0 */
/* getschema: the writer schema of a data file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_COMPACT = 'c', OPT_RAW = 'r', OPT_CANONICAL = 256, OPT_OUTPUT = 'o' };

static const struct cli_option opts[] = {
	{ "compact", OPT_COMPACT, NULL, "print the schema on one line" },
	{ "raw", OPT_RAW, NULL, "print the schema exactly as stored in the file" },
	{ "canonical", OPT_CANONICAL, NULL, "print the schema in Parsing Canonical Form" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

int cmd_getschema(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_input in;
	struct ak_error err = { 0 };
	struct ak_reader *r = NULL;
	const char *outpath = NULL, *errname = NULL;
	char **files, *text = NULL;
	int nfiles, c, compact = 0, raw = 0, canonical = 0, ret = CLI_EXIT_DATA, opened = 0;

	cli_opts_init(&o, "getschema", "[OPTION]... [FILE]",
		      "Print the schema of an Avro data file as JSON, indented by default.\n"
		      "With no FILE, or when FILE is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_COMPACT:
			compact = 1;
			break;
		case OPT_RAW:
			raw = 1;
			break;
		case OPT_CANONICAL:
			canonical = 1;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles > 1)
		return cli_usage_error("getschema", "one input at most (got %d)", nfiles);
	if (compact + raw + canonical > 1)
		return cli_usage_error("getschema", "choose one of --compact, --raw and --canonical");
	errname = nfiles ? files[0] : "(standard input)";
	if (cli_input_open(&in, nfiles ? files[0] : NULL, &err) != AK_OK)
		goto out;
	errname = in.name;
	if (!(r = ak_reader_open(&in.src, cli_limits, &err)))
		goto out;
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (raw) {
		const struct ak_meta_entry *e = ak_reader_meta_find(r, "avro.schema");

		if (ak_buf_append(&out.out.b, e->value, e->value_len, &err) != AK_OK)
			goto out;
	} else {
		if (!canonical) {
			const struct ak_meta_entry *e = ak_reader_meta_find(r, "avro.schema");

			if (ak_json_reformat((const char *)e->value, e->value_len, compact ? 0 : 2, 0,
					     &out.out.b, &err) != AK_OK)
				goto out;
		} else if (!(text = ak_schema_canonical(ak_reader_schema(r), &err))) {
			goto out;
		}
		if (text && ak_buf_append(&out.out.b, text, strlen(text), &err) != AK_OK)
			goto out;
	}
	if (ak_buf_append(&out.out.b, "\n", 1, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK)
		ret = CLI_EXIT_DATA;
	if (ret != CLI_EXIT_OK)
		cli_report("getschema", errname, &err);
	free(text);
	ak_reader_free(r);
	cli_input_close(&in);
	return ret;
}
