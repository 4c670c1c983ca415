/* Learned openers of explanations: per language, and per dominant narrative
 * within a language, the phrase annotators most often begin an explanation with
 * ("The text presents ...", "इस रिपोर्ट का मुख्य उद्देश्य ..."), plus the ROUGE-L
 * tokeniser and LCS the choice is scored with.
 *
 * DESIGN: candidates are word prefixes (2..opener_max words, quotation marks
 * removed) shared by at least opener_min training explanations of the language
 * that end with a joining word ("that", "que", "что", "че", "कि", ...) and name
 * nobody (no capitalised word after the first), a few hand-written openers per
 * language, the narrative's built-in phrase and the empty opener. Each candidate is scored by the ROUGE-L F1 of (candidate + generated
 * body) against the gold explanation of every training article of the language;
 * the language opener maximises the sum over the language, a narrative opener
 * the sum over that narrative's articles (when it has at least opener_group).
 * Only training articles are seen, so CV retrains it per fold. The built-in
 * per-narrative phrases ("The text discredits Ukraine and claims that") live here
 * too: they are opener candidates and the English fallback opener. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "eval/eval.h"
#include "explain.h"

/* The token definition of src/eval/eval_text.c (ns_eval_word_cp): maximal runs
 * of letters, marks and numbers, lower-cased code point by code point; tokens are
 * hashed. */
int ns_explain__rtok(ns_explain_toks *t, const char *s, size_t n)
{
	uint64_t h = 0;
	size_t len = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t cp = ' ';
		bool bad = true;
		size_t k = 1;
		if (i < n)
			k = ns_utf8_decode(s + i, n - i, &cp, &bad);
		if (i < n && !bad && ns_eval_word_cp(cp)) {
			h = ns_hash_mix(h ^ 0x51ed, (uint64_t)utf8proc_tolower((utf8proc_int32_t)cp));
			len++;
		} else if (len) {
			if (NS_GROW(t->id, t->cap, t->n + 1) < 0)
				return NS_ENOMEM;
			t->id[t->n++] = h | 1;
			h = 0;
			len = 0;
		}
		i += k;
	}
	return 0;
}

int ns_explain__lcs(size_t *out, const ns_explain_toks *ref, const ns_explain_toks *hyp, size_t **row,
		    size_t *rowcap)
{
	*out = 0;
	if (ref->n == 0 || hyp->n == 0)
		return 0;
	if (NS_GROW(*row, *rowcap, 2 * (ref->n + 1)) < 0)
		return NS_ENOMEM;
	size_t *prev = *row, *cur = *row + ref->n + 1;
	memset(prev, 0, (ref->n + 1) * sizeof *prev);
	cur[0] = 0;
	for (size_t i = 0; i < hyp->n; i++) {
		uint64_t h = hyp->id[i];
		for (size_t j = 1; j <= ref->n; j++)
			cur[j] = ref->id[j - 1] == h ? prev[j - 1] + 1 : (prev[j] > cur[j - 1] ? prev[j] : cur[j - 1]);
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	*out = prev[ref->n];
	return 0;
}

int ns_explain__rouge(double *out, const ns_explain_toks *ref, const ns_explain_toks *hyp, size_t **row,
		      size_t *rowcap)
{
	size_t m = 0;
	*out = 0.0;
	if (ref->n == 0 && hyp->n == 0) {
		*out = 1.0;
		return 0;
	}
	int rc = ns_explain__lcs(&m, ref, hyp, row, rowcap);
	if (rc == 0 && m) {
		double p = (double)m / (double)hyp->n, r = (double)m / (double)ref->n;
		*out = 2.0 * p * r / (p + r);
	}
	return rc;
}

/* ---- candidate phrases ---- */

/* Length of a quotation mark at s[0..n) (", «, », “, ”, „), else 0. */
static size_t quote_mark(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == '"')
		return 1;
	if (u[0] == 0xC2 && n > 1 && (u[1] == 0xAB || u[1] == 0xBB))
		return 2;
	if (u[0] == 0xE2 && n > 2 && u[1] == 0x80 && (u[2] == 0x9C || u[2] == 0x9D || u[2] == 0x9E))
		return 3;
	return 0;
}

/* The first k words of s (quotation marks removed, white space squeezed) into b;
 * returns the number of words written. */
static size_t first_words(ns_buf *b, const char *s, size_t n, size_t k)
{
	size_t w = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		size_t q = quote_mark(s + i, n - i);
		if (q) {
			i += q - 1;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		int sp = c == ' ' || c == '\n' || c == '\t' || c == '\r';
		if (sp) {
			in = 0;
			continue;
		}
		if (!in) {
			if (w == k)
				break;
			w++;
			if (b->size)
				ns_buf_putc(b, ' ');
		}
		in = 1;
		ns_buf_putc(b, (char)c);
	}
	return w;
}

/* Words that join an opener to the article's sentence (the opener must end
 * with one, so that "opener + sentence" reads as one clause), and further
 * hand-written openers offered as candidates, per language. */
static const char *const joiners[] = {"that", "how", "which", "que", "что", "как", "че", "कि", NULL};

static const struct {
	const char *lang, *text;
} extra[] = {
	{"en", "The text claims that"}, {"en", "The article talks about how"},
	{"bg", "В статията се твърди, че"}, {"bg", "Статията твърди, че"}, {"bg", "Коментира се, че"},
	{"bg", "Описва се как"}, {"bg", "Акцентира се върху това, че"},
	{"ru", "В статье говорится, что"}, {"ru", "Статья утверждает, что"},
	{"ru", "В статье рассказывается о том, что"},
	{"pt", "O texto refere que"}, {"pt", "O texto mostra que"}, {"pt", "O autor do texto afirma que"},
	{"hi", "इस लेख में चर्चा की गई है कि"}, {"hi", "इस रिपोर्ट में कहा गया है कि"},
	{"hi", "इस रिपोर्ट का मुख्य उद्देश्य यह दिखाना है कि"},
};

/* What the text does, per narrative (the label after "URW: " / "CC: "), said the
 * way annotators describe it ("The text discredits Ukraine ..."), in the
 * languages the shared task covers; an opener is this phrase + the language's
 * "and claims that". Labels not listed keep the language's plain opener. */
typedef struct narr_phrase {
	const char *label, *en, *pt, *ru, *bg, *hi;
} narr_phrase;

static const narr_phrase narr_phrases[] = {
	{"Discrediting Ukraine", "The text discredits Ukraine", "O texto desacredita a Ucrânia",
	 "Статья дискредитирует Украину", "Статията дискредитира Украйна",
	 "इस रिपोर्ट का उद्देश्य यूक्रेन को बदनाम करना है"},
	{"Discrediting the West, Diplomacy", "The text discredits the West and its diplomacy",
	 "O texto desacredita o Ocidente e a sua diplomacia", "Статья дискредитирует Запад и его дипломатию",
	 "Статията дискредитира Запада и неговата дипломация",
	 "इस रिपोर्ट का उद्देश्य पश्चिम और उसकी कूटनीति को बदनाम करना है"},
	{"Praise of Russia", "The text praises Russia", "O texto elogia a Rússia", "Статья восхваляет Россию",
	 "Статията възхвалява Русия",
	 "इस रिपोर्ट का उद्देश्य रूस की प्रशंसा करना है"},
	{"Amplifying war-related fears", "The text amplifies fears related to the war",
	 "O texto amplifica os medos relacionados com a guerra", "Статья нагнетает страх перед войной",
	 "Статията засилва страха от войната",
	 "इस रिपोर्ट का उद्देश्य युद्ध संबंधी आशंकाओं को बढ़ाना है"},
	{"Blaming the war on others rather than the invader", "The text blames the war on others than Russia",
	 "O texto culpa outros pela guerra, e não a Rússia", "Статья возлагает вину за войну на других, а не на Россию",
	 "Статията обвинява за войната други, а не Русия",
	 "इस रिपोर्ट का उद्देश्य युद्ध का दोष रूस के बजाय दूसरों पर मढ़ना है"},
	{"Speculating war outcomes", "The text speculates about the outcome of the war",
	 "O texto especula sobre o desfecho da guerra", "Статья строит прогнозы об исходе войны",
	 "Статията спекулира за изхода от войната",
	 "इस रिपोर्ट का उद्देश्य युद्ध के परिणामों का अनुमान लगाना है"},
	{"Russia is the Victim", "The text presents Russia as the victim", "O texto apresenta a Rússia como vítima",
	 "Статья представляет Россию жертвой", "Статията представя Русия като жертва",
	 "इस रिपोर्ट का उद्देश्य रूस को पीड़ित दिखाना है"},
	{"Distrust towards Media", "The text expresses distrust towards the media",
	 "O texto exprime desconfiança em relação aos meios de comunicação", "Статья выражает недоверие к СМИ",
	 "Статията изразява недоверие към медиите",
	 "इस रिपोर्ट का उद्देश्य मीडिया के प्रति अविश्वास पैदा करना है"},
	{"Negative Consequences for the West", "The text stresses negative consequences for the West",
	 "O texto sublinha as consequências negativas para o Ocidente", "Статья подчеркивает негативные последствия для Запада",
	 "Статията подчертава негативните последствия за Запада",
	 "इस रिपोर्ट का उद्देश्य पश्चिम के लिए नकारात्मक परिणामों को उजागर करना है"},
	{"Overpraising the West", "The text overpraises the West", "O texto elogia excessivamente o Ocidente",
	 "Статья чрезмерно восхваляет Запад", "Статията прекомерно възхвалява Запада",
	 "इस रिपोर्ट का उद्देश्य पश्चिम की अत्यधिक प्रशंसा करना है"},
	{"Hidden plots by secret schemes of powerful groups", "The text suggests hidden plots by powerful groups",
	 "O texto sugere conspirações secretas de grupos poderosos", "Статья намекает на тайные заговоры влиятельных групп",
	 "Статията намеква за тайни заговори на влиятелни групи",
	 "इस रिपोर्ट का उद्देश्य शक्तिशाली समूहों की गुप्त साजिशों की ओर इशारा करना है"},
	{"Amplifying Climate Fears", "The text amplifies fears about climate change",
	 "O texto amplifica os medos sobre as alterações climáticas", "Статья нагнетает страх перед изменением климата",
	 "Статията засилва страха от климатичните промени",
	 "इस रिपोर्ट का उद्देश्य जलवायु परिवर्तन संबंधी आशंकाओं को बढ़ाना है"},
	{"Criticism of institutions and authorities", "The text criticises institutions and authorities",
	 "O texto critica as instituições e as autoridades", "Статья критикует институты и власти",
	 "Статията критикува институциите и властите",
	 "इस रिपोर्ट का उद्देश्य संस्थाओं और अधिकारियों की आलोचना करना है"},
	{"Criticism of climate policies", "The text criticises climate policies", "O texto critica as políticas climáticas",
	 "Статья критикует климатическую политику", "Статията критикува климатичните политики",
	 "इस रिपोर्ट का उद्देश्य जलवायु नीतियों की आलोचना करना है"},
	{"Criticism of climate movement", "The text criticises the climate movement",
	 "O texto critica o movimento climático", "Статья критикует климатических активистов",
	 "Статията критикува климатичните активисти",
	 "इस रिपोर्ट का उद्देश्य जलवायु आंदोलन की आलोचना करना है"},
	{"Downplaying climate change", "The text downplays climate change", "O texto minimiza as alterações climáticas",
	 "Статья преуменьшает изменение климата", "Статията омаловажава климатичните промени",
	 "इस रिपोर्ट का उद्देश्य जलवायु परिवर्तन को कम करके आंकना है"},
	{"Questioning the measurements and science", "The text questions climate measurements and science",
	 "O texto questiona as medições e a ciência do clima", "Статья ставит под сомнение климатическую науку",
	 "Статията поставя под съмнение климатичната наука",
	 "इस रिपोर्ट का उद्देश्य जलवायु विज्ञान और मापों पर सवाल उठाना है"},
	{"Controversy about green technologies", "The text questions green technologies",
	 "O texto questiona as tecnologias verdes", "Статья ставит под сомнение зелёные технологии",
	 "Статията поставя под съмнение зелените технологии",
	 "इस रिपोर्ट का उद्देश्य हरित प्रौद्योगिकियों पर सवाल उठाना है"},
	{"Climate change is beneficial", "The text presents climate change as beneficial",
	 "O texto apresenta as alterações climáticas como benéficas", "Статья представляет изменение климата полезным",
	 "Статията представя климатичните промени като полезни",
	 "इस रिपोर्ट का उद्देश्य जलवायु परिवर्तन को लाभकारी दिखाना है"},
	{"Green policies are geopolitical instruments", "The text presents green policies as geopolitical instruments",
	 "O texto apresenta as políticas verdes como instrumentos geopolíticos",
	 "Статья представляет зелёную политику геополитическим инструментом",
	 "Статията представя зелените политики като геополитически инструмент",
	 "इस रिपोर्ट का उद्देश्य हरित नीतियों को भू-राजनीतिक साधन के रूप में दिखाना है"},
};

const char *ns_explain__narr_phrase(char *buf, size_t size, const char *narrative, const char *lang)
{
	static const char *const tail[][2] = {
		{"en", "and claims that"}, {"pt", "e refere que"}, {"ru", "и утверждает, что"}, {"bg", "и твърди, че"},
		{"hi", "और इसमें कहा गया है कि"},
	};
	if (!narrative)
		return NULL;
	const char *lb = strstr(narrative, ": ");
	lb = lb ? lb + 2 : narrative;
	for (size_t i = 0; i < sizeof narr_phrases / sizeof narr_phrases[0]; i++) {
		const narr_phrase *np = &narr_phrases[i];
		if (strcmp(np->label, lb) != 0)
			continue;
		const char *ph[] = {np->en, np->pt, np->ru, np->bg, np->hi};
		for (size_t k = 0; k < 5; k++)
			if (!strcmp(lang, tail[k][0])) {
				snprintf(buf, size, "%s %s", ph[k], tail[k][1]);
				return buf;
			}
	}
	return NULL;
}

/* Is s[0..n) (words separated by single spaces) a usable opener: it ends with a
 * joiner and no word but the first starts with a capital letter (a name would
 * belong to another article)? */
static int usable(const char *s, size_t n, int join)
{
	size_t lw = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ') {
			lw = i + 1;
			uint32_t cp = 0;
			bool bad = false;
			if (i + 1 < n)
				ns_utf8_decode(s + i + 1, n - i - 1, &cp, &bad);
			if (!bad && utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU)
				return 0;
		}
	if (!join)
		return 1;
	size_t ll = n - lw;
	while (ll > 0 && (s[lw + ll - 1] == ',' || s[lw + ll - 1] == ':'))
		ll--;
	for (size_t k = 0; joiners[k]; k++) {
		size_t jl = strlen(joiners[k]);
		if (ll == jl && !memcmp(s + lw, joiners[k], jl))
			return 1;
	}
	return 0;
}

typedef struct pref {
	uint64_t key;
	uint32_t ex, len;
} pref;

static int cmp_pref(const void *x, const void *y)
{
	const pref *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->ex < b->ex ? -1 : a->ex > b->ex;
}

typedef struct cand {
	char *text;
	ns_explain_toks t;
} cand;

static int cand_add(cand **c, size_t *n, size_t *cap, const char *text, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*c)[i].text) == len && !memcmp((*c)[i].text, text, len))
			return 0;
	if (NS_GROW(*c, *cap, *n + 1) < 0)
		return NS_ENOMEM;
	cand *x = &(*c)[*n];
	memset(x, 0, sizeof *x);
	if (!(x->text = ns_strndup(text, len)))
		return NS_ENOMEM;
	(*n)++;
	return ns_explain__rtok(&x->t, text, len);
}

static int opener_add(ns_explain_model *m, const char *lang, uint64_t lab, const char *text)
{
	if (NS_GROW(m->openers, m->opcap, m->nopeners + 1) < 0)
		return NS_ENOMEM;
	ns_explain_opener *o = &m->openers[m->nopeners];
	memset(o, 0, sizeof *o);
	snprintf(o->lang, sizeof o->lang, "%s", lang);
	o->lab = lab;
	if (!(o->text = ns_strdup(text)))
		return NS_ENOMEM;
	m->nopeners++;
	return 0;
}

/* Index of the candidate with the highest score sum over the rows of S (cands x
 * docs) whose doc is selected by sel (NULL: all); ties go to the earlier one. */
static size_t best_cand(const double *S, size_t nc, size_t nd, const int *sel)
{
	size_t best = 0;
	double bs = -1;
	for (size_t c = 0; c < nc; c++) {
		double s = 0;
		for (size_t d = 0; d < nd; d++)
			if (!sel || sel[d])
				s += S[c * nd + d];
		if (s > bs + 1e-9) {
			bs = s;
			best = c;
		}
	}
	return best;
}

/* Openers of one language: ix[0..nd) are the example indices of the language. */
static int learn_lang(ns_explain_model *m, const ns_explain_example *ex, const size_t *ix, size_t nd,
		      const ns_explain_toks *gt, const ns_explain_toks *bt)
{
	const ns_explain_params *p = &m->p;
	const char *lang = ex[ix[0]].doc->lang;
	pref *pr = NULL;
	cand *c = NULL;
	double *S = NULL;
	int *sel = NULL;
	size_t npr = 0, prcap = 0, nc = 0, ccap = 0, *row = NULL, rowcap = 0;
	uint64_t *labs = NULL;
	size_t *phrase = NULL; /* per narrative k: index of its own phrase among the candidates, or SIZE_MAX */
	ns_explain_toks hyp = {0};
	ns_buf b = NS_BUF_INIT;
	int rc = 0;
	size_t maxw = p->opener_max < 2 ? 2 : (size_t)p->opener_max;
	/* shared prefixes */
	for (size_t d = 0; d < nd; d++) {
		const ns_doc *g = ex[ix[d]].gold;
		for (size_t k = 1; k <= maxw; k++) {
			ns_buf_clear(&b);
			if (first_words(&b, g->text, g->len, k) < k)
				break;
			uint64_t h = ns_hash64(b.ptr, b.size, 11);
			if (k < 2)
				continue;
			if (NS_GROW(pr, prcap, npr + 1) < 0) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			pr[npr].key = h;
			pr[npr].ex = (uint32_t)d;
			pr[npr].len = (uint32_t)k;
			npr++;
		}
	}
	if (npr)
		qsort(pr, npr, sizeof *pr, cmp_pref);
	if ((rc = cand_add(&c, &nc, &ccap, "", 0)) < 0)
		goto cleanup;
	const ns_explain_lang *bl = ns_explain__lang(m, lang);
	if (bl && bl->opener && (rc = cand_add(&c, &nc, &ccap, bl->opener, strlen(bl->opener))) < 0)
		goto cleanup;
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		if (!strcmp(extra[i].lang, lang) && (rc = cand_add(&c, &nc, &ccap, extra[i].text, strlen(extra[i].text))) < 0)
			goto cleanup;
	for (size_t i = 0; i < npr;) {
		size_t j = i;
		while (j < npr && pr[j].key == pr[i].key)
			j++;
		if (j - i >= (size_t)p->opener_min) {
			const ns_doc *g = ex[ix[pr[i].ex]].gold;
			ns_buf_clear(&b);
			first_words(&b, g->text, g->len, pr[i].len);
			if (ns_buf_failed(&b)) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			if (usable(b.ptr, b.size, p->opener_join) && (rc = cand_add(&c, &nc, &ccap, b.ptr, b.size)) < 0) {
				rc = rc < 0 ? rc : NS_ENOMEM;
				goto cleanup;
			}
		}
		i = j;
	}
	size_t nfixed = nc; /* narrative phrases are added per group below */
	/* distinct narratives of the language */
	size_t nl = 0;
	labs = ns_malloc((nd + 1) * sizeof *labs);
	sel = ns_malloc((nd + 1) * sizeof *sel);
	if (!labs || !sel) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t d = 0; d < nd; d++) {
		uint64_t l = ns_explain__label_key(ex[ix[d]].narrative);
		size_t k = 0;
		while (k < nl && labs[k] != l)
			k++;
		if (k == nl)
			labs[nl++] = l;
	}
	if (!(phrase = ns_malloc((nl + 1) * sizeof *phrase))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k < nl; k++) {
		char buf[512];
		size_t d = 0;
		while (ns_explain__label_key(ex[ix[d]].narrative) != labs[k])
			d++;
		const char *ph = ns_explain__narr_phrase(buf, sizeof buf, ex[ix[d]].narrative, lang);
		phrase[k] = SIZE_MAX;
		if (ph && (rc = cand_add(&c, &nc, &ccap, ph, strlen(ph))) < 0)
			goto cleanup;
		for (size_t ci = nfixed; ph && ci < nc; ci++)
			if (!strcmp(c[ci].text, ph))
				phrase[k] = ci;
	}
	S = ns_malloc((nc * nd + 1) * sizeof *S);
	if (!S) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t ci = 0; ci < nc; ci++)
		for (size_t d = 0; d < nd; d++) {
			hyp.n = 0;
			if (NS_GROW(hyp.id, hyp.cap, c[ci].t.n + bt[d].n + 1) < 0) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			if (c[ci].t.n)
				memcpy(hyp.id, c[ci].t.id, c[ci].t.n * sizeof *hyp.id);
			if (bt[d].n)
				memcpy(hyp.id + c[ci].t.n, bt[d].id, bt[d].n * sizeof *hyp.id);
			hyp.n = c[ci].t.n + bt[d].n;
			if ((rc = ns_explain__rouge(&S[ci * nd + d], &gt[d], &hyp, &row, &rowcap)) < 0)
				goto cleanup;
		}
	/* language opener: fixed candidates only (narrative phrases fit one narrative) */
	size_t lb = best_cand(S, nfixed, nd, NULL);
	if ((rc = opener_add(m, lang, 0, c[lb].text)) < 0)
		goto cleanup;
	for (size_t k = 0; k < nl; k++) {
		size_t cnt = 0;
		for (size_t d = 0; d < nd; d++) {
			sel[d] = ns_explain__label_key(ex[ix[d]].narrative) == labs[k];
			cnt += (size_t)sel[d];
		}
		if (cnt < (size_t)p->opener_group)
			continue;
		/* the fixed candidates or the narrative's own phrase: another narrative's
		 * phrase would name the wrong narrative however well its words fit */
		size_t nb = best_cand(S, nfixed, nd, sel);
		if (phrase[k] != SIZE_MAX) {
			double a = 0, o = 0;
			for (size_t d = 0; d < nd; d++)
				if (sel[d]) {
					a += S[nb * nd + d];
					o += S[phrase[k] * nd + d];
				}
			if (o > a + 1e-9)
				nb = phrase[k];
		}
		if (nb != lb && (rc = opener_add(m, lang, labs[k], c[nb].text)) < 0)
			goto cleanup;
	}
cleanup:
	for (size_t i = 0; i < nc; i++) {
		free(c[i].text);
		free(c[i].t.id);
	}
	free(c);
	free(pr);
	free(S);
	free(sel);
	free(labs);
	free(phrase);
	free(row);
	free(hyp.id);
	ns_buf_free(&b);
	return rc;
}

int ns_explain__learn_openers(ns_explain_model *m, const ns_explain_example *ex, size_t n, char *const *bodies)
{
	ns_explain_toks *gt = ns_calloc(n + 1, sizeof *gt), *bt = ns_calloc(n + 1, sizeof *bt);
	size_t *ix = ns_malloc((n + 1) * sizeof *ix);
	char *done = ns_calloc(n + 1, 1);
	int rc = 0;
	if (!gt || !bt || !ix || !done) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = ns_explain__rtok(&gt[i], ex[i].gold->text, ex[i].gold->len)) < 0 ||
		    (rc = ns_explain__rtok(&bt[i], bodies[i], strlen(bodies[i]))) < 0)
			goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if (done[i] || !ex[i].narrative)
			continue;
		size_t nd = 0;
		for (size_t j = i; j < n; j++)
			if (!done[j] && ex[j].narrative && !strcmp(ex[j].doc->lang, ex[i].doc->lang)) {
				done[j] = 1;
				ix[nd++] = j;
			}
		/* gather the tokens of the language's examples in order */
		ns_explain_toks *g2 = ns_malloc(nd * sizeof *g2), *b2 = ns_malloc(nd * sizeof *b2);
		if (!g2 || !b2) {
			free(g2);
			free(b2);
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (size_t d = 0; d < nd; d++) {
			g2[d] = gt[ix[d]];
			b2[d] = bt[ix[d]];
		}
		rc = learn_lang(m, ex, ix, nd, g2, b2);
		free(g2);
		free(b2);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	for (size_t i = 0; gt && bt && i < n; i++) {
		free(gt[i].id);
		free(bt[i].id);
	}
	free(gt);
	free(bt);
	free(ix);
	free(done);
	return rc;
}

const char *ns_explain__opener(const ns_explain_model *m, const char *lang, uint64_t lab)
{
	const char *dflt = NULL;
	for (size_t i = 0; i < m->nopeners; i++) {
		const ns_explain_opener *o = &m->openers[i];
		if (strcmp(o->lang, lang) != 0)
			continue;
		if (lab && o->lab == lab)
			return o->text;
		if (o->lab == 0)
			dflt = o->text;
	}
	return dflt;
}
