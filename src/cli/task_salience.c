/* The salience part of the "framing" task: from each training article with
 * subtask-1 annotations, every entity the entity stage finds is an example,
 * "framed" when one of its mentions overlaps an annotated mention; the
 * framed/unframed model (frame/salience.c) is cross-validated on the framing
 * folds and trained into the bundle section NS_FRAME_SALIENCE_SECTION.
 *
 * DESIGN: articles without subtask-1 lines give no examples (they were not
 * annotated for roles, so their entities are not known to be unframed). The
 * reported figures are per language and their mean, as for the roles: ROC AUC
 * of the probability, and precision / recall / F1 of "framed" at 0.5, beside
 * the rule "named at least twice" as the reference an analyst would use. */
#include <stdlib.h>
#include <string.h>

#include "../entity/entity.h"
#include "../frame/frame.h"
#include "../io/taskdata.h"
#include "../model/manifest.h"
#include "tasks.h"

static const char *const sal_names[2] = {NS_FRAME_SALIENCE_FRAMED, NS_FRAME_SALIENCE_UNFRAMED};

void ns_task_sal_free(ns_task_sal *s)
{
	for (size_t i = 0; i < s->n; i++)
		ns_fbag_free(&s->ex[i].bag);
	free(s->ex);
	free(s->doc);
	free(s->nm);
	memset(s, 0, sizeof *s);
}

int ns_task_sal_collect(ns_task_sal *s, const ns_doc *doc, const ns_task_doc *td, const ns_frame_docctx *fx)
{
	const ns_entity_layer *L = doc->entities;
	ns_frame_salience_ctx c;
	int rc;
	if (!L || td->nmentions == 0)
		return 0;
	if ((rc = ns_frame_salience_init(&c, doc, fx)) < 0)
		return rc;
	for (size_t e = 0; e < L->nentities && rc == 0; e++) {
		const ns_entity *en = &L->entities[e];
		if (en->nmentions == 0)
			continue;
		if (s->n == s->cap) {
			size_t cap = s->cap;
			if (NS_GROW(s->ex, cap, s->n + 1) < 0 || (cap = s->cap, NS_GROW(s->doc, cap, s->n + 1)) < 0 ||
			    (cap = s->cap, NS_GROW(s->nm, cap, s->n + 1)) < 0) {
				rc = NS_ENOMEM;
				break;
			}
			s->cap = cap;
		}
		ns_frame_example *x = &s->ex[s->n];
		memset(x, 0, sizeof *x);
		x->main = 1;
		for (uint32_t k = 0; k < en->nmentions && x->main; k++) {
			const ns_mention *m = &L->mentions[en->mentions[k]];
			for (size_t g = 0; g < td->nmentions; g++) {
				const ns_task_mention *gm = &td->mentions[g];
				if (gm->align != NS_ALIGN_NONE && (int64_t)m->start < gm->end && gm->start < (int64_t)m->end) {
					x->main = 0;
					break;
				}
			}
		}
		s->doc[s->n] = td;
		s->nm[s->n] = en->nmentions;
		s->n++;
		rc = ns_frame_salience_features(&x->bag, &c, e);
	}
	ns_frame_salience_free(&c);
	return rc;
}

/* ROC AUC of scores p for labels y (1 framed) over the items with sel[i]; ties
 * count half (rank sums over sorted scores). */
typedef struct {
	double p;
	int y;
} scored;
static int cmp_scored(const void *a, const void *b)
{
	double x = ((const scored *)a)->p, y = ((const scored *)b)->p;
	return x < y ? -1 : x > y ? 1 : 0;
}
static double auc(scored *v, size_t n)
{
	size_t npos = 0;
	double rsum = 0;
	qsort(v, n, sizeof *v, cmp_scored);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j].p == v[i].p)
			j++;
		double r = (double)(i + j + 1) / 2.0; /* mean 1-based rank of the tie run */
		for (size_t q = i; q < j; q++)
			if (v[q].y) {
				rsum += r;
				npos++;
			}
		i = j;
	}
	size_t nneg = n - npos;
	if (!npos || !nneg)
		return 0.5;
	return (rsum - (double)npos * ((double)npos + 1) / 2.0) / ((double)npos * (double)nneg);
}

static double f1_of(size_t tp, size_t fp, size_t fn)
{
	return tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0.0;
}

/* The best F1 of "framed when p >= t" over t = 0.05, 0.10, ..., 0.95 (v sorted
 * by p increasing, as auc() leaves it), and that t. */
static double best_f1(const scored *v, size_t n, double *thr)
{
	size_t npos = 0;
	for (size_t i = 0; i < n; i++)
		npos += (size_t)v[i].y;
	double best = 0;
	*thr = 0.5;
	size_t i = 0, fn = 0, tn = 0; /* items below the threshold */
	for (int q = 1; q < 20; q++) {
		double t = q * 0.05;
		for (; i < n && v[i].p < t; i++)
			v[i].y ? fn++ : tn++;
		size_t tp = npos - fn, fp = n - i - tp;
		double f = f1_of(tp, fp, fn);
		if (f > best) {
			best = f;
			*thr = t;
		}
	}
	return best;
}

int ns_task_sal_cv(const ns_task_sal *s, const ns_task_doc *const *docs, const int *dfold, size_t ndocs, int k,
		   int threads, FILE *out, ns_buf *manifest)
{
	ns_frame_model *m = NULL;
	ns_frame_params p;
	ns_frame_salience_params(&p);
	ns_frame_example *sub = ns_calloc(s->n + 1, sizeof *sub);
	int *fold = ns_calloc(s->n + 1, sizeof *fold);
	double *prob = ns_calloc(s->n + 1, sizeof *prob);
	scored *v = ns_calloc(s->n + 1, sizeof *v);
	int rc = 0;
	if (!sub || !fold || !prob || !v) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0, d = 0; i < s->n; i++) { /* examples are in document order */
		while (d < ndocs && docs[d] != s->doc[i])
			d++;
		fold[i] = d < ndocs ? dfold[d] : 0;
	}
	for (int f = 0; f < k; f++) {
		size_t ns = 0;
		for (size_t i = 0; i < s->n; i++)
			if (fold[i] != f)
				sub[ns++] = s->ex[i]; /* shallow: bags shared */
		if ((rc = ns_frame_train(&m, sub, ns, sal_names, 2, NULL, NULL, 0, &p, threads)) < 0)
			goto cleanup;
		for (size_t i = 0; i < s->n; i++) {
			double sc[2];
			if (fold[i] != f)
				continue;
			if ((rc = ns_frame_score(m, &s->ex[i].bag, sc, NULL)) < 0)
				goto cleanup;
			prob[i] = ns_frame_salience_prob(sc);
		}
		ns_frame_model_free(m);
		m = NULL;
	}
	/* per language (order of first appearance), then the mean over languages */
	const char *langs[16];
	size_t nl = 0;
	for (size_t i = 0; i < s->n; i++) {
		size_t l = 0;
		while (l < nl && strcmp(langs[l], s->doc[i]->lang) != 0)
			l++;
		if (l == nl && nl < 16)
			langs[nl++] = s->doc[i]->lang;
	}
	double sum[7] = {0};
	size_t nfr = 0; /* framed examples, all languages */
	if (out)
		fprintf(out, "framed entities (salience model; detected entities of annotated articles, out of fold):\n"
			     "  %-5s %6s %6s  %-6s %-6s %-6s %-6s  %-13s %s\n",
			"lang", "ents", "framed", "AUC", "P@.5", "R@.5", "F1@.5", "best F1 (p>=)", "F1 of 'named 2+ times'");
	for (size_t l = 0; l <= nl; l++) {
		double r[7];
		size_t nv = 0, tp = 0, fp = 0, fn = 0, btp = 0, bfp = 0, bfn = 0;
		if (l < nl) {
			for (size_t i = 0; i < s->n; i++) {
				nfr += l == 0 && s->ex[i].main == 0;
				if (strcmp(s->doc[i]->lang, langs[l]) != 0)
					continue;
				int y = s->ex[i].main == 0, hat = prob[i] >= 0.5, base = s->nm[i] >= 2;
				v[nv].p = prob[i];
				v[nv++].y = y;
				tp += y && hat, fp += !y && hat, fn += y && !hat;
				btp += y && base, bfp += !y && base, bfn += y && !base;
			}
			r[0] = auc(v, nv);
			r[1] = tp + fp ? (double)tp / (double)(tp + fp) : 0;
			r[2] = tp + fn ? (double)tp / (double)(tp + fn) : 0;
			r[3] = f1_of(tp, fp, fn);
			r[4] = f1_of(btp, bfp, bfn);
			r[5] = best_f1(v, nv, &r[6]);
			for (int q = 0; q < 7; q++)
				sum[q] += r[q] / (double)nl;
		} else {
			memcpy(r, sum, sizeof r);
		}
		if (out)
			fprintf(out, "  %-5s %6zu %6zu  %.4f %.4f %.4f %.4f  %.4f (%.2f)  %.4f\n", l < nl ? langs[l] : "mean",
				l < nl ? nv : s->n, l < nl ? tp + fn : nfr, r[0], r[1], r[2], r[3], r[5], r[6], r[4]);
		if (manifest && l == nl) {
			ns_manifest_putf(manifest, "cv.framing.salience_auc.mean", "%.4f", r[0]);
			ns_manifest_putf(manifest, "cv.framing.salience_f1.mean", "%.4f", r[3]);
		}
	}
	if (manifest && ns_buf_failed(manifest))
		rc = NS_ENOMEM;
cleanup:
	ns_frame_model_free(m);
	free(sub);
	free(fold);
	free(prob);
	free(v);
	return rc;
}

int ns_task_sal_train(ns_bundle_writer *w, ns_task_sal *s, int threads, ns_buf *manifest)
{
	ns_frame_model *m = NULL;
	ns_frame_params p;
	ns_frame_salience_params(&p);
	ns_buf sec = NS_BUF_INIT;
	int rc;
	if (s->n == 0)
		return 0;
	if ((rc = ns_frame_train(&m, s->ex, s->n, sal_names, 2, NULL, NULL, 0, &p, threads)) < 0 ||
	    (rc = ns_frame_model_serialize(m, &sec)) < 0 ||
	    (rc = ns_bundle_writer_add(w, NS_FRAME_SALIENCE_SECTION, sec.ptr, sec.size)) < 0)
		goto cleanup;
	ns_manifest_putf(manifest, "data.framing.salience_entities", "%zu", s->n);
	if (ns_buf_failed(manifest))
		rc = NS_ENOMEM;
cleanup:
	ns_buf_free(&sec);
	ns_frame_model_free(m);
	return rc;
}
