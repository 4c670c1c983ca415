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

/* Character classes with fast paths for ASCII, Cyrillic and Devanagari (the
 * scripts of the corpus); other code points ask utf8proc. Measured: the fast
 * paths halve the time of the entity stage on the training corpus. */
static bool deva_mark(uint32_t c)
{
	return (c >= 0x900 && c <= 0x903) || (c >= 0x93A && c <= 0x94F && c != 0x93D) ||
	       (c >= 0x951 && c <= 0x957) || c == 0x962 || c == 0x963;
}

static bool is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (c >= 0x400 && c <= 0x52F)
		return !(c >= 0x482 && c <= 0x489);
	if (c >= 0x900 && c <= 0x97F)
		return !deva_mark(c) && !(c >= 0x964 && c <= 0x970);
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}
static bool is_mark(uint32_t c)
{
	if (c < 0x80)
		return false;
	if (c >= 0x900 && c <= 0x97F)
		return deva_mark(c);
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}
static bool is_digit(uint32_t c)
{
	if (c < 0x80)
		return c >= '0' && c <= '9';
	if (c >= 0x966 && c <= 0x96F)
		return true;
	if (c >= 0x400 && c <= 0x52F)
		return false;
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k == UTF8PROC_CATEGORY_ND;
}
static bool is_upper(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	if (c >= 0x400 && c <= 0x42F)
		return true;
	if (c >= 0x430 && c <= 0x45F)
		return false;
	if (c >= 0x900 && c <= 0x97F)
		return false;
	return utf8proc_isupper((utf8proc_int32_t)c);
}
/* Lower case of a Cyrillic letter (0x400..0x52F). */
static uint32_t cyr_lower(uint32_t c)
{
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c >= 0x460 && c <= 0x52F && !(c >= 0x482 && c <= 0x489))
		return (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
	return c;
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
					cur.upper_initial = is_upper(c) ? 1 : 0;
				letters++;
				if (is_upper(c))
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

/* Cyrillic endings: the first suffix in this order that fits (leaving >= 3
 * letters) is removed. Bulgarian definite articles (art = 1) are outermost, so
 * only the first pass removes them (a second pass would turn Грета -> грет ->
 * гре). Lengths are in bytes (every Cyrillic letter is two bytes). */
typedef struct ending {
	const char *s;
	uint8_t len, art;
} ending;
#define E(x) {x, sizeof(x) - 1, 0}
#define A(x) {x, sizeof(x) - 1, 1}
static const ending cyr_endings[] = {
	E("иями"), E("ями"), E("ами"), E("ией"), E("иях"), E("ого"), E("его"), E("ому"), E("ему"),
	E("ыми"), E("ими"), A("ата"), A("ята"), A("ото"), A("ето"), A("ите"), E("ією"), E("ия"),
	E("ии"), E("ию"), E("ій"), E("ія"), E("ії"), E("ію"), E("ой"), E("ей"), E("ий"), E("ый"),
	E("ая"), E("яя"), E("ое"), E("ее"), E("ую"), E("юю"), E("ые"), E("ие"), E("ых"), E("их"),
	E("ым"), E("им"), E("ом"), E("ем"), E("ам"), E("ям"), E("ах"), E("ях"), E("ов"), E("ев"),
	E("ье"), E("ья"), E("ью"), E("ьи"), E("ою"), E("ею"), A("ът"), A("ят"), E("ої"), E("ів"),
	E("а"), E("я"), E("у"), E("ю"), E("е"), E("ы"), E("и"), E("о"), E("ь"), E("і"), E("ї"), E("й"),
};
#undef E
#undef A

static size_t strip_cyr(const char *s, size_t n, bool first)
{
	if (n < 2)
		return n;
	/* an ending is e->len / 2 two-byte letters, so the letters left before a
	 * matching ending are the word's count minus that (counted once, not per
	 * candidate ending: the per-ending count was most of this function's time) */
	size_t letters = SIZE_MAX;
	/* every ending ends with the same 2-byte letter as the word, or none fits */
	for (size_t k = 0; k < sizeof(cyr_endings) / sizeof(cyr_endings[0]); k++) {
		const ending *e = &cyr_endings[k];
		if ((e->art && !first) || e->len >= n)
			continue;
		/* the last letter (two bytes) first: it rejects most endings */
		if (s[n - 1] != e->s[e->len - 1] || s[n - 2] != e->s[e->len - 2] ||
		    memcmp(s + n - e->len, e->s, e->len) != 0)
			continue;
		if (letters == SIZE_MAX)
			letters = ns_utf8_count(s, n);
		if (letters - e->len / 2 >= 3)
			return n - e->len;
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
	bool ascii = true;
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)s[k] >= 0x80) {
			ascii = false;
			break;
		}
	if (ascii) {
		for (size_t k = 0; k < n; k++) {
			char c = s[k];
			out->ptr[out->size++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		out->ptr[out->size] = '\0';
		i = n; /* skip the general loop */
	} else {
		i = 0;
	}
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
			c = cyr_lower(c);
			if (c == 0x451)
				c = 0x435; /* ё -> е */
			ns_buf_put(out, enc, ns_utf8_encode(c, enc));
			continue;
		}
		if (c == 0x901)
			c = 0x902; /* candrabindu -> anusvara */
		if (is_deva(c)) {
			/* precomposed nukta letters lose the nukta; no case, no decomposition */
			static const uint16_t nukta_base[8] = {0x915, 0x916, 0x917, 0x91C, 0x921, 0x922, 0x92B, 0x92F};
			if (c >= 0x958 && c <= 0x95F)
				c = nukta_base[c - 0x958];
			else if (c == 0x929)
				c = 0x928;
			else if (c == 0x931)
				c = 0x930;
			else if (c == 0x934)
				c = 0x933;
			ns_buf_put(out, enc, ns_utf8_encode(c, enc));
			continue;
		}
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

/* ---- per-thread memo of folds (ns_lex_fold_memo) ----
 * Words follow Zipf's law: most tokens of an article were folded before, in it
 * or an earlier one. A string memo (util/smemo.c) in the thread's state. */
#define FM_MAX_RAW 64 /* longer pieces (bytes) are folded every time */

static ns_smemo *fm_get(void)
{
	return ns_smemo_thread(NS_TLS_FOLD, 14, 1u << 19);
}

int ns_lex_fold_memo(ns_buf *out, const char *s, size_t n)
{
	ns_smemo *m = n > 0 && n <= FM_MAX_RAW ? fm_get() : NULL;
	if (!m)
		return ns_lex_fold(out, s, n);
	uint64_t h = ns_hash64(s, n, 0x666f6c64);
	size_t nf;
	const char *hit = ns_smemo_get(m, h, s, n, &nf);
	if (hit)
		return ns_buf_put(out, hit, nf);
	size_t start = out->size;
	int rc = ns_lex_fold(out, s, n);
	if (rc == 0)
		ns_smemo_put(m, h, s, n, out->ptr + start, out->size - start);
	return rc;
}
