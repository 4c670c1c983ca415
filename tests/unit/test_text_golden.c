/* Golden tests of the text stage: every tests/golden/text/<lang>-<case>.txt runs
 * through ns_text_process and its dump must equal <lang>-<case>.sent (language,
 * cleaned spans, paragraphs, sentences) and <lang>-<case>.tok (tokens with kind,
 * flags, norm and stem). On a mismatch the differing lines are printed.
 * NS_GOLDEN_UPDATE=1 rewrites the expected files instead (review the diff!). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "text/doc.h"

static void put_escaped(ns_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n')
			ns_buf_puts(b, "\\n");
		else if (c == '\r')
			ns_buf_puts(b, "\\r");
		else if (c == '\t')
			ns_buf_puts(b, "\\t");
		else if (c == '\\')
			ns_buf_puts(b, "\\\\");
		else
			ns_buf_putc(b, c);
	}
}

static const char *clean_name(int kind)
{
	switch (kind) {
	case NS_CLEAN_SHARE: return "share";
	case NS_CLEAN_COPYRIGHT: return "copyright";
	case NS_CLEAN_TIMESTAMP: return "timestamp";
	case NS_CLEAN_BLANK: return "blank";
	case NS_CLEAN_METADATA: return "metadata";
	default: return "?";
	}
}

static void dump_sent(ns_buf *b, const ns_doc *d)
{
	ns_buf_printf(b, "lang %s\n", d->lang);
	for (size_t i = 0; i < d->ncleaned; i++) {
		const ns_cleaned *c = &d->cleaned[i];
		ns_buf_printf(b, "clean %s %u %u ", clean_name(c->kind), c->start, c->end);
		put_escaped(b, d->text + c->bstart, c->bend - c->bstart);
		ns_buf_putc(b, '\n');
	}
	for (size_t p = 0; p < d->nparagraphs; p++) {
		const ns_paragraph *pp = &d->paragraphs[p];
		ns_buf_printf(b, "para %zu %u %u\n", p, pp->start, pp->end);
		for (uint32_t s = pp->sent_begin; s < pp->sent_end; s++) {
			const ns_sentence *ss = &d->sentences[s];
			ns_buf_printf(b, "sent %u %u %u ", s, ss->start, ss->end);
			put_escaped(b, d->text + ss->bstart, ss->bend - ss->bstart);
			ns_buf_putc(b, '\n');
		}
	}
}

static void dump_tok(ns_buf *b, const ns_doc *d)
{
	static const char kinds[] = "?WNP";
	for (size_t i = 0; i < d->ntokens; i++) {
		const ns_token *t = &d->tokens[i];
		char flags[5];
		size_t f = 0;
		if (t->flags & NS_TOKF_SENT_START) flags[f++] = 'S';
		if (t->flags & NS_TOKF_UPPER_INITIAL) flags[f++] = 'U';
		if (t->flags & NS_TOKF_ALL_UPPER) flags[f++] = 'A';
		if (t->flags & NS_TOKF_QUOTE) flags[f++] = 'Q';
		if (!f) flags[f++] = '-';
		flags[f] = '\0';
		ns_buf_printf(b, "%u\t%u\t%u\t%c\t%s\t", t->sentence, t->start, t->end, kinds[t->kind & 3], flags);
		put_escaped(b, d->text + t->bstart, t->bend - t->bstart);
		ns_buf_printf(b, "\t%s\t%s\n", t->norm, t->stem);
	}
}

/* Line-by-line comparison; prints up to 8 differing lines. */
static int compare(const char *path, const char *expected, size_t elen, const char *actual, size_t alen)
{
	if (elen == alen && memcmp(expected, actual, elen) == 0)
		return 0;
	printf("    golden mismatch in %s (expected vs actual):\n", path);
	const char *e = expected, *a = actual, *ee = expected + elen, *ae = actual + alen;
	int line = 1, shown = 0;
	while ((e < ee || a < ae) && shown < 8) {
		const char *en = e < ee ? memchr(e, '\n', (size_t)(ee - e)) : NULL;
		const char *an = a < ae ? memchr(a, '\n', (size_t)(ae - a)) : NULL;
		size_t el = e < ee ? (size_t)((en ? en : ee) - e) : 0;
		size_t al = a < ae ? (size_t)((an ? an : ae) - a) : 0;
		if (el != al || memcmp(e, a, el) != 0 || (e < ee) != (a < ae)) {
			printf("      line %d\n        - %.*s\n        + %.*s\n", line, (int)el,
			       e < ee ? e : "(end of file)", (int)al, a < ae ? a : "(end of output)");
			if (e >= ee)
				printf("        (expected file ended)\n");
			shown++;
		}
		e = e < ee ? (en ? en + 1 : ee) : ee;
		a = a < ae ? (an ? an + 1 : ae) : ae;
		line++;
	}
	return 1;
}

static int check_file(const char *path, const ns_buf *actual, int update)
{
	if (update)
		return ns_file_write_atomic(path, actual->ptr ? actual->ptr : "", actual->size) < 0;
	char *exp = NULL;
	size_t n = 0;
	if (ns_file_read(&exp, &n, path, 0) < 0) {
		printf("    cannot read %s: %s\n", path, ns_error_last());
		return 1;
	}
	int rc = compare(path, exp, n, actual->ptr ? actual->ptr : "", actual->size);
	free(exp);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

NS_TEST(text__golden)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/golden/text", ns_test_src());
	DIR *dh = opendir(dir);
	if (!dh) {
		ns_test_fail(__FILE__, __LINE__, "no golden directory %s", dir);
		return;
	}
	char *names[256];
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(dh)) && nn < 256) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0)
			names[nn++] = strdup(e->d_name);
	}
	closedir(dh);
	qsort(names, nn, sizeof(names[0]), cmp_names);
	int update = getenv("NS_GOLDEN_UPDATE") != NULL;
	static const char *const need[] = {"en-", "ru-", "bg-", "pt-", "hi-"};
	int have[5] = {0};
	for (size_t i = 0; i < nn; i++) {
		char path[4700], base[4600];
		snprintf(base, sizeof base, "%s/%.*s", dir, (int)(strlen(names[i]) - 4), names[i]);
		snprintf(path, sizeof path, "%s.txt", base);
		for (int k = 0; k < 5; k++)
			if (strncmp(names[i], need[k], 3) == 0)
				have[k]++;
		char *text = NULL;
		size_t len = 0;
		if (ns_file_read(&text, &len, path, 0) < 0) {
			ns_test_fail(__FILE__, __LINE__, "%s", ns_error_last());
			continue;
		}
		ns_doc d;
		ns_text_opts o = NS_TEXT_OPTS_INIT;
		ns_doc_init(&d, text, len);
		CHECK_INT(ns_text_process(&d, &o), 0);
		/* the file name says the language */
		if (strncmp(d.lang, names[i], 2) != 0)
			ns_test_fail(__FILE__, __LINE__, "%s: language %s", names[i], d.lang);
		ns_buf sent = NS_BUF_INIT, tok = NS_BUF_INIT;
		dump_sent(&sent, &d);
		dump_tok(&tok, &d);
		CHECK(!ns_buf_failed(&sent) && !ns_buf_failed(&tok));
		snprintf(path, sizeof path, "%s.sent", base);
		if (check_file(path, &sent, update))
			ns_test_fail(__FILE__, __LINE__, "%s differs", path);
		snprintf(path, sizeof path, "%s.tok", base);
		if (check_file(path, &tok, update))
			ns_test_fail(__FILE__, __LINE__, "%s differs", path);
		ns_buf_free(&sent);
		ns_buf_free(&tok);
		ns_doc_release(&d);
		free(text);
		free(names[i]);
	}
	for (int k = 0; k < 5; k++)
		if (!have[k])
			ns_test_fail(__FILE__, __LINE__, "no golden case for %.2s", need[k]);
	ns_thread_release();
}
