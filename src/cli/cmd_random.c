/* SPDX-License-Identifier: Apache-2.0 */
/*
 * random: a data file of random records for a schema (avro-tools' random). The records come
 * from the core's generator (random.h), seeded by --seed, which also makes the sync marker:
 * the same seed and options give the same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_COUNT = 'n',
	OPT_SCHEMA = 's',
	OPT_SCHEMA_FILE = 'f',
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_BLOCK_SIZE = 'b',
	OPT_OUTPUT = 'o',
	OPT_JOBS = 'j',
	OPT_SEED = 0x100,
};

static const struct cli_option opts[] = {
	{ "count", OPT_COUNT, "N", "write N records (required)" },
	{ "seed", OPT_SEED, "N",
	  "seed the generator with the integer N: the same seed gives the same file "
	  "(default: a random seed)" },
	{ "schema", OPT_SCHEMA, "JSON", "the schema, as JSON text" },
	{ "schema-file", OPT_SCHEMA_FILE, "FILE",
	  "read the schema from FILE (a schema, or a data file whose schema is used)" },
	{ "codec", OPT_CODEC, "NAME",
	  "deflate (default, as avro-tools), null, snappy, bzip2, xz or zstandard" },
	{ "level", OPT_LEVEL, "N", "compression level (deflate 0-9, xz 0-9, zstandard 1-22, "
				  "bzip2 1-9)" },
	{ "block-size", OPT_BLOCK_SIZE, "SIZE",
	  "end a block when its records reach SIZE bytes before compression "
	  "(default 64K; K, M and G suffixes)" },
	{ "jobs", OPT_JOBS, "N",
	  "compress on N threads (default: the number of online processors; the output is "
	  "the same)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

/* A seed as Java's Long takes it, or any unsigned 64-bit number; 0 or -1. */
static int parse_seed(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	if (*s == '-') {
		long long v = strtoll(s, &end, 10);

		if (errno || end == s || *end || s[1] < '0' || s[1] > '9')
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);

	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int cmd_random(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_random_opts ro;
	struct ak_schema *schema = NULL;
	struct ak_random *rnd = NULL;
	struct ak_writer *w = NULL;
	const char *outpath = NULL, *schema_text = NULL, *schema_file = NULL, *errname = NULL;
	char *schema_buf = NULL, *schema_json = NULL, **rest;
	size_t schema_len = 0;
	uint64_t count = 0, seed = 0;
	int nrest, c, have_count = 0, have_seed = 0, ret = CLI_EXIT_DATA, opened = 0;

	memset(&wo, 0, sizeof(wo));
	memset(&ro, 0, sizeof(ro));
	wo.level = -1;
	wo.block_size = AK_DEFAULT_BLOCK_SIZE;
	{
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		wo.threads = online > 0 ? (unsigned)(online > 64 ? 64 : online) : 1;
	}
	cli_opts_init(&o, "random",
		      "[OPTION]... --count N (SCHEMA-FILE | --schema JSON | --schema-file FILE) "
		      "[OUTPUT]",
		      "Write a data file of N random records of a schema, to standard output or -o FILE.\n"
		      "The schema is a file given as the operand, or --schema / --schema-file as in\n"
		      "avro-tools, where the operand is then the output file (- for standard output).\n"
		      "Every value is valid for its type; see avrokit-random(1).",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		default:
			if (cli_write_option(&o, c, &wa, &wo) < 0)
				return o.exit_code;
			break;
		case OPT_COUNT:
			if (cli_opt_u64(&o, c, 0, (uint64_t)1 << 62, &count) != 0)
				return o.exit_code;
			have_count = 1;
			break;
		case OPT_SEED:
			if (parse_seed(o.arg, &seed) != 0)
				return cli_usage_error("random", "--seed: '%s' is not an integer from "
						       "-9223372036854775808 to 18446744073709551615",
						       o.arg);
			have_seed = 1;
			break;
		case OPT_SCHEMA:
			schema_text = o.arg;
			break;
		case OPT_SCHEMA_FILE:
			schema_file = o.arg;
			break;
		case OPT_BLOCK_SIZE:
			if (cli_opt_block_size(&o, &wo.block_size) != 0)
				return o.exit_code;
			break;
		case OPT_JOBS: {
			uint64_t jobs;

			if (cli_opt_u64(&o, c, 1, 256, &jobs) != 0)
				return o.exit_code;
			wo.threads = (unsigned)jobs;
			break;
		}
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	nrest = cli_opts_rest(&o, &rest);
	if (schema_text && schema_file)
		return cli_usage_error("random", "give the schema with one of --schema and "
				       "--schema-file");
	if (schema_text || schema_file) {
		/* avro-tools' form: the operand is the output */
		if (nrest > 1 || (nrest == 1 && outpath))
			return cli_usage_error("random", "with --schema or --schema-file, give one "
					       "output: -o FILE or an OUTPUT operand");
		if (nrest == 1)
			outpath = rest[0];
	} else {
		if (nrest != 1)
			return cli_usage_error("random", nrest ? "one schema file only (the output "
					       "goes to -o FILE)" : "no schema: give a schema file, "
					       "--schema or --schema-file");
		schema_file = rest[0];
	}
	if (!have_count)
		return cli_usage_error("random", "--count is required");
	if ((c = cli_pick_codec("random", wa.codec ? wa.codec : "deflate", wa.have_level, wa.level,
				&wo)) != CLI_EXIT_OK)
		return c;
	if (!have_seed) {
		unsigned char b[AK_SYNC_SIZE];

		if (cli_random_sync(b, &err) != AK_OK) {
			cli_report("random", NULL, &err);
			return CLI_EXIT_DATA;
		}
		for (int i = 0; i < 8; i++)
			seed = seed << 8 | b[i];
	}
	ro.seed = seed;
	ak_random_sync(seed, wo.sync);

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
	if (!(rnd = ak_random_new(schema, &ro, &err)))
		goto out;

	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, schema_file ? (char **)&schema_file : NULL,
			    schema_file ? 1 : 0, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_writer_new(&out.sink, schema_json, strlen(schema_json), &wo, &err)))
		goto out;
	for (uint64_t i = 0; i < count; i++) {
		if (ak_random_datum(rnd, ak_writer_buf(w), &err) != AK_OK) {
			ak_writer_rollback(w);
			goto out;
		}
		if (ak_writer_end_record(w, &err) != AK_OK)
			goto out;
	}
	if (ak_writer_close(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("random", errname, &err);
	ak_writer_free(w);
	ak_random_free(rnd);
	ak_schema_free(schema);
	free(schema_json);
	free(schema_buf);
	return ret;
}
