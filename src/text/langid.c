/* Language identification for bg, en, hi, pt, ru, uk (everything else is "und"):
 * the script of the words first, then stop words and letters peculiar to one
 * language of that script, over a bounded prefix of the kept tokens.
 *
 * DESIGN: a news article gives hundreds of function words, so counting exclusive
 * stop words (lexicon.c keeps only words no other language of the same script
 * lists) separates languages of one script with a wide margin, at the cost of a
 * few binary searches per word over the first NS_LANGID_WORDS words. Letters add
 * evidence: ы э ё for Russian, і ї є ґ for Ukrainian, ъ for Bulgarian, ј љ њ ћ ђ
 * џ ѓ ќ ѕ for Serbian/Macedonian, ў for Belarusian, ã õ ç â ê ô for Portuguese, ñ for
 * Spanish, and so do a few word endings (see word_cues). Competitors that are not supported (es, fr, de, it, sr, be, mr, ne)
 * are scored too so that their texts come out "und" rather than as the nearest
 * supported language. Confidence = smoothed share of the winner's score among
 * its script's candidates x fraction of words in that script x an evidence factor
 * that reaches 1 at 20 points of evidence. tests/unit/test_text_langid.c measures
 * it on all 1,781 training articles (1.0000 for every language when written).
 * Debian's libexttextcat was measured on the same articles (first 4 KB each) and
 * rejected: bg 0.74 (the rest taken for ru), others 1.00, at 4 MB/s, which alone
 * would use up the stage's 20 MB/s budget five times over. */
#include <string.h>

#include "internal.h"

/* Words looked at: enough for a clear margin, bounded for speed. */
#define NS_LANGID_WORDS 400

static const char *const codes[NS_LANG_COUNT] = {"und", "en", "bg", "ru", "uk", "pt", "hi"};

const char *ns_text__lang_code(int lang)
{
	return (lang > 0 && lang < NS_LANG_COUNT) ? codes[lang] : "und";
}

int ns_text__lang_from_code(const char *code)
{
	for (int i = 1; i < NS_LANG_COUNT; i++)
		if (code && strcmp(code, codes[i]) == 0)
			return i;
	return NS_LANG_UND;
}

/* Candidates: script, stop-word list code, the language reported (UND for the
 * unsupported competitors). */
typedef struct cand {
	int script;
	const char *code;
	int lang;
} cand;

enum { C_EN, C_PT, C_ES, C_FR, C_DE, C_IT, C_RU, C_UK, C_BG, C_SR, C_BE, C_HI, C_MR, C_NE, C_N };

static const cand cands[C_N] = {
	{NS_SCRIPT_LATIN, "en", NS_LANG_EN},
	{NS_SCRIPT_LATIN, "pt", NS_LANG_PT},
	{NS_SCRIPT_LATIN, "es", NS_LANG_UND},
	{NS_SCRIPT_LATIN, "fr", NS_LANG_UND},
	{NS_SCRIPT_LATIN, "de", NS_LANG_UND},
	{NS_SCRIPT_LATIN, "it", NS_LANG_UND},
	{NS_SCRIPT_CYRILLIC, "ru", NS_LANG_RU},
	{NS_SCRIPT_CYRILLIC, "uk", NS_LANG_UK},
	{NS_SCRIPT_CYRILLIC, "bg", NS_LANG_BG},
	{NS_SCRIPT_CYRILLIC, "sr", NS_LANG_UND},
	{NS_SCRIPT_CYRILLIC, "be", NS_LANG_UND},
	{NS_SCRIPT_DEVANAGARI, "hi", NS_LANG_HI},
	{NS_SCRIPT_DEVANAGARI, "mr", NS_LANG_UND},
	{NS_SCRIPT_DEVANAGARI, "ne", NS_LANG_UND},
};

typedef struct suffix {
	const char *s;
	size_t n; /* bytes */
} suffix;

static inline bool ends_with(const unsigned char *s, size_t n, const suffix *x)
{
	size_t k = x->n;
	/* the suffix must leave at least two bytes (one letter) of stem; the last
	 * byte is compared first because it rejects nearly every word (strlen and
	 * memcmp calls for the 19 suffixes were most of word_cues' time) */
	return n >= k + 2 && s[n - 1] == (unsigned char)x->s[k - 1] && memcmp(s + n - k, x->s, k) == 0;
}

static bool has(const unsigned char *s, size_t n, const char *part)
{
	size_t k = strlen(part);
	for (size_t i = 0; i + k <= n; i++)
		if (s[i] == (unsigned char)part[0] && memcmp(s + i, part, k) == 0)
			return true;
	return false;
}

/* Word endings and letter groups that are frequent in one language of a script
 * and (nearly) absent from the others. Measured on the training articles as the
 * share of words carrying them, e.g. bg "-ата" 3.0% vs ru 0.03%, "-ите" 3.6% vs
 * 0.08%, "-ът" 0.7% vs 0; ru "-ой" 2.5% vs bg 0.08%, "-тся" 0.9% vs 0; en "th"
 * 11.7% vs pt 0.04%, "-ed" 3.9% vs 0.01%; pt "ç" 3.8% vs en 0, "nh"/"lh" 0.6% vs
 * 0.05%. They matter for short texts (a headline has few stop words). */
#define S(x) {x, sizeof(x) - 1}
static const suffix suffix_bg[] = {S("ата"), S("ите"), S("ото"), S("ът"), S("ият"), S("ват")};
static const suffix suffix_ru[] = {S("ой"), S("ый"), S("ий"), S("ую"), S("тся"), S("ться"), S("ами"), S("ях"), S("его"), S("ого")};
static const suffix suffix_en[] = {S("ing"), S("ed"), S("ly")};
#undef S

/* Adds the evidence of one word (its norm) to score[]: each kind of cue counts
 * once per word. */
static void word_cues(const unsigned char *s, size_t n, int script, double *score)
{
	unsigned seen = 0;
	/* the letters above are all led by 0xD1, 0xD2 (Cyrillic) or 0xC3 (Latin):
	 * other bytes are skipped at once */
	unsigned char lo = script == NS_SCRIPT_CYRILLIC ? 0xD1 : script == NS_SCRIPT_LATIN ? 0xC3 : 0xFF;
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char a = s[i], b = s[i + 1];
		if (a < lo)
			continue;
		if (script == NS_SCRIPT_CYRILLIC && a == 0xD1) {
			switch (b) {
			case 0x8B: case 0x8D: case 0x91: seen |= 1u << C_RU; break; /* ы э ё */
			case 0x96: case 0x97: case 0x94: seen |= 1u << C_UK; break; /* і ї є */
			case 0x8A: seen |= 1u << C_BG; break;                      /* ъ */
			case 0x98: case 0x99: case 0x9A: case 0x9B: case 0x92:
			case 0x9F: case 0x93: case 0x9C: case 0x95:
				seen |= 1u << C_SR; break;                          /* ј љ њ ћ ђ џ ѓ ќ ѕ */
			case 0x9E: seen |= 1u << C_BE; break;                      /* ў */
			default: break;
			}
		} else if (script == NS_SCRIPT_CYRILLIC && a == 0xD2 && b == 0x91) {
			seen |= 1u << C_UK; /* ґ */
		} else if (script == NS_SCRIPT_LATIN && a == 0xC3) {
			if (b == 0xA3 || b == 0xB5 || b == 0xA7 || b == 0xA2 || b == 0xAA || b == 0xB4)
				seen |= 1u << C_PT; /* ã õ ç â ê ô */
			else if (b == 0xB1)
				seen |= 1u << C_ES; /* ñ */
		}
	}
	/* most words carry no letter cue: the candidates' loop only for those
	 * that do (it was 12% of language identification's instructions) */
	for (int c = 0; seen && c < C_N; c++)
		if (seen & (1u << c))
			score[c] += c == C_BG ? 0.5 : 1.0; /* ъ also occurs in Russian */
	if (script == NS_SCRIPT_CYRILLIC) {
		for (size_t k = 0; k < sizeof(suffix_bg) / sizeof(suffix_bg[0]); k++)
			if (ends_with(s, n, &suffix_bg[k])) {
				score[C_BG] += 1.0;
				break;
			}
		for (size_t k = 0; k < sizeof(suffix_ru) / sizeof(suffix_ru[0]); k++)
			if (ends_with(s, n, &suffix_ru[k])) {
				score[C_RU] += 1.0;
				break;
			}
	} else if (script == NS_SCRIPT_LATIN) {
		bool en = has(s, n, "th");
		for (size_t k = 0; !en && k < sizeof(suffix_en) / sizeof(suffix_en[0]); k++)
			en = ends_with(s, n, &suffix_en[k]);
		if (en)
			score[C_EN] += 1.0;
		if (!(seen & (1u << C_PT)) && (has(s, n, "nh") || has(s, n, "lh")))
			score[C_PT] += 1.0;
	}
}

/* Script of a word token: that of its first letter. */
static int word_script(const ns_doc *doc, const ns_token *t)
{
	const unsigned char *s = (const unsigned char *)doc->text + t->bstart;
	size_t n = t->bend - t->bstart, i = 0;
	while (i < n) {
		uint32_t c;
		i += ns_text__decode(s + i, n - i, &c);
		int sc = ns_text__script(c);
		if (sc != NS_SCRIPT_OTHER)
			return sc;
		int cls = ns_text__cclass(c);
		if (cls == NS_C_UPPER || cls == NS_C_LOWER || cls == NS_C_LETTER)
			return NS_SCRIPT_OTHER;
	}
	return NS_SCRIPT_OTHER;
}

void ns_text__langid(ns_text_ctx *ctx, int *lang, double *confidence)
{
	const ns_doc *doc = ctx->doc;
	uint64_t bits[C_N], script_bits[4] = {0};
	double score[C_N] = {0};
	size_t nscript[4] = {0}, nwords = 0;

	for (int c = 0; c < C_N; c++)
	{
		bits[c] = ns_text__lexicon_bit("stop", cands[c].code);
		script_bits[cands[c].script] |= bits[c];
	}
	for (size_t i = 0; i < doc->ntokens && nwords < NS_LANGID_WORDS; i++) {
		const ns_token *t = &doc->tokens[i];
		if (t->kind != NS_TOK_WORD)
			continue;
		int sc = word_script(doc, t);
		nscript[sc]++;
		nwords++;
		if (sc == NS_SCRIPT_OTHER)
			continue;
		uint64_t m = ns_text__lexicon_mask(t->norm, t->norm_len) & script_bits[sc];
		if (m)
			for (int c = 0; c < C_N; c++)
				if (m & bits[c])
					score[c] += 1.0;
		word_cues((const unsigned char *)t->norm, t->norm_len, sc, score);
	}
	*lang = NS_LANG_UND;
	*confidence = 0;
	if (nwords == 0)
		return;
	int script = NS_SCRIPT_LATIN;
	for (int s = NS_SCRIPT_CYRILLIC; s <= NS_SCRIPT_DEVANAGARI; s++)
		if (nscript[s] > nscript[script])
			script = s;
	if (nscript[NS_SCRIPT_OTHER] > nscript[script]) {
		/* mostly another script (Greek, Arabic, CJK, ...) */
		*confidence = (double)nscript[NS_SCRIPT_OTHER] / (double)nwords;
		return;
	}
	int best = -1, second = -1;
	for (int c = 0; c < C_N; c++) {
		if (cands[c].script != script)
			continue;
		if (best < 0 || score[c] > score[best]) {
			second = best;
			best = c;
		} else if (second < 0 || score[c] > score[second]) {
			second = c;
		}
	}
	double s1 = score[best], s2 = second >= 0 ? score[second] : 0;
	double purity = (double)nscript[script] / (double)nwords;
	double evidence = (s1 + s2) / 20.0;
	if (evidence > 1)
		evidence = 1;
	if (s1 <= 0) {
		/* no evidence at all: Devanagari is most likely Hindi, others unknown */
		if (script == NS_SCRIPT_DEVANAGARI) {
			*lang = NS_LANG_HI;
			*confidence = 0.5 * purity;
		}
		return;
	}
	if (s1 == s2)
		return; /* a tie: undetermined */
	*lang = cands[best].lang;
	*confidence = (s1 + 0.5) / (s1 + s2 + 1.0) * purity * (0.5 + 0.5 * evidence);
}
