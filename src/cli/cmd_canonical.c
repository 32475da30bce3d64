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

int cmd_canonical(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct cli_schema_paths imports = { .n = 0 };
	struct cli_schema_src isrc[CLI_MAX_SCHEMA_FILES];
	const char *outpath = NULL, *errname;
	char **files, *stdin_only[] = { NULL };
	int nfiles, c, ret = CLI_EXIT_OK;

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
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (cli_schema_read_imports(isrc, &imports, &errname, &err) != AK_OK) {
		cli_report("canonical", errname, &err);
		return CLI_EXIT_DATA;
	}
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK) {
		cli_report("canonical", NULL, &err);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	for (int i = 0; i < nfiles; i++) {
		/* a data file's own schema is read as its readers read it */
		struct ak_schema *s = cli_schema_load_with(isrc, imports.n, files[i],
							   CLI_SCHEMA_DATA_LENIENT, &errname, &err);
		char *pcf = s ? ak_schema_canonical(s, &err) : NULL;

		if (!pcf || ak_buf_append(&out.out.b, pcf, strlen(pcf), &err) != AK_OK ||
		    ak_buf_append(&out.out.b, "\n", 1, &err) != AK_OK) {
			const char *name = files[i] ? files[i] : "(standard input)";

			cli_report("canonical", s ? name : errname, &err);
			ret = CLI_EXIT_DATA;
		}
		free(pcf);
		ak_schema_free(s);
	}
	/* like sha256sum: the good inputs' lines are printed even when another input is bad
	 * (a file named with -o is still written only when all are good) */
	if (cli_output_finish(&out, ret == CLI_EXIT_OK || !outpath, &err) != AK_OK) {
		cli_report("canonical", outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
out:
	for (size_t i = 0; i < imports.n; i++)
		cli_schema_src_release(&isrc[i]);
	return ret;
}
