/* Formatters for IDs, lists and labels (see fields.h). */
#include "ui/fields.h"

#include <string.h>

#include "core/json.h"

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

void
fields_labels(struct buf *out, const json_t *labels)
{
	const char *key;
	json_t *v;
	size_t n = 0;
	json_object_foreach((json_t *)labels, key, v) {
		buf_addf(out, "%s%s=", n++ ? ", " : "", key);
		if (json_is_string(v))
			buf_adds(out, json_string_value(v));
		else
			json_append(out, v, JSON_COMPACT);
	}
	if (!n)
		buf_adds(out, "-");
}

void
fields_json(struct buf *out, const json_t *doc)
{
	json_append(out, doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_addc(out, '\n');
}
