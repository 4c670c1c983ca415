/* Speakers of direct quotes, and indirect speech ("X said that ...", "according
 * to X, ...", "по словам X", "X के अनुसार") with its speaker.
 *
 * DESIGN: a direct quote looks for a reporting cue just after its closing mark
 * (`"...," said X` / `"...", - заявил X`) and in the clause just before its opening
 * mark (`X told the paper: "..."`); the speaker is the actor, pronoun or role noun
 * nearest to the cue. Pronouns resolve to the last quoted person when that quote is
 * close, else to the most recent person named outside quotes; role nouns ("the
 * spokesman") resolve to the actor they were attached to earlier in the article
 * ("spokesman John Kirby"), else like a pronoun; a person named inside a reported
 * clause gives way to the last person who spoke, and with no one before, a
 * pronoun refers ahead to the next person named. Generic descriptions from the
 * gazetteer ("ученият", "the serviceman") resolve like role nouns when singular.
 * A quote without a cue inherits the speaker of a quote just before it (quotes
 * interrupted by "he said" or run on in the next paragraph); a quoted headline
 * takes the person named after it. Short quoted phrases without a cue are scare
 * quotes or titles and are dropped. Lines "Name: statement" are indirect quotes. */
#include <string.h>

#include "claim.h"


static uint32_t tok_cp(const ns_claim_ctx *c, size_t i)
{
	return c->tok[i].start < c->ncp ? c->cp[c->tok[i].start] : 0;
}

int ns_claim__is_punct(const ns_claim_ctx *c, size_t i, uint32_t ch)
{
	return c->tok[i].kind == NS_TOK_PUNCT && tok_cp(c, i) == ch;
}

static int is_final_tok(const ns_claim_ctx *c, size_t i)
{
	if (c->tok[i].kind != NS_TOK_PUNCT || !ns_claim__is_final(tok_cp(c, i)))
		return 0;
	/* "U.S.", "J. K.": a period after a single letter is not an end */
	if (tok_cp(c, i) == '.' && i > 0 && c->tok[i - 1].kind == NS_TOK_WORD &&
	    c->tok[i - 1].end - c->tok[i - 1].start == 1 && c->tok[i - 1].end == c->tok[i].start)
		return 0;
	/* "Rep. Marjorie Taylor Greene", "Gen. Smith": a title abbreviation (a
	 * capitalised word of two or three letters, the rest lower case) before a name */
	if (tok_cp(c, i) == '.' && i > 0 && i + 1 < c->ntok && c->tok[i - 1].kind == NS_TOK_WORD &&
	    c->tok[i - 1].end == c->tok[i].start && c->tok[i - 1].end - c->tok[i - 1].start <= 3 &&
	    c->tok[i - 1].end - c->tok[i - 1].start >= 2 && (c->tok[i - 1].flags & NS_TOKF_UPPER_INITIAL) &&
	    (c->tok[i + 1].flags & NS_TOKF_UPPER_INITIAL) && c->tok[i + 1].kind == NS_TOK_WORD) {
		uint32_t second = c->cp[c->tok[i - 1].start + 1];
		if (second >= 'a' && second <= 'z')
			return 0;
	}
	return 1;
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

int ns_claim__in_direct(const ns_claim_ctx *c, uint32_t pos)
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

/* First (or last) reporting cue in [a, b); returns its token or SIZE_MAX. */
static size_t find_say(const ns_claim_ctx *c, size_t a, size_t b, int last, size_t *len)
{
	size_t found = SIZE_MAX;
	for (size_t t = a; t < b; t++) {
		size_t n = ns_claim__cue(c, t, NS_CLAIM_CUE_SAY, NULL);
		if (!n)
			n = ns_claim__cue(c, t, NS_CLAIM_CUE_ACCORDING, NULL);
		if (!n)
			n = ns_claim__cue(c, t, NS_CLAIM_CUE_POSTP_ACCORD, NULL);
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

/* Does quote q hold more than k words? Stops early, so long quotes cost O(k). */
static int words_over(const ns_claim_ctx *c, const ns_quote *q, int k)
{
	int n = 0, in = 0;
	for (uint32_t i = q->text.start; i < q->text.end && i < c->ncp; i++) {
		int a = ns_claim__is_alnum(c->cp[i]);
		if (a && !in && ++n > k)
			return 1;
		in = a;
	}
	return 0;
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
		while (b < c->ntok && b - a < 20 && c->tok[b].start + 1 < next_start) {
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
	/* a quote opening its own line after a line that ends with a colon ("X
	 * notes:\n\n"...""): that line leads into it */
	if (y == z && z > 0 && ns_claim__is_punct(c, z - 1, ':') && c->tok[z - 1].end > prev_end) {
		y = z - 1;
		while (y > 0 && z - y < 25 && !newline_before(c, y) && !is_final_tok(c, y - 1) &&
		       c->tok[y - 1].end > prev_end)
			y--;
	}
	int colon = z > y && (ns_claim__is_punct(c, z - 1, ':') || ns_claim__is_punct(c, z - 1, 0x2014));
	/* `Volkov said Kyiv was "..."`: a reporting verb just before the opening mark */
	for (size_t t = z > y + 4 ? z - 4 : y; t < z && !colon; t++)
		if (ns_claim__cue(c, t, NS_CLAIM_CUE_SAY, NULL))
			colon = 1;
	/* `"..." and accused NATO`: a coordinated verb after the quote is not its attribution */
	for (size_t t = a; t < b; t++) {
		if (!ns_claim__cue(c, t, NS_CLAIM_CUE_SAY, NULL))
			continue;
		if (t > a && (ns_claim__word_is(&c->tok[t - 1], "and") || ns_claim__word_is(&c->tok[t - 1], "и") ||
			      ns_claim__word_is(&c->tok[t - 1], "e") || ns_claim__word_is(&c->tok[t - 1], "और")))
			b = t - 1;
		break;
	}
	size_t n = 0, cue = SIZE_MAX;
	int32_t spk = -1;
	size_t wins[2][2] = {{a, b}, {y, z}};
	int order = colon ? 1 : 0;
	int cue_before = 0;
	for (int w = 0; w < 2 && cue == SIZE_MAX; w++) {
		size_t *win = wins[(order + w) & 1];
		int before = ((order + w) & 1) == 1;
		cue_before = before;
		cue = find_say(c, win[0], win[1], before, &n);
		if (cue != SIZE_MAX) {
			set_cue(q, c, cue, n);
			size_t from = win[0], to = win[1];
			if (ns_claim__cue(c, cue, NS_CLAIM_CUE_ACCORDING, NULL)) {
				spk = ns_claim__speaker_after(c, cue + n, to, SIZE_MAX);
			} else if (!before) {
				/* `"...", declarou, citado pela BBC`: nothing names the speaker
				 * between the quote and a verb standing alone -> null subject */
				int lone = cue + n >= to || c->tok[cue + n].kind == NS_TOK_PUNCT;
				for (size_t t = from; t < cue && lone; t++)
					lone = c->tok[t].kind == NS_TOK_PUNCT;
				spk = lone ? -1 : ns_claim__speaker_after(c, from, to, cue);
				if (spk < 0)
					spk = ns_claim__resolve_ref(c, cue, NS_CLAIM_CUE_PRON_SG);
			} else {
				/* "X claimed that Y ...": the speaker is the subject before the verb */
				for (size_t t = cue + n; t < to && t < cue + n + 3; t++)
					if (ns_claim__cue(c, t, NS_CLAIM_CUE_THAT, NULL))
						to = cue;
				spk = ns_claim__speaker_near(c, from, to, cue);
				/* `", frisou ainda, "...`, "..., dizendo que ...": a verb without a
				 * subject in reach continues the last person's speech */
				if (spk < 0)
					spk = ns_claim__resolve_ref(c, cue, NS_CLAIM_CUE_PRON_SG);
			}
		}
	}
	if (cue == SIZE_MAX && colon) {
		/* "Zelensky: «...»" */
		int32_t act = z >= 2 ? c->tok_actor[z - 2] : -1;
		if (act >= 0 && ns_claim__speaker_type_ok(c->act[act].type))
			spk = act;
	}
	/* a quoted headline (first line of the article, no cue): its source is the
	 * person the article names right after it */
	if (cue == SIZE_MAX && spk < 0 && c->ntok > 0 && q->text.end < c->ncp) {
		size_t ct = ns_claim__tok_at(c, close);
		if (c->first_nl >= open && ct < c->ntok) /* no line break before the quote */
			spk = ns_claim__next_person(c, ct);
	}
	int inherited = 0;
	if (cue == SIZE_MAX && spk < 0 && *last_spk >= 0 && *last_end + 250 >= open) {
		spk = *last_spk;
		inherited = 1;
	}
	int punct = 0;
	int words = count_words(c, q, &punct);
	int keep = (cue != SIZE_MAX && words >= 3) || (spk >= 0 && !inherited && words >= 3) ||
		   (inherited && words >= 4) || (words >= 5 && punct) || words >= 8;
	/* «Рейтер», «Откровенно с Татаркой»: a capitalised name or title as the object
	 * of a verb ("пишет «Рейтер»"), not speech */
	if (keep && words <= 4 && !punct && !colon && cue_before && q->text.start < c->ncp &&
	    ns_claim__is_alnum(c->cp[q->text.start]) && c->cp[q->text.start] != 0x2026) {
		uint32_t f = c->cp[q->text.start];
		int upper = (f >= 'A' && f <= 'Z') || (f >= 0x410 && f <= 0x42F) || (f >= 0xC0 && f <= 0xDE);
		if (upper)
			keep = 0;
	}
	/* a fragment of five words or fewer inside a sentence (after a word or a
	 * comma: `a "provocação em grande escala"`, `o "plano de vitória"`) is a
	 * scare quote or a phrase of a reported clause, not a quote of its own */
	if (keep && words <= 5 && !(z > y && ns_claim__is_punct(c, z - 1, ':'))) {
		uint32_t p = open;
		while (p > 0 && (c->cp[p - 1] == ' ' || c->cp[p - 1] == 0xA0))
			p--;
		if (p > 0 && p < open && (ns_claim__is_alnum(c->cp[p - 1]) || c->cp[p - 1] == ','))
			keep = 0;
	}
	if (!keep)
		return 0;
	set_speaker(q, c, spk);
	if (spk >= 0) {
		*last_spk = spk;
		*last_end = q->text.end;
	}
	return 1;
}

/* Fills out as an indirect quote of tokens [ts, tend) with cue k (n tokens). */
static int make_indirect(ns_claim_ctx *c, ns_quote *out, size_t ts, size_t tend, size_t k, size_t n, int32_t spk)
{
	while (tend > ts && c->tok[tend - 1].kind == NS_TOK_PUNCT)
		tend--;
	if (ts >= tend || tend - ts < 2)
		return 0;
	/* a clause that is mostly a direct quote is that quote, not indirect speech */
	uint32_t s0 = c->tok[ts].start, e0 = c->tok[tend - 1].end, cov = 0;
	size_t lo = 0, hi = c->ndq;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->dq[mid].text.end <= s0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->ndq && c->dq[i].text.start < e0; i++) {
		if (!words_over(c, &c->dq[i], 4))
			continue;
		uint32_t a = c->dq[i].text.start > s0 ? c->dq[i].text.start : s0;
		uint32_t b = c->dq[i].text.end < e0 ? c->dq[i].text.end : e0;
		if (b > a)
			cov += b - a;
	}
	if (2 * cov >= e0 - s0)
		return 0;
	memset(out, 0, sizeof *out);
	out->text.start = c->tok[ts].start;
	out->text.end = c->tok[tend - 1].end;
	set_cue(out, c, k, n);
	set_speaker(out, c, spk);
	out->kind = NS_QUOTE_INDIRECT;
	return 1;
}

/* Speaker of a reporting cue at k whose subject lies in [from, to): an actor,
 * pronoun or role noun there, else (unnamed subject: "the singer noted that")
 * the person the article is about at this point. */
static int32_t subject_or_salient(const ns_claim_ctx *c, size_t from, size_t to, size_t k)
{
	int32_t spk = ns_claim__speaker_near(c, from, to, k);
	return spk >= 0 ? spk : ns_claim__resolve_ref(c, k, NS_CLAIM_CUE_PRON_SG);
}


static int is_comma_or_dash(const ns_claim_ctx *c, size_t i)
{
	return ns_claim__is_punct(c, i, ',') || ns_claim__is_punct(c, i, '-') || ns_claim__is_punct(c, i, 0x2014) || ns_claim__is_punct(c, i, 0x2013);
}

/* "reiterates his stand": a determiner after the verb starts its object. */
static int determiner_after(const ns_claim_ctx *c, size_t i)
{
	static const char *const det[] = {"his", "her", "its", "their", "the", "a", "an", "this", "that", "our",
		"свою", "свой", "своя", "seu", "sua", NULL};
	if (i >= c->ntok)
		return 0;
	for (const char *const *d = det; *d; d++)
		if (ns_claim__word_is(&c->tok[i], *d))
			return 1;
	return 0;
}

/* End of a reported clause starting at ts: the comma before the next attribution
 * in the sentence ("..., तो वहीं दूसरी तरफ रूस का कहना है कि ..."), else end. */
static size_t clause_end(const ns_claim_ctx *c, size_t ts, size_t end)
{
	/* Hindi: a relative clause after a comma (", जिन्होंने ...", ", जो ...") is the
	 * writer's aside, not part of the report */
	static const char *const rel[] = {"जिन्होंने", "जिसने", "जिसे", "जिनके", "जिसके", "जो", "जिनका", "जिसका", NULL};
	for (size_t k = ts + 4; c->hi && k + 1 < end; k++) {
		if (!ns_claim__is_punct(c, k, ','))
			continue;
		for (const char *const *w = rel; *w && end > k; w++)
			if (ns_claim__word_is(&c->tok[k + 1], *w))
				end = k;
	}
	for (size_t k = ts + 2; k < end; k++) {
		if (!ns_claim__cue(c, k, NS_CLAIM_CUE_POSTP_ACCORD, NULL) && !ns_claim__cue(c, k, NS_CLAIM_CUE_ACCORDING, NULL) &&
		    !(ns_claim__cue(c, k, NS_CLAIM_CUE_SAY, NULL) && k + 1 < end &&
		      (ns_claim__cue(c, k + 1, NS_CLAIM_CUE_THAT, NULL) || (k + 2 < end && ns_claim__cue(c, k + 2, NS_CLAIM_CUE_THAT, NULL)))))
			continue;
		for (size_t j = k; j > ts + 1; j--)
			if (ns_claim__is_punct(c, j - 1, ','))
				return j - 1;
		return end;
	}
	return end;
}

/* Indirect speech in tokens [tb, te) of one sentence (outside direct quotes).
 * Returns 1 when found. */
static int indirect_in(ns_claim_ctx *c, size_t tb, size_t te, int truncated, int has_cue, ns_quote *out)
{
	size_t end = te;
	while (end > tb && c->tok[end - 1].kind == NS_TOK_PUNCT)
		end--;
	if (end <= tb + 2)
		return 0;
	for (size_t k = tb; k < end; k++) {
		size_t n;
		if ((n = ns_claim__cue(c, k, NS_CLAIM_CUE_ACCORD_PRON, NULL))) {
			/* "по его словам, CLAUSE", "CLAUSE, according to him" */
			int32_t spk = ns_claim__resolve_ref(c, k, NS_CLAIM_CUE_PRON_SG);
			size_t ts = k + n;
			while (ts < end && c->tok[ts].kind == NS_TOK_PUNCT)
				ts++;
			/* "A, segundo ele, B": the report is what follows the source */
			if (ts + 2 < end)
				return make_indirect(c, out, ts, end, k, n, spk);
			if (k > tb + 3 && !has_cue)
				return make_indirect(c, out, tb, k, k, n, spk);
			continue;
		}
		if ((n = ns_claim__cue(c, k, NS_CLAIM_CUE_ACCORDING, NULL))) {
			/* the source runs from the cue to the next comma */
			size_t se = k + n;
			while (se < end && se - (k + n) < 14 && !ns_claim__is_punct(c, se, ','))
				se++;
			/* "согласно данным украинского министерства": the state of a body
			 * described by its nationality */
			int32_t spk = -1;
			for (size_t j = k + n; spk < 0 && j + 1 < se; j++) {
				int32_t x = c->tok_actor[j];
				if (x >= 0 && c->act[x].adj && c->act_tok_end[x] < se &&
				    ns_claim__cue(c, c->act_tok_end[x], NS_CLAIM_CUE_ROLE_ORG, NULL))
					spk = x;
			}
			if (spk < 0)
				spk = ns_claim__speaker_after(c, k + n, se, SIZE_MAX);
			if (spk < 0 && se > k + n + 1)
				spk = ns_claim__resolve_ref(c, k, NS_CLAIM_CUE_PRON_SG); /* "по его словам" */
			/* "Според Смит армията ...": no comma, the clause starts after the name */
			size_t ts = se + 1;
			if (se >= end || !ns_claim__is_punct(c, se, ',')) {
				int32_t a0 = c->tok_actor[k + n];
				ts = a0 >= 0 ? c->act_tok_end[a0] : end;
			}
			/* the clause is the longer side: "Por sua vez, de acordo com X, CLAUSE" */
			if (ts + 2 < end || (ts < end && k <= tb + 2))
				return make_indirect(c, out, ts, end, k, n, spk);
			if (k > tb + 2 && !has_cue) {
				size_t ce = k;
				while (ce > tb && ns_claim__is_punct(c, ce - 1, ','))
					ce--;
				return make_indirect(c, out, tb, ce, k, n, spk);
			}
			continue;
		}
		if ((n = ns_claim__cue(c, k, NS_CLAIM_CUE_POSTP_ACCORD, NULL))) {
			size_t ss = k > tb + 6 ? k - 6 : tb;
			int32_t spk = ns_claim__speaker_near(c, ss, k, k);
			size_t ts = k + n;
			while (ts < end && c->tok[ts].kind == NS_TOK_PUNCT)
				ts++;
			if (ts + 2 > end)
				continue;
			return make_indirect(c, out, ts, clause_end(c, ts, end), k, n, spk);
		}
		if (!(n = ns_claim__cue(c, k, NS_CLAIM_CUE_SAY, NULL)))
			continue;
		/* SAY ... that CLAUSE */
		size_t j = k + n;
		while (j < end && j - (k + n) < 6 && !ns_claim__cue(c, j, NS_CLAIM_CUE_THAT, NULL) && !is_final_tok(c, j))
			j++;
		if (j < end && ns_claim__cue(c, j, NS_CLAIM_CUE_THAT, NULL) && j + 2 < end) {
			/* "X said that \"...\"": the clause is the direct quote that follows */
			if (truncated)
				continue;
			int32_t spk = subject_or_salient(c, k > tb + 14 ? k - 14 : tb, j, k);
			if (spk >= 0 && make_indirect(c, out, j + 1, clause_end(c, j + 1, end), k, n, spk))
				return 1;
			continue;
		}
		/* "जेलेंस्की ने कहा, CLAUSE", "US का दावा- CLAUSE": a verb followed by a comma,
		 * colon or dash and a clause of its own, with the speaker before it */
		if (!c->en && k > tb && k + n + 3 < end && (is_comma_or_dash(c, k + n) || ns_claim__is_punct(c, k + n, ':')) &&
		    c->tok[k + n + 1].kind == NS_TOK_WORD) {
			int32_t spk = ns_claim__speaker_near(c, k > tb + 6 ? k - 6 : tb, k, k);
			if (spk >= 0 && make_indirect(c, out, k + n + 1, end, k, n, spk))
				return 1;
		}
		/* "CLAUSE, said X[, ...]", "CLAUSE, X said[, ...]", "CLAUSE - пишет X" */
		size_t cm = k;
		while (cm > tb && k - cm < 6 && !is_comma_or_dash(c, cm - 1))
			cm--;
		/* (not "CLAUSE, X notes: ...": the colon leads into what X says) */
		if (!has_cue && cm > tb + 4 && is_comma_or_dash(c, cm - 1) && !determiner_after(c, k + n) &&
		    (k + n >= c->ntok || !ns_claim__is_punct(c, k + n, ':')) &&
		    (c->tok[tb].kind != NS_TOK_WORD || c->tok_actor[tb] < 0 || cm > tb + 6)) {
			size_t lim = k + n;
			while (lim < end && !ns_claim__is_punct(c, lim, ','))
				lim++;
			/* "CLAUSE, X announced it had ...": the verb has an object of its own;
			 * "CLAUSE, escreve ... X" (verb first) is an attribution however long */
			if (cm != k && lim - (k + n) >= 8)
				continue;
			/* not a report: "Leaders in Moscow, however, argue ...", "A Rússia, no
			 * entanto, diz ..." (the subject before a discourse adverb), "When asked
			 * if ..., X said" (a subordinate clause) */
			static const char *const adv[] = {"however", "though", "meanwhile", "entanto", "entretanto", "porém",
				"contudo", "однако", "впрочем", "обаче", NULL};
			static const char *const sub[] = {"when", "while", "quando", "enquanto", "когда",
				"когато", NULL};
			int skip = 0;
			for (const char *const *w = adv; *w && !skip; w++)
				skip = ns_claim__word_is(&c->tok[cm - 2], *w);
			for (const char *const *w = sub; *w && !skip; w++)
				skip = ns_claim__word_is(&c->tok[tb], *w);
			if (skip)
				continue;
			int32_t spk = cm == k ? ns_claim__speaker_after(c, k + n, lim, SIZE_MAX) : ns_claim__speaker_near(c, cm, k, k);
			if (make_indirect(c, out, tb, cm - 1, k, n, spk))
				return 1;
			continue;
		}
		if (c->en && k > tb && k + n + 3 < end && c->tok[k + n].kind == NS_TOK_WORD) {
			/* English "X said Russia will ..." (no "that") */
			static const char *const stop[] = {"to", "in", "on", "at", "by", "for", "with", "about", "as",
				"was", "is", "of", "from", "and", "but", NULL};
			/* "said on Thursday it was", "said Monday it will": a day or time word
			 * between the verb and its clause */
			static const char *const when[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
				"sunday", "yesterday", "today", "earlier", "recently", "later", "previously", NULL};
			size_t ts = k + n;
			for (int step = 0; step < 2 && ts + 3 < end; step++) {
				int w = 0;
				for (const char *const *x = when; *x && !w; x++)
					w = ns_claim__word_is(&c->tok[ts], *x) ||
					    (ns_claim__word_is(&c->tok[ts], "on") && ns_claim__word_is(&c->tok[ts + 1], *x));
				if (!w)
					break;
				ts += ns_claim__word_is(&c->tok[ts], "on") ? 2 : 1;
			}
			const ns_token *nt = &c->tok[ts];
			int bad = 0;
			for (const char *const *w = stop; *w; w++)
				bad |= ns_claim__word_is(nt, *w);
			static const char *const zero[] = {"said", "says", "say", "warned", "claimed", "argued", "insisted",
				"believes", "stated", "added", "thinks", "admitted", "admits", "warn", "argue", "believe", NULL};
			int ok = 0;
			for (const char *const *w = zero; *w; w++)
				ok |= ns_claim__word_is(&c->tok[k], *w);
			if (!ok)
				continue;
			/* the subject right before the verb, past an adverb or auxiliary
			 * ("Police have said", "the ministry both said") */
			static const char *const adv[] = {"also", "both", "have", "has", "had", "recently", "previously",
				"reportedly", "repeatedly", NULL};
			size_t sj = k - 1;
			for (int step = 0; step < 2 && sj > tb; step++) {
				int a = 0;
				for (const char *const *x = adv; *x && !a; x++)
					a = ns_claim__word_is(&c->tok[sj], *x);
				if (!a)
					break;
				sj--;
			}
			int32_t subj = c->tok_actor[sj];
			int pron = ns_claim__cue(c, sj, NS_CLAIM_CUE_PRON_SG, NULL) || ns_claim__cue(c, sj, NS_CLAIM_CUE_PRON_PL, NULL);
			/* a plural common noun as the subject ("Critics have argued", "Police
			 * have said", "Officials say"): a source with no name */
			static const char *const group[] = {"critics", "police", "officials", "experts", "analysts",
				"scientists", "researchers", "activists", "observers", "authorities", "sources", "residents",
				"witnesses", "diplomats", "lawmakers", "economists", "investigators", "campaigners", NULL};
			int generic = 0;
			for (const char *const *x = group; *x && !generic; x++)
				generic = ns_claim__word_is(&c->tok[sj], *x);
			if (bad || (subj < 0 && !pron && !generic && !ns_claim__cue(c, sj, NS_CLAIM_CUE_ROLE, NULL)))
				continue;
			int32_t spk = ns_claim__speaker_near(c, k > tb + 6 ? k - 6 : tb, k, k);
			if ((spk >= 0 || (generic && subj < 0)) && make_indirect(c, out, ts, clause_end(c, ts, end), k, n, spk))
				return 1;
		}
	}
	return 0;
}

/* "CLAUSE. Об этом сообщил X" / "Това заяви X": sentence s points back at s-1. */
static int this_pattern(ns_claim_ctx *c, size_t s, ns_quote *out)
{
	const ns_sentence *se = &c->doc->sentences[s], *pv = &c->doc->sentences[s - 1];
	size_t tb = se->tok_begin, n0 = ns_claim__cue(c, tb, NS_CLAIM_CUE_THIS, NULL);
	if (!n0)
		return 0;
	/* "Об этом в интервью The Washington Post заявил X": the verb within eight
	 * tokens, before any comma */
	for (size_t k = tb + n0; k < se->tok_end && k < tb + n0 + 8 && !ns_claim__is_punct(c, k, ','); k++) {
		size_t n = ns_claim__cue(c, k, NS_CLAIM_CUE_SAY, NULL);
		if (!n)
			continue;
		/* "Об этом она рассказала": a subject before the verb, else after it;
		 * a person after the verb beats a body before it ("Об этом в интервью
		 * Reuters заявил ... Андрей Ермак") */
		int32_t spk = k > tb + n0 ? ns_claim__speaker_near(c, tb + n0, k, k) : -1;
		int32_t after = ns_claim__speaker_after(c, k + n, se->tok_end, SIZE_MAX);
		if (spk < 0 || (after >= 0 && ns_claim__personish(c, after) && !ns_claim__personish(c, spk)))
			spk = after;
		if (spk < 0)
			spk = ns_claim__resolve_ref(c, k, NS_CLAIM_CUE_PRON_SG);
		if (spk < 0)
			return 0;
		return make_indirect(c, out, pv->tok_begin, pv->tok_end, k, n, spk);
	}
	return 0;
}

/* First actor of a speaker type starting in tokens [a, b), or -1. */
static int32_t first_speaker(const ns_claim_ctx *c, size_t a, size_t b)
{
	for (size_t t = a; t < b; t++) {
		int32_t x = c->tok_actor[t];
		if (x >= 0 && c->act_tok[x] == t && ns_claim__speaker_type_ok(c->act[x].type) && !c->act[x].adj)
			return x;
	}
	return -1;
}

/* A name that can head a headline as its source: a person or an organisation
 * ("Kremlin: ..."), or a name shape of one or two words ("... - Бужанский"). */
static int headline_name(const ns_claim_ctx *c, int32_t a)
{
	uint8_t t = c->act[a].type;
	return t == NS_ACTOR_PERSON || t == NS_ACTOR_ORG ||
	       (t == NS_ACTOR_UNKNOWN && c->act_tok_end[a] - c->act_tok[a] <= 2);
}

/* A headline that reports a statement without a clause: "X: STATEMENT",
 * "STATEMENT - X", "STATEMENT, X warns". A headline is a line of at most 40
 * tokens of its own (tokens [b, end), followed by a line break) that holds no
 * other quote; "X: STATEMENT" (the name, after at most four words of title,
 * right before a colon among the first six tokens: "Глава ОП Украины Ермак:
 * ...") heads any such line, the other two shapes only the first line of the
 * document. Returns 1 and fills out when it is one. */
static int headline(ns_claim_ctx *c, const ns_quote *q, size_t nq, size_t b, size_t *budget, ns_quote *out)
{
	size_t end = b + 1;
	while (end < c->ntok && !newline_before(c, end))
		end++;
	if (end >= c->ntok || end - b > 40 || end - b < 4)
		return 0;
	int32_t colon_spk = -1;
	size_t colon = SIZE_MAX;
	for (size_t t = b + 1; t < end && t <= b + 5; t++) {
		if (!ns_claim__is_punct(c, t, ':'))
			continue;
		int32_t spk = c->tok_actor[t - 1];
		/* words before the name are a title: a role noun among them, or a person */
		int title = 1, role = spk >= 0 && c->act[spk].type == NS_ACTOR_PERSON;
		for (size_t k = b; spk >= 0 && k < c->act_tok[spk] && title; k++) {
			title = c->tok[k].kind == NS_TOK_WORD;
			role |= ns_claim__cue(c, k, NS_CLAIM_CUE_ROLE, NULL) > 0;
		}
		if (spk >= 0 && c->act_tok[spk] > b && !role)
			title = 0;
		if (spk >= 0 && c->act_tok_end[spk] == t && title && ns_claim__speaker_type_ok(c->act[spk].type) &&
		    !c->act[spk].adj && headline_name(c, spk)) {
			colon_spk = spk;
			colon = t;
		}
		break;
	}
	if ((b > 0 && colon == SIZE_MAX) || *budget == 0)
		return 0;
	(*budget)--; /* the scan below is over all quotes: a bounded number of times */
	uint32_t s0 = c->tok[b].start, e0 = c->tok[end - 1].end;
	for (size_t i = 0; i < nq; i++) {
		if (q[i].text.start < e0 && q[i].text.end > s0 &&
		    (q[i].kind == NS_QUOTE_INDIRECT || words_over(c, &q[i], 4)))
			return 0;
	}
	if (colon != SIZE_MAX)
		return make_indirect(c, out, colon + 1, end, colon, 1, colon_spk);
	size_t last = end;
	while (last > b && c->tok[last - 1].kind == NS_TOK_PUNCT && !is_comma_or_dash(c, last - 1))
		last--;
	/* "STATEMENT - X" / "STATEMENT, X warns": a short tail after the last comma or dash */
	for (size_t t = last; t-- > b + 2 && last - t <= 5;) {
		if (!is_comma_or_dash(c, t))
			continue;
		size_t sayn = 0, say = find_say(c, t + 1, last, 1, &sayn);
		int32_t spk = first_speaker(c, t + 1, last);
		int dash = !ns_claim__is_punct(c, t, ',');
		if (say != SIZE_MAX && say + sayn == last)
			return make_indirect(c, out, b, t, say, sayn, spk);
		if (dash && spk >= 0 && c->act_tok[spk] == t + 1 && c->act_tok_end[spk] == last && headline_name(c, spk))
			return make_indirect(c, out, b, t, t, 1, spk);
		break;
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
	/* indirect speech in the parts of each sentence outside direct quotes; quoted
	 * fragments of up to 4 words inside a reported clause do not split it */
	size_t qi = 0, ndirect = kept, prev_had = 1;
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
		if (*nq >= NS_CLAIM_MAX_QUOTES)
			break;
		int had = 0;
		size_t seg = se->tok_begin;
		for (size_t k = qi; k <= ndirect; k++) {
			size_t seg_end = se->tok_end, next = SIZE_MAX;
			if (k < ndirect && (*q)[k].text.start < se->end) {
				had = 1;
				if (!words_over(c, &(*q)[k], 4))
					continue;
				seg_end = ns_claim__tok_at(c, (*q)[k].text.start > 0 ? (*q)[k].text.start - 1 : 0);
				next = ns_claim__tok_at(c, (*q)[k].text.end + 1);
			}
			if (seg_end > seg + 2) {
				ns_quote tmp;
				int has_cue = 0;
				uint32_t s0 = c->tok[seg].start, e0 = c->tok[seg_end - 1].end;
				for (size_t k2 = qi; k2 < ndirect && (*q)[k2].text.start < se->end + 1; k2++)
					if ((*q)[k2].cue.end > (*q)[k2].cue.start && (*q)[k2].cue.start >= s0 &&
					    (*q)[k2].cue.start < e0)
						has_cue = 1;
				size_t from = seg;
				while (from + 2 < seg_end && *nq < NS_CLAIM_MAX_QUOTES &&
				       indirect_in(c, from, seg_end, seg_end < se->tok_end, has_cue, &tmp)) {
					if (NS_GROW(*q, *cap, *nq + 1) < 0)
						return NS_ENOMEM;
					(*q)[(*nq)++] = tmp;
					c->dq = *q;
					had = 1;
					if (tmp.actor >= 0) {
						c->last_spk = tmp.actor;
						c->last_end = tmp.text.end;
					}
					/* a second report in the same sentence starts after this one */
					size_t nx = ns_claim__tok_at(c, tmp.text.end);
					if (nx <= from || tmp.text.start < c->tok[from].start)
						break;
					from = nx;
				}
			}
			if (next == SIZE_MAX || next >= se->tok_end)
				break;
			seg = next;
		}
		if (!had && s > 0 && !prev_had && *nq < NS_CLAIM_MAX_QUOTES) {
			ns_quote tmp;
			if (this_pattern(c, s, &tmp)) {
				if (NS_GROW(*q, *cap, *nq + 1) < 0)
					return NS_ENOMEM;
				(*q)[(*nq)++] = tmp;
				c->dq = *q;
				had = 1;
				if (tmp.actor >= 0) {
					c->last_spk = tmp.actor;
					c->last_end = tmp.text.end;
				}
			}
		}
		prev_had = had;
	}
	/* headlines: the first line, then "X: STATEMENT" lines (at most 64 found,
	 * 256 tried) */
	size_t budget = 256;
	for (size_t t = 0, found = 0; t < c->ntok && found < 64 && budget > 0 && *nq < NS_CLAIM_MAX_QUOTES; t++) {
		ns_quote tmp;
		if (!newline_before(c, t))
			continue;
		if (headline(c, *q, *nq, t, &budget, &tmp)) {
			if (NS_GROW(*q, *cap, *nq + 1) < 0)
				return NS_ENOMEM;
			(*q)[(*nq)++] = tmp;
			c->dq = *q;
			found++;
		}
	}
	/* drop short direct fragments that now sit inside an indirect quote */
	size_t w = 0;
	for (size_t i = 0; i < *nq; i++) {
		const ns_quote *x = &(*q)[i];
		int inside = 0;
		if (x->kind == NS_QUOTE_DIRECT && !words_over(c, x, 4))
			for (size_t k = ndirect; k < *nq && !inside; k++)
				inside = (*q)[k].text.start <= x->text.start && x->text.end <= (*q)[k].text.end + 1;
		if (i < ndirect && inside)
			continue;
		(*q)[w++] = (*q)[i];
		if (i < ndirect && !inside)
			continue;
	}
	ndirect -= (*nq - w);
	*nq = w;
	c->dq = *q;
	c->ndq = ndirect;
	return 0;
}
