/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An "ideal reader" for bench/python/ideal.py: the least work any Avro reader can do to give
 * the benchmark's records to CPython as dicts. It knows the two schemas of bench.py by heart,
 * trusts its input (no bounds checks, no container framing, no iterator protocol: one call
 * builds the whole list), inflates deflate blocks with libdeflate, and makes each value with
 * the one CPython call a reader must make (PyUnicode_DecodeUTF8, PyLong_FromLongLong,
 * PyDict_New, PyDict_SetItem with interned keys). What it costs is CPython's part of reading;
 * a real reader can only add to it. decode() is the same for bench.py's schemaless decoding:
 * one call a datum from an io.BytesIO, read in place (the layout _fast.c checks before it
 * relies on it; here it is trusted). Not part of avrokit: a measuring stick.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>

static PyObject *k_field, *k_user[5], *k_addr[5];

static int64_t get_long(const unsigned char **p)
{
	uint64_t v = 0;
	int shift = 0;
	unsigned char b;

	do {
		b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static PyObject *get_string(const unsigned char **p)
{
	int64_t n = get_long(p);
	PyObject *s = PyUnicode_DecodeUTF8((const char *)*p, (Py_ssize_t)n, NULL);

	*p += n;
	return s;
}

/* Set d[k] = v, taking v's reference; -1 (with the error) when v is NULL or it fails. */
static int put(PyObject *d, PyObject *k, PyObject *v)
{
	int rc;

	if (!v)
		return -1;
	rc = PyDict_SetItem(d, k, v);
	Py_DECREF(v);
	return rc;
}

static PyObject *record(const unsigned char **p, int big)
{
	PyObject *d = PyDict_New(), *a;
	int ok;

	if (!d)
		return NULL;
	if (!big) {
		ok = put(d, k_field, get_string(p)) == 0;
	} else {
		ok = put(d, k_user[0], get_string(p)) == 0 &&
		     put(d, k_user[1], PyLong_FromLongLong(get_long(p))) == 0 &&
		     put(d, k_user[2], get_string(p)) == 0 && put(d, k_user[3], get_string(p)) == 0;
		if (ok && (ok = (a = PyDict_New()) != NULL)) {
			for (int i = 0; ok && i < 5; i++)
				ok = put(a, k_addr[i], get_string(p)) == 0;
			ok = put(d, k_user[4], a) == 0 && ok;
		}
	}
	if (!ok)
		Py_CLEAR(d);
	return d;
}

/*
 * read(blocks, big, deflate, pause) -> list of dicts. blocks: a list of (count, bytes), each
 * the records of one container block (raw deflate data with deflate). pause: the garbage
 * collector off while each batch of at most 1024 records of a block is built, then on, and
 * one new container object made, as a reader's next call makes some: the collector runs then
 * if the batch's objects call for it (without that it would never run, which no reader can
 * arrange between calls).
 */
static PyObject *ideal_read(PyObject *self, PyObject *args)
{
	static struct libdeflate_decompressor *z;
	static unsigned char *out;
	static size_t cap;
	PyObject *blocks, *list;
	int big, deflate, pause;

	(void)self;
	if (!PyArg_ParseTuple(args, "O!ppp", &PyList_Type, &blocks, &big, &deflate, &pause))
		return NULL;
	if (deflate && !z && !(z = libdeflate_alloc_decompressor()))
		return PyErr_NoMemory();
	if (!(list = PyList_New(0)))
		return NULL;
	for (Py_ssize_t i = 0; i < PyList_GET_SIZE(blocks); i++) {
		PyObject *t = PyList_GET_ITEM(blocks, i), *data;
		long count;
		const unsigned char *p;

		if (!PyArg_ParseTuple(t, "lS", &count, &data))
			goto fail;
		p = (const unsigned char *)PyBytes_AS_STRING(data);
		if (deflate) {
			size_t got = 0;
			enum libdeflate_result rc;

			if (!cap && !(out = malloc(cap = (size_t)64 << 20)))
				goto fail;
			Py_BEGIN_ALLOW_THREADS
			rc = libdeflate_deflate_decompress(z, p, (size_t)PyBytes_GET_SIZE(data), out,
							   cap, &got);
			Py_END_ALLOW_THREADS
			if (rc != LIBDEFLATE_SUCCESS) {
				PyErr_SetString(PyExc_ValueError, "bad deflate block");
				goto fail;
			}
			p = out;
		}
		for (long done = 0; done < count;) {
			long n = count - done < 1024 ? count - done : 1024;
			int was_on = pause ? PyGC_Disable() : 0;
			int ok = 1;

			for (long j = 0; ok && j < n; j++) {
				PyObject *r = record(&p, big);

				ok = r && PyList_Append(list, r) == 0;
				Py_XDECREF(r);
			}
			if (was_on) {
				PyObject *o;

				PyGC_Enable();
				o = PyTuple_New(32); /* no free list at this size: a new object */
				Py_XDECREF(o);
			}
			if (!ok)
				goto fail;
			done += n;
		}
	}
	return list;
fail:
	Py_DECREF(list);
	return NULL;
}

/* The start of CPython's io.BytesIO object, as _fast.c reads it. */
struct bytesio_head {
	PyObject_HEAD
	PyObject *buf;
	Py_ssize_t pos;
	Py_ssize_t string_size;
};

/* decode(bytesio, big) -> dict: one datum from the BytesIO's position, which moves past it. */
static PyObject *ideal_decode(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	struct bytesio_head *h;
	const unsigned char *start, *p;
	PyObject *d;

	(void)self;
	(void)nargs;
	h = (struct bytesio_head *)args[0];
	start = p = (const unsigned char *)PyBytes_AS_STRING(h->buf) + h->pos;
	d = record(&p, args[1] == Py_True);
	if (d)
		h->pos += p - start;
	return d;
}

static PyMethodDef methods[] = {
	{ "read", ideal_read, METH_VARARGS, "read(blocks, big, deflate, pause) -> list of dicts" },
	{ "decode", (PyCFunction)(void (*)(void))ideal_decode, METH_FASTCALL,
	  "decode(bytesio, big) -> dict" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_ideal", "The ideal reader of bench/python/ideal.py.", -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ideal(void)
{
	static const char *const user[] = { "username", "age", "phone", "housenum", "address" };
	static const char *const addr[] = { "street", "city", "state_prov", "country", "zip" };

	if (!(k_field = PyUnicode_InternFromString("field")))
		return NULL;
	for (int i = 0; i < 5; i++)
		if (!(k_user[i] = PyUnicode_InternFromString(user[i])) ||
		    !(k_addr[i] = PyUnicode_InternFromString(addr[i])))
			return NULL;
	return PyModule_Create(&module);
}
