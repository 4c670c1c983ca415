/* Lexical matching primitives shared by the gazetteer and cue lexicons: name
 * folding (a light, script-aware stemmer for names), splitting text into match
 * units, and a hash trie keyed by sequences of folded units.
 *
 * DESIGN: matching keys are computed here from the raw token bytes rather than
 * from the per-language stems of src/text, so one key set serves every
 * document language: a Ukrainian or Russian alias matches Путина in a Bulgarian
 * article, and language-identification mistakes cannot break matching. The fold
 * is NFKC + case folding, then per script: Latin loses accents and a possessive
 * 's; Cyrillic loses up to two inflectional endings (Russian/Ukrainian case
 * endings, Bulgarian definite articles) keeping a stem of >= 3 letters, after
 * Latin look-alike letters inside Cyrillic words are mapped to Cyrillic;
 * Devanagari loses nukta and zero-width joiners, and candrabindu becomes
 * anusvara. Both gazetteer aliases and document text go through the same fold. */
#ifndef NS_LEX_LEX_H
#define NS_LEX_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

/* One match unit of a string: a word piece (split at hyphens) or a single
 * punctuation mark other than '.', which is skipped so that "U.S." and "V. Putin"
 * match their written aliases. Offsets are relative to the split string. */
typedef struct ns_lex_piece {
	uint32_t bstart, bend; /* bytes */
	uint32_t cstart, cend; /* code points */
	uint8_t word;          /* 1 = letters/digits, 0 = punctuation */
	uint8_t upper_initial; /* first letter is upper case */
	uint8_t all_upper;     /* every letter upper case (>= 2 letters) */
	uint8_t nletters;      /* letters, saturating at 255 */
} ns_lex_piece;

/* Splits s[0..n) into pieces; returns the number found (at most max are
 * stored, the rest are counted only). */
size_t ns_lex_split(const char *s, size_t n, ns_lex_piece *out, size_t max);

/* Appends the folded key of one word piece s[0..n) to out (NUL-terminated).
 * Returns 0 or NS_ENOMEM. */
int ns_lex_fold(ns_buf *out, const char *s, size_t n);
/* The same as ns_lex_fold, remembered per thread (util/tls.c) for pieces of
 * up to 64 bytes. */
int ns_lex_fold_memo(ns_buf *out, const char *s, size_t n);

/* Script of the first letter of s[0..n): 'L' Latin, 'C' Cyrillic, 'D'
 * Devanagari, 'O' other, 0 none. */
int ns_lex_script(const char *s, size_t n);

/* ---- hash trie over folded unit sequences (trie.c) ---- */
typedef struct ns_lex_trie ns_lex_trie;

int ns_lex_trie_new(ns_lex_trie **out);
void ns_lex_trie_free(ns_lex_trie *t);
/* Inserts the key sequence keys[0..n) (n >= 1) and appends value to its list. */
int ns_lex_trie_add(ns_lex_trie *t, const char *const *keys, const size_t *lens, size_t n, int32_t value);
/* Root node id. */
#define NS_LEX_TRIE_ROOT 0
/* Child of node along key, or -1. */
int32_t ns_lex_trie_child(const ns_lex_trie *t, int32_t node, const char *key, size_t len);
/* Iterates the values stored at node in insertion order:
 *   int32_t it = ns_lex_trie_iter(t, node), v;
 *   while (ns_lex_trie_next(t, &it, &v)) ...                                   */
int32_t ns_lex_trie_iter(const ns_lex_trie *t, int32_t node);
bool ns_lex_trie_next(const ns_lex_trie *t, int32_t *it, int32_t *value);
/* True when node has children (a longer match may follow). */
bool ns_lex_trie_has_children(const ns_lex_trie *t, int32_t node);
size_t ns_lex_trie_nnodes(const ns_lex_trie *t);

#endif
