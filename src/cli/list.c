/* Lists as tables, JSON arrays, JSON Lines or YAML sequences, a page at a time (see list.h). */
#include "cli/list.h"

#include <stdlib.h>

#include "api/client.h"
#include "core/xalloc.h"
#include "ui/fields.h"
#include "ui/message.h"
#include "ui/text.h"
#include "ui/yaml_out.h"

struct list_out {
	struct cmd_ctx *ctx;
	const struct list_view *v;
	struct table *t;       /* table output */
	struct yaml_out *yaml; /* -o yaml: a sequence, open */
	size_t pages;          /* pages added with list_add_page */
	size_t shown;
	long total; /* -1: not known */
	struct buf out;
};

struct list_out *
list_start(struct cmd_ctx *ctx, const struct list_view *v)
{
	struct list_out *l = xcalloc(1, sizeof(*l));
	l->ctx = ctx;
	l->v = v;
	l->total = -1;
	buf_init(&l->out, 0);
	if (ctx->term.format == OUTPUT_TABLE) {
		l->t = table_new(NULL);
		v->columns(l->t);
	} else if (ctx->term.json_style == JSON_YAML) {
		l->yaml = yaml_out_new();
		yaml_out_open(l->yaml, 0);
	}
	return l;
}

void
list_total(struct list_out *l, long total)
{
	l->total = total;
}

/* "Flow Runs (50)", or "Flow Runs (50 of 57)" when the list has more. */
static void
set_title(struct list_out *l, size_t shown)
{
	char *title = l->total > (long)shown ?
			      xasprintf("%s (%zu of %ld)", l->v->title, shown, l->total) :
			      xasprintf("%s (%zu)", l->v->title, shown);
	table_set_title(l->t, title);
	free(title);
}

static void
add_json(struct list_out *l, const json_t *item)
{
	json_t *doc = l->v->json ? l->v->json(item, l->v->data) : json_incref((json_t *)item);
	if (l->yaml) {
		yaml_out_value(l->yaml, doc);
	} else if (l->ctx->term.json_style == JSON_LINES) {
		fields_json_line(&l->out, doc);
	} else {
		buf_adds(&l->out, l->shown ? ",\n" : "[\n");
		fields_json_element(&l->out, doc, 2);
	}
	json_decref(doc);
}

/* The table's first part, once its window is full: the expected count is the title's. */
static void
draw_window(struct list_out *l)
{
	size_t expect = l->shown;
	if (l->total > (long)expect)
		expect = (size_t)l->total;
	set_title(l, expect);
	table_render_part(l->t, &l->ctx->term, &l->out, 0);
}

void
list_add(struct list_out *l, const json_t *items)
{
	const json_t *item;
	size_t i;
	json_array_foreach(items, i, item) {
		if (l->t)
			l->v->row(l->t, item, l->v->data);
		else
			add_json(l, item);
		l->shown++;
	}
	if (l->t && table_rows_held(l->t) >= LIST_TABLE_WINDOW)
		draw_window(l);
	if (l->yaml) {
		struct error err = ERROR_INIT; /* it sticks: list_finish reports it */
		yaml_out_take(l->yaml, &l->out, &err);
	}
	cmd_print(l->ctx, &l->out);
	buf_reset(&l->out);
}

static void
hint_if_cut(struct list_out *l)
{
	if (l->total <= (long)l->shown)
		return;
	char *text = xasprintf("showing %zu of %ld %s; --limit N shows more, --limit 0 all",
			       l->shown, l->total, l->v->noun);
	message_hint(l->ctx->err, l->ctx->term.color_err, text);
	free(text);
}

int
list_finish(struct list_out *l)
{
	struct error err = ERROR_INIT;
	int rc = 0;
	if (l->yaml) {
		yaml_out_close(l->yaml, 0);
		rc = yaml_out_end(l->yaml, &l->out, &err);
		l->yaml = NULL;
	} else if (l->t) {
		set_title(l, l->shown); /* unless the window was drawn with its own */
		table_render_part(l->t, &l->ctx->term, &l->out, 1);
	} else if (l->ctx->term.json_style != JSON_LINES) {
		buf_adds(&l->out, l->shown ? "\n]\n" : "[]\n");
	}
	cmd_print(l->ctx, &l->out);
	if (rc == 0)
		hint_if_cut(l);
	struct cmd_ctx *ctx = l->ctx;
	buf_release(&l->out);
	table_free(l->t);
	free(l);
	return rc < 0 ? cmd_fail(ctx, &err) : EXIT_OK;
}

size_t
list_limit(long limit, int all)
{
	return all ? 0 : (size_t)limit;
}

int
list_add_page(struct list_out *l, const json_t *items, size_t limit, list_count_fn count,
	      void *userdata, struct error *err)
{
	size_t first_page = limit && limit < API_PAGE_MAX ? limit : API_PAGE_MAX;
	long total;
	if (!l->pages++ && json_array_size(items) == first_page) {
		if (count(userdata, &total, err) < 0)
			return -1;
		list_total(l, total);
	}
	list_add(l, items);
	return 0;
}

void
list_abort(struct list_out *l)
{
	yaml_out_free(l->yaml);
	buf_release(&l->out);
	table_free(l->t);
	free(l);
}

/* doc as -o json writes it, without its closing brace: "{ ... " or "{...". */
static void
open_document(struct buf *out, const json_t *doc, int lines)
{
	if (lines)
		fields_json_line(out, doc);
	else
		fields_json(out, doc);
	const char *ends[] = { "\n", "}",
			       "\n" }; /* the last newline, the brace, the newline before */
	for (size_t i = 0; i < 3; i++)
		if (out->len && out->data[out->len - 1] == ends[i][0])
			out->data[--out->len] = '\0';
}

/* cmd_print_json_with_list for -o yaml: the same value, written the same way. */
static int
yaml_with_list(struct cmd_ctx *ctx, const json_t *doc, const char *key, size_t count,
	       size_t per_write, json_t *(*item)(size_t i, void *), void *userdata)
{
	struct yaml_out *y = yaml_out_new();
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;
	const char *name;
	json_t *value;
	yaml_out_open(y, 1);
	json_object_foreach((json_t *)doc, name, value) {
		yaml_out_key(y, name);
		yaml_out_value(y, value);
	}
	yaml_out_key(y, key);
	yaml_out_open(y, 0);
	for (size_t i = 0; i < count; i++) {
		json_t *one = item(i, userdata);
		yaml_out_value(y, one);
		json_decref(one);
		if ((i + 1) % per_write == 0 && yaml_out_take(y, &out, &err) == 0) {
			cmd_print(ctx, &out);
			buf_reset(&out);
		}
	}
	yaml_out_close(y, 0);
	yaml_out_close(y, 1);
	int rc = yaml_out_end(y, &out, &err);
	cmd_print(ctx, &out);
	buf_release(&out);
	return rc < 0 ? cmd_fail(ctx, &err) : EXIT_OK;
}

int
cmd_print_json_with_list(struct cmd_ctx *ctx, const json_t *doc, const char *key, size_t count,
			 size_t per_write, json_t *(*item)(size_t i, void *), void *userdata)
{
	if (ctx->term.json_style == JSON_YAML)
		return yaml_with_list(ctx, doc, key, count, per_write, item, userdata);
	int lines = ctx->term.json_style == JSON_LINES;
	int empty = json_object_size(doc) == 0;
	struct buf out = BUF_INIT;
	open_document(&out, doc, lines);
	buf_addf(&out, "%s\"%s\": [", empty ? (lines ? "" : "\n  ") : lines ? "," : ",\n  ", key);
	for (size_t i = 0; i < count; i++) {
		json_t *one = item(i, userdata);
		if (lines) {
			buf_adds(&out, i ? "," : "");
			fields_json_line(&out, one);
			out.data[--out.len] = '\0'; /* the line's newline */
		} else {
			buf_adds(&out, i ? ",\n" : "\n");
			fields_json_element(&out, one, 4);
		}
		json_decref(one);
		if ((i + 1) % per_write == 0) {
			cmd_print(ctx, &out);
			buf_reset(&out);
		}
	}
	buf_adds(&out, lines ? "]}\n" : count ? "\n  ]\n}\n" : "]\n}\n");
	cmd_print(ctx, &out);
	buf_release(&out);
	return EXIT_OK;
}

int
cmd_print_list(struct cmd_ctx *ctx, const struct list_view *v, const json_t *items)
{
	struct list_out *l = list_start(ctx, v);
	list_add(l, items);
	return list_finish(l);
}
