/* The text row format of the "manifest" and "taxonomy" bundle sections:
 * escaped TAB-separated fields, one row per line (conventions in manifest.h).
 *
 * DESIGN: a parsed section keeps one unescaped copy of the text with NUL
 * terminators in place of separators, and an array of field pointers into it, so
 * rows cost one allocation each for the pointer table and nothing else. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

typedef struct {
	size_t first, n; /* index into fields[], count */
} row;

struct ns_manifest {
	char *text;
	const char **fields;
	size_t nfields, capf;
	row *rows;
	size_t nrows, capr;
};

static int utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		bool bad;
		if (s[i] == '\0')
			return 0;
		i += ns_utf8_decode(s + i, n - i, &cp, &bad);
		if (bad)
			return 0;
	}
	return 1;
}

static void put_escaped(ns_buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = NULL;
		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		ns_buf_put(b, s + start, i - start);
		ns_buf_put(b, esc, 2);
		start = i + 1;
	}
	ns_buf_put(b, s + start, n - start);
}

int ns_manifest_put_row(ns_buf *b, size_t n, const char *const *fields)
{
	if (n == 0 || n > NS_MANIFEST_MAX_FIELDS)
		return ns_error__set(NS_EINVAL, "manifest: a row needs 1 to %d fields, got %zu", NS_MANIFEST_MAX_FIELDS, n);
	for (size_t i = 0; i < n; i++) {
		if (!fields[i])
			return ns_error__set(NS_EINVAL, "manifest: field %zu of a row is missing", i + 1);
		if (!utf8_valid(fields[i], strlen(fields[i])))
			return ns_error__set(NS_EINVAL, "manifest: field %zu ('%.40s') is not valid UTF-8", i + 1, fields[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			ns_buf_putc(b, '\t');
		put_escaped(b, fields[i], strlen(fields[i]));
	}
	ns_buf_putc(b, '\n');
	return ns_buf_failed(b) ? NS_ENOMEM : 0;
}

int ns_manifest_put(ns_buf *b, const char *key, const char *value)
{
	const char *f[2] = {key, value};
	return ns_manifest_put_row(b, 2, f);
}

int ns_manifest_putf(ns_buf *b, const char *key, const char *fmt, ...)
{
	ns_buf v = NS_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	int rc;
	if (n < 0)
		return ns_error__set(NS_EINVAL, "manifest: cannot format value of '%s'", key);
	if ((size_t)n < sizeof tmp)
		return ns_manifest_put(b, key, tmp);
	if (ns_buf_grow(&v, (size_t)n + 1) < 0)
		return NS_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(v.ptr, (size_t)n + 1, fmt, ap);
	va_end(ap);
	v.size = (size_t)n;
	rc = ns_manifest_put(b, key, v.ptr);
	ns_buf_free(&v);
	return rc;
}

/* %.17g in the C locale whatever the process locale is (the CLI never calls
 * setlocale, but a library user might) */
static void fmt_double(char *out, size_t cap, double v)
{
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	snprintf(out, cap, "%.17g", v);
	if (c) {
		uselocale(old);
		freelocale(c);
	}
}

int ns_manifest_put_double(ns_buf *b, const char *key, double v)
{
	char tmp[40];
	fmt_double(tmp, sizeof tmp, v);
	return ns_manifest_put(b, key, tmp);
}

int ns_manifest_put_score(ns_buf *b, const char *key, double mean, double std)
{
	char m[40], s[40], both[84];
	fmt_double(m, sizeof m, mean);
	fmt_double(s, sizeof s, std);
	snprintf(both, sizeof both, "%s %s", m, s);
	return ns_manifest_put(b, key, both);
}

int ns_manifest_put_label(ns_buf *b, const char *kind, const char *a, const char *bfield)
{
	const char *f[3] = {kind, a, bfield};
	return ns_manifest_put_row(b, bfield ? 3 : 2, f);
}

void ns_manifest_free(ns_manifest *m)
{
	if (!m)
		return;
	free(m->text);
	free(m->fields);
	free(m->rows);
	free(m);
}

/* Unescapes one line in place: text[start, end) becomes NUL-separated fields
 * appended to m. Returns 0 or NS_EFORMAT (message names the line). */
static int parse_line(ns_manifest *m, char *s, size_t n, const char *name, size_t lineno)
{
	size_t first = m->nfields, nf = 0;
	char *w = s, *field = s;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '\t') {
			*w++ = '\0';
			if (nf == NS_MANIFEST_MAX_FIELDS)
				return ns_error__set(NS_EFORMAT, "%s:%zu: more than %d fields", name, lineno,
						     NS_MANIFEST_MAX_FIELDS);
			if (NS_GROW(m->fields, m->capf, m->nfields + 1) < 0)
				return NS_ENOMEM;
			m->fields[m->nfields++] = field;
			nf++;
			field = w;
			continue;
		}
		if (s[i] == '\\') {
			if (i + 1 >= n)
				return ns_error__set(NS_EFORMAT, "%s:%zu: backslash at the end of the line", name, lineno);
			char c = s[++i];
			switch (c) {
			case '\\': *w++ = '\\'; break;
			case 't': *w++ = '\t'; break;
			case 'n': *w++ = '\n'; break;
			case 'r': *w++ = '\r'; break;
			default:
				return ns_error__set(NS_EFORMAT, "%s:%zu: unknown escape '\\%c'", name, lineno,
						     c >= 0x20 && c < 0x7f ? c : '?');
			}
			continue;
		}
		*w++ = s[i];
	}
	if (NS_GROW(m->rows, m->capr, m->nrows + 1) < 0)
		return NS_ENOMEM;
	m->rows[m->nrows].first = first;
	m->rows[m->nrows].n = nf;
	m->nrows++;
	return 0;
}

int ns_manifest_parse(ns_manifest **out, const void *data, size_t len, const char *name)
{
	*out = NULL;
	int rc = 0;
	ns_manifest *m = ns_calloc(1, sizeof *m);
	if (!m)
		return NS_ENOMEM;
	m->text = ns_malloc(len + 1);
	if (!m->text) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (len)
		memcpy(m->text, data, len);
	m->text[len] = '\0';
	size_t lineno = 0;
	for (size_t pos = 0; pos < len;) {
		char *s = m->text + pos;
		char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		lineno++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n)) {
			rc = ns_error__set(NS_EFORMAT, "%s:%zu: NUL byte in text", name, lineno);
			goto cleanup;
		}
		if (!utf8_valid(s, n)) {
			rc = ns_error__set(NS_EFORMAT, "%s:%zu: invalid UTF-8", name, lineno);
			goto cleanup;
		}
		if (n == 0)
			continue;
		if ((rc = parse_line(m, s, n, name, lineno)) < 0)
			goto cleanup;
	}
	*out = m;
	m = NULL;
cleanup:
	ns_manifest_free(m);
	return rc;
}

size_t ns_manifest_nrows(const ns_manifest *m) { return m->nrows; }

size_t ns_manifest_row(const ns_manifest *m, size_t i, const char *const **fields)
{
	if (i >= m->nrows) {
		*fields = NULL;
		return 0;
	}
	*fields = m->fields + m->rows[i].first;
	return m->rows[i].n;
}

const char *ns_manifest_get(const ns_manifest *m, const char *key)
{
	for (size_t i = 0; i < m->nrows; i++) {
		const char *const *f = m->fields + m->rows[i].first;
		if (strcmp(f[0], key) == 0)
			return m->rows[i].n >= 2 ? f[1] : NULL;
	}
	return NULL;
}

size_t ns_manifest_count(const ns_manifest *m, const char *kind)
{
	size_t c = 0;
	for (size_t i = 0; i < m->nrows; i++)
		c += strcmp(m->fields[m->rows[i].first], kind) == 0;
	return c;
}

int ns_manifest_parse_score(const char *value, double *mean, double *std)
{
	*mean = 0;
	*std = -1;
	if (!value)
		return ns_error__set(NS_EFORMAT, "manifest: missing score");
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	char *end;
	int rc = 0;
	if (!c)
		return ns_error__set(NS_ENOMEM, "manifest: cannot create the C locale");
	*mean = strtod_l(value, &end, c);
	if (end == value) {
		rc = ns_error__set(NS_EFORMAT, "manifest: '%.40s' is not a score", value);
		goto cleanup;
	}
	while (*end == ' ')
		end++;
	if (*end) {
		const char *s = end;
		*std = strtod_l(s, &end, c);
		while (*end == ' ')
			end++;
		if (end == s || *end)
			rc = ns_error__set(NS_EFORMAT, "manifest: '%.40s' is not 'MEAN STD'", value);
	}
cleanup:
	freelocale(c);
	return rc;
}
