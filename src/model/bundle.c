/* The model bundle container (*.nsm): reader (mmap, validated) and deterministic
 * atomic writer. This file is the only code that knows the byte layout.
 *
 * FORMAT (all integers little-endian; offsets and lengths in bytes from the start
 * of the file):
 *
 *   header, 64 bytes
 *     0  magic        8 bytes  "\x89NSM\r\n\x1a\n" (PNG-style: the high byte and
 *                              the CR/LF/^Z catch 7-bit and text-mode mangling)
 *     8  version      u32      format version, 1 (see history below)
 *    12  header_size  u32      64
 *    16  nsections    u32      number of section table entries (<= 65536)
 *    20  flags        u32      0 (reserved; nonzero is rejected)
 *    24  table_off    u64      offset of the section table (64 in version 1)
 *    32  file_size    u64      total file size; a shorter file is truncated
 *    40  table_crc    u32      CRC-32 (ns_crc32) of the whole section table
 *    44  header_crc   u32      CRC-32 of header bytes [0, 44)
 *    48  reserved     16 bytes zero
 *
 *   section table, nsections entries of 64 bytes each, in file order
 *     0  name         32 bytes printable ASCII (0x21..0x7e), NUL-padded, 1..31 chars
 *    32  offset       u64      16-byte aligned, >= end of the table
 *    40  length       u64
 *    48  crc          u32      CRC-32 of the section's bytes
 *    52  reserved     12 bytes zero
 *
 *   section data, each section starting at a 16-byte aligned offset, in table
 *   order, with zero bytes as padding between sections (checked, so every byte
 *   of the file is covered by a checksum or a check); the file ends exactly at
 *   the end of the last section (file_size).
 *
 * Sections must appear in increasing offset order without overlap, names are
 * unique. Nothing time- or host-dependent is stored, so the same sections added in
 * the same order always give the same bytes.
 *
 * Validation order on load (each failure its own one-line message naming the
 * file): size < 8 or short header -> "truncated"; magic -> "wrong magic"; version
 * 0 -> "corrupted"; version > NS_BUNDLE_FORMAT_VERSION -> "newer format version"
 * (NS_EVERSION; checked before the header checksum because a newer version may
 * lay its header out differently); header checksum; file_size vs actual size
 * ("truncated ... ends inside section X" / trailing bytes); table range and
 * checksum; per entry: name, alignment, range, order/overlap, duplicates,
 * section checksum ("corrupted: section 'X' checksum mismatch").
 *
 * VERSION HISTORY
 *   1  (narrascope 0.x, issue 3) first version: layout above.
 *   When the layout changes, bump NS_BUNDLE_FORMAT_VERSION, add a line here and
 *   keep reading the older versions. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"

#define NS_BUNDLE_FORMAT_VERSION 1u
#define HDR_SIZE 64u
#define ENTRY_SIZE 64u
#define NAME_MAX_LEN 31u
#define MAX_SECTIONS 65536u
#define ALIGN 16u

static const unsigned char MAGIC[8] = {0x89, 'N', 'S', 'M', '\r', '\n', 0x1a, '\n'};

typedef struct {
	char name[NAME_MAX_LEN + 1];
	uint64_t off, len;
	uint32_t crc;
} section;

struct ns_bundle {
	char *path;
	const unsigned char *data;
	size_t len;
	void *map;   /* mmap'ed region (munmap on close) or NULL */
	void *owned; /* heap copy (free on close) or NULL */
	uint32_t version;
	size_t nsec;
	section *sec;
};

typedef struct {
	char *name;
	void *data;
	size_t len;
} wsection;

struct ns_bundle_writer {
	wsection *sec;
	size_t nsec, cap;
};

/* CRC-32 (IEEE, reflected 0xEDB88320: the same values as ns_crc32 and zlib),
 * slicing-by-8. Every section is checksummed on every load, so this is the load
 * time: measured on a 12.5 MB bundle, the byte-wise table took ~95 ms, which alone
 * broke the 50 ms model-load budget. The 8 KB of tables are built per call on
 * the stack (~10 us) so there is no process-wide state. */
typedef struct {
	uint32_t t[8][256];
} crc_tables;

static void crc_init(crc_tables *ct)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		ct->t[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			ct->t[k][i] = (ct->t[k - 1][i] >> 8) ^ ct->t[0][ct->t[k - 1][i] & 0xff];
}

/* Carry-less multiplication folding (Intel, "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ", 2009; the constants of zlib's and Chromium's
 * crc32_simd for the reflected IEEE polynomial): folds 64 bytes per step with
 * four 128-bit accumulators, then Barrett-reduces to 32 bits. Compiled for
 * PCLMUL+SSE4.1 only in this function and used when the CPU has them (checked at
 * run time), so the binary still runs on any x86-64. It checksums the 20 MB
 * default model ~10x faster than slicing-by-8, which was ~60% of model load.
 * Takes and returns the running (pre-inverted) register value; n >= 64, n % 16 == 0. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CRC_CLMUL 1

__attribute__((target("pclmul,sse4.1")))
static uint32_t crc32_clmul(const unsigned char *p, size_t n, uint32_t crc)
{
	const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
	const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124LL);
	const __m128i poly = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);
	__m128i x0, x1, x2, x3, x4, x5, x6, x7, x8;
	x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	x0 = k1k2;
	p += 64;
	n -= 64;
	while (n >= 64) {
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
		x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
		x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
		x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
		x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128((const __m128i *)(const void *)(p + 0x00)));
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128((const __m128i *)(const void *)(p + 0x10)));
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128((const __m128i *)(const void *)(p + 0x20)));
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128((const __m128i *)(const void *)(p + 0x30)));
		p += 64;
		n -= 64;
	}
	/* fold the four accumulators into one */
	x0 = k3k4;
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
	while (n >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)(const void *)p);
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		p += 16;
		n -= 16;
	}
	/* 128 -> 64 bits */
	x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
	x3 = _mm_setr_epi32(~0, 0, ~0, 0);
	x1 = _mm_srli_si128(x1, 8);
	x1 = _mm_xor_si128(x1, x2);
	x0 = k5k0;
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, x3);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	/* Barrett reduction to 32 bits */
	x0 = poly;
	x2 = _mm_and_si128(x1, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
	x2 = _mm_and_si128(x2, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return (uint32_t)_mm_extract_epi32(x1, 1);
}
#endif

static uint32_t crc32_fast(const crc_tables *ct, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint32_t crc = 0xFFFFFFFFu;
	const uint32_t(*t)[256] = ct->t;
#ifdef CRC_CLMUL
	if (n >= 64 && __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
		size_t bulk = n & ~(size_t)15;
		crc = crc32_clmul(p, bulk, crc);
		p += bulk;
		n -= bulk;
	}
#endif
	while (n >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
		      t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
		p += 8;
		n -= 8;
	}
	while (n--)
		crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p) { return get_u32(p) | (uint64_t)get_u32(p + 4) << 32; }

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put_u64(unsigned char *p, uint64_t v)
{
	put_u32(p, (uint32_t)v);
	put_u32(p + 4, (uint32_t)(v >> 32));
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* Which section (if any) contains file offset `at`; for truncation messages. */
static const char *section_at_offset(const section *sec, size_t n, uint64_t at)
{
	for (size_t i = 0; i < n; i++)
		if (at >= sec[i].off && at - sec[i].off < sec[i].len)
			return sec[i].name;
	return NULL;
}

/* Parses the section table entries without checking ranges against the actual
 * length (used for the truncation message and by validate()). Entry names are
 * checked here. */
static int parse_table(section *sec, const unsigned char *tab, size_t nsec, const char *name)
{
	for (size_t i = 0; i < nsec; i++) {
		const unsigned char *e = tab + i * ENTRY_SIZE;
		size_t nl = strnlen((const char *)e, NAME_MAX_LEN + 1);
		if (!name_ok((const char *)e, nl))
			return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section %zu has an invalid name", name, i);
		for (size_t k = nl; k < 32; k++)
			if (e[k])
				return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section '%.*s' name is not NUL-padded",
						     name, (int)nl, (const char *)e);
		memcpy(sec[i].name, e, nl);
		sec[i].name[nl] = '\0';
		sec[i].off = get_u64(e + 32);
		sec[i].len = get_u64(e + 40);
		sec[i].crc = get_u32(e + 48);
		for (size_t k = 52; k < ENTRY_SIZE; k++)
			if (e[k])
				return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section '%s' reserved bytes are not zero",
						     name, sec[i].name);
	}
	return 0;
}

/* Validates the whole container held in b->data/b->len and fills b->sec. */
static int validate(ns_bundle *b)
{
	const unsigned char *d = b->data;
	size_t len = b->len;
	const char *name = b->path;
	int rc = 0;
	crc_tables ct;

	if (len < sizeof MAGIC) {
		if (len == 0)
			return ns_error__set(NS_EFORMAT, "%s: truncated model bundle: the file is empty", name);
		if (memcmp(d, MAGIC, len) != 0)
			return ns_error__set(NS_EFORMAT, "%s: not a narrascope model bundle (wrong magic)", name);
		return ns_error__set(NS_EFORMAT, "%s: truncated model bundle: %zu bytes, the header needs %u", name, len,
				     HDR_SIZE);
	}
	if (memcmp(d, MAGIC, sizeof MAGIC) != 0)
		return ns_error__set(NS_EFORMAT, "%s: not a narrascope model bundle (wrong magic)", name);
	if (len < 12)
		return ns_error__set(NS_EFORMAT, "%s: truncated model bundle: %zu bytes, the header needs %u", name, len,
				     HDR_SIZE);
	uint32_t version = get_u32(d + 8);
	if (version == 0)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: format version 0", name);
	if (version > NS_BUNDLE_FORMAT_VERSION)
		return ns_error__set(NS_EVERSION,
				     "%s: model bundle format version %u is newer than this build reads (up to %u); "
				     "use a newer narrascope",
				     name, version, NS_BUNDLE_FORMAT_VERSION);
	b->version = version;
	if (len < HDR_SIZE)
		return ns_error__set(NS_EFORMAT, "%s: truncated model bundle: %zu bytes, the header needs %u", name, len,
				     HDR_SIZE);
	crc_init(&ct);
	uint32_t hcrc = crc32_fast(&ct, d, 44);
	if (hcrc != get_u32(d + 44))
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: header checksum mismatch", name);
	uint32_t hsize = get_u32(d + 12), nsec = get_u32(d + 16), flags = get_u32(d + 20);
	uint64_t toff = get_u64(d + 24), fsize = get_u64(d + 32);
	uint32_t tcrc = get_u32(d + 40);
	if (hsize != HDR_SIZE)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: header size %u, expected %u", name, hsize,
				     HDR_SIZE);
	if (flags != 0)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: unknown flags 0x%x", name, flags);
	for (size_t k = 48; k < HDR_SIZE; k++)
		if (d[k])
			return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: reserved header bytes are not zero", name);
	if (nsec > MAX_SECTIONS)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: %u sections (at most %u)", name, nsec,
				     MAX_SECTIONS);
	if (toff < HDR_SIZE || toff > UINT64_MAX - (uint64_t)nsec * ENTRY_SIZE)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section table offset %llu out of range", name,
				     (unsigned long long)toff);
	uint64_t tend = toff + (uint64_t)nsec * ENTRY_SIZE;
	if (tend > fsize)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section table ends past the file size", name);

	if ((uint64_t)len < fsize) {
		/* name where the file stops, when the table itself is still present */
		const char *where = NULL;
		section *tmp = NULL;
		if ((uint64_t)len >= tend && nsec > 0 && crc32_fast(&ct, d + toff, (size_t)(tend - toff)) == tcrc) {
			tmp = ns_calloc(nsec, sizeof *tmp);
			if (tmp && parse_table(tmp, d + toff, nsec, name) == 0)
				where = section_at_offset(tmp, nsec, (uint64_t)len);
		}
		if (where)
			rc = ns_error__set(NS_EFORMAT, "%s: truncated model bundle: %zu of %llu bytes, ends inside section '%s'",
					   name, len, (unsigned long long)fsize, where);
		else if ((uint64_t)len < tend)
			rc = ns_error__set(NS_EFORMAT,
					   "%s: truncated model bundle: %zu of %llu bytes, ends inside the section table", name,
					   len, (unsigned long long)fsize);
		else
			rc = ns_error__set(NS_EFORMAT, "%s: truncated model bundle: %zu of %llu bytes", name, len,
					   (unsigned long long)fsize);
		free(tmp);
		return rc;
	}
	if ((uint64_t)len > fsize)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: %llu unexpected bytes after the end", name,
				     (unsigned long long)((uint64_t)len - fsize));

	const unsigned char *tab = d + toff;
	if (crc32_fast(&ct, tab, (size_t)(tend - toff)) != tcrc)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section table checksum mismatch", name);
	if (nsec) {
		b->sec = ns_calloc(nsec, sizeof *b->sec);
		if (!b->sec)
			return NS_ENOMEM;
	}
	b->nsec = nsec;
	if ((rc = parse_table(b->sec, tab, nsec, name)) < 0)
		return rc;
	uint64_t prev_end = tend;
	const char *prev = NULL;
	for (size_t i = 0; i < nsec; i++) {
		section *s = &b->sec[i];
		if (s->off > fsize || s->len > fsize - s->off)
			return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section '%s' lies outside the file", name,
					     s->name);
		if (s->off < prev_end)
			return prev ? ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: sections '%s' and '%s' overlap",
						    name, prev, s->name)
				    : ns_error__set(NS_EFORMAT,
						    "%s: corrupted model bundle: section '%s' overlaps the section table", name,
						    s->name);
		if (s->off % ALIGN)
			return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: section '%s' is not %u-byte aligned",
					     name, s->name, ALIGN);
		for (uint64_t k = prev_end; k < s->off; k++)
			if (d[k])
				return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: nonzero padding before section '%s'",
						     name, s->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(b->sec[j].name, s->name) == 0)
				return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: duplicate section name '%s'",
						     name, s->name);
		prev_end = s->off + s->len;
		prev = s->name;
	}
	if (prev_end != fsize)
		return ns_error__set(NS_EFORMAT, "%s: corrupted model bundle: %llu bytes after the last section", name,
				     (unsigned long long)(fsize - prev_end));
	for (size_t i = 0; i < nsec; i++) {
		section *s = &b->sec[i];
		uint32_t c = crc32_fast(&ct, d + s->off, (size_t)s->len);
		if (c != s->crc)
			return ns_error__set(NS_EFORMAT,
					     "%s: corrupted model bundle: section '%s' checksum mismatch (stored %08x, computed %08x)",
					     name, s->name, s->crc, c);
	}
	return 0;
}

static int bundle_new(ns_bundle **out, const char *name)
{
	ns_bundle *b = ns_calloc(1, sizeof *b);
	if (!b)
		return NS_ENOMEM;
	b->path = ns_strdup(name ? name : "(memory)");
	if (!b->path) {
		free(b);
		return NS_ENOMEM;
	}
	*out = b;
	return 0;
}

int ns_bundle_open_mem(ns_bundle **out, const void *data, size_t len, const char *name)
{
	*out = NULL;
	ns_bundle *b = NULL;
	int rc = bundle_new(&b, name);
	if (rc < 0)
		return rc;
	b->data = data;
	b->len = len;
	if (len && !data) {
		rc = ns_error__set(NS_EINVAL, "%s: no data", b->path);
		goto cleanup;
	}
	if ((rc = validate(b)) < 0)
		goto cleanup;
	*out = b;
	b = NULL;
cleanup:
	ns_bundle_close(b);
	return rc;
}

int ns_bundle_open(ns_bundle **out, const char *path)
{
	*out = NULL;
	ns_bundle *b = NULL;
	int fd = -1;
	int rc = bundle_new(&b, path);
	if (rc < 0)
		return rc;
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = ns_error__set(NS_EIO, "%s: cannot open model bundle: %s", path, strerror(errno));
			goto cleanup;
		}
		struct stat st;
		if (fstat(fd, &st) < 0) {
			rc = ns_error__set(NS_EIO, "%s: cannot stat model bundle: %s", path, strerror(errno));
			goto cleanup;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = ns_error__set(NS_EIO, "%s: is a directory, not a model bundle", path);
			goto cleanup;
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0) {
			if ((uint64_t)st.st_size > SIZE_MAX) {
				rc = ns_error__set(NS_ELIMIT, "%s: model bundle too large", path);
				goto cleanup;
			}
			/* MAP_POPULATE: every page is read by the checksums anyway; prefaulting in
			 * one call is cheaper than one fault per page range */
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
			if (m != MAP_FAILED) {
				b->map = m;
				b->data = m;
				b->len = (size_t)st.st_size;
			}
		}
	}
	if (!b->map) {
		/* pipes, empty files and file systems without mmap: read into memory
		 * (malloc'ed memory is 16-byte aligned on the supported platforms) */
		char *buf = NULL;
		size_t n = 0;
		if ((rc = ns_file_read(&buf, &n, path, 0)) < 0)
			goto cleanup;
		b->owned = buf;
		b->data = (const unsigned char *)buf;
		b->len = n;
	}
	if ((rc = validate(b)) < 0)
		goto cleanup;
	*out = b;
	b = NULL;
cleanup:
	if (fd >= 0)
		close(fd);
	ns_bundle_close(b);
	return rc;
}

void ns_bundle_close(ns_bundle *b)
{
	if (!b)
		return;
	if (b->map)
		munmap(b->map, b->len);
	free(b->owned);
	free(b->sec);
	free(b->path);
	free(b);
}

int ns_bundle_section(const ns_bundle *b, const char *name, const void **data, size_t *len)
{
	for (size_t i = 0; i < b->nsec; i++)
		if (strcmp(b->sec[i].name, name) == 0) {
			*data = b->data + b->sec[i].off;
			*len = (size_t)b->sec[i].len;
			return 0;
		}
	*data = NULL;
	*len = 0;
	return NS_ENOTFOUND;
}

size_t ns_bundle_nsections(const ns_bundle *b) { return b->nsec; }

const char *ns_bundle_section_at(const ns_bundle *b, size_t i, size_t *len)
{
	if (i >= b->nsec) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = (size_t)b->sec[i].len;
	return b->sec[i].name;
}

int ns_bundle_section_info(const ns_bundle *b, size_t i, uint64_t *offset, uint32_t *crc)
{
	if (i >= b->nsec)
		return NS_ENOTFOUND;
	if (offset)
		*offset = b->sec[i].off;
	if (crc)
		*crc = b->sec[i].crc;
	return 0;
}

const char *ns_bundle_path(const ns_bundle *b) { return b->path; }

uint32_t ns_bundle_version(const ns_bundle *b) { return b->version; }

size_t ns_bundle_size(const ns_bundle *b) { return b->len; }

int ns_bundle_mapped(const ns_bundle *b) { return b->map != NULL; }

uint32_t ns_bundle_format_version(void) { return NS_BUNDLE_FORMAT_VERSION; }

/* ---- writer ---- */

int ns_bundle_writer_new(ns_bundle_writer **out)
{
	*out = ns_calloc(1, sizeof **out);
	return *out ? 0 : NS_ENOMEM;
}

int ns_bundle_writer_add(ns_bundle_writer *w, const char *name, const void *data, size_t len)
{
	size_t nl = strlen(name);
	if (!name_ok(name, nl))
		return ns_error__set(NS_EINVAL, "model bundle: invalid section name '%s' (1-%u printable ASCII characters)",
				     name, NAME_MAX_LEN);
	for (size_t i = 0; i < w->nsec; i++)
		if (strcmp(w->sec[i].name, name) == 0)
			return ns_error__set(NS_EINVAL, "model bundle: section '%s' added twice", name);
	if (w->nsec >= MAX_SECTIONS)
		return ns_error__set(NS_ELIMIT, "model bundle: more than %u sections", MAX_SECTIONS);
	if (len && !data)
		return ns_error__set(NS_EINVAL, "model bundle: section '%s' has no data", name);
	if (NS_GROW(w->sec, w->cap, w->nsec + 1) < 0)
		return NS_ENOMEM;
	wsection *s = &w->sec[w->nsec];
	s->name = ns_strdup(name);
	s->data = ns_malloc(len ? len : 1);
	if (!s->name || !s->data) {
		free(s->name);
		free(s->data);
		return NS_ENOMEM;
	}
	if (len)
		memcpy(s->data, data, len);
	s->len = len;
	w->nsec++;
	return 0;
}

static size_t align_up(size_t v) { return (v + (ALIGN - 1)) & ~(size_t)(ALIGN - 1); }

int ns_bundle_writer_serialize(ns_bundle_writer *w, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	size_t tend = HDR_SIZE + w->nsec * ENTRY_SIZE, total = tend;
	for (size_t i = 0; i < w->nsec; i++) {
		if (total > SIZE_MAX - ALIGN)
			return ns_error__set(NS_ENOMEM, "model bundle: size overflow");
		total = align_up(total);
		if (!ns_add_ok(total, w->sec[i].len, &total))
			return ns_error__set(NS_ENOMEM, "model bundle: size overflow");
	}
	unsigned char *f = ns_calloc(1, total ? total : 1);
	if (!f)
		return NS_ENOMEM;
	crc_tables ct;
	crc_init(&ct);
	size_t pos = tend;
	for (size_t i = 0; i < w->nsec; i++) {
		unsigned char *e = f + HDR_SIZE + i * ENTRY_SIZE;
		pos = align_up(pos);
		memcpy(e, w->sec[i].name, strlen(w->sec[i].name));
		put_u64(e + 32, pos);
		put_u64(e + 40, w->sec[i].len);
		put_u32(e + 48, crc32_fast(&ct, w->sec[i].data, w->sec[i].len));
		if (w->sec[i].len)
			memcpy(f + pos, w->sec[i].data, w->sec[i].len);
		pos += w->sec[i].len;
	}
	memcpy(f, MAGIC, sizeof MAGIC);
	put_u32(f + 8, NS_BUNDLE_FORMAT_VERSION);
	put_u32(f + 12, HDR_SIZE);
	put_u32(f + 16, (uint32_t)w->nsec);
	put_u32(f + 20, 0);
	put_u64(f + 24, HDR_SIZE);
	put_u64(f + 32, total);
	put_u32(f + 40, crc32_fast(&ct, f + HDR_SIZE, tend - HDR_SIZE));
	put_u32(f + 44, crc32_fast(&ct, f, 44));
	*out = (char *)f;
	*outlen = total;
	return 0;
}

int ns_bundle_writer_write(ns_bundle_writer *w, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int rc = ns_bundle_writer_serialize(w, &data, &len);
	if (rc < 0)
		return ns_error__wrap(rc, "%s", path);
	rc = ns_file_write_atomic(path, data, len);
	free(data);
	return rc;
}

void ns_bundle_writer_free(ns_bundle_writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nsec; i++) {
		free(w->sec[i].name);
		free(w->sec[i].data);
	}
	free(w->sec);
	free(w);
}
