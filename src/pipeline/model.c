/* ns_model: opens a model bundle and loads every stage's read-only state from it
 * (stage.h); the loaded model is immutable and shared by all analysis threads.
 * A NULL path loads the stages without a bundle (stage.h: b == NULL).
 * NARRASCOPE_LAYERS="name,name" (stage names of stages.c: entities, narratives,
 * frame, claims, explanation) loads only those stages, the others stay off as if
 * their sections were absent; `make bench` times layer subsets this way. */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

/* 1 when stage `name` is in the comma-separated list (NULL or empty: all stages). */
static int layer_on(const char *list, const char *name)
{
	if (!list || !*list)
		return 1;
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, name, n) == 0)
			return 1;
		p += len + (e != NULL);
	}
	return 0;
}

/* 0 when every name in the list is a stage of stages.c; else an error naming it. */
static int layers_check(const char *list)
{
	if (!list)
		return 0;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int known = 0;
		for (size_t i = 0; i < ns_nstages && !known; i++)
			known = strlen(ns_stages[i]->name) == len && memcmp(p, ns_stages[i]->name, len) == 0;
		if (!known && len > 0)
			return ns_error__set(NS_EINVAL,
					     "NARRASCOPE_LAYERS: unknown stage '%.*s' (stages: entities, narratives, "
					     "frame, claims, explanation)",
					     (int)(len > 64 ? 64 : len), p);
		p += len + (e != NULL);
	}
	return 0;
}

/* Opens a model from path, or from the in-memory bundle data[0..len) named
 * path when data is not NULL (borrowed; it must outlive the model). */
static int model_open(ns_model **out, const char *path, const void *data, size_t len)
{
	int rc = 0;
	ns_model *m = NULL;
	if (!out)
		return ns_error__set(NS_EINVAL, "ns_model_open: no output pointer");
	*out = NULL;
	m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	m->path = path ? ns_strdup(path) : NULL;
	m->states = ns_calloc(ns_nstages + 1, sizeof *m->states);
	if ((path && !m->path) || !m->states) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	/* without a path the stages load with no bundle: those built on shipped
	 * lexicons or data files (entities, quotes) work, trained ones stay off */
	if (data)
		rc = ns_bundle_open_mem(&m->bundle, data, len, path);
	else if (path)
		rc = ns_bundle_open(&m->bundle, path);
	if (rc < 0)
		goto cleanup;
	const char *layers = getenv("NARRASCOPE_LAYERS");
	if ((rc = layers_check(layers)) < 0)
		goto cleanup;
	for (size_t i = 0; i < ns_nstages; i++) {
		const ns_stage *st = ns_stages[i];
		if (!st->load || !layer_on(layers, st->name))
			continue;
		if ((rc = st->load(&m->states[i], m->bundle)) < 0) {
			ns_error__wrap(rc, "%s: stage %s", path ? path : "(no model)", st->name);
			goto cleanup;
		}
	}
	*out = m;
	m = NULL;
cleanup:
	ns_model_free(m);
	return rc;
}

NS_API int ns_model_open(ns_model **out, const char *path)
{
	return model_open(out, path, NULL, 0);
}

int ns_model__open_mem(ns_model **out, const void *data, size_t len, const char *name)
{
	if (!data || !name)
		return ns_error__set(NS_EINVAL, "ns_model_open: no bundle data or name");
	return model_open(out, name, data, len);
}

NS_API const char *ns_model_path(const ns_model *model)
{
	return model ? model->path : NULL;
}

NS_API void ns_model_free(ns_model *m)
{
	if (!m)
		return;
	if (m->states) {
		for (size_t i = ns_nstages; i-- > 0;)
			if (m->states[i] && ns_stages[i]->unload)
				ns_stages[i]->unload(m->states[i]);
		free(m->states);
	}
	ns_bundle_close(m->bundle);
	free(m->path);
	free(m);
}
