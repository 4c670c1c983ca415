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
#include "io/taxonomy.h"
#include "io/tsv.h"
#include "util/util.h"

#define DEFAULT_TAXONOMY "../shared/data/semeval2025/taxonomy"

static const char *opt_task, *opt_gold, *opt_pred, *opt_tax;
static int opt_strict, opt_verbose, opt_json;

static const ns_opt opts[] = {
	{'t', "task", NS_OPT_STRING, &opt_task, "TASK", "framing | narratives | explanations (required)", 0, 0},
	{'g', "gold", NS_OPT_STRING, &opt_gold, "FILE", "gold TSV of the task (required; - for stdin)", 0, 0},
	{'p', "pred", NS_OPT_STRING, &opt_pred, "FILE", "prediction TSV, same shape as the gold (required)", 0, 0},
	{0, "taxonomy", NS_OPT_STRING, &opt_tax, "DIR",
	 "taxonomy dir (default " DEFAULT_TAXONOMY " or $NS_DATA/semeval2025/taxonomy)", 0, 0},
	{0, "strict", NS_OPT_FLAG, &opt_strict, NULL, "a gold item without prediction is an error", 0, 0},
	{0, "json", NS_OPT_FLAG, &opt_json, NULL, "print one JSON object with the scores and counts", 0, 0},
	{'v', "verbose", NS_OPT_FLAG, &opt_verbose, NULL, "print column names and counts on stderr", 0, 0},
	{0, NULL, 0, NULL, NULL, NULL, 0, 0},
};

static const ns_cmd_spec spec = {
	"eval", "--task TASK --gold FILE --pred FILE [options]",
	"Score predictions with the shared task's official metrics.",
	"Output (stdout, one line):\n"
	"  framing       EMR microP microR microF1 mainRoleAcc   (four decimals)\n"
	"  narratives    F1coarse (std) F1fine (std)             (three decimals; F1-samples,\n"
	"                population std; labels outside the taxonomy lists are ignored)\n"
	"  explanations  ROUGE-L-F1 tokenF1                      (four decimals; the official\n"
	"                BERTScore cannot run here, these are lexical proxies)\n"
	"Gold and prediction are paired by key (framing: article id, mention without\n"
	"double quotes, start, end; otherwise article id). A prediction for an unknown\n"
	"id or key, a repeated id or key, a wrong column count or (with a taxonomy) an\n"
	"unknown role is an error naming file and line. A gold item without prediction\n"
	"scores as an empty prediction (an error with --strict). Compute per language\n"
	"by passing one language's files.",
	opts,
};

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Loads the taxonomy from --taxonomy or a default location. Sets *t NULL when
 * none is found and none was asked for. */
static int load_taxonomy(ns_taxonomy **t, bool required)
{
	char buf[4096];
	const char *dir = opt_tax;
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
			ns_cli_error("eval: --task %s needs --taxonomy DIR (no default taxonomy at %s)", opt_task,
				     DEFAULT_TAXONOMY);
			return NS_EXIT_USAGE;
		}
		return 0;
	}
	if (ns_taxonomy_load(t, dir) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		return NS_EXIT_ERROR;
	}
	if (opt_verbose)
		fprintf(stderr, "eval: taxonomy %s (%zu narratives, %zu subnarratives, %zu fine roles)\n", dir,
			ns_taxonomy_ncoarse(*t), ns_taxonomy_nfine(*t), ns_taxonomy_nfine_roles(*t));
	return 0;
}

static int run_framing(const ns_tsv_opts *to, const ns_eval_opts *eo)
{
	ns_tsv_roles *g = NULL, *p = NULL;
	ns_eval_framing r;
	int ex = NS_EXIT_ERROR;
	if (ns_tsv_read_roles(&g, opt_gold, to) < 0 || ns_tsv_read_roles(&p, opt_pred, to) < 0 ||
	    ns_eval_framing_tables(&r, g, p, eo) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		goto cleanup;
	}
	if (opt_json)
		printf("{\"task\":\"framing\",\"emr\":%.6f,\"micro_p\":%.6f,\"micro_r\":%.6f,\"micro_f1\":%.6f,"
		       "\"main_role_acc\":%.6f,\"gold\":%zu,\"missing\":%zu,\"tp\":%zu,\"fp\":%zu,\"fn\":%zu}\n",
		       r.emr, r.micro_p, r.micro_r, r.micro_f1, r.main_acc, r.n_gold, r.n_missing, r.tp, r.fp, r.fn);
	else
		printf("%.4f %.4f %.4f %.4f %.4f\n", r.emr, r.micro_p, r.micro_r, r.micro_f1, r.main_acc);
	if (opt_verbose)
		fprintf(stderr, "EMR microP microR microF1 mainRoleAcc; %zu gold mentions, %zu without prediction, "
			"fine roles tp %zu fp %zu fn %zu\n", r.n_gold, r.n_missing, r.tp, r.fp, r.fn);
	ex = NS_EXIT_OK;
cleanup:
	ns_tsv_roles_free(g);
	ns_tsv_roles_free(p);
	return ex;
}

static int run_narratives(const ns_tsv_opts *to, const ns_eval_opts *eo, const ns_taxonomy *tax)
{
	ns_tsv_narrs *g = NULL, *p = NULL;
	ns_eval_narratives r;
	int ex = NS_EXIT_ERROR;
	if (ns_tsv_read_narrs(&g, opt_gold, to) < 0 || ns_tsv_read_narrs(&p, opt_pred, to) < 0 ||
	    ns_eval_narratives_tables(&r, g, p, tax, eo) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		goto cleanup;
	}
	if (opt_json)
		printf("{\"task\":\"narratives\",\"f1_coarse\":%.6f,\"std_coarse\":%.6f,\"f1_fine\":%.6f,"
		       "\"std_fine\":%.6f,\"articles\":%zu,\"missing\":%zu,\"ignored_labels\":%zu}\n",
		       r.coarse.mean, r.coarse.std, r.fine.mean, r.fine.std, r.coarse.n, r.n_missing, r.n_ignored);
	else
		printf("%.3f (%.3f) %.3f (%.3f)\n", r.coarse.mean, r.coarse.std, r.fine.mean, r.fine.std);
	if (opt_verbose)
		fprintf(stderr, "F1coarse (std) F1fine (std); %zu articles, %zu without prediction, "
			"%zu label occurrences outside the lists ignored\n", r.coarse.n, r.n_missing, r.n_ignored);
	ex = NS_EXIT_OK;
cleanup:
	ns_tsv_narrs_free(g);
	ns_tsv_narrs_free(p);
	return ex;
}

static int run_explanations(const ns_tsv_opts *to, const ns_eval_opts *eo)
{
	ns_tsv_expls *g = NULL, *p = NULL;
	ns_eval_explanations r;
	int ex = NS_EXIT_ERROR;
	if (ns_tsv_read_expls(&g, opt_gold, to) < 0 || ns_tsv_read_expls(&p, opt_pred, to) < 0 ||
	    ns_eval_explanations_tables(&r, g, p, eo) < 0) {
		ns_cli_error("eval: %s", ns_error_last());
		goto cleanup;
	}
	if (opt_json)
		printf("{\"task\":\"explanations\",\"rouge_l_f1\":%.6f,\"token_f1\":%.6f,\"articles\":%zu,"
		       "\"missing\":%zu,\"note\":\"official BERTScore not computed\"}\n",
		       r.rouge_l, r.token_f1, r.n, r.n_missing);
	else
		printf("%.4f %.4f\n", r.rouge_l, r.token_f1);
	if (opt_verbose)
		fprintf(stderr, "ROUGE-L-F1 tokenF1 (lexical proxies; the official BERTScore is not computed); "
			"%zu articles, %zu without prediction\n", r.n, r.n_missing);
	ex = NS_EXIT_OK;
cleanup:
	ns_tsv_expls_free(g);
	ns_tsv_expls_free(p);
	return ex;
}

int ns_cmd_eval(int argc, char **argv)
{
	char **pos;
	int npos, ex;
	ns_taxonomy *tax = NULL;
	opt_task = opt_gold = opt_pred = opt_tax = NULL;
	opt_strict = opt_verbose = opt_json = 0;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (npos) {
		ns_cli_error("eval: unexpected argument '%s'", pos[0]);
		return NS_EXIT_USAGE;
	}
	if (!opt_task || !opt_gold || !opt_pred) {
		ns_cli_error("eval: --task, --gold and --pred are required (see narrascope eval --help)");
		return NS_EXIT_USAGE;
	}
	int task = strcmp(opt_task, "framing") == 0        ? 1
		   : strcmp(opt_task, "narratives") == 0   ? 2
		   : strcmp(opt_task, "explanations") == 0 ? 3
							   : 0;
	if (!task) {
		ns_cli_error("eval: unknown task '%s' (framing, narratives or explanations)", opt_task);
		return NS_EXIT_USAGE;
	}
	if (strcmp(opt_gold, "-") == 0 && strcmp(opt_pred, "-") == 0) {
		ns_cli_error("eval: --gold and --pred cannot both be stdin");
		return NS_EXIT_USAGE;
	}
	if (task != 3 && (ex = load_taxonomy(&tax, task == 2)) != 0)
		return ex;
	ns_tsv_opts to = NS_TSV_OPTS_INIT;
	to.taxonomy = tax;
	to.max_bytes = 1u << 30;
	ns_eval_opts eo = NS_EVAL_OPTS_INIT;
	eo.strict = opt_strict;
	eo.gold_name = strcmp(opt_gold, "-") ? opt_gold : "<stdin>";
	eo.pred_name = strcmp(opt_pred, "-") ? opt_pred : "<stdin>";
	ex = task == 1 ? run_framing(&to, &eo) : task == 2 ? run_narratives(&to, &eo, tax) : run_explanations(&to, &eo);
	ns_taxonomy_free(tax);
	return ex;
}
