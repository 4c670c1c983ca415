/* The second stage of the narrative classifier (stacking): every label head's
 * score is corrected by a ridge regression over all heads' first-stage scores,
 * so that labels which co-occur (or exclude each other) inform one another; and
 * its bundle section "narr.stack".
 *
 * DESIGN: for head h (coarse, fine or "no narrative"; domain heads are left as
 * they are) the stacked score is s'_h = s_h + b (a_h . z + c_h), z_j = s_j
 * clipped to [-STACK_CLIP, STACK_CLIP]. (a_h, c_h) minimise, over the training
 * articles, sum_i (r_ih - a_h . z_i - c_h)^2 / n + l2 |a_h|^2 with the residual
 * r_ih = y_ih - s_ih (y = +1 positive, -1 negative; stack_in=1 leaves the
 * subnarrative heads out of z; stack_target=1 sets r to 0
 * where the first stage is already beyond the margin, y s >= 1, so the easy
 * negatives that dominate every head do not pull the fit). The intercept is not
 * penalised (centred fit). All heads share the inputs, so one Cholesky factor of
 * the centred Gram matrix serves every head. The b factor is folded into the
 * stored weights.
 *
 * The scores the stage is fitted on are out-of-fold: the inner cross-validation
 * of ns_narr_train (narr_train.c) already scores every training article with a
 * model that did not see it. Thresholds are then tuned on cross-fitted stacked
 * scores: for inner fold f the stage is fitted on the other folds' rows and
 * applied to fold f's, so no tuning score comes from a stage that saw its
 * article's labels. The shipped stage is fitted on all rows.
 *
 * Measured (5-fold CV mean over languages, F1 coarse/fine; without the stage
 * .578/.445, .582/.447, .584/.455 on seeds 1/2/3): stack=1,stack_target=1
 * .582/.447, .589/.456, .575/.448; seed 1 only: stack_target=0 .579/.443,
 * stack_l2=1 .573/.440, stack_l2=0.01 .582/.443, stack_target=1 with
 * stack_l2=0.03 .582/.442; seed 3 with stack_b=0.5 .581/.450, with stack_in=1
 * (no subnarrative scores as inputs) .580/.449. Not a gain on
 * every seed, and prediction loses the decision-only scoring of narr_predict.c
 * (corpus predict CPU 0.63 -> 0.74 s, model +55 KB), so off by default.
 *
 * "narr.stack" section (little-endian, present exactly when narr.params has
 * stack=1): u32 magic "NARS", u32 version (1), u32 nheads, u32 nin (nheads + 1),
 * f32 A[nheads][nin] (row h: weights of the nheads clipped scores, then the
 * intercept; all zero for heads not stacked). Version history: 1 = first format. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ser.h"
#include "narr.h"

#define STACK_MAGIC 0x5352414eu /* "NARS" */
#define STACK_VERSION 1u
#define STACK_CLIP 3.0
#define STACK_MAX_W 1e6f

int ns_narr__stack_on(const ns_narr_params *p) { return p->stack != 0; }

/* 1: head h gets a second-stage correction. */
static int stacked(const ns_narr_model *m, size_t h) { return m->heads[h].kind != NS_HEAD_DOMAIN; }

/* 1: head j's score is an input (stack_in=1: narrative, "no narrative" and
 * domain heads only, no subnarrative heads). */
static int input(const ns_narr_model *m, size_t j)
{
	return m->p.stack_in == 0 || m->heads[j].kind != NS_HEAD_FINE;
}

static double clip(float s)
{
	double v = (double)s;
	return v > STACK_CLIP ? STACK_CLIP : v < -STACK_CLIP ? -STACK_CLIP : v;
}

void ns_narr_stack_free(ns_narr_stack *st)
{
	if (!st)
		return;
	free(st->owned);
	free(st);
}

/* In-place Cholesky factor (lower) of the d x d symmetric positive definite G. */
static int cholesky(double *G, size_t d)
{
	for (size_t j = 0; j < d; j++) {
		double s = G[j * d + j];
		for (size_t k = 0; k < j; k++)
			s -= G[j * d + k] * G[j * d + k];
		if (!(s > 0))
			return -1;
		double l = sqrt(s);
		G[j * d + j] = l;
		for (size_t i = j + 1; i < d; i++) {
			double t = G[i * d + j];
			for (size_t k = 0; k < j; k++)
				t -= G[i * d + k] * G[j * d + k];
			G[i * d + j] = t / l;
		}
	}
	return 0;
}

/* Solves L L^T x = b in place (b becomes x). */
static void chol_solve(const double *Lf, size_t d, double *b)
{
	for (size_t i = 0; i < d; i++) {
		double t = b[i];
		for (size_t k = 0; k < i; k++)
			t -= Lf[i * d + k] * b[k];
		b[i] = t / Lf[i * d + i];
	}
	for (size_t i = d; i-- > 0;) {
		double t = b[i];
		for (size_t k = i + 1; k < d; k++)
			t -= Lf[k * d + i] * b[k];
		b[i] = t / Lf[i * d + i];
	}
}

int ns_narr__stack_fit(ns_narr_stack **out, const ns_narr_model *m, const float *S, const ns_narr_example *ex,
		       const size_t *rows, size_t n, const int *fold, int skip)
{
	int rc = 0;
	size_t nh = m->nheads, nin = nh + 1, cnt = 0;
	double *mean = NULL, *G = NULL, *rhs = NULL, *z = NULL, *r = NULL, *rmean = NULL;
	ns_narr_stack *st = NULL;
	double l2 = m->p.stack_l2, b = m->p.stack_b;

	*out = NULL;
	st = ns_calloc(1, sizeof *st);
	mean = ns_calloc(nh + 1, sizeof *mean);
	rmean = ns_calloc(nh + 1, sizeof *rmean);
	G = ns_calloc(nh * nh + 1, sizeof *G);
	rhs = ns_calloc(nh * nh + 1, sizeof *rhs); /* rhs[h * nh + j]: sum z_j r_h */
	z = ns_calloc(nh + 1, sizeof *z);
	r = ns_calloc(nh + 1, sizeof *r);
	if (!st || !mean || !rmean || !G || !rhs || !z || !r) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	st->nh = nh;
	st->A = ns_calloc(nh * nin + 1, sizeof *st->A);
	if (!st->A) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	st->owned = st->A;
	/* pass 1: means of inputs and residuals */
	for (size_t i = 0; i < n; i++) {
		if (fold && fold[i] == skip)
			continue;
		const float *s = S + i * nh;
		const ns_narr_example *e = &ex[rows[i]];
		for (size_t j = 0; j < nh; j++) {
			mean[j] += input(m, j) ? clip(s[j]) : 0.0;
			double y = ns_narr__head_positive(m, j, e) ? 1.0 : -1.0;
			rmean[j] += m->p.stack_target && y * (double)s[j] >= 1.0 ? 0.0 : y - (double)s[j];
		}
		cnt++;
	}
	if (cnt < 2)
		goto cleanup; /* nothing to learn from: the stage is the identity (A = 0) */
	for (size_t j = 0; j < nh; j++) {
		mean[j] /= (double)cnt;
		rmean[j] /= (double)cnt;
	}
	/* pass 2: centred Gram matrix (lower triangle) and right-hand sides */
	for (size_t i = 0; i < n; i++) {
		if (fold && fold[i] == skip)
			continue;
		const float *s = S + i * nh;
		const ns_narr_example *e = &ex[rows[i]];
		for (size_t j = 0; j < nh; j++) {
			z[j] = input(m, j) ? clip(s[j]) - mean[j] : 0.0;
			double y = ns_narr__head_positive(m, j, e) ? 1.0 : -1.0;
			r[j] = (m->p.stack_target && y * (double)s[j] >= 1.0 ? 0.0 : y - (double)s[j]) - rmean[j];
		}
		for (size_t j = 0; j < nh; j++)
			for (size_t k = 0; k <= j; k++)
				G[j * nh + k] += z[j] * z[k];
		for (size_t h = 0; h < nh; h++) {
			if (!stacked(m, h) || r[h] == 0)
				continue;
			for (size_t j = 0; j < nh; j++)
				rhs[h * nh + j] += z[j] * r[h];
		}
	}
	for (size_t j = 0; j < nh; j++) {
		for (size_t k = 0; k <= j; k++) {
			G[j * nh + k] /= (double)cnt;
			G[k * nh + j] = G[j * nh + k];
		}
		G[j * nh + j] += l2;
	}
	if (cholesky(G, nh) < 0) {
		rc = ns_error__set(NS_EINVAL, "narratives: second stage: the score matrix is singular (stack_l2=%g)", l2);
		goto cleanup;
	}
	for (size_t h = 0; h < nh; h++) {
		if (!stacked(m, h))
			continue;
		double *a = rhs + h * nh;
		for (size_t j = 0; j < nh; j++)
			a[j] /= (double)cnt;
		chol_solve(G, nh, a);
		double c = rmean[h];
		for (size_t j = 0; j < nh; j++) {
			c -= a[j] * mean[j];
			st->A[h * nin + j] = (float)(b * a[j]);
		}
		st->A[h * nin + nh] = (float)(b * c);
	}
	*out = st;
	st = NULL;
cleanup:
	ns_narr_stack_free(st);
	free(mean);
	free(rmean);
	free(G);
	free(rhs);
	free(z);
	free(r);
	return rc;
}

void ns_narr__stack_apply(const ns_narr_stack *st, float *scores, float *tmp)
{
	size_t nh = st->nh, nin = nh + 1;
	for (size_t j = 0; j < nh; j++)
		tmp[j] = (float)clip(scores[j]);
	for (size_t h = 0; h < nh; h++) {
		const float *a = st->A + h * nin;
		double v = (double)a[nh];
		int any = a[nh] != 0;
		for (size_t j = 0; j < nh; j++) {
			v += (double)a[j] * (double)tmp[j];
			any |= a[j] != 0;
		}
		if (any)
			scores[h] = (float)((double)scores[h] + v);
	}
}

int ns_narr__stack_crossfit(float *out, const ns_narr_model *m, const float *S, const ns_narr_example *ex,
			    const size_t *rows, size_t n, const int *fold, int k)
{
	int rc = 0;
	size_t nh = m->nheads;
	float *tmp = ns_malloc((nh + 1) * sizeof *tmp);
	if (!tmp)
		return NS_ENOMEM;
	memcpy(out, S, n * nh * sizeof *out);
	for (int f = 0; f < k; f++) {
		ns_narr_stack *st = NULL;
		if ((rc = ns_narr__stack_fit(&st, m, S, ex, rows, n, fold, f)) < 0)
			break;
		for (size_t i = 0; i < n; i++)
			if (fold[i] == f)
				ns_narr__stack_apply(st, out + i * nh, tmp);
		ns_narr_stack_free(st);
	}
	free(tmp);
	return rc;
}

int ns_narr__stack_save(const ns_narr_model *m, ns_bundle_writer *w)
{
	ns_buf b = NS_BUF_INIT;
	int rc;
	if (!ns_narr__stack_on(&m->p))
		return 0;
	const ns_narr_stack *st = m->stack;
	if (!st || st->nh != m->nheads)
		return ns_error__set(NS_EINVAL, "narratives: the second stage is missing");
	size_t nin = st->nh + 1;
	ns_wr_u32(&b, STACK_MAGIC);
	ns_wr_u32(&b, STACK_VERSION);
	ns_wr_u32(&b, (uint32_t)st->nh);
	ns_wr_u32(&b, (uint32_t)nin);
	for (size_t i = 0; i < st->nh * nin; i++)
		ns_wr_f32(&b, st->A[i]);
	if (ns_buf_failed(&b)) {
		rc = ns_error__set(NS_ENOMEM, "narratives: out of memory serialising the second stage");
		goto cleanup;
	}
	rc = ns_bundle_writer_add(w, "narr.stack", b.ptr, b.size);
cleanup:
	ns_buf_free(&b);
	return rc;
}

static int bad(const ns_bundle *b, const char *what)
{
	return ns_error__set(NS_EFORMAT, "%s: narr.stack: %s", ns_bundle_path(b), what);
}

int ns_narr__stack_load(ns_narr_model *m, const ns_bundle *b)
{
	const void *data;
	size_t len;
	ns_rd r;
	int rc = ns_bundle_section(b, "narr.stack", &data, &len);
	if (rc == NS_ENOTFOUND && !ns_narr__stack_on(&m->p))
		return 0;
	if (rc < 0)
		return ns_error__set(NS_EFORMAT, "%s: narr.params asks for a second stage (stack=1) but narr.stack is missing",
				     ns_bundle_path(b));
	if (!ns_narr__stack_on(&m->p))
		return bad(b, "present but narr.params has stack=0");
	ns_rd_init(&r, data, len);
	uint32_t magic = ns_rd_u32(&r), version = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || magic != STACK_MAGIC)
		return bad(b, "bad magic");
	if (version > STACK_VERSION)
		return ns_error__set(NS_EVERSION, "%s: narr.stack version %u is newer than this build (%u)", ns_bundle_path(b),
				     version, STACK_VERSION);
	uint32_t nh = ns_rd_u32(&r), nin = ns_rd_u32(&r);
	if (!ns_rd_ok(&r))
		return bad(b, "truncated");
	if (nh != m->nheads || nin != (uint64_t)nh + 1)
		return bad(b, "head count differs from narr.params");
	if ((uint64_t)nh * nin * 4 != ns_rd_left(&r))
		return ns_error__set(NS_EFORMAT, "%s: narr.stack: %zu bytes of weights for %u heads (expected %llu)",
				     ns_bundle_path(b), ns_rd_left(&r), nh, (unsigned long long)((uint64_t)nh * nin * 4));
	ns_narr_stack *st = ns_calloc(1, sizeof *st);
	float *A = ns_malloc(((size_t)nh * nin + 1) * sizeof *A);
	if (!st || !A) {
		free(st);
		free(A);
		return NS_ENOMEM;
	}
	st->nh = nh;
	st->A = A;
	st->owned = A;
	for (size_t i = 0; i < (size_t)nh * nin; i++) {
		A[i] = ns_rd_f32(&r);
		if (!(fabsf(A[i]) < STACK_MAX_W)) {
			ns_narr_stack_free(st);
			return bad(b, "weight not finite or out of range");
		}
	}
	for (size_t h = 0; h < nh; h++) {
		if (stacked(m, h))
			continue;
		for (size_t j = 0; j < nin; j++)
			if (A[h * nin + j] != 0) {
				ns_narr_stack_free(st);
				return bad(b, "weights for a domain head");
			}
	}
	m->stack = st;
	return 0;
}
