/* Unit tests for quotes and accusations (src/claim) on small texts written for
 * these tests: every quotation style, nesting, paragraph-spanning and unclosed
 * quotes, pronoun and role-noun speakers, indirect speech and accusations in the
 * five languages. Actors are given by hand so the tests do not depend on the
 * gazetteer. */
#include <stdlib.h>
#include <string.h>

#include "claim/claim.h"
#include "test.h"
#include "text/doc.h"

typedef struct fx {
	ns_doc doc;
	ns_claim_actor act[64];
	size_t nact;
	ns_claims *c;
	ns_claim_lex *lex;
} fx;

static uint32_t cp_of(const char *s, size_t byte)
{
	return (uint32_t)ns_utf8_count(s, byte);
}

/* Adds every occurrence of name as an actor. */
static void actor(fx *f, const char *name, const char *id, int type)
{
	const char *t = f->doc.text, *p = t;
	size_t nl = strlen(name);
	while ((p = strstr(p, name)) != NULL && f->nact < 64) {
		ns_claim_actor *a = &f->act[f->nact++];
		a->start = cp_of(t, (size_t)(p - t));
		a->end = a->start + (uint32_t)ns_utf8_count(name, nl);
		a->id = id;
		a->name = id + 2;
		a->type = (uint8_t)type;
		p += nl;
	}
}

static int fx_open(fx *f, const char *text)
{
	memset(f, 0, sizeof *f);
	ns_doc_init(&f->doc, text, strlen(text));
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	if (ns_text_process(&f->doc, &o) < 0 || ns_claim_lex_new(&f->lex) < 0)
		return -1;
	return 0;
}

static int fx_run(fx *f)
{
	return ns_claim_extract(&f->c, f->lex, &f->doc, f->act, f->nact);
}

static void fx_close(fx *f)
{
	ns_claim_lex_free(f->lex);
	ns_doc_release(&f->doc);
}

/* The text of span s as a NUL-terminated copy (static buffer). */
static const char *span_text(const fx *f, ns_span s)
{
	static char buf[512];
	const char *t = f->doc.text;
	size_t b = 0, cp = 0, bs = 0, be = 0;
	while (b <= f->doc.len) {
		if (cp == s.start)
			bs = b;
		if (cp == s.end) {
			be = b;
			break;
		}
		if (b == f->doc.len)
			break;
		bool bad;
		uint32_t x;
		b += ns_utf8_decode(t + b, f->doc.len - b, &x, &bad);
		cp++;
	}
	size_t n = be > bs ? be - bs : 0;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, t + bs, n);
	buf[n] = '\0';
	return buf;
}

NS_TEST(claim__direct_styles)
{
	static const char *const texts[] = {
		"The talks failed. “We will never accept these terms,” said Smith after the meeting.",
		"Переговоры сорвались. «Мы никогда не примем эти условия», — заявил Смит.",
		"Преговорите се провалиха. „Никога няма да приемем тези условия“, каза Смит.",
		"As negociações falharam. \"Nunca aceitaremos estes termos\", disse Smith.",
		"The talks failed. ‘We will never accept these terms,’ Smith said.",
	};
	static const char *const want[] = {
		"We will never accept these terms,", "Мы никогда не примем эти условия",
		"Никога няма да приемем тези условия", "Nunca aceitaremos estes termos",
		"We will never accept these terms,",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		fx f;
		CHECK(fx_open(&f, texts[i]) == 0);
		actor(&f, "Smith", "Q:smith", NS_ACTOR_PERSON);
		actor(&f, "Смит", "Q:smith", NS_ACTOR_PERSON);
		CHECK(fx_run(&f) == 0);
		CHECK_INT(f.c->nquotes, 1);
		if (f.c->nquotes >= 1) {
			CHECK_STR(span_text(&f, f.c->quotes[0].text), want[i]);
			CHECK_STR(f.c->quotes[0].speaker_id, "Q:smith");
			CHECK_INT(f.c->quotes[0].kind, NS_QUOTE_DIRECT);
			CHECK(f.c->quotes[0].cue.end > f.c->quotes[0].cue.start);
		}
		fx_close(&f);
	}
}

NS_TEST(claim__nested_and_spanning)
{
	fx f;
	CHECK(fx_open(&f, "«Он сказал „нет“ всем нашим партнёрам», — заявил Смит.\n\n"
			  "“The first part of a long statement goes here.\n\n"
			  "“And the second paragraph ends it,” Jones said.\n") == 0);
	actor(&f, "Смит", "Q:smith", NS_ACTOR_PERSON);
	actor(&f, "Jones", "Q:jones", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 2);
	if (f.c->nquotes == 2) {
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "Он сказал „нет“ всем нашим партнёрам");
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:smith");
		CHECK(strstr(span_text(&f, f.c->quotes[1].text), "second paragraph") != NULL);
		CHECK(strstr(span_text(&f, f.c->quotes[1].text), "first part") != NULL);
		CHECK_STR(f.c->quotes[1].speaker_id, "Q:jones");
	}
	fx_close(&f);
}

NS_TEST(claim__unclosed_and_apostrophes)
{
	fx f;
	CHECK(fx_open(&f, "Putin’s critics don't agree. \"This quote never closes and goes on and on\n"
			  "Next paragraph without marks.") == 0);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1) {
		CHECK(f.c->quotes[0].unclosed);
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "This quote never closes and goes on and on");
	}
	fx_close(&f);
}

NS_TEST(claim__pronoun_and_role_speakers)
{
	fx f;
	CHECK(fx_open(&f, "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. "
			  "“There is no reason for concern,” he said. Later Biden arrived in Kyiv. "
			  "“The sanctions will stay in place for a very long time,” the spokesman added.") == 0);
	actor(&f, "Dmitry Peskov", "Q:peskov", NS_ACTOR_PERSON);
	actor(&f, "Biden", "Q:biden", NS_ACTOR_PERSON);
	actor(&f, "Kyiv", "Q:kyiv", NS_ACTOR_LOCATION);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 2);
	if (f.c->nquotes == 2) {
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:peskov");
		CHECK_STR(f.c->quotes[1].speaker_id, "Q:peskov");
	}
	fx_close(&f);
}

NS_TEST(claim__indirect_five_languages)
{
	static const char *const texts[] = {
		"Smith said that the army would withdraw from the region next week.",
		"По словам Смита, армия покинет регион на следующей неделе.",
		"Според Смит армията ще се изтегли от региона следващата седмица.",
		"Segundo Smith, o exército vai retirar-se da região na próxima semana.",
		"स्मिथ ने कहा कि सेना अगले सप्ताह क्षेत्र से हट जाएगी।",
	};
	static const char *const names[] = {"Smith", "Смита", "Смит", "Smith", "स्मिथ"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		fx f;
		CHECK(fx_open(&f, texts[i]) == 0);
		actor(&f, names[i], "Q:smith", NS_ACTOR_PERSON);
		CHECK(fx_run(&f) == 0);
		CHECK_INT(f.c->nquotes, 1);
		if (f.c->nquotes == 1) {
			CHECK_INT(f.c->quotes[0].kind, NS_QUOTE_INDIRECT);
			CHECK_STR(f.c->quotes[0].speaker_id, "Q:smith");
			CHECK(strstr(span_text(&f, f.c->quotes[0].text), names[i]) == NULL);
		}
		fx_close(&f);
	}
}

NS_TEST(claim__accusations)
{
	fx f;
	CHECK(fx_open(&f, "Kyiv accused Moscow of war crimes in the occupied villages. "
			  "Moscow denied any involvement in the sabotage of the pipeline. "
			  "The country suffers from Russian aggression.") == 0);
	actor(&f, "Kyiv", "Q:ukraine", NS_ACTOR_COUNTRY);
	actor(&f, "Moscow", "Q:russia", NS_ACTOR_COUNTRY);
	actor(&f, "Russian", "Q:russia", NS_ACTOR_COUNTRY);
	f.act[f.nact - 1].adj = 1; /* a demonym, as the entity layer marks it */
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->naccusations, 3);
	if (f.c->naccusations == 3) {
		const ns_accusation *a = f.c->accusations;
		CHECK_STR(a[0].accuser_id, "Q:ukraine");
		CHECK_STR(a[0].accused_id, "Q:russia");
		CHECK_STR(a[0].act, "war crimes");
		CHECK_INT(a[0].negated, 0);
		CHECK_STR(a[1].accused_id, "Q:russia");
		CHECK_STR(a[1].accuser_id, "Q:russia"); /* the denier speaks */
		CHECK_STR(a[1].act, "sabotage");
		CHECK_INT(a[1].negated, 1);
		CHECK_STR(a[2].accuser_id, NS_CLAIM_ARTICLE_ID);
		CHECK_STR(a[2].accused_id, "Q:russia");
		CHECK_STR(a[2].act, "aggression");
	}
	fx_close(&f);
}

NS_TEST(claim__accusations_other_languages)
{
	static const char *const texts[] = {
		"Киев обвинил Москву в геноциде мирного населения.",
		"Украйна обвини Русия в тероризъм.",
		"A Ucrânia acusou a Rússia de crimes de guerra.",
		"यूक्रेन ने रूस पर नरसंहार का आरोप लगाया।",
	};
	static const char *const acc[][2] = {{"Киев", "Москву"}, {"Украйна", "Русия"}, {"Ucrânia", "Rússia"},
		{"यूक्रेन", "रूस"}};
	static const char *const acts[] = {"genocide", "terrorism", "war crimes", "genocide"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		fx f;
		CHECK(fx_open(&f, texts[i]) == 0);
		actor(&f, acc[i][0], "Q:ukraine", NS_ACTOR_COUNTRY);
		actor(&f, acc[i][1], "Q:russia", NS_ACTOR_COUNTRY);
		CHECK(fx_run(&f) == 0);
		CHECK_INT(f.c->naccusations, 1);
		if (f.c->naccusations == 1) {
			CHECK_STR(f.c->accusations[0].accuser_id, "Q:ukraine");
			CHECK_STR(f.c->accusations[0].accused_id, "Q:russia");
			CHECK_STR(f.c->accusations[0].act, acts[i]);
		}
		fx_close(&f);
	}
}

/* Conventions shared with the second annotator: a "Name: statement" headline is an
 * indirect quote; short quoted fragments inside a sentence are not quotes; the
 * acts russophobia, warmongering and economic warfare. */
NS_TEST(claim__headline_fragments_new_acts)
{
	fx f;
	CHECK(fx_open(&f, "Orlov: The sanctions will hurt Europe more than Russia\n\n"
			  "The minister called the plan a \"dangerous little game\" on Monday. "
			  "Orlov accused Brussels of russophobia and of waging an economic war.") == 0);
	actor(&f, "Orlov", "Q:orlov", NS_ACTOR_PERSON);
	actor(&f, "Brussels", "Q:eu", NS_ACTOR_ORG);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes >= 1) {
		CHECK_INT(f.c->quotes[0].kind, NS_QUOTE_INDIRECT);
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "The sanctions will hurt Europe more than Russia");
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:orlov");
	}
	CHECK_INT(f.c->naccusations, 2);
	if (f.c->naccusations == 2) {
		CHECK_STR(f.c->accusations[0].act, "russophobia");
		CHECK_STR(f.c->accusations[1].act, "economic warfare");
		for (int i = 0; i < 2; i++) {
			CHECK_STR(f.c->accusations[i].accuser_id, "Q:orlov");
			CHECK_STR(f.c->accusations[i].accused_id, "Q:eu");
		}
	}
	fx_close(&f);
}

NS_TEST(claim__json_shape)
{
	fx f;
	ns_buf b = NS_BUF_INIT;
	CHECK(fx_open(&f, "“We will not give up this fight,” said Smith.") == 0);
	actor(&f, "Smith", "Q:smith", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK(ns_claim_write_json(&b, &f.doc, f.c) == 0);
	CHECK(b.ptr && strstr(b.ptr, ",\"quotes\":[{\"speaker\":{\"id\":\"Q:smith\",\"name\":\"smith\"},"
				     "\"text\":{\"start\":1,\"end\":32},\"cue\":{\"start\":34,\"end\":38},"
				     "\"kind\":\"direct\"}],\"accusations\":[]") != NULL);
	ns_buf_free(&b);
	fx_close(&f);
}
