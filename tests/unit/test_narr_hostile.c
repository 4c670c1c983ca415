/* A narrative model whose parameter text disagrees with its weights: every
 * parameter at the ends of its accepted range, written into narr.params of a
 * trained model (a hostile or hand-edited file passes the checksums). Each must
 * be refused with a one-line error naming the model, or load and predict
 * safely: decisions name labels of the model's own label space. Complements
 * the fuzz target tests/fuzz/fuzz_model.c with a walk that always runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/bundle.h"
#include "model/ser.h"
#include "narrative/narr.h"
#include "test.h"

static const char *const C[] = {"CC: Green energy fails", "URW: Blame the West", "Other"};
static const char *const F[] = {"CC: Green energy fails: Wind power is unreliable", "CC: Green energy fails: Other",
				"URW: Blame the West: NATO provoked the war", "URW: Blame the West: Other", "Other"};

static const char *const texts[] = {
	"Wind turbines stopped again when the wind died down.\nCritics say wind power is unreliable.\n",
	"NATO expansion provoked the war, the commentator said.\nThe alliance moved weapons to the border.\n",
	"The city council opened a new library on Tuesday.\nChildren read books in the hall.\n",
};
enum { NDOC = 12 };

/* The serialised bundle of a model trained on NDOC short articles. */
static char *trained_bundle(size_t *len)
{
	ns_narr_labels L;
	ns_narr_example ex[NDOC];
	int32_t lab_c[NDOC], lab_f[NDOC];
	size_t rows[NDOC];
	ns_narr_params p;
	ns_narr_model *m = NULL;
	ns_bundle_writer *w = NULL;
	char *out = NULL;
	ns_narr_params_default(&p);
	CHECK_INT(ns_narr_params_parse(&p, "min_df=1,inner_folds=2"), 0);
	CHECK_INT(ns_narr_labels_init(&L, C, 3, F, 5), 0);
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < NDOC; i++) {
		int k = i % 3;
		ns_doc d;
		ns_fbag bag = NS_FBAG_INIT;
		ns_text_opts to = NS_TEXT_OPTS_INIT;
		ns_doc_init(&d, texts[k], strlen(texts[k]));
		CHECK_INT(ns_text_process(&d, &to), 0);
		ns_svec x = {NULL, 0};
		CHECK_INT(ns_narr_featurize(&x, &bag, &d, &p), 0);
		ns_fbag_free(&bag);
		ns_doc_release(&d);
		lab_c[i] = k;
		lab_f[i] = 2 * k; /* the first subnarrative of each narrative */
		/* URW is the taxonomy's second domain */
		ex[i] = (ns_narr_example){x, &lab_c[i], &lab_f[i], 1, 1, k == 1, 1.0f, 0, 0};
		rows[i] = (size_t)i;
	}
	ns_narr_train_ctx ctx = {1, 0, NULL};
	CHECK_INT(ns_narr_train(&m, &L, ex, rows, NDOC, &p, &ctx), 0);
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	if (m && w && ns_narr_model_save(m, w) == 0)
		CHECK_INT(ns_bundle_writer_serialize(w, &out, len), 0);
	ns_bundle_writer_free(w);
	ns_narr_model_free(m);
	for (int i = 0; i < NDOC; i++)
		free(ex[i].x.e);
	ns_narr_labels_free(&L);
	return out;
}

/* The bundle `orig` with narr.params' parameter text followed by `extra`. */
static char *with_params(const char *orig, size_t olen, const char *extra, size_t *len)
{
	ns_bundle *b = NULL;
	ns_bundle_writer *w = NULL;
	char *out = NULL;
	if (ns_bundle_open_mem(&b, orig, olen, "orig") < 0 || ns_bundle_writer_new(&w) < 0)
		goto done;
	for (size_t i = 0; i < ns_bundle_nsections(b); i++) {
		size_t n;
		const void *d;
		const char *name = ns_bundle_section_at(b, i, &n);
		ns_bundle_section(b, name, &d, &n);
		if (strcmp(name, "narr.params") != 0) {
			ns_bundle_writer_add(w, name, d, n);
			continue;
		}
		/* u32 magic, u32 version, str parameters, the rest */
		ns_rd r;
		size_t sl;
		ns_rd_init(&r, d, n);
		ns_rd_u32(&r);
		ns_rd_u32(&r);
		const char *s = ns_rd_str(&r, &sl);
		CHECK(s != NULL);
		if (!s)
			goto done;
		ns_buf nb = NS_BUF_INIT;
		ns_buf_put(&nb, d, 8);
		char *ps = NULL;
		size_t pl = (size_t)asprintf(&ps, "%.*s,%s", (int)sl, s, extra);
		ns_wr_str(&nb, ps, pl);
		free(ps);
		size_t head = (size_t)((const char *)s + sl - (const char *)d);
		ns_buf_put(&nb, (const char *)d + head, n - head);
		ns_bundle_writer_add(w, name, nb.ptr, nb.size);
		ns_buf_free(&nb);
	}
	if (ns_bundle_writer_serialize(w, &out, len) < 0)
		out = NULL;
done:
	ns_bundle_writer_free(w);
	ns_bundle_close(b);
	return out;
}

/* Predicts every text with m, with and without evidence. */
static void predict_all(const ns_narr_model *m)
{
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (int ev = 0; ev <= 1; ev++) {
			ns_doc d;
			ns_fbag bag = NS_FBAG_INIT;
			ns_text_opts to = NS_TEXT_OPTS_INIT;
			ns_narr_layer *L = NULL;
			ns_doc_init(&d, texts[t], strlen(texts[t]));
			CHECK_INT(ns_text_process(&d, &to), 0);
			if (ns_narr_predict_doc(&L, m, &d, &bag, ev) == 0) {
				for (size_t i = 0; i < L->dec.ncoarse; i++)
					CHECK(L->dec.coarse[i] >= 0 && (size_t)L->dec.coarse[i] < m->L.ncoarse);
				for (size_t i = 0; i < L->dec.nfine; i++)
					CHECK(L->dec.fine[i] >= 0 && (size_t)L->dec.fine[i] < m->L.nfine);
			} else {
				CHECK(strchr(ns_error_last(), '\n') == NULL);
			}
			ns_fbag_free(&bag);
			ns_doc_release(&d);
		}
}

/* The number of parameters. */
static size_t i_total(void)
{
	const char *name;
	double lo, hi;
	size_t n = 0;
	while (ns_narr__param_range(n, &name, &lo, &hi) == 0)
		n++;
	return n;
}

NS_TEST(narr__every_parameter_at_its_bounds_loads_safely_or_is_refused)
{
	size_t olen = 0;
	char *orig = trained_bundle(&olen);
	CHECK(orig != NULL);
	if (!orig)
		return;
	size_t loaded = 0, refused = 0;
	const char *name;
	double lo, hi;
	for (size_t i = 0; ns_narr__param_range(i, &name, &lo, &hi) == 0; i++)
		for (int end = 0; end < 2; end++) {
			char extra[96];
			snprintf(extra, sizeof extra, "%s=%.17g", name, end ? hi : lo);
			size_t len = 0;
			char *bytes = with_params(orig, olen, extra, &len);
			CHECK(bytes != NULL);
			ns_bundle *b = NULL;
			ns_narr_model *m = NULL;
			CHECK_INT(ns_bundle_open_mem(&b, bytes, len, "hostile.nsm"), 0);
			if (b && ns_narr_model_load(&m, b) == 0) {
				loaded++;
				predict_all(m);
			} else {
				refused++;
				/* the refusals: parameters that contradict each other or the
				 * section's layout (its version, the tuned values it holds) */
				static const char *const expected[] = {"char_min=8", "prune=1", "fine_fallback=1", "stack=1",
								     "ef1=0"};
				int known = 0;
				for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++)
					known |= strcmp(extra, expected[k]) == 0;
				CHECK(known);
				const char *msg = ns_error_last();
				CHECK(strstr(msg, "hostile.nsm") != NULL && strchr(msg, '\n') == NULL);
			}
			ns_narr_model_free(m);
			ns_bundle_close(b);
			free(bytes);
		}
	/* the other edits change settings the weights do not depend on */
	CHECK_INT(refused, 5);
	CHECK_INT(loaded, 2 * i_total() - 5);
	free(orig);
	ns_thread_release(); /* this thread's stemmer and memos, for leak checkers */
}
