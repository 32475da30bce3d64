/* SPDX-License-Identifier: Apache-2.0 */
/*
 * splits: byte ranges that split data files for workers (GNU parallel, xargs, a cluster's
 * scheduler), one line each, for the --range option of tojson, cat, count and blocks. The
 * ranges cover the files whole and split the part after each header evenly; where a range
 * starts or ends within a block does not matter, since --range follows Hadoop's rule (a
 * range owns the blocks whose sync marker starts in it), so no block is read twice or
 * missed, and this command reads only the headers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_range.h"

enum {
	OPT_COUNT = 'n',
	OPT_SIZE = 's',
	OPT_FILENAME = 'H',
	OPT_COLON = 'c',
	OPT_OUTPUT = 'o',
};

#define MAX_RANGES 1000000

static const struct cli_option opts[] = {
	{ "count", OPT_COUNT, "N",
	  "N ranges in all (1 to 1000000), shared among the files by the size of their data; "
	  "each file gets one at least" },
	{ "size", OPT_SIZE, "SIZE",
	  "ranges of SIZE bytes of data at most, each file split on its own (K, M, G or T "
	  "suffix: times 1024s)" },
	{ "with-filename", OPT_FILENAME, NULL,
	  "print the file's name before each range also when there is one file" },
	{ "colon", OPT_COLON, NULL, "print each range as START:END, the form --range takes" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	CLI_OPTION_MAX_HEADER,
	{ NULL, 0, NULL, NULL },
};

struct file {
	uint64_t size, header, data; /* data: the bytes after the header */
	uint64_t n;                  /* ranges */
	unsigned __int128 rem;       /* the remainder of its share of the ranges (--count) */
};

/* Read the header of @path and the file's size. */
static int measure(const char *path, struct file *f, struct ak_error *err)
{
	struct cli_avro_in a;
	struct stat st;
	int rc = cli_avro_open(&a, path, err);

	if (rc == AK_OK && fstat(a.in.fd, &st) != 0)
		rc = ak_fail_errno(err, errno, "cannot stat");
	if (rc == AK_OK && !S_ISREG(st.st_mode))
		rc = ak_fail(err, AK_E_IO, "not a regular file: ranges need a file of known size");
	if (rc == AK_OK) {
		f->size = (uint64_t)st.st_size;
		f->header = ak_reader_header_size(a.r);
		f->data = f->size > f->header ? f->size - f->header : 0;
	}
	cli_avro_close(&a);
	return rc;
}

/* Share @count ranges among the files by their data (largest remainders); then each file
 * gets one at least, taken from those whose ranges are smallest while there are more than
 * @count, and no more than one per byte of data. */
static void share(struct file *f, int nf, uint64_t count)
{
	unsigned __int128 total = 0;
	uint64_t given = 0;

	for (int i = 0; i < nf; i++)
		total += f[i].data;
	for (int i = 0; i < nf; i++) {
		unsigned __int128 q = total ? (unsigned __int128)count * f[i].data : 0;

		f[i].n = total ? (uint64_t)(q / total) : 0;
		f[i].rem = total ? q % total : 0;
		given += f[i].n;
	}
	while (given < count && total) {
		int best = -1;

		for (int i = 0; i < nf; i++)
			if (f[i].rem && (best < 0 || f[i].rem > f[best].rem))
				best = i;
		if (best < 0)
			break;
		f[best].n++;
		f[best].rem = 0;
		given++;
	}
	given = 0;
	for (int i = 0; i < nf; i++) {
		if (f[i].n > f[i].data)
			f[i].n = f[i].data;
		if (f[i].n == 0)
			f[i].n = 1;
		given += f[i].n;
	}
	while (given > count) {
		int best = -1;

		/* the smallest ranges: data / n least, compared as data_i * n_j < data_j * n_i */
		for (int i = 0; i < nf; i++)
			if (f[i].n > 1 && (best < 0 || (unsigned __int128)f[i].data * f[best].n <
							       (unsigned __int128)f[best].data * f[i].n))
				best = i;
		if (best < 0)
			break;
		f[best].n--;
		given--;
	}
}

int cmd_splits(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct file *f = NULL;
	const char *outpath = NULL, *errname = NULL;
	char **files, line[64];
	int nfiles, c, names = 0, colon = 0, ret = CLI_EXIT_DATA, opened = 0;
	uint64_t count = 0, size = 0;

	cli_opts_init(&o, "splits", "[OPTION]... FILE...",
		      "Print byte ranges that split Avro data files into parts for workers, one\n"
		      "range per line: START END, or FILE START END when there are several files\n"
		      "(or with -H). Give the number of ranges (-n) or their size (-s). The ranges\n"
		      "cover each file whole; give each to `avrokit tojson --range START:END FILE`\n"
		      "(or cat, count, blocks), which reads the blocks whose sync marker starts in\n"
		      "it, so that every record is read once. Only the headers are read.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_COUNT:
			if (cli_opt_u64(&o, c, 1, MAX_RANGES, &count) != 0)
				return o.exit_code;
			break;
		case OPT_SIZE:
			if (cli_parse_bytes(o.arg, strlen(o.arg), &size) != 0 || size == 0)
				return cli_usage_error("splits", "--size: '%s' is not a size of 1 byte "
						       "or more (such as 65536, 64M or 1G)", o.arg);
			break;
		case OPT_FILENAME:
			names = 1;
			break;
		case OPT_COLON:
			colon = 1;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	nfiles = cli_opts_rest(&o, &files);
	if (!count == !size)
		return cli_usage_error("splits", "give the number of ranges (-n) or their size (-s)%s",
				       count ? ", not both" : "");
	if (nfiles <= 0)
		return cli_usage_error("splits", "give the data files to split");
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") == 0)
			return cli_usage_error("splits", "standard input cannot be split: a range is a "
					       "part of a file");
	if (!(f = calloc((size_t)nfiles, sizeof(*f)))) {
		ak_fail(&err, AK_E_NOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < nfiles; i++) {
		errname = files[i];
		if (measure(files[i], &f[i], &err) != AK_OK)
			goto out;
		if (size) {
			f[i].n = f[i].data / size + (f[i].data % size != 0);
			if (f[i].n == 0)
				f[i].n = 1;
		}
	}
	if (count)
		share(f, nfiles, count);
	names |= nfiles > 1;
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	for (int i = 0; i < nfiles; i++) {
		uint64_t n = f[i].n;

		for (uint64_t k = 0; k < n; k++) {
			/* the first range starts at 0 and the last ends at the file's end: the
			 * header's marker and the bytes after the last block are covered too */
			uint64_t a = k ? f[i].header + (uint64_t)((unsigned __int128)f[i].data * k / n)
				       : 0;
			uint64_t b = k + 1 < n ? f[i].header +
					 (uint64_t)((unsigned __int128)f[i].data * (k + 1) / n)
					       : f[i].size;
			size_t len = strlen(files[i]);

			if (names && (ak_buf_append(&out.out.b, files[i], len, &err) != AK_OK ||
				      ak_buf_append(&out.out.b, " ", 1, &err) != AK_OK))
				goto out;
			snprintf(line, sizeof(line), "%" PRIu64 "%c%" PRIu64 "\n", a,
				 colon ? ':' : ' ', b);
			if (ak_buf_append(&out.out.b, line, strlen(line), &err) != AK_OK ||
			    ak_out_commit(&out.out, &err) != AK_OK)
				goto out;
		}
	}
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("splits", errname, &err);
	free(f);
	return ret;
}
