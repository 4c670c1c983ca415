/* Explanations of the dominant narrative: training of the word weights, the
 * sentence scorer and the composition of the at-most-80-word text, plus the lead
 * baseline and the bundle section (see explain.h).
 *
 * DESIGN: sentence score = (sum over the distinct stems of the sentence of
 * g(s) + narr_weight * n(L, s)) / sqrt(words) + evid_bonus [evidence sentence]
 * + pos_weight / (1 + index) + claim bonus (sentences with an accusation or an
 * attributed quote carry the central claim) + title_weight x the share of the
 * unit's longer words whose stems occur in the title (first sentence). g(s) = log((both+0.5)/(art+1)) -
 * log(rate): how much more often a stem of the article reappears in its gold
 * explanation than the average stem does; n(L, s) = log-ratio of the stem's rate
 * in explanations of narrative L to its rate in all explanations. Both are
 * clipped to [-3, 3] and kept only for stems seen in at least two documents.
 * Sentences are taken best first until the language's target length is
 * reached, then restored to article order behind the opener. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../claim/claim.h"
#include "../eval/eval.h"
#include "../model/ser.h"
#include "explain.h"

#define EXPLAIN_FORMAT 1

/* built-in openers, used when training found none */
static const struct { const char *code, *opener; uint32_t target; } builtin[] = {
	{"en", "The text claims that", 35}, {"bg", "", 30},
	{"ru", "В статье говорится, что", 35},
	{"uk", "У статті стверджується, що", 35}, {"pt", "O texto refere que", 35},
	{"hi", "इस लेख में चर्चा की गई है कि", 45},
};

void ns_explain_params_default(ns_explain_params *p)
{
	p->narr_weight = 0.25;
	p->sub_weight = 0;
	p->join = 1; /* ROUGE-L +0.0025/+0.0029/+0.0025 on seeds 1-3 */
	p->evid_bonus = 0.5; /* with the default model's evidence in CV: 1 -> 0.2007, 0.5 -> 0.2022, none 0.2020 */
	p->pos_weight = 2.0;
	p->len_factor = 0.7;
	p->accusation = 1;
	p->drop = -100;
	p->learned = 0;
	p->label = 2; /* 2: English openers phrase the narrative ("The text discredits Ukraine and claims that") */
	p->opener = 1;
	p->opener_min = 2;
	p->opener_group = 4;
	p->opener_max = 12;
	p->opener_cut = 0;
	p->opener_join = 1;
	p->clause = 3; /* 3: also at "that", "че", "что", "que", "कि" ...: ROUGE-L +0.0016/+0.0012/+0.0026 on seeds 1-3 */
	p->clause_min = 3;
	p->redund = 0.7;
	p->cen_weight = 0.05;
	p->crossfit = 1;
	p->len_auto = 1;
	p->title_weight = 2.0;
	p->trim = NS_EXPLAIN_TRIM_PUNCT | NS_EXPLAIN_TRIM_SOURCE; /* grammar; ROUGE-L +0.0004 on seed 1, flat on 2, 3 */
}

int ns_explain_params_parse(ns_explain_params *p, const char *s)
{
	while (s && *s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		if (!eq)
			return ns_error__set(NS_EINVAL, "explanations params: expected key=value in \"%.*s\"", (int)n, s);
		size_t kl = (size_t)(eq - s);
		char val[64];
		size_t vl = n - kl - 1;
		if (vl >= sizeof val)
			vl = sizeof val - 1;
		memcpy(val, eq + 1, vl);
		val[vl] = '\0';
		char *end;
		double v = strtod(val, &end);
		if (end == val || *end)
			return ns_error__set(NS_EINVAL, "explanations params: bad value for %.*s", (int)kl, s);
		if (kl == 11 && !memcmp(s, "narr_weight", kl))
			p->narr_weight = v;
		else if (kl == 4 && !memcmp(s, "join", kl))
			p->join = v != 0;
		else if (kl == 10 && !memcmp(s, "sub_weight", kl))
			p->sub_weight = v;
		else if (kl == 10 && !memcmp(s, "evid_bonus", kl))
			p->evid_bonus = v;
		else if (kl == 10 && !memcmp(s, "pos_weight", kl))
			p->pos_weight = v;
		else if (kl == 10 && !memcmp(s, "len_factor", kl))
			p->len_factor = v;
		else if (kl == 7 && !memcmp(s, "learned", kl))
			p->learned = (int)v;
		else if (kl == 5 && !memcmp(s, "label", kl))
			p->label = (int)v;
		else if (kl == 4 && !memcmp(s, "drop", kl))
			p->drop = v;
		else if (kl == 10 && !memcmp(s, "accusation", kl))
			p->accusation = v != 0;
		else if (kl == 6 && !memcmp(s, "opener", kl))
			p->opener = v != 0;
		else if (kl == 10 && !memcmp(s, "opener_min", kl))
			p->opener_min = v < 1 ? 1 : (int)v;
		else if (kl == 12 && !memcmp(s, "opener_group", kl))
			p->opener_group = v < 1 ? 1 : (int)v;
		else if (kl == 10 && !memcmp(s, "opener_max", kl))
			p->opener_max = v < 2 ? 2 : v > 40 ? 40 : (int)v;
		else if (kl == 11 && !memcmp(s, "opener_join", kl))
			p->opener_join = v != 0;
		else if (kl == 10 && !memcmp(s, "opener_cut", kl))
			p->opener_cut = v != 0;
		else if (kl == 8 && !memcmp(s, "crossfit", kl))
			p->crossfit = v != 0;
		else if (kl == 8 && !memcmp(s, "len_auto", kl))
			p->len_auto = v != 0;
		else if (kl == 10 && !memcmp(s, "cen_weight", kl))
			p->cen_weight = v;
		else if (kl == 12 && !memcmp(s, "title_weight", kl))
			p->title_weight = v;
		else if (kl == 4 && !memcmp(s, "trim", kl))
			p->trim = v < 0 ? 0 : (int)v & 31;
		else if (kl == 6 && !memcmp(s, "redund", kl))
			p->redund = v;
		else if (kl == 6 && !memcmp(s, "clause", kl))
			p->clause = (int)v;
		else if (kl == 10 && !memcmp(s, "clause_min", kl))
			p->clause_min = v < 1 ? 1 : (int)v;
		else
			return ns_error__set(NS_EINVAL, "explanations params: unknown key %.*s", (int)kl, s);
		s = e ? e + 1 : NULL;
	}
	return 0;
}

/* ---- a small uint64 -> two counters table ---- */
typedef struct ctab {
	uint64_t *k;
	uint32_t *a, *b;
	size_t cap, n;
} ctab;

static int ctab_init(ctab *t, size_t cap)
{
	t->cap = cap;
	t->n = 0;
	t->k = ns_calloc(cap, sizeof *t->k);
	t->a = ns_calloc(cap, sizeof *t->a);
	t->b = ns_calloc(cap, sizeof *t->b);
	return (t->k && t->a && t->b) ? 0 : NS_ENOMEM;
}

static void ctab_free(ctab *t)
{
	free(t->k);
	free(t->a);
	free(t->b);
}

static size_t ctab_slot(ctab *t, uint64_t key)
{
	key |= 1; /* 0 marks an empty slot */
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 7) & (t->cap - 1);
	while (t->k[i] && t->k[i] != key)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int ctab_add(ctab *t, uint64_t key, uint32_t da, uint32_t db)
{
	if ((t->n + 1) * 2 > t->cap) {
		ctab big;
		if (ctab_init(&big, t->cap * 2) < 0) {
			ctab_free(&big);
			return NS_ENOMEM;
		}
		for (size_t i = 0; i < t->cap; i++)
			if (t->k[i]) {
				size_t j = ctab_slot(&big, t->k[i]);
				big.k[j] = t->k[i];
				big.a[j] = t->a[i];
				big.b[j] = t->b[i];
				big.n++;
			}
		ctab_free(t);
		*t = big;
	}
	size_t i = ctab_slot(t, key);
	if (!t->k[i]) {
		t->k[i] = key | 1;
		t->n++;
	}
	t->a[i] += da;
	t->b[i] += db;
	return 0;
}

static int ctab_get(const ctab *t, uint64_t key, uint32_t *a, uint32_t *b)
{
	size_t i = ctab_slot((ctab *)t, key);
	if (!t->k[i])
		return 0;
	*a = t->a[i];
	*b = t->b[i];
	return 1;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Distinct stem keys of a document's word tokens (sorted, deduplicated). */
static size_t doc_stems(const ns_doc *d, uint32_t tb, uint32_t te, uint64_t **out)
{
	size_t n = 0;
	uint64_t *k = ns_malloc(((size_t)(te - tb) + 1) * sizeof *k);
	if (!k)
		return SIZE_MAX;
	for (uint32_t i = tb; i < te; i++) {
		const ns_token *t = &d->tokens[i];
		if (t->kind != NS_TOK_WORD || !t->norm)
			continue;
		k[n++] = ns_explain__stem_key(t);
	}
	for (size_t i = 1; i < n; i++) { /* insertion sort is fine for sentences; qsort for docs */
		if (n > 64)
			break;
		uint64_t v = k[i];
		size_t j = i;
		while (j > 0 && k[j - 1] > v) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = v;
	}
	if (n > 64)
		qsort(k, n, sizeof *k, cmp_u64);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || k[m - 1] != k[i])
			k[m++] = k[i];
	*out = k;
	return m;
}

static ns_explain_lang *lang_get(ns_explain_model *m, const char *code)
{
	for (size_t i = 0; i < m->nlangs; i++)
		if (!strcmp(m->langs[i].code, code))
			return &m->langs[i];
	if (m->nlangs == NS_EXPLAIN_MAX_LANGS)
		return NULL;
	ns_explain_lang *l = &m->langs[m->nlangs++];
	memset(l, 0, sizeof *l);
	snprintf(l->code, sizeof l->code, "%s", code);
	return l;
}

const ns_explain_lang *ns_explain__lang(const ns_explain_model *m, const char *code)
{
	for (size_t i = 0; i < m->nlangs; i++)
		if (!strcmp(m->langs[i].code, code))
			return &m->langs[i];
	return NULL;
}

/* Hash index of the sorted keys k[0..n) (positions, UINT32_MAX empty). */
static int build_index(uint32_t **slot, size_t *mask, const uint64_t *k, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n + 2)
		cap <<= 1;
	uint32_t *t = ns_malloc(cap * sizeof *t);
	if (!t)
		return NS_ENOMEM;
	memset(t, 0xFF, cap * sizeof *t);
	for (size_t i = 0; i < n; i++) {
		size_t h = ns_explain__key_slot(k[i], cap - 1);
		while (t[h] != UINT32_MAX)
			h = (h + 1) & (cap - 1);
		t[h] = (uint32_t)i;
	}
	free(*slot);
	*slot = t;
	*mask = cap - 1;
	return 0;
}

int ns_explain__index(ns_explain_model *m)
{
	int rc = build_index(&m->gslot, &m->gmask, m->gkey, m->ng);
	return rc < 0 ? rc : build_index(&m->nslot, &m->nmask, m->nkey, m->nn);
}

void ns_explain_model_free(ns_explain_model *m)
{
	if (!m)
		return;
	free(m->gkey);
	free(m->gw);
	free(m->gidf);
	free(m->nkey);
	free(m->nw);
	free(m->gslot);
	free(m->nslot);
	for (size_t i = 0; i < m->nlangs; i++)
		free(m->langs[i].opener);
	for (size_t i = 0; i < m->nopeners; i++)
		free(m->openers[i].text);
	free(m->openers);
	free(m);
}

static int add_builtin_langs(ns_explain_model *m)
{
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
		if (ns_explain__lang(m, builtin[i].code))
			continue;
		ns_explain_lang *l = lang_get(m, builtin[i].code);
		if (!l)
			break;
		l->target = builtin[i].target;
		l->lead = builtin[i].target;
		l->opener = ns_strdup(builtin[i].opener);
		if (!l->opener)
			return NS_ENOMEM;
	}
	return 0;
}

int ns_explain_default(ns_explain_model **out)
{
	ns_explain_model *m = ns_calloc(1, sizeof *m);
	*out = NULL;
	if (!m)
		return NS_ENOMEM;
	ns_explain_params_default(&m->p);
	if (add_builtin_langs(m) < 0) {
		ns_explain_model_free(m);
		return NS_ENOMEM;
	}
	*out = m;
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* Sorted key/weight arrays from a filled table via fn. */
typedef float (*weight_fn)(uint32_t a, uint32_t b, const void *ctx, int *keep);

typedef struct kw {
	uint64_t k;
	float w;
} kw;

static int cmp_kw(const void *x, const void *y)
{
	uint64_t a = ((const kw *)x)->k, b = ((const kw *)y)->k;
	return a < b ? -1 : a > b;
}

/* Moves pairs[0..cnt) (sorted here) into separate key/weight arrays. */
static int split_pairs(kw *pairs, size_t cnt, uint64_t **keys, float **w, size_t *n)
{
	qsort(pairs, cnt, sizeof *pairs, cmp_kw);
	*keys = ns_malloc((cnt + 1) * sizeof **keys);
	*w = ns_malloc((cnt + 1) * sizeof **w);
	if (!*keys || !*w)
		return NS_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		(*keys)[i] = pairs[i].k;
		(*w)[i] = pairs[i].w;
	}
	*n = cnt;
	return 0;
}

static int emit_sorted(const ctab *t, weight_fn fn, const void *ctx, uint64_t **keys, float **w, size_t *n)
{
	size_t cnt = 0;
	kw *pairs = ns_malloc((t->n + 1) * sizeof *pairs);
	if (!pairs)
		return NS_ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->k[i])
			continue;
		int keep = 0;
		float v = fn(t->a[i], t->b[i], ctx, &keep);
		if (keep) {
			pairs[cnt].k = t->k[i];
			pairs[cnt].w = v;
			cnt++;
		}
	}
	int rc = split_pairs(pairs, cnt, keys, w, n);
	free(pairs);
	return rc;
}

static float clip3(double v)
{
	return (float)(v > 3 ? 3 : v < -3 ? -3 : v);
}

static float global_w(uint32_t art, uint32_t both, const void *ctx, int *keep)
{
	double rate = *(const double *)ctx;
	*keep = art >= 2;
	return clip3(log((both + 0.5) / (art + 1.0)) - log(rate));
}

/* Solves A x = b (k x k, row-major) by Gaussian elimination with partial pivoting. */
static int solve(double *A, double *b, double *x, size_t k)
{
	for (size_t c = 0; c < k; c++) {
		size_t p = c;
		for (size_t r = c + 1; r < k; r++)
			if (fabs(A[r * k + c]) > fabs(A[p * k + c]))
				p = r;
		if (fabs(A[p * k + c]) < 1e-12)
			return -1;
		if (p != c) {
			for (size_t j = 0; j < k; j++) {
				double t = A[c * k + j];
				A[c * k + j] = A[p * k + j];
				A[p * k + j] = t;
			}
			double t = b[c];
			b[c] = b[p];
			b[p] = t;
		}
		for (size_t r = c + 1; r < k; r++) {
			double f = A[r * k + c] / A[c * k + c];
			for (size_t j = c; j < k; j++)
				A[r * k + j] -= f * A[c * k + j];
			b[r] -= f * b[c];
		}
	}
	for (size_t c = k; c-- > 0;) {
		double v = b[c];
		for (size_t j = c + 1; j < k; j++)
			v -= A[c * k + j] * x[j];
		x[c] = v / A[c * k + c];
	}
	return 0;
}

/* Sentence scorer: ridge regression (lambda 1, bias unpenalised) of each training
 * sentence's ROUGE-L F1 against its article's gold explanation on the features of
 * ns_explain__features. Falls back to the hand-set formula when singular. */
static int fit_scorer(ns_explain_model *m, const ns_explain_example *ex, size_t n)
{
	enum { K = NS_EXPLAIN_NF };
	double A[K * K], b[K], f[K];
	uint64_t *st = NULL;
	size_t stcap = 0, rows = 0;
	int rc = 0;
	memset(A, 0, sizeof A);
	memset(b, 0, sizeof b);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const ns_doc *d = ex[i].doc;
		uint64_t lab = ns_explain__label_key(ex[i].narrative);
		if (m->p.learned == 2) {
			rc = ns_explain__unit_rows(A, b, &rows, m, d, ex[i].gold, lab);
			continue;
		}
		for (size_t si = 0; si < d->nsentences; si++) {
			size_t nw = ns_explain__features(f, m, d, si, lab, &st, &stcap);
			if (nw == SIZE_MAX) {
				rc = NS_ENOMEM;
				break;
			}
			if (nw == 0)
				continue;
			const ns_sentence *s = &d->sentences[si];
			double y;
			if ((rc = ns_eval_rouge_l(&y, ex[i].gold->text, ex[i].gold->len, d->text + s->bstart,
						  s->bend - s->bstart)) < 0)
				break;
			for (size_t r = 0; r < K; r++) {
				for (size_t c = 0; c < K; c++)
					A[r * K + c] += f[r] * f[c];
				b[r] += f[r] * y;
			}
			rows++;
		}
	}
	free(st);
	if (rc < 0)
		return rc;
	for (size_t k = 1; k < K; k++)
		A[k * K + k] += 1.0;
	m->has_w = rows > K && solve(A, b, m->w, K) == 0;
	return 0;
}

/* Openers: generate every training article's body with the model so far, then
 * choose the openers that fit those bodies best (explain_opener.c). */
static int train_openers(ns_explain_model *m, const ns_explain_example *ex, size_t n, const uint32_t *medians)
{
	static const double factors[] = {0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0};
	enum { NFAC = sizeof factors / sizeof factors[0] };
	ns_explain_model *half[2] = {NULL, NULL};
	ns_explain_example *sub = NULL;
	char **bodies = ns_calloc(n + 1, sizeof *bodies);
	ns_explain_toks g = {0}, h = {0};
	size_t *row = NULL, rowcap = 0;
	double sum[NS_EXPLAIN_MAX_LANGS][NFAC];
	int rc = 0;
	if (!bodies)
		return NS_ENOMEM;
	/* cross-fitting: the bodies of the even articles come from a model trained on
	 * the odd ones and vice versa, so they are as good as on unseen articles */
	if (m->p.crossfit && n >= 8) {
		ns_explain_params q = m->p;
		q.opener = 0;
		q.crossfit = 0;
		if (!(sub = ns_malloc(n * sizeof *sub))) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t hf = 0; hf < 2 && rc == 0; hf++) {
			size_t k = 0;
			for (size_t i = 0; i < n; i++)
				if (i % 2 != hf)
					sub[k++] = ex[i];
			rc = ns_explain_train(&half[hf], sub, k, &q);
		}
		if (rc < 0)
			goto cleanup;
	}
	/* per language: the length factor whose explanations (language opener + body)
	 * score best on the cross-fitted bodies */
	memset(sum, 0, sizeof sum);
	for (size_t i = 0; i < n && rc == 0 && m->p.len_auto && half[0]; i++) {
		const ns_explain_model *bm = half[i % 2];
		size_t li = 0;
		while (li < m->nlangs && strcmp(m->langs[li].code, ex[i].doc->lang) != 0)
			li++;
		if (li == m->nlangs || !medians[li])
			continue;
		const char *op = m->langs[li].opener;
		g.n = 0;
		if ((rc = ns_explain__rtok(&g, ex[i].gold->text, ex[i].gold->len)) < 0)
			break;
		for (size_t f = 0; f < NFAC && rc == 0; f++) {
			double t = medians[li] * factors[f], r = 0;
			char *body = NULL;
			h.n = 0;
			if ((rc = ns_explain__body(&body, bm, ex[i].doc, ex[i].narrative, ex[i].subnarrative, NULL, 0,
						   (size_t)(t < 8 ? 8 : t > NS_EXPLAIN_MAX_WORDS ? NS_EXPLAIN_MAX_WORDS : t))) < 0)
				break;
			if (op && *op)
				rc = ns_explain__rtok(&h, op, strlen(op));
			if (rc == 0)
				rc = ns_explain__rtok(&h, body, strlen(body));
			if (rc == 0)
				rc = ns_explain__rouge(&r, &g, &h, &row, &rowcap);
			free(body);
			sum[li][f] += r;
		}
	}
	for (size_t li = 0; li < m->nlangs && rc == 0 && m->p.len_auto && half[0]; li++) {
		if (!medians[li])
			continue;
		size_t best = 0;
		for (size_t f = 1; f < NFAC; f++)
			if (sum[li][f] > sum[li][best] + 1e-9)
				best = f;
		double t = medians[li] * factors[best];
		m->langs[li].target = (uint32_t)(t < 8 ? 8 : t > NS_EXPLAIN_MAX_WORDS ? NS_EXPLAIN_MAX_WORDS : t);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const ns_explain_lang *l = ns_explain__lang(m, ex[i].doc->lang);
		const ns_explain_model *bm = half[0] ? half[i % 2] : m;
		rc = ns_explain__body(&bodies[i], bm, ex[i].doc, ex[i].narrative, ex[i].subnarrative, NULL, 0,
				      l ? l->target : 35);
	}
	if (rc == 0)
		rc = ns_explain__learn_openers(m, ex, n, bodies);
cleanup:
	for (size_t i = 0; i < n; i++)
		free(bodies[i]);
	free(bodies);
	free(sub);
	free(g.id);
	free(h.id);
	free(row);
	ns_explain_model_free(half[0]);
	ns_explain_model_free(half[1]);
	return rc;
}

int ns_explain_train(ns_explain_model **out, const ns_explain_example *ex, size_t n, const ns_explain_params *p)
{
	ns_explain_model *m = ns_calloc(1, sizeof *m);
	ctab g = {0}, ov = {0}, nt = {0};
	uint32_t *lens = NULL, medians[NS_EXPLAIN_MAX_LANGS] = {0};
	int rc = 0;
	*out = NULL;
	if (!m)
		return NS_ENOMEM;
	m->p = *p;
	if ((rc = ctab_init(&g, 1 << 14)) < 0 || (rc = ctab_init(&ov, 1 << 12)) < 0 ||
	    (rc = ctab_init(&nt, 1 << 14)) < 0)
		goto cleanup;
	/* labels: up to 256 distinct, counted by linear scan */
	uint64_t labs[256];
	uint32_t labn[256];
	size_t nlabs = 0;
	double sum_art = 0, sum_both = 0, nexpl = 0;
	lens = ns_calloc(n + 1, sizeof *lens);
	if (!lens) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t *as = NULL, *gs = NULL;
		size_t na = doc_stems(ex[i].doc, 0, (uint32_t)ex[i].doc->ntokens, &as);
		size_t ngs = doc_stems(ex[i].gold, 0, (uint32_t)ex[i].gold->ntokens, &gs);
		if (na == SIZE_MAX || ngs == SIZE_MAX) {
			free(as);
			free(gs);
			rc = NS_ENOMEM;
			goto cleanup;
		}
		/* the narrative's key and, when the example has one, its subnarrative's */
		uint64_t lk[2] = {ns_explain__label_key(ex[i].narrative),
				  p->sub_weight != 0 ? ns_explain__sub_key(ex[i].subnarrative) : 0};
		for (size_t q = 0; q < 2 && lk[q]; q++) {
			size_t li = 0;
			while (li < nlabs && labs[li] != lk[q])
				li++;
			if (li == nlabs && nlabs < 256) {
				labs[nlabs] = lk[q];
				labn[nlabs++] = 0;
			}
			if (li < 256)
				labn[li]++;
		}
		nexpl++;
		for (size_t a = 0, b = 0; a < na; a++) {
			while (b < ngs && gs[b] < as[a])
				b++;
			int both = b < ngs && gs[b] == as[a];
			if ((rc = ctab_add(&g, as[a], 1, (uint32_t)both)) < 0)
				break;
			sum_art++;
			sum_both += both;
		}
		for (size_t b = 0; b < ngs && rc == 0; b++) {
			if ((rc = ctab_add(&ov, gs[b], 1, 0)) < 0)
				break;
			for (size_t q = 0; q < 2 && lk[q] && rc == 0; q++)
				rc = ctab_add(&nt, ns_explain__narr_key(lk[q], gs[b]), 1, 0);
		}
		free(as);
		free(gs);
		if (rc < 0)
			goto cleanup;
		lens[i] = (uint32_t)ns_explain_words(ex[i].gold->text, ex[i].gold->len);
	}
	double rate = sum_art > 0 ? (sum_both + 0.5) / (sum_art + 1.0) : 1.0;
	if ((rc = emit_sorted(&g, global_w, &rate, &m->gkey, &m->gw, &m->ng)) < 0)
		goto cleanup;
	if (!(m->gidf = ns_calloc(m->ng + 1, sizeof *m->gidf))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < m->ng; i++) {
		uint32_t art = 0, both = 0;
		ctab_get(&g, m->gkey[i], &art, &both);
		m->gidf[i] = (float)log(((double)n + 1.0) / ((double)art + 1.0));
	}
	m->idf_unseen = log(((double)n + 1.0) / 1.5);
	/* narrative weights need the stem's overall count: recover it by re-walking
	 * the examples (keys are hashes, so the stem is not stored in nt) */
	{
		ctab w = {0};
		if ((rc = ctab_init(&w, 1 << 14)) < 0)
			goto cleanup;
		size_t cap = nt.n + 1, cnt = 0;
		kw *pairs = ns_malloc(cap * sizeof *pairs);
		if (!pairs) {
			ctab_free(&w);
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t i = 0; i < n && rc == 0; i++) {
			uint64_t *gs = NULL;
			size_t ngs = doc_stems(ex[i].gold, 0, (uint32_t)ex[i].gold->ntokens, &gs);
			if (ngs == SIZE_MAX) {
				rc = NS_ENOMEM;
				break;
			}
			uint64_t lk[2] = {ns_explain__label_key(ex[i].narrative),
					  p->sub_weight != 0 ? ns_explain__sub_key(ex[i].subnarrative) : 0};
			for (size_t q = 0; q < 2 && lk[q] && rc == 0; q++) {
				size_t li = 0;
				while (li < nlabs && labs[li] != lk[q])
					li++;
				double nl = li < nlabs ? labn[li] : 1;
				for (size_t b = 0; b < ngs && cnt < cap; b++) {
					uint64_t k = ns_explain__narr_key(lk[q], gs[b]);
					uint32_t c = 0, li1 = 0, o = 0, dummy = 0;
					if (!ctab_get(&nt, k, &c, &li1) || c < 2 || ctab_get(&w, k, &dummy, &dummy))
						continue;
					if ((rc = ctab_add(&w, k, 1, 0)) < 0)
						break;
					ctab_get(&ov, gs[b], &o, &dummy);
					double v = log((c + 0.2) / (nl + 1.0)) - log((o + 0.2) / (nexpl + 1.0));
					pairs[cnt].k = k;
					pairs[cnt].w = clip3(v);
					cnt++;
				}
			}
			free(gs);
		}
		ctab_free(&w);
		if (rc == 0)
			rc = split_pairs(pairs, cnt, &m->nkey, &m->nw, &m->nn);
		free(pairs);
		if (rc < 0)
			goto cleanup;
	}
	if ((rc = ns_explain__index(m)) < 0 || (rc = fit_scorer(m, ex, n)) < 0)
		goto cleanup;
	/* per language: the median gold length (openers are the built-in ones) */
	for (size_t i = 0; i < n; i++) {
		ns_explain_lang *l = lang_get(m, ex[i].doc->lang);
		if (!l || l->target)
			continue;
		size_t nl = 0;
		uint32_t *ll = ns_malloc((n + 1) * sizeof *ll);
		if (!ll) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t j = 0; j < n; j++)
			if (strcmp(ex[j].doc->lang, ex[i].doc->lang) == 0)
				ll[nl++] = lens[j];
		qsort(ll, nl, sizeof *ll, cmp_u32);
		medians[l - m->langs] = nl ? ll[nl / 2] : 35;
		double t = (nl ? ll[nl / 2] : 35) * p->len_factor;
		l->target = (uint32_t)(t < 8 ? 8 : t > NS_EXPLAIN_MAX_WORDS ? NS_EXPLAIN_MAX_WORDS : t);
		t = (nl ? ll[nl / 2] : 35) * 0.7; /* the lead baseline keeps its own fixed budget */
		l->lead = (uint32_t)(t < 8 ? 8 : t > NS_EXPLAIN_MAX_WORDS ? NS_EXPLAIN_MAX_WORDS : t);
		free(ll);
	}
	for (size_t i = 0; i < m->nlangs; i++) {
		if (m->langs[i].opener)
			continue;
		for (size_t b = 0; b < sizeof builtin / sizeof builtin[0]; b++)
			if (!strcmp(builtin[b].code, m->langs[i].code))
				m->langs[i].opener = ns_strdup(builtin[b].opener);
	}
	if ((rc = add_builtin_langs(m)) < 0)
		goto cleanup;
	if (p->opener && (rc = train_openers(m, ex, n, medians)) < 0)
		goto cleanup;
	*out = m;
	m = NULL;
cleanup:
	ctab_free(&g);
	ctab_free(&ov);
	ctab_free(&nt);
	free(lens);
	ns_explain_model_free(m);
	return rc;
}
