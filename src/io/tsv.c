/* Readers and writers of the shared task's TSV files (subtasks 1, 2 and 3).
 *
 * DESIGN: one line scanner (CR stripped, blank lines skipped, NUL bytes and invalid
 * UTF-8 rejected) feeds three row parsers. Every error names "<name>:<line>". The
 * parsers own their strings; the writers append to an ns_buf and replace tabs and
 * line breaks inside fields by spaces so that the output always re-parses. */
#include <stdlib.h>
#include <string.h>

#include "io/tsv.h"

#define MAX_COLS 64

typedef struct {
	const char *s;
	size_t n;
} field;

typedef struct {
	const char *p, *end;
	const char *name;
	int line;
} scanner;

/* Next non-blank line into *s, *n (CR removed). Returns 1, 0 at the end, or <0. */
static int scan_line(scanner *sc, const char **s, size_t *n)
{
	while (sc->p < sc->end) {
		const char *b = sc->p;
		const char *e = memchr(b, '\n', (size_t)(sc->end - b));
		if (!e)
			e = sc->end;
		sc->p = e < sc->end ? e + 1 : e;
		sc->line++;
		size_t len = (size_t)(e - b);
		if (memchr(b, '\0', len))
			return ns_error__set(NS_EFORMAT, "%s:%d: NUL byte in line", sc->name, sc->line);
		if (len && b[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r'))
			i++;
		if (i == len)
			continue;
		for (size_t k = 0; k < len;) {
			uint32_t cp;
			bool bad;
			k += ns_utf8_decode(b + k, len - k, &cp, &bad);
			if (bad)
				return ns_error__set(NS_EFORMAT, "%s:%d: invalid UTF-8", sc->name, sc->line);
		}
		*s = b;
		*n = len;
		return 1;
	}
	return 0;
}

/* Splits on tabs; returns the total number of columns (fields beyond MAX_COLS
 * are counted but not stored). */
static size_t split_tabs(const char *s, size_t n, field *f)
{
	size_t nf = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '\t') {
			if (nf < MAX_COLS) {
				f[nf].s = s + start;
				f[nf].n = i - start;
			}
			nf++;
			start = i + 1;
		}
	}
	return nf;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims ASCII white space (the writers turn tabs and line breaks into spaces, so
 * trimming all of them keeps write-then-read stable). */
static field trim(field f)
{
	while (f.n && is_space(f.s[0]))
		f.s++, f.n--;
	while (f.n && is_space(f.s[f.n - 1]))
		f.n--;
	return f;
}

/* Non-negative decimal integer below 2^62. */
static int parse_int(int64_t *out, field f, const scanner *sc, const char *what)
{
	f = trim(f);
	if (f.n == 0 || f.n > 18)
		goto bad;
	int64_t v = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (f.s[i] < '0' || f.s[i] > '9')
			goto bad;
		v = v * 10 + (f.s[i] - '0');
	}
	*out = v;
	return 0;
bad:
	return ns_error__set(NS_EFORMAT, "%s:%d: %s is not a non-negative integer: '%.*s'", sc->name,
			     sc->line, what, (int)(f.n > 40 ? 40 : f.n), f.s);
}

static char *dup_field(field f)
{
	return ns_strndup(f.s, f.n);
}

static char *strip_quotes(const char *s)
{
	size_t n = strlen(s);
	char *o = ns_malloc(n + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '"')
			o[k++] = s[i];
	o[k] = '\0';
	return o;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A malformed line: with opts->on_skip report it and go on (returns 0), else fail. */
static int skip_or_fail(int rc, const ns_tsv_opts *o)
{
	if (rc != NS_EFORMAT || !o || !o->on_skip)
		return rc;
	o->on_skip(o->payload, ns_error_last());
	ns_error_clear();
	return 0;
}

/* ---- subtask 1 ---- */

static void role_row_free(ns_tsv_role_row *r)
{
	free(r->article_id);
	free(r->mention);
	free(r->key);
	free(r->main_role);
	free_strv(r->fine_roles, r->nfine_roles);
	memset(r, 0, sizeof *r);
}

void ns_tsv_roles_free(ns_tsv_roles *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		role_row_free(&t->rows[i]);
	free(t->rows);
	free(t);
}

static int check_roles(const ns_tsv_role_row *r, const ns_taxonomy *tax, const scanner *sc)
{
	if (!tax || ns_taxonomy_nmain_roles(tax) == 0 || !r->main_role)
		return 0;
	int32_t m = ns_taxonomy_find_main_role(tax, r->main_role, strlen(r->main_role));
	if (m < 0)
		return ns_error__set(NS_EFORMAT, "%s:%d: unknown main role '%s'", sc->name, sc->line,
				     r->main_role);
	for (size_t i = 0; i < r->nfine_roles; i++) {
		const char *fr = r->fine_roles[i];
		int32_t f = ns_taxonomy_find_fine_role(tax, fr, strlen(fr));
		if (f < 0)
			return ns_error__set(NS_EFORMAT, "%s:%d: unknown fine role '%s'", sc->name, sc->line, fr);
		if (ns_taxonomy_fine_role_main(tax, (size_t)f) != m)
			return ns_error__set(NS_EFORMAT, "%s:%d: fine role '%s' does not belong to main role '%s'",
					     sc->name, sc->line, fr, r->main_role);
	}
	return 0;
}

static int parse_role_row(ns_tsv_role_row *r, const char *s, size_t n, const scanner *sc,
			  const ns_tsv_opts *o)
{
	field f[MAX_COLS];
	size_t nf = split_tabs(s, n, f);
	int rc;
	if (nf > MAX_COLS)
		return ns_error__set(NS_EFORMAT, "%s:%d: %zu columns, at most %d allowed", sc->name, sc->line,
				     nf, MAX_COLS);
	if (!(nf >= 6 || (nf == 4 && o->allow_no_roles)))
		return ns_error__set(NS_EFORMAT,
				     "%s:%d: %zu columns, expected 'article_id mention start end main_role fine_role...' (at least 6%s)",
				     sc->name, sc->line, nf, o->allow_no_roles ? ", or 4 without roles" : "");
	if (trim(f[0]).n == 0)
		return ns_error__set(NS_EFORMAT, "%s:%d: empty article id", sc->name, sc->line);
	if (f[1].n == 0)
		return ns_error__set(NS_EFORMAT, "%s:%d: empty mention", sc->name, sc->line);
	if ((rc = parse_int(&r->start, f[2], sc, "start")) < 0 || (rc = parse_int(&r->end, f[3], sc, "end")) < 0)
		return rc;
	if (r->start > r->end)
		return ns_error__set(NS_EFORMAT, "%s:%d: start %lld > end %lld", sc->name, sc->line,
				     (long long)r->start, (long long)r->end);
	r->article_id = dup_field(trim(f[0]));
	r->mention = dup_field(f[1]);
	if (!r->article_id || !r->mention || !(r->key = strip_quotes(r->mention)))
		return NS_ENOMEM;
	if (nf == 4)
		return 0;
	if (trim(f[4]).n == 0)
		return ns_error__set(NS_EFORMAT, "%s:%d: empty main role", sc->name, sc->line);
	if (!(r->main_role = dup_field(trim(f[4]))))
		return NS_ENOMEM;
	r->fine_roles = ns_calloc(nf - 5, sizeof(char *));
	if (!r->fine_roles)
		return NS_ENOMEM;
	for (size_t i = 5; i < nf; i++) {
		field t = trim(f[i]);
		if (t.n == 0)
			return ns_error__set(NS_EFORMAT, "%s:%d: empty fine role in column %zu", sc->name,
					     sc->line, i + 1);
		if (!(r->fine_roles[r->nfine_roles++] = dup_field(t)))
			return NS_ENOMEM;
	}
	return check_roles(r, o->taxonomy, sc);
}

int ns_tsv_parse_roles_mem(ns_tsv_roles **out, const char *data, size_t len, const char *name,
			   const ns_tsv_opts *opts)
{
	ns_tsv_opts dflt = NS_TSV_OPTS_INIT;
	const ns_tsv_opts *o = opts ? opts : &dflt;
	scanner sc = {data, data + len, name ? name : "<memory>", 0};
	size_t cap = 0;
	int rc = 0;
	*out = NULL;
	ns_tsv_roles *t = ns_calloc(1, sizeof *t);
	if (!t)
		return NS_ENOMEM;
	for (;;) {
		const char *s;
		size_t n;
		if ((rc = scan_line(&sc, &s, &n)) == 0)
			break;
		if (rc < 0) {
			if ((rc = skip_or_fail(rc, o)) < 0)
				goto cleanup;
			continue;
		}
		if ((rc = NS_GROW(t->rows, cap, t->n + 1)) < 0)
			goto cleanup;
		ns_tsv_role_row *r = &t->rows[t->n++];
		memset(r, 0, sizeof *r);
		r->line = sc.line;
		if ((rc = parse_role_row(r, s, n, &sc, o)) < 0) {
			role_row_free(r);
			t->n--;
			if ((rc = skip_or_fail(rc, o)) < 0)
				goto cleanup;
		}
	}
cleanup:
	if (rc < 0) {
		ns_tsv_roles_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- subtask 2 ---- */

void ns_tsv_narrs_free(ns_tsv_narrs *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].article_id);
		free_strv(t->rows[i].coarse, t->rows[i].ncoarse);
		free_strv(t->rows[i].fine, t->rows[i].nfine);
	}
	free(t->rows);
	free(t);
}

/* Splits "a;b;c" into trimmed, non-empty, deduplicated items. */
static int split_labels(char ***out, size_t *nout, field f)
{
	size_t cap = 0, start = 0;
	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i <= f.n; i++) {
		if (i < f.n && f.s[i] != ';')
			continue;
		field it = trim((field){f.s + start, i - start});
		start = i + 1;
		if (it.n == 0)
			continue;
		bool dup = false;
		for (size_t k = 0; k < *nout && !dup; k++)
			dup = strlen((*out)[k]) == it.n && memcmp((*out)[k], it.s, it.n) == 0;
		if (dup)
			continue;
		if (NS_GROW(*out, cap, *nout + 1) < 0)
			return NS_ENOMEM;
		if (!((*out)[*nout] = dup_field(it)))
			return NS_ENOMEM;
		(*nout)++;
	}
	return 0;
}

int ns_tsv_parse_narrs_mem(ns_tsv_narrs **out, const char *data, size_t len, const char *name,
			   const ns_tsv_opts *opts)
{
	scanner sc = {data, data + len, name ? name : "<memory>", 0};
	size_t cap = 0;
	int rc = 0;
	*out = NULL;
	ns_tsv_narrs *t = ns_calloc(1, sizeof *t);
	if (!t)
		return NS_ENOMEM;
	for (;;) {
		const char *s;
		size_t n;
		field f[MAX_COLS];
		if ((rc = scan_line(&sc, &s, &n)) == 0)
			break;
		size_t nf = rc > 0 ? split_tabs(s, n, f) : 0;
		if (rc > 0 && nf != 3)
			rc = ns_error__set(NS_EFORMAT,
					   "%s:%d: %zu columns, expected 3 (article_id narratives subnarratives)",
					   sc.name, sc.line, nf);
		else if (rc > 0 && trim(f[0]).n == 0)
			rc = ns_error__set(NS_EFORMAT, "%s:%d: empty article id", sc.name, sc.line);
		if (rc < 0) {
			if ((rc = skip_or_fail(rc, opts)) < 0)
				goto cleanup;
			continue;
		}
		if ((rc = NS_GROW(t->rows, cap, t->n + 1)) < 0)
			goto cleanup;
		ns_tsv_narr_row *r = &t->rows[t->n++];
		memset(r, 0, sizeof *r);
		r->line = sc.line;
		if (!(r->article_id = dup_field(trim(f[0])))) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if ((rc = split_labels(&r->coarse, &r->ncoarse, f[1])) < 0 ||
		    (rc = split_labels(&r->fine, &r->nfine, f[2])) < 0)
			goto cleanup;
	}
cleanup:
	if (rc < 0) {
		ns_tsv_narrs_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- subtask 3 ---- */

void ns_tsv_expls_free(ns_tsv_expls *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].article_id);
		free(t->rows[i].narrative);
		free(t->rows[i].subnarrative);
		free(t->rows[i].text);
	}
	free(t->rows);
	free(t);
}

int ns_tsv_parse_expls_mem(ns_tsv_expls **out, const char *data, size_t len, const char *name,
			   const ns_tsv_opts *opts)
{
	scanner sc = {data, data + len, name ? name : "<memory>", 0};
	size_t cap = 0;
	int rc = 0;
	*out = NULL;
	ns_tsv_expls *t = ns_calloc(1, sizeof *t);
	if (!t)
		return NS_ENOMEM;
	for (;;) {
		const char *s;
		size_t n;
		field f[4];
		if ((rc = scan_line(&sc, &s, &n)) == 0)
			break;
		/* Split the first three tabs; the rest of the line is the explanation. */
		size_t nf = 0, start = 0;
		for (size_t i = 0; rc > 0 && i < n && nf < 3; i++)
			if (s[i] == '\t') {
				f[nf++] = (field){s + start, i - start};
				start = i + 1;
			}
		if (rc > 0 && nf < 3)
			rc = ns_error__set(NS_EFORMAT,
					   "%s:%d: %zu columns, expected 4 (article_id narrative subnarrative explanation)",
					   sc.name, sc.line, nf + 1);
		else if (rc > 0 && trim(f[0]).n == 0)
			rc = ns_error__set(NS_EFORMAT, "%s:%d: empty article id", sc.name, sc.line);
		if (rc < 0) {
			if ((rc = skip_or_fail(rc, opts)) < 0)
				goto cleanup;
			continue;
		}
		f[3] = (field){s + start, n - start};
		if ((rc = NS_GROW(t->rows, cap, t->n + 1)) < 0)
			goto cleanup;
		ns_tsv_expl_row *r = &t->rows[t->n++];
		memset(r, 0, sizeof *r);
		r->line = sc.line;
		r->article_id = dup_field(trim(f[0]));
		r->narrative = dup_field(trim(f[1]));
		r->subnarrative = dup_field(trim(f[2]));
		r->text = dup_field(trim(f[3]));
		if (!r->article_id || !r->narrative || !r->subnarrative || !r->text) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		for (char *c = r->text; *c; c++)
			if (*c == '\t')
				*c = ' ';
	}
cleanup:
	if (rc < 0) {
		ns_tsv_expls_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- file readers ---- */

typedef enum { TABLE_ROLES, TABLE_NARRS, TABLE_EXPLS } table_kind;

/* Reads path (within opts->max_bytes) and parses it as a table of the given kind
 * into *out, which must point to that kind's table pointer. */
static int read_table(table_kind kind, void *out, const char *path, const ns_tsv_opts *opts)
{
	char *d;
	size_t n;
	int rc;
	if ((rc = ns_file_read(&d, &n, path, opts ? opts->max_bytes : 0)) < 0)
		return rc;
	switch (kind) {
	case TABLE_ROLES:
		rc = ns_tsv_parse_roles_mem(out, d, n, path, opts);
		break;
	case TABLE_NARRS:
		rc = ns_tsv_parse_narrs_mem(out, d, n, path, opts);
		break;
	case TABLE_EXPLS:
		rc = ns_tsv_parse_expls_mem(out, d, n, path, opts);
		break;
	}
	free(d);
	return rc;
}

int ns_tsv_read_roles(ns_tsv_roles **out, const char *path, const ns_tsv_opts *opts)
{
	*out = NULL;
	return read_table(TABLE_ROLES, out, path, opts);
}

int ns_tsv_read_narrs(ns_tsv_narrs **out, const char *path, const ns_tsv_opts *opts)
{
	*out = NULL;
	return read_table(TABLE_NARRS, out, path, opts);
}

int ns_tsv_read_expls(ns_tsv_expls **out, const char *path, const ns_tsv_opts *opts)
{
	*out = NULL;
	return read_table(TABLE_EXPLS, out, path, opts);
}

/* ---- writers ---- */

static void put_field(ns_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		ns_buf_putc(b, (c == '\t' || c == '\n' || c == '\r') ? ' ' : c);
	}
}

static void put_str(ns_buf *b, const char *s)
{
	put_field(b, s ? s : "", s ? strlen(s) : 0);
}

void ns_tsv_write_role(ns_buf *b, const char *article_id, const char *mention, int64_t start,
		       int64_t end_incl, const char *main_role, const char *const *fine_roles,
		       size_t nfine_roles)
{
	put_str(b, article_id);
	ns_buf_putc(b, '\t');
	put_str(b, mention);
	ns_buf_printf(b, "\t%lld\t%lld", (long long)start, (long long)end_incl);
	if (main_role) {
		ns_buf_putc(b, '\t');
		put_str(b, main_role);
		for (size_t i = 0; i < nfine_roles; i++) {
			ns_buf_putc(b, '\t');
			put_str(b, fine_roles[i]);
		}
	}
	ns_buf_putc(b, '\n');
}

static void put_labels(ns_buf *b, const char *const *v, size_t n)
{
	if (n == 0) {
		ns_buf_puts(b, "Other");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			ns_buf_putc(b, ';');
		put_str(b, v[i]);
	}
}

void ns_tsv_write_narr(ns_buf *b, const char *article_id, const char *const *coarse, size_t ncoarse,
		       const char *const *fine, size_t nfine)
{
	put_str(b, article_id);
	ns_buf_putc(b, '\t');
	put_labels(b, coarse, ncoarse);
	ns_buf_putc(b, '\t');
	put_labels(b, fine, nfine);
	ns_buf_putc(b, '\n');
}

void ns_tsv_write_expl(ns_buf *b, const char *article_id, const char *narrative,
		       const char *subnarrative, const char *text, size_t text_len)
{
	put_str(b, article_id);
	ns_buf_putc(b, '\t');
	put_str(b, narrative);
	ns_buf_putc(b, '\t');
	put_str(b, subnarrative);
	ns_buf_putc(b, '\t');
	put_field(b, text ? text : "", text ? text_len : 0);
	ns_buf_putc(b, '\n');
}
