/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro IDL lexer (see idl_lex.h). Where several token rules match, the longest match wins and
 * a keyword beats an identifier of the same length, as in the ANTLR grammar the Java
 * implementation is generated from; so "record" is a keyword but "record.x", "records" and
 * `record` are identifiers, "NaN" is a number but "NaNs" a name, and "x-1" is the name "x"
 * followed by the number -1.
 */
#include "idl_lex.h"

#include <string.h>

#include "idl_xid.h"

static const char *const keywords[] = {
	"protocol", "namespace", "import", "idl", "schema", "enum", "fixed", "error", "record",
	"array", "map", "union", "boolean", "int", "long", "float", "double", "string", "bytes",
	"null", "true", "false", "decimal", "date", "time_ms", "timestamp_ms",
	"local_timestamp_ms", "uuid", "void", "oneway", "throws",
};

static const char *const punct_names[] = {
	"'('", "')'", "'{'", "'}'", "'['", "']'", "':'", "';'", "','", "'@'", "'='", "'.'",
	"'-'", "'?'", "'<'", "'>'",
};

const char *idl_tok_name(enum idl_tok t)
{
	static const char *const kw_names[] = {
		"'protocol'", "'namespace'", "'import'", "'idl'", "'schema'", "'enum'",
		"'fixed'", "'error'", "'record'", "'array'", "'map'", "'union'", "'boolean'",
		"'int'", "'long'", "'float'", "'double'", "'string'", "'bytes'", "'null'",
		"'true'", "'false'", "'decimal'", "'date'", "'time_ms'", "'timestamp_ms'",
		"'local_timestamp_ms'", "'uuid'", "'void'", "'oneway'", "'throws'",
	};

	switch (t) {
	case IDL_T_EOF:
		return "end of input";
	case IDL_T_IDENT:
		return "identifier";
	case IDL_T_STRING:
		return "string";
	case IDL_T_INT:
		return "integer";
	case IDL_T_FLOAT:
		return "number";
	default:
		break;
	}
	if (t >= IDL_T_FIRST_KEYWORD && t <= IDL_T_LAST_KEYWORD)
		return kw_names[t - IDL_T_FIRST_KEYWORD];
	if (t >= IDL_T_LPAREN && t <= IDL_T_GT)
		return punct_names[t - IDL_T_LPAREN];
	return "token";
}

enum idl_tok idl_keyword(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i]) == len && memcmp(keywords[i], s, len) == 0)
			return (enum idl_tok)(IDL_T_FIRST_KEYWORD + i);
	return IDL_T_IDENT;
}

static int in_ranges(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid][0])
			hi = mid;
		else if (cp > r[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int idl_is_id_start(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
	return in_ranges(idl_xid_start, sizeof(idl_xid_start) / sizeof(idl_xid_start[0]), cp);
}

int idl_is_id_continue(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
		       (cp >= '0' && cp <= '9');
	return in_ranges(idl_xid_continue,
			 sizeof(idl_xid_continue) / sizeof(idl_xid_continue[0]), cp);
}

size_t idl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void idl_lexer_init(struct idl_lexer *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->len = len;
	lx->line = lx->column = 1;
	/* a UTF-8 byte order mark is not part of the text */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		lx->pos = 3;
}

void idl_lexer_release(struct idl_lexer *lx)
{
	ak_buf_release(&lx->docs);
}

/* Move on @n bytes, counting lines and code points. */
static void advance(struct idl_lexer *lx, size_t n)
{
	const unsigned char *s = (const unsigned char *)lx->text;

	for (size_t end = lx->pos + n; lx->pos < end; lx->pos++) {
		if (s[lx->pos] == '\n') {
			lx->line++;
			lx->column = 1;
		} else if ((s[lx->pos] & 0xc0) != 0x80) {
			lx->column++;
		}
	}
}

static int fail_at(struct ak_error *err, unsigned long line, unsigned long col, const char *msg,
		   const unsigned char *c, size_t n)
{
	uint32_t cp;

	if (c && idl_utf8_decode(c, n, &cp)) {
		if (cp >= 0x21 && cp < 0x7f)
			ak_fail(err, AK_E_SCHEMA, "%s '%c'", msg, (char)cp);
		else
			ak_fail(err, AK_E_SCHEMA, "%s U+%04X", msg, (unsigned)cp);
	} else if (c) {
		ak_fail(err, AK_E_SCHEMA, "%s (invalid UTF-8)", msg);
	} else {
		ak_fail(err, AK_E_SCHEMA, "%s", msg);
	}
	err->line = line;
	err->column = col;
	return AK_E_SCHEMA;
}

/* Find "*" "/" at or after @from: its offset, or (size_t)-1. */
static size_t find_end(const struct idl_lexer *lx, size_t from)
{
	for (size_t i = from; i + 1 < lx->len; i++)
		if (lx->text[i] == '*' && lx->text[i + 1] == '/')
			return i;
	return (size_t)-1;
}

/* Skip blanks and comments, queueing documentation comments. AK_OK or an error. */
static int skip_space(struct idl_lexer *lx, struct ak_error *err)
{
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];
		size_t end;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			advance(lx, 1);
			continue;
		}
		if (c != '/' || lx->pos + 1 >= lx->len)
			return AK_OK;
		if (lx->text[lx->pos + 1] == '/') {
			/* to the end of the line; the grammar wants a newline after it, but one at
			 * the very end of a file is no reason to fail */
			const char *nl = memchr(lx->text + lx->pos, '\n', lx->len - lx->pos);

			advance(lx, nl ? (size_t)(nl - (lx->text + lx->pos)) + 1
				       : lx->len - lx->pos);
			continue;
		}
		if (lx->text[lx->pos + 1] != '*')
			return AK_OK;
		if (lx->pos + 3 < lx->len && memcmp(lx->text + lx->pos, "/**/", 4) == 0) {
			/* an empty comment; Java's lexer would take it for the start of a doc
			 * comment running to the next star-slash, which no one means */
			advance(lx, 4);
			continue;
		}
		if (lx->pos + 2 < lx->len && lx->text[lx->pos + 2] == '*') {
			struct idl_doc d = { lx->pos, 0, lx->line, lx->column };

			end = find_end(lx, lx->pos + 3);
			if (end == (size_t)-1)
				return fail_at(err, lx->line, lx->column,
					       "unterminated documentation comment", NULL, 0);
			d.len = end + 2 - lx->pos;
			if (ak_buf_append(&lx->docs, &d, sizeof(d), err) != AK_OK)
				return err->code;
			lx->ndocs++;
			lx->run++;
			advance(lx, d.len);
			continue;
		}
		/* a plain comment: the character after the slash-star is part of it */
		end = find_end(lx, lx->pos + 3);
		if (end == (size_t)-1)
			return fail_at(err, lx->line, lx->column, "unterminated comment", NULL, 0);
		advance(lx, end + 2 - lx->pos);
	}
	return AK_OK;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_oct(char c)
{
	return c >= '0' && c <= '7';
}

/* Length of a run of characters of class @cls from @p (to @end). */
static size_t run_of(const char *p, const char *end, int (*cls)(char))
{
	size_t n = 0;

	while (p + n < end && cls(p[n]))
		n++;
	return n;
}

/* [eE][+-]?digits or [pP][+-]?digits: its length, or 0. */
static size_t exponent(const char *p, const char *end, char e1, char e2)
{
	size_t n = 1, d;

	if (p >= end || (*p != e1 && *p != e2))
		return 0;
	if (p + n < end && (p[n] == '+' || p[n] == '-'))
		n++;
	d = run_of(p + n, end, is_digit);
	return d ? n + d : 0;
}

static int is_fd(const char *p, const char *end)
{
	return p < end && (*p == 'f' || *p == 'F' || *p == 'd' || *p == 'D');
}

/* The longest integer or floating point literal at @p (after an optional sign, which the
 * caller has counted in @sign: 0, or 1 for '-' or '+'), as its type and length. */
static size_t number(const char *p, const char *end, int plus, enum idl_tok *type)
{
	size_t best = 0, n, m;

	*type = IDL_T_EOF;
	/* IntegerLiteral: no '+' */
	if (!plus && p < end && is_digit(*p)) {
		if (*p != '0') {
			n = run_of(p, end, is_digit);
		} else if (p + 1 < end && (p[1] == 'x' || p[1] == 'X') &&
			   run_of(p + 2, end, is_hex)) {
			n = 2 + run_of(p + 2, end, is_hex);
		} else {
			n = 1 + run_of(p + 1, end, is_oct);
		}
		if (p + n < end && (p[n] == 'l' || p[n] == 'L'))
			n++;
		best = n;
		*type = IDL_T_INT;
	}
	/* decimal floating point: digits '.' digits? | '.' digits, exponent?, suffix?;
	 * or digits (exponent suffix? | suffix) */
	n = run_of(p, end, is_digit);
	m = 0;
	if (p + n < end && p[n] == '.' && (n || run_of(p + n + 1, end, is_digit))) {
		m = n + 1 + run_of(p + n + 1, end, is_digit);
		m += exponent(p + m, end, 'e', 'E');
		m += is_fd(p + m, end);
	} else if (n) {
		size_t e = exponent(p + n, end, 'e', 'E');

		if (e)
			m = n + e + is_fd(p + n + e, end);
		else if (is_fd(p + n, end))
			m = n + 1;
	}
	if (m > best) {
		best = m;
		*type = IDL_T_FLOAT;
	}
	/* hexadecimal floating point: 0x (hex '.'? | hex* '.' hex) p-exponent suffix? */
	if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		size_t h = run_of(p + 2, end, is_hex), e;

		m = 2 + h;
		if (p + m < end && p[m] == '.') {
			size_t f = run_of(p + m + 1, end, is_hex);

			m = (h || f) ? m + 1 + f : 0;
		} else if (!h) {
			m = 0;
		}
		if (m && (e = exponent(p + m, end, 'p', 'P'))) {
			m += e;
			m += is_fd(p + m, end);
			if (m > best) {
				best = m;
				*type = IDL_T_FLOAT;
			}
		}
	}
	/* NaN and Infinity */
	if ((size_t)(end - p) >= 3 && memcmp(p, "NaN", 3) == 0 && best < 3) {
		best = 3;
		*type = IDL_T_FLOAT;
	} else if ((size_t)(end - p) >= 8 && memcmp(p, "Infinity", 8) == 0 && best < 8) {
		best = 8;
		*type = IDL_T_FLOAT;
	}
	return best;
}

/* An identifier part at @pos: its length in bytes, 0 when there is none. */
static size_t id_part(const struct idl_lexer *lx, size_t pos)
{
	const unsigned char *s = (const unsigned char *)lx->text;
	size_t n = 0, k;
	uint32_t cp;

	k = idl_utf8_decode(s + pos, lx->len - pos, &cp);
	if (!k || !idl_is_id_start(cp))
		return 0;
	n = k;
	while ((k = idl_utf8_decode(s + pos + n, lx->len - pos - n, &cp)) && idl_is_id_continue(cp))
		n += k;
	return n;
}

/* A part, plain or in backticks: its length, 0 when there is none; @bt set when quoted. */
static size_t id_piece(const struct idl_lexer *lx, size_t pos, int *bt)
{
	size_t n;

	*bt = 0;
	if (pos < lx->len && lx->text[pos] == '`') {
		n = id_part(lx, pos + 1);
		if (!n || pos + 1 + n >= lx->len || lx->text[pos + 1 + n] != '`')
			return 0;
		*bt = 1;
		return n + 2;
	}
	return id_part(lx, pos);
}

int idl_lex_next(struct idl_lexer *lx, struct idl_token *t, struct ak_error *err)
{
	const char *p, *end = lx->text + lx->len;
	int rc, bt;
	size_t n;
	enum idl_tok nt;

	if ((rc = skip_space(lx, err)) != AK_OK)
		return rc;
	memset(t, 0, sizeof(*t));
	t->start = lx->pos;
	t->line = lx->line;
	t->column = lx->column;
	t->docs_before = lx->ndocs;
	t->docs_run = lx->run;
	lx->run = 0;
	if (lx->pos >= lx->len || lx->text[lx->pos] == '\x1a') {
		t->type = IDL_T_EOF;
		return AK_OK;
	}
	p = lx->text + lx->pos;
	switch (*p) {
	case '(': t->type = IDL_T_LPAREN; break;
	case ')': t->type = IDL_T_RPAREN; break;
	case '{': t->type = IDL_T_LBRACE; break;
	case '}': t->type = IDL_T_RBRACE; break;
	case '[': t->type = IDL_T_LBRACKET; break;
	case ']': t->type = IDL_T_RBRACKET; break;
	case ':': t->type = IDL_T_COLON; break;
	case ';': t->type = IDL_T_SEMI; break;
	case ',': t->type = IDL_T_COMMA; break;
	case '@': t->type = IDL_T_AT; break;
	case '=': t->type = IDL_T_EQUALS; break;
	case '?': t->type = IDL_T_QUESTION; break;
	case '<': t->type = IDL_T_LT; break;
	case '>': t->type = IDL_T_GT; break;
	default: t->type = IDL_T_EOF; break;
	}
	if (t->type != IDL_T_EOF) {
		t->len = 1;
		advance(lx, 1);
		return AK_OK;
	}
	if (*p == '"') {
		/* the grammar forbids raw newlines, tabs, backspaces and form feeds in strings;
		 * escapes are checked here and decoded by the parser */
		for (n = 1; p + n < end && p[n] != '"'; n++) {
			char c = p[n];

			if (c == '\n' || c == '\r' || c == '\b' || c == '\f' || c == '\t') {
				advance(lx, n);
				return fail_at(err, lx->line, lx->column,
					       c == '\n' || c == '\r' ? "unterminated string"
								  : "control character in a string",
					       NULL, 0);
			}
			if (c != '\\')
				continue;
			if (p + n + 1 >= end)
				break;
			c = p[n + 1];
			if (c && strchr("nrbft\\'\"", c)) {
				n++;
			} else if (is_oct(c)) {
				size_t k = 1;

				while (k < (c <= '3' ? 3u : 2u) && p + n + 1 + k < end &&
				       is_oct(p[n + 1 + k]))
					k++;
				n += k;
			} else if (c == 'u' && (size_t)(end - (p + n)) >= 6 && is_hex(p[n + 2]) &&
				   is_hex(p[n + 3]) && is_hex(p[n + 4]) && is_hex(p[n + 5])) {
				n += 5;
			} else {
				advance(lx, n);
				return fail_at(err, lx->line, lx->column,
					       "invalid escape in a string", NULL, 0);
			}
		}
		if (p + n >= end)
			return fail_at(err, t->line, t->column, "unterminated string", NULL, 0);
		t->type = IDL_T_STRING;
		t->len = n + 1;
		advance(lx, t->len);
		return AK_OK;
	}
	if (*p == '-' || *p == '+' || *p == '.' || is_digit(*p)) {
		int sign = *p == '-' || *p == '+';

		n = number(p + sign, end, *p == '+', &nt);
		if (n) {
			t->type = nt;
			t->len = n + sign;
			advance(lx, t->len);
			return AK_OK;
		}
		if (*p == '-' || *p == '.') {
			t->type = *p == '-' ? IDL_T_DASH : IDL_T_DOT;
			t->len = 1;
			advance(lx, 1);
			return AK_OK;
		}
		return fail_at(err, t->line, t->column, "unexpected character",
			       (const unsigned char *)p, (size_t)(end - p));
	}
	/* an identifier: pieces joined by '.' or '-' */
	n = id_piece(lx, lx->pos, &bt);
	if (n) {
		int quoted = bt, joined = 0;
		size_t k;

		for (;;) {
			size_t at = lx->pos + n;

			if (at >= lx->len || (lx->text[at] != '.' && lx->text[at] != '-'))
				break;
			if (!(k = id_piece(lx, at + 1, &bt)))
				break;
			n += 1 + k;
			quoted |= bt;
			joined = 1;
		}
		t->type = IDL_T_IDENT;
		if (!quoted && !joined) {
			t->type = idl_keyword(p, n);
			if (t->type == IDL_T_IDENT && ((n == 3 && memcmp(p, "NaN", 3) == 0) ||
						       (n == 8 && memcmp(p, "Infinity", 8) == 0)))
				t->type = IDL_T_FLOAT;
		}
		t->len = n;
		advance(lx, n);
		return AK_OK;
	}
	if (*p == '`')
		return fail_at(err, t->line, t->column,
			       "a backtick must enclose an identifier, as in `record`", NULL, 0);
	return fail_at(err, t->line, t->column, "unexpected character", (const unsigned char *)p,
		       (size_t)(end - p));
}

const struct idl_doc *idl_lexer_doc(const struct idl_lexer *lx, size_t n)
{
	size_t count = lx->docs.len / sizeof(struct idl_doc);

	if (n < lx->base + lx->head || n - lx->base >= count)
		return NULL;
	return (const struct idl_doc *)lx->docs.data + (n - lx->base);
}

void idl_lexer_drop_docs(struct idl_lexer *lx, size_t n)
{
	size_t count = lx->docs.len / sizeof(struct idl_doc);

	if (n <= lx->base + lx->head)
		return;
	lx->head = n - lx->base < count ? n - lx->base : count;
	/* compact once the dropped part is the larger one, so the queue stays small */
	if (lx->head > count / 2) {
		memmove(lx->docs.data, lx->docs.data + lx->head * sizeof(struct idl_doc),
			(count - lx->head) * sizeof(struct idl_doc));
		lx->docs.len = (count - lx->head) * sizeof(struct idl_doc);
		lx->base += lx->head;
		lx->head = 0;
	}
}
