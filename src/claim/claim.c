/* The claim extractor's driver: prepares the per-document context (code points,
 * sorted actors, token-to-actor map, cue matches, role-noun bindings), runs direct
 * quotes, attribution and indirect speech, then accusations, and writes the JSON
 * members "quotes" and "accusations". */
#include <stdlib.h>
#include <string.h>

#include "claim.h"

static int cmp_actor(const void *a, const void *b)
{
	const ns_claim_actor *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1; /* longer first */
	return 0;
}

static int cmp_quote(const void *a, const void *b)
{
	const ns_quote *x = a, *y = b;
	if (x->text.start != y->text.start)
		return x->text.start < y->text.start ? -1 : 1;
	return x->text.end < y->text.end ? -1 : x->text.end > y->text.end;
}

/* Name-shaped spans (runs of capitalised words not opening a sentence) used as
 * actors when no entity layer is available. */
static int is_say_tok(const ns_claim_ctx *c, size_t i)
{
	return i < c->ntok && ns_claim__cue(c, i, NS_CLAIM_CUE_SAY, NULL) > 0;
}

/* near_cue: keep only spans right before or after a reporting verb ("Galeotti
 * told", "said Konashenkov"), used to add speakers the entity layer missed. */
static int fallback_actors(ns_claim_ctx *c, ns_claim_actor **out, size_t *n, int near_cue)
{
	size_t cap = 0;
	ns_claim_actor *a = NULL;
	*n = 0;
	for (size_t i = 0; i < c->ntok;) {
		const ns_token *t = &c->tok[i];
		if (t->kind != NS_TOK_WORD || !(t->flags & NS_TOKF_UPPER_INITIAL)) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < c->ntok && c->tok[j].kind == NS_TOK_WORD &&
		       (c->tok[j].flags & NS_TOKF_UPPER_INITIAL) && c->tok[j].start <= c->tok[j - 1].end + 1 &&
		       c->tok[j].sentence == t->sentence)
			j++;
		int cue_next = is_say_tok(c, j) || (j + 1 < c->ntok && c->tok[j].kind == NS_TOK_PUNCT && is_say_tok(c, j + 1));
		/* "Eric Kaufmann: STATEMENT": a full name opening a line before a colon */
		if (!cue_next && j >= i + 2 && j < c->ntok && c->tok[j].kind == NS_TOK_PUNCT && c->tok[j].start < c->ncp &&
		    c->cp[c->tok[j].start] == ':' && (t->flags & NS_TOKF_SENT_START))
			cue_next = 1;
		/* "Surname: STATEMENT" opening a line, when the same capitalised word
		 * recurs inside a sentence (a name, not "Source:" or "Photo:") */
		if (!cue_next && j == i + 1 && j < c->ntok && (t->flags & NS_TOKF_SENT_START) &&
		    c->tok[j].kind == NS_TOK_PUNCT && c->tok[j].start < c->ncp && c->cp[c->tok[j].start] == ':' &&
		    (t->start == 0 || c->cp[t->start - 1] == '\n') && t->norm)
			for (size_t k = j + 1; k < c->ntok && k < j + 4000 && !cue_next; k++) /* bounded: linear */
				cue_next = !(c->tok[k].flags & NS_TOKF_SENT_START) && (c->tok[k].flags & NS_TOKF_UPPER_INITIAL) &&
					   c->tok[k].norm && c->tok[k].norm_len == t->norm_len &&
					   !memcmp(c->tok[k].norm, t->norm, t->norm_len);
		int cue_prev = (i > 0 && is_say_tok(c, i - 1)) || (i > 1 && is_say_tok(c, i - 2)); /* "посочи д-р X" */
		if ((t->flags & NS_TOKF_SENT_START) && j == i + 1 && !cue_next) {
			i = j;
			continue;
		}
		/* with an entity layer: runs of two or more capitalised words (full names
		 * the layer missed) and single names next to a reporting verb */
		if (near_cue && ((!(cue_next || cue_prev) && (j == i + 1 || (t->flags & NS_TOKF_SENT_START))) ||
				 ns_claim__cue(c, i, NS_CLAIM_CUE_SAY, NULL) ||
				 ns_claim__cue(c, i, NS_CLAIM_CUE_PRON_SG, NULL) || ns_claim__cue(c, i, NS_CLAIM_CUE_PRON_PL, NULL) ||
				 ns_claim__cue(c, i, NS_CLAIM_CUE_ROLE, NULL) || ns_claim__cue(c, i, NS_CLAIM_CUE_ROLE_ORG, NULL))) {
			i = j;
			continue;
		}
		if (NS_GROW(a, cap, *n + 1) < 0) {
			free(a);
			return NS_ENOMEM;
		}
		ns_claim_actor *x = &a[(*n)++];
		memset(x, 0, sizeof *x);
		const ns_token *last = &c->tok[j - 1];
		x->start = t->start;
		x->end = last->end;
		x->type = NS_ACTOR_UNKNOWN;
		x->weak = 1;
		x->name = ns_arena_strndup(&c->doc->arena, c->doc->text + t->bstart, last->bend - t->bstart);
		ns_buf id = NS_BUF_INIT;
		ns_buf_puts(&id, "L:");
		for (size_t k = i; k < j; k++) {
			if (k > i)
				ns_buf_putc(&id, '_');
			ns_buf_put(&id, c->tok[k].norm ? c->tok[k].norm : "", c->tok[k].norm ? c->tok[k].norm_len : 0);
		}
		x->id = id.ptr ? ns_arena_strndup(&c->doc->arena, id.ptr, id.size) : NULL;
		int failed = ns_buf_failed(&id) || !x->id || !x->name;
		ns_buf_free(&id);
		if (failed) {
			free(a);
			return NS_ENOMEM;
		}
		i = j;
	}
	*out = a;
	return 0;
}

/* Hindi words that never end a name: pronouns, postpositions, particles,
 * auxiliaries, conjunctions. */
static int hi_stop(const ns_token *t)
{
	static const char *const w[] = {"वो", "वह", "वे", "ये", "यह", "इस", "उस", "इन", "उन", "उन्होंने", "उसने",
		"हम", "मैं", "आप", "उनके", "उनका", "उनकी", "इसके", "उसके", "और", "लेकिन", "कि", "तो", "भी", "ही",
		"नहीं", "ने", "का", "की", "के", "को", "से", "में", "पर", "तक", "एक", "है", "हैं", "था", "थे", "थी",
		"जो", "जिस", "जब", "अब", "फिर", "साथ", "बाद", "लिए", "द", "हमने", "मैंने", "आपने", "इसने", "जिन्होंने",
		"सभी", "कई", "कुछ", "सब", "यहां", "वहां", "बार", "लगातार", "जारी", "हमेशा", "पहले", "आज", "कल", "अभी",
		"सिर्फ", "केवल", "बयान", "नोटिस", "तरह", "बारे", "दौरान", "यही", "वही", NULL};
	if (t->kind != NS_TOK_WORD || !t->norm)
		return 1;
	for (const char *const *x = w; *x; x++)
		if (ns_claim__word_is(t, *x))
			return 1;
	return 0;
}

/* Hindi has no capital letters, so names the gazetteer lacks are taken from the
 * reporting constructions themselves: the subject of "X ने (...) कहा/बताया", "X
 * कहते/कहती हैं", "X के मुताबिक/अनुसार", "X का कहना है" is the last one or two
 * content words before the marker. Appended to *out (n entries). */
static int hi_actors(ns_claim_ctx *c, ns_claim_actor **out, size_t *n)
{
	size_t cap = *n;
	for (size_t i = 1; i < c->ntok; i++) {
		const ns_token *t = &c->tok[i];
		int marker = 0;
		if (ns_claim__word_is(t, "ने")) {
			for (size_t k = i + 1; k < c->ntok && k <= i + 10 && c->tok[k].sentence == t->sentence && !marker; k++)
				marker = is_say_tok(c, k);
		} else if (ns_claim__cue(c, i, NS_CLAIM_CUE_POSTP_ACCORD, NULL)) {
			marker = 1;
		} else if (is_say_tok(c, i) && c->tok[i].norm && !strncmp(c->tok[i].norm, "कह", strlen("कह"))) {
			marker = 1; /* "X कहते हैं"; with "ने" before, that subject is the one */
			for (size_t k = i; k-- > 0 && i - k <= 10 && c->tok[k].sentence == t->sentence && marker;)
				marker = !ns_claim__word_is(&c->tok[k], "ने");
		}
		if (!marker)
			continue;
		size_t e = i, b = i;
		while (b > 0 && e - b < 2) {
			const ns_token *p = &c->tok[b - 1];
			if (p->sentence != t->sentence || hi_stop(p) || ns_claim__cue(c, b - 1, NS_CLAIM_CUE_ROLE, NULL) ||
			    ns_claim__cue(c, b - 1, NS_CLAIM_CUE_ROLE_ORG, NULL) || ns_claim__cue(c, b - 1, NS_CLAIM_CUE_PRON_SG, NULL) ||
			    ns_claim__cue(c, b - 1, NS_CLAIM_CUE_PRON_PL, NULL) || is_say_tok(c, b - 1))
				break;
			b--;
		}
		if (b == e)
			continue;
		if (NS_GROW(*out, cap, *n + 1) < 0)
			return NS_ENOMEM;
		ns_claim_actor *x = &(*out)[(*n)++];
		memset(x, 0, sizeof *x);
		x->start = c->tok[b].start;
		x->end = c->tok[e - 1].end;
		x->type = NS_ACTOR_PERSON;
		x->weak = 1;
		x->name = ns_arena_strndup(&c->doc->arena, c->doc->text + c->tok[b].bstart,
					   c->tok[e - 1].bend - c->tok[b].bstart);
		ns_buf id = NS_BUF_INIT;
		ns_buf_puts(&id, "L:");
		for (size_t k = b; k < e; k++) {
			if (k > b)
				ns_buf_putc(&id, '_');
			ns_buf_put(&id, c->tok[k].norm, c->tok[k].norm_len);
		}
		x->id = id.ptr ? ns_arena_strndup(&c->doc->arena, id.ptr, id.size) : NULL;
		int failed = ns_buf_failed(&id) || !x->id || !x->name;
		ns_buf_free(&id);
		if (failed)
			return NS_ENOMEM;
	}
	return 0;
}

/* The first given actor (by index) whose name ends with " " + name (name of 3+
 * bytes); -1 when none. */
static int32_t by_surname(const ns_hidx *ix, const ns_claim_actor *actors, const char *name)
{
	size_t wl = strlen(name), end;
	if (wl < 3)
		return -1;
	for (size_t i = ns_hidx_find(ix, ns_hash64(name, wl, 0x7375726e), &end); i < end; i++) {
		const char *nm = actors[ix->e[i].v].name;
		size_t l = strlen(nm);
		if (l > wl && nm[l - wl - 1] == ' ' && !memcmp(nm + l - wl, name, wl))
			return (int32_t)ix->e[i].v;
	}
	return -1;
}

/* The first given actor (by index, not an adjective) written exactly as
 * cp[start, end); -1 when none. */
static int32_t by_text(const ns_hidx *ix, const ns_claim_actor *actors, const uint32_t *cp, uint32_t start,
		       uint32_t end)
{
	size_t wl = end - start, e;
	for (size_t i = ns_hidx_find(ix, ns_hash64(cp + start, wl * sizeof *cp, 0x74657874), &e); i < e; i++) {
		const ns_claim_actor *a = &actors[ix->e[i].v];
		if (a->end - a->start == wl && !memcmp(cp + a->start, cp + start, wl * sizeof *cp))
			return (int32_t)ix->e[i].v;
	}
	return -1;
}

/* Joins the extractor's own shapes to the given actors (see the caller). */
static int join_given(ns_claim_actor *own, size_t nown, const ns_claim_actor *actors, size_t n, const uint32_t *cp,
		      size_t ncp)
{
	ns_hidx sur = {0}, txt = {0};
	int rc = 0;
	/* every ending after a space of every given name; every given span's text */
	for (size_t k = 0; k < n && rc == 0; k++) {
		const char *nm = actors[k].name;
		for (const char *p = nm ? strchr(nm, ' ') : NULL; p && rc == 0; p = strchr(p + 1, ' '))
			rc = ns_hidx_add(&sur, ns_hash64(p + 1, strlen(p + 1), 0x7375726e), (uint32_t)k);
		const ns_claim_actor *a = &actors[k];
		if (rc == 0 && !a->adj && a->end <= ncp && a->start <= a->end)
			rc = ns_hidx_add(&txt, ns_hash64(cp + a->start, (a->end - a->start) * sizeof *cp, 0x74657874),
					 (uint32_t)k);
	}
	if (rc < 0)
		goto cleanup;
	ns_hidx_sort(&sur);
	ns_hidx_sort(&txt);
	for (size_t w = 0; w < nown; w++) {
		int32_t k = by_surname(&sur, actors, own[w].name);
		if (k >= 0) {
			own[w].id = actors[k].id;
			own[w].name = actors[k].name;
			own[w].type = actors[k].type;
		}
	}
	for (size_t w = 0; w < nown; w++) {
		if (strncmp(own[w].id, "L:", 2) != 0 || own[w].end > ncp || own[w].start > own[w].end)
			continue;
		int32_t k = by_text(&txt, actors, cp, own[w].start, own[w].end);
		if (k >= 0) {
			own[w].id = actors[k].id;
			own[w].name = actors[k].name;
			own[w].type = actors[k].type;
		}
	}
cleanup:
	ns_hidx_free(&sur);
	ns_hidx_free(&txt);
	return rc;
}

static int prepare(ns_claim_ctx *c, const ns_claim_actor *actors, size_t n)
{
	ns_doc *doc = c->doc;
	ns_claim_actor *own = NULL;
	int rc = 0;
	/* code points */
	size_t ncp = 0;
	uint32_t *cp = ns_arena_array(&doc->arena, doc->len + 1, sizeof *cp);
	if (!cp)
		return NS_ENOMEM;
	for (size_t i = 0; i < doc->len;) {
		bool bad;
		uint32_t x;
		size_t k = ns_utf8_decode(doc->text + i, doc->len - i, &x, &bad);
		cp[ncp++] = x;
		i += k;
	}
	c->cp = cp;
	c->ncp = ncp;
	c->first_nl = ncp;
	for (size_t q = 0; q < ncp && c->first_nl == ncp; q++)
		if (cp[q] == '\n')
			c->first_nl = q;
	c->en = doc->lang[0] == 'e' && doc->lang[1] == 'n';
	c->hi = doc->lang[0] == 'h' && doc->lang[1] == 'i';
	/* cue matches first: the fallback name shapes look at reporting verbs */
	if ((rc = ns_claim__match_all(c)) < 0)
		return rc;
	/* actors: the given ones plus name shapes next to reporting verbs (all name
	 * shapes when none are given), sorted, without overlaps */
	size_t nown = 0;
	if ((rc = fallback_actors(c, &own, &nown, n > 0)) < 0)
		return rc;
	if (c->hi && (rc = hi_actors(c, &own, &nown)) < 0)
		goto cleanup;
	size_t total = n + nown;
	c->act = ns_arena_array(&doc->arena, total ? total : 1, sizeof *c->act);
	c->act_tok = ns_arena_array(&doc->arena, total ? total : 1, sizeof *c->act_tok);
	c->act_tok_end = ns_arena_array(&doc->arena, total ? total : 1, sizeof *c->act_tok_end);
	c->tok_actor = ns_arena_array(&doc->arena, c->ntok ? c->ntok : 1, sizeof *c->tok_actor);
	if (!c->act || !c->act_tok || !c->act_tok_end || !c->tok_actor) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (n)
		memcpy(c->act, actors, n * sizeof *actors);
	/* a bare surname the layer missed ("Konashenkov said") joins the entity whose
	 * name ends with it ("Igor Konashenkov"), and a shape written exactly like a
	 * mention the layer linked elsewhere in the document ("НАТО" inside an
	 * unresolved office title) is that entity: both by index, not by scanning
	 * every mention for every shape */
	if (nown && n && (rc = join_given(own, nown, actors, n, cp, ncp)) < 0)
		goto cleanup;
	/* ... and a bare surname of an earlier full name the extractor found itself
	 * ("Robert Kalinak" ... "Kalinak acrescentou") joins that name */
	for (size_t w = 0; w < nown; w++) {
		if (strncmp(own[w].id, "L:", 2) != 0 || strchr(own[w].name, ' '))
			continue;
		size_t wl = strlen(own[w].name);
		/* the shapes are in text order: look back over at most 256 of them */
		for (size_t k = w, seen = 0; k-- > 0 && seen < 256 && wl >= 3; seen++) {
			const char *nm = own[k].name;
			size_t l = strlen(nm);
			if (own[k].start < own[w].start && l > wl && nm[l - wl - 1] == ' ' &&
			    !memcmp(nm + l - wl, own[w].name, wl)) {
				own[w].id = own[k].id;
				own[w].name = own[k].name;
				own[w].type = own[k].type;
				break;
			}
		}
	}
	if (nown)
		memcpy(c->act + n, own, nown * sizeof *own);
	if (total > 1)
		qsort(c->act, total, sizeof *c->act, cmp_actor);
	size_t m = 0;
	for (size_t i = 0; i < total; i++) {
		if (!c->act[i].id || !c->act[i].name || c->act[i].end <= c->act[i].start)
			continue;
		if (m > 0 && c->act[i].start < c->act[m - 1].end) {
			if (c->act[m - 1].weak && !c->act[i].weak)
				c->act[m - 1] = c->act[i];
			continue;
		}
		c->act[m++] = c->act[i];
	}
	c->nact = m;
	for (size_t t = 0; t < c->ntok; t++)
		c->tok_actor[t] = -1;
	for (size_t k = 0; k < m; k++) {
		size_t b = ns_claim__tok_at(c, c->act[k].start);
		size_t e = b;
		while (e < c->ntok && c->tok[e].start < c->act[k].end) {
			c->tok_actor[e] = (int32_t)k;
			e++;
		}
		c->act_tok[k] = (uint32_t)b;
		c->act_tok_end[k] = (uint32_t)e;
	}
	/* role nouns attached to a person: "spokesman John Kirby", "Kirby, the spokesman" */
	size_t nroles = 0;
	for (size_t t = 0; t < c->ntok; t++)
		if (c->tok_actor[t] < 0 && ns_claim__cue(c, t, NS_CLAIM_CUE_ROLE, NULL))
			nroles++;
	c->role_tok = ns_arena_array(&doc->arena, nroles ? nroles : 1, sizeof *c->role_tok);
	c->role_actor = ns_arena_array(&doc->arena, nroles ? nroles : 1, sizeof *c->role_actor);
	if (!c->role_tok || !c->role_actor) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t t = 0; t < c->ntok; t++) {
		if (c->tok_actor[t] >= 0 || !ns_claim__cue(c, t, NS_CLAIM_CUE_ROLE, NULL))
			continue;
		/* a person within 6 tokens in the sentence; else a name-shaped run of two or
		 * more words ("Ministro da Defesa eslovaco, Robert Kalinak") */
		int32_t best = -1;
		for (int pass = 0; pass < 2 && best < 0; pass++)
			for (size_t d = 1; d <= 6 && best < 0; d++) {
				size_t cand[2] = {t + d, t >= d ? t - d : SIZE_MAX};
				for (int side = 0; side < 2 && best < 0; side++) {
					size_t u = cand[side];
					if (u >= c->ntok || c->tok[u].sentence != c->tok[t].sentence)
						continue;
					int32_t a = c->tok_actor[u];
					if (a < 0)
						continue;
					if (pass == 0 ? c->act[a].type == NS_ACTOR_PERSON
						      : (c->act[a].type == NS_ACTOR_UNKNOWN && c->act_tok_end[a] - c->act_tok[a] >= 2))
						best = a;
				}
			}
		if (best >= 0) {
			c->role_tok[c->nrole] = (uint32_t)t;
			c->role_actor[c->nrole] = best;
			c->nrole++;
		}
	}
cleanup:
	free(own);
	return rc;
}

int ns_claim_extract(ns_claims **out, const ns_claim_lex *lex, ns_doc *doc,
		     const ns_claim_actor *actors, size_t n)
{
	ns_claim_ctx c;
	ns_quote *q = NULL;
	size_t nq = 0, cap = 0;
	ns_accusation *acc = NULL;
	size_t nacc = 0;
	int rc;
	*out = NULL;
	memset(&c, 0, sizeof c);
	c.doc = doc;
	c.lex = lex;
	c.tok = doc->tokens;
	c.ntok = doc->ntokens;
	c.last_spk = -1;
	ns_claims *cl = ns_arena_alloc(&doc->arena, sizeof *cl);
	if (!cl)
		return NS_ENOMEM;
	if ((rc = prepare(&c, actors, n)) < 0)
		goto cleanup;
	if ((rc = ns_claim__direct(&c, &q, &nq, &cap)) < 0)
		goto cleanup;
	if ((rc = ns_claim__attribute(&c, &q, &nq, &cap)) < 0)
		goto cleanup;
	if (nq > 1)
		qsort(q, nq, sizeof *q, cmp_quote);
	if ((rc = ns_claim__accusations(&c, q, nq, &acc, &nacc)) < 0)
		goto cleanup;
	if (nq) {
		cl->quotes = ns_arena_array(&doc->arena, nq, sizeof *q);
		if (!cl->quotes) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		memcpy(cl->quotes, q, nq * sizeof *q);
		cl->nquotes = nq;
	}
	if (nacc) {
		cl->accusations = ns_arena_array(&doc->arena, nacc, sizeof *acc);
		if (!cl->accusations) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		memcpy(cl->accusations, acc, nacc * sizeof *acc);
		cl->naccusations = nacc;
	}
	*out = cl;
cleanup:
	free(q);
	free(acc);
	return rc;
}

static void span_json(ns_buf *b, const char *key, ns_span s)
{
	ns_buf_printf(b, "\"%s\":{\"start\":%u,\"end\":%u}", key, s.start, s.end);
}

static void who_json(ns_buf *b, const char *key, const char *id, const char *name)
{
	ns_buf_printf(b, "\"%s\":", key);
	if (!id) {
		ns_buf_puts(b, "null");
		return;
	}
	ns_buf_puts(b, "{\"id\":");
	ns_buf_json_str(b, id, strlen(id));
	ns_buf_puts(b, ",\"name\":");
	ns_buf_json_str(b, name ? name : id, strlen(name ? name : id));
	ns_buf_putc(b, '}');
}

int ns_claim_write_json(ns_buf *b, const ns_doc *doc, const ns_claims *c)
{
	(void)doc;
	ns_buf_puts(b, ",\"quotes\":[");
	for (size_t i = 0; c && i < c->nquotes; i++) {
		const ns_quote *q = &c->quotes[i];
		if (i)
			ns_buf_putc(b, ',');
		ns_buf_putc(b, '{');
		who_json(b, "speaker", q->speaker_id, q->speaker_name);
		ns_buf_putc(b, ',');
		span_json(b, "text", q->text);
		ns_buf_puts(b, ",\"cue\":");
		if (q->cue.end > q->cue.start)
			ns_buf_printf(b, "{\"start\":%u,\"end\":%u}", q->cue.start, q->cue.end);
		else
			ns_buf_puts(b, "null");
		ns_buf_printf(b, ",\"kind\":\"%s\"", q->kind == NS_QUOTE_DIRECT ? "direct" : "indirect");
		if (q->unclosed)
			ns_buf_puts(b, ",\"unclosed\":true");
		ns_buf_putc(b, '}');
	}
	ns_buf_puts(b, "],\"accusations\":[");
	for (size_t i = 0; c && i < c->naccusations; i++) {
		const ns_accusation *a = &c->accusations[i];
		if (i)
			ns_buf_putc(b, ',');
		ns_buf_putc(b, '{');
		who_json(b, "accuser", a->accuser_id, a->accuser_name);
		ns_buf_putc(b, ',');
		who_json(b, "accused", a->accused_id, a->accused_name);
		ns_buf_puts(b, ",\"act\":");
		ns_buf_json_str(b, a->act, strlen(a->act));
		ns_buf_putc(b, ',');
		span_json(b, "span", a->span);
		ns_buf_putc(b, ',');
		span_json(b, "act_span", a->act_span);
		ns_buf_printf(b, ",\"negated\":%s}", a->negated ? "true" : "false");
	}
	ns_buf_putc(b, ']');
	return ns_buf_failed(b) ? ns_error__set(NS_ENOMEM, "claims: out of memory writing JSON") : 0;
}
