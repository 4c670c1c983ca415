/* Per-document bump allocator, freed in one call (see util.h).
 *
 * DESIGN: blocks of at least 64 KiB are chained; an allocation larger than a
 * quarter block gets a block of its own. With NS_DEBUG_POOL every allocation is
 * its own block, so ASan and valgrind report overflows precisely. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct ns_arena_block {
	ns_arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

#define NS_ARENA_BLOCK (64 * 1024)
#define NS_ALIGN 16

void *ns_arena_alloc(ns_arena *a, size_t n)
{
	void *p = ns_arena_alloc_raw(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

/* Zeroing every allocation, mostly small strings written whole right after, was
 * 2% of a corpus prediction's instructions (memset; callgrind), hence the raw
 * variant for buffers the caller fills. */
void *ns_arena_alloc_raw(ns_arena *a, size_t n)
{
	size_t rounded;
	if (!ns_add_ok(n, NS_ALIGN - 1, &rounded)) {
		ns_error__set(NS_ENOMEM, "arena allocation size overflow");
		return NULL;
	}
	rounded &= ~(size_t)(NS_ALIGN - 1);
	if (rounded == 0)
		rounded = NS_ALIGN;
	if (a->limit && (a->total + rounded > a->limit || a->total + rounded < a->total)) {
		ns_error__set(NS_ELIMIT, "per-document memory limit of %zu bytes exceeded", a->limit);
		return NULL;
	}
#ifndef NS_DEBUG_POOL
	ns_arena_block *blk = a->head;
	if (!blk || blk->cap - blk->used < rounded) {
		size_t cap = rounded > NS_ARENA_BLOCK / 4 ? rounded : NS_ARENA_BLOCK;
		size_t total;
		if (!ns_add_ok(cap, sizeof(ns_arena_block), &total)) {
			ns_error__set(NS_ENOMEM, "arena allocation size overflow");
			return NULL;
		}
		ns_arena_block *nb = ns_malloc(total);
		if (!nb)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		if (cap == NS_ARENA_BLOCK || !blk) {
			nb->next = blk;
			a->head = nb;
		} else {
			/* oversized block goes behind the current one so its free space stays usable */
			nb->next = blk->next;
			blk->next = nb;
		}
		blk = nb;
	}
	void *p = (char *)blk->data + blk->used;
	blk->used += rounded;
#else
	ns_arena_block *blk = ns_malloc(sizeof(ns_arena_block) + rounded);
	if (!blk)
		return NULL;
	blk->used = blk->cap = rounded;
	blk->next = a->head;
	a->head = blk;
	void *p = blk->data;
#endif
	a->total += rounded;
	return p;
}

void *ns_arena_array(ns_arena *a, size_t count, size_t size)
{
	size_t n;
	if (!ns_mul_ok(count, size, &n)) {
		ns_error__set(NS_ENOMEM, "arena array size overflow (%zu x %zu)", count, size);
		return NULL;
	}
	return ns_arena_alloc(a, n);
}

char *ns_arena_strndup(ns_arena *a, const char *s, size_t n)
{
	size_t total;
	if (!ns_add_ok(n, 1, &total)) {
		ns_error__set(NS_ENOMEM, "string size overflow");
		return NULL;
	}
	char *p = ns_arena_alloc_raw(a, total);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void *grow(ns_arena *a, void *old, size_t old_count, size_t new_count, size_t size, int zero)
{
	size_t n;
	if (!ns_mul_ok(new_count, size, &n)) {
		ns_error__set(NS_ENOMEM, "arena array size overflow (%zu x %zu)", new_count, size);
		return NULL;
	}
	char *p = ns_arena_alloc_raw(a, n);
	if (!p)
		return NULL;
	size_t keep = old ? (old_count < new_count ? old_count : new_count) * size : 0;
	if (keep)
		memcpy(p, old, keep);
	if (zero)
		memset(p + keep, 0, n - keep); /* only the new part is zeroed */
	return p;
}

void *ns_arena_grow(ns_arena *a, void *old, size_t old_count, size_t new_count, size_t size)
{
	return grow(a, old, old_count, new_count, size, 1);
}

void *ns_arena_grow_raw(ns_arena *a, void *old, size_t old_count, size_t new_count, size_t size)
{
	return grow(a, old, old_count, new_count, size, 0);
}

void ns_arena_free(ns_arena *a)
{
	ns_arena_block *b = a->head;
	while (b) {
		ns_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}
