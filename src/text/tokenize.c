/* Tokenizer: words (any script, with combining marks, inner hyphens and
 * apostrophes), numbers (with inner . , : - separators before a digit) and one
 * token per punctuation or symbol code point, with code-point and byte offsets.
 *
 * DESIGN: tokens never cross a line break. A word is a run of letters, combining
 * marks, digits and in-word format characters (ZWJ, ZWNJ, soft hyphen); a hyphen
 * joins when a letter or digit follows, an apostrophe when a letter follows
 * ("well-known", "COVID-19", "don't", "д'Артаньян"). A number starts with a digit and
 * may carry letters ("10th", "5G"). Tokens are capped at NS_TOK_MAX_BYTES bytes; a
 * longer run is split, which keeps norm_len in range and bounds the work per token. */
#include <string.h>

#include "internal.h"

#define NS_TOK_MAX_BYTES 1024

static bool is_wordch(int c)
{
	return c == NS_C_UPPER || c == NS_C_LOWER || c == NS_C_LETTER || c == NS_C_MARK ||
	       c == NS_C_DIGIT || c == NS_C_FORMAT;
}

static bool is_letter(int c)
{
	return c == NS_C_UPPER || c == NS_C_LOWER || c == NS_C_LETTER || c == NS_C_MARK;
}

/* Appends a token; grows the token and line-index arrays geometrically. */
static ns_token *push(ns_text_ctx *ctx, uint32_t line)
{
	ns_doc *doc = ctx->doc;
	if (doc->ntokens == ctx->tok_cap) {
		/* a token per 4 bytes covers nearly every text (the corpus averages 8.4
		 * bytes a token), so the arrays are rarely copied; the room is not
		 * zeroed (each token is on push), so unused pages are never touched.
		 * Starting from a token per 8 bytes, growing was 1.6% of a corpus
		 * prediction's instructions (callgrind). */
		size_t ncap = ctx->tok_cap ? ctx->tok_cap * 2 : 64 + doc->len / 4;
		ns_token *t = ns_arena_grow_raw(&doc->arena, doc->tokens, doc->ntokens, ncap, sizeof(*t));
		uint32_t *tl = ns_arena_grow_raw(&doc->arena, ctx->tok_line, doc->ntokens, ncap, sizeof(*tl));
		if (!t || !tl)
			return NULL;
		doc->tokens = t;
		ctx->tok_line = tl;
		ctx->tok_cap = ncap;
	}
	ctx->tok_line[doc->ntokens] = line;
	ns_token *tok = &doc->tokens[doc->ntokens++];
	memset(tok, 0, sizeof(*tok));
	return tok;
}

/* Class of the code point at byte b (< end), or NS_C_SPACE past the end. */
static int peek(const unsigned char *s, size_t b, size_t end, uint32_t *cp, size_t *k)
{
	if (b >= end) {
		*k = 0;
		*cp = 0;
		return NS_C_SPACE;
	}
	*k = ns_text__decode(s + b, end - b, cp);
	return ns_text__cclass(*cp);
}

static int tokenize_line(ns_text_ctx *ctx, uint32_t li)
{
	const unsigned char *s = (const unsigned char *)ctx->doc->text;
	ns_line *l = &ctx->lines[li];
	size_t b = l->bstart, end = l->bend;
	uint32_t cp = l->start;
	l->tok_begin = (uint32_t)ctx->doc->ntokens;
	while (b < end) {
		uint32_t c;
		size_t k;
		int cls = peek(s, b, end, &c, &k);
		if (cls == NS_C_SPACE || cls == NS_C_FORMAT) {
			b += k;
			cp++;
			continue;
		}
		ns_token *t = push(ctx, li);
		if (!t)
			return NS_ENOMEM;
		t->start = cp;
		t->bstart = (uint32_t)b;
		if (cls == NS_C_PUNCT || cls == NS_C_HYPHEN || cls == NS_C_APOS) {
			t->kind = NS_TOK_PUNCT;
			if (ns_text__is_quote(c))
				t->flags |= NS_TOKF_QUOTE;
			b += k;
			cp++;
			t->end = cp;
			t->bend = (uint32_t)b;
			continue;
		}
		bool number = cls == NS_C_DIGIT;
		unsigned nupper = 0, nlower = 0, first_seen = 0;
		size_t tb = b, last_b = b;
		uint32_t last_cp = cp;
		t->kind = number ? NS_TOK_NUMBER : NS_TOK_WORD;
		for (;;) {
			if (b >= end || b - tb >= NS_TOK_MAX_BYTES)
				break;
			cls = peek(s, b, end, &c, &k);
			if (is_wordch(cls)) {
				if (cls == NS_C_UPPER) {
					nupper++;
					if (!first_seen)
						t->flags |= NS_TOKF_UPPER_INITIAL;
				} else if (cls == NS_C_LOWER) {
					nlower++;
				}
				if (cls == NS_C_UPPER || cls == NS_C_LOWER || cls == NS_C_LETTER)
					first_seen = 1;
				b += k;
				cp++;
				if (cls != NS_C_FORMAT) {
					last_b = b;
					last_cp = cp;
				}
				continue;
			}
			/* joiners: look at the next code point */
			bool sep = (cls == NS_C_HYPHEN || cls == NS_C_APOS) ||
				   (number && (c == '.' || c == ',' || c == ':'));
			if (!sep)
				break;
			uint32_t c2;
			size_t k2;
			int cls2 = peek(s, b + k, end, &c2, &k2);
			bool ok;
			if (number)
				ok = cls2 == NS_C_DIGIT && (cls != NS_C_APOS);
			else if (cls == NS_C_HYPHEN)
				ok = is_letter(cls2) || cls2 == NS_C_DIGIT;
			else
				ok = cls2 == NS_C_UPPER || cls2 == NS_C_LOWER || cls2 == NS_C_LETTER;
			if (!ok || b + k - tb >= NS_TOK_MAX_BYTES)
				break;
			b += k;
			cp++;
		}
		/* trailing format characters are not part of the token */
		b = last_b;
		cp = last_cp;
		t->end = cp;
		t->bend = (uint32_t)b;
		if (nupper >= 2 && nlower == 0)
			t->flags |= NS_TOKF_ALL_UPPER;
	}
	l->tok_end = (uint32_t)ctx->doc->ntokens;
	l->blank = l->tok_begin == l->tok_end;
	return 0;
}

int ns_text__tokenize(ns_text_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nlines; i++) {
		int rc = tokenize_line(ctx, (uint32_t)i);
		if (rc < 0)
			return rc;
	}
	return 0;
}
