/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schemaless datums (avrokit.h's ak_decoder): a plan compiled once for a writer schema (and a
 * reader schema), then any number of datums decoded from byte buffers into a visitor, a value
 * tree or JSON text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "value.h"

struct ak_decoder {
	struct ak_plan *plan;
	struct ak_decoder_opts opts;
	struct ak_json_writer jw;
	struct ak_value_builder vb;
	struct ak_buf json;
};

AK_API void ak_decoder_opts_init(struct ak_decoder_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_depth = AK_DATA_MAX_DEPTH;
}

struct ak_plan *ak_plan_for(const struct ak_schema *writer, const struct ak_schema *reader,
			    unsigned resolve_flags, struct ak_error *err)
{
	struct ak_plan *p;

	if (!reader)
		return ak_plan_new(writer, err);
	if (resolve_flags & AK_RESOLVE_LAZY)
		return ak_plan_resolve_lazy(writer, reader, err);
	p = ak_plan_resolve(writer, reader, NULL, err);
	if (!p && err && err->code == AK_E_SCHEMA) {
		ak_error_prefix(err, "cannot read with the reader schema");
		err->flags |= AK_ERROR_READER_SCHEMA;
	}
	return p;
}

AK_API struct ak_decoder *ak_decoder_new(const struct ak_schema *writer,
					 const struct ak_decoder_opts *o, struct ak_error *err)
{
	struct ak_decoder *d;

	if (!writer) {
		ak_fail(err, AK_E_ARG, "no writer schema");
		return NULL;
	}
	if (!(d = calloc(1, sizeof(*d)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	if (o)
		d->opts = *o;
	else
		ak_decoder_opts_init(&d->opts);
	if (!(d->plan = ak_plan_for(writer, d->opts.reader, d->opts.resolve_flags, err))) {
		free(d);
		return NULL;
	}
	d->jw.plan = d->plan;
	d->jw.flags = d->opts.json_flags;
	d->jw.max_depth = d->opts.max_depth;
	ak_value_builder_reset(&d->vb);
	return d;
}

AK_API void ak_decoder_free(struct ak_decoder *d)
{
	if (!d)
		return;
	ak_json_writer_release(&d->jw);
	ak_value_builder_release(&d->vb);
	ak_buf_release(&d->json);
	ak_plan_free(d->plan);
	free(d);
}

static int done(const unsigned char *start, const unsigned char *p, size_t *used, int rc)
{
	if (used)
		*used = rc == AK_OK ? (size_t)(p - start) : 0;
	return rc;
}

static int check_args(struct ak_decoder *d, const void *data, size_t len, struct ak_error *err)
{
	if (!d || (!data && len))
		return ak_fail(err, AK_E_ARG, "no decoder or no data");
	return AK_OK;
}

AK_API int ak_decode(struct ak_decoder *d, const void *data, size_t len, size_t *used,
		     const struct ak_visitor *v, void *ctx, struct ak_error *err)
{
	const unsigned char *p = data ? data : (const void *)"", *start = p;
	int rc;

	if ((rc = check_args(d, data, len, err)) != AK_OK)
		return done(start, p, used, rc);
	rc = ak_datum_visit(d->plan, &p, start + len, v, ctx, d->opts.max_depth, err);
	return done(start, p, used, rc);
}

AK_API int ak_decode_value(struct ak_decoder *d, const void *data, size_t len, size_t *used,
			   const struct ak_value **out, struct ak_error *err)
{
	const unsigned char *p = data ? data : (const void *)"", *start = p;
	int rc;

	*out = NULL;
	if ((rc = check_args(d, data, len, err)) != AK_OK)
		return done(start, p, used, rc);
	ak_value_builder_reset(&d->vb);
	rc = ak_datum_visit(d->plan, &p, start + len, &ak_value_visitor, &d->vb, d->opts.max_depth,
			    err);
	if (rc == AK_E_NOMEM) /* from the builder */
		ak_fail(err, AK_E_NOMEM, "out of memory");
	if (rc == AK_OK)
		*out = ak_value_builder_root(&d->vb);
	return done(start, p, used, rc);
}

AK_API int ak_decode_json(struct ak_decoder *d, const void *data, size_t len, size_t *used,
			  ak_write_fn write, void *wctx, struct ak_error *err)
{
	const unsigned char *p = data ? data : (const void *)"", *start = p;
	int rc;

	if ((rc = check_args(d, data, len, err)) != AK_OK)
		return done(start, p, used, rc);
	d->json.len = 0;
	rc = ak_datum_json(&d->jw, &p, start + len, &d->json, err);
	if (rc == AK_OK && write && write(wctx, d->json.data ? d->json.data : (void *)"",
					  d->json.len) != 0)
		rc = ak_fail_write(err, errno);
	return done(start, p, used, rc);
}

AK_API int ak_decode_skip(struct ak_decoder *d, const void *data, size_t len, size_t *used,
			  struct ak_error *err)
{
	const unsigned char *p = data ? data : (const void *)"", *start = p;
	int rc;

	if ((rc = check_args(d, data, len, err)) != AK_OK)
		return done(start, p, used, rc);
	rc = ak_datum_skip(d->plan, &p, start + len, d->opts.max_depth, err);
	return done(start, p, used, rc);
}
