/* Subtask 3 (explanation) proxies for the official BERTScore, which cannot run
 * here: ROUGE-L F1 and bag-of-words token F1 against the gold explanation.
 *
 * DESIGN — tokenisation: a token is a maximal run of code points of Unicode
 * category letter (L*), mark (M*) or number (N*), so Devanagari vowel signs and
 * Cyrillic combining accents stay inside words; everything else (spaces,
 * punctuation, symbols, apostrophes, hyphens) separates tokens. Each code point
 * is lower-cased with utf8proc_tolower (simple case mapping). Tokens are interned
 * to integer ids so the LCS compares integers. Invalid UTF-8 bytes are separators.
 * Scores: P = m/|hyp|, R = m/|ref|, F1 = 2PR/(P+R) with m the LCS length (ROUGE-L)
 * or the multiset overlap (token F1); 0 when m = 0; 1 when both texts have no token. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "eval/eval.h"
#include "util/util.h"

#define GN (opts && opts->gold_name ? opts->gold_name : "gold")
#define PN (opts && opts->pred_name ? opts->pred_name : "prediction")

typedef struct {
	int32_t *ids;
	size_t n, cap;
} toks;

int ns_eval_word_cp(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

static int tokenize(toks *t, ns_strmap *vocab, const char *s, size_t n)
{
	ns_buf w = NS_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t cp = ' ';
		bool bad = true;
		size_t k = 1;
		if (i < n)
			k = ns_utf8_decode(s + i, n - i, &cp, &bad);
		if (i < n && !bad && ns_eval_word_cp(cp)) {
			char enc[4];
			size_t el = ns_utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), enc);
			ns_buf_put(&w, enc, el);
		} else if (w.size) {
			bool ins;
			int32_t *id = ns_buf_failed(&w) ? NULL
						       : ns_strmap_put(vocab, w.ptr, w.size,
								       (int32_t)ns_strmap_count(vocab), &ins);
			if (!id || NS_GROW(t->ids, t->cap, t->n + 1) < 0) {
				rc = NS_ENOMEM;
				break;
			}
			t->ids[t->n++] = *id;
			ns_buf_clear(&w);
		}
		i += k;
	}
	ns_buf_free(&w);
	return rc;
}

static double f1_of(size_t m, size_t nref, size_t nhyp)
{
	if (nref == 0 && nhyp == 0)
		return 1.0;
	if (m == 0)
		return 0.0;
	double p = (double)m / (double)nhyp, r = (double)m / (double)nref;
	return 2.0 * p * r / (p + r);
}

/* LCS length by dynamic programming over two rows, O(|a|·|b|) time, O(|b|) memory. */
static int lcs(size_t *out, const toks *a, const toks *b)
{
	size_t *prev = ns_calloc(b->n + 1, sizeof(size_t)), *cur = ns_calloc(b->n + 1, sizeof(size_t));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return NS_ENOMEM;
	}
	for (size_t i = 1; i <= a->n; i++) {
		for (size_t j = 1; j <= b->n; j++)
			cur[j] = a->ids[i - 1] == b->ids[j - 1] ? prev[j - 1] + 1
								 : (prev[j] > cur[j - 1] ? prev[j] : cur[j - 1]);
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	*out = prev[b->n];
	free(prev);
	free(cur);
	return 0;
}

static int overlap(size_t *out, const toks *a, const toks *b, size_t nvocab)
{
	int32_t *cnt = ns_calloc(nvocab ? nvocab : 1, sizeof(int32_t));
	if (!cnt)
		return NS_ENOMEM;
	size_t m = 0;
	for (size_t i = 0; i < a->n; i++)
		cnt[a->ids[i]]++;
	for (size_t i = 0; i < b->n; i++)
		if (cnt[b->ids[i]] > 0) {
			cnt[b->ids[i]]--;
			m++;
		}
	free(cnt);
	*out = m;
	return 0;
}

/* which: 0 = ROUGE-L, 1 = token F1 */
static int score(double *out, int which, const char *ref, size_t rl, const char *hyp, size_t hl)
{
	ns_strmap *vocab = NULL;
	toks a = {0}, b = {0};
	size_t m = 0;
	int rc = ns_strmap_new(&vocab);
	*out = 0.0;
	if (rc < 0 || (rc = tokenize(&a, vocab, ref, rl)) < 0 || (rc = tokenize(&b, vocab, hyp, hl)) < 0)
		goto cleanup;
	rc = which == 0 ? lcs(&m, &a, &b) : overlap(&m, &a, &b, ns_strmap_count(vocab));
	if (rc == 0)
		*out = f1_of(m, a.n, b.n);
cleanup:
	free(a.ids);
	free(b.ids);
	ns_strmap_free(vocab);
	return rc;
}

int ns_eval_rouge_l(double *out, const char *ref, size_t ref_len, const char *hyp, size_t hyp_len)
{
	return score(out, 0, ref, ref_len, hyp, hyp_len);
}

int ns_eval_token_f1(double *out, const char *ref, size_t ref_len, const char *hyp, size_t hyp_len)
{
	return score(out, 1, ref, ref_len, hyp, hyp_len);
}

int ns_eval_explanations_tables(ns_eval_explanations *out, const ns_tsv_expls *gold, const ns_tsv_expls *pred,
				const ns_eval_opts *opts)
{
	int32_t *pi = NULL;
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (gold->n == 0)
		return ns_error__set(NS_EFORMAT, "gold file has no lines");
	if (!(pi = ns_calloc(gold->n, sizeof *pi))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = ns_eval__pair_by_id(pi, gold->rows, gold->n, pred->rows, pred->n, sizeof *gold->rows,
				      offsetof(ns_tsv_expl_row, article_id), offsetof(ns_tsv_expl_row, line),
				      GN, PN)) < 0)
		goto cleanup;
	double sr = 0.0, st = 0.0;
	for (size_t i = 0; i < gold->n; i++) {
		const ns_tsv_expl_row *g = &gold->rows[i];
		const char *h = "";
		if (pi[i] >= 0) {
			h = pred->rows[pi[i]].text;
		} else if (opts && opts->strict) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: article id '%s' has no prediction", GN, g->line,
					   g->article_id);
			goto cleanup;
		} else {
			out->n_missing++;
		}
		double r, t;
		if ((rc = ns_eval_rouge_l(&r, g->text, strlen(g->text), h, strlen(h))) < 0 ||
		    (rc = ns_eval_token_f1(&t, g->text, strlen(g->text), h, strlen(h))) < 0)
			goto cleanup;
		if (pi[i] < 0) /* a missing prediction scores 0 even against an empty gold text */
			r = t = 0.0;
		sr += r;
		st += t;
	}
	out->n = gold->n;
	out->rouge_l = sr / (double)gold->n;
	out->token_f1 = st / (double)gold->n;
cleanup:
	free(pi);
	return rc;
}
