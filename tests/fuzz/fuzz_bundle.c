/* Fuzz target for the model bundle loader (ns_bundle_open_mem) and the text
 * rows of its manifest/taxonomy sections. Any input must give 0 or a one-line
 * error, never a crash, a hang or a leak. Corpus: tests/fuzz/corpus/bundle/
 * (regenerate with tests/fuzz/corpus/bundle/gen.py). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/bundle.h"
#include "model/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ns_bundle *b = NULL;
	if (ns_bundle_open_mem(&b, data, size, "fuzz.nsm") < 0) {
		/* every failure leaves a one-line message naming the input */
		const char *msg = ns_error_last();
		if (!strstr(msg, "fuzz.nsm") || strchr(msg, '\n'))
			__builtin_trap();
		return 0;
	}
	uint32_t sum = 0;
	for (size_t i = 0; i < ns_bundle_nsections(b); i++) {
		size_t len;
		const void *d;
		const char *name = ns_bundle_section_at(b, i, &len);
		if (!name || ns_bundle_section(b, name, &d, &len) < 0)
			__builtin_trap();
		/* every validated section lies inside the input */
		const uint8_t *p = d;
		if (len > size || p < data || (size_t)(p - data) > size - len)
			__builtin_trap();
		if (len)
			sum += ((const unsigned char *)d)[len - 1];
		ns_manifest *m = NULL;
		if (ns_manifest_parse(&m, d, len, name) == 0) {
			for (size_t r = 0; r < ns_manifest_nrows(m); r++) {
				const char *const *f;
				size_t nf = ns_manifest_row(m, r, &f);
				for (size_t k = 0; k < nf; k++)
					sum += (uint32_t)strlen(f[k]);
			}
			double mean, sd;
			ns_manifest_parse_score(ns_manifest_get(m, "cv.x"), &mean, &sd);
		}
		ns_manifest_free(m);
	}
	ns_bundle_close(b);
	return (int)(sum & 0);
}
