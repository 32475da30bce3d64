/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Messages of one datum each (libavrokit's ak_stream_reader and ak_stream_writer), for
 * avrokit.datums: StreamReader decodes the messages of a bytes-like object or a binary file
 * object straight into Python objects (the builder of _read.c), each with its writer schema
 * found by fingerprint or id, once per message; StreamWriter frames datums (already encoded
 * by an Encoder) into a file object or into bytes it hands back. The framing is parsed and
 * written by the library, not here.
 */
#include "_ext.h"

#include <errno.h>
#include <string.h>

static const char *const framings[] = { "none", "single-object", "confluent", NULL };
static const char *const prefixes[] = { "none", "4be", "varint", "uvarint", NULL };

/* The index of @name in @names (NULL or None: 0), or -1 with ValueError. */
static int pick(PyObject *name, const char *const *names, const char *what)
{
	const char *s;

	if (!name || name == Py_None)
		return 0;
	if (!(s = PyUnicode_AsUTF8(name)))
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	PyErr_Format(PyExc_ValueError, "unknown %s %R", what, name);
	return -1;
}

/* ---- StreamReader ---- */

typedef struct {
	PyObject_HEAD
	struct ak_stream_reader *r;
	PyObject *schemas;      /* list of the Schema objects the reader borrows */
	AkSchema *reader;       /* the reader schema, or NULL */
	PyObject *lookup;       /* callable(framing, key) -> Schema or None, or NULL */
	unsigned framing;
	struct akpy_read_opts opts;
	char *errors;
	struct builder *b;
	PyObject *fo_readinto;  /* the input file object's readinto1(), or NULL */
	PyObject *fo_read;      /* else its read1() or read(), or NULL */
	PyObject *data;         /* the input bytes-like object, or NULL */
	Py_buffer view;
	int busy;
} AkStreamReader;

static void release_input(AkStreamReader *self)
{
	if (self->data) {
		PyBuffer_Release(&self->view);
		Py_CLEAR(self->data);
	}
	Py_CLEAR(self->fo_readinto);
	Py_CLEAR(self->fo_read);
}

static void sreader_dealloc(AkStreamReader *self)
{
	ak_stream_reader_free(self->r);
	release_input(self);
	akpy_builder_free(self->b);
	Py_XDECREF(self->schemas);
	Py_XDECREF((PyObject *)self->reader);
	Py_XDECREF(self->lookup);
	PyMem_Free(self->errors);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The library's lookup callback: the Python callable's answer, kept alive by the reader. */
static const struct ak_schema *sreader_lookup(void *ctx, unsigned framing, uint64_t key)
{
	AkStreamReader *self = ctx;
	PyObject *r;

	if (PyErr_Occurred())
		return NULL;
	if (!(r = PyObject_CallFunction(self->lookup, "sK", framings[framing],
					(unsigned long long)key)))
		return NULL; /* the exception is raised after the read */
	if (r == Py_None) {
		Py_DECREF(r);
		return NULL;
	}
	if (!PyObject_TypeCheck(r, &AkSchema_Type)) {
		PyErr_Format(PyExc_TypeError, "the schema lookup must return a Schema or None, not "
			     "%.100s", Py_TYPE(r)->tp_name);
		Py_DECREF(r);
		return NULL;
	}
	if (PyList_Append(self->schemas, r) != 0) {
		Py_DECREF(r);
		return NULL;
	}
	Py_DECREF(r);
	return ((AkSchema *)r)->s;
}

static int sreader_init(AkStreamReader *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "framing", "length_prefix", "reader_schema", "lookup",
				  "return_record_name", "return_record_name_override",
				  "return_named_type", "return_named_type_override",
				  "handle_unicode_errors", NULL };
	PyObject *framing = NULL, *prefix = NULL, *reader = Py_None, *lookup = Py_None;
	PyObject *errors = NULL;
	int rrn = 0, rrno = 0, rnt = 0, rnto = 0, f, p;
	struct ak_stream_opts o;
	struct ak_error err;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|OOOOppppO", kwlist, &framing, &prefix,
					 &reader, &lookup, &rrn, &rrno, &rnt, &rnto, &errors))
		return -1;
	if (self->r) {
		PyErr_SetString(PyExc_RuntimeError, "StreamReader is already initialized");
		return -1;
	}
	if ((f = pick(framing, framings, "framing")) < 0 ||
	    (p = pick(prefix, prefixes, "length prefix")) < 0)
		return -1;
	if (reader != Py_None && !PyObject_TypeCheck(reader, &AkSchema_Type)) {
		PyErr_SetString(PyExc_TypeError, "reader_schema must be a Schema or None");
		return -1;
	}
	if (lookup != Py_None && !PyCallable_Check(lookup)) {
		PyErr_SetString(PyExc_TypeError, "lookup must be callable or None");
		return -1;
	}
	if (akpy_read_opts_parse(&self->opts, errors, rrn, rrno, rnt, rnto, &self->errors) != 0)
		return -1;
	if (!(self->schemas = PyList_New(0)) || !(self->b = akpy_builder_new()))
		return -1;
	if (reader != Py_None) {
		Py_INCREF(reader);
		self->reader = (AkSchema *)reader;
		akpy_builder_use(self->b, self->reader, &self->opts, 1);
	}
	self->framing = (unsigned)f;
	ak_stream_opts_init(&o);
	o.framing = (unsigned)f;
	o.length_prefix = (unsigned)p;
	o.reader_schema = self->reader ? self->reader->s : NULL;
	o.resolve_flags = AK_RESOLVE_LAZY; /* what cannot be read fails where it is */
	if (lookup != Py_None) {
		Py_INCREF(lookup);
		self->lookup = lookup;
		o.lookup = sreader_lookup;
		o.lookup_ctx = self;
	}
	ak_error_clear(&err);
	if (!(self->r = ak_stream_reader_new(&o, &err))) {
		akpy_raise(&err, NULL);
		return -1;
	}
	return 0;
}

static int ready(AkStreamReader *self)
{
	if (!self->r) {
		PyErr_SetString(PyExc_RuntimeError, "StreamReader is not initialized");
		return -1;
	}
	if (self->busy) {
		PyErr_SetString(PyExc_RuntimeError, "this object is in use by another thread: use "
				"one per thread");
		return -1;
	}
	return 0;
}

static PyObject *sreader_add_schema(AkStreamReader *self, PyObject *args)
{
	PyObject *schema;
	long long id = -1;
	struct ak_error err;

	if (!PyArg_ParseTuple(args, "O!|L", &AkSchema_Type, &schema, &id) || ready(self) != 0)
		return NULL;
	ak_error_clear(&err);
	if (ak_stream_reader_add_schema(self->r, ((AkSchema *)schema)->s, (int64_t)id, &err) !=
	    AK_OK) {
		PyErr_SetString(PyExc_ValueError, err.msg);
		return NULL;
	}
	if (PyList_Append(self->schemas, schema) != 0)
		return NULL;
	if (self->framing == AK_FRAMING_NONE && !self->reader)
		akpy_builder_use(self->b, (AkSchema *)schema, &self->opts, 0); /* the only one */
	Py_RETURN_NONE;
}

static PyObject *sreader_set_bytes(AkStreamReader *self, PyObject *data)
{
	struct ak_error err;

	if (ready(self) != 0)
		return NULL;
	release_input(self);
	if (PyObject_GetBuffer(data, &self->view, PyBUF_SIMPLE) != 0)
		return NULL;
	Py_INCREF(data);
	self->data = data;
	ak_error_clear(&err);
	if (ak_stream_reader_set_memory(self->r, self->view.buf, (size_t)self->view.len, &err) !=
	    AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

/* The read callback: the file object's readinto1(), read1() or read(). */
static ssize_t sreader_read(void *ctx, void *buf, size_t n)
{
	AkStreamReader *self = ctx;

	return akpy_read_file(self->fo_readinto, self->fo_read, buf, n);
}

static PyObject *sreader_set_file(AkStreamReader *self, PyObject *fo)
{
	struct ak_error err;

	if (ready(self) != 0)
		return NULL;
	release_input(self);
	/* read1() gives what there is, read() waits for all it asks for: a stream that
	 * arrives a message at a time is read a message at a time with read1(). readinto1()
	 * is read1() into the reader's buffer, without a bytes object made and copied each
	 * time. (readinto() is not taken for read(): io.RawIOBase's raises, and a subclass
	 * that defines read() alone is a file object too.) */
	if (!(self->fo_readinto = PyObject_GetAttrString(fo, "readinto1"))) {
		PyErr_Clear();
		if (!(self->fo_read = PyObject_GetAttrString(fo, "read1"))) {
			PyErr_Clear();
			if (!(self->fo_read = PyObject_GetAttr(fo, akpy.str_read)))
				return NULL;
		}
	}
	ak_error_clear(&err);
	if (ak_stream_reader_set_callbacks(self->r, sreader_read, self, &err) != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

/* The Schema object of the library schema @s. */
static AkSchema *schema_of(AkStreamReader *self, const struct ak_schema *s)
{
	for (Py_ssize_t i = PyList_GET_SIZE(self->schemas); i-- > 0;) {
		AkSchema *o = (AkSchema *)PyList_GET_ITEM(self->schemas, i);

		if (o->s == s)
			return o;
	}
	return NULL;
}

static PyObject *sreader_next(AkStreamReader *self)
{
	struct ak_error err;
	PyObject *v;
	int rc = AK_OK;

	if (ready(self) != 0)
		return NULL;
	self->busy = 1;
	ak_error_clear(&err);
	if (!self->reader && self->framing != AK_FRAMING_NONE) {
		/* the values come in the message's writer schema: which one, before they come */
		AkSchema *s;

		if ((rc = ak_stream_peek(self->r, &err)) == AK_OK) {
			if (!(s = schema_of(self, ak_stream_reader_message(self->r)->schema))) {
				self->busy = 0;
				PyErr_SetString(PyExc_RuntimeError, "a schema the reader does not hold");
				return NULL;
			}
			akpy_builder_use(self->b, s, &self->opts, 0);
		}
	}
	if (rc == AK_OK) {
		const struct ak_visitor *vis = akpy_builder_ready(self->b);

		if (!vis) {
			self->busy = 0;
			return NULL;
		}
		rc = ak_stream_read(self->r, vis, self->b, &err);
	}
	self->busy = 0;
	if (rc == AK_EOF)
		return NULL; /* StopIteration (or the exception a callback raised) */
	v = akpy_builder_take(self->b, rc, &err);
	return v;
}

static PyObject *sreader_get_message(AkStreamReader *self, void *closure)
{
	const struct ak_message *m;
	AkSchema *s;

	(void)closure;
	if (!self->r || !(m = ak_stream_reader_message(self->r)))
		Py_RETURN_NONE;
	s = schema_of(self, m->schema);
	return Py_BuildValue("(KKKKO)", (unsigned long long)m->index,
			     (unsigned long long)m->offset, (unsigned long long)m->size,
			     (unsigned long long)m->key, s ? (PyObject *)s : Py_None);
}

static PyObject *self_iter(PyObject *self)
{
	Py_INCREF(self);
	return self;
}

static PyMethodDef sreader_methods[] = {
	{ "add_schema", (PyCFunction)sreader_add_schema, METH_VARARGS,
	  "add_schema(schema, id=-1)\n\nA writer schema: the one of bare datums, one found by "
	  "its fingerprint, or the one of Confluent's id (-1: of every other id)." },
	{ "set_bytes", (PyCFunction)sreader_set_bytes, METH_O,
	  "set_bytes(data)\n\nRead the messages of a bytes-like object from now on." },
	{ "set_file", (PyCFunction)sreader_set_file, METH_O,
	  "set_file(fo)\n\nRead the messages of a binary file object from now on." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef sreader_getset[] = {
	{ "message", (getter)sreader_get_message, NULL,
	  "(index, offset, size, key, schema) of the message read last, or None", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject AkStreamReader_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.StreamReader",
	.tp_basicsize = sizeof(AkStreamReader),
	.tp_dealloc = (destructor)sreader_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "StreamReader(framing='none', length_prefix='none', reader_schema=None, "
		  "lookup=None, ...)\n\nThe values of messages of one datum each.",
	.tp_iter = self_iter,
	.tp_iternext = (iternextfunc)sreader_next,
	.tp_methods = sreader_methods,
	.tp_getset = sreader_getset,
	.tp_init = (initproc)sreader_init,
	.tp_new = PyType_GenericNew,
};

/* ---- StreamWriter ---- */

typedef struct {
	PyObject_HEAD
	struct ak_stream_writer *w;
	AkSchema *schema;
	PyObject *fo_write;     /* the output's write(), or NULL: the bytes are kept */
	int lend;               /* fo_write may be lent a view (akpy_lends_to()) */
	PyObject *kept;         /* bytearray of the bytes kept */
} AkStreamWriter;

static void swriter_dealloc(AkStreamWriter *self)
{
	ak_stream_writer_free(self->w);
	Py_XDECREF((PyObject *)self->schema);
	Py_XDECREF(self->fo_write);
	Py_XDECREF(self->kept);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int swriter_write(void *ctx, const void *p, size_t n)
{
	AkStreamWriter *self = ctx;

	if (PyErr_Occurred())
		goto fail;
	if (!self->fo_write) {
		Py_ssize_t len = PyByteArray_GET_SIZE(self->kept);

		if (PyByteArray_Resize(self->kept, len + (Py_ssize_t)n) != 0)
			goto fail;
		memcpy(PyByteArray_AS_STRING(self->kept) + len, p, n);
		return 0;
	}
	return akpy_write_file(self->fo_write, self->lend, p, n);
fail:
	errno = EIO;
	return -1;
}

static int swriter_init(AkStreamWriter *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fo", "schema", "framing", "length_prefix", "schema_id", NULL };
	PyObject *fo, *schema, *framing = NULL, *prefix = NULL;
	long long id = -1;
	int f, p;
	struct ak_stream_opts o;
	struct ak_error err;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO!|OOL", kwlist, &fo, &AkSchema_Type,
					 &schema, &framing, &prefix, &id))
		return -1;
	if (self->w) {
		PyErr_SetString(PyExc_RuntimeError, "StreamWriter is already initialized");
		return -1;
	}
	if ((f = pick(framing, framings, "framing")) < 0 ||
	    (p = pick(prefix, prefixes, "length prefix")) < 0)
		return -1;
	if (fo != Py_None && !(self->fo_write = PyObject_GetAttr(fo, akpy.str_write)))
		return -1;
	self->lend = fo != Py_None && akpy_lends_to(fo);
	if (!(self->kept = PyByteArray_FromStringAndSize(NULL, 0)))
		return -1;
	Py_INCREF(schema);
	self->schema = (AkSchema *)schema;
	ak_stream_opts_init(&o);
	o.framing = (unsigned)f;
	o.length_prefix = (unsigned)p;
	o.schema_id = (int64_t)id;
	ak_error_clear(&err);
	if (!(self->w = ak_stream_writer_open_callbacks(swriter_write, self, self->schema->s, &o,
							&err))) {
		PyErr_SetString(PyExc_ValueError, err.msg);
		return -1;
	}
	return 0;
}

static PyObject *swriter_append(AkStreamWriter *self, PyObject *datum)
{
	Py_buffer view;
	struct ak_error err;
	int rc;

	if (!self->w) {
		PyErr_SetString(PyExc_RuntimeError, "StreamWriter is not initialized");
		return NULL;
	}
	if (PyObject_GetBuffer(datum, &view, PyBUF_SIMPLE) != 0)
		return NULL;
	ak_error_clear(&err);
	rc = ak_stream_writer_append(self->w, view.buf, (size_t)view.len, &err);
	PyBuffer_Release(&view);
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

static PyObject *swriter_flush(AkStreamWriter *self, PyObject *unused)
{
	struct ak_error err;

	(void)unused;
	if (!self->w) {
		PyErr_SetString(PyExc_RuntimeError, "StreamWriter is not initialized");
		return NULL;
	}
	ak_error_clear(&err);
	if (ak_stream_writer_flush(self->w, &err) != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

/* The bytes written since the last take (when there is no file object), flushed first. */
static PyObject *swriter_take(AkStreamWriter *self, PyObject *unused)
{
	PyObject *r;

	if (!swriter_flush(self, unused))
		return NULL;
	Py_DECREF(Py_None);
	r = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(self->kept),
				      PyByteArray_GET_SIZE(self->kept));
	if (r && PyByteArray_Resize(self->kept, 0) != 0)
		Py_CLEAR(r);
	return r;
}

static PyObject *swriter_get_count(AkStreamWriter *self, void *closure)
{
	(void)closure;
	return PyLong_FromUnsignedLongLong(self->w ? ak_stream_writer_count(self->w) : 0);
}

static PyMethodDef swriter_methods[] = {
	{ "append", (PyCFunction)swriter_append, METH_O,
	  "append(datum)\n\nFrame a datum already encoded with the schema as the next message." },
	{ "flush", (PyCFunction)swriter_flush, METH_NOARGS,
	  "flush()\n\nWrite out the messages buffered." },
	{ "take", (PyCFunction)swriter_take, METH_NOARGS,
	  "take() -> bytes\n\nThe messages framed since the last take (without a file object)." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef swriter_getset[] = {
	{ "count", (getter)swriter_get_count, NULL, "messages framed so far", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject AkStreamWriter_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.StreamWriter",
	.tp_basicsize = sizeof(AkStreamWriter),
	.tp_dealloc = (destructor)swriter_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "StreamWriter(fo, schema, framing='none', length_prefix='none', schema_id=-1)"
		  "\n\nFrames encoded datums as messages, into fo (or kept, with fo None).",
	.tp_methods = swriter_methods,
	.tp_getset = swriter_getset,
	.tp_init = (initproc)swriter_init,
	.tp_new = PyType_GenericNew,
};

int akpy_stream_types(PyObject *m)
{
	if (PyType_Ready(&AkStreamReader_Type) < 0 || PyType_Ready(&AkStreamWriter_Type) < 0)
		return -1;
	Py_INCREF(&AkStreamReader_Type);
	if (PyModule_AddObject(m, "StreamReader", (PyObject *)&AkStreamReader_Type) != 0)
		return -1;
	Py_INCREF(&AkStreamWriter_Type);
	if (PyModule_AddObject(m, "StreamWriter", (PyObject *)&AkStreamWriter_Type) != 0)
		return -1;
	return 0;
}
