/* Half-precision (IEEE 754 binary16) weight rows: exact conversions to and from
 * float, and the multiply-add of many such rows into one float accumulator.
 *
 * DESIGN: a linear model scored one sparse feature at a time is bound by memory
 * latency, not arithmetic: each hit fetches a row of label weights from a table
 * far larger than the caches. Rows of up to 32 binary16 weights fill one 64-byte
 * cache line where float rows need two. Every binary16 value is exactly a float,
 * and the sums are the same float multiplies and adds in the same order on every
 * path (F16C instructions when the CPU has them, bit arithmetic otherwise), so
 * scores are bit-identical on any x86-64 or other machine. */
#ifndef NS_LEARN_HALF_H
#define NS_LEARN_HALF_H

#include <stddef.h>
#include <stdint.h>

/* Nearest binary16 of f (ties to even; beyond the range: infinity; NaN stays NaN). */
uint16_t ns_half_from_float(float f);
/* The float equal to binary16 h. */
float ns_half_to_float(uint16_t h);

/* acc[l] += (float)rows[i][l] * x[i] for i in [0, n) in that order, l in
 * [0, width); width is a multiple of 8 and each row has width weights. */
void ns_half_add_rows(float *acc, size_t width, const uint16_t *const *rows, const float *x, size_t n);

#endif
