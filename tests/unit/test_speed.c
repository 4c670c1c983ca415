/* Tests of the fast paths that must give exactly the results of the simple code
 * they replace: ns_fmap_rows against ns_fmap_find (uniform, clustered and tiny
 * maps), the radix sort of ns_svec_from_bag against a reference (id, sentence)
 * order for bags in and out of sentence order, and the bundle CRC (PCLMUL on
 * x86-64) against the byte-wise ns_crc32 on sections of every length 0..300. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/svec.h"
#include "model/bundle.h"
#include "test.h"

/* xorshift64*: deterministic test data without global state */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorted unique ids: n uniform hashes spread over the groups in `groups`
 * (bit g set: group g used); clustered = all hashes in a narrow band. */
static size_t make_map(uint32_t *ids, size_t n, unsigned groups, int clustered, uint64_t *seed)
{
	size_t k = 0;
	while (k < n) {
		unsigned g = (unsigned)(next_rand(seed) % NS_FGROUPS);
		if (!(groups >> g & 1))
			continue;
		uint32_t h = (uint32_t)next_rand(seed) & 0x1FFFFFFFu;
		if (clustered)
			h = 0x1000000u + (h & 0xFFFFu);
		ids[k++] = NS_FID(g, h);
	}
	qsort(ids, n, sizeof *ids, cmp_u32);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || ids[i] != ids[u - 1])
			ids[u++] = ids[i];
	return u;
}

static void check_rows(const uint32_t *ids, size_t dim, uint64_t *seed)
{
	enum { NQ = 3000 };
	ns_fentry *e = malloc(NQ * sizeof *e);
	uint32_t *q = malloc(NQ * sizeof *q);
	int32_t *rows = malloc(NQ * sizeof *rows);
	CHECK(e && q && rows);
	if (!e || !q || !rows)
		goto cleanup;
	/* half the queries are map ids, half are random (mostly absent) */
	for (size_t i = 0; i < NQ; i++)
		q[i] = dim && (i & 1) ? ids[next_rand(seed) % dim] : (uint32_t)next_rand(seed);
	qsort(q, NQ, sizeof *q, cmp_u32);
	size_t n = 0;
	for (size_t i = 0; i < NQ; i++)
		if (n == 0 || q[i] != e[n - 1].id)
			e[n++] = (ns_fentry){q[i], 1.0f};
	ns_fmap_rows(rows, e, n, ids, dim);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += rows[i] != (int32_t)ns_fmap_find(ids, dim, e[i].id);
	CHECK_INT(bad, 0);
cleanup:
	free(e);
	free(q);
	free(rows);
}

NS_TEST(speed__fmap_rows_equal_find)
{
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	uint32_t *ids = malloc(100000 * sizeof *ids);
	CHECK(ids != NULL);
	if (!ids)
		return;
	size_t dim = make_map(ids, 100000, 0x3F, 0, &seed); /* like the default model */
	check_rows(ids, dim, &seed);
	dim = make_map(ids, 5000, 0x11, 1, &seed); /* clustered: estimates far off */
	check_rows(ids, dim, &seed);
	dim = make_map(ids, 40, 0xFF, 0, &seed); /* groups smaller than the window */
	check_rows(ids, dim, &seed);
	check_rows(ids, 0, &seed); /* empty map */
	free(ids);
}

/* Reference check: hits sorted by (id, sent) and stable (w records input order). */
static int sorted_stable(const ns_fhit *h, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t a = (uint64_t)h[i - 1].id << 32 | h[i - 1].sent, b = (uint64_t)h[i].id << 32 | h[i].sent;
		if (a > b || (a == b && h[i - 1].w >= h[i].w))
			return 0;
	}
	return 1;
}

NS_TEST(speed__bag_sort_orders)
{
	uint64_t seed = 42;
	ns_vec_opts o = {1, {1, 1, 1, 1, 1, 1, 1, 1}};
	for (int in_order = 0; in_order < 2; in_order++) {
		for (size_t n = 1; n < 5000; n = n * 3 + 1) {
			ns_fbag b = NS_FBAG_INIT;
			uint32_t sent = 0;
			for (size_t i = 0; i < n; i++) {
				if (in_order)
					sent += next_rand(&seed) % 8 == 0; /* nondecreasing, like features.c */
				else
					sent = (uint32_t)(next_rand(&seed) % 50);
				/* few distinct ids so equal (id, sent) keys occur; w = input order */
				uint32_t id = NS_FID(next_rand(&seed) % NS_FGROUPS, next_rand(&seed) % 97);
				ns_fbag_add(&b, id, sent, (float)(i + 1));
			}
			ns_svec v;
			CHECK_INT(ns_svec_from_bag(&v, &b, &o), 0);
			CHECK(sorted_stable(b.h, b.n));
			CHECK_INT(b.n, n);
			ns_svec_free(&v);
			ns_fbag_free(&b);
		}
	}
}

NS_TEST(speed__bundle_crc_matches_bytewise)
{
	uint64_t seed = 7;
	unsigned char *buf = malloc(300 + 64);
	CHECK(buf != NULL);
	if (!buf)
		return;
	for (size_t i = 0; i < 300 + 64; i++)
		buf[i] = (unsigned char)next_rand(&seed);
	ns_bundle_writer *w = NULL;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	char name[32];
	/* sections of every length 0..300, from unaligned starts */
	for (size_t len = 0; len <= 300; len++) {
		snprintf(name, sizeof name, "s%zu", len);
		CHECK_INT(ns_bundle_writer_add(w, name, buf + len % 61, len), 0);
	}
	char *data = NULL;
	size_t n = 0;
	CHECK_INT(ns_bundle_writer_serialize(w, &data, &n), 0);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, data, n, "crc-test"), 0);
	size_t bad = 0;
	for (size_t len = 0; b && len <= 300; len++) {
		uint64_t off = 0;
		uint32_t crc = 0;
		CHECK_INT(ns_bundle_section_info(b, len, &off, &crc), 0);
		bad += crc != ns_crc32(0, buf + len % 61, len);
	}
	CHECK_INT(bad, 0);
	ns_bundle_close(b);
	free(data);
	ns_bundle_writer_free(w);
	free(buf);
}
