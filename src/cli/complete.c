/* What may come next on a command line (see complete.h). */
#include "cli/complete.h"

#include <stdlib.h>
#include <string.h>

#include "api/flow_runs.h"
#include "cli/command_table.h"
#include "cli/dispatch.h"
#include "cli/introspect.h"
#include "core/xalloc.h"

/* The words before the cursor, read as the dispatcher reads them. */
struct line {
	char *group;                   /* command words so far ("prefect flow") */
	const struct cmd_entry *entry; /* once the words name a command */
	struct cmd_info info;
	size_t positionals;           /* arguments given after the command */
	size_t after_entry;           /* words after the command */
	const struct opt_info *wants; /* the previous word is this option, wanting a value */
};

static char *
join(const char *group, const char *word)
{
	return *group ? xasprintf("%s %s", group, word) : xstrdup(word);
}

/* The word names a command or group under line->group: go down to it. */
static int
go_down(struct line *l, const char *word)
{
	struct strlist words = STRLIST_INIT;
	dispatch_children(l->group, &words);
	int known = strlist_contains(&words, word);
	strlist_release(&words);
	if (!known)
		return 0;
	char *path = join(l->group, word);
	free(l->group);
	l->group = path;
	const struct cmd_entry *e = dispatch_find(path);
	if (e && e != l->entry) {
		cmd_info_release(&l->info);
		l->entry = e;
		l->after_entry = 0;
		if (cmd_describe(e, &l->info) < 0)
			cmd_info_release(&l->info);
	}
	return 1;
}

static const struct opt_info *
option_named(const struct line *l, const char *word)
{
	if (word[0] != '-' || !word[1] || strchr(word, '='))
		return NULL;
	const char *name = word[1] == '-' ? word + 2 : word + 1;
	if (word[1] != '-' && name[1])
		return NULL;
	return cmd_info_option(&l->info, name);
}

static void
read_word(struct line *l, const char *word)
{
	const struct opt_info *o = l->wants;
	l->wants = NULL;
	if (o)
		return; /* the value of the option before */
	if (word[0] == '-' && word[1]) {
		o = option_named(l, word);
		if (o && o->type != OPT_BOOL)
			l->wants = o;
		l->after_entry += !!l->entry;
		return;
	}
	/* a command that is a group too ("sweep status") goes down only right after it */
	if ((!l->entry || l->after_entry == 0) && go_down(l, word))
		return;
	if (l->entry) {
		l->positionals++;
		l->after_entry++;
	}
}

static int
starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void
add_item(struct completion *c, const char *cur, const char *value, const char *help)
{
	if (!starts_with(value, cur))
		return;
	if (help && *help)
		strlist_addf(&c->items, "%s\t%s", value, help);
	else
		strlist_add(&c->items, value);
}

static void
add_children(struct completion *c, const char *group, const char *cur)
{
	struct strlist words = STRLIST_INIT;
	dispatch_children(group, &words);
	for (size_t i = 0; i < words.len; i++) {
		char *path = join(group, words.items[i]);
		add_item(c, cur, words.items[i], dispatch_summary(path));
		free(path);
	}
	strlist_release(&words);
}

static void
add_options(struct completion *c, const struct opt_info *opts, size_t len, const char *cur)
{
	for (size_t i = 0; i < len; i++) {
		if (opts[i].type == OPT_ARG || (opts[i].flags & OPT_HIDDEN) || !opts[i].long_name)
			continue;
		char *name = xasprintf("--%s", opts[i].long_name);
		add_item(c, cur, name, opts[i].help);
		free(name);
	}
}

/* The kind of value a placeholder ("FLOW", "FILE.py:FUNC") stands for. */
static enum complete_kind
kind_of(const char *name)
{
	static const struct {
		const char *name;
		enum complete_kind kind;
	} kinds[] = {
		{ "FLOW", COMPLETE_FLOWS },
		{ "DEPLOYMENT", COMPLETE_DEPLOYMENTS },
		{ "POOL", COMPLETE_POOLS },
		{ "RUN", COMPLETE_RUNS },
		{ "FILE", COMPLETE_FILES },
		{ "FILE.py:FUNC", COMPLETE_FILES },
		{ "PATH", COMPLETE_FILES },
		{ "DIR", COMPLETE_DIRS },
		{ "STATE", COMPLETE_STATES },
		/* options named so whose value is a plain NAME */
		{ "deployment", COMPLETE_DEPLOYMENTS },
		{ "flow", COMPLETE_FLOWS },
		{ "pool", COMPLETE_POOLS },
		{ "work-pool", COMPLETE_POOLS },
	};
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(name, kinds[i].name))
			return kinds[i].kind;
	return COMPLETE_NONE;
}

static enum complete_kind
value_kind(const struct opt_info *o)
{
	if (o->type == OPT_ARG)
		return kind_of(o->long_name);
	enum complete_kind kind = kind_of(o->value_name);
	return kind != COMPLETE_NONE ? kind : kind_of(o->long_name);
}

static void
add_value(struct completion *c, const struct opt_info *o, const char *cur,
	  complete_lookup_fn lookup, void *data)
{
	if (o->type == OPT_CHOICE) {
		for (size_t i = 0; i < o->choices.len; i++)
			add_item(c, cur, o->choices.items[i], NULL);
		return;
	}
	enum complete_kind kind = value_kind(o);
	if (kind == COMPLETE_FILES || kind == COMPLETE_DIRS) {
		c->kind = kind;
		return;
	}
	struct strlist names = STRLIST_INIT;
	if (kind == COMPLETE_STATES)
		flow_run_state_words(&names);
	else if (kind != COMPLETE_NONE && lookup)
		lookup(data, kind, &names);
	for (size_t i = 0; i < names.len; i++) {
		char *tab = strchr(names.items[i], '\t');
		if (tab)
			*tab = '\0';
		add_item(c, cur, names.items[i], tab ? tab + 1 : NULL);
	}
	strlist_release(&names);
}

/* The positional argument number n (from 0) of the command, or NULL. */
static const struct opt_info *
positional(const struct cmd_info *info, size_t n)
{
	for (size_t i = 0; i < info->len; i++)
		if (info->opts[i].type == OPT_ARG && n-- == 0)
			return &info->opts[i];
	return NULL;
}

static void
complete_after_command(struct line *l, const char *cur, complete_lookup_fn lookup, void *data,
		       struct completion *c)
{
	if (cur[0] == '-') {
		add_options(c, l->info.opts, l->info.len, cur);
		add_options(c, l->info.globals, l->info.globals_len, cur);
		add_item(c, cur, "--help", "Show the command's help");
		return;
	}
	if (l->after_entry == 0)
		add_children(c, l->group, cur); /* "sweep status" */
	const struct opt_info *arg = positional(&l->info, l->positionals);
	if (arg)
		add_value(c, arg, cur, lookup, data);
}

/* Before any command: only the global options, read from the first command's table. */
static void
globals_only(struct cmd_info *info)
{
	if (command_table_len && cmd_describe(command_table[0], info) == 0) {
		struct cmd_info own = { .opts = info->opts, .len = info->len };
		cmd_info_release(&own);
		info->opts = NULL;
		info->len = 0;
	}
}

/* help COMMAND...: the words after it are a command's path. */
static int
complete_help(char **words, size_t len, struct completion *out)
{
	if (len < 2 || strcmp(words[0], "help") || words[len - 1][0] == '-')
		return 0;
	struct line l = { .group = xstrdup("") };
	for (size_t i = 1; i + 1 < len && go_down(&l, words[i]);)
		i++;
	add_children(out, l.group, words[len - 1]);
	cmd_info_release(&l.info);
	free(l.group);
	return 1;
}

void
complete_words(char **words, size_t len, complete_lookup_fn lookup, void *data,
	       struct completion *out)
{
	*out = (struct completion){ COMPLETE_WORDS, STRLIST_INIT };
	if (complete_help(words, len, out))
		return;
	struct line l = { .group = xstrdup("") };
	const char *cur = len ? words[len - 1] : "";
	globals_only(&l.info);
	for (size_t i = 0; i + 1 < len; i++)
		read_word(&l, words[i]);
	if (l.wants)
		add_value(out, l.wants, cur, l.entry ? lookup : NULL, data);
	else if (l.entry)
		complete_after_command(&l, cur, lookup, data, out);
	else if (cur[0] == '-') {
		add_options(out, l.info.globals, l.info.globals_len, cur);
		add_item(out, cur, "--help", "Show the commands");
		add_item(out, cur, "--version", "Show the version");
	} else
		add_children(out, l.group, cur);
	cmd_info_release(&l.info);
	free(l.group);
}

void
completion_release(struct completion *c)
{
	strlist_release(&c->items);
}
