/* YAML read with libyaml's event parser into a line-numbered tree (see yaml_doc.h). */
#include "core/yaml_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/buf.h"
#include "core/xalloc.h"

#define NULL_TAG "tag:yaml.org,2002:null"
/* How deep sequences and mappings may nest: settings need a handful of levels. */
#define DEPTH_MAX 64
#define DEPTH_TEXT "64"

struct builder {
	struct ydoc *doc;
	const char *name;
	struct ynode **stack; /* open sequences and mappings, innermost last */
	size_t depth;
	size_t alloc;
	int documents;
};

static void
push_node(struct ynode ***items, size_t *len, size_t *alloc, struct ynode *node)
{
	if (*len == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		*items = xrealloc(*items, *alloc * sizeof(**items));
	}
	(*items)[(*len)++] = node;
}

static struct ynode *
node_new(struct ydoc *doc, enum ynode_kind kind, const yaml_mark_t *mark, const yaml_char_t *anchor)
{
	struct ynode *node = xcalloc(1, sizeof(*node));
	node->kind = kind;
	node->line = mark->line + 1;
	if (anchor)
		node->anchor = xstrdup((const char *)anchor);
	push_node(&doc->nodes, &doc->len, &doc->alloc, node);
	return node;
}

/* Make node the next child of the innermost open collection, or the root. */
static void
attach(struct builder *b, struct ynode *node)
{
	if (b->depth) {
		struct ynode *parent = b->stack[b->depth - 1];
		push_node(&parent->items, &parent->len, &parent->alloc, node);
	} else {
		b->doc->root = node;
	}
}

static int
position_error(const struct builder *b, const yaml_mark_t *mark, struct error *err,
	       const char *problem)
{
	return error_set(err, ERROR_CONFIG, "%s:%zu:%zu: %s", b->name, mark->line + 1,
			 mark->column + 1, problem);
}

static int
is_null_scalar(const yaml_event_t *ev)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag)
		return !strcmp(tag, NULL_TAG);
	if (!ev->data.scalar.plain_implicit || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!strcmp((const char *)ev->data.scalar.value, nulls[i]))
			return 1;
	return 0;
}

static void
add_scalar(struct builder *b, const yaml_event_t *ev)
{
	enum ynode_kind kind = is_null_scalar(ev) ? YNODE_NULL : YNODE_SCALAR;
	struct ynode *node = node_new(b->doc, kind, &ev->start_mark, ev->data.scalar.anchor);
	node->text = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
	node->complete = 1;
	attach(b, node);
}

static void
open_collection(struct builder *b, enum ynode_kind kind, const yaml_event_t *ev,
		const yaml_char_t *anchor)
{
	struct ynode *node = node_new(b->doc, kind, &ev->start_mark, anchor);
	attach(b, node);
	push_node(&b->stack, &b->depth, &b->alloc, node);
}

static void
close_collection(struct builder *b)
{
	b->stack[--b->depth]->complete = 1;
}

/* The most recent complete node anchored as name, or NULL. */
static struct ynode *
find_anchor(const struct ydoc *doc, const char *name)
{
	for (size_t i = doc->len; i > 0; i--) {
		struct ynode *node = doc->nodes[i - 1];
		if (node->complete && node->anchor && !strcmp(node->anchor, name))
			return node;
	}
	return NULL;
}

static int
add_alias(struct builder *b, const yaml_event_t *ev, struct error *err)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct ynode *target = find_anchor(b->doc, name);
	if (!target)
		return error_set(err, ERROR_CONFIG, "%s:%zu:%zu: found undefined alias '%s'",
				 b->name, ev->start_mark.line + 1, ev->start_mark.column + 1, name);
	attach(b, target);
	return 0;
}

static int
handle_event(struct builder *b, const yaml_event_t *ev, struct error *err)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->documents > 1)
			return position_error(b, &ev->start_mark, err,
					      "expected a single YAML document");
		return 0;
	case YAML_SCALAR_EVENT:
		add_scalar(b, ev);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= DEPTH_MAX)
			return position_error(b, &ev->start_mark, err,
					      "nested more than " DEPTH_TEXT " levels deep");
		open_collection(b,
				ev->type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQUENCE :
									YNODE_MAPPING,
				ev,
				ev->type == YAML_SEQUENCE_START_EVENT ?
					ev->data.sequence_start.anchor :
					ev->data.mapping_start.anchor);
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		close_collection(b);
		return 0;
	case YAML_ALIAS_EVENT:
		return add_alias(b, ev, err);
	default:
		return 0;
	}
}

/* libyaml's reader reports a byte offset only; turn it into a position. */
static yaml_mark_t
offset_mark(const char *data, size_t len, size_t offset)
{
	yaml_mark_t mark = { offset, 0, 0 };
	for (size_t i = 0; i < offset && i < len; i++) {
		if (data[i] == '\n') {
			mark.line++;
			mark.column = 0;
		} else {
			mark.column++;
		}
	}
	return mark;
}

static int
parser_error(const struct builder *b, const yaml_parser_t *parser, const char *data, size_t len,
	     struct error *err)
{
	if (parser->error == YAML_MEMORY_ERROR)
		die_oom();
	yaml_mark_t mark = parser->problem_mark;
	if (parser->error == YAML_READER_ERROR)
		mark = offset_mark(data, len, parser->problem_offset);
	return position_error(b, &mark, err, parser->problem ? parser->problem : "invalid YAML");
}

/* Whether a quote at i opens a quoted scalar: it starts a token. */
static int
opens_quote(const char *data, size_t i)
{
	return i == 0 || strchr(" \t\n[{,:-", data[i - 1]) != NULL;
}

/*
 * libyaml reads a flow collection ("[[[...") to its end before it reports
 * its first event, in time that grows with the square of the nesting (a
 * 200 KB file took 30 s): too deep a flow nesting is refused first, from
 * the text. Brackets in quotes and comments are not counted; ones in block
 * scalars are, which can only refuse a file no settings file looks like.
 */
static int
check_flow_depth(const struct builder *b, const char *data, size_t len, struct error *err)
{
	size_t depth = 0;
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c == '\n' && !depth)
			quote = 0; /* a quote in a block line ends with it */
		if (quote) {
			quote = c == quote ? 0 : quote;
		} else if ((c == '\'' || c == '"') && opens_quote(data, i)) {
			quote = c;
		} else if (c == '#' && (i == 0 || strchr(" \t\n", data[i - 1]))) {
			while (i + 1 < len && data[i + 1] != '\n')
				i++;
		} else if (c == '[' || c == '{') {
			if (++depth > DEPTH_MAX) {
				yaml_mark_t mark = offset_mark(data, len, i);
				return position_error(b, &mark, err,
						      "nested more than " DEPTH_TEXT
						      " levels deep");
			}
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return 0;
}

int
ydoc_parse(struct ydoc *doc, const char *name, const char *data, size_t len, struct error *err)
{
	struct builder b = { doc, name, NULL, 0, 0, 0 };
	yaml_parser_t parser;
	int rc = 0, done = 0;

	if (check_flow_depth(&b, data, len, err) < 0)
		return -1;

	if (!yaml_parser_initialize(&parser))
		die_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && rc == 0) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(&b, &parser, data, len, err);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = handle_event(&b, &ev, err);
		yaml_event_delete(&ev);
	}
	free(b.stack);
	yaml_parser_delete(&parser);
	return rc;
}

void
ydoc_release(struct ydoc *doc)
{
	for (size_t i = 0; i < doc->len; i++) {
		free(doc->nodes[i]->text);
		free(doc->nodes[i]->items);
		free(doc->nodes[i]->anchor);
		free(doc->nodes[i]);
	}
	free(doc->nodes);
	doc->root = NULL;
	doc->nodes = NULL;
	doc->len = doc->alloc = 0;
}

/* Read path into b: 1 when read, 0 when missing and optional, -1 on error. */
static int
read_file(const char *path, const char *what, int optional, struct buf *b, struct error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (optional && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		return error_set(err, ERROR_CONFIG, "cannot read %s '%s': %s", what, path,
				 strerror(errno));
	}
	char chunk[4096];
	size_t n;
	int rc = 1;
	while (rc > 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(b, chunk, n) < 0)
			rc = error_set(err, ERROR_CONFIG,
				       "cannot read %s '%s': larger than %d bytes", what, path,
				       YDOC_FILE_MAX);
	if (rc > 0 && ferror(f))
		rc = error_set(err, ERROR_CONFIG, "cannot read %s '%s': %s", what, path,
			       strerror(errno));
	fclose(f);
	return rc;
}

int
ydoc_load(struct ydoc *doc, const char *path, const char *what, int optional, struct error *err)
{
	struct buf data;
	buf_init(&data, YDOC_FILE_MAX);
	int rc = read_file(path, what, optional, &data, err);
	if (rc > 0 && ydoc_parse(doc, path, buf_str(&data), data.len, err) < 0)
		rc = -1;
	buf_release(&data);
	return rc;
}
