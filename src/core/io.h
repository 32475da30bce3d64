/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Byte sources and sinks. The core never opens files: the caller supplies callbacks (the CLI
 * uses file descriptors, tests and fuzzers use memory). Nothing here seeks unless the source
 * offers skip(), so pipes work everywhere.
 */
#ifndef AK_IO_H
#define AK_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"

struct ak_source {
	/* Read up to @n bytes into @buf. Returns the count, 0 at end of input, or -1 with errno
	 * set. Short reads are fine. */
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	/* Optional: move forward @n bytes without reading them. Returns 0, or -1 with errno set
	 * (ESPIPE means "cannot seek": the caller falls back to reading). May be NULL. */
	int (*skip)(void *ctx, uint64_t n);
	void *ctx;
};

/*
 * Read up to @n bytes (@n > 0) from @src: the count, 0 at the end of the input, or a negative
 * status with @err set. Retries after EINTR. The callback is checked, since it may be the
 * caller's: a count above @n is AK_E_IO (the library's buffer would be read past its end),
 * and -1 with errno left at 0 an I/O error all the same.
 */
ssize_t ak_source_read(const struct ak_source *src, void *buf, size_t n, struct ak_error *err);

struct ak_sink {
	/* Write all @n bytes. Returns 0, or -1 with errno set. */
	int (*write)(void *ctx, const void *buf, size_t n);
	void *ctx;
};

/* A source over a memory region (borrowed). */
struct ak_mem_source {
	const unsigned char *data;
	size_t len;
	size_t pos;
};
void ak_mem_source_init(struct ak_source *src, struct ak_mem_source *m, const void *data,
			size_t len);

/* A source over the file descriptor *@fd (borrowed): it may skip by seeking when the file is
 * a regular one. AK_E_IO for a directory or when fstat() fails. */
int ak_fd_source_init(struct ak_source *src, int *fd, struct ak_error *err);
/* A sink writing all of every buffer to *@fd (borrowed), retrying after EINTR. */
void ak_fd_sink_init(struct ak_sink *sink, int *fd);

/* A source that gives back the @len bytes at @pre (already read; borrowed) first, then reads
 * on from @next (borrowed). */
struct ak_prefixed {
	const unsigned char *pre;
	size_t len, pos;
	struct ak_source *next;
};
void ak_prefixed_source_init(struct ak_source *src, struct ak_prefixed *p,
			     const void *pre, size_t len, struct ak_source *next);

/* A sink that appends to @b (borrowed). */
void ak_buf_sink_init(struct ak_sink *sink, struct ak_buf *b);

/*
 * Buffered input over a source, with the absolute byte offset of what was consumed.
 */
struct ak_in {
	struct ak_source *src;  /* borrowed */
	unsigned char *buf;
	size_t pos, end, cap;
	uint64_t base;          /* input offset of buf[0] */
	int eof;
};

#define AK_IN_BUFSIZE (128 * 1024)

int ak_in_init(struct ak_in *in, struct ak_source *src, struct ak_error *err);
void ak_in_release(struct ak_in *in);

/* Offset of the next byte to be consumed. */
static inline uint64_t ak_in_offset(const struct ak_in *in)
{
	return in->base + in->pos;
}

/* Fill so that at least one byte is buffered. AK_OK, AK_EOF, or AK_E_IO. */
int ak_in_fill(struct ak_in *in, struct ak_error *err);

/* Read exactly @n bytes. AK_EOF if the input ended before the first byte, AK_E_FORMAT
 * ("unexpected end of input") if it ended part way. */
int ak_in_read(struct ak_in *in, void *dst, size_t n, struct ak_error *err);

/* Skip exactly @n bytes, seeking when the source can. Same returns as ak_in_read(). */
int ak_in_skip(struct ak_in *in, uint64_t n, struct ak_error *err);

/* Read a zig-zag varint long. AK_EOF only when the input ends before its first byte. */
int ak_in_long(struct ak_in *in, int64_t *out, struct ak_error *err);

/*
 * Buffered output. Callers append freely and call ak_out_commit() at a boundary (after a
 * whole record): the buffer is flushed to the sink only there, so on an error part-way
 * through a value, ak_out_rollback() drops exactly the unfinished part.
 */
struct ak_out {
	struct ak_sink *sink;  /* borrowed */
	struct ak_buf b;
	size_t mark;           /* end of the last committed value */
	size_t threshold;      /* flush when this many bytes are committed */
};

#define AK_OUT_BUFSIZE (256 * 1024)

int ak_out_init(struct ak_out *o, struct ak_sink *sink, struct ak_error *err);
void ak_out_release(struct ak_out *o);
/* Write everything committed so far to the sink. */
int ak_out_flush(struct ak_out *o, struct ak_error *err);

static inline int ak_out_commit(struct ak_out *o, struct ak_error *err)
{
	o->mark = o->b.len;
	if (o->b.len >= o->threshold)
		return ak_out_flush(o, err);
	return AK_OK;
}

static inline void ak_out_rollback(struct ak_out *o)
{
	o->b.len = o->mark;
}

/* Write @n bytes straight through (after flushing what is committed). */
int ak_out_write(struct ak_out *o, const void *p, size_t n, struct ak_error *err);

#endif /* AK_IO_H */
