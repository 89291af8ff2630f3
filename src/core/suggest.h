/* "Did you mean" support: the nearest candidate to a mistyped word. */
#ifndef CORE_SUGGEST_H
#define CORE_SUGGEST_H

#include <stddef.h>

/* Optimal-string-alignment edit distance (a swap of neighbours costs 1). */
size_t suggest_distance(const char *a, const char *b);
/*
 * The candidate closest to word, or NULL when none is close enough to be a
 * plausible typo (distance at most 2, and less than half of word's length,
 * or word is a prefix of it). Candidates that are NULL are skipped.
 */
const char *suggest_nearest(const char *word, const char *const *candidates, size_t n);

#endif
