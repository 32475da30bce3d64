/* SPDX-License-Identifier: Apache-2.0 */
/* fromjson: Avro JSON records in, an Avro data file out. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_SCHEMA = 's',
	OPT_SCHEMA_FILE = 'f',
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_BLOCK_SIZE = 'b',
	OPT_META = 'm',
	OPT_OUTPUT = 'o',
	OPT_ARRAY = 'a',
	OPT_SYNC = CLI_KEY_SYNC,
	OPT_BYTES,
	OPT_IGNORE_UNKNOWN,
	OPT_PLAIN = 'P',
	OPT_JOBS = 'j',
};

static const struct cli_option opts[] = {
	{ "schema", OPT_SCHEMA, "JSON", "the schema, as JSON text" },
	{ "schema-file", OPT_SCHEMA_FILE, "FILE",
	  "read the schema from FILE (a schema, or a data file whose schema is used)" },
	{ "codec", OPT_CODEC, "NAME",
	  "null (default), deflate, snappy, bzip2, xz or zstandard" },
	{ "level", OPT_LEVEL, "N", "compression level (deflate 0-9, xz 0-9, zstandard 1-22, "
				  "bzip2 1-9)" },
	{ "block-size", OPT_BLOCK_SIZE, "SIZE",
	  "end a block when its records reach SIZE bytes before compression "
	  "(default 64K; K, M and G suffixes)" },
	{ "meta", OPT_META, "KEY=VALUE", "add a metadata entry (repeatable)" },
	{ "jobs", OPT_JOBS, "N",
	  "parse and compress on N threads (default: the number of online processors; the "
	  "output is the same)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ "array", OPT_ARRAY, NULL, "the input is one JSON array of records" },
	{ "plain", OPT_PLAIN, NULL,
	  "read plain JSON: union values without a wrapper (the branch is picked from the "
	  "value), logical types also in their readable forms" },
	{ "bytes", OPT_BYTES, "FORM",
	  "with --plain, bytes and fixed values are codepoints (the default), base64 or hex" },
	{ "ignore-unknown-fields", OPT_IGNORE_UNKNOWN, NULL,
	  "skip JSON fields that the schema's records do not have" },
	{ "sync-marker", OPT_SYNC, "HEX",
	  "use this 16-byte sync marker (32 hex digits) so the same input gives the same file" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

#define MAX_META 256

/* The writer's output, through the command's output file. */
static int out_write(void *ctx, const void *p, size_t n)
{
	struct cli_output *o = ctx;

	return o->sink.write(o->sink.ctx, p, n);
}

/* JSON text from an input. */
static ssize_t in_read(void *ctx, void *buf, size_t n)
{
	struct cli_input *in = ctx;

	return in->src.read(in->src.ctx, buf, n);
}

int cmd_fromjson(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[MAX_META];
	struct ak_schema *schema = NULL;
	struct ak_writer *w = NULL;
	const char *outpath = NULL, *schema_text = NULL, *schema_file = NULL;
	char *schema_buf = NULL, *schema_json = NULL, **files, *stdin_only[] = { NULL };
	size_t schema_len = 0;
	int nfiles, c, ret = CLI_EXIT_DATA, opened = 0;
	unsigned jflags = 0;
	struct ak_writer_opts po;
	const char *meta_keys[MAX_META];
	const void *meta_values[MAX_META];
	size_t meta_lens[MAX_META];
	const char *errname = NULL;

	memset(&wo, 0, sizeof(wo));
	wo.level = -1;
	wo.block_size = AK_DEFAULT_BLOCK_SIZE;
	{
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		wo.threads = online > 0 ? (unsigned)(online > 64 ? 64 : online) : 1;
	}
	cli_opts_init(&o, "fromjson", "[OPTION]... (--schema JSON | --schema-file FILE) [FILE]...",
		      "Write an Avro data file from JSON records in Avro's JSON encoding (what tojson\n"
		      "prints): a stream of JSON values (one per line, or spread over lines), or with\n"
		      "--array one JSON array of them. With no FILE, or when FILE is -, read standard\n"
		      "input. Fields missing from a record take their schema default.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		default:
			if (cli_write_option(&o, c, &wa, &wo) < 0)
				return o.exit_code;
			break;
		case OPT_SCHEMA:
			schema_text = o.arg;
			break;
		case OPT_SCHEMA_FILE:
			schema_file = o.arg;
			break;
		case OPT_BLOCK_SIZE:
			if (cli_parse_size(o.arg, &wo.block_size) != 0)
				return cli_usage_error("fromjson", "--block-size: '%s' is not a size from "
						       "1 byte to 1G", o.arg);
			break;
		case OPT_META: {
			const char *eq = strchr(o.arg, '=');

			if (!eq || eq == o.arg)
				return cli_usage_error("fromjson", "--meta takes KEY=VALUE, got '%s'",
						       o.arg);
			if (wo.nmeta == MAX_META)
				return cli_usage_error("fromjson", "at most %d --meta entries", MAX_META);
			*(char *)(uintptr_t)eq = '\0'; /* argv is ours to edit */
			if (strncmp(o.arg, "avro.", 5) == 0)
				return cli_usage_error("fromjson", "--meta: key '%s' is reserved (keys "
						       "starting with 'avro.' belong to Avro)", o.arg);
			for (size_t k = 0; k < wo.nmeta; k++)
				if (strcmp(meta[k].key, o.arg) == 0)
					return cli_usage_error("fromjson", "--meta: key '%s' given twice",
							       o.arg);
			meta[wo.nmeta].key = o.arg;
			meta[wo.nmeta].value = (const unsigned char *)eq + 1;
			meta[wo.nmeta].value_len = strlen(eq + 1);
			wo.nmeta++;
			break;
		}
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_ARRAY:
			jflags |= AK_JSON_ARRAY;
			break;
		case OPT_PLAIN:
			jflags |= AK_JSON_PLAIN;
			break;
		case OPT_JOBS: {
			uint64_t jobs;

			if (cli_opt_u64(&o, c, 1, 256, &jobs) != 0)
				return o.exit_code;
			wo.threads = (unsigned)jobs;
			break;
		}
		case OPT_IGNORE_UNKNOWN:
			jflags |= AK_JSON_IGNORE_UNKNOWN;
			break;
		case OPT_BYTES:
			jflags &= ~(unsigned)(AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX);
			if (strcmp(o.arg, "base64") == 0)
				jflags |= AK_JSON_BYTES_BASE64;
			else if (strcmp(o.arg, "hex") == 0)
				jflags |= AK_JSON_BYTES_HEX;
			else if (strcmp(o.arg, "codepoints") != 0)
				return cli_usage_error("fromjson", "--bytes takes codepoints, base64 or "
						       "hex, not '%s'", o.arg);
			break;
		}
	}
	wo.meta = meta;
	if ((jflags & (AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX)) && !(jflags & AK_JSON_PLAIN))
		return cli_usage_error("fromjson", "--bytes base64 or hex goes with --plain");
	if (!schema_text == !schema_file)
		return cli_usage_error("fromjson", "give the schema with exactly one of --schema and "
				       "--schema-file");
	if ((c = cli_pick_codec("fromjson", wa.codec ? wa.codec : "null", wa.have_level, wa.level,
				&wo)) != CLI_EXIT_OK)
		return c;
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}

	/* the schema */
	errname = schema_file ? schema_file : "--schema";
	if (schema_file) {
		if (!(schema_buf = cli_schema_text(schema_file, &schema_len, &err)))
			goto out;
		schema_text = schema_buf;
	} else {
		schema_len = strlen(schema_text);
	}
	if (!(schema = ak_schema_parse(schema_text, schema_len, 0, &err)))
		goto out;
	{
		struct ak_buf sb = AK_BUF_INIT;

		if (ak_json_reformat(schema_text, schema_len, 0, 0, &sb, &err) != AK_OK ||
		    ak_buf_append(&sb, "", 1, &err) != AK_OK) {
			ak_buf_release(&sb);
			goto out;
		}
		schema_json = (char *)sb.data;
	}
	if (!wa.have_sync && cli_random_sync(wo.sync, &err) != AK_OK)
		goto out;
	ak_writer_opts_init(&po);
	po.codec = wo.codec->name;
	po.level = wo.level;
	po.block_size = wo.block_size;
	po.sync = wo.sync;
	po.threads = wo.threads;
	for (size_t k = 0; k < wo.nmeta; k++) {
		meta_keys[k] = meta[k].key;
		meta_values[k] = meta[k].value;
		meta_lens[k] = meta[k].value_len;
	}
	po.meta_keys = meta_keys;
	po.meta_values = meta_values;
	po.meta_lens = meta_lens;
	po.nmeta = wo.nmeta;
	po.schema_text = schema_json;
	po.schema_text_len = strlen(schema_json);

	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_writer_open_callbacks(out_write, &out, schema, &po, &err)))
		goto out;
	for (int i = 0; i < nfiles; i++) {
		struct cli_input in;
		int rc;

		rc = cli_input_open(&in, files[i], &err);
		if (rc == AK_OK)
			rc = ak_writer_write_json(w, in_read, &in, jflags, NULL, NULL, &err);
		errname = in.name;
		cli_input_close(&in);
		if (rc != AK_OK) {
			if (cli_is_write_error(&err))
				errname = outpath ? outpath : "(standard output)";
			goto out;
		}
	}
	errname = outpath ? outpath : "(standard output)";
	if (ak_writer_finish(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("fromjson", errname, &err);
	ak_writer_free(w);
	ak_schema_free(schema);
	free(schema_json);
	free(schema_buf);
	return ret;
}
