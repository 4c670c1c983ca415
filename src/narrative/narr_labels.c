/* The label space of the narrative classifier, derived from a taxonomy's coarse
 * and fine lists: parents of fine labels, the "<narrative>: Other" fallbacks, the
 * bare "Other" labels and the label domains (the prefix before ": ", e.g. "URW",
 * "CC"), with the file-name domain cue of the shared-task article ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narr.h"

static char **copy_list(const char *const *src, size_t n)
{
	char **dst = ns_calloc(n ? n : 1, sizeof *dst);
	if (!dst)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		dst[i] = ns_strdup(src[i]);
		if (!dst[i]) {
			for (size_t j = 0; j < i; j++)
				free(dst[j]);
			free(dst);
			return NULL;
		}
	}
	return dst;
}

int ns_narr_labels_init(ns_narr_labels *L, const char *const *coarse, size_t ncoarse, const char *const *fine,
			size_t nfine)
{
	memset(L, 0, sizeof *L);
	L->coarse_other = L->fine_other_bare = -1;
	L->coarse = copy_list(coarse, ncoarse);
	L->fine = copy_list(fine, nfine);
	L->ncoarse = ncoarse;
	L->nfine = nfine;
	L->fine_parent = ns_calloc(nfine ? nfine : 1, sizeof *L->fine_parent);
	L->fine_other = ns_calloc(ncoarse ? ncoarse : 1, sizeof *L->fine_other);
	L->coarse_domain = ns_calloc(ncoarse ? ncoarse : 1, sizeof *L->coarse_domain);
	if (!L->coarse || !L->fine || !L->fine_parent || !L->fine_other || !L->coarse_domain) {
		ns_narr_labels_free(L);
		return NS_ENOMEM;
	}
	for (size_t c = 0; c < ncoarse; c++) {
		L->fine_other[c] = -1;
		L->coarse_domain[c] = -1;
		if (strcmp(coarse[c], "Other") == 0)
			L->coarse_other = (int32_t)c;
		const char *colon = strstr(coarse[c], ": ");
		size_t dl = colon ? (size_t)(colon - coarse[c]) : 0;
		if (dl == 0 || dl > 8 || memchr(coarse[c], ' ', dl))
			continue;
		size_t d = 0;
		while (d < L->ndomains && !(strlen(L->domains[d]) == dl && memcmp(L->domains[d], coarse[c], dl) == 0))
			d++;
		if (d == L->ndomains) {
			if (L->ndomains == NS_NARR_MAX_DOMAINS)
				continue;
			L->domains[d] = ns_strndup(coarse[c], dl);
			if (!L->domains[d]) {
				ns_narr_labels_free(L);
				return NS_ENOMEM;
			}
			L->ndomains++;
		}
		L->coarse_domain[c] = (int32_t)d;
	}
	for (size_t f = 0; f < nfine; f++) {
		int32_t best = -1;
		size_t bestlen = 0, fl = strlen(fine[f]);
		if (strcmp(fine[f], "Other") == 0) {
			L->fine_other_bare = (int32_t)f;
			best = L->coarse_other;
		}
		for (size_t c = 0; c < ncoarse; c++) {
			size_t cl = strlen(coarse[c]);
			if (cl + 2 <= fl && cl > bestlen && memcmp(fine[f], coarse[c], cl) == 0 && fine[f][cl] == ':' &&
			    fine[f][cl + 1] == ' ') {
				best = (int32_t)c;
				bestlen = cl;
			}
		}
		L->fine_parent[f] = best;
		if (best >= 0 && bestlen > 0 && strcmp(fine[f] + bestlen + 2, "Other") == 0)
			L->fine_other[best] = (int32_t)f;
	}
	return 0;
}

void ns_narr_labels_free(ns_narr_labels *L)
{
	if (!L)
		return;
	if (L->coarse)
		for (size_t i = 0; i < L->ncoarse; i++)
			free(L->coarse[i]);
	if (L->fine)
		for (size_t i = 0; i < L->nfine; i++)
			free(L->fine[i]);
	for (size_t d = 0; d < L->ndomains; d++)
		free(L->domains[d]);
	free(L->coarse);
	free(L->fine);
	free(L->fine_parent);
	free(L->fine_other);
	free(L->coarse_domain);
	memset(L, 0, sizeof *L);
}

int ns_narr_labels_domain_of_id(const ns_narr_labels *L, const char *id)
{
	for (size_t d = 0; d < L->ndomains; d++) {
		char pat[16];
		snprintf(pat, sizeof pat, "_%s_", L->domains[d]);
		if (strstr(id, pat))
			return (int)d;
		/* the shared task names Ukraine-Russia war articles *_UA_* */
		if (strcmp(L->domains[d], "URW") == 0 && (strstr(id, "_UA_") || strstr(id, "URW")))
			return (int)d;
	}
	return -1;
}
