/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing container files through the public API (avrokit.h): a path (through a temporary
 * file renamed into place when the writer finishes, so a failure never leaves half a file),
 * a descriptor or a callback; records from the writer's encoder, as encoded datums or from
 * JSON (writer_json.c). The format and the compression threads are container.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "container_impl.h"
#include "decode.h"
#include "encoder.h"
#include "writer_json.h"

struct ak_writer_ext {
	const struct ak_schema *schema;
	struct ak_writer_opts opts;
	int fd, close_fd;
	char *path, *tmp;          /* ak_writer_open_path(): the target and the file written */
	ak_write_fn write;
	void *wctx;
	struct ak_sink sink;
	struct ak_encoder *enc;    /* ak_writer_encoder(), made when first asked for */
	struct ak_plan *plan;      /* for checking datums (ak_writer_append) and JSON */
	int finished;
};

AK_API void ak_writer_opts_init(struct ak_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->codec = "null";
	o->level = -1;
	o->block_size = AK_DEFAULT_BLOCK_SIZE;
	o->threads = 1;
}

static void ext_free(struct ak_writer_ext *x, int keep_file)
{
	if (!x)
		return;
	ak_encoder_free(x->enc);
	ak_plan_free(x->plan);
	if (x->close_fd && x->fd >= 0)
		close(x->fd);
	if (x->tmp && !keep_file)
		unlink(x->tmp);
	free(x->tmp);
	free(x->path);
	free(x);
}

int ak_writer_ext_check(struct ak_writer *w, struct ak_error *err)
{
	struct ak_writer_ext *x = w->ext;

	if (!x)
		return AK_OK;
	if (x->finished)
		return ak_fail(err, AK_E_STATE, "the writer is finished");
	if (w->failed)
		return ak_writer_stopped(w, err);
	if (x->enc && !ak_encoder_idle(x->enc))
		return ak_fail(err, AK_E_STATE, "a record put into the writer's encoder is not "
			       "committed");
	return AK_OK;
}

void ak_writer_ext_free(struct ak_writer *w)
{
	ext_free(w->ext, 0);
	w->ext = NULL;
}

static int callback_write(void *ctx, const void *p, size_t n)
{
	struct ak_writer_ext *x = ctx;

	return x->write(x->wctx, p, n);
}

/* A random sync marker, as the specification asks. */
static int random_sync(unsigned char sync[AK_SYNC_SIZE], struct ak_error *err)
{
	size_t got = 0;

	while (got < AK_SYNC_SIZE) {
		ssize_t n = getrandom(sync + got, AK_SYNC_SIZE - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ak_fail_errno(err, errno, "cannot get random bytes for the sync marker");
		got += (size_t)n;
	}
	return AK_OK;
}

/* Check the options and write the header. @x is the writer's from here on, also on failure. */
static struct ak_writer *open_with(struct ak_writer_ext *x, const struct ak_schema *s,
				   const struct ak_writer_opts *o, struct ak_error *err)
{
	struct ak_writer_config cfg;
	struct ak_meta_entry *meta = NULL;
	struct ak_writer *w = NULL;
	char *json = NULL;
	const char *text;
	size_t text_len;

	memset(&cfg, 0, sizeof(cfg));
	if (!s) {
		ak_fail(err, AK_E_ARG, "no schema");
		goto fail;
	}
	x->schema = s;
	if (o)
		x->opts = *o;
	else
		ak_writer_opts_init(&x->opts);
	o = &x->opts;
	cfg.codec = ak_codec_find(o->codec ? o->codec : "null", strlen(o->codec ? o->codec : "null"));
	if (!cfg.codec || !cfg.codec->can_write) {
		ak_fail(err, AK_E_ARG, "codec \"%s\" cannot be written (choose from null, deflate, "
			"snappy, bzip2, xz, zstandard)", o->codec);
		goto fail;
	}
	if (!cfg.codec->available) {
		ak_fail(err, AK_E_UNSUPPORTED, "codec \"%s\" is not built into this library",
			cfg.codec->name);
		goto fail;
	}
	cfg.level = o->level;
	if (o->level != -1 && (o->level < cfg.codec->min_level || o->level > cfg.codec->max_level ||
			       cfg.codec->min_level == cfg.codec->max_level)) {
		if (cfg.codec->min_level == cfg.codec->max_level)
			ak_fail(err, AK_E_ARG, "codec %s takes no level", cfg.codec->name);
		else
			ak_fail(err, AK_E_ARG, "the level for %s must be from %d to %d",
				cfg.codec->name, cfg.codec->min_level, cfg.codec->max_level);
		goto fail;
	}
	cfg.block_size = o->block_size ? o->block_size : AK_DEFAULT_BLOCK_SIZE;
	cfg.threads = o->threads;
	cfg.no_header = (o->flags & AK_WRITER_NO_HEADER) != 0;
	if (o->sync)
		memcpy(cfg.sync, o->sync, AK_SYNC_SIZE);
	else if (cfg.no_header) {
		ak_fail(err, AK_E_ARG, "appending needs the file's sync marker");
		goto fail;
	} else if (random_sync(cfg.sync, err) != AK_OK) {
		goto fail;
	}
	if (o->nmeta) {
		if (!o->meta_keys || !o->meta_values || !o->meta_lens) {
			ak_fail(err, AK_E_ARG, "metadata keys, values or lengths missing");
			goto fail;
		}
		if (!(meta = calloc(o->nmeta, sizeof(*meta)))) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < o->nmeta; i++) {
			if (!o->meta_keys[i] || !o->meta_keys[i][0]) {
				ak_fail(err, AK_E_ARG, "empty metadata key");
				goto fail;
			}
			for (size_t k = 0; k < i; k++)
				if (strcmp(o->meta_keys[k], o->meta_keys[i]) == 0) {
					ak_fail(err, AK_E_ARG, "metadata key \"%s\" given twice",
						o->meta_keys[i]);
					goto fail;
				}
			meta[i].key = o->meta_keys[i];
			meta[i].value = o->meta_values[i];
			meta[i].value_len = o->meta_lens[i];
		}
		cfg.meta = meta;
		cfg.nmeta = o->nmeta;
	}
	if (o->schema_text) {
		text = o->schema_text;
		text_len = o->schema_text_len;
	} else {
		if (!(json = ak_schema_json(s, 0))) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			goto fail;
		}
		text = json;
		text_len = strlen(json);
	}
	/* options that point elsewhere are only good during this call */
	x->opts.sync = NULL;
	x->opts.meta_keys = NULL;
	x->opts.meta_values = NULL;
	x->opts.meta_lens = NULL;
	x->opts.schema_text = NULL;
	w = ak_writer_new(&x->sink, text, text_len, &cfg, err);
fail:
	free(meta);
	free(json);
	if (!w) {
		ext_free(x, 0);
		return NULL;
	}
	w->ext = x;
	return w;
}

static struct ak_writer_ext *ext_new(struct ak_error *err)
{
	struct ak_writer_ext *x = calloc(1, sizeof(*x));

	if (!x)
		ak_fail(err, AK_E_NOMEM, "out of memory");
	else
		x->fd = -1;
	return x;
}

AK_API struct ak_writer *ak_writer_open_fd(int fd, const struct ak_schema *s,
					   const struct ak_writer_opts *o, struct ak_error *err)
{
	struct ak_writer_ext *x = ext_new(err);

	if (!x)
		return NULL;
	x->fd = fd;
	ak_fd_sink_init(&x->sink, &x->fd);
	return open_with(x, s, o, err);
}

AK_API struct ak_writer *ak_writer_open_callbacks(ak_write_fn write, void *ctx,
						  const struct ak_schema *s,
						  const struct ak_writer_opts *o,
						  struct ak_error *err)
{
	struct ak_writer_ext *x;

	if (!write) {
		ak_fail(err, AK_E_ARG, "no write callback");
		return NULL;
	}
	if (!(x = ext_new(err)))
		return NULL;
	x->write = write;
	x->wctx = ctx;
	x->sink.write = callback_write;
	x->sink.ctx = x;
	return open_with(x, s, o, err);
}

AK_API struct ak_writer *ak_writer_open_path(const char *path, const struct ak_schema *s,
					     const struct ak_writer_opts *o, struct ak_error *err)
{
	struct ak_writer_ext *x;
	const char *slash;
	size_t dirlen, n;

	if (!path || !path[0]) {
		ak_fail(err, AK_E_ARG, "no path");
		return NULL;
	}
	if (!(x = ext_new(err)))
		return NULL;
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	n = strlen(path) + 32;
	if (!(x->path = strdup(path)) || !(x->tmp = malloc(n))) {
		ext_free(x, 0);
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	/* a new name beside the target, created exclusively; the mode follows the umask as
	 * for any new file */
	for (int tries = 0; x->fd < 0; tries++) {
		unsigned char rnd[AK_SYNC_SIZE];

		if (random_sync(rnd, err) != AK_OK)
			break;
		snprintf(x->tmp, n, "%.*s.%s.%02x%02x%02x%02x%02x%02x.tmp", (int)dirlen, path,
			 path + dirlen, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
		x->fd = open(x->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (x->fd < 0 && (errno != EEXIST || tries == 100)) {
			ak_fail_errno(err, errno, "cannot create a file beside %s", path);
			break;
		}
	}
	if (x->fd < 0) {
		free(x->tmp);
		x->tmp = NULL;
		ext_free(x, 0);
		return NULL;
	}
	x->close_fd = 1;
	ak_fd_sink_init(&x->sink, &x->fd);
	return open_with(x, s, o, err);
}

/* ---- records ---- */

AK_API struct ak_encoder *ak_writer_encoder(struct ak_writer *w)
{
	struct ak_writer_ext *x = w ? w->ext : NULL;

	if (!x)
		return NULL;
	if (!x->enc) {
		struct ak_encoder_opts eo;

		ak_encoder_opts_init(&eo);
		x->enc = ak_encoder_new_into(x->schema, &eo, ak_writer_buf(w), NULL);
	}
	return x->enc;
}

AK_API int ak_writer_commit(struct ak_writer *w, struct ak_error *err)
{
	struct ak_writer_ext *x = w ? w->ext : NULL;
	int rc;

	if (!x)
		return ak_fail(err, AK_E_ARG, "no writer");
	if (x->finished)
		return ak_fail(err, AK_E_STATE, "the writer is finished");
	if (w->failed)
		return ak_writer_stopped(w, err);
	if (!x->enc)
		return ak_fail(err, AK_E_STATE, "no record was put");
	rc = ak_encoder_check(x->enc, err);
	if (rc == AK_OK && ak_encoder_count(x->enc) != 1)
		rc = ak_fail(err, AK_E_STATE, "%zu values were put since the last commit, not one "
			     "record", ak_encoder_count(x->enc));
	ak_encoder_restart(x->enc);
	if (rc != AK_OK) {
		ak_writer_rollback(w);
		ak_error_at_record(err, ak_writer_count(w));
		return rc;
	}
	return ak_writer_end_record(w, err);
}

static int ensure_plan(struct ak_writer *w, struct ak_error *err)
{
	struct ak_writer_ext *x = w->ext;

	if (!x->plan && !(x->plan = ak_plan_new(x->schema, err)))
		return err && err->code ? err->code : AK_E_NOMEM;
	return AK_OK;
}

AK_API int ak_writer_append(struct ak_writer *w, const void *datum, size_t len,
			    struct ak_error *err)
{
	const unsigned char *p = datum, *end = p + len;
	int rc;

	if (!w || !w->ext || (!datum && len))
		return ak_fail(err, AK_E_ARG, "no writer, or no datum");
	if ((rc = ak_writer_ext_check(w, err)) != AK_OK)
		return rc;
	if ((rc = ensure_plan(w, err)) != AK_OK)
		return rc;
	if (!p)
		p = end = (const unsigned char *)"";
	if ((rc = ak_datum_skip(w->ext->plan, &p, end, 0, err)) != AK_OK)
		return rc;
	if (p != end)
		return ak_fail(err, AK_E_FORMAT, "%zu bytes after the datum", (size_t)(end - p));
	ak_writer_rollback(w);
	if ((rc = ak_buf_append(ak_writer_buf(w), datum, len, err)) != AK_OK)
		return rc;
	return ak_writer_end_record(w, err);
}

AK_API int ak_writer_write_json(struct ak_writer *w, ak_read_fn read, void *ctx,
				unsigned json_flags, ak_progress_fn progress, void *pctx,
				struct ak_error *err)
{
	struct ak_source src = { read, NULL, ctx };
	int rc;

	if (!w || !w->ext || !read)
		return ak_fail(err, AK_E_ARG, "no writer, or no read callback");
	if ((rc = ak_writer_ext_check(w, err)) != AK_OK)
		return rc;
	if ((rc = ensure_plan(w, err)) != AK_OK)
		return rc;
	ak_writer_rollback(w);
	return ak_json_to_writer(w, w->ext->plan, &src, json_flags, w->ext->opts.threads, progress,
				 pctx, err);
}

AK_API int ak_writer_flush(struct ak_writer *w, struct ak_error *err)
{
	int rc;

	if (!w || !w->ext)
		return ak_fail(err, AK_E_ARG, "no writer");
	if ((rc = ak_writer_ext_check(w, err)) != AK_OK)
		return rc;
	return ak_writer_end_block(w, err);
}

AK_API int ak_writer_finish(struct ak_writer *w, struct ak_error *err)
{
	struct ak_writer_ext *x = w ? w->ext : NULL;
	int rc;

	if (!x)
		return ak_fail(err, AK_E_ARG, "no writer");
	if (x->finished)
		return ak_fail(err, AK_E_STATE, "the writer is finished already");
	x->finished = 1;
	if (w->failed) /* a file named by path is not made: ak_writer_free() removes it */
		return ak_writer_stopped(w, err);
	if ((rc = ak_writer_close(w, err)) != AK_OK)
		return rc;
	if (x->tmp) {
		if (fsync(x->fd) != 0 || close(x->fd) != 0) {
			x->fd = -1;
			return ak_fail_errno(err, errno, "%s", x->path);
		}
		x->fd = -1;
		if (rename(x->tmp, x->path) != 0)
			return ak_fail_errno(err, errno, "cannot rename to %s", x->path);
		free(x->tmp);
		x->tmp = NULL;
	}
	return AK_OK;
}
