/*
 * Names given as f-strings, evaluated as Python would when every
 * interpolation is a plain name bound to a string or int constant:
 * module-level constants (NAME = "text" or NAME = 3) and, inside a flow
 * factory, the factory's parameters bound to literal arguments.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "pyflow/tree.h"

void
pf_consts_set(struct pf_consts *c, const char *name, const char *value)
{
	for (size_t i = 0; i < c->len; i++) {
		if (!strcmp(c->names[i], name)) {
			free(c->values[i]);
			c->values[i] = value ? xstrdup(value) : NULL;
			return;
		}
	}
	c->names = xrealloc(c->names, (c->len + 1) * sizeof(*c->names));
	c->values = xrealloc(c->values, (c->len + 1) * sizeof(*c->values));
	c->names[c->len] = xstrdup(name);
	c->values[c->len++] = value ? xstrdup(value) : NULL;
}

const char *
pf_consts_get(const struct pf_consts *c, const char *name)
{
	for (size_t i = c ? c->len : 0; i-- > 0;)
		if (!strcmp(c->names[i], name))
			return c->values[i];
	return NULL;
}

void
pf_consts_release(struct pf_consts *c)
{
	for (size_t i = 0; i < c->len; i++) {
		free(c->names[i]);
		free(c->values[i]);
	}
	free(c->names);
	free(c->values);
	memset(c, 0, sizeof(*c));
}

char *
pf_const_text(const struct pyflow_file *f, TSNode n)
{
	char *s = NULL;
	if (pf_string_value(f, n, &s))
		return s;
	if (!pf_is(n, "integer"))
		return NULL;
	char *text = pf_text(f, n);
	int plain = text[0] != '0' || !text[1];
	for (char *p = text; plain && *p; p++)
		plain = *p >= '0' && *p <= '9';
	if (!plain) {
		free(text);
		return NULL;
	}
	return text;
}

/* One interpolation: {NAME} with no conversion or format. */
static int
interpolation(const struct pyflow_file *f, TSNode n, const struct pf_consts *const *envs,
	      struct buf *out)
{
	TSNode expr = pf_field(n, "expression");
	if (pf_count(n) != 1 || !pf_is(expr, "identifier"))
		return 0;
	char *name = pf_text(f, expr);
	const char *v = NULL;
	for (size_t i = 0; !v && envs[i]; i++)
		v = pf_consts_get(envs[i], name);
	free(name);
	if (v)
		buf_adds(out, v);
	return v != NULL;
}

char *
pf_fstring_value(const struct pyflow_file *f, TSNode n, const struct pf_consts *const *envs)
{
	struct buf b = BUF_INIT;
	int ok = pf_is(n, "string");
	for (uint32_t i = 0; ok && i < ts_node_child_count(n); i++) {
		TSNode c = ts_node_child(n, i);
		if (pf_is(c, "string_start")) {
			char *prefix = pf_text(f, c);
			ok = strpbrk(prefix, "fF") && !strpbrk(prefix, "bBrRtT");
			free(prefix);
		} else if (pf_is(c, "string_content")) {
			char *text = pf_text(f, c);
			ok = !strpbrk(text, "\\{}") && !pf_count(c);
			buf_adds(&b, text);
			free(text);
		} else if (pf_is(c, "interpolation")) {
			ok = interpolation(f, c, envs, &b);
		} else {
			ok = pf_is(c, "string_end");
		}
	}
	char *out = ok ? buf_detach(&b) : NULL;
	buf_release(&b);
	return out;
}
