/* Tests of the document sources (src/io/input.c) and the JSONL record parser
 * (src/io/jsonl.c): directory order, rejected documents, JSONL errors by column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/input.h"
#include "test.h"

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(data, 1, n, f);
	return fclose(f);
}

NS_TEST(input__jsonl_parse_fields)
{
	ns_jsonl_rec r;
	const char *l = "{\"id\":\"a1\",\"text\":\"Hello \\\"world\\\"\\n\\u00e9\\ud83d\\ude00\",\"source\":null,"
			"\"date\":\"2024-05-01\",\"extra\":[1,{\"x\":true}]}";
	CHECK_INT(ns_jsonl_parse(&r, l, strlen(l)), 0);
	CHECK_STR(r.id, "a1");
	CHECK_STR(r.text, "Hello \"world\"\n\xc3\xa9\xf0\x9f\x98\x80");
	CHECK_INT(r.text_len, strlen("Hello \"world\"\n\xc3\xa9\xf0\x9f\x98\x80"));
	CHECK(r.source == NULL);
	CHECK_STR(r.date, "2024-05-01");
	ns_jsonl_rec_release(&r);

	l = "{\"id\": 42, \"text\": \"x\"}";
	CHECK_INT(ns_jsonl_parse(&r, l, strlen(l)), 0);
	CHECK_STR(r.id, "42");
	ns_jsonl_rec_release(&r);

	/* lone surrogate: one invalid byte, repaired later as one U+FFFD */
	l = "{\"text\":\"a\\udc00b\"}";
	CHECK_INT(ns_jsonl_parse(&r, l, strlen(l)), 0);
	CHECK_INT(r.text_len, 3);
	CHECK(r.text && (unsigned char)r.text[1] == 0xFF);
	ns_jsonl_rec_release(&r);
}

NS_TEST(input__jsonl_parse_errors)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{"{\"id\":\"a\",\"text\":\"x\"", "column 21: ',' or '}' expected"},
		{"{\"id\":\"a\" \"text\":\"x\"}", "column 11: ',' or '}' expected"},
		{"{\"id\":\"a\"}", "member \"text\" missing"},
		{"{\"text\":1}", "column 9: \"text\" must be a string"},
		{"{\"text\":\"a\",\"text\":\"b\"}", "column 13: duplicated member"},
		{"{\"text\":\"a\\x\"}", "column 11: invalid escape in string"},
		{"{\"text\":\"a\tb\"}", "column 11: unescaped control character in string"},
		{"[\"text\"]", "column 1: a JSON object '{' expected"},
		{"{\"text\":\"a\"} x", "column 14: unexpected data after the object"},
		{"{\"text\":\"a\",\"n\":01}", "column 18: ',' or '}' expected"},
		{"{\"text\":\"a\",\"n\":tru}", "column 17: invalid value"},
		{"{\"text\":\"abc", "column 13: unterminated string"},
		{"", "column 1: a JSON object '{' expected"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ns_jsonl_rec r;
		int rc = ns_jsonl_parse(&r, cases[i].line, strlen(cases[i].line));
		CHECK_INT(rc, NS_EFORMAT);
		CHECK_STR(ns_error_last(), cases[i].msg);
	}
	/* deep nesting is refused, not a stack overflow */
	char deep[400];
	size_t o = (size_t)snprintf(deep, sizeof deep, "{\"text\":\"a\",\"x\":");
	for (int k = 0; k < 100; k++)
		deep[o++] = '[';
	ns_jsonl_rec r;
	CHECK_INT(ns_jsonl_parse(&r, deep, o), NS_EFORMAT);
}

NS_TEST(input__check_text)
{
	CHECK_INT(ns_input_check_text("plain text\n", 11), 0);
	CHECK_INT(ns_input_check_text("caf\xe9 latin-1\n", 13), 0); /* repaired later, not rejected */
	CHECK_INT(ns_input_check_text("ab\ncd\0ef", 8), NS_EBINARY);
	CHECK_STR(ns_error_last(), "NUL byte at byte offset 5 (line 2)");
	CHECK_INT(ns_input_check_text("%PDF-1.4\n", 9), NS_EBINARY);
	CHECK_STR(ns_error_last(), "binary file (PDF document), not text");
	CHECK_INT(ns_input_check_text("\xff\xfeh\0i\0", 6), NS_EBINARY);
	unsigned char rnd[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof rnd; i++) {
		x = x * 1103515245u + 12345u;
		rnd[i] = (unsigned char)(x >> 16);
	}
	CHECK_INT(ns_input_check_text((const char *)rnd, sizeof rnd), NS_EBINARY);
	CHECK(strncmp(ns_error_last(), "binary file (", 13) == 0);
}

static char *collect(const char *const *paths, size_t npaths, size_t max_bytes, int *nerr)
{
	ns_input_opts o = NS_INPUT_OPTS_INIT;
	o.max_bytes = max_bytes;
	ns_input *in;
	ns_buf b = NS_BUF_INIT;
	*nerr = 0;
	if (ns_input_open(&in, paths, npaths, &o) < 0)
		return NULL;
	ns_input_doc d;
	int r;
	while ((r = ns_input_next(in, &d)) > 0) {
		if (d.error) {
			(*nerr)++;
			ns_buf_printf(&b, "E %s\n", d.message);
		} else {
			ns_buf_printf(&b, "D %s %zu\n", d.id, d.len);
		}
		ns_input_doc_release(&d);
	}
	ns_input_free(in);
	if (r < 0)
		ns_buf_puts(&b, "FATAL\n");
	return ns_buf_detach(&b, NULL);
}

NS_TEST(input__directory_and_errors)
{
	char dir[] = "/tmp/ns-test-input-XXXXXX";
	if (!mkdtemp(dir))
		NS_SKIP("cannot create a temporary directory");
	char p[256];
	snprintf(p, sizeof p, "%s/sub", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/b.txt", dir);
	write_file(p, "Second doc.\n", 12);
	snprintf(p, sizeof p, "%s/a.txt", dir);
	write_file(p, "First doc.\n", 11);
	snprintf(p, sizeof p, "%s/sub/c.txt", dir);
	write_file(p, "", 0);
	snprintf(p, sizeof p, "%s/.hidden", dir);
	write_file(p, "hidden", 6);
	snprintf(p, sizeof p, "%s/d.jsonl", dir);
	const char *jl = "{\"id\":\"j1\",\"text\":\"one\"}\r\n\n{\"id\":\"j2\",\"text\":\"two\"\n{\"text\":\"three\"}";
	write_file(p, jl, strlen(jl));
	snprintf(p, sizeof p, "%s/e.txt", dir);
	write_file(p, "0123456789abcdef", 16);

	const char *paths[] = {dir, "/nonexistent/ns-x"};
	int nerr;
	char *got = collect(paths, 2, 12, &nerr);
	char want[4096];
	snprintf(want, sizeof want,
		 "D %s/a.txt 11\n"
		 "D %s/b.txt 12\n"
		 "D j1 3\n"
		 "E %s/d.jsonl:3: column 24: ',' or '}' expected\n"
		 "D %s/d.jsonl:4 5\n"
		 "E %s/e.txt: file is 16 bytes, over the limit of 12 bytes (--max-bytes)\n"
		 "E %s/sub/c.txt: empty file\n"
		 "E /nonexistent/ns-x: cannot open: No such file or directory\n",
		 dir, dir, dir, dir, dir, dir);
	CHECK_STR(got, want);
	CHECK_INT(nerr, 4);
	free(got);

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

NS_TEST(input__symlink_loop)
{
	char dir[] = "/tmp/ns-test-loop-XXXXXX";
	if (!mkdtemp(dir))
		NS_SKIP("cannot create a temporary directory");
	char p[256], want[1024];
	snprintf(p, sizeof p, "%s/a.txt", dir);
	write_file(p, "Text.", 5);
	snprintf(p, sizeof p, "%s/loop", dir);
	if (symlink(".", p) != 0)
		NS_SKIP("cannot create a symlink");
	const char *paths[] = {dir};
	int nerr;
	char *got = collect(paths, 1, 0, &nerr);
	snprintf(want, sizeof want, "D %s/a.txt 5\nE %s/loop: directory loop (skipped)\n", dir, dir);
	CHECK_STR(got, want);
	free(got);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

NS_TEST(input__mem_jsonl)
{
	ns_input *in;
	const char *data = "{\"text\":\"a\\u0000b\"}\n{\"text\":\"  \"}\n{\"id\":\"x\",\"text\":\"ok\",\"source\":\"S\"}";
	CHECK_INT(ns_input_open_mem(&in, "feed.jsonl", data, strlen(data), NULL), 0);
	ns_input_doc d;
	CHECK_INT(ns_input_next(in, &d), 1);
	CHECK_STR(d.message, "feed.jsonl:1: \"text\": NUL byte at byte offset 1 (line 1)");
	ns_input_doc_release(&d);
	CHECK_INT(ns_input_next(in, &d), 1);
	CHECK_STR(d.message, "feed.jsonl:2: empty \"text\"");
	ns_input_doc_release(&d);
	CHECK_INT(ns_input_next(in, &d), 1);
	CHECK_INT(d.error, 0);
	CHECK_STR(d.id, "x");
	CHECK_STR(d.source, "S");
	CHECK(d.date == NULL);
	ns_input_doc_release(&d);
	CHECK_INT(ns_input_next(in, &d), 0);
	ns_input_free(in);
}
