/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Parsing Canonical Form of a schema (the specification's "Parsing Canonical Form for
 * Schemas"): full names, only the attributes that matter for reading, a fixed order of them,
 * no white space, each named type written in full once and by name after that. Fingerprints
 * are taken over it (fingerprint.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "schema.h"

static int pcf(const struct ak_node *n, struct ak_buf *b, unsigned char *seen, unsigned depth,
	       struct ak_error *err)
{
#define LIT(s) ak_buf_append(b, s, strlen(s), err)
	int rc = AK_OK;

	if (depth > AK_SCHEMA_MAX_DEPTH)
		return ak_fail(err, AK_E_LIMIT, "schema too deep");
	if (n->fullname) {
		if (seen[n->id]) /* defined already: refer to it by full name */
			return (rc = LIT("\"")) || (rc = LIT(n->fullname)) || (rc = LIT("\"")) ? rc : 0;
		seen[n->id] = 1;
		if ((rc = LIT("{\"name\":\"")) || (rc = LIT(n->fullname)) ||
		    (rc = LIT("\",\"type\":\"")) || (rc = LIT(ak_type_name(n->type))) ||
		    (rc = LIT("\"")))
			return rc;
	}
	switch (n->type) {
	case AK_RECORD:
		if ((rc = LIT(",\"fields\":[")))
			return rc;
		for (size_t i = 0; i < n->nfields; i++) {
			if ((i && (rc = LIT(","))) || (rc = LIT("{\"name\":\"")) ||
			    (rc = LIT(n->fields[i].name)) || (rc = LIT("\",\"type\":")) ||
			    (rc = pcf(n->fields[i].type, b, seen, depth + 1, err)) || (rc = LIT("}")))
				return rc;
		}
		return LIT("]}");
	case AK_ENUM:
		if ((rc = LIT(",\"symbols\":[")))
			return rc;
		for (size_t i = 0; i < n->nsymbols; i++)
			if ((i && (rc = LIT(","))) || (rc = LIT("\"")) || (rc = LIT(n->symbols[i])) ||
			    (rc = LIT("\"")))
				return rc;
		return LIT("]}");
	case AK_FIXED: {
		char num[32];

		snprintf(num, sizeof(num), ",\"size\":%zu}", n->size);
		return LIT(num);
	}
	case AK_ARRAY:
	case AK_MAP:
		if ((rc = LIT(n->type == AK_ARRAY ? "{\"type\":\"array\",\"items\":"
						  : "{\"type\":\"map\",\"values\":")) ||
		    (rc = pcf(n->items, b, seen, depth + 1, err)))
			return rc;
		return LIT("}");
	case AK_UNION:
		if ((rc = LIT("[")))
			return rc;
		for (size_t i = 0; i < n->nbranches; i++)
			if ((i && (rc = LIT(","))) ||
			    (rc = pcf(n->branches[i], b, seen, depth + 1, err)))
				return rc;
		return LIT("]");
	default:
		if ((rc = LIT("\"")) || (rc = LIT(ak_type_name(n->type))))
			return rc;
		return LIT("\"");
	}
#undef LIT
}

char *ak_schema_canonical(const struct ak_schema *s, struct ak_error *err)
{
	struct ak_buf b = AK_BUF_INIT;
	size_t nnodes = ak_schema_node_count(s);
	unsigned char *seen = calloc(nnodes ? nnodes : 1, 1);

	if (!seen) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	if (pcf(ak_schema_root(s), &b, seen, 0, err) != AK_OK || ak_buf_append(&b, "", 1, err) != AK_OK) {
		free(seen);
		ak_buf_release(&b);
		return NULL;
	}
	free(seen);
	return (char *)b.data;
}
