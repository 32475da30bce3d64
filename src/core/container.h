/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Object container files: the magic "Obj\x01", a metadata map (avro.schema, avro.codec, user
 * keys), a 16-byte sync marker, then blocks of (record count, byte size, data, sync marker).
 * The reader pulls bytes through a struct ak_source and never seeks to do its work (it seeks
 * only to skip block data when asked to and the source can), so pipes work.
 */
#ifndef AK_CONTAINER_H
#define AK_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "error.h"
#include "io.h"
#include "schema.h"

#define AK_MAGIC "Obj\x01"
#define AK_SYNC_SIZE 16

/* Limits on what input may make the reader allocate. */
struct ak_limits {
	size_t max_header;   /* bytes of metadata (keys and values together) */
	size_t max_block;    /* bytes of one block as stored */
	size_t max_inflated; /* bytes of one block after its codec */
};

#define AK_DEFAULT_MAX_HEADER ((size_t)64 << 20)
#define AK_DEFAULT_MAX_BLOCK ((size_t)512 << 20)
#define AK_DEFAULT_MAX_INFLATED ((size_t)512 << 20)

/* Fill @lim with the defaults above. */
void ak_limits_default(struct ak_limits *lim);

struct ak_meta_entry {
	const char *key;            /* NUL-terminated (keys with a NUL byte are refused) */
	const unsigned char *value; /* not terminated; may hold any bytes */
	size_t value_len;
};

/* struct ak_block and enum ak_block_flags: avrokit.h */

struct ak_reader;

/*
 * Read the header from @src. Returns a reader, or NULL with @err set: AK_E_FORMAT (not an Avro
 * data file, truncated header, bad metadata), AK_E_SCHEMA (the schema in the file is invalid),
 * AK_E_CODEC / AK_E_UNSUPPORTED (unknown codec, or one not built in), AK_E_LIMIT, AK_E_IO.
 * @src is borrowed and must outlive the reader; @lim may be NULL for the defaults.
 */
struct ak_reader *ak_reader_open(struct ak_source *src, const struct ak_limits *lim,
				 struct ak_error *err);

/* Does nothing when @r is NULL. */
void ak_reader_free(struct ak_reader *r);

/* The writer schema, parsed. Borrowed: valid until ak_reader_free(). */
const struct ak_schema *ak_reader_schema(const struct ak_reader *r);
/* The codec named by avro.codec ("null" when the key is absent). */
const struct ak_codec *ak_reader_codec_ops(const struct ak_reader *r);
const unsigned char *ak_reader_sync(const struct ak_reader *r);

/* Metadata entries in file order. */
size_t ak_reader_meta_count(const struct ak_reader *r);
const struct ak_meta_entry *ak_reader_meta(const struct ak_reader *r, size_t i);
/* The entry with @key, or NULL. */
const struct ak_meta_entry *ak_reader_meta_find(const struct ak_reader *r, const char *key);

/* Offset of the first block (the size of the header). */
uint64_t ak_reader_header_size(const struct ak_reader *r);

/*
 * Read the next block into @blk. Returns AK_OK, AK_EOF after the last block, or a negative
 * status with @err saying "block N (offset X): what". The sync marker is checked after every
 * block. Data is borrowed until the next call.
 */
int ak_reader_next_block(struct ak_reader *r, struct ak_block *blk, unsigned flags,
			 struct ak_error *err);

/* ---- writing ---- */

struct ak_writer_config {
	const struct ak_codec *codec;  /* NULL: null */
	int level;                     /* codec level, -1 for the codec's default */
	size_t block_size;             /* flush a block when its records reach this many bytes */
	unsigned char sync[AK_SYNC_SIZE]; /* the caller picks it (random, or fixed for
					   * reproducible files) */
	const struct ak_meta_entry *meta; /* extra metadata; keys must not start with "avro." */
	size_t nmeta;
	unsigned threads;              /* compress blocks on this many threads (0 or 1: on the
					* caller's); blocks are still written in order */
	int no_header;                 /* appending: write no header (the file has one) */
};

/* AK_DEFAULT_BLOCK_SIZE: avrokit.h */

struct ak_writer;

/*
 * Start a container file on @sink: writes the header at once, with @schema_json as avro.schema
 * (stored as given) and the codec's name as avro.codec. @sink is borrowed and must outlive the
 * writer.
 */
struct ak_writer *ak_writer_new(struct ak_sink *sink, const char *schema_json, size_t schema_len,
				const struct ak_writer_config *opts, struct ak_error *err);

/* The buffer that holds the current block's encoded records: append one record's bytes, then
 * call ak_writer_end_record(). Borrowed. */
struct ak_buf *ak_writer_buf(struct ak_writer *w);

/* One more record is complete in the buffer; writes the block out when it is full. */
int ak_writer_end_record(struct ak_writer *w, struct ak_error *err);

/* Commit @n records at once, their bytes in @data: record i ends at ends[i] (ascending; the
 * first starts at 0). Blocks end where one ak_writer_end_record() per record would end them. */
int ak_writer_append_records(struct ak_writer *w, const unsigned char *data, const size_t *ends,
			     size_t n, struct ak_error *err);

/* Drop whatever was appended since the last commit. */
void ak_writer_rollback(struct ak_writer *w);

/* Append a whole block of @count already-encoded records (uncompressed). */
int ak_writer_append_block(struct ak_writer *w, const void *data, size_t len,
			   int64_t count, struct ak_error *err);

/* Append a block already compressed with the writer's codec (copied as it is). */
int ak_writer_append_compressed(struct ak_writer *w, const void *data, size_t len,
				int64_t count, struct ak_error *err);

/* End the current block (if it holds records) and write out every block. */
int ak_writer_end_block(struct ak_writer *w, struct ak_error *err);

/* Write out the last block. The writer can then only be freed. */
int ak_writer_close(struct ak_writer *w, struct ak_error *err);

/* Records committed so far. */
uint64_t ak_writer_count(const struct ak_writer *w);

/* Does nothing when @w is NULL. */
void ak_writer_free(struct ak_writer *w);

#endif /* AK_CONTAINER_H */
