/* The task table shared by `narrascope train`, `cv` and `predict`: one entry per
 * trainable task (narratives, framing, explanations, ...).
 *
 * DESIGN: a task is three functions over the parsed common options. Each task
 * lives in its own file (src/cli/task_<name>.c) and defines
 * `const ns_task ns_task_<name>`; src/cli/tasks.c lists them with ONE line each
 * (`X(name)`) in its NS_TASK_LIST. `train --task all` calls every task's train, in list order, on one
 * ns_bundle_writer, so later tasks may rely on sections written by earlier ones
 * (narratives comes first). Every function returns 0 or a negative NS_E* with the
 * message set (ns_error__set); the command prints it and exits 1. */
#ifndef NS_CLI_TASKS_H
#define NS_CLI_TASKS_H

#include <stddef.h>
#include <stdio.h>

#include "../model/bundle.h"
#include "../util/util.h"

#define NS_TASK_MAX_DATA 32

/* Options common to train/cv/predict, filled by the command from argv. Fields a
 * command does not use are zero/NULL. Strings are borrowed from argv. */
typedef struct ns_task_opts {
	const char *data[NS_TASK_MAX_DATA + 1]; /* --data DIR... (NULL-terminated); each DIR is a
						   language dir (has raw-documents/) or a parent of them */
	size_t ndata;
	const char *taxonomy;   /* --taxonomy DIR (narratives.txt, subnarratives.txt, ...) */
	unsigned long seed;     /* --seed (default 1) */
	int folds;              /* --folds (default 5) */
	int threads;            /* -j (default 1) */
	int progress;           /* 1: progress lines on stderr (default 1, --quiet sets 0) */
	const char *params;     /* --params "k=v,k=v": task-specific hyper-parameters, NULL = defaults */
	const char *dump_folds; /* cv --dump-folds FILE (article_id<TAB>lang<TAB>fold), may be NULL */
	const char *mentions;   /* predict --mentions FILE (framing), may be NULL */
	const char *model;      /* predict/cv: --model path, may be NULL */
	int cv;                 /* train --cv: also cross-validate (o->folds, o->seed) and record
				   the scores as cv.<task>.* manifest rows */
} ns_task_opts;

typedef struct ns_task {
	const char *name;    /* "narratives" */
	const char *summary; /* one line for --help */
	/* Trains on o->data with o->taxonomy and adds the task's sections to w, and
	 * appends its manifest rows to `manifest` with ns_manifest_put* (src/model/
	 * manifest.h): param.<task>.<name>, data.<task>.*, cv.<task>.<metric>.<lang|mean>.
	 * The command itself writes the "manifest" section (created-by, build-version,
	 * task, data-digest over all files of the data dirs and taxonomy, then the tasks'
	 * rows in task order) and the "taxonomy" section (coarse, fine and role rows
	 * from o->taxonomy), so tasks must not add those two. NULL if not trainable. */
	int (*train)(ns_bundle_writer *w, ns_buf *manifest, const ns_task_opts *o);
	/* Cross-validates on o->data with o->folds folds (ns_folds_assign in
	 * src/learn/folds.h, so every task uses the same split) and prints the report to
	 * out. NULL when not supported. */
	int (*cv)(const ns_task_opts *o, FILE *out);
	/* Predicts with the bundle for the inputs (files or directories; article id =
	 * file name) and writes the task's official TSV to out_path ("-" = stdout)
	 * atomically. Output order is independent of o->threads. NULL if unsupported. */
	int (*predict)(const ns_bundle *b, const ns_task_opts *o, const char *const *inputs, size_t ninputs,
		       const char *out_path);
} ns_task;

extern const ns_task *const ns_tasks[];
extern const size_t ns_ntasks;

/* The task named `name`, or NULL. */
const ns_task *ns_task_find(const char *name);
/* Writes "narratives, framing, ..." (for usage messages) into buf. */
void ns_task_names(char *buf, size_t cap);
/* The taxonomy dir: o->taxonomy, else the first of DATA/../taxonomy,
 * DATA/../../taxonomy, DATA/taxonomy (DATA = first --data) holding narratives.txt. */
int ns_task_taxonomy_dir(char *buf, size_t cap, const ns_task_opts *o);
/* "ns64:<16 hex>" digest of every regular file under the data dirs and the
 * taxonomy dir (relative paths and contents, in sorted order). */
int ns_task_data_digest(char *buf, size_t cap, const ns_task_opts *o, const char *taxonomy_dir);
/* Sets the defaults (seed 1, folds 5, threads 1, progress 1). */
void ns_task_opts_init(ns_task_opts *o);
/* Fills the options train and cv share from their parsed command line: data dirs
 * (NULL-terminated), taxonomy, seed, folds, threads, quiet flag and --params. */
void ns_task_opts_common(ns_task_opts *o, const char *const *data, const char *taxonomy, long seed, long folds,
			 long threads, int quiet, const char *params);

/* The framing task's framed/unframed entity model (task_salience.c): examples
 * are the detected entities of the annotated training articles, in document
 * order. */
struct ns_doc;
struct ns_task_doc;
struct ns_frame_example;
typedef struct ns_task_sal {
	struct ns_frame_example *ex; /* main 0: framed, 1: unframed */
	const struct ns_task_doc **doc;
	uint32_t *nm; /* mentions of the entity */
	size_t n, cap;
} ns_task_sal;
/* Adds the entities of doc (text, entity layer; fx: its role-feature context)
 * with labels from td's mentions. */
struct ns_frame_docctx;
int ns_task_sal_collect(ns_task_sal *s, const struct ns_doc *doc, const struct ns_task_doc *td,
			const struct ns_frame_docctx *fx);
void ns_task_sal_free(ns_task_sal *s);
/* k-fold CV on the document folds dfold[ndocs] (docs in corpus order): prints per
 * language and mean AUC / P / R / F1 to out (may be NULL), and puts the means in
 * the manifest (may be NULL). */
int ns_task_sal_cv(const ns_task_sal *s, const struct ns_task_doc *const *docs, const int *dfold, size_t ndocs,
		   int k, int threads, FILE *out, ns_buf *manifest);
/* Trains on every example into section NS_FRAME_SALIENCE_SECTION (nothing when
 * there is no example). */
int ns_task_sal_train(ns_bundle_writer *w, ns_task_sal *s, int threads, ns_buf *manifest);

#endif
