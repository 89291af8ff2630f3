/*
 * Display text: terminal column widths of UTF-8 (CJK and emoji are two
 * columns, combining marks none), neutralising control characters from
 * server text, truncation with an ellipsis that keeps column alignment, and
 * wrapping onto continuation lines that keeps words whole.
 */
#ifndef UI_TEXT_H
#define UI_TEXT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/strlist.h"

/* Columns one code point takes: 0, 1 or 2 (controls count 0). */
int text_codepoint_width(unsigned int cp);
/* Columns a UTF-8 string takes; invalid bytes count as one column each. */
size_t text_width(const char *s);
/*
 * The length in bytes of the bidirectional control at s, which a terminal
 * obeys though it shows nothing (U+061C, U+200E, U+200F, the embeddings and
 * overrides U+202A to U+202E, the isolates U+2066 to U+2069), or 0; *cp (may
 * be NULL) receives its code point. It reads at most the 3 bytes from s
 * that a UTF-8 lead byte there promises.
 */
size_t text_bidi_control(const char *s, unsigned int *cp);
/*
 * Append s with every C0/C1 control character, DEL, bidi control and
 * invalid UTF-8 byte replaced so that nothing reaches the terminal raw:
 * a control becomes '?' (tab and newline become a space when single_line,
 * newline is kept otherwise), invalid bytes become U+FFFD.
 */
void text_sanitize(struct buf *out, const char *s, int single_line);
/* text_sanitize into a new string (s NULL is ""); the caller frees it. */
char *text_sanitize_dup(const char *s, int single_line);
/*
 * Append s cut to at most max_cols columns: when it does not fit, as many
 * whole characters as fit in max_cols - 1 columns followed by "…" (a wide
 * character never straddles the cut; a gap is padded with a space).
 * Returns the number of columns appended.
 */
size_t text_truncate(struct buf *out, const char *s, size_t max_cols);
/*
 * Split s (one line) into lines of at most cols columns, added to lines:
 * breaks fall between words (the spaces there are dropped; leading spaces
 * are kept), and inside a word only when the word alone is wider than cols.
 * Nothing is left out; an empty s is one empty line. Returns the lines added.
 */
size_t text_wrap(const char *s, size_t cols, struct strlist *lines);
/* Columns the widest space-separated word of s takes (the narrowest wrap). */
size_t text_longest_word(const char *s);
/* Append n spaces. */
void text_pad(struct buf *out, size_t n);

#endif
