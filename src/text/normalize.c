/* Normal forms of tokens for matching: NFKC + full case folding (utf8proc), with
 * default-ignorable characters (soft hyphen, ZWJ, ZWNJ) and Cyrillic stress marks
 * removed. Reported spans never change; the normal form is a separate arena
 * string (token->norm).
 *
 * DESIGN: utf8proc_map mallocs per call, so the slow path decomposes into a stack
 * buffer (utf8proc_decompose) and recomposes in place (utf8proc_reencode). Two fast
 * paths cover most tokens of the corpus: pure ASCII (NFKC is the identity, folding
 * is A-Z -> a-z) and ASCII mixed with basic Cyrillic U+0400-U+045F (no
 * compatibility mappings; folding is a fixed offset). Both give byte-identical
 * results to the utf8proc path (checked by tests/unit/test_text.c). The other
 * tokens (Devanagari, accented Latin, Bulgarian and Ukrainian letters) are
 * memoised per thread, raw bytes -> normal form (util/smemo.c): words repeat, and
 * utf8proc on every occurrence was 3% of a corpus prediction's instructions
 * (callgrind). */
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

#define NS_NORM_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | \
		      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* Fast path: returns false when s has anything but ASCII and U+0400-U+045F. */
static bool fold_simple(char *out, const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			out[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
			i++;
			continue;
		}
		if (i + 1 >= n)
			return false;
		unsigned char d = s[i + 1];
		if (c == 0xD0) {
			if (d >= 0x80 && d <= 0x8F) {        /* U+0400-040F -> U+0450-045F */
				out[i] = (char)0xD1;
				out[i + 1] = (char)(d + 0x10);
			} else if (d >= 0x90 && d <= 0x9F) { /* U+0410-041F -> U+0430-043F */
				out[i] = (char)0xD0;
				out[i + 1] = (char)(d + 0x20);
			} else if (d >= 0xA0 && d <= 0xAF) { /* U+0420-042F -> U+0440-044F */
				out[i] = (char)0xD1;
				out[i + 1] = (char)(d - 0x20);
			} else {                             /* U+0430-043F: lower already */
				out[i] = (char)c;
				out[i + 1] = (char)d;
			}
		} else if (c == 0xD1 && d >= 0x80 && d <= 0x9F) { /* U+0440-045F */
			out[i] = (char)c;
			out[i + 1] = (char)d;
		} else {
			return false;
		}
		i += 2;
	}
	return true;
}

/* Removes stress marks (combining acute and grave) after Cyrillic letters: Russian
 * and Bulgarian texts mark stress optionally ("за́мок"), and a word must match with
 * or without it. Other marks, such as the breve of й, are kept. */
static utf8proc_ssize_t strip_stress(utf8proc_int32_t *buf, utf8proc_ssize_t len)
{
	utf8proc_ssize_t o = 0;
	for (utf8proc_ssize_t i = 0; i < len; i++) {
		if ((buf[i] == 0x0301 || buf[i] == 0x0300) && o > 0 && buf[o - 1] >= 0x0400 && buf[o - 1] <= 0x04FF)
			continue;
		buf[o++] = buf[i];
	}
	return o;
}

/* Slow path through utf8proc; writes into the arena. */
static const char *fold_utf8proc(ns_arena *a, char *spare, size_t spare_cap, const char *s, size_t n,
				 uint16_t *outlen)
{
	utf8proc_int32_t stack[512];
	utf8proc_int32_t *buf = stack;
	utf8proc_ssize_t cap = (utf8proc_ssize_t)(sizeof(stack) / sizeof(stack[0]));
	utf8proc_ssize_t len = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
						  buf, cap - 1, NS_NORM_OPTS);
	if (len >= cap - 1) {
		/* rare: a long token or a large expansion; decompose again into the arena */
		cap = len + 2;
		buf = ns_arena_array(a, (size_t)cap, sizeof(*buf));
		if (!buf)
			return NULL;
		len = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
					 buf, cap - 1, NS_NORM_OPTS);
	}
	if (len < 0) {
		/* not expected on repaired text; keep the bytes as they are */
		char *copy = ns_arena_strndup(a, s, n);
		*outlen = (uint16_t)n;
		return copy;
	}
	len = strip_stress(buf, len);
	utf8proc_ssize_t blen = utf8proc_reencode(buf, len, NS_NORM_OPTS);
	if (blen < 0)
		blen = 0;
	if (blen > 0xFFFF)
		blen = 0xFFFF;
	char *out;
	if (spare && (size_t)blen < spare_cap) {
		memcpy(spare, buf, (size_t)blen);
		spare[blen] = '\0';
		out = spare;
	} else {
		out = ns_arena_strndup(a, (const char *)buf, (size_t)blen);
	}
	*outlen = (uint16_t)blen;
	return out;
}

/* Slow-path normal forms memoised per thread (raw token bytes -> norm). */
#define NORM_MEMO_SLOTS_LOG2 14
#define NORM_MEMO_POOL ((size_t)1 << 20)

const char *ns_text__norm(ns_arena *a, const char *s, size_t n, uint16_t *outlen)
{
	if (n <= 0xFFFF) {
		char *out = ns_arena_alloc_raw(a, n + 1); /* every path writes the string and its NUL */
		if (!out)
			return NULL;
		if (fold_simple(out, (const unsigned char *)s, n)) {
			out[n] = '\0';
			*outlen = (uint16_t)n;
			return out;
		}
		ns_smemo *memo = n <= NS_SMEMO_MAX ? ns_smemo_thread(NS_TLS_NORM, NORM_MEMO_SLOTS_LOG2, NORM_MEMO_POOL)
						   : NULL;
		uint64_t h = memo ? ns_hash64(s, n, 0x6e6f726dULL) : 0;
		size_t vlen;
		const char *hit = memo ? ns_smemo_get(memo, h, s, n, &vlen) : NULL;
		if (hit) {
			char *dst = vlen <= n ? out : ns_arena_alloc_raw(a, vlen + 1);
			if (!dst)
				return NULL;
			memcpy(dst, hit, vlen);
			dst[vlen] = '\0';
			*outlen = (uint16_t)vlen;
			return dst;
		}
		/* reuse the buffer when the normal form fits */
		const char *r = fold_utf8proc(a, out, n + 1, s, n, outlen);
		if (r && memo)
			ns_smemo_put(memo, h, s, n, r, *outlen);
		return r;
	}
	return fold_utf8proc(a, NULL, 0, s, n, outlen);
}

int ns_text__normalize(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	for (size_t i = 0; i < doc->ntokens; i++) {
		ns_token *t = &doc->tokens[i];
		t->norm = ns_text__norm(&doc->arena, doc->text + t->bstart, t->bend - t->bstart, &t->norm_len);
		if (!t->norm)
			return NS_ENOMEM;
	}
	return 0;
}
