/* Stems of word tokens: Snowball (libstemmer) for en, ru, pt and hi, the light
 * suffix stripper of stem_bg.c for bg; other languages (uk included) keep the
 * normal form as the stem.
 *
 * DESIGN: an sb_stemmer is not thread-safe, so each thread keeps its own, one per
 * language, created on first use in the thread's state (util/tls.c), freed when
 * the thread exits or calls ns_thread_release. Ukrainian gets no stemmer: the
 * Russian algorithm does not know і, ї, є and mangles Ukrainian endings, and a
 * wrong stem is worse for matching than none. Stems equal to the norm share it.
 * Each thread also memoises Snowball results (a string memo, util/smemo.c). */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Memo of Snowball results, per thread and language: a string memo
 * (util/smemo.c). Words follow Zipf's law, so a small table answers most
 * lookups: on the corpus it removed most of the stemmer's share of the stage
 * (about a fifth of the time). */
#define NS_STEM_SLOTS_LOG2 14
#define NS_STEM_POOL (512u * 1024)
#define NS_STEM_CACHE_MAXLEN 64 /* longer norms (bytes) are stemmed every time */

typedef struct stem_tls {
	struct sb_stemmer *sb[NS_LANG_COUNT];
	unsigned char tried[NS_LANG_COUNT];
	ns_smemo *cache[NS_LANG_COUNT];
} stem_tls;

/* Longer words (in bytes) keep their norm as the Bulgarian stem. */
#define NS_BG_STEM_MAX 256

static void tls_destroy(void *p)
{
	stem_tls *t = p;
	if (!t)
		return;
	for (int i = 0; i < NS_LANG_COUNT; i++) {
		if (t->sb[i])
			sb_stemmer_delete(t->sb[i]);
		ns_smemo_free(t->cache[i]);
	}
	free(t);
}

/* This thread's stemmer state (util/tls.c), created on first use. */
static stem_tls *tls_get(void)
{
	stem_tls *t = ns_tls_get(NS_TLS_STEM);
	if (t)
		return t;
	t = ns_calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (ns_tls_set(NS_TLS_STEM, t, tls_destroy) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

static const char *snowball_name(int lang)
{
	switch (lang) {
	case NS_LANG_EN: return "english";
	case NS_LANG_RU: return "russian";
	case NS_LANG_PT: return "portuguese";
	case NS_LANG_HI: return "hindi";
	default: return NULL;
	}
}

/* This thread's stemmer for lang (NULL when the language has none) and its cache. */
static int get_stemmer(struct sb_stemmer **out, ns_smemo **cache, int lang)
{
	*out = NULL;
	*cache = NULL;
	const char *name = snowball_name(lang);
	if (!name)
		return 0;
	stem_tls *t = tls_get();
	if (!t)
		return NS_ENOMEM;
	if (!t->tried[lang]) {
		t->tried[lang] = 1;
		t->sb[lang] = sb_stemmer_new(name, "UTF_8");
		if (!t->sb[lang])
			return ns_error__set(NS_ENOMEM, "cannot create the Snowball stemmer '%s'", name);
		t->cache[lang] = ns_smemo_new(NS_STEM_SLOTS_LOG2, NS_STEM_POOL); /* NULL: no memo */
	}
	if (!t->sb[lang])
		return ns_error__set(NS_ENOMEM, "cannot create the Snowball stemmer '%s'", name);
	*out = t->sb[lang];
	*cache = t->cache[lang];
	return 0;
}

/* Sets tok->stem to s[0..n), sharing the norm when it is equal or a prefix. */
static int set_stem(ns_arena *a, ns_token *tok, const char *s, size_t n)
{
	if (n == tok->norm_len && memcmp(s, tok->norm, n) == 0) {
		tok->stem = tok->norm;
		tok->stem_len = tok->norm_len;
		return 0;
	}
	char *copy = ns_arena_strndup(a, s, n);
	if (!copy)
		return NS_ENOMEM;
	tok->stem = copy;
	tok->stem_len = (uint16_t)n;
	return 0;
}

int ns_text__stem(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	struct sb_stemmer *sb = NULL;
	ns_smemo *cache = NULL;
	int rc = get_stemmer(&sb, &cache, ctx->lang);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < doc->ntokens; i++) {
		ns_token *t = &doc->tokens[i];
		if (t->kind != NS_TOK_WORD) {
			t->stem = t->norm;
			t->stem_len = t->norm_len;
			continue;
		}
		if (sb) {
			bool cacheable = cache && t->norm_len > 0 && t->norm_len <= NS_STEM_CACHE_MAXLEN;
			uint64_t h = cacheable ? ns_hash64(t->norm, t->norm_len, 0x7374656d) : 0;
			size_t sn = 0;
			const char *hit = cacheable ? ns_smemo_get(cache, h, t->norm, t->norm_len, &sn) : NULL;
			if (hit) {
				rc = set_stem(&doc->arena, t, hit, sn);
			} else {
				const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)t->norm, t->norm_len);
				if (!st)
					return ns_error__set(NS_ENOMEM, "out of memory while stemming");
				sn = (size_t)sb_stemmer_length(sb);
				if (cacheable)
					ns_smemo_put(cache, h, t->norm, t->norm_len, st, sn);
				rc = set_stem(&doc->arena, t, (const char *)st, sn);
			}
		} else if (ctx->lang == NS_LANG_BG) {
			char buf[NS_BG_STEM_MAX + 1];
			if (t->norm_len <= NS_BG_STEM_MAX) {
				size_t n = ns_text__stem_bg(buf, t->norm, t->norm_len);
				rc = set_stem(&doc->arena, t, buf, n);
			} else {
				t->stem = t->norm;
				t->stem_len = t->norm_len;
			}
		} else {
			t->stem = t->norm;
			t->stem_len = t->norm_len;
			rc = 0;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
