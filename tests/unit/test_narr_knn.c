/* Unit tests for the narrative classifier's neighbour component (narr_knn.c):
 * blending, deterministic bytes, the narr.knn section round trip, the
 * parameter text of models without it, and load errors on damaged sections. */
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
	int32_t lab_c[N], lab_f[N];
	size_t rows[N];
	ns_narr_labels L;
} fixture;

/* Three classes with a shared noisy feature; articles i and i + 24 are near
 * duplicates (same "outlet" id 400 + i % 24). */
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
		t->lab_c[i] = k;
		t->lab_f[i] = k == 0 ? 0 : k == 1 ? 2 : 4;
		t->ex[i].coarse = &t->lab_c[i];
		t->ex[i].ncoarse = 1;
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

/* Serialises m, replacing section narr.knn by `knn` (len bytes; NULL: drop it). */
static int bytes_of(char **out, size_t *len, const ns_narr_model *m, const void *knn, size_t knn_len, int replace)
{
	ns_bundle_writer *w = NULL, *w2 = NULL;
	ns_bundle *b = NULL;
	char *raw = NULL;
	size_t rawlen = 0;
	int rc;
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
		if (strcmp(name, "narr.knn") == 0) {
			if (knn && (rc = ns_bundle_writer_add(w2, name, knn, knn_len)) < 0)
				goto cleanup;
		} else if ((rc = ns_bundle_writer_add(w2, name, d, n)) < 0) {
			goto cleanup;
		}
	}
	rc = ns_bundle_writer_serialize(w2, out, len);
cleanup:
	ns_bundle_close(b);
	ns_bundle_writer_free(w);
	ns_bundle_writer_free(w2);
	free(raw);
	return rc;
}

/* Loads a model from bytes: the load's return code. */
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

NS_TEST(narr__knn_blends_votes_and_round_trips)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model *m1 = train(&t, "knn_k=3,knn_a=0.4,knn_pow=2,ef1=0", 2);
	ns_narr_model *m2 = train(&t, "knn_k=3,knn_a=0.4,knn_pow=2,ef1=0", 1);
	CHECK(m1 && m2);
	if (!m1 || !m2)
		return;
	CHECK(m1->knn != NULL);
	CHECK_INT(m1->knn->ndocs, N);
	/* scores = (1 - a) linear + a (2 vote - 1), head by head */
	float s[16], lin[16], v[16];
	CHECK_INT(ns_narr_model_scores(m1, &t.ex[5].x, s), 0);
	CHECK_INT(ns_narr__knn_votes(m1, &t.ex[5].x, v), 0);
	ns_knn *k = m1->knn;
	m1->knn = NULL;
	CHECK_INT(ns_narr_model_scores(m1, &t.ex[5].x, lin), 0);
	m1->knn = k;
	int moved = 0;
	for (size_t h = 0; h < m1->nheads; h++) {
		CHECK(s[h] == ns_narr__knn_blend(lin[h], v[h], 0.4));
		moved |= s[h] != lin[h];
	}
	CHECK(moved);
	/* article 5 is class 2 (coarse head 2, fine head 5): its neighbours agree */
	CHECK(v[2] > 0.99f && v[0] < 0.01f);
	/* same data and parameters: the same bytes, whatever the thread count */
	char *b1 = NULL, *b2 = NULL;
	size_t l1 = 0, l2 = 0;
	CHECK_INT(bytes_of(&b1, &l1, m1, NULL, 0, 0), 0);
	CHECK_INT(bytes_of(&b2, &l2, m2, NULL, 0, 0), 0);
	CHECK(l1 == l2 && b1 && b2 && memcmp(b1, b2, l1) == 0);
	/* loading gives the index back and the same scores */
	ns_bundle *b = NULL;
	ns_narr_model *m3 = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, b1, l1, "mem"), 0);
	if (b) {
		const void *d;
		size_t n;
		CHECK_INT(ns_bundle_section(b, "narr.knn", &d, &n), 0);
		CHECK_INT(ns_bundle_section(b, "narr.params", &d, &n), 0);
		ns_rd r;
		ns_rd_init(&r, d, n);
		ns_rd_u32(&r);
		CHECK_INT(ns_rd_u32(&r), 2); /* params version 2 with neighbours */
		CHECK_INT(ns_narr_model_load(&m3, b), 0);
		if (m3) {
			CHECK(m3->knn != NULL);
			CHECK_INT(m3->p.knn_k, 3);
			float s1[16], s3[16];
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

NS_TEST(narr__knn_off_keeps_the_old_format)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model *m = train(&t, "knn_k=5,knn_a=0,ef1=0", 1); /* a = 0: off */
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(m->knn == NULL);
	ns_buf pb = NS_BUF_INIT;
	CHECK_INT(ns_narr_params_format(&pb, &m->p, ","), 0);
	CHECK(pb.ptr && strstr(pb.ptr, "knn") == NULL);
	ns_buf_free(&pb);
	char *bytes = NULL;
	size_t len = 0;
	CHECK_INT(bytes_of(&bytes, &len, m, NULL, 0, 0), 0);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, bytes, len, "mem"), 0);
	if (b) {
		const void *d;
		size_t n;
		CHECK_INT(ns_bundle_section(b, "narr.knn", &d, &n), NS_ENOTFOUND);
		CHECK_INT(ns_bundle_section(b, "narr.params", &d, &n), 0);
		ns_rd r;
		ns_rd_init(&r, d, n);
		ns_rd_u32(&r);
		CHECK_INT(ns_rd_u32(&r), 1);
		ns_narr_model *m2 = NULL;
		CHECK_INT(ns_narr_model_load(&m2, b), 0);
		CHECK(m2 && m2->knn == NULL && m2->p.knn_k == 0);
		ns_narr_model_free(m2);
		ns_bundle_close(b);
	}
	free(bytes);
	ns_narr_model_free(m);
	ns_narr_labels_free(&t.L);
}

NS_TEST(narr__knn_damaged_section_is_refused)
{
	fixture t;
	fixture_init(&t);
	ns_narr_model *m = train(&t, "knn_k=3,knn_a=0.3", 1);
	CHECK(m != NULL);
	if (!m)
		return;
	ns_buf kb = NS_BUF_INIT;
	ns_bundle_writer *w = NULL;
	char *raw = NULL, *bytes = NULL;
	size_t rawlen = 0, len = 0;
	/* the section as written */
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	CHECK_INT(ns_narr__knn_save(m, w), 0);
	CHECK_INT(ns_bundle_writer_serialize(w, &raw, &rawlen), 0);
	ns_bundle_writer_free(w);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, raw, rawlen, "mem"), 0);
	const void *d = NULL;
	size_t n = 0;
	if (b)
		CHECK_INT(ns_bundle_section(b, "narr.knn", &d, &n), 0);
	CHECK(d && n > 40);
	if (!d || n <= 40) {
		ns_bundle_close(b);
		free(raw);
		ns_narr_model_free(m);
		ns_narr_labels_free(&t.L);
		return;
	}
	unsigned char *s = malloc(n);
	/* intact copy loads */
	memcpy(s, d, n);
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), 0);
	free(bytes);
	/* missing section */
	CHECK_INT(bytes_of(&bytes, &len, m, NULL, 0, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "narr.knn is missing") != NULL);
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
	s[4] = 99;
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
	/* a posting's document out of range: first doc index after fid and off */
	uint32_t nfeat = (uint32_t)s[16] | (uint32_t)s[17] << 8 | (uint32_t)s[18] << 16 | (uint32_t)s[19] << 24;
	size_t at = 28 + 4 * ((size_t)nfeat + nfeat + 1);
	s[at + 3] = 0x7f;
	CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
	CHECK_INT(load_rc(bytes, len), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "narr.knn") != NULL);
	free(bytes);
	/* random damage anywhere in the section: refused or loaded, never a crash
	 * (the SAN build checks the reads) */
	memcpy(s, d, n);
	uint64_t st = 99;
	int refused = 0;
	for (int trial = 0; trial < 200; trial++) {
		size_t pos = (size_t)(ns_splitmix64(&st) % n);
		unsigned char old = s[pos];
		s[pos] = (unsigned char)(ns_splitmix64(&st) & 0xff);
		CHECK_INT(bytes_of(&bytes, &len, m, s, n, 1), 0);
		int rc = load_rc(bytes, len);
		CHECK(rc == 0 || rc == NS_EFORMAT || rc == NS_EVERSION);
		refused += rc < 0;
		free(bytes);
		s[pos] = old;
	}
	CHECK(refused > 0);
	free(s);
	ns_bundle_close(b);
	free(raw);
	ns_buf_free(&kb);
	ns_narr_model_free(m);
	ns_narr_labels_free(&t.L);
}
