/* SPDX-License-Identifier: Apache-2.0 */
/* The only place that prints messages: "avrokit CMD: INPUT: where: what". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_stdout_reported;

/* The option that raises the limit a read limit error is about. */
static const char *limit_hint(const struct ak_error *err)
{
	if (!err || err->code != AK_E_LIMIT)
		return "";
	if (err->flags & AK_ERROR_LIMIT_HEADER)
		return " (--max-header-size raises the limit)";
	if (err->flags & AK_ERROR_LIMIT_BLOCK)
		return " (--max-block-size raises the limit)";
	return "";
}

void cli_report(const char *cmd, const char *input, const struct ak_error *err)
{
	char msg[AK_ERROR_MSG_MAX + AK_ERROR_PATH_MAX + 128];
	const char *hint = limit_hint(err);

	fflush(stdout);
	cli_progress_interrupt();
	if (!err || (!err->code && !err->msg[0]))
		snprintf(msg, sizeof(msg), "unknown error");
	else
		ak_error_format(err, msg, sizeof(msg));
	/* a message that starts with the input's name already (an output path that cannot be
	 * created, or "FILE:LINE:COL: " of an IDL file) does not get it twice */
	if (input && !(err && err->line) && strncmp(msg, input, strlen(input)) == 0 &&
	    (strncmp(msg + strlen(input), ": ", 2) == 0 ||
	     (msg[strlen(input)] == ':' && msg[strlen(input) + 1] >= '0' &&
	      msg[strlen(input) + 1] <= '9')))
		input = NULL;
	if (input && err && err->line)
		fprintf(stderr, "avrokit %s: %s:%s%s\n", cmd, input, msg, hint);
	else if (input)
		fprintf(stderr, "avrokit %s: %s: %s%s\n", cmd, input, msg, hint);
	else
		fprintf(stderr, "avrokit %s: %s%s\n", cmd, msg, hint);
}

void cli_msg(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	cli_progress_interrupt();
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
