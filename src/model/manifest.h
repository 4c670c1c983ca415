/* Text conventions for the "manifest" and "taxonomy" sections of a model bundle,
 * with small helpers to build and parse them so every trainer writes the same
 * thing and `narrascope model info` can show it.
 *
 * Both sections are UTF-8 text, one row per line ('\n'), fields separated by a
 * TAB. Inside a field, backslash, TAB, LF and CR are written as \\ \t \n \r. No
 * timestamps or host names: bundles must be byte-for-byte reproducible.
 *
 * "manifest": rows `key<TAB>value`, in the order the trainer wrote them. A key
 * may repeat (ns_manifest_get returns the first). Standard keys:
 *   created-by      "narrascope train --task narratives" (command, no paths that vary)
 *   build-version   narrascope version that wrote the bundle (ns_version())
 *   task            task(s) the bundle holds, e.g. "narratives" or "narratives,framing"
 *   data-digest     hex digest of the training data, e.g. "fnv64:0123abcd..."
 *   data.docs       number of training documents (also data.docs.<lang>)
 *   param.<name>    each training parameter, e.g. param.c, param.seed, param.ngrams
 *   cv.<task>.<metric>.<lang|mean>   cross-validated score: "MEAN" or "MEAN STD"
 *                   (C locale, round-trippable), e.g. cv.narratives.f1_coarse.en
 *   cv.folds, cv.seed  the CV protocol that produced the cv.* rows
 *
 * "taxonomy": rows whose first field is the kind:
 *   coarse<TAB>LABEL                 a narrative (e.g. "URW: Discrediting Ukraine")
 *   fine<TAB>LABEL[<TAB>COARSE]      a subnarrative, optionally with its narrative
 *   role<TAB>MAIN<TAB>FINE           an entity-framing fine role under its main role
 * Other kinds may be added; readers skip kinds they do not know. */
#ifndef NS_MODEL_MANIFEST_H
#define NS_MODEL_MANIFEST_H

#include <stddef.h>

#include "../util/util.h"

#define NS_SECTION_MANIFEST "manifest"
#define NS_SECTION_TAXONOMY "taxonomy"

#define NS_MANIFEST_MAX_FIELDS 8

/* ---- building (append to an ns_buf; the buffer's sticky failure is returned) ---- */
/* Appends one row of n fields (1..NS_MANIFEST_MAX_FIELDS), escaping each field.
 * Fails with NS_EINVAL when a field is not valid UTF-8 or n is out of range. */
int ns_manifest_put_row(ns_buf *b, size_t n, const char *const *fields);
/* key<TAB>value */
int ns_manifest_put(ns_buf *b, const char *key, const char *value);
int ns_manifest_putf(ns_buf *b, const char *key, const char *fmt, ...) NS_PRINTF(3, 4);
/* key<TAB>%.17g (round-trippable, C locale) */
int ns_manifest_put_double(ns_buf *b, const char *key, double v);
/* key<TAB>"MEAN STD" with %.17g each (a cross-validated score) */
int ns_manifest_put_score(ns_buf *b, const char *key, double mean, double std);
/* taxonomy rows: kind<TAB>a[<TAB>b] (b may be NULL) */
int ns_manifest_put_label(ns_buf *b, const char *kind, const char *a, const char *bfield);

/* ---- parsing ---- */
typedef struct ns_manifest ns_manifest;
/* Parses a manifest or taxonomy section. `name` (e.g. "model.nsm:manifest")
 * prefixes error messages, which give the line: invalid UTF-8, NUL bytes, a
 * bad escape or more than NS_MANIFEST_MAX_FIELDS fields. Empty lines are skipped.
 * Caller frees *out with ns_manifest_free. */
int ns_manifest_parse(ns_manifest **out, const void *data, size_t len, const char *name);
void ns_manifest_free(ns_manifest *m);
size_t ns_manifest_nrows(const ns_manifest *m);
/* Fields of row i (borrowed, NUL-terminated, unescaped); returns the field count
 * (0 when i is out of range). */
size_t ns_manifest_row(const ns_manifest *m, size_t i, const char *const **fields);
/* Second field of the first row whose first field equals key; NULL if absent or
 * the row has one field. Borrowed. */
const char *ns_manifest_get(const ns_manifest *m, const char *key);
/* Number of rows whose first field equals kind (e.g. "coarse"). */
size_t ns_manifest_count(const ns_manifest *m, const char *kind);
/* Parses a cv.* value "MEAN" or "MEAN STD"; *std is -1 when absent. 0 or NS_EFORMAT. */
int ns_manifest_parse_score(const char *value, double *mean, double *std);

#endif
