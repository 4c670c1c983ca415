/* The "narratives" analysis stage: loads the narrative classifier from the
 * bundle (absent sections: stage skipped), predicts each document's narratives
 * and subnarratives with evidence sentences, and writes
 *   "narratives":[{"label","score","evidence":[{"start","end"}],
 *                  "subnarratives":[{"label","score","evidence":[...]}]}]
 * Spans are code points of the original text, half-open. */
#include <stdlib.h>
#include <string.h>

#include "../pipeline/stage.h"
#include "narr.h"

static int narr_load(void **state, const ns_bundle *b)
{
	ns_narr_model *m = NULL;
	*state = NULL;
	if (!b)
		return 0;
	int rc = ns_narr_model_load(&m, b);
	if (rc == NS_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	*state = m;
	return 0;
}

static void narr_unload(void *state)
{
	ns_narr_model_free(state);
}

static int narr_run(ns_doc *doc, const void *state, void *const *all)
{
	(void)all;
	ns_fbag bag = NS_FBAG_INIT;
	ns_narr_layer *L = NULL;
	int rc = ns_narr_predict_doc(&L, state, doc, &bag, 1);
	ns_fbag_free(&bag);
	if (rc < 0)
		return rc;
	doc->narratives = L;
	return 0;
}

static void write_item(ns_buf *out, const ns_narr_item *it)
{
	ns_buf_puts(out, "{\"label\":");
	ns_buf_json_str(out, it->label, strlen(it->label));
	ns_buf_puts(out, ",\"score\":");
	ns_buf_json_num(out, it->score, 3);
	ns_buf_puts(out, ",\"evidence\":[");
	for (size_t e = 0; e < it->nev; e++)
		ns_buf_printf(out, "%s{\"start\":%u,\"end\":%u}", e ? "," : "", it->ev[e].start, it->ev[e].end);
	ns_buf_putc(out, ']');
}

static int narr_write_json(ns_buf *out, const ns_doc *doc, const void *state)
{
	const ns_narr_layer *L = doc->narratives;
	(void)state;
	if (!L)
		return 0;
	ns_buf_puts(out, ",\"narratives\":[");
	for (size_t i = 0; i < L->n; i++) {
		const ns_narr_item *it = &L->items[i];
		if (i)
			ns_buf_putc(out, ',');
		write_item(out, it);
		ns_buf_puts(out, ",\"subnarratives\":[");
		for (size_t j = 0; j < it->nsubs; j++) {
			if (j)
				ns_buf_putc(out, ',');
			write_item(out, &it->subs[j]);
			ns_buf_putc(out, '}');
		}
		ns_buf_puts(out, "]}");
	}
	ns_buf_putc(out, ']');
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}

const ns_stage ns_stage_narratives = {
	"narratives", narr_load, narr_unload, narr_run, narr_write_json,
};
