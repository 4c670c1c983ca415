/* Sparse feature vectors: a bag of hashed feature hits (with the sentence each
 * came from, for evidence), its reduction to a sorted, weighted, normalised sparse
 * vector, and the feature map that renumbers the hashes seen in training into a
 * compact [0, dim) index space for the solver and the stored weights.
 *
 * DESIGN: a feature id is 32 bits: the top 3 bits are the feature group (word,
 * stem, char n-gram, title, ...), the low 29 bits a hash. Values are computed per
 * group (raw count, or 1+log(count)), each group is L2-normalised and scaled by its
 * group weight, and the whole vector is L2-normalised again, so long articles and
 * feature-rich groups (character n-grams) do not drown the others. */
#ifndef NS_LEARN_SVEC_H
#define NS_LEARN_SVEC_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

#define NS_FGROUPS 8
#define NS_FGROUP_SHIFT 29
#define NS_FID(group, hash) (((uint32_t)(group) << NS_FGROUP_SHIFT) | ((uint32_t)(hash) & 0x1FFFFFFFu))
#define NS_FID_GROUP(id) ((unsigned)((id) >> NS_FGROUP_SHIFT))

typedef struct ns_fhit {
	uint32_t id;   /* NS_FID */
	uint32_t sent; /* sentence index the hit came from (UINT32_MAX: document level) */
	float w;       /* hit weight (1 for a plain occurrence) */
} ns_fhit;

/* A growable bag of hits; reuse it across documents with ns_fbag_clear. */
typedef struct ns_fbag {
	ns_fhit *h;
	size_t n, cap;
	int failed;     /* sticky allocation failure */
	int keep_order; /* 1: the caller does not read the hits after ns_svec_from_bag,
			   which may then leave them unsorted (faster) */
	int frac;       /* some hit weight is not a whole number in [1, 2^24] (kept by
			   the add functions, so reducing needs no pass to find out) */
} ns_fbag;
#define NS_FBAG_INIT {NULL, 0, 0, 0, 0, 0}

static inline void ns_fbag_clear(ns_fbag *b) { b->n = 0; b->failed = 0; b->frac = 0; }
void ns_fbag_free(ns_fbag *b);
/* Makes room for n more hits (a hint: failure is ignored, adding grows as
 * needed); a bag sized once per document is not regrown from 8 by doubling. */
void ns_fbag_reserve(ns_fbag *b, size_t n);
/* Adds one hit; failure sticks in b->failed. */
void ns_fbag_add(ns_fbag *b, uint32_t id, uint32_t sent, float w);
/* Adds one hit of weight w for each of ids[0..n), all from sentence sent. */
void ns_fbag_add_ids(ns_fbag *b, const uint32_t *ids, size_t n, uint32_t sent, float w);

typedef struct ns_fentry {
	uint32_t id;
	float v;
} ns_fentry;

/* A sparse vector: entries sorted by strictly increasing id. */
typedef struct ns_svec {
	ns_fentry *e;
	size_t n;
} ns_svec;

typedef struct ns_vec_opts {
	int log_tf;                     /* 1: value 1+log(count); 0: raw count */
	float group_weight[NS_FGROUPS]; /* 0 drops the group */
} ns_vec_opts;

/* Reduces the bag into a new vector (caller frees out->e): sums hits per id,
 * applies the tf transform, normalises per group then globally (see DESIGN).
 * The bag is reordered (sorted by id, then sentence) unless b->keep_order. */
int ns_svec_from_bag(ns_svec *out, ns_fbag *b, const ns_vec_opts *o);
void ns_svec_free(ns_svec *v);
double ns_svec_dot_dense(const ns_svec *v, const double *w);

/* Feature map: sorted hashes kept from training (document frequency >= min_df).
 * Vectors are remapped in place to compact indices [0, dim); entries whose id is
 * not in the map are dropped (their mass is not renormalised, identically at
 * training and prediction time). */
typedef struct ns_fmap {
	uint32_t *ids; /* sorted, unique */
	size_t dim;
} ns_fmap;

int ns_fmap_build(ns_fmap *out, const ns_svec *docs, size_t ndocs, unsigned min_df);
void ns_fmap_free(ns_fmap *m);
/* Compact index of id, or -1. */
long ns_fmap_find(const uint32_t *ids, size_t dim, uint32_t id);
/* Compact indices of every entry of a sorted vector at once: rows[i] is
 * ns_fmap_find(ids, dim, e[i].id) (-1: absent) for i in [0, n). Requires e sorted
 * by increasing id and dim < 2^31. One forward pass, each id located by
 * interpolating inside its feature group from the previous hit (hashes are
 * uniform within a group), so a lookup costs a few probes instead of the ~17
 * unpredictable branches of a binary search over 100,000 ids. */
void ns_fmap_rows(int32_t *rows, const ns_fentry *e, size_t n, const uint32_t *ids, size_t dim);
/* A bucket index over a feature map for ns_fmap_rows_index: per feature group,
 * the group's hash range cut into a power of two of equal buckets (about 8 ids
 * each) and the first map index of every bucket, so a lookup reads one bucket
 * start and one or two cache lines of ids (the estimate of ns_fmap_rows reads a
 * 64-id window). dim / 2 to dim bytes. */
typedef struct ns_fmap_index {
	uint32_t *start;                /* nbuckets + 1 map indices */
	uint32_t base[NS_FGROUPS];      /* first bucket of each group */
	unsigned shift[NS_FGROUPS];     /* hash >> shift = bucket within the group */
} ns_fmap_index;
/* Builds the index of ids[0..dim) (sorted, dim < 2^31). 0 or NS_ENOMEM. */
int ns_fmap_index_build(ns_fmap_index *out, const uint32_t *ids, size_t dim);
void ns_fmap_index_free(ns_fmap_index *x);
/* The same as ns_fmap_rows (e sorted or not), through the index. */
void ns_fmap_rows_index(int32_t *rows, const ns_fentry *e, size_t n, const uint32_t *ids, size_t dim,
			const ns_fmap_index *x);
/* Returns a remapped copy of v (compact indices, still sorted). */
int ns_svec_remap(ns_svec *out, const ns_svec *v, const uint32_t *ids, size_t dim);

#endif
