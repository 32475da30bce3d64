/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A schema with every type (and some logical types), and one datum of it written by hand
 * (tap.h's bin_* functions, not the library's encoder), shared by the decoder, encoder and
 * reader tests. The values are chosen so that each has a distinct encoding: a negative int,
 * a long beyond 32 bits, a string with a two-byte UTF-8 sequence, bytes holding 0x00 and 0xff,
 * a union's non-first branch.
 */
#ifndef AK_API_FIXTURES_H
#define AK_API_FIXTURES_H

#include "tap.h"

static const char all_schema[] =
	"{\"type\":\"record\",\"name\":\"All\",\"namespace\":\"t\",\"fields\":["
	"{\"name\":\"n\",\"type\":\"null\"},"
	"{\"name\":\"b\",\"type\":\"boolean\"},"
	"{\"name\":\"i\",\"type\":\"int\"},"
	"{\"name\":\"l\",\"type\":\"long\"},"
	"{\"name\":\"f\",\"type\":\"float\"},"
	"{\"name\":\"d\",\"type\":\"double\"},"
	"{\"name\":\"by\",\"type\":\"bytes\"},"
	"{\"name\":\"s\",\"type\":\"string\"},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"Suit\","
	"\"symbols\":[\"HEARTS\",\"SPADES\",\"CLUBS\"],\"default\":\"HEARTS\"}},"
	"{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F2\",\"size\":2}},"
	"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
	"{\"name\":\"u\",\"type\":[\"null\",\"string\",\"Suit\"]},"
	"{\"name\":\"date\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
	"{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
	"{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
	"\"precision\":5,\"scale\":2}},"
	"{\"name\":\"id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
	"{\"name\":\"sub\",\"type\":{\"type\":\"record\",\"name\":\"Sub\","
	"\"fields\":[{\"name\":\"z\",\"type\":\"int\"}]}},"
	"{\"name\":\"o\",\"type\":[\"null\",\"Sub\"],\"default\":null}"
	"]}";

enum {
	F_N, F_B, F_I, F_L, F_F, F_D, F_BY, F_S, F_E, F_X, F_A, F_M, F_U, F_DATE, F_TS, F_DEC, F_ID,
	F_SUB, F_O, F_COUNT
};

#define ALL_UUID "123e4567-e89b-12d3-a456-426614174000"

/* The datum, by hand. */
static inline void all_datum(struct bin *o)
{
	o->n = 0;
	/* n: nothing */
	bin_raw(o, "\x01", 1);                  /* b: true */
	bin_long(o, -3);                        /* i */
	bin_long(o, 1234567890123LL);           /* l */
	bin_float(o, 1.5f);                     /* f */
	bin_double(o, -0.25);                   /* d */
	bin_str(o, "\x00\xff", 2);              /* by */
	bin_str(o, "h\xc3\xa9llo", 6);          /* s: "héllo" */
	bin_long(o, 2);                         /* e: CLUBS */
	bin_raw(o, "ab", 2);                    /* x */
	bin_long(o, 2);                         /* a: one block of two */
	bin_long(o, 1);
	bin_long(o, -1);
	bin_long(o, 0);
	bin_long(o, 1);                         /* m: {"k": 7} */
	bin_str(o, "k", 1);
	bin_long(o, 7);
	bin_long(o, 0);
	bin_long(o, 1);                         /* u: branch 1, "u" */
	bin_str(o, "u", 1);
	bin_long(o, 19000);                     /* date */
	bin_long(o, 1700000000000LL);           /* ts */
	bin_str(o, "\x30\x39", 2);              /* dec: 12345, 123.45 */
	bin_str(o, ALL_UUID, 36);               /* id */
	bin_long(o, 9);                         /* sub.z */
	bin_long(o, 1);                         /* o: branch 1, Sub z = -1 */
	bin_long(o, -1);
}

#endif /* AK_API_FIXTURES_H */
