/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avrokit: command-line tools for Apache Avro data files.
 *
 * Map of the program:
 *   src/core/          the codec library (ak.h): never prints, never exits
 *     io.c             sources, sinks, buffered input and output
 *     container.c      object container files: header, blocks, sync markers, limits
 *     codec.c          null, deflate, snappy, bzip2, xz, zstandard; avro-c's lzma and
 *                      fastavro's lz4, read only
 *     schema.c         schema parsing and checks
 *     plan.c           a schema compiled into flat ops for the hot loop
 *     decode.c         binary datums -> Avro JSON, every read bounds-checked
 *     json_out.c       JSON strings, bytes and numbers (shortest round-trip doubles)
 *     idl*.c           Avro IDL: lexer, parser, imported JSON files, JSON output
 *     stream.c         messages of one datum each: bare, single-object, Confluent
 *   src/cli/           this program
 *     main.c           global options and dispatch
 *     commands.c       the command table
 *     opt.c            option tables -> getopt_long, --help, --list-options
 *     report.c         messages and exit codes (0 ok, 1 bad data or file, 2 usage)
 *     files.c          standard input/output, atomic output files, quiet SIGPIPE
 *     idl_load.c       Avro IDL files: finding imports (--import-dir), warnings
 *     progress.c       progress of the long commands on standard error
 *     datums.c         streams of datums: --datums/--framing, schemas by fingerprint or id
 *     cmd_*.c          one file per subcommand
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ak_config.h"
#include "cli.h"

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: avrokit COMMAND [OPTION]... [ARG]...\n"
		   "Inspect and convert Apache Avro data files.\n\nCommands:\n");
	for (const struct cli_command *c = cli_command_list(); c->name; c++)
		fprintf(f, "  %-12s  %s\n", c->name, c->summary);
	fprintf(f, "\nOptions:\n"
		   "  -h, --help     show this help and exit\n"
		   "  -V, --version  show the version, the codecs and libraries built in, and exit\n"
		   "\n'avrokit COMMAND --help' describes a command. An input of '-', or none, is\n"
		   "standard input. Exit status: 0 on success, 1 if a file or the data is bad,\n"
		   "2 on a usage error. See avrokit(1).\n");
}

static void print_version(void)
{
	char libs[256];

	printf("avrokit %s\ncodecs:", AK_VERSION);
	for (const struct ak_codec *c = ak_codec_list(); c->name; c++)
		if (c->available)
			printf(" %s%s", c->name, c->can_write ? "" : "(read-only)");
	ak_codec_versions(libs, sizeof(libs));
	printf("\nlibraries: jansson %s %s\n", jansson_version_str(), libs);
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static int unknown_command(const char *name)
{
	const struct cli_command *best = NULL;
	size_t bestd = 3;

	for (const struct cli_command *c = cli_command_list(); c->name; c++) {
		size_t d = distance(name, c->name);

		if (d < bestd) {
			bestd = d;
			best = c;
		}
	}
	fprintf(stderr, "avrokit: '%s' is not an avrokit command.", name);
	if (best)
		fprintf(stderr, " Did you mean '%s'?", best->name);
	fprintf(stderr, "\nTry 'avrokit --help' for the list of commands.\n");
	return CLI_EXIT_USAGE;
}

/* Flush standard output at the end; a write error not reported yet is, naming @cmd. */
static int finish_stdout(const char *cmd, int rc)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	e = errno;
	if (!cli_stdout_reported)
		cli_msg(cmd, "write error: %s", e ? strerror(e) : "cannot write standard output");
	return CLI_EXIT_DATA;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	const char *name;

	/* `avrokit tojson f | head` ends quietly; output is unbuffered writes, not stdio */
	signal(SIGPIPE, SIG_DFL);
	if (argc < 2) {
		print_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
		print_usage(stdout);
		return finish_stdout(NULL, CLI_EXIT_OK);
	}
	if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
		print_version();
		return finish_stdout(NULL, CLI_EXIT_OK);
	}
	if (strcmp(name, "--list-commands") == 0) {
		for (const struct cli_command *c = cli_command_list(); c->name; c++)
			printf("%s\n", c->name);
		return finish_stdout(NULL, CLI_EXIT_OK);
	}
	if (strcmp(name, "help") == 0) {
		char help[] = "--help";
		char *args[] = { argv[2], help, NULL };

		if (argc < 3) {
			print_usage(stdout);
			return finish_stdout(NULL, CLI_EXIT_OK);
		}
		if (!(cmd = cli_command_find(argv[2])))
			return unknown_command(argv[2]);
		return finish_stdout(cmd->name, cmd->run(2, args));
	}
	if (name[0] == '-') {
		fprintf(stderr, "avrokit: unknown option '%s'\nTry 'avrokit --help'.\n", name);
		return CLI_EXIT_USAGE;
	}
	if (!(cmd = cli_command_find(name)))
		return unknown_command(name);
	return finish_stdout(cmd->name, cmd->run(argc - 1, argv + 1));
}
