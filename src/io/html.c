/* The HTML report (see html.h): per-article rendering with entity mentions
 * coloured by role, evidence sentences and quotes marked, quote and accusation
 * tables, and the collection summary with inline-SVG bar charts.
 *
 * DESIGN: the article text is rendered run by run: every code point gets a state
 * (inside an evidence sentence, inside a quote, which mention), and a new run
 * starts whenever the state changes, so overlapping layers (a quote crossing a
 * sentence boundary, a mention inside a quote) always give well-nested tags. The
 * main role of an entity is read through the entity layer's write_role hook
 * (the JSON the framing stage writes), so this file needs no framing model. */
#include <stdlib.h>
#include <string.h>

#include "../claim/claim.h"
#include "../entity/entity.h"
#include "../narrative/narr.h"
#include "html.h"

#define MAX_BARS 12

enum { ROLE_NONE = 0, ROLE_PRO, ROLE_ANT, ROLE_INN, NROLES };
static const char *const role_names[NROLES] = {"no role", "Protagonist", "Antagonist", "Innocent"};
static const char *const role_class[NROLES] = {"r0", "r1", "r2", "r3"};
static const char *const role_colour[NROLES] = {"#9e9e9e", "#2e7d32", "#c62828", "#1565c0"};

typedef struct counter {
	ns_strmap *idx; /* key -> index into names/counts */
	char **names;
	size_t *counts;
	size_t n, cap;
} counter;

struct ns_html_report {
	ns_buf body;     /* rendered articles */
	size_t ndocs, nquotes, nindirect, nattributed, naccusations, nmentions;
	size_t role_mentions[NROLES];
	counter langs, narratives, entities[NROLES], speakers, acts;
	int finished;
};

static int counter_add(counter *c, const char *key, size_t n)
{
	bool ins = false;
	if (!c->idx && ns_strmap_new(&c->idx) < 0)
		return NS_ENOMEM;
	int32_t *slot = ns_strmap_put(c->idx, key, n, (int32_t)c->n, &ins);
	if (!slot)
		return NS_ENOMEM;
	if (ins) {
		if (NS_GROW(c->names, c->cap, c->n + 1) < 0)
			return NS_ENOMEM;
		size_t cap2 = c->cap;
		size_t *cnt = ns_reallocarray(c->counts, cap2, sizeof *cnt);
		if (!cnt)
			return NS_ENOMEM;
		c->counts = cnt;
		c->names[c->n] = ns_strndup(key, n);
		if (!c->names[c->n])
			return NS_ENOMEM;
		c->counts[c->n] = 0;
		c->n++;
	}
	c->counts[*slot]++;
	return 0;
}

static void counter_free(counter *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->counts);
	ns_strmap_free(c->idx);
}

int ns_html_report_new(ns_html_report **out)
{
	*out = ns_calloc(1, sizeof **out);
	return *out ? 0 : NS_ENOMEM;
}

void ns_html_report_free(ns_html_report *r)
{
	if (!r)
		return;
	ns_buf_free(&r->body);
	counter_free(&r->langs);
	counter_free(&r->narratives);
	for (size_t i = 0; i < NROLES; i++)
		counter_free(&r->entities[i]);
	counter_free(&r->speakers);
	counter_free(&r->acts);
	free(r);
}

/* HTML-escapes s[0..n). */
static void esc(ns_buf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (rep) {
			ns_buf_put(b, s + run, i - run);
			ns_buf_puts(b, rep);
			run = i + 1;
		}
	}
	ns_buf_put(b, s + run, n - run);
}

static void escz(ns_buf *b, const char *s)
{
	if (s)
		esc(b, s, strlen(s));
}

/* Main role of an entity from the framing hook's JSON (",\"role\":{\"main\":\"X\"..."),
 * and its "framed" probability in *framed (-1 when the model has none). */
static int entity_role(const ns_entity_layer *L, const ns_entity *e, double *framed)
{
	*framed = -1;
	if (!L->write_role || !e->role)
		return ROLE_NONE;
	ns_buf b = NS_BUF_INIT;
	int role = ROLE_NONE;
	if (L->write_role(&b, e, L->role_payload) == 0 && b.ptr) {
		const char *m = strstr(b.ptr, "\"main\":\"");
		if (m) {
			m += 8;
			for (int k = 1; k < NROLES; k++)
				if (!strncmp(m, role_names[k], strlen(role_names[k])))
					role = k;
		}
		const char *f = strstr(b.ptr, "\"framed\":");
		if (f)
			*framed = strtod(f + 9, NULL);
	}
	ns_buf_free(&b);
	return role;
}

/* An entity the article names without casting it: framed below 0.3, the F1-best
 * threshold of `cv --task framing` (0.25-0.35 by language); framed < 0: no
 * salience model, every entity counts as cast. */
static int named_only(double framed) { return framed >= 0 && framed < 0.3; }

/* Entity chips order: most likely framed first (stable: first mention order). */
typedef struct {
	double framed;
	size_t i;
} chip;
static int cmp_chip(const void *a, const void *b)
{
	const chip *x = a, *y = b;
	if (x->framed != y->framed)
		return x->framed < y->framed ? 1 : -1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Byte offset of every code point (ncp + 1 entries). */
static uint32_t *cp_bytes(const ns_doc *d, size_t *ncp)
{
	uint32_t *o = ns_malloc((d->len + 2) * sizeof *o);
	size_t k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < d->len;) {
		bool bad;
		uint32_t cp;
		o[k++] = (uint32_t)i;
		i += ns_utf8_decode(d->text + i, d->len - i, &cp, &bad);
	}
	o[k] = (uint32_t)d->len;
	*ncp = k;
	return o;
}

typedef struct run_state {
	int evid, quote;
	int32_t mention; /* mention index or -1 */
} run_state;

static void open_run(ns_buf *b, const run_state *s, const ns_entity_layer *L, const int *roles)
{
	if (s->evid)
		ns_buf_puts(b, "<span class=\"ev\">");
	if (s->quote)
		ns_buf_puts(b, "<span class=\"qt\">");
	if (s->mention >= 0) {
		const ns_entity *e = &L->entities[L->mentions[s->mention].entity];
		int r = roles[L->mentions[s->mention].entity];
		ns_buf_printf(b, "<mark class=\"%s\" title=\"", role_class[r]);
		escz(b, e->name);
		ns_buf_puts(b, " (");
		escz(b, e->id);
		ns_buf_printf(b, ") %s\">", role_names[r]);
	}
}

static void close_run(ns_buf *b, const run_state *s)
{
	if (s->mention >= 0)
		ns_buf_puts(b, "</mark>");
	if (s->quote)
		ns_buf_puts(b, "</span>");
	if (s->evid)
		ns_buf_puts(b, "</span>");
}

static int in_spans(const ns_span *sp, size_t n, uint32_t pos)
{
	for (size_t i = 0; i < n; i++)
		if (sp[i].start <= pos && pos < sp[i].end)
			return 1;
	return 0;
}

/* Renders the article text with the layers as nested spans. */
static int render_text(ns_buf *b, const ns_doc *d, const uint32_t *cb, size_t ncp, const ns_entity_layer *L,
		       const int *roles, const ns_span *ev, size_t nev)
{
	const ns_claims *c = d->claims;
	size_t mi = 0, qi = 0;
	run_state cur = {0, 0, -1};
	ns_buf_puts(b, "<div class=\"text\">");
	for (size_t i = 0; i < ncp; i++) {
		run_state s = {0, 0, -1};
		s.evid = nev ? in_spans(ev, nev, (uint32_t)i) : 0;
		if (c) {
			while (qi < c->nquotes && c->quotes[qi].text.end <= i)
				qi++;
			for (size_t k = qi; k < c->nquotes && c->quotes[k].text.start <= i; k++)
				if (i < c->quotes[k].text.end)
					s.quote = 1;
		}
		if (L) {
			while (mi < L->nmentions && L->mentions[mi].end <= i)
				mi++;
			if (mi < L->nmentions && L->mentions[mi].start <= i && L->mentions[mi].entity >= 0 &&
			    (size_t)L->mentions[mi].entity < L->nentities)
				s.mention = (int32_t)mi;
		}
		if (i == 0 || s.evid != cur.evid || s.quote != cur.quote || s.mention != cur.mention) {
			if (i > 0)
				close_run(b, &cur);
			open_run(b, &s, L, roles);
			cur = s;
		}
		const char *p = d->text + cb[i];
		size_t n = cb[i + 1] - cb[i];
		if (n == 1 && *p == '\n')
			ns_buf_puts(b, "<br>");
		else
			esc(b, p, n);
	}
	if (ncp > 0)
		close_run(b, &cur);
	ns_buf_puts(b, "</div>\n");
	return 0;
}

/* Text of the code-point span sp escaped, cut at max code points; cb maps code
 * points to bytes (ncp + 1 entries). */
static void span_text(ns_buf *b, const ns_doc *d, const uint32_t *cb, size_t ncp, ns_span sp, size_t max)
{
	size_t s = sp.start, e = sp.end;
	if (s > ncp || e > ncp || s >= e)
		return;
	if (e - s > max)
		e = s + max;
	esc(b, d->text + cb[s], cb[e] - cb[s]);
	if (sp.end - sp.start > max)
		ns_buf_puts(b, "…");
}

static void who(ns_buf *b, const char *id, const char *name)
{
	if (!id) {
		ns_buf_puts(b, "<i>unknown</i>");
		return;
	}
	ns_buf_puts(b, "<b>");
	escz(b, name ? name : id);
	ns_buf_puts(b, "</b>");
}

static int render_claims(ns_html_report *r, ns_buf *b, const ns_doc *d, const uint32_t *cb, size_t ncp)
{
	const ns_claims *c = d->claims;
	int rc = 0;
	if (!c)
		return 0;
	if (c->explanation) {
		ns_buf_puts(b, "<p class=\"expl\"><b>Explanation</b>");
		if (c->explanation_narrative) {
			ns_buf_puts(b, " (");
			escz(b, c->explanation_narrative);
			ns_buf_puts(b, ")");
		}
		ns_buf_puts(b, ": ");
		escz(b, c->explanation);
		ns_buf_puts(b, "</p>\n");
	}
	if (c->nquotes) {
		ns_buf_printf(b, "<details open><summary>Quotes (%zu)</summary><table><tr><th>speaker</th>"
				 "<th>kind</th><th>text</th></tr>\n", c->nquotes);
		for (size_t i = 0; i < c->nquotes; i++) {
			const ns_quote *q = &c->quotes[i];
			ns_buf_puts(b, "<tr><td>");
			who(b, q->speaker_id, q->speaker_name);
			ns_buf_printf(b, "</td><td>%s</td><td>", q->kind == NS_QUOTE_DIRECT ? "direct" : "indirect");
			span_text(b, d, cb, ncp, q->text, 300);
			ns_buf_puts(b, "</td></tr>\n");
			r->nquotes++;
			r->nindirect += q->kind == NS_QUOTE_INDIRECT;
			if (q->speaker_id) {
				r->nattributed++;
				if (q->speaker_name && (rc = counter_add(&r->speakers, q->speaker_name, strlen(q->speaker_name))) < 0)
					return rc;
			}
		}
		ns_buf_puts(b, "</table></details>\n");
	}
	if (c->naccusations) {
		ns_buf_printf(b, "<details open><summary>Accusations (%zu)</summary><table><tr><th>accuser</th>"
				 "<th>accused</th><th>act</th><th>sentence</th></tr>\n", c->naccusations);
		for (size_t i = 0; i < c->naccusations; i++) {
			const ns_accusation *a = &c->accusations[i];
			ns_buf_puts(b, "<tr><td>");
			who(b, a->accuser_id, a->accuser_name);
			ns_buf_puts(b, "</td><td>");
			who(b, a->accused_id, a->accused_name);
			ns_buf_puts(b, "</td><td>");
			escz(b, a->act);
			if (a->negated)
				ns_buf_puts(b, " <span class=\"neg\">(denied)</span>");
			ns_buf_puts(b, "</td><td>");
			span_text(b, d, cb, ncp, a->span, 240);
			ns_buf_puts(b, "</td></tr>\n");
			r->naccusations++;
			if ((rc = counter_add(&r->acts, a->act, strlen(a->act))) < 0)
				return rc;
		}
		ns_buf_puts(b, "</table></details>\n");
	}
	return 0;
}

int ns_html_report_add(ns_html_report *r, const ns_doc *d)
{
	const ns_entity_layer *L = ns_entity_layer_of(d);
	ns_buf *b = &r->body;
	int *roles = NULL;
	chip *chips = NULL;
	uint32_t *cb = NULL;
	size_t ncp = 0;
	int rc = 0;
	if (r->finished)
		return ns_error__set(NS_EINVAL, "html report: document added after finish");
	if (!(cb = cp_bytes(d, &ncp)))
		return NS_ENOMEM;
	r->ndocs++;
	if ((rc = counter_add(&r->langs, d->lang, strlen(d->lang))) < 0)
		goto cleanup;
	if (L && L->nentities) {
		roles = ns_calloc(L->nentities, sizeof *roles);
		chips = ns_calloc(L->nentities, sizeof *chips);
		if (!roles || !chips) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t i = 0; i < L->nentities; i++) {
			roles[i] = entity_role(L, &L->entities[i], &chips[i].framed);
			chips[i].i = i;
			/* the summary counts an entity the article only names as no role */
			int sr = named_only(chips[i].framed) ? ROLE_NONE : roles[i];
			const char *nm = L->entities[i].name ? L->entities[i].name : L->entities[i].id;
			if (nm && (rc = counter_add(&r->entities[sr], nm, strlen(nm))) < 0)
				goto cleanup;
			r->role_mentions[sr] += L->entities[i].nmentions;
		}
		r->nmentions += L->nmentions;
	}
	ns_buf_printf(b, "<section class=\"doc\" id=\"doc%zu\"><h2>", r->ndocs);
	escz(b, d->id ? d->id : "document");
	ns_buf_printf(b, "</h2>\n<p class=\"meta\">language %s · %zu characters · %zu sentences",
		      d->lang, d->nchars, d->nsentences);
	if (L)
		ns_buf_printf(b, " · %zu entities", L->nentities);
	ns_buf_puts(b, "</p>\n");
	if (L && L->nentities) {
		/* with a salience model: the actors the article frames first, and
		 * those it only names muted */
		qsort(chips, L->nentities, sizeof *chips, cmp_chip);
		ns_buf_puts(b, "<p class=\"ents\">");
		for (size_t k = 0; k < L->nentities; k++) {
			size_t i = chips[k].i;
			ns_buf_printf(b, "<mark class=\"%s%s\">", role_class[roles[i]], named_only(chips[k].framed) ? " named" : "");
			escz(b, L->entities[i].name);
			ns_buf_printf(b, "</mark><small>%s ×%u", roles[i] ? role_names[roles[i]] : "", L->entities[i].nmentions);
			if (chips[k].framed >= 0)
				ns_buf_printf(b, " · framed %.2f", chips[k].framed);
			ns_buf_puts(b, "</small> ");
		}
		ns_buf_puts(b, "</p>\n");
	}
	const ns_narr_layer *NL = d->narratives;
	ns_span ev[64];
	size_t nev = 0;
	if (NL && NL->n) {
		ns_buf_puts(b, "<ul class=\"narr\">");
		for (size_t i = 0; i < NL->n; i++) {
			const ns_narr_item *it = &NL->items[i];
			if (!it->label)
				continue;
			if ((rc = counter_add(&r->narratives, it->label, strlen(it->label))) < 0)
				goto cleanup;
			ns_buf_puts(b, "<li><b>");
			escz(b, it->label);
			ns_buf_printf(b, "</b> <small>%.2f</small>", it->score);
			for (size_t k = 0; k < it->nsubs; k++) {
				ns_buf_puts(b, k ? "; " : " — ");
				escz(b, it->subs[k].label);
			}
			ns_buf_puts(b, "</li>");
			for (size_t k = 0; k < it->nev && nev < 64; k++) {
				ev[nev].start = it->ev[k].start;
				ev[nev].end = it->ev[k].end;
				nev++;
			}
		}
		ns_buf_puts(b, "</ul>\n");
	}
	if ((rc = render_claims(r, b, d, cb, ncp)) < 0)
		goto cleanup;
	if ((rc = render_text(b, d, cb, ncp, L, roles ? roles : (int[1]){0}, ev, nev)) < 0)
		goto cleanup;
	ns_buf_puts(b, "</section>\n");
	if (ns_buf_failed(b))
		rc = ns_error__set(NS_ENOMEM, "html report: out of memory");
cleanup:
	free(roles);
	free(chips);
	free(cb);
	return rc;
}

/* Indices of the top counts (descending, ties by name), at most max. */
static size_t top(const counter *c, size_t *idx, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		size_t j = n < max ? n++ : max;
		if (j == max) {
			size_t last = idx[max - 1];
			if (c->counts[i] < c->counts[last] ||
			    (c->counts[i] == c->counts[last] && strcmp(c->names[i], c->names[last]) > 0))
				continue;
			j = max - 1;
		}
		while (j > 0 && (c->counts[idx[j - 1]] < c->counts[i] ||
				 (c->counts[idx[j - 1]] == c->counts[i] && strcmp(c->names[idx[j - 1]], c->names[i]) > 0))) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	return n;
}

/* Horizontal bar chart of the top counts as inline SVG. */
static void bar_chart(ns_buf *b, const char *title, const char *const *labels, const size_t *vals,
		      const char *const *colours, size_t n)
{
	size_t maxv = 1;
	for (size_t i = 0; i < n; i++)
		if (vals[i] > maxv)
			maxv = vals[i];
	unsigned h = (unsigned)(n * 22 + 30);
	ns_buf_printf(b, "<svg class=\"chart\" width=\"640\" height=\"%u\" viewBox=\"0 0 640 %u\" role=\"img\" "
			 "xmlns=\"http://www.w3.org/2000/svg\"><title>", h, h);
	escz(b, title);
	ns_buf_puts(b, "</title>");
	for (size_t i = 0; i < n; i++) {
		unsigned y = (unsigned)(i * 22 + 20);
		unsigned w = (unsigned)(1 + 300.0 * (double)vals[i] / (double)maxv);
		ns_buf_printf(b, "<text x=\"0\" y=\"%u\" font-size=\"12\">", y + 12);
		const char *lb = labels[i];
		size_t ll = strlen(lb);
		esc(b, lb, ll > 44 ? 44 : ll);
		if (ll > 44)
			ns_buf_puts(b, "…");
		ns_buf_printf(b, "</text><rect x=\"300\" y=\"%u\" width=\"%u\" height=\"16\" fill=\"%s\"/>"
				 "<text x=\"%u\" y=\"%u\" font-size=\"12\">%zu</text>", y, w,
			      colours ? colours[i] : "#5c6bc0", 300 + w + 4, y + 12, vals[i]);
	}
	ns_buf_puts(b, "</svg>\n");
}

static void counter_chart(ns_buf *b, const char *title, const counter *c)
{
	size_t idx[MAX_BARS];
	const char *labels[MAX_BARS];
	size_t vals[MAX_BARS];
	size_t n = top(c, idx, MAX_BARS);
	for (size_t i = 0; i < n; i++) {
		labels[i] = c->names[idx[i]];
		vals[i] = c->counts[idx[i]];
	}
	if (n)
		bar_chart(b, title, labels, vals, NULL, n);
	else
		ns_buf_puts(b, "<p><i>none</i></p>\n");
}

static const char css[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}"
	"h1{margin:.2em 0}h2{font-size:1.1em;margin:.2em 0}section.doc{border-top:2px solid #ccc;margin-top:1.5em}"
	".meta{color:#666;margin:.2em 0}.text{border:1px solid #ddd;padding:.6em;background:#fcfcfc}"
	"mark{border-radius:3px;padding:0 2px}mark.r0{background:#eeeeee}mark.r1{background:#c8e6c9}"
	"mark.r2{background:#ffcdd2}mark.r3{background:#bbdefb}.ev{background:#fff59d}"
	".qt{border-bottom:2px dotted #6a1b9a}table{border-collapse:collapse;margin:.3em 0}"
	"td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top;text-align:left}"
	".neg{color:#c62828}.grid{display:flex;flex-wrap:wrap;gap:1.5em}.expl{background:#e8eaf6;padding:.4em}"
	"mark.named{opacity:.55}small{color:#777;margin-right:.4em}.legend mark{margin-right:.6em}ul.narr{margin:.3em 0}";

int ns_html_report_finish(ns_html_report *r, ns_buf *out)
{
	if (r->finished)
		return ns_error__set(NS_EINVAL, "html report: finished twice");
	r->finished = 1;
	ns_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			 "<meta name=\"generator\" content=\"narrascope\">"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			 "<title>narrascope report</title><style>");
	ns_buf_puts(out, css);
	ns_buf_puts(out, "</style></head>\n<body>\n<h1>narrascope report</h1>\n");
	ns_buf_printf(out, "<p class=\"meta\">%zu articles · %zu entity mentions · %zu quotes (%zu indirect, %zu with "
			   "a known speaker) · %zu accusations</p>\n",
		      r->ndocs, r->nmentions, r->nquotes, r->nindirect, r->nattributed, r->naccusations);
	ns_buf_puts(out, "<p class=\"legend\">Roles: <mark class=\"r1\">Protagonist</mark><mark class=\"r2\">Antagonist"
			 "</mark><mark class=\"r3\">Innocent</mark><mark class=\"r0\">no role or only named</mark> · "
			 "<span class=\"ev\">narrative evidence</span> · <span class=\"qt\">quoted text</span></p>\n");
	ns_buf_puts(out, "<div class=\"grid\"><div><h2>Narratives by count</h2>\n");
	counter_chart(out, "Narratives by number of articles", &r->narratives);
	ns_buf_puts(out, "</div><div><h2>Entity mentions by role</h2>\n");
	{
		const char *labels[NROLES - 0];
		size_t vals[NROLES];
		const char *cols[NROLES];
		for (int k = 0; k < NROLES; k++) {
			int from = (k + 1) % NROLES; /* Protagonist, Antagonist, Innocent, none */
			labels[k] = role_names[from];
			vals[k] = r->role_mentions[from];
			cols[k] = role_colour[from];
		}
		bar_chart(out, "Entity mentions by main role", labels, vals, cols, NROLES);
	}
	ns_buf_puts(out, "</div></div>\n<div class=\"grid\">");
	for (int k = 1; k < NROLES; k++) {
		ns_buf_printf(out, "<div><h2>Top entities cast as %s</h2>\n", role_names[k]);
		counter_chart(out, role_names[k], &r->entities[k]);
		ns_buf_puts(out, "</div>");
	}
	ns_buf_puts(out, "<div><h2>Most quoted speakers</h2>\n");
	counter_chart(out, "Most quoted speakers", &r->speakers);
	ns_buf_puts(out, "</div><div><h2>Accusations by act</h2>\n");
	counter_chart(out, "Accusations by act", &r->acts);
	ns_buf_puts(out, "</div><div><h2>Languages</h2>\n");
	counter_chart(out, "Articles by language", &r->langs);
	ns_buf_puts(out, "</div></div>\n");
	ns_buf_put(out, r->body.ptr ? r->body.ptr : "", r->body.size);
	ns_buf_puts(out, "<script>window.addEventListener('error',function(){document.body.setAttribute('data-error','1');});"
			 "window.addEventListener('load',function(){document.body.setAttribute('data-loaded','1');});"
			 "</script>\n</body></html>\n");
	return ns_buf_failed(out) ? ns_error__set(NS_ENOMEM, "html report: out of memory") : 0;
}
