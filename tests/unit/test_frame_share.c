/* Tests of the role classifier's sharing and entity options (src/frame): the
 * weight of the per-language (and per-domain) feature copies, its default and the
 * value a model section without the key loads with (likewise the window n-grams
 * and wide context), the side table (side.c), the
 * mention-to-entity choice for long spans, and the side and whole-entity
 * feature knobs on a hand-written gazetteer and text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame.h"
#include "model/ser.h"
#include "test.h"
#include "text/doc.h"

static int span_of(const char *text, const char *word, uint32_t *s, uint32_t *e)
{
	const char *p = strstr(text, word);
	if (!p)
		return -1;
	*s = (uint32_t)ns_utf8_count(text, (size_t)(p - text));
	*e = *s + (uint32_t)ns_utf8_count(word, strlen(word));
	return 0;
}

/* hits of b with weight w (within 1e-6) */
static size_t hits_weighing(const ns_fbag *b, float w)
{
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++)
		k += b->h[i].w > w - 1e-6f && b->h[i].w < w + 1e-6f;
	return k;
}

/* Every feature of the groups in langx (default: all groups) gets
 * one language copy whose hit weight is lxw (default 1);
 * domx adds a domain copy at dxw; both keys round-trip and must be positive. */
NS_TEST(frame__language_copy_weight)
{
	static const char *const text = "Borovia attacked the city. Civilians suffered.";
	ns_frame_cues *cues = NULL;
	ns_frame_params p, q;
	ns_doc doc;
	ns_frame_docctx ctx;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	ns_fbag none = NS_FBAG_INIT, lang = NS_FBAG_INIT, both = NS_FBAG_INIT;
	ns_buf b = NS_BUF_INIT;
	uint32_t s = 0, e = 0;
	ns_frame_params_init(&p);
	CHECK_NEAR(p.f.lang_cross_w, 1.0, 1e-12);
	CHECK_INT(p.f.lang_cross, 0xFF); /* every group */
	CHECK_INT(p.f.dom_cross, 0);
	CHECK_INT(ns_frame_params_parse(&p, "lxw=0.75,domx=3,dxw=0.5"), 0);
	CHECK_INT(ns_frame_params_format(&p, &b), 0);
	ns_frame_params_init(&q);
	CHECK_INT(ns_frame_params_parse(&q, b.ptr), 0);
	CHECK_NEAR(q.f.lang_cross_w, 0.75, 1e-12);
	CHECK_INT(q.f.dom_cross, 3);
	CHECK_NEAR(q.f.dom_cross_w, 0.5, 1e-12);
	CHECK(ns_frame_params_parse(&q, "lxw=0") == NS_EINVAL);
	CHECK(ns_frame_params_parse(&q, "dxw=-1") == NS_EINVAL);
	ns_buf_free(&b);

	CHECK_INT(ns_frame_cues_new(&cues), 0);
	if (!cues)
		return;
	to.force_lang = "en";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_docctx_init(&ctx, &doc, cues), 0);
	CHECK_INT(span_of(text, "Borovia", &s, &e), 0);
	ns_frame_params_init(&p);
	p.f.gazetteer = 0;
	p.f.lang_cross = 0;
	CHECK_INT(ns_frame_features(&none, &ctx, s, e, &p.f), 0);
	size_t ones = hits_weighing(&none, 1.0f);
	p.f.lang_cross = 0xFF;
	p.f.lang_cross_w = 0.6;
	CHECK_INT(ns_frame_features(&lang, &ctx, s, e, &p.f), 0);
	CHECK_INT(lang.n, 2 * none.n);
	CHECK_INT(hits_weighing(&lang, 0.6f), ones); /* the copy of every weight-1 hit */
	{ /* langx 251: no copies of the sentence group's hits (sentence and wide stems) */
		ns_frame_params d;
		ns_fbag dflt = NS_FBAG_INIT;
		size_t nsent = 0;
		ns_frame_params_init(&d);
		d.f.gazetteer = 0;
		d.f.lang_cross = 0xFF & ~(1 << NS_FRAME_G_SENT);
		for (size_t i = 0; i < none.n; i++)
			nsent += NS_FID_GROUP(none.h[i].id) == NS_FRAME_G_SENT;
		CHECK(nsent > 0);
		CHECK_INT(ns_frame_features(&dflt, &ctx, s, e, &d.f), 0);
		CHECK_INT(dflt.n, 2 * none.n - nsent);
		ns_fbag_free(&dflt);
	}
	p.f.dom_cross = 0xFF;
	p.f.dom_cross_w = 0.3;
	CHECK_INT(ns_frame_features(&both, &ctx, s, e, &p.f), 0);
	CHECK_INT(both.n, 3 * none.n);
	CHECK_INT(hits_weighing(&both, 0.3f), ones);
	ns_fbag_free(&none);
	ns_fbag_free(&lang);
	ns_fbag_free(&both);
	ns_frame_docctx_free(&ctx);
	ns_doc_release(&doc);
	ns_frame_cues_free(cues);
}

/* A model section whose parameter string has no "lxw" (written before the key
 * existed) loads with copy weight 1, so it scores as it was trained; a section
 * with the key keeps its value. */
NS_TEST(frame__section_without_copy_weight)
{
	static const char *const main_names[] = {"Protagonist", "Antagonist"};
	static const char *const fine_names[] = {"Guardian", "Tyrant"};
	static const int32_t fine_main[] = {0, 1};
	ns_frame_example ex[2];
	ns_frame_params p;
	ns_frame_model *m = NULL, *m2 = NULL;
	ns_buf sec = NS_BUF_INIT, old = NS_BUF_INIT;
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < 2; i++) {
		ns_fbag_add(&ex[i].bag, NS_FID(0, 11 + (uint32_t)i), 0, 1);
		ns_fbag_add(&ex[i].bag, NS_FID(1, 7), 0, 1);
		ex[i].main = i;
		ex[i].fine[0] = i;
		ex[i].nfine = 1;
	}
	ns_frame_params_init(&p);
	p.f.lang_cross_w = 0.5;
	CHECK_INT(ns_frame_train(&m, ex, 2, main_names, 2, fine_names, fine_main, 2, &p, 1), 0);
	for (int i = 0; i < 2; i++)
		ns_fbag_free(&ex[i].bag);
	if (!m)
		return;
	CHECK_INT(ns_frame_model_serialize(m, &sec), 0);
	CHECK_INT(ns_frame_model_load(&m2, sec.ptr, sec.size), 0);
	CHECK(m2 && ns_frame_model_params(m2)->f.lang_cross_w == 0.5);
	ns_frame_model_free(m2);
	m2 = NULL;
	/* the same section with ",lxw=0.5" cut out of the parameter string */
	uint32_t plen = (uint32_t)sec.ptr[4] | (uint32_t)(unsigned char)sec.ptr[5] << 8 |
			(uint32_t)(unsigned char)sec.ptr[6] << 16 | (uint32_t)(unsigned char)sec.ptr[7] << 24;
	const char *ps = sec.ptr + 8, *k = strstr(ps, ",lxw=");
	CHECK(k != NULL && (size_t)(k - ps) < plen);
	if (k) {
		const char *kend = strchr(k + 1, ',');
		size_t cut = (size_t)(kend - k);
		ns_buf_put(&old, sec.ptr, 4); /* the same format version */
		ns_wr_u32(&old, plen - (uint32_t)cut);
		ns_buf_put(&old, ps, (size_t)(k - ps));
		ns_buf_put(&old, kend, sec.size - (size_t)(kend - sec.ptr));
		CHECK(!ns_buf_failed(&old));
		CHECK_INT(ns_frame_model_load(&m2, old.ptr, old.size), 0);
		CHECK(m2 && ns_frame_model_params(m2)->f.lang_cross_w == 1.0);
		CHECK(m2 && ns_frame_model_params(m2)->f.verbs == p.f.verbs);
	}
	ns_frame_model_free(m2);
	ns_frame_model_free(m);
	ns_buf_free(&sec);
	ns_buf_free(&old);
}

/* Cuts ",key=value" out of the parameter string of a format-1 section into out. */
static int cut_param(ns_buf *out, const ns_buf *sec, const char *key)
{
	uint32_t plen = (uint32_t)(unsigned char)sec->ptr[4] | (uint32_t)(unsigned char)sec->ptr[5] << 8 |
			(uint32_t)(unsigned char)sec->ptr[6] << 16 | (uint32_t)(unsigned char)sec->ptr[7] << 24;
	const char *ps = sec->ptr + 8, *k = strstr(ps, key);
	if (!k || (size_t)(k - ps) >= plen)
		return -1;
	const char *kend = strchr(k + 1, ',');
	if (!kend)
		return -1;
	size_t cut = (size_t)(kend - k);
	ns_buf_put(out, sec->ptr, 4); /* the same format version */
	ns_wr_u32(out, plen - (uint32_t)cut);
	ns_buf_put(out, ps, (size_t)(k - ps));
	ns_buf_put(out, kend, sec->size - (size_t)(kend - sec->ptr));
	return ns_buf_failed(out) ? -1 : 0;
}

/* The window n-grams and the wide context (wchars, wide; off by default); a
 * section whose parameter string lacks either key (written before the keys
 * existed) loads with it off, so it extracts the features it was trained on; a
 * section with the keys keeps their values. */
NS_TEST(frame__section_without_context_keys)
{
	static const char *const main_names[] = {"Protagonist", "Antagonist"};
	static const char *const fine_names[] = {"Guardian", "Tyrant"};
	static const int32_t fine_main[] = {0, 1};
	ns_frame_example ex[2];
	ns_frame_params p;
	ns_frame_model *m = NULL, *m2 = NULL;
	ns_buf sec = NS_BUF_INIT, old1 = NS_BUF_INIT, old2 = NS_BUF_INIT;
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < 2; i++) {
		ns_fbag_add(&ex[i].bag, NS_FID(0, 21 + (uint32_t)i), 0, 1);
		ex[i].main = i;
		ex[i].fine[0] = i;
		ex[i].nfine = 1;
	}
	ns_frame_params_init(&p);
	CHECK(p.f.window_chars == 0 && p.f.wide == 0);
	CHECK(p.vec.group_weight[NS_FRAME_G_SENT] > 0.59f && p.vec.group_weight[NS_FRAME_G_SENT] < 0.61f);
	p.f.window_chars = 1;
	p.f.wide = 12;
	CHECK_INT(ns_frame_train(&m, ex, 2, main_names, 2, fine_names, fine_main, 2, &p, 1), 0);
	for (int i = 0; i < 2; i++)
		ns_fbag_free(&ex[i].bag);
	if (!m)
		return;
	CHECK_INT(ns_frame_model_serialize(m, &sec), 0);
	CHECK_INT(ns_frame_model_load(&m2, sec.ptr, sec.size), 0);
	CHECK(m2 && ns_frame_model_params(m2)->f.window_chars == 1 && ns_frame_model_params(m2)->f.wide == 12);
	ns_frame_model_free(m2);
	m2 = NULL;
	CHECK_INT(cut_param(&old1, &sec, ",wchars="), 0);
	CHECK_INT(cut_param(&old2, &old1, ",wide="), 0);
	CHECK_INT(ns_frame_model_load(&m2, old2.ptr, old2.size), 0);
	CHECK(m2 && ns_frame_model_params(m2)->f.window_chars == 0 && ns_frame_model_params(m2)->f.wide == 0);
	CHECK(m2 && ns_frame_model_params(m2)->f.verbs == p.f.verbs);
	ns_frame_model_free(m2);
	ns_frame_model_free(m);
	ns_buf_free(&sec);
	ns_buf_free(&old1);
	ns_buf_free(&old2);
}

/* The side table is sorted (binary search), finds whole ids only, and every id
 * in it names an entity of data/entities.tsv (no typo leaves a side unused). */
NS_TEST(frame__side_table)
{
	size_t n = ns_frame__side_count();
	CHECK(n > 50);
	for (size_t i = 1; i < n; i++)
		CHECK(strcmp(ns_frame__side_id(i - 1), ns_frame__side_id(i)) < 0);
	CHECK(ns_frame__side_id(n) == NULL);
	CHECK_INT(ns_frame_side("Q:putin", 7), NS_SIDE_RUSSIA);
	CHECK_INT(ns_frame_side("Q:zelensky", 10), NS_SIDE_UKRAINE_WEST);
	CHECK_INT(ns_frame_side("Q:nato", 6), NS_SIDE_UKRAINE_WEST);
	CHECK_INT(ns_frame_side("Q:thunberg", 10), NS_SIDE_CLIMATE_ACTION);
	CHECK_INT(ns_frame_side("Q:exxon", 7), NS_SIDE_CLIMATE_SCEPTIC);
	CHECK_INT(ns_frame_side("Q:puti", 6), NS_SIDE_NONE);
	CHECK_INT(ns_frame_side("Q:putinx", 8), NS_SIDE_NONE);
	CHECK_INT(ns_frame_side("Q:putinx", 7), NS_SIDE_RUSSIA); /* length given, no NUL needed */
	CHECK_INT(ns_frame_side("Q:india", 7), NS_SIDE_NONE);
	for (size_t i = 0; i < n; i++)
		CHECK_INT(ns_frame_side(ns_frame__side_id(i), strlen(ns_frame__side_id(i))) != NS_SIDE_NONE, 1);

	const char *src = getenv("NS_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/entities.tsv", src ? src : ".");
	char *buf = NULL;
	size_t len = 0;
	if (ns_file_read(&buf, &len, path, (size_t)1 << 24) < 0) {
		NS_SKIP("data/entities.tsv not found (set NS_SRC)");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char key[96];
		snprintf(key, sizeof key, "\n%s\t", ns_frame__side_id(i));
		if (!strstr(buf, key))
			fprintf(stderr, "side id %s is not in %s\n", ns_frame__side_id(i), path);
		CHECK(strstr(buf, key) != NULL);
	}
	free(buf);
}

/* "Hungarian Prime Minister Viktor Orban": the span overlaps the demonym first,
 * the person most; ties go to the later mention. */
NS_TEST(frame__mention_best_overlap)
{
	ns_mention ms[3];
	memset(ms, 0, sizeof ms);
	ms[0].start = 0, ms[0].end = 9, ms[0].entity = 0;    /* Hungarian */
	ms[1].start = 25, ms[1].end = 37, ms[1].entity = 1;  /* Viktor Orban */
	ms[2].start = 50, ms[2].end = 56, ms[2].entity = 2;  /* elsewhere */
	ns_entity_layer L;
	memset(&L, 0, sizeof L);
	L.mentions = ms;
	L.nmentions = 3;
	CHECK_INT(ns_frame__mention_at(&L, 0, 37), 0);
	CHECK_INT(ns_frame__mention_best(&L, 0, 37), 1);
	CHECK_INT(ns_frame__mention_best(&L, 0, 9), 0);
	CHECK_INT(ns_frame__mention_best(&L, 30, 60), 1);  /* 7 vs 6 */
	CHECK_INT(ns_frame__mention_best(&L, 31, 60), 2);  /* 6 vs 6: the later one */
	CHECK_INT(ns_frame__mention_best(&L, 10, 20), -1);
	CHECK_INT(ns_frame__mention_best(&L, 57, 70), -1);
}

static const char gaz_tsv[] =
	"id\ttype\tname\ten\tru\tuk\tbg\tpt\thi\ttitles\n"
	"Q:putin\tperson\tVladimir Putin\tVladimir Putin|Putin\t\t\t\t\t\t\n"
	"Q:ukraine\tcountry\tUkraine\tUkraine\t\t\t\t\t\t\n"
	"Q:testland\tcountry\tTestland\tTestland\t\t\t\t\t\t\n";

static size_t nfeat(const ns_frame_docctx *ctx, uint32_t s, uint32_t e, const char *knobs)
{
	ns_frame_params p;
	ns_fbag b = NS_FBAG_INIT;
	ns_frame_params_init(&p);
	p.f.lang_cross = 0;
	if (knobs && ns_frame_params_parse(&p, knobs) < 0)
		return 0;
	size_t n = ns_frame_features(&b, ctx, s, e, &p.f) < 0 ? 0 : b.n;
	ns_fbag_free(&b);
	return n;
}

/* side=1: side and side x domain (2 hits) for an entity with a side, none for
 * one without; side=4: one hit per other sided entity of the sentence; side=8:
 * one balance hit; side=2: the document's content stems; ent=2: the other
 * sentences of the same entity add hits, a once-mentioned entity gets none;
 * syn=1: the cue word the mention is the subject of. */
NS_TEST(frame__side_and_entity_knobs)
{
	static const char *const text =
		"Putin attacked Ukraine again. Testland watched. Later Putin denied the shelling of the harbour.";
	ns_gazetteer *g = NULL;
	ns_frame_cues *cues = NULL;
	ns_doc doc;
	ns_frame_docctx ctx;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	uint32_t s = 0, e = 0, ts = 0, te = 0;
	CHECK_INT(ns_gazetteer_load_mem(&g, gaz_tsv, strlen(gaz_tsv), "fx.tsv"), 0);
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	if (!g || !cues) {
		ns_gazetteer_free(g);
		ns_frame_cues_free(cues);
		return;
	}
	to.force_lang = "en";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_entity_detect(&doc, g), 0);
	CHECK_INT(ns_frame_docctx_init(&ctx, &doc, cues), 0);
	CHECK_INT(span_of(text, "Putin", &s, &e), 0);
	CHECK_INT(span_of(text, "Testland", &ts, &te), 0);
	size_t base = nfeat(&ctx, s, e, NULL), tbase = nfeat(&ctx, ts, te, NULL);
	CHECK(base > 10);
	CHECK_INT(nfeat(&ctx, s, e, "side=1") - base, 2);
	CHECK_INT(nfeat(&ctx, ts, te, "side=1") - tbase, 0);
	CHECK_INT(nfeat(&ctx, s, e, "side=4") - base, 1); /* Ukraine, after */
	CHECK_INT(nfeat(&ctx, s, e, "side=8") - base, 1);
	CHECK(nfeat(&ctx, s, e, "side=2") - base >= 8);  /* attacked, ukraine, again, ... */
	CHECK(nfeat(&ctx, s, e, "ent=2") > base);         /* "Later Putin denied ..." */
	/* syn=1: Putin is the subject of "attacked" (one hit per cue category of
	 * the word); Testland's clause has no cue word */
	uint32_t am = ns_frame_cues_match(cues, "attacked", 8) & ~((1u << NS_CUE_NEG) | (1u << NS_CUE_AGENT));
	size_t ncat = 0;
	for (; am; am &= am - 1)
		ncat++;
	CHECK(ncat >= 1);
	CHECK_INT(nfeat(&ctx, s, e, "syn=1") - base, ncat);
	CHECK_INT(nfeat(&ctx, ts, te, "syn=1") - tbase, 0);
	CHECK_INT(nfeat(&ctx, ts, te, "ent=2") - tbase, 0);
	ns_frame_docctx_free(&ctx);
	ns_doc_release(&doc);
	ns_gazetteer_free(g);
	ns_frame_cues_free(cues);
}
