/* Name folding and splitting into match units for the gazetteer automaton.
 *
 * The fold is deliberately a small name stemmer, not a full morphological one:
 * it has to make Путин/Путина/Путину/Путиным, Зеленский/Зеленского and
 * Западът/Запада one key while keeping different names apart. Both sides of
 * every comparison (gazetteer aliases and article text) are folded alike, so an
 * over-stripped stem only matters when two different names collide, which the
 * gazetteer loader can report. See lex.h for the rules per script. */
#include <string.h>

#include <utf8proc.h>

#include "lex.h"

static bool is_cyr(uint32_t c) { return c >= 0x400 && c <= 0x52F; }
static bool is_deva(uint32_t c) { return c >= 0x900 && c <= 0x97F; }
static bool is_latin(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F) ||
	       (c >= 0x1E00 && c <= 0x1EFF);
}
static bool is_apos(uint32_t c) { return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x2BC; }
static bool is_joiner(uint32_t c) { return c == 0x200C || c == 0x200D || c == 0xAD || c == 0xFE0F; }
static bool is_hyphen(uint32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }

static bool is_letter(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}
static bool is_mark(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}
static bool is_digit(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k == UTF8PROC_CATEGORY_ND;
}
static bool is_space(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || k == UTF8PROC_CATEGORY_ZS ||
	       k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP || k == UTF8PROC_CATEGORY_CC ||
	       k == UTF8PROC_CATEGORY_CF;
}

int ns_lex_script(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t c;
		bool bad;
		i += ns_utf8_decode(s + i, n - i, &c, &bad);
		if (!is_letter(c))
			continue;
		if (is_latin(c))
			return 'L';
		if (is_cyr(c))
			return 'C';
		if (is_deva(c))
			return 'D';
		return 'O';
	}
	return 0;
}

/* A piece in progress. */
static void piece_open(ns_lex_piece *p, uint32_t b, uint32_t c, uint8_t word)
{
	memset(p, 0, sizeof(*p));
	p->bstart = b;
	p->cstart = c;
	p->word = word;
}

size_t ns_lex_split(const char *s, size_t n, ns_lex_piece *out, size_t max)
{
	size_t count = 0, i = 0;
	uint32_t cp = 0;
	ns_lex_piece cur;
	bool open = false;
	unsigned upper = 0, letters = 0;

#define CLOSE(bend_, cend_) do { \
		if (open) { \
			cur.bend = (uint32_t)(bend_); cur.cend = (uint32_t)(cend_); \
			cur.all_upper = letters >= 2 && upper == letters; \
			cur.nletters = letters > 255 ? 255 : (uint8_t)letters; \
			if (count < max) out[count] = cur; \
			count++; open = false; \
		} } while (0)

	while (i < n) {
		uint32_t c;
		bool bad;
		size_t len = ns_utf8_decode(s + i, n - i, &c, &bad);
		bool wordch = is_letter(c) || is_digit(c) || (open && (is_mark(c) || is_joiner(c)));
		if (!wordch && open && is_apos(c) && i + len < n) {
			/* inner apostrophe: word continues when a letter follows */
			uint32_t c2;
			ns_utf8_decode(s + i + len, n - i - len, &c2, &bad);
			wordch = is_letter(c2);
		}
		if (wordch) {
			if (!open) {
				piece_open(&cur, (uint32_t)i, cp, 1);
				open = true;
				upper = letters = 0;
				cur.upper_initial = 0;
			}
			if (is_letter(c)) {
				if (letters == 0)
					cur.upper_initial = utf8proc_isupper((utf8proc_int32_t)c) ? 1 : 0;
				letters++;
				if (utf8proc_isupper((utf8proc_int32_t)c))
					upper++;
			}
		} else {
			CLOSE(i, cp);
			if (!is_space(c) && !is_hyphen(c) && c != '.' && !is_joiner(c)) {
				piece_open(&cur, (uint32_t)i, cp, 0);
				cur.bend = (uint32_t)(i + len);
				cur.cend = cp + 1;
				if (count < max)
					out[count] = cur;
				count++;
			}
		}
		i += len;
		cp++;
	}
	CLOSE(n, cp);
#undef CLOSE
	return count;
}

/* Latin look-alikes inside Cyrillic words ("Путинa" typed with a Latin a). */
static uint32_t latin_to_cyr(uint32_t c)
{
	switch (c) {
	case 'a': return 0x430;
	case 'c': return 0x441;
	case 'e': return 0x435;
	case 'o': return 0x43E;
	case 'p': return 0x440;
	case 'x': return 0x445;
	case 'y': return 0x443;
	case 'i': return 0x456;
	case 'k': return 0x43A;
	case 'm': return 0x43C;
	case 'h': return 0x43D;
	case 't': return 0x442;
	case 'b': return 0x432;
	default: return c;
	}
}

/* Cyrillic endings, longest first within the list order that matters: the
 * first suffix that fits (leaving >= 3 letters) is removed. */
static const char *const cyr_endings[] = {
	"иями", "ями", "ами", "ией", "иях", "ого", "его", "ому", "ему", "ыми", "ими", "ата", "ята",
	"ото", "ето", "ите", "ією", "ия", "ии", "ию", "ій", "ія", "ії", "ію", "ой", "ей", "ий", "ый",
	"ая", "яя", "ое", "ее", "ую", "юю", "ые", "ие", "ых", "их", "ым", "им", "ом", "ем", "ам", "ям",
	"ах", "ях", "ов", "ев", "ье", "ья", "ью", "ьи", "ою", "ею", "ът", "ят", "ої",
	"ів", "а", "я", "у", "ю", "е", "ы", "и", "о", "ь", "і", "ї", "й",
};

/* Bulgarian definite articles: outermost, so only removed by the first pass
 * (a second pass would turn Грета -> грет -> гре). */
static bool is_article(const char *e)
{
	static const char *const arts[] = {"ата", "ята", "ото", "ето", "ите", "ът", "ят"};
	for (size_t i = 0; i < sizeof(arts) / sizeof(*arts); i++)
		if (strcmp(e, arts[i]) == 0)
			return true;
	return false;
}

static size_t strip_cyr(const char *s, size_t n, bool first)
{
	for (size_t k = 0; k < sizeof(cyr_endings) / sizeof(cyr_endings[0]); k++) {
		if (!first && is_article(cyr_endings[k]))
			continue;
		size_t el = strlen(cyr_endings[k]);
		if (el < n && memcmp(s + n - el, cyr_endings[k], el) == 0 &&
		    ns_utf8_count(s, n - el) >= 3)
			return n - el;
	}
	return n;
}

int ns_lex_fold(ns_buf *out, const char *s, size_t n)
{
	size_t start = out->size;
	bool has_cyr = false, has_latin = false;
	size_t i = 0;

	if (ns_buf_grow(out, n + 8) < 0)
		return NS_ENOMEM;

	while (i < n) {
		uint32_t c;
		bool bad;
		i += ns_utf8_decode(s + i, n - i, &c, &bad);
		if (is_cyr(c))
			has_cyr = true;
		else if (is_latin(c))
			has_latin = true;
	}
	i = 0;
	while (i < n) {
		uint32_t c;
		bool bad;
		char enc[4];
		i += ns_utf8_decode(s + i, n - i, &c, &bad);
		if (is_joiner(c) || c == 0x93C)
			continue;
		if (is_apos(c)) {
			ns_buf_putc(out, '\'');
			continue;
		}
		if (is_cyr(c)) {
			c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
			if (c == 0x451)
				c = 0x435; /* ё -> е */
			ns_buf_put(out, enc, ns_utf8_encode(c, enc));
			continue;
		}
		if (c == 0x901)
			c = 0x902; /* candrabindu -> anusvara */
		utf8proc_int32_t dec[8];
		int last = 0;
		utf8proc_ssize_t nd = utf8proc_decompose_char((utf8proc_int32_t)c, dec, 8,
			UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE, &last);
		if (nd < 0 || nd > 8) {
			dec[0] = (utf8proc_int32_t)c;
			nd = 1;
		}
		bool latin_base = is_latin(c);
		for (utf8proc_ssize_t k = 0; k < nd; k++) {
			uint32_t d = (uint32_t)dec[k];
			if (d == 0x93C || is_joiner(d))
				continue;
			if (latin_base && is_mark(d))
				continue; /* accents on Latin letters */
			if (has_cyr && d < 0x80)
				d = latin_to_cyr(d);
			ns_buf_put(out, enc, ns_utf8_encode(d, enc));
		}
	}
	if (ns_buf_failed(out))
		return NS_ENOMEM;
	char *w = out->ptr + start;
	size_t wn = out->size - start;
	if (has_latin && !has_cyr) {
		/* possessive 's / trailing apostrophe */
		if (wn > 2 && w[wn - 2] == '\'' && w[wn - 1] == 's')
			wn -= 2;
		else if (wn > 1 && w[wn - 1] == '\'')
			wn -= 1;
	} else if (has_cyr) {
		size_t w1 = strip_cyr(w, wn, true);
		if (w1 != wn)
			w1 = strip_cyr(w, w1, false);
		wn = w1;
	}
	out->size = start + wn;
	out->ptr[out->size] = '\0';
	return 0;
}
