/* narrascope eval: scores a prediction TSV against a gold TSV with the official
 * metrics of the shared task (src/eval/), one line of numbers on stdout.
 * Exit codes: 0 scored, 1 unreadable or malformed input (file:line message),
 * 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "eval/eval.h"
#include "io/taskdata.h"
#include "io/taxonomy.h"
#include "io/tsv.h"
#include "util/util.h"

#define DEFAULT_TAXONOMY "../shared/data/semeval2025/taxonomy"

/* Parsed command line (the option table points into it). */
typedef struct {
	const char *task, *gold, *pred, *tax, *corpus;
	int strict, verbose, json, lenient;
} eval_args;

#define EVAL_DETAILS \
	"Output (stdout, one line):\n" \
	"  framing       EMR microP microR microF1 mainRoleAcc   (four decimals)\n" \
	"  narratives    F1coarse (std) F1fine (std)             (three decimals; F1-samples,\n" \
	"                population std; labels outside the taxonomy lists are ignored)\n" \
	"  explanations  ROUGE-L-F1 tokenF1                      (four decimals; the official\n" \
	"                BERTScore cannot run here, these are lexical proxies)\n" \
	"Gold and prediction are paired by key (framing: article id, mention without\n" \
	"double quotes, start, end; otherwise article id). A prediction for an unknown\n" \
	"id or key, a repeated id or key, a wrong column count or (with a taxonomy) an\n" \
	"unknown role is an error naming file and line. A gold item without prediction\n" \
	"scores as an empty prediction (an error with --strict). Compute per language\n" \
	"by passing one language's files.\n" \
	"With --corpus DIR (DIR/<LANG>/raw-documents + subtask-1/2/3-annotations.txt)\n" \
	"the corpus is loaded, every mention aligned to its article, and a table per\n" \
	"language printed: documents, mentions, aligned exact / CRLF-counted / nearest\n" \
	"(of which more than 300 code points away) / failed, and warnings (listed on\n" \
	"stderr; --strict makes them errors)."

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Loads the taxonomy from --taxonomy or a default location. Sets *t NULL when
 * none is found and none was asked for. */
static int load_taxonomy(const eval_args *a, ns_taxonomy **t, bool required)
{
	char buf[4096];
	const char *dir = a->tax;
	*t = NULL;
	if (!dir && is_dir(DEFAULT_TAXONOMY))
		dir = DEFAULT_TAXONOMY;
	if (!dir && getenv("NS_DATA")) {
		snprintf(buf, sizeof buf, "%s/semeval2025/taxonomy", getenv("NS_DATA"));
		if (is_dir(buf))
			dir = buf;
	}
	if (!dir) {
		if (required) {
			ns_cli_error("eval: --task %s needs --taxonomy DIR (no default taxonomy at %s)", a->task,
				     DEFAULT_TAXONOMY);
			return NS_EXIT_USAGE;
		}
		return 0;
	}
	if (ns_taxonomy_load(t, dir) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		return NS_EXIT_ERROR;
	}
	if (a->verbose)
		fprintf(stderr, "eval: taxonomy %s (%zu narratives, %zu subnarratives, %zu fine roles)\n", dir,
			ns_taxonomy_ncoarse(*t), ns_taxonomy_nfine(*t), ns_taxonomy_nfine_roles(*t));
	return 0;
}

static int run_framing(const eval_args *a, const ns_tsv_opts *to, const ns_eval_opts *eo)
{
	ns_tsv_roles *g = NULL, *p = NULL;
	ns_eval_framing r;
	int ex = NS_EXIT_ERROR;
	if (ns_tsv_read_roles(&g, a->gold, to) < 0 || ns_tsv_read_roles(&p, a->pred, to) < 0 ||
	    ns_eval_framing_tables(&r, g, p, eo) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		goto cleanup;
	}
	if (a->json)
		printf("{\"task\":\"framing\",\"emr\":%.6f,\"micro_p\":%.6f,\"micro_r\":%.6f,\"micro_f1\":%.6f,"
		       "\"main_role_acc\":%.6f,\"gold\":%zu,\"missing\":%zu,\"tp\":%zu,\"fp\":%zu,\"fn\":%zu}\n",
		       r.emr, r.micro_p, r.micro_r, r.micro_f1, r.main_acc, r.n_gold, r.n_missing, r.tp, r.fp, r.fn);
	else
		printf("%.4f %.4f %.4f %.4f %.4f\n", r.emr, r.micro_p, r.micro_r, r.micro_f1, r.main_acc);
	if (a->verbose)
		fprintf(stderr, "EMR microP microR microF1 mainRoleAcc; %zu gold mentions, %zu without prediction, "
			"fine roles tp %zu fp %zu fn %zu\n", r.n_gold, r.n_missing, r.tp, r.fp, r.fn);
	ex = NS_EXIT_OK;
cleanup:
	ns_tsv_roles_free(g);
	ns_tsv_roles_free(p);
	return ex;
}

static int run_narratives(const eval_args *a, const ns_tsv_opts *to, const ns_eval_opts *eo, const ns_taxonomy *tax)
{
	ns_tsv_narrs *g = NULL, *p = NULL;
	ns_eval_narratives r;
	int ex = NS_EXIT_ERROR;
	if (ns_tsv_read_narrs(&g, a->gold, to) < 0 || ns_tsv_read_narrs(&p, a->pred, to) < 0 ||
	    ns_eval_narratives_tables(&r, g, p, tax, eo) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		goto cleanup;
	}
	if (a->json)
		printf("{\"task\":\"narratives\",\"f1_coarse\":%.6f,\"std_coarse\":%.6f,\"f1_fine\":%.6f,"
		       "\"std_fine\":%.6f,\"articles\":%zu,\"missing\":%zu,\"ignored_labels\":%zu}\n",
		       r.coarse.mean, r.coarse.std, r.fine.mean, r.fine.std, r.coarse.n, r.n_missing, r.n_ignored);
	else
		printf("%.3f (%.3f) %.3f (%.3f)\n", r.coarse.mean, r.coarse.std, r.fine.mean, r.fine.std);
	if (a->verbose)
		fprintf(stderr, "F1coarse (std) F1fine (std); %zu articles, %zu without prediction, "
			"%zu label occurrences outside the lists ignored\n", r.coarse.n, r.n_missing, r.n_ignored);
	ex = NS_EXIT_OK;
cleanup:
	ns_tsv_narrs_free(g);
	ns_tsv_narrs_free(p);
	return ex;
}

static int run_explanations(const eval_args *a, const ns_tsv_opts *to, const ns_eval_opts *eo)
{
	ns_tsv_expls *g = NULL, *p = NULL;
	ns_eval_explanations r;
	int ex = NS_EXIT_ERROR;
	if (ns_tsv_read_expls(&g, a->gold, to) < 0 || ns_tsv_read_expls(&p, a->pred, to) < 0 ||
	    ns_eval_explanations_tables(&r, g, p, eo) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		goto cleanup;
	}
	if (a->json)
		printf("{\"task\":\"explanations\",\"rouge_l_f1\":%.6f,\"token_f1\":%.6f,\"articles\":%zu,"
		       "\"missing\":%zu,\"note\":\"official BERTScore not computed\"}\n",
		       r.rouge_l, r.token_f1, r.n, r.n_missing);
	else
		printf("%.4f %.4f\n", r.rouge_l, r.token_f1);
	if (a->verbose)
		fprintf(stderr, "ROUGE-L-F1 tokenF1 (lexical proxies; the official BERTScore is not computed); "
			"%zu articles, %zu without prediction\n", r.n, r.n_missing);
	ex = NS_EXIT_OK;
cleanup:
	ns_tsv_expls_free(g);
	ns_tsv_expls_free(p);
	return ex;
}

static void print_stats(const ns_task_lang_stats *s)
{
	printf("%-6s %6zu %8zu %6zu %6zu %8zu %5zu %6zu %6zu %6zu %8zu\n", s->lang, s->docs, s->mentions,
	       s->exact, s->crlf, s->nearest, s->nearest_far, s->failed, s->narr_lines, s->expl_lines,
	       s->warnings);
}

static int run_corpus(const eval_args *a)
{
	ns_taxonomy *tax = NULL;
	ns_taskdata *td = NULL;
	int ex = load_taxonomy(a, &tax, false);
	if (ex != 0)
		return ex;
	ns_taskdata_opts o = NS_TASKDATA_OPTS_INIT;
	o.taxonomy = tax;
	o.strict = a->strict;
	o.lenient = a->lenient;
	if (ns_taskdata_load(&td, a->corpus, &o) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		ex = NS_EXIT_ERROR;
		goto cleanup;
	}
	printf("%-6s %6s %8s %6s %6s %8s %5s %6s %6s %6s %8s\n", "lang", "docs", "mentions", "exact", "crlf",
	       "nearest", ">300", "failed", "st2", "st3", "warnings");
	for (size_t i = 0; i < ns_taskdata_nlangs(td); i++)
		print_stats(ns_taskdata_lang(td, i));
	ns_task_lang_stats all = ns_taskdata_total(td);
	print_stats(&all);
	size_t nw = ns_taskdata_nwarnings(td), show = a->verbose ? nw : (nw < 20 ? nw : 20);
	for (size_t i = 0; i < show; i++)
		fprintf(stderr, "warning: %s\n", ns_taskdata_warning(td, i));
	if (show < nw)
		fprintf(stderr, "(%zu more warnings; -v lists all)\n", nw - show);
cleanup:
	ns_taskdata_free(td);
	ns_taxonomy_free(tax);
	return ex;
}

int ns_cmd_eval(int argc, char **argv)
{
	char **pos;
	int npos, ex;
	ns_taxonomy *tax = NULL;
	eval_args args = {0}, *a = &args;
	const ns_opt opts[] = {
		{'t', "task", NS_OPT_STRING, &a->task, "TASK", "framing | narratives | explanations (required)", 0, 0},
		{'g', "gold", NS_OPT_STRING, &a->gold, "FILE", "gold TSV of the task (required; - for stdin)", 0, 0},
		{'p', "pred", NS_OPT_STRING, &a->pred, "FILE", "prediction TSV, same shape as the gold (required)", 0, 0},
		{0, "taxonomy", NS_OPT_STRING, &a->tax, "DIR",
		 "taxonomy dir (default " DEFAULT_TAXONOMY " or $NS_DATA/semeval2025/taxonomy)", 0, 0},
		{0, "strict", NS_OPT_FLAG, &a->strict, NULL, "a gold item without prediction is an error", 0, 0},
		{0, "corpus", NS_OPT_STRING, &a->corpus, "DIR",
		 "instead of scoring, load a shared-task corpus and print its alignment report", 0, 0},
		{0, "lenient", NS_OPT_FLAG, &a->lenient, NULL, "with --corpus: skip malformed annotation lines (warned)", 0, 0},
		{0, "json", NS_OPT_FLAG, &a->json, NULL, "print one JSON object with the scores and counts", 0, 0},
		{'v', "verbose", NS_OPT_FLAG, &a->verbose, NULL, "print column names and counts on stderr", 0, 0},
		{0, NULL, 0, NULL, NULL, NULL, 0, 0},
	};
	const ns_cmd_spec spec = {
		"eval", "--task TASK --gold FILE --pred FILE [options]",
		"Score predictions with the shared task's official metrics.", EVAL_DETAILS, opts,
	};
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (npos) {
		ns_cli_error("eval: unexpected argument '%s'", pos[0]);
		return NS_EXIT_USAGE;
	}
	if (a->corpus) {
		if (a->task || a->gold || a->pred) {
			ns_cli_error("eval: --corpus cannot be combined with --task, --gold or --pred");
			return NS_EXIT_USAGE;
		}
		return run_corpus(a);
	}
	if (!a->task || !a->gold || !a->pred) {
		ns_cli_error("eval: --task, --gold and --pred are required (see narrascope eval --help)");
		return NS_EXIT_USAGE;
	}
	int task = strcmp(a->task, "framing") == 0        ? 1
		   : strcmp(a->task, "narratives") == 0   ? 2
		   : strcmp(a->task, "explanations") == 0 ? 3
							   : 0;
	if (!task) {
		ns_cli_error("eval: unknown task '%s' (framing, narratives or explanations)", a->task);
		return NS_EXIT_USAGE;
	}
	if (strcmp(a->gold, "-") == 0 && strcmp(a->pred, "-") == 0) {
		ns_cli_error("eval: --gold and --pred cannot both be stdin");
		return NS_EXIT_USAGE;
	}
	if (task != 3 && (ex = load_taxonomy(a, &tax, task == 2)) != 0)
		return ex;
	ns_tsv_opts to = NS_TSV_OPTS_INIT;
	to.taxonomy = tax;
	to.max_bytes = 1u << 30;
	ns_eval_opts eo = NS_EVAL_OPTS_INIT;
	eo.strict = a->strict;
	eo.gold_name = strcmp(a->gold, "-") ? a->gold : "<stdin>";
	eo.pred_name = strcmp(a->pred, "-") ? a->pred : "<stdin>";
	ex = task == 1 ? run_framing(a, &to, &eo) : task == 2 ? run_narratives(a, &to, &eo, tax) : run_explanations(a, &to, &eo);
	ns_taxonomy_free(tax);
	return ex;
}
