/* Training the narrative classifier: head selection, one-vs-rest linear heads on
 * a feature map built from the training rows, an inner cross-validation whose
 * out-of-fold scores tune the thresholds (narr_tune.c), the neighbour index of
 * the same rows (narr_knn.c), the second stage fitted on the inner CV's
 * out-of-fold scores (narr_stack.c), and scoring.
 *
 * DESIGN: the inner folds are a seeded shuffle of the article rows (taxonomy
 * description pseudo-documents are always training rows, never tuning rows; an
 * explanation pseudo-document trains in the inner folds where its article does,
 * so no article is scored by heads that saw its explanation).
 * Every step is deterministic; threads only split the heads (see linear.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/folds.h"
#include "narr.h"

static int has_label(const int32_t *a, size_t n, int32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

/* Chooses heads: coarse and fine labels with positives among rows (not the
 * fallback labels), then one head per domain when p->domain. */
static int choose_heads(ns_narr_model *m, const ns_narr_example *ex, const size_t *rows, size_t nrows)
{
	const ns_narr_labels *L = &m->L;
	size_t cap = L->ncoarse + L->nfine + L->ndomains + 1;
	m->heads = ns_calloc(cap ? cap : 1, sizeof *m->heads);
	if (!m->heads)
		return NS_ENOMEM;
	m->nheads = 0;
	for (size_t c = 0; c < L->ncoarse; c++) {
		if ((int32_t)c == L->coarse_other)
			continue;
		size_t pos = 0;
		for (size_t r = 0; r < nrows && !pos; r++)
			pos += has_label(ex[rows[r]].coarse, ex[rows[r]].ncoarse, (int32_t)c);
		if (pos)
			m->heads[m->nheads++] = (ns_narr_head){NS_HEAD_COARSE, (int32_t)c};
	}
	for (size_t f = 0; f < L->nfine; f++) {
		if ((int32_t)f == L->fine_other_bare)
			continue;
		int32_t par = L->fine_parent[f];
		if (par >= 0 && L->fine_other[par] == (int32_t)f && !m->p.other_heads)
			continue;
		size_t pos = 0;
		for (size_t r = 0; r < nrows && !pos; r++)
			pos += has_label(ex[rows[r]].fine, ex[rows[r]].nfine, (int32_t)f);
		if (pos)
			m->heads[m->nheads++] = (ns_narr_head){NS_HEAD_FINE, (int32_t)f};
	}
	if (m->p.other_doc && L->coarse_other >= 0) {
		size_t pos = 0;
		for (size_t r = 0; r < nrows && !pos; r++)
			pos += has_label(ex[rows[r]].coarse, ex[rows[r]].ncoarse, L->coarse_other);
		if (pos)
			m->heads[m->nheads++] = (ns_narr_head){NS_HEAD_OTHER, L->coarse_other};
	}
	if (m->p.domain && L->ndomains >= 2)
		for (size_t d = 0; d < L->ndomains; d++)
			m->heads[m->nheads++] = (ns_narr_head){NS_HEAD_DOMAIN, (int32_t)d};
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x > y ? -1 : x < y;
}

static void progress_cb(void *payload, size_t done, size_t total)
{
	const ns_narr_train_ctx *ctx = payload;
	if (ctx && ctx->progress)
		fprintf(stderr, "\rnarratives: %s: heads %zu/%zu ", ctx->what ? ctx->what : "training", done, total);
	if (ctx && ctx->progress && done == total)
		fputc('\n', stderr);
}

/* Fits weights for m->heads on rows: sets m->ids/dim/W/bias. */
static int fit(ns_narr_model *m, const ns_narr_example *ex, const size_t *rows, size_t nrows,
	       const ns_narr_train_ctx *ctx)
{
	int rc = 0;
	ns_svec *hx = NULL, *X = NULL;
	int8_t *Y = NULL;
	float *sw = NULL, *hsw = NULL;
	double *Wd = NULL, *rowmax = NULL;
	ns_fmap fm = {0};
	size_t nh = m->nheads;

	hx = ns_calloc(nrows ? nrows : 1, sizeof *hx);
	X = ns_calloc(nrows ? nrows : 1, sizeof *X);
	sw = ns_calloc(nrows ? nrows : 1, sizeof *sw);
	if (!hx || !X || !sw) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t r = 0; r < nrows; r++) {
		hx[r] = ex[rows[r]].x; /* shallow: borrowed */
		sw[r] = ex[rows[r]].weight > 0 ? ex[rows[r]].weight : 1.0f;
	}
	if ((rc = ns_fmap_build(&fm, hx, nrows, m->p.min_df)) < 0)
		goto cleanup;
	for (size_t r = 0; r < nrows; r++)
		if ((rc = ns_svec_remap(&X[r], &hx[r], fm.ids, fm.dim)) < 0)
			goto cleanup;
	Y = ns_calloc(nh * (nrows ? nrows : 1), 1);
	Wd = ns_calloc(nh * (fm.dim + 1) + 1, sizeof *Wd);
	if (!Y || !Wd) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t h = 0; h < nh; h++)
		for (size_t r = 0; r < nrows; r++)
			Y[h * nrows + r] = ns_narr__head_positive(m, h, &ex[rows[r]]) ? 1 : -1;
	if (m->p.fine_neg < 1) {
		/* a subnarrative head sees the articles outside its narrative at fine_neg
		 * of their cost: it learns to tell siblings apart rather than narratives */
		hsw = ns_malloc(nh * (nrows ? nrows : 1) * sizeof *hsw);
		if (!hsw) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t h = 0; h < nh; h++) {
			const ns_narr_head *hd = &m->heads[h];
			int32_t par = hd->kind == NS_HEAD_FINE ? m->L.fine_parent[hd->label] : -1;
			for (size_t r = 0; r < nrows; r++) {
				const ns_narr_example *e = &ex[rows[r]];
				float f = par >= 0 && Y[h * nrows + r] < 0 && !has_label(e->coarse, e->ncoarse, par)
						  ? (float)m->p.fine_neg
						  : 1.0f;
				hsw[h * nrows + r] = sw[r] * f;
			}
		}
	}
	rc = ns_linear_train_ovr_sw(Wd, X, nrows, fm.dim, Y, hsw ? hsw : sw, hsw ? nrows : 0, nh, &m->p.lin,
				    ctx ? ctx->threads : 1, progress_cb, (void *)ctx);
	if (rc < 0)
		goto cleanup;
	m->Q = ns_malloc((fm.dim ? fm.dim : 1) * nh);
	m->scale = ns_malloc((fm.dim ? fm.dim : 1) * sizeof *m->scale);
	m->bias = ns_calloc(nh ? nh : 1, sizeof *m->bias);
	if (!m->Q || !m->scale || !m->bias) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t h = 0; h < nh; h++)
		m->bias[h] = (float)(Wd[h * (fm.dim + 1) + fm.dim] * m->p.lin.bias);
	/* row maxima; with max_features, keep the rows with the largest maxima (ties by
	 * feature order), which bounds the model size */
	rowmax = ns_malloc((fm.dim + 1) * sizeof *rowmax);
	if (!rowmax) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t f = 0; f < fm.dim; f++) {
		double mx = 0;
		for (size_t h = 0; h < nh; h++) {
			double a = fabs(Wd[h * (fm.dim + 1) + f]);
			if (a > mx)
				mx = a;
		}
		rowmax[f] = mx;
	}
	double cut = 0;
	if (m->p.max_features > 0 && fm.dim > (size_t)m->p.max_features) {
		double *tmp = ns_malloc(fm.dim * sizeof *tmp);
		if (!tmp) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		memcpy(tmp, rowmax, fm.dim * sizeof *tmp);
		qsort(tmp, fm.dim, sizeof *tmp, cmp_desc);
		cut = tmp[m->p.max_features - 1];
		free(tmp);
	}
	/* rows strictly above the cut are kept; rows tied at the cut fill the rest in
	 * feature order */
	size_t ties_left = (size_t)-1;
	if (cut > 0) {
		size_t above = 0;
		for (size_t f = 0; f < fm.dim; f++)
			above += rowmax[f] > cut;
		ties_left = (size_t)m->p.max_features - above;
	}
	/* quantize per feature row, dropping rows that are all zero */
	size_t kept = 0;
	for (size_t f = 0; f < fm.dim; f++) {
		double mx = rowmax[f];
		if (mx < cut)
			continue;
		if (cut > 0 && mx == cut) {
			if (ties_left == 0)
				continue;
			ties_left--;
		}
		float sc = (float)(mx / 127.0);
		if (!(sc > 0))
			continue;
		int nz = 0;
		for (size_t h = 0; h < nh; h++) {
			double q = floor(Wd[h * (fm.dim + 1) + f] / (double)sc + 0.5);
			q = q > 127 ? 127 : q < -127 ? -127 : q;
			m->Q[kept * nh + h] = (int8_t)q;
			nz |= q != 0;
		}
		if (!nz)
			continue;
		m->scale[kept] = sc;
		fm.ids[kept] = fm.ids[f];
		kept++;
	}
	m->ids = fm.ids;
	m->dim = kept;
	fm.ids = NULL;
	m->owned[0] = m->ids;
	m->owned[1] = m->Q;
	m->owned[2] = m->bias;
	m->owned[4] = m->scale;
cleanup:
	if (X)
		for (size_t r = 0; r < nrows; r++)
			ns_svec_free(&X[r]);
	free(X);
	free(hx);
	free(sw);
	free(hsw);
	free(Y);
	free(Wd);
	free(rowmax);
	ns_fmap_free(&fm);
	return rc;
}

static int model_new(ns_narr_model **out, const ns_narr_labels *L, const ns_narr_params *p)
{
	ns_narr_model *m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	m->p = *p;
	int rc = ns_narr_labels_init(&m->L, (const char *const *)L->coarse, L->ncoarse, (const char *const *)L->fine,
				     L->nfine);
	if (rc < 0) {
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void ns_narr_model_free(ns_narr_model *m)
{
	if (!m)
		return;
	ns_narr_labels_free(&m->L);
	free(m->heads);
	free(m->hparent);
	ns_knn_free(m->knn);
	free(m->knn);
	ns_narr_stack_free(m->stack);
	for (int i = 0; i < 5; i++)
		free(m->owned[i]);
	free(m);
}

int ns_narr_train(ns_narr_model **out, const ns_narr_labels *L, const ns_narr_example *ex, const size_t *rows,
		  size_t nrows, const ns_narr_params *p, const ns_narr_train_ctx *ctx)
{
	int rc;
	ns_narr_model *m = NULL, *sub = NULL;
	size_t *art = NULL, *trn = NULL, *tst = NULL;
	float *S = NULL, *S2 = NULL;
	int *fold = NULL, *afold = NULL;
	size_t nart = 0, top = 0;
	char what[128];
	ns_narr_train_ctx sctx = ctx ? *ctx : (ns_narr_train_ctx){1, 0, NULL};

	*out = NULL;
	if ((rc = model_new(&m, L, p)) < 0)
		goto cleanup;
	if ((rc = choose_heads(m, ex, rows, nrows)) < 0 || (rc = ns_narr__link_heads(m)) < 0)
		goto cleanup;
	if (m->L.ncoarse > NS_NARR_MAX_COARSE || m->L.nfine > NS_NARR_MAX_FINE) {
		rc = ns_error__set(NS_ELIMIT, "narratives: taxonomy too large (%zu narratives, %zu subnarratives; at most %d and %d)",
				   m->L.ncoarse, m->L.nfine, NS_NARR_MAX_COARSE, NS_NARR_MAX_FINE);
		goto cleanup;
	}
	m->theta = ns_calloc(m->nheads ? m->nheads : 1, sizeof *m->theta);
	art = ns_calloc(nrows ? nrows : 1, sizeof *art);
	trn = ns_calloc(nrows ? nrows : 1, sizeof *trn);
	tst = ns_calloc(nrows ? nrows : 1, sizeof *tst);
	fold = ns_calloc(nrows ? nrows : 1, sizeof *fold);
	if (!m->theta || !art || !trn || !tst || !fold) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	m->owned[3] = m->theta;
	for (size_t r = 0; r < nrows; r++)
		if (!ex[rows[r]].is_desc)
			art[nart++] = rows[r];

	/* inner CV: seeded shuffle of the article rows, fold = rank mod k */
	int k = p->inner_folds;
	if (k >= 2 && nart >= (size_t)k) {
		uint64_t st = p->lin.seed ^ 0x5eedf01dULL;
		size_t *perm = trn; /* reuse as scratch */
		for (size_t i = 0; i < nart; i++)
			perm[i] = i;
		for (size_t i = nart; i > 1; i--) {
			size_t j = (size_t)(ns_splitmix64(&st) % i), t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		for (size_t r = 0; r < nart; r++)
			fold[perm[r]] = (int)(r % (size_t)k);
		/* inner fold of each article by its example index (-1: not a row) */
		for (size_t r = 0; r < nrows; r++)
			if (rows[r] + 1 > top)
				top = rows[r] + 1;
		afold = ns_malloc(top * sizeof *afold + 1);
		if (!afold) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t i = 0; i < top; i++)
			afold[i] = -1;
		for (size_t i = 0; i < nart; i++)
			afold[art[i]] = fold[i];
		S = ns_calloc(nart * m->nheads + 1, sizeof *S);
		if (!S) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (int f = 0; f < k; f++) {
			size_t ntr = 0, nte = 0;
			for (size_t r = 0; r < nrows; r++) {
				size_t own = ex[rows[r]].explains;
				if (ex[rows[r]].is_desc && (own == 0 || own > top || afold[own - 1] != f))
					trn[ntr++] = rows[r];
			}
			for (size_t i = 0; i < nart; i++) {
				if (fold[i] == f)
					tst[nte++] = i;
				else
					trn[ntr++] = art[i];
			}
			if ((rc = model_new(&sub, L, p)) < 0)
				goto cleanup;
			sub->heads = ns_malloc(m->nheads * sizeof *sub->heads + 1);
			if (!sub->heads) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			memcpy(sub->heads, m->heads, m->nheads * sizeof *sub->heads);
			sub->nheads = m->nheads;
			snprintf(what, sizeof what, "%s%sinner fold %d/%d", ctx && ctx->what ? ctx->what : "",
				 ctx && ctx->what ? ": " : "", f + 1, k);
			sctx.what = what;
			if ((rc = fit(sub, ex, trn, ntr, &sctx)) < 0 || (rc = ns_narr__knn_build(sub, ex, trn, ntr)) < 0)
				goto cleanup;
			for (size_t t = 0; t < nte; t++)
				if ((rc = ns_narr_model_scores(sub, &ex[art[tst[t]]].x, S + tst[t] * m->nheads)) < 0)
					goto cleanup;
			ns_narr_model_free(sub);
			sub = NULL;
		}
		if (ns_narr__stack_on(p)) {
			/* second stage: fitted on the out-of-fold scores; thresholds tuned on
			 * cross-fitted stacked scores (narr_stack.c) */
			S2 = ns_malloc((nart * m->nheads + 1) * sizeof *S2);
			if (!S2) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			if ((rc = ns_narr__stack_crossfit(S2, m, S, ex, art, nart, fold, k)) < 0 ||
			    (rc = ns_narr__stack_fit(&m->stack, m, S, ex, art, nart, NULL, 0)) < 0)
				goto cleanup;
		}
		if ((rc = ns_narr__tune(m->theta, &m->fallback, &m->mix, &m->prune, &m->fine_fallback, m, S2 ? S2 : S,
					 ex, art, nart, p)) < 0)
			goto cleanup;
		if (p->ef1 && (rc = ns_narr__ef1_fit(m, S2 ? S2 : S, ex, art, nart)) < 0)
			goto cleanup;
	}
	if (ns_narr__stack_on(p) && !m->stack &&
	    (rc = ns_narr__stack_fit(&m->stack, m, NULL, ex, art, 0, NULL, 0)) < 0)
		goto cleanup; /* no inner CV: the identity stage */
	snprintf(what, sizeof what, "%s%sfinal", ctx && ctx->what ? ctx->what : "", ctx && ctx->what ? ": " : "");
	sctx.what = what;
	if ((rc = fit(m, ex, rows, nrows, &sctx)) < 0 || (rc = ns_narr__knn_build(m, ex, rows, nrows)) < 0)
		goto cleanup;
	*out = m;
	m = NULL;
cleanup:
	ns_narr_model_free(m);
	ns_narr_model_free(sub);
	free(art);
	free(trn);
	free(tst);
	free(fold);
	free(afold);
	free(S);
	free(S2);
	return rc;
}
