/* Feature extraction from a processed ns_doc into a bag of hashed hits
 * (see features.h).
 *
 * DESIGN: a word's character n-grams depend on its norm alone, and words follow
 * Zipf's law, so each thread memoises the n-gram ids of the words it has seen
 * (cg_memo below, kept in the thread's state, util/tls.c) and copies them into
 * the bag: the same ids in the same order as computing them, so vectors and
 * models are unchanged. When the caller does not read the bag's order
 * (keep_order), a memoised word is only counted and its n-grams enter the bag
 * once per document, weighted by the count: the same sums from fewer hits (over
 * the corpus, 5.8 instead of 8.3 million n-gram hits; repeated words are mostly
 * short). Like the stemmer memo (text/stem.c) the table is bounded and simply
 * emptied when full. Measured on corpus prediction (perf, one thread): n-grams
 * 11.2% -> 6.8% of the samples, counting hits 13.5% -> 11.8%. The same slot
 * keeps the word's bigram halves and its stem's hashes (cg_pay), so a known
 * word costs one hash (the probe's) instead of six or seven: corpus prediction
 * 4.294G -> 4.241G instructions (callgrind), vectors and the default model
 * identical. */
#include <stdlib.h>
#include <string.h>

#include "features.h"

#define GROUP_SEED 0x6e61727261ULL

static uint64_t group_hash(unsigned group, const char *s, size_t n)
{
	return ns_hash64(s, n, GROUP_SEED + group);
}

static uint32_t hash_id(unsigned group, uint64_t h)
{
	return NS_FID(group, (uint32_t)(h ^ (h >> 32)));
}

uint32_t ns_features_id(unsigned group, const char *s, size_t n)
{
	return hash_id(group, group_hash(group, s, n));
}

/* A bigram's id from its halves: half_a of the first word, half_b of the second. */
static uint64_t half_a(unsigned group, const char *s, size_t n) { return ns_hash64(s, n, GROUP_SEED + group); }
static uint64_t half_b(unsigned group, const char *s, size_t n) { return ns_hash64(s, n, GROUP_SEED + 17 * group + 1); }

static uint32_t pair_of(unsigned group, uint64_t a, uint64_t b)
{
	uint64_t h = ns_hash_mix(a, b);
	return NS_FID(group, (uint32_t)(h ^ (h >> 32)));
}

/* Most n-grams of one word: 129 start code points x 8 lengths (params allow
 * lengths 1-8). */
#define CG_MAX_CP 129
#define CG_MAX_LEN 8
#define CG_MAX_IDS (CG_MAX_CP * CG_MAX_LEN)

/* Character n-gram ids of one word: "^" + norm + "$", lengths [lo, hi] in code
 * points, by start then length. Returns the count (0 for words too long). */
static size_t char_ngram_ids(uint32_t *ids, const char *w, size_t n, int lo, int hi)
{
	char buf[256];
	size_t off[CG_MAX_CP + 1];
	size_t len, ncp = 0, k = 0;
	if (n + 2 > sizeof buf || lo < 1 || hi > CG_MAX_LEN)
		return 0;
	buf[0] = '^';
	memcpy(buf + 1, w, n);
	buf[n + 1] = '$';
	len = n + 2;
	/* code point starts */
	for (size_t i = 0; i < len && ncp < CG_MAX_CP; i++)
		if (((unsigned char)buf[i] & 0xC0) != 0x80)
			off[ncp++] = i;
	if (ncp >= CG_MAX_CP)
		return 0;
	off[ncp] = len;
	for (size_t s = 0; s < ncp; s++)
		for (int g = lo; g <= hi && s + (size_t)g <= ncp; g++) {
			if ((size_t)g == ncp && g > 3)
				continue; /* the whole ^word$ duplicates the unigram */
			ids[k++] = ns_features_id(NS_FG_CHAR, buf + off[s], off[s + g] - off[s]);
		}
	return k;
}

/* ---- per-thread memo of words' n-gram ids ---- */
#define CG_SLOTS (1u << 14)  /* words; emptied at 3/4 full */
#define CG_IDS (1u << 18)    /* ids pool (1 MB) */
#define CG_KEYS (1u << 17)   /* norm bytes pool */
#define CG_MAX_KEY 64        /* longer norms (bytes) are not memoised */

typedef struct cg_slot {
	uint64_t h;       /* group_hash(NS_FG_WORD, norm) */
	uint32_t key;     /* norm bytes at keys + key */
	uint32_t ids;     /* ids at ids + this */
	uint16_t nlen;    /* 0: empty slot */
	uint16_t nids;
	uint32_t stamp;   /* == memo stamp: count is this document's */
	uint32_t count;   /* occurrences in this document (aggregated bags) */
} cg_slot;

/* The other hashes of a memoised word (parallel to its slot): its bigram halves,
 * and those of its stem, with the stem bytes they were made from (a word's
 * stem depends on the document's language, so it is compared, and remade when
 * it differs). Each id is the one the hash functions give: vectors unchanged. */
typedef struct cg_pay {
	uint64_t w2a, w2b; /* half_a / half_b (NS_FG_WORD2) of the norm */
	uint64_t s2a, s2b; /* the same (NS_FG_STEM2) of the stem */
	uint32_t sid, tid; /* the stem's NS_FG_STEM and NS_FG_TITLE ids */
	uint32_t skey;     /* stem bytes at keys + skey */
	uint16_t slen;     /* their length; CG_NO_STEM: none yet */
} cg_pay;
#define CG_NO_STEM 0xFFFFu

typedef struct cg_memo {
	int lo, hi;       /* the lengths the ids were made for */
	size_t nslots, nkeys, nids;
	cg_slot *slot;
	cg_pay *pay;      /* CG_SLOTS, parallel to slot */
	char *keys;
	uint32_t *ids;
	uint32_t stamp;   /* the current document's stamp, never 0 */
	uint32_t *pend;   /* slots counted in this document, not yet in the bag */
	size_t npend;
} cg_memo;

static void cg_destroy(void *p)
{
	cg_memo *m = p;
	if (!m)
		return;
	free(m->slot);
	free(m->pay);
	free(m->keys);
	free(m->ids);
	free(m->pend);
	free(m);
}

/* This thread's memo, emptied when made for other lengths; NULL when it cannot
 * be had (then n-grams are computed every time). */
static cg_memo *cg_get(int lo, int hi)
{
	cg_memo *m = ns_tls_get(NS_TLS_NGRAM);
	if (!m) {
		m = calloc(1, sizeof *m);
		if (!m)
			return NULL;
		m->slot = calloc(CG_SLOTS, sizeof *m->slot);
		m->pay = malloc(CG_SLOTS * sizeof *m->pay);
		m->keys = malloc(CG_KEYS);
		m->ids = malloc(CG_IDS * sizeof *m->ids);
		m->pend = malloc(CG_SLOTS * sizeof *m->pend);
		if (!m->slot || !m->pay || !m->keys || !m->ids || !m->pend || ns_tls_set(NS_TLS_NGRAM, m, cg_destroy) < 0) {
			cg_destroy(m);
			return NULL;
		}
		m->lo = lo;
		m->hi = hi;
	}
	if (m->lo != lo || m->hi != hi) {
		memset(m->slot, 0, CG_SLOTS * sizeof *m->slot);
		m->nslots = m->nkeys = m->nids = 0;
		m->lo = lo;
		m->hi = hi;
	}
	m->npend = 0;
	if (++m->stamp == 0) { /* wrapped: forget every old stamp */
		for (size_t i = 0; i < CG_SLOTS; i++)
			m->slot[i].stamp = 0;
		m->stamp = 1;
	}
	return m;
}

/* Adds the counted words' n-gram hits, each n-gram weighing its word's count
 * (document level: the sentences are not kept in an aggregated bag). */
static void cg_flush(cg_memo *m, ns_fbag *bag)
{
	for (size_t k = 0; k < m->npend; k++) {
		const cg_slot *sl = &m->slot[m->pend[k]];
		ns_fbag_add_ids(bag, m->ids + sl->ids, sl->nids, UINT32_MAX, (float)sl->count);
	}
	m->npend = 0;
}

/* Adds the n-gram hits of word w (h: its group_hash(NS_FG_WORD, ...)). With agg
 * (the bag's order is not read) a memoised word is only counted; cg_flush adds
 * its hits once per document. Returns the word's memo slot, valid until the
 * next call, or NULL when the word is not memoised. */
static cg_slot *char_ngrams(ns_fbag *bag, cg_memo *m, int agg, uint64_t h, const char *w, size_t n, uint32_t sent,
			    int lo, int hi)
{
	uint32_t ids[CG_MAX_IDS];
	size_t i = 0;
	cg_slot *sl = NULL;
	if (m && n <= CG_MAX_KEY) {
		for (i = h & (CG_SLOTS - 1); m->slot[i].nlen; i = (i + 1) & (CG_SLOTS - 1)) {
			const cg_slot *c = &m->slot[i];
			if (c->h == h && c->nlen == n && memcmp(m->keys + c->key, w, n) == 0) {
				sl = &m->slot[i];
				break;
			}
		}
	}
	if (!sl) {
		size_t k = char_ngram_ids(ids, w, n, lo, hi);
		if (!m || n == 0 || n > CG_MAX_KEY) {
			ns_fbag_add_ids(bag, ids, k, sent, 1.0f);
			return NULL;
		}
		if (4 * (m->nslots + 1) > 3 * CG_SLOTS || m->nkeys + n > CG_KEYS || m->nids + k > CG_IDS) {
			cg_flush(m, bag); /* the counted slots are about to go */
			memset(m->slot, 0, CG_SLOTS * sizeof *m->slot);
			m->nslots = m->nkeys = m->nids = 0;
			for (i = h & (CG_SLOTS - 1); m->slot[i].nlen; i = (i + 1) & (CG_SLOTS - 1))
				;
		}
		sl = &m->slot[i]; /* the empty slot the probe ended on */
		memcpy(m->keys + m->nkeys, w, n);
		memcpy(m->ids + m->nids, ids, k * sizeof *ids);
		sl->h = h;
		sl->key = (uint32_t)m->nkeys;
		sl->ids = (uint32_t)m->nids;
		sl->nlen = (uint16_t)n;
		sl->nids = (uint16_t)k;
		sl->stamp = 0;
		cg_pay *py = &m->pay[i];
		py->w2a = half_a(NS_FG_WORD2, w, n);
		py->w2b = half_b(NS_FG_WORD2, w, n);
		py->slen = CG_NO_STEM;
		m->nkeys += n;
		m->nids += k;
		m->nslots++;
	}
	if (!agg) {
		ns_fbag_add_ids(bag, m->ids + sl->ids, sl->nids, sent, 1.0f);
		return sl;
	}
	if (sl->stamp != m->stamp) {
		sl->stamp = m->stamp;
		sl->count = 0;
		m->pend[m->npend++] = (uint32_t)i;
	}
	sl->count++;
	return sl;
}

/* The hashes of stem s[0..n) into p (sid, tid, s2a, s2b). */
static void stem_hashes(cg_pay *p, const char *s, size_t n)
{
	p->sid = ns_features_id(NS_FG_STEM, s, n);
	p->tid = ns_features_id(NS_FG_TITLE, s, n);
	p->s2a = half_a(NS_FG_STEM2, s, n);
	p->s2b = half_b(NS_FG_STEM2, s, n);
}

/* The stem hashes of a memoised word (slot sl) for stem s[0..n): kept when
 * made from the same stem bytes, else made (and kept when the pool has room). */
static const cg_pay *stem_pay(cg_memo *m, const cg_slot *sl, const char *s, size_t n, cg_pay *tmp)
{
	cg_pay *py = &m->pay[sl - m->slot];
	if (py->slen == n && memcmp(m->keys + py->skey, s, n) == 0)
		return py;
	stem_hashes(tmp, s, n);
	if (n >= CG_NO_STEM || m->nkeys + n > CG_KEYS)
		return tmp;
	memcpy(m->keys + m->nkeys, s, n);
	py->skey = (uint32_t)m->nkeys;
	py->slen = (uint16_t)n;
	py->sid = tmp->sid;
	py->tid = tmp->tid;
	py->s2a = tmp->s2a;
	py->s2b = tmp->s2b;
	m->nkeys += n;
	return py;
}

int ns_features_doc(ns_fbag *bag, const ns_doc *doc, const ns_feat_opts *o)
{
	cg_memo *memo = o->char_max > 0 ? cg_get(o->char_min, o->char_max) : NULL;
	int agg = memo && bag->keep_order;
	int prev = 0;                /* a word precedes in the same clause */
	uint64_t pw2a = 0, ps2a = 0; /* its bigram halves */
	uint32_t prev_sent = UINT32_MAX;
	for (size_t t = 0; t < doc->ntokens; t++) {
		const ns_token *tok = &doc->tokens[t];
		uint32_t s = tok->sentence;
		if (s != prev_sent) {
			prev = 0;
			prev_sent = s;
		}
		if (tok->kind == NS_TOK_NUMBER) {
			if (o->numbers && o->word_n >= 1)
				ns_fbag_add(bag, ns_features_id(NS_FG_WORD, "<num>", 5), s, 1.0f);
			prev = 0;
			continue;
		}
		if (tok->kind != NS_TOK_WORD) {
			/* punctuation breaks n-gram chains except for quotes/dashes inside a clause */
			prev = 0;
			continue;
		}
		if (!tok->norm || tok->end - tok->start < (uint32_t)o->min_word_len) {
			prev = 0;
			continue;
		}
		const char *stem = tok->stem ? tok->stem : tok->norm;
		size_t stem_len = tok->stem ? tok->stem_len : tok->norm_len;
		uint64_t wh = group_hash(NS_FG_WORD, tok->norm, tok->norm_len);
		/* the n-gram memo also keeps the word's other hashes (cg_pay) */
		const cg_slot *sl = o->char_max > 0 ? char_ngrams(bag, memo, agg, wh, tok->norm, tok->norm_len, s,
								 o->char_min, o->char_max)
						    : NULL;
		cg_pay own;
		const cg_pay *py;
		if (sl) {
			const cg_pay *wp = &memo->pay[sl - memo->slot];
			own.w2a = wp->w2a;
			own.w2b = wp->w2b;
			py = stem_pay(memo, sl, stem, stem_len, &own);
		} else {
			own.w2a = half_a(NS_FG_WORD2, tok->norm, tok->norm_len);
			own.w2b = half_b(NS_FG_WORD2, tok->norm, tok->norm_len);
			stem_hashes(&own, stem, stem_len);
			py = &own;
		}
		if (o->word_n >= 1)
			ns_fbag_add(bag, hash_id(NS_FG_WORD, wh), s, 1.0f);
		if (o->stem_n >= 1)
			ns_fbag_add(bag, py->sid, s, 1.0f);
		if (prev) {
			if (o->word_n >= 2)
				ns_fbag_add(bag, pair_of(NS_FG_WORD2, pw2a, own.w2b), s, 1.0f);
			if (o->stem_n >= 2)
				ns_fbag_add(bag, pair_of(NS_FG_STEM2, ps2a, py->s2b), s, 1.0f);
		}
		if (o->title_sents > 0 && s < (uint32_t)o->title_sents)
			ns_fbag_add(bag, py->tid, s, 1.0f);
		pw2a = own.w2a;
		ps2a = py->s2a;
		prev = 1;
	}
	if (agg)
		cg_flush(memo, bag);
	return bag->failed ? ns_error__set(NS_ENOMEM, "features: out of memory") : 0;
}
