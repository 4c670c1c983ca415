/* narrascope train: trains one task, or every trainable task (--task all), into
 * one model bundle, with the "manifest" and "taxonomy" sections shared by all
 * tasks (see tasks.h for who writes what). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/taxonomy.h"
#include "../model/bundle.h"
#include "../model/manifest.h"
#include "cli.h"
#include "narrascope/version.h"
#include "tasks.h"

static int taxonomy_section(ns_buf *b, const char *dir)
{
	ns_taxonomy *t = NULL;
	int rc = ns_taxonomy_load(&t, dir);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < ns_taxonomy_ncoarse(t); i++)
		ns_manifest_put_label(b, "coarse", ns_taxonomy_coarse(t, i), NULL);
	for (size_t i = 0; i < ns_taxonomy_nfine(t); i++) {
		int32_t p = ns_taxonomy_fine_parent(t, i);
		ns_manifest_put_label(b, "fine", ns_taxonomy_fine(t, i), p >= 0 ? ns_taxonomy_coarse(t, (size_t)p) : NULL);
	}
	for (size_t i = 0; i < ns_taxonomy_nfine_roles(t); i++)
		ns_manifest_put_label(b, "role", ns_taxonomy_main_role(t, (size_t)ns_taxonomy_fine_role_main(t, i)),
				      ns_taxonomy_fine_role(t, i));
	ns_taxonomy_free(t);
	return ns_buf_failed(b) ? NS_ENOMEM : 0;
}

int ns_cmd_train(int argc, char **argv)
{
	const char *task = NULL, *taxonomy = NULL, *params = NULL, *outp = NULL;
	const char *data[NS_TASK_MAX_DATA + 1] = {NULL};
	long seed = 1, folds = 5, threads = 1;
	int quiet = 0, cv = 0, ret = NS_EXIT_ERROR;
	char names[256], taskhelp[320], tdir[4096], digest[64];
	ns_bundle_writer *w = NULL;
	ns_buf man = NS_BUF_INIT, tasks = NS_BUF_INIT, rows = NS_BUF_INIT, tax = NS_BUF_INIT;
	ns_task_names(names, sizeof names);
	snprintf(taskhelp, sizeof taskhelp, "task to train: %s, or all", names);
	const ns_opt opts[] = {
		{0, "task", NS_OPT_STRING, &task, "NAME", taskhelp, 0, 0},
		{0, "data", NS_OPT_MULTI, data, "DIR", "labelled data: a language dir or a parent of them (repeatable)", 0,
		 NS_TASK_MAX_DATA + 1},
		{0, "taxonomy", NS_OPT_STRING, &taxonomy, "DIR", "taxonomy dir (default: DIR/../taxonomy of the first --data)", 0, 0},
		{'o', "output", NS_OPT_STRING, &outp, "FILE", "model bundle to write (.nsm)", 0, 0},
		{0, "seed", NS_OPT_INT, &seed, "S", "training seed (default 1)", 0, 2147483647L},
		{'j', "threads", NS_OPT_INT, &threads, "N", "training threads (default 1; the model does not depend on it)", 1, 64},
		{0, "params", NS_OPT_STRING, &params, "K=V,...", "task hyper-parameters (names as in the manifest)", 0, 0},
		{0, "cv", NS_OPT_FLAG, &cv, NULL, "also cross-validate and record the scores in the manifest", 0, 0},
		{0, "folds", NS_OPT_INT, &folds, "K", "folds for --cv (default 5)", 2, 50},
		{'q', "quiet", NS_OPT_FLAG, &quiet, NULL, "no progress on stderr", 0, 0},
		{0, NULL, 0, NULL, NULL, NULL, 0, 0},
	};
	const ns_cmd_spec spec = {"train", "--task NAME|all --data DIR... -o FILE [options]",
				  "Train a model bundle from labelled data (SemEval-2025 layout: DIR/<LANG>/raw-documents, "
				  "subtask-*-annotations.txt) and a taxonomy (narratives.txt, subnarratives.txt, ...).",
				  "Training is deterministic: the same data, parameters and seed give the same bytes.", opts};
	char **pos;
	int npos;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (!task || !data[0] || !outp || npos > 0) {
		ns_cli_error("train: %s (see narrascope train --help)",
			     npos > 0 ? "unexpected argument" : "--task, --data and -o are required");
		return NS_EXIT_USAGE;
	}
	int all = strcmp(task, "all") == 0;
	const ns_task *one = all ? NULL : ns_task_find(task);
	if (!all && !one) {
		ns_cli_error("train: unknown task '%s' (tasks: %s, all)", task, names);
		return NS_EXIT_USAGE;
	}
	if (one && !one->train) {
		ns_cli_error("train: task '%s' cannot be trained", task);
		return NS_EXIT_USAGE;
	}
	ns_task_opts o;
	ns_task_opts_common(&o, data, taxonomy, seed, folds, threads, quiet, params);
	o.cv = cv;
	if (ns_task_taxonomy_dir(tdir, sizeof tdir, &o) < 0 || ns_task_data_digest(digest, sizeof digest, &o, tdir) < 0 ||
	    taxonomy_section(&tax, tdir) < 0 || ns_bundle_writer_new(&w) < 0) {
		ns_cli_error("train: %s", ns_error_last());
		goto cleanup;
	}
	o.taxonomy = tdir;
	for (size_t i = 0; i < ns_ntasks; i++) {
		const ns_task *t = ns_tasks[i];
		if ((one && t != one) || !t->train)
			continue;
		if (o.progress)
			fprintf(stderr, "train: task %s\n", t->name);
		if (t->train(w, &rows, &o) < 0) {
			ns_cli_error("train: %s: %s", t->name, ns_error_last());
			goto cleanup;
		}
		ns_buf_printf(&tasks, "%s%s", tasks.size ? "," : "", t->name);
	}
	ns_buf cmd = NS_BUF_INIT;
	/* the flags that determine the bytes (not paths, not -j): enough to retrain */
	ns_buf_printf(&cmd, "narrascope train --task %s --seed %lu", task, o.seed);
	if (o.cv)
		ns_buf_printf(&cmd, " --cv --folds %d", o.folds);
	if (o.params)
		ns_buf_printf(&cmd, " --params %s", o.params);
	ns_manifest_put(&man, "created-by", cmd.ptr ? cmd.ptr : "narrascope train");
	ns_buf_free(&cmd);
	ns_manifest_put(&man, "build-version", ns_version());
	ns_manifest_put(&man, "task", tasks.ptr ? tasks.ptr : "");
	ns_manifest_put(&man, "data-digest", digest);
	ns_manifest_putf(&man, "param.seed", "%lu", o.seed);
	if (rows.size)
		ns_buf_put(&man, rows.ptr, rows.size);
	if (ns_buf_failed(&man) || ns_buf_failed(&rows) || ns_buf_failed(&tasks)) {
		ns_cli_error("train: out of memory");
		goto cleanup;
	}
	if (ns_bundle_writer_add(w, NS_SECTION_MANIFEST, man.ptr, man.size) < 0 ||
	    ns_bundle_writer_add(w, NS_SECTION_TAXONOMY, tax.ptr ? tax.ptr : "", tax.size) < 0 ||
	    ns_bundle_writer_write(w, outp) < 0) {
		ns_cli_error("train: %s", ns_error_last());
		goto cleanup;
	}
	if (o.progress)
		fprintf(stderr, "train: wrote %s (tasks %s)\n", outp, tasks.ptr ? tasks.ptr : "");
	ret = NS_EXIT_OK;
cleanup:
	ns_bundle_writer_free(w);
	ns_buf_free(&man);
	ns_buf_free(&tasks);
	ns_buf_free(&rows);
	ns_buf_free(&tax);
	return ret;
}
