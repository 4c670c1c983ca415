/* Light Bulgarian stemmer: strips the definite article, plural endings and a final
 * vowel, with the usual consonant alternations (-ци -> -к, -зи -> -г, -си -> -х).
 *
 * DESIGN: the rule set follows J. Savoy's light stemmer for Bulgarian ("Searching
 * strategies for the Bulgarian language", Information Retrieval 10, 2007), which
 * is the one Lucene ships; there is no Snowball Bulgarian. It works on code points
 * of the case-folded word, applies at most one rule per step, and never cuts a
 * word below three letters; words with non-Cyrillic letters are left alone. */
#include <string.h>

#include "internal.h"

#define MAXCP 128

/* Does w[0..n) end with the k code points of suffix? */
static bool ends_cp(const uint32_t *w, size_t n, const uint32_t *suffix, size_t k)
{
	if (k > n)
		return false;
	for (size_t j = 0; j < k; j++)
		if (w[n - k + j] != suffix[j])
			return false;
	return true;
}
#define ends(w, n, ...) \
	ends_cp((w), (n), (const uint32_t[]){__VA_ARGS__}, sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

/* Cyrillic letters used by the rules */
enum {
	A = 0x0430, V = 0x0432, G = 0x0433, E = 0x0435, Z = 0x0437, I = 0x0438, J = 0x0439,
	K = 0x043A, N = 0x043D, O = 0x043E, S = 0x0441, T = 0x0442, H = 0x0445, C = 0x0446,
	SHT = 0x0449, Y = 0x044A, JA = 0x044F,
};

static size_t remove_article(const uint32_t *w, size_t n)
{
	if (n > 6 && ends(w, n, I, JA, T))
		return n - 3;
	if (n > 5 && (ends(w, n, Y, T) || ends(w, n, T, O) || ends(w, n, T, E) ||
		      ends(w, n, T, A) || ends(w, n, I, JA)))
		return n - 2;
	if (n > 4 && ends(w, n, JA, T))
		return n - 2;
	return n;
}

static size_t remove_plural(uint32_t *w, size_t n)
{
	if (n > 6) {
		if (ends(w, n, O, V, C, I))
			return n - 3; /* keeps the о: градовци -> градо */
		if (ends(w, n, O, V, E))
			return n - 3;
		if (ends(w, n, E, V, E)) {
			w[n - 3] = J;
			return n - 2;
		}
	}
	if (n > 5) {
		if (ends(w, n, I, SHT, A))
			return n - 3;
		if (ends(w, n, T, A))
			return n - 2;
		if (ends(w, n, C, I)) {
			w[n - 2] = K;
			return n - 1;
		}
		if (ends(w, n, Z, I)) {
			w[n - 2] = G;
			return n - 1;
		}
		if (w[n - 3] == E && w[n - 1] == I) { /* -е?и -> -я? */
			w[n - 3] = JA;
			return n - 1;
		}
	}
	if (n > 4) {
		if (ends(w, n, S, I)) {
			w[n - 2] = H;
			return n - 1;
		}
		if (ends(w, n, I))
			return n - 1;
	}
	return n;
}

static bool is_vowel(uint32_t c)
{
	switch (c) {
	case 0x0430: case 0x0435: case 0x0438: case 0x043E: case 0x0443: /* а е и о у */
	case 0x044A: case 0x044E: case 0x044F: /* ъ ю я */
		return true;
	default:
		return false;
	}
}

static size_t stem_cp(uint32_t *w, size_t n)
{
	if (n < 4)
		return n;
	if (n > 5 && ends(w, n, I, SHT, A))
		return n - 3;
	n = remove_article(w, n);
	n = remove_plural(w, n);
	if (n > 3) {
		if (ends(w, n, JA) || ends(w, n, A) || ends(w, n, O) || ends(w, n, E))
			n--;
	}
	/* -ен -> -н and a movable ъ before the last consonant: зъб/зъби keep it */
	if (n > 4 && ends(w, n, E, N)) {
		w[n - 2] = N;
		n--;
	}
	if (n > 5 && w[n - 2] == Y && !is_vowel(w[n - 1])) {
		w[n - 2] = w[n - 1];
		n--;
	}
	return n;
}

size_t ns_text__stem_bg(char *out, const char *s, size_t n)
{
	uint32_t w[MAXCP];
	size_t k = 0, i = 0;
	while (i < n) {
		uint32_t c;
		i += ns_text__decode((const unsigned char *)s + i, n - i, &c);
		if (k == MAXCP || !(c >= 0x0430 && c <= 0x045F)) {
			memcpy(out, s, n); /* not a plain lower-case Cyrillic word */
			out[n] = '\0';
			return n;
		}
		w[k++] = c;
	}
	k = stem_cp(w, k);
	size_t o = 0;
	for (size_t j = 0; j < k; j++)
		o += ns_utf8_encode(w[j], out + o);
	out[o] = '\0';
	return o;
}
