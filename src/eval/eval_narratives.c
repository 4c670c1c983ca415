/* Subtask 2 (narrative classification) metric: F1-samples over the coarse and
 * the fine class lists, mean and population standard deviation over articles.
 *
 * DESIGN: this is sklearn f1_score(average="samples") on MultiLabelBinarizer
 * vectors over a fixed class list: per article 2TP/(2TP+FP+FN), and 0 for an
 * article whose gold and predicted vectors are both all-zero (sklearn's default
 * zero_division). Labels not in the list never enter the vectors, so they are
 * ignored (counted in n_ignored), as the official scorer does. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "util/util.h"

#define GN (opts && opts->gold_name ? opts->gold_name : "gold")
#define PN (opts && opts->pred_name ? opts->pred_name : "prediction")

/* Marks the valid distinct indices of s in mark[] with bit `bit`. */
static void mark_set(unsigned char *mark, const int32_t *s, size_t n, size_t nclasses, unsigned char bit)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0 && (size_t)s[i] < nclasses)
			mark[s[i]] |= bit;
}

static double f1_marked(unsigned char *mark, const int32_t *g, size_t ng, const int32_t *p, size_t np,
			size_t nclasses)
{
	size_t tp = 0, fp = 0, fn = 0;
	mark_set(mark, g, ng, nclasses, 1);
	mark_set(mark, p, np, nclasses, 2);
	/* count over the touched classes only, clearing as we go */
	for (int pass = 0; pass < 2; pass++) {
		const int32_t *s = pass ? p : g;
		size_t n = pass ? np : ng;
		for (size_t i = 0; i < n; i++) {
			if (s[i] < 0 || (size_t)s[i] >= nclasses)
				continue;
			unsigned char m = mark[s[i]];
			if (m == 3)
				tp++;
			else if (m == 1)
				fn++;
			else if (m == 2)
				fp++;
			mark[s[i]] = 0;
		}
	}
	size_t den = 2 * tp + fp + fn;
	return den ? (double)(2 * tp) / (double)den : 0.0;
}

double ns_eval_f1_set(const int32_t *gold, size_t ngold, const int32_t *pred, size_t npred, size_t nclasses)
{
	unsigned char *mark = ns_calloc(nclasses ? nclasses : 1, 1);
	if (!mark)
		return 0.0;
	double f = f1_marked(mark, gold, ngold, pred, npred, nclasses);
	free(mark);
	return f;
}

int ns_eval_f1_samples_idx(ns_eval_samples *out, const int32_t *const *gold_sets,
			   const size_t *gold_counts, const int32_t *const *pred_sets,
			   const size_t *pred_counts, size_t n, size_t nclasses, double *per_article)
{
	unsigned char *mark = ns_calloc(nclasses ? nclasses : 1, 1);
	double *f = per_article ? per_article : ns_calloc(n ? n : 1, sizeof(double));
	memset(out, 0, sizeof *out);
	if (!mark || !f) {
		free(mark);
		if (f != per_article)
			free(f);
		return NS_ENOMEM;
	}
	double sum = 0.0;
	for (size_t i = 0; i < n; i++) {
		f[i] = f1_marked(mark, gold_sets[i], gold_counts[i], pred_sets[i], pred_counts[i], nclasses);
		sum += f[i];
	}
	/* numpy mean/std: mean = sum/n, std = sqrt(sum((x-mean)^2)/n) */
	double mean = n ? sum / (double)n : 0.0, ss = 0.0;
	for (size_t i = 0; i < n; i++)
		ss += (f[i] - mean) * (f[i] - mean);
	out->n = n;
	out->mean = mean;
	out->std = n ? sqrt(ss / (double)n) : 0.0;
	free(mark);
	if (f != per_article)
		free(f);
	return 0;
}

/* Maps labels to indices; unknown labels are dropped and counted. */
static int to_idx(int32_t **out, size_t *nout, char **labels, size_t n, const ns_taxonomy *t, bool fine,
		  size_t *ignored)
{
	*out = ns_calloc(n ? n : 1, sizeof(int32_t));
	*nout = 0;
	if (!*out)
		return NS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(labels[i]);
		int32_t k = fine ? ns_taxonomy_find_fine(t, labels[i], l) : ns_taxonomy_find_coarse(t, labels[i], l);
		if (k < 0)
			(*ignored)++;
		else
			(*out)[(*nout)++] = k;
	}
	return 0;
}

/* Pairs prediction rows with gold rows by article id (see eval.h). */
int ns_eval__pair_by_id(int32_t *pi, const void *gold, size_t ngold, const void *pred, size_t npred,
			size_t stride, size_t id_off, size_t line_off, const char *gn, const char *pn)
{
#define ROW_ID(base, i) (*(char *const *)((const char *)(base) + (i) * stride + id_off))
#define ROW_LINE(base, i) (*(const int *)((const char *)(base) + (i) * stride + line_off))
	ns_strmap *ids = NULL;
	int rc = 0;
	bool ins;
	if (ns_strmap_new(&ids) < 0)
		return NS_ENOMEM;
	for (size_t i = 0; i < ngold; i++) {
		const char *id = ROW_ID(gold, i);
		int32_t *slot = ns_strmap_put(ids, id, strlen(id), (int32_t)i, &ins);
		if (!slot) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if (!ins) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: article id '%s' repeats line %d", gn,
					   ROW_LINE(gold, i), id, ROW_LINE(gold, (size_t)*slot));
			goto cleanup;
		}
		pi[i] = -1;
	}
	for (size_t i = 0; i < npred; i++) {
		const char *id = ROW_ID(pred, i);
		int32_t gi;
		if (!ns_strmap_get(ids, id, strlen(id), &gi)) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: article id '%s' is not in the gold file",
					   pn, ROW_LINE(pred, i), id);
			goto cleanup;
		}
		if (pi[gi] >= 0) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: article id '%s' repeats line %d", pn,
					   ROW_LINE(pred, i), id, ROW_LINE(pred, (size_t)pi[gi]));
			goto cleanup;
		}
		pi[gi] = (int32_t)i;
	}
cleanup:
	ns_strmap_free(ids);
	return rc;
#undef ROW_ID
#undef ROW_LINE
}

int ns_eval_narratives_tables(ns_eval_narratives *out, const ns_tsv_narrs *gold, const ns_tsv_narrs *pred,
			      const ns_taxonomy *tax, const ns_eval_opts *opts)
{
	int32_t *pi = NULL; /* gold row -> pred row or -1 */
	int32_t **sets = NULL;
	size_t *counts = NULL;
	size_t n = gold->n;
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (n == 0)
		return ns_error__set(NS_EFORMAT, "gold file has no lines");
	if (!(pi = ns_calloc(n, sizeof *pi)) ||
	    !(sets = ns_calloc(4 * n, sizeof *sets)) || !(counts = ns_calloc(4 * n, sizeof *counts))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = ns_eval__pair_by_id(pi, gold->rows, n, pred->rows, pred->n, sizeof *gold->rows,
				      offsetof(ns_tsv_narr_row, article_id), offsetof(ns_tsv_narr_row, line),
				      GN, PN)) < 0)
		goto cleanup;
	/* sets: [0,n) gold coarse, [n,2n) pred coarse, [2n,3n) gold fine, [3n,4n) pred fine */
	for (size_t i = 0; i < n; i++) {
		const ns_tsv_narr_row *g = &gold->rows[i];
		const ns_tsv_narr_row *p = pi[i] >= 0 ? &pred->rows[pi[i]] : NULL;
		if (!p) {
			if (opts && opts->strict) {
				rc = ns_error__set(NS_EFORMAT, "%s:%d: article id '%s' has no prediction", GN, g->line,
						   g->article_id);
				goto cleanup;
			}
			out->n_missing++;
		}
		if ((rc = to_idx(&sets[i], &counts[i], g->coarse, g->ncoarse, tax, false, &out->n_ignored)) < 0 ||
		    (rc = to_idx(&sets[n + i], &counts[n + i], p ? p->coarse : NULL, p ? p->ncoarse : 0, tax, false,
				 &out->n_ignored)) < 0 ||
		    (rc = to_idx(&sets[2 * n + i], &counts[2 * n + i], g->fine, g->nfine, tax, true,
				 &out->n_ignored)) < 0 ||
		    (rc = to_idx(&sets[3 * n + i], &counts[3 * n + i], p ? p->fine : NULL, p ? p->nfine : 0, tax, true,
				 &out->n_ignored)) < 0)
			goto cleanup;
	}
	if ((rc = ns_eval_f1_samples_idx(&out->coarse, (const int32_t *const *)sets, counts,
					 (const int32_t *const *)(sets + n), counts + n, n,
					 ns_taxonomy_ncoarse(tax), NULL)) < 0 ||
	    (rc = ns_eval_f1_samples_idx(&out->fine, (const int32_t *const *)(sets + 2 * n), counts + 2 * n,
					 (const int32_t *const *)(sets + 3 * n), counts + 3 * n, n,
					 ns_taxonomy_nfine(tax), NULL)) < 0)
		goto cleanup;
cleanup:
	if (sets)
		for (size_t i = 0; i < 4 * n; i++)
			free(sets[i]);
	free(sets);
	free(counts);
	free(pi);
	return rc;
}
