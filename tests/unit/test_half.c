/* Tests of the binary16 weight rows (src/learn/half.c): every binary16 value
 * converts to float and back unchanged, rounding is to nearest with ties to
 * even at every boundary, and the row multiply-add equals the scalar formula
 * bit for bit on whichever path the CPU takes. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "learn/half.h"
#include "test.h"

static float bits_float(uint32_t x)
{
	float f;
	memcpy(&f, &x, sizeof f);
	return f;
}

NS_TEST(half__round_trip_every_value)
{
	size_t bad = 0;
	for (uint32_t h = 0; h < 0x10000u; h++) {
		float f = ns_half_to_float((uint16_t)h);
		int nan = (h & 0x7C00u) == 0x7C00u && (h & 0x3FFu);
		if (nan)
			bad += !isnan(f) || !isnan(ns_half_to_float(ns_half_from_float(f)));
		else
			bad += ns_half_from_float(f) != h;
	}
	CHECK_INT(bad, 0);
	CHECK(ns_half_to_float(0x3C00) == 1.0f);
	CHECK(ns_half_to_float(0xC000) == -2.0f);
	CHECK(ns_half_to_float(0x7BFF) == 65504.0f);
	CHECK(ns_half_to_float(0x0001) == ldexpf(1.0f, -24)); /* smallest subnormal */
	CHECK(ns_half_to_float(0x0400) == ldexpf(1.0f, -14)); /* smallest normal */
	CHECK(isinf(ns_half_to_float(0xFC00)) && ns_half_to_float(0xFC00) < 0);
}

NS_TEST(half__rounding)
{
	/* 1 + 2^-11 is halfway between 1 and the next binary16 (1 + 2^-10): ties
	 * go to the even mantissa, anything past the tie goes up */
	CHECK_INT(ns_half_from_float(1.0f + ldexpf(1.0f, -11)), 0x3C00);
	CHECK_INT(ns_half_from_float(1.0f + 3 * ldexpf(1.0f, -11)), 0x3C02);
	CHECK_INT(ns_half_from_float(1.0f + ldexpf(1.0f, -11) + ldexpf(1.0f, -20)), 0x3C01);
	/* the mantissa carries into the exponent */
	CHECK_INT(ns_half_from_float(2.0f - ldexpf(1.0f, -12)), 0x4000);
	/* range: 65519 rounds to the largest finite value, 65520 to infinity */
	CHECK_INT(ns_half_from_float(65519.0f), 0x7BFF);
	CHECK_INT(ns_half_from_float(65520.0f), 0x7C00);
	CHECK_INT(ns_half_from_float(-1e10f), 0xFC00);
	CHECK_INT(ns_half_from_float(bits_float(0x7F800000u)), 0x7C00);
	CHECK(isnan(ns_half_to_float(ns_half_from_float(bits_float(0x7FC00000u)))));
	/* subnormals: 2^-25 is the tie between 0 and the smallest subnormal (to 0,
	 * even), a little more rounds up; 3 x 2^-25 ties up to 2 x 2^-24 */
	CHECK_INT(ns_half_from_float(ldexpf(1.0f, -25)), 0x0000);
	CHECK_INT(ns_half_from_float(ldexpf(1.0f, -25) * 1.0001f), 0x0001);
	CHECK_INT(ns_half_from_float(3 * ldexpf(1.0f, -25)), 0x0002);
	CHECK_INT(ns_half_from_float(-ldexpf(1.0f, -26)), 0x8000);
	/* the largest subnormal rounds up into the smallest normal */
	CHECK_INT(ns_half_from_float(ldexpf(1.0f, -14) - ldexpf(1.0f, -26)), 0x0400);
	CHECK_INT(ns_half_from_float(0.0f), 0x0000);
	CHECK_INT(ns_half_from_float(-0.0f), 0x8000);
}

NS_TEST(half__add_rows_matches_scalar)
{
	enum { NR = 37, W = 40 }; /* one 32-lane block and one of 8 */
	uint16_t store[NR][W];
	const uint16_t *rows[NR];
	float x[NR], acc[W], want[W];
	uint64_t s = 99;
	for (size_t i = 0; i < NR; i++) {
		for (size_t l = 0; l < W; l++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			store[i][l] = ns_half_from_float((float)((double)(s >> 40) / (double)(1u << 24) * 4.0 - 2.0));
		}
		rows[i] = store[i];
		x[i] = (float)(0.01 * (double)i - 0.17);
	}
	for (size_t l = 0; l < W; l++)
		acc[l] = want[l] = (float)l * 0.25f;
	for (size_t i = 0; i < NR; i++)
		for (size_t l = 0; l < W; l++)
			want[l] += ns_half_to_float(rows[i][l]) * x[i];
	ns_half_add_rows(acc, W, rows, x, NR);
	CHECK(memcmp(acc, want, sizeof acc) == 0);
	ns_half_add_rows(acc, 8, rows, x, 0); /* no rows: unchanged */
	CHECK(memcmp(acc, want, sizeof acc) == 0);
}
