/*
 * Unit tests for the declarative option parser (src/cli/options.c): every
 * usage error message, the accepted spellings of options and values, a
 * command's options shadowing global ones, -h/--help, and the generated
 * usage and help text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cli/options.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Where the parser stores a command's options and the global ones. */
struct values {
	const char *name, *color, *config, *queue, *flow, *extra;
	int all, yes, open, debug;
	long limit;
	struct strlist tags;
};

struct global_values {
	const char *output, *config, *api_url;
	int verbose;
};

static struct values v;
static struct global_values g;

static const char *const colors[] = { "red", "green", "blue", NULL };
static const char *const formats[] = { "table", "json", NULL };

/*
 * The command's table: -o is its own --open (the global -o/--output keeps
 * only its long name) and --config is its own (the global one is hidden).
 */
/* clang-format off */
static const struct opt_spec specs[] = {
	OPT_NAME_REQ('n', "name", &v.name, "NAME", "Flow name"),
	OPT_FLAG('a', "all", &v.all, "Show all"),
	OPT_FLAG('y', "yes", &v.yes, "Do not ask"),
	OPT_FLAG('o', "open", &v.open, "Open in a browser"),
	OPT_NUM('l', "limit", &v.limit, "N", "Rows to show", 1, 200),
	OPT_ONE_OF('c', "color", &v.color, "COLOR", "Colour", colors),
	OPT_MULTI('t', "tag", &v.tags, "TAG", "A tag (repeatable)"),
	OPT_STR(0, "config", &v.config, "PATH", "The command's own config"),
	OPT_STR(0, "work-queue-name", &v.queue, "QUEUE_NAME", "Work queue"),
	{ OPT_BOOL, 0, "debug-dump", &v.debug, NULL, "Internal", OPT_HIDDEN, 0, 0, NULL },
	OPT_POS_NAME("FLOW", &v.flow, "Flow name"),
	OPT_POS_OPTIONAL("EXTRA", &v.extra, "Anything else"),
	OPT_TABLE_END,
};
/* clang-format on */

/* clang-format off */
static const struct opt_spec globals[] = {
	OPT_ONE_OF('o', "output", &g.output, "FORMAT", "Output format", formats),
	OPT_FLAG('v', "verbose", &g.verbose, "Trace HTTP requests"),
	OPT_STR(0, "config", &g.config, "FILE", "Settings file"),
	OPT_STR(0, "api-url", &g.api_url, "URL", "Prefect API URL"),
	OPT_TABLE_END,
};
/* clang-format on */

static const struct opt_spec no_specs[] = { OPT_TABLE_END };

static void
reset_values(void)
{
	strlist_release(&v.tags);
	memset(&v, 0, sizeof(v));
	memset(&g, 0, sizeof(g));
}

static int
teardown(void **state)
{
	(void)state;
	reset_values();
	return 0;
}

/* Parse the space-separated words of line; args keeps the words alive. */
static int
parse_line(const char *line, struct strlist *args, int *help, struct error *err)
{
	reset_values();
	strlist_split(args, line, ' ');
	return opt_parse(specs, globals, (int)args->len, args->items, help, err);
}

static void
test_errors(void **state)
{
	/* clang-format off */
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		/* unknown long options, with a suggestion when one is near */
		{ "--nmae x F", "unknown option '--nmae' (did you mean '--name'?)" },
		{ "--nam=x F", "unknown option '--nam' (did you mean '--name'?)" },
		{ "-n x F --lmit 5", "unknown option '--lmit' (did you mean '--limit'?)" },
		{ "--outptu json", "unknown option '--outptu' (did you mean '--output'?)" },
		{ "--bogus", "unknown option '--bogus'" },
		{ "--zzzzzzzz=1 -n x F", "unknown option '--zzzzzzzz'" },
		/* unknown short options, alone or in a group */
		{ "-z", "unknown option '-z'" },
		{ "-n x F -az", "unknown option '-z'" },
		/* a value missing at the end of the line */
		{ "F -n", "option '--name' needs a value NAME" },
		{ "F -n x --limit", "option '--limit' needs a value N" },
		{ "F -n x -t", "option '--tag' needs a value TAG" },
		/* a flag given a value */
		{ "F -n x --all=1", "option '--all' takes no value" },
		{ "F -n x --yes=", "option '--yes' takes no value" },
		/* whole numbers and their range */
		{ "F -n x --limit=abc", "option '--limit': 'abc' is not a whole number" },
		{ "F -n x --limit=", "option '--limit': '' is not a whole number" },
		{ "F -n x -l 12x", "option '--limit': '12x' is not a whole number" },
		{ "F -n x -l 1.5", "option '--limit': '1.5' is not a whole number" },
		{ "F -n x -l 99999999999999999999",
		  "option '--limit': '99999999999999999999' is not in 1..200" },
		{ "F -n x --limit 0", "option '--limit': '0' is not in 1..200" },
		{ "F -n x -l201", "option '--limit': '201' is not in 1..200" },
		{ "F -n x --limit -3", "option '--limit': '-3' is not in 1..200" },
		/* names the server keeps hold no control characters */
		{ "F -n a\001b", "option '--name': a name cannot hold control characters (0x01 at byte 2)" },
		{ "a\x7f -n x", "FLOW: a name cannot hold control characters (0x7f at byte 2)" },
		/* choices */
		{ "F -n x --color purple", "option '--color': 'purple' is not one of red, green, blue" },
		{ "F -n x -cRED", "option '--color': 'RED' is not one of red, green, blue" },
		{ "F -n x --output=yaml", "option '--output': 'yaml' is not one of table, json" },
		/* required options and positional arguments */
		{ "F", "option '--name' is required" },
		{ "F -a -t x", "option '--name' is required" },
		{ "-n x", "missing argument FLOW" },
		{ "-n x --all", "missing argument FLOW" },
		{ "-n x F E extra", "unexpected argument 'extra'" },
		{ "-n x F E -- -y", "unexpected argument '-y'" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist args = STRLIST_INIT;
		struct error err = ERROR_INIT;
		int help = -1;
		int rc = parse_line(cases[i].line, &args, &help, &err);
		if (rc != -1 || strcmp(err.message, cases[i].message) != 0)
			print_message("case %zu: %s\n", i, cases[i].line);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_USAGE);
		assert_string_equal(err.message, cases[i].message);
		assert_int_equal(help, 0);
		strlist_release(&args);
	}
}

/* What a parse left behind, as one line that names every field set. */
struct outcome {
	const char *name, *flow, *extra, *color, *config, *queue, *tags;
	int all, yes, open, debug;
	long limit;
	const char *g_output, *g_config, *g_api_url;
	int g_verbose;
};

static void
describe(struct buf *out, const struct outcome *o)
{
	/* clang-format off */
	const char *const strs[][2] = {
		{ "name", o->name }, { "flow", o->flow }, { "extra", o->extra },
		{ "color", o->color }, { "config", o->config }, { "queue", o->queue },
		{ "tags", o->tags }, { "g.output", o->g_output }, { "g.config", o->g_config },
		{ "g.api_url", o->g_api_url },
	};
	/* clang-format on */
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (strs[i][1])
			buf_addf(out, "%s=%s ", strs[i][0], strs[i][1]);
	buf_addf(out, "all=%d yes=%d open=%d debug=%d limit=%ld g.verbose=%d", o->all, o->yes,
		 o->open, o->debug, o->limit, o->g_verbose);
}

static void
test_accepted(void **state)
{
	/* clang-format off */
	static const struct {
		const char *line;
		struct outcome want;
	} cases[] = {
		/* the four spellings of an option with a value */
		{ "--name=x F", { .name = "x", .flow = "F" } },
		{ "--name x F", { .name = "x", .flow = "F" } },
		{ "-n x F", { .name = "x", .flow = "F" } },
		{ "-nx F", { .name = "x", .flow = "F" } },
		{ "F --name=a=b", { .name = "a=b", .flow = "F" } },
		{ "F E -n x", { .name = "x", .flow = "F", .extra = "E" } },
		/* combined short flags, with a value-taking letter last */
		{ "-ay -n x F", { .name = "x", .flow = "F", .all = 1, .yes = 1 } },
		{ "-aynx F", { .name = "x", .flow = "F", .all = 1, .yes = 1 } },
		{ "-ayn x F", { .name = "x", .flow = "F", .all = 1, .yes = 1 } },
		{ "-a --all -n x F", { .name = "x", .flow = "F", .all = 1 } },
		/* "--" ends the options; a lone "-" is an argument */
		{ "-n x -- -F --all", { .name = "x", .flow = "-F", .extra = "--all" } },
		{ "-n x -- F", { .name = "x", .flow = "F" } },
		{ "-n x -", { .name = "x", .flow = "-" } },
		/* a repeatable option collects every value in order */
		{ "-t a --tag b -tc --tag=d -n x F", { .name = "x", .flow = "F", .tags = "a,b,c,d" } },
		/* numbers and choices */
		{ "-l 5 -n x F", { .name = "x", .flow = "F", .limit = 5 } },
		{ "--limit=200 -n x F", { .name = "x", .flow = "F", .limit = 200 } },
		{ "-l1 -n x F", { .name = "x", .flow = "F", .limit = 1 } },
		{ "-l 007 -n x F", { .name = "x", .flow = "F", .limit = 7 } },
		{ "--color=green -n x F", { .name = "x", .flow = "F", .color = "green" } },
		{ "-c blue -n x F", { .name = "x", .flow = "F", .color = "blue" } },
		/* the command's -o (--open) wins over the global -o (--output) */
		{ "-o -n x F", { .name = "x", .flow = "F", .open = 1 } },
		{ "-ao -n x F", { .name = "x", .flow = "F", .all = 1, .open = 1 } },
		{ "--open -n x F", { .name = "x", .flow = "F", .open = 1 } },
		{ "--output json -n x F", { .name = "x", .flow = "F", .g_output = "json" } },
		{ "--output=table -o -n x F",
		  { .name = "x", .flow = "F", .open = 1, .g_output = "table" } },
		/* the command's --config wins over the global --config */
		{ "--config c.yaml -n x F", { .name = "x", .flow = "F", .config = "c.yaml" } },
		/* other global options */
		{ "-v -n x F", { .name = "x", .flow = "F", .g_verbose = 1 } },
		{ "-vay -n x F", { .name = "x", .flow = "F", .all = 1, .yes = 1, .g_verbose = 1 } },
		{ "--verbose --api-url http://h/api -n x F",
		  { .name = "x", .flow = "F", .g_api_url = "http://h/api", .g_verbose = 1 } },
		/* a hidden option is still accepted */
		{ "--debug-dump -n x F", { .name = "x", .flow = "F", .debug = 1 } },
		{ "--work-queue-name q -n x F", { .name = "x", .flow = "F", .queue = "q" } },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist args = STRLIST_INIT;
		struct error err = ERROR_INIT;
		struct buf got = BUF_INIT, want = BUF_INIT, tags = BUF_INIT;
		int help = -1;
		int rc = parse_line(cases[i].line, &args, &help, &err);
		if (rc != 0)
			print_message("case %zu: %s: %s\n", i, cases[i].line, err.message);
		assert_int_equal(rc, 0);
		assert_int_equal(help, 0);
		assert_int_equal(err.kind, ERROR_NONE);

		for (size_t j = 0; j < v.tags.len; j++)
			buf_addf(&tags, "%s%s", j ? "," : "", v.tags.items[j]);
		const struct outcome seen = {
			.name = v.name,
			.flow = v.flow,
			.extra = v.extra,
			.color = v.color,
			.config = v.config,
			.queue = v.queue,
			.tags = v.tags.len ? tags.data : NULL,
			.all = v.all,
			.yes = v.yes,
			.open = v.open,
			.debug = v.debug,
			.limit = v.limit,
			.g_output = g.output,
			.g_config = g.config,
			.g_api_url = g.api_url,
			.g_verbose = g.verbose,
		};
		describe(&got, &seen);
		describe(&want, &cases[i].want);
		if (strcmp(buf_str(&got), buf_str(&want)) != 0)
			print_message("case %zu: %s\n", i, cases[i].line);
		assert_string_equal(buf_str(&got), buf_str(&want));
		buf_release(&got);
		buf_release(&want);
		buf_release(&tags);
		strlist_release(&args);
	}
}

static void
test_values_point_into_argv(void **state)
{
	struct strlist args = STRLIST_INIT;
	struct error err = ERROR_INIT;
	int help;
	(void)state;

	assert_int_equal(parse_line("-nx --color red --output json F", &args, &help, &err), 0);
	/* strings point into argv; choices point at the table's own strings */
	assert_ptr_equal(v.name, args.items[0] + 2);
	assert_ptr_equal(v.flow, args.items[5]);
	assert_ptr_equal(v.color, colors[0]);
	assert_ptr_equal(g.output, formats[1]);
	strlist_release(&args);
}

static void
test_help(void **state)
{
	/* clang-format off */
	static const struct {
		const char *line;
		int all;
		const char *flow;
	} cases[] = {
		{ "-h", 0, NULL },
		{ "--help", 0, NULL },
		{ "--help=x", 0, NULL },
		{ "-ah", 1, NULL },
		{ "F -h", 0, "F" },
		{ "-h --bogus", 0, NULL },
		{ "-n x --help -z", 0, NULL },
		{ "--all -h -l 0", 1, NULL },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist args = STRLIST_INIT;
		struct error err = ERROR_INIT;
		int help = -1;
		int rc = parse_line(cases[i].line, &args, &help, &err);
		if (rc != 0 || help != 1)
			print_message("case %zu: %s\n", i, cases[i].line);
		assert_int_equal(rc, 0);
		assert_int_equal(help, 1);
		assert_int_equal(err.kind, ERROR_NONE);
		assert_int_equal(v.all, cases[i].all);
		if (cases[i].flow)
			assert_string_equal(v.flow, cases[i].flow);
		else
			assert_null(v.flow);
		strlist_release(&args);
	}

	/* after "--", -h is an argument */
	struct strlist args = STRLIST_INIT;
	struct error err = ERROR_INIT;
	int help = -1;
	assert_int_equal(parse_line("-n x -- -h", &args, &help, &err), 0);
	assert_int_equal(help, 0);
	assert_string_equal(v.flow, "-h");
	strlist_release(&args);
}

static void
test_no_specs(void **state)
{
	struct error err = ERROR_INIT;
	int help = -1;
	char *args[] = { (char *)"-o", (char *)"json", (char *)"-v" };
	(void)state;

	reset_values();
	assert_int_equal(opt_parse(no_specs, globals, 3, args, &help, &err), 0);
	assert_string_equal(g.output, "json");
	assert_int_equal(g.verbose, 1);

	char *extra[] = { (char *)"word" };
	assert_int_equal(opt_parse(no_specs, globals, 1, extra, &help, &err), -1);
	assert_string_equal(err.message, "unexpected argument 'word'");

	assert_int_equal(opt_parse(NULL, NULL, 0, NULL, &help, &err), 0);
	assert_int_equal(help, 0);
}

static void
test_usage(void **state)
{
	/* clang-format off */
	static const struct opt_spec two_required[] = {
		OPT_POS_OPTIONAL("WHAT", &v.extra, "What"),
		OPT_STR_REQ('n', "name", &v.name, "NAME", "Name"),
		OPT_ONE_OF('c', "color", &v.color, "COLOR", "Colour", colors),
		OPT_POS("FLOW", &v.flow, "Flow"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	/* clang-format off */
	static const struct {
		const char *path;
		const struct opt_spec *specs;
		const char *out;
	} cases[] = {
		{ "prefect flow create", specs,
		  "usage: mahavishnu prefect flow create --name NAME [options] FLOW [EXTRA]\n" },
		{ "config show", no_specs, "usage: mahavishnu config show [options]\n" },
		{ "x y", two_required, "usage: mahavishnu x y --name NAME [options] [WHAT] FLOW\n" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		opt_usage(&b, cases[i].path, cases[i].specs);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_help_text(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	opt_help(&b, "prefect flow create", "Create a flow.\nIt has a name.", specs, globals);
	assert_string_equal(
		buf_str(&b),
		"usage: mahavishnu prefect flow create --name NAME [options] FLOW [EXTRA]\n"
		"\n"
		"Create a flow.\n"
		"It has a name.\n"
		"\n"
		"Arguments:\n"
		"  FLOW                      Flow name\n"
		"  EXTRA                     Anything else\n"
		"\n"
		"Options:\n"
		"  -n, --name NAME           Flow name [required]\n"
		"  -a, --all                 Show all\n"
		"  -y, --yes                 Do not ask\n"
		"  -o, --open                Open in a browser\n"
		"  -l, --limit N             Rows to show\n"
		"  -c, --color COLOR         Colour (red, green, blue)\n"
		"  -t, --tag TAG             A tag (repeatable)\n"
		"      --config PATH         The command's own config\n"
		"      --work-queue-name QUEUE_NAME\n"
		"                            Work queue\n"
		"\n"
		"Global options:\n"
		"      --output FORMAT       Output format (table, json)\n"
		"  -v, --verbose             Trace HTTP requests\n"
		"      --api-url URL         Prefect API URL\n"
		"  -h, --help                Show this help\n");
	buf_release(&b);

	/* no options of its own: every global keeps its letter */
	opt_help(&b, "config show", NULL, no_specs, globals);
	assert_string_equal(buf_str(&b), "usage: mahavishnu config show [options]\n"
					 "\n"
					 "Global options:\n"
					 "  -o, --output FORMAT       Output format (table, json)\n"
					 "  -v, --verbose             Trace HTTP requests\n"
					 "      --config FILE         Settings file\n"
					 "      --api-url URL         Prefect API URL\n"
					 "  -h, --help                Show this help\n");
	buf_release(&b);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_accepted, teardown),
		cmocka_unit_test_teardown(test_values_point_into_argv, teardown),
		cmocka_unit_test_teardown(test_help, teardown),
		cmocka_unit_test_teardown(test_no_specs, teardown),
		cmocka_unit_test_teardown(test_usage, teardown),
		cmocka_unit_test_teardown(test_help_text, teardown),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
