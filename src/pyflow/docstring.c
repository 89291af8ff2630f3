/*
 * Docstrings as Prefect reads them: inspect.cleandoc (Python 3.11), then
 * the parameters section of a Google-style docstring as griffe's Google
 * parser finds it (prefect.utilities.callables.parameter_docstrings parses
 * Google style only: numpy and Sphinx docstrings give no descriptions).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "pyflow/schema.h"

static void
expand_tabs(struct buf *out, const char *s, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\t') {
			do
				buf_addc(out, ' ');
			while (++col % 8);
		} else {
			buf_addc(out, s[i]);
			col = s[i] == '\n' ? 0 : col + 1;
		}
	}
}

/* Every line of s, empty ones included. */
static void
split_lines(struct strlist *l, const char *s)
{
	for (;;) {
		const char *end = strchr(s, '\n');
		if (!end) {
			strlist_add(l, s);
			return;
		}
		strlist_add_owned(l, xstrndup(s, (size_t)(end - s)));
		s = end + 1;
	}
}

static size_t
indent_of(const char *line)
{
	return strspn(line, " ");
}

static int
blank(const char *line)
{
	return !line[strspn(line, " \t\r\f\v")];
}

static char *
cleandoc(const char *doc)
{
	struct buf b = BUF_INIT;
	struct strlist lines = STRLIST_INIT;
	expand_tabs(&b, doc, strlen(doc));
	split_lines(&lines, buf_str(&b));
	size_t margin = (size_t)-1;
	for (size_t i = 1; i < lines.len; i++)
		if (!blank(lines.items[i]) && indent_of(lines.items[i]) < margin)
			margin = indent_of(lines.items[i]);
	size_t first = 0, last = lines.len;
	const char *head = lines.len ? lines.items[0] + strspn(lines.items[0], " \t\r\f\v") : "";
	while (first < last) {
		const char *l = first ? lines.items[first] : head;
		if (first && margin != (size_t)-1)
			l = strlen(l) > margin ? l + margin : "";
		if (*l)
			break;
		first++;
	}
	while (last > first) {
		const char *l = last - 1 ? lines.items[last - 1] : head;
		if (last - 1 && margin != (size_t)-1)
			l = strlen(l) > margin ? l + margin : "";
		if (*l)
			break;
		last--;
	}
	buf_reset(&b);
	for (size_t i = first; i < last; i++) {
		const char *l = i ? lines.items[i] : head;
		if (i && margin != (size_t)-1)
			l = strlen(l) > margin ? l + margin : "";
		buf_addf(&b, "%s%s", i > first ? "\n" : "", l);
	}
	strlist_release(&lines);
	return buf_detach(&b);
}

char *
pf_docstring(const struct pyflow_file *f, TSNode body)
{
	TSNode st = pf_first_named(body);
	TSNode s = pf_first_named(st);
	char *raw = NULL;
	if (!pf_is(st, "expression_statement") || pf_count(st) != 1 || !pf_string_value(f, s, &raw))
		return NULL;
	char *doc = cleandoc(raw);
	free(raw);
	return doc;
}

/* griffe's section title: ^\w[\s\w-]*:\s*$, for a parameters section. */
static int
parameters_title(const char *line)
{
	static const char *const titles[] = { "args", "arguments", "params", "parameters" };
	size_t n = strcspn(line, ":");
	if (!line[n] || !blank(line + n + 1))
		return 0;
	for (size_t i = 0; i < 4; i++)
		if (strlen(titles[i]) == n && !strncasecmp(line, titles[i], n))
			return 1;
	return 0;
}

/* Whether lines[at] opens a section griffe reads (contents below, blank above). */
static int
opens_section(const struct strlist *l, size_t at)
{
	int above = at > 0 && blank(l->items[at - 1]); /* griffe reads line 0 as the summary */
	int next = at + 1 < l->len, next2 = at + 2 < l->len;
	int blank_below = next && blank(l->items[at + 1]);
	int blank_below2 = next2 && blank(l->items[at + 2]);
	int indented = next && !blank_below && l->items[at + 1][0] == ' ';
	int indented2 = next2 && !blank_below2 && l->items[at + 2][0] == ' ';
	if (!(indented || indented2))
		return 0;
	return above && !(indented2 && blank_below);
}

/* One item: "name (type): description" and its continuation lines. */
static void
add_item(json_t *docs, struct strlist *item)
{
	const char *first = item->items[0], *colon = strchr(first, ':');
	if (!colon)
		return;
	char *name = xstrndup(first, (size_t)(colon - first));
	size_t n = strlen(name);
	if (strchr(name, '(') && n && name[n - 1] == ')') {
		*strchr(name, '(') = '\0';
		while (*name && name[strlen(name) - 1] == ' ')
			name[strlen(name) - 1] = '\0';
		char *start = name + strspn(name, " ");
		memmove(name, start, strlen(start) + 1);
	}
	struct buf d = BUF_INIT;
	buf_adds(&d, colon + 1 + strspn(colon + 1, " \t"));
	for (size_t i = 1; i < item->len; i++)
		buf_addf(&d, "\n%s", item->items[i]);
	while (d.len && d.data[d.len - 1] == '\n')
		d.data[--d.len] = '\0';
	json_object_set_new(docs, name, json_string(buf_str(&d)));
	buf_release(&d);
	free(name);
}

/* griffe's _read_block_items from line at; returns the last line read. */
static size_t
read_items(const struct strlist *l, size_t at, json_t *docs)
{
	while (at < l->len && blank(l->items[at]))
		at++;
	if (at >= l->len || !indent_of(l->items[at]))
		return at;
	size_t indent = indent_of(l->items[at]);
	struct strlist item = STRLIST_INIT;
	strlist_add(&item, l->items[at] + indent);
	for (at++; at < l->len; at++) {
		const char *line = l->items[at];
		size_t ind = indent_of(line);
		if (blank(line)) {
			strlist_add(&item, "");
		} else if (ind >= indent * 2) {
			strlist_add(&item, line + indent * 2);
		} else if (ind > indent) {
			strlist_add(&item, line + ind);
		} else if (ind == indent) {
			add_item(docs, &item);
			strlist_release(&item);
			strlist_add(&item, line + indent);
		} else {
			break;
		}
	}
	add_item(docs, &item);
	strlist_release(&item);
	return at;
}

json_t *
pf_param_docs(const char *doc)
{
	json_t *docs = json_object();
	struct strlist lines = STRLIST_INIT;
	int fence = 0;
	if (!doc || !*doc)
		return docs;
	split_lines(&lines, doc);
	for (size_t i = 0; i < lines.len; i++) {
		const char *line = lines.items[i];
		if (!strncmp(line + indent_of(line), "```", 3)) {
			fence = !fence;
		} else if (!fence && parameters_title(line) && opens_section(&lines, i)) {
			json_object_clear(docs);
			i = read_items(&lines, i + 1, docs) - 1;
		}
	}
	strlist_release(&lines);
	return docs;
}
