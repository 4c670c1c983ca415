/* Ordered parallel batches over worker threads (see batch.h).
 *
 * DESIGN: a ring of `window` slots. The calling thread fills slots from `next`
 * and empties them, oldest first, through `emit`; workers take filled slots in
 * order and mark them done. Output order is therefore the input order whatever
 * the thread count, and at most `window` items (documents with their results)
 * exist at once, so memory is bounded by the window, not by the corpus. One mutex
 * and two condition variables; the work itself runs unlocked. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"
#include "batch.h"

typedef struct batch {
	const ns_batch_ops *ops;
	void *payload;
	size_t window;
	void **items;
	unsigned char *done;
	size_t head, tail, next_work; /* monotonic counters; slot = counter % window */
	int stop;                     /* no more items will be produced: workers exit when idle */
	pthread_mutex_t mu;
	pthread_cond_t work_cv, done_cv;
} batch;

static void *worker(void *arg)
{
	batch *b = arg;
	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->next_work == b->tail && !b->stop)
			pthread_cond_wait(&b->work_cv, &b->mu);
		if (b->next_work == b->tail)
			break; /* stopped and nothing left */
		size_t idx = b->next_work++ % b->window;
		void *item = b->items[idx];
		pthread_mutex_unlock(&b->mu);
		b->ops->work(b->payload, item);
		pthread_mutex_lock(&b->mu);
		b->done[idx] = 1;
		pthread_cond_broadcast(&b->done_cv);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static int run_serial(const ns_batch_ops *ops, void *payload)
{
	for (;;) {
		void *item = NULL;
		int r = ops->next(payload, &item);
		if (r <= 0)
			return r;
		ops->work(payload, item);
		if ((r = ops->emit(payload, item)) < 0)
			return r;
	}
}

int ns_batch_run(const ns_batch_ops *ops, void *payload, int nthreads, size_t window)
{
	if (nthreads <= 1)
		return run_serial(ops, payload);
	batch b;
	memset(&b, 0, sizeof b);
	b.ops = ops;
	b.payload = payload;
	b.window = window ? window : (size_t)nthreads * 4;
	if (b.window < 2)
		b.window = 2;
	int rc = 0, started = 0, eof = 0;
	pthread_t *threads = ns_calloc((size_t)nthreads, sizeof *threads);
	b.items = ns_calloc(b.window, sizeof *b.items);
	b.done = ns_calloc(b.window, 1);
	if (!threads || !b.items || !b.done) {
		free(threads);
		free(b.items);
		free(b.done);
		return NS_ENOMEM;
	}
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.work_cv, NULL);
	pthread_cond_init(&b.done_cv, NULL);
	for (; started < nthreads; started++) {
		if (pthread_create(&threads[started], NULL, worker, &b) != 0) {
			rc = ns_error__set(NS_ENOMEM, "cannot start worker thread %d of %d", started + 1, nthreads);
			break;
		}
	}
	if (started == 0)
		goto join;
	rc = 0;
	for (;;) {
		/* fill the window (next() runs unlocked: only this thread touches tail) */
		while (!eof && rc == 0 && b.tail - b.head < b.window) {
			void *item = NULL;
			int r = ops->next(payload, &item);
			if (r < 0)
				rc = r;
			if (r <= 0) {
				eof = 1;
				break;
			}
			size_t idx = b.tail % b.window;
			pthread_mutex_lock(&b.mu);
			b.items[idx] = item;
			b.done[idx] = 0;
			b.tail++;
			pthread_cond_signal(&b.work_cv);
			pthread_mutex_unlock(&b.mu);
		}
		if (b.head == b.tail)
			break;
		size_t idx = b.head % b.window;
		pthread_mutex_lock(&b.mu);
		while (!b.done[idx])
			pthread_cond_wait(&b.done_cv, &b.mu);
		pthread_mutex_unlock(&b.mu);
		void *item = b.items[idx];
		b.items[idx] = NULL;
		b.head++;
		if (rc == 0) {
			int r = ops->emit(payload, item);
			if (r < 0) {
				rc = r;
				eof = 1;
			}
		} else if (ops->discard) {
			ops->discard(payload, item);
		}
	}
join:
	pthread_mutex_lock(&b.mu);
	b.stop = 1;
	pthread_cond_broadcast(&b.work_cv);
	pthread_mutex_unlock(&b.mu);
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_cond_destroy(&b.work_cv);
	pthread_cond_destroy(&b.done_cv);
	pthread_mutex_destroy(&b.mu);
	free(threads);
	free(b.items);
	free(b.done);
	return rc;
}
