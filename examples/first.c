/* SPDX-License-Identifier: Apache-2.0 */
/*
 * first.c: print one field of every record of an Avro data file, without going through JSON.
 *
 *     first FILE [FIELD]
 *
 * Prints FIELD (by default the first field) of each record, one line per record: strings,
 * numbers and enum symbols as they are, other types as their type name. Build: see README.md
 * beside this file.
 */
#include <avrokit.h>
#include <inttypes.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	struct ak_error err;
	struct ak_reader *r;
	const struct ak_value *rec, *v;
	enum ak_type t;
	char msg[1024];
	int rc = AK_E_ARG;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: first FILE [FIELD]\n");
		return 2;
	}
	/* NULL options: the defaults, records read as the file's own schema. */
	if (!(r = ak_reader_open_path(argv[1], NULL, &err)))
		goto fail;
	/* One record per call until AK_EOF, as a value tree valid until the next call. */
	while ((rc = ak_reader_read_value(r, &rec, &err)) == AK_OK) {
		v = argc == 3 ? ak_value_field(rec, argv[2]) : ak_value_at(rec, 0);
		if (!v) {
			ak_reader_free(r);
			fprintf(stderr, "first: %s: the records have no field %s\n", argv[1],
				argc == 3 ? argv[2] : "at all");
			return 1;
		}
		t = ak_value_type(v); /* for a union: the type of the branch the value has */
		if (t == AK_STRING)
			puts(ak_value_string(v, NULL)); /* strings are NUL-terminated too */
		else if (t == AK_INT || t == AK_LONG)
			printf("%" PRId64 "\n", ak_value_long(v));
		else if (t == AK_FLOAT || t == AK_DOUBLE)
			printf("%g\n", ak_value_double(v));
		else if (t == AK_ENUM)
			puts(ak_value_symbol(v));
		else
			printf("(%s)\n", ak_type_name(t));
	}
	ak_reader_free(r);
	if (rc == AK_EOF)
		return 0;
fail:
	/* "block 0 (offset 107): record 3: ...": where and what, from the error's fields */
	ak_error_format(&err, msg, sizeof(msg));
	fprintf(stderr, "first: %s: %s\n", argv[1], msg);
	return 1;
}
