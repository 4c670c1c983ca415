/* Hash index (util.h, "hash index"): 64-bit hashes to 32-bit values, many values
 * per hash, built once then looked up.
 *
 * DESIGN: a sorted array, not a hash table. The callers (entity linking, claim
 * speakers) collect every key of a document, sort once, then ask for the values
 * of a key in order ("the first mention after k"), which a sorted run answers by
 * binary search. Collisions are the caller's to reject: it compares the real
 * keys of the values it gets. */
#include <stdlib.h>

#include "util.h"

int ns_hidx_add(ns_hidx *x, uint64_t h, uint32_t v)
{
	if (NS_GROW(x->e, x->cap, x->n + 1) < 0)
		return NS_ENOMEM;
	x->e[x->n++] = (ns_hidx_entry){h, v};
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const ns_hidx_entry *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

void ns_hidx_sort(ns_hidx *x)
{
	if (x->n > 1)
		qsort(x->e, x->n, sizeof *x->e, cmp_entry);
}

/* first entry whose hash is above h (strict) or at least h */
static size_t bound(const ns_hidx *x, uint64_t h, bool strict)
{
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->e[mid].h < h || (strict && x->e[mid].h == h))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t ns_hidx_find(const ns_hidx *x, uint64_t h, size_t *end)
{
	*end = bound(x, h, true);
	return bound(x, h, false);
}

size_t ns_hidx_upper(const ns_hidx *x, size_t begin, size_t end, uint32_t v)
{
	while (begin < end) {
		size_t mid = begin + (end - begin) / 2;
		if (x->e[mid].v <= v)
			begin = mid + 1;
		else
			end = mid;
	}
	return begin;
}

void ns_hidx_free(ns_hidx *x)
{
	free(x->e);
	*x = (ns_hidx){0};
}
