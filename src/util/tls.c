/* Per-thread library state (tls slots in util.h).
 *
 * DESIGN: the memos that make the text and feature stages fast (Snowball
 * stemmers and stems, words' n-gram ids, folded entity keys, framing cue
 * matches) are per thread, so loaded models stay immutable and shared without
 * locks. One pthread key holds a table of slot values with their destructors:
 * a thread that exits frees its table, and ns_thread_release frees the calling
 * thread's now (the main thread's before exit, so valgrind sees no leak). */
#include <pthread.h>
#include <stdlib.h>

#include "util.h"

typedef struct tls_table {
	void *v[NS_TLS_N];
	void (*destroy[NS_TLS_N])(void *);
} tls_table;

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int key_err;

static void destroy_table(void *p)
{
	tls_table *t = p;
	if (!t)
		return;
	for (int i = 0; i < NS_TLS_N; i++)
		if (t->v[i] && t->destroy[i])
			t->destroy[i](t->v[i]);
	free(t);
}

static void init_key(void)
{
	key_err = pthread_key_create(&key, destroy_table);
}

static tls_table *table(void)
{
	if (pthread_once(&once, init_key) != 0 || key_err != 0)
		return NULL;
	return pthread_getspecific(key);
}

void *ns_tls_get(int slot)
{
	tls_table *t = slot >= 0 && slot < NS_TLS_N ? table() : NULL;
	return t ? t->v[slot] : NULL;
}

int ns_tls_set(int slot, void *v, void (*destroy)(void *))
{
	if (slot < 0 || slot >= NS_TLS_N)
		return ns_error__set(NS_EINVAL, "per-thread slot %d out of range", slot);
	tls_table *t = table();
	if (!t) {
		if (key_err != 0)
			return ns_error__set(NS_ENOMEM, "cannot create the per-thread state key");
		t = ns_calloc(1, sizeof *t);
		if (!t)
			return NS_ENOMEM;
		if (pthread_setspecific(key, t) != 0) {
			free(t);
			return ns_error__set(NS_ENOMEM, "cannot store the per-thread state");
		}
	}
	t->v[slot] = v;
	t->destroy[slot] = destroy;
	return 0;
}

NS_API void ns_thread_release(void)
{
	tls_table *t = table();
	if (t) {
		pthread_setspecific(key, NULL);
		destroy_table(t);
	}
}
