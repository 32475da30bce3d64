/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public face of schema inference and random data (avrokit.h) where infer.c and random.c
 * do not show it themselves: the option defaults, JSON text from a read callback, and the
 * visitor that turns decoded Avro values into the inferer's events (a record or map is an
 * object, a union value its branch's value, a logical type itself).
 */
#include <string.h>

#include "ak.h"

AK_API void ak_infer_opts_init(struct ak_infer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_fields = AK_INFER_MAX_FIELDS;
}

AK_API int ak_infer_read_json(struct ak_infer *inf, ak_read_fn read, void *ctx,
			      unsigned json_flags, struct ak_error *err)
{
	struct ak_error mine; /* the reader needs one to report through */
	struct ak_source src = { read, NULL, ctx };
	struct ak_json_in j;
	int rc;

	if (!inf || !read)
		return ak_fail(err, AK_E_ARG, "no inferer, or no read callback");
	if (!err)
		err = &mine;
	if ((rc = ak_json_in_init(&j, &src, err)) != AK_OK)
		return rc;
	rc = ak_infer_json_input(inf, &j, !!(json_flags & AK_JSON_ARRAY), err);
	ak_json_in_release(&j);
	return rc;
}

AK_API void ak_random_opts_init(struct ak_random_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_depth = AK_RANDOM_MAX_DEPTH;
	o->max_items = AK_RANDOM_MAX_ITEMS;
	o->max_length = AK_RANDOM_MAX_LENGTH;
}

/* ---- the visitor: @ctx is the inferer ---- */

static int v_null(void *ctx, const struct ak_node *t)
{
	(void)t;
	return ak_infer_null(ctx, NULL);
}

static int v_boolean(void *ctx, const struct ak_node *t, int v)
{
	(void)t;
	return ak_infer_boolean(ctx, v, NULL);
}

/* An int or long: its logical type when the inferer takes it, else a number. */
static int v_integer(void *ctx, const struct ak_node *t, int64_t v)
{
	enum ak_logical lt = ak_node_logical(t);

	if (lt != AK_LT_NONE && lt != AK_LT_DECIMAL && lt != AK_LT_DURATION && lt != AK_LT_UUID)
		return ak_infer_logical(ctx, lt, NULL);
	return ak_infer_long(ctx, v, NULL);
}

static int v_int(void *ctx, const struct ak_node *t, int32_t v)
{
	return v_integer(ctx, t, v);
}

static int v_long(void *ctx, const struct ak_node *t, int64_t v)
{
	return v_integer(ctx, t, v);
}

static int v_float(void *ctx, const struct ak_node *t, float v)
{
	(void)t;
	return ak_infer_double(ctx, v, NULL);
}

static int v_double(void *ctx, const struct ak_node *t, double v)
{
	(void)t;
	return ak_infer_double(ctx, v, NULL);
}

/* bytes and fixed: a decimal with its type's precision and scale, else bytes */
static int v_bytes(void *ctx, const struct ak_node *t, const void *p, size_t len)
{
	if (ak_node_logical(t) == AK_LT_DECIMAL)
		return ak_infer_decimal(ctx, (uint32_t)ak_node_precision(t),
					(uint32_t)ak_node_scale(t), NULL);
	return ak_infer_bytes(ctx, p, len, NULL);
}

static int v_string(void *ctx, const struct ak_node *t, const char *p, size_t len)
{
	if (ak_node_logical(t) == AK_LT_UUID)
		return ak_infer_logical(ctx, AK_LT_UUID, NULL);
	return ak_infer_string(ctx, p, len, NULL);
}

static int v_enum(void *ctx, const struct ak_node *t, uint32_t index)
{
	const char *sym = ak_node_symbol(t, index);

	return ak_infer_string(ctx, sym ? sym : "", sym ? strlen(sym) : 0, NULL);
}

static int v_record_begin(void *ctx, const struct ak_node *t)
{
	(void)t;
	return ak_infer_begin_object(ctx, NULL);
}

static int v_record_field(void *ctx, const struct ak_node *t, uint32_t index)
{
	const char *name = ak_node_field_name(t, index);

	return ak_infer_key(ctx, name ? name : "", name ? strlen(name) : 0, NULL);
}

static int v_object_end(void *ctx, const struct ak_node *t)
{
	(void)t;
	return ak_infer_end_object(ctx, NULL);
}

static int v_array_begin(void *ctx, const struct ak_node *t, uint64_t hint)
{
	(void)t;
	(void)hint;
	return ak_infer_begin_array(ctx, NULL);
}

static int v_array_end(void *ctx, const struct ak_node *t)
{
	(void)t;
	return ak_infer_end_array(ctx, NULL);
}

static int v_map_begin(void *ctx, const struct ak_node *t, uint64_t hint)
{
	(void)t;
	(void)hint;
	return ak_infer_begin_object(ctx, NULL);
}

static int v_map_key(void *ctx, const struct ak_node *t, const char *key, size_t len)
{
	(void)t;
	return ak_infer_key(ctx, key, len, NULL);
}

static const struct ak_visitor infer_visitor = {
	.size = sizeof(struct ak_visitor),
	.on_null = v_null,
	.on_boolean = v_boolean,
	.on_int = v_int,
	.on_long = v_long,
	.on_float = v_float,
	.on_double = v_double,
	.on_bytes = v_bytes,
	.on_string = v_string,
	.on_fixed = v_bytes,
	.on_enum = v_enum,
	.record_begin = v_record_begin,
	.record_field = v_record_field,
	.record_end = v_object_end,
	.array_begin = v_array_begin,
	.array_end = v_array_end,
	.map_begin = v_map_begin,
	.map_key = v_map_key,
	.map_end = v_object_end,
	.union_branch = NULL, /* the branch's value says all */
};

AK_API const struct ak_visitor *ak_infer_visitor(void)
{
	return &infer_visitor;
}
