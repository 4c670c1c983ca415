/* Composing explanations: units (sentences, or clauses split at punctuation and
 * conjunctions, trimmed at their edges by explain_trim.c) scored by learned stem
 * weights, narrative weights, position, centrality, overlap with the title and
 * claims, chosen best first under the word budget without repeating themselves, put behind an opener (learned, see explain_opener.c, or
 * built in) in article order; and the lead-sentences baseline. The bundle
 * section is in explain_io.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "../claim/claim.h"
#include "explain.h"

size_t ns_explain_words(const char *s, size_t n)
{
	size_t w = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int sp = c == ' ' || c == '\n' || c == '\t' || c == '\r';
		if (!sp && !in)
			w++;
		in = !sp;
	}
	return w;
}

/* Global (gfind) and narrative (nfind) weight table positions of key. */
static size_t gfind(const ns_explain_model *m, uint64_t key)
{
	return ns_explain__find(m->gkey, m->ng, m->gslot, m->gmask, key);
}

static float gweight(const ns_explain_model *m, uint64_t key)
{
	size_t i = gfind(m, key);
	return i < m->ng ? m->gw[i] : 0.0f;
}

static float nweight(const ns_explain_model *m, uint64_t key)
{
	size_t i = ns_explain__find(m->nkey, m->nn, m->nslot, m->nmask, key);
	return i < m->nn ? m->nw[i] : 0.0f;
}

/* Appends the sentence's text with runs of white space as one space, stopping
 * after *budget words; decrements *budget. */
/* Quotation marks of s[0..n) that do not pair up (a sentence cut out of a longer
 * quote): such marks are left out so that every quoted span of an explanation is
 * a span of the article. */
static int marks_unbalanced(const char *s, size_t n)
{
	int straight = 0, guil = 0, curly = 0, paren = 0, square = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			straight++;
		else if (c == '(')
			paren++;
		else if (c == ')' && --paren < 0)
			bad = 1;
		else if (c == '[')
			square++;
		else if (c == ']' && --square < 0)
			bad = 1;
		else if (c == 0xC2 && i + 1 < n && ((unsigned char)s[i + 1] == 0xAB || (unsigned char)s[i + 1] == 0xBB))
			guil += (unsigned char)s[i + 1] == 0xAB ? 1 : -1;
		else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
			unsigned char d = (unsigned char)s[i + 2];
			if (d == 0x9C || d == 0x9E)
				curly++;
			else if (d == 0x9D)
				curly--;
		}
	}
	/* „…“ pairs count the “ as a closer: accept curly == 2 * (number of „) cases loosely */
	return ((straight & 1) || guil != 0 || (curly != 0 && curly % 2 != 0)) | (bad || paren != 0 || square != 0) << 1;
}

/* Length of the mark at s[0..n) to leave out under mask (1: quotation marks,
 * 2: brackets), else 0. */
static size_t mark_len(const char *s, size_t n, int mask)
{
	unsigned char c = (unsigned char)s[0];
	if (mask & 2 && (c == '(' || c == ')' || c == '[' || c == ']'))
		return 1;
	if (!(mask & 1))
		return 0;
	if (c == '"')
		return 1;
	if (c == 0xC2 && n > 1 && ((unsigned char)s[1] == 0xAB || (unsigned char)s[1] == 0xBB))
		return 2;
	if (c == 0xE2 && n > 2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0x9E))
		return 3;
	return 0;
}

/* Does b end in a letter or digit (a headline without final punctuation), as
 * opposed to a full stop, closing quote or bracket, in any script? */
static int open_end(const ns_buf *b)
{
	size_t i = b->size;
	while (i > 0 && ((unsigned char)b->ptr[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return 0;
	unsigned char c = (unsigned char)b->ptr[i - 1];
	if (c < 0x80)
		return !strchr(".!?;:,\"')]", c) && c != '-';
	uint32_t cp = 0;
	size_t n = b->size - (i - 1);
	const unsigned char *q = (const unsigned char *)b->ptr + i - 1;
	cp = n == 2 ? (uint32_t)(q[0] & 0x1F) << 6 | (q[1] & 0x3F)
	     : n == 3 ? (uint32_t)(q[0] & 0x0F) << 12 | (uint32_t)(q[1] & 0x3F) << 6 | (q[2] & 0x3F)
		      : 0;
	/* » ” “ ’ – — … । ॥ */
	return cp && cp != 0xBB && cp != 0x201D && cp != 0x201C && cp != 0x2019 && cp != 0x2013 && cp != 0x2014 &&
	       cp != 0x2026 && cp != 0x0964 && cp != 0x0965;
}

static void put_words(ns_buf *b, const char *s, size_t n, size_t *budget)
{
	int in = 0, strip = marks_unbalanced(s, n);
	for (size_t i = 0; i < n; i++) {
		size_t ml = strip ? mark_len(s + i, n - i, strip) : 0;
		if (ml) {
			i += ml - 1;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		int sp = c == ' ' || c == '\n' || c == '\t' || c == '\r';
		if (sp) {
			in = 0;
			continue;
		}
		if (!in) {
			if (*budget == 0)
				return;
			(*budget)--;
			if (b->size > 0)
				ns_buf_putc(b, ' ');
		}
		in = 1;
		ns_buf_putc(b, (char)c);
	}
}

static uint64_t sentence_hash(const ns_doc *d, const ns_sentence *s)
{
	uint64_t h = 0x1234;
	for (uint32_t t = s->tok_begin; t < s->tok_end; t++)
		if (d->tokens[t].norm)
			h = ns_hash_mix(h, ns_hash64(d->tokens[t].norm, d->tokens[t].norm_len, 1));
	return h;
}

static const ns_explain_lang *lang_of(const ns_explain_model *m, const ns_doc *d)
{
	const ns_explain_lang *l = ns_explain__lang(m, d->lang);
	return l ? l : ns_explain__lang(m, "en");
}

/* Does the code-point span [cs, ce) carry an accusation (what = 0) or an
 * attributed quote (1)? */
static int has_claim(const ns_claims *c, uint32_t cs, uint32_t ce, int what)
{
	if (!c)
		return 0;
	if (what == 0) {
		for (size_t i = 0; i < c->naccusations; i++)
			if (c->accusations[i].span.start < ce && cs < c->accusations[i].span.end)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < c->nquotes; i++)
		if (c->quotes[i].speaker_id && c->quotes[i].text.start < ce && cs < c->quotes[i].text.end)
			return 1;
	return 0;
}

/* Stem counts of a whole document (open addressing, keys | 1, 0 = empty) and
 * each token's stem key (tok[t], 0 for a token that is not a word), hashed once
 * per document for all the units. */
typedef struct tfmap {
	uint64_t *k;
	uint32_t *c;
	size_t cap;
	uint64_t *tok;
} tfmap;

static void tf_free(tfmap *t)
{
	free(t->k);
	free(t->c);
	free(t->tok);
}

/* Stem key of token t of d, from the document's cache when there is one. */
static uint64_t key_of(const tfmap *tf, const ns_doc *d, uint32_t t)
{
	return tf && tf->tok ? tf->tok[t] : ns_explain__stem_key(&d->tokens[t]);
}

static size_t tf_slot(const tfmap *t, uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 11) & (t->cap - 1);
	while (t->k[i] && t->k[i] != key)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int tf_build(tfmap *t, const ns_doc *d)
{
	t->cap = 64;
	while (t->cap < 2 * d->ntokens + 2)
		t->cap *= 2;
	t->k = ns_calloc(t->cap, sizeof *t->k);
	t->c = ns_calloc(t->cap, sizeof *t->c);
	t->tok = ns_calloc(d->ntokens + 1, sizeof *t->tok);
	if (!t->k || !t->c || !t->tok)
		return NS_ENOMEM;
	for (size_t i = 0; i < d->ntokens; i++) {
		const ns_token *tk = &d->tokens[i];
		if (tk->kind != NS_TOK_WORD || !tk->norm)
			continue;
		uint64_t key = ns_explain__stem_key(tk);
		t->tok[i] = key;
		size_t j = tf_slot(t, key);
		t->k[j] = key;
		t->c[j]++;
	}
	return 0;
}

static uint32_t tf_get(const tfmap *t, uint64_t key)
{
	if (!t || !t->cap)
		return 0;
	size_t j = tf_slot(t, key);
	return t->k[j] ? t->c[j] : 0;
}

/* Features of tokens [tb, te) of sentence i (see ns_explain__features); tf: the
 * document's stem counts, or NULL (centrality 0). */
static size_t features_range(double *f, const ns_explain_model *m, const ns_doc *d, size_t i, uint32_t tb,
			     uint32_t te, uint64_t lab, uint64_t **st, size_t *stcap, const tfmap *tf)
{
	size_t nw = 0, ns = 0;
	double cen = 0;
	if (te <= tb)
		return 0;
	if (NS_GROW(*st, *stcap, (size_t)(te - tb) + 1) < 0)
		return SIZE_MAX;
	for (uint32_t t = tb; t < te; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind != NS_TOK_WORD || !tk->norm)
			continue;
		nw++;
		uint64_t k = key_of(tf, d, t);
		int have = 0;
		for (size_t q = 0; q < ns && !have; q++)
			have = (*st)[q] == k;
		if (!have)
			(*st)[ns++] = k;
	}
	if (nw < 4)
		return 0;
	double g = 0, n = 0;
	for (size_t q = 0; q < ns; q++) {
		size_t gi = gfind(m, (*st)[q]); /* one search for the weight and the idf */
		g += gi < m->ng ? m->gw[gi] : 0.0f;
		uint32_t c = tf_get(tf, (*st)[q]);
		if (c > 1) {
			float idf = gi < m->ng ? m->gidf[gi] : 0.0f;
			cen += log((double)c) * (idf > 0 ? idf : m->idf_unseen);
		}
		if (lab)
			n += nweight(m, ns_explain__narr_key(lab, (*st)[q]));
	}
	double sq = sqrt((double)nw);
	uint32_t cs = d->tokens[tb].start, ce = d->tokens[te - 1].end;
	f[0] = 1;
	f[1] = 1.0 / (1.0 + (double)i);
	f[2] = i == 0;
	f[3] = i == 1;
	f[4] = g / sq;
	f[5] = n / sq;
	f[6] = log(1.0 + (double)nw);
	f[7] = has_claim(d->claims, cs, ce, 0);
	f[8] = has_claim(d->claims, cs, ce, 1);
	f[9] = cen / sq;
	return nw;
}

size_t ns_explain__features(double *f, const ns_explain_model *m, const ns_doc *d, size_t i, uint64_t lab,
			    uint64_t **st, size_t *stcap)
{
	const ns_sentence *s = &d->sentences[i];
	return features_range(f, m, d, i, s->tok_begin, s->tok_end, lab, st, stcap, NULL);
}

/* A piece of an explanation: tokens [tb, te) of sentence s, the whole sentence
 * or, with m->p.clause, one of its clauses. */
typedef struct unit {
	uint32_t s, tb, te;
	uint32_t ob, oe; /* [tb, te) after the edge removals of m->p.trim (explain_trim.c) */
	double score;
} unit;

/* Clause boundaries: after , ; : ) and dashes, before (. */
static int sep_after(const ns_doc *d, const ns_token *t)
{
	if (t->kind != NS_TOK_PUNCT)
		return 0;
	const unsigned char *c = (const unsigned char *)d->text + t->bstart;
	size_t n = t->bend - t->bstart;
	if (n == 1)
		return c[0] == ',' || c[0] == ';' || c[0] == ':' || c[0] == ')';
	return n == 3 && c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0x93 || c[2] == 0x94); /* – — */
}

/* Conjunctions and relative words a clause may start with (clause = 2). */
static const char *const conjs[] = {"and", "but", "which", "who", "while", "whereas", "because", "although",
				   "и", "но", "а", "который", "которая", "которые", "которое", "поскольку",
				   "но", "който", "която", "които", "което", "защото", "докато",
				   "e", "mas", "enquanto", "porque", "embora", "और", "लेकिन", "जबकि", "क्योंकि", "जो", NULL};

/* Complementisers and subordinators a clause may also start with (clause = 3):
 * "X said | that Y", "Y, | so that Z". */
static const char *const subords[] = {"that", "when", "if", "since", "after", "as", "че", "ако", "когато", "что",
				     "чтобы", "если", "когда", "que", "quando", "se", "após", "कि", "जब", "अगर", NULL};

/* Called for every word of every sentence: the first byte rejects nearly all
 * list words before strlen (word_in was ~4% of a full analysis). */
static int word_in(const ns_token *t, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (list[k][0] == t->norm[0] && strlen(list[k]) == t->norm_len && !memcmp(list[k], t->norm, t->norm_len))
			return 1;
	return 0;
}

static int sep_before(const ns_explain_model *m, const ns_doc *d, const ns_token *t)
{
	if (t->kind == NS_TOK_PUNCT)
		return t->bend - t->bstart == 1 && d->text[t->bstart] == '(';
	if (!m || m->p.clause < 2 || t->kind != NS_TOK_WORD || !t->norm)
		return 0;
	return word_in(t, conjs) || (m->p.clause >= 3 && word_in(t, subords));
}

static int unit_add(unit **u, size_t *n, size_t *cap, uint32_t s, uint32_t tb, uint32_t te)
{
	if (NS_GROW(*u, *cap, *n + 1) < 0)
		return NS_ENOMEM;
	(*u)[*n].s = s;
	(*u)[*n].tb = tb;
	(*u)[*n].te = te;
	(*u)[*n].score = 0;
	(*n)++;
	return 0;
}

/* Units of the distinct non-empty sentences of d (a sentence repeating an
 * earlier one is skipped). Clauses shorter than clause_min words join the next
 * clause (the last one joins the previous). */
static int make_units(unit **out, size_t *nout, const ns_explain_model *m, const ns_doc *d)
{
	unit *u = NULL;
	size_t n = 0, cap = 0;
	uint64_t *seen = ns_malloc((d->nsentences + 1) * sizeof *seen);
	int rc = 0;
	*out = NULL;
	*nout = 0;
	if (!seen)
		return NS_ENOMEM;
	size_t cmin = m && m->p.clause_min > 0 ? (size_t)m->p.clause_min : 1;
	for (size_t i = 0; i < d->nsentences && rc == 0; i++) {
		const ns_sentence *s = &d->sentences[i];
		seen[i] = sentence_hash(d, s);
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = seen[j] == seen[i];
		if (dup || s->tok_end == s->tok_begin)
			continue;
		if (!m || !m->p.clause) {
			rc = unit_add(&u, &n, &cap, (uint32_t)i, s->tok_begin, s->tok_end);
			continue;
		}
		uint32_t start = s->tok_begin;
		size_t words = 0, first = n;
		for (uint32_t t = s->tok_begin; t < s->tok_end && rc == 0; t++) {
			words += d->tokens[t].kind == NS_TOK_WORD;
			int cut = sep_after(d, &d->tokens[t]) || (t + 1 < s->tok_end && sep_before(m, d, &d->tokens[t + 1]));
			if (cut && words >= cmin && t + 1 < s->tok_end) {
				rc = unit_add(&u, &n, &cap, (uint32_t)i, start, t + 1);
				start = t + 1;
				words = 0;
			}
		}
		if (rc == 0 && start < s->tok_end) {
			if (words < cmin && n > first)
				u[n - 1].te = s->tok_end;
			else
				rc = unit_add(&u, &n, &cap, (uint32_t)i, start, s->tok_end);
		}
	}
	free(seen);
	if (rc < 0) {
		free(u);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		u[i].ob = u[i].tb;
		u[i].oe = u[i].te;
		if (m && m->p.trim)
			ns_explain__trim(&u[i].ob, &u[i].oe, d, u[i].tb, u[i].te, m->p.trim);
	}
	*out = u;
	*nout = n;
	return 0;
}

/* Byte range of unit x: whole sentences as written (from the sentence start, to
 * the sentence end for its last clause), other clauses by their tokens. */
static void range_bytes(const ns_doc *d, uint32_t si, uint32_t tb, uint32_t te, uint32_t *bs, uint32_t *be)
{
	const ns_sentence *s = &d->sentences[si];
	*bs = tb == s->tok_begin ? s->bstart : d->tokens[tb].bstart;
	*be = te == s->tok_end ? s->bend : d->tokens[te - 1].bend;
}

static void unit_bytes(const ns_doc *d, const unit *x, uint32_t *bs, uint32_t *be)
{
	range_bytes(d, x->s, x->tb, x->te, bs, be);
}

/* Does unit b continue unit a in its sentence (a's last token is b's first)? */
static int adjacent(const unit *a, const unit *b)
{
	return a && b && a->s == b->s && a->te == b->tb;
}

/* Appends the words of tokens [tb, te) whose global weight is at least m->p.drop,
 * with sentence punctuation, within *budget words. */
static void put_dropped(ns_buf *b, const ns_explain_model *m, const ns_doc *d, uint32_t tb, uint32_t te,
			size_t *budget)
{
	for (uint32_t t = tb; t < te; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind == NS_TOK_PUNCT) {
			char ch = d->text[tk->bstart];
			if (b->size > 0 && (ch == ',' || ch == '.' || ch == ';' || ch == ':' || ch == '!' || ch == '?') &&
			    b->ptr[b->size - 1] != ch && b->ptr[b->size - 1] != ',')
				ns_buf_putc(b, ch);
			continue;
		}
		if (tk->kind == NS_TOK_WORD && tk->norm &&
		    gweight(m, ns_explain__stem_key(tk)) < m->p.drop)
			continue;
		if (tk->kind == NS_TOK_NUMBER)
			continue;
		if (*budget == 0)
			return;
		(*budget)--;
		if (b->size > 0)
			ns_buf_putc(b, ' ');
		ns_buf_put(b, d->text + tk->bstart, tk->bend - tk->bstart);
	}
}

/* The last word of the opener op (skip, *n bytes), or NULL. */
static const char *last_word(const char *op, size_t *n)
{
	size_t e = op ? strlen(op) : 0, s;
	while (e > 0 && (op[e - 1] == ' ' || op[e - 1] == ','))
		e--;
	s = e;
	while (s > 0 && op[s - 1] != ' ')
		s--;
	*n = e - s;
	return e > s ? op + s : NULL;
}

/* Appends unit x (next: the unit that follows it in the explanation, or NULL).
 * A clause cut out of its sentence loses its trailing separator and ends with
 * "," when the next unit continues the same sentence, else with "."; a sentence
 * without final punctuation (a headline) gets "."; the first unit behind an
 * opener (first: the opener's last word, firstn bytes) loses a leading
 * conjunction or a repeat of that word. */
/* Upper-cases (up) or lower-cases the letter at b->ptr[at] when it has the
 * other case. */
static void set_case(ns_buf *b, size_t at, int up)
{
	uint32_t cp = 0;
	bool bad = false;
	if (at >= b->size)
		return;
	size_t n = ns_utf8_decode(b->ptr + at, b->size - at, &cp, &bad);
	char enc[4];
	if (bad || !n || !(up ? utf8proc_islower((utf8proc_int32_t)cp) : utf8proc_isupper((utf8proc_int32_t)cp)))
		return;
	uint32_t to = (uint32_t)(up ? utf8proc_toupper((utf8proc_int32_t)cp) : utf8proc_tolower((utf8proc_int32_t)cp));
	if (ns_utf8_encode(to, enc) == n)
		memcpy(b->ptr + at, enc, n);
}

static void put_unit(ns_buf *b, const ns_explain_model *m, const ns_doc *d, const unit *x, const unit *prev,
		     const unit *next, const char *first, size_t firstn, size_t *budget)
{
	const ns_sentence *s = &d->sentences[x->s];
	if (m && m->p.drop > -100) {
		put_dropped(b, m, d, x->tb, x->te, budget);
		return;
	}
	/* the trimmed edges, except where the unit joins its neighbour in the sentence */
	uint32_t tb = adjacent(prev, x) ? x->tb : x->ob, te = adjacent(x, next) ? x->te : x->oe, bs, be;
	if (te <= tb)
		return;
	range_bytes(d, x->s, tb, te, &bs, &be);
	int cut = te < s->tok_end && !adjacent(x, next);
	if (cut && te - 1 > tb && sep_after(d, &d->tokens[te - 1]))
		be = d->tokens[te - 2].bend;
	/* right behind the opener, or opening an explanation without one, a clause
	 * does not start with "and", "but", "that", ... */
	if ((first || !prev) && m && tb > s->tok_begin && tb + 1 < te && d->tokens[tb].kind == NS_TOK_WORD &&
	    sep_before(m, d, &d->tokens[tb]))
		bs = d->tokens[tb + 1].bstart;
	/* nor with the opener's last word again ("... говорится, что что ...") */
	uint32_t k0 = bs == d->tokens[tb].bstart ? tb : tb + 1;
	const ns_token *t0 = &d->tokens[k0];
	if (first && firstn && k0 + 1 < te && t0->kind == NS_TOK_WORD && t0->norm && t0->norm_len == firstn &&
	    !memcmp(t0->norm, first, firstn) && (k0 > s->tok_begin || !(t0->flags & NS_TOKF_UPPER_INITIAL)))
		bs = d->tokens[k0 + 1].bstart;
	size_t before = *budget, at = b->size;
	/* a unit that opens a sentence of the explanation starts with a capital */
	int opens = m && m->p.trim && !first && (at == 0 || strchr(".!?", b->ptr[at - 1]));
	put_words(b, d->text + bs, be - bs, budget);
	if (*budget == before || b->size == 0)
		return;
	if (opens)
		set_case(b, at + (at > 0), 1);
	if (cut) {
		ns_buf_putc(b, next && next->s == x->s ? ',' : '.');
		return;
	}
	if (m && te == s->tok_end && next && open_end(b))
		ns_buf_putc(b, '.');
}

/* The language's "and", which joins the sentences of an explanation (join = 1). */
static const char *lang_and(const char *lang)
{
	static const char *const t[][2] = {{"en", "and"}, {"bg", "и"}, {"ru", "и"}, {"uk", "і"}, {"pt", "e"}, {"hi", "और"}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(lang, t[i][0]))
			return t[i][1];
	return NULL;
}

/* join = 1: unit x, which starts a new sentence of the explanation, is joined to
 * the previous one with the language's "and" (or a comma when x already starts
 * with a conjunction): "... claims that A, and B" rather than "... that A. B".
 * Only a sentence the composer or the article ended with a plain full stop (or a
 * danda) is joined; quotes, questions and exclamations stay as they are. */
static void join_units(ns_buf *b, const ns_explain_model *m, const ns_doc *d, const unit *x, const unit *prev,
		       size_t *budget)
{
	const char *and = lang_and(d->lang);
	if (!and || !prev || adjacent(prev, x) || b->size < 2 || *budget == 0)
		return;
	size_t cut = 0;
	if (b->ptr[b->size - 1] == '.' && b->ptr[b->size - 2] != '.')
		cut = 1;
	else if (b->size >= 3 && !memcmp(b->ptr + b->size - 3, "\xE0\xA5\xA4", 3)) /* । */
		cut = 3;
	if (!cut)
		return;
	b->size -= cut;
	uint32_t tb = x->ob < x->oe ? x->ob : x->tb;
	const ns_token *t = &d->tokens[tb];
	if (t->kind == NS_TOK_WORD && sep_before(m, d, t)) {
		ns_buf_putc(b, ',');
		return;
	}
	ns_buf_puts(b, " ");
	ns_buf_puts(b, and);
	(*budget)--;
}

/* Is token t, written with a capital, a common word that only opens its sentence
 * (the article also writes it in lower case), not a name? */
static int common_capital(const ns_doc *d, const ns_token *t)
{
	if (t->kind != NS_TOK_WORD || !t->norm || !(t->flags & NS_TOKF_UPPER_INITIAL) || (t->flags & NS_TOKF_ALL_UPPER))
		return 0;
	for (size_t i = 0; i < d->ntokens; i++) {
		const ns_token *o = &d->tokens[i];
		if (o != t && o->kind == NS_TOK_WORD && !(o->flags & NS_TOKF_UPPER_INITIAL) && o->norm &&
		    o->norm_len == t->norm_len && !memcmp(o->norm, t->norm, t->norm_len))
			return 1;
	}
	return 0;
}

/* Shared composer: units (article order) behind an opener. */
static int compose(char **out, const ns_explain_model *m, const ns_doc *d, const char *opener, const unit *sel,
		   size_t nsel)
{
	ns_buf b = NS_BUF_INIT;
	size_t budget = NS_EXPLAIN_MAX_WORDS;
	*out = NULL;
	size_t lwn = 0;
	const char *lw = last_word(opener, &lwn);
	if (opener)
		put_words(&b, opener, strlen(opener), &budget);
	for (size_t i = 0; i < nsel && budget > 0; i++) {
		if (m && m->p.join && i > 0)
			join_units(&b, m, d, &sel[i], &sel[i - 1], &budget);
		size_t at = b.size;
		/* mid-sentence (behind the opener or a joining "and"), a sentence's
		 * capitalised common first word is written in lower case */
		int mid = m && at > 0 && !strchr(".!?", b.ptr[at - 1]) &&
			  (i == 0 ? opener != NULL : !adjacent(&sel[i - 1], &sel[i]));
		put_unit(&b, m, d, &sel[i], i > 0 ? &sel[i - 1] : NULL, i + 1 < nsel ? &sel[i + 1] : NULL,
			 i == 0 && opener ? (lw ? lw : opener) : NULL,
			 i == 0 ? lwn : 0, &budget);
		if (mid && b.size > at + 1) {
			const unit *x = &sel[i];
			for (uint32_t t = x->tb; t < x->te; t++)
				if (d->tokens[t].kind == NS_TOK_WORD) {
					/* the first word written: compare its bytes with the output */
					const ns_token *tk = &d->tokens[t];
					size_t tl = tk->bend - tk->bstart;
					if (b.size >= at + 1 + tl && !memcmp(b.ptr + at + 1, d->text + tk->bstart, tl) &&
					    common_capital(d, tk))
						set_case(&b, at + 1, 0);
					break;
				}
		}
	}
	if (ns_buf_failed(&b)) {
		ns_buf_free(&b);
		return ns_error__set(NS_ENOMEM, "explanation: out of memory");
	}
	if (!b.ptr)
		ns_buf_puts(&b, "");
	*out = ns_buf_detach(&b, NULL);
	return *out ? 0 : NS_ENOMEM;
}

/* Words unit x contributes (after dropping). */
static size_t unit_words(const ns_explain_model *m, const ns_doc *d, const unit *x)
{
	if (!m || m->p.drop <= -100) {
		uint32_t bs, be;
		if (x->oe <= x->ob)
			return 0;
		range_bytes(d, x->s, x->ob, x->oe, &bs, &be);
		return ns_explain_words(d->text + bs, be - bs);
	}
	size_t n = 0;
	for (uint32_t t = x->tb; t < x->te; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind == NS_TOK_WORD && tk->norm &&
		    gweight(m, ns_explain__stem_key(tk)) >= m->p.drop)
			n++;
	}
	return n;
}

static int cmp_unit_score(const void *x, const void *y)
{
	const unit *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->tb < b->tb ? -1 : a->tb > b->tb;
}

static int cmp_unit_pos(const void *x, const void *y)
{
	const unit *a = x, *b = y;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->tb < b->tb ? -1 : a->tb > b->tb;
}

/* Share of the longer words (over three bytes) of unit x whose stem is one of
 * the title's stem keys tk: a unit restating the headline carries the topic. */
static double title_share(const ns_doc *d, const tfmap *tf, const unit *x, const uint64_t *tk, size_t ntk)
{
	size_t have = 0, tot = 0;
	for (uint32_t t = x->ob; t < x->oe; t++) {
		const ns_token *tok = &d->tokens[t];
		if (tok->kind != NS_TOK_WORD || !tok->norm || tok->norm_len <= 3)
			continue;
		uint64_t k = key_of(tf, d, t);
		tot++;
		for (size_t q = 0; q < ntk; q++)
			if (tk[q] == k) {
				have++;
				break;
			}
	}
	return tot ? (double)have / (double)tot : 0.0;
}

/* Units for the explanation within target words, best-scoring first, returned
 * in article order (*sel malloc'd). */
/* Sum of the subnarrative weights (key sub) of the distinct stems of tokens
 * [tb, te) of d, over the square root of their word count. */
static double sub_score(const ns_explain_model *m, const ns_doc *d, uint32_t tb, uint32_t te, uint64_t sub)
{
	double sum = 0;
	size_t nw = 0;
	for (uint32_t t = tb; t < te; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind != NS_TOK_WORD || !tk->norm)
			continue;
		nw++;
		uint64_t k = ns_explain__stem_key(tk);
		int seen = 0;
		for (uint32_t q = tb; q < t && !seen; q++)
			seen = d->tokens[q].kind == NS_TOK_WORD && d->tokens[q].norm &&
			       ns_explain__stem_key(&d->tokens[q]) == k;
		if (!seen)
			sum += nweight(m, ns_explain__narr_key(sub, k));
	}
	return nw ? sum / sqrt((double)nw) : 0;
}

static int select_units(unit **sel, size_t *nsel, const ns_explain_model *m, const ns_doc *d, const char *narrative,
			const char *subnarrative, const ns_span *ev, size_t nev, size_t target)
{
	uint64_t lab = narrative ? ns_explain__label_key(narrative) : 0;
	uint64_t sub = m->p.sub_weight != 0 ? ns_explain__sub_key(subnarrative) : 0;
	unit *u = NULL;
	uint64_t *st = NULL, *keys = NULL, tkeys[64];
	size_t n = 0, k = 0, stcap = 0, ntk = 0;
	tfmap tf = {0};
	int rc = make_units(&u, &n, m, d);
	*sel = NULL;
	*nsel = 0;
	if (rc < 0)
		return rc;
	if ((rc = tf_build(&tf, d)) < 0) /* also the per-token stem keys */
		goto cleanup;
	/* the title (first sentence): stems of its words longer than three bytes */
	if (d->nsentences > 0 && m->p.title_weight != 0)
		for (uint32_t t = d->sentences[0].tok_begin; t < d->sentences[0].tok_end && ntk < 64; t++)
			if (d->tokens[t].kind == NS_TOK_WORD && d->tokens[t].norm && d->tokens[t].norm_len > 3)
				tkeys[ntk++] = ns_explain__stem_key(&d->tokens[t]);
	for (size_t i = 0; i < n; i++) {
		const unit *x = &u[i];
		double f[NS_EXPLAIN_NF];
		size_t nw = features_range(f, m, d, x->s, x->ob, x->oe, lab, &st, &stcap, &tf);
		if (nw == SIZE_MAX) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if (nw == 0)
			continue;
		double score = 0;
		if (m->has_w && m->p.learned) {
			for (size_t q = 0; q < NS_EXPLAIN_NF; q++)
				score += m->w[q] * f[q];
		} else {
			score = f[4] + m->p.narr_weight * f[5] + m->p.pos_weight * f[1] + m->p.cen_weight * f[9] +
				(m->p.accusation ? 0.5 * f[7] + 0.3 * f[8] : 0);
		}
		if (sub)
			score += m->p.sub_weight * sub_score(m, d, x->ob, x->oe, sub);
		if (m->p.title_weight != 0 && x->s > 0)
			score += m->p.title_weight * title_share(d, &tf, x, tkeys, ntk);
		uint32_t cs = d->tokens[x->tb].start, ce = d->tokens[x->te - 1].end;
		for (size_t e = 0; e < nev; e++)
			if (ev[e].start < ce && cs < ev[e].end) {
				score += m->p.evid_bonus;
				break;
			}
		u[k] = *x;
		u[k].score = score;
		k++;
	}
	if (k > 1) /* (u is NULL when the document has no unit) */
		qsort(u, k, sizeof *u, cmp_unit_score);
	size_t words = 0, ns = 0, nk = 0, kcap = 0;
	for (size_t i = 0; i < k && words < target; i++) {
		/* redundancy: skip a unit whose word stems mostly repeat the chosen ones */
		size_t have = 0, tot = 0, k0 = nk;
		for (uint32_t t = u[i].ob; t < u[i].oe; t++) {
			const ns_token *tk = &d->tokens[t];
			if (tk->kind != NS_TOK_WORD || !tk->norm)
				continue;
			uint64_t key = key_of(&tf, d, t);
			int in = 0;
			for (size_t q = 0; q < k0 && !in; q++)
				in = keys[q] == key;
			tot++;
			have += (size_t)in;
			if (NS_GROW(keys, kcap, nk + 1) < 0) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			keys[nk++] = key;
		}
		if (ns > 0 && tot > 0 && (double)have > m->p.redund * (double)tot) {
			nk = k0;
			continue;
		}
		unit x = u[i];
		u[i] = u[ns];
		u[ns++] = x;
		words += unit_words(m, d, &x);
	}
	if (ns > 1)
		qsort(u, ns, sizeof *u, cmp_unit_pos);
	*sel = u;
	*nsel = ns;
	u = NULL;
cleanup:
	free(u);
	free(st);
	free(keys);
	tf_free(&tf);
	return rc;
}

int ns_explain__unit_rows(double *A, double *b, size_t *rows, const ns_explain_model *m, const ns_doc *d,
			  const ns_doc *gold, uint64_t lab)
{
	enum { K = NS_EXPLAIN_NF };
	unit *u = NULL;
	uint64_t *st = NULL;
	size_t n = 0, stcap = 0, *row = NULL, rowcap = 0;
	ns_explain_toks g = {0}, h = {0};
	tfmap tf = {0};
	int rc = make_units(&u, &n, m, d);
	if (rc == 0)
		rc = tf_build(&tf, d);
	if (rc == 0)
		rc = ns_explain__rtok(&g, gold->text, gold->len);
	for (size_t i = 0; i < n && rc == 0; i++) {
		double f[K];
		size_t nw = features_range(f, m, d, u[i].s, u[i].tb, u[i].te, lab, &st, &stcap, &tf), lcs = 0;
		if (nw == SIZE_MAX) {
			rc = NS_ENOMEM;
			break;
		}
		if (nw == 0)
			continue;
		uint32_t bs, be;
		unit_bytes(d, &u[i], &bs, &be);
		h.n = 0;
		if ((rc = ns_explain__rtok(&h, d->text + bs, be - bs)) < 0 ||
		    (rc = ns_explain__lcs(&lcs, &g, &h, &row, &rowcap)) < 0)
			break;
		double y = h.n ? (double)lcs / (double)h.n : 0.0;
		for (size_t r = 0; r < K; r++) {
			for (size_t c = 0; c < K; c++)
				A[r * K + c] += f[r] * f[c];
			b[r] += f[r] * y;
		}
		(*rows)++;
	}
	free(u);
	free(st);
	free(row);
	free(g.id);
	free(h.id);
	tf_free(&tf);
	return rc;
}

int ns_explain__body(char **out, const ns_explain_model *m, const ns_doc *d, const char *narrative,
		     const char *subnarrative, const ns_span *ev, size_t nev, size_t budget)
{
	unit *sel = NULL;
	size_t nsel = 0;
	int rc = select_units(&sel, &nsel, m, d, narrative, subnarrative, ev, nev, budget);
	*out = NULL;
	if (rc == 0)
		rc = compose(out, m, d, NULL, sel, nsel);
	free(sel);
	return rc;
}

/* The opener for d and narrative: the learned one when the model has openers for
 * the article's language, else the built-in phrase or the language's opener. */
static const char *pick_opener(char *buf, size_t size, const ns_explain_model *m, const ns_doc *d,
			       const char *narrative, const ns_explain_lang *l)
{
	int same_lang = l && strcmp(l->code, d->lang) == 0;
	if (!same_lang)
		return NULL;
	const char *lo = m->nopeners ? ns_explain__opener(m, d->lang, narrative ? ns_explain__label_key(narrative) : 0)
				     : NULL;
	if (lo)
		return *lo ? lo : NULL;
	const char *op = l->opener && *l->opener ? l->opener : NULL;
	const char *nop = m->p.label == 2 && !strcmp(d->lang, "en") ? ns_explain__narr_phrase(buf, size, narrative, d->lang)
								     : NULL;
	if (nop)
		return nop;
	if (op && narrative && m->p.label == 1 && !strcmp(d->lang, "en")) {
		/* "URW: Discrediting the West, Diplomacy" -> "pushes the narrative Discrediting the West, Diplomacy:" */
		const char *lb = strstr(narrative, ": ");
		lb = lb ? lb + 2 : narrative;
		snprintf(buf, size, "The text pushes the narrative %s and claims that", lb);
		return buf;
	}
	return op;
}

int ns_explain_generate(char **out, const ns_explain_model *m, const ns_doc *d, const char *narrative,
			const char *subnarrative, const ns_span *ev, size_t nev)
{
	const ns_explain_lang *l = lang_of(m, d);
	size_t target = l ? l->target : 35, nsel = 0;
	unit *sel = NULL;
	char buf[512];
	const char *op = pick_opener(buf, sizeof buf, m, d, narrative, l);
	*out = NULL;
	if (op && m->p.opener_cut) {
		size_t ow = ns_explain_words(op, strlen(op));
		target = target > ow + 8 ? target - ow : 8;
	}
	int rc = select_units(&sel, &nsel, m, d, narrative, subnarrative, ev, nev, target);
	if (rc == 0)
		rc = compose(out, m, d, op, sel, nsel);
	free(sel);
	return rc;
}

int ns_explain_lead(char **out, const ns_explain_model *m, const ns_doc *d)
{
	const ns_explain_lang *l = lang_of(m, d);
	size_t target = l ? (l->lead ? l->lead : l->target) : 35, words = 0, n = 0, k = 0;
	unit *u = NULL;
	int rc = make_units(&u, &n, NULL, d);
	*out = NULL;
	if (rc < 0)
		return rc;
	while (k < n && words < target) {
		words += unit_words(NULL, d, &u[k]);
		k++;
	}
	rc = compose(out, NULL, d, NULL, u, k);
	free(u);
	return rc;
}
