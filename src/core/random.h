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

/* struct ak_random_opts, ak_random_new(), ak_random_free(), ak_random_next() and
 * ak_random_sync() are public: avrokit.h. The defaults of the options: */
#define AK_RANDOM_MAX_DEPTH 6
#define AK_RANDOM_MAX_ITEMS 5
#define AK_RANDOM_MAX_LENGTH 16
/* After this many values in one datum, or once it has this many bytes, arrays and maps are
 * empty and unions end soonest (and smallest). */
#define AK_RANDOM_BUDGET 2000
#define AK_RANDOM_SOFT_BYTES (1 << 20)
/* No datum takes more bytes than this (only fixed types of many megabytes come near it):
 * AK_E_LIMIT. */
#define AK_RANDOM_MAX_BYTES (64 << 20)

/* Append the binary encoding of the next random datum to @out. AK_OK, AK_E_NOMEM or
 * AK_E_LIMIT (a datum larger than AK_RANDOM_MAX_BYTES). */
int ak_random_datum(struct ak_random *r, struct ak_buf *out, struct ak_error *err);

#endif /* AK_RANDOM_H */
