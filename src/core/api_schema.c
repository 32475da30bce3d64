/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public face of schemas (avrokit.h): walking the types of a parsed schema, finding a
 * named type, fingerprints, and the compatibility of two schemas as a list of issues. The
 * parser itself is schema.c; resolution is plan.c, whose issues are what ak_compat holds.
 */
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "plan.h"
#include "schema.h"

AK_API enum ak_type ak_node_type(const struct ak_node *n)
{
	return n->type;
}

AK_API size_t ak_node_id(const struct ak_node *n)
{
	return n->id;
}

AK_API const char *ak_node_name(const struct ak_node *n)
{
	return n->name;
}

AK_API const char *ak_node_fullname(const struct ak_node *n)
{
	return n->fullname;
}

AK_API const char *ak_node_namespace(const struct ak_node *n)
{
	return n->space;
}

AK_API enum ak_logical ak_node_logical(const struct ak_node *n)
{
	return n->logical;
}

AK_API const char *ak_node_logical_name(const struct ak_node *n)
{
	return n->logical_name;
}

AK_API int ak_node_precision(const struct ak_node *n)
{
	return n->logical == AK_LT_DECIMAL ? n->precision : 0;
}

AK_API int ak_node_scale(const struct ak_node *n)
{
	return n->logical == AK_LT_DECIMAL ? n->scale : 0;
}

AK_API size_t ak_node_size(const struct ak_node *n)
{
	return n->type == AK_FIXED ? n->size : 0;
}

AK_API size_t ak_node_count(const struct ak_node *n)
{
	switch (n->type) {
	case AK_RECORD:
		return n->nfields;
	case AK_ENUM:
		return n->nsymbols;
	case AK_UNION:
		return n->nbranches;
	default:
		return 0;
	}
}

AK_API const char *ak_node_field_name(const struct ak_node *n, size_t i)
{
	return n->type == AK_RECORD && i < n->nfields ? n->fields[i].name : NULL;
}

AK_API const struct ak_node *ak_node_field_type(const struct ak_node *n, size_t i)
{
	return n->type == AK_RECORD && i < n->nfields ? n->fields[i].type : NULL;
}

AK_API enum ak_order ak_node_field_order(const struct ak_node *n, size_t i)
{
	return n->type == AK_RECORD && i < n->nfields ? n->fields[i].order : AK_ORDER_ASCENDING;
}

AK_API int ak_node_field_has_default(const struct ak_node *n, size_t i)
{
	return n->type == AK_RECORD && i < n->nfields && n->fields[i].def != NULL;
}

AK_API long ak_node_field_index(const struct ak_node *n, const char *name)
{
	if (n->type != AK_RECORD || !name)
		return -1;
	for (size_t i = 0; i < n->nfields; i++)
		if (strcmp(n->fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

AK_API const char *ak_node_symbol(const struct ak_node *n, size_t i)
{
	return n->type == AK_ENUM && i < n->nsymbols ? n->symbols[i] : NULL;
}

AK_API long ak_node_symbol_index(const struct ak_node *n, const char *name)
{
	if (n->type != AK_ENUM || !name)
		return -1;
	for (size_t i = 0; i < n->nsymbols; i++)
		if (strcmp(n->symbols[i], name) == 0)
			return (long)i;
	return -1;
}

AK_API long ak_node_enum_default(const struct ak_node *n)
{
	return n->type == AK_ENUM ? n->enum_default : -1;
}

AK_API const struct ak_node *ak_node_branch(const struct ak_node *n, size_t i)
{
	return n->type == AK_UNION && i < n->nbranches ? n->branches[i] : NULL;
}

AK_API const struct ak_node *ak_node_items(const struct ak_node *n)
{
	return n->type == AK_ARRAY || n->type == AK_MAP ? n->items : NULL;
}

AK_API const struct ak_node *ak_schema_find(const struct ak_schema *s, const char *fullname)
{
	size_t n = ak_schema_node_count(s);

	if (!fullname)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct ak_node *node = ak_schema_node(s, i);

		if (node->fullname && strcmp(node->fullname, fullname) == 0)
			return node;
	}
	return NULL;
}

AK_API int ak_schema_fingerprint(const struct ak_schema *s, enum ak_fingerprint alg,
				 unsigned char out[32], struct ak_error *err)
{
	char *pcf = ak_schema_canonical(s, err);
	size_t len;
	int n;

	if (!pcf)
		return err && err->code ? err->code : AK_E_NOMEM;
	len = strlen(pcf);
	switch (alg) {
	case AK_FP_CRC64: {
		uint64_t fp = ak_crc64_avro(pcf, len);

		for (int i = 0; i < 8; i++)
			out[i] = (unsigned char)(fp >> (8 * i));
		n = 8;
		break;
	}
	case AK_FP_MD5:
		ak_md5(pcf, len, out);
		n = 16;
		break;
	case AK_FP_SHA256:
		ak_sha256(pcf, len, out);
		n = 32;
		break;
	default:
		n = ak_fail(err, AK_E_ARG, "unknown fingerprint algorithm %d", (int)alg);
		break;
	}
	free(pcf);
	return n;
}

/* ---- compatibility ---- */

struct ak_compat {
	struct ak_issues issues;
};

AK_API struct ak_compat *ak_schema_compatibility(const struct ak_schema *reader,
						 const struct ak_schema *writer,
						 struct ak_error *err)
{
	struct ak_compat *c = calloc(1, sizeof(*c));
	struct ak_error perr;
	struct ak_plan *p;

	if (!c) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	ak_error_clear(&perr);
	p = ak_plan_resolve(writer, reader, &c->issues, &perr);
	ak_plan_free(p);
	if (!p && perr.code == AK_E_NOMEM) {
		ak_error_copy(err, &perr);
		ak_issues_release(&c->issues);
		free(c);
		return NULL;
	}
	return c;
}

AK_API int ak_compat_readable(const struct ak_compat *c)
{
	for (size_t i = 0; i < c->issues.n; i++)
		if (c->issues.v[i].fatal)
			return 0;
	return 1;
}

AK_API size_t ak_compat_count(const struct ak_compat *c)
{
	return c->issues.n;
}

AK_API enum ak_issue_kind ak_compat_kind(const struct ak_compat *c, size_t i)
{
	return i < c->issues.n ? (enum ak_issue_kind)c->issues.v[i].kind : AK_ISSUE_TYPE_MISMATCH;
}

AK_API int ak_compat_fatal(const struct ak_compat *c, size_t i)
{
	return i < c->issues.n ? c->issues.v[i].fatal : 0;
}

AK_API const char *ak_compat_path(const struct ak_compat *c, size_t i)
{
	return i < c->issues.n ? c->issues.v[i].path : NULL;
}

AK_API const char *ak_compat_message(const struct ak_compat *c, size_t i)
{
	return i < c->issues.n ? c->issues.v[i].msg : NULL;
}

AK_API void ak_compat_free(struct ak_compat *c)
{
	if (!c)
		return;
	ak_issues_release(&c->issues);
	free(c);
}
