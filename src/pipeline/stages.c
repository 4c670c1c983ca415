/* The table of analysis stages above the text layer, in run order (see stage.h).
 *
 * To add a stage, add ONE line `X(ns_stage_<name>)` to NS_STAGE_LIST below, at its
 * place in the run order (entities before narratives before framing before claims);
 * the stage itself is a `const ns_stage ns_stage_<name>` defined in its module. */
#include "stage.h"

#define NS_STAGE_LIST(X) \
	/* one line per stage, in run order */ \
	X(ns_stage_entities) \
	X(ns_stage_narratives) \
	X(ns_stage_frame) \
	X(ns_stage_claims) \
	X(ns_stage_explanation) \

#define NS_STAGE_DECLARE(sym) extern const ns_stage sym;
#define NS_STAGE_ENTRY(sym) &sym,

NS_STAGE_LIST(NS_STAGE_DECLARE)

/* NULL-terminated so the list may be empty in C11. */
const ns_stage *const ns_stages[] = {NS_STAGE_LIST(NS_STAGE_ENTRY) NULL};
const size_t ns_nstages = sizeof ns_stages / sizeof ns_stages[0] - 1;
