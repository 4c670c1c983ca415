/* Declarative option parsing and generated usage text for every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void ns_cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("narrascope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ns_cli_not_yet(const char *cmd, const char *what)
{
	ns_cli_error("%s: not available in this version (%s)", cmd, what);
	return NS_EXIT_USAGE;
}

void ns_cli_usage(const ns_cmd_spec *spec, FILE *out)
{
	fprintf(out, "usage: narrascope %s %s\n\n%s\n", spec->name, spec->usage, spec->summary);
	if (spec->opts && spec->opts[0].longname) {
		fputs("\noptions:\n", out);
		for (const ns_opt *o = spec->opts; o->longname; o++) {
			char left[64];
			if (o->shortname)
				snprintf(left, sizeof left, "-%c, --%s%s%s", o->shortname, o->longname,
					 o->metavar ? " " : "", o->metavar ? o->metavar : "");
			else
				snprintf(left, sizeof left, "    --%s%s%s", o->longname, o->metavar ? " " : "",
					 o->metavar ? o->metavar : "");
			fprintf(out, "  %-26s %s\n", left, o->help);
		}
		fprintf(out, "  %-26s %s\n", "-h, --help", "show this help");
	}
	if (spec->details)
		fprintf(out, "\n%s\n", spec->details);
}

static int set_opt(const ns_cmd_spec *spec, const ns_opt *o, const char *val)
{
	switch (o->kind) {
	case NS_OPT_FLAG:
		*(int *)o->dest = 1;
		return 0;
	case NS_OPT_STRING:
		*(const char **)o->dest = val;
		return 0;
	case NS_OPT_INT: {
		char *end;
		errno = 0;
		long v = strtol(val, &end, 10);
		if (errno || end == val || *end || v < o->min || v > o->max) {
			ns_cli_error("%s: --%s: expected an integer in [%ld, %ld], got '%s'", spec->name,
				     o->longname, o->min, o->max, val);
			return -1;
		}
		*(long *)o->dest = v;
		return 0;
	}
	case NS_OPT_MULTI: {
		const char **arr = o->dest;
		long i = 0;
		while (arr[i])
			i++;
		if (i + 1 >= o->max) {
			ns_cli_error("%s: --%s given too many times (at most %ld)", spec->name, o->longname, o->max - 1);
			return -1;
		}
		arr[i] = val;
		arr[i + 1] = NULL;
		return 0;
	}
	}
	return -1;
}

int ns_cli_parse(const ns_cmd_spec *spec, int argc, char **argv, char ***pos, int *npos)
{
	*npos = 0;
	*pos = argv + 1; /* positionals are compacted into argv[1..] */
	int only_pos = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
			(*pos)[(*npos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			ns_cli_usage(spec, stdout);
			return 1;
		}
		const ns_opt *found = NULL;
		const char *val = NULL;
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			for (const ns_opt *o = spec->opts; o && o->longname; o++)
				if (strlen(o->longname) == nl && strncmp(o->longname, name, nl) == 0)
					found = o;
			if (eq)
				val = eq + 1;
		} else if (a[2] == '\0') {
			for (const ns_opt *o = spec->opts; o && o->longname; o++)
				if (o->shortname == a[1])
					found = o;
		} else {
			/* -j4 style */
			for (const ns_opt *o = spec->opts; o && o->longname; o++)
				if (o->shortname == a[1] && o->kind != NS_OPT_FLAG) {
					found = o;
					val = a + 2;
				}
		}
		if (!found) {
			ns_cli_error("%s: unknown option '%s' (see narrascope %s --help)", spec->name, a, spec->name);
			return -1;
		}
		if (found->kind == NS_OPT_FLAG) {
			if (val) {
				ns_cli_error("%s: --%s takes no value", spec->name, found->longname);
				return -1;
			}
		} else if (!val) {
			if (i + 1 >= argc) {
				ns_cli_error("%s: --%s needs a value %s", spec->name, found->longname,
					     found->metavar ? found->metavar : "");
				return -1;
			}
			val = argv[++i];
		}
		if (set_opt(spec, found, val) < 0)
			return -1;
	}
	return 0;
}
