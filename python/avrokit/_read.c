/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding into Python objects: a libavrokit visitor that builds dicts, lists, str, bytes,
 * int, float, bool and None as the values come (records become dicts with the field names
 * interned once per schema), with fastavro's logical types (date, time, datetime, Decimal,
 * UUID) and its union options. The Reader type reads container files through the file
 * object's readinto() or read(); blocks are read and decompressed with the GIL released.
 * The Decoder type decodes datums from buffers.
 */
#include "_ext.h"

#include <datetime.h>

#include <string.h>

/* ---- the builder ---- */

enum { F_RECORD, F_ARRAY, F_MAP };

struct bframe {
	PyObject *obj;      /* the container being filled (owned) */
	PyObject *keys;     /* record: the field names (borrowed from the schema) */
	PyObject *key;      /* map: the key of the next value (owned) */
	PyObject *wrap;     /* the union name to wrap the container in when it ends (borrowed) */
	uint32_t field;
	uint8_t kind;
};

struct builder {
	AkSchema *schema;              /* the schema of the nodes the visitor passes */
	const struct akpy_read_opts *o;
	struct bframe *frames;
	size_t n, cap;
	const struct ak_visitor *vis;  /* builder_visitor, or plain_visitor when it can */
	PyObject *result;              /* the finished datum (owned) */
	PyObject *wrap;                /* the next value is wrapped in (wrap, value) (borrowed) */
	size_t made;                   /* values made (the reader's batches count them) */
	struct scache **sc;            /* by node id: its repeated strings, or NULL */
	size_t nsc;
	const struct ak_node *sc_node; /* the node str_of() saw last, and its table */
	struct scache *sc_last;
	const struct ak_visitor *base; /* vis when no logical type has a registered hook */
	PyObject *hooks;               /* akpy_hooks() of the schema (held), or NULL */
	unsigned long hooks_version;   /* the akpy.logical_version they are of */
	int resolving;                 /* read through a reader schema */
};

/* ---- repeated strings ----
 *
 * Much data repeats its short strings (countries, states, status words, the keys of maps),
 * and a str for each one costs more than decoding it: PyUnicode_DecodeUTF8 and an
 * allocation, and later the memory's page faults and freeing. So the builder keeps, per
 * string type (and per map, for its keys), the last short ASCII strings it made in a small
 * table, and gives a repeated value the same str object again (strs cannot change; which
 * object an equal str is has never been promised, and CPython shares some itself). Every
 * SC_PROBE lookups a type's table is judged: when fewer than a quarter of them found their
 * string, it is emptied and no longer used (names, ids, free text), and all that type then
 * costs is a test. At most SC_SLOTS strings of SC_MAXLEN bytes a type are held, until the
 * reader or decoder goes.
 */
#define SC_SLOTS 16
#define SC_MAXLEN 32
#define SC_PROBE 512

struct scache {
	PyObject *slot[SC_SLOTS];
	uint32_t tries, hits;
	int off;
};

static void sc_drop(struct builder *b)
{
	for (size_t i = 0; i < b->nsc; i++) {
		if (b->sc[i]) {
			for (int k = 0; k < SC_SLOTS; k++)
				Py_XDECREF(b->sc[i]->slot[k]);
			PyMem_Free(b->sc[i]);
		}
	}
	PyMem_Free(b->sc);
	b->sc = NULL;
	b->nsc = 0;
	b->sc_node = NULL;
	b->sc_last = NULL;
}

/* A slot for 2 to SC_MAXLEN bytes: from their first and last eight (or four) bytes. */
static inline unsigned sc_hash(const unsigned char *p, size_t len)
{
	uint64_t a, z;

	if (len >= 8) {
		memcpy(&a, p, 8);
		memcpy(&z, p + len - 8, 8);
	} else if (len >= 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, p + len - 4, 4);
		a = x;
		z = y;
	} else {
		a = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[len - 1] << 16;
		z = 0;
	}
	return (unsigned)(((a ^ (z << 7 | z >> 57) ^ len) * UINT64_C(0x9E3779B97F4A7C15)) >> 60);
}

/* Are the 2 to SC_MAXLEN bytes at @a and @b the same? */
static inline int sc_same(const unsigned char *a, const unsigned char *b, size_t len)
{
	uint64_t x, y;

	if (len >= 8) {
		for (size_t i = 0; i + 8 < len; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + len - 8, 8);
		memcpy(&y, b + len - 8, 8);
		return x == y;
	}
	if (len >= 4) {
		uint32_t u, v, w, z;

		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		memcpy(&w, a + len - 4, 4);
		memcpy(&z, b + len - 4, 4);
		return u == v && w == z;
	}
	return a[0] == b[0] && a[1] == b[1] && a[len - 1] == b[len - 1];
}

/* The table of node @n, or NULL when it has none in use (or no memory for one: the strings
 * are then made each time). */
static __attribute__((noinline)) struct scache *sc_find(struct builder *b,
							const struct ak_node *n)
{
	size_t id = ak_node_id(n);

	if (id >= b->nsc) {
		/* the first string, or one of a larger schema than before (a stream's messages
		 * may have several: the tables are by node id, but what they hold is checked
		 * byte for byte, so a table filled under another schema is as good) */
		size_t want = id < b->schema->nnodes ? b->schema->nnodes : id + 1;
		struct scache **sc = PyMem_Realloc(b->sc, want * sizeof(*sc));

		if (!sc)
			return NULL;
		memset(sc + b->nsc, 0, (want - b->nsc) * sizeof(*sc));
		b->sc = sc;
		b->nsc = want;
	}
	if (!b->sc[id] && !(b->sc[id] = PyMem_Calloc(1, sizeof(struct scache))))
		return NULL;
	return b->sc[id];
}

static inline struct scache *sc_of(struct builder *b, const struct ak_node *n)
{
	if (n != b->sc_node) {
		b->sc_last = sc_find(b, n);
		b->sc_node = b->sc_last ? n : NULL;
	}
	return b->sc_last && !b->sc_last->off ? b->sc_last : NULL;
}

static void sc_judge(struct scache *c)
{
	if (c->hits < SC_PROBE / 4) {
		for (int k = 0; k < SC_SLOTS; k++)
			Py_CLEAR(c->slot[k]);
		c->off = 1;
	}
	c->tries = c->hits = 0;
}

/* str_of() for a string in the table @c's range. */
static __attribute__((noinline)) PyObject *str_cached(struct builder *b, struct scache *c,
							const char *p, size_t len)
{
	PyObject *s, **slot;

	if (++c->tries == SC_PROBE)
		sc_judge(c);
	slot = &c->slot[sc_hash((const unsigned char *)p, len)];
	if ((s = *slot) && (size_t)PyUnicode_GET_LENGTH(s) == len &&
	    sc_same(PyUnicode_1BYTE_DATA(s), (const unsigned char *)p, len)) {
		c->hits++;
		Py_INCREF(s);
		return s;
	}
	s = PyUnicode_DecodeUTF8(p, (Py_ssize_t)len, b->o->unicode_errors);
	if (s && PyUnicode_IS_COMPACT_ASCII(s) && !c->off) {
		Py_INCREF(s);
		Py_XSETREF(*slot, s);
	}
	return s;
}

/* The str of the UTF-8 bytes @p of a value (or map key) of node @n. */
static inline PyObject *str_of(struct builder *b, const struct ak_node *n, const char *p,
			       size_t len)
{
	struct scache *c;

	if (len - 2 <= SC_MAXLEN - 2 && (c = sc_of(b, n)))
		return str_cached(b, c, p, len);
	return PyUnicode_DecodeUTF8(p, (Py_ssize_t)len, b->o->unicode_errors);
}

static void builder_clear(struct builder *b)
{
	while (b->n) {
		struct bframe *f = &b->frames[--b->n];

		Py_XDECREF(f->obj);
		Py_XDECREF(f->key);
	}
	Py_CLEAR(b->result);
	b->wrap = NULL;
}

static void builder_free(struct builder *b)
{
	builder_clear(b);
	sc_drop(b);
	Py_CLEAR(b->hooks);
	PyMem_Free(b->frames);
	b->frames = NULL;
	b->cap = 0;
}

/* Give @v (a new reference, or NULL after an error) to the container it belongs in. */
/*
 * What a visitor callback of the builder returns when it fails: its Python exception is set,
 * and the core reports the datum stopped with AK_E_CALLBACK, the position in the error
 * (akpy_raise() places a conversion's ValueError by it). Not -1, which is AK_E_NOMEM.
 */
#define VISIT_FAILED AK_E_CALLBACK

static int attach(struct builder *b, PyObject *v)
{
	struct bframe *f;
	int rc;

	if (!v)
		return VISIT_FAILED;
	b->made++;
	if (b->wrap) {
		PyObject *t = PyTuple_Pack(2, b->wrap, v);

		Py_DECREF(v);
		b->wrap = NULL;
		if (!(v = t))
			return VISIT_FAILED;
	}
	if (!b->n) {
		Py_XSETREF(b->result, v);
		return 0;
	}
	f = &b->frames[b->n - 1];
	switch (f->kind) {
	case F_RECORD:
		/* the next field follows unless record_field says otherwise (plain_visitor has
		 * none: without a reader schema fields come in order) */
		rc = PyDict_SetItem(f->obj, PyTuple_GET_ITEM(f->keys, f->field++), v);
		break;
	case F_ARRAY:
		rc = PyList_Append(f->obj, v);
		break;
	default:
		rc = PyDict_SetItem(f->obj, f->key, v);
		Py_CLEAR(f->key);
		break;
	}
	Py_DECREF(v);
	return rc < 0 ? VISIT_FAILED : 0;
}

static int push(struct builder *b, PyObject *obj, uint8_t kind, PyObject *keys)
{
	struct bframe *f;

	if (!obj)
		return VISIT_FAILED;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct bframe *nf = PyMem_Realloc(b->frames, cap * sizeof(*nf));

		if (!nf) {
			Py_DECREF(obj);
			PyErr_NoMemory();
			return VISIT_FAILED;
		}
		b->frames = nf;
		b->cap = cap;
	}
	f = &b->frames[b->n++];
	f->obj = obj;
	f->keys = keys;
	f->key = NULL;
	f->wrap = b->wrap;
	f->kind = kind;
	f->field = 0;
	b->wrap = NULL;
	return 0;
}

static int pop(struct builder *b)
{
	struct bframe *f = &b->frames[--b->n];

	b->wrap = f->wrap;
	Py_XDECREF(f->key);
	return attach(b, f->obj);
}

/* ---- logical types, as fastavro gives them ---- */

/* Days since 1970-01-01 to a civil date (proleptic Gregorian; Howard Hinnant's method). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static PyObject *make_date(int64_t days)
{
	int64_t y;
	unsigned m, d;

	civil(days, &y, &m, &d);
	if (y < 1 || y > 9999)
		return PyErr_Format(PyExc_ValueError, "date out of range: %lld days from 1970-01-01",
				    (long long)days);
	return PyDate_FromDate((int)y, (int)m, (int)d);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floormod(int64_t a, int64_t b)
{
	return a - floordiv(a, b) * b;
}

/* @us microseconds from the epoch, aware (UTC) or naive. */
static PyObject *make_timestamp(int64_t us, int aware)
{
	int64_t days = floordiv(us, 86400000000LL), rem = floormod(us, 86400000000LL), y;
	unsigned mo, d;

	civil(days, &y, &mo, &d);
	if (y < 1 || y > 9999)
		return PyErr_Format(PyExc_OverflowError, "date value out of range");
	return PyDateTimeAPI->DateTime_FromDateAndTime(
		(int)y, (int)mo, (int)d, (int)(rem / 3600000000LL), (int)(rem / 60000000 % 60),
		(int)(rem / 1000000 % 60), (int)(rem % 1000000), aware ? akpy.utc : Py_None,
		PyDateTimeAPI->DateTimeType);
}

/* fastavro's arithmetic exactly: int() of a true division, then Python's modulo. */
static PyObject *make_time(int64_t v, int64_t per_second)
{
	int64_t h = (int64_t)((double)v / (double)(3600 * per_second));
	int64_t m = floormod((int64_t)((double)v / (double)(60 * per_second)), 60);
	int64_t s = floormod((int64_t)((double)v / (double)per_second), 60);
	int64_t frac = floormod(v, per_second) * (1000000 / per_second);

	if (h < 0 || h > 23)
		return PyErr_Format(PyExc_ValueError, "hour must be in 0..23");
	return PyTime_FromTime((int)h, (int)m, (int)s, (int)frac);
}

static PyObject *make_decimal(const struct ak_node *n, const void *p, size_t len)
{
	PyObject *unscaled, *ctx = NULL, *d = NULL, *r = NULL, *mod;
	int64_t prec;

	unscaled = len ? _PyLong_FromByteArray(p, len, 0, 1) : PyLong_FromLong(0);
	if (!unscaled)
		return NULL;
	/*
	 * fastavro: a context of the schema's precision, create_decimal, then scaleb; but with
	 * room for every digit there is, so that nothing is rounded away: a value of more
	 * digits than a reader schema's smaller precision (or than a careless writer's) reads
	 * as it was written (bits * log10(2), rounded up, is at least the digits' count)
	 */
	{
		int64_t bits = (int64_t)_PyLong_NumBits(unscaled);
		int64_t digits = bits < 0 ? 0 : bits * 30103 / 100000 + 2;

		prec = ak_node_precision(n) > digits ? ak_node_precision(n) : digits;
	}
	if (!(mod = PyImport_ImportModule("decimal")))
		goto out;
	ctx = PyObject_CallMethod(mod, "Context", "(L)", (long long)prec);
	Py_DECREF(mod);
	if (!ctx || !(d = PyObject_CallMethod(ctx, "create_decimal", "(O)", unscaled)))
		goto out;
	r = PyObject_CallMethod(d, "scaleb", "(iO)", -ak_node_scale(n), ctx);
out:
	Py_XDECREF(ctx);
	Py_XDECREF(d);
	Py_DECREF(unscaled);
	return r;
}

/* ---- the visitor ---- */

#define B ((struct builder *)ctx)

static int v_null(void *ctx, const struct ak_node *n)
{
	(void)n;
	Py_INCREF(Py_None);
	return attach(B, Py_None);
}

static int v_boolean(void *ctx, const struct ak_node *n, int v)
{
	(void)n;
	return attach(B, PyBool_FromLong(v));
}

static int v_int(void *ctx, const struct ak_node *n, int32_t v)
{
	switch (ak_node_logical(n)) {
	case AK_LT_DATE:
		return attach(B, make_date(v));
	case AK_LT_TIME_MILLIS:
		return attach(B, make_time(v, 1000));
	default:
		return attach(B, PyLong_FromLong(v));
	}
}

static int v_long(void *ctx, const struct ak_node *n, int64_t v)
{
	switch (ak_node_logical(n)) {
	case AK_LT_TIMESTAMP_MILLIS:
	case AK_LT_LOCAL_TIMESTAMP_MILLIS:
		if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000) {
			PyErr_SetString(PyExc_OverflowError, "date value out of range");
			return VISIT_FAILED;
		}
		return attach(B, make_timestamp(v * 1000,
						ak_node_logical(n) == AK_LT_TIMESTAMP_MILLIS));
	case AK_LT_TIMESTAMP_MICROS:
	case AK_LT_LOCAL_TIMESTAMP_MICROS:
		return attach(B, make_timestamp(v, ak_node_logical(n) == AK_LT_TIMESTAMP_MICROS));
	case AK_LT_TIME_MICROS:
		return attach(B, make_time(v, 1000000));
	default:
		return attach(B, PyLong_FromLongLong(v));
	}
}

static int v_float(void *ctx, const struct ak_node *n, float v)
{
	(void)n;
	return attach(B, PyFloat_FromDouble((double)v));
}

static int v_double(void *ctx, const struct ak_node *n, double v)
{
	(void)n;
	return attach(B, PyFloat_FromDouble(v));
}

static int v_bytes(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	if (ak_node_logical(n) == AK_LT_DECIMAL)
		return attach(B, make_decimal(n, p, len));
	return attach(B, PyBytes_FromStringAndSize(p, (Py_ssize_t)len));
}

static int v_string(void *ctx, const struct ak_node *n, const char *p, size_t len)
{
	PyObject *s, *u;

	if (ak_node_logical(n) != AK_LT_UUID)
		return attach(B, str_of(B, n, p, len));
	if (!(s = PyUnicode_DecodeUTF8(p, (Py_ssize_t)len, B->o->unicode_errors)))
		return VISIT_FAILED;
	u = PyObject_CallOneArg(akpy.UUID, s);
	Py_DECREF(s);
	return attach(B, u);
}

static int v_fixed(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	if (ak_node_logical(n) == AK_LT_DECIMAL)
		return attach(B, make_decimal(n, p, len));
	return attach(B, PyBytes_FromStringAndSize(p, (Py_ssize_t)len));
}

static int v_enum(void *ctx, const struct ak_node *n, uint32_t i)
{
	PyObject *sym = PyTuple_GET_ITEM(akpy_node(B->schema, n)->symbols, i);

	Py_INCREF(sym);
	return attach(B, sym);
}

static int v_record_begin(void *ctx, const struct ak_node *n)
{
	return push(B, PyDict_New(), F_RECORD, akpy_node(B->schema, n)->keys);
}

static int v_record_field(void *ctx, const struct ak_node *n, uint32_t i)
{
	(void)n;
	B->frames[B->n - 1].field = i;
	return 0;
}

static int v_end(void *ctx, const struct ak_node *n)
{
	(void)n;
	return pop(B);
}

static int v_array_begin(void *ctx, const struct ak_node *n, uint64_t hint)
{
	(void)n;
	(void)hint;
	return push(B, PyList_New(0), F_ARRAY, NULL);
}

static int v_map_begin(void *ctx, const struct ak_node *n, uint64_t hint)
{
	(void)n;
	(void)hint;
	return push(B, PyDict_New(), F_MAP, NULL);
}

static int v_map_key(void *ctx, const struct ak_node *n, const char *k, size_t len)
{
	struct bframe *f = &B->frames[B->n - 1];

	Py_XSETREF(f->key, str_of(B, n, k, len));
	return f->key ? 0 : VISIT_FAILED;
}

int akpy_wrap_branch(AkSchema *s, const struct ak_node *u, uint32_t i,
		     const struct akpy_read_opts *o)
{
	const struct ak_node *br = ak_node_branch(u, i);
	struct akpy_node *pu = akpy_node(s, u);

	if (o->return_named_type && ak_node_fullname(br))
		return !o->return_named_type_override || pu->nnamed > 1;
	if (o->return_record_name && ak_node_type(br) == AK_RECORD)
		return !o->return_record_name_override || pu->nrecords > 1;
	return 0;
}

static int v_union(void *ctx, const struct ak_node *n, uint32_t i)
{
	if (B->o->return_record_name || B->o->return_named_type) {
		if (akpy_wrap_branch(B->schema, n, i, B->o))
			B->wrap = akpy_node(B->schema, ak_node_branch(n, i))->name;
	}
	return 0;
}

/* plain_visitor's: schemas without logical types, read without a reader schema */
static int v_int_plain(void *ctx, const struct ak_node *n, int32_t v)
{
	(void)n;
	return attach(B, PyLong_FromLong(v));
}

static int v_long_plain(void *ctx, const struct ak_node *n, int64_t v)
{
	(void)n;
	return attach(B, PyLong_FromLongLong(v));
}

static int v_bytes_plain(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	(void)n;
	return attach(B, PyBytes_FromStringAndSize(p, (Py_ssize_t)len));
}

static int v_string_plain(void *ctx, const struct ak_node *n, const char *p, size_t len)
{
	return attach(B, str_of(B, n, p, len));
}

#undef B

static const struct ak_visitor builder_visitor = {
	sizeof(struct ak_visitor),
	v_null,
	v_boolean,
	v_int,
	v_long,
	v_float,
	v_double,
	v_bytes,
	v_string,
	v_fixed,
	v_enum,
	v_record_begin,
	v_record_field,
	v_end,
	v_array_begin,
	v_end,
	v_map_begin,
	v_map_key,
	v_end,
	v_union,
};

/*
 * The same for a schema without logical types read without a reader schema, which is most
 * data: no callback asks which logical type a value has, and no record_field (fields come in
 * the writer's order, which attach() follows). With the visitor read in place (not copied),
 * 3.3% (big records) to 6.8% (a one-string record) fewer instructions a record.
 */
static const struct ak_visitor plain_visitor = {
	sizeof(struct ak_visitor),
	v_null,
	v_boolean,
	v_int_plain,
	v_long_plain,
	v_float,
	v_double,
	v_bytes_plain,
	v_string_plain,
	v_bytes_plain,
	v_enum,
	v_record_begin,
	NULL,
	v_end,
	v_array_begin,
	v_end,
	v_map_begin,
	v_map_key,
	v_end,
	v_union,
};

/* ---- hooks: the functions of avrokit.read.LOGICAL_READERS ----
 *
 * While LOGICAL_READERS holds its defaults, the conversions above are all there is. Once a
 * program changes it, a type whose "type-logicalType" key maps to another function has its
 * values (as decoded, promoted to the reader schema's type) given to that function, called
 * as fastavro calls it: fn(value, writer_schema, reader_schema) with the type's schema as a
 * dict (both arguments when reading through a reader schema, whose type it is); a key the
 * program removed leaves the value as decoded. hook_visitor runs them, and the other types
 * through builder_visitor's callbacks.
 */

#define B ((struct builder *)ctx)

/* The hook of node @n: NULL (the built-in conversion) or (function or None, schema). */
static inline PyObject *hook_of(struct builder *b, const struct ak_node *n)
{
	PyObject *h = PyTuple_GET_ITEM(b->hooks, (Py_ssize_t)ak_node_id(n));

	return h == Py_None ? NULL : h;
}

/* The value @raw (a new reference, or NULL after an error) through the hook @h. */
static PyObject *run_hook(struct builder *b, PyObject *h, PyObject *raw)
{
	PyObject *fn = PyTuple_GET_ITEM(h, 0), *schema = PyTuple_GET_ITEM(h, 1), *v;

	if (!raw || fn == Py_None)
		return raw;
	v = PyObject_CallFunctionObjArgs(fn, raw, schema, b->resolving ? schema : Py_None, NULL);
	Py_DECREF(raw);
	return v;
}

static int hv_null(void *ctx, const struct ak_node *n)
{
	PyObject *h = hook_of(B, n);

	if (!h)
		return v_null(ctx, n);
	Py_INCREF(Py_None);
	return attach(B, run_hook(B, h, Py_None));
}

static int hv_boolean(void *ctx, const struct ak_node *n, int v)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyBool_FromLong(v))) : v_boolean(ctx, n, v);
}

static int hv_int(void *ctx, const struct ak_node *n, int32_t v)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyLong_FromLong(v))) : v_int(ctx, n, v);
}

static int hv_long(void *ctx, const struct ak_node *n, int64_t v)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyLong_FromLongLong(v))) : v_long(ctx, n, v);
}

static int hv_float(void *ctx, const struct ak_node *n, float v)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyFloat_FromDouble((double)v))) : v_float(ctx, n, v);
}

static int hv_double(void *ctx, const struct ak_node *n, double v)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyFloat_FromDouble(v))) : v_double(ctx, n, v);
}

static int hv_bytes(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyBytes_FromStringAndSize(p, (Py_ssize_t)len)))
		 : v_bytes(ctx, n, p, len);
}

static int hv_string(void *ctx, const struct ak_node *n, const char *p, size_t len)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, str_of(B, n, p, len))) : v_string(ctx, n, p, len);
}

static int hv_fixed(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	PyObject *h = hook_of(B, n);

	return h ? attach(B, run_hook(B, h, PyBytes_FromStringAndSize(p, (Py_ssize_t)len)))
		 : v_fixed(ctx, n, p, len);
}

static int hv_enum(void *ctx, const struct ak_node *n, uint32_t i)
{
	PyObject *h = hook_of(B, n), *sym;

	if (!h)
		return v_enum(ctx, n, i);
	sym = PyTuple_GET_ITEM(akpy_node(B->schema, n)->symbols, i);
	Py_INCREF(sym);
	return attach(B, run_hook(B, h, sym));
}

/* A record, array or map ends: its hook gets the container before it is attached. */
static int hv_end(void *ctx, const struct ak_node *n)
{
	PyObject *h = hook_of(B, n);

	if (h) {
		struct bframe *f = &B->frames[B->n - 1];

		f->obj = run_hook(B, h, f->obj); /* NULL after an error: pop() fails */
	}
	return pop(B);
}

#undef B

static const struct ak_visitor hook_visitor = {
	sizeof(struct ak_visitor),
	hv_null,
	hv_boolean,
	hv_int,
	hv_long,
	hv_float,
	hv_double,
	hv_bytes,
	hv_string,
	hv_fixed,
	hv_enum,
	v_record_begin,
	v_record_field,
	hv_end,
	v_array_begin,
	hv_end,
	v_map_begin,
	v_map_key,
	hv_end,
	v_union,
};

/*
 * The visitor for the next value: the builder's own, or hook_visitor while a logical type of
 * its schema has a hook (looked up again after every change to the registries). NULL with
 * an exception.
 */
static __attribute__((noinline)) const struct ak_visitor *builder_refresh(struct builder *b)
{
	PyObject *h;

	if (akpy_hooks(b->schema, 0, &h) != 0)
		return NULL;
	Py_XINCREF(h);
	Py_XSETREF(b->hooks, h);
	b->vis = h ? &hook_visitor : b->base;
	b->hooks_version = akpy.logical_version;
	return b->vis;
}

static inline const struct ak_visitor *builder_ready(struct builder *b)
{
	return b->hooks_version == akpy.logical_version ? b->vis : builder_refresh(b);
}

/* The datum built, or NULL with the exception set. */
static PyObject *built(struct builder *b, int rc, const struct ak_error *err)
{
	PyObject *r;

	if (rc != AK_OK) {
		builder_clear(b);
		return akpy_raise(err, NULL);
	}
	r = b->result;
	b->result = NULL;
	return r;
}

static int parse_opts(struct akpy_read_opts *o, PyObject *unicode_errors, int rrn, int rrno,
		      int rnt, int rnto, char **owned)
{
	const char *s = "strict";

	if (unicode_errors && unicode_errors != Py_None &&
	    !(s = PyUnicode_AsUTF8(unicode_errors)))
		return -1;
	if (!(*owned = PyMem_Malloc(strlen(s) + 1))) {
		PyErr_NoMemory();
		return -1;
	}
	strcpy(*owned, s);
	o->unicode_errors = *owned;
	o->return_record_name = rrn;
	o->return_record_name_override = rrno;
	o->return_named_type = rnt;
	o->return_named_type_override = rnto;
	return 0;
}

/* Does a value of @n have a logical type (@python: one whose decoding runs Python code,
 * uuid.UUID or the decimal module)? @seen: one byte per node of the schema, for recursive
 * types. */
static int has_logical(const struct ak_node *n, unsigned char *seen, int python)
{
	size_t id = ak_node_id(n), count;

	if (seen[id])
		return 0;
	seen[id] = 1;
	if (python ? ak_node_logical(n) == AK_LT_UUID || ak_node_logical(n) == AK_LT_DECIMAL
		   : ak_node_logical(n) != AK_LT_NONE)
		return 1;
	switch (ak_node_type(n)) {
	case AK_RECORD:
	case AK_UNION:
		count = ak_node_count(n);
		for (size_t i = 0; i < count; i++)
			if (has_logical(ak_node_type(n) == AK_RECORD ? ak_node_field_type(n, i) :
					ak_node_branch(n, i), seen, python))
				return 1;
		return 0;
	case AK_ARRAY:
	case AK_MAP:
		return has_logical(ak_node_items(n), seen, python);
	default:
		return 0;
	}
}

/* Can the collector pause while records of @s are decoded with the options @o? */
static int decoding_is_pure(const struct ak_schema *s, const struct akpy_read_opts *o)
{
	unsigned char *seen;
	int r;

	/* the built-in error handlers are C; one registered with codecs could be Python */
	static const char *const builtin[] = { "strict", "ignore", "replace", "backslashreplace",
					       "surrogateescape" };
	int known = !o->unicode_errors;

	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]) && !known; i++)
		known = strcmp(o->unicode_errors, builtin[i]) == 0;
	if (!known)
		return 0;
	if (!(seen = PyMem_Calloc(ak_schema_node_count(s) + 1, 1)))
		return 0;
	r = !has_logical(ak_schema_root(s), seen, 1);
	PyMem_Free(seen);
	return r;
}

/* The builder gets the values of @s, read through a reader schema or not (@resolving). */
static void builder_use(struct builder *b, AkSchema *s, const struct akpy_read_opts *o,
			int resolving)
{
	unsigned char *seen = resolving ? NULL : PyMem_Calloc(ak_schema_node_count(s->s) + 1, 1);

	b->schema = s;
	b->o = o;
	b->base = seen && !has_logical(ak_schema_root(s->s), seen, 0) ? &plain_visitor
								     : &builder_visitor;
	b->vis = b->base;
	b->resolving = resolving;
	Py_CLEAR(b->hooks);
	b->hooks_version = 0; /* builder_ready() looks once the registries have changed */
	PyMem_Free(seen);
}

/*
 * Pause the garbage collector while records are built: see reader_fill() for why, and for
 * when it is safe (only where decoding_is_pure(), with the GIL held throughout). Returns
 * what to give gc_resume(): whether it was on.
 */
static int gc_pause(int pure)
{
#if PY_VERSION_HEX >= 0x030A0000
	return pure ? PyGC_Disable() : 0;
#else
	(void)pure;
	return 0;
#endif
}

static void gc_resume(int was_on)
{
#if PY_VERSION_HEX >= 0x030A0000
	if (was_on)
		PyGC_Enable();
#else
	(void)was_on;
#endif
}

/* ---- Decoder: datums from buffers ---- */

typedef struct {
	PyObject_HEAD
	struct ak_decoder *d;
	AkSchema *writer, *reader;
	struct akpy_read_opts opts;
	char *errors;
	struct builder b;
	int busy;
	int pure; /* decoding runs no Python code (decoding_is_pure()) */
} AkDecoder;

static void decoder_dealloc(AkDecoder *self)
{
	ak_decoder_free(self->d);
	builder_free(&self->b);
	Py_XDECREF(self->writer);
	Py_XDECREF(self->reader);
	PyMem_Free(self->errors);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int decoder_init(AkDecoder *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "writer_schema", "reader_schema", "return_record_name",
				  "return_record_name_override", "return_named_type",
				  "return_named_type_override", "handle_unicode_errors", NULL };
	PyObject *writer, *reader = Py_None, *errors = NULL;
	int rrn = 0, rrno = 0, rnt = 0, rnto = 0;
	struct ak_decoder_opts o;
	struct ak_error err;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|OppppO", kwlist, &AkSchema_Type, &writer,
					 &reader, &rrn, &rrno, &rnt, &rnto, &errors))
		return -1;
	if (self->d) {
		PyErr_SetString(PyExc_RuntimeError, "Decoder is already initialized");
		return -1;
	}
	if (reader != Py_None && !PyObject_TypeCheck(reader, &AkSchema_Type)) {
		PyErr_SetString(PyExc_TypeError, "reader_schema must be a Schema or None");
		return -1;
	}
	if (parse_opts(&self->opts, errors, rrn, rrno, rnt, rnto, &self->errors) != 0)
		return -1;
	Py_INCREF(writer);
	self->writer = (AkSchema *)writer;
	if (reader != Py_None) {
		Py_INCREF(reader);
		self->reader = (AkSchema *)reader;
	}
	ak_decoder_opts_init(&o);
	o.reader = self->reader ? self->reader->s : NULL;
	o.resolve_flags = AK_RESOLVE_LAZY; /* what cannot be read fails where it is, as in
					    * fastavro */
	ak_error_clear(&err);
	if (!(self->d = ak_decoder_new(self->writer->s, &o, &err))) {
		akpy_raise(&err, NULL);
		return -1;
	}
	builder_use(&self->b, self->reader ? self->reader : self->writer, &self->opts,
		    self->reader != NULL);
	self->pure = decoding_is_pure(self->b.schema->s, &self->opts);
	return 0;
}

static int enter(int *busy)
{
	if (*busy) {
		PyErr_SetString(PyExc_RuntimeError, "this object is in use by another thread: use "
				"one per thread");
		return -1;
	}
	*busy = 1;
	return 0;
}

static PyTypeObject AkDecoder_Type;

/*
 * The decoder for one call on @self: @self, or a new one like it when a call on @self is
 * under way. A Decoder is shared by design (schemaless_reader's cache, the blocks of one
 * block_reader), and the Python code of a logical type (uuid.UUID, decimal) lets other
 * threads run in the middle of a datum: a second call must not refuse, nor use the first
 * one's state. NULL with an exception; give it back with decoder_release().
 */
static AkDecoder *decoder_acquire(AkDecoder *self)
{
	AkDecoder *d;

	if (!self->busy) {
		self->busy = 1;
		Py_INCREF(self);
		return self;
	}
	d = (AkDecoder *)PyObject_CallFunction(
		(PyObject *)&AkDecoder_Type, "OOiiiis", (PyObject *)self->writer,
		self->reader ? (PyObject *)self->reader : Py_None, self->opts.return_record_name,
		self->opts.return_record_name_override, self->opts.return_named_type,
		self->opts.return_named_type_override, self->opts.unicode_errors);
	if (d)
		d->busy = 1;
	return d;
}

static void decoder_release(AkDecoder *d)
{
	d->busy = 0;
	Py_DECREF(d);
}

PyObject *akpy_decode_buffer(PyObject *obj, const void *buf, size_t len, size_t *used)
{
	AkDecoder *self = decoder_acquire((AkDecoder *)obj);
	struct ak_error err;
	PyObject *r;
	int rc;

	const struct ak_visitor *vis;

	if (!self)
		return NULL;
	if (!(vis = builder_ready(&self->b))) {
		decoder_release(self);
		return NULL;
	}
	ak_error_clear(&err);
	rc = ak_decode(self->d, buf, len, used, vis, &self->b, &err);
	r = built(&self->b, rc, &err);
	decoder_release(self);
	return r;
}

static PyObject *decoder_decode(AkDecoder *shared, PyObject *args)
{
	AkDecoder *self;
	Py_buffer view;
	Py_ssize_t offset = 0;
	struct ak_error err;
	size_t used = 0;
	PyObject *v, *r;
	const struct ak_visitor *vis;
	int rc;

	if (!PyArg_ParseTuple(args, "y*|n", &view, &offset))
		return NULL;
	if (offset < 0 || offset > view.len) {
		PyBuffer_Release(&view);
		return PyErr_Format(PyExc_ValueError, "offset %zd is outside the buffer", offset);
	}
	if (!(self = decoder_acquire(shared))) {
		PyBuffer_Release(&view);
		return NULL;
	}
	if (!(vis = builder_ready(&self->b))) {
		PyBuffer_Release(&view);
		decoder_release(self);
		return NULL;
	}
	ak_error_clear(&err);
	rc = ak_decode(self->d, (const char *)view.buf + offset, (size_t)(view.len - offset),
		       &used, vis, &self->b, &err);
	PyBuffer_Release(&view);
	v = built(&self->b, rc, &err);
	decoder_release(self);
	if (!v)
		return NULL;
	r = Py_BuildValue("(Nn)", v, (Py_ssize_t)used);
	return r;
}

/* All @count records of a decompressed block, as a list. */
static PyObject *decoder_decode_block(AkDecoder *shared, PyObject *args)
{
	AkDecoder *self;
	Py_buffer view;
	Py_ssize_t count;
	struct ak_error err;
	PyObject *list = NULL;
	const struct ak_visitor *vis;
	size_t pos = 0;
	int gc = 0;

	if (!PyArg_ParseTuple(args, "y*n", &view, &count))
		return NULL;
	if (count < 0 || count > view.len + 1 + (16 << 20)) {
		PyBuffer_Release(&view);
		return PyErr_Format(akpy.AvroError, "block claims %zd records", count);
	}
	if (!(self = decoder_acquire(shared))) {
		PyBuffer_Release(&view);
		return NULL;
	}
	if (!(vis = builder_ready(&self->b)) || !(list = PyList_New(0)))
		goto out;
	gc = gc_pause(self->pure && !self->b.hooks);
	for (Py_ssize_t i = 0; i < count; i++) {
		size_t used = 0;
		PyObject *v;
		int rc;

		ak_error_clear(&err);
		rc = ak_decode(self->d, (const char *)view.buf + pos, (size_t)view.len - pos, &used,
			       vis, &self->b, &err);
		if (rc != AK_OK)
			err.record = (uint64_t)i;
		if (!(v = built(&self->b, rc, &err)) || PyList_Append(list, v) != 0) {
			Py_XDECREF(v);
			Py_CLEAR(list);
			goto out;
		}
		Py_DECREF(v);
		pos += used;
	}
	gc_resume(gc);
	gc = 0;
	if (pos != (size_t)view.len) {
		Py_CLEAR(list);
		PyErr_Format(akpy.AvroError, "%zd bytes left over after the block's %zd records",
			     view.len - (Py_ssize_t)pos, count);
	}
out:
	gc_resume(gc);
	decoder_release(self);
	PyBuffer_Release(&view);
	return list;
}

static PyMethodDef decoder_methods[] = {
	{ "decode", (PyCFunction)decoder_decode, METH_VARARGS,
	  "decode(buffer, offset=0) -> (value, bytes used)\n\nDecode one datum." },
	{ "decode_block", (PyCFunction)decoder_decode_block, METH_VARARGS,
	  "decode_block(buffer, count) -> list\n\nDecode the count records of a block's "
	  "decompressed bytes, which they must fill exactly." },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject AkDecoder_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Decoder",
	.tp_basicsize = sizeof(AkDecoder),
	.tp_dealloc = (destructor)decoder_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Decoder(writer_schema, reader_schema=None, return_record_name=False, "
		  "return_record_name_override=False, return_named_type=False, "
		  "return_named_type_override=False, handle_unicode_errors='strict')\n\n"
		  "Decodes datums written with writer_schema (a Schema) into Python objects.",
	.tp_methods = decoder_methods,
	.tp_init = (initproc)decoder_init,
	.tp_new = PyType_GenericNew,
};

/* ---- reading a Python file object ---- */

/* OSError "@method() returned @what", with the method's name (readinto, read1, ...). */
static void bad_answer(PyObject *method, const char *what)
{
	PyObject *name = PyObject_GetAttrString(method, "__name__");

	if (name) {
		PyErr_Format(PyExc_OSError, "%S() returned %s", name, what);
		Py_DECREF(name);
	} else {
		PyErr_Clear();
		PyErr_Format(PyExc_OSError, "the file object returned %s", what);
	}
}

/*
 * BlockingIOError for None from a read method: a non-blocking file object with nothing to
 * read now. Taking it for the end would cut the data short without a word.
 */
static void would_block(PyObject *method)
{
	PyObject *name = PyObject_GetAttrString(method, "__name__");

	if (!name)
		PyErr_Clear();
	PyErr_Format(PyExc_BlockingIOError, "%S() returned None: the file object is "
		     "non-blocking and has nothing to read now (give a blocking one)",
		     name ? name : Py_None);
	Py_XDECREF(name);
}

/* The body of Reader's read callback and StreamReader's: _ext.h says what it does. */
ssize_t akpy_read_file(PyObject *readinto, PyObject *read, void *buf, size_t n)
{
	PyGILState_STATE g = PyGILState_Ensure();
	ssize_t got = -1;
	PyObject *r = NULL;

	if (PyErr_Occurred())
		goto out; /* an earlier call failed: do not call Python again */
	if (n > (size_t)PY_SSIZE_T_MAX)
		n = (size_t)PY_SSIZE_T_MAX;
	if (readinto) {
		PyObject *mv = PyMemoryView_FromMemory(buf, (Py_ssize_t)n, PyBUF_WRITE);

		if (!mv)
			goto out;
		r = PyObject_CallOneArg(readinto, mv);
		/*
		 * A readinto() that kept the view could write into @buf after the library has
		 * reused or freed it: release the view then (a later use raises ValueError), and
		 * refuse one with an export of it still open (numpy.frombuffer(), say). A new
		 * memoryview made from it escapes this check, as it does CPython's own
		 * BufferedReader, which hands its buffer to raw.readinto() the same way.
		 */
		if (Py_REFCNT(mv) > 1) {
			PyObject *et, *ev, *tb, *rel;

			PyErr_Fetch(&et, &ev, &tb); /* readinto()'s own error, if it raised */
			if ((rel = PyObject_CallMethod(mv, "release", NULL)) != NULL) {
				Py_DECREF(rel);
				PyErr_Restore(et, ev, tb);
			} else if (!r) {
				PyErr_Clear();
				PyErr_Restore(et, ev, tb);
			} else {
				Py_CLEAR(r);
				if (PyErr_ExceptionMatches(PyExc_BufferError)) {
					PyErr_Clear();
					bad_answer(readinto, "with the buffer it was given still in use");
				}
			}
		}
		Py_DECREF(mv);
		if (!r)
			goto out;
		if (r == Py_None) {
			would_block(readinto);
		} else if ((got = PyLong_AsSsize_t(r)) < 0 || got > (ssize_t)n) {
			if (!PyErr_Occurred())
				bad_answer(readinto, got < 0 ? "a negative count" : "too large a count");
			got = -1;
		}
	} else {
		Py_buffer view;

		if (!(r = PyObject_CallFunction(read, "n", (Py_ssize_t)n)))
			goto out;
		if (r == Py_None) {
			would_block(read);
			goto out;
		}
		if (PyObject_GetBuffer(r, &view, PyBUF_SIMPLE) != 0)
			goto out;
		if ((size_t)view.len > n) {
			bad_answer(read, "more than asked for");
		} else {
			memcpy(buf, view.buf, (size_t)view.len);
			got = view.len;
		}
		PyBuffer_Release(&view);
	}
out:
	Py_XDECREF(r);
	if (got < 0)
		errno = EIO;
	PyGILState_Release(g);
	return got;
}

/* ---- Reader: container files ---- */

typedef struct {
	PyObject_HEAD
	struct ak_reader *r;
	PyObject *readinto, *read;  /* the file object's methods */
	PyObject *seek;             /* its seek(), once a byte range asks to skip; else NULL */
	AkSchema *writer;           /* wraps the reader's own schema */
	AkSchema *reader;
	struct akpy_read_opts opts;
	char *errors;
	struct builder b;
	int busy;
	int done;
	int pure;                   /* decoding runs no Python code: see reader_fill() */
	PyObject **batch;           /* records decoded ahead, batch[bi .. bn) not yet returned */
	size_t bi, bn;
	PyObject *exc[3];           /* what ended the batch early, raised after its records */
	int batch_eof;              /* the batch reached the end of the records */
	PyObject *failed, *failed_args; /* the type and arguments of the exception a record
					 * raised, to raise it again if asked */
} AkReader;

/* The reader's read callback: the file object's readinto() (or read()). */
static ssize_t py_read(void *ctx, void *buf, size_t n)
{
	AkReader *self = ctx;

	return akpy_read_file(self->readinto, self->read, buf, n);
}

/* The reader's skip callback: seek(n, SEEK_CUR) on the file object, with the GIL. ESPIPE
 * (the library then reads through) when there is no seek() or it cannot seek. */
static int py_skip(void *ctx, uint64_t n)
{
	AkReader *self = ctx;
	PyGILState_STATE g;
	PyObject *r;
	int rc = -1;

	if (!self->seek || n > (uint64_t)LLONG_MAX) {
		errno = ESPIPE;
		return -1;
	}
	g = PyGILState_Ensure();
	if (PyErr_Occurred()) {
		errno = EIO;
	} else if ((r = PyObject_CallFunction(self->seek, "Li", (long long)n, 1)) != NULL) {
		Py_DECREF(r);
		rc = 0;
	} else if (PyErr_ExceptionMatches(PyExc_OSError)) {
		/* io.UnsupportedOperation is an OSError: read through instead */
		PyErr_Clear();
		Py_CLEAR(self->seek);
		errno = ESPIPE;
	} else {
		errno = EIO;
	}
	PyGILState_Release(g);
	return rc;
}

static void batch_drop(AkReader *self)
{
	while (self->bi < self->bn)
		Py_CLEAR(self->batch[self->bi++]);
	self->bi = self->bn = 0;
	Py_CLEAR(self->exc[0]);
	Py_CLEAR(self->exc[1]);
	Py_CLEAR(self->exc[2]);
	self->batch_eof = 0;
}

static void reader_dealloc(AkReader *self)
{
	batch_drop(self);
	PyMem_Free(self->batch);
	Py_XDECREF(self->failed);
	Py_XDECREF(self->failed_args);
	ak_reader_free(self->r);
	Py_XDECREF(self->seek);
	builder_free(&self->b);
	Py_XDECREF(self->readinto);
	Py_XDECREF(self->read);
	Py_XDECREF(self->writer);
	Py_XDECREF(self->reader);
	PyMem_Free(self->errors);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

/*
 * Whether @fo's readinto() is io.RawIOBase's own, which raises NotImplementedError: a
 * subclass of RawIOBase that defines read() alone (fastavro calls read()) is read with it.
 */
static int abstract_readinto(PyObject *fo)
{
	PyObject *m = PyObject_GetAttr((PyObject *)Py_TYPE(fo), akpy.str_readinto);
	int r = m == akpy.raw_readinto;

	if (!m)
		PyErr_Clear();
	Py_XDECREF(m);
	return r;
}

static int reader_init(AkReader *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fo", "reader_schema", "return_record_name",
				  "return_record_name_override", "return_named_type",
				  "return_named_type_override", "handle_unicode_errors",
				  "threads", NULL };
	PyObject *fo, *reader = Py_None, *errors = NULL, *json = NULL, *lenient_args = NULL;
	int rrn = 0, rrno = 0, rnt = 0, rnto = 0;
	unsigned threads = 1;
	struct ak_reader_opts o;
	struct ak_error err;
	const void *text;
	size_t len;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OppppOI", kwlist, &fo, &reader, &rrn, &rrno,
					 &rnt, &rnto, &errors, &threads))
		return -1;
	if (self->r) {
		PyErr_SetString(PyExc_RuntimeError, "Reader is already initialized");
		return -1;
	}
	if (reader != Py_None && !PyObject_TypeCheck(reader, &AkSchema_Type)) {
		PyErr_SetString(PyExc_TypeError, "reader_schema must be a Schema or None");
		return -1;
	}
	if (parse_opts(&self->opts, errors, rrn, rrno, rnt, rnto, &self->errors) != 0)
		return -1;
	if (PyObject_HasAttr(fo, akpy.str_readinto) && !abstract_readinto(fo) &&
	    !(self->readinto = PyObject_GetAttr(fo, akpy.str_readinto)))
		return -1;
	if (!self->readinto && !(self->read = PyObject_GetAttr(fo, akpy.str_read)))
		return -1;
	if (reader != Py_None) {
		Py_INCREF(reader);
		self->reader = (AkSchema *)reader;
	}
	ak_reader_opts_init(&o);
	o.reader_schema = self->reader ? self->reader->s : NULL;
	o.threads = threads;
	/*
	 * A part of the file's schema that the reader schema cannot read fails where a value of
	 * it is read, as in fastavro: a file without records, or whose arrays, maps and unions
	 * never hold that part, reads without error, and the header can be looked at.
	 */
	o.resolve_flags = AK_RESOLVE_LAZY;
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	self->r = ak_reader_open_callbacks(py_read, py_skip, self, &o, &err);
	Py_END_ALLOW_THREADS
	if (!self->r) {
		akpy_raise(&err, NULL);
		return -1;
	}
	text = ak_reader_meta_get(self->r, "avro.schema", &len);
	if (!(json = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "replace")))
		return -1;
	(void)lenient_args;
	{
		PyObject *a = PyTuple_Pack(1, json), *k = Py_BuildValue("{s:O}", "lenient", Py_True);

		if (a && k)
			self->writer = (AkSchema *)PyObject_Call((PyObject *)&AkSchema_Type, a, k);
		Py_XDECREF(a);
		Py_XDECREF(k);
	}
	Py_DECREF(json);
	if (!self->writer)
		return -1;
	builder_use(&self->b, self->reader ? self->reader : self->writer, &self->opts,
		    self->reader != NULL);
	self->pure = decoding_is_pure(self->b.schema->s, &self->opts);
	return 0;
}

/* Make the next record ready, with the GIL released when a block has to be read. */
static int reader_prepare(AkReader *self, struct ak_error *err)
{
	int rc;

	if (ak_reader_records_left(self->r))
		return AK_OK;
	Py_BEGIN_ALLOW_THREADS
	rc = ak_reader_prepare(self->r, err);
	Py_END_ALLOW_THREADS
	return rc;
}

/* Records decoded at once by reader_fill(), at most; and the values they may hold (past
 * this many, the batch ends after the record that made them), which bounds the memory a
 * batch holds on top of its block: records of long arrays or maps come fewer at a time. */
#define BATCH_MAX 1024
#define BATCH_VALUES 65536

/*
 * Decode up to BATCH_MAX of the block's records (fewer when they hold more than BATCH_VALUES
 * values) into self->batch, with the garbage
 * collector paused. Each record makes new dicts and lists, which count towards the next
 * collection, and at every 700 of them CPython runs one, whose older generations walk every
 * live container: the records already read and whatever else the program holds. Decoding
 * makes no reference cycles, so there is nothing for a collection to find until the batch
 * is done; pausing it means one collection a batch instead of one every few records (at
 * 100k records of a nested schema, the reader twice as fast). The pause holds only while
 * the GIL is held and no Python code runs (no uuid or decimal logical types, a built-in
 * error handler: self->pure), so no other thread can see the collector off; and it is
 * restored only if it was on. An error or the end stops the batch; the records before it
 * are returned first, then the error is raised.
 */
static int reader_fill(AkReader *self, const struct ak_visitor *vis)
{
	struct ak_error err;
	uint64_t left = ak_reader_records_left(self->r);
	size_t k = left < BATCH_MAX ? (size_t)left : BATCH_MAX, n = 0;
	int rc = AK_OK, gc = 0;

	if (!self->batch && !(self->batch = PyMem_Malloc(BATCH_MAX * sizeof(PyObject *)))) {
		PyErr_NoMemory();
		return -1;
	}
	gc = gc_pause(1);
	ak_error_clear(&err);
	self->b.made = 0;
	while (n < k && self->b.made < BATCH_VALUES) {
		rc = ak_reader_read(self->r, vis, &self->b, &err);
		if (rc == AK_EOF) {
			self->batch_eof = 1;
			break;
		}
		if (!(self->batch[n] = built(&self->b, rc, &err))) {
			PyErr_Fetch(&self->exc[0], &self->exc[1], &self->exc[2]);
			break;
		}
		n++;
	}
	gc_resume(gc);
	self->bi = 0;
	self->bn = n;
	return 0;
}

/*
 * A record could not be read: the exception stays set, and its type and arguments are kept
 * to raise it again on every later call. The library's reader stops at its first error and
 * gives it again, but the exception a callback raised (UnicodeDecodeError, say) is only in
 * the interpreter once. Not the exception itself: its traceback holds the frames that hold
 * this reader, a cycle through an object the collector does not traverse.
 */
static PyObject *reader_fail(AkReader *self)
{
	PyObject *t, *v, *tb, *args;

	PyErr_Fetch(&t, &v, &tb);
	if (!t)
		return NULL;
	PyErr_NormalizeException(&t, &v, &tb);
	/* its arguments from the struct: a lookup by name leaves an object behind each time */
	args = v && PyExceptionInstance_Check(v) ? ((PyBaseExceptionObject *)v)->args : NULL;
	Py_XINCREF(args);
	if (args && PyTuple_Check(args)) {
		Py_INCREF(t);
		Py_XSETREF(self->failed, t);
		Py_XSETREF(self->failed_args, args);
	} else {
		Py_XDECREF(args);
	}
	PyErr_Restore(t, v, tb);
	return NULL;
}

static PyObject *reader_next(AkReader *self)
{
	struct ak_error err;
	const struct ak_visitor *vis = NULL;
	PyObject *r;
	int rc;

	if (self->bi < self->bn) {
		r = self->batch[self->bi];
		self->batch[self->bi++] = NULL;
		return r;
	}
	if (self->exc[0]) {
		PyErr_Restore(self->exc[0], self->exc[1], self->exc[2]);
		self->exc[0] = self->exc[1] = self->exc[2] = NULL;
		return reader_fail(self);
	}
	if (self->failed) {
		PyObject *e = PyObject_Call(self->failed, self->failed_args, NULL);

		if (e) {
			PyErr_SetObject((PyObject *)Py_TYPE(e), e);
			Py_DECREF(e);
		}
		return NULL;
	}
	if (self->batch_eof) {
		self->batch_eof = 0;
		self->done = 1;
	}
	if (!self->r || self->done)
		return NULL;
	/*
	 * list(reader) or a loop in C calls this without running any Python code in between,
	 * and only the interpreter's loop looks for signals: look here, between batches, or
	 * Ctrl-C would wait for the whole file (KeyboardInterrupt; the next call goes on).
	 */
	if (PyErr_CheckSignals() != 0)
		return NULL;
	if (enter(&self->busy) != 0)
		return NULL;
	ak_error_clear(&err);
	rc = reader_prepare(self, &err);
	if (rc == AK_OK && !(vis = builder_ready(&self->b))) {
		self->busy = 0;
		return NULL;
	}
	if (rc == AK_OK && self->pure && !self->b.hooks && ak_reader_records_left(self->r) > 1) {
		rc = reader_fill(self, vis);
		self->busy = 0;
		if (rc != 0)
			return NULL;
		return reader_next(self);
	}
	if (rc == AK_OK)
		rc = ak_reader_read(self->r, vis, &self->b, &err);
	self->busy = 0;
	if (rc == AK_EOF) {
		self->done = 1;
		return NULL;
	}
	if (rc != AK_OK) {
		built(&self->b, rc, &err);
		return reader_fail(self);
	}
	return built(&self->b, rc, &err);
}

/* The next block, decompressed: (bytes, count, offset, stored size), or None at the end. */
static PyObject *reader_next_block(AkReader *self, PyObject *unused)
{
	struct ak_error err;
	struct ak_block blk;
	int rc;

	(void)unused;
	if (!self->r || self->done)
		Py_RETURN_NONE;
	if (enter(&self->busy) != 0)
		return NULL;
	batch_drop(self); /* like the rest of the block, the records decoded ahead */
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	rc = ak_reader_next_block(self->r, &blk, 0, &err);
	Py_END_ALLOW_THREADS
	self->busy = 0;
	if (rc == AK_EOF) {
		self->done = 1;
		Py_RETURN_NONE;
	}
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	/* fastavro's size: the whole block as stored, count and size varints and sync marker
	 * included */
	{
		uint64_t zc = ((uint64_t)blk.count << 1) ^ (uint64_t)(blk.count >> 63);
		uint64_t zs = blk.stored_size << 1;
		unsigned nc = 1, ns = 1;

		while (zc >>= 7)
			nc++;
		while (zs >>= 7)
			ns++;
		return Py_BuildValue("(y#LKK)", blk.data ? (const char *)blk.data : "",
				     (Py_ssize_t)blk.size, (long long)blk.count,
				     (unsigned long long)blk.offset,
				     (unsigned long long)(nc + ns + blk.stored_size + 16));
	}
}

/* _set_range(start, end, seek): read only the blocks of [start, end) (ak_reader_set_range());
 * @seek is the file object's seek() when it can seek, else None. */
static PyObject *reader_set_range(AkReader *self, PyObject *args)
{
	unsigned long long start, end;
	PyObject *seek;
	struct ak_error err;
	int rc;

	if (!PyArg_ParseTuple(args, "KKO", &start, &end, &seek))
		return NULL;
	if (!self->r) {
		PyErr_SetString(PyExc_RuntimeError, "Reader is not initialized");
		return NULL;
	}
	if (enter(&self->busy) != 0)
		return NULL;
	batch_drop(self);
	if (seek != Py_None)
		Py_INCREF(seek);
	Py_XSETREF(self->seek, seek == Py_None ? NULL : seek);
	ak_error_clear(&err);
	Py_BEGIN_ALLOW_THREADS
	rc = ak_reader_set_range(self->r, start, end, &err);
	Py_END_ALLOW_THREADS
	self->busy = 0;
	if (rc != AK_OK)
		return akpy_raise(&err, NULL);
	Py_RETURN_NONE;
}

static PyObject *reader_get_codec(AkReader *self, void *closure)
{
	(void)closure;
	return PyUnicode_FromString(ak_reader_codec(self->r));
}

static PyObject *reader_get_meta(AkReader *self, void *closure)
{
	PyObject *d = PyDict_New();

	(void)closure;
	if (!d)
		return NULL;
	for (size_t i = 0; i < ak_reader_meta_count(self->r); i++) {
		size_t len;
		const void *v = ak_reader_meta_value(self->r, i, &len);
		PyObject *val = PyBytes_FromStringAndSize(v, (Py_ssize_t)len);

		if (!val || PyDict_SetItemString(d, ak_reader_meta_key(self->r, i), val) != 0) {
			Py_XDECREF(val);
			Py_DECREF(d);
			return NULL;
		}
		Py_DECREF(val);
	}
	return d;
}

static PyObject *reader_get_sync(AkReader *self, void *closure)
{
	(void)closure;
	return PyBytes_FromStringAndSize((const char *)ak_reader_sync(self->r), 16);
}

static PyObject *reader_get_writer(AkReader *self, void *closure)
{
	(void)closure;
	Py_INCREF(self->writer);
	return (PyObject *)self->writer;
}

static PyObject *reader_get_header_size(AkReader *self, void *closure)
{
	(void)closure;
	return PyLong_FromUnsignedLongLong(ak_reader_header_size(self->r));
}

static PyMethodDef reader_methods[] = {
	{ "_next_block", (PyCFunction)reader_next_block, METH_NOARGS,
	  "_next_block() -> (bytes, count, offset, stored_size) or None" },
	{ "_set_range", (PyCFunction)reader_set_range, METH_VARARGS,
	  "_set_range(start, end, seek): only the blocks whose sync marker starts in "
	  "[start, end)" },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef reader_getset[] = {
	{ "_codec", (getter)reader_get_codec, NULL, "avro.codec", NULL },
	{ "_raw_metadata", (getter)reader_get_meta, NULL, "metadata, values as bytes", NULL },
	{ "_sync", (getter)reader_get_sync, NULL, "the sync marker", NULL },
	{ "_writer", (getter)reader_get_writer, NULL, "the writer schema (Schema)", NULL },
	{ "_header_size", (getter)reader_get_header_size, NULL, "bytes of the header", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyObject *self_iter(PyObject *self)
{
	Py_INCREF(self);
	return self;
}

static PyTypeObject AkReader_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "avrokit._ext.Reader",
	.tp_basicsize = sizeof(AkReader),
	.tp_dealloc = (destructor)reader_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
	.tp_doc = "Reader(fo, reader_schema=None, ..., threads=1)\n\nThe records of an Avro "
		  "container file read from a binary file object.",
	.tp_iter = self_iter,
	.tp_iternext = (iternextfunc)reader_next,
	.tp_methods = reader_methods,
	.tp_getset = reader_getset,
	.tp_init = (initproc)reader_init,
	.tp_new = PyType_GenericNew,
};

/* ---- the builder, for _stream.c ---- */

struct builder *akpy_builder_new(void)
{
	struct builder *b = PyMem_Calloc(1, sizeof(*b));

	if (!b)
		PyErr_NoMemory();
	return b;
}

void akpy_builder_free(struct builder *b)
{
	if (b) {
		builder_free(b);
		PyMem_Free(b);
	}
}

void akpy_builder_use(struct builder *b, AkSchema *s, const struct akpy_read_opts *o,
		      int resolving)
{
	b->schema = s;
	b->o = o;
	b->base = b->vis = &builder_visitor;
	b->resolving = resolving;
	Py_CLEAR(b->hooks);
	b->hooks_version = 0;
}

const struct ak_visitor *akpy_builder_ready(struct builder *b)
{
	return builder_ready(b);
}

PyObject *akpy_builder_take(struct builder *b, int rc, const struct ak_error *err)
{
	return built(b, rc, err);
}

int akpy_read_opts_parse(struct akpy_read_opts *o, PyObject *unicode_errors, int rrn,
			 int rrno, int rnt, int rnto, char **owned)
{
	return parse_opts(o, unicode_errors, rrn, rrno, rnt, rnto, owned);
}

int akpy_read_types(PyObject *m)
{
	/* datetime.h keeps the C API in a static variable: each file imports it */
	PyDateTime_IMPORT;
	if (!PyDateTimeAPI)
		return -1;
	if (PyType_Ready(&AkDecoder_Type) < 0 || PyType_Ready(&AkReader_Type) < 0)
		return -1;
	Py_INCREF(&AkDecoder_Type);
	if (PyModule_AddObject(m, "Decoder", (PyObject *)&AkDecoder_Type) != 0)
		return -1;
	Py_INCREF(&AkReader_Type);
	if (PyModule_AddObject(m, "Reader", (PyObject *)&AkReader_Type) != 0)
		return -1;
	return 0;
}
