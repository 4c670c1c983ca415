/* Label taxonomy of the narrative and framing tasks: coarse narratives, fine
 * subnarratives, main roles and fine roles, and the example descriptions.
 *
 * A taxonomy directory holds narratives.txt and subnarratives.txt (one label per
 * line, "Other" included when used), optionally roles.tsv (header line, then
 * main_role<TAB>fine_role) and descriptions-<DOMAIN>.tsv files (header, then
 * Narrative<TAB>Subnarrative<TAB>Description; labels are completed to the full
 * "<DOMAIN>: Narrative" / "<DOMAIN>: Narrative: Subnarrative" form).
 * A loaded taxonomy is immutable; all returned strings are borrowed and live as
 * long as the taxonomy. Indices are 0-based in file order. */
#ifndef NS_IO_TAXONOMY_H
#define NS_IO_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

typedef struct ns_taxonomy ns_taxonomy;

/* One example sentence for a (narrative, subnarrative) pair. */
typedef struct ns_taxonomy_desc {
	const char *domain; /* "URW", "CC": from the file name descriptions-<DOMAIN>.tsv */
	const char *coarse; /* full label, e.g. "URW: Blaming the war on others rather than the invader" */
	const char *fine;   /* full label "<coarse>: <sub>", or NULL when the Subnarrative column is empty */
	const char *text;   /* the description */
	int32_t coarse_idx; /* index in the coarse list, -1 when the label is not in narratives.txt */
	int32_t fine_idx;   /* index in the fine list, -1 when absent */
} ns_taxonomy_desc;

/* Loads the taxonomy in `dir`. narratives.txt and subnarratives.txt are required;
 * roles.tsv and descriptions-*.tsv are optional (absent roles.tsv gives zero roles).
 * Blank lines and trailing CR/space are ignored; a duplicate label is an error
 * (file:line). Returns 0 or NS_EIO / NS_EFORMAT / NS_ENOMEM; *out is NULL on error. */
int ns_taxonomy_load(ns_taxonomy **out, const char *dir);

/* Builds a taxonomy from in-memory lists (e.g. read back from a model bundle).
 * fine_role_main[i] is the index into main_roles of fine_roles[i]. Lists may be
 * empty (count 0, pointer may be NULL). Strings are copied. */
int ns_taxonomy_from_lists(ns_taxonomy **out,
			   const char *const *coarse, size_t ncoarse,
			   const char *const *fine, size_t nfine,
			   const char *const *main_roles, size_t nmain,
			   const char *const *fine_roles, const int32_t *fine_role_main, size_t nfine_roles);

void ns_taxonomy_free(ns_taxonomy *t); /* NULL is a no-op */

/* Coarse narratives (narratives.txt). */
size_t ns_taxonomy_ncoarse(const ns_taxonomy *t);
const char *ns_taxonomy_coarse(const ns_taxonomy *t, size_t i);
/* Fine subnarratives (subnarratives.txt). */
size_t ns_taxonomy_nfine(const ns_taxonomy *t);
const char *ns_taxonomy_fine(const ns_taxonomy *t, size_t i);
/* Coarse index of fine label i: the longest coarse label L with the fine label
 * starting with "L: "; a bare fine "Other" maps to a coarse "Other"; -1 if none. */
int32_t ns_taxonomy_fine_parent(const ns_taxonomy *t, size_t i);
/* Main roles (Protagonist, Antagonist, Innocent in roles.tsv order of first use). */
size_t ns_taxonomy_nmain_roles(const ns_taxonomy *t);
const char *ns_taxonomy_main_role(const ns_taxonomy *t, size_t i);
/* Fine roles and the main role each belongs to (index into the main roles). */
size_t ns_taxonomy_nfine_roles(const ns_taxonomy *t);
const char *ns_taxonomy_fine_role(const ns_taxonomy *t, size_t i);
int32_t ns_taxonomy_fine_role_main(const ns_taxonomy *t, size_t i);

/* Index lookups by exact string s[0..n); -1 when absent. */
int32_t ns_taxonomy_find_coarse(const ns_taxonomy *t, const char *s, size_t n);
int32_t ns_taxonomy_find_fine(const ns_taxonomy *t, const char *s, size_t n);
int32_t ns_taxonomy_find_main_role(const ns_taxonomy *t, const char *s, size_t n);
int32_t ns_taxonomy_find_fine_role(const ns_taxonomy *t, const char *s, size_t n);

/* Descriptions from descriptions-*.tsv, in file-name then line order. */
size_t ns_taxonomy_ndesc(const ns_taxonomy *t);
const ns_taxonomy_desc *ns_taxonomy_desc_at(const ns_taxonomy *t, size_t i);

#endif
