/* The per-document working structure that every analysis stage reads and extends.
 *
 * DESIGN: the text is kept exactly as given (after UTF-8 repair, where each invalid
 * byte became one U+FFFD, so code-point offsets are unchanged). Boilerplate is not
 * cut out; it is recorded as `cleaned` spans that segmentation and tokenization
 * skip, which keeps every offset valid against the original input. All spans are
 * half-open [start, end) in code points of the original input; byte offsets into
 * `text` are kept alongside for fast slicing. Everything hangs off `arena`. */
#ifndef NS_TEXT_DOC_H
#define NS_TEXT_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

typedef struct ns_span {
	uint32_t start, end; /* code points, half-open */
} ns_span;

enum ns_tok_kind {
	NS_TOK_WORD = 1,   /* letters (any script, with combining marks), inner ' and - */
	NS_TOK_NUMBER = 2, /* digits, with inner . , : separators */
	NS_TOK_PUNCT = 3,  /* one punctuation/symbol code point */
};

/* token flags */
#define NS_TOKF_UPPER_INITIAL 0x01 /* first letter is upper case */
#define NS_TOKF_ALL_UPPER 0x02     /* every letter upper case, >= 2 letters */
#define NS_TOKF_QUOTE 0x04         /* punctuation that is a quotation mark */
#define NS_TOKF_SENT_START 0x08    /* first token of its sentence */

typedef struct ns_token {
	uint32_t start, end;   /* code points in the original text */
	uint32_t bstart, bend; /* bytes in doc->text */
	uint32_t sentence;     /* index into doc->sentences */
	uint8_t kind;          /* enum ns_tok_kind */
	uint8_t flags;         /* NS_TOKF_* */
	uint16_t norm_len, stem_len;
	const char *norm;      /* NFKC + case-folded form, arena, NUL-terminated */
	const char *stem;      /* stem of norm for the document language (== norm if none) */
} ns_token;

typedef struct ns_sentence {
	uint32_t start, end;         /* code points */
	uint32_t bstart, bend;       /* bytes */
	uint32_t tok_begin, tok_end; /* token index range [begin, end) */
	uint32_t paragraph;          /* index into doc->paragraphs */
} ns_sentence;

/* A paragraph is one line of text, or several when a line is hard-wrapped (the
 * next starts with a lower-case word and the line has no final punctuation);
 * blank and cleaned lines separate paragraphs too. See src/text/segment.c. */
typedef struct ns_paragraph {
	uint32_t start, end;   /* code points */
	uint32_t bstart, bend; /* bytes */
	uint32_t sent_begin, sent_end;
} ns_paragraph;

/* boilerplate kinds recorded in cleaned spans */
enum ns_clean_kind {
	NS_CLEAN_SHARE = 1,     /* share/subscribe/follow/cookie lines */
	NS_CLEAN_COPYRIGHT = 2, /* copyright, all rights reserved */
	NS_CLEAN_TIMESTAMP = 3, /* Updated:, Published:, bare dates/times */
	NS_CLEAN_BLANK = 4,     /* runs of blank lines beyond one */
	NS_CLEAN_METADATA = 5,  /* leading metadata such as "date 2024-06 Share:" */
};

typedef struct ns_cleaned {
	uint32_t start, end;   /* code points */
	uint32_t bstart, bend; /* bytes */
	uint8_t kind;          /* enum ns_clean_kind */
} ns_cleaned;

#define NS_MAX_WARNINGS 16

typedef struct ns_doc {
	ns_arena arena;
	const char *id, *source, *date; /* borrowed or arena copies; may be NULL */
	const char *text;               /* valid UTF-8 (repaired); NOT owned by doc */
	size_t len;                     /* bytes */
	size_t nchars;                  /* code points */
	size_t nrepaired;               /* invalid bytes replaced by U+FFFD */
	const char *title;              /* not used yet */

	char lang[4];                   /* ISO 639-1 or "und" */
	double lang_confidence;         /* 0..1 */

	ns_cleaned *cleaned;
	size_t ncleaned;
	ns_paragraph *paragraphs;
	size_t nparagraphs;
	ns_sentence *sentences;
	size_t nsentences;
	ns_token *tokens;
	size_t ntokens;

	const char *warnings[NS_MAX_WARNINGS]; /* arena strings */
	size_t nwarnings;

	/* layers added by later stages; each stage owns its pointer's type */
	void *entities;   /* src/entity */
	void *narratives; /* src/narrative */
	void *roles;      /* src/frame */
	void *claims;     /* src/claim */
} ns_doc;

/* Options for the text stage. */
typedef struct ns_text_opts {
	unsigned version;
	int clean;      /* strip boilerplate (default 1) */
	int stem;       /* compute stems (default 1) */
	const char *force_lang; /* skip identification when non-NULL */
} ns_text_opts;
#define NS_TEXT_OPTS_VERSION 1
#define NS_TEXT_OPTS_INIT {NS_TEXT_OPTS_VERSION, 1, 1, NULL}

/* Runs the whole text stage on doc->text/len (set by the caller, valid UTF-8):
 * counts chars, cleans boilerplate, identifies the language, segments paragraphs
 * and sentences, tokenizes, normalises and stems. Thread-safe (per-thread stemmer
 * state is kept in thread-local storage). Returns 0 or NS_E*. */
int ns_text_process(ns_doc *doc, const ns_text_opts *opts);
/* Initialises doc over text (borrowed; must be valid UTF-8 and outlive doc). */
void ns_doc_init(ns_doc *doc, const char *text, size_t len);
/* Frees the arena and resets doc. */
void ns_doc_release(ns_doc *doc);
/* Adds a warning (copied into the arena); silently drops beyond NS_MAX_WARNINGS. */
void ns_doc_warn(ns_doc *doc, const char *fmt, ...) NS_PRINTF(2, 3);

#endif
