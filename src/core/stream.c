/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streams of datums (avrokit.h's ak_stream_reader and ak_stream_writer): messages one after
 * the other, each one datum, bare or framed (the specification's single-object encoding,
 * Confluent's wire format), each after its length or not. The reader parses a message's
 * framing once, finds its writer schema by fingerprint or id in a small hash table, compiles
 * that schema's plan the first time it is seen and decodes the datum in place in its input
 * buffer. Without a length prefix nothing says where a datum ends but the datum itself: the
 * decoder runs over the bytes buffered, and when it runs off their end (AK_ERROR_TRUNCATED)
 * the buffer is refilled, grown if need be up to the message limit, and the datum decoded
 * again. That happens once per buffer refill, so it costs nothing measurable.
 *
 * ak_stream_to_json() on memory or a regular file decodes on threads after the first MiB:
 * the caller's thread finds the messages (skipping the datums: a small program for flat
 * schemas, else the plan walker), copies batches of them into jobs, and the ordered pipeline
 * (pipeline.h) turns each job into JSON lines on a worker; while the workers are busy, the
 * caller's thread decodes the next batch itself. Input from a pipe or a callback stays on the
 * caller's thread and writes what it decoded before every read that may wait, so that
 * messages arriving one at a time (a consumer piping a topic) come out as they arrive.
 *
 * Order of the file: options; the reader's schemas (hash table, skip programs); its input
 * (the buffer and fill()); messages (frames, the consumers, next_message()); the fast path;
 * the public reading calls; to JSON and its threads; the writer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode.h"
#include "encode.h"
#include "encoder.h"
#include "fingerprint.h"
#include "io.h"
#include "json_in.h"
#include "pipeline.h"
#include "plan.h"
#include "schema.h"
#include "stream.h"
#include "value.h"
#include "varint.h"

#define DEFAULT_MAX_MESSAGE ((uint64_t)512 << 20)
#define BUF_START ((size_t)256 << 10)
#define OUT_CHUNK ((size_t)64 << 10)
/* threads start after this much input has been decoded on the caller's thread */
#define THREADS_AFTER_BYTES ((uint64_t)1 << 20)
/* input bytes per job: as much as a data file's block holds by default (the container
 * path's unit of work; 128 KiB made the threads' wall time 5% longer on 2 cores) */
#define JOB_BYTES ((size_t)64 << 10)
/* longest length prefix */
#define PREFIX_MAX AK_VARINT_MAX
#define NO_ENTRY SIZE_MAX

static const unsigned char SINGLE_OBJECT_MAGIC[2] = { 0xC3, 0x01 };

AK_API void ak_stream_opts_init(struct ak_stream_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_depth = AK_DATA_MAX_DEPTH;
	o->threads = 1;
	o->max_message = DEFAULT_MAX_MESSAGE;
	o->schema_id = -1;
}

static size_t header_size(unsigned framing)
{
	return framing == AK_FRAMING_SINGLE_OBJECT ? 10 : framing == AK_FRAMING_CONFLUENT ? 5 : 0;
}

static int check_opts(const struct ak_stream_opts *o, struct ak_error *err)
{
	if (o->framing > AK_FRAMING_CONFLUENT)
		return ak_fail(err, AK_E_ARG, "unknown framing %u", o->framing);
	if (o->length_prefix > AK_LENGTH_UVARINT)
		return ak_fail(err, AK_E_ARG, "unknown length prefix %u", o->length_prefix);
	return AK_OK;
}

/* ==== reading ==== */

/* A writer schema the reader knows, under its key (fingerprint or id). */
struct entry {
	uint64_t key;
	const struct ak_schema *schema; /* NULL: the lookup callback knew none */
	struct ak_plan *plan;           /* compiled when first needed */
	int fallback;                   /* confluent: an id read with the schema for every id */
	struct fop *flat;               /* a flat schema's skip program (see below), or NULL */
	size_t nflat;
};

/* @count messages back to back in a job's bytes, from start to end (offsets into the job's
 * data), each with @pre bytes before its datum (length prefix and header). */
struct smsg {
	size_t start, end;
	const struct ak_plan *plan;
	size_t count, pre;
};

/* A batch of messages on its way through the pipeline. */
struct sjob {
	struct ak_buf data;    /* the messages' bytes, copied from the input */
	struct smsg *m;
	size_t n, cap;
	uint64_t index;        /* of m[0] */
	uint64_t offset;       /* input offset of data[0] */
	uint64_t bytes;        /* input bytes the messages took */
	struct ak_message last;
	struct ak_buf out;     /* the JSON lines */
	size_t done;           /* messages in out */
	int rc;
	struct ak_error err;
	int self;              /* decoded by the caller's thread: nothing left to do */
	unsigned *finished;    /* the workers' count of jobs done (atomic) */
};

struct ak_stream_reader {
	struct ak_stream_opts o;
	size_t hsize;                /* framing header bytes */
	/* the schemas */
	struct entry *ents;
	size_t nents, capents;
	size_t *slots;               /* open addressing by key: entry index + 1, 0 empty */
	size_t nslots;
	size_t last;                 /* the entry found last */
	unsigned char hdr[AK_FRAME_HEADER_MAX]; /* the header of the message read last */
	size_t any;                  /* none: the schema; confluent: for every other id */
	/* the input */
	int have_input;
	int fd;
	struct ak_source src;
	int can_wait;                /* a read may wait (a pipe, a callback) */
	const unsigned char *b;      /* the buffered bytes: b[pos, end) */
	unsigned char *own;          /* our buffer (NULL over memory) */
	size_t cap, pos, end;
	uint64_t base;               /* input offset of b[0] */
	int eof;
	uint64_t index;              /* of the next message */
	int sticky;
	struct ak_error serr;
	struct ak_message msg;
	int have_msg;
	/* called before a read that may wait (ak_stream_to_json writes its output) */
	int (*before_read)(void *ctx, struct ak_error *err);
	void *before_ctx;
	uint64_t threads_after;      /* bytes read on the caller's thread before the threads */
	size_t job_bytes;            /* input bytes per batch of messages for the threads */
	/* consumers */
	struct ak_json_writer jw;
	struct ak_value_builder vb;
	struct ak_buf json;
	/* threads (ak_stream_to_json) */
	struct ak_pipeline *pipe;
	struct sjob *jobs;
	unsigned njobs;
};

AK_API struct ak_stream_reader *ak_stream_reader_new(const struct ak_stream_opts *o,
						     struct ak_error *err)
{
	struct ak_stream_reader *r;

	if (o && check_opts(o, err) != AK_OK)
		return NULL;
	if (!(r = calloc(1, sizeof(*r)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	if (o)
		r->o = *o;
	else
		ak_stream_opts_init(&r->o);
	if (!r->o.max_depth)
		r->o.max_depth = AK_DATA_MAX_DEPTH;
	if (!r->o.max_message)
		r->o.max_message = DEFAULT_MAX_MESSAGE;
	r->hsize = header_size(r->o.framing);
	r->last = r->any = NO_ENTRY;
	r->threads_after = THREADS_AFTER_BYTES;
	r->job_bytes = JOB_BYTES;
	r->fd = -1;
	r->jw.flags = r->o.json_flags;
	r->jw.max_depth = r->o.max_depth;
	ak_value_builder_reset(&r->vb);
	return r;
}

static void free_jobs(struct ak_stream_reader *r)
{
	ak_pipeline_free(r->pipe);
	r->pipe = NULL;
	for (unsigned i = 0; r->jobs && i < r->njobs; i++) {
		ak_buf_release(&r->jobs[i].data);
		ak_buf_release(&r->jobs[i].out);
		free(r->jobs[i].m);
	}
	free(r->jobs);
	r->jobs = NULL;
	r->njobs = 0;
}

AK_API void ak_stream_reader_free(struct ak_stream_reader *r)
{
	if (!r)
		return;
	free_jobs(r);
	for (size_t i = 0; i < r->nents; i++) {
		ak_plan_free(r->ents[i].plan);
		free(r->ents[i].flat);
	}
	free(r->ents);
	free(r->slots);
	free(r->own);
	ak_json_writer_release(&r->jw);
	ak_value_builder_release(&r->vb);
	ak_buf_release(&r->json);
	free(r);
}

void ak_stream_reader_tune(struct ak_stream_reader *r, uint64_t after, size_t batch)
{
	r->threads_after = after;
	if (batch)
		r->job_bytes = batch;
}

/* ---- the schemas ---- */

static size_t slot_of(uint64_t key, size_t nslots)
{
	return (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & (nslots - 1);
}

static size_t find(const struct ak_stream_reader *r, uint64_t key)
{
	if (!r->nslots)
		return NO_ENTRY;
	for (size_t i = slot_of(key, r->nslots);; i = (i + 1) & (r->nslots - 1)) {
		size_t e = r->slots[i];

		if (!e)
			return NO_ENTRY;
		if (r->ents[e - 1].key == key)
			return e - 1;
	}
}

/* Add an entry (the key not taken); its index, or NO_ENTRY when out of memory. */
static size_t add_entry(struct ak_stream_reader *r, uint64_t key, const struct ak_schema *s,
			int indexed, struct ak_error *err)
{
	if (r->nents == r->capents) {
		size_t cap = r->capents ? 2 * r->capents : 8;
		struct entry *e = realloc(r->ents, cap * sizeof(*e));

		if (!e)
			goto nomem;
		r->ents = e;
		r->capents = cap;
	}
	if (indexed && 2 * (r->nents + 1) > r->nslots) {
		size_t n = r->nslots ? 2 * r->nslots : 16;
		size_t *slots = calloc(n, sizeof(*slots));

		if (!slots)
			goto nomem;
		free(r->slots);
		r->slots = slots;
		r->nslots = n;
		for (size_t i = 0; i < r->nents; i++) {
			size_t j = slot_of(r->ents[i].key, n);

			if (i == r->any)
				continue;
			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = i + 1;
		}
	}
	r->ents[r->nents] = (struct entry){ key, s, NULL, 0, NULL, 0 };
	if (indexed) {
		size_t j = slot_of(key, r->nslots);

		while (r->slots[j])
			j = (j + 1) & (r->nslots - 1);
		r->slots[j] = r->nents + 1;
	}
	return r->nents++;
nomem:
	ak_fail(err, AK_E_NOMEM, "out of memory");
	return NO_ENTRY;
}

/* The CRC-64-AVRO fingerprint of @s's canonical form. */
static int crc64_of(const struct ak_schema *s, uint64_t *out, struct ak_error *err)
{
	char *pcf = ak_schema_canonical(s, err);

	if (!pcf)
		return err && err->code ? err->code : AK_E_NOMEM;
	*out = ak_crc64_avro(pcf, strlen(pcf));
	free(pcf);
	return AK_OK;
}

/* Are @a and @b the same schema (the same canonical form)? */
static int same_schema(const struct ak_schema *a, const struct ak_schema *b)
{
	char *x, *y;
	int same;

	if (a == b)
		return 1;
	x = ak_schema_canonical(a, NULL);
	y = ak_schema_canonical(b, NULL);
	same = x && y && strcmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

AK_API int ak_stream_reader_add_schema(struct ak_stream_reader *r, const struct ak_schema *s,
				       int64_t id, struct ak_error *err)
{
	uint64_t key = 0;
	size_t e;
	int rc;

	if (!r || !s)
		return ak_fail(err, AK_E_ARG, "no reader or no schema");
	switch (r->o.framing) {
	case AK_FRAMING_NONE:
		if (id != -1)
			return ak_fail(err, AK_E_ARG, "bare datums have no schema id");
		if (r->any != NO_ENTRY) {
			if (same_schema(r->ents[r->any].schema, s))
				return AK_OK;
			return ak_fail(err, AK_E_ARG, "bare datums have one schema: a second one "
				       "cannot be told apart from it");
		}
		if ((e = add_entry(r, 0, s, 0, err)) == NO_ENTRY)
			return AK_E_NOMEM;
		r->any = e;
		return AK_OK;
	case AK_FRAMING_SINGLE_OBJECT:
		if (id != -1)
			return ak_fail(err, AK_E_ARG, "single-object messages find their schema by "
				       "its fingerprint, not by an id");
		if ((rc = crc64_of(s, &key, err)) != AK_OK)
			return rc;
		break;
	default:
		if (id < -1 || id > (int64_t)UINT32_MAX)
			return ak_fail(err, AK_E_ARG, "schema id %" PRId64 " is out of range (0 to "
				       "4294967295, or -1 for every other id)", id);
		if (id == -1) {
			if (r->any != NO_ENTRY) {
				if (same_schema(r->ents[r->any].schema, s))
					return AK_OK;
				return ak_fail(err, AK_E_ARG, "two schemas for every id: give "
					       "them ids");
			}
			if ((e = add_entry(r, 0, s, 0, err)) == NO_ENTRY)
				return AK_E_NOMEM;
			r->any = e;
			return AK_OK;
		}
		key = (uint64_t)id;
		break;
	}
	if ((e = find(r, key)) != NO_ENTRY) {
		if (r->ents[e].schema && same_schema(r->ents[e].schema, s))
			return AK_OK;
		if (r->ents[e].fallback) {
			/* read with the schema for every id so far: from now on with this one */
			ak_plan_free(r->ents[e].plan);
			free(r->ents[e].flat);
			r->ents[e] = (struct entry){ key, s, NULL, 0, NULL, 0 };
			return AK_OK;
		}
		if (r->o.framing == AK_FRAMING_CONFLUENT)
			return ak_fail(err, AK_E_ARG, "schema id %" PRIu64 " is given twice, to "
				       "different schemas", key);
		if (r->ents[e].schema)
			return ak_fail(err, AK_E_ARG, "two different schemas have the fingerprint "
				       "%016" PRIx64, key);
		r->ents[e].schema = s; /* the lookup knew none: now there is one */
		return AK_OK;
	}
	return add_entry(r, key, s, 1, err) == NO_ENTRY ? AK_E_NOMEM : AK_OK;
}

/*
 * Skip programs. The threads need the caller's thread to find where each datum ends, and the
 * plan walker that checks datums costs a third of what decoding them to JSON does. A schema
 * whose datums have the same shape every time (records of records of primitives, enums and
 * fixed: no union, array or map) is flat: its datums are a fixed list of varints, blobs
 * (length and bytes) and runs of fixed size, which a loop of a few instructions each skips.
 * It checks no more than the lengths; the workers decode every datum fully and report what is
 * wrong with it, and a datum the loop cannot skip goes to the plan walker.
 */
enum { F_VARINT, F_BLOB, F_FIXED };

struct fop {
	uint32_t kind, n; /* F_FIXED: n bytes; F_VARINT: n varints */
};

static int flat_add(const struct ak_node *n, struct fop **ops, size_t *nops, size_t *cap,
		    unsigned depth)
{
	struct fop op = { F_FIXED, 0 };

	if (depth > AK_SCHEMA_MAX_DEPTH)
		return -1;
	switch (n->type) {
	case AK_NULL:
		return 0;
	case AK_BOOLEAN:
		op.n = 1;
		break;
	case AK_INT:
	case AK_LONG:
	case AK_ENUM:
		op.kind = F_VARINT;
		break;
	case AK_FLOAT:
		op.n = 4;
		break;
	case AK_DOUBLE:
		op.n = 8;
		break;
	case AK_BYTES:
	case AK_STRING:
		op.kind = F_BLOB;
		break;
	case AK_FIXED:
		if (n->size > UINT32_MAX / 2)
			return -1;
		op.n = (uint32_t)n->size;
		break;
	case AK_RECORD:
		for (size_t i = 0; i < n->nfields; i++)
			if (flat_add(n->fields[i].type, ops, nops, cap, depth + 1) != 0)
				return -1;
		return 0;
	default:
		return -1;
	}
	if (op.kind == F_VARINT)
		op.n = 1;
	if (op.kind != F_BLOB && *nops && (*ops)[*nops - 1].kind == op.kind &&
	    (*ops)[*nops - 1].n < UINT32_MAX / 2) {
		(*ops)[*nops - 1].n += op.n; /* one run of bytes, or of varints */
		return 0;
	}
	if (*nops == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		struct fop *o = realloc(*ops, c * sizeof(*o));

		if (!o)
			return -1;
		*ops = o;
		*cap = c;
	}
	(*ops)[(*nops)++] = op;
	return 0;
}

/* Make @e's skip program if its schema is flat (nothing happens otherwise: the plan walker
 * skips its datums). */
static void flat_make(struct entry *e)
{
	size_t cap = 0;

	if (flat_add(ak_schema_root(e->schema), &e->flat, &e->nflat, &cap, 0) != 0 || !e->nflat) {
		free(e->flat);
		e->flat = NULL;
		e->nflat = 0;
	}
}

/* The end of the flat datum at @p, or NULL when it does not end before @e (or a length in it is
 * not one). */
static inline const unsigned char *flat_skip(const struct fop *op, size_t n,
					     const unsigned char *p, const unsigned char *e)
{
	for (size_t k = 0; k < n; k++, op++) {
		uint64_t v = 0;
		unsigned i;

		switch (op->kind) {
		case F_FIXED:
			if ((size_t)(e - p) < op->n)
				return NULL;
			p += op->n;
			break;
		case F_VARINT: {
			/* n varints, whose values do not matter: each ends at a byte without the
			 * high bit, found eight bytes at a time (an overlong one is not caught
			 * here: the worker that decodes the datum reports it) */
			uint32_t left = op->n;

			while (left) {
				if (e - p >= 8) {
					uint64_t w, ends;

					memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
					w = __builtin_bswap64(w);
#endif
					ends = ~w & 0x8080808080808080u;
					while (ends && --left)
						ends &= ends - 1; /* the ends before the last wanted */
					if (!ends) {
						p += 8;
						continue;
					}
					p += ((unsigned)__builtin_ctzll(ends) >> 3) + 1;
					break;
				}
				if (p >= e)
					return NULL;
				if (!(*p++ & 0x80))
					left--;
			}
			break;
		}
		default:
			if (p < e && !(*p & 0x80)) {
				/* a length under 64: one byte */
				v = (uint64_t)*p++ >> 1;
				if (p[-1] & 1 || v > (uint64_t)(e - p))
					return NULL;
				p += v;
				break;
			}
			for (i = 0;; i++) {
				if (p >= e || i == AK_VARINT_MAX)
					return NULL;
				v |= (uint64_t)(*p & 0x7f) << (7 * i);
				if (!(*p++ & 0x80))
					break;
			}
			if (v & 1)
				return NULL; /* a negative length */
			v >>= 1;
			if (v > (uint64_t)(e - p))
				return NULL;
			p += v;
			break;
		}
	}
	return p;
}

/* The 8 fingerprint bytes as the fingerprint command prints them: in message order. */
static void fingerprint_hex(uint64_t key, char out[17])
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", (unsigned)(key >> (8 * i)) & 0xff);
}

/* The entry of @key, asking the lookup callback about a key not seen yet. */
static int entry_for(struct ak_stream_reader *r, uint64_t key, size_t *out,
		     struct ak_error *err)
{
	size_t e;

	if (r->o.framing == AK_FRAMING_NONE) {
		e = r->any;
	} else if (r->last != NO_ENTRY && r->ents[r->last].key == key && r->last != r->any) {
		e = r->last;
	} else if ((e = find(r, key)) == NO_ENTRY) {
		const struct ak_schema *s = NULL;
		int fallback = 0;

		if (r->o.lookup)
			s = r->o.lookup(r->o.lookup_ctx, r->o.framing, key);
		if (!s && r->any != NO_ENTRY) {
			s = r->ents[r->any].schema;
			fallback = 1;
		}
		/* remembered, also when nobody knows it; an id read with the schema for every id
		 * gets an entry of its own too, so that the next message finds it at once */
		if ((e = add_entry(r, key, s, 1, err)) == NO_ENTRY)
			return AK_E_NOMEM;
		r->ents[e].fallback = fallback;
	} else if (!r->ents[e].schema && r->any != NO_ENTRY) {
		/* unknown when it was first seen; the schema for every id came since */
		r->ents[e].schema = r->ents[r->any].schema;
		r->ents[e].fallback = 1;
	}
	if (e == NO_ENTRY || !r->ents[e].schema) {
		char hex[17];

		if (r->o.framing == AK_FRAMING_NONE)
			ak_fail(err, AK_E_STATE, "no schema given for the datums");
		else if (r->o.framing == AK_FRAMING_SINGLE_OBJECT) {
			fingerprint_hex(key, hex);
			ak_fail(err, AK_E_SCHEMA, "no schema given has the fingerprint %s "
				"(CRC-64-AVRO)", hex);
		} else {
			ak_fail(err, AK_E_SCHEMA, "no schema given has the schema id %" PRIu64, key);
		}
		if (err && r->o.framing != AK_FRAMING_NONE)
			err->flags |= AK_ERROR_UNKNOWN_SCHEMA;
		return err && err->code ? err->code : AK_E_SCHEMA;
	}
	if (!r->ents[e].plan) {
		if (!(r->ents[e].plan = ak_plan_for(r->ents[e].schema, r->o.reader_schema,
						   r->o.resolve_flags, err)))
			return err && err->code ? err->code : AK_E_NOMEM;
		flat_make(&r->ents[e]);
	}
	r->last = e;
	*out = e;
	return AK_OK;
}

/* ---- the input ---- */

static void reset_input(struct ak_stream_reader *r)
{
	r->have_input = 1;
	r->pos = r->end = 0;
	r->base = 0;
	r->eof = 0;
	r->index = 0;
	r->sticky = 0;
	r->have_msg = 0;
	r->can_wait = 0;
	r->b = r->own;
}

static int own_buffer(struct ak_stream_reader *r, struct ak_error *err)
{
	if (!r->own) {
		if (!(r->own = malloc(BUF_START)))
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		r->cap = BUF_START;
	}
	return AK_OK;
}

AK_API int ak_stream_reader_set_fd(struct ak_stream_reader *r, int fd, struct ak_error *err)
{
	struct stat st;
	int rc;

	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	r->have_input = 0;
	if ((rc = own_buffer(r, err)) != AK_OK)
		return rc;
	r->fd = fd;
	if ((rc = ak_fd_source_init(&r->src, &r->fd, err)) != AK_OK)
		return rc;
	reset_input(r);
	r->can_wait = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
	return AK_OK;
}

AK_API int ak_stream_reader_set_memory(struct ak_stream_reader *r, const void *data,
				       size_t len, struct ak_error *err)
{
	if (!r || (!data && len))
		return ak_fail(err, AK_E_ARG, "no reader or no data");
	reset_input(r);
	r->b = data ? data : (const void *)"";
	r->end = len;
	r->eof = 1;
	return AK_OK;
}

AK_API int ak_stream_reader_set_callbacks(struct ak_stream_reader *r, ak_read_fn read,
					  void *ctx, struct ak_error *err)
{
	int rc;

	if (!r || !read)
		return ak_fail(err, AK_E_ARG, "no reader or no read callback");
	r->have_input = 0;
	if ((rc = own_buffer(r, err)) != AK_OK)
		return rc;
	r->src = (struct ak_source){ read, NULL, ctx };
	reset_input(r);
	r->can_wait = 1;
	return AK_OK;
}

/*
 * Make at least @need bytes from pos available, reading (and moving or growing the buffer) as
 * needed. AK_OK, AK_EOF when the input ends first (what there is stays available), AK_E_LIMIT
 * when @need is more than the largest message allows, AK_E_IO.
 */
static int fill(struct ak_stream_reader *r, size_t need, struct ak_error *err)
{
	while (r->end - r->pos < need) {
		ssize_t n;

		if (r->eof)
			return AK_EOF;
		if (need > r->o.max_message + PREFIX_MAX)
			return ak_fail(err, AK_E_LIMIT, "limit");
		if (r->cap - r->pos < need) {
			/* move the bytes kept to the front, and grow if that is not enough */
			memmove(r->own, r->own + r->pos, r->end - r->pos);
			r->base += r->pos;
			r->end -= r->pos;
			r->pos = 0;
			if (r->cap < need) {
				size_t cap = r->cap;
				unsigned char *nb;

				while (cap < need)
					cap *= 2;
				if (cap > r->o.max_message + PREFIX_MAX)
					cap = (size_t)r->o.max_message + PREFIX_MAX;
				if (!(nb = realloc(r->own, cap)))
					return ak_fail(err, AK_E_NOMEM, "out of memory");
				r->own = nb;
				r->b = nb;
				r->cap = cap;
			}
		} else if (r->end == r->cap || (r->pos > r->cap / 2 && r->end - r->pos < 4096)) {
			/* little left at the end: start the buffer again */
			memmove(r->own, r->own + r->pos, r->end - r->pos);
			r->base += r->pos;
			r->end -= r->pos;
			r->pos = 0;
		}
		if (r->can_wait && r->before_read) {
			int rc = r->before_read(r->before_ctx, err);

			if (rc != AK_OK)
				return rc;
		}
		n = r->src.read(r->src.ctx, r->own + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ak_fail_errno(err, errno, "read error");
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
	}
	return AK_OK;
}

/* ---- messages ---- */

/* Where the parts of the message at pos are, relative to pos. */
struct frame {
	size_t datum;   /* bytes before the datum: length prefix and header */
	size_t size;    /* the whole message when a length prefix says; else 0 */
	size_t ent;
	uint64_t key;
};

static int truncated(struct ak_error *err, int rc)
{
	if (err && rc == AK_E_FORMAT)
		err->flags |= AK_ERROR_TRUNCATED;
	return rc;
}

/* A message at the end of the input: AK_EOF when it has no byte at all, else truncated. */
static int ends_inside(struct ak_stream_reader *r, const char *what, size_t need,
		       struct ak_error *err)
{
	size_t have = r->end - r->pos;

	if (have == 0)
		return AK_EOF;
	return truncated(err, ak_fail(err, AK_E_FORMAT, "the input ends inside the message's "
				      "%s (%zu of %zu bytes)", what, have, need));
}

static int read_prefix(struct ak_stream_reader *r, struct frame *f, struct ak_error *err)
{
	const unsigned char *p;
	uint64_t len = 0;
	size_t n = 0;
	int rc;

	if (r->o.length_prefix == AK_LENGTH_4BE) {
		if ((rc = fill(r, 4, err)) == AK_EOF)
			return ends_inside(r, "length prefix", 4, err);
		if (rc != AK_OK)
			return rc;
		p = r->b + r->pos;
		len = (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
		n = 4;
	} else {
		/* one byte at a time, so that a pipe is not waited on for bytes of the next
		 * message */
		for (;;) {
			unsigned shift = 7 * (unsigned)n;

			if ((rc = fill(r, n + 1, err)) == AK_EOF) {
				if (n == 0)
					return AK_EOF;
				return truncated(err, ak_fail(err, AK_E_FORMAT, "the input ends "
							      "inside the message's length prefix"));
			}
			if (rc != AK_OK)
				return rc;
			p = r->b + r->pos;
			if (n == 9 && (p[n] & 0x7e))
				return ak_fail(err, AK_E_FORMAT, "the message's length prefix is not a "
					       "valid varint");
			len |= (uint64_t)(p[n] & 0x7f) << shift;
			if (!(p[n++] & 0x80))
				break;
			if (n == PREFIX_MAX)
				return ak_fail(err, AK_E_FORMAT, "the message's length prefix is not a "
					       "valid varint");
		}
		if (r->o.length_prefix == AK_LENGTH_VARINT) {
			int64_t v = ak_zigzag_decode(len);

			if (v < 0)
				return ak_fail(err, AK_E_FORMAT, "negative message length %" PRId64,
					       v);
			len = (uint64_t)v;
		}
	}
	if (len > r->o.max_message - n || len > r->o.max_message)
		return ak_fail(err, AK_E_LIMIT, "the message's length, %" PRIu64 " bytes, exceeds "
			       "the %" PRIu64 "-byte limit", len, r->o.max_message);
	if (len < r->hsize)
		return ak_fail(err, AK_E_FORMAT, "the message's length, %" PRIu64 " bytes, is "
			       "shorter than its %zu-byte header", len, r->hsize);
	f->datum = n;
	f->size = n + (size_t)len;
	return AK_OK;
}

/* A hint about what the bytes of a wrong magic look like. */
static const char *magic_hint(unsigned framing, const unsigned char *p, size_t n)
{
	if (n >= 4 && memcmp(p, "Obj\x01", 4) == 0)
		return " (this is an Avro data file: read it without --framing)";
	if (framing == AK_FRAMING_CONFLUENT && n >= 2 && memcmp(p, SINGLE_OBJECT_MAGIC, 2) == 0)
		return " (C3 01 starts a single-object message)";
	if (framing == AK_FRAMING_SINGLE_OBJECT && p[0] == 0)
		return " (00 starts a message in Confluent's wire format)";
	return "";
}

/* Parse the message at pos up to its datum and find its schema and plan. */
static int read_frame(struct ak_stream_reader *r, struct frame *f, struct ak_error *err)
{
	const unsigned char *p;
	size_t at;
	int rc;

	f->datum = f->size = 0;
	f->key = 0;
	if (r->o.length_prefix != AK_LENGTH_NONE) {
		if ((rc = read_prefix(r, f, err)) != AK_OK)
			return rc;
		if ((rc = fill(r, f->size, err)) == AK_EOF)
			return truncated(err, ak_fail(err, AK_E_FORMAT, "the input ends inside the "
						      "message (%zu of its %zu bytes)",
						      r->end - r->pos, f->size));
		if (rc != AK_OK)
			return rc;
	} else if (r->hsize) {
		if ((rc = fill(r, r->hsize, err)) == AK_EOF)
			return ends_inside(r, "header", r->hsize, err);
		if (rc != AK_OK)
			return rc;
	} else if ((rc = fill(r, 1, err)) != AK_OK) {
		return rc; /* AK_EOF: no more datums */
	}
	at = f->datum;
	p = r->b + r->pos + at;
	if (r->o.framing == AK_FRAMING_SINGLE_OBJECT) {
		if (memcmp(p, SINGLE_OBJECT_MAGIC, 2) != 0)
			return ak_fail(err, AK_E_FORMAT, "expected the single-object marker C3 01, "
				       "found %02X %02X%s", p[0], p[1],
				       magic_hint(r->o.framing, p, r->end - r->pos - at));
		for (int i = 7; i >= 0; i--)
			f->key = f->key << 8 | p[2 + i];
	} else if (r->o.framing == AK_FRAMING_CONFLUENT) {
		if (p[0] != 0)
			return ak_fail(err, AK_E_FORMAT, "expected Confluent's magic byte 00, found "
				       "%02X%s", p[0], magic_hint(r->o.framing, p, r->end - r->pos - at));
		f->key = (uint64_t)p[1] << 24 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 8 | p[4];
	}
	if ((rc = entry_for(r, f->key, &f->ent, err)) == AK_OK)
		memcpy(r->hdr, p, r->hsize);
	f->datum += r->hsize;
	return rc;
}

/* How a datum is consumed. */
enum consume { C_SKIP, C_VISIT, C_VALUE, C_JSON };

struct consumer {
	enum consume kind;
	const struct ak_visitor *v;
	void *ctx;
	struct ak_buf *out;   /* C_JSON: appended to (rolled back on failure) */
};

static int consume(struct ak_stream_reader *r, const struct consumer *c,
		   const struct ak_plan *plan, const unsigned char **p, const unsigned char *e,
		   struct ak_error *err)
{
	int rc;

	switch (c->kind) {
	case C_VISIT:
		return ak_datum_visit(plan, p, e, c->v, c->ctx, r->o.max_depth, err);
	case C_VALUE:
		ak_value_builder_reset(&r->vb);
		rc = ak_datum_visit(plan, p, e, &ak_value_visitor, &r->vb, r->o.max_depth, err);
		if (rc == AK_E_NOMEM) /* from the builder */
			ak_fail(err, AK_E_NOMEM, "out of memory");
		return rc;
	case C_JSON:
		r->jw.plan = plan;
		return ak_datum_json(&r->jw, p, e, c->out, err);
	default:
		return ak_datum_skip(plan, p, e, r->o.max_depth, err);
	}
}

/* Say which message an error is about, and end the input. */
static int fail_at(struct ak_stream_reader *r, int rc, struct ak_error *le, struct ak_error *err)
{
	if (rc == AK_E_LIMIT && !strcmp(le->msg, "limit"))
		ak_fail(le, AK_E_LIMIT, "the message is larger than the %" PRIu64 "-byte limit "
			"(or its datum is not one of the schema)", r->o.max_message);
	le->record = r->index;
	le->offset = r->base + r->pos;
	r->sticky = rc;
	ak_error_copy(&r->serr, le);
	ak_error_copy(err, le);
	return rc;
}

/*
 * Decode the message at pos through @c. On success *@size is its bytes and *@f its frame;
 * pos is not moved (advance() does that).
 */
static int next_message(struct ak_stream_reader *r, const struct consumer *c, struct frame *f,
			size_t *size, struct ak_error *err)
{
	struct ak_error le;
	int rc;

	if (r->sticky) {
		ak_error_copy(err, &r->serr);
		return r->sticky;
	}
	if (!r->have_input) {
		ak_fail(&le, AK_E_STATE, "no input given");
		return fail_at(r, AK_E_STATE, &le, err);
	}
	for (;;) {
		const unsigned char *start, *p, *e;
		size_t mark, have;

		/* (reading may write out what @c->out holds: its mark comes after) */
		if ((rc = read_frame(r, f, &le)) == AK_EOF)
			return AK_EOF;
		if (rc != AK_OK)
			return fail_at(r, rc, &le, err);
		mark = c->out ? c->out->len : 0;
		have = r->end - r->pos;
		start = r->b + r->pos;
		p = start + f->datum;
		e = f->size ? start + f->size : r->b + r->end;
		rc = consume(r, c, r->ents[f->ent].plan, &p, e, &le);
		if (rc == AK_OK) {
			*size = (size_t)(p - start);
			if (f->size && *size != f->size) {
				rc = ak_fail(&le, AK_E_FORMAT, "%zu bytes left over in the message "
					     "after its datum", f->size - *size);
			} else if (*size == 0) {
				rc = ak_fail(&le, AK_E_FORMAT, "a datum of this schema takes no bytes, "
					     "so the bytes here cannot be datums of it");
			} else {
				return AK_OK;
			}
		}
		if (c->out)
			c->out->len = mark;
		if (rc == AK_E_FORMAT && (le.flags & AK_ERROR_TRUNCATED) && !f->size && !r->eof) {
			/* the datum goes on past the bytes buffered: read more, decode again */
			struct ak_error fe;

			rc = fill(r, have + 1, &fe);
			if (rc == AK_OK || rc == AK_EOF)
				continue;
			return fail_at(r, rc, &fe, err);
		}
		if (rc == AK_E_FORMAT && (le.flags & AK_ERROR_TRUNCATED)) {
			if (f->size) {
				/* the message is whole: its datum is wrong */
				ak_error_prefix(&le, "the datum runs past the end of its %zu-byte "
						"message", f->size);
				le.flags &= ~(unsigned)AK_ERROR_TRUNCATED;
			} else {
				ak_error_prefix(&le, "the input ends inside the datum");
			}
		}
		return fail_at(r, rc, &le, err);
	}
}

/* The message at pos, of @size bytes, was read. */
static void advance(struct ak_stream_reader *r, const struct frame *f, size_t size)
{
	r->msg.index = r->index++;
	r->msg.offset = r->base + r->pos;
	r->msg.size = size;
	r->msg.key = f->key;
	r->msg.schema = r->ents[f->ent].schema;
	r->have_msg = 1;
	r->pos += size;
}

/* ---- the fast path ---- */

/*
 * Most messages are all in the buffer and have the schema of the message before them. For
 * those the loops below find where the datum starts and (with a length prefix) ends without a
 * function call per message, from a copy of what they need in local variables, where the
 * compiler keeps it in registers across the decoder's calls. Any other message is left to
 * next_message(), with everything it may take (more input, a schema seen for the first time,
 * an error and its message).
 */
struct quick {
	unsigned prefix;          /* enum ak_length_prefix */
	size_t hsize;             /* header bytes: 0, 5 or 10 */
	uint64_t h8, max;         /* the header of the message before (its first 8 or 4 bytes, */
	uint32_t h4;              /* then its last 2 or 1), and max_message */
	uint16_t h2;
	unsigned char h1;
	uint64_t key;
};

/* Can the fast path go: a schema seen, with its plan, and no error? Fills @q. */
static int quick_init(const struct ak_stream_reader *r, struct quick *q)
{
	if (r->sticky || !r->have_input || r->last == NO_ENTRY || !r->ents[r->last].plan)
		return 0;
	q->prefix = r->o.length_prefix;
	q->hsize = r->hsize;
	q->max = r->o.max_message;
	q->key = r->ents[r->last].key;
	memcpy(&q->h8, r->hdr, 8);
	memcpy(&q->h2, r->hdr + 8, 2);
	memcpy(&q->h4, r->hdr, 4);
	q->h1 = r->hdr[4];
	return 1;
}

/* Where the message at @p has its datum (*@d) and ends (*@me, NULL when no prefix says); 0
 * when it is not a message for the fast path. */
static inline int quick_frame(const struct quick *q, const unsigned char *p,
			      const unsigned char *e, const unsigned char **d,
			      const unsigned char **me)
{
	uint64_t len = 0;

	*me = NULL;
	if (q->prefix == AK_LENGTH_4BE) {
		if (e - p < 4)
			return 0;
		len = (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
		p += 4;
	} else if (q->prefix != AK_LENGTH_NONE) {
		unsigned i = 0;

		for (;; i++) {
			if (p + i >= e || i == PREFIX_MAX)
				return 0;
			len |= (uint64_t)(p[i] & 0x7f) << (7 * i);
			if (!(p[i] & 0x80))
				break;
		}
		if (i == 9 && (p[i] & 0x7e))
			return 0;
		p += i + 1;
		if (q->prefix == AK_LENGTH_VARINT) {
			if (len & 1)
				return 0; /* negative */
			len >>= 1;
		}
	}
	if (q->prefix != AK_LENGTH_NONE) {
		if (len > (uint64_t)(e - p) || len < q->hsize || len > q->max)
			return 0;
		*me = p + len;
	}
	if (q->hsize == 10) {
		uint64_t a;
		uint16_t b;

		if (e - p < 10)
			return 0;
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 2);
		if (a != q->h8 || b != q->h2)
			return 0;
	} else if (q->hsize == 5) {
		uint32_t a;

		if (e - p < 5)
			return 0;
		memcpy(&a, p, 4);
		if (a != q->h4 || p[4] != q->h1)
			return 0;
	}
	*d = p + q->hsize;
	return 1;
}

/* The fast path read @n messages, from @start (the last one's first byte) to @p. */
static void fast_advance(struct ak_stream_reader *r, uint64_t n, const unsigned char *start,
			 const unsigned char *p, uint64_t key)
{
	r->msg.index = r->index + n - 1;
	r->msg.offset = r->base + (uint64_t)(start - r->b);
	r->msg.size = (uint64_t)(p - start);
	r->msg.key = key;
	r->msg.schema = r->ents[r->last].schema;
	r->have_msg = 1;
	r->index += n;
	r->pos = (size_t)(p - r->b);
}

/* JSON lines of the messages the fast path can read, at most @max, until @out holds
 * @out_max bytes, from at most @room bytes of input. Returns how many. */
static uint64_t fast_json(struct ak_stream_reader *r, struct ak_buf *out, uint64_t max,
			  size_t out_max, size_t room)
{
	const unsigned char *p, *e, *start = NULL, *d, *me = NULL;
	struct ak_json_writer *jw = &r->jw;
	struct ak_error le;
	struct quick q;
	uint64_t n = 0;
	int bare;

	if (!quick_init(r, &q))
		return 0;
	bare = q.prefix == AK_LENGTH_NONE && !q.hsize;
	jw->plan = r->ents[r->last].plan;
	p = r->b + r->pos;
	e = r->b + r->end;
	if ((size_t)(e - p) > room)
		e = p + room; /* a datum past it is left to the next call */
	while (n < max && p < e && out->len < out_max) {
		const unsigned char *x;
		size_t mark = out->len;

		if (bare)
			d = p; /* bare datums: nothing before the datum */
		else if (!quick_frame(&q, p, e, &d, &me))
			break;
		x = d;
		if (ak_datum_json(jw, &x, me ? me : e, out, &le) != AK_OK || (me && x != me) ||
		    x == p || ak_buf_reserve(out, 1, &le) != AK_OK) {
			out->len = mark; /* next_message() says what is wrong */
			break;
		}
		out->data[out->len++] = '\n';
		start = p;
		p = x;
		n++;
	}
	if (n)
		fast_advance(r, n, start, p, q.key);
	return n;
}

/* Add @count messages of @plan, from @start to @end of @j's data, @pre bytes before each
 * datum; 0 when out of memory. */
static int add_msgs(struct sjob *j, const struct ak_plan *plan, size_t start, size_t end,
		    size_t count, size_t pre)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 64;
		struct smsg *m = realloc(j->m, cap * sizeof(*m));

		if (!m)
			return 0;
		j->m = m;
		j->cap = cap;
	}
	j->m[j->n++] = (struct smsg){ start, end, plan, count, pre };
	return 1;
}

/*
 * For the threads: find the messages the fast path can, by skipping their datums, and add
 * them to @j until it holds @room bytes more. Returns how many.
 */
static uint64_t fast_scan(struct ak_stream_reader *r, struct sjob *j, size_t room)
{
	const unsigned char *p, *e, *first, *start = NULL, *d, *me = NULL;
	const struct ak_plan *plan;
	const struct fop *flat;
	size_t nflat, entries = j->n, run_at = 0, run_pre = 0, run_n = 0;
	unsigned depth = r->o.max_depth;
	struct ak_error le;
	struct quick q;
	uint64_t n = 0;
	size_t base = j->data.len;
	int bare, ok = 1;

	if (!quick_init(r, &q))
		return 0;
	bare = q.prefix == AK_LENGTH_NONE && !q.hsize;
	plan = r->ents[r->last].plan;
	flat = r->ents[r->last].flat;
	nflat = r->ents[r->last].nflat;
	first = p = r->b + r->pos;
	e = r->b + r->end;
	if ((size_t)(e - p) > room)
		e = p + room; /* a datum past it is left to the next job */
	if (bare && flat) {
		/* the common case, a stream of bare datums of a flat schema: only the skip */
		const unsigned char *x;

		while (p < e && (x = flat_skip(flat, nflat, p, e)) != NULL && x != p) {
			start = p;
			p = x;
			n++;
		}
		run_n = (size_t)n;
	}
	/* the others: runs of messages with as many bytes before each datum (one run for a
	 * framing without a length prefix, or with a 4-byte one), which the worker decodes
	 * one after the other as a data file's block */
	while (!(bare && flat) && p < e) {
		const unsigned char *x;
		size_t pre;

		if (bare)
			d = p;
		else if (!quick_frame(&q, p, e, &d, &me))
			break;
		x = d;
		if (flat) {
			if (!(x = flat_skip(flat, nflat, d, me ? me : e)) || (me && x != me) ||
			    x == p)
				break;
		} else if (ak_datum_skip(plan, &x, me ? me : e, depth, &le) != AK_OK ||
			   (me && x != me) || x == p) {
			break;
		}
		pre = (size_t)(d - p);
		if (run_n && pre == run_pre) {
			run_n++;
		} else {
			if (run_n && !(ok = add_msgs(j, plan, base + run_at, base + (size_t)(p - first),
						     run_n, run_pre)))
				break;
			run_at = (size_t)(p - first);
			run_pre = pre;
			run_n = 1;
		}
		start = p;
		p = x;
		n++;
	}
	if (ok && run_n)
		ok = add_msgs(j, plan, base + run_at, base + (size_t)(p - first), run_n, run_pre);
	if (!ok || (n && ak_buf_append(&j->data, first, (size_t)(p - first), &le) != AK_OK)) {
		j->n = entries; /* next_message() tries again, and says so */
		return 0;
	}
	if (n) {
		fast_advance(r, n, start, p, q.key);
		j->last = r->msg;
	}
	return n;
}

AK_API int ak_stream_read(struct ak_stream_reader *r, const struct ak_visitor *v, void *ctx,
			  struct ak_error *err)
{
	struct consumer skip = { C_SKIP, NULL, NULL, NULL };
	struct consumer c = { C_VISIT, v, ctx, NULL };
	struct frame f;
	size_t size;
	int rc;

	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	/* a visitor must not see a datum twice: when its end is not known yet (no length, more
	 * input to come), find it first */
	if (!r->eof && r->o.length_prefix == AK_LENGTH_NONE &&
	    (rc = next_message(r, &skip, &f, &size, err)) != AK_OK)
		return rc;
	if ((rc = next_message(r, &c, &f, &size, err)) != AK_OK)
		return rc;
	advance(r, &f, size);
	return AK_OK;
}

AK_API int ak_stream_read_value(struct ak_stream_reader *r, const struct ak_value **out,
				struct ak_error *err)
{
	struct consumer c = { C_VALUE, NULL, NULL, NULL };
	struct frame f;
	size_t size;
	int rc;

	*out = NULL;
	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	if ((rc = next_message(r, &c, &f, &size, err)) != AK_OK)
		return rc;
	advance(r, &f, size);
	*out = ak_value_builder_root(&r->vb);
	return AK_OK;
}

AK_API int ak_stream_read_json(struct ak_stream_reader *r, ak_write_fn write, void *wctx,
			       struct ak_error *err)
{
	struct consumer c = { C_JSON, NULL, NULL, NULL };
	struct frame f;
	size_t size;
	int rc;

	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	r->json.len = 0;
	c.out = &r->json;
	if ((rc = next_message(r, &c, &f, &size, err)) != AK_OK)
		return rc;
	advance(r, &f, size);
	if (write && write(wctx, r->json.data ? r->json.data : (void *)"", r->json.len) != 0)
		return ak_fail_write(err, errno);
	return AK_OK;
}

AK_API int ak_stream_peek(struct ak_stream_reader *r, struct ak_error *err)
{
	struct consumer skip = { C_SKIP, NULL, NULL, NULL };
	struct frame f;
	size_t size;
	int rc;

	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	if ((rc = next_message(r, &skip, &f, &size, err)) != AK_OK)
		return rc;
	/* described, not read: the index stays and pos does not move */
	r->msg.index = r->index;
	r->msg.offset = r->base + r->pos;
	r->msg.size = size;
	r->msg.key = f.key;
	r->msg.schema = r->ents[f.ent].schema;
	r->have_msg = 1;
	return AK_OK;
}

AK_API const struct ak_message *ak_stream_reader_message(const struct ak_stream_reader *r)
{
	return r && r->have_msg ? &r->msg : NULL;
}

/* ---- to JSON ---- */

struct json_run {
	struct ak_stream_reader *r;
	ak_write_fn write;
	void *wctx;
	ak_progress_fn progress;
	void *pctx;
	uint64_t records;  /* written */
	uint64_t pending;  /* lines in out, not written yet */
	uint64_t start;    /* input offset where the call started */
	int write_failed;
	struct ak_buf out;
};

/* Write @n bytes holding @records lines, and tell the progress callback. */
static int emit(struct json_run *jr, const void *p, size_t n, uint64_t records,
		struct ak_error *err)
{
	if (n && jr->write(jr->wctx, p, n) != 0) {
		jr->write_failed = 1;
		return ak_fail_write(err, errno);
	}
	jr->records += records;
	if (jr->progress && jr->progress(jr->pctx, jr->records,
					 jr->r->base + jr->r->pos - jr->start) != 0)
		return ak_fail(err, AK_E_CALLBACK, "stopped by the progress callback");
	return AK_OK;
}

static int emit_pending(struct json_run *jr, struct ak_error *err)
{
	int rc;

	if (!jr->out.len && !jr->pending)
		return AK_OK;
	rc = emit(jr, jr->out.data, jr->out.len, jr->pending, err);
	jr->out.len = 0;
	jr->pending = 0;
	return rc;
}

/* Before a read that may wait: write out what is decoded. */
static int flush_before_read(void *ctx, struct ak_error *err)
{
	return emit_pending(ctx, err);
}

/* ---- the threads' jobs ---- */

static void *job_worker_new(void *ctx)
{
	struct ak_stream_reader *r = ctx;
	struct ak_json_writer *w = calloc(1, sizeof(*w));

	if (w) {
		w->flags = r->o.json_flags;
		w->max_depth = r->o.max_depth;
	}
	return w;
}

static void job_worker_free(void *ctx, void *ws)
{
	(void)ctx;
	if (ws) {
		ak_json_writer_release(ws);
		free(ws);
	}
}

static void decode_job(void *ctx, void *ws, void *job);

static void run_job(void *ctx, void *ws, void *job)
{
	struct sjob *j = job;

	decode_job(ctx, ws, job);
	if (!j->self)
		__atomic_add_fetch(j->finished, 1, __ATOMIC_RELEASE);
}

static void decode_job(void *ctx, void *ws, void *job)
{
	struct ak_json_writer *w = ws;
	struct sjob *j = job;

	(void)ctx;
	if (j->self)
		return;
	j->rc = AK_OK;
	j->done = 0;
	j->out.len = 0;
	if (!w) {
		j->rc = ak_fail(&j->err, AK_E_NOMEM, "out of memory");
		j->err.record = j->index;
		j->err.offset = j->offset;
		return;
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct smsg *m = &j->m[i];
		const unsigned char *p = j->data.data + m->start, *end = j->data.data + m->end;
		const unsigned char *at = p;

		w->plan = m->plan;
		for (size_t c = 0; c < m->count; c++) {
			size_t mark = j->out.len;

			at = p; /* where the message starts: where the one before ended */
			p += m->pre;
			if ((j->rc = ak_datum_json(w, &p, end, &j->out, &j->err)) == AK_OK &&
			    (j->rc = ak_buf_reserve(&j->out, 1, &j->err)) == AK_OK) {
				j->out.data[j->out.len++] = '\n';
				j->done++;
				continue;
			}
			j->out.len = mark;
			j->err.record = j->index + j->done;
			j->err.offset = j->offset + (uint64_t)(at - j->data.data);
			return;
		}
		if (p != end) {
			/* the skip found another end: it checks less than decoding does */
			j->rc = ak_fail(&j->err, AK_E_FORMAT, "the datum ends %s the message",
					p < end ? "before the end of" : "past");
			j->err.record = j->index + j->done - 1;
			j->err.offset = j->offset + (uint64_t)(at - j->data.data);
			return;
		}
	}
}

static const struct ak_pipeline_ops job_ops = { run_job, job_worker_new, job_worker_free };

static int start_jobs(struct ak_stream_reader *r, unsigned threads, struct ak_error *err)
{
	void *ptrs[2 * 256];

	if (threads > 256)
		threads = 256;
	r->njobs = 2 * threads;
	if (!(r->jobs = calloc(r->njobs, sizeof(*r->jobs))))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < r->njobs; i++)
		ptrs[i] = &r->jobs[i];
	if (!(r->pipe = ak_pipeline_new(threads, ptrs, r->njobs, &job_ops, r, err))) {
		free_jobs(r);
		return err && err->code ? err->code : AK_E_NOMEM;
	}
	return AK_OK;
}

/*
 * Fill @j with the next messages, found by skipping their datums (which checks them), up to
 * r->job_bytes of input. AK_OK when the job is full, AK_EOF at the end of the input, or the error
 * of the message that could not be read; the messages before it are in @j either way.
 */
static int fill_job(struct ak_stream_reader *r, struct sjob *j, struct ak_error *err)
{
	struct consumer skip = { C_SKIP, NULL, NULL, NULL };
	int rc = AK_OK;

	j->n = 0;
	j->data.len = 0;
	j->index = r->index;
	j->offset = r->base + r->pos;
	while (j->data.len < r->job_bytes) {
		struct frame f;
		size_t size;

		if (fast_scan(r, j, r->job_bytes - j->data.len))
			continue;
		if ((rc = next_message(r, &skip, &f, &size, err)) != AK_OK)
			break;
		if ((rc = ak_buf_append(&j->data, r->b + r->pos, size, err)) != AK_OK)
			break;
		if (!add_msgs(j, r->ents[f.ent].plan, j->data.len - size, j->data.len, 1, f.datum)) {
			j->data.len -= size;
			rc = ak_fail(err, AK_E_NOMEM, "out of memory");
			break;
		}
		advance(r, &f, size);
		j->last = r->msg;
	}
	return rc;
}

/*
 * Decode the next messages to JSON on this thread, into @j, up to r->job_bytes of input: a job
 * that needs no worker. AK_OK when the job is full, AK_EOF at the end of the input, or the
 * error of the message that could not be read (its lines before it are in @j, and the error
 * in j->rc and j->err, so that it comes out in order).
 */
static int self_job(struct ak_stream_reader *r, struct sjob *j, struct ak_error *err)
{
	struct consumer c = { C_JSON, NULL, NULL, &j->out };
	uint64_t start = r->base + r->pos;
	int rc = AK_OK;

	j->self = 1;
	j->n = 0;
	j->done = 0;
	j->out.len = 0;
	j->rc = AK_OK;
	while (r->base + r->pos - start < r->job_bytes) {
		struct frame f;
		size_t size;
		uint64_t n = fast_json(r, &j->out, UINT64_MAX, SIZE_MAX,
				       (size_t)(r->job_bytes - (r->base + r->pos - start)));

		j->done += n;
		if (n)
			continue;
		if ((rc = next_message(r, &c, &f, &size, err)) != AK_OK)
			break;
		advance(r, &f, size);
		if ((rc = ak_buf_reserve(&j->out, 1, err)) != AK_OK)
			break;
		j->out.data[j->out.len++] = '\n';
		j->done++;
	}
	if (j->done)
		j->last = r->msg;
	if (rc < 0) {
		/* in order, after the lines before it */
		j->rc = rc;
		ak_error_copy(&j->err, err);
		return AK_EOF;
	}
	return rc;
}

/* Write out the lines of @j, done, and its error if it has one. */
static int emit_job(struct json_run *jr, struct sjob *j, struct ak_error *err)
{
	struct ak_stream_reader *r = jr->r;
	int rc;

	if ((rc = emit(jr, j->out.data, j->out.len, j->done, err)) == AK_OK && j->rc != AK_OK) {
		ak_error_copy(err, &j->err);
		rc = j->rc;
		r->sticky = rc;
		ak_error_copy(&r->serr, &j->err);
	}
	if (j->done)
		r->msg = j->last;
	ak_pipeline_release(r->pipe, j);
	return rc;
}

/*
 * The rest of the input on the threads, in order. Finding where bare datums end takes
 * decoding them (skipping, which is cheaper), on this thread; so this thread hands batches
 * to the workers while they have less than a batch each to do, and decodes the next batch
 * itself when they are busy, instead of finding work they cannot take yet. On a machine
 * whose cores are all busy that makes it little more work than one thread.
 */
static int to_json_threads(struct json_run *jr, struct ak_error *err)
{
	struct ak_stream_reader *r = jr->r;
	struct ak_error scan_err;
	unsigned finished = 0, handed = 0, threads = r->o.threads > 256 ? 256 : r->o.threads;
	int scan_rc = AK_OK, rc;

	if ((rc = start_jobs(r, threads, err)) != AK_OK)
		return rc;
	for (unsigned i = 0; i < r->njobs; i++)
		r->jobs[i].finished = &finished;
	for (;;) {
		struct sjob *j;

		/* out with what is done, without waiting */
		rc = AK_OK;
		while (rc == AK_OK && (j = ak_pipeline_oldest(r->pipe, 0)))
			rc = emit_job(jr, j, err);
		if (rc != AK_OK)
			break;
		if (scan_rc == AK_OK && (j = ak_pipeline_acquire(r->pipe))) {
			if (handed - __atomic_load_n(&finished, __ATOMIC_ACQUIRE) < threads) {
				j->self = 0;
				scan_rc = fill_job(r, j, &scan_err);
				if (j->n) {
					handed++;
					ak_pipeline_submit(r->pipe, j);
				}
			} else {
				scan_rc = self_job(r, j, &scan_err);
				if (j->done || j->rc != AK_OK)
					ak_pipeline_submit(r->pipe, j);
			}
			continue;
		}
		/* the ring is full, or the input done: wait for the oldest */
		if (!(j = ak_pipeline_oldest(r->pipe, 1)))
			break;
		if ((rc = emit_job(jr, j, err)) != AK_OK)
			break;
	}
	free_jobs(r);
	if (rc != AK_OK)
		return rc;
	if (scan_rc != AK_EOF) {
		ak_error_copy(err, &scan_err);
		return scan_rc;
	}
	return AK_OK;
}

AK_API int ak_stream_to_json(struct ak_stream_reader *r, uint64_t limit, ak_write_fn write,
			     void *wctx, ak_progress_fn progress, void *pctx,
			     struct ak_error *err)
{
	struct json_run jr = { r, write, wctx, progress, pctx, 0, 0, 0, 0, AK_BUF_INIT };
	struct consumer c = { C_JSON, NULL, NULL, &jr.out };
	uint64_t done = 0;
	int rc = AK_OK, threads, wrc;
	struct ak_error werr;

	if (!r || !write)
		return ak_fail(err, AK_E_ARG, "no reader or no write callback");
	jr.start = r->base + r->pos;
	/* threads only where reading never waits, and without a limit (the messages after it
	 * stay for the next call) */
	threads = r->o.threads > 1 && !r->can_wait && limit == AK_NO_POS;
	r->before_read = flush_before_read;
	r->before_ctx = &jr;
	while (done < limit) {
		struct frame f;
		size_t size;
		uint64_t n;

		if (threads && r->base + r->pos - jr.start >= r->threads_after) {
			if ((rc = emit_pending(&jr, err)) == AK_OK)
				rc = to_json_threads(&jr, err);
			if (rc == AK_OK)
				rc = AK_EOF;
			break;
		}
		n = fast_json(r, &jr.out, limit - done, OUT_CHUNK, SIZE_MAX);
		jr.pending += n;
		done += n;
		if (jr.out.len >= OUT_CHUNK && (rc = emit_pending(&jr, err)) != AK_OK)
			break;
		if (n || done == limit)
			continue;
		if ((rc = next_message(r, &c, &f, &size, err)) != AK_OK)
			break;
		advance(r, &f, size);
		if ((rc = ak_buf_reserve(&jr.out, 1, err)) != AK_OK)
			break;
		jr.out.data[jr.out.len++] = '\n';
		jr.pending++;
		done++;
	}
	r->before_read = NULL;
	/* the records before an error are written too (unless writing was what failed) */
	if (!jr.write_failed && (wrc = emit_pending(&jr, &werr)) != AK_OK) {
		ak_error_copy(err, &werr);
		rc = wrc;
	}
	ak_buf_release(&jr.out);
	if (rc == AK_EOF)
		return AK_OK; /* the input ended */
	if (rc == AK_OK)
		return AK_EOF; /* the limit was reached */
	return rc;
}

/* ==== writing ==== */

struct ak_stream_writer {
	const struct ak_schema *schema;
	struct ak_stream_opts o;
	unsigned char hdr[AK_FRAME_HEADER_MAX];
	size_t hsize;
	struct ak_plan *plan;
	struct ak_encoder *enc;
	int fd;
	ak_write_fn write;
	void *wctx;
	struct ak_buf out;
	struct ak_buf tmp;
	uint64_t count;
	int failed;
	struct ak_error ferr;
};

static int fd_write(void *ctx, const void *p, size_t n)
{
	struct ak_sink sink;

	ak_fd_sink_init(&sink, ctx);
	return sink.write(sink.ctx, p, n);
}

static struct ak_stream_writer *writer_new(ak_write_fn write, void *ctx,
					   const struct ak_schema *s,
					   const struct ak_stream_opts *o, struct ak_error *err)
{
	struct ak_stream_writer *w;
	struct ak_encoder_opts eo;
	uint64_t key;

	if (!s || !write) {
		ak_fail(err, AK_E_ARG, "no schema or no write callback");
		return NULL;
	}
	if (o && check_opts(o, err) != AK_OK)
		return NULL;
	if (!(w = calloc(1, sizeof(*w)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	if (o)
		w->o = *o;
	else
		ak_stream_opts_init(&w->o);
	if (!w->o.max_depth)
		w->o.max_depth = AK_DATA_MAX_DEPTH;
	w->schema = s;
	w->write = write;
	w->wctx = ctx;
	w->hsize = header_size(w->o.framing);
	if (w->o.framing == AK_FRAMING_SINGLE_OBJECT) {
		if (crc64_of(s, &key, err) != AK_OK)
			goto fail;
		memcpy(w->hdr, SINGLE_OBJECT_MAGIC, 2);
		for (int i = 0; i < 8; i++)
			w->hdr[2 + i] = (unsigned char)(key >> (8 * i));
	} else if (w->o.framing == AK_FRAMING_CONFLUENT) {
		if (w->o.schema_id < 0 || w->o.schema_id > (int64_t)UINT32_MAX) {
			ak_fail(err, AK_E_ARG, w->o.schema_id < 0 ? "Confluent's wire format needs "
				"the schema's id" : "schema id %" PRId64 " is out of range (0 to "
				"4294967295)", w->o.schema_id);
			goto fail;
		}
		key = (uint64_t)w->o.schema_id;
		w->hdr[0] = 0;
		for (int i = 0; i < 4; i++)
			w->hdr[1 + i] = (unsigned char)(key >> (8 * (3 - i)));
	}
	if (!(w->plan = ak_plan_new(s, err)))
		goto fail;
	ak_encoder_opts_init(&eo);
	eo.max_depth = w->o.max_depth;
	if (!(w->enc = ak_encoder_new(s, &eo, err)))
		goto fail;
	return w;
fail:
	ak_stream_writer_free(w);
	return NULL;
}

AK_API struct ak_stream_writer *ak_stream_writer_open_fd(int fd, const struct ak_schema *s,
							 const struct ak_stream_opts *o,
							 struct ak_error *err)
{
	struct ak_stream_writer *w = writer_new(fd_write, NULL, s, o, err);

	if (w) {
		w->fd = fd;
		w->wctx = &w->fd;
	}
	return w;
}

AK_API struct ak_stream_writer *ak_stream_writer_open_callbacks(ak_write_fn write, void *ctx,
								const struct ak_schema *s,
								const struct ak_stream_opts *o,
								struct ak_error *err)
{
	return writer_new(write, ctx, s, o, err);
}

AK_API void ak_stream_writer_free(struct ak_stream_writer *w)
{
	if (!w)
		return;
	ak_encoder_free(w->enc);
	ak_plan_free(w->plan);
	ak_buf_release(&w->out);
	ak_buf_release(&w->tmp);
	free(w);
}

AK_API struct ak_encoder *ak_stream_writer_encoder(struct ak_stream_writer *w)
{
	return w ? w->enc : NULL;
}

AK_API uint64_t ak_stream_writer_count(const struct ak_stream_writer *w)
{
	return w ? w->count : 0;
}

static int failed(struct ak_stream_writer *w, struct ak_error *err)
{
	ak_error_copy(err, &w->ferr);
	return w->ferr.code;
}

AK_API int ak_stream_writer_flush(struct ak_stream_writer *w, struct ak_error *err)
{
	if (!w)
		return ak_fail(err, AK_E_ARG, "no writer");
	if (w->failed)
		return failed(w, err);
	if (w->out.len && w->write(w->wctx, w->out.data, w->out.len) != 0) {
		w->failed = 1;
		ak_fail_write(&w->ferr, errno);
		return failed(w, err);
	}
	w->out.len = 0;
	return AK_OK;
}

/* Frame the @len bytes of a datum as the next message. */
static int frame(struct ak_stream_writer *w, const void *datum, size_t len, struct ak_error *err)
{
	uint64_t total = (uint64_t)w->hsize + len;
	unsigned char pre[PREFIX_MAX];
	size_t n = 0;
	int rc;

	if (w->failed)
		return failed(w, err);
	switch (w->o.length_prefix) {
	case AK_LENGTH_4BE:
		if (total > UINT32_MAX)
			return ak_fail(err, AK_E_LIMIT, "a message of %" PRIu64 " bytes does not fit "
				       "a 4-byte length", total);
		for (int i = 0; i < 4; i++)
			pre[n++] = (unsigned char)(total >> (8 * (3 - i)));
		break;
	case AK_LENGTH_VARINT:
		n = ak_varint_encode(pre, (int64_t)total);
		break;
	case AK_LENGTH_UVARINT:
		for (uint64_t u = total;; u >>= 7) {
			pre[n++] = (unsigned char)((u & 0x7f) | (u >= 0x80 ? 0x80 : 0));
			if (u < 0x80)
				break;
		}
		break;
	}
	if ((rc = ak_buf_reserve(&w->out, n + w->hsize + len, err)) != AK_OK)
		return rc;
	memcpy(w->out.data + w->out.len, pre, n);
	memcpy(w->out.data + w->out.len + n, w->hdr, w->hsize);
	if (len)
		memcpy(w->out.data + w->out.len + n + w->hsize, datum, len);
	w->out.len += n + w->hsize + len;
	w->count++;
	if (w->out.len >= OUT_CHUNK)
		return ak_stream_writer_flush(w, err);
	return AK_OK;
}

AK_API int ak_stream_writer_commit(struct ak_stream_writer *w, struct ak_error *err)
{
	const void *data;
	size_t len;
	int rc;

	if (!w)
		return ak_fail(err, AK_E_ARG, "no writer");
	if ((rc = ak_encoder_datum(w->enc, &data, &len, err)) == AK_OK &&
	    ak_encoder_count(w->enc) != 1)
		rc = ak_fail(err, AK_E_STATE, ak_encoder_count(w->enc) ? "the encoder holds "
			     "several datums: commit each one" : "the encoder holds no datum");
	if (rc == AK_OK)
		rc = frame(w, data, len, err);
	ak_encoder_reset(w->enc);
	return rc;
}

AK_API int ak_stream_writer_append(struct ak_stream_writer *w, const void *datum, size_t len,
				   struct ak_error *err)
{
	const unsigned char *p = datum ? datum : (const void *)"";
	int rc;

	if (!w || (!datum && len))
		return ak_fail(err, AK_E_ARG, "no writer or no datum");
	if ((rc = ak_datum_skip(w->plan, &p, p + len, w->o.max_depth, err)) != AK_OK)
		return rc;
	if (p != (const unsigned char *)datum + len)
		return ak_fail(err, AK_E_FORMAT, "%zu bytes left over after the datum",
			       (size_t)((const unsigned char *)datum + len - p));
	return frame(w, datum, len, err);
}

/* Every JSON value of @j as a message (the elements of one array with @array). */
static int json_messages(struct ak_stream_writer *w, struct ak_json_encoder *enc,
			 struct ak_json_in *j, int array, ak_progress_fn progress, void *pctx,
			 struct ak_error *err)
{
	uint64_t next = w->count + 4096;
	struct ak_json_seq seq;
	int rc;

	ak_json_seq_init(&seq, j, array);
	while ((rc = ak_json_seq_next(&seq, err)) == AK_OK) {
		w->tmp.len = 0;
		if ((rc = ak_json_encode(enc, j, &w->tmp, err)) == AK_EOF)
			break;
		if (rc != AK_OK)
			return rc;
		if ((rc = frame(w, w->tmp.data, w->tmp.len, err)) != AK_OK)
			return rc;
		if (progress && w->count >= next) {
			next = w->count + 4096;
			if (progress(pctx, w->count, j->consumed + (uint64_t)(j->p - j->buf)) != 0)
				return ak_fail(err, AK_E_CALLBACK, "stopped by the progress callback");
		}
	}
	return rc == AK_EOF ? AK_OK : rc;
}

AK_API int ak_stream_writer_write_json(struct ak_stream_writer *w, ak_read_fn read, void *ctx,
				       unsigned json_flags, ak_progress_fn progress, void *pctx,
				       struct ak_error *err)
{
	struct ak_source src = { read, NULL, ctx };
	struct ak_json_encoder *enc;
	struct ak_json_in j;
	int rc;

	if (!w || !read)
		return ak_fail(err, AK_E_ARG, "no writer or no read callback");
	if (!(enc = ak_json_encoder_new(w->plan, ak_encode_flags_of(json_flags), err)))
		return err && err->code ? err->code : AK_E_NOMEM;
	if ((rc = ak_json_in_init(&j, &src, err)) == AK_OK) {
		rc = json_messages(w, enc, &j, (json_flags & AK_JSON_ARRAY) != 0, progress, pctx,
				   err);
		if (rc == AK_OK && progress && progress(pctx, w->count, j.consumed +
							(uint64_t)(j.p - j.buf)) != 0)
			rc = ak_fail(err, AK_E_CALLBACK, "stopped by the progress callback");
		ak_json_in_release(&j);
	}
	ak_json_encoder_free(enc);
	return rc;
}
