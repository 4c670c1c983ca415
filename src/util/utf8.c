/* UTF-8 decoding with repair: every invalid byte becomes one U+FFFD code point,
 * so code-point offsets of repaired text equal those the reader reports. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

size_t ns_utf8_decode(const char *str, size_t n, uint32_t *cp, bool *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	*bad = false;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else
		goto invalid;
	if (n < len)
		goto invalid;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto invalid;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto invalid;
	*cp = v;
	return len;
invalid:
	*cp = NS_REPLACEMENT;
	*bad = true;
	return 1;
}

size_t ns_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = NS_REPLACEMENT;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t ns_utf8_count(const char *s, size_t n)
{
	size_t count = 0, i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
		} else {
			uint32_t cp;
			bool bad;
			i += ns_utf8_decode(s + i, n - i, &cp, &bad);
		}
		count++;
	}
	return count;
}

int ns_utf8_repair(char **out, size_t *outlen, size_t *nbad, const char *s, size_t n)
{
	*out = NULL;
	*nbad = 0;
	size_t i = 0, bad_count = 0;
	/* first pass: count invalid bytes so the common all-valid case is one copy */
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		bool bad;
		i += ns_utf8_next(s + i, n - i, &cp, &bad);
		bad_count += bad;
	}
	size_t cap;
	if (!ns_mul_ok(bad_count, 2, &cap) || !ns_add_ok(cap, n, &cap))
		return ns_error__set(NS_ENOMEM, "text size overflow");
	char *dst = ns_malloc(cap + 1);
	if (!dst)
		return NS_ENOMEM;
	if (!bad_count) {
		memcpy(dst, s, n);
		dst[n] = '\0';
		*out = dst;
		*outlen = n;
		return 0;
	}
	size_t o = 0;
	i = 0;
	while (i < n) {
		uint32_t cp;
		bool bad;
		size_t len = ns_utf8_decode(s + i, n - i, &cp, &bad);
		if (bad) {
			memcpy(dst + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(dst + o, s + i, len);
			o += len;
		}
		i += len;
	}
	dst[o] = '\0';
	*out = dst;
	*outlen = o;
	*nbad = bad_count;
	return 0;
}
