/* SPDX-License-Identifier: Apache-2.0 */
/* tojson: records of data files as Avro JSON, one per line. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_range.h"
#include "datums.h"

enum {
	OPT_PRETTY = 'p',
	OPT_HEAD = 'n',
	OPT_OUTPUT = 'o',
	OPT_READER = 'r',
	OPT_READER_FILE = 'R',
	OPT_JOBS = 'j',
	OPT_PLAIN = 'P',
	OPT_BYTES = 256,
};

static const struct cli_option opts[] = {
	{ "pretty", OPT_PRETTY, NULL, "indent the JSON (records are then several lines each)" },
	{ "head", OPT_HEAD, "N", "stop after N records (in all inputs together)" },
	{ "plain", OPT_PLAIN, NULL,
	  "plain JSON: unions without the {\"branch\": ...} wrapper, logical types readable "
	  "(dates, times, timestamps, decimals, uuids, durations)" },
	{ "bytes", OPT_BYTES, "FORM",
	  "bytes and fixed as codepoints (Avro's JSON, the default), base64 or hex" },
	{ "reader-schema", OPT_READER, "JSON", "read the records as this schema (schema resolution)" },
	{ "reader-schema-file", OPT_READER_FILE, "FILE",
	  "read the records as the schema in FILE (a schema or a data file); repeat it for a "
	  "schema split over several files: the last is the schema, the others hold named "
	  "types it uses" },
	{ "jobs", OPT_JOBS, "N",
	  "decompress and decode on N threads (default: the number of online processors; "
	  "output order is kept)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTION_RANGE,
	CLI_OPTIONS_LIMITS,
	CLI_OPTIONS_DATUMS_READ,
	{ NULL, 0, NULL, NULL },
};

struct tojson {
	struct ak_out *out;
	struct ak_error werr;  /* why writing the output failed */
	int write_failed;
	uint64_t records;      /* records printed from the current input */
	struct cli_progress prog;
	uint64_t done_records, done_bytes; /* of the inputs before the current one */
};

/* The library hands over whole blocks of lines. Small ones collect in the output buffer; a
 * large one goes straight out (after what is buffered), not copied once more. */
static int put_text(void *ctx, const void *p, size_t n)
{
	struct tojson *t = ctx;
	int rc;

	if (n >= 64 * 1024)
		rc = ak_out_write(t->out, p, n, &t->werr);
	else if ((rc = ak_buf_append(&t->out->b, p, n, &t->werr)) == AK_OK)
		rc = ak_out_commit(t->out, &t->werr);
	if (rc != AK_OK) {
		t->write_failed = 1;
		errno = t->werr.sys_errno ? t->werr.sys_errno : ENOMEM;
		return -1;
	}
	return 0;
}

static int count_records(void *ctx, uint64_t records, uint64_t bytes)
{
	struct tojson *t = ctx;

	t->records = records;
	cli_progress_at(&t->prog, t->done_records + records, t->done_bytes + bytes);
	return 0;
}

int cmd_tojson(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct tojson t;
	struct ak_error err = { 0 };
	const char *outpath = NULL, *reader_text = NULL, *errname;
	struct cli_schema_paths reader_files = { .n = 0 };
	struct ak_schema *reader = NULL;
	char **files, *stdin_only[] = { NULL };
	int nfiles, c, ret = CLI_EXIT_OK, rc = AK_OK;
	uint64_t head = 0, jobs = 0;
	struct ak_reader_opts ro;
	int limited = 0;
	struct cli_range range = { 0 };
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	struct cli_datums dat;

	cli_datums_init(&dat);
	memset(&t, 0, sizeof(t));
	ak_reader_opts_init(&ro);
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
			ro.json_flags |= AK_JSON_PRETTY;
			break;
		case OPT_HEAD:
			if (cli_opt_u64(&o, c, 0, UINT64_MAX, &head) != 0)
				return o.exit_code;
			limited = 1;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_READER:
			reader_text = o.arg;
			break;
		case OPT_READER_FILE:
			if (cli_schema_paths_add(&o, &reader_files) != 0)
				return o.exit_code;
			break;
		case OPT_JOBS:
			if (cli_opt_u64(&o, c, 1, 256, &jobs) != 0)
				return o.exit_code;
			break;
		case OPT_PLAIN:
			ro.json_flags |= AK_JSON_PLAIN;
			break;
		case CLI_KEY_RANGE:
			if (cli_range_option(&o, &range) != 0)
				return o.exit_code;
			break;
		case OPT_BYTES:
			ro.json_flags &= ~(unsigned)(AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX);
			if (strcmp(o.arg, "base64") == 0)
				ro.json_flags |= AK_JSON_BYTES_BASE64;
			else if (strcmp(o.arg, "hex") == 0)
				ro.json_flags |= AK_JSON_BYTES_HEX;
			else if (strcmp(o.arg, "codepoints") != 0)
				return cli_usage_error("tojson", "--bytes takes codepoints, base64 or "
						       "hex, not '%s'", o.arg);
			break;
		default:
			if (!cli_progress_option(c) && cli_datums_option(&o, c, &dat) < 0)
				return o.exit_code;
			break;
		}
	}
	if ((c = cli_datums_check("tojson", &dat, 0)) != CLI_EXIT_OK)
		return c;
	if (dat.active && range.set)
		return cli_usage_error("tojson", "--range reads blocks of data files: it does not go "
				       "with --%s", dat.datums ? "datums" : "framing");
	if (reader_text && reader_files.n)
		return cli_usage_error("tojson", "give --reader-schema or --reader-schema-file, not both");
	if (reader_text && !(reader = ak_schema_parse(reader_text, strlen(reader_text), 0, &err))) {
		cli_report("tojson", "--reader-schema", &err);
		return CLI_EXIT_DATA;
	}
	if (reader_files.n && !(reader = cli_schema_load_many(reader_files.v, reader_files.n, 0,
							       &errname, &err))) {
		cli_report("tojson", errname, &err);
		return CLI_EXIT_DATA;
	}
	ro.reader_schema = reader;
	ro.threads = jobs ? (unsigned)jobs : online > 0 ? (unsigned)(online > 64 ? 64 : online) : 1;
	ro.max_header = cli_limits->max_header;
	ro.max_block = cli_limits->max_block;
	nfiles = cli_opts_rest(&o, &files);
	if ((ret = cli_range_check("tojson", &range, files, nfiles)) != CLI_EXIT_OK) {
		ak_schema_free(reader);
		return ret;
	}
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (dat.active) {
		/* messages of datums, not data files (datums.c) */
		struct cli_datums_read da = { "tojson", NULL, ro.json_flags, reader,
					      limited ? head : AK_NO_POS, ro.threads,
					      cli_limits->max_block, outpath, files, nfiles };

		ret = cli_datums_to_json(&dat, &da);
		ak_schema_free(reader);
		return ret;
	}
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK) {
		cli_report("tojson", NULL, &err);
		ak_schema_free(reader);
		return CLI_EXIT_DATA;
	}
	t.out = &out.out;
	cli_progress_start(&t.prog, "tojson", files, nfiles, out.fd == STDOUT_FILENO);
	for (int i = 0; i < nfiles && rc == AK_OK; i++) {
		struct cli_input in;
		struct ak_reader *r = NULL;

		rc = cli_input_open(&in, files[i], &err);
		if (rc == AK_OK && in.fd == STDIN_FILENO)
			cli_tty_input_hint("tojson", "an Avro data file");
		if (rc == AK_OK && !(r = ak_reader_open_fd(in.fd, &ro, &err)))
			rc = err.code;
		if (rc == AK_OK)
			rc = cli_range_apply(&range, r, &err);
		if (rc == AK_OK) {
			t.records = 0;
			rc = ak_reader_to_json(r, limited ? head : AK_NO_POS, put_text, &t,
					       count_records, &t, &err);
			head -= t.records;
			t.done_records += t.records;
			t.done_bytes = t.prog.bytes;
		}
		if (rc < 0) {
			/* the records before the error are printed, then the message */
			struct ak_error ferr = { 0 };

			if (!t.write_failed)
				ak_out_flush(&out.out, &ferr);
			else
				err = t.werr;
			cli_report("tojson", t.write_failed ? outpath ? outpath : "(standard output)"
							    : in.name, &err);
			ret = CLI_EXIT_DATA;
		}
		ak_reader_free(r);
		cli_input_close(&in);
	}
	cli_progress_end(&t.prog, ret == CLI_EXIT_OK);
	if (cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		cli_report("tojson", outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
	ak_schema_free(reader);
	return ret;
}
