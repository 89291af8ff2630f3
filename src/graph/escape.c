/* Cleaning and escaping text for Mermaid and DOT output (see escape.h). */
#include "graph/escape.h"

#include <stdint.h>

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/*
 * Decode one UTF-8 character at s: its length, or 0 when the bytes are not
 * a well-formed character (overlong forms and surrogates included).
 */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80           ? 1 :
		     (s[0] & 0xe0) == 0xc0 ? 2 :
		     (s[0] & 0xf0) == 0xe0 ? 3 :
		     (s[0] & 0xf8) == 0xf0 ? 4 :
					     0;
	if (!len)
		return 0;
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* What replaces a character that must not reach the output, or NULL. */
static const char *
replacement(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return " ";
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return "?";
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	    cp == 0x200f || cp == 0x061c)
		return "?";
	return NULL;
}

/* The escape of an ASCII character in syntax, or NULL when it stays. */
static const char *
escape_of(char c, enum graph_syntax syntax)
{
	if (syntax == GRAPH_MERMAID_LABEL) {
		switch (c) {
		case '"':
			return "#quot;";
		case '#':
			return "#35;";
		case '<':
			return "#lt;";
		case '>':
			return "#gt;";
		case '&':
			return "#amp;";
		case '`':
			return "#96;";
		}
	} else if (syntax == GRAPH_DOT_STRING) {
		switch (c) {
		case '"':
			return "\\\"";
		case '\\':
			return "\\\\";
		case '&':
			return "&amp;";
		}
	}
	return NULL;
}

void
graph_escape(struct buf *out, const char *s, enum graph_syntax syntax)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp = 0;
		size_t len = utf8_decode(p, &cp);
		const char *rep = !len ? REPLACEMENT : replacement(cp);
		if (!rep && len == 1)
			rep = escape_of((char)*p, syntax);
		if (rep)
			buf_adds(out, rep);
		else
			buf_add(out, p, len);
		p += len ? len : 1;
	}
}
