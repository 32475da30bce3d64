/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streams of datums for the commands (datums.h): the options, the writer schemas found by
 * framing (a bare datum has one; single-object messages name theirs by CRC-64-AVRO
 * fingerprint, Confluent's by registry id, looked up among --schema-file and the .avsc files
 * of --schema-dir), and the two loops, messages to JSON lines and JSON values to messages.
 * The work is the library's stream reader and writer; this file is files, names and messages.
 */
#include "datums.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_datums_init(struct cli_datums *d)
{
	memset(d, 0, sizeof(*d));
	d->schema_id = -1;
}

static const char *const framings[] = { "none", "single-object", "confluent" };
static const char *const prefixes[] = { "none", "4be", "varint", "uvarint" };

/* The long name of option @key, for messages. */
static const char *key_name(int key)
{
	switch (key) {
	case CLI_KEY_DATUMS: return "datums";
	case CLI_KEY_FRAMING: return "framing";
	case CLI_KEY_LENGTH_PREFIX: return "length-prefix";
	case CLI_KEY_SCHEMA_ID: return "schema-id";
	case CLI_KEY_SCHEMA_DIR: return "schema-dir";
	case CLI_KEY_DATUM_SCHEMA: return "schema";
	default: return "schema-file";
	}
}

static int pick(struct cli_opts *o, const char *const *names, unsigned n, unsigned *out)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(o->arg, names[i]) == 0) {
			*out = i;
			return 0;
		}
	o->exit_code = cli_usage_error(o->cmd, n == 3 ? "--framing takes none, single-object or "
				       "confluent, not '%s'" : "--length-prefix takes none, 4be, "
				       "varint or uvarint, not '%s'", o->arg);
	return -1;
}

int cli_datums_option(struct cli_opts *o, int key, struct cli_datums *d)
{
	uint64_t v;

	switch (key) {
	case CLI_KEY_DATUMS:
		d->active = d->datums = 1;
		return 1;
	case CLI_KEY_FRAMING:
		if (pick(o, framings, 3, &d->framing) != 0)
			return -1;
		d->active = 1;
		return 1;
	case CLI_KEY_LENGTH_PREFIX:
		if (pick(o, prefixes, 4, &d->length_prefix) != 0)
			return -1;
		break;
	case CLI_KEY_SCHEMA_ID:
		if (cli_opt_u64(o, key, 0, UINT32_MAX, &v) != 0)
			return -1;
		d->schema_id = (int64_t)v;
		break;
	case CLI_KEY_SCHEMA_DIR:
		if (d->ndirs == CLI_MAX_SCHEMA_DIRS) {
			o->exit_code = cli_usage_error(o->cmd, "at most %d --schema-dir",
						       CLI_MAX_SCHEMA_DIRS);
			return -1;
		}
		d->dirs[d->ndirs++] = (char *)(uintptr_t)o->arg;
		break;
	case CLI_KEY_DATUM_SCHEMA:
		d->schema_text = o->arg;
		break;
	case CLI_KEY_DATUM_SCHEMA_FILE:
		if (cli_schema_paths_add(o, &d->files) != 0)
			return -1;
		break;
	default:
		return 0;
	}
	if (!d->given)
		d->given = key;
	return 1;
}

int cli_datums_check(const char *cmd, const struct cli_datums *d, int write)
{
	if (!d->active) {
		if (d->given)
			return cli_usage_error(cmd, "--%s goes with --datums or --framing",
					       key_name(d->given));
		return CLI_EXIT_OK;
	}
	if (d->datums && d->framing != AK_FRAMING_NONE)
		return cli_usage_error(cmd, "--datums means --framing none: give one of them");
	if (d->schema_id >= 0 && d->framing != AK_FRAMING_CONFLUENT)
		return cli_usage_error(cmd, "--schema-id goes with --framing confluent");
	if (write) {
		if (d->framing == AK_FRAMING_CONFLUENT && d->schema_id < 0)
			return cli_usage_error(cmd, "--framing confluent needs the schema's id: "
					       "--schema-id ID");
		return CLI_EXIT_OK;
	}
	if (d->framing == AK_FRAMING_NONE) {
		if (d->ndirs)
			return cli_usage_error(cmd, "--schema-dir goes with --framing single-object "
					       "or confluent (bare datums have one schema)");
		if (d->schema_text && d->files.n)
			return cli_usage_error(cmd, "give the schema with --schema or --schema-file, "
					       "not both");
	}
	if (!d->schema_text && !d->files.n && !d->ndirs)
		return cli_usage_error(cmd, "the datums' schema is needed: --schema-file FILE%s",
				       d->framing == AK_FRAMING_NONE ? " or --schema JSON"
								     : ", --schema-dir DIR or "
								       "--schema JSON");
	return CLI_EXIT_OK;
}

/* ---- the schemas messages are read with ---- */

struct schemas {
	struct ak_schema **v;
	size_t n, cap;
};

static int keep(struct schemas *ss, struct ak_schema *s, struct ak_error *err)
{
	if (ss->n == ss->cap) {
		size_t cap = ss->cap ? 2 * ss->cap : 16;
		struct ak_schema **v = realloc(ss->v, cap * sizeof(*v));

		if (!v) {
			ak_schema_free(s);
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		}
		ss->v = v;
		ss->cap = cap;
	}
	ss->v[ss->n++] = s;
	return AK_OK;
}

static void release(struct schemas *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		ak_schema_free(ss->v[i]);
	free(ss->v);
}

/* The id in a file name "ID.avsc" (its last path component), or -1. */
static int64_t name_id(const char *path)
{
	const char *base = strrchr(path, '/');
	int64_t id = 0;
	size_t n = 0;

	base = base ? base + 1 : path;
	for (; base[n] >= '0' && base[n] <= '9'; n++) {
		id = 10 * id + (base[n] - '0');
		if (id > (int64_t)UINT32_MAX)
			return -1;
	}
	return n && strcmp(base + n, ".avsc") == 0 ? id : -1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* A writer schema of the messages: a schema file of its own (schemas from data files and
 * registries are read as the data's readers read them). */
static struct ak_schema *load_one(char *path, const char **errname, struct ak_error *err)
{
	return cli_schema_load_many(&path, 1, AK_SCHEMA_LENIENT, errname, err);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .avsc files of @dir, sorted by name, as paths (malloc'd). */
static int dir_files(const char *dir, char ***out, size_t *n, struct ak_error *err)
{
	DIR *dh = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!dh)
		return ak_fail_errno(err, errno, "cannot open the directory");
	while ((errno = 0, de = readdir(dh))) {
		size_t len;

		if (!ends_with(de->d_name, ".avsc"))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*nv));

			if (!nv)
				goto nomem;
			v = nv;
		}
		len = strlen(dir) + strlen(de->d_name) + 2;
		if (!(v[*n] = malloc(len)))
			goto nomem;
		snprintf(v[*n], len, "%s/%s", dir, de->d_name);
		(*n)++;
	}
	if (errno) {
		int e = errno;

		closedir(dh);
		*out = v;
		return ak_fail_errno(err, e, "cannot read the directory");
	}
	closedir(dh);
	if (*n)
		qsort(v, *n, sizeof(*v), compare_names);
	*out = v;
	return AK_OK;
nomem:
	closedir(dh);
	*out = v;
	return ak_fail(err, AK_E_NOMEM, "out of memory");
}

/*
 * Give @sr the schemas of the options. Returns an exit status; on failure the problem is
 * printed.
 */
static int add_schemas(const char *cmd, const struct cli_datums *d, struct ak_stream_reader *sr,
		       struct schemas *ss)
{
	struct ak_error err = { 0 };
	const char *errname = NULL;
	struct ak_schema *s;
	size_t nschemas = d->files.n + (d->schema_text != NULL);

	if (d->framing == AK_FRAMING_NONE) {
		/* one schema, perhaps over several files */
		if (d->schema_text)
			s = ak_schema_parse(d->schema_text, strlen(d->schema_text),
					    AK_SCHEMA_LENIENT, &err);
		else
			s = cli_schema_load_many(d->files.v, d->files.n, AK_SCHEMA_LENIENT,
						 &errname, &err);
		if (!s) {
			cli_report(cmd, d->schema_text ? "--schema" : errname, &err);
			return CLI_EXIT_DATA;
		}
		if (keep(ss, s, &err) != AK_OK ||
		    ak_stream_reader_add_schema(sr, s, -1, &err) != AK_OK) {
			cli_report(cmd, NULL, &err);
			return CLI_EXIT_DATA;
		}
		return CLI_EXIT_OK;
	}
	if (d->framing == AK_FRAMING_CONFLUENT && nschemas > 1 && d->schema_id >= 0)
		return cli_usage_error(cmd, "--schema-id names the id of one schema, but %zu are "
				       "given: name their files ID.avsc instead", nschemas);
	for (size_t i = 0; i <= d->files.n; i++) {
		int64_t id = -1;
		const char *name;

		if (i == d->files.n) {
			if (!d->schema_text)
				break;
			name = "--schema";
			errname = name;
			s = ak_schema_parse(d->schema_text, strlen(d->schema_text),
					    AK_SCHEMA_LENIENT, &err);
		} else {
			name = d->files.v[i];
			s = load_one(d->files.v[i], &errname, &err);
		}
		if (!s) {
			cli_report(cmd, errname, &err);
			return CLI_EXIT_DATA;
		}
		if (keep(ss, s, &err) != AK_OK) {
			cli_report(cmd, NULL, &err);
			return CLI_EXIT_DATA;
		}
		if (d->framing == AK_FRAMING_CONFLUENT) {
			id = i < d->files.n ? name_id(name) : -1;
			if (id < 0)
				id = d->schema_id;
			if (id < 0 && (nschemas > 1 || d->ndirs))
				return cli_usage_error(cmd, "%s: with several schemas each needs its "
						       "id: name the file ID.avsc (or give one "
						       "schema, with --schema-id)", name);
		}
		if (ak_stream_reader_add_schema(sr, s, id, &err) != AK_OK) {
			cli_report(cmd, name, &err);
			return CLI_EXIT_DATA;
		}
	}
	for (size_t k = 0; k < d->ndirs; k++) {
		char **paths = NULL;
		size_t n = 0;
		int rc = dir_files(d->dirs[k], &paths, &n, &err), ret = CLI_EXIT_OK;

		if (rc != AK_OK) {
			cli_report(cmd, d->dirs[k], &err);
			ret = CLI_EXIT_DATA;
		}
		for (size_t i = 0; i < n && ret == CLI_EXIT_OK; i++) {
			int64_t id = name_id(paths[i]);

			/* Confluent's ids are in the names; other files are no registry's */
			if (d->framing == AK_FRAMING_CONFLUENT && id < 0)
				continue;
			if (d->framing != AK_FRAMING_CONFLUENT)
				id = -1;
			if (!(s = load_one(paths[i], &errname, &err)) ||
			    keep(ss, s, &err) != AK_OK ||
			    ak_stream_reader_add_schema(sr, s, id, &err) != AK_OK) {
				cli_report(cmd, errname ? errname : paths[i], &err);
				ret = CLI_EXIT_DATA;
			}
		}
		for (size_t i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
		if (ret != CLI_EXIT_OK)
			return ret;
	}
	return CLI_EXIT_OK;
}

/* ---- messages to JSON ---- */

struct to_json {
	struct ak_out *out;
	struct ak_error werr;  /* why writing the output failed */
	int write_failed;
	uint64_t records;      /* records printed from the current input */
};

/* As tojson does: small pieces collect in the output buffer, large ones go straight out. */
static int put_text(void *ctx, const void *p, size_t n)
{
	struct to_json *t = ctx;
	int rc;

	if (n >= 64 * 1024)
		rc = ak_out_write(t->out, p, n, &t->werr);
	else if ((rc = ak_buf_append(&t->out->b, p, n, &t->werr)) == AK_OK)
		rc = ak_out_commit(t->out, &t->werr);
	/* a message that arrives alone (a consumer piping a topic) is printed at once: the
	 * library writes before each read that may wait */
	if (rc == AK_OK && n < 64 * 1024)
		rc = ak_out_flush(t->out, &t->werr);
	if (rc != AK_OK) {
		t->write_failed = 1;
		errno = t->werr.sys_errno ? t->werr.sys_errno : ENOMEM;
		return -1;
	}
	return 0;
}

static int count_records(void *ctx, uint64_t records, uint64_t bytes)
{
	struct to_json *t = ctx;

	(void)bytes;
	t->records = records;
	return 0;
}

int cli_datums_to_json(const struct cli_datums *d, const struct cli_datums_read *a)
{
	struct ak_error err = { 0 };
	struct ak_stream_opts so;
	struct ak_stream_reader *sr = NULL;
	struct schemas ss = { NULL, 0, 0 };
	struct cli_output out;
	struct to_json t;
	uint64_t left = a->limit;
	int ret, rc = AK_OK, opened = 0;

	memset(&t, 0, sizeof(t));
	ak_stream_opts_init(&so);
	so.framing = d->framing;
	so.length_prefix = d->length_prefix;
	so.reader_schema = a->reader;
	so.json_flags = a->json_flags;
	so.threads = a->threads;
	if (a->max_message)
		so.max_message = a->max_message;
	if (!(sr = ak_stream_reader_new(&so, &err))) {
		cli_report(a->cmd, NULL, &err);
		return CLI_EXIT_DATA;
	}
	if (a->schema) {
		ret = CLI_EXIT_OK;
		if (ak_stream_reader_add_schema(sr, a->schema, -1, &err) != AK_OK) {
			cli_report(a->cmd, NULL, &err);
			ret = CLI_EXIT_DATA;
		}
	} else {
		ret = add_schemas(a->cmd, d, sr, &ss);
	}
	if (ret != CLI_EXIT_OK)
		goto out;
	if (cli_output_open(&out, a->outpath, a->files, a->nfiles, &err) != AK_OK) {
		cli_report(a->cmd, NULL, &err);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	opened = 1;
	t.out = &out.out;
	for (int i = 0; i < a->nfiles && rc == AK_OK && left; i++) {
		struct cli_input in;

		rc = cli_input_open(&in, a->files[i], &err);
		if (rc == AK_OK)
			rc = ak_stream_reader_set_fd(sr, in.fd, &err);
		if (rc == AK_OK) {
			t.records = 0;
			rc = ak_stream_to_json(sr, left, put_text, &t, count_records, &t, &err);
			if (left != AK_NO_POS)
				left -= t.records;
			if (rc == AK_EOF) /* the limit */
				rc = AK_OK;
		}
		if (rc < 0) {
			/* the records before the error are printed, then the message */
			struct ak_error ferr = { 0 };

			if (!t.write_failed)
				ak_out_flush(&out.out, &ferr);
			else
				err = t.werr;
			cli_report(a->cmd, t.write_failed ? a->outpath ? a->outpath
								  : "(standard output)"
							  : in.name, &err);
			ret = CLI_EXIT_DATA;
		}
		cli_input_close(&in);
	}
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		cli_report(a->cmd, a->outpath ? a->outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
	ak_stream_reader_free(sr);
	release(&ss);
	return ret;
}

/* ---- JSON to messages ---- */

static int out_write(void *ctx, const void *p, size_t n)
{
	struct cli_output *o = ctx;

	return o->sink.write(o->sink.ctx, p, n);
}

/* JSON text from an input, after its byte order mark (which Windows tools write). */
struct json_src {
	struct cli_input in;
	unsigned char lead[4];
	struct cli_prefixed pre;
};

static ssize_t json_read(void *ctx, void *buf, size_t n)
{
	return cli_prefixed_read(ctx, buf, n);
}

static int json_open(struct json_src *j, struct ak_error *err)
{
	size_t len = 0;
	int eof = 0;

	while (len < 4) {
		ssize_t n = j->in.src.read(j->in.src.ctx, j->lead + len, 4 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ak_fail_errno(err, errno, "read error");
		if (n == 0) {
			eof = 1; /* (a terminal is not read again after its end: cli_prefixed) */
			break;
		}
		len += (size_t)n;
	}
	if (len == 4 && memcmp(j->lead, "Obj\x01", 4) == 0)
		return ak_fail(err, AK_E_JSON, "this is an Avro data file, not JSON: it is Avro "
			       "already (avrokit tojson prints its records)");
	j->pre = (struct cli_prefixed){ j->lead, len, 0, &j->in.src, eof };
	if (len >= 3 && memcmp(j->lead, "\xEF\xBB\xBF", 3) == 0)
		j->pre.pos = 3;
	return AK_OK;
}

int cli_datums_from_json(const char *cmd, const struct cli_datums *d,
			 const struct ak_schema *schema, unsigned json_flags, const char *outpath,
			 char **files, int nfiles)
{
	struct ak_error err = { 0 };
	struct ak_stream_opts so;
	struct ak_stream_writer *w = NULL;
	struct cli_output out;
	const char *errname = outpath ? outpath : "(standard output)";
	int ret = CLI_EXIT_DATA, opened = 0;

	ak_stream_opts_init(&so);
	so.framing = d->framing;
	so.length_prefix = d->length_prefix;
	so.schema_id = d->schema_id;
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK)
		goto out;
	opened = 1;
	if (!(w = ak_stream_writer_open_callbacks(out_write, &out, schema, &so, &err)))
		goto out;
	for (int i = 0; i < nfiles; i++) {
		struct json_src j;
		int rc;

		rc = cli_input_open(&j.in, files[i], &err);
		errname = j.in.name;
		if (rc == AK_OK)
			rc = json_open(&j, &err);
		if (rc == AK_OK)
			rc = ak_stream_writer_write_json(w, json_read, &j.pre, json_flags, NULL, NULL,
							 &err);
		cli_input_close(&j.in);
		if (rc != AK_OK) {
			struct ak_error ferr;

			if (cli_is_write_error(&err))
				errname = outpath ? outpath : "(standard output)";
			else
				ak_stream_writer_flush(w, &ferr); /* the messages before it */
			goto out;
		}
	}
	errname = outpath ? outpath : "(standard output)";
	if (ak_stream_writer_flush(w, &err) != AK_OK)
		goto out;
	ret = CLI_EXIT_OK;
out:
	if (opened && cli_output_finish(&out, ret == CLI_EXIT_OK, &err) != AK_OK) {
		errname = outpath ? outpath : "(standard output)";
		ret = CLI_EXIT_DATA;
	}
	if (ret != CLI_EXIT_OK)
		cli_report(cmd, errname, &err);
	ak_stream_writer_free(w);
	return ret;
}

/* ---- fragtojson, jsontofrag ---- */

struct ak_schema *cli_datums_fragment_schema(const char *cmd, const struct cli_datums *d,
					     char ***files, int *nfiles, unsigned flags,
					     int *exit)
{
	struct ak_error err = { 0 };
	const char *errname = NULL;
	struct ak_schema *s;

	*exit = CLI_EXIT_DATA;
	if (d->schema_text && d->files.n) {
		*exit = cli_usage_error(cmd, "give the schema with --schema or --schema-file, not "
					"both");
		return NULL;
	}
	if (d->files.n) {
		s = cli_schema_load_many(d->files.v, d->files.n, flags, &errname, &err);
	} else {
		const char *text = d->schema_text;

		errname = "--schema";
		if (!text) {
			/* avro-tools: the schema's JSON text is the first operand */
			if (*nfiles == 0) {
				*exit = cli_usage_error(cmd, "the schema is needed: --schema-file FILE, "
							"--schema JSON, or the JSON as the first "
							"operand");
				return NULL;
			}
			text = (*files)[0];
			(*files)++;
			(*nfiles)--;
			errname = "(schema operand)";
		}
		s = ak_schema_parse(text, strlen(text), flags, &err);
	}
	if (!s)
		cli_report(cmd, errname, &err);
	return s;
}
