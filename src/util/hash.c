/* 64-bit hashing for feature hashing and maps, and CRC-32 for file checksums.
 *
 * DESIGN: the 64-bit hash is a simple multiply-xorshift over 8-byte words
 * (wyhash-like mixing, written here); it must be stable across platforms because
 * hashed feature ids are stored in model files, so words are read little-endian. */
#include <string.h>

#include "util.h"

static inline uint64_t rd64le(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t rd32le(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t ns_hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ 0xa0761d6478bd642fULL ^ (uint64_t)n * 0xe7037ed1a0b428dbULL;
	while (n >= 8) {
		h = mix(h ^ rd64le(p), 0x8ebc6af09c88c6e3ULL);
		p += 8;
		n -= 8;
	}
	/* the 0-7 tail bytes as a little-endian word, read as two overlapping
	 * halves: the overlap ORs a byte onto itself, so t is the byte-by-byte
	 * value without a loop (feature hashing hashes millions of short strings) */
	uint64_t t = 0;
	if (n >= 4)
		t = rd32le(p) | (uint64_t)rd32le(p + n - 4) << (8 * (n - 4));
	else if (n > 0)
		t = (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) | (uint64_t)p[n - 1] << (8 * (n - 1));
	h = mix(h ^ t ^ 0x589965cc75374cc3ULL, 0x1d8e4e27c47d124fULL);
	return mix(h, 0xa0761d6478bd642fULL) ^ h;
}

/* Slice-by-8 CRC-32 (IEEE, reflected 0xEDB88320): eight table lookups per 8 bytes
 * instead of one per byte. Model bundles are checksummed in full on every load, and
 * the byte-at-a-time loop made opening the 19.6 MB default model cost ~50 ms of
 * CPU (190 ms wall on a loaded machine); slicing runs about 5x faster. */
static uint32_t crc_table[8][256];
static int crc_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xff];
	__atomic_store_n(&crc_ready, 1, __ATOMIC_RELEASE);
}

uint32_t ns_crc32(uint32_t crc, const void *data, size_t n)
{
	/* the tables are idempotent to build, so a race only repeats identical writes */
	if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE))
		crc_init();
	const unsigned char *p = data;
	crc = ~crc;
	while (n >= 8) {
		uint32_t lo = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		lo ^= crc;
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^ crc_table[5][(lo >> 16) & 0xff] ^
		      crc_table[4][lo >> 24] ^ crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		      crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		p += 8;
		n -= 8;
	}
	while (n--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
