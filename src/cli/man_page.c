/* Man pages from the command table (see man_page.h). */
#include "cli/man_page.h"

#include <stdlib.h>
#include <string.h>

#include "cli/command_table.h"
#include "cli/dispatch.h"
#include "cli/introspect.h"
#include "core/config.h"
#include "core/xalloc.h"

/* Append text escaped for roff: backslashes, and a leading '.' or '\''. */
static void
roff(struct buf *out, const char *text, size_t len)
{
	if (len && (text[0] == '.' || text[0] == '\''))
		buf_adds(out, "\\&");
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\\')
			buf_adds(out, "\\e");
		else if (text[i] == '-')
			buf_adds(out, "\\-");
		else
			buf_addc(out, text[i]);
	}
}

static void
roff_line(struct buf *out, const char *text)
{
	roff(out, text, strlen(text));
	buf_addc(out, '\n');
}

/* A help text: paragraphs filled, indented lines (examples) kept as they are. */
static void
help_text(struct buf *out, const char *help)
{
	const char *p = help;
	int in_example = 0;
	while (p && *p) {
		size_t n = strcspn(p, "\n");
		int example = n > 1 && p[0] == ' ' && p[1] == ' ';
		if (!n) {
			buf_adds(out, in_example ? ".fi\n.PP\n" : ".PP\n");
			in_example = 0;
		} else {
			if (example != in_example)
				buf_adds(out, example ? ".nf\n.RS 2\n" : ".RE\n.fi\n");
			in_example = example;
			roff(out, p, n);
			buf_addc(out, '\n');
		}
		p += n + (p[n] == '\n');
	}
	if (in_example)
		buf_adds(out, ".RE\n.fi\n");
}

static void
synopsis(struct buf *out, const char *path, const struct cmd_info *info)
{
	buf_adds(out, ".PP\n\\fBmahavishnu ");
	roff(out, path, strlen(path));
	buf_adds(out, "\\fR");
	for (size_t i = 0; i < info->len; i++) {
		const struct opt_info *o = &info->opts[i];
		if (o->type != OPT_ARG && (o->flags & OPT_REQUIRED)) {
			buf_adds(out, " \\fB\\-\\-");
			roff(out, o->long_name, strlen(o->long_name));
			buf_addf(out, "\\fR \\fI%s\\fR", o->value_name ? o->value_name : "VALUE");
		}
	}
	buf_adds(out, " [\\fIoptions\\fR]");
	for (size_t i = 0; i < info->len; i++)
		if (info->opts[i].type == OPT_ARG)
			buf_addf(out,
				 (info->opts[i].flags & OPT_REQUIRED) ? " \\fI%s\\fR" :
									" [\\fI%s\\fR]",
				 info->opts[i].long_name);
	buf_addc(out, '\n');
}

static void
option_item(struct buf *out, const struct opt_info *o)
{
	buf_adds(out, ".TP\n");
	if (o->type == OPT_ARG) {
		buf_addf(out, "\\fI%s\\fR\n", o->long_name);
	} else {
		if (o->short_name)
			buf_addf(out, "\\fB\\-%c\\fR, ", o->short_name);
		buf_adds(out, "\\fB\\-\\-");
		roff(out, o->long_name, strlen(o->long_name));
		buf_adds(out, "\\fR");
		if (o->type != OPT_BOOL && o->value_name)
			buf_addf(out, " \\fI%s\\fR", o->value_name);
		buf_addc(out, '\n');
	}
	roff(out, o->help ? o->help : "", o->help ? strlen(o->help) : 0);
	if (o->choices.len) {
		buf_adds(out, ": ");
		for (size_t i = 0; i < o->choices.len; i++)
			buf_addf(out, "%s\\fB%s\\fR", i ? ", " : "", o->choices.items[i]);
	}
	buf_addc(out, '\n');
}

static void
options_of(struct buf *out, const struct opt_info *opts, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(opts[i].flags & OPT_HIDDEN))
			option_item(out, &opts[i]);
}

static void
command_section(struct buf *out, const struct cmd_entry *e)
{
	struct cmd_info info;
	buf_adds(out, ".SS \"");
	roff(out, e->path, strlen(e->path));
	buf_adds(out, "\"\n");
	if (cmd_describe(e, &info) < 0) {
		roff_line(out, e->summary);
		return;
	}
	synopsis(out, e->path, &info);
	buf_adds(out, ".PP\n");
	help_text(out, e->help ? e->help : e->summary);
	options_of(out, info.opts, info.len);
	cmd_info_release(&info);
}

char *
man_page_name(const char *page)
{
	char *name = *page ? xasprintf("mahavishnu-%s", page) : xstrdup("mahavishnu");
	for (char *p = name; *p; p++)
		if (*p == ' ')
			*p = '-';
	return name;
}

/* Pages: the top, every group, and each top-level command that is not a group. */
void
man_page_paths(struct strlist *out)
{
	strlist_add(out, "");
	for (size_t i = 0; i < command_groups_len; i++)
		strlist_add(out, command_groups[i].path);
	for (size_t i = 0; i < command_table_len; i++)
		if (!strchr(command_table[i]->path, ' ') &&
		    !strlist_contains(out, command_table[i]->path))
			strlist_add(out, command_table[i]->path);
}

char *
man_page_of(const char *path)
{
	struct strlist pages = STRLIST_INIT;
	man_page_paths(&pages);
	char *page = xstrdup(path);
	/* a command lives on its group's page; a group (or a top command) on its own */
	while (*page && !strlist_contains(&pages, page)) {
		char *space = strrchr(page, ' ');
		*(space ? space : page) = '\0';
	}
	strlist_release(&pages);
	return page;
}

static void
see_also(struct buf *out, const char *page)
{
	struct strlist pages = STRLIST_INIT;
	man_page_paths(&pages);
	buf_adds(out, ".SH \"SEE ALSO\"\n");
	for (size_t i = 0, n = 0; i < pages.len; i++) {
		if (!strcmp(pages.items[i], page))
			continue;
		char *name = man_page_name(pages.items[i]);
		buf_addf(out, "%s\\fB", n++ ? ",\n" : "");
		roff(out, name, strlen(name));
		buf_adds(out, "\\fR(1)");
		free(name);
	}
	buf_adds(out, "\n");
	strlist_release(&pages);
}

static void
commands_list(struct buf *out, const char *group)
{
	struct strlist words = STRLIST_INIT;
	dispatch_children(group, &words);
	buf_adds(out, ".SH COMMANDS\n");
	for (size_t i = 0; i < words.len; i++) {
		char *path = *group ? xasprintf("%s %s", group, words.items[i]) :
				      xstrdup(words.items[i]);
		const char *summary = dispatch_summary(path);
		buf_adds(out, ".TP\n\\fB");
		roff(out, path, strlen(path));
		buf_adds(out, "\\fR\n");
		roff_line(out, summary ? summary : "");
		free(path);
	}
	strlist_release(&words);
}

static const char exit_status[] =
	".SH \"EXIT STATUS\"\n"
	".TP\n0\nSuccess.\n"
	".TP\n1\nAn error, a validation failure, or a run that ended Failed.\n"
	".TP\n2\nA usage error: an unknown command or option, or a bad option value.\n"
	".TP\n3\nWith \\fB\\-\\-wait\\fR: the run ended Crashed.\n"
	".TP\n4\nWith \\fB\\-\\-wait\\fR: the run ended Cancelled.\n"
	".TP\n5\nWith \\fB\\-\\-wait\\fR: \\fB\\-\\-timeout\\fR passed; the run goes on.\n"
	".TP\n6\nThe Prefect API could not be reached.\n"
	".TP\n130\nInterrupted (Ctrl\\-C).\n"
	".TP\n143\nTerminated (SIGTERM), handled as Ctrl\\-C is.\n";

/* The variables that are not settings (those are listed from core/config's table). */
static const char other_environment[] =
	".TP\n\\fBMAHAVISHNU_CONFIG\\fR\n"
	"A settings file used instead of the project and user files, as \\fB\\-\\-config\\fR.\n"
	".TP\n\\fBMAHAVISHNU_YES\\fR, \\fBMAHAVISHNU_NO_PROMPT\\fR\n"
	"Answer yes to every question, or never ask (as without a terminal).\n"
	".TP\n\\fBNO_COLOR\\fR, \\fBFORCE_COLOR\\fR, \\fBTERM\\fR\n"
	"Colour off, or on in a pipe; TERM=dumb turns it off.\n"
	".TP\n\\fBBROWSER\\fR\n"
	"The browser of \\fBprefect dashboard \\-\\-open\\fR.\n"
	".TP\n\\fBXDG_CONFIG_HOME\\fR, \\fBXDG_STATE_HOME\\fR\n"
	"Where the user settings, and local servers' and workers' state, are kept.\n";

static const char files[] =
	".SH FILES\n"
	".TP\n\\fIsettings/mahavishnu.yaml\\fR, \\fIsettings/local.yaml\\fR\n"
	"Settings of the project in the current directory.\n"
	".TP\n\\fI$XDG_CONFIG_HOME/mahavishnu/mahavishnu.yaml\\fR, else \\fI~/.config/mahavishnu/mahavishnu.yaml\\fR\n"
	"Settings of the user.\n"
	".TP\n\\fIsettings/repos.yaml\\fR\n"
	"The repository registry of \\fBmahavishnu repos\\fR and \\fBmahavishnu sweep\\fR.\n";

static void
top_page(struct buf *out)
{
	struct cmd_info globals;
	buf_adds(out, ".SH SYNOPSIS\n\\fBmahavishnu\\fR \\fIcommand\\fR [\\fIoptions\\fR]\n"
		      ".SH DESCRIPTION\nA fast command\\-line client for the Prefect workflow "
		      "orchestrator: flows, deployments, schedules, backfills, runs and logs, "
		      "a local server and worker, and sweeps over many repositories.\n");
	commands_list(out, "");
	if (command_table_len && cmd_describe(command_table[0], &globals) == 0) {
		buf_adds(out, ".SH \"GLOBAL OPTIONS\"\nEvery command takes these.\n");
		options_of(out, globals.globals, globals.globals_len);
		buf_adds(out, ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow the help.\n"
			      ".TP\n\\fB\\-\\-version\\fR\nPrint the version.\n");
		cmd_info_release(&globals);
	}
	buf_adds(out, exit_status);
	buf_adds(out, ".SH ENVIRONMENT\n");
	for (int key = 0; key < CFG__COUNT; key++) {
		const char *env = config_key_env((enum config_key)key);
		if (!env)
			continue;
		buf_adds(out, ".TP\n\\fB");
		roff(out, env, strlen(env));
		buf_adds(out, "\\fR\nThe setting \\fB");
		roff(out, config_key_name((enum config_key)key),
		     strlen(config_key_name((enum config_key)key)));
		buf_adds(out, "\\fR (see \\fBmahavishnu config show \\-\\-sources\\fR).\n");
	}
	buf_adds(out, other_environment);
	buf_adds(out, files);
}

static void
group_page(struct buf *out, const char *page)
{
	const char *summary = dispatch_summary(page);
	buf_adds(out, ".SH DESCRIPTION\n");
	roff_line(out, summary ? summary : "");
	buf_adds(out, ".SH COMMANDS\n");
	for (size_t i = 0; i < command_table_len; i++) {
		char *home = man_page_of(command_table[i]->path);
		if (!strcmp(home, page))
			command_section(out, command_table[i]);
		free(home);
	}
	buf_adds(out, ".PP\nEvery command also takes the global options of "
		      "\\fBmahavishnu\\fR(1).\n");
}

void
man_page_write(struct buf *out, const char *page)
{
	char *name = man_page_name(page);
	char *upper = xstrdup(name);
	for (char *p = upper; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	buf_adds(out, ".TH \"");
	roff(out, upper, strlen(upper));
	buf_adds(out, "\" 1 \"\" \"mahavishnu " MAHAVISHNU_VERSION "\" \"Mahavishnu Manual\"\n"
		      ".SH NAME\n");
	roff(out, name, strlen(name));
	buf_adds(out, " \\- ");
	const char *summary = *page ? dispatch_summary(page) : NULL;
	roff_line(out, summary ? summary : "a fast command-line client for Prefect");
	if (*page)
		group_page(out, page);
	else
		top_page(out);
	see_also(out, page);
	free(upper);
	free(name);
}
