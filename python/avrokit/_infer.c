/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema inference and random data for the Python package. Inferrer walks Python values and
 * hands them to libavrokit's inferer as calls (ak_infer_null() ... ak_infer_end_array()), with
 * no JSON in between, so that the kinds JSON lacks keep their types: bytes, Decimal, date,
 * time, datetime (aware: timestamp-micros; naive: local-timestamp-micros) and UUID. What has
 * no Avro type is refused with AvroTypeError (a TypeError), what has none exactly with
 * AvroError (a ValueError), each naming the value's place. Random makes datums with
 * ak_random_next(); the package decodes them with the Decoder type, into what a reader gives.
 */
#include "_ext.h"

#include <datetime.h>

#include <stdarg.h>
#include <string.h>

/* ---- where a value is, for messages: a chain on the C stack ---- */

struct seg {
	const struct seg *up;
	PyObject *key;    /* a dict key (str), or NULL for a list index */
	Py_ssize_t index;
};

/* "$.a.b[3]", or $["a-b"] for keys that are not identifiers, into a new str. */
static PyObject *seg_path(const struct seg *at)
{
	PyObject *parts = PyList_New(0), *s = NULL, *sep = NULL;

	if (!parts)
		return NULL;
	for (; at; at = at->up) {
		PyObject *p;

		if (!at->key)
			p = PyUnicode_FromFormat("[%zd]", at->index);
		else if (PyUnicode_IsIdentifier(at->key))
			p = PyUnicode_FromFormat(".%U", at->key);
		else
			p = PyUnicode_FromFormat("[%R]", at->key);
		if (!p || PyList_Insert(parts, 0, p) != 0) {
			Py_XDECREF(p);
			goto out;
		}
		Py_DECREF(p);
	}
	if ((sep = PyUnicode_FromString("")))
		s = PyUnicode_Join(sep, parts);
out:
	Py_XDECREF(sep);
	Py_DECREF(parts);
	return s;
}

/* Raise @cls with "record N: $PATH: " and the message. Returns -1. */
static int refuse(PyObject *cls, uint64_t record, const struct seg *at, const char *fmt, ...)
{
	PyObject *path = seg_path(at), *msg;
	va_list ap;

	if (!path)
		return -1;
	va_start(ap, fmt);
	msg = PyUnicode_FromFormatV(fmt, ap);
	va_end(ap);
	if (msg)
		PyErr_Format(cls, "record %llu: $%U: %U", (unsigned long long)record, path, msg);
	Py_XDECREF(msg);
	Py_DECREF(path);
	return -1;
}

/* ---- Inferrer ---- */

typedef struct {
	PyObject_HEAD
	struct ak_infer *inf;
	int broken; /* a value failed part way in: the inferer holds part of it */
	int busy;
} AkInferrer;

/* A status from the inferer: 0, or -1 with the exception raised (AvroError and kin). */
static int check(AkInferrer *self, int rc, struct ak_error *err, const struct seg *at)
{
	PyObject *path;
	char prefix[64];

	if (rc == AK_OK)
		return 0;
	if (PyErr_Occurred())
		return -1;
	if (!(path = seg_path(at)))
		return -1;
	snprintf(prefix, sizeof(prefix), "record %llu",
		 (unsigned long long)ak_infer_count(self->inf));
	{
		PyObject *p = PyUnicode_FromFormat("%s: $%U", prefix, path);
		const char *cp = p ? PyUnicode_AsUTF8(p) : NULL;

		if (cp)
			akpy_raise(err, cp);
		Py_XDECREF(p);
	}
	Py_DECREF(path);
	return -1;
}

static int walk(AkInferrer *self, PyObject *v, const struct seg *at, struct ak_error *err);

/* A key of a dict, then its value. */
static int walk_member(AkInferrer *self, PyObject *k, PyObject *v, const struct seg *at,
		       struct ak_error *err)
{
	struct seg here = { at, k, 0 };
	Py_ssize_t n;
	const char *s;

	if (!PyUnicode_Check(k))
		return refuse(akpy.AvroTypeError, ak_infer_count(self->inf), at,
			      "a key of type %s: Avro's field names and map keys are str",
			      Py_TYPE(k)->tp_name);
	if (!(s = PyUnicode_AsUTF8AndSize(k, &n)))
		return -1;
	if (check(self, ak_infer_key(self->inf, s, (size_t)n, err), err, &here))
		return -1;
	return walk(self, v, &here, err);
}

static int walk_dict(AkInferrer *self, PyObject *v, const struct seg *at, struct ak_error *err)
{
	Py_ssize_t pos = 0;
	PyObject *k, *val;

	if (check(self, ak_infer_begin_object(self->inf, err), err, at))
		return -1;
	while (PyDict_Next(v, &pos, &k, &val)) {
		int rc;

		Py_INCREF(k);
		Py_INCREF(val);
		rc = walk_member(self, k, val, at, err);
		Py_DECREF(k);
		Py_DECREF(val);
		if (rc)
			return -1;
	}
	return check(self, ak_infer_end_object(self->inf, err), err, at);
}

/* Any other Mapping, through its items(). */
static int walk_mapping(AkInferrer *self, PyObject *v, const struct seg *at,
			struct ak_error *err)
{
	PyObject *items = PyMapping_Items(v);
	int rc = 0;

	if (!items || check(self, ak_infer_begin_object(self->inf, err), err, at)) {
		Py_XDECREF(items);
		return -1;
	}
	for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(items); i++) {
		PyObject *kv = PyList_GET_ITEM(items, i);

		if (!PyTuple_Check(kv) || PyTuple_GET_SIZE(kv) != 2) {
			PyErr_SetString(PyExc_TypeError, "items() must give (key, value) pairs");
			rc = -1;
			break;
		}
		rc = walk_member(self, PyTuple_GET_ITEM(kv, 0), PyTuple_GET_ITEM(kv, 1), at, err);
	}
	Py_DECREF(items);
	if (rc)
		return -1;
	return check(self, ak_infer_end_object(self->inf, err), err, at);
}

static int walk_list(AkInferrer *self, PyObject *v, const struct seg *at, struct ak_error *err)
{
	if (check(self, ak_infer_begin_array(self->inf, err), err, at))
		return -1;
	/* the size each time: nothing here runs Python code, but a Mapping's items() may */
	for (Py_ssize_t i = 0; i < PyList_GET_SIZE(v); i++) {
		struct seg here = { at, NULL, i };
		PyObject *item = PyList_GET_ITEM(v, i);
		int rc;

		Py_INCREF(item);
		rc = walk(self, item, &here, err);
		Py_DECREF(item);
		if (rc)
			return -1;
	}
	return check(self, ak_infer_end_array(self->inf, err), err, at);
}

/* A Decimal: its digits in all and after the point (Avro's precision and scale). */
static int walk_decimal(AkInferrer *self, PyObject *v, const struct seg *at,
			struct ak_error *err)
{
	PyObject *t = PyObject_CallMethod(v, "as_tuple", NULL), *digits, *exp;
	long long e;
	Py_ssize_t n;
	int overflow;
	unsigned long long precision, scale;

	if (!t)
		return -1;
	if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3) {
		Py_DECREF(t);
		PyErr_SetString(PyExc_TypeError, "Decimal.as_tuple() gave no (sign, digits, exponent)");
		return -1;
	}
	digits = PyTuple_GET_ITEM(t, 1);
	exp = PyTuple_GET_ITEM(t, 2);
	if (!PyLong_Check(exp)) {
		Py_DECREF(t);
		return refuse(akpy.AvroError, ak_infer_count(self->inf), at,
			      "Decimal %R has no Avro type (a decimal is a finite number)", v);
	}
	e = PyLong_AsLongLongAndOverflow(exp, &overflow);
	n = PyTuple_Check(digits) ? PyTuple_GET_SIZE(digits) : 0;
	Py_DECREF(t);
	if (overflow || e > 2000000 || e < -2000000)
		return refuse(akpy.AvroError, ak_infer_count(self->inf), at,
			      "Decimal %R needs too many digits", v);
	/* value = digits * 10^e: e >= 0 has n + e digits and no fraction; e < 0 has -e after the
	 * point, and at least as many in all */
	if (e >= 0) {
		precision = (unsigned long long)n + (unsigned long long)e;
		scale = 0;
	} else {
		scale = (unsigned long long)-e;
		precision = (unsigned long long)n > scale ? (unsigned long long)n : scale;
	}
	if (precision > UINT32_MAX)
		precision = UINT32_MAX;
	return check(self, ak_infer_decimal(self->inf, (uint32_t)precision, (uint32_t)scale, err),
		     err, at);
}

static int walk(AkInferrer *self, PyObject *v, const struct seg *at, struct ak_error *err)
{
	struct ak_infer *inf = self->inf;
	int rc;

	if (v == Py_None)
		return check(self, ak_infer_null(inf, err), err, at);
	if (PyBool_Check(v))
		return check(self, ak_infer_boolean(inf, v == Py_True, err), err, at);
	if (PyLong_Check(v)) {
		int overflow;
		long long x = PyLong_AsLongLongAndOverflow(v, &overflow);

		if (overflow)
			return refuse(akpy.AvroError, ak_infer_count(inf), at,
				      "the int %R does not fit in 64 bits (Avro's long)", v);
		if (x == -1 && PyErr_Occurred())
			return -1;
		return check(self, ak_infer_long(inf, x, err), err, at);
	}
	if (PyFloat_Check(v))
		return check(self, ak_infer_double(inf, PyFloat_AS_DOUBLE(v), err), err, at);
	if (PyUnicode_Check(v)) {
		Py_ssize_t n;
		const char *s = PyUnicode_AsUTF8AndSize(v, &n);

		if (!s)
			return -1;
		return check(self, ak_infer_string(inf, s, (size_t)n, err), err, at);
	}
	if (PyDict_Check(v))
		return walk_dict(self, v, at, err);
	if (PyList_Check(v))
		return walk_list(self, v, at, err);
	if (PyBytes_Check(v))
		return check(self, ak_infer_bytes(inf, PyBytes_AS_STRING(v),
						  (size_t)PyBytes_GET_SIZE(v), err), err, at);
	if (PyByteArray_Check(v))
		return check(self, ak_infer_bytes(inf, PyByteArray_AS_STRING(v),
						  (size_t)PyByteArray_GET_SIZE(v), err), err, at);
	/* datetime before date: a datetime is a date too */
	if (PyDateTime_Check(v))
		return check(self, ak_infer_logical(inf, PyDateTime_DATE_GET_TZINFO(v) != Py_None
						    ? AK_LT_TIMESTAMP_MICROS
						    : AK_LT_LOCAL_TIMESTAMP_MICROS, err), err, at);
	if (PyDate_Check(v))
		return check(self, ak_infer_logical(inf, AK_LT_DATE, err), err, at);
	if (PyTime_Check(v)) {
		if (PyDateTime_TIME_GET_TZINFO(v) != Py_None)
			return refuse(akpy.AvroError, ak_infer_count(inf), at,
				      "a datetime.time with a tzinfo has no Avro type (time-micros "
				      "has no zone)");
		return check(self, ak_infer_logical(inf, AK_LT_TIME_MICROS, err), err, at);
	}
	if ((rc = PyObject_IsInstance(v, akpy.UUID)) != 0)
		return rc < 0 ? -1 : check(self, ak_infer_logical(inf, AK_LT_UUID, err), err, at);
	if ((rc = PyObject_IsInstance(v, akpy.Decimal)) != 0)
		return rc < 0 ? -1 : walk_decimal(self, v, at, err);
	if (PyTuple_Check(v))
		return refuse(akpy.AvroTypeError, ak_infer_count(inf), at,
			      "a tuple: use a list for an array (writers read a 2-tuple in a union "
			      "as (branch name, value))");
	if ((rc = PyObject_IsInstance(v, akpy.Mapping)) != 0)
		return rc < 0 ? -1 : walk_mapping(self, v, at, err);
	/* numpy's numbers, as the writers take them: an integer as the int it equals, another
	 * real number as a double */
	if ((rc = PyObject_IsInstance(v, akpy.Integral)) != 0) {
		PyObject *i = rc < 0 ? NULL : PyNumber_Index(v);

		if (!i)
			return -1;
		rc = walk(self, i, at, err);
		Py_DECREF(i);
		return rc;
	}
	if ((rc = PyObject_IsInstance(v, akpy.Real)) != 0) {
		double d = rc < 0 ? -1.0 : PyFloat_AsDouble(v);

		if (d == -1.0 && PyErr_Occurred())
			return -1;
		return check(self, ak_infer_double(inf, d, err), err, at);
	}
	return refuse(akpy.AvroTypeError, ak_infer_count(inf), at,
		      "a value of type %s has no Avro type", Py_TYPE(v)->tp_name);
}

static void inferrer_dealloc(AkInferrer *self)
{
	ak_infer_free(self->inf);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int inferrer_init(AkInferrer *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "name", "namespace", "logical", "max_fields", NULL };
	const char *name = "Record", *space = NULL;
	int logical = 0;
	Py_ssize_t max_fields = 1000;
	struct ak_infer_opts o;
	struct ak_error err;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|zzpn", kwlist, &name, &space, &logical,
					 &max_fields))
		return -1;
	if (self->inf) {
		PyErr_SetString(PyExc_RuntimeError, "Inferrer is already initialized");
		return -1;
	}
	if (max_fields < 1) {
		PyErr_Format(PyExc_ValueError, "max_fields must be 1 or more, not %zd", max_fields);
		return -1;
	}
	ak_infer_opts_init(&o);
	o.name = name;
	o.space = space;
	o.logical = logical;
	o.max_fields = (size_t)max_fields;
	ak_error_clear(&err);
	if (!(self->inf = ak_infer_new(&o, &err))) {
		if (err.code == AK_E_ARG)
			PyErr_SetString(PyExc_ValueError, err.msg);
		else
			akpy_raise(&err, NULL);
		return -1;
	}
	return 0;
}

static int enter(AkInferrer *self)
{
	if (!self->inf) {
		PyErr_SetString(PyExc_RuntimeError, "Inferrer is not initialized");
		return -1;
	}
	if (self->busy) {
		PyErr_SetString(PyExc_RuntimeError, "this Inferrer is in use by another thread (or "
				"by a Mapping's items()): use one per thread");
		return -1;
	}
	if (self->broken) {
		PyErr_SetString(PyExc_RuntimeError, "this Inferrer stopped at an error: a value "
				"failed part way in; make a new one");
		return -1;
	}
	self->busy = 1;
	return 0;
}

/* One top-level value; -1 with an exception, and the inferer then broken. */
static int add_one(AkInferrer *self, PyObject *v)
{
	struct ak_error err;

	ak_error_clear(&err);
	if (walk(self, v, NULL, &err) == 0)
		return 0;
	self->broken = 1;
	return -1;
}

static PyObject *inferrer_add(AkInferrer *self, PyObject *v)
{
	int rc;

	if (enter(self) != 0)
		return NULL;
	rc = add_one(self, v);
	self->busy = 0;
	if (rc)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *inferrer_add_many(AkInferrer *self, PyObject *iterable)
{
	PyObject *it, *v;
	Py_ssize_t n = 0;

	if (!(it = PyObject_GetIter(iterable)))
		return NULL;
	if (enter(self) != 0) {
		Py_DECREF(it);
		return NULL;
	}
	/* the next value is fetched with the inferer not busy: the iterable is the caller's code */
	self->busy = 0;
	while ((v = PyIter_Next(it))) {
		int rc;

		if (enter(self) != 0) {
			Py_DECREF(v);
			break;
		}
		rc = add_one(self, v);
		self->busy = 0;
		Py_DECREF(v);
		if (rc)
			break;
		/* signals (Ctrl-C) are looked for every 1024 values: see writer_write_many() */
		if (++n % 1024 == 0 && PyErr_CheckSignals() != 0)
			break;
	}
	Py_DECREF(it);
	if (PyErr_Occurred())
		return NULL;
	return PyLong_FromSsize_t(n);
}

static PyObject *inferrer_schema(AkInferrer *self, PyObject *args)
{
	int indent = 0;
	struct ak_error err;
	char *text;
	PyObject *s;

	if (!PyArg_ParseTuple(args, "|i", &indent))
		return NULL;
	if (enter(self) != 0)
		return NULL;
	ak_error_clear(&err);
	text = ak_infer_schema(self->inf, indent, &err);
	self->busy = 0;
	if (!text) {
		/* two kinds at one place that are one Avro type (str and UUID): a value error */
		return akpy_raise(&err, NULL);
	}
	s = PyUnicode_FromString(text);
	ak_free(text);
	return s;
}

static PyObject *inferrer_notes(AkInferrer *self, PyObject *unused)
{
	PyObject *list;
	size_t n;

	(void)unused;
	if (!self->inf)
		return PyList_New(0);
	n = ak_infer_note_count(self->inf);
	if (!(list = PyList_New((Py_ssize_t)n)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		PyObject *s = PyUnicode_DecodeUTF8(ak_infer_note(self->inf, i),
						   (Py_ssize_t)strlen(ak_infer_note(self->inf, i)),
						   "replace");

		if (!s) {
			Py_DECREF(list);
			return NULL;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, s);
	}
	return list;
}

static PyObject *inferrer_count(AkInferrer *self, void *closure)
{
	(void)closure;
	return PyLong_FromUnsignedLongLong(self->inf ? ak_infer_count(self->inf) : 0);
}

static PyMethodDef inferrer_methods[] = {
	{ "add", (PyCFunction)inferrer_add, METH_O, "add(value)\n\nAdd one value." },
	{ "add_many", (PyCFunction)inferrer_add_many, METH_O,
	  "add_many(iterable) -> int\n\nAdd every value of the iterable; how many." },
	{ "schema", (PyCFunction)inferrer_schema, METH_VARARGS,
	  "schema(indent=0) -> str\n\nThe schema of the values so far, as JSON text." },
	{ "notes", (PyCFunction)inferrer_notes, METH_NOARGS,
	  "notes() -> list\n\nWhat the last schema() decided that may not be expected." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef inferrer_getset[] = {
	{ "count", (getter)inferrer_count, NULL, "top-level values added", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject AkInferrer_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Inferrer",
	.tp_basicsize = sizeof(AkInferrer),
	.tp_dealloc = (destructor)inferrer_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Inferrer(name='Record', namespace=None, logical=False, max_fields=1000)\n\n"
		  "libavrokit's schema inference over Python values.",
	.tp_methods = inferrer_methods,
	.tp_getset = inferrer_getset,
	.tp_init = (initproc)inferrer_init,
	.tp_new = PyType_GenericNew,
};

/* ---- Random ---- */

typedef struct {
	PyObject_HEAD
	struct ak_random *r;
	PyObject *schema; /* the Schema, which the generator borrows */
	int busy;
} AkRandom;

static void random_dealloc(AkRandom *self)
{
	ak_random_free(self->r);
	Py_XDECREF(self->schema);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int random_init(AkRandom *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "schema", "seed", NULL };
	PyObject *schema, *seed;
	struct ak_random_opts o;
	struct ak_error err;
	unsigned long long s;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!O", kwlist, &AkSchema_Type, &schema, &seed))
		return -1;
	if (self->r) {
		PyErr_SetString(PyExc_RuntimeError, "Random is already initialized");
		return -1;
	}
	if (!PyLong_Check(seed) || PyBool_Check(seed)) {
		PyErr_Format(PyExc_TypeError, "seed must be an int, not %s", Py_TYPE(seed)->tp_name);
		return -1;
	}
	/* as avrokit random --seed takes it: -2**63 .. 2**64 - 1, a negative one as its two's
	 * complement */
	{
		int overflow;
		long long v = PyLong_AsLongLongAndOverflow(seed, &overflow);

		if (v == -1 && PyErr_Occurred())
			return -1;
		s = (unsigned long long)v;
		if (overflow > 0) {
			s = PyLong_AsUnsignedLongLong(seed);
			if (s == (unsigned long long)-1 && PyErr_Occurred())
				PyErr_Clear();
			else
				overflow = 0;
		}
		if (overflow) {
			PyErr_SetString(PyExc_ValueError, "seed must be from -2**63 to 2**64 - 1");
			return -1;
		}
	}
	ak_random_opts_init(&o);
	o.seed = s;
	ak_error_clear(&err);
	if (!(self->r = ak_random_new(((AkSchema *)schema)->s, &o, &err))) {
		akpy_raise(&err, NULL);
		return -1;
	}
	Py_INCREF(schema);
	self->schema = schema;
	return 0;
}

static PyObject *random_datums(AkRandom *self, PyObject *arg)
{
	Py_ssize_t n = PyLong_AsSsize_t(arg);
	struct ak_error err;
	const void *data;
	size_t len;
	int rc;

	if (n == -1 && PyErr_Occurred())
		return NULL;
	if (n < 0)
		return PyErr_Format(PyExc_ValueError, "a count of %zd datums", n);
	if (!self->r) {
		PyErr_SetString(PyExc_RuntimeError, "Random is not initialized");
		return NULL;
	}
	if (self->busy) {
		PyErr_SetString(PyExc_RuntimeError, "this object is in use by another thread: use "
				"one per thread");
		return NULL;
	}
	self->busy = 1;
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	rc = ak_random_next(self->r, (size_t)n, &data, &len, &err);
	Py_END_ALLOW_THREADS
	self->busy = 0;
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	return PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
}

static PyMethodDef random_methods[] = {
	{ "datums", (PyCFunction)random_datums, METH_O,
	  "datums(n) -> bytes\n\nThe next n datums, binary-encoded one after the other." },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject AkRandom_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Random",
	.tp_basicsize = sizeof(AkRandom),
	.tp_dealloc = (destructor)random_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Random(schema, seed)\n\nlibavrokit's random datums for a Schema, as avrokit "
		  "random makes them for the same seed.",
	.tp_methods = random_methods,
	.tp_init = (initproc)random_init,
	.tp_new = PyType_GenericNew,
};

int akpy_infer_types(PyObject *m)
{
	PyDateTime_IMPORT; /* each file that uses the datetime C API imports it */
	if (!PyDateTimeAPI)
		return -1;
	if (PyType_Ready(&AkInferrer_Type) < 0 || PyType_Ready(&AkRandom_Type) < 0)
		return -1;
	Py_INCREF(&AkInferrer_Type);
	if (PyModule_AddObject(m, "Inferrer", (PyObject *)&AkInferrer_Type) != 0) {
		Py_DECREF(&AkInferrer_Type);
		return -1;
	}
	Py_INCREF(&AkRandom_Type);
	if (PyModule_AddObject(m, "Random", (PyObject *)&AkRandom_Type) != 0) {
		Py_DECREF(&AkRandom_Type);
		return -1;
	}
	return 0;
}
