/* Declarative option parser and its generated help (see options.h). */
#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "ui/text.h"

#define MAX_SPECS 64
#define HELP_COLUMN 28

struct parser {
	const struct opt_spec *specs;
	const struct opt_spec *globals;
	char seen_specs[MAX_SPECS];
	char seen_globals[MAX_SPECS];
	int argc;
	char **argv;
	int i;
	struct error *err;
};

static size_t
spec_count(const struct opt_spec *specs)
{
	size_t n = 0;
	while (specs && specs[n].type != OPT_END)
		n++;
	return n;
}

static void
mark_seen(struct parser *p, const struct opt_spec *s)
{
	if (s >= p->specs && s < p->specs + spec_count(p->specs))
		p->seen_specs[s - p->specs] = 1;
	else if (p->globals)
		p->seen_globals[s - p->globals] = 1;
}

static const struct opt_spec *
find_in(const struct opt_spec *specs, const char *long_name, size_t len, char short_name)
{
	for (size_t i = 0; specs && specs[i].type != OPT_END; i++) {
		const struct opt_spec *s = &specs[i];
		if (s->type == OPT_ARG)
			continue;
		if (short_name && s->short_name == short_name)
			return s;
		if (long_name && strlen(s->long_name) == len &&
		    !strncmp(s->long_name, long_name, len))
			return s;
	}
	return NULL;
}

static const struct opt_spec *
find_option(const struct parser *p, const char *long_name, size_t len, char short_name)
{
	const struct opt_spec *s = find_in(p->specs, long_name, len, short_name);
	return s ? s : find_in(p->globals, long_name, len, short_name);
}

static int
unknown_long(struct parser *p, const char *name, size_t len)
{
	const char *cands[2 * MAX_SPECS];
	size_t n = 0;
	const struct opt_spec *lists[2] = { p->specs, p->globals };
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; lists[l] && lists[l][i].type != OPT_END; i++)
			if (lists[l][i].type != OPT_ARG && n < 2 * MAX_SPECS)
				cands[n++] = lists[l][i].long_name;
	char word[64];
	snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), name);
	const char *near = suggest_nearest(word, cands, n);
	if (near)
		return error_set(p->err, ERROR_USAGE,
				 "unknown option '--%s' (did you mean '--%s'?)", word, near);
	return error_set(p->err, ERROR_USAGE, "unknown option '--%s'", word);
}

static int
set_int(struct parser *p, const struct opt_spec *s, const char *v)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end ||
	    !(isdigit((unsigned char)*v) || (*v == '-' && isdigit((unsigned char)v[1]))))
		return error_set(p->err, ERROR_USAGE, "option '--%s': '%s' is not a whole number",
				 s->long_name, v);
	if (errno == ERANGE || n < s->min || n > s->max)
		return error_set(p->err, ERROR_USAGE, "option '--%s': '%s' is not in %ld..%ld",
				 s->long_name, v, s->min, s->max);
	*(long *)s->value = n;
	return 0;
}

static int
set_choice(struct parser *p, const struct opt_spec *s, const char *v)
{
	for (size_t i = 0; s->choices[i]; i++) {
		if (!strcmp(s->choices[i], v)) {
			*(const char **)s->value = s->choices[i];
			return 0;
		}
	}
	struct buf list = BUF_INIT;
	for (size_t i = 0; s->choices[i]; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", s->choices[i]);
	error_set(p->err, ERROR_USAGE, "option '--%s': '%s' is not one of %s", s->long_name, v,
		  buf_str(&list));
	buf_release(&list);
	return -1;
}

/* A name (OPT_PLAIN) with a control character could be created but never typed again. */
static int
check_plain(struct parser *p, const struct opt_spec *s, const char *v)
{
	for (size_t i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c != 0x7f)
			continue;
		if (s->type == OPT_ARG)
			return error_set(p->err, ERROR_USAGE,
					 "%s: a name cannot hold control characters (0x%02x at "
					 "byte %zu)",
					 s->long_name, c, i + 1);
		return error_set(p->err, ERROR_USAGE,
				 "option '--%s': a name cannot hold control characters (0x%02x at "
				 "byte %zu)",
				 s->long_name, c, i + 1);
	}
	return 0;
}

static int
set_value(struct parser *p, const struct opt_spec *s, const char *v)
{
	mark_seen(p, s);
	if ((s->flags & OPT_PLAIN) && check_plain(p, s, v) < 0)
		return -1;
	switch (s->type) {
	case OPT_STRING:
	case OPT_ARG:
		*(const char **)s->value = v;
		return 0;
	case OPT_INT:
		return set_int(p, s, v);
	case OPT_CHOICE:
		return set_choice(p, s, v);
	case OPT_LIST:
		strlist_add(s->value, v);
		return 0;
	default:
		*(int *)s->value = 1;
		return 0;
	}
}

/* The value of an option: inline after '=' or the short letter, else the next word. */
static int
take_value(struct parser *p, const struct opt_spec *s, const char *inline_value)
{
	if (inline_value)
		return set_value(p, s, inline_value);
	if (p->i + 1 >= p->argc)
		return error_set(p->err, ERROR_USAGE, "option '--%s' needs a value%s%s",
				 s->long_name, s->value_name ? " " : "",
				 s->value_name ? s->value_name : "");
	return set_value(p, s, p->argv[++p->i]);
}

static int
parse_long(struct parser *p, const char *arg, int *help)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	if (len == 4 && !strncmp(name, "help", 4)) {
		*help = 1;
		return 0;
	}
	const struct opt_spec *s = find_option(p, name, len, 0);
	if (!s)
		return unknown_long(p, name, len);
	if (s->type == OPT_BOOL) {
		if (eq)
			return error_set(p->err, ERROR_USAGE, "option '--%s' takes no value",
					 s->long_name);
		return set_value(p, s, NULL);
	}
	return take_value(p, s, eq ? eq + 1 : NULL);
}

static int
parse_short(struct parser *p, const char *arg, int *help)
{
	for (const char *c = arg + 1; *c; c++) {
		if (*c == 'h') {
			*help = 1;
			return 0;
		}
		const struct opt_spec *s = find_option(p, NULL, 0, *c);
		if (!s)
			return error_set(p->err, ERROR_USAGE, "unknown option '-%c'", *c);
		if (s->type != OPT_BOOL)
			return take_value(p, s, c[1] ? c + 1 : NULL);
		set_value(p, s, NULL);
	}
	return 0;
}

static int
parse_positional(struct parser *p, const char *arg)
{
	for (size_t i = 0; p->specs && p->specs[i].type != OPT_END; i++) {
		if (p->specs[i].type == OPT_ARG && !p->seen_specs[i])
			return set_value(p, &p->specs[i], arg);
	}
	return error_set(p->err, ERROR_USAGE, "unexpected argument '%s'", arg);
}

static int
check_required(struct parser *p)
{
	for (size_t i = 0; p->specs && p->specs[i].type != OPT_END; i++) {
		const struct opt_spec *s = &p->specs[i];
		if (!(s->flags & OPT_REQUIRED) || p->seen_specs[i])
			continue;
		if (s->type == OPT_ARG)
			return error_set(p->err, ERROR_USAGE, "missing argument %s", s->long_name);
		return error_set(p->err, ERROR_USAGE, "option '--%s' is required", s->long_name);
	}
	return 0;
}

int
opt_parse(const struct opt_spec *specs, const struct opt_spec *globals, int argc, char **argv,
	  int *help_out, struct error *err)
{
	struct parser p = {
		.specs = specs, .globals = globals, .argc = argc, .argv = argv, .err = err
	};
	int only_args = 0, rc = 0;
	*help_out = 0;
	for (p.i = 0; p.i < argc && rc == 0 && !*help_out; p.i++) {
		const char *a = argv[p.i];
		if (only_args || a[0] != '-' || !a[1])
			rc = parse_positional(&p, a);
		else if (!strcmp(a, "--"))
			only_args = 1;
		else if (a[1] == '-')
			rc = parse_long(&p, a, help_out);
		else
			rc = parse_short(&p, a, help_out);
	}
	if (rc == 0 && !*help_out)
		rc = check_required(&p);
	return rc;
}

/* ---- usage and help ---- */

void
opt_usage(struct buf *out, const char *path, const struct opt_spec *specs)
{
	buf_addf(out, "usage: mahavishnu %s", path);
	for (size_t i = 0; specs && specs[i].type != OPT_END; i++) {
		const struct opt_spec *s = &specs[i];
		if (s->type != OPT_ARG && (s->flags & OPT_REQUIRED))
			buf_addf(out, " --%s %s", s->long_name,
				 s->value_name ? s->value_name : "VALUE");
	}
	buf_adds(out, " [options]");
	for (size_t i = 0; specs && specs[i].type != OPT_END; i++) {
		const struct opt_spec *s = &specs[i];
		if (s->type == OPT_ARG)
			buf_addf(out, (s->flags & OPT_REQUIRED) ? " %s" : " [%s]", s->long_name);
	}
	buf_addc(out, '\n');
}

static void
help_line(struct buf *out, const struct opt_spec *s)
{
	size_t start = out->len;
	if (s->type == OPT_ARG) {
		buf_addf(out, "  %s", s->long_name);
	} else {
		if (s->short_name)
			buf_addf(out, "  -%c, --%s", s->short_name, s->long_name);
		else
			buf_addf(out, "      --%s", s->long_name);
		if (s->type != OPT_BOOL && s->value_name)
			buf_addf(out, " %s", s->value_name);
	}
	size_t used = text_width(out->data + start);
	if (used + 2 > HELP_COLUMN) {
		buf_addc(out, '\n');
		used = 0;
	}
	text_pad(out, HELP_COLUMN - used);
	buf_adds(out, s->help ? s->help : "");
	if (s->type == OPT_CHOICE) {
		buf_adds(out, " (");
		for (size_t i = 0; s->choices[i]; i++)
			buf_addf(out, "%s%s", i ? ", " : "", s->choices[i]);
		buf_addc(out, ')');
	}
	if ((s->flags & OPT_REQUIRED) && s->type != OPT_ARG)
		buf_adds(out, " [required]");
	buf_addc(out, '\n');
}

static void
help_section(struct buf *out, const char *title, const struct opt_spec *specs, int args)
{
	int any = 0;
	for (size_t i = 0; specs && specs[i].type != OPT_END; i++) {
		const struct opt_spec *s = &specs[i];
		if ((s->type == OPT_ARG) != args || (s->flags & OPT_HIDDEN))
			continue;
		if (!any++)
			buf_addf(out, "\n%s:\n", title);
		help_line(out, s);
	}
}

/* A global option as the command sees it: hidden (NULL) when the command
 * has an option of the same long name, without its letter when only the
 * letter is taken. */
static const struct opt_spec *
visible_global(const struct opt_spec *specs, const struct opt_spec *g, struct opt_spec *copy)
{
	*copy = *g;
	for (size_t i = 0; specs && specs[i].type != OPT_END; i++) {
		if (specs[i].type == OPT_ARG)
			continue;
		if (!strcmp(specs[i].long_name, g->long_name))
			return NULL;
		if (g->short_name && specs[i].short_name == g->short_name)
			copy->short_name = 0;
	}
	return copy;
}

void
opt_help(struct buf *out, const char *path, const char *help, const struct opt_spec *specs,
	 const struct opt_spec *globals)
{
	opt_usage(out, path, specs);
	if (help && *help)
		buf_addf(out, "\n%s\n", help);
	help_section(out, "Arguments", specs, 1);
	help_section(out, "Options", specs, 0);
	int any = 0;
	for (size_t i = 0; globals && globals[i].type != OPT_END; i++) {
		struct opt_spec copy;
		const struct opt_spec *g = visible_global(specs, &globals[i], &copy);
		if (!g || (g->flags & OPT_HIDDEN))
			continue;
		if (!any++)
			buf_adds(out, "\nGlobal options:\n");
		help_line(out, g);
	}
	buf_adds(out, "  -h, --help                Show this help\n");
}
