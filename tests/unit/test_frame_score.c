/* Tests of the role scorer's fast paths (src/frame): ns_frame_score on a model
 * section written here with known weights against the plain sparse-vector
 * formula (learn/svec.c), on small and large bags; and the per-document stem
 * classes that replace the per-mention scan of the document. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame.h"
#include "learn/half.h"
#include "model/ser.h"
#include "test.h"
#include "text/doc.h"

#define T_DIM 3000
#define T_NL 5 /* 3 main + 2 fine roles */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* deterministic pseudo-random stream */
static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 17;
}

/* A model section (model.c format 1: f32 weights) with T_DIM sorted ids over all
 * groups and weights w(label, feature) from the stream, each a binary16 value
 * (the model keeps binary16 weights, so the section loads them exactly); ids
 * and weights returned too. */
static ns_frame_model *make_model(uint32_t *ids, float *W)
{
	ns_frame_params p;
	ns_buf ps = NS_BUF_INIT, sec = NS_BUF_INIT;
	uint64_t s = 7;
	size_t n = 0;
	ns_frame_params_init(&p);
	while (n < T_DIM) {
		ids[n++] = NS_FID(next_rand(&s) % NS_FGROUPS, next_rand(&s));
		if (n == T_DIM) {
			qsort(ids, n, sizeof *ids, cmp_u32);
			size_t u = 0;
			for (size_t i = 0; i < n; i++)
				if (i == 0 || ids[i] != ids[u - 1])
					ids[u++] = ids[i];
			n = u;
		}
	}
	CHECK_INT(ns_frame_params_format(&p, &ps), 0);
	ns_wr_u32(&sec, 1);
	ns_wr_str(&sec, ps.ptr, ps.size);
	ns_wr_u32(&sec, 3);
	ns_wr_str(&sec, "Protagonist", 11);
	ns_wr_str(&sec, "Antagonist", 10);
	ns_wr_str(&sec, "Innocent", 8);
	ns_wr_u32(&sec, 2);
	ns_wr_str(&sec, "Guardian", 8);
	ns_wr_u32(&sec, 0);
	ns_wr_str(&sec, "Tyrant", 6);
	ns_wr_u32(&sec, 1);
	ns_wr_u32(&sec, T_DIM);
	for (size_t i = 0; i < T_DIM; i++)
		ns_wr_u32(&sec, ids[i]);
	ns_wr_u32(&sec, T_NL);
	for (size_t l = 0; l < T_NL; l++)
		for (size_t i = 0; i <= T_DIM; i++) {
			float w = (float)((double)(next_rand(&s) % 2001) / 1000.0 - 1.0);
			W[l * (T_DIM + 1) + i] = ns_half_to_float(ns_half_from_float(w));
			ns_wr_f32(&sec, W[l * (T_DIM + 1) + i]);
		}
	ns_frame_model *m = NULL;
	CHECK(!ns_buf_failed(&sec));
	CHECK_INT(ns_frame_model_load(&m, sec.ptr, sec.size), 0);
	ns_buf_free(&ps);
	ns_buf_free(&sec);
	return m;
}

/* scores by the plain formula: ns_svec_from_bag, then a dot product per label */
static void plain_scores(const ns_frame_model *m, const ns_fbag *bag, const uint32_t *ids, const float *W,
			 double *out)
{
	ns_fbag copy = NS_FBAG_INIT;
	ns_svec v = {NULL, 0};
	for (size_t i = 0; i < bag->n; i++)
		ns_fbag_add(&copy, bag->h[i].id, bag->h[i].sent, bag->h[i].w);
	CHECK_INT(ns_svec_from_bag(&v, &copy, &ns_frame_model_params(m)->vec), 0);
	for (size_t l = 0; l < T_NL; l++) {
		double acc = W[l * (T_DIM + 1) + T_DIM];
		for (size_t i = 0; i < v.n; i++) {
			long k = ns_fmap_find(ids, T_DIM, v.e[i].id);
			if (k >= 0)
				acc += (double)W[l * (T_DIM + 1) + (size_t)k] * v.e[i].v;
		}
		out[l] = acc;
	}
	ns_svec_free(&v);
	ns_fbag_free(&copy);
}

static void check_bag(const ns_frame_model *m, size_t nhits, const uint32_t *ids, const float *W, uint64_t seed)
{
	ns_fbag bag = NS_FBAG_INIT;
	uint64_t s = seed;
	for (size_t i = 0; i < nhits; i++) {
		uint64_t r = next_rand(&s);
		/* mostly model features, some repeated, some unknown to the model */
		uint32_t id = r % 5 == 0 ? NS_FID(r % NS_FGROUPS, next_rand(&s)) : ids[next_rand(&s) % T_DIM];
		/* weights: plain hits, heavier ones, and language copies (lxw) */
		ns_fbag_add(&bag, id, 0, r % 7 == 0 ? 2.5f : r % 11 == 0 ? (float)ns_frame_model_params(m)->f.lang_cross_w : 1.0f);
		if (r % 3 == 0)
			ns_fbag_add(&bag, id, 1, 1.0f);
	}
	double main[3], fine[2], want[T_NL];
	plain_scores(m, &bag, ids, W, want);
	CHECK_INT(ns_frame_score(m, &bag, main, fine), 0);
	for (size_t l = 0; l < 3; l++)
		CHECK_NEAR(main[l], want[l], 1e-4);
	for (size_t l = 0; l < 2; l++)
		CHECK_NEAR(fine[l], want[3 + l], 1e-4);
	/* the same bag in another order scores bit-identically (cell order) */
	double main2[3], fine2[2];
	for (size_t i = 0; i + 1 < bag.n; i += 2) {
		ns_fhit t = bag.h[i];
		bag.h[i] = bag.h[i + 1];
		bag.h[i + 1] = t;
	}
	CHECK_INT(ns_frame_score(m, &bag, main2, fine2), 0);
	CHECK(memcmp(main, main2, sizeof main) == 0);
	CHECK(memcmp(fine, fine2, sizeof fine) == 0);
	ns_fbag_free(&bag);
}

NS_TEST(frame__score_matches_plain_formula)
{
	uint32_t *ids = malloc(T_DIM * sizeof *ids);
	float *W = malloc(T_NL * (T_DIM + 1) * sizeof *W);
	CHECK(ids && W);
	if (!ids || !W) {
		free(ids);
		free(W);
		return;
	}
	ns_frame_model *m = make_model(ids, W);
	CHECK(m != NULL);
	if (m) {
		check_bag(m, 3, ids, W, 11);     /* tiny */
		check_bag(m, 180, ids, W, 12);   /* a typical mention */
		check_bag(m, 2500, ids, W, 13);  /* cells beyond the on-stack table */
		ns_fbag empty = NS_FBAG_INIT;
		double main[3], fine[2];
		CHECK_INT(ns_frame_score(m, &empty, main, fine), 0);
		CHECK_NEAR(main[0], W[T_DIM], 1e-6); /* bias only */
		CHECK_NEAR(fine[1], W[4 * (T_DIM + 1) + T_DIM], 1e-6);
	}
	ns_frame_model_free(m);
	free(ids);
	free(W);
}

NS_TEST(frame__stem_classes)
{
	static const char text[] = "Borovia sent ships. The ships of Borovia sank, and Borovia mourned.";
	ns_frame_cues *cues = NULL;
	ns_doc doc;
	ns_frame_docctx ctx;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	to.force_lang = "en";
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_docctx_init(&ctx, &doc, cues), 0);
	size_t nbor = 0, first = SIZE_MAX;
	for (size_t j = 0; j < doc.ntokens; j++) {
		const ns_token *t = &doc.tokens[j];
		int same = 0;
		for (size_t k = 0; k < doc.ntokens; k++) {
			const ns_token *u = &doc.tokens[k];
			int eq = u->stem_len == t->stem_len && memcmp(u->stem, t->stem, t->stem_len) == 0;
			/* same stem <=> same class */
			CHECK_INT(eq, ctx.stem_class[j] == ctx.stem_class[k]);
			same += eq;
			if (eq && k < ctx.class_first[ctx.stem_class[j]])
				CHECK(0);
		}
		CHECK_INT(ctx.class_count[ctx.stem_class[j]], same);
		const ns_token *t0 = &doc.tokens[0]; /* "Borovia" */
		if (t->stem_len == t0->stem_len && memcmp(t->stem, t0->stem, t0->stem_len) == 0) {
			nbor++;
			if (first == SIZE_MAX)
				first = j;
		}
	}
	CHECK_INT(nbor, 3);
	CHECK_INT(first, 0);
	if (first != SIZE_MAX) {
		CHECK_INT(ctx.class_count[ctx.stem_class[first]], 3);
		CHECK_INT(ctx.class_first[ctx.stem_class[first]], first);
	}
	ns_frame_docctx_free(&ctx);
	ns_doc_release(&doc);
	ns_frame_cues_free(cues);
}
