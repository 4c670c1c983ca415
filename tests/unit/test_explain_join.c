/* Explanation sentences joined with the language's "and" (join = 1) with their
 * common first words in lower case, the
 * subnarrative weights (sub_weight) and both parameters' round trip through the
 * model section. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/bundle.h"
#include "narrative/explain.h"
#include "test.h"

static void process(ns_doc *d, const char *text, const char *lang)
{
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.force_lang = lang;
	ns_doc_init(d, text, strlen(text));
	CHECK(ns_text_process(d, &o) == 0);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s ? strstr(s, needle) : NULL; p; p = strstr(p + 1, needle))
		n++;
	return n;
}

NS_TEST(explain_join__sentences_joined_with_and)
{
	static const char art[] = "Officials warned of severe floods across the northern valley\n\n"
				  "Rivers rose to record levels overnight in three provinces. "
				  "Farmers lost most of their harvest to the water. "
				  "The government promised emergency help for the families.";
	static const char bg[] = "Властите предупредиха за тежки наводнения в северната долина\n\n"
				 "Реките достигнаха рекордни нива през нощта в три области. "
				 "Фермерите загубиха по-голямата част от реколтата си.";
	ns_explain_model *m = NULL;
	ns_doc d, db;
	char *joined = NULL, *plain = NULL, *bj = NULL;
	process(&d, art, "en");
	process(&db, bg, "bg");
	CHECK(ns_explain_default(&m) == 0);
	if (!m)
		goto cleanup;
	CHECK_INT(m->p.join, 1);
	m->p.join = 0;
	CHECK(ns_explain_generate(&plain, m, &d, "CC: Amplifying Climate Fears", NULL, NULL, 0) == 0);
	m->p.join = 1;
	CHECK(ns_explain_generate(&joined, m, &d, "CC: Amplifying Climate Fears", NULL, NULL, 0) == 0);
	CHECK(ns_explain_generate(&bj, m, &db, "CC: Amplifying Climate Fears", NULL, NULL, 0) == 0);
	/* the plain text has several sentences; joined, each junction becomes " and " */
	size_t stops = count(plain, ". ");
	CHECK(stops >= 1);
	CHECK_INT((long)count(joined, ". "), 0);
	CHECK_INT((long)count(joined, " and "), (long)(count(plain, " and ") + stops));
	CHECK_INT((long)ns_explain_words(joined, joined ? strlen(joined) : 0),
		  (long)(ns_explain_words(plain, plain ? strlen(plain) : 0) + stops));
	CHECK(bj && strstr(bj, " и ") != NULL);
	/* "The" also occurs as "the" in the article: mid-sentence it is written in lower
	 * case; "Farmers" never does, so it keeps its capital */
	CHECK(joined && strstr(joined, " and The ") == NULL);
	CHECK(joined && strstr(joined, "armers lost") && !strstr(joined, "farmers lost"));
cleanup:
	free(joined);
	free(plain);
	free(bj);
	ns_explain_model_free(m);
	ns_doc_release(&d);
	ns_doc_release(&db);
}

/* With sub_weight, the model learns subnarrative stem weights next to the
 * narrative ones; both parameters survive save and load. */
NS_TEST(explain_join__sub_weight_and_round_trip)
{
	static const char *const arts[] = {
		"Reactors are safe and cheap\n\nNuclear reactors give cheap power. The weather was mild today.",
		"Wind farms fail in winter\n\nWind turbines stop in the cold. The weather was mild today.",
		"Reactors keep prices down\n\nNuclear reactors keep prices down. The weather was mild today.",
		"Turbines freeze again\n\nWind turbines froze again this week. The weather was mild today.",
	};
	static const char *const golds[] = {"Nuclear reactors give cheap power.", "Wind turbines stop in the cold.",
					    "Nuclear reactors keep prices down.", "Wind turbines froze again."};
	static const char *const subs[] = {"CC: Controversy about green technologies: Nuclear is better",
					   "CC: Controversy about green technologies: Renewable energy is unreliable",
					   "CC: Controversy about green technologies: Nuclear is better",
					   "CC: Controversy about green technologies: Renewable energy is unreliable"};
	ns_doc d[4], g[4];
	ns_explain_example ex[4];
	ns_explain_model *m = NULL, *off = NULL, *m2 = NULL;
	ns_bundle_writer *w = NULL;
	ns_bundle *b = NULL;
	char path[] = "/tmp/ns-explain-join-XXXXXX";
	for (int i = 0; i < 4; i++) {
		process(&d[i], arts[i], "en");
		process(&g[i], golds[i], "en");
		ex[i].doc = &d[i];
		ex[i].gold = &g[i];
		ex[i].narrative = "CC: Controversy about green technologies";
		ex[i].subnarrative = subs[i];
	}
	ns_explain_params p;
	ns_explain_params_default(&p);
	p.opener = 0;
	CHECK(ns_explain_train(&off, ex, 4, &p) == 0);
	p.sub_weight = 0.5;
	p.join = 0;
	CHECK(ns_explain_train(&m, ex, 4, &p) == 0);
	if (!m || !off)
		goto cleanup;
	/* the subnarrative pairs are extra entries of the narrative table */
	CHECK(m->nn > off->nn);
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		goto cleanup;
	close(fd);
	CHECK(ns_bundle_writer_new(&w) == 0);
	CHECK(w && ns_explain_model_save(m, w) == 0);
	CHECK(w && ns_bundle_writer_write(w, path) == 0);
	CHECK(ns_bundle_open(&b, path) == 0);
	CHECK(b && ns_explain_model_load(&m2, b) == 0);
	CHECK(m2 && m2->p.join == 0);
	CHECK(m2 && m2->p.sub_weight == 0.5);
	CHECK(m2 && m2->nn == m->nn);
	unlink(path);
cleanup:
	ns_bundle_close(b);
	ns_bundle_writer_free(w);
	ns_explain_model_free(m);
	ns_explain_model_free(off);
	ns_explain_model_free(m2);
	for (int i = 0; i < 4; i++) {
		ns_doc_release(&d[i]);
		ns_doc_release(&g[i]);
	}
}
