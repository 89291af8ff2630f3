/*
 * Syntax errors: tree-sitter's ERROR and MISSING nodes turned into messages
 * that point where a person would look (an unclosed or unmatched bracket,
 * a missing ':' after a compound statement's header, an unterminated
 * string, the unexpected token), plus what the grammar accepts but Python
 * does not: an empty block, an unexpected indent, Python 2 print and exec
 * statements. The first PYFLOW_MAX_SYNTAX_ERRORS in the file are reported.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "pyflow/tree.h"

/* How much of an unexpected token a message quotes. */
#define MAX_QUOTED 24

struct found {
	struct pyflow_pos pos;
	char *message;
};

struct syntax {
	const struct pyflow_file *file;
	struct found *items;
	size_t len;
	size_t alloc;
};

static void __attribute__((format(printf, 3, 4)))
report(struct syntax *s, struct pyflow_pos pos, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (s->len == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 8;
		s->items = xrealloc(s->items, s->alloc * sizeof(*s->items));
	}
	s->items[s->len++] = (struct found){ pos, buf_detach(&b) };
}

/* The first line of n's text, cut to MAX_QUOTED bytes on a character boundary. */
static char *
quoted(const struct syntax *s, TSNode n)
{
	char *text = pf_text(s->file, n);
	size_t len = strcspn(text, "\r\n");
	if (len > MAX_QUOTED) {
		len = MAX_QUOTED;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	text[len] = '\0';
	return text;
}

static const char *
closer_of(const char *open)
{
	return !strcmp(open, "(") ? ")" :
	       !strcmp(open, "[") ? "]" :
	       !strcmp(open, "{") ? "}" :
				    NULL;
}

static int
is_closer(const char *type)
{
	return !strcmp(type, ")") || !strcmp(type, "]") || !strcmp(type, "}");
}

/* Brackets among the direct children of an ERROR node that do not pair up. */
static int
bracket_error(struct syntax *s, TSNode err)
{
	TSNode stack[64];
	size_t depth = 0;
	for (uint32_t i = 0; i < ts_node_child_count(err); i++) {
		TSNode c = ts_node_child(err, i);
		const char *type = ts_node_type(c);
		if (ts_node_is_named(c) || ts_node_is_missing(c))
			continue;
		if (closer_of(type) && depth < sizeof(stack) / sizeof(stack[0])) {
			stack[depth++] = c;
		} else if (is_closer(type) && depth == 0) {
			report(s, pf_pos(s->file, c), "unmatched '%s'", type);
			return 1;
		} else if (is_closer(type) &&
			   strcmp(closer_of(ts_node_type(stack[--depth])), type)) {
			report(s, pf_pos(s->file, c),
			       "closing bracket '%s' does not match "
			       "opening bracket '%s' on line %u",
			       type, ts_node_type(stack[depth]),
			       pf_pos(s->file, stack[depth]).line);
			return 1;
		}
	}
	if (depth == 0)
		return 0;
	report(s, pf_pos(s->file, stack[depth - 1]), "'%s' was never closed",
	       ts_node_type(stack[depth - 1]));
	return 1;
}

static int
is_compound_keyword(const char *type)
{
	static const char *const keywords[] = { "def",     "class", "if",   "elif", "else",
						"while",   "for",   "with", "try",  "except",
						"finally", "async", NULL };
	for (size_t i = 0; keywords[i]; i++)
		if (!strcmp(type, keywords[i]))
			return 1;
	return 0;
}

/* An ERROR that starts a compound statement whose header has no ':'. */
static int
colon_error(struct syntax *s, TSNode err)
{
	uint32_t count = ts_node_child_count(err), i;
	TSNode first = ts_node_child(err, 0);
	if (!count || ts_node_is_named(first) || !is_compound_keyword(ts_node_type(first)))
		return 0;
	for (i = 0; i < count; i++)
		if (!strcmp(ts_node_type(ts_node_child(err, i)), ":"))
			return 0;
	TSNode last = first;
	for (i = 1; i < count; i++) {
		TSNode c = ts_node_child(err, i);
		if (ts_node_start_point(c).row > ts_node_end_point(last).row)
			break;
		last = c;
	}
	report(s, pf_point_pos(s->file, ts_node_end_point(last)), "expected ':'");
	return 1;
}

static int
has_error_inside(TSNode err)
{
	for (uint32_t i = 0; i < ts_node_child_count(err); i++) {
		TSNode c = ts_node_child(err, i);
		if (ts_node_has_error(c) || pf_is(c, "ERROR"))
			return 1;
	}
	return 0;
}

/* The first leaf (token) of n. */
static TSNode
first_leaf(TSNode n)
{
	while (ts_node_child_count(n) > 0)
		n = ts_node_child(n, 0);
	return n;
}

/*
 * An ERROR holding only a complete expression (`x = f(1) 2`) stands for what
 * came before the unexpected token, which follows it; any other ERROR holds
 * the unexpected tokens themselves.
 */
static void
unexpected(struct syntax *s, TSNode err)
{
	TSNode at = err, only = ts_node_child(err, 0), next = ts_node_next_sibling(err);
	if (ts_node_child_count(err) == 1 && ts_node_is_named(only) &&
	    ts_node_child_count(only) > 0 && !ts_node_is_null(next))
		at = next;
	char *token = quoted(s, first_leaf(at));
	report(s, pf_pos(s->file, at), "invalid syntax: unexpected '%s'", token);
	free(token);
}

/* An identifier that is a reserved word (the grammar accepts some). */
static void
keyword_identifier(struct syntax *s, TSNode n)
{
	/* clang-format off */
	static const char *const keywords[] = {
		"and", "as", "assert", "async", "await", "break", "class", "continue", "def",
		"del", "elif", "else", "except", "finally", "for", "from", "global", "if",
		"import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
		"return", "try", "while", "with", "yield", NULL
	};
	/* clang-format on */
	for (size_t i = 0; keywords[i]; i++)
		if (pf_text_eq(s->file, n, keywords[i])) {
			report(s, pf_pos(s->file, n), "invalid syntax: unexpected keyword '%s'",
			       keywords[i]);
			return;
		}
}

/* Report an ERROR node; returns 1 to look inside it for the real error instead. */
static int
error_node(struct syntax *s, TSNode err)
{
	TSNode first = ts_node_child(err, 0);
	if (pf_is(first, "string_start")) {
		report(s, pf_pos(s->file, err), "unterminated string literal");
		return 0;
	}
	if (bracket_error(s, err) || colon_error(s, err))
		return 0;
	if (has_error_inside(err))
		return 1;
	unexpected(s, err);
	return 0;
}

static void
missing_node(struct syntax *s, TSNode n)
{
	const char *type = ts_node_type(n);
	if (ts_node_is_named(n)) {
		char *words = xstrdup(type);
		for (char *p = words; *p; p++)
			*p = *p == '_' ? ' ' : *p;
		report(s, pf_pos(s->file, n), "expected %s", words);
		free(words);
	} else {
		report(s, pf_pos(s->file, n), "expected '%s'", type);
	}
}

static int
is_statement(TSNode n)
{
	return ts_node_is_named(n) && !pf_is(n, "comment") && !pf_is(n, "ERROR") &&
	       !pf_is(n, "line_continuation");
}

/* Whether n is the first thing on its line. */
static int
starts_line(const struct pyflow_file *f, TSNode n)
{
	TSPoint p = ts_node_start_point(n);
	const char *line = f->source + f->line_starts[p.row];
	for (uint32_t i = 0; i < p.column; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\f')
			return 0;
	return 1;
}

/* The last block of a compound statement (in its last clause), or a null node. */
static TSNode
last_block(TSNode n)
{
	for (uint32_t i = ts_node_named_child_count(n); i-- > 0;) {
		TSNode c = ts_node_named_child(n, i);
		const char *type = ts_node_type(c);
		size_t len = strlen(type);
		if (!strcmp(type, "block"))
			return c;
		if (len > 7 && !strcmp(type + len - 7, "_clause"))
			return last_block(c);
	}
	return (TSNode){ 0 };
}

/* The indentation of the innermost block that statement leaves open. */
static uint32_t
open_indent(TSNode statement)
{
	uint32_t col = ts_node_start_point(statement).column;
	TSNode block = last_block(statement);
	while (!ts_node_is_null(block) && ts_node_named_child_count(block) > 0) {
		TSNode last = ts_node_named_child(block, ts_node_named_child_count(block) - 1);
		col = ts_node_start_point(last).column;
		block = last_block(last);
	}
	return col;
}

/* Statements of a block (or the module) that begin a line must line up. */
static void
check_indent(struct syntax *s, TSNode block, uint32_t expected, int known)
{
	TSNode prev = { 0 };
	for (uint32_t i = 0; i < ts_node_named_child_count(block); i++) {
		TSNode c = ts_node_named_child(block, i);
		if (!is_statement(c) || !starts_line(s->file, c))
			continue;
		uint32_t col = ts_node_start_point(c).column;
		if (!known) {
			expected = col;
			known = 1;
		} else if (col != expected) {
			int dedent = col < expected ||
				     (!ts_node_is_null(prev) && open_indent(prev) > col);
			report(s, pf_pos(s->file, c),
			       dedent ? "unindent does not match any outer "
					"indentation level" :
					"unexpected indent");
			return;
		}
		prev = c;
	}
}

/* A block needs a statement, unless an error before it took its place. */
static void
check_block(struct syntax *s, TSNode block, TSNode before)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(block); i++)
		if (is_statement(ts_node_named_child(block, i))) {
			check_indent(s, block, 0, 0);
			return;
		}
	if (!pf_is(before, "ERROR"))
		report(s, pf_pos(s->file, block), "expected an indented block");
}

/* The blocks of a compound statement, each with the node before it. */
static void
check_blocks(struct syntax *s, TSNode n)
{
	for (uint32_t i = 1; i < ts_node_child_count(n); i++) {
		TSNode c = ts_node_child(n, i);
		if (pf_is(c, "block"))
			check_block(s, c, ts_node_child(n, i - 1));
	}
}

static int
visit(TSNode n, const char *field, void *data)
{
	struct syntax *s = data;
	(void)field;
	if (ts_node_is_missing(n))
		missing_node(s, n);
	else if (pf_is(n, "ERROR"))
		return error_node(s, n);
	else if (pf_is(n, "identifier"))
		keyword_identifier(s, n);
	else if (pf_is(n, "module"))
		check_indent(s, n, 0, 1);
	else if (pf_is(n, "print_statement") || pf_is(n, "exec_statement"))
		report(s, pf_pos(s->file, n), "missing parentheses in call to '%s'",
		       pf_is(n, "print_statement") ? "print" : "exec");
	check_blocks(s, n);
	return 1;
}

static int
found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return x->pos.column < y->pos.column ? -1 : x->pos.column > y->pos.column;
}

void
pf_find_syntax_errors(struct pyflow_pass *pass)
{
	struct syntax s = { pass->file, NULL, 0, 0 };
	size_t reported = 0;
	pf_walk(pass->root, visit, &s);
	if (s.len)
		qsort(s.items, s.len, sizeof(*s.items), found_cmp);
	for (size_t i = 0; i < s.len; i++) {
		int repeat = i > 0 && !found_cmp(&s.items[i], &s.items[i - 1]);
		if (!repeat && reported++ < PYFLOW_MAX_SYNTAX_ERRORS)
			pyflow_add_problem(pass->file, PYFLOW_ERROR, s.items[i].pos, "%s",
					   s.items[i].message);
		free(s.items[i].message);
	}
	free(s.items);
}
