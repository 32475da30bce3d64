/* SPDX-License-Identifier: Apache-2.0 */
/*
 * getmeta: the metadata of a data file, as "KEY<TAB>VALUE" lines like avro-tools, or with
 * --json as one JSON object.
 */
#include <string.h>

#include "cli.h"

enum { OPT_KEY = 'k', OPT_OUTPUT = 'o', OPT_JSON = 'j' };

static const struct cli_option opts[] = {
	{ "key", OPT_KEY, "KEY", "print only the value of KEY (exit 1 if it is absent)" },
	{ "json", OPT_JSON, NULL,
	  "print one JSON object of the metadata (a value that is not UTF-8 as "
	  "{\"base64\": ...}); with --key, the value alone as JSON" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

/*
 * A value as JSON: a string when it is valid UTF-8 (metadata values are bytes, but nearly
 * always text), else {"base64":"..."}, so that no byte is lost or changed.
 */
static int put_value(struct ak_buf *b, const struct ak_meta_entry *e, struct ak_error *err)
{
	size_t mark = b->len;

	if (ak_buf_reserve(b, AK_JSON_STRING_MAX(e->value_len) + AK_PLAIN_BYTES_MAX(e->value_len) +
			   16, err) != AK_OK)
		return err->code;
	if (ak_json_put_string(b, e->value, e->value_len) == 0)
		return AK_OK;
	b->len = mark;
	memcpy(b->data + b->len, "{\"base64\":", 10);
	b->len += 10;
	ak_plain_base64(b, e->value, e->value_len);
	b->data[b->len++] = '}';
	return AK_OK;
}

/* The whole metadata as one JSON object, in file order; a key that is not UTF-8 gets U+FFFD
 * for its bad bytes (keys are Avro strings). */
static int put_object(struct ak_buf *b, const struct ak_reader *r, struct ak_error *err)
{
	if (ak_buf_append(b, "{", 1, err) != AK_OK)
		return err->code;
	for (size_t i = 0; i < ak_reader_meta_count(r); i++) {
		const struct ak_meta_entry *e = ak_reader_meta(r, i);
		size_t klen = strlen(e->key);

		if (ak_buf_reserve(b, AK_JSON_STRING_MAX(klen) + 2, err) != AK_OK)
			return err->code;
		if (i)
			b->data[b->len++] = ',';
		ak_json_put_string(b, (const unsigned char *)e->key, klen);
		b->data[b->len++] = ':';
		if (put_value(b, e, err) != AK_OK)
			return err->code;
	}
	return ak_buf_append(b, "}", 1, err);
}

int cmd_getmeta(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_input in;
	struct ak_error err = { 0 };
	struct ak_reader *r = NULL;
	const char *outpath = NULL, *key = NULL, *errname;
	char **files;
	int nfiles, c, ret = CLI_EXIT_DATA, opened = 0, json = 0;

	cli_opts_init(&o, "getmeta", "[OPTION]... [FILE]",
		      "Print the metadata of an Avro data file, one \"KEY<TAB>VALUE\" line per entry\n"
		      "in file order, or with --json one JSON object. With no FILE, or when FILE is\n"
		      "-, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_KEY:
			key = o.arg;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles > 1)
		return cli_usage_error("getmeta", "one input at most (got %d)", nfiles);
	errname = nfiles ? files[0] : "(standard input)";
	if (cli_input_open(&in, nfiles ? files[0] : NULL, &err) != AK_OK)
		goto out;
	errname = in.name;
	if (!(r = ak_reader_open(&in.src, cli_limits, &err)))
		goto out;
	if (key && !ak_reader_meta_find(r, key)) {
		ak_fail(&err, AK_E_FORMAT, "no metadata key \"%s\"", key);
		goto out;
	}
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (json) {
		if ((key ? put_value(&out.out.b, ak_reader_meta_find(r, key), &err)
			 : put_object(&out.out.b, r, &err)) != AK_OK ||
		    ak_buf_append(&out.out.b, "\n", 1, &err) != AK_OK)
			goto out;
		ret = CLI_EXIT_OK;
		goto out;
	}
	for (size_t i = 0; i < ak_reader_meta_count(r); i++) {
		const struct ak_meta_entry *e = ak_reader_meta(r, i);
		size_t klen = strlen(e->key);

		if (key && strcmp(key, e->key) != 0)
			continue;
		if (!key && (ak_buf_append(&out.out.b, e->key, klen, &err) != AK_OK ||
			     ak_buf_append(&out.out.b, "\t", 1, &err) != AK_OK))
			goto out;
		if (ak_buf_append(&out.out.b, e->value, e->value_len, &err) != AK_OK ||
		    ak_buf_append(&out.out.b, "\n", 1, &err) != AK_OK)
			goto out;
		if (key)
			break;
	}
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK)
		ret = CLI_EXIT_DATA;
	if (ret != CLI_EXIT_OK)
		cli_report("getmeta", errname, &err);
	ak_reader_free(r);
	cli_input_close(&in);
	return ret;
}
