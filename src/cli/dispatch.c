/* Command dispatch and group listings (see dispatch.h). */
#include "cli/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/strlist.h"
#include "core/suggest.h"
#include "core/xalloc.h"
#include "ui/message.h"
#include "ui/text.h"

#define LIST_COLUMN 18

const struct cmd_entry *
dispatch_find(const char *path)
{
	for (size_t i = 0; i < command_table_len; i++)
		if (!strcmp(command_table[i]->path, path))
			return command_table[i];
	return NULL;
}

static const char *
group_summary(const char *path)
{
	for (size_t i = 0; i < command_groups_len; i++)
		if (!strcmp(command_groups[i].path, path))
			return command_groups[i].summary;
	return NULL;
}

/* The word after prefix in path ("flow" for "prefect" in "prefect flow list"). */
static int
next_word(const char *path, const char *prefix, char *word, size_t size)
{
	size_t plen = strlen(prefix);
	const char *rest = path;
	if (plen) {
		if (strncmp(path, prefix, plen) || path[plen] != ' ')
			return 0;
		rest = path + plen + 1;
	}
	size_t n = strcspn(rest, " ");
	if (n >= size)
		return 0;
	memcpy(word, rest, n);
	word[n] = '\0';
	return 1;
}

void
dispatch_children(const char *group, struct strlist *words)
{
	char word[64];
	for (size_t i = 0; i < command_table_len; i++)
		if (next_word(command_table[i]->path, group, word, sizeof(word)) &&
		    !strlist_contains(words, word))
			strlist_add(words, word);
}

const char *
dispatch_summary(const char *path)
{
	const struct cmd_entry *e = dispatch_find(path);
	return e ? e->summary : group_summary(path);
}

static char *
join_path(const char *group, const char *word)
{
	return *group ? xasprintf("%s %s", group, word) : xstrdup(word);
}

char *
dispatch_group_help(const char *group)
{
	struct buf b = BUF_INIT;
	struct strlist words = STRLIST_INIT;
	const char *summary = group_summary(group);
	buf_addf(&b, "usage: mahavishnu %s%s<command> [options]\n", group, *group ? " " : "");
	buf_addf(&b, "\n%s.\n\nCommands:\n",
		 summary ? summary : "A fast command-line client for Prefect");
	dispatch_children(group, &words);
	for (size_t i = 0; i < words.len; i++) {
		char *child = join_path(group, words.items[i]);
		const char *s = dispatch_summary(child);
		size_t len = strlen(words.items[i]) + 2;
		buf_addf(&b, "  %s", words.items[i]);
		text_pad(&b, len < LIST_COLUMN ? LIST_COLUMN - len : 1);
		buf_addf(&b, "%s\n", s ? s : "");
		free(child);
	}
	buf_addf(&b, "\nRun 'mahavishnu %s%s<command> --help' for details.\n", group,
		 *group ? " " : "");
	if (!*group)
		context_global_help(&b);
	strlist_release(&words);
	return buf_detach(&b);
}

static int
unknown_word(const char *group, const char *word)
{
	struct strlist words = STRLIST_INIT;
	struct error err = ERROR_INIT;
	dispatch_children(group, &words);
	const char *near = suggest_nearest(word, (const char *const *)words.items, words.len);
	error_set(&err, ERROR_USAGE, "'%s' is not a mahavishnu%s%s command", word,
		  *group ? " " : "", group);
	if (near)
		error_hint(&err, "did you mean 'mahavishnu %s%s%s'?", group, *group ? " " : "",
			   near);
	else
		error_hint(&err, "see 'mahavishnu %s%s--help'", group, *group ? " " : "");
	message_error(stderr, context_stderr_color(), &err);
	strlist_release(&words);
	return EXIT_USAGE;
}

/* An unknown option, or a global one without its value, given with no command. */
static int
bad_group_option(const char *group, const char *unknown, const char *no_value)
{
	struct error err = ERROR_INIT;
	if (unknown)
		error_set(&err, ERROR_USAGE, "unknown option '%s'", unknown);
	else
		error_set(&err, ERROR_USAGE, "option '%s' needs a value",
			  context_global_long_form(no_value));
	error_hint(&err, "see 'mahavishnu %s%s--help'", group, *group ? " " : "");
	message_error(stderr, context_stderr_color(), &err);
	return EXIT_USAGE;
}

static int
print_text(char *text)
{
	fputs(text, stdout);
	free(text);
	return EXIT_OK;
}

struct walk {
	char *group; /* words so far */
	const struct cmd_entry *leaf;
	char **rest; /* arguments for the command */
	int nrest;
	int leaf_at; /* nrest when the command was found */
	int version;
	const char *bad_option; /* before any command: the first unknown option */
	const char *no_value;   /* before any command: a global option last, without its value */
};

static int
is_command_word(struct walk *w, const char *word, char **unknown)
{
	char *path = join_path(w->group, word);
	w->leaf = dispatch_find(path);
	struct strlist words = STRLIST_INIT;
	dispatch_children(w->group, &words);
	int known = w->leaf || strlist_contains(&words, word);
	strlist_release(&words);
	if (!known) {
		free(path);
		*unknown = xstrdup(word);
		return 0;
	}
	free(w->group);
	w->group = path;
	w->leaf_at = w->nrest;
	return 1;
}

/*
 * A command that is a group too ("sweep", "sweep status"): a first word
 * after it that names a command under it goes down to that command.
 */
static int
is_subcommand(struct walk *w, const char *word)
{
	char *path = join_path(w->group, word);
	const struct cmd_entry *e = dispatch_find(path);
	if (e) {
		w->leaf = e;
		free(w->group);
		w->group = path;
		return 1;
	}
	free(path);
	return 0;
}

static int
walk_words(struct walk *w, int argc, char **argv, char **unknown)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (w->leaf && w->nrest == w->leaf_at && a[0] != '-' && is_subcommand(w, a))
			continue;
		if (w->leaf || (a[0] == '-' && a[1])) {
			if (!w->leaf && !strcmp(a, "--version"))
				w->version = 1;
			if (!w->leaf && !w->bad_option && !context_global_known(a))
				w->bad_option = a;
			if (!w->leaf && context_global_takes_value(a) && i + 1 == argc)
				w->no_value = a;
			w->rest[w->nrest++] = w->leaf ? argv[i] :
							(char *)context_global_long_form(a);
			if (!w->leaf && context_global_takes_value(a) && i + 1 < argc)
				w->rest[w->nrest++] = argv[++i];
			continue;
		}
		if (!is_command_word(w, a, unknown))
			return -1;
	}
	return 0;
}

int
dispatch_main(int argc, char **argv)
{
	struct walk w = { .group = xstrdup(""), .rest = xcalloc((size_t)argc + 1, sizeof(char *)) };
	char *unknown = NULL;
	int rc;
	if (walk_words(&w, argc, argv, &unknown) < 0) {
		rc = unknown_word(w.group, unknown);
	} else if (w.version) {
		rc = print_text(xstrdup("mahavishnu " MAHAVISHNU_VERSION "\n"));
	} else if (w.leaf) {
		rc = context_run(w.leaf, w.nrest, w.rest);
	} else if (w.bad_option || w.no_value) {
		rc = bad_group_option(w.group, w.bad_option, w.no_value);
	} else {
		rc = print_text(dispatch_group_help(w.group));
	}
	free(unknown);
	free(w.group);
	free(w.rest);
	return rc;
}
