/*
 * Fuzz target for the table renderer (src/ui/table.c) and the display text
 * it is built on (src/ui/text.c). Feeds: byte 0 the terminal width (any,
 * even below the 20 columns a terminal is given), byte 1 the number of
 * columns (1 to 8), byte 2 how many rows go into each part drawn (0: the
 * whole table at once), then one byte per column (alignment, COLUMN_SHRINK,
 * COLUMN_ID, COLUMN_WHOLE, and a priority from its top bits), then NUL-separated texts: the title, the headers, and the
 * cells row by row, any bytes (UTF-8, invalid UTF-8, controls, wide and
 * zero-width characters). Checks: no sanitizer report; the output is valid
 * UTF-8 without control characters but newlines, and without U+FFFD unless
 * the input had invalid UTF-8 or U+FFFD itself; every line of the box is as
 * wide as the others, and no wider than the terminal when the narrowest box
 * fits in it; the footnote under it (columns dropped) no wider than the
 * terminal either; text_truncate never gives more columns than asked and
 * says how many it gave.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ui/table.h"
#include "ui/text.h"

#define MAX_COLUMNS 8
#define REPLACEMENT "\xEF\xBF\xBD"

/* Whether s[0..n) is valid UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80               ? 1 :
			     c >= 0xC2 && c <= 0xDF ? 2 :
			     c >= 0xE0 && c <= 0xEF ? 3 :
			     c >= 0xF0 && c <= 0xF4 ? 4 :
						      0;
		if (!len || i + len > n)
			return 0;
		unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
		if (len > 1 && (s[i + 1] < lo || s[i + 1] > hi))
			return 0;
		for (size_t k = 2; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/* A C0 or C1 control, DEL or a NUL (other than the terminator) anywhere but a newline. */
static int
has_control(const struct buf *b)
{
	const unsigned char *s = (const unsigned char *)b->data;
	for (size_t i = 0; i < b->len; i++)
		if ((s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7F ||
		    (s[i] == 0xC2 && i + 1 < b->len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F))
			return 1;
	return 0;
}

/* Every line but a title: the box. */
static void
check_output(const struct buf *out, const char *title, size_t width, size_t ncols, int input_clean)
{
	if (!valid_utf8((const unsigned char *)out->data, out->len) || has_control(out) ||
	    (input_clean && strstr(out->data, REPLACEMENT)))
		abort();
	char *copy = strdup(out->data), *rest = copy;
	size_t box = 0, narrowest = 1 + 6 * ncols; /* columns of 3, or narrower, plus borders */
	char *shown = text_sanitize_dup(title, 1);
	if (text_width(shown))
		strsep(&rest, "\n");
	free(shown);
	int below = 0; /* past the bottom border: the footnote */
	for (char *line; (line = strsep(&rest, "\n")) && *line;) {
		size_t w = text_width(line);
		if (below) {
			if (width >= 2 && w > width)
				abort();
			continue;
		}
		if (!box)
			box = w;
		if (w != box || (width >= narrowest && w > width))
			abort();
		below = !strncmp(line, "└", strlen("└"));
	}
	free(copy);
}

static void
check_truncate(const char *s, size_t max_cols)
{
	struct buf out = BUF_INIT;
	size_t used = text_truncate(&out, s, max_cols);
	if (used > max_cols || text_width(buf_str(&out)) != used)
		abort();
	buf_release(&out);
}

/* The next NUL-terminated text of [*p, end), or "" past the end. */
static const char *
next_text(const char **p, const char *end)
{
	const char *s = *p;
	if (s >= end)
		return "";
	*p = s + strlen(s) + 1;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	size_t width = data[0], ncols = data[1] % MAX_COLUMNS + 1, per_part = data[2];
	if (size < 3 + ncols)
		return 0;
	const uint8_t *flags = data + 3;
	/* the texts, NUL-terminated even when the input is not */
	size_t text_len = size - 3 - ncols;
	char *texts = malloc(text_len + 1);
	memcpy(texts, data + 3 + ncols, text_len);
	texts[text_len] = '\0';
	const char *p = texts, *end = texts + text_len;
	int clean = valid_utf8((const unsigned char *)texts, text_len);
	for (size_t i = 0; clean && i + 3 <= text_len; i++)
		clean = memcmp(texts + i, REPLACEMENT, 3) != 0;

	struct term term = { .format = OUTPUT_TABLE, .width = (int)width };
	struct buf out = BUF_INIT;
	const char *title = next_text(&p, end);
	struct table *t = table_new(*title ? title : NULL);
	check_truncate(title, width);
	for (size_t c = 0; c < ncols; c++) {
		enum table_align align = (enum table_align)(flags[c] % 3);
		table_add_column(t, next_text(&p, end), align, (flags[c] >> 2) & 7);
		table_column_fit(t, flags[c] >> 5, (flags[c] >> 4) & 1 ? 8 : 0);
	}
	while (p < end) {
		table_add_row(t);
		for (size_t c = 0; c < ncols && p < end; c++) {
			const char *cell = next_text(&p, end);
			check_truncate(cell, flags[c] >> 4);
			table_cell(t, cell, (enum style)(flags[c] % 9));
		}
		if (per_part && table_rows_held(t) >= per_part)
			table_render_part(t, &term, &out, 0);
	}
	table_render_part(t, &term, &out, 1);
	check_output(&out, title, width, ncols, clean);

	buf_release(&out);
	table_free(t);
	free(texts);
	return 0;
}
