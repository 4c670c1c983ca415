/* Cue lexicons for quotes and accusations in English, Russian, Bulgarian,
 * Portuguese and Hindi, compiled into a lookup table, and per-document matching.
 *
 * DESIGN: an entry is a sequence of words; a word ending in '*' matches any token
 * norm that starts with it (so "заяви*" covers заявил, заявила, заявили). Entries
 * are normalised like token norms (NFKC + case fold) when the lexicon is built.
 * The index is keyed by the first 4 bytes of the first word (the whole word when
 * shorter, which must then match exactly), so each token costs one hash lookup;
 * prefix words must therefore be at least 4 bytes long. ns_claim__match_all
 * records every match per token once per document. The lists were written for
 * this project from the grammar of each language. */
#include <string.h>
#include <utf8proc.h>

#include "claim.h"

typedef struct lex_entry {
	uint8_t cls;
	uint8_t nwords;
	const char *label; /* act label */
	char *words[6];    /* normalised; trailing '*' kept */
	uint16_t wlen[6];
} lex_entry;

struct ns_claim_lex {
	lex_entry *e;
	size_t n;
	ns_strmap *index;  /* key -> first entry in chain */
	int32_t *next;     /* chain of entries with the same key */
};

typedef struct src_list {
	int cls;
	const char *label;
	const char *const *items;
} src_list;

/* ---- the lexicons ---- */

static const char *const say_words[] = {
	/* en */
	"said", "says", "say", "saying", "stated", "states", "told", "tells", "added", "adds", "warned",
	"warns", "claimed", "claims", "claiming", "denied", "denies", "accused", "accuses", "noted",
	"notes", "stressed", "stresses", "explained", "explains", "insisted", "insists", "argued",
	"argues", "wrote", "writes", "declared", "declares", "announced", "announces", "emphasized",
	"emphasised", "emphasizes", "emphasises", "asserted", "asserts", "alleged", "alleges",
	"commented", "remarked", "replied", "responded", "admitted", "acknowledged", "suggested",
	"suggests", "continued", "concluded", "recalled", "confirmed", "reiterated", "urged",
	"predicted", "tweeted", "posted", "complained", "lamented", "boasted", "threatened",
	"promised", "vowed", "observed", "pointed out", "points out", "went on", "believes",
	"reported", "reports", "quoted", "cautioned", "demanded", "conceded", "revealed", "testified",
	/* ru */
	"заяви*", "заявля*", "сказа*", "отмети*", "отмеча*", "подчеркну*", "подчерки*", "добави*",
	"добавля*", "сообщи*", "сообща*", "поясни*", "признал*", "признаё*", "признае*", "предупреди*",
	"предупрежда*", "утвержда*", "написа*", "пишет", "пишут", "говори*", "напомни*", "указал*",
	"указыва*", "констатир*", "завери*", "заверя*", "обвини*", "обвиня*", "отверг*", "опроверг*",
	"ответил*", "рассказа*", "уточни*", "считает", "считают", "полагает", "выразил*", "цитиру*",
	/* bg */
	"каза", "казва", "казал*", "заявя*", "отбеляза*", "отбелязва*", "подчерта*", "добавя*",
	"посочи*", "посочва*", "съобщи*", "съобщава*", "предупрежд*", "обясни*", "обяснява*",
	"твърди*", "коментира*", "обвинява*", "отрече", "отрича*", "заключи*", "увери*", "уверява*",
	"призна*", "допълни*", "цитиран*", "отговори",
	/* pt */
	"disse", "disseram", "diz", "dizem", "dizia", "afirmou", "afirma", "afirmaram", "afirmando",
	"declarou", "declara", "declararam", "acrescentou", "acrescenta", "sublinhou", "sublinha",
	"salientou", "salienta", "destacou", "destaca", "alertou", "alerta", "advertiu", "avisou",
	"explicou", "explica", "garantiu", "garante", "defendeu", "defende", "considerou", "considera",
	"escreveu", "escreve", "referiu", "refere", "adiantou", "sustentou", "indicou", "acusou",
	"acusa", "negou", "nega", "admitiu", "reconheceu", "frisou", "frisa", "criticou", "comentou",
	"questionou", "insistiu", "reiterou", "ressaltou", "lembrou", "assegurou", "apontou",
	"anunciou", "revelou", "observou", "respondeu", "concluiu", "argumentou", "avisa", "adverte",
	/* hi */
	"कहा", "कहते", "कहती", "कहना", "कह", "बताया", "बताते", "बताती", "दावा", "चेतावनी", "जोड़ा",
	"लिखा", "बोले", "बोला", "बोली", "घोषणा", "स्पष्ट किया", "बयान",
	/* more reporting verbs found while labelling the gold set */
	"mentioned", "mentions", "reiterating", "reiterates", "adding", "stressing", "noting", "warning",
	"вспомни*", "обратил* внимание", "аргументира*", "напомня*", "indica", "indicou", "admite", "garantiu",
	"frisou", "afirmando", "dizendo", "agradeceu", "rematou", "pediu", "perguntou", "continuou", "asked",
	"thanked", "продължи", "продолжил*", "попросил*", "спросил*", "попита", "поблагодари*", "благодари*",
	"संकेत", "स्वीकार", "shouts", "shouted", "insiste", "insistiu", "exposed", "exposes", "called", "calls",
	"нарече", "нарича", "назвал*", "называ*", "chamou", "chama", "classificou",
	/* common reporting verbs added from general vocabulary (claims2) */
	"underlined", "underscored", "highlighted", "clarified", "assured", "answered", "specified",
	"maintained", "contended", "explain", "объясни*", "объясня*", "рассказыва*", "пожаловал*",
	"высказал*", "прокомментир*", "комментиру*", "настаива*", "сподели*", "припомни*", "изтъкна*",
	"разказа*", "настоя", "информира*", "informou", "contou", "relatou", "assinalou", "notou",
	"mencionou", "esclareceu", "avançou", "lamentou", "denunciou", "alegou", "alega", "recordou",
	"realçou", "vincou", "ट्वीट", "उल्लेख",
	/* more forms of common reporting verbs (plural, present, gerund) */
	"alertam", "alertaram", "observa", "sublinhando", "descreveu", "descreveram", "afirmam", "consideram",
	"acrescentando", "declarando", "garantindo", "упрекну*", "передают", "передает", "передаёт",
	"призова*", "препоръчва*", "намекна*", "намекну*", "वादा", "पुष्टि", "मांग", "माना", "मानना", "मानते",
	"मानती", "चर्चा", "कहना",
	/* present and plural forms of "remind", "write", "boast" */
	"припомня*", "напомина*", "пише", "писа", "recalls", "reminds", "reminded", "lembra", "recorda",
	"bragged", "brags", "boasts", "thinks", "admitting", "admits", "warn", "argue", NULL,
};
static const char *const according_words[] = {
	"according to", "in the words of", "as reported by", "по словам", "по мнению", "по данным",
	"по информации", "как сообщ*", "как заяви*", "как отмети*", "как пишет", "как сказа*",
	"според", "по думите на", "по данни на", "segundo", "de acordo com", "conforme", "citado por",
	"nas palavras de", "согласно", "по оценке", "по оценкам", "по сведениям", "как сообщает", "съгласно",
	"по информация на", "na opinião de", "citando", "както отбеляза*", "както отбелязва", "както съобщ*",
	"както пише", "както заяви", "както посочи", "както посочва", "como disse", "como afirmou", "como referiu",
	"como explicou", "como sublinhou", "como escreve", NULL,
};
static const char *const accord_pron_words[] = {
	"по его словам", "по ее словам", "по её словам", "по их словам", "по думите му", "по думите ѝ",
	"по думите й", "според него", "според нея", "според тях", "segundo ele", "segundo ela",
	"according to him", "according to her", "according to them", "उनके अनुसार", "उनके मुताबिक", NULL,
};
static const char *const postp_according_words[] = {
	"के अनुसार", "के मुताबिक", "के मुताबिक़", "के हवाले से", "का कहना", "का कहना है", NULL,
};
static const char *const that_words[] = {"that", "что", "че", "que", "कि", NULL};
static const char *const pron_sg_words[] = {
	"he", "she", "он", "она", "той", "тя", "ele", "ela", "उन्होंने", "उसने", "वह", "वे", "वो", NULL,
};
static const char *const pron_pl_words[] = {"they", "it", "они", "те", "eles", "elas", NULL};
static const char *const role_org_words[] = {
	"company", "firm", "chain", "ministry", "agency", "government", "exchange", "bank", "organisation",
	"organization", "department", "newspaper", "outlet", "publication", "report", "statement", "kremlin",
	"компания", "министерство", "ведомство", "правительство", "агентство", "издание", "газета",
	"министерств*", "ведомств*", "правительств*", "агентств*", "компани*", "издани*", "газет*",
	"компанията", "министерството", "правителството", "агенцията", "изданието", "публикация*", "empresa", "ministério",
	"governo", "agência", "jornal", "relatório", "comunicado", "कंपनी", "मंत्रालय", "सरकार", "एजेंसी",
	"रिपोर्ट", NULL,
};
static const char *const this_words[] = {"об этом", "это", "това", "isto", "isso", "this was", NULL};
static const char *const agent_of_words[] = {"of", "на", "da", "do", "dos", "das", "de", NULL};
static const char *const victim_words[] = {"against", "on", "upon", "против", "на", "срещу", "contra",
	"sobre", "в", "во", NULL};
static const char *const poss_words[] = {"का", "की", "के", NULL};
static const char *const role_words[] = {
	/* en */
	"spokesman", "spokeswoman", "spokesperson", "minister", "president", "official",
	"representative", "leader", "chief", "head", "secretary", "ambassador", "general", "commander",
	"premier", "chancellor", "senator", "diplomat", "analyst", "expert", "author", "activist",
	"scientist", "professor", "governor", "mayor", "envoy", "director", "adviser", "advisor",
	"lawmaker", "politician", "lawyer", "researcher", "economist",
	/* ru */
	"министр*", "президент*", "представител*", "глава", "главы", "пресс-секретар*", "посол",
	"посла", "генерал*", "командующ*", "премьер*", "канцлер*", "эксперт*", "политик*",
	"депутат*", "сенатор*", "аналитик*", "лидер*", "руководител*", "губернатор*", "мэр",
	"директор*", "советник*", "дипломат*", "спикер*", "политолог*", "учён*", "ученый",
	/* bg */
	"министър*", "министъра", "представител*", "говорител*", "автор*", "учен*", "ученият", "артист*",
	"певиц*", "премиер*", "посланик*",
	"ръководител*", "анализатор*", "кмет*", "съветник*", "командир*",
	/* pt */
	"ministro*", "ministra", "presidente", "porta-voz", "representante", "chefe", "embaixador*",
	"líder", "primeiro-ministro", "chanceler", "especialista", "analista", "deputad*",
	"secretári*", "governador*", "prefeito*", "diretor*", "conselheir*", "diplomata",
	"comandante", "cientista", "ativista", "investigador*", "economista",
	/* hi */
	"मंत्री", "राष्ट्रपति", "प्रवक्ता", "प्रतिनिधि", "प्रधानमंत्री", "राजदूत", "जनरल", "नेता",
	"प्रमुख", "विशेषज्ञ", "अधिकारी", "विश्लेषक", "सलाहकार", "कमांडर", NULL,
};
static const char *const accuse_words[] = {
	"accus*", "blame*", "blaming", "alleg*", "обвин*", "acus*", "culpa", "culpou", "culpam",
	"culpando", "responsabiliz*", "आरोप", "ठहराया", "ठहराते", NULL,
};
static const char *const commit_words[] = {
	"commit", "commits", "committed", "committing", "perpetrat*", "carried out", "carry out", "carrying out", "carries out",
	"responsible for", "guilty of", "соверш*", "виновн*", "ответственн* за", "извърш*",
	"отговорн* за", "comet*", "perpetr*", "responsável por", "responsáveis por", "culpad*",
	"अंजाम", "दोषी", "ज़िम्मेदार", "जिम्मेदार", "involved in", "implicated in", "responsibility for",
	"замешан*", "причастн*", "ответственност*", "отговорност*", "замесен*", "envolvid* em", "implicad* em",
	"responsabilidade", NULL,
};
static const char *const deny_words[] = {
	"deny", "denied", "denies", "denying", "denial", "reject*", "dismiss*", "refut*", "rebuff*",
	"отрица*", "отверг*", "опроверг*", "отрича*", "отрече", "отхвърл*", "опроверга*", "negou",
	"nega", "negam", "negaram", "negar", "negando", "rejeit*", "desment*", "refuta*", "इनकार",
	"इंकार", "खारिज", "नकार*", "खंडन", NULL,
};
static const char *const by_words[] = {"by", "от", "por", "pela", "pelo", "द्वारा", "со стороны", "с стороны",
	"от страна на", "por parte de", "की ओर से", "की तरफ से", "pelas", "pelos", NULL};
static const char *const hi_erg_words[] = {"ने", NULL};
static const char *const hi_par_words[] = {"पर", NULL};

static const char *const act_war_crimes[] = {
	"war crime*", "военн* преступлен*", "военни престъпления", "военно престъпление",
	"crime de guerra", "crimes de guerra", "युद्ध अपराध*", "international crimes", "crimes internacionais",
	"международн* преступлен*", "международни престъпления", "crimes against humanity", "crime against humanity", "crimes contra a humanidade", "crime contra a humanidade", "преступлени* против человечности", "престъпления срещу човечеството", "престъпление срещу човечеството", "मानवता के खिलाफ अपराध", "targeting civilians", "attacks on civilians", "attacking civilians", "ataques contra civis", "ataca civis", "атаки на мирн*", "удары по мирн*", "удары по гражданск*", NULL,
};
static const char *const act_genocide[] = {
	"genocid*", "genocíd*", "геноцид*", "नरसंहार*", "ethnic cleansing", "этническ* чистк*",
	"етническо прочистване", "limpeza étnica", "exterminat*", "extermín*", "extermin*", "истреблени*", "истребля*", "изтребва*", "изтребление*", NULL,
};
static const char *const act_atrocities[] = {
	"atrocit*", "massacre*", "slaughter*", "зверств*", "злодеяни*", "резн*", "кланe", "клане",
	"жестокост*", "atrocidade*", "chacina*", "अत्याचार*", "कत्लेआम", "massacr*", "torture*", "torturing",
	"пытк*", "пытал*", "изтезани*", "изтезава*", "tortura*", "torturou", "यातना*", "mass killing*", "mass murder*", "массов* убийств*", "масови убийства", "масовите убийства", "масово избиване", "assassinatos em massa", "matança*", NULL,
};
static const char *const act_terrorism[] = {
	"terror*", "террор*", "терор*", "आतंक*", "теракт*", "aterroriz*", NULL,
};
static const char *const act_aggression[] = {
	"aggress*", "агрес*", "agress*", "आक्रामक*", "आक्रमण*", "invasion*", "invade*", "invading",
	"вторжени*", "нахлуван*", "инвази*", "invasão", "invadi*", "hybrid war*", "гибридн* войн*",
	"хибридн* войн*", "guerra híbrida", "हाइब्रिड युद्ध", "invasor*", "hybrid attack*", "гибридн* атак*",
	"хибридн* атак*", "ataque* híbrido*", "violat* international law", "violation of international law",
	"нарушени* международного права", "наруша* международное право", "нарушава* международното право",
	"нарушение на международното право", "viola* o direito internacional", "violação do direito internacional",
	"अंतरराष्ट्रीय कानून का उल्लंघन", NULL,
};
static const char *const act_lies[] = {
	"lies", "lying", "liar*", "propagand*", "disinformation", "misinformation", "fake news",
	"hoax*", "fabricat*", "лжи", "ложь", "лгут", "лжец*", "лжив*", "пропаганд*", "дезинформ*",
	"фейк*", "лъж*", "фалшив*", "mentir*", "mentira*", "desinforma*", "notícias falsas", "farsa",
	"झूठ*", "दुष्प्रचार*", "भ्रामक", "प्रोपेगैंडा", "врут", "врёт", "врет", "вранье", "враньё",
	"обманыва*", "обманул*", "deceiv*", "deception", "enganar", "enganam", "enganou", "mislead*", "brainwash*",
	"промыва* мозг*", "промыть мозги", "промыли мозги", "промиване на мозъц*", "lavagem cerebral", "false pretext*", "falsos pretextos", "falso pretexto", "ложн* предлог*", "лъжлив* претекст*", "झूठे बहाने", NULL,
};
static const char *const act_corruption[] = {
	"corrupt*", "коррупц*", "корупц*", "corrup*", "भ्रष्ट*", "fraud*", "мошенни*", "измам*",
	"fraude*", "embezzl*", "brib*", "подкуп*", "взятк*", "подкупва*", "рушвет*", "suborn*", "propina*",
	"रिश्वत*", "rigged", "rigging", NULL,
};
static const char *const act_sabotage[] = {
	"sabotag*", "диверси*", "саботаж*", "तोड़फोड़*", "subver*", "подрывн* деятельност*",
	"подривн* дейност*", "subvers*", NULL,
};
/* weak acts: "escalation", "unleashing the war" accuse only with a blame or
 * commit cue in the sentence ("responsibility of the West for the escalation") */
static const char *const weak_aggression[] = {
	"escalat*", "эскалац*", "ескалац*", "escalada", "escalar", "unleash*", "развяза*", "разжигани*",
	"разпали*", "provoked the war", "provoking the war", NULL,
};
static const char *const act_russophobia[] = {
	"russophob*", "russo-phob*", "русофоб*", "russofob*", "रूसोफोब*", NULL,
};
static const char *const act_warmongering[] = {
	"warmonger*", "war-monger*", "war party", "party of war", "war hawks", "партия войны", "партии войны",
	"партию войны", "поджигател* войн*", "разжига* войн*", "партия на войната", "партията на войната",
	"подклажда* войн*", "belicis*", "partido da guerra", "युद्धोन्माद*", "pro-war", "провоен*", NULL,
};
static const char *const act_economic_warfare[] = {
	"economic war", "economic warfare", "economic wars", "sanctions war", "экономическ* войн*",
	"санкционн* войн*", "икономическ* войн*", "guerra económica", "guerra econômica", "trade war", "trade wars",
	"торгов* войн*", "търговск* войн*", "guerra comercial", "guerras comerciais", "व्यापार युद्ध",
	"आर्थिक युद्ध", NULL,
};
static const char *const act_nazism[] = {
	"nazi*", "neo-nazi*", "neonazi*", "нацис*", "нацист*", "неонацис*", "нацизм*", "nazis*",
	"नाज़ी*", "नाजी*", NULL,
};
static const char *const act_provocation[] = {
	"provocat*", "provok*", "провокац*", "провокир*", "provocaç*", "provocador*", "provocatóri*", "उकसा*", NULL,
};
static const char *const act_hypocrisy[] = {
	"hypocri*", "лицемер*", "hipocris*", "hipócrit*", "पाखंड*", NULL,
};

static const src_list lists[] = {
	{NS_CLAIM_CUE_SAY, NULL, say_words},
	{NS_CLAIM_CUE_ACCORDING, NULL, according_words},
	{NS_CLAIM_CUE_POSTP_ACCORD, NULL, postp_according_words},
	{NS_CLAIM_CUE_THAT, NULL, that_words},
	{NS_CLAIM_CUE_PRON_SG, NULL, pron_sg_words},
	{NS_CLAIM_CUE_PRON_PL, NULL, pron_pl_words},
	{NS_CLAIM_CUE_ROLE, NULL, role_words},
	{NS_CLAIM_CUE_ACCUSE, NULL, accuse_words},
	{NS_CLAIM_CUE_COMMIT, NULL, commit_words},
	{NS_CLAIM_CUE_DENY, NULL, deny_words},
	{NS_CLAIM_CUE_BY, NULL, by_words},
	{NS_CLAIM_CUE_HI_ERG, NULL, hi_erg_words},
	{NS_CLAIM_CUE_HI_PAR, NULL, hi_par_words},
	{NS_CLAIM_CUE_ROLE_ORG, NULL, role_org_words},
	{NS_CLAIM_CUE_THIS, NULL, this_words},
	{NS_CLAIM_CUE_AGENT_OF, NULL, agent_of_words},
	{NS_CLAIM_CUE_VICTIM, NULL, victim_words},
	{NS_CLAIM_CUE_POSS, NULL, poss_words},
	{NS_CLAIM_CUE_ACCORD_PRON, NULL, accord_pron_words},
	{NS_CLAIM_CUE_ACT, "war crimes", act_war_crimes},
	{NS_CLAIM_CUE_ACT, "genocide", act_genocide},
	{NS_CLAIM_CUE_ACT, "atrocities", act_atrocities},
	{NS_CLAIM_CUE_ACT, "terrorism", act_terrorism},
	{NS_CLAIM_CUE_ACT, "aggression", act_aggression},
	{NS_CLAIM_CUE_ACT, "lies/propaganda", act_lies},
	{NS_CLAIM_CUE_ACT, "corruption", act_corruption},
	{NS_CLAIM_CUE_ACT, "sabotage", act_sabotage},
	{NS_CLAIM_CUE_ACT, "nazism", act_nazism},
	{NS_CLAIM_CUE_ACT, "provocation", act_provocation},
	{NS_CLAIM_CUE_ACT, "hypocrisy", act_hypocrisy},
	{NS_CLAIM_CUE_ACT, "russophobia", act_russophobia},
	{NS_CLAIM_CUE_ACT, "warmongering", act_warmongering},
	{NS_CLAIM_CUE_ACT, "economic warfare", act_economic_warfare},
	{NS_CLAIM_CUE_ACT_WEAK, "aggression", weak_aggression},
};

/* ---- building ---- */

static char *norm_word(const char *w, size_t n, uint16_t *outlen)
{
	int star = n > 0 && w[n - 1] == '*';
	size_t body = star ? n - 1 : n;
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)body, &dst,
		UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
	if (r < 0)
		return NULL;
	char *out = ns_malloc((size_t)r + 2);
	if (out) {
		memcpy(out, dst, (size_t)r);
		if (star)
			out[r++] = '*';
		out[r] = '\0';
		*outlen = (uint16_t)r;
	}
	free(dst);
	return out;
}

static size_t key_len(const char *w, size_t n)
{
	if (n > 0 && w[n - 1] == '*')
		n--;
	return n < 4 ? n : 4;
}

static int add_entry(ns_claim_lex *lex, size_t *cap, int cls, const char *label, const char *phrase)
{
	lex_entry e;
	memset(&e, 0, sizeof e);
	e.cls = (uint8_t)cls;
	e.label = label;
	const char *p = phrase;
	while (*p && e.nwords < 6) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		if (q == p)
			break;
		e.words[e.nwords] = norm_word(p, (size_t)(q - p), &e.wlen[e.nwords]);
		if (!e.words[e.nwords])
			return ns_error__set(NS_ENOMEM, "claim lexicon: cannot normalise \"%s\"", phrase);
		e.nwords++;
		p = q;
	}
	if (e.nwords == 0)
		return 0;
	if (NS_GROW(lex->e, *cap, lex->n + 1) < 0)
		return NS_ENOMEM;
	lex->e[lex->n++] = e;
	return 0;
}

void ns_claim_lex_free(ns_claim_lex *lex)
{
	if (!lex)
		return;
	for (size_t i = 0; i < lex->n; i++)
		for (size_t w = 0; w < lex->e[i].nwords; w++)
			free(lex->e[i].words[w]);
	free(lex->e);
	free(lex->next);
	ns_strmap_free(lex->index);
	free(lex);
}

int ns_claim_lex_new(ns_claim_lex **out)
{
	int rc = 0;
	size_t cap = 0;
	ns_claim_lex *lex = ns_calloc(1, sizeof *lex);
	*out = NULL;
	if (!lex)
		return NS_ENOMEM;
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (const char *const *it = lists[l].items; *it; it++)
			if ((rc = add_entry(lex, &cap, lists[l].cls, lists[l].label, *it)) < 0)
				goto cleanup;
	if ((rc = ns_strmap_new(&lex->index)) < 0)
		goto cleanup;
	lex->next = ns_malloc((lex->n ? lex->n : 1) * sizeof *lex->next);
	if (!lex->next) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	/* chains in reverse so that lookup visits entries in list order */
	for (size_t k = lex->n; k-- > 0;) {
		bool ins = false;
		const char *w = lex->e[k].words[0];
		int32_t *slot = ns_strmap_put(lex->index, w, key_len(w, lex->e[k].wlen[0]), -1, &ins);
		if (!slot) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		lex->next[k] = *slot;
		*slot = (int32_t)k;
	}
	*out = lex;
	lex = NULL;
cleanup:
	ns_claim_lex_free(lex);
	return rc;
}

/* ---- matching ---- */

static int word_match(const char *w, size_t wl, const char *norm, size_t nl)
{
	if (wl > 0 && w[wl - 1] == '*')
		return nl >= wl - 1 && memcmp(w, norm, wl - 1) == 0;
	return nl == wl && memcmp(w, norm, wl) == 0;
}

int ns_claim__match_all(ns_claim_ctx *c)
{
	const ns_claim_lex *lex = c->lex;
	size_t cap = 0, n = 0;
	ns_claim_match *m = NULL;
	uint32_t *begin = ns_arena_array(&c->doc->arena, c->ntok + 1, sizeof *begin);
	if (!begin)
		return NS_ENOMEM;
	for (size_t i = 0; i < c->ntok; i++) {
		begin[i] = (uint32_t)n;
		const ns_token *t = &c->tok[i];
		if (t->kind != NS_TOK_WORD || !t->norm)
			continue;
		int32_t k = -1;
		size_t kl = t->norm_len < 4 ? t->norm_len : 4;
		if (!ns_strmap_get(lex->index, t->norm, kl, &k))
			continue;
		for (; k >= 0; k = lex->next[k]) {
			const lex_entry *e = &lex->e[k];
			/* a short key must be the whole first word */
			if (kl < 4 && e->wlen[0] != kl)
				continue;
			size_t w = 0;
			for (; w < e->nwords && i + w < c->ntok; w++) {
				const ns_token *u = &c->tok[i + w];
				if (!u->norm || !word_match(e->words[w], e->wlen[w], u->norm, u->norm_len))
					break;
			}
			if (w < e->nwords)
				continue;
			if (NS_GROW(m, cap, n + 1) < 0) {
				free(m);
				return NS_ENOMEM;
			}
			m[n].cls = e->cls;
			m[n].ntok = e->nwords;
			m[n].label = e->label;
			n++;
		}
	}
	begin[c->ntok] = (uint32_t)n;
	c->m_begin = begin;
	c->m = NULL;
	if (n) {
		c->m = ns_arena_array(&c->doc->arena, n, sizeof *m);
		if (c->m)
			memcpy(c->m, m, n * sizeof *m);
	}
	free(m);
	return (n && !c->m) ? NS_ENOMEM : 0;
}

size_t ns_claim__cue(const ns_claim_ctx *c, size_t i, int cls, const char **label)
{
	if (i >= c->ntok)
		return 0;
	size_t best = 0;
	for (uint32_t k = c->m_begin[i]; k < c->m_begin[i + 1]; k++)
		if (c->m[k].cls == cls && c->m[k].ntok > best) {
			best = c->m[k].ntok;
			if (label)
				*label = c->m[k].label;
		}
	return best;
}

int ns_claim__is_alnum(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) ||
	       cat == UTF8PROC_CATEGORY_ND;
}

int ns_claim__is_final(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x0964 || cp == 0x0965;
}

size_t ns_claim__tok_at(const ns_claim_ctx *c, uint32_t pos)
{
	size_t lo = 0, hi = c->ntok;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->tok[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
