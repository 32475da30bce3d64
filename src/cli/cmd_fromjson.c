/* SPDX-License-Identifier: Apache-2.0 */
/* fromjson: Avro JSON records in, an Avro data file out. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "datums.h"

enum {
	OPT_SCHEMA = 's',
	OPT_SCHEMA_FILE = 'f',
	OPT_CODEC = CLI_KEY_CODEC,
	OPT_LEVEL = CLI_KEY_LEVEL,
	OPT_BLOCK_SIZE = 'b',
	OPT_META = 'm',
	OPT_OUTPUT = 'o',
	OPT_ARRAY = 'a',
	OPT_SYNC = CLI_KEY_SYNC,
	OPT_BYTES,
	OPT_IGNORE_UNKNOWN,
	OPT_PLAIN = 'P',
	OPT_JOBS = 'j',
	OPT_INFER = 0x210,
	OPT_NAME = CLI_KEY_INFER_NAME,
	OPT_NAMESPACE = CLI_KEY_INFER_NAMESPACE,
	OPT_LOGICAL = CLI_KEY_INFER_LOGICAL,
	OPT_MAX_FIELDS = CLI_KEY_INFER_MAX_FIELDS,
};

static const struct cli_option opts[] = {
	{ "schema", OPT_SCHEMA, "JSON", "the schema, as JSON text" },
	{ "schema-file", OPT_SCHEMA_FILE, "FILE",
	  "read the schema from FILE (a schema, or a data file whose schema is used); repeat it "
	  "for a schema split over several files: the last is the schema, the others hold named "
	  "types it uses, and the data file gets it whole" },
	{ "codec", OPT_CODEC, "NAME",
	  "null (default), deflate, snappy, bzip2, xz or zstandard" },
	{ "level", OPT_LEVEL, "N", "compression level (deflate 0-9, xz 0-9, zstandard 1-22, "
				  "bzip2 1-9)" },
	{ "block-size", OPT_BLOCK_SIZE, "SIZE",
	  "end a block when its records reach SIZE bytes before compression "
	  "(default 64K; K, M and G suffixes)" },
	{ "meta", OPT_META, "KEY=VALUE", "add a metadata entry (repeatable)" },
	{ "jobs", OPT_JOBS, "N",
	  "parse and compress on N threads (default: the number of online processors; the "
	  "output is the same)" },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only on success)" },
	{ "array", OPT_ARRAY, NULL, "the input is one JSON array of records" },
	{ "plain", OPT_PLAIN, NULL,
	  "read plain JSON: union values without a wrapper (the branch is picked from the "
	  "value), logical types also in their readable forms" },
	{ "bytes", OPT_BYTES, "FORM",
	  "with --plain, bytes and fixed values are codepoints (the default), base64 or hex" },
	{ "ignore-unknown-fields", OPT_IGNORE_UNKNOWN, NULL,
	  "skip JSON fields that the schema's records do not have" },
	{ "sync-marker", OPT_SYNC, "HEX",
	  "use this 16-byte sync marker (32 hex digits) so the same input gives the same file" },
	{ "infer", OPT_INFER, NULL,
	  "infer the schema from the input first, as 'avrokit infer' does (implies --plain; "
	  "standard input and pipes are copied to a temporary file for the second pass)" },
	{ "name", OPT_NAME, "NAME", "with --infer, name the top-level record NAME" },
	{ "namespace", OPT_NAMESPACE, "NS", "with --infer, put the records in namespace NS" },
	{ "logical", OPT_LOGICAL, NULL,
	  "with --infer, detect dates, RFC 3339 timestamps and uuids in strings" },
	{ "max-fields", OPT_MAX_FIELDS, "N",
	  "with --infer, make an object a map once N different keys were seen in its place" },
	CLI_OPTION_PROGRESS,
	CLI_OPTION_QUIET,
	CLI_OPTION_MAX_HEADER,
	CLI_OPTIONS_DATUMS_WRITE,
	{ NULL, 0, NULL, NULL },
};

#define MAX_META 256

/*
 * The first bytes of an input, looked at before it is parsed: a UTF-8 byte order mark (which
 * Windows tools write) is dropped, an Avro data file is refused with a hint, and the first
 * byte of the JSON is kept for a hint about --array. Reads up to the first byte that is not
 * white space (or LEAD_MAX bytes); the parser gets them back through a cli_prefixed source.
 */
#define LEAD_MAX 4096

struct lead {
	unsigned char buf[LEAD_MAX];
	size_t len, skip;
	int first; /* the first byte that is not white space, or -1 */
	struct cli_prefixed pre;
	struct ak_source src;
};

/* The first byte of @l that is not white space (after a byte order mark), or -1. */
static int lead_first(struct lead *l)
{
	size_t i;

	l->skip = l->len >= 3 && memcmp(l->buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	for (i = l->skip; i < l->len && strchr(" \t\r\n", l->buf[i]); i++)
		;
	return i < l->len ? l->buf[i] : -1;
}

static int read_lead(struct lead *l, struct ak_source *src, struct ak_error *err)
{
	int eof = 0;

	l->len = 0;
	l->first = -1;
	while (l->len < LEAD_MAX && l->first < 0) {
		/* four bytes for the magic, then one at a time through white space */
		ssize_t n = src->read(src->ctx, l->buf + l->len, l->len < 4 ? 4 - l->len : 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ak_fail_errno(err, errno, "read error");
		if (n == 0) {
			eof = 1;
			break;
		}
		l->len += (size_t)n;
		if (l->len < 4)
			continue;
		if (memcmp(l->buf, AK_MAGIC, 4) == 0)
			return ak_fail(err, AK_E_JSON, "this is an Avro data file, not "
				       "JSON: it is Avro already (avrokit tojson prints its "
				       "records, avrokit cat copies them)");
		l->first = lead_first(l);
	}
	l->first = lead_first(l);
	l->pre = (struct cli_prefixed){ l->buf + l->skip, l->len - l->skip, 0, src, eof };
	l->src = (struct ak_source){ cli_prefixed_read, NULL, &l->pre };
	return AK_OK;
}

/* Can the schema's top level take a JSON array? */
static int takes_array(const struct ak_schema *s)
{
	const struct ak_node *n = ak_schema_root(s);

	if (n->type == AK_UNION)
		for (size_t i = 0; i < n->nbranches; i++)
			if (n->branches[i]->type == AK_ARRAY)
				return 1;
	return n->type == AK_ARRAY;
}

/* Put @hint at the end of the message in @err (when it fits). */
static void add_hint(struct ak_error *err, const char *hint)
{
	size_t n = strlen(err->msg);

	snprintf(err->msg + n, sizeof(err->msg) - n, "%s", hint);
}

/* The writer's output, through the command's output file. */
static int out_write(void *ctx, const void *p, size_t n)
{
	struct cli_output *o = ctx;

	return o->sink.write(o->sink.ctx, p, n);
}

/* JSON text from an input (through its lead). */
/* The input for ak_writer_write_json(): the bytes read count for the progress line, at each
 * read of 64 KiB or more, never per record. */
struct in_ctx {
	struct ak_source *src;
	struct cli_progress *prog;
};

static ssize_t in_read(void *ctx, void *buf, size_t n)
{
	struct in_ctx *c = ctx;
	ssize_t r = c->src->read(c->src->ctx, buf, n);

	if (r > 0)
		cli_progress_add(c->prog, 0, (uint64_t)r);
	return r;
}

/*
 * A copy of @in (a pipe, a terminal, standard input that is not a regular file) in a
 * temporary file, for --infer's second pass. The file is removed from its directory as soon
 * as it exists (signals held in between), so nothing is left behind however the run ends;
 * @in then reads the copy from its start.
 */
static int spool_input(struct cli_input *in, struct ak_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	sigset_t sigs, saved;
	int fd, e = 0;

	if (!dir || !*dir)
		dir = "/tmp";
	if (!(path = malloc(strlen(dir) + 32)))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	snprintf(path, strlen(dir) + 32, "%s/avrokit-spool-XXXXXX", dir);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, &saved);
	fd = mkstemp(path);
	if (fd < 0)
		e = errno;
	else
		unlink(path);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (fd < 0) {
		int rc = ak_fail_errno(err, e, "cannot create a temporary file in %s for the copy "
				       "of the input (--infer reads it twice)", dir);

		free(path);
		return rc;
	}
	free(path);
	for (;;) {
		char buf[65536];
		ssize_t n = read(in->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			return ak_fail_errno(err, e, "read error");
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				e = errno;
				close(fd);
				return ak_fail_errno(err, e, "cannot write the copy of the input to %s",
						     dir);
			}
			off += w;
		}
	}
	if (in->owned)
		close(in->fd);
	in->fd = fd;
	in->owned = 1;
	return AK_OK;
}

/* --infer: the inputs, open for both passes, each with the offset it starts at. */
struct infer_in {
	struct cli_input in;
	off_t start;
	int open;
};

static int rewind_input(struct infer_in *ii, struct ak_error *err)
{
	if (lseek(ii->in.fd, ii->start, SEEK_SET) < 0)
		return ak_fail_errno(err, errno, "cannot read the input again");
	return AK_OK;
}

/* Open every input (spooling the ones that cannot be read twice) and infer the schema. */
static char *infer_schema(struct infer_in *ins, char **files, int nfiles, int array,
			  const struct ak_infer_opts *io, const char **errname,
			  struct ak_error *err)
{
	struct ak_infer *inf = ak_infer_new(io, err);
	char *schema = NULL;

	if (!inf)
		return NULL;
	for (int i = 0; i < nfiles; i++) {
		struct infer_in *ii = &ins[i];
		struct ak_json_in j;
		struct stat st;
		int rc;

		*errname = files[i] && strcmp(files[i], "-") != 0 ? files[i] : "(standard input)";
		if (cli_input_open(&ii->in, files[i], err) != AK_OK) {
			cli_input_close(&ii->in);
			goto out;
		}
		ii->open = 1;
		ii->start = -1;
		if (fstat(ii->in.fd, &st) == 0 && S_ISREG(st.st_mode))
			ii->start = lseek(ii->in.fd, 0, SEEK_CUR);
		if (ii->start < 0) {
			if (spool_input(&ii->in, err) != AK_OK)
				goto out;
			ii->start = 0;
		}
		if (rewind_input(ii, err) != AK_OK || ak_json_in_init(&j, &ii->in.src, err) != AK_OK)
			goto out;
		rc = ak_infer_json_input(inf, &j, array, err);
		ak_json_in_release(&j);
		if (rc != AK_OK)
			goto out;
	}
	*errname = NULL;
	if ((schema = ak_infer_schema(inf, 0, err)))
		cli_infer_notes("fromjson", inf);
out:
	ak_infer_free(inf);
	return schema;
}

int cmd_fromjson(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_output out;
	struct ak_error err = { 0 };
	struct ak_writer_config wo;
	struct cli_write_args wa = { NULL, 0, 0, 0 };
	struct ak_meta_entry meta[MAX_META];
	struct ak_schema *schema = NULL;
	struct ak_writer *w = NULL;
	struct cli_progress prog = { 0 };
	struct in_ctx ic = { NULL, NULL };
	const char *outpath = NULL, *schema_text = NULL, *schema_file = NULL;
	char *schema_buf = NULL, *schema_json = NULL, **files, *stdin_only[] = { NULL };
	size_t schema_len = 0;
	int nfiles, c, ret = CLI_EXIT_DATA, opened = 0, infer = 0, infer_opt = 0;
	unsigned jflags = 0;
	struct ak_writer_opts po;
	const char *meta_keys[MAX_META];
	const void *meta_values[MAX_META];
	size_t meta_lens[MAX_META];
	const char *errname = NULL;
	struct ak_infer_opts io = { 0 };
	struct cli_schema_paths schema_files = { .n = 0 };
	struct lead *lead = NULL;
	struct infer_in *ins = NULL;
	struct cli_datums dat;

	cli_datums_init(&dat);
	memset(&wo, 0, sizeof(wo));
	wo.level = -1;
	wo.block_size = AK_DEFAULT_BLOCK_SIZE;
	{
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		wo.threads = online > 0 ? (unsigned)(online > 64 ? 64 : online) : 1;
	}
	cli_opts_init(&o, "fromjson",
		      "[OPTION]... (--schema JSON | --schema-file FILE | --infer) [FILE]...",
		      "Write an Avro data file from JSON records in Avro's JSON encoding (what tojson\n"
		      "prints): a stream of JSON values (one per line, or spread over lines), or with\n"
		      "--array one JSON array of them. With no FILE, or when FILE is -, read standard\n"
		      "input. Fields missing from a record take their schema default.",
		      opts, argc, argv);
	while ((c = cli_opts_next(&o)) != CLI_OPT_END) {
		switch (c) {
		case CLI_OPT_EXIT:
			return o.exit_code;
		default:
			if (cli_progress_option(c))
				break;
			if (cli_datums_option(&o, c, &dat) < 0 ||
			    cli_write_option(&o, c, &wa, &wo) < 0)
				return o.exit_code;
			break;
		case OPT_SCHEMA:
			schema_text = o.arg;
			break;
		case OPT_SCHEMA_FILE:
			if (cli_schema_paths_add(&o, &schema_files) != 0)
				return o.exit_code;
			schema_file = o.arg;
			break;
		case OPT_BLOCK_SIZE:
			if (cli_opt_block_size(&o, &wo.block_size) != 0)
				return o.exit_code;
			break;
		case OPT_META:
			if (cli_meta_option(&o, meta, &wo.nmeta, MAX_META) != 0)
				return o.exit_code;
			break;
		case OPT_OUTPUT:
			outpath = o.arg;
			break;
		case OPT_ARRAY:
			jflags |= AK_JSON_ARRAY;
			break;
		case OPT_PLAIN:
			jflags |= AK_JSON_PLAIN;
			break;
		case OPT_JOBS: {
			uint64_t jobs;

			if (cli_opt_u64(&o, c, 1, 256, &jobs) != 0)
				return o.exit_code;
			wo.threads = (unsigned)jobs;
			break;
		}
		case OPT_IGNORE_UNKNOWN:
			jflags |= AK_JSON_IGNORE_UNKNOWN;
			break;
		case OPT_INFER:
			infer = 1;
			break;
		case OPT_NAME:
		case OPT_NAMESPACE:
		case OPT_LOGICAL:
		case OPT_MAX_FIELDS:
			if (cli_infer_option(&o, c, &io) < 0)
				return o.exit_code;
			infer_opt = c;
			break;
		case OPT_BYTES:
			jflags &= ~(unsigned)(AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX);
			if (strcmp(o.arg, "base64") == 0)
				jflags |= AK_JSON_BYTES_BASE64;
			else if (strcmp(o.arg, "hex") == 0)
				jflags |= AK_JSON_BYTES_HEX;
			else if (strcmp(o.arg, "codepoints") != 0)
				return cli_usage_error("fromjson", "--bytes takes codepoints, base64 or "
						       "hex, not '%s'", o.arg);
			break;
		}
	}
	wo.meta = meta;
	if ((c = cli_datums_check("fromjson", &dat, 1)) != CLI_EXIT_OK)
		return c;
	if (dat.active && (wa.codec || wa.have_level || wa.have_sync || wo.nmeta || infer ||
			   wo.block_size != AK_DEFAULT_BLOCK_SIZE))
		return cli_usage_error("fromjson", "--%s writes messages, not a data file: "
				       "--codec, --level, --block-size, --meta, --sync-marker and "
				       "--infer do not go with it", dat.datums ? "datums" : "framing");
	if ((jflags & (AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX)) && !(jflags & AK_JSON_PLAIN))
		return cli_usage_error("fromjson", "--bytes base64 or hex goes with --plain");
	if (infer) {
		/* an inferred schema is one that plain JSON reads */
		jflags |= AK_JSON_PLAIN;
		if (schema_text || schema_file)
			return cli_usage_error("fromjson", "--infer makes the schema: give no --schema "
					       "or --schema-file with it");
		{
			/* a bad --name or --namespace is a usage error */
			struct ak_infer *check = ak_infer_new(&io, &err);

			if (!check)
				return cli_usage_error("fromjson", "%s", err.msg);
			ak_infer_free(check);
		}
	} else if (infer_opt) {
		for (const struct cli_option *p = opts; p->name; p++)
			if (p->key == infer_opt)
				return cli_usage_error("fromjson", "--%s goes with --infer", p->name);
	} else if (!schema_text == !schema_file) {
		return cli_usage_error("fromjson", "give the schema with exactly one of --schema and "
				       "--schema-file (or --infer)");
	}
	if ((c = cli_pick_codec("fromjson", wa.codec ? wa.codec : "null", wa.have_level, wa.level,
				&wo)) != CLI_EXIT_OK)
		return c;
	nfiles = cli_opts_rest(&o, &files);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if ((c = cli_refuse_tty("fromjson", outpath)) != CLI_EXIT_OK)
		return c;
	if (cli_inputs_check(files, nfiles, outpath, &errname, &err) != AK_OK)
		goto out;

	/* the schema */
	errname = schema_file ? schema_file : "--schema";
	if (infer) {
		errname = NULL;
		if (!(ins = calloc((size_t)nfiles, sizeof(*ins)))) {
			ak_fail(&err, AK_E_NOMEM, "out of memory");
			goto out;
		}
		if (!(schema_buf = infer_schema(ins, files, nfiles, (jflags & AK_JSON_ARRAY) != 0, &io,
					       &errname, &err)))
			goto out;
		schema_text = schema_buf;
		schema_len = strlen(schema_buf);
		errname = "(inferred schema)";
	} else if (schema_files.n > 1) {
		/* several files: the schema put together is the one the file gets */
		if (!(schema = cli_schema_load_many(schema_files.v, schema_files.n, 0, &errname,
						    &err)))
			goto out;
		if (!(schema_json = ak_schema_json(schema, 0))) {
			ak_fail(&err, AK_E_NOMEM, "out of memory");
			goto out;
		}
	} else if (schema_file) {
		if (!(schema_buf = cli_schema_text(schema_file, &schema_len, &err)))
			goto out;
		schema_text = schema_buf;
	} else {
		schema_len = strlen(schema_text);
	}
	if (!schema && !(schema = ak_schema_parse(schema_text, schema_len, 0, &err)))
		goto out;
	if (dat.active) {
		/* messages, not a data file (datums.c) */
		ret = cli_datums_from_json("fromjson", &dat, schema, jflags, outpath, files, nfiles);
		ak_schema_free(schema);
		free(schema_json);
		free(schema_buf);
		return ret;
	}
	if (!schema_json) {
		struct ak_buf sb = AK_BUF_INIT;

		if (ak_json_reformat(schema_text, schema_len, 0, 0, &sb, &err) != AK_OK ||
		    ak_buf_append(&sb, "", 1, &err) != AK_OK) {
			ak_buf_release(&sb);
			goto out;
		}
		schema_json = (char *)sb.data;
	}
	if (!wa.have_sync && cli_random_sync(wo.sync, &err) != AK_OK)
		goto out;
	ak_writer_opts_init(&po);
	po.codec = wo.codec->name;
	po.level = wo.level;
	po.block_size = wo.block_size;
	po.sync = wo.sync;
	po.threads = wo.threads;
	for (size_t k = 0; k < wo.nmeta; k++) {
		meta_keys[k] = meta[k].key;
		meta_values[k] = meta[k].value;
		meta_lens[k] = meta[k].value_len;
	}
	po.meta_keys = meta_keys;
	po.meta_values = meta_values;
	po.meta_lens = meta_lens;
	po.nmeta = wo.nmeta;
	po.schema_text = schema_json;
	po.schema_text_len = strlen(schema_json);

	errname = outpath ? outpath : "(standard output)";
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(lead = malloc(sizeof(*lead)))) {
		ak_fail(&err, AK_E_NOMEM, "out of memory");
		goto out;
	}
	if (!(w = ak_writer_open_callbacks(out_write, &out, schema, &po, &err)))
		goto out;
	cli_progress_start(&prog, "fromjson", files, nfiles, out.fd == STDOUT_FILENO);
	prog.records_fn = cli_writer_records;
	prog.records_ctx = w;
	ic.prog = &prog;
	for (int i = 0; i < nfiles; i++) {
		struct cli_input own, *in = ins ? &ins[i].in : &own;
		int rc;

		/* with --infer the inputs are open already, read a second time from their start */
		rc = ins ? rewind_input(&ins[i], &err) : cli_input_open(&own, files[i], &err);
		if (rc == AK_OK && !ins && own.fd == STDIN_FILENO)
			cli_tty_input_hint("fromjson", "JSON records");
		if (rc == AK_OK)
			rc = read_lead(lead, &in->src, &err);
		ic.src = &lead->src;
		if (rc == AK_OK)
			rc = ak_writer_write_json(w, in_read, &ic, jflags, NULL, NULL, &err);
		errname = in->name;
		if (!ins)
			cli_input_close(&own);
		if (rc != AK_OK) {
			if (cli_is_write_error(&err))
				errname = outpath ? outpath : "(standard output)";
			else if (!(jflags & AK_JSON_ARRAY) && lead->first == '[' &&
				 err.code == AK_E_JSON && !takes_array(schema))
				add_hint(&err, " (the input is a JSON array: --array reads its "
					 "elements as the records)");
			goto out;
		}
	}
	errname = outpath ? outpath : "(standard output)";
	if (ak_writer_finish(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	cli_progress_end(&prog, ret == CLI_EXIT_OK);
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report("fromjson", errname, &err);
	for (int i = 0; ins && i < nfiles; i++)
		if (ins[i].open)
			cli_input_close(&ins[i].in);
	free(ins);
	free(lead);
	ak_writer_free(w);
	ak_schema_free(schema);
	free(schema_json);
	free(schema_buf);
	return ret;
}
