/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avrokit._ext: the module, its exceptions, and the Schema type: a schema parsed by
 * libavrokit plus what the binding computes once per type (field names as interned strings,
 * enum symbols, full names, union facts), so that building and reading objects per record
 * looks nothing up by name.
 */
#include "_ext.h"

#include <datetime.h>

#include <string.h>

struct ak_py akpy;

/* avrokit.schema.UnknownType (a SchemaParseException) for a schema the library parsed: its
 * name attribute is None there, the message says which name. */
static PyObject *raise_unknown_type(const char *prefix, const char *msg)
{
	PyObject *mod, *cls, *exc, *text;

	if (!(mod = PyImport_ImportModule("avrokit.schema")))
		return NULL;
	cls = PyObject_GetAttrString(mod, "UnknownType");
	Py_DECREF(mod);
	if (!cls)
		return NULL;
	text = prefix ? PyUnicode_FromFormat("%s: %s", prefix, msg) : PyUnicode_FromString(msg);
	exc = text ? PyObject_CallFunctionObjArgs(cls, Py_None, text, NULL) : NULL;
	Py_XDECREF(text);
	Py_DECREF(cls);
	if (exc) {
		PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
		Py_DECREF(exc);
	}
	return NULL;
}

/*
 * A value the reader's conversion of a logical type refused (a uuid that is no UUID, a time
 * past midnight, a date past year 9999) or a LOGICAL_READERS function's ValueError, raised in
 * the middle of a datum: the same words in an AvroError that says where, as every error for
 * bad data does, caused by the original (fastavro raises the bare ValueError, of which
 * AvroError is a subclass). Other exceptions stand as they are: OverflowError (fastavro's
 * for a timestamp past the datetime's range), UnicodeDecodeError, KeyboardInterrupt...
 */
static PyObject *raise_where(const struct ak_error *err, const char *prefix)
{
	char where[AK_ERROR_MSG_MAX + AK_ERROR_PATH_MAX + 160];
	size_t len, mlen = strlen(err->msg);
	PyObject *t, *v, *tb, *text, *nt, *nv, *ntb;

	ak_error_format(err, where, sizeof(where));
	len = strlen(where);
	/* what comes before the library's own words for the stop */
	if (len < mlen || strcmp(where + len - mlen, err->msg) != 0)
		return NULL;
	where[len - mlen] = '\0';
	PyErr_Fetch(&t, &v, &tb);
	PyErr_NormalizeException(&t, &v, &tb);
	if (!(text = PyObject_Str(v))) {
		PyErr_Clear();
		PyErr_Restore(t, v, tb);
		return NULL;
	}
	if (prefix)
		PyErr_Format(akpy.AvroError, "%s: %s%U", prefix, where, text);
	else
		PyErr_Format(akpy.AvroError, "%s%U", where, text);
	Py_DECREF(text);
	PyErr_Fetch(&nt, &nv, &ntb);
	PyErr_NormalizeException(&nt, &nv, &ntb);
	if (tb)
		PyException_SetTraceback(v, tb);
	Py_INCREF(v);
	PyException_SetCause(nv, v); /* steals the reference */
	PyException_SetContext(nv, v);
	Py_XDECREF(t);
	Py_XDECREF(tb);
	PyErr_Restore(nt, nv, ntb);
	return NULL;
}

PyObject *akpy_raise(const struct ak_error *err, const char *prefix)
{
	char msg[AK_ERROR_MSG_MAX + AK_ERROR_PATH_MAX + 160];
	PyObject *cls;

	if (PyErr_Occurred()) {
		/* a callback's own exception (or a Python error) goes first; a plain ValueError
		 * of a visitor callback that stopped a datum (the builder's VISIT_FAILED) is
		 * placed */
		if (err && err->code == AK_E_CALLBACK && PyErr_Occurred() == PyExc_ValueError)
			return raise_where(err, prefix);
		return NULL;
	}
	ak_error_format(err, msg, sizeof(msg));
	switch (err->code) {
	case AK_E_NOMEM:
		return PyErr_NoMemory();
	case AK_E_IO:
		if (err->sys_errno && !(err->flags & AK_ERROR_OUTPUT)) {
			errno = err->sys_errno;
			return PyErr_SetFromErrno(PyExc_OSError);
		}
		cls = PyExc_OSError;
		break;
	case AK_E_SCHEMA:
		if (err->flags & AK_ERROR_UNKNOWN_SCHEMA) {
			cls = akpy.UnknownSchemaError;
			break;
		}
		if (err->flags & AK_ERROR_UNKNOWN_TYPE)
			return raise_unknown_type(prefix, msg);
		cls = err->flags & AK_ERROR_READER_SCHEMA ? akpy.SchemaResolutionError
							  : akpy.SchemaParseError;
		break;
	case AK_E_FORMAT:
		/* data cut short: fastavro raises EOFError there */
		cls = err->flags & AK_ERROR_TRUNCATED	   ? akpy.AvroEOFError
		      : err->flags & AK_ERROR_READER_SCHEMA ? akpy.SchemaResolutionError
							   : akpy.AvroError;
		break;
	default:
		cls = akpy.AvroError;
		break;
	}
	if (prefix)
		PyErr_Format(cls, "%s: %s", prefix, msg);
	else
		PyErr_SetString(cls, msg);
	return NULL;
}

/* ---- Schema ---- */

static void schema_dealloc(AkSchema *self)
{
	for (size_t i = 0; self->nodes && i < self->nnodes; i++) {
		struct akpy_node *n = &self->nodes[i];

		Py_XDECREF(n->name);
		Py_XDECREF(n->keys);
		Py_XDECREF(n->symbols);
		Py_XDECREF(n->symbol_index);
		Py_XDECREF(n->defaults);
	}
	Py_XDECREF(self->hooks[0]);
	Py_XDECREF(self->hooks[1]);
	PyMem_Free(self->nodes);
	ak_schema_free(self->s);
	Py_XDECREF(self->json);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Fill the per-type data of every node reachable from @n (all of them: a schema's types are
 * all inside its root). */
static int prepare(AkSchema *self, const struct ak_node *n, unsigned char *seen, unsigned depth)
{
	size_t id = ak_node_id(n), count = ak_node_count(n);
	struct akpy_node *pn = &self->nodes[id];

	if (seen[id])
		return 0;
	seen[id] = 1;
	if (depth > 512) {
		PyErr_SetString(akpy.SchemaParseError, "schema nested too deeply");
		return -1;
	}
	pn->has_null = -1;
	if (ak_node_fullname(n) && !(pn->name = PyUnicode_FromString(ak_node_fullname(n))))
		return -1;
	switch (ak_node_type(n)) {
	case AK_RECORD:
		if (!(pn->keys = PyTuple_New((Py_ssize_t)count)))
			return -1;
		for (size_t i = 0; i < count; i++) {
			PyObject *k = PyUnicode_FromString(ak_node_field_name(n, i));

			if (!k)
				return -1;
			PyUnicode_InternInPlace(&k);
			PyTuple_SET_ITEM(pn->keys, (Py_ssize_t)i, k);
		}
		for (size_t i = 0; i < count; i++)
			if (prepare(self, ak_node_field_type(n, i), seen, depth + 1) != 0)
				return -1;
		break;
	case AK_ENUM:
		if (!(pn->symbols = PyTuple_New((Py_ssize_t)count)) ||
		    !(pn->symbol_index = PyDict_New()))
			return -1;
		for (size_t i = 0; i < count; i++) {
			PyObject *sym = PyUnicode_FromString(ak_node_symbol(n, i)), *idx;

			if (!sym)
				return -1;
			PyUnicode_InternInPlace(&sym);
			PyTuple_SET_ITEM(pn->symbols, (Py_ssize_t)i, sym);
			if (!(idx = PyLong_FromSize_t(i)) ||
			    PyDict_SetItem(pn->symbol_index, sym, idx) != 0) {
				Py_XDECREF(idx);
				return -1;
			}
			Py_DECREF(idx);
		}
		break;
	case AK_ARRAY:
	case AK_MAP:
		return prepare(self, ak_node_items(n), seen, depth + 1);
	case AK_UNION:
		for (size_t i = 0; i < count; i++) {
			const struct ak_node *b = ak_node_branch(n, i);

			if (ak_node_type(b) == AK_NULL)
				pn->has_null = (int)i;
			if (ak_node_type(b) == AK_RECORD)
				pn->nrecords++;
			if (ak_node_fullname(b))
				pn->nnamed++;
			if (prepare(self, b, seen, depth + 1) != 0)
				return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int schema_init(AkSchema *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "json", "lenient", NULL };
	struct ak_error err;
	PyObject *json;
	const char *text;
	Py_ssize_t len;
	int lenient = 0;
	unsigned char *seen;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "U|p", kwlist, &json, &lenient))
		return -1;
	if (self->s) {
		PyErr_SetString(PyExc_RuntimeError, "Schema is already initialized");
		return -1;
	}
	if (!(text = PyUnicode_AsUTF8AndSize(json, &len)))
		return -1;
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	self->s = ak_schema_parse(text, (size_t)len, lenient ? AK_SCHEMA_LENIENT : 0, &err);
	Py_END_ALLOW_THREADS
	if (!self->s) {
		akpy_raise(&err, NULL);
		return -1;
	}
	Py_INCREF(json);
	self->json = json;
	self->nnodes = ak_schema_node_count(self->s);
	if (!(self->nodes = PyMem_Calloc(self->nnodes ? self->nnodes : 1, sizeof(*self->nodes))) ||
	    !(seen = PyMem_Calloc(self->nnodes ? self->nnodes : 1, 1))) {
		PyErr_NoMemory();
		return -1;
	}
	if (prepare(self, ak_schema_root(self->s), seen, 0) != 0) {
		PyMem_Free(seen);
		return -1;
	}
	PyMem_Free(seen);
	return 0;
}

static PyObject *schema_canonical(AkSchema *self, PyObject *unused)
{
	struct ak_error err;
	char *pcf;
	PyObject *r;

	(void)unused;
	ak_error_clear(&err);
	if (!(pcf = ak_schema_canonical(self->s, &err)))
		return akpy_raise(&err, NULL);
	r = PyUnicode_FromString(pcf);
	ak_free(pcf);
	return r;
}

static PyObject *schema_fingerprint(AkSchema *self, PyObject *args)
{
	static const char *const names[] = { "CRC-64-AVRO", "MD5", "SHA-256" };
	const char *alg = "CRC-64-AVRO";
	unsigned char out[32];
	struct ak_error err;
	int n, which = -1;

	if (!PyArg_ParseTuple(args, "|s", &alg))
		return NULL;
	for (int i = 0; i < 3; i++)
		if (strcmp(alg, names[i]) == 0)
			which = i;
	if (which < 0)
		return PyErr_Format(PyExc_ValueError, "unknown fingerprint algorithm %s (CRC-64-AVRO, "
				    "MD5 or SHA-256)", alg);
	ak_error_clear(&err);
	if ((n = ak_schema_fingerprint(self->s, (enum ak_fingerprint)which, out, &err)) < 0)
		return akpy_raise(&err, NULL);
	return PyBytes_FromStringAndSize((const char *)out, n);
}

/* Append (id, "type-logicalType", path) for every node reachable from @n that has a
 * logicalType attribute, each once; @path: the steps to it in the schema's JSON. */
static int logical_nodes(PyObject *out, const struct ak_node *n, PyObject *path,
			 unsigned char *seen, unsigned depth)
{
	size_t id = ak_node_id(n), count = ak_node_count(n);
	const char *lt = ak_node_logical_name(n);
	int rc = 0;

	if (seen[id])
		return 0;
	seen[id] = 1;
	if (depth > 512) {
		PyErr_SetString(akpy.SchemaParseError, "schema nested too deeply");
		return -1;
	}
	if (lt) {
		PyObject *t = Py_BuildValue("(nNO)", (Py_ssize_t)id,
					    PyUnicode_FromFormat("%s-%s",
								 ak_type_name(ak_node_type(n)), lt),
					    path);

		if (!t || PyList_Append(out, t) != 0)
			rc = -1;
		Py_XDECREF(t);
	}
	for (size_t i = 0; rc == 0 && i < count + (ak_node_items(n) != NULL); i++) {
		const struct ak_node *c;
		PyObject *step, *sub;

		switch (ak_node_type(n)) {
		case AK_RECORD:
			c = ak_node_field_type(n, i);
			step = Py_BuildValue("(sns)", "fields", (Py_ssize_t)i, "type");
			break;
		case AK_UNION:
			c = ak_node_branch(n, i);
			step = Py_BuildValue("(n)", (Py_ssize_t)i);
			break;
		case AK_ARRAY:
		case AK_MAP:
			c = ak_node_items(n);
			step = Py_BuildValue("(s)", ak_node_type(n) == AK_ARRAY ? "items" : "values");
			break;
		default:
			return 0;
		}
		sub = step ? PySequence_Concat(path, step) : NULL;
		Py_XDECREF(step);
		rc = sub ? logical_nodes(out, c, sub, seen, depth + 1) : -1;
		Py_XDECREF(sub);
	}
	return rc;
}

static PyObject *schema_logical_nodes(AkSchema *self, PyObject *unused)
{
	unsigned char *seen = PyMem_Calloc(self->nnodes ? self->nnodes : 1, 1);
	PyObject *out = PyList_New(0);

	(void)unused;
	if (!seen || !out) {
		PyMem_Free(seen);
		Py_XDECREF(out);
		return PyErr_NoMemory();
	}
	if (logical_nodes(out, ak_schema_root(self->s), akpy.empty_tuple, seen, 0) != 0)
		Py_CLEAR(out);
	PyMem_Free(seen);
	return out;
}

int akpy_hooks(AkSchema *s, int writing, PyObject **hooks)
{
	*hooks = NULL;
	if (!akpy.logical_version || !akpy.hook_table)
		return 0;
	if (s->hooks_version[writing] != akpy.logical_version) {
		unsigned long version = akpy.logical_version;
		PyObject *t = PyObject_CallFunction(akpy.hook_table, "Oi", (PyObject *)s, writing);

		if (!t)
			return -1;
		if (t == Py_None) {
			Py_CLEAR(t);
		} else if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != (Py_ssize_t)s->nnodes) {
			Py_DECREF(t);
			PyErr_SetString(PyExc_SystemError, "hook_table() gave no table");
			return -1;
		} else {
			for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++) {
				PyObject *h = PyTuple_GET_ITEM(t, i);

				if (h != Py_None && (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) != 2)) {
					Py_DECREF(t);
					PyErr_SetString(PyExc_SystemError,
							"hook_table() gave a bad entry");
					return -1;
				}
			}
		}
		Py_XSETREF(s->hooks[writing], t);
		s->hooks_version[writing] = version;
	}
	*hooks = s->hooks[writing];
	return 0;
}

static PyMethodDef schema_methods[] = {
	{ "_logical_nodes", (PyCFunction)schema_logical_nodes, METH_NOARGS,
	  "_logical_nodes() -> list\n\n(node id, 'type-logicalType', path) for each type with a "
	  "logicalType attribute, the path being the keys and indexes that lead to it in the "
	  "schema's JSON." },
	{ "canonical", (PyCFunction)schema_canonical, METH_NOARGS,
	  "canonical() -> str\n\nThe schema's Parsing Canonical Form." },
	{ "fingerprint", (PyCFunction)schema_fingerprint, METH_VARARGS,
	  "fingerprint(algorithm='CRC-64-AVRO') -> bytes\n\nThe fingerprint of the canonical "
	  "form: CRC-64-AVRO (8 bytes, little-endian), MD5 or SHA-256." },
	{ NULL, NULL, 0, NULL },
};

static PyObject *schema_get_json(AkSchema *self, void *closure)
{
	(void)closure;
	Py_INCREF(self->json);
	return self->json;
}

static PyObject *schema_get_node_count(AkSchema *self, void *closure)
{
	(void)closure;
	return PyLong_FromSize_t(self->nnodes);
}

static PyGetSetDef schema_getset[] = {
	{ "json", (getter)schema_get_json, NULL, "the JSON text the schema was parsed from", NULL },
	{ "node_count", (getter)schema_get_node_count, NULL, "how many types the schema has",
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

PyTypeObject AkSchema_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Schema",
	.tp_basicsize = sizeof(AkSchema),
	.tp_dealloc = (destructor)schema_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Schema(json, lenient=False)\n\nA schema parsed by libavrokit, with every check "
		  "the Avro specification asks for. lenient=True reads names the way a data "
		  "file's own schema is read (Java's and Python's leniency).",
	.tp_methods = schema_methods,
	.tp_getset = schema_getset,
	.tp_init = (initproc)schema_init,
	.tp_new = PyType_GenericNew,
};

/* ---- module ---- */

static PyObject *ext_codecs(PyObject *self, PyObject *unused)
{
	static const char *const all[] = { "null", "deflate", "snappy", "bzip2", "xz",
					   "zstandard", "lzma", "lz4" };
	PyObject *d = PyDict_New();

	(void)self;
	(void)unused;
	if (!d)
		return NULL;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		int k = ak_codec_supported(all[i]);
		PyObject *v;

		if (!k)
			continue;
		v = PyUnicode_FromString(k == 2 ? "read-write" : "read");
		if (!v || PyDict_SetItemString(d, all[i], v) != 0) {
			Py_XDECREF(v);
			Py_DECREF(d);
			return NULL;
		}
		Py_DECREF(v);
	}
	return d;
}

static PyObject *ext_logical_changed(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	if (++akpy.logical_version == 0)
		akpy.logical_version = 1;
	Py_RETURN_NONE;
}

static PyObject *ext_set_hook_table(PyObject *self, PyObject *fn)
{
	(void)self;
	if (!PyCallable_Check(fn))
		return PyErr_Format(PyExc_TypeError, "hook_table must be callable");
	Py_INCREF(fn);
	Py_XSETREF(akpy.hook_table, fn);
	Py_RETURN_NONE;
}

static PyMethodDef ext_methods[] = {
	{ "codecs", ext_codecs, METH_NOARGS,
	  "codecs() -> dict\n\nThe codecs this build has: name -> 'read-write' or 'read'." },
	{ "_logical_changed", ext_logical_changed, METH_NOARGS,
	  "_logical_changed()\n\nA logical-type registry changed: readers and writers look at "
	  "hook_table() again before their next value." },
	{ "_set_hook_table", ext_set_hook_table, METH_O,
	  "_set_hook_table(fn)\n\nfn(schema, writing) -> None or a tuple by node id (see "
	  "avrokit._logical.hook_table)." },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef ext_module = {
	PyModuleDef_HEAD_INIT, "avrokit._ext",
	"The C side of avrokit: libavrokit's schemas, readers and writers for Python objects.",
	-1, ext_methods, NULL, NULL, NULL, NULL,
};

static PyObject *new_error(PyObject *m, const char *name, PyObject *bases, const char *doc)
{
	char full[96];
	PyObject *e;

	snprintf(full, sizeof(full), "avrokit.%s", name);
	e = PyErr_NewExceptionWithDoc(full, doc, bases, NULL);
	if (!e)
		return NULL;
	Py_INCREF(e);
	if (PyModule_AddObject(m, name, e) != 0) {
		Py_DECREF(e);
		Py_DECREF(e);
		return NULL;
	}
	return e;
}

static PyObject *import_attr(const char *module, const char *name)
{
	PyObject *m = PyImport_ImportModule(module), *a;

	if (!m)
		return NULL;
	a = PyObject_GetAttrString(m, name);
	Py_DECREF(m);
	return a;
}

/* io.RawIOBase.readinto: a new reference or NULL. */
static PyObject *raw_readinto(void)
{
	PyObject *raw = import_attr("io", "RawIOBase"), *m;

	if (!raw)
		return NULL;
	m = PyObject_GetAttrString(raw, "readinto");
	Py_DECREF(raw);
	return m;
}

/* The io types that copy (or write out) what write() is given before it returns. */
static PyObject *io_copying_types(void)
{
	static const char *const names[] = { "BytesIO", "FileIO", "BufferedWriter",
					     "BufferedRandom" };
	PyObject *t = PyTuple_New(4);

	for (Py_ssize_t i = 0; t && i < 4; i++) {
		PyObject *type = import_attr("io", names[i]);

		if (!type)
			Py_CLEAR(t);
		else
			PyTuple_SET_ITEM(t, i, type);
	}
	return t;
}

PyMODINIT_FUNC PyInit__ext(void)
{
	PyObject *m = PyModule_Create(&ext_module), *bases;

	if (!m)
		return NULL;
	PyDateTime_IMPORT;
	if (!PyDateTimeAPI)
		goto fail;
	if (!(akpy.AvroError = new_error(m, "AvroError", PyExc_ValueError,
					 "Data, a schema or a value that is not valid "
					 "Avro: a ValueError whose message says where "
					 "(block, record, field path). avrokit's own base "
					 "class: every error avrokit raises for bad data, "
					 "schemas or values is one (fastavro has none).")))
		goto fail;
	if (!(bases = PyTuple_Pack(2, akpy.AvroError, PyExc_TypeError)))
		goto fail;
	akpy.AvroTypeError = new_error(m, "AvroTypeError", bases,
				       "A value of the wrong Python type for its schema (a "
				       "str for an int field): an AvroError and a "
				       "TypeError, which fastavro raises there.");
	Py_DECREF(bases);
	if (!akpy.AvroTypeError || !(bases = PyTuple_Pack(2, akpy.AvroError, PyExc_EOFError)))
		goto fail;
	akpy.AvroEOFError = new_error(m, "AvroEOFError", bases,
				      "Data that ends too soon (a file or datum cut short): an "
				      "AvroError and an EOFError, which fastavro raises there.");
	Py_DECREF(bases);
	if (!akpy.AvroEOFError ||
	    !(akpy.SchemaResolutionError = new_error(m, "SchemaResolutionError", akpy.AvroError,
						     "The reader schema cannot read the writer "
						     "schema's data (fastavro's class of the same "
						     "name; here an AvroError too).")) ||
	    !(akpy.SchemaParseError = new_error(m, "SchemaParseException", akpy.AvroError,
						"The schema is not valid (fastavro's class of "
						"the same name; here an AvroError too).")) ||
	    !(akpy.UnknownSchemaError = new_error(m, "UnknownSchemaError", akpy.AvroError,
						  "A message's schema fingerprint or id matches "
						  "no schema given.")))
		goto fail;
	if (!(akpy.Decimal = import_attr("decimal", "Decimal")) ||
	    !(akpy.UUID = import_attr("uuid", "UUID")) ||
	    !(akpy.utc = PyDateTime_TimeZone_UTC) || !(akpy.mktime = import_attr("time", "mktime")) ||
	    !(akpy.Mapping = import_attr("collections.abc", "Mapping")) ||
	    !(akpy.Integral = import_attr("numbers", "Integral")) ||
	    !(akpy.Real = import_attr("numbers", "Real")) ||
	    !(akpy.raw_readinto = raw_readinto()) ||
	    !(akpy.io_copying = io_copying_types()))
		goto fail;
	Py_INCREF(akpy.utc);
	if (!(akpy.str_read = PyUnicode_InternFromString("read")) ||
	    !(akpy.str_readinto = PyUnicode_InternFromString("readinto")) ||
	    !(akpy.str_write = PyUnicode_InternFromString("write")) ||
	    !(akpy.str_items = PyUnicode_InternFromString("items")) ||
	    !(akpy.str_type_key = PyUnicode_InternFromString("-type")) ||
	    !(akpy.empty_tuple = PyTuple_New(0)))
		goto fail;
	if (PyType_Ready(&AkSchema_Type) < 0)
		goto fail;
	Py_INCREF(&AkSchema_Type);
	if (PyModule_AddObject(m, "Schema", (PyObject *)&AkSchema_Type) != 0)
		goto fail;
	if (akpy_read_types(m) != 0 || akpy_write_types(m) != 0 || akpy_fast_types(m) != 0 ||
	    akpy_infer_types(m) != 0 || akpy_stream_types(m) != 0)
		goto fail;
	if (PyModule_AddStringConstant(m, "library_version", ak_version()) != 0)
		goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
