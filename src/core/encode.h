/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text -> Avro binary, driven by a plan. The encoder reads tokens from a struct
 * ak_json_in and writes binary as it goes: there is no JSON tree per record. Record fields may
 * come in any order (they are put in schema order at the end of the object; in order, nothing
 * is copied), missing fields take their schema default (encoded once, when the encoder is
 * made), and every error carries the line and column of the offending token and the path of
 * the field ("field \"address.zip\": expected string, got number").
 *
 * The default input is Avro's JSON encoding (unions as {"branch": value}, null bare; bytes and
 * fixed as strings of code points U+0000..U+00FF). Other modes take the same entry points.
 */
#ifndef AK_ENCODE_H
#define AK_ENCODE_H

#include "buf.h"
#include "error.h"
#include "json_in.h"
#include "plan.h"

enum ak_encode_flags {
	AK_ENCODE_IGNORE_UNKNOWN = 1 << 0, /* skip JSON fields the record does not have */
	AK_ENCODE_PLAIN = 1 << 1,          /* plain JSON: union branch picked from the value,
					    * logical types in their readable forms too */
	AK_ENCODE_BYTES_BASE64 = 1 << 2,   /* plain bytes and fixed given as base64 */
	AK_ENCODE_BYTES_HEX = 1 << 3,      /* plain bytes and fixed given as hex */
};

struct ak_json_encoder;

/* The encoder's flags for the public JSON flags (enum ak_json_flags of avrokit.h). */
static inline unsigned ak_encode_flags_of(unsigned json_flags)
{
	return (json_flags & AK_JSON_IGNORE_UNKNOWN ? AK_ENCODE_IGNORE_UNKNOWN : 0) |
	       (json_flags & AK_JSON_PLAIN ? AK_ENCODE_PLAIN : 0) |
	       (json_flags & AK_JSON_BYTES_BASE64 ? AK_ENCODE_BYTES_BASE64 : 0) |
	       (json_flags & AK_JSON_BYTES_HEX ? AK_ENCODE_BYTES_HEX : 0);
}

/* The plan is borrowed and must outlive the encoder. NULL with @err on failure (a default that
 * cannot be encoded). */
struct ak_json_encoder *ak_json_encoder_new(const struct ak_plan *plan, unsigned flags,
				  struct ak_error *err);
void ak_json_encoder_free(struct ak_json_encoder *e);

/*
 * Read one JSON value from @j and append its binary encoding to @out. Returns AK_OK, AK_EOF
 * when the input holds no more values (only whitespace), or an error (AK_E_JSON with
 * err->line/column set). On error @out may hold a partial record: the caller rolls it back.
 */
int ak_json_encode(struct ak_json_encoder *e, struct ak_json_in *j, struct ak_buf *out,
		   struct ak_error *err);

#endif /* AK_ENCODE_H */
