/* Little-endian serialisation helpers for bundle sections: writers append to an
 * ns_buf; the reader is a bounds-checked cursor whose failure sticks, so a run
 * of reads needs one check (ns_rd_ok) at the end. */
#ifndef NS_MODEL_SER_H
#define NS_MODEL_SER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../util/util.h"

static inline void ns_wr_u16(ns_buf *b, uint16_t v)
{
	unsigned char p[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	ns_buf_put(b, p, 2);
}
static inline void ns_wr_u32(ns_buf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
	ns_buf_put(b, p, 4);
}
static inline void ns_wr_u64(ns_buf *b, uint64_t v)
{
	ns_wr_u32(b, (uint32_t)v);
	ns_wr_u32(b, (uint32_t)(v >> 32));
}
static inline void ns_wr_f32(ns_buf *b, float f)
{
	uint32_t v;
	memcpy(&v, &f, 4);
	ns_wr_u32(b, v);
}
static inline void ns_wr_f64(ns_buf *b, double f)
{
	uint64_t v;
	memcpy(&v, &f, 8);
	ns_wr_u64(b, v);
}
/* length-prefixed string (u32 length, bytes, no NUL) */
static inline void ns_wr_str(ns_buf *b, const char *s, size_t n)
{
	ns_wr_u32(b, (uint32_t)n);
	ns_buf_put(b, s, n);
}

typedef struct ns_rd {
	const unsigned char *p, *end;
	int failed;
} ns_rd;

static inline void ns_rd_init(ns_rd *r, const void *data, size_t len)
{
	r->p = data;
	r->end = r->p + len;
	r->failed = 0;
}
static inline int ns_rd_ok(const ns_rd *r) { return !r->failed; }
static inline size_t ns_rd_left(const ns_rd *r) { return r->failed ? 0 : (size_t)(r->end - r->p); }
static inline uint32_t ns_rd_u32(ns_rd *r)
{
	if (r->failed || r->end - r->p < 4) {
		r->failed = 1;
		return 0;
	}
	uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}
static inline uint64_t ns_rd_u64(ns_rd *r)
{
	uint64_t lo = ns_rd_u32(r);
	return lo | (uint64_t)ns_rd_u32(r) << 32;
}
static inline float ns_rd_f32(ns_rd *r)
{
	uint32_t v = ns_rd_u32(r);
	float f;
	memcpy(&f, &v, 4);
	return f;
}
static inline double ns_rd_f64(ns_rd *r)
{
	uint64_t v = ns_rd_u64(r);
	double f;
	memcpy(&f, &v, 8);
	return f;
}
/* Borrowed pointer to n raw bytes (NULL on failure). */
static inline const void *ns_rd_bytes(ns_rd *r, size_t n)
{
	if (r->failed || (size_t)(r->end - r->p) < n) {
		r->failed = 1;
		return NULL;
	}
	const void *q = r->p;
	r->p += n;
	return q;
}
/* Borrowed length-prefixed string; *n gets its length. */
static inline const char *ns_rd_str(ns_rd *r, size_t *n)
{
	uint32_t len = ns_rd_u32(r);
	const char *s = ns_rd_bytes(r, len);
	*n = s ? len : 0;
	return s;
}

#endif
