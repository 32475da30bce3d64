/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text into a container file: a stream of JSON values (or one array of them) read from a
 * source, encoded and written as records, parsed on threads when there are several.
 */
#ifndef AK_WRITER_JSON_H
#define AK_WRITER_JSON_H

#include "avrokit.h"
#include "container.h"
#include "io.h"
#include "plan.h"

/*
 * Encode every JSON value of @src (per @json_flags: enum ak_json_flags) with @plan (the
 * writer's schema) and append them to @w as records, parsing on @threads threads when the
 * input is larger than one chunk (the file is the same either way, and so is the first error,
 * with its line and column). @progress (may be NULL) is told the records written and the
 * input bytes read now and then.
 */
int ak_json_to_writer(struct ak_writer *w, const struct ak_plan *plan, struct ak_source *src,
		      unsigned json_flags, unsigned threads, ak_progress_fn progress, void *pctx,
		      struct ak_error *err);

#endif /* AK_WRITER_JSON_H */
