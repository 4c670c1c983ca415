/* Bounded string -> bytes memo (util.h, "string memo").
 *
 * DESIGN: the per-thread memos of folds and cue matches map short strings to a
 * few bytes; open addressing over 2^k slots keyed by a 64-bit hash, key and
 * value bytes in one pool. When the table is 3/4 full or the pool cannot take
 * an entry, everything is forgotten: words follow Zipf's law, so the frequent
 * ones come back at once, and memory stays bounded whatever the input. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct sm_slot {
	uint64_t h;
	uint32_t off;  /* key then value bytes in the pool */
	uint8_t nkey;  /* 0: empty */
	uint8_t nval;
} sm_slot;

struct ns_smemo {
	sm_slot *slot;
	char *pool;
	size_t nslots, cap, used, count;
};

ns_smemo *ns_smemo_new(unsigned slots_log2, size_t pool_bytes)
{
	ns_smemo *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->nslots = (size_t)1 << slots_log2;
	m->cap = pool_bytes;
	m->slot = calloc(m->nslots, sizeof *m->slot);
	m->pool = malloc(pool_bytes);
	if (!m->slot || !m->pool) {
		ns_smemo_free(m);
		return NULL;
	}
	return m;
}

void ns_smemo_free(void *p)
{
	ns_smemo *m = p;
	if (!m)
		return;
	free(m->slot);
	free(m->pool);
	free(m);
}

const char *ns_smemo_get(const ns_smemo *m, uint64_t h, const char *key, size_t n, size_t *vlen)
{
	for (size_t i = h & (m->nslots - 1); m->slot[i].nkey; i = (i + 1) & (m->nslots - 1)) {
		const sm_slot *e = &m->slot[i];
		if (e->h == h && e->nkey == n && memcmp(m->pool + e->off, key, n) == 0) {
			*vlen = e->nval;
			return m->pool + e->off + n;
		}
	}
	return NULL;
}

void ns_smemo_put(ns_smemo *m, uint64_t h, const char *key, size_t n, const void *val, size_t vlen)
{
	if (n == 0 || n > NS_SMEMO_MAX || vlen > NS_SMEMO_MAX || n + vlen > m->cap)
		return;
	if (4 * (m->count + 1) > 3 * m->nslots || m->used + n + vlen > m->cap) {
		memset(m->slot, 0, m->nslots * sizeof *m->slot);
		m->used = m->count = 0;
	}
	size_t i = h & (m->nslots - 1);
	while (m->slot[i].nkey)
		i = (i + 1) & (m->nslots - 1);
	memcpy(m->pool + m->used, key, n);
	memcpy(m->pool + m->used + n, val, vlen);
	m->slot[i] = (sm_slot){h, (uint32_t)m->used, (uint8_t)n, (uint8_t)vlen};
	m->used += n + vlen;
	m->count++;
}

ns_smemo *ns_smemo_thread(int slot, unsigned slots_log2, size_t pool_bytes)
{
	ns_smemo *m = ns_tls_get(slot);
	if (m)
		return m;
	m = ns_smemo_new(slots_log2, pool_bytes);
	if (m && ns_tls_set(slot, m, ns_smemo_free) < 0) {
		ns_smemo_free(m);
		m = NULL;
	}
	return m;
}
