/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON in and out for the IDL parser (see idl_int.h).
 *
 * In: `import schema` and `import protocol` files, read with jansson into the same model the
 * IDL parser builds, named types registered in the order Java registers them (a record before
 * the types defined inside it), names resolved later with the rest.
 *
 * Out: the protocol or schema as Java's Schema.toJson() and Protocol.toJson() write it, key
 * order included: a named type is defined where it is first written and named after that (by
 * its short name inside its own namespace), "namespace" is written only where it differs from
 * the enclosing one (and as "" for a type in the null namespace inside another), records set
 * the namespace for what they contain, and a protocol writes its types, then its messages.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idl_int.h"
#include "json_out.h"
#include "schema.h"

/* ---- reading JSON schemas and protocols ---- */

struct jctx {
	struct idl_ctx *c;
	const char *file;
	unsigned depth;
};

static int jfail(struct jctx *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int jfail(struct jctx *j, const char *fmt, ...)
{
	struct idl_loc l = { j->file, 0, 0 };
	char msg[AK_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return idl_fail(j->c, &l, "%s", msg);
}

static const char *const schema_keys[] = { "doc", "fields", "items", "name", "namespace",
					   "size", "symbols", "values", "type", "aliases", NULL };
static const char *const enum_keys[] = { "doc", "fields", "items", "name", "namespace",
					 "size", "symbols", "values", "type", "aliases",
					 "default", NULL };
static const char *const field_keys[] = { "default", "doc", "name", "order", "type",
					  "aliases", NULL };
static const char *const message_keys[] = { "doc", "response", "request", "errors",
					    "one-way", NULL };

static int listed(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* The members of @obj not named in @skip, as a new object (NULL when there are none). */
static int jprops(struct jctx *j, json_t *obj, const char *const *skip, json_t **out)
{
	const char *key;
	json_t *v;

	*out = NULL;
	json_object_foreach(obj, key, v) {
		if (listed(skip, key))
			continue;
		if (!*out) {
			*out = json_object();
			if (idl_own(j->c, *out) != AK_OK)
				return j->c->err->code;
		}
		if (json_object_set(*out, key, v) != 0)
			return ak_fail(j->c->err, AK_E_NOMEM, "out of memory");
	}
	return AK_OK;
}

/* An optional string member; AK_E_SCHEMA when it is there but not a string. */
static int jstring(struct jctx *j, json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return AK_OK;
	if (!json_is_string(v))
		return jfail(j, "\"%s\" must be a string", key);
	if (!(*out = idl_strndup(j->c, json_string_value(v), json_string_length(v))))
		return j->c->err->code;
	return AK_OK;
}

static int jaliases(struct jctx *j, json_t *obj, const char ***out, size_t *n)
{
	json_t *v = json_object_get(obj, "aliases"), *a;
	size_t i;

	*n = 0;
	if (!v)
		return AK_OK;
	if (!json_is_array(v))
		return jfail(j, "\"aliases\" must be an array of strings");
	if (!(*out = idl_alloc(j->c, (json_array_size(v) + 1) * sizeof(char *))))
		return j->c->err->code;
	json_array_foreach(v, i, a) {
		if (!json_is_string(a))
			return jfail(j, "\"aliases\" must be an array of strings");
		if (!((*out)[i] = idl_strndup(j->c, json_string_value(a), json_string_length(a))))
			return j->c->err->code;
	}
	*n = i;
	return AK_OK;
}

static struct idl_type *jnew(struct jctx *j, enum idl_kind kind)
{
	struct idl_type *t = idl_alloc(j->c, sizeof(*t));

	if (!t)
		return NULL;
	t->kind = kind;
	t->loc.file = j->file;
	if ((kind == IK_RECORD || kind == IK_ENUM || kind == IK_FIXED) &&
	    !(t->nm = idl_alloc(j->c, sizeof(*t->nm))))
		return NULL;
	if ((kind == IK_UNION && idl_vec_push(&j->c->unions, t, j->c->err) != AK_OK) ||
	    (kind == IK_REF && idl_vec_push(&j->c->refs, t, j->c->err) != AK_OK))
		return NULL;
	return t;
}

static int primitive_kind(const char *s, enum idl_kind *k)
{
	static const char *const names[] = { "null", "boolean", "int", "long", "float",
					     "double", "bytes", "string" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*k = (enum idl_kind)i;
			return 1;
		}
	}
	return 0;
}

/* "space.name" unless @name is dotted or @space is NULL. */
static const char *jfull(struct jctx *j, const char *space, const char *name)
{
	size_t a, b;
	char *s;

	if (!space || strchr(name, '.'))
		return name;
	a = strlen(space);
	b = strlen(name);
	if (!(s = idl_alloc(j->c, a + b + 2)))
		return NULL;
	memcpy(s, space, a);
	s[a] = '.';
	memcpy(s + a + 1, name, b + 1);
	return s;
}

static int jtype(struct jctx *j, json_t *v, const char *space, struct idl_type **out);

/* Name, namespace, doc, aliases and other members of a record, enum or fixed. */
static int jnamed(struct jctx *j, json_t *v, const char *space, struct idl_type *t,
		  const char *const *skip)
{
	const char *name, *ns, *dot;
	int rc;

	if ((rc = jstring(j, v, "name", &name)) != AK_OK ||
	    (rc = jstring(j, v, "namespace", &ns)) != AK_OK)
		return rc;
	if (!name)
		return jfail(j, "a named type needs a \"name\"");
	if (!ns)
		ns = space;
	if ((dot = strrchr(name, '.'))) {
		if (!(ns = idl_strndup(j->c, name, (size_t)(dot - name))))
			return j->c->err->code;
		name = dot + 1;
	}
	if (ns && !*ns)
		ns = NULL;
	if (!idl_valid_name(name) || primitive_kind(name, &t->kind))
		return jfail(j, "invalid type name '%s'", name);
	if (ns && !idl_valid_namespace(ns))
		return jfail(j, "invalid namespace '%s'", ns);
	t->nm->name = name;
	t->nm->space = ns;
	if (!(t->nm->full = jfull(j, ns, name)) ||
	    (rc = jstring(j, v, "doc", &t->nm->doc)) != AK_OK ||
	    (rc = jaliases(j, v, &t->nm->aliases, &t->nm->naliases)) != AK_OK)
		return rc ? rc : j->c->err->code;
	return jprops(j, v, skip, &t->props);
}

static int jfield(struct jctx *j, json_t *v, const char *space, struct idl_field *f)
{
	const char *order;
	json_t *def;
	int rc;

	if (!json_is_object(v))
		return jfail(j, "a field must be an object");
	if ((rc = jstring(j, v, "name", &f->name)) != AK_OK ||
	    (rc = jstring(j, v, "doc", &f->doc)) != AK_OK ||
	    (rc = jstring(j, v, "order", &order)) != AK_OK)
		return rc;
	if (!f->name || !idl_valid_name(f->name))
		return jfail(j, f->name ? "invalid field name '%s'" : "a field needs a \"name\"%s",
			     f->name ? f->name : "");
	if (!json_object_get(v, "type"))
		return jfail(j, "field '%s' has no \"type\"", f->name);
	if ((rc = jtype(j, json_object_get(v, "type"), space, &f->type)) != AK_OK)
		return rc;
	if (order) {
		if (strcasecmp(order, "ascending") == 0)
			f->order = 0;
		else if (strcasecmp(order, "descending") == 0)
			f->order = 1;
		else if (strcasecmp(order, "ignore") == 0)
			f->order = 2;
		else
			return jfail(j, "field '%s': invalid order \"%s\"", f->name, order);
	}
	f->loc.file = j->file;
	f->def_loc.file = j->file;
	if ((def = json_object_get(v, "default"))) {
		/* Java reads a string default of a float or double as a number */
		if ((f->type->kind == IK_FLOAT || f->type->kind == IK_DOUBLE) &&
		    json_is_string(def)) {
			const char *s = json_string_value(def);
			char *end;
			double d;

			if (strcmp(s, "NaN") && strcmp(s, "Infinity") && strcmp(s, "-Infinity")) {
				d = strtod(s, &end);
				if (!*s || *end || isnan(d) || isinf(d))
					return jfail(j, "field '%s': invalid default \"%s\"",
						     f->name, s);
				def = json_real(d);
				if (idl_own(j->c, def) != AK_OK)
					return j->c->err->code;
			}
		}
		f->def = def;
		if (idl_vec_push(&j->c->fields, f, j->c->err) != AK_OK)
			return j->c->err->code;
	}
	if ((rc = jaliases(j, v, &f->aliases, &f->naliases)) != AK_OK)
		return rc;
	return jprops(j, v, field_keys, &f->props);
}

/* The fields of @arr into @out (in the arena), none named twice. */
static int jfields(struct jctx *j, json_t *arr, const char *space, struct idl_field **out,
		   size_t *n)
{
	struct idl_map seen = { 0 };
	size_t i, count = json_array_size(arr);
	json_t *v;
	int rc = AK_OK;

	*n = count;
	if (!(*out = idl_alloc(j->c, (count ? count : 1) * sizeof(struct idl_field))))
		return j->c->err->code;
	json_array_foreach(arr, i, v) {
		if ((rc = jfield(j, v, space, &(*out)[i])) != AK_OK)
			break;
		if (idl_map_get(&seen, (*out)[i].name)) {
			rc = jfail(j, "field '%s' is declared twice", (*out)[i].name);
			break;
		}
		if ((rc = idl_map_put(&seen, (*out)[i].name, *out, j->c->err)) != AK_OK)
			break;
	}
	free(seen.slots);
	return rc;
}

static int jrecord(struct jctx *j, json_t *v, const char *space, int is_error,
		   struct idl_type **out)
{
	struct idl_type *t = jnew(j, IK_RECORD), *old;
	json_t *fields = json_object_get(v, "fields");
	int rc;

	if (!t)
		return j->c->err->code;
	t->nm->is_error = is_error;
	if ((rc = jnamed(j, v, space, t, schema_keys)) != AK_OK)
		return rc;
	t->kind = IK_RECORD;
	if (!json_is_array(fields))
		return jfail(j, "record '%s' has no \"fields\" array", t->nm->full);
	/* registered before its fields (Java's order); a second definition of the name is
	 * compared once it is complete */
	old = idl_map_get(&j->c->names, t->nm->full);
	if (!old && (rc = idl_register(j->c, t)) != AK_OK)
		return rc;
	if ((rc = jfields(j, fields, t->nm->space, &t->nm->fields, &t->nm->nfields)) != AK_OK)
		return rc;
	if (old && (rc = idl_register(j->c, t)) != AK_OK)
		return rc;
	*out = t;
	return AK_OK;
}

static int jenum(struct jctx *j, json_t *v, const char *space, struct idl_type **out)
{
	struct idl_type *t = jnew(j, IK_ENUM);
	json_t *syms = json_object_get(v, "symbols"), *s;
	struct idl_map seen = { 0 };
	size_t i;
	int rc;

	if (!t)
		return j->c->err->code;
	if ((rc = jnamed(j, v, space, t, enum_keys)) != AK_OK)
		return rc;
	t->kind = IK_ENUM;
	if (!json_is_array(syms))
		return jfail(j, "enum '%s' has no \"symbols\" array", t->nm->full);
	if (!(t->nm->symbols = idl_alloc(j->c, (json_array_size(syms) + 1) * sizeof(char *))))
		return j->c->err->code;
	json_array_foreach(syms, i, s) {
		const char *sym = json_string_value(s);

		if (!sym || !idl_valid_name(sym))
			rc = jfail(j, "enum '%s': invalid symbol", t->nm->full);
		else if (idl_map_get(&seen, sym))
			rc = jfail(j, "enum '%s': symbol '%s' is there twice", t->nm->full, sym);
		else if (!(t->nm->symbols[i] = idl_strndup(j->c, sym, json_string_length(s))))
			rc = j->c->err->code;
		else
			rc = idl_map_put(&seen, t->nm->symbols[i], t, j->c->err);
		if (rc != AK_OK)
			break;
	}
	t->nm->nsymbols = json_array_size(syms);
	if (rc == AK_OK && (rc = jstring(j, v, "default", &t->nm->enum_default)) == AK_OK &&
	    t->nm->enum_default && !idl_map_get(&seen, t->nm->enum_default))
		rc = jfail(j, "enum '%s': the default '%s' is not a symbol", t->nm->full,
			   t->nm->enum_default);
	free(seen.slots);
	if (rc != AK_OK || (rc = idl_register(j->c, t)) != AK_OK)
		return rc;
	*out = t;
	return AK_OK;
}

static int jfixed(struct jctx *j, json_t *v, const char *space, struct idl_type **out)
{
	struct idl_type *t = jnew(j, IK_FIXED);
	json_t *size = json_object_get(v, "size");
	int rc;

	if (!t)
		return j->c->err->code;
	if ((rc = jnamed(j, v, space, t, schema_keys)) != AK_OK)
		return rc;
	t->kind = IK_FIXED;
	if (!json_is_integer(size) || json_integer_value(size) < 0 ||
	    json_integer_value(size) > INT32_MAX)
		return jfail(j, "fixed '%s': invalid or missing \"size\"", t->nm->full);
	t->nm->size = json_integer_value(size);
	if ((rc = idl_register(j->c, t)) != AK_OK)
		return rc;
	*out = t;
	return AK_OK;
}

static int jtype(struct jctx *j, json_t *v, const char *space, struct idl_type **out)
{
	enum idl_kind k;
	const char *type;
	struct idl_type *t = NULL;
	int rc = AK_OK;

	if (++j->depth > AK_SCHEMA_MAX_DEPTH)
		return jfail(j, "types nest more than %d levels deep", AK_SCHEMA_MAX_DEPTH);
	if (json_is_string(v)) {
		type = json_string_value(v);
		if (primitive_kind(type, &k)) {
			if (!(t = idl_shared(j->c, k)))
				return j->c->err->code;
		} else {
			if (!(t = jnew(j, IK_REF)) || !(t->ref = jfull(j, space, type)))
				return j->c->err->code;
		}
	} else if (json_is_array(v)) {
		size_t i, n = json_array_size(v);
		json_t *b;

		if (!(t = jnew(j, IK_UNION)) ||
		    !(t->branches = idl_alloc(j->c, (n ? n : 1) * sizeof(*t->branches))))
			return j->c->err->code;
		t->nbranches = n;
		json_array_foreach(v, i, b)
			if ((rc = jtype(j, b, space, &t->branches[i])) != AK_OK)
				return rc;
	} else if (json_is_object(v)) {
		json_t *tv = json_object_get(v, "type");

		if (!json_is_string(tv))
			return jfail(j, "a schema object needs a \"type\" string");
		type = json_string_value(tv);
		if (primitive_kind(type, &k)) {
			if (!(t = jnew(j, k)))
				return j->c->err->code;
			rc = jprops(j, v, schema_keys, &t->props);
		} else if (strcmp(type, "record") == 0 || strcmp(type, "error") == 0) {
			rc = jrecord(j, v, space, type[0] == 'e', &t);
		} else if (strcmp(type, "enum") == 0) {
			rc = jenum(j, v, space, &t);
		} else if (strcmp(type, "fixed") == 0) {
			rc = jfixed(j, v, space, &t);
		} else if (strcmp(type, "array") == 0 || strcmp(type, "map") == 0) {
			const char *key = type[0] == 'a' ? "items" : "values";

			if (!json_object_get(v, key))
				return jfail(j, "%s without \"%s\"", type, key);
			if (!(t = jnew(j, type[0] == 'a' ? IK_ARRAY : IK_MAP)))
				return j->c->err->code;
			if ((rc = jtype(j, json_object_get(v, key), space, &t->items)) == AK_OK)
				rc = jprops(j, v, schema_keys, &t->props);
		} else {
			if (!(t = jnew(j, IK_REF)) || !(t->ref = jfull(j, space, type)))
				return j->c->err->code;
		}
	} else {
		return jfail(j, "not a schema (a string, an array or an object is expected)");
	}
	if (rc != AK_OK)
		return rc;
	j->depth--;
	*out = t;
	return AK_OK;
}

static int jload(struct jctx *j, const char *text, size_t len, json_t **root)
{
	json_error_t e;

	*root = json_loadb(text, len, JSON_DECODE_ANY, &e);
	if (!*root) {
		struct idl_loc l = { j->file, (unsigned long)(e.line > 0 ? e.line : 0),
				     (unsigned long)(e.column > 0 ? e.column : 0) };

		return idl_fail(j->c, &l, "invalid JSON: %s", e.text);
	}
	return idl_own(j->c, *root);
}

int idl_import_schema(struct idl_ctx *c, const char *file, const char *text, size_t len)
{
	struct jctx j = { c, file, 0 };
	struct idl_type *t;
	json_t *root;
	int rc;

	if ((rc = jload(&j, text, len, &root)) != AK_OK)
		return rc;
	return jtype(&j, root, NULL, &t);
}

static int jmessage(struct jctx *j, const char *name, json_t *v, const char *space,
		    struct idl_msgs *msgs)
{
	struct idl_message *m = idl_alloc(j->c, sizeof(*m));
	json_t *req, *resp, *errs, *ow;
	int rc;

	if (!m)
		return j->c->err->code;
	if (!json_is_object(v))
		return jfail(j, "message '%s' must be an object", name);
	m->loc.file = j->file;
	if (!(m->name = idl_strndup(j->c, name, strlen(name))) ||
	    (rc = jstring(j, v, "doc", &m->doc)) != AK_OK)
		return j->c->err->code;
	req = json_object_get(v, "request");
	resp = json_object_get(v, "response");
	errs = json_object_get(v, "errors");
	ow = json_object_get(v, "one-way");
	if (!json_is_array(req) || !resp)
		return jfail(j, "message '%s' needs a \"request\" array and a \"response\"", name);
	if ((rc = jfields(j, req, space, &m->params, &m->nparams)) != AK_OK ||
	    (rc = jtype(j, resp, space, &m->response)) != AK_OK)
		return rc;
	if (ow && !json_is_boolean(ow))
		return jfail(j, "message '%s': \"one-way\" must be true or false", name);
	if (json_is_true(ow)) {
		if (m->response->kind != IK_NULL || errs)
			return jfail(j, "one-way message '%s' must return null and throw nothing",
				     name);
		m->oneway = 1;
	}
	if (errs) {
		size_t i;
		json_t *e;
		struct idl_type *u;

		if (!json_is_array(errs))
			return jfail(j, "message '%s': \"errors\" must be an array", name);
		m->nerrors = json_array_size(errs);
		if (!(m->errors = idl_alloc(j->c, (m->nerrors + 1) * sizeof(*m->errors))))
			return j->c->err->code;
		json_array_foreach(errs, i, e)
			if ((rc = jtype(j, e, space, &m->errors[i])) != AK_OK)
				return rc;
		if (!(u = jnew(j, IK_UNION)))
			return j->c->err->code;
		u->branches = m->errors;
		u->nbranches = m->nerrors;
	}
	if ((rc = jprops(j, v, message_keys, &m->props)) != AK_OK)
		return rc;
	return msgs ? idl_msgs_put(msgs, m, j->c->err) : AK_OK;
}

int idl_import_protocol(struct idl_ctx *c, const char *file, const char *text, size_t len,
			struct idl_msgs *msgs)
{
	struct jctx j = { c, file, 0 };
	const char *name, *space, *dot, *key;
	json_t *root, *types, *messages, *v;
	struct idl_type *t;
	size_t i;
	int rc;

	if ((rc = jload(&j, text, len, &root)) != AK_OK)
		return rc;
	if (!json_is_object(root))
		return jfail(&j, "a protocol must be a JSON object");
	if ((rc = jstring(&j, root, "protocol", &name)) != AK_OK ||
	    (rc = jstring(&j, root, "namespace", &space)) != AK_OK)
		return rc;
	if (!name)
		return jfail(&j, "no \"protocol\" name");
	if (!space && (dot = strrchr(name, '.')) &&
	    !(space = idl_strndup(c, name, (size_t)(dot - name))))
		return c->err->code;
	if (space && !*space)
		space = NULL;
	types = json_object_get(root, "types");
	messages = json_object_get(root, "messages");
	if (types && !json_is_array(types))
		return jfail(&j, "\"types\" must be an array");
	if (messages && !json_is_object(messages))
		return jfail(&j, "\"messages\" must be an object");
	json_array_foreach(types, i, v)
		if ((rc = jtype(&j, v, space, &t)) != AK_OK)
			return rc;
	json_object_foreach(messages, key, v)
		if ((rc = jmessage(&j, key, v, space, msgs)) != AK_OK)
			return rc;
	return AK_OK;
}

/* ---- writing ---- */

struct emitter {
	const struct idl_ctx *c;
	struct ak_buf *out;
	unsigned char *seen; /* by type index: defined already (ctx->seen) */
	struct ak_buf marked; /* size_t[]: the indexes set in seen, to clear them after */
	const char *space;   /* the enclosing namespace */
	unsigned depth;
	size_t limit;        /* of the output's size */
};

static int put(struct emitter *e, const char *s)
{
	return ak_buf_append(e->out, s, strlen(s), e->c->err);
}

static int put_string(struct ak_buf *out, const char *s, size_t n, struct ak_error *err)
{
	if (ak_buf_reserve(out, AK_JSON_STRING_MAX(n), err) != AK_OK)
		return err->code;
	ak_json_put_string(out, (const unsigned char *)s, n);
	return AK_OK;
}

static int put_str(struct emitter *e, const char *s)
{
	return put_string(e->out, s, strlen(s), e->c->err);
}

/* ,"key": */
static int put_key(struct emitter *e, const char *key)
{
	if (put(e, ",") != AK_OK || put_str(e, key) != AK_OK || put(e, ":") != AK_OK)
		return e->c->err->code;
	return AK_OK;
}

static int put_kv(struct emitter *e, const char *key, const char *value)
{
	if (put_key(e, key) != AK_OK || put_str(e, value) != AK_OK)
		return e->c->err->code;
	return AK_OK;
}

int idl_put_json(struct ak_buf *out, const json_t *v, unsigned depth, struct ak_error *err)
{
	char num[AK_JSON_NUMBER_MAX];
	const char *key;
	json_t *item;
	size_t i, n;
	int rc;

	if (depth > AK_SCHEMA_JSON_MAX_DEPTH)
		return ak_fail(err, AK_E_LIMIT, "a JSON value nests more than %d levels deep",
			       AK_SCHEMA_JSON_MAX_DEPTH);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (ak_buf_append(out, "{", 1, err) != AK_OK)
			return err->code;
		i = 0;
		json_object_foreach((json_t *)v, key, item) {
			if ((i++ && ak_buf_append(out, ",", 1, err) != AK_OK) ||
			    put_string(out, key, strlen(key), err) != AK_OK ||
			    ak_buf_append(out, ":", 1, err) != AK_OK ||
			    (rc = idl_put_json(out, item, depth + 1, err)) != AK_OK)
				return err->code;
		}
		return ak_buf_append(out, "}", 1, err);
	case JSON_ARRAY:
		if (ak_buf_append(out, "[", 1, err) != AK_OK)
			return err->code;
		json_array_foreach(v, i, item) {
			if ((i && ak_buf_append(out, ",", 1, err) != AK_OK) ||
			    idl_put_json(out, item, depth + 1, err) != AK_OK)
				return err->code;
		}
		return ak_buf_append(out, "]", 1, err);
	case JSON_STRING:
		return put_string(out, json_string_value(v), json_string_length(v), err);
	case JSON_INTEGER:
		if (ak_buf_reserve(out, AK_JSON_NUMBER_MAX, err) != AK_OK)
			return err->code;
		ak_json_put_long(out, json_integer_value(v));
		return AK_OK;
	case JSON_REAL:
		n = ak_format_double(num, json_real_value(v));
		return ak_buf_append(out, num, n, err);
	case JSON_TRUE:
		return ak_buf_append(out, "true", 4, err);
	case JSON_FALSE:
		return ak_buf_append(out, "false", 5, err);
	default:
		return ak_buf_append(out, "null", 4, err);
	}
}

/* ,"key":value for each property */
static int put_props(struct emitter *e, const json_t *props)
{
	const char *key;
	json_t *v;

	if (!props)
		return AK_OK;
	json_object_foreach((json_t *)props, key, v)
		if (put_key(e, key) != AK_OK ||
		    idl_put_json(e->out, v, 0, e->c->err) != AK_OK)
			return e->c->err->code;
	return AK_OK;
}

/* ,"aliases":[...] of a named type: each written relative to the type's namespace, the same
 * full name only once (Java keeps them in a set). */
static int put_type_aliases(struct emitter *e, const struct idl_type *t)
{
	struct idl_map seen = { 0 };
	char **full;
	size_t n = 0, k = 0;
	int rc = AK_OK;

	if (!t->nm->naliases)
		return AK_OK;
	if (!(full = calloc(t->nm->naliases, sizeof(*full))))
		return ak_fail(e->c->err, AK_E_NOMEM, "out of memory");
	if (put_key(e, "aliases") != AK_OK || put(e, "[") != AK_OK)
		rc = e->c->err->code;
	for (size_t i = 0; i < t->nm->naliases && rc == AK_OK; i++) {
		const char *a = t->nm->aliases[i], *dot = strrchr(a, '.');
		size_t ls = dot ? (size_t)(dot - a) : t->nm->space ? strlen(t->nm->space) : 0;
		int same;

		size_t la = strlen(a);

		if (!(full[n] = malloc(ls + la + 2))) {
			rc = ak_fail(e->c->err, AK_E_NOMEM, "out of memory");
			break;
		}
		if (dot || !t->nm->space) {
			memcpy(full[n], a, la + 1);
		} else {
			memcpy(full[n], t->nm->space, ls);
			full[n][ls] = '.';
			memcpy(full[n] + ls + 1, a, la + 1);
		}
		if (idl_map_get(&seen, full[n])) {
			free(full[n]);
			continue;
		}
		if ((rc = idl_map_put(&seen, full[n], full[n], e->c->err)) != AK_OK)
			break;
		n++;
		/* Java's getQualified(): short when the alias is in the type's namespace */
		same = !dot || (t->nm->space && strlen(t->nm->space) == ls &&
				memcmp(t->nm->space, a, ls) == 0);
		if ((k++ && put(e, ",") != AK_OK) || put_str(e, same && dot ? dot + 1 : a) != AK_OK)
			rc = e->c->err->code;
	}
	if (rc == AK_OK)
		rc = put(e, "]");
	for (size_t i = 0; i < n; i++)
		free(full[i]);
	free(full);
	free(seen.slots);
	return rc;
}

static int emit_type(struct emitter *e, const struct idl_type *t);

static int put_fields(struct emitter *e, const struct idl_field *fields, size_t n)
{
	static const char *const orders[] = { "ascending", "descending", "ignore" };

	if (put(e, "[") != AK_OK)
		return e->c->err->code;
	for (size_t i = 0; i < n; i++) {
		const struct idl_field *f = &fields[i];

		if ((i && put(e, ",") != AK_OK) || put(e, "{\"name\":") != AK_OK ||
		    put_str(e, f->name) != AK_OK || put(e, ",\"type\":") != AK_OK ||
		    emit_type(e, f->type) != AK_OK)
			return e->c->err->code;
		if (f->doc && put_kv(e, "doc", f->doc) != AK_OK)
			return e->c->err->code;
		if (f->def && (put_key(e, "default") != AK_OK ||
			       idl_put_json(e->out, f->def, 0, e->c->err) != AK_OK))
			return e->c->err->code;
		if (f->order && put_kv(e, "order", orders[f->order]) != AK_OK)
			return e->c->err->code;
		if (f->naliases) {
			struct idl_map seen = { 0 };
			size_t k = 0;
			int rc = put_key(e, "aliases") == AK_OK ? put(e, "[") : e->c->err->code;

			for (size_t a = 0; a < f->naliases && rc == AK_OK; a++) {
				if (idl_map_get(&seen, f->aliases[a]))
					continue;
				rc = idl_map_put(&seen, f->aliases[a], (void *)f, e->c->err);
				if (rc == AK_OK && ((k++ && put(e, ",") != AK_OK) ||
						    put_str(e, f->aliases[a]) != AK_OK))
					rc = e->c->err->code;
			}
			free(seen.slots);
			if (rc != AK_OK || put(e, "]") != AK_OK)
				return e->c->err->code;
		}
		if (put_props(e, f->props) != AK_OK || put(e, "}") != AK_OK)
			return e->c->err->code;
	}
	return put(e, "]");
}

static const char *const kind_names[] = { "null", "boolean", "int", "long", "float",
					  "double", "bytes", "string" };

static int emit_named(struct emitter *e, const struct idl_type *t)
{
	static const char *const kinds[] = { "record", "enum", "fixed" };
	const char *saved = e->space;
	char size[32];

	if (e->seen[t->nm->index]) {
		/* Java's Name.getQualified(): the short name inside its own namespace */
		int same = !t->nm->space || (e->space && strcmp(t->nm->space, e->space) == 0);

		return put_str(e, same ? t->nm->name : t->nm->full);
	}
	e->seen[t->nm->index] = 1;
	if (ak_buf_append(&e->marked, &t->nm->index, sizeof(size_t), e->c->err) != AK_OK)
		return e->c->err->code;
	if (put(e, "{\"type\":") != AK_OK ||
	    put_str(e, t->nm->is_error ? "error" : kinds[t->kind - IK_RECORD]) != AK_OK ||
	    put_kv(e, "name", t->nm->name) != AK_OK)
		return e->c->err->code;
	if (t->nm->space ? !e->space || strcmp(t->nm->space, e->space) != 0 : e->space != NULL)
		if (put_kv(e, "namespace", t->nm->space ? t->nm->space : "") != AK_OK)
			return e->c->err->code;
	if (t->nm->doc && put_kv(e, "doc", t->nm->doc) != AK_OK)
		return e->c->err->code;
	switch (t->kind) {
	case IK_RECORD:
		e->space = t->nm->space;
		if (put_key(e, "fields") != AK_OK ||
		    put_fields(e, t->nm->fields, t->nm->nfields) != AK_OK)
			return e->c->err->code;
		e->space = saved;
		break;
	case IK_ENUM:
		if (put_key(e, "symbols") != AK_OK || put(e, "[") != AK_OK)
			return e->c->err->code;
		for (size_t i = 0; i < t->nm->nsymbols; i++)
			if ((i && put(e, ",") != AK_OK) || put_str(e, t->nm->symbols[i]) != AK_OK)
				return e->c->err->code;
		if (put(e, "]") != AK_OK ||
		    (t->nm->enum_default && put_kv(e, "default", t->nm->enum_default) != AK_OK))
			return e->c->err->code;
		break;
	default:
		snprintf(size, sizeof(size), "%lld", (long long)t->nm->size);
		if (put_key(e, "size") != AK_OK || put(e, size) != AK_OK)
			return e->c->err->code;
		break;
	}
	if (put_props(e, t->props) != AK_OK || put_type_aliases(e, t) != AK_OK)
		return e->c->err->code;
	return put(e, "}");
}

static int emit_type(struct emitter *e, const struct idl_type *t)
{
	int rc;

	if (t->kind == IK_REF)
		t = t->target;
	/* a type used in many places is written in full each time it starts a schema of its
	 * own: the output can be far larger than the input, so it is limited */
	if (e->out->len > e->limit)
		return ak_fail(e->c->err, AK_E_LIMIT, "the JSON output would be larger than %zu "
			       "bytes", e->limit);
	if (++e->depth > AK_SCHEMA_MAX_DEPTH)
		return ak_fail(e->c->err, AK_E_LIMIT, "the types nest more than %d levels deep "
			       "when written out", AK_SCHEMA_MAX_DEPTH);
	switch (t->kind) {
	case IK_RECORD:
	case IK_ENUM:
	case IK_FIXED:
		rc = emit_named(e, t);
		break;
	case IK_ARRAY:
	case IK_MAP:
		rc = put(e, t->kind == IK_ARRAY ? "{\"type\":\"array\",\"items\":"
						: "{\"type\":\"map\",\"values\":");
		if (rc == AK_OK && (rc = emit_type(e, t->items)) == AK_OK &&
		    (rc = put_props(e, t->props)) == AK_OK)
			rc = put(e, "}");
		break;
	case IK_UNION:
		rc = put(e, "[");
		for (size_t i = 0; i < t->nbranches && rc == AK_OK; i++)
			if (!i || (rc = put(e, ",")) == AK_OK)
				rc = emit_type(e, t->branches[i]);
		if (rc == AK_OK)
			rc = put(e, "]");
		break;
	default:
		if (!t->props || !json_object_size(t->props)) {
			rc = put_str(e, kind_names[t->kind]);
			break;
		}
		rc = put(e, "{\"type\":");
		if (rc == AK_OK && (rc = put_str(e, kind_names[t->kind])) == AK_OK &&
		    (rc = put_props(e, t->props)) == AK_OK)
			rc = put(e, "}");
		break;
	}
	e->depth--;
	return rc;
}

static void emitter_init(struct emitter *e, const struct idl_ctx *c, struct ak_buf *out)
{
	memset(e, 0, sizeof(*e));
	e->c = c;
	e->out = out;
	e->seen = c->seen;
	e->limit = AK_IDL_MAX_OUTPUT + 16 * c->bytes;
}

/* Forget which types were written (only those: clearing all of them for each type written
 * on its own would cost the square of their number). */
static void emitter_reset(struct emitter *e)
{
	size_t n = e->marked.len / sizeof(size_t);

	for (size_t i = 0; i < n; i++)
		e->seen[((size_t *)e->marked.data)[i]] = 0;
	e->marked.len = 0;
	e->space = NULL;
}

static int emit_message(struct emitter *e, const struct idl_message *m)
{
	int first = 1;

	if (put(e, "{") != AK_OK)
		return e->c->err->code;
	/* the first member has no comma before it: write it by hand */
	if (m->doc) {
		if (put(e, "\"doc\":") != AK_OK || put_str(e, m->doc) != AK_OK)
			return e->c->err->code;
		first = 0;
	}
	if (m->props) {
		const char *key;
		json_t *v;

		json_object_foreach(m->props, key, v) {
			if ((!first && put(e, ",") != AK_OK) || put_str(e, key) != AK_OK ||
			    put(e, ":") != AK_OK || idl_put_json(e->out, v, 0, e->c->err) != AK_OK)
				return e->c->err->code;
			first = 0;
		}
	}
	if ((!first && put(e, ",") != AK_OK) || put(e, "\"request\":") != AK_OK ||
	    put_fields(e, m->params, m->nparams) != AK_OK)
		return e->c->err->code;
	if (m->oneway)
		return put(e, ",\"response\":\"null\",\"one-way\":true}");
	if (put_key(e, "response") != AK_OK || emit_type(e, m->response) != AK_OK)
		return e->c->err->code;
	if (m->nerrors) {
		if (put_key(e, "errors") != AK_OK || put(e, "[") != AK_OK)
			return e->c->err->code;
		for (size_t i = 0; i < m->nerrors; i++)
			if ((i && put(e, ",") != AK_OK) || emit_type(e, m->errors[i]) != AK_OK)
				return e->c->err->code;
		if (put(e, "]") != AK_OK)
			return e->c->err->code;
	}
	return put(e, "}");
}

static int emit_protocol(struct emitter *e, const struct idl_result *r)
{
	size_t n = e->c->types.len / sizeof(struct idl_type *);
	size_t nm = r->msgs.list.len / sizeof(struct idl_message *);
	int first = 1;

	e->space = r->space;
	if (put(e, "{\"protocol\":") != AK_OK || put_str(e, r->name) != AK_OK ||
	    (r->space && put_kv(e, "namespace", r->space) != AK_OK) ||
	    (r->doc && put_kv(e, "doc", r->doc) != AK_OK) || put_props(e, r->props) != AK_OK ||
	    put_key(e, "types") != AK_OK || put(e, "[") != AK_OK)
		return e->c->err->code;
	for (size_t i = 0; i < n; i++) {
		const struct idl_type *t = ((struct idl_type **)e->c->types.data)[i];

		if (e->seen[t->nm->index])
			continue;
		if ((!first && put(e, ",") != AK_OK) || emit_type(e, t) != AK_OK)
			return e->c->err->code;
		first = 0;
	}
	if (put(e, "]") != AK_OK || put_key(e, "messages") != AK_OK || put(e, "{") != AK_OK)
		return e->c->err->code;
	for (size_t i = 0; i < nm; i++) {
		const struct idl_message *m = ((struct idl_message **)r->msgs.list.data)[i];

		if ((i && put(e, ",") != AK_OK) || put_str(e, m->name) != AK_OK ||
		    put(e, ":") != AK_OK || emit_message(e, m) != AK_OK)
			return e->c->err->code;
	}
	return put(e, "}}");
}

int idl_emit_result(const struct idl_ctx *c, const struct idl_result *r, struct ak_buf *out)
{
	struct emitter e;
	size_t n = c->types.len / sizeof(struct idl_type *);
	int rc;

	emitter_init(&e, c, out);
	if (r->kind == AK_IDL_PROTOCOL) {
		rc = emit_protocol(&e, r);
	} else if (r->kind == AK_IDL_SCHEMA) {
		rc = emit_type(&e, r->main);
	} else {
		/* each named schema on its own, as Java's IdlFile prints them */
		rc = put(&e, "[");
		for (size_t i = 0; i < n && rc == AK_OK; i++) {
			emitter_reset(&e);
			if (!i || (rc = put(&e, ",")) == AK_OK)
				rc = emit_type(&e, ((struct idl_type **)c->types.data)[i]);
		}
		if (rc == AK_OK)
			rc = put(&e, "]");
	}
	emitter_reset(&e);
	ak_buf_release(&e.marked);
	return rc;
}

int idl_emit_alone(const struct idl_ctx *c, const struct idl_type *t, struct ak_buf *out)
{
	struct emitter e;
	int rc;

	emitter_init(&e, c, out);
	rc = emit_type(&e, t);
	emitter_reset(&e);
	ak_buf_release(&e.marked);
	return rc;
}
