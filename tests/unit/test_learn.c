/* Unit tests for src/learn: folds, sparse vectors, feature map, features, the
 * dual coordinate descent solver and one-vs-rest determinism. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/features.h"
#include "learn/folds.h"
#include "learn/linear.h"
#include "learn/svec.h"
#include "test.h"
#include "text/doc.h"

NS_TEST(learn__folds_stratified_and_deterministic)
{
	const char *ids[20], *langs[20];
	char buf[20][16];
	int f1[20], f2[20], f3[20];
	for (int i = 0; i < 20; i++) {
		snprintf(buf[i], sizeof buf[i], "doc%02d.txt", i);
		ids[i] = buf[i];
		langs[i] = i < 10 ? "EN" : "BG";
	}
	CHECK_INT(ns_folds_assign(f1, ids, langs, 20, 5, 7), 0);
	CHECK_INT(ns_folds_assign(f2, ids, langs, 20, 5, 7), 0);
	CHECK_INT(ns_folds_assign(f3, ids, langs, 20, 5, 8), 0);
	CHECK(memcmp(f1, f2, sizeof f1) == 0);
	CHECK(memcmp(f1, f3, sizeof f1) != 0);
	/* per language, each of the 5 folds gets exactly 2 of 10 documents */
	for (int l = 0; l < 2; l++)
		for (int k = 0; k < 5; k++) {
			int n = 0;
			for (int i = l * 10; i < l * 10 + 10; i++)
				n += f1[i] == k;
			CHECK_INT(n, 2);
		}
	/* input order does not matter: reversed input gives the same folds per id */
	const char *rids[20], *rlangs[20];
	int fr[20];
	for (int i = 0; i < 20; i++) {
		rids[i] = ids[19 - i];
		rlangs[i] = langs[19 - i];
	}
	CHECK_INT(ns_folds_assign(fr, rids, rlangs, 20, 5, 7), 0);
	for (int i = 0; i < 20; i++)
		CHECK_INT(fr[i], f1[19 - i]);
	ids[3] = ids[4];
	CHECK_INT(ns_folds_assign(f1, ids, langs, 20, 5, 7), NS_EINVAL);
	CHECK_INT(ns_folds_assign(f1, ids, langs, 20, 1, 7), NS_EINVAL);
}

NS_TEST(learn__svec_sums_and_normalises)
{
	ns_fbag b = NS_FBAG_INIT;
	ns_vec_opts o = {0, {1, 1, 1, 1, 1, 1, 1, 1}};
	ns_fbag_add(&b, NS_FID(0, 5), 0, 1);
	ns_fbag_add(&b, NS_FID(0, 3), 1, 1);
	ns_fbag_add(&b, NS_FID(0, 5), 2, 1);
	ns_fbag_add(&b, NS_FID(4, 9), 2, 1);
	ns_svec v;
	CHECK_INT(ns_svec_from_bag(&v, &b, &o), 0);
	CHECK_INT(v.n, 3);
	CHECK(v.e[0].id < v.e[1].id && v.e[1].id < v.e[2].id);
	double n2 = 0;
	for (size_t i = 0; i < v.n; i++)
		n2 += (double)v.e[i].v * v.e[i].v;
	CHECK_NEAR(n2, 1.0, 1e-6);
	/* group 0: counts (1, 2) normalised then scaled by 1/sqrt(2 groups) */
	CHECK_NEAR(v.e[0].v, 1.0 / sqrt(5) / sqrt(2), 1e-6);
	CHECK_NEAR(v.e[1].v, 2.0 / sqrt(5) / sqrt(2), 1e-6);
	CHECK_NEAR(v.e[2].v, 1.0 / sqrt(2), 1e-6);
	/* a zero group weight drops the group */
	ns_svec_free(&v);
	o.group_weight[4] = 0;
	CHECK_INT(ns_svec_from_bag(&v, &b, &o), 0);
	CHECK_INT(v.n, 2);
	ns_svec_free(&v);
	ns_fbag_free(&b);
}

NS_TEST(learn__fmap_min_df_and_remap)
{
	ns_fentry a[] = {{1, 1}, {4, 1}, {9, 1}}, b[] = {{4, 1}, {9, 2}}, c[] = {{2, 1}, {9, 3}};
	ns_svec docs[3] = {{a, 3}, {b, 2}, {c, 2}};
	ns_fmap m;
	CHECK_INT(ns_fmap_build(&m, docs, 3, 2), 0);
	CHECK_INT(m.dim, 2); /* 4 (df 2) and 9 (df 3) */
	CHECK_INT(m.ids[0], 4);
	CHECK_INT(m.ids[1], 9);
	ns_svec r;
	CHECK_INT(ns_svec_remap(&r, &docs[2], m.ids, m.dim), 0);
	CHECK_INT(r.n, 1);
	CHECK_INT(r.e[0].id, 1);
	CHECK_NEAR(r.e[0].v, 3, 0);
	CHECK_INT(ns_fmap_find(m.ids, m.dim, 9), 1);
	CHECK_INT(ns_fmap_find(m.ids, m.dim, 5), -1);
	ns_svec_free(&r);
	ns_fmap_free(&m);
}

/* Two clusters in 4 dimensions: positives use features 0/1, negatives 2/3. */
static void toy(ns_svec *X, ns_fentry *E, int8_t *y, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int pos = i % 3 == 0;
		E[2 * i] = (ns_fentry){pos ? 0u : 2u, 0.8f};
		E[2 * i + 1] = (ns_fentry){pos ? 1u : 3u, 0.6f - 0.01f * (float)(i % 5)};
		X[i].e = &E[2 * i];
		X[i].n = 2;
		y[i] = pos ? 1 : -1;
	}
}

NS_TEST(learn__solver_separates_toy_problem)
{
	enum { N = 30 };
	ns_svec X[N];
	ns_fentry E[2 * N];
	int8_t y[N];
	double w[5], w2[5];
	toy(X, E, y, N);
	for (int loss = 0; loss < 2; loss++) {
		ns_linear_params p = NS_LINEAR_PARAMS_INIT;
		p.loss = loss;
		p.C = 10;
		int iters = 0;
		CHECK_INT(ns_linear_train(w, X, N, 4, y, NULL, &p, &iters), 0);
		CHECK(iters > 0);
		for (size_t i = 0; i < N; i++)
			CHECK(ns_linear_score(w, 4, p.bias, &X[i]) * y[i] > 0);
		CHECK_INT(ns_linear_train(w2, X, N, 4, y, NULL, &p, NULL), 0);
		CHECK(memcmp(w, w2, sizeof w) == 0);
	}
	ns_linear_params bad = NS_LINEAR_PARAMS_INIT;
	bad.C = 0;
	CHECK_INT(ns_linear_train(w, X, N, 4, y, NULL, &bad, NULL), NS_EINVAL);
}

NS_TEST(learn__solver_example_weights_shift_the_boundary)
{
	/* one ambiguous point with both features; weighting it as positive flips it */
	ns_fentry E[] = {{0, 1}, {1, 1}, {0, 0.7f}, {1, 0.7f}};
	ns_svec X[] = {{&E[0], 1}, {&E[1], 1}, {&E[2], 2}};
	int8_t y[] = {1, -1, 1};
	float sw_lo[] = {1, 1, 0.001f}, sw_hi[] = {1, 1, 100};
	double w[3];
	ns_linear_params p = NS_LINEAR_PARAMS_INIT;
	p.bias = 0;
	p.eps = 1e-4;
	p.max_iter = 2000;
	CHECK_INT(ns_linear_train(w, X, 3, 2, y, sw_hi, &p, NULL), 0);
	CHECK(ns_linear_score(w, 2, 0, &X[2]) > 0);
	CHECK_INT(ns_linear_train(w, X, 3, 2, y, sw_lo, &p, NULL), 0);
	double lo = ns_linear_score(w, 2, 0, &X[2]);
	CHECK_INT(ns_linear_train(w, X, 3, 2, y, sw_hi, &p, NULL), 0);
	CHECK(ns_linear_score(w, 2, 0, &X[2]) > lo);
}

NS_TEST(learn__ovr_threads_do_not_change_bits)
{
	enum { N = 60, L = 5 };
	ns_svec X[N];
	ns_fentry E[2 * N];
	int8_t y[N], Y[L * N];
	double W1[L * 5], W2[L * 5];
	toy(X, E, y, N);
	for (int l = 0; l < L; l++)
		for (int i = 0; i < N; i++)
			Y[l * N + i] = (int8_t)((i + l) % (l + 2) == 0 ? 1 : -1);
	ns_linear_params p = NS_LINEAR_PARAMS_INIT;
	CHECK_INT(ns_linear_train_ovr(W1, X, N, 4, Y, NULL, L, &p, 1, NULL, NULL), 0);
	CHECK_INT(ns_linear_train_ovr(W2, X, N, 4, Y, NULL, L, &p, 3, NULL, NULL), 0);
	CHECK(memcmp(W1, W2, sizeof W1) == 0);
}

NS_TEST(learn__ovr_per_label_costs)
{
	enum { N = 60, L = 3 };
	ns_svec X[N];
	ns_fentry E[2 * N];
	int8_t y[N], Y[L * N];
	float SW[L * N];
	double W[L * 5], w[5], Ws[L * 5];
	toy(X, E, y, N);
	for (int l = 0; l < L; l++)
		for (int i = 0; i < N; i++) {
			Y[l * N + i] = (int8_t)((i + l) % (l + 2) == 0 ? 1 : -1);
			SW[l * N + i] = l == 1 && i % 3 == 0 ? 0.05f : 1.0f + (float)l;
		}
	ns_linear_params p = NS_LINEAR_PARAMS_INIT;
	CHECK_INT(ns_linear_train_ovr_sw(W, X, N, 4, Y, SW, N, L, &p, 2, NULL, NULL), 0);
	/* each label equals a single training with its own cost row and seed */
	for (int l = 0; l < L; l++) {
		ns_linear_params lp = p;
		lp.seed = p.seed + (uint64_t)l;
		CHECK_INT(ns_linear_train(w, X, N, 4, Y + l * N, SW + l * N, &lp, NULL), 0);
		CHECK(memcmp(w, W + l * 5, sizeof w) == 0);
	}
	/* stride 0 shares the first row, like ns_linear_train_ovr */
	CHECK_INT(ns_linear_train_ovr_sw(W, X, N, 4, Y, SW, 0, L, &p, 1, NULL, NULL), 0);
	CHECK_INT(ns_linear_train_ovr(Ws, X, N, 4, Y, SW, L, &p, 1, NULL, NULL), 0);
	CHECK(memcmp(W, Ws, sizeof W) == 0);
	/* the down-weighted row of label 1 changes its weights */
	CHECK_INT(ns_linear_train_ovr_sw(W, X, N, 4, Y, SW, N, L, &p, 1, NULL, NULL), 0);
	CHECK(memcmp(W + 5, Ws + 5, 5 * sizeof(double)) != 0);
}

NS_TEST(learn__features_from_text_deterministic)
{
	static const char text[] = "Windmills and solar panels.\n\nThe minister said windmills cost too much.";
	ns_doc d1, d2;
	ns_fbag b1 = NS_FBAG_INIT, b2 = NS_FBAG_INIT;
	ns_feat_opts o = NS_FEAT_OPTS_INIT;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	ns_doc_init(&d1, text, sizeof text - 1);
	ns_doc_init(&d2, text, sizeof text - 1);
	CHECK_INT(ns_text_process(&d1, &to), 0);
	CHECK_INT(ns_text_process(&d2, &to), 0);
	CHECK_INT(ns_features_doc(&b1, &d1, &o), 0);
	CHECK_INT(ns_features_doc(&b2, &d2, &o), 0);
	CHECK(b1.n > 20);
	CHECK_INT(b1.n, b2.n);
	CHECK(memcmp(b1.h, b2.h, b1.n * sizeof *b1.h) == 0);
	/* the unigram "windmills" occurs twice, in two sentences */
	uint32_t id = ns_features_id(NS_FG_WORD, "windmills", 9);
	int hits = 0;
	uint32_t sents = 0;
	for (size_t i = 0; i < b1.n; i++)
		if (b1.h[i].id == id) {
			hits++;
			sents |= 1u << (b1.h[i].sent & 31);
		}
	CHECK_INT(hits, 2);
	CHECK(sents != 1u && sents != 0u);
	/* title features come from the first sentence only */
	size_t title = 0;
	for (size_t i = 0; i < b1.n; i++)
		if (NS_FID_GROUP(b1.h[i].id) == NS_FG_TITLE) {
			title++;
			CHECK_INT(b1.h[i].sent, 0);
		}
	CHECK(title >= 3);
	ns_fbag_free(&b1);
	ns_fbag_free(&b2);
	ns_doc_release(&d1);
	ns_doc_release(&d2);
}

/* A bag whose order is not read (keep_order) counts a word's character n-grams
 * once per document, weighted by the word's count; its vector must equal the
 * hit-by-hit one bit for bit, also when the per-thread memo of words fills up
 * and is emptied in the middle of the document (20,000 distinct words). */
NS_TEST(learn__features_aggregated_bag_same_vector)
{
	ns_buf text = NS_BUF_INIT;
	for (int i = 0; i < 20000; i++) {
		char w[8];
		int v = i, n = 0;
		do {
			w[n++] = (char)('a' + v % 26);
			v /= 26;
		} while (v && n < 7);
		ns_buf_put(&text, w, (size_t)n);
		ns_buf_puts(&text, i % 3 ? " windmills and солнце " : ". Ministers said ");
	}
	CHECK(!ns_buf_failed(&text));
	ns_feat_opts o = NS_FEAT_OPTS_INIT;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	ns_vec_opts vo = {1, {1, 1, 1, 1, 1, 0.5f, 1, 1}};
	ns_svec v[2];
	size_t hits[2];
	for (int agg = 0; agg < 2; agg++) {
		ns_doc d;
		ns_fbag b = NS_FBAG_INIT;
		b.keep_order = agg;
		ns_doc_init(&d, text.ptr, text.size);
		CHECK_INT(ns_text_process(&d, &to), 0);
		CHECK_INT(ns_features_doc(&b, &d, &o), 0);
		hits[agg] = b.n;
		CHECK_INT(ns_svec_from_bag(&v[agg], &b, &vo), 0);
		ns_fbag_free(&b);
		ns_doc_release(&d);
	}
	CHECK(hits[1] < hits[0]); /* the repeated words were counted, not copied */
	CHECK(v[0].n > 20000);
	CHECK_INT(v[1].n, v[0].n);
	CHECK(v[0].n == v[1].n && memcmp(v[0].e, v[1].e, v[0].n * sizeof *v[0].e) == 0);
	ns_svec_free(&v[0]);
	ns_svec_free(&v[1]);
	ns_buf_free(&text);
	ns_thread_release();
}
