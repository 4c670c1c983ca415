/* Boilerplate cleaning: marks whole lines as share/subscribe/cookie, copyright,
 * timestamp or leading metadata lines, and runs of blank lines beyond the first,
 * records them as doc->cleaned spans and drops their tokens.
 *
 * DESIGN: nothing is cut from the text, so every offset stays valid; a cleaned
 * span covers its lines with their terminators. The decision uses the tokens'
 * normal forms and the cue lists of lexicon.c for all languages at once (a Russian
 * site can carry an English footer), and it is conservative: a cue only counts in
 * a short line and, for share/subscribe/follow cues, together with a platform word
 * (Telegram, newsletter, ...) or in a line of at most four words without a final
 * full stop, so "Shares in Lockheed fell" or "Follow the money." stay text. */
#include <string.h>

#include "internal.h"

/* Lines longer than this (code points) are never boilerplate. */
#define NS_CLEAN_MAX_CHARS 250
/* Leading metadata is looked for in this many first non-blank lines. */
#define NS_CLEAN_LEAD_LINES 4
/* Longest cue phrase, in words. */
#define NS_CUE_MAX_WORDS 5

/* Bits of the cue lists (see ns_text__lexicon_mask). */
typedef struct cues {
	uint64_t share, platform, cookie, copyright, timestamp, meta, date;
} cues;

static bool in(uint64_t bit, const ns_token *t)
{
	return (ns_text__lexicon_mask(t->norm, t->norm_len) & bit) != 0;
}

/* Word tokens of a line, for phrase matching, with each word's lexicon mask
 * (looked up once: a line's words are tested against several lists). */
typedef struct line_words {
	const ns_token *w[64];
	uint64_t m[64];
	size_t n;      /* word tokens kept (at most 64) */
	size_t nwords; /* all word tokens */
	size_t nnum, npunct;
} line_words;

static void collect(line_words *lw, const ns_doc *doc, const ns_line *l)
{
	memset(lw, 0, sizeof(*lw));
	for (uint32_t i = l->tok_begin; i < l->tok_end; i++) {
		const ns_token *t = &doc->tokens[i];
		if (t->kind == NS_TOK_WORD) {
			if (lw->n < 64) {
				lw->m[lw->n] = ns_text__lexicon_mask(t->norm, t->norm_len);
				lw->w[lw->n++] = t;
			}
			lw->nwords++;
		} else if (t->kind == NS_TOK_NUMBER) {
			lw->nnum++;
		} else {
			lw->npunct++;
		}
	}
}

/* Length in words of the longest phrase of `list` that starts at word `at`, or 0. */
static size_t phrase_at(const line_words *lw, size_t at, uint64_t list)
{
	char buf[256];
	size_t len = 0, best = 0;
	for (size_t k = 0; k < NS_CUE_MAX_WORDS && at + k < lw->n; k++) {
		const ns_token *t = lw->w[at + k];
		if (len + t->norm_len + 1 >= sizeof(buf))
			break;
		if (k)
			buf[len++] = ' ';
		memcpy(buf + len, t->norm, t->norm_len);
		len += t->norm_len;
		uint64_t m = k ? ns_text__lexicon_mask(buf, len) : lw->m[at];
		if (m & list)
			best = k + 1;
		if (!(m & NS_LEX_PREFIX))
			break;
	}
	return best;
}

static bool has_word(const line_words *lw, uint64_t list)
{
	for (size_t i = 0; i < lw->n; i++)
		if (phrase_at(lw, i, list))
			return true;
	return false;
}

/* Does the first word token start the line (only punctuation before it)? */
static bool word_first(const ns_doc *doc, const ns_line *l, const line_words *lw)
{
	return lw->n > 0 && lw->w[0] == &doc->tokens[l->tok_begin];
}

static uint32_t first_cp(const ns_doc *doc, const ns_token *t)
{
	uint32_t c;
	ns_text__decode((const unsigned char *)doc->text + t->bstart, t->bend - t->bstart, &c);
	return c;
}

/* "©" or "(c)" anywhere in the first tokens of the line. */
static bool has_copyright_sign(const ns_doc *doc, const ns_line *l)
{
	for (uint32_t i = l->tok_begin; i < l->tok_end; i++) {
		const ns_token *t = &doc->tokens[i];
		if (t->kind == NS_TOK_PUNCT && first_cp(doc, t) == 0x00A9)
			return true;
		if (i + 2 < l->tok_end && t->norm[0] == '(' && t[1].norm_len == 1 && t[1].norm[0] == 'c' &&
		    t[2].norm[0] == ')' && t[1].start == t->end && t[2].start == t[1].end)
			return true;
	}
	return false;
}

/* A number that looks like a year, a time or a numeric date. */
static bool datelike_number(const ns_token *t)
{
	if (t->kind != NS_TOK_NUMBER)
		return false;
	if (t->norm_len == 4 && (memcmp(t->norm, "19", 2) == 0 || memcmp(t->norm, "20", 2) == 0))
		return true;
	for (size_t i = 0; i < t->norm_len; i++)
		if (t->norm[i] == ':' || t->norm[i] == '.' || t->norm[i] == '-' || t->norm[i] == '/')
			return true;
	return false;
}

/* Only date words, numbers and punctuation, with at least one date-like number. */
static bool bare_date(const ns_doc *doc, const ns_line *l, const line_words *lw, const cues *c)
{
	bool seen = false;
	if (lw->nwords > 8 || lw->n != lw->nwords)
		return false;
	for (size_t i = 0; i < lw->n; i++)
		if (!(lw->m[i] & c->date))
			return false;
	for (uint32_t i = l->tok_begin; i < l->tok_end; i++)
		if (datelike_number(&doc->tokens[i]))
			seen = true;
	return seen;
}

/* Only metadata keys, share cues, platforms, date words, numbers and punctuation,
 * with at least one key or share cue. */
static bool metadata_line(const line_words *lw, const cues *c)
{
	bool key = false;
	if (lw->nwords == 0 || lw->nwords > 10 || lw->n != lw->nwords)
		return false;
	for (size_t i = 0; i < lw->n; i++) {
		uint64_t m = lw->m[i];
		if (m & (c->meta | c->share))
			key = true;
		else if (!(m & (c->date | c->platform)))
			return false;
	}
	return key;
}

/* Kind of boilerplate of a non-blank line, or 0. */
static int classify(const ns_doc *doc, const ns_line *l, bool lead, const cues *c)
{
	line_words lw;
	if (l->end - l->start > NS_CLEAN_MAX_CHARS)
		return 0;
	collect(&lw, doc, l);
	const ns_token *last = &doc->tokens[l->tok_end - 1];
	bool final_stop = last->kind == NS_TOK_PUNCT && last->norm_len == 1 && last->norm[0] == '.';

	/* copyright: a sign or cue at the start, or "all rights reserved" anywhere */
	if (has_copyright_sign(doc, l) && lw.nwords <= 25)
		return NS_CLEAN_COPYRIGHT;
	if (has_word(&lw, c->copyright) && lw.nwords <= 25)
		return NS_CLEAN_COPYRIGHT;

	/* timestamp: "Updated: ...", "Published - August 29, 2024", or a bare date */
	size_t k = word_first(doc, l, &lw) ? phrase_at(&lw, 0, c->timestamp) : 0;
	if (k && lw.nwords <= 14) {
		/* the cue must be followed by ":", "-", a number or a date word */
		const ns_token *after = lw.w[k - 1] + 1;
		if (after < &doc->tokens[l->tok_end] &&
		    (after->kind == NS_TOK_PUNCT || after->kind == NS_TOK_NUMBER ||
		     in(c->date, after)))
			return NS_CLEAN_TIMESTAMP;
	}
	if (l->end - l->start <= 80 && bare_date(doc, l, &lw, c))
		return NS_CLEAN_TIMESTAMP;

	/* share/subscribe/follow: cue at the start plus a platform, or a short line */
	if (word_first(doc, l, &lw) && phrase_at(&lw, 0, c->share)) {
		if (has_word(&lw, c->platform))
			return NS_CLEAN_SHARE;
		if (lw.nwords <= 4 && !final_stop)
			return NS_CLEAN_SHARE;
	}
	/* a row of platform names: "Facebook Twitter WhatsApp" */
	if (lw.nwords >= 2 && lw.nwords <= 8 && lw.n == lw.nwords && lw.nnum == 0) {
		size_t np = 0;
		for (size_t i = 0; i < lw.n; i++)
			if (lw.m[i] & (c->platform | c->share))
				np++;
		if (np == lw.n)
			return NS_CLEAN_SHARE;
	}
	if (lw.nwords <= 60 && has_word(&lw, c->cookie))
		return NS_CLEAN_SHARE;

	if (lead && metadata_line(&lw, c))
		return NS_CLEAN_METADATA;
	return 0;
}

/* Appends a cleaned span, merging with the previous one when adjacent and alike. */
static int add_span(ns_doc *doc, size_t *cap, const ns_line *first, const ns_line *last, int kind)
{
	if (doc->ncleaned) {
		ns_cleaned *p = &doc->cleaned[doc->ncleaned - 1];
		if (p->kind == kind && p->end == first->start) {
			p->end = last->next;
			p->bend = last->bnext;
			return 0;
		}
	}
	if (doc->ncleaned == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		ns_cleaned *c = ns_arena_grow(&doc->arena, doc->cleaned, doc->ncleaned, ncap, sizeof(*c));
		if (!c)
			return NS_ENOMEM;
		doc->cleaned = c;
		*cap = ncap;
	}
	ns_cleaned *s = &doc->cleaned[doc->ncleaned++];
	s->start = first->start;
	s->bstart = first->bstart;
	s->end = last->next;
	s->bend = last->bnext;
	s->kind = (uint8_t)kind;
	return 0;
}

/* Removes the tokens of cleaned lines and renumbers the lines' token ranges. */
static void drop_tokens(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	size_t w = 0;
	for (size_t li = 0; li < ctx->nlines; li++) {
		ns_line *l = &ctx->lines[li];
		uint32_t b = l->tok_begin, e = l->tok_end;
		l->tok_begin = (uint32_t)w;
		if (!l->clean) {
			if (w != b) {
				memmove(&doc->tokens[w], &doc->tokens[b], (e - b) * sizeof(ns_token));
				memmove(&ctx->tok_line[w], &ctx->tok_line[b], (e - b) * sizeof(uint32_t));
			}
			w += e - b;
		}
		l->tok_end = (uint32_t)w;
	}
	doc->ntokens = w;
}

int ns_text__clean(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	cues c = {
		ns_text__lexicon_bit("cue_share", "*"), ns_text__lexicon_bit("cue_platform", "*"),
		ns_text__lexicon_bit("cue_cookie", "*"), ns_text__lexicon_bit("cue_copyright", "*"),
		ns_text__lexicon_bit("cue_timestamp", "*"), ns_text__lexicon_bit("cue_meta", "*"),
		ns_text__lexicon_bit("cue_date", "*"),
	};
	size_t cap = 0, nonblank = 0, any = 0;
	for (size_t li = 0; li < ctx->nlines; li++) {
		ns_line *l = &ctx->lines[li];
		if (l->blank) {
			/* a blank line after a blank line starts or extends a run */
			if (li > 0 && ctx->lines[li - 1].blank && l->next > l->start) {
				l->clean = NS_CLEAN_BLANK;
				any = 1;
			}
			continue;
		}
		nonblank++;
		l->clean = (uint8_t)classify(doc, l, nonblank <= NS_CLEAN_LEAD_LINES, &c);
		if (l->clean)
			any = 1;
	}
	if (!any)
		return 0;
	for (size_t li = 0; li < ctx->nlines; li++) {
		ns_line *l = &ctx->lines[li];
		if (!l->clean)
			continue;
		int rc = add_span(doc, &cap, l, l, l->clean);
		if (rc < 0)
			return rc;
	}
	drop_tokens(ctx);
	return 0;
}
