/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fromtext: lines of text in, a data file of "bytes" records out (avro-tools' fromtext). A
 * line ends at \n, \r or \r\n; its bytes, without the terminator, are one record. The input
 * is read in chunks: a line that lies inside a chunk is encoded straight from it into the
 * block, one that runs over the chunk's end is gathered first. Memory is bounded by the block
 * size and by the longest line, which --max-block-size caps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_SYNC = CLI_KEY_SYNC,
	OPT_BLOCK_SIZE = 'b',
	OPT_META = 'm',
	OPT_JOBS = 'j',
	OPT_OUTPUT = 'o',
};

static const struct cli_option opts[] = {
	{ "codec", OPT_CODEC, "NAME", "null (default), deflate, snappy, bzip2, xz or zstandard" },
	{ "level", OPT_LEVEL, "N", "compression level (deflate 0-9, xz 0-9, zstandard 1-22, "
				  "bzip2 1-9)" },
	{ "block-size", OPT_BLOCK_SIZE, "SIZE",
	  "end a block when its records reach SIZE bytes before compression "
	  "(default 64K; K, M and G suffixes)" },
	{ "meta", OPT_META, "KEY=VALUE", "add a metadata entry (repeatable)" },
	{ "jobs", OPT_JOBS, "N",
	  "compress on N threads (default: the number of online processors; the output is "
	  "the same)" },
	{ "sync-marker", OPT_SYNC, "HEX",
	  "use this 16-byte sync marker (32 hex digits) so the same input gives the same file" },
	{ "output", OPT_OUTPUT, "FILE",
	  "write to FILE (replaced only on success); the same as the OUTPUT operand" },
	{ "max-block-size", CLI_KEY_MAX_BLOCK, "SIZE",
	  "refuse a line too long for a block of SIZE bytes (default 512M, the largest block "
	  "that readers take by default)" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	{ NULL, 0, NULL, NULL },
};

#define CHUNK (256 * 1024)

struct text {
	struct ak_writer *w;
	uint64_t line;        /* lines done (the one being read is line + 1) */
	struct ak_buf part;   /* the start of a line that runs over the end of a chunk */
	int open;             /* @part holds one (perhaps empty so far) */
	int after_cr;         /* the last line ended at \r: a \n that comes next belongs to it */
};

/* Bytes of the record of a @len-byte line: its length as a varint, then the line. */
static size_t record_size(size_t len)
{
	unsigned char v[AK_VARINT_MAX];

	return ak_varint_encode(v, (int64_t)len) + len;
}

/* A block holds at least one record: a line whose record is larger than the block limit
 * would make a file that readers refuse, so it is refused before it is gathered. */
static int check_size(struct text *t, size_t len, struct ak_error *err)
{
	if (record_size(len) <= cli_limits->max_block)
		return AK_OK;
	ak_fail(err, AK_E_LIMIT, "line %" PRIu64 " is too long: its record would make a block "
		"larger than the %zu-byte limit", t->line + 1, cli_limits->max_block);
	err->flags |= AK_ERROR_LIMIT_BLOCK;
	return AK_E_LIMIT;
}

/* A whole line, at @p: one record. */
static int put_line(struct text *t, const unsigned char *p, size_t len, struct ak_error *err)
{
	struct ak_buf *b = ak_writer_buf(t->w);
	unsigned char v[AK_VARINT_MAX];
	size_t vlen;

	if (check_size(t, len, err) != AK_OK)
		return AK_E_LIMIT;
	/* a long line ends the block before it rather than make it too big (this depends on
	 * the lines alone, not on how the input was read, so the file is always the same) */
	if (b->len && record_size(len) > cli_limits->max_block - b->len) {
		if (ak_writer_end_block(t->w, err) != AK_OK)
			return err->code;
		b = ak_writer_buf(t->w);
	}
	vlen = ak_varint_encode(v, (int64_t)len);
	if (ak_buf_reserve(b, vlen + len, err) != AK_OK)
		return err->code;
	memcpy(b->data + b->len, v, vlen);
	if (len)
		memcpy(b->data + b->len + vlen, p, len);
	b->len += vlen + len;
	t->line++;
	return ak_writer_end_record(t->w, err);
}

/* More bytes of a line that goes on in the next chunk. */
static int add_part(struct text *t, const unsigned char *p, size_t n, struct ak_error *err)
{
	t->open = 1;
	if (check_size(t, t->part.len + n, err) != AK_OK)
		return AK_E_LIMIT;
	return ak_buf_append(&t->part, p, n, err);
}

/* The line gathered by add_part() ends with the @n bytes at @p. */
static int end_part(struct text *t, const unsigned char *p, size_t n, struct ak_error *err)
{
	int rc = add_part(t, p, n, err);

	if (rc == AK_OK)
		rc = put_line(t, t->part.data, t->part.len, err);
	t->part.len = 0;
	t->open = 0;
	return rc;
}

/* The @n bytes at @p, the next chunk of the input. */
static int put_chunk(struct text *t, const unsigned char *p, size_t n, struct ak_error *err)
{
	const unsigned char *end = p + n;
	int rc;

	if (t->after_cr && p < end) {
		t->after_cr = 0;
		if (*p == '\n')
			p++;
	}
	while (p < end) {
		const unsigned char *q = p;

		while (q < end && *q != '\n' && *q != '\r')
			q++;
		if (q == end) /* the line goes on in the next chunk */
			return add_part(t, p, (size_t)(q - p), err);
		if (t->open)
			rc = end_part(t, p, (size_t)(q - p), err);
		else
			rc = put_line(t, p, (size_t)(q - p), err);
		if (rc != AK_OK)
			return rc;
		p = q + 1;
		if (*q == '\r') {
			if (p == end)
				t->after_cr = 1;
			else if (*p == '\n')
				p++;
		}
	}
	return AK_OK;
}

int cmd_fromtext(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_input in;
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[CLI_MAX_META];
	struct cli_progress prog = { 0 };
	struct text t;
	const char *inpath = NULL, *outpath = NULL, *errname = NULL;
	unsigned char *chunk = NULL;
	char **rest;
	int c, n, ret = CLI_EXIT_DATA, opened = 0, in_open = 0;

	memset(&wo, 0, sizeof(wo));
	memset(&t, 0, sizeof(t));
	wo.level = -1;
	wo.block_size = AK_DEFAULT_BLOCK_SIZE;
	wo.meta = meta;
	{
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		wo.threads = online > 0 ? (unsigned)(online > 64 ? 64 : online) : 1;
	}
	cli_opts_init(&o, "fromtext", "[OPTION]... [INPUT [OUTPUT]]",
		      "Write an Avro data file whose schema is \"bytes\" from lines of text, one record\n"
		      "per line: a line ends at \\n, \\r or \\r\\n, which is not part of the record, and\n"
		      "a last line without one is kept. The bytes are taken as they are. INPUT and\n"
		      "OUTPUT default to standard input and output (or -); the output may also be\n"
		      "given as -o FILE. avrokit totext writes the lines back.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		default:
			if (!cli_progress_option(c) && cli_write_option(&o, c, &wa, &wo) < 0)
				return o.exit_code;
			break;
		case OPT_BLOCK_SIZE:
			if (cli_opt_block_size(&o, &wo.block_size) != 0)
				return o.exit_code;
			break;
		case OPT_META:
			if (cli_meta_option(&o, meta, &wo.nmeta, CLI_MAX_META) != 0)
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
	n = cli_opts_rest(&o, &rest);
	if ((c = cli_in_out_operands("fromtext", rest, n, &inpath, &outpath)) != CLI_EXIT_OK)
		return c;
	if ((c = cli_refuse_tty("fromtext", outpath)) != CLI_EXIT_OK)
		return c;
	if ((c = cli_pick_codec("fromtext", wa.codec ? wa.codec : "null", wa.have_level, wa.level,
				&wo)) != CLI_EXIT_OK)
		return c;
	errname = inpath && strcmp(inpath, "-") ? inpath : "(standard input)";
	in_open = 1;
	if (cli_input_open(&in, inpath, &err) != AK_OK)
		goto out;
	if (!wa.have_sync && cli_random_sync(wo.sync, &err) != AK_OK)
		goto out;
	if (!(chunk = malloc(CHUNK))) {
		ak_fail(&err, AK_E_NOMEM, "out of memory");
		goto out;
	}
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, rest, n ? 1 : 0, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(t.w = ak_writer_new(&out.sink, "\"bytes\"", 7, &wo, &err)))
		goto out;
	{
		char *inputs[] = { (char *)(uintptr_t)inpath };

		cli_progress_start(&prog, "fromtext", inputs, 1, out.fd == STDOUT_FILENO);
	}
	prog.records_fn = cli_writer_records;
	prog.records_ctx = t.w;
	if (in.fd == STDIN_FILENO)
		cli_tty_input_hint("fromtext", "lines of text");
	for (;;) {
		ssize_t got = read(in.fd, chunk, CHUNK);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ak_fail_errno(&err, errno, "read error");
			errname = in.name;
			goto out;
		}
		if (got == 0)
			break;
		if (put_chunk(&t, chunk, (size_t)got, &err) != AK_OK) {
			errname = cli_is_write_error(&err) ? errname : in.name;
			goto out;
		}
		cli_progress_add(&prog, 0, (uint64_t)got);
	}
	/* the last line, when nothing ends it, is a record too */
	if (t.open && end_part(&t, NULL, 0, &err) != AK_OK)
		goto out;
	if (ak_writer_close(t.w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	cli_progress_end(&prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("fromtext", errname, &err);
	ak_writer_free(t.w);
	if (in_open)
		cli_input_close(&in);
	ak_buf_release(&t.part);
	free(chunk);
	return ret;
}
