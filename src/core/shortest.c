/* SPDX-License-Identifier: Apache-2.0 */
#include "shortest.h"

#include <string.h>

#include "pow5_table.h"

static inline uint32_t pow5bits(int32_t e)
{
	/* bit length of 5^e, for 0 <= e <= 3528 */
	return (uint32_t)(((uint32_t)e * 1217359u) >> 19) + 1;
}

static inline uint32_t log10_pow2(int32_t e)
{
	return ((uint32_t)e * 78913u) >> 18; /* floor(log10(2^e)) for 0 <= e <= 1650 */
}

static inline uint32_t log10_pow5(int32_t e)
{
	return ((uint32_t)e * 732923u) >> 20; /* floor(log10(5^e)) for 0 <= e <= 2620 */
}

static inline int multiple_of_pow5(uint64_t v, uint32_t p)
{
	uint32_t n = 0;

	while (v && v % 5 == 0) {
		v /= 5;
		n++;
	}
	return n >= p;
}

static inline int multiple_of_pow2(uint64_t v, uint32_t p)
{
	return (v & ((1ULL << p) - 1)) == 0;
}

/* (m * mul) >> j, mul being 128 bits, for j >= 64 */
static inline uint64_t mul_shift(uint64_t m, const uint64_t mul[2], int32_t j)
{
	unsigned __int128 lo = (unsigned __int128)m * mul[0];
	unsigned __int128 hi = (unsigned __int128)m * mul[1];

	return (uint64_t)(((lo >> 64) + hi) >> (j - 64));
}

static void shortest(uint64_t ieee_m, uint32_t ieee_e, int mbits, int bias, uint64_t *digits,
		     int32_t *exp10)
{
	int32_t e2, e10, removed = 0;
	uint64_t m2, mv, vr, vp, vm, out;
	uint32_t mmshift;
	int accept, vm_tz = 0, vr_tz = 0;
	unsigned last = 0;

	if (ieee_e == 0) {
		e2 = 1 - bias - mbits - 2;
		m2 = ieee_m;
	} else {
		e2 = (int32_t)ieee_e - bias - mbits - 2;
		m2 = (1ULL << mbits) | ieee_m;
	}
	accept = (m2 & 1) == 0;	/* the interval's ends read back when the mantissa is even */
	mv = 4 * m2;
	mmshift = ieee_m != 0 || ieee_e <= 1;

	if (e2 >= 0) {
		uint32_t q = log10_pow2(e2) - (e2 > 3);
		int32_t k = AK_POW5_INV_BITS + (int32_t)pow5bits((int32_t)q) - 1;
		int32_t i = -e2 + (int32_t)q + k;

		e10 = (int32_t)q;
		vr = mul_shift(4 * m2, ak_pow5_inv[q], i);
		vp = mul_shift(4 * m2 + 2, ak_pow5_inv[q], i);
		vm = mul_shift(4 * m2 - 1 - mmshift, ak_pow5_inv[q], i);
		if (q <= 21) {
			if (mv % 5 == 0)
				vr_tz = multiple_of_pow5(mv, q);
			else if (accept)
				vm_tz = multiple_of_pow5(mv - 1 - mmshift, q);
			else
				vp -= (uint64_t)multiple_of_pow5(mv + 2, q);
		}
	} else {
		uint32_t q = log10_pow5(-e2) - (-e2 > 1);
		int32_t i = -e2 - (int32_t)q;
		int32_t k = (int32_t)pow5bits(i) - AK_POW5_BITS;
		int32_t j = (int32_t)q - k;

		e10 = (int32_t)q + e2;
		vr = mul_shift(4 * m2, ak_pow5[i], j);
		vp = mul_shift(4 * m2 + 2, ak_pow5[i], j);
		vm = mul_shift(4 * m2 - 1 - mmshift, ak_pow5[i], j);
		if (q <= 1) {
			/* mv has at least q trailing zero bits, so vr is exact */
			vr_tz = 1;
			if (accept)
				vm_tz = mmshift == 1;
			else
				vp--;
		} else if (q < 63) {
			vr_tz = multiple_of_pow2(mv, q);
		}
	}

	if (vm_tz || vr_tz) {
		/* rare: exact values at the interval's ends or at a tie */
		while (vp / 10 > vm / 10) {
			vm_tz &= vm % 10 == 0;
			vr_tz &= last == 0;
			last = (unsigned)(vr % 10);
			vr /= 10;
			vp /= 10;
			vm /= 10;
			removed++;
		}
		if (vm_tz) {
			while (vm % 10 == 0) {
				vr_tz &= last == 0;
				last = (unsigned)(vr % 10);
				vr /= 10;
				vp /= 10;
				vm /= 10;
				removed++;
			}
		}
		if (vr_tz && last == 5 && vr % 2 == 0)
			last = 4; /* exactly half way: round to even */
		out = vr + ((vr == vm && (!accept || !vm_tz)) || last >= 5);
	} else {
		int up = 0;

		if (vp / 100 > vm / 100) {
			up = vr % 100 >= 50;
			vr /= 100;
			vp /= 100;
			vm /= 100;
			removed += 2;
		}
		while (vp / 10 > vm / 10) {
			up = vr % 10 >= 5;
			vr /= 10;
			vp /= 10;
			vm /= 10;
			removed++;
		}
		out = vr + (vr == vm || up);
	}
	*digits = out;
	*exp10 = e10 + removed;
}

void ak_shortest_double(double d, uint64_t *digits, int32_t *exp10)
{
	uint64_t bits;

	memcpy(&bits, &d, 8);
	shortest(bits & ((1ULL << 52) - 1), (uint32_t)(bits >> 52) & 0x7ff, 52, 1023, digits,
		 exp10);
}

void ak_shortest_float(float f, uint64_t *digits, int32_t *exp10)
{
	uint32_t bits;

	memcpy(&bits, &f, 4);
	shortest(bits & ((1U << 23) - 1), (bits >> 23) & 0xff, 23, 127, digits, exp10);
}
