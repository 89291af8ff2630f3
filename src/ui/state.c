/* State symbols and colours (see state.h). */
#include "ui/state.h"

#include <ctype.h>
#include <string.h>

#include "ui/text.h"

static const struct {
	const char *type;
	const char *symbol;
	enum style style;
	/* clang-format off */
} looks[] = {
	{ "COMPLETED", "✓", STYLE_SUCCESS },
	{ "FAILED", "✗", STYLE_FAILURE },
	{ "CRASHED", "✗", STYLE_FAILURE },
	{ "CANCELLED", "⊘", STYLE_FAILURE },
	{ "CANCELLING", "⊘", STYLE_PROGRESS },
	{ "RUNNING", "↻", STYLE_PROGRESS },
	{ "PENDING", "◷", STYLE_PROGRESS },
	{ "SCHEDULED", "◷", STYLE_PROGRESS }, /* waiting: yellow, as the spec lists it */
	{ "PAUSED", "⏸", STYLE_PROGRESS },
};
/* clang-format on */

static int
find(const char *type)
{
	for (size_t i = 0; type && i < sizeof(looks) / sizeof(looks[0]); i++)
		if (!strcmp(looks[i].type, type))
			return (int)i;
	return -1;
}

const char *
state_symbol(const char *state_type)
{
	int i = find(state_type);
	return i < 0 ? "-" : looks[i].symbol;
}

enum style
state_style(const char *state_type)
{
	int i = find(state_type);
	return i < 0 ? STYLE_NONE : looks[i].style;
}

void
state_label(struct buf *out, const char *state_type, const char *state_name)
{
	if (!state_type) {
		buf_adds(out, "-");
		return;
	}
	buf_addf(out, "%s ", state_symbol(state_type));
	if (state_name) {
		text_sanitize(out, state_name, 1); /* state names come from the server */
		return;
	}
	for (const char *p = state_type; *p; p++)
		buf_addc(out, p == state_type ? *p : (char)tolower((unsigned char)*p));
}
