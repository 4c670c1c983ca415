/* The "entities" analysis stage and its JSON writer.
 *
 * Loading: the gazetteer comes from the model bundle section "gazetteer" when
 * the bundle has one (a trained model snapshots the gazetteer it was trained
 * with); otherwise from $NARRASCOPE_DATA/entities.tsv when NARRASCOPE_DATA is set,
 * else from data/entities.tsv relative to the working directory. When none of
 * these exists the stage is inactive (state NULL); a file that exists but is
 * malformed is an error naming file:line.
 *
 * JSON: `"entities":[{"id","name","type","mentions":[{"start","end","text"}]}]`
 * with code-point offsets (half-open) into the original text; the framing stage
 * adds "role" through layer->write_role. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../pipeline/stage.h"
#include "internal.h"

static int stage_load(void **state, const ns_bundle *b)
{
	*state = NULL;
	ns_gazetteer *g = NULL;
	int rc = ns_gazetteer_load_bundle(&g, b);
	if (rc == 0) {
		*state = g;
		return 0;
	}
	if (rc != NS_ENOTFOUND)
		return rc;
	const char *dir = getenv("NARRASCOPE_DATA");
	char path[4096];
	if (dir && *dir) {
		if ((size_t)snprintf(path, sizeof path, "%s/entities.tsv", dir) >= sizeof path)
			return ns_error__set(NS_EINVAL, "NARRASCOPE_DATA is too long");
	} else {
		snprintf(path, sizeof path, "data/entities.tsv");
	}
	if (access(path, R_OK) != 0)
		return 0; /* no gazetteer anywhere: stage inactive */
	rc = ns_gazetteer_load(&g, path);
	if (rc < 0)
		return rc;
	*state = g;
	return 0;
}

static void stage_unload(void *state)
{
	ns_gazetteer_free(state);
}

static int stage_run(ns_doc *doc, const void *state, void *const *all)
{
	(void)all;
	return ns_entity_detect(doc, state);
}

int ns_entity_write_json(ns_buf *out, const ns_doc *doc)
{
	const ns_entity_layer *L = ns_entity_layer_of(doc);
	if (!L)
		return 0;
	ns_buf_puts(out, ",\"entities\":[");
	for (size_t i = 0; i < L->nentities; i++) {
		const ns_entity *e = &L->entities[i];
		if (i)
			ns_buf_putc(out, ',');
		ns_buf_puts(out, "{\"id\":");
		ns_buf_json_str(out, e->id, strlen(e->id));
		ns_buf_puts(out, ",\"name\":");
		ns_buf_json_str(out, e->name, strlen(e->name));
		ns_buf_puts(out, ",\"type\":");
		const char *t = ns_entity_type_name(e->type);
		ns_buf_json_str(out, t, strlen(t));
		ns_buf_puts(out, ",\"mentions\":[");
		for (uint32_t j = 0; j < e->nmentions; j++) {
			const ns_mention *x = &L->mentions[e->mentions[j]];
			ns_buf_printf(out, "%s{\"start\":%u,\"end\":%u,\"text\":", j ? "," : "", x->start, x->end);
			ns_buf_json_str(out, doc->text + x->bstart, x->bend - x->bstart);
			ns_buf_putc(out, '}');
		}
		ns_buf_putc(out, ']');
		if (e->role && L->write_role) {
			int rc = L->write_role(out, e, L->role_payload);
			if (rc < 0)
				return rc;
		}
		ns_buf_putc(out, '}');
	}
	ns_buf_putc(out, ']');
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}

static int stage_write_json(ns_buf *out, const ns_doc *doc, const void *state)
{
	(void)state;
	return ns_entity_write_json(out, doc);
}

const ns_stage ns_stage_entities = {
	"entities", stage_load, stage_unload, stage_run, stage_write_json,
};
