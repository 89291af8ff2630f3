/* ANSI SGR colouring for the spec's colour roles (see style.h). */
#include "ui/style.h"

#define SGR_RESET "\033[0m"
#define SGR_BOLD 1

/* SGR parameter per style, indexed by enum style; 0 for none. */
/* clang-format off */
static const int sgr_codes[] = {
	[STYLE_NONE] = 0,
	[STYLE_SUCCESS] = 32,
	[STYLE_FAILURE] = 31,
	[STYLE_PROGRESS] = 33,
	[STYLE_INFO] = 34,
	[STYLE_NAME] = 36,
	[STYLE_META] = 35,
	[STYLE_BOLD] = SGR_BOLD,
	[STYLE_DIM] = 2,
};
/* clang-format on */

static int
sgr_code(enum style style)
{
	if ((size_t)style >= sizeof(sgr_codes) / sizeof(sgr_codes[0]))
		return 0;
	return sgr_codes[style];
}

void
style_add(struct buf *out, const char *text, enum style style, int color)
{
	int code = sgr_code(style);

	if (!color || !code) {
		buf_adds(out, text);
		return;
	}
	buf_addf(out, "\033[%dm%s" SGR_RESET, code, text);
}

void
style_add_bold(struct buf *out, const char *text, enum style style, int color)
{
	int code = sgr_code(style);

	if (!color || !code || code == SGR_BOLD) {
		style_add(out, text, STYLE_BOLD, color);
		return;
	}
	buf_addf(out, "\033[%d;%dm%s" SGR_RESET, SGR_BOLD, code, text);
}
