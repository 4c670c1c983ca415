/* The task table for train/cv/predict (see tasks.h). To add a task, define
 * `const ns_task ns_task_<name>` in src/cli/task_<name>.c and add ONE line
 * `X(<name>)` to NS_TASK_LIST below. Order matters for `train --task all`:
 * tasks are trained in this order into one bundle. */
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "tasks.h"

#define NS_TASK_LIST(X) \
	X(narratives) \
	X(framing) \
	X(explanations) \

#define NS_TASK__DECLARE(n) extern const ns_task ns_task_##n;
#define NS_TASK__ENTRY(n) &ns_task_##n,
NS_TASK_LIST(NS_TASK__DECLARE)

const ns_task *const ns_tasks[] = {NS_TASK_LIST(NS_TASK__ENTRY)};
const size_t ns_ntasks = sizeof ns_tasks / sizeof ns_tasks[0];

const ns_task *ns_task_find(const char *name)
{
	for (size_t i = 0; i < ns_ntasks; i++)
		if (strcmp(ns_tasks[i]->name, name) == 0)
			return ns_tasks[i];
	return NULL;
}

void ns_task_names(char *buf, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < ns_ntasks && n + 1 < cap; i++) {
		const char *nm = ns_tasks[i]->name;
		size_t l = strlen(nm);
		if (n + l + 3 >= cap)
			break;
		if (i > 0) {
			memcpy(buf + n, ", ", 2);
			n += 2;
		}
		memcpy(buf + n, nm, l);
		n += l;
		buf[n] = '\0';
	}
}

void ns_task_opts_init(ns_task_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->folds = 5;
	o->threads = 1;
	o->progress = 1;
}

void ns_task_opts_common(ns_task_opts *o, const char *const *data, const char *taxonomy, long seed, long folds,
			 long threads, int quiet, const char *params)
{
	ns_task_opts_init(o);
	for (size_t i = 0; data[i] && o->ndata < NS_TASK_MAX_DATA; i++)
		o->data[o->ndata++] = data[i];
	o->taxonomy = taxonomy;
	o->seed = (unsigned long)seed;
	o->folds = (int)folds;
	o->threads = (int)threads;
	o->progress = !quiet;
	o->params = params;
}

/* --taxonomy, or the "taxonomy" dir next to (or above) the first data dir. */
int ns_task_taxonomy_dir(char *buf, size_t cap, const ns_task_opts *o)
{
	struct stat st;
	if (o->taxonomy) {
		snprintf(buf, cap, "%s", o->taxonomy);
		return 0;
	}
	if (o->ndata == 0)
		return ns_error__set(NS_EINVAL, "no --data given");
	const char *cand[] = {"/../taxonomy", "/../../taxonomy", "/taxonomy"};
	for (size_t i = 0; i < 3; i++) {
		ns_buf p = NS_BUF_INIT;
		ns_buf_printf(&p, "%s%s/narratives.txt", o->data[0], cand[i]);
		int found = !ns_buf_failed(&p) && stat(p.ptr, &st) == 0 && p.size - 15 < cap;
		if (found) {
			memcpy(buf, p.ptr, p.size - 15);
			buf[p.size - 15] = '\0';
		}
		ns_buf_free(&p);
		if (found)
			return 0;
	}
	return ns_error__set(NS_EINVAL, "no taxonomy found next to %s; give --taxonomy DIR", o->data[0]);
}


/* Hashes the files under dir (recursively, names sorted) into *h. */
static int digest_dir(uint64_t *h, const char *root, const char *rel, int depth)
{
	int rc = 0;
	struct dirent **names = NULL;
	ns_buf path = NS_BUF_INIT;
	ns_buf_printf(&path, "%s%s%s", root, rel[0] ? "/" : "", rel);
	if (ns_buf_failed(&path))
		return NS_ENOMEM;
	if (depth > 8) {
		ns_buf_free(&path);
		return 0;
	}
	int n = scandir(path.ptr, &names, NULL, alphasort);
	if (n < 0) {
		rc = ns_error__set(NS_EIO, "%s: cannot list directory", path.ptr);
		ns_buf_free(&path);
		return rc;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		if (rc == 0 && nm[0] != '.') {
			ns_buf sub = NS_BUF_INIT, full = NS_BUF_INIT;
			struct stat st;
			ns_buf_printf(&sub, "%s%s%s", rel, rel[0] ? "/" : "", nm);
			ns_buf_printf(&full, "%s/%s", root, sub.ptr ? sub.ptr : "");
			if (ns_buf_failed(&sub) || ns_buf_failed(&full))
				rc = NS_ENOMEM;
			else if (stat(full.ptr, &st) == 0 && S_ISDIR(st.st_mode))
				rc = digest_dir(h, root, sub.ptr, depth + 1);
			else if (stat(full.ptr, &st) == 0 && S_ISREG(st.st_mode)) {
				char *data = NULL;
				size_t len = 0;
				rc = ns_file_read(&data, &len, full.ptr, 0);
				if (rc == 0) {
					*h = ns_hash_mix(*h, ns_hash64(sub.ptr, sub.size, *h));
					*h = ns_hash_mix(*h, ns_hash64(data, len, *h));
				}
				free(data);
			}
			ns_buf_free(&sub);
			ns_buf_free(&full);
		}
		free(names[i]);
	}
	free(names);
	ns_buf_free(&path);
	return rc;
}

int ns_task_data_digest(char *buf, size_t cap, const ns_task_opts *o, const char *taxonomy_dir)
{
	uint64_t h = 0x6e73646967657374ULL;
	int rc;
	for (size_t i = 0; i < o->ndata; i++)
		if ((rc = digest_dir(&h, o->data[i], "", 0)) < 0)
			return rc;
	if (taxonomy_dir && (rc = digest_dir(&h, taxonomy_dir, "", 0)) < 0)
		return rc;
	snprintf(buf, cap, "ns64:%016llx", (unsigned long long)h);
	return 0;
}
