/* SPDX-License-Identifier: Apache-2.0 */
/* checkschema: is a schema valid? Silent and exit 0 if so; the reason and exit 1 if not. */
#include <stdio.h>

#include "cli.h"

enum { OPT_VERBOSE = 'v' };

static const struct cli_option opts[] = {
	{ "verbose", OPT_VERBOSE, NULL, "print \"FILE: ok\" for each valid schema" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

int cmd_checkschema(int argc, char **argv)
{
	struct cli_opts o;
	struct ak_error err = { 0 };
	char **files, *stdin_only[] = { NULL };
	int nfiles, c, verbose = 0, ret = CLI_EXIT_OK;

	cli_opts_init(&o, "checkschema", "[OPTION]... [FILE]...",
		      "Check that each schema is valid Avro: names, namespaces, references, unions,\n"
		      "enum symbols, fixed sizes and field defaults. A FILE is a schema (JSON) or an\n"
		      "Avro data file. Invalid schemas are reported with the path inside the schema\n"
		      "and make the exit status 1. With no FILE, or when FILE is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_VERBOSE:
			verbose = 1;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles; i++) {
		const char *name = files[i] ? files[i] : "(standard input)";
		struct ak_schema *s = cli_schema_load(files[i], &err);

		if (!s) {
			cli_report("checkschema", name, &err);
			ret = CLI_EXIT_DATA;
		} else if (verbose) {
			printf("%s: ok\n", name);
		}
		ak_schema_free(s);
	}
	return ret;
}
