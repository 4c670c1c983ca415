/* Dual coordinate descent for L2-regularised linear SVMs (L1- and L2-loss) with
 * shrinking, and one-vs-rest training over threads (see linear.h).
 *
 * The dual of  min_w 1/2 |w|^2 + sum_i C_i xi(w; x_i, y_i)  is
 *   min_a 1/2 a'Qa - e'a,  0 <= a_i <= U_i,  Q = YXX'Y + D,
 * with U_i = C_i, D_ii = 0 for the hinge loss and U_i = inf, D_ii = 1/(2 C_i) for
 * the squared hinge. One coordinate step is a_i <- clip(a_i - G/Q_ii) with
 * G = y_i w.x_i - 1 + D_ii a_i, keeping w = sum_i y_i a_i x_i up to date. Bounded
 * coordinates whose gradient points outward beyond last pass's extreme projected
 * gradient are shrunk (taken out of the active set) until convergence on the
 * active set, then everything is rechecked once. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "folds.h"
#include "linear.h"

int ns_linear_train(double *w, const ns_svec *X, size_t n, size_t dim, const int8_t *y, const float *sw,
		    const ns_linear_params *p, int *iters)
{
	int rc = 0, iter = 0;
	double *alpha = NULL, *qd = NULL, *diag = NULL, *upper = NULL;
	size_t *index = NULL;
	const double bias = p->bias;
	uint64_t rng = p->seed;

	if (!(p->C > 0) || !(p->pos_weight > 0) || !(p->eps > 0) || p->max_iter < 1)
		return ns_error__set(NS_EINVAL, "linear: invalid parameters (C %g, pos_weight %g, eps %g, max_iter %d)",
				     p->C, p->pos_weight, p->eps, p->max_iter);
	memset(w, 0, (dim + 1) * sizeof *w);
	if (iters)
		*iters = 0;
	if (n == 0)
		return 0;
	alpha = ns_calloc(n, sizeof *alpha);
	qd = ns_calloc(n, sizeof *qd);
	index = ns_calloc(n, sizeof *index);
	diag = ns_calloc(n, sizeof *diag);
	upper = ns_calloc(n, sizeof *upper);
	if (!alpha || !qd || !index || !diag || !upper) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		double cost = (y[i] > 0 ? p->C * p->pos_weight : p->C) * (sw ? (double)sw[i] : 1.0);
		if (!(cost > 0))
			cost = 1e-12;
		if (p->loss == NS_LOSS_L1SVM) {
			diag[i] = 0;
			upper[i] = cost;
		} else {
			diag[i] = 0.5 / cost;
			upper[i] = HUGE_VAL;
		}
		double s = bias * bias;
		for (size_t j = 0; j < X[i].n; j++)
			s += (double)X[i].e[j].v * X[i].e[j].v;
		qd[i] = s + diag[i];
		index[i] = i;
	}

	size_t active = n;
	double pgmax_old = HUGE_VAL, pgmin_old = -HUGE_VAL;
	for (iter = 0; iter < p->max_iter; iter++) {
		double pgmax = -HUGE_VAL, pgmin = HUGE_VAL;
		for (size_t s = active; s > 1; s--) {
			size_t j = (size_t)(ns_splitmix64(&rng) % s);
			size_t t = index[s - 1];
			index[s - 1] = index[j];
			index[j] = t;
		}
		for (size_t s = 0; s < active; s++) {
			size_t i = index[s];
			const ns_svec *x = &X[i];
			double yi = y[i] > 0 ? 1.0 : -1.0;
			double G = w[dim] * bias;
			for (size_t k = 0; k < x->n; k++)
				G += w[x->e[k].id] * x->e[k].v;
			G = G * yi - 1.0 + alpha[i] * diag[i];
			double PG = 0;
			if (alpha[i] == 0) {
				if (G > pgmax_old) {
					active--;
					index[s] = index[active];
					index[active] = i;
					s--;
					continue;
				}
				if (G < 0)
					PG = G;
			} else if (alpha[i] == upper[i]) {
				if (G < pgmin_old) {
					active--;
					index[s] = index[active];
					index[active] = i;
					s--;
					continue;
				}
				if (G > 0)
					PG = G;
			} else {
				PG = G;
			}
			if (PG > pgmax)
				pgmax = PG;
			if (PG < pgmin)
				pgmin = PG;
			if (fabs(PG) > 1e-12) {
				double old = alpha[i];
				double a = old - G / qd[i];
				if (a < 0)
					a = 0;
				if (a > upper[i])
					a = upper[i];
				alpha[i] = a;
				double d = (a - old) * yi;
				for (size_t k = 0; k < x->n; k++)
					w[x->e[k].id] += d * x->e[k].v;
				w[dim] += d * bias;
			}
		}
		if (pgmax - pgmin <= p->eps || active == 0) {
			if (active == n)
				break;
			active = n;
			pgmax_old = HUGE_VAL;
			pgmin_old = -HUGE_VAL;
			continue;
		}
		pgmax_old = pgmax > 0 ? pgmax : HUGE_VAL;
		pgmin_old = pgmin < 0 ? pgmin : -HUGE_VAL;
	}
	if (iters)
		*iters = iter;
cleanup:
	free(alpha);
	free(qd);
	free(index);
	free(diag);
	free(upper);
	return rc;
}

typedef struct ovr_job {
	double *W;
	const ns_svec *X;
	size_t n, dim, nlabels;
	const int8_t *Y;
	const float *sw;
	size_t sw_stride; /* label l's costs start at sw + l * sw_stride (0: shared) */
	const ns_linear_params *p;
	pthread_mutex_t mu;
	size_t next, done;
	int rc;
} ovr_job;

static void *ovr_worker(void *arg)
{
	ovr_job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t l = j->next++;
		int stop = j->rc != 0;
		pthread_mutex_unlock(&j->mu);
		if (l >= j->nlabels || stop)
			break;
		ns_linear_params p = *j->p;
		p.seed = j->p->seed + l;
		int rc = ns_linear_train(j->W + l * (j->dim + 1), j->X, j->n, j->dim, j->Y + l * j->n,
					 j->sw ? j->sw + l * j->sw_stride : NULL, &p, NULL);
		pthread_mutex_lock(&j->mu);
		if (rc < 0 && j->rc == 0)
			j->rc = rc;
		j->done++;
		pthread_mutex_unlock(&j->mu);
	}
	return NULL;
}

int ns_linear_train_ovr(double *W, const ns_svec *X, size_t n, size_t dim, const int8_t *Y, const float *sw,
			size_t nlabels, const ns_linear_params *p, int threads, ns_progress_fn progress,
			void *payload)
{
	return ns_linear_train_ovr_sw(W, X, n, dim, Y, sw, 0, nlabels, p, threads, progress, payload);
}

int ns_linear_train_ovr_sw(double *W, const ns_svec *X, size_t n, size_t dim, const int8_t *Y, const float *sw,
			   size_t sw_stride, size_t nlabels, const ns_linear_params *p, int threads,
			   ns_progress_fn progress, void *payload)
{
	ovr_job j = {W, X, n, dim, nlabels, Y, sw, sw_stride, p, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
	pthread_t tid[64];
	int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	int started = 0;
	if (!(p->C > 0) || !(p->pos_weight > 0) || !(p->eps > 0) || p->max_iter < 1)
		return ns_error__set(NS_EINVAL, "linear: invalid parameters (C %g, pos_weight %g, eps %g, max_iter %d)",
				     p->C, p->pos_weight, p->eps, p->max_iter);
	if ((size_t)nt > nlabels)
		nt = nlabels ? (int)nlabels : 1;
	for (int t = 1; t < nt; t++) {
		if (pthread_create(&tid[started], NULL, ovr_worker, &j) != 0)
			break;
		started++;
	}
	/* the calling thread works too and reports progress between its labels */
	size_t reported = (size_t)-1;
	for (;;) {
		pthread_mutex_lock(&j.mu);
		size_t l = j.next++;
		int stop = j.rc != 0;
		size_t done = j.done;
		pthread_mutex_unlock(&j.mu);
		if (progress && done != reported && done < nlabels)
			progress(payload, done, nlabels);
		reported = done;
		if (l >= nlabels || stop)
			break;
		ns_linear_params lp = *p;
		lp.seed = p->seed + l;
		int rc = ns_linear_train(W + l * (dim + 1), X, n, dim, Y + l * n, sw ? sw + l * sw_stride : NULL, &lp, NULL);
		pthread_mutex_lock(&j.mu);
		if (rc < 0 && j.rc == 0)
			j.rc = rc;
		j.done++;
		pthread_mutex_unlock(&j.mu);
	}
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (progress)
		progress(payload, j.done, nlabels);
	pthread_mutex_destroy(&j.mu);
	return j.rc;
}
