/* The frame stage: assigns a role (main, fine roles, score, evidence sentences)
 * to every entity found by the entities stage, and to each of its mentions, and
 * writes them through the entity layer's role hook:
 *   "role":{"main","fine":[...],"score","evidence":[{"start","end"}],"framed"}
 *   "mention_roles":[{"start","end","main","fine":[...],"score"}]  (only mentions
 *   whose decision differs from the entity's)
 *
 * DESIGN: every mention is scored with the role model; an entity's role is the
 * decision on the mean of its mentions' scores, so repeated, consistent framing
 * outweighs one odd sentence. Evidence is the sentence(s) of the mentions whose
 * own score for the chosen main role is highest. "framed" (salience.c) is
 * written when the bundle also has a "frame.salience" section. The stage is
 * skipped (state NULL) when the bundle has no "frame.model" section. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../pipeline/stage.h"
#include "claim_feat.h"
#include "frame.h"

typedef struct frame_layer {
	const ns_frame_model *m;
	const ns_entity_layer *L;
	ns_frame_role *ent;          /* per entity */
	ns_frame_decision *mention;  /* per entity-layer mention */
} frame_layer;

typedef struct frame_models {
	ns_frame_model *roles;
	ns_frame_model *salience; /* NULL: the bundle has none */
} frame_models;

static void frame_unload(void *state)
{
	frame_models *fm = state;
	if (!fm)
		return;
	ns_frame_model_free(fm->roles);
	ns_frame_model_free(fm->salience);
	free(fm);
}

static int frame_load(void **state, const ns_bundle *b)
{
	const void *data;
	size_t len;
	int rc;
	*state = NULL;
	if (!b || ns_bundle_section(b, NS_FRAME_SECTION, &data, &len) < 0)
		return 0;
	frame_models *fm = ns_calloc(1, sizeof *fm);
	if (!fm)
		return NS_ENOMEM;
	if ((rc = ns_frame_model_load(&fm->roles, data, len)) < 0)
		goto fail;
	if (ns_bundle_section(b, NS_FRAME_SALIENCE_SECTION, &data, &len) == 0) {
		if ((rc = ns_frame_model_load(&fm->salience, data, len)) < 0)
			goto fail;
		/* exactly the two main labels and nothing else: the stage reads two scores */
		const ns_frame_model *sm = fm->salience;
		if (ns_frame_model_nmain(sm) != 2 || ns_frame_model_nfine(sm) != 0 || ns_frame_model_nsets(sm) != 0 ||
		    strcmp(ns_frame_model_main(sm, 0), NS_FRAME_SALIENCE_FRAMED) != 0 ||
		    strcmp(ns_frame_model_main(sm, 1), NS_FRAME_SALIENCE_UNFRAMED) != 0) {
			rc = ns_error__set(NS_EFORMAT, "section %s: not a framed/unframed model", NS_FRAME_SALIENCE_SECTION);
			goto fail;
		}
	}
	*state = fm;
	return 0;
fail:
	frame_unload(fm);
	return ns_error__wrap(rc, "%s", ns_bundle_path(b));
}

static int same_decision(const ns_frame_decision *a, const ns_frame_role *r)
{
	if (a->main != r->main || a->nfine != r->nfine)
		return 0;
	for (size_t i = 0; i < a->nfine; i++)
		if (a->fine[i] != r->fine[i])
			return 0;
	return 1;
}

static void write_fine(ns_buf *out, const ns_frame_model *m, const int32_t *fine, size_t n)
{
	ns_buf_puts(out, ",\"fine\":[");
	for (size_t i = 0; i < n; i++) {
		const char *s = ns_frame_model_fine(m, (size_t)fine[i]);
		if (i)
			ns_buf_putc(out, ',');
		ns_buf_json_str(out, s, strlen(s));
	}
	ns_buf_putc(out, ']');
}

static int write_role(ns_buf *out, const ns_entity *e, const void *payload)
{
	const frame_layer *F = payload;
	size_t ei = (size_t)(e - F->L->entities);
	if (ei >= F->L->nentities)
		return 0;
	const ns_frame_role *r = &F->ent[ei];
	const char *main = ns_frame_model_main(F->m, (size_t)r->main);
	ns_buf_puts(out, ",\"role\":{\"main\":");
	ns_buf_json_str(out, main, strlen(main));
	write_fine(out, F->m, r->fine, r->nfine);
	ns_buf_puts(out, ",\"score\":");
	ns_buf_json_num(out, r->score, 4);
	ns_buf_puts(out, ",\"evidence\":[");
	for (size_t i = 0; i < r->nevidence; i++)
		ns_buf_printf(out, "%s{\"start\":%u,\"end\":%u}", i ? "," : "", r->evidence[i].start, r->evidence[i].end);
	ns_buf_putc(out, ']');
	if (r->framed >= 0) {
		ns_buf_puts(out, ",\"framed\":");
		ns_buf_json_num(out, r->framed, 4);
	}
	ns_buf_putc(out, '}');
	size_t ndiff = 0;
	for (uint32_t k = 0; k < e->nmentions; k++) {
		uint32_t mi = e->mentions[k];
		const ns_frame_decision *d = &F->mention[mi];
		if (same_decision(d, r))
			continue;
		const ns_mention *mm = &F->L->mentions[mi];
		const char *mn = ns_frame_model_main(F->m, (size_t)d->main);
		ns_buf_puts(out, ndiff++ ? "," : ",\"mention_roles\":[");
		ns_buf_printf(out, "{\"start\":%u,\"end\":%u,\"main\":", mm->start, mm->end);
		ns_buf_json_str(out, mn, strlen(mn));
		write_fine(out, F->m, d->fine, d->nfine);
		ns_buf_puts(out, ",\"score\":");
		ns_buf_json_num(out, d->score, 4);
		ns_buf_putc(out, '}');
	}
	if (ndiff)
		ns_buf_putc(out, ']');
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}

/* r->framed of every entity from the salience model */
static int assign_salience(ns_doc *doc, frame_layer *F, const ns_frame_model *sal, const ns_frame_docctx *fx)
{
	ns_frame_salience_ctx c;
	ns_fbag bag = NS_FBAG_INIT;
	double s[2];
	int rc = ns_frame_salience_init(&c, doc, fx);
	for (size_t e = 0; rc == 0 && e < F->L->nentities; e++) {
		if (F->L->entities[e].nmentions == 0)
			continue;
		ns_fbag_clear(&bag);
		if ((rc = ns_frame_salience_features(&bag, &c, e)) < 0 || (rc = ns_frame_score(sal, &bag, s, NULL)) < 0)
			break;
		F->ent[e].framed = ns_frame_salience_prob(s);
	}
	ns_frame_salience_free(&c);
	ns_fbag_free(&bag);
	return rc;
}

int ns_frame_assign(ns_doc *doc, const ns_frame_model *m, const ns_frame_model *sal)
{
	ns_entity_layer *L = doc->entities;
	ns_frame_docctx ctx;
	ns_fbag bag = NS_FBAG_INIT;
	double *sc = NULL, *acc = NULL;
	int rc;
	if (!L || L->nmentions == 0)
		return 0;
	size_t nmain = ns_frame_model_nmain(m), nfine = ns_frame_model_nfine(m) + ns_frame_model_nsets(m), nl = nmain + nfine;
	frame_layer *F = ns_arena_alloc(&doc->arena, sizeof *F);
	if (!F)
		return NS_ENOMEM;
	F->m = m;
	F->L = L;
	F->ent = ns_arena_array(&doc->arena, L->nentities ? L->nentities : 1, sizeof *F->ent);
	F->mention = ns_arena_array(&doc->arena, L->nmentions, sizeof *F->mention);
	sc = ns_calloc(L->nmentions * nl, sizeof *sc);
	acc = ns_calloc(nl, sizeof *acc);
	if (!F->ent || !F->mention || !sc || !acc) {
		free(sc);
		free(acc);
		return NS_ENOMEM;
	}
	const ns_frame_params *p = ns_frame_model_params(m);
	/* the claims stage runs after this one: a model with claim features runs
	 * the extractor itself (the claims stage later redoes it) */
	memset(&ctx, 0, sizeof ctx);
	if (p->f.claims && !doc->claims && (rc = ns_frame_claims_run(doc, ns_frame_model_claim_lex(m))) < 0)
		goto cleanup;
	if ((rc = ns_frame_docctx_init(&ctx, doc, ns_frame_model_cues(m))) < 0)
		goto cleanup;
	for (size_t i = 0; i < L->nmentions; i++) {
		double *s = sc + i * nl;
		ns_fbag_clear(&bag);
		if ((rc = ns_frame_features(&bag, &ctx, L->mentions[i].start, L->mentions[i].end, &p->f)) < 0 ||
		    (rc = ns_frame_score(m, &bag, s, s + nmain)) < 0)
			goto cleanup;
		ns_frame_decide(&F->mention[i], m, s, s + nmain, NULL);
	}
	for (size_t e = 0; e < L->nentities; e++) {
		ns_entity *en = &L->entities[e];
		ns_frame_role *r = &F->ent[e];
		if (en->nmentions == 0)
			continue;
		memset(acc, 0, nl * sizeof *acc);
		for (uint32_t k = 0; k < en->nmentions; k++)
			for (size_t q = 0; q < nl; q++)
				acc[q] += sc[(size_t)en->mentions[k] * nl + q] / en->nmentions;
		ns_frame_decision d;
		ns_frame_decide(&d, m, acc, acc + nmain, NULL);
		r->main = d.main;
		r->nfine = d.nfine;
		memcpy(r->fine, d.fine, sizeof r->fine);
		r->score = d.score;
		r->framed = -1;
		/* evidence: sentences of the two mentions scoring highest for the main role */
		uint32_t best[2] = {UINT32_MAX, UINT32_MAX};
		for (uint32_t k = 0; k < en->nmentions; k++) {
			uint32_t mi = en->mentions[k];
			double v = sc[(size_t)mi * nl + (size_t)d.main];
			if (best[0] == UINT32_MAX || v > sc[(size_t)best[0] * nl + (size_t)d.main]) {
				best[1] = best[0];
				best[0] = mi;
			} else if (L->mentions[mi].sentence != L->mentions[best[0]].sentence &&
				   (best[1] == UINT32_MAX || v > sc[(size_t)best[1] * nl + (size_t)d.main])) {
				best[1] = mi;
			}
		}
		for (int q = 0; q < 2; q++) {
			if (best[q] == UINT32_MAX || L->mentions[best[q]].sentence >= doc->nsentences)
				continue;
			if (q == 1 && L->mentions[best[1]].sentence == L->mentions[best[0]].sentence)
				continue;
			const ns_sentence *s = &doc->sentences[L->mentions[best[q]].sentence];
			r->evidence[r->nevidence].start = s->start;
			r->evidence[r->nevidence].end = s->end;
			r->nevidence++;
		}
		en->role = r;
	}
	if (sal && (rc = assign_salience(doc, F, sal, &ctx)) < 0)
		goto cleanup;
	L->write_role = write_role;
	L->role_payload = F;
	doc->roles = F;
	rc = 0;
cleanup:
	ns_frame_docctx_free(&ctx);
	ns_fbag_free(&bag);
	free(sc);
	free(acc);
	return rc;
}

static int frame_run(ns_doc *doc, const void *state, void *const *all)
{
	(void)all;
	if (!state)
		return 0;
	const frame_models *fm = state;
	return ns_frame_assign(doc, fm->roles, fm->salience);
}

static int frame_write_json(ns_buf *out, const ns_doc *doc, const void *state)
{
	/* roles are written inside each entity object by the entities stage */
	(void)out;
	(void)doc;
	(void)state;
	return 0;
}

const ns_stage ns_stage_frame = {
	"frame", frame_load, frame_unload, frame_run, frame_write_json,
};
