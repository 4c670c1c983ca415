/* Binary16 weight rows (half.h): conversions by bit arithmetic, and the row
 * multiply-add with F16C conversions on x86-64 CPUs that have them. */
#include "half.h"

#include <string.h>

uint16_t ns_half_from_float(float f)
{
	uint32_t x;
	memcpy(&x, &f, sizeof x);
	uint32_t sign = (x >> 16) & 0x8000u, e = (x >> 23) & 0xFFu, mant = x & 0x7FFFFFu;
	if (e == 0xFF) /* infinity, or NaN kept quiet and non-zero */
		return (uint16_t)(sign | 0x7C00u | (mant ? 0x200u | (mant >> 13) : 0));
	int32_t he = (int32_t)e - 127 + 15;
	if (he >= 31)
		return (uint16_t)(sign | 0x7C00u);
	if (he <= 0) { /* a binary16 subnormal, or zero below half the smallest one */
		if (he < -10)
			return (uint16_t)sign;
		mant |= 0x800000u;
		unsigned shift = (unsigned)(14 - he);
		uint32_t hm = mant >> shift, rem = mant & ((1u << shift) - 1), tie = 1u << (shift - 1);
		if (rem > tie || (rem == tie && (hm & 1)))
			hm++; /* may carry into the smallest normal: still the right encoding */
		return (uint16_t)(sign | hm);
	}
	uint32_t hm = mant >> 13, rem = mant & 0x1FFFu;
	uint32_t h = sign | ((uint32_t)he << 10) | hm;
	if (rem > 0x1000u || (rem == 0x1000u && (hm & 1)))
		h++; /* a carry moves into the exponent, up to infinity */
	return (uint16_t)h;
}

float ns_half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, m = h & 0x3FFu, x;
	if (e == 0x1F) {
		x = sign | 0x7F800000u | (m << 13);
	} else if (e) {
		x = sign | ((e + 112) << 23) | (m << 13);
	} else if (!m) {
		x = sign;
	} else { /* subnormal: normalise the mantissa */
		e = 113;
		while (!(m & 0x400u)) {
			m <<= 1;
			e--;
		}
		x = sign | (e << 23) | ((m & 0x3FFu) << 13);
	}
	float f;
	memcpy(&f, &x, sizeof f);
	return f;
}

static void add_rows_c(float *acc, size_t width, const uint16_t *const *rows, const float *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const uint16_t *r = rows[i];
		float v = x[i];
		for (size_t l = 0; l < width; l++)
			acc[l] += ns_half_to_float(r[l]) * v;
	}
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HALF_F16C 1

/* The same multiplies and adds as add_rows_c, eight lanes at a time, with up to
 * 32 lanes held in registers across all rows. */
__attribute__((target("avx,f16c"))) static void add_rows_f16c(float *acc, size_t width, const uint16_t *const *rows,
							      const float *x, size_t n)
{
	for (size_t l0 = 0; l0 < width; l0 += 32) {
		if (width - l0 >= 32) {
			__m256 a0 = _mm256_loadu_ps(acc + l0), a1 = _mm256_loadu_ps(acc + l0 + 8);
			__m256 a2 = _mm256_loadu_ps(acc + l0 + 16), a3 = _mm256_loadu_ps(acc + l0 + 24);
			for (size_t i = 0; i < n; i++) {
				const uint16_t *r = rows[i] + l0;
				__m256 v = _mm256_set1_ps(x[i]);
				a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const void *)r)), v));
				a1 = _mm256_add_ps(a1, _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const void *)(r + 8))), v));
				a2 = _mm256_add_ps(a2,
						   _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const void *)(r + 16))), v));
				a3 = _mm256_add_ps(a3,
						   _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const void *)(r + 24))), v));
			}
			_mm256_storeu_ps(acc + l0, a0);
			_mm256_storeu_ps(acc + l0 + 8, a1);
			_mm256_storeu_ps(acc + l0 + 16, a2);
			_mm256_storeu_ps(acc + l0 + 24, a3);
			continue;
		}
		for (size_t l = l0; l < width; l += 8) {
			__m256 a = _mm256_loadu_ps(acc + l);
			for (size_t i = 0; i < n; i++)
				a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const void *)(rows[i] + l))),
								   _mm256_set1_ps(x[i])));
			_mm256_storeu_ps(acc + l, a);
		}
	}
}

static int have_f16c(void)
{
#if defined(__clang__)
	return __builtin_cpu_supports("avx2"); /* clang has no "f16c" key; every AVX2 CPU has F16C */
#else
	return __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
#endif
}
#endif

void ns_half_add_rows(float *acc, size_t width, const uint16_t *const *rows, const float *x, size_t n)
{
#ifdef HALF_F16C
	if (have_f16c()) {
		add_rows_f16c(acc, width, rows, x, n);
		return;
	}
#endif
	add_rows_c(acc, width, rows, x, n);
}
