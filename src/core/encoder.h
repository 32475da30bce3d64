/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The encoder from C values (struct ak_encoder, avrokit.h): the parts the writer needs that
 * the public API does not show. A writer's encoder appends its datums straight to the
 * writer's block buffer; the writer asks whether exactly one whole datum came since the last
 * record, and starts the encoder afresh after each record or error.
 */
#ifndef AK_ENCODER_H
#define AK_ENCODER_H

#include "avrokit.h"
#include "buf.h"

/* An encoder that appends its datums to @out (borrowed; must outlive the encoder) instead of
 * a buffer of its own. */
struct ak_encoder *ak_encoder_new_into(const struct ak_schema *s,
				       const struct ak_encoder_opts *o, struct ak_buf *out,
				       struct ak_error *err);

/* 1 when nothing was put since the last restart: no datum, nothing unfinished, no error. */
int ak_encoder_idle(const struct ak_encoder *e);

/* Whole datums put since the last restart (or reset). */
size_t ak_encoder_count(const struct ak_encoder *e);

/* AK_OK when no value is unfinished and no error was met since the last restart, else
 * AK_E_STATE (a value is unfinished) or the first error, copied into @err. */
int ak_encoder_check(const struct ak_encoder *e, struct ak_error *err);

/* Forget the unfinished value, the count and any error, leaving the output buffer as it is
 * (its owner truncates it). */
void ak_encoder_restart(struct ak_encoder *e);

#endif /* AK_ENCODER_H */
