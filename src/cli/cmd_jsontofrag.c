/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsontofrag: avro-tools' command of that name, JSON to binary-encoded datums ("fragments").
 * As there, the schema is --schema-file or the first operand, and every JSON value of the
 * input becomes one datum, written one after the other with nothing between them. It is
 * `fromjson --datums` with avro-tools' way of taking the schema.
 */
#include <string.h>

#include "datums.h"

enum {
	OPT_SCHEMA = 's',
	OPT_SCHEMA_FILE = 'f',
	OPT_PLAIN = 'P',
	OPT_BYTES = 0x600,
	OPT_IGNORE_UNKNOWN,
	OPT_ARRAY = 'a',
	OPT_OUTPUT = 'o',
};

static const struct cli_option opts[] = {
	{ "schema-file", OPT_SCHEMA_FILE, "FILE",
	  "the schema (a schema, IDL or data file); repeat it for a schema split over several "
	  "files: the last is the schema, the others hold named types it uses" },
	{ "schema", OPT_SCHEMA, "JSON",
	  "the schema as JSON text (without either option, the first operand is the schema's "
	  "JSON text, as in avro-tools)" },
	{ "plain", OPT_PLAIN, NULL,
	  "read plain JSON: union values without a wrapper, logical types also in their "
	  "readable forms" },
	{ "bytes", OPT_BYTES, "FORM",
	  "with --plain, bytes and fixed values are codepoints (the default), base64 or hex" },
	{ "ignore-unknown-fields", OPT_IGNORE_UNKNOWN, NULL,
	  "skip JSON fields that the schema's records do not have" },
	{ "array", OPT_ARRAY, NULL, "the input is one JSON array of values" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ NULL, 0, NULL, NULL },
};

int cmd_jsontofrag(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_datums d;
	struct ak_schema *schema;
	const char *outpath = NULL;
	char **files, *stdin_only[] = { NULL };
	unsigned jflags = 0;
	int nfiles, c, ret;

	cli_datums_init(&d);
	cli_opts_init(&o, "jsontofrag", "[OPTION]... [SCHEMA] [FILE]",
		      "Write each JSON value of the input (Avro's JSON encoding, as tojson prints it)\n"
		      "as an Avro binary datum (a \"fragment\", as avro-tools names it), one after the\n"
		      "other with nothing in between. The schema is --schema-file FILE, --schema JSON\n"
		      "or the first operand. With no FILE, or when FILE is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_SCHEMA:
			d.schema_text = o.arg;
			break;
		case OPT_SCHEMA_FILE:
			if (cli_schema_paths_add(&o, &d.files) != 0)
				return o.exit_code;
			break;
		case OPT_PLAIN:
			jflags |= AK_JSON_PLAIN;
			break;
		case OPT_BYTES:
			jflags &= ~(unsigned)(AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX);
			if (strcmp(o.arg, "base64") == 0)
				jflags |= AK_JSON_BYTES_BASE64;
			else if (strcmp(o.arg, "hex") == 0)
				jflags |= AK_JSON_BYTES_HEX;
			else if (strcmp(o.arg, "codepoints") != 0)
				return cli_usage_error("jsontofrag", "--bytes takes codepoints, base64 or "
						       "hex, not '%s'", o.arg);
			break;
		case OPT_IGNORE_UNKNOWN:
			jflags |= AK_JSON_IGNORE_UNKNOWN;
			break;
		case OPT_ARRAY:
			jflags |= AK_JSON_ARRAY;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	if ((jflags & (AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX)) && !(jflags & AK_JSON_PLAIN))
		return cli_usage_error("jsontofrag", "--bytes base64 or hex goes with --plain");
	nfiles = cli_opts_rest(&o, &files);
	if (!(schema = cli_datums_fragment_schema("jsontofrag", &d, &files, &nfiles, 0, &ret)))
		return ret;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	d.active = 1;
	d.framing = AK_FRAMING_NONE;
	ret = cli_datums_from_json("jsontofrag", &d, schema, jflags, outpath, files, nfiles);
	ak_schema_free(schema);
	return ret;
}
