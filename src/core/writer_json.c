/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON records into a container file (ak_writer_write_json, and fromjson): the streaming
 * schema-directed encoder (encode.c) reads values from the source and appends their binary to
 * the writer's block, one record at a time, in bounded memory. With threads, the text is cut
 * into chunks that threads parse on the ordered pipeline (pipeline.h); see below.
 */
#include "writer_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "json_in.h"
#include "pipeline.h"

/* Tell the progress callback about every this many records on the serial path. */
#define PROGRESS_EVERY 4096

struct progress {
	ak_progress_fn fn;
	void *ctx;
	uint64_t next;
};

static int report(struct progress *pg, struct ak_writer *w, uint64_t bytes, struct ak_error *err)
{
	if (!pg->fn)
		return AK_OK;
	pg->next = ak_writer_count(w) + PROGRESS_EVERY;
	if (pg->fn(pg->ctx, ak_writer_count(w), bytes) != 0)
		return ak_fail(err, AK_E_CALLBACK, "stopped by the progress callback");
	return AK_OK;
}

/* Encode every value of one input. */
static int encode_input(struct ak_json_encoder *enc, struct ak_writer *w, struct ak_json_in *j,
			int array, struct progress *pg, struct ak_error *err)
{
	struct ak_json_seq seq;
	int rc;

	ak_json_seq_init(&seq, j, array);
	while ((rc = ak_json_seq_next(&seq, err)) == AK_OK) {
		if ((rc = ak_json_encode(enc, j, ak_writer_buf(w), err)) == AK_EOF)
			break;
		if (rc != AK_OK) {
			ak_writer_rollback(w);
			return rc;
		}
		if ((rc = ak_writer_end_record(w, err)) != AK_OK)
			return rc;
		if (pg->fn && ak_writer_count(w) >= pg->next &&
		    (rc = report(pg, w, j->consumed + (uint64_t)(j->p - j->buf), err)) != AK_OK)
			return rc;
	}
	return rc == AK_EOF ? AK_OK : rc;
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


struct pchunk {
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

/* The end of the last complete top-level value in @s (which starts at a value boundary):
 * just after a '}', ']' or string at depth 0. 0 when there is none. */
static size_t last_boundary(const unsigned char *s, size_t len)
{
	static const unsigned char special[256] = {
		['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1,
	};
	size_t i = 0, last = 0;
	long depth = 0;

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

static void encode_chunk(void *ctx, void *enc, void *job)
{
	struct pchunk *c = job;
	struct ak_json_in j;
	int rc;

	(void)ctx;
	ak_error_clear(&c->err);
	c->bin.len = 0;
	c->nends = 0;
	ak_json_in_init_mem(&j, c->text.len ? (const char *)c->text.data : "", c->text.len);
	for (;;) {
		rc = ak_json_encode(enc, &j, &c->bin, &c->err);
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

/* Read from @src until @b holds @want bytes or the input ends (*@eof set). */
static int read_more(struct ak_source *src, struct ak_buf *b, size_t want, int *eof,
		     struct ak_error *err)
{
	if (ak_buf_reserve(b, want - b->len, err) != AK_OK)
		return err->code;
	while (b->len < want) {
		ssize_t n = ak_source_read(src, b->data + b->len, want - b->len, err);

		if (n < 0)
			return (int)n;
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


/* Each thread parses with an encoder of its own. */
struct par {
	const struct ak_plan *plan;
	unsigned eflags;
};

static void *encoder_new(void *ctx)
{
	struct par *pa = ctx;

	return ak_json_encoder_new(pa->plan, pa->eflags, NULL);
}

static void encoder_free(void *ctx, void *enc)
{
	(void)ctx;
	ak_json_encoder_free(enc);
}

static void encode_job(void *ctx, void *enc, void *job)
{
	struct pchunk *c = job;

	if (!enc) {
		c->rc = ak_fail(&c->err, AK_E_NOMEM, "out of memory");
		return;
	}
	encode_chunk(ctx, enc, job);
}

static const struct ak_pipeline_ops parse_ops = { encode_job, encoder_new, encoder_free };

struct parallel {
	struct ak_writer *w;
	struct ak_pipeline *pipe;
	struct pchunk *slots;
	unsigned nslots;
	uint64_t nsub, nout;       /* chunks handed in, chunks written */
	struct lines_at at;
	struct progress *pg;
	uint64_t written_bytes;    /* input bytes of the chunks written */
};

/* Write a finished chunk's records; 1 when a speculative chunk failed (parse again). */
static int take(struct parallel *pr, struct pchunk *c, int *restart, struct ak_error *err)
{
	int rc;

	if (c->rc != AK_OK && c->spec) {
		/* perhaps no error: the newline may be inside a value. Parse again from this
		 * chunk on, cut after values */
		*restart = 1;
		return AK_OK;
	}
	rc = ak_writer_append_records(pr->w, c->bin.data, c->ends, c->nends, err);
	if (rc == AK_OK && c->rc != AK_OK) {
		ak_error_copy(err, &c->err);
		error_to_input(err, c, &pr->at);
		rc = c->rc;
	}
	if (c->lines) {
		pr->at.line += c->lines;
		pr->at.line_start = c->offset + c->line_start;
	}
	pr->written_bytes = c->offset + c->text.len;
	ak_pipeline_release(pr->pipe, c);
	pr->nout++;
	if (rc == AK_OK && pr->pg->fn && ak_writer_count(pr->w) >= pr->pg->next)
		rc = report(pr->pg, pr->w, pr->written_bytes, err);
	return rc;
}

static int encode_parallel(struct ak_json_encoder *enc, struct ak_writer *w, struct ak_source *src,
			   const struct ak_plan *plan, unsigned eflags, unsigned jobs,
			   struct progress *pg, struct ak_error *err)
{
	struct par pa = { plan, eflags };
	struct parallel pr;
	struct ak_buf carry = AK_BUF_INIT;
	uint64_t offset = 0;
	int rc = AK_OK, eof = 0, serial = 0, read_rc = AK_OK, speculate = 1, restart;
	struct ak_error read_err;
	void *ptrs[2 * 256];

	ak_error_clear(&read_err);
	memset(&pr, 0, sizeof(pr));
	pr.w = w;
	pr.at.line = 1;
	pr.pg = pg;
	if (jobs > 256)
		jobs = 256;
	pr.nslots = 2 * jobs;
	if (!(pr.slots = calloc(pr.nslots, sizeof(*pr.slots))))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < pr.nslots; i++)
		ptrs[i] = &pr.slots[i];
	/* a first chunk: an input that fits is parsed here, with no threads */
	if ((rc = read_more(src, &carry, PAR_CHUNK, &eof, err)) != AK_OK)
		goto done;
	if (eof) {
		struct ak_json_in j;

		ak_json_in_init_mem(&j, carry.len ? (const char *)carry.data : "", carry.len);
		rc = encode_input(enc, w, &j, 0, pg, err);
		goto done;
	}
again:
	restart = 0;
	pr.nsub = pr.nout = 0;
	if (!(pr.pipe = ak_pipeline_new(jobs, ptrs, pr.nslots, &parse_ops, &pa, err))) {
		rc = err && err->code ? err->code : AK_E_NOMEM;
		goto done;
	}
	for (;;) {
		struct pchunk *c;

		/* write out what is finished, in order */
		while (!restart && (c = ak_pipeline_oldest(pr.pipe, 0)))
			if ((rc = take(&pr, c, &restart, err)) != AK_OK)
				goto stop;
		if (restart)
			goto stop;
		if ((eof || serial) && pr.nout == pr.nsub)
			break;
		if (eof || serial || !(c = ak_pipeline_acquire(pr.pipe))) {
			c = ak_pipeline_oldest(pr.pipe, 1);
			if ((rc = take(&pr, c, &restart, err)) != AK_OK)
				goto stop;
			continue;
		}
		/* the next chunk: what was left over, then more input, cut after a value */
		size_t cut = 0, want = PAR_CHUNK;

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
				serial = 1; /* no cut in sight: this thread goes on */
				break;
			}
			want = 2 * c->text.len;
		}
		if (read_rc == AK_OK && !eof && !serial)
			read_rc = ak_buf_append(&carry, c->text.data + cut, c->text.len - cut,
						&read_err);
		if (read_rc != AK_OK) {
			eof = 1; /* reported once the chunks before are written */
			continue;
		}
		if (serial) {
			/* the text goes back to this thread, after the chunks before it */
			ak_buf_append(&carry, c->text.data, c->text.len, &read_err);
			continue;
		}
		if (!eof)
			c->text.len = cut;
		c->offset = offset;
		offset += c->text.len;
		ak_pipeline_submit(pr.pipe, c);
		pr.nsub++;
	}
	if (read_rc != AK_OK) {
		ak_error_copy(err, &read_err);
		rc = read_rc;
	}
stop:
	ak_pipeline_free(pr.pipe); /* waits for the chunks in flight */
	pr.pipe = NULL;
	if (restart) {
		/* the text of the chunks not written, then what was left over, is what to read
		 * next, from the first of those chunks' offset, now cut after values only */
		struct ak_buf rest = AK_BUF_INIT;

		offset = pr.slots[pr.nout % pr.nslots].offset;
		for (uint64_t k = pr.nout; k < pr.nsub && rc == AK_OK; k++) {
			const struct ak_buf *t = &pr.slots[k % pr.nslots].text;

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
		if (rc == AK_OK)
			goto again;
	}
	if (rc == AK_OK && serial) {
		/* the rest of the input on this thread, counting lines from where the chunks end */
		struct ak_prefixed pre;
		struct ak_source psrc;
		struct ak_json_in j;

		ak_prefixed_source_init(&psrc, &pre, carry.data, carry.len, src);
		if ((rc = ak_json_in_init(&j, &psrc, err)) == AK_OK) {
			j.consumed = offset;
			j.line = pr.at.line;
			j.line_start = pr.at.line_start;
			rc = encode_input(enc, w, &j, 0, pg, err);
			ak_json_in_release(&j);
		}
	}
done:
	ak_pipeline_free(pr.pipe);
	for (unsigned i = 0; i < pr.nslots; i++) {
		ak_buf_release(&pr.slots[i].text);
		ak_buf_release(&pr.slots[i].bin);
		free(pr.slots[i].ends);
	}
	free(pr.slots);
	ak_buf_release(&carry);
	return rc;
}

int ak_json_to_writer(struct ak_writer *w, const struct ak_plan *plan, struct ak_source *src,
		      unsigned json_flags, unsigned threads, ak_progress_fn progress, void *pctx,
		      struct ak_error *err)
{
	unsigned eflags = ak_encode_flags_of(json_flags);
	struct progress pg = { progress, pctx, PROGRESS_EVERY };
	struct ak_json_encoder *enc = ak_json_encoder_new(plan, eflags, err);
	struct ak_json_in j;
	int rc;

	if (!enc)
		return err && err->code ? err->code : AK_E_NOMEM;
	pg.next = ak_writer_count(w) + PROGRESS_EVERY;
	if (threads > 1 && !(json_flags & AK_JSON_ARRAY)) {
		rc = encode_parallel(enc, w, src, plan, eflags, threads, &pg, err);
	} else if ((rc = ak_json_in_init(&j, src, err)) == AK_OK) {
		rc = encode_input(enc, w, &j, (json_flags & AK_JSON_ARRAY) != 0, &pg, err);
		ak_json_in_release(&j);
	}
	ak_json_encoder_free(enc);
	return rc;
}
