/* Document sources for analysis: plain-text files, directories (recursive, sorted
 * by path), `-` for stdin, and JSONL files with one {"id","text","source","date"}
 * object per line; plus the encoding checks every untrusted document goes through.
 *
 * DESIGN: ns_input is a pull iterator so a batch holds only the documents in
 * flight, never the whole corpus (directories are expanded to a sorted path list,
 * JSONL is read line by line). A bad document does not stop the iteration: it
 * comes back as an item with `error` set and a one-line `message` of the form
 * "<path>[:line]: <reason>", so the caller reports it in input order and goes on.
 * Document text is handed over as raw bytes: invalid UTF-8 is left in place for
 * ns_analyze to repair and count (one U+FFFD per bad byte), NUL bytes and binary
 * data are rejected here. */
#ifndef NS_IO_INPUT_H
#define NS_IO_INPUT_H

#include <stddef.h>

#include "../util/util.h"

#define NS_INPUT_MAX_BYTES_DEFAULT ((size_t)10 << 20) /* 10 MiB per document */

enum ns_input_format {
	NS_INPUT_AUTO = 0,  /* by name: *.jsonl / *.ndjson are JSONL; stdin is JSONL when
	                       its first non-blank byte is '{'; anything else is text */
	NS_INPUT_TEXT = 1,  /* every file is one document */
	NS_INPUT_JSONL = 2, /* every file is JSONL */
};

typedef struct ns_input_opts {
	unsigned version;
	size_t max_bytes; /* per document text; 0 = no limit */
	int format;       /* enum ns_input_format */
} ns_input_opts;
#define NS_INPUT_OPTS_VERSION 1
#define NS_INPUT_OPTS_INIT {NS_INPUT_OPTS_VERSION, NS_INPUT_MAX_BYTES_DEFAULT, NS_INPUT_AUTO}

/* One item from the iterator: a document, or a rejected document (error != 0).
 * Every pointer is owned by the item and freed by ns_input_doc_release. */
typedef struct ns_input_doc {
	char *id;       /* files: the path as found ("<stdin>" for -); JSONL: the given id,
	                   or "<path>:<line>" when the line has none or "" */
	char *source;   /* JSONL "source", NULL when absent */
	char *date;     /* JSONL "date", NULL when absent */
	char *text;     /* raw bytes, NUL-terminated for convenience; no NUL inside */
	size_t len;
	char *path;     /* file the item came from ("<stdin>" for -) */
	size_t line;    /* 1-based JSONL line, 0 for whole files */
	int error;      /* 0, or the NS_E* code of the rejection */
	char *message;  /* when error: "<path>[:line]: <reason>" (one line) */
} ns_input_doc;

typedef struct ns_input ns_input;

/* Opens an iterator over the given paths (each a file, a directory or "-"),
 * borrowed until ns_input_free. Nothing is read yet. */
int ns_input_open(ns_input **out, const char *const *paths, size_t npaths, const ns_input_opts *opts);
/* Opens an iterator over one in-memory input named `name` (format chosen from the
 * name as for files); `data` is borrowed. Used by fuzzing and servers. */
int ns_input_open_mem(ns_input **out, const char *name, const void *data, size_t len,
		      const ns_input_opts *opts);
/* Fills *doc with the next item and returns 1, returns 0 at the end, or a negative
 * NS_E* for a failure that stops the whole iteration (out of memory). Rejected
 * documents are items (doc->error), not failures. *doc must be released. */
int ns_input_next(ns_input *in, ns_input_doc *doc);
void ns_input_doc_release(ns_input_doc *doc);
void ns_input_free(ns_input *in);

/* Checks that s[0..n) is text: rejects binary data (known binary signatures,
 * UTF-16, or mostly control/invalid bytes in the first 8 KiB) and NUL bytes.
 * Returns 0 or NS_EBINARY with the reason (no path prefix) as the error message. */
int ns_input_check_text(const char *s, size_t n);

/* ---- JSONL records (jsonl.c) ---- */
typedef struct ns_jsonl_rec {
	char *id, *source, *date; /* NULL when absent or null */
	char *text;               /* decoded; lone surrogate escapes become one 0xFF
	                             byte each so UTF-8 repair counts them as one U+FFFD */
	size_t text_len;
} ns_jsonl_rec;

/* Parses one JSONL line as a strict JSON object (RFC 8259): members "text" (string,
 * required), "id" (string or number), "source" and "date" (string or null); other
 * members are validated and ignored; duplicated members are errors. Raw bytes
 * inside strings pass through unchanged (invalid UTF-8 is repaired later).
 * Returns 0, or NS_EFORMAT with "column C: reason" as the message. On success the
 * caller owns the record (ns_jsonl_rec_release). */
int ns_jsonl_parse(ns_jsonl_rec *out, const char *line, size_t n);
void ns_jsonl_rec_release(ns_jsonl_rec *rec);

#endif
