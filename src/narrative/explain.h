/* Explanations of the dominant narrative (SemEval subtask 3): at most 80 words,
 * grounded in the article: a short opener in the article's language, the article
 * sentences that carry the narrative (chosen by learned word weights, the
 * narrative's evidence sentences and position) and, when the article has one, the
 * central accusation (who accuses whom of what).
 *
 * DESIGN: the learned part is small and data-like: per stem, how much more often
 * it reappears in gold explanations than in articles overall (global weights), the
 * same per narrative label (narrative weights), and per language the typical
 * explanation length and opener. It trains in a fraction of a second, so CV can
 * retrain it per fold. The model is immutable after training or loading. */
#ifndef NS_NARRATIVE_EXPLAIN_H
#define NS_NARRATIVE_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../model/bundle.h"
#include "../text/doc.h"
#include "../util/util.h"

#define NS_EXPLAIN_MAX_WORDS 80
#define NS_EXPLAIN_SECTION "expl.model"

typedef struct ns_explain_model ns_explain_model;

typedef struct ns_explain_params {
	double narr_weight;  /* weight of narrative-specific stem weights (lambda) */
	double sub_weight;   /* weight of subnarrative-specific stem weights (0: not learned) */
	double evid_bonus;   /* bonus for a narrative evidence sentence (mu) */
	double pos_weight;   /* weight of the position prior 1/(1+i) (nu) */
	double len_factor;   /* target length = len_factor x median gold length */
	int accusation;      /* 1: favour sentences carrying an accusation or attributed quote */
	double drop;         /* words whose global weight is below this are left out (-100: keep all) */
	int learned;         /* 1: rank sentences with the regression scorer instead of the formula
			      * (fit to sentence ROUGE-L); 2: fit to the units' matched-token share */
	int label;           /* 1: name the narrative (English articles: the taxonomy wording) */
	int opener;          /* 1: learn openers from the training explanations (explain_opener.c) */
	int opener_min;      /* a candidate prefix begins at least this many explanations */
	int opener_group;    /* a narrative gets its own opener from this many articles */
	int opener_max;      /* longest candidate prefix, words */
	int opener_join;     /* 1: a learned opener must end with a joining word ("that", "que", ...) */
	int opener_cut;      /* 1: the opener's words come out of the sentence budget */
	int clause;          /* 1: pick clauses (split at , ; : dashes and brackets) instead of sentences;
			      * 2: also before "and", "but", "which" ...; 3: also before "that", "when",
			      * "if" ... (explain_gen.c conjs, subords) */
	int clause_min;      /* a clause has at least this many words (shorter ones join a neighbour) */
	int crossfit;        /* 1: openers are chosen on bodies from models trained on the other half */
	int len_auto;        /* 1 (with crossfit): per language, the length factor is chosen that way too */
	double cen_weight;   /* weight of centrality: sum of log(count in the article) x idf of the stems */
	double redund;       /* a unit is left out when more than this share of its stems is already chosen */
	double title_weight; /* bonus x share of a unit's longer words whose stems are in the title (sentence 0) */
	int trim;            /* NS_EXPLAIN_TRIM_* mask: edge removals of units (explain_trim.c) */
	int join;            /* 1: sentences of the explanation are joined with the language's "and" */
} ns_explain_params;
void ns_explain_params_default(ns_explain_params *p);
/* "key=value,..." overrides (keys: narr_weight, sub_weight, evid_bonus, pos_weight, len_factor,
 * accusation, drop, learned, label, opener, opener_min, opener_group, opener_max,
 * opener_join, opener_cut, clause, clause_min, crossfit, len_auto, cen_weight, redund,
 * title_weight, trim, join). Unknown keys are NS_EINVAL. */
int ns_explain_params_parse(ns_explain_params *p, const char *s);

/* A training example: the processed article and the processed gold explanation
 * (ns_text_process run on the explanation text with the article's language).
 * subnarrative: the full subnarrative label, or NULL / "none" when there is none. */
typedef struct ns_explain_example {
	const ns_doc *doc;
	const char *narrative;
	const char *subnarrative;
	const ns_doc *gold;
} ns_explain_example;

int ns_explain_train(ns_explain_model **out, const ns_explain_example *ex, size_t n,
		     const ns_explain_params *p);
/* An untrained model (no word weights, built-in openers and lengths). */
int ns_explain_default(ns_explain_model **out);
void ns_explain_model_free(ns_explain_model *m);

/* Bundle section NS_EXPLAIN_SECTION. Load gives NS_ENOTFOUND (no message) when absent. */
int ns_explain_model_save(const ns_explain_model *m, ns_bundle_writer *w);
int ns_explain_model_load(ns_explain_model **out, const ns_bundle *b);

/* Writes the explanation for doc (text stage done; doc->claims used when set)
 * and narrative label into *out (malloc'd, NUL-terminated; caller frees).
 * subnarrative: its (best) subnarrative's full label, or NULL / "none".
 * evidence: the narrative's evidence sentences (code-point spans), may be NULL. */
int ns_explain_generate(char **out, const ns_explain_model *m, const ns_doc *doc, const char *narrative,
			const char *subnarrative, const ns_span *evidence, size_t nevidence);
/* Explains the dominant narrative of doc's narratives layer (doc->narratives,
 * the decided narrative with the highest score other than "Other") and stores the
 * text in the claims layer (created when absent): claims->explanation,
 * explanation_narrative, explanation_subnarrative. No narratives: nothing. */
int ns_explain_doc(ns_doc *doc, const ns_explain_model *m);
/* The lead baseline: the first sentences of doc up to the same length budget. */
int ns_explain_lead(char **out, const ns_explain_model *m, const ns_doc *doc);
/* Whitespace-separated words of s[0..n). */
size_t ns_explain_words(const char *s, size_t n);

#define NS_EXPLAIN_MAX_LANGS 16

/* ---- internals shared by explain*.c ---- */
typedef struct ns_explain_lang {
	char code[8];
	uint32_t target; /* words */
	uint32_t lead;   /* words of the lead baseline (median gold length x 0.7) */
	char *opener;
} ns_explain_lang;

/* A learned opener: for language lang and narrative label key lab (0: any). */
typedef struct ns_explain_opener {
	char lang[8];
	uint64_t lab;
	char *text;
} ns_explain_opener;

/* Tokens as the ROUGE-L scorer sees them (src/eval/eval_text.c), hashed. */
typedef struct ns_explain_toks {
	uint64_t *id;
	size_t n, cap;
} ns_explain_toks;

/* Sentence features of the learned scorer: bias, 1/(1+i), first sentence, second
 * sentence, global stem weight sum / sqrt(words), narrative stem weight sum /
 * sqrt(words), log(1 + words), carries an accusation, carries an attributed quote,
 * centrality (sum over the distinct stems repeated in the article of log(count) x
 * idf) / sqrt(words). */
#define NS_EXPLAIN_NF 10

struct ns_explain_model {
	ns_explain_params p;
	double w[NS_EXPLAIN_NF]; /* ridge regression of sentence ROUGE-L on the features */
	int has_w;
	uint64_t *gkey;
	float *gw;
	float *gidf;       /* per global stem: log((articles + 1) / (articles with the stem + 1)) */
	double idf_unseen; /* the same for a stem seen in fewer than two training articles */
	size_t ng;
	uint64_t *nkey;
	float *nw;
	size_t nn;
	/* hash indexes of gkey and nkey (positions, UINT32_MAX empty; mask + 1
	 * slots), built after training and loading: one probe instead of a binary
	 * search per stem; NULL: binary search */
	uint32_t *gslot, *nslot;
	size_t gmask, nmask;
	ns_explain_lang langs[NS_EXPLAIN_MAX_LANGS];
	size_t nlangs;
	ns_explain_opener *openers;
	size_t nopeners, opcap;
};

static inline uint64_t ns_explain__stem_key(const ns_token *t)
{
	const char *s = t->stem ? t->stem : t->norm;
	size_t n = t->stem ? t->stem_len : t->norm_len;
	return ns_hash64(s, n, 0x5eed) | 1;
}
static inline uint64_t ns_explain__label_key(const char *label)
{
	return ns_hash64(label, strlen(label), 7) | 1;
}
/* Key of a subnarrative label; 0 for NULL, "", "none" and "Other" (no subnarrative). */
static inline uint64_t ns_explain__sub_key(const char *label)
{
	if (!label || !*label || !strcmp(label, "none") || !strcmp(label, "Other"))
		return 0;
	return ns_explain__label_key(label);
}
static inline uint64_t ns_explain__narr_key(uint64_t lab, uint64_t stem)
{
	return ns_hash_mix(lab, stem) | 1;
}
/* Features of sentence i of d into f (NS_EXPLAIN_NF values); returns its word
 * count (0: too short to use, f unset). lab = ns_explain__label_key of the
 * narrative or 0. st and stcap are scratch space the caller frees */
size_t ns_explain__features(double *f, const ns_explain_model *m, const ns_doc *d, size_t i, uint64_t lab,
			    uint64_t **st, size_t *stcap);
/* Appends the scorer tokens of s[0..n) to t. */
int ns_explain__rtok(ns_explain_toks *t, const char *s, size_t n);
/* Length of the longest common subsequence of ref and hyp (scratch as below). */
int ns_explain__lcs(size_t *out, const ns_explain_toks *ref, const ns_explain_toks *hyp, size_t **row,
		    size_t *rowcap);
/* Adds to the normal equations A (NF x NF) and b one row per unit of d: its
 * features and the share of its tokens in the LCS with the gold (learned = 2). */
int ns_explain__unit_rows(double *A, double *b, size_t *rows, const ns_explain_model *m, const ns_doc *d,
			  const ns_doc *gold, uint64_t lab);
/* ROUGE-L F1 of hyp against ref; row/rowcap: scratch the caller frees. */
int ns_explain__rouge(double *out, const ns_explain_toks *ref, const ns_explain_toks *hyp, size_t **row,
		      size_t *rowcap);
/* Learns m->openers from the examples and their generated bodies (no opener). */
int ns_explain__learn_openers(ns_explain_model *m, const ns_explain_example *ex, size_t n, char *const *bodies);
/* Learned opener for (lang, narrative label key), else the language's, else NULL. */
const char *ns_explain__opener(const ns_explain_model *m, const char *lang, uint64_t lab);
/* Built-in phrase for the narrative in lang ("The text discredits Ukraine and
 * claims that") into buf, or NULL when there is none. */
const char *ns_explain__narr_phrase(char *buf, size_t size, const char *narrative, const char *lang);
/* The body of an explanation (selected article sentences, no opener) within
 * target words; *out malloc'd. */
int ns_explain__body(char **out, const ns_explain_model *m, const ns_doc *d, const char *narrative,
		     const char *subnarrative, const ns_span *ev, size_t nev, size_t budget);
/* Edge removals of ns_explain__trim (mask bits). */
#define NS_EXPLAIN_TRIM_PUNCT 1   /* stray punctuation at the start (", обвиняя ...") */
#define NS_EXPLAIN_TRIM_SOURCE 2  /* a sentence's source prefix ("Lavrov: ...") */
#define NS_EXPLAIN_TRIM_TAIL 4    /* attribution tails (", he said", "— заявил Песков") */
#define NS_EXPLAIN_TRIM_BRACKET 8 /* brackets and clock times at either edge */
#define NS_EXPLAIN_TRIM_CONN 16   /* leading connectives ("However,", "Също така", "Однако") */
/* The part [*ob, *oe) of tokens [tb, te) of d (one sentence) left after the
 * removals in mask; always a contiguous subrange, possibly empty. */
void ns_explain__trim(uint32_t *ob, uint32_t *oe, const ns_doc *d, uint32_t tb, uint32_t te, int mask);
/* Hash slot of key in an index of mask + 1 slots (explain.c builds them). */
static inline size_t ns_explain__key_slot(uint64_t key, size_t mask)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 24) & mask;
}
/* Index of key in k[0..n) (sorted; slot/mask: its hash index or NULL), or n
 * when absent. */
static inline size_t ns_explain__find(const uint64_t *k, size_t n, const uint32_t *slot, size_t mask, uint64_t key)
{
	if (slot) {
		for (size_t h = ns_explain__key_slot(key, mask);; h = (h + 1) & mask) {
			uint32_t i = slot[h];
			if (i == UINT32_MAX)
				return n;
			if (k[i] == key)
				return i;
		}
	}
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && k[lo] == key ? lo : n;
}

/* Builds m->gslot and m->nslot (explain.c); 0 or NS_ENOMEM. */
int ns_explain__index(ns_explain_model *m);
/* Language entry of the model for code, or NULL. */
const ns_explain_lang *ns_explain__lang(const ns_explain_model *m, const char *code);

#endif
