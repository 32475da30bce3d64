/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repair: read a damaged data file and keep every record that can be read. The file is walked
 * block by block through a window over the input (memory bounded by the largest block); when a
 * block is bad (header, size, data, codec, records or sync marker), the walk searches for the
 * next place where a sync marker is followed by a good block, and reports the bytes in between
 * as a damaged region. Records of a bad block that decode cleanly before the damage are kept.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_REPORT = 'r', OPT_QUIET = CLI_KEY_QUIET, OPT_OUTPUT = 'o' };

static const struct cli_option opts[] = {
	{ "report", OPT_REPORT, NULL,
	  "only check: print each damaged region, exit 1 if there is one (0 if the file is "
	  "sound)" },
	{ "quiet", OPT_QUIET, NULL,
	  "do not print the damage report when repairing, and show no progress" },
	{ "output", OPT_OUTPUT, "FILE",
	  "write the records to FILE (replaced only on success); the same as the OUTPUT operand" },
	CLI_OPTION_PROGRESS,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

/* A window over the input: bytes [base, base + len) are in buf. */
struct win {
	struct cli_input *in;
	unsigned char *buf;
	size_t cap, len;
	uint64_t base;
	uint64_t floor;  /* bytes from here on are kept when the window moves */
	int eof;
};

/* Make [off, off + n) available as far as the input goes; returns how many bytes from off
 * are in the window (less than n only at the end of the input), or -1 with err set. */
static ssize_t win_need(struct win *w, uint64_t off, size_t n, struct ak_error *err)
{
	if (off < w->base || w->floor < w->base)
		return ak_fail(err, AK_E_ARG, "window moved back"), -1;
	if (off > w->base + w->len) {
		/* a skip forward past what is buffered (cannot happen in the walk below) */
		return ak_fail(err, AK_E_ARG, "window skipped ahead"), -1;
	}
	while (w->base + w->len < off + n && !w->eof) {
		size_t drop = (size_t)((off < w->floor ? off : w->floor) - w->base);
		ssize_t got;

		if (drop) { /* forget what is before the floor */
			memmove(w->buf, w->buf + drop, w->len - drop);
			w->len -= drop;
			w->base += drop;
		}
		if (w->cap - w->len < 65536 || w->cap < n) {
			size_t cap = w->cap ? w->cap * 2 : 1 << 20;
			unsigned char *b;

			while (cap < n + 65536)
				cap *= 2;
			if (!(b = realloc(w->buf, cap)))
				return ak_fail(err, AK_E_NOMEM, "out of memory"), -1;
			w->buf = b;
			w->cap = cap;
		}
		got = read(w->in->fd, w->buf + w->len, w->cap - w->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return ak_fail_errno(err, errno, "read error"), -1;
		if (got == 0)
			w->eof = 1;
		w->len += (size_t)got;
	}
	uint64_t have = w->base + w->len - off;
	return (ssize_t)(have < n ? have : n);
}

struct repair {
	struct win win;
	const unsigned char *sync;
	const struct ak_codec *codec;
	struct ak_plan *plan;
	struct ak_buf inflated;
	struct ak_writer *w;     /* NULL with --report */
	uint64_t blocks, good_blocks, records, lost, regions;
	int lost_unknown;
	int report, quiet;
	const char *name;
	struct ak_buf msgs;      /* the damage report */
	struct cli_progress prog;
};

struct attempt {
	int64_t count;
	uint64_t end;      /* offset after the sync marker */
	int64_t good;      /* records that decoded */
	int trailing;      /* bytes were left over after the records: the count is wrong */
	int bad_sync;      /* the 16 bytes after the block are not the sync marker */
	int intact;        /* with bad_sync: the block itself decodes exactly, every record */
	const unsigned char *data; /* decompressed block */
	size_t size;
	const unsigned char *stored;
	size_t stored_size;
	char why[AK_ERROR_MSG_MAX + 32];
};

static int read_varint(struct repair *rp, uint64_t *off, int64_t *v, struct ak_error *err)
{
	ssize_t n = win_need(&rp->win, *off, AK_VARINT_MAX, err);
	const unsigned char *p, *q;

	if (n < 0)
		return -1;
	p = q = rp->win.buf + (*off - rp->win.base);
	if (ak_varint_decode(&q, p + n, v) != AK_VARINT_OK)
		return 1;
	*off += (uint64_t)(q - p);
	return 0;
}

static int decode_block(struct repair *rp, struct attempt *a);

/* Try to read a good block at @off. 0: read (a->good may still be < a->count); 1: bad (a->why
 * says why, a->count is -1 when even the header was unreadable); -1: I/O error. */
static int try_block(struct repair *rp, uint64_t off, struct attempt *a, struct ak_error *err)
{
	int64_t size;
	ssize_t n;
	int rc;

	memset(a, 0, sizeof(*a));
	a->count = -1;
	if ((rc = read_varint(rp, &off, &a->count, err)) != 0 ||
	    (rc = read_varint(rp, &off, &size, err)) != 0) {
		if (rc < 0)
			return -1;
		a->count = -1;
		snprintf(a->why, sizeof(a->why), "unreadable block header");
		return 1;
	}
	if (a->count < 0 || size < 0 || (uint64_t)size > cli_limits->max_block) {
		snprintf(a->why, sizeof(a->why), "impossible block header (count %" PRId64
			 ", size %" PRId64 ")", a->count, size);
		a->count = -1;
		return 1;
	}
	if ((n = win_need(&rp->win, off, (size_t)size + AK_SYNC_SIZE, err)) < 0)
		return -1;
	if ((size_t)n < (size_t)size + AK_SYNC_SIZE) {
		snprintf(a->why, sizeof(a->why), "the file ends inside the block");
		return 1;
	}
	a->stored = rp->win.buf + (off - rp->win.base);
	a->stored_size = (size_t)size;
	a->end = off + (uint64_t)size + AK_SYNC_SIZE;
	/* a wrong sync marker makes the block bad, but its data is still decoded: when all of
	 * it decodes, the block was intact and the count of the records dropped with it is
	 * known */
	a->bad_sync = memcmp(a->stored + size, rp->sync, AK_SYNC_SIZE) != 0;
	rc = decode_block(rp, a);
	if (a->bad_sync) {
		a->intact = rc == 0 && a->good == a->count && !a->trailing;
		snprintf(a->why, sizeof(a->why), "sync marker mismatch");
		return 1;
	}
	return rc;
}

/* Decompress and decode the block of @a (try_block has read it): 0 when it decompresses
 * (a->good may still be < a->count, a->trailing set), 1 when it does not, a->why saying
 * why. */
static int decode_block(struct repair *rp, struct attempt *a)
{
	if (strcmp(rp->codec->name, "null") == 0) {
		a->data = a->stored;
		a->size = a->stored_size;
	} else {
		struct ak_error cerr = { 0 };

		if (rp->codec->decompress(a->stored, a->stored_size, &rp->inflated,
					  cli_limits->max_inflated, &cerr) != AK_OK) {
			ak_error_format(&cerr, a->why, sizeof(a->why));
			return 1;
		}
		a->data = rp->inflated.data;
		a->size = rp->inflated.len;
	}
	/* decode the records: how many are good? */
	const unsigned char *p = a->data, *end = a->data + a->size;
	struct ak_error derr = { 0 };

	if (ak_decode_check_count(rp->plan, a->count, a->size, &derr) != AK_OK) {
		ak_error_format(&derr, a->why, sizeof(a->why));
		return 1;
	}
	for (a->good = 0; a->good < a->count; a->good++)
		if (ak_datum_skip(rp->plan, &p, end, 0, &derr) != AK_OK)
			break;
	if (a->good < a->count) {
		ak_error_at_record(&derr, (uint64_t)a->good);
		ak_error_format(&derr, a->why, sizeof(a->why));
		a->size = (size_t)(p - a->data); /* the good records only */
		return 0;
	}
	if (p != end) {
		snprintf(a->why, sizeof(a->why), "%zu bytes left over after its %" PRId64 " records",
			 (size_t)(end - p), a->count);
		a->trailing = 1;
		a->size = (size_t)(p - a->data);
		return 0;
	}
	return 0;
}

static int keep_block(struct repair *rp, const struct attempt *a, struct ak_error *err)
{
	int64_t n = a->good;

	rp->records += (uint64_t)n;
	if (!rp->w || n == 0)
		return AK_OK;
	if (n == a->count && !a->trailing)
		return ak_writer_append_compressed(rp->w, a->stored, a->stored_size, n, err);
	return ak_writer_append_block(rp->w, a->data, a->size, n, err);
}

static void note(struct repair *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct repair *rp, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		ak_buf_append(&rp->msgs, line, strlen(line), NULL);
}

/* Walk the blocks from @off to the end. */
static int walk(struct repair *rp, uint64_t off, struct ak_error *err)
{
	for (;;) {
		struct attempt a;
		ssize_t n;

		rp->win.floor = off;
		n = win_need(&rp->win, off, 1, err);
		int rc;

		rp->win.floor = off;
		if (n < 0)
			return err->code;
		if (n == 0) {
			/* clean end: the totals for the last progress line */
			rp->prog.records = rp->records;
			rp->prog.bytes = off;
			return AK_OK;
		}
		cli_progress_at(&rp->prog, rp->records, off);
		rc = try_block(rp, off, &a, err);
		if (rc < 0)
			return err->code;
		if (rc == 0) {
			if (a.good < a.count) {
				rp->regions++;
				rp->lost += (uint64_t)(a.count - a.good);
				note(rp, "damaged: bytes %" PRIu64 "-%" PRIu64 " (block %" PRIu64 "): %s; "
				     "%" PRId64 " of its %" PRId64 " records lost\n", off, a.end,
				     rp->blocks, a.why, a.count - a.good, a.count);
			} else if (a.trailing) {
				rp->regions++;
				rp->lost_unknown = 1;
				note(rp, "damaged: bytes %" PRIu64 "-%" PRIu64 " (block %" PRIu64 "): %s; "
				     "its record count is wrong, so some records may be lost\n", off,
				     a.end, rp->blocks, a.why);
			}
			if (keep_block(rp, &a, err) != AK_OK)
				return err->code;
			rp->blocks++;
			rp->good_blocks++;
			off = a.end;
			continue;
		}
		/* Damage at off. Look for the next sync marker, and there for either a good block
		 * that ends at it (garbage was inserted before that block) or a good block that
		 * starts after it. */
		uint64_t start = off, from = off + 1, next = 0;
		int64_t declared = a.count;
		char why[AK_ERROR_MSG_MAX + 32];
		int found = 0;

		snprintf(why, sizeof(why), "%s", a.why);
		if ((a.bad_sync && !a.intact) || strncmp(a.why, "impossible", 10) == 0)
			declared = -1; /* the header itself may be garbage */
		while (!found) {
			uint64_t lim = cli_limits->max_block + 64, hpos, lo;
			const unsigned char *s, *hit = NULL;
			ssize_t have;

			/* keep up to one block's worth of bytes before the search point */
			rp->win.floor = from - start > lim ? from - lim : start;
			if (rp->win.floor < rp->win.base)
				rp->win.floor = rp->win.base;
			if ((have = win_need(&rp->win, from, 65536, err)) < 0)
				return err->code;
			if (have < AK_SYNC_SIZE)
				break;
			s = rp->win.buf + (from - rp->win.base);
			for (const unsigned char *q = s; q + AK_SYNC_SIZE <= s + have; q++) {
				q = memchr(q, rp->sync[0], (size_t)(s + have - q));
				if (!q || q + AK_SYNC_SIZE > s + have)
					break;
				if (memcmp(q, rp->sync, AK_SYNC_SIZE) == 0) {
					hit = q;
					break;
				}
			}
			if (!hit) {
				from += (uint64_t)have - (AK_SYNC_SIZE - 1);
				continue;
			}
			hpos = from + (uint64_t)(hit - s);
			from = hpos + 1;
			/* 1: a block that ends at this marker, starting after the damage */
			lo = start + 1 > rp->win.floor ? start + 1 : rp->win.floor;
			for (uint64_t x = lo; x < hpos && !found; x++) {
				uint64_t y = x;
				int64_t cnt, size;
				struct attempt b;

				if (read_varint(rp, &y, &cnt, err) != 0 || cnt <= 0 ||
				    read_varint(rp, &y, &size, err) != 0 || size < 0 ||
				    y + (uint64_t)size != hpos)
					continue;
				if ((rc = try_block(rp, x, &b, err)) < 0)
					return err->code;
				if (rc == 0 && b.good == b.count) {
					found = 1;
					next = x;
				}
			}
			if (found)
				break;
			/* 2: a good block right after the marker, or the end of the file */
			next = hpos + AK_SYNC_SIZE;
			rp->win.floor = next;
			if ((have = win_need(&rp->win, next, 1, err)) < 0)
				return err->code;
			if (have == 0) {
				found = 1;
				break;
			}
			struct attempt b;
			if ((rc = try_block(rp, next, &b, err)) < 0)
				return err->code;
			if (rc == 0 && b.good == b.count)
				found = 1;
			else
				rp->win.floor = from > start ? from - 1 : start;
		}
		if (!found) {
			/* no good block after the damage: it runs to the end of the file */
			while ((n = win_need(&rp->win, from, 65536, err)) > 0) {
				from += (uint64_t)n;
				rp->win.floor = from;
			}
			if (n < 0)
				return err->code;
			next = from > start + 1 ? from : start + 1;
			if (next < rp->win.base + rp->win.len)
				next = rp->win.base + rp->win.len;
		}
		rp->regions++;
		rp->blocks++;
		if (declared >= 0)
			rp->lost += (uint64_t)declared;
		else
			rp->lost_unknown = 1;
		if (a.bad_sync && a.intact && next != a.end) {
			/* the intact block's records, and whatever was in the bytes after it */
			rp->lost_unknown = 1;
			note(rp, "damaged: bytes %" PRIu64 "-%" PRIu64 " (from block %" PRIu64 "): %s; "
			     "the %" PRId64 " records of block %" PRIu64 " lost, and maybe more\n",
			     start, next, rp->blocks - 1, why, declared, rp->blocks - 1);
		} else if (a.bad_sync && a.intact)
			note(rp, "damaged: bytes %" PRIu64 "-%" PRIu64 " (block %" PRIu64 "): %s after "
			     "an intact block; its %" PRId64 " records lost\n", start, next,
			     rp->blocks - 1, why, declared);
		else if (declared >= 0)
			note(rp, "damaged: bytes %" PRIu64 "-%" PRIu64 " (from block %" PRIu64 "): %s; "
			     "%" PRId64 " records lost\n", start, next, rp->blocks - 1, why, declared);
		else
			note(rp, "damaged: bytes %" PRIu64 "-%" PRIu64 " (from block %" PRIu64 "): %s; "
			     "an unknown number of records lost\n", start, next, rp->blocks - 1, why);
		off = next;
	}
}

int cmd_repair(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_input in;
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct ak_meta_entry meta[CLI_MAX_META];
	struct ak_reader *r = NULL;
	struct repair rp;
	const char *inpath = NULL, *outpath = NULL, *errname;
	char **rest;
	int c, n, ret = CLI_EXIT_DATA, opened = 0;

	memset(&rp, 0, sizeof(rp));
	memset(&wo, 0, sizeof(wo));
	cli_opts_init(&o, "repair", "[OPTION]... [INPUT [OUTPUT]]",
		      "Read a damaged Avro data file (truncated, corrupt blocks, broken sync markers,\n"
		      "garbage in the middle) and write every record that can be read to OUTPUT, with\n"
		      "the same schema, codec and metadata. The damage found is reported on standard\n"
		      "error. With --report, only check, and print the report on standard output.\n"
		      "INPUT and OUTPUT default to standard input and output (or -); the output may\n"
		      "also be given as -o FILE.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		case OPT_REPORT:
			rp.report = 1;
			break;
		case OPT_QUIET:
			rp.quiet = 1;
			cli_progress_option(c);
			break;
		case CLI_KEY_PROGRESS:
			cli_progress_option(c);
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	n = cli_opts_rest(&o, &rest);
	if (n > (rp.report ? 1 : 2))
		return cli_usage_error("repair", rp.report ? "--report takes one INPUT"
							   : "at most an INPUT and an OUTPUT");
	if (rp.report && outpath)
		return cli_usage_error("repair", "--report writes no data file: -o does not go with "
				       "it");
	if (n > 1 && outpath)
		return cli_usage_error("repair", "give the output as -o FILE or as OUTPUT, not both");
	if (n > 0)
		inpath = rest[0];
	if (n > 1)
		outpath = rest[1];
	if (!rp.report && (c = cli_refuse_tty("repair", outpath)) != CLI_EXIT_OK)
		return c;
	errname = inpath && strcmp(inpath, "-") ? inpath : "(standard input)";
	rp.name = errname;
	if (cli_input_open(&in, inpath, &err) != AK_OK)
		goto out;
	rp.win.in = &in;

	/* the header: grow the window until it holds all of it */
	for (size_t want = 1 << 16;; want *= 2) {
		struct ak_mem_source m;
		struct ak_source src;
		ssize_t have = win_need(&rp.win, 0, want, &err);

		if (have < 0)
			goto out;
		ak_mem_source_init(&src, &m, rp.win.buf, (size_t)have);
		if ((r = ak_reader_open(&src, cli_limits, &err)))
			break;
		if ((size_t)have < want || want > cli_limits->max_header) {
			ak_error_prefix(&err, "the header is damaged and cannot be repaired");
			goto out;
		}
	}
	rp.sync = ak_reader_sync(r);
	rp.codec = ak_reader_codec_ops(r);
	if (!(rp.plan = ak_plan_new(ak_reader_schema(r), &err)))
		goto out;
	if (!rp.report) {
		const struct ak_meta_entry *schema = ak_reader_meta_find(r, "avro.schema");

		wo.codec = rp.codec;
		wo.level = -1;
		memcpy(wo.sync, rp.sync, AK_SYNC_SIZE);
		wo.meta = meta;
		wo.nmeta = cli_user_meta(r, meta, CLI_MAX_META);
		errname = outpath ? outpath : "(standard output)";
		if (cli_output_open(&out, outpath, rest, n ? 1 : 0, &err) != AK_OK)
			goto out;
		opened = 1;
		if (!(rp.w = ak_writer_new(&out.sink, (const char *)schema->value, schema->value_len,
					   &wo, &err)))
			goto out;
	}
	errname = rp.name;
	{
		char *inputs[] = { (char *)(uintptr_t)inpath };

		cli_progress_start(&rp.prog, "repair", inputs, 1,
				   !rp.report && out.fd == STDOUT_FILENO);
	}
	if (walk(&rp, ak_reader_header_size(r), &err) != AK_OK)
		goto out;
	if (rp.w) {
		errname = outpath ? outpath : "(standard output)";
		if (ak_writer_close(rp.w, &err) != AK_OK)
			goto out;
	}
	ret = CLI_EXIT_OK;
out:
	cli_progress_end(&rp.prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK)
		ret = CLI_EXIT_DATA;
	if (ret != CLI_EXIT_OK) {
		if (cli_is_write_error(&err))
			errname = outpath ? outpath : "(standard output)";
		cli_report("repair", errname, &err);
	} else {
		FILE *f = rp.report ? stdout : stderr;

		if (rp.report || !rp.quiet) {
			fwrite(rp.msgs.data ? (const char *)rp.msgs.data : "", 1, rp.msgs.len, f);
			fprintf(f, "%s: %" PRIu64 " records readable in %" PRIu64 " block%s; %" PRIu64
				" damaged region%s, %" PRIu64 " records lost%s\n", rp.name, rp.records,
				rp.good_blocks, rp.good_blocks == 1 ? "" : "s", rp.regions,
				rp.regions == 1 ? "" : "s", rp.lost,
				rp.lost_unknown ? ", and maybe more in regions whose record count could "
						  "not be trusted" : "");
		}
		if (rp.report && rp.regions)
			ret = CLI_EXIT_DATA;
	}
	ak_writer_free(rp.w);
	ak_plan_free(rp.plan);
	ak_buf_release(&rp.inflated);
	ak_buf_release(&rp.msgs);
	free(rp.win.buf);
	ak_reader_free(r);
	cli_input_close(&in);
	return ret;
}
