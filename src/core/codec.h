/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block codecs. A table of the codecs Avro names (null, deflate, snappy, bzip2, xz, zstandard)
 * plus two that other implementations write and avrokit only reads: "lzma", which avro-c
 * writes, a raw LZMA2 stream (no .xz container), as liblzma's lzma_raw_buffer_encode() makes
 * it with the default preset; and "lz4", fastavro's (codec.c says its format). Codecs whose
 * library was not built in are still in the table, so the error can name them.
 *
 * Decompression never grows its output past @limit: a block that would inflate beyond it is
 * refused (AK_E_LIMIT) before the memory is taken.
 */
#ifndef AK_CODEC_H
#define AK_CODEC_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

struct ak_codec {
	const char *name;
	int available;  /* built into this binary */
	int can_write;  /* standard Avro codecs; "lzma" and "lz4" are read-only */
	/* Replace the contents of @out with @in decompressed. */
	int (*decompress)(const unsigned char *in, size_t len, struct ak_buf *out, size_t limit,
			  struct ak_error *err);
	/* Replace the contents of @out with @in compressed at @level (-1: the codec's default). */
	int (*compress)(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			struct ak_error *err);
	int min_level, max_level;
	/* Optional, for codecs whose compressor is costly to set up: make one for @level (NULL
	 * on failure), compress with it, free it. A context is used by one thread at a time. */
	void *(*ctx_new)(int level);
	int (*compress_ctx)(void *ctx, const unsigned char *in, size_t len, struct ak_buf *out,
			    struct ak_error *err);
	void (*ctx_free)(void *ctx);
};

/* The codec named @name (exact), or NULL if Avro has no such codec. */
const struct ak_codec *ak_codec_find(const char *name, size_t len);

/* All codecs, in a fixed order, ending with a NULL name. */
const struct ak_codec *ak_codec_list(void);

/*
 * The libraries behind the codecs, with their versions where the library tells them, as
 * "zlib 1.2.13 libdeflate 1.14 snappy ..." in @buf (always NUL-terminated, cut to @size).
 */
void ak_codec_versions(char *buf, size_t size);

/* CRC-32 (as zlib computes it) of @len bytes. */
unsigned long ak_crc32(const unsigned char *p, size_t len);

#endif /* AK_CODEC_H */
