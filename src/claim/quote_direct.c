/* Direct quotes: pairs quotation marks of every common style (“…”, "…", «…»,
 * „…“, „…”, ‘…’, ‹…›, »…«, ”…”) over the code points of the text.
 *
 * DESIGN: one left-to-right pass with a small stack of open marks. Whether a mark
 * opens or closes is decided by its neighbours (an opener follows a space or an
 * opening bracket and precedes a non-space; a closer is the reverse), so straight
 * quotes and the ambiguous “ (an opener in English, a closer after „ in Bulgarian
 * and Russian) work. Closers pop to the matching opener, discarding unmatched inner
 * marks; only outermost pairs become quotes, so nested quotes stay inside the
 * outer one. A quote still open at a line break continues when the next paragraph
 * opens with the same mark (the convention for quotes spanning paragraphs);
 * otherwise it ends there as an unclosed quote; when that open mark turns out to
 * wrap a scraped article that attributes its own text, the quotes closed right
 * inside it are kept instead. In a CSV-escaped text (""doubled"" inner quotes)
 * a lone straight quote is a field delimiter, never a mark. Apostrophes (’ between letters)
 * are never marks. The pass is linear and the stack bounded, so quotes that never
 * close or 10,000 quotes in one document cost nothing special. */
#include <string.h>

#include "claim.h"

#define STACK_MAX 16
#define PENDING_MAX 64

enum fam { F_NONE = 0, F_CURLY, F_LOW, F_GUIL, F_GUIL_REV, F_STRAIGHT, F_SINGLE, F_SSTRAIGHT, F_SGUIL };

typedef struct open_mark {
	uint32_t pos;   /* code point of the mark */
	uint32_t cp;    /* the mark */
	uint8_t fam;
} open_mark;

static int is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x2009 ||
	       cp == 0x202F || cp == 0x200B || cp == 0x3000 || cp == 0x2028 || cp == 0x2029;
}

/* invisible format characters (RLM, LRM, embeddings) are skipped as neighbours */
static int is_format(uint32_t cp)
{
	return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x200C || cp == 0x200D;
}

static int is_quote_cp(uint32_t cp)
{
	switch (cp) {
	case '"': case '\'': case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2018:
	case 0x2019: case 0x201A: case 0x00AB: case 0x00BB: case 0x2039: case 0x203A:
		return 1;
	default:
		return 0;
	}
}

static uint32_t prev_cp(const ns_claim_ctx *c, size_t i)
{
	while (i > 0) {
		uint32_t p = c->cp[--i];
		if (!is_format(p))
			return p;
	}
	return ' ';
}

static uint32_t next_cp(const ns_claim_ctx *c, size_t i)
{
	while (++i < c->ncp) {
		uint32_t p = c->cp[i];
		if (!is_format(p))
			return p;
	}
	return ' ';
}

static int opens_before(uint32_t p)
{
	return is_space(p) || p == '(' || p == '[' || p == '{' || p == 0x2014 || p == 0x2013 ||
	       p == '-' || p == ':' || p == ',' || p == ';' || p == '/' || is_quote_cp(p);
}

/* Is the family f compatible as an opener for closing mark cp? */
static int closes(uint8_t f, uint32_t cp)
{
	switch (cp) {
	case 0x201D: return f == F_CURLY || f == F_LOW;
	case 0x201C: return f == F_LOW || f == F_CURLY;
	case 0x00BB: return f == F_GUIL;
	case 0x00AB: return f == F_GUIL_REV;
	case 0x203A: return f == F_SGUIL;
	case '"': return f == F_STRAIGHT || f == F_CURLY || f == F_LOW;
	case 0x2019: return f == F_SINGLE;
	case 0x2018: return f == F_SINGLE;
	case '\'': return f == F_SSTRAIGHT || f == F_SINGLE;
	default: return 0;
	}
}

static int count_words(const ns_claim_ctx *c, uint32_t s, uint32_t e)
{
	int n = 0, in = 0;
	for (uint32_t i = s; i < e && i < c->ncp; i++) {
		int a = ns_claim__is_alnum(c->cp[i]);
		if (a && !in)
			n++;
		in = a;
	}
	return n;
}

static int emit(ns_claim_ctx *c, ns_quote **q, size_t *nq, size_t *cap, uint32_t s, uint32_t e,
		int unclosed)
{
	while (s < e && (is_space(c->cp[s]) || is_format(c->cp[s])))
		s++;
	while (e > s && (is_space(c->cp[e - 1]) || is_format(c->cp[e - 1])))
		e--;
	if (e <= s || count_words(c, s, e) == 0)
		return 0;
	if (*nq >= NS_CLAIM_MAX_QUOTES)
		return 0;
	if (NS_GROW(*q, *cap, *nq + 1) < 0)
		return NS_ENOMEM;
	ns_quote *x = &(*q)[(*nq)++];
	memset(x, 0, sizeof *x);
	x->text.start = s;
	x->text.end = e;
	x->kind = NS_QUOTE_DIRECT;
	x->unclosed = (uint8_t)unclosed;
	return 0;
}

/* Family a mark opens, given its context; F_NONE when it cannot open here. */
static uint8_t open_family(uint32_t cp, uint32_t p, uint32_t n)
{
	int left = opens_before(p) && !is_space(n);
	switch (cp) {
	case 0x201C: return left ? F_CURLY : F_NONE;
	case 0x201F: return left ? F_CURLY : F_NONE;
	case 0x201D: return (left && !ns_claim__is_alnum(p)) ? F_CURLY : F_NONE; /* ”…” style */
	case 0x201E: return is_space(n) ? F_NONE : F_LOW;
	case 0x201A: return (left && !ns_claim__is_alnum(p)) ? F_SINGLE : F_NONE;
	case 0x00AB: return is_space(n) && !ns_claim__is_alnum(p) ? F_NONE : F_GUIL;
	case 0x00BB: return left ? F_GUIL_REV : F_NONE;
	case 0x2039: return left ? F_SGUIL : F_NONE;
	case '"': return left ? F_STRAIGHT : F_NONE;
	case 0x2018: return left ? F_SINGLE : F_NONE;
	case '\'': return (left && ns_claim__is_alnum(n)) ? F_SSTRAIGHT : F_NONE;
	default: return F_NONE;
	}
}

/* First non-space code point at or after i on the following lines, or 0. */
static size_t para_next(const ns_claim_ctx *c, size_t i)
{
	while (i < c->ncp && (is_space(c->cp[i]) || is_format(c->cp[i])))
		i++;
	return i;
}

/* Does the open quote text [s, e) contain an attribution of its own (", заявил X",
 * "Об этом сообщила")? Then the opening mark was not a quotation (a scraped article
 * wrapped in quotes) and nothing is emitted for it. */
static int attributes_itself(const ns_claim_ctx *c, uint32_t s, uint32_t e)
{
	size_t t = ns_claim__tok_at(c, s);
	for (; t < c->ntok && c->tok[t].start < e; t++) {
		if (!ns_claim__cue(c, t, NS_CLAIM_CUE_SAY, NULL) || t == 0)
			continue;
		const ns_token *p = &c->tok[t - 1];
		uint32_t pc = p->start < c->ncp ? c->cp[p->start] : 0;
		if (p->kind == NS_TOK_PUNCT && (pc == ',' || pc == '-' || pc == 0x2013 || pc == 0x2014))
			return 1;
		if (ns_claim__cue(c, t - 1, NS_CLAIM_CUE_THIS, NULL) || (t >= 2 && ns_claim__cue(c, t - 2, NS_CLAIM_CUE_THIS, NULL)))
			return 1;
	}
	return 0;
}

/* Is the text CSV-escaped (a scraped field wrapped in straight quotes whose inner
 * quotes are doubled, ""so"")? Some doubled pair opens after a space or a line
 * start. */
static int csv_escaped(const ns_claim_ctx *c)
{
	for (size_t i = 0; i + 2 < c->ncp; i++)
		if (c->cp[i] == '"' && c->cp[i + 1] == '"' && c->cp[i + 2] != '"' && !is_space(c->cp[i + 2]) &&
		    (i == 0 || is_space(c->cp[i - 1]) || c->cp[i - 1] == '(' || c->cp[i - 1] == ':'))
			return 1;
	return 0;
}

int ns_claim__direct(ns_claim_ctx *c, ns_quote **q, size_t *nq, size_t *cap)
{
	open_mark st[STACK_MAX];
	size_t depth = 0;
	int rc = 0, csv = csv_escaped(c);
	/* quotes closed right inside the outermost open mark: they become quotes of
	 * their own when that mark turns out to wrap a scraped article */
	uint32_t pend[PENDING_MAX][2];
	size_t npend = 0;
	for (size_t i = 0; i < c->ncp; i++) {
		uint32_t cp = c->cp[i];
		if (cp == '\n' || cp == 0x2029) {
			if (depth == 0)
				continue;
			size_t j = para_next(c, i);
			uint32_t first = j < c->ncp ? c->cp[j] : 0;
			uint8_t f = st[0].fam;
			int cont = first != 0 && (first == st[0].cp ||
				   (f == F_CURLY && first == 0x201C) || (f == F_LOW && first == 0x201E) ||
				   (f == F_GUIL && first == 0x00AB) ||
				   (f == F_STRAIGHT && first == '"' && (!csv || (j + 1 < c->ncp && c->cp[j + 1] == '"'))));
			/* a continuation opener that closes on the same line is a new quote
			 * only if the previous one had no text; keep it simple: continue */
			if (attributes_itself(c, st[0].pos + 1, (uint32_t)i)) {
				for (size_t k = 0; k < npend; k++)
					if ((rc = emit(c, q, nq, cap, pend[k][0], pend[k][1], 0)) < 0)
						return rc;
				npend = 0;
				depth = 0;
				continue;
			}
			if (cont) {
				depth = 1;
				i = j; /* skip the repeated opening mark */
				if (j + 1 < c->ncp && c->cp[j] == '"' && c->cp[j + 1] == '"')
					i = j + 1;
				continue;
			}
			if ((rc = emit(c, q, nq, cap, st[0].pos + 1, (uint32_t)i, 1)) < 0)
				return rc;
			npend = 0;
			depth = 0;
			continue;
		}
		if (!is_quote_cp(cp))
			continue;
		/* ""doubled"" straight quotes (CSV-style escaping in scraped text) are one
		 * mark; in a CSV-escaped text a lone straight quote is a field delimiter */
		size_t mark = i;
		if (cp == '"') {
			size_t run = 1;
			while (i + run < c->ncp && c->cp[i + run] == '"')
				run++;
			if (csv && run == 1)
				continue;
			i += run - 1;
		}
		uint32_t p = prev_cp(c, mark), n = next_cp(c, i);
		/* apostrophes: ’ or ' between letters, or after a letter with no single open */
		if ((cp == 0x2019 || cp == '\'') && ns_claim__is_alnum(p) && ns_claim__is_alnum(n))
			continue;
		int right = !is_space(p) && !ns_claim__is_alnum(n);
		/* try to close first when some open mark accepts this closer */
		size_t k = depth;
		if (right || !opens_before(p) || cp == 0x00BB || cp == 0x201D) {
			while (k > 0 && !closes(st[k - 1].fam, cp))
				k--;
		} else {
			k = 0;
		}
		/* a straight quote that could open, with a straight quote open below a
		 * different kind of mark, opens a nested quote instead */
		if (k > 0 && (cp == 0x2019 || cp == '\'') && !right)
			k = 0;
		if (k > 0) {
			if (k == 1) {
				if ((rc = emit(c, q, nq, cap, st[0].pos + 1, (uint32_t)mark, 0)) < 0)
					return rc;
				npend = 0;
			} else if (k == 2 && npend < PENDING_MAX) {
				pend[npend][0] = st[1].pos + 1;
				pend[npend][1] = (uint32_t)mark;
				npend++;
			}
			depth = k - 1;
			continue;
		}
		uint8_t f = open_family(cp, p, n);
		if (f == F_NONE)
			continue;
		if (depth == STACK_MAX)
			continue; /* too deep: ignore inner marks, the outer pair still works */
		st[depth].pos = (uint32_t)i;
		st[depth].cp = cp;
		st[depth].fam = f;
		depth++;
	}
	if (depth > 0)
		rc = emit(c, q, nq, cap, st[0].pos + 1, (uint32_t)c->ncp, 1);
	return rc;
}
