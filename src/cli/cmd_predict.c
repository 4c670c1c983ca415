/* narrascope predict: writes a task's official shared-task TSV for documents
 * (files, directories, `-`) with a trained model bundle. */
#include <stdio.h>
#include <string.h>

#include "../model/bundle.h"
#include "cli.h"
#include "tasks.h"

int ns_cmd_predict(int argc, char **argv)
{
	const char *task = NULL, *model = NULL, *outp = "-", *mentions = NULL;
	long threads = 1;
	int quiet = 0;
	char names[256], taskhelp[320];
	ns_task_names(names, sizeof names);
	snprintf(taskhelp, sizeof taskhelp, "task to predict: %s", names);
	const ns_opt opts[] = {
		{0, "task", NS_OPT_STRING, &task, "NAME", taskhelp, 0, 0},
		{'m', "model", NS_OPT_STRING, &model, "FILE", "model bundle (.nsm)", 0, 0},
		{'o', "output", NS_OPT_STRING, &outp, "FILE", "TSV output (default -: stdout); written atomically", 0, 0},
		{0, "mentions", NS_OPT_STRING, &mentions, "FILE", "framing: the official mentions file (article_id mention start end)", 0, 0},
		{'j', "threads", NS_OPT_INT, &threads, "N", "worker threads (default 1; output order does not depend on it)", 1, 64},
		{'q', "quiet", NS_OPT_FLAG, &quiet, NULL, "no progress on stderr", 0, 0},
		{0, NULL, 0, NULL, NULL, NULL, 0, 0},
	};
	const ns_cmd_spec spec = {"predict", "--task NAME --model FILE [options] FILE|DIR|-...",
				  "Write the official shared-task TSV of a task for the given documents (article id = file name).",
				  NULL, opts};
	char **pos;
	int npos;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (!task || !model || npos == 0) {
		ns_cli_error("predict: --task, --model and at least one input are required (see narrascope predict --help)");
		return NS_EXIT_USAGE;
	}
	const ns_task *t = ns_task_find(task);
	if (!t) {
		ns_cli_error("predict: unknown task '%s' (tasks: %s)", task, names);
		return NS_EXIT_USAGE;
	}
	if (!t->predict) {
		ns_cli_error("predict: task '%s' has no prediction", task);
		return NS_EXIT_USAGE;
	}
	ns_task_opts o;
	ns_task_opts_init(&o);
	o.threads = (int)threads;
	o.progress = !quiet;
	o.mentions = mentions;
	o.model = model;
	ns_bundle *b = NULL;
	if (ns_bundle_open(&b, model) < 0) {
		ns_cli_error("predict: %s", ns_error_last());
		return NS_EXIT_ERROR;
	}
	int rc = t->predict(b, &o, (const char *const *)pos, (size_t)npos, outp);
	ns_bundle_close(b);
	if (rc < 0) {
		ns_cli_error("predict: %s", ns_error_last());
		return NS_EXIT_ERROR;
	}
	return NS_EXIT_OK;
}
