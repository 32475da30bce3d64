/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro IDL files for the CLI: the loader that finds imports (next to the importing file, then
 * in each --import-dir, which is what Java's class path does for avro-tools), reads them with
 * a size limit and tells files apart by device and inode (so a file imported twice, or an
 * import cycle, is read once); and the warnings, printed as "FILE:LINE:COL: warning: ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct loader_ctx {
	char **dirs;
	size_t ndirs;
};

/* @dir (with a slash after it unless empty) and @path, malloc'd. */
static char *join(const char *dir, size_t dlen, const char *path)
{
	size_t plen = strlen(path);
	int slash = dlen && dir[dlen - 1] != '/';
	char *s = malloc(dlen + slash + plen + 1);

	if (s) {
		if (dlen) /* (@dir is NULL for standard input: nothing to copy) */
			memcpy(s, dir, dlen);
		if (slash)
			s[dlen] = '/';
		memcpy(s + dlen + slash, path, plen + 1);
	}
	return s;
}

static int try_path(char *cand, struct ak_idl_source *out)
{
	struct stat st;

	if (!cand || stat(cand, &st) != 0 || S_ISDIR(st.st_mode)) {
		free(cand);
		return 0;
	}
	out->name = cand;
	out->has_id = 1;
	out->id[0] = (uint64_t)st.st_dev;
	out->id[1] = (uint64_t)st.st_ino;
	return 1;
}

static int find(void *vctx, const char *from, const char *path, struct ak_idl_source *out,
		struct ak_error *err)
{
	const struct loader_ctx *ctx = vctx;
	const char *slash = from ? strrchr(from, '/') : NULL;

	if (path[0] == '/')
		return try_path(strdup(path), out) ? AK_OK
						    : ak_fail(err, AK_E_IO, "file not found");
	/* next to the importing file (the current directory for standard input) */
	if (try_path(join(from, slash ? (size_t)(slash - from) + 1 : 0, path), out))
		return AK_OK;
	for (size_t i = 0; i < ctx->ndirs; i++)
		if (try_path(join(ctx->dirs[i], strlen(ctx->dirs[i]), path), out))
			return AK_OK;
	if (ctx->ndirs)
		return ak_fail(err, AK_E_IO, "file not found, next to %s or in the %zu "
			       "--import-dir director%s", from ? from : "the current directory",
			       ctx->ndirs, ctx->ndirs == 1 ? "y" : "ies");
	return ak_fail(err, AK_E_IO, "file not found next to %s (--import-dir adds places to "
		       "look)", from ? from : "the current directory");
}

/* Read all of @fd, at most @max bytes (AK_E_LIMIT past that). */
static int read_all(int fd, size_t max, struct ak_buf *b, struct ak_error *err)
{
	for (;;) {
		ssize_t n;

		if (ak_buf_reserve(b, 65536, err) != AK_OK)
			return err->code;
		n = read(fd, b->data + b->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ak_fail_errno(err, errno, "read error");
		if (n == 0)
			return AK_OK;
		b->len += (size_t)n;
		if (b->len > max)
			return ak_fail(err, AK_E_LIMIT, "larger than %zu bytes", max);
	}
}

static int read_file(void *vctx, struct ak_idl_source *src, size_t max, struct ak_error *err)
{
	struct ak_buf b = AK_BUF_INIT;
	int fd, rc;

	(void)vctx;
	if ((fd = open(src->name, O_RDONLY | O_CLOEXEC)) < 0)
		return ak_fail_errno(err, errno, "cannot open %s", src->name);
	rc = read_all(fd, max, &b, err);
	close(fd);
	if (rc != AK_OK) {
		ak_buf_release(&b);
		return rc;
	}
	src->text = (char *)b.data;
	src->len = b.len;
	return AK_OK;
}

struct ak_idl *cli_idl_parse(const char *path, char *text, size_t len, int has_id,
			     const uint64_t id[2], char **dirs, size_t ndirs, size_t max,
			     struct ak_error *err)
{
	struct loader_ctx ctx = { dirs, ndirs };
	struct ak_idl_loader loader = { find, read_file, &ctx };
	struct ak_idl_opts opts = { &loader, 0, max };
	struct ak_idl_source src = { 0 };

	src.text = text;
	src.len = len;
	src.has_id = has_id;
	if (has_id) {
		src.id[0] = id[0];
		src.id[1] = id[1];
	}
	if (path && strcmp(path, "-") != 0 && !(src.name = strdup(path))) {
		free(text);
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	return ak_idl_parse(&src, &opts, err);
}

struct ak_idl *cli_idl_load(const char *path, char **dirs, size_t ndirs, struct ak_error *err)
{
	struct cli_input in;
	struct ak_buf b = AK_BUF_INIT;
	struct stat st;
	uint64_t id[2] = { 0, 0 };
	int rc, has_id = 0;

	if (cli_input_open(&in, path, err) != AK_OK) {
		cli_input_close(&in);
		return NULL;
	}
	rc = read_all(in.fd, AK_IDL_MAX_BYTES, &b, err);
	if (rc == AK_OK && in.owned && fstat(in.fd, &st) == 0) {
		has_id = 1;
		id[0] = (uint64_t)st.st_dev;
		id[1] = (uint64_t)st.st_ino;
	}
	cli_input_close(&in);
	/* the text must not be NULL, even when empty */
	if (rc == AK_OK && !b.data)
		rc = ak_buf_reserve(&b, 1, err);
	if (rc != AK_OK) {
		ak_buf_release(&b);
		return NULL;
	}
	return cli_idl_parse(path, (char *)b.data, b.len, has_id, id, dirs, ndirs, 0, err);
}

void cli_idl_warnings(const char *cmd, const struct ak_idl *idl)
{
	size_t n = ak_idl_warning_count(idl), total = ak_idl_warning_total(idl);

	for (size_t i = 0; i < n; i++) {
		const struct ak_idl_warning *w = ak_idl_warning(idl, i);

		cli_msg(cmd, "%s:%lu:%lu: warning: %s", w->file, w->line, w->column, w->msg);
	}
	if (total > n)
		cli_msg(cmd, "warning: %zu more warnings not shown", total - n);
}

int cli_is_idl(const char *path, const unsigned char *head, size_t n)
{
	size_t len = path ? strlen(path) : 0, i = 0;

	if (len > 5 && strcmp(path + len - 5, ".avdl") == 0)
		return 1;
	/* a JSON schema starts with {, [ or "; IDL with a comment, an annotation, a name */
	if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
		i++;
	if (i >= n)
		return 0;
	return head[i] == '/' || head[i] == '@' || head[i] == '`' || head[i] == '_' ||
	       (head[i] >= 'a' && head[i] <= 'z') || (head[i] >= 'A' && head[i] <= 'Z') ||
	       head[i] >= 0x80;
}
