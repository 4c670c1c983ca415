/* Role-classifier features from the claims layer: the mention's entity as quote
 * speaker, accuser or accused (with the act and whether it is a denial), and the
 * mention quoted by someone else (see claim_feat.h).
 *
 * DESIGN: the claims layer names parties by canonical entity id, so a mention is
 * joined to a claim by its entity's id; a claim whose span covers the mention is
 * "here" (group CUE, the mention's sentence), any other is a document-level fact
 * about the entity (group ENT). Feature ids use the group/hash scheme of
 * features.c with tags of their own. */
#include <string.h>

#include "../claim/claim.h"
#include "claim_feat.h"

enum { T_CLAIM = 0xC1A1, T_CLAIM_ACT };

/* kinds of claim features (x 2: here / elsewhere in the document) */
enum { CL_SPK, CL_QUOTED, CL_ACCUSER, CL_ACCUSED, CL_ACCUSED_NEG, CL_ACCUSER_NEG, CL_ART_ACCUSED };

/* group ids as in frame.h (enum ns_frame_group) */
#define G_CUE 3
#define G_ENT 5

static int same_id(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int overlaps(ns_span s, uint32_t start, uint32_t end)
{
	return s.start < end && start < s.end;
}

static void claim_feat(ns_fbag *b, int kind, int here, const char *act, uint32_t si)
{
	int g = here ? G_CUE : G_ENT;
	uint32_t sent = here ? si : UINT32_MAX;
	uint64_t v = (uint64_t)kind * 2 + (uint64_t)here;
	ns_fbag_add(b, NS_FID(g, ns_hash_mix(ns_hash_mix(T_CLAIM, 0x51ed), v)), sent, 1);
	if (act)
		ns_fbag_add(b, NS_FID(g, ns_hash64(act, strlen(act), ns_hash_mix(T_CLAIM_ACT, v))), sent, 1);
}

void ns_frame__claim_features(ns_fbag *b, const ns_claims *cl, const char *eid, uint32_t start, uint32_t end,
			      uint32_t si)
{
	for (size_t i = 0; i < cl->nquotes; i++) {
		const ns_quote *q = &cl->quotes[i];
		if (same_id(q->speaker_id, eid)) {
			/* here: the mention is inside the quote, is its attribution, or
			 * stands right before or after the quoted words ("X said: ...") */
			int here = overlaps(q->text, start, end) || (q->cue.end > 0 && overlaps(q->cue, start, end));
			if (!here && q->text.start >= end && q->text.start - end < 80)
				here = 1;
			if (!here && q->text.end <= start && start - q->text.end < 80)
				here = 1;
			claim_feat(b, CL_SPK, here, NULL, si);
		} else if (overlaps(q->text, start, end)) {
			claim_feat(b, CL_QUOTED, 1, NULL, si);
		}
	}
	for (size_t i = 0; i < cl->naccusations; i++) {
		const ns_accusation *a = &cl->accusations[i];
		int here = overlaps(a->span, start, end);
		if (same_id(a->accused_id, eid)) {
			claim_feat(b, a->negated ? CL_ACCUSED_NEG : CL_ACCUSED, here, a->act, si);
			if (same_id(a->accuser_id, NS_CLAIM_ARTICLE_ID))
				claim_feat(b, CL_ART_ACCUSED, here, NULL, si);
		} else if (same_id(a->accuser_id, eid)) {
			claim_feat(b, a->negated ? CL_ACCUSER_NEG : CL_ACCUSER, here, a->act, si);
		}
	}
}

int ns_frame_claims_lex_new(ns_claim_lex **out)
{
	return ns_claim_lex_new(out);
}

void ns_frame_claims_lex_free(ns_claim_lex *lex)
{
	ns_claim_lex_free(lex);
}

int ns_frame_claims_run(ns_doc *doc, const ns_claim_lex *lex)
{
	return ns_claim__run_doc(doc, lex);
}
