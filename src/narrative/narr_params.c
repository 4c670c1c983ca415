/* Narrative classifier parameters: defaults, "k=v,k=v" overrides (for --params
 * and experiments) and the stable text form written to the model manifest
 * (knn_* keys only when the neighbour component is on, stack* keys only with
 * the second stage). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narr.h"

void ns_narr_params_default(ns_narr_params *p)
{
	ns_feat_opts f = NS_FEAT_OPTS_INIT;
	ns_linear_params l = NS_LINEAR_PARAMS_INIT;
	memset(p, 0, sizeof *p);
	p->feat = f;
	/* no word bigrams (stem bigrams stay): 5-fold CV F1 coarse/fine, seeds 1/2/3,
	 * .607/.462, .614/.465, .604/.466 against .601/.456, .612/.465, .600/.460 with
	 * them; at half weight (gw_word2=0.5) .604/.459, .617/.463, .605/.467, at 0.25
	 * .608/.454, .616/.467, .605/.465; fewer features to extract and score */
	p->feat.word_n = 1;
	/* character n-grams of 3-5 code points, the title group from the first
	 * sentence, numbers as words (features.h): 5-fold CV (seed 1) .607/.462 against
	 * .603/.457 with 3-6, .603/.458 with 4-6, .602/.455 with title=2, .604/.458
	 * with title=3, .602/.457 with numbers=1 (one "<num>" word) and .607/.458
	 * with one-letter words skipped (min_word_len=2). A dense view was checked
	 * on the TF-IDF peer instead of built (bench/peers, same folds): 300 SVD
	 * dimensions of its character TF-IDF, fitted per fold on the training and
	 * unlabeled articles and appended to its features, raised its (coarse +
	 * fine) / 2 from .493 to .500 at its best threshold; too little for a
	 * K-wide row per feature hit and an SVD at training time */
	p->lin = l;
	/* positives at the negatives' cost (pos_weight 1): the tuned thresholds absorb
	 * the shift; 5-fold CV (seed 1) pos_weight 2 .605/.457, 4 .606/.459. A
	 * bias feature of 1: at 2 .605/.458 and 2.5x the training time (the solver
	 * converges more slowly; at 5 CV had not ended after 25 minutes) */
	p->vec.log_tf = 1;
	for (int g = 0; g < NS_FGROUPS; g++)
		p->vec.group_weight[g] = 1.0f;
	/* title stems at half weight: 5-fold CV (seed 1) F1 coarse/fine .578/.445 vs
	 * .577/.436 at 1, .570/.437 at 0.25, .572/.440 at 0, .542/.401 at 2; again
	 * without word bigrams (.607/.462): .603/.454 at 1, .606/.458 at 0.25 */
	p->vec.group_weight[NS_FG_TITLE] = 0.5f;
	/* 5-fold CV F1 coarse/fine, seeds 1/2/3: C 1.4 .584/.451, .588/.455, .588/.455
	 * against C 1 .578/.445, .582/.447, .584/.455; C 0.7 .573/.438 and C 2
	 * .578/.444 on seed 1; again without word bigrams (.607/.462, seed 1): C 1.2
	 * .602/.459, C 1.7 .608/.456 */
	p->lin.C = 1.4;
	p->min_df = 2;
	p->inner_folds = 4;
	/* 3 rounds: 5-fold CV (seed 1) .607/.461, the same at 1.6x the training time */
	p->tune_rounds = 2;
	/* thresholds tuned for half coarse, half fine F1: with expected-F1 decoding
	 * and explanations, 5-fold CV F1 coarse/fine seeds 1/2/3 .601/.456, .612/.465,
	 * .600/.460 against .598/.457, .600/.465, .597/.462 at 1 (fine only); 0.25
	 * .606/.450, .612/.459, .603/.456 */
	p->fine_weight = 0.5;
	p->domain = 1;
	p->desc_weight = 1;
	/* subtask-3 explanations as pseudo-documents of their article: 5-fold CV F1
	 * coarse/fine, seeds 1/2/3, at 0.5 .598/.457, .600/.465, .597/.462 against
	 * .596/.455, .599/.460, .590/.456 without; 0.25 and 1 alike (means .599/.460,
	 * .598/.462), 2 .595/.457 on seed 1 */
	p->expl_weight = 0.5;
	p->fallback = 1;
	p->mix = 1;
	p->other_heads = 1;
	p->other_doc = 1;
	p->max_features = 100000;
	/* every head sees every article (of either domain) at full cost: articles of
	 * the other domain at 0.2 or 0.05 of their cost in the heads of a domain's
	 * narratives and subnarratives (built for the test, not kept) gave 5-fold CV
	 * (seed 1) .605/.460 and .608/.462 */
	p->fine_neg = 1;
	/* expected-F1 decoding (narr_ef1.c): 5-fold CV F1 coarse/fine, seed 1 .596/.455
	 * against .584/.451 with the threshold rules, seed 2 .595/.458 against
	 * .588/.455 */
	p->ef1 = 1;
	/* the neighbour component (narr_knn.c) is off unless knn_k and knn_a are set
	 * (measured there: within noise of the default, ~20% slower prediction) */
	p->knn_k = 0;
	p->knn_a = 0;
	p->knn_terms = 200;
	p->knn_pow = 1;
	p->knn_groups = 0xff;
	/* the second stage (narr_stack.c) is off: within fold noise, a loss on seed 3
	 * (measurements there); stack_target=1 was its best setting */
	p->stack = 0;
	p->stack_l2 = 0.1;
	p->stack_b = 1;
	p->stack_target = 0;
	p->stack_in = 0;
}

typedef enum { K_INT, K_DBL, K_FLT, K_U64, K_UNS } kind_t;
typedef struct {
	const char *name;
	kind_t kind;
	size_t off;
	double min, max;
} key_t_;

#define OFF(f) offsetof(ns_narr_params, f)
static const key_t_ keys[] = {
	{"word_n", K_INT, OFF(feat.word_n), 0, 2},
	{"stem_n", K_INT, OFF(feat.stem_n), 0, 2},
	{"char_min", K_INT, OFF(feat.char_min), 1, 8},
	{"char_max", K_INT, OFF(feat.char_max), 0, 8},
	{"title", K_INT, OFF(feat.title_sents), 0, 10},
	{"min_word_len", K_INT, OFF(feat.min_word_len), 1, 10},
	{"numbers", K_INT, OFF(feat.numbers), 0, 1},
	{"log_tf", K_INT, OFF(vec.log_tf), 0, 1},
	{"gw_word", K_FLT, OFF(vec.group_weight[0]), 0, 100},
	{"gw_word2", K_FLT, OFF(vec.group_weight[1]), 0, 100},
	{"gw_stem", K_FLT, OFF(vec.group_weight[2]), 0, 100},
	{"gw_stem2", K_FLT, OFF(vec.group_weight[3]), 0, 100},
	{"gw_char", K_FLT, OFF(vec.group_weight[4]), 0, 100},
	{"gw_title", K_FLT, OFF(vec.group_weight[5]), 0, 100},
	{"gw_cue", K_FLT, OFF(vec.group_weight[6]), 0, 100},
	{"gw_extra", K_FLT, OFF(vec.group_weight[7]), 0, 100},
	{"loss", K_INT, OFF(lin.loss), 0, 1},
	{"C", K_DBL, OFF(lin.C), 1e-6, 1e6},
	{"pos_weight", K_DBL, OFF(lin.pos_weight), 1e-3, 1e3},
	{"bias", K_DBL, OFF(lin.bias), 0, 100},
	{"eps", K_DBL, OFF(lin.eps), 1e-6, 10},
	{"max_iter", K_INT, OFF(lin.max_iter), 1, 100000},
	{"seed", K_U64, OFF(lin.seed), 0, 1.8e19},
	{"min_df", K_UNS, OFF(min_df), 1, 1000},
	{"max_features", K_INT, OFF(max_features), 0, 100000000},
	{"inner_folds", K_INT, OFF(inner_folds), 0, 20},
	{"tune_rounds", K_INT, OFF(tune_rounds), 0, 20},
	{"fine_weight", K_DBL, OFF(fine_weight), 0, 1},
	{"domain", K_INT, OFF(domain), 0, 1},
	{"desc_weight", K_DBL, OFF(desc_weight), 0, 100},
	{"expl_weight", K_DBL, OFF(expl_weight), 0, 100},
	{"fallback", K_INT, OFF(fallback), 0, 1},
	{"mix", K_INT, OFF(mix), 0, 1},
	{"other_heads", K_INT, OFF(other_heads), 0, 1},
	{"other_doc", K_INT, OFF(other_doc), 0, 1},
	{"fine_neg", K_DBL, OFF(fine_neg), 0, 1},
	{"prune", K_INT, OFF(prune), 0, 1},
	{"fine_fallback", K_INT, OFF(fine_fallback), 0, 1},
	{"ef1", K_INT, OFF(ef1), 0, 1},
	{"entities", K_INT, OFF(entities), 0, 1},
	{"cues", K_INT, OFF(cues), 0, 2},
	{"knn_k", K_INT, OFF(knn_k), 0, 1000},
	{"knn_a", K_DBL, OFF(knn_a), 0, 1},
	{"knn_terms", K_INT, OFF(knn_terms), 1, 1000000},
	{"knn_pow", K_DBL, OFF(knn_pow), 0, 16},
	{"knn_groups", K_INT, OFF(knn_groups), 1, 255},
	{"stack", K_INT, OFF(stack), 0, 1},
	{"stack_l2", K_DBL, OFF(stack_l2), 1e-6, 1e6},
	{"stack_b", K_DBL, OFF(stack_b), 0, 10},
	{"stack_target", K_INT, OFF(stack_target), 0, 1},
	{"stack_in", K_INT, OFF(stack_in), 0, 1},
};
#undef OFF

int ns_narr__param_range(size_t i, const char **name, double *min, double *max)
{
	if (i >= sizeof keys / sizeof keys[0])
		return -1;
	*name = keys[i].name;
	*min = keys[i].min;
	*max = keys[i].max;
	return 0;
}

static int set_key(ns_narr_params *p, const char *k, size_t kn, const char *v, size_t vn)
{
	char val[64];
	if (vn == 0 || vn >= sizeof val)
		return ns_error__set(NS_EINVAL, "params: bad value for '%.*s'", (int)kn, k);
	memcpy(val, v, vn);
	val[vn] = '\0';
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const key_t_ *e = &keys[i];
		if (strlen(e->name) != kn || memcmp(e->name, k, kn) != 0)
			continue;
		char *end;
		errno = 0;
		double d = strtod(val, &end);
		if (errno || *end || end == val || d < e->min || d > e->max)
			return ns_error__set(NS_EINVAL, "params: %s=%s: expected a number in [%g, %g]", e->name, val,
					     e->min, e->max);
		char *dst = (char *)p + e->off;
		switch (e->kind) {
		case K_INT:
			if (d != (int)d)
				return ns_error__set(NS_EINVAL, "params: %s=%s: expected an integer", e->name, val);
			*(int *)dst = (int)d;
			break;
		case K_UNS:
			*(unsigned *)dst = (unsigned)d;
			break;
		case K_DBL:
			*(double *)dst = d;
			break;
		case K_FLT:
			*(float *)dst = (float)d;
			break;
		case K_U64:
			*(uint64_t *)dst = strtoull(val, NULL, 10);
			break;
		}
		return 0;
	}
	return ns_error__set(NS_EINVAL, "params: unknown parameter '%.*s'", (int)kn, k);
}

int ns_narr_params_parse(ns_narr_params *p, const char *s)
{
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		if (n > 0) {
			if (!eq)
				return ns_error__set(NS_EINVAL, "params: expected key=value, got '%.*s'", (int)n, s);
			int rc = set_key(p, s, (size_t)(eq - s), eq + 1, n - (size_t)(eq - s) - 1);
			if (rc < 0)
				return rc;
		}
		s = comma ? comma + 1 : NULL;
	}
	if (p->feat.char_max > 0 && p->feat.char_min > p->feat.char_max)
		return ns_error__set(NS_EINVAL, "params: char_min %d > char_max %d", p->feat.char_min, p->feat.char_max);
	return 0;
}

int ns_narr_params_format(ns_buf *b, const ns_narr_params *p, const char *sep)
{
	int first = 1;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const key_t_ *e = &keys[i];
		const char *src = (const char *)p + e->off;
		/* the knn_* keys only when the neighbour component is on: a model without
		 * it keeps the parameter text (and bytes) of builds before knn */
		if (strncmp(e->name, "knn_", 4) == 0 && !ns_narr__knn_on(p))
			continue;
		/* and ef1 and expl_weight only when on (bundles without them keep their bytes) */
		if ((strcmp(e->name, "ef1") == 0 && !p->ef1) || (strcmp(e->name, "expl_weight") == 0 && !(p->expl_weight > 0)))
			continue;
		/* likewise the stack* keys only with the second stage */
		if (strncmp(e->name, "stack", 5) == 0 && !ns_narr__stack_on(p))
			continue;
		if (!first)
			ns_buf_puts(b, sep);
		first = 0;
		switch (e->kind) {
		case K_INT:
			ns_buf_printf(b, "%s=%d", e->name, *(const int *)src);
			break;
		case K_UNS:
			ns_buf_printf(b, "%s=%u", e->name, *(const unsigned *)src);
			break;
		case K_DBL:
			ns_buf_printf(b, "%s=%.17g", e->name, *(const double *)src);
			break;
		case K_FLT:
			ns_buf_printf(b, "%s=%.9g", e->name, (double)*(const float *)src);
			break;
		case K_U64:
			ns_buf_printf(b, "%s=%llu", e->name, (unsigned long long)*(const uint64_t *)src);
			break;
		}
	}
	return ns_buf_failed(b) ? NS_ENOMEM : 0;
}
