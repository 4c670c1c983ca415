/* Task "explanations" (SemEval-2025 subtask 3) for train, cv and predict: learns
 * the explanation word weights (src/narrative/explain.h), cross-validates them
 * against the gold explanations with ROUGE-L F1 and token F1 side by side with
 * the lead-sentences baseline, and writes the official subtask-3 TSV.
 *
 * DESIGN: as in the shared task, the dominant narrative of a gold article is an
 * input (cv takes it from subtask-3-annotations.txt); predict takes it from the
 * bundle's narrative model (the highest-scoring decoded narrative). Articles are
 * processed once (text, entities when a gazetteer is found, claims); each fold
 * retrains the small explanation model, which takes milliseconds. The official
 * metric (BERTScore) cannot run here, so ROUGE-L and token F1 are reported. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "../claim/claim.h"
#include "../entity/entity.h"
#include "../eval/eval.h"
#include "../io/taskdata.h"
#include "../learn/folds.h"
#include "../model/manifest.h"
#include "../narrative/explain.h"
#include "../narrative/narr.h"
#include "tasks.h"

typedef struct ex_doc {
	const ns_task_doc *td;
	ns_doc doc;
	ns_doc gold;
	int ok;
} ex_doc;

typedef struct ex_set {
	ns_taskdata *td[NS_TASK_MAX_DATA];
	size_t ntd;
	ex_doc *d;
	size_t n;
	ns_claim_lex *lex;
	ns_gazetteer *gaz;
} ex_set;

static void set_free(ex_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		ns_doc_release(&s->d[i].doc);
		ns_doc_release(&s->d[i].gold);
	}
	free(s->d);
	for (size_t i = 0; i < s->ntd; i++)
		ns_taskdata_free(s->td[i]);
	ns_claim_lex_free(s->lex);
	ns_gazetteer_free(s->gaz);
	memset(s, 0, sizeof *s);
}

/* Text stage, entities (when a gazetteer is available) and claims for one article. */
static int process(ns_doc *doc, const char *text, size_t len, const ex_set *s, const char *force_lang)
{
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.force_lang = force_lang;
	ns_doc_init(doc, text, len);
	int rc = ns_text_process(doc, &o);
	if (rc == 0 && s->gaz)
		rc = ns_entity_detect(doc, s->gaz);
	if (rc == 0 && s->lex)
		rc = ns_claim__run_doc(doc, s->lex);
	return rc;
}

static int set_load(ex_set *s, const ns_task_opts *o)
{
	int rc = 0;
	size_t cap = 0;
	memset(s, 0, sizeof *s);
	if ((rc = ns_claim_lex_new(&s->lex)) < 0)
		return rc;
	if (ns_gazetteer_load_default(&s->gaz, NULL) < 0) {
		if (o->progress)
			fprintf(stderr, "explanations: no gazetteer (%s); speakers from name shapes\n", ns_error_last());
		s->gaz = NULL;
	}
	for (size_t k = 0; k < o->ndata; k++) {
		ns_taskdata_opts to = NS_TASKDATA_OPTS_INIT;
		to.lenient = 1;
		if ((rc = ns_taskdata_load(&s->td[s->ntd], o->data[k], &to)) < 0)
			return rc;
		ns_taskdata *td = s->td[s->ntd++];
		for (size_t i = 0; i < ns_taskdata_ndocs(td); i++) {
			const ns_task_doc *t = ns_taskdata_doc(td, i);
			if (!t->expl || !t->expl->text || !t->expl->narrative)
				continue;
			if (NS_GROW(s->d, cap, s->n + 1) < 0)
				return NS_ENOMEM;
			ex_doc *e = &s->d[s->n++];
			memset(e, 0, sizeof *e);
			e->td = t;
			if ((rc = process(&e->doc, t->text, t->len, s, NULL)) < 0)
				return ns_error__wrap(rc, "%s", t->id);
			if ((rc = process(&e->gold, t->expl->text, strlen(t->expl->text), s, e->doc.lang)) < 0)
				return ns_error__wrap(rc, "%s: explanation", t->id);
			e->ok = 1;
			if (o->progress && s->n % 200 == 0)
				fprintf(stderr, "\rexplanations: processed %zu articles ", s->n);
		}
	}
	if (o->progress)
		fprintf(stderr, "\rexplanations: processed %zu articles with gold explanations\n", s->n);
	if (s->n == 0)
		return ns_error__set(NS_EINVAL, "explanations: no article with a subtask-3 explanation in the data");
	return 0;
}

static int train_on(ns_explain_model **m, const ex_set *s, const int *fold, int skip, const ns_explain_params *p)
{
	ns_explain_example *ex = ns_malloc((s->n + 1) * sizeof *ex);
	size_t n = 0;
	if (!ex)
		return NS_ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		if (fold && fold[i] == skip)
			continue;
		ex[n].doc = &s->d[i].doc;
		ex[n].gold = &s->d[i].gold;
		ex[n].narrative = s->d[i].td->expl->narrative;
		ex[n].subnarrative = s->d[i].td->expl->subnarrative;
		n++;
	}
	int rc = ns_explain_train(m, ex, n, p);
	free(ex);
	return rc;
}

static int expl_train(ns_bundle_writer *w, ns_buf *man, const ns_task_opts *o)
{
	ex_set s;
	ns_explain_params p;
	ns_explain_model *m = NULL;
	int rc;
	ns_explain_params_default(&p);
	if ((rc = ns_explain_params_parse(&p, o->params)) < 0)
		return rc;
	if ((rc = set_load(&s, o)) < 0)
		goto cleanup;
	if ((rc = train_on(&m, &s, NULL, -1, &p)) < 0)
		goto cleanup;
	if ((rc = ns_explain_model_save(m, w)) < 0)
		goto cleanup;
	char num[64];
	snprintf(num, sizeof num, "%zu", s.n);
	rc = ns_manifest_put(man, "data.explanations.articles", num);
cleanup:
	ns_explain_model_free(m);
	set_free(&s);
	return rc;
}

/* s with every run of white space as one space (the explanation joins lines). */
static char *squeeze(const char *s)
{
	size_t n = strlen(s), k = 0;
	char *o = ns_malloc(n + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
		if (sp && (k == 0 || o[k - 1] == ' '))
			continue;
		o[k++] = sp ? ' ' : s[i];
	}
	o[k] = '\0';
	return o;
}

/* Quoted spans of an explanation ("...", «...», “...”, „...“) that do not occur
 * in the article (white space squeezed): grounding check. */
static size_t quoted_outside(const char *expl, const char *article_raw)
{
	char *article = squeeze(article_raw);
	if (!article)
		return 0;
	static const char *const open[] = {"\"", "\xc2\xab", "\xe2\x80\x9c", "\xe2\x80\x9e", NULL};
	static const char *const close[] = {"\"", "\xc2\xbb", "\xe2\x80\x9d", "\xe2\x80\x9c", NULL};
	size_t bad = 0;
	for (size_t k = 0; open[k]; k++) {
		const char *p = expl;
		size_t ol = strlen(open[k]), cl = strlen(close[k]);
		while ((p = strstr(p, open[k])) != NULL) {
			const char *q = strstr(p + ol, close[k]);
			if (!q)
				break;
			if (q > p + ol) {
				char *span = ns_strndup(p + ol, (size_t)(q - p - ol));
				if (span && !strstr(article, span)) {
					bad++;
					if (getenv("NS_EXPL_DEBUG"))
						fprintf(stderr, "not in article: %s\n", span);
				}
				free(span);
			}
			p = q + cl;
		}
	}
	free(article);
	return bad;
}

#define MAX_LANGS 16
typedef struct lang_acc {
	char lang[16];
	size_t n;
	double r_sys, r_lead, f_sys, f_lead;
	size_t max_words, over;
} lang_acc;

static lang_acc *acc_for(lang_acc *a, size_t *na, const char *lang)
{
	for (size_t i = 0; i < *na; i++)
		if (!strcmp(a[i].lang, lang))
			return &a[i];
	if (*na == MAX_LANGS)
		return NULL;
	lang_acc *x = &a[(*na)++];
	memset(x, 0, sizeof *x);
	snprintf(x->lang, sizeof x->lang, "%s", lang);
	return x;
}

static int expl_cv(const ns_task_opts *o, FILE *out)
{
	ex_set s;
	ns_explain_params p;
	int *fold = NULL;
	const char **ids = NULL, **langs = NULL;
	lang_acc acc[MAX_LANGS];
	size_t nacc = 0, outside = 0;
	int rc;
	ns_explain_params_default(&p);
	if ((rc = ns_explain_params_parse(&p, o->params)) < 0)
		return rc;
	if ((rc = set_load(&s, o)) < 0)
		goto cleanup;
	fold = ns_malloc(s.n * sizeof *fold);
	ids = ns_malloc(s.n * sizeof *ids);
	langs = ns_malloc(s.n * sizeof *langs);
	if (!fold || !ids || !langs) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < s.n; i++) {
		ids[i] = s.d[i].td->id;
		langs[i] = s.d[i].td->lang;
	}
	if ((rc = ns_folds_assign(fold, ids, langs, s.n, o->folds, o->seed)) < 0)
		goto cleanup;
	if (o->dump_folds && (rc = ns_folds_dump(o->dump_folds, fold, ids, langs, s.n)) < 0)
		goto cleanup;
	for (int f = 0; f < o->folds; f++) {
		ns_explain_model *m = NULL;
		if ((rc = train_on(&m, &s, fold, f, &p)) < 0)
			goto cleanup;
		for (size_t i = 0; f == 0 && getenv("NS_EXPL_DUMP") && i < m->nopeners; i++)
			fprintf(stderr, "opener %s %016llx %s\n", m->openers[i].lang, (unsigned long long)m->openers[i].lab,
				m->openers[i].text);
		for (size_t i = 0; i < s.n && rc == 0; i++) {
			if (fold[i] != f)
				continue;
			const ns_task_doc *t = s.d[i].td;
			char *sys = NULL, *lead = NULL;
			double r1, r2, f1, f2;
			if ((rc = ns_explain_generate(&sys, m, &s.d[i].doc, t->expl->narrative, t->expl->subnarrative, NULL, 0)) < 0 ||
			    (rc = ns_explain_lead(&lead, m, &s.d[i].doc)) < 0 ||
			    (rc = ns_eval_rouge_l(&r1, t->expl->text, strlen(t->expl->text), sys, strlen(sys))) < 0 ||
			    (rc = ns_eval_rouge_l(&r2, t->expl->text, strlen(t->expl->text), lead, strlen(lead))) < 0 ||
			    (rc = ns_eval_token_f1(&f1, t->expl->text, strlen(t->expl->text), sys, strlen(sys))) < 0 ||
			    (rc = ns_eval_token_f1(&f2, t->expl->text, strlen(t->expl->text), lead, strlen(lead))) < 0) {
				free(sys);
				free(lead);
				break;
			}
			outside += quoted_outside(sys, t->text);
			if (getenv("NS_EXPL_DUMP"))
				fprintf(stderr, "%s\t%.4f\t%s\n", t->id, r1, sys);
			lang_acc *a = acc_for(acc, &nacc, t->lang);
			if (a) {
				size_t w = ns_explain_words(sys, strlen(sys));
				a->n++;
				a->r_sys += r1;
				a->r_lead += r2;
				a->f_sys += f1;
				a->f_lead += f2;
				if (w > a->max_words)
					a->max_words = w;
				a->over += w > NS_EXPLAIN_MAX_WORDS;
			}
			free(sys);
			free(lead);
		}
		ns_explain_model_free(m);
		if (rc < 0)
			goto cleanup;
		if (o->progress)
			fprintf(stderr, "\rexplanations: fold %d/%d ", f + 1, o->folds);
	}
	if (o->progress)
		fputc('\n', stderr);
	fprintf(out, "explanations: %d-fold CV (seed %lu), dominant narrative from the gold subtask-3 file;\n"
		     "ROUGE-L F1 and token F1 against the gold explanation (BERTScore, the official metric,\n"
		     "cannot run here). lead = first sentences of the article up to 0.7 x the language's\n"
		     "median gold length (the lead's best budget: 0.6 and 0.85 score lower).\n",
		o->folds, o->seed);
	fprintf(out, "%-6s %5s  %8s %8s %6s  %8s %8s  %8s\n", "lang", "docs", "ROUGE-L", "lead", "ratio", "tokF1",
		"lead", "maxwords");
	double mr = 0, ml = 0, mf = 0, mfl = 0;
	size_t maxw = 0, over = 0;
	for (size_t i = 0; i < nacc; i++) {
		lang_acc *a = &acc[i];
		double n = a->n ? (double)a->n : 1;
		fprintf(out, "%-6s %5zu  %8.4f %8.4f %6.2f  %8.4f %8.4f  %8zu\n", a->lang, a->n, a->r_sys / n,
			a->r_lead / n, a->r_lead > 0 ? a->r_sys / a->r_lead : 0.0, a->f_sys / n, a->f_lead / n,
			a->max_words);
		mr += a->r_sys / n;
		ml += a->r_lead / n;
		mf += a->f_sys / n;
		mfl += a->f_lead / n;
		if (a->max_words > maxw)
			maxw = a->max_words;
		over += a->over;
	}
	double k = nacc ? (double)nacc : 1;
	fprintf(out, "%-6s %5zu  %8.4f %8.4f %6.2f  %8.4f %8.4f  %8zu\n", "mean", s.n, mr / k, ml / k,
		ml > 0 ? mr / ml : 0.0, mf / k, mfl / k, maxw);
	fprintf(out, "explanations over %d words: %zu; quoted spans not found verbatim in the article: %zu\n",
		NS_EXPLAIN_MAX_WORDS, over, outside);
cleanup:
	free(fold);
	free(ids);
	free(langs);
	set_free(&s);
	return rc;
}

/* ---- predict ---- */

static int add_file(char ***paths, size_t *n, size_t *cap, const char *p)
{
	if (NS_GROW(*paths, *cap, *n + 1) < 0)
		return NS_ENOMEM;
	(*paths)[*n] = ns_strdup(p);
	return (*paths)[(*n)++] ? 0 : NS_ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(char ***paths, size_t *n, const char *const *inputs, size_t ninputs)
{
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < ninputs && rc == 0; i++) {
		struct stat st;
		if (stat(inputs[i], &st) < 0)
			return ns_error__set(NS_EIO, "%s: cannot open", inputs[i]);
		if (!S_ISDIR(st.st_mode)) {
			rc = add_file(paths, n, &cap, inputs[i]);
			continue;
		}
		DIR *d = opendir(inputs[i]);
		if (!d)
			return ns_error__set(NS_EIO, "%s: cannot read directory", inputs[i]);
		size_t first = *n;
		struct dirent *e;
		while ((e = readdir(d)) != NULL && rc == 0) {
			size_t l = strlen(e->d_name);
			if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
				continue;
			char buf[4096];
			snprintf(buf, sizeof buf, "%s/%s", inputs[i], e->d_name);
			rc = add_file(paths, n, &cap, buf);
		}
		closedir(d);
		qsort(*paths + first, *n - first, sizeof **paths, cmp_str);
	}
	return rc;
}

static void put_field(ns_buf *b, const char *s)
{
	for (; *s; s++)
		ns_buf_putc(b, (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s);
}

static int expl_predict(const ns_bundle *b, const ns_task_opts *o, const char *const *inputs, size_t ninputs,
			const char *out_path)
{
	ns_narr_model *nm = NULL;
	ns_explain_model *em = NULL;
	ex_set s;
	char **paths = NULL;
	size_t npaths = 0;
	ns_buf out = NS_BUF_INIT;
	ns_fbag bag = NS_FBAG_INIT;
	int rc;
	memset(&s, 0, sizeof s);
	if ((rc = ns_narr_model_load(&nm, b)) < 0) {
		if (rc == NS_ENOTFOUND)
			rc = ns_error__set(rc, "%s: no narrative model in the bundle (train --task narratives)",
					   ns_bundle_path(b));
		goto cleanup;
	}
	if ((rc = ns_explain_model_load(&em, b)) == NS_ENOTFOUND)
		rc = ns_explain_default(&em);
	if (rc < 0)
		goto cleanup;
	if ((rc = ns_claim_lex_new(&s.lex)) < 0)
		goto cleanup;
	if (ns_gazetteer_load_default(&s.gaz, b) < 0)
		s.gaz = NULL;
	if ((rc = collect(&paths, &npaths, inputs, ninputs)) < 0)
		goto cleanup;
	for (size_t i = 0; i < npaths && rc == 0; i++) {
		char *text = NULL, *rep = NULL;
		size_t len = 0, rlen = 0, nbad = 0;
		ns_doc doc;
		memset(&doc, 0, sizeof doc);
		if ((rc = ns_file_read(&text, &len, paths[i], 10u << 20)) < 0)
			break;
		if ((rc = ns_utf8_repair(&rep, &rlen, &nbad, text, len)) == 0 &&
		    (rc = process(&doc, rep, rlen, &s, NULL)) == 0) {
			ns_narr_layer *nl = NULL;
			if ((rc = ns_narr_predict_doc(&nl, nm, &doc, &bag, 1)) == 0) {
				doc.narratives = nl;
				rc = ns_explain_doc(&doc, em);
			}
			if (rc == 0) {
				const ns_claims *c = doc.claims;
				const char *base = strrchr(paths[i], '/');
				int have = c && c->explanation;
				put_field(&out, base ? base + 1 : paths[i]);
				ns_buf_putc(&out, '\t');
				put_field(&out, have ? c->explanation_narrative : "Other");
				ns_buf_putc(&out, '\t');
				put_field(&out, have && c->explanation_subnarrative ? c->explanation_subnarrative : "none");
				ns_buf_putc(&out, '\t');
				put_field(&out, have ? c->explanation : "");
				ns_buf_putc(&out, '\n');
			}
		}
		if (rc < 0)
			ns_error__wrap(rc, "%s", paths[i]);
		ns_doc_release(&doc);
		free(rep);
		free(text);
		if (o->progress && (i + 1) % 100 == 0)
			fprintf(stderr, "\rexplanations: %zu/%zu ", i + 1, npaths);
	}
	if (rc == 0 && ns_buf_failed(&out))
		rc = ns_error__set(NS_ENOMEM, "explanations: out of memory");
	if (rc == 0)
		rc = ns_file_write_atomic(out_path, out.ptr ? out.ptr : "", out.size);
cleanup:
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	ns_buf_free(&out);
	ns_fbag_free(&bag);
	ns_narr_model_free(nm);
	ns_explain_model_free(em);
	set_free(&s);
	return rc;
}

const ns_task ns_task_explanations = {
	"explanations", "explanation of the dominant narrative, at most 80 words (SemEval-2025 subtask 3)",
	expl_train, expl_cv, expl_predict,
};
