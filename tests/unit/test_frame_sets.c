/* Tests of the role model's set labels (params combo: a fine-role list seen often
 * enough becomes one label, decided in annotation order), their bundle format 2
 * and its validation, the fine-role cost (Cf) and the claims-feature switch, on
 * hand-made feature bags (no text needed). */
#include <stdlib.h>
#include <string.h>

#include "frame/frame.h"
#include "model/ser.h"
#include "test.h"

static const char *const s_main[] = {"Protagonist", "Antagonist", "Innocent"};
static const char *const s_fine[] = {"Guardian", "Virtuous", "Tyrant", "Instigator", "Victim"};
static const int32_t s_fine_main[] = {0, 0, 1, 1, 2};

/* groups of six mentions: a distinctive feature, a feature of the main role,
 * the main role and the fine list (Virtuous before Guardian, as annotated) */
static const struct {
	uint32_t feat, mfeat;
	int32_t main;
	int32_t fine[2];
	size_t nfine;
} s_groups[] = {
	{1001, 2000, 0, {1, 0}, 2}, /* Virtuous, Guardian */
	{1002, 2000, 0, {0, 0}, 1}, /* Guardian */
	{1003, 2000, 0, {1, 0}, 1}, /* Virtuous */
	{1004, 2001, 1, {2, 0}, 1}, /* Tyrant */
	{1005, 2001, 1, {3, 0}, 1}, /* Instigator */
	{1006, 2002, 2, {4, 0}, 1}, /* Victim */
};
#define S_PER_GROUP 6
#define S_N (S_PER_GROUP * (sizeof s_groups / sizeof s_groups[0]))

static void bag_of(ns_fbag *b, uint32_t feat, uint32_t mfeat)
{
	ns_fbag_add(b, NS_FID(0, feat), 0, 1);
	ns_fbag_add(b, NS_FID(1, mfeat), 0, 1);
}

static ns_frame_model *train_sets(const ns_frame_params *p)
{
	ns_frame_example ex[S_N];
	memset(ex, 0, sizeof ex);
	for (size_t i = 0; i < S_N; i++) {
		size_t g = i / S_PER_GROUP;
		bag_of(&ex[i].bag, s_groups[g].feat, s_groups[g].mfeat);
		ex[i].main = s_groups[g].main;
		ex[i].nfine = s_groups[g].nfine;
		memcpy(ex[i].fine, s_groups[g].fine, s_groups[g].nfine * sizeof ex[i].fine[0]);
	}
	ns_frame_model *m = NULL;
	CHECK_INT(ns_frame_train(&m, ex, S_N, s_main, 3, s_fine, s_fine_main, 5, p, 1), 0);
	for (size_t i = 0; i < S_N; i++)
		ns_fbag_free(&ex[i].bag);
	return m;
}

static void decide_on(const ns_frame_model *m, uint32_t feat, uint32_t mfeat, ns_frame_decision *d)
{
	ns_fbag b = NS_FBAG_INIT;
	double sc[3 + 5 + NS_FRAME_MAX_SETS];
	bag_of(&b, feat, mfeat);
	CHECK_INT(ns_frame_score(m, &b, sc, sc + 3), 0);
	ns_frame_decide(d, m, sc, sc + 3, NULL);
	ns_fbag_free(&b);
}

static void params(ns_frame_params *p, unsigned combo)
{
	ns_frame_params_init(p);
	p->f.gazetteer = 0;
	p->min_df = 1;
	p->C = 4;
	p->combo = combo;
	p->combo_only = 1; /* the set's mentions are not positives of Virtuous or Guardian */
}

NS_TEST(frame__set_labels_decide_in_annotation_order)
{
	ns_frame_params p;
	ns_frame_decision d;
	params(&p, 3);
	ns_frame_model *m = train_sets(&p);
	if (!m)
		return;
	CHECK_INT(ns_frame_model_nsets(m), 1);
	decide_on(m, 1001, 2000, &d);
	CHECK_INT(d.main, 0);
	CHECK_INT(d.nfine, 2);
	CHECK_INT(d.fine[0], 1); /* Virtuous first, as annotated, whatever the scores */
	CHECK_INT(d.fine[1], 0);
	decide_on(m, 1002, 2000, &d);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 0);
	decide_on(m, 1004, 2001, &d);
	CHECK_INT(d.main, 1);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 2);
	/* a large negative bias on set labels turns them off at decision time */
	ns_frame_params q = p;
	q.combo_bias = -100;
	ns_fbag b = NS_FBAG_INIT;
	double sc[3 + 5 + NS_FRAME_MAX_SETS];
	bag_of(&b, 1001, 2000);
	CHECK_INT(ns_frame_score(m, &b, sc, sc + 3), 0);
	ns_frame_decide(&d, m, sc, sc + 3, &q);
	CHECK_INT(d.nfine, 1);
	ns_fbag_free(&b);
	ns_frame_model_free(m);

	/* below the count, or off: no set labels, one fine role */
	params(&p, 7);
	m = train_sets(&p);
	if (m) {
		CHECK_INT(ns_frame_model_nsets(m), 0);
		decide_on(m, 1001, 2000, &d);
		CHECK_INT(d.nfine, 1);
		ns_frame_model_free(m);
	}
	params(&p, 0);
	m = train_sets(&p);
	if (m) {
		CHECK_INT(ns_frame_model_nsets(m), 0);
		ns_frame_model_free(m);
	}
}

/* offset of the 20-byte set table (1 set: main 0, 2 roles: 1, 0) in a section */
static size_t find_set_table(const ns_buf *b)
{
	unsigned char pat[20];
	const uint32_t v[5] = {1, 0, 2, 1, 0};
	for (int i = 0; i < 5; i++)
		for (int k = 0; k < 4; k++)
			pat[i * 4 + k] = (unsigned char)(v[i] >> (8 * k));
	for (size_t i = 0; i + sizeof pat <= b->size; i++)
		if (memcmp(b->ptr + i, pat, sizeof pat) == 0)
			return i;
	return SIZE_MAX;
}

NS_TEST(frame__set_labels_section_format)
{
	ns_frame_params p;
	ns_frame_decision d, d2;
	ns_buf a = NS_BUF_INIT, z = NS_BUF_INIT;
	params(&p, 3);
	ns_frame_model *m = train_sets(&p), *l = NULL, *m0 = NULL;
	if (!m)
		return;
	CHECK_INT(ns_frame_model_serialize(m, &a), 0);
	CHECK(a.size > 4 && (unsigned char)a.ptr[0] == 3); /* format 3 */
	CHECK_INT(ns_frame_model_load(&l, a.ptr, a.size), 0);
	if (l) {
		CHECK_INT(ns_frame_model_nsets(l), 1);
		decide_on(m, 1001, 2000, &d);
		decide_on(l, 1001, 2000, &d2);
		CHECK_INT(d2.main, d.main);
		CHECK_INT(d2.nfine, 2);
		CHECK_INT(d2.fine[0], d.fine[0]);
		CHECK_INT(d2.fine[1], d.fine[1]);
		CHECK_NEAR(d2.score, d.score, 1e-9);
	}
	/* without set labels: format 3 too, with an empty set table */
	params(&p, 0);
	m0 = train_sets(&p);
	if (m0) {
		CHECK_INT(ns_frame_model_serialize(m0, &z), 0);
		CHECK(z.size > 4 && (unsigned char)z.ptr[0] == 3);
		ns_frame_model *t = NULL;
		CHECK_INT(ns_frame_model_load(&t, z.ptr, z.size), 0);
		CHECK(t && ns_frame_model_nsets(t) == 0);
		ns_frame_model_free(t);
	}
	/* a set mixing main roles (Virtuous with Tyrant), a role index out of range and
	 * truncations are rejected */
	size_t at = find_set_table(&a);
	CHECK(at != SIZE_MAX);
	if (at != SIZE_MAX) {
		ns_frame_model *t = NULL;
		a.ptr[at + 16] = 2; /* second role: Tyrant (Antagonist) */
		CHECK_INT(ns_frame_model_load(&t, a.ptr, a.size), NS_EFORMAT);
		CHECK(t == NULL);
		a.ptr[at + 16] = 9; /* no such role */
		CHECK_INT(ns_frame_model_load(&t, a.ptr, a.size), NS_EFORMAT);
		a.ptr[at + 16] = 0;
		a.ptr[at + 8] = 1; /* a "set" of one role */
		CHECK_INT(ns_frame_model_load(&t, a.ptr, a.size), NS_EFORMAT);
		a.ptr[at + 8] = 2;
		CHECK_INT(ns_frame_model_load(&t, a.ptr, a.size), 0);
		ns_frame_model_free(t);
	}
	for (size_t cut = 0; cut < a.size; cut += 5) {
		ns_frame_model *t = NULL;
		CHECK(ns_frame_model_load(&t, a.ptr, cut) < 0);
	}
	ns_frame_model_free(m0);
	ns_frame_model_free(l);
	ns_frame_model_free(m);
	ns_buf_free(&a);
	ns_buf_free(&z);
}

NS_TEST(frame__params_sets_fine_cost_claims)
{
	ns_frame_params p, q;
	ns_buf b = NS_BUF_INIT;
	ns_frame_params_init(&p);
	CHECK_INT(p.combo, 0); /* off by default: measured without gain (frame.h) */
	CHECK_INT(p.f.claims, 0);
	CHECK_INT(ns_frame_params_parse(&p, "combo=5,cb=0.25,lp=1,Cf=0.7,claims=1"), 0);
	CHECK_INT(ns_frame_params_format(&p, &b), 0);
	ns_frame_params_init(&q);
	CHECK_INT(ns_frame_params_parse(&q, b.ptr), 0);
	CHECK_INT(q.combo, 5);
	CHECK_NEAR(q.combo_bias, 0.25, 1e-12);
	CHECK_INT(q.combo_only, 1);
	CHECK_NEAR(q.C_fine, 0.7, 1e-12);
	CHECK_INT(q.f.claims, 1);
	ns_buf_free(&b);

	/* a model with claim features carries the extractor's lexicon, others none */
	params(&p, 0);
	ns_frame_model *m = train_sets(&p);
	if (m) {
		CHECK(ns_frame_model_claim_lex(m) == NULL);
		ns_frame_model_free(m);
	}
	p.f.claims = 1;
	m = train_sets(&p);
	if (m) {
		CHECK(ns_frame_model_claim_lex(m) != NULL);
		ns_buf s = NS_BUF_INIT;
		ns_frame_model *l = NULL;
		CHECK_INT(ns_frame_model_serialize(m, &s), 0);
		CHECK_INT(ns_frame_model_load(&l, s.ptr, s.size), 0);
		CHECK(l && ns_frame_model_claim_lex(l) != NULL);
		ns_frame_model_free(l);
		ns_buf_free(&s);
		ns_frame_model_free(m);
	}
	/* the fine-role cost changes the fine scorers only */
	ns_frame_decision d1, d2;
	params(&p, 0);
	ns_frame_model *a = train_sets(&p);
	p.C_fine = 0.01;
	ns_frame_model *c = train_sets(&p);
	if (a && c) {
		double s1[3 + 5], s2[3 + 5];
		ns_fbag x = NS_FBAG_INIT;
		bag_of(&x, 1004, 2001);
		CHECK_INT(ns_frame_score(a, &x, s1, s1 + 3), 0);
		CHECK_INT(ns_frame_score(c, &x, s2, s2 + 3), 0);
		for (int k = 0; k < 3; k++)
			CHECK_NEAR(s1[k], s2[k], 1e-12);
		CHECK(s1[3 + 2] - s2[3 + 2] > 0.1); /* Tyrant: weaker with a tiny cost */
		ns_frame_decide(&d1, a, s1, s1 + 3, NULL);
		ns_frame_decide(&d2, c, s2, s2 + 3, NULL);
		CHECK_INT(d1.main, d2.main);
		ns_fbag_free(&x);
	}
	ns_frame_model_free(a);
	ns_frame_model_free(c);
}
