/* SPDX-License-Identifier: Apache-2.0 */
/* getmeta: the metadata of a data file, as "KEY<TAB>VALUE" lines like avro-tools. */
#include <string.h>

#include "cli.h"

enum { OPT_KEY = 'k', OPT_OUTPUT = 'o' };

static const struct cli_option opts[] = {
	{ "key", OPT_KEY, "KEY", "print only the value of KEY (exit 1 if it is absent)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

int cmd_getmeta(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_input in;
	struct ak_error err = { 0 };
	struct ak_reader *r = NULL;
	const char *outpath = NULL, *key = NULL, *errname;
	char **files;
	int nfiles, c, ret = CLI_EXIT_DATA, opened = 0;

	cli_opts_init(&o, "getmeta", "[OPTION]... [FILE]",
		      "Print the metadata of an Avro data file, one \"KEY<TAB>VALUE\" line per entry\n"
		      "in file order. With no FILE, or when FILE is -, read standard input.",
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
