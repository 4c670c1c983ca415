/* Unit tests for explanations (src/narrative/explain*.c) and the HTML report
 * (src/io/html.c) on texts written for these tests: training on a handful of
 * made-up articles, the 80-word limit, grounding (every sentence comes from the
 * article), the bundle section round trip, and the report's escaping and
 * self-containment. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claim/claim.h"
#include "io/html.h"
#include "model/bundle.h"
#include "narrative/explain.h"
#include "test.h"
#include "text/doc.h"

static const char *const articles[] = {
	"Floods hit the northern valley again. Officials blame the dam operator for the damage. "
	"Farmers say the river rose within hours. The dam operator denies any fault in the floods.",
	"The new pipeline will carry gas to the coast. Critics say the pipeline harms the forest. "
	"The company says the pipeline is safe. Protesters blocked the pipeline road on Monday.",
	"Drought ruins the wheat harvest across the plains. Farmers say the drought is the worst in decades. "
	"The ministry promises aid for farmers hit by the drought. Prices of bread rise in the cities.",
};
static const char *const golds[] = {
	"The text blames the dam operator for the floods in the valley.",
	"The text says the pipeline harms the forest, which the company denies.",
	"The text describes the drought that ruins the harvest of farmers.",
};

static void process(ns_doc *d, const char *t, const char *lang)
{
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.force_lang = lang;
	ns_doc_init(d, t, strlen(t));
	CHECK(ns_text_process(d, &o) == 0);
}

/* Does every piece of the explanation after the opener (split at ". " and ", ")
 * occur verbatim in the article? */
static int pieces_in(const char *text, const char *article)
{
	char buf[1024];
	size_t n = strlen(text);
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, text, n + 1);
	for (char *p = buf; *p;) {
		char *e = p;
		size_t skip = 0;
		/* pieces end at ". ", ", " and the " and " that joins sentences (join = 1) */
		while (*e && !skip) {
			if ((e[0] == '.' || e[0] == ',') && (e[1] == ' ' || e[1] == '\0'))
				skip = e[1] ? 2 : 1;
			else if (!strncmp(e, " and ", 5))
				skip = 5;
			else
				e++;
		}
		char c = *e;
		*e = '\0';
		/* a piece may begin in lower case where the article capitalised a common word */
		if (*p && !strstr(article, p) && !(strcasestr(article, p) && strstr(article, p + 1)))
			return 0;
		if (!c)
			break;
		p = e + skip;
	}
	return 1;
}

NS_TEST(claim_explain__train_generate_roundtrip)
{
	ns_doc d[3], g[3];
	ns_explain_example ex[3];
	for (int i = 0; i < 3; i++) {
		process(&d[i], articles[i], "en");
		process(&g[i], golds[i], "en");
		ex[i].doc = &d[i];
		ex[i].gold = &g[i];
		ex[i].narrative = i == 1 ? "CC: Criticism of climate policies" : "CC: Amplifying Climate Fears";
		ex[i].subnarrative = NULL;
	}
	ns_explain_params p;
	ns_explain_params_default(&p);
	CHECK(ns_explain_params_parse(&p, "len_factor=1,pos_weight=1,opener=0,clause=0") == 0);
	CHECK(ns_explain_params_parse(&p, "bogus=1") == NS_EINVAL);
	ns_explain_model *m = NULL;
	CHECK(ns_explain_train(&m, ex, 3, &p) == 0);
	if (!m)
		goto cleanup;
	char *text = NULL, *lead = NULL;
	CHECK(ns_explain_generate(&text, m, &d[0], ex[0].narrative, NULL, NULL, 0) == 0);
	CHECK(ns_explain_lead(&lead, m, &d[0]) == 0);
	CHECK(text && ns_explain_words(text, strlen(text)) <= NS_EXPLAIN_MAX_WORDS);
	/* English openers phrase the narrative */
	static const char opener[] = "The text amplifies fears about climate change and claims that ";
	CHECK(text && strncmp(text, opener, sizeof opener - 1) == 0);
	/* grounded: what follows the opener is article sentences, each verbatim */
	CHECK(text && pieces_in(text + sizeof opener - 1, articles[0]));
	CHECK(lead && strncmp(lead, "Floods hit the northern valley again.", 37) == 0);
	/* a narrative without a phrase ("Other") keeps the plain opener */
	char *plain = NULL;
	CHECK(ns_explain_generate(&plain, m, &d[0], "Other", NULL, NULL, 0) == 0);
	CHECK(plain && strncmp(plain, "The text claims that ", 21) == 0);
	free(plain);
	/* the section survives a bundle round trip and gives the same text */
	ns_bundle_writer *w = NULL;
	char path[] = "/tmp/ns-explain-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(ns_bundle_writer_new(&w) == 0);
	CHECK(ns_explain_model_save(m, w) == 0);
	CHECK(ns_bundle_writer_write(w, path) == 0);
	ns_bundle_writer_free(w);
	ns_bundle *b = NULL;
	ns_explain_model *m2 = NULL;
	CHECK(ns_bundle_open(&b, path) == 0);
	CHECK(b && ns_explain_model_load(&m2, b) == 0);
	char *text2 = NULL;
	if (m2) {
		CHECK(ns_explain_generate(&text2, m2, &d[0], ex[0].narrative, NULL, NULL, 0) == 0);
		CHECK_STR(text2, text);
	}
	free(text2);
	ns_explain_model_free(m2);
	ns_bundle_close(b);
	unlink(path);
	free(text);
	free(lead);
	/* a long article still gives at most 80 words */
	ns_buf big = NS_BUF_INIT;
	for (int i = 0; i < 200; i++)
		ns_buf_puts(&big, "Officials blame the dam operator for the damage of the floods in the valley today. ");
	ns_doc bd;
	process(&bd, big.ptr, "en");
	text = NULL;
	CHECK(ns_explain_generate(&text, m, &bd, "CC: Amplifying Climate Fears", NULL, NULL, 0) == 0);
	CHECK(text && ns_explain_words(text, strlen(text)) <= NS_EXPLAIN_MAX_WORDS);
	free(text);
	ns_doc_release(&bd);
	ns_buf_free(&big);
cleanup:
	ns_explain_model_free(m);
	for (int i = 0; i < 3; i++) {
		ns_doc_release(&d[i]);
		ns_doc_release(&g[i]);
	}
}

/* Made-up articles in which annotators open with a shared phrase; the learned
 * opener must be one that ends with a joining word and names nobody. */
static const char *const articles2[] = {
	"Storms flooded the harbour town overnight. The mayor said the sea wall failed, and residents left. "
	"Engineers warned the wall was too low for such storms.",
	"Heat broke records in the capital this week. Doctors say hospitals are full of elderly patients. "
	"The government promised cooling centres, which opened late.",
	"Rivers dried up across the south. Farmers say the harvest is lost. Officials blame the long drought "
	"for the losses, while critics blame the dams.",
	"Wildfires burned the hills near the coast. Firefighters said the winds made the fires spread fast. "
	"Thousands of people left their homes.",
};
static const char *const golds2[] = {
	"The text claims that the sea wall failed and the town flooded.",
	"The text claims that the heat filled hospitals with elderly patients.",
	"The text claims that the drought ruined the harvest of farmers in the south.",
	"The text claims that the winds spread the wildfires and people left their homes.",
};

NS_TEST(claim_explain__learned_opener_clauses)
{
	ns_doc d[4], g[4];
	ns_explain_example ex[4];
	for (int i = 0; i < 4; i++) {
		process(&d[i], articles2[i], "en");
		process(&g[i], golds2[i], "en");
		ex[i].doc = &d[i];
		ex[i].gold = &g[i];
		ex[i].narrative = "CC: Amplifying Climate Fears";
		ex[i].subnarrative = "none";
	}
	ns_explain_params p;
	ns_explain_params_default(&p);
	CHECK(ns_explain_params_parse(&p, "opener_group=100") == 0); /* language opener only */
	ns_explain_model *m = NULL;
	CHECK(ns_explain_train(&m, ex, 4, &p) == 0);
	if (!m)
		goto cleanup;
	const char *op = ns_explain__opener(m, "en", 0);
	CHECK_STR(op, "The text claims that");
	char *text = NULL;
	CHECK(ns_explain_generate(&text, m, &d[2], ex[2].narrative, NULL, NULL, 0) == 0);
	CHECK(text && strncmp(text, "The text claims that ", 21) == 0);
	CHECK(text && ns_explain_words(text, strlen(text)) <= NS_EXPLAIN_MAX_WORDS);
	CHECK(text && pieces_in(text + 21, articles2[2]));
	/* bundle round trip (section version 3) keeps openers, clause mode and title weight */
	ns_bundle_writer *w = NULL;
	char path[] = "/tmp/ns-explain2-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(ns_bundle_writer_new(&w) == 0);
	CHECK(ns_explain_model_save(m, w) == 0);
	CHECK(ns_bundle_writer_write(w, path) == 0);
	ns_bundle_writer_free(w);
	ns_bundle *b = NULL;
	ns_explain_model *m2 = NULL;
	CHECK(ns_bundle_open(&b, path) == 0);
	CHECK(b && ns_explain_model_load(&m2, b) == 0);
	char *text2 = NULL;
	if (m2) {
		CHECK_INT(m2->p.clause, m->p.clause);
		CHECK_NEAR(m2->p.title_weight, m->p.title_weight, 1e-12);
		CHECK(ns_explain_generate(&text2, m2, &d[2], ex[2].narrative, NULL, NULL, 0) == 0);
		CHECK_STR(text2, text);
	}
	free(text2);
	ns_explain_model_free(m2);
	ns_bundle_close(b);
	unlink(path);
	free(text);
cleanup:
	ns_explain_model_free(m);
	for (int i = 0; i < 4; i++) {
		ns_doc_release(&d[i]);
		ns_doc_release(&g[i]);
	}
}

/* A headline without final punctuation, in a non-Latin script, is closed with a
 * full stop when another unit follows it. */
NS_TEST(claim_explain__headline_period)
{
	static const char art[] = "Нова сделка за газа с далечната страна\n\n"
				  "Правителството подписа договор с компанията в понеделник. "
				  "Министърът каза, че цените ще паднат през зимата.";
	ns_doc d;
	ns_explain_model *m = NULL;
	char *text = NULL;
	process(&d, art, "bg");
	CHECK(ns_explain_default(&m) == 0);
	ns_explain_params p;
	ns_explain_params_default(&p);
	CHECK(ns_explain_params_parse(&p, "title_weight=1.5") == 0);
	CHECK_NEAR(p.title_weight, 1.5, 1e-12);
	char *joined = NULL;
	if (m) {
		m->p.join = 0;
		CHECK(ns_explain_generate(&text, m, &d, "URW: Praise of Russia", NULL, NULL, 0) == 0);
		m->p.join = 1;
		CHECK(ns_explain_generate(&joined, m, &d, "URW: Praise of Russia", NULL, NULL, 0) == 0);
	}
	CHECK(text && strstr(text, "страна. Правителството") != NULL);
	/* joined, the headline and the next sentence read as one: "... страна и Правителството ..." */
	CHECK(joined && strstr(joined, "страна и Правителството") != NULL);
	free(joined);
	CHECK(text && ns_explain_words(text, strlen(text)) <= NS_EXPLAIN_MAX_WORDS);
	free(text);
	ns_explain_model_free(m);
	ns_doc_release(&d);
}

NS_TEST(claim_explain__html_report)
{
	static const char text[] = "<script>alert(1)</script> “We will <b>never</b> give up,” said Smith & co.\n"
				   "Kyiv accused Moscow of war crimes.";
	ns_doc d;
	ns_claim_lex *lex = NULL;
	process(&d, text, "en");
	d.id = "a<b>.txt";
	CHECK(ns_claim_lex_new(&lex) == 0);
	CHECK(lex && ns_claim__run_doc(&d, lex) == 0);
	ns_html_report *r = NULL;
	ns_buf out = NS_BUF_INIT;
	CHECK(ns_html_report_new(&r) == 0);
	CHECK(ns_html_report_add(r, &d) == 0);
	CHECK(ns_html_report_finish(r, &out) == 0);
	CHECK(ns_html_report_add(r, &d) == NS_EINVAL); /* finished */
	CHECK(out.ptr && strstr(out.ptr, "<!DOCTYPE html>") == out.ptr);
	CHECK(out.ptr && strstr(out.ptr, "<script>alert") == NULL);
	CHECK(out.ptr && strstr(out.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(out.ptr && strstr(out.ptr, "a&lt;b&gt;.txt") != NULL);
	CHECK(out.ptr && strstr(out.ptr, "<svg") != NULL);
	CHECK(out.ptr && strstr(out.ptr, "src=\"http") == NULL && strstr(out.ptr, "href=\"http") == NULL);
	CHECK(out.ptr && strstr(out.ptr, "Quotes (") != NULL);
	CHECK(out.ptr && strstr(out.ptr, "war crimes") != NULL);
	ns_buf_free(&out);
	ns_html_report_free(r);
	ns_html_report_free(NULL);
	ns_claim_lex_free(lex);
	ns_doc_release(&d);
}

/* A narrative's learned opener never names another narrative, even when the
 * other narrative's phrase fits its gold explanations word for word. */
NS_TEST(claim_explain__opener_own_narrative)
{
	static const char *const arts[] = {
		"Heat waves grow longer every summer in the south. Doctors report more patients in the heat.",
		"Sea levels rise faster than expected along the coast. Towns plan new walls against the sea.",
		"Floods destroyed crops in the river valley again. Farmers fear the next season will be worse.",
		"Storms hit the islands with record winds this year. Scientists warn of stronger storms ahead.",
		"The army lost another town in the east. Officials in the capital denied the loss.",
	};
	static const char *const gold[] = {
		"The text discredits Ukraine and claims that heat waves grow longer every summer.",
		"The text discredits Ukraine and claims that sea levels rise faster than expected.",
		"The text discredits Ukraine and claims that floods destroyed crops in the valley.",
		"The text discredits Ukraine and claims that storms hit the islands with record winds.",
		"The text discredits Ukraine and claims that the army lost another town.",
	};
	ns_doc d[5], g[5];
	ns_explain_example ex[5];
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < 5; i++) {
		process(&d[i], arts[i], "en");
		process(&g[i], gold[i], "en");
		ex[i].doc = &d[i];
		ex[i].gold = &g[i];
		ex[i].narrative = i < 4 ? "CC: Amplifying Climate Fears" : "URW: Discrediting Ukraine";
	}
	ns_explain_params p;
	ns_explain_params_default(&p);
	CHECK(ns_explain_params_parse(&p, "opener_group=2,crossfit=0") == 0);
	ns_explain_model *m = NULL;
	CHECK(ns_explain_train(&m, ex, 5, &p) == 0);
	if (m) {
		const char *op = ns_explain__opener(m, "en", ns_explain__label_key("CC: Amplifying Climate Fears"));
		CHECK(op != NULL);
		CHECK(op && strstr(op, "Ukraine") == NULL);
	}
	ns_explain_model_free(m);
	for (int i = 0; i < 5; i++) {
		ns_doc_release(&d[i]);
		ns_doc_release(&g[i]);
	}
}
