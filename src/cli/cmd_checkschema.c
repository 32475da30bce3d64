/* SPDX-License-Identifier: Apache-2.0 */
/* checkschema: is a schema valid? Silent and exit 0 if so; the reason and exit 1 if not. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum { OPT_VERBOSE = 'v', OPT_STRICT = 's', OPT_IMPORT = 'i' };

static const struct cli_option opts[] = {
	{ "verbose", OPT_VERBOSE, NULL, "print \"FILE: ok\" for each valid schema" },
	{ "strict", OPT_STRICT, NULL,
	  "also apply the specification's rule that a union field's default fits the union's "
	  "first branch (Java and Python accept any branch, and so does avrokit without it)" },
	CLI_OPTION_IMPORT(OPT_IMPORT),
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

int cmd_checkschema(int argc, char **argv)
{
	struct cli_opts o;
	struct ak_error err = { 0 };
	struct cli_schema_paths imports = { .n = 0 };
	struct cli_schema_src isrc[CLI_MAX_SCHEMA_FILES];
	char **files, *stdin_only[] = { NULL };
	const char *errname;
	int nfiles, c, verbose = 0, ret = CLI_EXIT_OK;
	unsigned flags = 0;

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
		case OPT_STRICT:
			flags |= AK_SCHEMA_UNION_DEFAULT_FIRST;
			break;
		case OPT_IMPORT:
			if (cli_schema_paths_add(&o, &imports) != 0)
				return o.exit_code;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	/* a data file's schema is checked as strictly as any other here */
	if (cli_schema_read_imports(isrc, &imports, &errname, &err) != AK_OK) {
		cli_report("checkschema", errname, &err);
		return CLI_EXIT_DATA;
	}
	for (int i = 0; i < nfiles; i++) {
		const char *name = files[i] ? files[i] : "(standard input)";
		struct ak_schema *s = cli_schema_load_with(isrc, imports.n, files[i], flags,
							   &errname, &err);

		if (!s) {
			cli_report("checkschema", errname, &err);
			ret = CLI_EXIT_DATA;
		} else if (verbose) {
			printf("%s: ok\n", name);
		}
		ak_schema_free(s);
	}
	for (size_t i = 0; i < imports.n; i++)
		cli_schema_src_release(&isrc[i]);
	return ret;
}
