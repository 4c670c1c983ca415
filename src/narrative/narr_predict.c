/* Prediction for one document: features, head scores (blended with the
 * neighbour votes of narr_knn.c when the model has them, then corrected by the
 * second stage of narr_stack.c when it has one), decoding, and evidence.
 *
 * Evidence for label h: every feature hit of a sentence contributes
 * W[f][h] * x_f * (hit weight / total weight of f's hits), i.e. the feature's share
 * of the decision value split over the sentences it occurs in; the sentences with
 * the largest positive sums (at most NS_NARR_MAX_EVIDENCE) are the evidence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "narr.h"

/* Feature rows are visited in chunks: rows resolved and prefetched ahead. */
#define CHUNK 256
/* Rows prefetched ahead of the one being added: a document touches ~2,000 rows of
 * 117 bytes spread over the 11.7 MB weight table, so the loop waits on memory,
 * not on arithmetic; prefetching 16 rows ahead halved this loop's time in a
 * benchmark over the default model's table (8 to 32 rows ahead: the same). */
#define PREFETCH 16

/* Every cache line of a row: a 117-byte row not aligned to 64 bytes spans three
 * lines most of the time (the middle one was missed when only both ends were). */
static inline void prefetch_row(const int8_t *p, size_t len)
{
#if defined(__GNUC__) || defined(__clang__)
	for (size_t off = 0; off < len; off += 64)
		__builtin_prefetch(p + off);
	__builtin_prefetch(p + len - 1);
#else
	(void)p;
	(void)len;
#endif
}
#define PREFETCH_ROW(p, len) prefetch_row(p, len)
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH_AT(p) __builtin_prefetch(p)
#else
#define PREFETCH_AT(p) ((void)(p))
#endif

/* a[h] += row_i[h] * v_i for every row i, in increasing i: the order, precision
 * and rounding of this scalar loop (-std=c11 keeps mul and add unfused) on every
 * path, hence bit-identical scores. */
static void accumulate_c(double *restrict a, size_t nh, const int8_t *const *rp, const double *vals, size_t n)
{
	for (size_t i = 0; i < n && i < PREFETCH; i++)
		PREFETCH_ROW(rp[i], nh);
	for (size_t i = 0; i < n; i++) {
		if (i + PREFETCH < n)
			PREFETCH_ROW(rp[i + PREFETCH], nh);
		const int8_t *restrict row = rp[i];
		double v = vals[i];
		for (size_t h = 0; h < nh; h++)
			a[h] += row[h] * v;
	}
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ACC_AVX2 1

/* The same as accumulate_c with AVX2: heads in blocks of 16 whose four
 * accumulators of 4 doubles stay in registers across all rows (each lane is one
 * head, so each head still adds its rows in order), the int8 weights widened
 * with vpmovsxbd. Measured on the default model (corpus predict, one thread,
 * perf): the GNU-vector loop it replaced (target_clones) widened the bytes one
 * by one and reloaded the accumulators for every row; this loop's share went
 * from 13-16% to 9-11% of the samples. */
__attribute__((target("avx2"))) static void accumulate_avx2(double *restrict a, size_t nh,
							     const int8_t *const *rp, const double *vals, size_t n)
{
	for (size_t i = 0; i < n && i < PREFETCH; i++)
		PREFETCH_ROW(rp[i], nh);
	size_t h0 = 0;
	for (; h0 + 16 <= nh; h0 += 16) {
		__m256d a0 = _mm256_loadu_pd(a + h0), a1 = _mm256_loadu_pd(a + h0 + 4);
		__m256d a2 = _mm256_loadu_pd(a + h0 + 8), a3 = _mm256_loadu_pd(a + h0 + 12);
		for (size_t i = 0; i < n; i++) {
			if (h0 == 0 && i + PREFETCH < n)
				PREFETCH_ROW(rp[i + PREFETCH], nh);
			__m128i q = _mm_loadu_si128((const void *)(rp[i] + h0));
			__m256d v = _mm256_set1_pd(vals[i]);
			a0 = _mm256_add_pd(a0, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm_cvtepi8_epi32(q)), v));
			a1 = _mm256_add_pd(a1, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm_cvtepi8_epi32(_mm_srli_si128(q, 4))), v));
			a2 = _mm256_add_pd(a2, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm_cvtepi8_epi32(_mm_srli_si128(q, 8))), v));
			a3 = _mm256_add_pd(a3, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm_cvtepi8_epi32(_mm_srli_si128(q, 12))), v));
		}
		_mm256_storeu_pd(a + h0, a0);
		_mm256_storeu_pd(a + h0 + 4, a1);
		_mm256_storeu_pd(a + h0 + 8, a2);
		_mm256_storeu_pd(a + h0 + 12, a3);
	}
	if (h0 < nh)
		for (size_t i = 0; i < n; i++) {
			if (h0 == 0 && i + PREFETCH < n)
				PREFETCH_ROW(rp[i + PREFETCH], nh);
			const int8_t *row = rp[i];
			double v = vals[i];
			for (size_t h = h0; h < nh; h++)
				a[h] += row[h] * v;
		}
}

static int have_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
#endif

static void accumulate(double *restrict a, size_t nh, const int8_t *const *rp, const double *vals, size_t n)
{
#ifdef ACC_AVX2
	if (have_avx2()) {
		accumulate_avx2(a, nh, rp, vals, n);
		return;
	}
#endif
	accumulate_c(a, nh, rp, vals, n);
}

/* Scores of x (see ns_narr_model_scores). rows[i] is the compact index of
 * x->e[i] (-1 absent) when the caller resolved them already, or NULL: then x is
 * resolved here slice by slice into a stack buffer (no allocation, cannot fail). */
static void scores_rows(const ns_narr_model *m, const ns_svec *x, const int32_t *rows, float *scores)
{
	double acc[1024];
	int32_t slice[CHUNK];
	const int8_t *rp[CHUNK];
	double vals[CHUNK];
	size_t nh = m->nheads;
	int fl = nh > 1024; /* more heads than the stack buffer: accumulate in float */
	for (size_t h = 0; h < nh; h++) {
		if (fl)
			scores[h] = m->bias[h];
		else
			acc[h] = m->bias[h];
	}
	for (size_t off = 0; off < x->n; off += CHUNK) {
		size_t len = x->n - off < CHUNK ? x->n - off : CHUNK;
		const int32_t *r = rows ? rows + off : slice;
		if (!rows)
			ns_fmap_rows(slice, x->e + off, len, m->ids, m->dim);
		size_t k = 0;
		for (size_t i = 0; i < len; i++) {
			if (r[i] < 0)
				continue;
			size_t f = (size_t)r[i];
			const ns_fentry *e = &x->e[off + i];
			if (fl) {
				const int8_t *row = m->Q + f * nh;
				float v = e->v * m->scale[f];
				for (size_t h = 0; h < nh; h++)
					scores[h] += (float)row[h] * v;
				continue;
			}
			rp[k] = m->Q + f * nh;
			vals[k++] = (double)e->v * m->scale[f];
		}
		accumulate(acc, nh, rp, vals, k);
	}
	if (!fl)
		for (size_t h = 0; h < nh; h++)
			scores[h] = (float)acc[h];
}

/* Blends the neighbour votes (or nothing without them) into heads [0, nh). */
static void blend_all(const ns_narr_model *m, const float *votes, float *scores)
{
	if (!votes)
		return;
	for (size_t h = 0; h < m->nheads; h++)
		scores[h] = ns_narr__knn_blend(scores[h], votes[h], m->p.knn_a);
}

int ns_narr_model_scores(const ns_narr_model *m, const ns_svec *x, float *scores)
{
	scores_rows(m, x, NULL, scores);
	if (!m->knn && !m->stack)
		return 0;
	float *votes = ns_malloc((m->nheads + 1) * sizeof *votes);
	if (!votes)
		return NS_ENOMEM;
	int rc = m->knn ? ns_narr__knn_votes(m, x, votes) : 0;
	if (rc == 0 && m->knn)
		blend_all(m, votes, scores);
	if (rc == 0 && m->stack)
		ns_narr__stack_apply(m->stack, scores, votes); /* votes reused as scratch */
	free(votes);
	return rc;
}

/* ---- decision-only scoring over weight planes (see ns_narr__planes_build) ----
 *
 * DESIGN: the task TSV needs the decisions only, and decoding ignores every head
 * of a domain other than the decided one. The planes split Q by columns: plane 0
 * holds the heads of no domain (the domain heads among them), plane 1 + d the
 * heads of domain d, each domain row padded to a multiple of 64 bytes and the
 * planes 64-byte aligned, so a feature row of the decided domain is one cache
 * line where the full 117-byte row spans two or three. Plane 0 (a few bytes per
 * feature, and the feature's scale: SCALE_AT) is read first. Each head still
 * adds its rows in the same order from the same bias, so its score is
 * bit-identical to full scoring. The block is asked for huge pages (fewer TLB misses over ~13 MB of
 * randomly visited rows). Measured on the default model (corpus predict, one
 * thread): the scoring loop went from ~24% to ~15% of the samples, CPU time
 * 0.80 -> 0.71 s side by side; building the planes adds ~3 ms to loading.
 * The same block holds the bucket index of the feature ids (svec.h), used by
 * every prediction, with or without evidence. */
#define PLANE_HUGE ((size_t)2 << 20)
/* Plane 0's row of feature f also holds f's scale (float) at this offset after
 * its n0 weights: the scale is read with the row, from the same cache line,
 * instead of from scale[] (400 KB read at random places: a second miss per
 * feature). Measured on the default model (corpus predict, one thread, 15
 * interleaved runs): minimum 0.683 -> 0.670 s, median 0.724 -> 0.708 s; L1
 * data misses 55.3 -> 53.2 million (cachegrind). */
#define SCALE_AT(n0) (((n0) + 3) / 4 * 4)

struct ns_narr_planes {
	ns_fmap_index idx;                             /* row lookup (start[] in this block) */
	size_t nplanes;                                /* 1 + domains */
	size_t n[NS_NARR_MAX_DOMAINS + 1];             /* heads of each plane */
	size_t stride[NS_NARR_MAX_DOMAINS + 1];        /* row bytes */
	const uint32_t *head[NS_NARR_MAX_DOMAINS + 1]; /* head indices, increasing */
	const int8_t *q[NS_NARR_MAX_DOMAINS + 1];      /* dim x stride */
};

/* Plane of head h: 0 without a domain, else 1 + its domain. */
static size_t plane_of(const ns_narr_model *m, size_t h)
{
	const ns_narr_head *hd = &m->heads[h];
	int32_t c = hd->kind == NS_HEAD_COARSE ? hd->label : hd->kind == NS_HEAD_FINE ? m->L.fine_parent[hd->label] : -1;
	if (c < 0 || (size_t)c >= m->L.ncoarse || m->L.coarse_domain[c] < 0 ||
	    (size_t)m->L.coarse_domain[c] >= m->L.ndomains)
		return 0;
	return 1 + (size_t)m->L.coarse_domain[c];
}

int ns_narr__planes_build(ns_narr_model *m)
{
	size_t nd = m->L.ndomains, nh = m->nheads, ndh = 0;
	m->planes = NULL;
	for (size_t h = 0; h < nh; h++)
		ndh += m->heads[h].kind == NS_HEAD_DOMAIN;
	if (ndh == 0 || nd == 0 || nd > NS_NARR_MAX_DOMAINS || m->owned[1] || m->dim == 0)
		return 0;
	struct ns_narr_planes P;
	memset(&P, 0, sizeof P);
	P.nplanes = 1 + nd;
	for (size_t h = 0; h < nh; h++)
		P.n[plane_of(m, h)]++;
	ns_fmap_index idx;
	if (ns_fmap_index_build(&idx, m->ids, m->dim) < 0)
		return NS_ENOMEM;
	size_t nb = idx.base[NS_FGROUPS - 1] + ((size_t)1 << (NS_FGROUP_SHIFT - idx.shift[NS_FGROUPS - 1])) + 1;
	size_t hdr = sizeof P + (nh + 1 + nb) * sizeof(uint32_t), bytes = 0;
	for (size_t k = 0; k < P.nplanes; k++) {
		P.stride[k] = k == 0 ? SCALE_AT(P.n[0]) + sizeof(float) : (P.n[k] + 63) / 64 * 64;
		if (P.stride[k] && m->dim > (SIZE_MAX / 2 - bytes) / P.stride[k] / 2) {
			ns_fmap_index_free(&idx);
			return ns_error__set(NS_ELIMIT, "narratives: weight table too large");
		}
		bytes += (m->dim * P.stride[k] + 63) / 64 * 64;
	}
	char *base = ns_malloc(hdr + bytes + PLANE_HUGE);
	if (!base) {
		ns_fmap_index_free(&idx);
		return NS_ENOMEM;
	}
	uint32_t *heads = (uint32_t *)(void *)(base + sizeof P);
	P.idx = idx;
	P.idx.start = heads + nh + 1;
	memcpy(P.idx.start, idx.start, nb * sizeof(uint32_t));
	ns_fmap_index_free(&idx);
	char *q = base + (((uintptr_t)base + hdr + PLANE_HUGE - 1) / PLANE_HUGE * PLANE_HUGE - (uintptr_t)base);
#if defined(MADV_HUGEPAGE)
	madvise(q, bytes / PLANE_HUGE * PLANE_HUGE, MADV_HUGEPAGE); /* a hint: failure is harmless */
#endif
	size_t at = 0, col[NS_NARR_MAX_DOMAINS + 1];
	for (size_t k = 0; k < P.nplanes; k++) {
		P.head[k] = heads + at;
		P.q[k] = (const int8_t *)q;
		col[k] = at;
		at += P.n[k];
		q += (m->dim * P.stride[k] + 63) / 64 * 64;
	}
	size_t fill[NS_NARR_MAX_DOMAINS + 1];
	memset(fill, 0, sizeof fill);
	for (size_t h = 0; h < nh; h++) {
		size_t k = plane_of(m, h);
		heads[col[k] + fill[k]++] = (uint32_t)h;
	}
	for (size_t k = 0; k < P.nplanes; k++) {
		/* a plane's heads are a few runs of consecutive heads (coarse, then
		 * fine): copied run by run, ~3x faster than byte by byte (load time) */
		size_t rs[NS_NARR_MAX_COARSE], rl[NS_NARR_MAX_COARSE], nr = 0;
		const uint32_t *hk = P.head[k];
		for (size_t j = 0; j < P.n[k]; j++) {
			if (nr > 0 && hk[j] == hk[j - 1] + 1) {
				rl[nr - 1]++;
			} else if (nr < NS_NARR_MAX_COARSE) {
				rs[nr] = hk[j];
				rl[nr++] = 1;
			} else {
				nr = NS_NARR_MAX_COARSE + 1; /* too fragmented: byte by byte */
				break;
			}
		}
		int8_t *dst = (int8_t *)P.q[k];
		for (size_t f = 0; f < m->dim; f++, dst += P.stride[k]) {
			const int8_t *src = m->Q + f * nh;
			if (nr <= NS_NARR_MAX_COARSE) {
				int8_t *d = dst;
				for (size_t r = 0; r < nr; r++) {
					memcpy(d, src + rs[r], rl[r]);
					d += rl[r];
				}
			} else {
				for (size_t j = 0; j < P.n[k]; j++)
					dst[j] = src[hk[j]];
			}
			memset(dst + P.n[k], 0, P.stride[k] - P.n[k]);
			if (k == 0)
				memcpy(dst + SCALE_AT(P.n[0]), &m->scale[f], sizeof(float));
		}
	}
	memcpy(base, &P, sizeof P);
	m->owned[1] = base;
	m->planes = (const struct ns_narr_planes *)(void *)base;
	return 0;
}

/* Adds plane k's rows of the present features (row f, value vals[i]) to its
 * heads' accumulators, from their biases, and stores the scores. */
static void plane_scores(const ns_narr_model *m, size_t k, const int32_t *f, const double *vals, size_t n,
			 const float *votes, float *scores)
{
	const struct ns_narr_planes *P = m->planes;
	double acc[1024];
	const int8_t *rp[CHUNK];
	size_t nk = P->n[k];
	/* a domain plane's rows are zero-padded to 64 bytes: its heads are added in
	 * whole blocks of 16 (the padding lanes sum zeros into acc and are not
	 * read), where a tail of up to 15 heads took the scalar loop for every row,
	 * 7% of a corpus prediction's instructions (callgrind); each lane is one
	 * head as before, so the scores are unchanged */
	size_t na = (nk + 15) / 16 * 16;
	if (na > P->stride[k] || na > sizeof acc / sizeof acc[0])
		na = nk;
	for (size_t j = 0; j < nk; j++)
		acc[j] = m->bias[P->head[k][j]];
	for (size_t j = nk; j < na; j++)
		acc[j] = 0;
	for (size_t off = 0; off < n; off += CHUNK) {
		size_t len = n - off < CHUNK ? n - off : CHUNK;
		for (size_t i = 0; i < len; i++)
			rp[i] = P->q[k] + (size_t)f[off + i] * P->stride[k];
		accumulate(acc, na, rp, vals + off, len);
	}
	for (size_t j = 0; j < nk; j++) {
		uint32_t h = P->head[k][j];
		scores[h] = votes ? ns_narr__knn_blend((float)acc[j], votes[h], m->p.knn_a) : (float)acc[j];
	}
}

/* Plane 0's heads (see plane_scores): the values x_i * scale (scale read from
 * the row) are stored in vals[i] for the domain plane; vals[i] holds x_i on
 * entry. The same products and sums in the same order as plane_scores over
 * values scaled beforehand, hence the same scores. */
static void plane0_scores(const ns_narr_model *m, const int32_t *f, double *vals, size_t n, const float *votes,
			  float *scores)
{
	const struct ns_narr_planes *P = m->planes;
	double acc[1024];
	size_t n0 = P->n[0], stride = P->stride[0], at = SCALE_AT(n0);
	const int8_t *q = P->q[0];
	for (size_t j = 0; j < n0; j++)
		acc[j] = m->bias[P->head[0][j]];
	for (size_t i = 0; i < n && i < PREFETCH; i++)
		PREFETCH_AT(q + (size_t)f[i] * stride);
	if (at == 4) {
		/* up to 4 heads (3 in the default model: 2 domains and Other): four
		 * accumulators in registers, the zero padding summed into the unused
		 * ones; the generic loop's control was half of its instructions */
		double a[4] = {0, 0, 0, 0};
		for (size_t j = 0; j < n0; j++)
			a[j] = acc[j];
		double a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
		for (size_t i = 0; i < n; i++) {
			if (i + PREFETCH < n)
				PREFETCH_AT(q + (size_t)f[i + PREFETCH] * stride);
			const int8_t *row = q + (size_t)f[i] * stride;
			float sc;
			memcpy(&sc, row + 4, sizeof sc);
			double v = vals[i] * sc;
			vals[i] = v;
			a0 += row[0] * v;
			a1 += row[1] * v;
			a2 += row[2] * v;
			a3 += row[3] * v;
		}
		a[0] = a0;
		a[1] = a1;
		a[2] = a2;
		a[3] = a3;
		for (size_t j = 0; j < n0; j++)
			acc[j] = a[j];
	} else {
		for (size_t i = 0; i < n; i++) {
			if (i + PREFETCH < n)
				PREFETCH_AT(q + (size_t)f[i + PREFETCH] * stride);
			const int8_t *row = q + (size_t)f[i] * stride;
			float sc;
			memcpy(&sc, row + at, sizeof sc);
			double v = vals[i] * sc;
			vals[i] = v;
			for (size_t j = 0; j < n0; j++)
				acc[j] += row[j] * v;
		}
	}
	for (size_t j = 0; j < n0; j++) {
		uint32_t h = P->head[0][j];
		scores[h] = votes ? ns_narr__knn_blend((float)acc[j], votes[h], m->p.knn_a) : (float)acc[j];
	}
}

/* Decision-only scores: plane 0, the domain decided from it exactly as decoding
 * decides it (the first best domain head, after blending in the neighbour votes
 * when there are any), then that domain's plane; the other domains' heads get
 * -1e30. fv: scratch of x->n rows and values. */
static void scores_decide(const ns_narr_model *m, const ns_svec *x, const int32_t *rows, int32_t *fr, double *fv,
			  const float *votes, float *scores)
{
	const struct ns_narr_planes *P = m->planes;
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++) {
		if (rows[i] >= 0) {
			fr[k] = rows[i];
			fv[k++] = (double)x->e[i].v; /* scaled by plane0_scores */
		}
	}
	for (size_t h = 0; h < m->nheads; h++)
		scores[h] = -1e30f;
	plane0_scores(m, fr, fv, k, votes, scores);
	int32_t dom = -1;
	float best = 0;
	for (size_t h = 0; h < m->nheads; h++)
		if (m->heads[h].kind == NS_HEAD_DOMAIN && (dom < 0 || scores[h] > best)) {
			dom = m->heads[h].label;
			best = scores[h];
		}
	if (dom >= 0 && (size_t)dom + 1 < P->nplanes)
		plane_scores(m, (size_t)dom + 1, fr, fv, k, votes, scores);
}

static float squash(float margin) { return (float)(1.0 / (1.0 + exp(-4.0 * (double)margin))); }

static long head_of(const ns_narr_model *m, int kind, int32_t label)
{
	for (size_t h = 0; h < m->nheads; h++)
		if (m->heads[h].kind == kind && m->heads[h].label == label)
			return (long)h;
	return -1;
}

/* One label that gets evidence sentences: its item and head. */
typedef struct ev_req {
	ns_narr_item *it;
	size_t h;
} ev_req;

/* Keeps the NS_NARR_MAX_EVIDENCE sentences with the largest positive sums in acc. */
static void top_sentences(ns_narr_item *it, const ns_doc *doc, const double *acc)
{
	it->nev = 0;
	for (size_t s = 0; s < doc->nsentences; s++) {
		if (acc[s] <= 0)
			continue;
		size_t pos = it->nev;
		while (pos > 0 && it->ev[pos - 1].weight < acc[s])
			pos--;
		if (pos >= NS_NARR_MAX_EVIDENCE)
			continue;
		size_t last = it->nev < NS_NARR_MAX_EVIDENCE ? it->nev : NS_NARR_MAX_EVIDENCE - 1;
		memmove(&it->ev[pos + 1], &it->ev[pos], (last - pos) * sizeof it->ev[0]);
		it->ev[pos].start = doc->sentences[s].start;
		it->ev[pos].end = doc->sentences[s].end;
		it->ev[pos].weight = (float)acc[s];
		if (it->nev < NS_NARR_MAX_EVIDENCE)
			it->nev++;
	}
}

/* Top sentences of every requested label from the hits (bag sorted by id), the
 * vector x and its resolved rows, in one pass over the hits for all labels (acc:
 * nreq x nsentences scratch). Per label and sentence the sums are added in the
 * same order as a pass per label would, so the weights are bit-identical; the
 * single pass reads the bag and the rows once instead of once per label. */
static void evidence(ev_req *req, size_t nreq, const ns_narr_model *m, const ns_doc *doc, const ns_fbag *bag,
		     const ns_svec *x, const int32_t *rows, double *acc)
{
	size_t ns = doc->nsentences, nh = m->nheads;
	if (ns == 0 || nreq == 0)
		return;
	memset(acc, 0, nreq * ns * sizeof *acc);
	double share[NS_NARR_MAX_COARSE + NS_NARR_MAX_FINE];
	size_t b = 0;
	/* the rows are read at random places of the weight table, as in scoring:
	 * fetched PREFETCH features ahead */
	for (size_t i = 0; i < x->n && i < PREFETCH; i++)
		if (rows[i] >= 0)
			PREFETCH_ROW(m->Q + (size_t)rows[i] * nh, nh);
	for (size_t i = 0; i < x->n; i++) {
		if (i + PREFETCH < x->n && rows[i + PREFETCH] >= 0) {
			PREFETCH_ROW(m->Q + (size_t)rows[i + PREFETCH] * nh, nh);
			PREFETCH_AT(&m->scale[rows[i + PREFETCH]]);
		}
		uint32_t id = x->e[i].id;
		while (b < bag->n && bag->h[b].id < id)
			b++;
		size_t e = b;
		double tot = 0;
		while (e < bag->n && bag->h[e].id == id)
			tot += bag->h[e++].w;
		if (rows[i] >= 0 && tot > 0) {
			size_t f = (size_t)rows[i];
			const int8_t *row = m->Q + f * nh;
			for (size_t r = 0; r < nreq; r++)
				share[r] = (double)row[req[r].h] * m->scale[f] * x->e[i].v / tot;
			for (size_t k = b; k < e; k++) {
				uint32_t s = bag->h[k].sent;
				if (s >= ns)
					continue;
				double w = bag->h[k].w;
				for (size_t r = 0; r < nreq; r++)
					acc[r * ns + s] += share[r] * w;
			}
		}
		b = e;
	}
	for (size_t r = 0; r < nreq; r++)
		top_sentences(req[r].it, doc, acc + r * ns);
}

int ns_narr_predict_doc(ns_narr_layer **out, const ns_narr_model *m, ns_doc *doc, ns_fbag *bag, int with_ev)
{
	int rc;
	ns_svec x = {NULL, 0};
	float *scores = NULL, *votes = NULL;
	double *acc = NULL;
	int32_t *rows = NULL, *fr = NULL;
	double *fv = NULL;
	ev_req *req = NULL;
	size_t nreq = 0;
	*out = NULL;
	ns_narr_layer *L = ns_arena_alloc(&doc->arena, sizeof *L);
	scores = ns_arena_array(&doc->arena, m->nheads + 1, sizeof *scores);
	if (!L || !scores)
		return NS_ENOMEM;
	bag->keep_order = !with_ev; /* only evidence reads the sorted hits */
	if ((rc = ns_narr_featurize(&x, bag, doc, &m->p)) < 0)
		goto cleanup;
	/* rows resolved once, for the scores and every label's evidence */
	rows = ns_malloc((x.n + 1) * sizeof *rows);
	if (!rows) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (m->planes)
		ns_fmap_rows_index(rows, x.e, x.n, m->ids, m->dim, &m->planes->idx);
	else
		ns_fmap_rows(rows, x.e, x.n, m->ids, m->dim);
	if (m->knn) {
		votes = ns_arena_array(&doc->arena, m->nheads + 1, sizeof *votes);
		if (!votes) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if ((rc = ns_narr__knn_votes(m, &x, votes)) < 0)
			goto cleanup;
	}
	/* the second stage reads every head's score: no decision-only scoring */
	if (!with_ev && m->planes && m->nheads <= 1024 && !m->stack) {
		fv = ns_malloc((x.n + 1) * (sizeof *fv + sizeof *fr));
		if (!fv) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		fr = (int32_t *)(void *)(fv + x.n + 1);
		scores_decide(m, &x, rows, fr, fv, votes, scores);
	} else {
		scores_rows(m, &x, rows, scores);
		blend_all(m, votes, scores);
	}
	if (m->stack) {
		float *tmp = ns_arena_array(&doc->arena, m->nheads + 1, sizeof *tmp);
		if (!tmp) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		ns_narr__stack_apply(m->stack, scores, tmp);
	}
	ns_narr_decode_mix(&L->dec, m, scores, m->theta, m->fallback, m->mix);
	L->domain = L->dec.domain >= 0 ? m->L.domains[L->dec.domain] : NULL;
	L->items = ns_arena_array(&doc->arena, L->dec.ncoarse + 1, sizeof *L->items);
	if (!L->items) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	int ev = with_ev && doc->nsentences;
	if (ev) {
		req = ns_malloc((L->dec.ncoarse + L->dec.nfine + 1) * sizeof *req);
		if (!req) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
	}
	/* with rule 0's calibration a narrative's score is its probability */
	float pc[NS_NARR_MAX_COARSE], po = 0;
	int probs = m->p.ef1 && m->has_cal;
	if (probs)
		ns_narr__ef1_probs(m, scores, m->theta, m->mix, pc, &po);
	for (size_t i = 0; i < L->dec.ncoarse; i++) {
		int32_t c = L->dec.coarse[i];
		ns_narr_item *it = &L->items[L->n++];
		it->label = m->L.coarse[c];
		it->index = c;
		long h = head_of(m, NS_HEAD_COARSE, c);
		float best_child = 0;
		size_t nsub = 0;
		for (size_t j = 0; j < L->dec.nfine; j++)
			nsub += m->L.fine_parent[L->dec.fine[j]] == c;
		it->subs = nsub ? ns_arena_array(&doc->arena, nsub, sizeof *it->subs) : NULL;
		if (nsub && !it->subs) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t j = 0; j < L->dec.nfine; j++) {
			int32_t f = L->dec.fine[j];
			if (m->L.fine_parent[f] != c)
				continue;
			ns_narr_item *sub = &it->subs[it->nsubs++];
			sub->label = m->L.fine[f];
			sub->index = f;
			long fh = head_of(m, NS_HEAD_FINE, f);
			if (fh >= 0) {
				sub->score = squash(ns_narr_value(m, scores, (size_t)fh, m->mix) - m->theta[fh]);
				if (ev)
					req[nreq++] = (ev_req){sub, (size_t)fh};
			}
			if (sub->score > best_child)
				best_child = sub->score;
		}
		if (h >= 0) {
			it->score = squash(scores[h] - m->theta[h]);
			if (ev)
				req[nreq++] = (ev_req){it, (size_t)h};
		}
		if (best_child > it->score)
			it->score = best_child; /* implied by a confident subnarrative */
		if (c == m->L.coarse_other) {
			/* "Other": how far the best narrative is from being decided */
			float best = 0;
			for (size_t k = 0; k < m->nheads; k++)
				if (m->heads[k].kind == NS_HEAD_COARSE && squash(scores[k] - m->theta[k]) > best)
					best = squash(scores[k] - m->theta[k]);
			it->score = 1.0f - best;
		}
		if (probs && (size_t)c < ns_narr__ncal(m))
			it->score = c == m->L.coarse_other ? po : pc[c];
		for (size_t j = 0; j < it->nsubs; j++)
			if (it->subs[j].score == 0) {
				/* "<narrative>: Other": as sure as the narrative, evidence shared
				 * (copied below, once the evidence is known) */
				it->subs[j].score = it->score;
				it->subs[j].nev = SIZE_MAX;
			}
	}
	if (nreq) {
		if (nreq > NS_NARR_MAX_COARSE + NS_NARR_MAX_FINE || doc->nsentences > SIZE_MAX / sizeof *acc / nreq) {
			rc = ns_error__set(NS_ELIMIT, "narratives: too many labels or sentences for evidence");
			goto cleanup;
		}
		acc = ns_malloc(nreq * doc->nsentences * sizeof *acc);
		if (!acc) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		evidence(req, nreq, m, doc, bag, &x, rows, acc);
	}
	for (size_t i = 0; i < L->n; i++) {
		ns_narr_item *it = &L->items[i];
		for (size_t j = 0; j < it->nsubs; j++)
			if (it->subs[j].nev == SIZE_MAX) {
				memcpy(it->subs[j].ev, it->ev, sizeof it->ev);
				it->subs[j].nev = it->nev;
			}
	}
	*out = L;
cleanup:
	ns_svec_free(&x);
	free(rows);
	free(fv);
	free(req);
	free(acc);
	return rc;
}
