/* Role-classifier features from the claims layer (src/claim): the bridge between
 * the two modules, kept apart from frame.h so that frame.h does not depend on
 * claim.h. Each has its own cue enum (frame.h: NS_CUE_* mention-context
 * categories; claim.h: NS_CLAIM_CUE_* quote and accusation classes). */
#ifndef NS_FRAME_CLAIM_FEAT_H
#define NS_FRAME_CLAIM_FEAT_H

#include <stdint.h>

#include "../learn/svec.h"
#include "../text/doc.h"

typedef struct ns_claims ns_claims;
typedef struct ns_claim_lex ns_claim_lex;

/* Adds the claim features of the mention [start, end) (code points, sentence si)
 * of entity eid: the entity as quote speaker, accuser or accused (x the act
 * label, x denial) in a claim covering the mention (group CUE) or elsewhere in
 * the document (group ENT), and the mention inside another speaker's quote. */
void ns_frame__claim_features(ns_fbag *b, const ns_claims *cl, const char *eid, uint32_t start, uint32_t end,
			      uint32_t si);

/* The claims extractor for callers that cannot include claim.h next to frame.h:
 * compiles the cue lexicon (free with ns_frame_claims_lex_free) / runs it on a
 * processed document with its entity layer, setting doc->claims (arena). */
int ns_frame_claims_lex_new(ns_claim_lex **out);
void ns_frame_claims_lex_free(ns_claim_lex *lex);
int ns_frame_claims_run(ns_doc *doc, const ns_claim_lex *lex);

#endif
