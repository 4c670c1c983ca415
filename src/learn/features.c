/* Feature extraction from a processed ns_doc into a bag of hashed hits
 * (see features.h). */
#include <string.h>

#include "features.h"

#define GROUP_SEED 0x6e61727261ULL

uint32_t ns_features_id(unsigned group, const char *s, size_t n)
{
	uint64_t h = ns_hash64(s, n, GROUP_SEED + group);
	return NS_FID(group, (uint32_t)(h ^ (h >> 32)));
}

static uint32_t pair_id(unsigned group, const char *a, size_t na, const char *b, size_t nb)
{
	uint64_t h = ns_hash64(a, na, GROUP_SEED + group);
	h = ns_hash_mix(h, ns_hash64(b, nb, GROUP_SEED + 17 * group + 1));
	return NS_FID(group, (uint32_t)(h ^ (h >> 32)));
}

/* Character n-grams of one word: "^" + norm + "$", lengths [lo, hi] in code points. */
static void char_ngrams(ns_fbag *bag, const char *w, size_t n, uint32_t sent, int lo, int hi)
{
	char buf[256];
	size_t off[130];
	size_t len, ncp = 0;
	if (n + 2 > sizeof buf)
		return;
	buf[0] = '^';
	memcpy(buf + 1, w, n);
	buf[n + 1] = '$';
	len = n + 2;
	/* code point starts */
	for (size_t i = 0; i < len && ncp < 129; i++)
		if (((unsigned char)buf[i] & 0xC0) != 0x80)
			off[ncp++] = i;
	if (ncp >= 129)
		return;
	off[ncp] = len;
	for (size_t s = 0; s < ncp; s++)
		for (int k = lo; k <= hi && s + (size_t)k <= ncp; k++) {
			if ((size_t)k == ncp && k > 3)
				continue; /* the whole ^word$ duplicates the unigram */
			ns_fbag_add(bag, ns_features_id(NS_FG_CHAR, buf + off[s], off[s + k] - off[s]), sent, 1.0f);
		}
}

int ns_features_doc(ns_fbag *bag, const ns_doc *doc, const ns_feat_opts *o)
{
	const ns_token *prev = NULL;
	uint32_t prev_sent = UINT32_MAX;
	for (size_t t = 0; t < doc->ntokens; t++) {
		const ns_token *tok = &doc->tokens[t];
		uint32_t s = tok->sentence;
		if (s != prev_sent) {
			prev = NULL;
			prev_sent = s;
		}
		if (tok->kind == NS_TOK_NUMBER) {
			if (o->numbers && o->word_n >= 1)
				ns_fbag_add(bag, ns_features_id(NS_FG_WORD, "<num>", 5), s, 1.0f);
			prev = NULL;
			continue;
		}
		if (tok->kind != NS_TOK_WORD) {
			/* punctuation breaks n-gram chains except for quotes/dashes inside a clause */
			prev = NULL;
			continue;
		}
		if (!tok->norm || tok->end - tok->start < (uint32_t)o->min_word_len) {
			prev = NULL;
			continue;
		}
		const char *stem = tok->stem ? tok->stem : tok->norm;
		size_t stem_len = tok->stem ? tok->stem_len : tok->norm_len;
		if (o->word_n >= 1)
			ns_fbag_add(bag, ns_features_id(NS_FG_WORD, tok->norm, tok->norm_len), s, 1.0f);
		if (o->stem_n >= 1)
			ns_fbag_add(bag, ns_features_id(NS_FG_STEM, stem, stem_len), s, 1.0f);
		if (prev) {
			if (o->word_n >= 2)
				ns_fbag_add(bag, pair_id(NS_FG_WORD2, prev->norm, prev->norm_len, tok->norm, tok->norm_len),
					    s, 1.0f);
			if (o->stem_n >= 2) {
				const char *ps = prev->stem ? prev->stem : prev->norm;
				size_t pl = prev->stem ? prev->stem_len : prev->norm_len;
				ns_fbag_add(bag, pair_id(NS_FG_STEM2, ps, pl, stem, stem_len), s, 1.0f);
			}
		}
		if (o->char_max > 0)
			char_ngrams(bag, tok->norm, tok->norm_len, s, o->char_min, o->char_max);
		if (o->title_sents > 0 && s < (uint32_t)o->title_sents)
			ns_fbag_add(bag, ns_features_id(NS_FG_TITLE, stem, stem_len), s, 1.0f);
		prev = tok;
	}
	return bag->failed ? ns_error__set(NS_ENOMEM, "features: out of memory") : 0;
}
