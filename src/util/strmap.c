/* String -> int32 hash map with open addressing and owned key copies. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
	char *key;
	size_t len;
	uint64_t hash;
	int32_t val;
} slot;

struct ns_strmap {
	slot *slots;
	size_t cap, count;
};

int ns_strmap_new(ns_strmap **out)
{
	*out = NULL;
	ns_strmap *m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	m->cap = 16;
	m->slots = ns_calloc(m->cap, sizeof(slot));
	if (!m->slots) {
		free(m);
		return NS_ENOMEM;
	}
	*out = m;
	return 0;
}

void ns_strmap_free(ns_strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static slot *find(const ns_strmap *m, const char *key, size_t n, uint64_t h)
{
	size_t mask = m->cap - 1, i = h & mask;
	for (;;) {
		slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0))
			return s;
		i = (i + 1) & mask;
	}
}

static int rehash(ns_strmap *m)
{
	size_t ncap = m->cap * 2;
	slot *ns = ns_calloc(ncap, sizeof(slot));
	if (!ns)
		return NS_ENOMEM;
	slot *old = m->slots;
	size_t ocap = m->cap;
	m->slots = ns;
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].key)
			*find(m, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
	return 0;
}

int32_t *ns_strmap_put(ns_strmap *m, const char *key, size_t n, int32_t dflt, bool *inserted)
{
	uint64_t h = ns_hash64(key, n, 0);
	slot *s = find(m, key, n, h);
	if (inserted)
		*inserted = false;
	if (s->key)
		return &s->val;
	if ((m->count + 1) * 4 > m->cap * 3) {
		if (rehash(m) < 0)
			return NULL;
		s = find(m, key, n, h);
	}
	s->key = ns_strndup(key, n);
	if (!s->key)
		return NULL;
	s->len = n;
	s->hash = h;
	s->val = dflt;
	m->count++;
	if (inserted)
		*inserted = true;
	return &s->val;
}

bool ns_strmap_get(const ns_strmap *m, const char *key, size_t n, int32_t *val)
{
	slot *s = find(m, key, n, ns_hash64(key, n, 0));
	if (!s->key)
		return false;
	if (val)
		*val = s->val;
	return true;
}

size_t ns_strmap_count(const ns_strmap *m) { return m->count; }
