/* Unit tests for src/util: buffers, JSON strings, UTF-8 repair, arena, strmap,
 * hashing, per-thread state. */
#include <pthread.h>
#include <stdlib.h>

#include "test.h"
#include "util/util.h"

NS_TEST(util__buf_json_escapes)
{
	ns_buf b = NS_BUF_INIT;
	ns_buf_json_str(&b, "a\"b\\c\n\x01\xff", 8);
	CHECK(!ns_buf_failed(&b));
	CHECK_STR(b.ptr, "\"a\\\"b\\\\c\\n\\u0001\xEF\xBF\xBD\"");
	ns_buf_free(&b);
}

NS_TEST(util__utf8_repair_counts_each_bad_byte)
{
	char *out;
	size_t len, nbad;
	CHECK_INT(ns_utf8_repair(&out, &len, &nbad, "a\xC3(b\xE2\x82", 6), 0);
	CHECK_INT(nbad, 3);
	CHECK_INT(ns_utf8_count(out, len), 6);
	free(out);
	CHECK_INT(ns_utf8_count("\xD0\x9F\xD1\x83", 4), 2);
}

NS_TEST(util__utf8_rejects_overlong_and_surrogates)
{
	uint32_t cp;
	bool bad;
	ns_utf8_decode("\xC0\xAF", 2, &cp, &bad);
	CHECK(bad);
	ns_utf8_decode("\xED\xA0\x80", 3, &cp, &bad);
	CHECK(bad);
	CHECK_INT(ns_utf8_decode("\xE0\xA4\xB9", 3, &cp, &bad), 3);
	CHECK_INT(cp, 0x939);
}

/* The inline decoder agrees with the validating one on every lead byte with
 * every pair of following bytes, and on truncated input. */
NS_TEST(util__utf8_next_matches_decode_exhaustively)
{
	size_t mismatches = 0;
	for (unsigned a = 0x80; a < 0x100; a++)
		for (unsigned b = 0; b < 0x100; b++)
			for (unsigned c = 0; c < 0x100; c += (a >= 0xE0 ? 1 : 0x100)) {
				unsigned char s[4] = {(unsigned char)a, (unsigned char)b, (unsigned char)c, 0x80};
				for (size_t n = 1; n <= 4; n++) {
					uint32_t cp1 = 0, cp2 = 0;
					bool bad1, bad2;
					size_t k1 = ns_utf8_decode((const char *)s, n, &cp1, &bad1);
					size_t k2 = ns_utf8_next((const char *)s, n, &cp2, &bad2);
					mismatches += k1 != k2 || cp1 != cp2 || bad1 != bad2;
				}
			}
	CHECK_INT(mismatches, 0);
}

NS_TEST(util__arena_and_strmap)
{
	ns_arena a = NS_ARENA_INIT;
	for (int i = 0; i < 1000; i++) {
		char *p = ns_arena_alloc(&a, (size_t)(i * 37 % 5000));
		CHECK(p != NULL);
	}
	ns_arena_free(&a);
	ns_strmap *m;
	CHECK_INT(ns_strmap_new(&m), 0);
	char key[32];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);
		*ns_strmap_put(m, key, (size_t)n, 0, NULL) = i;
	}
	int32_t v = -1;
	CHECK(ns_strmap_get(m, "k4321", 5, &v));
	CHECK_INT(v, 4321);
	CHECK(!ns_strmap_get(m, "nope", 4, &v));
	CHECK_INT(ns_strmap_count(m), 5000);
	ns_strmap_free(m);
}

NS_TEST(util__crc32_known_value)
{
	CHECK_INT(ns_crc32(0, "123456789", 9), 0xCBF43926u);
}

/* Feature ids stored in models are hashes: the values must never change. Every
 * length 0-40 at 8 alignments, folded into one value pinned here. */
NS_TEST(util__hash64_pinned_values)
{
	unsigned char buf[64];
	for (int i = 0; i < 64; i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	uint64_t acc = 0;
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= 40; n++)
			acc = acc * 0x100000001b3ULL ^ ns_hash64(buf + off, n, n * 7 + off);
	CHECK(acc == 0x2b2da9f47d5baa6eULL);
	CHECK(ns_hash64("", 0, 0) == 0x6eb915b74395c611ULL);
	CHECK(ns_hash64("abc", 3, 5) == 0x4ccef3be5a218e21ULL);
}

static int tls_freed;
static void tls_free_int(void *p)
{
	tls_freed += *(int *)p;
	free(p);
}

static void *tls_thread(void *arg)
{
	(void)arg;
	int *v = malloc(sizeof *v);
	if (v) {
		*v = 10;
		if (ns_tls_set(NS_TLS_FOLD, v, tls_free_int) < 0)
			free(v);
	}
	return ns_tls_get(NS_TLS_FOLD);
}

/* Slot values are per thread, freed when their thread exits or calls
 * ns_thread_release. */
NS_TEST(util__tls_per_thread_and_released)
{
	tls_freed = 0;
	int *v = malloc(sizeof *v);
	CHECK(v != NULL);
	*v = 1;
	CHECK_INT(ns_tls_set(NS_TLS_FOLD, v, tls_free_int), 0);
	CHECK(ns_tls_get(NS_TLS_FOLD) == v);
	pthread_t th;
	void *seen = NULL;
	CHECK_INT(pthread_create(&th, NULL, tls_thread, NULL), 0);
	CHECK_INT(pthread_join(th, &seen), 0);
	CHECK(seen != NULL && seen != v); /* the other thread had its own */
	CHECK_INT(tls_freed, 10);         /* freed at that thread's exit */
	CHECK(ns_tls_get(NS_TLS_FOLD) == v);
	ns_thread_release();
	CHECK_INT(tls_freed, 11);
	CHECK(ns_tls_get(NS_TLS_FOLD) == NULL);
	CHECK(ns_tls_set(NS_TLS_N, v, NULL) < 0);
}

/* ns_hidx against a brute-force scan: many values per hash, hashes colliding on
 * purpose (few distinct), lookups of present and absent hashes, and the first
 * value above v within a run. */
NS_TEST(util__hidx_runs_and_upper_bound)
{
	ns_hidx x = {0};
	uint64_t h[500];
	uint32_t v[500];
	uint64_t s = 7;
	for (size_t i = 0; i < 500; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		h[i] = (s >> 33) % 13; /* 13 distinct hashes */
		v[i] = (uint32_t)((s >> 20) % 1000);
		CHECK_INT(ns_hidx_add(&x, h[i], v[i]), 0);
	}
	ns_hidx_sort(&x);
	for (uint64_t q = 0; q < 15; q++) {
		size_t end, b = ns_hidx_find(&x, q, &end), want = 0;
		for (size_t i = 0; i < 500; i++)
			want += h[i] == q;
		CHECK_INT(end - b, want);
		for (size_t i = b; i < end; i++) {
			CHECK(x.e[i].h == q);
			CHECK(i == b || x.e[i - 1].v <= x.e[i].v);
		}
		for (uint32_t t = 0; t < 1000; t += 37) {
			size_t u = ns_hidx_upper(&x, b, end, t), above = 0;
			for (size_t i = 0; i < 500; i++)
				above += h[i] == q && v[i] > t;
			CHECK_INT(end - u, above);
		}
	}
	ns_hidx_free(&x);
	CHECK(x.e == NULL && x.n == 0);
	size_t end;
	CHECK_INT(ns_hidx_find(&x, 3, &end), 0); /* empty index */
	CHECK_INT(end, 0);
}
