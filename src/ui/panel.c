/*
 * Rich-style panels for one object (see panel.h): a heavy title box over
 * light rows of "Label:  value" fields and free text. Labels share one
 * column; the box is as wide as its widest line, at most the terminal's.
 * What does not fit wraps (text_wrap): a value onto continuation lines
 * under itself when its words fit beside the label, else onto lines of
 * their own under the label; free text under its own indent.
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
/* A value under its label (it did not fit beside it) is indented this much, when it can be. */
#define STACK_INDENT 2

/* A field row has a label ("Name:", "" to continue a whole field); a text row has none. */
struct item {
	char *label;
	char *text;
	enum style style;
	int whole; /* panel_field_whole: not broken between words */
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
	p->items[p->len++] = (struct item){ label, text, style, 0 };
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

void
panel_field_whole(struct panel *p, const char *label, const char *value, enum style style)
{
	if (label)
		panel_field(p, label, value, style);
	else
		add_item(p, xstrdup(""), text_sanitize_dup(value && *value ? value : "-", 1), style);
	p->items[p->len - 1].whole = 1;
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

/* Append one line of a box: "│ " + indent, text in style padded to inner, " │". */
static void
add_line(struct buf *out, size_t indent, const char *text, size_t inner, enum style style, int color)
{
	size_t used = indent + text_width(text);
	buf_adds(out, "│ ");
	text_pad(out, indent);
	style_add(out, text, style, color);
	text_pad(out, used < inner ? inner - used : 0);
	buf_adds(out, " │\n");
}

/* Append text wrapped to inner - indent, each line indented. */
static void
add_wrapped(struct buf *out, size_t indent, const char *text, size_t inner, enum style style,
	    int color)
{
	struct strlist lines = STRLIST_INIT;
	text_wrap(text, inner - indent, &lines);
	for (size_t i = 0; i < lines.len; i++)
		add_line(out, indent, lines.items[i], inner, style, color);
	strlist_release(&lines);
}

static void
render_title(const struct panel *p, size_t inner, int color, struct buf *out)
{
	struct strlist lines = STRLIST_INIT;
	render_rule(out, "┏", "━", "┓", inner);
	text_wrap(p->title, inner, &lines);
	for (size_t i = 0; i < lines.len; i++) {
		buf_adds(out, "┃ ");
		style_add_bold(out, lines.items[i], p->title_style, color);
		text_pad(out, inner - text_width(lines.items[i]));
		buf_adds(out, " ┃\n");
	}
	strlist_release(&lines);
	render_rule(out, "┡", "━", "┩", inner);
}

/* A field whose value does not fit beside its label: the label, then the value under it. */
static void
render_stacked(const struct item *it, size_t inner, int color, struct buf *out)
{
	size_t needs = it->whole ? text_width(it->text) : text_longest_word(it->text);
	size_t indent = needs + STACK_INDENT <= inner ? STACK_INDENT : 0;
	if (*it->label)
		add_wrapped(out, 0, it->label, inner, STYLE_NONE, color);
	add_wrapped(out, indent, it->text, inner, it->style, color);
}

/* "Label:  value", the value wrapped under itself when its words fit beside the label. */
static void
render_field(const struct item *it, size_t label_cols, size_t inner, int color, struct buf *out)
{
	size_t room = inner > label_cols ? inner - label_cols : 0;
	size_t needs = it->whole ? text_width(it->text) : text_longest_word(it->text);
	struct strlist lines = STRLIST_INIT;
	if (!room || needs > room) {
		render_stacked(it, inner, color, out);
		return;
	}
	text_wrap(it->text, room, &lines);
	for (size_t i = 0; i < lines.len; i++) {
		buf_adds(out, "│ ");
		if (i == 0)
			buf_adds(out, it->label);
		text_pad(out, i == 0 ? label_cols - text_width(it->label) : label_cols);
		style_add(out, lines.items[i], it->style, color);
		text_pad(out, room - text_width(lines.items[i]));
		buf_adds(out, " │\n");
	}
	strlist_release(&lines);
}

/* A line of free text; continuation lines keep its indent (up to half the box). */
static void
render_text(const struct item *it, size_t inner, int color, struct buf *out)
{
	size_t lead = strspn(it->text, " ");
	if (lead > inner / 2)
		lead = inner / 2;
	add_wrapped(out, lead, it->text + lead, inner, it->style, color);
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
	for (size_t i = 0; i < p->len; i++) {
		if (p->items[i].label)
			render_field(&p->items[i], label_cols, inner, term->color, out);
		else
			render_text(&p->items[i], inner, term->color, out);
	}
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
