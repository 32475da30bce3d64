/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The decode walker, written once. decode.c includes this file once per consumer, with
 * WALK(name) naming that instance's functions and the H_*() hooks saying what the consumer
 * does with each value: the skip instance does nothing (it only checks), the JSON instance
 * writes text straight into the output buffer, the visitor instance calls the caller's
 * callbacks. The hooks are static inline, so each instance is a loop of its own with no
 * indirect call for its consumer: the JSON path costs what a decoder written only for JSON
 * would. Every read is checked against c->end; counts are checked against what the bytes left
 * could hold; nesting is limited. A hook returns 0 to go on, else a status that stops the walk.
 *
 * Not a header to include elsewhere: no include guard, on purpose.
 */

static int WALK(dec)(struct dctx *c, uint32_t opi, const unsigned char **pp, unsigned depth);

/* The most common values, strings, ints and longs: one function each, used by WALK(dec) and
 * inlined by WALK(value) into the loops over a record's fields and a container's items. */
static inline int WALK(string)(struct dctx *c, const struct ak_op *op, const unsigned char **pp)
{
	(void)op; /* (not every instance's hook uses it) */
	const unsigned char *p = *pp, *end = c->end;
	int64_t v;
	int rc;

	READ_LONG(v, "string length");
	if (v < 0)
		return ak_fail(c->err, AK_E_FORMAT, "negative string length %" PRId64, v);
	if ((uint64_t)v > (uint64_t)(end - p))
		return too_short(c, "string", (uint64_t)v, p);
	if ((rc = H_STRING(c, op, p, (size_t)v)) != AK_OK)
		return rc;
	*pp = p + v;
	return AK_OK;
}

static inline int WALK(int)(struct dctx *c, const struct ak_op *op, const unsigned char **pp)
{
	(void)op; /* (not every instance's hook uses it) */
	const unsigned char *p = *pp, *end = c->end;
	int64_t v;
	int rc;

	READ_LONG(v, "int");
	if (v < INT32_MIN || v > INT32_MAX)
		return ak_fail(c->err, AK_E_FORMAT, "int value %" PRId64 " is out of range", v);
	if ((rc = H_INT(c, op, (int32_t)v)) != AK_OK)
		return rc;
	*pp = p;
	return AK_OK;
}

static inline int WALK(long)(struct dctx *c, const struct ak_op *op, const unsigned char **pp)
{
	(void)op; /* (not every instance's hook uses it) */
	const unsigned char *p = *pp, *end = c->end;
	int64_t v;
	int rc;

	READ_LONG(v, "long");
	if ((rc = H_LONG(c, op, v)) != AK_OK)
		return rc;
	*pp = p;
	return AK_OK;
}

/*
 * A value inside a record, array or map (at @depth): the common kinds right here, the rest
 * through WALK(dec). A call of WALK(dec) costs some 40 instructions before and after the
 * value (saving registers, the depth check, the switch), as much as a short string's own
 * decoding; records of a few strings and ints are most data.
 */
static inline __attribute__((always_inline)) int WALK(value)(struct dctx *c, uint32_t opi,
							    const unsigned char **pp,
							    unsigned depth)
{
	const struct ak_op *op = &c->ops[opi];

	if (depth <= c->max_depth) {
		switch (op->kind) {
		case AK_STRING:
			return WALK(string)(c, op, pp);
		case AK_INT:
			return WALK(int)(c, op, pp);
		case AK_LONG:
			return WALK(long)(c, op, pp);
		default:
			break;
		}
	}
	return WALK(dec)(c, opi, pp, depth);
}

/* A record read through a reader schema: the writer's fields in its order (those the reader
 * lacks are read past), then the reader's fields that only have defaults, each decoded from
 * its default's binary with the reader's ops. */
static int WALK(record_r)(struct dctx *c, const struct ak_op *op, const unsigned char **pp,
			  unsigned depth)
{
	int rc;

	if ((rc = H_RBEGIN(c, op, depth)) != AK_OK)
		return rc;
	for (uint32_t i = 0; i < op->n; i++) {
		int32_t d = op->map[i];

		if (d < 0) {
			rc = skip_dec(c, op->sub[i], pp, depth + 1);
		} else if ((rc = H_RFIELD(c, op, (uint32_t)d, depth)) == AK_OK &&
			   (rc = WALK(value)(c, op->sub[i], pp, depth + 1)) == AK_OK) {
			rc = H_RFIELD_END(c, op, (uint32_t)d, depth);
		}
		if (rc != AK_OK) {
			const char *name = d < 0 ? op->node->fields[i].name
						 : op->rnode->fields[d].name;

			ak_path_field(&c->path, name, strlen(name));
			return rc;
		}
	}
	if (WALK_READS_DEFAULTS && op->defops) {
		for (uint32_t k = 0; k < op->nout; k++) {
			const unsigned char *dp, *save = c->end;

			if (op->defops[k] == UINT32_MAX)
				continue;
			dp = (const unsigned char *)op->defaults[k].s;
			c->end = dp + op->defaults[k].len;
			if ((rc = H_RFIELD(c, op, k, depth)) == AK_OK &&
			    (rc = WALK(dec)(c, op->defops[k], &dp, depth + 1)) == AK_OK)
				rc = H_RFIELD_END(c, op, k, depth);
			c->end = save;
			if (rc != AK_OK) {
				const char *name = op->rnode->fields[k].name;

				ak_path_field(&c->path, name, strlen(name));
				return rc;
			}
		}
	}
	return H_REND(c, op, depth);
}

/* A union value: its branch (@ridx, the reader's branch index) around the value of op @sub.
 * Always inlined: GCC's own choice changes with the size of WALK(dec), and a call here costs
 * the JSON output of union-heavy data about 0.5% (callgrind, bench/compare.sh). */
static inline __attribute__((always_inline)) int WALK(branch)(struct dctx *c,
							      const struct ak_op *op,
							      uint32_t ridx, uint32_t sub,
							      const unsigned char **pp,
							      unsigned depth)
{
	int rc;

	(void)op;
	(void)ridx;
	if ((rc = H_UNION_BEGIN(c, op, ridx)) != AK_OK)
		return rc;
	if ((rc = WALK(dec)(c, sub, pp, depth + 1)) != AK_OK)
		return rc;
	return H_UNION_END(c, op, ridx);
}

/* A decimal (@n bytes at @p) given in the reader's other scale. */
static __attribute__((noinline)) int WALK(rescaled)(struct dctx *c, const struct ak_op *op,
						    const unsigned char *p, size_t n)
{
	unsigned char room[RESCALE_ROOM];
	int rc = rescale_decimal(c, op, &p, &n, room);

	if (rc != AK_OK)
		return rc;
	return op->kind == AK_OP_RESCALE_FIXED ? H_FIXED(c, op, p, n) : H_BYTES(c, op, p, n);
}

static int WALK(dec)(struct dctx *c, uint32_t opi, const unsigned char **pp, unsigned depth)
{
	const struct ak_op *op = &c->ops[opi];
	const unsigned char *p = *pp, *end = c->end;
	int64_t v;
	int rc;

	if (depth > c->max_depth)
		return ak_fail(c->err, AK_E_LIMIT, "data nested deeper than %u levels",
			       c->max_depth);
	switch (op->kind) {
	case AK_NULL:
		if ((rc = H_NULL(c, op)) != AK_OK)
			return rc;
		break;
	case AK_BOOLEAN:
		if (p >= end)
			return too_short(c, "boolean", 1, p);
		if (*p > 1)
			return ak_fail(c->err, AK_E_FORMAT, "invalid boolean byte 0x%02x", *p);
		if ((rc = H_BOOLEAN(c, op, *p)) != AK_OK)
			return rc;
		p++;
		break;
	case AK_INT:
		if ((rc = WALK(int)(c, op, &p)) != AK_OK)
			return rc;
		break;
	case AK_LONG:
		if ((rc = WALK(long)(c, op, &p)) != AK_OK)
			return rc;
		break;
	case AK_FLOAT:
		if (end - p < 4)
			return too_short(c, "float", 4, p);
		if ((rc = H_FLOAT(c, op, read_float(p))) != AK_OK)
			return rc;
		p += 4;
		break;
	case AK_DOUBLE:
		if (end - p < 8)
			return too_short(c, "double", 8, p);
		if ((rc = H_DOUBLE(c, op, read_double(p))) != AK_OK)
			return rc;
		p += 8;
		break;
	case AK_STRING:
		/* (apart from the others below: names and kinds known here, which the hot path
		 * of string-heavy data notices) */
		if ((rc = WALK(string)(c, op, &p)) != AK_OK)
			return rc;
		break;
	case AK_BYTES:
	case AK_OP_BYTES_STRING:
	case AK_OP_STRING_BYTES: {
		int is_string = op->kind == AK_STRING || op->kind == AK_OP_BYTES_STRING;
		int was_string = op->kind == AK_STRING || op->kind == AK_OP_STRING_BYTES;
		const char *what = was_string ? "string" : "bytes";

		READ_LONG(v, was_string ? "string length" : "bytes length");
		if (v < 0)
			return ak_fail(c->err, AK_E_FORMAT, "negative %s length %" PRId64, what, v);
		if ((uint64_t)v > (uint64_t)(end - p))
			return too_short(c, what, (uint64_t)v, p);
		rc = is_string ? H_STRING(c, op, p, (size_t)v) : H_BYTES(c, op, p, (size_t)v);
		if (rc != AK_OK)
			return rc;
		p += v;
		break;
	}
	case AK_FIXED:
		if ((size_t)(end - p) < op->n)
			return too_short(c, "fixed", op->n, p);
		if ((rc = H_FIXED(c, op, p, op->n)) != AK_OK)
			return rc;
		p += op->n;
		break;
	case AK_OP_RESCALE_BYTES:
	case AK_OP_RESCALE_FIXED: {
		/* a decimal read in the reader's other scale */
		size_t qn;

		if (op->kind == AK_OP_RESCALE_FIXED) {
			qn = op->n;
			if ((size_t)(end - p) < qn)
				return too_short(c, "fixed", qn, p);
		} else {
			READ_LONG(v, "bytes length");
			if (v < 0)
				return ak_fail(c->err, AK_E_FORMAT, "negative bytes length %" PRId64,
					       v);
			if ((uint64_t)v > (uint64_t)(end - p))
				return too_short(c, "bytes", (uint64_t)v, p);
			qn = (size_t)v;
		}
		if ((rc = WALK(rescaled)(c, op, p, qn)) != AK_OK)
			return rc;
		p += qn;
		break;
	}
	case AK_ENUM:
	case AK_OP_ENUM_R:
		READ_LONG(v, "enum index");
		if (v < 0 || v >= op->n)
			return ak_fail(c->err, AK_E_FORMAT, "enum index %" PRId64 " is out of range "
				       "(%s has %" PRIu32 " symbols)", v, op->node->fullname, op->n);
		if (op->kind == AK_OP_ENUM_R) {
			if (op->map[v] < 0)
				return resolution_error(c, "symbol %s is not in the reader's enum "
							"(which has no default)",
							op->node->symbols[v]);
			v = op->map[v];
		}
		if ((rc = H_ENUM(c, op, (uint32_t)v)) != AK_OK)
			return rc;
		break;
	case AK_RECORD:
		if ((rc = H_REC_BEGIN(c, op)) != AK_OK)
			return rc;
		for (uint32_t i = 0; i < op->n; i++) {
			if ((rc = H_REC_FIELD(c, op, i)) != AK_OK ||
			    (rc = WALK(value)(c, op->sub[i], &p, depth + 1)) != AK_OK) {
				const char *name = op->node->fields[i].name;

				ak_path_field(&c->path, name, strlen(name));
				return rc;
			}
		}
		if ((rc = H_REC_END(c, op)) != AK_OK)
			return rc;
		break;
	case AK_OP_RECORD_R:
		if ((rc = WALK(record_r)(c, op, &p, depth)) != AK_OK)
			return rc;
		break;
	case AK_ARRAY:
	case AK_MAP: {
		int is_map = op->kind == AK_MAP;
		const struct ak_op *item = &c->ops[op->item];
		uint64_t idx = 0;
		int64_t n;

		if ((rc = read_block_count(c, &p, item, &n, is_map)) != AK_OK)
			return rc;
		if ((rc = is_map ? H_MAP_BEGIN(c, op, (uint64_t)n) : H_ARR_BEGIN(c, op, (uint64_t)n)) !=
		    AK_OK)
			return rc;
		while (n) {
			for (int64_t i = 0; i < n; i++, idx++) {
				const unsigned char *key = NULL;
				int64_t klen = 0;

				if (is_map) {
					READ_LONG(klen, "map key length");
					if (klen < 0)
						return ak_fail(c->err, AK_E_FORMAT,
							       "negative map key length %" PRId64, klen);
					if ((uint64_t)klen > (uint64_t)(end - p))
						return too_short(c, "map key", (uint64_t)klen, p);
					key = p;
					p += klen;
					rc = H_MAP_KEY(c, op, idx, key, (size_t)klen);
				} else {
					rc = H_ARR_ITEM(c, op, idx);
				}
				if (rc == AK_OK)
					rc = WALK(value)(c, op->item, &p, depth + 1);
				if (rc != AK_OK) {
					if (is_map)
						ak_path_key(&c->path, key, (size_t)klen);
					else
						ak_path_index(&c->path, idx);
					return rc;
				}
			}
			if ((rc = read_block_count(c, &p, item, &n, is_map)) != AK_OK)
				return rc;
		}
		if ((rc = is_map ? H_MAP_END(c, op, idx) : H_ARR_END(c, op, idx)) != AK_OK)
			return rc;
		break;
	}
	case AK_UNION:
	case AK_OP_UNION_R:
		READ_LONG(v, "union branch index");
		if (v < 0 || v >= op->n)
			return ak_fail(c->err, AK_E_FORMAT,
				       "union branch index %" PRId64 " is out of range (%" PRIu32
				       " branches)", v, op->n);
		if (op->kind == AK_OP_UNION_R && op->map[v] < 0)
			rc = WALK(dec)(c, op->sub[v], &p, depth + 1); /* the reader is no union */
		else
			rc = WALK(branch)(c, op, op->kind == AK_UNION ? (uint32_t)v
								      : (uint32_t)op->map[v],
					  op->sub[v], &p, depth);
		if (rc != AK_OK)
			return rc;
		break;
	case AK_OP_TO_UNION:
		if ((rc = WALK(branch)(c, op, (uint32_t)op->map[0], op->item, &p, depth)) != AK_OK)
			return rc;
		break;
	case AK_OP_INT_FLOAT:
	case AK_OP_INT_DOUBLE:
	case AK_OP_LONG_FLOAT:
	case AK_OP_LONG_DOUBLE:
		READ_LONG(v, op->kind <= AK_OP_INT_DOUBLE ? "int" : "long");
		if (op->kind <= AK_OP_INT_DOUBLE && (v < INT32_MIN || v > INT32_MAX))
			return ak_fail(c->err, AK_E_FORMAT, "int value %" PRId64 " is out of range", v);
		if (op->kind == AK_OP_INT_FLOAT || op->kind == AK_OP_LONG_FLOAT)
			rc = H_FLOAT(c, op, (float)v);
		else
			rc = H_DOUBLE(c, op, (double)v);
		if (rc != AK_OK)
			return rc;
		break;
	case AK_OP_FLOAT_DOUBLE:
		if (end - p < 4)
			return too_short(c, "float", 4, p);
		if ((rc = H_DOUBLE(c, op, (double)read_float(p))) != AK_OK)
			return rc;
		p += 4;
		break;
	case AK_OP_SKIP:
		if ((rc = skip_dec(c, op->item, &p, depth + 1)) != AK_OK)
			return rc;
		break;
	case AK_OP_ERROR:
		return resolution_error(c, "cannot read this value with the reader's schema: %s",
					op->names[0].s);
	default:
		return ak_fail(c->err, AK_E_ARG, "bad plan op %u", op->kind);
	}
	*pp = p;
	return AK_OK;
}
