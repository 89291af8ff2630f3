/*
 * Unit tests for the command table and group listings (src/cli/
 * command_table.c, src/cli/dispatch.c): the table is sorted without
 * duplicates, every group of a command path is described, every command
 * file under src/cmd/ is listed, group help lists a group's children, and
 * every command answers --help and -h as main() runs it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/command_table.h"
#include "cli/dispatch.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "test_helpers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_WORDS 8
#define ENTRY_MARK "const struct cmd_entry cmd_"
#define PATH_MARK ".path = \""

static int
in_table(const char *path)
{
	for (size_t i = 0; i < command_table_len; i++)
		if (!strcmp(command_table[i]->path, path))
			return 1;
	return 0;
}

static int
is_group(const char *path)
{
	for (size_t i = 0; i < command_groups_len; i++)
		if (!strcmp(command_groups[i].path, path))
			return 1;
	return 0;
}

static void
test_table_sorted(void **state)
{
	(void)state;

	assert_true(command_table_len > 0);
	for (size_t i = 0; i < command_table_len; i++) {
		const struct cmd_entry *e = command_table[i];
		assert_non_null(e->path);
		assert_non_null(e->summary);
		assert_non_null(e->exec);
		assert_true(*e->summary != '\0');
		/* words separated by single spaces */
		assert_true(*e->path != '\0' && *e->path != ' ');
		assert_true(e->path[strlen(e->path) - 1] != ' ');
		assert_null(strstr(e->path, "  "));
		/*
		 * a path that is a command and a group too (sweep, sweep status)
		 * names its subcommands in its help
		 */
		if (is_group(e->path) && !strstr(e->help, "status"))
			print_message("%s is a command and a group; its help names no subcommand\n",
				      e->path);
		assert_true(!is_group(e->path) || strstr(e->help, "status"));
		if (i > 0 && strcmp(command_table[i - 1]->path, e->path) >= 0)
			print_message("out of order or repeated: '%s' then '%s'\n",
				      command_table[i - 1]->path, e->path);
		if (i > 0)
			assert_true(strcmp(command_table[i - 1]->path, e->path) < 0);
	}
}

static void
test_groups_described(void **state)
{
	(void)state;

	/* every proper prefix of a command path is a described group */
	for (size_t i = 0; i < command_table_len; i++) {
		const char *path = command_table[i]->path;
		for (const char *sp = strchr(path, ' '); sp; sp = strchr(sp + 1, ' ')) {
			char *prefix = xstrndup(path, (size_t)(sp - path));
			if (!is_group(prefix))
				print_message("group '%s' of '%s' is not described\n", prefix, path);
			assert_true(is_group(prefix));
			free(prefix);
		}
	}

	/* every described group has a command under it, and appears once */
	for (size_t i = 0; i < command_groups_len; i++) {
		const char *group = command_groups[i].path;
		size_t len = strlen(group), under = 0;
		assert_non_null(command_groups[i].summary);
		for (size_t j = 0; j < command_table_len; j++)
			if (!strncmp(command_table[j]->path, group, len) &&
			    command_table[j]->path[len] == ' ')
				under++;
		if (!under)
			print_message("group '%s' has no command\n", group);
		assert_true(under > 0);
		for (size_t j = i + 1; j < command_groups_len; j++)
			assert_string_not_equal(command_groups[j].path, group);
	}
}

/* The rest of f; the caller frees it. */
static char *
read_stream(FILE *f)
{
	struct buf text = BUF_INIT;
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	return buf_detach(&text);
}

/*
 * The .path strings of the command entries a source file defines: each
 * "const struct cmd_entry cmd_NAME = { ... };" (declarations are skipped).
 */
static void
entry_paths_in_file(const char *file, struct strlist *paths)
{
	FILE *f = fopen(file, "r");

	assert_non_null(f);
	char *text = read_stream(f);
	fclose(f);
	for (const char *p = strstr(text, ENTRY_MARK); p; p = strstr(p + 1, ENTRY_MARK)) {
		const char *q = p + strlen(ENTRY_MARK);
		q += strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789_");
		q += strspn(q, " \t");
		if (*q != '=')
			continue;
		const char *close = strstr(q, "};");
		const char *start = strstr(q, PATH_MARK);
		if (!start || !close || start > close)
			print_message("%s: an entry without .path\n", file);
		assert_true(start && close && start < close);
		start += strlen(PATH_MARK);
		const char *end = strchr(start, '"');
		assert_non_null(end);
		strlist_add_owned(paths, xstrndup(start, (size_t)(end - start)));
	}
	free(text);
}

/* Walk dir recursively, collecting entry paths from every .c file. */
static void
scan_dir(const char *dir, struct strlist *paths, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		print_message("cannot open %s\n", dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *full = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		assert_int_equal(stat(full, &st), 0);
		size_t len = strlen(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			scan_dir(full, paths, files);
		} else if (len > 2 && !strcmp(de->d_name + len - 2, ".c")) {
			(*files)++;
			entry_paths_in_file(full, paths);
		}
		free(full);
	}
	closedir(d);
}

static void
test_every_command_file_listed(void **state)
{
	struct strlist paths = STRLIST_INIT;
	size_t files = 0;
	(void)state;

	char *dir = fixture_path("../../src/cmd");
	scan_dir(dir, &paths, &files);
	free(dir);
	assert_true(files > 0);
	for (size_t i = 0; i < paths.len; i++) {
		if (!in_table(paths.items[i]))
			print_message("'%s' is defined under src/cmd but not in command_table\n",
				      paths.items[i]);
		assert_true(in_table(paths.items[i]));
	}
	/* and the table lists nothing that has no file */
	assert_int_equal(paths.len, command_table_len);
	strlist_release(&paths);
}

static size_t
count(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void
test_group_help(void **state)
{
	/* clang-format off */
	static const struct {
		const char *group;
		const char *lines[4];
	} cases[] = {
		{ "prefect",
		  { "usage: mahavishnu prefect <command> [options]\n\n"
		    "Work with a Prefect server or Prefect Cloud.\n\nCommands:\n",
		    "\n  dashboard       Show the Prefect UI's URL and check the server answers\n",
		    "\n  flow            Create, validate, run, list, inspect and delete flows\n",
		    "\nRun 'mahavishnu prefect <command> --help' for details.\n" } },
		{ "prefect flow",
		  { "usage: mahavishnu prefect flow <command> [options]\n",
		    "\n  create          Create a new flow\n",
		    "\n  list            List flows with their deployments and last run\n",
		    "\nRun 'mahavishnu prefect flow <command> --help' for details.\n" } },
		{ "",
		  { "usage: mahavishnu <command> [options]\n\n"
		    "A fast command-line client for Prefect.\n\nCommands:\n",
		    "\n  config          Show the effective configuration and where it comes from\n",
		    "\n  prefect         Work with a Prefect server or Prefect Cloud\n",
		    "\nGlobal options:\n" } },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *text = dispatch_group_help(cases[i].group);
		for (size_t j = 0; j < 4; j++) {
			if (!strstr(text, cases[i].lines[j]))
				print_message("'%s' lacks:\n%s\nin:\n%s\n", cases[i].group,
					      cases[i].lines[j], text);
			assert_non_null(strstr(text, cases[i].lines[j]));
		}
		free(text);
	}

	/* each child once, and nothing from deeper down */
	char *text = dispatch_group_help("prefect");
	assert_int_equal(count(text, "\n  flow "), 1);
	assert_int_equal(count(text, "\n  dashboard "), 1);
	assert_int_equal(count(text, "\n  create "), 0);
	free(text);
}

/* A standard stream sent to a temporary file while a command runs. */
struct capture {
	FILE *stream;
	FILE *file;
	int saved; /* the stream's own descriptor, to put back */
};

static void
capture_start(struct capture *c, FILE *stream)
{
	c->stream = stream;
	c->file = tmpfile();
	assert_non_null(c->file);
	fflush(stream);
	c->saved = dup(fileno(stream));
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->file), fileno(stream)) >= 0);
}

/* Put the stream back; what was written to it meanwhile, which the caller frees. */
static char *
capture_end(struct capture *c)
{
	fflush(c->stream);
	assert_true(dup2(c->saved, fileno(c->stream)) >= 0);
	close(c->saved);
	rewind(c->file);
	char *text = read_stream(c->file);
	fclose(c->file);
	return text;
}

struct run {
	int rc;
	char *out;
	char *err;
};

/* "mahavishnu PATH FLAG" run through dispatch_main(), as main() runs it. */
static void
run_help(const char *path, const char *flag, struct run *run)
{
	char *line = xasprintf("mahavishnu %s %s", path, flag);
	char *argv[MAX_WORDS + 1];
	char *save = NULL;
	int argc = 0;
	struct capture out, err;

	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		assert_true(argc < MAX_WORDS);
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	capture_start(&out, stdout);
	capture_start(&err, stderr);
	run->rc = dispatch_main(argc, argv);
	run->err = capture_end(&err);
	run->out = capture_end(&out);
	free(line);
}

static void
run_release(struct run *run)
{
	free(run->out);
	free(run->err);
}

/* Whether needle occurs in text (which may be NULL) before end. */
static int
occurs_before(const char *text, const char *end, const char *needle)
{
	const char *at = text ? strstr(text, needle) : NULL;
	return at && at < end;
}

/*
 * Every global option is listed under "Global options:", or under
 * "Options:" where the command's own option of that name hides it.
 */
static void
assert_global_options(const char *path, const char *help)
{
	static const char *const names[] = {
		"--output ", "--api-url ", "--config ", "--no-color ", "--verbose ", "--help ",
	};
	const char *globals = strstr(help, "\nGlobal options:\n");
	const char *own = strstr(help, "\nOptions:\n");

	if (!globals)
		print_message("'%s --help' lists no global options\n", path);
	assert_non_null(globals);
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		int listed = strstr(globals, names[i]) || occurs_before(own, globals, names[i]);
		if (!listed)
			print_message("'%s --help' does not list %s\n", path, names[i]);
		assert_true(listed);
	}
}

/* The usage line, the entry's help text and the global options, on stdout only. */
static void
assert_command_help(const struct cmd_entry *e, const struct run *run)
{
	char *usage = xasprintf("usage: mahavishnu %s ", e->path);

	if (run->rc != EXIT_OK || *run->err || strncmp(run->out, usage, strlen(usage)))
		print_message("'%s --help' exited %d\nstdout:\n%s\nstderr:\n%s\n", e->path, run->rc,
			      run->out, run->err);
	assert_int_equal(run->rc, EXIT_OK);
	assert_string_equal(run->err, "");
	assert_int_equal(strncmp(run->out, usage, strlen(usage)), 0);
	if (!e->help || !strstr(run->out, e->help))
		print_message("'%s --help' does not show the entry's help text\n", e->path);
	assert_true(e->help && strstr(run->out, e->help));
	assert_global_options(e->path, run->out);
	free(usage);
}

static void
test_every_command_help(void **state)
{
	(void)state;

	for (size_t i = 0; i < command_table_len; i++) {
		struct run full, brief;
		run_help(command_table[i]->path, "--help", &full);
		run_help(command_table[i]->path, "-h", &brief);
		assert_command_help(command_table[i], &full);
		assert_int_equal(brief.rc, full.rc);
		assert_string_equal(brief.out, full.out);
		assert_string_equal(brief.err, full.err);
		run_release(&full);
		run_release(&brief);
	}
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test(test_groups_described),
		cmocka_unit_test(test_every_command_file_listed),
		cmocka_unit_test(test_group_help),
		cmocka_unit_test(test_every_command_help),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
