/* Training data for the narrative classifier: reads shared-task data dirs,
 * runs the text stage and feature extraction on every article (over threads,
 * results by index so the order never depends on scheduling), maps gold labels to
 * taxonomy indices (counting labels outside the lists), adds the taxonomy
 * description sentences and (expl_weight > 0) the articles' dominant-narrative
 * explanations as pseudo-documents, and digests everything used.
 * Optional experimental groups (entities=1, cues=1|2): gazetteer entity ids and the
 * framing lexicon's cross-lingual cue categories; measured in 5-fold CV without a
 * gain, so off by default, and only ns_narr_featurize_with computes them. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../entity/entity.h"
#include "../frame/frame.h"
#include "../io/taskdata.h"
#include "../io/taxonomy.h"
#include "narr.h"

int ns_narr__entity_features(ns_fbag *bag, const ns_doc *doc, int title_sents)
{
	const ns_entity_layer *E = ns_entity_layer_of(doc);
	if (!E)
		return 0;
	for (size_t i = 0; i < E->nmentions; i++) {
		const ns_mention *mn = &E->mentions[i];
		if (mn->entity < 0 || (size_t)mn->entity >= E->nentities)
			continue;
		const ns_entity *en = &E->entities[mn->entity];
		if (en->gaz_index < 0 || !en->id)
			continue;
		size_t n = strlen(en->id);
		ns_fbag_add(bag, ns_features_id(NS_FG_CUE, en->id, n), mn->sentence, 1.0f);
		if (title_sents > 0 && mn->sentence < (uint32_t)title_sents) {
			char key[160];
			int k = snprintf(key, sizeof key, "title:%s", en->id);
			if (k > 0 && (size_t)k < sizeof key)
				ns_fbag_add(bag, ns_features_id(NS_FG_CUE, key, (size_t)k), mn->sentence, 1.0f);
		}
	}
	return bag->failed ? ns_error__set(NS_ENOMEM, "features: out of memory") : 0;
}

int ns_narr__cue_features(ns_fbag *bag, const ns_doc *doc, const ns_frame_cues *cues, int pairs)
{
	const ns_entity_layer *E = pairs ? ns_entity_layer_of(doc) : NULL;
	size_t m = 0; /* next mention (text order) */
	uint32_t cur = UINT32_MAX, smask = 0;
	char key[192];
	for (size_t t = 0; t <= doc->ntokens; t++) {
		const ns_token *tok = t < doc->ntokens ? &doc->tokens[t] : NULL;
		uint32_t s = tok ? tok->sentence : UINT32_MAX;
		if (s != cur) {
			/* sentence `cur` done: its gazetteer entities x its cue categories */
			for (; E && m < E->nmentions && E->mentions[m].sentence <= cur; m++) {
				const ns_mention *mn = &E->mentions[m];
				if (mn->sentence != cur || !smask || mn->entity < 0 || (size_t)mn->entity >= E->nentities)
					continue;
				const ns_entity *en = &E->entities[mn->entity];
				if (en->gaz_index < 0 || !en->id)
					continue;
				for (int k = 0; k < NS_CUE_COUNT; k++) {
					if (!(smask >> k & 1))
						continue;
					int n = snprintf(key, sizeof key, "%s|%s", en->id, ns_frame_cue_name(k));
					if (n > 0 && (size_t)n < sizeof key)
						ns_fbag_add(bag, ns_features_id(NS_FG_EXTRA, key, (size_t)n), cur, 1.0f);
				}
			}
			cur = s;
			smask = 0;
		}
		if (!tok || tok->kind != NS_TOK_WORD || !tok->norm)
			continue;
		uint32_t mask = ns_frame_cues_match(cues, tok->norm, tok->norm_len);
		smask |= mask;
		for (int k = 0; mask && k < NS_CUE_COUNT; k++)
			if (mask >> k & 1) {
				const char *nm = ns_frame_cue_name(k);
				ns_fbag_add(bag, ns_features_id(NS_FG_EXTRA, nm, strlen(nm)), s, 1.0f);
			}
	}
	return bag->failed ? ns_error__set(NS_ENOMEM, "features: out of memory") : 0;
}

int ns_narr_featurize_with(ns_svec *out, ns_fbag *bag, ns_doc *doc, const ns_narr_params *p, const ns_narr_res *res)
{
	int rc;
	if ((p->entities || p->cues >= 2) && !doc->entities && res && res->gaz &&
	    (rc = ns_entity_detect(doc, res->gaz)) < 0)
		return rc;
	ns_fbag_clear(bag);
	if ((rc = ns_features_doc(bag, doc, &p->feat)) < 0)
		return rc;
	if (p->entities && (rc = ns_narr__entity_features(bag, doc, p->feat.title_sents)) < 0)
		return rc;
	if (p->cues && res && res->cues && (rc = ns_narr__cue_features(bag, doc, res->cues, p->cues >= 2)) < 0)
		return rc;
	return ns_svec_from_bag(out, bag, &p->vec);
}

int ns_narr_featurize(ns_svec *out, ns_fbag *bag, const ns_doc *doc, const ns_narr_params *p)
{
	/* the resource-backed groups need ns_narr_featurize_with: refuse rather than
	 * score a model on features it was not trained on */
	if (p->entities || p->cues)
		return ns_error__set(NS_EINVAL, "narratives: the model uses entity/cue features (entities=%d, cues=%d), "
				     "which this predictor does not compute; retrain with entities=0,cues=0",
				     p->entities, p->cues);
	ns_fbag_clear(bag);
	/* about 8 hits per token (word, stem, bigrams, n-grams of new words), at
	 * most 64k hits ahead (768 KB): growing from empty by doubling each
	 * document was 2% of a corpus prediction's instructions */
	ns_fbag_reserve(bag, doc->ntokens < 8192 ? 8 * doc->ntokens + 64 : 65536);
	int rc = ns_features_doc(bag, doc, &p->feat);
	if (rc < 0)
		return rc;
	/* the bag comes back sorted by (id, sentence) and keeps every hit, which is what
	 * the evidence computation reads */
	return ns_svec_from_bag(out, bag, &p->vec);
}

typedef struct feat_job {
	ns_narr_corpus *c;
	const char *const *texts;
	const size_t *lens;
	const ns_narr_params *p;
	ns_narr_res res;         /* gazetteer and cue lexicon (p->entities, p->cues) */
	size_t n;
	pthread_mutex_t mu;
	size_t next, done;
	int rc;
	char err[256];
	int progress;
} feat_job;

static void *feat_worker(void *arg)
{
	feat_job *j = arg;
	ns_fbag bag = NS_FBAG_INIT;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t i = j->next++;
		int stop = j->rc != 0;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n || stop)
			break;
		ns_doc doc;
		ns_doc_init(&doc, j->texts[i], j->lens[i]);
		ns_text_opts to = NS_TEXT_OPTS_INIT;
		int rc = ns_text_process(&doc, &to);
		if (rc == 0)
			rc = ns_narr_featurize_with(&j->c->ex[i].x, &bag, &doc, j->p, &j->res);
		ns_doc_release(&doc);
		pthread_mutex_lock(&j->mu);
		if (rc < 0 && j->rc == 0) {
			size_t own = j->c->ex[i].explains;
			j->rc = rc;
			snprintf(j->err, sizeof j->err, "%s%s: %s", own ? "explanation of " : "",
				 i < j->c->narticles ? j->c->ids[i] : own ? j->c->ids[own - 1] : "description", ns_error_last());
		}
		j->done++;
		if (j->progress && (j->done % 200 == 0 || j->done == j->n))
			fprintf(stderr, "\rnarratives: features %zu/%zu ", j->done, j->n);
		if (j->progress && j->done == j->n)
			fputc('\n', stderr);
		pthread_mutex_unlock(&j->mu);
	}
	ns_fbag_free(&bag);
	return NULL;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* Maps label strings to sorted unique indices; counts unknown ones. */
static int map_labels(int32_t **out, size_t *nout, char **labels, size_t n, const ns_taxonomy *tax, int fine,
		      size_t *unknown)
{
	*out = ns_calloc(n ? n : 1, sizeof **out);
	*nout = 0;
	if (!*out)
		return NS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int32_t k = fine ? ns_taxonomy_find_fine(tax, labels[i], strlen(labels[i]))
				 : ns_taxonomy_find_coarse(tax, labels[i], strlen(labels[i]));
		if (k < 0) {
			(*unknown)++;
			continue;
		}
		(*out)[(*nout)++] = k;
	}
	qsort(*out, *nout, sizeof **out, cmp_i32);
	size_t u = 0;
	for (size_t i = 0; i < *nout; i++)
		if (u == 0 || (*out)[u - 1] != (*out)[i])
			(*out)[u++] = (*out)[i];
	*nout = u;
	return 0;
}

/* Appends a pseudo-document (a description, or the explanation of article
 * explains - 1) with narrative ci and subnarrative fi (-1 none). */
static int add_pseudo(ns_narr_corpus *c, const ns_narr_labels *L, const char **texts, size_t *lens, const char *text,
		      int32_t ci, int32_t fi, double weight, size_t explains)
{
	ns_narr_example *e = &c->ex[c->n++];
	e->is_desc = 1;
	e->explains = explains;
	e->weight = (float)weight;
	e->coarse = ns_calloc(1, sizeof *e->coarse);
	e->fine = ns_calloc(1, sizeof *e->fine);
	if (!e->coarse || !e->fine)
		return NS_ENOMEM;
	e->coarse[e->ncoarse++] = ci;
	if (fi >= 0)
		e->fine[e->nfine++] = fi;
	e->domain = L->coarse_domain[ci];
	texts[c->n - 1] = text;
	lens[c->n - 1] = strlen(text);
	return 0;
}

static uint64_t dig_str(uint64_t h, const char *s, size_t n)
{
	return ns_hash_mix(h, ns_hash64(s, n, h));
}

int ns_narr_corpus_load(ns_narr_corpus *c, const char *const *dirs, size_t ndirs, const ns_taxonomy *tax,
			const ns_narr_labels *L, const ns_narr_params *p, int threads, int progress)
{
	int rc = 0;
	const char **texts = NULL;
	const ns_task_doc **tdocs = NULL;
	ns_strmap *seen = NULL;
	ns_gazetteer *gaz = NULL;
	ns_frame_cues *cues = NULL;
	size_t *lens = NULL;
	size_t total = 0, ndesc = 0, nslots;
	memset(c, 0, sizeof *c);
	c->td = ns_calloc(ndirs ? ndirs : 1, sizeof *c->td);
	if (!c->td)
		return NS_ENOMEM;
	for (size_t d = 0; d < ndirs; d++) {
		ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
		if ((rc = ns_taskdata_load(&c->td[d], dirs[d], &o)) < 0)
			goto cleanup;
		c->ntd++;
		size_t nw = ns_taskdata_nwarnings(c->td[d]);
		if (nw && progress) {
			fprintf(stderr, "narratives: %s: %zu warnings while reading the data, first: %s\n", dirs[d], nw,
				ns_taskdata_warning(c->td[d], 0));
		}
		total += ns_taskdata_ndocs(c->td[d]);
	}
	if (p->desc_weight > 0)
		ndesc = ns_taxonomy_ndesc(tax);
	nslots = total + ndesc + (p->expl_weight > 0 ? total : 0); /* at most one explanation per article */
	c->ex = ns_calloc(nslots + 1, sizeof *c->ex);
	c->ids = ns_calloc(total + 1, sizeof *c->ids);
	c->langs = ns_calloc(total + 1, sizeof *c->langs);
	tdocs = ns_calloc(total + 1, sizeof *tdocs);
	texts = ns_calloc(nslots + 1, sizeof *texts);
	lens = ns_calloc(nslots + 1, sizeof *lens);
	if (!c->ex || !c->ids || !c->langs || !tdocs || !texts || !lens) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	uint64_t h = 0x6e61727261746976ULL;
	if ((rc = ns_strmap_new(&seen)) < 0)
		goto cleanup;
	for (size_t d = 0; d < c->ntd; d++) {
		for (size_t i = 0; i < ns_taskdata_ndocs(c->td[d]); i++) {
			const ns_task_doc *td = ns_taskdata_doc(c->td[d], i);
			if (!td->has_narratives) {
				c->unlabeled++;
				continue;
			}
			ns_buf key = NS_BUF_INIT;
			bool fresh = false;
			ns_buf_printf(&key, "%s/%s", td->lang, td->id);
			int32_t *slot = ns_buf_failed(&key) ? NULL : ns_strmap_put(seen, key.ptr, key.size, (int32_t)d, &fresh);
			ns_buf_free(&key);
			if (!slot) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			if (!fresh) {
				rc = ns_error__set(NS_EINVAL, "narratives: article %s (%s) occurs twice in the training data (%s and %s)",
						   td->id, td->lang, dirs[*slot], dirs[d]);
				goto cleanup;
			}
			size_t k = c->narticles++;
			c->n = c->narticles;
			ns_narr_example *e = &c->ex[k];
			c->ids[k] = td->id;
			c->langs[k] = td->lang;
			tdocs[k] = td;
			texts[k] = td->text;
			lens[k] = td->len;
			e->weight = 1.0f;
			if ((rc = map_labels(&e->coarse, &e->ncoarse, td->coarse, td->ncoarse, tax, 0, &c->unknown_labels)) < 0 ||
			    (rc = map_labels(&e->fine, &e->nfine, td->fine, td->nfine, tax, 1, &c->unknown_labels)) < 0)
				goto cleanup;
			e->domain = -1;
			for (size_t j = 0; j < e->ncoarse && e->domain < 0; j++)
				e->domain = L->coarse_domain[e->coarse[j]];
			if (e->domain < 0)
				e->domain = ns_narr_labels_domain_of_id(L, td->id);
			h = dig_str(h, td->id, strlen(td->id));
			h = dig_str(h, td->lang, strlen(td->lang));
			h = dig_str(h, td->text, td->len);
			for (size_t j = 0; j < td->ncoarse; j++)
				h = dig_str(h, td->coarse[j], strlen(td->coarse[j]));
			h = ns_hash_mix(h, 0x7c);
			for (size_t j = 0; j < td->nfine; j++)
				h = dig_str(h, td->fine[j], strlen(td->fine[j]));
			h = ns_hash_mix(h, 0x0a);
		}
	}
	for (size_t i = 0; i < ns_taxonomy_ncoarse(tax); i++)
		h = dig_str(h, ns_taxonomy_coarse(tax, i), strlen(ns_taxonomy_coarse(tax, i)));
	for (size_t i = 0; i < ns_taxonomy_nfine(tax); i++)
		h = dig_str(h, ns_taxonomy_fine(tax, i), strlen(ns_taxonomy_fine(tax, i)));
	c->n = c->narticles;
	for (size_t i = 0; i < ndesc; i++) {
		const ns_taxonomy_desc *ds = ns_taxonomy_desc_at(tax, i);
		if (ds->coarse_idx < 0)
			continue;
		if ((rc = add_pseudo(c, L, texts, lens, ds->text, ds->coarse_idx, ds->fine_idx, p->desc_weight, 0)) < 0)
			goto cleanup;
		h = dig_str(h, ds->text, lens[c->n - 1]);
	}
	for (size_t k = 0; p->expl_weight > 0 && k < c->narticles; k++) {
		const ns_task_expl *x = tdocs[k]->expl;
		if (!x || !x->text || !x->text[0] || !x->narrative)
			continue;
		int32_t ci = ns_taxonomy_find_coarse(tax, x->narrative, strlen(x->narrative)), fi = -1;
		if (ci < 0) {
			c->expl_unknown++;
			continue;
		}
		/* "none" is the subtask-2 "<narrative>: Other" */
		if (x->subnarrative && strcmp(x->subnarrative, "none") != 0) {
			fi = ns_taxonomy_find_fine(tax, x->subnarrative, strlen(x->subnarrative));
			c->expl_unknown_sub += fi < 0;
		} else {
			fi = L->fine_other[ci];
		}
		if ((rc = add_pseudo(c, L, texts, lens, x->text, ci, fi, p->expl_weight, k + 1)) < 0)
			goto cleanup;
		c->nexpl++;
		h = ns_hash_mix(h, 0x3e);
		h = dig_str(h, x->text, lens[c->n - 1]);
		h = dig_str(h, x->narrative, strlen(x->narrative));
		h = ns_hash_mix(h, (uint64_t)fi + 1);
	}
	c->digest = h;

	if ((p->entities || p->cues >= 2) && (rc = ns_gazetteer_load_default(&gaz, NULL)) < 0)
		goto cleanup;
	if (p->cues && (rc = ns_frame_cues_new(&cues)) < 0)
		goto cleanup;
	feat_job j = {c, texts, lens, p, {gaz, cues}, c->n, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, {0}, progress};
	pthread_t tid[64];
	int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads, started = 0;
	for (int t = 1; t < nt; t++)
		if (pthread_create(&tid[started], NULL, feat_worker, &j) == 0)
			started++;
	feat_worker(&j);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&j.mu);
	if (j.rc < 0) {
		rc = ns_error__set(j.rc, "narratives: %s", j.err);
		goto cleanup;
	}
cleanup:
	ns_gazetteer_free(gaz);
	ns_frame_cues_free(cues);
	ns_strmap_free(seen);
	free(texts);
	free(tdocs);
	free(lens);
	if (rc < 0)
		ns_narr_corpus_free(c);
	return rc;
}

void ns_narr_corpus_free(ns_narr_corpus *c)
{
	if (!c)
		return;
	if (c->ex)
		for (size_t i = 0; i < c->n; i++) {
			ns_svec_free(&c->ex[i].x);
			free(c->ex[i].coarse);
			free(c->ex[i].fine);
		}
	free(c->ex);
	free(c->ids);
	free(c->langs);
	for (size_t d = 0; d < c->ntd; d++)
		ns_taskdata_free(c->td[d]);
	free(c->td);
	memset(c, 0, sizeof *c);
}
