/* Corpus tests of the text stage (need ../shared/data): language identification
 * over all training articles (the folder gives the truth), with the confusion
 * counts printed and >= 0.99 accuracy per language checked; and the throughput of
 * the whole stage over train + unlabeled articles, single thread, printed. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "text/doc.h"

static const char *const langs[] = {"bg", "en", "hi", "pt", "ru"};
static const char *const dirs[] = {"BG", "EN", "HI", "PT", "RU"};
#define NL 5
/* predicted columns: the five, uk, und, other */
static const char *const cols[] = {"bg", "en", "hi", "pt", "ru", "uk", "und"};
#define NC 7

typedef struct corpus {
	char **text;
	size_t *len;
	int *truth;
	size_t n, cap, bytes;
} corpus;

static void corpus_free(corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->text[i]);
	free(c->text);
	free(c->len);
	free(c->truth);
	memset(c, 0, sizeof(*c));
}

static int load_dir(corpus *c, const char *dir, int truth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strstr(e->d_name, ".txt"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *buf = NULL;
		size_t n = 0;
		if (ns_file_read(&buf, &n, path, 0) < 0)
			continue;
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 512;
			c->text = realloc(c->text, c->cap * sizeof(*c->text));
			c->len = realloc(c->len, c->cap * sizeof(*c->len));
			c->truth = realloc(c->truth, c->cap * sizeof(*c->truth));
			if (!c->text || !c->len || !c->truth)
				abort();
		}
		c->text[c->n] = buf;
		c->len[c->n] = n;
		c->truth[c->n] = truth;
		c->bytes += n;
		c->n++;
	}
	closedir(d);
	return 0;
}

static void load(corpus *c, const char *data, int unlabeled)
{
	char dir[4096];
	for (int l = 0; l < NL; l++) {
		snprintf(dir, sizeof dir, "%s/semeval2025/train/%s/raw-documents", data, dirs[l]);
		load_dir(c, dir, l);
		if (unlabeled) {
			snprintf(dir, sizeof dir, "%s/semeval2025/unlabeled/%s", data, dirs[l]);
			load_dir(c, dir, l);
		}
	}
}

static int col_of(const char *lang)
{
	for (int k = 0; k < NC; k++)
		if (strcmp(lang, cols[k]) == 0)
			return k;
	return NC - 1;
}

NS_TEST(text__langid_train_corpus)
{
	NS_NEED_DATA();
	corpus c = {0};
	load(&c, ns_test_data(), 0);
	CHECK_INT(c.n, 1781);
	size_t conf[NL][NC] = {{0}}, total[NL] = {0};
	for (size_t i = 0; i < c.n; i++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		ns_doc_init(&d, c.text[i], c.len[i]);
		CHECK_INT(ns_text_process(&d, &o), 0);
		conf[c.truth[i]][col_of(d.lang)]++;
		total[c.truth[i]]++;
		ns_doc_release(&d);
	}
	printf("    language identification on train (rows: folder, columns: predicted)\n    %-4s", "");
	for (int k = 0; k < NC; k++)
		printf(" %5s", cols[k]);
	printf("   accuracy\n");
	for (int l = 0; l < NL; l++) {
		printf("    %-4s", langs[l]);
		for (int k = 0; k < NC; k++)
			printf(" %5zu", conf[l][k]);
		double acc = total[l] ? (double)conf[l][col_of(langs[l])] / (double)total[l] : 0;
		printf("   %.4f (%zu)\n", acc, total[l]);
		if (acc < 0.99)
			ns_test_fail(__FILE__, __LINE__, "%s accuracy %.4f < 0.99", langs[l], acc);
	}
	corpus_free(&c);
	ns_thread_release();
}

NS_TEST(text__throughput_corpus)
{
	NS_NEED_DATA();
	corpus c = {0};
	load(&c, ns_test_data(), 1);
	size_t tokens = 0, sentences = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	for (size_t i = 0; i < c.n; i++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		ns_doc_init(&d, c.text[i], c.len[i]);
		CHECK_INT(ns_text_process(&d, &o), 0);
		tokens += d.ntokens;
		sentences += d.nsentences;
		ns_doc_release(&d);
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("    text stage: %zu articles, %.2f MB, %zu tokens, %zu sentences in %.3f s CPU "
	       "= %.1f MB/s, %.0f articles/s (one thread)\n",
	       c.n, (double)c.bytes / 1e6, tokens, sentences, s, (double)c.bytes / 1e6 / s, (double)c.n / s);
	CHECK(c.n > 2000);
	corpus_free(&c);
	ns_thread_release();
}
