/* The "framing" task (subtask 1, entity roles): train the role model of
 * src/frame into the bundle, cross-validate it by document with the shared folds
 * and the official metrics, and predict roles for a given mentions file.
 *
 * DESIGN: features are extracted once per corpus (they do not depend on the
 * fold); CV then trains one model per fold and keeps the out-of-fold decision
 * values and the fold models (set labels differ by fold), so several decision
 * rules (joint main/fine scoring, a second fine role) are compared on the same
 * scores at no extra training cost, and the report splits EMR into main-role
 * accuracy x fine-list exactness per language (cv_decompose). Each document's
 * language is taken from its language folder (train/cv) or from an "XX_" article
 * id prefix (predict), falling back to language identification. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../entity/entity.h"
#include "../eval/eval.h"
#include "../frame/claim_feat.h"
#include "../frame/frame.h"
#include "../io/input.h"
#include "../io/taskdata.h"
#include "../io/taxonomy.h"
#include "../io/tsv.h"
#include "../learn/folds.h"
#include "../model/manifest.h"
#include "../model/ser.h"
#include "tasks.h"

#define FR_MAX_LANGS 16

typedef struct fr_corpus {
	ns_taskdata *td[NS_TASK_MAX_DATA];
	size_t ntd;
	ns_taxonomy *tax;
	ns_gazetteer *gaz; /* NULL when not used */
	ns_claim_lex *lex; /* NULL unless the claims features are on */
	/* examples: one per gold mention, in corpus order */
	ns_frame_example *ex;
	const ns_task_doc **exdoc;
	const ns_task_mention **exm;
	size_t n, cap;
	size_t naligned[4]; /* by ns_align_kind */
	/* documents (all, for folds) */
	const ns_task_doc **docs;
	size_t ndocs;
	ns_task_sal sal; /* entities for the framed/unframed model (with a gazetteer) */
} fr_corpus;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "EN" / "EN_UA_1.txt" -> "en" when it looks like a language code, else NULL. */
static const char *lang_code(char out[4], const char *s)
{
	if (!s || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]) || (s[2] && s[2] != '_'))
		return NULL;
	out[0] = (char)tolower((unsigned char)s[0]);
	out[1] = (char)tolower((unsigned char)s[1]);
	out[2] = 0;
	return out;
}

/* Runs the text stage (and the entity stage when g is given, and the claims
 * extractor when lex is given) on doc. */
static int process_doc(ns_doc *doc, const char *text, size_t len, const char *lang, const ns_gazetteer *g,
		       const ns_claim_lex *lex)
{
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	char code[4];
	to.force_lang = lang_code(code, lang);
	ns_doc_init(doc, text, len);
	int rc = ns_text_process(doc, &to);
	if (rc < 0)
		return rc;
	if (g && (rc = ns_entity_detect(doc, g)) < 0)
		return rc;
	return lex ? ns_frame_claims_run(doc, lex) : 0;
}

static void corpus_free(fr_corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		ns_fbag_free(&c->ex[i].bag);
	free(c->ex);
	free(c->exdoc);
	free(c->exm);
	free(c->docs);
	ns_task_sal_free(&c->sal);
	for (size_t i = 0; i < c->ntd; i++)
		ns_taskdata_free(c->td[i]);
	ns_taxonomy_free(c->tax);
	ns_gazetteer_free(c->gaz);
	ns_frame_claims_lex_free(c->lex);
	memset(c, 0, sizeof *c);
}

static int file_exists(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f)
		fclose(f);
	return f != NULL;
}

/* --taxonomy, else <data>/../taxonomy or <data>/../../taxonomy or <data>/taxonomy holding roles.tsv */
static int load_taxonomy(ns_taxonomy **out, const ns_task_opts *o)
{
	static const char *const rel[] = {"/taxonomy", "/../taxonomy", "/../../taxonomy"};
	char path[4096];
	if (o->taxonomy)
		return ns_taxonomy_load(out, o->taxonomy);
	for (size_t i = 0; o->ndata && i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(path, sizeof path, "%s%s/roles.tsv", o->data[0], rel[i]);
		if (file_exists(path)) {
			snprintf(path, sizeof path, "%s%s", o->data[0], rel[i]);
			return ns_taxonomy_load(out, path);
		}
	}
	return ns_error__set(NS_EINVAL, "framing: no roles.tsv next to %s; give --taxonomy DIR",
			     o->ndata ? o->data[0] : "(no --data)");
}

static int role_index(const ns_taxonomy *t, const char *s, int fine)
{
	if (!s)
		return -1;
	return fine ? ns_taxonomy_find_fine_role(t, s, strlen(s)) : ns_taxonomy_find_main_role(t, s, strlen(s));
}

/* Loads the corpora and extracts the features of every gold mention. */
static int corpus_load(fr_corpus *c, const ns_task_opts *o, const ns_frame_params *p, const ns_frame_cues *cues)
{
	int rc;
	double t0 = now_s();
	memset(c, 0, sizeof *c);
	if (o->ndata == 0)
		return ns_error__set(NS_EINVAL, "framing: --data DIR is required");
	if ((rc = load_taxonomy(&c->tax, o)) < 0)
		return rc;
	if (ns_taxonomy_nmain_roles(c->tax) == 0)
		return ns_error__set(NS_EINVAL, "framing: the taxonomy has no roles.tsv");
	if (p->f.gazetteer && (rc = ns_gazetteer_load_default(&c->gaz, NULL)) < 0)
		return ns_error__wrap(rc, "framing: gazetteer (gaz=1; set NARRASCOPE_DATA or use gaz=0)");
	if (p->f.claims && (rc = ns_frame_claims_lex_new(&c->lex)) < 0)
		return rc;
	ns_taskdata_opts to = NS_TASKDATA_OPTS_INIT;
	to.taxonomy = c->tax;
	for (size_t d = 0; d < o->ndata; d++) {
		if ((rc = ns_taskdata_load(&c->td[c->ntd], o->data[d], &to)) < 0)
			return rc;
		c->ntd++;
	}
	size_t ndocs = 0;
	for (size_t d = 0; d < c->ntd; d++)
		ndocs += ns_taskdata_ndocs(c->td[d]);
	c->docs = ns_calloc(ndocs ? ndocs : 1, sizeof *c->docs);
	if (!c->docs)
		return NS_ENOMEM;
	for (size_t d = 0; d < c->ntd; d++) {
		for (size_t i = 0; i < ns_taskdata_ndocs(c->td[d]); i++) {
			const ns_task_doc *td = ns_taskdata_doc(c->td[d], i);
			c->docs[c->ndocs++] = td;
			if (td->nmentions == 0)
				continue;
			ns_doc doc;
			ns_frame_docctx ctx;
			if ((rc = process_doc(&doc, td->text, td->len, td->lang, c->gaz, c->lex)) < 0) {
				ns_doc_release(&doc);
				return ns_error__wrap(rc, "%s", td->path);
			}
			if ((rc = ns_frame_docctx_init(&ctx, &doc, cues)) < 0) {
				ns_doc_release(&doc);
				return rc;
			}
			for (size_t k = 0; k < td->nmentions; k++) {
				const ns_task_mention *m = &td->mentions[k];
				if (c->n == c->cap) {
					size_t cap = c->cap;
					if (NS_GROW(c->ex, cap, c->n + 1) < 0 ||
					    (cap = c->cap, NS_GROW(c->exdoc, cap, c->n + 1)) < 0 ||
					    (cap = c->cap, NS_GROW(c->exm, cap, c->n + 1)) < 0) {
						rc = NS_ENOMEM;
						break;
					}
					c->cap = cap;
				}
				ns_frame_example *e = &c->ex[c->n];
				memset(e, 0, sizeof *e);
				e->main = role_index(c->tax, m->main_role, 0);
				for (size_t f = 0; f < m->nfine_roles && e->nfine < NS_FRAME_MAX_FINE; f++)
					e->fine[e->nfine++] = role_index(c->tax, m->fine_roles[f], 1);
				uint32_t s, en;
				if (m->align != NS_ALIGN_NONE) {
					s = (uint32_t)m->start;
					en = (uint32_t)m->end;
				} else { /* scored anyway: classify at the file offsets, clipped */
					s = (uint32_t)(m->file_start < (int64_t)td->ncp ? m->file_start : (int64_t)td->ncp);
					en = (uint32_t)(m->file_end + 1 < (int64_t)td->ncp ? m->file_end + 1 : (int64_t)td->ncp);
				}
				c->naligned[m->align <= 3 ? m->align : 0]++;
				if ((rc = ns_frame_features(&e->bag, &ctx, s, en, &p->f)) < 0)
					break;
				c->exdoc[c->n] = td;
				c->exm[c->n] = m;
				c->n++;
			}
			if (rc == 0 && c->gaz)
				rc = ns_task_sal_collect(&c->sal, &doc, td, &ctx);
			ns_frame_docctx_free(&ctx);
			ns_doc_release(&doc);
			if (rc < 0)
				return rc;
		}
	}
	if (o->progress)
		fprintf(stderr, "framing: %zu documents, %zu mentions (aligned exact %zu, crlf %zu, nearest %zu, "
				"unaligned %zu), features in %.1fs\n",
			c->ndocs, c->n, c->naligned[NS_ALIGN_EXACT], c->naligned[NS_ALIGN_CRLF],
			c->naligned[NS_ALIGN_NEAREST], c->naligned[NS_ALIGN_NONE], now_s() - t0);
	if (c->n == 0)
		return ns_error__set(NS_EINVAL, "framing: no subtask-1 mentions under the --data directories");
	return 0;
}

/* Role name lists of the taxonomy, for ns_frame_train. */
typedef struct fr_roles {
	const char **main, **fine;
	int32_t *fine_main;
	size_t nmain, nfine;
} fr_roles;

static int roles_of(fr_roles *r, const ns_taxonomy *t)
{
	r->nmain = ns_taxonomy_nmain_roles(t);
	r->nfine = ns_taxonomy_nfine_roles(t);
	r->main = ns_calloc(r->nmain + 1, sizeof *r->main);
	r->fine = ns_calloc(r->nfine + 1, sizeof *r->fine);
	r->fine_main = ns_calloc(r->nfine + 1, sizeof *r->fine_main);
	if (!r->main || !r->fine || !r->fine_main)
		return NS_ENOMEM;
	for (size_t i = 0; i < r->nmain; i++)
		r->main[i] = ns_taxonomy_main_role(t, i);
	for (size_t i = 0; i < r->nfine; i++) {
		r->fine[i] = ns_taxonomy_fine_role(t, i);
		r->fine_main[i] = ns_taxonomy_fine_role_main(t, i);
	}
	return 0;
}

static void roles_free(fr_roles *r)
{
	free(r->main);
	free(r->fine);
	free(r->fine_main);
}

static int params_from_opts(ns_frame_params *p, const ns_task_opts *o)
{
	ns_frame_params_init(p);
	p->seed = o->seed;
	return o->params ? ns_frame_params_parse(p, o->params) : 0;
}

static int cv_core(const ns_task_opts *o, fr_corpus *c, const fr_roles *r, const ns_frame_params *p, FILE *out,
		   ns_buf *manifest);

static int framing_train(ns_bundle_writer *w, ns_buf *manifest, const ns_task_opts *o)
{
	fr_corpus c;
	fr_roles r = {0};
	ns_frame_params p;
	ns_frame_cues *cues = NULL;
	ns_frame_model *m = NULL;
	ns_buf sec = NS_BUF_INIT;
	int rc;
	memset(&c, 0, sizeof c);
	if ((rc = params_from_opts(&p, o)) < 0 || (rc = ns_frame_cues_new(&cues)) < 0)
		goto cleanup;
	if ((rc = corpus_load(&c, o, &p, cues)) < 0 || (rc = roles_of(&r, c.tax)) < 0)
		goto cleanup;
	if (o->cv && (rc = cv_core(o, &c, &r, &p, o->progress ? stderr : NULL, manifest)) < 0)
		goto cleanup;
	double t0 = now_s();
	if ((rc = ns_frame_train(&m, c.ex, c.n, r.main, r.nmain, r.fine, r.fine_main, r.nfine, &p,
				 o->threads)) < 0)
		goto cleanup;
	{
		ns_buf ps = NS_BUF_INIT;
		if ((rc = ns_frame_params_format(&p, &ps)) < 0)
			goto cleanup;
		ns_manifest_put(manifest, "param.framing", ps.ptr);
		ns_buf_free(&ps);
		ns_manifest_putf(manifest, "data.framing.mentions", "%zu", c.n);
		if (ns_buf_failed(manifest)) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
	}
	if ((rc = ns_frame_model_serialize(m, &sec)) < 0)
		goto cleanup;
	if ((rc = ns_bundle_writer_add(w, NS_FRAME_SECTION, sec.ptr, sec.size)) < 0)
		goto cleanup;
	if ((rc = ns_task_sal_train(w, &c.sal, o->threads, manifest)) < 0)
		goto cleanup;
	/* the role model was trained on entity ids of this gazetteer: snapshot it */
	if (c.gaz && (rc = ns_gazetteer_add_to_bundle(c.gaz, w)) < 0)
		goto cleanup;
	if (o->progress)
		fprintf(stderr, "framing: trained on %zu mentions in %.1fs, section %s %zu bytes\n", c.n,
			now_s() - t0, NS_FRAME_SECTION, sec.size);
cleanup:
	ns_buf_free(&sec);
	ns_frame_model_free(m);
	ns_frame_cues_free(cues);
	roles_free(&r);
	corpus_free(&c);
	return rc;
}

/* ---- cross-validation ---- */

typedef struct fr_variant {
	const char *name;
	int joint;
	double jw, second;
} fr_variant;

/* per (fold, lang) metrics of one decision rule; returns per-lang mean/std */
typedef struct fr_stats {
	double v[3][64]; /* metric x fold */
} fr_stats;

static void mean_std(const double *x, int n, double *mean, double *sd)
{
	double s = 0, q = 0;
	for (int i = 0; i < n; i++)
		s += x[i];
	*mean = n ? s / n : 0;
	for (int i = 0; i < n; i++)
		q += (x[i] - *mean) * (x[i] - *mean);
	*sd = n ? sqrt(q / n) : 0;
}

/* Scores the out-of-fold decision values S with rule p; fills per lang (and
 * lang index nl = mean over languages) fold metrics. */
static void cv_score(fr_stats *st, size_t nl, const char *const *langs, const fr_corpus *c,
		     const int *exfold, int k, const double *S, size_t L, ns_frame_model *const *fm,
		     const ns_frame_params *p)
{
	const ns_frame_model *any = fm[0];
	size_t nmain = ns_frame_model_nmain(any);
	ns_eval_roles *gold = ns_calloc(c->n ? c->n : 1, sizeof *gold);
	ns_eval_roles *pred = ns_calloc(c->n ? c->n : 1, sizeof *pred);
	const char **pf = ns_calloc(c->n * NS_FRAME_MAX_FINE + 1, sizeof *pf);
	if (!gold || !pred || !pf)
		goto cleanup;
	memset(st, 0, sizeof *st * (nl + 1));
	for (int f = 0; f < k; f++) {
		double sum[3] = {0};
		size_t nlang = 0;
		for (size_t l = 0; l < nl; l++) {
			size_t n = 0;
			for (size_t i = 0; i < c->n; i++) {
				if (exfold[i] != f || strcmp(c->exdoc[i]->lang, langs[l]) != 0)
					continue;
				const ns_task_mention *m = c->exm[i];
				gold[n].main_role = m->main_role;
				gold[n].fine = (const char *const *)m->fine_roles;
				gold[n].nfine = m->nfine_roles;
				ns_frame_decision d;
				ns_frame_decide(&d, fm[f], S + i * L, S + i * L + nmain, p);
				const char **fl = pf + n * NS_FRAME_MAX_FINE;
				for (size_t q = 0; q < d.nfine; q++)
					fl[q] = ns_frame_model_fine(any, (size_t)d.fine[q]);
				pred[n].main_role = ns_frame_model_main(any, (size_t)d.main);
				pred[n].fine = fl;
				pred[n].nfine = d.nfine;
				n++;
			}
			if (n == 0)
				continue;
			ns_eval_framing ev;
			ns_eval_framing_items(&ev, gold, pred, n);
			st[l].v[0][f] = ev.emr;
			st[l].v[1][f] = ev.micro_f1;
			st[l].v[2][f] = ev.main_acc;
			sum[0] += ev.emr;
			sum[1] += ev.micro_f1;
			sum[2] += ev.main_acc;
			nlang++;
		}
		for (int q = 0; q < 3; q++)
			st[nl].v[q][f] = nlang ? sum[q] / (double)nlang : 0;
	}
cleanup:
	free(gold);
	free(pred);
	free(pf);
}

/* 1 when two gold mentions carry the same main role and the same set of fine roles */
static int same_roles(const ns_task_mention *a, const ns_task_mention *b)
{
	if (!a->main_role || !b->main_role || strcmp(a->main_role, b->main_role) != 0 || a->nfine_roles != b->nfine_roles)
		return 0;
	for (size_t q = 0; q < a->nfine_roles; q++) {
		size_t k = 0;
		while (k < b->nfine_roles && strcmp(a->fine_roles[q], b->fine_roles[k]) != 0)
			k++;
		if (k == b->nfine_roles)
			return 0;
	}
	return 1;
}

/* How local the gold roles are: for every gold mention whose exact text occurs
 * earlier in the same article (first occurrence as the reference), whether the
 * two carry the same main role, and the same main and fine roles. Annotators
 * label each mention from its own context, so a name repeated in one article
 * often gets other roles; no per-entity decision can beat that agreement on
 * these pairs. Examples of an article are consecutive (corpus order). */
static void gold_locality(size_t *pairs, size_t *main_same, size_t *all_same, const fr_corpus *c, const char *lang)
{
	*pairs = *main_same = *all_same = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (lang && strcmp(c->exdoc[i]->lang, lang) != 0)
			continue;
		const ns_task_mention *m = c->exm[i];
		size_t first = SIZE_MAX;
		for (size_t j = i; j > 0 && c->exdoc[j - 1] == c->exdoc[i]; j--)
			if (strcmp(c->exm[j - 1]->mention, m->mention) == 0)
				first = j - 1;
		if (first == SIZE_MAX || !m->main_role || !c->exm[first]->main_role)
			continue;
		(*pairs)++;
		*main_same += strcmp(m->main_role, c->exm[first]->main_role) == 0;
		*all_same += same_roles(m, c->exm[first]);
	}
}

/* Where the exact matches are lost, pooled over folds: per language the main-role
 * accuracy, the share of main-right mentions whose fine list is also exact
 * (EMR = the product), the share of gold lists with several roles (never exact
 * unless a set label or second role is predicted), the fine exactness by gold
 * main role, the most frequent single fine-role confusions, and how often a name
 * repeated in its article keeps its gold roles (gold_locality). */
static void cv_decompose(FILE *out, size_t nl, const char *const *langs, const fr_corpus *c, const int *exfold,
			 const double *S, size_t L, ns_frame_model *const *fm, const ns_frame_params *p)
{
	const ns_frame_model *any = fm[0];
	size_t nmain = ns_frame_model_nmain(any), nfine = ns_frame_model_nfine(any);
	size_t *conf = ns_calloc(nfine * nfine + 1, sizeof *conf);
	if (!conf)
		return;
	fprintf(out, "EMR decomposition (pooled over folds): mainAcc x fineExact|mainOK; gold lists of 2+ roles;\n"
		     "fineExact|mainOK by gold main role\n");
	for (size_t l = 0; l <= nl; l++) {
		size_t n = 0, mok = 0, exact = 0, multi = 0, byk[8][2] = {{0}};
		for (size_t i = 0; i < c->n; i++) {
			if (l < nl && strcmp(c->exdoc[i]->lang, langs[l]) != 0)
				continue;
			const ns_task_mention *m = c->exm[i];
			const ns_frame_model *fmm = fm[exfold[i]];
			ns_frame_decision d;
			ns_frame_decide(&d, fmm, S + i * L, S + i * L + nmain, p);
			const char *pm = ns_frame_model_main(any, (size_t)d.main);
			n++;
			multi += m->nfine_roles > 1;
			if (!m->main_role || strcmp(pm, m->main_role) != 0)
				continue;
			mok++;
			int eq = d.nfine == m->nfine_roles;
			for (size_t q = 0; eq && q < d.nfine; q++)
				eq = strcmp(ns_frame_model_fine(any, (size_t)d.fine[q]), m->fine_roles[q]) == 0;
			exact += eq;
			if (d.main < 8) {
				byk[d.main][0]++;
				byk[d.main][1] += eq;
			}
			if (l == nl && !eq && m->nfine_roles == 1 && d.nfine >= 1) {
				for (size_t g = 0; g < nfine; g++)
					if (strcmp(ns_frame_model_fine(any, g), m->fine_roles[0]) == 0)
						conf[g * nfine + (size_t)d.fine[0]]++;
			}
		}
		if (n == 0)
			continue;
		fprintf(out, "  %-5s mainAcc %.3f  fineExact|mainOK %.3f  multi %.3f  by main:", l < nl ? langs[l] : "all",
			(double)mok / (double)n, mok ? (double)exact / (double)mok : 0.0, (double)multi / (double)n);
		for (size_t k = 0; k < nmain && k < 8; k++)
			fprintf(out, " %s %.2f", ns_frame_model_main(any, k),
				byk[k][0] ? (double)byk[k][1] / (double)byk[k][0] : 0.0);
		fputc('\n', out);
	}
	fprintf(out, "  most frequent fine confusions (main right, one gold role; gold -> predicted):");
	for (int t = 0; t < 8; t++) {
		size_t best = 0, bi = 0;
		for (size_t q = 0; q < nfine * nfine; q++)
			if (conf[q] > best) {
				best = conf[q];
				bi = q;
			}
		if (!best)
			break;
		fprintf(out, "%s %s -> %s %zu", t ? "," : "", ns_frame_model_fine(any, bi / nfine),
			ns_frame_model_fine(any, bi % nfine), best);
		conf[bi] = 0;
	}
	fputc('\n', out);
	fprintf(out, "gold role agreement of a name repeated in its article (pairs: a mention and the first one of "
		     "the same text):\n");
	for (size_t l = 0; l <= nl; l++) {
		size_t np, ms, as;
		gold_locality(&np, &ms, &as, c, l < nl ? langs[l] : NULL);
		if (np)
			fprintf(out, "  %-5s pairs %5zu  same main %.3f  same main and fine roles %.3f\n",
				l < nl ? langs[l] : "all", np, (double)ms / (double)np, (double)as / (double)np);
	}
	free(conf);
}

/* Analysis aid (environment NS_FRAMING_OOF=FILE): one line per mention with the
 * out-of-fold decision and scores: article, language, mention, start, fold, gold
 * main and first fine role, predicted main and first fine role, the main-role
 * scores, role=score for every fine role, then gold=the gold fine roles joined
 * by ';'. */
static int cv_dump(const char *path, const fr_corpus *c, const fr_roles *r, const int *exfold, const double *S,
		   size_t L, ns_frame_model *const *fm, const ns_frame_params *p)
{
	FILE *df = fopen(path, "w");
	if (!df)
		return ns_error__set(NS_EIO, "%s: cannot write", path);
	for (size_t i = 0; i < c->n; i++) {
		const ns_task_mention *mm = c->exm[i];
		const double *s = S + i * L;
		ns_frame_decision d;
		ns_frame_decide(&d, fm[exfold[i]], s, s + r->nmain, p);
		fprintf(df, "%s\t%s\t%s\t%lld\t%d\t%s\t%s\t%s\t%s", c->exdoc[i]->id, c->exdoc[i]->lang, mm->key,
			(long long)mm->start, exfold[i], mm->main_role ? mm->main_role : "",
			mm->nfine_roles ? mm->fine_roles[0] : "", ns_frame_model_main(fm[0], (size_t)d.main),
			d.nfine ? ns_frame_model_fine(fm[0], (size_t)d.fine[0]) : "");
		for (size_t q = 0; q < r->nmain; q++)
			fprintf(df, "\t%.4f", s[q]);
		for (size_t q = 0; q < r->nfine; q++)
			fprintf(df, "\t%s=%.4f", r->fine[q], s[r->nmain + q]);
		fputs("\tgold=", df);
		for (size_t q = 0; q < mm->nfine_roles; q++)
			fprintf(df, "%s%s", q ? ";" : "", mm->fine_roles[q]);
		fputc('\n', df);
	}
	return fclose(df) == 0 ? 0 : ns_error__set(NS_EIO, "%s: write failed", path);
}

static int cv_core(const ns_task_opts *o, fr_corpus *c, const fr_roles *r, const ns_frame_params *p, FILE *out,
		   ns_buf *manifest)
{
	ns_frame_model *m = NULL, *fm[64] = {NULL};
	int *dfold = NULL, *exfold = NULL;
	const char **ids = NULL, **dlangs = NULL;
	double *S = NULL;
	fr_stats *st = NULL;
	ns_frame_example *sub = NULL;
	const char *langs[FR_MAX_LANGS];
	size_t nl = 0;
	int rc, k = o->folds;
	if (k < 2 || k > 64)
		return ns_error__set(NS_EINVAL, "framing cv: --folds must be between 2 and 64");
	ids = ns_calloc(c->ndocs, sizeof *ids);
	dlangs = ns_calloc(c->ndocs, sizeof *dlangs);
	dfold = ns_calloc(c->ndocs, sizeof *dfold);
	exfold = ns_calloc(c->n, sizeof *exfold);
	sub = ns_calloc(c->n, sizeof *sub);
	if (!ids || !dlangs || !dfold || !exfold || !sub)
		goto nomem;
	for (size_t i = 0; i < c->ndocs; i++) {
		ids[i] = c->docs[i]->id;
		dlangs[i] = c->docs[i]->lang;
	}
	if ((rc = ns_folds_assign(dfold, ids, dlangs, c->ndocs, k, o->seed)) < 0)
		goto cleanup;
	if (o->dump_folds && (rc = ns_folds_dump(o->dump_folds, dfold, ids, dlangs, c->ndocs)) < 0)
		goto cleanup;
	for (size_t i = 0, d = 0; i < c->n; i++) {
		/* examples are in document order: advance the document cursor */
		while (d < c->ndocs && c->docs[d] != c->exdoc[i])
			d++;
		exfold[i] = d < c->ndocs ? dfold[d] : 0;
		size_t l = 0;
		while (l < nl && strcmp(langs[l], c->exdoc[i]->lang) != 0)
			l++;
		if (l == nl && nl < FR_MAX_LANGS)
			langs[nl++] = c->exdoc[i]->lang;
	}
	/* per mention: main, fine and set-label scores of its fold's model (the
	 * set labels differ by fold: each fold model is kept to decide) */
	size_t L = r->nmain + r->nfine + NS_FRAME_MAX_SETS;
	S = ns_calloc(c->n * L, sizeof *S);
	if (!S)
		goto nomem;
	double t0 = now_s();
	for (int f = 0; f < k; f++) {
		size_t ns = 0;
		for (size_t i = 0; i < c->n; i++)
			if (exfold[i] != f)
				sub[ns++] = c->ex[i]; /* shallow: bags shared, not freed here */
		if ((rc = ns_frame_train(&m, sub, ns, r->main, r->nmain, r->fine, r->fine_main, r->nfine, p,
					 o->threads)) < 0)
			goto cleanup;
		for (size_t i = 0; i < c->n; i++)
			if (exfold[i] == f && (rc = ns_frame_score(m, &c->ex[i].bag, S + i * L, S + i * L + r->nmain)) < 0)
				goto cleanup;
		if (o->progress)
			fprintf(stderr, "framing cv: fold %d/%d done (%.1fs)\n", f + 1, k, now_s() - t0);
		fm[f] = m;
		m = NULL;
	}
	if (getenv("NS_FRAMING_OOF") && (rc = cv_dump(getenv("NS_FRAMING_OOF"), c, r, exfold, S, L, fm, p)) < 0)
		goto cleanup;
	st = ns_calloc(nl + 1, sizeof *st);
	if (!st)
		goto nomem;
	cv_score(st, nl, langs, c, exfold, k, S, L, fm, p);
	static const char *const metric[3] = {"emr", "micro_f1", "main_acc"};
	if (manifest) {
		char key[96];
		for (size_t l = 0; l <= nl; l++)
			for (int q = 0; q < 3; q++) {
				double mu, sd;
				char lc[8];
				size_t ll = 0;
				const char *ln = l < nl ? langs[l] : "mean";
				for (; ln[ll] && ll < sizeof lc - 1; ll++)
					lc[ll] = (char)tolower((unsigned char)ln[ll]);
				lc[ll] = 0;
				mean_std(st[l].v[q], k, &mu, &sd);
				snprintf(key, sizeof key, "cv.framing.%s.%s", metric[q], lc);
				ns_manifest_put_score(manifest, key, mu, sd);
			}
		if (ns_buf_failed(manifest))
			goto nomem;
	}
	if (c->sal.n && (rc = ns_task_sal_cv(&c->sal, c->docs, dfold, c->ndocs, k, o->threads, out, manifest)) < 0)
		goto cleanup;
	if (!out) {
		rc = 0;
		goto cleanup;
	}
	ns_buf ps = NS_BUF_INIT;
	ns_frame_params_format(p, &ps);
	fprintf(out, "framing cv: %d folds by document (seed %lu), %zu mentions, %zu documents\nparams: %s\n", k,
		o->seed, c->n, c->ndocs, ps.ptr ? ps.ptr : "");
	ns_buf_free(&ps);
	fprintf(out, "%-5s %6s  %-16s %-16s %-16s\n", "lang", "n", "EMR", "microF1", "mainAcc");
	for (size_t l = 0; l <= nl; l++) {
		size_t n = 0;
		for (size_t i = 0; l < nl && i < c->n; i++)
			n += strcmp(c->exdoc[i]->lang, langs[l]) == 0;
		fprintf(out, "%-5s %6zu ", l < nl ? langs[l] : "mean", l < nl ? n : c->n);
		for (int q = 0; q < 3; q++) {
			double mu, sd;
			mean_std(st[l].v[q], k, &mu, &sd);
			fprintf(out, " %.4f ± %.4f", mu, sd);
		}
		fputc('\n', out);
	}
	cv_decompose(out, nl, langs, c, exfold, S, L, fm, p);
	/* decision rules on the same out-of-fold scores */
	static const fr_variant vars[] = {
		{"main argmax, top fine", 0, 0, 100},      {"joint jw=0.1, top fine", 1, 0.1, 100},
		{"joint jw=0.25, top fine", 1, 0.25, 100}, {"joint jw=0.5, top fine", 1, 0.5, 100},
		{"joint jw=0.25, 2nd fine>=0.3", 1, 0.25, 0.3}, {"joint jw=0.25, 2nd fine>=0", 1, 0.25, 0},
		{"joint jw=0.25, 2nd fine>=-0.3", 1, 0.25, -0.3},
	};
	fprintf(out, "decision rules (same out-of-fold scores; mean over languages):\n");
	for (size_t v = 0; v < sizeof vars / sizeof vars[0]; v++) {
		ns_frame_params q = *p;
		q.joint = vars[v].joint;
		q.joint_w = vars[v].jw;
		q.second = vars[v].second;
		cv_score(st, nl, langs, c, exfold, k, S, L, fm, &q);
		fprintf(out, "  %-30s", vars[v].name);
		for (int qi = 0; qi < 3; qi++) {
			double mu, sd;
			mean_std(st[nl].v[qi], k, &mu, &sd);
			fprintf(out, " %.4f ± %.4f", mu, sd);
		}
		fputc('\n', out);
	}
	rc = 0;
	goto cleanup;
nomem:
	rc = NS_ENOMEM;
cleanup:
	free(st);
	free(S);
	free(sub);
	free(ids);
	free(dlangs);
	free(dfold);
	free(exfold);
	ns_frame_model_free(m);
	for (int f = 0; f < 64; f++)
		ns_frame_model_free(fm[f]);
	return rc;
}

static int framing_cv(const ns_task_opts *o, FILE *out)
{
	fr_corpus c;
	fr_roles r = {0};
	ns_frame_params p;
	ns_frame_cues *cues = NULL;
	int rc;
	memset(&c, 0, sizeof c);
	if ((rc = params_from_opts(&p, o)) < 0 || (rc = ns_frame_cues_new(&cues)) < 0)
		goto cleanup;
	if ((rc = corpus_load(&c, o, &p, cues)) < 0 || (rc = roles_of(&r, c.tax)) < 0)
		goto cleanup;
	rc = cv_core(o, &c, &r, &p, out, NULL);
cleanup:
	ns_frame_cues_free(cues);
	roles_free(&r);
	corpus_free(&c);
	return rc;
}

/* ---- prediction for a mentions file ---- */

enum { W_UNKNOWN, W_PASTEND, W_NOTAT, W_NOTFOUND, W_NKINDS };

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int framing_predict(const ns_bundle *b, const ns_task_opts *o, const char *const *inputs, size_t ninputs,
			   const char *out_path)
{
	ns_tsv_roles *rows = NULL;
	ns_frame_model *m = NULL;
	ns_gazetteer *gaz = NULL;
	ns_strmap *byid = NULL;
	ns_input *in = NULL;
	ns_buf outb = NS_BUF_INIT;
	ns_fbag bag = NS_FBAG_INIT;
	ns_frame_decision *dec = NULL;
	char *done = NULL;
	int32_t *next = NULL, *tail = NULL; /* rows of one article: byid -> first, next[] */
	size_t warn[W_NKINDS] = {0}, nshown = 0, crlf = 0;
	double *sc = NULL;
	int rc;
	const void *data;
	size_t len;
	if (!o->mentions)
		return ns_error__set(NS_EINVAL, "predict --task framing: --mentions FILE is required");
	if (ninputs == 0)
		return ns_error__set(NS_EINVAL, "predict --task framing: give the article directory or files");
	if ((rc = ns_bundle_section(b, NS_FRAME_SECTION, &data, &len)) < 0)
		return ns_error__set(NS_ENOTFOUND, "%s: model has no framing section (train with --task framing or all)",
				     ns_bundle_path(b));
	if ((rc = ns_frame_model_load(&m, data, len)) < 0)
		return rc;
	if (ns_frame_model_params(m)->f.gazetteer && (rc = ns_gazetteer_load_default(&gaz, b)) < 0)
		goto cleanup;
	ns_tsv_opts topt = NS_TSV_OPTS_INIT;
	topt.allow_no_roles = 1;
	if ((rc = ns_tsv_read_roles(&rows, o->mentions, &topt)) < 0)
		goto cleanup;
	if ((rc = ns_strmap_new(&byid)) < 0)
		goto cleanup;
	for (size_t i = 0; i < rows->n; i++) {
		bool ins;
		const char *id = rows->rows[i].article_id;
		if (!ns_strmap_put(byid, id, strlen(id), (int32_t)i, &ins))
			goto nomem;
	}
	size_t nmain = ns_frame_model_nmain(m), nfine = ns_frame_model_nfine(m) + ns_frame_model_nsets(m);
	dec = ns_calloc(rows->n + 1, sizeof *dec);
	done = ns_calloc(rows->n + 1, 1);
	sc = ns_calloc(nmain + nfine, sizeof *sc);
	next = ns_malloc((rows->n + 1) * sizeof *next);
	tail = ns_malloc((rows->n + 1) * sizeof *tail);
	if (!dec || !done || !sc || !next || !tail)
		goto nomem;
	for (size_t i = 0; i < rows->n; i++) {
		int32_t f = 0;
		const char *id = rows->rows[i].article_id;
		ns_strmap_get(byid, id, strlen(id), &f);
		next[i] = -1;
		tail[i] = (int32_t)i;
		if ((size_t)f != i) {
			next[tail[f]] = (int32_t)i;
			tail[f] = (int32_t)i;
		}
	}
	ns_input_opts iopt = NS_INPUT_OPTS_INIT;
	iopt.format = NS_INPUT_TEXT;
	if ((rc = ns_input_open(&in, inputs, ninputs, &iopt)) < 0)
		goto cleanup;
	const ns_frame_params *p = ns_frame_model_params(m);
	for (;;) {
		ns_input_doc item;
		memset(&item, 0, sizeof item);
		int more = ns_input_next(in, &item);
		if (more <= 0) {
			rc = more;
			if (more < 0)
				goto cleanup;
			break;
		}
		const char *id = base_name(item.path ? item.path : item.id);
		int32_t any;
		if (item.error || !ns_strmap_get(byid, id, strlen(id), &any)) {
			if (item.error)
				fprintf(stderr, "narrascope: warning: %s\n", item.message);
			ns_input_doc_release(&item);
			continue;
		}
		char *text = NULL;
		size_t tlen = 0, nbad = 0;
		ns_doc doc;
		ns_frame_docctx ctx;
		memset(&ctx, 0, sizeof ctx);
		if ((rc = ns_utf8_repair(&text, &tlen, &nbad, item.text, item.len)) < 0) {
			ns_input_doc_release(&item);
			goto cleanup;
		}
		ns_taskdata_aligner *al = NULL;
		rc = process_doc(&doc, text, tlen, id, gaz, ns_frame_model_claim_lex(m));
		if (rc >= 0)
			rc = ns_frame_docctx_init(&ctx, &doc, ns_frame_model_cues(m));
		if (rc >= 0)
			rc = ns_taskdata_aligner_new(&al, text, tlen);
		for (int32_t i = any; rc >= 0 && i >= 0; i = next[i]) {
			const ns_tsv_role_row *row = &rows->rows[i];
			if (done[i])
				continue; /* a second file of the same name */
			done[i] = 1;
			int64_t cs, ce;
			size_t bs, be;
			ns_align_kind k = ns_taskdata_aligner_align(al, row->key, strlen(row->key), row->start, row->end,
								    &cs, &ce, &bs, &be);
			if (k == NS_ALIGN_NONE && strcmp(row->key, row->mention) != 0) /* quotes are part of the text */
				k = ns_taskdata_aligner_align(al, row->mention, strlen(row->mention), row->start,
							      row->end, &cs, &ce, &bs, &be);
			int wk = -1;
			if ((size_t)row->start >= doc.nchars || (size_t)row->end >= doc.nchars)
				wk = W_PASTEND;
			else if (k == NS_ALIGN_NONE)
				wk = W_NOTFOUND;
			else if (k == NS_ALIGN_NEAREST)
				wk = W_NOTAT;
			crlf += k == NS_ALIGN_CRLF;
			if (wk >= 0) {
				warn[wk]++;
				if (nshown++ < 10)
					fprintf(stderr, "narrascope: warning: %s:%d: %s\n", o->mentions, row->line,
						wk == W_PASTEND ? "offsets past the end of the article"
						: wk == W_NOTFOUND ? "mention text not found in the article; classified at the given offsets"
								   : "mention text not at the given offsets; used the nearest occurrence");
			}
			if (k == NS_ALIGN_NONE) {
				cs = row->start < (int64_t)doc.nchars ? row->start : (int64_t)doc.nchars;
				ce = row->end + 1 < (int64_t)doc.nchars ? row->end + 1 : (int64_t)doc.nchars;
			}
			ns_fbag_clear(&bag);
			if ((rc = ns_frame_features(&bag, &ctx, (uint32_t)cs, (uint32_t)ce, &p->f)) < 0 ||
			    (rc = ns_frame_score(m, &bag, sc, sc + nmain)) < 0)
				break;
			ns_frame_decide(&dec[i], m, sc, sc + nmain, NULL);
		}
		ns_taskdata_aligner_free(al);
		ns_frame_docctx_free(&ctx);
		ns_doc_release(&doc);
		free(text);
		ns_input_doc_release(&item);
		if (rc < 0)
			goto cleanup;
	}
	for (size_t i = 0; i < rows->n; i++) {
		const ns_tsv_role_row *row = &rows->rows[i];
		if (!done[i]) {
			warn[W_UNKNOWN]++;
			if (nshown++ < 10)
				fprintf(stderr, "narrascope: warning: %s:%d: unknown article '%s' (not among the inputs); line skipped\n",
					o->mentions, row->line, row->article_id);
			continue;
		}
		const char *fl[NS_FRAME_MAX_FINE];
		for (size_t q = 0; q < dec[i].nfine; q++)
			fl[q] = ns_frame_model_fine(m, (size_t)dec[i].fine[q]);
		ns_tsv_write_role(&outb, row->article_id, row->mention, row->start, row->end,
				  ns_frame_model_main(m, (size_t)dec[i].main), fl, dec[i].nfine);
	}
	if (ns_buf_failed(&outb))
		goto nomem;
	if ((rc = ns_file_write_atomic(out_path, outb.ptr ? outb.ptr : "", outb.size)) < 0)
		goto cleanup;
	if (warn[W_UNKNOWN] + warn[W_PASTEND] + warn[W_NOTAT] + warn[W_NOTFOUND])
		fprintf(stderr, "narrascope: %s: %zu lines, warnings: %zu unknown article, %zu offsets past the end, "
				"%zu mention not at offset (nearest used), %zu mention not found; %zu at CRLF-counted offsets\n",
			o->mentions, rows->n, warn[W_UNKNOWN], warn[W_PASTEND], warn[W_NOTAT], warn[W_NOTFOUND], crlf);
	else if (o->progress)
		fprintf(stderr, "narrascope: %s: %zu lines predicted (%zu at CRLF-counted offsets)\n", o->mentions,
			rows->n, crlf);
	rc = 0;
	goto cleanup;
nomem:
	rc = NS_ENOMEM;
cleanup:
	ns_input_free(in);
	ns_fbag_free(&bag);
	ns_buf_free(&outb);
	free(dec);
	free(done);
	free(next);
	free(tail);
	free(sc);
	ns_strmap_free(byid);
	ns_tsv_roles_free(rows);
	ns_frame_model_free(m);
	ns_gazetteer_free(gaz);
	return rc;
}

const ns_task ns_task_framing = {
	"framing", "entity roles per mention: main and fine roles (SemEval-2025 subtask 1)", framing_train, framing_cv,
	framing_predict,
};
