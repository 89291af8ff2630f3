/*
 * Display text (see text.h): a UTF-8 decoder that never trusts its input,
 * a compact column-width table of our own (so output does not depend on the
 * locale or the C library's wcwidth), sanitising and truncation.
 */
#include "ui/text.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define REPLACEMENT_CP 0xFFFDu
#define REPLACEMENT "\xEF\xBF\xBD"
#define ELLIPSIS "\xE2\x80\xA6"

struct range {
	unsigned int first;
	unsigned int last;
};

/* Combining marks, variation selectors and invisible format characters. */
/* clang-format off */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F }, { 0x2028, 0x202E }, { 0x2060, 0x206F },
	{ 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
	{ 0xE0100, 0xE01EF },
};
/* clang-format on */

/* East Asian Wide and Fullwidth, including emoji with emoji presentation. */
/* clang-format off */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE },
	{ 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x267F, 0x267F },
	{ 0x2693, 0x2693 }, { 0x26A1, 0x26A1 }, { 0x26AA, 0x26AB },
	{ 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 },
	{ 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA }, { 0x26FD, 0x26FD },
	{ 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 },
	{ 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 },
	{ 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 },
	{ 0x2B55, 0x2B55 }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
	{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
	{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F004, 0x1F004 },
	{ 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A },
	{ 0x1F200, 0x1F202 }, { 0x1F210, 0x1F23B }, { 0x1F240, 0x1F248 },
	{ 0x1F250, 0x1F251 }, { 0x1F260, 0x1F265 }, { 0x1F300, 0x1F320 },
	{ 0x1F32D, 0x1F335 }, { 0x1F337, 0x1F37C }, { 0x1F37E, 0x1F393 },
	{ 0x1F3A0, 0x1F3CA }, { 0x1F3CF, 0x1F3D3 }, { 0x1F3E0, 0x1F3F0 },
	{ 0x1F3F4, 0x1F3F4 }, { 0x1F3F8, 0x1F43E }, { 0x1F440, 0x1F440 },
	{ 0x1F442, 0x1F4FC }, { 0x1F4FF, 0x1F53D }, { 0x1F54B, 0x1F54E },
	{ 0x1F550, 0x1F567 }, { 0x1F57A, 0x1F57A }, { 0x1F595, 0x1F596 },
	{ 0x1F5A4, 0x1F5A4 }, { 0x1F5FB, 0x1F64F }, { 0x1F680, 0x1F6C5 },
	{ 0x1F6CC, 0x1F6CC }, { 0x1F6D0, 0x1F6D2 }, { 0x1F6D5, 0x1F6D7 },
	{ 0x1F6DC, 0x1F6DF }, { 0x1F6EB, 0x1F6EC }, { 0x1F6F4, 0x1F6FC },
	{ 0x1F7E0, 0x1F7EB }, { 0x1F7F0, 0x1F7F0 }, { 0x1F90C, 0x1F93A },
	{ 0x1F93C, 0x1F945 }, { 0x1F947, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};
/* clang-format on */

static int
in_ranges(unsigned int cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/*
 * Length of the sequence a lead byte starts and the allowed range of the
 * byte after it (which rules out overlongs, surrogates and > U+10FFFF);
 * 0 for a byte that cannot start a sequence.
 */
static size_t
utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*lo = 0xA0;
		if (c == 0xED)
			*hi = 0x9F;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*lo = 0x90;
		if (c == 0xF4)
			*hi = 0x8F;
		return 4;
	}
	return 0;
}

/*
 * Decode the character at s (not at its end) into *cp and return its length
 * in bytes. An invalid byte decodes as one U+FFFD with *valid cleared.
 */
static size_t
utf8_decode(const char *s, unsigned int *cp, int *valid)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;
	size_t len = utf8_lead(p[0], &lo, &hi);

	*valid = 1;
	*cp = p[0];
	if (p[0] < 0x80)
		return 1;
	*valid = 0;
	*cp = REPLACEMENT_CP;
	if (!len || p[1] < lo || p[1] > hi)
		return 1;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	unsigned int v = p[0] & (0x7Fu >> len);
	for (size_t i = 1; i < len; i++)
		v = (v << 6) | (p[i] & 0x3Fu);
	*valid = 1;
	*cp = v;
	return len;
}

/* Append the decoded character s[0..n) (U+FFFD when it was invalid). */
static void
add_char(struct buf *out, const char *s, size_t n, int valid)
{
	if (valid)
		buf_add(out, s, n);
	else
		buf_adds(out, REPLACEMENT);
}

static int
is_control(unsigned int cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

static int
is_bidi_control(unsigned int cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t
text_bidi_control(const char *s, unsigned int *cp_out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0;
	if (p[0] == 0xD8 && p[1] == 0x9C)
		len = 2;
	else if (p[0] == 0xE2 && p[1] == 0x80 &&
		 (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
		len = 3;
	else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
		len = 3;
	if (len && cp_out)
		*cp_out = len == 2 ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu) :
				     (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
	return len;
}

int
text_codepoint_width(unsigned int cp)
{
	if (is_control(cp) || in_ranges(cp, zero_width, ARRAY_LEN(zero_width)))
		return 0;
	if (in_ranges(cp, wide, ARRAY_LEN(wide)))
		return 2;
	return 1;
}

size_t
text_width(const char *s)
{
	size_t cols = 0;

	while (*s) {
		unsigned int cp;
		int valid;
		s += utf8_decode(s, &cp, &valid);
		cols += (size_t)text_codepoint_width(cp);
	}
	return cols;
}

void
text_sanitize(struct buf *out, const char *s, int single_line)
{
	while (*s) {
		unsigned int cp;
		int valid;
		size_t n = utf8_decode(s, &cp, &valid);
		if (valid && (cp == '\t' || (cp == '\n' && single_line)))
			buf_addc(out, ' ');
		else if (valid && cp == '\n')
			buf_addc(out, '\n');
		else if (valid && (is_control(cp) || is_bidi_control(cp)))
			buf_addc(out, '?');
		else
			add_char(out, s, n, valid);
		s += n;
	}
}

char *
text_sanitize_dup(const char *s, int single_line)
{
	struct buf b;

	buf_init(&b, 0);
	text_sanitize(&b, s ? s : "", single_line);
	return buf_detach(&b);
}

/* Append the whole characters of s that fit in limit columns; return the columns used. */
static size_t
add_columns(struct buf *out, const char *s, size_t limit)
{
	size_t used = 0;

	while (*s) {
		unsigned int cp;
		int valid;
		size_t n = utf8_decode(s, &cp, &valid);
		size_t w = (size_t)text_codepoint_width(cp);
		if (used + w > limit)
			break;
		add_char(out, s, n, valid);
		used += w;
		s += n;
	}
	return used;
}

size_t
text_truncate(struct buf *out, const char *s, size_t max_cols)
{
	if (text_width(s) <= max_cols)
		return add_columns(out, s, max_cols);
	if (!max_cols)
		return 0;
	size_t used = add_columns(out, s, max_cols - 1);
	text_pad(out, max_cols - 1 - used);
	buf_adds(out, ELLIPSIS);
	return max_cols;
}

void
text_pad(struct buf *out, size_t n)
{
	buf_repeat(out, " ", n);
}

/* Columns of the next word at s (up to a space or the end) and its length in bytes. */
static size_t
word_at(const char *s, size_t *bytes)
{
	size_t n = 0, w = 0;
	while (s[n] && s[n] != ' ') {
		unsigned int cp;
		int valid;
		n += utf8_decode(s + n, &cp, &valid);
		w += (size_t)text_codepoint_width(cp);
	}
	*bytes = n;
	return w;
}

size_t
text_longest_word(const char *s)
{
	size_t best = 0, n;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		size_t w = word_at(s, &n);
		best = w > best ? w : best;
		s += n;
	}
	return best;
}

/* A line being filled by text_wrap. */
struct wrap_line {
	struct buf text;
	size_t used;
	struct strlist *lines;
	size_t added;
};

static void
wrap_flush(struct wrap_line *l)
{
	strlist_add(l->lines, buf_str(&l->text));
	buf_reset(&l->text);
	l->used = 0;
	l->added++;
}

/* Add a word wider than a line: whole lines of it, the rest left on the line. */
static void
wrap_long_word(struct wrap_line *l, const char *s, size_t len, size_t cols)
{
	const char *end = s + len;
	while (s < end) {
		unsigned int cp;
		int valid;
		size_t n = utf8_decode(s, &cp, &valid);
		size_t w = (size_t)text_codepoint_width(cp);
		if (l->used && l->used + w > cols)
			wrap_flush(l);
		add_char(&l->text, s, n, valid);
		l->used += w;
		s += n;
	}
}

size_t
text_wrap(const char *s, size_t cols, struct strlist *lines)
{
	struct wrap_line l = { BUF_INIT, 0, lines, 0 };
	size_t spaces = 0, n;
	cols = cols ? cols : 1;
	while (*s == ' ' && spaces < cols - 1) /* an indent, kept */
		spaces++, s++;
	text_pad(&l.text, spaces);
	l.used = spaces;
	spaces = 0;
	while (*s) {
		if (*s == ' ') {
			spaces++, s++;
			continue;
		}
		size_t w = word_at(s, &n);
		size_t gap = l.used ? spaces : 0;
		if (l.used && l.used + gap + w > cols) {
			wrap_flush(&l);
			gap = 0;
		}
		text_pad(&l.text, gap);
		l.used += gap;
		if (l.used + w > cols)
			wrap_long_word(&l, s, n, cols);
		else {
			buf_add(&l.text, s, n);
			l.used += w;
		}
		s += n;
		spaces = 0;
	}
	wrap_flush(&l);
	buf_release(&l.text);
	return l.added;
}
