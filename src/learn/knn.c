/* Nearest-neighbour index over sparse document vectors: building (document
 * frequencies, top tf-idf terms per document, 8-bit weights, postings),
 * validation, cosine top-k queries and label votes (see knn.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"

/* Stable LSD radix sort of n u32 keys (11-bit digits); tmp: n scratch. */
static void radix_u32(uint32_t *a, uint32_t *tmp, size_t n)
{
	uint32_t *src = a, *dst = tmp;
	for (unsigned shift = 0; shift < 32; shift += 11) {
		size_t cnt[2048] = {0};
		for (size_t i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 2047]++;
		size_t pos = 0;
		for (size_t d = 0; d < 2048; d++) {
			size_t c = cnt[d];
			cnt[d] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 2047]++] = src[i];
		uint32_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}

typedef struct term {
	double u;    /* tf-idf weight */
	double idf;
	uint32_t id;
} term;

/* Largest weight first, then smaller id. */
static int cmp_term(const void *a, const void *b)
{
	const term *x = a, *y = b;
	if (x->u != y->u)
		return x->u > y->u ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct post {
	uint32_t id, doc;
	uint8_t w;
} post;

/* By feature id, then document. */
static int cmp_post(const void *a, const void *b)
{
	const post *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int in_groups(uint32_t id, unsigned groups) { return (groups >> NS_FID_GROUP(id)) & 1u; }

int ns_knn_build(ns_knn *out, const ns_svec *docs, size_t ndocs, const uint32_t *loff, const uint16_t *lab,
		 size_t terms, unsigned groups)
{
	int rc = 0;
	uint32_t *all = NULL, *tmp = NULL, *dfv = NULL;
	int32_t *rows = NULL;
	term *tv = NULL;
	post *pl = NULL;
	float *dscale = NULL;
	size_t total = 0, nuniq = 0, npl = 0, maxn = 0;
	memset(out, 0, sizeof *out);
	if (ndocs >= UINT32_MAX)
		return ns_error__set(NS_EINVAL, "knn: too many documents (%zu)", ndocs);
	for (size_t d = 0; d < ndocs; d++) {
		size_t c = 0;
		for (size_t i = 0; i < docs[d].n; i++)
			c += in_groups(docs[d].e[i].id, groups);
		total += c;
		if (docs[d].n > maxn)
			maxn = docs[d].n;
	}
	size_t nlab = ndocs ? loff[ndocs] : 0;
	/* document frequencies: every vector holds an id once, so runs of the sorted
	 * ids are the df */
	all = ns_malloc((total + 1) * sizeof *all);
	tmp = ns_malloc((total + 1) * sizeof *tmp);
	rows = ns_malloc((maxn + 1) * sizeof *rows);
	tv = ns_malloc((maxn + 1) * sizeof *tv);
	dscale = ns_calloc(ndocs + 1, sizeof *dscale);
	if (!all || !tmp || !rows || !tv || !dscale) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t d = 0, k = 0; d < ndocs; d++)
		for (size_t i = 0; i < docs[d].n; i++)
			if (in_groups(docs[d].e[i].id, groups))
				all[k++] = docs[d].e[i].id;
	radix_u32(all, tmp, total);
	dfv = tmp; /* df of the unique ids, reusing the scratch */
	for (size_t i = 0; i < total;) {
		size_t j = i;
		while (j < total && all[j] == all[i])
			j++;
		all[nuniq] = all[i];
		dfv[nuniq++] = (uint32_t)(j - i);
		i = j;
	}
	size_t cap = ndocs * (terms < maxn ? terms : maxn);
	pl = ns_malloc((cap + 1) * sizeof *pl);
	if (!pl) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t d = 0; d < ndocs; d++) {
		const ns_svec *x = &docs[d];
		size_t nt = 0;
		if (nuniq)
			ns_fmap_rows(rows, x->e, x->n, all, nuniq);
		for (size_t i = 0; i < x->n; i++) {
			if (!in_groups(x->e[i].id, groups) || rows[i] < 0 || !(x->e[i].v > 0))
				continue;
			double idf = 1.0 + log((double)(ndocs + 1) / (double)(dfv[rows[i]] + 1));
			tv[nt].u = (double)x->e[i].v * idf;
			tv[nt].idf = idf;
			tv[nt++].id = x->e[i].id;
		}
		qsort(tv, nt, sizeof *tv, cmp_term);
		if (nt > terms)
			nt = terms;
		double norm = 0, mx = 0;
		for (size_t t = 0; t < nt; t++)
			norm += tv[t].u * tv[t].u;
		norm = sqrt(norm);
		for (size_t t = 0; t < nt; t++) {
			tv[t].u = tv[t].u / norm * tv[t].idf; /* stored weight */
			if (tv[t].u > mx)
				mx = tv[t].u;
		}
		if (!(mx > 0))
			continue;
		double sc = mx / 255.0;
		dscale[d] = (float)sc;
		for (size_t t = 0; t < nt; t++) {
			double q = floor(tv[t].u / (double)dscale[d] + 0.5);
			if (q < 1)
				continue;
			pl[npl].id = tv[t].id;
			pl[npl].doc = (uint32_t)d;
			pl[npl++].w = (uint8_t)(q > 255 ? 255 : q);
		}
	}
	for (size_t d = 0; d < ndocs; d++)
		if (!(dscale[d] > 0))
			dscale[d] = 1.0f; /* nothing indexed: any positive scale */
	qsort(pl, npl, sizeof *pl, cmp_post);
	size_t nfeat = 0;
	for (size_t i = 0; i < npl; i++)
		nfeat += i == 0 || pl[i].id != pl[i - 1].id;
	if (npl >= UINT32_MAX || nlab >= UINT32_MAX) {
		rc = ns_error__set(NS_EINVAL, "knn: index too large");
		goto cleanup;
	}
	/* one block: fid | off | doc | dscale | loff | lab | w */
	size_t bytes = (nfeat + (nfeat + 1) + npl + ndocs + (ndocs + 1)) * 4 + nlab * 2 + npl + 8;
	char *blk = ns_malloc(bytes);
	if (!blk) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	uint32_t *fid = (uint32_t *)(void *)blk, *off = fid + nfeat, *doc = off + nfeat + 1;
	float *ds = (float *)(void *)(doc + npl);
	uint32_t *lo = (uint32_t *)(void *)(ds + ndocs);
	uint16_t *lb = (uint16_t *)(void *)(lo + ndocs + 1);
	uint8_t *w = (uint8_t *)(lb + nlab);
	size_t f = 0;
	for (size_t i = 0; i < npl; i++) {
		if (i == 0 || pl[i].id != pl[i - 1].id) {
			fid[f] = pl[i].id;
			off[f++] = (uint32_t)i;
		}
		doc[i] = pl[i].doc;
		w[i] = pl[i].w;
	}
	off[nfeat] = (uint32_t)npl;
	if (ndocs)
		memcpy(ds, dscale, ndocs * sizeof *ds);
	for (size_t d = 0; d <= ndocs; d++)
		lo[d] = ndocs ? loff[d] : 0;
	if (nlab)
		memcpy(lb, lab, nlab * sizeof *lb);
	out->ndocs = ndocs;
	out->nfeat = nfeat;
	out->npost = npl;
	out->nlab = nlab;
	out->fid = fid;
	out->off = off;
	out->doc = doc;
	out->dscale = ds;
	out->loff = lo;
	out->lab = lb;
	out->w = w;
	out->owned = blk;
	if ((rc = ns_knn_prepare(out)) < 0)
		ns_knn_free(out);
cleanup:
	free(all);
	free(tmp);
	free(rows);
	free(tv);
	free(pl);
	free(dscale);
	return rc;
}

int ns_knn_prepare(ns_knn *k)
{
	ns_fmap_index_free(&k->idx);
	if (k->nfeat == 0)
		return 0;
	return ns_fmap_index_build(&k->idx, k->fid, k->nfeat);
}

void ns_knn_free(ns_knn *k)
{
	if (!k)
		return;
	ns_fmap_index_free(&k->idx);
	free(k->owned);
	memset(k, 0, sizeof *k);
}

int ns_knn_validate(const ns_knn *k, size_t nlabels)
{
	if (k->nfeat >= INT32_MAX || k->npost >= UINT32_MAX || k->ndocs >= UINT32_MAX)
		return ns_error__set(NS_EFORMAT, "knn: index too large");
	if (k->off[0] != 0 || k->off[k->nfeat] != k->npost)
		return ns_error__set(NS_EFORMAT, "knn: posting offsets do not span the postings");
	for (size_t f = 0; f < k->nfeat; f++) {
		if (f > 0 && k->fid[f] <= k->fid[f - 1])
			return ns_error__set(NS_EFORMAT, "knn: feature ids not strictly increasing at %zu", f);
		if (k->off[f + 1] <= k->off[f] || k->off[f + 1] > k->npost)
			return ns_error__set(NS_EFORMAT, "knn: empty, decreasing or overlong posting list at %zu", f);
		for (uint32_t p = k->off[f]; p < k->off[f + 1]; p++) {
			if (k->doc[p] >= k->ndocs || (p > k->off[f] && k->doc[p] <= k->doc[p - 1]))
				return ns_error__set(NS_EFORMAT, "knn: bad document in posting %u", p);
			if (k->w[p] == 0)
				return ns_error__set(NS_EFORMAT, "knn: zero weight in posting %u", p);
		}
	}
	if (k->loff[0] != 0 || k->loff[k->ndocs] != k->nlab)
		return ns_error__set(NS_EFORMAT, "knn: label offsets do not span the labels");
	for (size_t d = 0; d < k->ndocs; d++) {
		if (!(k->dscale[d] > 0 && k->dscale[d] < 1e30f))
			return ns_error__set(NS_EFORMAT, "knn: bad scale of document %zu", d);
		if (k->loff[d + 1] < k->loff[d] || k->loff[d + 1] > k->nlab)
			return ns_error__set(NS_EFORMAT, "knn: bad label offsets at document %zu", d);
		for (uint32_t j = k->loff[d]; j < k->loff[d + 1]; j++)
			if (k->lab[j] >= nlabels || (j > k->loff[d] && k->lab[j] <= k->lab[j - 1]))
				return ns_error__set(NS_EFORMAT, "knn: bad label of document %zu", d);
	}
	return 0;
}

#define QCHUNK 256

/* First index whose id is >= v (n when none). */
static size_t lower_bound_u32(const uint32_t *a, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t ns_knn_query(const ns_knn *k, const ns_svec *x, ns_knn_hit *out, size_t kk, float *acc)
{
	int32_t rows[QCHUNK];
	size_t n = 0;
	if (kk == 0 || k->ndocs == 0)
		return 0;
	memset(acc, 0, k->ndocs * sizeof *acc);
	/* feature groups are contiguous id ranges of both x and the index: only the
	 * x entries of groups the index has are looked up (with knn_groups leaving
	 * out character n-grams, most of a document's entries) */
	size_t xa = 0;
	for (unsigned g = 0; g < NS_FGROUPS && k->nfeat; g++) {
		uint64_t lo = (uint64_t)g << NS_FGROUP_SHIFT, hi = (uint64_t)(g + 1) << NS_FGROUP_SHIFT;
		size_t xb = xa;
		while (xb < x->n && x->e[xb].id < hi)
			xb++;
		size_t fa = lower_bound_u32(k->fid, k->nfeat, lo);
		int present = fa < k->nfeat && k->fid[fa] < hi;
		for (size_t off = xa; present && off < xb; off += QCHUNK) {
			size_t len = xb - off < QCHUNK ? xb - off : QCHUNK;
			if (k->idx.start)
				ns_fmap_rows_index(rows, x->e + off, len, k->fid, k->nfeat, &k->idx);
			else
				ns_fmap_rows(rows, x->e + off, len, k->fid, k->nfeat);
			for (size_t i = 0; i < len; i++) {
				if (rows[i] < 0)
					continue;
				float v = x->e[off + i].v;
				for (uint32_t p = k->off[rows[i]], e = k->off[rows[i] + 1]; p < e; p++)
					acc[k->doc[p]] += v * (float)k->w[p];
			}
		}
		xa = xb;
	}
	for (size_t d = 0; d < k->ndocs; d++) {
		float s = acc[d] * k->dscale[d];
		if (!(s > 0) || (n == kk && s <= out[n - 1].sim))
			continue;
		/* insertion: strictly greater moves up, so equal similarities keep
		 * document order */
		size_t pos = n < kk ? n : kk - 1;
		while (pos > 0 && out[pos - 1].sim < s) {
			if (pos < kk)
				out[pos] = out[pos - 1];
			pos--;
		}
		out[pos].doc = (uint32_t)d;
		out[pos].sim = s;
		if (n < kk)
			n++;
	}
	return n;
}

void ns_knn_votes(const ns_knn *k, const ns_knn_hit *hits, size_t n, double power, float *votes, size_t nlabels)
{
	double tot = 0, v[4096];
	size_t nl = nlabels < 4096 ? nlabels : 4096;
	memset(v, 0, nl * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		double s = power == 1.0 ? (double)hits[i].sim : pow((double)hits[i].sim, power);
		tot += s;
		uint32_t d = hits[i].doc;
		for (uint32_t j = k->loff[d]; j < k->loff[d + 1]; j++)
			if (k->lab[j] < nl)
				v[k->lab[j]] += s;
	}
	for (size_t l = 0; l < nlabels; l++)
		votes[l] = l < nl && tot > 0 ? (float)(v[l] / tot) : 0.0f;
}
