/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fragtojson: avro-tools' command of that name, binary-encoded datums ("fragments") to JSON.
 * As there, the schema is --schema-file or the first operand, the input holds one datum or
 * several one after the other, and each is printed indented unless --no-pretty says not. It is
 * `tojson --datums --pretty` with avro-tools' way of taking the schema.
 */
#include <string.h>
#include <unistd.h>

#include "datums.h"

enum {
	OPT_SCHEMA = 's',
	OPT_SCHEMA_FILE = 'f',
	OPT_NO_PRETTY = 0x600,
	OPT_BYTES,
	OPT_PLAIN = 'P',
	OPT_READER = 'r',
	OPT_READER_FILE = 'R',
	OPT_OUTPUT = 'o',
};

static const struct cli_option opts[] = {
	{ "schema-file", OPT_SCHEMA_FILE, "FILE",
	  "the datums' schema (a schema, IDL or data file); repeat it for a schema split over "
	  "several files: the last is the schema, the others hold named types it uses" },
	{ "schema", OPT_SCHEMA, "JSON",
	  "the schema as JSON text (without either option, the first operand is the schema's "
	  "JSON text, as in avro-tools)" },
	{ "no-pretty", OPT_NO_PRETTY, NULL, "one datum per line, not indented" },
	{ "plain", OPT_PLAIN, NULL,
	  "plain JSON: unions without the {\"branch\": ...} wrapper, logical types readable" },
	{ "bytes", OPT_BYTES, "FORM",
	  "bytes and fixed as codepoints (Avro's JSON, the default), base64 or hex" },
	{ "reader-schema", OPT_READER, "JSON", "read the datums as this schema (schema resolution)" },
	{ "reader-schema-file", OPT_READER_FILE, "FILE",
	  "read the datums as the schema in FILE; repeatable, as --schema-file" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ NULL, 0, NULL, NULL },
};

int cmd_fragtojson(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_datums d;
	struct cli_datums_read a;
	struct cli_schema_paths reader_files = { .n = 0 };
	struct ak_schema *schema = NULL, *reader = NULL;
	struct ak_error err = { 0 };
	const char *reader_text = NULL, *errname = NULL;
	char **files, *stdin_only[] = { NULL };
	int nfiles, c, ret;

	cli_datums_init(&d);
	memset(&a, 0, sizeof(a));
	a.cmd = "fragtojson";
	a.json_flags = AK_JSON_PRETTY;
	a.limit = AK_NO_POS;
	a.threads = 1;
	cli_opts_init(&o, "fragtojson", "[OPTION]... [SCHEMA] [FILE]",
		      "Print Avro binary datums (\"fragments\": schemaless, as avro-tools names them) as\n"
		      "JSON, indented, one after the other; the input holds one datum or several\n"
		      "back to back. The schema is --schema-file FILE, --schema JSON or the first\n"
		      "operand. With no FILE, or when FILE is -, read standard input.",
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
		case OPT_NO_PRETTY:
			a.json_flags &= ~(unsigned)AK_JSON_PRETTY;
			break;
		case OPT_PLAIN:
			a.json_flags |= AK_JSON_PLAIN;
			break;
		case OPT_BYTES:
			a.json_flags &= ~(unsigned)(AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX);
			if (strcmp(o.arg, "base64") == 0)
				a.json_flags |= AK_JSON_BYTES_BASE64;
			else if (strcmp(o.arg, "hex") == 0)
				a.json_flags |= AK_JSON_BYTES_HEX;
			else if (strcmp(o.arg, "codepoints") != 0)
				return cli_usage_error("fragtojson", "--bytes takes codepoints, base64 or "
						       "hex, not '%s'", o.arg);
			break;
		case OPT_READER:
			reader_text = o.arg;
			break;
		case OPT_READER_FILE:
			if (cli_schema_paths_add(&o, &reader_files) != 0)
				return o.exit_code;
			break;
		case OPT_OUTPUT:
			a.outpath = o.arg;
			break;
		}
	}
	if (reader_text && reader_files.n)
		return cli_usage_error("fragtojson", "give --reader-schema or --reader-schema-file, "
				       "not both");
	nfiles = cli_opts_rest(&o, &files);
	if (!(schema = cli_datums_fragment_schema("fragtojson", &d, &files, &nfiles,
						  AK_SCHEMA_LENIENT, &ret)))
		return ret;
	if (nfiles > 1) {
		ak_schema_free(schema);
		return cli_usage_error("fragtojson", "one input at most (got %d)", nfiles);
	}
	if (reader_text && !(reader = ak_schema_parse(reader_text, strlen(reader_text), 0, &err)))
		errname = "--reader-schema";
	else if (reader_files.n)
		reader = cli_schema_load_many(reader_files.v, reader_files.n, 0, &errname, &err);
	if ((reader_text || reader_files.n) && !reader) {
		cli_report("fragtojson", errname, &err);
		ak_schema_free(schema);
		return CLI_EXIT_DATA;
	}
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	d.active = 1;
	d.framing = AK_FRAMING_NONE;
	a.schema = schema;
	a.reader = reader;
	a.files = files;
	a.nfiles = nfiles;
	ret = cli_datums_to_json(&d, &a);
	ak_schema_free(reader);
	ak_schema_free(schema);
	return ret;
}
