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
 * jansson escapes C0 controls but writes DEL and the C1 controls (U+0080 to
 * U+009F, which some terminals obey) raw; escape them too. They can only
 * occur inside strings, since the rest of the document is ASCII.
 */
static void
escape_remaining_controls(struct buf *out, const char *json)
{
	for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
		if (*p == 0x7F)
			buf_adds(out, "\\u007f");
		else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			buf_addf(out, "\\u00%02x", *++p);
		else
			buf_addc(out, (char)*p);
	}
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
	text_pad(out, indent);
	for (const char *p = buf_str(&escaped); *p; p++) {
		buf_addc(out, *p);
		if (*p == '\n')
			text_pad(out, indent);
	}
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
