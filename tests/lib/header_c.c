/* SPDX-License-Identifier: Apache-2.0 */
/*
 * header_c.c: include/avrokit.h compiles alone, first, in strict C (tests/lib/header.sh
 * builds this as C99 and C11 with -pedantic -Wall -Wextra -Werror and more, links it with
 * the library and runs it). It uses a little of each kind of declaration the header has:
 * option structs and their init functions, the visitor initialiser, callbacks, enums, the
 * error struct and the version macros, and checks that the header and the library loaded
 * agree on the version.
 */
#include <avrokit.h>
#include <stdio.h>
#include <string.h>

static int on_long(void *ctx, const struct ak_node *type, int64_t v)
{
	(void)type;
	*(int64_t *)ctx = v;
	return 0;
}

static ssize_t no_input(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return 0;
}

int main(int argc, char **argv)
{
	struct ak_visitor v = AK_VISITOR_INIT;
	struct ak_reader_opts ro;
	struct ak_writer_opts wo;
	struct ak_error err;
	struct ak_schema *s;
	struct ak_reader *r;
	struct ak_decoder *d;
	const unsigned char datum[] = { 0x36 }; /* 27 */
	int64_t got = 0;
	ak_read_fn read = no_input;
	enum ak_type t = AK_RECORD;
	char buf[1024];

	v.on_long = on_long;
	ak_reader_opts_init(&ro);
	ak_writer_opts_init(&wo);
	ak_error_clear(&err);
	if (strcmp(ak_version(), AK_VERSION_STRING) != 0 ||
	    ak_version_number() != AK_VERSION_NUMBER || v.size != sizeof(v) ||
	    err.offset != AK_NO_POS) {
		fprintf(stderr, "header_c: the header and the library disagree\n");
		return 1;
	}
	/* With an argument: that version string is the project's (meson's), which the
	 * header's macros must say too. */
	if (argc > 1 && strcmp(argv[1], AK_VERSION_STRING) != 0) {
		fprintf(stderr, "header_c: AK_VERSION_STRING is %s, the project's version %s\n",
			AK_VERSION_STRING, argv[1]);
		return 1;
	}
	/* No bytes at all: not a data file. */
	r = ak_reader_open_callbacks(read, NULL, NULL, &ro, &err);
	if (r || err.code != AK_E_FORMAT) {
		ak_reader_free(r);
		fprintf(stderr, "header_c: an empty input opened, or failed with %d\n", err.code);
		return 1;
	}
	if (!(s = ak_schema_parse("\"long\"", 6, 0, &err)))
		goto fail;
	if (!(d = ak_decoder_new(s, NULL, &err)) ||
	    ak_decode(d, datum, sizeof(datum), NULL, &v, &got, &err) != AK_OK || got != 27) {
		ak_decoder_free(d);
		ak_schema_free(s);
		goto fail;
	}
	ak_decoder_free(d);
	ak_schema_free(s);
	printf("%s %s %s\n", ak_version(), ak_type_name(t), ak_status_name(AK_E_FORMAT));
	return 0;
fail:
	ak_error_format(&err, buf, sizeof(buf));
	fprintf(stderr, "header_c: %s\n", buf);
	return 1;
}
