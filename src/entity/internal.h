/* Internals shared by the entity module's files (gazetteer.c, detect.c,
 * link.c, stage.c): the compiled gazetteer and the detection scratch types. */
#ifndef NS_ENTITY_INTERNAL_H
#define NS_ENTITY_INTERNAL_H

#include "../lex/lex.h"
#include "entity.h"

/* alias flags */
#define NS_GAZF_NEED_CAP 0x01     /* text must start with an upper-case letter */
#define NS_GAZF_NEED_ALLCAPS 0x02 /* text must be all capitals (short acronyms) */
#define NS_GAZF_TITLE 0x04        /* office title: links to a holder named nearby */
#define NS_GAZF_SURNAME 0x08      /* derived last name of a person (standalone only) */
#define NS_GAZF_GENERIC 0x10      /* generic actor group (G: entries) */

typedef struct ns_gaz_entry {
	const char *id;   /* into gazetteer text copy */
	const char *name;
	uint8_t type;
} ns_gaz_entry;

typedef struct ns_gaz_alias {
	int32_t entry;
	uint8_t kind;   /* enum ns_mention_kind */
	uint8_t flags;  /* NS_GAZF_* */
	uint8_t nunits; /* match units in the alias */
	uint8_t nletters; /* one-unit aliases: letters of the shortest written form with
			     this key (capped at 255), else 0 */
} ns_gaz_alias;

struct ns_gazetteer {
	char *src;          /* owned copy of the TSV text (entries point into it) */
	char *raw;          /* owned pristine copy of the TSV text, for serialisation */
	size_t srclen;
	char *name;         /* source name for messages */
	ns_gaz_entry *entries;
	size_t nentries, capentries;
	ns_gaz_alias *aliases; /* trie values index this array */
	size_t naliases, capaliases;
	ns_lex_trie *trie;
	ns_strmap *ids;     /* id -> entry index */
	ns_strmap *seen;    /* dedup of (entry, flags, key sequence) while building */
	ns_strmap *stop;    /* folded stop words and titles that break name shapes */
	ns_strmap *conn;    /* folded name connectors (de, von, bin, ...) */
	ns_strmap *orgs;    /* folded words marking organisation names */
};

/* detect.c: builds the folded stop-word, connector and organisation-word sets. */
int ns_entity__words_new(ns_strmap **stop, ns_strmap **conn, ns_strmap **orgs);

/* Maximum units in one alias / one match. */
#define NS_GAZ_MAX_UNITS 16

/* Detection: fills doc->entities with mentions (entity = -1 until linked) and
 * the parallel candidate list; link assigns entities. */
typedef struct ns_ent_cand {
	int32_t trie_node; /* gazetteer node of the match, -1 for name shapes */
	uint32_t unit_begin, unit_end;
} ns_ent_cand;

/* A match unit of the document: a piece of a token. */
typedef struct ns_ent_unit {
	uint32_t tok;
	uint32_t start, end;   /* code points */
	uint32_t bstart, bend; /* bytes */
	const char *key;       /* folded, arena */
	uint16_t keylen;
	uint8_t word, upper_initial, all_upper, script, sent_start;
	uint8_t nletters;
} ns_ent_unit;

/* The units whose word the article writes in lower case, as a hash set of unit
 * indices (open addressing on the folded key), built on first use. */
typedef struct ns_ent_lower {
	uint32_t *slot; /* UINT32_MAX: empty */
	size_t mask;
	bool built, failed; /* failed: out of memory, answer by scanning */
} ns_ent_lower;

typedef struct ns_ent_work {
	ns_ent_unit *units;
	size_t nunits;
	ns_ent_cand *cands; /* parallel to layer->mentions */
	const ns_strmap *orgs;
	ns_ent_lower *lower; /* owned by ns_entity_detect */
} ns_ent_work;

/* 1: the article also writes unit x's word in lower case (a common word). Linear
 * in the document once: every capitalised word of a long article asks. */
bool ns_entity__common_word(const ns_ent_work *w, const ns_ent_unit *x);

/* A Cyrillic word shorter than every written form of the one-word place name
 * (a capitalised alias al) that it shares a folded key with is another word: the
 * given names "Николай", "Никола" and "Софи" fold like the cities "Николаев"
 * and "София", while a place's case forms are never shorter than its base form. */
bool ns_entity__shorter_place(const ns_gazetteer *g, const ns_gaz_alias *al, const ns_ent_unit *u);

/* link.c: groups the detected mentions into entities. */
int ns_entity__link(ns_doc *doc, const ns_gazetteer *g, ns_entity_layer *L, const ns_ent_work *w);

#endif
