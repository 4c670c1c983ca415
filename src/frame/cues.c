/* Framing cue lexicon: words that signal how an actor is cast (attack, suffering,
 * blame, praise, accusation, denial, heroism, deceit, ...) in English, Russian,
 * Bulgarian, Portuguese and Hindi, compiled into two hash maps for lookup by a
 * token's normalised (NFKC, case-folded) form.
 *
 * DESIGN: each category is one space-separated word list; a word ending in '*' is
 * a prefix (matches every token starting with it, which covers Slavic and
 * Portuguese inflection without a stemmer), any other word must match exactly.
 * Prefixes shorter than three code points are not allowed (too many false hits).
 * A token may hit several categories; the lookup returns a bit mask. The prefix
 * map also holds every start of a prefix word (mask 0), so probing a token stops
 * at its first miss. The lists
 * were written for this project from general vocabulary, not taken from data. */
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static const char *const cue_names[NS_CUE_COUNT] = {
	"attack", "suffer", "blame", "accuse", "deny", "praise", "hero", "help",
	"deceit", "corrupt", "tyrant", "terror", "peace", "fail", "speech", "agent",
	"threat", "sanction", "neg", "climate", "elite", "protest", "exploit", "traitor",
	"bigot", "instigate", "martyr", "war",
};

/* One entry per category; several lines per category are concatenated. */
static const struct {
	int cue;
	const char *words;
} cue_lists[] = {
	{NS_CUE_ATTACK, "attack* strike* struck bomb* shell* missile* rocket* invad* invasion* aggress* assault* "
			"kill* murder* destroy* destruct* occup* annex* raid* massacr* slaughter* shoot* shot "
			"атак* удар* бомб* обстрел* ракет* вторж* агресс* нападе* напада* убий* убил* убит* "
			"уничтож* разруш* оккуп* аннекс* расстрел* штурм* "
			"атакува* нахлу* инвази* агрес* уби* унищож* окупа* анекс* "
			"ataq* atac* bombard* míssil mísseis invas* invad* agress* matou mataram assassin* "
			"destru* anex* massacr* "
			"हमल* बमबारी मिसाइल आक्रमण हत्या नष्ट कब्जा कब्ज़ा मारा मारे"},
	{NS_CUE_SUFFER, "victim* suffer* died dead death* casualt* wounded injur* refugee* civilian* children "
			"starv* hunger famine poverty homeless* displac* hardship* plight* tragedy* "
			"жертв* страда* погиб* ранен* беженц* мирных мирные детей дети голод* нищет* трагеди* "
			"загина* загин* бежан* цивил* деца глад* бедност* "
			"vítima* vitima* sofr* morre* morte* mortos ferid* refugiad* civis crianças fome pobreza tragédia* "
			"पीड़ित पीड़ितों शिकार मौत घायल शरणार्थी नागरिक नागरिकों बच्चे बच्चों भूख गरीबी त्रासदी"},
	{NS_CUE_BLAME, "blam* fault* guilt* responsib* accountab* culprit* "
		       "вин* виноват* ответствен* "
		       "отговорн* "
		       "culp* responsabil* "
		       "दोष* जिम्मेदार ज़िम्मेदार जिम्मेदारी"},
	{NS_CUE_ACCUSE, "accus* alleg* charg* condemn* denounc* "
			"обвин* осужд* осуди* "
			"обвини* осъд* "
			"acus* conden* denunci* "
			"आरोप* निंदा"},
	{NS_CUE_DENY, "deny denie* denial* reject* refut* dismiss* debunk* "
		      "отрица* опроверг* отверг* "
		      "отрича* отхвърл* опроверга* "
		      "negou negam nega negar negaram rejeit* desment* "
		      "इनकार इंकार खारिज खंडन"},
	{NS_CUE_PRAISE, "prais* commend* applaud* success* achiev* admir* respect* "
			"похвал* успех* успеш* достиж* уважен* "
			"похвал* успе* постиж* "
			"elogi* sucesso* conquist* admir* "
			"प्रशंसा सराहना सफल* उपलब्धि सम्मान"},
	{NS_CUE_HERO, "hero* brave* courag* defend* defen* protect* rescu* liberat* guard* "
		      "герои* героя герой героизм* мужеств* смел* защит* спас* освобо* "
		      "героич* храбр* защит* спаси* спасява* освобо* "
		      "herói* heroi* corag* bravo* defend* defes* proteg* salv* liberta* "
		      "बहादुर वीर नायक रक्षा बचाव सुरक्षा"},
	{NS_CUE_HELP, "support* help* aid assist* donat* supply* suppli* deliver* "
		      "поддерж* помощ* помога* помог* поставк* "
		      "подкреп* помощ* помага* доставк* "
		      "apoi* ajud* assist* doa* fornec* "
		      "मदद सहायता समर्थन सहयोग आपूर्ति"},
	{NS_CUE_DECEIT, "lie lies lying lied liar* propagand* fake* false* hoax* mislead* manipulat* deceiv* "
			"decept* disinform* misinform* fraud* scam* myth* "
			"лож* лжи лжет* лгут лгал* пропаганд* фейк* фальш* манипул* обман* дезинформ* миф* "
			"лъж* фалшив* измам* "
			"mentir* mentira* propaganda* falso* falsa* fake manipul* engan* fraude* desinforma* farsa* mito* "
			"झूठ झूठा झूठी प्रचार फर्जी धोखा भ्रम"},
	{NS_CUE_CORRUPT, "corrupt* brib* embezzl* launder* steal* stole* kickback* greed* profit* "
			 "корруп* коррумп* взятк* хищен* ворова* украл* нажив* "
			 "корупц* корумп* подкуп* краде* присвоява* "
			 "corrup* subor* propina* desvi* roub* lucro* "
			 "भ्रष्टाचार भ्रष्ट रिश्वत घूस घोटाला मुनाफा"},
	{NS_CUE_TYRANT, "dictat* regime* tyran* authoritarian* repress* censor* oppress* crackdown* totalitar* "
			"диктат* режим* тиран* авторитар* репресс* цензур* тоталитар* "
			"репрес* "
			"ditad* regime* tiran* autoritár* autoritar* repress* censur* totalitár* "
			"तानाशाह* तानाशाही दमन सेंसर"},
	{NS_CUE_TERROR, "terror* extremis* nazi* neo-nazi* neonazi* fascis* militant* jihad* "
			"террор* экстремист* нацист* неонацист* фашист* бандер* "
			"терор* екстремист* нацис* неонацис* фашис* "
			"terror* extremist* nazi* neonazi* fascis* "
			"आतंक* आतंकवादी आतंकवाद चरमपंथी नाजी फासीवादी"},
	{NS_CUE_PEACE, "peace* negotiat* ceasefire* truce* dialog* diplomac* diplomat* agreement* talks mediat* "
		       "мир мира миру миром переговор* перемири* диалог* дипломат* соглашен* урегулир* посредн* "
		       "мирн* преговор* примир* споразум* "
		       "paz negocia* cessar-fogo diálogo* diplomac* diplomát* acordo* "
		       "शांति वार्ता बातचीत समझौता कूटनीति"},
	{NS_CUE_FAIL, "fail* incompet* mistake* blunder* chaos* chaotic crisis crises collaps* disaster* "
		      "mismanag* weak* inept* "
		      "провал* неудач* некомпетент* ошибк* хаос* кризис* слаб* "
		      "неуспе* неспособ* грешк* криза* кризи* "
		      "fracass* falh* incompet* erro* caos* crise* fraco* fraca* "
		      "विफल असफल नाकाम संकट कमजोर गलती"},
	{NS_CUE_SPEECH, "said says say stated told tells according claimed claims added warned noted insisted "
			"declared announced argued explained "
			"заявил* сказал* сообщил* отметил* подчеркну* словам считает заяви* "
			"каза казва съобщи* според посочи* добави* подчерта* "
			"disse dizem diz afirm* declar* segundo explicou acrescent* sublinh* "
			"कहा कहना बताया अनुसार बयान"},
	{NS_CUE_AGENT, "by "
		       "стороны "
		       "от "
		       "por pelo pela pelos pelas "
		       "द्वारा"},
	{NS_CUE_THREAT, "threat* escalat* warn* danger* nuclear* provocat* "
			"угроз* эскалац* предупре* опасн* ядерн* "
			"заплах* ескалац* предупред* опасн* ядрен* "
			"ameaç* escala* alert* avis* perig* nuclear* "
			"धमकी खतरा ख़तरा चेतावनी परमाणु"},
	{NS_CUE_SANCTION, "sanction* ban bans banned embargo* restrict* "
			  "санкц* запрет* эмбарго ограничен* "
			  "забран* ембарго "
			  "sanç* proib* embargo* restri* "
			  "प्रतिबंध पाबंदी"},
	{NS_CUE_NEG, "not no never nor without "
		     "не нет никогда ни без "
		     "няма никога "
		     "não nunca nem sem "
		     "नहीं न कभी बिना"},
	{NS_CUE_CLIMATE, "climat* emission* carbon warming greenhouse fossil* renewabl* environment* "
			 "климат* выброс* углерод* потеплен* экологи* "
			 "емиси* въглерод* затопл* екологи* "
			 "clima* emiss* carbono aquecimento ambient* "
			 "जलवायु उत्सर्जन कार्बन पर्यावरण ग्लोबल"},
	{NS_CUE_ELITE, "elite* globalist* agenda* davos establishment* billionair* oligarch* "
		       "элит* глобалист* олигарх* миллиардер* "
		       "елит* глобалист* олигарх* милиардер* "
		       "elite* globalist* agenda* bilionári* oligarc* "
		       "अभिजात अरबपति कुलीन"},
	{NS_CUE_PROTEST, "protest* activist* rally* demonstrat* rebel* resist* dissident* opposition* "
			 "протест* активист* митинг* оппозиц* сопротивл* "
			 "протест* активист* опозиц* съпротив* "
			 "protest* ativist* manifesta* rebel* resist* oposi* "
			 "विरोध प्रदर्शन आंदोलन कार्यकर्ता"},
	{NS_CUE_EXPLOIT, "exploit* forced coerc* scapegoat* forgotten ignored neglect* abandon* "
			 "эксплуат* принуд* брошен* забыт* "
			 "експлоат* принуд* забрав* изостав* "
			 "explor* forçad* esquecid* abandon* bode "
			 "शोषण मजबूर उपेक्षा"},
	{NS_CUE_TRAITOR, "traitor* betray* treason* spy spies espionage sabot* "
			 "предател* измен* шпион* диверс* "
			 "предател* измяна шпионин* шпионаж* диверси* "
			 "traidor* traição trai* espião espiões espionagem sabot* "
			 "गद्दार देशद्रोह* जासूस* तोड़फोड़"},
	{NS_CUE_BIGOT, "racis* xenophob* homophob* bigot* hate* hatred discrimin* "
		       "расист* ксенофоб* ненавист* дискримин* "
		       "расист* ксенофоб* омраз* дискримин* "
		       "racis* xenofob* ódio discrimin* "
		       "घृणा नफरत भेदभाव जातिवाद"},
	{NS_CUE_INSTIGATE, "provok* provoc* incit* instigat* fuel* stok* "
			   "провоцир* провокац* разжига* подстрека* "
			   "провокир* провокац* разпалва* подстрека* "
			   "provoca* incita* instiga* "
			   "उकसा* भड़का*"},
	{NS_CUE_MARTYR, "sacrific* martyr* underdog* outnumber* despite "
			"жертвов* мученик* несмотря "
			"жертвоготов* мъченик* въпреки "
			"sacrifíc* sacrific* mártir* apesar "
			"शहीद बलिदान"},
	{NS_CUE_WAR, "war wars warfare troops military army soldier* frontline* "
		     "войн* войск* армия армии армию военн* солдат* фронт* "
		     "войн* войски армия военн* войник* фронт* "
		     "guerra* tropa* militar* exército* soldado* frente "
		     "युद्ध जंग सेना सैनिक* सैन्य मोर्चे"},
};

struct ns_frame_cues {
	ns_strmap *exact;  /* word -> mask */
	ns_strmap *prefix; /* prefix (without '*') -> mask */
	size_t min_prefix, max_prefix; /* bytes, to bound the prefix probes */
};

const char *ns_frame_cue_name(int cue)
{
	return cue >= 0 && cue < NS_CUE_COUNT ? cue_names[cue] : "?";
}

static int add_word(ns_frame_cues *c, const char *w, size_t n, int cue)
{
	bool ins;
	int32_t *slot;
	if (n > 1 && w[n - 1] == '*') {
		n--;
		if (ns_utf8_count(w, n) < 3)
			return ns_error__set(NS_EINVAL, "frame cues: prefix '%.*s' shorter than 3 characters", (int)n, w);
		slot = ns_strmap_put(c->prefix, w, n, 0, &ins);
		if (c->min_prefix == 0 || n < c->min_prefix)
			c->min_prefix = n;
		if (n > c->max_prefix)
			c->max_prefix = n;
	} else {
		slot = ns_strmap_put(c->exact, w, n, 0, &ins);
	}
	if (!slot)
		return NS_ENOMEM;
	*slot |= (int32_t)(1u << cue);
	return 0;
}

/* Steps *p past spaces to the next word of a space-separated list; sets *n to
 * its length and returns 0 at the end of the list. */
static int next_word(const char **p, size_t *n)
{
	const char *s = *p, *q;
	while (*s == ' ')
		s++;
	for (q = s; *q && *q != ' '; q++)
		;
	*p = s;
	*n = (size_t)(q - s);
	return *n > 0;
}

/* Adds every shorter code-point-boundary prefix (>= min_prefix bytes) of every
 * prefix word to the prefix map with mask 0, so a lookup can stop at the first
 * probe that misses: no longer prefix of the token can then be a cue. */
static int close_prefixes(ns_frame_cues *c)
{
	bool ins;
	for (size_t i = 0; i < sizeof cue_lists / sizeof cue_lists[0]; i++) {
		const char *p = cue_lists[i].words;
		size_t n;
		while (next_word(&p, &n)) {
			if (n > 1 && p[n - 1] == '*') {
				for (size_t k = c->min_prefix; k < n - 1; k++)
					if (((unsigned char)p[k] & 0xC0) != 0x80 && !ns_strmap_put(c->prefix, p, k, 0, &ins))
						return NS_ENOMEM;
			}
			p += n;
		}
	}
	return 0;
}

int ns_frame_cues_new(ns_frame_cues **out)
{
	int rc;
	ns_frame_cues *c = ns_calloc(1, sizeof *c);
	*out = NULL;
	if (!c)
		return NS_ENOMEM;
	if ((rc = ns_strmap_new(&c->exact)) < 0 || (rc = ns_strmap_new(&c->prefix)) < 0)
		goto cleanup;
	for (size_t i = 0; i < sizeof cue_lists / sizeof cue_lists[0]; i++) {
		const char *p = cue_lists[i].words;
		size_t n;
		while (next_word(&p, &n)) {
			if ((rc = add_word(c, p, n, cue_lists[i].cue)) < 0)
				goto cleanup;
			p += n;
		}
	}
	if ((rc = close_prefixes(c)) < 0)
		goto cleanup;
	*out = c;
	return 0;
cleanup:
	ns_frame_cues_free(c);
	return rc;
}

void ns_frame_cues_free(ns_frame_cues *c)
{
	if (!c)
		return;
	ns_strmap_free(c->exact);
	ns_strmap_free(c->prefix);
	free(c);
}

static uint32_t cues_match(const ns_frame_cues *c, const char *w, size_t n)
{
	int32_t v;
	uint32_t mask = 0;
	if (ns_strmap_get(c->exact, w, n, &v))
		mask |= (uint32_t)v;
	/* probe every prefix that ends on a code-point boundary */
	size_t hi = n < c->max_prefix ? n : c->max_prefix;
	for (size_t k = c->min_prefix; k && k <= hi; k++) {
		if (k < n && ((unsigned char)w[k] & 0xC0) == 0x80)
			continue;
		if (!ns_strmap_get(c->prefix, w, k, &v))
			break; /* not even the start of a prefix word (close_prefixes) */
		mask |= (uint32_t)v;
	}
	return mask;
}

/* ---- per-thread memo of matches ----
 * Every ns_frame_cues holds the same built-in lists (ns_frame_cues_new takes no
 * input), so one memo per thread serves them all: a string memo (util/smemo.c)
 * in the thread's state. The exact and prefix probes of a token were ~4% of the
 * entities + roles path; most tokens repeat. */
#define CM_MAX 64 /* longer tokens (bytes) are matched every time */

static ns_smemo *cm_get(void)
{
	return ns_smemo_thread(NS_TLS_CUES, 14, 1u << 18);
}

uint32_t ns_frame_cues_match(const ns_frame_cues *c, const char *w, size_t n)
{
	if (n == 0)
		return 0;
	ns_smemo *m = n <= CM_MAX ? cm_get() : NULL;
	if (!m)
		return cues_match(c, w, n);
	uint64_t h = ns_hash64(w, n, 0x63756573);
	size_t vl;
	uint32_t mask;
	const char *hit = ns_smemo_get(m, h, w, n, &vl);
	if (hit && vl == sizeof mask) {
		memcpy(&mask, hit, sizeof mask);
		return mask;
	}
	mask = cues_match(c, w, n);
	ns_smemo_put(m, h, w, n, &mask, sizeof mask);
	return mask;
}
