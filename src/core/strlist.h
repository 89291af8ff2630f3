/* A growable list of owned strings (repeatable options, warnings, columns). */
#ifndef CORE_STRLIST_H
#define CORE_STRLIST_H

#include <stddef.h>

struct strlist {
	char **items;
	size_t len;
	size_t alloc;
};

/* clang-format off */
#define STRLIST_INIT { NULL, 0, 0 }
/* clang-format on */

/* Append a copy of s. */
void strlist_add(struct strlist *l, const char *s);
/* Append s, taking ownership of it. */
void strlist_add_owned(struct strlist *l, char *s);
void strlist_addf(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strlist_contains(const struct strlist *l, const char *s);
/* Split s on sep, trimming blanks around each item, dropping empty ones and
 * ones already in the list. */
void strlist_split(struct strlist *l, const char *s, char sep);
void strlist_release(struct strlist *l);

#endif
