/* Readers and writers for the official task TSV files (no header, tab-separated):
 *   subtask 1 (framing):      article_id mention start end main_role fine_role [fine_role ...]
 *   subtask 2 (narratives):   article_id narrative;narrative;... subnarrative;subnarrative;...
 *   subtask 3 (explanations): article_id narrative subnarrative explanation
 * Gold and prediction files have the same shape and use the same readers.
 *
 * Errors name the place: "<name>:<line>: reason" (wrong column count, bad or
 * negative integer, start > end, empty article id, role not in the taxonomy, fine
 * role not belonging to the main role). A trailing CR on a line is removed; blank
 * lines are skipped. Parsed tables own all their strings. */
#ifndef NS_IO_TSV_H
#define NS_IO_TSV_H

#include <stddef.h>
#include <stdint.h>

#include "io/taxonomy.h"
#include "util/util.h"

typedef struct ns_tsv_opts {
	int version;                /* NS_TSV_OPTS_VERSION */
	const ns_taxonomy *taxonomy; /* when set with roles, subtask-1 roles are validated */
	int allow_no_roles;         /* subtask 1: accept 4-column lines (mention lists without roles) */
	size_t max_bytes;           /* file size limit for the _read functions; 0 = none */
	/* When set, a malformed line (including NUL bytes or invalid UTF-8 in it) is
	 * reported here ("name:line: reason") and skipped instead of failing the parse;
	 * allocation failures still fail. */
	void (*on_skip)(void *payload, const char *msg);
	void *payload;
} ns_tsv_opts;
#define NS_TSV_OPTS_VERSION 1
#define NS_TSV_OPTS_INIT {NS_TSV_OPTS_VERSION, NULL, 0, 0, NULL, NULL}

/* ---- subtask 1 ---- */
typedef struct ns_tsv_role_row {
	char *article_id;
	char *mention;       /* as in the file (double quotes kept) */
	char *key;           /* mention with every '"' removed: the key used by the scorer */
	int64_t start, end;  /* as in the file: code points, end inclusive */
	char *main_role;     /* NULL for a 4-column line (allow_no_roles) */
	char **fine_roles;   /* in file order; may repeat as in the file */
	size_t nfine_roles;
	int line;            /* 1-based line in the source */
} ns_tsv_role_row;

typedef struct ns_tsv_roles {
	ns_tsv_role_row *rows;
	size_t n;
} ns_tsv_roles;

/* Parses data[0..len) (need not be NUL-terminated); `name` is used in messages. */
int ns_tsv_parse_roles_mem(ns_tsv_roles **out, const char *data, size_t len, const char *name,
			   const ns_tsv_opts *opts);
int ns_tsv_read_roles(ns_tsv_roles **out, const char *path, const ns_tsv_opts *opts);
void ns_tsv_roles_free(ns_tsv_roles *t);

/* ---- subtask 2 ---- */
typedef struct ns_tsv_narr_row {
	char *article_id;
	char **coarse;  /* split on ';', trimmed of spaces, empty items dropped, deduplicated in order */
	size_t ncoarse;
	char **fine;
	size_t nfine;
	int line;
} ns_tsv_narr_row;

typedef struct ns_tsv_narrs {
	ns_tsv_narr_row *rows;
	size_t n;
} ns_tsv_narrs;

int ns_tsv_parse_narrs_mem(ns_tsv_narrs **out, const char *data, size_t len, const char *name,
			   const ns_tsv_opts *opts);
int ns_tsv_read_narrs(ns_tsv_narrs **out, const char *path, const ns_tsv_opts *opts);
void ns_tsv_narrs_free(ns_tsv_narrs *t);

/* ---- subtask 3 ---- */
typedef struct ns_tsv_expl_row {
	char *article_id;
	char *narrative;
	char *subnarrative;  /* as written, e.g. "none" in some gold lines */
	char *text;          /* explanation; tabs inside it (more than 4 columns) are kept as spaces */
	int line;
} ns_tsv_expl_row;

typedef struct ns_tsv_expls {
	ns_tsv_expl_row *rows;
	size_t n;
} ns_tsv_expls;

int ns_tsv_parse_expls_mem(ns_tsv_expls **out, const char *data, size_t len, const char *name,
			   const ns_tsv_opts *opts);
int ns_tsv_read_expls(ns_tsv_expls **out, const char *path, const ns_tsv_opts *opts);
void ns_tsv_expls_free(ns_tsv_expls *t);

/* ---- writers: append one line (with '\n') to b; failure sticks in b ----
 * Tabs, CR and LF inside fields are written as spaces so a line stays a line.
 * article_id is the file name as in the shared task ("EN_UA_1.txt").
 * end is the inclusive end, as in the files. */
void ns_tsv_write_role(ns_buf *b, const char *article_id, const char *mention, int64_t start,
		       int64_t end_incl, const char *main_role, const char *const *fine_roles,
		       size_t nfine_roles);
/* Writes "Other" for an empty list (the shared task's convention). */
void ns_tsv_write_narr(ns_buf *b, const char *article_id, const char *const *coarse, size_t ncoarse,
		       const char *const *fine, size_t nfine);
void ns_tsv_write_expl(ns_buf *b, const char *article_id, const char *narrative,
		       const char *subnarrative, const char *text, size_t text_len);

#endif
