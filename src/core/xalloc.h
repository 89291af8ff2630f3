/*
 * Allocation that cannot fail: on out-of-memory these print
 * "mahavishnu: out of memory" and exit 1, so no caller checks for NULL.
 */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "out of memory" and exit; for NULLs from libraries. */
_Noreturn void die_oom(void);

#endif
