/* Cross-validation of the narrative classifier (see narr.h): shared folds,
 * one full training (with its own inner CV for thresholds) per fold, F1-samples
 * per language on the pooled out-of-fold decisions, and the spread across folds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../eval/eval.h"
#include "../learn/folds.h"
#include "narr.h"

typedef struct pred_sets {
	int32_t *coarse, *fine;
	size_t ncoarse, nfine;
} pred_sets;

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Experiment hook (NS_NARR_OOF=FILE, as NS_FRAMING_OOF), read by
 * bench/narr_oof.py. First the label space, one line per label:
 *   #coarse <TAB> index <TAB> name <TAB> index of its fine "<name>: Other" (-1)
 *           <TAB> its domain (-1: none; the label of the domain heads)
 *   #fine <TAB> index <TAB> name <TAB> index of its narrative (-1)
 *   #other <TAB> coarse "Other" index <TAB> fine "Other" index (-1: none)
 * then one line per out-of-fold article: id, language, fold, gold coarse and
 * fine indices, the fold model's mix, fallback, prune and fine_fallback, its
 * calibration of decoding rule 0 (2 x narratives + 3 comma-separated values, or
 * "-" without one; narr_ef1.c), then per head kind:label:score:threshold
 * (floats with 9 significant digits, so they read back exactly). */
static void oof_header(FILE *f, const ns_narr_labels *L)
{
	for (size_t c = 0; c < L->ncoarse; c++)
		fprintf(f, "#coarse\t%zu\t%s\t%d\t%d\n", c, L->coarse[c], (int)L->fine_other[c],
			(int)L->coarse_domain[c]);
	for (size_t k = 0; k < L->nfine; k++)
		fprintf(f, "#fine\t%zu\t%s\t%d\n", k, L->fine[k], (int)L->fine_parent[k]);
	fprintf(f, "#other\t%d\t%d\n", (int)L->coarse_other, (int)L->fine_other_bare);
}

static void oof_dump(FILE *f, const ns_narr_model *m, const ns_narr_example *e, const char *id, const char *lang,
		     int fold, const float *scores)
{
	fprintf(f, "%s\t%s\t%d\t", id, lang, fold);
	for (size_t k = 0; k < e->ncoarse; k++)
		fprintf(f, "%s%d", k ? "," : "", (int)e->coarse[k]);
	fputc('\t', f);
	for (size_t k = 0; k < e->nfine; k++)
		fprintf(f, "%s%d", k ? "," : "", (int)e->fine[k]);
	fprintf(f, "\t%.9g\t%.9g\t%.9g\t%.9g\t", (double)m->mix, (double)m->fallback, (double)m->prune,
		(double)m->fine_fallback);
	if (!m->has_cal)
		fputc('-', f);
	for (size_t k = 0; m->has_cal && k < 2 * ns_narr__ncal(m) + 3; k++)
		fprintf(f, "%s%.9g", k ? "," : "", (double)m->cal[k]);
	fputc('\t', f);
	for (size_t h = 0; h < m->nheads; h++)
		fprintf(f, "%s%d:%d:%.9g:%.9g", h ? " " : "", m->heads[h].kind, (int)m->heads[h].label,
			(double)scores[h], (double)m->theta[h]);
	fputc('\n', f);
}

static double sd(const double *v, size_t n)
{
	if (n == 0)
		return 0;
	double m = 0, s = 0;
	for (size_t i = 0; i < n; i++)
		m += v[i];
	m /= (double)n;
	for (size_t i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return sqrt(s / (double)n);
}

int ns_narr_cv(ns_narr_cv_result *res, const ns_narr_corpus *c, const ns_narr_labels *L, const ns_narr_params *p,
	       int folds, uint64_t seed, int threads, int progress, const char *dump_folds)
{
	int rc = 0;
	int *fold = NULL, *lang_of = NULL;
	size_t *rows = NULL;
	pred_sets *pred = NULL;
	float *scores = NULL;
	ns_narr_model *m = NULL;
	double t0 = now_sec();
	size_t dom_n = 0, dom_ok = 0;
	size_t na = c->narticles;
	char what[64];

	const char *oof_path = getenv("NS_NARR_OOF");
	FILE *oof = oof_path ? fopen(oof_path, "w") : NULL;
	memset(res, 0, sizeof *res);
	if (oof_path && !oof)
		return ns_error__set(NS_EIO, "%s: cannot write", oof_path);
	if (oof)
		oof_header(oof, L);
	fold = ns_calloc(na + 1, sizeof *fold);
	lang_of = ns_calloc(na + 1, sizeof *lang_of);
	rows = ns_calloc(c->n + 1, sizeof *rows);
	pred = ns_calloc(na + 1, sizeof *pred);
	if (!fold || !lang_of || !rows || !pred) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = ns_folds_assign(fold, c->ids, c->langs, na, folds, seed)) < 0)
		goto cleanup;
	if (dump_folds && (rc = ns_folds_dump(dump_folds, fold, c->ids, c->langs, na)) < 0)
		goto cleanup;
	for (size_t i = 0; i < na; i++) {
		size_t l = 0;
		while (l < res->nlangs && strcmp(res->langs[l].lang, c->langs[i]) != 0)
			l++;
		if (l == res->nlangs) {
			if (res->nlangs == NS_NARR_CV_MAX_LANGS) {
				rc = ns_error__set(NS_ELIMIT, "cv: more than %d languages", NS_NARR_CV_MAX_LANGS);
				goto cleanup;
			}
			snprintf(res->langs[l].lang, sizeof res->langs[l].lang, "%s", c->langs[i]);
			res->nlangs++;
		}
		lang_of[i] = (int)l;
		res->langs[l].docs++;
	}
	for (int f = 0; f < folds; f++) {
		size_t nr = 0;
		for (size_t i = 0; i < c->n; i++) {
			size_t own = i < na ? i + 1 : c->ex[i].explains; /* 0: a description */
			if (own == 0 || fold[own - 1] != f)
				rows[nr++] = i;
		}
		snprintf(what, sizeof what, "fold %d/%d", f + 1, folds);
		ns_narr_train_ctx ctx = {threads, progress, what};
		if ((rc = ns_narr_train(&m, L, c->ex, rows, nr, p, &ctx)) < 0)
			goto cleanup;
		free(scores);
		scores = ns_calloc(m->nheads + 1, sizeof *scores);
		if (!scores) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		ns_narr_decision d;
		for (size_t i = 0; i < na; i++) {
			if (fold[i] != f)
				continue;
			if ((rc = ns_narr_model_scores(m, &c->ex[i].x, scores)) < 0)
				goto cleanup;
			ns_narr_decode_mix(&d, m, scores, m->theta, m->fallback, m->mix);
			if (oof)
				oof_dump(oof, m, &c->ex[i], c->ids[i], c->langs[i], f, scores);
			if (d.domain >= 0 && c->ex[i].domain >= 0) {
				dom_n++;
				dom_ok += d.domain == c->ex[i].domain;
			}
			pred[i].coarse = ns_malloc((d.ncoarse + 1) * sizeof(int32_t));
			pred[i].fine = ns_malloc((d.nfine + 1) * sizeof(int32_t));
			if (!pred[i].coarse || !pred[i].fine) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			memcpy(pred[i].coarse, d.coarse, d.ncoarse * sizeof(int32_t));
			memcpy(pred[i].fine, d.fine, d.nfine * sizeof(int32_t));
			pred[i].ncoarse = d.ncoarse;
			pred[i].nfine = d.nfine;
		}
		ns_narr_model_free(m);
		m = NULL;
	}
	/* scores: per language pooled, and per (fold, language) for the spread */
	double fc_mean[NS_NARR_CV_MAX_LANGS][64], ff_mean[NS_NARR_CV_MAX_LANGS][64];
	size_t cnt[NS_NARR_CV_MAX_LANGS][64];
	memset(fc_mean, 0, sizeof fc_mean);
	memset(ff_mean, 0, sizeof ff_mean);
	memset(cnt, 0, sizeof cnt);
	for (size_t i = 0; i < na; i++) {
		const ns_narr_example *e = &c->ex[i];
		/* the official per-article F1 (src/eval), over the taxonomy's lists */
		double fc = ns_eval_f1_set(e->coarse, e->ncoarse, pred[i].coarse, pred[i].ncoarse, L->ncoarse);
		double ff = ns_eval_f1_set(e->fine, e->nfine, pred[i].fine, pred[i].nfine, L->nfine);
		ns_narr_cv_lang *lg = &res->langs[lang_of[i]];
		lg->coarse += fc;
		lg->fine += ff;
		if (fold[i] < 64) {
			fc_mean[lang_of[i]][fold[i]] += fc;
			ff_mean[lang_of[i]][fold[i]] += ff;
			cnt[lang_of[i]][fold[i]]++;
		}
	}
	int nf = folds < 64 ? folds : 64;
	double mc[64] = {0}, mf[64] = {0};
	for (size_t l = 0; l < res->nlangs; l++) {
		ns_narr_cv_lang *lg = &res->langs[l];
		lg->coarse /= (double)lg->docs;
		lg->fine /= (double)lg->docs;
		double vc[64], vf[64];
		int k = 0;
		for (int f = 0; f < nf; f++)
			if (cnt[l][f]) {
				vc[k] = fc_mean[l][f] / (double)cnt[l][f];
				vf[k] = ff_mean[l][f] / (double)cnt[l][f];
				mc[f] += vc[k] / (double)res->nlangs;
				mf[f] += vf[k] / (double)res->nlangs;
				k++;
			}
		lg->coarse_sd = sd(vc, (size_t)k);
		lg->fine_sd = sd(vf, (size_t)k);
		res->coarse += lg->coarse / (double)res->nlangs;
		res->fine += lg->fine / (double)res->nlangs;
	}
	res->coarse_sd = sd(mc, (size_t)nf);
	res->fine_sd = sd(mf, (size_t)nf);
	res->seconds = now_sec() - t0;
	res->domain_acc = dom_n ? (double)dom_ok / (double)dom_n : 0;
cleanup:
	if (oof)
		fclose(oof);
	ns_narr_model_free(m);
	if (pred)
		for (size_t i = 0; i < na; i++) {
			free(pred[i].coarse);
			free(pred[i].fine);
		}
	free(pred);
	free(scores);
	free(fold);
	free(lang_of);
	free(rows);
	return rc;
}

void ns_narr_cv_print(FILE *out, const ns_narr_cv_result *res)
{
	fprintf(out, "%-6s %6s  %-16s %-16s\n", "lang", "docs", "F1coarse (sd)", "F1fine (sd)");
	for (size_t l = 0; l < res->nlangs; l++) {
		const ns_narr_cv_lang *lg = &res->langs[l];
		fprintf(out, "%-6s %6zu  %.3f (%.3f)    %.3f (%.3f)\n", lg->lang, lg->docs, lg->coarse, lg->coarse_sd,
			lg->fine, lg->fine_sd);
	}
	fprintf(out, "%-6s %6s  %.3f (%.3f)    %.3f (%.3f)\n", "mean", "", res->coarse, res->coarse_sd, res->fine,
		res->fine_sd);
	fprintf(out, "(F1-samples per language over out-of-fold articles; sd across folds; mean over %zu languages; "
		     "domain accuracy %.3f; %.1f s)\n",
		res->nlangs, res->domain_acc, res->seconds);
}
