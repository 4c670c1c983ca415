/* Unit tests for src/model: the .nsm bundle container (round trip, determinism,
 * every truncation, every flipped byte, wrong magic, newer version, crafted
 * overlapping/out-of-range/duplicate sections) and the manifest/taxonomy rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "model/bundle.h"
#include "model/manifest.h"
#include "model/ser.h"
#include "util/util.h"

/* A small bundle with a text section, a float section, an empty section and an
 * odd-sized one, so padding occurs between sections. */
static int make_sample(char **out, size_t *len)
{
	ns_bundle_writer *w = NULL;
	ns_buf fl = NS_BUF_INIT;
	int rc = ns_bundle_writer_new(&w);
	if (rc < 0)
		return rc;
	for (int i = 0; i < 10; i++)
		ns_wr_f32(&fl, (float)i * 0.5f);
	static const char manifest[] = "created-by\tunit test\nparam.c\t0.5\n";
	if ((rc = ns_bundle_writer_add(w, "manifest", manifest, sizeof manifest - 1)) < 0 ||
	    (rc = ns_bundle_writer_add(w, "narr.weights", fl.ptr, fl.size)) < 0 ||
	    (rc = ns_bundle_writer_add(w, "empty", NULL, 0)) < 0 || (rc = ns_bundle_writer_add(w, "odd", "abc", 3)) < 0)
		goto cleanup;
	rc = ns_bundle_writer_serialize(w, out, len);
cleanup:
	ns_buf_free(&fl);
	ns_bundle_writer_free(w);
	return rc;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Recomputes the table and header checksums after a test edits the layout, so
 * the loader's structural checks (not the checksums) must catch the edit. */
static void reseal(unsigned char *f)
{
	uint32_t nsec = (uint32_t)f[16] | (uint32_t)f[17] << 8;
	put32(f + 40, ns_crc32(0, f + 64, (size_t)nsec * 64));
	put32(f + 44, ns_crc32(0, f, 44));
}

static int opens(const void *data, size_t len, int *code)
{
	ns_bundle *b = NULL;
	ns_error_clear();
	int rc = ns_bundle_open_mem(&b, data, len, "t.nsm");
	*code = rc;
	ns_bundle_close(b);
	return rc == 0;
}

static int msg_has(const char *needle) { return strstr(ns_error_last(), needle) != NULL; }

NS_TEST(bundle__round_trip_and_alignment)
{
	char *f = NULL;
	size_t len = 0;
	CHECK_INT(make_sample(&f, &len), 0);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, f, len, "t.nsm"), 0);
	if (!b) {
		free(f);
		return;
	}
	CHECK_INT(ns_bundle_nsections(b), 4);
	CHECK_INT(ns_bundle_version(b), ns_bundle_format_version());
	CHECK_INT(ns_bundle_size(b), len);
	size_t sl;
	CHECK_STR(ns_bundle_section_at(b, 1, &sl), "narr.weights");
	CHECK_INT(sl, 40);
	CHECK(ns_bundle_section_at(b, 4, &sl) == NULL);
	for (size_t i = 0; i < 4; i++) {
		uint64_t off;
		CHECK_INT(ns_bundle_section_info(b, i, &off, NULL), 0);
		CHECK_INT(off % 16, 0);
	}
	const void *d;
	CHECK_INT(ns_bundle_section(b, "narr.weights", &d, &sl), 0);
	ns_rd r;
	ns_rd_init(&r, d, sl);
	for (int i = 0; i < 10; i++)
		CHECK_NEAR(ns_rd_f32(&r), i * 0.5, 0);
	CHECK(ns_rd_ok(&r));
	CHECK_INT(ns_bundle_section(b, "empty", &d, &sl), 0);
	CHECK_INT(sl, 0);
	CHECK_INT(ns_bundle_section(b, "odd", &d, &sl), 0);
	CHECK(sl == 3 && memcmp(d, "abc", 3) == 0);
	CHECK_INT(ns_bundle_section(b, "missing", &d, &sl), NS_ENOTFOUND);
	ns_bundle_close(b);
	free(f);
}

NS_TEST(bundle__deterministic_and_file_round_trip)
{
	char *f1 = NULL, *f2 = NULL, *disk = NULL;
	size_t l1 = 0, l2 = 0, ld = 0;
	CHECK_INT(make_sample(&f1, &l1), 0);
	CHECK_INT(make_sample(&f2, &l2), 0);
	CHECK(l1 == l2 && f1 && f2 && memcmp(f1, f2, l1) == 0);

	char path[] = "/tmp/ns-test-bundle-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		goto cleanup;
	close(fd);
	ns_bundle_writer *w = NULL;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	CHECK_INT(ns_bundle_writer_add(w, "a", "xyz", 3), 0);
	CHECK_INT(ns_bundle_writer_add(w, "a", "xyz", 3), NS_EINVAL); /* repeated name */
	CHECK(msg_has("added twice"));
	CHECK_INT(ns_bundle_writer_add(w, "bad name", "x", 1), NS_EINVAL);
	CHECK_INT(ns_bundle_writer_add(w, "", "x", 1), NS_EINVAL);
	CHECK_INT(ns_bundle_writer_add(w, "0123456789012345678901234567890123", "x", 1), NS_EINVAL);
	CHECK_INT(ns_bundle_writer_write(w, path), 0);
	char *ser = NULL;
	size_t lser = 0;
	CHECK_INT(ns_bundle_writer_serialize(w, &ser, &lser), 0);
	ns_bundle_writer_free(w);
	CHECK_INT(ns_file_read(&disk, &ld, path, 0), 0);
	CHECK(ld == lser && ser && disk && memcmp(ser, disk, ld) == 0);
	free(ser);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open(&b, path), 0);
	if (b) {
		const void *d;
		size_t sl;
		CHECK(ns_bundle_mapped(b));
		CHECK_STR(ns_bundle_path(b), path);
		CHECK_INT(ns_bundle_section(b, "a", &d, &sl), 0);
		CHECK(sl == 3 && memcmp(d, "xyz", 3) == 0);
		ns_bundle_close(b);
	}
	unlink(path);
	CHECK_INT(ns_bundle_open(&b, path), NS_EIO);
	CHECK(msg_has(path));
	CHECK_INT(ns_bundle_open(&b, "/tmp"), NS_EIO);
	CHECK(msg_has("directory"));
cleanup:
	free(f1);
	free(f2);
	free(disk);
}

NS_TEST(bundle__empty_bundle_is_valid)
{
	ns_bundle_writer *w = NULL;
	char *f = NULL;
	size_t len = 0;
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	CHECK_INT(ns_bundle_writer_serialize(w, &f, &len), 0);
	CHECK_INT(len, 64);
	CHECK_INT(ns_bundle_open_mem(&b, f, len, "e.nsm"), 0);
	CHECK_INT(b ? ns_bundle_nsections(b) : 99, 0);
	ns_bundle_close(b);
	ns_bundle_writer_free(w);
	free(f);
}

NS_TEST(bundle__truncated_at_every_byte)
{
	char *f = NULL;
	size_t len = 0;
	CHECK_INT(make_sample(&f, &len), 0);
	int code, named = 0;
	for (size_t n = 0; n < len; n++) {
		if (opens(f, n, &code)) {
			ns_test_fail(__FILE__, __LINE__, "truncated to %zu of %zu bytes but opened", n, len);
			break;
		}
		if (code != NS_EFORMAT || !msg_has("truncated") || !msg_has("t.nsm")) {
			ns_test_fail(__FILE__, __LINE__, "truncated to %zu: %d '%s'", n, code, ns_error_last());
			break;
		}
		named += msg_has("ends inside section '");
	}
	CHECK(named > 0);
	/* at every section boundary the message names where the file stops */
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, f, len, "t.nsm"), 0);
	for (size_t i = 0; b && i < ns_bundle_nsections(b); i++) {
		uint64_t off;
		size_t sl;
		const char *nm = ns_bundle_section_at(b, i, &sl);
		ns_bundle_section_info(b, i, &off, NULL);
		CHECK(!opens(f, (size_t)off, &code));
		if (sl) {
			char want[64];
			snprintf(want, sizeof want, "section '%s'", nm);
			CHECK(msg_has(want));
		}
		CHECK(!opens(f, (size_t)(off + sl) - (off + sl == len), &code));
		CHECK(msg_has("truncated"));
	}
	ns_bundle_close(b);
	/* the header itself, byte by byte */
	for (size_t n = 0; n < 64; n++) {
		CHECK(!opens(f, n, &code));
		CHECK(msg_has("truncated"));
	}
	free(f);
}

NS_TEST(bundle__every_flipped_byte_is_caught)
{
	char *f = NULL;
	size_t len = 0;
	CHECK_INT(make_sample(&f, &len), 0);
	unsigned char *g = ns_malloc(len);
	int code;
	for (size_t i = 0; g && i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			memcpy(g, f, len);
			g[i] ^= (unsigned char)(1u << bit);
			if (opens(g, len, &code)) {
				ns_test_fail(__FILE__, __LINE__, "flip of bit %d at byte %zu went unnoticed", bit, i);
				i = len;
				break;
			}
			if (!msg_has("t.nsm") || strchr(ns_error_last(), '\n'))
				ns_test_fail(__FILE__, __LINE__, "byte %zu: bad message '%s'", i, ns_error_last());
		}
	}
	/* a flip inside each section names that section */
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, f, len, "t.nsm"), 0);
	for (size_t i = 0; b && g && i < ns_bundle_nsections(b); i++) {
		uint64_t off;
		size_t sl;
		const char *nm = ns_bundle_section_at(b, i, &sl);
		ns_bundle_section_info(b, i, &off, NULL);
		if (!sl)
			continue;
		memcpy(g, f, len);
		g[off + sl / 2] ^= 0x10;
		CHECK(!opens(g, len, &code));
		CHECK_INT(code, NS_EFORMAT);
		char want[80];
		snprintf(want, sizeof want, "corrupted model bundle: section '%s' checksum mismatch", nm);
		CHECK(msg_has(want));
	}
	ns_bundle_close(b);
	free(g);
	free(f);
}

NS_TEST(bundle__wrong_magic_and_newer_version)
{
	char *f = NULL;
	size_t len = 0;
	int code;
	CHECK_INT(make_sample(&f, &len), 0);
	unsigned char *g = ns_malloc(len);
	if (!f || !g)
		goto cleanup;
	memcpy(g, f, len);
	g[1] = 'X';
	CHECK(!opens(g, len, &code));
	CHECK_INT(code, NS_EFORMAT);
	CHECK(msg_has("t.nsm: not a narrascope model bundle (wrong magic)"));
	CHECK(!opens("hello, world\n", 13, &code));
	CHECK(msg_has("wrong magic"));
	CHECK(!opens("PK", 2, &code));
	CHECK(msg_has("wrong magic"));
	CHECK(!opens("", 0, &code));
	CHECK(msg_has("empty"));

	memcpy(g, f, len);
	put32(g + 8, 2);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK_INT(code, NS_EVERSION);
	CHECK(msg_has("t.nsm: model bundle format version 2 is newer"));
	/* a newer version is recognised even when the rest of the layout differs */
	CHECK(!opens(g, 12, &code));
	CHECK_INT(code, NS_EVERSION);
	memcpy(g, f, len);
	put32(g + 8, 0);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("version 0"));
cleanup:
	free(g);
	free(f);
}

NS_TEST(bundle__crafted_tables_are_rejected)
{
	char *f = NULL;
	size_t len = 0;
	int code;
	CHECK_INT(make_sample(&f, &len), 0);
	unsigned char *g = ns_malloc(len + 64);
	if (!f || !g)
		goto cleanup;
	/* entries: 0 manifest, 1 narr.weights, 2 empty, 3 odd; entry i at 64 + 64*i */
	uint64_t off1 = 0, off0 = 0;
	for (int k = 0; k < 8; k++) {
		off0 |= (uint64_t)(unsigned char)f[64 + 32 + k] << (8 * k);
		off1 |= (uint64_t)(unsigned char)f[128 + 32 + k] << (8 * k);
	}

	memcpy(g, f, len); /* overlap: section 1 starts where section 0 does */
	put64(g + 128 + 32, off0);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("sections 'manifest' and 'narr.weights' overlap"));

	memcpy(g, f, len); /* out of range length */
	put64(g + 128 + 40, (uint64_t)len * 4);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("section 'narr.weights' lies outside the file"));

	memcpy(g, f, len); /* huge offset: no overflow */
	put64(g + 128 + 32, UINT64_MAX - 7);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("outside the file"));

	memcpy(g, f, len); /* duplicate name */
	memcpy(g + 192, "manifest\0\0\0\0", 12);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("duplicate section name 'manifest'"));

	memcpy(g, f, len); /* misaligned */
	put64(g + 128 + 32, off1 + 1);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(code == NS_EFORMAT && msg_has("corrupted"));

	memcpy(g, f, len); /* section overlapping the table */
	put64(g + 64 + 32, 64);
	reseal(g);
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("overlaps the section table"));

	memcpy(g, f, len); /* table claims more sections than fit */
	put32(g + 16, 1000);
	put32(g + 44, ns_crc32(0, g, 44));
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("corrupted"));

	memcpy(g, f, len); /* trailing garbage */
	memset(g + len, 0, 64);
	CHECK(!opens(g, len + 64, &code));
	CHECK(msg_has("unexpected bytes after the end"));

	memcpy(g, f, len); /* table checksum */
	g[64 + 33] ^= 1;
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("section table checksum mismatch"));

	memcpy(g, f, len); /* header checksum */
	g[20] = 1;
	CHECK(!opens(g, len, &code));
	CHECK(msg_has("header checksum mismatch"));
cleanup:
	free(g);
	free(f);
}

NS_TEST(bundle__manifest_rows_round_trip)
{
	ns_buf b = NS_BUF_INIT;
	CHECK_INT(ns_manifest_put(&b, "created-by", "narrascope train --task narratives"), 0);
	CHECK_INT(ns_manifest_put(&b, "odd", "tab\there\nnew line \\ back"), 0);
	CHECK_INT(ns_manifest_put_score(&b, "cv.narratives.f1_coarse.mean", 0.625, 0.0125), 0);
	CHECK_INT(ns_manifest_putf(&b, "param.seed", "%d", 7), 0);
	CHECK_INT(ns_manifest_put_label(&b, "fine", "URW: X: y", "URW: X"), 0);
	CHECK_INT(ns_manifest_put_label(&b, "coarse", "URW: X", NULL), 0);
	CHECK_INT(ns_manifest_put(&b, "bad", "\xff"), NS_EINVAL);
	CHECK_STR(b.ptr, "created-by\tnarrascope train --task narratives\n"
			 "odd\ttab\\there\\nnew line \\\\ back\n"
			 "cv.narratives.f1_coarse.mean\t0.625 0.012500000000000001\n"
			 "param.seed\t7\n"
			 "fine\tURW: X: y\tURW: X\n"
			 "coarse\tURW: X\n");
	ns_manifest *m = NULL;
	CHECK_INT(ns_manifest_parse(&m, b.ptr, b.size, "m"), 0);
	if (m) {
		CHECK_INT(ns_manifest_nrows(m), 6);
		CHECK_STR(ns_manifest_get(m, "odd"), "tab\there\nnew line \\ back");
		CHECK_STR(ns_manifest_get(m, "param.seed"), "7");
		CHECK(ns_manifest_get(m, "nope") == NULL);
		CHECK_INT(ns_manifest_count(m, "fine"), 1);
		const char *const *fl;
		CHECK_INT(ns_manifest_row(m, 4, &fl), 3);
		CHECK_STR(fl[2], "URW: X");
		double mean, sd;
		CHECK_INT(ns_manifest_parse_score(ns_manifest_get(m, "cv.narratives.f1_coarse.mean"), &mean, &sd), 0);
		CHECK(mean == 0.625 && sd == 0.0125);
		CHECK_INT(ns_manifest_parse_score("0.5", &mean, &sd), 0);
		CHECK(mean == 0.5 && sd == -1);
		CHECK_INT(ns_manifest_parse_score("x", &mean, &sd), NS_EFORMAT);
		CHECK_INT(ns_manifest_parse_score("0.5 y", &mean, &sd), NS_EFORMAT);
	}
	ns_manifest_free(m);
	ns_buf_free(&b);
}

NS_TEST(bundle__manifest_parse_errors_name_the_line)
{
	ns_manifest *m = NULL;
	CHECK_INT(ns_manifest_parse(&m, "a\tb\n\nc\\q\n", 9, "x.nsm:manifest"), NS_EFORMAT);
	CHECK_STR(ns_error_last(), "x.nsm:manifest:3: unknown escape '\\q'");
	CHECK_INT(ns_manifest_parse(&m, "a\tb\n\xc3\n", 6, "s"), NS_EFORMAT);
	CHECK_STR(ns_error_last(), "s:2: invalid UTF-8");
	CHECK_INT(ns_manifest_parse(&m, "a\0b", 3, "s"), NS_EFORMAT);
	CHECK(strstr(ns_error_last(), "NUL") != NULL);
	CHECK_INT(ns_manifest_parse(&m, "a\\", 2, "s"), NS_EFORMAT);
	CHECK_INT(ns_manifest_parse(&m, "1\t2\t3\t4\t5\t6\t7\t8\t9", 17, "s"), NS_EFORMAT);
	CHECK(m == NULL);
	CHECK_INT(ns_manifest_parse(&m, "", 0, "s"), 0);
	CHECK_INT(m ? ns_manifest_nrows(m) : 99, 0);
	ns_manifest_free(m);
	m = NULL;
	CHECK_INT(ns_manifest_parse(&m, "k\r\nsolo", 7, "s"), 0);
	if (m) {
		const char *const *fl;
		CHECK_INT(ns_manifest_row(m, 1, &fl), 1);
		CHECK_STR(fl[0], "solo");
		CHECK(ns_manifest_get(m, "solo") == NULL);
	}
	ns_manifest_free(m);
}

/* The fuzz corpus is written by an independent Python writer (gen.py): its
 * valid files must open and each broken one must give its own error. */
NS_TEST(bundle__python_written_corpus)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{"valid-empty.nsm", NULL},
		{"valid-one.nsm", NULL},
		{"valid-small.nsm", NULL},
		{"trunc-header.nsm", "truncated"},
		{"trunc-table.nsm", "ends inside the section table"},
		{"trunc-section.nsm", "ends inside section 'odd'"},
		{"flip-section.nsm", "section 'odd' checksum mismatch"},
		{"wrong-magic.nsm", "wrong magic"},
		{"text-file.nsm", "wrong magic"},
		{"newer-version.nsm", "newer"},
		{"overlap.nsm", "overlap"},
		{"duplicate.nsm", "duplicate section name"},
		{"outside.nsm", "outside the file"},
		{"huge-count.nsm", "sections (at most"},
	};
	char path[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "%s/tests/fuzz/corpus/bundle/%s", ns_test_src(), cases[i].file);
		ns_bundle *b = NULL;
		int rc = ns_bundle_open(&b, path);
		if (!cases[i].want) {
			if (rc != 0)
				ns_test_fail(__FILE__, __LINE__, "%s: %s", cases[i].file, ns_error_last());
		} else if (rc == 0 || !strstr(ns_error_last(), cases[i].want) || !strstr(ns_error_last(), path)) {
			ns_test_fail(__FILE__, __LINE__, "%s: got '%s', expected '%s'", cases[i].file,
				     rc ? ns_error_last() : "success", cases[i].want);
		}
		if (b && strcmp(cases[i].file, "valid-small.nsm") == 0) {
			const void *d;
			size_t n;
			ns_manifest *m = NULL;
			CHECK_INT(ns_bundle_section(b, "manifest", &d, &n), 0);
			CHECK_INT(ns_manifest_parse(&m, d, n, "manifest"), 0);
			CHECK_STR(m ? ns_manifest_get(m, "odd") : NULL, "a\tb");
			ns_manifest_free(m);
		}
		ns_bundle_close(b);
	}
}

/* Runs `narrascope model ARGS` and captures stdout+stderr; returns the exit code
 * or -1 when the binary cannot run. */
static int run_model_cmd(const char *args, char *out, size_t cap)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' model %s 2>&1", ns_test_bin(), args);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

NS_TEST(bundle__cli_info_and_dump)
{
	if (access(ns_test_bin(), X_OK) != 0)
		NS_SKIP("narrascope binary not built (NS_BIN)");
	static char out[65536];
	char args[1200];
	const char *dir = ns_test_src();
	snprintf(args, sizeof args, "info '%s/tests/fuzz/corpus/bundle/valid-small.nsm'", dir);
	CHECK_INT(run_model_cmd(args, out, sizeof out), 0);
	CHECK(strstr(out, "format version: 1") != NULL);
	CHECK(strstr(out, "taxonomy: 1 narratives, 1 subnarratives, 1 roles") != NULL);
	CHECK(strstr(out, "narratives.f1_coarse.mean                0.5000 ± 0.0100") != NULL);
	CHECK(strstr(out, "a\\tb") != NULL);
	snprintf(args, sizeof args, "dump '%s/tests/fuzz/corpus/bundle/valid-small.nsm'", dir);
	CHECK_INT(run_model_cmd(args, out, sizeof out), 0);
	CHECK(strstr(out, "== w  (32 bytes") != NULL);
	CHECK(strstr(out, "0 1 -1.5 2.25") != NULL);
	CHECK(strstr(out, "role\tProtagonist\tGuardian") != NULL);
	snprintf(args, sizeof args, "dump --section nope '%s/tests/fuzz/corpus/bundle/valid-small.nsm'", dir);
	CHECK_INT(run_model_cmd(args, out, sizeof out), 1);
	CHECK(strstr(out, "no section named 'nope'") != NULL);
	snprintf(args, sizeof args, "info '%s/tests/fuzz/corpus/bundle/newer-version.nsm'", dir);
	CHECK_INT(run_model_cmd(args, out, sizeof out), 1);
	CHECK(strstr(out, "is newer than this build") != NULL && strchr(out, '\n') == out + strlen(out) - 1);
	snprintf(args, sizeof args, "dump '%s/tests/fuzz/corpus/bundle/trunc-section.nsm'", dir);
	CHECK_INT(run_model_cmd(args, out, sizeof out), 1);
	CHECK(strstr(out, "truncated") != NULL);
	CHECK_INT(run_model_cmd("frobnicate x", out, sizeof out), 2);
	CHECK_INT(run_model_cmd("info", out, sizeof out), 2);
}

/* The loader's fast CRC must give ns_crc32's values (the format's definition)
 * for every length and alignment: sections of many sizes, checked against the
 * stored table CRCs. */
NS_TEST(bundle__section_crc_matches_reference)
{
	static unsigned char data[70001];
	uint64_t h = 0x1234;
	for (size_t i = 0; i < sizeof data; i++) {
		h = ns_hash_mix(h, i);
		data[i] = (unsigned char)h;
	}
	static const size_t sizes[] = {1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4097, 70001};
	ns_bundle_writer *w = NULL;
	CHECK_INT(ns_bundle_writer_new(&w), 0);
	char name[16];
	for (size_t i = 0; w && i < sizeof sizes / sizeof sizes[0]; i++) {
		snprintf(name, sizeof name, "s%zu", i);
		CHECK_INT(ns_bundle_writer_add(w, name, data + (sizes[i] < 70001 ? i : 0), sizes[i]), 0);
	}
	char *f = NULL;
	size_t len = 0;
	CHECK_INT(ns_bundle_writer_serialize(w, &f, &len), 0);
	ns_bundle_writer_free(w);
	ns_bundle *b = NULL;
	CHECK_INT(ns_bundle_open_mem(&b, f, len, "crc.nsm"), 0);
	for (size_t i = 0; b && i < ns_bundle_nsections(b); i++) {
		uint32_t crc;
		const void *d;
		size_t n;
		ns_bundle_section_info(b, i, NULL, &crc);
		ns_bundle_section(b, ns_bundle_section_at(b, i, NULL), &d, &n);
		CHECK_INT(crc, ns_crc32(0, d, n));
	}
	CHECK(len >= 64 && (uint32_t)((unsigned char)f[44] | (unsigned char)f[45] << 8 | (unsigned char)f[46] << 16 |
				      (uint32_t)(unsigned char)f[47] << 24) == ns_crc32(0, f, 44));
	ns_bundle_close(b);
	free(f);
}
