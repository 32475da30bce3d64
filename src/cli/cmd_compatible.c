/* SPDX-License-Identifier: Apache-2.0 */
/* compatible: can data written with one schema be read with another? */
#include <stdio.h>

#include "cli.h"

enum { OPT_READER = 'r', OPT_WRITER = 'w', OPT_QUIET = 'q' };

static const struct cli_option opts[] = {
	{ "reader", OPT_READER, "FILE",
	  "the reader's schema (a schema or a data file); repeat it for a schema split over "
	  "several files: the last one given is the schema, the others hold named types it uses" },
	{ "writer", OPT_WRITER, "FILE",
	  "the writer's schema (a schema or a data file); repeatable like --reader" },
	{ "quiet", OPT_QUIET, NULL, "print nothing; only the exit status tells" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

int cmd_compatible(int argc, char **argv)
{
	struct cli_opts o;
	struct ak_error err = { 0 };
	struct ak_issues issues = { 0 };
	struct ak_schema *rs = NULL, *ws = NULL;
	struct ak_plan *plan = NULL;
	struct cli_schema_paths rpaths = { .n = 0 }, wpaths = { .n = 0 };
	const char *errname;
	char **rest;
	int c, quiet = 0, ret = CLI_EXIT_DATA;

	cli_opts_init(&o, "compatible", "[OPTION]... --reader FILE --writer FILE",
		      "Check that data written with the writer's schema can be read with the reader's\n"
		      "schema, by the specification's resolution rules. Prints \"compatible\", or\n"
		      "every incompatibility as \"PATH: REASON\" (one per line) and exits 1.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_READER:
		case OPT_WRITER:
			if (cli_schema_paths_add(&o, c == OPT_READER ? &rpaths : &wpaths) != 0)
				return o.exit_code;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		}
	}
	if (cli_opts_rest(&o, &rest) > 0)
		return cli_usage_error("compatible", "unexpected argument '%s'", rest[0]);
	if (!rpaths.n || !wpaths.n)
		return cli_usage_error("compatible", "both --reader and --writer are needed");
	/* the reader's schema is the user's own, checked fully; a data file's schema given as
	 * the writer's is read as the file's readers read it */
	if (!(rs = cli_schema_load_many(rpaths.v, rpaths.n, 0, &errname, &err))) {
		cli_report("compatible", errname, &err);
		goto out;
	}
	if (!(ws = cli_schema_load_many(wpaths.v, wpaths.n, CLI_SCHEMA_DATA_LENIENT, &errname,
					&err))) {
		cli_report("compatible", errname, &err);
		goto out;
	}
	plan = ak_plan_resolve(ws, rs, &issues, &err);
	if (!plan && err.code != AK_E_SCHEMA) {
		cli_report("compatible", NULL, &err);
		goto out;
	}
	if (issues.n == 0) {
		if (!quiet)
			printf("compatible\n");
		ret = CLI_EXIT_OK;
		goto out;
	}
	if (!quiet)
		for (size_t i = 0; i < issues.n; i++)
			printf("%s: %s\n", issues.v[i].path[0] ? issues.v[i].path : "(top level)",
			       issues.v[i].msg);
out:
	ak_plan_free(plan);
	ak_issues_release(&issues);
	ak_schema_free(rs);
	ak_schema_free(ws);
	return ret;
}
