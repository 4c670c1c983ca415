/* The official metrics of the three shared-task subtasks, as library calls on
 * parsed TSV tables (for `narrascope eval`) and on in-memory labels (for CV code).
 * Definitions follow ../shared/data/README.md exactly:
 *   framing:      EMR over gold mentions keyed (article_id, mention without '"', start,
 *                 end) with (main_role, ordered fine-role list) equality; fine-role
 *                 micro P/R/F1 over one-hot sets, zero_division = 1; main-role accuracy.
 *   narratives:   F1-samples (per-article 2TP/(2TP+FP+FN), 0 when TP+FP+FN = 0), mean
 *                 and population std, over the class lists; other labels ignored.
 *   explanations: ROUGE-L F1 (LCS) and bag-of-words token F1 over lower-cased word
 *                 tokens (maximal runs of letters, marks and digits; case-folded with
 *                 utf8proc). The official BERTScore cannot run here. */
#ifndef NS_EVAL_H
#define NS_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "io/taxonomy.h"
#include "io/tsv.h"

typedef struct ns_eval_opts {
	int version;        /* NS_EVAL_OPTS_VERSION */
	int strict;         /* a gold item without prediction is an error (default: scored as empty) */
	const char *gold_name, *pred_name; /* file names for messages "name:line: reason" (NULL: gold, prediction) */
} ns_eval_opts;
#define NS_EVAL_OPTS_VERSION 1
#define NS_EVAL_OPTS_INIT {NS_EVAL_OPTS_VERSION, 0, NULL, NULL}

/* ---- framing (subtask 1) ---- */
typedef struct ns_eval_framing {
	double emr, micro_p, micro_r, micro_f1, main_acc;
	size_t n_gold;      /* gold mentions (the denominator of EMR and accuracy) */
	size_t n_missing;   /* gold mentions without prediction (scored as empty) */
	size_t tp, fp, fn;  /* fine-role micro counts */
} ns_eval_framing;

/* One mention's roles, for the in-memory API. main_role NULL = no prediction. */
typedef struct ns_eval_roles {
	const char *main_role;
	const char *const *fine;
	size_t nfine;
} ns_eval_roles;

/* Scores paired arrays gold[i] / pred[i], i < n. Never fails on content. */
void ns_eval_framing_items(ns_eval_framing *out, const ns_eval_roles *gold,
			   const ns_eval_roles *pred, size_t n);
/* Pairs gold and prediction rows by key. Errors (NS_EFORMAT, with the file:line of
 * the offending prediction): a prediction key absent from gold, a key given twice
 * in either file; with opts->strict a gold key without prediction. */
int ns_eval_framing_tables(ns_eval_framing *out, const ns_tsv_roles *gold,
			   const ns_tsv_roles *pred, const ns_eval_opts *opts);

/* ---- narratives (subtask 2) ---- */
typedef struct ns_eval_samples {
	double mean, std;   /* over articles; std is the population std (ddof 0) */
	size_t n;           /* articles */
} ns_eval_samples;

/* F1-samples over label index sets: gold_sets[i] has gold_counts[i] class indices
 * in [0, nclasses); indices outside the range are ignored; repeats count once.
 * per_article (may be NULL) receives n scores. Returns 0 or NS_ENOMEM. */
int ns_eval_f1_samples_idx(ns_eval_samples *out, const int32_t *const *gold_sets,
			   const size_t *gold_counts, const int32_t *const *pred_sets,
			   const size_t *pred_counts, size_t n, size_t nclasses, double *per_article);
/* Per-article F1 of two index sets as above (2TP/(2TP+FP+FN), 0 when empty). */
double ns_eval_f1_set(const int32_t *gold, size_t ngold, const int32_t *pred, size_t npred,
		      size_t nclasses);

typedef struct ns_eval_narratives {
	ns_eval_samples coarse, fine;
	size_t n_missing;   /* gold articles without prediction (scored as empty) */
	size_t n_ignored;   /* label occurrences outside the lists (gold + prediction) */
} ns_eval_narratives;

/* Pairs by article id and scores coarse over the taxonomy's narratives and fine
 * over its subnarratives. Errors: prediction id absent from gold, an id twice in
 * either file, with opts->strict a gold id without prediction. */
int ns_eval_narratives_tables(ns_eval_narratives *out, const ns_tsv_narrs *gold,
			      const ns_tsv_narrs *pred, const ns_taxonomy *tax,
			      const ns_eval_opts *opts);

/* ---- explanations (subtask 3) ---- */
/* 1 when code point cp belongs to a word for the text metrics (letters, marks,
 * numbers): the token definition of ROUGE-L and token F1, shared by anything that
 * optimises for them (src/narrative/explain_opener.c). */
int ns_eval_word_cp(uint32_t cp);
/* ROUGE-L F1 (beta = 1) between two texts; 0 when either has no token, 1 when both
 * are empty. Returns a negative NS_E* only on allocation failure. */
int ns_eval_rouge_l(double *out, const char *ref, size_t ref_len, const char *hyp, size_t hyp_len);
/* Token F1: multiset overlap of word tokens (SQuAD style); same empty rules. */
int ns_eval_token_f1(double *out, const char *ref, size_t ref_len, const char *hyp, size_t hyp_len);

typedef struct ns_eval_explanations {
	double rouge_l, token_f1; /* means over gold articles */
	size_t n, n_missing;
} ns_eval_explanations;

int ns_eval_explanations_tables(ns_eval_explanations *out, const ns_tsv_expls *gold,
				const ns_tsv_expls *pred, const ns_eval_opts *opts);

/* ---- internal (cross-file) ---- */
/* Pairs the rows of two tables by article id: pi[g] = index of the prediction row
 * for gold row g, or -1. Rows are `stride` bytes apart, with the `char *` article id
 * and the `int` line number at the given offsets. Fails with NS_EFORMAT ("name:line:
 * reason", using gn / pn) on an id repeated in either table or a prediction id absent
 * from gold; pi must hold ngold entries. */
int ns_eval__pair_by_id(int32_t *pi, const void *gold, size_t ngold, const void *pred, size_t npred,
			size_t stride, size_t id_off, size_t line_off, const char *gn, const char *pn);

#endif
