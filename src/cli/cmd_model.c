/* narrascope model info|dump: inspect a model bundle (.nsm).
 *
 * info: format version, size, sections with sizes, and when present the
 * manifest (training data digest, parameters, build), the cross-validated scores
 * (cv.* rows) and the taxonomy summary. dump: every section readable — text
 * sections printed as they are, binary ones as size, CRC, a hex preview and the
 * first values read as little-endian float32. Conventions: src/model/manifest.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "model/bundle.h"
#include "model/manifest.h"
#include "model/ser.h"

static long opt_values = 16;
static const char *opt_section;
static int opt_labels;

static const ns_opt info_opts[] = {
	{'l', "labels", NS_OPT_FLAG, &opt_labels, NULL, "list every taxonomy label (default: counts and narratives)", 0, 0},
	{0, NULL, 0, NULL, NULL, NULL, 0, 0},
};

static const ns_opt dump_opts[] = {
	{'s', "section", NS_OPT_STRING, &opt_section, "NAME", "dump only this section", 0, 0},
	{'n', "values", NS_OPT_INT, &opt_values, "N", "binary sections: show the first N float32 values (default 16)", 0,
	 1000000},
	{0, NULL, 0, NULL, NULL, NULL, 0, 0},
};

static const ns_cmd_spec info_spec = {
	"model info", "[options] MODEL.nsm",
	"Validate a model bundle and show its format version, sections, manifest, cross-validated scores and taxonomy.",
	"Exit status 1 when the file is missing, truncated, corrupted or written by a newer version.", info_opts,
};

static const ns_cmd_spec dump_spec = {
	"model dump", "[options] MODEL.nsm",
	"Print every section of a model bundle readably: text sections verbatim, binary sections as size, CRC-32, "
	"hex and little-endian float32 values.",
	NULL, dump_opts,
};

static const ns_cmd_spec model_spec = {
	"model", "info|dump [options] MODEL.nsm", "Inspect a model bundle (.nsm).",
	"subcommands:\n  info   format version, sections, manifest, cross-validated scores, taxonomy\n"
	"  dump   every section in readable form\n`narrascope model info --help` describes each.",
	NULL,
};

/* A section is shown as text when it is valid UTF-8 without NUL or control
 * characters other than TAB/LF/CR. */
static int is_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		bool bad;
		size_t k = ns_utf8_decode(s + i, n - i, &cp, &bad);
		if (bad || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f)
			return 0;
		i += k;
	}
	return 1;
}

static int load_manifest(ns_manifest **out, const ns_bundle *b, const char *sec)
{
	const void *d;
	size_t n;
	*out = NULL;
	if (ns_bundle_section(b, sec, &d, &n) < 0)
		return 0;
	char name[512];
	snprintf(name, sizeof name, "%s:%s", ns_bundle_path(b), sec);
	return ns_manifest_parse(out, d, n, name);
}

/* prints a manifest value on one line: TAB, LF and CR shown as escapes */
static void print_value(const char *v)
{
	for (; *v; v++) {
		if (*v == '\t')
			fputs("\\t", stdout);
		else if (*v == '\n')
			fputs("\\n", stdout);
		else if (*v == '\r')
			fputs("\\r", stdout);
		else
			putchar(*v);
	}
	putchar('\n');
}

static void print_sections(const ns_bundle *b)
{
	size_t ns = ns_bundle_nsections(b);
	printf("sections: %zu\n", ns);
	printf("  %-32s %12s %12s  %s\n", "name", "offset", "bytes", "crc32");
	for (size_t i = 0; i < ns; i++) {
		size_t len;
		uint64_t off;
		uint32_t crc;
		const char *name = ns_bundle_section_at(b, i, &len);
		ns_bundle_section_info(b, i, &off, &crc);
		printf("  %-32s %12llu %12zu  %08x\n", name, (unsigned long long)off, len, crc);
	}
}

static void print_manifest(const ns_manifest *m)
{
	size_t ncv = 0;
	puts("manifest:");
	for (size_t i = 0; i < ns_manifest_nrows(m); i++) {
		const char *const *f;
		size_t nf = ns_manifest_row(m, i, &f);
		if (strncmp(f[0], "cv.", 3) == 0 && strcmp(f[0], "cv.folds") != 0 && strcmp(f[0], "cv.seed") != 0) {
			ncv++;
			continue;
		}
		printf("  %-28s ", f[0]);
		print_value(nf > 1 ? f[1] : "");
	}
	if (!ncv)
		return;
	const char *folds = ns_manifest_get(m, "cv.folds"), *seed = ns_manifest_get(m, "cv.seed");
	printf("cross-validated scores");
	if (folds)
		printf(" (%s folds%s%s)", folds, seed ? ", seed " : "", seed ? seed : "");
	puts(": mean ± std over folds");
	for (size_t i = 0; i < ns_manifest_nrows(m); i++) {
		const char *const *f;
		size_t nf = ns_manifest_row(m, i, &f);
		if (strncmp(f[0], "cv.", 3) != 0 || strcmp(f[0], "cv.folds") == 0 || strcmp(f[0], "cv.seed") == 0)
			continue;
		double mean, sd;
		if (nf < 2 || ns_manifest_parse_score(f[1], &mean, &sd) < 0)
			printf("  %-40s %s (unparsed)\n", f[0] + 3, nf > 1 ? f[1] : "");
		else if (sd >= 0)
			printf("  %-40s %.4f ± %.4f\n", f[0] + 3, mean, sd);
		else
			printf("  %-40s %.4f\n", f[0] + 3, mean);
	}
}

static void print_taxonomy(const ns_manifest *t)
{
	size_t nc = ns_manifest_count(t, "coarse"), nfine = ns_manifest_count(t, "fine"),
	       nrole = ns_manifest_count(t, "role");
	printf("taxonomy: %zu narratives, %zu subnarratives, %zu roles\n", nc, nfine, nrole);
	for (size_t i = 0; i < ns_manifest_nrows(t); i++) {
		const char *const *f;
		size_t nf = ns_manifest_row(t, i, &f);
		if (nf < 2)
			continue;
		if (strcmp(f[0], "coarse") == 0) {
			/* subnarratives of this narrative: explicit parent, else "COARSE: " prefix */
			size_t sub = 0, cl = strlen(f[1]);
			for (size_t j = 0; j < ns_manifest_nrows(t); j++) {
				const char *const *g;
				size_t ng = ns_manifest_row(t, j, &g);
				if (ng < 2 || strcmp(g[0], "fine") != 0)
					continue;
				if (ng >= 3 ? strcmp(g[2], f[1]) == 0
					    : strncmp(g[1], f[1], cl) == 0 && g[1][cl] == ':' && g[1][cl + 1] == ' ')
					sub++;
			}
			printf("  %-72s %3zu sub\n", f[1], sub);
		} else if (opt_labels && strcmp(f[0], "fine") == 0) {
			printf("    fine  %s\n", f[1]);
		} else if (opt_labels && strcmp(f[0], "role") == 0) {
			printf("    role  %s / %s\n", f[1], nf > 2 ? f[2] : "");
		}
	}
}

static int cmd_info(int argc, char **argv)
{
	char **pos;
	int npos, rc = NS_EXIT_ERROR;
	int r = ns_cli_parse(&info_spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (npos != 1) {
		ns_cli_error("model info: expected one MODEL.nsm (see narrascope model info --help)");
		return NS_EXIT_USAGE;
	}
	ns_bundle *b = NULL;
	ns_manifest *m = NULL, *t = NULL;
	if (ns_bundle_open(&b, pos[0]) < 0) {
		ns_cli_error("%s", ns_error_last());
		goto cleanup;
	}
	printf("file: %s\nformat version: %u\nsize: %zu bytes\n", ns_bundle_path(b), ns_bundle_version(b),
	       ns_bundle_size(b));
	print_sections(b);
	if (load_manifest(&m, b, NS_SECTION_MANIFEST) < 0 || load_manifest(&t, b, NS_SECTION_TAXONOMY) < 0) {
		ns_cli_error("%s", ns_error_last());
		goto cleanup;
	}
	if (m)
		print_manifest(m);
	else
		puts("manifest: (none)");
	if (t)
		print_taxonomy(t);
	else
		puts("taxonomy: (none)");
	rc = NS_EXIT_OK;
cleanup:
	ns_manifest_free(m);
	ns_manifest_free(t);
	ns_bundle_close(b);
	return rc;
}

static void dump_binary(const unsigned char *d, size_t n)
{
	size_t hex = n < 64 ? n : 64;
	for (size_t i = 0; i < hex; i += 16) {
		printf("  %08zx ", i);
		for (size_t k = i; k < i + 16 && k < hex; k++)
			printf(" %02x", d[k]);
		putchar('\n');
	}
	if (hex < n)
		printf("  ... %zu more bytes\n", n - hex);
	size_t nf = n / 4;
	if ((size_t)opt_values < nf)
		nf = (size_t)opt_values;
	if (!nf)
		return;
	ns_rd r;
	ns_rd_init(&r, d, n);
	printf("  as float32 (first %zu of %zu):", nf, n / 4);
	for (size_t i = 0; i < nf; i++) {
		float v = ns_rd_f32(&r);
		if (i % 8 == 0)
			printf("\n   ");
		if (isfinite(v))
			printf(" %.9g", (double)v);
		else
			printf(" %s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
	}
	putchar('\n');
}

static int cmd_dump(int argc, char **argv)
{
	char **pos;
	int npos, rc = NS_EXIT_ERROR;
	int r = ns_cli_parse(&dump_spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	if (npos != 1) {
		ns_cli_error("model dump: expected one MODEL.nsm (see narrascope model dump --help)");
		return NS_EXIT_USAGE;
	}
	ns_bundle *b = NULL;
	if (ns_bundle_open(&b, pos[0]) < 0) {
		ns_cli_error("%s", ns_error_last());
		goto cleanup;
	}
	size_t ns = ns_bundle_nsections(b), shown = 0;
	printf("# %s: format version %u, %zu bytes, %zu sections\n", ns_bundle_path(b), ns_bundle_version(b),
	       ns_bundle_size(b), ns);
	for (size_t i = 0; i < ns; i++) {
		size_t len;
		uint64_t off;
		uint32_t crc;
		const void *d;
		const char *name = ns_bundle_section_at(b, i, &len);
		if (opt_section && strcmp(opt_section, name) != 0)
			continue;
		shown++;
		ns_bundle_section_info(b, i, &off, &crc);
		ns_bundle_section(b, name, &d, &len);
		int text = len > 0 && is_text(d, len);
		printf("\n== %s  (%zu bytes at offset %llu, crc32 %08x, %s)\n", name, len, (unsigned long long)off, crc,
		       len == 0 ? "empty" : text ? "text" : "binary");
		if (text) {
			fwrite(d, 1, len, stdout);
			if (((const char *)d)[len - 1] != '\n')
				putchar('\n');
		} else if (len) {
			dump_binary(d, len);
		}
	}
	if (opt_section && !shown) {
		ns_cli_error("%s: no section named '%s'", ns_bundle_path(b), opt_section);
		goto cleanup;
	}
	if (fflush(stdout) != 0) {
		ns_cli_error("model dump: cannot write to stdout");
		goto cleanup;
	}
	rc = NS_EXIT_OK;
cleanup:
	ns_bundle_close(b);
	return rc;
}

int ns_cmd_model(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "info") == 0)
		return cmd_info(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "dump") == 0)
		return cmd_dump(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		ns_cli_usage(&model_spec, stdout);
		return NS_EXIT_OK;
	}
	if (argc < 2)
		ns_cli_error("model: expected a subcommand: info or dump (see narrascope model --help)");
	else
		ns_cli_error("model: unknown subcommand '%s' (expected info or dump)", argv[1]);
	return NS_EXIT_USAGE;
}
