/* Tests of the shared-task corpus reader (src/io/taskdata.c) and the taxonomy
 * loader: the full training corpus (needs ../shared/data), and a small fixture
 * corpus of our own under tests/golden/corpus/ for alignment and error cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/taskdata.h"
#include "io/taxonomy.h"
#include "test.h"
#include "util/util.h"

static char *path2(const char *a, const char *b)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", a, b);
	return buf[k];
}

static bool has_warning(const ns_taskdata *td, const char *needle)
{
	for (size_t i = 0; i < ns_taskdata_nwarnings(td); i++)
		if (strstr(ns_taskdata_warning(td, i), needle))
			return true;
	return false;
}

NS_TEST(taskdata__train_all_mentions_aligned)
{
	NS_NEED_DATA();
	ns_taxonomy *tax = NULL;
	ns_taskdata *td = NULL;
	CHECK_INT(ns_taxonomy_load(&tax, path2(ns_test_data(), "semeval2025/taxonomy")), 0);
	if (!tax)
		return;
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.taxonomy = tax;
	int rc = ns_taskdata_load(&td, path2(ns_test_data(), "semeval2025/train"), &o);
	if (rc < 0)
		fprintf(stderr, "  %s\n", ns_error_last());
	CHECK_INT(rc, 0);
	if (!td)
		goto done;
	CHECK_INT(ns_taskdata_ndocs(td), 1781);
	ns_task_lang_stats all = ns_taskdata_total(td);
	CHECK_INT(all.mentions, 5617);
	CHECK_INT(all.failed, 0);
	CHECK_INT(all.exact + all.crlf + all.nearest, 5617);
	CHECK_INT(all.narr_lines, 1781);
	fprintf(stderr, "  %-4s %5s %8s %6s %5s %8s %4s %6s %8s\n", "lang", "docs", "mentions", "exact",
		"crlf", "nearest", ">300", "failed", "warnings");
	for (size_t i = 0; i <= ns_taskdata_nlangs(td); i++) {
		const ns_task_lang_stats *s = i < ns_taskdata_nlangs(td) ? ns_taskdata_lang(td, i) : &all;
		fprintf(stderr, "  %-4s %5zu %8zu %6zu %5zu %8zu %4zu %6zu %8zu\n", s->lang, s->docs, s->mentions,
			s->exact, s->crlf, s->nearest, s->nearest_far, s->failed, s->warnings);
	}
	for (size_t i = 0; i < ns_taskdata_nwarnings(td) && i < 5; i++)
		fprintf(stderr, "  warning: %s\n", ns_taskdata_warning(td, i));
	/* README: the mentions that do not sit at their offsets, per language */
	static const struct { const char *lang; size_t off, total; } readme[] = {
		{"BG", 156, 627}, {"EN", 11, 686}, {"HI", 1126, 2331}, {"PT", 352, 1251}, {"RU", 467, 722}};
	CHECK_INT(ns_taskdata_nlangs(td), 5);
	for (size_t i = 0; i < 5 && i < ns_taskdata_nlangs(td); i++) {
		const ns_task_lang_stats *s = ns_taskdata_lang(td, i);
		CHECK_STR(s->lang, readme[i].lang);
		CHECK_INT(s->mentions, readme[i].total);
		CHECK_INT(s->crlf + s->nearest, readme[i].off);
		CHECK_INT(s->nearest_far, 0);
	}
	/* deterministic order: language, then file name; spans hold the key */
	for (size_t i = 1; i < ns_taskdata_ndocs(td); i++) {
		const ns_task_doc *a = ns_taskdata_doc(td, i - 1), *b = ns_taskdata_doc(td, i);
		int c = strcmp(a->lang, b->lang);
		CHECK(c < 0 || (c == 0 && strcmp(a->id, b->id) < 0));
	}
	size_t bad = 0;
	for (size_t i = 0; i < ns_taskdata_ndocs(td); i++) {
		const ns_task_doc *d = ns_taskdata_doc(td, i);
		for (size_t k = 0; k < d->nmentions; k++) {
			const ns_task_mention *m = &d->mentions[k];
			size_t kl = strlen(m->key), ml = strlen(m->mention), bl = m->byte_end - m->byte_start;
			if (!((bl == kl && memcmp(d->text + m->byte_start, m->key, kl) == 0) ||
			      (bl == ml && memcmp(d->text + m->byte_start, m->mention, ml) == 0)))
				bad++;
			if (!m->main_role || m->nfine_roles == 0)
				bad++;
		}
	}
	CHECK_INT(bad, 0);
done:
	ns_taskdata_free(td);
	ns_taxonomy_free(tax);
}

NS_TEST(taskdata__taxonomy_shared)
{
	NS_NEED_DATA();
	ns_taxonomy *t = NULL;
	CHECK_INT(ns_taxonomy_load(&t, path2(ns_test_data(), "semeval2025/taxonomy")), 0);
	if (!t)
		return;
	CHECK_INT(ns_taxonomy_ncoarse(t), 22);
	CHECK_INT(ns_taxonomy_nfine(t), 94);
	CHECK_INT(ns_taxonomy_nmain_roles(t), 3);
	CHECK_INT(ns_taxonomy_nfine_roles(t), 22);
	size_t orphans = 0, undescribed = 0;
	for (size_t i = 0; i < ns_taxonomy_nfine(t); i++)
		if (ns_taxonomy_fine_parent(t, i) < 0)
			orphans++;
	CHECK_INT(orphans, 0);
	CHECK(ns_taxonomy_find_coarse(t, "Other", 5) >= 0);
	CHECK(ns_taxonomy_find_fine(t, "Other", 5) >= 0);
	CHECK_INT(ns_taxonomy_fine_parent(t, (size_t)ns_taxonomy_find_fine(t, "Other", 5)),
		  ns_taxonomy_find_coarse(t, "Other", 5));
	CHECK(ns_taxonomy_ndesc(t) > 100);
	for (size_t i = 0; i < ns_taxonomy_ndesc(t); i++) {
		const ns_taxonomy_desc *d = ns_taxonomy_desc_at(t, i);
		if (d->coarse_idx < 0 || (d->fine && d->fine_idx < 0)) {
			if (undescribed < 3)
				fprintf(stderr, "  description label not in lists: %s | %s\n", d->coarse,
					d->fine ? d->fine : "-");
			undescribed++;
		}
	}
	fprintf(stderr, "  %zu descriptions, %zu with labels outside the lists\n", ns_taxonomy_ndesc(t),
		undescribed);
	ns_taxonomy_free(t);
}

NS_TEST(taskdata__fixture_corpus_alignment)
{
	ns_taskdata *td = NULL;
	ns_taxonomy *tax = NULL;
	const char *src = ns_test_src();
	CHECK_INT(ns_taxonomy_load(&tax, path2(src, "tests/golden/corpus/taxonomy")), 0);
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.taxonomy = tax;
	int rc = ns_taskdata_load(&td, path2(src, "tests/golden/corpus/good"), &o);
	if (rc < 0)
		fprintf(stderr, "  %s\n", ns_error_last());
	CHECK_INT(rc, 0);
	if (!td)
		goto done;
	CHECK_INT(ns_taskdata_ndocs(td), 3);
	ns_task_lang_stats all = ns_taskdata_total(td);
	CHECK_INT(all.mentions, 6);
	CHECK_INT(all.exact, 2);
	CHECK_INT(all.crlf, 2);
	CHECK_INT(all.nearest, 2);
	CHECK_INT(all.nearest_far, 1);
	CHECK_INT(all.failed, 0);
	/* order: EN before PT, file names sorted */
	CHECK_STR(ns_taskdata_doc(td, 0)->id, "EN_X_1.txt");
	CHECK_STR(ns_taskdata_doc(td, 1)->id, "EN_X_2.txt");
	CHECK_STR(ns_taskdata_doc(td, 2)->id, "PT_X_1.txt");
	const ns_task_doc *d = ns_taskdata_doc(td, 0);
	CHECK_INT(d->ncoarse, 2); /* repeated label deduplicated */
	CHECK_INT(d->nfine, 2);
	CHECK(d->expl != NULL);
	if (d->expl)
		CHECK_STR(d->expl->subnarrative, "none");
	CHECK_INT(d->nmentions, 3);
	if (d->nmentions == 3) {
		CHECK_INT(d->mentions[0].align, NS_ALIGN_EXACT);
		CHECK_INT(d->mentions[0].start, 0);
		CHECK_INT(d->mentions[0].end, 6);
		CHECK_INT(d->mentions[1].align, NS_ALIGN_CRLF);
		CHECK_INT(d->mentions[2].align, NS_ALIGN_NEAREST);
		CHECK_INT(d->mentions[2].nfine_roles, 2);
		CHECK_STR(d->mentions[2].fine_roles[1], "Tyrant");
		CHECK_STR(d->mentions[2].key, "Arvel Pact");
	}
	/* PT text has multi-byte letters: code points differ from bytes */
	const ns_task_doc *p = ns_taskdata_doc(td, 2);
	CHECK(p->len > p->ncp);
	CHECK_INT(p->nmentions, 3);
	if (p->nmentions == 3) {
		CHECK_INT(p->mentions[0].align, NS_ALIGN_EXACT);
		CHECK_INT(p->mentions[0].start, 10);
		CHECK_INT(p->mentions[0].end, 19);
		CHECK_INT(p->mentions[0].byte_end - p->mentions[0].byte_start, 10);
		CHECK_INT(p->mentions[1].align, NS_ALIGN_NEAREST);
		CHECK_INT(p->mentions[1].start, p->mentions[1].file_start - 3);
		CHECK_INT(p->mentions[2].align, NS_ALIGN_CRLF);
	}
	CHECK_INT(ns_taskdata_find(td, "PT_X_1.txt"), 2);
	CHECK_INT(ns_taskdata_find(td, "nope.txt"), -1);
	CHECK(has_warning(td, "EN_X_2.txt: empty document"));
done:
	ns_taskdata_free(td);
	ns_taxonomy_free(tax);
}

/* Each bad corpus must fail with the exact file:line message. */
NS_TEST(taskdata__fixture_errors_name_file_and_line)
{
	static const struct { const char *dir, *msg; } cases[] = {
		{"bad-columns", "subtask-1-annotations.txt:2: 5 columns"},
		{"bad-int", "subtask-1-annotations.txt:1: start is not a non-negative integer: '1x'"},
		{"bad-order", "subtask-1-annotations.txt:3: start 9 > end 4"},
		{"bad-role", "subtask-1-annotations.txt:1: fine role 'Victim' does not belong to main role 'Antagonist'"},
		{"bad-narr-columns", "subtask-2-annotations.txt:2: 2 columns, expected 3"},
		{"bad-expl-columns", "subtask-3-annotations.txt:1: 3 columns, expected 4"},
	};
	const char *src = ns_test_src();
	ns_taxonomy *tax = NULL;
	CHECK_INT(ns_taxonomy_load(&tax, path2(src, "tests/golden/corpus/taxonomy")), 0);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ns_taskdata *td = NULL;
		ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
		o.taxonomy = tax;
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/tests/golden/corpus/%s", src, cases[i].dir);
		int rc = ns_taskdata_load(&td, dir, &o);
		CHECK_INT(rc, NS_EFORMAT);
		if (!strstr(ns_error_last(), cases[i].msg))
			ns_test_fail(__FILE__, __LINE__, "%s: message '%s' lacks '%s'", cases[i].dir, ns_error_last(),
				     cases[i].msg);
		ns_taskdata_free(td);
		/* lenient: the line is skipped and a warning names it */
		o.lenient = 1;
		rc = ns_taskdata_load(&td, dir, &o);
		CHECK_INT(rc, 0);
		if (td && !has_warning(td, cases[i].msg))
			ns_test_fail(__FILE__, __LINE__, "%s: lenient load has no warning '%s'", cases[i].dir,
				     cases[i].msg);
		ns_taskdata_free(td);
	}
	ns_taxonomy_free(tax);
}

NS_TEST(taskdata__fixture_warnings_and_strict)
{
	const char *src = ns_test_src();
	ns_taskdata *td = NULL;
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/tests/golden/corpus/warn", src);
	CHECK_INT(ns_taskdata_load(&td, dir, NULL), 0);
	if (td) {
		CHECK(has_warning(td, "subtask-1-annotations.txt:2: unknown article 'EN_GONE.txt'"));
		CHECK(has_warning(td, "subtask-1-annotations.txt:3: mention 'Zebulon' does not occur in EN_W_1.txt"));
		CHECK(has_warning(td, "subtask-2-annotations.txt:2: second line for 'EN_W_1.txt'; labels merged"));
		CHECK(has_warning(td, "subtask-3-annotations.txt:2: unknown article 'EN_GONE.txt'"));
		ns_task_lang_stats all = ns_taskdata_total(td);
		CHECK_INT(all.failed, 1);
		CHECK_INT(all.mentions, 2);
		CHECK_INT(all.warnings, ns_taskdata_nwarnings(td));
		const ns_task_doc *d = ns_taskdata_doc(td, 0);
		CHECK_INT(d->ncoarse, 2); /* merged from two lines */
		CHECK_INT(d->mentions[1].start, -1);
		ns_taskdata_free(td);
	}
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.strict = 1;
	CHECK_INT(ns_taskdata_load(&td, dir, &o), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "unknown article 'EN_GONE.txt'") != NULL);
	/* a single language dir works too; the language is its name */
	snprintf(dir, sizeof dir, "%s/tests/golden/corpus/good/PT", src);
	CHECK_INT(ns_taskdata_load(&td, dir, NULL), 0);
	if (td) {
		CHECK_INT(ns_taskdata_ndocs(td), 1);
		CHECK_STR(ns_taskdata_lang(td, 0)->lang, "PT");
		ns_taskdata_free(td);
	}
	CHECK(ns_taskdata_load(&td, "/nonexistent-dir", NULL) < 0);
}

NS_TEST(taskdata__align_direct)
{
	/* "ab\ncd\nÉlan X" : the CRLF offsets of "Élan" are 6+2 = 8..11 */
	const char *t = "ab\ncd\n\xC3\x89lan X";
	int64_t s, e;
	size_t bs, be;
	CHECK_INT(ns_taskdata_align(t, strlen(t), "\xC3\x89lan", 5, 6, 9, &s, &e, &bs, &be), NS_ALIGN_EXACT);
	CHECK_INT(s, 6);
	CHECK_INT(e, 10);
	CHECK_INT(bs, 6);
	CHECK_INT(be, 11);
	CHECK_INT(ns_taskdata_align(t, strlen(t), "\xC3\x89lan", 5, 8, 11, &s, &e, &bs, &be), NS_ALIGN_CRLF);
	CHECK_INT(s, 6);
	CHECK_INT(ns_taskdata_align(t, strlen(t), "X", 1, 0, 0, &s, &e, &bs, &be), NS_ALIGN_NEAREST);
	CHECK_INT(s, 11);
	CHECK_INT(ns_taskdata_align(t, strlen(t), "Q", 1, 0, 0, &s, &e, &bs, &be), NS_ALIGN_NONE);
	/* nearest picks the closer of two occurrences */
	const char *u = "xx ab yy ab zz ab";
	CHECK_INT(ns_taskdata_align(u, strlen(u), "ab", 2, 10, 11, &s, &e, &bs, &be), NS_ALIGN_NEAREST);
	CHECK_INT(s, 9);
}

NS_TEST(taskdata__taxonomy_user_lists)
{
	char dir[1024];
	ns_taxonomy *t = NULL;
	snprintf(dir, sizeof dir, "%s/tests/golden/corpus/taxonomy-min", ns_test_src());
	CHECK_INT(ns_taxonomy_load(&t, dir), 0);
	if (!t)
		return;
	/* CRLF and blank lines ignored; no roles.tsv gives zero roles */
	CHECK_INT(ns_taxonomy_ncoarse(t), 5);
	CHECK_STR(ns_taxonomy_coarse(t, 1), "TST: Alpha beta");
	CHECK_INT(ns_taxonomy_nfine(t), 6);
	CHECK_INT(ns_taxonomy_nmain_roles(t), 0);
	CHECK_INT(ns_taxonomy_nfine_roles(t), 0);
	/* parents: "TST: Alpha beta: Two" is not under "TST: Alpha"; the longest
	 * coarse prefix wins ("X: A: B: C" under "X: A: B"); unmatched gives -1 */
	CHECK_INT(ns_taxonomy_fine_parent(t, 0), 0);
	CHECK_INT(ns_taxonomy_fine_parent(t, 1), 1);
	CHECK_INT(ns_taxonomy_fine_parent(t, 2), 3);
	CHECK_INT(ns_taxonomy_fine_parent(t, 3), 2);
	CHECK_INT(ns_taxonomy_fine_parent(t, 4), -1);
	CHECK_INT(ns_taxonomy_fine_parent(t, 5), 4);
	CHECK_INT(ns_taxonomy_find_fine(t, "X: A: D", 7), 3);
	CHECK_INT(ns_taxonomy_find_coarse(t, "X: A: D", 7), -1);
	/* descriptions: full labels from the file name's domain */
	CHECK_INT(ns_taxonomy_ndesc(t), 3);
	const ns_taxonomy_desc *d = ns_taxonomy_desc_at(t, 0);
	CHECK_STR(d->domain, "TST");
	CHECK_STR(d->coarse, "TST: Alpha");
	CHECK_STR(d->fine, "TST: Alpha: One");
	CHECK_INT(d->coarse_idx, 0);
	CHECK_INT(d->fine_idx, 0);
	d = ns_taxonomy_desc_at(t, 1);
	CHECK(d->fine == NULL);
	CHECK_INT(d->coarse_idx, 1);
	d = ns_taxonomy_desc_at(t, 2);
	CHECK_INT(d->coarse_idx, -1);
	CHECK_INT(d->fine_idx, -1);
	ns_taxonomy_free(t);

	snprintf(dir, sizeof dir, "%s/tests/golden/corpus/taxonomy-dup", ns_test_src());
	CHECK_INT(ns_taxonomy_load(&t, dir), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "narratives.txt:3: duplicate label 'TST: Alpha'") != NULL);
	CHECK(ns_taxonomy_load(&t, "/nonexistent-taxonomy") < 0);

	/* from in-memory lists (as read back from a model bundle) */
	const char *co[] = {"A", "Other"}, *fi[] = {"A: x", "Other"}, *mr[] = {"P", "Q"}, *fr[] = {"p1", "q1"};
	const int32_t fm[] = {0, 1}, bad[] = {0, 2};
	CHECK_INT(ns_taxonomy_from_lists(&t, co, 2, fi, 2, mr, 2, fr, fm, 2), 0);
	if (t) {
		CHECK_INT(ns_taxonomy_fine_parent(t, 0), 0);
		CHECK_INT(ns_taxonomy_fine_parent(t, 1), 1);
		CHECK_INT(ns_taxonomy_fine_role_main(t, 1), 1);
		CHECK_INT(ns_taxonomy_find_fine_role(t, "q1", 2), 1);
		ns_taxonomy_free(t);
	}
	CHECK_INT(ns_taxonomy_from_lists(&t, co, 2, fi, 2, mr, 2, fr, bad, 2), NS_EINVAL);
	ns_taxonomy_free(NULL);
}

NS_TEST(taskdata__fixture_document_problems)
{
	char dir[1024];
	ns_taskdata *td = NULL;
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.max_doc_bytes = 100;
	snprintf(dir, sizeof dir, "%s/tests/golden/corpus/docs", ns_test_src());
	int rc = ns_taskdata_load(&td, dir, &o);
	if (rc < 0)
		fprintf(stderr, "  %s\n", ns_error_last());
	CHECK_INT(rc, 0);
	if (!td)
		return;
	/* EN_D_2 (NUL) and EN_D_4 (over 100 bytes) skipped; .hidden and .md ignored */
	CHECK_INT(ns_taskdata_ndocs(td), 3);
	CHECK(has_warning(td, "EN_D_2.txt: NUL byte in document (document skipped)"));
	CHECK(has_warning(td, "EN_D_4.txt: 252 bytes exceeds the limit of 100 bytes (document skipped)"));
	CHECK(has_warning(td, "EN_D_1.txt: 1 invalid UTF-8 bytes repaired to U+FFFD"));
	CHECK(has_warning(td, "subtask-1-annotations.txt:2: unknown article 'EN_D_2.txt'"));
	CHECK(has_warning(td, "subtask-2-annotations.txt: no annotation lines"));
	CHECK(has_warning(td, "duplicate article id 'EN_D_3.txt'"));
	const ns_task_doc *d = ns_taskdata_doc(td, 0);
	CHECK_STR(d->id, "EN_D_1.txt");
	CHECK_INT(d->nrepaired, 1);
	CHECK_INT(d->nmentions, 1);
	if (d->nmentions == 1) {
		/* the repaired byte is one code point (U+FFFD, 3 bytes): offsets stay exact */
		CHECK_INT(d->mentions[0].align, NS_ALIGN_EXACT);
		CHECK_INT(d->mentions[0].start, 11);
		CHECK_INT(d->mentions[0].byte_start, 13);
	}
	CHECK_STR(ns_taskdata_doc(td, 2)->lang, "PT");
	CHECK_INT(ns_taskdata_find(td, "EN_D_3.txt"), 1); /* the first one */
	ns_taskdata_free(td);
	o.strict = 1;
	CHECK_INT(ns_taskdata_load(&td, dir, &o), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "EN_D_1.txt: 1 invalid UTF-8 bytes repaired") != NULL);
	o.strict = 0;
	o.only_lang = "pt";
	CHECK_INT(ns_taskdata_load(&td, dir, &o), 0);
	if (td) {
		CHECK_INT(ns_taskdata_ndocs(td), 1);
		ns_taskdata_free(td);
	}
	o.only_lang = "XX";
	CHECK_INT(ns_taskdata_load(&td, dir, &o), NS_ENOTFOUND);
}

/* The aligner's nearest-occurrence search (outwards from the offset, in doubling
 * windows) against a scan of every occurrence: a 32,000-code-point text of Latin,
 * accented and Cyrillic pieces, keys that occur often, rarely, inside other keys
 * and never, at offsets before, inside and past the text. */
NS_TEST(taskdata__aligner_nearest_matches_full_scan)
{
	static const char *const piece[] = {"ab", " ", "\xC3\xA9", "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD", "x", "aab", "."};
	static const char *const keys[] = {"ab", "\xC3\xA9 ab", "\xD0\x9F\xD1\x83", "x.x", "aab.", "zz"};
	ns_buf b = NS_BUF_INIT;
	uint64_t r = 11;
	for (int i = 0; i < 16000; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		ns_buf_puts(&b, piece[(r >> 33) % 7]);
	}
	const char *t = b.ptr;
	size_t len = b.size, ncp = ns_utf8_count(t, len);
	size_t *cp2b = malloc((ncp + 1) * sizeof *cp2b);
	CHECK(cp2b != NULL && !ns_buf_failed(&b));
	if (!cp2b || ns_buf_failed(&b)) {
		free(cp2b);
		ns_buf_free(&b);
		return;
	}
	for (size_t q = 0, i = 0; i <= len; q++) {
		cp2b[q] = i;
		if (i == len)
			break;
		uint32_t cp;
		bool bad;
		i += ns_utf8_decode(t + i, len - i, &cp, &bad);
	}
	ns_taskdata_aligner *a = NULL;
	CHECK_INT(ns_taskdata_aligner_new(&a, t, len), 0);
	int bad = 0;
	for (size_t k = 0; a && k < sizeof keys / sizeof *keys; k++) {
		size_t kl = strlen(keys[k]), kcp = ns_utf8_count(keys[k], kl);
		for (int j = 0; j < 300; j++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			int64_t start = (int64_t)((r >> 33) % (ncp + 200)) - 100;
			/* reference: exact at the offsets, else the nearest code point start */
			int want = NS_ALIGN_NONE;
			int64_t ws = -1, best_d = 0;
			if (start >= 0 && (size_t)start + kcp <= ncp && cp2b[start + (int64_t)kcp] - cp2b[start] == kl &&
			    memcmp(t + cp2b[start], keys[k], kl) == 0) {
				want = NS_ALIGN_EXACT;
				ws = start;
			} else {
				for (size_t q = 0; q + kcp <= ncp; q++) {
					if (cp2b[q + kcp] - cp2b[q] != kl || memcmp(t + cp2b[q], keys[k], kl) != 0)
						continue;
					int64_t d = (int64_t)q > start ? (int64_t)q - start : start - (int64_t)q;
					if (ws < 0 || d < best_d) {
						ws = (int64_t)q;
						best_d = d;
					}
				}
				if (ws >= 0)
					want = NS_ALIGN_NEAREST;
			}
			int64_t s = -1, e = -1;
			size_t bs, be;
			int got = ns_taskdata_aligner_align(a, keys[k], kl, start, start + (int64_t)kcp - 1, &s, &e, &bs, &be);
			if (got != want || (want != NS_ALIGN_NONE && (s != ws || e != ws + (int64_t)kcp))) {
				if (bad++ < 5)
					ns_test_fail(__FILE__, __LINE__, "key %zu at %lld: kind %d start %lld, expected %d %lld", k,
						     (long long)start, got, (long long)s, want, (long long)ws);
			}
		}
	}
	CHECK_INT(bad, 0);
	ns_taskdata_aligner_free(a);
	free(cp2b);
	ns_buf_free(&b);
}
