/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field defaults, walked in one place: whether a default's JSON value fits its type (the
 * schema parser's check) and the value as Avro binary (the encoders and the reader's plan keep
 * defaults in that form, so that every consumer can use them).
 */
#ifndef AK_DEFAULT_H
#define AK_DEFAULT_H

#include "buf.h"
#include "error.h"
#include "schema.h"

/*
 * Does the JSON value @json (a jansson json_t *) fit @n as a default? Numbers fit float and
 * double, and so do the strings "NaN", "Infinity" and "-Infinity"; bytes and fixed are strings
 * of code points up to U+00FF (a fixed of its size); a record's missing fields take their own
 * defaults. @first: a union's default must fit its first branch, the specification's rule;
 * else any branch will do, as in Java and Python.
 */
int ak_default_fits(const struct ak_node *n, const void *json, int first);

/* Append the default @json of type @n to @out as Avro binary; a union takes the first branch
 * the value fits. AK_OK; AK_E_SCHEMA when it does not fit; AK_E_NOMEM. */
int ak_encode_default(const struct ak_node *n, const void *json, struct ak_buf *out,
		      struct ak_error *err);

#endif /* AK_DEFAULT_H */
