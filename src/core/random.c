/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random datums (random.h). Before any value is made, each node gets the least nesting of
 * records a value of it needs (ends[]): arrays and maps need none (they may be empty), unions
 * the least of their branches, records one more than their deepest field. A node whose count
 * never settles can hold no finite value. Past the depth or the value budget, every choice
 * goes to what ends soonest, and ends[] falls by one per record, so every datum is finite.
 */
#include "random.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "put.h"
#include "varint.h"
#include "text.h"

#define NEVER UINT32_MAX
/* Far more than any schema needs; only a guard for the C stack. */
#define HARD_DEPTH 4000

struct ak_random {
	const struct ak_schema *schema;
	struct ak_random_opts opts;
	uint64_t s[4];         /* xoshiro256** state */
	uint32_t *ends;        /* per node id: records a value needs at least, NEVER if none */
	uint32_t *visits;      /* per node id: union visits so far */
	size_t budget;         /* values left in the current datum before values must end */
	size_t start;          /* where the current datum starts in its buffer */
	struct ak_buf keys;    /* the keys of the map being made, to keep them apart */
	struct ak_buf out;     /* ak_random_next()'s datums */
};

/* ---- the generator ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(struct ak_random *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* 0 .. n - 1 (n > 0), by the high half of a 128-bit product (no division, the same
 * everywhere). */
static uint64_t below(struct ak_random *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)next(r) * n) >> 64);
}

/* lo .. hi inclusive */
static int64_t between(struct ak_random *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)below(r, (uint64_t)(hi - lo) + 1);
}

AK_API void ak_random_sync(uint64_t seed, unsigned char sync[AK_SYNC_SIZE])
{
	uint64_t x = seed ^ 0x73796e636d61726bULL; /* a stream apart from the datums' */

	for (int i = 0; i < AK_SYNC_SIZE; i += 8) {
		uint64_t v = splitmix64(&x);

		for (int k = 0; k < 8; k++)
			sync[i + k] = (unsigned char)(v >> (8 * k));
	}
}

/* ---- what ends ---- */

static void collect(const struct ak_node *n, const struct ak_node **all, unsigned char *seen)
{
	if (seen[n->id])
		return;
	seen[n->id] = 1;
	all[n->id] = n;
	switch (n->type) {
	case AK_RECORD:
		for (size_t i = 0; i < n->nfields; i++)
			collect(n->fields[i].type, all, seen);
		break;
	case AK_ARRAY:
	case AK_MAP:
		collect(n->items, all, seen);
		break;
	case AK_UNION:
		for (size_t i = 0; i < n->nbranches; i++)
			collect(n->branches[i], all, seen);
		break;
	default:
		break;
	}
}

/* Can a value of @from hold a value of record @target (through any fields, items and
 * branches)? @seen is scratch, one byte per node id. */
static int reaches_walk(const struct ak_node *n, const struct ak_node *target, unsigned char *seen)
{
	size_t k;

	if (seen[n->id] == 2)
		return 0;
	seen[n->id] = 2;
	switch (n->type) {
	case AK_RECORD:
		for (k = 0; k < n->nfields; k++)
			if (n->fields[k].type == target || reaches_walk(n->fields[k].type, target, seen))
				return 1;
		return 0;
	case AK_ARRAY:
	case AK_MAP:
		return n->items == target || reaches_walk(n->items, target, seen);
	case AK_UNION:
		for (k = 0; k < n->nbranches; k++)
			if (n->branches[k] == target || reaches_walk(n->branches[k], target, seen))
				return 1;
		return 0;
	default:
		return 0;
	}
}

static int reaches(const struct ak_node *from, const struct ak_node *target, unsigned char *seen,
		   size_t count)
{
	int r = reaches_walk(from, target, seen);

	for (size_t i = 0; i < count; i++) /* back to "collected" for the next call */
		if (seen[i] == 2)
			seen[i] = 1;
	return r;
}

/* ends[] by iterating to the fixed point (the counts only fall, from NEVER). */
static void compute_ends(uint32_t *ends, const struct ak_node **all, size_t count)
{
	int changed = 1;

	for (size_t i = 0; i < count; i++)
		ends[i] = NEVER;
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < count; i++) {
			const struct ak_node *n = all[i];
			uint32_t v = 0;

			if (!n)
				continue;
			if (n->type == AK_RECORD) {
				for (size_t k = 0; k < n->nfields && v != NEVER; k++) {
					uint32_t f = ends[n->fields[k].type->id];

					v = f == NEVER ? NEVER : f + 1 > v ? f + 1 : v;
				}
				if (v == 0)
					v = 1;
			} else if (n->type == AK_ENUM && n->nsymbols == 0) {
				v = NEVER; /* an enum without symbols has no value at all */
			} else if (n->type == AK_UNION) {
				v = NEVER;
				for (size_t k = 0; k < n->nbranches; k++)
					if (ends[n->branches[k]->id] < v)
						v = ends[n->branches[k]->id];
			}
			if (v < ends[i]) {
				ends[i] = v;
				changed = 1;
			}
		}
	}
}

AK_API struct ak_random *ak_random_new(const struct ak_schema *s,
				       const struct ak_random_opts *opts, struct ak_error *err)
{
	struct ak_random *r;
	size_t count;
	const struct ak_node **all = NULL;
	unsigned char *seen = NULL;
	uint64_t x;

	if (!s) {
		ak_fail(err, AK_E_ARG, "no schema");
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	count = ak_schema_node_count(s);
	if (!r || !(r->ends = calloc(count ? count : 1, sizeof(*r->ends))) ||
	    !(r->visits = calloc(count ? count : 1, sizeof(*r->visits))) ||
	    !(all = calloc(count ? count : 1, sizeof(*all))) ||
	    !(seen = calloc(count ? count : 1, 1))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		goto fail;
	}
	r->schema = s;
	if (opts)
		r->opts = *opts;
	if (!r->opts.max_depth)
		r->opts.max_depth = AK_RANDOM_MAX_DEPTH;
	if (!r->opts.max_items)
		r->opts.max_items = AK_RANDOM_MAX_ITEMS;
	if (!r->opts.max_length)
		r->opts.max_length = AK_RANDOM_MAX_LENGTH;
	x = r->opts.seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	collect(ak_schema_root(s), all, seen);
	compute_ends(r->ends, all, count);
	if (r->ends[ak_schema_root(s)->id] == NEVER) {
		/* name a record that cannot end, for the message */
		const char *name = NULL;

		for (size_t i = 0; i < count && !name; i++)
			if (all[i] && all[i]->type == AK_RECORD && r->ends[i] == NEVER &&
			    reaches(all[i], all[i], seen, count))
				name = all[i]->fullname;
		if (name)
			ak_fail(err, AK_E_SCHEMA, "no value of this schema can end: every %s holds "
				"another through fields that cannot be left out (a union with null, an "
				"array or a map on the way would let it end)", name);
		else
			ak_fail(err, AK_E_SCHEMA, "this schema has no value at all: it needs a value of "
				"an enum without symbols or of a union without branches");
		goto fail;
	}
	free(all);
	free(seen);
	return r;
fail:
	free(all);
	free(seen);
	ak_random_free(r);
	return NULL;
}

AK_API void ak_random_free(struct ak_random *r)
{
	if (!r)
		return;
	free(r->ends);
	free(r->visits);
	ak_buf_release(&r->keys);
	ak_buf_release(&r->out);
	free(r);
}

/* ---- values ---- */

static int put_random_bytes(struct ak_random *r, struct ak_buf *b, size_t n, struct ak_error *err)
{
	if (n > AK_RANDOM_MAX_BYTES || b->len - r->start > AK_RANDOM_MAX_BYTES - n)
		return ak_fail(err, AK_E_LIMIT, "a random datum of this schema would take more than "
			       "%d MiB: its fixed types are too large (this one has %zu bytes)",
			       AK_RANDOM_MAX_BYTES >> 20, n);
	if (ak_buf_reserve(b, n, err) != AK_OK)
		return AK_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		b->data[b->len++] = (unsigned char)next(r);
	return AK_OK;
}

/* Mostly small numbers, sometimes any of @bits bits, sometimes an edge. */
static int64_t random_integer(struct ak_random *r, int bits)
{
	int64_t max = bits == 32 ? INT32_MAX : INT64_MAX, min = -max - 1;
	uint64_t k = below(r, 10);

	if (k < 6)
		return between(r, -1000, 1000);
	if (k < 9)
		return bits == 32 ? (int64_t)(int32_t)(uint32_t)next(r) : (int64_t)next(r);
	switch (below(r, 5)) {
	case 0:
		return min;
	case 1:
		return max;
	case 2:
		return -1;
	case 3:
		return 0;
	}
	return 1;
}

/* Finite values: mostly amounts with two decimals, sometimes of any magnitude. */
static double random_real(struct ak_random *r, int is_float)
{
	if (below(r, 4) < 3)
		return (double)between(r, -10000000, 10000000) / 100.0;
	double m = (double)(next(r) >> 11) / 9007199254740992.0; /* [0, 1) */
	int e = (int)between(r, is_float ? -60 : -300, is_float ? 60 : 300);
	double v = m;

	for (; e > 0; e--)
		v *= 2;
	for (; e < 0; e++)
		v /= 2;
	return below(r, 2) ? -v : v;
}

/* One character as UTF-8 into @o (room for 4); its length. Mostly ASCII, with Latin, Greek,
 * CJK and emoji, never a surrogate. */
static size_t random_char(struct ak_random *r, unsigned char *o)
{
	static const char ascii[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				    "     _-.,:;!?'\"\\/()@#";
	uint64_t k = below(r, 20);
	uint32_t cp;

	if (k < 14) {
		o[0] = (unsigned char)ascii[below(r, sizeof(ascii) - 1)];
		return 1;
	}
	if (k < 16)
		cp = (uint32_t)between(r, 0xc0, 0x17f); /* Latin-1 and Latin Extended-A */
	else if (k < 17)
		cp = (uint32_t)between(r, 0x391, 0x3c9); /* Greek */
	else if (k < 19)
		cp = below(r, 4) ? (uint32_t)between(r, 0x4e00, 0x9fff) : 0x20ac; /* CJK, euro */
	else
		cp = (uint32_t)between(r, 0x1f600, 0x1f64f); /* emoticons */
	if (cp == 0x3a2) /* no such Greek letter: the final sigma's neighbour */
		cp = 0x3c2;
	return ak_utf8_put(o, cp);
}

/* Random text of 0 to max_length characters (at most 256) into @tmp; its length in bytes. */
static size_t make_string(struct ak_random *r, unsigned char tmp[4 * 256])
{
	size_t chars = below(r, r->opts.max_length + 1), n = 0;

	if (chars > 256)
		chars = 256;
	for (size_t i = 0; i < chars; i++)
		n += random_char(r, tmp + n);
	return n;
}

/* A random string (length, then UTF-8) at the end of @b. */
static int put_string(struct ak_random *r, struct ak_buf *b, struct ak_error *err)
{
	unsigned char tmp[4 * 256];
	size_t n = make_string(r, tmp);

	if (ak_buf_put_long(b, (int64_t)n, err) != AK_OK)
		return AK_E_NOMEM;
	return ak_buf_append(b, tmp, n, err);
}

static int put_uuid_string(struct ak_random *r, struct ak_buf *b, struct ak_error *err)
{
	static const char hex[] = "0123456789abcdef";
	char s[36];
	uint64_t hi = next(r), lo = next(r);

	/* version 4, variant 10 */
	hi = (hi & ~0xf000ULL) | 0x4000ULL;
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
	for (int i = 0, k = 0; i < 36; i++) {
		uint64_t v = k < 16 ? hi : lo;
		int sh = 60 - 4 * (k % 16);

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			s[i] = '-';
			continue;
		}
		s[i] = hex[(v >> sh) & 15];
		k++;
	}
	if (ak_buf_put_long(b, 36, err) != AK_OK)
		return AK_E_NOMEM;
	return ak_buf_append(b, s, 36, err);
}

/*
 * A decimal's unscaled value: up to @digits decimal digits (at most 40), at random sign, as
 * big-endian two's complement: in @size bytes (sign-extended), or the fewest when @size is 0.
 */
static int put_decimal(struct ak_random *r, struct ak_buf *b, int digits, size_t size,
		       struct ak_error *err)
{
	unsigned char mag[24] = { 0 }; /* 40 digits need 17 bytes */
	int nd, neg;
	size_t first;

	if (digits > 40)
		digits = 40;
	for (;;) {
		nd = (int)between(r, 1, digits);
		memset(mag, 0, sizeof(mag));
		for (int i = 0; i < nd; i++) {
			unsigned carry = (unsigned)below(r, 10);

			for (size_t k = sizeof(mag); k-- > 0;) {
				unsigned v = mag[k] * 10u + carry;

				mag[k] = (unsigned char)v;
				carry = v >> 8;
			}
		}
		/* the magnitude with a sign bit to spare must fit @size bytes */
		for (first = 0; first < sizeof(mag) && !mag[first]; first++)
			;
		size_t need = sizeof(mag) - first + (first == sizeof(mag) || (mag[first] & 0x80));

		if (!size || need <= size)
			break;
		digits = nd > 1 ? nd - 1 : 1; /* a rounding edge of the precision: fewer digits */
	}
	neg = (int)below(r, 2) && first < sizeof(mag); /* no -0: it would carry out of mag */
	if (neg) {
		unsigned carry = 1;

		for (size_t k = sizeof(mag); k-- > 0;) {
			unsigned v = (unsigned)(unsigned char)~mag[k] + carry;

			mag[k] = (unsigned char)v;
			carry = v >> 8;
		}
	}
	/* drop sign bytes the next byte repeats */
	first = 0;
	while (first + 1 < sizeof(mag) && mag[first] == (neg ? 0xff : 0) &&
	       ((mag[first + 1] & 0x80) != 0) == neg)
		first++;
	size_t n = sizeof(mag) - first;

	if (size) {
		if (ak_buf_reserve(b, size, err) != AK_OK)
			return AK_E_NOMEM;
		for (size_t k = n; k < size; k++)
			b->data[b->len++] = neg ? 0xff : 0;
		return ak_buf_append(b, mag + first, n, err);
	}
	if (ak_buf_put_long(b, (int64_t)n, err) != AK_OK)
		return AK_E_NOMEM;
	return ak_buf_append(b, mag + first, n, err);
}

/* Years 1900 to 2099, in days and in seconds since the epoch. */
#define DAY_MIN (-25567)
#define DAY_MAX 47481
#define SEC_MIN (-2208988800LL)
#define SEC_MAX (4102444799LL)

static int gen(struct ak_random *r, const struct ak_node *n, unsigned depth, struct ak_buf *b,
	       struct ak_error *err);

/* Values must end now: too deep, or too many values in this datum already. */
static int ending(const struct ak_random *r, unsigned depth)
{
	return depth >= r->opts.max_depth || r->budget == 0;
}

/* The bytes a value of @n takes for sure when it is a fixed (0 for the other types). */
static size_t fixed_bytes(const struct ak_node *n)
{
	return n->type == AK_FIXED ? n->size : 0;
}

static int gen_union(struct ak_random *r, const struct ak_node *n, unsigned depth,
		     struct ak_buf *b, struct ak_error *err)
{
	uint32_t *v = &r->visits[n->id];
	size_t pick = n->nbranches, ok = 0;

	if (ending(r, depth)) {
		/* among the branches that end soonest, the smallest: a fixed takes its size */
		uint32_t best = r->ends[n->id];
		size_t least = SIZE_MAX;

		for (size_t i = 0; i < n->nbranches; i++)
			if (r->ends[n->branches[i]->id] == best && fixed_bytes(n->branches[i]) < least)
				least = fixed_bytes(n->branches[i]);
		for (size_t i = 0; i < n->nbranches; i++)
			ok += r->ends[n->branches[i]->id] == best &&
			      fixed_bytes(n->branches[i]) == least;
		size_t k = below(r, ok);

		for (size_t i = 0; i < n->nbranches; i++)
			if (r->ends[n->branches[i]->id] == best &&
			    fixed_bytes(n->branches[i]) == least && k-- == 0) {
				pick = i;
				break;
			}
	} else {
		for (size_t i = 0; i < n->nbranches; i++)
			ok += r->ends[n->branches[i]->id] != NEVER;
		/* each branch in turn on the first visits, then any */
		size_t k = *v < ok ? *v : below(r, ok);

		for (size_t i = 0; i < n->nbranches; i++)
			if (r->ends[n->branches[i]->id] != NEVER && k-- == 0) {
				pick = i;
				break;
			}
		if (*v < UINT32_MAX)
			(*v)++;
	}
	if (ak_buf_put_long(b, (int64_t)pick, err) != AK_OK)
		return AK_E_NOMEM;
	return gen(r, n->branches[pick], depth, b, err);
}

/* A map key not used yet in this map: @used holds the earlier keys (each a size_t length,
 * then the bytes). */
static int put_key(struct ak_random *r, struct ak_buf *b, struct ak_buf *used,
		   struct ak_error *err)
{
	unsigned char key[4 * 256];
	size_t n;

	for (int tries = 0;; tries++) {
		int dup = 0;

		n = make_string(r, key);
		for (size_t u = 0; u + sizeof(size_t) <= used->len && !dup;) {
			size_t ul;

			memcpy(&ul, used->data + u, sizeof(ul));
			dup = ul == n && memcmp(used->data + u + sizeof(ul), key, n) == 0;
			u += sizeof(ul) + ul;
		}
		if (!dup)
			break;
		if (tries == 100) {
			/* an unlikely run of keys seen already: one made from the count */
			n = (size_t)snprintf((char *)key, sizeof(key), "key-%zu", used->len);
			break;
		}
	}
	if (ak_buf_append(used, &n, sizeof(n), err) != AK_OK ||
	    ak_buf_append(used, key, n, err) != AK_OK || ak_buf_put_long(b, (int64_t)n, err) != AK_OK)
		return AK_E_NOMEM;
	return ak_buf_append(b, key, n, err);
}

static int gen_list(struct ak_random *r, const struct ak_node *n, unsigned depth,
		    struct ak_buf *b, struct ak_error *err)
{
	size_t count = 0;
	struct ak_buf used = AK_BUF_INIT;
	int rc = AK_OK;

	if (!ending(r, depth) && r->ends[n->items->id] != NEVER)
		count = below(r, r->opts.max_items + 1);
	if (count && (rc = ak_buf_put_long(b, (int64_t)count, err)) != AK_OK)
		return rc;
	for (size_t i = 0; i < count && rc == AK_OK; i++) {
		if (n->type == AK_MAP && (rc = put_key(r, b, &used, err)) != AK_OK)
			break;
		rc = gen(r, n->items, depth + 1, b, err);
	}
	ak_buf_release(&used);
	if (rc != AK_OK)
		return rc;
	return ak_buf_put_long(b, 0, err);
}

static int gen(struct ak_random *r, const struct ak_node *n, unsigned depth, struct ak_buf *b,
	       struct ak_error *err)
{
	int rc;

	if (depth > HARD_DEPTH)
		return ak_fail(err, AK_E_LIMIT, "random value nested deeper than %d levels",
			       HARD_DEPTH);
	if (r->budget)
		r->budget--;
	if (b->len - r->start > AK_RANDOM_SOFT_BYTES)
		r->budget = 0; /* large enough: values end from here on */
	switch (n->type) {
	case AK_NULL:
		return AK_OK;
	case AK_BOOLEAN: {
		unsigned char v = (unsigned char)(next(r) & 1);

		return ak_buf_append(b, &v, 1, err);
	}
	case AK_INT:
		switch (n->logical) {
		case AK_LT_DATE:
			return ak_buf_put_long(b, between(r, DAY_MIN, DAY_MAX), err);
		case AK_LT_TIME_MILLIS:
			return ak_buf_put_long(b, between(r, 0, 86399999), err);
		default:
			return ak_buf_put_long(b, random_integer(r, 32), err);
		}
	case AK_LONG:
		switch (n->logical) {
		case AK_LT_TIME_MICROS:
			return ak_buf_put_long(b, between(r, 0, 86399999999LL), err);
		case AK_LT_TIMESTAMP_MILLIS:
		case AK_LT_LOCAL_TIMESTAMP_MILLIS:
			return ak_buf_put_long(b, between(r, SEC_MIN * 1000, SEC_MAX * 1000 + 999), err);
		case AK_LT_TIMESTAMP_MICROS:
		case AK_LT_LOCAL_TIMESTAMP_MICROS:
			return ak_buf_put_long(b, between(r, SEC_MIN * 1000000, SEC_MAX * 1000000 + 999999),
					err);
		case AK_LT_TIMESTAMP_NANOS:
		case AK_LT_LOCAL_TIMESTAMP_NANOS:
			return ak_buf_put_long(b, between(r, SEC_MIN * 1000000000,
						   SEC_MAX * 1000000000 + 999999999), err);
		default:
			return ak_buf_put_long(b, random_integer(r, 64), err);
		}
	case AK_FLOAT: {
		float f = (float)random_real(r, 1);
		uint32_t u;

		memcpy(&u, &f, 4);
		return ak_buf_put_le(b, u, 4, err);
	}
	case AK_DOUBLE: {
		double d = random_real(r, 0);
		uint64_t u;

		memcpy(&u, &d, 8);
		return ak_buf_put_le(b, u, 8, err);
	}
	case AK_STRING:
		if (n->logical == AK_LT_UUID)
			return put_uuid_string(r, b, err);
		return put_string(r, b, err);
	case AK_BYTES: {
		size_t len;

		if (n->logical == AK_LT_DECIMAL)
			return put_decimal(r, b, n->precision, 0, err);
		len = below(r, r->opts.max_length + 1);
		if ((rc = ak_buf_put_long(b, (int64_t)len, err)) != AK_OK)
			return rc;
		return put_random_bytes(r, b, len, err);
	}
	case AK_FIXED:
		if (n->logical == AK_LT_DECIMAL)
			return put_decimal(r, b, n->precision, n->size, err);
		if (n->logical == AK_LT_DURATION) {
			if ((rc = ak_buf_put_le(b, (uint64_t)between(r, 0, 1200), 4, err)) != AK_OK ||
			    (rc = ak_buf_put_le(b, (uint64_t)between(r, 0, 30), 4, err)) != AK_OK)
				return rc;
			return ak_buf_put_le(b, (uint64_t)between(r, 0, 86399999), 4, err);
		}
		if ((rc = put_random_bytes(r, b, n->size, err)) != AK_OK)
			return rc;
		if (n->logical == AK_LT_UUID) {
			/* version 4, variant 10, like the uuid strings */
			b->data[b->len - 10] = (unsigned char)((b->data[b->len - 10] & 0x0f) | 0x40);
			b->data[b->len - 8] = (unsigned char)((b->data[b->len - 8] & 0x3f) | 0x80);
		}
		return AK_OK;
	case AK_ENUM:
		return ak_buf_put_long(b, (int64_t)below(r, n->nsymbols), err);
	case AK_ARRAY:
	case AK_MAP:
		return gen_list(r, n, depth, b, err);
	case AK_UNION:
		return gen_union(r, n, depth, b, err);
	case AK_RECORD:
		for (size_t i = 0; i < n->nfields; i++)
			if ((rc = gen(r, n->fields[i].type, depth + 1, b, err)) != AK_OK)
				return rc;
		return AK_OK;
	}
	return ak_fail(err, AK_E_ARG, "bad schema node");
}

int ak_random_datum(struct ak_random *r, struct ak_buf *out, struct ak_error *err)
{
	size_t mark = out->len;
	int rc;

	r->budget = AK_RANDOM_BUDGET;
	r->start = mark;
	rc = gen(r, ak_schema_root(r->schema), 0, out, err);
	if (rc != AK_OK)
		out->len = mark;
	return rc;
}

AK_API int ak_random_next(struct ak_random *r, size_t n, const void **data, size_t *len,
			  struct ak_error *err)
{
	int rc = AK_OK;

	if (!r || !data || !len) {
		if (data)
			*data = NULL;
		if (len)
			*len = 0;
		return ak_fail(err, AK_E_ARG, "no generator, or no place for the datums");
	}
	r->out.len = 0;
	for (size_t i = 0; i < n && rc == AK_OK; i++)
		rc = ak_random_datum(r, &r->out, err);
	if (rc != AK_OK) {
		*data = NULL;
		*len = 0;
		return rc;
	}
	/* a pointer for no datums too */
	*data = r->out.data ? (const void *)r->out.data : (const void *)"";
	*len = r->out.len;
	return AK_OK;
}
