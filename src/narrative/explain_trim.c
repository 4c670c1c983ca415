/* Grammatical compression of explanation units (explain.h, ns_explain__trim):
 * removals at the edges of a clause or sentence that leave a grammatical
 * sentence behind and only drop words the gold explanations rarely repeat: a
 * leading discourse connective ("However,", "Също така", "Однако"), a headline's
 * source prefix ("Lavrov: ..."), an attribution tail (", he said", ", заяви
 * той", "— заявил Песков") and brackets or clock times at either edge.
 *
 * DESIGN: only the edges of a unit are cut, never words inside it, so what is
 * left is one contiguous span of the article (grounding holds, quotes stay
 * verbatim) and reads as a sentence. The lists are closed-class words of the
 * five task languages, matched on the token's normalised (case-folded) form. */
#include <string.h>

#include "explain.h"

/* Leading connectives, as space-separated normalised words. */
static const char *const connectives[] = {
	/* en */
	"and", "but", "however", "meanwhile", "also", "moreover", "furthermore", "besides", "nevertheless",
	"nonetheless", "therefore", "thus", "indeed", "in addition", "at the same time", "on the other hand",
	"in fact",
	/* bg */
	"и", "но", "а", "обаче", "също", "също така", "освен това", "междувременно", "всъщност", "затова",
	"въпреки това", "в същото време", "от друга страна",
	/* ru */
	"однако", "также", "кроме того", "между тем", "при этом", "тем временем", "поэтому", "впрочем",
	"тем не менее", "в то же время", "с другой стороны", "к тому же", "зато",
	/* pt */
	"e", "mas", "porém", "contudo", "entretanto", "todavia", "além disso", "no entanto", "ainda assim",
	"por outro lado", "ao mesmo tempo", "também", "aliás",
	/* hi */
	"और", "लेकिन", "परंतु", "किंतु", "हालांकि", "वहीं", "साथ ही", "इसके अलावा", "इसलिए",
	NULL,
};

/* Complementisers, left out only at the start of a clause cut out of its
 * sentence ("... said that X did Y" -> "X did Y"); at a sentence start they are
 * often something else (Russian "Что касается ..."). */
static const char *const complementisers[] = {"that", "че", "что", "que", "कि", NULL};

/* Reporting words of attribution tails (a prefix of the normalised word). */
static const char *const reporting[] = {
	"said", "says", "told", "added", "stated", "noted", "claimed", "wrote", "explained", "according",
	"warned", "argued", "insisted", "reported", "emphasised", "emphasized", "stressed", "underlined",
	"каза", "заяви", "посочи", "добави", "отбеляза", "подчерта", "коментира", "твърди", "пише", "според",
	"смята", "съобщи", "обясни", "уточни", "допълни", "категоричен", "категорична",
	"сказал", "заявил", "отметил", "добавил", "подчеркнул", "сообщил", "пишет", "считает", "уточнил",
	"пояснил", "констатировал", "напомнил", "указал", "говорится", "сообщает", "передает", "передаёт",
	"по словам", "заключил", "резюмировал",
	"disse", "afirmou", "referiu", "acrescentou", "segundo", "explicou", "declarou", "sublinhou", "defendeu",
	"considerou", "frisou", "salientou", "escreveu", "garantiu", "adiantou", "lembrou", "notou",
	"कहा", "बताया", "अनुसार", "लिखा", "जोड़ा",
	NULL,
};

static int is_word(const ns_token *t)
{
	return t->kind == NS_TOK_WORD && t->norm;
}

static int punct_is(const ns_doc *d, const ns_token *t, const char *s)
{
	size_t n = strlen(s);
	return t->kind == NS_TOK_PUNCT && t->bend - t->bstart == n && !memcmp(d->text + t->bstart, s, n);
}

/* A comma, or a dash used as a separator (– —, or "-" standing alone). */
static int is_sep(const ns_doc *d, const ns_token *t)
{
	return punct_is(d, t, ",") || punct_is(d, t, "\xe2\x80\x93") || punct_is(d, t, "\xe2\x80\x94") ||
	       punct_is(d, t, "-");
}

static int is_end_punct(const ns_doc *d, const ns_token *t)
{
	return punct_is(d, t, ".") || punct_is(d, t, "!") || punct_is(d, t, "?") || punct_is(d, t, "\xe2\x80\xa6") ||
	       punct_is(d, t, "\xe0\xa5\xa4");
}

/* Number of tokens from tb (< te) that spell the words of phrase (only word
 * tokens; none in between), else 0. */
static uint32_t match_phrase(const ns_doc *d, uint32_t tb, uint32_t te, const char *phrase)
{
	uint32_t t = tb;
	const char *p = phrase;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (t >= te || !is_word(&d->tokens[t]) || d->tokens[t].norm_len != n || memcmp(d->tokens[t].norm, p, n))
			return 0;
		t++;
		p += n;
		while (*p == ' ')
			p++;
	}
	return t - tb;
}

static int is_reporting(const ns_doc *d, uint32_t t, uint32_t te)
{
	const ns_token *tk = &d->tokens[t];
	if (!is_word(tk))
		return 0;
	for (size_t k = 0; reporting[k]; k++) {
		if (strchr(reporting[k], ' ')) {
			if (match_phrase(d, t, te, reporting[k]))
				return 1;
			continue;
		}
		size_t n = strlen(reporting[k]);
		if (tk->norm_len >= n && !memcmp(tk->norm, reporting[k], n))
			return 1;
	}
	return 0;
}

static size_t words_in(const ns_doc *d, uint32_t tb, uint32_t te)
{
	size_t n = 0;
	for (uint32_t t = tb; t < te; t++)
		n += is_word(&d->tokens[t]);
	return n;
}

/* Leading punctuation that cannot open a sentence (, ; : dashes). */
static int lead_junk(const ns_doc *d, const ns_token *t)
{
	return is_sep(d, t) || punct_is(d, t, ";") || punct_is(d, t, ":") || punct_is(d, t, ".");
}

/* A clock time or a bare number with ':' ("15:42"). */
static int is_clock(const ns_doc *d, const ns_token *t)
{
	return t->kind == NS_TOK_NUMBER && memchr(d->text + t->bstart, ':', t->bend - t->bstart) != NULL;
}

/* Tokens of a bracketed span opening at tb ("(" ... ")", "[" ... "]") of at most
 * eight words, ending before te, else 0. */
static uint32_t bracket_at(const ns_doc *d, uint32_t tb, uint32_t te)
{
	const char *close = punct_is(d, &d->tokens[tb], "(") ? ")" : punct_is(d, &d->tokens[tb], "[") ? "]" : NULL;
	if (!close)
		return 0;
	for (uint32_t t = tb + 1; t < te && t < tb + 24; t++)
		if (punct_is(d, &d->tokens[t], close))
			return words_in(d, tb, t) <= 8 ? t + 1 - tb : 0;
	return 0;
}

void ns_explain__trim(uint32_t *ob, uint32_t *oe, const ns_doc *d, uint32_t tb, uint32_t te, int mask)
{
	uint32_t b = tb, e = te;
	int changed = 1;
	while (changed && b < e) {
		changed = 0;
		if ((mask & NS_EXPLAIN_TRIM_PUNCT) && lead_junk(d, &d->tokens[b])) {
			b++;
			changed = 1;
			continue;
		}
		if (mask & NS_EXPLAIN_TRIM_CONN) {
			uint32_t best = 0;
			for (size_t k = 0; connectives[k]; k++) {
				uint32_t m = match_phrase(d, b, e, connectives[k]);
				if (m > best)
					best = m;
			}
			for (size_t k = 0; !best && complementisers[k]; k++)
				if (b > d->sentences[d->tokens[b].sentence].tok_begin)
					best = match_phrase(d, b, e, complementisers[k]);
			/* keep a connective that is the whole unit, or that heads a short
			 * remainder (it is then likely a content word: "so much", "that is") */
			if (best && words_in(d, b + best, e) >= 3) {
				b += best;
				if (b < e && punct_is(d, &d->tokens[b], ","))
					b++;
				changed = 1;
				continue;
			}
		}
		if (mask & NS_EXPLAIN_TRIM_BRACKET) {
			uint32_t m = bracket_at(d, b, e);
			if (m && words_in(d, b + m, e) >= 3) {
				b += m;
				changed = 1;
				continue;
			}
			if (is_clock(d, &d->tokens[b]) && words_in(d, b + 1, e) >= 3) {
				b++;
				changed = 1;
				continue;
			}
		}
		if ((mask & NS_EXPLAIN_TRIM_SOURCE) && b == d->sentences[d->tokens[b].sentence].tok_begin) {
			/* "Source: claim" at a sentence start: one to four words, the first
			 * capitalised, then ':' and at least four words */
			for (uint32_t t = b + 1; t < e && t <= b + 5; t++) {
				if (!punct_is(d, &d->tokens[t], ":"))
					continue;
				size_t pw = words_in(d, b, t);
				if (pw >= 1 && pw <= 4 && pw == t - b && (d->tokens[b].flags & NS_TOKF_UPPER_INITIAL) &&
				    words_in(d, t + 1, e) >= 4) {
					b = t + 1;
					changed = 1;
				}
				break;
			}
		}
	}
	/* the end: trailing brackets and clock times, then an attribution tail */
	changed = 1;
	while (changed && e > b) {
		changed = 0;
		uint32_t f = e; /* tokens [f, e) are final punctuation kept as they are */
		while (f > b && (is_end_punct(d, &d->tokens[f - 1]) || (d->tokens[f - 1].flags & NS_TOKF_QUOTE)))
			f--;
		if (f == b)
			break;
		if (mask & NS_EXPLAIN_TRIM_BRACKET) {
			if (is_clock(d, &d->tokens[f - 1]) && words_in(d, b, f - 1) >= 3) {
				e = f - 1;
				changed = 1;
				continue;
			}
			if (punct_is(d, &d->tokens[f - 1], ")") || punct_is(d, &d->tokens[f - 1], "]")) {
				const char *open = punct_is(d, &d->tokens[f - 1], ")") ? "(" : "[";
				for (uint32_t t = f - 1; t > b && t + 24 > f; t--)
					if (punct_is(d, &d->tokens[t - 1], open)) {
						if (words_in(d, t - 1, f) <= 8 && words_in(d, b, t - 1) >= 3) {
							e = t - 1;
							changed = 1;
						}
						break;
					}
				if (changed)
					continue;
			}
		}
		if (mask & NS_EXPLAIN_TRIM_TAIL) {
			/* the last separator; the tail behind it has at most six words, one of
			 * them a reporting word, and the unit keeps at least four words */
			for (uint32_t t = f; t > b; t--) {
				if (!is_sep(d, &d->tokens[t - 1]))
					continue;
				uint32_t s0 = t;
				size_t tw = words_in(d, s0, f);
				int rep = 0;
				for (uint32_t k = s0; k < f && !rep; k++)
					rep = is_reporting(d, k, f);
				if (tw >= 1 && tw <= 6 && rep && words_in(d, b, t - 1) >= 4) {
					/* a comma right before a dash (", — заявил") goes too */
					uint32_t c = t - 1;
					while (c > b && is_sep(d, &d->tokens[c - 1]))
						c--;
					e = c;
					changed = 1;
				}
				break;
			}
		}
	}
	*ob = b;
	*oe = e;
}
