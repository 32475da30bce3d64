/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lexer of Avro IDL: UTF-8 text in, one token at a time out, with the token rules of the
 * language's grammar (Idl.g4 in the Avro repository): longest match, keywords before
 * identifiers, identifiers of Unicode XID characters joined by '.' or '-' and optionally
 * quoted with backticks, Java-style string and number literals, comments skipped. Documentation
 * comments (slash-star-star ... star-slash) are not tokens: they are queued on the side, and
 * each token says how many of them came before it, so the parser can tell which comment
 * documents a declaration and which ones stand where nothing can use them.
 *
 * Lines count '\n' (as the Java implementation does), columns count code points, both from 1.
 * The text is borrowed and must outlive the lexer. Memory: the doc comment queue, at most one
 * small entry per comment not yet taken by the parser.
 */
#ifndef AK_IDL_LEX_H
#define AK_IDL_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

enum idl_tok {
	IDL_T_EOF,
	IDL_T_IDENT,  /* an identifier that is not a keyword (may hold backticks, '.', '-') */
	IDL_T_STRING, /* "..." with the quotes */
	IDL_T_INT,    /* 12, -0x1F, 017, 5L */
	IDL_T_FLOAT,  /* 1.5, -2e10, 0x1p3, NaN, -Infinity */
	/* keywords */
	IDL_T_PROTOCOL,
	IDL_T_NAMESPACE,
	IDL_T_IMPORT,
	IDL_T_IDL,
	IDL_T_SCHEMA,
	IDL_T_ENUM,
	IDL_T_FIXED,
	IDL_T_ERROR,
	IDL_T_RECORD,
	IDL_T_ARRAY,
	IDL_T_MAP,
	IDL_T_UNION,
	IDL_T_BOOLEAN,
	IDL_T_INT_TYPE,
	IDL_T_LONG,
	IDL_T_FLOAT_TYPE,
	IDL_T_DOUBLE,
	IDL_T_STRING_TYPE,
	IDL_T_BYTES,
	IDL_T_NULL,
	IDL_T_TRUE,
	IDL_T_FALSE,
	IDL_T_DECIMAL,
	IDL_T_DATE,
	IDL_T_TIME_MS,
	IDL_T_TIMESTAMP_MS,
	IDL_T_LOCAL_TIMESTAMP_MS,
	IDL_T_UUID,
	IDL_T_VOID,
	IDL_T_ONEWAY,
	IDL_T_THROWS,
	/* punctuation */
	IDL_T_LPAREN,
	IDL_T_RPAREN,
	IDL_T_LBRACE,
	IDL_T_RBRACE,
	IDL_T_LBRACKET,
	IDL_T_RBRACKET,
	IDL_T_COLON,
	IDL_T_SEMI,
	IDL_T_COMMA,
	IDL_T_AT,
	IDL_T_EQUALS,
	IDL_T_DOT,
	IDL_T_DASH,
	IDL_T_QUESTION,
	IDL_T_LT,
	IDL_T_GT,
};

#define IDL_T_FIRST_KEYWORD IDL_T_PROTOCOL
#define IDL_T_LAST_KEYWORD IDL_T_THROWS

struct idl_token {
	enum idl_tok type;
	size_t start, len;          /* bytes of the text */
	unsigned long line, column; /* of the first character */
	size_t docs_before;         /* documentation comments in the text before this token */
	size_t docs_run;            /* how many of those come right before it (no token between) */
};

/* A documentation comment: where its text (with the slash-stars) is. */
struct idl_doc {
	size_t start, len;
	unsigned long line, column;
};

struct idl_lexer {
	const char *text;
	size_t len, pos;
	unsigned long line, column;
	size_t ndocs; /* documentation comments seen so far */
	size_t run;   /* of which since the last token */
	/* queue of the comments not yet taken: struct idl_doc[], [head, count) in use; the
	 * comment numbered n (0-based in the text) is at index n - base */
	struct ak_buf docs;
	size_t head, base;
};

void idl_lexer_init(struct idl_lexer *lx, const char *text, size_t len);
void idl_lexer_release(struct idl_lexer *lx);

/*
 * The next token into @t (IDL_T_EOF at the end of the text, or at a U+001A "substitute"
 * character, which the grammar treats as an end-of-file mark). On a character that starts no
 * token, an unterminated comment or string, or invalid UTF-8 outside comments: AK_E_SCHEMA
 * with @err's line and column set and a message such as "unterminated string".
 */
int idl_lex_next(struct idl_lexer *lx, struct idl_token *t, struct ak_error *err);

/* The documentation comment numbered @n, or NULL when it was already dropped. */
const struct idl_doc *idl_lexer_doc(const struct idl_lexer *lx, size_t n);
/* Forget the comments numbered below @n. */
void idl_lexer_drop_docs(struct idl_lexer *lx, size_t n);

/* How a token type reads in a message: "';'", "identifier", "'record'", "end of input". */
const char *idl_tok_name(enum idl_tok t);

/* The keyword token for @s (@len bytes), or IDL_T_IDENT when it is none. */
enum idl_tok idl_keyword(const char *s, size_t len);

/* Is @cp a character that may start (XID_Start or '_') or continue (XID_Continue) an IDL
 * identifier part? */
int idl_is_id_start(uint32_t cp);
int idl_is_id_continue(uint32_t cp);

/* Decode one UTF-8 character at @s (@n bytes available): its length, or 0 when the bytes are
 * not valid UTF-8 (overlong forms and surrogates included). */
size_t idl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif /* AK_IDL_LEX_H */
