/* Ordered parallel batches: items produced on the calling thread, processed by N
 * worker threads, and consumed on the calling thread in production order. Used by
 * `analyze` and `predict` (-j N). */
#ifndef NS_PIPELINE_BATCH_H
#define NS_PIPELINE_BATCH_H

#include <stddef.h>

typedef struct ns_batch_ops {
	/* Calling thread: produce the next item. 1 = *item set, 0 = no more, <0 = stop. */
	int (*next)(void *payload, void **item);
	/* Worker thread: process one item. Must touch nothing shared but read-only data. */
	void (*work)(void *payload, void *item);
	/* Calling thread, in production order: consume and free the item. <0 = stop. */
	int (*emit)(void *payload, void *item);
	/* Calling thread: free an item that will not be emitted (after a stop). */
	void (*discard)(void *payload, void *item);
} ns_batch_ops;

/* Runs the batch with `nthreads` workers (<= 1: everything on the calling thread)
 * and at most `window` items in flight (0: 4 per thread), which bounds memory
 * whatever the number of items. Returns 0, the first negative value returned by
 * next or emit, or NS_E* if threads cannot be started. */
int ns_batch_run(const ns_batch_ops *ops, void *payload, int nthreads, size_t window);

#endif
