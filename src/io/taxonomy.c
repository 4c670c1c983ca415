/* Taxonomy loading: narratives.txt, subnarratives.txt, roles.tsv and
 * descriptions-<DOMAIN>.tsv from one directory, or from in-memory lists.
 *
 * DESIGN: every label list is a strmap (label -> index) plus a string vector, so
 * lookups by string are O(1) and indices follow file order. The fine -> coarse
 * parent is derived from the "COARSE: SUB" naming; it is computed once at load. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/taxonomy.h"
#include "util/util.h"

typedef struct {
	char **items;
	size_t n, cap;
	ns_strmap *map;
} labels;

struct ns_taxonomy {
	labels coarse, fine, main_roles, fine_roles;
	int32_t *fine_parent;     /* nfine */
	int32_t *fine_role_main;  /* nfine_roles */
	ns_taxonomy_desc *desc;
	size_t ndesc, desc_cap;
	char **strings;           /* owned strings of descriptions */
	size_t nstrings, strings_cap;
};

static void labels_free(labels *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	ns_strmap_free(l->map);
}

/* Adds s[0..n); *idx gets the index. Returns 1 if the label already existed. */
static int labels_add(labels *l, const char *s, size_t n, int32_t *idx)
{
	bool inserted;
	if (!l->map && ns_strmap_new(&l->map) < 0)
		return NS_ENOMEM;
	int32_t *slot = ns_strmap_put(l->map, s, n, (int32_t)l->n, &inserted);
	if (!slot)
		return NS_ENOMEM;
	*idx = *slot;
	if (!inserted)
		return 1;
	if (NS_GROW(l->items, l->cap, l->n + 1) < 0 || !(l->items[l->n] = ns_strndup(s, n)))
		return NS_ENOMEM;
	l->n++;
	return 0;
}

static int32_t labels_find(const labels *l, const char *s, size_t n)
{
	int32_t v;
	if (l->map && ns_strmap_get(l->map, s, n, &v))
		return v;
	return -1;
}

void ns_taxonomy_free(ns_taxonomy *t)
{
	if (!t)
		return;
	labels_free(&t->coarse);
	labels_free(&t->fine);
	labels_free(&t->main_roles);
	labels_free(&t->fine_roles);
	free(t->fine_parent);
	free(t->fine_role_main);
	free(t->desc);
	for (size_t i = 0; i < t->nstrings; i++)
		free(t->strings[i]);
	free(t->strings);
	free(t);
}

/* Calls fn for each non-blank line (trailing CR/spaces removed) of a file. */
typedef int (*line_fn)(ns_taxonomy *t, const char *path, int line, const char *s, size_t n, void *arg);

static int for_lines(ns_taxonomy *t, const char *path, line_fn fn, void *arg)
{
	char *d;
	size_t len;
	int rc = ns_file_read(&d, &len, path, 64u << 20);
	if (rc < 0)
		return rc;
	const char *p = d, *end = d + len;
	int line = 0;
	if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && rc >= 0) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		size_t n = (size_t)(e - p);
		line++;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (memchr(p, '\0', n))
			rc = ns_error__set(NS_EFORMAT, "%s:%d: NUL byte", path, line);
		else if (n)
			rc = fn(t, path, line, p, n, arg);
		p = e < end ? e + 1 : e;
	}
	free(d);
	return rc;
}

static int add_list_line(ns_taxonomy *t, const char *path, int line, const char *s, size_t n, void *arg)
{
	(void)t;
	int32_t idx;
	int rc = labels_add(arg, s, n, &idx);
	if (rc == 1)
		return ns_error__set(NS_EFORMAT, "%s:%d: duplicate label '%.*s'", path, line, (int)n, s);
	return rc;
}

static int add_role_line(ns_taxonomy *t, const char *path, int line, const char *s, size_t n, void *arg)
{
	int32_t m, f;
	(void)arg;
	const char *tab = memchr(s, '\t', n);
	if (!tab || memchr(tab + 1, '\t', n - (size_t)(tab + 1 - s)))
		return ns_error__set(NS_EFORMAT, "%s:%d: expected 2 columns main_role<TAB>fine_role", path, line);
	if (line == 1 && strncmp(s, "main_role\t", 10) == 0)
		return 0; /* header */
	size_t mn = (size_t)(tab - s), fn = n - mn - 1;
	if (mn == 0 || fn == 0)
		return ns_error__set(NS_EFORMAT, "%s:%d: empty role", path, line);
	int rc = labels_add(&t->main_roles, s, mn, &m);
	if (rc < 0)
		return rc;
	rc = labels_add(&t->fine_roles, tab + 1, fn, &f);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return ns_error__set(NS_EFORMAT, "%s:%d: duplicate fine role '%.*s'", path, line, (int)fn, tab + 1);
	int32_t *frm = ns_reallocarray(t->fine_role_main, t->fine_roles.n, sizeof(int32_t));
	if (!frm)
		return NS_ENOMEM;
	t->fine_role_main = frm;
	t->fine_role_main[f] = m;
	return 0;
}

static char *own(ns_taxonomy *t, char *s)
{
	if (!s)
		return NULL;
	if (NS_GROW(t->strings, t->strings_cap, t->nstrings + 1) < 0) {
		free(s);
		return NULL;
	}
	t->strings[t->nstrings++] = s;
	return s;
}

static int add_desc_line(ns_taxonomy *t, const char *path, int line, const char *s, size_t n, void *arg)
{
	const char *domain = arg;
	const char *t1 = memchr(s, '\t', n);
	const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - s)) : NULL;
	if (!t2)
		return ns_error__set(NS_EFORMAT, "%s:%d: expected 3 columns Narrative<TAB>Subnarrative<TAB>Description",
				     path, line);
	if (line == 1 && strncmp(s, "Narrative\t", 10) == 0)
		return 0;
	size_t nn = (size_t)(t1 - s), sn = (size_t)(t2 - t1 - 1), dn = n - (size_t)(t2 + 1 - s);
	while (nn && s[nn - 1] == ' ')
		nn--;
	while (sn && t1[1 + sn - 1] == ' ')
		sn--;
	if (nn == 0)
		return ns_error__set(NS_EFORMAT, "%s:%d: empty narrative", path, line);
	if (NS_GROW(t->desc, t->desc_cap, t->ndesc + 1) < 0)
		return NS_ENOMEM;
	ns_taxonomy_desc *d = &t->desc[t->ndesc];
	memset(d, 0, sizeof *d);
	ns_buf b = NS_BUF_INIT;
	ns_buf_printf(&b, "%s: %.*s", domain, (int)nn, s);
	if (ns_buf_failed(&b))
		return NS_ENOMEM;
	d->domain = domain;
	d->coarse = own(t, ns_buf_detach(&b, NULL));
	if (sn) {
		ns_buf_printf(&b, "%s: %.*s", d->coarse, (int)sn, t1 + 1);
		if (ns_buf_failed(&b))
			return NS_ENOMEM;
		d->fine = own(t, ns_buf_detach(&b, NULL));
		if (!d->fine)
			return NS_ENOMEM;
	}
	d->text = own(t, ns_strndup(t2 + 1, dn));
	if (!d->coarse || !d->text)
		return NS_ENOMEM;
	d->coarse_idx = labels_find(&t->coarse, d->coarse, strlen(d->coarse));
	d->fine_idx = d->fine ? labels_find(&t->fine, d->fine, strlen(d->fine)) : -1;
	t->ndesc++;
	return 0;
}

static int compute_parents(ns_taxonomy *t)
{
	free(t->fine_parent);
	t->fine_parent = ns_calloc(t->fine.n ? t->fine.n : 1, sizeof(int32_t));
	if (!t->fine_parent)
		return NS_ENOMEM;
	for (size_t i = 0; i < t->fine.n; i++) {
		const char *f = t->fine.items[i];
		size_t fl = strlen(f), best_len = 0;
		int32_t best = -1;
		for (size_t c = 0; c < t->coarse.n; c++) {
			const char *cs = t->coarse.items[c];
			size_t cl = strlen(cs);
			if (cl + 2 <= fl && memcmp(f, cs, cl) == 0 && f[cl] == ':' && f[cl + 1] == ' ' &&
			    cl > best_len) {
				best = (int32_t)c;
				best_len = cl;
			}
		}
		if (best < 0 && strcmp(f, "Other") == 0)
			best = labels_find(&t->coarse, "Other", 5);
		t->fine_parent[i] = best;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads descriptions-*.tsv in name order; the domain is the part between
 * "descriptions-" and ".tsv". */
static int load_descriptions(ns_taxonomy *t, const char *dir)
{
	DIR *dh = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (!dh)
		return ns_error__set(NS_EIO, "%s: cannot open directory", dir);
	struct dirent *de;
	while ((de = readdir(dh))) {
		size_t l = strlen(de->d_name);
		if (l > 17 && strncmp(de->d_name, "descriptions-", 13) == 0 &&
		    strcmp(de->d_name + l - 4, ".tsv") == 0) {
			if (NS_GROW(names, cap, n + 1) < 0 || !(names[n] = ns_strdup(de->d_name))) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			n++;
		}
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *domain = own(t, ns_strndup(names[i] + 13, strlen(names[i]) - 17));
		ns_buf path = NS_BUF_INIT;
		ns_buf_printf(&path, "%s/%s", dir, names[i]);
		if (!domain || ns_buf_failed(&path)) {
			ns_buf_free(&path);
			rc = NS_ENOMEM;
			goto cleanup;
		}
		rc = for_lines(t, path.ptr, add_desc_line, domain);
		ns_buf_free(&path);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	closedir(dh);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int ns_taxonomy_load(ns_taxonomy **out, const char *dir)
{
	ns_buf p = NS_BUF_INIT;
	int rc = 0;
	*out = NULL;
	ns_taxonomy *t = ns_calloc(1, sizeof *t);
	if (!t)
		return NS_ENOMEM;
	ns_buf_printf(&p, "%s/narratives.txt", dir);
	if (ns_buf_failed(&p)) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = for_lines(t, p.ptr, add_list_line, &t->coarse)) < 0)
		goto cleanup;
	ns_buf_clear(&p);
	ns_buf_printf(&p, "%s/subnarratives.txt", dir);
	if (ns_buf_failed(&p)) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = for_lines(t, p.ptr, add_list_line, &t->fine)) < 0)
		goto cleanup;
	ns_buf_clear(&p);
	ns_buf_printf(&p, "%s/roles.tsv", dir);
	if (ns_buf_failed(&p)) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	FILE *probe = fopen(p.ptr, "rb");
	if (probe) {
		fclose(probe);
		if ((rc = for_lines(t, p.ptr, add_role_line, NULL)) < 0)
			goto cleanup;
	}
	if ((rc = compute_parents(t)) < 0 || (rc = load_descriptions(t, dir)) < 0)
		goto cleanup;
cleanup:
	ns_buf_free(&p);
	if (rc < 0) {
		ns_taxonomy_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int ns_taxonomy_from_lists(ns_taxonomy **out,
			   const char *const *coarse, size_t ncoarse,
			   const char *const *fine, size_t nfine,
			   const char *const *main_roles, size_t nmain,
			   const char *const *fine_roles, const int32_t *fine_role_main, size_t nfine_roles)
{
	int32_t idx;
	int rc = 0;
	*out = NULL;
	ns_taxonomy *t = ns_calloc(1, sizeof *t);
	if (!t)
		return NS_ENOMEM;
	struct {
		labels *l;
		const char *const *v;
		size_t n;
		const char *what;
	} lists[] = {{&t->coarse, coarse, ncoarse, "narrative"},
		     {&t->fine, fine, nfine, "subnarrative"},
		     {&t->main_roles, main_roles, nmain, "main role"},
		     {&t->fine_roles, fine_roles, nfine_roles, "fine role"}};
	for (size_t k = 0; k < 4; k++)
		for (size_t i = 0; i < lists[k].n; i++) {
			rc = labels_add(lists[k].l, lists[k].v[i], strlen(lists[k].v[i]), &idx);
			if (rc == 1)
				rc = ns_error__set(NS_EINVAL, "taxonomy: duplicate %s '%s'", lists[k].what,
						   lists[k].v[i]);
			if (rc < 0)
				goto cleanup;
		}
	t->fine_role_main = ns_calloc(nfine_roles ? nfine_roles : 1, sizeof(int32_t));
	if (!t->fine_role_main) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < nfine_roles; i++) {
		if (fine_role_main[i] < 0 || (size_t)fine_role_main[i] >= nmain) {
			rc = ns_error__set(NS_EINVAL, "taxonomy: fine role '%s' has main role index %d out of range",
					   fine_roles[i], (int)fine_role_main[i]);
			goto cleanup;
		}
		t->fine_role_main[i] = fine_role_main[i];
	}
	rc = compute_parents(t);
cleanup:
	if (rc < 0) {
		ns_taxonomy_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

size_t ns_taxonomy_ncoarse(const ns_taxonomy *t) { return t->coarse.n; }
const char *ns_taxonomy_coarse(const ns_taxonomy *t, size_t i) { return i < t->coarse.n ? t->coarse.items[i] : NULL; }
size_t ns_taxonomy_nfine(const ns_taxonomy *t) { return t->fine.n; }
const char *ns_taxonomy_fine(const ns_taxonomy *t, size_t i) { return i < t->fine.n ? t->fine.items[i] : NULL; }
int32_t ns_taxonomy_fine_parent(const ns_taxonomy *t, size_t i) { return i < t->fine.n ? t->fine_parent[i] : -1; }
size_t ns_taxonomy_nmain_roles(const ns_taxonomy *t) { return t->main_roles.n; }
const char *ns_taxonomy_main_role(const ns_taxonomy *t, size_t i)
{
	return i < t->main_roles.n ? t->main_roles.items[i] : NULL;
}
size_t ns_taxonomy_nfine_roles(const ns_taxonomy *t) { return t->fine_roles.n; }
const char *ns_taxonomy_fine_role(const ns_taxonomy *t, size_t i)
{
	return i < t->fine_roles.n ? t->fine_roles.items[i] : NULL;
}
int32_t ns_taxonomy_fine_role_main(const ns_taxonomy *t, size_t i)
{
	return i < t->fine_roles.n ? t->fine_role_main[i] : -1;
}
int32_t ns_taxonomy_find_coarse(const ns_taxonomy *t, const char *s, size_t n) { return labels_find(&t->coarse, s, n); }
int32_t ns_taxonomy_find_fine(const ns_taxonomy *t, const char *s, size_t n) { return labels_find(&t->fine, s, n); }
int32_t ns_taxonomy_find_main_role(const ns_taxonomy *t, const char *s, size_t n)
{
	return labels_find(&t->main_roles, s, n);
}
int32_t ns_taxonomy_find_fine_role(const ns_taxonomy *t, const char *s, size_t n)
{
	return labels_find(&t->fine_roles, s, n);
}
size_t ns_taxonomy_ndesc(const ns_taxonomy *t) { return t->ndesc; }
const ns_taxonomy_desc *ns_taxonomy_desc_at(const ns_taxonomy *t, size_t i)
{
	return i < t->ndesc ? &t->desc[i] : NULL;
}
