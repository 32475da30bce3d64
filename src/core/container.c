/* SPDX-License-Identifier: Apache-2.0 */
#include "container.h"

#include "container_impl.h"
#include "pipeline.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void ak_limits_default(struct ak_limits *lim)
{
	lim->max_header = AK_DEFAULT_MAX_HEADER;
	lim->max_block = AK_DEFAULT_MAX_BLOCK;
	lim->max_inflated = AK_DEFAULT_MAX_INFLATED;
}

static int header_eof(struct ak_reader *r, int rc, struct ak_error *err)
{
	if (rc == AK_EOF) {
		ak_fail(err, AK_E_FORMAT, "file ends inside the header (offset %" PRIu64 ")",
			ak_in_offset(&r->in));
		if (err)
			err->flags |= AK_ERROR_TRUNCATED;
		return AK_E_FORMAT;
	}
	if (rc == AK_E_LIMIT && err)
		err->flags |= AK_ERROR_LIMIT_HEADER;
	if (rc == AK_E_FORMAT || rc == AK_E_LIMIT)
		ak_error_prefix(err, "header");
	return rc;
}

/* Read the metadata map into r->meta_bytes as (key NUL, value-length, value) records. */
static int read_meta(struct ak_reader *r, struct ak_error *err)
{
	struct ak_buf offs = AK_BUF_INIT; /* pairs of (key offset, value offset, value length) */
	size_t total = 0;
	int rc;

	for (;;) {
		int64_t count, size;

		if ((rc = ak_in_long(&r->in, &count, err)) != AK_OK)
			goto out;
		if (count == 0)
			break;
		if (count < 0) {
			if (count == INT64_MIN) {
				rc = ak_fail(err, AK_E_FORMAT, "invalid metadata block count");
				goto out;
			}
			count = -count;
			if ((rc = ak_in_long(&r->in, &size, err)) != AK_OK)
				goto out;
		}
		/* every entry takes at least two bytes (two lengths) */
		if ((uint64_t)count > (r->lim.max_header - total) / 2) {
			rc = ak_fail(err, AK_E_LIMIT,
				     "metadata declares %" PRId64 " entries, more than the "
				     "%zu-byte header limit allows", count, r->lim.max_header);
			goto out;
		}
		for (int64_t i = 0; i < count; i++) {
			int64_t len[2];
			size_t off[3];

			for (int k = 0; k < 2; k++) {
				if ((rc = ak_in_long(&r->in, &len[k], err)) != AK_OK)
					goto out;
				if (len[k] < 0) {
					rc = ak_fail(err, AK_E_FORMAT,
						     "negative metadata %s length",
						     k ? "value" : "key");
					goto out;
				}
				if ((uint64_t)len[k] + 2 > r->lim.max_header - total) {
					rc = ak_fail(err, AK_E_LIMIT,
						     "metadata is larger than the %zu-byte limit",
						     r->lim.max_header);
					goto out;
				}
				total += (size_t)len[k] + 1;
				off[k] = r->meta_bytes.len;
				if ((rc = ak_buf_reserve(&r->meta_bytes, (size_t)len[k] + 1, err)) != AK_OK)
					goto out;
				if ((size_t)len[k] &&
				    (rc = ak_in_read(&r->in, r->meta_bytes.data + r->meta_bytes.len,
						     (size_t)len[k], err)) != AK_OK)
					goto out;
				r->meta_bytes.len += (size_t)len[k];
				r->meta_bytes.data[r->meta_bytes.len++] = '\0';
				if (k == 0 && memchr(r->meta_bytes.data + off[0], 0, (size_t)len[0])) {
					rc = ak_fail(err, AK_E_FORMAT, "metadata key holds a NUL byte");
					goto out;
				}
			}
			off[2] = (size_t)len[1];
			if ((rc = ak_buf_append(&offs, off, sizeof(off), err)) != AK_OK)
				goto out;
		}
	}
	r->nmeta = offs.len / (3 * sizeof(size_t));
	r->meta = calloc(r->nmeta ? r->nmeta : 1, sizeof(*r->meta));
	if (!r->meta) {
		rc = ak_fail(err, AK_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->nmeta; i++) {
		const size_t *o = (const size_t *)offs.data + 3 * i;

		r->meta[i].key = (const char *)r->meta_bytes.data + o[0];
		r->meta[i].value = r->meta_bytes.data + o[1];
		r->meta[i].value_len = o[2];
	}
	rc = AK_OK;
out:
	ak_buf_release(&offs);
	return rc;
}

static void codec_names(char *dst, size_t n)
{
	size_t used = 0;

	dst[0] = '\0';
	for (const struct ak_codec *c = ak_codec_list(); c->name && used < n; c++) {
		if (!c->available)
			continue;
		int k = snprintf(dst + used, n - used, "%s%s", used ? ", " : "", c->name);
		if (k > 0)
			used += (size_t)k;
	}
}

struct ak_reader *ak_reader_open(struct ak_source *src, const struct ak_limits *lim,
				 struct ak_error *err)
{
	return ak_reader_open_ext(src, lim, AK_SCHEMA_LENIENT, NULL, err);
}

struct ak_reader *ak_reader_open_ext(struct ak_source *src, const struct ak_limits *lim,
				     unsigned schema_flags, struct ak_reader_ext *ext,
				     struct ak_error *err)
{
	struct ak_reader *r = calloc(1, sizeof(*r));
	const struct ak_meta_entry *e;
	unsigned char magic[4];
	int rc;

	if (!r) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		ak_reader_ext_release(ext);
		return NULL;
	}
	r->ext = ext;
	if (lim)
		r->lim = *lim;
	else
		ak_limits_default(&r->lim);
	if (ak_in_init(&r->in, src, err) != AK_OK)
		goto fail;
	rc = ak_in_read(&r->in, magic, 4, err);
	if (rc == AK_EOF) {
		ak_fail(err, AK_E_FORMAT, "empty input: not an Avro data file");
		goto fail;
	}
	if (rc == AK_E_FORMAT || (rc == AK_OK && memcmp(magic, AK_MAGIC, 4) != 0)) {
		if (rc == AK_OK && memcmp(magic, "Obj\x00", 4) == 0)
			ak_fail(err, AK_E_FORMAT, "not an Avro data file: this is the old Avro 1.2 "
				"container format, which is not supported");
		else
			ak_fail(err, AK_E_FORMAT, "not an Avro data file (bad magic bytes)");
		goto fail;
	}
	if (rc != AK_OK)
		goto fail;
	if ((rc = read_meta(r, err)) != AK_OK) {
		header_eof(r, rc, err);
		goto fail;
	}
	if ((rc = ak_in_read(&r->in, r->sync, AK_SYNC_SIZE, err)) != AK_OK) {
		header_eof(r, rc, err);
		goto fail;
	}
	r->header_size = ak_in_offset(&r->in);

	e = ak_reader_meta_find(r, "avro.codec");
	if (!e || e->value_len == 0) {
		r->codec = ak_codec_find("null", 4);
	} else {
		char built[128];

		r->codec = ak_codec_find((const char *)e->value, e->value_len);
		codec_names(built, sizeof(built));
		if (!r->codec) {
			ak_fail(err, AK_E_CODEC, "unknown codec \"%.*s\" (this build reads: %s)",
				(int)(e->value_len > 64 ? 64 : e->value_len), e->value, built);
			goto fail;
		}
		if (!r->codec->available) {
			ak_fail(err, AK_E_UNSUPPORTED,
				"codec \"%s\" is not built into this avrokit (this build reads: %s)",
				r->codec->name, built);
			goto fail;
		}
	}
	e = ak_reader_meta_find(r, "avro.schema");
	if (!e) {
		ak_fail(err, AK_E_FORMAT, "header has no avro.schema");
		goto fail;
	}
	/* the file exists: by default its schema is read as Java and Python read it
	 * (AK_SCHEMA_LENIENT, avrokit.h) */
	r->schema = ak_schema_parse((const char *)e->value, e->value_len, schema_flags, err);
	if (!r->schema) {
		/* a line and column would read as a position in the data file: into the text */
		if (err && err->line) {
			uint64_t line = err->line, column = err->column;

			err->line = err->column = 0;
			ak_error_prefix(err, "line %" PRIu64 ", column %" PRIu64, line, column);
		}
		ak_error_prefix(err, "invalid schema in the header");
		goto fail;
	}
	return r;
fail:
	ak_reader_free(r);
	return NULL;
}

void ak_reader_free(struct ak_reader *r)
{
	if (!r)
		return;
	ak_reader_ext_release(r->ext);
	ak_in_release(&r->in);
	ak_schema_free(r->schema);
	ak_buf_release(&r->meta_bytes);
	free(r->meta);
	ak_buf_release(&r->raw);
	ak_buf_release(&r->inflated);
	free(r);
}

const struct ak_schema *ak_reader_schema(const struct ak_reader *r)
{
	return r->schema;
}

const struct ak_codec *ak_reader_codec_ops(const struct ak_reader *r)
{
	return r->codec;
}

const unsigned char *ak_reader_sync(const struct ak_reader *r)
{
	return r->sync;
}

size_t ak_reader_meta_count(const struct ak_reader *r)
{
	return r->nmeta;
}

const struct ak_meta_entry *ak_reader_meta(const struct ak_reader *r, size_t i)
{
	return i < r->nmeta ? &r->meta[i] : NULL;
}

const struct ak_meta_entry *ak_reader_meta_find(const struct ak_reader *r, const char *key)
{
	for (size_t i = 0; i < r->nmeta; i++)
		if (strcmp(r->meta[i].key, key) == 0)
			return &r->meta[i];
	return NULL;
}

uint64_t ak_reader_header_size(const struct ak_reader *r)
{
	return r->header_size;
}

int ak_container_next_block(struct ak_reader *r, struct ak_block *blk, unsigned flags,
			 struct ak_error *err)
{
	unsigned char sync[AK_SYNC_SIZE];
	int64_t count, size;
	int rc;

	if (r->done)
		return AK_EOF;
	memset(blk, 0, sizeof(*blk));
	blk->index = r->next_index;
	blk->offset = ak_in_offset(&r->in);
	/* a range owns the blocks whose marker (the 16 bytes before them) starts before its end */
	if (r->range_set && blk->offset - AK_SYNC_SIZE >= r->range_end) {
		r->done = 1;
		return AK_EOF;
	}
	rc = ak_in_long(&r->in, &count, err);
	if (rc == AK_EOF) {
		r->done = 1;
		return AK_EOF;
	}
	if (rc != AK_OK)
		goto fail;
	rc = ak_in_long(&r->in, &size, err);
	if (rc == AK_EOF) {
		rc = ak_fail(err, AK_E_FORMAT, "file ends inside the block header (%" PRIu64
			     " stray byte%s after the last block?)",
			     ak_in_offset(&r->in) - blk->offset,
			     ak_in_offset(&r->in) - blk->offset == 1 ? "" : "s");
		if (err)
			err->flags |= AK_ERROR_TRUNCATED;
		goto fail;
	}
	if (rc != AK_OK)
		goto fail;
	if (count < 0) {
		rc = ak_fail(err, AK_E_FORMAT, "negative record count %" PRId64, count);
		goto fail;
	}
	if (size < 0) {
		rc = ak_fail(err, AK_E_FORMAT, "negative block size %" PRId64, size);
		goto fail;
	}
	if ((uint64_t)size > r->lim.max_block) {
		rc = ak_fail(err, AK_E_LIMIT, "block size %" PRId64 " exceeds the %zu-byte limit",
			     size, r->lim.max_block);
		goto fail;
	}
	blk->count = count;
	blk->stored_size = (uint64_t)size;
	if (flags & AK_BLOCK_SKIP_DATA) {
		rc = ak_in_skip(&r->in, (uint64_t)size, err);
	} else {
		/* Grow with the bytes that really arrive, so a short file that declares a huge
		 * block cannot make us allocate the declared size. */
		uint64_t left = (uint64_t)size;

		r->raw.len = 0;
		if ((rc = ak_buf_reserve(&r->raw, 1, err)) != AK_OK)
			goto fail;
		while (left && rc == AK_OK) {
			size_t chunk = r->raw.len < 65536 ? 65536 : r->raw.len;

			if (chunk > left)
				chunk = (size_t)left;
			if ((rc = ak_buf_reserve(&r->raw, chunk, err)) != AK_OK)
				goto fail;
			rc = ak_in_read(&r->in, r->raw.data + r->raw.len, chunk, err);
			if (rc == AK_OK) {
				r->raw.len += chunk;
				left -= chunk;
			}
		}
	}
	if (rc == AK_EOF || rc == AK_E_FORMAT) {
		rc = ak_fail(err, AK_E_FORMAT, "file ends inside the block data (%" PRId64
			     " bytes declared)", size);
		if (err)
			err->flags |= AK_ERROR_TRUNCATED;
		goto fail;
	}
	if (rc != AK_OK)
		goto fail;
	rc = ak_in_read(&r->in, sync, AK_SYNC_SIZE, err);
	if (rc == AK_EOF || rc == AK_E_FORMAT) {
		rc = ak_fail(err, AK_E_FORMAT, "file ends inside the sync marker");
		if (err)
			err->flags |= AK_ERROR_TRUNCATED;
		goto fail;
	}
	if (rc != AK_OK)
		goto fail;
	blk->sync_ok = memcmp(sync, r->sync, AK_SYNC_SIZE) == 0;
	if (!blk->sync_ok && !(flags & AK_BLOCK_ANY_SYNC)) {
		rc = ak_fail(err, AK_E_FORMAT, "sync marker mismatch");
		goto fail;
	}
	if (!(flags & (AK_BLOCK_SKIP_DATA | AK_BLOCK_RAW))) {
		if (r->codec->decompress == NULL) {
			rc = ak_fail(err, AK_E_UNSUPPORTED, "codec %s not built in", r->codec->name);
			goto fail;
		}
		if (strcmp(r->codec->name, "null") == 0) {
			blk->data = r->raw.data;
			blk->size = r->raw.len;
		} else {
			rc = r->codec->decompress(r->raw.data, r->raw.len, &r->inflated,
						  r->lim.max_inflated, err);
			if (rc != AK_OK)
				goto fail;
			blk->data = r->inflated.data;
			blk->size = r->inflated.len;
		}
	} else if (flags & AK_BLOCK_RAW) {
		blk->data = r->raw.data;
		blk->size = r->raw.len;
	}
	r->next_index++;
	return AK_OK;
fail:
	r->done = 1;
	if (rc == AK_E_LIMIT && err)
		err->flags |= AK_ERROR_LIMIT_BLOCK;
	ak_error_at_block(err, blk->index, blk->offset);
	return rc;
}

/* ---- writing ---- */

#include "put.h"
#include "varint.h"

static const struct ak_pipeline_ops compress_ops;

static int put_bytes(struct ak_buf *b, const void *p, size_t n, struct ak_error *err)
{
	int rc = ak_buf_put_long(b, (int64_t)n, err);

	return rc == AK_OK ? ak_buf_append(b, p, n, err) : rc;
}

static int sink_write(struct ak_writer *w, const void *p, size_t n, struct ak_error *err)
{
	if (n && w->sink->write(w->sink->ctx, p, n) != 0)
		return ak_fail_write(err, errno);
	return AK_OK;
}

struct ak_writer *ak_writer_new(struct ak_sink *sink, const char *schema_json, size_t schema_len,
				const struct ak_writer_config *opts, struct ak_error *err)
{
	struct ak_writer *w = calloc(1, sizeof(*w));
	struct ak_buf *h;
	int rc;

	if (!w) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	w->sink = sink;
	w->codec = opts->codec ? opts->codec : ak_codec_find("null", 4);
	w->level = opts->level;
	w->block_size = opts->block_size ? opts->block_size : AK_DEFAULT_BLOCK_SIZE;
	memcpy(w->sync, opts->sync, AK_SYNC_SIZE);
	if (!w->codec->available || !w->codec->compress) {
		ak_fail(err, AK_E_UNSUPPORTED, "codec \"%s\" is not built into this avrokit",
			w->codec->name);
		goto fail;
	}
	for (size_t i = 0; i < opts->nmeta; i++)
		if (strncmp(opts->meta[i].key, "avro.", 5) == 0) {
			ak_fail(err, AK_E_ARG, "metadata key \"%s\" is reserved (keys starting "
				"with \"avro.\" belong to Avro)", opts->meta[i].key);
			goto fail;
		}
	h = &w->head;
	if (opts->no_header)
		goto no_header;
	if ((rc = ak_buf_append(h, AK_MAGIC, 4, err)) != AK_OK ||
	    (rc = ak_buf_put_long(h, (int64_t)(2 + opts->nmeta), err)) != AK_OK ||
	    (rc = put_bytes(h, "avro.schema", 11, err)) != AK_OK ||
	    (rc = put_bytes(h, schema_json, schema_len, err)) != AK_OK ||
	    (rc = put_bytes(h, "avro.codec", 10, err)) != AK_OK ||
	    (rc = put_bytes(h, w->codec->name, strlen(w->codec->name), err)) != AK_OK)
		goto fail;
	for (size_t i = 0; i < opts->nmeta; i++)
		if ((rc = put_bytes(h, opts->meta[i].key, strlen(opts->meta[i].key), err)) != AK_OK ||
		    (rc = put_bytes(h, opts->meta[i].value, opts->meta[i].value_len, err)) != AK_OK)
			goto fail;
	if ((rc = ak_buf_put_long(h, 0, err)) != AK_OK ||
	    (rc = ak_buf_append(h, w->sync, AK_SYNC_SIZE, err)) != AK_OK ||
	    (rc = sink_write(w, h->data, h->len, err)) != AK_OK)
		goto fail;
no_header:
	if ((rc = ak_buf_reserve(&w->block, w->block_size + 4096, err)) != AK_OK)
		goto fail;
	if (strcmp(w->codec->name, "null") != 0) {
		/* two blocks per thread: one being compressed, one waiting */
		unsigned threads = opts->threads > 256 ? 256 : opts->threads;
		void *ptrs[2 * 256];

		w->njobs = threads > 1 ? 2 * threads : 1;
		if (!(w->jobs = calloc(w->njobs, sizeof(*w->jobs)))) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			goto fail;
		}
		for (unsigned i = 0; i < w->njobs; i++)
			ptrs[i] = &w->jobs[i];
		if (!(w->pipe = ak_pipeline_new(threads, ptrs, w->njobs, &compress_ops, w, err)))
			goto fail;
	}
	return w;
fail:
	ak_writer_free(w);
	return NULL;
}

struct ak_buf *ak_writer_buf(struct ak_writer *w)
{
	return &w->block;
}

/*
 * Block @rc failed to be compressed or written out: the file may hold part of it, so
 * nothing more may be written after it (a retry would repeat the part). Returns @rc.
 */
static int stop(struct ak_writer *w, int rc, const struct ak_error *err)
{
	if (rc == AK_OK || w->failed)
		return rc;
	w->failed = rc;
	if (err && err->code)
		ak_error_copy(&w->ferr, err);
	else
		ak_fail(&w->ferr, rc, "a block could not be written out");
	return rc;
}

int ak_writer_stopped(const struct ak_writer *w, struct ak_error *err)
{
	if (!w->failed)
		return AK_OK;
	if (err) {
		ak_error_copy(err, &w->ferr);
		ak_error_prefix(err, "an earlier error stopped the writer");
	}
	return w->failed;
}

static int write_block_(struct ak_writer *w, const unsigned char *data, size_t len,
			int64_t count, int compressed, struct ak_error *err);

static int write_block(struct ak_writer *w, const unsigned char *data, size_t len, int64_t count,
		       int compressed, struct ak_error *err)
{
	return stop(w, write_block_(w, data, len, count, compressed, err), err);
}

static int write_block_(struct ak_writer *w, const unsigned char *data, size_t len,
			int64_t count, int compressed, struct ak_error *err)
{
	const unsigned char *out = data;
	size_t outlen = len;
	int rc;

	if (count == 0)
		return AK_OK;
	if (!compressed && strcmp(w->codec->name, "null") != 0) {
		if (w->codec->ctx_new && !w->cctx && !(w->cctx = w->codec->ctx_new(w->level)))
			return ak_fail(err, AK_E_NOMEM, "cannot start the %s compressor",
				       w->codec->name);
		rc = w->cctx ? w->codec->compress_ctx(w->cctx, data, len, &w->packed, err)
			     : w->codec->compress(data, len, &w->packed, w->level, err);
		if (rc != AK_OK)
			return rc;
		out = w->packed.data;
		outlen = w->packed.len;
	}
	w->head.len = 0;
	if ((rc = ak_buf_put_long(&w->head, count, err)) != AK_OK ||
	    (rc = ak_buf_put_long(&w->head, (int64_t)outlen, err)) != AK_OK ||
	    (rc = sink_write(w, w->head.data, w->head.len, err)) != AK_OK ||
	    (rc = sink_write(w, out, outlen, err)) != AK_OK ||
	    (rc = sink_write(w, w->sync, AK_SYNC_SIZE, err)) != AK_OK)
		return rc;
	return AK_OK;
}

/* ---- compression on the pipeline ---- */

static void *compressor_new(void *ctx)
{
	struct ak_writer *w = ctx;

	return w->codec->ctx_new ? w->codec->ctx_new(w->level) : NULL;
}

static void compressor_free(void *ctx, void *cctx)
{
	struct ak_writer *w = ctx;

	if (cctx)
		w->codec->ctx_free(cctx);
}

static void compress_job(void *ctx, void *cctx, void *job)
{
	struct ak_writer *w = ctx;
	struct wjob *j = job;

	ak_error_clear(&j->err);
	if (cctx)
		j->rc = w->codec->compress_ctx(cctx, j->raw.data, j->raw.len, &j->packed, &j->err);
	else if (w->codec->ctx_new)
		j->rc = ak_fail(&j->err, AK_E_NOMEM, "cannot start the %s compressor",
				w->codec->name);
	else
		j->rc = w->codec->compress(j->raw.data, j->raw.len, &j->packed, w->level, &j->err);
}

static const struct ak_pipeline_ops compress_ops = {
	compress_job,
	compressor_new,
	compressor_free,
};

/* Write out the compressed blocks that are done, in order; with @all, every one in flight. */
static int emit_done(struct ak_writer *w, int all, struct ak_error *err)
{
	struct wjob *j;
	int rc = AK_OK;

	while (rc == AK_OK && (j = ak_pipeline_oldest(w->pipe, all))) {
		if (j->rc != AK_OK) {
			ak_error_copy(err, &j->err);
			rc = stop(w, j->rc, &j->err);
		} else {
			rc = write_block(w, j->packed.data, j->packed.len, j->count, 1, err);
		}
		ak_pipeline_release(w->pipe, j);
	}
	return rc;
}

/* Hand the committed records to the pipeline; keep the uncommitted tail. */
static int submit_block(struct ak_writer *w, struct ak_error *err)
{
	size_t rest = w->block.len - w->mark;
	struct wjob *j;
	struct ak_buf tmp;
	int rc;

	if (w->count == 0)
		return AK_OK;
	/* a free job: write out the oldest block when all are busy */
	while (!(j = ak_pipeline_acquire(w->pipe))) {
		struct wjob *old = ak_pipeline_oldest(w->pipe, 1);

		if (old->rc != AK_OK) {
			ak_error_copy(err, &old->err);
			rc = stop(w, old->rc, &old->err);
		} else {
			rc = write_block(w, old->packed.data, old->packed.len, old->count, 1, err);
		}
		ak_pipeline_release(w->pipe, old);
		if (rc != AK_OK)
			return rc;
	}
	/* swap buffers instead of copying the block */
	tmp = j->raw;
	j->raw = w->block;
	w->block = tmp;
	w->block.len = 0;
	if ((rc = ak_buf_reserve(&w->block, w->block_size + 4096 + rest, err)) != AK_OK)
		return rc;
	if (rest)
		memcpy(w->block.data, j->raw.data + w->mark, rest);
	w->block.len = rest;
	j->raw.len = w->mark;
	j->count = w->count;
	w->mark = 0;
	w->count = 0;
	ak_pipeline_submit(w->pipe, j);
	return emit_done(w, 0, err);
}

static int flush_block(struct ak_writer *w, struct ak_error *err)
{
	size_t rest = w->block.len - w->mark;
	int rc;

	if (w->pipe)
		return submit_block(w, err);
	rc = write_block(w, w->block.data, w->mark, w->count, 0, err);

	if (rc != AK_OK)
		return rc;
	memmove(w->block.data, w->block.data + w->mark, rest);
	w->block.len = rest;
	w->mark = 0;
	w->count = 0;
	return AK_OK;
}

int ak_writer_end_record(struct ak_writer *w, struct ak_error *err)
{
	w->mark = w->block.len;
	w->count++;
	w->total++;
	if (w->block.len >= w->block_size)
		return flush_block(w, err);
	return AK_OK;
}

int ak_writer_append_records(struct ak_writer *w, const unsigned char *data, const size_t *ends,
			     size_t n, struct ak_error *err)
{
	size_t i = 0, start = 0;
	int rc;

	w->block.len = w->mark;
	while (i < n) {
		/* the records up to the one that fills the block go in with one copy */
		size_t room = w->block_size > w->block.len ? w->block_size - w->block.len : 0;
		size_t k = i;

		while (k + 1 < n && ends[k] - start < room)
			k++;
		if ((rc = ak_buf_append(&w->block, data + start, ends[k] - start, err)) != AK_OK)
			return rc;
		w->mark = w->block.len;
		w->count += (int64_t)(k + 1 - i);
		w->total += (uint64_t)(k + 1 - i);
		if (w->block.len >= w->block_size && (rc = flush_block(w, err)) != AK_OK)
			return rc;
		start = ends[k];
		i = k + 1;
	}
	return AK_OK;
}

void ak_writer_rollback(struct ak_writer *w)
{
	w->block.len = w->mark;
}

/* A block count a reader would take: not negative, and bytes to go with the records. */
static int check_block_args(const void *data, size_t len, int64_t count, struct ak_error *err)
{
	if (count < 0 || (!data && len))
		return ak_fail(err, AK_E_ARG, "a block of %" PRId64 " records in %zu bytes%s", count,
			       len, data || !len ? "" : " at NULL");
	return AK_OK;
}

/* A block as stored (@compressed) or to compress, after the records written so far. */
static int append_block(struct ak_writer *w, const void *data, size_t len, int64_t count,
			int compressed, struct ak_error *err)
{
	int rc;

	if (!w)
		return ak_fail(err, AK_E_ARG, "no writer");
	if ((rc = check_block_args(data, len, count, err)) != AK_OK ||
	    (rc = ak_writer_ext_check(w, err)) != AK_OK)
		return rc;
	w->block.len = w->mark;
	if ((rc = flush_block(w, err)) != AK_OK)
		return rc;
	if (w->pipe && (rc = emit_done(w, 1, err)) != AK_OK)
		return rc;
	w->total += (uint64_t)count;
	return write_block(w, data, len, count, compressed, err);
}

int ak_writer_append_block(struct ak_writer *w, const void *data, size_t len,
			   int64_t count, struct ak_error *err)
{
	return append_block(w, data, len, count, 0, err);
}

int ak_writer_append_compressed(struct ak_writer *w, const void *data, size_t len,
				int64_t count, struct ak_error *err)
{
	return append_block(w, data, len, count, 1, err);
}

int ak_writer_end_block(struct ak_writer *w, struct ak_error *err)
{
	int rc;

	w->block.len = w->mark;
	if ((rc = flush_block(w, err)) != AK_OK)
		return rc;
	return w->pipe ? emit_done(w, 1, err) : AK_OK;
}

int ak_writer_close(struct ak_writer *w, struct ak_error *err)
{
	int rc;

	w->block.len = w->mark;
	if ((rc = flush_block(w, err)) != AK_OK)
		return rc;
	return w->pipe ? emit_done(w, 1, err) : AK_OK;
}

uint64_t ak_writer_count(const struct ak_writer *w)
{
	return w->total;
}

AK_API size_t ak_writer_block_bytes(const struct ak_writer *w)
{
	return w ? w->block.len : 0;
}

void ak_writer_free(struct ak_writer *w)
{
	if (!w)
		return;
	ak_writer_ext_free(w);
	ak_pipeline_free(w->pipe);
	for (unsigned i = 0; w->jobs && i < w->njobs; i++) {
		ak_buf_release(&w->jobs[i].raw);
		ak_buf_release(&w->jobs[i].packed);
	}
	free(w->jobs);
	if (w->cctx)
		w->codec->ctx_free(w->cctx);
	ak_buf_release(&w->block);
	ak_buf_release(&w->packed);
	ak_buf_release(&w->head);
	free(w);
}
