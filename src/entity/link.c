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
 * order of first appearance, so the same text always gives the same ids. */
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
	const ns_strmap *orgs = w->orgs;
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
			if (!best || x->end - x->start > best->end - best->start)
				best = x;
		}
		e->name = ns_arena_strndup(&doc->arena, doc->text + best->bstart, best->bend - best->bstart);
		if (!e->name) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		/* type from the longest mention's units */
		const lk *bl = &m[best - L->mentions];
		uint32_t nwords = 0, orgw = 0, placew = 0, caps = 0, common = 0;
		for (uint32_t u = bl->ub; u < bl->ue; u++) {
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
		}
		if (orgw)
			e->type = NS_ENT_ORGANISATION;
		else if (placew && nwords >= 2)
			e->type = NS_ENT_LOCATION;
		else if (nwords == 1 && caps == 1)
			e->type = NS_ENT_ORGANISATION;
		else if (nwords >= 2 && !common && !after_article(doc, w, bl->ub))
			e->type = NS_ENT_PERSON;
		else
			e->type = NS_ENT_OTHER;
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
