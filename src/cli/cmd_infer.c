/* SPDX-License-Identifier: Apache-2.0 */
/*
 * infer: JSON records in, an Avro schema out that every one of them satisfies with fromjson
 * --plain. The inputs are streamed through the core's inferer (infer.h), which keeps a summary
 * of the types seen, not the records.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_ARRAY = 'a',
	OPT_NAME = CLI_KEY_INFER_NAME,
	OPT_OUTPUT = 'o',
	OPT_COMPACT = 'c',
	OPT_NAMESPACE = CLI_KEY_INFER_NAMESPACE,
	OPT_LOGICAL = CLI_KEY_INFER_LOGICAL,
	OPT_MAX_FIELDS = CLI_KEY_INFER_MAX_FIELDS,
};

static const struct cli_option opts[] = {
	{ "name", OPT_NAME, "NAME", "name the top-level record NAME (default Record)" },
	{ "namespace", OPT_NAMESPACE, "NS", "put the records in namespace NS" },
	{ "array", OPT_ARRAY, NULL, "the input is one JSON array of records" },
	{ "logical", OPT_LOGICAL, NULL,
	  "detect logical types in strings: dates, RFC 3339 timestamps, uuids" },
	{ "max-fields", OPT_MAX_FIELDS, "N",
	  "make an object a map once N different keys were seen in its place (default 1000)" },
	{ "compact", OPT_COMPACT, NULL, "print the schema on one line" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ NULL, 0, NULL, NULL },
};

int cli_infer_option(struct cli_opts *o, int key, struct ak_infer_opts *io)
{
	uint64_t v;

	switch (key) {
	case OPT_NAME:
		io->name = o->arg;
		return 1;
	case OPT_NAMESPACE:
		io->space = o->arg;
		return 1;
	case OPT_LOGICAL:
		io->logical = 1;
		return 1;
	case OPT_MAX_FIELDS:
		if (cli_opt_u64(o, key, 1, 1000000, &v) != 0)
			return -1;
		io->max_fields = (size_t)v;
		return 1;
	}
	return 0;
}

int cli_infer_inputs(struct ak_infer *inf, char **files, int nfiles, int array,
		     const char **errname, struct ak_error *err)
{
	for (int i = 0; i < nfiles; i++) {
		struct cli_input in;
		struct ak_json_in j;
		int rc;

		*errname = files[i] && strcmp(files[i], "-") != 0 ? files[i] : "(standard input)";
		rc = cli_input_open(&in, files[i], err);
		if (rc == AK_OK && (rc = ak_json_in_init(&j, &in.src, err)) == AK_OK) {
			rc = ak_infer_json_input(inf, &j, array, err);
			ak_json_in_release(&j);
		}
		cli_input_close(&in);
		if (rc != AK_OK)
			return rc;
	}
	return AK_OK;
}

void cli_infer_notes(const char *cmd, const struct ak_infer *inf)
{
	for (size_t i = 0; i < ak_infer_note_count(inf); i++)
		cli_msg(cmd, "note: %s", ak_infer_note(inf, i));
}

int cmd_infer(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct ak_infer_opts io = { 0 };
	struct ak_infer *inf = NULL;
	const char *outpath = NULL, *errname = NULL;
	char **files, *stdin_only[] = { NULL }, *schema = NULL;
	int nfiles, c, array = 0, compact = 0, ret = CLI_EXIT_DATA, opened = 0;

	cli_opts_init(&o, "infer", "[OPTION]... [FILE]...",
		      "Print an Avro schema that every JSON record of the input satisfies when read\n"
		      "with 'fromjson --plain': a stream of JSON values (one per line, or spread over\n"
		      "lines), or with --array one JSON array of them. With no FILE, or when FILE is\n"
		      "-, read standard input. Objects become records named after their keys, keys\n"
		      "missing or null in some records optional fields; see avrokit-infer(1).",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_ARRAY:
			array = 1;
			break;
		case OPT_COMPACT:
			compact = 1;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		default:
			if (cli_infer_option(&o, c, &io) < 0)
				return o.exit_code;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (!(inf = ak_infer_new(&io, &err))) {
		if (err.code == AK_E_ARG)
			return cli_usage_error("infer", "%s", err.msg);
		cli_report("infer", NULL, &err);
		return CLI_EXIT_DATA;
	}
	if (cli_infer_inputs(inf, files, nfiles, array, &errname, &err) != AK_OK)
		goto out;
	errname = NULL;
	if (!(schema = ak_infer_schema(inf, compact ? 0 : 2, &err)))
		goto out;
	cli_infer_notes("infer", inf);
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (ak_buf_append(&out.out.b, schema, strlen(schema), &err) != AK_OK ||
	    ak_buf_append(&out.out.b, "\n", 1, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("infer", errname, &err);
	free(schema);
	ak_infer_free(inf);
	return ret;
}
