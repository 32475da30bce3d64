/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encoding Python objects: the schema is walked together with the object and every value is
 * put into a libavrokit encoder (ak_put_*), which checks it against the type and writes its
 * binary. What fastavro decides in Python is decided here the same way: which branch of a
 * union a value takes (the (name, value) tuple, else the first branch that validates,
 * records by the most fields in common, double before float), what a missing field becomes
 * (its default, None in a union with null, else an error), logical types from date, time,
 * datetime, Decimal and UUID objects. The Writer type writes container files through the
 * file object's write(), compressing on a worker thread (without the GIL); Encoder makes
 * schemaless datums; validate() answers fastavro's validation question.
 */
#include "_ext.h"

#include <datetime.h>

#include <string.h>
#include <time.h>

struct putter {
	int type_error;     /* the refusal was about the Python type of a value */
	struct ak_encoder *e;
	AkSchema *schema;
	int strict, strict_allow_default, disable_tuple_notation;
	unsigned depth;
	struct ak_error err;
	int no_hooks;                /* values come encoded (json_reader's): no logical types */
	PyObject *hooks;             /* akpy_hooks() of the schema (held), or NULL */
	unsigned long hooks_version; /* the akpy.logical_version they are of */
};

#define MAX_DEPTH 1000

/* A Python-side refusal at the encoder's position: the encoder names the field. @fmt is
 * PyUnicode_FromFormat's. */
static int vrefuse(struct putter *w, int code, const char *fmt, va_list ap)
{
	PyObject *s = PyUnicode_FromFormatV(fmt, ap);
	const char *msg = s ? PyUnicode_AsUTF8(s) : NULL;

	if (!msg) {
		Py_XDECREF(s);
		return -1; /* the Python error stands */
	}
	ak_encoder_fail(w->e, code, msg, &w->err);
	Py_DECREF(s);
	return -1;
}

static int refuse(struct putter *w, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vrefuse(w, code, fmt, ap);
	va_end(ap);
	return rc;
}

/* The same for a value of the wrong Python type (AvroTypeError, a TypeError too). */
static int refuse_type(struct putter *w, const char *fmt, ...)
{
	va_list ap;
	int rc;

	w->type_error = 1;
	va_start(ap, fmt);
	rc = vrefuse(w, AK_E_VALUE, fmt, ap);
	va_end(ap);
	return rc;
}

static const char *tname(PyObject *o)
{
	return Py_TYPE(o)->tp_name;
}

/* A dict, or another collections.abc.Mapping: 1, 0, or -1 with an error. */
static int is_mapping(PyObject *o)
{
	if (PyDict_Check(o))
		return 1;
	if (PyUnicode_Check(o) || PyBytes_Check(o) || PyList_Check(o) || PyTuple_Check(o) ||
	    PyLong_Check(o) || PyFloat_Check(o) || o == Py_None)
		return 0;
	return PyObject_IsInstance(o, akpy.Mapping);
}

/*
 * A number of another type than int and float, for an int, long, float or double (numpy's
 * numbers, fractions.Fraction): fastavro's rules, numbers.Integral for int and long and
 * numbers.Real for float and double; never a bool. 1, 0, or -1 with an error.
 */
static int is_other_number(PyObject *o, PyObject *abc)
{
	if (PyLong_Check(o) || PyFloat_Check(o) || PyUnicode_Check(o) || PyBytes_Check(o) ||
	    PyDict_Check(o) || PyList_Check(o) || PyTuple_Check(o) || o == Py_None)
		return 0;
	return PyObject_IsInstance(o, abc);
}

/* An int for a numbers.Integral other than int (numpy.int64, say): a new reference, or
 * NULL with an error; NULL without one when it is not such a number. */
static PyObject *other_integral(PyObject *o)
{
	int r = is_other_number(o, akpy.Integral);

	return r > 0 ? PyNumber_Index(o) : NULL;
}

/* ---- logical types ---- */

/* Days from 1970-01-01 of a civil date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* A Python helper of _logical.py for the rare cases (decimals, naive or offset datetimes). */
static PyObject *helper(const char *name, PyObject *arg, const struct ak_node *n)
{
	PyObject *m = PyImport_ImportModule("avrokit._logical"), *r;

	if (!m)
		return NULL;
	r = PyObject_CallMethod(m, name, "(Oiin)", arg, ak_node_precision(n), ak_node_scale(n),
				(Py_ssize_t)ak_node_size(n));
	Py_DECREF(m);
	return r;
}

/* Whether @s is a UUID as RFC 4122 writes it: 8-4-4-4-12 hexadecimal digits, any case. */
static int uuid_text(PyObject *s)
{
	Py_ssize_t len;
	const char *p = PyUnicode_AsUTF8AndSize(s, &len);

	if (!p) {
		PyErr_Clear();
		return 0;
	}
	if (len != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? p[i] != '-' : !((p[i] >= '0' && p[i] <= '9') ||
					   ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')))
			return 0;
	}
	return 1;
}

/*
 * An int given for a time-millis or time-micros (a time of day, counted from midnight): a
 * new reference to it (an int for numpy's integers), ValueError past the day's bounds, or the
 * object itself when it is no integer (the long refuses it then).
 */
static PyObject *time_count(const struct ak_node *n, PyObject *obj)
{
	int millis = ak_node_logical(n) == AK_LT_TIME_MILLIS, overflow;
	long long day = millis ? 86400000LL : 86400000000LL, x;
	PyObject *i;

	if (PyLong_Check(obj) && !PyBool_Check(obj)) {
		Py_INCREF(obj);
		i = obj;
	} else if (!(i = other_integral(obj))) {
		if (PyErr_Occurred())
			return NULL;
		Py_INCREF(obj);
		return obj;
	}
	x = PyLong_AsLongLongAndOverflow(i, &overflow);
	if (x == -1 && PyErr_Occurred()) {
		Py_DECREF(i);
		return NULL;
	}
	if (overflow || x < 0 || x >= day) {
		PyErr_Format(PyExc_ValueError, "%s counts %s from midnight, 0 to %lld: %S is no "
			     "time of day", millis ? "time-millis" : "time-micros",
			     millis ? "milliseconds" : "microseconds", day - 1, i);
		Py_DECREF(i);
		return NULL;
	}
	return i;
}

/*
 * The value to encode for @obj under a logical type, as fastavro prepares it: a new
 * reference (the object itself when it is not of the logical type's Python type), or NULL.
 * Stricter than fastavro where a value would make data other readers refuse: a str for a
 * uuid must be a UUID, an int for a time a time of day, and a decimal's bytes not empty.
 */
static PyObject *prepare(const struct ak_node *n, PyObject *obj)
{
	switch (ak_node_logical(n)) {
	case AK_LT_DATE:
		if (PyDate_Check(obj))
			return PyLong_FromLongLong(days_from_civil(PyDateTime_GET_YEAR(obj),
								   PyDateTime_GET_MONTH(obj),
								   PyDateTime_GET_DAY(obj)));
		if (PyUnicode_Check(obj))
			return helper("date_from_iso", obj, n);
		break;
	case AK_LT_TIME_MILLIS:
	case AK_LT_TIME_MICROS:
		if (PyTime_Check(obj)) {
			int64_t us = ((int64_t)PyDateTime_TIME_GET_HOUR(obj) * 3600 +
				      PyDateTime_TIME_GET_MINUTE(obj) * 60 +
				      PyDateTime_TIME_GET_SECOND(obj)) * 1000000 +
				     PyDateTime_TIME_GET_MICROSECOND(obj);

			return PyLong_FromLongLong(ak_node_logical(n) == AK_LT_TIME_MILLIS
							   ? us / 1000
							   : us);
		}
		return time_count(n, obj);
	case AK_LT_TIMESTAMP_MILLIS:
	case AK_LT_TIMESTAMP_MICROS:
	case AK_LT_LOCAL_TIMESTAMP_MILLIS:
	case AK_LT_LOCAL_TIMESTAMP_MICROS:
		if (PyDateTime_Check(obj)) {
			int local = ak_node_logical(n) == AK_LT_LOCAL_TIMESTAMP_MILLIS ||
				    ak_node_logical(n) == AK_LT_LOCAL_TIMESTAMP_MICROS;
			int millis = ak_node_logical(n) == AK_LT_TIMESTAMP_MILLIS ||
				     ak_node_logical(n) == AK_LT_LOCAL_TIMESTAMP_MILLIS;
			PyObject *tz = PyDateTime_DATE_GET_TZINFO(obj);
			int64_t secs, us;

			if (!local && tz != akpy.utc)
				/* naive (local time, via mktime as fastavro does) or another zone */
				return helper(millis ? "timestamp_millis" : "timestamp_micros", obj, n);
			secs = days_from_civil(PyDateTime_GET_YEAR(obj), PyDateTime_GET_MONTH(obj),
					       PyDateTime_GET_DAY(obj)) * 86400 +
			       PyDateTime_DATE_GET_HOUR(obj) * 3600 +
			       PyDateTime_DATE_GET_MINUTE(obj) * 60 + PyDateTime_DATE_GET_SECOND(obj);
			us = PyDateTime_DATE_GET_MICROSECOND(obj);
			return PyLong_FromLongLong(millis ? secs * 1000 + us / 1000
							  : secs * 1000000 + us);
		}
		break;
	case AK_LT_DECIMAL:
		if (PyObject_TypeCheck(obj, (PyTypeObject *)akpy.Decimal))
			return helper(ak_node_type(n) == AK_FIXED ? "fixed_decimal" : "bytes_decimal",
				      obj, n);
		/* no bytes are no two's-complement number: Java and python-avro cannot read them */
		if (ak_node_type(n) == AK_BYTES &&
		    ((PyBytes_Check(obj) && PyBytes_GET_SIZE(obj) == 0) ||
		     (PyByteArray_Check(obj) && PyByteArray_GET_SIZE(obj) == 0))) {
			PyErr_SetString(PyExc_ValueError, "a decimal's bytes may not be empty (0 is "
					"b'\\x00')");
			return NULL;
		}
		break;
	case AK_LT_UUID:
		if (ak_node_type(n) != AK_STRING)
			break;
		if (PyObject_TypeCheck(obj, (PyTypeObject *)akpy.UUID))
			return PyObject_Str(obj);
		if (PyUnicode_Check(obj) && !uuid_text(obj)) {
			PyErr_Format(PyExc_ValueError, "%R is no UUID (8-4-4-4-12 hexadecimal "
				     "digits, as str(uuid.UUID) gives them)", obj);
			return NULL;
		}
		break;
	default:
		break;
	}
	Py_INCREF(obj);
	return obj;
}

/*
 * The value to encode for @obj at @n, as LOGICAL_WRITERS prepares it (a new reference, or
 * NULL): while the registry holds its defaults, prepare() for a type with a logical type the
 * library knows; once a program changed it, the function registered for the type's
 * "type-logicalType" key when it is not the default, called as fastavro calls it, fn(value,
 * schema), or the value itself when the key was removed (*@own: whether a program's
 * function ran).
 */
static PyObject *prepared(struct putter *w, const struct ak_node *n, PyObject *obj, int *own)
{
	*own = 0;
	if (w->hooks) {
		PyObject *h = PyTuple_GET_ITEM(w->hooks, (Py_ssize_t)ak_node_id(n));

		if (h != Py_None) {
			PyObject *fn = PyTuple_GET_ITEM(h, 0);

			if (fn == Py_None) {
				Py_INCREF(obj);
				return obj;
			}
			*own = 1;
			return PyObject_CallFunctionObjArgs(fn, obj, PyTuple_GET_ITEM(h, 1), NULL);
		}
	}
	if (ak_node_logical(n) != AK_LT_NONE)
		return prepare(n, obj);
	Py_INCREF(obj);
	return obj;
}

/* Whether @n's values go through prepared(): not those given as encoded (json_reader's, the
 * underlying values of JSON text, read as leniently as the binary reader reads them). */
static inline int has_prepare(const struct putter *w, const struct ak_node *n)
{
	return !w->no_hooks &&
	       (ak_node_logical(n) != AK_LT_NONE ||
		(w->hooks && PyTuple_GET_ITEM(w->hooks, (Py_ssize_t)ak_node_id(n)) != Py_None));
}

/* Before a value: the hooks of the registry as it is now. 0, or -1 with an exception. */
static int putter_ready(struct putter *w)
{
	PyObject *h;

	if (w->hooks_version == akpy.logical_version || w->no_hooks)
		return 0;
	if (akpy_hooks(w->schema, 1, &h) != 0)
		return -1;
	Py_XINCREF(h);
	Py_XSETREF(w->hooks, h);
	w->hooks_version = akpy.logical_version;
	return 0;
}

/* ---- validation, fastavro's rules (for union branches and validator=True) ---- */

static int validates(struct putter *w, const struct ak_node *n, PyObject *obj, unsigned depth);

static int validates_record(struct putter *w, const struct ak_node *n, PyObject *obj,
			    unsigned depth)
{
	struct akpy_node *pn = akpy_node(w->schema, n);
	size_t count = ak_node_count(n);

	int m = is_mapping(obj);

	if (m <= 0)
		return m;
	if (PyDict_Check(obj)) {
		PyObject *t = PyDict_GetItemWithError(obj, akpy.str_type_key);

		if (!t && PyErr_Occurred())
			return -1;
		if (t) {
			int eq = PyObject_RichCompareBool(t, pn->name, Py_EQ);

			if (eq <= 0)
				return eq;
		}
	}
	for (size_t i = 0; i < count; i++) {
		PyObject *key = PyTuple_GET_ITEM(pn->keys, (Py_ssize_t)i), *v;
		int ok;

		if (PyDict_Check(obj)) {
			v = PyDict_GetItemWithError(obj, key);
			Py_XINCREF(v);
		} else {
			v = PyObject_GetItem(obj, key);
			if (!v && PyErr_ExceptionMatches(PyExc_KeyError))
				PyErr_Clear();
		}
		if (!v) {
			if (PyErr_Occurred())
				return -1;
			if (ak_node_field_has_default(n, i))
				continue; /* a default fits its type (the schema was checked) */
			if (w->strict)
				return 0; /* fastavro: strict wants every field without a default */
			/* fastavro: a missing field is None, which a nullable type takes (the
			 * writer writes null there) */
			Py_INCREF(Py_None);
			v = Py_None;
		}
		ok = validates(w, ak_node_field_type(n, i), v, depth + 1);
		Py_DECREF(v);
		if (ok <= 0)
			return ok;
	}
	return 1;
}

static int validates(struct putter *w, const struct ak_node *n, PyObject *obj, unsigned depth)
{
	PyObject *v;
	int ok = 0;

	if (depth > MAX_DEPTH) {
		PyErr_SetString(akpy.AvroError, "value nested too deeply");
		return -1;
	}
	if (has_prepare(w, n)) {
		int own;

		if (!(v = prepared(w, n, obj, &own))) {
			/* a value the logical type cannot take does not validate; what a
			 * program's own function raises stops the write, as in fastavro */
			if (own)
				return -1;
			if (PyErr_ExceptionMatches(PyExc_ValueError) ||
			    PyErr_ExceptionMatches(PyExc_TypeError) ||
			    PyErr_ExceptionMatches(PyExc_OverflowError)) {
				PyErr_Clear();
				return 0;
			}
			return -1;
		}
	} else {
		Py_INCREF(obj);
		v = obj;
	}
	switch (ak_node_type(n)) {
	case AK_NULL:
		ok = v == Py_None;
		break;
	case AK_BOOLEAN:
		ok = PyBool_Check(v);
		break;
	case AK_INT:
	case AK_LONG: {
		PyObject *i = NULL;

		if ((PyLong_Check(v) && !PyBool_Check(v)) || (i = other_integral(v))) {
			int overflow;
			long long x = PyLong_AsLongLongAndOverflow(i ? i : v, &overflow);

			ok = !overflow && (ak_node_type(n) == AK_LONG || (x >= INT32_MIN && x <= INT32_MAX));
			Py_XDECREF(i);
		} else if (PyErr_Occurred()) {
			ok = -1;
		}
		break;
	}
	case AK_FLOAT:
	case AK_DOUBLE:
		ok = (PyFloat_Check(v) || PyLong_Check(v)) && !PyBool_Check(v);
		if (!ok)
			ok = is_other_number(v, akpy.Real);
		break;
	case AK_STRING:
		ok = PyUnicode_Check(v);
		break;
	case AK_BYTES:
		ok = PyBytes_Check(v) || PyByteArray_Check(v);
		break;
	case AK_FIXED:
		/* as fastavro's validation: bytes or a bytearray of the size */
		ok = (PyBytes_Check(v) && (size_t)PyBytes_GET_SIZE(v) == ak_node_size(n)) ||
		     (PyByteArray_Check(v) && (size_t)PyByteArray_GET_SIZE(v) == ak_node_size(n));
		break;
	case AK_ENUM:
		ok = PySequence_Contains(akpy_node(w->schema, n)->symbols, v);
		break;
	case AK_ARRAY:
		if (PyUnicode_Check(v) || PyBytes_Check(v) || PyDict_Check(v) ||
		    !PySequence_Check(v)) {
			ok = 0;
			break;
		}
		{
			PyObject *seq = PySequence_Fast(v, "an array must be a sequence");

			if (!seq) {
				ok = -1;
				break;
			}
			ok = 1;
			for (Py_ssize_t i = 0; ok == 1 && i < PySequence_Fast_GET_SIZE(seq); i++)
				ok = validates(w, ak_node_items(n), PySequence_Fast_GET_ITEM(seq, i),
					       depth + 1);
			Py_DECREF(seq);
		}
		break;
	case AK_MAP:
		if (PyDict_Check(v)) {
			Py_ssize_t pos = 0;
			PyObject *k, *val;

			ok = 1;
			while (ok == 1 && PyDict_Next(v, &pos, &k, &val)) {
				if (!PyUnicode_Check(k))
					ok = 0;
				else
					ok = validates(w, ak_node_items(n), val, depth + 1);
			}
		} else if ((ok = is_mapping(v)) == 1) {
			/* another Mapping (MappingProxyType, a frozendict), as put_map takes */
			PyObject *items = PyMapping_Items(v);

			if (!items) {
				ok = -1;
				break;
			}
			for (Py_ssize_t i = 0; ok == 1 && i < PyList_GET_SIZE(items); i++) {
				PyObject *kv = PyList_GET_ITEM(items, i);

				if (!PyUnicode_Check(PyTuple_GET_ITEM(kv, 0)))
					ok = 0;
				else
					ok = validates(w, ak_node_items(n), PyTuple_GET_ITEM(kv, 1),
						       depth + 1);
			}
			Py_DECREF(items);
		}
		break;
	case AK_RECORD:
		ok = validates_record(w, n, v, depth);
		break;
	case AK_UNION:
		if (PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 2 && !w->disable_tuple_notation) {
			for (size_t i = 0; i < ak_node_count(n); i++) {
				const struct ak_node *b = ak_node_branch(n, i);
				int eq = PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(v, 0),
									  ak_node_branch_name(b)) == 0;

				if (PyErr_Occurred()) {
					ok = -1;
					break;
				}
				if (eq) {
					ok = validates(w, b, PyTuple_GET_ITEM(v, 1), depth + 1);
					break;
				}
			}
			break;
		}
		for (size_t i = 0; ok == 0 && i < ak_node_count(n); i++)
			ok = validates(w, ak_node_branch(n, i), v, depth + 1);
		break;
	}
	Py_DECREF(v);
	return ok;
}

/* ---- putting values ---- */

/*
 * After the built-in conversion of a logical type refused a value (Decimal('NaN'), a scale not
 * the schema's, a date string that is no date) with ValueError or TypeError: the same as an
 * AvroError (or AvroTypeError) naming the field, as for any value. Returns -1.
 */
static int conversion_refused(struct putter *w)
{
	PyObject *t, *v, *tb, *text;
	int is_type;

	if (PyErr_ExceptionMatches(akpy.AvroError) ||
	    !(PyErr_ExceptionMatches(PyExc_ValueError) || PyErr_ExceptionMatches(PyExc_TypeError)))
		return -1;
	is_type = !PyErr_ExceptionMatches(PyExc_ValueError);
	PyErr_Fetch(&t, &v, &tb);
	text = v ? PyObject_Str(v) : NULL;
	Py_XDECREF(t);
	Py_XDECREF(v);
	Py_XDECREF(tb);
	if (!text)
		return -1;
	if (is_type)
		refuse_type(w, "%U", text);
	else
		refuse(w, AK_E_VALUE, "%U", text);
	Py_DECREF(text);
	return -1;
}

static int put(struct putter *w, const struct ak_node *n, PyObject *obj);

static int ak_ok(struct putter *w, int rc)
{
	(void)w;
	return rc == AK_OK ? 0 : -1;
}

/* fastavro's choice of a union branch for @obj: an index, or -1 with an error. */
static long pick_branch(struct putter *w, const struct ak_node *u, PyObject **obj)
{
	size_t count = ak_node_count(u);
	long best = -1, most_fields = -1;
	int could_be_float = 0;

	if (PyTuple_Check(*obj) && !w->disable_tuple_notation) {
		PyObject *name, *val;

		if (PyTuple_GET_SIZE(*obj) != 2)
			return refuse(w, AK_E_VALUE, "a tuple for a union must be (name, value)");
		name = PyTuple_GET_ITEM(*obj, 0);
		val = PyTuple_GET_ITEM(*obj, 1);
		for (size_t i = 0; i < count; i++) {
			const struct ak_node *b = ak_node_branch(u, i);

			if (PyUnicode_Check(name) &&
			    PyUnicode_CompareWithASCIIString(name, ak_node_branch_name(b)) == 0) {
				*obj = val;
				return (long)i;
			}
		}
		if (PyErr_Occurred())
			return -1;
		return refuse(w, AK_E_VALUE, "provided union type name %.100S not found in the "
			      "union", name);
	}
	for (size_t i = 0; i < count; i++) {
		const struct ak_node *b = ak_node_branch(u, i);
		int ok;

		if (could_be_float) {
			if (ak_node_type(b) == AK_DOUBLE)
				return (long)i;
			continue;
		}
		if ((ok = validates(w, b, *obj, w->depth + 1)) < 0)
			return -1;
		if (!ok)
			continue;
		if (ak_node_type(b) == AK_RECORD) {
			struct akpy_node *pb = akpy_node(w->schema, b);
			long fields = 0;

			for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(pb->keys); k++) {
				int has = PyMapping_HasKey(*obj, PyTuple_GET_ITEM(pb->keys, k));

				fields += has;
			}
			if (fields > most_fields) {
				best = (long)i;
				most_fields = fields;
			}
		} else if (ak_node_type(b) == AK_FLOAT) {
			best = (long)i;
			could_be_float = 1;
		} else {
			return (long)i;
		}
	}
	if (best < 0) {
		PyObject *r = PyObject_Repr(*obj);

		if (!r)
			return -1;
		refuse(w, AK_E_VALUE, "%.200S (type %s) matches no branch of the union", r,
		       tname(*obj));
		Py_DECREF(r);
		return -1;
	}
	return best;
}

/* strict: the record has keys the schema's fields do not, named as fastavro names them. */
static int refuse_extra(struct putter *w, const struct akpy_node *pn, PyObject *obj)
{
	PyObject *keys = PyMapping_Keys(obj), *extra = PyList_New(0), *text = NULL, *sep;
	int rc = -1;

	if (!keys || !extra)
		goto out;
	for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keys); i++) {
		PyObject *k = PyList_GET_ITEM(keys, i), *ks;
		int known = PySequence_Contains(pn->keys, k);

		if (known < 0)
			goto out;
		if (known)
			continue;
		if (!(ks = PyObject_Str(k)) || PyList_Append(extra, ks) != 0) {
			Py_XDECREF(ks);
			goto out;
		}
		Py_DECREF(ks);
	}
	if (!(sep = PyUnicode_FromString(", ")))
		goto out;
	text = PyUnicode_Join(sep, extra);
	Py_DECREF(sep);
	if (text && PyUnicode_AsUTF8(text))
		rc = refuse(w, AK_E_VALUE, "record contains more fields than the schema "
			    "specifies: %s", PyUnicode_AsUTF8(text));
out:
	Py_XDECREF(keys);
	Py_XDECREF(extra);
	Py_XDECREF(text);
	return rc;
}

static int put_record(struct putter *w, const struct ak_node *n, PyObject *obj)
{
	struct akpy_node *pn = akpy_node(w->schema, n);
	size_t count = ak_node_count(n);
	int is_dict = PyDict_Check(obj);

	int m = is_dict ? 1 : is_mapping(obj);

	if (m < 0)
		return -1;
	if (!m)
		return refuse_type(w, "expected a dict for record %s, got %s",
				   ak_node_fullname(n), tname(obj)), -2;
	if (w->strict || w->strict_allow_default) {
		/* fields the schema does not have */
		Py_ssize_t nkeys = is_dict ? PyDict_GET_SIZE(obj) : PyMapping_Size(obj);
		Py_ssize_t known = 0;

		if (nkeys < 0)
			return -1;
		for (size_t i = 0; i < count; i++) {
			int has = is_dict ? PyDict_Contains(obj, PyTuple_GET_ITEM(pn->keys, i))
					  : PyMapping_HasKey(obj, PyTuple_GET_ITEM(pn->keys, i));

			if (has < 0)
				return -1;
			known += has;
		}
		if (known != nkeys)
			return refuse_extra(w, pn, obj);
	}
	if (ak_ok(w, ak_put_record(w->e, &w->err)) != 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		PyObject *key = PyTuple_GET_ITEM(pn->keys, (Py_ssize_t)i), *v;
		const struct ak_node *ft = ak_node_field_type(n, i);
		int rc;

		if (is_dict) {
			v = PyDict_GetItemWithError(obj, key);
			Py_XINCREF(v);
		} else {
			v = PyObject_GetItem(obj, key);
			if (!v && PyErr_ExceptionMatches(PyExc_KeyError))
				PyErr_Clear();
		}
		if (!v && PyErr_Occurred())
			return -1;
		if (!v) {
			int has_default = ak_node_field_has_default(n, i);
			int nullable = ak_node_type(ft) == AK_NULL ||
				       (ak_node_type(ft) == AK_UNION &&
					akpy_node(w->schema, ft)->has_null >= 0);

			if (w->strict || (w->strict_allow_default && !has_default))
				return refuse(w, AK_E_VALUE, "field %s is specified in the schema "
					      "but missing from the record",
					      ak_node_field_name(n, i));
			if (has_default)
				continue; /* the encoder writes the default */
			if (!nullable)
				return refuse(w, AK_E_VALUE, "no value and no default for %s",
					      ak_node_field_name(n, i));
			Py_INCREF(Py_None);
			v = Py_None;
		}
		if ((ak_node_type(ft) == AK_FLOAT || ak_node_type(ft) == AK_DOUBLE) &&
		    !PyFloat_Check(v) && !PyLong_Check(v)) {
			/* fastavro: float(value) for a float or double field ("NaN" works) */
			PyObject *f = PyNumber_Float(v);

			if (!f) {
				if (!PyErr_ExceptionMatches(PyExc_TypeError) &&
				    !PyErr_ExceptionMatches(PyExc_ValueError)) {
					Py_DECREF(v);
					return -1;
				}
				PyErr_Clear();
				ak_put_field_index(w->e, i, &w->err);
				rc = refuse_type(w, "expected a number, got %s", tname(v));
				Py_DECREF(v);
				return rc;
			}
			Py_DECREF(v);
			v = f;
		}
		if (ak_ok(w, ak_put_field_index(w->e, i, &w->err)) != 0) {
			Py_DECREF(v);
			return -1;
		}
		rc = put(w, ft, v);
		Py_DECREF(v);
		if (rc != 0)
			return -1;
	}
	return ak_ok(w, ak_put_end(w->e, &w->err));
}

static int put_array(struct putter *w, const struct ak_node *n, PyObject *obj)
{
	PyObject *seq;
	int rc = 0;

	if (PyUnicode_Check(obj) || PyBytes_Check(obj) || PyDict_Check(obj))
		return refuse_type(w, "expected a list for an array, got %s", tname(obj));
	if (!(seq = PySequence_Fast(obj, "")))
		return PyErr_Clear(), refuse_type(w, "expected a list for an array, got %s",
							  tname(obj));
	if (ak_ok(w, ak_put_array(w->e, &w->err)) != 0) {
		Py_DECREF(seq);
		return -1;
	}
	for (Py_ssize_t i = 0; rc == 0 && i < PySequence_Fast_GET_SIZE(seq); i++)
		rc = put(w, ak_node_items(n), PySequence_Fast_GET_ITEM(seq, i));
	Py_DECREF(seq);
	return rc == 0 ? ak_ok(w, ak_put_end(w->e, &w->err)) : -1;
}

static int put_map(struct putter *w, const struct ak_node *n, PyObject *obj)
{
	PyObject *items = NULL, *k, *v;
	Py_ssize_t pos = 0;
	int rc = 0;

	if (!PyDict_Check(obj)) {
		int m = is_mapping(obj);

		if (m < 0)
			return -1;
		if (!m)
			return refuse_type(w, "expected a dict for a map, got %s", tname(obj));
		if (!(items = PyMapping_Items(obj)))
			return -1;
	}
	if (ak_ok(w, ak_put_map(w->e, &w->err)) != 0)
		goto out;
	for (;;) {
		const char *key;
		Py_ssize_t klen;

		if (items) {
			PyObject *kv;

			if (pos >= PyList_GET_SIZE(items))
				break;
			kv = PyList_GET_ITEM(items, pos++);
			k = PyTuple_GET_ITEM(kv, 0);
			v = PyTuple_GET_ITEM(kv, 1);
		} else if (!PyDict_Next(obj, &pos, &k, &v)) {
			break;
		}
		if (!PyUnicode_Check(k)) {
			rc = refuse_type(w, "map keys must be strings, not %s", tname(k));
			break;
		}
		if (!(key = PyUnicode_AsUTF8AndSize(k, &klen)) ||
		    ak_ok(w, ak_put_key(w->e, key, (size_t)klen, &w->err)) != 0 ||
		    put(w, ak_node_items(n), v) != 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		rc = ak_ok(w, ak_put_end(w->e, &w->err));
out:
	Py_XDECREF(items);
	return rc;
}

static int put_long(struct putter *w, const struct ak_node *n, PyObject *v)
{
	int overflow;
	long long x;

	if (!PyLong_Check(v) || PyBool_Check(v)) {
		PyObject *i = other_integral(v);
		int rc;

		if (!i)
			return PyErr_Occurred() ? -1
						: refuse_type(w, "expected %s, got %s",
							      ak_type_name(ak_node_type(n)), tname(v));
		rc = put_long(w, n, i);
		Py_DECREF(i);
		return rc;
	}
	x = PyLong_AsLongLongAndOverflow(v, &overflow);
	if (overflow)
		return refuse(w, AK_E_VALUE, "%s out of the range of a %s", overflow > 0 ?
			      "too large," : "too small,", ak_type_name(ak_node_type(n)));
	if (x == -1 && PyErr_Occurred())
		return -1;
	return ak_ok(w, ak_put_long(w->e, x, &w->err));
}

static int put(struct putter *w, const struct ak_node *n, PyObject *obj)
{
	PyObject *v = NULL;
	int rc = -1;

	if (++w->depth > MAX_DEPTH) {
		w->depth--;
		return refuse(w, AK_E_LIMIT, "value nested deeper than %d levels", MAX_DEPTH);
	}
	if (has_prepare(w, n)) {
		int own;

		if (!(v = prepared(w, n, obj, &own))) {
			if (!own) /* (a program's own function's exception stands, as in fastavro) */
				conversion_refused(w);
			goto out;
		}
		obj = v;
	}
	switch (ak_node_type(n)) {
	case AK_NULL:
		rc = obj == Py_None ? ak_ok(w, ak_put_null(w->e, &w->err))
				    : refuse_type(w, "expected None for null, got %s", tname(obj));
		break;
	case AK_BOOLEAN: {
		int t = PyObject_IsTrue(obj);

		rc = t < 0 ? -1 : ak_ok(w, ak_put_boolean(w->e, t, &w->err));
		break;
	}
	case AK_INT:
	case AK_LONG:
		rc = put_long(w, n, obj);
		break;
	case AK_FLOAT:
	case AK_DOUBLE: {
		double d;

		if (PyFloat_Check(obj)) {
			d = PyFloat_AS_DOUBLE(obj);
		} else if ((PyLong_Check(obj) && !PyBool_Check(obj)) ||
			   (rc = is_other_number(obj, akpy.Real)) > 0) {
			d = PyLong_Check(obj) ? PyLong_AsDouble(obj) : PyFloat_AsDouble(obj);
			if (d == -1.0 && PyErr_Occurred()) {
				rc = -1;
				goto out;
			}
		} else {
			if (rc == 0)
				rc = refuse_type(w, "expected a number, got %s", tname(obj));
			break;
		}
		rc = ak_ok(w, ak_put_double(w->e, d, &w->err));
		break;
	}
	case AK_STRING: {
		const char *s;
		Py_ssize_t len;

		if (!PyUnicode_Check(obj)) {
			rc = refuse_type(w, "expected str, got %s", tname(obj));
			break;
		}
		if ((s = PyUnicode_AsUTF8AndSize(obj, &len)))
			rc = ak_ok(w, ak_put_string(w->e, s, (size_t)len, &w->err));
		break;
	}
	case AK_BYTES:
	case AK_FIXED: {
		Py_buffer view;

		/* (with its shape: a number's memory, numpy.int64(3) say, has no dimension) */
		if (PyUnicode_Check(obj) || PyObject_GetBuffer(obj, &view, PyBUF_ND) != 0) {
			PyErr_Clear();
			rc = refuse_type(w, "expected bytes, got %s", tname(obj));
			break;
		}
		if (view.ndim == 0) {
			/* not bytes but a number (numpy.int64(3)): refused, as fastavro refuses
			 * it, rather than written as its memory */
			PyBuffer_Release(&view);
			rc = refuse_type(w, "expected bytes, got %s", tname(obj));
			break;
		}
		rc = ak_ok(w, ak_node_type(n) == AK_FIXED
				      ? ak_put_fixed(w->e, view.buf, (size_t)view.len, &w->err)
				      : ak_put_bytes(w->e, view.buf, (size_t)view.len, &w->err));
		PyBuffer_Release(&view);
		break;
	}
	case AK_ENUM: {
		PyObject *idx;

		if (!PyUnicode_Check(obj)) {
			rc = refuse_type(w, "expected a symbol (str) of %s, got %s",
					 ak_node_fullname(n), tname(obj));
			break;
		}
		idx = PyDict_GetItemWithError(akpy_node(w->schema, n)->symbol_index, obj);
		if (!idx) {
			if (!PyErr_Occurred())
				rc = refuse(w, AK_E_VALUE, "%.100S is not a symbol of %s", obj,
					    ak_node_fullname(n));
			break;
		}
		rc = ak_ok(w, ak_put_enum(w->e, (uint32_t)PyLong_AsLong(idx), &w->err));
		break;
	}
	case AK_RECORD:
		rc = put_record(w, n, obj);
		if (rc == -2)
			rc = -1;
		break;
	case AK_ARRAY:
		rc = put_array(w, n, obj);
		break;
	case AK_MAP:
		rc = put_map(w, n, obj);
		break;
	case AK_UNION: {
		PyObject *val = obj;
		long b = pick_branch(w, n, &val);

		if (b >= 0 && ak_ok(w, ak_put_branch(w->e, (uint32_t)b, &w->err)) == 0)
			rc = put(w, ak_node_branch(n, (size_t)b), val);
		break;
	}
	}
out:
	Py_XDECREF(v);
	w->depth--;
	return rc;
}

/* Raise what stopped a put: a Python exception already set, else the encoder's error, as
 * AvroTypeError when the Python value was of the wrong type. */
static PyObject *put_failed(struct putter *w)
{
	char msg[AK_ERROR_MSG_MAX + AK_ERROR_PATH_MAX + 64];
	PyObject *cls = akpy.AvroError;

	if (PyErr_Occurred())
		return NULL;
	if (!w->err.code) {
		PyErr_SetString(akpy.AvroError, "the value cannot be encoded");
		return NULL;
	}
	if (w->err.code == AK_E_NOMEM)
		return PyErr_NoMemory();
	ak_error_format(&w->err, msg, sizeof(msg));
	if (w->type_error)
		cls = akpy.AvroTypeError;
	PyErr_SetString(cls, msg);
	return NULL;
}

static int putter_init(struct putter *w, AkSchema *s, struct ak_encoder *e, int strict,
		       int strict_allow_default, int disable_tuple_notation)
{
	memset(w, 0, sizeof(*w));
	w->e = e;
	w->schema = s;
	w->strict = strict;
	w->strict_allow_default = strict_allow_default;
	w->disable_tuple_notation = disable_tuple_notation;
	ak_error_clear(&w->err);
	return 0;
}

/* ---- Encoder: schemaless datums ---- */

typedef struct {
	PyObject_HEAD
	AkSchema *schema;
	struct ak_encoder *e;
	struct putter w;
	int busy;
} AkEncoder;

static void encoder_dealloc(AkEncoder *self)
{
	Py_CLEAR(self->w.hooks);
	ak_encoder_free(self->e);
	Py_XDECREF(self->schema);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int encoder_init(AkEncoder *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "schema", "strict", "strict_allow_default",
				  "disable_tuple_notation", "hooks", NULL };
	PyObject *schema;
	int strict = 0, sad = 0, dtn = 0, hooks = 1;
	struct ak_error err;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|pppp", kwlist, &AkSchema_Type, &schema,
					 &strict, &sad, &dtn, &hooks))
		return -1;
	if (self->e) {
		PyErr_SetString(PyExc_RuntimeError, "Encoder is already initialized");
		return -1;
	}
	ak_error_clear(&err);
	if (!(self->e = ak_encoder_new(((AkSchema *)schema)->s, NULL, &err))) {
		akpy_raise(&err, NULL);
		return -1;
	}
	Py_INCREF(schema);
	self->schema = (AkSchema *)schema;
	putter_init(&self->w, self->schema, self->e, strict, sad, dtn);
	self->w.no_hooks = !hooks;
	return 0;
}

static int busy_enter(int *busy)
{
	if (*busy) {
		PyErr_SetString(PyExc_RuntimeError, "this object is in use by another thread: use "
				"one per thread");
		return -1;
	}
	*busy = 1;
	return 0;
}

static PyTypeObject AkEncoder_Type;

/* The encoder for one call on @shared: itself, or a new one like it when a call on it is
 * under way (shared encoders: the cache of schemaless_writer; the Python code of a logical
 * type lets other threads in), as decoder_acquire() in _read.c. A new reference or NULL. */
static AkEncoder *encoder_acquire(AkEncoder *shared)
{
	AkEncoder *e;

	if (!shared->busy) {
		shared->busy = 1;
		Py_INCREF(shared);
		return shared;
	}
	e = (AkEncoder *)PyObject_CallFunction((PyObject *)&AkEncoder_Type, "Oiiii",
					       (PyObject *)shared->schema, shared->w.strict,
					       shared->w.strict_allow_default,
					       shared->w.disable_tuple_notation, !shared->w.no_hooks);
	if (e)
		e->busy = 1;
	return e;
}

static PyObject *encoder_encode(AkEncoder *shared, PyObject *datum)
{
	AkEncoder *self;
	const void *data;
	size_t len;
	PyObject *r = NULL;

	if (!(self = encoder_acquire(shared)))
		return NULL;
	ak_encoder_reset(self->e);
	ak_error_clear(&self->w.err);
	self->w.depth = 0;
	self->w.type_error = 0;
	if (putter_ready(&self->w) != 0 ||
	    put(&self->w, ak_schema_root(self->schema->s), datum) != 0)
		put_failed(&self->w); /* (the exception putter_ready() set stands) */
	else if (ak_encoder_datum(self->e, &data, &len, &self->w.err) != AK_OK)
		put_failed(&self->w);
	else
		r = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
	self->busy = 0;
	Py_DECREF(self);
	return r;
}

PyObject *akpy_encode_object(PyObject *enc, PyObject *datum)
{
	return encoder_encode((AkEncoder *)enc, datum);
}

static PyObject *encoder_validate(AkEncoder *self, PyObject *datum)
{
	int ok;

	self->w.depth = 0;
	if (putter_ready(&self->w) != 0 ||
	    (ok = validates(&self->w, ak_schema_root(self->schema->s), datum, 0)) < 0)
		return NULL;
	return PyBool_FromLong(ok);
}

static PyMethodDef encoder_methods[] = {
	{ "encode", (PyCFunction)encoder_encode, METH_O, "encode(datum) -> bytes" },
	{ "validate", (PyCFunction)encoder_validate, METH_O,
	  "validate(datum) -> bool\n\nWhether the datum fits the schema, by fastavro's rules." },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject AkEncoder_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Encoder",
	.tp_basicsize = sizeof(AkEncoder),
	.tp_dealloc = (destructor)encoder_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Encoder(schema, strict=False, strict_allow_default=False, "
		  "disable_tuple_notation=False, hooks=True)\n\nEncodes Python objects as datums "
		  "of schema; hooks=False: values are given as their underlying types encode "
		  "them (json_reader's), with no logical-type conversion, built-in or "
		  "LOGICAL_WRITERS'.",
	.tp_methods = encoder_methods,
	.tp_init = (initproc)encoder_init,
	.tp_new = PyType_GenericNew,
};

/* ---- Writer: container files ---- */

typedef struct {
	PyObject_HEAD
	AkSchema *schema;
	struct ak_writer *wr;
	PyObject *write;        /* the file object's write() */
	int lend;               /* write() may be given a view of the library's buffer */
	struct putter w;
	int busy;
	int finished;
	unsigned long long block_count;
	size_t block_size;
} AkWriter;

/* The body of Writer's and StreamWriter's output callbacks: _ext.h says what it does. */
int akpy_write_file(PyObject *write, int lend, const void *buf, size_t n)
{
	PyGILState_STATE g = PyGILState_Ensure();
	const char *p = buf;
	int rc = PyErr_Occurred() ? -1 : 0;

	while (!rc && n) {
		PyObject *arg, *r;
		Py_ssize_t k = (Py_ssize_t)n;

		arg = lend ? PyMemoryView_FromMemory((char *)(uintptr_t)p, (Py_ssize_t)n, PyBUF_READ)
			   : PyBytes_FromStringAndSize(p, (Py_ssize_t)n);
		if (!arg) {
			rc = -1;
			break;
		}
		r = PyObject_CallOneArg(write, arg);
		Py_DECREF(arg);
		if (!r) {
			rc = -1;
			break;
		}
		if (PyLong_Check(r) && (k = PyLong_AsSsize_t(r)) == -1 && PyErr_Occurred()) {
			rc = -1;
		} else if (k <= 0) {
			PyErr_Format(PyExc_OSError, "write() wrote %zd of %zu bytes", k, n);
			rc = -1;
		} else if ((size_t)k < n) {
			p += k;
			n -= (size_t)k;
		} else {
			n = 0; /* all, or more than it was given: fastavro never looks */
		}
		Py_DECREF(r);
	}
	if (rc)
		errno = EIO;
	PyGILState_Release(g);
	return rc;
}

int akpy_lends_to(PyObject *fo)
{
	for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(akpy.io_copying); i++)
		if (Py_IS_TYPE(fo, (PyTypeObject *)PyTuple_GET_ITEM(akpy.io_copying, i)))
			return 1;
	return 0;
}

/* The writer's output: the file object's write(). */
static int py_write(void *ctx, const void *buf, size_t n)
{
	AkWriter *self = ctx;

	return akpy_write_file(self->write, self->lend, buf, n);
}

static void writer_dealloc(AkWriter *self)
{
	Py_CLEAR(self->w.hooks);
	ak_writer_free(self->wr);
	Py_XDECREF(self->schema);
	Py_XDECREF(self->write);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int writer_init(AkWriter *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fo", "schema", "codec", "level", "sync_interval",
				  "sync_marker", "metadata", "strict", "strict_allow_default",
				  "disable_tuple_notation", "append", "threads", "schema_text",
				  NULL };
	PyObject *fo, *schema, *sync = Py_None, *meta = NULL, *schema_text = Py_None;
	const char *codec = "null";
	int level = -1, strict = 0, sad = 0, dtn = 0, append = 0;
	Py_ssize_t interval = 16000;
	unsigned threads = 2;
	struct ak_writer_opts o;
	struct ak_error err;
	const char **keys = NULL;
	const void **values = NULL;
	size_t *lens = NULL, nmeta = 0;
	int rc = -1;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO!|sinOOppppIO", kwlist, &fo, &AkSchema_Type,
					 &schema, &codec, &level, &interval, &sync, &meta,
					 &strict, &sad, &dtn, &append, &threads, &schema_text))
		return -1;
	if (self->wr) {
		PyErr_SetString(PyExc_RuntimeError, "Writer is already initialized");
		return -1;
	}
	if (interval <= 0) {
		PyErr_SetString(PyExc_ValueError, "sync_interval must be positive");
		return -1;
	}
	if (!(self->write = PyObject_GetAttr(fo, akpy.str_write)))
		return -1;
	self->lend = akpy_lends_to(fo);
	Py_INCREF(schema);
	self->schema = (AkSchema *)schema;
	ak_writer_opts_init(&o);
	o.codec = codec;
	o.level = level;
	o.block_size = (size_t)interval;
	self->block_size = (size_t)interval;
	/* compression on a worker thread, without the GIL; the null codec has nothing to do */
	o.threads = strcmp(codec, "null") ? threads : 1;
	if (append)
		o.flags |= AK_WRITER_NO_HEADER;
	if (sync != Py_None) {
		if (!PyBytes_Check(sync) || PyBytes_GET_SIZE(sync) != 16) {
			PyErr_SetString(PyExc_ValueError, "sync_marker must be 16 bytes");
			return -1;
		}
		o.sync = (const unsigned char *)PyBytes_AS_STRING(sync);
	}
	if (schema_text != Py_None) {
		Py_ssize_t n;

		if (!(o.schema_text = PyUnicode_AsUTF8AndSize(schema_text, &n)))
			return -1;
		o.schema_text_len = (size_t)n;
	}
	if (meta && meta != Py_None) {
		Py_ssize_t pos = 0, n = PyDict_Check(meta) ? PyDict_GET_SIZE(meta) : -1;
		PyObject *k, *v;

		if (n < 0) {
			PyErr_SetString(PyExc_TypeError, "metadata must be a dict");
			return -1;
		}
		keys = PyMem_Calloc((size_t)n + 1, sizeof(*keys));
		values = PyMem_Calloc((size_t)n + 1, sizeof(*values));
		lens = PyMem_Calloc((size_t)n + 1, sizeof(*lens));
		if (!keys || !values || !lens) {
			PyErr_NoMemory();
			goto out;
		}
		while (PyDict_Next(meta, &pos, &k, &v)) {
			if (!PyUnicode_Check(k) || !PyBytes_Check(v)) {
				PyErr_SetString(PyExc_TypeError, "metadata keys must be str and values "
						"bytes");
				goto out;
			}
			{
				Py_ssize_t klen;

				if (!(keys[nmeta] = PyUnicode_AsUTF8AndSize(k, &klen)))
					goto out;
				/* libavrokit takes a key as a C string: one cut at a NUL would
				 * be another key */
				if (memchr(keys[nmeta], '\0', (size_t)klen)) {
					PyErr_Format(PyExc_ValueError, "metadata key %R holds a NUL "
						     "character", k);
					goto out;
				}
			}
			values[nmeta] = PyBytes_AS_STRING(v);
			lens[nmeta] = (size_t)PyBytes_GET_SIZE(v);
			nmeta++;
		}
		o.meta_keys = keys;
		o.meta_values = values;
		o.meta_lens = lens;
		o.nmeta = nmeta;
	}
	ak_error_clear(&err);
	if (!(self->wr = ak_writer_open_callbacks(py_write, self, self->schema->s, &o, &err))) {
		akpy_raise(&err, NULL);
		goto out;
	}
	putter_init(&self->w, self->schema, ak_writer_encoder(self->wr), strict, sad, dtn);
	rc = 0;
out:
	PyMem_Free(keys);
	PyMem_Free(values);
	PyMem_Free(lens);
	return rc;
}

/* One record; @land: a block it ends is in the file object when this returns (Writer.write(),
 * where a program may look at the file between records, as fastavro lets it), not only once
 * the next block ends (writer()'s records, compressed while the next are encoded). */
static int write_one(AkWriter *self, PyObject *record, int land)
{
	int rc;

	ak_error_clear(&self->w.err);
	self->w.depth = 0;
	self->w.type_error = 0;
	if (putter_ready(&self->w) != 0)
		return -1; /* nothing was put */
	rc = put(&self->w, ak_schema_root(self->schema->s), record);
	if (rc == 0 && !PyErr_Occurred()) {
		int ends = ak_writer_block_bytes(self->wr) >= self->block_size;

		if (ends) {
			/* this commit ends the block: compressing it (or waiting for a worker
			 * to) happens without the GIL */
			Py_BEGIN_ALLOW_THREADS
			rc = ak_writer_commit(self->wr, &self->w.err) == AK_OK ? 0 : -1;
			if (rc == 0 && land)
				rc = ak_writer_flush(self->wr, &self->w.err) == AK_OK ? 0 : -1;
			Py_END_ALLOW_THREADS
		} else {
			rc = ak_writer_commit(self->wr, &self->w.err) == AK_OK ? 0 : -1;
		}
		/* fastavro's count: the records of the open block, 0 again once it ends */
		if (rc == 0)
			self->block_count = ends ? 0 : self->block_count + 1;
	} else {
		/* drop what was put: the writer rolls its block back */
		struct ak_error ignored;

		if (!PyErr_Occurred() && !self->w.err.code)
			ak_error_clear(&self->w.err);
		ak_error_clear(&ignored);
		if (PyErr_Occurred()) {
			PyObject *t, *v, *tb;

			PyErr_Fetch(&t, &v, &tb);
			ak_writer_commit(self->wr, &ignored);
			PyErr_Restore(t, v, tb);
		} else {
			struct ak_error keep = self->w.err;

			ak_writer_commit(self->wr, &ignored);
			self->w.err = keep;
		}
		rc = -1;
	}
	if (rc != 0) {
		if (!PyErr_Occurred() && self->w.err.code == AK_E_IO)
			akpy_raise(&self->w.err, NULL);
		else
			put_failed(&self->w);
	}
	return rc;
}

static int writer_ready(AkWriter *self)
{
	if (!self->wr || self->finished) {
		PyErr_SetString(PyExc_ValueError, "the writer is closed");
		return -1;
	}
	return busy_enter(&self->busy);
}

static PyObject *writer_write(AkWriter *self, PyObject *record)
{
	int rc;

	if (writer_ready(self) != 0)
		return NULL;
	rc = write_one(self, record, 1);
	self->busy = 0;
	if (rc != 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *writer_write_many(AkWriter *self, PyObject *records)
{
	PyObject *it, *rec;
	int rc = 0;

	if (writer_ready(self) != 0)
		return NULL;
	if (!(it = PyObject_GetIter(records))) {
		self->busy = 0;
		return NULL;
	}
	for (unsigned long i = 1; rc == 0 && (rec = PyIter_Next(it)); i++) {
		rc = write_one(self, rec, 0);
		Py_DECREF(rec);
		/* a list's items come without running Python code, which is where signals are
		 * looked for: look every 1024 records, so that Ctrl-C stops a long write */
		if (rc == 0 && i % 1024 == 0 && PyErr_CheckSignals() != 0)
			rc = -1;
	}
	Py_DECREF(it);
	self->busy = 0;
	if (rc != 0 || PyErr_Occurred())
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *writer_write_block(AkWriter *self, PyObject *args)
{
	Py_buffer view;
	long long count;
	struct ak_error err;
	int rc;

	if (!PyArg_ParseTuple(args, "y*L", &view, &count))
		return NULL;
	if (writer_ready(self) != 0) {
		PyBuffer_Release(&view);
		return NULL;
	}
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	rc = ak_writer_append_block(self->wr, view.buf, (size_t)view.len, count, &err);
	Py_END_ALLOW_THREADS
	PyBuffer_Release(&view);
	self->busy = 0;
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

static PyObject *writer_flush(AkWriter *self, PyObject *unused)
{
	struct ak_error err;
	int rc;

	(void)unused;
	if (writer_ready(self) != 0)
		return NULL;
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	rc = ak_writer_flush(self->wr, &err);
	Py_END_ALLOW_THREADS
	self->block_count = 0;
	self->busy = 0;
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

static PyObject *writer_finish(AkWriter *self, PyObject *unused)
{
	struct ak_error err;
	int rc;

	(void)unused;
	if (writer_ready(self) != 0)
		return NULL;
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	rc = ak_writer_finish(self->wr, &err);
	Py_END_ALLOW_THREADS
	self->finished = 1;
	self->busy = 0;
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

static PyObject *writer_get_block_count(AkWriter *self, void *closure)
{
	(void)closure;
	return PyLong_FromUnsignedLongLong(self->block_count);
}

static PyObject *writer_get_count(AkWriter *self, void *closure)
{
	(void)closure;
	return PyLong_FromUnsignedLongLong(self->wr ? ak_writer_count(self->wr) : 0);
}

static PyMethodDef writer_methods[] = {
	{ "write", (PyCFunction)writer_write, METH_O, "write(record)" },
	{ "write_many", (PyCFunction)writer_write_many, METH_O, "write_many(records)" },
	{ "write_block", (PyCFunction)writer_write_block, METH_VARARGS,
	  "write_block(data, count)\n\nA block of count records already encoded." },
	{ "flush", (PyCFunction)writer_flush, METH_NOARGS,
	  "flush()\n\nEnd the current block and write out every block." },
	{ "finish", (PyCFunction)writer_finish, METH_NOARGS, "finish()\n\nWrite the last block." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef writer_getset[] = {
	{ "_records", (getter)writer_get_count, NULL, "records written", NULL },
	{ "_block_count", (getter)writer_get_block_count, NULL, "records in the open block",
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject AkWriter_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Writer",
	.tp_basicsize = sizeof(AkWriter),
	.tp_dealloc = (destructor)writer_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
	.tp_doc = "Writer(fo, schema, codec='null', level=-1, sync_interval=16000, "
		  "sync_marker=None, metadata=None, strict=False, strict_allow_default=False, "
		  "disable_tuple_notation=False, append=False, threads=2, schema_text=None)\n\n"
		  "Writes an Avro container file to a binary file object.",
	.tp_methods = writer_methods,
	.tp_getset = writer_getset,
	.tp_init = (initproc)writer_init,
	.tp_new = PyType_GenericNew,
};

int akpy_write_types(PyObject *m)
{
	/* datetime.h keeps the C API in a static variable: each file imports it */
	PyDateTime_IMPORT;
	if (!PyDateTimeAPI)
		return -1;
	if (PyType_Ready(&AkEncoder_Type) < 0 || PyType_Ready(&AkWriter_Type) < 0)
		return -1;
	Py_INCREF(&AkEncoder_Type);
	if (PyModule_AddObject(m, "Encoder", (PyObject *)&AkEncoder_Type) != 0)
		return -1;
	Py_INCREF(&AkWriter_Type);
	if (PyModule_AddObject(m, "Writer", (PyObject *)&AkWriter_Type) != 0)
		return -1;
	return 0;
}
