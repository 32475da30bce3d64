/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The insides of struct ak_reader and struct ak_writer, shared by the three files that make
 * them: container.c (the format: header, blocks, sync markers, compression), reader.c and
 * writer.c (the public API on top: opening paths and descriptors, records through visitors,
 * values and JSON, the threads). Nothing else includes this.
 */
#ifndef AK_CONTAINER_IMPL_H
#define AK_CONTAINER_IMPL_H

#include "container.h"
#include "pipeline.h"

struct ak_reader_ext;
struct ak_writer_ext;

struct ak_reader {
	struct ak_in in;
	struct ak_limits lim;
	struct ak_schema *schema;
	const struct ak_codec *codec;
	unsigned char sync[AK_SYNC_SIZE];
	/* metadata: all keys and values in one buffer; entries point into it */
	struct ak_buf meta_bytes;
	struct ak_meta_entry *meta;
	size_t nmeta;
	uint64_t header_size;
	uint64_t next_index;
	struct ak_buf raw;      /* block as stored */
	struct ak_buf inflated; /* block after its codec */
	int done;
	struct ak_reader_ext *ext; /* the public API's part (reader.c), or NULL */
	/* a byte range (range.c): no block whose sync marker starts at range_end or later */
	int range_set;
	uint64_t range_end;
};
/* A block handed to the pipeline to be compressed. */
struct wjob {
	struct ak_buf raw, packed;
	int64_t count;
	int rc;
	struct ak_error err;
};

struct ak_writer {
	struct ak_sink *sink;
	const struct ak_codec *codec;
	int level;
	size_t block_size;
	unsigned char sync[AK_SYNC_SIZE];
	struct ak_buf block;      /* records of the block being built */
	size_t mark;              /* end of the last committed record */
	int64_t count;            /* records in block */
	uint64_t total;
	/* compression (codecs other than null): on the pipeline, threads or not */
	struct ak_pipeline *pipe;
	struct wjob *jobs;
	unsigned njobs;
	struct ak_buf packed;     /* a block compressed on this thread (ak_writer_append_block) */
	void *cctx;               /* the codec's compressor for that, made when first needed */
	struct ak_buf head;       /* block header and scratch */
	struct ak_writer_ext *ext; /* the public API's part (writer.c), or NULL */
	/* a block could not be compressed or written out: what went wrong, which every later
	 * call of the public API gives again (ak_writer_stopped()) */
	int failed;
	struct ak_error ferr;
};

/* AK_OK, or the error that stopped @w (copied into @err, its message prefixed). */
int ak_writer_stopped(const struct ak_writer *w, struct ak_error *err);


/* ak_reader_open() with the flags for the header's schema, and the public API's part, which
 * the reader owns from here on (also on failure). */
struct ak_reader *ak_reader_open_ext(struct ak_source *src, const struct ak_limits *lim,
				     unsigned schema_flags, struct ak_reader_ext *ext,
				     struct ak_error *err);

/* The next block (container.h's ak_reader_next_block, without the record cursor of the
 * public API, which reader.c's ak_reader_next_block() drops first). */
int ak_container_next_block(struct ak_reader *r, struct ak_block *blk, unsigned flags,
			    struct ak_error *err);

/* A writer whose public encoder holds a record half put: AK_E_STATE (anything that writes
 * around the encoder must not); also AK_E_STATE when the writer is finished. */
int ak_writer_ext_check(struct ak_writer *w, struct ak_error *err);

/* Free the public API's parts (reader.c, writer.c). NULL does nothing. */
void ak_reader_ext_release(struct ak_reader_ext *x);
void ak_writer_ext_free(struct ak_writer *w);
#endif /* AK_CONTAINER_IMPL_H */
