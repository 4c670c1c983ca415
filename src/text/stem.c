/* Stems of word tokens: Snowball (libstemmer) for en, ru, pt and hi, the light
 * suffix stripper of stem_bg.c for bg; other languages (uk included) keep the
 * normal form as the stem.
 *
 * DESIGN: an sb_stemmer is not thread-safe, so each thread keeps its own, one per
 * language, created on first use and freed by a pthread key destructor when the
 * thread exits (ns_text_thread_release frees them earlier, e.g. for the main
 * thread before exit, so valgrind sees no leak). Ukrainian gets no stemmer: the
 * Russian algorithm does not know і, ї, є and mangles Ukrainian endings, and a
 * wrong stem is worse for matching than none. Stems equal to the norm share it. */
#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct stem_tls {
	struct sb_stemmer *sb[NS_LANG_COUNT];
	unsigned char tried[NS_LANG_COUNT];
} stem_tls;

/* Longer words (in bytes) keep their norm as the Bulgarian stem. */
#define NS_BG_STEM_MAX 256

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_key_err;

static void tls_destroy(void *p)
{
	stem_tls *t = p;
	if (!t)
		return;
	for (int i = 0; i < NS_LANG_COUNT; i++)
		if (t->sb[i])
			sb_stemmer_delete(t->sb[i]);
	free(t);
}

static void tls_init(void)
{
	tls_key_err = pthread_key_create(&tls_key, tls_destroy);
}

static stem_tls *tls_get(void)
{
	if (pthread_once(&tls_once, tls_init) != 0 || tls_key_err != 0) {
		ns_error__set(NS_ENOMEM, "cannot create the per-thread stemmer key");
		return NULL;
	}
	stem_tls *t = pthread_getspecific(tls_key);
	if (t)
		return t;
	t = ns_calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (pthread_setspecific(tls_key, t) != 0) {
		free(t);
		ns_error__set(NS_ENOMEM, "cannot store the per-thread stemmer state");
		return NULL;
	}
	return t;
}

void ns_text_thread_release(void)
{
	if (pthread_once(&tls_once, tls_init) != 0 || tls_key_err != 0)
		return;
	stem_tls *t = pthread_getspecific(tls_key);
	if (t) {
		pthread_setspecific(tls_key, NULL);
		tls_destroy(t);
	}
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

/* This thread's stemmer for lang, or NULL when the language has none. */
static int get_stemmer(struct sb_stemmer **out, int lang)
{
	*out = NULL;
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
	}
	*out = t->sb[lang];
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
	int rc = get_stemmer(&sb, ctx->lang);
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
			const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)t->norm, t->norm_len);
			if (!st)
				return ns_error__set(NS_ENOMEM, "out of memory while stemming");
			rc = set_stem(&doc->arena, t, (const char *)st, (size_t)sb_stemmer_length(sb));
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
