/* Accusations: who accuses whom of what (war crimes, genocide, atrocities,
 * terrorism, aggression, lies/propaganda, corruption, sabotage, nazism,
 * provocation, hypocrisy, russophobia, warmongering, economic warfare), with denials recorded as negated.
 *
 * DESIGN: a sentence carries an accusation when it names an act from the act
 * lexicon (or a weak act word such as "escalation" next to a blame cue) and an
 * accused actor. The accused is found by the cue pattern around the act: the
 * object of an accusing verb ("X accused Y of Z", "X обвинил Y в Z", "X ने Y पर Z
 * का आरोप लगाया"), the subject or by-agent of a commit cue ("Y committed Z", "Z
 * committed by Y", "ответственность Y за Z"), the subject of a denial ("Y denied
 * Z", negated; "Z by Y, a charge Y denies" gives the claim and its denial), the
 * agent before a passive ("Y was accused of Z by X"), or else the actor bound to
 * the act noun itself ("Russian aggression", "агрессия России", "agressão russa",
 * "провокациите на Вашингтон", "an attack orchestrated by Moscow"), never its
 * target ("the Ukraine invasion", "invasion of Ukraine"); failing that, the
 * object of a naming verb ("X called Y ... hypocrisy") or the subject of the
 * reported clause ("X warns that Y ... provocation"). Generic bodies ("власти")
 * stand for the name they are bound to ("власти Киева"). The accuser is the
 * subject of the accusing verb (pronouns and role nouns resolved), else the
 * speaker of a quote covering the sentence or of a reporting frame ahead of the
 * act, else the article's own voice. */
#include <string.h>

#include "claim.h"

static int accused_type_ok(uint8_t t)
{
	return t != NS_ACTOR_OTHER; /* "Kyiv", "Moscow" stand for governments */
}

/* Actor index starting at token t (first token of an actor mention) or -1. */
static int32_t actor_start(const ns_claim_ctx *c, size_t t)
{
	int32_t a = c->tok_actor[t];
	if (a >= 0 && c->act_tok[a] == t && accused_type_ok(c->act[a].type))
		return a;
	return -1;
}

/* Nearest actor in [from, to) to token ref; prefer = -1 before, +1 after, 0 any. */
static int32_t nearest_actor(const ns_claim_ctx *c, size_t from, size_t to, size_t ref, int prefer,
			     int32_t not)
{
	int32_t best = -1;
	size_t bestd = SIZE_MAX;
	for (size_t t = from; t < to && t < c->ntok; t++) {
		int32_t a = actor_start(c, t);
		if (a < 0 || (not >= 0 && strcmp(c->act[a].id, c->act[not].id) == 0))
			continue;
		size_t d;
		if (t >= ref) {
			if (prefer < 0)
				continue;
			d = t - ref;
		} else {
			if (prefer > 0)
				continue;
			size_t e = c->act_tok_end[a];
			d = e <= ref ? ref - e : 0;
		}
		if (d < bestd) {
			bestd = d;
			best = a;
		}
	}
	return best;
}

/* Hindi: actor immediately before a postposition of class cls in [from, to). */
static int32_t hi_marked(const ns_claim_ctx *c, size_t from, size_t to, int cls)
{
	for (size_t t = from + 1; t < to; t++)
		if (ns_claim__cue(c, t, cls, NULL)) {
			int32_t a = c->tok_actor[t - 1];
			if (a >= 0 && accused_type_ok(c->act[a].type))
				return a;
		}
	return -1;
}

static int is_aux_passive(const ns_token *t)
{
	static const char *const aux[] = {"was", "were", "is", "are", "been", "being", "be", "был",
		"была", "были", "было", "е", "са", "бил", "била", "били", "foi", "foram", "é", "são",
		"sido", NULL};
	if (!t->norm)
		return 0;
	for (const char *const *a = aux; *a; a++)
		if (strlen(*a) == t->norm_len && memcmp(*a, t->norm, t->norm_len) == 0)
			return 1;
	return 0;
}

/* Speaker of a quote overlapping [s, e) code points: returns 1 and sets *spk (the
 * actor, -1 when unknown) when one does. q is sorted by start. */
static int quote_speaker_at(const ns_quote *q, size_t nq, uint32_t s, uint32_t e, int32_t *spk)
{
	size_t lo = 0, hi = nq;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (q[mid].text.start < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo, seen = 0; k-- > 0 && seen < 4; seen++) {
		if (q[k].text.end > s) {
			*spk = q[k].actor;
			return 1;
		}
	}
	return 0;
}

static int possessive_at(const ns_claim_ctx *c, int32_t a)
{
	uint32_t e = c->act[a].end;
	if (e < c->ncp && (c->cp[e] == 0x2019 || c->cp[e] == '\''))
		return 1;
	/* the mention itself may include the "'s" */
	return e >= 2 && e - 2 >= c->act[a].start && (c->cp[e - 1] == 's' || c->cp[e - 1] == 'S') &&
	       (c->cp[e - 2] == 0x2019 || c->cp[e - 2] == '\'');
}

/* "invasion of Ukraine", "invasão da Ucrânia", "вторжение в Украину": the actor
 * after an invasion word is its target in every language. */
static int invasion_word(const ns_token *t)
{
	static const char *const pre[] = {"inva", "вторж", "нахлу", "инвази", NULL};
	for (const char *const *p = pre; *p; p++)
		if (t->norm && t->norm_len >= strlen(*p) && !memcmp(t->norm, *p, strlen(*p)))
			return 1;
	return 0;
}

/* "invaded", "invadiu", "invadem": the act word is a verb, its subject the agent. */
static int invade_verb(const ns_token *t)
{
	return t->norm && t->norm_len >= 5 && !memcmp(t->norm, "invad", 5);
}

/* "the Ukraine invasion", "the Gaza genocide": a name used as a noun modifier
 * (its last word is the entity's own name, not a demonym like "Russian") is the
 * target of a targeted act. Only Latin-script names compare. */
static int noun_modifier(const ns_claim_ctx *c, int32_t a)
{
	const ns_token *w = &c->tok[c->act_tok_end[a] - 1];
	const char *nm = c->act[a].name, *sp = strrchr(nm, ' ');
	const char *last = sp ? sp + 1 : nm;
	size_t n = strlen(last);
	if (!w->norm || w->norm_len != n || n < 3)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char x = last[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != w->norm[i])
			return 0;
	}
	return 1;
}

/* The agent bound to an act noun at [t, t + an) with no verb pattern: an adjective
 * or possessive before it ("Russian aggression", "Moscow's invasion", "रूस के
 * आक्रमण") or right after it ("invasão russa"), else the actor after it in the
 * genitive or after "of"/"by" ("агрессия России", "провокациите на Вашингтон",
 * "aggression by Russia", "invasão da Ucrânia pelas forças russas"), else a bare
 * name shortly before it (its subject: "o exército invadiu"), but never the
 * target of an attack ("invasion of Ukraine", "агрессия против Украины",
 * "the Ukraine invasion"). Returns -2 when only a target was found. */
static int32_t act_agent(const ns_claim_ctx *c, size_t tb, size_t te, size_t t, size_t an, const char *label,
			 int32_t voice)
{
	int targeted = !strcmp(label, "aggression") || !strcmp(label, "genocide") || !strcmp(label, "atrocities");
	int bg = !strcmp(c->doc->lang, "bg");
	int inv = invasion_word(&c->tok[t]) || !strcmp(label, "genocide") || !strcmp(label, "atrocities");
	int32_t back = -1;
	int target = 0;
	for (size_t k = t; k-- > tb && t - k <= 6;) {
		if (ns_claim__cue(c, k, NS_CLAIM_CUE_PRON_PL, NULL) && k + 1 == t)
			return ns_claim__resolve_ref(c, k, NS_CLAIM_CUE_PRON_PL); /* "Они врут" */
		int32_t a = c->tok_actor[k];
		if (a < 0 || c->act[a].weak)
			continue;
		/* the accuser named in the sentence ("de acordo com o Ministério ...") */
		if (voice >= 0 && !strcmp(c->act[a].id, c->act[voice].id))
			continue;
		if (!accused_type_ok(c->act[a].type) || c->act_tok_end[a] > t)
			break;
		int adjacent = c->act_tok_end[a] == t;
		if (targeted && adjacent && !invade_verb(&c->tok[t]) && noun_modifier(c, a)) {
			target = 1; /* "the Ukraine invasion" */
			break;
		}
		/* a modifier of the act noun itself: at most one word between ("Russian
		 * military aggression"), not one of an earlier noun ("banco central russo") */
		if ((c->act[a].adj || possessive_at(c, a)) && c->act_tok_end[a] + 1 >= t)
			return a;
		if (c->hi && c->act_tok_end[a] < c->ntok && ns_claim__cue(c, c->act_tok_end[a], NS_CLAIM_CUE_POSS, NULL))
			return a;
		if (c->act[a].adj || possessive_at(c, a))
			break;
		/* a bare name right before the noun is its target; before a verb ("o
		 * exército invadiu", "troops invaded") its subject */
		if (targeted && adjacent && !invade_verb(&c->tok[t])) {
			target = 1;
			break;
		}
		back = a;
		break;
	}
	size_t k = t + an;
	if (k >= te)
		return back >= 0 ? back : target ? -2 : -1;
	/* "a “hybrid attack” orchestrated by Moscow": an agent after a participle */
	for (size_t j = k, words = 0; j < te && j < k + 4; j++) {
		size_t bn = ns_claim__cue(c, j, NS_CLAIM_CUE_BY, NULL);
		if (bn && j > k) {
			int32_t a = j + bn < te ? c->tok_actor[j + bn] : -1;
			if (a >= 0 && c->act_tok[a] == j + bn && accused_type_ok(c->act[a].type) && !c->act[a].weak &&
			    !c->act[a].adj)
				return a;
			break;
		}
		if (c->tok[j].kind == NS_TOK_WORD) {
			if (c->tok_actor[j] >= 0 || ++words > 1)
				break;
		} else if (c->tok[j].start < c->ncp && (c->cp[c->tok[j].start] == ',' || ns_claim__is_final(c->cp[c->tok[j].start]))) {
			break;
		}
	}
	/* "invasão russa": an adjective right after the noun */
	int32_t nx = c->tok_actor[k];
	if (nx >= 0 && c->act_tok[nx] == k && c->act[nx].adj && accused_type_ok(c->act[nx].type) &&
	    (voice < 0 || strcmp(c->act[nx].id, c->act[voice].id) != 0))
		return nx;
	/* "террористического удара со стороны Украины", "aggressive actions of
	 * Washington": the act word modifies a noun */
	if (c->tok[k].kind == NS_TOK_WORD && c->tok_actor[k] < 0 && k + 1 < te &&
	    (ns_claim__cue(c, k + 1, NS_CLAIM_CUE_BY, NULL) || (!inv && ns_claim__cue(c, k + 1, NS_CLAIM_CUE_AGENT_OF, NULL))))
		k++;
	size_t byn = ns_claim__cue(c, k, NS_CLAIM_CUE_BY, NULL);
	int by = byn > 0;
	int of = ns_claim__cue(c, k, NS_CLAIM_CUE_AGENT_OF, NULL) > 0;
	int victim = ns_claim__cue(c, k, NS_CLAIM_CUE_VICTIM, NULL) > 0;
	if (bg && of)
		victim = 0; /* Bulgarian "на" is "of" */
	if ((victim && !by) || (of && (inv || (c->en && targeted)))) {
		/* "invasion of Ukraine", "genocídio do povo": the target; an agent may
		 * still follow ("invasion of Ukraine by Russia") */
		for (size_t j = k + 1; j < te && j < k + 8; j++) {
			size_t bn = ns_claim__cue(c, j, NS_CLAIM_CUE_BY, NULL);
			if (c->tok[j].kind == NS_TOK_PUNCT && c->tok[j].start < c->ncp && c->cp[c->tok[j].start] != '-')
				break;
			if (!bn)
				continue;
			for (size_t u = j + bn; u < te && u < j + bn + 3; u++) {
				int32_t a = c->tok_actor[u];
				if (a >= 0 && c->act_tok[a] == u && accused_type_ok(c->act[a].type) && !c->act[a].weak)
					return a;
			}
			break;
		}
		return back >= 0 ? back : -2;
	}
	size_t from = by ? k + byn : of ? k + 1 : k;
	for (size_t j = from; j < te && j < from + 3; j++) {
		int32_t a = c->tok_actor[j];
		if (c->tok[j].kind == NS_TOK_PUNCT && j > from)
			break; /* "economic wars,” Lavrov said": the next clause */
		if (a >= 0 && c->act_tok[a] == j && accused_type_ok(c->act[a].type) && !c->act[a].adj && !c->act[a].weak) {
			if (inv && !by)
				return back >= 0 ? back : -2;
			/* "власти Киева обманывают народ": a generic group after a verb is its object */
			if (back >= 0 && !by && !strncmp(c->act[a].id, "G:", 2))
				return back;
			return a;
		}
		if (a < 0 && c->tok[j].kind == NS_TOK_WORD && !(by || of))
			break; /* only the genitive right after the noun */
	}
	return back >= 0 ? back : target ? -2 : -1;
}

static int push(ns_claim_ctx *c, ns_accusation **out, size_t *n, size_t *cap, int32_t accuser,
		int32_t accused, const char *act, const ns_sentence *se, size_t at, size_t atn, int neg)
{
	if (accused < 0 || *n >= NS_CLAIM_MAX_ACCUSATIONS)
		return 0;
	if (!neg && accuser >= 0 && strcmp(c->act[accuser].id, c->act[accused].id) == 0)
		accuser = -1;
	for (size_t i = *n; i-- > 0;) {
		ns_accusation *x = &(*out)[i];
		if (x->span.start != se->start)
			break;
		if (x->act == act && x->negated == neg && strcmp(x->accused_id, c->act[accused].id) == 0)
			return 0;
	}
	if (NS_GROW(*out, *cap, *n + 1) < 0)
		return NS_ENOMEM;
	ns_accusation *x = &(*out)[(*n)++];
	memset(x, 0, sizeof *x);
	x->accuser_id = accuser >= 0 ? c->act[accuser].id : NS_CLAIM_ARTICLE_ID;
	x->accuser_name = accuser >= 0 ? c->act[accuser].name : NS_CLAIM_ARTICLE_NAME;
	x->accused_id = c->act[accused].id;
	x->accused_name = c->act[accused].name;
	x->act = act;
	x->span.start = se->start;
	x->span.end = se->end;
	x->act_span.start = c->tok[at].start;
	x->act_span.end = c->tok[at + atn - 1].end;
	x->negated = (uint8_t)neg;
	return 0;
}

/* Act words at token t: an act of the lexicon, or (blame: the sentence holds an
 * accusing or commit cue) a weak act; never a word inside a name the extractor
 * or the layer found as a shape ("the Global Warming Hoax"). */
static size_t act_at(const ns_claim_ctx *c, size_t t, int blame, const char **label)
{
	int32_t a = c->tok_actor[t];
	if (a >= 0 && !strncmp(c->act[a].id, "L:", 2))
		return 0;
	size_t n = ns_claim__cue(c, t, NS_CLAIM_CUE_ACT, label);
	if (!n && blame)
		n = ns_claim__cue(c, t, NS_CLAIM_CUE_ACT_WEAK, label);
	return n;
}

/* "since the invasion", "desde a invasão", "после вторжения", "след
 * инвазията": an act named as a point in time is the article's own framing, not
 * a claim of whoever speaks in the sentence. */
static int temporal_before(const ns_claim_ctx *c, size_t tb, size_t t)
{
	static const char *const tp[] = {"since", "after", "before", "during", "desde", "após", "depois", "antes",
		"durante", "после", "до", "с", "со", "во", "время", "начала", "след", "преди", "началото", "के",
		"बाद", "दौरान", NULL};
	static const char *const strong[] = {"since", "after", "before", "during", "desde", "após", "depois",
		"antes", "durante", "после", "след", "преди", "बाद", "दौरान", NULL};
	for (size_t k = t, n = 0; k-- > tb && n < 3; n++) {
		const ns_token *w = &c->tok[k];
		if (w->kind != NS_TOK_WORD || !w->norm)
			return 0;
		for (const char *const *x = strong; *x; x++)
			if (w->norm_len == strlen(*x) && !memcmp(w->norm, *x, w->norm_len))
				return 1;
		int weak = 0; /* articles, determiners and parts of longer prepositions */
		for (const char *const *x = tp; *x && !weak; x++)
			weak = w->norm_len == strlen(*x) && !memcmp(w->norm, *x, w->norm_len);
		static const char *const det[] = {"the", "a", "an", "o", "its", "da", "do", NULL};
		for (const char *const *x = det; *x && !weak; x++)
			weak = w->norm_len == strlen(*x) && !memcmp(w->norm, *x, w->norm_len);
		if (!weak)
			return 0;
	}
	return 0;
}

static int is_generic(const ns_claim_ctx *c, int32_t a)
{
	return a >= 0 && !strncmp(c->act[a].id, "G:", 2);
}

/* A named actor next to generic mention k ("власти Киева", "украинские власти",
 * "Kyiv authorities"), or -1. */
static int32_t bound_name(const ns_claim_ctx *c, int32_t k)
{
	size_t e = c->act_tok_end[k], b = c->act_tok[k];
	int32_t x = e < c->ntok ? c->tok_actor[e] : -1;
	if (x >= 0 && !is_generic(c, x) && accused_type_ok(c->act[x].type) && c->act[x].type != NS_ACTOR_PERSON)
		return x;
	x = b > 0 ? c->tok_actor[b - 1] : -1;
	if (x >= 0 && !is_generic(c, x) && accused_type_ok(c->act[x].type) && c->act[x].type != NS_ACTOR_PERSON)
		return x;
	return -1;
}

/* A generic actor ("the authorities", "власти") stands for the named actor it is
 * bound to here or, failing that, at its last bound mention before. */
static int32_t specific(const ns_claim_ctx *c, int32_t a)
{
	if (!is_generic(c, a))
		return a;
	int32_t x = bound_name(c, a);
	if (x >= 0)
		return x;
	for (int32_t k = a, seen = 0; k-- > 0 && seen < 200; seen++) {
		if (strcmp(c->act[k].id, c->act[a].id) != 0)
			continue;
		if ((x = bound_name(c, k)) >= 0)
			return x;
	}
	return a;
}

/* Fallback accused of an act with no agent of its own in a reported clause
 * ("Putin warns that Ukraine will get a response to the provocation"): the first
 * actor after the complementizer that is not the speaker, before the act. */
static int32_t clause_subject(const ns_claim_ctx *c, size_t tb, size_t t, int32_t voice)
{
	size_t k = tb;
	while (k < t && !ns_claim__cue(c, k, NS_CLAIM_CUE_THAT, NULL))
		k++;
	/* no complementizer: the reported clause is the sentence itself ("Y unleashed
	 * trade wars, X said") and its subject opens it */
	size_t from = k < t ? k + 1 : tb;
	for (size_t j = from; j < t && j < from + 3; j++) {
		int32_t a = c->tok_actor[j];
		if (a < 0 || c->act_tok[a] != j)
			continue;
		if (!accused_type_ok(c->act[a].type) || c->act[a].weak || c->act[a].adj ||
		    (voice >= 0 && !strcmp(c->act[a].id, c->act[voice].id)))
			return -1;
		return a;
	}
	return -1;
}

static int sentence(ns_claim_ctx *c, const ns_sentence *se, const ns_quote *q, size_t nq,
		    ns_accusation **out, size_t *n, size_t *cap)
{
	size_t tb = se->tok_begin, te = se->tok_end;
	size_t acc_v = SIZE_MAX, com_v = SIZE_MAX, den_v = SIZE_MAX, by_t = SIZE_MAX;
	int has_act = 0;
	for (size_t t = tb; t < te; t++) {
		if (acc_v == SIZE_MAX && ns_claim__cue(c, t, NS_CLAIM_CUE_ACCUSE, NULL))
			acc_v = t;
		if (com_v == SIZE_MAX && ns_claim__cue(c, t, NS_CLAIM_CUE_COMMIT, NULL))
			com_v = t;
		if (den_v == SIZE_MAX && ns_claim__cue(c, t, NS_CLAIM_CUE_DENY, NULL))
			den_v = t;
		if (by_t == SIZE_MAX && acc_v != SIZE_MAX && t > acc_v && ns_claim__cue(c, t, NS_CLAIM_CUE_BY, NULL))
			by_t = t;
	}
	int blame = acc_v != SIZE_MAX || com_v != SIZE_MAX;
	for (size_t t = tb; t < te && !has_act; t++)
		if (act_at(c, t, blame, NULL))
			has_act = 1;
	if (!has_act)
		return 0;
	int32_t qspk = -1;
	int quoted = quote_speaker_at(q, nq, se->start, se->end, &qspk);
	int32_t voice = quoted ? qspk : -1;
	/* "X reports on news of Y committing Z", "Путин нарече ... лицемерие": the
	 * subject of a reporting verb ahead of the act speaks for the sentence */
	size_t name_v = SIZE_MAX; /* a naming verb: "X called Y Z" */
	if (voice < 0) {
		for (size_t t = tb; t < te; t++) {
			if (act_at(c, t, blame, NULL))
				break;
			size_t sn = ns_claim__cue(c, t, NS_CLAIM_CUE_SAY, NULL);
			if (!sn || ns_claim__cue(c, t, NS_CLAIM_CUE_ACCUSE, NULL))
				continue;
			/* a reporting frame: "X said that", "X reports on", "X called ..."; not
			 * "X announced the invasion", where the act is the verb's object */
			const ns_token *nx = t + sn < te ? &c->tok[t + sn] : NULL;
			static const char *const about[] = {"on", "about", "о", "об", "на", "за", "sobre", NULL};
			int frame = !nx || nx->kind == NS_TOK_PUNCT || ns_claim__cue(c, t + sn, NS_CLAIM_CUE_THAT, NULL);
			for (const char *const *w = about; *w && !frame && nx->norm; w++)
				frame = nx->norm_len == strlen(*w) && !memcmp(nx->norm, *w, nx->norm_len);
			static const char *const naming[] = {"call", "нарече", "нарич", "назва", "называ", "chamou", "chama",
				"classific", NULL};
			for (const char *const *w = naming; *w && !frame; w++)
				if (c->tok[t].norm && !strncmp(c->tok[t].norm, *w, strlen(*w)))
					frame = 1, name_v = t;
			if (frame)
				voice = ns_claim__speaker_near(c, tb, t, t);
			break;
		}
	}
	int neg = den_v != SIZE_MAX;
	int rc = 0;
	for (size_t t = tb; t < te; t++) {
		const char *label = NULL;
		size_t an = act_at(c, t, blame, &label);
		if (!an)
			continue;
		int32_t accuser = voice, accused = -1;
		if (acc_v == SIZE_MAX && temporal_before(c, tb, t))
			accuser = -1;
		if (acc_v != SIZE_MAX) {
			if (c->hi) {
				accuser = hi_marked(c, tb, te, NS_CLAIM_CUE_HI_ERG);
				accused = hi_marked(c, tb, te, NS_CLAIM_CUE_HI_PAR);
				if (accused < 0)
					accused = nearest_actor(c, tb, t, t, -1, accuser);
			} else if (acc_v > tb && is_aux_passive(&c->tok[acc_v - 1])) {
				accused = nearest_actor(c, tb, acc_v, acc_v, -1, -1);
				if (by_t != SIZE_MAX)
					accuser = nearest_actor(c, by_t + 1, te, by_t + 1, 1, accused);
			} else if (acc_v > t && acc_v > tb && c->tok[acc_v - 1].kind == NS_TOK_PUNCT) {
				/* "CLAIM, accused X": accuser after the verb, accused in the claim */
				int32_t who = nearest_actor(c, acc_v + 1, te, acc_v + 1, 1, -1);
				if (who >= 0)
					accuser = who;
				accused = act_agent(c, tb, acc_v, t, an, label, who);
				if (accused < 0)
					accused = nearest_actor(c, tb, t, t, -1, who);
			} else {
				int32_t subj = nearest_actor(c, tb, acc_v, acc_v, -1, -1);
				/* "he accused", "the agency accuses": a pronoun or role noun as the
				 * subject right before the verb */
				for (size_t k = acc_v; k-- > tb && acc_v - k <= 3;) {
					static const int refs[] = {NS_CLAIM_CUE_PRON_SG, NS_CLAIM_CUE_PRON_PL, NS_CLAIM_CUE_ROLE, NS_CLAIM_CUE_ROLE_ORG};
					int found = 0;
					if (c->tok_actor[k] >= 0 || c->tok[k].kind != NS_TOK_WORD)
						break;
					for (size_t r = 0; r < 4 && !found; r++)
						if (ns_claim__cue(c, k, refs[r], NULL)) {
							int32_t x = ns_claim__resolve_ref(c, k, refs[r]);
							if (x >= 0)
								subj = x;
							found = 1;
						}
					if (found)
						break;
				}
				accused = nearest_actor(c, acc_v + 1, te, acc_v + 1, 1, subj);
				if (subj >= 0)
					accuser = subj;
				if (accused < 0 && subj >= 0 && acc_v > t) {
					/* "Y's aggression, X accused": act before the verb */
					accused = nearest_actor(c, tb, t + an, t, 0, subj);
				}
			}
			if (accuser < 0 && !quoted)
				accuser = -1;
		} else if (com_v != SIZE_MAX) {
			size_t cn = ns_claim__cue(c, com_v, NS_CLAIM_CUE_COMMIT, NULL);
			size_t bn = com_v + cn < te ? ns_claim__cue(c, com_v + cn, NS_CLAIM_CUE_BY, NULL) : 0;
			int32_t nx = com_v + cn < te ? c->tok_actor[com_v + cn] : -1;
			if (bn) /* "crimes committed by X" */
				accused = nearest_actor(c, com_v + cn + bn, te, com_v + cn + bn, 1, voice);
			else if (nx >= 0 && c->act_tok[nx] == com_v + cn && accused_type_ok(c->act[nx].type) &&
				 !c->act[nx].adj && com_v + cn < t)
				accused = nx; /* "ответственность Запада за эскалацию" */
			if (accused < 0)
				accused = nearest_actor(c, tb, com_v, com_v, -1, -1);
			if (accused < 0)
				accused = nearest_actor(c, com_v, te, com_v, 1, -1);
		} else if (neg) {
			/* "Y denied Z", "X rejected claims that Y did Z": the denier speaks
			 * (accuser of a negated accusation); the accused is the act's agent
			 * when named, else the denier itself */
			int32_t denier = nearest_actor(c, tb, den_v, den_v, -1, -1);
			accused = act_agent(c, tb, te, t, an, label, denier);
			if (accused < 0)
				accused = denier;
			if (denier >= 0)
				accuser = denier;
		}
		if (accused < 0) {
			accused = act_agent(c, tb, te, t, an, label, accuser);
			if (accused < 0 && name_v < t) /* "нарече западните идеи ... лицемерие" */
				accused = nearest_actor(c, name_v + 1, t, name_v + 1, 1, voice);
			if (accused == -1)
				accused = clause_subject(c, tb, t, voice);
		}
		if (accused >= 0)
			accused = specific(c, accused);
		if (accuser >= 0)
			accuser = specific(c, accuser);
		/* "a hybrid attack orchestrated by Moscow, a charge the Kremlin denies":
		 * the claim of the sentence's voice, then its denial */
		if (neg && acc_v == SIZE_MAX && com_v == SIZE_MAX && den_v > t + an && accused >= 0 && accuser >= 0 &&
		    c->act_tok[accuser] > t && (rc = push(c, out, n, cap, voice, accused, label, se, t, an, 0)) < 0)
			return rc;
		if ((rc = push(c, out, n, cap, accuser, accused, label, se, t, an, neg)) < 0)
			return rc;
		t += an - 1;
	}
	return 0;
}

int ns_claim__accusations(ns_claim_ctx *c, const ns_quote *q, size_t nq, ns_accusation **out,
			  size_t *nout)
{
	size_t cap = 0;
	int rc = 0;
	*out = NULL;
	*nout = 0;
	for (size_t s = 0; s < c->doc->nsentences; s++)
		if ((rc = sentence(c, &c->doc->sentences[s], q, nq, out, nout, &cap)) < 0)
			break;
	return rc;
}
