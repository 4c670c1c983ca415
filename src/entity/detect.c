/* Mention detection: gazetteer matches over the document's match units plus
 * name-shaped spans (capitalised runs, Latin and Cyrillic only), with overlaps
 * resolved longest-first; then hands over to link.c.
 *
 * DESIGN: order of acceptance is (1) gazetteer matches, longest first, except
 * "weak" ones (a lone person surname or one-word person alias); (2) a weak match
 * only when it is not glued to another capitalised word, so "Wladimir
 * Klitschko" does not become the gazetteer's Vitali Klitschko; (3) name shapes in
 * the gaps. Stop words and office titles (folded, per language) break shape runs,
 * so "President Joe Biden" yields "Joe Biden". A lone capitalised word at the
 * start of a sentence is not taken as a name unless the gazetteer knows it. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Words that are capitalised for reasons other than being names: sentence-start
 * function words, titles, months and days. Compared after folding. */
static const char *const stop_words[] = {
	/* en */
	"the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from",
	"as", "is", "are", "was", "were", "be", "been", "this", "that", "these", "those", "it", "its",
	"he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "my", "your", "who", "what",
	"when", "where", "why", "how", "which", "while", "after", "before", "during", "since", "if",
	"so", "not", "no", "yes", "all", "some", "many", "most", "more", "also", "however", "then",
	"there", "here", "according", "mr", "mrs", "ms", "dr", "sir", "lord", "president", "prime",
	"minister", "secretary", "general", "mayor", "governor", "chancellor", "senator", "sen", "rep",
	"king", "queen", "pope", "chairman", "spokesman", "spokeswoman", "spokesperson", "director",
	"ceo", "head", "chief", "foreign", "defence", "defense", "deputy", "vice", "former", "professor",
	"prof", "colonel", "commander", "ambassador", "envoy", "leader", "state", "said", "says",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
	"february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", "read", "share", "photo", "video", "image", "source", "update",
	"updated", "breaking", "watch", "click", "subscribe", "follow", "like", "just", "now", "even",
	"yet", "still", "why", "because", "although", "though", "meanwhile", "moreover", "instead",
	"unlike", "despite", "amid", "under", "over", "into", "about", "against", "between", "through",
	"do", "does", "did", "has", "have", "had", "will", "would", "can", "could", "should", "must",
	"one", "two", "three", "first", "last", "next", "other", "every", "each", "any", "such", "only",
	"our", "us", "them", "him", "me", "mr.", "op", "ed", "ok", "covid", "god", "analyst", "economist",
	"expert", "journalist", "reporter", "official", "officials", "sources", "adviser", "advisor",
	"columnist", "writer", "author", "editor", "activist", "doctor", "lawyer", "judge", "congressman",
	"congresswoman", "lawmaker", "commissioner", "premier", "candidate",
	/* pt */
	"o", "os", "as", "um", "uma", "de", "da", "do", "das", "dos", "em", "no", "na", "nos", "nas",
	"por", "pelo", "pela", "para", "com", "e", "ou", "mas", "que", "se", "não", "nao", "este", "esta",
	"esse", "essa", "isso", "isto", "ele", "ela", "eles", "elas", "nós", "presidente", "ministro",
	"ministra", "primeiro", "secretário", "secretária", "segundo", "após", "durante", "também",
	"sr", "sra", "dr", "dra", "há", "foi", "é", "são", "já", "ainda", "mais", "como", "quando",
	"onde", "porque", "entre", "sobre", "contra", "sem", "até", "desde", "neste", "nesta", "num",
	"numa", "ao", "aos", "à", "às", "leia", "veja", "foto", "porta-voz", "porta", "voz", "chefe",
	"líder", "diretor", "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
	"agosto", "setembro", "outubro", "novembro", "dezembro", "segunda", "terça", "quarta",
	"quinta", "sexta", "sábado", "domingo", "seu", "sua", "seus", "suas", "todos", "todas",
	/* ru / uk / bg */
	"в", "во", "на", "по", "и", "но", "а", "это", "как", "что", "он", "она", "они", "мы", "я", "вы",
	"его", "ее", "её", "их", "для", "с", "со", "из", "за", "при", "после", "до", "однако", "также",
	"кроме", "если", "когда", "так", "там", "тут", "все", "всё", "еще", "ещё", "уже", "президент",
	"премьер", "министр", "глава", "генсек", "мэр", "губернатор", "канцлер", "спикер", "директор",
	"председатель", "господин", "между", "над", "под", "об", "о", "у", "к", "от", "ну", "да", "нет",
	"не", "ни", "вот", "этот", "эта", "эти", "тот", "та", "те", "который", "которая", "ведь",
	"чтобы", "хотя", "по словам", "кстати", "впрочем", "сегодня", "вчера", "читайте", "фото",
	"видео", "источник", "замглавы", "зампред", "посол", "генерал", "полковник", "командующий",
	"пресс", "секретарь", "представитель", "лидер", "экс", "бывший",
	/* directions: "Южной Азии", "Southern Europe" are not names of their own */
	"south", "southern", "north", "northern", "east", "eastern", "central", "southeast", "southwest",
	"northeast", "northwest", "южный", "северный", "восточный", "центральный", "юго", "северо",
	"южен", "северен", "източен", "централен", "sul", "norte", "leste", "oriental", "centro",
	"і", "й", "та", "але", "це", "він", "вона", "вони", "ми", "з", "із", "після", "міністр",
	"прем'єр", "голова",
	"това", "този", "тази", "тези", "той", "тя", "ние", "аз", "вие", "със", "към", "след", "преди",
	"като", "че", "ако", "когато", "още", "вече", "премиер", "министър", "председател", "кмет",
	"говорител", "г-н", "според", "обаче", "също", "всички", "тук", "ли", "какво", "защо", "как",
	"но", "или", "ако", "при", "снимка", "видео", "източник",
	/* units, abbreviations, ordinals and page furniture that start name shapes
	 * (the most frequent unknown "names" of the training articles) */
	"sun", "related", "i’m", "i'm", "i’ve", "i've", "jan", "feb", "sept", "aug", "oct", "nov", "dec",
	"pm", "tv", "celsius", "co2", "gdp", "gps", "lng", "esg", "gmo", "целзий", "бвп", "ввп", "втора",
	"втората", "трета", "третата", "световна", "световната", "международна", "международната",
	"национална", "националната", "източна", "югоизточна", "централна",
};

/* Connectors allowed inside a name between capitalised words. */
static const char *const connectors[] = {
	"de", "da", "do", "dos", "das", "di", "du", "del", "della", "von", "van", "der", "den", "ter",
	"bin", "ibn", "al", "el", "la", "le", "y", "e", "ван", "фон", "де", "дер", "бин", "ибн", "аль",
	"ал", "ель", "да", "ду",
};

/* Words that mark an unknown multi-word name as an organisation. */
static const char *const org_words[] = {
	"ministry", "party", "group", "bank", "company", "corporation", "inc", "corp", "council",
	"agency", "union", "institute", "university", "foundation", "association", "committee",
	"forces", "army", "office", "department", "commission", "court", "service", "news", "times",
	"post", "press", "fund", "organization", "organisation", "alliance", "network", "media",
	"ministério", "partido", "grupo", "banco", "conselho", "agência", "instituto", "universidade",
	"school", "academy", "centre", "center", "bureau", "federation", "society", "chamber",
	"fundação", "associação", "comité", "comissão", "forças", "exército", "tribunal", "serviço",
	"escola", "academia", "centro", "академия", "школа", "центр", "център", "journal", "tribune",
	"herald", "gazette", "radio", "jornal", "revista", "gazeta", "rádio", "federação", "defesa",
	"газета", "вестник", "радио",
	"министерство", "партия", "группа", "банк", "совет", "агентство", "институт", "университет",
	"фонд", "комитет", "силы", "армия", "суд", "служба", "съвет", "агенция", "сили",
};

/* Words that mark an unknown multi-word name as a place ("Rio Negro", "Gulf of
 * Mexico"); they share the organisation-word map with value 2. */
static const char *const place_words[] = {
	"river", "lake", "sea", "gulf", "bay", "mount", "island", "islands", "valley", "strait",
	"peninsula", "rio", "lago", "mar", "serra", "ilha", "baía", "golfo", "vale", "река", "озеро",
	"море", "залив", "остров", "пролив", "полуостров", "езеро", "планина",
};

int ns_entity__words_new(ns_strmap **stop, ns_strmap **conn, ns_strmap **orgs)
{
	int rc = 0;
	ns_buf b = NS_BUF_INIT;
	*stop = *conn = *orgs = NULL;
	if ((rc = ns_strmap_new(stop)) < 0 || (rc = ns_strmap_new(conn)) < 0 || (rc = ns_strmap_new(orgs)) < 0)
		goto cleanup;
	for (int pass = 0; pass < 4; pass++) {
		const char *const *list = pass == 3 ? place_words : pass == 2 ? org_words : pass ? connectors : stop_words;
		size_t n = pass == 3   ? sizeof(place_words) / sizeof(*place_words)
			   : pass == 2 ? sizeof(org_words) / sizeof(*org_words)
			   : pass      ? sizeof(connectors) / sizeof(*connectors)
				       : sizeof(stop_words) / sizeof(*stop_words);
		ns_strmap *dst = pass >= 2 ? *orgs : pass ? *conn : *stop;
		for (size_t i = 0; i < n; i++) {
			ns_buf_clear(&b);
			if ((rc = ns_lex_fold(&b, list[i], strlen(list[i]))) < 0)
				goto cleanup;
			if (!ns_strmap_put(dst, b.ptr, b.size, pass == 3 ? 2 : 1, NULL)) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
		}
	}
cleanup:
	ns_buf_free(&b);
	if (rc < 0) {
		ns_strmap_free(*stop);
		ns_strmap_free(*conn);
		ns_strmap_free(*orgs);
		*stop = *conn = *orgs = NULL;
	}
	return rc;
}

/* Splits every token into match units with folded keys (doc->arena). */
static int build_units(ns_doc *doc, ns_ent_work *w)
{
	size_t cap = doc->ntokens + doc->ntokens / 4 + 8, n = 0;
	ns_ent_unit *u = ns_arena_array(&doc->arena, cap, sizeof(*u));
	ns_buf key = NS_BUF_INIT;
	ns_lex_piece pcs[64];
	int rc = 0;
	if (!u)
		return NS_ENOMEM;
	for (size_t t = 0; t < doc->ntokens; t++) {
		const ns_token *tk = &doc->tokens[t];
		const char *s = doc->text + tk->bstart;
		size_t len = tk->bend - tk->bstart;
		size_t np = ns_lex_split(s, len, pcs, 64);
		if (np > 64)
			np = 64;
		for (size_t k = 0; k < np; k++) {
			if (n == cap) {
				size_t ncap = cap * 2;
				ns_ent_unit *nu = ns_arena_grow(&doc->arena, u, n, ncap, sizeof(*u));
				if (!nu) {
					rc = NS_ENOMEM;
					goto cleanup;
				}
				u = nu;
				cap = ncap;
			}
			ns_ent_unit *x = &u[n];
			const ns_lex_piece *p = &pcs[k];
			ns_buf_clear(&key);
			if (p->word)
				rc = ns_lex_fold_memo(&key, s + p->bstart, p->bend - p->bstart);
			else
				rc = ns_buf_put(&key, s + p->bstart, p->bend - p->bstart);
			if (rc < 0)
				goto cleanup;
			size_t kl = key.size > 0xFFFF ? 0xFFFF : key.size;
			x->key = ns_arena_strndup(&doc->arena, key.ptr ? key.ptr : "", kl);
			if (!x->key) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			x->keylen = (uint16_t)kl;
			x->tok = (uint32_t)t;
			x->start = tk->start + p->cstart;
			x->end = tk->start + p->cend;
			x->bstart = tk->bstart + p->bstart;
			x->bend = tk->bstart + p->bend;
			x->word = p->word;
			x->upper_initial = p->upper_initial;
			x->all_upper = p->all_upper;
			x->nletters = p->nletters;
			x->script = p->word ? (uint8_t)ns_lex_script(s + p->bstart, p->bend - p->bstart) : 0;
			x->sent_start = k == 0 && (tk->flags & NS_TOKF_SENT_START);
			/* after an opening quote or a colon the next word is capitalised too */
			if (n > 0 && !u[n - 1].word && u[n - 1].tok + 1 == t && k == 0) {
				const char *pk = u[n - 1].key;
				if (strcmp(pk, ":") == 0 || (doc->tokens[u[n - 1].tok].flags & NS_TOKF_QUOTE))
					x->sent_start = 1;
			}
			n++;
		}
	}
	w->units = u;
	w->nunits = n;
cleanup:
	ns_buf_free(&key);
	return rc;
}

static float alias_score(const ns_gaz_alias *a)
{
	if (a->flags & NS_GAZF_GENERIC)
		return 0.4f;
	if (a->flags & NS_GAZF_TITLE)
		return 0.7f;
	if (a->flags & NS_GAZF_SURNAME)
		return 0.75f;
	if (a->kind == NS_MENTION_ADJ)
		return 0.6f;
	return a->nunits >= 2 ? 0.95f : 0.85f;
}

static bool case_ok(const ns_gaz_alias *a, const ns_ent_unit *first)
{
	if ((a->flags & NS_GAZF_NEED_ALLCAPS) && !first->all_upper)
		return false;
	if ((a->flags & NS_GAZF_NEED_CAP) && !first->upper_initial)
		return false;
	return true;
}

typedef struct match {
	uint32_t b, e;  /* unit range */
	int32_t node;   /* trie node, -1 = shape */
	int32_t alias;  /* first alias passing the case test */
	uint8_t weak;
} match;

/* An English "of"/"for" continues a name only after an organisation word, so
 * "Kyiv School of Economics" and "Center for Strategic Studies" stay whole
 * while "Putin of Russia" and "President of Ukraine" do not join. */
static bool org_connector(const ns_strmap *orgs, const ns_ent_unit *prev, const ns_ent_unit *u)
{
	bool of = (u->keylen == 2 && memcmp(u->key, "of", 2) == 0) || (u->keylen == 3 && memcmp(u->key, "for", 3) == 0);
	return of && orgs && ns_strmap_get(orgs, prev->key, prev->keylen, NULL);
}

static bool lower_unit(const ns_ent_unit *u) { return u->word && !u->upper_initial; }

static size_t lower_slot(const ns_ent_lower *s, const char *key, size_t n)
{
	return (size_t)ns_hash64(key, n, 0x6c6f776572) & s->mask;
}

/* The set of the article's lower-case words (w->lower), one slot per distinct key. */
static void lower_build(const ns_ent_work *w)
{
	ns_ent_lower *s = w->lower;
	size_t n = 0, cap = 16;
	s->built = true;
	for (size_t i = 0; i < w->nunits; i++)
		n += lower_unit(&w->units[i]);
	while (cap < 2 * n)
		cap <<= 1;
	s->slot = ns_malloc(cap * sizeof *s->slot);
	if (!s->slot) {
		s->failed = true;
		return;
	}
	memset(s->slot, 0xFF, cap * sizeof *s->slot);
	s->mask = cap - 1;
	for (size_t i = 0; i < w->nunits; i++) {
		const ns_ent_unit *u = &w->units[i];
		if (!lower_unit(u))
			continue;
		size_t h = lower_slot(s, u->key, u->keylen);
		for (;; h = (h + 1) & s->mask) {
			uint32_t k = s->slot[h];
			if (k == UINT32_MAX) {
				s->slot[h] = (uint32_t)i;
				break;
			}
			if (w->units[k].keylen == u->keylen && memcmp(w->units[k].key, u->key, u->keylen) == 0)
				break; /* the word is in already */
		}
	}
}

/* A capitalised word of a name that the article also writes in lower case is a
 * common word ("Rio Negro" / "o rio", "Defesa Civil" / "a defesa"), which
 * personal names rarely are. */
bool ns_entity__common_word(const ns_ent_work *w, const ns_ent_unit *x)
{
	ns_ent_lower *s = w->lower;
	if (s && !s->built)
		lower_build(w);
	if (!s || s->failed) {
		for (size_t i = 0; i < w->nunits; i++) {
			const ns_ent_unit *u = &w->units[i];
			if (lower_unit(u) && u->keylen == x->keylen && memcmp(u->key, x->key, x->keylen) == 0)
				return true;
		}
		return false;
	}
	for (size_t h = lower_slot(s, x->key, x->keylen);; h = (h + 1) & s->mask) {
		uint32_t k = s->slot[h];
		if (k == UINT32_MAX)
			return false;
		if (w->units[k].keylen == x->keylen && memcmp(w->units[k].key, x->key, x->keylen) == 0)
			return true;
	}
}

/* A lone Bulgarian word with a definite adjective or abstract-noun ending
 * ("Министерския" of "Министерския съвет", "Асоциацията на ..."): the first word
 * of a longer name whose other words are not capitalised, not a name itself. */
static bool bg_name_head(const ns_doc *doc, const ns_ent_unit *u)
{
	static const char *const ends[] = {"ския", "ският", "ската", "ското", "ските", "цията", "ството"};
	const char *t = doc->text + u->bstart;
	size_t n = u->bend - u->bstart;
	for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
		size_t k = strlen(ends[i]);
		if (n > k && memcmp(t + n - k, ends[i], k) == 0)
			return true;
	}
	return false;
}

/* A dash between units a and b: an em or en dash, or a hyphen with a space
 * before it (not the hyphen inside "Ocasio-Cortez"). */
static bool dash_between(const ns_doc *doc, const ns_ent_work *w, size_t a, size_t b)
{
	const char *t = doc->text;
	for (uint32_t k = w->units[a].bend; k < w->units[b].bstart; k++) {
		if (t[k] == '-' && k > w->units[a].bend && (t[k - 1] == ' ' || t[k - 1] == '\t'))
			return true;
		if (k + 2 < w->units[b].bstart && (unsigned char)t[k] == 0xe2 && (unsigned char)t[k + 1] == 0x80 &&
		    ((unsigned char)t[k + 2] == 0x93 || (unsigned char)t[k + 2] == 0x94))
			return true;
	}
	return false;
}

/* A dash that the tokenizer made a unit of its own: "-", "–" (U+2013) or "—"
 * (U+2014). */
static bool dash_unit(const ns_ent_unit *u)
{
	return !u->word && (strcmp(u->key, "-") == 0 || strcmp(u->key, "\xe2\x80\x93") == 0 ||
			    strcmp(u->key, "\xe2\x80\x94") == 0);
}

/* A capitalised place opening a sentence before a dash ("MANAUS — The river
 * ..."): an agency dateline, not an acronym. */
static bool dateline(const ns_doc *doc, const ns_ent_work *w, size_t i)
{
	return w->units[i].sent_start && i + 1 < w->nunits &&
	       (dash_between(doc, w, i, i + 1) || dash_unit(&w->units[i + 1]));
}

/* The first word after a dateline's dash ("MANAUS — O nível"): the dash is in
 * the gap before unit i, or is unit i - 1 itself when the tokenizer made it one. */
static bool after_dateline(const ns_doc *doc, const ns_ent_work *w, size_t i)
{
	if (i > 0 && dateline(doc, w, i - 1))
		return true;
	return i > 1 && dash_unit(&w->units[i - 1]) && dateline(doc, w, i - 2);
}

bool ns_entity__shorter_place(const ns_gazetteer *g, const ns_gaz_alias *al, const ns_ent_unit *u)
{
	return al->nunits == 1 && al->nletters && (al->flags & NS_GAZF_NEED_CAP) && u->script == 'C' &&
	       u->nletters < al->nletters && g->entries[al->entry].type == NS_ENT_LOCATION;
}

static bool is_stop(const ns_strmap *stop, const ns_ent_unit *u)
{
	return ns_strmap_get(stop, u->key, u->keylen, NULL);
}

/* A capitalised word that may be part of a name shape. */
static bool capword(const ns_strmap *stop, const ns_ent_unit *u)
{
	return u->word && (u->script == 'L' || u->script == 'C') && (u->upper_initial || u->all_upper) &&
	       u->nletters >= 1 && !is_stop(stop, u);
}

static int cmp_match(const void *a, const void *b)
{
	const match *x = a, *y = b;
	uint32_t lx = x->e - x->b, ly = y->e - y->b;
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* by start, then longest first */
static int cmp_start(const void *a, const void *b)
{
	const match *x = a, *y = b;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return cmp_match(a, b);
}

/* Marks units of title-case sentences (>= 4 content words of >= 4 letters,
 * >= 90% capitalised) with covered = 2 so no name shape starts there. */
static int mark_titlecase(const ns_doc *doc, const ns_ent_work *w, const ns_strmap *stop, uint8_t *covered)
{
	size_t i = 0;
	while (i < w->nunits) {
		uint32_t sent = doc->tokens[w->units[i].tok].sentence;
		size_t j = i, content = 0, caps = 0;
		while (j < w->nunits && doc->tokens[w->units[j].tok].sentence == sent) {
			const ns_ent_unit *u = &w->units[j];
			if (u->word && u->nletters >= 4 && (u->script == 'L' || u->script == 'C') && !is_stop(stop, u)) {
				content++;
				if (u->upper_initial)
					caps++;
			}
			j++;
		}
		if (content >= 4 && caps * 10 >= content * 9)
			for (size_t k = i; k < j; k++)
				if (!covered[k])
					covered[k] = 2;
		i = j;
	}
	return 0;
}

int ns_entity_detect(ns_doc *doc, const ns_gazetteer *g)
{
	int rc = 0;
	ns_ent_lower lower = {0};
	ns_ent_work w = {.lower = &lower};
	match *ms = NULL;
	size_t nms = 0, capms = 0;
	uint8_t *covered = NULL, *gstart = NULL;
	ns_strmap *own_stop = NULL, *own_conn = NULL, *own_orgs = NULL;
	const ns_strmap *stop, *conn;
	ns_entity_layer *L = ns_arena_alloc(&doc->arena, sizeof(*L));
	if (!L)
		return NS_ENOMEM;
	doc->entities = L;
	if (g) {
		stop = g->stop;
		conn = g->conn;
		w.orgs = g->orgs;
	} else {
		if ((rc = ns_entity__words_new(&own_stop, &own_conn, &own_orgs)) < 0)
			return rc;
		stop = own_stop;
		conn = own_conn;
		w.orgs = own_orgs;
	}
	if ((rc = build_units(doc, &w)) < 0)
		goto cleanup;
	covered = ns_calloc(w.nunits + 1, 1);
	if (!covered) {
		rc = NS_ENOMEM;
		goto cleanup;
	}

	/* 1. gazetteer: the longest passing match starting at each unit */
	for (size_t i = 0; g && i < w.nunits; i++) {
		if (!w.units[i].word)
			continue;
		int32_t node = NS_LEX_TRIE_ROOT;
		match best = {0, 0, -1, -1, 0};
		for (size_t j = i; j < w.nunits && j - i < NS_GAZ_MAX_UNITS; j++) {
			node = ns_lex_trie_child(g->trie, node, w.units[j].key, w.units[j].keylen);
			if (node < 0)
				break;
			/* a match inside a hyphenated token ("пресс-секретарь") must be a
			 * capitalised name ("Russia-Ukraine"), not a common word */
			bool partial = (i > 0 && w.units[i - 1].tok == w.units[i].tok) ||
				       (j + 1 < w.nunits && w.units[j + 1].tok == w.units[j].tok);
			int32_t it = ns_lex_trie_iter(g->trie, node), a, pass = -1;
			bool weak = true;
			while (ns_lex_trie_next(g->trie, &it, &a)) {
				const ns_gaz_alias *al = &g->aliases[a];
				if (!case_ok(al, &w.units[i]))
					continue;
				if (partial && ((al->flags & NS_GAZF_GENERIC) ||
						(!(al->flags & NS_GAZF_NEED_CAP) && w.units[i].script != 'D')))
					continue;
				if (ns_entity__shorter_place(g, al, &w.units[i]))
					continue;
				if (pass < 0 || alias_score(al) > alias_score(&g->aliases[pass]))
					pass = a;
				bool person1 = g->entries[al->entry].type == NS_ENT_PERSON && al->nunits == 1 &&
					       !(al->flags & NS_GAZF_TITLE);
				if (!person1)
					weak = false;
			}
			if (pass >= 0 && w.units[j].word)
				best = (match){(uint32_t)i, (uint32_t)j + 1, node, pass, weak};
		}
		if (best.node >= 0) {
			if (NS_GROW(ms, capms, nms + 1) < 0) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			ms[nms++] = best;
		}
	}
	gstart = ns_calloc(w.nunits + 1, 1);
	if (!gstart) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k < nms; k++)
		gstart[ms[k].b] = 1;
	if (nms)
		qsort(ms, nms, sizeof(*ms), cmp_match);
	size_t nacc = 0;
	for (size_t k = 0; k < nms; k++) {
		match *m = &ms[k];
		bool free_ = true;
		for (uint32_t u = m->b; u < m->e; u++)
			if (covered[u])
				free_ = false;
		if (!free_)
			continue;
		if (!m->weak && m->e - m->b == 1 && m->e < w.nunits && !covered[m->e] && !gstart[m->e] &&
		    capword(stop, &w.units[m->e]) && !w.units[m->e].sent_start &&
		    w.units[m->b].script == 'L' && !w.units[m->b].all_upper &&
		    g->aliases[m->alias].kind != NS_MENTION_ADJ &&
		    doc->tokens[w.units[m->e].tok].sentence == doc->tokens[w.units[m->b].tok].sentence &&
		    w.units[m->e - 1].tok + 1 == w.units[m->e].tok)
			continue; /* first word of a longer unknown name: "Baltic Freight Institute" */
		if (m->weak) {
			/* glued to a neighbouring capitalised name word: someone else */
			bool glued = false;
			uint32_t sent = doc->tokens[w.units[m->b].tok].sentence;
			if (m->b > 0 && !covered[m->b - 1] && capword(stop, &w.units[m->b - 1]) &&
			    doc->tokens[w.units[m->b - 1].tok].sentence == sent &&
			    !w.units[m->b - 1].sent_start && w.units[m->b - 1].tok + 1 == w.units[m->b].tok)
				glued = true;
			if (m->e < w.nunits && !covered[m->e] && capword(stop, &w.units[m->e]) &&
			    doc->tokens[w.units[m->e].tok].sentence == sent &&
			    w.units[m->e - 1].tok + 1 == w.units[m->e].tok && !w.units[m->e].all_upper)
				glued = true;
			if (glued)
				continue;
		}
		for (uint32_t u = m->b; u < m->e; u++)
			covered[u] = 1;
		ms[nacc++] = *m;
	}
	nms = nacc;

	/* 2. name shapes in the gaps (Latin and Cyrillic), except in title-case
	 * sentences (headlines), where capitals say nothing about names */
	bool is_bg = strcmp(doc->lang, "bg") == 0;
	if ((rc = mark_titlecase(doc, &w, stop, covered)) < 0)
		goto cleanup;
	for (size_t i = 0; i < w.nunits;) {
		if (covered[i] || !capword(stop, &w.units[i])) {
			i++;
			continue;
		}
		size_t j = i + 1;
		for (;;) {
			if (j < w.nunits && doc->tokens[w.units[j].tok].sentence != doc->tokens[w.units[i].tok].sentence)
				break;
			if (j < w.nunits && !covered[j] && capword(stop, &w.units[j]) && !w.units[j].sent_start &&
			    !dash_between(doc, &w, j - 1, j)) {
				j++;
				continue;
			}
			/* connector followed by a capitalised word */
			if (j + 1 < w.nunits && !covered[j] && !covered[j + 1] && w.units[j].word &&
			    doc->tokens[w.units[j + 1].tok].sentence == doc->tokens[w.units[i].tok].sentence &&
			    !w.units[j].upper_initial &&
			    (ns_strmap_get(conn, w.units[j].key, w.units[j].keylen, NULL) ||
			     org_connector(w.orgs, &w.units[j - 1], &w.units[j])) &&
			    capword(stop, &w.units[j + 1])) {
				j += 2;
				continue;
			}
			break;
		}
		size_t len = j - i;
		const ns_ent_unit *f = &w.units[i];
		bool keep;
		if (len >= 2)
			keep = true;
		else if (f->all_upper)
			keep = f->nletters >= 2 && f->nletters <= 6 && !dateline(doc, &w, i);
		else
			keep = !f->sent_start && f->nletters >= 2 && !after_dateline(doc, &w, i) &&
			       !ns_entity__common_word(&w, f) && !(is_bg && bg_name_head(doc, f));
		if (keep) {
			if (NS_GROW(ms, capms, nms + 1) < 0) {
				rc = NS_ENOMEM;
				goto cleanup;
			}
			ms[nms++] = (match){(uint32_t)i, (uint32_t)j, -1, -1, 0};
		}
		i = j;
	}

	/* 3. mentions in text order (they do not overlap) */
	if (nms > 1)
		qsort(ms, nms, sizeof(*ms), cmp_start);
	L->mentions = ns_arena_array(&doc->arena, nms ? nms : 1, sizeof(*L->mentions));
	w.cands = ns_arena_array(&doc->arena, nms ? nms : 1, sizeof(*w.cands));
	if (!L->mentions || !w.cands) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k < nms; k++) {
		const match *m = &ms[k];
		const ns_ent_unit *ub = &w.units[m->b], *ue = &w.units[m->e - 1];
		ns_mention *x = &L->mentions[k];
		x->start = ub->start;
		x->end = ue->end;
		x->bstart = ub->bstart;
		x->bend = ue->bend;
		x->tok_begin = ub->tok;
		x->tok_end = ue->tok + 1;
		x->sentence = doc->tokens[ub->tok].sentence;
		x->entity = -1;
		if (m->node >= 0) {
			const ns_gaz_alias *al = &g->aliases[m->alias];
			x->from_gazetteer = 1;
			x->kind = al->kind;
			x->score = alias_score(al);
		} else {
			x->from_gazetteer = 0;
			x->kind = NS_MENTION_SHAPE;
			x->score = m->e - m->b >= 2 ? 0.7f : ub->all_upper ? 0.55f : 0.5f;
		}
		w.cands[k] = (ns_ent_cand){m->node, m->b, m->e};
	}
	L->nmentions = nms;
	rc = ns_entity__link(doc, g, L, &w);
cleanup:
	free(lower.slot);
	free(ms);
	free(covered);
	free(gstart);
	ns_strmap_free(own_stop);
	ns_strmap_free(own_conn);
	ns_strmap_free(own_orgs);
	return rc;
}

int32_t ns_entity_mention_at(const ns_entity_layer *L, uint32_t start, uint32_t end)
{
	if (!L)
		return -1;
	size_t lo = 0, hi = L->nmentions;
	while (lo < hi) { /* first mention ending after start */
		size_t mid = (lo + hi) / 2;
		if (L->mentions[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < L->nmentions && L->mentions[lo].start < end)
		return (int32_t)lo;
	return -1;
}
