/* SPDX-License-Identifier: Apache-2.0 */
/*
 * totext: the records of a data file whose schema is "bytes", each followed by a newline
 * (avro-tools' totext; fromtext writes such files). Blocks are read one at a time, every
 * record is checked by the skipping decoder, and the bytes go out through the output
 * buffer (a record of 64 KiB or more straight from the block).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_OUTPUT = 'o',
};

static const struct cli_option opts[] = {
	{ "output", OPT_OUTPUT, "FILE",
	  "write to FILE (replaced only on success); the same as the OUTPUT operand" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

/* Is the file's schema the primitive bytes, with nothing (no logical type) on top? */
static int is_text_schema(const struct ak_schema *s)
{
	const struct ak_node *n = ak_schema_root(s);

	return n->type == AK_BYTES && !n->logical_name;
}

/* The schema's type, for the message that refuses it: "string", "record ns.Name", "bytes
 * with the logical type decimal", ... */
static void schema_kind(const struct ak_schema *s, char *buf, size_t size)
{
	const struct ak_node *n = ak_schema_root(s);

	if (n->logical_name)
		snprintf(buf, size, "%s with the logical type %s", ak_type_name(n->type),
			 n->logical_name);
	else if (n->fullname)
		snprintf(buf, size, "%s %s", ak_type_name(n->type), n->fullname);
	else
		snprintf(buf, size, "%s", ak_type_name(n->type));
}

/*
 * Write the records of @r's blocks to @out. A failure in the output is marked
 * (*@write_failed); a bad block is an error at its block and record, after the records
 * before it are written.
 */
static int copy_lines(struct ak_reader *r, struct ak_out *out, struct cli_progress *prog,
		      int *write_failed, struct ak_error *err)
{
	struct ak_plan *plan = ak_plan_new(ak_reader_schema(r), err);
	struct ak_block blk;
	int rc;

	if (!plan)
		return err->code;
	while ((rc = ak_reader_next_block(r, &blk, 0, err)) == AK_OK) {
		const unsigned char *p = blk.data, *end = blk.data + blk.size;

		if ((rc = ak_decode_check_count(plan, blk.count, blk.size, err)) != AK_OK)
			goto block_error;
		for (int64_t i = 0; i < blk.count; i++) {
			const unsigned char *rec = p;
			int64_t len = 0;

			if ((rc = ak_datum_skip(plan, &p, end, 0, err)) != AK_OK) {
				ak_error_at_record(err, (uint64_t)i);
				goto block_error;
			}
			/* checked by the skip: a length, then that many bytes */
			ak_varint_decode(&rec, p, &len);
			if (len >= 64 * 1024)
				rc = ak_out_write(out, rec, (size_t)len, err);
			else
				rc = ak_buf_append(&out->b, rec, (size_t)len, err);
			if (rc == AK_OK && (rc = ak_buf_append(&out->b, "\n", 1, err)) == AK_OK)
				rc = ak_out_commit(out, err);
			if (rc != AK_OK) {
				*write_failed = 1;
				goto out;
			}
		}
		if (p != end) {
			rc = ak_fail(err, AK_E_FORMAT, "%zu bytes left over after its %" PRId64
				     " records", (size_t)(end - p), blk.count);
			goto block_error;
		}
		cli_progress_add(prog, (uint64_t)blk.count, blk.stored_size);
	}
	if (rc == AK_EOF)
		rc = AK_OK;
	goto out;
block_error:
	ak_error_at_block(err, blk.index, blk.offset);
out:
	ak_plan_free(plan);
	return rc;
}

int cmd_totext(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_avro_in in = { 0 };
	struct ak_error err = { 0 };
	struct cli_progress prog = { 0 };
	const char *inpath = NULL, *outpath = NULL, *inname;
	char **rest;
	int c, n, ret = CLI_EXIT_DATA, write_failed = 0;

	cli_opts_init(&o, "totext", "[OPTION]... [INPUT [OUTPUT]]",
		      "Print the records of an Avro data file whose schema is \"bytes\" (as fromtext\n"
		      "writes), each record's bytes followed by a newline. INPUT and OUTPUT default\n"
		      "to standard input and output (or -); the output may also be given as -o FILE.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		default:
			cli_progress_option(c);
			break;
		}
	}
	n = cli_opts_rest(&o, &rest);
	if ((c = cli_in_out_operands("totext", rest, n, &inpath, &outpath)) != CLI_EXIT_OK)
		return c;
	inname = inpath && strcmp(inpath, "-") ? inpath : "(standard input)";

	/* the header first: a file that is not text gets no output file */
	if (cli_input_open(&in.in, inpath, &err) != AK_OK)
		goto bad_input;
	if (in.in.fd == STDIN_FILENO)
		cli_tty_input_hint("totext", "an Avro data file");
	if (!(in.r = ak_reader_open(&in.in.src, cli_limits, &err)))
		goto bad_input;
	if (!is_text_schema(ak_reader_schema(in.r))) {
		char kind[AK_ERROR_MSG_MAX / 2];

		schema_kind(ak_reader_schema(in.r), kind, sizeof(kind));
		cli_msg("totext", "%s: not a file of text: its schema is %s, not \"bytes\" "
			"(avrokit tojson prints the records of any data file)", inname, kind);
		goto quiet;
	}
	if (cli_output_open(&out, outpath, rest, n ? 1 : 0, &err) != AK_OK) {
		cli_report("totext", NULL, &err);
		goto quiet;
	}
	{
		char *inputs[] = { (char *)(uintptr_t)inpath };

		cli_progress_start(&prog, "totext", inputs, 1, out.fd == STDOUT_FILENO);
	}
	if (copy_lines(in.r, &out.out, &prog, &write_failed, &err) == AK_OK) {
		ret = CLI_EXIT_OK;
	} else {
		/* the records before the error are written, then the message */
		struct ak_error ferr = { 0 };

		if (!write_failed)
			ak_out_flush(&out.out, &ferr);
		cli_report("totext", write_failed ? outpath ? outpath : "(standard output)" : inname,
			   &err);
	}
	cli_progress_end(&prog, ret == CLI_EXIT_OK);
	if (cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		cli_report("totext", outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
	cli_avro_close(&in);
	return ret;
bad_input:
	cli_report("totext", inname, &err);
quiet:
	cli_avro_close(&in);
	return CLI_EXIT_DATA;
}
