/* Stacking for the narrative classifier: a second linear stage whose inputs are
 * the first-stage head scores, so each head sees every other head (label
 * co-occurrence: a subnarrative's score can raise its narrative, mutually
 * exclusive narratives can lower each other).
 *
 * DESIGN: stage 2 is trained on the out-of-fold first-stage scores of the inner
 * cross-validation (the same scores that tune the thresholds), one L2-loss linear
 * SVM per narrative/subnarrative/"no narrative" head over the dense score vector
 * plus a bias; domain heads pass through unchanged. The thresholds are then tuned
 * on stage-2 scores that are themselves out-of-fold (rows split i mod k), so no
 * row tunes a threshold on a score it helped to fit. Deterministic like the
 * first stage (fixed row order and seeds). */
#include <stdlib.h>
#include <string.h>

#include "narr.h"

static int has_label(const int32_t *a, size_t n, int32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

static int head_positive(const ns_narr_head *hd, const ns_narr_example *e)
{
	if (hd->kind == NS_HEAD_COARSE || hd->kind == NS_HEAD_OTHER)
		return has_label(e->coarse, e->ncoarse, hd->label);
	if (hd->kind == NS_HEAD_FINE)
		return has_label(e->fine, e->nfine, hd->label);
	return e->domain == hd->label;
}

void ns_narr_stack_apply(const ns_narr_model *m, float *scores)
{
	float in[NS_NARR_MAX_COARSE + NS_NARR_MAX_FINE + NS_NARR_MAX_DOMAINS + 2];
	size_t nh = m->nheads, w = nh + 1;
	if (!m->stack || nh > sizeof in / sizeof in[0])
		return;
	memcpy(in, scores, nh * sizeof *in);
	for (size_t h = 0; h < nh; h++) {
		if (m->heads[h].kind == NS_HEAD_DOMAIN)
			continue;
		const float *a = m->stack + h * w;
		float z = a[nh];
		for (size_t k = 0; k < nh; k++)
			z += a[k] * in[k];
		scores[h] = z;
	}
}

/* Fits stage 2 on rows r with fold[r] != hold (hold < 0: all rows) into A. */
static int fit_rows(float *A, const ns_narr_model *m, const ns_svec *X, const ns_narr_example *ex, const size_t *rows,
		    size_t n, const int *fold, int hold, const ns_narr_params *p, int threads)
{
	int rc = 0;
	size_t nh = m->nheads, w = nh + 1, nt = 0, nr = 0;
	size_t *hid = ns_calloc(nh + 1, sizeof *hid);
	ns_svec *Xs = ns_calloc(n + 1, sizeof *Xs);
	int8_t *Y = NULL;
	double *W = NULL;
	if (!hid || !Xs) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t h = 0; h < nh; h++)
		if (m->heads[h].kind != NS_HEAD_DOMAIN)
			hid[nt++] = h;
	for (size_t i = 0; i < n; i++)
		if (hold < 0 || fold[i] != hold)
			Xs[nr++] = X[i];
	Y = ns_calloc(nt * nr + 1, 1);
	W = ns_calloc(nt * w + 1, sizeof *W);
	if (!Y || !W) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t t = 0; t < nt; t++) {
		size_t r = 0;
		for (size_t i = 0; i < n; i++)
			if (hold < 0 || fold[i] != hold)
				Y[t * nr + r++] = head_positive(&m->heads[hid[t]], &ex[rows[i]]) ? 1 : -1;
	}
	ns_linear_params lp = p->lin;
	lp.C = p->stack_C;
	lp.pos_weight = 1.0;
	lp.bias = 1.0;
	lp.loss = NS_LOSS_L2SVM;
	if ((rc = ns_linear_train_ovr(W, Xs, nr, nh, Y, NULL, nt, &lp, threads, NULL, NULL)) < 0)
		goto cleanup;
	memset(A, 0, nh * w * sizeof *A);
	for (size_t h = 0; h < nh; h++)
		A[h * w + h] = 1.0f; /* domain heads: identity */
	for (size_t t = 0; t < nt; t++) {
		float *a = A + hid[t] * w;
		const double *src = W + t * w;
		for (size_t k = 0; k < w; k++)
			a[k] = (float)src[k];
	}
cleanup:
	free(hid);
	free(Xs);
	free(Y);
	free(W);
	return rc;
}

int ns_narr__stack_fit(ns_narr_model *m, float *Z, const float *S, const ns_narr_example *ex, const size_t *rows,
		       size_t n, const ns_narr_params *p, int threads)
{
	int rc = 0;
	size_t nh = m->nheads, w = nh + 1;
	ns_svec *X = ns_calloc(n + 1, sizeof *X);
	ns_fentry *E = ns_calloc(n * nh + 1, sizeof *E);
	int *fold = ns_calloc(n + 1, sizeof *fold);
	float *A = ns_calloc(nh * w + 1, sizeof *A);
	int k = p->inner_folds >= 2 ? p->inner_folds : 2;
	if (!X || !E || !fold || !A) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		X[i].e = E + i * nh;
		X[i].n = nh;
		for (size_t h = 0; h < nh; h++)
			X[i].e[h] = (ns_fentry){(uint32_t)h, S[i * nh + h]};
		fold[i] = (int)(i % (size_t)k);
	}
	if (Z) {
		/* out-of-fold stage-2 scores for threshold tuning */
		ns_narr_model tmp = *m;
		tmp.stack = A;
		for (int f = 0; f < k; f++) {
			if ((rc = fit_rows(A, m, X, ex, rows, n, fold, f, p, threads)) < 0)
				goto cleanup;
			for (size_t i = 0; i < n; i++)
				if (fold[i] == f) {
					memcpy(Z + i * nh, S + i * nh, nh * sizeof *Z);
					ns_narr_stack_apply(&tmp, Z + i * nh);
				}
		}
	}
	if ((rc = fit_rows(A, m, X, ex, rows, n, fold, -1, p, threads)) < 0)
		goto cleanup;
	free(m->stack);
	m->stack = A;
	A = NULL;
cleanup:
	free(X);
	free(E);
	free(fold);
	free(A);
	return rc;
}
