/* Internal utilities shared by every module: error setting, checked allocation,
 * growable buffers, arenas, hashing, UTF-8 and JSON string writing.
 *
 * DESIGN: the library never aborts. Allocation goes through ns_malloc and friends,
 * which set NS_ENOMEM with a message and return NULL; size arithmetic uses the
 * overflow-checked helpers. ns_buf keeps a sticky failure flag so a run of appends
 * needs one check at the end (ns_buf_failed). */
#ifndef NS_UTIL_H
#define NS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "narrascope/error.h"

#if defined(__GNUC__)
#define NS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define NS_PRINTF(a, b)
#endif

#define NS_API __attribute__((visibility("default")))

/* ---- errors (error.c) ---- */
/* Sets this thread's message and returns code, so `return ns_error__set(...)`. */
int ns_error__set(int code, const char *fmt, ...) NS_PRINTF(2, 3);
int ns_error__vset(int code, const char *fmt, va_list ap);
/* Prefixes the current message with "prefix: " (for propagating with context). */
int ns_error__wrap(int code, const char *fmt, ...) NS_PRINTF(2, 3);

/* ---- allocation (alloc.c) ---- */
void *ns_malloc(size_t n);
void *ns_calloc(size_t count, size_t size);
void *ns_realloc(void *p, size_t n);
/* realloc of count*size with overflow check. */
void *ns_reallocarray(void *p, size_t count, size_t size);
char *ns_strndup(const char *s, size_t n);
char *ns_strdup(const char *s);
/* Overflow-checked a+b and a*b: return false on overflow. */
static inline bool ns_add_ok(size_t a, size_t b, size_t *out) { return !__builtin_add_overflow(a, b, out); }
static inline bool ns_mul_ok(size_t a, size_t b, size_t *out) { return !__builtin_mul_overflow(a, b, out); }
/* Grows *items (of element size elem) so that at least need elements fit.
 * Returns 0 or NS_ENOMEM. Capacity grows geometrically. */
int ns_grow(void **items, size_t *cap, size_t need, size_t elem);
#define NS_GROW(arr, cap, need) ns_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* ---- growable buffer (buf.c) ---- */
typedef struct ns_buf {
	char *ptr;   /* always NUL-terminated when size > 0 or after any append */
	size_t size; /* bytes used, excluding the terminating NUL */
	size_t cap;
	int failed;  /* sticky: set on the first failed append */
} ns_buf;
#define NS_BUF_INIT {NULL, 0, 0, 0}
int ns_buf_grow(ns_buf *b, size_t extra);
int ns_buf_put(ns_buf *b, const void *data, size_t n);
int ns_buf_puts(ns_buf *b, const char *s);
int ns_buf_putc(ns_buf *b, char c);
int ns_buf_printf(ns_buf *b, const char *fmt, ...) NS_PRINTF(2, 3);
void ns_buf_clear(ns_buf *b);
void ns_buf_free(ns_buf *b);
/* Takes the buffer's memory (caller frees); the buffer is reset. */
char *ns_buf_detach(ns_buf *b, size_t *len);
static inline int ns_buf_failed(const ns_buf *b) { return b->failed; }
/* JSON: appends s[0..n) as a quoted JSON string (escapes control chars, quotes,
 * backslash; passes valid UTF-8 through; invalid bytes become U+FFFD). */
int ns_buf_json_str(ns_buf *b, const char *s, size_t n);
/* Appends a double in round-trippable C-locale form, or with `prec` decimals when
 * prec >= 0. NaN/inf are written as null. */
int ns_buf_json_num(ns_buf *b, double v, int prec);

/* ---- arena (arena.c) ----
 * Bump allocator for per-document data, freed in one call. With NS_DEBUG_POOL
 * defined at build time every allocation is a separate malloc so ASan and
 * valgrind see each one. Memory is zero-filled. */
typedef struct ns_arena_block ns_arena_block;
typedef struct ns_arena {
	ns_arena_block *head;
	size_t total;  /* bytes handed out, for limits and reporting */
	size_t limit;  /* 0 = unlimited; allocation beyond it fails with NS_ELIMIT */
} ns_arena;
#define NS_ARENA_INIT {NULL, 0, 0}
/* n zeroed bytes, 16-byte aligned; NULL on failure (error set). */
void *ns_arena_alloc(ns_arena *a, size_t n);
/* The same, not zeroed: for buffers the caller fills whole (strings). */
void *ns_arena_alloc_raw(ns_arena *a, size_t n);
void *ns_arena_array(ns_arena *a, size_t count, size_t size);
char *ns_arena_strndup(ns_arena *a, const char *s, size_t n);
/* Grow an arena array: copies old contents into a new larger block. */
void *ns_arena_grow(ns_arena *a, void *old, size_t old_count, size_t new_count, size_t size);
/* The same without zeroing the new part (the caller initialises each element). */
void *ns_arena_grow_raw(ns_arena *a, void *old, size_t old_count, size_t new_count, size_t size);
void ns_arena_free(ns_arena *a);

/* ---- hashing (hash.c) ---- */
uint64_t ns_hash64(const void *data, size_t n, uint64_t seed);
static inline uint64_t ns_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= h >> 33; h *= 0xff51afd7ed558ccdULL; h ^= h >> 33;
	return h;
}
/* CRC-32C style checksum used by file formats (crc32 IEEE, table driven). */
uint32_t ns_crc32(uint32_t crc, const void *data, size_t n);

/* ---- string map (strmap.c): string -> int32 value, owns key copies ---- */
typedef struct ns_strmap ns_strmap;
int ns_strmap_new(ns_strmap **out);
void ns_strmap_free(ns_strmap *m);
/* Returns pointer to the value slot for key, inserting with value `dflt` if absent
 * (sets *inserted). NULL on allocation failure. */
int32_t *ns_strmap_put(ns_strmap *m, const char *key, size_t n, int32_t dflt, bool *inserted);
/* Returns true and sets *val when key is present. */
bool ns_strmap_get(const ns_strmap *m, const char *key, size_t n, int32_t *val);
size_t ns_strmap_count(const ns_strmap *m);

/* ---- UTF-8 (utf8.c) ---- */
#define NS_REPLACEMENT 0xFFFDu
/* Decodes one code point at s[0..n) (n > 0). Returns the number of bytes consumed
 * (1..4) and sets *cp; an invalid or truncated sequence consumes 1 byte and gives
 * *cp = NS_REPLACEMENT with *bad = true. Overlongs and surrogates are invalid. */
size_t ns_utf8_decode(const char *s, size_t n, uint32_t *cp, bool *bad);
/* The same, with ASCII and the valid two- and three-byte forms decoded inline
 * (four-byte forms and invalid bytes through the call): Cyrillic and
 * Devanagari text called ns_utf8_decode for every letter (callgrind: 4% of a
 * corpus prediction's instructions in input checks and the text stage). */
static inline size_t ns_utf8_next(const char *str, size_t n, uint32_t *cp, bool *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	*bad = false;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(c & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	/* E0 needs a second byte of A0 or more (else overlong: Devanagari is E0 A4-A5),
	 * ED one below A0 (else a surrogate) */
	if (c >= 0xE0 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (c != 0xE0 || s[1] >= 0xA0) && (c != 0xED || s[1] < 0xA0)) {
		*cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	return ns_utf8_decode(str, n, cp, bad);
}
/* Encodes cp into out (4 bytes room); returns the length. */
size_t ns_utf8_encode(uint32_t cp, char *out);
/* Counts code points; invalid bytes count one each (as after repair). */
size_t ns_utf8_count(const char *s, size_t n);
/* Copies s into a new valid UTF-8 string (each invalid byte -> U+FFFD).
 * *nbad gets the number of repaired bytes. Caller frees *out. */
int ns_utf8_repair(char **out, size_t *outlen, size_t *nbad, const char *s, size_t n);

/* ---- string memo (smemo.c): bounded map of short strings to a few bytes,
 * emptied when full; h is the caller's 64-bit hash of the key ---- */
#define NS_SMEMO_MAX 255 /* longest key and value (bytes) */
typedef struct ns_smemo ns_smemo;
/* 2^slots_log2 slots, pool_bytes of key and value bytes; NULL when out of memory. */
ns_smemo *ns_smemo_new(unsigned slots_log2, size_t pool_bytes);
void ns_smemo_free(void *m); /* void *: usable as a tls destructor */
/* The value of key[0..n) (length in *vlen), or NULL. Valid until the next put. */
const char *ns_smemo_get(const ns_smemo *m, uint64_t h, const char *key, size_t n, size_t *vlen);
/* Remembers key -> val (ignored when either is empty/too long for the memo). */
void ns_smemo_put(ns_smemo *m, uint64_t h, const char *key, size_t n, const void *val, size_t vlen);
/* The calling thread's memo in per-thread slot (NS_TLS_*, tls.c), created on first
 * use with these sizes and freed with the thread's state; NULL when out of memory. */
ns_smemo *ns_smemo_thread(int slot, unsigned slots_log2, size_t pool_bytes);

/* ---- hash index (hidx.c): 64-bit hash -> 32-bit values, many per hash; add
 * everything, sort once, then look up (collisions are the caller's to reject) ---- */
typedef struct ns_hidx_entry {
	uint64_t h;
	uint32_t v;
} ns_hidx_entry;
typedef struct ns_hidx {
	ns_hidx_entry *e;
	size_t n, cap;
} ns_hidx;
int ns_hidx_add(ns_hidx *x, uint64_t h, uint32_t v); /* 0 or NS_ENOMEM */
void ns_hidx_sort(ns_hidx *x);                      /* by hash, then value */
/* The entries of h after sorting: e[begin, *end), by increasing value. */
size_t ns_hidx_find(const ns_hidx *x, uint64_t h, size_t *end);
/* Within e[begin, end) of one hash: the first entry whose value is above v. */
size_t ns_hidx_upper(const ns_hidx *x, size_t begin, size_t end, uint32_t v);
void ns_hidx_free(ns_hidx *x);

/* ---- per-thread state (tls.c) ---- */
enum { NS_TLS_STEM, NS_TLS_NGRAM, NS_TLS_FOLD, NS_TLS_CUES, NS_TLS_NORM, NS_TLS_N };
/* The calling thread's value of slot, or NULL. */
void *ns_tls_get(int slot);
/* Sets the calling thread's value of slot; destroy(v) runs when the thread exits
 * or calls ns_thread_release. 0, NS_EINVAL or NS_ENOMEM. */
int ns_tls_set(int slot, void *v, void (*destroy)(void *));
/* Frees every slot value of the calling thread now (public: narrascope.h). */
void ns_thread_release(void);

/* ---- files (file.c) ---- */
/* Reads a whole file, refusing more than `limit` bytes (0 = no limit) with
 * NS_ELIMIT. `-` reads stdin. Caller frees *out (NUL-terminated). */
int ns_file_read(char **out, size_t *len, const char *path, size_t limit);
/* Writes data to path atomically: temp file in the same dir, fsync, rename,
 * fsync dir. `-` writes stdout. */
int ns_file_write_atomic(const char *path, const void *data, size_t n);

#endif
