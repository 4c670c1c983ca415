/* The "expl.model" bundle section of the explanation model (explain.h): save,
 * load and validation.
 *
 * Section format (little-endian, version 3): u32 version; f64 narr_weight,
 * evid_bonus, pos_weight, len_factor; u32 accusation; f64 drop; u32 learned,
 * label, has_w; 10 x f64 w (9 in version 1); u32 ng, ng x (u64 key, f32 weight);
 * u32 nn, nn x (u64 key, f32 weight); u32 nlangs, nlangs x (str code, u32 target
 * words, str opener). Version 2 appends: u32 opener_cut, clause, clause_min; f64
 * redund, cen_weight, idf_unseen; ng x f32 idf (of the global stems, same
 * order); nlangs x u32 lead-baseline words; u32 nopeners, nopeners x (str lang,
 * u64 narrative label key or 0, str opener). Version 3 appends: f64
 * title_weight. Version 4 appends: u32 trim (NS_EXPLAIN_TRIM_* mask, at most
 * 31). Version 5 appends: f64 sub_weight (the nn pairs then also hold
 * subnarrative keys), u32 join. Keys are strictly increasing. Version 4 still loads
 * (sub_weight 0, join 0), version 3 (trim 0), as does
 * version 2 (title weight 0) and version 1 (no learned openers, sentences as units, lead
 * budget = target); newer versions are rejected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ser.h"
#include "explain.h"

#define EXPLAIN_VERSION 5

int ns_explain_model_save(const ns_explain_model *m, ns_bundle_writer *w)
{
	ns_buf b = NS_BUF_INIT;
	ns_wr_u32(&b, EXPLAIN_VERSION);
	ns_wr_f64(&b, m->p.narr_weight);
	ns_wr_f64(&b, m->p.evid_bonus);
	ns_wr_f64(&b, m->p.pos_weight);
	ns_wr_f64(&b, m->p.len_factor);
	ns_wr_u32(&b, (uint32_t)m->p.accusation);
	ns_wr_f64(&b, m->p.drop);
	ns_wr_u32(&b, (uint32_t)m->p.learned);
	ns_wr_u32(&b, (uint32_t)m->p.label);
	ns_wr_u32(&b, (uint32_t)m->has_w);
	for (size_t k = 0; k < NS_EXPLAIN_NF; k++)
		ns_wr_f64(&b, m->w[k]);
	ns_wr_u32(&b, (uint32_t)m->ng);
	for (size_t i = 0; i < m->ng; i++) {
		ns_wr_u64(&b, m->gkey[i]);
		ns_wr_f32(&b, m->gw[i]);
	}
	ns_wr_u32(&b, (uint32_t)m->nn);
	for (size_t i = 0; i < m->nn; i++) {
		ns_wr_u64(&b, m->nkey[i]);
		ns_wr_f32(&b, m->nw[i]);
	}
	ns_wr_u32(&b, (uint32_t)m->nlangs);
	for (size_t i = 0; i < m->nlangs; i++) {
		const ns_explain_lang *l = &m->langs[i];
		ns_wr_str(&b, l->code, strlen(l->code));
		ns_wr_u32(&b, l->target);
		ns_wr_str(&b, l->opener ? l->opener : "", l->opener ? strlen(l->opener) : 0);
	}
	ns_wr_u32(&b, (uint32_t)m->p.opener_cut);
	ns_wr_u32(&b, (uint32_t)m->p.clause);
	ns_wr_u32(&b, (uint32_t)m->p.clause_min);
	ns_wr_f64(&b, m->p.redund);
	ns_wr_f64(&b, m->p.cen_weight);
	ns_wr_f64(&b, m->idf_unseen);
	for (size_t i = 0; i < m->ng; i++)
		ns_wr_f32(&b, m->gidf[i]);
	for (size_t i = 0; i < m->nlangs; i++)
		ns_wr_u32(&b, m->langs[i].lead);
	ns_wr_u32(&b, (uint32_t)m->nopeners);
	for (size_t i = 0; i < m->nopeners; i++) {
		const ns_explain_opener *o = &m->openers[i];
		ns_wr_str(&b, o->lang, strlen(o->lang));
		ns_wr_u64(&b, o->lab);
		ns_wr_str(&b, o->text, strlen(o->text));
	}
	ns_wr_f64(&b, m->p.title_weight);
	ns_wr_u32(&b, (uint32_t)m->p.trim);
	ns_wr_f64(&b, m->p.sub_weight);
	ns_wr_u32(&b, (uint32_t)m->p.join);
	int rc = ns_buf_failed(&b) ? ns_error__set(NS_ENOMEM, "explanations: out of memory")
				   : ns_bundle_writer_add(w, NS_EXPLAIN_SECTION, b.ptr, b.size);
	ns_buf_free(&b);
	return rc;
}

static int read_pairs(ns_rd *r, uint64_t **keys, float **w, size_t *n)
{
	uint32_t cnt = ns_rd_u32(r);
	if (!ns_rd_ok(r) || (size_t)cnt > ns_rd_left(r) / 12)
		return NS_EFORMAT;
	*keys = ns_malloc(((size_t)cnt + 1) * sizeof **keys);
	*w = ns_malloc(((size_t)cnt + 1) * sizeof **w);
	if (!*keys || !*w)
		return NS_ENOMEM;
	for (uint32_t i = 0; i < cnt; i++) {
		(*keys)[i] = ns_rd_u64(r);
		(*w)[i] = ns_rd_f32(r);
		if (i > 0 && (*keys)[i] <= (*keys)[i - 1])
			return NS_EFORMAT;
	}
	*n = cnt;
	return ns_rd_ok(r) ? 0 : NS_EFORMAT;
}

int ns_explain_model_load(ns_explain_model **out, const ns_bundle *bd)
{
	const void *data;
	size_t len;
	int rc = ns_bundle_section(bd, NS_EXPLAIN_SECTION, &data, &len);
	*out = NULL;
	if (rc < 0)
		return rc;
	ns_explain_model *m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	ns_rd r;
	ns_rd_init(&r, data, len);
	uint32_t ver = ns_rd_u32(&r);
	if (ns_rd_ok(&r) && ver > EXPLAIN_VERSION) {
		rc = ns_error__set(NS_EVERSION, "%s: section %s has version %u, newer than this build (%u)",
				   ns_bundle_path(bd), NS_EXPLAIN_SECTION, ver, EXPLAIN_VERSION);
		goto cleanup;
	}
	m->p.narr_weight = ns_rd_f64(&r);
	m->p.evid_bonus = ns_rd_f64(&r);
	m->p.pos_weight = ns_rd_f64(&r);
	m->p.len_factor = ns_rd_f64(&r);
	m->p.accusation = (int)ns_rd_u32(&r);
	m->p.drop = ns_rd_f64(&r);
	m->p.learned = (int)ns_rd_u32(&r);
	m->p.label = (int)ns_rd_u32(&r);
	m->has_w = ns_rd_u32(&r) != 0;
	for (size_t k = 0; k < (ver >= 2 ? NS_EXPLAIN_NF : 9); k++)
		m->w[k] = ns_rd_f64(&r);
	if ((rc = read_pairs(&r, &m->gkey, &m->gw, &m->ng)) < 0 ||
	    (rc = read_pairs(&r, &m->nkey, &m->nw, &m->nn)) < 0)
		goto bad;
	if (!(m->gidf = ns_calloc(m->ng + 1, sizeof *m->gidf))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	uint32_t nl = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nl > NS_EXPLAIN_MAX_LANGS)
		goto bad;
	for (uint32_t i = 0; i < nl; i++) {
		ns_explain_lang *l = &m->langs[m->nlangs++];
		uint32_t cl = ns_rd_u32(&r);
		if (!ns_rd_ok(&r) || cl >= sizeof l->code || cl > ns_rd_left(&r))
			goto bad;
		memcpy(l->code, r.p, cl);
		l->code[cl] = '\0';
		r.p += cl;
		l->target = ns_rd_u32(&r);
		uint32_t ol = ns_rd_u32(&r);
		if (!ns_rd_ok(&r) || ol > ns_rd_left(&r) || l->target > NS_EXPLAIN_MAX_WORDS)
			goto bad;
		l->opener = ns_strndup((const char *)r.p, ol);
		if (!l->opener) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		r.p += ol;
		l->lead = l->target;
	}
	if (ver >= 2) {
		m->p.opener_cut = ns_rd_u32(&r) != 0;
		m->p.clause = (int)ns_rd_u32(&r);
		m->p.clause_min = (int)ns_rd_u32(&r);
		m->p.redund = ns_rd_f64(&r);
		m->p.cen_weight = ns_rd_f64(&r);
		m->idf_unseen = ns_rd_f64(&r);
		if (!ns_rd_ok(&r) || m->ng > ns_rd_left(&r) / 4)
			goto bad;
		for (size_t i = 0; i < m->ng; i++)
			m->gidf[i] = ns_rd_f32(&r);
		for (size_t i = 0; i < m->nlangs; i++) {
			m->langs[i].lead = ns_rd_u32(&r);
			if (m->langs[i].lead > NS_EXPLAIN_MAX_WORDS)
				goto bad;
		}
		uint32_t no = ns_rd_u32(&r);
		if (!ns_rd_ok(&r) || no > ns_rd_left(&r) / 16)
			goto bad;
		for (uint32_t i = 0; i < no; i++) {
			size_t cl, tl;
			const char *code = ns_rd_str(&r, &cl);
			uint64_t lab = ns_rd_u64(&r);
			const char *text = ns_rd_str(&r, &tl);
			if (!ns_rd_ok(&r) || !code || !text || cl >= sizeof m->openers[0].lang)
				goto bad;
			if (NS_GROW(m->openers, m->opcap, m->nopeners + 1) < 0) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			ns_explain_opener *o = &m->openers[m->nopeners];
			memcpy(o->lang, code, cl);
			o->lang[cl] = '\0';
			o->lab = lab;
			if (!(o->text = ns_strndup(text, tl))) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			m->nopeners++;
		}
	}
	if (ver >= 3)
		m->p.title_weight = ns_rd_f64(&r);
	if (ver >= 4) {
		uint32_t trim = ns_rd_u32(&r);
		if (trim > 31)
			goto bad;
		m->p.trim = (int)trim;
	}
	if (ver >= 5) {
		m->p.sub_weight = ns_rd_f64(&r);
		m->p.join = ns_rd_u32(&r) != 0;
	}
	if (!ns_rd_ok(&r) || ns_rd_left(&r) != 0)
		goto bad;
	if ((rc = ns_explain__index(m)) < 0)
		goto cleanup;
	*out = m;
	return 0;
bad:
	if (rc != NS_ENOMEM)
		rc = ns_error__set(NS_EFORMAT, "%s: section %s is malformed", ns_bundle_path(bd), NS_EXPLAIN_SECTION);
cleanup:
	ns_explain_model_free(m);
	return rc;
}
