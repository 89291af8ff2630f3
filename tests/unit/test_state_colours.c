/*
 * docs/output.md's table of state looks (type | symbol | colour | names)
 * checked against ui/state.c: every one of Prefect's nine state types is in
 * the table once, with the symbol and colour state_symbol and state_style
 * give it, and every state name listed is labelled with its type's symbol.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_helpers.h"
#include "ui/state.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define TABLE_HEADER "| type | symbol | colour | state names with this look |"

/* Prefect's StateType (prefect/client/schemas/objects.py). */
static const char *const prefect_types[] = {
	"SCHEDULED", "PENDING", "RUNNING", "COMPLETED",  "FAILED",
	"CANCELLED", "CRASHED", "PAUSED",  "CANCELLING",
};

static const struct {
	const char *name;
	enum style style;
} colours[] = {
	{ "green", STYLE_SUCCESS }, { "red", STYLE_FAILURE }, { "yellow", STYLE_PROGRESS },
	{ "blue", STYLE_INFO },     { "cyan", STYLE_NAME },   { "magenta", STYLE_META },
};

static char *
read_doc(void)
{
	char *path = fixture_path("../../docs/output.md");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = calloc(1, 1 << 20);
	size_t n = fread(text, 1, (1 << 20) - 1, f);
	assert_true(n > 0);
	fclose(f);
	free(path);
	return text;
}

/* The cells of one "| a | b | c | d |" line, trimmed, into cells (at most max). */
static size_t
split_row(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *c = strtok_r(line, "|", &save); c && n < max; c = strtok_r(NULL, "|", &save)) {
		while (*c == ' ')
			c++;
		char *end = c + strlen(c);
		while (end > c && (end[-1] == ' ' || end[-1] == '\n'))
			*--end = '\0';
		if (*c)
			cells[n++] = c;
	}
	return n;
}

static enum style
colour_style(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(colours); i++)
		if (!strcmp(colours[i].name, name))
			return colours[i].style;
	fail_msg("unknown colour '%s' in docs/output.md", name);
	return STYLE_NONE;
}

/* Each name of a comma-separated list is labelled "<symbol> <name>". */
static void
check_names(char *names, const char *type, const char *symbol)
{
	char *save = NULL;
	for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		struct buf label = BUF_INIT, want = BUF_INIT;
		while (*n == ' ')
			n++;
		state_label(&label, type, n);
		buf_addf(&want, "%s %s", symbol, n);
		assert_string_equal(buf_str(&label), buf_str(&want));
		buf_release(&label);
		buf_release(&want);
	}
}

static void
test_doc_table_matches_state_c(void **state)
{
	(void)state;
	char *doc = read_doc();
	char *table = strstr(doc, TABLE_HEADER);
	int seen[ARRAY_LEN(prefect_types)] = { 0 };
	assert_non_null(table);
	char *line = strchr(strchr(table, '\n') + 1, '\n') + 1; /* after the |---| rule */
	while (line && strstr(line, "  | ") == line) {
		char *next = strchr(line, '\n');
		char *cells[4];
		if (next)
			*next = '\0';
		assert_int_equal(split_row(line, cells, 4), 4);
		size_t t = 0;
		while (t < ARRAY_LEN(prefect_types) && strcmp(prefect_types[t], cells[0]))
			t++;
		assert_true(t < ARRAY_LEN(prefect_types)); /* a type Prefect has */
		seen[t]++;
		assert_string_equal(state_symbol(cells[0]), cells[1]);
		assert_int_equal(state_style(cells[0]), colour_style(cells[2]));
		check_names(cells[3], cells[0], cells[1]);
		line = next ? next + 1 : NULL;
	}
	for (size_t t = 0; t < ARRAY_LEN(prefect_types); t++)
		assert_int_equal(seen[t], 1);
	free(doc);
}

/* Waiting is yellow, as the spec's colour list says; blue stays for information. */
static void
test_waiting_states_are_yellow(void **state)
{
	(void)state;
	assert_int_equal(state_style("SCHEDULED"), STYLE_PROGRESS);
	assert_int_equal(state_style("PENDING"), STYLE_PROGRESS);
	assert_int_equal(state_style("PAUSED"), STYLE_PROGRESS);
	for (size_t t = 0; t < ARRAY_LEN(prefect_types); t++)
		assert_int_not_equal(state_style(prefect_types[t]), STYLE_INFO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_table_matches_state_c),
		cmocka_unit_test(test_waiting_states_are_yellow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
