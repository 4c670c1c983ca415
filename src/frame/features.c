/* Features of one entity mention for the role classifier: identity, token window,
 * sentence by side, cue categories with side and distance, quote context, the
 * other sentences of the same entity, and document-level cues (see frame.h).
 *
 * DESIGN: every feature is a string hashed with a per-kind tag into a 29-bit hash
 * under its group (svec.h), so feature kinds never collide by construction of the
 * tag and the learner sees one flat sparse space. "Side of the verb" has no parser
 * behind it: a cue word after the mention makes the mention subject-like, a cue
 * before it object-like, and an agent marker (by / от / por / द्वारा) right before
 * the mention marks the doer of a passive clause. */
#include <stdlib.h>
#include <string.h>

#include "claim_feat.h"
#include "frame.h"

/* feature kind tags (hash seeds); distinct values keep kinds apart */
enum {
	T_KEY = 101, T_KEYDOM, T_STEM, T_HEAD, T_HEADDOM, T_ENT, T_ETYPE, T_ETYPEDOM,
	T_L1, T_L2, T_R1, T_R2, T_LW, T_RW, T_LR,
	T_SL, T_SR, T_SP, T_SN,
	T_CUE, T_CUESIDE, T_CUEDIST, T_CUENEG, T_CUEWIN, T_CUEDOM, T_INQ,
	T_LANG, T_DOM, T_SENTPOS, T_SSTART, T_AGENT, T_SPK, T_ACR, T_NTOK, T_CNT, T_FIRST, T_ETLANG,
	T_ECUE, T_EWORD,
	T_CHAR,
	T_DCUE, T_DOMLANG,
	T_LV, T_RV, T_CONJ, T_CLAUSE, T_IDCUE, T_WIDE,
	T_SIDE, T_SIDEDOM, T_SIDESTEM, T_SIDEPAIR, T_SIDEBAL, T_SYN,
};

/* code points of a UTF-8 string */
static size_t cp_len(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static inline uint32_t fid_s(int g, uint64_t tag, const char *s, size_t n)
{
	return NS_FID(g, ns_hash64(s, n, tag));
}
static inline uint32_t fid_is(int g, uint64_t tag, uint64_t v, const char *s, size_t n)
{
	return NS_FID(g, ns_hash64(s, n, ns_hash_mix(tag, v)));
}
static inline uint32_t fid_i(int g, uint64_t tag, uint64_t v)
{
	return NS_FID(g, ns_hash_mix(ns_hash_mix(tag, 0x51ed), v));
}

static int is_word(const ns_token *t) { return t->kind == NS_TOK_WORD; }

/* first code point of a token, for quote handling */
static uint32_t first_cp(const ns_doc *d, const ns_token *t)
{
	uint32_t cp = 0;
	bool bad;
	if (t->bend > t->bstart)
		ns_utf8_decode(d->text + t->bstart, t->bend - t->bstart, &cp, &bad);
	return cp;
}

/* The tokens of sentence s that a mention's sentence features read: at most
 * NS_FRAME_SENT_SPAN on each side of the mention [t0, t1), so a document
 * without sentence breaks (a 1 MB list, a table dump) costs linear time, not one
 * pass over the whole text per mention. The longest sentence of the training
 * corpus has about 230 tokens, so trained features never meet the bound. */
#define NS_FRAME_SENT_SPAN 256
static void sent_span(const ns_doc *d, const ns_sentence *s, size_t t0, size_t t1, size_t *a, size_t *z)
{
	*a = t0 > s->tok_begin + NS_FRAME_SENT_SPAN ? t0 - NS_FRAME_SENT_SPAN : s->tok_begin;
	*z = s->tok_end < d->ntokens ? s->tok_end : d->ntokens;
	if (*z > t1 + NS_FRAME_SENT_SPAN)
		*z = t1 + NS_FRAME_SENT_SPAN;
}

/* Groups the tokens by identical stem (every token kind, empty stems included):
 * how often and where first the mention's head word occurs is then a lookup,
 * not a scan of the document per mention. */
static int stem_classes(ns_frame_docctx *c)
{
	const ns_doc *d = c->doc;
	size_t n = d->ntokens ? d->ntokens : 1, ncell = 16;
	while (ncell < 2 * n)
		ncell <<= 1;
	uint32_t *cell = ns_malloc(ncell * sizeof *cell);
	c->stem_class = ns_malloc(n * sizeof *c->stem_class);
	c->class_count = ns_calloc(n, sizeof *c->class_count);
	c->class_first = ns_malloc(n * sizeof *c->class_first);
	c->class_wide = ns_malloc(2 * n * sizeof *c->class_wide);
	if (!cell || !c->stem_class || !c->class_count || !c->class_first || !c->class_wide) {
		free(cell);
		ns_frame_docctx_free(c);
		return NS_ENOMEM;
	}
	memset(cell, 0xFF, ncell * sizeof *cell); /* class id, UINT32_MAX empty */
	uint32_t ncls = 0;
	for (size_t j = 0; j < d->ntokens; j++) {
		const ns_token *t = &d->tokens[j];
		size_t h = (size_t)ns_hash64(t->stem, t->stem_len, 0x5731) & (ncell - 1);
		uint32_t k;
		while ((k = cell[h]) != UINT32_MAX) {
			const ns_token *r = &d->tokens[c->class_first[k]];
			if (r->stem_len == t->stem_len && memcmp(r->stem, t->stem, t->stem_len) == 0)
				break;
			h = (h + 1) & (ncell - 1);
		}
		if (k == UINT32_MAX) {
			k = cell[h] = ncls++;
			c->class_first[k] = (uint32_t)j;
			c->class_wide[2 * k] = ns_hash64(t->stem, t->stem_len, T_WIDE);
			c->class_wide[2 * k + 1] = ns_hash64(t->stem, t->stem_len, T_WIDE + 1);
		}
		c->stem_class[j] = k;
		c->class_count[k]++;
	}
	free(cell);
	c->nclass = ncls;
	return 0;
}

int ns_frame_docctx_init(ns_frame_docctx *c, const ns_doc *doc, const ns_frame_cues *cues)
{
	memset(c, 0, sizeof *c);
	c->doc = doc;
	c->ents = ns_entity_layer_of(doc);
	c->claims = doc->claims;
	size_t n = doc->ntokens ? doc->ntokens : 1;
	c->cue = ns_calloc(n, sizeof *c->cue);
	c->inquote = ns_calloc(n, 1);
	if (!c->cue || !c->inquote) {
		ns_frame_docctx_free(c);
		return NS_ENOMEM;
	}
	int state = 0;
	uint32_t para = UINT32_MAX;
	for (size_t i = 0; i < doc->ntokens; i++) {
		const ns_token *t = &doc->tokens[i];
		if (t->sentence < doc->nsentences && doc->sentences[t->sentence].paragraph != para) {
			para = doc->sentences[t->sentence].paragraph;
			state = 0;
		}
		if (t->kind == NS_TOK_PUNCT) {
			uint32_t cp = first_cp(doc, t);
			if (cp == 0x201C || cp == 0x00AB || cp == 0x201E) /* “ « „ open */
				state = 1;
			else if (cp == 0x201D || cp == 0x00BB) /* ” » close */
				state = 0;
			else if (cp == '"')
				state = !state;
			continue;
		}
		c->inquote[i] = (uint8_t)state;
		if (t->norm_len) {
			uint32_t m = ns_frame_cues_match(cues, t->norm, t->norm_len);
			c->cue[i] = m;
			for (int k = 0; m && k < NS_CUE_COUNT; k++)
				if (m & (1u << k))
					c->doc_cues[k]++;
		}
	}
	c->domain = c->doc_cues[NS_CUE_CLIMATE] > c->doc_cues[NS_CUE_WAR] ? 1 : 0;
	return stem_classes(c);
}

void ns_frame_docctx_free(ns_frame_docctx *c)
{
	if (!c)
		return;
	free(c->cue);
	free(c->inquote);
	free(c->stem_class);
	free(c->class_count);
	free(c->class_first);
	free(c->class_wide);
	c->cue = NULL;
	c->inquote = NULL;
	c->stem_class = c->class_count = c->class_first = NULL;
	c->class_wide = NULL;
}

/* first token whose end is after cp */
static size_t tok_at(const ns_doc *d, uint32_t cp)
{
	size_t lo = 0, hi = d->ntokens;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->tokens[mid].end <= cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int32_t ns_frame__mention_at(const ns_entity_layer *L, uint32_t start, uint32_t end)
{
	size_t lo = 0, hi = L->nmentions;
	while (lo < hi) { /* first mention ending after start */
		size_t mid = lo + (hi - lo) / 2;
		if (L->mentions[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < L->nmentions && L->mentions[lo].start < end ? (int32_t)lo : -1;
}

int32_t ns_frame__mention_best(const ns_entity_layer *L, uint32_t start, uint32_t end)
{
	int32_t i = ns_frame__mention_at(L, start, end), best = i;
	uint32_t bo = 0;
	for (; i >= 0 && (size_t)i < L->nmentions && L->mentions[i].start < end; i++) {
		const ns_mention *m = &L->mentions[i];
		uint32_t a = m->start > start ? m->start : start, z = m->end < end ? m->end : end;
		if (z > a && z - a >= bo) { /* ties: the later one (the head of "Hungarian Prime Minister Orban") */
			bo = z - a;
			best = i;
		}
	}
	return best;
}

static unsigned dist_bucket(size_t d)
{
	return d <= 2 ? 0 : d <= 5 ? 1 : d <= 10 ? 2 : 3;
}

/* cue features of token j relative to a mention at [t0, t1) */
static void add_cues(ns_fbag *b, const ns_frame_docctx *c, size_t j, size_t t0, size_t t1, int group,
		     uint64_t tag_side, uint64_t tag_dist, uint32_t sent)
{
	uint32_t m = c->cue[j];
	if (!m)
		return;
	int side = j < t0 ? 0 : 1;
	size_t dist = j < t0 ? t0 - j : j - t1 + 1;
	int neg = 0;
	for (size_t k = j >= 3 ? j - 3 : 0; k < j; k++)
		if (c->cue[k] & (1u << NS_CUE_NEG))
			neg = 1;
	for (int k = 0; k < NS_CUE_COUNT; k++) {
		if (!(m & (1u << k)) || k == NS_CUE_NEG)
			continue;
		uint64_t base = (uint64_t)k * 16 + (uint64_t)side;
		ns_fbag_add(b, fid_i(group, tag_side, base), sent, 1);
		if (tag_dist)
			ns_fbag_add(b, fid_i(group, tag_dist, base * 8 + dist_bucket(dist)), sent, 1);
		if (neg && group == NS_FRAME_G_CUE)
			ns_fbag_add(b, fid_i(group, T_CUENEG, base), sent, 1);
		if (group == NS_FRAME_G_CUE) {
			ns_fbag_add(b, fid_i(group, T_CUEDOM, base * 4 + (uint64_t)c->domain), sent, 1);
			if (dist <= 3)
				ns_fbag_add(b, fid_i(group, T_CUEWIN, base), sent, 1);
		}
	}
}

/* a punctuation token that ends a clause: , ; : ( ) and dashes */
static int clause_break(const ns_doc *d, const ns_token *t)
{
	if (t->kind != NS_TOK_PUNCT)
		return 0;
	uint32_t cp = first_cp(d, t);
	return cp == ',' || cp == ';' || cp == ':' || cp == '(' || cp == ')' || cp == 0x2013 || cp == 0x2014;
}

/* The mention's grammatical markers crossed with the cue categories of its
 * sentence and their side: a linear model cannot join "the word before is 'on'"
 * and "an attack word precedes" by itself. Markers: the word before and after
 * (prepositions, Hindi postpositions ने/को/पर, "said"), the last two code points
 * of the mention's last word (Slavic and Portuguese case/number endings), and
 * sentence-initial position (subject-like). */
static void add_conj(ns_fbag *b, const ns_frame_docctx *c, size_t t0, size_t t1, const ns_sentence *s, uint32_t si)
{
	const ns_doc *d = c->doc;
	uint64_t mk[4];
	size_t nm = 0;
	if (t0 > s->tok_begin) {
		const ns_token *t = &d->tokens[t0 - 1];
		mk[nm++] = ns_hash64(t->norm, t->norm_len, T_CONJ);
	} else {
		mk[nm++] = ns_hash_mix(T_CONJ, 7); /* sentence start */
	}
	if (t1 < s->tok_end && t1 < d->ntokens) {
		const ns_token *t = &d->tokens[t1];
		mk[nm++] = ns_hash64(t->norm, t->norm_len, T_CONJ + 1);
	}
	const ns_token *lt = &d->tokens[t1 - 1];
	if (is_word(lt) && lt->norm_len >= 2) {
		size_t e = lt->norm_len, k = e, ncp = 0;
		while (k > 0 && ncp < 2) {
			k--;
			if (((unsigned char)lt->norm[k] & 0xC0) != 0x80)
				ncp++;
		}
		if (k > 0)
			mk[nm++] = ns_hash64(lt->norm + k, e - k, T_CONJ + 2);
	}
	uint32_t seen[2] = {0, 0};
	size_t sa, sz;
	sent_span(d, s, t0, t1, &sa, &sz);
	for (size_t j = sa; j < sz; j++)
		if (j < t0 || j >= t1)
			seen[j >= t1] |= c->cue[j] & ~((1u << NS_CUE_NEG) | (1u << NS_CUE_AGENT));
	for (int side = 0; side < 2; side++)
		for (int k = 0; seen[side] && k < NS_CUE_COUNT; k++)
			if (seen[side] & (1u << k))
				for (size_t q = 0; q < nm; q++)
					ns_fbag_add(b, NS_FID(NS_FRAME_G_CUE, ns_hash_mix(mk[q], (uint64_t)k * 2 + (uint64_t)side)),
						    si, 1);
}

static int entity_side(const ns_entity_layer *L, int32_t ent)
{
	if (ent < 0 || (size_t)ent >= L->nentities || L->entities[ent].gaz_index < 0)
		return NS_SIDE_NONE;
	const char *id = L->entities[ent].id;
	return ns_frame_side(id, strlen(id));
}

/* Side features of a mention of side `side` (see ns_frame_fopts.side). */
static void add_side(ns_fbag *b, const ns_frame_docctx *c, int side, size_t t0, size_t t1, uint32_t si,
		     const ns_frame_fopts *o)
{
	const ns_doc *d = c->doc;
	const ns_entity_layer *L = c->ents;
	if ((o->side & 1) && side) {
		ns_fbag_add(b, fid_i(NS_FRAME_G_ID, T_SIDE, (uint64_t)side), si, 1);
		ns_fbag_add(b, fid_i(NS_FRAME_G_ID, T_SIDEDOM, (uint64_t)side * 4 + (uint64_t)c->domain), si, 1);
	}
	if ((o->side & 2) && side) {
		for (uint32_t k = 0; k < c->nclass; k++) {
			const ns_token *t = &d->tokens[c->class_first[k]];
			if (is_word(t) && t->stem_len >= 4)
				ns_fbag_add(b, fid_is(NS_FRAME_G_DOC, T_SIDESTEM, (uint64_t)side, t->stem, t->stem_len),
					    UINT32_MAX, 1);
		}
	}
	if ((o->side & 4) && L) {
		const ns_sentence *s = &d->sentences[si < d->nsentences ? si : 0];
		for (size_t i = 0; i < L->nmentions; i++) {
			const ns_mention *m = &L->mentions[i];
			if (m->sentence != si || (m->tok_begin >= t0 && m->tok_begin < t1))
				continue;
			int os = entity_side(L, m->entity);
			if (!os || m->tok_begin < s->tok_begin)
				continue;
			uint64_t v = ((uint64_t)side * 8 + (uint64_t)os) * 2 + (m->tok_begin >= t1);
			ns_fbag_add(b, fid_i(NS_FRAME_G_CUE, T_SIDEPAIR, v), si, 1);
		}
	}
	if ((o->side & 8) && L && side) {
		unsigned cnt[NS_SIDE_COUNT] = {0};
		for (size_t i = 0; i < L->nmentions; i++)
			cnt[entity_side(L, L->mentions[i].entity)]++;
		/* the opponent side of the mention's own (1 <-> 2, 3 <-> 4) */
		int opp = side == 1 ? 2 : side == 2 ? 1 : side == 3 ? 4 : 3;
		unsigned own = cnt[side], other = cnt[opp];
		uint64_t bal = own > 2 * other ? 0 : other > 2 * own ? 2 : 1;
		ns_fbag_add(b, fid_i(NS_FRAME_G_DOC, T_SIDEBAL, (uint64_t)side * 4 + bal), UINT32_MAX, 1);
	}
}

/* 1 when token j starts or lies in an entity-layer mention other than [t0, t1) */
static int other_entity_at(const ns_frame_docctx *c, size_t j, size_t t0, size_t t1)
{
	if (!c->ents || (j >= t0 && j < t1))
		return 0;
	const ns_token *t = &c->doc->tokens[j];
	return ns_frame__mention_at(c->ents, t->start, t->end) >= 0;
}

/* Syntax stand-in (syn=1): inside the mention's clause, the nearest cue word
 * after it with no other entity in between makes the mention its subject, the
 * nearest cue before it (likewise) its object, unless an agent marker ("by",
 * "от", "por", "द्वारा") stands right before the mention (passive: subject);
 * one feature per cue category with the role. */
static void add_syn(ns_fbag *b, const ns_frame_docctx *c, size_t t0, size_t t1, const ns_sentence *s, uint32_t si)
{
	const ns_doc *d = c->doc;
	const uint32_t skip = (1u << NS_CUE_NEG) | (1u << NS_CUE_AGENT);
	int passive = t0 > 0 && (c->cue[t0 - 1] & (1u << NS_CUE_AGENT));
	for (size_t j = t1; j < s->tok_end && j < d->ntokens && j < t1 + 8; j++) {
		if (clause_break(d, &d->tokens[j]) || other_entity_at(c, j, t0, t1))
			break;
		uint32_t m = c->cue[j] & ~skip;
		if (!m)
			continue;
		for (int k = 0; k < NS_CUE_COUNT; k++)
			if (m & (1u << k))
				ns_fbag_add(b, fid_i(NS_FRAME_G_CUE, T_SYN, (uint64_t)k * 4 + 0), si, 1);
		break;
	}
	for (size_t j = t0; j > s->tok_begin && j + 8 > t0; j--) {
		if (clause_break(d, &d->tokens[j - 1]) || other_entity_at(c, j - 1, t0, t1))
			break;
		uint32_t m = c->cue[j - 1] & ~skip;
		if (!m)
			continue;
		for (int k = 0; k < NS_CUE_COUNT; k++)
			if (m & (1u << k))
				ns_fbag_add(b, fid_i(NS_FRAME_G_CUE, T_SYN, (uint64_t)k * 4 + (passive ? 2 : 1)), si, 1);
		break;
	}
}

int ns_frame_features(ns_fbag *b, const ns_frame_docctx *c, uint32_t start, uint32_t end,
		      const ns_frame_fopts *o)
{
	const ns_doc *d = c->doc;
	char key[512];
	size_t klen = 0;
	uint32_t dom = (uint32_t)c->domain;
	const char *lang = d->lang;
	size_t llen = strnlen(d->lang, sizeof d->lang);

	size_t n0 = b->n;
	/* document level */
	ns_fbag_add(b, fid_s(NS_FRAME_G_STRUCT, T_LANG, lang, llen), UINT32_MAX, 1);
	ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_DOM, dom), UINT32_MAX, 1);
	ns_fbag_add(b, fid_is(NS_FRAME_G_DOC, T_DOMLANG, dom, lang, llen), UINT32_MAX, 1);
	for (int k = 0; k < NS_CUE_COUNT; k++)
		if (c->doc_cues[k])
			ns_fbag_add(b, fid_i(NS_FRAME_G_DOC, T_DCUE, (uint64_t)k), UINT32_MAX, (float)c->doc_cues[k]);

	if (d->ntokens == 0)
		return b->failed ? NS_ENOMEM : 0;
	size_t t0 = tok_at(d, start), t1 = t0;
	while (t1 < d->ntokens && d->tokens[t1].start < end)
		t1++;
	if (t0 >= d->ntokens) {
		t0 = d->ntokens - 1;
		t1 = d->ntokens;
	} else if (t1 == t0) {
		t1 = t0 + 1;
	}
	uint32_t si = d->tokens[t0].sentence;
	const ns_sentence *s = &d->sentences[si < d->nsentences ? si : 0];

	/* ---- identity ---- */
	size_t head = SIZE_MAX, nw = 0;
	for (size_t i = t0; i < t1; i++) {
		const ns_token *t = &d->tokens[i];
		if (!is_word(t) && t->kind != NS_TOK_NUMBER)
			continue;
		nw++;
		head = i;
		if (klen && klen < sizeof key)
			key[klen++] = ' ';
		if (klen + t->norm_len < sizeof key) {
			memcpy(key + klen, t->norm, t->norm_len);
			klen += t->norm_len;
		}
		ns_fbag_add(b, fid_s(NS_FRAME_G_ID, T_STEM, t->stem, t->stem_len), si, 1);
	}
	if (klen) {
		ns_fbag_add(b, fid_s(NS_FRAME_G_ID, T_KEY, key, klen), si, 1);
		ns_fbag_add(b, fid_is(NS_FRAME_G_ID, T_KEYDOM, dom, key, klen), si, 1);
	}
	const ns_token *ht = head != SIZE_MAX ? &d->tokens[head] : NULL;
	if (ht && o->doc_cross) {
		/* stance: the mention's head word crossed with the document's cue words
		 * (1: cue categories, 2: the cue words themselves) */
		uint64_t hh = ns_hash64(ht->stem, ht->stem_len, T_DCUE);
		for (int k = 0; o->doc_cross == 1 && k < NS_CUE_COUNT; k++)
			if (c->doc_cues[k])
				ns_fbag_add(b, NS_FID(NS_FRAME_G_DOC, ns_hash_mix(hh, (uint64_t)k)), UINT32_MAX, 1);
		for (size_t j = 0; o->doc_cross == 2 && j < d->ntokens; j++)
			if (c->cue[j] && !(c->cue[j] & ((1u << NS_CUE_NEG) | (1u << NS_CUE_AGENT))))
				ns_fbag_add(b, NS_FID(NS_FRAME_G_DOC, ns_hash64(d->tokens[j].stem, d->tokens[j].stem_len, hh)),
					    UINT32_MAX, 1);
	}
	if (ht) {
		ns_fbag_add(b, fid_s(NS_FRAME_G_ID, T_HEAD, ht->stem, ht->stem_len), si, 1);
		ns_fbag_add(b, fid_is(NS_FRAME_G_ID, T_HEADDOM, dom, ht->stem, ht->stem_len), si, 1);
	}
	int32_t ent = -1;
	int etype = -1;
	if (c->ents) {
		int32_t mi = o->ent_pick ? ns_frame__mention_best(c->ents, start, end)
					 : ns_frame__mention_at(c->ents, start, end);
		if (mi >= 0)
			ent = c->ents->mentions[mi].entity;
		if (ent >= 0 && (size_t)ent < c->ents->nentities) {
			const ns_entity *e = &c->ents->entities[ent];
			if (e->gaz_index >= 0)
				ns_fbag_add(b, fid_s(NS_FRAME_G_ID, T_ENT, e->id, strlen(e->id)), si, 1);
			ns_fbag_add(b, fid_i(NS_FRAME_G_ID, T_ETYPE, e->type), si, 1);
			etype = e->type;
			ns_fbag_add(b, fid_i(NS_FRAME_G_ID, T_ETYPEDOM, (uint64_t)e->type * 4 + dom), si, 1);
			ns_fbag_add(b, fid_is(NS_FRAME_G_STRUCT, T_ETLANG, e->type, lang, llen), si, 1);
		} else {
			ent = -1;
		}
	}

	/* ---- character n-grams of the mention ---- */
	if (o->char_ngrams && klen) {
		char pad[520];
		size_t pn = 0;
		pad[pn++] = ' ';
		memcpy(pad + pn, key, klen);
		pn += klen;
		pad[pn++] = ' ';
		/* code-point boundaries */
		size_t cps[520], ncp = 0;
		for (size_t i = 0; i < pn; i++)
			if (((unsigned char)pad[i] & 0xC0) != 0x80)
				cps[ncp++] = i;
		cps[ncp] = pn;
		for (size_t nlen = 3; nlen <= 4; nlen++)
			for (size_t i = 0; i + nlen <= ncp; i++)
				ns_fbag_add(b, fid_s(NS_FRAME_G_CHAR, T_CHAR + nlen, pad + cps[i], cps[i + nlen] - cps[i]),
					    si, 1);
	}

	/* ---- character n-grams of the words next to the mention (cross-script
	 * morphology the stems miss: -ed/-ло/-ou endings, Hindi postpositions) ---- */
	for (int dlt = 1; o->window_chars && dlt <= 3; dlt++) {
		for (int side = 0; side < 2; side++) {
			size_t j;
			if (side == 0 && t0 >= (size_t)dlt)
				j = t0 - (size_t)dlt;
			else if (side == 1 && t1 + (size_t)dlt - 1 < d->ntokens)
				j = t1 + (size_t)dlt - 1;
			else
				continue;
			const ns_token *t = &d->tokens[j];
			if (!is_word(t))
				continue;
			const char *w = t->norm;
			size_t wn = t->norm_len, cps[72], ncp = 0;
			for (size_t i = 0; i < wn && ncp < 70; i++)
				if (((unsigned char)w[i] & 0xC0) != 0x80)
					cps[ncp++] = i;
			cps[ncp] = ncp < 70 ? wn : cps[ncp - 1];
			for (size_t i = 0; i + 4 <= ncp; i++)
				ns_fbag_add(b, fid_is(NS_FRAME_G_CTX, T_CHAR + 10, (uint64_t)side, w + cps[i], cps[i + 4] - cps[i]),
					    si, 1);
		}
	}

	/* ---- token window ---- */
	int win = o->window;
	for (int dlt = 1; dlt <= win; dlt++) {
		if (t0 >= (size_t)dlt) {
			const ns_token *t = &d->tokens[t0 - (size_t)dlt];
			if (dlt == 1)
				ns_fbag_add(b, fid_s(NS_FRAME_G_CTX, T_L1, t->norm, t->norm_len), si, 1);
			else if (dlt == 2)
				ns_fbag_add(b, fid_s(NS_FRAME_G_CTX, T_L2, t->norm, t->norm_len), si, 1);
			if (is_word(t))
				ns_fbag_add(b, fid_s(NS_FRAME_G_CTX, T_LW, t->stem, t->stem_len), si, 1);
		}
		if (t1 + (size_t)dlt - 1 < d->ntokens) {
			const ns_token *t = &d->tokens[t1 + (size_t)dlt - 1];
			if (dlt == 1)
				ns_fbag_add(b, fid_s(NS_FRAME_G_CTX, T_R1, t->norm, t->norm_len), si, 1);
			else if (dlt == 2)
				ns_fbag_add(b, fid_s(NS_FRAME_G_CTX, T_R2, t->norm, t->norm_len), si, 1);
			if (is_word(t))
				ns_fbag_add(b, fid_s(NS_FRAME_G_CTX, T_RW, t->stem, t->stem_len), si, 1);
		}
	}

	if (o->verbs) {
		/* the nearest `verbs` content words (>= 4 code points) on each side
		 * within 6 tokens in the sentence, tagged by side and rank: a stand-in
		 * for the verb governing the mention ("X attacked", "blamed X"), in the
		 * cue group */
		size_t nf = 0;
		for (size_t j = t1, k = 0; j < d->ntokens && k < 6 && d->tokens[j].sentence == si; j++, k++) {
			const ns_token *t = &d->tokens[j];
			if (is_word(t) && cp_len(t->norm, t->norm_len) >= 4) {
				ns_fbag_add(b, fid_s(NS_FRAME_G_CUE, T_RV + 200 * nf, t->stem, t->stem_len), si, 1);
				if (++nf >= (size_t)o->verbs)
					break;
			}
		}
		nf = 0;
		for (size_t j = t0, k = 0; j > 0 && k < 6 && d->tokens[j - 1].sentence == si; j--, k++) {
			const ns_token *t = &d->tokens[j - 1];
			if (is_word(t) && cp_len(t->norm, t->norm_len) >= 4) {
				ns_fbag_add(b, fid_s(NS_FRAME_G_CUE, T_LV + 200 * nf, t->stem, t->stem_len), si, 1);
				if (++nf >= (size_t)o->verbs)
					break;
			}
		}
	}

	if (o->bigrams) {
		/* the two tokens before and after the mention as one feature each
		 * ("attacked by _", "_ said that") */
		if (t0 >= 2) {
			const ns_token *a = &d->tokens[t0 - 2], *bb = &d->tokens[t0 - 1];
			ns_fbag_add(b, NS_FID(NS_FRAME_G_CTX, ns_hash64(bb->norm, bb->norm_len,
								 ns_hash64(a->norm, a->norm_len, T_LR))), si, 1);
		}
		if (t1 + 1 < d->ntokens) {
			const ns_token *a = &d->tokens[t1], *bb = &d->tokens[t1 + 1];
			ns_fbag_add(b, NS_FID(NS_FRAME_G_CTX, ns_hash64(bb->norm, bb->norm_len,
								 ns_hash64(a->norm, a->norm_len, T_LR + 1000))), si, 1);
		}
	}

	/* ---- sentence by side, cues ---- */
	int spk_cue = 0, speech_near = 0;
	size_t sa, sz;
	sent_span(d, s, t0, t1, &sa, &sz);
	for (size_t j = sa; j < sz; j++) {
		if (j >= t0 && j < t1)
			continue;
		const ns_token *t = &d->tokens[j];
		if (is_word(t))
			ns_fbag_add(b, fid_s(NS_FRAME_G_SENT, j < t0 ? T_SL : T_SR, t->stem, t->stem_len), si, 1);
		add_cues(b, c, j, t0, t1, NS_FRAME_G_CUE, T_CUESIDE, T_CUEDIST, si);
		if (o->type_cues && etype >= 0 && c->cue[j])
			for (int k = 0; k < NS_CUE_COUNT; k++)
				if (c->cue[j] & (1u << k))
					ns_fbag_add(b, fid_i(NS_FRAME_G_CUE, T_ETYPE + 500,
							     ((uint64_t)etype * 64 + (uint64_t)k) * 2 + (j > t0)), si, 1);
		if (c->cue[j] & (1u << NS_CUE_SPEECH)) {
			spk_cue = 1;
			size_t dist = j < t0 ? t0 - j : j - t1 + 1;
			if (dist <= 6)
				speech_near = 1;
		}
	}
	if (o->neighbours) {
		for (int dir = -1; dir <= 1; dir += 2) {
			if ((dir < 0 && si == 0) || (dir > 0 && si + 1 >= d->nsentences))
				continue;
			const ns_sentence *ns = &d->sentences[si + (uint32_t)dir];
			for (size_t j = ns->tok_begin; j < ns->tok_end && j < d->ntokens; j++)
				if (is_word(&d->tokens[j]))
					ns_fbag_add(b, fid_s(NS_FRAME_G_SENT, dir < 0 ? T_SP : T_SN, d->tokens[j].stem,
							     d->tokens[j].stem_len),
						    si + (uint32_t)dir, 1);
		}
	}

	if (o->conj)
		add_conj(b, c, t0, t1, s, si);
	if (o->clause) {
		size_t a = t0, z = t1;
		while (a > sa && !clause_break(d, &d->tokens[a - 1]))
			a--;
		while (z < sz && !clause_break(d, &d->tokens[z]))
			z++;
		for (size_t j = a; j < z; j++)
			if ((j < t0 || j >= t1) && is_word(&d->tokens[j]))
				ns_fbag_add(b, fid_is(NS_FRAME_G_CTX, T_CLAUSE, j >= t1, d->tokens[j].stem, d->tokens[j].stem_len),
					    si, 1);
	}
	if (o->wide > 0) {
		/* the same ids as fid_s(NS_FRAME_G_SENT, T_WIDE (+1), stem), hashed once
		 * per distinct stem of the document (stem_classes) */
		int nw0 = 0, nw1 = 0;
		for (size_t j = t0; j > 0 && nw0 < o->wide; j--)
			if (is_word(&d->tokens[j - 1])) {
				nw0++;
				ns_fbag_add(b, NS_FID(NS_FRAME_G_SENT, c->class_wide[2 * (size_t)c->stem_class[j - 1]]),
					    d->tokens[j - 1].sentence, 1);
			}
		for (size_t j = t1; j < d->ntokens && nw1 < o->wide; j++)
			if (is_word(&d->tokens[j])) {
				nw1++;
				ns_fbag_add(b, NS_FID(NS_FRAME_G_SENT, c->class_wide[2 * (size_t)c->stem_class[j] + 1]),
					    d->tokens[j].sentence, 1);
			}
	}
	if (o->idcue && ht) {
		uint64_t hh = ns_hash64(ht->stem, ht->stem_len, T_IDCUE);
		size_t a = t0 > s->tok_begin + 6 ? t0 - 6 : s->tok_begin;
		for (size_t j = a; j < s->tok_end && j < d->ntokens && j < t1 + 6; j++) {
			uint32_t m = c->cue[j] & ~((1u << NS_CUE_NEG) | (1u << NS_CUE_AGENT));
			if (j >= t0 && j < t1)
				continue;
			for (int k = 0; m && k < NS_CUE_COUNT; k++)
				if (m & (1u << k))
					ns_fbag_add(b, NS_FID(NS_FRAME_G_CUE, ns_hash_mix(hh, (uint64_t)k * 2 + (j >= t1))), si, 1);
		}
	}

	if (o->syn)
		add_syn(b, c, t0, t1, s, si);
	if (o->side && c->ents)
		add_side(b, c, entity_side(c->ents, ent), t0, t1, si, o);
	if (o->claims && c->claims && ent >= 0)
		ns_frame__claim_features(b, c->claims, c->ents->entities[ent].id, start, end, si);

	/* ---- structure ---- */
	int inq = c->inquote[t0];
	if (inq)
		ns_fbag_add(b, fid_i(NS_FRAME_G_CUE, T_INQ, 1), si, 1);
	if (speech_near && !inq)
		ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_SPK, 1), si, 1);
	else if (spk_cue)
		ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_SPK, 2 + (uint64_t)inq), si, 1);
	ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_SENTPOS, si == 0 ? 0 : si <= 2 ? 1 : si <= 5 ? 2 : si <= 12 ? 3 : 4),
		    si, 1);
	{
		size_t k = s->tok_begin;
		while (k < t0 && d->tokens[k].kind == NS_TOK_PUNCT)
			k++;
		if (k == t0)
			ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_SSTART, 1), si, 1);
	}
	if (t0 > 0 && (c->cue[t0 - 1] & (1u << NS_CUE_AGENT)))
		ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_AGENT, 1), si, 1);
	if (nw == 1 && (d->tokens[head].flags & NS_TOKF_ALL_UPPER))
		ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_ACR, 1), si, 1);
	ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_NTOK, nw > 3 ? 3 : nw), si, 1);

	/* ---- whole-entity context (ent 2): the stems and cues of every other
	 * sentence where the entity layer links a mention to the same entity ---- */
	if (o->ent_ctx == 2 && ent >= 0) {
		const ns_entity *e = &c->ents->entities[ent];
		uint32_t last = UINT32_MAX;
		for (uint32_t q = 0, used = 0; q < e->nmentions && used < 16; q++) {
			const ns_mention *m = &c->ents->mentions[e->mentions[q]];
			if (m->sentence == si || m->sentence == last || m->sentence >= d->nsentences)
				continue;
			last = m->sentence;
			used++;
			const ns_sentence *es = &d->sentences[m->sentence];
			for (size_t k = es->tok_begin; k < es->tok_end && k < d->ntokens; k++) {
				if (k >= m->tok_begin && k < m->tok_end)
					continue;
				add_cues(b, c, k, m->tok_begin, m->tok_end, NS_FRAME_G_ENT, T_ECUE, 0, m->sentence);
				if (is_word(&d->tokens[k]))
					ns_fbag_add(b, fid_s(NS_FRAME_G_ENT, T_EWORD + 100, d->tokens[k].stem, d->tokens[k].stem_len),
						    m->sentence, 1);
			}
		}
	}
	/* ---- the same entity elsewhere in the document ---- */
	if (ht) {
		size_t count = c->class_count[c->stem_class[head]], used = 0;
		int first = c->class_first[c->stem_class[head]] >= t0;
		uint32_t last_sent = UINT32_MAX;
		for (size_t j = 0; o->ent_ctx == 1 && j < d->ntokens; j++) {
			const ns_token *t = &d->tokens[j];
			if (c->stem_class[j] != c->stem_class[head])
				continue;
			if (t->sentence == si || t->sentence == last_sent || used >= 16)
				continue;
			last_sent = t->sentence;
			used++;
			const ns_sentence *es = &d->sentences[t->sentence];
			for (size_t k = es->tok_begin; k < es->tok_end && k < d->ntokens; k++) {
				if (k == j)
					continue;
				add_cues(b, c, k, j, j + 1, NS_FRAME_G_ENT, T_ECUE, 0, t->sentence);
				size_t dist = k < j ? j - k : k - j;
				if (dist <= 4 && is_word(&d->tokens[k]))
					ns_fbag_add(b, fid_is(NS_FRAME_G_ENT, T_EWORD, k < j, d->tokens[k].stem,
							      d->tokens[k].stem_len),
						    t->sentence, 1);
			}
		}
		ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_CNT, count <= 1 ? 0 : count <= 3 ? 1 : count <= 8 ? 2 : 3), si, 1);
		if (first)
			ns_fbag_add(b, fid_i(NS_FRAME_G_STRUCT, T_FIRST, 1), si, 1);
	}
	if ((o->lang_cross || o->dom_cross) && !b->failed) {
		/* copies of the features keyed by the language (and by the domain): the
		 * pooled weight carries what the languages share, the copy what is
		 * particular to one; the copy's hit weight sets the balance (with log tf
		 * a single hit's value is 1 + ln(w)) */
		uint64_t lh = ns_hash64(lang, llen, 0x1a2c), dh = ns_hash_mix(0xd0a1, (uint64_t)c->domain);
		float lw = (float)o->lang_cross_w, dw = (float)o->dom_cross_w;
		size_t n1 = b->n;
		for (size_t i = n0; i < n1; i++) {
			unsigned g = NS_FID_GROUP(b->h[i].id);
			if (o->lang_cross & (1 << g))
				ns_fbag_add(b, NS_FID(g, ns_hash_mix(lh, b->h[i].id)), b->h[i].sent, b->h[i].w * lw);
			if (o->dom_cross & (1 << g))
				ns_fbag_add(b, NS_FID(g, ns_hash_mix(dh, b->h[i].id)), b->h[i].sent, b->h[i].w * dw);
		}
	}
	return b->failed ? ns_error__set(NS_ENOMEM, "frame features: out of memory") : 0;
}
