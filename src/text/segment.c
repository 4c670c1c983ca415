/* Paragraphs and sentences over the kept tokens, with per-language abbreviations,
 * initials, decimals, closing quotes, ellipses and the Devanagari danda.
 *
 * DESIGN: paragraphs. Blank lines and cleaned lines separate paragraphs, and so
 * does a single line break: the news text of the corpus (and of most feeds) puts
 * one paragraph per line, headline first. The exception is a hard-wrapped line:
 * when a line does not end with sentence punctuation and the next one starts with
 * a lower-case word, the two belong to one paragraph. Sentences never cross a
 * paragraph.
 * Sentences. A sentence ends after a run of terminal marks (. ! ? … । ॥) plus any
 * closing quotes and brackets attached to it, unless what follows shows it goes
 * on: a lower-case word ("“Why?” he asked"), a comma or dash ("«Кто?» — спросил
 * он"), or, after a full stop, no space ("Pravda.Ru", "example.com"). A full stop
 * after a title abbreviation (Mr., Dr., ул., Sra.) or a single capital (the
 * initials in "J. R. R. Tolkien", "В. Путин") never ends a sentence; after a
 * general abbreviation (etc., Inc., млн., руб.) it does before an upper-case word;
 * after one that often precedes a name (U.S., т.е.) only before an upper-case
 * stop word ("the U.S. State Department" / "in the U.S. Then ..."). The Russian and
 * Bulgarian "г." is a year after a number (in the corpus nearly always the end of
 * the sentence when a capital follows) and "город/град" otherwise. Decimals never reach this code:
 * "3.5" is one number token. An enumeration "1." at the start of a sentence does
 * not end it. */
#include <string.h>

#include "internal.h"

typedef struct seg {
	ns_text_ctx *ctx;
	ns_doc *doc;
	uint64_t title, general, name, stop; /* lexicon bits for the language */
	int lang;
	size_t scap, pcap;
} seg;

static uint32_t first_cp(const ns_doc *doc, const ns_token *t)
{
	uint32_t c;
	ns_text__decode((const unsigned char *)doc->text + t->bstart, t->bend - t->bstart, &c);
	return c;
}

static bool is_terminal_tok(const ns_doc *doc, const ns_token *t)
{
	return t->kind == NS_TOK_PUNCT && ns_text__is_terminal(first_cp(doc, t));
}

static bool is_closer(uint32_t c)
{
	switch (c) {
	case ')': case ']': case '}': case '"': case '\'':
	case 0x00BB: case 0x201D: case 0x2019: case 0x203A: case 0x201C: /* » ” ’ › “(de close) */
		return true;
	default:
		return false;
	}
}

static bool is_opener(uint32_t c)
{
	switch (c) {
	case '(': case '[': case '{': case '"': case '\'':
	case 0x00AB: case 0x201C: case 0x201E: case 0x2018: case 0x2039: case 0x201A:
		return true;
	default:
		return false;
	}
}

static bool is_lower_word(const ns_doc *doc, const ns_token *t)
{
	return t->kind == NS_TOK_WORD && ns_text__cclass(first_cp(doc, t)) == NS_C_LOWER;
}

/* Builds the abbreviation key of the word chain ending at token i - 1 (the period
 * is token i): norms joined by ".", e.g. "u.s" for "U.S.". Returns the number of
 * words in the chain (0 if token i - 1 is not an attached word). */
static size_t abbrev_key(const seg *sg, size_t sb, size_t i, char *buf, size_t cap, size_t *len)
{
	const ns_token *tk = sg->doc->tokens;
	size_t first = i - 1, nwords = 1;
	if (i <= sb || tk[i - 1].kind != NS_TOK_WORD || tk[i - 1].end != tk[i].start)
		return 0;
	/* walk back over "w." pairs attached to each other */
	while (first >= sb + 2 && nwords < 5 && tk[first - 1].kind == NS_TOK_PUNCT &&
	       tk[first - 1].norm_len == 1 && tk[first - 1].norm[0] == '.' &&
	       tk[first - 1].end == tk[first].start && tk[first - 2].kind == NS_TOK_WORD &&
	       tk[first - 2].end == tk[first - 1].start) {
		first -= 2;
		nwords++;
	}
	size_t n = 0;
	for (size_t k = first; k < i; k++) {
		if (n + tk[k].norm_len + 1 >= cap)
			return 0;
		memcpy(buf + n, tk[k].norm, tk[k].norm_len);
		n += tk[k].norm_len;
	}
	buf[n] = '\0';
	*len = n;
	return nwords;
}

/* Number of code points in a norm string. */
static size_t cp_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* Does the full stop at token i (sentence began at sb) end a sentence, given that
 * the next token nx is separated by space and is not a lower-case word? */
static bool period_ends(const seg *sg, size_t sb, size_t i, const ns_token *nx)
{
	const ns_doc *doc = sg->doc;
	const ns_token *tk = doc->tokens;
	char key[128];
	size_t klen = 0;
	size_t nw = abbrev_key(sg, sb, i, key, sizeof(key), &klen);
	if (nw == 0) {
		/* "1." opening an enumeration */
		if (i == sb + 1 && tk[sb].kind == NS_TOK_NUMBER && tk[sb].norm_len <= 2)
			return false;
		return true;
	}
	const ns_token *w = &tk[i - 1];
	enum { ORDINARY, GENERAL, NAME } cls = ORDINARY;
	uint64_t m = ns_text__lexicon_mask(key, klen);
	if ((sg->lang == NS_LANG_RU || sg->lang == NS_LANG_BG || sg->lang == NS_LANG_UK) && nw == 1 &&
	    (strcmp(key, "г") == 0 || strcmp(key, "гг") == 0 || strcmp(key, "р") == 0)) {
		/* a year after a number (mostly sentence-final), a town before a name */
		if (i >= sb + 2 && tk[i - 2].kind == NS_TOK_NUMBER)
			cls = GENERAL;
		else
			return false;
	} else if (nw == 1 && (w->flags & NS_TOKF_UPPER_INITIAL) && cp_count(w->norm, w->norm_len) == 1 &&
		   (i == sb + 1 || tk[i - 2].end < w->start)) {
		return false; /* an initial ("J. R. R.", "В. В."), not a unit such as "°C." */
	} else if (m & sg->title) {
		return false;
	} else if (m & sg->general) {
		cls = GENERAL;
	} else if (m & sg->name) {
		cls = NAME;
	} else if (nw > 1) {
		cls = NAME; /* an unknown dotted abbreviation such as "U.S.A." */
	}
	if (cls == ORDINARY)
		return true;
	if (nx->kind != NS_TOK_WORD)
		return false;
	if (cls == GENERAL)
		return (nx->flags & NS_TOKF_UPPER_INITIAL) || ns_text__cclass(first_cp(doc, nx)) == NS_C_LETTER;
	return (nx->flags & NS_TOKF_UPPER_INITIAL) && (ns_text__lexicon_mask(nx->norm, nx->norm_len) & sg->stop);
}

/* Given terminal marks at tokens [i, j] (closers included), does a sentence end
 * after j? Paragraph ends at pe. */
static bool boundary(const seg *sg, size_t sb, size_t i, size_t last_mark, size_t j, size_t pe)
{
	const ns_doc *doc = sg->doc;
	const ns_token *tk = doc->tokens;
	if (j + 1 >= pe)
		return true;
	const ns_token *nx = &tk[j + 1];
	bool spaced = nx->start > tk[j].end;
	bool period = false, strong = false, ellipsis = false;
	for (size_t k = i; k <= last_mark; k++) {
		uint32_t c = first_cp(doc, &tk[k]);
		if (c == '.')
			period = true;
		else if (c == 0x2026)
			ellipsis = true;
		else
			strong = true;
	}
	if (period && last_mark > i)
		ellipsis = true; /* "..." */
	if (nx->kind == NS_TOK_PUNCT) {
		uint32_t c = first_cp(doc, nx);
		if (!is_opener(c) || (ellipsis && !strong))
			return false; /* comma, dash, colon, "… [and]": the sentence goes on */
		if ((c == '"' || c == '\'') && !spaced)
			return false;
		return spaced || strong;
	}
	if (is_lower_word(doc, nx))
		return false;
	if (strong)
		return true;
	if (ellipsis) {
		/* In English and Portuguese news mostly an omission inside a quote ("the
		 * … Paris climate talks"): ends a sentence only before an upper-case stop
		 * word. In Russian, Bulgarian and Ukrainian news it mostly trails off a
		 * sentence ("антируски... Доказва"): ends one before any capital. */
		if (nx->kind != NS_TOK_WORD)
			return false;
		if (ns_text__cclass(first_cp(doc, nx)) == NS_C_LETTER)
			return true;
		if (!(nx->flags & NS_TOKF_UPPER_INITIAL))
			return false;
		if (sg->lang == NS_LANG_RU || sg->lang == NS_LANG_BG || sg->lang == NS_LANG_UK)
			return true;
		return (ns_text__lexicon_mask(nx->norm, nx->norm_len) & sg->stop) != 0;
	}
	if (!spaced)
		return false;
	return period_ends(sg, sb, i, nx);
}

static int push_sentence(seg *sg, size_t b, size_t e, uint32_t para)
{
	ns_doc *doc = sg->doc;
	if (doc->nsentences == sg->scap) {
		size_t ncap = sg->scap ? sg->scap * 2 : 16 + doc->ntokens / 16;
		ns_sentence *s = ns_arena_grow(&doc->arena, doc->sentences, doc->nsentences, ncap, sizeof(*s));
		if (!s)
			return NS_ENOMEM;
		doc->sentences = s;
		sg->scap = ncap;
	}
	uint32_t idx = (uint32_t)doc->nsentences++;
	ns_sentence *s = &doc->sentences[idx];
	s->start = doc->tokens[b].start;
	s->bstart = doc->tokens[b].bstart;
	s->end = doc->tokens[e - 1].end;
	s->bend = doc->tokens[e - 1].bend;
	s->tok_begin = (uint32_t)b;
	s->tok_end = (uint32_t)e;
	s->paragraph = para;
	for (size_t k = b; k < e; k++) {
		doc->tokens[k].sentence = idx;
		doc->tokens[k].flags &= (uint8_t)~NS_TOKF_SENT_START;
	}
	doc->tokens[b].flags |= NS_TOKF_SENT_START;
	return 0;
}

/* Splits tokens [pb, pe) of paragraph `para` into sentences. */
static int split_sentences(seg *sg, size_t pb, size_t pe, uint32_t para)
{
	const ns_doc *doc = sg->doc;
	const ns_token *tk = doc->tokens;
	size_t sb = pb, i = pb;
	bool content = false; /* a word or number since sb: marks before any ("… I lived", "‼") end nothing */
	int rc;
	while (i < pe) {
		if (!is_terminal_tok(doc, &tk[i])) {
			if (tk[i].kind != NS_TOK_PUNCT)
				content = true;
			i++;
			continue;
		}
		size_t j = i;
		while (j + 1 < pe && is_terminal_tok(doc, &tk[j + 1]) && tk[j + 1].start == tk[j].end)
			j++;
		size_t last_mark = j;
		while (j + 1 < pe && tk[j + 1].kind == NS_TOK_PUNCT && tk[j + 1].start == tk[j].end &&
		       is_closer(first_cp(doc, &tk[j + 1])))
			j++;
		if (content && boundary(sg, sb, i, last_mark, j, pe)) {
			if ((rc = push_sentence(sg, sb, j + 1, para)) < 0)
				return rc;
			sb = j + 1;
			content = false;
		}
		i = j + 1;
	}
	if (sb < pe && (rc = push_sentence(sg, sb, pe, para)) < 0)
		return rc;
	return 0;
}

/* Does line `l` end a paragraph by its last token (terminal mark, closer, colon)? */
static bool line_closed(const ns_doc *doc, const ns_line *l)
{
	const ns_token *t = &doc->tokens[l->tok_end - 1];
	if (t->kind != NS_TOK_PUNCT)
		return false;
	uint32_t c = first_cp(doc, t);
	return ns_text__is_terminal(c) || is_closer(c) || c == ':';
}

static int push_paragraph(seg *sg, size_t pb, size_t pe)
{
	ns_doc *doc = sg->doc;
	if (doc->nparagraphs == sg->pcap) {
		size_t ncap = sg->pcap ? sg->pcap * 2 : 16;
		ns_paragraph *p = ns_arena_grow(&doc->arena, doc->paragraphs, doc->nparagraphs, ncap, sizeof(*p));
		if (!p)
			return NS_ENOMEM;
		doc->paragraphs = p;
		sg->pcap = ncap;
	}
	uint32_t idx = (uint32_t)doc->nparagraphs++;
	ns_paragraph *p = &doc->paragraphs[idx];
	p->start = doc->tokens[pb].start;
	p->bstart = doc->tokens[pb].bstart;
	p->end = doc->tokens[pe - 1].end;
	p->bend = doc->tokens[pe - 1].bend;
	p->sent_begin = (uint32_t)doc->nsentences;
	int rc = split_sentences(sg, pb, pe, idx);
	p->sent_end = (uint32_t)doc->nsentences;
	return rc;
}

int ns_text__segment(ns_text_ctx *ctx)
{
	ns_doc *doc = ctx->doc;
	seg sg;
	memset(&sg, 0, sizeof(sg));
	sg.ctx = ctx;
	sg.doc = doc;
	sg.lang = ctx->lang;
	if (ctx->lang != NS_LANG_UND) {
		const char *code = ns_text__lang_code(ctx->lang);
		sg.title = ns_text__lexicon_bit("abbr_title", code);
		sg.general = ns_text__lexicon_bit("abbr_general", code);
		sg.name = ns_text__lexicon_bit("abbr_name", code);
		sg.stop = ns_text__lexicon_bit("stop", code);
	}
	size_t pb = 0, prev = (size_t)-1;
	bool open = false;
	for (size_t li = 0; li < ctx->nlines; li++) {
		const ns_line *l = &ctx->lines[li];
		if (l->clean || l->tok_begin == l->tok_end) {
			/* blank or cleaned: closes the open paragraph */
			if (open) {
				int rc = push_paragraph(&sg, pb, l->tok_begin);
				if (rc < 0)
					return rc;
				open = false;
			}
			continue;
		}
		if (open) {
			const ns_line *p = &ctx->lines[prev];
			bool cont = prev + 1 == li && !line_closed(doc, p) &&
				    is_lower_word(doc, &doc->tokens[l->tok_begin]);
			if (!cont) {
				int rc = push_paragraph(&sg, pb, l->tok_begin);
				if (rc < 0)
					return rc;
				pb = l->tok_begin;
			}
		} else {
			pb = l->tok_begin;
			open = true;
		}
		prev = li;
	}
	if (open)
		return push_paragraph(&sg, pb, doc->ntokens);
	return 0;
}
