/* Nearest-neighbour label votes over sparse document vectors: a compact
 * inverted index of the training documents (hashed feature ids, 8-bit weights,
 * no text) and cosine top-k queries with similarity-weighted label votes.
 *
 * DESIGN: a stored document keeps its `terms` features of largest tf-idf weight
 * u_f = x_f * idf_f (idf = 1 + log((n + 1) / (df + 1)) over the indexed
 * documents; ties by smaller id), L2-normalised over those, and stores
 * u_f / |u| * idf_f, so the plain dot product with a query's own vector x (no
 * idf table needed at query time) is the tf-idf cosine up to the query's norm,
 * which does not change the ranking nor the normalised votes. Each document's
 * weights are quantized to 8 bits with a per-document scale (max / 255). The
 * postings of a feature list documents in increasing order; a query adds
 * x_f * w into one accumulator per document, scales by the document's scale and
 * keeps the k largest similarities (ties by smaller document index), so
 * results are deterministic and independent of threads. Query features are
 * found through a bucket index over the ids (svec.h): with the interpolating
 * search of ns_fmap_rows the lookups were ~15% of narrative prediction. */
#ifndef NS_LEARN_KNN_H
#define NS_LEARN_KNN_H

#include <stddef.h>
#include <stdint.h>

#include "svec.h"

typedef struct ns_knn {
	size_t ndocs, nfeat, npost, nlab;
	const uint32_t *fid;    /* nfeat feature ids, strictly increasing */
	const uint32_t *off;    /* nfeat + 1 posting offsets (off[0] = 0, off[nfeat] = npost) */
	const uint32_t *doc;    /* npost document indices, increasing within a feature */
	const uint8_t *w;       /* npost quantized weights (1..255) */
	const float *dscale;    /* ndocs: weight of a posting = dscale[doc] * w */
	const uint32_t *loff;   /* ndocs + 1 label offsets into lab */
	const uint16_t *lab;    /* nlab label indices of the documents, increasing per document */
	void *owned;            /* the block behind the arrays when built or copied, else NULL */
	ns_fmap_index idx;      /* bucket index over fid for queries (idx.start NULL: none yet) */
} ns_knn;

/* Builds the index of docs[0..ndocs) (hashed vectors, entries sorted by id) with
 * labels lab[loff[d] .. loff[d + 1]) for document d. Only features whose group
 * bit (NS_FID_GROUP) is set in `groups` are indexed; at most `terms` per
 * document. 0, NS_EINVAL (ndocs >= 2^32) or NS_ENOMEM. */
int ns_knn_build(ns_knn *out, const ns_svec *docs, size_t ndocs, const uint32_t *loff, const uint16_t *lab,
		 size_t terms, unsigned groups);
/* Builds the lookup index of a loaded (validated) index; ns_knn_build does it
 * itself. Queries work without it, through slower searches. 0 or NS_ENOMEM. */
int ns_knn_prepare(ns_knn *k);
/* Releases what the index owns (not arrays it borrows); leaves it empty. */
void ns_knn_free(ns_knn *k);
/* Checks the invariants listed in the struct (ids sorted, offsets monotone and
 * in range, documents in range and increasing per feature, weights non-zero,
 * scales finite and positive, labels < nlabels). 0 or NS_EFORMAT with a message. */
int ns_knn_validate(const ns_knn *k, size_t nlabels);

typedef struct ns_knn_hit {
	uint32_t doc;
	float sim;
} ns_knn_hit;

/* The (at most) kk most similar documents to x (hashed, sorted by id) with a
 * positive similarity, most similar first, into out[0..kk). acc: ndocs floats
 * of caller scratch (any content). Returns the count. */
size_t ns_knn_query(const ns_knn *k, const ns_svec *x, ns_knn_hit *out, size_t kk, float *acc);
/* votes[l] (l < nlabels) = sum over hits of sim^power x [l is a label of the
 * hit's document] / sum over hits of sim^power; all 0 without hits. */
void ns_knn_votes(const ns_knn *k, const ns_knn_hit *hits, size_t n, double power, float *votes, size_t nlabels);

#endif
