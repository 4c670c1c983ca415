/* Decision thresholds tuned for the F1-samples metric on out-of-fold scores.
 *
 * The objective is the mean over articles of (1-w) F1coarse + w F1fine after the
 * full decoding rules (narr_decode.c), so thresholds account for the hierarchy
 * and the Other fallbacks. Search: for each subnarrative/narrative mixing weight
 * (when enabled), one global threshold for coarse heads and one for fine heads on
 * a grid and the fallback margin; the best mix is kept, then `tune_rounds` passes
 * of coordinate ascent over single heads on the same grid. A move must improve the
 * objective by more than 1e-9 (ties keep the current value), which makes the
 * result deterministic and avoids drifting on flat stretches. Moving one head's
 * threshold only changes articles whose score lies between the old and new value,
 * or that have no head on (fallback), so only those are decoded again. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "narr.h"

#define GRID_LO (-1.2f)
#define GRID_STEP 0.05f
#define GRID_N 45
#define OFF_THETA 1e30f /* a threshold no score reaches */

typedef struct tune_ctx {
	const ns_narr_model *m;
	const float *S;
	const ns_narr_example *ex;
	const size_t *rows;
	size_t n, nh;
	double w;
	float *theta;
	float fallback;
	float mix;
	float prune, ffb; /* rules 4b and 4c (tuned last) */
	double *cur;     /* per-article objective */
	uint8_t *empty;  /* per-article: no head on */
	ns_narr_decision dec;
} tune_ctx;

static double article_obj(tune_ctx *t, size_t i, const float *theta, float fb, uint8_t *empty)
{
	const ns_narr_example *e = &t->ex[t->rows[i]];
	ns_narr_decode_rule r = {fb, t->mix, t->prune, t->ffb, 0};
	ns_narr_decode_ext(&t->dec, t->m, t->S + i * t->nh, theta, &r);
	if (empty)
		*empty = !t->dec.raw_any;
	double fc = ns_narr__f1(e->coarse, e->ncoarse, t->dec.coarse, t->dec.ncoarse);
	double ff = ns_narr__f1(e->fine, e->nfine, t->dec.fine, t->dec.nfine);
	return (1.0 - t->w) * fc + t->w * ff;
}

static double full_obj(tune_ctx *t, const float *theta, float fb, int store)
{
	double s = 0;
	for (size_t i = 0; i < t->n; i++) {
		double v = article_obj(t, i, theta, fb, store ? &t->empty[i] : NULL);
		if (store)
			t->cur[i] = v;
		s += v;
	}
	return s;
}

static float grid(int k) { return GRID_LO + GRID_STEP * (float)k; }

/* Tries *v (a decoding margin in t) on 0, 0.05, ..., 2 with everything else
 * fixed; keeps the first value that beats `best` most; returns the new best. */
static double tune_margin(tune_ctx *t, float *v, const float *theta, float fb, double best)
{
	float bestv = *v;
	for (int k = 0; k <= 40; k++) {
		*v = 0.05f * (float)k;
		double o = full_obj(t, theta, fb, 0);
		if (o > best + 1e-9) {
			best = o;
			bestv = *v;
		}
	}
	*v = bestv;
	return best;
}

/* Sets all heads of `kind` to v. */
static void set_kind(tune_ctx *t, float *theta, int kind, float v)
{
	for (size_t h = 0; h < t->nh; h++)
		if (t->m->heads[h].kind == kind)
			theta[h] = v;
}

/* Steps 1 and 2 (global thresholds, fallback) for the current t->mix; returns the objective. */
static double tune_global(tune_ctx *t, float *theta, float *trial, float *fbout, const ns_narr_params *p)
{
	float fb = 0;
	for (size_t h = 0; h < t->nh; h++)
		theta[h] = t->m->heads[h].kind == NS_HEAD_OTHER ? OFF_THETA : 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int kind = NS_HEAD_COARSE; kind <= NS_HEAD_FINE; kind++) {
			double best = -1;
			float bestv = 0;
			memcpy(trial, theta, t->nh * sizeof *trial);
			for (int k = 0; k < GRID_N; k++) {
				set_kind(t, trial, kind, grid(k));
				double v = full_obj(t, trial, fb, 0);
				if (v > best + 1e-9) {
					best = v;
					bestv = grid(k);
				}
			}
			set_kind(t, theta, kind, bestv);
		}
	}
	double best = full_obj(t, theta, 0, 0);
	if (p->fallback) {
		for (int k = 1; k <= 40; k++) {
			float v = 0.05f * (float)k;
			double o = full_obj(t, theta, v, 0);
			if (o > best + 1e-9) {
				best = o;
				fb = v;
			}
		}
	}
	*fbout = fb;
	return best;
}

int ns_narr__tune(float *theta, float *fallback, float *mix, float *prune, float *fine_fallback,
		  const ns_narr_model *m, const float *S, const ns_narr_example *ex, const size_t *rows, size_t n,
		  const ns_narr_params *p)
{
	int rc = 0;
	tune_ctx t = {0};
	float *trial = NULL;
	t.m = m;
	t.S = S;
	t.ex = ex;
	t.rows = rows;
	t.n = n;
	t.nh = m->nheads;
	t.w = p->fine_weight;
	t.theta = theta;
	t.cur = ns_calloc(n ? n : 1, sizeof *t.cur);
	t.empty = ns_calloc(n ? n : 1, 1);
	trial = ns_calloc(t.nh ? t.nh : 1, sizeof *trial);
	if (!t.cur || !t.empty || !trial) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	/* 1-2. global thresholds and fallback for each mixing weight; keep the best */
	float fb = 0, bestmix = 0;
	double bestobj = -1;
	static const float mixes[] = {0, 0.25f, 0.5f, 0.75f, 1.0f};
	for (size_t k = 0; k < sizeof mixes / sizeof mixes[0]; k++) {
		if (k > 0 && !p->mix)
			break;
		t.mix = mixes[k];
		float fbk;
		double o = tune_global(&t, theta, trial, &fbk, p);
		if (o > bestobj + 1e-9) {
			bestobj = o;
			bestmix = mixes[k];
		}
	}
	t.mix = bestmix;
	tune_global(&t, theta, trial, &fb, p);
	/* 3. per-head coordinate ascent with incremental re-decoding */
	full_obj(&t, theta, fb, 1);
	for (int round = 0; round < p->tune_rounds; round++) {
		size_t moved = 0;
		for (size_t h = 0; h < t.nh; h++) {
			if (m->heads[h].kind == NS_HEAD_DOMAIN)
				continue;
			memcpy(trial, theta, t.nh * sizeof *trial);
			float old = theta[h];
			double best_delta = 0;
			float bestv = old;
			for (int k = 0; k < GRID_N; k++) {
				float v = grid(k);
				if (v == old)
					continue;
				float lo = v < old ? v : old, hi = v < old ? old : v;
				trial[h] = v;
				double delta = 0;
				for (size_t i = 0; i < n; i++) {
					float s = ns_narr_value(m, S + i * t.nh, h, t.mix);
					if (!(s >= lo && s < hi) && !(t.empty[i] && m->heads[h].kind == NS_HEAD_COARSE) &&
					    !(m->heads[h].kind == NS_HEAD_OTHER && s >= lo))
						continue;
					delta += article_obj(&t, i, trial, fb, NULL) - t.cur[i];
				}
				if (delta > best_delta + 1e-9) {
					best_delta = delta;
					bestv = v;
				}
			}
			if (bestv != old) {
				float lo = bestv < old ? bestv : old, hi = bestv < old ? old : bestv;
				theta[h] = bestv;
				for (size_t i = 0; i < n; i++) {
					float s = ns_narr_value(m, S + i * t.nh, h, t.mix);
					if (!(s >= lo && s < hi) && !(t.empty[i] && m->heads[h].kind == NS_HEAD_COARSE) &&
					    !(m->heads[h].kind == NS_HEAD_OTHER && s >= lo))
						continue;
					t.cur[i] = article_obj(&t, i, theta, fb, &t.empty[i]);
				}
				moved++;
			}
		}
		if (moved == 0)
			break;
	}
	/* 4. the pruning margin and the subnarrative fallback, each on its own grid
	 * (0 = off), with every threshold fixed: they only change articles with more
	 * than one narrative or a narrative without subnarrative, after the rest */
	if (p->prune || p->fine_fallback) {
		double best = full_obj(&t, theta, fb, 0);
		for (int pass = 0; pass < 2; pass++) {
			if (p->prune)
				best = tune_margin(&t, &t.prune, theta, fb, best);
			if (p->fine_fallback)
				best = tune_margin(&t, &t.ffb, theta, fb, best);
		}
	}
	*fallback = fb;
	*mix = bestmix;
	*prune = t.prune;
	*fine_fallback = t.ffb;
cleanup:
	free(t.cur);
	free(t.empty);
	free(trial);
	return rc;
}
