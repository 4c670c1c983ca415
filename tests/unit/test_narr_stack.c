/* Unit tests for the narrative classifier's second stage (narr_stack.c): the
 * ridge fit learns a co-occurrence, cross-fitting never uses a row's own labels,
 * trained models apply it and round-trip it through the narr.stack section, a
 * model without it keeps the old format, and damaged sections are refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/folds.h"
#include "model/bundle.h"
#include "model/ser.h"
#include "narrative/narr.h"
#include "test.h"

static const char *const C[] = {"CC: A", "CC: B", "URW: C", "Other"};
static const char *const F[] = {"CC: A: x", "CC: A: Other", "CC: B: y", "CC: B: Other", "URW: C: z", "URW: C: Other", "Other"};

enum { N = 48 };
typedef struct fixture {
	ns_narr_example ex[N];
	ns_fentry E[N][4];
	int32_t lab_c[N][2], lab_f[N];
	size_t rows[N];
	ns_narr_labels L;
} fixture;

/* Three classes; class-0 articles (every third) also carry narrative B, so A and
 * B co-occur; a shared noisy feature. */
static void fixture_init(fixture *t)
{
	memset(t, 0, sizeof *t);
	ns_narr_labels_init(&t->L, C, 4, F, 7);
	for (int i = 0; i < N; i++) {
		int k = i % 3;
		t->E[i][0] = (ns_fentry){NS_FID(0, 100u + (uint32_t)k), 0.7f};
		t->E[i][1] = (ns_fentry){NS_FID(0, 200u + (uint32_t)(i % 5)), 0.5f};
		t->E[i][2] = (ns_fentry){NS_FID(0, 400u + (uint32_t)(i % 24)), 0.4f};
		t->E[i][3] = (ns_fentry){NS_FID(2, 300u + (uint32_t)k), 0.33f};
		t->ex[i].x.e = t->E[i];
		t->ex[i].x.n = 4;
		t->lab_c[i][0] = k;
		t->ex[i].ncoarse = 1;
		if (k == 0) {
			t->lab_c[i][1] = 1;
			t->ex[i].ncoarse = 2;
		}
		t->lab_f[i] = k == 0 ? 0 : k == 1 ? 2 : 4;
		t->ex[i].coarse = t->lab_c[i];
		t->ex[i].fine = &t->lab_f[i];
		t->ex[i].nfine = 1;
		t->ex[i].domain = k == 2 ? 1 : 0;
		t->ex[i].weight = 1;
		t->rows[i] = (size_t)i;
	}
}

static ns_narr_model *train(fixture *t, const char *params, int threads)
{
	ns_narr_params p;
	ns_narr_params_default(&p);
	p.min_df = 1;
	if (ns_narr_params_parse(&p, params) < 0)
		return NULL;
	ns_narr_model *m = NULL;
	ns_narr_train_ctx ctx = {threads, 0, NULL};
	if (ns_narr_train(&m, &t->L, t->ex, t->rows, N, &p, &ctx) < 0)
		return NULL;
	return m;
}

/* Serialises m; with replace, section narr.stack becomes `sec` (NULL: dropped). */
static int bytes_of(char **out, size_t *len, const ns_narr_model *m, const void *sec, size_t sec_len, int replace)
{
	ns_bundle_writer *w = NULL, *w2 = NULL;
	ns_bundle *b = NULL;
	char *raw = NULL;
	size_t rawlen = 0;
	int rc, seen = 0;
	if ((rc = ns_bundle_writer_new(&w)) < 0 || (rc = ns_narr_model_save(m, w)) < 0 ||
	    (rc = ns_bundle_writer_serialize(w, &raw, &rawlen)) < 0)
		goto cleanup;
	if (!replace) {
		*out = raw;
		*len = rawlen;
		raw = NULL;
		goto cleanup;
	}
	if ((rc = ns_bundle_open_mem(&b, raw, rawlen, "mem")) < 0 || (rc = ns_bundle_writer_new(&w2)) < 0)
		goto cleanup;
	for (size_t i = 0; i < ns_bundle_nsections(b); i++) {
		size_t n;
		const char *name = ns_bundle_section_at(b, i, &n);
		const void *d;
		ns_bundle_section(b, name, &d, &n);
		if (strcmp(name, "narr.stack") == 0) {
			seen = 1;
			if (sec && (rc = ns_bundle_writer_add(w2, name, sec, sec_len)) < 0)
				goto cleanup;
		} else if ((rc = ns_bundle_writer_add(w2, name, d, n)) < 0) {
			goto cleanup;
		}
	}
	if (!seen && sec && (rc = ns_bundle_writer_add(w2, "narr.stack", sec, sec_len)) < 0)
		goto cleanup;
	rc = ns_bundle_writer_serialize(w2, out, len);
cleanup:
	ns_bundle_close(b);
	ns_bundle_writer_free(w);
	ns_bundle_writer_free(w2);
	free(raw);
	return rc;
}

static int load_rc(const char *bytes, size_t len)
{
	ns_bundle *b = NULL;
	ns_narr_model *m = NULL;
	int rc = ns_bundle_open_mem(&b, bytes, len, "mem");
	if (rc == 0)
		rc = ns_narr_model_load(&m, b);
	ns_narr_model_free(m);
	ns_bundle_close(b);
	return rc;
}

/* A hand-made two-head model: head 0 (narrative A) is scored well, head 1
 * (narrative B, present exactly with A) has a useless first stage. */
NS_TEST(narr__stack_fit_learns_cooccurrence)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model m;
	memset(&m, 0, sizeof m);
	ns_narr_head heads[2] = {{NS_HEAD_COARSE, 0}, {NS_HEAD_COARSE, 1}};
	m.heads = heads;
	m.nheads = 2;
	ns_narr_params_default(&m.p);
	m.p.stack = 1;
	m.p.stack_l2 = 1e-3;
	float S[N * 2];
	uint64_t st = 7;
	static int32_t ab[2] = {0, 1}, c2[1] = {2};
	for (int i = 0; i < N; i++) {
		t.ex[i].coarse = i % 3 == 0 ? ab : c2; /* B exactly with A */
		t.ex[i].ncoarse = i % 3 == 0 ? 2 : 1;
		double noise = (double)(ns_splitmix64(&st) % 1000) / 1000.0 - 0.5;
		S[i * 2] = (float)((i % 3 == 0 ? 1.0 : -1.0) + 0.3 * noise);
		S[i * 2 + 1] = (float)(0.2 * noise);
	}
	ns_narr_stack *sk = NULL;
	CHECK_INT(ns_narr__stack_fit(&sk, &m, S, t.ex, t.rows, N, NULL, 0), 0);
	CHECK(sk != NULL);
	if (!sk) {
		ns_narr_labels_free(&t.L);
		return;
	}
	CHECK_INT(sk->nh, 2);
	/* B's correction leans on A's score */
	CHECK(sk->A[1 * 3 + 0] > 0.5f);
	/* after the stage B's score separates its positives from its negatives */
	float tmp[2];
	double minpos = 1e9, maxneg = -1e9, before_pos = 1e9, before_neg = -1e9;
	for (int i = 0; i < N; i++) {
		float s[2] = {S[i * 2], S[i * 2 + 1]};
		ns_narr__stack_apply(sk, s, tmp);
		if (i % 3 == 0) {
			minpos = fmin(minpos, s[1]);
			before_pos = fmin(before_pos, S[i * 2 + 1]);
		} else {
			maxneg = fmax(maxneg, s[1]);
			before_neg = fmax(before_neg, S[i * 2 + 1]);
		}
	}
	CHECK(minpos > maxneg);
	CHECK(!(before_pos > before_neg));
	ns_narr_stack_free(sk);
	/* fewer than two rows: the identity */
	sk = NULL;
	CHECK_INT(ns_narr__stack_fit(&sk, &m, S, t.ex, t.rows, 1, NULL, 0), 0);
	if (sk) {
		float s[2] = {0.25f, -0.5f};
		ns_narr__stack_apply(sk, s, tmp);
		CHECK(s[0] == 0.25f && s[1] == -0.5f);
	}
	ns_narr_stack_free(sk);
	ns_narr_labels_free(&t.L);
}

/* A row's cross-fitted score never depends on its own labels (nor on those of
 * its fold); changing another fold's labels does change it. */
NS_TEST(narr__stack_crossfit_is_out_of_fold)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model m;
	memset(&m, 0, sizeof m);
	ns_narr_head heads[3] = {{NS_HEAD_COARSE, 0}, {NS_HEAD_COARSE, 1}, {NS_HEAD_COARSE, 2}};
	m.heads = heads;
	m.nheads = 3;
	ns_narr_params_default(&m.p);
	m.p.stack = 1;
	float S[N * 3], o1[N * 3], o2[N * 3], o3[N * 3];
	int fold[N];
	uint64_t st = 11;
	for (int i = 0; i < N; i++) {
		fold[i] = (i / 2) % 4;
		for (int h = 0; h < 3; h++)
			S[i * 3 + h] = (float)((double)(ns_splitmix64(&st) % 2000) / 1000.0 - 1.0);
	}
	CHECK_INT(ns_narr__stack_crossfit(o1, &m, S, t.ex, t.rows, N, fold, 4), 0);
	/* relabel every fold-0 article as class 2 only */
	int32_t two = 2;
	for (int i = 0; i < N; i++)
		if (fold[i] == 0) {
			t.ex[i].coarse = &two;
			t.ex[i].ncoarse = 1;
		}
	CHECK_INT(ns_narr__stack_crossfit(o2, &m, S, t.ex, t.rows, N, fold, 4), 0);
	int same0 = 1, changed_other = 0;
	for (int i = 0; i < N; i++)
		for (int h = 0; h < 3; h++) {
			if (fold[i] == 0)
				same0 &= o1[i * 3 + h] == o2[i * 3 + h];
			else
				changed_other |= o1[i * 3 + h] != o2[i * 3 + h];
		}
	CHECK(same0);
	CHECK(changed_other);
	/* the scores are changed at all (the stage is not the identity) */
	int moved = 0;
	for (int i = 0; i < N * 3; i++)
		moved |= o1[i] != S[i];
	CHECK(moved);
	/* deterministic */
	ns_narr_labels_free(&t.L);
	fixture_init(&t);
	CHECK_INT(ns_narr__stack_crossfit(o3, &m, S, t.ex, t.rows, N, fold, 4), 0);
	CHECK(memcmp(o1, o3, sizeof o1) == 0);
	ns_narr_labels_free(&t.L);
}

NS_TEST(narr__stack_applies_and_round_trips)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model *m1 = train(&t, "stack=1,stack_l2=0.05,ef1=0", 2);
	ns_narr_model *m2 = train(&t, "stack=1,stack_l2=0.05,ef1=0", 1);
	CHECK(m1 && m2);
	if (!m1 || !m2) {
		ns_narr_model_free(m1);
		ns_narr_model_free(m2);
		ns_narr_labels_free(&t.L);
		return;
	}
	CHECK(m1->stack != NULL && m1->stack->nh == m1->nheads);
	/* scores = first stage, then the stage's correction */
	float s[32], lin[32], tmp[32];
	CHECK(m1->nheads < 32);
	CHECK_INT(ns_narr_model_scores(m1, &t.ex[4].x, s), 0);
	ns_narr_stack *sk = m1->stack;
	m1->stack = NULL;
	CHECK_INT(ns_narr_model_scores(m1, &t.ex[4].x, lin), 0);
	m1->stack = sk;
	ns_narr__stack_apply(sk, lin, tmp);
	CHECK(memcmp(s, lin, m1->nheads * sizeof *s) == 0);
	/* domain heads are left as they are */
	for (size_t h = 0; h < m1->nheads; h++)
		if (m1->heads[h].kind == NS_HEAD_DOMAIN)
			for (size_t j = 0; j <= m1->nheads; j++)
				CHECK(sk->A[h * (m1->nheads + 1) + j] == 0);
	/* same bytes whatever the thread count */
	char *b1 = NULL, *b2 = NULL;
	size_t l1 = 0, l2 = 0;
	CHECK_INT(bytes_of(&b1, &l1, m1, NULL, 0, 0), 0);
	CHECK_INT(bytes_of(&b2, &l2, m2, NULL, 0, 0), 0);
	CHECK(l1 == l2 && b1 && b2 && memcmp(b1, b2, l1) == 0);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, b1, l1, "mem"), 0);
	if (b) {
		const void *d;
		size_t n;
		CHECK_INT(ns_bundle_section(b, "narr.stack", &d, &n), 0);
		CHECK_INT(n, 16 + 4 * m1->nheads * (m1->nheads + 1));
		CHECK_INT(ns_bundle_section(b, "narr.params", &d, &n), 0);
		ns_rd r;
		ns_rd_init(&r, d, n);
		ns_rd_u32(&r);
		CHECK_INT(ns_rd_u32(&r), 3);
		ns_narr_model *m3 = NULL;
		CHECK_INT(ns_narr_model_load(&m3, b), 0);
		if (m3) {
			CHECK(m3->stack != NULL && m3->p.stack == 1 && m3->p.stack_l2 == 0.05);
			float s1[32], s3[32];
			for (int i = 0; i < N; i++) {
				CHECK_INT(ns_narr_model_scores(m1, &t.ex[i].x, s1), 0);
				CHECK_INT(ns_narr_model_scores(m3, &t.ex[i].x, s3), 0);
				CHECK(memcmp(s1, s3, m1->nheads * sizeof(float)) == 0);
			}
		}
		ns_narr_model_free(m3);
		ns_bundle_close(b);
	}
	free(b1);
	free(b2);
	ns_narr_model_free(m1);
	ns_narr_model_free(m2);
	ns_narr_labels_free(&t.L);
}

NS_TEST(narr__stack_off_keeps_the_old_format)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model *m = train(&t, "stack=0,stack_l2=3,ef1=0", 1);
	CHECK(m != NULL);
	if (!m) {
		ns_narr_labels_free(&t.L);
		return;
	}
	CHECK(m->stack == NULL);
	ns_buf pb = NS_BUF_INIT;
	CHECK_INT(ns_narr_params_format(&pb, &m->p, ","), 0);
	CHECK(pb.ptr && strstr(pb.ptr, "stack") == NULL);
	ns_buf_free(&pb);
	char *bytes = NULL;
	size_t len = 0;
	CHECK_INT(bytes_of(&bytes, &len, m, NULL, 0, 0), 0);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, bytes, len, "mem"), 0);
	if (b) {
		const void *d;
		size_t n;
		CHECK_INT(ns_bundle_section(b, "narr.stack", &d, &n), NS_ENOTFOUND);
		CHECK_INT(ns_bundle_section(b, "narr.params", &d, &n), 0);
		ns_rd r;
		ns_rd_init(&r, d, n);
		ns_rd_u32(&r);
		CHECK_INT(ns_rd_u32(&r), 1);
		ns_narr_model *m2 = NULL;
		CHECK_INT(ns_narr_model_load(&m2, b), 0);
		CHECK(m2 && m2->stack == NULL && m2->p.stack == 0);
		ns_narr_model_free(m2);
		ns_bundle_close(b);
	}
	free(bytes);
	/* a stray narr.stack in a model without the stage is refused */
	unsigned char junk[16] = {0};
	CHECK_INT(bytes_of(&bytes, &len, m, junk, sizeof junk, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "stack=0") != NULL);
	free(bytes);
	ns_narr_model_free(m);
	ns_narr_labels_free(&t.L);
}

static void put_f32(unsigned char *p, float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(u >> (8 * i));
}

NS_TEST(narr__stack_damaged_section_is_refused)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model *m = train(&t, "stack=1", 1);
	CHECK(m != NULL && m->stack != NULL);
	if (!m || !m->stack) {
		ns_narr_model_free(m);
		ns_narr_labels_free(&t.L);
		return;
	}
	size_t nh = m->nheads, nin = nh + 1, n = 16 + 4 * nh * nin;
	ns_bundle_writer *w = NULL;
	char *raw = NULL, *bytes = NULL;
	size_t rawlen = 0, len = 0;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	CHECK_INT(ns_narr__stack_save(m, w), 0);
	CHECK_INT(ns_bundle_writer_serialize(w, &raw, &rawlen), 0);
	ns_bundle_writer_free(w);
	ns_bundle *b = NULL;
	const void *d = NULL;
	size_t dn = 0;
	CHECK_INT(ns_bundle_open_mem(&b, raw, rawlen, "mem"), 0);
	if (b)
		CHECK_INT(ns_bundle_section(b, "narr.stack", &d, &dn), 0);
	CHECK(d && dn == n);
	if (!d || dn != n) {
		ns_bundle_close(b);
		free(raw);
		ns_narr_model_free(m);
		ns_narr_labels_free(&t.L);
		return;
	}
	unsigned char *s = malloc(n);
	memcpy(s, d, n);
	/* intact copy loads */
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), 0);
	free(bytes);
	/* missing */
	CHECK_INT(bytes_of(&bytes, &len, m, NULL, 0, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "narr.stack is missing") != NULL);
	free(bytes);
	/* truncated by one byte */
	CHECK_INT(bytes_of(&bytes, &len, m, s, n - 1, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	free(bytes);
	/* wrong magic */
	s[0] ^= 0xff;
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "magic") != NULL);
	free(bytes);
	s[0] ^= 0xff;
	/* newer version */
	s[4] = 9;
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EVERSION);
	free(bytes);
	s[4] = 1;
	/* head count of another model */
	s[8] ^= 1;
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	free(bytes);
	s[8] ^= 1;
	/* a weight that is not finite */
	put_f32(s + 16 + 4 * 3, NAN);
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "finite") != NULL);
	free(bytes);
	memcpy(s, d, n);
	/* a weight on a domain head */
	size_t dh = nh;
	for (size_t h = 0; h < nh; h++)
		if (m->heads[h].kind == NS_HEAD_DOMAIN && dh == nh)
			dh = h;
	CHECK(dh < nh);
	if (dh < nh) {
		put_f32(s + 16 + 4 * (dh * nin), 0.5f);
		CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
		CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
		CHECK(strstr(ns_error_last(), "domain") != NULL);
		free(bytes);
	}
	free(s);
	ns_bundle_close(b);
	free(raw);
	ns_narr_model_free(m);
	ns_narr_labels_free(&t.L);
}

/* stack_in=1: subnarrative scores are no inputs (zero weights); 0: they are. */
NS_TEST(narr__stack_inputs_without_subnarratives)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model m;
	memset(&m, 0, sizeof m);
	ns_narr_head heads[3] = {{NS_HEAD_COARSE, 0}, {NS_HEAD_FINE, 2}, {NS_HEAD_COARSE, 1}};
	m.heads = heads;
	m.nheads = 3;
	ns_narr_params_default(&m.p);
	m.p.stack = 1;
	float S[N * 3];
	uint64_t st = 5;
	for (int i = 0; i < N * 3; i++)
		S[i] = (float)((double)(ns_splitmix64(&st) % 2000) / 1000.0 - 1.0);
	for (int in = 0; in <= 1; in++) {
		m.p.stack_in = in;
		ns_narr_stack *sk = NULL;
		CHECK_INT(ns_narr__stack_fit(&sk, &m, S, t.ex, t.rows, N, NULL, 0), 0);
		if (!sk)
			continue;
		int fine_w = 0, other_w = 0;
		for (size_t h = 0; h < 3; h++) {
			fine_w |= sk->A[h * 4 + 1] != 0;
			other_w |= sk->A[h * 4 + 0] != 0 || sk->A[h * 4 + 2] != 0;
		}
		CHECK(fine_w == !in);
		CHECK(other_w);
		ns_narr_stack_free(sk);
	}
	ns_narr_labels_free(&t.L);
}
