/* Tests of the analysis pipeline: ns_analyze through the public API (repair,
 * refusal of NUL bytes, options), the JSON writers, and the ordered batch runner. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrascope/narrascope.h"
#include "pipeline/batch.h"
#include "pipeline/pipeline.h"
#include "test.h"

NS_TEST(pipeline__analyze_text_only)
{
	const char text[] = "Kyiv said the port was hit. \"We will rebuild,\" the mayor said.\n\nShare on Facebook\n";
	ns_analyze_opts o = NS_ANALYZE_OPTS_INIT;
	o.id = "doc-1";
	o.source = "Src \"quoted\"";
	ns_analysis *a = NULL;
	CHECK_INT(ns_analyze(&a, NULL, text, sizeof text - 1, &o), 0);
	CHECK(a != NULL);
	if (!a)
		return;
	const ns_doc *d = ns_pipeline__doc(a);
	CHECK_INT(d->nchars, sizeof text - 1);
	CHECK(d->nsentences >= 2);
	CHECK_STR(ns_analysis_lang(a), "en");
	char *json = NULL;
	size_t len = 0;
	CHECK_INT(ns_analysis_write_json(a, NS_JSON_COMPACT, &json, &len), 0);
	CHECK(json && strncmp(json, "{\"id\":\"doc-1\",\"source\":\"Src \\\"quoted\\\"\",\"lang\":\"en\"", 50) == 0);
	CHECK(json && strlen(json) == len && !strchr(json, '\n'));
	free(json);
	CHECK_INT(ns_analysis_write_json(a, NS_JSON_PRETTY, &json, &len), 0);
	CHECK(json && strstr(json, "\n  \"sentences\": [\n    {\"start\": 0, \"end\": ") != NULL);
	free(json);
	ns_analysis_free(a);
	ns_analysis_free(NULL);
}

NS_TEST(pipeline__analyze_repair_and_refuse)
{
	ns_analysis *a = NULL;
	/* two invalid bytes: two U+FFFD, code-point offsets as in the input */
	const char bad[] = "Caf\xe9 prices \xff rose.";
	CHECK_INT(ns_analyze(&a, NULL, bad, sizeof bad - 1, NULL), 0);
	if (a) {
		const ns_doc *d = ns_pipeline__doc(a);
		CHECK_INT(d->nrepaired, 2);
		CHECK_INT(d->nchars, sizeof bad - 1);
		CHECK_INT(d->nwarnings, 1);
		CHECK_STR(d->warnings[0], "repaired 2 invalid UTF-8 bytes with U+FFFD");
	}
	ns_analysis_free(a);
	a = NULL;
	CHECK_INT(ns_analyze(&a, NULL, "a\0b", 3, NULL), NS_EBINARY);
	CHECK_STR(ns_error_last(), "NUL byte at byte offset 1");
	CHECK(a == NULL);
	ns_analyze_opts o = NS_ANALYZE_OPTS_INIT;
	o.max_bytes = 4;
	CHECK_INT(ns_analyze(&a, NULL, "hello", 5, &o), NS_ELIMIT);
	o = (ns_analyze_opts)NS_ANALYZE_OPTS_INIT;
	o.version = 99;
	CHECK_INT(ns_analyze(&a, NULL, "hello", 5, &o), NS_EINVAL);
	/* not NUL-terminated: only len bytes are read */
	char buf[8] = {'H', 'i', ' ', 't', 'h', 'e', 'r', 'e'};
	CHECK_INT(ns_analyze(&a, NULL, buf, sizeof buf, NULL), 0);
	if (a)
		CHECK_INT(ns_pipeline__doc(a)->nchars, 8);
	ns_analysis_free(a);
}

NS_TEST(pipeline__json_pretty)
{
	const char *in = "{\"a\":[{\"s\":1,\"e\":2},{\"s\":3,\"e\":4}],\"b\":[],\"c\":\"x,{y}:\\\"z\",\"d\":{\"k\":[1,2]}}";
	ns_buf b = NS_BUF_INIT;
	CHECK_INT(ns_pipeline__json_pretty(&b, in, strlen(in), 0), 0);
	CHECK_STR(b.ptr, "{\n"
			 "  \"a\": [\n"
			 "    {\"s\": 1, \"e\": 2},\n"
			 "    {\"s\": 3, \"e\": 4}\n"
			 "  ],\n"
			 "  \"b\": [],\n"
			 "  \"c\": \"x,{y}:\\\"z\",\n"
			 "  \"d\": {\n"
			 "    \"k\": [1, 2]\n"
			 "  }\n"
			 "}");
	ns_buf_free(&b);
}

typedef struct {
	int n, produced, emitted, bad_order;
	int inflight, max_inflight;
	pthread_mutex_t mu;
} order_ctx;

static int b_next(void *p, void **item)
{
	order_ctx *c = p;
	if (c->produced == c->n)
		return 0;
	int *v = malloc(sizeof *v);
	if (!v)
		return NS_ENOMEM;
	*v = c->produced++;
	pthread_mutex_lock(&c->mu);
	if (++c->inflight > c->max_inflight)
		c->max_inflight = c->inflight;
	pthread_mutex_unlock(&c->mu);
	*item = v;
	return 1;
}

static void b_work(void *p, void *item)
{
	(void)p;
	int v = *(int *)item;
	struct timespec ts = {0, (v * 7919 % 13) * 20000}; /* uneven work so threads overtake */
	nanosleep(&ts, NULL);
	*(int *)item = v * 2;
}

static int b_emit(void *p, void *item)
{
	order_ctx *c = p;
	if (*(int *)item != c->emitted * 2)
		c->bad_order++;
	c->emitted++;
	pthread_mutex_lock(&c->mu);
	c->inflight--;
	pthread_mutex_unlock(&c->mu);
	free(item);
	return c->emitted == 150 && c->n == 1000 ? -42 : 0; /* stop early in the second run */
}

static void b_discard(void *p, void *item)
{
	order_ctx *c = p;
	pthread_mutex_lock(&c->mu);
	c->inflight--;
	pthread_mutex_unlock(&c->mu);
	free(item);
}

NS_TEST(pipeline__batch_order_and_window)
{
	ns_batch_ops ops = {b_next, b_work, b_emit, b_discard};
	for (int threads = 1; threads <= 4; threads++) {
		order_ctx c = {.n = 400};
		pthread_mutex_init(&c.mu, NULL);
		CHECK_INT(ns_batch_run(&ops, &c, threads, 6), 0);
		CHECK_INT(c.emitted, 400);
		CHECK_INT(c.bad_order, 0);
		CHECK(c.max_inflight <= (threads == 1 ? 1 : 6));
		CHECK_INT(c.inflight, 0);
		pthread_mutex_destroy(&c.mu);
	}
	/* a stop from emit ends the run with its code; nothing leaks (checked by ASan) */
	order_ctx c = {.n = 1000};
	pthread_mutex_init(&c.mu, NULL);
	CHECK_INT(ns_batch_run(&ops, &c, 3, 0), -42);
	CHECK_INT(c.emitted, 150);
	CHECK_INT(c.inflight, 0);
	CHECK_INT(c.bad_order, 0);
	pthread_mutex_destroy(&c.mu);
}
