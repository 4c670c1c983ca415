/* Fuzz target for the section loaders of a model bundle and for the use of what
 * they load: a model whose sections carry valid checksums but hostile contents
 * (bounds, counts, dimensions, parameter text) must be refused with a one-line
 * error naming it, or be safe to analyse and predict with.
 *
 * DESIGN: fuzz_bundle covers the container; a mutated section there fails its
 * CRC-32, so the loaders behind it (narr.params, narr.weights, the knn and
 * stack sections, frame.model, the gazetteer, expl.model, taxonomy, manifest)
 * are never reached. Here the input is a list of sections,
 *   repeat { u8 name length (1-31) | name | u32 LE data length | data }
 * (a short last record takes the bytes that are left), written into a bundle
 * with fresh checksums (ns_bundle_writer_serialize) and opened from memory as a
 * whole model (every stage loads). A model that opens analyses two short
 * articles of its own (every layer, the JSON written) and predicts the
 * narratives of each as `narrascope predict` does (no evidence, the decision
 * path). Corpus: tests/fuzz/corpus/model/ (regenerate with gen.sh there). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/bundle.h"
#include "narrascope/narrascope.h"
#include "narrative/narr.h"
#include "pipeline/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const texts[] = {
	"Wind turbines stood still again this week, and the grid operator fired up two coal plants.\n"
	"Critics said wind power is unreliable and expensive.\n",
	"Москва заявила, что НАТО провоцира войната, каза говорителят.\n"
	"The minister denied it: \"We never moved weapons to the border,\" she said on Tuesday.\n",
};

/* Builds the bundle the input describes; NULL when no section could be added. */
static char *build(const uint8_t *data, size_t size, size_t *len)
{
	ns_bundle_writer *w = NULL;
	char *out = NULL;
	size_t added = 0;
	if (ns_bundle_writer_new(&w) < 0)
		abort();
	while (size >= 1) {
		size_t nl = data[0];
		if (nl == 0 || nl > 31 || size < 1 + nl + 4)
			break;
		char name[32];
		memcpy(name, data + 1, nl);
		name[nl] = '\0';
		uint32_t dl = (uint32_t)data[1 + nl] | (uint32_t)data[2 + nl] << 8 | (uint32_t)data[3 + nl] << 16 |
			      (uint32_t)data[4 + nl] << 24;
		data += 1 + nl + 4;
		size -= 1 + nl + 4;
		if (dl > size)
			dl = (uint32_t)size;
		/* a name with a NUL inside or repeated is refused by the writer: skipped */
		if (strlen(name) == nl && ns_bundle_writer_add(w, name, data, dl) == 0)
			added++;
		data += dl;
		size -= dl;
	}
	if (added && ns_bundle_writer_serialize(w, &out, len) < 0)
		abort();
	ns_bundle_writer_free(w);
	return out;
}

static const ns_narr_model *narratives_of(const ns_model *m)
{
	for (size_t i = 0; i < ns_nstages; i++)
		if (strcmp(ns_stages[i]->name, "narratives") == 0)
			return m->states[i];
	return NULL;
}

static void use(const ns_model *m)
{
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		ns_analyze_opts o = NS_ANALYZE_OPTS_INIT;
		o.id = "fuzz";
		ns_analysis *a = NULL;
		if (ns_analyze(&a, m, texts[t], strlen(texts[t]), &o) == 0) {
			char *json = NULL;
			size_t len = 0;
			if (ns_analysis_write_json(a, NS_JSON_COMPACT, &json, &len) == 0)
				free(json);
		}
		ns_analysis_free(a);
		const ns_narr_model *nm = narratives_of(m);
		if (!nm)
			continue;
		ns_doc doc;
		ns_doc_init(&doc, texts[t], strlen(texts[t]));
		ns_text_opts to = NS_TEXT_OPTS_INIT;
		ns_fbag bag = NS_FBAG_INIT;
		ns_narr_layer *L = NULL;
		if (ns_text_process(&doc, &to) == 0 && ns_narr_predict_doc(&L, nm, &doc, &bag, 0) == 0) {
			/* the decision names labels of the model's own label space */
			for (size_t i = 0; i < L->dec.ncoarse; i++)
				if (L->dec.coarse[i] < 0 || (size_t)L->dec.coarse[i] >= nm->L.ncoarse)
					abort();
			for (size_t i = 0; i < L->dec.nfine; i++)
				if (L->dec.fine[i] < 0 || (size_t)L->dec.fine[i] >= nm->L.nfine)
					abort();
		}
		ns_fbag_free(&bag);
		ns_doc_release(&doc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0;
	char *bundle = build(data, size, &len);
	if (!bundle)
		return 0;
	ns_model *m = NULL;
	if (ns_model__open_mem(&m, bundle, len, "fuzz.nsm") < 0) {
		/* every refusal is one line naming the model */
		const char *msg = ns_error_last();
		if (!strstr(msg, "fuzz.nsm") || strchr(msg, '\n'))
			abort();
	} else {
		use(m);
	}
	ns_model_free(m);
	free(bundle);
	if (size & 1)
		ns_thread_release();
	return 0;
}
