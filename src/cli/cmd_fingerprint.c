/* SPDX-License-Identifier: Apache-2.0 */
/* fingerprint: CRC-64-AVRO, MD5 or SHA-256 of a schema's Parsing Canonical Form. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_ALGORITHM = 'a', OPT_BIG_ENDIAN = 256, OPT_DECIMAL, OPT_OUTPUT = 'o', OPT_IMPORT = 'i' };

static const struct cli_option opts[] = {
	{ "algorithm", OPT_ALGORITHM, "NAME",
	  "crc64 (CRC-64-AVRO, the default; also called rabin), md5 or sha256" },
	{ "big-endian", OPT_BIG_ENDIAN, NULL,
	  "print the CRC-64 most significant byte first (default: little-endian, the byte "
	  "order of single-object encoding)" },
	{ "decimal", OPT_DECIMAL, NULL,
	  "print the CRC-64 as a signed 64-bit decimal integer (as Java's long)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_IMPORT(OPT_IMPORT),
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

enum algo { CRC64, MD5, SHA256 };

struct how {
	enum algo algo;
	int big, decimal;
};

/* "HEX  FILE", as sha256sum prints. */
static int fingerprint_line(void *ctx, const char *pcf, const char *name, struct ak_buf *b,
			    struct ak_error *err)
{
	const struct how *h = ctx;
	unsigned char d[32];
	char line[160];
	size_t n = 0, dl = 0;

	if (h->algo == CRC64) {
		uint64_t fp = ak_crc64_avro(pcf, strlen(pcf));

		if (h->decimal) {
			n = (size_t)snprintf(line, sizeof(line), "%" PRId64, (int64_t)fp);
		} else {
			for (int k = 0; k < 8; k++)
				d[k] = (unsigned char)(fp >> (8 * (h->big ? 7 - k : k)));
			dl = 8;
		}
	} else if (h->algo == MD5) {
		ak_md5(pcf, strlen(pcf), d);
		dl = 16;
	} else {
		ak_sha256(pcf, strlen(pcf), d);
		dl = 32;
	}
	for (size_t k = 0; k < dl; k++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x", d[k]);
	snprintf(line + n, sizeof(line) - n, "  ");
	if (ak_buf_append(b, line, strlen(line), err) != AK_OK ||
	    ak_buf_append(b, name, strlen(name), err) != AK_OK)
		return err->code;
	return ak_buf_append(b, "\n", 1, err);
}

int cmd_fingerprint(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_schema_paths imports = { .n = 0 };
	struct how h = { CRC64, 0, 0 };
	const char *outpath = NULL;
	char **files;
	int nfiles, c;

	cli_opts_init(&o, "fingerprint", "[OPTION]... [FILE]...",
		      "Print the fingerprint of each schema's Parsing Canonical Form as \"HEX  FILE\",\n"
		      "like sha256sum. A FILE is a schema (JSON) or an Avro data file. With no FILE,\n"
		      "or when FILE is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_ALGORITHM:
			if (!strcmp(o.arg, "crc64") || !strcmp(o.arg, "rabin") ||
			    !strcmp(o.arg, "CRC-64-AVRO"))
				h.algo = CRC64;
			else if (!strcmp(o.arg, "md5") || !strcmp(o.arg, "MD5"))
				h.algo = MD5;
			else if (!strcmp(o.arg, "sha256") || !strcmp(o.arg, "SHA-256"))
				h.algo = SHA256;
			else
				return cli_usage_error("fingerprint", "unknown algorithm '%s' (choose "
						       "crc64, md5 or sha256)", o.arg);
			break;
		case OPT_BIG_ENDIAN:
			h.big = 1;
			break;
		case OPT_DECIMAL:
			h.decimal = 1;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_IMPORT:
			if (cli_schema_paths_add(&o, &imports) != 0)
				return o.exit_code;
			break;
		}
	}
	if ((h.big || h.decimal) && h.algo != CRC64)
		return cli_usage_error("fingerprint", "--big-endian and --decimal apply to crc64 only");
	if (h.big && h.decimal)
		return cli_usage_error("fingerprint", "--big-endian and --decimal do not go together");
	nfiles = cli_opts_rest(&o, &files);
	return cli_canonical_each("fingerprint", files, nfiles, &imports, outpath,
				  fingerprint_line, &h);
}
