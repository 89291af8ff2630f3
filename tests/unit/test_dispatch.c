/*
 * Unit tests for the command table and group listings (src/cli/
 * command_table.c, src/cli/dispatch.c): the table is sorted without
 * duplicates, every group of a command path is described, every command
 * file under src/cmd/ is listed, and group help lists a group's children.
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

#include "cli/command_table.h"
#include "cli/dispatch.h"
#include "core/buf.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "test_helpers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
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
		/* a path is either a command or a group, never both */
		if (is_group(e->path))
			print_message("%s is a command and a group\n", e->path);
		assert_false(is_group(e->path));
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

/*
 * The .path strings of the command entries a source file defines: each
 * "const struct cmd_entry cmd_NAME = { ... };" (declarations are skipped).
 */
static void
entry_paths_in_file(const char *file, struct strlist *paths)
{
	FILE *f = fopen(file, "r");
	struct buf text = BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	fclose(f);
	for (const char *p = strstr(buf_str(&text), ENTRY_MARK); p; p = strstr(p + 1, ENTRY_MARK)) {
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
	buf_release(&text);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test(test_groups_described),
		cmocka_unit_test(test_every_command_file_listed),
		cmocka_unit_test(test_group_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
