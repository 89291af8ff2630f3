/* The repository registry for the repos and sweep commands (see repo_view.h). */
#include "cmd/repos/repo_view.h"

#include <stdlib.h>

#include "core/json.h"
#include "core/suggest.h"
#include "core/xalloc.h"
#include "ui/fields.h"

int
repo_view_load(struct cmd_ctx *ctx, struct repo_registry *r, struct error *err)
{
	return repo_registry_load(r, config_get(&ctx->config, CFG_REPOS_PATH), ".", getenv("HOME"),
				  err);
}

int
repo_view_find(const struct repo_registry *r, const char *name, const struct repo **out,
	       struct error *err)
{
	if ((*out = repo_registry_find(r, name)))
		return 0;
	error_set(err, ERROR_NOT_FOUND, "no repository '%s' in %s", name, r->file);
	const char **names = xcalloc(r->len ? r->len : 1, sizeof(char *));
	for (size_t i = 0; i < r->len; i++)
		names[i] = r->repos[i].name;
	const char *near = suggest_nearest(name, names, r->len);
	if (near)
		error_hint(err, "did you mean '%s'?", near);
	else
		error_hint(err, "'mahavishnu repos list' lists them");
	free(names);
	return -1;
}

void
repo_view_columns(struct table *t)
{
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Tags", ALIGN_LEFT, 0);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Path", ALIGN_LEFT, 0);
	table_add_column(t, "Description", ALIGN_LEFT, COLUMN_SHRINK);
	table_column_fit(t, 3, 12);
}

void
repo_view_row(struct table *t, const json_t *item, void *unused)
{
	struct buf tags = BUF_INIT;
	(void)unused;
	fields_list(&tags, json_object_get(item, "tags"));
	table_add_row(t);
	table_cell(t, json_str(item, "name"), STYLE_NAME);
	table_cell(t, buf_str(&tags), STYLE_META);
	table_cell(t, json_str(item, "path"), STYLE_NONE);
	table_cell(t, json_str(item, "description") ? json_str(item, "description") : "-",
		   STYLE_NONE);
	buf_release(&tags);
}
