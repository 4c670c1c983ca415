/* Shared-task corpus reader: <dir>/<LANG>/raw-documents/NAME.txt plus
 * subtask-1/2/3-annotations.txt per language (or <dir> being one language dir).
 * Loads every article with its narrative labels, dominant-narrative explanation
 * and entity mentions, and aligns each mention to the text. Also accepted: a
 * subtask-N-documents folder instead of raw-documents, and a 4-column
 * subtask-1-entity-mentions.txt (mentions without roles) when no
 * subtask-1-annotations.txt exists. Hidden files (".name") are ignored.
 *
 * DESIGN: mention alignment tries, in order, (1) the file offsets as code points,
 * (2) the offsets counted on CRLF text (every '\n' before the position counts two),
 * (3) the occurrence of the mention key nearest to the file start offset within 300
 * code points, then anywhere in the text. Comparison uses the key (mention with
 * double quotes removed) against the text span, also accepting the mention as
 * written. A mention that aligns no way keeps align = NS_ALIGN_NONE and is counted.
 *
 * Error policy: a malformed annotation line (wrong column count, bad integer,
 * start > end, unknown role when a taxonomy is given) is an error
 * "file:line: reason" and loading fails, unless opts.lenient, where the line is
 * skipped and a warning counted. Annotation lines for articles without a document,
 * duplicate subtask-2/3 lines for one article, empty documents and unaligned
 * mentions are counted warnings (message list) or, with opts.strict, errors.
 * Also warnings: documents that cannot be read, exceed max_doc_bytes or contain NUL
 * bytes (skipped), invalid UTF-8 (repaired, counted), annotation files without
 * lines, the same article id in two language folders (lookups find the first).
 * Nothing is dropped silently: every skipped line or file leaves a warning.
 *
 * Documents are ordered by language folder name, then file name (byte order). */
#ifndef NS_IO_TASKDATA_H
#define NS_IO_TASKDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/taxonomy.h"

typedef enum {
	NS_ALIGN_NONE = 0,
	NS_ALIGN_EXACT = 1,
	NS_ALIGN_CRLF = 2,
	NS_ALIGN_NEAREST = 3,
} ns_align_kind;

typedef struct ns_task_mention {
	char *mention;        /* as in the file */
	char *key;            /* double quotes removed (the scorer's key) */
	int64_t file_start;   /* offsets as in the file (code points, end inclusive) */
	int64_t file_end;
	int64_t start, end;   /* aligned span in the document text: code points, half-open; -1 if NONE */
	size_t byte_start, byte_end; /* the same span in bytes of doc->text; 0 if NONE */
	ns_align_kind align;
	char *main_role;      /* NULL when the file has no roles (4-column mention list) */
	char **fine_roles;    /* in file order */
	size_t nfine_roles;
	int line;             /* line in the subtask-1 file */
} ns_task_mention;

typedef struct ns_task_expl {
	char *narrative;      /* dominant narrative, full label */
	char *subnarrative;   /* as written ("none" occurs) */
	char *text;
} ns_task_expl;

typedef struct ns_task_doc {
	char *id;             /* file name, e.g. "EN_UA_1.txt" */
	char *lang;           /* language folder name, e.g. "EN" */
	char *path;           /* path of the text file */
	char *text;           /* valid UTF-8 (invalid bytes repaired to U+FFFD), NUL-terminated */
	size_t len;           /* bytes */
	size_t ncp;           /* code points */
	size_t nrepaired;     /* invalid bytes repaired */
	bool has_narratives;  /* a subtask-2 line exists */
	char **coarse;        /* deduplicated, file order */
	size_t ncoarse;
	char **fine;
	size_t nfine;
	ns_task_expl *expl;   /* NULL when no subtask-3 line */
	ns_task_mention *mentions; /* file order */
	size_t nmentions;
} ns_task_doc;

typedef struct ns_task_lang_stats {
	const char *lang;
	size_t docs, mentions;
	size_t exact, crlf, nearest, failed; /* alignment counts; sum = mentions */
	size_t nearest_far;                  /* of `nearest`: more than 300 code points away */
	size_t narr_lines, expl_lines;       /* subtask-2/3 lines loaded */
	size_t warnings;
	bool has_st1, has_st2, has_st3;      /* annotation files present */
} ns_task_lang_stats;

typedef struct ns_taskdata_opts {
	int version;                 /* NS_TASKDATA_OPTS_VERSION */
	const ns_taxonomy *taxonomy; /* optional: validates roles of subtask 1 */
	int strict;                  /* warnings become errors */
	int lenient;                 /* malformed lines become warnings (skipped) */
	size_t max_doc_bytes;        /* per document; 0 = 10 MB default */
	const char *only_lang;       /* load only this language folder (case-insensitive), or NULL */
} ns_taskdata_opts;
#define NS_TASKDATA_OPTS_VERSION 1
#define NS_TASKDATA_OPTS_INIT {NS_TASKDATA_OPTS_VERSION, NULL, 0, 0, 0, NULL}

typedef struct ns_taskdata ns_taskdata;

/* Loads the corpus at dir. Returns 0 (warnings may be present) or a negative
 * NS_E* with a "file:line: reason" message; *out is NULL on error. */
int ns_taskdata_load(ns_taskdata **out, const char *dir, const ns_taskdata_opts *opts);
void ns_taskdata_free(ns_taskdata *td); /* NULL is a no-op */

size_t ns_taskdata_ndocs(const ns_taskdata *td);
const ns_task_doc *ns_taskdata_doc(const ns_taskdata *td, size_t i);
/* Index of the document with this id, or -1. */
int64_t ns_taskdata_find(const ns_taskdata *td, const char *id);
/* Per-language statistics in document order of languages. */
size_t ns_taskdata_nlangs(const ns_taskdata *td);
const ns_task_lang_stats *ns_taskdata_lang(const ns_taskdata *td, size_t i);
/* Totals over all languages (lang = "ALL"). */
ns_task_lang_stats ns_taskdata_total(const ns_taskdata *td);
/* Warning messages ("file:line: reason"), in load order. */
size_t ns_taskdata_nwarnings(const ns_taskdata *td);
const char *ns_taskdata_warning(const ns_taskdata *td, size_t i);

/* Aligns one mention to text[0..len) (valid UTF-8). key/keylen is the mention
 * string; start/end_incl the file offsets. On success sets *cp_start, *cp_end
 * (half-open code points) and *b_start, *b_end (bytes) and returns the kind;
 * returns NS_ALIGN_NONE when the string does not occur. Exposed for tests. */
ns_align_kind ns_taskdata_align(const char *text, size_t len, const char *key, size_t keylen,
				int64_t start, int64_t end_incl, int64_t *cp_start, int64_t *cp_end,
				size_t *b_start, size_t *b_end);

/* The same for many mentions of one text: the offset tables are built once, and a
 * string found nowhere is searched for once (the text must outlive the aligner). */
typedef struct ns_taskdata_aligner ns_taskdata_aligner;
int ns_taskdata_aligner_new(ns_taskdata_aligner **out, const char *text, size_t len); /* 0 or NS_ENOMEM */
void ns_taskdata_aligner_free(ns_taskdata_aligner *a);
ns_align_kind ns_taskdata_aligner_align(ns_taskdata_aligner *a, const char *key, size_t keylen, int64_t start,
					int64_t end_incl, int64_t *cp_start, int64_t *cp_end, size_t *b_start,
					size_t *b_end);

#endif
