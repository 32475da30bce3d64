/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cat: records from data files into a new data file, with --offset, --limit and --samplerate
 * as avro-tools has them. Records are found with a skipping decoder and copied as binary;
 * with a reader schema they are read through it and encoded again.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_range.h"

enum {
	OPT_OFFSET = 256,
	OPT_LIMIT,
	OPT_SAMPLERATE,
	OPT_SEED,
	OPT_SYNC = CLI_KEY_SYNC,
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_BLOCK_SIZE = 'b',
	OPT_OUTPUT = 'o',
	OPT_READER = 'r',
	OPT_READER_FILE = 'R',
};

static const struct cli_option opts[] = {
	{ "offset", OPT_OFFSET, "N", "skip the first N records (of all inputs together)" },
	{ "limit", OPT_LIMIT, "N", "write at most N records" },
	{ "samplerate", OPT_SAMPLERATE, "RATE",
	  "keep this fraction of the records (0 to 1), evenly spaced as avro-tools does" },
	{ "seed", OPT_SEED, "N", "with --samplerate, pick records at random from this seed" },
	{ "codec", OPT_CODEC, "NAME", "codec of the output (default: the first input's)" },
	{ "level", OPT_LEVEL, "N", "compression level" },
	{ "block-size", OPT_BLOCK_SIZE, "SIZE", "bytes of records per block (default 64K)" },
	{ "reader-schema", OPT_READER, "JSON", "convert the records to this schema" },
	{ "reader-schema-file", OPT_READER_FILE, "FILE",
	  "convert the records to the schema in FILE (a schema or a data file); repeat it for "
	  "a schema split over several files: the last is the schema, the others hold named "
	  "types it uses" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ "sync-marker", OPT_SYNC, "HEX", "use this sync marker (32 hex digits)" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTION_RANGE,
	CLI_OPTIONS_LIMITS,
	{ NULL, 0, NULL, NULL },
};

struct cat {
	uint64_t offset, limit, written;
	double rate, counter;
	int random;
	uint64_t rng;
	int done;           /* --limit reached */
	/* with a reader schema: records are decoded as its values into an encoder for it */
	const struct ak_schema *reader;
	struct ak_encoder *enc;
	struct cli_progress prog;
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int keep(struct cat *t)
{
	if (t->random)
		return (double)(splitmix64(&t->rng) >> 11) * 0x1.0p-53 < t->rate;
	/* avro-tools: a counter from 1 gains RATE per record; a record is kept when it
	 * reaches 1, so the first record after the offset is always kept */
	t->counter += t->rate;
	if (t->counter >= 1) {
		t->counter -= 1;
		return 1;
	}
	return 0;
}

/* Copy the chosen records of one input; sets t->done once --limit is reached. */
static int copy(struct cat *t, struct ak_reader *r, struct ak_writer *w, struct ak_error *err)
{
	struct ak_plan *plan = ak_plan_new(ak_reader_schema(r), err), *rplan = NULL;
	struct ak_block blk;
	int rc;

	if (!plan)
		return err->code;
	if (t->reader && !(rplan = ak_plan_resolve(ak_reader_schema(r), t->reader, NULL, err))) {
		ak_plan_free(plan);
		ak_error_prefix(err, "cannot read with the reader schema");
		return err->code;
	}
	while ((rc = ak_reader_next_block(r, &blk, 0, err)) == AK_OK) {
		const unsigned char *p = blk.data, *end = blk.data + blk.size;

		if ((rc = ak_decode_check_count(plan, blk.count, blk.size, err)) != AK_OK)
			goto block_error;
		for (int64_t i = 0; i < blk.count; i++) {
			const unsigned char *start = p;

			if (t->written >= t->limit) {
				t->done = 1;
				rc = AK_OK;
				goto out;
			}
			if ((rc = ak_datum_skip(plan, &p, end, 0, err)) != AK_OK) {
				ak_error_at_record(err, (uint64_t)i);
				goto block_error;
			}
			if (t->offset) {
				t->offset--;
				continue;
			}
			if (!keep(t))
				continue;
			if (rplan) {
				const unsigned char *q = start;

				rc = ak_datum_visit(rplan, &q, end, ak_encoder_visitor(), t->enc, 0, err);
				if (rc != AK_OK && ak_encoder_check(t->enc, NULL) != AK_OK)
					rc = ak_encoder_check(t->enc, err); /* why it refused a value */
				ak_encoder_restart(t->enc);
				if (rc != AK_OK) {
					ak_writer_rollback(w);
					ak_error_at_record(err, (uint64_t)i);
					goto block_error;
				}
			} else {
				rc = ak_buf_append(ak_writer_buf(w), start, (size_t)(p - start), err);
			}
			if (rc != AK_OK || (rc = ak_writer_end_record(w, err)) != AK_OK)
				goto out;
			t->written++;
		}
		if (p != end) {
			rc = ak_fail(err, AK_E_FORMAT, "%zu bytes left over after its %" PRId64
				     " records", (size_t)(end - p), blk.count);
			goto block_error;
		}
		cli_progress_add(&t->prog, (uint64_t)blk.count, blk.stored_size);
	}
	if (rc == AK_EOF)
		rc = AK_OK;
	goto out;
block_error:
	ak_error_at_block(err, blk.index, blk.offset);
out:
	ak_plan_free(plan);
	ak_plan_free(rplan);
	return rc;
}

int cmd_cat(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct cli_avro_in first = { 0 };
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[CLI_MAX_META];
	struct ak_writer *w = NULL;
	struct ak_schema *reader = NULL;
	struct cat t;
	const char *outpath = NULL, *errname = NULL, *reader_text = NULL;
	struct cli_schema_paths reader_files = { .n = 0 };
	char **files, *stdin_only[] = { NULL }, *end, *schema_json = NULL;
	uint64_t n;
	int nfiles, c, ret = CLI_EXIT_DATA, opened = 0, nstdin = 0;
	struct cli_range range = { 0 };

	memset(&wo, 0, sizeof(wo));
	memset(&t, 0, sizeof(t));
	t.limit = UINT64_MAX;
	t.rate = 1;
	t.counter = 1;
	wo.block_size = AK_DEFAULT_BLOCK_SIZE;
	cli_opts_init(&o, "cat", "[OPTION]... [FILE]...",
		      "Copy records from Avro data files with the same schema into a new data file:\n"
		      "skip --offset records, keep --samplerate of the rest, stop after --limit. The\n"
		      "output takes the first input's schema, codec and metadata. With no FILE, or\n"
		      "when FILE is -, read standard input.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		default:
			if (!cli_progress_option(c) && cli_write_option(&o, c, &wa, &wo) < 0)
				return o.exit_code;
			break;
		case OPT_OFFSET:
			if (cli_opt_u64(&o, c, 0, UINT64_MAX, &t.offset) != 0)
				return o.exit_code;
			break;
		case OPT_LIMIT:
			if (cli_opt_u64(&o, c, 0, UINT64_MAX, &t.limit) != 0)
				return o.exit_code;
			break;
		case OPT_SAMPLERATE:
			t.rate = strtod(o.arg, &end);
			if (!*o.arg || *end || !(t.rate >= 0 && t.rate <= 1))
				return cli_usage_error("cat", "--samplerate: '%s' is not a number from 0 "
						       "to 1", o.arg);
			break;
		case OPT_SEED:
			if (cli_opt_u64(&o, c, 0, UINT64_MAX, &n) != 0)
				return o.exit_code;
			t.random = 1;
			t.rng = n;
			break;
		case OPT_BLOCK_SIZE:
			if (cli_opt_block_size(&o, &wo.block_size) != 0)
				return o.exit_code;
			break;
		case OPT_READER:
			reader_text = o.arg;
			break;
		case OPT_READER_FILE:
			if (cli_schema_paths_add(&o, &reader_files) != 0)
				return o.exit_code;
			break;
		case CLI_KEY_RANGE:
			if (cli_range_option(&o, &range) != 0)
				return o.exit_code;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		}
	}
	if (reader_text && reader_files.n)
		return cli_usage_error("cat", "give --reader-schema or --reader-schema-file, not both");
	nfiles = cli_opts_rest(&o, &files);
	if ((c = cli_range_check("cat", &range, files, nfiles)) != CLI_EXIT_OK)
		return c;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles; i++)
		nstdin += !files[i] || strcmp(files[i], "-") == 0;
	if (nstdin > 1)
		return cli_usage_error("cat", "standard input can be only one of the inputs");
	if ((c = cli_refuse_tty("cat", outpath)) != CLI_EXIT_OK)
		return c;
	if (cli_inputs_check(files, nfiles, outpath, &errname, &err) != AK_OK)
		goto out;

	errname = "--reader-schema";
	if (reader_text && !(reader = ak_schema_parse(reader_text, strlen(reader_text), 0, &err)))
		goto out;
	if (reader_files.n && !(reader = cli_schema_load_many(reader_files.v, reader_files.n, 0,
							       &errname, &err)))
		goto out;
	errname = files[0] ? files[0] : "(standard input)";
	if (cli_avro_open(&first, files[0], &err) != AK_OK ||
	    cli_range_apply(&range, first.r, &err) != AK_OK)
		goto out;
	if ((c = cli_pick_codec("cat", wa.codec ? wa.codec : ak_reader_codec_ops(first.r)->name,
				wa.have_level, wa.level, &wo)) != CLI_EXIT_OK) {
		ret = c;
		goto quiet;
	}
	if (!wa.have_sync && cli_random_sync(wo.sync, &err) != AK_OK)
		goto out;
	wo.meta = meta;
	wo.nmeta = cli_user_meta(first.r, meta, CLI_MAX_META);
	if (reader) {
		t.reader = reader;
		if (!(schema_json = ak_schema_json(reader, 0))) {
			ak_fail(&err, AK_E_NOMEM, "out of memory");
			goto out;
		}
	} else {
		const struct ak_meta_entry *e = ak_reader_meta_find(first.r, "avro.schema");

		if (!(schema_json = malloc(e->value_len + 1))) {
			ak_fail(&err, AK_E_NOMEM, "out of memory");
			goto out;
		}
		memcpy(schema_json, e->value, e->value_len);
		schema_json[e->value_len] = '\0';
	}
	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_writer_new(&out.sink, schema_json, strlen(schema_json), &wo, &err)))
		goto out;
	if (reader && !(t.enc = ak_encoder_new_into(reader, NULL, ak_writer_buf(w), &err)))
		goto out;
	cli_progress_start(&t.prog, "cat", files, nfiles, out.fd == STDOUT_FILENO);
	for (int i = 0; i < nfiles; i++) {
		struct cli_avro_in next = { 0 }, *a = i ? &next : &first;
		int rc = AK_OK;

		errname = files[i] ? files[i] : "(standard input)";
		if (i && (rc = cli_avro_open(&next, files[i], &err)) == AK_OK && !reader)
			rc = cli_same_schema(first.r, files[0] ? files[0] : "(standard input)", next.r,
					     errname, &err);
		if (rc == AK_OK)
			rc = copy(&t, a->r, w, &err);
		if (i)
			cli_avro_close(&next);
		if (rc != AK_OK)
			goto out;
		if (t.done)
			break;
	}
	errname = outpath ? outpath : "(standard output)";
	if (ak_writer_close(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	cli_progress_end(&t.prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK) {
		if (cli_is_write_error(&err))
			errname = outpath ? outpath : "(standard output)";
		cli_report("cat", errname, &err);
	}
quiet:
	ak_writer_free(w);
	ak_encoder_free(t.enc);
	ak_schema_free(reader);
	free(schema_json);
	cli_avro_close(&first);
	return ret;
}
