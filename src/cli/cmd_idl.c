/* SPDX-License-Identifier: Apache-2.0 */
/* idl: Avro IDL to JSON (a protocol, a schema, or a list of schemas), as avro-tools idl. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_IMPORT_DIR = 'I', OPT_OUTPUT = 'o' };

static const struct cli_option opts[] = {
	{ "import-dir", OPT_IMPORT_DIR, "DIR",
	  "look for imported files in DIR too, after the importing file's directory (repeatable; "
	  "what Java's class path does for avro-tools)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ NULL, 0, NULL, NULL },
};

int cmd_idl(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct ak_buf b = AK_BUF_INIT;
	struct ak_idl *idl = NULL;
	const char *inpath = NULL, *outpath = NULL, *errname = NULL, *inname;
	char **rest, **dirs = NULL;
	size_t ndirs = 0;
	int c, n, ret = CLI_EXIT_DATA;

	cli_opts_init(&o, "idl", "[OPTION]... [INPUT [OUTPUT]]",
		      "Turn an Avro IDL file into JSON, as avro-tools idl does: a protocol\n"
		      "(.avpr); with the schema syntax, the schema its `schema` declaration\n"
		      "names (.avsc), or without one, a JSON array of its named schemas.\n"
		      "Imported files are found next to the file that imports them, then in\n"
		      "each --import-dir. INPUT and OUTPUT default to standard input and output\n"
		      "(or -); the imports of standard input are looked for in the current\n"
		      "directory. Warnings (documentation comments where nothing uses them) go\n"
		      "to standard error.",
		      opts, argc, argv);
	if (!(dirs = calloc((size_t)argc + 1, sizeof(*dirs)))) {
		cli_msg("idl", "out of memory");
		return CLI_EXIT_DATA;
	}
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			free(dirs);
			return o.exit_code;
		case OPT_IMPORT_DIR:
			dirs[ndirs++] = (char *)o.arg;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	n = cli_opts_rest(&o, &rest);
	if (n > 2 || (n == 2 && outpath)) {
		free(dirs);
		if (n > 2)
			return cli_usage_error("idl", "at most an INPUT and an OUTPUT (got %d "
					       "arguments)", n);
		return cli_usage_error("idl", "give the output as OUTPUT or with --output, not "
				       "both");
	}
	if (n > 0)
		inpath = rest[0];
	if (n > 1)
		outpath = rest[1];
	inname = inpath && strcmp(inpath, "-") ? inpath : "(standard input)";
	if (!(idl = cli_idl_load(inpath, dirs, ndirs, &err))) {
		/* the message names the file, line and column */
		cli_report("idl", err.code == AK_E_SCHEMA ? NULL : inname, &err);
		goto done;
	}
	cli_idl_warnings("idl", idl);
	errname = outpath && strcmp(outpath, "-") ? outpath : "(standard output)";
	if (ak_idl_json(idl, 2, &b, &err) != AK_OK) {
		cli_report("idl", inname, &err);
		goto done;
	}
	if (cli_output_open(&out, outpath, rest, n ? 1 : 0, &err) != AK_OK) {
		cli_report("idl", errname, &err);
		goto done;
	}
	if (ak_buf_append(&b, "\n", 1, &err) == AK_OK &&
	    ak_out_write(&out.out, b.data, b.len, &err) == AK_OK)
		ret = CLI_EXIT_OK;
	if (cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK)
		ret = CLI_EXIT_DATA;
	if (ret != CLI_EXIT_OK)
		cli_report("idl", errname, &err);
done:
	ak_buf_release(&b);
	ak_idl_free(idl);
	free(dirs);
	return ret;
}
