/* A trained model: one *.nsm bundle loaded once, immutable and shared by threads.
 *
 * A model holds the read-only state of every analysis stage found in the bundle
 * (narratives, entity roles, ...). Stages whose sections are absent are simply
 * skipped, so a partial bundle still works. */
#ifndef NARRASCOPE_MODEL_H
#define NARRASCOPE_MODEL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ns_model ns_model;

/* Opens and validates the bundle at path and loads every stage from it.
 * path may be NULL: then the stages that need no trained data (those built on
 * the lexicons and data files shipped with narrascope) are loaded alone. On success *out belongs to the caller (ns_model_free). Returns 0 or a negative
 * NS_E* code with a one-line message naming the file (ns_error_last()). */
int ns_model_open(ns_model **out, const char *path);

/* Path the model was opened from (NULL without a bundle). Borrowed. */
const char *ns_model_path(const ns_model *model);

/* Releases the model; NULL is a no-op. No analysis may use it afterwards. */
void ns_model_free(ns_model *model);

#ifdef __cplusplus
}
#endif
#endif
