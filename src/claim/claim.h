/* Quotes and accusations: who said what, who accuses whom of what.
 *
 * DESIGN: the extractor works on the text layer (sentences, tokens with norms) and
 * on a flat list of actor mentions (spans linked to canonical entity ids) that the
 * claims stage builds from the entities layer, so the extractor does not depend on
 * how entities are stored and can be tested with hand-made actors. Direct quotes
 * are found by scanning code points for quotation marks (every common style,
 * nesting, quotes that run over paragraph breaks); indirect speech and accusations
 * by multilingual cue lexicons (cues.c) over token norms. Speakers are actors,
 * reached directly ("said Putin"), through pronouns ("he said") or through role
 * nouns ("the spokesman said") resolved to an actor named nearby. All spans are
 * half-open code-point offsets into the original text. */
#ifndef NS_CLAIM_CLAIM_H
#define NS_CLAIM_CLAIM_H

#include <stddef.h>
#include <stdint.h>

#include "../text/doc.h"
#include "../util/util.h"

/* Actor types (mirrors the gazetteer's types; UNKNOWN for name-shaped spans). */
enum ns_claim_actor_type {
	NS_ACTOR_UNKNOWN = 0,
	NS_ACTOR_PERSON = 1,
	NS_ACTOR_ORG = 2,
	NS_ACTOR_COUNTRY = 3,
	NS_ACTOR_GROUP = 4,
	NS_ACTOR_LOCATION = 5,
	NS_ACTOR_OTHER = 6,
};

/* One mention of a canonical actor. Strings are borrowed (entities layer or the
 * document arena) and must outlive the claims layer. */
typedef struct ns_claim_actor {
	uint32_t start, end; /* code points, half-open */
	const char *id;      /* canonical entity id */
	const char *name;    /* canonical display name */
	uint8_t type;        /* enum ns_claim_actor_type */
	uint8_t adj;         /* 1: an adjective or demonym form ("Russian", "российский") */
	uint8_t weak;        /* set by the extractor for its own name shapes (lose to given actors) */
} ns_claim_actor;

enum ns_quote_kind { NS_QUOTE_DIRECT = 1, NS_QUOTE_INDIRECT = 2 };

typedef struct ns_quote {
	ns_span text;             /* the quoted words (without the marks) or reported clause */
	ns_span cue;              /* reporting verb / attribution phrase; {0,0} when none */
	const char *speaker_id;   /* NULL when the speaker is unknown */
	const char *speaker_name;
	uint8_t kind;             /* enum ns_quote_kind */
	uint8_t unclosed;         /* direct quote whose closing mark was missing */
	int32_t actor;            /* extractor-internal actor index, -1 when unknown */
} ns_quote;

typedef struct ns_accusation {
	const char *accuser_id, *accuser_name; /* "article" / "the article" by default */
	const char *accused_id, *accused_name;
	const char *act;                       /* canonical act label, see cues.c */
	ns_span span;                          /* the sentence (or clause) carrying it */
	ns_span act_span;                      /* the act words */
	uint8_t negated;                       /* a denial or rejection */
} ns_accusation;

typedef struct ns_claims {
	ns_quote *quotes;
	size_t nquotes;
	ns_accusation *accusations;
	size_t naccusations;
	const char *explanation; /* set by the explanation stage; may be NULL */
	const char *explanation_narrative;
	const char *explanation_subnarrative;
} ns_claims;

#define NS_CLAIM_ARTICLE_ID "article"
#define NS_CLAIM_ARTICLE_NAME "the article"

/* Limits keep hostile input linear: at most this many quotes/accusations per document. */
#define NS_CLAIM_MAX_QUOTES 20000
#define NS_CLAIM_MAX_ACCUSATIONS 20000

/* The compiled cue lexicons (cues.c): built once, immutable, shared by threads. */
typedef struct ns_claim_lex ns_claim_lex;
int ns_claim_lex_new(ns_claim_lex **out);
void ns_claim_lex_free(ns_claim_lex *lex);

/* Extracts quotes and accusations from doc (text stage done). actors may be NULL
 * when n == 0; they need not be sorted. When n == 0 name-shaped spans found by the
 * extractor itself serve as actors with document-local ids. The result lives in
 * doc->arena; *out is borrowed from it. Returns 0 or NS_E*. */
int ns_claim_extract(ns_claims **out, const ns_claim_lex *lex, ns_doc *doc,
		      const ns_claim_actor *actors, size_t n);

/* Appends `,"quotes":[...],"accusations":[...]` for c (may be NULL: empty arrays). */
int ns_claim_write_json(ns_buf *out, const ns_doc *doc, const ns_claims *c);

/* Runs the extractor on doc with actors taken from its entities layer (or the
 * name-shape fallback) and stores the result in doc->claims. Used by the claims
 * stage and by tools (gold-set bench, explanation CV) that run it directly. */
int ns_claim__run_doc(ns_doc *doc, const ns_claim_lex *lex);

/* ---- internals shared by the claim files ---- */

/* Cue classes looked up by cues.c. */
enum ns_claim_cue {
	NS_CLAIM_CUE_SAY = 1,        /* reporting verb: said, заявил, каза, disse, कहा */
	NS_CLAIM_CUE_ACCORDING,      /* according to X, по словам X, според X, segundo X */
	NS_CLAIM_CUE_POSTP_ACCORD,   /* X के अनुसार (postposition: speaker before) */
	NS_CLAIM_CUE_THAT,           /* complementizer: that, что, че, que, कि */
	NS_CLAIM_CUE_PRON_SG,        /* he/she and equivalents */
	NS_CLAIM_CUE_PRON_PL,        /* they and equivalents */
	NS_CLAIM_CUE_ROLE,           /* spokesman, minister, представитель, ... */
	NS_CLAIM_CUE_ACCUSE,         /* accused, blamed, обвинил, acusou, आरोप */
	NS_CLAIM_CUE_COMMIT,         /* committed, perpetrated, совершил */
	NS_CLAIM_CUE_DENY,           /* denied, rejected, отрицает, negou, इनकार */
	NS_CLAIM_CUE_ACT,            /* act nouns; the act label is returned separately */
	NS_CLAIM_CUE_BY,             /* passive agent: by, от, por, द्वारा */
	NS_CLAIM_CUE_HI_ERG,         /* Hindi ergative ने after the subject */
	NS_CLAIM_CUE_HI_PAR,         /* Hindi पर after the accused */
	NS_CLAIM_CUE_ROLE_ORG,       /* "the company", "the ministry", "the report": an organisation */
	NS_CLAIM_CUE_THIS,           /* "об этом", "това", "isto": points back at the previous sentence */
	NS_CLAIM_CUE_AGENT_OF,       /* "of", "на", "da": the actor after an act noun is its agent */
	NS_CLAIM_CUE_VICTIM,         /* "against", "против", "срещу", "contra", "on": the actor after is the target */
	NS_CLAIM_CUE_POSS,           /* Hindi का/की/के after an actor: possessive */
	NS_CLAIM_CUE_ACCORD_PRON,    /* "по его словам", "според него", "segundo ele": source is a pronoun */
	NS_CLAIM_CUE_ACT_WEAK,       /* act words that accuse only next to a blame cue ("escalation", "эскалация") */
	NS_CLAIM_CUE_NCLASS
};

/* Token view used by the extractor: norm + offsets, independent of doc layout. */
/* One cue match starting at a token. */
typedef struct ns_claim_match {
	uint8_t cls;       /* enum ns_claim_cue */
	uint8_t ntok;      /* tokens covered */
	const char *label; /* act label for NS_CLAIM_CUE_ACT, else NULL */
} ns_claim_match;

typedef struct ns_claim_ctx {
	ns_doc *doc;
	const ns_claim_lex *lex;
	ns_claim_match *m;    /* all cue matches, grouped by start token */
	uint32_t *m_begin;    /* ntok + 1 entries: matches of token i are m[m_begin[i]..m_begin[i+1]) */
	const ns_token *tok;
	size_t ntok;
	const uint32_t *cp;   /* decoded code points of the text */
	size_t ncp;
	size_t first_nl;      /* code point of the first '\n' (ncp when none): the headline's end */
	ns_claim_actor *act;  /* sorted by start */
	size_t nact;
	uint32_t *act_tok;    /* first token index of each actor */
	uint32_t *act_tok_end;/* one past its last token */
	int32_t *tok_actor;   /* per token: actor index covering it, or -1 */
	/* role noun -> actor bindings found in the document ("spokesman John Kirby") */
	uint32_t *role_tok;   /* token index of the role noun */
	int32_t *role_actor;  /* actor bound to it */
	size_t nrole;
	const ns_quote *dq;   /* direct quotes found so far (for skipping quoted actors) */
	size_t ndq;
	int32_t last_spk;     /* speaker of the last attributed quote, or -1 */
	uint32_t last_end;    /* where that quote ended */
	int en;               /* document language is English (zero "that" clauses) */
	int hi;               /* document language is Hindi (SOV patterns) */
} ns_claim_ctx;

/* Fills c->m / c->m_begin for every token (cues.c). */
int ns_claim__match_all(ns_claim_ctx *c);
/* Matches a cue of class cls starting at token i; returns the number of tokens
 * matched (0 when none). For NS_CLAIM_CUE_ACT, *label receives the act label. */
size_t ns_claim__cue(const ns_claim_ctx *c, size_t i, int cls, const char **label);
/* True when the code point is a letter or digit (for quote-mark context tests). */
int ns_claim__is_alnum(uint32_t cp);
/* True for sentence-final punctuation (. ! ? … ।). */
int ns_claim__is_final(uint32_t cp);
/* Token index of the first token starting at or after code point pos. */
size_t ns_claim__tok_at(const ns_claim_ctx *c, uint32_t pos);

/* quote_direct.c: finds direct quotes (spans only; speakers set later). */
int ns_claim__direct(ns_claim_ctx *c, ns_quote **q, size_t *nq, size_t *cap);
/* quote_speaker.c: attributes direct quotes and finds indirect speech. */
int ns_claim__attribute(ns_claim_ctx *c, ns_quote **q, size_t *nq, size_t *cap);
/* Resolves the speaker around token window [from, to) with the cue at token cue
 * (or SIZE_MAX): returns an actor index or -1. */
int32_t ns_claim__speaker_near(const ns_claim_ctx *c, size_t from, size_t to, size_t cue);
/* Resolves a pronoun or role noun at token i to an actor index (or -1). */
int32_t ns_claim__resolve_ref(const ns_claim_ctx *c, size_t i, int cls);
/* speaker_ref.c: the speaker of a closing attribution in tokens [from, to) with
 * the cue at token cue (or SIZE_MAX: the speaker follows from); the first person
 * named within a short distance after token i (cataphora); helpers. */
int32_t ns_claim__speaker_after(const ns_claim_ctx *c, size_t from, size_t to, size_t cue);
int32_t ns_claim__next_person(const ns_claim_ctx *c, size_t i);
int ns_claim__personish(const ns_claim_ctx *c, int32_t a);
int ns_claim__speaker_type_ok(uint8_t t);
int ns_claim__word_is(const ns_token *t, const char *w);
/* quote_speaker.c helpers: token i is the punctuation ch; pos lies inside a
 * direct quote found so far. */
int ns_claim__is_punct(const ns_claim_ctx *c, size_t i, uint32_t ch);
int ns_claim__in_direct(const ns_claim_ctx *c, uint32_t pos);
/* accuse.c */
int ns_claim__accusations(ns_claim_ctx *c, const ns_quote *q, size_t nq,
	ns_accusation **out, size_t *nout);

#endif
