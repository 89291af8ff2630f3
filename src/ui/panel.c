/*
 * Rich-style panels for one object (see panel.h): a heavy title box over
 * light rows of "Label:  value" fields and free text. Labels share one
 * column; the box is as wide as its widest line, at most the terminal's.
 */
#include "ui/panel.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/text.h"

/* The label column is at least this wide, and two columns wider than any label. */
#define MIN_LABEL_WIDTH 18
#define LABEL_GAP 2
/* Borders and their padding: "│ " and " │". */
#define BOX_FRAME 4

/* A field row has a label ("Name:"); a text row has none. */
struct item {
	char *label;
	char *text;
	enum style style;
};

struct panel {
	char *title;
	enum style title_style;
	struct item *items;
	size_t len;
	size_t alloc;
};

struct panel *
panel_new(const char *title, enum style title_style)
{
	struct panel *p = xcalloc(1, sizeof(*p));

	p->title = text_sanitize_dup(title, 1);
	p->title_style = title_style;
	return p;
}

static void
add_item(struct panel *p, char *label, char *text, enum style style)
{
	if (p->len == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 8;
		p->items = xrealloc(p->items, p->alloc * sizeof(*p->items));
	}
	p->items[p->len++] = (struct item){ label, text, style };
}

void
panel_field(struct panel *p, const char *label, const char *value, enum style style)
{
	struct buf b;

	buf_init(&b, 0);
	text_sanitize(&b, label ? label : "", 1);
	buf_addc(&b, ':');
	if (!value || !*value)
		add_item(p, buf_detach(&b), xstrdup("-"), STYLE_NONE);
	else
		add_item(p, buf_detach(&b), text_sanitize_dup(value, 1), style);
}

/* Each line of text becomes a row of its own. */
void
panel_text(struct panel *p, const char *text, enum style style)
{
	char *clean = text_sanitize_dup(text, 0);
	const char *line = clean;

	for (;;) {
		const char *nl = strchr(line, '\n');
		if (!nl) {
			add_item(p, NULL, xstrdup(line), style);
			break;
		}
		add_item(p, NULL, xstrndup(line, (size_t)(nl - line)), style);
		line = nl + 1;
	}
	free(clean);
}

void
panel_blank(struct panel *p)
{
	add_item(p, NULL, xstrdup(""), STYLE_NONE);
}

static size_t
label_width(const struct panel *p)
{
	size_t width = MIN_LABEL_WIDTH;

	for (size_t i = 0; i < p->len; i++) {
		if (!p->items[i].label)
			continue;
		size_t w = text_width(p->items[i].label) + LABEL_GAP;
		if (w > width)
			width = w;
	}
	return width;
}

/* Columns between "│ " and " │": the widest line, capped by the terminal. */
static size_t
inner_width(const struct panel *p, size_t label_cols, const struct term *term)
{
	size_t width = text_width(p->title);
	size_t cap = (size_t)term->width - BOX_FRAME;

	for (size_t i = 0; i < p->len; i++) {
		const struct item *it = &p->items[i];
		size_t w = (it->label ? label_cols : 0) + text_width(it->text);
		if (w > width)
			width = w;
	}
	return width < cap ? width : cap;
}

static void
render_rule(struct buf *out, const char *left, const char *fill, const char *right, size_t inner)
{
	buf_adds(out, left);
	buf_repeat(out, fill, inner + 2);
	buf_adds(out, right);
	buf_addc(out, '\n');
}

/* Append text cut to cols columns in style; return the columns used. */
static size_t
add_fitted(struct buf *out, const char *text, size_t cols, enum style style, int color, int bold)
{
	struct buf tmp;

	buf_init(&tmp, 0);
	size_t used = text_truncate(&tmp, text, cols);
	if (bold)
		style_add_bold(out, buf_str(&tmp), style, color);
	else
		style_add(out, buf_str(&tmp), style, color);
	buf_release(&tmp);
	return used;
}

static void
render_title(const struct panel *p, size_t inner, int color, struct buf *out)
{
	render_rule(out, "┏", "━", "┓", inner);
	buf_adds(out, "┃ ");
	size_t used = add_fitted(out, p->title, inner, p->title_style, color, 1);
	text_pad(out, inner - used);
	buf_adds(out, " ┃\n");
	render_rule(out, "┡", "━", "┩", inner);
}

static void
render_item(const struct item *it, size_t label_cols, size_t inner, int color, struct buf *out)
{
	size_t used = 0;

	buf_adds(out, "│ ");
	if (it->label) {
		size_t cols = label_cols < inner ? label_cols : inner;
		used = add_fitted(out, it->label, cols, STYLE_NONE, color, 0);
		text_pad(out, cols - used);
		used = cols;
	}
	used += add_fitted(out, it->text, inner - used, it->style, color, 0);
	text_pad(out, inner - used);
	buf_adds(out, " │\n");
}

void
panel_render(const struct panel *p, const struct term *term, struct buf *out)
{
	size_t label_cols = label_width(p);
	size_t inner = inner_width(p, label_cols, term);

	if (*p->title)
		render_title(p, inner, term->color, out);
	else
		render_rule(out, "┌", "─", "┐", inner);
	for (size_t i = 0; i < p->len; i++)
		render_item(&p->items[i], label_cols, inner, term->color, out);
	render_rule(out, "└", "─", "┘", inner);
}

void
panel_free(struct panel *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->len; i++) {
		free(p->items[i].label);
		free(p->items[i].text);
	}
	free(p->items);
	free(p->title);
	free(p);
}
