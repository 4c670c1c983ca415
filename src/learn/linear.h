/* Linear binary classifiers trained in-process: dual coordinate descent for
 * L2-regularised L1-loss (hinge) and L2-loss (squared hinge) SVMs, following
 * Hsieh, Chang, Lin, Keerthi, Sundararajan, "A Dual Coordinate Descent Method for
 * Large-scale Linear SVM" (ICML 2008), with shrinking; and one-vs-rest training of
 * many labels over threads.
 *
 * DESIGN: determinism. Each label's solve depends only on its data, parameters and
 * seed (coordinate order from splitmix64), and labels are independent, so the
 * thread count changes the schedule but not one bit of the result. */
#ifndef NS_LEARN_LINEAR_H
#define NS_LEARN_LINEAR_H

#include <stddef.h>
#include <stdint.h>

#include "svec.h"

enum ns_loss {
	NS_LOSS_L2SVM = 0, /* squared hinge */
	NS_LOSS_L1SVM = 1, /* hinge */
};

typedef struct ns_linear_params {
	int loss;          /* enum ns_loss */
	double C;          /* cost of a negative example */
	double pos_weight; /* a positive example costs C * pos_weight */
	double bias;       /* value of the constant feature (0: no bias term) */
	double eps;        /* stop when the projected-gradient spread is below eps */
	int max_iter;      /* passes over the data */
	uint64_t seed;
} ns_linear_params;
#define NS_LINEAR_PARAMS_INIT {NS_LOSS_L2SVM, 1.0, 1.0, 1.0, 0.1, 200, 1}

/* Trains one binary classifier on rows X[0..n) (compact indices < dim) with labels
 * y[i] in {+1, -1}; sw (may be NULL) multiplies each example's cost. w gets
 * dim + 1 doubles (w[dim] multiplies the bias value). *iters (may be NULL) gets
 * the passes used. */
int ns_linear_train(double *w, const ns_svec *X, size_t n, size_t dim, const int8_t *y, const float *sw,
		    const ns_linear_params *p, int *iters);

/* Decision value of w (dim + 1 doubles) for v. */
static inline double ns_linear_score(const double *w, size_t dim, double bias, const ns_svec *v)
{
	return ns_svec_dot_dense(v, w) + w[dim] * bias;
}

/* Progress callback: called (from the calling thread only) after each finished
 * label with the count done so far. */
typedef void (*ns_progress_fn)(void *payload, size_t done, size_t total);

/* One-vs-rest: Y is nlabels x n (Y[l * n + i] in {+1,-1}); W gets nlabels rows of
 * dim + 1 doubles. Label l uses seed p->seed + l. Runs on `threads` threads. */
int ns_linear_train_ovr(double *W, const ns_svec *X, size_t n, size_t dim, const int8_t *Y, const float *sw,
			size_t nlabels, const ns_linear_params *p, int threads, ns_progress_fn progress,
			void *payload);

/* The same with costs per label: label l's example costs are sw[l * sw_stride ..
 * l * sw_stride + n) (sw_stride 0: all labels share sw[0..n)). */
int ns_linear_train_ovr_sw(double *W, const ns_svec *X, size_t n, size_t dim, const int8_t *Y, const float *sw,
			   size_t sw_stride, size_t nlabels, const ns_linear_params *p, int threads,
			   ns_progress_fn progress, void *payload);

#endif
