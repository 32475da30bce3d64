/* SPDX-License-Identifier: Apache-2.0 */
/* Field defaults: the one walk that checks a default and writes it as Avro binary. */
#include "default.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "put.h"
#include "text.h"

/*
 * A float or double default that JSON cannot write as a number: Java's strings "NaN",
 * "Infinity" and "-Infinity", and, as Python's float() reads them (fastavro writes such
 * defaults), any case of "nan", "inf" and "infinity" with a sign or none. 1 for a NaN, 2 for
 * an infinity (*neg, unless NULL, set for a minus), 0 for anything else.
 */
static int special_double(const json_t *v, int *neg)
{
	const char *s = json_string_value(v);
	static const char *const names[] = { "nan", "inf", "infinity" };

	if (!s)
		return 0;
	if (neg)
		*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = 0;

		while (names[i][k] && (s[k] | 0x20) == names[i][k])
			k++;
		if (!names[i][k] && !s[k])
			return i == 0 ? 1 : 2;
	}
	return 0;
}

static double number(const json_t *v)
{
	int neg = 0, special = special_double(v, &neg);

	if (special)
		return special == 1 ? NAN : neg ? -INFINITY : INFINITY;
	return json_number_value(v);
}

/* Code points of a Latin-1 string (bytes and fixed), or SIZE_MAX when it is not one. */
static size_t latin1_count(const json_t *v)
{
	size_t n;

	if (!json_is_string(v) ||
	    ak_latin1_from_utf8((const unsigned char *)json_string_value(v),
				json_string_length(v), NULL, &n, NULL) != AK_OK)
		return SIZE_MAX;
	return n;
}

static int latin1_put(const json_t *v, struct ak_buf *out, struct ak_error *err)
{
	return ak_latin1_from_utf8((const unsigned char *)json_string_value(v),
				   json_string_length(v), out, NULL, err);
}

/*
 * Check @v against @n and, with @out, append it as binary. AK_OK when it fits, 1 when it does
 * not (@out may then hold part of it), AK_E_NOMEM. A union's branch is found by checking
 * before writing, so a value is checked once more per union around it.
 */
static int walk(const struct ak_node *n, const json_t *v, int first, struct ak_buf *out,
		unsigned depth, struct ak_error *err)
{
	size_t cnt;
	int rc;

	if (depth > AK_SCHEMA_MAX_DEPTH || !v)
		return 1;
	switch (n->type) {
	case AK_NULL:
		return json_is_null(v) ? AK_OK : 1;
	case AK_BOOLEAN: {
		unsigned char b = json_is_true(v);

		if (!json_is_boolean(v))
			return 1;
		return out ? ak_buf_append(out, &b, 1, err) : AK_OK;
	}
	case AK_INT:
	case AK_LONG:
		if (!json_is_integer(v) ||
		    (n->type == AK_INT && (json_integer_value(v) < INT32_MIN ||
					   json_integer_value(v) > INT32_MAX)))
			return 1;
		return out ? ak_buf_put_long(out, (int64_t)json_integer_value(v), err) : AK_OK;
	case AK_FLOAT:
	case AK_DOUBLE:
		if (!json_is_number(v) && !special_double(v, NULL))
			return 1;
		if (!out)
			return AK_OK;
		return n->type == AK_FLOAT ? ak_buf_put_float(out, (float)number(v), err)
					   : ak_buf_put_double(out, number(v), err);
	case AK_STRING:
		if (!json_is_string(v))
			return 1;
		if (!out)
			return AK_OK;
		if ((rc = ak_buf_put_long(out, (int64_t)json_string_length(v), err)) != AK_OK)
			return rc;
		return ak_buf_append(out, json_string_value(v), json_string_length(v), err);
	case AK_BYTES:
		if ((cnt = latin1_count(v)) == SIZE_MAX)
			return 1;
		if (!out)
			return AK_OK;
		if ((rc = ak_buf_put_long(out, (int64_t)cnt, err)) != AK_OK)
			return rc;
		return latin1_put(v, out, err);
	case AK_FIXED:
		if ((cnt = latin1_count(v)) != n->size)
			return 1;
		return out ? latin1_put(v, out, err) : AK_OK;
	case AK_ENUM:
		if (!json_is_string(v))
			return 1;
		for (size_t i = 0; i < n->nsymbols; i++)
			if (strcmp(n->symbols[i], json_string_value(v)) == 0)
				return out ? ak_buf_put_long(out, (int64_t)i, err) : AK_OK;
		return 1;
	case AK_ARRAY:
		if (!json_is_array(v))
			return 1;
		if (out && json_array_size(v) &&
		    (rc = ak_buf_put_long(out, (int64_t)json_array_size(v), err)) != AK_OK)
			return rc;
		for (size_t i = 0; i < json_array_size(v); i++)
			if ((rc = walk(n->items, json_array_get(v, i), first, out, depth + 1, err)))
				return rc;
		return out ? ak_buf_put_long(out, 0, err) : AK_OK;
	case AK_MAP: {
		const char *k;
		json_t *e;

		if (!json_is_object(v))
			return 1;
		if (out && json_object_size(v) &&
		    (rc = ak_buf_put_long(out, (int64_t)json_object_size(v), err)) != AK_OK)
			return rc;
		json_object_foreach((json_t *)(uintptr_t)v, k, e) {
			size_t start = out ? out->len : 0;

			/* the key's real bytes (it may hold U+0000), then its length in front */
			if (out && ((rc = ak_schema_key_append(out, k, err)) != AK_OK ||
				    (rc = ak_buf_insert_long(out, start,
							     (int64_t)(out->len - start),
							     err)) != AK_OK))
				return rc;
			if ((rc = walk(n->items, e, first, out, depth + 1, err)))
				return rc;
		}
		return out ? ak_buf_put_long(out, 0, err) : AK_OK;
	}
	case AK_UNION:
		for (size_t i = 0; i < (first && n->nbranches ? 1 : n->nbranches); i++) {
			if (walk(n->branches[i], v, first, NULL, depth + 1, err) != AK_OK)
				continue;
			if (!out)
				return AK_OK;
			if ((rc = ak_buf_put_long(out, (int64_t)i, err)) != AK_OK)
				return rc;
			return walk(n->branches[i], v, first, out, depth + 1, err);
		}
		return 1;
	case AK_RECORD:
		if (!json_is_object(v))
			return 1;
		for (size_t i = 0; i < n->nfields; i++) {
			const struct ak_field *f = &n->fields[i];
			const json_t *fv = json_object_get(v, f->name);

			if ((rc = walk(f->type, fv ? fv : (const json_t *)f->def, first, out,
				       depth + 1, err)))
				return rc;
		}
		return AK_OK;
	}
	return 1;
}

int ak_default_fits(const struct ak_node *n, const void *json, int first)
{
	return walk(n, (const json_t *)json, first, NULL, 0, NULL) == AK_OK;
}

int ak_encode_default(const struct ak_node *n, const void *json, struct ak_buf *out,
		      struct ak_error *err)
{
	int rc = walk(n, (const json_t *)json, 0, out, 0, err);

	if (rc == 1)
		return ak_fail(err, AK_E_SCHEMA, "default does not fit type %s",
			       ak_node_branch_name(n));
	return rc;
}
