/* Lists as tables or JSON arrays (see list.h). */
#include "cli/list.h"

static int
print_json(struct cmd_ctx *ctx, const struct list_view *v, const json_t *items)
{
	if (!v->json)
		return cmd_print_json(ctx, items);
	json_t *doc = json_array(), *item;
	size_t i;
	json_array_foreach(items, i, item)
		json_array_append_new(doc, v->json(item, v->data));
	int rc = cmd_print_json(ctx, doc);
	json_decref(doc);
	return rc;
}

int
cmd_print_list(struct cmd_ctx *ctx, const struct list_view *v, const json_t *items)
{
	if (ctx->term.format == OUTPUT_JSON)
		return print_json(ctx, v, items);
	struct table *t = table_new_counted(v->title, json_array_size(items));
	json_t *item;
	size_t i;
	v->columns(t);
	json_array_foreach(items, i, item)
		v->row(t, item, v->data);
	return cmd_print_table(ctx, t);
}
