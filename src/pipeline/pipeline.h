/* Internals of the analysis pipeline shared by model.c, pipeline.c, batch.c and the
 * writers above it (CLI, HTML report): the concrete model and analysis types. */
#ifndef NS_PIPELINE_PIPELINE_H
#define NS_PIPELINE_PIPELINE_H

#include "narrascope/analyze.h"
#include "narrascope/model.h"
#include "../model/bundle.h"
#include "../text/doc.h"
#include "stage.h"

struct ns_model {
	char *path;
	ns_bundle *bundle;
	void **states; /* one per ns_stages entry; NULL = stage inactive for this bundle */
};

struct ns_analysis {
	ns_doc doc;          /* every layer; doc.text points at text */
	char *text;          /* owned, repaired copy of the input */
	const ns_model *model;
};

/* ns_model_open over a bundle in memory, data[0..len) (borrowed: it must outlive
 * the model), named `name` in messages; for fuzzing the section loaders. */
int ns_model__open_mem(ns_model **out, const void *data, size_t len, const char *name);

/* The document behind an analysis, for writers (HTML report, TSV). Borrowed. */
const ns_doc *ns_pipeline__doc(const ns_analysis *a);

/* Appends compact JSON json[0..n) (as written by this library) re-indented with
 * two spaces per level, starting at `indent` levels. Containers without nested
 * containers whose compact form is short stay on one line. */
int ns_pipeline__json_pretty(ns_buf *out, const char *json, size_t n, int indent);

/* Name of an ns_clean_kind for JSON ("share", "copyright", ...). */
const char *ns_pipeline__clean_kind(int kind);

#endif
