/* Growable list of owned strings (see strlist.h). */
#include "core/strlist.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void
strlist_add_owned(struct strlist *l, char *s)
{
	if (l->len == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->items = xrealloc(l->items, l->alloc * sizeof(*l->items));
	}
	l->items[l->len++] = s;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

void
strlist_addf(struct strlist *l, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *s = xmalloc(n < 0 ? 1 : (size_t)n + 1);
	vsnprintf(s, n < 0 ? 1 : (size_t)n + 1, fmt, ap);
	va_end(ap);
	strlist_add_owned(l, s);
}

int
strlist_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->len; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

void
strlist_split(struct strlist *l, const char *s, char sep)
{
	while (*s) {
		const char *end = strchr(s, sep);
		if (!end)
			end = s + strlen(s);
		const char *a = s, *b = end;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		char *item = b > a ? xstrndup(a, (size_t)(b - a)) : NULL;
		if (item && !strlist_contains(l, item))
			strlist_add_owned(l, item);
		else
			free(item);
		s = *end ? end + 1 : end;
	}
}

void
strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = l->alloc = 0;
}
