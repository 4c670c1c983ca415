/* Hash trie over sequences of folded match units (the gazetteer automaton).
 *
 * DESIGN: every edge (parent node, unit key) is one slot of an open-addressing
 * hash table, so a step costs one hash of the unit key and usually one probe,
 * independent of the fan-out at the root (thousands of first words). Keys live
 * in one growing byte pool; values of a node form a singly linked list in
 * insertion order. The trie is built once at load and then only read, so it
 * is shared by all threads without locking. */
#include <stdlib.h>
#include <string.h>

#include "lex.h"

typedef struct trie_node {
	int32_t vhead, vtail; /* value list (indices into vals), -1 when empty */
	uint32_t nchildren;
} trie_node;

typedef struct trie_val {
	int32_t value, next;
} trie_val;

typedef struct trie_edge {
	uint64_t hash;    /* 0 = empty slot */
	int32_t parent, child;
	uint32_t koff, klen; /* key bytes in pool */
} trie_edge;

struct ns_lex_trie {
	trie_node *nodes;
	size_t nnodes, capnodes;
	trie_val *vals;
	size_t nvals, capvals;
	trie_edge *edges; /* power-of-two table */
	size_t nedges, capedges;
	char *pool;
	size_t npool, cappool;
};

static uint64_t edge_hash(int32_t parent, const char *key, size_t len)
{
	uint64_t h = ns_hash_mix(ns_hash64(key, len, 0x6e73676174ULL), (uint64_t)(uint32_t)parent);
	return h ? h : 1;
}

int ns_lex_trie_new(ns_lex_trie **out)
{
	*out = NULL;
	ns_lex_trie *t = ns_calloc(1, sizeof(*t));
	if (!t)
		return NS_ENOMEM;
	t->capedges = 1024;
	t->edges = ns_calloc(t->capedges, sizeof(*t->edges));
	if (!t->edges || NS_GROW(t->nodes, t->capnodes, 1) < 0) {
		ns_lex_trie_free(t);
		return NS_ENOMEM;
	}
	t->nodes[0] = (trie_node){-1, -1, 0};
	t->nnodes = 1;
	*out = t;
	return 0;
}

void ns_lex_trie_free(ns_lex_trie *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->vals);
	free(t->edges);
	free(t->pool);
	free(t);
}

static int32_t find_edge(const ns_lex_trie *t, int32_t parent, const char *key, size_t len, uint64_t h, size_t *slot)
{
	size_t mask = t->capedges - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const trie_edge *e = &t->edges[i];
		if (e->hash == 0) {
			if (slot)
				*slot = i;
			return -1;
		}
		if (e->hash == h && e->parent == parent && e->klen == len &&
		    memcmp(t->pool + e->koff, key, len) == 0)
			return e->child;
	}
}

static int rehash(ns_lex_trie *t)
{
	size_t ncap = t->capedges * 2;
	trie_edge *ne = ns_calloc(ncap, sizeof(*ne));
	if (!ne)
		return NS_ENOMEM;
	for (size_t i = 0; i < t->capedges; i++) {
		if (t->edges[i].hash == 0)
			continue;
		size_t j = (size_t)t->edges[i].hash & (ncap - 1);
		while (ne[j].hash)
			j = (j + 1) & (ncap - 1);
		ne[j] = t->edges[i];
	}
	free(t->edges);
	t->edges = ne;
	t->capedges = ncap;
	return 0;
}

static int32_t add_child(ns_lex_trie *t, int32_t parent, const char *key, size_t len)
{
	uint64_t h = edge_hash(parent, key, len);
	size_t slot = 0;
	int32_t c = find_edge(t, parent, key, len, h, &slot);
	if (c >= 0)
		return c;
	if ((t->nedges + 1) * 4 > t->capedges * 3) {
		if (rehash(t) < 0)
			return -1;
		find_edge(t, parent, key, len, h, &slot);
	}
	if (t->nnodes >= INT32_MAX - 1 || len > UINT32_MAX || t->npool + len > UINT32_MAX)
		return -1;
	if (NS_GROW(t->nodes, t->capnodes, t->nnodes + 1) < 0 ||
	    NS_GROW(t->pool, t->cappool, t->npool + len + 1) < 0)
		return -1;
	memcpy(t->pool + t->npool, key, len);
	c = (int32_t)t->nnodes++;
	t->nodes[c] = (trie_node){-1, -1, 0};
	t->nodes[parent].nchildren++;
	t->edges[slot] = (trie_edge){h, parent, c, (uint32_t)t->npool, (uint32_t)len};
	t->npool += len;
	t->nedges++;
	return c;
}

int ns_lex_trie_add(ns_lex_trie *t, const char *const *keys, const size_t *lens, size_t n, int32_t value)
{
	if (n == 0)
		return ns_error__set(NS_EINVAL, "trie: empty key sequence");
	int32_t node = NS_LEX_TRIE_ROOT;
	for (size_t i = 0; i < n; i++) {
		node = add_child(t, node, keys[i], lens[i]);
		if (node < 0)
			return ns_error__set(NS_ENOMEM, "trie: out of memory");
	}
	if (NS_GROW(t->vals, t->capvals, t->nvals + 1) < 0)
		return NS_ENOMEM;
	int32_t v = (int32_t)t->nvals++;
	t->vals[v] = (trie_val){value, -1};
	trie_node *nd = &t->nodes[node];
	if (nd->vtail >= 0)
		t->vals[nd->vtail].next = v;
	else
		nd->vhead = v;
	nd->vtail = v;
	return 0;
}

int32_t ns_lex_trie_child(const ns_lex_trie *t, int32_t node, const char *key, size_t len)
{
	if (node < 0 || (size_t)node >= t->nnodes || t->nodes[node].nchildren == 0)
		return -1;
	return find_edge(t, node, key, len, edge_hash(node, key, len), NULL);
}

int32_t ns_lex_trie_iter(const ns_lex_trie *t, int32_t node)
{
	if (node < 0 || (size_t)node >= t->nnodes)
		return -1;
	return t->nodes[node].vhead;
}

bool ns_lex_trie_next(const ns_lex_trie *t, int32_t *it, int32_t *value)
{
	if (*it < 0 || (size_t)*it >= t->nvals)
		return false;
	*value = t->vals[*it].value;
	*it = t->vals[*it].next;
	return true;
}

bool ns_lex_trie_has_children(const ns_lex_trie *t, int32_t node)
{
	return node >= 0 && (size_t)node < t->nnodes && t->nodes[node].nchildren > 0;
}

size_t ns_lex_trie_nnodes(const ns_lex_trie *t) { return t->nnodes; }
