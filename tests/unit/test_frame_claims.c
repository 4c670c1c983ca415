/* Tests of the role classifier's claims-layer features (src/frame/claim_feat.c)
 * on a hand-made claims layer: speaker, accuser, accused (here or elsewhere in
 * the document), denials, and mentions inside another speaker's quote. */
#include <string.h>

#include "claim/claim.h"
#include "frame/claim_feat.h"
#include "test.h"

static size_t feats(const ns_claims *cl, const char *id, uint32_t s, uint32_t e, size_t *ngroup)
{
	ns_fbag b = NS_FBAG_INIT;
	ns_frame__claim_features(&b, cl, id, s, e, 4);
	size_t n = b.n;
	memset(ngroup, 0, 8 * sizeof *ngroup);
	for (size_t i = 0; i < b.n; i++)
		ngroup[NS_FID_GROUP(b.h[i].id) & 7]++;
	ns_fbag_free(&b);
	return n;
}

NS_TEST(frame__claim_features)
{
	ns_quote q[1];
	ns_accusation a[2];
	memset(q, 0, sizeof q);
	memset(a, 0, sizeof a);
	q[0].text = (ns_span){10, 30};
	q[0].speaker_id = "Q:a";
	q[0].kind = NS_QUOTE_DIRECT;
	a[0].accuser_id = NS_CLAIM_ARTICLE_ID;
	a[0].accused_id = "Q:b";
	a[0].act = "aggression";
	a[0].span = (ns_span){40, 80};
	a[1].accuser_id = "Q:a";
	a[1].accused_id = "Q:b";
	a[1].act = "aggression";
	a[1].span = (ns_span){100, 140};
	a[1].negated = 1;
	ns_claims cl = {q, 1, a, 2, NULL, NULL, NULL};
	size_t g[8];

	/* the accused inside the article's accusation: accused + act and "the
	 * article accuses" here (group 3); the denied accusation elsewhere (group 5) */
	CHECK_INT(feats(&cl, "Q:b", 50, 55, g), 5);
	CHECK_INT(g[3], 3);
	CHECK_INT(g[5], 2);
	/* the same entity inside the denial instead: the roles of the groups swap */
	CHECK_INT(feats(&cl, "Q:b", 110, 115, g), 5);
	CHECK_INT(g[3], 2);
	CHECK_INT(g[5], 3);
	/* the speaker right before the quote (here) and the accuser elsewhere */
	CHECK_INT(feats(&cl, "Q:a", 0, 5, g), 3);
	CHECK_INT(g[3], 1);
	CHECK_INT(g[5], 2);
	/* someone else inside the quote; an unrelated entity outside everything */
	CHECK_INT(feats(&cl, "Q:z", 15, 20, g), 1);
	CHECK_INT(g[3], 1);
	CHECK_INT(feats(&cl, "Q:z", 200, 205, g), 0);
	/* speaker far from the quote: a document-level fact */
	CHECK_INT(feats(&cl, "Q:a", 300, 305, g), 3);
	CHECK_INT(g[3], 0);

	/* here and elsewhere are distinct features, not the same id twice */
	ns_fbag x = NS_FBAG_INIT, y = NS_FBAG_INIT;
	ns_frame__claim_features(&x, &cl, "Q:b", 50, 55, 0);
	ns_frame__claim_features(&y, &cl, "Q:b", 110, 115, 0);
	size_t same = 0;
	for (size_t i = 0; i < x.n; i++)
		for (size_t j = 0; j < y.n; j++)
			same += x.h[i].id == y.h[j].id;
	CHECK_INT(same, 0);
	ns_fbag_free(&x);
	ns_fbag_free(&y);
}
