/* Unit tests for src/learn/knn.c: tf-idf term selection, cosine top-k order
 * and ties, similarity-weighted votes, and the validator on corrupted indexes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/knn.h"
#include "test.h"

/* Five documents over hand-picked ids (group 0 unless noted):
 * d0 {1,2,3}, d1 {1,2,4}, d2 {5,6,7}, d3 {5,6,8}, d4 {1,9 (group 2)}.
 * Labels: d0 {0}, d1 {0,1}, d2 {2}, d3 {2}, d4 {1}. */
static ns_fentry E[5][3];
static ns_svec D[5];
static const uint32_t LOFF[6] = {0, 1, 3, 4, 5, 6};
static const uint16_t LAB[6] = {0, 0, 1, 2, 2, 1};

static void fixture(void)
{
	static const uint32_t ids[5][3] = {{1, 2, 3}, {1, 2, 4}, {5, 6, 7}, {5, 6, 8}, {1, NS_FID(2, 9), 0}};
	for (int d = 0; d < 5; d++) {
		size_t n = d == 4 ? 2 : 3;
		for (size_t i = 0; i < n; i++)
			E[d][i] = (ns_fentry){ids[d][i], 1.0f / sqrtf((float)n)};
		D[d].e = E[d];
		D[d].n = n;
	}
}

NS_TEST(learn__knn_query_ranks_by_cosine)
{
	fixture();
	ns_knn k;
	CHECK_INT(ns_knn_build(&k, D, 5, LOFF, LAB, 100, 0xff), 0);
	CHECK_INT(k.ndocs, 5);
	CHECK_INT(k.nfeat, 9);
	CHECK_INT(k.npost, 14);
	CHECK_INT(ns_knn_validate(&k, 3), 0);
	/* a query equal to d2 finds d2 first, then d3 (shares 5 and 6), never d0/d1 */
	float acc[5];
	ns_knn_hit h[4];
	size_t n = ns_knn_query(&k, &D[2], h, 4, acc);
	CHECK_INT(n, 2);
	CHECK_INT(h[0].doc, 2);
	CHECK_INT(h[1].doc, 3);
	CHECK(h[0].sim > h[1].sim && h[1].sim > 0);
	/* votes: both neighbours have label 2 only */
	float v[3];
	ns_knn_votes(&k, h, n, 1.0, v, 3);
	CHECK_NEAR(v[2], 1.0, 1e-6);
	CHECK_NEAR(v[0], 0.0, 0);
	/* k = 1 keeps only the best */
	CHECK_INT(ns_knn_query(&k, &D[2], h, 1, acc), 1);
	CHECK_INT(h[0].doc, 2);
	/* a query on id 1 alone: d0, d1 and d4 share it; d4 has fewer terms, so its
	 * normalised weight for 1 is larger and it comes first; d0 and d1 tie and
	 * keep document order */
	ns_fentry q1 = {1, 1.0f};
	ns_svec q = {&q1, 1};
	n = ns_knn_query(&k, &q, h, 4, acc);
	CHECK_INT(n, 3);
	CHECK_INT(h[0].doc, 4);
	CHECK_INT(h[1].doc, 0);
	CHECK_INT(h[2].doc, 1);
	CHECK(h[1].sim == h[2].sim);
	/* votes weighted by similarity: label 1 is on d4 and d1 */
	ns_knn_votes(&k, h, n, 1.0, v, 3);
	double tot = (double)h[0].sim + h[1].sim + h[2].sim;
	CHECK_NEAR(v[1], ((double)h[0].sim + h[2].sim) / tot, 1e-6);
	CHECK_NEAR(v[0], ((double)h[1].sim + h[2].sim) / tot, 1e-6);
	/* a larger power favours the nearest neighbour */
	float v4[3];
	ns_knn_votes(&k, h, n, 4.0, v4, 3);
	CHECK(v4[1] > v[1]);
	/* nothing shared: no hits, zero votes */
	ns_fentry q2 = {77, 1.0f};
	ns_svec qn = {&q2, 1};
	CHECK_INT(ns_knn_query(&k, &qn, h, 4, acc), 0);
	ns_knn_votes(&k, h, 0, 1.0, v, 3);
	CHECK_NEAR(v[0] + v[1] + v[2], 0.0, 0);
	ns_knn_free(&k);
	CHECK(k.owned == NULL && k.ndocs == 0);
}

NS_TEST(learn__knn_terms_groups_and_idf)
{
	fixture();
	ns_knn k;
	/* one term per document: the one of largest tf-idf, i.e. the rarest (ties: smaller id) */
	CHECK_INT(ns_knn_build(&k, D, 5, LOFF, LAB, 1, 0xff), 0);
	CHECK_INT(k.npost, 5);
	/* d0 keeps 3 (df 1), not 1 (df 3) or 2 (df 2) */
	int found = 0;
	for (size_t f = 0; f < k.nfeat; f++)
		if (k.fid[f] == 3)
			found = k.off[f + 1] - k.off[f] == 1 && k.doc[k.off[f]] == 0;
	CHECK(found);
	for (size_t f = 0; f < k.nfeat; f++)
		CHECK(k.fid[f] != 1);
	ns_knn_free(&k);
	/* groups: without group 2, d4 indexes id 1 only */
	CHECK_INT(ns_knn_build(&k, D, 5, LOFF, LAB, 100, 0x01), 0);
	CHECK_INT(k.npost, 13);
	for (size_t f = 0; f < k.nfeat; f++)
		CHECK(NS_FID_GROUP(k.fid[f]) == 0);
	ns_knn_free(&k);
	/* the same input gives the same bytes */
	ns_knn a, b;
	CHECK_INT(ns_knn_build(&a, D, 5, LOFF, LAB, 2, 0xff), 0);
	CHECK_INT(ns_knn_build(&b, D, 5, LOFF, LAB, 2, 0xff), 0);
	CHECK_INT(a.npost, b.npost);
	CHECK(memcmp(a.w, b.w, a.npost) == 0 && memcmp(a.doc, b.doc, a.npost * 4) == 0);
	CHECK(memcmp(a.dscale, b.dscale, a.ndocs * 4) == 0);
	ns_knn_free(&a);
	ns_knn_free(&b);
}

NS_TEST(learn__knn_validate_rejects_corruption)
{
	fixture();
	ns_knn k;
	CHECK_INT(ns_knn_build(&k, D, 5, LOFF, LAB, 100, 0xff), 0);
	/* labels must be below the label count */
	CHECK_INT(ns_knn_validate(&k, 2), NS_EFORMAT);
	uint32_t *doc = (uint32_t *)k.doc, *fid = (uint32_t *)k.fid, *off = (uint32_t *)k.off;
	uint8_t *w = (uint8_t *)k.w;
	float *ds = (float *)k.dscale;
	uint32_t save = doc[0];
	doc[0] = 5; /* out of range */
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	doc[0] = save;
	save = fid[1];
	fid[1] = fid[0]; /* not increasing */
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	fid[1] = save;
	save = off[1];
	off[1] = off[2] + 1; /* decreasing offsets */
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	off[1] = (uint32_t)k.npost + 5; /* past the postings: refused before reading them */
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	off[1] = save;
	uint32_t *lo = (uint32_t *)k.loff;
	save = lo[1];
	lo[1] = (uint32_t)k.nlab + 3; /* past the labels */
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	lo[1] = save;
	uint8_t w0 = w[0];
	w[0] = 0;
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	w[0] = w0;
	float s0 = ds[0];
	ds[0] = NAN;
	CHECK_INT(ns_knn_validate(&k, 3), NS_EFORMAT);
	ds[0] = s0;
	CHECK_INT(ns_knn_validate(&k, 3), 0);
	ns_knn_free(&k);
}
