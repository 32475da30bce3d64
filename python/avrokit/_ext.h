/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avrokit._ext: the C extension behind the avrokit Python package. It uses libavrokit's
 * public header only (avrokit.h), as any other binding would: schemas are parsed by the
 * library, data is decoded through a visitor that builds Python objects directly (no JSON in
 * between), and Python objects are encoded through the library's encoder.
 *
 *   _ext.c    module, exceptions, the Schema type (a parsed schema and per-type caches)
 *   _read.c   the visitor that builds objects, Reader (container files), Decoder (datums)
 *   _write.c  objects into the encoder, Writer (container files), Encoder (datums)
 *   _infer.c  Inferrer (a schema from objects), Random (random datums for a schema)
 *   _stream.c StreamReader and StreamWriter: messages of one datum each (avrokit.datums)
 */
#ifndef AK_PY_EXT_H
#define AK_PY_EXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>


#include "avrokit.h"

/* ---- module state (one interpreter; the module is not used by sub-interpreters) ---- */

struct ak_py {
	PyObject *AvroError;             /* ValueError subclass: bad data, the base */
	PyObject *AvroTypeError;         /* AvroError and TypeError: a value of the wrong type */
	PyObject *AvroEOFError;          /* AvroError and EOFError: data cut short */
	PyObject *SchemaResolutionError; /* fastavro's, for reader schemas that do not fit */
	PyObject *SchemaParseError;      /* fastavro's SchemaParseException */
	PyObject *UnknownSchemaError;    /* AvroError: a message's fingerprint or id is unknown */
	PyObject *Decimal, *UUID, *utc;  /* decimal.Decimal, uuid.UUID, timezone.utc */
	PyObject *str_read, *str_readinto, *str_write, *str_items, *str_type_key;
	PyObject *empty_tuple;
	PyObject *mktime;                /* time.mktime, for naive timestamps (fastavro's rule) */
	PyObject *Mapping;               /* collections.abc.Mapping */
	PyObject *Integral, *Real;       /* numbers.Integral, numbers.Real: numpy's numbers */
	PyObject *raw_readinto;          /* io.RawIOBase.readinto, which raises
					  * NotImplementedError: a subclass may define read() alone */
	PyObject *io_copying;            /* tuple of the io types whose write() is done with its
					  * argument when it returns (BytesIO, FileIO, Buffered*) */
	/* The logical-type registries (avrokit.read.LOGICAL_READERS, avrokit.write.
	 * LOGICAL_WRITERS): 0 while both hold their defaults, else bumped by every change
	 * (_ext._logical_changed()), so that readers and writers look again. */
	unsigned long logical_version;
	PyObject *hook_table;            /* avrokit._logical.hook_table, once set */
};

extern struct ak_py akpy;

/* Raise the Python exception for @err (AvroError or a subclass chosen by the code), unless
 * a Python exception is already set (a callback raised it). Returns NULL. */
PyObject *akpy_raise(const struct ak_error *err, const char *prefix);

/* ---- Schema: a parsed schema and what the binding keeps per type ---- */

struct akpy_node {
	PyObject *name;      /* named types: the full name (str) */
	PyObject *keys;      /* record: tuple of field names (interned str) */
	PyObject *symbols;   /* enum: tuple of symbols (str) */
	PyObject *symbol_index; /* enum: dict symbol -> index (int) */
	PyObject *defaults;  /* record: tuple, per field its default as a Python value, or NULL
			      * (made when first needed: the writer fills missing fields) */
	int has_null;        /* union: index of its null branch, or -1 */
	int nrecords;        /* union: record branches; named: named branches */
	int nnamed;
};

typedef struct {
	PyObject_HEAD
	struct ak_schema *s;
	PyObject *json;          /* the JSON text it was parsed from (str) */
	size_t nnodes;
	struct akpy_node *nodes; /* by ak_node_id() */
	PyObject *hooks[2];      /* akpy_hooks()'s answer for reading [0], writing [1] */
	unsigned long hooks_version[2];
} AkSchema;

extern PyTypeObject AkSchema_Type;

/* The per-type data of node @n of @s. */
static inline struct akpy_node *akpy_node(AkSchema *s, const struct ak_node *n)
{
	return &s->nodes[ak_node_id(n)];
}

/*
 * The functions registered for the logical types of @s's nodes, where they differ from the
 * built-in conversions (@writing: LOGICAL_WRITERS, else LOGICAL_READERS): *@hooks is set to
 * a borrowed tuple by node id, each item None (the built-in conversion) or (function,
 * the node's schema as a dict), the function None where the registry has none (the value
 * stays as decoded or given); or to NULL when no node has one (the registries unchanged, the
 * fast and usual case). Returns 0, or -1 with an exception. Kept in @s until the next change.
 */
int akpy_hooks(AkSchema *s, int writing, PyObject **hooks);

/* ---- reading ---- */

/* Options of fastavro's readers. */
struct akpy_read_opts {
	int return_record_name, return_record_name_override;
	int return_named_type, return_named_type_override;
	const char *unicode_errors; /* handle_unicode_errors: "strict", "ignore", "replace" */
};

PyMODINIT_FUNC PyInit__ext(void);
int akpy_read_types(PyObject *m);
int akpy_fast_types(PyObject *m);
/* One datum of @len bytes at @buf through the Decoder @dec: the value, *@used set; or NULL. */
PyObject *akpy_decode_buffer(PyObject *dec, const void *buf, size_t len, size_t *used);
/* @datum through the Encoder @enc: its bytes, or NULL. */
PyObject *akpy_encode_object(PyObject *enc, PyObject *datum);
int akpy_write_types(PyObject *m);
int akpy_infer_types(PyObject *m); /* _infer.c: Inferrer, Random */
int akpy_stream_types(PyObject *m);

/* The builder of _read.c (Python objects from a visitor), for _stream.c: made empty, told the
 * schema the values come in (the reader schema, @resolving, or the message's writer schema)
 * and the options; before each value akpy_builder_ready() gives the visitor to hand to the
 * library with the builder as the context (NULL with an exception: a logical-type hook table
 * could not be made); then akpy_builder_take() is the value (or NULL with the exception for
 * @err set). */
struct builder;
struct builder *akpy_builder_new(void);
void akpy_builder_free(struct builder *b);
void akpy_builder_use(struct builder *b, AkSchema *s, const struct akpy_read_opts *o,
		      int resolving);
const struct ak_visitor *akpy_builder_ready(struct builder *b);
PyObject *akpy_builder_take(struct builder *b, int rc, const struct ak_error *err);
/* fastavro's reading options, as the readers take them; *@owned is freed by the caller. */
int akpy_read_opts_parse(struct akpy_read_opts *o, PyObject *unicode_errors, int rrn,
			 int rrno, int rnt, int rnto, char **owned);

/*
 * Read up to @n bytes of a Python binary file object into @buf: the body of the extension's
 * libavrokit read callbacks (ak_read_fn). @readinto is the object's bound readinto() or
 * readinto1(), called with a writable memoryview of @buf; when it is NULL, @read is its bound
 * read() or read1(), called with @n and its bytes-like answer copied. Takes the GIL itself
 * (PyGILState_Ensure), so the caller may hold it or not.
 *
 * Returns the count read, 0 at the end of the input. Otherwise -1 with errno = EIO and a
 * Python exception set: the method's own; BlockingIOError for None (a non-blocking object
 * with nothing to read now, which is not the end); TypeError for an answer that is not an
 * int (readinto) or not bytes-like (read); OSError for a count below 0 or above @n, or more
 * than @n bytes, its message naming the method ("read1() returned more than asked for").
 * With an exception already pending (an earlier call failed) it returns -1 (EIO) without
 * calling Python, so that the first exception is the one raised.
 */
ssize_t akpy_read_file(PyObject *readinto, PyObject *read, void *buf, size_t n);

/*
 * Write @n bytes of @buf to a Python file object through its bound write(), the body of the
 * extension's libavrokit write callbacks (ak_write_fn). Takes the GIL itself. With @lend
 * (akpy_lends_to() of the object) write() is given a memoryview of @buf, else bytes of its
 * own, which it may keep. write() may take less than it was given, as a raw file's does: an
 * int below the size means the rest goes to another call; 0 or less is an OSError; anything
 * else (None, the size, more) means all of it. Returns 0, or -1 with errno = EIO and a
 * Python exception set; with one already pending it calls no Python and returns -1.
 */
int akpy_write_file(PyObject *write, int lend, const void *buf, size_t n);
/* Whether @fo is one of the io module's own BytesIO and files (exact types), whose write()
 * is done with what it is given when it returns, so that it may be lent a view. */
int akpy_lends_to(PyObject *fo);

/* The union @u's branch @i is returned as a (name, value) tuple under @o. */
int akpy_wrap_branch(AkSchema *s, const struct ak_node *u, uint32_t i,
		     const struct akpy_read_opts *o);

#endif /* AK_PY_EXT_H */
