/* The per-document entity layer (mentions linked to canonical entities) and the
 * gazetteer it is detected with.
 *
 * DESIGN: the gazetteer (data/entities.tsv, or the bundle section "gazetteer")
 * lists canonical entities with names, aliases, demonyms and adjective forms in
 * en, ru, uk, bg, pt and hi. Loading it builds an automaton keyed by token
 * sequences, both normalised (token->norm) and stemmed per document language
 * (token->stem), so inflected forms (Путина, Путину) match. ns_entity_detect adds
 * gazetteer matches and name-shaped spans (capitalised runs, Latin and Cyrillic
 * only), resolves overlaps longest-first, then links mentions within the document:
 * surname-only and title mentions join the full name, acronyms and translations
 * share the canonical id, unknown names get document-local ids "L:<n>" numbered in
 * order of first appearance (stable for the same text).
 * The layer lives in doc->arena and hangs off doc->entities. */
#ifndef NS_ENTITY_ENTITY_H
#define NS_ENTITY_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "../model/bundle.h"
#include "../text/doc.h"
#include "../util/util.h"

/* Entity types; stored as strings in files ("person", ...), never as numbers. */
enum ns_entity_type {
	NS_ENT_OTHER = 0,
	NS_ENT_PERSON = 1,
	NS_ENT_ORGANISATION = 2,
	NS_ENT_COUNTRY = 3, /* country or state */
	NS_ENT_GROUP = 4,   /* people, nationalities, movements, armed groups */
	NS_ENT_LOCATION = 5,
};
#define NS_ENT_NTYPES 6

/* How a mention was found. */
enum ns_mention_kind {
	NS_MENTION_NAME = 1,    /* a gazetteer name or alias (full or surname) */
	NS_MENTION_ACRONYM = 2, /* all-capital gazetteer alias (NATO, НАТО, OTAN) */
	NS_MENTION_ADJ = 3,     /* demonym/adjective alias (Russian, российский) */
	NS_MENTION_TITLE = 4,   /* title phrase ("the Russian defence minister") */
	NS_MENTION_SHAPE = 5,   /* name-shaped span not in the gazetteer */
};

typedef struct ns_mention {
	uint32_t start, end;         /* code points of the original text, half-open */
	uint32_t bstart, bend;       /* bytes in doc->text */
	uint32_t tok_begin, tok_end; /* token range [begin, end) in doc->tokens */
	uint32_t sentence;           /* index into doc->sentences */
	int32_t entity;              /* index into layer->entities */
	float score;                 /* 0..1 confidence that this is a named actor */
	uint8_t from_gazetteer;      /* 1 when matched in the gazetteer */
	uint8_t kind;                /* enum ns_mention_kind */
} ns_mention;

typedef struct ns_entity {
	const char *id;      /* "Q:putin" (gazetteer) or "L:3" (document-local); arena */
	const char *name;    /* canonical English name, or the longest surface form */
	uint8_t type;        /* enum ns_entity_type */
	int32_t gaz_index;   /* gazetteer entry index, -1 for local entities */
	uint32_t *mentions;  /* indices into layer->mentions, in text order */
	uint32_t nmentions;
	float score;         /* max mention score */
	/* Hook for the framing stage: it points role at its per-entity role record
	 * (doc->arena) during its run; write_json of the entity stage then calls
	 * layer->write_role for every entity whose role is set. */
	const void *role;
} ns_entity;

typedef struct ns_entity_layer {
	ns_entity *entities; /* in order of first mention */
	size_t nentities;
	ns_mention *mentions; /* in text order, non-overlapping */
	size_t nmentions;
	/* Set by the framing stage: appends `,"role":{...}` (leading comma included)
	 * for entity e to out. NULL = no roles. */
	int (*write_role)(ns_buf *out, const ns_entity *e, const void *payload);
	const void *role_payload;
} ns_entity_layer;

typedef struct ns_gazetteer ns_gazetteer;

/* Name of the bundle section holding the gazetteer snapshot. */
#define NS_GAZETTEER_SECTION "gazetteer"

/* Loads and compiles a gazetteer TSV file (see data/entities.tsv for columns).
 * Errors name path:line. Caller frees with ns_gazetteer_free. */
int ns_gazetteer_load(ns_gazetteer **out, const char *path);
/* Same over TSV text in memory; `name` is used in messages. */
int ns_gazetteer_load_mem(ns_gazetteer **out, const char *tsv, size_t len, const char *name);
/* Loads from the bundle section NS_GAZETTEER_SECTION; NS_ENOTFOUND (no message)
 * when the bundle has none. */
int ns_gazetteer_load_bundle(ns_gazetteer **out, const ns_bundle *b);
/* Default loading order for tools: the bundle section when b has one; else
 * $NARRASCOPE_DATA/entities.tsv when that variable is set; else data/entities.tsv
 * relative to the working directory. */
int ns_gazetteer_load_default(ns_gazetteer **out, const ns_bundle *b);
void ns_gazetteer_free(ns_gazetteer *g);

/* Serialises the gazetteer (its source TSV, versioned) into a section payload. */
int ns_gazetteer_serialize(const ns_gazetteer *g, ns_buf *out);
/* Adds the section NS_GAZETTEER_SECTION to a bundle being written (for trainers). */
int ns_gazetteer_add_to_bundle(const ns_gazetteer *g, ns_bundle_writer *w);

size_t ns_gazetteer_count(const ns_gazetteer *g);
/* Entry i: canonical id ("Q:putin"), canonical English name, type. Borrowed. */
const char *ns_gazetteer_id(const ns_gazetteer *g, size_t i);
const char *ns_gazetteer_name(const ns_gazetteer *g, size_t i);
int ns_gazetteer_type(const ns_gazetteer *g, size_t i);
/* Index of the entry with canonical id `id`, or -1. */
int32_t ns_gazetteer_find_id(const ns_gazetteer *g, const char *id, size_t n);

/* Which canonical entity is this surface string? The string is tokenised,
 * normalised and stemmed as text of language `lang` ("en", "ru", ..., or NULL
 * to identify it), and must be covered exactly by one gazetteer name. Sets *index
 * to the entry index, or -1 when unknown. Returns 0 or NS_E*. */
int ns_gazetteer_lookup(int32_t *index, const ns_gazetteer *g, const char *s, size_t n,
			const char *lang);

/* Detects mentions in a processed document (ns_text_process done) and links them
 * into entities; stores the layer (arena) in doc->entities. g may be NULL (name
 * shapes only). Returns 0 or NS_E*. */
int ns_entity_detect(ns_doc *doc, const ns_gazetteer *g);
/* The layer of a document, or NULL when the entity stage has not run. */
static inline const ns_entity_layer *ns_entity_layer_of(const ns_doc *doc)
{
	return (const ns_entity_layer *)doc->entities;
}
/* Index of the mention overlapping [start,end) code points, or -1. */
int32_t ns_entity_mention_at(const ns_entity_layer *L, uint32_t start, uint32_t end);

/* "person", "organisation", "country", "group", "location", "other". */
const char *ns_entity_type_name(int type);
/* Parses a type name; -1 when unknown. */
int ns_entity_type_parse(const char *s, size_t n);

/* Appends `,"entities":[...]` for the document's layer. */
int ns_entity_write_json(ns_buf *out, const ns_doc *doc);

#endif
