/* Entity role classifier (framing): cue lexicon, mention-context features, the
 * hierarchical role model (main role, then fine roles of that main role) and its
 * bundle section, and the per-document role layer written by the frame stage.
 *
 * DESIGN: a mention is a code-point span in a processed ns_doc. Its features come
 * from the mention itself (identity), a token window around it, its sentence
 * (split by side: before/after the mention), cue categories with side and
 * distance (a cheap stand-in for "which side of the verb"), quote context (speaker
 * or quoted), the other sentences that mention the same head word or entity, and
 * document-level cues (domain, language). Decisions are
 * one-vs-rest linear scores: main = argmax over main roles (optionally joined
 * with the best fine score of each main role), fine = the best fine role of that
 * main role, plus a second one when its score clears a CV-tuned threshold. */
#ifndef NS_FRAME_FRAME_H
#define NS_FRAME_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "../entity/entity.h"
#include "../learn/svec.h"
#include "../model/bundle.h"
#include "../text/doc.h"
#include "../util/util.h"

/* ---- cue lexicon (cues.c) ---- */
enum ns_frame_cue {
	NS_CUE_ATTACK, NS_CUE_SUFFER, NS_CUE_BLAME, NS_CUE_ACCUSE, NS_CUE_DENY, NS_CUE_PRAISE,
	NS_CUE_HERO, NS_CUE_HELP, NS_CUE_DECEIT, NS_CUE_CORRUPT, NS_CUE_TYRANT, NS_CUE_TERROR,
	NS_CUE_PEACE, NS_CUE_FAIL, NS_CUE_SPEECH, NS_CUE_AGENT, NS_CUE_THREAT, NS_CUE_SANCTION,
	NS_CUE_NEG, NS_CUE_CLIMATE, NS_CUE_ELITE, NS_CUE_PROTEST, NS_CUE_EXPLOIT, NS_CUE_TRAITOR,
	NS_CUE_BIGOT, NS_CUE_INSTIGATE, NS_CUE_MARTYR, NS_CUE_WAR,
	NS_CUE_COUNT
};

typedef struct ns_frame_cues ns_frame_cues;
int ns_frame_cues_new(ns_frame_cues **out);
void ns_frame_cues_free(ns_frame_cues *c);
/* Bit mask (1 << NS_CUE_*) of the categories the normalised token w[0..n) hits. */
uint32_t ns_frame_cues_match(const ns_frame_cues *c, const char *w, size_t n);
const char *ns_frame_cue_name(int cue);

/* ---- feature groups (features.c) ---- */
enum ns_frame_group {
	NS_FRAME_G_ID = 0,     /* mention identity: surface, stems, entity id and type */
	NS_FRAME_G_CTX = 1,    /* words in the token window, by position */
	NS_FRAME_G_SENT = 2,   /* stems of the mention's sentence, by side */
	NS_FRAME_G_CUE = 3,    /* cue categories around the mention: side, distance, quotes */
	NS_FRAME_G_STRUCT = 4, /* language, domain, position, speaker, agent marker */
	NS_FRAME_G_ENT = 5,    /* other sentences of the same entity in the document */
	NS_FRAME_G_CHAR = 6,   /* character n-grams of the mention */
	NS_FRAME_G_DOC = 7,    /* document cues, domain x language, head x document cues */
};

/* Per-document precomputation shared by all mentions of the document. */
typedef struct ns_frame_docctx {
	const ns_doc *doc;
	const ns_entity_layer *ents; /* may be NULL */
	const struct ns_claims *claims; /* doc->claims (quotes, accusations); may be NULL */
	uint32_t *cue;               /* per token cue mask */
	uint8_t *inquote;            /* per token: 1 inside a quotation */
	uint32_t *stem_class;        /* per token: index of its stem among the distinct stems */
	uint32_t *class_count;       /* per stem class: tokens with that stem */
	uint32_t *class_first;       /* per stem class: first token with that stem */
	uint32_t doc_cues[NS_CUE_COUNT];
	int domain;                  /* 0 URW (war), 1 CC (climate) by cue counts */
} ns_frame_docctx;

/* Fills c for a processed document (ns_text_process done; the entity layer is used
 * when doc->entities is set). Free with ns_frame_docctx_free. */
int ns_frame_docctx_init(ns_frame_docctx *c, const ns_doc *doc, const ns_frame_cues *cues);
void ns_frame_docctx_free(ns_frame_docctx *c);

/* Index of the entity-layer mention overlapping [start, end), or -1 (mentions are
 * in text order and do not overlap). */
int32_t ns_frame__mention_at(const ns_entity_layer *L, uint32_t start, uint32_t end);

typedef struct ns_frame_fopts {
	int window;      /* context tokens on each side */
	int char_ngrams; /* 1: character 3-4-grams of the mention */
	int ent_ctx;     /* 1: features from the other sentences of the same entity */
	int neighbours;  /* 1: stems of the previous and next sentence (group SENT) */
	int lang_cross;  /* bit mask of groups whose features are also added crossed with the
			    document language (per-language weights on top of pooled ones) */
	int window_chars; /* 1: character 4-grams of the 3 words on each side */
	int bigrams;     /* 1: the token pairs right before and after the mention */
	int type_cues;   /* 1: entity type x cue category x side */
	int doc_cross;   /* 1: head word x document cue categories; 2: x document cue words */
	int gazetteer;   /* 1: entity ids and types from the entity layer (gazetteer) */
	int verbs;       /* N > 0: stems of the N nearest content words on each side (the verb
			    stand-in; features.c) */
	int conj;        /* 1: the mention's grammatical markers (word before, word after,
			    ending of its last word, sentence start) x the cue categories of its
			    sentence by side: "pressure on X" vs "X attacked" (features.c) */
	int clause;      /* 1: stems of the mention's clause (the sentence cut at , ; : ( ) and
			    dashes) by side */
	int idcue;       /* 1: the mention's head word x cue categories within 6 tokens x side */
	int wide;        /* N > 0: stems of the N words on each side, across sentences (group
			    SENT, one tag per side) */
	int claims;      /* 1: the claims layer: the mention's entity as quote speaker, accuser,
			    accused (x act, x denial), here (claim span covers the mention) or
			    elsewhere in the document (claim_feat.c); callers run the claims
			    extractor first (ns_frame_model_claim_lex). Off: 5-fold CV EMR seeds
			    1/2/3 0.3729/0.3746/0.3759 vs 0.3760/0.3734/0.3748 (old defaults),
			    0.3797/0.3798/0.3817 vs 0.3813/0.3792/0.3815 (current) */
	/* conj, clause, idcue and wide are off by default: measured in 5-fold CV
	 * (seed 1, mean over languages, EMR / main accuracy; default 0.3760 / 0.7555):
	 * conj=1 0.3701 / 0.7535, clause=1 0.3763 / 0.7549, idcue=1 0.3744 / 0.7542,
	 * wide=40,g2=0.8 0.3804 / 0.7557 but on fold seeds 2 and 3 +0.0008 / -0.0002
	 * EMR (fold noise: sd across folds is 0.02). */
} ns_frame_fopts;

/* Adds the features of the mention [start, end) (code points) to bag. */
int ns_frame_features(ns_fbag *bag, const ns_frame_docctx *c, uint32_t start, uint32_t end,
		      const ns_frame_fopts *o);

/* ---- model (model.c) ---- */
#define NS_FRAME_SECTION "frame.model"
#define NS_FRAME_MAX_FINE 4
#define NS_FRAME_MAX_LABELS 256 /* main + fine roles + set labels */
#define NS_FRAME_MAX_SETS 64     /* set labels (params combo) */

typedef struct ns_frame_params {
	ns_frame_fopts f;
	ns_vec_opts vec;
	double C;          /* SVM cost */
	double C_fine;     /* SVM cost of the fine-role (and set) scorers; 0: C. Measured with
			      C 0.5: Cf=0.25/1/2 give CV EMR 0.3698/0.3763/0.3714 (seed 1; 0.3760
			      with Cf=C); with the current C 0.85, Cf=0.6 0.3800 vs 0.3807 */
	double pos_weight; /* extra cost of positives for the fine roles */
	unsigned min_df;
	int joint;         /* 1: main decision adds the best fine score of each main role */
	double joint_w;    /* weight of that fine score */
	double second;     /* add a second fine role when its score >= this (large: never) */
	int hinge;         /* 1: hinge loss (L1-SVM) instead of squared hinge */
	int cond;          /* 1: fine-role scorers train only on mentions of their main role */
	unsigned combo;    /* N > 0: every fine-role list of 2+ roles seen >= N times in training
			      is a label of its own (label powerset; model.c). Off: 11% of gold
			      lists have 2+ roles (HI 16%), but set labels are not predictable
			      from these features: CV EMR seed 1 combo=10 0.3760 (= off),
			      cb=0.2 0.3761, lp=1 0.3719, combo=5,lp=1 0.3733 vs 0.3760 off
			      (old defaults); seeds 1-3 with current defaults: combo=10,cb=0.2
			      0.3807, combo=10,lp=1 0.3779 vs 0.3807 off */
	double combo_bias; /* added to the set labels' scores when deciding */
	int combo_only;    /* 1: a mention with a set label is not a positive of its single roles */
	uint64_t seed;
} ns_frame_params;

/* Defaults chosen by cross-validation (see task_framing.c). */
void ns_frame_params_init(ns_frame_params *p);
/* Parses "k=v,k=v" (window, chars, ent, neigh, verb, C, pw, mindf, joint, jw, second,
 * g0..g7, logtf) into p. Unknown keys are NS_EINVAL. A model's parameter string
 * without "verb" (written before the key existed) loads with verb=0. */
int ns_frame_params_parse(ns_frame_params *p, const char *s);
/* Writes the parameters as "k=v,..." (for the manifest). */
int ns_frame_params_format(const ns_frame_params *p, ns_buf *out);

typedef struct ns_frame_model ns_frame_model;

/* One training example: the feature bag of a mention and its gold roles as
 * indices into the role lists given to ns_frame_train. */
typedef struct ns_frame_example {
	ns_fbag bag;
	int32_t main;
	int32_t fine[NS_FRAME_MAX_FINE];
	size_t nfine;
} ns_frame_example;

/* Trains on ex[0..n). main_names[nmain], fine_names[nfine] with fine_main[i] the
 * main index of fine role i. Bags are reordered (not freed). */
int ns_frame_train(ns_frame_model **out, ns_frame_example *ex, size_t n, const char *const *main_names,
		   size_t nmain, const char *const *fine_names, const int32_t *fine_main, size_t nfine,
		   const ns_frame_params *p, int threads);
void ns_frame_model_free(ns_frame_model *m);
const ns_frame_params *ns_frame_model_params(const ns_frame_model *m);
const ns_frame_cues *ns_frame_model_cues(const ns_frame_model *m);
/* The claims extractor's lexicon (params claims=1; else NULL): callers run it on a
 * document (ns_frame_claims_run, claim_feat.h) before extracting features. */
const struct ns_claim_lex *ns_frame_model_claim_lex(const ns_frame_model *m);
size_t ns_frame_model_nmain(const ns_frame_model *m);
size_t ns_frame_model_nfine(const ns_frame_model *m);
/* Set labels (params combo): fine-role lists decided as one label. */
size_t ns_frame_model_nsets(const ns_frame_model *m);
const char *ns_frame_model_main(const ns_frame_model *m, size_t i);
const char *ns_frame_model_fine(const ns_frame_model *m, size_t i);
int32_t ns_frame_model_fine_main(const ns_frame_model *m, size_t i);

/* Scores of one mention: main[nmain] and fine[nfine + nsets] decision values (the
 * fine roles, then the set labels). The bag is reordered. main/fine must have
 * room for the model's counts. */
int ns_frame_score(const ns_frame_model *m, ns_fbag *bag, double *main, double *fine);

/* A decision: main role index, fine role indices (best first), and a score. */
typedef struct ns_frame_decision {
	int32_t main;
	int32_t fine[NS_FRAME_MAX_FINE];
	size_t nfine;
	double score; /* margin of the main decision mapped to (0, 1) */
} ns_frame_decision;
/* Decides from scores with the model's parameters, or p when non-NULL (CV tuning). */
void ns_frame_decide(ns_frame_decision *d, const ns_frame_model *m, const double *main, const double *fine,
		     const ns_frame_params *p);

/* Bundle section NS_FRAME_SECTION: serialise / load. */
int ns_frame_model_serialize(const ns_frame_model *m, ns_buf *out);
int ns_frame_model_load(ns_frame_model **out, const void *data, size_t len);

/* ---- per-document role layer (stage.c) ---- */
typedef struct ns_frame_role {
	int32_t main;
	int32_t fine[NS_FRAME_MAX_FINE];
	size_t nfine;
	double score;
	ns_span evidence[2]; /* sentences; end == 0 when unused */
	size_t nevidence;
} ns_frame_role;

/* Classifies every mention of every entity of doc (entity layer required) and
 * sets each entity's role hook. Per-document data lives in doc->arena. */
int ns_frame_assign(ns_doc *doc, const ns_frame_model *m);

#endif
