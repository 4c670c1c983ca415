/* narrascope analyze: reads documents (files, directories, stdin, JSONL), analyses
 * each with the optional model over -j N threads, and writes one JSON object per
 * document (a JSON array, or JSON Lines), in input order.
 *
 * Bad documents are reported on stderr as "narrascope: <path>[:line]: <reason>"
 * and skipped; the run goes on and exits 1 at the end if any failed. Output files
 * are written to a temporary file in the same directory and renamed at the end,
 * so a reader never sees a half-written file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "io/html.h"
#include "io/input.h"
#include "narrascope/narrascope.h"
#include "pipeline/batch.h"
#include "pipeline/pipeline.h"
#include "util/util.h"

#define MAX_THREADS 256

enum { FMT_JSON, FMT_JSONL, FMT_HTML };

typedef struct item {
	ns_input_doc in;
	char *json; /* rendered output (json/jsonl) */
	size_t jsonlen;
	ns_analysis *analysis; /* kept for the HTML report */
	int rc;
	char msg[600];
} item;

typedef struct run {
	ns_input *input;
	const ns_model *model;
	ns_html_report *html;
	ns_analyze_opts aopts;
	int format;
	FILE *out;
	const char *out_name;
	size_t ndocs, nfailed, nbytes; /* nbytes: input bytes of emitted documents */
	/* progress */
	int progress;
	double t0, last;
} run;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void item_free(item *it)
{
	if (!it)
		return;
	ns_input_doc_release(&it->in);
	free(it->json);
	ns_analysis_free(it->analysis);
	free(it);
}

static int next_item(void *payload, void **out)
{
	run *r = payload;
	item *it = ns_calloc(1, sizeof *it);
	if (!it)
		return NS_ENOMEM;
	int rc = ns_input_next(r->input, &it->in);
	if (rc <= 0) {
		free(it);
		return rc;
	}
	*out = it;
	return 1;
}

static void work_item(void *payload, void *p)
{
	run *r = payload;
	item *it = p;
	if (it->in.error)
		return;
	ns_analyze_opts o = r->aopts;
	o.id = it->in.id;
	o.source = it->in.source;
	o.date = it->in.date;
	ns_analysis *a = NULL;
	int rc = ns_analyze(&a, r->model, it->in.text, it->in.len, &o);
	if (rc == 0 && r->format != FMT_HTML) {
		ns_buf b = NS_BUF_INIT;
		char *compact = NULL;
		size_t clen = 0;
		rc = ns_analysis_write_json(a, NS_JSON_COMPACT, &compact, &clen);
		if (rc == 0 && r->format == FMT_JSON) {
			ns_buf_puts(&b, "  ");
			rc = ns_pipeline__json_pretty(&b, compact, clen, 1);
			free(compact);
			if (rc == 0)
				it->json = ns_buf_detach(&b, &it->jsonlen);
		} else if (rc == 0) {
			it->json = compact;
			it->jsonlen = clen;
		}
		ns_buf_free(&b);
	}
	if (rc < 0) {
		it->rc = rc;
		snprintf(it->msg, sizeof it->msg, "%s", ns_error_last());
		ns_analysis_free(a);
		a = NULL;
	}
	/* the input text is not needed any more; free it early to keep the window small */
	free(it->in.text);
	it->in.text = NULL;
	if (r->format == FMT_HTML)
		it->analysis = a;
	else
		ns_analysis_free(a);
}

static void show_progress(run *r, int final)
{
	if (!r->progress)
		return;
	double t = now();
	if (!final && (t - r->t0 < 1.0 || t - r->last < 0.25))
		return;
	r->last = t;
	if (final) {
		if (t - r->t0 >= 1.0)
			fputs("\r\033[K", stderr);
		return;
	}
	double el = t - r->t0;
	fprintf(stderr, "\ranalyze: %zu documents, %.1f MB read, %.0f docs/s, %zu failed\033[K", r->ndocs,
		(double)r->nbytes / 1e6, el > 0 ? (double)r->ndocs / el : 0.0, r->nfailed);
}

static int emit_item(void *payload, void *p)
{
	run *r = payload;
	item *it = p;
	int rc = 0;
	if (r->progress && (it->in.error || it->rc < 0))
		fputs("\r\033[K", stderr); /* the message replaces the progress line */
	if (it->in.error) {
		ns_cli_error("%s", it->in.message);
		r->nfailed++;
	} else if (it->rc < 0) {
		if (it->in.line)
			ns_cli_error("%s:%zu: %s", it->in.path, it->in.line, it->msg);
		else
			ns_cli_error("%s: %s", it->in.path, it->msg);
		r->nfailed++;
	} else if (r->format == FMT_HTML) {
		rc = ns_html_report_add(r->html, ns_pipeline__doc(it->analysis));
		r->ndocs++;
	} else {
		if (r->format == FMT_JSON)
			fputs(r->ndocs ? ",\n" : "[\n", r->out);
		fwrite(it->json, 1, it->jsonlen, r->out);
		if (r->format == FMT_JSONL)
			fputc('\n', r->out);
		if (ferror(r->out))
			rc = ns_error__set(NS_EIO, "%s: write error: %s", r->out_name, strerror(errno));
		r->ndocs++;
	}
	r->nbytes += it->in.len;
	item_free(it);
	show_progress(r, 0);
	return rc;
}

static void discard_item(void *payload, void *p)
{
	(void)payload;
	item_free(p);
}

/* Opens the output: stdout, or a temporary file next to `path` (*tmp set). */
static FILE *open_output(const char *path, char **tmp)
{
	*tmp = NULL;
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or pipe (/dev/null, a FIFO): nothing to replace atomically */
		FILE *f = fopen(path, "w");
		if (!f)
			ns_cli_error("%s: cannot open: %s", path, strerror(errno));
		return f;
	}
	/* hidden (".name.tmpXXXXXX") so a directory walk over the same folder skips it */
	size_t n = strlen(path) + 16;
	char *t = malloc(n);
	if (!t)
		return NULL;
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path + 1) : 0;
	snprintf(t, n, "%.*s.%s.tmpXXXXXX", dl, path, path + dl);
	int fd = mkstemp(t);
	if (fd < 0) {
		ns_cli_error("%s: cannot create temporary file: %s", path, strerror(errno));
		free(t);
		return NULL;
	}
	fchmod(fd, 0644);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(t);
		free(t);
		return NULL;
	}
	*tmp = t;
	return f;
}

/* Flushes, syncs and renames the temporary output into place. */
static int close_output(FILE *f, char *tmp, const char *path, int keep)
{
	if (f == stdout) {
		if (fflush(stdout) != 0)
			return ns_error__set(NS_EIO, "stdout: write error: %s", strerror(errno));
		return 0;
	}
	int rc = 0;
	if (!tmp) { /* device or pipe opened directly */
		if (fclose(f) != 0)
			rc = ns_error__set(NS_EIO, "%s: write error: %s", path, strerror(errno));
		return rc;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = ns_error__set(NS_EIO, "%s: write error: %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = ns_error__set(NS_EIO, "%s: write error: %s", path, strerror(errno));
	if (rc == 0 && keep && rename(tmp, path) != 0)
		rc = ns_error__set(NS_EIO, "%s: cannot write: %s", path, strerror(errno));
	if (rc < 0 || !keep)
		unlink(tmp);
	free(tmp);
	return rc;
}

static const char *model_arg, *format_arg = "json", *out_arg, *input_arg = "auto", *lang_arg;
static int text_only;
static long jobs = 1, max_bytes = (long)NS_INPUT_MAX_BYTES_DEFAULT;

static const ns_opt opts[] = {
	{'m', "model", NS_OPT_STRING, &model_arg, "M", "model bundle (.nsm); without it only the layers that need no training run", 0, 0},
	{0, "text-only", NS_OPT_FLAG, &text_only, NULL, "only the text layers (language, sentences, tokens, boilerplate)", 0, 0},
	{'f', "format", NS_OPT_STRING, &format_arg, "FMT", "json (default: a JSON array), jsonl (one line per document) or html (one self-contained page)", 0, 0},
	{'o', "output", NS_OPT_STRING, &out_arg, "OUT", "write to OUT (atomically) instead of stdout", 0, 0},
	{'j', "jobs", NS_OPT_INT, &jobs, "N", "analyse with N threads; output order is the input order (default 1)", 1, MAX_THREADS},
	{0, "max-bytes", NS_OPT_INT, &max_bytes, "N", "reject documents over N bytes (default 10485760; 0 = no limit)", 0, 1L << 40},
	{0, "input", NS_OPT_STRING, &input_arg, "KIND", "auto (default: *.jsonl/*.ndjson and '{'-led stdin are JSONL), text or jsonl", 0, 0},
	{0, "lang", NS_OPT_STRING, &lang_arg, "CODE", "skip language identification and use CODE (en, ru, bg, pt, hi, ...)", 0, 0},
	{0, NULL, 0, NULL, NULL, NULL, 0, 0},
};

static const ns_cmd_spec spec = {
	"analyze",
	"[options] FILE|DIR|-...",
	"Analyse news articles: language, paragraphs, sentences, tokens, boilerplate, the\n"
	"layers built on shipped lexicons, and those of the model when one is given. Directories are read recursively in path order;\n"
	"`-` reads stdin. JSONL input has one {\"id\",\"text\",\"source\",\"date\"} object per line.",
	"Bad documents (empty, binary, NUL bytes, over --max-bytes, malformed JSONL lines) are\n"
	"reported on stderr as `narrascope: PATH[:LINE]: REASON` and skipped; the exit code is\n"
	"then 1. Invalid UTF-8 is repaired (one U+FFFD per bad byte) and counted in `warnings`.\n"
	"The output schema is documented in README.md (section Output).",
	opts,
};

int ns_cmd_analyze(int argc, char **argv)
{
	char **pos;
	int npos;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	run R;
	memset(&R, 0, sizeof R);
	if (strcmp(format_arg, "json") == 0)
		R.format = FMT_JSON;
	else if (strcmp(format_arg, "jsonl") == 0)
		R.format = FMT_JSONL;
	else if (strcmp(format_arg, "html") == 0)
		R.format = FMT_HTML;
	else {
		ns_cli_error("analyze: --format must be json, jsonl or html, not '%s'", format_arg);
		return NS_EXIT_USAGE;
	}
	ns_input_opts iopts = NS_INPUT_OPTS_INIT;
	iopts.max_bytes = (size_t)max_bytes;
	if (strcmp(input_arg, "auto") == 0)
		iopts.format = NS_INPUT_AUTO;
	else if (strcmp(input_arg, "text") == 0)
		iopts.format = NS_INPUT_TEXT;
	else if (strcmp(input_arg, "jsonl") == 0)
		iopts.format = NS_INPUT_JSONL;
	else {
		ns_cli_error("analyze: --input must be auto, text or jsonl, not '%s'", input_arg);
		return NS_EXIT_USAGE;
	}
	if (npos == 0) {
		ns_cli_error("analyze: no input given (FILE, DIR or - for stdin; see narrascope analyze --help)");
		return NS_EXIT_USAGE;
	}
	int nstdin = 0;
	for (int i = 0; i < npos; i++)
		nstdin += strcmp(pos[i], "-") == 0;
	if (nstdin > 1) {
		ns_cli_error("analyze: '-' (stdin) given more than once");
		return NS_EXIT_USAGE;
	}
	if (lang_arg && (strlen(lang_arg) < 2 || strlen(lang_arg) > 3)) {
		ns_cli_error("analyze: --lang expects a 2- or 3-letter code, not '%s'", lang_arg);
		return NS_EXIT_USAGE;
	}

	int exit_code = NS_EXIT_OK, rc;
	ns_model *model = NULL;
	char *tmp = NULL;
	FILE *out = NULL;
	if (text_only && model_arg) {
		ns_cli_error("analyze: --text-only and --model exclude each other");
		return NS_EXIT_USAGE;
	}
	if (!text_only && (rc = ns_model_open(&model, model_arg)) < 0) {
		ns_cli_error("%s", ns_error_last());
		return NS_EXIT_ERROR;
	}
	if ((rc = ns_input_open(&R.input, (const char *const *)pos, (size_t)npos, &iopts)) < 0) {
		ns_cli_error("%s", ns_error_last());
		exit_code = NS_EXIT_ERROR;
		goto cleanup;
	}
	out = open_output(out_arg, &tmp);
	if (!out) {
		exit_code = NS_EXIT_ERROR;
		goto cleanup;
	}
	if (R.format == FMT_HTML && (rc = ns_html_report_new(&R.html)) < 0) {
		ns_cli_error("%s", ns_error_last());
		exit_code = NS_EXIT_ERROR;
		goto cleanup;
	}
	R.model = model;
	ns_analyze_opts ao = NS_ANALYZE_OPTS_INIT;
	ao.max_bytes = (size_t)max_bytes;
	ao.lang = lang_arg;
	R.aopts = ao;
	R.out = out;
	R.out_name = out_arg && strcmp(out_arg, "-") != 0 ? out_arg : "stdout";
	R.progress = isatty(STDERR_FILENO);
	R.t0 = R.last = now();
	ns_batch_ops ops = {next_item, work_item, emit_item, discard_item};
	rc = ns_batch_run(&ops, &R, (int)jobs, 0);
	show_progress(&R, 1);
	if (rc == 0 && R.format == FMT_JSON)
		fputs(R.ndocs ? "\n]\n" : "[]\n", out);
	if (rc == 0 && R.format == FMT_HTML) {
		ns_buf page = NS_BUF_INIT;
		rc = ns_html_report_finish(R.html, &page);
		if (rc == 0 && fwrite(page.ptr, 1, page.size, out) != page.size)
			rc = ns_error__set(NS_EIO, "%s: write error: %s", R.out_name, strerror(errno));
		ns_buf_free(&page);
	}
	if (rc < 0) {
		ns_cli_error("%s", ns_error_last());
		exit_code = NS_EXIT_ERROR;
	}
	if (close_output(out, tmp, out_arg, rc == 0) < 0) {
		ns_cli_error("%s", ns_error_last());
		exit_code = NS_EXIT_ERROR;
	}
	out = NULL;
	tmp = NULL;
	if (R.nfailed) {
		ns_cli_error("analyze: %zu of %zu documents failed", R.nfailed, R.nfailed + R.ndocs);
		exit_code = NS_EXIT_ERROR;
	}
cleanup:
	if (out)
		close_output(out, tmp, out_arg, 0);
	ns_html_report_free(R.html);
	ns_input_free(R.input);
	ns_model_free(model);
	return exit_code;
}
