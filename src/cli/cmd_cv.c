/* narrascope cv: cross-validates a task on labelled data, split by document and
 * stratified by language (src/learn/folds.h), printing per-language scores. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tasks.h"

int ns_cmd_cv(int argc, char **argv)
{
	const char *task = NULL, *taxonomy = NULL, *params = NULL, *dump = NULL;
	const char *data[NS_TASK_MAX_DATA + 1] = {NULL};
	long seed = 1, folds = 5, threads = 1;
	int quiet = 0;
	char names[256], taskhelp[320];
	ns_task_names(names, sizeof names);
	snprintf(taskhelp, sizeof taskhelp, "task to cross-validate: %s", names);
	const ns_opt opts[] = {
		{0, "task", NS_OPT_STRING, &task, "NAME", taskhelp, 0, 0},
		{0, "data", NS_OPT_MULTI, data, "DIR", "labelled data: a language dir or a parent of them (repeatable)", 0,
		 NS_TASK_MAX_DATA + 1},
		{0, "taxonomy", NS_OPT_STRING, &taxonomy, "DIR", "taxonomy dir (default: DIR/../taxonomy of the first --data)", 0, 0},
		{0, "folds", NS_OPT_INT, &folds, "K", "number of folds (default 5)", 2, 50},
		{0, "seed", NS_OPT_INT, &seed, "S", "fold and training seed (default 1)", 0, 2147483647L},
		{'j', "threads", NS_OPT_INT, &threads, "N", "training threads (default 1; results do not depend on it)", 1, 64},
		{0, "params", NS_OPT_STRING, &params, "K=V,...", "task hyper-parameters (see the task's manifest for names)", 0, 0},
		{0, "dump-folds", NS_OPT_STRING, &dump, "FILE", "write article_id<TAB>lang<TAB>fold for every article", 0, 0},
		{'q', "quiet", NS_OPT_FLAG, &quiet, NULL, "no progress on stderr", 0, 0},
		{0, NULL, 0, NULL, NULL, NULL, 0, 0},
	};
	const ns_cmd_spec spec = {"cv", "--task NAME --data DIR... [options]",
				  "Cross-validate a task: folds split by document, stratified by language; per-language and "
				  "mean scores with the official metrics (sd across folds).",
				  "Fold of an article: per language, ids sorted, shuffled with splitmix64 seeded by --seed, "
				  "fold = rank mod K (src/learn/folds.h).",
				  opts};
	char **pos;
	int npos;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (!task || !data[0] || npos > 0) {
		ns_cli_error("cv: %s (see narrascope cv --help)", npos > 0 ? "unexpected argument" : "--task and --data are required");
		return NS_EXIT_USAGE;
	}
	const ns_task *t = ns_task_find(task);
	if (!t) {
		ns_cli_error("cv: unknown task '%s' (tasks: %s)", task, names);
		return NS_EXIT_USAGE;
	}
	if (!t->cv) {
		ns_cli_error("cv: task '%s' has no cross-validation", task);
		return NS_EXIT_USAGE;
	}
	ns_task_opts o;
	ns_task_opts_common(&o, data, taxonomy, seed, folds, threads, quiet, params);
	o.dump_folds = dump;
	if (t->cv(&o, stdout) < 0) {
		ns_cli_error("cv: %s", ns_error_last());
		return NS_EXIT_ERROR;
	}
	return NS_EXIT_OK;
}
