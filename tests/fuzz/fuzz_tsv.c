/* Fuzz target for the task TSV readers (src/io/tsv.c) and the metrics on what
 * they parse (src/eval/). The first byte picks the reader and strict/lenient
 * mode; the rest is the file. Invariants: parsed rows are well formed, writing
 * them back re-parses to the same rows, and scoring a table against itself
 * gives perfect scores. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "io/taxonomy.h"
#include "io/tsv.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void skip_cb(void *payload, const char *msg)
{
	size_t *n = payload;
	if (!msg)
		abort();
	(*n)++;
}

static void check(int cond)
{
	if (!cond)
		abort();
}

static void fuzz_roles(const char *s, size_t n, ns_tsv_opts *o)
{
	ns_tsv_roles *t = NULL, *t2 = NULL;
	if (ns_tsv_parse_roles_mem(&t, s, n, "fuzz", o) < 0)
		return;
	ns_buf b = NS_BUF_INIT;
	for (size_t i = 0; i < t->n; i++) {
		const ns_tsv_role_row *r = &t->rows[i];
		check(r->article_id && r->mention && r->key && r->start >= 0 && r->start <= r->end);
		check(r->main_role != NULL || o->allow_no_roles);
		ns_tsv_write_role(&b, r->article_id, r->mention, r->start, r->end, r->main_role,
				  (const char *const *)r->fine_roles, r->nfine_roles);
	}
	if (!ns_buf_failed(&b) && ns_tsv_parse_roles_mem(&t2, b.ptr ? b.ptr : "", b.size, "re", o) == 0) {
		check(t2->n == t->n);
		for (size_t i = 0; i < t->n; i++)
			check(t2->rows[i].start == t->rows[i].start && t2->rows[i].nfine_roles == t->rows[i].nfine_roles);
	}
	ns_eval_framing r;
	bool roles = t->n > 0;
	for (size_t i = 0; i < t->n; i++)
		roles = roles && t->rows[i].main_role;
	if (roles && ns_eval_framing_tables(&r, t, t, NULL) == 0)
		check(r.emr == 1.0 && r.micro_f1 == 1.0 && r.main_acc == 1.0);
	ns_buf_free(&b);
	ns_tsv_roles_free(t2);
	ns_tsv_roles_free(t);
}

static void fuzz_narrs(const char *s, size_t n, ns_tsv_opts *o, const ns_taxonomy *tax)
{
	ns_tsv_narrs *t = NULL, *t2 = NULL;
	if (ns_tsv_parse_narrs_mem(&t, s, n, "fuzz", o) < 0)
		return;
	ns_buf b = NS_BUF_INIT;
	for (size_t i = 0; i < t->n; i++) {
		const ns_tsv_narr_row *r = &t->rows[i];
		check(r->article_id != NULL);
		for (size_t k = 0; k < r->ncoarse; k++)
			check(r->coarse[k][0] != '\0');
		ns_tsv_write_narr(&b, r->article_id, (const char *const *)r->coarse, r->ncoarse,
				  (const char *const *)r->fine, r->nfine);
	}
	if (!ns_buf_failed(&b) && ns_tsv_parse_narrs_mem(&t2, b.ptr ? b.ptr : "", b.size, "re", o) == 0)
		check(t2->n == t->n);
	ns_eval_narratives r;
	if (t->n && ns_eval_narratives_tables(&r, t, t, tax, NULL) == 0)
		check(r.coarse.mean >= 0.0 && r.coarse.mean <= 1.0 && r.coarse.std >= 0.0 && r.n_missing == 0);
	ns_buf_free(&b);
	ns_tsv_narrs_free(t2);
	ns_tsv_narrs_free(t);
}

static void fuzz_expls(const char *s, size_t n, ns_tsv_opts *o)
{
	ns_tsv_expls *t = NULL;
	if (ns_tsv_parse_expls_mem(&t, s, n, "fuzz", o) < 0)
		return;
	for (size_t i = 0; i < t->n; i++) {
		const ns_tsv_expl_row *r = &t->rows[i];
		check(r->article_id && r->narrative && r->subnarrative && r->text && !strchr(r->text, '\t'));
		size_t l = strlen(r->text);
		double v;
		if (l < 2000 && ns_eval_rouge_l(&v, r->text, l, r->text, l) == 0)
			check(v == 1.0);
		if (ns_eval_token_f1(&v, r->text, l, r->text, l) == 0)
			check(v == 1.0);
		if (i > 0 && l < 2000 && strlen(t->rows[i - 1].text) < 2000 &&
		    ns_eval_rouge_l(&v, t->rows[i - 1].text, strlen(t->rows[i - 1].text), r->text, l) == 0)
			check(v >= 0.0 && v <= 1.0);
	}
	ns_eval_explanations e;
	if (t->n && n < 4000 && ns_eval_explanations_tables(&e, t, t, NULL) == 0)
		check(e.rouge_l == 1.0 && e.token_f1 == 1.0);
	ns_tsv_expls_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const coarse[] = {"URW: A", "CC: B", "Other"};
	static const char *const fine[] = {"URW: A: x", "CC: B: Other", "Other"};
	static const char *const mains[] = {"Protagonist", "Antagonist", "Innocent"};
	static const char *const froles[] = {"Guardian", "Tyrant", "Victim"};
	static const int32_t fmain[] = {0, 1, 2};
	if (size < 1)
		return 0;
	ns_taxonomy *tax = NULL;
	if (ns_taxonomy_from_lists(&tax, coarse, 3, fine, 3, mains, 3, froles, fmain, 3) < 0)
		abort();
	unsigned sel = data[0];
	const char *s = (const char *)data + 1;
	size_t n = size - 1, skipped = 0;
	ns_tsv_opts o = NS_TSV_OPTS_INIT;
	o.allow_no_roles = (sel >> 2) & 1;
	o.taxonomy = (sel >> 3) & 1 ? tax : NULL;
	if ((sel >> 4) & 1) {
		o.on_skip = skip_cb;
		o.payload = &skipped;
	}
	switch (sel % 3) {
	case 0: fuzz_roles(s, n, &o); break;
	case 1: fuzz_narrs(s, n, &o, tax); break;
	default: fuzz_expls(s, n, &o); break;
	}
	ns_taxonomy_free(tax);
	return 0;
}
