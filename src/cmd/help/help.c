/*
 * mahavishnu help [COMMAND...]: the manual page of a command or group
 * (cli/man_page.h) when standard output is a terminal, man is there and the
 * page is installed; otherwise the same text as COMMAND --help.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/command.h"
#include "cli/context.h"
#include "cli/dispatch.h"
#include "cli/man_page.h"
#include "core/spawn.h"
#include "core/xalloc.h"

/* The words as a path ("prefect flow"), or NULL with err set when they name nothing. */
static char *
named_path(struct strlist *words, struct error *err)
{
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < words->len; i++) {
		struct strlist next = STRLIST_INIT;
		dispatch_children(buf_str(&path), &next);
		int known = strlist_contains(&next, words->items[i]);
		strlist_release(&next);
		if (!known) {
			error_set(err, ERROR_USAGE, "'%s' is not a mahavishnu command%s%s%s",
				  words->items[i], i ? " under '" : "", buf_str(&path),
				  i ? "'" : "");
			error_hint(err, "see 'mahavishnu %s%s--help'", buf_str(&path), i ? " " : "");
			buf_release(&path);
			return NULL;
		}
		buf_addf(&path, "%s%s", i ? " " : "", words->items[i]);
	}
	return buf_detach(&path);
}

static int
open_man_page(const char *path, struct error *err)
{
	char *page = man_page_of(path);
	char *name = man_page_name(page);
	char man[] = "man", locate[] = "-w";
	char *where[] = { man, locate, name, NULL };
	char *show[] = { man, name, NULL };
	int rc = 1;
	if (spawn_program_exists("man") && spawn_run_quiet(where) == 0)
		rc = spawn_replace(show, err);
	free(name);
	free(page);
	return rc;
}

static int
print_help(struct cmd_ctx *ctx, const char *path)
{
	const struct cmd_entry *e = dispatch_find(path);
	if (e) {
		char flag[] = "--help";
		char *argv[] = { flag, NULL };
		return context_run(e, 1, argv);
	}
	char *listing = dispatch_group_help(path);
	struct buf text = BUF_INIT;
	buf_adds(&text, listing);
	int rc = cmd_print(ctx, &text);
	buf_release(&text);
	free(listing);
	return rc;
}

static int
help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct strlist words = STRLIST_INIT;
	struct error err = ERROR_INIT;
	const struct opt_spec options[] = { OPT_TABLE_END };
	char **flags = xcalloc((size_t)argc + 1, sizeof(char *));
	int nflags = 0;
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-')
			flags[nflags++] = argv[i];
		else
			strlist_add(&words, argv[i]);
	}
	int rc = cmd_parse(ctx, options, nflags, flags);
	char *path = rc == EXIT_OK ? named_path(&words, &err) : NULL;
	if (rc == EXIT_OK && !path)
		rc = cmd_fail(ctx, &err);
	else if (rc == EXIT_OK && (!ctx->term.out_tty || open_man_page(path, &err) > 0))
		rc = print_help(ctx, path);
	else if (rc == EXIT_OK)
		rc = cmd_fail(ctx, &err);
	free(path);
	free(flags);
	strlist_release(&words);
	return rc;
}

const struct cmd_entry cmd_help = {
	.path = "help",
	.summary = "Show the manual page of a command",
	.help = "Open the manual page that describes COMMAND (e.g. 'mahavishnu help prefect\n"
		"flow list' opens mahavishnu-prefect-flow(1)) when standard output is a\n"
		"terminal and the page is installed (the Debian package installs them);\n"
		"otherwise print what 'mahavishnu COMMAND --help' prints.",
	.flags = 0,
	.exec = help_exec,
};
