/* Error, warning and hint lines on stderr (see message.h). */
#include "ui/message.h"

#include "ui/style.h"
#include "ui/text.h"

static void
emit(FILE *err, int color, const char *prefix, enum style style, const char *text)
{
	struct buf line = BUF_INIT;
	style_add(&line, prefix, style, color);
	text_sanitize(&line, text, 1);
	buf_addc(&line, '\n');
	fputs(buf_str(&line), err);
	buf_release(&line);
}

void
message_hint(FILE *err, int color, const char *text)
{
	emit(err, color, "hint: ", STYLE_INFO, text);
}

void
message_error(FILE *err, int color, const struct error *e)
{
	emit(err, color, "mahavishnu: ", STYLE_FAILURE, e->message);
	if (e->hint[0])
		message_hint(err, color, e->hint);
}

void
message_warning(FILE *err, int color, const char *text)
{
	emit(err, color, "mahavishnu: warning: ", STYLE_PROGRESS, text);
}

int
message_write(FILE *out, const struct buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
		return -1;
	return 0;
}

void
message_trace(FILE *err, const char *line)
{
	emit(err, 0, "", STYLE_NONE, line);
}
