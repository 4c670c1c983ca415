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

/* ---- entity side (side.c) ---- */
enum ns_frame_side {
	NS_SIDE_NONE = 0,
	NS_SIDE_RUSSIA = 1,         /* the Russian state, its organs, allies, state media */
	NS_SIDE_UKRAINE_WEST = 2,   /* Ukraine, the US, NATO, the EU and their organs */
	NS_SIDE_CLIMATE_ACTION = 3, /* activists, climate science and policy bodies */
	NS_SIDE_CLIMATE_SCEPTIC = 4, /* fossil industry, sceptic scientists and outlets */
	NS_SIDE_COUNT
};
/* Side of the gazetteer id[0..n) ("Q:putin"), NS_SIDE_NONE when it has none. */
int ns_frame_side(const char *id, size_t n);
/* The side table, for tests: its size and its i-th id (sorted). */
size_t ns_frame__side_count(void);
const char *ns_frame__side_id(size_t i);

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
	uint64_t *class_wide;        /* per stem class: the hashes of its wide-context features
					(2k: left side, 2k + 1: right side), so a mention's 2 x
					wide words cost lookups, not hashes */
	uint32_t nclass;             /* number of stem classes */
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
/* The entity-layer mention with the largest overlap with [start, end) (ties: the
 * later one), or -1: "Hungarian Prime Minister Viktor Orban" is Orban, not Hungary. */
int32_t ns_frame__mention_best(const ns_entity_layer *L, uint32_t start, uint32_t end);

typedef struct ns_frame_fopts {
	int window;      /* context tokens on each side */
	int char_ngrams; /* 1: character 3-4-grams of the mention */
	int ent_ctx;     /* 1: features from the other sentences of the same head word; 2: the
			    stems and cues of every other sentence linked to the same entity by
			    the entity layer (whole-entity context). Off: CV seed 1 (lxw 0.6)
			    EMR/micro/main ent=1 0.3822/0.4190/0.7624, seeds 2/3 0.3811/0.3836
			    EMR; ent=2 0.3841/0.4212/0.7593, with g5=0.3 0.3857/0.4226/0.7621,
			    vs 0.3854/0.4218/0.7633 off */
	int neighbours;  /* 1: stems of the previous and next sentence (group SENT) */
	int lang_cross;  /* bit mask of groups whose features are also added crossed with the
			    document language (per-language weights on top of pooled ones);
			    default every group but NS_FRAME_G_SENT (251) */
	double lang_cross_w; /* hit weight of the language copies (1: as the pooled feature;
				default 0.6, see ns_frame_params_init; a model section without the
				key loads with 1) */
	int dom_cross;   /* bit mask of groups whose features are also added crossed with the
			    document's domain (cue-based: war or climate) */
	double dom_cross_w; /* hit weight of the domain copies. domx off: seed 1 domx=255
			       0.3832/0.7583 (EMR/main), dxw=0.6 0.3828/0.7617, domx=24,dxw=0.6
			       0.3845/0.7634 vs 0.3854/0.7633; a script copy (Cyrillic/Latin/
			       Devanagari) at 0.45 0.3854/0.7619 */
	int window_chars; /* 1 (default): character 4-grams of the 3 words on each side (a
			     model section without the key loads with 0) */
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
			    SENT, one tag per side). Default 40 with wchars 1 and g2 0.8 (CV
			    in ns_frame_params_init); a section without the key loads 0 */
	int side;        /* bit mask, the entity's side (side.c): 1 side x domain, 2 side x the
			    document's content stems (stance words), 4 sides of the other
			    entities of the sentence x before/after, 8 side x document side
			    balance (which side's entities the article mentions most). Off:
			    CV EMR/main with lxw 1 and epick 1, seed 1 side=1 0.3810/0.7606,
			    2 0.3820/0.7614, 4 0.3788/0.7580, 8 0.3815/0.7611, 15 0.3834/0.7621
			    vs 0.3827/0.7612; side=15 seeds 2/3 0.3775/0.3820 vs 0.3793/0.3811;
			    with lxw 0.6 side=1 seeds 1/2/3 0.3857/0.3793/0.3905 vs
			    0.3854/0.3811/0.3838. Even the gold stance of the document (from
			    the gold roles of the other sided mentions) lifts main accuracy by
			    only 0.018 in a stacked decision on out-of-fold scores; the
			    predicted one by 0. */
	int syn;         /* 1: subject/object of the nearest cue word in the clause (features.c,
			    add_syn). Off: CV EMR/micro/main seeds 1/2/3 0.3848/0.4216/0.7634,
			    0.3834/0.4195/0.7589, 0.3826/0.4181/0.7563 vs 0.3854/0.4218/0.7633,
			    0.3811/0.4172/0.7591, 0.3838/0.4192/0.7571 */
	int ent_pick;    /* 1: the entity of a mention span is the layer mention overlapping it
			    most (ns_frame__mention_best); 0: the first one overlapping it. Off
			    (only given spans differ; analyze classifies layer mentions): CV
			    EMR/main seeds 1/2/3 with lxw 1: 0.3827/0.7612, 0.3793/0.7580,
			    0.3811/0.7554 vs 0.3813/0.7591, 0.3792/0.7573, 0.3815/0.7553; with
			    lxw 0.6: 0.3842/0.7616, 0.3811/0.7604, 0.3850/0.7594 vs
			    0.3854/0.7633, 0.3811/0.7591, 0.3838/0.7571 */
	int claims;      /* 1: the claims layer: the mention's entity as quote speaker, accuser,
			    accused (x act, x denial), here (claim span covers the mention) or
			    elsewhere in the document (claim_feat.c); callers run the claims
			    extractor first (ns_frame_model_claim_lex). Off: 5-fold CV EMR seeds
			    1/2/3 0.3729/0.3746/0.3759 vs 0.3760/0.3734/0.3748 (old defaults),
			    0.3797/0.3798/0.3817 vs 0.3813/0.3792/0.3815 (current) */
	/* conj, clause and idcue are off by default (wide was too, until it was
	 * measured together with wchars): measured in 5-fold CV
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
/* Parses "k=v,k=v" (window, chars, ent, neigh, verb, langx, lxw, domx, dxw, side, epick,
 * C, pw, mindf, joint, jw, second,
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
/* Decides from scores with the model's parameters, or p when non-NULL (CV tuning).
 * Measured on out-of-fold scores (NS_FRAMING_OOF, seed 1, rules tuned on the other
 * folds), no gain, so not built: adding the mean joint scores of the other mentions
 * of the same string (or 5-letter stem) in the article, or of the whole article,
 * EMR <= +0.0005 (the gold main roles of those other mentions predict a mention's
 * role worse than the model: 0.683 vs 0.726); a softmax stacker on own, entity and
 * article scores; per-main and per-fine bias offsets; a second fine role (by
 * score, gap, or a table of (top1, top2[, language, gap]) counts) emitted in the
 * annotation order learned from gold pairs (which never conflicts); averaging the
 * scores of models with other windows, C, context or n-gram settings. */
void ns_frame_decide(ns_frame_decision *d, const ns_frame_model *m, const double *main, const double *fine,
		     const ns_frame_params *p);

/* Bundle section NS_FRAME_SECTION: serialise / load. */
int ns_frame_model_serialize(const ns_frame_model *m, ns_buf *out);
int ns_frame_model_load(ns_frame_model **out, const void *data, size_t len);

/* ---- which entities an article frames (salience.c) ---- */
/* Optional bundle section: a role model with the two main labels below and no
 * fine roles, trained on the entities the entity stage finds in the training
 * articles (framed: one of its mentions overlaps an annotated mention). */
#define NS_FRAME_SALIENCE_SECTION "frame.salience"
#define NS_FRAME_SALIENCE_FRAMED "framed"
#define NS_FRAME_SALIENCE_UNFRAMED "unframed"
typedef struct ns_frame_salience_ctx {
	const ns_doc *doc;
	const ns_frame_docctx *fx; /* cue masks, quotes, domain; may be NULL */
	uint32_t *counts; /* mentions per entity, decreasing */
	size_t n;
} ns_frame_salience_ctx;
/* Per-article counts for the features (doc's entity layer, may be absent); fx
 * (may be NULL) adds the cue words beside the mentions, quotes and the domain. */
int ns_frame_salience_init(ns_frame_salience_ctx *c, const ns_doc *doc, const ns_frame_docctx *fx);
void ns_frame_salience_free(ns_frame_salience_ctx *c);
/* Adds the features of entity e (index into the entity layer) to bag. */
int ns_frame_salience_features(ns_fbag *bag, const ns_frame_salience_ctx *c, size_t e);
/* The salience model's training parameters: the role model's defaults with
 * its own cost (see salience.c). */
void ns_frame_salience_params(ns_frame_params *p);
/* Probability that the entity is framed, from the salience model's two main scores. */
double ns_frame_salience_prob(const double *main);

/* ---- per-document role layer (stage.c) ---- */
typedef struct ns_frame_role {
	int32_t main;
	int32_t fine[NS_FRAME_MAX_FINE];
	size_t nfine;
	double score;
	ns_span evidence[2]; /* sentences; end == 0 when unused */
	size_t nevidence;
	double framed;       /* P(the article casts the entity in a role); < 0: no salience model */
} ns_frame_role;

/* Classifies every mention of every entity of doc (entity layer required) and
 * sets each entity's role hook. Per-document data lives in doc->arena. */
/* sal (may be NULL): the salience model, whose probability goes with each role. */
int ns_frame_assign(ns_doc *doc, const ns_frame_model *m, const ns_frame_model *sal);

#endif
