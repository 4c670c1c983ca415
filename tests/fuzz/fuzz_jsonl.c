/* Fuzz target for the document readers: the input is read as a JSONL stream and,
 * independently, as one plain-text document, through ns_input_open_mem (line
 * splitting, the strict JSON object parser, limits and the text/binary check). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(const char *name, const uint8_t *data, size_t size, size_t max_bytes)
{
	ns_input_opts o = NS_INPUT_OPTS_INIT;
	o.max_bytes = max_bytes;
	ns_input *in = NULL;
	if (ns_input_open_mem(&in, name, data, size, &o) < 0)
		return;
	ns_input_doc d;
	size_t guard = 0;
	while (ns_input_next(in, &d) > 0 && guard++ < 100000) {
		/* every accepted document is NUL-free text of the announced length */
		if (!d.error && (!d.text || strlen(d.text) != d.len || !d.len || !d.id || !d.path))
			abort();
		if (!d.error && max_bytes && d.len > max_bytes)
			abort();
		if (d.error && (!d.message || d.text))
			abort();
		ns_input_doc_release(&d);
	}
	ns_input_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	drain("fuzz.jsonl", data, size, 0);
	drain("fuzz.jsonl", data, size, 64); /* small limit: exercises the line cap */
	drain("fuzz.txt", data, size, 0);
	return 0;
}
