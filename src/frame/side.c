/* The alignment ("side") of a gazetteer entity in the two domains of the corpus,
 * derived from its canonical id: the Russian state and its allies, Ukraine and
 * its Western backers, climate-action actors (activists, climate science and
 * policy bodies) and their opponents (fossil industry, sceptics).
 *
 * DESIGN: data/entities.tsv carries no side column (it is the entities engineer's
 * file and describes names, not stances), so the side is a fixed table of ids
 * here, sorted for binary search. An id not in the table has no side (0). The
 * role features cross the side with the article's cues (features.c): the same
 * side is cast as hero in one outlet and villain in another. */
#include <string.h>

#include "frame.h"

typedef struct side_row {
	const char *id;
	int side;
} side_row;

#define RU NS_SIDE_RUSSIA
#define UA NS_SIDE_UKRAINE_WEST
#define GR NS_SIDE_CLIMATE_ACTION
#define SK NS_SIDE_CLIMATE_SCEPTIC

/* sorted by id (strcmp order; checked by a unit test) */
static const side_row side_table[] = {
	{"G:activists", GR},      {"G:scientists", GR},
	{"Q:al-jaber", SK},       {"Q:attenborough", GR},   {"Q:austin", UA},
	{"Q:azov", UA},           {"Q:baerbock", UA},       {"Q:belarus", RU},
	{"Q:belousov", RU},       {"Q:biden", UA},          {"Q:blinken", UA},
	{"Q:bogomaz", RU},        {"Q:bolsonaro", SK},      {"Q:borrell", UA},
	{"Q:bp", SK},             {"Q:brussels", UA},       {"Q:budanov", UA},
	{"Q:cameron", UA},        {"Q:choe-son-hui", RU},
	{"Q:cia", UA},            {"Q:clauser", SK},        {"Q:climaximo", GR},
	{"Q:cop", GR},            {"Q:daily-sceptic", SK},  {"Q:duda", UA},
	{"Q:duma", RU},           {"Q:equinor", SK},        {"Q:eu", UA},
	{"Q:eu-commission", UA},  {"Q:eu-council", UA},     {"Q:eu-parliament", UA},
	{"Q:exxon", SK},          {"Q:france", UA},         {"Q:fsb", RU},
	{"Q:gazprom", RU},        {"Q:general-staff", RU},  {"Q:gerasimov", RU},
	{"Q:germany", UA},        {"Q:giaever", SK},        {"Q:gladkov", RU},
	{"Q:gore", GR},           {"Q:greenpeace", GR},     {"Q:greve-climatica", GR},
	{"Q:grushko", RU},        {"Q:gur", UA},            {"Q:ipcc", GR},
	{"Q:just-stop-oil", GR},  {"Q:kadyrov", RU},        {"Q:kerry", GR},
	{"Q:kim-jong-un", RU},    {"Q:kirby", UA},          {"Q:kirill", RU},
	{"Q:klitschko-v", UA},    {"Q:kremlin", RU},        {"Q:kuleba", UA},
	{"Q:kyiv", UA},           {"Q:last-generation", GR}, {"Q:lavrov", RU},
	{"Q:likhachev", RU},      {"Q:london", UA},         {"Q:lukashenko", RU},
	{"Q:macron", UA},         {"Q:malyuk", UA},         {"Q:mann", GR},
	{"Q:marina-silva", GR},   {"Q:masson-delmotte", GR}, {"Q:medvedev", RU},
	{"Q:met-office", GR},     {"Q:mi6", UA},            {"Q:milei", SK},
	{"Q:moscow", RU},         {"Q:nato", UA},           {"Q:nebenzya", RU},
	{"Q:noaa", GR},           {"Q:north-korea", RU},    {"Q:nuland", UA},
	{"Q:opec", SK},           {"Q:pentagon", UA},       {"Q:peskov", RU},
	{"Q:podolyak", UA},       {"Q:poland", UA},         {"Q:poroshenko", UA},
	{"Q:prigozhin", RU},      {"Q:putin", RU},          {"Q:pyongyang", RU},
	{"Q:rada", UA},           {"Q:reznikov", UA},       {"Q:ria", RU},
	{"Q:rosatom", RU},        {"Q:roscosmos", RU},      {"Q:rt", RU},
	{"Q:ru-army", RU},        {"Q:ru-gov", RU},         {"Q:ru-mfa", RU},
	{"Q:ru-mod", RU},         {"Q:ru-navy", RU},        {"Q:ru-security-council", RU},
	{"Q:russia", RU},         {"Q:rutte", UA},          {"Q:ryabkov", RU},
	{"Q:sbu", UA},            {"Q:scholz", UA},         {"Q:shell", SK},
	{"Q:shmyhal", UA},        {"Q:shoigu", RU},         {"Q:sobyanin", RU},
	{"Q:solovyov", RU},       {"Q:spiked", SK},         {"Q:sputnik", RU},
	{"Q:starmer", UA},        {"Q:state-dept", UA},     {"Q:stefanchuk", UA},
	{"Q:stoltenberg", UA},    {"Q:sullivan", UA},       {"Q:sunak", UA},
	{"Q:svr", RU},            {"Q:syrskyi", UA},        {"Q:tass", RU},
	{"Q:thunberg", GR},       {"Q:totalenergies", SK},  {"Q:ua-army", UA},
	{"Q:ua-gov", UA},         {"Q:ua-mfa", UA},         {"Q:ua-mod", UA},
	{"Q:ua-national-guard", UA}, {"Q:uk", UA},          {"Q:ukraine", UA},
	{"Q:umerov", UA},         {"Q:unep", GR},           {"Q:us-admin", UA},
	{"Q:us-congress", UA},    {"Q:us-navy", UA},        {"Q:us-senate", UA},
	{"Q:usa", UA},            {"Q:von-der-leyen", UA},  {"Q:wagner", RU},
	{"Q:washington", UA},     {"Q:west", UA},           {"Q:western-md", RU},
	{"Q:white-house", UA},    {"Q:wwf", GR},            {"Q:xr", GR},
	{"Q:yermak", UA},         {"Q:zakharova", RU},      {"Q:zaluzhnyi", UA},
	{"Q:zelenska", UA},       {"Q:zelensky", UA},
};

#undef RU
#undef UA
#undef GR
#undef SK

int ns_frame_side(const char *id, size_t n)
{
	size_t lo = 0, hi = sizeof side_table / sizeof side_table[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = side_table[mid].id;
		size_t sn = strlen(s);
		int c = memcmp(s, id, sn < n ? sn : n);
		if (c == 0)
			c = sn < n ? -1 : sn > n ? 1 : 0;
		if (c == 0)
			return side_table[mid].side;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NS_SIDE_NONE;
}

size_t ns_frame__side_count(void)
{
	return sizeof side_table / sizeof side_table[0];
}

const char *ns_frame__side_id(size_t i)
{
	return i < sizeof side_table / sizeof side_table[0] ? side_table[i].id : NULL;
}
