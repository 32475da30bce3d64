/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The --range START:END option of the commands that read data files (tojson, cat, count,
 * blocks): only the blocks that the byte range owns by Hadoop's split rule (ak_reader_set_range()
 * in avrokit.h), for workers that share a large file; `avrokit splits` prints ranges.
 */
#ifndef AK_CLI_RANGE_H
#define AK_CLI_RANGE_H

#include <stdint.h>

#include "cli.h"

#define CLI_KEY_RANGE 0x7f10
#define CLI_OPTION_RANGE                                                                         \
	{ "range", CLI_KEY_RANGE, "START:END",                                                   \
	  "read only the blocks whose sync marker starts at a byte offset from START up to, "    \
	  "not including, END (Hadoop's split rule: ranges that cover the file read each block " \
	  "once; see avrokit splits); START or END may be left out, a K, M, G or T suffix "      \
	  "multiplies by 1024s" }

struct cli_range {
	int set;
	uint64_t start, end; /* end UINT64_MAX: to the end of the file */
};

/* Parse o->arg into @r: 0, or -1 after a usage error (o->exit_code set). */
int cli_range_option(struct cli_opts *o, struct cli_range *r);

/* With a range, the inputs must be one file, not standard input (@nfiles 0, or "-"):
 * CLI_EXIT_OK, or CLI_EXIT_USAGE after the message. */
int cli_range_check(const char *cmd, const struct cli_range *r, char **files, int nfiles);

/* Set the range on @rd, which has read its header and nothing else; AK_OK when there is none. */
int cli_range_apply(const struct cli_range *r, struct ak_reader *rd, struct ak_error *err);

/* Parse a byte count: decimal digits, then optionally K, M, G or T (times 1024, 1024^2, ...)
 * and an optional "iB" or "B" after it. 0, or -1 when it is not one or overflows. */
int cli_parse_bytes(const char *s, size_t len, uint64_t *out);

#endif /* AK_CLI_RANGE_H */
