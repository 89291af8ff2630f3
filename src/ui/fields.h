/* Small formatters shared by commands that show Prefect objects. */
#ifndef UI_FIELDS_H
#define UI_FIELDS_H

#include <jansson.h>

#include "core/buf.h"

#define SHORT_ID_LEN 8

/* Append the first SHORT_ID_LEN characters of id and "…" ("-" when NULL). */
void fields_short_id(struct buf *out, const char *id);
/* Append a JSON list of strings as "a, b, c" ("-" when empty). */
void fields_list(struct buf *out, const json_t *list);
/* A blank row, "Parameters:", then one row per parameter (nothing when empty). */
struct panel;
void fields_panel_parameters(struct panel *p, const json_t *params);
/* Render a document for -o json: indented, keys in insertion order, newline. */
void fields_json(struct buf *out, const json_t *doc);
/* The same on one line (a JSON Lines record), newline. */
void fields_json_line(struct buf *out, const json_t *doc);
/* Render doc inside an indented document: every line indented by indent spaces, no newline. */
void fields_json_element(struct buf *out, const json_t *doc, size_t indent);

#endif
