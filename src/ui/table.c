/*
 * Rich-style boxed tables (see table.h): cells are sanitised when added,
 * columns take the width of their widest text and, when the box is wider
 * than the terminal, give way by priority (fit_widths): the least important
 * shrink to their floor or are dropped, then essential ones shrink, then,
 * as a last resort, any column narrows and its cells wrap. A row is as many
 * lines as its tallest cell.
 */
#include "ui/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/text.h"

/* A shrinkable column never gets narrower than this (unless it already is). */
#define MIN_COLUMN_WIDTH 3
/* Whole values wider than this wrap before text is cut below its widest word. */
#define WHOLE_WRAP_WIDTH 20

struct column {
	char *header;
	enum table_align align;
	unsigned flags;
	unsigned priority; /* TABLE_ESSENTIAL, or higher: dropped first */
	size_t min_width;  /* 0: the default floor */
	int hidden;        /* dropped for want of room */
};

struct cell {
	char *text;
	enum style style;
};

/* What one box cell shows: a cell, a header or nothing. */
struct cell_view {
	const char *text;
	enum style style;
};

struct row {
	struct cell *cells;
	size_t len;
	size_t alloc;
};

struct table {
	char *title;
	struct column *cols;
	size_t ncols;
	size_t cols_alloc;
	struct row *rows;
	size_t nrows;
	size_t rows_alloc;
	size_t *w;      /* column widths, once the first part was drawn */
	size_t *id_len; /* COLUMN_ID columns: the prefix length shown */
	int wide;       /* -o wide: natural widths, IDs in full, nothing dropped */
};

/* The characters of one horizontal rule: left end, fill, junction, right end. */
struct rule {
	const char *left;
	const char *fill;
	const char *join;
	const char *right;
};

static const struct rule rule_top = { "┏", "━", "┳", "┓" };
static const struct rule rule_head = { "┡", "━", "╇", "┩" };
static const struct rule rule_bottom = { "└", "─", "┴", "┘" };

/* Make room for one more element in an array of elem-sized items. */
static void *
grow(void *items, size_t len, size_t *alloc, size_t elem)
{
	if (len < *alloc)
		return items;
	*alloc = *alloc ? *alloc * 2 : 8;
	return xrealloc(items, *alloc * elem);
}

struct table *
table_new(const char *title)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->title = text_sanitize_dup(title, 1);
	return t;
}

struct table *
table_new_counted(const char *noun, size_t count)
{
	char *title = xasprintf("%s (%zu)", noun, count);
	struct table *t = table_new(title);
	free(title);
	return t;
}

void
table_set_title(struct table *t, const char *title)
{
	free(t->title);
	t->title = text_sanitize_dup(title, 1);
}

size_t
table_rows_held(const struct table *t)
{
	return t->nrows;
}

void
table_add_column(struct table *t, const char *header, enum table_align align, unsigned flags)
{
	t->cols = grow(t->cols, t->ncols, &t->cols_alloc, sizeof(*t->cols));
	t->cols[t->ncols++] = (struct column){
		.header = text_sanitize_dup(header, 1),
		.align = align,
		.flags = flags,
	};
}

void
table_column_fit(struct table *t, unsigned priority, size_t min_width)
{
	if (!t->ncols)
		return;
	t->cols[t->ncols - 1].priority = priority;
	t->cols[t->ncols - 1].min_width = min_width;
}

void
table_add_row(struct table *t)
{
	t->rows = grow(t->rows, t->nrows, &t->rows_alloc, sizeof(*t->rows));
	t->rows[t->nrows++] = (struct row){ NULL, 0, 0 };
}

void
table_cell(struct table *t, const char *text, enum style style)
{
	if (!t->nrows)
		table_add_row(t);
	struct row *r = &t->rows[t->nrows - 1];
	r->cells = grow(r->cells, r->len, &r->alloc, sizeof(*r->cells));
	r->cells[r->len++] = (struct cell){ text_sanitize_dup(text, 1), style };
}

/* The cell of row r in column c; missing cells are empty. */
static struct cell_view
cell_at(const struct row *r, size_t c)
{
	if (c < r->len)
		return (struct cell_view){ r->cells[c].text, r->cells[c].style };
	return (struct cell_view){ "", STYLE_NONE };
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Characters a and b share at their start. */
static size_t
shared(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* The shortest prefix length, at least TABLE_ID_MIN, that tells column c's IDs apart. */
static size_t
unique_prefix(const struct table *t, size_t c)
{
	const char **ids = xcalloc(t->nrows ? t->nrows : 1, sizeof(*ids));
	size_t n = 0, len = TABLE_ID_MIN;
	for (size_t r = 0; r < t->nrows; r++)
		ids[n++] = cell_at(&t->rows[r], c).text;
	qsort(ids, n, sizeof(*ids), by_text);
	for (size_t i = 1; i < n; i++) {
		size_t same = shared(ids[i - 1], ids[i]);
		if (ids[i - 1][same] && same + 1 > len) /* equal IDs are one row twice */
			len = same + 1;
	}
	free(ids);
	return len;
}

/*
 * What a cell shows: an identifier shortened to its column's prefix (ended
 * after a whole character), else its text.
 */
static const char *
shown_text(const struct table *t, size_t c, const char *text, struct buf *tmp)
{
	if (!(t->cols[c].flags & COLUMN_ID) || t->wide)
		return text;
	size_t len = strlen(text), cut = t->id_len[c];
	while (cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut++;
	if (len <= cut)
		return text;
	buf_reset(tmp);
	buf_add(tmp, text, cut);
	buf_adds(tmp, "…");
	return buf_str(tmp);
}

static void
natural_widths(const struct table *t, size_t *w)
{
	struct buf tmp = BUF_INIT;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->cols[c].header);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = text_width(shown_text(t, c, cell_at(&t->rows[r], c).text, &tmp));
			if (cw > w[c])
				w[c] = cw;
		}
	}
	buf_release(&tmp);
}

/* Columns the drawn box takes: a border, then " text │" per column shown. */
static size_t
box_width(const struct table *t, const size_t *w)
{
	size_t total = 1;

	for (size_t c = 0; c < t->ncols; c++)
		if (!t->cols[c].hidden)
			total += w[c] + 3;
	return total;
}

/*
 * The narrowest column c gives way to before the last resort: a shrinkable
 * column its minimum (3 unless declared); an identifier or a COLUMN_WHOLE
 * column its widest cell (its header may wrap); any other its widest word,
 * as its cells wrap. Never more than its natural width nat.
 */
static size_t
floor_width(const struct table *t, size_t c, size_t nat)
{
	const struct column *col = &t->cols[c];
	struct buf tmp = BUF_INIT;
	size_t floor = text_longest_word(col->header);

	if (col->flags & COLUMN_SHRINK)
		floor = col->min_width ? col->min_width : MIN_COLUMN_WIDTH;
	for (size_t r = 0; r < t->nrows && !(col->flags & COLUMN_SHRINK); r++) {
		const char *text = shown_text(t, c, cell_at(&t->rows[r], c).text, &tmp);
		size_t w = col->flags & (COLUMN_WHOLE | COLUMN_ID) ? text_width(text) :
								     text_longest_word(text);
		floor = w > floor ? w : floor;
	}
	buf_release(&tmp);
	if (floor < col->min_width)
		floor = col->min_width;
	return floor < nat ? floor : nat;
}

/* Column indexes from the least important to the most (ties: rightmost first). */
static size_t *
give_way_order(const struct table *t)
{
	size_t *order = xcalloc(t->ncols ? t->ncols : 1, sizeof(*order));
	size_t n = 0;
	for (size_t c = t->ncols; c-- > 0;)
		order[n++] = c;
	for (size_t i = 1; i < n; i++) /* a stable insertion sort by priority, highest first */
		for (size_t j = i;
		     j > 0 && t->cols[order[j - 1]].priority < t->cols[order[j]].priority; j--) {
			size_t swap = order[j];
			order[j] = order[j - 1];
			order[j - 1] = swap;
		}
	return order;
}

/* Take up to excess columns from column c, down to floor. */
static void
give(size_t *w, size_t c, size_t floor, size_t excess)
{
	size_t can = w[c] > floor ? w[c] - floor : 0;
	w[c] -= can < excess ? can : excess;
}

/* How readily a column narrows: shrinkable text 0, wrapping text 1, whole values 2, IDs 3. */
static int
rank(const struct column *col)
{
	if (col->flags & COLUMN_SHRINK)
		return 0;
	if (col->flags & COLUMN_ID)
		return 3;
	return col->flags & COLUMN_WHOLE ? 2 : 1;
}

/* The widest shown column of rank up to max_rank wider than at_least, or ncols. */
static size_t
widest_above(const struct table *t, const size_t *w, const size_t *at_least, int max_rank)
{
	size_t best = t->ncols;
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->cols[c].hidden || w[c] <= at_least[c] || rank(&t->cols[c]) > max_rank)
			continue;
		if (best == t->ncols || w[c] > w[best])
			best = c;
	}
	return best;
}

/*
 * Narrow the widest columns, a column at a time, down to at_least, until
 * the box fits: those of rank 0 first, then up to max_rank.
 */
static void
narrow_widest(const struct table *t, size_t *w, const size_t *at_least, size_t width, int max_rank)
{
	for (int r = 0; r <= max_rank; r++)
		while (box_width(t, w) > width) {
			size_t c = widest_above(t, w, at_least, r);
			if (c == t->ncols)
				break;
			w[c]--;
		}
}

/*
 * The width policy: the least important columns shrink to their floor
 * and, unless essential, drop; then the essential ones shrink (shrinkable
 * ones first, the widest first) to their floors; then, as the last resort,
 * columns narrow and their cells wrap wherever they must: whole values
 * wider than WHOLE_WRAP_WIDTH down to it (a very long name wraps before a
 * status is squeezed), then text to three columns, then whole values, then
 * anything to two columns (a wide character still fits), identifiers only
 * when nothing else is left.
 */
static void
fit_widths(struct table *t, size_t *w, size_t width)
{
	size_t *floor = xcalloc(t->ncols ? t->ncols : 1, sizeof(*floor));
	size_t *order = give_way_order(t);
	size_t *two = xcalloc(t->ncols ? t->ncols : 1, sizeof(*two));
	size_t *three = xcalloc(t->ncols ? t->ncols : 1, sizeof(*three));
	for (size_t c = 0; c < t->ncols; c++) {
		floor[c] = floor_width(t, c, w[c]);
		two[c] = 2; /* a wide character always fits */
		three[c] = MIN_COLUMN_WIDTH;
	}
	for (size_t i = 0; i + 1 < t->ncols && box_width(t, w) > width; i++) { /* one stays */
		size_t c = order[i];
		if (t->cols[c].priority == TABLE_ESSENTIAL)
			break;
		give(w, c, floor[c], box_width(t, w) - width);
		if (box_width(t, w) > width)
			t->cols[c].hidden = 1;
	}
	narrow_widest(t, w, floor, width, 1);
	for (size_t c = 0; c < t->ncols; c++) /* only whole values give here */
		floor[c] = rank(&t->cols[c]) == 2 && w[c] > WHOLE_WRAP_WIDTH ? WHOLE_WRAP_WIDTH :
									       w[c];
	narrow_widest(t, w, floor, width, 2);
	narrow_widest(t, w, three, width, 1);
	narrow_widest(t, w, two, width, 3);
	free(three);
	free(two);
	free(order);
	free(floor);
}

static void
render_rule(struct buf *out, const struct table *t, const struct rule *r)
{
	int first = 1;
	buf_adds(out, r->left);
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->cols[c].hidden)
			continue;
		if (!first)
			buf_adds(out, r->join);
		buf_repeat(out, r->fill, t->w[c] + 2);
		first = 0;
	}
	buf_adds(out, r->right);
	buf_addc(out, '\n');
}

static void
render_title(const struct table *t, size_t box, const struct term *term, struct buf *out)
{
	size_t tw = text_width(t->title);
	struct buf title;

	if (!tw)
		return;
	buf_init(&title, 0);
	if (t->wide)
		buf_adds(&title, t->title);
	else
		text_truncate(&title, t->title, (size_t)term->width);
	text_pad(out, tw < box ? (box - tw) / 2 : 0);
	style_add(out, buf_str(&title), STYLE_BOLD, term->color);
	buf_addc(out, '\n');
	buf_release(&title);
}

/*
 * The lines a cell takes in a column width wide: cut with "…" (SHRINK, or a
 * column too narrow for a wide character, which only a later part of a
 * table can meet), else wrapped.
 */
static void
cell_lines(const struct table *t, size_t c, const char *text, struct strlist *lines)
{
	size_t width = t->w[c];
	if (((t->cols[c].flags & COLUMN_SHRINK) && !t->wide) || width < 2) {
		struct buf cut = BUF_INIT;
		text_truncate(&cut, text, width);
		strlist_add_owned(lines, buf_detach(&cut));
		return;
	}
	text_wrap(text, width, lines);
}

/* Append " text " padded to width columns and aligned. */
static void
render_cell(struct buf *out, const char *text, enum style style, size_t width,
	    enum table_align align, int color)
{
	size_t used = text_width(text);
	size_t pad = used < width ? width - used : 0;
	size_t left = align == ALIGN_RIGHT ? pad : align == ALIGN_CENTER ? pad / 2 : 0;

	buf_addc(out, ' ');
	text_pad(out, left);
	style_add(out, text, style, color);
	text_pad(out, pad - left);
	buf_addc(out, ' ');
}

/* One row between vertical bars, a line per line of its tallest cell; row NULL is the header. */
static void
render_cells(struct buf *out, const struct table *t, const struct row *row, int color)
{
	const char *bar = row ? "│" : "┃";
	struct strlist *lines = xcalloc(t->ncols ? t->ncols : 1, sizeof(*lines));
	struct buf id = BUF_INIT;
	size_t height = 1;

	for (size_t c = 0; c < t->ncols; c++) {
		if (t->cols[c].hidden)
			continue;
		const char *text = row ? shown_text(t, c, cell_at(row, c).text, &id) :
					 t->cols[c].header;
		cell_lines(t, c, text, &lines[c]);
		height = lines[c].len > height ? lines[c].len : height;
	}
	for (size_t i = 0; i < height; i++) {
		buf_adds(out, bar);
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->cols[c].hidden)
				continue;
			enum style style = row ? cell_at(row, c).style : STYLE_BOLD;
			render_cell(out, i < lines[c].len ? lines[c].items[i] : "", style, t->w[c],
				    t->cols[c].align, color);
			buf_adds(out, bar);
		}
		buf_addc(out, '\n');
	}
	for (size_t c = 0; c < t->ncols; c++)
		strlist_release(&lines[c]);
	free(lines);
	buf_release(&id);
}

/* Under the box: which columns were dropped, wrapped to the width. */
static void
render_footnote(const struct table *t, const struct term *term, struct buf *out)
{
	struct buf note = BUF_INIT;
	struct strlist lines = STRLIST_INIT;
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].hidden)
			buf_addf(&note, "%s%s", note.len ? ", " : "Not shown for want of room: ",
				 t->cols[c].header);
	if (!note.len)
		return;
	buf_adds(&note, " (-o wide shows every column)");
	text_wrap(buf_str(&note), (size_t)term->width, &lines);
	for (size_t i = 0; i < lines.len; i++) {
		style_add(out, lines.items[i], STYLE_DIM, term->color);
		buf_addc(out, '\n');
	}
	strlist_release(&lines);
	buf_release(&note);
}

/* Fix the widths from the rows held; draw the title and the header. */
static void
lay_out(struct table *t, const struct term *term, struct buf *out)
{
	t->wide = term->wide;
	t->w = xcalloc(t->ncols ? t->ncols : 1, sizeof(*t->w));
	t->id_len = xcalloc(t->ncols ? t->ncols : 1, sizeof(*t->id_len));
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].flags & COLUMN_ID)
			t->id_len[c] = unique_prefix(t, c);
	natural_widths(t, t->w);
	if (!t->wide)
		fit_widths(t, t->w, (size_t)term->width);
	render_title(t, box_width(t, t->w), term, out);
	render_rule(out, t, &rule_top);
	render_cells(out, t, NULL, term->color);
	render_rule(out, t, &rule_head);
}

static void
drop_rows(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->rows[r].len; c++)
			free(t->rows[r].cells[c].text);
		free(t->rows[r].cells);
	}
	t->nrows = 0;
}

void
table_render_part(struct table *t, const struct term *term, struct buf *out, int last)
{
	if (!t->w)
		lay_out(t, term, out);
	for (size_t r = 0; r < t->nrows; r++)
		render_cells(out, t, &t->rows[r], term->color);
	drop_rows(t);
	if (!last)
		return;
	render_rule(out, t, &rule_bottom);
	render_footnote(t, term, out);
}

void
table_render(struct table *t, const struct term *term, struct buf *out)
{
	table_render_part(t, term, out, 1);
}

void
table_free(struct table *t)
{
	if (!t)
		return;
	drop_rows(t);
	free(t->w);
	free(t->id_len);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c].header);
	free(t->rows);
	free(t->cols);
	free(t->title);
	free(t);
}
