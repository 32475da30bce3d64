/* SPDX-License-Identifier: Apache-2.0 */
#include "io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct ak_mem_source *m = ctx;
	size_t left = m->len - m->pos;

	if (n > left)
		n = left;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static int mem_skip(void *ctx, uint64_t n)
{
	struct ak_mem_source *m = ctx;

	if (n > m->len - m->pos)
		m->pos = m->len;
	else
		m->pos += (size_t)n;
	return 0;
}

void ak_mem_source_init(struct ak_source *src, struct ak_mem_source *m, const void *data,
			size_t len)
{
	m->data = data;
	m->len = len;
	m->pos = 0;
	src->read = mem_read;
	src->skip = mem_skip;
	src->ctx = m;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	return read(*(const int *)ctx, buf, n);
}

static int fd_skip(void *ctx, uint64_t n)
{
	if (n > (uint64_t)INT64_MAX || lseek(*(const int *)ctx, (off_t)n, SEEK_CUR) < 0) {
		if (errno == EINVAL)
			errno = ESPIPE;
		return -1;
	}
	return 0;
}

int ak_fd_source_init(struct ak_source *src, int *fd, struct ak_error *err)
{
	struct stat st;

	if (fstat(*fd, &st) != 0)
		return ak_fail_errno(err, errno, "cannot stat");
	if (S_ISDIR(st.st_mode))
		return ak_fail(err, AK_E_IO, "is a directory");
	src->read = fd_read;
	src->skip = S_ISREG(st.st_mode) ? fd_skip : NULL;
	src->ctx = fd;
	return AK_OK;
}

static int fd_write(void *ctx, const void *buf, size_t n)
{
	const char *p = buf;
	int fd = *(const int *)ctx;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void ak_fd_sink_init(struct ak_sink *sink, int *fd)
{
	sink->write = fd_write;
	sink->ctx = fd;
}

ssize_t ak_source_read(const struct ak_source *src, void *buf, size_t n, struct ak_error *err)
{
	for (;;) {
		ssize_t got;

		errno = 0;
		if ((got = src->read(src->ctx, buf, n)) >= 0) {
			if ((size_t)got <= n)
				return got;
			return ak_fail(err, AK_E_IO, "the read callback returned %zd for at most %zu "
				       "bytes", got, n);
		}
		if (errno != EINTR)
			return ak_fail_errno(err, errno ? errno : EIO, "read error");
	}
}

static ssize_t prefixed_read(void *ctx, void *buf, size_t n)
{
	struct ak_prefixed *p = ctx;

	if (p->pos < p->len) {
		size_t k = p->len - p->pos < n ? p->len - p->pos : n;

		memcpy(buf, p->pre + p->pos, k);
		p->pos += k;
		return (ssize_t)k;
	}
	return p->next->read(p->next->ctx, buf, n);
}

void ak_prefixed_source_init(struct ak_source *src, struct ak_prefixed *p,
			     const void *pre, size_t len, struct ak_source *next)
{
	p->pre = pre;
	p->len = len;
	p->pos = 0;
	p->next = next;
	src->read = prefixed_read;
	src->skip = NULL;
	src->ctx = p;
}

static int buf_write(void *ctx, const void *p, size_t n)
{
	if (ak_buf_append(ctx, p, n, NULL) != AK_OK) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void ak_buf_sink_init(struct ak_sink *sink, struct ak_buf *b)
{
	sink->write = buf_write;
	sink->ctx = b;
}

int ak_in_init(struct ak_in *in, struct ak_source *src, struct ak_error *err)
{
	memset(in, 0, sizeof(*in));
	in->src = src;
	in->buf = malloc(AK_IN_BUFSIZE);
	if (!in->buf)
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	in->cap = AK_IN_BUFSIZE;
	return AK_OK;
}

void ak_in_release(struct ak_in *in)
{
	free(in->buf);
	in->buf = NULL;
	in->cap = in->pos = in->end = 0;
}

int ak_in_fill(struct ak_in *in, struct ak_error *err)
{
	ssize_t n;

	if (in->pos < in->end)
		return AK_OK;
	if (in->eof)
		return AK_EOF;
	in->base += in->end;
	in->pos = in->end = 0;
	if ((n = ak_source_read(in->src, in->buf, in->cap, err)) < 0)
		return (int)n;
	if (n == 0) {
		in->eof = 1;
		return AK_EOF;
	}
	in->end = (size_t)n;
	return AK_OK;
}

static int short_input(struct ak_in *in, struct ak_error *err)
{
	ak_fail(err, AK_E_FORMAT, "unexpected end of input at offset %llu",
		(unsigned long long)ak_in_offset(in));
	if (err)
		err->flags |= AK_ERROR_TRUNCATED;
	return AK_E_FORMAT;
}

int ak_in_read(struct ak_in *in, void *dst, size_t n, struct ak_error *err)
{
	unsigned char *d = dst;
	size_t done = 0;
	int rc;

	while (done < n) {
		size_t avail;

		if ((rc = ak_in_fill(in, err)) != AK_OK) {
			if (rc == AK_EOF)
				return done ? short_input(in, err) : AK_EOF;
			return rc;
		}
		avail = in->end - in->pos;
		if (avail > n - done)
			avail = n - done;
		memcpy(d + done, in->buf + in->pos, avail);
		in->pos += avail;
		done += avail;
	}
	return AK_OK;
}

int ak_in_skip(struct ak_in *in, uint64_t n, struct ak_error *err)
{
	uint64_t done = 0;
	int rc;

	/* Use what is buffered first. */
	if (in->end - in->pos >= n) {
		in->pos += (size_t)n;
		return AK_OK;
	}
	done = in->end - in->pos;
	in->pos = in->end;
	if (in->src->skip && !in->eof && n - done > in->cap) {
		/* Seek over the rest; a seek past the end is found by the next read. */
		if (in->src->skip(in->src->ctx, n - done) == 0) {
			in->base += in->end + (n - done);
			in->pos = in->end = 0;
			return AK_OK;
		}
		if (errno != ESPIPE)
			return ak_fail_errno(err, errno, "seek error");
		in->src->skip = NULL; /* not seekable: read through from now on */
	}
	while (done < n) {
		size_t avail;

		if ((rc = ak_in_fill(in, err)) != AK_OK) {
			if (rc == AK_EOF)
				return done ? short_input(in, err) : AK_EOF;
			return rc;
		}
		avail = in->end - in->pos;
		if (avail > n - done)
			avail = (size_t)(n - done);
		in->pos += avail;
		done += avail;
	}
	return AK_OK;
}

int ak_in_long(struct ak_in *in, int64_t *out, struct ak_error *err)
{
	uint64_t v = 0;
	int rc;

	for (unsigned shift = 0, i = 0;; shift += 7, i++) {
		unsigned char c;

		if ((rc = ak_in_fill(in, err)) != AK_OK) {
			if (rc == AK_EOF)
				return i ? short_input(in, err) : AK_EOF;
			return rc;
		}
		c = in->buf[in->pos++];
		if (i == 9 && (c & 0xfe))
			return ak_fail(err, AK_E_FORMAT, "varint longer than 64 bits at offset %llu",
				       (unsigned long long)(ak_in_offset(in) - 10));
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
	}
	*out = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
	return AK_OK;
}

int ak_out_init(struct ak_out *o, struct ak_sink *sink, struct ak_error *err)
{
	o->sink = sink;
	ak_buf_init(&o->b);
	o->mark = 0;
	o->threshold = AK_OUT_BUFSIZE;
	return ak_buf_reserve(&o->b, AK_OUT_BUFSIZE + 4096, err);
}

void ak_out_release(struct ak_out *o)
{
	ak_buf_release(&o->b);
	o->mark = 0;
}

int ak_out_flush(struct ak_out *o, struct ak_error *err)
{
	size_t n = o->mark;

	if (!n)
		return AK_OK;
	if (o->sink->write(o->sink->ctx, o->b.data, n) != 0)
		return ak_fail_write(err, errno);
	memmove(o->b.data, o->b.data + n, o->b.len - n);
	o->b.len -= n;
	o->mark = 0;
	return AK_OK;
}

int ak_out_write(struct ak_out *o, const void *p, size_t n, struct ak_error *err)
{
	int rc;

	o->mark = o->b.len;
	if ((rc = ak_out_flush(o, err)) != AK_OK)
		return rc;
	if (n && o->sink->write(o->sink->ctx, p, n) != 0)
		return ak_fail_write(err, errno);
	return AK_OK;
}
