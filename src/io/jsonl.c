/* Strict JSON-object parser for JSONL input lines: {"id","text","source","date"}.
 *
 * DESIGN: a small recursive-descent parser (RFC 8259 grammar, nesting depth
 * limited to 64) instead of a library: it reports the exact column of every
 * error, keeps raw bytes of strings unchanged so UTF-8 repair happens in one
 * place (ns_analyze) and is counted there, and is small enough to fuzz fully.
 * Unknown members are validated and skipped, so JSONL written by other tools
 * (with "url", "title", ...) is accepted. */
#include <stdlib.h>
#include <string.h>

#include "input.h"

#define JSONL_MAX_DEPTH 64

typedef struct {
	const char *s;
	size_t n, i;
} jparser;

static int jerr(const jparser *p, const char *what)
{
	return ns_error__set(NS_EFORMAT, "column %zu: %s", p->i + 1, what);
}

static void skip_ws(jparser *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		p->i++;
	}
}

static int hex4(jparser *p, uint32_t *v)
{
	*v = 0;
	if (p->n - p->i < 4)
		return jerr(p, "truncated \\u escape");
	for (int k = 0; k < 4; k++) {
		char c = p->s[p->i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return jerr(p, "invalid hex digit in \\u escape");
		*v = (*v << 4) | d;
		p->i++;
	}
	return 0;
}

/* Parses a string at p->i (which is '"'). With out != NULL the decoded bytes are
 * appended to it; otherwise the string is only validated. */
static int parse_string(jparser *p, ns_buf *out)
{
	p->i++; /* opening quote */
	for (;;) {
		size_t run = p->i;
		while (p->i < p->n) {
			unsigned char c = (unsigned char)p->s[p->i];
			if (c == '"' || c == '\\' || c < 0x20)
				break;
			p->i++;
		}
		if (out && p->i > run)
			ns_buf_put(out, p->s + run, p->i - run);
		if (p->i >= p->n)
			return jerr(p, "unterminated string");
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '"') {
			p->i++;
			break;
		}
		if (c < 0x20)
			return jerr(p, "unescaped control character in string");
		/* backslash escape */
		p->i++;
		if (p->i >= p->n)
			return jerr(p, "unterminated escape");
		char e = p->s[p->i++];
		char lit;
		switch (e) {
		case '"': lit = '"'; break;
		case '\\': lit = '\\'; break;
		case '/': lit = '/'; break;
		case 'b': lit = '\b'; break;
		case 'f': lit = '\f'; break;
		case 'n': lit = '\n'; break;
		case 'r': lit = '\r'; break;
		case 't': lit = '\t'; break;
		case 'u': {
			uint32_t cp;
			if (hex4(p, &cp) < 0)
				return NS_EFORMAT;
			if (cp >= 0xD800 && cp <= 0xDBFF && p->n - p->i >= 6 && p->s[p->i] == '\\' &&
			    p->s[p->i + 1] == 'u') {
				size_t save = p->i;
				uint32_t lo;
				p->i += 2;
				if (hex4(p, &lo) < 0)
					return NS_EFORMAT;
				if (lo >= 0xDC00 && lo <= 0xDFFF)
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				else
					p->i = save; /* lone high surrogate; the next escape stands alone */
			}
			if (!out)
				continue;
			if (cp >= 0xD800 && cp <= 0xDFFF) {
				/* lone surrogate: one invalid byte, so repair gives one U+FFFD */
				ns_buf_putc(out, (char)0xFF);
			} else {
				char enc[4];
				ns_buf_put(out, enc, ns_utf8_encode(cp, enc));
			}
			continue;
		}
		default:
			p->i -= 2;
			return jerr(p, "invalid escape in string");
		}
		if (out)
			ns_buf_putc(out, lit);
	}
	if (out && ns_buf_failed(out))
		return NS_ENOMEM;
	return 0;
}

static int parse_number(jparser *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i >= p->n)
		return jerr(p, "invalid number");
	if (p->s[p->i] == '0') {
		p->i++;
	} else if (p->s[p->i] >= '1' && p->s[p->i] <= '9') {
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	} else {
		return jerr(p, "invalid number");
	}
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		size_t d = p->i;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
		if (p->i == d)
			return jerr(p, "invalid number: digits expected after '.'");
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		size_t d = p->i;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
		if (p->i == d)
			return jerr(p, "invalid number: digits expected in exponent");
	}
	return 0;
}

static int parse_literal(jparser *p, const char *lit)
{
	size_t l = strlen(lit);
	if (p->n - p->i < l || memcmp(p->s + p->i, lit, l) != 0)
		return jerr(p, "invalid value");
	p->i += l;
	return 0;
}

/* Validates any JSON value at p->i (whitespace already skipped). */
static int skip_value(jparser *p, int depth)
{
	if (p->i >= p->n)
		return jerr(p, "value expected");
	if (depth > JSONL_MAX_DEPTH)
		return jerr(p, "nesting deeper than 64 levels");
	char c = p->s[p->i];
	switch (c) {
	case '"':
		return parse_string(p, NULL);
	case 't':
		return parse_literal(p, "true");
	case 'f':
		return parse_literal(p, "false");
	case 'n':
		return parse_literal(p, "null");
	case '[':
	case '{': {
		char close = c == '[' ? ']' : '}';
		p->i++;
		skip_ws(p);
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		for (;;) {
			skip_ws(p);
			if (close == '}') {
				if (p->i >= p->n || p->s[p->i] != '"')
					return jerr(p, "member name (string) expected");
				if (parse_string(p, NULL) < 0)
					return NS_EFORMAT;
				skip_ws(p);
				if (p->i >= p->n || p->s[p->i] != ':')
					return jerr(p, "':' expected");
				p->i++;
				skip_ws(p);
			}
			int rc = skip_value(p, depth + 1);
			if (rc < 0)
				return rc;
			skip_ws(p);
			if (p->i < p->n && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->i < p->n && p->s[p->i] == close) {
				p->i++;
				return 0;
			}
			return jerr(p, close == ']' ? "',' or ']' expected" : "',' or '}' expected");
		}
	}
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p);
		return jerr(p, "invalid value");
	}
}

enum { F_ID, F_TEXT, F_SOURCE, F_DATE, F_OTHER };

static int field_of(const char *name, size_t n)
{
	static const char *const names[] = {"id", "text", "source", "date"};
	for (int k = 0; k < 4; k++)
		if (strlen(names[k]) == n && memcmp(names[k], name, n) == 0)
			return k;
	return F_OTHER;
}

void ns_jsonl_rec_release(ns_jsonl_rec *rec)
{
	if (!rec)
		return;
	free(rec->id);
	free(rec->text);
	free(rec->source);
	free(rec->date);
	memset(rec, 0, sizeof *rec);
}

/* Parses the value of a known member into *dst (a NUL-terminated copy). */
static int parse_field(jparser *p, int field, char **dst, size_t *dlen)
{
	size_t at = p->i;
	if (p->i >= p->n)
		return jerr(p, "value expected");
	char c = p->s[p->i];
	if (c == '"') {
		ns_buf b = NS_BUF_INIT;
		int rc = parse_string(p, &b);
		if (rc < 0) {
			ns_buf_free(&b);
			return rc;
		}
		if (!b.ptr && ns_buf_puts(&b, "") < 0)
			return NS_ENOMEM;
		*dst = ns_buf_detach(&b, dlen);
		return 0;
	}
	if (field == F_ID && (c == '-' || (c >= '0' && c <= '9'))) {
		int rc = parse_number(p);
		if (rc < 0)
			return rc;
		*dst = ns_strndup(p->s + at, p->i - at);
		if (dlen)
			*dlen = p->i - at;
		return *dst ? 0 : NS_ENOMEM;
	}
	if (field != F_TEXT && c == 'n')
		return parse_literal(p, "null");
	static const char *const what[] = {
		"\"id\" must be a string or a number",
		"\"text\" must be a string",
		"\"source\" must be a string or null",
		"\"date\" must be a string or null",
	};
	return jerr(p, what[field]);
}

int ns_jsonl_parse(ns_jsonl_rec *out, const char *line, size_t n)
{
	memset(out, 0, sizeof *out);
	jparser p = {line, n, 0};
	int rc = 0;
	int seen[4] = {0, 0, 0, 0};
	skip_ws(&p);
	if (p.i >= p.n || p.s[p.i] != '{') {
		rc = jerr(&p, "a JSON object '{' expected");
		goto cleanup;
	}
	p.i++;
	skip_ws(&p);
	if (p.i < p.n && p.s[p.i] == '}') {
		p.i++;
	} else {
		for (;;) {
			skip_ws(&p);
			if (p.i >= p.n || p.s[p.i] != '"') {
				rc = jerr(&p, "member name (string) expected");
				goto cleanup;
			}
			size_t name_at = p.i;
			ns_buf name = NS_BUF_INIT;
			rc = parse_string(&p, &name);
			int field = rc < 0 ? F_OTHER : field_of(name.ptr ? name.ptr : "", name.size);
			ns_buf_free(&name);
			if (rc < 0)
				goto cleanup;
			skip_ws(&p);
			if (p.i >= p.n || p.s[p.i] != ':') {
				rc = jerr(&p, "':' expected");
				goto cleanup;
			}
			p.i++;
			skip_ws(&p);
			if (field != F_OTHER) {
				if (seen[field]) {
					p.i = name_at;
					rc = jerr(&p, "duplicated member");
					goto cleanup;
				}
				seen[field] = 1;
				char **dst = field == F_ID ? &out->id
					     : field == F_TEXT ? &out->text
					     : field == F_SOURCE ? &out->source : &out->date;
				rc = parse_field(&p, field, dst, field == F_TEXT ? &out->text_len : NULL);
			} else {
				rc = skip_value(&p, 1);
			}
			if (rc < 0)
				goto cleanup;
			skip_ws(&p);
			if (p.i < p.n && p.s[p.i] == ',') {
				p.i++;
				continue;
			}
			if (p.i < p.n && p.s[p.i] == '}') {
				p.i++;
				break;
			}
			rc = jerr(&p, "',' or '}' expected");
			goto cleanup;
		}
	}
	skip_ws(&p);
	if (p.i < p.n) {
		rc = jerr(&p, "unexpected data after the object");
		goto cleanup;
	}
	if (!seen[F_TEXT]) {
		p.i = 0;
		rc = ns_error__set(NS_EFORMAT, "member \"text\" missing");
		goto cleanup;
	}
cleanup:
	if (rc < 0)
		ns_jsonl_rec_release(out);
	return rc;
}
