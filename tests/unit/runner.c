/* Test runner: runs every registered unit test, then every tests/e2e/ script ending in .sh
 * (exit 0 pass, 77 skip, else fail), and prints `N passed, N failed` last.
 * Usage: test-unit [substring-filter] */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#define MAX_TESTS 4096

static struct { const char *name; ns_test_fn fn; } tests[MAX_TESTS];
static int ntests;
static int cur_failed, cur_skipped;
static const char *cur_name;

void ns_test_register(const char *name, ns_test_fn fn)
{
	if (ntests < MAX_TESTS) {
		tests[ntests].name = name;
		tests[ntests].fn = fn;
		ntests++;
	}
}

void ns_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	if (cur_failed < 5) {
		fprintf(stdout, "FAIL %s: %s:%d: ", cur_name, file, line);
		va_start(ap, fmt);
		vfprintf(stdout, fmt, ap);
		va_end(ap);
		fputc('\n', stdout);
	}
	cur_failed++;
}

void ns_test_skip(const char *reason)
{
	printf("SKIP %s: %s\n", cur_name, reason);
	cur_skipped = 1;
}

const char *ns_test_src(void)
{
	const char *s = getenv("NS_SRC");
	return s && *s ? s : ".";
}

const char *ns_test_bin(void)
{
	const char *s = getenv("NS_BIN");
	return s && *s ? s : "build/narrascope";
}

const char *ns_test_data(void)
{
	static char path[4096];
	const char *d = getenv("NS_DATA");
	if (!d || !*d)
		d = "../shared/data";
	snprintf(path, sizeof path, "%s/semeval2025/train", d);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	snprintf(path, sizeof path, "%s", d);
	return path;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int cmp_test(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0, skipped = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(tests, (size_t)ntests, sizeof tests[0], cmp_test);
	for (int i = 0; i < ntests; i++) {
		if (filter && !strstr(tests[i].name, filter))
			continue;
		cur_name = tests[i].name;
		cur_failed = cur_skipped = 0;
		tests[i].fn();
		if (cur_failed)
			failed++;
		else if (cur_skipped)
			skipped++;
		else
			passed++;
	}
	/* end-to-end scripts */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/e2e", ns_test_src());
	DIR *d = opendir(dir);
	char *names[1024];
	int nn = 0;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) && nn < 1024) {
			size_t l = strlen(e->d_name);
			if (l > 3 && strcmp(e->d_name + l - 3, ".sh") == 0)
				names[nn++] = strdup(e->d_name);
		}
		closedir(d);
	}
	qsort(names, (size_t)nn, sizeof names[0], cmp_str);
	for (int i = 0; i < nn; i++) {
		char name[512];
		snprintf(name, sizeof name, "e2e__%.*s", (int)(strlen(names[i]) - 3), names[i]);
		if (filter && !strstr(name, filter)) {
			free(names[i]);
			continue;
		}
		char cmd[8192];
		snprintf(cmd, sizeof cmd, "sh '%s/%s' > /tmp/ns-e2e-%d.log 2>&1", dir, names[i], (int)getpid());
		int st = system(cmd);
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
		char logp[256];
		snprintf(logp, sizeof logp, "/tmp/ns-e2e-%d.log", (int)getpid());
		if (code == 0) {
			passed++;
		} else if (code == 77) {
			FILE *f = fopen(logp, "r");
			char line[512] = "skipped";
			if (f) {
				if (!fgets(line, sizeof line, f))
					snprintf(line, sizeof line, "skipped");
				fclose(f);
			}
			line[strcspn(line, "\n")] = 0;
			printf("SKIP %s: %s\n", name, line);
			skipped++;
		} else {
			printf("FAIL %s (exit %d); last lines of its output:\n", name, code);
			char tail[1024];
			snprintf(tail, sizeof tail, "tail -n 15 %s | sed 's/^/    /'", logp);
			if (system(tail) != 0)
				printf("    (no output)\n");
			failed++;
		}
		remove(logp);
		free(names[i]);
	}
	if (skipped)
		printf("%d skipped\n", skipped);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
