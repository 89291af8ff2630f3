/*
 * Small helpers over jansson for reading server objects.
 * jansson's reference rule: json_object_set_new / json_array_append_new
 * steal the reference; every other call borrows; every json_t * we own is
 * released with json_decref.
 */
#ifndef CORE_JSON_H
#define CORE_JSON_H

#include <jansson.h>

#include "core/buf.h"

/* The string at key, or NULL when missing or not a string (borrowed). */
const char *json_str(const json_t *obj, const char *key);
/* The string at a dotted path such as "state.type" (borrowed), or NULL. */
const char *json_str_path(const json_t *obj, const char *path);
/* The number at key as a double; dflt when missing or not a number. */
double json_num(const json_t *obj, const char *key, double dflt);
/* Append the compact encoding of v. */
void json_append(struct buf *out, const json_t *v, size_t flags);
/* A JSON string, or JSON null when s is NULL; new reference. */
json_t *json_string_or_null(const char *s);
/* The objects of list by the string at key (objects without one left out); new reference. */
json_t *json_index_by(const json_t *list, const char *key);
/* A JSON array of strings from a list; new reference. */
json_t *json_string_array(char *const *items, size_t n);

#endif
