/* The narrative classifier: one-vs-rest linear heads over hashed document
 * features for the coarse narratives and the fine subnarratives of a two-level
 * taxonomy, an optional domain head (URW vs CC style label prefixes), per-head
 * decision thresholds tuned on inner cross-validation scores for the F1-samples
 * metric, and the decoding rules that keep coarse and fine labels consistent.
 *
 * DESIGN: heads exist only for labels with training positives; the bare "Other"
 * labels are never scored, they come from the decoding rules (narr_decode.c), and
 * "<narrative>: Other" comes from the rules and, with other_heads, from a head. Weights are stored feature-major (one row of
 * nheads weights per kept feature hash) so scoring a document touches one row per
 * feature it has. Weights are quantized to 8 bits per feature row (row scale =
 * max |w| / 127) right after training, so cross-validation measures exactly the
 * model that is shipped, at a quarter of the size. With knn_k and knn_a set, the
 * head scores are blended with label votes of the nearest training articles
 * (narr_knn.c) before thresholds, in training (inner CV) as in prediction. With
 * stack=1 a second stage (narr_stack.c), fitted on the inner CV's out-of-fold
 * scores, corrects every label head's score by a ridge regression over all
 * heads' scores before thresholds. The model is immutable after training or loading and may be
 * shared by threads. */
#ifndef NS_NARRATIVE_NARR_H
#define NS_NARRATIVE_NARR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../learn/features.h"
#include "../learn/knn.h"
#include "../learn/linear.h"
#include "../learn/svec.h"
#include "../model/bundle.h"
#include "../util/util.h"

#define NS_NARR_MAX_DOMAINS 8

typedef struct ns_narr_params {
	ns_feat_opts feat;
	ns_vec_opts vec;
	ns_linear_params lin;     /* C, pos_weight, loss, eps, max_iter, bias, seed */
	unsigned min_df;          /* features in fewer training documents are dropped */
	int max_features;         /* keep at most this many features (largest max |w| over heads); 0 = all */
	int inner_folds;          /* folds of the inner CV that produces threshold-tuning scores (< 2: none, thresholds 0) */
	int tune_rounds;          /* coordinate-ascent passes over the heads (0: global thresholds only) */
	double fine_weight;       /* tuning objective: (1-w) F1coarse + w F1fine */
	int domain;               /* 1: domain head masks labels of other domains */
	double desc_weight;       /* > 0: taxonomy descriptions join training as pseudo-documents */
	double expl_weight;       /* > 0: the articles' dominant-narrative explanations (subtask 3) join
				     training as pseudo-documents of their article */
	int fallback;             /* 1: when nothing passes, emit the best coarse head if within the tuned margin */
	int other_doc;            /* 1: a head for articles without narrative (veto, see NS_HEAD_OTHER) */
	int other_heads;          /* 1: "<narrative>: Other" gets a head of its own (it also co-occurs
				     with specific subnarratives), besides the fallback rule */
	int mix;                  /* 1: tune a weight mixing each narrative's score into its subnarratives' */
	double fine_neg;          /* cost factor of articles outside a subnarrative's narrative in its
				     head's training (1: plain one-vs-rest) */
	int prune;                /* 1: tune the pruning margin of decoding rule 4b (narr_decode.c) */
	int fine_fallback;        /* 1: tune the subnarrative fallback margin of rule 4c */
	int ef1;                  /* 1: decode by expected F1 over calibrated probabilities (rule 0, narr_ef1.c) */
	int cues;                 /* 1: framing cue categories (NS_FG_EXTRA); 2: + entity x category per sentence */
	int entities;             /* 1: canonical gazetteer entity ids (and title entities) as NS_FG_CUE
				     features, shared across languages; needs doc->entities */
	int knn_k;                /* > 0 (with knn_a > 0): nearest training articles voting (narr_knn.c) */
	double knn_a;             /* blend weight of the neighbour votes into the head scores */
	int knn_terms;            /* features kept per indexed article (largest tf-idf) */
	double knn_pow;           /* a neighbour's vote weighs similarity^knn_pow */
	int knn_groups;           /* bit g: feature group g takes part in similarities */
	int stack;                /* 1: second stage over all heads' scores (narr_stack.c) */
	double stack_l2;          /* its ridge penalty (per article, inputs on the margin scale) */
	double stack_b;           /* scale of its correction */
	int stack_target;         /* 1: no residual where the first stage is beyond the margin */
	int stack_in;             /* 1: only narrative, "no narrative" and domain scores as its inputs */
} ns_narr_params;

void ns_narr_params_default(ns_narr_params *p);
/* Applies "key=value,key=value" overrides (keys as written by _format). Unknown keys
 * or bad values are NS_EINVAL with a message naming the key. */
int ns_narr_params_parse(ns_narr_params *p, const char *s);
/* Appends "key=value" lines (one per parameter, stable order) for the manifest. */
int ns_narr_params_format(ns_buf *b, const ns_narr_params *p, const char *sep);
/* The i-th parameter name and its accepted range (for tests that walk every
 * parameter); -1 past the last. */
int ns_narr__param_range(size_t i, const char **name, double *min, double *max);

/* A labelled example: hashed features plus gold label indices into the taxonomy's
 * coarse/fine lists (labels outside the lists are not included). */
typedef struct ns_narr_example {
	ns_svec x;
	int32_t *coarse, *fine;
	size_t ncoarse, nfine;
	int domain;              /* index into the label domains, -1 unknown */
	float weight;            /* cost multiplier (1 for articles; desc_weight for descriptions) */
	int is_desc;             /* 1: pseudo-document (description or explanation; never evaluated) */
	size_t explains;         /* explanation pseudo-document: 1 + index of its article (it trains only
				    where that article does); 0 otherwise */
} ns_narr_example;

/* The label space derived from a taxonomy (coarse and fine lists). */
typedef struct ns_narr_labels {
	char **coarse, **fine;
	size_t ncoarse, nfine;
	int32_t *fine_parent;      /* coarse index of each fine label, -1 none */
	int32_t *fine_other;       /* for coarse c: index of the fine "<c>: Other", -1 none */
	int32_t coarse_other;      /* index of bare "Other" in coarse, -1 none */
	int32_t fine_other_bare;   /* index of bare "Other" in fine, -1 none */
	char *domains[NS_NARR_MAX_DOMAINS];
	size_t ndomains;
	int32_t *coarse_domain;    /* domain of each coarse label (prefix before ": "), -1 none */
} ns_narr_labels;

int ns_narr_labels_init(ns_narr_labels *L, const char *const *coarse, size_t ncoarse, const char *const *fine,
			size_t nfine);
void ns_narr_labels_free(ns_narr_labels *L);
/* Domain index for an article id by its file-name cue (_UA_/URW or _CC_/CC), -1 if none. */
int ns_narr_labels_domain_of_id(const ns_narr_labels *L, const char *id);

/* Heads: label index and kind. */
/* NS_HEAD_OTHER: the article has no narrative (gold "Other"); when on, it vetoes
 * every other label. Its threshold starts off (above the grid) and is only moved
 * by per-head tuning when that improves the objective. */
enum { NS_HEAD_COARSE = 0, NS_HEAD_FINE = 1, NS_HEAD_DOMAIN = 2, NS_HEAD_OTHER = 3 };
typedef struct ns_narr_head {
	int kind;
	int32_t label; /* coarse index, fine index or domain index */
} ns_narr_head;

/* The second stage (narr_stack.c): per head, weights over all heads' clipped
 * scores plus an intercept, added to the head's own score. */
typedef struct ns_narr_stack {
	size_t nh;
	float *A;     /* nh x (nh + 1), row-major; zero rows: heads left as they are */
	void *owned;
} ns_narr_stack;
void ns_narr_stack_free(ns_narr_stack *st);

#define NS_NARR_MAX_COARSE 256
#define NS_NARR_MAX_FINE 1024

typedef struct ns_narr_model {
	ns_narr_labels L;
	ns_narr_params p;
	ns_narr_head *heads;
	size_t nheads;
	uint32_t *ids;      /* sorted feature hashes; dim of them */
	size_t dim;
	float *scale;       /* dim: weight of feature f for head h is scale[f] * Q[f * nheads + h] */
	int8_t *Q;          /* dim x nheads, feature-major, quantized per feature row */
	float *bias;        /* nheads: w_bias * bias value */
	float *theta;       /* nheads decision thresholds (domain heads: unused) */
	float fallback;     /* margin below threshold still accepted for the best coarse head */
	float mix;          /* a fine head's decision value adds mix x its narrative head's value */
	float prune;        /* > 0: narratives weaker than the article's strongest by more are dropped */
	float fine_fallback; /* > 0: a narrative without subnarrative takes its best one within this margin */
	int32_t *hparent;   /* per head: the head of the parent narrative (fine heads), else -1 */
	/* expected-F1 decoding (narr_ef1.c), when has_cal: per narrative c, P(c) =
	 * sigmoid(cal[2c] * strength + cal[2c + 1]); P(no narrative) = sigmoid(w0 +
	 * w1 * margin of the "no narrative" head + w2 * strongest narrative), w at
	 * cal + 2 * ncoarse */
	int has_cal;
	float cal[2 * NS_NARR_MAX_COARSE + 3];
	/* decision-only scoring layout of loaded models with domain heads (narr_predict.c),
	 * else NULL; its storage is owned[1] (unused by loaded models otherwise) */
	const struct ns_narr_planes *planes;
	ns_knn *knn;        /* neighbour index (knn on), else NULL; owns its block when built */
	ns_narr_stack *stack; /* second stage (stack on), else NULL; owned */
	/* storage: when loaded from a bundle ids/W may point into the mapping */
	void *owned[5];
} ns_narr_model;

/* Trains on examples rows[0..nrows) (indices into ex): heads for labels with
 * positives, a domain head per domain when p->domain, thresholds from an inner CV
 * of p->inner_folds folds (seeded), then the final heads on all rows. */
typedef struct ns_narr_train_ctx {
	int threads;
	int progress;       /* 1: progress lines on stderr */
	const char *what;   /* progress prefix, e.g. "fold 2/5" */
} ns_narr_train_ctx;
int ns_narr_train(ns_narr_model **out, const ns_narr_labels *L, const ns_narr_example *ex, const size_t *rows,
		  size_t nrows, const ns_narr_params *p, const ns_narr_train_ctx *ctx);
void ns_narr_model_free(ns_narr_model *m);

/* Scores (nheads floats) of a hashed vector: linear heads, blended with the
 * neighbour votes when the model has them. 0 or NS_ENOMEM. */
int ns_narr_model_scores(const ns_narr_model *m, const ns_svec *x, float *scores);

/* Decoded labels of one article. */
typedef struct ns_narr_decision {
	int32_t coarse[NS_NARR_MAX_COARSE], fine[NS_NARR_MAX_FINE]; /* taxonomy indices, increasing */
	size_t ncoarse, nfine;
	int32_t domain;     /* predicted domain, -1 none */
	int raw_any;        /* 1: some head passed its threshold (rules 4 and 6 not used) */
} ns_narr_decision;

/* Applies thresholds and the consistency rules (see narr_decode.c) with the
 * model's own mixing weight m->mix. */
void ns_narr_decode(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
		    float fallback);
/* The same with an explicit mixing weight (threshold tuning); the model's own
 * prune and fine_fallback. */
void ns_narr_decode_mix(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
			float fallback, float mix);
/* The tunable parts of the decoding rules (see narr_decode.c). */
typedef struct ns_narr_decode_rule {
	float fallback, mix, prune, fine_fallback;
	int ef1; /* 1: rule 0 (expected F1) with the model's calibration */
} ns_narr_decode_rule;
/* The same with every rule parameter explicit. */
void ns_narr_decode_ext(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
			const ns_narr_decode_rule *rule);
/* Narratives covered by the calibration of rule 0 (cal holds 2 x this + 3). */
static inline size_t ns_narr__ncal(const ns_narr_model *m)
{
	return m->L.ncoarse < NS_NARR_MAX_COARSE ? m->L.ncoarse : NS_NARR_MAX_COARSE;
}
/* Rule 0 (narr_ef1.c): decodes by expected F1 with the model's calibration. */
void ns_narr__ef1_decode(ns_narr_decision *d, const ns_narr_model *m, const float *scores, const float *theta,
			 float mix);
/* The calibrated probabilities of rule 0: pc[c] for every narrative c <
 * ns_narr__ncal(m) (0 outside the article's domain), *po that it has none. */
void ns_narr__ef1_probs(const ns_narr_model *m, const float *scores, const float *theta, float mix, float *pc,
			float *po);
/* Fits the calibration of rule 0 (m->cal, m->has_cal) on out-of-fold scores S
 * (n x nheads) of examples rows[0..n), with the model's tuned thresholds. */
int ns_narr__ef1_fit(ns_narr_model *m, const float *S, const ns_narr_example *ex, const size_t *rows, size_t n);
/* Decision value of head h after mixing in its parent's value. */
static inline float ns_narr_value(const ns_narr_model *m, const float *scores, size_t h, float mix)
{
	int32_t p = m->hparent ? m->hparent[h] : -1;
	return p >= 0 ? scores[h] + mix * scores[p] : scores[h];
}
/* Sets m->hparent from the heads (allocates). */
int ns_narr__link_heads(ns_narr_model *m);

/* Bundle sections "narr.params", "narr.weights" (and the label lists inside
 * narr.params). Loading validates sizes; W may be used in place. */
int ns_narr_model_save(const ns_narr_model *m, ns_bundle_writer *w);
int ns_narr_model_load(ns_narr_model **out, const ns_bundle *b);

/* Hashed document vector for the model's feature settings (doc processed by the
 * text stage). bag is scratch space (cleared first) and keeps the hits with their
 * sentences afterwards, for evidence. Caller frees out->e. */
int ns_narr_featurize(ns_svec *out, ns_fbag *bag, const ns_doc *doc, const ns_narr_params *p);

/* Resources some feature groups need (borrowed; NULL members: those groups off). */
struct ns_gazetteer;
struct ns_frame_cues;
typedef struct ns_narr_res {
	const struct ns_gazetteer *gaz;    /* p->entities, p->cues >= 2: entity detection when
					      doc->entities is not there yet */
	const struct ns_frame_cues *cues;  /* p->cues: cross-lingual cue categories */
} ns_narr_res;
/* ns_narr_featurize plus the resource-backed groups: runs entity detection on doc
 * when needed (doc->entities is set as a side effect), then adds the entity and
 * cue groups. */
int ns_narr_featurize_with(ns_svec *out, ns_fbag *bag, ns_doc *doc, const ns_narr_params *p, const ns_narr_res *res);
/* Cue categories of the framing lexicon (src/frame/cues.c) per word as NS_FG_EXTRA
 * hits "<category>", and with pairs, "<entity id>|<category>" for every gazetteer
 * entity and category in the same sentence. */
int ns_narr__cue_features(ns_fbag *bag, const ns_doc *doc, const struct ns_frame_cues *cues, int pairs);

/* Appends the gazetteer entities of doc->entities (none when the entity layer is
 * absent) as NS_FG_CUE hits: the canonical id per mention, and "title:<id>" for
 * mentions in the first title_sents sentences. 0 or NS_ENOMEM. */
int ns_narr__entity_features(ns_fbag *bag, const ns_doc *doc, int title_sents);

/* Training corpus: articles of one or more shared-task data dirs (+ taxonomy
 * descriptions as pseudo-documents when p->desc_weight > 0, and the articles'
 * subtask-3 explanations when p->expl_weight > 0), featurized. */
typedef struct ns_taskdata ns_taskdata;
typedef struct ns_taxonomy ns_taxonomy;
typedef struct ns_narr_corpus {
	ns_narr_example *ex;   /* narticles articles, then descriptions, then nexpl explanations */
	size_t n, narticles, nexpl;
	size_t expl_unknown;   /* explanations whose dominant narrative is not in the taxonomy (not used) */
	size_t expl_unknown_sub; /* explanations whose subnarrative is not (used for the narrative only) */
	const char **ids;      /* per article, borrowed from td */
	const char **langs;
	ns_taskdata **td;
	size_t ntd;
	size_t unknown_labels; /* gold label occurrences outside the taxonomy lists */
	size_t unlabeled;      /* articles without a subtask-2 line (not used) */
	uint64_t digest;       /* hash of ids, languages, texts, gold labels, taxonomy */
} ns_narr_corpus;
int ns_narr_corpus_load(ns_narr_corpus *c, const char *const *dirs, size_t ndirs, const ns_taxonomy *tax,
			const ns_narr_labels *L, const ns_narr_params *p, int threads, int progress);
void ns_narr_corpus_free(ns_narr_corpus *c);

/* Cross-validation (narr_cv.c): folds by ns_folds_assign over the articles
 * (descriptions always train, explanations with their article), a full ns_narr_train per fold, official F1-samples
 * per language on the pooled out-of-fold predictions, std across folds. */
#define NS_NARR_CV_MAX_LANGS 32
typedef struct ns_narr_cv_lang {
	char lang[16];
	size_t docs;
	double coarse, fine;         /* pooled over the language's out-of-fold articles */
	double coarse_sd, fine_sd;   /* std across folds of the per-fold means */
} ns_narr_cv_lang;
typedef struct ns_narr_cv_result {
	ns_narr_cv_lang langs[NS_NARR_CV_MAX_LANGS];
	size_t nlangs;
	double coarse, fine;         /* mean over languages */
	double coarse_sd, fine_sd;   /* std across folds of the per-fold language means */
	double domain_acc;           /* predicted domain = gold domain, over articles with both */
	double seconds;
} ns_narr_cv_result;
int ns_narr_cv(ns_narr_cv_result *res, const ns_narr_corpus *c, const ns_narr_labels *L, const ns_narr_params *p,
	       int folds, uint64_t seed, int threads, int progress, const char *dump_folds);
/* Writes the result table. */
void ns_narr_cv_print(FILE *out, const ns_narr_cv_result *res);

/* ---- prediction with evidence (narr_predict.c) ---- */

/* A sentence that carries a label: its span (code points of the original text,
 * half-open) and its contribution to the label's decision value. */
typedef struct ns_narr_evidence {
	uint32_t start, end;
	float weight;
} ns_narr_evidence;

#define NS_NARR_MAX_EVIDENCE 3

typedef struct ns_narr_item {
	const char *label;   /* borrowed from the model */
	int32_t index;       /* coarse or fine index in the model's taxonomy */
	float score;         /* 1/(1+exp(-4 (s - theta))): 0.5 at the decision threshold;
				for fallback labels ("Other", "X: Other") derived from the parent */
	ns_narr_evidence ev[NS_NARR_MAX_EVIDENCE];
	size_t nev;
	struct ns_narr_item *subs; /* coarse items only */
	size_t nsubs;
} ns_narr_item;

/* The narratives layer of a document (doc->narratives), in doc->arena. */
typedef struct ns_narr_layer {
	ns_narr_item *items; /* decided narratives in taxonomy order; "Other" alone when none */
	size_t n;
	const char *domain;  /* predicted domain name, or NULL */
	ns_narr_decision dec;
} ns_narr_layer;

/* Featurizes, scores and decodes doc (processed by the text stage); with
 * `evidence`, also finds the top sentences per decided label. The layer and its
 * items live in doc->arena. bag is caller scratch (reused across documents). */
int ns_narr_predict_doc(ns_narr_layer **out, const ns_narr_model *m, ns_doc *doc, ns_fbag *bag, int evidence);
/* Internal (narr_io.c, after loading): builds m->planes, a copy of the weights
 * split by domain so that a run without evidence (the task TSV) scores only the
 * heads its decision can use: those of no domain (domain, "no narrative"), then
 * those of the decided domain, plus a bucket index for the feature-row lookups
 * of every prediction. Without domain heads it does nothing. With
 * evidence == 0 and planes, ns_narr_predict_doc leaves the heads of the other
 * domains unscored (-1e30): the decisions are those of full scoring, but the
 * score of an "Other" item then only weighs the decided domain's narratives.
 * 0 or NS_ENOMEM. */
int ns_narr__planes_build(ns_narr_model *m);

/* ---- nearest neighbours (narr_knn.c) ---- */
/* 1: the parameters ask for the neighbour component. */
int ns_narr__knn_on(const ns_narr_params *p);
/* 1: example e is a positive of head h (the training rule of every head kind). */
int ns_narr__head_positive(const ns_narr_model *m, size_t h, const ns_narr_example *e);
/* Builds m->knn over the article rows among rows (descriptions skipped) with
 * their positive heads as labels; nothing when knn is off. */
int ns_narr__knn_build(ns_narr_model *m, const ns_narr_example *ex, const size_t *rows, size_t nrows);
/* votes[h] for every head of m (m->knn set): weighted share of the knn_k
 * nearest articles that are positives of h. 0 or NS_ENOMEM. */
int ns_narr__knn_votes(const ns_narr_model *m, const ns_svec *x, float *votes);
/* Blended score of a head: (1 - a) linear + a (2 vote - 1). */
static inline float ns_narr__knn_blend(float linear, float vote, double a)
{
	return (float)((1.0 - a) * (double)linear + a * (2.0 * (double)vote - 1.0));
}
/* Section "narr.knn": written when knn is on; loading checks it against the
 * parameters and the heads (m->p and m->heads set) and validates the index. */
int ns_narr__knn_save(const ns_narr_model *m, ns_bundle_writer *w);
int ns_narr__knn_load(ns_narr_model *m, const ns_bundle *b);

/* ---- second stage (narr_stack.c) ---- */
/* 1: the parameters ask for the second stage. */
int ns_narr__stack_on(const ns_narr_params *p);
/* Fits the second stage of m (heads, parameters) on first-stage scores S
 * (n x nheads, row i scores article ex[rows[i]]); with fold, the rows whose
 * fold is `skip` are left out. A stage fitted on fewer than 2 rows is the
 * identity. *out belongs to the caller. 0 or negative NS_E*. */
int ns_narr__stack_fit(ns_narr_stack **out, const ns_narr_model *m, const float *S, const ns_narr_example *ex,
		       const size_t *rows, size_t n, const int *fold, int skip);
/* scores (st->nh) corrected in place; tmp is nh floats of scratch. */
void ns_narr__stack_apply(const ns_narr_stack *st, float *scores, float *tmp);
/* out (n x nheads) = S with each fold f's rows corrected by a stage fitted on
 * the other folds' rows (fold[i] in [0, k)). 0 or negative NS_E*. */
int ns_narr__stack_crossfit(float *out, const ns_narr_model *m, const float *S, const ns_narr_example *ex,
			    const size_t *rows, size_t n, const int *fold, int k);
/* Section "narr.stack": written when stack is on; loading checks it against the
 * parameters and the heads (m->p and m->heads set). */
int ns_narr__stack_save(const ns_narr_model *m, ns_bundle_writer *w);
int ns_narr__stack_load(ns_narr_model *m, const ns_bundle *b);

/* Internal (narr_tune.c): tunes thresholds on out-of-fold scores S (n x nheads). */
int ns_narr__tune(float *theta, float *fallback, float *mix, float *prune, float *fine_fallback,
		  const ns_narr_model *m, const float *S, const ns_narr_example *ex, const size_t *rows, size_t n,
		  const ns_narr_params *p);
/* Internal: F1 of two index sets as the official metric defines it. */
double ns_narr__f1(const int32_t *g, size_t ng, const int32_t *p, size_t np);

#endif
