/* SPDX-License-Identifier: Apache-2.0 */
/* canonical: a schema in Parsing Canonical Form. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_OUTPUT = 'o', OPT_IMPORT = 'i' };

static const struct cli_option opts[] = {
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_IMPORT(OPT_IMPORT),
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

/* The form itself, as the line. */
static int canonical_line(void *ctx, const char *pcf, const char *name, struct ak_buf *b,
			  struct ak_error *err)
{
	(void)ctx;
	(void)name;
	if (ak_buf_append(b, pcf, strlen(pcf), err) != AK_OK)
		return err->code;
	return ak_buf_append(b, "\n", 1, err);
}

int cmd_canonical(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_schema_paths imports = { .n = 0 };
	const char *outpath = NULL;
	char **files;
	int nfiles, c;

	cli_opts_init(&o, "canonical", "[OPTION]... [FILE]...",
		      "Print each schema in Parsing Canonical Form, one per line. A FILE is a schema\n"
		      "(JSON) or an Avro data file, whose schema is used. With no FILE, or when FILE\n"
		      "is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_IMPORT:
			if (cli_schema_paths_add(&o, &imports) != 0)
				return o.exit_code;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	return cli_canonical_each("canonical", files, nfiles, &imports, outpath, canonical_line,
				  NULL);
}
