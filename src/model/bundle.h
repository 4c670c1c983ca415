/* The model bundle container (*.nsm): named sections in one memory-mappable file.
 *
 * This is the only code that knows the file layout (see bundle.c for the format
 * and its version history). Stages store their own data as sections and read
 * them back through the bounds-checked cursor in ser.h; they never see offsets.
 * Section names are short ASCII strings such as "manifest", "taxonomy",
 * "narr.weights". Section data is 16-byte aligned in the file. */
#ifndef NS_MODEL_BUNDLE_H
#define NS_MODEL_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

typedef struct ns_bundle ns_bundle;
typedef struct ns_bundle_writer ns_bundle_writer;

/* Opens and validates a bundle (magic, version, section table, checksums).
 * Each failure has its own message naming the file: truncated, corrupted section
 * (checksum), wrong magic, newer format version. */
int ns_bundle_open(ns_bundle **out, const char *path);
/* Same over a memory buffer (borrowed; must outlive the bundle). For fuzzing. */
int ns_bundle_open_mem(ns_bundle **out, const void *data, size_t len, const char *name);
void ns_bundle_close(ns_bundle *b);
/* Borrowed pointer to a section's bytes; NS_ENOTFOUND (no message set) if absent. */
int ns_bundle_section(const ns_bundle *b, const char *name, const void **data, size_t *len);
size_t ns_bundle_nsections(const ns_bundle *b);
/* i-th section name/len in file order. */
const char *ns_bundle_section_at(const ns_bundle *b, size_t i, size_t *len);
const char *ns_bundle_path(const ns_bundle *b);
uint32_t ns_bundle_version(const ns_bundle *b);
/* Offset in the file and stored CRC-32 of the i-th section (for model dump);
 * NS_ENOTFOUND when i is out of range. Either out pointer may be NULL. */
int ns_bundle_section_info(const ns_bundle *b, size_t i, uint64_t *offset, uint32_t *crc);
/* Total size of the bundle in bytes; whether it is memory-mapped (1) or read. */
size_t ns_bundle_size(const ns_bundle *b);
int ns_bundle_mapped(const ns_bundle *b);
/* The newest format version this build reads and writes. */
uint32_t ns_bundle_format_version(void);

int ns_bundle_writer_new(ns_bundle_writer **out);
/* Copies data; a repeated name is an error. */
int ns_bundle_writer_add(ns_bundle_writer *w, const char *name, const void *data, size_t len);
/* Writes atomically (temp + fsync + rename). Deterministic: same sections in the
 * same order give the same bytes. */
int ns_bundle_writer_write(ns_bundle_writer *w, const char *path);
/* The bytes ns_bundle_writer_write would write, in a new buffer the caller frees
 * (for tests, fuzz corpora and in-memory use). */
int ns_bundle_writer_serialize(ns_bundle_writer *w, char **out, size_t *len);
void ns_bundle_writer_free(ns_bundle_writer *w);

#endif
