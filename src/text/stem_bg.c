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

/* Does w[0..n) end with the code points of suffix (a UTF-8 literal)? */
static bool ends(const uint32_t *w, size_t n, const char *suffix)
{
	uint32_t s[8];
	size_t k = 0, i = 0, sl = strlen(suffix);
	while (i < sl && k < 8) {
		uint32_t c;
		i += ns_text__decode((const unsigned char *)suffix + i, sl - i, &c);
		s[k++] = c;
	}
	if (k > n)
		return false;
	for (size_t j = 0; j < k; j++)
		if (w[n - k + j] != s[j])
			return false;
	return true;
}

static size_t remove_article(const uint32_t *w, size_t n)
{
	if (n > 6 && ends(w, n, "ият"))
		return n - 3;
	if (n > 5 && (ends(w, n, "ът") || ends(w, n, "то") || ends(w, n, "те") ||
		      ends(w, n, "та") || ends(w, n, "ия")))
		return n - 2;
	if (n > 4 && ends(w, n, "ят"))
		return n - 2;
	return n;
}

static size_t remove_plural(uint32_t *w, size_t n)
{
	if (n > 6) {
		if (ends(w, n, "овци"))
			return n - 3; /* keeps the о: градовци -> градо */
		if (ends(w, n, "ове"))
			return n - 3;
		if (ends(w, n, "еве")) {
			w[n - 3] = 0x0439; /* й */
			return n - 2;
		}
	}
	if (n > 5) {
		if (ends(w, n, "ища"))
			return n - 3;
		if (ends(w, n, "та"))
			return n - 2;
		if (ends(w, n, "ци")) {
			w[n - 2] = 0x043A; /* к */
			return n - 1;
		}
		if (ends(w, n, "зи")) {
			w[n - 2] = 0x0433; /* г */
			return n - 1;
		}
		if (w[n - 3] == 0x0435 && w[n - 1] == 0x0438) { /* е?и -> я? */
			w[n - 3] = 0x044F;
			return n - 1;
		}
	}
	if (n > 4) {
		if (ends(w, n, "си")) {
			w[n - 2] = 0x0445; /* х */
			return n - 1;
		}
		if (ends(w, n, "и"))
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
	if (n > 5 && ends(w, n, "ища"))
		return n - 3;
	n = remove_article(w, n);
	n = remove_plural(w, n);
	if (n > 3) {
		if (ends(w, n, "я") || ends(w, n, "а") || ends(w, n, "о") || ends(w, n, "е"))
			n--;
	}
	/* -ен -> -н and a movable ъ before the last consonant: зъб/зъби keep it */
	if (n > 4 && ends(w, n, "ен")) {
		w[n - 2] = 0x043D; /* н */
		n--;
	}
	if (n > 5 && w[n - 2] == 0x044A && !is_vowel(w[n - 1])) {
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
