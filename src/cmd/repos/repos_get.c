/* mahavishnu repos get: one repository of the registry, with every field it has. */
#include <jansson.h>

#include "cli/command.h"
#include "cmd/repos/repo_view.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"

/* The entry's other fields: text as it is, lists and mappings as compact JSON. */
static void
add_extra(struct panel *p, const struct repo *repo)
{
	const char *key;
	json_t *v;
	struct buf text = BUF_INIT;
	json_object_foreach(repo->extra, key, v) {
		buf_reset(&text);
		if (json_is_string(v))
			buf_adds(&text, json_string_value(v));
		else
			fields_json_line(&text, v);
		panel_field(p, key, buf_str(&text), STYLE_NONE);
	}
	buf_release(&text);
}

static int
show(struct cmd_ctx *ctx, const struct repo_registry *r, const struct repo *repo)
{
	if (ctx->term.format != OUTPUT_TABLE) {
		json_t *doc = repo_json(repo);
		int rc = cmd_print_json(ctx, doc);
		json_decref(doc);
		return rc;
	}
	struct panel *p = panel_new("Repository", STYLE_INFO);
	struct buf v = BUF_INIT;
	panel_field(p, "Name", repo->name, STYLE_NAME);
	panel_field(p, "Path", repo->path, STYLE_NONE);
	for (size_t i = 0; i < repo->tags.len; i++)
		buf_addf(&v, "%s%s", i ? ", " : "", repo->tags.items[i]);
	panel_field(p, "Tags", v.len ? buf_str(&v) : "-", STYLE_META);
	panel_field(p, "Description", repo->description, STYLE_NONE);
	add_extra(p, repo);
	buf_reset(&v);
	buf_addf(&v, "%s:%zu", r->file, repo->line);
	panel_field(p, "Registry", buf_str(&v), STYLE_META);
	buf_release(&v);
	return cmd_print_panel(ctx, p);
}

static int
repos_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("NAME", &name, "Repository name"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct repo_registry r = REPO_REGISTRY_INIT;
	struct error err = ERROR_INIT;
	const struct repo *repo;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc == CMD_DONE ? EXIT_OK : rc;
	if (repo_view_load(ctx, &r, &err) < 0 || repo_view_find(&r, name, &repo, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, &r, repo);
	repo_registry_release(&r);
	return rc;
}

const struct cmd_entry cmd_repos_get = {
	.path = "repos get",
	.summary = "Show one repository of the registry",
	.help = "Show the repository called NAME: its path (resolved as sweeps pass it),\n"
		"tags, description, any other fields the registry gives it, and where in\n"
		"the registry it is written.",
	.exec = repos_get_exec,
};
