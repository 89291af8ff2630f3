/*
 * How users name things: full UUIDs, unique ID prefixes (tables show
 * shortened IDs) and names; and the error for a reference that matches
 * several things.
 */
#ifndef API_REFS_H
#define API_REFS_H

#include <jansson.h>

#include "core/error.h"

/* Whether s is a canonical UUID (8-4-4-4-12 hex digits). */
int prefect_is_uuid(const char *s);
/* Whether s could be an ID prefix: 4 to 36 hex digits and dashes. */
int prefect_is_id_prefix(const char *s);
/* Whether s is a name the server accepts (non-empty, none of / % & > <). */
int prefect_name_is_valid(const char *s);
/*
 * ERROR_AMBIGUOUS "'ref' matches N <what>: name (id), ..." listing up to five
 * of matches (objects with "name" and "id"). Returns -1.
 */
int prefect_ambiguous(struct error *err, const char *ref, const char *what, const json_t *matches);
/* The objects of list whose "id" starts with prefix (case-insensitive); new array. */
json_t *prefect_match_id_prefix(const json_t *list, const char *prefix);

#endif
