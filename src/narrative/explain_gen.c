/* Composing explanations (sentence scoring and selection under the word budget),
 * the lead-sentences baseline, and the "expl.model" bundle section.
 *
 * Section format (little-endian, version 1): u32 version; f64 narr_weight,
 * evid_bonus, pos_weight, len_factor; u32 accusation; f64 drop; u32 learned, label, has_w; 9 x f64 w; u32 ng, ng x (u64 key, f32
 * weight); u32 nn, nn x (u64 key, f32 weight); u32 nlangs, nlangs x (str code,
 * u32 target words, str opener). Keys are strictly increasing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../claim/claim.h"
#include "../model/ser.h"
#include "explain.h"

#define EXPLAIN_VERSION 1

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

static float lookup(const uint64_t *k, const float *w, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && k[lo] == key ? w[lo] : 0.0f;
}

/* Appends the sentence's text with runs of white space as one space, stopping
 * after *budget words; decrements *budget. */
/* Quotation marks of s[0..n) that do not pair up (a sentence cut out of a longer
 * quote): such marks are left out so that every quoted span of an explanation is
 * a span of the article. */
static int marks_unbalanced(const char *s, size_t n)
{
	int straight = 0, guil = 0, curly = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			straight++;
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
	return (straight & 1) || guil != 0 || (curly != 0 && curly % 2 != 0);
}

static size_t mark_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '"')
		return 1;
	if (c == 0xC2 && n > 1 && ((unsigned char)s[1] == 0xAB || (unsigned char)s[1] == 0xBB))
		return 2;
	if (c == 0xE2 && n > 2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0x9E))
		return 3;
	return 0;
}

static void put_words(ns_buf *b, const char *s, size_t n, size_t *budget)
{
	int in = 0, strip = marks_unbalanced(s, n);
	for (size_t i = 0; i < n; i++) {
		size_t ml = strip ? mark_len(s + i, n - i) : 0;
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

static size_t sentence_words(const ns_doc *d, const ns_sentence *s)
{
	return ns_explain_words(d->text + s->bstart, s->bend - s->bstart);
}

static const ns_explain_lang *lang_of(const ns_explain_model *m, const ns_doc *d)
{
	const ns_explain_lang *l = ns_explain__lang(m, d->lang);
	return l ? l : ns_explain__lang(m, "en");
}

/* What the text does, per narrative (the label after "URW: " / "CC: "), said the
 * way annotators describe it ("The text discredits Ukraine ..."), in the
 * languages the shared task covers; an opener is this phrase + the language's
 * "and claims that". Labels not listed keep the language's plain opener. */
typedef struct narr_phrase {
	const char *label, *en, *pt, *ru, *bg;
} narr_phrase;

static const narr_phrase narr_phrases[] = {
	{"Discrediting Ukraine", "The text discredits Ukraine", "O texto desacredita a Ucrânia",
	 "Статья дискредитирует Украину", "Статията дискредитира Украйна"},
	{"Discrediting the West, Diplomacy", "The text discredits the West and its diplomacy",
	 "O texto desacredita o Ocidente e a sua diplomacia", "Статья дискредитирует Запад и его дипломатию",
	 "Статията дискредитира Запада и неговата дипломация"},
	{"Praise of Russia", "The text praises Russia", "O texto elogia a Rússia", "Статья восхваляет Россию",
	 "Статията възхвалява Русия"},
	{"Amplifying war-related fears", "The text amplifies fears related to the war",
	 "O texto amplifica os medos relacionados com a guerra", "Статья нагнетает страх перед войной",
	 "Статията засилва страха от войната"},
	{"Blaming the war on others rather than the invader", "The text blames the war on others than Russia",
	 "O texto culpa outros pela guerra, e não a Rússia", "Статья возлагает вину за войну на других, а не на Россию",
	 "Статията обвинява за войната други, а не Русия"},
	{"Speculating war outcomes", "The text speculates about the outcome of the war",
	 "O texto especula sobre o desfecho da guerra", "Статья строит прогнозы об исходе войны",
	 "Статията спекулира за изхода от войната"},
	{"Russia is the Victim", "The text presents Russia as the victim", "O texto apresenta a Rússia como vítima",
	 "Статья представляет Россию жертвой", "Статията представя Русия като жертва"},
	{"Distrust towards Media", "The text expresses distrust towards the media",
	 "O texto exprime desconfiança em relação aos meios de comunicação", "Статья выражает недоверие к СМИ",
	 "Статията изразява недоверие към медиите"},
	{"Negative Consequences for the West", "The text stresses negative consequences for the West",
	 "O texto sublinha as consequências negativas para o Ocidente", "Статья подчеркивает негативные последствия для Запада",
	 "Статията подчертава негативните последствия за Запада"},
	{"Overpraising the West", "The text overpraises the West", "O texto elogia excessivamente o Ocidente",
	 "Статья чрезмерно восхваляет Запад", "Статията прекомерно възхвалява Запада"},
	{"Hidden plots by secret schemes of powerful groups", "The text suggests hidden plots by powerful groups",
	 "O texto sugere conspirações secretas de grupos poderosos", "Статья намекает на тайные заговоры влиятельных групп",
	 "Статията намеква за тайни заговори на влиятелни групи"},
	{"Amplifying Climate Fears", "The text amplifies fears about climate change",
	 "O texto amplifica os medos sobre as alterações climáticas", "Статья нагнетает страх перед изменением климата",
	 "Статията засилва страха от климатичните промени"},
	{"Criticism of institutions and authorities", "The text criticises institutions and authorities",
	 "O texto critica as instituições e as autoridades", "Статья критикует институты и власти",
	 "Статията критикува институциите и властите"},
	{"Criticism of climate policies", "The text criticises climate policies", "O texto critica as políticas climáticas",
	 "Статья критикует климатическую политику", "Статията критикува климатичните политики"},
	{"Criticism of climate movement", "The text criticises the climate movement",
	 "O texto critica o movimento climático", "Статья критикует климатических активистов",
	 "Статията критикува климатичните активисти"},
	{"Downplaying climate change", "The text downplays climate change", "O texto minimiza as alterações climáticas",
	 "Статья преуменьшает изменение климата", "Статията омаловажава климатичните промени"},
	{"Questioning the measurements and science", "The text questions climate measurements and science",
	 "O texto questiona as medições e a ciência do clima", "Статья ставит под сомнение климатическую науку",
	 "Статията поставя под съмнение климатичната наука"},
	{"Controversy about green technologies", "The text questions green technologies",
	 "O texto questiona as tecnologias verdes", "Статья ставит под сомнение зелёные технологии",
	 "Статията поставя под съмнение зелените технологии"},
	{"Climate change is beneficial", "The text presents climate change as beneficial",
	 "O texto apresenta as alterações climáticas como benéficas", "Статья представляет изменение климата полезным",
	 "Статията представя климатичните промени като полезни"},
	{"Green policies are geopolitical instruments", "The text presents green policies as geopolitical instruments",
	 "O texto apresenta as políticas verdes como instrumentos geopolíticos",
	 "Статья представляет зелёную политику геополитическим инструментом",
	 "Статията представя зелените политики като геополитически инструмент"},
};

/* Narrative opener for narrative in language lang into buf; NULL when none. */
static const char *narr_opener(char *buf, size_t size, const char *narrative, const ns_doc *d)
{
	static const char *const tail[][2] = {
		{"en", "and claims that"}, {"pt", "e refere que"}, {"ru", "и утверждает, что"}, {"bg", "и твърди, че"},
	};
	if (!narrative)
		return NULL;
	const char *lb = strstr(narrative, ": ");
	lb = lb ? lb + 2 : narrative;
	for (size_t i = 0; i < sizeof narr_phrases / sizeof narr_phrases[0]; i++) {
		const narr_phrase *np = &narr_phrases[i];
		if (strcmp(np->label, lb) != 0)
			continue;
		const char *ph[] = {np->en, np->pt, np->ru, np->bg};
		for (size_t k = 0; k < 4; k++)
			if (!strcmp(d->lang, tail[k][0])) {
				snprintf(buf, size, "%s %s", ph[k], tail[k][1]);
				return buf;
			}
	}
	return NULL;
}

/* Does the sentence carry an accusation (what = 0) or an attributed quote (1)? */
static int has_claim(const ns_claims *c, const ns_sentence *s, int what)
{
	if (!c)
		return 0;
	if (what == 0) {
		for (size_t i = 0; i < c->naccusations; i++)
			if (c->accusations[i].span.start < s->end && s->start < c->accusations[i].span.end)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < c->nquotes; i++)
		if (c->quotes[i].speaker_id && c->quotes[i].text.start < s->end && s->start < c->quotes[i].text.end)
			return 1;
	return 0;
}

size_t ns_explain__features(double *f, const ns_explain_model *m, const ns_doc *d, size_t i, uint64_t lab,
			    uint64_t **st, size_t *stcap)
{
	const ns_sentence *s = &d->sentences[i];
	size_t nw = 0, ns = 0;
	if (NS_GROW(*st, *stcap, (size_t)(s->tok_end - s->tok_begin) + 1) < 0)
		return SIZE_MAX;
	for (uint32_t t = s->tok_begin; t < s->tok_end; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind != NS_TOK_WORD || !tk->norm)
			continue;
		nw++;
		uint64_t k = ns_explain__stem_key(tk);
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
		g += lookup(m->gkey, m->gw, m->ng, (*st)[q]);
		if (lab)
			n += lookup(m->nkey, m->nw, m->nn, ns_explain__narr_key(lab, (*st)[q]));
	}
	double sq = sqrt((double)nw);
	f[0] = 1;
	f[1] = 1.0 / (1.0 + (double)i);
	f[2] = i == 0;
	f[3] = i == 1;
	f[4] = g / sq;
	f[5] = n / sq;
	f[6] = log(1.0 + (double)nw);
	f[7] = has_claim(d->claims, s, 0);
	f[8] = has_claim(d->claims, s, 1);
	return nw;
}

typedef struct cand {
	double score;
	size_t idx;
} cand;

static int cmp_cand(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* Appends the words of sentence s whose global weight is at least m->p.drop
 * (all words when drop <= -100), with sentence punctuation, within *budget words. */
static void put_sentence(ns_buf *b, const ns_explain_model *m, const ns_doc *d, const ns_sentence *s,
			 size_t *budget)
{
	if (!m) {
		put_words(b, d->text + s->bstart, s->bend - s->bstart, budget); /* lead: as written */
		return;
	}
	if (m->p.drop <= -100) {
		put_words(b, d->text + s->bstart, s->bend - s->bstart, budget);
		return;
	}
	for (uint32_t t = s->tok_begin; t < s->tok_end; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind == NS_TOK_PUNCT) {
			char ch = d->text[tk->bstart];
			if (b->size > 0 && (ch == ',' || ch == '.' || ch == ';' || ch == ':' || ch == '!' || ch == '?') &&
			    b->ptr[b->size - 1] != ch && b->ptr[b->size - 1] != ',')
				ns_buf_putc(b, ch);
			continue;
		}
		if (tk->kind == NS_TOK_WORD && tk->norm &&
		    lookup(m->gkey, m->gw, m->ng, ns_explain__stem_key(tk)) < m->p.drop)
			continue;
		if (tk->kind == NS_TOK_NUMBER && m->p.drop > -100)
			continue;
		if (*budget == 0)
			return;
		(*budget)--;
		if (b->size > 0)
			ns_buf_putc(b, ' ');
		ns_buf_put(b, d->text + tk->bstart, tk->bend - tk->bstart);
	}
}

/* Shared composer: selected sentence indices (article order) behind an opener. */
static int compose(char **out, const ns_explain_model *m, const ns_doc *d, const char *opener, const size_t *sel,
		   size_t nsel)
{
	ns_buf b = NS_BUF_INIT;
	size_t budget = NS_EXPLAIN_MAX_WORDS;
	if (opener)
		put_words(&b, opener, strlen(opener), &budget);
	for (size_t i = 0; i < nsel && budget > 0; i++)
		put_sentence(&b, m, d, &d->sentences[sel[i]], &budget);
	if (ns_buf_failed(&b)) {
		ns_buf_free(&b);
		return ns_error__set(NS_ENOMEM, "explanation: out of memory");
	}
	if (!b.ptr)
		ns_buf_puts(&b, "");
	*out = ns_buf_detach(&b, NULL);
	return *out ? 0 : NS_ENOMEM;
}

/* Words the sentence contributes after dropping. */
static size_t kept_words(const ns_explain_model *m, const ns_doc *d, const ns_sentence *s)
{
	if (m->p.drop <= -100)
		return sentence_words(d, s);
	size_t n = 0;
	for (uint32_t t = s->tok_begin; t < s->tok_end; t++) {
		const ns_token *tk = &d->tokens[t];
		if (tk->kind == NS_TOK_WORD && tk->norm &&
		    lookup(m->gkey, m->gw, m->ng, ns_explain__stem_key(tk)) >= m->p.drop)
			n++;
	}
	return n;
}

int ns_explain_generate(char **out, const ns_explain_model *m, const ns_doc *d, const char *narrative,
			const ns_span *ev, size_t nev)
{
	const ns_explain_lang *l = lang_of(m, d);
	size_t target = l ? l->target : 35;
	int same_lang = l && strcmp(l->code, d->lang) == 0;
	uint64_t lab = narrative ? ns_explain__label_key(narrative) : 0;
	cand *c = ns_malloc((d->nsentences + 1) * sizeof *c);
	uint64_t *seen = ns_malloc((d->nsentences + 1) * sizeof *seen);
	size_t *sel = ns_malloc((d->nsentences + 1) * sizeof *sel);
	uint64_t *st = NULL;
	size_t stcap = 0, nc = 0, nsel = 0;
	int rc = 0;
	*out = NULL;
	if (!c || !seen || !sel) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < d->nsentences; i++) {
		const ns_sentence *s = &d->sentences[i];
		double f[NS_EXPLAIN_NF];
		seen[i] = sentence_hash(d, s);
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = seen[j] == seen[i];
		if (dup)
			continue;
		size_t nw = ns_explain__features(f, m, d, i, lab, &st, &stcap);
		if (nw == SIZE_MAX) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if (nw == 0)
			continue;
		double score = 0;
		if (m->has_w && m->p.learned) {
			for (size_t k = 0; k < NS_EXPLAIN_NF; k++)
				score += m->w[k] * f[k];
		} else {
			score = f[4] + m->p.narr_weight * f[5] + m->p.pos_weight * f[1] +
				(m->p.accusation ? 0.5 * f[7] + 0.3 * f[8] : 0);
		}
		for (size_t e = 0; e < nev; e++)
			if (ev[e].start < s->end && s->start < ev[e].end) {
				score += m->p.evid_bonus;
				break;
			}
		c[nc].score = score;
		c[nc].idx = i;
		nc++;
	}
	qsort(c, nc, sizeof *c, cmp_cand);
	size_t words = 0;
	for (size_t i = 0; i < nc && words < target; i++) {
		sel[nsel++] = c[i].idx;
		words += kept_words(m, d, &d->sentences[c[i].idx]);
	}
	qsort(sel, nsel, sizeof *sel, cmp_size);
	char opener[512];
	const char *op = same_lang && l->opener && *l->opener ? l->opener : NULL;
	const char *nop = same_lang && m->p.label == 2 && !strcmp(d->lang, "en") ? narr_opener(opener, sizeof opener, narrative, d) : NULL;
	if (nop)
		op = nop;
	else if (op && narrative && m->p.label == 1 && !strcmp(d->lang, "en")) {
		/* "URW: Discrediting the West, Diplomacy" -> "pushes the narrative Discrediting the West, Diplomacy:" */
		const char *lb = strstr(narrative, ": ");
		lb = lb ? lb + 2 : narrative;
		snprintf(opener, sizeof opener, "The text pushes the narrative %s and claims that", lb);
		op = opener;
	}
	rc = compose(out, m, d, op, sel, nsel);
cleanup:
	free(c);
	free(seen);
	free(sel);
	free(st);
	return rc;
}

int ns_explain_lead(char **out, const ns_explain_model *m, const ns_doc *d)
{
	const ns_explain_lang *l = lang_of(m, d);
	size_t target = l ? l->target : 35, words = 0, nsel = 0;
	size_t *sel = ns_malloc((d->nsentences + 1) * sizeof *sel);
	uint64_t *seen = ns_malloc((d->nsentences + 1) * sizeof *seen);
	int rc;
	*out = NULL;
	if (!sel || !seen) {
		free(sel);
		free(seen);
		return NS_ENOMEM;
	}
	for (size_t i = 0; i < d->nsentences && words < target; i++) {
		seen[i] = sentence_hash(d, &d->sentences[i]);
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = seen[j] == seen[i];
		if (dup || d->sentences[i].tok_end == d->sentences[i].tok_begin)
			continue;
		sel[nsel++] = i;
		words += sentence_words(d, &d->sentences[i]);
	}
	rc = compose(out, NULL, d, NULL, sel, nsel);
	free(sel);
	free(seen);
	return rc;
}

/* ---- bundle section ---- */

int ns_explain_model_save(const ns_explain_model *m, ns_bundle_writer *w)
{
	ns_buf b = NS_BUF_INIT;
	ns_wr_u32(&b, EXPLAIN_VERSION);
	ns_wr_f64(&b, m->p.narr_weight);
	ns_wr_f64(&b, m->p.evid_bonus);
	ns_wr_f64(&b, m->p.pos_weight);
	ns_wr_f64(&b, m->p.len_factor);
	ns_wr_u32(&b, (uint32_t)m->p.accusation);
	ns_wr_f64(&b, m->p.drop);
	ns_wr_u32(&b, (uint32_t)m->p.learned);
	ns_wr_u32(&b, (uint32_t)m->p.label);
	ns_wr_u32(&b, (uint32_t)m->has_w);
	for (size_t k = 0; k < NS_EXPLAIN_NF; k++)
		ns_wr_f64(&b, m->w[k]);
	ns_wr_u32(&b, (uint32_t)m->ng);
	for (size_t i = 0; i < m->ng; i++) {
		ns_wr_u64(&b, m->gkey[i]);
		ns_wr_f32(&b, m->gw[i]);
	}
	ns_wr_u32(&b, (uint32_t)m->nn);
	for (size_t i = 0; i < m->nn; i++) {
		ns_wr_u64(&b, m->nkey[i]);
		ns_wr_f32(&b, m->nw[i]);
	}
	ns_wr_u32(&b, (uint32_t)m->nlangs);
	for (size_t i = 0; i < m->nlangs; i++) {
		const ns_explain_lang *l = &m->langs[i];
		ns_wr_str(&b, l->code, strlen(l->code));
		ns_wr_u32(&b, l->target);
		ns_wr_str(&b, l->opener ? l->opener : "", l->opener ? strlen(l->opener) : 0);
	}
	int rc = ns_buf_failed(&b) ? ns_error__set(NS_ENOMEM, "explanations: out of memory")
				   : ns_bundle_writer_add(w, NS_EXPLAIN_SECTION, b.ptr, b.size);
	ns_buf_free(&b);
	return rc;
}

static int read_pairs(ns_rd *r, uint64_t **keys, float **w, size_t *n)
{
	uint32_t cnt = ns_rd_u32(r);
	if (!ns_rd_ok(r) || (size_t)cnt > ns_rd_left(r) / 12)
		return NS_EFORMAT;
	*keys = ns_malloc(((size_t)cnt + 1) * sizeof **keys);
	*w = ns_malloc(((size_t)cnt + 1) * sizeof **w);
	if (!*keys || !*w)
		return NS_ENOMEM;
	for (uint32_t i = 0; i < cnt; i++) {
		(*keys)[i] = ns_rd_u64(r);
		(*w)[i] = ns_rd_f32(r);
		if (i > 0 && (*keys)[i] <= (*keys)[i - 1])
			return NS_EFORMAT;
	}
	*n = cnt;
	return ns_rd_ok(r) ? 0 : NS_EFORMAT;
}

int ns_explain_model_load(ns_explain_model **out, const ns_bundle *bd)
{
	const void *data;
	size_t len;
	int rc = ns_bundle_section(bd, NS_EXPLAIN_SECTION, &data, &len);
	*out = NULL;
	if (rc < 0)
		return rc;
	ns_explain_model *m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	ns_rd r;
	ns_rd_init(&r, data, len);
	uint32_t ver = ns_rd_u32(&r);
	if (ns_rd_ok(&r) && ver > EXPLAIN_VERSION) {
		rc = ns_error__set(NS_EVERSION, "%s: section %s has version %u, newer than this build (%u)",
				   ns_bundle_path(bd), NS_EXPLAIN_SECTION, ver, EXPLAIN_VERSION);
		goto cleanup;
	}
	m->p.narr_weight = ns_rd_f64(&r);
	m->p.evid_bonus = ns_rd_f64(&r);
	m->p.pos_weight = ns_rd_f64(&r);
	m->p.len_factor = ns_rd_f64(&r);
	m->p.accusation = (int)ns_rd_u32(&r);
	m->p.drop = ns_rd_f64(&r);
	m->p.learned = ns_rd_u32(&r) != 0;
	m->p.label = (int)ns_rd_u32(&r);
	m->has_w = ns_rd_u32(&r) != 0;
	for (size_t k = 0; k < NS_EXPLAIN_NF; k++)
		m->w[k] = ns_rd_f64(&r);
	if ((rc = read_pairs(&r, &m->gkey, &m->gw, &m->ng)) < 0 ||
	    (rc = read_pairs(&r, &m->nkey, &m->nw, &m->nn)) < 0)
		goto bad;
	uint32_t nl = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nl > NS_EXPLAIN_MAX_LANGS)
		goto bad;
	for (uint32_t i = 0; i < nl; i++) {
		ns_explain_lang *l = &m->langs[m->nlangs++];
		uint32_t cl = ns_rd_u32(&r);
		if (!ns_rd_ok(&r) || cl >= sizeof l->code || cl > ns_rd_left(&r))
			goto bad;
		memcpy(l->code, r.p, cl);
		l->code[cl] = '\0';
		r.p += cl;
		l->target = ns_rd_u32(&r);
		uint32_t ol = ns_rd_u32(&r);
		if (!ns_rd_ok(&r) || ol > ns_rd_left(&r) || l->target > NS_EXPLAIN_MAX_WORDS)
			goto bad;
		l->opener = ns_strndup((const char *)r.p, ol);
		if (!l->opener) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		r.p += ol;
	}
	if (!ns_rd_ok(&r) || ns_rd_left(&r) != 0)
		goto bad;
	*out = m;
	return 0;
bad:
	if (rc != NS_ENOMEM)
		rc = ns_error__set(NS_EFORMAT, "%s: section %s is malformed", ns_bundle_path(bd), NS_EXPLAIN_SECTION);
cleanup:
	ns_explain_model_free(m);
	return rc;
}
