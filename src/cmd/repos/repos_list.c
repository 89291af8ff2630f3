/* mahavishnu repos list: the repositories of the registry, all or those with a tag. */
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/repos/repo_view.h"

static const struct list_view view = {
	.title = "Repositories",
	.noun = "repositories",
	.columns = repo_view_columns,
	.row = repo_view_row,
};

static int
repos_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *tag = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('t', "tag", &tag, "TAG", "Only the repositories with this tag"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct repo_registry r = REPO_REGISTRY_INIT;
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc == CMD_DONE ? EXIT_OK : rc;
	if (repo_view_load(ctx, &r, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		json_t *items = json_array();
		for (size_t i = 0; i < r.len; i++)
			if (!tag || repo_has_tag(&r.repos[i], tag))
				json_array_append_new(items, repo_json(&r.repos[i]));
		rc = cmd_print_list(ctx, &view, items);
		json_decref(items);
	}
	repo_registry_release(&r);
	return rc;
}

const struct cmd_entry cmd_repos_list = {
	.path = "repos list",
	.summary = "List the repositories of the registry",
	.help = "List the repositories of the registry (the configured 'repos_path', else\n"
		"settings/ecosystem.yaml, else settings/repos.yaml): name, tags, path and\n"
		"description. --tag shows those that carry the tag, as 'sweep --tag' picks them.",
	.exec = repos_list_exec,
};
