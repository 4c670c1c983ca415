/* The nearest-neighbour component of the narrative classifier: an index of the
 * training articles (src/learn/knn.h) whose similarity-weighted label votes are
 * blended into the linear head scores, and its bundle section.
 *
 * Blend (before thresholds, so tuning sees it): for head h with linear score s
 * and vote v in [0, 1] (the weighted share of the knn_k nearest training
 * articles that are positive for h), score = (1 - a) s + a (2 v - 1), a =
 * knn_a; 2v - 1 puts the votes on the margin scale of the linear heads. Only
 * articles are indexed (not taxonomy descriptions); a document's labels are the
 * heads it is a positive of, by the same rule as head training.
 *
 * Measured (5-fold CV, seeds 1/2/3, F1 coarse/fine): knn_k=20, knn_a=0.1,
 * knn_pow=3 gave .580/.446, .586/.450, .584/.453 against .578/.445, .582/.447,
 * .584/.455 without; k 5-40, a 0.05-0.5, 60-5000 terms and word/stem-only
 * similarities were no better on seed 1. Not a gain on every seed and ~20% more
 * prediction CPU, so off by default (knn_k=0).
 *
 * "narr.knn" section (little-endian, present exactly when knn_k > 0 and
 * knn_a > 0 in narr.params):
 *   u32 magic "NARK", u32 version (1), u32 nheads, u32 ndocs, u32 nfeat,
 *   u32 npost, u32 nlab, u32 fid[nfeat], u32 off[nfeat + 1], u32 doc[npost],
 *   f32 dscale[ndocs], u32 loff[ndocs + 1], u16 lab[nlab], u8 w[npost].
 *   On little-endian hosts with a 4-byte aligned section the arrays are used in
 *   place. Version history: 1 = first format. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ser.h"
#include "narr.h"

#define KNN_MAGIC 0x4b52414eu /* "NARK" */
#define KNN_VERSION 1u
#define KNN_MAX_K 1000

static int host_le(void)
{
	const uint16_t one = 1;
	return *(const unsigned char *)&one == 1;
}

static int has_label(const int32_t *a, size_t n, int32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

int ns_narr__head_positive(const ns_narr_model *m, size_t h, const ns_narr_example *e)
{
	const ns_narr_head *hd = &m->heads[h];
	switch (hd->kind) {
	case NS_HEAD_COARSE:
	case NS_HEAD_OTHER:
		return has_label(e->coarse, e->ncoarse, hd->label);
	case NS_HEAD_FINE:
		return has_label(e->fine, e->nfine, hd->label);
	default:
		return e->domain == hd->label;
	}
}

int ns_narr__knn_on(const ns_narr_params *p) { return p->knn_k > 0 && p->knn_a > 0; }

int ns_narr__knn_build(ns_narr_model *m, const ns_narr_example *ex, const size_t *rows, size_t nrows)
{
	int rc = 0;
	ns_svec *docs = NULL;
	uint32_t *loff = NULL;
	uint16_t *lab = NULL;
	size_t nd = 0, nl = 0;
	if (!ns_narr__knn_on(&m->p))
		return 0;
	if (m->nheads > UINT16_MAX)
		return ns_error__set(NS_ELIMIT, "narratives: too many heads for the neighbour index (%zu)", m->nheads);
	docs = ns_calloc(nrows + 1, sizeof *docs);
	loff = ns_calloc(nrows + 2, sizeof *loff);
	lab = ns_malloc((nrows * m->nheads + 1) * sizeof *lab);
	m->knn = ns_calloc(1, sizeof *m->knn);
	if (!docs || !loff || !lab || !m->knn) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t r = 0; r < nrows; r++) {
		const ns_narr_example *e = &ex[rows[r]];
		if (e->is_desc)
			continue;
		docs[nd] = e->x; /* shallow: borrowed */
		loff[nd] = (uint32_t)nl;
		for (size_t h = 0; h < m->nheads; h++)
			if (ns_narr__head_positive(m, h, e))
				lab[nl++] = (uint16_t)h;
		nd++;
	}
	loff[nd] = (uint32_t)nl;
	rc = ns_knn_build(m->knn, docs, nd, loff, lab, (size_t)m->p.knn_terms, (unsigned)m->p.knn_groups);
cleanup:
	free(docs);
	free(loff);
	free(lab);
	return rc;
}

int ns_narr__knn_votes(const ns_narr_model *m, const ns_svec *x, float *votes)
{
	size_t k = (size_t)m->p.knn_k;
	ns_knn_hit *hits = ns_malloc((k + 1) * sizeof *hits);
	float *acc = ns_malloc((m->knn->ndocs + 1) * sizeof *acc);
	if (!hits || !acc) {
		free(hits);
		free(acc);
		return NS_ENOMEM;
	}
	size_t n = ns_knn_query(m->knn, x, hits, k, acc);
	ns_knn_votes(m->knn, hits, n, m->p.knn_pow, votes, m->nheads);
	free(hits);
	free(acc);
	return 0;
}

int ns_narr__knn_save(const ns_narr_model *m, ns_bundle_writer *w)
{
	const ns_knn *k = m->knn;
	ns_buf b = NS_BUF_INIT;
	int rc;
	if (!ns_narr__knn_on(&m->p))
		return 0;
	if (!k)
		return ns_error__set(NS_EINVAL, "narratives: the neighbour index is missing");
	ns_wr_u32(&b, KNN_MAGIC);
	ns_wr_u32(&b, KNN_VERSION);
	ns_wr_u32(&b, (uint32_t)m->nheads);
	ns_wr_u32(&b, (uint32_t)k->ndocs);
	ns_wr_u32(&b, (uint32_t)k->nfeat);
	ns_wr_u32(&b, (uint32_t)k->npost);
	ns_wr_u32(&b, (uint32_t)k->nlab);
	for (size_t i = 0; i < k->nfeat; i++)
		ns_wr_u32(&b, k->fid[i]);
	for (size_t i = 0; i <= k->nfeat; i++)
		ns_wr_u32(&b, k->off[i]);
	for (size_t i = 0; i < k->npost; i++)
		ns_wr_u32(&b, k->doc[i]);
	for (size_t i = 0; i < k->ndocs; i++)
		ns_wr_f32(&b, k->dscale[i]);
	for (size_t i = 0; i <= k->ndocs; i++)
		ns_wr_u32(&b, k->loff[i]);
	for (size_t i = 0; i < k->nlab; i++) {
		unsigned char p[2] = {(unsigned char)k->lab[i], (unsigned char)(k->lab[i] >> 8)};
		ns_buf_put(&b, p, 2);
	}
	ns_buf_put(&b, k->w, k->npost);
	if (ns_buf_failed(&b)) {
		rc = ns_error__set(NS_ENOMEM, "narratives: out of memory serialising the neighbour index");
		goto cleanup;
	}
	rc = ns_bundle_writer_add(w, "narr.knn", b.ptr, b.size);
cleanup:
	ns_buf_free(&b);
	return rc;
}

static int bad(const ns_bundle *b, const char *what)
{
	return ns_error__set(NS_EFORMAT, "%s: narr.knn: %s", ns_bundle_path(b), what);
}

int ns_narr__knn_load(ns_narr_model *m, const ns_bundle *b)
{
	const void *data;
	size_t len;
	ns_rd r;
	int rc = ns_bundle_section(b, "narr.knn", &data, &len);
	if (rc == NS_ENOTFOUND && !ns_narr__knn_on(&m->p))
		return 0;
	if (rc < 0)
		return ns_error__set(NS_EFORMAT, "%s: narr.params asks for neighbours (knn_k=%d, knn_a=%g) but narr.knn is missing",
				     ns_bundle_path(b), m->p.knn_k, m->p.knn_a);
	if (!ns_narr__knn_on(&m->p))
		return bad(b, "present but narr.params has knn_k or knn_a at 0");
	ns_rd_init(&r, data, len);
	uint32_t magic = ns_rd_u32(&r), version = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || magic != KNN_MAGIC)
		return bad(b, "bad magic");
	if (version > KNN_VERSION)
		return ns_error__set(NS_EVERSION, "%s: narr.knn version %u is newer than this build (%u)", ns_bundle_path(b),
				     version, KNN_VERSION);
	uint32_t nh = ns_rd_u32(&r), nd = ns_rd_u32(&r), nf = ns_rd_u32(&r), np = ns_rd_u32(&r), nl = ns_rd_u32(&r);
	if (!ns_rd_ok(&r))
		return bad(b, "truncated");
	if (nh != m->nheads)
		return bad(b, "head count differs from narr.params");
	uint64_t want = 4 * ((uint64_t)nf + (uint64_t)nf + 1 + np + nd + (uint64_t)nd + 1) + 2 * (uint64_t)nl + np;
	if (want != ns_rd_left(&r))
		return ns_error__set(NS_EFORMAT, "%s: narr.knn: %zu bytes for %u documents, %u features, %u postings, %u labels "
				     "(expected %llu)", ns_bundle_path(b), ns_rd_left(&r), nd, nf, np, nl,
				     (unsigned long long)want);
	ns_knn *k = ns_calloc(1, sizeof *k);
	if (!k)
		return NS_ENOMEM;
	k->ndocs = nd;
	k->nfeat = nf;
	k->npost = np;
	k->nlab = nl;
	const unsigned char *p = r.p;
	if (host_le() && ((uintptr_t)p & 3) == 0) {
		k->fid = (const uint32_t *)(const void *)p;
		k->off = k->fid + nf;
		k->doc = k->off + nf + 1;
		k->dscale = (const float *)(const void *)(k->doc + np);
		k->loff = (const uint32_t *)(const void *)(k->dscale + nd);
		k->lab = (const uint16_t *)(const void *)(k->loff + nd + 1);
		k->w = (const uint8_t *)(k->lab + nl);
	} else {
		char *blk = ns_malloc((size_t)want + 8);
		if (!blk) {
			free(k);
			return NS_ENOMEM;
		}
		k->owned = blk;
		uint32_t *u = (uint32_t *)(void *)blk;
		size_t n4 = (size_t)nf + nf + 1 + np + nd + nd + 1;
		for (size_t i = 0; i < n4; i++)
			u[i] = ns_rd_u32(&r);
		uint16_t *lb = (uint16_t *)(void *)(u + n4);
		for (size_t i = 0; i < nl; i++) {
			const unsigned char *q = ns_rd_bytes(&r, 2);
			lb[i] = q ? (uint16_t)(q[0] | q[1] << 8) : 0;
		}
		uint8_t *w = (uint8_t *)(lb + nl);
		const void *wb = ns_rd_bytes(&r, np);
		if (wb && np)
			memcpy(w, wb, np);
		k->fid = u;
		k->off = u + nf;
		k->doc = k->off + nf + 1;
		k->dscale = (const float *)(const void *)(k->doc + np);
		k->loff = (const uint32_t *)(const void *)(k->dscale + nd);
		k->lab = lb;
		k->w = w;
	}
	m->knn = k;
	if ((rc = ns_knn_validate(k, m->nheads)) < 0)
		return ns_error__wrap(NS_EFORMAT, "%s: narr.knn", ns_bundle_path(b));
	return ns_knn_prepare(k);
}
