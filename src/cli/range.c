/* SPDX-License-Identifier: Apache-2.0 */
/* The --range option (cli_range.h): parsing START:END, and refusing what cannot be split. */
#include <string.h>

#include "cli_range.h"

int cli_parse_bytes(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned shift = 0;

	if (!len || s[0] < '0' || s[0] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len) {
		const char *units = "KMGT", *u = memchr(units, s[i] & ~0x20, 4);

		if (!u || (s[i] >= 'a' && s[i] != 'k'))
			return -1; /* K or k; M, G, T upper case only (m is not mega) */
		shift = 10 * (unsigned)(u - units + 1);
		i++;
		if (i + 2 == len && strncmp(s + i, "iB", 2) == 0)
			i += 2;
		else if (i + 1 == len && s[i] == 'B')
			i++;
		if (i != len || v > (UINT64_MAX >> shift))
			return -1;
	}
	*out = v << shift;
	return 0;
}

int cli_range_option(struct cli_opts *o, struct cli_range *r)
{
	const char *s = o->arg, *colon = strchr(s, ':');

	if (!colon)
		goto bad;
	r->start = 0;
	r->end = UINT64_MAX;
	if (colon > s && cli_parse_bytes(s, (size_t)(colon - s), &r->start) != 0)
		goto bad;
	if (colon[1] && cli_parse_bytes(colon + 1, strlen(colon + 1), &r->end) != 0)
		goto bad;
	if (r->start > r->end) {
		o->exit_code = cli_usage_error(o->cmd, "--range: '%s' ends before it starts", s);
		return -1;
	}
	r->set = 1;
	return 0;
bad:
	o->exit_code = cli_usage_error(o->cmd, "--range: '%s' is not START:END (byte offsets, "
				       "such as 0:134217728 or 128M:256M)", s);
	return -1;
}

int cli_range_check(const char *cmd, const struct cli_range *r, char **files, int nfiles)
{
	if (!r->set)
		return CLI_EXIT_OK;
	if (nfiles > 1)
		return cli_usage_error(cmd, "--range takes one input file (got %d): a range is a "
				       "part of one file", nfiles);
	if (nfiles == 0 || !files[0] || strcmp(files[0], "-") == 0)
		return cli_usage_error(cmd, "--range needs a FILE: it reads a part of a file, which "
				       "standard input is not");
	return CLI_EXIT_OK;
}

int cli_range_apply(const struct cli_range *r, struct ak_reader *rd, struct ak_error *err)
{
	return r->set ? ak_reader_set_range(rd, r->start, r->end, err) : AK_OK;
}
