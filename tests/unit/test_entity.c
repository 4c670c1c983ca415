/* Tests of the entity layer: name folding, the gazetteer file format and its
 * bundle snapshot, detection and in-document linking on texts written for
 * these tests, the alias-group linking test set and the hand-checked precision
 * sample in tests/accuracy/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entity/entity.h"
#include "lex/lex.h"
#include "model/bundle.h"
#include "test.h"
#include "text/doc.h"

static ns_gazetteer *repo_gaz(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data/entities.tsv", ns_test_src());
	ns_gazetteer *g = NULL;
	if (ns_gazetteer_load(&g, path) < 0)
		ns_test_fail(__FILE__, __LINE__, "gazetteer: %s", ns_error_last());
	return g;
}

static void fold(char *out, size_t cap, const char *s)
{
	ns_buf b = NS_BUF_INIT;
	ns_lex_fold(&b, s, strlen(s));
	snprintf(out, cap, "%s", b.ptr ? b.ptr : "");
	ns_buf_free(&b);
}

NS_TEST(entity__fold_inflections)
{
	char a[64], b[64];
	const char *same[][2] = {
		{"Путин", "Путина"}, {"Путин", "Путину"}, {"Путин", "Путиным"}, {"Путин", "Путинa"},
		{"Зеленский", "Зеленского"}, {"Зеленски", "Зеленский"}, {"Западът", "Запада"},
		{"Россия", "России"}, {"Україна", "України"}, {"Zelenský", "Zelensky"},
		{"Putin's", "Putin"}, {"ज़ेलेंस्की", "जेलेंस्की"}, {"Шойгу", "Шойгу"},
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		fold(a, sizeof a, same[i][0]);
		fold(b, sizeof b, same[i][1]);
		if (strcmp(a, b) != 0)
			ns_test_fail(__FILE__, __LINE__, "fold(%s)=%s != fold(%s)=%s", same[i][0], a, same[i][1], b);
	}
	fold(a, sizeof a, "Путин");
	fold(b, sizeof b, "Путь");
	CHECK(strcmp(a, b) != 0);
	fold(a, sizeof a, "США");
	CHECK_STR(a, "сша"); /* too short to lose an ending */
}

NS_TEST(entity__split_units)
{
	ns_lex_piece p[8];
	const char *s = "U.S.-backed Ocasio-Cortez's";
	size_t n = ns_lex_split(s, strlen(s), p, 8);
	CHECK_INT(n, 5); /* U, S, backed, Ocasio, Cortez's */
	CHECK(p[0].upper_initial && p[0].nletters == 1);
	CHECK_INT(p[2].cstart, 5);
	CHECK(!p[2].upper_initial);
	CHECK_INT(p[4].bend, strlen(s));
}

static const char fixture_tsv[] =
	"# test gazetteer\n"
	"id\ttype\tname\ten\tru\tuk\tbg\tpt\thi\ttitles\n"
	"Q:a\tperson\tAnna Alpha\tAnna Alpha\tАнна Альфа\t\t\t\t\tchief of Testland\n"
	"Q:t\tcountry\tTestland\tTestland|Testish\t\t\t\t\t\n";

NS_TEST(gazetteer__format_errors)
{
	ns_gazetteer *g = NULL;
	CHECK_INT(ns_gazetteer_load_mem(&g, fixture_tsv, strlen(fixture_tsv), "fx.tsv"), 0);
	CHECK_INT(ns_gazetteer_count(g), 2);
	CHECK_STR(ns_gazetteer_id(g, 1), "Q:t");
	CHECK_INT(ns_gazetteer_find_id(g, "Q:a", 3), 0);
	int32_t idx = -2;
	CHECK_INT(ns_gazetteer_lookup(&idx, g, "Альфа", strlen("Альфа"), "ru"), 0);
	CHECK_INT(idx, 0); /* derived surname alias */
	CHECK_INT(ns_gazetteer_lookup(&idx, g, "Beta", 4, "en"), 0);
	CHECK_INT(idx, -1);
	ns_gazetteer_free(g);

	const char *bad[][2] = {
		{"id\ttype\tname\n", "header"},
		{"id\ttype\tname\ten\tru\tuk\tbg\tpt\thi\nQ:x\tplanet\tX\t\t\t\t\t\t\n", "fx.tsv:2: unknown type"},
		{"id\ttype\tname\ten\tru\tuk\tbg\tpt\thi\nQ:x\tother\tX\n", "fx.tsv:2: expected 9 or 10"},
		{"id\ttype\tname\ten\tru\tuk\tbg\tpt\thi\nQ:x\tother\tX\t\t\t\t\t\t\nQ:x\tother\tY\t\t\t\t\t\t\n",
		 "fx.tsv:3: duplicate id"},
		{"id\ttype\tname\ten\tru\tuk\tbg\tpt\thi\n\tother\tX\t\t\t\t\t\t\n", "fx.tsv:2: empty id"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		g = NULL;
		int rc = ns_gazetteer_load_mem(&g, bad[i][0], strlen(bad[i][0]), "fx.tsv");
		CHECK(rc == NS_EFORMAT);
		CHECK(g == NULL);
		if (!strstr(ns_error_last(), bad[i][1]))
			ns_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", ns_error_last(), bad[i][1]);
	}
}

NS_TEST(gazetteer__bundle_roundtrip)
{
	ns_gazetteer *g = repo_gaz(), *g2 = NULL;
	if (!g)
		return;
	char path[] = "/tmp/ns_test_gazXXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	ns_bundle_writer *w = NULL;
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	CHECK_INT(ns_gazetteer_add_to_bundle(g, w), 0);
	CHECK_INT(ns_bundle_writer_write(w, path), 0);
	ns_bundle_writer_free(w);
	if (ns_bundle_open(&b, path) < 0) {
		ns_test_fail(__FILE__, __LINE__, "open: %s", ns_error_last());
	} else {
		CHECK_INT(ns_gazetteer_load_bundle(&g2, b), 0);
		ns_gazetteer *g3 = NULL;
		CHECK_INT(ns_gazetteer_load_default(&g3, b), 0); /* the bundle section wins */
		CHECK_INT(ns_gazetteer_count(g3), ns_gazetteer_count(g));
		ns_gazetteer_free(g3);
		CHECK_INT(ns_gazetteer_count(g2), ns_gazetteer_count(g));
		for (size_t i = 0; g2 && i < ns_gazetteer_count(g); i += 37)
			CHECK_STR(ns_gazetteer_id(g2, i), ns_gazetteer_id(g, i));
		ns_gazetteer_free(g2);
		ns_bundle_close(b);
	}
	/* a malformed or newer section is an error naming the bundle */
	static const unsigned char junk[] = {'N', 'S', 'G', 'Z', 9, 0, 0, 0, 1, 0, 0, 0, 'x'};
	static const unsigned char newer[] = {'N', 'S', 'G', 'Z', 99, 0, 0, 0, 0, 0, 0, 0};
	for (int k = 0; k < 2; k++) {
		CHECK_INT(ns_bundle_writer_new(&w), 0);
		CHECK_INT(ns_bundle_writer_add(w, NS_GAZETTEER_SECTION, k ? newer : junk, k ? sizeof newer : 4), 0);
		CHECK_INT(ns_bundle_writer_write(w, path), 0);
		ns_bundle_writer_free(w);
		b = NULL;
		if (ns_bundle_open(&b, path) == 0) {
			g2 = NULL;
			CHECK_INT(ns_gazetteer_load_bundle(&g2, b), k ? NS_EVERSION : NS_EFORMAT);
			CHECK(g2 == NULL);
			CHECK(strstr(ns_error_last(), path) != NULL);
			ns_bundle_close(b);
		}
	}
	unlink(path);
	ns_gazetteer_free(g);
}

/* Runs text + entity detection over a text written for these tests. */
static const ns_entity_layer *run(ns_doc *d, const ns_gazetteer *g, const char *text)
{
	ns_doc_init(d, text, strlen(text));
	ns_text_opts o = NS_TEXT_OPTS_INIT;
	if (ns_text_process(d, &o) < 0 || ns_entity_detect(d, g) < 0) {
		ns_test_fail(__FILE__, __LINE__, "detect: %s", ns_error_last());
		return NULL;
	}
	return ns_entity_layer_of(d);
}

static const ns_entity *entity_of(const ns_entity_layer *L, const ns_doc *d, const char *surface)
{
	const char *p = strstr(d->text, surface);
	if (!p)
		return NULL;
	uint32_t b = (uint32_t)(p - d->text);
	for (size_t i = 0; i < L->nmentions; i++)
		if (L->mentions[i].bstart <= b && b < L->mentions[i].bend)
			return &L->entities[L->mentions[i].entity];
	return NULL;
}

NS_TEST(entity__detect_and_link)
{
	ns_gazetteer *g = repo_gaz();
	if (!g)
		return;
	ns_doc d;
	const char *text =
		"Defence minister Sergei Shoigu visited the front on Monday, and the Russian defence minister "
		"later spoke to reporters. Shoigu said the Kremlin was calm.\n"
		"Economists at the Baltic Freight Institute (BFI) disagreed. Analyst Maria Vortanen told the "
		"BFI board that Vortanen would resign.\n"
		"On Friday, Wladimir Klitschko boxed. NATO and OTAN are one alliance.";
	const ns_entity_layer *L = run(&d, g, text);
	if (L) {
		const ns_entity *e1 = entity_of(L, &d, "Sergei Shoigu");
		const ns_entity *e2 = entity_of(L, &d, "Shoigu said");
		const ns_entity *e3 = entity_of(L, &d, "Russian defence minister");
		CHECK(e1 && e2 && e3);
		if (e1 && e2 && e3) {
			CHECK_STR(e1->id, "Q:shoigu");
			CHECK(e1 == e2 && e1 == e3);
			CHECK_STR(e1->name, "Sergei Shoigu");
			CHECK_STR(ns_entity_type_name(e1->type), "person");
		}
		const ns_entity *i1 = entity_of(L, &d, "Baltic Freight Institute");
		const ns_entity *i2 = entity_of(L, &d, "BFI)");
		const ns_entity *i3 = entity_of(L, &d, "BFI board");
		CHECK(i1 && i1 == i2 && i1 == i3);
		if (i1) {
			CHECK(strncmp(i1->id, "L:", 2) == 0);
			CHECK_STR(i1->name, "Baltic Freight Institute");
			CHECK_STR(ns_entity_type_name(i1->type), "organisation");
		}
		const ns_entity *p1 = entity_of(L, &d, "Maria Vortanen");
		const ns_entity *p2 = entity_of(L, &d, "Vortanen would");
		CHECK(p1 && p1 == p2);
		const ns_entity *k = entity_of(L, &d, "Klitschko");
		CHECK(k && strcmp(k->id, "Q:klitschko-v") != 0); /* another Klitschko */
		const ns_entity *n1 = entity_of(L, &d, "NATO and"), *n2 = entity_of(L, &d, "OTAN");
		CHECK(n1 && n1 == n2 && strcmp(n1->id, "Q:nato") == 0);
		CHECK(entity_of(L, &d, "Monday") == NULL);
		CHECK(entity_of(L, &d, "Defence minister") == NULL);
		/* mentions are in text order and do not overlap */
		for (size_t i = 1; i < L->nmentions; i++)
			CHECK(L->mentions[i - 1].end <= L->mentions[i].start);
		/* local ids are numbered by first appearance and stable */
		ns_buf j1 = NS_BUF_INIT, j2 = NS_BUF_INIT;
		CHECK_INT(ns_entity_write_json(&j1, &d), 0);
		ns_doc d2;
		if (run(&d2, g, text)) {
			CHECK_INT(ns_entity_write_json(&j2, &d2), 0);
			CHECK(j1.size == j2.size && memcmp(j1.ptr, j2.ptr, j1.size) == 0);
		}
		ns_doc_release(&d2);
		static const char want[] = ",\"entities\":[{\"id\":\"Q:shoigu\",\"name\":\"Sergei Shoigu\","
					   "\"type\":\"person\",\"mentions\":[{\"start\":17,\"end\":30,"
					   "\"text\":\"Sergei Shoigu\"}";
		CHECK(j1.ptr && strncmp(j1.ptr, want, sizeof want - 1) == 0);
		ns_buf_free(&j1);
		ns_buf_free(&j2);
	}
	ns_doc_release(&d);

	/* a title naming nobody in the article is dropped when several hold it */
	L = run(&d, g, "The Russian defence minister spoke on Tuesday.");
	if (L)
		CHECK(entity_of(L, &d, "Russian defence minister") == NULL);
	ns_doc_release(&d);
	/* ...but kept when the article names the holder */
	L = run(&d, g, "Андрей Белоусов прибыл в Москву. Министр обороны России заявил, что Белоусова ждут.");
	if (L) {
		const ns_entity *t = entity_of(L, &d, "обороны России");
		const ns_entity *b2 = entity_of(L, &d, "Белоусова");
		CHECK(t && b2 && t == b2 && strcmp(t->id, "Q:belousov") == 0);
	}
	ns_doc_release(&d);
	/* Devanagari: gazetteer only */
	L = run(&d, g, "पुतिन और मोदी ने बात की। नाटो ने कहा।");
	if (L) {
		const ns_entity *a = entity_of(L, &d, "पुतिन"), *n = entity_of(L, &d, "नाटो");
		CHECK(a && strcmp(a->id, "Q:putin") == 0);
		CHECK(n && strcmp(n->id, "Q:nato") == 0);
	}
	ns_doc_release(&d);
	ns_gazetteer_free(g);
}

/* Unknown names: "of" joins only after an organisation word, place and
 * organisation head words type the name, and an agency dateline is no acronym. */
NS_TEST(entity__unknown_name_shapes)
{
	ns_gazetteer *g = repo_gaz();
	if (!g)
		return;
	ns_doc d;
	const ns_entity_layer *L = run(&d, g,
				       "MANAUS - Analysts at the Vorlund School of Economics said on Monday that "
				       "Dalia Verhoff of Testborough had left.\n"
				       "The water of the Rio Pardinho fell again, wrote the Jornal da Serra.");
	if (L) {
		const ns_entity *s = entity_of(L, &d, "Vorlund");
		CHECK(s && s == entity_of(L, &d, "Economics"));
		if (s) {
			CHECK_STR(s->name, "Vorlund School of Economics");
			CHECK_STR(ns_entity_type_name(s->type), "organisation");
		}
		const ns_entity *p = entity_of(L, &d, "Dalia Verhoff");
		CHECK(p && p != entity_of(L, &d, "Testborough"));
		if (p)
			CHECK_STR(ns_entity_type_name(p->type), "person");
		const ns_entity *r = entity_of(L, &d, "Rio Pardinho");
		CHECK(r && strcmp(ns_entity_type_name(r->type), "location") == 0);
		const ns_entity *j = entity_of(L, &d, "Jornal da Serra");
		CHECK(j && strcmp(ns_entity_type_name(j->type), "organisation") == 0);
		CHECK(entity_of(L, &d, "MANAUS") == NULL);
	}
	ns_doc_release(&d);
	/* the same with an em dash, which the tokenizer makes a token of its own */
	L = run(&d, g, "Seca no sul\n\nSANTOS \xe2\x80\x94 O nivel do lago Mirim caiu de novo, disseram pescadores da cidade.");
	if (L) {
		CHECK(entity_of(L, &d, "SANTOS") == NULL);
		CHECK(entity_of(L, &d, "O") == NULL);
	}
	ns_doc_release(&d);
	/* a name after an article or article contraction is no person */
	L = run(&d, g, "O secretário estadual do Meio Ambiente, Paulo Henrique Lima, negou as críticas e disse "
		       "que a ajuda chegou a todas as comunidades da região.");
	if (L) {
		CHECK_STR(d.lang, "pt");
		const ns_entity *a = entity_of(L, &d, "Meio Ambiente");
		CHECK(a && a->type != NS_ENT_PERSON);
		const ns_entity *p = entity_of(L, &d, "Paulo Henrique Lima");
		CHECK(p && p->type == NS_ENT_PERSON);
	}
	ns_doc_release(&d);
	/* a given name that folds like a shorter city name is no city */
	L = run(&d, g, "Министърът Николай Петков пристигна вчера в Николаев, съобщи пресслужбата на "
		       "министерството. Той ще остане в града два дни.");
	if (L) {
		const ns_entity *n = entity_of(L, &d, "Николай");
		CHECK(n && (!n->id || strcmp(n->id, "Q:mykolaiv") != 0));
		const ns_entity *c = entity_of(L, &d, "Николаев");
		CHECK(c && c->id && strcmp(c->id, "Q:mykolaiv") == 0);
	}
	ns_doc_release(&d);
	/* a capitalised word the article also writes in lower case is no name */
	L = run(&d, g, "Officials said the Harbour would reopen on Friday. The harbour has been closed since May.");
	if (L)
		CHECK(entity_of(L, &d, "Harbour") == NULL);
	ns_doc_release(&d);
	/* Bulgarian: the capitalised first word of "Министерския съвет" alone is no name */
	L = run(&d, g, "Решението на Министерския съвет беше прието вчера, а депутатите от парламента го "
		       "обсъдиха дълго. Правителството заяви, че ще го изпълни до края на годината.");
	if (L) {
		CHECK_STR(d.lang, "bg");
		CHECK(entity_of(L, &d, "Министерския") == NULL);
	}
	ns_doc_release(&d);
	ns_gazetteer_free(g);
}

NS_TEST(entity__role_hook_json)
{
	ns_gazetteer *g = repo_gaz();
	if (!g)
		return;
	ns_doc d;
	const ns_entity_layer *L = run(&d, g, "Putin met Biden.");
	if (L && L->nentities == 2) {
		ns_entity_layer *W = (ns_entity_layer *)L;
		static const char role[] = "x";
		W->entities[1].role = role;
		W->write_role = NULL;
		ns_buf j = NS_BUF_INIT;
		CHECK_INT(ns_entity_write_json(&j, &d), 0);
		CHECK(j.ptr && !strstr(j.ptr, "\"role\""));
		ns_buf_free(&j);
	} else {
		ns_test_fail(__FILE__, __LINE__, "expected 2 entities");
	}
	ns_doc_release(&d);
	ns_gazetteer_free(g);
}

/* Reads the lines of a test TSV under the repo, skipping '#' and the header. */
static char *read_repo(const char *rel, size_t *len)
{
	char path[4096], *text = NULL;
	snprintf(path, sizeof path, "%s/%s", ns_test_src(), rel);
	if (ns_file_read(&text, len, path, 0) < 0) {
		ns_test_fail(__FILE__, __LINE__, "%s: %s", path, ns_error_last());
		return NULL;
	}
	return text;
}

NS_TEST(entity__alias_groups)
{
	ns_gazetteer *g = repo_gaz();
	size_t len = 0;
	char *text = read_repo("tests/accuracy/alias-groups.tsv", &len);
	if (!g || !text) {
		ns_gazetteer_free(g);
		free(text);
		return;
	}
	size_t total = 0, right = 0;
	char *save = NULL;
	bool header = false;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (!header) {
			header = true;
			continue;
		}
		char *id = line, *lang = strchr(id, '\t'), *surf = lang ? strchr(lang + 1, '\t') : NULL;
		if (!surf) {
			ns_test_fail(__FILE__, __LINE__, "alias-groups: malformed line \"%s\"", line);
			continue;
		}
		*lang++ = '\0';
		*surf++ = '\0';
		int32_t idx = -1;
		CHECK_INT(ns_gazetteer_lookup(&idx, g, surf, strlen(surf), lang), 0);
		total++;
		if (idx >= 0 && strcmp(ns_gazetteer_id(g, (size_t)idx), id) == 0)
			right++;
		else
			printf("  alias miss: %s %s -> %s\n", lang, surf, idx >= 0 ? ns_gazetteer_id(g, (size_t)idx) : "-");
	}
	double acc = total ? (double)right / (double)total : 0;
	printf("  alias groups: %zu/%zu = %.4f on the right id\n", right, total, acc);
	CHECK(total >= 150);
	CHECK(acc >= 0.95);
	free(text);
	ns_gazetteer_free(g);
}

NS_TEST(entity__precision_sample)
{
	NS_NEED_DATA();
	ns_gazetteer *g = repo_gaz();
	size_t len = 0;
	char *text = read_repo("tests/accuracy/mentions-precision.tsv", &len);
	if (!g || !text) {
		ns_gazetteer_free(g);
		free(text);
		return;
	}
	size_t total = 0, correct = 0, present = 0, present_ok = 0;
	char *save = NULL, cur[256] = "";
	char *doctext = NULL;
	size_t doclen = 0;
	ns_doc d;
	bool have = false, header = false;
	const ns_entity_layer *L = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (!header) {
			header = true;
			continue;
		}
		char id[256], lang[8], type[64], eid[128], verdict[32];
		unsigned s, e;
		if (sscanf(line, "%255[^\t]\t%7[^\t]\t%u\t%u\t%63[^\t]\t%127[^\t]\t%31s", id, lang, &s, &e, type, eid,
			   verdict) != 7) {
			ns_test_fail(__FILE__, __LINE__, "precision sample: malformed line \"%s\"", line);
			continue;
		}
		total++;
		if (strcmp(verdict, "correct") == 0)
			correct++;
		else if (strcmp(verdict, "incorrect") != 0)
			ns_test_fail(__FILE__, __LINE__, "bad verdict %s", verdict);
		if (strcmp(id, cur) != 0) {
			if (have)
				ns_doc_release(&d);
			free(doctext);
			doctext = NULL;
			have = false;
			L = NULL;
			snprintf(cur, sizeof cur, "%s", id);
			char path[4096];
			snprintf(path, sizeof path, "%s/semeval2025/train/%s/raw-documents/%s", ns_test_data(), lang, id);
			if (ns_file_read(&doctext, &doclen, path, 0) < 0) {
				ns_test_fail(__FILE__, __LINE__, "%s: %s", path, ns_error_last());
				continue;
			}
			ns_doc_init(&d, doctext, doclen);
			ns_text_opts o = NS_TEXT_OPTS_INIT;
			have = true;
			if (ns_text_process(&d, &o) < 0 || ns_entity_detect(&d, g) < 0) {
				ns_test_fail(__FILE__, __LINE__, "%s: %s", id, ns_error_last());
				continue;
			}
			L = ns_entity_layer_of(&d);
		}
		int32_t m = L ? ns_entity_mention_at(L, s, e) : -1;
		if (m >= 0 && L->mentions[m].start == s && L->mentions[m].end == e) {
			present++;
			if (strcmp(verdict, "correct") == 0)
				present_ok++;
		} else
			printf("  sample span no longer detected: %s %u %u (%s)\n", id, s, e, eid);
	}
	if (have)
		ns_doc_release(&d);
	free(doctext);
	double p = total ? (double)correct / (double)total : 0;
	printf("  precision on the hand-checked sample: %zu/%zu = %.4f; %zu/%zu spans still detected, "
	       "%zu of them correct (%.4f)\n", correct, total, p, present, total, present_ok,
	       present ? (double)present_ok / (double)present : 0.0);
	CHECK_INT(total, 200);
	CHECK(p >= 0.85);
	CHECK(present >= total * 95 / 100);
	free(text);
	ns_gazetteer_free(g);
}

/* The per-thread memo of folds gives ns_lex_fold's bytes, on the first call and
 * on repeats, also across the memo being emptied (20,000 distinct pieces). */
NS_TEST(entity__fold_memo_same_as_fold)
{
	static const char *const words[] = {"Путина", "Зеленского", "НАТО", "Macron's", "पुतिन", "Западът",
					    "São", "ﬁnance", "Шойгу", "Biden"};
	ns_buf a = NS_BUF_INIT, b = NS_BUF_INIT;
	size_t bad = 0;
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 20000; i++) {
			char w[64];
			const char *base = words[i % 10];
			int n = i < 10 || round == 1 ? snprintf(w, sizeof w, "%s", base)
						    : snprintf(w, sizeof w, "%s%c%c", base, 'a' + i % 26, 'a' + i / 26 % 26);
			ns_buf_clear(&a);
			ns_buf_clear(&b);
			CHECK_INT(ns_lex_fold(&a, w, (size_t)n), 0);
			CHECK_INT(ns_lex_fold_memo(&b, w, (size_t)n), 0);
			bad += a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0;
		}
	CHECK_INT(bad, 0);
	ns_buf_free(&a);
	ns_buf_free(&b);
	ns_thread_release();
}

/* A one-word shape joins the nearest multi-word name before it with that first
 * or last word, else the first one after it (link.c, step C, now an index
 * lookup): two people share a surname, one acronym spells an unknown
 * organisation's initials. */
NS_TEST(entity__surname_joins_nearest_name)
{
	ns_gazetteer *g = repo_gaz();
	if (!g)
		return;
	const char *text = "Reporters saw Verhoff arrive first. Later Anna Verhoff spoke, and Verhoff left at noon. "
			   "Then Dalia Verhoff spoke, and Verhoff stayed. Analysts at the Vorlund Policy Centre "
			   "agreed; the VPC will publish a report, and Dalia said so too.";
	ns_doc d;
	const ns_entity_layer *L = run(&d, g, text);
	if (L) {
		const ns_entity *anna = entity_of(L, &d, "Anna Verhoff"), *dalia = entity_of(L, &d, "Dalia Verhoff");
		CHECK(anna && dalia && anna != dalia);
		CHECK(anna && anna == entity_of(L, &d, "Verhoff arrive")); /* none before: the first after */
		CHECK(anna && anna == entity_of(L, &d, "Verhoff left"));
		CHECK(dalia && dalia == entity_of(L, &d, "Verhoff stayed"));
		const ns_entity *c = entity_of(L, &d, "Vorlund Policy Centre");
		CHECK(c && c == entity_of(L, &d, "VPC"));
		CHECK(dalia && dalia == entity_of(L, &d, "Dalia said"));
	}
	ns_doc_release(&d);
	ns_gazetteer_free(g);
}

/* Checks that the mention at `title` and the one at `name` are one entity,
 * whose id starts with `id` ("" for any). */
static void check_joined(const ns_entity_layer *L, const ns_doc *d, const char *title, const char *name,
			 const char *id, int line)
{
	const ns_entity *t = entity_of(L, d, title), *p = entity_of(L, d, name);
	if (!t || !p || t != p || strncmp(p->id, id, strlen(id)) != 0)
		ns_test_fail(__FILE__, line, "\"%s\" (%s) and \"%s\" (%s): expected one entity %s", title,
			     t ? t->id : "none", name, p ? p->id : "none", id);
}

/* A title in apposition with a person's name is that person, whoever the
 * gazetteer says holds the office; a title that is the complement of another
 * noun ("an aide to the Russian president Yuri Ushakov") or one item of a list
 * keeps its holder. */
NS_TEST(entity__title_apposition_names_the_holder)
{
	ns_gazetteer *g = repo_gaz();
	if (!g)
		return;
	static const struct {
		const char *text, *title, *name, *id;
	} joined[] = {
		{"Kremlin spokesman Dmitry Volkov said the talks were over.", "Kremlin spokesman", "Dmitry Volkov",
		 "L:"},
		{"Dmitry Volkov, the Kremlin spokesman, said the talks were over.", "Kremlin spokesman",
		 "Dmitry Volkov", "L:"},
		{"Former Russian president Dmitry Medvedev warned the West again.", "Russian president",
		 "Dmitry Medvedev", "Q:medvedev"},
		{"Бившият британски премиер Борис Джонсън пристигна в Киев.", "британски премиер", "Борис Джонсън",
		 "Q:johnson-b"},
		{"Бывший президент США Дональд Трамп выступил в Техасе.", "президент США", "Дональд Трамп",
		 "Q:trump"},
		/* an unknown spelling of the holder's name joins the holder */
		{"Ukrainian Foreign Minister Dmitry Kuleba rejected the claim.", "Ukrainian Foreign Minister",
		 "Dmitry Kuleba", "Q:kuleba"},
		{"इटली की प्रधानमंत्री जॉर्जिया मेलोनी ने बयान दिया।", "प्रधानमंत्री", "जॉर्जिया मेलोनी", "Q:meloni"},
	};
	ns_doc d;
	for (size_t i = 0; i < sizeof joined / sizeof joined[0]; i++) {
		const ns_entity_layer *L = run(&d, g, joined[i].text);
		if (L)
			check_joined(L, &d, joined[i].title, joined[i].name, joined[i].id, __LINE__);
		ns_doc_release(&d);
	}
	/* the complement of another noun keeps its own holder */
	const ns_entity_layer *L = run(&d, g, "Помощник президента России Юрий Ушаков заявил, что Путин занят.");
	if (L) {
		const ns_entity *t = entity_of(L, &d, "президента России"), *p = entity_of(L, &d, "Юрий Ушаков");
		CHECK(t && p && t != p);
		CHECK(t && strcmp(t->id, "Q:putin") == 0);
	}
	ns_doc_release(&d);
	/* a list item is no apposition */
	L = run(&d, g, "Говорейки за Джо Байдън, унгарският премиер Виктор Орбан призна много неща.");
	if (L) {
		const ns_entity *b = entity_of(L, &d, "Джо Байдън"), *t = entity_of(L, &d, "унгарският премиер");
		CHECK(b && strcmp(b->id, "Q:biden") == 0);
		CHECK(t && strcmp(t->id, "Q:orban") == 0);
	}
	ns_doc_release(&d);
	/* no name: the gazetteer's holder, as before */
	L = run(&d, g, "The Kremlin spokesman said the talks were over.");
	if (L) {
		const ns_entity *t = entity_of(L, &d, "Kremlin spokesman");
		CHECK(t && strcmp(t->id, "Q:peskov") == 0);
	}
	ns_doc_release(&d);
	ns_gazetteer_free(g);
}

/* An unknown two-word name with a known country or place in it is no person
 * ("Ukraine War"); a given name that folds like a city still is ("Николай"). */
NS_TEST(entity__place_word_is_no_person_name)
{
	ns_gazetteer *g = repo_gaz();
	if (!g)
		return;
	ns_doc d;
	const ns_entity_layer *L = run(&d, g, "Readers of Ukraine War Digest wrote to Maria Vortanen on Friday.");
	if (L) {
		const ns_entity *w = entity_of(L, &d, "Ukraine War"), *p = entity_of(L, &d, "Maria Vortanen");
		CHECK(w && strcmp(ns_entity_type_name(w->type), "person") != 0);
		CHECK(p && strcmp(ns_entity_type_name(p->type), "person") == 0);
	}
	ns_doc_release(&d);
	L = run(&d, g, "Вчера Николай Кормильцев заявил, что переговоры окончены.");
	if (L) {
		const ns_entity *p = entity_of(L, &d, "Николай Кормильцев");
		CHECK(p && strcmp(ns_entity_type_name(p->type), "person") == 0);
	}
	ns_doc_release(&d);
	ns_gazetteer_free(g);
}
