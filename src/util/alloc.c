/* Checked allocation: every failure sets NS_ENOMEM and returns NULL; nothing aborts. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

void *ns_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		ns_error__set(NS_ENOMEM, "out of memory allocating %zu bytes", n);
	return p;
}

void *ns_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		ns_error__set(NS_ENOMEM, "out of memory allocating %zu x %zu bytes", count, size);
	return p;
}

void *ns_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		ns_error__set(NS_ENOMEM, "out of memory allocating %zu bytes", n);
	return q;
}

void *ns_reallocarray(void *p, size_t count, size_t size)
{
	size_t n;
	if (!ns_mul_ok(count, size, &n)) {
		ns_error__set(NS_ENOMEM, "allocation size overflow (%zu x %zu)", count, size);
		return NULL;
	}
	return ns_realloc(p, n);
}

char *ns_strndup(const char *s, size_t n)
{
	size_t total;
	if (!ns_add_ok(n, 1, &total)) {
		ns_error__set(NS_ENOMEM, "string size overflow");
		return NULL;
	}
	char *p = ns_malloc(total);
	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *ns_strdup(const char *s) { return ns_strndup(s, strlen(s)); }

int ns_grow(void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return ns_error__set(NS_ENOMEM, "array size overflow");
		ncap *= 2;
	}
	void *p = ns_reallocarray(*items, ncap, elem);
	if (!p)
		return NS_ENOMEM;
	*items = p;
	*cap = ncap;
	return 0;
}
