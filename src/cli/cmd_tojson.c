/* SPDX-License-Identifier: Apache-2.0 */
/* tojson: records of data files as Avro JSON, one per line. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum { OPT_PRETTY = 'p', OPT_HEAD = 'n', OPT_OUTPUT = 'o', OPT_READER = 'r', OPT_READER_FILE = 'R' };

static const struct cli_option opts[] = {
	{ "pretty", OPT_PRETTY, NULL, "indent the JSON (records are then several lines each)" },
	{ "head", OPT_HEAD, "N", "stop after N records (in all inputs together)" },
	{ "reader-schema", OPT_READER, "JSON", "read the records as this schema (schema resolution)" },
	{ "reader-schema-file", OPT_READER_FILE, "FILE",
	  "read the records as the schema in FILE (a schema or a data file)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ NULL, 0, NULL, NULL },
};

struct tojson {
	struct ak_json_writer w;
	struct ak_out *out;
	uint64_t head;      /* records still to print */
	int limited;
	int write_failed;   /* the error is about the output, not the input */
	const struct ak_schema *reader; /* NULL: the writer's schema */
};

/* Print the records of one input. Returns AK_OK, AK_EOF when --head is reached, or an error. */
static int dump(struct tojson *t, struct ak_reader *r, struct ak_error *err)
{
	struct ak_plan *plan = t->reader ? ak_plan_resolve(ak_reader_schema(r), t->reader, NULL, err)
				    : ak_plan_new(ak_reader_schema(r), err);
	struct ak_block blk;
	int rc;

	if (!plan) {
		if (err->code == AK_E_SCHEMA)
			ak_error_prefix(err, "cannot read with the reader schema");
		return err->code ? err->code : AK_E_NOMEM;
	}
	t->w.plan = plan;
	while ((rc = ak_reader_next_block(r, &blk, 0, err)) == AK_OK) {
		const unsigned char *p = blk.data, *end = blk.data + blk.size;

		if ((rc = ak_decode_check_count(plan, blk.count, blk.size, err)) != AK_OK)
			goto block_error;
		for (int64_t i = 0; i < blk.count; i++) {
			if (t->limited && t->head == 0) {
				rc = AK_EOF;
				goto out;
			}
			rc = ak_decode_json(&t->w, &p, end, &t->out->b, err);
			if (rc != AK_OK) {
				ak_out_rollback(t->out);
				ak_error_prefix(err, "record %" PRId64, i);
				goto block_error;
			}
			if ((rc = ak_buf_reserve(&t->out->b, 1, err)) != AK_OK)
				goto out;
			t->out->b.data[t->out->b.len++] = '\n';
			if ((rc = ak_out_commit(t->out, err)) != AK_OK) {
				t->write_failed = 1;
				goto out;
			}
			t->head--;
		}
		if (p != end) {
			rc = ak_fail(err, AK_E_FORMAT, "%zu bytes left over after its %" PRId64
				     " records", (size_t)(end - p), blk.count);
			goto block_error;
		}
	}
	if (rc == AK_EOF)
		rc = AK_OK;
	goto out;
block_error:
	ak_error_prefix(err, "block %" PRIu64 " (offset %" PRIu64 ")", blk.index, blk.offset);
out:
	ak_plan_free(plan);
	return rc;
}

int cmd_tojson(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct tojson t;
	struct ak_error err = { 0 };
	const char *outpath = NULL, *reader_text = NULL, *reader_file = NULL;
	struct ak_schema *reader = NULL;
	char **files, *stdin_only[] = { NULL };
	int nfiles, c, ret = CLI_EXIT_OK, rc = AK_OK;
	uint64_t head = 0;

	memset(&t, 0, sizeof(t));
	cli_opts_init(&o, "tojson", "[OPTION]... [FILE]...",
		      "Print the records of Avro data files as JSON (Avro's JSON encoding, as\n"
		      "avro-tools prints it), one record per line. With no FILE, or when FILE is -,\n"
		      "read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_PRETTY:
			t.w.flags |= AK_JSON_PRETTY;
			break;
		case OPT_HEAD:
			if (cli_opt_u64(&o, c, 0, UINT64_MAX, &head) != 0)
				return o.exit_code;
			t.limited = 1;
			t.head = head;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_READER:
			reader_text = o.arg;
			break;
		case OPT_READER_FILE:
			reader_file = o.arg;
			break;
		}
	}
	if (reader_text && reader_file)
		return cli_usage_error("tojson", "give --reader-schema or --reader-schema-file, not both");
	if (reader_text && !(reader = ak_schema_parse(reader_text, strlen(reader_text), &err))) {
		cli_report("tojson", "--reader-schema", &err);
		return CLI_EXIT_DATA;
	}
	if (reader_file && !(reader = cli_schema_load(reader_file, &err))) {
		cli_report("tojson", reader_file, &err);
		return CLI_EXIT_DATA;
	}
	t.reader = reader;
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK) {
		cli_report("tojson", NULL, &err);
		ak_schema_free(reader);
		return CLI_EXIT_DATA;
	}
	t.out = &out.out;
	for (int i = 0; i < nfiles && rc == AK_OK; i++) {
		struct cli_input in;
		struct ak_reader *r = NULL;

		rc = cli_input_open(&in, files[i], &err);
		if (rc == AK_OK && !(r = ak_reader_open(&in.src, cli_limits, &err)))
			rc = err.code;
		if (rc == AK_OK)
			rc = dump(&t, r, &err);
		if (rc < 0) {
			/* print the records before the error, then the message */
			struct ak_error ferr = { 0 };

			if (!t.write_failed)
				ak_out_flush(&out.out, &ferr);
			cli_report("tojson", t.write_failed ? outpath ? outpath : "(standard output)"
							    : in.name, &err);
			ret = CLI_EXIT_DATA;
		}
		ak_reader_free(r);
		cli_input_close(&in);
	}
	if (cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		cli_report("tojson", outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
	ak_json_writer_release(&t.w);
	ak_schema_free(reader);
	return ret;
}
