/* Subtask 1 (entity framing) metrics: exact match ratio, fine-role micro
 * precision/recall/F1 and main-role accuracy, on paired items or on TSV tables.
 *
 * DESIGN: the official scorer pairs gold and prediction lines by file order; we
 * pair by the key (article_id, mention without '"', start, end), which agrees when
 * both files list the same keys in the same order and stays correct when they do
 * not. Micro counts follow sklearn's MultiLabelBinarizer + precision_recall_fscore
 * (average="micro", zero_division=1): a fine role listed twice counts once. */
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "util/util.h"

#define GN (opts && opts->gold_name ? opts->gold_name : "gold")
#define PN (opts && opts->pred_name ? opts->pred_name : "prediction")

static bool in_list(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return true;
	return false;
}

/* Number of distinct items of a that also occur (if in_b) or do not occur in b. */
static size_t count_distinct(const char *const *a, size_t na, const char *const *b, size_t nb, bool in_b)
{
	size_t c = 0;
	for (size_t i = 0; i < na; i++) {
		if (in_list(a[i], a, i)) /* repeat of an earlier item */
			continue;
		if (in_list(a[i], b, nb) == in_b)
			c++;
	}
	return c;
}

static double ratio_or_one(size_t num, size_t den)
{
	return den ? (double)num / (double)den : 1.0;
}

void ns_eval_framing_items(ns_eval_framing *out, const ns_eval_roles *gold, const ns_eval_roles *pred,
			   size_t n)
{
	size_t exact = 0, main_ok = 0, tp = 0, fp = 0, fn = 0, missing = 0;
	for (size_t i = 0; i < n; i++) {
		const ns_eval_roles *g = &gold[i], *p = &pred[i];
		const char *const *pf = p->main_role ? p->fine : NULL;
		size_t npf = p->main_role ? p->nfine : 0;
		if (!p->main_role)
			missing++;
		bool main_eq = p->main_role && g->main_role && strcmp(p->main_role, g->main_role) == 0;
		if (main_eq)
			main_ok++;
		if (main_eq && npf == g->nfine) {
			bool eq = true;
			for (size_t k = 0; k < npf && eq; k++)
				eq = strcmp(pf[k], g->fine[k]) == 0;
			if (eq)
				exact++;
		}
		tp += count_distinct(g->fine, g->nfine, pf, npf, true);
		fn += count_distinct(g->fine, g->nfine, pf, npf, false);
		fp += count_distinct(pf, npf, g->fine, g->nfine, false);
	}
	memset(out, 0, sizeof *out);
	out->n_gold = n;
	out->n_missing = missing;
	out->tp = tp;
	out->fp = fp;
	out->fn = fn;
	out->emr = n ? (double)exact / (double)n : 0.0;
	out->main_acc = n ? (double)main_ok / (double)n : 0.0;
	out->micro_p = ratio_or_one(tp, tp + fp);
	out->micro_r = ratio_or_one(tp, tp + fn);
	out->micro_f1 = ratio_or_one(2 * tp, 2 * tp + fp + fn);
}

/* "id\x1fkey\x1fstart\x1fend" */
static char *row_key(const ns_tsv_role_row *r, size_t *len)
{
	ns_buf b = NS_BUF_INIT;
	ns_buf_printf(&b, "%s\x1f%s\x1f%lld\x1f%lld", r->article_id, r->key, (long long)r->start,
		      (long long)r->end);
	if (ns_buf_failed(&b)) {
		ns_buf_free(&b);
		return NULL;
	}
	return ns_buf_detach(&b, len);
}

int ns_eval_framing_tables(ns_eval_framing *out, const ns_tsv_roles *gold, const ns_tsv_roles *pred,
			   const ns_eval_opts *opts)
{
	ns_strmap *keys = NULL, *ids = NULL;
	ns_eval_roles *g = NULL, *p = NULL;
	int rc = 0;
	bool ins;
	memset(out, 0, sizeof *out);
	if (gold->n == 0)
		return ns_error__set(NS_EFORMAT, "gold file has no lines");
	if (ns_strmap_new(&keys) < 0 || ns_strmap_new(&ids) < 0 ||
	    !(g = ns_calloc(gold->n, sizeof *g)) || !(p = ns_calloc(gold->n, sizeof *p))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < gold->n; i++) {
		const ns_tsv_role_row *r = &gold->rows[i];
		size_t kl;
		char *k = row_key(r, &kl);
		int32_t *slot = k ? ns_strmap_put(keys, k, kl, (int32_t)i, &ins) : NULL;
		free(k);
		if (!slot || !ns_strmap_put(ids, r->article_id, strlen(r->article_id), 0, &ins)) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if (*slot != (int32_t)i) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: mention '%s' %lld-%lld of %s repeats line %d",
					   GN, r->line, r->mention, (long long)r->start, (long long)r->end,
					   r->article_id, gold->rows[*slot].line);
			goto cleanup;
		}
		if (!r->main_role) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: no roles", GN, r->line);
			goto cleanup;
		}
		g[i] = (ns_eval_roles){r->main_role, (const char *const *)r->fine_roles, r->nfine_roles};
	}
	for (size_t i = 0; i < pred->n; i++) {
		const ns_tsv_role_row *r = &pred->rows[i];
		size_t kl;
		int32_t gi, dummy;
		char *k = row_key(r, &kl);
		if (!k) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		bool found = ns_strmap_get(keys, k, kl, &gi);
		free(k);
		if (!ns_strmap_get(ids, r->article_id, strlen(r->article_id), &dummy)) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: article id '%s' is not in the gold file",
					   PN, r->line, r->article_id);
			goto cleanup;
		}
		if (!found) {
			rc = ns_error__set(NS_EFORMAT,
					   "%s:%d: mention '%s' %lld-%lld of %s is not in the gold file",
					   PN, r->line, r->mention, (long long)r->start, (long long)r->end, r->article_id);
			goto cleanup;
		}
		if (p[gi].main_role) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: mention '%s' %lld-%lld of %s predicted twice",
					   PN, r->line, r->mention, (long long)r->start, (long long)r->end, r->article_id);
			goto cleanup;
		}
		if (!r->main_role) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: no roles", PN, r->line);
			goto cleanup;
		}
		p[gi] = (ns_eval_roles){r->main_role, (const char *const *)r->fine_roles, r->nfine_roles};
	}
	if (opts && opts->strict)
		for (size_t i = 0; i < gold->n; i++)
			if (!p[i].main_role) {
				const ns_tsv_role_row *r = &gold->rows[i];
				rc = ns_error__set(NS_EFORMAT, "%s:%d: mention '%s' %lld-%lld of %s has no prediction",
						   GN, r->line, r->mention, (long long)r->start, (long long)r->end,
						   r->article_id);
				goto cleanup;
			}
	ns_eval_framing_items(out, g, p, gold->n);
cleanup:
	ns_strmap_free(keys);
	ns_strmap_free(ids);
	free(g);
	free(p);
	return rc;
}
