/* Fuzz target for the whole text pipeline through the public API: ns_analyze
 * without a model (UTF-8 repair, cleaning, language id, segmentation, tokens,
 * stems) and both JSON writers, with invariants on the reported spans. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "narrascope/narrascope.h"
#include "pipeline/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_doc(const ns_doc *d)
{
	uint32_t prev = 0;
	for (size_t i = 0; i < d->nsentences; i++) {
		const ns_sentence *s = &d->sentences[i];
		if (s->start > s->end || s->end > d->nchars || s->start < prev || s->bend > d->len)
			abort();
		prev = s->end;
	}
	for (size_t i = 0; i < d->ntokens; i++) {
		const ns_token *t = &d->tokens[i];
		if (t->start >= t->end || t->end > d->nchars || t->bend > d->len || t->bstart >= t->bend)
			abort();
	}
	for (size_t i = 0; i < d->ncleaned; i++)
		if (d->cleaned[i].start > d->cleaned[i].end || d->cleaned[i].end > d->nchars)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ns_analyze_opts o = NS_ANALYZE_OPTS_INIT;
	o.id = "fuzz";
	ns_analysis *a = NULL;
	if (ns_analyze(&a, NULL, (const char *)data, size, &o) == 0) {
		check_doc(ns_pipeline__doc(a));
		char *json = NULL;
		size_t len = 0;
		if (ns_analysis_write_json(a, NS_JSON_COMPACT, &json, &len) == 0)
			free(json);
		if (ns_analysis_write_json(a, NS_JSON_PRETTY, &json, &len) == 0)
			free(json);
	} else if (!memchr(data, '\0', size)) {
		abort(); /* only NUL bytes may make the text pipeline refuse a small input */
	}
	ns_analysis_free(a);
	return 0;
}
