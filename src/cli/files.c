/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files for the CLI: "-" is standard input, output files are written to a temporary file
 * beside the target and renamed only on success (an interrupted or failed run leaves no
 * partial file and does not touch an existing one), and EPIPE becomes a quiet SIGPIPE so
 * `avrokit tojson f | head` ends without a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static struct ak_limits limits = {
	AK_DEFAULT_MAX_HEADER, AK_DEFAULT_MAX_BLOCK, AK_DEFAULT_MAX_INFLATED
};
const struct ak_limits *cli_limits = &limits;

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	return read(*(int *)ctx, buf, n);
}

static int fd_skip(void *ctx, uint64_t n)
{
	if (n > (uint64_t)INT64_MAX || lseek(*(int *)ctx, (off_t)n, SEEK_CUR) < 0) {
		if (errno == EINVAL)
			errno = ESPIPE;
		return -1;
	}
	return 0;
}

int cli_input_open(struct cli_input *in, const char *path, struct ak_error *err)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	if (!path || strcmp(path, "-") == 0) {
		in->name = "(standard input)";
		in->fd = STDIN_FILENO;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return ak_fail_errno(err, errno, "cannot open");
		in->owned = 1;
	}
	if (fstat(in->fd, &st) != 0)
		return ak_fail_errno(err, errno, "cannot stat");
	if (S_ISDIR(st.st_mode))
		return ak_fail(err, AK_E_IO, "is a directory");
	in->src.read = fd_read;
	in->src.skip = S_ISREG(st.st_mode) ? fd_skip : NULL;
	in->src.ctx = &in->fd;
	return AK_OK;
}

void cli_tty_input_hint(const char *cmd, const char *what)
{
	if (isatty(STDIN_FILENO))
		cli_msg(cmd, "reading %s from standard input, which is a terminal (give a FILE, or "
			"end the input with Ctrl-D)", what);
}

void cli_input_close(struct cli_input *in)
{
	if (in->owned && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	in->owned = 0;
}

static int fd_write(void *ctx, const void *buf, size_t n)
{
	const char *p = buf;
	int fd = *(int *)ctx;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* the reader went away: end quietly, as cat does */
				signal(SIGPIPE, SIG_DFL);
				raise(SIGPIPE);
				errno = EPIPE;
			}
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The temporary file being written, removed if a signal ends the run. */
static char *volatile pending_tmp;

static void on_signal(int sig)
{
	char *t = pending_tmp;

	if (t)
		unlink(t);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int same_file(const struct stat *a, const char *path)
{
	struct stat b;

	if (!path || strcmp(path, "-") == 0 || stat(path, &b) != 0)
		return 0;
	return a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

int cli_output_open(struct cli_output *o, const char *path, char **inputs, int ninputs,
		    struct ak_error *err)
{
	struct stat st;
	sigset_t sigs, saved;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	o->path = path;
	if (!path) {
		o->fd = STDOUT_FILENO;
		if (fstat(o->fd, &st) == 0 && S_ISREG(st.st_mode))
			for (int i = 0; i < ninputs; i++)
				if (same_file(&st, inputs[i]))
					return ak_fail(err, AK_E_ARG, "input %s is also the output",
						       inputs[i]);
	} else {
		const char *slash = strrchr(path, '/');
		size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;

		if (stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				return ak_fail(err, AK_E_IO, "%s: is a directory", path);
			for (int i = 0; i < ninputs; i++)
				if (same_file(&st, inputs[i]))
					return ak_fail(err, AK_E_ARG, "input %s is also the output",
						       inputs[i]);
			if (!S_ISREG(st.st_mode)) {
				/* a device, a FIFO: write to it as it is, there is nothing to
				 * replace atomically */
				o->fd = open(path, O_WRONLY | O_CLOEXEC);
				if (o->fd < 0)
					return ak_fail_errno(err, errno, "%s", path);
				o->path = NULL;
				o->owned = 1;
				goto sink;
			}
		}
		o->tmp = malloc(strlen(path) + 32);
		if (!o->tmp)
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		snprintf(o->tmp, strlen(path) + 32, "%.*s.%s.avrokit-XXXXXX", (int)dirlen, path, path + dirlen);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		/* a signal between the file's creation and pending_tmp would leave the file
		 * behind: hold them until the handler knows its name (no other thread runs yet,
		 * and the ones started later inherit an empty mask) */
		sigemptyset(&sigs);
		sigaddset(&sigs, SIGINT);
		sigaddset(&sigs, SIGTERM);
		sigaddset(&sigs, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &sigs, &saved);
		o->fd = mkstemp(o->tmp);
		if (o->fd >= 0)
			pending_tmp = o->tmp;
		else
			rc = errno;
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		if (o->fd < 0) {
			/* the temporary file is ours: what the user needs to know is that the
			 * directory is missing, or not one, or not writable */
			int dl = dirlen > 1 ? (int)dirlen - 1 : (int)dirlen;

			if (dirlen)
				rc = ak_fail_errno(err, rc, "%s: cannot write into the directory %.*s",
						   path, dl, path);
			else
				rc = ak_fail_errno(err, rc, "%s: cannot write into the current "
						   "directory", path);
			free(o->tmp);
			o->tmp = NULL;
			return rc;
		}
	}
sink:
	o->sink.write = fd_write;
	o->sink.ctx = &o->fd;
	return ak_out_init(&o->out, &o->sink, err);
}

int cli_output_finish(struct cli_output *o, int ok, struct ak_error *err)
{
	int rc = AK_OK;

	if (ok) {
		o->out.mark = o->out.b.len;
		rc = ak_out_flush(&o->out, err);
	}
	ak_out_release(&o->out);
	if (o->owned) {
		if (close(o->fd) != 0 && rc == AK_OK && ok)
			rc = ak_fail_errno(err, errno, "close");
		o->fd = -1;
		o->owned = 0;
	}
	if (!o->tmp)
		return rc;
	if (rc == AK_OK && ok) {
		struct stat st;
		mode_t mode;

		if (stat(o->path, &st) == 0) {
			mode = st.st_mode & 07777;
		} else {
			mode_t mask = umask(0);

			umask(mask);
			mode = 0666 & ~mask;
		}
		if (fchmod(o->fd, mode) != 0 || fsync(o->fd) != 0)
			rc = ak_fail_errno(err, errno, "%s", o->path);
	}
	if (close(o->fd) != 0 && rc == AK_OK && ok)
		rc = ak_fail_errno(err, errno, "%s", o->path);
	o->fd = -1;
	if (rc == AK_OK && ok && rename(o->tmp, o->path) != 0)
		rc = ak_fail_errno(err, errno, "cannot rename to %s", o->path);
	if (rc != AK_OK || !ok)
		unlink(o->tmp);
	pending_tmp = NULL;
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

int cli_refuse_tty(const char *cmd, const char *outpath)
{
	if (outpath && strcmp(outpath, "-") != 0)
		return CLI_EXIT_OK;
	if (!isatty(STDOUT_FILENO))
		return CLI_EXIT_OK;
	return cli_usage_error(cmd, "standard output is a terminal: not writing Avro binary data "
			       "to it (give -o FILE, or redirect standard output)");
}

int cli_inputs_check(char **files, int nfiles, const char *outpath, const char **bad,
		     struct ak_error *err)
{
	for (int i = 0; i < nfiles; i++) {
		struct cli_input in;
		int rc;

		if (!files[i] || strcmp(files[i], "-") == 0)
			continue;
		rc = cli_input_open(&in, files[i], err);
		cli_input_close(&in);
		if (rc == AK_OK)
			continue;
		*bad = files[i];
		if (i == nfiles - 1 && nfiles > 1 && !outpath && err->sys_errno == ENOENT) {
			size_t n = strlen(err->msg);

			snprintf(err->msg + n, sizeof(err->msg) - n, " (every operand is an input: "
				 "the output is written to -o FILE, or standard output)");
		}
		return rc;
	}
	return AK_OK;
}

ssize_t cli_prefixed_read(void *ctx, void *buf, size_t n)
{
	struct cli_prefixed *p = ctx;

	if (p->pos < p->len) {
		size_t k = p->len - p->pos < n ? p->len - p->pos : n;

		memcpy(buf, p->pre + p->pos, k);
		p->pos += k;
		return (ssize_t)k;
	}
	return p->eof ? 0 : p->next->read(p->next->ctx, buf, n);
}

/* The main schema of the Avro IDL text in @b (taken) read from @in, as JSON text. */
static char *idl_schema_text(const char *path, const struct cli_input *in, struct ak_buf *b,
			     size_t *len, struct ak_error *err)
{
	struct stat st;
	uint64_t id[2] = { 0, 0 };
	int has_id = in->owned && fstat(in->fd, &st) == 0;
	struct ak_idl *idl;
	struct ak_buf out = AK_BUF_INIT;
	char *text = NULL;

	if (has_id) {
		id[0] = (uint64_t)st.st_dev;
		id[1] = (uint64_t)st.st_ino;
	}
	if (!b->data && ak_buf_reserve(b, 1, err) != AK_OK)
		return NULL;
	idl = cli_idl_parse(path, (char *)b->data, b->len, has_id, id, NULL, 0,
			    cli_limits->max_header, err);
	*b = (struct ak_buf)AK_BUF_INIT;
	if (idl && ak_idl_schema_json(idl, 0, &out, err) == AK_OK &&
	    ak_buf_append(&out, "", 1, err) == AK_OK) {
		*len = out.len - 1;
		text = (char *)out.data;
		out = (struct ak_buf)AK_BUF_INIT;
	}
	ak_buf_release(&out);
	ak_idl_free(idl);
	return text;
}

/* cli_schema_text(); *@is_data is set when @path is a data file. */
static char *schema_text(const char *path, size_t *len, int *is_data, struct ak_error *err)
{
	struct cli_input in;
	struct ak_buf b = AK_BUF_INIT;
	char *text = NULL;

	if (cli_input_open(&in, path, err) != AK_OK)
		goto out;
	/* the first bytes tell a data file from a schema */
	while (b.len < 4) {
		ssize_t n;

		if (ak_buf_reserve(&b, 4, err) != AK_OK)
			goto out;
		n = read(in.fd, b.data + b.len, 4 - b.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ak_fail_errno(err, errno, "read error");
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
	}
	if (b.len == 4 && memcmp(b.data, AK_MAGIC, 4) == 0) {
		struct cli_prefixed rp = { b.data, 4, 0, &in.src, 0 };

		*is_data = 1;
		struct ak_source src = { cli_prefixed_read, NULL, &rp };
		struct ak_reader *r;
		const struct ak_meta_entry *e;

		if (!(r = ak_reader_open(&src, cli_limits, err)))
			goto out;
		/* the stored text: the reader owns its copy */
		e = ak_reader_meta_find(r, "avro.schema");
		b.len = 0;
		if (ak_buf_append(&b, e->value, e->value_len, err) == AK_OK &&
		    ak_buf_append(&b, "", 1, err) == AK_OK) {
			*len = e->value_len;
			text = (char *)b.data;
			b = (struct ak_buf)AK_BUF_INIT;
		}
		ak_reader_free(r);
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (b.len > cli_limits->max_header) {
			ak_fail(err, AK_E_LIMIT, "schema larger than the %zu-byte metadata limit",
				cli_limits->max_header);
			err->flags |= AK_ERROR_LIMIT_HEADER;
			goto out;
		}
		if (ak_buf_reserve(&b, 65536, err) != AK_OK)
			goto out;
		n = read(in.fd, b.data + b.len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ak_fail_errno(err, errno, "read error");
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
	}
	if (cli_is_idl(path && strcmp(path, "-") ? path : NULL, b.data, b.len)) {
		text = idl_schema_text(path, &in, &b, len, err);
		goto out;
	}
	*len = b.len;
	if (ak_buf_append(&b, "", 1, err) == AK_OK) {
		text = (char *)b.data;
		b = (struct ak_buf)AK_BUF_INIT;
	}
out:
	ak_buf_release(&b);
	cli_input_close(&in);
	return text;
}

int cli_schema_read(struct cli_schema_src *src, const char *path, struct ak_error *err)
{
	int is_data = 0;

	memset(src, 0, sizeof(*src));
	src->name = path ? path : "(standard input)";
	src->text = schema_text(path, &src->len, &is_data, err);
	src->is_data = is_data;
	return src->text ? AK_OK : (err->code ? err->code : AK_E_IO);
}

void cli_schema_src_release(struct cli_schema_src *src)
{
	free(src->text);
	src->text = NULL;
}

struct ak_schema *cli_schema_parse(const struct cli_schema_src *srcs, size_t n, unsigned flags,
				   struct ak_error *err)
{
	struct ak_schema_text t[CLI_MAX_SCHEMA_FILES + 1];
	unsigned f = flags & ~CLI_SCHEMA_DATA_LENIENT;

	if (n == 1)
		return ak_schema_parse_ex(srcs[0].text, srcs[0].len,
					  f | (srcs[0].is_data && (flags & CLI_SCHEMA_DATA_LENIENT)
						       ? AK_SCHEMA_LENIENT : 0), err);
	if (n > CLI_MAX_SCHEMA_FILES + 1) {
		ak_fail(err, AK_E_ARG, "more than %d schema files", CLI_MAX_SCHEMA_FILES);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		t[i].text = srcs[i].text;
		t[i].len = srcs[i].len;
		t[i].name = srcs[i].name;
	}
	return ak_schema_parse_many(t, n, f, err);
}

struct ak_schema *cli_schema_load_many(char *const *paths, size_t n, unsigned flags,
				       const char **errname, struct ak_error *err)
{
	struct cli_schema_src srcs[CLI_MAX_SCHEMA_FILES];
	struct ak_schema *s = NULL;
	size_t got = 0;

	if (errname)
		*errname = NULL;
	if (n == 0 || n > CLI_MAX_SCHEMA_FILES) {
		ak_fail(err, AK_E_ARG, "%s schema files", n ? "too many" : "no");
		return NULL;
	}
	memset(srcs, 0, sizeof(srcs[0]));
	for (; got < n; got++)
		if (cli_schema_read(&srcs[got], paths[got], err) != AK_OK) {
			if (errname)
				*errname = srcs[got].name;
			goto out;
		}
	s = cli_schema_parse(srcs, n, flags, err);
	if (!s && n == 1 && errname)
		*errname = srcs[0].name;
out:
	for (size_t i = 0; i < got; i++)
		cli_schema_src_release(&srcs[i]);
	return s;
}

char *cli_schema_text(const char *path, size_t *len, struct ak_error *err)
{
	int is_data = 0;

	return schema_text(path, len, &is_data, err);
}

int cli_schema_paths_add(struct cli_opts *o, struct cli_schema_paths *p)
{
	if (p->n == CLI_MAX_SCHEMA_FILES) {
		o->exit_code = cli_usage_error(o->cmd, "at most %d schema files",
					       CLI_MAX_SCHEMA_FILES);
		return -1;
	}
	p->v[p->n++] = (char *)(uintptr_t)o->arg;
	return 0;
}

int cli_schema_read_imports(struct cli_schema_src *srcs, const struct cli_schema_paths *p,
			    const char **errname, struct ak_error *err)
{
	for (size_t i = 0; i < p->n; i++)
		if (cli_schema_read(&srcs[i], p->v[i], err) != AK_OK) {
			*errname = srcs[i].name;
			while (i--)
				cli_schema_src_release(&srcs[i]);
			return err->code;
		}
	return AK_OK;
}

struct ak_schema *cli_schema_load_with(const struct cli_schema_src *imports, size_t nimports,
				       const char *path, unsigned flags, const char **errname,
				       struct ak_error *err)
{
	struct cli_schema_src srcs[CLI_MAX_SCHEMA_FILES + 1];
	struct ak_schema *s;

	*errname = NULL;
	memcpy(srcs, imports, nimports * sizeof(*srcs));
	if (cli_schema_read(&srcs[nimports], path, err) != AK_OK) {
		*errname = srcs[nimports].name;
		return NULL;
	}
	s = cli_schema_parse(srcs, nimports + 1, flags, err);
	if (!s && !nimports)
		*errname = srcs[0].name;
	cli_schema_src_release(&srcs[nimports]);
	return s;
}

int cli_canonical_each(const char *cmd, char **files, int nfiles,
		       const struct cli_schema_paths *imports, const char *outpath,
		       cli_canonical_line_fn line, void *ctx)
{
	struct cli_schema_src isrc[CLI_MAX_SCHEMA_FILES];
	struct cli_output out;
	struct ak_error err = { 0 };
	char *stdin_only[] = { NULL };
	const char *errname;
	int ret = CLI_EXIT_OK;

	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (cli_schema_read_imports(isrc, imports, &errname, &err) != AK_OK) {
		cli_report(cmd, errname, &err);
		return CLI_EXIT_DATA;
	}
	if (cli_output_open(&out, outpath, files, nfiles, &err) != AK_OK) {
		cli_report(cmd, NULL, &err);
		ret = CLI_EXIT_DATA;
		goto out;
	}
	for (int i = 0; i < nfiles; i++) {
		struct ak_schema *s = cli_schema_load_with(isrc, imports->n, files[i],
							   CLI_SCHEMA_DATA_LENIENT, &errname, &err);
		char *pcf = s ? ak_schema_canonical(s, &err) : NULL;

		if (!pcf || line(ctx, pcf, files[i] ? files[i] : "-", &out.out.b, &err) != AK_OK) {
			const char *name = files[i] ? files[i] : "(standard input)";

			cli_report(cmd, s ? name : errname, &err);
			ret = CLI_EXIT_DATA;
		}
		free(pcf);
		ak_schema_free(s);
	}
	if (cli_output_finish(&out, ret == CLI_EXIT_OK || !outpath, &err) != AK_OK) {
		cli_report(cmd, outpath ? outpath : "(standard output)", &err);
		ret = CLI_EXIT_DATA;
	}
out:
	for (size_t i = 0; i < imports->n; i++)
		cli_schema_src_release(&isrc[i]);
	return ret;
}

struct ak_schema *cli_schema_load(const char *path, struct ak_error *err)
{
	size_t len;
	char *text = cli_schema_text(path, &len, err);
	struct ak_schema *s = text ? ak_schema_parse(text, len, 0, err) : NULL;

	free(text);
	return s;
}

int cli_parse_sync(const char *s, unsigned char sync[AK_SYNC_SIZE])
{
	if (strlen(s) != 2 * AK_SYNC_SIZE)
		return -1;
	for (int i = 0; i < AK_SYNC_SIZE; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return -1;
		sync[i] = (unsigned char)v;
	}
	return 0;
}

int cli_random_sync(unsigned char sync[AK_SYNC_SIZE], struct ak_error *err)
{
	size_t got = 0;

	while (got < AK_SYNC_SIZE) {
		ssize_t n = getrandom(sync + got, AK_SYNC_SIZE - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ak_fail_errno(err, errno, "cannot get random bytes for the sync marker");
		}
		got += (size_t)n;
	}
	return AK_OK;
}


int cli_pick_codec(const char *cmd, const char *name, int have_level, uint64_t level,
		   struct ak_writer_config *wo)
{
	wo->codec = ak_codec_find(name, strlen(name));
	if (wo->codec && !wo->codec->can_write)
		return cli_usage_error(cmd, "codec '%s' can be read but not written (give --codec "
				       "null, deflate, snappy, bzip2, xz or zstandard)", name);
	if (!wo->codec)
		return cli_usage_error(cmd, "unknown codec '%s' (choose from null, deflate, snappy, "
				       "bzip2, xz, zstandard)", name);
	if (!wo->codec->available) {
		cli_msg(cmd, "codec '%s' is not built into this avrokit", name);
		return CLI_EXIT_DATA;
	}
	wo->level = -1;
	if (have_level) {
		if (wo->codec->min_level == wo->codec->max_level)
			return cli_usage_error(cmd, "--level does not apply to codec '%s'",
					       wo->codec->name);
		if ((int64_t)level < wo->codec->min_level || (int64_t)level > wo->codec->max_level)
			return cli_usage_error(cmd, "--level for %s must be from %d to %d",
					       wo->codec->name, wo->codec->min_level,
					       wo->codec->max_level);
		wo->level = (int)level;
	}
	return CLI_EXIT_OK;
}

int cli_avro_open(struct cli_avro_in *a, const char *path, struct ak_error *err)
{
	a->r = NULL;
	if (cli_input_open(&a->in, path, err) != AK_OK)
		return err->code;
	if (!(a->r = ak_reader_open(&a->in.src, cli_limits, err)))
		return err->code;
	return AK_OK;
}

void cli_avro_close(struct cli_avro_in *a)
{
	ak_reader_free(a->r);
	a->r = NULL;
	cli_input_close(&a->in);
}

int cli_same_schema(const struct ak_reader *a, const char *aname, const struct ak_reader *b,
		    const char *bname, struct ak_error *err)
{
	const struct ak_meta_entry *sa = ak_reader_meta_find(a, "avro.schema");
	const struct ak_meta_entry *sb = ak_reader_meta_find(b, "avro.schema");
	char *ca, *cb;
	size_t i = 0;
	int rc = AK_OK;

	if (sa->value_len == sb->value_len && memcmp(sa->value, sb->value, sa->value_len) == 0)
		return AK_OK;
	ca = ak_schema_canonical(ak_reader_schema(a), err);
	cb = ca ? ak_schema_canonical(ak_reader_schema(b), err) : NULL;
	if (!ca || !cb) {
		free(ca);
		return err->code;
	}
	if (strcmp(ca, cb) != 0) {
		while (ca[i] && ca[i] == cb[i])
			i++;
		size_t from = i > 30 ? i - 30 : 0;
		rc = ak_fail(err, AK_E_FORMAT, "the schema differs from that of %s at character %zu "
			     "of the canonical form: %s has ...%.60s..., %s has ...%.60s...", aname, i,
			     aname, ca + from, bname, cb + from);
	}
	free(ca);
	free(cb);
	return rc;
}

size_t cli_user_meta(const struct ak_reader *r, struct ak_meta_entry *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ak_reader_meta_count(r) && n < max; i++) {
		const struct ak_meta_entry *e = ak_reader_meta(r, i);

		if (strncmp(e->key, "avro.", 5) != 0)
			out[n++] = *e;
	}
	return n;
}

int cli_parse_size(const char *s, size_t *out)
{
	return cli_parse_size_range(s, 1, (size_t)1 << 30, out);
}

int cli_parse_size_range(const char *s, size_t min, size_t max, size_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		shift = 10, end++;
	else if (*end == 'm' || *end == 'M')
		shift = 20, end++;
	else if (*end == 'g' || *end == 'G')
		shift = 30, end++;
	if (*end || v > (unsigned long long)max >> shift || (v << shift) < min)
		return -1;
	*out = (size_t)(v << shift);
	return 0;
}

int cli_limit_option(struct cli_opts *o, int key)
{
	size_t v;

	if (cli_parse_size_range(o->arg, CLI_LIMIT_MIN, CLI_LIMIT_MAX, &v) != 0) {
		o->exit_code = cli_usage_error(o->cmd, "--%s: '%s' is not a size from 1K to 64G "
					       "(a number with an optional K, M or G suffix)",
					       key == CLI_KEY_MAX_BLOCK ? "max-block-size" :
									  "max-header-size",
					       o->arg);
		return -1;
	}
	if (key == CLI_KEY_MAX_BLOCK)
		limits.max_block = limits.max_inflated = v;
	else
		limits.max_header = v;
	return 0;
}


int cli_write_option(struct cli_opts *o, int key, struct cli_write_args *a,
		     struct ak_writer_config *wo)
{
	switch (key) {
	case CLI_KEY_CODEC:
		a->codec = o->arg;
		return 1;
	case CLI_KEY_LEVEL:
		if (cli_opt_u64(o, key, 0, 22, &a->level) != 0)
			return -1;
		a->have_level = 1;
		return 1;
	case CLI_KEY_SYNC:
		if (cli_parse_sync(o->arg, wo->sync) != 0) {
			o->exit_code = cli_usage_error(o->cmd, "--sync-marker takes 32 hex digits, "
						       "got '%s'", o->arg);
			return -1;
		}
		a->have_sync = 1;
		return 1;
	}
	return 0;
}

int cli_meta_option(struct cli_opts *o, struct ak_meta_entry *meta, size_t *n, size_t max)
{
	char *key = (char *)(uintptr_t)o->arg; /* argv is ours to edit */
	char *eq = strchr(key, '=');

	if (!eq || eq == key) {
		o->exit_code = cli_usage_error(o->cmd, "--meta takes KEY=VALUE, got '%s'", key);
		return -1;
	}
	if (*n == max) {
		o->exit_code = cli_usage_error(o->cmd, "at most %zu --meta entries", max);
		return -1;
	}
	*eq = '\0';
	if (strncmp(key, "avro.", 5) == 0) {
		o->exit_code = cli_usage_error(o->cmd, "--meta: key '%s' is reserved (keys starting "
					       "with 'avro.' belong to Avro)", key);
		return -1;
	}
	for (size_t k = 0; k < *n; k++)
		if (strcmp(meta[k].key, key) == 0) {
			o->exit_code = cli_usage_error(o->cmd, "--meta: key '%s' given twice", key);
			return -1;
		}
	meta[*n].key = key;
	meta[*n].value = (const unsigned char *)eq + 1;
	meta[*n].value_len = strlen(eq + 1);
	(*n)++;
	return 0;
}

int cli_is_write_error(const struct ak_error *err)
{
	return (err->flags & AK_ERROR_OUTPUT) != 0;
}
