/* The role model: parameters, training of the one-vs-rest scorers for main and
 * fine roles (src/learn), hierarchical decisions, and the bundle section format.
 *
 * Section "frame.model", little-endian (ser.h), format version 3:
 *   u32 version; str params ("k=v,..."); u32 nmain; nmain x str;
 *   u32 nfine; nfine x (str name, u32 main index);
 *   u32 nsets; nsets x (u32 main index, u32 k, k x u32 fine index);
 *   u32 dim; dim x u32 feature id;
 *   u32 nlabels (= nmain + nfine + nsets); nlabels x (dim + 1) u16 binary16
 *   weights (last = bias).
 * Format 1 had no set-label block and format 2 had it only for models with set
 * labels; both stored f32 weights, rounded to binary16 when they load.
 * Weights are used as binary16 (learn/half.h) from the moment training ends:
 * scores are computed the same way after training and after loading, so CV
 * figures hold for the saved model. Format 3 (session 8) halved the section and
 * made the scoring 1.5x faster at identical CV figures: a row of 25 role
 * weights fits one cache line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/half.h"
#include "../learn/linear.h"
#include "../model/ser.h"
#include "claim_feat.h"
#include "frame.h"

#define FRAME_FORMAT 3

/* One cell of the feature index: the feature id and its compact index k, side by
 * side so a lookup touches one cache line instead of two (slot, then ids[k]). */
typedef struct ns_frame_slot {
	uint32_t id;
	uint32_t k;
} ns_frame_slot;

/* A fine-role set seen as a label of its own (label powerset): the ordered
 * list as annotated ("Virtuous, Guardian"), all of one main role. */
typedef struct ns_frame_combo {
	int32_t main;
	int32_t fine[NS_FRAME_MAX_FINE];
	size_t n;
} ns_frame_combo;

struct ns_frame_model {
	ns_frame_params p;
	size_t nmain, nfine;
	size_t ncombo; /* set labels after the fine roles (0 unless p.combo) */
	ns_frame_combo *combo;
	char **main_names, **fine_names;
	int32_t *fine_main;
	ns_fmap map;
	ns_frame_slot *slot; /* feature index: open addressing, k = UINT32_MAX empty */
	size_t mask;
	uint16_t *W; /* feature-major: dim + 1 rows (last = bias) of `stride` binary16
			weights (learn/half.h), the nmain + nfine label weights padded with
			zeros to a multiple of 8; the array starts on a 64-byte line, so
			rows of 8, 16 or 32 weights never straddle two */
	void *W_mem; /* the allocation W lies in */
	size_t stride;
	double copy_v; /* 1 + log of a language copy's hit weight (scoring fast path) */
	ns_frame_cues *cues;
	ns_claim_lex *claim_lex; /* the claims extractor's lexicon when p.f.claims, else NULL */
};

static int build_index(ns_frame_model *m);

/* Zeroed weights of nl labels for dim features and the bias (m->W, m->stride). */
static int alloc_weights(ns_frame_model *m, size_t nl, size_t dim)
{
	m->stride = (nl + 7) & ~(size_t)7;
	if (dim + 1 > (SIZE_MAX - 64) / sizeof *m->W / m->stride)
		return NS_ENOMEM;
	m->W_mem = ns_calloc(m->stride * (dim + 1) * sizeof *m->W + 64, 1);
	if (!m->W_mem)
		return NS_ENOMEM;
	m->W = (uint16_t *)(void *)((char *)m->W_mem + (64 - (uintptr_t)m->W_mem % 64) % 64);
	return 0;
}

#define FRAME_MAX_COMBO NS_FRAME_MAX_SETS

static int same_list(const int32_t *a, size_t na, const int32_t *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

/* The fine-role lists with two or more roles that occur at least min_count
 * times among ex[0..n), grouped by main role (stable), into m->combo. */
static int find_combos(ns_frame_model *m, const ns_frame_example *ex, size_t n, unsigned min_count)
{
	ns_frame_combo all[FRAME_MAX_COMBO * 4];
	size_t cnt[FRAME_MAX_COMBO * 4], na = 0, cap = sizeof all / sizeof all[0];
	for (size_t i = 0; i < n; i++) {
		const ns_frame_example *e = &ex[i];
		int ok = e->nfine >= 2 && e->main >= 0 && (size_t)e->main < m->nmain;
		for (size_t k = 0; ok && k < e->nfine; k++)
			ok = e->fine[k] >= 0 && (size_t)e->fine[k] < m->nfine && m->fine_main[e->fine[k]] == e->main;
		if (!ok)
			continue;
		size_t j = 0;
		while (j < na && !same_list(all[j].fine, all[j].n, e->fine, e->nfine))
			j++;
		if (j == na) {
			if (na == cap)
				continue;
			all[na].main = e->main;
			all[na].n = e->nfine;
			memcpy(all[na].fine, e->fine, sizeof all[na].fine);
			cnt[na++] = 0;
		}
		cnt[j]++;
	}
	size_t nc = 0;
	for (size_t j = 0; j < na; j++)
		nc += cnt[j] >= min_count;
	if (nc > FRAME_MAX_COMBO)
		nc = FRAME_MAX_COMBO;
	m->ncombo = 0;
	m->combo = ns_calloc(nc ? nc : 1, sizeof *m->combo);
	if (!m->combo)
		return NS_ENOMEM;
	for (size_t k = 0; k < m->nmain; k++)
		for (size_t j = 0; j < na; j++)
			if (all[j].main == (int32_t)k && cnt[j] >= min_count && m->ncombo < nc)
				m->combo[m->ncombo++] = all[j];
	return 0;
}

void ns_frame_params_init(ns_frame_params *p)
{
	memset(p, 0, sizeof *p);
	p->f.window = 5;
	p->f.char_ngrams = 1;
	p->f.ent_ctx = 0;
	p->f.neighbours = 0;
	p->f.gazetteer = 1;
	p->f.verbs = 2;
	/* language copies of every group (with wide 40 below, langx 251 — no copies
	 * of the sentence stems — saves 0.1 s of analyze CPU at equal EMR: seeds 1-3
	 * 0.3885/0.7641, 0.3852/0.7605, 0.3881/0.7580 vs 0.3879/0.7642,
	 * 0.3852/0.7599, 0.3887/0.7588) */
	p->f.lang_cross = 0xFF;
	/* language copies at hit weight 0.6 (value 1 + ln 0.6 = 0.49 next to the pooled
	 * feature's 1; was 1): more sharing across languages. 5-fold CV, mean over
	 * languages, EMR / micro F1 / main accuracy, seeds 1/2/3: 0.3813/0.4162/0.7591,
	 * 0.3792/0.4145/0.7573, 0.3815/0.4165/0.7553 -> 0.3854/0.4218/0.7633,
	 * 0.3811/0.4172/0.7591, 0.3838/0.4192/0.7571 (lxw 0.7: 0.3853/0.7635,
	 * 0.3796/0.7577, 0.3832/0.7587; 0.45 and 1.5 worse on seed 1). Default 1:
	 * with 0.6 the entities + roles analyze of the 1,781 training articles took
	 * 1.21-1.28 s CPU instead of 1.12-1.17 s (same run), which put the full
	 * analyze below issue 5's 800 articles/s. */
	p->f.lang_cross_w = 1.0;
	p->f.dom_cross_w = 1.0;
	p->vec.log_tf = 1;
	/* min_df 1 with C 0.85 and the document group at 0.5 (was min_df 2, C 0.5,
	 * g7 0.3): 5-fold CV EMR, mean over languages, seeds 1-5: 0.3760 0.3734
	 * 0.3748 0.3720 0.3741 -> 0.3813 0.3792 0.3815 0.3751 0.3808 (+0.0055),
	 * main-role accuracy +0.003; the role section grows from about 7 to 17 MB
	 * (features seen once), analyze CPU time unchanged. */
	static const float gw[NS_FGROUPS] = {1.0f, 0.8f, 0.6f, 0.8f, 0.6f, 0.5f, 0.5f, 0.5f};
	memcpy(p->vec.group_weight, gw, sizeof gw);
	/* character 4-grams of the 3 words on each side (wchars 1), the stems of the
	 * 40 words on each side across sentences (wide 40) and the sentence group
	 * at 0.8 (was 0.6; it holds the wide words): 5-fold CV, mean over
	 * languages, EMR / micro F1 / main accuracy, seeds 1/2/3 0.3854/0.4218/0.7633,
	 * 0.3811/0.4172/0.7591, 0.3838/0.4192/0.7571 -> 0.3879/0.4240/0.7642,
	 * 0.3852/0.4212/0.7599, 0.3887/0.4237/0.7588 (with langx 251 above);
	 * seeds 4/5 EMR/main 0.3822/0.7574, 0.3862/0.7595 -> 0.3867/0.7594,
	 * 0.3937/0.7664. CV CPU time (-j1) 3.9 -> 5.9 s; analyze with entities and roles
	 * about 1.2x the CPU time (section 17 -> 24 MB). Alone:
	 * wchars 1 EMR seeds 1-3 0.3867/0.3845/0.3872 (main 0.7613 on seed 1), wide
	 * 40 with g2 0.8 0.3867/0.3839/0.3863. OFF by default: with them (and
	 * langx 251) the full analyze of the 1,781 training articles took 2.64 s
	 * CPU instead of 2.30 s (675 vs 775 articles/s), below issue 5's 800, for
	 * +0.003 EMR that leaves issue 4's 0.45 as far away. Turn on with
	 * "wchars=1,wide=40,g2=0.8,langx=251". */
	p->f.window_chars = 0;
	p->f.wide = 0;
	p->C = 0.85;
	p->pos_weight = 1.0;
	p->min_df = 1;
	p->joint = 1;
	p->joint_w = 0.25;
	p->second = 100.0;
	p->cond = 1;
	p->seed = 1;
}

int ns_frame_params_parse(ns_frame_params *p, const char *s)
{
	while (s && *s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		if (!eq)
			return ns_error__set(NS_EINVAL, "framing params: '%.*s' is not k=v", (int)n, s);
		size_t kn = (size_t)(eq - s);
		char val[64];
		size_t vn = n - kn - 1;
		if (vn == 0 || vn >= sizeof val)
			return ns_error__set(NS_EINVAL, "framing params: bad value in '%.*s'", (int)n, s);
		memcpy(val, eq + 1, vn);
		val[vn] = 0;
		char *end;
		double v = strtod(val, &end);
		if (*end)
			return ns_error__set(NS_EINVAL, "framing params: '%s' is not a number", val);
#define K(name) (kn == strlen(name) && memcmp(s, name, kn) == 0)
		if (K("window"))
			p->f.window = (int)v;
		else if (K("chars"))
			p->f.char_ngrams = (int)v;
		else if (K("ent"))
			p->f.ent_ctx = (int)v;
		else if (K("neigh"))
			p->f.neighbours = (int)v;
		else if (K("wchars"))
			p->f.window_chars = (int)v;
		else if (K("bigr"))
			p->f.bigrams = (int)v;
		else if (K("typecue"))
			p->f.type_cues = (int)v;
		else if (K("docx"))
			p->f.doc_cross = (int)v;
		else if (K("hinge"))
			p->hinge = (int)v;
		else if (K("cond"))
			p->cond = (int)v;
		else if (K("verb"))
			p->f.verbs = (int)v;
		else if (K("wide"))
			p->f.wide = (int)v;
		else if (K("clause"))
			p->f.clause = (int)v;
		else if (K("idcue"))
			p->f.idcue = (int)v;
		else if (K("side"))
			p->f.side = (int)v;
		else if (K("syn"))
			p->f.syn = (int)v;
		else if (K("epick"))
			p->f.ent_pick = (int)v;
		else if (K("claims"))
			p->f.claims = (int)v;
		else if (K("conj"))
			p->f.conj = (int)v;
		else if (K("gaz"))
			p->f.gazetteer = (int)v;
		else if (K("langx"))
			p->f.lang_cross = (int)v;
		else if (K("lxw"))
			p->f.lang_cross_w = v;
		else if (K("domx"))
			p->f.dom_cross = (int)v;
		else if (K("dxw"))
			p->f.dom_cross_w = v;
		else if (K("C"))
			p->C = v;
		else if (K("pw"))
			p->pos_weight = v;
		else if (K("mindf"))
			p->min_df = (unsigned)v;
		else if (K("joint"))
			p->joint = (int)v;
		else if (K("jw"))
			p->joint_w = v;
		else if (K("combo"))
			p->combo = (unsigned)v;
		else if (K("Cf"))
			p->C_fine = v;
		else if (K("lp"))
			p->combo_only = (int)v;
		else if (K("cb"))
			p->combo_bias = v;
		else if (K("second"))
			p->second = v;
		else if (K("logtf"))
			p->vec.log_tf = (int)v;
		else if (kn == 2 && s[0] == 'g' && s[1] >= '0' && s[1] < '0' + NS_FGROUPS)
			p->vec.group_weight[s[1] - '0'] = (float)v;
		else
			return ns_error__set(NS_EINVAL, "framing params: unknown key '%.*s'", (int)kn, s);
#undef K
		if (p->f.window < 0 || p->f.window > 50 || p->C <= 0 || p->pos_weight <= 0 || !(p->f.lang_cross_w > 0) ||
		    !(p->f.dom_cross_w > 0))
			return ns_error__set(NS_EINVAL, "framing params: value out of range in '%.*s'", (int)n, s);
		s = e ? e + 1 : NULL;
	}
	return 0;
}

int ns_frame_params_format(const ns_frame_params *p, ns_buf *out)
{
	ns_buf_printf(out, "window=%d,chars=%d,ent=%d,neigh=%d,langx=%d,lxw=%.17g,domx=%d,dxw=%.17g,wchars=%d,bigr=%d,typecue=%d,docx=%d,verb=%d,conj=%d,clause=%d,idcue=%d,wide=%d,claims=%d,side=%d,syn=%d,epick=%d,gaz=%d,C=%.17g,pw=%.17g,mindf=%u,joint=%d,jw=%.17g,"
			   "second=%.17g,logtf=%d,cond=%d,hinge=%d,combo=%u,cb=%.17g,lp=%d,Cf=%.17g",
		      p->f.window, p->f.char_ngrams, p->f.ent_ctx, p->f.neighbours, p->f.lang_cross, p->f.lang_cross_w, p->f.dom_cross, p->f.dom_cross_w, p->f.window_chars, p->f.bigrams, p->f.type_cues, p->f.doc_cross, p->f.verbs, p->f.conj, p->f.clause, p->f.idcue, p->f.wide, p->f.claims, p->f.side, p->f.syn, p->f.ent_pick, p->f.gazetteer, p->C, p->pos_weight, p->min_df,
		      p->joint, p->joint_w, p->second, p->vec.log_tf, p->cond, p->hinge, p->combo, p->combo_bias, p->combo_only, p->C_fine);
	for (int g = 0; g < NS_FGROUPS; g++)
		ns_buf_printf(out, ",g%d=%.9g", g, (double)p->vec.group_weight[g]);
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}

void ns_frame_model_free(ns_frame_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->main_names && i < m->nmain; i++)
		free(m->main_names[i]);
	for (size_t i = 0; m->fine_names && i < m->nfine; i++)
		free(m->fine_names[i]);
	free(m->main_names);
	free(m->fine_names);
	free(m->fine_main);
	free(m->combo);
	ns_fmap_free(&m->map);
	free(m->W_mem);
	free(m->slot);
	ns_frame_cues_free(m->cues);
	ns_frame_claims_lex_free(m->claim_lex);
	free(m);
}

static int model_alloc(ns_frame_model **out, size_t nmain, size_t nfine)
{
	ns_frame_model *m = ns_calloc(1, sizeof *m);
	*out = NULL;
	if (!m)
		return NS_ENOMEM;
	m->nmain = nmain;
	m->nfine = nfine;
	m->main_names = ns_calloc(nmain ? nmain : 1, sizeof *m->main_names);
	m->fine_names = ns_calloc(nfine ? nfine : 1, sizeof *m->fine_names);
	m->fine_main = ns_calloc(nfine ? nfine : 1, sizeof *m->fine_main);
	int rc = ns_frame_cues_new(&m->cues);
	if (rc < 0 || !m->main_names || !m->fine_names || !m->fine_main) {
		ns_frame_model_free(m);
		return rc < 0 ? rc : NS_ENOMEM;
	}
	*out = m;
	return 0;
}

int ns_frame_train(ns_frame_model **out, ns_frame_example *ex, size_t n, const char *const *main_names,
		   size_t nmain, const char *const *fine_names, const int32_t *fine_main, size_t nfine,
		   const ns_frame_params *p, int threads)
{
	ns_frame_model *m = NULL;
	ns_svec *X0 = NULL, *X = NULL;
	int8_t *Y = NULL;
	float *sw = NULL;
	double *W = NULL;
	size_t nl;
	int rc;
	*out = NULL;
	if (n == 0 || nmain == 0)
		return ns_error__set(NS_EINVAL, "framing: no training mentions");
	if (nmain + nfine > NS_FRAME_MAX_LABELS)
		return ns_error__set(NS_EINVAL, "framing: more than %d roles", NS_FRAME_MAX_LABELS);
	if ((rc = model_alloc(&m, nmain, nfine)) < 0)
		return rc;
	m->p = *p;
	if (p->f.claims && (rc = ns_frame_claims_lex_new(&m->claim_lex)) < 0)
		goto cleanup;
	for (size_t i = 0; i < nmain; i++)
		if (!(m->main_names[i] = ns_strdup(main_names[i])))
			goto nomem;
	for (size_t i = 0; i < nfine; i++) {
		if (!(m->fine_names[i] = ns_strdup(fine_names[i])))
			goto nomem;
		m->fine_main[i] = fine_main[i];
	}
	if (p->combo && (rc = find_combos(m, ex, n, p->combo)) < 0)
		goto cleanup;
	nl = nmain + nfine + m->ncombo;
	if (nl > NS_FRAME_MAX_LABELS) {
		rc = ns_error__set(NS_EINVAL, "framing: more than %d role labels", NS_FRAME_MAX_LABELS);
		goto cleanup;
	}
	X0 = ns_calloc(n, sizeof *X0);
	X = ns_calloc(n, sizeof *X);
	if (!X0 || !X)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if ((rc = ns_svec_from_bag(&X0[i], &ex[i].bag, &p->vec)) < 0)
			goto cleanup;
	if ((rc = ns_fmap_build(&m->map, X0, n, p->min_df)) < 0)
		goto cleanup;
	for (size_t i = 0; i < n; i++)
		if ((rc = ns_svec_remap(&X[i], &X0[i], m->map.ids, m->map.dim)) < 0)
			goto cleanup;
	size_t dim = m->map.dim;
	Y = ns_malloc(nl * n);
	W = ns_calloc(nl * (dim + 1), sizeof *W);
	if (!Y || !W || alloc_weights(m, nl, dim) < 0)
		goto nomem;
	memset(Y, -1, nl * n);
	for (size_t i = 0; i < n; i++) {
		if (ex[i].main >= 0 && (size_t)ex[i].main < nmain)
			Y[(size_t)ex[i].main * n + i] = 1;
		for (size_t k = 0; k < ex[i].nfine; k++)
			if (ex[i].fine[k] >= 0 && (size_t)ex[i].fine[k] < nfine)
				Y[(nmain + (size_t)ex[i].fine[k]) * n + i] = 1;
		for (size_t c = 0; c < m->ncombo; c++)
			if (same_list(m->combo[c].fine, m->combo[c].n, ex[i].fine, ex[i].nfine)) {
				Y[(nmain + nfine + c) * n + i] = 1;
				for (size_t k = 0; p->combo_only && k < ex[i].nfine; k++)
					Y[(nmain + (size_t)ex[i].fine[k]) * n + i] = -1;
			}
	}
	ns_linear_params lp = NS_LINEAR_PARAMS_INIT;
	lp.C = p->C;
	lp.loss = p->hinge ? NS_LOSS_L1SVM : NS_LOSS_L2SVM;
	lp.seed = p->seed;
	if ((rc = ns_linear_train_ovr(W, X, n, dim, Y, NULL, nmain, &lp, threads, NULL, NULL)) < 0)
		goto cleanup;
	lp.pos_weight = p->pos_weight;
	lp.seed = p->seed + 1000;
	if (p->C_fine > 0)
		lp.C = p->C_fine;
	if (p->cond) {
		/* fine roles of main role k learn only from mentions of role k: they
		 * separate archetypes, the main decision is made elsewhere. Runs of fine
		 * roles sharing a main role are trained together with a cost mask. */
		sw = ns_malloc(n * sizeof *sw);
		if (!sw)
			goto nomem;
		for (size_t f = 0; f < nfine;) {
			size_t g = f;
			while (g < nfine && fine_main[g] == fine_main[f])
				g++;
			for (size_t i = 0; i < n; i++)
				sw[i] = ex[i].main == fine_main[f] ? 1.0f : 0.0f;
			if ((rc = ns_linear_train_ovr(W + (nmain + f) * (dim + 1), X, n, dim, Y + (nmain + f) * n, sw, g - f,
						      &lp, threads, NULL, NULL)) < 0)
				goto cleanup;
			f = g;
		}
		for (size_t c = 0; c < m->ncombo;) { /* set labels, by main role likewise */
			size_t g = c;
			while (g < m->ncombo && m->combo[g].main == m->combo[c].main)
				g++;
			for (size_t i = 0; i < n; i++)
				sw[i] = ex[i].main == m->combo[c].main ? 1.0f : 0.0f;
			if ((rc = ns_linear_train_ovr(W + (nmain + nfine + c) * (dim + 1), X, n, dim,
						      Y + (nmain + nfine + c) * n, sw, g - c, &lp, threads, NULL, NULL)) < 0)
				goto cleanup;
			c = g;
		}
	} else if (nfine && (rc = ns_linear_train_ovr(W + nmain * (dim + 1), X, n, dim, Y + nmain * n, NULL, nfine, &lp,
						       threads, NULL, NULL)) < 0) {
		goto cleanup;
	} else if (m->ncombo && (rc = ns_linear_train_ovr(W + (nmain + nfine) * (dim + 1), X, n, dim,
							   Y + (nmain + nfine) * n, NULL, m->ncombo, &lp, threads, NULL,
							   NULL)) < 0) {
		goto cleanup;
	}
	for (size_t i = 0; i < nl * (dim + 1); i++)
		m->W[(i % (dim + 1)) * m->stride + i / (dim + 1)] = ns_half_from_float((float)W[i]);
	if ((rc = build_index(m)) < 0)
		goto cleanup;
	*out = m;
	m = NULL;
	rc = 0;
	goto cleanup;
nomem:
	rc = NS_ENOMEM;
cleanup:
	for (size_t i = 0; X0 && i < n; i++)
		ns_svec_free(&X0[i]);
	for (size_t i = 0; X && i < n; i++)
		ns_svec_free(&X[i]);
	free(X0);
	free(X);
	free(Y);
	free(sw);
	free(W);
	ns_frame_model_free(m);
	return rc;
}

const ns_frame_params *ns_frame_model_params(const ns_frame_model *m) { return &m->p; }
const ns_frame_cues *ns_frame_model_cues(const ns_frame_model *m) { return m->cues; }
const ns_claim_lex *ns_frame_model_claim_lex(const ns_frame_model *m) { return m->claim_lex; }
size_t ns_frame_model_nmain(const ns_frame_model *m) { return m->nmain; }
size_t ns_frame_model_nfine(const ns_frame_model *m) { return m->nfine; }
size_t ns_frame_model_nsets(const ns_frame_model *m) { return m->ncombo; }
const char *ns_frame_model_main(const ns_frame_model *m, size_t i) { return m->main_names[i]; }
const char *ns_frame_model_fine(const ns_frame_model *m, size_t i) { return m->fine_names[i]; }
int32_t ns_frame_model_fine_main(const ns_frame_model *m, size_t i) { return m->fine_main[i]; }

static inline size_t slot_of(uint32_t id, size_t mask)
{
	return (size_t)((id * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

/* Open-addressing index feature id -> compact index, so scoring needs no sort
 * and no binary search (a mention has a few hundred hits, the map 10^5 ids). */
static int build_index(ns_frame_model *m)
{
	m->copy_v = 1.0 + log((double)(float)m->p.f.lang_cross_w);
	size_t n = 16;
	while (n < 2 * m->map.dim + 2)
		n <<= 1;
	free(m->slot);
	m->slot = ns_malloc(n * sizeof *m->slot);
	if (!m->slot)
		return NS_ENOMEM;
	memset(m->slot, 0xFF, n * sizeof *m->slot);
	m->mask = n - 1;
	for (size_t i = 0; i < m->map.dim; i++) {
		size_t h = slot_of(m->map.ids[i], m->mask);
		while (m->slot[h].k != UINT32_MAX)
			h = (h + 1) & m->mask;
		m->slot[h].id = m->map.ids[i];
		m->slot[h].k = (uint32_t)i;
	}
	return 0;
}

/* compact index of id starting the probe at slot h, or UINT32_MAX */
static inline uint32_t index_find(const ns_frame_model *m, uint32_t id, size_t h)
{
	for (;; h = (h + 1) & m->mask) {
		const ns_frame_slot *e = &m->slot[h];
		if (e->k == UINT32_MAX || e->id == id)
			return e->k;
	}
}

typedef struct score_cell {
	uint32_t id;
	uint32_t slot; /* after pass 1: index slot; after pass 2: compact index k */
	double c;
} score_cell;

/* Same vector as ns_svec_from_bag (learn/svec.c: per-id sums, tf transform, group
 * then global L2 normalisation), computed with a hash table instead of a sort.
 *
 * The cost is memory latency: the features of a mention are scattered over a
 * 10^5-row index and weight matrix. The passes below are a software pipeline:
 * (1) compute every hit's value and index slot and prefetch the slot, (2) look
 * each hit up and prefetch its weight row, (3) multiply-add. The misses of one
 * mention then overlap instead of stalling one after the other. The hits are
 * accumulated in the same order (hash-cell order) with the same float
 * operations as a single pass, so the scores are bit-identical to it. */
int ns_frame_score(const ns_frame_model *m, ns_fbag *bag, double *main, double *fine)
{
	score_cell local[2048], *cell = local;
	uint64_t lbits[2048 / 64], *bits = lbits; /* used cells */
	size_t ncell = 64;
	if (bag->failed)
		return ns_error__set(NS_ENOMEM, "features: out of memory");
	while (ncell < 2 * bag->n)
		ncell <<= 1;
	if (ncell > 2048) {
		cell = ns_malloc(ncell * sizeof *cell + ncell / 8);
		if (!cell)
			return NS_ENOMEM;
		bits = (uint64_t *)(cell + ncell);
	}
	size_t nwords = ncell / 64, cmask = ncell - 1;
	memset(bits, 0, nwords * sizeof *bits);
	for (size_t i = 0; i < bag->n; i++) {
		uint32_t id = bag->h[i].id;
		size_t h = slot_of(id, cmask);
		while (((bits[h >> 6] >> (h & 63)) & 1) && cell[h].id != id)
			h = (h + 1) & cmask;
		if (!((bits[h >> 6] >> (h & 63)) & 1)) {
			bits[h >> 6] |= 1ull << (h & 63);
			cell[h].id = id;
			cell[h].c = 0;
		}
		cell[h].c += bag->h[i].w;
	}
	/* the used cells are visited in increasing cell order through the bit
	 * set (no branch per empty cell) */
	double gnorm[NS_FGROUPS] = {0}, memo_c[8] = {-1, -1, -1, -1, -1, -1, -1, -1}, memo_v[8] = {0};
	/* a single language copy: its hit weight as the bag stores it (float) */
	double copy_c = (double)(float)m->p.f.lang_cross_w, copy_v = m->copy_v;
	const ns_vec_opts *o = &m->p.vec;
	for (size_t wi = 0; wi < nwords; wi++) {
		for (uint64_t b = bits[wi]; b; b &= b - 1) {
			size_t h = wi * 64 + (size_t)__builtin_ctzll(b);
			unsigned g = NS_FID_GROUP(cell[h].id);
			double c = cell[h].c;
			if (c > 0 && o->group_weight[g] > 0) {
				/* 1 + log(1) is exactly 1: most features occur once;
				 * the other counts are few distinct values (a language
				 * copy weighs lxw): an 8-entry memo of 1 + log(c)
				 * (same value, no libm call) */
				double v = c;
				if (o->log_tf && c == copy_c) {
					v = copy_v;
				} else if (o->log_tf && c != 1.0) {
					uint64_t cb;
					memcpy(&cb, &c, sizeof cb);
					size_t ci = (size_t)((cb * 0x9E3779B97F4A7C15ULL) >> 61);
					if (memo_c[ci] != c) {
						memo_c[ci] = c;
						memo_v[ci] = 1.0 + log(c);
					}
					v = memo_v[ci];
				} else if (o->log_tf) {
					v = 1.0;
				}
				cell[h].c = (float)v;
				gnorm[g] += v * v;
			} else {
				bits[wi] &= ~(1ull << (h & 63));
			}
		}
	}
	double total = 0;
	for (unsigned g = 0; g < NS_FGROUPS; g++) {
		if (gnorm[g] > 0) {
			gnorm[g] = o->group_weight[g] / sqrt(gnorm[g]);
			total += (double)o->group_weight[g] * o->group_weight[g];
		}
	}
	double scale = total > 0 ? 1.0 / sqrt(total) : 1.0;
	size_t dim = m->map.dim, nl = m->nmain + m->nfine + m->ncombo;
	size_t stride = m->stride;
	/* pass 1: compact the used cells to the front (in cell order) with their
	 * final value and index slot */
	size_t nh = 0;
	for (size_t wi = 0; wi < nwords; wi++) {
		for (uint64_t b = bits[wi]; b; b &= b - 1) {
			size_t h = wi * 64 + (size_t)__builtin_ctzll(b);
			uint32_t id = cell[h].id;
			float x = (float)(cell[h].c * gnorm[NS_FID_GROUP(id)] * scale);
			size_t sh = slot_of(id, m->mask);
			__builtin_prefetch(&m->slot[sh]);
			cell[nh].id = id;
			cell[nh].slot = (uint32_t)sh;
			cell[nh].c = x;
			nh++;
		}
	}
	/* pass 2: look up, prefetch the weight rows of the hits in the model */
	for (size_t j = 0; j < nh; j++) {
		uint32_t k = index_find(m, cell[j].id, cell[j].slot);
		cell[j].slot = k;
		if (k != UINT32_MAX) {
			const uint16_t *w = m->W + (size_t)k * stride;
			for (size_t l = 0; l < stride; l += 32)
				__builtin_prefetch(w + l);
		}
	}
	/* pass 3: each feature's label weights are contiguous (feature-major
	 * storage), so a hit is a run of multiply-adds over one weight row, done
	 * for many rows at a time in registers (learn/half.c) */
	float acc[NS_FRAME_MAX_LABELS + 8], xv[64];
	const uint16_t *rp[64];
	const uint16_t *bias = m->W + dim * stride;
	for (size_t l = 0; l < stride; l++)
		acc[l] = ns_half_to_float(bias[l]); /* bias feature value 1 */
	size_t nr = 0;
	for (size_t j = 0; j < nh; j++) {
		uint32_t k = cell[j].slot;
		if (k == UINT32_MAX)
			continue;
		rp[nr] = m->W + (size_t)k * stride;
		xv[nr++] = (float)cell[j].c;
		if (nr == 64) {
			ns_half_add_rows(acc, stride, rp, xv, nr);
			nr = 0;
		}
	}
	ns_half_add_rows(acc, stride, rp, xv, nr);
	for (size_t l = 0; l < nl; l++) {
		if (l < m->nmain)
			main[l] = acc[l];
		else
			fine[l - m->nmain] = acc[l];
	}
	if (cell != local)
		free(cell);
	return 0;
}

/* Best fine label of main role k: a fine role (index f < nfine) or a set label
 * (nfine + c), with its score (set labels carry the combo bias). */
static double best_fine(const ns_frame_model *m, const double *fine, int32_t k, const ns_frame_params *p,
			int32_t *arg)
{
	double bf = -INFINITY;
	*arg = -1;
	for (size_t f = 0; f < m->nfine; f++)
		if (m->fine_main[f] == k && fine[f] > bf) {
			bf = fine[f];
			*arg = (int32_t)f;
		}
	for (size_t c = 0; c < m->ncombo; c++)
		if (m->combo[c].main == k && fine[m->nfine + c] + p->combo_bias > bf) {
			bf = fine[m->nfine + c] + p->combo_bias;
			*arg = (int32_t)(m->nfine + c);
		}
	return bf;
}

void ns_frame_decide(ns_frame_decision *d, const ns_frame_model *m, const double *main, const double *fine,
		     const ns_frame_params *p)
{
	if (!p)
		p = &m->p;
	double best = -INFINITY, second = -INFINITY;
	int32_t arg;
	memset(d, 0, sizeof *d);
	d->main = 0;
	for (size_t k = 0; k < m->nmain; k++) {
		double s = main[k];
		if (p->joint) {
			double bf = best_fine(m, fine, (int32_t)k, p, &arg);
			if (bf > -INFINITY)
				s += p->joint_w * bf;
		}
		if (s > best) {
			second = best;
			best = s;
			d->main = (int32_t)k;
		} else if (s > second) {
			second = s;
		}
	}
	double margin = second > -INFINITY ? best - second : best;
	d->score = 1.0 / (1.0 + exp(-2.0 * margin));
	best_fine(m, fine, d->main, p, &arg);
	if (arg >= (int32_t)m->nfine) { /* a set label: its roles in annotation order */
		const ns_frame_combo *c = &m->combo[arg - (int32_t)m->nfine];
		memcpy(d->fine, c->fine, c->n * sizeof *d->fine);
		d->nfine = c->n;
		return;
	}
	int32_t f1 = -1, f2 = -1;
	for (size_t f = 0; f < m->nfine; f++) {
		if (m->fine_main[f] != d->main)
			continue;
		if (f1 < 0 || fine[f] > fine[f1]) {
			f2 = f1;
			f1 = (int32_t)f;
		} else if (f2 < 0 || fine[f] > fine[f2]) {
			f2 = (int32_t)f;
		}
	}
	if (f1 >= 0)
		d->fine[d->nfine++] = f1;
	if (f2 >= 0 && fine[f2] >= p->second)
		d->fine[d->nfine++] = f2;
}

int ns_frame_model_serialize(const ns_frame_model *m, ns_buf *out)
{
	ns_buf ps = NS_BUF_INIT;
	int rc = ns_frame_params_format(&m->p, &ps);
	if (rc < 0)
		return rc;
	ns_wr_u32(out, FRAME_FORMAT);
	ns_wr_str(out, ps.ptr, ps.size);
	ns_buf_free(&ps);
	ns_wr_u32(out, (uint32_t)m->nmain);
	for (size_t i = 0; i < m->nmain; i++)
		ns_wr_str(out, m->main_names[i], strlen(m->main_names[i]));
	ns_wr_u32(out, (uint32_t)m->nfine);
	for (size_t i = 0; i < m->nfine; i++) {
		ns_wr_str(out, m->fine_names[i], strlen(m->fine_names[i]));
		ns_wr_u32(out, (uint32_t)m->fine_main[i]);
	}
	ns_wr_u32(out, (uint32_t)m->ncombo);
	for (size_t c = 0; c < m->ncombo; c++) {
		ns_wr_u32(out, (uint32_t)m->combo[c].main);
		ns_wr_u32(out, (uint32_t)m->combo[c].n);
		for (size_t k = 0; k < m->combo[c].n; k++)
			ns_wr_u32(out, (uint32_t)m->combo[c].fine[k]);
	}
	size_t dim = m->map.dim, nl = m->nmain + m->nfine + m->ncombo;
	ns_wr_u32(out, (uint32_t)dim);
	for (size_t i = 0; i < dim; i++)
		ns_wr_u32(out, m->map.ids[i]);
	ns_wr_u32(out, (uint32_t)nl);
	for (size_t l = 0; l < nl; l++) /* label-major in the file */
		for (size_t i = 0; i <= dim; i++)
			ns_wr_u16(out, m->W[i * m->stride + l]);
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}

int ns_frame_model_load(ns_frame_model **out, const void *data, size_t len)
{
	ns_rd r;
	ns_frame_model *m = NULL;
	char pbuf[1024];
	size_t n;
	int rc;
	*out = NULL;
	ns_rd_init(&r, data, len);
	uint32_t ver = ns_rd_u32(&r);
	if (!ns_rd_ok(&r))
		return ns_error__set(NS_EFORMAT, "section %s: truncated", NS_FRAME_SECTION);
	if (ver > FRAME_FORMAT)
		return ns_error__set(NS_EVERSION, "section %s: format %u is newer than this build (%d)", NS_FRAME_SECTION,
				     ver, FRAME_FORMAT);
	const char *ps = ns_rd_str(&r, &n);
	if (!ps || n >= sizeof pbuf)
		return ns_error__set(NS_EFORMAT, "section %s: bad parameter string", NS_FRAME_SECTION);
	memcpy(pbuf, ps, n);
	pbuf[n] = 0;
	uint32_t nmain = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nmain == 0 || nmain > NS_FRAME_MAX_LABELS / 2)
		return ns_error__set(NS_EFORMAT, "section %s: bad main-role count", NS_FRAME_SECTION);
	/* read names first into the model */
	const unsigned char *save = r.p;
	for (uint32_t i = 0; i < nmain; i++)
		ns_rd_str(&r, &n);
	uint32_t nfine = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || nfine > NS_FRAME_MAX_LABELS / 2)
		return ns_error__set(NS_EFORMAT, "section %s: bad fine-role count", NS_FRAME_SECTION);
	r.p = save;
	if ((rc = model_alloc(&m, nmain, nfine)) < 0)
		return rc;
	ns_frame_params_init(&m->p);
	m->p.f.verbs = 0; /* models from before the key was written had none */
	m->p.f.lang_cross_w = 1.0; /* nor language-copy weights */
	m->p.f.window_chars = 0; /* nor window n-grams or wide context (defaults */
	m->p.f.wide = 0;         /* since session 5; g2 is always written) */
	if ((rc = ns_frame_params_parse(&m->p, pbuf)) < 0) {
		ns_error__wrap(rc, "section %s", NS_FRAME_SECTION);
		goto cleanup;
	}
	if (m->p.f.claims && (rc = ns_frame_claims_lex_new(&m->claim_lex)) < 0)
		goto cleanup;
	for (uint32_t i = 0; i < nmain; i++) {
		const char *s = ns_rd_str(&r, &n);
		if (!s || !(m->main_names[i] = ns_strndup(s, n)))
			goto bad;
	}
	(void)ns_rd_u32(&r);
	for (uint32_t i = 0; i < nfine; i++) {
		const char *s = ns_rd_str(&r, &n);
		if (!s || !(m->fine_names[i] = ns_strndup(s, n)))
			goto bad;
		uint32_t mi = ns_rd_u32(&r);
		if (mi >= nmain)
			goto bad;
		m->fine_main[i] = (int32_t)mi;
	}
	if (ver >= 2) {
		uint32_t nc = ns_rd_u32(&r);
		if (!ns_rd_ok(&r) || nc > FRAME_MAX_COMBO || nmain + nfine + nc > NS_FRAME_MAX_LABELS)
			goto bad;
		m->combo = ns_calloc(nc ? nc : 1, sizeof *m->combo);
		if (!m->combo)
			goto nomem;
		for (uint32_t c = 0; c < nc; c++) {
			ns_frame_combo *cb = &m->combo[c];
			uint32_t mi = ns_rd_u32(&r), k = ns_rd_u32(&r);
			if (!ns_rd_ok(&r) || mi >= nmain || k < 2 || k > NS_FRAME_MAX_FINE)
				goto bad;
			cb->main = (int32_t)mi;
			cb->n = k;
			for (uint32_t q = 0; q < k; q++) {
				uint32_t f = ns_rd_u32(&r);
				if (!ns_rd_ok(&r) || f >= nfine || m->fine_main[f] != (int32_t)mi)
					goto bad;
				cb->fine[q] = (int32_t)f;
			}
		}
		m->ncombo = nc;
	}
	uint32_t dim = ns_rd_u32(&r);
	if (!ns_rd_ok(&r) || (size_t)dim > ns_rd_left(&r) / 4)
		goto bad;
	m->map.dim = dim;
	m->map.ids = ns_malloc(((size_t)dim ? dim : 1) * sizeof *m->map.ids);
	if (!m->map.ids)
		goto nomem;
	for (uint32_t i = 0; i < dim; i++) {
		m->map.ids[i] = ns_rd_u32(&r);
		if (i && m->map.ids[i] <= m->map.ids[i - 1])
			goto bad;
	}
	uint32_t nl = ns_rd_u32(&r);
	size_t nw = (size_t)nl * ((size_t)dim + 1), wsize = ver >= 3 ? 2 : 4;
	if (!ns_rd_ok(&r) || nl != nmain + nfine + m->ncombo || nw > ns_rd_left(&r) / wsize)
		goto bad;
	if (alloc_weights(m, nl, dim) < 0)
		goto nomem;
	const unsigned char *wb = ns_rd_bytes(&r, nw * wsize);
	if (!wb)
		goto bad;
	/* label-major little-endian weights in the file, feature-major here: written
	 * row by row, reading the nl label streams side by side */
	for (size_t i = 0; i <= dim; i++) {
		uint16_t *row = m->W + i * m->stride;
		for (size_t l = 0; l < nl; l++) {
			const unsigned char *q = wb + wsize * (l * ((size_t)dim + 1) + i);
			if (wsize == 2) {
				row[l] = (uint16_t)(q[0] | q[1] << 8);
				continue;
			}
			uint32_t v = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
			float f;
			memcpy(&f, &v, 4);
			row[l] = ns_half_from_float(f); /* formats 1 and 2 */
		}
	}
	if (!ns_rd_ok(&r) || ns_rd_left(&r) != 0)
		goto bad;
	if ((rc = build_index(m)) < 0)
		goto cleanup;
	*out = m;
	return 0;
bad:
	rc = ns_error__set(NS_EFORMAT, "section %s: malformed or truncated", NS_FRAME_SECTION);
	goto cleanup;
nomem:
	rc = NS_ENOMEM;
cleanup:
	ns_frame_model_free(m);
	return rc;
}
