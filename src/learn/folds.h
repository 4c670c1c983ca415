/* Cross-validation fold assignment shared by every task, so that all tasks and
 * the peer benchmarks (bench/peers) score on exactly the same document split.
 *
 * Definition (stable; peers re-implement it from --dump-folds output):
 *   for each language (exact string compare), take its documents' ids sorted by
 *   strcmp; shuffle them with Fisher-Yates from the last position down,
 *   j = splitmix64(&state) % (i + 1), where state starts at the seed for every
 *   language; the document at shuffled position r gets fold r mod k. */
#ifndef NS_LEARN_FOLDS_H
#define NS_LEARN_FOLDS_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

/* splitmix64 (Steele, Lea, Flood 2014): advances *state, returns the next value. */
static inline uint64_t ns_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Assigns fold[i] in [0, k) to document i (ids[i], langs[i]), as defined above.
 * Duplicate (lang, id) pairs are an error (NS_EINVAL). k >= 2. */
int ns_folds_assign(int *fold, const char *const *ids, const char *const *langs, size_t n, int k, uint64_t seed);
/* Writes `id<TAB>lang<TAB>fold` lines, in the order given, to path (atomic). */
int ns_folds_dump(const char *path, const int *fold, const char *const *ids, const char *const *langs, size_t n);

#endif
