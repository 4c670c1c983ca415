/* Gazetteer: parses data/entities.tsv (columns documented in that file),
 * compiles every name, alias and title into the hash trie of src/lex, and
 * snapshots the source text into a model bundle section.
 *
 * DESIGN: the bundle section holds the TSV text itself (magic "NSGZ", version,
 * length-prefixed text) and the trie is rebuilt on load: compiling ~500 entries
 * takes about a millisecond, the section stays readable with `model dump`, and
 * the matching keys can never drift from the folding code that reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ser.h"
#include "internal.h"

#define GAZ_MAGIC 0x5a47534eu /* "NSGZ" little-endian */
#define GAZ_VERSION 1u
#define GAZ_MAX_BYTES (64u << 20)

static const char *const type_names[NS_ENT_NTYPES] = {
	"other", "person", "organisation", "country", "group", "location",
};

const char *ns_entity_type_name(int type)
{
	return type >= 0 && type < NS_ENT_NTYPES ? type_names[type] : "other";
}

int ns_entity_type_parse(const char *s, size_t n)
{
	for (int i = 0; i < NS_ENT_NTYPES; i++)
		if (strlen(type_names[i]) == n && memcmp(type_names[i], s, n) == 0)
			return i;
	if (n == 5 && memcmp(s, "state", 5) == 0)
		return NS_ENT_COUNTRY;
	if (n == 12 && memcmp(s, "organization", 12) == 0)
		return NS_ENT_ORGANISATION;
	return -1;
}

void ns_gazetteer_free(ns_gazetteer *g)
{
	if (!g)
		return;
	free(g->src);
	free(g->raw);
	free(g->name);
	free(g->entries);
	free(g->aliases);
	ns_lex_trie_free(g->trie);
	ns_strmap_free(g->ids);
	ns_strmap_free(g->seen);
	ns_strmap_free(g->stop);
	ns_strmap_free(g->conn);
	ns_strmap_free(g->orgs);
	free(g);
}

/* Adds one alias of entry e; units are folded here. */
static int add_alias(ns_gazetteer *g, int32_t e, const char *s, size_t n, uint8_t flags, ns_buf *scratch)
{
	ns_lex_piece pcs[NS_GAZ_MAX_UNITS];
	size_t np = ns_lex_split(s, n, pcs, NS_GAZ_MAX_UNITS);
	if (np == 0 || np > NS_GAZ_MAX_UNITS)
		return 0; /* nothing matchable, or too long to ever match: ignore */
	size_t offs[NS_GAZ_MAX_UNITS], lens[NS_GAZ_MAX_UNITS];
	ns_buf_clear(scratch);
	bool any_word = false;
	for (size_t i = 0; i < np; i++) {
		offs[i] = scratch->size;
		if (pcs[i].word) {
			any_word = true;
			if (ns_lex_fold(scratch, s + pcs[i].bstart, pcs[i].bend - pcs[i].bstart) < 0)
				return NS_ENOMEM;
		} else {
			ns_buf_put(scratch, s + pcs[i].bstart, pcs[i].bend - pcs[i].bstart);
		}
		lens[i] = scratch->size - offs[i];
		ns_buf_putc(scratch, '\x1f');
	}
	if (ns_buf_failed(scratch))
		return NS_ENOMEM;
	if (!any_word)
		return 0;
	const ns_lex_piece *first = &pcs[0];
	uint8_t kind = NS_MENTION_NAME;
	if (first->upper_initial)
		flags |= NS_GAZF_NEED_CAP;
	if (np == 1 && first->all_upper) {
		kind = NS_MENTION_ACRONYM;
		if (first->nletters <= 3)
			flags |= NS_GAZF_NEED_ALLCAPS;
	}
	int script = ns_lex_script(s, n);
	uint8_t et = g->entries[e].type;
	if (flags & NS_GAZF_TITLE)
		kind = NS_MENTION_TITLE;
	else if (!(flags & NS_GAZF_NEED_CAP) && script != 'D' && !(flags & NS_GAZF_GENERIC) &&
		 (et == NS_ENT_COUNTRY || et == NS_ENT_LOCATION || et == NS_ENT_GROUP))
		kind = NS_MENTION_ADJ;
	/* dedup: entry, flags and key sequence */
	ns_buf_printf(scratch, "%d#%u", (int)e, (unsigned)flags);
	if (ns_buf_failed(scratch))
		return NS_ENOMEM;
	bool inserted = false;
	int32_t *slot = ns_strmap_put(g->seen, scratch->ptr, scratch->size, (int32_t)g->naliases, &inserted);
	if (!slot)
		return NS_ENOMEM;
	uint8_t nl = np == 1 ? (uint8_t)(first->nletters < 255 ? first->nletters : 255) : 0;
	if (!inserted) { /* another written form of the same key: keep the shortest */
		ns_gaz_alias *old = &g->aliases[*slot];
		if (nl && nl < old->nletters)
			old->nletters = nl;
		return 0;
	}
	const char *keys[NS_GAZ_MAX_UNITS];
	for (size_t i = 0; i < np; i++)
		keys[i] = scratch->ptr + offs[i];
	if (NS_GROW(g->aliases, g->capaliases, g->naliases + 1) < 0)
		return NS_ENOMEM;
	int32_t ai = (int32_t)g->naliases;
	g->aliases[g->naliases++] = (ns_gaz_alias){e, kind, flags, (uint8_t)np, nl};
	int rc = ns_lex_trie_add(g->trie, keys, lens, np, ai);
	if (rc < 0)
		return rc;
	/* A person's multi-word name also yields its last word as a surname alias
	 * (valid only where it stands alone; see detect.c). */
	if (et == NS_ENT_PERSON && !(flags & (NS_GAZF_TITLE | NS_GAZF_SURNAME)) && np >= 2 &&
	    pcs[np - 1].word && pcs[np - 1].upper_initial && pcs[np - 1].nletters >= 4 && script != 'D') {
		const ns_lex_piece *last = &pcs[np - 1];
		return add_alias(g, e, s + last->bstart, last->bend - last->bstart,
				 (uint8_t)(NS_GAZF_SURNAME | (flags & NS_GAZF_GENERIC)), scratch);
	}
	return 0;
}

/* Adds every '|'-separated alias of one cell. */
static int add_cell(ns_gazetteer *g, int32_t e, const char *c, size_t n, uint8_t flags, ns_buf *scratch)
{
	size_t i = 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && c[j] != '|')
			j++;
		size_t a = i, b = j;
		while (a < b && (c[a] == ' ' || c[a] == '\t'))
			a++;
		while (b > a && (c[b - 1] == ' ' || c[b - 1] == '\t'))
			b--;
		if (b > a) {
			int rc = add_alias(g, e, c + a, b - a, flags, scratch);
			if (rc < 0)
				return rc;
		}
		i = j + 1;
	}
	return 0;
}

#define GAZ_COLS 10
static const char *const header_cols[GAZ_COLS] = {
	"id", "type", "name", "en", "ru", "uk", "bg", "pt", "hi", "titles",
};

static int parse(ns_gazetteer *g)
{
	char *p = g->src, *end = g->src + g->srclen;
	int line = 0, rc = 0;
	bool header = false;
	ns_buf scratch = NS_BUF_INIT;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		line++;
		char *next = nl ? nl + 1 : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (le == p || *p == '#') {
			p = next;
			continue;
		}
		*le = '\0';
		char *col[GAZ_COLS] = {0};
		size_t ncol = 0;
		char *q = p;
		for (;;) {
			char *tab = strchr(q, '\t');
			if (ncol < GAZ_COLS)
				col[ncol] = q;
			ncol++;
			if (!tab)
				break;
			*tab = '\0';
			q = tab + 1;
		}
		if (!header) {
			for (size_t i = 0; i < 9; i++)
				if (ncol < 9 || strcmp(col[i], header_cols[i]) != 0) {
					rc = ns_error__set(NS_EFORMAT, "%s:%d: header must start with id, type, name, en, ru, uk, bg, pt, hi",
							   g->name, line);
					goto cleanup;
				}
			header = true;
			p = next;
			continue;
		}
		if (ncol < 9 || ncol > GAZ_COLS) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: expected 9 or 10 tab-separated columns, found %zu",
					   g->name, line, ncol);
			goto cleanup;
		}
		if (!col[0][0] || !col[2][0]) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: empty id or name", g->name, line);
			goto cleanup;
		}
		int type = ns_entity_type_parse(col[1], strlen(col[1]));
		if (type < 0) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: unknown type \"%s\"", g->name, line, col[1]);
			goto cleanup;
		}
		bool inserted = false;
		int32_t *slot = ns_strmap_put(g->ids, col[0], strlen(col[0]), (int32_t)g->nentries, &inserted);
		if (!slot) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if (!inserted) {
			rc = ns_error__set(NS_EFORMAT, "%s:%d: duplicate id \"%s\"", g->name, line, col[0]);
			goto cleanup;
		}
		if (NS_GROW(g->entries, g->capentries, g->nentries + 1) < 0) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		int32_t e = (int32_t)g->nentries++;
		g->entries[e] = (ns_gaz_entry){col[0], col[2], (uint8_t)type};
		uint8_t generic = strncmp(col[0], "G:", 2) == 0 ? NS_GAZF_GENERIC : 0;
		if ((rc = add_cell(g, e, col[2], strlen(col[2]), generic, &scratch)) < 0)
			goto cleanup;
		for (size_t i = 3; i < ncol; i++) {
			uint8_t fl = (uint8_t)(generic | (i == 9 ? NS_GAZF_TITLE : 0));
			if ((rc = add_cell(g, e, col[i], strlen(col[i]), fl, &scratch)) < 0)
				goto cleanup;
		}
		p = next;
	}
	if (!header)
		rc = ns_error__set(NS_EFORMAT, "%s: no header line", g->name);
cleanup:
	ns_buf_free(&scratch);
	return rc;
}

int ns_gazetteer_load_mem(ns_gazetteer **out, const char *tsv, size_t len, const char *name)
{
	*out = NULL;
	int rc = NS_ENOMEM;
	ns_gazetteer *g = ns_calloc(1, sizeof(*g));
	if (!g)
		return NS_ENOMEM;
	g->name = ns_strdup(name ? name : "gazetteer");
	g->src = ns_malloc(len + 1);
	g->raw = ns_malloc(len + 1);
	if (!g->src || !g->raw || !g->name)
		goto cleanup;
	if (memchr(tsv, '\0', len)) {
		rc = ns_error__set(NS_EBINARY, "%s: NUL byte in gazetteer text", g->name);
		goto cleanup;
	}
	/* parse() cuts src into NUL-terminated fields that entries point into; raw
	 * stays pristine for serialisation. */
	memcpy(g->src, tsv, len);
	memcpy(g->raw, tsv, len);
	g->src[len] = g->raw[len] = '\0';
	g->srclen = len;
	if ((rc = ns_lex_trie_new(&g->trie)) < 0 || (rc = ns_strmap_new(&g->ids)) < 0 ||
	    (rc = ns_strmap_new(&g->seen)) < 0 || (rc = ns_entity__words_new(&g->stop, &g->conn, &g->orgs)) < 0)
		goto cleanup;
	if ((rc = parse(g)) < 0)
		goto cleanup;
	ns_strmap_free(g->seen);
	g->seen = NULL;
	*out = g;
	return 0;
cleanup:
	ns_gazetteer_free(g);
	return rc;
}

int ns_gazetteer_load(ns_gazetteer **out, const char *path)
{
	*out = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc = ns_file_read(&text, &len, path, GAZ_MAX_BYTES);
	if (rc < 0)
		return ns_error__wrap(rc, "gazetteer");
	rc = ns_gazetteer_load_mem(out, text, len, path);
	free(text);
	return rc;
}

int ns_gazetteer_load_bundle(ns_gazetteer **out, const ns_bundle *b)
{
	*out = NULL;
	const void *data;
	size_t len;
	if (!b || ns_bundle_section(b, NS_GAZETTEER_SECTION, &data, &len) < 0)
		return NS_ENOTFOUND;
	ns_rd r;
	ns_rd_init(&r, data, len);
	uint32_t magic = ns_rd_u32(&r), version = ns_rd_u32(&r);
	size_t n = 0;
	const char *text = ns_rd_str(&r, &n);
	if (!ns_rd_ok(&r) || magic != GAZ_MAGIC)
		return ns_error__set(NS_EFORMAT, "%s: section \"%s\" is malformed", ns_bundle_path(b),
				     NS_GAZETTEER_SECTION);
	if (version > GAZ_VERSION)
		return ns_error__set(NS_EVERSION, "%s: gazetteer section version %u is newer than supported %u",
				     ns_bundle_path(b), version, GAZ_VERSION);
	char name[300];
	snprintf(name, sizeof name, "%s:%s", ns_bundle_path(b), NS_GAZETTEER_SECTION);
	return ns_gazetteer_load_mem(out, text, n, name);
}

int ns_gazetteer_load_default(ns_gazetteer **out, const ns_bundle *b)
{
	*out = NULL;
	int rc = ns_gazetteer_load_bundle(out, b);
	if (rc != NS_ENOTFOUND)
		return rc;
	const char *dir = getenv("NARRASCOPE_DATA");
	if (dir && *dir) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof path, "%s/entities.tsv", dir) >= sizeof path)
			return ns_error__set(NS_EINVAL, "NARRASCOPE_DATA is too long");
		return ns_gazetteer_load(out, path);
	}
	return ns_gazetteer_load(out, "data/entities.tsv");
}

int ns_gazetteer_serialize(const ns_gazetteer *g, ns_buf *out)
{
	ns_wr_u32(out, GAZ_MAGIC);
	ns_wr_u32(out, GAZ_VERSION);
	ns_wr_str(out, g->raw, g->srclen);
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}

int ns_gazetteer_add_to_bundle(const ns_gazetteer *g, ns_bundle_writer *w)
{
	ns_buf b = NS_BUF_INIT;
	int rc = ns_gazetteer_serialize(g, &b);
	if (rc == 0)
		rc = ns_bundle_writer_add(w, NS_GAZETTEER_SECTION, b.ptr, b.size);
	ns_buf_free(&b);
	return rc;
}

size_t ns_gazetteer_count(const ns_gazetteer *g) { return g ? g->nentries : 0; }
const char *ns_gazetteer_id(const ns_gazetteer *g, size_t i) { return i < g->nentries ? g->entries[i].id : NULL; }
const char *ns_gazetteer_name(const ns_gazetteer *g, size_t i) { return i < g->nentries ? g->entries[i].name : NULL; }
int ns_gazetteer_type(const ns_gazetteer *g, size_t i) { return i < g->nentries ? g->entries[i].type : -1; }

int32_t ns_gazetteer_find_id(const ns_gazetteer *g, const char *id, size_t n)
{
	int32_t v;
	return g && ns_strmap_get(g->ids, id, n, &v) ? v : -1;
}

int ns_gazetteer_lookup(int32_t *index, const ns_gazetteer *g, const char *s, size_t n, const char *lang)
{
	(void)lang; /* folding is language independent (see src/lex/lex.h) */
	*index = -1;
	ns_lex_piece pcs[NS_GAZ_MAX_UNITS];
	size_t np = ns_lex_split(s, n, pcs, NS_GAZ_MAX_UNITS);
	if (np == 0 || np > NS_GAZ_MAX_UNITS)
		return 0;
	ns_buf key = NS_BUF_INIT;
	int32_t node = NS_LEX_TRIE_ROOT;
	for (size_t i = 0; i < np && node >= 0; i++) {
		ns_buf_clear(&key);
		if (pcs[i].word) {
			if (ns_lex_fold(&key, s + pcs[i].bstart, pcs[i].bend - pcs[i].bstart) < 0) {
				ns_buf_free(&key);
				return NS_ENOMEM;
			}
		} else {
			ns_buf_put(&key, s + pcs[i].bstart, pcs[i].bend - pcs[i].bstart);
		}
		node = ns_lex_trie_child(g->trie, node, key.ptr ? key.ptr : "", key.size);
	}
	ns_buf_free(&key);
	if (node < 0)
		return 0;
	/* prefer a name over a derived surname over a title */
	int best = -1, best_rank = 99;
	int32_t it = ns_lex_trie_iter(g->trie, node), a;
	while (ns_lex_trie_next(g->trie, &it, &a)) {
		const ns_gaz_alias *al = &g->aliases[a];
		int rank = (al->flags & NS_GAZF_TITLE) ? 3 : (al->flags & NS_GAZF_SURNAME) ? 2 : 1;
		if (rank < best_rank) {
			best_rank = rank;
			best = al->entry;
		}
	}
	*index = best;
	return 0;
}
