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
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

#define MAX_META 256

/*
 * Progress: fromjson's records are counted by the writer, and the JSON reader pulls the input
 * in chunks of 64 KiB or more, so the input is read through this source, which counts the
 * bytes and lets the progress line update at each read, never per record.
 */
struct counted {
	struct ak_source *next;
	struct cli_progress *prog;
};

static ssize_t counted_read(void *ctx, void *buf, size_t n)
{
	struct counted *c = ctx;
	ssize_t r = c->next->read(c->next->ctx, buf, n);

	if (r > 0)
		cli_progress_add(c->prog, 0, (uint64_t)r);
	return r;
}

static uint64_t writer_records(void *w)
{
	return ak_writer_count(w);
}

/* Encode every value of one input. */
static int encode_input(struct ak_encoder *enc, struct ak_writer *w, struct ak_json_in *j,
			int array, struct ak_error *err)
{
	int rc, c;

	if (array) {
		c = ak_json_in_peek(j, err);
		if (c != '[')
			return ak_json_in_fail(j, AK_E_JSON, err, "with --array the input must be one "
					       "JSON array, got %s", ak_json_kind(c));
		ak_json_in_advance(j);
		if ((c = ak_json_in_peek(j, err)) == ']') {
			ak_json_in_advance(j);
			goto end;
		}
	}
	for (;;) {
		rc = ak_encode_json(enc, j, ak_writer_buf(w), err);
		if (rc == AK_EOF) {
			if (array)
				return ak_json_in_fail(j, AK_E_JSON, err, "the input ends inside the "
						       "array (no closing ']')");
			return AK_OK;
		}
		if (rc != AK_OK) {
			ak_writer_rollback(w);
			return rc;
		}
		if ((rc = ak_writer_commit(w, err)) != AK_OK)
			return rc;
		if (array) {
			c = ak_json_in_peek(j, err);
			if (c == ',') {
				ak_json_in_advance(j);
				continue;
			}
			if (c == ']') {
				ak_json_in_advance(j);
				break;
			}
			if (c < -1)
				return c;
			return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected ',' or ']' "
					       "in the array, got %s", ak_json_kind(c));
		}
	}
end:
	c = ak_json_in_peek(j, err);
	if (c < -1)
		return c;
	if (c != -1)
		return ak_json_in_fail(j, AK_E_JSON, err, "unexpected %s after the array",
				       ak_json_kind(c));
	return AK_OK;
}

/*
 * Parallel parsing (-j N, on an input larger than one chunk). The main thread reads the input
 * in chunks of about PAR_CHUNK bytes, each cut just after a complete top-level value (a
 * lexical scan: strings and brackets), and hands them to N threads, which parse and encode
 * them with encoders of their own. Finished chunks go to the writer in input order, record
 * by record as far as blocks are concerned, so the file is the one -j1 writes, and the first
 * error is the one -j1 reports, at the same line and column (workers count lines from their
 * chunk's start; the main thread adds what came before). A stream with no cut within
 * PAR_MAX_CHUNK bytes (top-level numbers, or one huge value) is parsed on the main thread
 * from there on, as --array input always is.
 */
#define PAR_CHUNK ((size_t)1 << 20)
#define PAR_MAX_CHUNK ((size_t)16 << 20)

enum { PC_FREE, PC_READY, PC_WORKING, PC_DONE };

struct pchunk {
	int state;
	struct ak_buf text;        /* JSON text, from a value boundary to one */
	uint64_t offset;           /* input offset of text[0] */
	struct ak_buf bin;         /* the records, encoded */
	size_t *ends;              /* record i ends at bin[ends[i]] */
	size_t nends, cap_ends;
	int rc;
	int spec;                  /* cut at its last newline, not after a value (see below) */
	struct ak_error err;       /* line/column counted from the chunk's start */
	uint64_t lines;            /* newlines in text */
	uint64_t line_start;       /* offset in text after the last newline */
};

struct ppool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pchunk *slots;
	unsigned nslots;
	uint64_t nread, nwork;
	int quit;
	const struct ak_plan *plan;
	unsigned eflags;
};

/* The end of the last complete top-level value in @s (which starts at a value boundary):
 * just after a '}', ']' or string at depth 0. 0 when there is none. */
static size_t last_boundary(const unsigned char *s, size_t len)
{
	static unsigned char special[256];
	size_t i = 0, last = 0;
	long depth = 0;

	if (!special['"'])
		special['{'] = special['}'] = special['['] = special[']'] = special['"'] = 1;
	while (i < len) {
		while (i < len && !special[s[i]])
			i++;
		if (i == len)
			break;
		switch (s[i]) {
		case '"': {
			const unsigned char *q = s + i + 1, *b;

			for (;;) {
				q = memchr(q, '"', len - (size_t)(q - s));
				if (!q)
					return last; /* the string goes on past the end */
				for (b = q; b > s + i + 1 && b[-1] == '\\'; b--)
					;
				if (((q - b) & 1) == 0)
					break;
				q++;
			}
			i = (size_t)(q - s) + 1;
			if (depth == 0)
				last = i;
			continue;
		}
		case '{':
		case '[':
			depth++;
			break;
		default:
			if (--depth == 0)
				last = i + 1;
			else if (depth < 0)
				return last; /* not JSON: the parser will say where */
			break;
		}
		i++;
	}
	return last;
}

/*
 * The end of @s's last line (0 when it has no newline). A cut there splits no token (a raw
 * newline cannot be inside a string, and ends a number or a literal), and is between two
 * values in newline-delimited input. Elsewhere (indented records) it may be inside a value:
 * the chunk is then marked speculative (spec), and when its parse fails the input is parsed
 * again from its start, cut with last_boundary(). A speculative chunk whose parse succeeds
 * to its end ended between values, so the next one starts where a value starts.
 */
static size_t after_last_newline(const unsigned char *s, size_t len)
{
	while (len && s[len - 1] != '\n')
		len--;
	return len;
}

static void encode_chunk(struct ak_encoder *enc, struct pchunk *c)
{
	struct ak_json_in j;
	int rc;

	ak_error_clear(&c->err);
	c->bin.len = 0;
	c->nends = 0;
	ak_json_in_init_mem(&j, c->text.len ? (const char *)c->text.data : "", c->text.len);
	for (;;) {
		rc = ak_encode_json(enc, &j, &c->bin, &c->err);
		if (rc == AK_EOF) {
			rc = AK_OK;
			break;
		}
		if (rc != AK_OK) {
			c->bin.len = c->nends ? c->ends[c->nends - 1] : 0;
			break;
		}
		if (c->nends == c->cap_ends) {
			size_t ncap = c->cap_ends ? 2 * c->cap_ends : 4096;
			size_t *e = realloc(c->ends, ncap * sizeof(*e));

			if (!e) {
				rc = ak_fail(&c->err, AK_E_NOMEM, "out of memory");
				break;
			}
			c->ends = e;
			c->cap_ends = ncap;
		}
		c->ends[c->nends++] = c->bin.len;
	}
	c->rc = rc;
	c->lines = j.line - 1;
	c->line_start = j.line_start;
}

static void *parse_worker(void *arg)
{
	struct ppool *pl = arg;
	struct ak_error err = { 0 };
	struct ak_encoder *enc = ak_encoder_new(pl->plan, pl->eflags, &err);

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->quit && pl->nwork == pl->nread)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->quit)
			break;
		struct pchunk *c = &pl->slots[pl->nwork++ % pl->nslots];
		c->state = PC_WORKING;
		pthread_mutex_unlock(&pl->mu);
		if (enc) {
			encode_chunk(enc, c);
		} else {
			c->err = err;
			c->rc = err.code ? err.code : AK_E_NOMEM;
		}
		pthread_mutex_lock(&pl->mu);
		c->state = PC_DONE;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	ak_encoder_free(enc);
	return NULL;
}

/* Read from @src until @b holds @want bytes or the input ends (*@eof set). */
static int read_more(struct ak_source *src, struct ak_buf *b, size_t want, int *eof,
		     struct ak_error *err)
{
	if (ak_buf_reserve(b, want - b->len, err) != AK_OK)
		return err->code;
	while (b->len < want) {
		ssize_t n = src->read(src->ctx, b->data + b->len, want - b->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ak_fail_errno(err, errno, "read error");
		if (n == 0) {
			*eof = 1;
			break;
		}
		b->len += (size_t)n;
	}
	return AK_OK;
}

/* Where the main thread's count of lines stands: the line at input offset @offset. */
struct lines_at {
	uint64_t line;       /* 1-based */
	uint64_t line_start; /* input offset where that line starts */
};

/* Move a worker's error position (relative to its chunk) to the input's. */
static void error_to_input(struct ak_error *e, const struct pchunk *c, const struct lines_at *at)
{
	if (!e->line)
		return;
	if (e->line == 1)
		e->column += (unsigned long)(c->offset - at->line_start);
	e->line += (unsigned long)(at->line - 1);
}

static int encode_parallel(struct ak_encoder *enc, struct ak_writer *w, struct ak_source *src,
			   const struct ak_plan *plan, unsigned eflags, unsigned jobs,
			   struct ak_error *err)
{
	struct ppool pl;
	pthread_t *tids = NULL;
	unsigned nthreads = 0;
	struct ak_buf carry = AK_BUF_INIT;
	struct lines_at at = { 1, 0 };
	uint64_t emitted = 0, offset = 0;
	int rc = AK_OK, eof = 0, serial = 0, read_rc = AK_OK, speculate = 1, restart;
	struct ak_error read_err = { 0 };

	/* a first chunk: an input that fits is parsed here, with no threads */
	if ((rc = read_more(src, &carry, PAR_CHUNK, &eof, err)) != AK_OK)
		goto done;
	if (eof) {
		struct ak_json_in j;

		ak_json_in_init_mem(&j, carry.len ? (const char *)carry.data : "", carry.len);
		rc = encode_input(enc, w, &j, 0, err);
		goto done;
	}
again:
	restart = 0;
	emitted = 0;
	nthreads = 0;
	memset(&pl, 0, sizeof(pl));
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv, NULL);
	pl.nslots = 2 * jobs;
	pl.plan = plan;
	pl.eflags = eflags;
	pl.slots = calloc(pl.nslots, sizeof(*pl.slots));
	tids = calloc(jobs, sizeof(*tids));
	if (!pl.slots || !tids) {
		rc = ak_fail(err, AK_E_NOMEM, "out of memory");
		goto out;
	}
	for (; nthreads < jobs; nthreads++)
		if (pthread_create(&tids[nthreads], NULL, parse_worker, &pl) != 0)
			break;
	if (!nthreads) {
		rc = ak_fail(err, AK_E_NOMEM, "cannot start threads");
		goto out;
	}
	pthread_mutex_lock(&pl.mu);
	for (;;) {
		/* hand finished chunks to the writer, in order */
		while (emitted < pl.nread && pl.slots[emitted % pl.nslots].state == PC_DONE) {
			struct pchunk *c = &pl.slots[emitted % pl.nslots];

			if (c->rc != AK_OK && c->spec) {
				/* perhaps no error: the newline may be inside a value. Parse again
				 * from this chunk on, cut after values */
				restart = 1;
				goto stop;
			}
			pthread_mutex_unlock(&pl.mu);
			rc = ak_writer_append_records(w, c->bin.data, c->ends, c->nends, err);
			if (rc == AK_OK && c->rc != AK_OK) {
				*err = c->err;
				error_to_input(err, c, &at);
				rc = c->rc;
			}
			if (c->lines) {
				at.line += c->lines;
				at.line_start = c->offset + c->line_start;
			}
			pthread_mutex_lock(&pl.mu);
			c->state = PC_FREE;
			emitted++;
			if (rc != AK_OK)
				goto stop;
		}
		if ((eof || serial) && emitted == pl.nread)
			break;
		if (eof || serial || pl.nread - emitted == pl.nslots) {
			pthread_cond_wait(&pl.cv, &pl.mu);
			continue;
		}
		/* the next chunk: what was left over, then more input, cut after a value */
		struct pchunk *c = &pl.slots[pl.nread % pl.nslots];
		size_t cut = 0, want = PAR_CHUNK;

		pthread_mutex_unlock(&pl.mu);
		c->text.len = 0;
		c->spec = 0;
		read_rc = ak_buf_append(&c->text, carry.data ? carry.data : (unsigned char *)"",
					carry.len, &read_err);
		carry.len = 0;
		while (read_rc == AK_OK) {
			if (c->text.len < want && !eof)
				read_rc = read_more(src, &c->text, want, &eof, &read_err);
			if (read_rc != AK_OK || eof)
				break;
			if (speculate && (cut = after_last_newline(c->text.data, c->text.len)) > 0) {
				c->spec = 1;
				break;
			}
			if ((cut = last_boundary(c->text.data, c->text.len)) > 0)
				break;
			if (c->text.len >= PAR_MAX_CHUNK) {
				serial = 1; /* no cut in sight: the main thread goes on */
				break;
			}
			want = 2 * c->text.len;
		}
		if (read_rc == AK_OK && !eof && !serial)
			read_rc = ak_buf_append(&carry, c->text.data + cut, c->text.len - cut,
						&read_err);
		pthread_mutex_lock(&pl.mu);
		if (read_rc != AK_OK) {
			eof = 1; /* reported once the chunks before are written */
			continue;
		}
		if (serial) {
			/* the text goes back to the main thread, after the chunks before it */
			ak_buf_append(&carry, c->text.data, c->text.len, &read_err);
			continue;
		}
		if (!eof)
			c->text.len = cut;
		c->offset = offset;
		offset += c->text.len;
		c->state = PC_READY;
		pl.nread++;
		pthread_cond_broadcast(&pl.cv);
	}
	if (read_rc != AK_OK) {
		*err = read_err;
		rc = read_rc;
	}
stop:
	pl.quit = 1;
	pthread_cond_broadcast(&pl.cv);
	pthread_mutex_unlock(&pl.mu);
out:
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	if (restart) {
		/* the text of the chunks not written, then what was left over, is what to read
		 * next, from the first of those chunks' offset, now cut after values only */
		struct ak_buf rest = AK_BUF_INIT;

		offset = pl.slots[emitted % pl.nslots].offset;
		for (uint64_t k = emitted; k < pl.nread && rc == AK_OK; k++) {
			const struct ak_buf *t = &pl.slots[k % pl.nslots].text;

			rc = ak_buf_append(&rest, t->data ? t->data : (unsigned char *)"", t->len, err);
		}
		if (rc == AK_OK)
			rc = ak_buf_append(&rest, carry.data ? carry.data : (unsigned char *)"",
					   carry.len, err);
		ak_buf_release(&carry);
		carry = rest;
		speculate = 0;
		eof = 0; /* the source says so again */
		read_rc = AK_OK;
	}
	for (unsigned i = 0; pl.slots && i < pl.nslots; i++) {
		ak_buf_release(&pl.slots[i].text);
		ak_buf_release(&pl.slots[i].bin);
		free(pl.slots[i].ends);
	}
	free(pl.slots);
	free(tids);
	pthread_cond_destroy(&pl.cv);
	pthread_mutex_destroy(&pl.mu);
	if (rc == AK_OK && restart)
		goto again;
	if (rc == AK_OK && serial) {
		/* the rest of the input on this thread, counting lines from where the chunks end */
		struct cli_prefixed pre = { carry.data, carry.len, 0, src };
		struct ak_source psrc = { cli_prefixed_read, NULL, &pre };
		struct ak_json_in j;

		if ((rc = ak_json_in_init(&j, &psrc, err)) == AK_OK) {
			j.consumed = offset;
			j.line = at.line;
			j.line_start = at.line_start;
			rc = encode_input(enc, w, &j, 0, err);
			ak_json_in_release(&j);
		}
	}
done:
	ak_buf_release(&carry);
	return rc;
}

int cmd_fromjson(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct ak_writer_opts wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[MAX_META];
	struct ak_schema *schema = NULL;
	struct ak_plan *plan = NULL;
	struct ak_encoder *enc = NULL;
	struct ak_writer *w = NULL;
	struct cli_progress prog = { 0 };
	const char *outpath = NULL, *schema_text = NULL, *schema_file = NULL;
	char *schema_buf = NULL, *schema_json = NULL, **files, *stdin_only[] = { NULL };
	size_t schema_len = 0;
	int nfiles, c, array = 0, ret = CLI_EXIT_DATA, opened = 0;
	unsigned eflags = 0;
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
			if (!cli_progress_option(c) && cli_write_option(&o, c, &wa, &wo) < 0)
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
			array = 1;
			break;
		case OPT_PLAIN:
			eflags |= AK_ENCODE_PLAIN;
			break;
		case OPT_JOBS: {
			uint64_t jobs;

			if (cli_opt_u64(&o, c, 1, 256, &jobs) != 0)
				return o.exit_code;
			wo.threads = (unsigned)jobs;
			break;
		}
		case OPT_IGNORE_UNKNOWN:
			eflags |= AK_ENCODE_IGNORE_UNKNOWN;
			break;
		case OPT_BYTES:
			eflags &= ~(unsigned)(AK_ENCODE_BYTES_BASE64 | AK_ENCODE_BYTES_HEX);
			if (strcmp(o.arg, "base64") == 0)
				eflags |= AK_ENCODE_BYTES_BASE64;
			else if (strcmp(o.arg, "hex") == 0)
				eflags |= AK_ENCODE_BYTES_HEX;
			else if (strcmp(o.arg, "codepoints") != 0)
				return cli_usage_error("fromjson", "--bytes takes codepoints, base64 or "
						       "hex, not '%s'", o.arg);
			break;
		}
	}
	wo.meta = meta;
	if ((eflags & (AK_ENCODE_BYTES_BASE64 | AK_ENCODE_BYTES_HEX)) && !(eflags & AK_ENCODE_PLAIN))
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
	if ((c = cli_refuse_tty("fromjson", outpath)) != CLI_EXIT_OK)
		return c;
	if (cli_inputs_check(files, nfiles, outpath, &errname, &err) != AK_OK)
		goto out;

	/* the schema */
	errname = schema_file ? schema_file : "--schema";
	if (schema_file) {
		if (!(schema_buf = cli_schema_text(schema_file, &schema_len, &err)))
			goto out;
		schema_text = schema_buf;
	} else {
		schema_len = strlen(schema_text);
	}
	if (!(schema = ak_schema_parse(schema_text, schema_len, &err)))
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
	if (!(plan = ak_plan_new(schema, &err)) || !(enc = ak_encoder_new(plan, eflags, &err)))
		goto out;
	if (!wa.have_sync && cli_random_sync(wo.sync, &err) != AK_OK)
		goto out;

	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_writer_new(&out.sink, schema_json, strlen(schema_json), &wo, &err)))
		goto out;
	cli_progress_start(&prog, "fromjson", files, nfiles, out.fd == STDOUT_FILENO);
	prog.records_fn = writer_records;
	prog.records_ctx = w;
	for (int i = 0; i < nfiles; i++) {
		struct cli_input in;
		struct ak_json_in j;
		struct counted cnt;
		struct ak_source csrc, *src;
		int rc;

		rc = cli_input_open(&in, files[i], &err);
		if (rc == AK_OK && in.fd == STDIN_FILENO)
			cli_tty_input_hint("fromjson", "JSON records");
		src = &in.src;
		if (prog.on) {
			cnt = (struct counted){ &in.src, &prog };
			csrc = (struct ak_source){ counted_read, NULL, &cnt };
			src = &csrc;
		}
		if (rc == AK_OK && wo.threads > 1 && !array) {
			rc = encode_parallel(enc, w, src, plan, eflags, wo.threads, &err);
		} else if (rc == AK_OK && (rc = ak_json_in_init(&j, src, &err)) == AK_OK) {
			rc = encode_input(enc, w, &j, array, &err);
			ak_json_in_release(&j);
		}
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
	cli_progress_end(&prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("fromjson", errname, &err);
	ak_writer_free(w);
	ak_encoder_free(enc);
	ak_plan_free(plan);
	ak_schema_free(schema);
	free(schema_json);
	free(schema_buf);
	return ret;
}
