/* Document features for the linear models: hashed word and stem n-grams,
 * character n-grams inside words, title features, each hit tagged with its
 * sentence so evidence can be traced back to sentences.
 *
 * Groups (NS_FID group bits): see enum ns_fgroup. All strings come from the
 * tokens' norm (NFKC + case-folded) and stem forms computed by the text stage, so
 * feature extraction does no text processing of its own and is identical at
 * training and prediction time. */
#ifndef NS_LEARN_FEATURES_H
#define NS_LEARN_FEATURES_H

#include "../text/doc.h"
#include "svec.h"

enum ns_fgroup {
	NS_FG_WORD = 0,   /* norm unigrams */
	NS_FG_WORD2 = 1,  /* norm bigrams */
	NS_FG_STEM = 2,   /* stem unigrams */
	NS_FG_STEM2 = 3,  /* stem bigrams */
	NS_FG_CHAR = 4,   /* character n-grams of words (with ^ $ boundaries) */
	NS_FG_TITLE = 5,  /* stems of the title (the first sentences) */
	NS_FG_CUE = 6,    /* extra cues added by callers (lexicons, domain) */
	NS_FG_EXTRA = 7,
};

typedef struct ns_feat_opts {
	int word_n;        /* longest norm n-gram: 0 none, 1 unigrams, 2 +bigrams */
	int stem_n;        /* same over stems */
	int char_min;      /* character n-gram lengths in code points; char_max 0 = none */
	int char_max;
	int title_sents;   /* leading sentences copied into the title group (0 = none) */
	int min_word_len;  /* word tokens shorter than this (code points) are skipped */
	int numbers;       /* 1: number tokens become the unigram "<num>" */
} ns_feat_opts;
#define NS_FEAT_OPTS_INIT {2, 2, 3, 5, 1, 1, 0}

/* Appends the document's feature hits to bag (not cleared first). Returns 0 or
 * NS_ENOMEM. Sentences are doc->sentences indices. */
int ns_features_doc(ns_fbag *bag, const ns_doc *doc, const ns_feat_opts *o);
/* Hashes a feature string into a feature id of `group` (for callers adding cues). */
uint32_t ns_features_id(unsigned group, const char *s, size_t n);

#endif
