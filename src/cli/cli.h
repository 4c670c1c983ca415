/* Command-line plumbing: the command table entry type and a declarative option
 * parser that also generates each command's usage text. */
#ifndef NS_CLI_H
#define NS_CLI_H

#include <stddef.h>
#include <stdio.h>

#define NS_EXIT_OK 0
#define NS_EXIT_ERROR 1
#define NS_EXIT_USAGE 2

typedef enum {
	NS_OPT_FLAG,   /* sets *(int *)dest = 1 */
	NS_OPT_STRING, /* *(const char **)dest = value */
	NS_OPT_INT,    /* *(long *)dest = value, checked against [min, max] */
	NS_OPT_MULTI,  /* appends to a NULL-terminated (const char **)dest of cap `max` */
} ns_opt_kind;

typedef struct ns_opt {
	char shortname;       /* 0 for none */
	const char *longname; /* without leading -- */
	ns_opt_kind kind;
	void *dest;
	const char *metavar;  /* e.g. "FILE" */
	const char *help;     /* one line; defaults are written here */
	long min, max;
} ns_opt;

typedef struct ns_cmd_spec {
	const char *name;    /* "analyze" */
	const char *usage;   /* "[options] FILE|DIR|-..." */
	const char *summary; /* one line */
	const char *details; /* paragraph after the options, may be NULL */
	const ns_opt *opts;  /* terminated by an entry with longname NULL */
} ns_cmd_spec;

/* Parses argv (argv[0] is the command name). Positional arguments are collected
 * into *pos (borrowed from argv) and their count into *npos. Handles --help
 * (prints usage, returns 1 so the caller exits 0). Returns 0 on success, 1 for
 * --help, -1 on a usage error (message already printed). */
int ns_cli_parse(const ns_cmd_spec *spec, int argc, char **argv, char ***pos, int *npos);
void ns_cli_usage(const ns_cmd_spec *spec, FILE *out);
/* Prints "narrascope: <msg>" to stderr. */
void ns_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the standard "not available yet" message for a command a later issue
 * implements and returns NS_EXIT_USAGE. */
int ns_cli_not_yet(const char *cmd, const char *what);

/* command entry points, one file each */
int ns_cmd_analyze(int argc, char **argv);
int ns_cmd_train(int argc, char **argv);
int ns_cmd_predict(int argc, char **argv);
int ns_cmd_eval(int argc, char **argv);
int ns_cmd_cv(int argc, char **argv);
int ns_cmd_model(int argc, char **argv);
int ns_cmd_ingest(int argc, char **argv);
int ns_cmd_serve(int argc, char **argv);
int ns_cmd_query(int argc, char **argv);

#endif
