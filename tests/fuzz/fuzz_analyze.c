/* Fuzz target for the whole analysis with a trained model: ns_analyze with
 * models/default.nsm (text, entities, roles, narratives, claims, explanation),
 * the compact and pretty JSON writers, the claims JSON and the HTML report, with
 * invariants on every span the layers report and on the JSON itself.
 *
 * DESIGN: the model (21 MB) is opened once, on the first input, from
 * $NS_FUZZ_MODEL, else $NS_SRC/models/default.nsm, else models/default.nsm
 * (run.sh works from the repository root); a missing model aborts, since the
 * target would otherwise test nothing beyond fuzz_text. The per-thread caches are
 * released after inputs of odd size, so both warm and cold caches are fuzzed and
 * the release path runs; at exit everything is released for the leak checker.
 * A two-byte prefix (see below) selects the forced-language and no-cleaning
 * options, so those paths are fuzzed too. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim/claim.h"
#include "entity/entity.h"
#include "frame/frame.h"
#include "io/html.h"
#include "narrascope/narrascope.h"
#include "narrative/explain.h"
#include "narrative/narr.h"
#include "pipeline/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ns_model *model;

static void check(int cond)
{
	if (!cond)
		abort();
}

static void check_span(uint32_t start, uint32_t end, const ns_doc *d)
{
	check(start <= end && end <= d->nchars);
}

static void check_text(const ns_doc *d)
{
	uint32_t prev = 0;
	check(d->nchars <= d->len);
	for (size_t i = 0; i < d->nsentences; i++) {
		const ns_sentence *s = &d->sentences[i];
		check_span(s->start, s->end, d);
		check(s->start >= prev && s->bstart <= s->bend && s->bend <= d->len);
		check(s->tok_begin <= s->tok_end && s->tok_end <= d->ntokens);
		prev = s->end;
	}
	for (size_t i = 0; i < d->ntokens; i++) {
		const ns_token *t = &d->tokens[i];
		check(t->start < t->end && t->end <= d->nchars && t->bstart < t->bend && t->bend <= d->len);
		check(t->sentence < d->nsentences);
	}
	for (size_t i = 0; i < d->ncleaned; i++)
		check_span(d->cleaned[i].start, d->cleaned[i].end, d);
}

static void check_entities(const ns_doc *d)
{
	const ns_entity_layer *L = d->entities;
	if (!L)
		return;
	uint32_t prev = 0;
	for (size_t i = 0; i < L->nmentions; i++) {
		const ns_mention *m = &L->mentions[i];
		check(m->start < m->end && m->end <= d->nchars && m->bstart < m->bend && m->bend <= d->len);
		check(m->start >= prev); /* in text order, non-overlapping */
		check(m->tok_begin < m->tok_end && m->tok_end <= d->ntokens);
		check(m->sentence < d->nsentences);
		check(m->entity >= 0 && (size_t)m->entity < L->nentities);
		check(m->score >= 0.0f && m->score <= 1.0f);
		prev = m->end;
	}
	for (size_t e = 0; e < L->nentities; e++) {
		const ns_entity *en = &L->entities[e];
		check(en->id && en->name && en->type < NS_ENT_NTYPES);
		for (uint32_t k = 0; k < en->nmentions; k++)
			check(en->mentions[k] < L->nmentions && L->mentions[en->mentions[k]].entity == (int32_t)e);
		const ns_frame_role *r = en->role;
		if (!r)
			continue;
		check(r->main >= 0 && r->nfine <= NS_FRAME_MAX_FINE && r->nevidence <= 2 && isfinite(r->score));
		for (size_t k = 0; k < r->nevidence; k++)
			check_span(r->evidence[k].start, r->evidence[k].end, d);
	}
}

static void check_item(const ns_narr_item *it, const ns_doc *d)
{
	check(it->label != NULL && it->nev <= NS_NARR_MAX_EVIDENCE);
	check(it->score >= 0.0f && it->score <= 1.0f);
	for (size_t k = 0; k < it->nev; k++)
		check_span(it->ev[k].start, it->ev[k].end, d);
}

static void check_narratives(const ns_doc *d)
{
	const ns_narr_layer *L = d->narratives;
	if (!L)
		return;
	check(L->n > 0); /* "Other" alone when nothing is decided */
	for (size_t i = 0; i < L->n; i++) {
		check_item(&L->items[i], d);
		for (size_t k = 0; k < L->items[i].nsubs; k++)
			check_item(&L->items[i].subs[k], d);
	}
}

static void check_claims(const ns_doc *d)
{
	const ns_claims *c = d->claims;
	if (!c)
		return;
	for (size_t i = 0; i < c->nquotes; i++) {
		const ns_quote *q = &c->quotes[i];
		check_span(q->text.start, q->text.end, d);
		check_span(q->cue.start, q->cue.end, d);
		check(q->text.start < q->text.end);
		check(q->kind == NS_QUOTE_DIRECT || q->kind == NS_QUOTE_INDIRECT);
		check((q->speaker_id == NULL) == (q->speaker_name == NULL));
	}
	for (size_t i = 0; i < c->naccusations; i++) {
		const ns_accusation *a = &c->accusations[i];
		check_span(a->span.start, a->span.end, d);
		check_span(a->act_span.start, a->act_span.end, d);
		check(a->accuser_id && a->accused_id && a->act);
	}
	if (c->explanation) {
		size_t n = strlen(c->explanation);
		char *fixed = NULL;
		size_t flen = 0, nbad = 0;
		check(c->explanation_narrative != NULL);
		check(ns_explain_words(c->explanation, n) <= NS_EXPLAIN_MAX_WORDS);
		/* the explanation is valid UTF-8: repairing it changes nothing */
		check(ns_utf8_repair(&fixed, &flen, &nbad, c->explanation, n) == 0 && nbad == 0);
		free(fixed);
	}
}

/* Skips one JSON value at s[*i..n) (RFC 8259 grammar; numbers loosely: what
 * this library writes). Returns 0 when well formed. */
static int json_value(const char *s, size_t n, size_t *i, int depth);

static void json_ws(const char *s, size_t n, size_t *i)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\n' || s[*i] == '\t' || s[*i] == '\r'))
		(*i)++;
}

static int json_string(const char *s, size_t n, size_t *i)
{
	if (*i >= n || s[*i] != '"')
		return -1;
	for ((*i)++; *i < n; (*i)++) {
		unsigned char c = (unsigned char)s[*i];
		if (c == '"') {
			(*i)++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (++(*i) >= n || !strchr("\"\\/bfnrtu", s[*i]))
				return -1;
			if (s[*i] == 'u') {
				for (int k = 0; k < 4; k++)
					if (++(*i) >= n || !strchr("0123456789abcdefABCDEF", s[*i]))
						return -1;
			}
		}
	}
	return -1;
}

static int json_value(const char *s, size_t n, size_t *i, int depth)
{
	if (depth > 64)
		return -1;
	json_ws(s, n, i);
	if (*i >= n)
		return -1;
	char c = s[*i];
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		(*i)++;
		json_ws(s, n, i);
		if (*i < n && s[*i] == close) {
			(*i)++;
			return 0;
		}
		for (;;) {
			if (c == '{') {
				json_ws(s, n, i);
				if (json_string(s, n, i) < 0)
					return -1;
				json_ws(s, n, i);
				if (*i >= n || s[(*i)++] != ':')
					return -1;
			}
			if (json_value(s, n, i, depth + 1) < 0)
				return -1;
			json_ws(s, n, i);
			if (*i >= n)
				return -1;
			if (s[*i] == close) {
				(*i)++;
				return 0;
			}
			if (s[(*i)++] != ',')
				return -1;
		}
	}
	if (c == '"')
		return json_string(s, n, i);
	static const char *const words[] = {"true", "false", "null"};
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(words[k]);
		if (n - *i >= l && !memcmp(s + *i, words[k], l)) {
			*i += l;
			return 0;
		}
	}
	size_t st = *i;
	if (*i < n && s[*i] == '-')
		(*i)++;
	if (*i >= n || s[*i] < '0' || s[*i] > '9')
		return -1;
	while (*i < n && strchr("0123456789.eE+-", s[*i]))
		(*i)++;
	return *i > st ? 0 : -1;
}

static void check_json(const char *json, size_t len)
{
	size_t i = 0, fl = 0, nbad = 0;
	char *fixed = NULL;
	check(json && strlen(json) == len);
	check(json_value(json, len, &i, 0) == 0);
	json_ws(json, len, &i);
	check(i == len && len > 0 && json[0] == '{');
	check(ns_utf8_repair(&fixed, &fl, &nbad, json, len) == 0 && nbad == 0);
	free(fixed);
}

static void release_model(void)
{
	ns_model_free(model);
	model = NULL;
	ns_thread_release();
}

static void open_model(void)
{
	const char *env = getenv("NS_FUZZ_MODEL"), *src = getenv("NS_SRC");
	char path[4096];
	if (env && *env)
		snprintf(path, sizeof path, "%s", env);
	else if (src && *src)
		snprintf(path, sizeof path, "%s/models/default.nsm", src);
	else
		snprintf(path, sizeof path, "models/default.nsm");
	if (ns_model_open(&model, path) < 0) {
		fprintf(stderr, "fuzz_analyze: %s (set NS_FUZZ_MODEL)\n", ns_error_last());
		abort();
	}
	atexit(release_model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model)
		open_model();
	ns_analyze_opts o = NS_ANALYZE_OPTS_INIT;
	o.id = "fuzz";
	o.source = "fuzz.example";
	/* an input starting with \x01 and a selector byte is analysed with the
	 * options lang (--lang) and clean = 0: a forced language, possibly not the
	 * text's (its stemmer, cues and gazetteer on a foreign script), and no
	 * boilerplate stripping */
	if (size >= 2 && data[0] == 1) {
		static const char *const langs[] = {NULL, "en", "ru", "bg", "pt", "hi", "und", "xx"};
		o.lang = langs[data[1] & 7];
		o.clean = !(data[1] & 8);
		data += 2;
		size -= 2;
	}
	ns_analysis *a = NULL;
	if (ns_analyze(&a, model, (const char *)data, size, &o) == 0) {
		const ns_doc *d = ns_pipeline__doc(a);
		check_text(d);
		check_entities(d);
		check_narratives(d);
		check_claims(d);
		char *json = NULL;
		size_t len = 0;
		if (ns_analysis_write_json(a, NS_JSON_COMPACT, &json, &len) == 0) {
			check_json(json, len);
			free(json);
		}
		if (ns_analysis_write_json(a, NS_JSON_PRETTY, &json, &len) == 0) {
			check_json(json, len);
			free(json);
		}
		ns_buf b = NS_BUF_INIT;
		if (ns_claim_write_json(&b, d, d->claims) < 0)
			abort();
		ns_buf_free(&b);
		ns_html_report *r = NULL;
		if (ns_html_report_new(&r) == 0 && ns_html_report_add(r, d) == 0)
			ns_html_report_finish(r, &b);
		ns_html_report_free(r);
		ns_buf_free(&b);
	} else if (!memchr(data, '\0', size)) {
		abort(); /* only NUL bytes may make the analysis refuse a small input */
	}
	ns_analysis_free(a);
	if (size & 1)
		ns_thread_release();
	return 0;
}
