/* Growable byte buffer with a sticky failure flag (see util.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int ns_buf_grow(ns_buf *b, size_t extra)
{
	size_t need;
	if (b->failed)
		return NS_ENOMEM;
	if (!ns_add_ok(b->size, extra, &need) || !ns_add_ok(need, 1, &need)) {
		b->failed = 1;
		return ns_error__set(NS_ENOMEM, "buffer size overflow");
	}
	if (need <= b->cap)
		return 0;
	size_t ncap = b->cap ? b->cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	char *p = ns_realloc(b->ptr, ncap);
	if (!p) {
		b->failed = 1;
		return NS_ENOMEM;
	}
	b->ptr = p;
	b->cap = ncap;
	return 0;
}

int ns_buf_put(ns_buf *b, const void *data, size_t n)
{
	if (ns_buf_grow(b, n) < 0)
		return NS_ENOMEM;
	if (n)
		memcpy(b->ptr + b->size, data, n);
	b->size += n;
	b->ptr[b->size] = '\0';
	return 0;
}

int ns_buf_puts(ns_buf *b, const char *s) { return ns_buf_put(b, s, strlen(s)); }

int ns_buf_putc(ns_buf *b, char c) { return ns_buf_put(b, &c, 1); }

int ns_buf_printf(ns_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return ns_error__set(NS_EINVAL, "bad format string");
	}
	if ((size_t)n < sizeof small)
		return ns_buf_put(b, small, (size_t)n);
	if (ns_buf_grow(b, (size_t)n) < 0)
		return NS_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->size += (size_t)n;
	return 0;
}

void ns_buf_clear(ns_buf *b)
{
	b->size = 0;
	b->failed = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void ns_buf_free(ns_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->size = b->cap = 0;
	b->failed = 0;
}

char *ns_buf_detach(ns_buf *b, size_t *len)
{
	char *p = b->ptr;
	if (len)
		*len = b->size;
	b->ptr = NULL;
	b->size = b->cap = 0;
	return p;
}

int ns_buf_json_str(ns_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	ns_buf_putc(b, '"');
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[6];
		size_t len = 1;
		if (c < 0x80) {
			switch (c) {
			case '"': esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			default:
				if (c < 0x20 || c == 0x7f) {
					u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
					u[4] = hex[c >> 4]; u[5] = hex[c & 15];
					ns_buf_put(b, s + i - run, run);
					run = 0;
					ns_buf_put(b, u, 6);
					i++;
					continue;
				}
			}
		} else {
			uint32_t cp;
			bool bad;
			len = ns_utf8_decode(s + i, n - i, &cp, &bad);
			if (bad || cp == 0x2028 || cp == 0x2029) {
				ns_buf_put(b, s + i - run, run);
				run = 0;
				ns_buf_puts(b, bad ? "\xEF\xBF\xBD" : (cp == 0x2028 ? "\\u2028" : "\\u2029"));
				i += len;
				continue;
			}
		}
		if (esc) {
			ns_buf_put(b, s + i - run, run);
			run = 0;
			ns_buf_puts(b, esc);
			i++;
			continue;
		}
		/* s + i - run .. s + i is the pending unescaped run */
		run += len;
		i += len;
	}
	ns_buf_put(b, s + n - run, run);
	return ns_buf_putc(b, '"');
}

int ns_buf_json_num(ns_buf *b, double v, int prec)
{
	if (!isfinite(v))
		return ns_buf_puts(b, "null");
	if (prec >= 0)
		return ns_buf_printf(b, "%.*f", prec, v);
	return ns_buf_printf(b, "%.17g", v);
}
