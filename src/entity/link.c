/* Linking within one document: detected mentions become entities.
 *
 * DESIGN: gazetteer mentions link to their entry; when an alias is shared by
 * several entries (a surname, an office title) the entry that the article names
 * unambiguously elsewhere wins, and a title naming nobody in the article is kept
 * only when exactly one entry holds it. Name shapes unknown to the gazetteer are
 * grouped by their folded form; a one-word shape joins the multi-word name or
 * person entity whose first or last word it is ("Hersh" -> "Seymour Hersh"), an
 * all-capital shape joins the name whose initials it spells ("WEF" -> "World
 * Economic Forum"), and the remaining groups get local ids "L:<n>" numbered in
 * order of first appearance, so the same text always gives the same ids.
 * Last, a title in apposition with a person's name is that person, whoever the
 * gazetteer says holds the office ("former Secretary of State Hillary
 * Clinton", "Dmitry Volkov, the Kremlin spokesman,"), unless the title is the
 * complement of another noun ("an aide to the Russian president Yuri
 * Ushakov") or an item of a list; an unknown spelling of the holder's name
 * then joins the holder ("Ukrainian Foreign Minister Dmitry Kuleba"). On the
 * 2,240 training and unlabeled articles this re-links 59 title mentions. Read
 * one by one: 51 now name the person the article means (former and foreign
 * office holders, mostly); 3 go to the holder under a spelling left local
 * ("Antony J." Blinken); 3 go to a deputy ("Deputy Secretary of State Kurt
 * Campbell"); 2 are wrong (a headline "Foreign Minister India Visit:", a
 * complement after a bracket). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* 1: an organisation word, 2: a place word (ns_entity__words_new), else 0. */
static int32_t name_word_kind(const char *k, size_t n, const ns_strmap *orgs)
{
	int32_t v = 0;
	return ns_strmap_get(orgs, k, n, &v) ? v : 0;
}

typedef struct lk {
	int32_t gz;   /* gazetteer entry, -1 */
	int32_t loc;  /* local group, -1 */
	uint32_t ub, ue; /* unit range */
	bool drop;
} lk;

/* 1 when the unit before unit u (same sentence, adjacent token) is an English or
 * Portuguese article or article contraction: news writing puts none before a
 * person's name, so "do Meio Ambiente" or "the Green Future" is no person. */
static bool after_article(const ns_doc *doc, const ns_ent_work *w, uint32_t u)
{
	static const char *const arts[] = {"the", "o", "a", "os", "as", "do", "da", "dos", "das", "no", "na",
					   "nos", "nas", "pelo", "pela", "pelos", "pelas", "ao", "aos", "\xc3\xa0"};
	if (u == 0)
		return false;
	const ns_ent_unit *p = &w->units[u - 1], *x = &w->units[u];
	if (!p->word || p->upper_initial || p->tok + 1 != x->tok ||
	    doc->tokens[p->tok].sentence != doc->tokens[x->tok].sentence)
		return false;
	for (size_t k = 0; k < sizeof arts / sizeof arts[0]; k++)
		if (strlen(arts[k]) == p->keylen && memcmp(arts[k], p->key, p->keylen) == 0)
			return true;
	return false;
}

/* Is unit x, alone, a (non-title) gazetteer name of entry e, or with e < 0 of
 * any country or location ("Ukraine"; not a given name that folds like a city)? */
static bool lone_alias(const ns_gazetteer *g, const ns_ent_unit *x, int32_t e)
{
	int32_t node = ns_lex_trie_child(g->trie, NS_LEX_TRIE_ROOT, x->key, x->keylen), a;
	if (node < 0)
		return false;
	for (int32_t it = ns_lex_trie_iter(g->trie, node); ns_lex_trie_next(g->trie, &it, &a);) {
		const ns_gaz_alias *al = &g->aliases[a];
		uint8_t t = g->entries[al->entry].type;
		if (al->flags & NS_GAZF_TITLE)
			continue;
		if (e >= 0 ? al->entry == e
			   : (t == NS_ENT_COUNTRY || t == NS_ENT_LOCATION) && !ns_entity__shorter_place(g, al, x))
			return true;
	}
	return false;
}

/* The type of a name shape not in the gazetteer, from its units [ub, ue): an
 * organisation or place head word, a lone acronym, or two or more name words
 * for a person (no common word, no known country or place: "Ukraine War" is
 * no person; not after an article). The place test retypes 221 of the
 * training articles' detected mentions from person to other; read one by one,
 * 18 of them were people ("Sofia Chernomorova", and names with a place glued
 * on, "Florida Gov. Ron DeSantis"). */
static enum ns_entity_type shape_type(const ns_doc *doc, const ns_gazetteer *g, const ns_ent_work *w,
				      uint32_t ub, uint32_t ue)
{
	uint32_t nwords = 0, orgw = 0, placew = 0, caps = 0, common = 0, gplace = 0;
	const ns_strmap *orgs = w->orgs;
	for (uint32_t u = ub; u < ue; u++) {
		const ns_ent_unit *x = &w->units[u];
		if (!x->word)
			continue;
		nwords++;
		if (x->all_upper)
			caps++;
		int32_t kind = name_word_kind(x->key, x->keylen, orgs);
		if (kind == 1)
			orgw++;
		else if (kind == 2)
			placew++;
		else if (x->upper_initial && !common && ns_entity__common_word(w, x))
			common++;
		if (g && lone_alias(g, x, -1))
			gplace++;
	}
	if (orgw)
		return NS_ENT_ORGANISATION;
	if (placew && nwords >= 2)
		return NS_ENT_LOCATION;
	if (nwords == 1 && caps == 1)
		return NS_ENT_ORGANISATION;
	/* "Ukraine War", "India Visit": a known country or place is no first or last name */
	if (nwords >= 2 && !common && !gplace && !after_article(doc, w, ub))
		return NS_ENT_PERSON;
	return NS_ENT_OTHER;
}

/* Is mention j (linked) a person: a gazetteer person or a person-shaped name? */
static bool is_person(const ns_doc *doc, const ns_gazetteer *g, const ns_ent_work *w, const ns_entity_layer *L,
		      const lk *m, size_t j)
{
	if (m[j].drop || L->mentions[j].kind == NS_MENTION_TITLE)
		return false;
	/* a lone unknown word is a first name at best, joined by guess (pass 1 of C) */
	if (w->cands[j].trie_node < 0 && m[j].ue - m[j].ub < 2)
		return false;
	if (m[j].gz >= 0)
		return g->entries[m[j].gz].type == NS_ENT_PERSON;
	return m[j].loc >= 0 && shape_type(doc, g, w, m[j].ub, m[j].ue) == NS_ENT_PERSON;
}

/* Bytes [b, e) of the text are only spaces/tabs (at most 3, at least 1). */
static bool space_gap(const char *t, uint32_t b, uint32_t e)
{
	if (e <= b || e - b > 3)
		return false;
	for (uint32_t i = b; i < e; i++)
		if (t[i] != ' ' && t[i] != '\t')
			return false;
	return true;
}

/* After a title in apposition after a name: the apposition closes (",", ".",
 * ")", ";" or the end of the text after spaces), as in "Dmitry Volkov, the
 * Kremlin spokesman, said"; "Biden, the Hungarian premier said" is a list. */
static bool closing_gap(const char *t, uint32_t b, size_t len)
{
	while (b < len && t[b] == ' ')
		b++;
	return b >= len || t[b] == ',' || t[b] == '.' || t[b] == ')' || t[b] == ';';
}

/* Is the title starting at unit ub the complement of a noun before it ("the
 * Kremlin spokesman" in "an aide to the Kremlin spokesman", "президента" in
 * "пресс-секретарь президента", "do Presidente")? Then a name after it is
 * that noun's, not the title's. Prepositions and relational nouns, by their
 * folded prefix, in the five languages and Ukrainian (Hindi marks the
 * possessor instead: "इटली की प्रधानमंत्री" is Italy's prime minister). */
static bool title_is_complement(const ns_ent_work *w, uint32_t ub)
{
	static const char *const prep[] = {"на", "of", "to", "for", "de", "do", "da", "dos", "das", "у", "от", "при"};
	static const char *const head[] = {
		"adviser", "advisor", "aide", "assistant", "spokes", "envoy", "representative", "chief",
		"head", "director", "office", "administration", "staff", "cabinet", "wife", "husband", "son",
		"daughter", "пресс-секретар", "прессекретар", "секретар", "помощник", "помічник", "советник",
		"съветник", "радник", "речник", "представител", "представник", "заместител", "заместник",
		"глав", "руководител", "ръководител", "керівник", "директор", "администрац", "адміністрац",
		"офис", "офіс", "аппарат", "апарат", "канцеляр", "кабинет", "говорител", "началник",
		"начальник", "посланник", "пратеник", "супруг", "съпруг", "жен", "дружин", "сын", "син",
		"доч", "дъщер", "porta-voz", "assessor", "conselheir", "chefe", "gabinete", "representante",
		"secretári", "enviad", "esposa", "mulher", "marido", "filh"};
	if (ub == 0 || !w->units[ub - 1].word)
		return false;
	const ns_ent_unit *u = &w->units[ub - 1];
	if (u->keylen == 3 && memcmp(u->key, "the", 3) == 0) {
		if (ub < 2 || !w->units[ub - 2].word)
			return false;
		u = &w->units[ub - 2];
	}
	for (size_t i = 0; i < sizeof prep / sizeof prep[0]; i++)
		if (u->keylen == strlen(prep[i]) && memcmp(u->key, prep[i], u->keylen) == 0)
			return true;
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
		size_t n = strlen(head[i]);
		if (u->keylen >= n && memcmp(u->key, head[i], n) == 0)
			return true;
	}
	return false;
}

/* Bytes [b, e) are an apposition comma: spaces, ',', spaces, and optionally
 * one article ("the", "a", "an"; Portuguese "o", "a") and a space. */
static bool comma_gap(const char *t, uint32_t b, uint32_t e)
{
	while (b < e && t[b] == ' ')
		b++;
	if (b >= e || t[b] != ',')
		return false;
	b++;
	while (b < e && t[b] == ' ')
		b++;
	if (b == e)
		return true;
	static const char *const art[] = {"the ", "The ", "a ", "an ", "o "};
	for (size_t i = 0; i < sizeof art / sizeof art[0]; i++) {
		size_t n = strlen(art[i]);
		if (e - b == n && memcmp(t + b, art[i], n) == 0)
			return true;
	}
	return false;
}

static int32_t pick_named(const ns_gazetteer *g, int32_t node, const ns_ent_unit *first, bool titles,
			  const uint32_t *named, int32_t *nc)
{
	int32_t it = ns_lex_trie_iter(g->trie, node), a, best = -1, firstc = -1, ncand = 0;
	int32_t seen[8];
	while (ns_lex_trie_next(g->trie, &it, &a)) {
		const ns_gaz_alias *al = &g->aliases[a];
		if (((al->flags & NS_GAZF_TITLE) != 0) != titles)
			continue;
		if ((al->flags & NS_GAZF_NEED_ALLCAPS) && !first->all_upper)
			continue;
		if ((al->flags & NS_GAZF_NEED_CAP) && !first->upper_initial)
			continue;
		bool dup = false;
		for (int32_t i = 0; i < ncand && i < 8; i++)
			if (seen[i] == al->entry)
				dup = true;
		if (dup)
			continue;
		if (ncand < 8)
			seen[ncand] = al->entry;
		ncand++;
		if (firstc < 0)
			firstc = al->entry;
		if (best < 0 && named && named[al->entry])
			best = al->entry;
	}
	*nc = ncand;
	return best >= 0 ? best : firstc;
}

/* The multi-word entities a one-word shape can join (step C): gazetteer
 * persons and multi-word name shapes, indexed (ns_hidx) by first word, last word
 * and initials, so each one-word shape looks up its candidates instead of
 * scanning every mention (a long article has tens of thousands). */
enum { J_FIRST, J_LAST, J_INITIALS };

static uint64_t join_hash(int kind, const char *s, size_t n)
{
	return ns_hash64(s, n, 0x6a6f696e00ULL + (uint64_t)kind);
}

static bool join_target(const ns_gazetteer *g, const ns_ent_work *w, const lk *m, size_t q)
{
	const ns_ent_cand *d = &w->cands[q];
	if (m[q].drop || d->unit_end - d->unit_begin < 2)
		return false;
	if (d->trie_node >= 0)
		return m[q].gz >= 0 && g->entries[m[q].gz].type == NS_ENT_PERSON;
	return m[q].loc >= 0;
}

/* The first letters (bytes of the first code point) of the capitalised words
 * of mention d, at most 64 bytes: "World Economic Forum" -> "WEF". */
static size_t initials(const ns_doc *doc, const ns_ent_work *w, const ns_ent_cand *d, char ini[64])
{
	size_t ni = 0;
	for (uint32_t x = d->unit_begin; x < d->unit_end && ni < 64; x++) {
		const ns_ent_unit *ux = &w->units[x];
		if (!ux->word || !ux->upper_initial)
			continue;
		uint32_t cp;
		bool bad;
		size_t bl = ns_utf8_decode(doc->text + ux->bstart, ux->bend - ux->bstart, &cp, &bad);
		if (ni + bl <= 64) {
			memcpy(ini + ni, doc->text + ux->bstart, bl);
			ni += bl;
		}
	}
	return ni;
}

/* Values are mention * 4 + kind. */
static int join_build(ns_hidx *ji, const ns_doc *doc, const ns_gazetteer *g, const ns_ent_work *w, const lk *m,
		      size_t n)
{
	for (size_t q = 0; q < n; q++) {
		if (!join_target(g, w, m, q))
			continue;
		const ns_ent_cand *d = &w->cands[q];
		const ns_ent_unit *f = &w->units[d->unit_begin], *l = &w->units[d->unit_end - 1];
		char ini[64];
		size_t ni = initials(doc, w, d, ini);
		uint32_t v = (uint32_t)q * 4;
		if (ns_hidx_add(ji, join_hash(J_FIRST, f->key, f->keylen), v + J_FIRST) < 0 ||
		    ns_hidx_add(ji, join_hash(J_LAST, l->key, l->keylen), v + J_LAST) < 0 ||
		    ns_hidx_add(ji, join_hash(J_INITIALS, ini, ni), v + J_INITIALS) < 0)
			return NS_ENOMEM;
	}
	ns_hidx_sort(ji);
	return 0;
}

/* 1: index value v really holds one-word shape u0 (not a hash collision) */
static bool join_hit(uint32_t v, const ns_doc *doc, const ns_ent_work *w, const ns_ent_unit *u0)
{
	const ns_ent_cand *d = &w->cands[v / 4];
	if (v % 4 == J_INITIALS) {
		char ini[64];
		size_t ni = initials(doc, w, d, ini);
		return u0->all_upper && u0->nletters >= 2 && ni == u0->bend - u0->bstart &&
		       memcmp(ini, doc->text + u0->bstart, ni) == 0;
	}
	const ns_ent_unit *x = &w->units[v % 4 == J_FIRST ? d->unit_begin : d->unit_end - 1];
	return x->keylen == u0->keylen && memcmp(x->key, u0->key, u0->keylen) == 0;
}

/* The mention that one-word shape k (unit u0) joins: the nearest target before
 * it, else the first after it; -1 when none. */
static int32_t join_find(const ns_hidx *ji, const ns_doc *doc, const ns_ent_work *w, const ns_ent_unit *u0, size_t k)
{
	int64_t before = -1, after = -1;
	for (int kind = J_FIRST; kind <= J_INITIALS; kind++) {
		uint64_t h;
		if (kind == J_INITIALS) {
			if (!u0->all_upper || u0->nletters < 2)
				continue;
			h = join_hash(kind, doc->text + u0->bstart, u0->bend - u0->bstart);
		} else {
			h = join_hash(kind, u0->key, u0->keylen);
		}
		size_t end, lo = ns_hidx_find(ji, h, &end);
		size_t a = ns_hidx_upper(ji, lo, end, (uint32_t)k * 4 + 3); /* first of a mention after k */
		for (size_t i = a; i-- > lo;)
			if (join_hit(ji->e[i].v, doc, w, u0)) {
				if ((int64_t)(ji->e[i].v / 4) > before)
					before = ji->e[i].v / 4;
				break;
			}
		for (size_t i = a; before < 0 && i < end; i++)
			if (join_hit(ji->e[i].v, doc, w, u0)) {
				if (after < 0 || (int64_t)(ji->e[i].v / 4) < after)
					after = ji->e[i].v / 4;
				break;
			}
	}
	return (int32_t)(before >= 0 ? before : after);
}

int ns_entity__link(ns_doc *doc, const ns_gazetteer *g, ns_entity_layer *L, const ns_ent_work *w)
{
	int rc = 0;
	size_t n = L->nmentions;
	lk *m = ns_calloc(n ? n : 1, sizeof(*m));
	uint32_t *named = g ? ns_calloc(g->nentries + 1, sizeof(*named)) : NULL;
	ns_strmap *groups = NULL, *ents = NULL;
	ns_hidx ji = {0};
	ns_buf key = NS_BUF_INIT;
	int32_t *ent_of = ns_calloc(n ? n : 1, sizeof(*ent_of));
	int32_t nloc = 0;
	if (!m || (g && !named) || !ent_of || ns_strmap_new(&groups) < 0 || ns_strmap_new(&ents) < 0) {
		rc = NS_ENOMEM;
		goto cleanup;
	}

	/* A. unambiguous gazetteer names */
	for (size_t k = 0; k < n; k++) {
		m[k].gz = m[k].loc = -1;
		const ns_ent_cand *c = &w->cands[k];
		m[k].ub = c->unit_begin;
		m[k].ue = c->unit_end;
		if (c->trie_node < 0 || L->mentions[k].kind == NS_MENTION_TITLE)
			continue;
		int32_t nc = 0;
		int32_t e = pick_named(g, c->trie_node, &w->units[c->unit_begin], false, NULL, &nc);
		if (nc == 1 && e >= 0)
			named[e]++;
	}
	/* B. resolve gazetteer mentions */
	for (size_t k = 0; k < n; k++) {
		const ns_ent_cand *c = &w->cands[k];
		if (c->trie_node < 0)
			continue;
		bool title = L->mentions[k].kind == NS_MENTION_TITLE;
		int32_t nc = 0;
		int32_t e = pick_named(g, c->trie_node, &w->units[c->unit_begin], title, named, &nc);
		if (title && !(e >= 0 && named[e]) && nc != 1)
			e = -1; /* a shared title naming nobody in this article */
		if (e < 0)
			m[k].drop = true;
		m[k].gz = e;
		if (title && e >= 0 && !named[e])
			L->mentions[k].score = 0.55f;
	}
	/* C. name shapes: multi-word first, then single words join them */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && (rc = join_build(&ji, doc, g, w, m, n)) < 0)
			goto cleanup; /* the targets are final after pass 0 */
		for (size_t k = 0; k < n; k++) {
			const ns_ent_cand *c = &w->cands[k];
			if (c->trie_node >= 0)
				continue;
			uint32_t len = c->unit_end - c->unit_begin;
			if ((pass == 0) != (len >= 2))
				continue;
			const ns_ent_unit *u0 = &w->units[c->unit_begin];
			if (len == 1) {
				/* join the nearest (preceding first) entity with this first/last word */
				int32_t best = join_find(&ji, doc, w, u0, k);
				bool best_gz = best >= 0 && w->cands[best].trie_node >= 0;
				if (best >= 0) {
					if (best_gz)
						m[k].gz = m[best].gz;
					else
						m[k].loc = m[best].loc;
					continue;
				}
			}
			/* group by folded form */
			ns_buf_clear(&key);
			for (uint32_t x = c->unit_begin; x < c->unit_end; x++) {
				ns_buf_put(&key, w->units[x].key, w->units[x].keylen);
				ns_buf_putc(&key, ' ');
			}
			if (ns_buf_failed(&key)) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			bool ins = false;
			int32_t *slot = ns_strmap_put(groups, key.ptr, key.size, nloc, &ins);
			if (!slot) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			if (ins)
				nloc++;
			m[k].loc = *slot;
		}
	}

	/* C2. a title in apposition with a person's name is that person, whoever
	 * the gazetteer says holds it ("Kremlin spokesman Dmitry Volkov",
	 * "Dmitry Volkov, the Kremlin spokesman"; offices change hands) */
	for (size_t k = 0; k < n; k++) {
		if (L->mentions[k].kind != NS_MENTION_TITLE)
			continue;
		const ns_mention *t = &L->mentions[k];
		size_t j = (size_t)-1;
		if (k + 1 < n && space_gap(doc->text, t->bend, L->mentions[k + 1].bstart) &&
		    !title_is_complement(w, m[k].ub) && is_person(doc, g, w, L, m, k + 1))
			j = k + 1;
		else if (k > 0 && comma_gap(doc->text, L->mentions[k - 1].bend, t->bstart) &&
			 closing_gap(doc->text, t->bend, doc->len) && is_person(doc, g, w, L, m, k - 1))
			j = k - 1;
		if (j == (size_t)-1)
			continue;
		if (m[j].gz < 0 && m[k].gz >= 0 && lone_alias(g, &w->units[m[j].ue - 1], m[k].gz)) {
			/* an unknown spelling of the holder ("Ukrainian Foreign Minister
			 * Dmitry Kuleba"): the name's group joins the holder */
			int32_t grp = m[j].loc;
			for (size_t q = 0; q < n; q++)
				if (m[q].gz < 0 && m[q].loc == grp) {
					m[q].gz = m[k].gz;
					m[q].loc = -1;
				}
		}
		m[k].gz = m[j].gz;
		m[k].loc = m[j].loc;
		m[k].drop = false;
		L->mentions[k].score = L->mentions[j].score;
	}

	/* D. entities in order of first mention; compact dropped mentions */
	size_t nm = 0, ne = 0;
	for (size_t k = 0; k < n; k++) {
		if (m[k].drop || (m[k].gz < 0 && m[k].loc < 0))
			continue;
		L->mentions[nm] = L->mentions[k];
		m[nm] = m[k];
		nm++;
	}
	n = nm;
	L->nmentions = nm;
	L->entities = ns_arena_array(&doc->arena, n ? n : 1, sizeof(*L->entities));
	if (!L->entities) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	int32_t nlocal_ids = 0;
	for (size_t k = 0; k < n; k++) {
		char kb[32];
		int kl = snprintf(kb, sizeof kb, "%c%d", m[k].gz >= 0 ? 'g' : 'l', m[k].gz >= 0 ? m[k].gz : m[k].loc);
		bool ins = false;
		int32_t *slot = ns_strmap_put(ents, kb, (size_t)kl, (int32_t)ne, &ins);
		if (!slot) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		ns_mention *x = &L->mentions[k];
		if (ins) {
			ns_entity *e = &L->entities[ne++];
			memset(e, 0, sizeof(*e));
			if (m[k].gz >= 0) {
				e->gaz_index = m[k].gz;
				e->id = g->entries[m[k].gz].id;
				e->name = g->entries[m[k].gz].name;
				e->type = g->entries[m[k].gz].type;
			} else {
				char ib[24];
				int il = snprintf(ib, sizeof ib, "L:%d", (int)++nlocal_ids);
				e->gaz_index = -1;
				e->id = ns_arena_strndup(&doc->arena, ib, (size_t)il);
				e->type = NS_ENT_OTHER;
				if (!e->id) {
					rc = NS_ENOMEM;
					goto cleanup;
				}
			}
		}
		ns_entity *e = &L->entities[*slot];
		x->entity = *slot;
		e->nmentions++;
		if (x->score > e->score)
			e->score = x->score;
		ent_of[k] = *slot;
	}
	L->nentities = ne;
	for (size_t i = 0; i < ne; i++) {
		ns_entity *e = &L->entities[i];
		e->mentions = ns_arena_array(&doc->arena, e->nmentions, sizeof(uint32_t));
		if (!e->mentions) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		e->nmentions = 0;
	}
	for (size_t k = 0; k < n; k++) {
		ns_entity *e = &L->entities[ent_of[k]];
		e->mentions[e->nmentions++] = (uint32_t)k;
	}
	/* names and types of local entities: longest surface form */
	for (size_t i = 0; i < ne; i++) {
		ns_entity *e = &L->entities[i];
		if (e->gaz_index >= 0)
			continue;
		const ns_mention *best = NULL;
		for (uint32_t j = 0; j < e->nmentions; j++) {
			const ns_mention *x = &L->mentions[e->mentions[j]];
			bool better = !best || (best->kind == NS_MENTION_TITLE && x->kind != NS_MENTION_TITLE) ||
				      ((best->kind == NS_MENTION_TITLE) == (x->kind == NS_MENTION_TITLE) &&
				       x->end - x->start > best->end - best->start);
			if (better)
				best = x; /* the longest name; a title only when nothing else */
		}
		e->name = ns_arena_strndup(&doc->arena, doc->text + best->bstart, best->bend - best->bstart);
		if (!e->name) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		/* type from the longest mention's units */
		e->type = shape_type(doc, g, w, m[best - L->mentions].ub, m[best - L->mentions].ue);
	}
cleanup:
	ns_hidx_free(&ji);
	free(m);
	free(named);
	free(ent_of);
	ns_strmap_free(groups);
	ns_strmap_free(ents);
	ns_buf_free(&key);
	return rc;
}
