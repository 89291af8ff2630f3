/* How a run state looks: its symbol and colour (✓ completed, ✗ failed, ...). */
#ifndef UI_STATE_H
#define UI_STATE_H

#include "core/buf.h"
#include "ui/style.h"

/* The symbol for a state type such as "COMPLETED" ("-" when NULL or unknown). */
const char *state_symbol(const char *state_type);
enum style state_style(const char *state_type);
/* Append "✓ Completed" (symbol and name; the name falls back to the type). */
void state_label(struct buf *out, const char *state_type, const char *state_name);

#endif
