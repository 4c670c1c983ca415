/* The analysis stage interface: each layer above text (entities, narratives,
 * framing, claims, explanation) is one ns_stage, listed in order in stages.c.
 *
 * DESIGN: a stage loads its read-only state from the model bundle once (load),
 * then per document adds its layer to the ns_doc (run) and writes its JSON
 * members (write_json). A stage whose sections are absent from the bundle loads
 * with *state = NULL and is skipped, so an older or partial bundle still works. */
#ifndef NS_PIPELINE_STAGE_H
#define NS_PIPELINE_STAGE_H

#include "../model/bundle.h"
#include "../text/doc.h"
#include "../util/util.h"

typedef struct ns_stage {
	const char *name; /* "entities", "narratives", ... */
	/* Loads state from the bundle (b may be NULL: no model given). Sets *state to
	 * NULL when the stage has nothing to do with this bundle. */
	int (*load)(void **state, const ns_bundle *b);
	void (*unload)(void *state);
	/* Adds the stage's layer to doc (per-document data goes in doc->arena).
	 * `all` is the array of every stage's state, indexed like ns_stages, so a
	 * stage can consult an earlier one's model. */
	int (*run)(ns_doc *doc, const void *state, void *const *all);
	/* Appends `,"key":value` members for the stage's layer to the document's JSON. */
	int (*write_json)(ns_buf *out, const ns_doc *doc, const void *state);
} ns_stage;

/* Stages in run order; defined in stages.c. */
extern const ns_stage *const ns_stages[];
extern const size_t ns_nstages;

#endif
