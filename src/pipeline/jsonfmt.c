/* Pretty-printing of the compact JSON this library writes: two spaces per level,
 * "key": value, and containers that hold no nested container and are short
 * (spans such as {"start":3,"end":9}) kept on one line so long span lists read as
 * one span per line.
 *
 * The input is trusted to be valid compact JSON (it comes from ns_buf writers);
 * the scanner still never reads past n, whatever the input. */
#include <string.h>

#include "pipeline.h"

#define INLINE_MAX 100 /* compact length up to which a flat container stays inline */

/* Index just past the JSON string starting at s[i] == '"'. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

/* True when the container opening at s[i] closes within INLINE_MAX bytes without
 * opening another container. */
static int is_flat_short(const char *s, size_t n, size_t i)
{
	size_t lim = i + INLINE_MAX < n ? i + INLINE_MAX : n;
	for (size_t k = i + 1; k < lim;) {
		char c = s[k];
		if (c == '"') {
			k = skip_string(s, n, k);
			continue;
		}
		if (c == '{' || c == '[')
			return 0;
		if (c == '}' || c == ']')
			return 1;
		k++;
	}
	return 0;
}

static void newline(ns_buf *out, int level)
{
	ns_buf_putc(out, '\n');
	for (int k = 0; k < level; k++)
		ns_buf_put(out, "  ", 2);
}

int ns_pipeline__json_pretty(ns_buf *out, const char *s, size_t n, int indent)
{
	int level = indent;
	int inline_depth = 0; /* > 0 while inside a container printed on one line */
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (c == '"') {
			size_t e = skip_string(s, n, i);
			ns_buf_put(out, s + i, e - i);
			i = e;
			continue;
		}
		if (c == '{' || c == '[') {
			char close = c == '{' ? '}' : ']';
			ns_buf_putc(out, c);
			if (i + 1 < n && s[i + 1] == close) { /* empty container */
				ns_buf_putc(out, close);
				i += 2;
				continue;
			}
			if (inline_depth || is_flat_short(s, n, i)) {
				inline_depth++;
			} else {
				level++;
				newline(out, level);
			}
			i++;
			continue;
		}
		if (c == '}' || c == ']') {
			if (inline_depth) {
				inline_depth--;
			} else {
				level--;
				newline(out, level);
			}
			ns_buf_putc(out, c);
			i++;
			continue;
		}
		if (c == ',') {
			if (inline_depth)
				ns_buf_put(out, ", ", 2);
			else {
				ns_buf_putc(out, ',');
				newline(out, level);
			}
			i++;
			continue;
		}
		if (c == ':') {
			ns_buf_put(out, ": ", 2);
			i++;
			continue;
		}
		/* numbers, true/false/null */
		size_t e = i;
		while (e < n && s[e] && !strchr("\"{}[],:", s[e]))
			e++;
		if (e == i)
			e = i + 1; /* a stray byte (NUL): copied, never looped on */
		ns_buf_put(out, s + i, e - i);
		i = e;
	}
	return ns_buf_failed(out) ? NS_ENOMEM : 0;
}
