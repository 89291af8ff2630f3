/*
 * Unit tests for reading commands' options (src/cli/introspect.c) and for
 * completion (src/cli/complete.c): every command of the table describes its
 * options without doing anything else; what completes after command words,
 * options, option values and positional arguments; live names asked for
 * only when a value of their kind is wanted, filtered by the word typed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/command_table.h"
#include "cli/complete.h"
#include "cli/introspect.h"
#include "core/buf.h"
#include "core/strlist.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_every_command_describes_its_options(void **state)
{
	(void)state;
	for (size_t i = 0; i < command_table_len; i++) {
		struct cmd_info info;
		if (cmd_describe(command_table[i], &info) < 0)
			fail_msg("'%s' did not reach cmd_parse()", command_table[i]->path);
		assert_true(info.globals_len >= 5);
		for (size_t j = 0; j < info.len; j++) {
			assert_non_null(info.opts[j].long_name);
			assert_non_null(info.opts[j].help);
		}
		cmd_info_release(&info);
	}
}

struct asked {
	enum complete_kind kinds[4];
	size_t len;
};

static void
fake_lookup(void *data, enum complete_kind kind, struct strlist *out)
{
	struct asked *a = data;
	if (a->len < ARRAY_LEN(a->kinds))
		a->kinds[a->len++] = kind;
	strlist_add(out, "etl\tflow");
	strlist_add(out, "etl-nightly");
	strlist_add(out, "reports");
}

/* The completion of the words (the last one under the cursor), joined by ' '. */
static char *
complete(struct asked *a, enum complete_kind *kind, const char *line)
{
	struct strlist words = STRLIST_INIT;
	struct completion c;
	strlist_split(&words, line, ' ');
	if (line[strlen(line) - 1] == ' ')
		strlist_add(&words, "");
	complete_words(words.items, words.len, fake_lookup, a, &c);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < c.items.len; i++)
		buf_addf(&b, "%s%.*s", i ? " " : "", (int)strcspn(c.items.items[i], "\t"),
			 c.items.items[i]);
	*kind = c.kind;
	completion_release(&c);
	strlist_release(&words);
	return buf_detach(&b);
}

static void
expect(const char *line, const char *want, enum complete_kind want_kind, size_t asked)
{
	struct asked a = { .len = 0 };
	enum complete_kind kind;
	char *got = complete(&a, &kind, line);
	if (strcmp(got, want) || kind != want_kind || a.len != asked)
		fail_msg("'%s': got '%s' (kind %d, %zu lookups), want '%s' (kind %d, %zu)", line,
			 got, kind, a.len, want, want_kind, asked);
	free(got);
}

static void
test_command_words_and_options(void **state)
{
	(void)state;
	expect("prefect fl", "flow flow-runs", COMPLETE_WORDS, 0);
	expect("prefect flow-runs list --li", "--limit", COMPLETE_WORDS, 0);
	expect("--no-c", "--no-color", COMPLETE_WORDS, 0);
	expect("-o j", "json jsonl", COMPLETE_WORDS, 0);
	expect("sweep st", "status", COMPLETE_WORDS, 0);
	expect("nosuch x", "", COMPLETE_WORDS, 0);
	expect("help prefect flow-runs l", "list logs", COMPLETE_WORDS, 0);
}

static void
test_values_by_kind(void **state)
{
	(void)state;
	expect("prefect flow get etl", "etl etl-nightly", COMPLETE_WORDS, 1);
	expect("prefect flow get etl ", "", COMPLETE_WORDS, 0); /* one FLOW only */
	expect("prefect flow-runs list --flow r", "reports", COMPLETE_WORDS, 1);
	expect("prefect flow-runs list --state cra", "crashed", COMPLETE_WORDS, 0);
	expect("prefect flow-runs list -s late --limit ", "", COMPLETE_WORDS, 0);
	expect("prefect flow validate ", "", COMPLETE_FILES, 0);
	expect("--config ", "", COMPLETE_FILES, 0);
	expect("prefect flow-runs list --limit 5 --flow ", "etl etl-nightly reports",
	       COMPLETE_WORDS, 1);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_describes_its_options),
		cmocka_unit_test(test_command_words_and_options),
		cmocka_unit_test(test_values_by_kind),
	};
	/* clang-format on */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
