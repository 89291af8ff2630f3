/* Formatters for IDs, lists and labels (see fields.h). */
#include "ui/fields.h"

#include <string.h>

#include "core/json.h"
#include "ui/panel.h"
#include "ui/text.h"

void
fields_short_id(struct buf *out, const char *id)
{
	if (!id) {
		buf_adds(out, "-");
		return;
	}
	if (strlen(id) <= SHORT_ID_LEN) {
		buf_adds(out, id);
		return;
	}
	buf_add(out, id, SHORT_ID_LEN);
	buf_adds(out, "…");
}

void
fields_list(struct buf *out, const json_t *list)
{
	size_t i, n = 0;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v))
			continue;
		buf_addf(out, "%s%s", n++ ? ", " : "", json_string_value(v));
	}
	if (!n)
		buf_adds(out, "-");
}

/*
 * The length of the code point at p that jansson writes raw but a terminal
 * may obey, and that code point in *cp: DEL, the C1 controls (U+0080 to
 * U+009F) and the bidirectional controls (text_bidi_control); 0 for
 * anything else.
 */
static size_t
unsafe_raw(const unsigned char *p, unsigned int *cp)
{
	if (p[0] == 0x7F) {
		*cp = 0x7F;
		return 1;
	}
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
		*cp = p[1];
		return 2;
	}
	return text_bidi_control((const char *)p, cp);
}

/*
 * jansson escapes C0 controls but writes the others unsafe_raw names raw;
 * escape them too, copying the safe runs between them whole. They can only
 * occur inside strings, since the rest of the document is ASCII.
 */
static void
escape_remaining_controls(struct buf *out, const char *json)
{
	const unsigned char *p = (const unsigned char *)json, *run = p;
	for (; *p; p++) {
		unsigned int cp;
		size_t len = *p < 0x7F ? 0 : unsafe_raw(p, &cp);
		if (!len)
			continue;
		buf_add(out, (const char *)run, (size_t)(p - run));
		buf_addf(out, "\\u%04x", cp);
		p += len - 1;
		run = p + 1;
	}
	buf_add(out, (const char *)run, (size_t)(p - run));
}

void
fields_json(struct buf *out, const json_t *doc)
{
	struct buf raw = BUF_INIT;
	json_append(&raw, doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	escape_remaining_controls(out, buf_str(&raw));
	buf_addc(out, '\n');
	buf_release(&raw);
}

void
fields_json_line(struct buf *out, const json_t *doc)
{
	struct buf raw = BUF_INIT;
	json_append(&raw, doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	escape_remaining_controls(out, buf_str(&raw));
	buf_addc(out, '\n');
	buf_release(&raw);
}

void
fields_json_element(struct buf *out, const json_t *doc, size_t indent)
{
	struct buf raw = BUF_INIT, escaped = BUF_INIT;
	json_append(&raw, doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	escape_remaining_controls(&escaped, buf_str(&raw));
	const char *line = buf_str(&escaped), *end;
	for (; (end = strchr(line, '\n')); line = end + 1) {
		text_pad(out, indent);
		buf_add(out, line, (size_t)(end + 1 - line));
	}
	text_pad(out, indent);
	buf_adds(out, line);
	buf_release(&raw);
	buf_release(&escaped);
}

/* Parameters as "  key:  value" rows; non-strings as compact JSON. */
void
fields_panel_parameters(struct panel *p, const json_t *params)
{
	const char *key;
	json_t *value;
	struct buf label = BUF_INIT, text = BUF_INIT;
	if (!json_object_size(params))
		return;
	panel_blank(p);
	panel_text(p, "Parameters:", STYLE_BOLD);
	json_object_foreach((json_t *)params, key, value) {
		buf_addf(&label, "  %s", key);
		if (json_is_string(value))
			buf_adds(&text, json_string_value(value));
		else
			json_append(&text, value, JSON_COMPACT);
		panel_field(p, buf_str(&label), buf_str(&text), STYLE_NONE);
		buf_reset(&label);
		buf_reset(&text);
	}
	buf_release(&label);
	buf_release(&text);
}
