/* SPDX-License-Identifier: Apache-2.0 */
/* The only place that prints messages: "avrokit CMD: INPUT: where: what". */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void cli_report(const char *cmd, const char *input, const struct ak_error *err)
{
	const char *msg = err && err->msg[0] ? err->msg : "unknown error";

	fflush(stdout);
	if (input && err && err->line)
		fprintf(stderr, "avrokit %s: %s:%lu:%lu: %s\n", cmd, input, err->line, err->column,
			msg);
	else if (input)
		fprintf(stderr, "avrokit %s: %s: %s\n", cmd, input, msg);
	else
		fprintf(stderr, "avrokit %s: %s\n", cmd, msg);
}

void cli_msg(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "avrokit%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "avrokit%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'avrokit %s%s--help' for more information.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return CLI_EXIT_USAGE;
}
