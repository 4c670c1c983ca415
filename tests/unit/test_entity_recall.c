/* Mention recall against the gold training mentions of the shared task, per
 * language: a gold mention (aligned to the text by src/io/taskdata) counts as
 * found when a detected mention overlaps it. Needs ../shared/data. Set
 * NS_ENTITY_MISSES=FILE to write the missed mentions (id, offsets, string) for
 * inspection. The target is >= 0.90 in every language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entity/entity.h"
#include "io/taskdata.h"
#include "test.h"
#include "text/doc.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static ns_gazetteer *load_gaz(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data/entities.tsv", ns_test_src());
	ns_gazetteer *g = NULL;
	if (ns_gazetteer_load(&g, path) < 0) {
		ns_test_fail(__FILE__, __LINE__, "gazetteer: %s", ns_error_last());
		return NULL;
	}
	return g;
}

NS_TEST(entity__recall_gold_mentions)
{
	NS_NEED_DATA();
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/semeval2025/train", ns_test_data());
	ns_taskdata *td = NULL;
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.lenient = 1;
	if (ns_taskdata_load(&td, dir, &o) < 0) {
		ns_test_fail(__FILE__, __LINE__, "taskdata: %s", ns_error_last());
		return;
	}
	ns_gazetteer *g = load_gaz();
	if (!g) {
		ns_taskdata_free(td);
		return;
	}
	const char *mp = getenv("NS_ENTITY_MISSES");
	FILE *mf = mp ? fopen(mp, "w") : NULL;
	char langs[8][8] = {{0}};
	size_t found[8] = {0}, total[8] = {0}, nl = 0, ndet = 0;
	double t_text = 0, t_ent = 0;
	for (size_t i = 0; i < ns_taskdata_ndocs(td); i++) {
		const ns_task_doc *d = ns_taskdata_doc(td, i);
		size_t li = 0;
		while (li < nl && strcmp(langs[li], d->lang) != 0)
			li++;
		if (li == nl && nl < 8)
			snprintf(langs[nl++], sizeof langs[0], "%s", d->lang);
		if (li >= 8)
			continue;
		ns_doc doc;
		ns_doc_init(&doc, d->text, d->len);
		ns_text_opts to = NS_TEXT_OPTS_INIT;
		double t0 = now_s();
		int rc = ns_text_process(&doc, &to);
		double t1 = now_s();
		if (rc == 0)
			rc = ns_entity_detect(&doc, g);
		double t2 = now_s();
		if (rc < 0) {
			ns_test_fail(__FILE__, __LINE__, "%s: %s", d->id, ns_error_last());
			ns_doc_release(&doc);
			continue;
		}
		t_text += t1 - t0;
		t_ent += t2 - t1;
		const ns_entity_layer *L = ns_entity_layer_of(&doc);
		ndet += L->nmentions;
		for (size_t k = 0; k < d->nmentions; k++) {
			const ns_task_mention *m = &d->mentions[k];
			total[li]++;
			if (m->align == NS_ALIGN_NONE)
				continue;
			if (ns_entity_mention_at(L, (uint32_t)m->start, (uint32_t)m->end) >= 0)
				found[li]++;
			else if (mf)
				fprintf(mf, "%s\t%s\t%lld\t%lld\t%s\n", d->lang, d->id, (long long)m->start,
					(long long)m->end, m->key);
		}
		ns_doc_release(&doc);
	}
	if (mf)
		fclose(mf);
	size_t ft = 0, tt = 0;
	for (size_t li = 0; li < nl; li++) {
		double r = total[li] ? (double)found[li] / (double)total[li] : 0;
		printf("  mention recall %s: %.4f (%zu/%zu)\n", langs[li], r, found[li], total[li]);
		ft += found[li];
		tt += total[li];
		if (r < 0.90)
			ns_test_fail(__FILE__, __LINE__, "recall %s %.4f < 0.90", langs[li], r);
	}
	printf("  mention recall all: %.4f (%zu/%zu); %zu mentions detected in %zu documents\n",
	       tt ? (double)ft / (double)tt : 0, ft, tt, ndet, ns_taskdata_ndocs(td));
	size_t nd = ns_taskdata_ndocs(td);
	printf("  single thread: text stage %.0f docs/s, entity stage %.0f docs/s (%.3f ms/doc)\n",
	       t_text > 0 ? (double)nd / t_text : 0, t_ent > 0 ? (double)nd / t_ent : 0,
	       nd ? t_ent * 1e3 / (double)nd : 0);
	CHECK(nl == 5);
	ns_gazetteer_free(g);
	ns_taskdata_free(td);
}

/* Item 1 of the gazetteer's brief: every mention string occurring 3 or more
 * times in the training annotations (computed here, at run time) resolves to a
 * gazetteer entry, either exactly or as a gazetteer mention found inside it
 * ("President Joe Biden", "Biden administration"). */
NS_TEST(entity__gazetteer_covers_frequent_mentions)
{
	NS_NEED_DATA();
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/semeval2025/train", ns_test_data());
	ns_taskdata *td = NULL;
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.lenient = 1;
	if (ns_taskdata_load(&td, dir, &o) < 0) {
		ns_test_fail(__FILE__, __LINE__, "taskdata: %s", ns_error_last());
		return;
	}
	ns_gazetteer *g = load_gaz();
	ns_strmap *count = NULL;
	if (!g || ns_strmap_new(&count) < 0) {
		ns_gazetteer_free(g);
		ns_taskdata_free(td);
		return;
	}
	/* count strings, remembering one occurrence of each */
	for (size_t i = 0; i < ns_taskdata_ndocs(td); i++) {
		const ns_task_doc *d = ns_taskdata_doc(td, i);
		for (size_t k = 0; k < d->nmentions; k++) {
			int32_t *c = ns_strmap_put(count, d->mentions[k].key, strlen(d->mentions[k].key), 0, NULL);
			if (c)
				(*c)++;
		}
	}
	ns_strmap *done = NULL;
	ns_strmap_new(&done);
	size_t freq = 0, covered = 0;
	for (size_t i = 0; done && i < ns_taskdata_ndocs(td); i++) {
		const ns_task_doc *d = ns_taskdata_doc(td, i);
		for (size_t k = 0; k < d->nmentions; k++) {
			const char *key = d->mentions[k].key;
			size_t n = strlen(key);
			int32_t c = 0;
			bool fresh = false;
			if (!ns_strmap_get(count, key, n, &c) || c < 3)
				continue;
			ns_strmap_put(done, key, n, 1, &fresh);
			if (!fresh)
				continue;
			freq++;
			int32_t idx = -1;
			ns_gazetteer_lookup(&idx, g, key, n, d->lang);
			bool ok = idx >= 0;
			if (!ok) {
				ns_doc doc;
				ns_doc_init(&doc, key, n);
				ns_text_opts to = NS_TEXT_OPTS_INIT;
				if (ns_text_process(&doc, &to) == 0 && ns_entity_detect(&doc, g) == 0) {
					const ns_entity_layer *L = ns_entity_layer_of(&doc);
					for (size_t m = 0; m < L->nmentions; m++)
						if (L->mentions[m].from_gazetteer)
							ok = true;
				}
				ns_doc_release(&doc);
			}
			if (ok)
				covered++;
			else
				printf("  frequent mention not in the gazetteer: %s \"%s\" (%d times)\n", d->lang, key, (int)c);
		}
	}
	double r = freq ? (double)covered / (double)freq : 0;
	printf("  mention strings occurring >= 3 times: %zu, resolved by the gazetteer: %zu (%.4f)\n", freq, covered, r);
	CHECK(freq > 100);
	CHECK(r >= 0.98);
	ns_strmap_free(done);
	ns_strmap_free(count);
	ns_gazetteer_free(g);
	ns_taskdata_free(td);
}
