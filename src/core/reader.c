/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading container files through the public API (avrokit.h): opening a path, a descriptor,
 * memory or callbacks; records one at a time into a visitor, a value tree or JSON; whole
 * files to JSON with blocks decoded on threads. The format itself (header, blocks, sync
 * markers) is container.c's; this file adds the record cursor and the threads.
 *
 * Threads: with opts.threads > 1, blocks are read as stored on the caller's thread and
 * decompressed on worker threads ahead of the records being read (the pipeline, pipeline.h);
 * ak_reader_to_json() also decodes them there. Records are always handed out in file order.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_impl.h"
#include "decode.h"
#include "value.h"

/* A block on its way through the pipeline. */
struct rjob {
	struct ak_block blk;
	struct ak_buf raw, inflated, out;
	const unsigned char *data; /* the decompressed records */
	size_t size;
	int64_t done;              /* records decoded into out (JSON) */
	const unsigned char *rest; /* where the records after those start */
	int rc;
	struct ak_error err;
};

struct job_ctx {
	struct ak_reader *r;
	uint64_t max;              /* records per block to decode (JSON jobs) */
};

struct ak_reader_ext {
	struct ak_reader_opts opts;
	struct ak_limits lim;
	int fd, close_fd;
	struct ak_mem_source mem;
	struct ak_source src;
	struct ak_plan *plan;
	struct ak_json_writer jw;
	struct ak_value_builder vb;
	struct ak_buf json;
	/* the block records are read from */
	struct ak_block blk;
	const unsigned char *p, *end;
	int64_t left;              /* records not read yet */
	int in_block;
	int sticky;                /* an error ends the reading: later calls repeat it */
	struct ak_error serr;
	/* blocks in flight (threads) */
	struct ak_pipeline *pipe;
	struct rjob *jobs;
	unsigned njobs;
	struct rjob *cur;          /* the job whose records are being read */
	int json_jobs;             /* the jobs decode to JSON too */
	struct job_ctx jc;         /* the jobs' context */
	int raw_done;              /* no more blocks to hand in: raw_rc says why */
	int raw_rc;
	struct ak_error raw_err;
};

AK_API void ak_reader_opts_init(struct ak_reader_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_header = AK_DEFAULT_MAX_HEADER;
	o->max_block = AK_DEFAULT_MAX_BLOCK;
	o->max_depth = AK_DATA_MAX_DEPTH;
	o->threads = 1;
	o->schema_flags = AK_SCHEMA_LENIENT;
}

static void free_jobs(struct ak_reader_ext *x)
{
	ak_pipeline_free(x->pipe);
	x->pipe = NULL;
	for (unsigned i = 0; x->jobs && i < x->njobs; i++) {
		ak_buf_release(&x->jobs[i].raw);
		ak_buf_release(&x->jobs[i].inflated);
		ak_buf_release(&x->jobs[i].out);
	}
	free(x->jobs);
	x->jobs = NULL;
	x->njobs = 0;
	x->cur = NULL;
}

void ak_reader_ext_release(struct ak_reader_ext *x)
{
	if (!x)
		return;
	free_jobs(x);
	ak_plan_free(x->plan);
	ak_json_writer_release(&x->jw);
	ak_value_builder_release(&x->vb);
	ak_buf_release(&x->json);
	if (x->close_fd && x->fd >= 0)
		close(x->fd);
	free(x);
}

static struct ak_reader_ext *ext_new(const struct ak_reader_opts *o, struct ak_error *err)
{
	struct ak_reader_ext *x = calloc(1, sizeof(*x));

	if (!x) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	if (o)
		x->opts = *o;
	else
		ak_reader_opts_init(&x->opts);
	ak_limits_default(&x->lim);
	if (x->opts.max_header)
		x->lim.max_header = x->opts.max_header;
	if (x->opts.max_block)
		x->lim.max_block = x->lim.max_inflated = x->opts.max_block;
	if (!x->opts.max_depth)
		x->opts.max_depth = AK_DATA_MAX_DEPTH;
	x->fd = -1;
	ak_value_builder_reset(&x->vb);
	return x;
}

static int ensure_plan(struct ak_reader *r, struct ak_error *err);

static struct ak_reader *open_with(struct ak_reader_ext *x, struct ak_error *err)
{
	struct ak_reader *r = ak_reader_open_ext(&x->src, &x->lim, x->opts.schema_flags, x, err);

	if (!r)
		return NULL;
	x->jw.flags = x->opts.json_flags;
	x->jw.max_depth = x->opts.max_depth;
	/* a reader schema that cannot read the file's is an error of the open */
	if (x->opts.reader_schema && ensure_plan(r, err) != AK_OK) {
		ak_reader_free(r);
		return NULL;
	}
	return r;
}

AK_API struct ak_reader *ak_reader_open_fd(int fd, const struct ak_reader_opts *o,
					   struct ak_error *err)
{
	struct ak_reader_ext *x = ext_new(o, err);

	if (!x)
		return NULL;
	x->fd = fd;
	if (ak_fd_source_init(&x->src, &x->fd, err) != AK_OK) {
		ak_reader_ext_release(x);
		return NULL;
	}
	return open_with(x, err);
}

AK_API struct ak_reader *ak_reader_open_path(const char *path, const struct ak_reader_opts *o,
					     struct ak_error *err)
{
	struct ak_reader_ext *x;

	if (!path) {
		ak_fail(err, AK_E_ARG, "no path");
		return NULL;
	}
	if (!(x = ext_new(o, err)))
		return NULL;
	if ((x->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ak_fail_errno(err, errno, "cannot open %s", path);
		ak_reader_ext_release(x);
		return NULL;
	}
	x->close_fd = 1;
	if (ak_fd_source_init(&x->src, &x->fd, err) != AK_OK) {
		ak_reader_ext_release(x);
		return NULL;
	}
	return open_with(x, err);
}

AK_API struct ak_reader *ak_reader_open_memory(const void *data, size_t len,
					       const struct ak_reader_opts *o,
					       struct ak_error *err)
{
	struct ak_reader_ext *x;

	if (!data && len) {
		ak_fail(err, AK_E_ARG, "no data");
		return NULL;
	}
	if (!(x = ext_new(o, err)))
		return NULL;
	ak_mem_source_init(&x->src, &x->mem, data ? data : "", len);
	return open_with(x, err);
}

AK_API struct ak_reader *ak_reader_open_callbacks(ak_read_fn read, ak_skip_fn skip, void *ctx,
						  const struct ak_reader_opts *o,
						  struct ak_error *err)
{
	struct ak_reader_ext *x;

	if (!read) {
		ak_fail(err, AK_E_ARG, "no read callback");
		return NULL;
	}
	if (!(x = ext_new(o, err)))
		return NULL;
	x->src.read = read;
	x->src.skip = skip;
	x->src.ctx = ctx;
	return open_with(x, err);
}

AK_API const char *ak_reader_codec(const struct ak_reader *r)
{
	return ak_reader_codec_ops(r)->name;
}

AK_API const char *ak_reader_meta_key(const struct ak_reader *r, size_t i)
{
	const struct ak_meta_entry *e = i < ak_reader_meta_count(r) ? ak_reader_meta(r, i) : NULL;

	return e ? e->key : NULL;
}

AK_API const void *ak_reader_meta_value(const struct ak_reader *r, size_t i, size_t *len)
{
	const struct ak_meta_entry *e = i < ak_reader_meta_count(r) ? ak_reader_meta(r, i) : NULL;

	if (len)
		*len = e ? e->value_len : 0;
	return e ? e->value : NULL;
}

AK_API const void *ak_reader_meta_get(const struct ak_reader *r, const char *key, size_t *len)
{
	const struct ak_meta_entry *e = key ? ak_reader_meta_find(r, key) : NULL;

	if (len)
		*len = e ? e->value_len : 0;
	return e ? e->value : NULL;
}

/* ---- the pipeline's jobs ---- */

static void block_error(struct ak_error *err, const struct ak_block *blk, int rc)
{
	if (rc == AK_E_LIMIT && err)
		err->flags |= AK_ERROR_LIMIT_BLOCK;
	ak_error_at_block(err, blk->index, blk->offset);
}

/* Decode up to @max records of @j's block as JSON lines into j->out. */
static int json_records(struct ak_json_writer *w, struct rjob *j, uint64_t max)
{
	const unsigned char *p = j->data, *end = j->data + j->size;
	int rc;

	j->done = 0;
	j->out.len = 0;
	if ((rc = ak_decode_check_count(w->plan, j->blk.count, j->size, &j->err)) != AK_OK)
		return rc;
	for (int64_t i = 0; i < j->blk.count && (uint64_t)i < max; i++) {
		size_t mark = j->out.len;

		if ((rc = ak_datum_json(w, &p, end, &j->out, &j->err)) != AK_OK ||
		    (rc = ak_buf_reserve(&j->out, 1, &j->err)) != AK_OK) {
			j->out.len = mark;
			ak_error_at_record(&j->err, (uint64_t)i);
			return rc;
		}
		j->out.data[j->out.len++] = '\n';
		j->done++;
	}
	j->rest = p;
	if ((uint64_t)j->blk.count <= max && p != end)
		return ak_fail(&j->err, AK_E_FORMAT, "%zu bytes left over after its %" PRId64
			       " records", (size_t)(end - p), j->blk.count);
	return AK_OK;
}


static void *job_worker_new(void *ctx)
{
	struct job_ctx *jc = ctx;
	struct ak_json_writer *w = calloc(1, sizeof(*w));

	if (w) {
		w->plan = jc->r->ext->plan;
		w->flags = jc->r->ext->opts.json_flags;
		w->max_depth = jc->r->ext->opts.max_depth;
	}
	return w;
}

static void job_worker_free(void *ctx, void *ws)
{
	(void)ctx;
	if (ws) {
		ak_json_writer_release(ws);
		free(ws);
	}
}

static void run_job(void *ctx, void *ws, void *job)
{
	struct job_ctx *jc = ctx;
	struct ak_reader *r = jc->r;
	const struct ak_codec *codec = ak_reader_codec_ops(r);
	struct rjob *j = job;

	ak_error_clear(&j->err);
	j->rc = AK_OK;
	j->done = 0;
	j->out.len = 0;
	j->data = j->raw.data ? j->raw.data : (const unsigned char *)"";
	j->size = j->raw.len;
	if (strcmp(codec->name, "null") != 0) {
		j->rc = codec->decompress(j->raw.data, j->raw.len, &j->inflated,
					  r->ext->lim.max_inflated, &j->err);
		j->data = j->inflated.data ? j->inflated.data : (const unsigned char *)"";
		j->size = j->inflated.len;
	}
	if (j->rc == AK_OK && r->ext->json_jobs) {
		if (!ws)
			j->rc = ak_fail(&j->err, AK_E_NOMEM, "out of memory");
		else
			j->rc = json_records(ws, j, jc->max);
	}
	if (j->rc != AK_OK)
		block_error(&j->err, &j->blk, j->rc);
}

static const struct ak_pipeline_ops job_ops = { run_job, job_worker_new, job_worker_free };

static int start_jobs(struct ak_reader *r, unsigned threads, int json, struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;
	void *ptrs[2 * 256];

	if (threads > 256)
		threads = 256;
	x->njobs = threads > 1 ? 2 * threads : 1;
	if (!(x->jobs = calloc(x->njobs, sizeof(*x->jobs))))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < x->njobs; i++)
		ptrs[i] = &x->jobs[i];
	x->json_jobs = json;
	x->raw_done = 0;
	x->jc.r = r;
	if (!(x->pipe = ak_pipeline_new(threads, ptrs, x->njobs, &job_ops, &x->jc, err))) {
		free_jobs(x);
		return err && err->code ? err->code : AK_E_NOMEM;
	}
	return AK_OK;
}

/* Hand in blocks as stored while there are free jobs. The reader's buffer and the job's are
 * swapped, so nothing is copied. */
static void hand_in(struct ak_reader *r)
{
	struct ak_reader_ext *x = r->ext;
	struct rjob *j;

	while (!x->raw_done && (j = ak_pipeline_acquire(x->pipe))) {
		struct ak_block blk;
		struct ak_buf tmp;
		int rc = ak_container_next_block(r, &blk, AK_BLOCK_RAW, &x->raw_err);

		if (rc != AK_OK) {
			x->raw_done = 1;
			x->raw_rc = rc;
			break;
		}
		j->blk = blk;
		tmp = j->raw;
		j->raw = r->raw;
		r->raw = tmp;
		j->raw.len = blk.size;
		j->blk.data = NULL;
		ak_pipeline_submit(x->pipe, j);
	}
}

/*
 * The next job done, in order: AK_OK with *@out, AK_EOF, or the error reading the blocks
 * met. A job that failed is handed out too (its rc and err say why; for JSON its out holds
 * the records before the bad one); nothing is read after it.
 */
static int next_job(struct ak_reader *r, struct rjob **out, struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;
	struct rjob *j;

	hand_in(r);
	if (!(j = ak_pipeline_oldest(x->pipe, 1))) {
		if (x->raw_rc != AK_EOF)
			ak_error_copy(err, &x->raw_err);
		return x->raw_rc;
	}
	if (j->rc != AK_OK)
		x->raw_done = 1; /* nothing after a bad block */
	*out = j;
	return AK_OK;
}

/* ---- records ---- */

static int fail_sticky(struct ak_reader_ext *x, int rc, struct ak_error *err)
{
	x->sticky = rc;
	ak_error_copy(&x->serr, err);
	return rc;
}

static int ensure_plan(struct ak_reader *r, struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;

	if (x->plan)
		return AK_OK;
	if (!(x->plan = ak_plan_for(r->schema, x->opts.reader_schema, x->opts.resolve_flags,
					 err)))
		return err && err->code ? err->code : AK_E_NOMEM;
	x->jw.plan = x->plan;
	return AK_OK;
}

/* The next block's records: on this thread, or from the threads. */
static int load_block(struct ak_reader *r, struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;
	int rc;

	if (x->cur) {
		ak_pipeline_release(x->pipe, x->cur);
		x->cur = NULL;
	}
	/* threads decompress ahead (a null codec has nothing to do there) */
	if (!x->pipe && x->opts.threads > 1 && strcmp(ak_reader_codec(r), "null") != 0 &&
	    (rc = start_jobs(r, x->opts.threads, 0, err)) != AK_OK)
		return rc;
	if (x->pipe) {
		struct rjob *j;

		if ((rc = next_job(r, &j, err)) != AK_OK)
			return rc;
		if (j->rc != AK_OK) {
			rc = j->rc;
			ak_error_copy(err, &j->err);
			ak_pipeline_release(x->pipe, j);
			return rc;
		}
		x->cur = j;
		x->blk = j->blk;
		x->p = j->data;
		x->end = j->data + j->size;
	} else {
		if ((rc = ak_container_next_block(r, &x->blk, 0, err)) != AK_OK)
			return rc;
		x->p = x->blk.data ? x->blk.data : (const unsigned char *)"";
		x->end = x->p + x->blk.size;
	}
	if ((rc = ak_decode_check_count(x->plan, x->blk.count, (size_t)(x->end - x->p), err)) !=
	    AK_OK) {
		ak_error_at_block(err, x->blk.index, x->blk.offset);
		return rc;
	}
	x->left = x->blk.count;
	x->in_block = 1;
	return AK_OK;
}

AK_API uint64_t ak_reader_records_left(const struct ak_reader *r)
{
	return r && r->ext && r->ext->left > 0 ? (uint64_t)r->ext->left : 0;
}

AK_API int ak_reader_prepare(struct ak_reader *r, struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;
	int rc;

	if (!x)
		return ak_fail(err, AK_E_ARG, "this reader was not opened through avrokit.h");
	if (x->sticky) {
		ak_error_copy(err, &x->serr);
		return x->sticky;
	}
	if ((rc = ensure_plan(r, err)) != AK_OK)
		return fail_sticky(x, rc, err);
	while (x->left == 0) {
		if (x->in_block && x->p != x->end) {
			rc = ak_fail(err, AK_E_FORMAT, "%zu bytes left over after its %" PRId64
				     " records", (size_t)(x->end - x->p), x->blk.count);
			ak_error_at_block(err, x->blk.index, x->blk.offset);
			return fail_sticky(x, rc, err);
		}
		x->in_block = 0;
		if ((rc = load_block(r, err)) != AK_OK)
			return rc == AK_EOF ? AK_EOF : fail_sticky(x, rc, err);
	}
	return AK_OK;
}

/* After a record: its error gets the block and record, and ends the reading. */
static int record_done(struct ak_reader *r, int rc, struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;

	if (rc == AK_OK) {
		x->left--;
		return AK_OK;
	}
	ak_error_at_block(err, x->blk.index, x->blk.offset);
	ak_error_at_record(err, (uint64_t)(x->blk.count - x->left));
	return fail_sticky(x, rc, err);
}

AK_API int ak_reader_read(struct ak_reader *r, const struct ak_visitor *v, void *ctx,
			  struct ak_error *err)
{
	int rc = ak_reader_prepare(r, err);

	if (rc != AK_OK)
		return rc;
	rc = ak_datum_visit(r->ext->plan, &r->ext->p, r->ext->end, v, ctx, r->ext->opts.max_depth,
			    err);
	return record_done(r, rc, err);
}

AK_API int ak_reader_read_value(struct ak_reader *r, const struct ak_value **out,
				struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;
	int rc;

	*out = NULL;
	if ((rc = ak_reader_prepare(r, err)) != AK_OK)
		return rc;
	ak_value_builder_reset(&x->vb);
	rc = ak_datum_visit(x->plan, &x->p, x->end, &ak_value_visitor, &x->vb, x->opts.max_depth,
			    err);
	if (rc == AK_E_NOMEM)
		ak_fail(err, AK_E_NOMEM, "out of memory");
	if ((rc = record_done(r, rc, err)) == AK_OK)
		*out = ak_value_builder_root(&x->vb);
	return rc;
}

AK_API int ak_reader_read_json(struct ak_reader *r, ak_write_fn write, void *wctx,
			       struct ak_error *err)
{
	struct ak_reader_ext *x = r->ext;
	int rc;

	if ((rc = ak_reader_prepare(r, err)) != AK_OK)
		return rc;
	x->json.len = 0;
	rc = ak_datum_json(&x->jw, &x->p, x->end, &x->json, err);
	if ((rc = record_done(r, rc, err)) != AK_OK)
		return rc;
	if (write && write(wctx, x->json.data ? x->json.data : (void *)"", x->json.len) != 0)
		return ak_fail_write(err, errno);
	return AK_OK;
}

/* ---- whole files to JSON ---- */

/* Threads start once this many bytes of blocks (as stored) are done: before that the caller's
 * thread decodes, since on a small file starting threads costs more than they save (10,000
 * short records: 4.4 ms with threads from the start, 3.5 ms without). */
#define THREADS_AFTER_BYTES ((uint64_t)1 << 20)

struct json_run {
	ak_write_fn write;
	void *wctx;
	ak_progress_fn progress;
	void *pctx;
	uint64_t records, bytes;
};

static int emit(struct json_run *jr, const struct ak_buf *out, int64_t records,
		uint64_t bytes, struct ak_error *err)
{
	if (out->len && jr->write(jr->wctx, out->data, out->len) != 0)
		return ak_fail_write(err, errno);
	jr->records += (uint64_t)records;
	jr->bytes += bytes;
	if (jr->progress && jr->progress(jr->pctx, jr->records, jr->bytes) != 0)
		return ak_fail(err, AK_E_CALLBACK, "stopped by the progress callback");
	return AK_OK;
}

AK_API int ak_reader_to_json(struct ak_reader *r, uint64_t limit, ak_write_fn write,
			     void *wctx, ak_progress_fn progress, void *pctx,
			     struct ak_error *err)
{
	struct ak_reader_ext *x = r ? r->ext : NULL;
	struct json_run jr = { write, wctx, progress, pctx, 0, 0 };
	unsigned threads;
	int rc, staged;

	if (!x || !write)
		return ak_fail(err, AK_E_ARG, "no reader or no write callback");
	threads = x->opts.threads;
	if (x->sticky) {
		ak_error_copy(err, &x->serr);
		return x->sticky;
	}
	if ((rc = ensure_plan(r, err)) != AK_OK)
		return fail_sticky(x, rc, err);
	/* with a limit, record by record (on this thread): the records after the limit stay
	 * where they are for the calls that come next */
	if (limit != AK_NO_POS) {
		uint64_t done = 0;

		while (done < limit) {
			if ((rc = ak_reader_read_json(r, write, wctx, err)) == AK_EOF)
				break;
			if (rc != AK_OK)
				return rc;
			if (write(wctx, "\n", 1) != 0)
				return ak_fail_write(err, errno);
			done++;
			if (x->left == 0 && progress) {
				jr.records = done;
				jr.bytes += x->blk.stored_size;
				if (progress(pctx, jr.records, jr.bytes) != 0)
					return ak_fail(err, AK_E_CALLBACK,
						       "stopped by the progress callback");
			}
		}
		/* the last count, also when the limit came inside a block */
		if (progress && progress(pctx, done, jr.bytes) != 0)
			return ak_fail(err, AK_E_CALLBACK, "stopped by the progress callback");
		return rc == AK_EOF ? AK_OK : AK_EOF;
	}
	/* first the records of blocks already loaded for record reads, one by one */
	while (x->left > 0 || (x->pipe && ak_pipeline_in_flight(x->pipe) > (x->cur ? 1u : 0u))) {
		if ((rc = ak_reader_read_json(r, write, wctx, err)) == AK_EOF)
			return AK_OK;
		if (rc != AK_OK)
			return rc;
		if (write(wctx, "\n", 1) != 0)
			return ak_fail_write(err, errno);
		jr.records++;
	}
	if (x->in_block && x->p != x->end && (rc = ak_reader_prepare(r, err)) != AK_OK)
		return rc; /* bytes left over in the last block read */
	free_jobs(x);
	x->in_block = 0;
	/* the rest in the pipeline: on this thread for the first MiB, then on the threads */
	staged = threads > 1;
	x->jc.max = UINT64_MAX;
	if ((rc = start_jobs(r, 0, 1, err)) != AK_OK)
		return fail_sticky(x, rc, err);
	for (;;) {
		struct rjob *j;

		if ((rc = next_job(r, &j, err)) != AK_OK) {
			if (rc == AK_EOF)
				rc = AK_OK;
			break;
		}
		/* the good records first, then the error */
		if ((rc = emit(&jr, &j->out, j->done, j->blk.stored_size, err)) == AK_OK &&
		    j->rc != AK_OK) {
			ak_error_copy(err, &j->err);
			rc = j->rc;
		}
		ak_pipeline_release(x->pipe, j);
		if (rc != AK_OK)
			break;
		if (staged && jr.bytes >= THREADS_AFTER_BYTES && !x->raw_done &&
		    !ak_pipeline_in_flight(x->pipe)) {
			staged = 0;
			free_jobs(x);
			if ((rc = start_jobs(r, threads, 1, err)) != AK_OK)
				break;
		}
	}
	free_jobs(x);
	x->left = 0;
	if (rc < 0)
		return fail_sticky(x, rc, err);
	return rc;
}

AK_API int ak_reader_next_block(struct ak_reader *r, struct ak_block *blk, unsigned flags,
				struct ak_error *err)
{
	struct ak_reader_ext *x = r ? r->ext : NULL;

	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	if (x) {
		/* what is left of a block records were read from is skipped, and blocks read
		 * ahead on the threads are given back first, in order */
		x->left = 0;
		x->in_block = 0;
		if (x->pipe) {
			struct rjob *j;
			int rc;

			if (x->cur) {
				ak_pipeline_release(x->pipe, x->cur);
				x->cur = NULL;
			}
			if (ak_pipeline_in_flight(x->pipe) || !x->raw_done) {
				if ((rc = next_job(r, &j, err)) != AK_OK)
					return rc;
				if (j->rc != AK_OK) {
					rc = j->rc;
					ak_error_copy(err, &j->err);
					ak_pipeline_release(x->pipe, j);
					return rc;
				}
				x->cur = j; /* its data is borrowed until the next call */
				*blk = j->blk;
				if (flags & AK_BLOCK_SKIP_DATA) {
					blk->data = NULL;
					blk->size = 0;
				} else if (flags & AK_BLOCK_RAW) {
					blk->data = j->raw.data;
					blk->size = j->raw.len;
				} else {
					blk->data = j->data;
					blk->size = j->size;
				}
				return AK_OK;
			}
			free_jobs(x);
		}
	}
	return ak_container_next_block(r, blk, flags, err);
}
