/*
 * Rich-style panels for single objects, as drawn in the spec:
 *
 *   ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
 *   ┃ ✓ Flow Created              ┃
 *   ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
 *   │ Name:              my-flow  │
 *   │ ID:                0c6f…    │
 *   │                             │
 *   └─────────────────────────────┘
 *
 * Labels are padded to one column; values are sanitised and never cut: a
 * value too long for term->width wraps onto continuation lines (between
 * words; inside one only when it is wider than the box), beside its label
 * when its words fit there, else on lines of their own under it (see
 * docs/output.md, "Width"). Unlike the spec's sketch the right border is
 * always drawn, so the box never looks broken.
 */
#ifndef UI_PANEL_H
#define UI_PANEL_H

#include "core/buf.h"
#include "ui/style.h"
#include "ui/term.h"

struct panel;

/* The caller frees the panel with panel_free(). */
struct panel *panel_new(const char *title, enum style title_style);
/* label (the colon is added) then value in style; value NULL or "" shows "-". */
void panel_field(struct panel *p, const char *label, const char *value, enum style style);
/*
 * A field whose value is an expression or an identifier (a cron
 * expression and its zone): never broken between its words, so it goes
 * under its label when it does not fit beside it (and wraps only when it is
 * wider than the box). label NULL continues the field above on a line of
 * its own (a second schedule).
 */
void panel_field_whole(struct panel *p, const char *label, const char *value, enum style style);
/* A line of free text (e.g. "Parameters:" or a hint). */
void panel_text(struct panel *p, const char *text, enum style style);
void panel_blank(struct panel *p);
/* Append the rendered panel (ending in a newline) to out. */
void panel_render(const struct panel *p, const struct term *term, struct buf *out);
void panel_free(struct panel *p);

#endif
