/* Sparse vectors: bag of hashed hits -> sorted, tf-transformed, normalised
 * vector; feature maps from training hashes to compact indices (see svec.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svec.h"

void ns_fbag_free(ns_fbag *b)
{
	free(b->h);
	b->h = NULL;
	b->n = b->cap = 0;
}

/* 1 when w is not a whole number in [1, 2^24] (exact in a float, and sums of
 * such in a double). */
static inline int frac_weight(float w)
{
	return !(w >= 1.0f && w <= 16777216.0f && w == (float)(uint32_t)w);
}

void ns_fbag_reserve(ns_fbag *b, size_t n)
{
	if (!b->failed && n <= SIZE_MAX / 2 - b->n && b->n + n > b->cap)
		(void)NS_GROW(b->h, b->cap, b->n + n);
}

void ns_fbag_add(ns_fbag *b, uint32_t id, uint32_t sent, float w)
{
	if (b->failed)
		return;
	b->frac |= frac_weight(w);
	if (b->n == b->cap && NS_GROW(b->h, b->cap, b->n + 1) < 0) {
		b->failed = 1;
		return;
	}
	b->h[b->n].id = id;
	b->h[b->n].sent = sent;
	b->h[b->n].w = w;
	b->n++;
}

void ns_fbag_add_ids(ns_fbag *b, const uint32_t *ids, size_t n, uint32_t sent, float w)
{
	if (b->failed || n == 0)
		return;
	if (n > SIZE_MAX / 2 - b->n || (b->n + n > b->cap && NS_GROW(b->h, b->cap, b->n + n) < 0)) {
		b->failed = 1;
		return;
	}
	b->frac |= frac_weight(w);
	ns_fhit *h = b->h + b->n;
	for (size_t i = 0; i < n; i++) {
		h[i].id = ids[i];
		h[i].sent = sent;
		h[i].w = w;
	}
	b->n += n;
}

/* Sorts hits by (id, sent), stable for equal keys: the same order the stable merge
 * sort of glibc's qsort gave, so feature values and every score stay bit-identical.
 * An LSD radix sort replaced qsort after profiling showed the comparison sort
 * taking ~40% of narrative prediction time.
 *
 * Feature extraction appends hits sentence by sentence, so the bag is nearly
 * always in sentence order already; then a stable sort on the 32-bit id alone
 * gives the (id, sent) order, in three passes of 11-bit digits whose counts are
 * all taken in one read, instead of five moving passes of 8 bits over the 64-bit
 * key (sort_hits went from 11% to ~7% of narrative prediction; 8- and 16-bit
 * digits and a one-pass bucket sort measured slower). Bags not in sentence order
 * take the full 64-bit key. */
#define DIGIT_BITS 11
#define DIGITS (1u << DIGIT_BITS)
#define NPASS ((32 + DIGIT_BITS - 1) / DIGIT_BITS)
#if NPASS != 3
#error "count_ids counts exactly three digits"
#endif

static int sort_hits(ns_fhit *h, size_t n)
{
	if (n < 64) {
		/* insertion sort: stable, cheapest for small bags */
		for (size_t i = 1; i < n; i++) {
			ns_fhit x = h[i];
			uint64_t kx = (uint64_t)x.id << 32 | x.sent;
			size_t j = i;
			while (j > 0 && ((uint64_t)h[j - 1].id << 32 | h[j - 1].sent) > kx) {
				h[j] = h[j - 1];
				j--;
			}
			h[j] = x;
		}
		return 0;
	}
	int by_sent = 1;
	for (size_t i = 1; i < n && by_sent; i++)
		by_sent = h[i].sent >= h[i - 1].sent;
	ns_fhit *tmp = ns_reallocarray(NULL, n, sizeof *tmp);
	if (!tmp)
		return NS_ENOMEM;
	ns_fhit *src = h, *dst = tmp;
	if (by_sent) {
		uint32_t *count = ns_calloc(NPASS * DIGITS, sizeof *count);
		if (!count) {
			free(tmp);
			return NS_ENOMEM;
		}
		for (size_t i = 0; i < n; i++) {
			uint32_t id = h[i].id;
			for (unsigned pass = 0; pass < NPASS; pass++)
				count[pass * DIGITS + ((id >> (pass * DIGIT_BITS)) & (DIGITS - 1))]++;
		}
		for (unsigned pass = 0; pass < NPASS; pass++) {
			unsigned shift = pass * DIGIT_BITS;
			uint32_t *c = count + pass * DIGITS;
			if (c[(src[0].id >> shift) & (DIGITS - 1)] == n)
				continue; /* every hit has this digit: the pass would not move anything */
			uint32_t pos = 0;
			for (unsigned d = 0; d < DIGITS; d++) {
				uint32_t k = c[d];
				c[d] = pos;
				pos += k;
			}
			for (size_t i = 0; i < n; i++)
				dst[c[(src[i].id >> shift) & (DIGITS - 1)]++] = src[i];
			ns_fhit *t = src;
			src = dst;
			dst = t;
		}
		free(count);
	} else {
		for (unsigned pass = 0; pass < 8; pass++) {
			unsigned shift = pass * 8;
			size_t count[256] = {0};
			for (size_t i = 0; i < n; i++)
				count[(((uint64_t)src[i].id << 32 | src[i].sent) >> shift) & 0xff]++;
			if (count[(((uint64_t)src[0].id << 32 | src[0].sent) >> shift) & 0xff] == n)
				continue;
			size_t pos = 0;
			for (unsigned d = 0; d < 256; d++) {
				size_t c = count[d];
				count[d] = pos;
				pos += c;
			}
			for (size_t i = 0; i < n; i++)
				dst[count[(((uint64_t)src[i].id << 32 | src[i].sent) >> shift) & 0xff]++] = src[i];
			ns_fhit *t = src;
			src = dst;
			dst = t;
		}
	}
	if (src != h)
		memcpy(h, src, n * sizeof *h);
	free(tmp);
	return 0;
}

/* Distinct ids of a bag, increasing, with their summed hit weights. */
typedef struct idsum {
	uint32_t *id;
	double *c;
	size_t n;
} idsum;

/* For a bag whose hits all weigh whole numbers and whose order the caller does
 * not need (keep_order): the sum of an id's weights is then exact whatever the
 * order, so only (id, weight) pairs packed in 8 bytes are radix-sorted on the id
 * (11-bit digits as sort_hits) instead of the 12-byte hits, and the hits stay in
 * place. Identical vectors; building one took about half the time (narrative
 * prediction, no evidence). mem: the allocation holding g's arrays (caller
 * frees). */
static int count_ids(idsum *g, void **mem, const ns_fhit *h, size_t n)
{
	if (n > SIZE_MAX / 32)
		return ns_error__set(NS_ELIMIT, "features: too many feature hits");
	/* pairs and scratch: 2n u64 | counts | ids: n u32 | sums: n doubles */
	char *p = ns_malloc(2 * n * sizeof(uint64_t) + NPASS * DIGITS * sizeof(uint32_t) +
			    n * (sizeof(uint32_t) + sizeof(double)));
	if (!p)
		return NS_ENOMEM;
	*mem = p;
	uint64_t *src = (uint64_t *)(void *)p, *dst = src + n;
	double *c = (double *)(void *)(dst + n);
	uint32_t *count = (uint32_t *)(void *)(c + n), *ids = count + NPASS * DIGITS;
	memset(count, 0, NPASS * DIGITS * sizeof *count);
	for (size_t i = 0; i < n; i++) {
		uint32_t id = h[i].id;
		src[i] = (uint64_t)id << 32 | (uint32_t)h[i].w;
		/* the NPASS (3) digit counts, unrolled: the loop's own control was a
		 * third of this line's instructions (callgrind, corpus predict) */
		count[id & (DIGITS - 1)]++;
		count[DIGITS + ((id >> DIGIT_BITS) & (DIGITS - 1))]++;
		count[2 * DIGITS + ((id >> (2 * DIGIT_BITS)) & (DIGITS - 1))]++;
	}
	for (unsigned pass = 0; pass < NPASS; pass++) {
		unsigned shift = 32 + pass * DIGIT_BITS;
		uint32_t *cnt = count + pass * DIGITS;
		if (cnt[(src[0] >> shift) & (DIGITS - 1)] == n)
			continue;
		uint32_t pos = 0;
		for (unsigned d = 0; d < DIGITS; d++) {
			uint32_t k = cnt[d];
			cnt[d] = pos;
			pos += k;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & (DIGITS - 1)]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	/* runs of equal ids, without a data-dependent branch (run lengths are
	 * unpredictable): u counts the runs so far */
	uint64_t *run = dst; /* whole-number sums; dst is free after the last pass */
	size_t u = 1;
	ids[0] = (uint32_t)(src[0] >> 32);
	run[0] = (uint32_t)src[0];
	for (size_t i = 1; i < n; i++) {
		uint32_t id = (uint32_t)(src[i] >> 32);
		size_t nw = id != ids[u - 1];
		run[u] = 0;
		u += nw;
		ids[u - 1] = id;
		run[u - 1] += (uint32_t)src[i];
	}
	for (size_t k = 0; k < u; k++)
		c[k] = (double)run[k];
	g->id = ids;
	g->c = c;
	g->n = u;
	return 0;
}

/* The distinct ids of a bag sorted by sort_hits: sums of each id's run. */
static int run_sums(idsum *g, void **mem, const ns_fhit *h, size_t n)
{
	char *p = ns_malloc(n * (sizeof(double) + sizeof(uint32_t)));
	if (!p)
		return NS_ENOMEM;
	*mem = p;
	g->c = (double *)(void *)p;
	g->id = (uint32_t *)(void *)(g->c + n);
	g->n = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double c = 0;
		while (j < n && h[j].id == h[i].id)
			c += h[j++].w;
		g->id[g->n] = h[i].id;
		g->c[g->n++] = c;
		i = j;
	}
	return 0;
}

#define LOGTF_MEMO 64

int ns_svec_from_bag(ns_svec *out, ns_fbag *b, const ns_vec_opts *o)
{
	double gnorm[NS_FGROUPS] = {0};
	size_t n = 0;
	void *mem = NULL;
	idsum g = {NULL, NULL, 0};
	int rc;
	out->e = NULL;
	out->n = 0;
	if (b->failed)
		return ns_error__set(NS_ENOMEM, "features: out of memory");
	if (b->n == 0)
		return 0;
	/* whole weights of at most 2^24 (exact in a float, and their sums in a
	 * double), as feature extraction gives (counts of a word's n-grams) */
	if (b->keep_order && b->n >= 64 && !b->frac) {
		rc = count_ids(&g, &mem, b->h, b->n);
	} else {
		rc = sort_hits(b->h, b->n);
		if (rc == 0)
			rc = run_sums(&g, &mem, b->h, b->n);
	}
	if (rc < 0) {
		free(mem);
		return rc;
	}
	out->e = ns_malloc(g.n * sizeof *out->e + 1);
	if (!out->e) {
		free(mem);
		return NS_ENOMEM;
	}
	/* 1 + log(c) of small whole counts, computed by log() on first use in this
	 * call (so bit-identical to calling it each time); most features occur once
	 * or a few times, and libm's log was ~15% of building a vector */
	double logtf[LOGTF_MEMO];
	for (size_t k = 0; k < LOGTF_MEMO; k++)
		logtf[k] = -1;
	for (size_t i = 0; i < g.n; i++) {
		double c = g.c[i];
		unsigned grp = NS_FID_GROUP(g.id[i]);
		if (c > 0 && o->group_weight[grp] > 0) {
			double v = c;
			if (o->log_tf) {
				size_t k = c < LOGTF_MEMO ? (size_t)c : 0; /* 0: not memoised (c > 0) */
				if (k > 0 && (double)k == c) {
					if (logtf[k] < 0)
						logtf[k] = 1.0 + log(c);
					v = logtf[k];
				} else {
					v = 1.0 + log(c);
				}
			}
			out->e[n].id = g.id[i];
			out->e[n].v = (float)v;
			gnorm[grp] += v * v;
			n++;
		}
	}
	free(mem);
	double total = 0;
	for (unsigned k = 0; k < NS_FGROUPS; k++) {
		if (gnorm[k] > 0) {
			gnorm[k] = o->group_weight[k] / sqrt(gnorm[k]);
			total += (double)o->group_weight[k] * o->group_weight[k];
		}
	}
	double scale = total > 0 ? 1.0 / sqrt(total) : 1.0;
	for (size_t i = 0; i < n; i++)
		out->e[i].v = (float)(out->e[i].v * gnorm[NS_FID_GROUP(out->e[i].id)] * scale);
	out->n = n;
	return 0;
}

void ns_svec_free(ns_svec *v)
{
	if (!v)
		return;
	free(v->e);
	v->e = NULL;
	v->n = 0;
}

double ns_svec_dot_dense(const ns_svec *v, const double *w)
{
	double s = 0;
	for (size_t i = 0; i < v->n; i++)
		s += w[v->e[i].id] * v->e[i].v;
	return s;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int ns_fmap_build(ns_fmap *out, const ns_svec *docs, size_t ndocs, unsigned min_df)
{
	size_t total = 0, n = 0;
	uint32_t *all = NULL;
	out->ids = NULL;
	out->dim = 0;
	for (size_t d = 0; d < ndocs; d++)
		total += docs[d].n;
	if (total == 0)
		return 0;
	all = ns_malloc(total * sizeof *all);
	if (!all)
		return NS_ENOMEM;
	for (size_t d = 0, k = 0; d < ndocs; d++)
		for (size_t i = 0; i < docs[d].n; i++)
			all[k++] = docs[d].e[i].id;
	qsort(all, total, sizeof *all, cmp_u32);
	/* each vector holds an id at most once, so the run length is the df */
	for (size_t i = 0; i < total;) {
		size_t j = i;
		while (j < total && all[j] == all[i])
			j++;
		if (j - i >= (min_df ? min_df : 1))
			all[n++] = all[i];
		i = j;
	}
	out->ids = n ? ns_realloc(all, n * sizeof *all) : NULL;
	if (n && !out->ids) {
		free(all);
		return NS_ENOMEM;
	}
	if (!n)
		free(all);
	out->dim = n;
	return 0;
}

void ns_fmap_free(ns_fmap *m)
{
	free(m->ids);
	m->ids = NULL;
	m->dim = 0;
}

long ns_fmap_find(const uint32_t *ids, size_t dim, uint32_t id)
{
	size_t lo = 0, hi = dim;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < dim && ids[lo] == id ? (long)lo : -1;
}

/* First index in [lo, hi) whose id is >= id (hi when none). */
static size_t lower_bound(const uint32_t *ids, size_t lo, size_t hi, uint32_t id)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Each lookup compares the id against a window of WIN consecutive map ids around
 * its estimated position at once (a fixed-length loop the compiler vectorises):
 * the count of smaller ids is the lower bound, no data-dependent branch.
 *
 * The estimate is the id's position if its group's hashes were evenly spread
 * (they are uniform over 2^29 values), corrected by the deviation measured at the
 * lookup LAG entries earlier in the same group. Lookups thus form LAG independent
 * chains the CPU overlaps; anchoring on the previous lookup made one serial chain
 * of dependent loads and cost ~55 cycles per id. With ~30 map ids between
 * consecutive lookups the deviation drifts by ~10 ids over LAG lookups, well
 * inside the window; a miss falls back to bisection. */
#define WIN 64
#define LAG 4

static size_t count_below(const uint32_t *p, uint32_t id)
{
	uint32_t c = 0;
	for (int j = 0; j < WIN; j++)
		c += p[j] < id;
	return c;
}

void ns_fmap_rows(int32_t *rows, const ns_fentry *e, size_t n, const uint32_t *ids, size_t dim)
{
	size_t gstart[NS_FGROUPS + 1];
	for (unsigned g = 0; g < NS_FGROUPS; g++)
		gstart[g] = lower_bound(ids, 0, dim, (uint32_t)g << NS_FGROUP_SHIFT);
	gstart[NS_FGROUPS] = dim;
	int64_t dev[LAG] = {0};
	unsigned devg[LAG];
	for (unsigned j = 0; j < LAG; j++)
		devg[j] = NS_FGROUPS; /* no measurement yet */
	for (size_t i = 0; i < n; i++) {
		uint32_t id = e[i].id;
		unsigned g = NS_FID_GROUP(id), slot = (unsigned)(i % LAG);
		size_t gs = gstart[g], end = gstart[g + 1], cnt = end - gs, k;
		if (cnt == 0) {
			rows[i] = -1;
			devg[slot] = NS_FGROUPS;
			continue;
		}
		int64_t even = (int64_t)gs + (int64_t)(((uint64_t)(id & 0x1FFFFFFFu) * cnt) >> NS_FGROUP_SHIFT);
		if (cnt <= WIN) {
			k = lower_bound(ids, gs, end, id);
		} else {
			int64_t est = even + (devg[slot] == g ? dev[slot] : 0) - WIN / 2;
			size_t w = est <= (int64_t)gs ? gs : (size_t)est;
			if (w > end - WIN)
				w = end - WIN;
			size_t c = count_below(ids + w, id);
			if (c == 0 && w > gs)
				k = lower_bound(ids, gs, w, id); /* estimate too far right (rare) */
			else if (c == WIN && w + WIN < end)
				k = lower_bound(ids, w + WIN, end, id); /* too far left (rare) */
			else
				k = w + c;
		}
		dev[slot] = (int64_t)k - even;
		devg[slot] = g;
		size_t at = k < end ? k : end - 1;
		rows[i] = ids[at] == id ? (int32_t)at : -1;
	}
}

/* Ids per bucket aimed at, and the window a lookup compares at once (a bucket
 * larger than the window, rare with uniform hashes, falls back to bisection). */
#define BUCKET_IDS 8
#define BWIN 16

int ns_fmap_index_build(ns_fmap_index *out, const uint32_t *ids, size_t dim)
{
	size_t gstart[NS_FGROUPS + 1], total = 0;
	memset(out, 0, sizeof *out);
	for (unsigned g = 0; g < NS_FGROUPS; g++)
		gstart[g] = lower_bound(ids, 0, dim, (uint32_t)g << NS_FGROUP_SHIFT);
	gstart[NS_FGROUPS] = dim;
	for (unsigned g = 0; g < NS_FGROUPS; g++) {
		size_t cnt = gstart[g + 1] - gstart[g];
		unsigned bits = 0;
		while (bits < NS_FGROUP_SHIFT && ((size_t)1 << bits) * BUCKET_IDS < cnt)
			bits++;
		out->base[g] = (uint32_t)total;
		out->shift[g] = NS_FGROUP_SHIFT - bits;
		total += (size_t)1 << bits;
	}
	out->start = ns_malloc((total + 1) * sizeof *out->start);
	if (!out->start)
		return NS_ENOMEM;
	/* start[b] = first index whose id falls in bucket b or later */
	size_t b = 0;
	for (size_t i = 0; i < dim; i++) {
		unsigned g = NS_FID_GROUP(ids[i]);
		size_t bi = out->base[g] + ((ids[i] & 0x1FFFFFFFu) >> out->shift[g]);
		while (b <= bi)
			out->start[b++] = (uint32_t)i;
	}
	while (b <= total)
		out->start[b++] = (uint32_t)dim;
	return 0;
}

void ns_fmap_index_free(ns_fmap_index *x)
{
	if (!x)
		return;
	free(x->start);
	x->start = NULL;
}

/* Entries of ids[lo, lo + BWIN) below id (the caller checked lo + BWIN <= dim). */
static inline uint32_t below_c(const uint32_t *w, uint32_t id)
{
	uint32_t c = 0;
	for (int j = 0; j < BWIN; j++)
		c += w[j] < id;
	return c;
}

#define ROWS_INDEX_BODY(BELOW)                                                            \
	for (size_t i = 0; i < n; i++) {                                                  \
		uint32_t id = e[i].id;                                                    \
		unsigned g = NS_FID_GROUP(id);                                            \
		size_t bi = x->base[g] + ((id & 0x1FFFFFFFu) >> x->shift[g]);             \
		size_t lo = x->start[bi], hi = x->start[bi + 1], k;                       \
		if (hi - lo <= BWIN && lo + BWIN <= dim)                                  \
			k = lo + BELOW(ids + lo, id); /* ids past the bucket are larger */ \
		else                                                                      \
			k = lower_bound(ids, lo, hi, id);                                 \
		rows[i] = k < hi && ids[k] == id ? (int32_t)k : -1;                       \
	}

static void rows_index_c(int32_t *rows, const ns_fentry *e, size_t n, const uint32_t *ids, size_t dim,
			 const ns_fmap_index *x)
{
	ROWS_INDEX_BODY(below_c)
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ROWS_AVX2 1
/* The same count with two 8-lane compares (unsigned, through the sign flip):
 * the scalar window was 8% of a corpus prediction's instructions (callgrind). */
__attribute__((target("avx2,popcnt"))) static inline uint32_t below_avx2(const uint32_t *w, uint32_t id)
{
	const __m256i flip = _mm256_set1_epi32((int)0x80000000u);
	__m256i key = _mm256_set1_epi32((int)(id ^ 0x80000000u));
	__m256i a = _mm256_xor_si256(_mm256_loadu_si256((const void *)w), flip);
	__m256i b = _mm256_xor_si256(_mm256_loadu_si256((const void *)(w + 8)), flip);
	unsigned ma = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(key, a)));
	unsigned mb = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(key, b)));
	return (uint32_t)__builtin_popcount(ma) + (uint32_t)__builtin_popcount(mb);
}

__attribute__((target("avx2,popcnt"))) static void rows_index_avx2(int32_t *rows, const ns_fentry *e, size_t n,
								  const uint32_t *ids, size_t dim,
								  const ns_fmap_index *x)
{
	ROWS_INDEX_BODY(below_avx2)
}
#endif

void ns_fmap_rows_index(int32_t *rows, const ns_fentry *e, size_t n, const uint32_t *ids, size_t dim,
			const ns_fmap_index *x)
{
#if BWIN != 16
#error "below_avx2 compares exactly 16 ids"
#endif
#ifdef ROWS_AVX2
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) {
		rows_index_avx2(rows, e, n, ids, dim, x);
		return;
	}
#endif
	rows_index_c(rows, e, n, ids, dim, x);
}

int ns_svec_remap(ns_svec *out, const ns_svec *v, const uint32_t *ids, size_t dim)
{
	out->n = 0;
	out->e = v->n ? ns_malloc(v->n * sizeof *out->e) : NULL;
	if (v->n && !out->e)
		return NS_ENOMEM;
	/* both sorted: merge walk, with binary search jumps on the map */
	size_t lo = 0;
	for (size_t i = 0; i < v->n && lo < dim; i++) {
		size_t a = lo, b = dim;
		while (a < b) {
			size_t mid = a + (b - a) / 2;
			if (ids[mid] < v->e[i].id)
				a = mid + 1;
			else
				b = mid;
		}
		lo = a;
		if (lo < dim && ids[lo] == v->e[i].id) {
			out->e[out->n].id = (uint32_t)lo;
			out->e[out->n].v = v->e[i].v;
			out->n++;
		}
	}
	return 0;
}
