/* Speaker resolution: who a reporting cue's subject is. Candidates are actors,
 * pronouns, role nouns ("the spokesman") and generic descriptions from the
 * gazetteer ("ученият", "the serviceman"); references resolve to an actor.
 *
 * DESIGN: a role noun resolves to the actor it was attached to ("spokesman John
 * Kirby"), else like a pronoun: to the last quoted person when that quote is
 * close, else to the most recent person named outside quotes who is not the
 * object of a preposition; a person named inside a reported clause gives way to
 * the last person who spoke nearby, and with no one before, a pronoun refers
 * ahead to the next person named. Generic descriptions resolve like role nouns
 * when singular and stay the group when plural. Closing attributions take the
 * subject between the quote and the cue, else the first person after it (the
 * name closing a title chain: "заявил глава офиса ... Андрей Ермак"); "a
 * statement of the Guarda Civil" is the body named after the noun. */
#include <string.h>

#include "claim.h"

#define NEAR_LAST_SPEAKER 700 /* code points: "he said" within this of the last quote */

int ns_claim__speaker_type_ok(uint8_t t)
{
	return t != NS_ACTOR_OTHER;
}

static int possessive(const ns_claim_ctx *c, const ns_claim_actor *a)
{
	return a->end < c->ncp && (c->cp[a->end] == 0x2019 || c->cp[a->end] == '\'');
}

int ns_claim__word_is(const ns_token *t, const char *w)
{
	size_t n = strlen(w);
	return t->norm && t->norm_len == n && memcmp(t->norm, w, n) == 0;
}

static int after_preposition(const ns_claim_ctx *c, size_t t)
{
	static const char *const prep[] = {"in", "on", "at", "from", "to", "with", "by", "for", "of", "via", "в",
		"во", "на", "с", "со", "от", "из", "по", "для", "за", "пред", "em", "no", "na", "nos", "nas", "de", "do",
		"da", "dos", "das", "com", "pela", "pelo", "à", "ao", "със", "през", "में", "से", "पर", "को", NULL};
	const ns_token *p = &c->tok[t - 1];
	if (p->kind != NS_TOK_WORD || !p->norm)
		return 0;
	for (const char *const *w = prep; *w; w++)
		if (ns_claim__word_is(p, *w))
			return 1;
	return 0;
}

/* A person who is the subject of a reporting verb: the verb within three
 * tokens after the name ("Zakharova afirmou", "Путин заявил") or right before
 * it ("said Putin", "заявил Путин"). */
static int speaks(const ns_claim_ctx *c, int32_t k)
{
	size_t e = c->act_tok_end[k], b = c->act_tok[k];
	for (size_t t = e; t < c->ntok && t < e + 3; t++) {
		if (ns_claim__cue(c, t, NS_CLAIM_CUE_SAY, NULL))
			return 1;
		if (c->tok[t].kind == NS_TOK_PUNCT && !ns_claim__is_punct(c, t, ','))
			break;
	}
	return (b > 0 && ns_claim__cue(c, b - 1, NS_CLAIM_CUE_SAY, NULL)) ||
	       (b > 1 && c->tok[b - 1].kind == NS_TOK_WORD && ns_claim__cue(c, b - 2, NS_CLAIM_CUE_SAY, NULL));
}

#define SPEAKING_REACH 400 /* code points before the most recent person */

/* The most recent speaking person among actors [0, k] starting at or after
 * code point from, when actor k itself does not speak; -1 otherwise. */
static int32_t speaking_before(const ns_claim_ctx *c, size_t k, uint32_t from)
{
	if (speaks(c, (int32_t)k))
		return -1;
	/* only a person inside a reported clause ("afirmou que o líder X ...") is
	 * passed over; the subject of a sentence of its own is not */
	size_t t0 = c->act_tok[k];
	int clause = 0;
	for (size_t t = t0; t-- > 0 && c->tok[t].sentence == c->tok[t0].sentence && !clause;)
		clause = ns_claim__cue(c, t, NS_CLAIM_CUE_THAT, NULL) > 0;
	if (!clause)
		return -1;
	for (size_t j = k; j-- > 0 && c->act[j].start >= from;) {
		const ns_claim_actor *a = &c->act[j];
		if (a->type != NS_ACTOR_PERSON || a->adj || possessive(c, a) || ns_claim__in_direct(c, a->start))
			continue;
		if (speaks(c, (int32_t)j))
			return (int32_t)j;
	}
	return -1;
}

/* Most recent actor before token i (outside quotes) of the wanted kinds, tried in
 * order: want = 0 person, then name shape; 1 (they/it) organisation, country or
 * group; 2 (the company, the report) organisation, then name shape, then country
 * or group. */
static int32_t recent_actor(const ns_claim_ctx *c, size_t i, int want)
{
	static const uint8_t order[3][3][3] = {
		{{NS_ACTOR_PERSON, 0, 0}, {NS_ACTOR_UNKNOWN, 0, 0}, {0, 0, 0}},
		{{NS_ACTOR_ORG, NS_ACTOR_COUNTRY, NS_ACTOR_GROUP}, {0, 0, 0}, {0, 0, 0}},
		{{NS_ACTOR_ORG, 0, 0}, {NS_ACTOR_UNKNOWN, 0, 0}, {NS_ACTOR_COUNTRY, NS_ACTOR_GROUP, 0}},
	};
	uint32_t pos = i < c->ntok ? c->tok[i].start : (uint32_t)c->ncp;
	size_t lo = 0, hi = c->nact;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->act[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int pass = 0; pass < 3; pass++) {
		const uint8_t *ty = order[want][pass];
		if (!ty[0])
			break;
		size_t seen = 0;
		for (size_t k = lo; k-- > 0 && seen < 80; seen++) {
			const ns_claim_actor *a = &c->act[k];
			if (ns_claim__in_direct(c, a->start) || possessive(c, a) || a->adj)
				continue;
			/* "по Би Ти Ви", "of the African Free Trade Area": not a subject */
			size_t at = c->act_tok[k];
			if (want == 0 && at > 0 && (after_preposition(c, at) ||
				       (at > 1 && (ns_claim__word_is(&c->tok[at - 1], "the") || ns_claim__word_is(&c->tok[at - 1], "a")) &&
					after_preposition(c, at - 1))))
				continue;
			/* "o nome de Jair Bolsonaro ou Lula": coordinated with such a name */
			if (want == 0 && at > 1 && c->tok_actor[at - 2] >= 0 && c->act_tok[c->tok_actor[at - 2]] > 0 &&
			    after_preposition(c, c->act_tok[c->tok_actor[at - 2]])) {
				static const char *const conj[] = {"and", "or", "e", "ou", "и", "или", "और", NULL};
				int co = 0;
				for (const char *const *w = conj; *w && !co; w++)
					co = ns_claim__word_is(&c->tok[at - 1], *w);
				if (co)
					continue;
			}
			int ok = a->type == ty[0] || (ty[1] && a->type == ty[1]) || (ty[2] && a->type == ty[2]);
			/* a full name the layer could not type ("Dmitry Peskov") counts as a person */
			if (want == 0 && pass == 0 && a->type == NS_ACTOR_UNKNOWN && c->act_tok_end[k] - c->act_tok[k] >= 2)
				ok = 1;
			if (!ok)
				continue;
			/* a person: the last one who spoke nearby ("Maria Zakharova afirmou
			 * que o líder Volodymyr Zelensky ..." -> "..., afirmou") beats one
			 * named since in another role */
			if (want == 0 && pass == 0) {
				int32_t sp = speaking_before(c, k, a->start > SPEAKING_REACH ? a->start - SPEAKING_REACH : 0);
				if (sp >= 0)
					return sp;
			}
			return (int32_t)k;
		}
	}
	return -1;
}

/* "«...», — отметила она. По словам Москальковой, ...": a pronoun or role noun
 * with no person before it refers ahead to the first person named within
 * NEAR_NEXT_PERSON code points after it (outside quotes). */
#define NEAR_NEXT_PERSON 300
int32_t ns_claim__next_person(const ns_claim_ctx *c, size_t i)
{
	if (i >= c->ntok)
		return -1;
	uint32_t pos = c->tok[i].end;
	size_t lo = 0, hi = c->nact;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->act[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < c->nact && c->act[k].start <= pos + NEAR_NEXT_PERSON; k++) {
		const ns_claim_actor *a = &c->act[k];
		if (a->adj || ns_claim__in_direct(c, a->start))
			continue;
		if (a->type == NS_ACTOR_PERSON)
			return (int32_t)k;
		/* a name shape: a full name, or one introduced as a source ("По словам X") */
		size_t t0 = c->act_tok[k];
		if (a->type == NS_ACTOR_UNKNOWN &&
		    (c->act_tok_end[k] - t0 >= 2 ||
		     (t0 >= 2 && ns_claim__cue(c, t0 - 2, NS_CLAIM_CUE_ACCORDING, NULL) == 2) ||
		     (t0 >= 1 && ns_claim__cue(c, t0 - 1, NS_CLAIM_CUE_ACCORDING, NULL) == 1)))
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
	if (cls == NS_CLAIM_CUE_ROLE) {
		for (size_t r = c->nrole; r-- > 0;) {
			if (c->role_tok[r] == i)
				return c->role_actor[r];
		}
		for (size_t r = c->nrole; r-- > 0;) {
			if (c->role_tok[r] < i && same_stem(&c->tok[c->role_tok[r]], &c->tok[i]))
				return c->role_actor[r];
		}
		/* a headline's "the minister said" names the minister only later */
		for (size_t r = 0; r < c->nrole; r++) {
			if (c->role_tok[r] > i && c->role_tok[r] < i + 300 && same_stem(&c->tok[c->role_tok[r]], &c->tok[i]))
				return c->role_actor[r];
		}
	}
	int want = cls == NS_CLAIM_CUE_PRON_PL ? 1 : cls == NS_CLAIM_CUE_ROLE_ORG ? 2 : 0;
	int32_t r = recent_actor(c, i, want);
	/* a pronoun opening a sentence continues the subject of the sentence before
	 * ("Yermak answered a question about Trump's remark. He stressed ..."): a
	 * person opening that sentence wins over one named later in it */
	if (want == 0 && r >= 0 && i < c->ntok && c->tok[i].sentence > 0 &&
	    i == c->doc->sentences[c->tok[i].sentence].tok_begin &&
	    c->tok[c->act_tok[r]].sentence + 1 == c->tok[i].sentence) {
		const ns_sentence *ps = &c->doc->sentences[c->tok[i].sentence - 1];
		for (size_t t = ps->tok_begin; t < ps->tok_end && t < ps->tok_begin + 2; t++) {
			int32_t a = c->tok_actor[t];
			if (a < 0 || c->act_tok[a] != t)
				continue;
			if (c->act[a].type == NS_ACTOR_PERSON && !c->act[a].adj && !possessive(c, &c->act[a]) &&
			    !ns_claim__in_direct(c, c->act[a].start))
				r = a;
			break;
		}
	}
	/* the last quoted person, unless someone else was named since that quote */
	if (want == 0 && c->last_spk >= 0 && i < c->ntok && c->tok[i].start >= c->last_end &&
	    c->tok[i].start <= c->last_end + NEAR_LAST_SPEAKER &&
	    (c->act[c->last_spk].type == NS_ACTOR_PERSON || c->act[c->last_spk].type == NS_ACTOR_UNKNOWN) &&
	    (r < 0 || c->act[r].start < c->last_end || !strcmp(c->act[r].id, c->act[c->last_spk].id) ||
	     (!strncmp(c->act[r].id, "L:", 2) && c->act_tok_end[r] - c->act_tok[r] < 2)))
		return c->last_spk;
	/* "пише Le Parisien. Както отбелязва изданието": a body described by its
	 * kind is the body that spoke last, when it spoke close by */
	if (want == 2 && c->last_spk >= 0 && i < c->ntok && c->tok[i].start >= c->last_end &&
	    c->tok[i].start <= c->last_end + NEAR_LAST_SPEAKER &&
	    (c->act[c->last_spk].type == NS_ACTOR_ORG || c->act[c->last_spk].type == NS_ACTOR_UNKNOWN ||
	     !strncmp(c->act[c->last_spk].id, "L:", 2)) &&
	    (r < 0 || c->act[r].start < c->last_end))
		return c->last_spk;
	if (r < 0 && want == 0)
		r = ns_claim__next_person(c, i);
	return r;
}

/* Pseudo cue class of a generic group mention ("the scientist", "военнослужащий",
 * "лидери": gazetteer ids "G:..."): a role description that refers back to a
 * named person like a role noun, or the group itself when none is in reach. */
#define CAND_GENERIC NS_CLAIM_CUE_NCLASS

/* Candidate at token t: an actor starting there (sets *a) or a pronoun / role
 * noun / generic group (returns its class). Returns 0 when t holds none. */
static int candidate(const ns_claim_ctx *c, size_t t, int32_t *a)
{
	*a = c->tok_actor[t];
	if (*a >= 0) {
		const ns_claim_actor *x = &c->act[*a];
		if (c->act_tok[*a] != t || !ns_claim__speaker_type_ok(x->type) || ns_claim__in_direct(c, c->tok[t].start))
			return 0;
		if (!strncmp(x->id, "G:", 2) && !x->adj)
			return CAND_GENERIC;
		return -1;
	}
	if (ns_claim__cue(c, t, NS_CLAIM_CUE_PRON_SG, NULL))
		return NS_CLAIM_CUE_PRON_SG;
	if (ns_claim__cue(c, t, NS_CLAIM_CUE_ROLE, NULL))
		return NS_CLAIM_CUE_ROLE;
	if (ns_claim__cue(c, t, NS_CLAIM_CUE_ROLE_ORG, NULL))
		return NS_CLAIM_CUE_ROLE_ORG;
	if (ns_claim__cue(c, t, NS_CLAIM_CUE_PRON_PL, NULL))
		return NS_CLAIM_CUE_PRON_PL;
	return 0;
}

static int ends_with(const ns_token *t, const char *suf)
{
	size_t n = strlen(suf);
	return t->norm && t->norm_len >= n && !memcmp(t->norm + t->norm_len - n, suf, n);
}

/* A plural noun form ("civilians", "учените", "лидеры", "cientistas"): a group
 * of speakers, not one person described by a role. */
static int plural_word(const ns_claim_ctx *c, const ns_token *t)
{
	const char *l = c->doc->lang;
	if (!strcmp(l, "en") || !strcmp(l, "pt"))
		return ends_with(t, "s");
	if (!strcmp(l, "ru"))
		return ends_with(t, "ы") || ends_with(t, "и") || ends_with(t, "ие") || ends_with(t, "ые");
	if (!strcmp(l, "bg"))
		return ends_with(t, "и") || ends_with(t, "те");
	return 0;
}

/* Resolves a candidate of class cls > 0 at token t. */
static int32_t resolve_cand(const ns_claim_ctx *c, size_t t, int cls)
{
	/* "um comunicado da Guarda Civil", "a statement of the ministry": the body
	 * named right after the noun */
	if (cls == NS_CLAIM_CUE_ROLE_ORG && t + 2 < c->ntok) {
		size_t of = ns_claim__cue(c, t + 1, NS_CLAIM_CUE_AGENT_OF, NULL);
		size_t u = t + 1 + of + (of && ns_claim__word_is(&c->tok[t + 1 + of], "the"));
		int32_t x = of && u < c->ntok ? c->tok_actor[u] : -1;
		if (x >= 0 && c->act_tok[x] == u && ns_claim__speaker_type_ok(c->act[x].type) && !c->act[x].adj &&
		    c->act[x].type != NS_ACTOR_LOCATION)
			return x;
	}
	if (cls != CAND_GENERIC)
		return ns_claim__resolve_ref(c, t, cls);
	int32_t g = c->tok_actor[t];
	if (plural_word(c, &c->tok[c->act_tok_end[g] - 1]))
		return g;
	int32_t r = ns_claim__resolve_ref(c, t, NS_CLAIM_CUE_ROLE);
	return r >= 0 && c->act[r].type == NS_ACTOR_PERSON ? r : g;
}

int ns_claim__personish(const ns_claim_ctx *c, int32_t a)
{
	return c->act[a].type == NS_ACTOR_PERSON;
}

/* Speaker of a closing attribution (`"...", X said`, `"...", said X`, "according
 * to X", "Об этом сообщил X"): a candidate between the quote and the cue comes
 * first (the head of "Mark Galeotti, the head of Mayak Intelligence, said"); else
 * the first person named in the few words after the cue, up to a comma ("said
 * Hungarian Prime Minister Viktor Orban"), else the first candidate there.
 * Possessives, adjectives, places and names after a preposition ("told Reuters",
 * "по Би Ти Ви") are skipped. cue may be SIZE_MAX (no cue inside the window). */
int32_t ns_claim__speaker_after(const ns_claim_ctx *c, size_t from, size_t to, size_t cue)
{
	int32_t first = -1, a;
	int first_cls = 0;
	size_t first_t = 0;
	if (to > c->ntok)
		to = c->ntok;
	size_t stop = to;
	if (cue != SIZE_MAX && cue >= from) {
		size_t lim = cue + 8 < to ? cue + 8 : to;
		/* up to a comma, or a complementizer opening the reported clause
		 * ("admite ao acrescentar que o exército ...": not the speaker) */
		for (stop = cue + 1; stop < lim && !ns_claim__is_punct(c, stop, ',') && !ns_claim__cue(c, stop, NS_CLAIM_CUE_THAT, NULL);
		     stop++)
			;
	} else {
		/* the speaker follows the cue: "сообщил финский наемник Ральф Сирен" */
		size_t lim = from + 10 < to ? from + 10 : to;
		for (stop = from; stop < lim && !ns_claim__is_punct(c, stop, ','); stop++)
			;
		cue = SIZE_MAX;
	}
	for (int pass = 0; pass < 2; pass++) {
		size_t lo = pass == 0 ? from : (cue != SIZE_MAX ? cue + 1 : from);
		size_t hi = pass == 0 ? (cue != SIZE_MAX ? cue : from) : stop;
		for (size_t t = lo; t < hi; t++) {
			int cls = candidate(c, t, &a);
			if (!cls || (t > from && after_preposition(c, t)))
				continue;
			if (cls < 0) {
				if (possessive(c, &c->act[a]) || c->act[a].adj || c->act[a].type == NS_ACTOR_LOCATION)
					continue;
				if (pass == 1 && ns_claim__personish(c, a) && first_cls == NS_CLAIM_CUE_ROLE)
					break; /* the title chain, below */
				if (pass == 1 && ns_claim__personish(c, a))
					return a;
			}
			if (!first_cls) {
				first_cls = cls;
				first = a;
				first_t = t;
			}
			if (pass == 0)
				break; /* the subject right after the quote */
		}
		if (first_cls && pass == 0)
			break;
	}
	/* "заявил глава офиса президента Украины Владимира Зеленского Андрей Ермак":
	 * after a role noun the name closing the title is the speaker */
	if (first_cls == NS_CLAIM_CUE_ROLE) {
		int32_t last = -1;
		for (size_t t = first_t + 1; t < stop && t < first_t + 12; t++) {
			int32_t x = c->tok_actor[t];
			if (c->tok[t].kind == NS_TOK_PUNCT && !ns_claim__is_punct(c, t, '(') && !ns_claim__is_punct(c, t, ')'))
				break;
			if (x >= 0 && c->act_tok[x] == t && ns_claim__personish(c, x)) {
				last = x;
				/* the chain goes on only through another name */
				size_t e = c->act_tok_end[x];
				if (e >= stop || c->tok_actor[e] < 0)
					break;
			}
		}
		if (last >= 0)
			return last;
	}
	if (first_cls > 0)
		return resolve_cand(c, first_t, first_cls);
	return first;
}

/* Type penalties for the subject of a cue, in tokens of distance: a person is the
 * likeliest speaker, then a pronoun or role noun, then a body, then a state. */
static double penalty(const ns_claim_ctx *c, int cls, int32_t a)
{
	if (cls > 0)
		return cls == NS_CLAIM_CUE_PRON_PL ? 2.0 : cls == CAND_GENERIC ? 1.5 : 0.5;
	const ns_claim_actor *x = &c->act[a];
	if (x->adj || x->type == NS_ACTOR_LOCATION)
		return 5.0;
	switch (x->type) {
	case NS_ACTOR_PERSON: return 0.0;
	case NS_ACTOR_ORG: case NS_ACTOR_UNKNOWN: return 1.5;
	default: return 3.0;
	}
}

int32_t ns_claim__speaker_near(const ns_claim_ctx *c, size_t from, size_t to, size_t cue)
{
	double bestd = 1e9;
	int32_t best = -1, a;
	int bestcls = 0;
	size_t besttok = 0;
	if (to > c->ntok)
		to = c->ntok;
	size_t ref = cue == SIZE_MAX ? to : cue;
	for (size_t t = from; t < to; t++) {
		int cls = candidate(c, t, &a);
		if (!cls)
			continue;
		double d = t > ref ? (double)(t - ref) : (double)(ref - t);
		if (cls < 0 && t < ref && c->act_tok_end[a] <= ref)
			d = (double)(ref - c->act_tok_end[a]) + 0.5;
		if (cls < 0 && possessive(c, &c->act[a]))
			d += 4.0;
		if (t > from && after_preposition(c, t))
			d += 4.0; /* "on Telegram", "в интервью РИА": not the subject */
		d += penalty(c, cls, a);
		if (d < bestd) {
			bestd = d;
			best = cls < 0 ? a : -1;
			bestcls = cls > 0 ? cls : 0;
			besttok = t;
		}
	}
	if (bestcls)
		return resolve_cand(c, besttok, bestcls);
	return best;
}
