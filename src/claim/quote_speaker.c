/* Speakers of direct quotes, and indirect speech ("X said that ...", "according
 * to X, ...", "по словам X", "X के अनुसार") with its speaker.
 *
 * DESIGN: a direct quote looks for a reporting cue just after its closing mark
 * (`"...," said X` / `"...", - заявил X`) and in the clause just before its opening
 * mark (`X told the paper: "..."`); the speaker is the actor, pronoun or role noun
 * nearest to the cue. Pronouns resolve to the last quoted person when that quote is
 * close, else to the most recent person named outside quotes; role nouns ("the
 * spokesman") resolve to the actor they were attached to earlier in the article
 * ("spokesman John Kirby"), else like a pronoun. A quote without a cue inherits
 * the speaker of a quote just before it (quotes interrupted by "he said" or run on
 * in the next paragraph). Short quoted phrases without a cue are scare quotes or
 * titles and are dropped. */
#include <string.h>

#include "claim.h"

#define NEAR_LAST_SPEAKER 700 /* code points: "he said" within this of the last quote */

static uint32_t tok_cp(const ns_claim_ctx *c, size_t i)
{
	return c->tok[i].start < c->ncp ? c->cp[c->tok[i].start] : 0;
}

static int is_punct(const ns_claim_ctx *c, size_t i, uint32_t ch)
{
	return c->tok[i].kind == NS_TOK_PUNCT && tok_cp(c, i) == ch;
}

static int is_final_tok(const ns_claim_ctx *c, size_t i)
{
	return c->tok[i].kind == NS_TOK_PUNCT && ns_claim__is_final(tok_cp(c, i));
}

/* A line break between tokens i-1 and i. */
static int newline_before(const ns_claim_ctx *c, size_t i)
{
	if (i == 0)
		return 1;
	for (uint32_t p = c->tok[i - 1].end; p < c->tok[i].start && p < c->ncp; p++)
		if (c->cp[p] == '\n')
			return 1;
	return 0;
}

static int in_direct(const ns_claim_ctx *c, uint32_t pos)
{
	size_t lo = 0, hi = c->ndq;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->dq[mid].text.end <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->ndq && c->dq[lo].text.start <= pos && pos < c->dq[lo].text.end;
}

static int speaker_type_ok(uint8_t t)
{
	return t != NS_ACTOR_LOCATION && t != NS_ACTOR_OTHER;
}

/* Most recent actor before token i (outside quotes) of a wanted kind. */
static int32_t recent_actor(const ns_claim_ctx *c, size_t i, int plural)
{
	uint32_t pos = i < c->ntok ? c->tok[i].start : (uint32_t)c->ncp;
	size_t lo = 0, hi = c->nact;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->act[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t seen = 0;
	for (size_t k = lo; k-- > 0 && seen < 80; seen++) {
		const ns_claim_actor *a = &c->act[k];
		if (in_direct(c, a->start))
			continue;
		/* "Putin's war": a possessive is rarely the antecedent of "he" */
		if (a->end < c->ncp && (c->cp[a->end] == 0x2019 || c->cp[a->end] == '\''))
			continue;
		if (plural ? (a->type == NS_ACTOR_ORG || a->type == NS_ACTOR_COUNTRY || a->type == NS_ACTOR_GROUP)
			   : (a->type == NS_ACTOR_PERSON || a->type == NS_ACTOR_UNKNOWN))
			return (int32_t)k;
	}
	return -1;
}

static int same_stem(const ns_token *a, const ns_token *b)
{
	const char *x = a->stem ? a->stem : a->norm, *y = b->stem ? b->stem : b->norm;
	size_t xl = a->stem ? a->stem_len : a->norm_len, yl = b->stem ? b->stem_len : b->norm_len;
	return x && y && xl == yl && memcmp(x, y, xl) == 0;
}

int32_t ns_claim__resolve_ref(const ns_claim_ctx *c, size_t i, int cls)
{
	if (cls == NS_CUE_ROLE) {
		for (size_t r = c->nrole; r-- > 0;) {
			if (c->role_tok[r] == i)
				return c->role_actor[r];
		}
		for (size_t r = c->nrole; r-- > 0;) {
			if (c->role_tok[r] < i && same_stem(&c->tok[c->role_tok[r]], &c->tok[i]))
				return c->role_actor[r];
		}
	}
	if (cls != NS_CUE_PRON_PL && c->last_spk >= 0 && i < c->ntok &&
	    c->tok[i].start >= c->last_end && c->tok[i].start <= c->last_end + NEAR_LAST_SPEAKER &&
	    (c->act[c->last_spk].type == NS_ACTOR_PERSON || c->act[c->last_spk].type == NS_ACTOR_UNKNOWN))
		return c->last_spk;
	return recent_actor(c, i, cls == NS_CUE_PRON_PL);
}

int32_t ns_claim__speaker_near(const ns_claim_ctx *c, size_t from, size_t to, size_t cue)
{
	double bestd = 1e9;
	int32_t best = -1;
	int bestcls = 0;
	size_t besttok = 0;
	if (to > c->ntok)
		to = c->ntok;
	size_t ref = cue == SIZE_MAX ? to : cue;
	for (size_t t = from; t < to; t++) {
		double d = t > ref ? (double)(t - ref) : (double)(ref - t);
		int32_t a = c->tok_actor[t];
		if (a >= 0) {
			if (c->act_tok[a] != t || !speaker_type_ok(c->act[a].type) ||
			    in_direct(c, c->tok[t].start))
				continue;
			if (t < ref && c->act_tok_end[a] < ref)
				d = (double)(ref - c->act_tok_end[a]) + 0.5;
			if (c->act[a].type == NS_ACTOR_PERSON)
				d -= 0.6;
			if (d < bestd) {
				bestd = d;
				best = a;
				bestcls = 0;
			}
			continue;
		}
		int cls = 0;
		if (ns_claim__cue(c, t, NS_CUE_PRON_SG, NULL))
			cls = NS_CUE_PRON_SG;
		else if (ns_claim__cue(c, t, NS_CUE_PRON_PL, NULL))
			cls = NS_CUE_PRON_PL;
		else if (ns_claim__cue(c, t, NS_CUE_ROLE, NULL))
			cls = NS_CUE_ROLE;
		if (cls && d < bestd) {
			bestd = d;
			best = -1;
			bestcls = cls;
			besttok = t;
		}
	}
	if (bestcls)
		return ns_claim__resolve_ref(c, besttok, bestcls);
	return best;
}

/* First (or last) reporting cue in [a, b); returns its token or SIZE_MAX. */
static size_t find_say(const ns_claim_ctx *c, size_t a, size_t b, int last, size_t *len)
{
	size_t found = SIZE_MAX;
	for (size_t t = a; t < b; t++) {
		size_t n = ns_claim__cue(c, t, NS_CUE_SAY, NULL);
		if (!n)
			n = ns_claim__cue(c, t, NS_CUE_ACCORDING, NULL);
		if (!n)
			n = ns_claim__cue(c, t, NS_CUE_POSTP_ACCORD, NULL);
		if (n) {
			found = t;
			*len = n;
			if (!last)
				break;
		}
	}
	return found;
}

static void set_speaker(ns_quote *q, const ns_claim_ctx *c, int32_t a)
{
	q->actor = a;
	if (a >= 0) {
		q->speaker_id = c->act[a].id;
		q->speaker_name = c->act[a].name;
	}
}

static void set_cue(ns_quote *q, const ns_claim_ctx *c, size_t t, size_t n)
{
	q->cue.start = c->tok[t].start;
	q->cue.end = c->tok[t + n - 1].end;
}

static int count_words(const ns_claim_ctx *c, const ns_quote *q, int *punct)
{
	int n = 0, in = 0;
	*punct = 0;
	for (uint32_t i = q->text.start; i < q->text.end && i < c->ncp; i++) {
		uint32_t x = c->cp[i];
		int a = ns_claim__is_alnum(x);
		if (a && !in)
			n++;
		in = a;
		if (x == ',' || ns_claim__is_final(x) || x == ';' || x == ':')
			*punct = 1;
	}
	return n;
}

/* Attributes direct quote q (index qi); returns 1 to keep it. */
static int attribute_direct(ns_claim_ctx *c, ns_quote *qs, size_t qi)
{
	int32_t *last_spk = &c->last_spk;
	uint32_t *last_end = &c->last_end;
	ns_quote *q = &qs[qi];
	uint32_t open = q->text.start > 0 ? q->text.start - 1 : 0;
	uint32_t close = q->text.end;
	uint32_t next_start = qi + 1 < c->ndq ? c->dq[qi + 1].text.start : UINT32_MAX;
	uint32_t prev_end = qi > 0 ? c->dq[qi - 1].text.end + 1 : 0;
	size_t z = ns_claim__tok_at(c, open);
	size_t a = ns_claim__tok_at(c, close + 1);
	while (a < c->ntok && c->tok[a].start <= close)
		a++;
	/* window after the closing mark, up to the end of the sentence or line */
	size_t b = a;
	if (!q->unclosed) {
		while (b < c->ntok && b - a < 12 && c->tok[b].start + 1 < next_start) {
			if ((b > a && newline_before(c, b)) || (b == a && newline_before(c, b)))
				break;
			if (is_final_tok(c, b))
				break;
			b++;
		}
	}
	/* window before the opening mark: the clause that leads into it */
	size_t y = z;
	while (y > 0 && z - y < 25) {
		if (newline_before(c, y) || is_final_tok(c, y - 1) || c->tok[y - 1].end <= prev_end)
			break;
		y--;
	}
	int colon = z > y && (is_punct(c, z - 1, ':') || is_punct(c, z - 1, 0x2014));
	size_t n = 0, cue = SIZE_MAX;
	int32_t spk = -1;
	size_t wins[2][2] = {{a, b}, {y, z}};
	int order = colon ? 1 : 0;
	for (int w = 0; w < 2 && cue == SIZE_MAX; w++) {
		size_t *win = wins[(order + w) & 1];
		int before = ((order + w) & 1) == 1;
		cue = find_say(c, win[0], win[1], before, &n);
		if (cue != SIZE_MAX) {
			set_cue(q, c, cue, n);
			size_t from = win[0], to = win[1];
			if (ns_claim__cue(c, cue, NS_CUE_ACCORDING, NULL))
				from = cue + n;
			/* "X claimed that Y ...": the speaker is the subject before the verb */
			for (size_t t = cue + n; before && t < to && t < cue + n + 3; t++)
				if (ns_claim__cue(c, t, NS_CUE_THAT, NULL))
					to = cue;
			spk = ns_claim__speaker_near(c, from, to, cue);
		}
	}
	if (cue == SIZE_MAX && colon) {
		/* "Zelensky: «...»" */
		int32_t act = z >= 2 ? c->tok_actor[z - 2] : -1;
		if (act >= 0 && speaker_type_ok(c->act[act].type))
			spk = act;
	}
	int inherited = 0;
	if (cue == SIZE_MAX && spk < 0 && *last_spk >= 0 && *last_end + 250 >= open) {
		spk = *last_spk;
		inherited = 1;
	}
	int punct = 0;
	int words = count_words(c, q, &punct);
	int keep = cue != SIZE_MAX || (spk >= 0 && !inherited && words >= 2) ||
		   (inherited && words >= 4) || (words >= 5 && punct) || words >= 8;
	if (!keep)
		return 0;
	set_speaker(q, c, spk);
	if (spk >= 0) {
		*last_spk = spk;
		*last_end = q->text.end;
	}
	return 1;
}

/* Indirect speech in sentence [tb, te) (tokens). Returns 1 when found. */
static int indirect_in(ns_claim_ctx *c, size_t tb, size_t te, ns_quote *out)
{
	size_t end = te;
	while (end > tb && c->tok[end - 1].kind == NS_TOK_PUNCT)
		end--;
	if (end <= tb + 2)
		return 0;
	for (size_t k = tb; k < end; k++) {
		size_t n;
		if ((n = ns_claim__cue(c, k, NS_CUE_ACCORDING, NULL))) {
			/* speaker right after the cue */
			size_t se = k + n;
			while (se < end && se - (k + n) < 8 && !is_punct(c, se, ','))
				se++;
			int32_t spk = ns_claim__speaker_near(c, k + n, se, k);
			if (spk < 0)
				continue;
			/* "Според Смит армията ...": no comma, the clause starts after the name */
			size_t ts = se + 1;
			if (se >= end || !is_punct(c, se, ',')) {
				int32_t a0 = c->tok_actor[k + n];
				ts = a0 >= 0 ? c->act_tok_end[a0] : end;
			}
			memset(out, 0, sizeof *out);
			/* the clause is the longer side: "Por sua vez, de acordo com X, CLAUSE" */
			if (ts < end && (k <= tb + 2 || end - ts > k - tb)) {
				out->text.start = c->tok[ts].start;
				out->text.end = c->tok[end - 1].end;
			} else if (k > tb + 2) {
				size_t ce = k;
				while (ce > tb && is_punct(c, ce - 1, ','))
					ce--;
				out->text.start = c->tok[tb].start;
				out->text.end = c->tok[ce - 1].end;
			} else {
				continue;
			}
			set_cue(out, c, k, n);
			set_speaker(out, c, spk);
			out->kind = NS_QUOTE_INDIRECT;
			return 1;
		}
		if ((n = ns_claim__cue(c, k, NS_CUE_POSTP_ACCORD, NULL))) {
			size_t ss = k > tb + 6 ? k - 6 : tb;
			int32_t spk = ns_claim__speaker_near(c, ss, k, k);
			size_t ts = k + n;
			while (ts < end && c->tok[ts].kind == NS_TOK_PUNCT)
				ts++;
			if (spk < 0 || ts + 2 > end)
				continue;
			memset(out, 0, sizeof *out);
			out->text.start = c->tok[ts].start;
			out->text.end = c->tok[end - 1].end;
			set_cue(out, c, k, n);
			set_speaker(out, c, spk);
			out->kind = NS_QUOTE_INDIRECT;
			return 1;
		}
		if (!(n = ns_claim__cue(c, k, NS_CUE_SAY, NULL)))
			continue;
		/* SAY ... that CLAUSE */
		size_t j = k + n;
		while (j < end && j - (k + n) < 6 && !ns_claim__cue(c, j, NS_CUE_THAT, NULL) &&
		       !is_final_tok(c, j))
			j++;
		int has_that = j < end && ns_claim__cue(c, j, NS_CUE_THAT, NULL);
		size_t ts = 0, tend = end;
		int32_t spk = -1;
		if (has_that && j + 2 < end) {
			spk = ns_claim__speaker_near(c, tb, j, k);
			ts = j + 1;
		} else if (k + n + 2 >= end && k > tb + 4) {
			/* "CLAUSE, X said." */
			size_t cm = k;
			while (cm > tb && !is_punct(c, cm - 1, ','))
				cm--;
			if (cm <= tb + 3 || k - cm > 5)
				continue;
			spk = ns_claim__speaker_near(c, cm, end, k);
			ts = tb;
			tend = cm - 1;
		} else if (c->en && k > tb && k + n + 3 < end && c->tok[k + n].kind == NS_TOK_WORD) {
			/* English "X said Russia will ..." (no "that") */
			static const char *const stop[] = {"to", "in", "on", "at", "by", "for", "with",
				"about", "as", "it", "the", "a", "an", "this", "was", "is", "of", "from", NULL};
			const ns_token *nt = &c->tok[k + n];
			int bad = 0;
			for (const char *const *s = stop; *s; s++)
				if (nt->norm && strlen(*s) == nt->norm_len && memcmp(*s, nt->norm, nt->norm_len) == 0)
					bad = 1;
			int32_t subj = c->tok_actor[k - 1];
			int pron = ns_claim__cue(c, k - 1, NS_CUE_PRON_SG, NULL) ||
				   ns_claim__cue(c, k - 1, NS_CUE_PRON_PL, NULL);
			if (bad || (subj < 0 && !pron))
				continue;
			spk = ns_claim__speaker_near(c, k > tb + 6 ? k - 6 : tb, k, k);
			ts = k + n;
		} else {
			continue;
		}
		if (spk < 0 || ts >= tend)
			continue;
		memset(out, 0, sizeof *out);
		out->text.start = c->tok[ts].start;
		out->text.end = c->tok[tend - 1].end;
		if (out->text.end <= out->text.start)
			continue;
		set_cue(out, c, k, n);
		set_speaker(out, c, spk);
		out->kind = NS_QUOTE_INDIRECT;
		return 1;
	}
	return 0;
}

int ns_claim__attribute(ns_claim_ctx *c, ns_quote **q, size_t *nq, size_t *cap)
{
	size_t kept = 0;
	c->last_spk = -1;
	c->last_end = 0;
	c->dq = *q;
	c->ndq = *nq;
	for (size_t i = 0; i < *nq; i++)
		if (attribute_direct(c, *q, i))
			(*q)[kept++] = (*q)[i];
	*nq = kept;
	c->ndq = kept;
	c->dq = *q;
	/* indirect speech in sentences that hold no direct quote */
	size_t qi = 0, ndirect = kept;
	c->last_spk = -1;
	c->last_end = 0;
	for (size_t s = 0; s < c->doc->nsentences; s++) {
		const ns_sentence *se = &c->doc->sentences[s];
		while (qi < ndirect && (*q)[qi].text.end <= se->start) {
			if ((*q)[qi].actor >= 0) {
				c->last_spk = (*q)[qi].actor;
				c->last_end = (*q)[qi].text.end;
			}
			qi++;
		}
		if (qi < ndirect && (*q)[qi].text.start < se->end + 1)
			continue;
		if (*nq >= NS_CLAIM_MAX_QUOTES)
			break;
		ns_quote tmp;
		if (!indirect_in(c, se->tok_begin, se->tok_end, &tmp))
			continue;
		if (NS_GROW(*q, *cap, *nq + 1) < 0)
			return NS_ENOMEM;
		(*q)[(*nq)++] = tmp;
		c->dq = *q; /* may have moved */
		if (tmp.actor >= 0) {
			c->last_spk = tmp.actor;
			c->last_end = tmp.text.end;
		}
	}
	c->dq = *q;
	c->ndq = ndirect;
	return 0;
}
