/* Internals shared by the files of the text stage (src/text): the line table,
 * character classes, language codes, word-list lookup and the sub-steps that
 * ns_text_process (doc.c) runs in order: lines -> tokens -> norms -> cleaning ->
 * language -> paragraphs/sentences -> stems. Not part of the public API. */
#ifndef NS_TEXT_INTERNAL_H
#define NS_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* ---- languages the stage knows (langid.c) ---- */
enum ns_lang {
	NS_LANG_UND = 0,
	NS_LANG_EN,
	NS_LANG_BG,
	NS_LANG_RU,
	NS_LANG_UK,
	NS_LANG_PT,
	NS_LANG_HI,
	NS_LANG_COUNT
};
/* "en", "bg", ... ; "und" for NS_LANG_UND. */
const char *ns_text__lang_code(int lang);
/* Code -> enum; unknown codes give NS_LANG_UND. */
int ns_text__lang_from_code(const char *code);

/* ---- character classes (uchar.c) ---- */
enum ns_cclass {
	NS_C_SPACE = 0, /* white space, controls: separate tokens */
	NS_C_UPPER,     /* Lu, Lt */
	NS_C_LOWER,     /* Ll */
	NS_C_LETTER,    /* Lo, Lm: uncased letters (Devanagari, ...) */
	NS_C_MARK,      /* Mn, Mc, Me: combining marks, part of the word before */
	NS_C_DIGIT,     /* Nd */
	NS_C_HYPHEN,    /* - and Unicode hyphens: joins word parts */
	NS_C_APOS,      /* ' and right single quote / modifier apostrophe */
	NS_C_FORMAT,    /* Cf inside words: ZWJ, ZWNJ, soft hyphen; skipped elsewhere */
	NS_C_PUNCT,     /* everything else: one token per code point */
};
int ns_text__cclass(uint32_t cp);
/* True for quotation marks (flag NS_TOKF_QUOTE). */
bool ns_text__is_quote(uint32_t cp);
/* True for code points that end a sentence by themselves: . ! ? … । ॥ and kin. */
bool ns_text__is_terminal(uint32_t cp);
/* Script of a letter, for language identification. */
enum ns_script { NS_SCRIPT_OTHER = 0, NS_SCRIPT_LATIN, NS_SCRIPT_CYRILLIC, NS_SCRIPT_DEVANAGARI };
int ns_text__script(uint32_t cp);
/* Decodes one code point from valid UTF-8 (as doc->text is); returns its length. */
static inline size_t ns_text__decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	bool bad;
	return ns_utf8_next((const char *)s, n, cp, &bad);
}

/* ---- word lists (lexicon.c) ---- */
typedef struct ns_wordlist {
	const char *const *words; /* sorted by strcmp (bytes), unique */
	size_t n;
} ns_wordlist;
#define NS_WORDLIST(arr) {arr, sizeof(arr) / sizeof(arr[0])}
/* Returns the index of the first unsorted/duplicate entry, or -1 when sorted. */
long ns_text__wordlist_check(const ns_wordlist *wl);
/* Index of the list of a kind ("stop", "abbr_title", "abbr_general", "cue_share",
 * "cue_platform", "cue_cookie", "cue_copyright", "cue_timestamp", "cue_meta",
 * "cue_date") for a language code ("*" for the shared cue lists), or -1. */
int ns_text__lexicon_id(const char *kind, const char *lang);
/* 1 << id of that list, or 0 when there is none. */
uint64_t ns_text__lexicon_bit(const char *kind, const char *lang);
/* Bit set of the lists that contain s[0..len) (a norm or a joined phrase), plus
 * NS_LEX_PREFIX when s is a proper word prefix of some multi-word cue. */
#define NS_LEX_PREFIX ((uint64_t)1 << 63)
uint64_t ns_text__lexicon_mask(const char *s, size_t len);
size_t ns_text__lexicon_count(void);
const ns_wordlist *ns_text__lexicon_at(size_t i, const char **kind, const char **lang);

/* ---- lines (doc.c) ---- */
typedef struct ns_line {
	uint32_t start, end;   /* code points of the content, terminator excluded */
	uint32_t bstart, bend; /* bytes of the content */
	uint32_t next, bnext;  /* offsets just past the terminator (start of next line) */
	uint32_t tok_begin, tok_end;
	uint8_t clean;         /* enum ns_clean_kind, 0 = kept */
	uint8_t blank;         /* only white space */
} ns_line;

/* Working state of one ns_text_process call (arena-backed). */
typedef struct ns_text_ctx {
	ns_doc *doc;
	ns_line *lines;
	size_t nlines;
	uint32_t *tok_line; /* line index of each token */
	size_t tok_cap;
	int lang;           /* enum ns_lang */
} ns_text_ctx;

/* tokenize.c: fills doc->tokens and ctx->tok_line over every line. */
int ns_text__tokenize(ns_text_ctx *ctx);
/* normalize.c: sets norm/norm_len of every token. */
int ns_text__normalize(ns_text_ctx *ctx);
/* Normalises s[0..n) (valid UTF-8) into an arena string; sets *outlen. */
const char *ns_text__norm(ns_arena *a, const char *s, size_t n, uint16_t *outlen);
/* clean.c: marks boilerplate lines, records doc->cleaned, drops their tokens. */
int ns_text__clean(ns_text_ctx *ctx);
/* langid.c: identifies the language from the kept tokens. */
void ns_text__langid(ns_text_ctx *ctx, int *lang, double *confidence);
/* segment.c: paragraphs and sentences; sets token.sentence and SENT_START. */
int ns_text__segment(ns_text_ctx *ctx);
/* stem.c: stems of every word token for ctx->lang. */
int ns_text__stem(ns_text_ctx *ctx);
/* stem_bg.c: light Bulgarian suffix stripper over a case-folded word s[0..n);
 * writes the stem into out (room for n + 1 bytes, NUL-terminated) and returns
 * its length in bytes. */
size_t ns_text__stem_bg(char *out, const char *s, size_t n);

#endif
