/* The explanation stage: after the narratives stage, explains the dominant
 * narrative of each document (the decided narrative with the highest score, other
 * than "Other") in at most 80 words and writes it as the analyze JSON member
 * "explanation": {"narrative", "subnarrative", "text", "words", "evidence"}.
 *
 * DESIGN: the model is the bundle section "expl.model" when present, else the
 * untrained default (built-in openers and lengths; sentences chosen by position,
 * the narrative's evidence sentences and the claims), so any bundle with a
 * narrative model gets explanations. The text lives in doc->arena and hangs off
 * the claims layer (doc->claims), created here when the claims stage did not run. */
#include <stdlib.h>
#include <string.h>

#include "../claim/claim.h"
#include "../pipeline/stage.h"
#include "explain.h"
#include "narr.h"

/* Dominant narrative of doc's narratives layer and its best subnarrative. */
static const ns_narr_item *dominant(const ns_narr_layer *L, const ns_narr_item **sub)
{
	const ns_narr_item *best = NULL;
	*sub = NULL;
	for (size_t i = 0; L && i < L->n; i++) {
		const ns_narr_item *it = &L->items[i];
		if (!it->label || !strcmp(it->label, "Other"))
			continue;
		if (!best || it->score > best->score)
			best = it;
	}
	for (size_t k = 0; best && k < best->nsubs; k++)
		if (!*sub || best->subs[k].score > (*sub)->score)
			*sub = &best->subs[k];
	return best;
}

int ns_explain_doc(ns_doc *doc, const ns_explain_model *m)
{
	const ns_narr_layer *L = doc->narratives;
	const ns_narr_item *sub = NULL, *it = dominant(L, &sub);
	ns_span ev[2 * NS_NARR_MAX_EVIDENCE];
	size_t nev = 0;
	char *text = NULL;
	if (!it)
		return 0;
	for (size_t k = 0; k < it->nev && nev < NS_NARR_MAX_EVIDENCE; k++) {
		ev[nev].start = it->ev[k].start;
		ev[nev].end = it->ev[k].end;
		nev++;
	}
	for (size_t k = 0; sub && k < sub->nev; k++) {
		ev[nev].start = sub->ev[k].start;
		ev[nev].end = sub->ev[k].end;
		nev++;
	}
	int rc = ns_explain_generate(&text, m, doc, it->label, sub ? sub->label : NULL, ev, nev);
	if (rc < 0)
		return rc;
	ns_claims *c = doc->claims;
	if (!c) {
		c = ns_arena_alloc(&doc->arena, sizeof *c);
		if (!c) {
			free(text);
			return NS_ENOMEM;
		}
		doc->claims = c;
	}
	c->explanation = ns_arena_strndup(&doc->arena, text, strlen(text));
	c->explanation_narrative = it->label;
	c->explanation_subnarrative = sub ? sub->label : NULL;
	free(text);
	return c->explanation ? 0 : NS_ENOMEM;
}

static int expl_load(void **state, const ns_bundle *b)
{
	ns_explain_model *m = NULL;
	int rc = b ? ns_explain_model_load(&m, b) : NS_ENOTFOUND;
	if (rc == NS_ENOTFOUND)
		rc = ns_explain_default(&m);
	if (rc < 0)
		return ns_error__wrap(rc, "explanation stage");
	*state = m;
	return 0;
}

static void expl_unload(void *state)
{
	ns_explain_model_free(state);
}

static int expl_run(ns_doc *doc, const void *state, void *const *all)
{
	(void)all;
	return ns_explain_doc(doc, state);
}

static int expl_write_json(ns_buf *out, const ns_doc *doc, const void *state)
{
	const ns_claims *c = doc->claims;
	const ns_narr_layer *L = doc->narratives;
	const ns_narr_item *sub = NULL, *it = dominant(L, &sub);
	(void)state;
	ns_buf_puts(out, ",\"explanation\":");
	if (!c || !c->explanation || !it) {
		ns_buf_puts(out, "null");
		return ns_buf_failed(out) ? NS_ENOMEM : 0;
	}
	ns_buf_puts(out, "{\"narrative\":");
	ns_buf_json_str(out, it->label, strlen(it->label));
	ns_buf_puts(out, ",\"subnarrative\":");
	if (sub && sub->label)
		ns_buf_json_str(out, sub->label, strlen(sub->label));
	else
		ns_buf_puts(out, "null");
	ns_buf_puts(out, ",\"text\":");
	ns_buf_json_str(out, c->explanation, strlen(c->explanation));
	ns_buf_printf(out, ",\"words\":%zu,\"evidence\":[", ns_explain_words(c->explanation, strlen(c->explanation)));
	for (size_t k = 0; k < it->nev; k++)
		ns_buf_printf(out, "%s{\"start\":%u,\"end\":%u}", k ? "," : "", it->ev[k].start, it->ev[k].end);
	ns_buf_puts(out, "]}");
	return ns_buf_failed(out) ? ns_error__set(NS_ENOMEM, "explanation: out of memory writing JSON") : 0;
}

const ns_stage ns_stage_explanation = {
	"explanation", expl_load, expl_unload, expl_run, expl_write_json,
};
