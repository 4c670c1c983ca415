/* Unit tests for quotes and accusations (src/claim) on small texts written for
 * these tests: every quotation style, nesting, paragraph-spanning and unclosed
 * quotes, pronoun and role-noun speakers, indirect speech and accusations in the
 * five languages. Actors are given by hand so the tests do not depend on the
 * gazetteer. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The agent of an act noun: a name used as a noun modifier is the target ("the
 * Ukraine invasion"); a genitive after the noun beats the sentence subject before
 * it ("Москва отговори на провокациите на Вашингтон"); an adjective may follow the
 * noun ("invasão russa"); an agent after a participle ("orchestrated by Moscow");
 * a generic body stands for the name bound to it ("власти Киева"). */
NS_TEST(claim__act_agents)
{
	static const char *const texts[] = {
		"The chain will leave the market in the wake of the Ukraine invasion.",
		"Според него Москва е решила да отговори на провокациите на Вашингтон, които продължават вече няколко години.",
		"Os países apoiam a Ucrânia na sua luta contra a invasão russa desde 2022.",
		"Officials said power cuts were part of a hybrid attack orchestrated by Moscow last week.",
		"Певица заявила, что власти Киева обманывают народ. Власти врут всем.",
	};
	/* accused (NULL: none), at the first accusation, and the number expected */
	static const char *const want[] = {NULL, "Q:usa", "Q:russia", "Q:russia", "Q:ukraine"};
	static const size_t nwant[] = {0, 1, 1, 1, 2};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		fx f;
		CHECK(fx_open(&f, texts[i]) == 0);
		actor(&f, "Ukraine", "Q:ukraine", NS_ACTOR_COUNTRY);
		actor(&f, "Ucrânia", "Q:ukraine", NS_ACTOR_COUNTRY);
		actor(&f, "Москва", "Q:russia", NS_ACTOR_COUNTRY);
		actor(&f, "Вашингтон", "Q:usa", NS_ACTOR_COUNTRY);
		actor(&f, "Moscow", "Q:russia", NS_ACTOR_COUNTRY);
		actor(&f, "russa", "Q:russia", NS_ACTOR_COUNTRY);
		if (f.nact && strstr(texts[i], "russa"))
			f.act[f.nact - 1].adj = 1;
		actor(&f, "власти", "G:government", NS_ACTOR_ORG);
		actor(&f, "Власти", "G:government", NS_ACTOR_ORG);
		actor(&f, "Киева", "Q:ukraine", NS_ACTOR_LOCATION);
		actor(&f, "народ", "G:people", NS_ACTOR_GROUP);
		CHECK(fx_run(&f) == 0);
		if (f.c->naccusations != nwant[i])
			ns_test_fail(__FILE__, __LINE__, "text %zu: %zu accusations, expected %zu", i, f.c->naccusations, nwant[i]);
		for (size_t k = 0; k < f.c->naccusations && want[i]; k++)
			CHECK_STR(f.c->accusations[k].accused_id, want[i]);
		fx_close(&f);
	}
}

/* Blame patterns: "responsibility of X for the escalation" (a weak act word that
 * accuses only next to a blame cue), "crimes committed by X", a claim followed by
 * its denial, "the agency accuses X", and words that only look like cues
 * ("Committee", a hoax inside a name). */
NS_TEST(claim__blame_and_denial)
{
	fx f;
	CHECK(fx_open(&f, "Грушко указал на ответственность Запада за эскалацию конфликта. "
			  "Эскалация продолжается. "
			  "Helsinki says the border crisis is a hybrid attack orchestrated by Moscow, a charge the Kremlin denies. "
			  "Reuters published a check. The agency accuses the Sceptic of misleading readers. "
			  "The Oversight Committee will hear the witnesses. "
			  "According to the Gospel of the Global Warming Hoax, it was cold.") == 0);
	actor(&f, "Грушко", "Q:grushko", NS_ACTOR_PERSON);
	actor(&f, "Запада", "Q:west", NS_ACTOR_GROUP);
	actor(&f, "Helsinki", "Q:finland", NS_ACTOR_COUNTRY);
	actor(&f, "Moscow", "Q:russia", NS_ACTOR_COUNTRY);
	actor(&f, "Kremlin", "Q:kremlin", NS_ACTOR_ORG);
	actor(&f, "Reuters", "Q:reuters", NS_ACTOR_ORG);
	actor(&f, "Sceptic", "L:sceptic", NS_ACTOR_ORG);
	actor(&f, "Oversight Committee", "L:committee", NS_ACTOR_ORG);
	actor(&f, "Global Warming Hoax", "L:hoax", NS_ACTOR_UNKNOWN);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->naccusations, 4);
	if (f.c->naccusations == 4) {
		const ns_accusation *a = f.c->accusations;
		CHECK_STR(a[0].act, "aggression");
		CHECK_STR(a[0].accused_id, "Q:west");
		CHECK_STR(a[0].accuser_id, "Q:grushko");
		CHECK_STR(a[1].accused_id, "Q:russia");
		CHECK_INT(a[1].negated, 0);
		CHECK_STR(a[2].accused_id, "Q:russia");
		CHECK_STR(a[2].accuser_id, "Q:kremlin");
		CHECK_INT(a[2].negated, 1);
		CHECK_STR(a[3].act, "lies/propaganda");
		CHECK_STR(a[3].accuser_id, "Q:reuters");
		CHECK_STR(a[3].accused_id, "L:sceptic");
	}
	fx_close(&f);
}

/* Speakers described, not named: a singular role description stands for the
 * person named before ("каза ученият"), a plural one for the group; a pronoun
 * with no one before refers ahead ("— отметила она. По словам Москальковой");
 * a quoted headline takes the person named after it; a title chain ends with the
 * name ("заявил глава офиса ... Андрей Ермак"); "Rep." does not end a sentence;
 * "um comunicado da Guarda Civil" is the Guarda Civil. */
NS_TEST(claim__described_speakers)
{
	fx f;
	CHECK(fx_open(&f, "„Зимата ще бъде студена и дълга тази година“, каза Симеонов пред медиите. "
			  "„Може би родените сега ще я помнят като най-студената зима“, каза ученият.") == 0);
	actor(&f, "Симеонов", "Q:simeonov", NS_ACTOR_PERSON);
	actor(&f, "ученият", "G:scientists", NS_ACTOR_GROUP);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 2);
	if (f.c->nquotes == 2) {
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:simeonov");
		CHECK_STR(f.c->quotes[1].speaker_id, "Q:simeonov");
	}
	fx_close(&f);

	CHECK(fx_open(&f, "Mayor John Brown visited the town. "
			  "The civilians said the forces fired on the crowded market on purpose.") == 0);
	actor(&f, "John Brown", "Q:brown", NS_ACTOR_PERSON);
	actor(&f, "civilians", "G:civilians", NS_ACTOR_GROUP);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1)
		CHECK_STR(f.c->quotes[0].speaker_id, "G:civilians");
	fx_close(&f);

	CHECK(fx_open(&f, "«Женщина испытала ужасы войны и просит помощи», — отметила она. "
			  "По словам Москальковой, обращение уже рассмотрено в комиссии.") == 0);
	actor(&f, "Москальковой", "L:moskalkova", NS_ACTOR_UNKNOWN);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 2);
	if (f.c->nquotes == 2)
		CHECK_STR(f.c->quotes[0].speaker_id, "L:moskalkova");
	fx_close(&f);

	CHECK(fx_open(&f, "\"Não vemos atos, apenas palavras vazias de novo\"\n\n"
			  "A porta-voz do ministério, Maria Costa, falou aos jornalistas em Lisboa.") == 0);
	actor(&f, "Maria Costa", "Q:costa", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK(f.c->nquotes >= 1);
	if (f.c->nquotes >= 1)
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:costa");
	fx_close(&f);

	CHECK(fx_open(&f, "Киев не готов идти на компромиссы с Россией. Об этом в интервью Reuters заявил "
			  "глава офиса президента Украины Владимира Зеленского Андрей Ермак.\n"
			  "“We are going to find these people and talk to them,” Rep. Anna Green told the Post.\n"
			  "Two suspects were detained in the south of the country, informou um comunicado da Guarda Civil.") == 0);
	actor(&f, "Reuters", "Q:reuters", NS_ACTOR_ORG);
	actor(&f, "Владимира Зеленского", "Q:zelensky", NS_ACTOR_PERSON);
	actor(&f, "Андрей Ермак", "Q:yermak", NS_ACTOR_PERSON);
	actor(&f, "Anna Green", "Q:green", NS_ACTOR_PERSON);
	actor(&f, "Guarda Civil", "Q:guardia", NS_ACTOR_ORG);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 3);
	if (f.c->nquotes == 3) {
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:yermak");
		CHECK_STR(f.c->quotes[1].speaker_id, "Q:green");
		CHECK_STR(f.c->quotes[2].speaker_id, "Q:guardia");
	}
	fx_close(&f);
}

/* A name shape the extractor takes itself ("НАТО" inside an office title the
 * entity layer left out) joins the entity of an identical linked mention. */
NS_TEST(claim__shape_joins_linked_mention)
{
	fx f;
	CHECK(fx_open(&f, "Ранее генеральный секретарь НАТО заявил, что альянс продолжит поддерживать Украину. "
			  "Встреча министров НАТО пройдёт в Брюсселе в июне.") == 0);
	actor(&f, "НАТО", "Q:nato", NS_ACTOR_ORG);
	CHECK_INT(f.nact, 2);
	f.act[0] = f.act[1]; /* the layer linked only the second one */
	f.nact = 1;
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1)
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:nato");
	fx_close(&f);
}

/* "Name: statement" lines after the first: a title before the name is allowed
 * ("Глава ОП Украины Ермак: ..."); a topic label is not a source. */
NS_TEST(claim__statement_lines)
{
	fx f;
	CHECK(fx_open(&f, "Переговоры в Стамбуле\n\n"
			  "Глава офиса Ермак: Киев не готов идти на компромиссы с Россией\n"
			  "Подробности пока не раскрываются.\n") == 0);
	actor(&f, "Ермак", "Q:yermak", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1) {
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "Киев не готов идти на компромиссы с Россией");
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:yermak");
	}
	fx_close(&f);
}

/* An act named as a point in time is the article's framing even inside a report
 * ("desde a invasão"); a full name opening a line before a colon is a source even
 * when no entity layer found it. */
NS_TEST(claim__temporal_acts_and_colon_names)
{
	fx f;
	CHECK(fx_open(&f, "Os membros da aliança consideram que Pequim ajuda Moscovo desde a invasão russa de 2022.") == 0);
	actor(&f, "Pequim", "Q:china", NS_ACTOR_COUNTRY);
	actor(&f, "Moscovo", "Q:russia", NS_ACTOR_COUNTRY);
	actor(&f, "russa", "Q:russia", NS_ACTOR_COUNTRY);
	if (f.nact)
		f.act[f.nact - 1].adj = 1;
	actor(&f, "aliança", "Q:nato", NS_ACTOR_ORG);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->naccusations, 1);
	if (f.c->naccusations == 1) {
		CHECK_STR(f.c->accusations[0].accuser_id, NS_CLAIM_ARTICLE_ID);
		CHECK_STR(f.c->accusations[0].accused_id, "Q:russia");
	}
	fx_close(&f);

	CHECK(fx_open(&f, "Erica Kaufman: Populists are losing this long war\n\nThe essay appeared in London.\n") == 0);
	actor(&f, "London", "Q:london", NS_ACTOR_LOCATION); /* an entity layer that missed the name */
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1) {
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "Populists are losing this long war");
		CHECK_STR(f.c->quotes[0].speaker_name, "Erica Kaufman");
	}
	fx_close(&f);
}

/* A scraped field wrapped in straight quotes with its inner quotes doubled
 * (CSV escaping): the lone wrapper marks are not quotes, ""…"" is one. */
NS_TEST(claim__csv_escaped_quotes)
{
	fx f;
	CHECK(fx_open(&f, "Talks in the capital\n\n\"The minister spoke on Monday. \"\"We will not give up the city "
			  "under any pressure,\"\" said Smith. The talks go on.\n\nMore text follows here.\"\n") == 0);
	actor(&f, "Smith", "Q:smith", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1) {
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "We will not give up the city under any pressure,");
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:smith");
		CHECK_INT(f.c->quotes[0].kind, NS_QUOTE_DIRECT);
	}
	fx_close(&f);
}

/* An article wrapped in a quote mark that never closes and attributes its own
 * text ("— говорится в сообщении"): the quote inside it is kept. */
NS_TEST(claim__wrapped_article_inner_quote)
{
	fx f;
	CHECK(fx_open(&f, "Новости дня\n\n\"Армия сообщила об ударе в понедельник. «Наши подразделения уничтожили "
			  "два моста возле реки», — говорится в сообщении.\n\nДругой абзац без кавычек.\n") == 0);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1)
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "Наши подразделения уничтожили два моста возле реки");
	fx_close(&f);
}

/* Hindi has no capitals: the subject of "X ने कहा" / "X कहते हैं" is the speaker
 * even when no entity layer names it; "वो कहते हैं" refers back to it. */
NS_TEST(claim__hindi_name_shapes)
{
	fx f;
	CHECK(fx_open(&f, "शहर की नई योजना\n\nरमेश वर्मा ने कहा, \"हम इस योजना को अगले साल तक पूरा कर देंगे.\"\n"
			  "वो कहते हैं, \"इसके लिए हमें और पैसा चाहिए और लोगों का साथ भी.\"\n") == 0);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 2);
	for (size_t i = 0; i < f.c->nquotes && i < 2; i++) {
		CHECK(f.c->quotes[i].speaker_name != NULL);
		if (f.c->quotes[i].speaker_name)
			CHECK_STR(f.c->quotes[i].speaker_name, "रमेश वर्मा");
	}
	fx_close(&f);
}

/* "Surname: STATEMENT" opening a line is a source when the surname recurs in a
 * sentence; a label such as "Источник:" is not. */
NS_TEST(claim__single_name_colon_lines)
{
	fx f;
	CHECK(fx_open(&f, "Новости региона\n\nГанчев: Киев эвакуирует детей из области и оставляет стариков.\n"
			  "Позже об этом снова говорил Ганчев на встрече.\n\nИсточник: местная газета сегодня утром.\n") == 0);
	actor(&f, "Киев", "Q:kyiv", NS_ACTOR_COUNTRY);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1) {
		CHECK_STR(span_text(&f, f.c->quotes[0].text), "Киев эвакуирует детей из области и оставляет стариков");
		CHECK_STR(f.c->quotes[0].speaker_name, "Ганчев");
	}
	fx_close(&f);
}

/* An act with no agent of its own in a reported sentence without "that": the
 * subject opening the sentence is the accused ("Y unleashed Z, X said"). */
NS_TEST(claim__reported_subject_accused)
{
	fx f;
	CHECK(fx_open(&f, "The US is using the dollar to unleash trade wars around the world, Lavrov said on Monday.") == 0);
	actor(&f, "US", "Q:us", NS_ACTOR_COUNTRY);
	actor(&f, "Lavrov", "Q:lavrov", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->naccusations, 1);
	if (f.c->naccusations == 1) {
		CHECK_STR(f.c->accusations[0].accused_id, "Q:us");
		CHECK_STR(f.c->accusations[0].accuser_id, "Q:lavrov");
		CHECK_STR(f.c->accusations[0].act, "economic warfare");
	}
	fx_close(&f);
}

/* One quote that never closes over 20,000 reported sentences stays linear (it
 * was quadratic: every sentence recounted the words of the whole quote). */
NS_TEST(claim__long_unclosed_quote_linear)
{
	ns_buf b = NS_BUF_INIT;
	ns_buf_puts(&b, "Title\n\n\"");
	for (int i = 0; i < 20000; i++)
		ns_buf_puts(&b, "A said this is the text of one more sentence. ");
	CHECK(!ns_buf_failed(&b));
	fx f;
	CHECK(fx_open(&f, b.ptr) == 0);
	clock_t t0 = clock();
	CHECK(fx_run(&f) == 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(secs < 3.0);
	CHECK(f.c->nquotes >= 1);
	fx_close(&f);
	ns_buf_free(&b);
}

/* "X answered a question about Y's remark. He stressed that ...": a pronoun
 * opening a sentence continues the person who opened the sentence before. */
NS_TEST(claim__pronoun_subject_continuity)
{
	fx f;
	CHECK(fx_open(&f, "Смит ответил на вопрос о заявлении бывшего президента Джонса о мирном плане. "
			  "Он подчеркнул, что страна готова выслушать любой разумный совет партнёров.") == 0);
	actor(&f, "Смит", "Q:smith", NS_ACTOR_PERSON);
	actor(&f, "Джонса", "Q:jones", NS_ACTOR_PERSON);
	CHECK(fx_run(&f) == 0);
	CHECK_INT(f.c->nquotes, 1);
	if (f.c->nquotes == 1)
		CHECK_STR(f.c->quotes[0].speaker_id, "Q:smith");
	fx_close(&f);
}
