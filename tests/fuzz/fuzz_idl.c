/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: Avro IDL. The input is split at NUL bytes into up to four files, 0 (the main
 * one) to 3; an import of "N", "N.avdl", "N.avsc" or "N.avpr" reads file N, so imports, their
 * cycles and JSON schema and protocol files are fuzzed too. Parses, then writes every output
 * (the result, the main schema, each type on its own) and reads the warnings.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFILES 4

struct files {
	const char *text[NFILES];
	size_t len[NFILES];
	int n;
};

static int find(void *ctx, const char *from, const char *path, struct ak_idl_source *out,
		struct ak_error *err)
{
	const struct files *f = ctx;
	size_t n = strlen(path);

	(void)from;
	if (n >= 1 && path[0] >= '0' && path[0] < '0' + f->n &&
	    (n == 1 || (n == 6 && (strcmp(path + 1, ".avdl") == 0 ||
				   strcmp(path + 1, ".avsc") == 0 ||
				   strcmp(path + 1, ".avpr") == 0)))) {
		if (!(out->name = strdup(path)))
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		out->has_id = 1;
		out->id[0] = (uint64_t)(path[0] - '0');
		return AK_OK;
	}
	return ak_fail(err, AK_E_IO, "no such file");
}

static int read_file(void *ctx, struct ak_idl_source *src, size_t max, struct ak_error *err)
{
	const struct files *f = ctx;
	size_t i = (size_t)src->id[0];

	if (f->len[i] > max)
		return ak_fail(err, AK_E_LIMIT, "too large");
	if (!(src->text = malloc(f->len[i] + 1)))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	memcpy(src->text, f->text[i], f->len[i]);
	src->len = f->len[i];
	return AK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct files f = { { NULL }, { 0 }, 0 };
	struct ak_idl_loader loader = { find, read_file, &f };
	struct ak_idl_opts opts = { &loader, 0, 0 };
	struct ak_idl_source src = { NULL, NULL, 0, 1, { 0, 0 } };
	struct ak_error err = { 0 };
	struct ak_buf b = AK_BUF_INIT;
	struct ak_idl *idl;
	const char *p = (const char *)data, *end = p + size;

	while (f.n < NFILES) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		f.text[f.n] = p;
		f.len[f.n] = nul ? (size_t)(nul - p) : (size_t)(end - p);
		f.n++;
		if (!nul)
			break;
		p = nul + 1;
	}
	if (!(src.name = strdup("0.avdl")) || !(src.text = malloc(f.len[0] + 1))) {
		free(src.name);
		return 0;
	}
	memcpy(src.text, f.text[0], f.len[0]);
	src.len = f.len[0];
	if (!(idl = ak_idl_parse(&src, &opts, &err)))
		return 0;
	ak_idl_json(idl, 2, &b, &err);
	b.len = 0;
	ak_idl_schema_json(idl, 0, &b, &err);
	for (size_t i = 0; i < ak_idl_type_count(idl); i++) {
		b.len = 0;
		ak_idl_type_json(idl, i, 0, &b, &err);
	}
	for (size_t i = 0; i < ak_idl_warning_count(idl); i++)
		(void)ak_idl_warning(idl, i)->msg;
	ak_buf_release(&b);
	ak_idl_free(idl);
	return 0;
}
