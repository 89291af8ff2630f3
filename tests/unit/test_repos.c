/*
 * Unit tests for the repository registry (src/core/repos.c): which file is
 * read, paths resolved against the file's folder and home, other fields
 * kept, tags, and the errors with file:line. Files live in a fresh
 * temporary directory per test.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/repos.h"
#include "core/xalloc.h"
#include "test_helpers.h"

static char tmp_dir[64];
static struct repo_registry reg;
static struct error err;

static void
write_file(const char *rel, const char *text)
{
	scratch_write(tmp_dir, rel, text);
}

static int
setup(void **state)
{
	(void)state;
	if (scratch_make(tmp_dir, sizeof(tmp_dir), "repos") < 0)
		return -1;
	char *settings = xasprintf("%s/settings", tmp_dir);
	int rc = mkdir(settings, 0700);
	free(settings);
	error_clear(&err);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	repo_registry_release(&reg);
	return scratch_remove(tmp_dir);
}

static int
load(const char *file)
{
	repo_registry_release(&reg);
	error_clear(&err);
	return repo_registry_load(&reg, file, tmp_dir, "/home/u", &err);
}

static void
test_paths_tags_and_other_fields(void **state)
{
	(void)state;
	write_file("settings/repos.yaml", "repos:\n"
					  "  - name: a\n"
					  "    path: ../code/./a/\n"
					  "    tags: [backend, x, backend]\n"
					  "    owner: {team: core}\n"
					  "  - name: b\n"
					  "    path: ~/b\n"
					  "    description: bee\n"
					  "  - name: c\n"
					  "    path: /abs/../c\n");
	assert_int_equal(load(NULL), 0);
	assert_int_equal(reg.len, 3);
	char *a = xasprintf("%s/code/a", tmp_dir);
	assert_string_equal(reg.repos[0].path, a);
	free(a);
	assert_string_equal(reg.repos[1].path, "/home/u/b");
	assert_string_equal(reg.repos[2].path, "/c");
	assert_int_equal(reg.repos[0].tags.len, 2); /* repeats dropped */
	assert_true(repo_has_tag(&reg.repos[0], "backend"));
	assert_false(repo_has_tag(&reg.repos[0], "Backend"));
	assert_int_equal(reg.repos[1].line, 6);
	assert_ptr_equal(repo_registry_find(&reg, "c"), &reg.repos[2]);
	assert_null(repo_registry_find(&reg, "d"));
	json_t *doc = repo_json(&reg.repos[0]);
	assert_string_equal(json_str_path(doc, "owner.team"), "core");
	assert_true(json_is_null(json_object_get(doc, "description")));
	json_decref(doc);
}

/* A path or description given twice: the last one counts, the first is not leaked (fuzz_config). */
static void
test_field_given_twice(void **state)
{
	(void)state;
	write_file("settings/repos.yaml", "repos:\n"
					  "  - name: a\n"
					  "    path: ~/first\n"
					  "    description: one\n"
					  "    path: ~/second\n"
					  "    description: two\n");
	assert_int_equal(load(NULL), 0);
	assert_int_equal(reg.len, 1);
	assert_string_equal(reg.repos[0].path, "/home/u/second");
	assert_string_equal(reg.repos[0].description, "two");
}

static void
test_ecosystem_first_and_explicit_file(void **state)
{
	(void)state;
	write_file("settings/repos.yaml", "repos:\n  - {name: r, path: /r}\n");
	write_file("settings/ecosystem.yaml", "version: 1\nrepos:\n  - {name: e, path: /e}\n");
	assert_int_equal(load(NULL), 0);
	assert_string_equal(reg.repos[0].name, "e");
	char *other = xasprintf("%s/settings/repos.yaml", tmp_dir);
	assert_int_equal(load(other), 0);
	assert_string_equal(reg.repos[0].name, "r");
	assert_string_equal(reg.file, other);
	free(other);
}

static void
assert_fails(const char *text, int line, const char *problem)
{
	write_file("settings/repos.yaml", text);
	assert_int_equal(load(NULL), -1);
	assert_int_equal(err.kind, ERROR_CONFIG);
	char *want = xasprintf("%s/settings/repos.yaml:%d: %s", tmp_dir, line, problem);
	assert_string_equal(err.message, want);
	free(want);
}

static void
test_errors_name_file_and_line(void **state)
{
	(void)state;
	assert_fails("repos:\n  - name: a\n", 2, "repository 'a' has no 'path'");
	assert_fails("repos:\n  - {name: a, path: /a}\n  - {name: a, path: /b}\n", 3,
		     "repository name 'a' is also used at line 2");
	assert_fails("repos:\n  - {name: a, path: /a}\n  - {name: b, path: /x/../a}\n", 3,
		     "path '/a' is also the path of line 2");
	assert_fails("repos: {a: 1}\n", 1, "'repos' must be a list of repositories");
	assert_fails("other: 1\n", 1, "no 'repos' list");
	assert_fails("[1]\n", 1, "a repository registry is a mapping with a 'repos' list");
	assert_fails("repos:\n  - {name: a, path: /a, tags: [{x: 1}]}\n", 2,
		     "a tag of repository 'a' must be a string");
	assert_fails("repos:\n  - {name: [a], path: /a}\n", 2,
		     "'name' of a repository must be a string");
	assert_fails("repos:\n  - {path: /a}\n", 2, "a repository has no 'name'");
}

/* Aliases may multiply an entry's other fields; the copy stops at a bound. */
static void
test_alias_bomb_is_refused(void **state)
{
	(void)state;
	struct buf text = BUF_INIT;
	buf_adds(&text, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 8; i++)
		buf_addf(&text, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i,
			 i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	buf_adds(&text, "repos:\n  - name: a\n    path: /a\n    big: *a7\n");
	write_file("settings/repos.yaml", buf_str(&text));
	buf_release(&text);
	assert_int_equal(load(NULL), -1);
	assert_non_null(strstr(err.message, "'big' of repository 'a' is too large"));
}

static void
test_missing_file_has_a_hint(void **state)
{
	(void)state;
	assert_int_equal(load(NULL), -1);
	assert_non_null(strstr(err.message, "cannot read repository registry"));
	assert_non_null(strstr(err.message, "settings/repos.yaml"));
	assert_non_null(strstr(err.hint, "repos_path"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths_tags_and_other_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_given_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecosystem_first_and_explicit_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors_name_file_and_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_bomb_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_has_a_hint, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
