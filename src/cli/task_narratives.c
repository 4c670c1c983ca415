/* The "narratives" task (subtask 2): train, cross-validate and predict the
 * narrative/subnarrative classifier of src/narrative/ (see narr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/taxonomy.h"
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
		fprintf(stderr, "narratives: %zu articles, %zu description sentences, taxonomy %zu narratives / %zu subnarratives\n",
			c->narticles, c->n - c->narticles, L->ncoarse, L->nfine);
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
	ns_manifest_putf(man, "data.narratives.descriptions", "%zu", c.n - c.narticles);
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

const ns_task ns_task_narratives = {
	"narratives", "narratives and subnarratives per article (SemEval-2025 subtask 2)", narr_train, narr_cv, NULL,
};
