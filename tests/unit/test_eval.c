/* Tests of the official metrics (src/eval/) against hand-computed values on the
 * fixtures in tests/golden/eval/, of their error cases, of the in-memory API
 * used by cross-validation code, and of `narrascope eval` output lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "eval/eval.h"
#include "io/taxonomy.h"
#include "io/tsv.h"
#include "test.h"
#include "util/util.h"

#define EPS 1e-12

static const char *fx(const char *name)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/tests/golden/eval/%s", ns_test_src(), name);
	return buf[k];
}

static ns_taxonomy *fx_taxonomy(void)
{
	ns_taxonomy *t = NULL;
	if (ns_taxonomy_load(&t, fx("taxonomy")) < 0)
		fprintf(stderr, "  %s\n", ns_error_last());
	return t;
}

/* Scores a framing prediction fixture; returns the rc. */
static int framing(ns_eval_framing *r, const char *pred, const ns_taxonomy *tax)
{
	ns_tsv_roles *g = NULL, *p = NULL;
	ns_tsv_opts to = NS_TSV_OPTS_INIT;
	to.taxonomy = tax;
	int rc = ns_tsv_read_roles(&g, fx("framing-gold.tsv"), &to);
	if (rc == 0)
		rc = ns_tsv_read_roles(&p, fx(pred), &to);
	if (rc == 0)
		rc = ns_eval_framing_tables(r, g, p, NULL);
	ns_tsv_roles_free(g);
	ns_tsv_roles_free(p);
	return rc;
}

NS_TEST(eval__framing_perfect_empty_partial)
{
	ns_taxonomy *tax = fx_taxonomy();
	ns_eval_framing r;
	CHECK(tax != NULL);
	/* perfect, in another order and with the quotes of "Vel" dropped (same key) */
	CHECK_INT(framing(&r, "framing-pred-perfect.tsv", tax), 0);
	CHECK_NEAR(r.emr, 1.0, EPS);
	CHECK_NEAR(r.micro_f1, 1.0, EPS);
	CHECK_NEAR(r.main_acc, 1.0, EPS);
	CHECK_INT(r.tp, 7);
	/* empty: no predicted role, so precision is 0/0 -> 1 (zero_division=1), recall 0/7 */
	CHECK_INT(framing(&r, "framing-pred-empty.tsv", tax), 0);
	CHECK_NEAR(r.emr, 0.0, EPS);
	CHECK_NEAR(r.micro_p, 1.0, EPS);
	CHECK_NEAR(r.micro_r, 0.0, EPS);
	CHECK_NEAR(r.micro_f1, 0.0, EPS);
	CHECK_NEAR(r.main_acc, 0.0, EPS);
	CHECK_INT(r.n_missing, 5);
	/* partial: Kora exact; Vel fine roles in the other order (not exact, tp 2);
	 * Orin wrong main role (fp Tyrant, fn Victim); Sefa extra Tyrant (tp 1, fp 1);
	 * Tamo missing (fn 2). EMR 1/5, acc 3/5, P 4/6, R 4/7, F1 8/13. */
	CHECK_INT(framing(&r, "framing-pred-partial.tsv", tax), 0);
	CHECK_NEAR(r.emr, 0.2, EPS);
	CHECK_INT(r.tp, 4);
	CHECK_INT(r.fp, 2);
	CHECK_INT(r.fn, 3);
	CHECK_NEAR(r.micro_p, 4.0 / 6.0, EPS);
	CHECK_NEAR(r.micro_r, 4.0 / 7.0, EPS);
	CHECK_NEAR(r.micro_f1, 8.0 / 13.0, EPS);
	CHECK_NEAR(r.main_acc, 0.6, EPS);
	CHECK_INT(r.n_missing, 1);
	ns_taxonomy_free(tax);
}

NS_TEST(eval__framing_errors)
{
	static const struct { const char *file, *msg; } cases[] = {
		{"framing-pred-unknown-key.tsv", "framing-pred-unknown-key.tsv:2: mention 'Kora' 1-3 of A.txt is not in the gold file"},
		{"framing-pred-unknown-id.tsv", "framing-pred-unknown-id.tsv:1: article id 'Z.txt' is not in the gold file"},
		{"framing-pred-unknown-role.tsv", "framing-pred-unknown-role.tsv:1: unknown fine role 'Hero'"},
		{"framing-pred-wrong-main.tsv", "framing-pred-wrong-main.tsv:1: fine role 'Guardian' does not belong to main role 'Antagonist'"},
		{"framing-pred-columns.tsv", "framing-pred-columns.tsv:2: 5 columns"},
		{"framing-pred-duplicate.tsv", "framing-pred-duplicate.tsv:2: mention 'Orin' 20-23 of A.txt predicted twice"},
	};
	ns_taxonomy *tax = fx_taxonomy();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ns_tsv_roles *g = NULL, *p = NULL;
		ns_tsv_opts to = NS_TSV_OPTS_INIT;
		to.taxonomy = tax;
		ns_eval_opts eo = NS_EVAL_OPTS_INIT;
		eo.pred_name = cases[i].file;
		ns_eval_framing r;
		int rc = ns_tsv_read_roles(&g, fx("framing-gold.tsv"), &to);
		CHECK_INT(rc, 0);
		char *data;
		size_t len;
		CHECK_INT(ns_file_read(&data, &len, fx(cases[i].file), 0), 0);
		rc = ns_tsv_parse_roles_mem(&p, data, len, cases[i].file, &to);
		if (rc == 0)
			rc = ns_eval_framing_tables(&r, g, p, &eo);
		CHECK_INT(rc, NS_EFORMAT);
		if (!strstr(ns_error_last(), cases[i].msg))
			ns_test_fail(__FILE__, __LINE__, "'%s' lacks '%s'", ns_error_last(), cases[i].msg);
		free(data);
		ns_tsv_roles_free(g);
		ns_tsv_roles_free(p);
	}
	/* --strict: a gold mention without prediction is an error */
	ns_tsv_roles *g = NULL, *p = NULL;
	ns_eval_opts eo = NS_EVAL_OPTS_INIT;
	eo.strict = 1;
	ns_eval_framing r;
	CHECK_INT(ns_tsv_read_roles(&g, fx("framing-gold.tsv"), NULL), 0);
	CHECK_INT(ns_tsv_read_roles(&p, fx("framing-pred-partial.tsv"), NULL), 0);
	CHECK_INT(ns_eval_framing_tables(&r, g, p, &eo), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "gold:5: mention 'Tamo' 30-33 of B.txt has no prediction") != NULL);
	ns_tsv_roles_free(g);
	ns_tsv_roles_free(p);
	ns_taxonomy_free(tax);
}

NS_TEST(eval__framing_items_in_memory)
{
	const char *g1[] = {"Tyrant", "Deceiver"}, *p1[] = {"Tyrant", "Tyrant"};
	const char *g2[] = {"Victim"};
	ns_eval_roles gold[] = {{"Antagonist", g1, 2}, {"Innocent", g2, 1}};
	/* a fine role repeated in a prediction counts once; no prediction for item 2 */
	ns_eval_roles pred[] = {{"Antagonist", p1, 2}, {NULL, NULL, 0}};
	ns_eval_framing r;
	ns_eval_framing_items(&r, gold, pred, 2);
	CHECK_NEAR(r.emr, 0.0, EPS);
	CHECK_NEAR(r.main_acc, 0.5, EPS);
	CHECK_INT(r.tp, 1);
	CHECK_INT(r.fp, 0);
	CHECK_INT(r.fn, 2);
	CHECK_NEAR(r.micro_p, 1.0, EPS);
	CHECK_NEAR(r.micro_r, 1.0 / 3.0, EPS);
	CHECK_NEAR(r.micro_f1, 0.5, EPS);
	/* zero items: P = R = F1 = 1 by zero_division, EMR and accuracy 0 */
	ns_eval_framing_items(&r, gold, pred, 0);
	CHECK_NEAR(r.micro_f1, 1.0, EPS);
	CHECK_NEAR(r.emr, 0.0, EPS);
}

static int narratives(ns_eval_narratives *r, const char *pred, const ns_taxonomy *tax)
{
	ns_tsv_narrs *g = NULL, *p = NULL;
	int rc = ns_tsv_read_narrs(&g, fx("narratives-gold.tsv"), NULL);
	if (rc == 0)
		rc = ns_tsv_read_narrs(&p, fx(pred), NULL);
	if (rc == 0)
		rc = ns_eval_narratives_tables(r, g, p, tax, NULL);
	ns_tsv_narrs_free(g);
	ns_tsv_narrs_free(p);
	return rc;
}

NS_TEST(eval__narratives_perfect_empty_partial)
{
	ns_taxonomy *tax = fx_taxonomy();
	ns_eval_narratives r;
	if (!tax)
		NS_SKIP("fixture taxonomy missing");
	/* perfect: A-D score 1; E has only labels outside the lists, so both vectors
	 * are all-zero and the article scores 0: mean 0.8, std 0.4 */
	CHECK_INT(narratives(&r, "narratives-pred-perfect.tsv", tax), 0);
	CHECK_NEAR(r.coarse.mean, 0.8, EPS);
	CHECK_NEAR(r.coarse.std, 0.4, 1e-12);
	CHECK_NEAR(r.fine.mean, 0.8, EPS);
	CHECK_NEAR(r.fine.std, 0.4, 1e-12);
	CHECK_INT(r.n_ignored, 8);
	CHECK_INT(r.coarse.n, 5);
	/* empty prediction file: every article 0 */
	CHECK_INT(narratives(&r, "narratives-pred-empty.tsv", tax), 0);
	CHECK_NEAR(r.coarse.mean, 0.0, EPS);
	CHECK_NEAR(r.fine.std, 0.0, EPS);
	CHECK_INT(r.n_missing, 5);
	/* partial: coarse A 2/3 (Beta missed), B 0 (Other vs Beta), C 2/3 (extra Other;
	 * the repeated Gamma counts once), D and E missing 0 -> mean 4/15;
	 * fine A 1/2, B 0 (Other vs Beta: Other), C 1, D 0, E 0 -> mean 0.3, std 0.4 */
	CHECK_INT(narratives(&r, "narratives-pred-partial.tsv", tax), 0);
	CHECK_NEAR(r.coarse.mean, 4.0 / 15.0, EPS);
	double m = 4.0 / 15.0, v = (2 * (2.0 / 3 - m) * (2.0 / 3 - m) + 3 * m * m) / 5;
	CHECK_NEAR(r.coarse.std * r.coarse.std, v, 1e-12);
	CHECK_NEAR(r.fine.mean, 0.3, EPS);
	CHECK_NEAR(r.fine.std, 0.4, 1e-12);
	CHECK_INT(r.n_missing, 2);
	CHECK_INT(r.n_ignored, 4);
	ns_taxonomy_free(tax);
}

NS_TEST(eval__narratives_errors)
{
	static const struct { const char *file, *msg; } cases[] = {
		{"narratives-pred-unknown-id.tsv", "narratives-pred-unknown-id.tsv:1: article id 'Q.txt' is not in the gold file"},
		{"narratives-pred-columns.tsv", "narratives-pred-columns.tsv:1: 2 columns, expected 3"},
		{"narratives-pred-duplicate.tsv", "narratives-pred-duplicate.tsv:2: article id 'A.txt' repeats line 1"},
	};
	ns_taxonomy *tax = fx_taxonomy();
	if (!tax)
		NS_SKIP("fixture taxonomy missing");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ns_tsv_narrs *g = NULL, *p = NULL;
		ns_eval_opts eo = NS_EVAL_OPTS_INIT;
		eo.pred_name = cases[i].file;
		ns_eval_narratives r;
		char *data;
		size_t len;
		CHECK_INT(ns_tsv_read_narrs(&g, fx("narratives-gold.tsv"), NULL), 0);
		CHECK_INT(ns_file_read(&data, &len, fx(cases[i].file), 0), 0);
		int rc = ns_tsv_parse_narrs_mem(&p, data, len, cases[i].file, NULL);
		if (rc == 0)
			rc = ns_eval_narratives_tables(&r, g, p, tax, &eo);
		CHECK_INT(rc, NS_EFORMAT);
		if (!strstr(ns_error_last(), cases[i].msg))
			ns_test_fail(__FILE__, __LINE__, "'%s' lacks '%s'", ns_error_last(), cases[i].msg);
		free(data);
		ns_tsv_narrs_free(g);
		ns_tsv_narrs_free(p);
	}
	ns_taxonomy_free(tax);
}

NS_TEST(eval__f1_samples_in_memory)
{
	/* classes 0..3; index 9 is outside and ignored; repeats count once */
	const int32_t g0[] = {0, 1}, p0[] = {1, 1, 2}, g1[] = {9}, p1[] = {9}, g2[] = {3}, p2[] = {3};
	const int32_t *gs[] = {g0, g1, g2}, *ps[] = {p0, p1, p2};
	size_t gc[] = {2, 1, 1}, pc[] = {3, 1, 1};
	double per[3];
	ns_eval_samples s;
	CHECK_INT(ns_eval_f1_samples_idx(&s, gs, gc, ps, pc, 3, 4, per), 0);
	CHECK_NEAR(per[0], 0.5, EPS); /* tp 1, fp 1, fn 1 */
	CHECK_NEAR(per[1], 0.0, EPS); /* nothing inside the class list */
	CHECK_NEAR(per[2], 1.0, EPS);
	CHECK_NEAR(s.mean, 0.5, EPS);
	CHECK_NEAR(s.std * s.std, (0.0 + 0.25 + 0.25) / 3.0, EPS);
	CHECK_NEAR(ns_eval_f1_set(g0, 2, p0, 3, 4), 0.5, EPS);
	CHECK_NEAR(ns_eval_f1_set(NULL, 0, NULL, 0, 4), 0.0, EPS);
}

NS_TEST(eval__explanations_text_metrics)
{
	double r, t;
	/* hand-computed: LCS 4 of 8/8 tokens -> 0.5; overlap 6 (the x3, mayor,
	 * council, flood) -> 0.75 */
	const char *ref = "The mayor blames the council for the flood.";
	const char *hyp = "The council, says the mayor, caused the flood!";
	CHECK_INT(ns_eval_rouge_l(&r, ref, strlen(ref), hyp, strlen(hyp)), 0);
	CHECK_NEAR(r, 0.5, EPS);
	CHECK_INT(ns_eval_token_f1(&t, ref, strlen(ref), hyp, strlen(hyp)), 0);
	CHECK_NEAR(t, 0.75, EPS);
	/* Cyrillic lower-casing; the dash separates */
	const char *r2 = "Президент Ивана ПОХВАЛИЛ", *h2 = "президент — похвалил";
	CHECK_INT(ns_eval_rouge_l(&r, r2, strlen(r2), h2, strlen(h2)), 0);
	CHECK_NEAR(r, 0.8, EPS);
	/* Devanagari vowel signs (category Mc/Mn) stay inside the word */
	const char *r3 = "\xE0\xA4\xAE\xE0\xA5\x8B\xE0\xA4\xA6\xE0\xA5\x80 \xE0\xA4\xA8\xE0\xA5\x87";
	const char *h3 = "\xE0\xA4\xAE\xE0\xA5\x8B\xE0\xA4\xA6\xE0\xA5\x80";
	CHECK_INT(ns_eval_token_f1(&t, r3, strlen(r3), h3, strlen(h3)), 0);
	CHECK_NEAR(t, 2.0 / 3.0, EPS); /* P 1, R 1/2 */
	/* empty rules */
	CHECK_INT(ns_eval_rouge_l(&r, "", 0, "", 0), 0);
	CHECK_NEAR(r, 1.0, EPS);
	CHECK_INT(ns_eval_rouge_l(&r, "a", 1, "...", 3), 0);
	CHECK_NEAR(r, 0.0, EPS);

	ns_tsv_expls *g = NULL, *p = NULL;
	ns_eval_explanations e;
	CHECK_INT(ns_tsv_read_expls(&g, fx("explanations-gold.tsv"), NULL), 0);
	CHECK_INT(ns_tsv_read_expls(&p, fx("explanations-pred-partial.tsv"), NULL), 0);
	if (g && p) {
		CHECK_INT(ns_eval_explanations_tables(&e, g, p, NULL), 0);
		CHECK_NEAR(e.rouge_l, 1.3 / 3.0, EPS);
		CHECK_NEAR(e.token_f1, 1.55 / 3.0, EPS);
		CHECK_INT(e.n_missing, 1);
	}
	ns_tsv_expls_free(p);
	p = NULL;
	CHECK_INT(ns_tsv_read_expls(&p, fx("explanations-pred-columns.tsv"), NULL), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "explanations-pred-columns.tsv:1: 3 columns, expected 4") != NULL);
	ns_tsv_expls_free(g);
}

NS_TEST(eval__tsv_writers_roundtrip)
{
	ns_buf b = NS_BUF_INIT;
	const char *fr[] = {"Tyrant", "Deceiver"};
	const char *co[] = {"TST: Alpha"}, *fi[] = {"TST: Alpha: One"};
	ns_tsv_write_role(&b, "EN_UA_1.txt", "Vel\tX", 3, 7, "Antagonist", fr, 2);
	ns_tsv_write_narr(&b, "EN_UA_1.txt", co, 1, fi, 1);
	ns_tsv_write_narr(&b, "EN_UA_2.txt", NULL, 0, NULL, 0);
	CHECK(!ns_buf_failed(&b));
	CHECK_STR(b.ptr, "EN_UA_1.txt\tVel X\t3\t7\tAntagonist\tTyrant\tDeceiver\n"
			 "EN_UA_1.txt\tTST: Alpha\tTST: Alpha: One\nEN_UA_2.txt\tOther\tOther\n");
	ns_tsv_roles *r = NULL;
	size_t first = strchr(b.ptr, '\n') - b.ptr + 1;
	CHECK_INT(ns_tsv_parse_roles_mem(&r, b.ptr, first, "w", NULL), 0);
	if (r) {
		CHECK_INT(r->n, 1);
		CHECK_INT(r->rows[0].end, 7);
		CHECK_INT(r->rows[0].nfine_roles, 2);
		ns_tsv_roles_free(r);
	}
	ns_buf_clear(&b);
	ns_tsv_write_expl(&b, "A.txt", "Other", "Other", "two\nlines", 9);
	CHECK_STR(b.ptr, "A.txt\tOther\tOther\ttwo lines\n");
	ns_buf_free(&b);
}

/* The CLI prints exactly the lines of tests/golden/eval/expected.txt. */
NS_TEST(eval__cli_matches_expected)
{
	const char *bin = ns_test_bin();
	if (!bin || !*bin)
		NS_SKIP("NS_BIN not set");
	char *exp;
	size_t len;
	CHECK_INT(ns_file_read(&exp, &len, fx("expected.txt"), 0), 0);
	if (!exp)
		return;
	int n = 0;
	for (char *line = strtok(exp, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		char task[32], kase[32], cmd[4096], out[256] = "";
		int off = 0;
		if (sscanf(line, "%31s %31s %n", task, kase, &off) < 2)
			continue;
		char pred[128];
		snprintf(pred, sizeof pred, "%s-pred-%s.tsv", task, kase);
		snprintf(cmd, sizeof cmd, "'%s' eval --task %s --gold '%s/tests/golden/eval/%s-gold.tsv' "
			 "--pred '%s/tests/golden/eval/%s' --taxonomy '%s/tests/golden/eval/taxonomy' 2>&1",
			 bin, task, ns_test_src(), task, ns_test_src(), pred, ns_test_src());
		FILE *f = popen(cmd, "r");
		if (!f || !fgets(out, sizeof out, f))
			out[0] = '\0';
		int st = f ? pclose(f) : -1;
		out[strcspn(out, "\n")] = '\0';
		if (strcmp(out, line + off) != 0 || st != 0)
			ns_test_fail(__FILE__, __LINE__, "%s %s: got '%s' (status %d), expected '%s'", task, kase, out,
				     st, line + off);
		n++;
	}
	CHECK_INT(n, 8);
	free(exp);
	/* errors exit 1 with file:line; usage errors exit 2 */
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "'%s' eval --task framing --gold '%s' --pred '%s' --taxonomy '%s' >/dev/null 2>&1",
		 bin, fx("framing-gold.tsv"), fx("framing-pred-unknown-role.tsv"), fx("taxonomy"));
	CHECK_INT(WEXITSTATUS(system(cmd)), 1);
	snprintf(cmd, sizeof cmd, "'%s' eval --task nonsense --gold a --pred b >/dev/null 2>&1", bin);
	CHECK_INT(WEXITSTATUS(system(cmd)), 2);
}
