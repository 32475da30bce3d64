/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idl2schemata: one NAME.avsc per named type of an Avro IDL file, as avro-tools idl2schemata
 * writes them: the file is named after the type's simple name, and holds the type as a schema
 * on its own, the types it uses defined inline where first used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

enum { OPT_IMPORT_DIR = 'I' };

static const struct cli_option opts[] = {
	{ "import-dir", OPT_IMPORT_DIR, "DIR",
	  "look for imported files in DIR too, after the importing file's directory (repeatable)" },
	{ NULL, 0, NULL, NULL },
};

/* mkdir -p */
static int make_dirs(const char *path, struct ak_error *err)
{
	char *p = strdup(path);
	struct stat st;
	int rc = AK_OK;

	if (!p)
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = ak_fail_errno(err, errno, "cannot create the directory %s", p);
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (rc == AK_OK && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
		rc = ak_fail(err, AK_E_IO, "%s is not a directory", path);
	free(p);
	return rc;
}

static struct ak_idl *sort_idl;

static int by_name(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(ak_idl_type_name(sort_idl, i), ak_idl_type_name(sort_idl, j));

	return c ? c : (i > j) - (i < j);
}

/* Warn about types that share a simple name: their files are the same, and the one written
 * last stays (what avro-tools does, silently). */
static int warn_same_names(struct ak_idl *idl, const char *dir)
{
	size_t n = ak_idl_type_count(idl), *idx = malloc((n ? n : 1) * sizeof(*idx));

	if (!idx)
		return -1;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_idl = idl;
	qsort(idx, n, sizeof(*idx), by_name);
	for (size_t i = 1; i < n; i++)
		if (strcmp(ak_idl_type_name(idl, idx[i]), ak_idl_type_name(idl, idx[i - 1])) == 0)
			cli_msg("idl2schemata", "%s/%s.avsc: warning: written for both %s and %s; "
				"the second one stays", dir, ak_idl_type_name(idl, idx[i]),
				ak_idl_type_fullname(idl, idx[i - 1]),
				ak_idl_type_fullname(idl, idx[i]));
	free(idx);
	return 0;
}

int cmd_idl2schemata(int argc, char **argv)
{
	struct cli_opts o;
	struct ak_error err = { 0 };
	struct ak_idl *idl = NULL;
	const char *inpath, *inname, *dir = ".";
	char **rest, **dirs;
	size_t ndirs = 0;
	int c, n, ret = CLI_EXIT_DATA;

	cli_opts_init(&o, "idl2schemata", "[OPTION]... INPUT [OUTDIR]",
		      "Write each named type (record, error, enum, fixed) of an Avro IDL file,\n"
		      "imported ones included, to OUTDIR/NAME.avsc, as avro-tools idl2schemata\n"
		      "does: the type as a schema on its own, the types it uses defined inline.\n"
		      "OUTDIR (default: the current directory) is created when missing. INPUT -\n"
		      "is standard input. Each file is written to a temporary file and renamed\n"
		      "into place.",
		      opts, argc, argv);
	if (!(dirs = calloc((size_t)argc + 1, sizeof(*dirs)))) {
		cli_msg("idl2schemata", "out of memory");
		return CLI_EXIT_DATA;
	}
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			free(dirs);
			return o.exit_code;
		case OPT_IMPORT_DIR:
			dirs[ndirs++] = (char *)o.arg;
			break;
		}
	}
	n = cli_opts_rest(&o, &rest);
	if (n < 1 || n > 2) {
		free(dirs);
		if (n < 1)
			return cli_usage_error("idl2schemata", "an INPUT is needed (- for standard "
					       "input)");
		return cli_usage_error("idl2schemata", "at most an INPUT and an OUTDIR (got %d "
				       "arguments)", n);
	}
	inpath = rest[0];
	inname = strcmp(inpath, "-") ? inpath : "(standard input)";
	if (n > 1)
		dir = rest[1];
	if (!(idl = cli_idl_load(inpath, dirs, ndirs, &err))) {
		cli_report("idl2schemata", err.code == AK_E_SCHEMA ? NULL : inname, &err);
		goto done;
	}
	cli_idl_warnings("idl2schemata", idl);
	if (make_dirs(dir, &err) != AK_OK) {
		cli_report("idl2schemata", NULL, &err);
		goto done;
	}
	if (warn_same_names(idl, dir) != 0) {
		cli_msg("idl2schemata", "out of memory");
		goto done;
	}
	ret = CLI_EXIT_OK;
	for (size_t i = 0; i < ak_idl_type_count(idl) && ret == CLI_EXIT_OK; i++) {
		const char *name = ak_idl_type_name(idl, i);
		size_t dl = strlen(dir), nl = strlen(name);
		char *path = malloc(dl + nl + 7);
		struct ak_buf b = AK_BUF_INIT;
		struct cli_output out;
		int ok = 0;

		if (!path) {
			cli_msg("idl2schemata", "out of memory");
			ret = CLI_EXIT_DATA;
			break;
		}
		memcpy(path, dir, dl);
		path[dl] = '/';
		memcpy(path + dl + 1, name, nl);
		memcpy(path + dl + 1 + nl, ".avsc", 6);
		if (ak_idl_type_json(idl, i, 2, &b, &err) != AK_OK ||
		    ak_buf_append(&b, "\n", 1, &err) != AK_OK) {
			cli_report("idl2schemata", inname, &err);
			ret = CLI_EXIT_DATA;
		} else if (cli_output_open(&out, path, rest, 1, &err) != AK_OK) {
			cli_report("idl2schemata", path, &err);
			ret = CLI_EXIT_DATA;
		} else {
			ok = ak_out_write(&out.out, b.data, b.len, &err) == AK_OK;
			if (cli_output_finish(&out, ok, &err) != AK_OK || !ok) {
				cli_report("idl2schemata", path, &err);
				ret = CLI_EXIT_DATA;
			}
		}
		ak_buf_release(&b);
		free(path);
	}
done:
	ak_idl_free(idl);
	free(dirs);
	return ret;
}
