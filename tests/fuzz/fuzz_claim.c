/* Fuzz target for the claim extractor (src/claim): quotes that never close,
 * quotes inside quotes, thousands of quotes, right-to-left marks, invalid UTF-8.
 * Runs the text stage, then the extractor twice (name-shape actors, and actors
 * placed on every few tokens with types taken from the input), checks that every
 * span lies inside the text, and renders the JSON members and the HTML report. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "claim/claim.h"
#include "io/html.h"
#include "text/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(ns_span s, const ns_doc *d)
{
	if (s.start > s.end || s.end > d->nchars)
		abort();
}

static void check(const ns_claims *c, const ns_doc *d)
{
	if (!c)
		abort();
	for (size_t i = 0; i < c->nquotes; i++) {
		const ns_quote *q = &c->quotes[i];
		check_span(q->text, d);
		check_span(q->cue, d);
		if (q->text.start >= q->text.end || (q->kind != NS_QUOTE_DIRECT && q->kind != NS_QUOTE_INDIRECT))
			abort();
		if ((q->speaker_id == NULL) != (q->speaker_name == NULL))
			abort();
	}
	for (size_t i = 0; i < c->naccusations; i++) {
		const ns_accusation *a = &c->accusations[i];
		check_span(a->span, d);
		check_span(a->act_span, d);
		if (!a->accuser_id || !a->accused_id || !a->act)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ns_claim_lex *lex; /* built once per fuzzing process */
	char *text = NULL;
	size_t len = 0, nbad = 0;
	if (size > (1u << 22))
		return 0;
	if (!lex && ns_claim_lex_new(&lex) < 0)
		abort();
	if (ns_utf8_repair(&text, &len, &nbad, (const char *)data, size) < 0)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		ns_doc_init(&d, text, len);
		if (ns_text_process(&d, &o) == 0) {
			ns_claim_actor *act = NULL;
			size_t n = 0;
			if (pass == 1 && d.ntokens) {
				act = calloc(d.ntokens / 3 + 1, sizeof *act);
				for (size_t t = 0; act && t < d.ntokens; t += 3) {
					act[n].start = d.tokens[t].start;
					act[n].end = d.tokens[t].end;
					act[n].id = (t / 3) % 2 ? "Q:a" : "Q:b";
					act[n].name = act[n].id;
					act[n].type = (uint8_t)(size ? data[t % size] % 7 : 0);
					n++;
				}
			}
			ns_claims *c = NULL;
			if (ns_claim_extract(&c, lex, &d, act, n) == 0) {
				check(c, &d);
				d.claims = c;
				ns_buf b = NS_BUF_INIT;
				if (ns_claim_write_json(&b, &d, c) < 0)
					abort();
				ns_buf_free(&b);
				ns_html_report *r = NULL;
				if (ns_html_report_new(&r) == 0 && ns_html_report_add(r, &d) == 0)
					ns_html_report_finish(r, &b);
				ns_html_report_free(r);
				ns_buf_free(&b);
			}
			free(act);
		}
		ns_doc_release(&d);
	}
	free(text);
	return 0;
}
