/* SPDX-License-Identifier: Apache-2.0 */
#include "codec.h"

#include <limits.h>
#include <snappy-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "ak_config.h"

#if AK_HAVE_XZ
#include <lzma.h>
#endif
#if AK_HAVE_ZSTD
#include <zstd.h>
#endif
#if AK_HAVE_BZIP2
#include <bzlib.h>
#endif

#if AK_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif
#if AK_HAVE_LZ4
#include <lz4.h>
#endif

/*
 * deflate's default level. libdeflate's level 1 compresses the benchmark's blocks about four
 * times as fast as zlib's default level (6), at most 9% larger and on most data 2 to 3%
 * (bench/RESULTS.md); it is also twice as fast as libdeflate's level 6. A build with zlib
 * alone keeps zlib's default, as zlib's level 1 loses more.
 */
#if AK_HAVE_LIBDEFLATE
#define AK_DEFLATE_DEFAULT_LEVEL 1
#else
#define AK_DEFLATE_DEFAULT_LEVEL 6
#endif

void ak_codec_versions(char *buf, size_t size)
{
	snprintf(buf, size, "zlib %s"
#if AK_HAVE_LIBDEFLATE
		 " libdeflate " LIBDEFLATE_VERSION_STRING
#endif
		 " snappy"
#if AK_HAVE_XZ
		 " liblzma %s"
#endif
#if AK_HAVE_ZSTD
		 " libzstd %s"
#endif
#if AK_HAVE_BZIP2
		 " libbz2 %.*s"
#endif
#if AK_HAVE_LZ4
		 " liblz4 %s"
#endif
		 , zlibVersion()
#if AK_HAVE_XZ
		 , lzma_version_string()
#endif
#if AK_HAVE_ZSTD
		 , ZSTD_versionString()
#endif
#if AK_HAVE_BZIP2
		 /* "1.0.8, 13-Jul-2019": the version is what comes before the comma */
		 , (int)strcspn(BZ2_bzlibVersion(), ","), BZ2_bzlibVersion()
#endif
#if AK_HAVE_LZ4
		 , LZ4_versionString()
#endif
	);
}

unsigned long ak_crc32(const unsigned char *p, size_t len)
{
	unsigned long crc = crc32(0L, Z_NULL, 0);

	while (len > 0) {
		uInt n = len > UINT_MAX ? UINT_MAX : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}

/* Make room in @out for more decompressed bytes, never past @limit in all. */
static int out_room(struct ak_buf *out, size_t limit, const char *codec, struct ak_error *err)
{
	size_t extra;

	if (out->len >= limit)
		return ak_fail(err, AK_E_LIMIT,
			       "%s block decompresses to more than the %zu-byte limit", codec, limit);
	extra = out->len < 65536 ? 65536 : out->len;
	if (extra > limit - out->len)
		extra = limit - out->len;
	return ak_buf_reserve(out, extra, err);
}

static size_t first_guess(size_t len, size_t limit)
{
	size_t g = len > SIZE_MAX / 4 ? SIZE_MAX : len * 4;

	if (g < 65536)
		g = 65536;
	return g > limit ? limit : g;
}

/* ---- null ---- */

static int null_copy(const unsigned char *in, size_t len, struct ak_buf *out, size_t limit,
		     struct ak_error *err)
{
	if (len > limit)
		return ak_fail(err, AK_E_LIMIT, "block of %zu bytes exceeds the %zu-byte limit", len,
			       limit);
	out->len = 0;
	return ak_buf_append(out, in, len, err);
}

static int null_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			 struct ak_error *err)
{
	(void)level;
	out->len = 0;
	return ak_buf_append(out, in, len, err);
}

/* ---- deflate (raw RFC 1951, no zlib header) ---- */

#if AK_HAVE_LIBDEFLATE
/*
 * libdeflate inflates a whole buffer at once, about twice as fast as zlib's streaming inflate;
 * an Avro block is exactly such a buffer. The output buffer is reused across blocks, so after
 * the first block its size is usually right; when it is not, it doubles (up to @limit) and the
 * block is inflated again.
 */
static int deflate_decompress(const unsigned char *in, size_t len, struct ak_buf *out,
			      size_t limit, struct ak_error *err)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t want = out->cap > first_guess(len, limit) ? out->cap : first_guess(len, limit);
	size_t got = 0, used = 0;
	int rc = AK_OK;

	if (!d)
		return ak_fail(err, AK_E_NOMEM, "cannot start inflate");
	if (want > limit)
		want = limit;
	for (;;) {
		enum libdeflate_result r;

		out->len = 0;
		if ((rc = ak_buf_reserve(out, want ? want : 1, err)) != AK_OK)
			break;
		r = libdeflate_deflate_decompress_ex(d, in, len, out->data, want, &used, &got);
		if (r == LIBDEFLATE_SUCCESS) {
			out->len = got;
			break;
		}
		if (r != LIBDEFLATE_INSUFFICIENT_SPACE) {
			rc = ak_fail(err, AK_E_CODEC, "corrupt deflate data");
			break;
		}
		if (want >= limit) {
			rc = ak_fail(err, AK_E_LIMIT,
				     "deflate block decompresses to more than the %zu-byte limit", limit);
			break;
		}
		want = want > limit / 2 ? limit : want * 2;
	}
	libdeflate_free_decompressor(d);
	return rc;
}
#else
static int deflate_decompress(const unsigned char *in, size_t len, struct ak_buf *out,
			      size_t limit, struct ak_error *err)
{
	z_stream z;
	int rc, zr;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return ak_fail(err, AK_E_NOMEM, "cannot start inflate");
	out->len = 0;
	if ((rc = ak_buf_reserve(out, first_guess(len, limit), err)) != AK_OK)
		goto out;
	z.next_in = (Bytef *)(uintptr_t)in;
	for (;;) {
		size_t in_left = len - (size_t)((const unsigned char *)z.next_in - in);

		z.avail_in = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
		if (out->len == out->cap && (rc = out_room(out, limit, "deflate", err)) != AK_OK)
			goto out;
		size_t room = out->cap - out->len;
		if (room > limit - out->len)
			room = limit - out->len;
		if (room == 0) {
			rc = out_room(out, limit, "deflate", err);
			goto out;
		}
		z.next_out = out->data + out->len;
		z.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
		zr = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)(z.next_out - out->data);
		if (zr == Z_STREAM_END) {
			rc = AK_OK;
			break;
		}
		if (zr == Z_BUF_ERROR && z.avail_in == 0 &&
		    (size_t)((const unsigned char *)z.next_in - in) == len) {
			rc = ak_fail(err, AK_E_CODEC, "deflate data is truncated");
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			rc = ak_fail(err, AK_E_CODEC, "corrupt deflate data: %s",
				     z.msg ? z.msg : "inflate failed");
			goto out;
		}
	}
out:
	inflateEnd(&z);
	return rc;
}

#endif

#if AK_HAVE_LIBDEFLATE
/* Compression with libdeflate: faster than zlib at the same level. Its compressor is a large
 * allocation, so the writer keeps one per thread (ctx_new) rather than one per block. */
static void *libdeflate_ctx_new(int level)
{
	return libdeflate_alloc_compressor(level < 0 ? AK_DEFLATE_DEFAULT_LEVEL : level);
}

static void libdeflate_ctx_free(void *ctx)
{
	libdeflate_free_compressor(ctx);
}

static int libdeflate_compress_ctx(void *ctx, const unsigned char *in, size_t len,
				   struct ak_buf *out, struct ak_error *err)
{
	size_t bound = libdeflate_deflate_compress_bound(ctx, len), n;
	int rc;

	out->len = 0;
	if ((rc = ak_buf_reserve(out, bound ? bound : 1, err)) != AK_OK)
		return rc;
	n = libdeflate_deflate_compress(ctx, in, len, out->data, bound);
	if (n == 0 && len > 0)
		return ak_fail(err, AK_E_CODEC, "deflate compression failed");
	out->len = n;
	return AK_OK;
}
#endif

static int deflate_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			    struct ak_error *err)
{
	z_stream z;
	int rc, zr;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level < 0 ? AK_DEFLATE_DEFAULT_LEVEL : level, Z_DEFLATED, -15, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return ak_fail(err, AK_E_ARG, "cannot start deflate at level %d", level);
	out->len = 0;
	if (len > UINT_MAX / 2) {
		deflateEnd(&z);
		return ak_fail(err, AK_E_LIMIT, "block too large for deflate");
	}
	if ((rc = ak_buf_reserve(out, deflateBound(&z, (uLong)len), err)) != AK_OK) {
		deflateEnd(&z);
		return rc;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out->data;
	z.avail_out = (uInt)(out->cap > UINT_MAX ? UINT_MAX : out->cap);
	zr = deflate(&z, Z_FINISH);
	out->len = (size_t)(z.next_out - out->data);
	deflateEnd(&z);
	if (zr != Z_STREAM_END)
		return ak_fail(err, AK_E_CODEC, "deflate failed");
	return AK_OK;
}

/* ---- snappy (+ 4-byte big-endian CRC-32 of the uncompressed data) ---- */

static int snappy_decompress(const unsigned char *in, size_t len, struct ak_buf *out,
			     size_t limit, struct ak_error *err)
{
	size_t n;
	unsigned long want, got;
	int rc;

	if (len < 4)
		return ak_fail(err, AK_E_CODEC, "snappy block is shorter than its CRC-32");
	if (snappy_uncompressed_length((const char *)in, len - 4, &n) != SNAPPY_OK)
		return ak_fail(err, AK_E_CODEC, "corrupt snappy data (bad length header)");
	if (n > limit)
		return ak_fail(err, AK_E_LIMIT,
			       "snappy block decompresses to %zu bytes, more than the %zu-byte limit",
			       n, limit);
	out->len = 0;
	if ((rc = ak_buf_reserve(out, n ? n : 1, err)) != AK_OK)
		return rc;
	if (snappy_uncompress((const char *)in, len - 4, (char *)out->data, &n) != SNAPPY_OK)
		return ak_fail(err, AK_E_CODEC, "corrupt snappy data");
	out->len = n;
	want = (unsigned long)in[len - 4] << 24 | (unsigned long)in[len - 3] << 16 |
	       (unsigned long)in[len - 2] << 8 | in[len - 1];
	got = ak_crc32(out->data, n);
	if (want != got)
		return ak_fail(err, AK_E_CODEC, "snappy CRC-32 mismatch (stored %08lx, computed %08lx)",
			       want, got);
	return AK_OK;
}

static int snappy_compress_(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			    struct ak_error *err)
{
	size_t n = snappy_max_compressed_length(len);
	unsigned long crc;
	int rc;

	(void)level;
	out->len = 0;
	if ((rc = ak_buf_reserve(out, n + 4, err)) != AK_OK)
		return rc;
	if (snappy_compress((const char *)in, len, (char *)out->data, &n) != SNAPPY_OK)
		return ak_fail(err, AK_E_CODEC, "snappy compression failed");
	crc = ak_crc32(in, len);
	out->data[n] = (unsigned char)(crc >> 24);
	out->data[n + 1] = (unsigned char)(crc >> 16);
	out->data[n + 2] = (unsigned char)(crc >> 8);
	out->data[n + 3] = (unsigned char)crc;
	out->len = n + 4;
	return AK_OK;
}

/* ---- xz and avro-c's lzma ---- */

#if AK_HAVE_XZ
/* The decoder's memory limit; the default xz presets need at most 65 MiB to decode. */
#define XZ_MEMLIMIT (256u << 20)

static int lzma_run(lzma_stream *s, const unsigned char *in, size_t len, struct ak_buf *out,
		    size_t limit, const char *name, struct ak_error *err)
{
	int rc;

	out->len = 0;
	if ((rc = ak_buf_reserve(out, first_guess(len, limit), err)) != AK_OK)
		return rc;
	s->next_in = in;
	s->avail_in = len;
	for (;;) {
		lzma_ret lr;

		if (out->len == out->cap && (rc = out_room(out, limit, name, err)) != AK_OK)
			return rc;
		size_t room = out->cap - out->len;
		if (room > limit - out->len)
			room = limit - out->len;
		if (room == 0)
			return out_room(out, limit, name, err);
		s->next_out = out->data + out->len;
		s->avail_out = room;
		lr = lzma_code(s, LZMA_FINISH);
		out->len = (size_t)(s->next_out - out->data);
		if (lr == LZMA_STREAM_END)
			return AK_OK;
		if (lr == LZMA_OK)
			continue;
		if (lr == LZMA_BUF_ERROR)
			return ak_fail(err, AK_E_CODEC, "%s data is truncated", name);
		if (lr == LZMA_MEMLIMIT_ERROR || lr == LZMA_MEM_ERROR)
			return ak_fail(err, AK_E_LIMIT, "%s data needs too much memory to decode", name);
		return ak_fail(err, AK_E_CODEC, "corrupt %s data (liblzma error %d)", name, (int)lr);
	}
}

static int xz_decompress(const unsigned char *in, size_t len, struct ak_buf *out, size_t limit,
			 struct ak_error *err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	int rc;

	if (lzma_stream_decoder(&s, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK)
		return ak_fail(err, AK_E_NOMEM, "cannot start the xz decoder");
	rc = lzma_run(&s, in, len, out, limit, "xz", err);
	lzma_end(&s);
	return rc;
}

static int lzma2_filters(lzma_options_lzma *opt, lzma_filter f[2], int level)
{
	if (lzma_lzma_preset(opt, level < 0 ? LZMA_PRESET_DEFAULT : (uint32_t)level))
		return -1;
	f[0].id = LZMA_FILTER_LZMA2;
	f[0].options = opt;
	f[1].id = LZMA_VLI_UNKNOWN;
	f[1].options = NULL;
	return 0;
}

static int xz_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
		       struct ak_error *err)
{
	lzma_options_lzma opt;
	lzma_filter f[2];
	size_t pos = 0;
	int rc;

	out->len = 0;
	if ((rc = ak_buf_reserve(out, lzma_stream_buffer_bound(len), err)) != AK_OK)
		return rc;
	if (lzma2_filters(&opt, f, level) != 0)
		return ak_fail(err, AK_E_CODEC, "xz: bad level %d", level);
	/* A dictionary larger than the block is never used, but the encoder allocates about ten
	 * times its size (level 9: 64 MiB, 674 MiB of memory for each block): fit it to the
	 * block. The data written is the same but for the dictionary size in the header. */
	while (opt.dict_size / 2 >= len && opt.dict_size / 2 >= LZMA_DICT_SIZE_MIN)
		opt.dict_size /= 2;
	if (lzma_stream_buffer_encode(f, LZMA_CHECK_CRC64, NULL, in, len, out->data, &pos,
				      out->cap) != LZMA_OK)
		return ak_fail(err, AK_E_CODEC, "xz compression failed");
	out->len = pos;
	return AK_OK;
}

static int lzma_decompress(const unsigned char *in, size_t len, struct ak_buf *out,
			   size_t limit, struct ak_error *err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_filter f[2];
	int rc;

	if (lzma2_filters(&opt, f, -1) != 0 || lzma_raw_decoder(&s, f) != LZMA_OK)
		return ak_fail(err, AK_E_NOMEM, "cannot start the lzma decoder");
	rc = lzma_run(&s, in, len, out, limit, "lzma", err);
	lzma_end(&s);
	return rc;
}

static int lzma_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			 struct ak_error *err)
{
	lzma_options_lzma opt;
	lzma_filter f[2];
	size_t pos = 0;
	int rc;

	if (lzma2_filters(&opt, f, level) != 0)
		return ak_fail(err, AK_E_ARG, "bad lzma level %d", level);
	out->len = 0;
	if ((rc = ak_buf_reserve(out, lzma_stream_buffer_bound(len), err)) != AK_OK)
		return rc;
	if (lzma_raw_buffer_encode(f, NULL, in, len, out->data, &pos, out->cap) != LZMA_OK)
		return ak_fail(err, AK_E_CODEC, "lzma compression failed");
	out->len = pos;
	return AK_OK;
}
#endif

/* ---- zstandard ---- */

#if AK_HAVE_ZSTD
static int zstd_decompress(const unsigned char *in, size_t len, struct ak_buf *out,
			   size_t limit, struct ak_error *err)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t zr = 1;
	int rc = AK_OK;

	if (!d)
		return ak_fail(err, AK_E_NOMEM, "cannot start the zstd decoder");
	/* Refuse frames whose window would need more memory than a block may take. */
	ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, 27);
	out->len = 0;
	if ((rc = ak_buf_reserve(out, first_guess(len, limit), err)) != AK_OK)
		goto out;
	while (ib.pos < ib.size || zr != 0) {
		if (out->len == out->cap && (rc = out_room(out, limit, "zstandard", err)) != AK_OK)
			goto out;
		size_t room = out->cap - out->len;
		if (room > limit - out->len)
			room = limit - out->len;
		if (room == 0) {
			rc = out_room(out, limit, "zstandard", err);
			goto out;
		}
		ZSTD_outBuffer ob = { out->data + out->len, room, 0 };
		zr = ZSTD_decompressStream(d, &ob, &ib);
		out->len += ob.pos;
		if (ZSTD_isError(zr)) {
			rc = ak_fail(err, AK_E_CODEC, "corrupt zstandard data: %s",
				     ZSTD_getErrorName(zr));
			goto out;
		}
		if (zr != 0 && ib.pos == ib.size && ob.pos < ob.size) {
			/* all input used, output not full, frame not done: truncated */
			rc = ak_fail(err, AK_E_CODEC, "zstandard data is truncated");
			goto out;
		}
	}
out:
	ZSTD_freeDCtx(d);
	return rc;
}

static int zstd_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			 struct ak_error *err)
{
	size_t n;
	int rc;

	out->len = 0;
	if ((rc = ak_buf_reserve(out, ZSTD_compressBound(len), err)) != AK_OK)
		return rc;
	n = ZSTD_compress(out->data, out->cap, in, len, level < 0 ? 3 : level);
	if (ZSTD_isError(n))
		return ak_fail(err, AK_E_CODEC, "zstandard compression failed: %s",
			       ZSTD_getErrorName(n));
	out->len = n;
	return AK_OK;
}
#endif

/* ---- bzip2 ---- */

#if AK_HAVE_BZIP2
static int bzip2_decompress(const unsigned char *in, size_t len, struct ak_buf *out,
			    size_t limit, struct ak_error *err)
{
	bz_stream s;
	int rc = AK_OK, br;
	size_t used = 0;

	memset(&s, 0, sizeof(s));
	if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK)
		return ak_fail(err, AK_E_NOMEM, "cannot start the bzip2 decoder");
	out->len = 0;
	if ((rc = ak_buf_reserve(out, first_guess(len, limit), err)) != AK_OK)
		goto out;
	for (;;) {
		size_t in_left = len - used;

		s.next_in = (char *)(uintptr_t)(in + used);
		s.avail_in = in_left > UINT_MAX ? UINT_MAX : (unsigned)in_left;
		if (out->len == out->cap && (rc = out_room(out, limit, "bzip2", err)) != AK_OK)
			goto out;
		size_t room = out->cap - out->len;
		if (room > limit - out->len)
			room = limit - out->len;
		if (room == 0) {
			rc = out_room(out, limit, "bzip2", err);
			goto out;
		}
		s.next_out = (char *)out->data + out->len;
		s.avail_out = room > UINT_MAX ? UINT_MAX : (unsigned)room;
		br = BZ2_bzDecompress(&s);
		used = (size_t)((const unsigned char *)s.next_in - in);
		out->len = (size_t)((unsigned char *)s.next_out - out->data);
		if (br == BZ_STREAM_END)
			break;
		if (br != BZ_OK) {
			rc = ak_fail(err, AK_E_CODEC, "corrupt bzip2 data (libbz2 error %d)", br);
			goto out;
		}
		if (used == len && s.avail_out > 0) {
			rc = ak_fail(err, AK_E_CODEC, "bzip2 data is truncated");
			goto out;
		}
	}
out:
	BZ2_bzDecompressEnd(&s);
	return rc;
}

static int bzip2_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			  struct ak_error *err)
{
	unsigned n;
	int rc, br;

	if (len > UINT_MAX / 2)
		return ak_fail(err, AK_E_LIMIT, "block too large for bzip2");
	n = (unsigned)(len + len / 100 + 600);
	out->len = 0;
	if ((rc = ak_buf_reserve(out, n, err)) != AK_OK)
		return rc;
	br = BZ2_bzBuffToBuffCompress((char *)out->data, &n, (char *)(uintptr_t)in,
				      (unsigned)len, level < 0 ? 9 : level, 0, 0);
	if (br != BZ_OK)
		return ak_fail(err, AK_E_CODEC, "bzip2 compression failed (libbz2 error %d)", br);
	out->len = n;
	return AK_OK;
}
#endif

/* ---- lz4 (fastavro's, read only) ---- */

#if AK_HAVE_LZ4
/*
 * fastavro's "lz4" codec, not one of Avro's: each block is what python-lz4's
 * lz4.block.compress() makes by default, the decompressed size as 4 bytes little-endian, then
 * one LZ4 block (the raw block format, not the .lz4 frame). The size is checked against
 * @limit before any memory is taken, and the data must decompress to exactly that many bytes.
 */
static int lz4_decompress(const unsigned char *in, size_t len, struct ak_buf *out, size_t limit,
			  struct ak_error *err)
{
	uint32_t size;
	int n, rc;

	if (len < 4)
		return ak_fail(err, AK_E_CODEC, "lz4 block of %zu bytes has no size before its data",
			       len);
	size = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
	       (uint32_t)in[3] << 24;
	if (size > limit)
		return ak_fail(err, AK_E_LIMIT,
			       "lz4 block claims %lu bytes decompressed, more than the %zu-byte limit",
			       (unsigned long)size, limit);
	if (size > (uint32_t)LZ4_MAX_INPUT_SIZE || len - 4 > (size_t)LZ4_MAX_INPUT_SIZE)
		return ak_fail(err, AK_E_CODEC, "corrupt lz4 data: a block larger than LZ4 allows");
	out->len = 0;
	/* one byte more than claimed, so that data decompressing to more is caught */
	if ((rc = ak_buf_reserve(out, (size_t)size + 1, err)) != AK_OK)
		return rc;
	n = LZ4_decompress_safe((const char *)in + 4, (char *)out->data, (int)(len - 4),
				(int)size + 1);
	if (n < 0)
		return ak_fail(err, AK_E_CODEC, "corrupt lz4 data");
	if ((uint32_t)n != size)
		return ak_fail(err, AK_E_CODEC,
			       "corrupt lz4 data: %d bytes decompressed where the block says %lu", n,
			       (unsigned long)size);
	out->len = (size_t)n;
	return AK_OK;
}

/* The same format written, for the tests' round trips: avrokit does not write lz4 files. */
static int lz4_compress(const unsigned char *in, size_t len, struct ak_buf *out, int level,
			struct ak_error *err)
{
	int n, rc;

	(void)level;
	if (len > (size_t)LZ4_MAX_INPUT_SIZE)
		return ak_fail(err, AK_E_LIMIT, "block too large for lz4");
	out->len = 0;
	if ((rc = ak_buf_reserve(out, 4 + (size_t)LZ4_compressBound((int)len), err)) != AK_OK)
		return rc;
	out->data[0] = (unsigned char)len;
	out->data[1] = (unsigned char)(len >> 8);
	out->data[2] = (unsigned char)(len >> 16);
	out->data[3] = (unsigned char)(len >> 24);
	n = LZ4_compress_default((const char *)in, (char *)out->data + 4, (int)len,
				 LZ4_compressBound((int)len));
	if (n <= 0)
		return ak_fail(err, AK_E_CODEC, "lz4 compression failed");
	out->len = 4 + (size_t)n;
	return AK_OK;
}
#endif

#define NONE_D NULL
#define NONE_C NULL

static const struct ak_codec codecs[] = {
	{ "null", 1, 1, null_copy, null_compress, 0, 0, NULL, NULL, NULL },
#if AK_HAVE_LIBDEFLATE
	{ "deflate", 1, 1, deflate_decompress, deflate_compress, 0, 9, libdeflate_ctx_new,
	  libdeflate_compress_ctx, libdeflate_ctx_free },
#else
	{ "deflate", 1, 1, deflate_decompress, deflate_compress, 0, 9, NULL, NULL, NULL },
#endif
	{ "snappy", 1, 1, snappy_decompress, snappy_compress_, 0, 0, NULL, NULL, NULL },
#if AK_HAVE_BZIP2
	{ "bzip2", 1, 1, bzip2_decompress, bzip2_compress, 1, 9, NULL, NULL, NULL },
#else
	{ "bzip2", 0, 1, NONE_D, NONE_C, 1, 9, NULL, NULL, NULL },
#endif
#if AK_HAVE_XZ
	{ "xz", 1, 1, xz_decompress, xz_compress, 0, 9, NULL, NULL, NULL },
#else
	{ "xz", 0, 1, NONE_D, NONE_C, 0, 9, NULL, NULL, NULL },
#endif
#if AK_HAVE_ZSTD
	{ "zstandard", 1, 1, zstd_decompress, zstd_compress, 1, 22, NULL, NULL, NULL },
#else
	{ "zstandard", 0, 1, NONE_D, NONE_C, 1, 22, NULL, NULL, NULL },
#endif
#if AK_HAVE_XZ
	{ "lzma", 1, 0, lzma_decompress, lzma_compress, 0, 9, NULL, NULL, NULL },
#else
	{ "lzma", 0, 0, NONE_D, NONE_C, 0, 9, NULL, NULL, NULL },
#endif
#if AK_HAVE_LZ4
	{ "lz4", 1, 0, lz4_decompress, lz4_compress, 0, 0, NULL, NULL, NULL },
#else
	{ "lz4", 0, 0, NONE_D, NONE_C, 0, 0, NULL, NULL, NULL },
#endif
	{ NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL, NULL },
};

const struct ak_codec *ak_codec_find(const char *name, size_t len)
{
	for (const struct ak_codec *c = codecs; c->name; c++)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

const struct ak_codec *ak_codec_list(void)
{
	return codecs;
}
