/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two halves of the JSON encoder share (encode.h is its interface): encode.c reads
 * Avro's JSON encoding and holds the setup, the records, arrays, maps and numbers, and the
 * error paths; encode_plain.c reads plain JSON, where a union's branch is picked from the
 * value and logical types come in their readable forms, and hands everything else back to
 * encode.c. Only those two files include this header.
 */
#ifndef AK_ENCODE_INT_H
#define AK_ENCODE_INT_H

#include <stdint.h>
#include <string.h>

#include "encode.h"
#include "path.h"

struct span {
	size_t start, end;
};

/* Scratch for one level of record nesting: where each field's bytes went, and a buffer to put
 * them in schema order when they came in another order. */
struct level {
	struct span *spans;
	size_t cap;
	struct ak_buf tmp;
};

struct def {
	size_t off, len; /* into defmem; off == SIZE_MAX when the field has no default */
};

struct ak_json_encoder {
	const struct ak_plan *plan;
	unsigned flags;
	struct def **defaults;     /* per op: one entry per record field */
	struct ak_buf defmem;
	int32_t *null_branch;      /* per op: index of the null branch of a union, or -1 */
	struct ak_buf key;         /* field names and map keys */
	struct level *levels;      /* AK_DATA_MAX_DEPTH + 2 of them, allocated lazily */
	struct ak_path path;       /* built while unwinding after an error */
	uint64_t trial_bytes;      /* plain unions: bytes read again to pick branches, this value */
	unsigned char (*wrap_first)[32]; /* plain, per union op: first bytes of its branch names,
					  * a quick no to {"Branch": value} (bit set) */
};

/* One value of op @opi from @j onto @out: the recursive entry of both halves. */
int ak_enc_value(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, struct ak_buf *out,
		 unsigned depth, struct ak_error *err);

/* plain JSON (encode_plain.c): a value of a non-union op, or 1 when it is written as in Avro's
 * JSON (ak_enc_value goes on); a union value, its branch picked from the value */
int ak_enc_plain_value(struct ak_json_encoder *e, struct ak_json_in *j, const struct ak_op *op,
		       int c, struct ak_buf *out, struct ak_error *err);
int ak_enc_plain_union(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, int c,
		       struct ak_buf *out, unsigned depth, struct ak_error *err);

/* encode.c's helpers that plain JSON uses too */
const char *ak_enc_type_desc(const struct ak_op *op, char *buf, size_t n);
void ak_enc_list_names(char *buf, size_t n, const struct ak_str *names, uint32_t count);
int ak_enc_expect_char(struct ak_json_in *j, int want, const char *what, struct ak_error *err);
int ak_enc_parse_int(const char *t, int64_t *out);
int ak_enc_number_tok(struct ak_json_in *j, const struct ak_op *op, const char *tok, int isint,
		      struct ak_buf *out, struct ak_error *err);
int ak_enc_special_real(const unsigned char *s, size_t n, double *d);

/*
 * Could the object whose '{' is at j->p begin with a member named after a branch of union
 * @opi? A quick look at the first byte of its first name, against the first bytes of the
 * branch names; 1 (then ak_json_in_first_key() decides) also when the buffer ends too soon
 * to tell, so the answer does not depend on where it ends.
 */
static inline int ak_enc_maybe_wrapper(const struct ak_json_encoder *e,
					const struct ak_json_in *j, uint32_t opi)
{
	const unsigned char *p = j->p + 1;

	if (!e->wrap_first) /* a union of null alone */
		return 0;
	while (p < j->end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	if (j->end - p < 2)
		return 1;
	return *p == '"' && (e->wrap_first[opi][p[1] >> 3] >> (p[1] & 7) & 1);
}

/* The index of the name @s (@len bytes, unquoted) among @names (quoted), trying @hint first;
 * -1 when it is not there. */
static inline int ak_enc_find_name(const struct ak_str *names, uint32_t count,
				   const unsigned char *s, size_t len, uint32_t hint)
{
	if (hint < count && names[hint].s && names[hint].len == len + 2 &&
	    memcmp(names[hint].s + 1, s, len) == 0)
		return (int)hint;
	for (uint32_t i = 0; i < count; i++)
		if (names[i].s && names[i].len == len + 2 && memcmp(names[i].s + 1, s, len) == 0)
			return (int)i;
	return -1;
}

#endif /* AK_ENCODE_INT_H */
