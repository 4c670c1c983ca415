/* Unit tests for src/narrative: label space, decoding consistency rules,
 * threshold tuning, parameters, model serialisation and a tiny training run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval/eval.h"
#include "model/bundle.h"
#include "frame/frame.h"
#include "narrative/narr.h"
#include "test.h"

static const char *const C[] = {"CC: A", "CC: B", "URW: C", "Other"};
static const char *const F[] = {"CC: A: x", "CC: A: Other", "CC: B: y", "CC: B: Other", "URW: C: z", "URW: C: Other", "Other"};

/* heads: coarse A, B, C; fine x, y, z; domains CC, URW */
static ns_narr_model *toy_model(int domain)
{
	ns_narr_model *m = calloc(1, sizeof *m);
	ns_narr_params_default(&m->p);
	m->p.domain = domain;
	if (ns_narr_labels_init(&m->L, C, 4, F, 7) < 0)
		return NULL;
	static const ns_narr_head H[] = {{NS_HEAD_COARSE, 0}, {NS_HEAD_COARSE, 1}, {NS_HEAD_COARSE, 2},
					 {NS_HEAD_FINE, 0},   {NS_HEAD_FINE, 2},   {NS_HEAD_FINE, 4},
					 {NS_HEAD_DOMAIN, 0}, {NS_HEAD_DOMAIN, 1}};
	m->nheads = domain ? 8 : 6;
	m->heads = malloc(sizeof H);
	memcpy(m->heads, H, sizeof H);
	m->theta = calloc(8, sizeof *m->theta);
	m->bias = calloc(8, sizeof *m->bias);
	m->owned[2] = m->bias;
	m->owned[3] = m->theta;
	ns_narr__link_heads(m);
	return m;
}

NS_TEST(narr__labels_parents_and_domains)
{
	ns_narr_labels L;
	CHECK_INT(ns_narr_labels_init(&L, C, 4, F, 7), 0);
	CHECK_INT(L.fine_parent[0], 0);
	CHECK_INT(L.fine_parent[4], 2);
	CHECK_INT(L.fine_parent[6], 3); /* bare Other -> Other */
	CHECK_INT(L.fine_other[0], 1);
	CHECK_INT(L.fine_other[1], 3);
	CHECK_INT(L.coarse_other, 3);
	CHECK_INT(L.fine_other_bare, 6);
	CHECK_INT(L.ndomains, 2);
	CHECK_STR(L.domains[0], "CC");
	CHECK_INT(L.coarse_domain[2], 1);
	CHECK_INT(L.coarse_domain[3], -1);
	CHECK_INT(ns_narr_labels_domain_of_id(&L, "EN_UA_123.txt"), 1);
	CHECK_INT(ns_narr_labels_domain_of_id(&L, "EN_CC_1.txt"), 0);
	CHECK_INT(ns_narr_labels_domain_of_id(&L, "x.txt"), -1);
	ns_narr_labels_free(&L);
}

NS_TEST(narr__decode_consistency_rules)
{
	ns_narr_model *m = toy_model(0);
	ns_narr_decision d;
	/* a subnarrative implies its narrative */
	float s1[] = {-1, -1, -1, 0.5f, -1, -1};
	ns_narr_decode_mix(&d, m, s1, m->theta, 0, 0);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 0);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 0);
	/* a narrative without a confident subnarrative gets "<narrative>: Other" */
	float s2[] = {-1, 0.2f, -1, -1, -0.1f, -1};
	ns_narr_decode_mix(&d, m, s2, m->theta, 0, 0);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 1);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 3);
	/* nothing confident: Other / Other */
	float s3[] = {-1, -0.3f, -1, -1, -1, -1};
	ns_narr_decode_mix(&d, m, s3, m->theta, 0, 0);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 3);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 6);
	CHECK_INT(d.raw_any, 0);
	/* fallback margin: the best coarse head within 0.5 of its threshold is taken */
	ns_narr_decode_mix(&d, m, s3, m->theta, 0.5f, 0);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 1);
	CHECK_INT(d.fine[0], 3);
	/* thresholds are per head */
	m->theta[0] = 0.6f;
	float s4[] = {0.5f, -1, -1, -1, -1, -1};
	ns_narr_decode_mix(&d, m, s4, m->theta, 0, 0);
	CHECK_INT(d.coarse[0], 3);
	ns_narr_model_free(m);
}

NS_TEST(narr__decode_prune_drops_weak_narratives)
{
	ns_narr_model *m = toy_model(0);
	ns_narr_decision d;
	/* A strong (0.9, with x at 0.8), B marginal (0.1) */
	float s[] = {0.9f, 0.1f, -1, 0.8f, -1, -1};
	ns_narr_decode_rule r = {0, 0, 0, 0, 0};
	ns_narr_decode_ext(&d, m, s, m->theta, &r);
	CHECK_INT(d.ncoarse, 2);
	r.prune = 0.5f; /* B is 0.8 below A: dropped, with "B: Other" */
	ns_narr_decode_ext(&d, m, s, m->theta, &r);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 0);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 0);
	r.prune = 0.85f; /* within the margin: kept */
	ns_narr_decode_ext(&d, m, s, m->theta, &r);
	CHECK_INT(d.ncoarse, 2);
	CHECK_INT(d.nfine, 2);
	CHECK_INT(d.fine[1], 3);
	/* a narrative's strength includes its subnarratives: B itself weak but y strong */
	float s2[] = {0.9f, 0.05f, -1, 0.8f, 0.85f, -1};
	r.prune = 0.5f;
	ns_narr_decode_ext(&d, m, s2, m->theta, &r);
	CHECK_INT(d.ncoarse, 2);
	CHECK_INT(d.nfine, 2);
	CHECK_INT(d.fine[1], 2);
	/* the model's own value is what decode_mix applies */
	m->prune = 0.5f;
	ns_narr_decode_mix(&d, m, s, m->theta, 0, 0);
	CHECK_INT(d.ncoarse, 1);
	ns_narr_model_free(m);
}

NS_TEST(narr__decode_fine_fallback_takes_best_child)
{
	ns_narr_model *m = toy_model(0);
	ns_narr_decision d;
	/* B on, its subnarrative y just below threshold */
	float s[] = {-1, 0.4f, -1, -1, -0.2f, -1};
	ns_narr_decode_rule r = {0, 0, 0, 0, 0};
	ns_narr_decode_ext(&d, m, s, m->theta, &r);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 3); /* B: Other */
	r.fine_fallback = 0.3f;
	ns_narr_decode_ext(&d, m, s, m->theta, &r);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 1);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 2); /* y */
	r.fine_fallback = 0.1f; /* too far below: B: Other again */
	ns_narr_decode_ext(&d, m, s, m->theta, &r);
	CHECK_INT(d.fine[0], 3);
	/* a child of another narrative is never taken */
	float s2[] = {-1, 0.4f, -1, -0.05f, -1, -1};
	r.fine_fallback = 0.3f;
	ns_narr_decode_ext(&d, m, s2, m->theta, &r);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 3);
	ns_narr_model_free(m);
}

NS_TEST(narr__cue_features_and_guard)
{
	static const char text[] = "Missiles struck the city.\n\nThe weather was calm.";
	ns_doc doc;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	ns_doc_init(&doc, text, sizeof text - 1);
	CHECK_INT(ns_text_process(&doc, &to), 0);
	ns_frame_cues *cues = NULL;
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	ns_fbag bag = NS_FBAG_INIT;
	CHECK_INT(ns_narr__cue_features(&bag, &doc, cues, 0), 0);
	uint32_t attack = ns_features_id(NS_FG_EXTRA, "attack", 6);
	size_t hits = 0;
	for (size_t i = 0; i < bag.n; i++)
		if (bag.h[i].id == attack) {
			hits++;
			CHECK_INT(bag.h[i].sent, 0);
		}
	CHECK(hits >= 1);
	/* a model with cue features cannot be scored by the plain featurizer */
	ns_narr_params p;
	ns_narr_params_default(&p);
	p.cues = 1;
	ns_svec x = {NULL, 0};
	CHECK_INT(ns_narr_featurize(&x, &bag, &doc, &p), NS_EINVAL);
	ns_narr_res res = {NULL, cues};
	CHECK_INT(ns_narr_featurize_with(&x, &bag, &doc, &p, &res), 0);
	int found = 0;
	for (size_t i = 0; i < x.n; i++)
		found |= x.e[i].id == attack;
	CHECK(found);
	ns_svec_free(&x);
	ns_fbag_free(&bag);
	ns_frame_cues_free(cues);
	ns_doc_release(&doc);
}

NS_TEST(narr__decode_domain_masks_other_domain)
{
	ns_narr_model *m = toy_model(1);
	ns_narr_decision d;
	/* URW domain wins: the CC narrative A is not considered */
	float s[] = {0.5f, -1, 0.1f, -1, -1, -1, -0.2f, 0.3f};
	ns_narr_decode_mix(&d, m, s, m->theta, 0, 0);
	CHECK_INT(d.domain, 1);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 2);
	CHECK_INT(d.fine[0], 5);
	ns_narr_model_free(m);
}

NS_TEST(narr__f1_matches_definition)
{
	int32_t g[] = {1, 3, 5}, p[] = {3, 5, 7, 9};
	CHECK_NEAR(ns_narr__f1(g, 3, p, 4), 2.0 * 2 / (2.0 * 2 + 2 + 1), 1e-12);
	CHECK_NEAR(ns_narr__f1(g, 0, p, 0), 0.0, 0);
	CHECK_NEAR(ns_narr__f1(g, 3, g, 3), 1.0, 0);
}

NS_TEST(narr__tune_finds_separating_thresholds)
{
	ns_narr_model *m = toy_model(0);
	/* 40 articles: A+x when head scores are high (0.3), else B with B: Other; scores of
	 * the positives sit at 0.3, negatives at 0.1, so the default 0 is too low */
	enum { N = 40 };
	ns_narr_example ex[N];
	size_t rows[N];
	float S[N * 6];
	int32_t ca = 0, cb = 1, fx = 0, fbo = 3;
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < N; i++) {
		int a = i % 2 == 0;
		ex[i].coarse = a ? &ca : &cb;
		ex[i].ncoarse = 1;
		ex[i].fine = a ? &fx : &fbo;
		ex[i].nfine = 1;
		rows[i] = (size_t)i;
		float *s = S + i * 6;
		s[0] = a ? 0.3f : 0.1f;
		s[1] = a ? 0.1f : 0.3f;
		s[2] = -1;
		s[3] = a ? 0.3f : 0.1f;
		s[4] = -1;
		s[5] = -1;
	}
	float theta[6], fb, mix, prune, ffb;
	ns_narr_params p;
	ns_narr_params_default(&p);
	CHECK_INT(ns_narr__tune(theta, &fb, &mix, &prune, &ffb, m, S, ex, rows, N, &p), 0);
	double sum = 0;
	ns_narr_decision d;
	for (int i = 0; i < N; i++) {
		ns_narr_decode_mix(&d, m, S + i * 6, theta, fb, mix);
		sum += ns_narr__f1(ex[i].coarse, 1, d.coarse, d.ncoarse) + ns_narr__f1(ex[i].fine, 1, d.fine, d.nfine);
	}
	CHECK_NEAR(sum / (2 * N), 1.0, 1e-9);
	CHECK(theta[0] > 0.1f && theta[0] <= 0.3f);
	ns_narr_model_free(m);
}

NS_TEST(narr__params_roundtrip_and_errors)
{
	ns_narr_params p, q;
	ns_narr_params_default(&p);
	CHECK_INT(ns_narr_params_parse(&p, "C=0.25,char_max=4,min_df=3,gw_title=2"), 0);
	CHECK_NEAR(p.lin.C, 0.25, 0);
	CHECK_INT(p.feat.char_max, 4);
	ns_buf b = NS_BUF_INIT;
	CHECK_INT(ns_narr_params_format(&b, &p, ","), 0);
	ns_narr_params_default(&q);
	CHECK_INT(ns_narr_params_parse(&q, b.ptr), 0);
	CHECK(memcmp(&p, &q, sizeof p) == 0);
	ns_buf_free(&b);
	CHECK_INT(ns_narr_params_parse(&q, "nope=1"), NS_EINVAL);
	CHECK(strstr(ns_error_last(), "nope") != NULL);
	CHECK_INT(ns_narr_params_parse(&q, "C=-1"), NS_EINVAL);
	CHECK_INT(ns_narr_params_parse(&q, "word_n"), NS_EINVAL);
	CHECK_INT(ns_narr_params_parse(&q, "char_min=5,char_max=3"), NS_EINVAL);
}

/* Trains on synthetic examples (hashed ids chosen by hand), saves to a bundle,
 * loads it back and checks identical scores; training twice gives equal bytes. */
NS_TEST(narr__train_save_load_deterministic)
{
	enum { N = 48 };
	ns_narr_example ex[N];
	ns_fentry E[N][3];
	int32_t lab_c[N], lab_f[N];
	size_t rows[N];
	ns_narr_labels L;
	CHECK_INT(ns_narr_labels_init(&L, C, 4, F, 7), 0);
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < N; i++) {
		int k = i % 3; /* 0: A/x, 1: B/y, 2: C/z */
		E[i][0] = (ns_fentry){NS_FID(0, 100u + (uint32_t)k), 0.8f};
		E[i][1] = (ns_fentry){NS_FID(0, 200u + (uint32_t)(i % 5)), 0.5f};
		E[i][2] = (ns_fentry){NS_FID(2, 300u + (uint32_t)k), 0.33f};
		ex[i].x.e = E[i];
		ex[i].x.n = 3;
		lab_c[i] = k == 0 ? 0 : k == 1 ? 1 : 2;
		lab_f[i] = k == 0 ? 0 : k == 1 ? 2 : 4;
		ex[i].coarse = &lab_c[i];
		ex[i].ncoarse = 1;
		ex[i].fine = &lab_f[i];
		ex[i].nfine = 1;
		ex[i].domain = k == 2 ? 1 : 0;
		ex[i].weight = 1;
		rows[i] = (size_t)i;
	}
	ns_narr_params p;
	ns_narr_params_default(&p);
	p.min_df = 1;
	p.prune = 1; /* the tuned rule values must survive saving */
	p.fine_fallback = 1;
	p.ef1 = 1; /* and the calibration of rule 0 */
	ns_narr_model *m1 = NULL, *m2 = NULL, *m3 = NULL;
	ns_narr_train_ctx ctx = {2, 0, NULL};
	CHECK_INT(ns_narr_train(&m1, &L, ex, rows, N, &p, &ctx), 0);
	ctx.threads = 1;
	CHECK_INT(ns_narr_train(&m2, &L, ex, rows, N, &p, &ctx), 0);
	if (!m1 || !m2)
		return;
	CHECK_INT(m1->nheads, 8);
	CHECK_INT(m1->dim, m2->dim);
	CHECK(memcmp(m1->Q, m2->Q, m1->dim * m1->nheads) == 0);
	CHECK(memcmp(m1->theta, m2->theta, m1->nheads * sizeof(float)) == 0);
	ns_narr_decision d;
	float s[16];
	for (int i = 0; i < 3; i++) {
		CHECK_INT(ns_narr_model_scores(m1, &ex[i].x, s), 0);
		ns_narr_decode_mix(&d, m1, s, m1->theta, m1->fallback, m1->mix);
		CHECK_INT(d.ncoarse, 1);
		CHECK_INT(d.coarse[0], lab_c[i]);
		CHECK_INT(d.nfine, 1);
		CHECK_INT(d.fine[0], lab_f[i]);
	}
	char path[] = "/tmp/ns_test_narr_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	ns_bundle_writer *w = NULL;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	CHECK_INT(ns_narr_model_save(m1, w), 0);
	CHECK_INT(ns_bundle_writer_write(w, path), 0);
	ns_bundle_writer_free(w);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open(&b, path), 0);
	if (b) {
		CHECK_INT(ns_narr_model_load(&m3, b), 0);
		if (m3) {
			float s1[16], s3[16];
			for (int i = 0; i < N; i++) {
				CHECK_INT(ns_narr_model_scores(m1, &ex[i].x, s1), 0);
				CHECK_INT(ns_narr_model_scores(m3, &ex[i].x, s3), 0);
				CHECK(memcmp(s1, s3, m1->nheads * sizeof(float)) == 0);
			}
			CHECK_NEAR(m3->fallback, m1->fallback, 0);
			CHECK_NEAR(m3->mix, m1->mix, 0);
			CHECK_NEAR(m3->prune, m1->prune, 0);
			CHECK_NEAR(m3->fine_fallback, m1->fine_fallback, 0);
			CHECK_INT(m3->p.prune, 1);
			CHECK_INT(m1->has_cal, 1);
			CHECK_INT(m3->has_cal, 1);
			CHECK(memcmp(m3->cal, m1->cal, (2 * 4 + 3) * sizeof(float)) == 0);
			CHECK(m1->cal[0] > 0); /* a stronger narrative is a likelier one */
			CHECK_STR(m3->L.fine[4], "URW: C: z");
		}
		ns_narr_model_free(m3);
		ns_bundle_close(b);
	}
	unlink(path);
	ns_narr_model_free(m1);
	ns_narr_model_free(m2);
	ns_narr_labels_free(&L);
}

/* Expected F1 of answering set sel (bit c: narrative c; 0: "Other") when each
 * narrative c is gold with probability p[c] independently and the article has
 * none ("Other" alone is gold) with probability po: by enumeration. */
static double brute_ef1(unsigned sel, const double *p, int n, double po)
{
	if (sel == 0)
		return po;
	double e = 0;
	for (unsigned g = 0; g < (1u << n); g++) {
		double pr = 1;
		int tp = 0, ng = 0, ns = 0;
		for (int c = 0; c < n; c++) {
			int in = (g >> c) & 1, s2 = (sel >> c) & 1;
			pr *= in ? p[c] : 1 - p[c];
			tp += in && s2;
			ng += in;
			ns += s2;
		}
		e += pr * (ng + ns ? 2.0 * tp / (ng + ns) : 0);
	}
	return (1 - po) * e;
}

NS_TEST(narr__decode_expected_f1_takes_the_best_set)
{
	ns_narr_model *m = toy_model(0);
	ns_narr_decision d;
	ns_narr_decode_rule r = {0, 0, 0, 0, 1};
	m->has_cal = 1;
	for (int c = 0; c < 3; c++) {
		m->cal[2 * c] = 3;
		m->cal[2 * c + 1] = 0;
	}
	float *w = m->cal + 2 * 4; /* P(no narrative) = sigmoid(w0 + w1 o + w2 s_max) */
	w[1] = w[2] = 0;
	/* over many score vectors, the answer is the set of largest expected F1
	 * among "Other" and every set of narratives */
	uint32_t seed = 12345;
	int agree = 0, trials = 200;
	for (int t = 0; t < trials; t++) {
		float sc[6];
		for (int h = 0; h < 6; h++) {
			seed = seed * 1664525u + 1013904223u;
			sc[h] = (float)((seed >> 8) % 2001) / 1000.0f - 1.0f;
		}
		w[0] = sc[5] * 4; /* the C head is absent from this toy: reuse its draw */
		double p[3], po = 1 / (1 + exp(-(double)w[0]));
		for (int c = 0; c < 3; c++) {
			double str = sc[c]; /* narrative c's strength: its head or its child's */
			if (sc[3 + c] > str && c < 2)
				str = sc[3 + c];
			if (c == 2 && sc[5] > str)
				str = sc[5];
			p[c] = 1 / (1 + exp(-3 * str));
		}
		ns_narr_decode_ext(&d, m, sc, m->theta, &r);
		unsigned got = 0;
		if (!(d.ncoarse == 1 && d.coarse[0] == 3))
			for (size_t k = 0; k < d.ncoarse; k++)
				got |= 1u << d.coarse[k];
		double best = -1, mine = brute_ef1(got, p, 3, po);
		for (unsigned sel = 0; sel < 8; sel++) {
			double e = brute_ef1(sel, p, 3, po);
			if (e > best)
				best = e;
		}
		agree += mine >= best - 1e-9;
	}
	CHECK_INT(agree, trials);
	/* confident in A alone, with x on: A / x */
	float s1[] = {2, -2, -2, 0.5f, -2, -2};
	w[0] = -6;
	ns_narr_decode_ext(&d, m, s1, m->theta, &r);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 0);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 0);
	/* B chosen with its only child below threshold: the child is taken */
	float s2[] = {-2, 2, -2, -2, -0.5f, -2};
	ns_narr_decode_ext(&d, m, s2, m->theta, &r);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 1);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 2);
	/* no narrative likely: Other / Other */
	w[0] = 6;
	ns_narr_decode_ext(&d, m, s1, m->theta, &r);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 3);
	CHECK_INT(d.fine[0], 6);
	/* without the calibration the threshold rules apply */
	m->has_cal = 0;
	ns_narr_decode_ext(&d, m, s1, m->theta, &r);
	CHECK_INT(d.coarse[0], 0);
	ns_narr_model_free(m);
}

NS_TEST(narr__decode_other_head_vetoes)
{
	ns_narr_model *m = toy_model(0);
	/* replace the last fine head by an "article without narrative" head */
	m->heads[5] = (ns_narr_head){NS_HEAD_OTHER, 3};
	ns_narr__link_heads(m);
	ns_narr_decision d;
	float s[] = {0.4f, -1, -1, 0.2f, -1, 0.1f};
	ns_narr_decode_mix(&d, m, s, m->theta, 0, 0);
	CHECK_INT(d.ncoarse, 1);
	CHECK_INT(d.coarse[0], 3);
	CHECK_INT(d.fine[0], 6);
	m->theta[5] = 0.5f;
	ns_narr_decode_mix(&d, m, s, m->theta, 0, 0);
	CHECK_INT(d.coarse[0], 0);
	CHECK_INT(d.fine[0], 0);
	/* expected-F1 rule: the head's margin drives P(no narrative), and a veto
	 * tuned off (threshold out of reach) still counts by its raw score */
	ns_narr_decode_rule r = {0, 0, 0, 0, 1};
	m->has_cal = 1;
	for (int c = 0; c < 3; c++) {
		m->cal[2 * c] = 3;
		m->cal[2 * c + 1] = 0;
	}
	float *w = m->cal + 2 * 4, pc[4], po, po_off;
	w[0] = 0;
	w[1] = 4;
	w[2] = 0;
	float s2[] = {0.4f, -1, -1, 0.2f, -1, 1.0f};
	ns_narr_decode_ext(&d, m, s2, m->theta, &r);
	CHECK_INT(d.coarse[0], 3); /* P(none) = sigmoid(4 * 0.5) */
	ns_narr__ef1_probs(m, s2, m->theta, 0, pc, &po);
	m->theta[5] = 1e30f;
	ns_narr__ef1_probs(m, s2, m->theta, 0, pc, &po_off);
	CHECK(po > 0.85f && po_off > 0.95f); /* sigmoid(2), sigmoid(4) */
	ns_narr_decode_ext(&d, m, s2, m->theta, &r);
	CHECK_INT(d.coarse[0], 3);
	ns_narr_model_free(m);
}

NS_TEST(narr__max_features_bounds_the_model)
{
	enum { N = 24 };
	ns_narr_example ex[N];
	ns_fentry E[N][3];
	int32_t lab_c[N], lab_f[N];
	size_t rows[N];
	ns_narr_labels L;
	CHECK_INT(ns_narr_labels_init(&L, C, 4, F, 7), 0);
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < N; i++) {
		int k = i % 2;
		E[i][0] = (ns_fentry){NS_FID(0, 10u + (uint32_t)k), 0.8f};
		E[i][1] = (ns_fentry){NS_FID(0, 20u + (uint32_t)(i % 4)), 0.5f};
		E[i][2] = (ns_fentry){NS_FID(0, 30u + (uint32_t)(i % 6)), 0.33f};
		ex[i].x.e = E[i];
		ex[i].x.n = 3;
		lab_c[i] = k;
		lab_f[i] = k ? 2 : 0;
		ex[i].coarse = &lab_c[i];
		ex[i].ncoarse = 1;
		ex[i].fine = &lab_f[i];
		ex[i].nfine = 1;
		ex[i].domain = 0;
		ex[i].weight = 1;
		rows[i] = (size_t)i;
	}
	ns_narr_params p;
	ns_narr_params_default(&p);
	p.min_df = 1;
	p.max_features = 3;
	ns_narr_model *m = NULL;
	ns_narr_train_ctx ctx = {1, 0, NULL};
	CHECK_INT(ns_narr_train(&m, &L, ex, rows, N, &p, &ctx), 0);
	if (m) {
		CHECK(m->dim <= 3 && m->dim > 0);
		/* the two class-defining features have the largest weights and survive */
		CHECK(ns_fmap_find(m->ids, m->dim, NS_FID(0, 10u)) >= 0);
		CHECK(ns_fmap_find(m->ids, m->dim, NS_FID(0, 11u)) >= 0);
	}
	ns_narr_model_free(m);
	ns_narr_labels_free(&L);
}

NS_TEST(narr__f1_agrees_with_official_metric)
{
	/* the fast tuning F1 equals src/eval's on sorted unique sets */
	uint64_t st = 12345;
	for (int trial = 0; trial < 200; trial++) {
		int32_t g[8], p[8];
		size_t ng = 0, np = 0;
		for (int32_t k = 0; k < 12; k++) {
			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((st >> 33) % 4 == 0 && ng < 8)
				g[ng++] = k;
			if ((st >> 40) % 3 == 0 && np < 8)
				p[np++] = k;
		}
		CHECK_NEAR(ns_narr__f1(g, ng, p, np), ns_eval_f1_set(g, ng, p, np, 12), 1e-12);
	}
}
