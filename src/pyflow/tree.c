/* Helpers over tree-sitter nodes for the pyflow passes (see tree.h). */
#include "pyflow/tree.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

int
pf_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

TSNode
pf_field(TSNode n, const char *name)
{
	return ts_node_is_null(n) ? n :
				    ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

char *
pf_text(const struct pyflow_file *f, TSNode n)
{
	if (ts_node_is_null(n))
		return xstrdup("");
	uint32_t start = ts_node_start_byte(n);
	return xstrndup(f->source + start, ts_node_end_byte(n) - start);
}

int
pf_text_eq(const struct pyflow_file *f, TSNode n, const char *s)
{
	if (ts_node_is_null(n))
		return 0;
	uint32_t start = ts_node_start_byte(n), len = ts_node_end_byte(n) - start;
	return strlen(s) == len && !memcmp(f->source + start, s, len);
}

struct pyflow_pos
pf_point_pos(const struct pyflow_file *f, TSPoint p)
{
	struct pyflow_pos pos = { p.row + 1, 1 };
	if (p.row >= f->n_lines)
		return pos;
	const char *line = f->source + f->line_starts[p.row];
	for (uint32_t i = 0; i < p.column && line + i < f->source + f->source_len; i++)
		pos.column += ((unsigned char)line[i] & 0xc0) != 0x80;
	return pos;
}

struct pyflow_pos
pf_pos(const struct pyflow_file *f, TSNode n)
{
	return pf_point_pos(f, ts_node_start_point(n));
}

uint32_t
pf_count(TSNode n)
{
	return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n);
}

TSNode
pf_first_named(TSNode n)
{
	uint32_t count = pf_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (!pf_is(c, "comment"))
			return c;
	}
	return (TSNode){ 0 };
}

static void
add_utf8(struct buf *out, unsigned long cp)
{
	if (cp < 0x80) {
		buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(out, (char)(0xc0 | cp >> 6));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(out, (char)(0xe0 | cp >> 12));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(out, (char)(0xf0 | cp >> 18));
		buf_addc(out, (char)(0x80 | (cp >> 12 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Decode a \x, \u or \U escape of digits hex digits at s; -1 when malformed. */
static long
hex_escape(const char *s, size_t avail, int digits)
{
	char tmp[9];
	char *end;
	if ((size_t)digits > avail)
		return -1;
	memcpy(tmp, s, (size_t)digits);
	tmp[digits] = '\0';
	long cp = strtol(tmp, &end, 16);
	return *end || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? -1 : cp;
}

/* Decode one escape after a backslash at s; returns bytes used, or 0 when unsupported. */
static size_t
decode_escape(struct buf *out, const char *s, size_t avail)
{
	static const char simple[] = "\\\\''\"\"n\nt\tr\ra\ab\bf\fv\v";
	const char *hit = memchr(simple, s[0], sizeof(simple) - 1);
	int digits = s[0] == 'x' ? 2 : s[0] == 'u' ? 4 : s[0] == 'U' ? 8 : 0;
	if (s[0] == '\n')
		return 1;
	if (hit && (hit - simple) % 2 == 0) {
		buf_addc(out, hit[1]);
		return 1;
	}
	if (digits) {
		long cp = hex_escape(s + 1, avail - 1, digits);
		if (cp < 0)
			return 0;
		add_utf8(out, (unsigned long)cp);
		return 1 + (size_t)digits;
	}
	if (s[0] == 'N' || (s[0] >= '0' && s[0] <= '7'))
		return 0;
	buf_addc(out, '\\');
	buf_addc(out, s[0]);
	return 1;
}

/* Append the value of one string node; 0 when it is not a plain literal. */
static int
add_string(const struct pyflow_file *f, TSNode n, struct buf *out)
{
	uint32_t count = ts_node_child_count(n);
	TSNode start = ts_node_child(n, 0), end = ts_node_child(n, count - 1);
	if (count < 2 || !pf_is(start, "string_start") || !pf_is(end, "string_end"))
		return 0;
	char *prefix = pf_text(f, start);
	int raw = strpbrk(prefix, "rR") != NULL, plain = !strpbrk(prefix, "fFbBtT");
	free(prefix);
	const char *s = f->source + ts_node_end_byte(start);
	size_t len = ts_node_start_byte(end) - ts_node_end_byte(start);
	for (size_t i = 0; plain && i < len; i++) {
		size_t used = 1;
		if (s[i] != '\\' || raw || i + 1 == len)
			buf_addc(out, s[i]);
		else if (!(used = decode_escape(out, s + i + 1, len - i - 1)))
			plain = 0;
		else
			i += used;
	}
	return plain;
}

int
pf_string_value(const struct pyflow_file *f, TSNode n, char **out)
{
	struct buf b = BUF_INIT;
	int ok = pf_is(n, "string") || pf_is(n, "concatenated_string");
	if (pf_is(n, "string")) {
		ok = add_string(f, n, &b);
	} else {
		for (uint32_t i = 0; ok && i < ts_node_named_child_count(n); i++)
			ok = add_string(f, ts_node_named_child(n, i), &b);
	}
	*out = ok ? buf_detach(&b) : NULL;
	buf_release(&b);
	return ok;
}

void
pf_walk(TSNode n, int (*visit)(TSNode node, const char *field, void *data), void *data)
{
	TSTreeCursor c = ts_tree_cursor_new(n);
	for (;;) {
		TSNode cur = ts_tree_cursor_current_node(&c);
		const char *field = ts_node_eq(cur, n) ? NULL :
							 ts_tree_cursor_current_field_name(&c);
		if (visit(cur, field, data) && ts_tree_cursor_goto_first_child(&c))
			continue;
		while (ts_node_eq(ts_tree_cursor_current_node(&c), n) ||
		       !ts_tree_cursor_goto_next_sibling(&c)) {
			if (ts_node_eq(ts_tree_cursor_current_node(&c), n) ||
			    !ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return;
			}
		}
	}
}
