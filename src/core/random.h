/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random data for a schema (avro-tools' `random`): Avro binary datums written straight from the
 * schema's nodes, every value valid for its type: strings of valid UTF-8 (with two-, three- and
 * four-byte characters), enum symbols, fixed values of their exact size, decimals within their
 * precision, dates and timestamps between the years 1900 and 2100, times within a day,
 * uuids in their form. Recursion is bounded: past a depth (or a number of values in one
 * datum) arrays and maps are empty and unions take the branch that ends soonest; a schema
 * whose recursion can never end (a record that always holds itself) is refused. The branches
 * of a union are taken in turn on its first visits, then at random, so a few records visit
 * them all.
 *
 * The generator is xoshiro256** seeded through splitmix64: the same seed gives the same
 * datums on every platform, and ak_random_sync() derives a sync marker from it, so that a
 * data file made from a seed is the same bytes every time.
 */
#ifndef AK_RANDOM_H
#define AK_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "container.h"
#include "error.h"
#include "schema.h"

struct ak_random_opts {
	uint64_t seed;
	unsigned max_depth;  /* nesting of records, arrays and maps before values end;
				* 0: AK_RANDOM_MAX_DEPTH */
	unsigned max_items;  /* arrays and maps hold 0 to this many items; 0: AK_RANDOM_MAX_ITEMS */
	unsigned max_length; /* strings (in characters) and bytes have 0 to this many;
			      * 0: AK_RANDOM_MAX_LENGTH */
};

#define AK_RANDOM_MAX_DEPTH 6
#define AK_RANDOM_MAX_ITEMS 5
#define AK_RANDOM_MAX_LENGTH 16
/* After this many values in one datum, arrays and maps are empty and unions end soonest. */
#define AK_RANDOM_BUDGET 2000

struct ak_random;

/*
 * A generator for @s (borrowed: it must outlive the generator). NULL with @err: AK_E_SCHEMA
 * when no value of the schema can be finite.
 */
struct ak_random *ak_random_new(const struct ak_schema *s, const struct ak_random_opts *opts,
				struct ak_error *err);

/* Does nothing when @r is NULL. */
void ak_random_free(struct ak_random *r);

/* Append the binary encoding of the next random datum to @out. AK_OK or AK_E_NOMEM. */
int ak_random_datum(struct ak_random *r, struct ak_buf *out, struct ak_error *err);

/* A sync marker made from @seed (a stream of its own, apart from the datums'). */
void ak_random_sync(uint64_t seed, unsigned char sync[AK_SYNC_SIZE]);

#endif /* AK_RANDOM_H */
