/* Analysing one document: text layers (cleaning, language, paragraphs, sentences,
 * tokens) and every stage of the model, and writing the result as JSON.
 *
 * ns_analyze is thread-safe: any number of threads may analyse with the same
 * model at once. Each analysis owns its memory (one arena) and a copy of the
 * text, so the caller's buffer may be reused as soon as ns_analyze returns. */
#ifndef NARRASCOPE_ANALYZE_H
#define NARRASCOPE_ANALYZE_H

#include <stddef.h>

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ns_analysis ns_analysis;

/* Options; always start from NS_ANALYZE_OPTS_INIT so fields added later get
 * their defaults. */
typedef struct ns_analyze_opts {
	unsigned version;       /* NS_ANALYZE_OPTS_VERSION */
	const char *id;         /* echoed as "id" (copied); NULL = omitted */
	const char *source;     /* echoed as "source" (copied); NULL = omitted */
	const char *date;       /* echoed as "date" (copied); NULL = omitted */
	size_t max_bytes;       /* longer texts fail with NS_ELIMIT; 0 = no limit */
	int clean;              /* record boilerplate spans and skip them (default 1) */
	const char *lang;       /* force a language code ("en"); NULL = identify */
} ns_analyze_opts;

#define NS_ANALYZE_OPTS_VERSION 1
#define NS_ANALYZE_MAX_BYTES_DEFAULT 10485760u /* 10 MiB */
#define NS_ANALYZE_OPTS_INIT \
	{NS_ANALYZE_OPTS_VERSION, NULL, NULL, NULL, NS_ANALYZE_MAX_BYTES_DEFAULT, 1, NULL}

/* Analyses text[0..len) (UTF-8; need not be NUL-terminated). Invalid UTF-8 is
 * repaired, one U+FFFD per invalid byte (so offsets stay those of the input), and
 * reported as a warning; NUL bytes are refused with NS_EBINARY. model may be NULL:
 * then only the text layers are computed. opts may be NULL for the defaults.
 * On success *out belongs to the caller (ns_analysis_free). Returns 0 or NS_E*. */
int ns_analyze(ns_analysis **out, const ns_model *model, const char *text, size_t len,
	       const ns_analyze_opts *opts);

/* Flags for ns_analysis_write_json. */
#define NS_JSON_COMPACT 0u /* one line, no spaces */
#define NS_JSON_PRETTY 1u  /* indented; small objects such as spans stay on one line */

/* Writes the analysis as one JSON object (schema in README.md, "Output") into a
 * new buffer *out of *len bytes, NUL-terminated, owned by the caller (free()).
 * Returns 0 or NS_E*. */
int ns_analysis_write_json(const ns_analysis *a, unsigned flags, char **out, size_t *len);

/* Language code of the analysed document ("en", ..., "und"). Borrowed. */
const char *ns_analysis_lang(const ns_analysis *a);

/* Releases the analysis; NULL is a no-op. */
void ns_analysis_free(ns_analysis *a);

/* Frees the calling thread's caches (stemmers and memos kept between
 * analyses). Threads that exit free theirs; a thread that analyses and then
 * lives on may call it when done, and may analyse again afterwards. */
void ns_thread_release(void);

#ifdef __cplusplus
}
#endif
#endif
