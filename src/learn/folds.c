/* Cross-validation folds: split by document, stratified by language, seeded
 * (see folds.h for the exact definition other tools reproduce). */
#include <stdlib.h>
#include <string.h>

#include "folds.h"

typedef struct {
	const char *id, *lang;
	size_t index;
} fold_item;

static int cmp_item(const void *a, const void *b)
{
	const fold_item *x = a, *y = b;
	int c = strcmp(x->lang, y->lang);
	if (c)
		return c;
	c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

int ns_folds_assign(int *fold, const char *const *ids, const char *const *langs, size_t n, int k, uint64_t seed)
{
	int rc = 0;
	fold_item *it = NULL;
	if (k < 2)
		return ns_error__set(NS_EINVAL, "folds: need at least 2 folds, got %d", k);
	if (n == 0)
		return 0;
	it = ns_calloc(n, sizeof *it);
	if (!it)
		return NS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		it[i].id = ids[i];
		it[i].lang = langs[i] ? langs[i] : "";
		it[i].index = i;
	}
	qsort(it, n, sizeof *it, cmp_item);
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && strcmp(it[b].lang, it[a].lang) == 0) {
			if (strcmp(it[b].id, it[b - 1].id) == 0) {
				rc = ns_error__set(NS_EINVAL, "folds: duplicate document id '%s' in language '%s'", it[b].id,
						   it[b].lang);
				goto cleanup;
			}
			b++;
		}
		uint64_t state = seed;
		for (size_t i = b - a; i-- > 1;) {
			size_t j = (size_t)(ns_splitmix64(&state) % (uint64_t)(i + 1));
			fold_item t = it[a + i];
			it[a + i] = it[a + j];
			it[a + j] = t;
		}
		for (size_t r = 0; r < b - a; r++)
			fold[it[a + r].index] = (int)(r % (size_t)k);
		a = b;
	}
cleanup:
	free(it);
	return rc;
}

int ns_folds_dump(const char *path, const int *fold, const char *const *ids, const char *const *langs, size_t n)
{
	ns_buf b = NS_BUF_INIT;
	int rc;
	for (size_t i = 0; i < n; i++)
		ns_buf_printf(&b, "%s\t%s\t%d\n", ids[i], langs[i] ? langs[i] : "", fold[i]);
	if (ns_buf_failed(&b)) {
		ns_buf_free(&b);
		return ns_error__set(NS_ENOMEM, "folds: out of memory writing %s", path);
	}
	rc = ns_file_write_atomic(path, b.ptr ? b.ptr : "", b.size);
	ns_buf_free(&b);
	return rc;
}
