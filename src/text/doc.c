/* The document object (init, release, warnings) and the driver of the text stage:
 * ns_text_process splits lines and runs tokenization, normalisation, cleaning,
 * language identification, segmentation and stemming in that order.
 *
 * DESIGN: lines end at LF, CRLF or a lone CR; every byte of a terminator counts in
 * the code-point offsets, so a CRLF is two code points, as in the input. Cleaning
 * works on whole lines and uses the tokens' normal forms, so tokens come first and
 * the tokens of cleaned lines are dropped afterwards. All memory is in doc->arena. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Offsets are uint32_t; stay well below their range. */
#define NS_TEXT_MAX_BYTES ((size_t)0xF0000000u)

void ns_doc_init(ns_doc *doc, const char *text, size_t len)
{
	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	doc->len = len;
	memcpy(doc->lang, "und", 4);
}

void ns_doc_release(ns_doc *doc)
{
	if (!doc)
		return;
	ns_arena_free(&doc->arena);
	memset(doc, 0, sizeof(*doc));
	memcpy(doc->lang, "und", 4);
}

void ns_doc_warn(ns_doc *doc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!doc || doc->nwarnings >= NS_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	char *copy = ns_arena_strndup(&doc->arena, msg, len);
	if (copy)
		doc->warnings[doc->nwarnings++] = copy;
}

/* Closes the last line (k) at the end of the text and stores the table. */
static void finish_lines(ns_text_ctx *ctx, ns_line *lines, size_t k, uint32_t cp)
{
	lines[k].end = lines[k].next = cp;
	lines[k].bend = lines[k].bnext = (uint32_t)ctx->doc->len;
	ctx->lines = lines;
	ctx->nlines = k + 1;
	ctx->doc->nchars = cp;
}

/* Code points of s[0..n): the bytes that are not UTF-8 continuation bytes
 * (10xxxxxx), counted eight at a time. */
static size_t count_cp(const unsigned char *s, size_t n)
{
	size_t cont = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		cont += (size_t)__builtin_popcountll(x & ~(x << 1) & 0x8080808080808080ULL);
	}
	for (; i < n; i++)
		cont += (s[i] & 0xC0) == 0x80;
	return n - cont;
}

/* split_lines for a text without CR (nearly all): lines found with memchr and
 * code points counted eight bytes at a time; the byte loop below was 3% of a
 * corpus prediction's instructions (callgrind). Same table as split_lines. */
static int split_lines_lf(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	const unsigned char *s = (const unsigned char *)doc->text;
	size_t n = doc->len, nlines = 1, k = 0, b = 0;
	for (const unsigned char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
		nlines++;
	ns_line *lines = ns_arena_array(&doc->arena, nlines, sizeof(*lines));
	if (!lines)
		return NS_ENOMEM;
	uint32_t cp = 0;
	lines[0].start = 0;
	lines[0].bstart = 0;
	for (;;) {
		const unsigned char *nl = memchr(s + b, '\n', n - b);
		size_t e = nl ? (size_t)(nl - s) : n;
		cp += (uint32_t)count_cp(s + b, e - b);
		if (!nl)
			break;
		ns_line *l = &lines[k];
		l->end = cp;
		l->bend = (uint32_t)e;
		b = e + 1;
		cp++;
		l->next = cp;
		l->bnext = (uint32_t)b;
		k++;
		lines[k].start = cp;
		lines[k].bstart = (uint32_t)b;
	}
	finish_lines(ctx, lines, k, cp);
	return 0;
}

/* Splits doc->text into lines and counts code points (doc->nchars). Two passes:
 * the first counts lines so the table is allocated once. */
static int split_lines(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	const unsigned char *s = (const unsigned char *)doc->text;
	size_t n = doc->len, nlines = 1;
	if (!memchr(s, '\r', n))
		return split_lines_lf(ctx);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			nlines++;
		else if (s[i] == '\r' && !(i + 1 < n && s[i + 1] == '\n'))
			nlines++;
	}
	ns_line *lines = ns_arena_array(&doc->arena, nlines, sizeof(*lines));
	if (!lines)
		return NS_ENOMEM;
	size_t k = 0, b = 0;
	uint32_t cp = 0;
	lines[0].start = 0;
	lines[0].bstart = 0;
	while (b < n) {
		unsigned char c = s[b];
		if (c == '\n' || c == '\r') {
			ns_line *l = &lines[k];
			l->end = cp;
			l->bend = (uint32_t)b;
			size_t t = (c == '\r' && b + 1 < n && s[b + 1] == '\n') ? 2 : 1;
			b += t;
			cp += (uint32_t)t;
			l->next = cp;
			l->bnext = (uint32_t)b;
			k++;
			lines[k].start = cp;
			lines[k].bstart = (uint32_t)b;
			continue;
		}
		if ((c & 0xC0) != 0x80)
			cp++;
		b++;
	}
	finish_lines(ctx, lines, k, cp);
	return 0;
}

/* Sets stem = norm for every token (stemming disabled or no stemmer). */
static void stems_as_norms(ns_doc *doc)
{
	for (size_t i = 0; i < doc->ntokens; i++) {
		doc->tokens[i].stem = doc->tokens[i].norm;
		doc->tokens[i].stem_len = doc->tokens[i].norm_len;
	}
}

int ns_text_process(ns_doc *doc, const ns_text_opts *opts)
{
	ns_text_opts dflt = NS_TEXT_OPTS_INIT;
	ns_text_ctx ctx;
	int rc;
	if (!opts)
		opts = &dflt;
	if (!doc || (!doc->text && doc->len))
		return ns_error__set(NS_EINVAL, "text stage: no document text");
	if (opts->version != NS_TEXT_OPTS_VERSION)
		return ns_error__set(NS_EINVAL, "text stage: unsupported options version %u", opts->version);
	if (doc->len > NS_TEXT_MAX_BYTES)
		return ns_error__set(NS_ELIMIT, "text stage: document of %zu bytes is too large", doc->len);
	if (doc->tokens || doc->sentences || doc->cleaned)
		return ns_error__set(NS_EINVAL, "text stage: document was already processed");

	memset(&ctx, 0, sizeof(ctx));
	ctx.doc = doc;
	if ((rc = split_lines(&ctx)) < 0)
		goto cleanup;
	if ((rc = ns_text__tokenize(&ctx)) < 0)
		goto cleanup;
	if ((rc = ns_text__normalize(&ctx)) < 0)
		goto cleanup;
	if (opts->clean && (rc = ns_text__clean(&ctx)) < 0)
		goto cleanup;

	if (opts->force_lang) {
		ctx.lang = ns_text__lang_from_code(opts->force_lang);
		size_t l = strnlen(opts->force_lang, 3);
		memcpy(doc->lang, opts->force_lang, l);
		doc->lang[l] = '\0';
		doc->lang_confidence = 1.0;
	} else {
		double conf = 0;
		ns_text__langid(&ctx, &ctx.lang, &conf);
		const char *code = ns_text__lang_code(ctx.lang);
		memcpy(doc->lang, code, strlen(code) + 1);
		doc->lang_confidence = conf;
		if (ctx.lang == NS_LANG_UND && doc->ntokens >= 20)
			ns_doc_warn(doc, "language not identified (supported: bg, en, hi, pt, ru, uk); "
				    "no stems or abbreviation rules applied");
	}
	if (doc->ntokens == 0 && doc->ncleaned > 0)
		ns_doc_warn(doc, "no text left after removing %zu boilerplate span%s", doc->ncleaned,
			    doc->ncleaned == 1 ? "" : "s");

	if ((rc = ns_text__segment(&ctx)) < 0)
		goto cleanup;
	if (opts->stem) {
		if ((rc = ns_text__stem(&ctx)) < 0)
			goto cleanup;
	} else {
		stems_as_norms(doc);
	}
	rc = 0;
cleanup:
	return rc;
}
