/* SPDX-License-Identifier: Apache-2.0 */
/*
 * schemaless_reader() and schemaless_writer() in C. They are called once per datum, often
 * millions of times with the same schema, so the Python-level work of one call (argument
 * handling, finding the compiled schema, the file object's position) is what costs: here a
 * call finds its decoder or encoder in a small cache keyed by the identity of the schema
 * objects (the objects are held, so an identity is never reused while cached), reads a
 * BytesIO's buffer in place and moves its position once. Everything else (other file
 * objects, first sight of a schema) goes to the Python functions in read.py and write.py.
 *
 * An io.BytesIO is read without calling its methods where that is safe: tell(),
 * getbuffer(), the view's release() and seek() were half of what a call on a small record
 * cost (callgrind: bench/python/RESULTS.md). CPython's BytesIO keeps its bytes object,
 * position and size right after the object header (Modules/_io/bytesio.c); that layout is
 * not public, so bytesio_probe() checks it on a probe object when the package starts, and
 * the methods are used when it does not match.
 */
#include "_ext.h"

#include <string.h>

#define CACHE 16

struct entry {
	PyObject *a, *b;     /* the schema objects (held), b may be NULL */
	int flags;           /* the options, folded */
	PyObject *errors;    /* handle_unicode_errors (decoders) */
	PyObject *obj;       /* the Decoder or Encoder */
	unsigned long long used;
};

static struct entry rcache[CACHE], wcache[CACHE];
static unsigned long long tick;
static PyObject *BytesIO_type, *slow_reader, *slow_writer, *make_decoder, *make_encoder;
static PyObject *s_getbuffer, *s_tell, *s_seek, *s_write, *s_release;

/* The start of CPython's BytesIO object (3.5 and later). */
struct bytesio_head {
	PyObject_HEAD
	PyObject *buf;          /* a bytes object holding the data; NULL once closed */
	Py_ssize_t pos;
	Py_ssize_t string_size; /* the data are buf's first string_size bytes */
};

static int bytesio_direct; /* the layout above was found on a probe object */

/* Whether a BytesIO looks as struct bytesio_head says while its methods move it. */
static int bytesio_probe(void)
{
	PyObject *data = NULL, *bio = NULL, *r = NULL;
	struct bytesio_head *h;
	int ok = 0;

	if (((PyTypeObject *)BytesIO_type)->tp_basicsize < (Py_ssize_t)sizeof(*h) ||
	    !(data = PyBytes_FromString("0123456789abcdef")) ||
	    !(bio = PyObject_CallOneArg(BytesIO_type, data)))
		goto out;
	h = (struct bytesio_head *)bio;
	/* BytesIO(bytes) keeps the very object it was given */
	if (h->buf != data || h->pos != 0 || h->string_size != 16)
		goto out;
	if (!(r = PyObject_CallMethod(bio, "seek", "n", (Py_ssize_t)5)) || h->pos != 5)
		goto out;
	Py_CLEAR(r);
	if (!(r = PyObject_CallMethod(bio, "read", "n", (Py_ssize_t)3)) || h->pos != 8 ||
	    !PyBytes_Check(r) || memcmp(PyBytes_AS_STRING(r), "567", 3) != 0)
		goto out;
	Py_CLEAR(r);
	h->pos = 11;
	if (!(r = PyObject_CallMethodNoArgs(bio, s_tell)) || PyLong_AsSsize_t(r) != 11)
		goto out;
	Py_CLEAR(r);
	if (!(r = PyObject_CallMethod(bio, "close", NULL)) || h->buf != NULL)
		goto out;
	ok = 1;
out:
	Py_XDECREF(r);
	Py_XDECREF(bio);
	Py_XDECREF(data);
	PyErr_Clear();
	return ok;
}

/* Decode a datum from an open BytesIO @bio in place, moving its position past it. */
static PyObject *bytesio_decode(PyObject *dec, PyObject *bio)
{
	struct bytesio_head *h = (struct bytesio_head *)bio;
	PyObject *buf = h->buf, *res;
	Py_ssize_t at = h->pos, size = h->string_size;
	size_t used = 0;

	if (at > size)
		at = size; /* a position beyond the end reads nothing, as read() does */
	/* decoding may run Python code (logical types), and so other threads: the bytes
	 * object is held, as a getbuffer() view would hold it */
	Py_INCREF(buf);
	res = akpy_decode_buffer(dec, PyBytes_AS_STRING(buf) + at, (size_t)(size - at), &used);
	Py_DECREF(buf);
	if (res)
		h->pos = at + (Py_ssize_t)used;
	return res;
}

static PyObject *cache_find(struct entry *c, PyObject *a, PyObject *b, int flags,
			    PyObject *errors)
{
	for (int i = 0; i < CACHE; i++)
		if (c[i].obj && c[i].a == a && c[i].b == b && c[i].flags == flags &&
		    (c[i].errors == errors ||
		     (c[i].errors && errors && PyUnicode_Compare(c[i].errors, errors) == 0))) {
			c[i].used = ++tick;
			return c[i].obj;
		}
	return NULL;
}

static void cache_put(struct entry *c, PyObject *a, PyObject *b, int flags, PyObject *errors,
		      PyObject *obj)
{
	int victim = 0;

	for (int i = 1; i < CACHE; i++)
		if (!c[i].obj || c[i].used < c[victim].used)
			victim = i;
	Py_XDECREF(c[victim].a);
	Py_XDECREF(c[victim].b);
	Py_XDECREF(c[victim].errors);
	Py_XDECREF(c[victim].obj);
	Py_INCREF(a);
	Py_XINCREF(b);
	Py_XINCREF(errors);
	Py_INCREF(obj);
	c[victim] = (struct entry){ a, b, flags, errors, obj, ++tick };
}

/* fastavro's argument list, positional or by keyword, into @out (borrowed, NULL when not
 * given). */
static int parse(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
		 const char *const *names, int n, int required, PyObject **out, const char *fn)
{
	if (nargs > n)
		return PyErr_Format(PyExc_TypeError, "%s() takes at most %d arguments", fn, n),
		       -1;
	for (int i = 0; i < n; i++)
		out[i] = i < nargs ? args[i] : NULL;
	if (kwnames) {
		for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kwnames); k++) {
			PyObject *name = PyTuple_GET_ITEM(kwnames, k);
			int found = 0;

			for (int i = 0; i < n; i++)
				if (PyUnicode_CompareWithASCIIString(name, names[i]) == 0) {
					if (out[i]) {
						PyErr_Format(PyExc_TypeError, "%s() got multiple "
							     "values for argument '%s'", fn,
							     names[i]);
						return -1;
					}
					out[i] = args[nargs + k];
					found = 1;
				}
			if (!found) {
				PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword "
					     "argument '%U'", fn, name);
				return -1;
			}
		}
	}
	for (int i = 0; i < required; i++)
		if (!out[i]) {
			PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fn,
				     names[i]);
			return -1;
		}
	return 0;
}

static int truth(PyObject *o)
{
	return o ? PyObject_IsTrue(o) : 0;
}

/* Call the Python version with the same arguments. */
static PyObject *forward(PyObject *fn, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
	return PyObject_Vectorcall(fn, args, nargsf, kwnames);
}

static const char *const reader_args[] = {
	"fo", "writer_schema", "reader_schema", "return_record_name",
	"return_record_name_override", "handle_unicode_errors", "return_named_type",
	"return_named_type_override",
};

static PyObject *fast_schemaless_reader(PyObject *self, PyObject *const *args, size_t nargsf,
					PyObject *kwnames)
{
	PyObject *a[8], *dec, *view = NULL, *pos = NULL, *r = NULL, *res;
	Py_ssize_t nargs = PyVectorcall_NARGS(nargsf), at, used;
	int flags;

	(void)self;
	if (parse(args, nargs, kwnames, reader_args, 8, 2, a, "schemaless_reader") != 0)
		return NULL;
	if (!BytesIO_type || Py_TYPE(a[0]) != (PyTypeObject *)BytesIO_type)
		return forward(slow_reader, args, nargsf, kwnames);
	if (a[2] == Py_None)
		a[2] = NULL;
	flags = truth(a[3]) | truth(a[4]) << 1 | truth(a[6]) << 2 | truth(a[7]) << 3;
	/* handle_unicode_errors: NULL stands for the default, "strict" */
	if (a[5] == Py_None || (a[5] && PyUnicode_Check(a[5]) &&
				PyUnicode_CompareWithASCIIString(a[5], "strict") == 0))
		a[5] = NULL;
	if (!(dec = cache_find(rcache, a[1], a[2], flags, a[5]))) {
		/* first sight: the Python side checks and compiles, and its result is kept */
		return forward(slow_reader, args, nargsf, kwnames);
	}
	if (bytesio_direct && ((struct bytesio_head *)a[0])->buf &&
	    PyBytes_CheckExact(((struct bytesio_head *)a[0])->buf))
		return bytesio_decode(dec, a[0]); /* (a closed one: the methods raise) */
	if (!(pos = PyObject_CallMethodNoArgs(a[0], s_tell)) ||
	    (at = PyLong_AsSsize_t(pos)) < 0 ||
	    !(view = PyObject_CallMethodNoArgs(a[0], s_getbuffer)))
		goto out;
	{
		Py_buffer pb;
		size_t u = 0;
		PyObject *rel;

		if (PyObject_GetBuffer(view, &pb, PyBUF_SIMPLE) != 0)
			goto out;
		res = at <= pb.len ? akpy_decode_buffer(dec, (const char *)pb.buf + at,
							(size_t)(pb.len - at), &u)
				   : PyErr_Format(PyExc_ValueError, "position beyond the buffer");
		PyBuffer_Release(&pb);
		if (res) {
			rel = PyObject_CallMethodNoArgs(view, s_release);
			if (!rel)
				Py_CLEAR(res);
		} else {
			/* the decoding error stays the one raised; the view is released anyway */
			PyObject *et, *ev, *tb;

			PyErr_Fetch(&et, &ev, &tb);
			rel = PyObject_CallMethodNoArgs(view, s_release);
			PyErr_Restore(et, ev, tb);
		}
		Py_XDECREF(rel);
		used = (Py_ssize_t)u;
	}
	if (!res)
		goto out;
	{
		PyObject *np = PyLong_FromSsize_t(at + used), *s;

		s = np ? PyObject_CallMethodOneArg(a[0], s_seek, np) : NULL;
		Py_XDECREF(np);
		if (s) {
			Py_DECREF(s);
			r = res;
			res = NULL;
		}
	}
	Py_XDECREF(res);
out:
	Py_XDECREF(pos);
	Py_XDECREF(view);
	return r;
}

static const char *const writer_args[] = {
	"fo", "schema", "record", "strict", "strict_allow_default", "disable_tuple_notation",
};

static PyObject *fast_schemaless_writer(PyObject *self, PyObject *const *args, size_t nargsf,
					PyObject *kwnames)
{
	PyObject *a[6], *enc, *data, *w;
	Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
	int flags;

	(void)self;
	if (parse(args, nargs, kwnames, writer_args, 6, 3, a, "schemaless_writer") != 0)
		return NULL;
	if (nargs > 3) /* fastavro takes the options by keyword only */
		return forward(slow_writer, args, nargsf, kwnames);
	flags = truth(a[3]) | truth(a[4]) << 1 | truth(a[5]) << 2;
	if (!(enc = cache_find(wcache, a[1], NULL, flags, NULL)))
		return forward(slow_writer, args, nargsf, kwnames);
	if (!(data = akpy_encode_object(enc, a[2])))
		return NULL;
	w = PyObject_CallMethodOneArg(a[0], s_write, data);
	Py_DECREF(data);
	if (!w)
		return NULL;
	Py_DECREF(w);
	Py_RETURN_NONE;
}

/* The Python side tells what it made, to be found next time. */
static PyObject *fast_remember(PyObject *self, PyObject *args)
{
	PyObject *kind, *a, *b, *errors, *obj;
	int flags;

	(void)self;
	if (!PyArg_ParseTuple(args, "UOOiOO", &kind, &a, &b, &flags, &errors, &obj))
		return NULL;
	if (b == Py_None)
		b = NULL;
	if (errors == Py_None || (PyUnicode_Check(errors) &&
				  PyUnicode_CompareWithASCIIString(errors, "strict") == 0))
		errors = NULL;
	if (PyUnicode_CompareWithASCIIString(kind, "reader") == 0)
		cache_put(rcache, a, b, flags, errors, obj);
	else
		cache_put(wcache, a, NULL, flags, NULL, obj);
	Py_RETURN_NONE;
}

/* The Python functions for what the fast paths do not handle. */
static PyObject *fast_setup(PyObject *self, PyObject *args)
{
	(void)self;
	if (!PyArg_ParseTuple(args, "OOO", &BytesIO_type, &slow_reader, &slow_writer))
		return NULL;
	Py_INCREF(BytesIO_type);
	Py_INCREF(slow_reader);
	Py_INCREF(slow_writer);
	bytesio_direct = PyType_Check(BytesIO_type) && bytesio_probe();
	Py_RETURN_NONE;
}

static PyObject *fast_bytesio_direct(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyBool_FromLong(bytesio_direct);
}

static PyMethodDef fast_methods[] = {
	{ "schemaless_reader", (PyCFunction)(void (*)(void))fast_schemaless_reader,
	  METH_FASTCALL | METH_KEYWORDS,
	  "schemaless_reader($module, fo, writer_schema, reader_schema=None,\n"
	  "    return_record_name=False, return_record_name_override=False,\n"
	  "    handle_unicode_errors='strict', return_named_type=False,\n"
	  "    return_named_type_override=False)\n--\n\n"
	  "Read one datum written with writer_schema, without header or framing, from the\n"
	  "binary file object fo, as fastavro's schemaless_reader does, and leave fo just after\n"
	  "it. With reader_schema the datum is resolved to it (SchemaResolutionError when it\n"
	  "cannot read writer_schema's data). return_record_name gives (name, record) tuples for\n"
	  "records in unions (_override: only where a union has several records);\n"
	  "return_named_type does the same for every named type. handle_unicode_errors is the\n"
	  "errors argument of decoding strings.\n\n"
	  "avrokit: data that ends too soon raises AvroEOFError (an AvroError and an EOFError),\n"
	  "corrupt data AvroError (a ValueError) naming the field. handle_unicode_errors is\n"
	  "checked at the call. A schema object is compiled once and kept (see the schema\n"
	  "caches in the user's guide): change a schema by making a new object. From an\n"
	  "io.BytesIO the datum is decoded in place; another seekable file is read in pieces of\n"
	  "64 KiB and sought back to the datum's end; a stream that cannot seek (or an object\n"
	  "with read() alone) is read no further than the datum: from what peek() has\n"
	  "buffered when the datum is all there, else each length before what it counts." },
	{ "schemaless_writer", (PyCFunction)(void (*)(void))fast_schemaless_writer,
	  METH_FASTCALL | METH_KEYWORDS,
	  "schemaless_writer($module, fo, schema, record, *, strict=False,\n"
	  "    strict_allow_default=False, disable_tuple_notation=False)\n--\n\n"
	  "Write record as one datum of schema, without header or framing, to the binary file\n"
	  "object fo, as fastavro's schemaless_writer does. strict refuses a record with a field\n"
	  "the schema does not have or without one it has; strict_allow_default lets fields\n"
	  "with a default be left out; disable_tuple_notation makes a (name, value) tuple an\n"
	  "ordinary value rather than the union branch named.\n\n"
	  "avrokit: values are checked as they are written (an int field takes an int in\n"
	  "range, not a float or a bool); a value of the wrong Python type raises AvroTypeError\n"
	  "(an AvroError and a TypeError), a bad value AvroError (a ValueError), both naming the\n"
	  "field. The datum is written with one fo.write() call. A schema object is compiled\n"
	  "once and kept: change a schema by making a new object." },
	{ "_remember", fast_remember, METH_VARARGS, NULL },
	{ "_setup_fast", fast_setup, METH_VARARGS, NULL },
	{ "_bytesio_direct", fast_bytesio_direct, METH_NOARGS,
	  "Whether schemaless_reader reads an io.BytesIO in place (its layout was recognised)." },
	{ NULL, NULL, 0, NULL },
};

int akpy_fast_types(PyObject *m)
{
	(void)make_decoder;
	(void)make_encoder;
	if (!(s_getbuffer = PyUnicode_InternFromString("getbuffer")) ||
	    !(s_tell = PyUnicode_InternFromString("tell")) ||
	    !(s_seek = PyUnicode_InternFromString("seek")) ||
	    !(s_write = PyUnicode_InternFromString("write")) ||
	    !(s_release = PyUnicode_InternFromString("release")))
		return -1;
	return PyModule_AddFunctions(m, fast_methods);
}
