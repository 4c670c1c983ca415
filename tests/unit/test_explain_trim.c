/* Unit tests for the edge removals of explanation units (src/narrative/explain_trim.c)
 * on sentences written for these tests: each removal on its own, the guards that
 * keep a sentence whole, the model section keeping the mask, and an explanation
 * whose headline loses its source prefix. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/bundle.h"
#include "narrative/explain.h"
#include "test.h"
#include "text/doc.h"

/* The text of sentence 0 of t after ns_explain__trim with mask, into buf. */
static const char *trimmed(char *buf, size_t size, const char *t, const char *lang, int mask)
{
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.force_lang = lang;
	ns_doc_init(&d, t, strlen(t));
	buf[0] = '\0';
	if (ns_text_process(&d, &o) != 0 || d.nsentences == 0) {
		ns_doc_release(&d);
		return "(no sentence)";
	}
	const ns_sentence *s = &d.sentences[0];
	uint32_t ob = 0, oe = 0;
	ns_explain__trim(&ob, &oe, &d, s->tok_begin, s->tok_end, mask);
	if (ob < oe) {
		size_t b = d.tokens[ob].bstart, e = d.tokens[oe - 1].bend;
		if (e - b >= size)
			e = b + size - 1;
		memcpy(buf, d.text + b, e - b);
		buf[e - b] = '\0';
	}
	ns_doc_release(&d);
	return buf;
}

NS_TEST(explain_trim__source_prefix)
{
	char b[256];
	CHECK_STR(trimmed(b, sizeof b, "Lavrov: the West shows deep intolerance of other views.", "en",
			  NS_EXPLAIN_TRIM_SOURCE),
		  "the West shows deep intolerance of other views.");
	/* too few words behind the colon: kept */
	CHECK_STR(trimmed(b, sizeof b, "Lavrov: no comment today.", "en", NS_EXPLAIN_TRIM_SOURCE),
		  "Lavrov: no comment today.");
	/* a lower-case start is not a source */
	CHECK_STR(trimmed(b, sizeof b, "the reason: prices rose again across the whole region.", "en",
			  NS_EXPLAIN_TRIM_SOURCE),
		  "the reason: prices rose again across the whole region.");
	/* the mask bit is needed */
	CHECK_STR(trimmed(b, sizeof b, "Lavrov: the West shows deep intolerance of other views.", "en", 0),
		  "Lavrov: the West shows deep intolerance of other views.");
}

NS_TEST(explain_trim__attribution_tail)
{
	char b[256];
	CHECK_STR(trimmed(b, sizeof b, "The dam will fail within a single year, the engineer said.", "en",
			  NS_EXPLAIN_TRIM_TAIL),
		  "The dam will fail within a single year");
	CHECK_STR(trimmed(b, sizeof b,
			  "\xc2\xab\xd0\x9c\xd1\x8b \xd0\xbd\xd0\xb8\xd0\xba\xd0\xbe\xd0\xb3\xd0\xb4\xd0\xb0 "
			  "\xd0\xbd\xd0\xb5 \xd0\xbe\xd1\x82\xd1\x81\xd1\x82\xd1\x83\xd0\xbf\xd0\xb8\xd0\xbc "
			  "\xd0\xbe\xd1\x82 \xd0\xbd\xd0\xb0\xd1\x88\xd0\xb8\xd1\x85 \xd1\x86\xd0\xb5\xd0\xbb\xd0\xb5\xd0\xb9"
			  "\xc2\xbb, \xe2\x80\x94 \xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb "
			  "\xd0\x9f\xd0\xb5\xd1\x81\xd0\xba\xd0\xbe\xd0\xb2.",
			  "ru", NS_EXPLAIN_TRIM_TAIL),
		  /* «Мы никогда не отступим от наших целей» */
		  "\xc2\xab\xd0\x9c\xd1\x8b \xd0\xbd\xd0\xb8\xd0\xba\xd0\xbe\xd0\xb3\xd0\xb4\xd0\xb0 "
		  "\xd0\xbd\xd0\xb5 \xd0\xbe\xd1\x82\xd1\x81\xd1\x82\xd1\x83\xd0\xbf\xd0\xb8\xd0\xbc "
		  "\xd0\xbe\xd1\x82 \xd0\xbd\xd0\xb0\xd1\x88\xd0\xb8\xd1\x85 \xd1\x86\xd0\xb5\xd0\xbb\xd0\xb5\xd0\xb9"
		  "\xc2\xbb");
	/* a tail without a reporting word, and a tail that would leave too little, stay */
	CHECK_STR(trimmed(b, sizeof b, "The dam will fail within a single year, experts fear.", "en",
			  NS_EXPLAIN_TRIM_TAIL),
		  "The dam will fail within a single year, experts fear.");
	CHECK_STR(trimmed(b, sizeof b, "Prices rose, the minister said.", "en", NS_EXPLAIN_TRIM_TAIL),
		  "Prices rose, the minister said.");
}

NS_TEST(explain_trim__connectives_brackets_punct)
{
	char b[256];
	CHECK_STR(trimmed(b, sizeof b, "However, the ministry rejected the plan entirely.", "en", NS_EXPLAIN_TRIM_CONN),
		  "the ministry rejected the plan entirely.");
	/* a connective heading a short remainder is kept */
	CHECK_STR(trimmed(b, sizeof b, "But not now.", "en", NS_EXPLAIN_TRIM_CONN), "But not now.");
	/* a complementiser only goes inside a sentence, never at its start */
	CHECK_STR(trimmed(b, sizeof b, "That report changed the whole debate.", "en", NS_EXPLAIN_TRIM_CONN),
		  "That report changed the whole debate.");
	CHECK_STR(trimmed(b, sizeof b, "(video) Protesters blocked the main road today.", "en",
			  NS_EXPLAIN_TRIM_BRACKET),
		  "Protesters blocked the main road today.");
	CHECK_STR(trimmed(b, sizeof b, "Prices rose sharply across the whole region (photos).", "en",
			  NS_EXPLAIN_TRIM_BRACKET),
		  "Prices rose sharply across the whole region");
	CHECK_STR(trimmed(b, sizeof b, "Prices rose sharply across the region 15:42", "en", NS_EXPLAIN_TRIM_BRACKET),
		  "Prices rose sharply across the region");
	CHECK_STR(trimmed(b, sizeof b, "- prices rose sharply across the region.", "en", NS_EXPLAIN_TRIM_PUNCT),
		  "prices rose sharply across the region.");
	CHECK_STR(trimmed(b, sizeof b, "- prices rose sharply across the region.", "en", 0),
		  "- prices rose sharply across the region.");
}

/* The mask is part of the model section, and a headline loses its source prefix
 * in the explanation while the rest stays verbatim. */
NS_TEST(explain_trim__model_and_explanation)
{
	static const char art[] = "Lavrov: the West shows deep intolerance of other views\n\n"
				  "The minister spoke in the capital on Friday about the failed talks.";
	ns_explain_model *m = NULL, *m2 = NULL;
	ns_bundle_writer *w = NULL;
	ns_bundle *b = NULL;
	char path[] = "/tmp/ns-explain-trim-XXXXXX";
	char *text = NULL, *plain = NULL;
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.force_lang = "en";
	ns_doc_init(&d, art, strlen(art));
	CHECK(ns_text_process(&d, &o) == 0);
	CHECK(ns_explain_default(&m) == 0);
	if (!m)
		goto cleanup;
	CHECK_INT(m->p.trim, NS_EXPLAIN_TRIM_PUNCT | NS_EXPLAIN_TRIM_SOURCE);
	CHECK(ns_explain_generate(&text, m, &d, "URW: Discrediting the West, Diplomacy", NULL, NULL, 0) == 0);
	CHECK(text && strstr(text, "Lavrov:") == NULL);
	CHECK(text && strstr(text, "the West shows deep intolerance of other views") != NULL);
	m->p.trim = 0;
	CHECK(ns_explain_generate(&plain, m, &d, "URW: Discrediting the West, Diplomacy", NULL, NULL, 0) == 0);
	CHECK(plain && strstr(plain, "Lavrov: the West shows") != NULL);
	m->p.trim = NS_EXPLAIN_TRIM_TAIL | NS_EXPLAIN_TRIM_CONN;
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
	CHECK(m2 && m2->p.trim == (NS_EXPLAIN_TRIM_TAIL | NS_EXPLAIN_TRIM_CONN));
	unlink(path);
cleanup:
	free(text);
	free(plain);
	ns_bundle_writer_free(w);
	ns_bundle_close(b);
	ns_explain_model_free(m);
	ns_explain_model_free(m2);
	ns_doc_release(&d);
}
