/* Character classes for tokenization, sentence ends and quotation marks, and the
 * script of a letter for language identification.
 *
 * DESIGN: ASCII and the basic Cyrillic block (U+0400-U+045F), which make up almost
 * all letters of the corpus besides Devanagari, are classified without a lookup;
 * everything else asks utf8proc for the general category (a two-level table). */
#include <utf8proc.h>

#include "internal.h"

/* ASCII classes: letters, digits, space; - and ' are word joiners. */
static int ascii_class(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return NS_C_LOWER;
	if (c >= 'A' && c <= 'Z')
		return NS_C_UPPER;
	if (c >= '0' && c <= '9')
		return NS_C_DIGIT;
	if (c <= ' ' || c == 0x7F)
		return NS_C_SPACE;
	if (c == '-')
		return NS_C_HYPHEN;
	if (c == '\'')
		return NS_C_APOS;
	return NS_C_PUNCT;
}

int ns_text__cclass(uint32_t cp)
{
	if (cp < 0x80)
		return ascii_class(cp);
	if (cp >= 0x0400 && cp <= 0x045F)
		return cp < 0x0430 ? NS_C_UPPER : NS_C_LOWER;
	switch (cp) {
	case 0x2010: case 0x2011: /* hyphen, non-breaking hyphen */
		return NS_C_HYPHEN;
	case 0x2019: case 0x02BC: /* right single quote as apostrophe, modifier apostrophe */
		return NS_C_APOS;
	case 0x200B: case 0xFEFF: /* zero width space, byte order mark: separators */
		return NS_C_SPACE;
	default:
		break;
	}
	if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
		return NS_C_FORMAT; /* variation selectors ("©️"): ignorable, never a word */
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		return NS_C_UPPER;
	case UTF8PROC_CATEGORY_LL:
		return NS_C_LOWER;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return NS_C_LETTER;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return NS_C_MARK;
	case UTF8PROC_CATEGORY_ND:
		return NS_C_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return NS_C_SPACE;
	case UTF8PROC_CATEGORY_CF:
		return NS_C_FORMAT;
	default:
		return NS_C_PUNCT;
	}
}

bool ns_text__is_quote(uint32_t cp)
{
	switch (cp) {
	case '"': case '\'': case 0x00AB: case 0x00BB: /* « » */
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: /* ‘ ’ ‚ ‛ */
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: /* “ ” „ ‟ */
	case 0x2039: case 0x203A: /* ‹ › */
	case 0x300C: case 0x300D: case 0x300E: case 0x300F: case 0xFF02:
		return true;
	default:
		return false;
	}
}

bool ns_text__is_terminal(uint32_t cp)
{
	switch (cp) {
	case '.': case '!': case '?':
	case 0x2026: /* … */
	case 0x0964: case 0x0965: /* Devanagari danda, double danda */
	case 0x203C: case 0x2047: case 0x2048: case 0x2049: /* ‼ ⁇ ⁈ ⁉ */
	case 0xFF01: case 0xFF1F: case 0x3002: /* fullwidth ! ? and ideographic full stop */
	case 0x061F: case 0x06D4: /* Arabic question mark, full stop */
		return true;
	default:
		return false;
	}
}

int ns_text__script(uint32_t cp)
{
	if (cp < 0x80)
		return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? NS_SCRIPT_LATIN : NS_SCRIPT_OTHER;
	if (cp >= 0x0400 && cp <= 0x052F)
		return NS_SCRIPT_CYRILLIC;
	if (cp >= 0x0900 && cp <= 0x097F)
		return NS_SCRIPT_DEVANAGARI;
	if ((cp >= 0x00C0 && cp <= 0x024F && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x1E00 && cp <= 0x1EFF))
		return NS_SCRIPT_LATIN;
	if ((cp >= 0x1C80 && cp <= 0x1C8F) || (cp >= 0x2DE0 && cp <= 0x2DFF) ||
	    (cp >= 0xA640 && cp <= 0xA69F))
		return NS_SCRIPT_CYRILLIC;
	if (cp >= 0xA8E0 && cp <= 0xA8FF)
		return NS_SCRIPT_DEVANAGARI;
	return NS_SCRIPT_OTHER;
}
