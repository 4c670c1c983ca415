/* Model bundle sections of the narrative classifier.
 *
 * "narr.params" (little-endian, src/model/ser.h):
 *   u32 magic "NARP", u32 version (1)
 *   str parameters "key=value,..." (names of narr_params.c; re-parsed on load, so a
 *       bundle never depends on in-memory struct layout)
 *   u32 ncoarse, str x ncoarse; u32 nfine, str x nfine   (the label lists)
 *   u32 nheads, (u32 kind, u32 label) x nheads
 *   f32 theta x nheads, f32 bias x nheads, f32 fallback, f32 mix, u64 dim
 *   [f32 prune, f32 fine_fallback: only when the parameters prune or fine_fallback
 *    are on, so bundles without them keep the version-1 layout]
 *   [u32 has_cal, then when 1: f32 cal x (2 ncoarse + 3): only when the parameter
 *    ef1 is on (narr_ef1.c)]
 * "narr.weights": u32 feature hash x dim (sorted), f32 row scale x dim, then
 *   i8 Q[dim][nheads] (feature-major; weight = scale[f] * Q[f][h]). On
 *   little-endian hosts the arrays are used in place.
 * "narr.knn" (narr_knn.c): the neighbour index, exactly when the parameters
 *   have knn_k > 0 and knn_a > 0.
 * Version history: 1 = first format; 2 = parameters may name knn_* and the
 * bundle then has narr.knn (written only for such models, so a build that
 * predates the neighbours reports a newer version instead of an unknown key;
 * models without neighbours are still written as version 1); 3 = parameters
 * may name stack* and the bundle then has narr.stack (narr_stack.c; written as
 * version 3 only for such models); 4 = parameters may name ef1 and the section
 * then ends with the calibration (written as version 4 only for such models).
 * "narr.stack" (narr_stack.c): the second stage, exactly when stack=1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ser.h"
#include "narr.h"

#define NARR_MAGIC 0x5052414eu /* "NARP" */
#define NARR_VERSION 4u

static int host_le(void)
{
	const uint16_t one = 1;
	return *(const unsigned char *)&one == 1;
}

int ns_narr_model_save(const ns_narr_model *m, ns_bundle_writer *w)
{
	ns_buf b = NS_BUF_INIT, pb = NS_BUF_INIT;
	int rc;
	ns_wr_u32(&b, NARR_MAGIC);
	ns_wr_u32(&b, m->p.ef1 ? 4u : ns_narr__stack_on(&m->p) ? 3u : ns_narr__knn_on(&m->p) ? 2u : 1u);
	ns_narr_params_format(&pb, &m->p, ",");
	ns_wr_str(&b, pb.ptr ? pb.ptr : "", pb.size);
	ns_wr_u32(&b, (uint32_t)m->L.ncoarse);
	for (size_t i = 0; i < m->L.ncoarse; i++)
		ns_wr_str(&b, m->L.coarse[i], strlen(m->L.coarse[i]));
	ns_wr_u32(&b, (uint32_t)m->L.nfine);
	for (size_t i = 0; i < m->L.nfine; i++)
		ns_wr_str(&b, m->L.fine[i], strlen(m->L.fine[i]));
	ns_wr_u32(&b, (uint32_t)m->nheads);
	for (size_t h = 0; h < m->nheads; h++) {
		ns_wr_u32(&b, (uint32_t)m->heads[h].kind);
		ns_wr_u32(&b, (uint32_t)m->heads[h].label);
	}
	for (size_t h = 0; h < m->nheads; h++)
		ns_wr_f32(&b, m->theta[h]);
	for (size_t h = 0; h < m->nheads; h++)
		ns_wr_f32(&b, m->bias[h]);
	ns_wr_f32(&b, m->fallback);
	ns_wr_f32(&b, m->mix);
	ns_wr_u64(&b, (uint64_t)m->dim);
	if (m->p.prune || m->p.fine_fallback) {
		ns_wr_f32(&b, m->prune);
		ns_wr_f32(&b, m->fine_fallback);
	}
	if (m->p.ef1) {
		size_t ncal = 2 * ns_narr__ncal(m) + 3;
		ns_wr_u32(&b, m->has_cal ? 1u : 0u);
		for (size_t i = 0; m->has_cal && i < ncal; i++)
			ns_wr_f32(&b, m->cal[i]);
	}
	if (ns_buf_failed(&b) || ns_buf_failed(&pb)) {
		rc = ns_error__set(NS_ENOMEM, "narratives: out of memory serialising the model");
		goto cleanup;
	}
	if ((rc = ns_bundle_writer_add(w, "narr.params", b.ptr, b.size)) < 0)
		goto cleanup;
	ns_buf_clear(&b);
	for (size_t f = 0; f < m->dim; f++)
		ns_wr_u32(&b, m->ids[f]);
	for (size_t f = 0; f < m->dim; f++)
		ns_wr_f32(&b, m->scale[f]);
	ns_buf_put(&b, m->Q, m->dim * m->nheads);
	if (ns_buf_failed(&b)) {
		rc = ns_error__set(NS_ENOMEM, "narratives: out of memory serialising the weights");
		goto cleanup;
	}
	if ((rc = ns_bundle_writer_add(w, "narr.weights", b.ptr ? b.ptr : "", b.size)) < 0)
		goto cleanup;
	if ((rc = ns_narr__knn_save(m, w)) < 0)
		goto cleanup;
	rc = ns_narr__stack_save(m, w);
cleanup:
	ns_buf_free(&b);
	ns_buf_free(&pb);
	return rc;
}

static int bad(const ns_bundle *b, const char *what)
{
	return ns_error__set(NS_EFORMAT, "%s: narr.params: %s", ns_bundle_path(b), what);
}

int ns_narr_model_load(ns_narr_model **out, const ns_bundle *b)
{
	const void *pd, *wd;
	size_t plen, wlen;
	int rc;
	ns_narr_model *m = NULL;
	const char **cl = NULL, **fl = NULL;
	char **cs = NULL, **fs = NULL;
	ns_rd r;
	*out = NULL;
	if ((rc = ns_bundle_section(b, "narr.params", &pd, &plen)) < 0)
		return rc; /* NS_ENOTFOUND: no narratives in this bundle */
	if ((rc = ns_bundle_section(b, "narr.weights", &wd, &wlen)) < 0)
		return ns_error__set(NS_EFORMAT, "%s: narr.params present but narr.weights missing", ns_bundle_path(b));
	ns_rd_init(&r, pd, plen);
	uint32_t magic = ns_rd_u32(&r), version = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || magic != NARR_MAGIC)
		return bad(b, "bad magic");
	if (version > NARR_VERSION)
		return ns_error__set(NS_EVERSION, "%s: narr.params version %u is newer than this build (%u)", ns_bundle_path(b),
				     version, NARR_VERSION);
	m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	size_t n;
	const char *ps = ns_rd_str(&r, &n);
	char *pstr = ps ? ns_strndup(ps, n) : NULL;
	if (!pstr) {
		rc = ns_rd_ok(&r) ? NS_ENOMEM : bad(b, "truncated");
		goto cleanup;
	}
	ns_narr_params_default(&m->p);
	m->p.knn_k = 0; /* parameters written without knn_k: no neighbours */
	m->p.ef1 = 0;   /* likewise without ef1: the threshold rules */
	rc = ns_narr_params_parse(&m->p, pstr);
	free(pstr);
	if (rc < 0) {
		rc = ns_error__wrap(NS_EFORMAT, "%s: narr.params", ns_bundle_path(b));
		goto cleanup;
	}
	uint32_t nc = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nc > NS_NARR_MAX_COARSE || nc > ns_rd_left(&r) / 4) {
		rc = bad(b, "bad narrative count");
		goto cleanup;
	}
	cl = ns_calloc(nc + 1, sizeof *cl);
	cs = ns_calloc(nc + 1, sizeof *cs);
	if (!cl || !cs) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (uint32_t i = 0; i < nc; i++) {
		const char *s = ns_rd_str(&r, &n);
		if (!s || memchr(s, 0, n)) {
			rc = bad(b, "bad narrative label");
			goto cleanup;
		}
		if (!(cs[i] = ns_strndup(s, n))) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		cl[i] = cs[i];
	}
	uint32_t nf = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nf > NS_NARR_MAX_FINE || nf > ns_rd_left(&r) / 4) {
		rc = bad(b, "bad subnarrative count");
		goto cleanup;
	}
	fl = ns_calloc(nf + 1, sizeof *fl);
	fs = ns_calloc(nf + 1, sizeof *fs);
	if (!fl || !fs) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (uint32_t i = 0; i < nf; i++) {
		const char *s = ns_rd_str(&r, &n);
		if (!s || memchr(s, 0, n)) {
			rc = bad(b, "bad subnarrative label");
			goto cleanup;
		}
		if (!(fs[i] = ns_strndup(s, n))) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		fl[i] = fs[i];
	}
	if ((rc = ns_narr_labels_init(&m->L, cl, nc, fl, nf)) < 0)
		goto cleanup;
	uint32_t nh = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nh > nc + nf + NS_NARR_MAX_DOMAINS + 1 || (size_t)nh * 16 > ns_rd_left(&r)) {
		rc = bad(b, "bad head count");
		goto cleanup;
	}
	m->nheads = nh;
	m->heads = ns_calloc(nh + 1, sizeof *m->heads);
	m->theta = ns_calloc(nh + 1, sizeof *m->theta);
	m->bias = ns_calloc(nh + 1, sizeof *m->bias);
	if (!m->heads || !m->theta || !m->bias) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	m->owned[2] = m->bias;
	m->owned[3] = m->theta;
	for (uint32_t h = 0; h < nh; h++) {
		uint32_t kind = ns_rd_u32(&r), label = ns_rd_u32(&r);
		size_t lim = kind == NS_HEAD_COARSE ? nc : kind == NS_HEAD_FINE ? nf : kind == NS_HEAD_DOMAIN ? m->L.ndomains
			     : kind == NS_HEAD_OTHER ? nc : 0;
		if (!ns_rd_ok(&r) || label >= lim) {
			rc = bad(b, "bad head");
			goto cleanup;
		}
		m->heads[h].kind = (int)kind;
		m->heads[h].label = (int32_t)label;
	}
	for (uint32_t h = 0; h < nh; h++)
		m->theta[h] = ns_rd_f32(&r);
	for (uint32_t h = 0; h < nh; h++)
		m->bias[h] = ns_rd_f32(&r);
	m->fallback = ns_rd_f32(&r);
	m->mix = ns_rd_f32(&r);
	uint64_t dim = ns_rd_u64(&r);
	if (m->p.prune || m->p.fine_fallback) {
		m->prune = ns_rd_f32(&r);
		m->fine_fallback = ns_rd_f32(&r);
	}
	if (m->p.ef1) {
		uint32_t has = ns_rd_u32(&r);
		if (ns_rd_ok(&r) && has > 1) {
			rc = bad(b, "bad calibration flag");
			goto cleanup;
		}
		m->has_cal = (int)has;
		for (size_t i = 0; m->has_cal && i < 2 * ns_narr__ncal(m) + 3; i++) {
			m->cal[i] = ns_rd_f32(&r);
			if (ns_rd_ok(&r) && !isfinite(m->cal[i])) {
				rc = bad(b, "calibration is not finite");
				goto cleanup;
			}
		}
	}
	if (!ns_rd_ok(&r) || ns_rd_left(&r) != 0) {
		rc = bad(b, ns_rd_ok(&r) ? "trailing bytes" : "truncated");
		goto cleanup;
	}
	/* weights: dim * (8 + nh) bytes, checked without overflow */
	if (dim > wlen / 8 || dim * (8 + (uint64_t)nh) != wlen) {
		rc = ns_error__set(NS_EFORMAT, "%s: narr.weights: size %zu does not match %llu features x %u heads",
				   ns_bundle_path(b), wlen, (unsigned long long)dim, nh);
		goto cleanup;
	}
	m->dim = (size_t)dim;
	m->Q = (int8_t *)((const char *)wd + dim * 8);
	if (host_le() && ((uintptr_t)wd & 3) == 0) {
		m->ids = (uint32_t *)wd;
		m->scale = (float *)((const char *)wd + dim * 4);
	} else {
		m->ids = ns_malloc(dim * 4 + 1);
		m->scale = ns_malloc(dim * 4 + 1);
		if (!m->ids || !m->scale) {
			free(m->ids);
			free(m->scale);
			m->ids = NULL;
			m->scale = NULL;
			rc = NS_ENOMEM;
			goto cleanup;
		}
		m->owned[0] = m->ids;
		m->owned[4] = m->scale;
		ns_rd wr;
		ns_rd_init(&wr, wd, wlen);
		for (size_t i = 0; i < dim; i++)
			m->ids[i] = ns_rd_u32(&wr);
		for (size_t i = 0; i < dim; i++)
			m->scale[i] = ns_rd_f32(&wr);
	}
	for (size_t i = 0; i < m->dim; i++)
		if ((i > 0 && m->ids[i] <= m->ids[i - 1]) || !(m->scale[i] >= 0 && m->scale[i] < 1e30f)) {
			rc = ns_error__set(NS_EFORMAT, "%s: narr.weights: feature table not sorted or bad scale", ns_bundle_path(b));
			goto cleanup;
		}
	if ((rc = ns_narr__link_heads(m)) < 0)
		goto cleanup;
	if (ns_narr__knn_on(&m->p) && version < 2) {
		rc = bad(b, "version 1 with knn parameters");
		goto cleanup;
	}
	if ((rc = ns_narr__knn_load(m, b)) < 0)
		goto cleanup;
	if (ns_narr__stack_on(&m->p) && version < 3) {
		rc = bad(b, "version below 3 with a second stage (stack=1)");
		goto cleanup;
	}
	if ((rc = ns_narr__stack_load(m, b)) < 0)
		goto cleanup;
	if (m->p.ef1 && version < 4) {
		rc = bad(b, "version below 4 with expected-F1 decoding (ef1=1)");
		goto cleanup;
	}
	if ((rc = ns_narr__planes_build(m)) < 0)
		goto cleanup;
	*out = m;
	m = NULL;
cleanup:
	if (cs)
		for (uint32_t i = 0; i < nc; i++)
			free(cs[i]);
	if (fs)
		for (uint32_t i = 0; fs && i < nf; i++)
			free(fs[i]);
	free(cs);
	free(fs);
	free(cl);
	free(fl);
	ns_narr_model_free(m);
	return rc;
}
