/* SPDX-License-Identifier: Apache-2.0 */
/* compatible: can data written with one schema be read with another? */
#include <stdio.h>

#include "cli.h"

enum { OPT_READER = 'r', OPT_WRITER = 'w', OPT_QUIET = 'q' };

static const struct cli_option opts[] = {
	{ "reader", OPT_READER, "FILE", "the reader's schema (a schema or a data file)" },
	{ "writer", OPT_WRITER, "FILE", "the writer's schema (a schema or a data file)" },
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
	const char *rpath = NULL, *wpath = NULL;
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
			rpath = o.arg;
			break;
		case OPT_WRITER:
			wpath = o.arg;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		}
	}
	if (cli_opts_rest(&o, &rest) > 0)
		return cli_usage_error("compatible", "unexpected argument '%s'", rest[0]);
	if (!rpath || !wpath)
		return cli_usage_error("compatible", "both --reader and --writer are needed");
	if (!(rs = cli_schema_load(rpath, &err))) {
		cli_report("compatible", rpath, &err);
		goto out;
	}
	if (!(ws = cli_schema_load(wpath, &err))) {
		cli_report("compatible", wpath, &err);
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
