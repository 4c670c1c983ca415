/* Tests of the prediction fast paths that must give exactly what the general
 * code gives: vectors built from a bag left in place (keep_order: ids counted,
 * hits not sorted) against the sorted-hits path, and decision-only scoring over
 * the domain planes of a loaded model against full scoring with evidence (the
 * default model on the training articles when present, else on texts written
 * here), and row lookups through the bucket index against ns_fmap_find. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/svec.h"
#include "model/bundle.h"
#include "narrative/narr.h"
#include "test.h"

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

NS_TEST(speed__keep_order_vector_identical)
{
	uint64_t seed = 99;
	ns_vec_opts o = {1, {1, 1, 0.5f, 1, 1, 0.25f, 1, 0}};
	for (size_t n = 1; n < 20000; n = n * 2 + 7) {
		ns_fbag a = NS_FBAG_INIT, b = NS_FBAG_INIT;
		uint32_t sent = 0;
		for (size_t i = 0; i < n; i++) {
			sent += next_rand(&seed) % 9 == 0;
			/* Zipf-like repeats: many hits share an id */
			uint64_t r = next_rand(&seed);
			uint32_t id = NS_FID(r % NS_FGROUPS, (r >> 8) % (1 + (r >> 40) % 3000));
			ns_fbag_add(&a, id, sent, 1.0f);
			ns_fbag_add(&b, id, sent, 1.0f);
		}
		b.keep_order = 1;
		ns_svec va, vb;
		CHECK_INT(ns_svec_from_bag(&va, &a, &o), 0);
		CHECK_INT(ns_svec_from_bag(&vb, &b, &o), 0);
		CHECK_INT(vb.n, va.n);
		CHECK(va.n == vb.n && (va.n == 0 || memcmp(va.e, vb.e, va.n * sizeof *va.e) == 0));
		/* a kept bag of 64 hits or more still holds them as added (smaller
		 * ones are sorted as usual) */
		size_t moved = 0;
		for (size_t i = 1; i < b.n && n >= 64; i++)
			moved += b.h[i].sent < b.h[i - 1].sent;
		CHECK_INT(moved, 0);
		ns_svec_free(&va);
		ns_svec_free(&vb);
		ns_fbag_free(&a);
		ns_fbag_free(&b);
	}
	/* weights other than 1 take the sorted path even with keep_order */
	ns_fbag c = NS_FBAG_INIT;
	for (uint32_t i = 0; i < 200; i++)
		ns_fbag_add(&c, NS_FID(1, i % 13), i / 10, i % 2 ? 0.5f : 1.0f);
	c.keep_order = 1;
	ns_svec vc;
	CHECK_INT(ns_svec_from_bag(&vc, &c, &o), 0);
	CHECK_INT(vc.n, 13);
	ns_svec_free(&vc);
	ns_fbag_free(&c);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

NS_TEST(speed__fmap_index_equal_find)
{
	uint64_t seed = 5;
	static const size_t dims[] = {0, 1, 7, 100, 5000, 100000};
	uint32_t *ids = malloc(100000 * sizeof *ids);
	ns_fentry *e = malloc(4000 * sizeof *e);
	int32_t *rows = malloc(4000 * sizeof *rows);
	CHECK(ids && e && rows);
	for (size_t t = 0; ids && e && rows && t < sizeof dims / sizeof dims[0]; t++) {
		for (int clustered = 0; clustered < 2; clustered++) {
			size_t dim = 0;
			for (size_t i = 0; i < dims[t]; i++) {
				uint64_t r = next_rand(&seed);
				/* some groups empty, one crowded; clustered: all in a narrow band */
				unsigned g = (unsigned)(r % 5 == 0 ? 7 : r % 3);
				uint32_t h = (uint32_t)(r >> 32) & 0x1FFFFFFFu;
				ids[dim++] = NS_FID(g, clustered ? 0x100000u + (h & 0x3FFu) : h);
			}
			qsort(ids, dim, sizeof *ids, cmp_u32);
			size_t u = 0;
			for (size_t i = 0; i < dim; i++)
				if (u == 0 || ids[i] != ids[u - 1])
					ids[u++] = ids[i];
			dim = u;
			ns_fmap_index x;
			CHECK_INT(ns_fmap_index_build(&x, ids, dim), 0);
			for (size_t i = 0; i < 4000; i++)
				e[i].id = dim && i % 2 ? ids[next_rand(&seed) % dim] : (uint32_t)next_rand(&seed);
			ns_fmap_rows_index(rows, e, 4000, ids, dim, &x);
			size_t bad = 0;
			for (size_t i = 0; i < 4000; i++)
				bad += rows[i] != (int32_t)ns_fmap_find(ids, dim, e[i].id);
			CHECK_INT(bad, 0);
			ns_fmap_index_free(&x);
		}
	}
	free(ids);
	free(e);
	free(rows);
}

/* Decisions of one text by full scoring (evidence on) and by the planes. */
static int same_decisions(const ns_narr_model *m, const char *text, size_t len)
{
	ns_doc d1, d2;
	ns_fbag bag = NS_FBAG_INIT;
	ns_narr_layer *full = NULL, *fast = NULL;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	int same = 0;
	ns_doc_init(&d1, text, len);
	ns_doc_init(&d2, text, len);
	if (ns_text_process(&d1, &to) < 0 || ns_text_process(&d2, &to) < 0)
		goto cleanup;
	if (ns_narr_predict_doc(&full, m, &d1, &bag, 1) < 0 || ns_narr_predict_doc(&fast, m, &d2, &bag, 0) < 0)
		goto cleanup;
	same = full->dec.domain == fast->dec.domain && full->dec.ncoarse == fast->dec.ncoarse &&
	       full->dec.nfine == fast->dec.nfine &&
	       memcmp(full->dec.coarse, fast->dec.coarse, full->dec.ncoarse * sizeof full->dec.coarse[0]) == 0 &&
	       memcmp(full->dec.fine, fast->dec.fine, full->dec.nfine * sizeof full->dec.fine[0]) == 0;
cleanup:
	ns_fbag_free(&bag);
	ns_doc_release(&d1);
	ns_doc_release(&d2);
	return same;
}

/* Every 4th article of a raw-documents dir; *n counts them, *bad the mismatches. */
static void check_dir(const ns_narr_model *m, const char *dir, size_t *n, size_t *bad)
{
	DIR *dh = opendir(dir);
	struct dirent *de;
	size_t k = 0;
	if (!dh)
		return;
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.' || k++ % 4 != 0)
			continue;
		char path[4096 + 512];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		char *text = NULL;
		size_t len = 0, nrep = 0;
		char *raw = NULL;
		size_t rawlen = 0;
		if (ns_file_read(&raw, &rawlen, path, 1 << 24) < 0)
			continue;
		if (ns_utf8_repair(&text, &len, &nrep, raw, rawlen) == 0) {
			(*n)++;
			*bad += !same_decisions(m, text, len);
		}
		free(text);
		free(raw);
	}
	closedir(dh);
}

NS_TEST(speed__planes_decisions_identical)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/models/default.nsm", ns_test_src());
	ns_bundle *b = NULL;
	ns_narr_model *m = NULL;
	if (ns_bundle_open(&b, path) < 0)
		NS_SKIP("models/default.nsm not readable");
	if (ns_narr_model_load(&m, b) < 0) {
		ns_bundle_close(b);
		NS_SKIP("models/default.nsm has no narratives model");
	}
	CHECK(m->planes != NULL); /* the default model has domain heads */
	static const char *const texts[] = {
		"Officials said the new sanctions would weaken the economy, while critics of the war "
		"blamed the government for rising energy prices and a colder winter.",
		"Scientists warned that record heat and melting ice show the climate crisis is "
		"accelerating; others called the models alarmist and the carbon tax a scam.",
		"Правительство заявило, что санкции не работают, а Запад готовит новую провокацию.",
		"O governo anunciou novas metas climáticas, mas os críticos dizem que a agenda verde "
		"vai destruir empregos na agricultura.",
		"Short.",
		"",
	};
	size_t n = 0, bad = 0;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		n++;
		bad += !same_decisions(m, texts[i], strlen(texts[i]));
	}
	const char *data = ns_test_data();
	if (data) {
		static const char *const langs[] = {"BG", "EN", "HI", "PT", "RU"};
		for (size_t l = 0; l < 5; l++) {
			snprintf(path, sizeof path, "%s/semeval2025/train/%s/raw-documents", data, langs[l]);
			check_dir(m, path, &n, &bad);
		}
	}
	CHECK(n >= 6);
	CHECK_INT(bad, 0);
	ns_narr_model_free(m);
	ns_bundle_close(b);
}
