/* The "narratives" task (subtask 2): train, cross-validate and predict the
 * narrative/subnarrative classifier of src/narrative/ (see narr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/input.h"
#include "../io/taxonomy.h"
#include "../io/tsv.h"
#include "../pipeline/batch.h"
#include "../model/manifest.h"
#include "../narrative/narr.h"
#include "tasks.h"

/* Loads taxonomy, label space, parameters and the featurized corpus. */
static int setup(ns_taxonomy **tax, ns_narr_labels *L, ns_narr_params *p, ns_narr_corpus *c, const ns_task_opts *o)
{
	char tdir[4096];
	int rc;
	*tax = NULL;
	memset(L, 0, sizeof *L);
	memset(c, 0, sizeof *c);
	ns_narr_params_default(p);
	p->lin.seed = o->seed;
	if ((rc = ns_narr_params_parse(p, o->params)) < 0)
		return rc;
	if ((rc = ns_task_taxonomy_dir(tdir, sizeof tdir, o)) < 0)
		return rc;
	if ((rc = ns_taxonomy_load(tax, tdir)) < 0)
		return rc;
	size_t nc = ns_taxonomy_ncoarse(*tax), nf = ns_taxonomy_nfine(*tax);
	const char **cl = ns_calloc(nc + 1, sizeof *cl), **fl = ns_calloc(nf + 1, sizeof *fl);
	if (!cl || !fl) {
		free(cl);
		free(fl);
		return NS_ENOMEM;
	}
	for (size_t i = 0; i < nc; i++)
		cl[i] = ns_taxonomy_coarse(*tax, i);
	for (size_t i = 0; i < nf; i++)
		fl[i] = ns_taxonomy_fine(*tax, i);
	rc = ns_narr_labels_init(L, cl, nc, fl, nf);
	free(cl);
	free(fl);
	if (rc < 0)
		return rc;
	if ((rc = ns_narr_corpus_load(c, o->data, o->ndata, *tax, L, p, o->threads, o->progress)) < 0)
		return rc;
	if (c->narticles == 0)
		return ns_error__set(NS_EINVAL, "narratives: no article with narrative labels under %s", o->data[0]);
	if (o->progress) {
		fprintf(stderr, "narratives: %zu articles, %zu description sentences, %zu explanations, taxonomy %zu narratives / %zu subnarratives\n",
			c->narticles, c->n - c->narticles - c->nexpl, c->nexpl, L->ncoarse, L->nfine);
		if (c->expl_unknown)
			fprintf(stderr, "narratives: warning: %zu explanations name a narrative outside the taxonomy and were not used\n",
				c->expl_unknown);
		if (c->expl_unknown_sub)
			fprintf(stderr, "narratives: warning: %zu explanations name a subnarrative outside the taxonomy and train their narrative only\n",
				c->expl_unknown_sub);
		if (c->unknown_labels)
			fprintf(stderr, "narratives: warning: %zu gold label occurrences are not in the taxonomy and were ignored (as the official scorer does)\n",
				c->unknown_labels);
		if (c->unlabeled)
			fprintf(stderr, "narratives: warning: %zu documents have no subtask-2 line and were not used\n", c->unlabeled);
	}
	return 0;
}

static int narr_cv(const ns_task_opts *o, FILE *out)
{
	ns_taxonomy *tax = NULL;
	ns_narr_labels L;
	ns_narr_params p;
	ns_narr_corpus c;
	ns_narr_cv_result res;
	int rc = setup(&tax, &L, &p, &c, o);
	if (rc == 0)
		rc = ns_narr_cv(&res, &c, &L, &p, o->folds, o->seed, o->threads, o->progress, o->dump_folds);
	if (rc == 0) {
		ns_buf pb = NS_BUF_INIT;
		ns_narr_params_format(&pb, &p, ",");
		fprintf(out, "narratives: %d-fold CV, seed %lu, %zu articles\nparams: %s\n", o->folds, o->seed,
			c.narticles, pb.ptr ? pb.ptr : "");
		ns_buf_free(&pb);
		ns_narr_cv_print(out, &res);
	}
	ns_narr_corpus_free(&c);
	ns_narr_labels_free(&L);
	ns_taxonomy_free(tax);
	return rc;
}

static void progress_note(const ns_task_opts *o, const char *msg)
{
	if (o->progress)
		fprintf(stderr, "narratives: %s\n", msg);
}

static int put_cv_rows(ns_buf *man, const ns_narr_cv_result *res, const ns_task_opts *o)
{
	char key[96];
	ns_manifest_putf(man, "cv.folds", "%d", o->folds);
	ns_manifest_putf(man, "cv.seed", "%lu", o->seed);
	for (size_t l = 0; l < res->nlangs; l++) {
		char lang[16];
		size_t i = 0;
		for (; res->langs[l].lang[i] && i + 1 < sizeof lang; i++)
			lang[i] = (char)((res->langs[l].lang[i] >= 'A' && res->langs[l].lang[i] <= 'Z')
						 ? res->langs[l].lang[i] + 32 : res->langs[l].lang[i]);
		lang[i] = '\0';
		snprintf(key, sizeof key, "cv.narratives.f1_coarse.%s", lang);
		ns_manifest_put_score(man, key, res->langs[l].coarse, res->langs[l].coarse_sd);
		snprintf(key, sizeof key, "cv.narratives.f1_fine.%s", lang);
		ns_manifest_put_score(man, key, res->langs[l].fine, res->langs[l].fine_sd);
	}
	ns_manifest_put_score(man, "cv.narratives.f1_coarse.mean", res->coarse, res->coarse_sd);
	ns_manifest_put_score(man, "cv.narratives.f1_fine.mean", res->fine, res->fine_sd);
	return ns_buf_failed(man) ? NS_ENOMEM : 0;
}

static int narr_train(ns_bundle_writer *w, ns_buf *man, const ns_task_opts *o)
{
	ns_taxonomy *tax = NULL;
	ns_narr_labels L;
	ns_narr_params p;
	ns_narr_corpus c;
	ns_narr_model *m = NULL;
	size_t *rows = NULL;
	int rc = setup(&tax, &L, &p, &c, o);
	if (rc < 0)
		goto cleanup;
	if (o->cv) {
		ns_narr_cv_result res;
		progress_note(o, "cross-validating for the manifest");
		if ((rc = ns_narr_cv(&res, &c, &L, &p, o->folds, o->seed, o->threads, o->progress, NULL)) < 0)
			goto cleanup;
		if (o->progress)
			ns_narr_cv_print(stderr, &res);
		if ((rc = put_cv_rows(man, &res, o)) < 0)
			goto cleanup;
	}
	rows = ns_calloc(c.n + 1, sizeof *rows);
	if (!rows) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < c.n; i++)
		rows[i] = i;
	ns_narr_train_ctx ctx = {o->threads, o->progress, "model"};
	if ((rc = ns_narr_train(&m, &L, c.ex, rows, c.n, &p, &ctx)) < 0)
		goto cleanup;
	if ((rc = ns_narr_model_save(m, w)) < 0)
		goto cleanup;
	/* manifest rows */
	ns_buf pb = NS_BUF_INIT;
	ns_narr_params_format(&pb, &p, "\n");
	for (char *line = pb.ptr; line && *line;) {
		char *nl = strchr(line, '\n'), *eq = strchr(line, '=');
		if (nl)
			*nl = '\0';
		if (eq) {
			*eq = '\0';
			char key[96];
			snprintf(key, sizeof key, "param.narratives.%s", line);
			ns_manifest_put(man, key, eq + 1);
		}
		line = nl ? nl + 1 : NULL;
	}
	ns_buf_free(&pb);
	ns_manifest_putf(man, "data.narratives.docs", "%zu", c.narticles);
	ns_manifest_putf(man, "data.narratives.descriptions", "%zu", c.n - c.narticles - c.nexpl);
	if (c.nexpl) /* (bundles trained without them keep their bytes) */
		ns_manifest_putf(man, "data.narratives.explanations", "%zu", c.nexpl);
	ns_manifest_putf(man, "data.narratives.unknown_labels", "%zu", c.unknown_labels);
	ns_manifest_putf(man, "data.narratives.digest", "ns64:%016llx", (unsigned long long)c.digest);
	ns_manifest_putf(man, "model.narratives.features", "%zu", m->dim);
	ns_manifest_putf(man, "model.narratives.heads", "%zu", m->nheads);
	if (ns_buf_failed(man))
		rc = NS_ENOMEM;
cleanup:
	free(rows);
	ns_narr_model_free(m);
	ns_narr_corpus_free(&c);
	ns_narr_labels_free(&L);
	ns_taxonomy_free(tax);
	return rc;
}

/* ---- predict: ordered parallel batch over the inputs ---- */
typedef struct pred_item {
	ns_input_doc in;
	ns_buf line;  /* the TSV line, or empty */
	char *err;    /* per-document failure message */
} pred_item;

typedef struct pred_run {
	ns_input *input;
	const ns_narr_model *m;
	ns_buf out;
	size_t ndocs, nbad;
	int progress;
} pred_run;

static int pred_next(void *payload, void **item)
{
	pred_run *r = payload;
	pred_item *it = ns_calloc(1, sizeof *it);
	if (!it)
		return NS_ENOMEM;
	int rc = ns_input_next(r->input, &it->in);
	if (rc <= 0) {
		free(it);
		return rc;
	}
	*item = it;
	return 1;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void pred_work(void *payload, void *item)
{
	pred_run *r = payload;
	pred_item *it = item;
	char *text = NULL;
	size_t len = 0, nbad = 0;
	ns_doc doc;
	ns_fbag bag = NS_FBAG_INIT;
	ns_narr_layer *L = NULL;
	if (it->in.error)
		return;
	if (ns_utf8_repair(&text, &len, &nbad, it->in.text, it->in.len) < 0) {
		it->err = ns_strdup(ns_error_last());
		return;
	}
	ns_doc_init(&doc, text, len);
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	int rc = ns_text_process(&doc, &to);
	if (rc == 0)
		rc = ns_narr_predict_doc(&L, r->m, &doc, &bag, 0);
	if (rc < 0) {
		it->err = ns_strdup(ns_error_last());
	} else {
		const char *cl[NS_NARR_MAX_COARSE], *fl[NS_NARR_MAX_FINE];
		for (size_t i = 0; i < L->dec.ncoarse; i++)
			cl[i] = r->m->L.coarse[L->dec.coarse[i]];
		for (size_t i = 0; i < L->dec.nfine; i++)
			fl[i] = r->m->L.fine[L->dec.fine[i]];
		const char *id = it->in.line ? it->in.id : base_name(it->in.id);
		ns_tsv_write_narr(&it->line, id, cl, L->dec.ncoarse, fl, L->dec.nfine);
	}
	ns_fbag_free(&bag);
	ns_doc_release(&doc);
	free(text);
}

static int pred_emit(void *payload, void *item)
{
	pred_run *r = payload;
	pred_item *it = item;
	int rc = 0;
	if (it->in.error || it->err) {
		fprintf(stderr, "narrascope: predict: %s%s%s\n", it->in.error ? "" : it->in.id, it->in.error ? "" : ": ",
			it->in.error ? it->in.message : it->err);
		r->nbad++;
	} else {
		ns_buf_put(&r->out, it->line.ptr, it->line.size);
		if (ns_buf_failed(&r->out) || ns_buf_failed(&it->line))
			rc = ns_error__set(NS_ENOMEM, "predict: out of memory");
		r->ndocs++;
		if (r->progress && r->ndocs % 500 == 0)
			fprintf(stderr, "\rnarratives: predicted %zu documents ", r->ndocs);
	}
	ns_input_doc_release(&it->in);
	ns_buf_free(&it->line);
	free(it->err);
	free(it);
	return rc;
}

static void pred_discard(void *payload, void *item)
{
	pred_item *it = item;
	(void)payload;
	ns_input_doc_release(&it->in);
	ns_buf_free(&it->line);
	free(it->err);
	free(it);
}

static int narr_predict(const ns_bundle *b, const ns_task_opts *o, const char *const *inputs, size_t ninputs,
			const char *out_path)
{
	ns_narr_model *m = NULL;
	pred_run r = {0};
	int rc = ns_narr_model_load(&m, b);
	if (rc == NS_ENOTFOUND)
		return ns_error__set(NS_EINVAL, "%s: the model has no narratives classifier", ns_bundle_path(b));
	if (rc < 0)
		return rc;
	ns_input_opts io = NS_INPUT_OPTS_INIT;
	if ((rc = ns_input_open(&r.input, inputs, ninputs, &io)) < 0)
		goto cleanup;
	r.m = m;
	r.progress = o->progress;
	static const ns_batch_ops ops = {pred_next, pred_work, pred_emit, pred_discard};
	if ((rc = ns_batch_run(&ops, &r, o->threads, 0)) < 0)
		goto cleanup;
	if (r.progress)
		fprintf(stderr, "\rnarratives: predicted %zu documents%s%zu rejected\n", r.ndocs, r.nbad ? ", " : ", ", r.nbad);
	rc = ns_file_write_atomic(out_path, r.out.ptr ? r.out.ptr : "", r.out.size);
cleanup:
	ns_input_free(r.input);
	ns_buf_free(&r.out);
	ns_narr_model_free(m);
	return rc;
}

const ns_task ns_task_narratives = {
	"narratives", "narratives and subnarratives per article (SemEval-2025 subtask 2)", narr_train, narr_cv, narr_predict,
};
