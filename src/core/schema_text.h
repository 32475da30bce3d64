/* SPDX-License-Identifier: Apache-2.0 */
/* Schema text to jansson and back, past what jansson cannot hold (schema_text.c). */
#ifndef AK_SCHEMA_TEXT_H
#define AK_SCHEMA_TEXT_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* The JSON of a schema text, or NULL with @err set: AK_E_NOMEM, or AK_E_SCHEMA when it is not
 * JSON (err->line and err->column then say where). Its object keys are kept escaped
 * (ak_schema_key_append() gives their bytes). */
json_t *ak_schema_load_json(const char *text, size_t len, struct ak_error *err);

/* json_dumps() of @j with the object keys as they were written (malloc'd), or NULL. */
char *ak_schema_dump_json(const json_t *j, size_t flags);

#endif /* AK_SCHEMA_TEXT_H */
