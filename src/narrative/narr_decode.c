/* Decoding head scores into consistent narrative labels, and the per-article F1
 * used by threshold tuning.
 *
 * Rule 0 (parameter ef1, narr_ef1.c) replaces rules 2-6 when the model has its
 * calibration: the set with the largest expected F1 under calibrated
 * probabilities. Otherwise the rules, in order:
 *  1. With a domain head, the article's domain is the best-scoring domain and
 *     labels of other domains are not considered.
 *  2. A head is on when its decision value reaches its threshold; the value of a
 *     subnarrative head is its score plus `mix` times its narrative head's score.
 *  3. A subnarrative implies its narrative.
 *  4. When nothing is on and the fallback is enabled, the coarse head with the
 *     highest score minus threshold is taken if that margin is >= -fallback.
 *  4b. Pruning (m->prune > 0): a narrative whose strength (the largest margin
 *     among its own head and its subnarratives' heads that are on) is more than
 *     `prune` below the article's strongest narrative is dropped with its
 *     subnarratives, so an article with one clear narrative does not collect
 *     marginal ones. Rule 4's fallback narrative is never pruned (it is alone).
 *  4c. Subnarrative fallback (m->fine_fallback > 0): a narrative that is on with no
 *     subnarrative on takes its best subnarrative head when that head's margin is
 *     >= -fine_fallback (possibly its "<narrative>: Other" head).
 *  5. A narrative without any subnarrative gets "<narrative>: Other".
 *  6. Nothing on: "Other" (coarse) / "Other" (fine).
 * An "article without narrative" head (NS_HEAD_OTHER) that is on vetoes rules 2-5. */
#include <stdlib.h>
#include <string.h>

#include "narr.h"

double ns_narr__f1(const int32_t *g, size_t ng, const int32_t *p, size_t np)
{
	/* both sorted increasing and unique (decode output, gold after sorting) */
	size_t i = 0, j = 0, tp = 0;
	while (i < ng && j < np) {
		if (g[i] == p[j]) {
			tp++;
			i++;
			j++;
		} else if (g[i] < p[j]) {
			i++;
		} else {
			j++;
		}
	}
	size_t den = 2 * tp + (ng - tp) + (np - tp);
	return den ? 2.0 * (double)tp / (double)den : 0.0;
}

int ns_narr__link_heads(ns_narr_model *m)
{
	free(m->hparent);
	m->hparent = ns_malloc((m->nheads + 1) * sizeof *m->hparent);
	if (!m->hparent)
		return NS_ENOMEM;
	for (size_t h = 0; h < m->nheads; h++) {
		m->hparent[h] = -1;
		if (m->heads[h].kind != NS_HEAD_FINE)
			continue;
		int32_t c = m->L.fine_parent[m->heads[h].label];
		for (size_t k = 0; k < m->nheads && c >= 0; k++)
			if (m->heads[k].kind == NS_HEAD_COARSE && m->heads[k].label == c)
				m->hparent[h] = (int32_t)k;
	}
	return 0;
}

void ns_narr_decode(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
		    float fallback)
{
	ns_narr_decode_mix(d, m, scores, theta, fallback, m->mix);
}

void ns_narr_decode_mix(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
			float fallback, float mix)
{
	ns_narr_decode_rule r = {fallback, mix, m->prune, m->fine_fallback, 1};
	ns_narr_decode_ext(d, m, scores, theta, &r);
}

void ns_narr_decode_ext(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
			const ns_narr_decode_rule *rule)
{
	if (rule->ef1 && m->has_cal) {
		ns_narr__ef1_decode(d, m, scores, theta, rule->mix);
		return;
	}
	const ns_narr_labels *L = &m->L;
	uint8_t con[NS_NARR_MAX_COARSE], fon[NS_NARR_MAX_FINE];
	float cstr[NS_NARR_MAX_COARSE];  /* strength of each narrative that is on (rule 4b) */
	float fbest[NS_NARR_MAX_COARSE]; /* best subnarrative margin per narrative (rule 4c) */
	int32_t fbest_i[NS_NARR_MAX_COARSE];
	size_t nc = L->ncoarse < NS_NARR_MAX_COARSE ? L->ncoarse : NS_NARR_MAX_COARSE;
	size_t nf = L->nfine < NS_NARR_MAX_FINE ? L->nfine : NS_NARR_MAX_FINE;
	float mix = rule->mix;
	int any = 0;
	memset(con, 0, nc);
	memset(fon, 0, nf);
	for (size_t c = 0; c < nc; c++) {
		cstr[c] = -1e30f;
		fbest[c] = -1e30f;
		fbest_i[c] = -1;
	}
	d->ncoarse = d->nfine = 0;
	d->domain = -1;
	d->raw_any = 0;

	float best_dom = 0;
	for (size_t h = 0; h < m->nheads; h++)
		if (m->heads[h].kind == NS_HEAD_DOMAIN && (d->domain < 0 || scores[h] > best_dom)) {
			d->domain = m->heads[h].label;
			best_dom = scores[h];
		}
	int veto = 0;
	size_t best_c = (size_t)-1;
	float best_margin = 0;
	for (size_t h = 0; h < m->nheads; h++) {
		const ns_narr_head *hd = &m->heads[h];
		if (hd->kind == NS_HEAD_DOMAIN)
			continue;
		if (hd->kind == NS_HEAD_OTHER) {
			if (scores[h] >= theta[h])
				veto = 1;
			continue;
		}
		int32_t c = hd->kind == NS_HEAD_COARSE ? hd->label : L->fine_parent[hd->label];
		if (d->domain >= 0 && c >= 0 && L->coarse_domain[c] >= 0 && L->coarse_domain[c] != d->domain)
			continue;
		float margin = ns_narr_value(m, scores, h, mix) - theta[h];
		if (hd->kind == NS_HEAD_COARSE && (size_t)hd->label < nc) {
			if (best_c == (size_t)-1 || margin > best_margin) {
				best_c = (size_t)hd->label;
				best_margin = margin;
			}
		}
		if (hd->kind == NS_HEAD_FINE && c >= 0 && (size_t)c < nc && (size_t)hd->label < nf &&
		    margin > fbest[c]) {
			fbest[c] = margin;
			fbest_i[c] = hd->label;
		}
		if (margin < 0)
			continue;
		if (hd->kind == NS_HEAD_COARSE) {
			if ((size_t)c < nc) {
				con[c] = 1, any = 1;
				if (margin > cstr[c])
					cstr[c] = margin;
			}
		} else if ((size_t)hd->label < nf) {
			fon[hd->label] = 1;
			any = 1;
			if (c >= 0 && (size_t)c < nc) {
				con[c] = 1;
				if (margin > cstr[c])
					cstr[c] = margin;
			}
		}
	}
	if (veto)
		any = 0;
	d->raw_any = any;
	if (any && rule->prune > 0) {
		float top = -1e30f;
		for (size_t c = 0; c < nc; c++)
			if (con[c] && cstr[c] > top)
				top = cstr[c];
		for (size_t c = 0; c < nc; c++)
			if (con[c] && cstr[c] < top - rule->prune)
				con[c] = 0;
		for (size_t f = 0; f < nf; f++)
			if (fon[f] && L->fine_parent[f] >= 0 && (size_t)L->fine_parent[f] < nc && !con[L->fine_parent[f]])
				fon[f] = 0;
	}
	if (!any && !veto && m->p.fallback && best_c != (size_t)-1 && best_margin >= -rule->fallback) {
		con[best_c] = 1;
		any = 1;
	}
	if (!any) {
		if (L->coarse_other >= 0)
			d->coarse[d->ncoarse++] = L->coarse_other;
		if (L->fine_other_bare >= 0)
			d->fine[d->nfine++] = L->fine_other_bare;
		return;
	}
	uint8_t has[NS_NARR_MAX_COARSE];
	memset(has, 0, nc);
	for (size_t f = 0; f < nf; f++)
		if (fon[f] && L->fine_parent[f] >= 0 && (size_t)L->fine_parent[f] < nc)
			has[L->fine_parent[f]] = 1;
	for (size_t c = 0; c < nc; c++) {
		if (!con[c])
			continue;
		d->coarse[d->ncoarse++] = (int32_t)c;
		if (!has[c] && rule->fine_fallback > 0 && fbest_i[c] >= 0 && fbest[c] >= -rule->fine_fallback) {
			fon[fbest_i[c]] = 1;
			has[c] = 1;
		}
		if (!has[c] && L->fine_other[c] >= 0)
			fon[L->fine_other[c]] = 1;
	}
	for (size_t f = 0; f < nf; f++)
		if (fon[f])
			d->fine[d->nfine++] = (int32_t)f;
}
