/* Tests of the role classifier (src/frame): cue lexicon matching, mention
 * features, parameter strings, training on a small hand-written corpus, the
 * hierarchy of decisions, the bundle section round trip and its validation, and
 * `predict --task framing` on malformed mentions files. Texts are written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frame/frame.h"
#include "test.h"
#include "text/doc.h"

static uint32_t cue_of(const ns_frame_cues *c, const char *w)
{
	return ns_frame_cues_match(c, w, strlen(w));
}

NS_TEST(frame__cues_five_languages)
{
	ns_frame_cues *c = NULL;
	CHECK_INT(ns_frame_cues_new(&c), 0);
	if (!c)
		return;
	CHECK(cue_of(c, "attacked") & (1u << NS_CUE_ATTACK));
	CHECK(cue_of(c, "обстрелял") & (1u << NS_CUE_ATTACK));
	CHECK(cue_of(c, "нахлуването") & (1u << NS_CUE_ATTACK));
	CHECK(cue_of(c, "bombardeou") & (1u << NS_CUE_ATTACK));
	CHECK(cue_of(c, "हमले") & (1u << NS_CUE_ATTACK));
	CHECK(cue_of(c, "victims") & (1u << NS_CUE_SUFFER));
	CHECK(cue_of(c, "обвинил") & (1u << NS_CUE_ACCUSE));
	CHECK(cue_of(c, "negou") & (1u << NS_CUE_DENY));
	CHECK(cue_of(c, "героизм") & (1u << NS_CUE_HERO));
	CHECK(cue_of(c, "said") & (1u << NS_CUE_SPEECH));
	CHECK(cue_of(c, "कहा") & (1u << NS_CUE_SPEECH));
	/* exact words do not match as prefixes; unrelated words hit nothing */
	CHECK(!(cue_of(c, "saidx") & (1u << NS_CUE_SPEECH)));
	CHECK_INT(cue_of(c, "table"), 0);
	CHECK_INT(cue_of(c, ""), 0);
	CHECK_STR(ns_frame_cue_name(NS_CUE_ATTACK), "attack");
	CHECK_STR(ns_frame_cue_name(999), "?");
	ns_frame_cues_free(c);
}

NS_TEST(frame__params_round_trip)
{
	ns_frame_params p, q;
	ns_buf b = NS_BUF_INIT;
	ns_frame_params_init(&p);
	CHECK_INT(ns_frame_params_parse(&p, "window=7,C=0.25,g3=1.5,langx=3,second=0.2"), 0);
	CHECK_INT(p.f.window, 7);
	CHECK_NEAR(p.C, 0.25, 1e-12);
	CHECK_NEAR(p.vec.group_weight[3], 1.5, 1e-6);
	CHECK_INT(ns_frame_params_format(&p, &b), 0);
	ns_frame_params_init(&q);
	CHECK_INT(ns_frame_params_parse(&q, b.ptr), 0);
	CHECK_INT(q.f.window, 7);
	CHECK_INT(q.f.lang_cross, 3);
	CHECK_NEAR(q.second, 0.2, 1e-12);
	CHECK(ns_frame_params_parse(&q, "nosuchkey=1") == NS_EINVAL);
	CHECK(ns_frame_params_parse(&q, "window") == NS_EINVAL);
	CHECK(ns_frame_params_parse(&q, "C=abc") == NS_EINVAL);
	CHECK(ns_frame_params_parse(&q, "C=-1") == NS_EINVAL);
	ns_buf_free(&b);
}

/* A tiny corpus: the aggressor attacks, the victims suffer, the hero defends. */
static const char *const texts[] = {
	"Borovia attacked the city again. Civilians suffered under the shelling.",
	"The army of Borovia shelled the village. Families of Kalmar suffered and fled.",
	"Kalmar defended its people bravely. Borovia attacked the border at night.",
	"Children in Kalmar suffered from hunger. Borovia bombed the bridge.",
	"Brave volunteers of Kalmar protected the town. Borovia invaded the north.",
	"Borovia destroyed the school. Kalmar heroically defended the region.",
};
/* mention word, main role, fine role, for each text: two mentions */
static const struct {
	const char *word;
	int main, fine;
} gold[][2] = {
	{{"Borovia", 1, 1}, {"Civilians", 2, 2}}, {{"Borovia", 1, 1}, {"Kalmar", 2, 2}},
	{{"Kalmar", 0, 0}, {"Borovia", 1, 1}},    {{"Kalmar", 2, 2}, {"Borovia", 1, 1}},
	{{"Kalmar", 0, 0}, {"Borovia", 1, 1}},    {{"Borovia", 1, 1}, {"Kalmar", 0, 0}},
};
static const char *const main_names[] = {"Protagonist", "Antagonist", "Innocent"};
static const char *const fine_names[] = {"Guardian", "Instigator", "Victim", "Tyrant"};
static const int32_t fine_main[] = {0, 1, 2, 1};

static int span_of(const char *text, const char *word, uint32_t *s, uint32_t *e)
{
	const char *p = strstr(text, word);
	if (!p)
		return -1;
	*s = (uint32_t)ns_utf8_count(text, (size_t)(p - text));
	*e = *s + (uint32_t)ns_utf8_count(word, strlen(word));
	return 0;
}

static ns_frame_model *train_tiny(ns_frame_cues *cues, const ns_frame_params *p)
{
	ns_frame_example ex[12];
	size_t n = 0;
	memset(ex, 0, sizeof ex);
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		ns_doc doc;
		ns_frame_docctx ctx;
		ns_text_opts to = NS_TEXT_OPTS_INIT;
		to.force_lang = "en";
		ns_doc_init(&doc, texts[t], strlen(texts[t]));
		CHECK_INT(ns_text_process(&doc, &to), 0);
		CHECK_INT(ns_frame_docctx_init(&ctx, &doc, cues), 0);
		for (int k = 0; k < 2; k++) {
			uint32_t s = 0, e = 0;
			CHECK_INT(span_of(texts[t], gold[t][k].word, &s, &e), 0);
			CHECK_INT(ns_frame_features(&ex[n].bag, &ctx, s, e, &p->f), 0);
			CHECK(ex[n].bag.n > 10);
			ex[n].main = gold[t][k].main;
			ex[n].fine[0] = gold[t][k].fine;
			ex[n].nfine = 1;
			n++;
		}
		ns_frame_docctx_free(&ctx);
		ns_doc_release(&doc);
	}
	ns_frame_model *m = NULL;
	CHECK_INT(ns_frame_train(&m, ex, n, main_names, 3, fine_names, fine_main, 4, p, 1), 0);
	for (size_t i = 0; i < n; i++)
		ns_fbag_free(&ex[i].bag);
	return m;
}

static void classify(const ns_frame_model *m, const char *text, const char *word, ns_frame_decision *d)
{
	ns_doc doc;
	ns_frame_docctx ctx;
	ns_fbag bag = NS_FBAG_INIT;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	double sc[8];
	uint32_t s = 0, e = 0;
	to.force_lang = "en";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_docctx_init(&ctx, &doc, ns_frame_model_cues(m)), 0);
	CHECK_INT(span_of(text, word, &s, &e), 0);
	CHECK_INT(ns_frame_features(&bag, &ctx, s, e, &ns_frame_model_params(m)->f), 0);
	CHECK_INT(ns_frame_score(m, &bag, sc, sc + 3), 0);
	ns_frame_decide(d, m, sc, sc + 3, NULL);
	ns_fbag_free(&bag);
	ns_frame_docctx_free(&ctx);
	ns_doc_release(&doc);
}

NS_TEST(frame__train_decide_round_trip)
{
	ns_frame_cues *cues = NULL;
	ns_frame_params p;
	ns_frame_params_init(&p);
	p.f.gazetteer = 0;
	p.min_df = 1;
	p.C = 1;
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	ns_frame_model *m = train_tiny(cues, &p);
	CHECK(m != NULL);
	if (!m) {
		ns_frame_cues_free(cues);
		return;
	}
	ns_frame_decision d;
	classify(m, "Borovia attacked the port. Sailors suffered.", "Borovia", &d);
	CHECK_STR(ns_frame_model_main(m, (size_t)d.main), "Antagonist");
	CHECK(d.nfine >= 1);
	/* every fine role belongs to the chosen main role */
	for (size_t i = 0; i < d.nfine; i++)
		CHECK_INT(ns_frame_model_fine_main(m, (size_t)d.fine[i]), d.main);
	CHECK(d.score > 0.5 && d.score < 1.0);

	/* serialise, load, same decision; training twice gives the same bytes */
	ns_buf a = NS_BUF_INIT, b = NS_BUF_INIT;
	CHECK_INT(ns_frame_model_serialize(m, &a), 0);
	ns_frame_model *m2 = train_tiny(cues, &p);
	CHECK(m2 != NULL);
	if (m2)
		CHECK_INT(ns_frame_model_serialize(m2, &b), 0);
	CHECK(a.size == b.size && a.size > 0 && memcmp(a.ptr, b.ptr, a.size) == 0);
	ns_frame_model *l = NULL;
	CHECK_INT(ns_frame_model_load(&l, a.ptr, a.size), 0);
	if (l) {
		ns_frame_decision d2;
		classify(l, "Borovia attacked the port. Sailors suffered.", "Borovia", &d2);
		CHECK_INT(d2.main, d.main);
		CHECK_INT(d2.nfine, d.nfine);
		CHECK_NEAR(d2.score, d.score, 1e-9);
	}
	/* truncated at every 7th byte, and a newer format version, are rejected */
	for (size_t cut = 0; cut < a.size; cut += 7) {
		ns_frame_model *t = NULL;
		CHECK(ns_frame_model_load(&t, a.ptr, cut) < 0);
		CHECK(t == NULL);
	}
	a.ptr[0] = 99;
	ns_frame_model *t = NULL;
	CHECK_INT(ns_frame_model_load(&t, a.ptr, a.size), NS_EVERSION);
	ns_frame_model_free(l);
	ns_frame_model_free(m2);
	ns_frame_model_free(m);
	ns_frame_cues_free(cues);
	ns_buf_free(&a);
	ns_buf_free(&b);
}

NS_TEST(frame__decide_second_role_threshold)
{
	ns_frame_cues *cues = NULL;
	ns_frame_params p;
	ns_frame_params_init(&p);
	p.f.gazetteer = 0;
	p.min_df = 1;
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	ns_frame_model *m = train_tiny(cues, &p);
	if (!m) {
		ns_frame_cues_free(cues);
		return;
	}
	double main[3] = {-1, 1, -1}, fine[4] = {0.9, 0.2, -0.5, 0.1};
	ns_frame_decision d;
	ns_frame_params q = p;
	q.joint = 0;
	q.second = 100;
	ns_frame_decide(&d, m, main, fine, &q);
	/* Guardian scores highest but is not an Antagonist role: Instigator wins */
	CHECK_INT(d.main, 1);
	CHECK_INT(d.nfine, 1);
	CHECK_INT(d.fine[0], 1);
	q.second = 0.0;
	ns_frame_decide(&d, m, main, fine, &q);
	CHECK_INT(d.nfine, 2);
	CHECK_INT(d.fine[1], 3);
	/* joint scoring: a strong fine role can move the main decision */
	q.joint = 1;
	q.joint_w = 5;
	q.second = 100;
	ns_frame_decide(&d, m, main, fine, &q);
	CHECK_INT(d.main, 0);
	CHECK_INT(d.fine[0], 0);
	ns_frame_model_free(m);
	ns_frame_cues_free(cues);
}

static int run(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

NS_TEST(frame__predict_malformed_mentions)
{
	NS_NEED_DATA();
	char dir[] = "/tmp/ns-frame-test-XXXXXX", cmd[8192], path[4200];
	if (!mkdtemp(dir))
		NS_SKIP("mkdtemp failed");
	const char *bin = ns_test_bin();
	snprintf(cmd, sizeof cmd,
		 "cd %s && %s train --task framing --quiet --data %s/semeval2025/train/EN -o %s/m.nsm >%s/train.log 2>&1",
		 ns_test_src(), bin, ns_test_data(), dir, dir);
	if (run(cmd) != 0) {
		snprintf(path, sizeof path, "%s/train.log", dir);
		ns_test_fail(__FILE__, __LINE__, "training failed (see %s)", path);
		return;
	}
	/* an article we write ourselves */
	snprintf(path, sizeof path, "%s/docs", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/docs/EN_T_1.txt", dir);
	write_file(path, "Borovia attacked the town.\nThe people of Kalmar suffered.\n");
	snprintf(path, sizeof path, "%s/mentions.txt", dir);
	write_file(path, "EN_T_1.txt\tBorovia\t0\t6\n"        /* exact */
			 "EN_T_1.txt\tKalmar\t42\t47\n"        /* CRLF-counted offsets */
			 "EN_T_1.txt\tpeople\t0\t5\n"          /* not at the offset: nearest */
			 "EN_T_1.txt\tZanzibar\t3\t10\n"       /* not in the article */
			 "EN_T_1.txt\tBorovia\t500\t506\n"     /* past the end */
			 "EN_T_9.txt\tBorovia\t0\t6\n");       /* unknown article */
	snprintf(cmd, sizeof cmd, "%s predict --task framing --model %s/m.nsm --mentions %s/mentions.txt %s/docs -o %s/out.tsv 2>%s/err.txt",
		 bin, dir, dir, dir, dir, dir);
	CHECK_INT(run(cmd), 0);
	char *out = NULL, *err = NULL;
	size_t n;
	snprintf(path, sizeof path, "%s/out.tsv", dir);
	CHECK_INT(ns_file_read(&out, &n, path, 0), 0);
	snprintf(path, sizeof path, "%s/err.txt", dir);
	CHECK_INT(ns_file_read(&err, &n, path, 0), 0);
	if (out && err) {
		size_t lines = 0;
		for (const char *p = out; *p; p++)
			lines += *p == '\n';
		CHECK_INT(lines, 5); /* the unknown article's line is skipped */
		CHECK(strncmp(out, "EN_T_1.txt\tBorovia\t0\t6\t", 23) == 0);
		CHECK(strstr(err, "mentions.txt:5: offsets past the end") != NULL);
		CHECK(strstr(err, "mentions.txt:4: mention text not found") != NULL);
		CHECK(strstr(err, "mentions.txt:6: unknown article 'EN_T_9.txt'") != NULL);
		CHECK(strstr(err, "1 unknown article, 1 offsets past the end") != NULL);
	}
	/* a line with start > end is a file:line error, exit 1, no output written */
	snprintf(path, sizeof path, "%s/bad.txt", dir);
	write_file(path, "EN_T_1.txt\tBorovia\t0\t6\nEN_T_1.txt\tBorovia\t9\t3\n");
	snprintf(cmd, sizeof cmd, "%s predict --task framing --model %s/m.nsm --mentions %s/bad.txt %s/docs -o %s/out2.tsv 2>%s/err2.txt",
		 bin, dir, dir, dir, dir, dir);
	CHECK_INT(run(cmd), 1);
	snprintf(path, sizeof path, "%s/out2.tsv", dir);
	CHECK(access(path, F_OK) != 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	run(cmd);
}

NS_TEST(frame__assign_entity_roles)
{
	ns_frame_cues *cues = NULL;
	ns_frame_params p;
	ns_frame_params_init(&p);
	p.f.gazetteer = 0;
	p.min_df = 1;
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	ns_frame_model *m = train_tiny(cues, &p);
	if (!m) {
		ns_frame_cues_free(cues);
		return;
	}
	const char *text = "Yesterday Borovia attacked the harbour of Kalmar. The people of Kalmar suffered. Then Borovia denied it.";
	ns_doc doc;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	to.force_lang = "en";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_entity_detect(&doc, NULL), 0); /* name shapes only */
	CHECK_INT(ns_frame_assign(&doc, m, NULL), 0);
	const ns_entity_layer *L = ns_entity_layer_of(&doc);
	CHECK(L != NULL && L->nentities >= 2);
	for (size_t i = 0; L && i < L->nentities; i++) {
		const ns_frame_role *r = L->entities[i].role;
		CHECK(r != NULL);
		if (!r)
			continue;
		CHECK(r->nfine >= 1);
		CHECK_INT(ns_frame_model_fine_main(m, (size_t)r->fine[0]), r->main);
		CHECK(r->nevidence >= 1 && r->evidence[0].end > r->evidence[0].start);
	}
	ns_buf js = NS_BUF_INIT;
	CHECK_INT(ns_entity_write_json(&js, &doc), 0);
	CHECK(js.ptr && strstr(js.ptr, "\"role\":{\"main\":") != NULL);
	CHECK(js.ptr && strstr(js.ptr, "\"evidence\":[{\"start\":") != NULL);
	ns_buf_free(&js);
	ns_doc_release(&doc);
	/* no entity layer: nothing to do, no error */
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_assign(&doc, m, NULL), 0);
	CHECK(doc.roles == NULL);
	ns_doc_release(&doc);
	ns_frame_model_free(m);
	ns_frame_cues_free(cues);
}

/* The verb stand-in: with verbs=2 the two nearest content words on each side of
 * the mention (>= 4 code points, within 6 tokens of the sentence) add one hit
 * each; short function words are skipped and the neighbouring sentences are not
 * reached; "verb=0" turns it off. */
NS_TEST(frame__verb_feature)
{
	static const char *const text = "Yesterday the army of Borovia shelled it. Kalmar fled.";
	ns_frame_cues *cues = NULL;
	ns_frame_params p;
	ns_doc doc;
	ns_frame_docctx ctx;
	ns_fbag with = NS_FBAG_INIT, without = NS_FBAG_INIT, last = NS_FBAG_INIT, last0 = NS_FBAG_INIT;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	uint32_t s = 0, e = 0, s2 = 0, e2 = 0;
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	if (!cues)
		return;
	ns_frame_params_init(&p);
	CHECK_INT(p.f.verbs, 2);
	p.f.lang_cross = 0; /* no per-language copies: one hit per feature */
	to.force_lang = "en";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_docctx_init(&ctx, &doc, cues), 0);
	CHECK_INT(span_of(text, "Borovia", &s, &e), 0);
	CHECK_INT(span_of(text, "Kalmar", &s2, &e2), 0);
	CHECK_INT(ns_frame_features(&with, &ctx, s, e, &p.f), 0);
	CHECK_INT(ns_frame_features(&last, &ctx, s2, e2, &p.f), 0);
	p.f.verbs = 0;
	CHECK_INT(ns_frame_features(&without, &ctx, s, e, &p.f), 0);
	CHECK_INT(ns_frame_features(&last0, &ctx, s2, e2, &p.f), 0);
	/* "shelled" after ("it" is skipped, the sentence ends), "army" and
	 * "Yesterday" before ("of", "the" are skipped) */
	CHECK_INT((int)(with.n - without.n), 3);
	/* "fled" after; nothing before inside the sentence (its first word) */
	CHECK_INT((int)(last.n - last0.n), 1);
	CHECK_INT(ns_frame_params_parse(&p, "verb=0"), 0);
	CHECK_INT(p.f.verbs, 0);
	ns_fbag_free(&with);
	ns_fbag_free(&without);
	ns_fbag_free(&last);
	ns_fbag_free(&last0);
	ns_frame_docctx_free(&ctx);
	ns_doc_release(&doc);
	ns_frame_cues_free(cues);
}

static int popcount_cues(const ns_frame_cues *c, const char *const *words, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t m = ns_frame_cues_match(c, words[i], strlen(words[i])) &
			     ~((1u << NS_CUE_NEG) | (1u << NS_CUE_AGENT));
		for (; m; m &= m - 1)
			k++;
	}
	return k;
}

/* The optional context knobs (off by default, see frame.h): each adds exactly
 * its hits. clause: the words of the mention's clause (cut at the comma); wide=3:
 * three words each side, punctuation skipped; idcue: head x each cue category
 * within 6 tokens; conj: three markers (word before, comma after, ending) x the
 * cue categories of each side of the sentence; wchars=0 drops the character
 * 4-grams of the words next to the mention (on by default). */
NS_TEST(frame__context_knobs)
{
	static const char *const text = "Tanks of Borovia shelled Kalmar, and the city burned. Later Kalmar rebuilt.";
	static const char *const left[] = {"tanks", "of", "borovia", "shelled"};
	static const char *const right[] = {"and", "the", "city", "burned"};
	ns_frame_cues *cues = NULL;
	ns_frame_params p;
	ns_doc doc;
	ns_frame_docctx ctx;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	uint32_t s = 0, e = 0;
	CHECK_INT(ns_frame_cues_new(&cues), 0);
	if (!cues)
		return;
	ns_frame_params_init(&p);
	CHECK(p.f.conj == 0 && p.f.clause == 0 && p.f.idcue == 0 && p.f.wide == 0 && p.f.window_chars == 0);
	CHECK_INT(ns_frame_params_parse(&p, "conj=1,clause=1,idcue=1,wide=3"), 0);
	CHECK(p.f.conj == 1 && p.f.clause == 1 && p.f.idcue == 1 && p.f.wide == 3);
	ns_frame_params_init(&p);
	p.f.lang_cross = 0;
	p.f.wide = 0; /* the knobs are counted on a base without the wide context */
	to.force_lang = "en";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_docctx_init(&ctx, &doc, cues), 0);
	CHECK_INT(span_of(text, "Kalmar", &s, &e), 0);
	int lc = popcount_cues(cues, left, 4), rc = popcount_cues(cues, right, 4);
	CHECK(lc >= 1); /* "shelled" is an attack cue */
	struct {
		const char *knob;
		int hits;
	} cases[] = {
		{"clause=1", 4},
		{"wide=3", 6},
		{"wchars=1", 8}, /* 4-grams of "shelled" and "borovia" (the right side
				    is ", and the": no word of 4 code points) */
		{"idcue=1", popcount_cues(cues, left + 1, 3) + rc}, /* "tanks" is 7 tokens away */
		{"conj=1", 3 * (lc + rc)},
	};
	ns_fbag base = NS_FBAG_INIT;
	CHECK_INT(ns_frame_features(&base, &ctx, s, e, &p.f), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ns_frame_params q = p;
		ns_fbag with = NS_FBAG_INIT;
		CHECK_INT(ns_frame_params_parse(&q, cases[i].knob), 0);
		CHECK_INT(ns_frame_features(&with, &ctx, s, e, &q.f), 0);
		if ((int)(with.n - base.n) != cases[i].hits)
			fprintf(stderr, "knob %s: %d hits, expected %d\n", cases[i].knob, (int)(with.n - base.n),
				cases[i].hits);
		CHECK_INT((int)(with.n - base.n), cases[i].hits);
		ns_fbag_free(&with);
	}
	ns_fbag_free(&base);
	ns_frame_docctx_free(&ctx);
	ns_doc_release(&doc);
	ns_frame_cues_free(cues);
}

/* The per-thread memo of matches answers a repeated token as the first
 * (computed) lookup did: 20,000 distinct tokens (the memo is emptied on the
 * way), then the last 2,000 again (answered from the memo), then those again
 * after ns_thread_release (computed afresh). */
NS_TEST(frame__cues_memo_same_answers)
{
	static const char *const stems[] = {"attack", "обстрел", "bombarde", "हमले", "victim", "said", "table", "героизм"};
	ns_frame_cues *c = NULL;
	CHECK_INT(ns_frame_cues_new(&c), 0);
	if (!c)
		return;
	uint32_t *first = calloc(20000, sizeof *first);
	CHECK(first != NULL);
	size_t bad = 0, hits = 0;
	for (int pass = 0; pass < 3 && first; pass++) {
		if (pass == 2)
			ns_thread_release(); /* a fresh memo */
		for (int i = pass ? 18000 : 0; i < 20000; i++) {
			char w[64];
			int n = snprintf(w, sizeof w, "%s%c%c%c", stems[i % 8], 'a' + i / 8 % 26, 'a' + i / 208 % 26,
					 'a' + i / 5408 % 26);
			uint32_t m = ns_frame_cues_match(c, w, (size_t)n);
			if (pass == 0)
				first[i] = m;
			bad += m != first[i];
			hits += m != 0;
		}
	}
	CHECK_INT(bad, 0);
	CHECK(hits > 12000); /* the cue stems matched as prefixes */
	free(first);
	ns_frame_cues_free(c);
	ns_thread_release();
}
