/* Unit tests of the text stage (src/text): word-list tables, normalisation fast
 * paths against utf8proc, tokens and their offsets (CRLF and CR included),
 * boilerplate cleaning, sentence cases, stems, options and thread safety. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "test.h"
#include "text/doc.h"
#include "text/internal.h"

static int process(ns_doc *d, const char *text, const ns_text_opts *o)
{
	ns_doc_init(d, text, strlen(text));
	return ns_text_process(d, o);
}

/* Token texts joined by "|". */
static void tokens_str(const ns_doc *d, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < d->ntokens && n + 1 < cap; i++) {
		const ns_token *t = &d->tokens[i];
		int w = snprintf(out + n, cap - n, "%s%.*s", i ? "|" : "", (int)(t->bend - t->bstart), d->text + t->bstart);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static void sentence_str(const ns_doc *d, size_t i, char *out, size_t cap)
{
	const ns_sentence *s = &d->sentences[i];
	snprintf(out, cap, "%.*s", (int)(s->bend - s->bstart), d->text + s->bstart);
}

NS_TEST(text__lexicon_tables)
{
	for (size_t i = 0; i < ns_text__lexicon_count(); i++) {
		const char *kind, *lang;
		const ns_wordlist *wl = ns_text__lexicon_at(i, &kind, &lang);
		long bad = ns_text__wordlist_check(wl);
		if (bad >= 0)
			ns_test_fail(__FILE__, __LINE__, "list %s/%s not sorted at \"%s\"", kind, lang, wl->words[bad]);
		CHECK_INT(ns_text__lexicon_id(kind, lang), (long long)i);
		for (size_t k = 0; k < wl->n; k++) {
			const char *w = wl->words[k];
			ns_arena a = NS_ARENA_INIT;
			uint16_t nl = 0;
			const char *norm = ns_text__norm(&a, w, strlen(w), &nl);
			if (!norm || strcmp(norm, w) != 0)
				ns_test_fail(__FILE__, __LINE__, "%s/%s entry \"%s\" is not in normal form (\"%s\")",
					     kind, lang, w, norm ? norm : "(null)");
			if (!(ns_text__lexicon_mask(w, strlen(w)) & ((uint64_t)1 << i)))
				ns_test_fail(__FILE__, __LINE__, "%s/%s entry \"%s\" missing from the hash table", kind, lang, w);
			ns_arena_free(&a);
		}
	}
	CHECK(ns_text__lexicon_mask("zzqx", 4) == 0);
	CHECK(ns_text__lexicon_mask("follow", 6) & NS_LEX_PREFIX); /* "follow us" */
	ns_thread_release();
}

NS_TEST(text__norm_matches_utf8proc)
{
	static const char *const cases[] = {
		"Hello", "WORLD", "don't", "COVID-19", "Ёлка", "ПУТИН", "Україна", "ЇЖАК", "Ґанок",
		"Straße", "ﬁnance", "Ⅻ", "São", "AÇÃO", "ﬀ", "ЁЖ-Й", "Σίσυφος", "क़ानून", "डॉ",
		"ｆｕｌｌ", "x²", "soft\xC2\xADhyphen", "Ѣ", "İstanbul",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i];
		utf8proc_uint8_t *ref = NULL;
		utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), &ref,
			     UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
		ns_arena a = NS_ARENA_INIT;
		uint16_t nl = 0;
		const char *norm = ns_text__norm(&a, s, strlen(s), &nl);
		CHECK_STR(norm, (const char *)ref);
		CHECK_INT(nl, strlen((const char *)ref));
		free(ref);
		ns_arena_free(&a);
	}
	/* Cyrillic stress marks go, other marks stay */
	ns_arena a = NS_ARENA_INIT;
	uint16_t nl = 0;
	CHECK_STR(ns_text__norm(&a, "За\xcc\x81мок", strlen("За\xcc\x81мок"), &nl), "замок");
	CHECK_STR(ns_text__norm(&a, "Йо\xcc\x80д", strlen("Йо\xcc\x80д"), &nl), "йод");
	CHECK_STR(ns_text__norm(&a, "cafe\xcc\x81", strlen("cafe\xcc\x81"), &nl), "café");
	ns_arena_free(&a);
	ns_thread_release();
}

NS_TEST(text__tokens_kinds)
{
	ns_doc d;
	char buf[1024];
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.force_lang = "en";
	CHECK_INT(process(&d, "COVID-19 well-known don't 3.5% 1,000 12:30 J.R.R. ‘rock’n’roll’ 10th -5 a--b", &o), 0);
	tokens_str(&d, buf, sizeof buf);
	CHECK_STR(buf, "COVID-19|well-known|don't|3.5|%|1,000|12:30|J|.|R|.|R|.|‘|rock’n’roll|’|10th|-|5|a|-|-|b");
	CHECK_INT(d.tokens[0].kind, NS_TOK_WORD);
	CHECK(d.tokens[0].flags & NS_TOKF_ALL_UPPER);
	CHECK_INT(d.tokens[3].kind, NS_TOK_NUMBER);
	CHECK_INT(d.tokens[4].kind, NS_TOK_PUNCT);
	CHECK(d.tokens[13].flags & NS_TOKF_QUOTE);
	CHECK_STR(d.tokens[2].norm, "don't");
	ns_doc_release(&d);

	/* Cyrillic and Devanagari with combining marks; the danda is punctuation */
	o.force_lang = NULL;
	CHECK_INT(process(&d, "Ёжик в тумане. \u2764\ufe0f प्रधानमंत्री नरेंद्र मोदी ने कहा।", &o), 0);
	tokens_str(&d, buf, sizeof buf);
	CHECK_STR(buf, "Ёжик|в|тумане|.|❤|प्रधानमंत्री|नरेंद्र|मोदी|ने|कहा|।");
	CHECK_STR(d.tokens[0].norm, "ёжик");
	for (size_t i = 0; i < d.ntokens; i++)
		CHECK(d.tokens[i].norm_len > 0);
	CHECK(d.tokens[0].flags & NS_TOKF_UPPER_INITIAL);
	CHECK(!(d.tokens[5].flags & NS_TOKF_UPPER_INITIAL));
	CHECK_INT(d.tokens[5].end - d.tokens[5].start, 12); /* प्रधानमंत्री: 12 code points */
	ns_doc_release(&d);
	ns_thread_release();
}

NS_TEST(text__offsets_crlf_and_cr)
{
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	/* "Один.\r\nДва.\rТри." : CRLF is two code points, CR one */
	const char *text = "Один.\r\nДва.\rТри.";
	CHECK_INT(process(&d, text, &o), 0);
	CHECK_INT(d.nchars, 16);
	CHECK_INT(d.nparagraphs, 3);
	CHECK_INT(d.nsentences, 3);
	CHECK_INT(d.sentences[1].start, 7);
	CHECK_INT(d.sentences[1].end, 11);
	CHECK_INT(d.sentences[2].start, 12);
	CHECK_INT(d.sentences[2].end, 16);
	CHECK_INT(d.tokens[d.ntokens - 1].start, 15);
	/* byte offsets agree with code-point offsets */
	for (size_t i = 0; i < d.ntokens; i++)
		CHECK_INT(ns_utf8_count(text, d.tokens[i].bstart), d.tokens[i].start);
	ns_doc_release(&d);
	ns_thread_release();
}

NS_TEST(text__clean_boilerplate)
{
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	const char *text =
		"date 2024-06-03 Share:\n"
		"Ministers meet in Sofia\n"
		"Updated: 3 June 2024, 10:15\n"
		"\n"
		"\n"
		"\n"
		"The ministers agreed on a plan. Shares in the company rose.\n"
		"Follow the money.\n"
		"Subscribe to our Telegram channel!\n"
		"Споделете във Facebook\n"
		"We use cookies to improve your experience.\n"
		"© 2024 Example News. All rights reserved.\n";
	CHECK_INT(process(&d, text, &o), 0);
	static const int kinds[] = {NS_CLEAN_METADATA, NS_CLEAN_TIMESTAMP, NS_CLEAN_BLANK, NS_CLEAN_SHARE,
				    NS_CLEAN_COPYRIGHT};
	CHECK_INT(d.ncleaned, 5);
	for (size_t i = 0; i < d.ncleaned && i < 5; i++)
		CHECK_INT(d.cleaned[i].kind, kinds[i]);
	if (d.ncleaned == 5) {
		CHECK_INT(d.cleaned[0].start, 0);
		CHECK_INT(d.cleaned[0].end, 23);
		CHECK_INT(d.cleaned[2].start, 76); /* the second and third blank lines */
		CHECK_INT(d.cleaned[2].end, 78);
		/* share, subscribe, Bulgarian share and cookie lines merge into one span */
		CHECK_INT(d.cleaned[3].end, d.cleaned[4].start);
	}
	char buf[1024];
	tokens_str(&d, buf, sizeof buf);
	CHECK_STR(buf, "Ministers|meet|in|Sofia|The|ministers|agreed|on|a|plan|.|Shares|in|the|company|rose|.|Follow|the|money|.");
	CHECK_INT(d.nsentences, 4);
	ns_doc_release(&d);

	/* cleaning off keeps everything */
	o.clean = 0;
	CHECK_INT(process(&d, text, &o), 0);
	CHECK_INT(d.ncleaned, 0);
	CHECK(d.ntokens > 40);
	ns_doc_release(&d);
	ns_thread_release();
}

NS_TEST(text__sentences_hard_cases)
{
	static const struct {
		const char *lang, *text;
		int n;
		const char *first_end; /* text of the first sentence */
	} cases[] = {
		{"en", "Mr. J. R. R. Tolkien paid $3.5 million. He left.", 2, "Mr. J. R. R. Tolkien paid $3.5 million."},
		{"en", "“Why?” he asked. Nobody knew.", 2, "“Why?” he asked."},
		{"en", "It rose 5 °C. Then it fell.", 2, "It rose 5 °C."},
		{"en", "He works for Acme Inc. The firm is in the U.S. State Department files.", 2, "He works for Acme Inc."},
		{"en", "He visited Pravda.Ru today. Fine!", 2, "He visited Pravda.Ru today."},
		{"ru", "Рост составил 3,5 млрд руб. Об этом в 2023 г. Россия заявила, т.е. Москва ответила. "
		       "В. В. Путин молчал в г. Сочи.", 4, "Рост составил 3,5 млрд руб."},
		{"ru", "«Кто виноват?» — спросил он. Ответа не было.", 2, "«Кто виноват?» — спросил он."},
		{"bg", "Живее на ул. Раковски в гр. София. Беше 2 ч. Сутринта дойде.", 3,
		 "Живее на ул. Раковски в гр. София."},
		{"pt", "A Sra. Silva e o Dr. Costa chegaram às 10h. Ninguém falou.", 2,
		 "A Sra. Silva e o Dr. Costa chegaram às 10h."},
		{"hi", "डॉ. शर्मा ने कहा। युद्ध खत्म होगा॥ क्या यह सच है? हाँ।", 4, "डॉ. शर्मा ने कहा।"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		o.force_lang = cases[i].lang;
		char buf[512];
		CHECK_INT(process(&d, cases[i].text, &o), 0);
		if ((int)d.nsentences != cases[i].n)
			ns_test_fail(__FILE__, __LINE__, "case %zu: %zu sentences, expected %d", i, d.nsentences, cases[i].n);
		if (d.nsentences) {
			sentence_str(&d, 0, buf, sizeof buf);
			CHECK_STR(buf, cases[i].first_end);
		}
		ns_doc_release(&d);
	}
	ns_thread_release();
}

NS_TEST(text__paragraphs_and_wrapping)
{
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	/* headline, a hard-wrapped paragraph, a paragraph after a single newline */
	CHECK_INT(process(&d, "Headline here\nThe first line goes\non after a wrap. Second.\nNew paragraph.", &o), 0);
	CHECK_INT(d.nparagraphs, 3);
	CHECK_INT(d.nsentences, 4);
	CHECK_INT(d.paragraphs[1].sent_end - d.paragraphs[1].sent_begin, 2);
	CHECK_INT(d.sentences[3].paragraph, 2);
	CHECK(d.tokens[0].flags & NS_TOKF_SENT_START);
	ns_doc_release(&d);
	ns_thread_release();
}

NS_TEST(text__stems)
{
	/* Snowball (en, ru, pt, hi; its Hindi stemmer also strips the vowel sign of
	 * short words: ने -> न) and the light Bulgarian stripper (Savoy's rules keep
	 * "нови": the plural -и goes only from words longer than four letters) */
	static const struct {
		const char *text, *stems;
	} cases[] = {
		{"The ministers were running negotiations quickly.", "the minist were run negoti quick ."},
		{"Министры обсуждали новые санкции против России.", "министр обсужда нов санкц прот росс ."},
		{"Os ministros discutiram novas sanções contra a Rússia.", "os ministr discut nov sançõ contr a rúss ."},
		{"Министрите обсъждаха новите санкции срещу Русия.", "министр обсъждах нови санкци срещу руси ."},
		{"मंत्रियों ने नए प्रतिबंधों पर चर्चा की।", "मंत्र न न प्रतिबंध पर चर्च क ।"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		char buf[1024];
		size_t n = 0;
		CHECK_INT(process(&d, cases[i].text, &o), 0);
		buf[0] = '\0';
		for (size_t k = 0; k < d.ntokens && n + 1 < sizeof buf; k++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", k ? " " : "", d.tokens[k].stem);
		CHECK_STR(buf, cases[i].stems);
		ns_doc_release(&d);
	}
	/* stemming off: stem == norm */
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	o.stem = 0;
	CHECK_INT(process(&d, "Running Ministers", &o), 0);
	CHECK_STR(d.tokens[0].stem, "running");
	ns_doc_release(&d);
	ns_thread_release();
}

NS_TEST(text__empty_and_options)
{
	ns_doc d;
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	CHECK_INT(process(&d, "", &o), 0);
	CHECK_INT(d.ntokens, 0);
	CHECK_INT(d.nsentences, 0);
	CHECK_STR(d.lang, "und");
	ns_doc_release(&d);
	CHECK_INT(process(&d, " \n\r\n\t\n", &o), 0);
	CHECK_INT(d.nparagraphs, 0);
	CHECK_INT(d.nchars, 6);
	ns_doc_release(&d);
	o.version = 99;
	CHECK_INT(process(&d, "x", &o), NS_EINVAL);
	ns_doc_release(&d);
	o.version = NS_TEXT_OPTS_VERSION;
	o.force_lang = "uk";
	CHECK_INT(process(&d, "Добрий день.", &o), 0);
	CHECK_STR(d.lang, "uk");
	CHECK_NEAR(d.lang_confidence, 1.0, 1e-9);
	CHECK_STR(d.tokens[0].stem, "добрий"); /* no Ukrainian stemmer */
	ns_doc_release(&d);
	CHECK_INT(process(&d, "Die Bundesregierung hat am Mittwoch beschlossen, dass die neuen Regeln für "
			      "alle Unternehmen gelten sollen, die mehr als zehn Mitarbeiter haben und im Land tätig sind.", &o), 0);
	CHECK_STR(d.lang, "uk"); /* forced */
	ns_doc_release(&d);
	o.force_lang = NULL;
	CHECK_INT(process(&d, "Die Bundesregierung hat am Mittwoch beschlossen, dass die neuen Regeln für "
			      "alle Unternehmen gelten sollen, die mehr als zehn Mitarbeiter haben und im Land tätig sind.", &o), 0);
	CHECK_STR(d.lang, "und");
	CHECK_INT(d.nwarnings, 1);
	ns_doc_release(&d);
	CHECK_INT(process(&d, "Share this article\n\u00a9 2024 Example News\n", &o), 0);
	CHECK_INT(d.ntokens, 0);
	CHECK_INT(d.ncleaned, 2);
	CHECK_INT(d.nwarnings, 1);
	ns_doc_release(&d);
	ns_doc_warn(&d, "w%d", 1);
	CHECK_INT(d.nwarnings, 1);
	CHECK_STR(d.warnings[0], "w1");
	ns_doc_release(&d);
	ns_doc_release(NULL);
	ns_thread_release();
}

NS_TEST(text__langid_small)
{
	static const struct {
		const char *text, *lang;
	} cases[] = {
		{"The government said that it would not support the plan, which was criticised by many.", "en"},
		{"O governo disse que não vai apoiar o plano, que foi criticado por muitos.", "pt"},
		{"Правительство заявило, что не будет поддерживать этот план, который критикуют многие.", "ru"},
		{"Правителството заяви, че няма да подкрепи плана, който беше критикуван от мнозина.", "bg"},
		{"Уряд заявив, що не підтримає цей план, який критикують багато хто.", "uk"},
		{"सरकार ने कहा कि वह इस योजना का समर्थन नहीं करेगी, जिसकी कई लोगों ने आलोचना की है।", "hi"},
		{"El gobierno dijo que no apoyará el plan, que fue criticado por muchos.", "und"},
		{"Die Regierung sagte, dass sie den Plan nicht unterstützen wird.", "und"},
		{"Влада је рекла да неће подржати план који је критиковало много људи.", "und"},
		{"Η κυβέρνηση δήλωσε ότι δεν θα υποστηρίξει το σχέδιο.", "und"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		CHECK_INT(process(&d, cases[i].text, &o), 0);
		if (strcmp(d.lang, cases[i].lang) != 0)
			ns_test_fail(__FILE__, __LINE__, "case %zu: lang %s (%.3f), expected %s", i, d.lang,
				     d.lang_confidence, cases[i].lang);
		CHECK(d.lang_confidence >= 0 && d.lang_confidence <= 1);
		CHECK_INT(d.nwarnings, 0); /* too short for the "not identified" warning */
		ns_doc_release(&d);
	}
	ns_thread_release();
}

typedef struct thread_arg {
	const char *text;
	size_t ntokens;
	char stems[256];
	int rc;
} thread_arg;

static void *thread_run(void *p)
{
	thread_arg *a = p;
	for (int r = 0; r < 50; r++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		ns_doc_init(&d, a->text, strlen(a->text));
		a->rc = ns_text_process(&d, &o);
		a->ntokens = d.ntokens;
		size_t n = 0;
		for (size_t k = 0; k < d.ntokens && n + 1 < sizeof a->stems; k++)
			n += (size_t)snprintf(a->stems + n, sizeof a->stems - n, "%s ", d.tokens[k].stem);
		ns_doc_release(&d);
	}
	return NULL;
}

NS_TEST(text__threads)
{
	thread_arg a[4] = {
		{"Ministers were running the negotiations.", 0, "", -1},
		{"Министры обсуждали новые санкции.", 0, "", -1},
		{"Ministers were running the negotiations.", 0, "", -1},
		{"Os ministros discutiram novas sanções.", 0, "", -1},
	};
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		CHECK_INT(pthread_create(&th[i], NULL, thread_run, &a[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++)
		CHECK_INT(a[i].rc, 0);
	CHECK_STR(a[0].stems, a[2].stems);
	CHECK_STR(a[0].stems, "minist were run the negoti . ");
	ns_thread_release();
}
