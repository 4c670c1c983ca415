/* The claims stage: quotes and accusations for each document, with speakers and
 * parties taken from the entities layer (when that stage ran) and written as the
 * analyze JSON members "quotes" and "accusations".
 *
 * DESIGN: the stage needs no trained data; its state is the compiled cue lexicon,
 * built once at load and shared read-only by all threads. Entity mentions become
 * the extractor's actors (canonical id and name, type); without an entities layer
 * the extractor falls back to name-shaped spans with document-local ids. */
#include <string.h>

#include "../entity/entity.h"
#include "../pipeline/stage.h"
#include "claim.h"

static int claims_load(void **state, const ns_bundle *b)
{
	(void)b;
	ns_claim_lex *lex = NULL;
	int rc = ns_claim_lex_new(&lex);
	if (rc < 0)
		return ns_error__wrap(rc, "claims stage");
	*state = lex;
	return 0;
}

static void claims_unload(void *state)
{
	ns_claim_lex_free(state);
}

static uint8_t actor_type(const ns_entity *e, const ns_mention *m)
{
	switch (e->type) {
	case NS_ENT_PERSON: return NS_ACTOR_PERSON;
	case NS_ENT_ORGANISATION: return NS_ACTOR_ORG;
	case NS_ENT_COUNTRY: return NS_ACTOR_COUNTRY;
	case NS_ENT_GROUP: return NS_ACTOR_GROUP;
	case NS_ENT_LOCATION: return NS_ACTOR_LOCATION;
	default: return m->kind == NS_MENTION_SHAPE ? NS_ACTOR_UNKNOWN : NS_ACTOR_OTHER;
	}
}

int ns_claim__run_doc(ns_doc *doc, const ns_claim_lex *lex)
{
	const ns_entity_layer *L = ns_entity_layer_of(doc);
	ns_claim_actor *act = NULL;
	size_t n = 0;
	if (L && L->nmentions) {
		act = ns_arena_array(&doc->arena, L->nmentions, sizeof *act);
		if (!act)
			return NS_ENOMEM;
		for (size_t i = 0; i < L->nmentions; i++) {
			const ns_mention *m = &L->mentions[i];
			if (m->entity < 0 || (size_t)m->entity >= L->nentities)
				continue;
			const ns_entity *e = &L->entities[m->entity];
			memset(&act[n], 0, sizeof act[n]); /* arena memory is not zeroed: weak = 0 */
			act[n].start = m->start;
			act[n].end = m->end;
			act[n].id = e->id;
			act[n].name = e->name;
			act[n].type = actor_type(e, m);
			act[n].adj = m->kind == NS_MENTION_ADJ;
			n++;
		}
	}
	ns_claims *c = NULL;
	int rc = ns_claim_extract(&c, lex, doc, act, n);
	if (rc < 0)
		return rc;
	doc->claims = c;
	return 0;
}

static int claims_run(ns_doc *doc, const void *state, void *const *all)
{
	(void)all;
	return ns_claim__run_doc(doc, state);
}

static int claims_write_json(ns_buf *out, const ns_doc *doc, const void *state)
{
	(void)state;
	return ns_claim_write_json(out, doc, doc->claims);
}

const ns_stage ns_stage_claims = {
	"claims", claims_load, claims_unload, claims_run, claims_write_json,
};
