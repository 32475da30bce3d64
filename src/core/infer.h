/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema inference: JSON values in, one Avro schema out that every one of them satisfies when
 * read back with fromjson --plain (AK_ENCODE_PLAIN). Values are fed one at a time, either as
 * JSON text (ak_infer_json(), over the streaming tokenizer: no tree per value) or as events
 * (ak_infer_begin_object(), ak_infer_key(), ak_infer_long(), ...: what a binding walking its
 * own objects calls). What is kept is a summary of the types seen at each key path, bounded
 * by the options (an object type with more than max_fields distinct keys becomes a map), never
 * the values: memory stays flat however many values come. ak_infer_schema() turns the summary
 * into the schema, and may be called again after more values. Events also take what JSON
 * has not (bytes, decimals, dates, timestamps, uuids, for bindings), each kind its own union
 * branch at its Avro type.
 *
 * The rules (the man page avrokit-infer(1) says the same to users):
 * - objects become records named after their key (address -> Address; unique names, with 2,
 *   3, ... appended when taken); the top level is named by opts.name;
 * - an object with a key that is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*) becomes a
 *   map: a record field must be named by its key for fromjson to find it, and aliases must be
 *   valid names too; so do objects with more than max_fields distinct keys, and objects that
 *   were always empty (a map of strings);
 * - a key missing from some objects, or null in some, gives ["null", T] with default null;
 * - numbers are int, long if one needs 64 bits, double if one has a fraction or an exponent
 *   (or does not fit 64 bits);
 * - a place that holds several kinds of value is a union of at most one branch per JSON kind,
 *   in the order null, boolean, number, string, array, object: fromjson --plain picks a branch
 *   by the kind of value, so it never has two to choose from;
 * - the strings "NaN", "Infinity" and "-Infinity" where numbers are also seen count as
 *   doubles (that is how tojson writes those doubles);
 * - a place that never held anything but null is ["null", "string"]; the items of arrays that
 *   were always empty, and the values of maps that were, are "string";
 * - with opts.logical, strings that are all dates (YYYY-MM-DD) become int/date, all RFC 3339
 *   timestamps with a zone become long/timestamp-millis, -micros or -nanos (the finest their
 *   fractions need), all uuids become string/uuid; not where numbers are also seen.
 */
#ifndef AK_INFER_H
#define AK_INFER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json_in.h"

/* Default for ak_infer_opts.max_fields. */
#define AK_INFER_MAX_FIELDS 1000
/* Values nested deeper than this are refused: the schema for them would be deeper than a
 * schema may be (AK_SCHEMA_MAX_DEPTH counts its nodes). */
#define AK_INFER_MAX_DEPTH 100
/* The largest decimal precision ak_infer_decimal() takes. */
#define AK_INFER_MAX_PRECISION 1000000

/*
 * struct ak_infer_opts, ak_infer_new(), ak_infer_free(), the events (ak_infer_null() ...
 * ak_infer_end_array(), ak_infer_bytes(), ak_infer_decimal(), ak_infer_logical()),
 * ak_infer_count(), ak_infer_schema(), the notes and the chunked text
 * (ak_infer_json_chunk(), ak_infer_json_end()) are public: avrokit.h. Out-of-place events
 * are AK_E_STATE there.
 */

/*
 * Read one JSON value from @j and add it. AK_OK, AK_EOF when the input holds no more values,
 * or AK_E_JSON (invalid JSON, a key twice in one object, a number out of range for double)
 * or AK_E_LIMIT (nested deeper than AK_INFER_MAX_DEPTH), with err->line and column set.
 * After an error the inferer may hold part of the bad value: start again with a new one.
 */
int ak_infer_json(struct ak_infer *inf, struct ak_json_in *j, struct ak_error *err);

/* Every value of @j: a stream of values (newline-delimited or not), or with @array one JSON
 * array whose items are the values (nothing but white space may follow it), as fromjson
 * reads them. */
int ak_infer_json_input(struct ak_infer *inf, struct ak_json_in *j, int array,
			struct ak_error *err);

/* A number as JSON spells it (@is_int: no fraction, no exponent), as fromjson will read it:
 * an integer beyond 64 bits is a double; AK_E_JSON when it is beyond double's range. */
int ak_infer_number(struct ak_infer *inf, const char *tok, size_t len, int is_int,
		    struct ak_error *err);

#endif /* AK_INFER_H */
