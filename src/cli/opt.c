/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Options are declared once per command as a table; getopt_long's arrays, --help and the
 * hidden --list-options (which the completion tests read) are all made from it, so parsing,
 * help and completions cannot drift apart.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define KEY_HELP 'h'
#define KEY_LIST_OPTIONS 0x7fff

void cli_opts_init(struct cli_opts *o, const char *cmd, const char *usage, const char *summary,
		   const struct cli_option *opts, int argc, char **argv)
{
	size_t n = 0, s = 0;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->usage = usage;
	o->summary = summary;
	o->opts = opts;
	o->argc = argc;
	o->argv = argv;
	o->shortopts[s++] = ':'; /* report missing arguments as ':' */
	for (const struct cli_option *p = opts; p && p->name && n < CLI_OPT_MAX; p++, n++) {
		o->longopts[n].name = p->name;
		o->longopts[n].has_arg = p->arg ? required_argument : no_argument;
		o->longopts[n].flag = NULL;
		o->longopts[n].val = p->key;
		if (p->key > 0 && p->key < 256) {
			o->shortopts[s++] = (char)p->key;
			if (p->arg)
				o->shortopts[s++] = ':';
		}
	}
	o->longopts[n++] = (struct option){ "help", no_argument, NULL, KEY_HELP };
	o->longopts[n++] = (struct option){ "list-options", no_argument, NULL, KEY_LIST_OPTIONS };
	o->longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	o->shortopts[s++] = 'h';
	o->shortopts[s] = '\0';
	optind = 1;
	opterr = 0;
}

/* Print @text from column @col, wrapping at @width, continuing lines at @col. */
static void print_wrapped(const char *text, int col, int width)
{
	int at = col;

	while (*text) {
		const char *sp = strchr(text, ' ');
		int wl = sp ? (int)(sp - text) : (int)strlen(text);

		if (at > col && at + 1 + wl > width) {
			printf("\n%*s", col, "");
			at = col;
		} else if (at > col) {
			putchar(' ');
			at++;
		}
		printf("%.*s", wl, text);
		at += wl;
		text += wl;
		while (*text == ' ')
			text++;
	}
	putchar('\n');
}

static void print_help(const struct cli_opts *o)
{
	printf("Usage: avrokit %s %s\n%s\n\nOptions:\n", o->cmd, o->usage, o->summary);
	for (const struct cli_option *p = o->opts; p && p->name; p++) {
		char left[64];

		if (p->key > 0 && p->key < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", p->key, p->name,
				 p->arg ? " " : "", p->arg ? p->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", p->name, p->arg ? " " : "",
				 p->arg ? p->arg : "");
		if (strlen(left) > 24)
			printf("  %s\n  %-24s  ", left, "");
		else
			printf("  %-24s  ", left);
		print_wrapped(p->help, 28, 80);
	}
	printf("  %-24s  %s\n", "-h, --help", "show this help and exit");
	printf("\nExit status: 0 on success, 1 if a file or the data is bad, 2 on a usage error.\n"
	       "See avrokit-%s(1) for details.\n", o->cmd);
}

static void list_options(const struct cli_opts *o)
{
	for (const struct cli_option *p = o->opts; p && p->name; p++) {
		if (p->key > 0 && p->key < 256)
			printf("-%c ", p->key);
		printf("--%s%s\n", p->name, p->arg ? "=" : "");
	}
	printf("-h --help\n");
}

/* An unknown long option may be an ambiguous abbreviation: say which options it could be. */
static int unknown_long(const struct cli_opts *o, const char *arg)
{
	char list[256] = "";
	size_t n, used = 0, matches = 0;
	const char *eq;

	if (strncmp(arg, "--", 2) != 0)
		return cli_usage_error(o->cmd, "unknown option '%s'", arg);
	eq = strchr(arg + 2, '=');
	n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	for (const struct option *l = o->longopts; l->name; l++) {
		if (strncmp(l->name, arg + 2, n) != 0)
			continue;
		int k = snprintf(list + used, sizeof(list) - used, "%s--%s", matches ? ", " : "",
				 l->name);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
		matches++;
	}
	if (matches > 1)
		return cli_usage_error(o->cmd, "option '%.*s' is ambiguous: it could be %s",
				       (int)(n + 2), arg, list);
	return cli_usage_error(o->cmd, "unknown option '%s'", arg);
}

int cli_opts_next(struct cli_opts *o)
{
	int c;

again:
	c = getopt_long(o->argc, o->argv, o->shortopts, o->longopts, NULL);
	o->arg = optarg;
	switch (c) {
	case CLI_KEY_MAX_BLOCK:
	case CLI_KEY_MAX_HEADER:
		if (cli_limit_option(o, c) != 0)
			return CLI_OPT_EXIT;
		goto again;
	case -1:
		return CLI_OPT_END;
	case KEY_HELP:
		print_help(o);
		o->exit_code = CLI_EXIT_OK;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_msg(o->cmd, "write error: %s", strerror(errno));
			cli_stdout_reported = 1;
			o->exit_code = CLI_EXIT_DATA;
		}
		return CLI_OPT_EXIT;
	case KEY_LIST_OPTIONS:
		list_options(o);
		o->exit_code = CLI_EXIT_OK;
		return CLI_OPT_EXIT;
	case ':':
		/* name the option as it was typed: --head, not -n */
		if (optopt > 0 && optopt < 256 && strncmp(o->argv[optind - 1], "--", 2) != 0)
			o->exit_code = cli_usage_error(o->cmd, "option '-%c' needs an argument", optopt);
		else
			o->exit_code = cli_usage_error(o->cmd, "option '%s' needs an argument",
						       o->argv[optind - 1]);
		return CLI_OPT_EXIT;
	case '?': {
		const char *typed = o->argv[optind - 1];

		if (strncmp(typed, "--", 2) == 0) {
			const char *eq = strchr(typed, '=');

			if (eq && optopt)
				o->exit_code = cli_usage_error(o->cmd, "option '%.*s' takes no argument",
							       (int)(eq - typed), typed);
			else
				o->exit_code = unknown_long(o, typed);
		} else {
			o->exit_code = cli_usage_error(o->cmd, "unknown option '-%c'", optopt);
		}
		return CLI_OPT_EXIT;
	}
	default:
		return c;
	}
}

int cli_opts_rest(const struct cli_opts *o, char ***rest)
{
	*rest = o->argv + optind;
	return o->argc - optind;
}

int cli_opt_u64(struct cli_opts *o, int key, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s = o->arg, *name = "option";
	unsigned long long v;
	char *end;

	for (const struct cli_option *p = o->opts; p && p->name; p++)
		if (p->key == key)
			name = p->name;
	errno = 0;
	if (!s || *s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	o->exit_code = cli_usage_error(o->cmd, "--%s: '%s' is not a number from %" PRIu64
				       " to %" PRIu64, name, s ? s : "", min, max);
	return -1;
}

int cli_opt_block_size(struct cli_opts *o, size_t *out)
{
	if (cli_parse_size(o->arg, out) == 0)
		return 0;
	o->exit_code = cli_usage_error(o->cmd, "--block-size: '%s' is not a size from 1 byte to "
				       "1G", o->arg ? o->arg : "");
	return -1;
}

int cli_in_out_operands(const char *cmd, char **rest, int n, const char **inpath,
			const char **outpath)
{
	if (n > 2)
		return cli_usage_error(cmd, "at most an INPUT and an OUTPUT (got %d arguments)", n);
	if (n > 1 && *outpath)
		return cli_usage_error(cmd, "give the output as -o FILE or as OUTPUT, not both");
	if (n > 0)
		*inpath = rest[0];
	if (n > 1)
		*outpath = rest[1];
	return CLI_EXIT_OK;
}
