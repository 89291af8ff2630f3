/*
 * Unit tests for what mahavishnu keeps on the local machine and the small
 * system helpers around it: the flow registry file (core/flow_registry.c),
 * background processes tracked by pid files (core/daemon.c), starting
 * programs (core/spawn.c), password masking in URLs (core/url.c), random
 * UUIDs (core/uuid.c), and --since values and UTC formatting
 * (core/isotime.c).
 *
 * Everything on disk lives in a fresh directory under /tmp that the
 * teardown removes (stopping any daemon first), also when a test fails;
 * paths come from fake getenv functions, never from the real environment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd/prefect/flow_registry.h"
#include "core/buf.h"
#include "core/daemon.h"
#include "core/error.h"
#include "core/isotime.h"
#include "core/spawn.h"
#include "core/url.h"
#include "core/uuid.h"
#include "test_helpers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2026-11-26T07:06:56Z */
#define T0 1795676816.0
#define NO_SUCH_PROGRAM "mahavishnu-test-no-such-program"
/* A modifiable copy of a string literal, for argv and environment entries. */
#define ARG(s) ((char[]){ s })

/* ---- fixtures: a temporary directory, removed with what is in it ---- */

/* Daemon names the tests use; the teardown stops them all. */
static const char *const daemon_names[] = { "sleeper", "echoer", "ghost" };

struct tmp {
	char dir[64];    /* /tmp/mahavishnu-ut-XXXXXX */
	char path[256];  /* scratch path inside dir */
	char state[256]; /* dir/state/mahavishnu: a daemon state directory */
};

static int
setup_tmp(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	if (scratch_make(t->dir, sizeof(t->dir), "ut") < 0) {
		free(t);
		return -1;
	}
	snprintf(t->state, sizeof(t->state), "%s/state/mahavishnu", t->dir);
	*state = t;
	return 0;
}

static int
teardown_tmp(void **state)
{
	struct tmp *t = *state;
	int rc = 0;
	for (size_t i = 0; i < ARRAY_LEN(daemon_names); i++) {
		struct error err = ERROR_INIT;
		int was_running = 0;
		if (daemon_stop(t->state, daemon_names[i], 1.0, &was_running, &err) < 0)
			rc = -1;
	}
	if (scratch_remove(t->dir) < 0)
		rc = -1;
	free(t);
	return rc;
}

/* Write text to path (created or truncated). */
static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The whole content of a file, or NULL when it cannot be read; caller frees. */
static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	if (!f)
		return NULL;
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(f);
	fclose(mem);
	return text;
}

static int
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- a fake environment ---- */

#define MAX_ENV 8

static void
test_paths_from_environment(void **state)
{
	/* clang-format off */
	static const struct {
		const char *env[MAX_ENV];
		const char *registry;
		const char *state_dir;
	} cases[] = {
		{ { "HOME", "/home/u" }, "/home/u/.local/share/mahavishnu/flows.json",
		  "/home/u/.local/state/mahavishnu" },
		{ { "HOME", "/home/u", "XDG_DATA_HOME", "/xdg/data", "XDG_STATE_HOME", "/xdg/state" },
		  "/xdg/data/mahavishnu/flows.json", "/xdg/state/mahavishnu" },
		{ { "XDG_DATA_HOME", "/d", "XDG_STATE_HOME", "/s" }, "/d/mahavishnu/flows.json",
		  "/s/mahavishnu" },
		/* only one of the two set */
		{ { "HOME", "/h", "XDG_DATA_HOME", "/d" }, "/d/mahavishnu/flows.json",
		  "/h/.local/state/mahavishnu" },
		{ { "HOME", "/h", "XDG_STATE_HOME", "/s" }, "/h/.local/share/mahavishnu/flows.json",
		  "/s/mahavishnu" },
		/* relative or empty XDG paths are ignored, as the spec says */
		{ { "HOME", "/h", "XDG_DATA_HOME", "rel/data", "XDG_STATE_HOME", "rel/state" },
		  "/h/.local/share/mahavishnu/flows.json", "/h/.local/state/mahavishnu" },
		{ { "HOME", "/h", "XDG_DATA_HOME", "", "XDG_STATE_HOME", "" },
		  "/h/.local/share/mahavishnu/flows.json", "/h/.local/state/mahavishnu" },
		/* no home at all: the current directory */
		{ { NULL }, "./.local/share/mahavishnu/flows.json", "./.local/state/mahavishnu" },
		{ { "HOME", "" }, "./.local/share/mahavishnu/flows.json", "./.local/state/mahavishnu" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		fake_env_reset(cases[i].env);
		char *registry = flow_registry_path(fake_getenv);
		char *state_dir = daemon_state_dir(fake_getenv);
		if (strcmp(registry, cases[i].registry) != 0 ||
		    strcmp(state_dir, cases[i].state_dir) != 0)
			print_message("case %zu: %s %s\n", i, registry, state_dir);
		assert_string_equal(registry, cases[i].registry);
		assert_string_equal(state_dir, cases[i].state_dir);
		free(registry);
		free(state_dir);
	}
	fake_env_reset(NULL);
}

/* ---- flow registry ---- */

#define API_A "http://127.0.0.1:4200/api"
#define API_B "https://prefect.example.com/api"

/* Assert what a lookup finds: the entrypoint, or NULL for "not found". */
static void
expect_lookup(const char *path, const char *api_url, const char *flow, const char *want)
{
	struct error err = ERROR_INIT;
	char *out = (char *)"unset";
	int rc = flow_registry_lookup(path, api_url, flow, &out, &err);
	if (rc < 0)
		print_message("lookup %s %s: %s\n", api_url, flow, err.message);
	assert_int_equal(rc, want ? 1 : 0);
	assert_int_equal(err.kind, ERROR_NONE);
	if (want)
		assert_string_equal(out, want);
	else
		assert_null(out);
	free(out);
}

static void
record(const char *path, const char *api_url, const char *flow, const char *entrypoint)
{
	struct error err = ERROR_INIT;
	int rc = flow_registry_record(path, api_url, flow, entrypoint, &err);
	if (rc < 0)
		print_message("record %s %s: %s\n", api_url, flow, err.message);
	assert_int_equal(rc, 0);
}

static void
test_registry_missing_file(void **state)
{
	struct tmp *t = *state;

	snprintf(t->path, sizeof(t->path), "%s/flows.json", t->dir);
	expect_lookup(t->path, API_A, "etl", NULL);
	/* a directory that does not exist either */
	snprintf(t->path, sizeof(t->path), "%s/no/such/dir/flows.json", t->dir);
	expect_lookup(t->path, API_A, "etl", NULL);
	/* looking up creates nothing */
	snprintf(t->path, sizeof(t->path), "%s/no", t->dir);
	assert_false(exists(t->path));
}

static void
test_registry_record_and_lookup(void **state)
{
	struct tmp *t = *state;
	json_error_t jerr;

	/* the parent directories are created */
	snprintf(t->path, sizeof(t->path), "%s/data/mahavishnu/flows.json", t->dir);
	record(t->path, API_A, "etl", "/src/flows.py:etl");
	expect_lookup(t->path, API_A, "etl", "/src/flows.py:etl");
	/* other names and other servers are not found */
	expect_lookup(t->path, API_A, "ETL", NULL);
	expect_lookup(t->path, API_A, "et", NULL);
	expect_lookup(t->path, API_B, "etl", NULL);
	expect_lookup(t->path, API_A "/", "etl", NULL);

	/* the file as documented */
	json_t *doc = json_load_file(t->path, 0, &jerr);
	assert_non_null(doc);
	json_t *flows = json_object_get(doc, "flows");
	assert_int_equal(json_array_size(flows), 1);
	json_t *e = json_array_get(flows, 0);
	assert_string_equal(json_string_value(json_object_get(e, "api_url")), API_A);
	assert_string_equal(json_string_value(json_object_get(e, "flow")), "etl");
	assert_string_equal(json_string_value(json_object_get(e, "entrypoint")),
			    "/src/flows.py:etl");
	const char *recorded = json_string_value(json_object_get(e, "recorded"));
	double when;
	assert_non_null(recorded);
	assert_int_equal(strlen(recorded), strlen("2026-11-26T07:06:56Z"));
	assert_int_equal(recorded[strlen(recorded) - 1], 'Z');
	assert_int_equal(isotime_parse(recorded, &when), 0);
	assert_true(when > isotime_now() - 60 && when < isotime_now() + 60);
	json_decref(doc);

	/* no temporary file is left behind */
	snprintf(t->path, sizeof(t->path), "%s/data/mahavishnu/flows.json.%ld.tmp", t->dir,
		 (long)getpid());
	assert_false(exists(t->path));
}

static void
test_registry_replace(void **state)
{
	struct tmp *t = *state;
	json_error_t jerr;

	snprintf(t->path, sizeof(t->path), "%s/flows.json", t->dir);
	record(t->path, API_A, "etl", "/old/flows.py:etl");
	record(t->path, API_A, "report", "/src/report.py:main");
	record(t->path, API_A, "etl", "/new/flows.py:etl_v2");
	expect_lookup(t->path, API_A, "etl", "/new/flows.py:etl_v2");
	expect_lookup(t->path, API_A, "report", "/src/report.py:main");

	/* replaced in place, not appended */
	json_t *doc = json_load_file(t->path, 0, &jerr);
	assert_non_null(doc);
	json_t *flows = json_object_get(doc, "flows");
	assert_int_equal(json_array_size(flows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(flows, 0), "flow")),
			    "etl");
	assert_string_equal(json_string_value(
				    json_object_get(json_array_get(flows, 0), "entrypoint")),
			    "/new/flows.py:etl_v2");
	json_decref(doc);
}

static void
test_registry_servers_kept_apart(void **state)
{
	struct tmp *t = *state;
	json_error_t jerr;

	snprintf(t->path, sizeof(t->path), "%s/flows.json", t->dir);
	record(t->path, API_A, "etl", "/local/flows.py:etl");
	record(t->path, API_B, "etl", "/cloud/flows.py:etl");
	expect_lookup(t->path, API_A, "etl", "/local/flows.py:etl");
	expect_lookup(t->path, API_B, "etl", "/cloud/flows.py:etl");

	/* replacing one leaves the other */
	record(t->path, API_B, "etl", "/cloud/v2.py:etl");
	expect_lookup(t->path, API_A, "etl", "/local/flows.py:etl");
	expect_lookup(t->path, API_B, "etl", "/cloud/v2.py:etl");

	json_t *doc = json_load_file(t->path, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "flows")), 2);
	json_decref(doc);
}

static void
test_registry_skips_odd_entries(void **state)
{
	struct tmp *t = *state;

	snprintf(t->path, sizeof(t->path), "%s/flows.json", t->dir);
	write_file(t->path,
		   "{\"flows\": [5, {\"api_url\": \"" API_A "\"},"
		   " {\"api_url\": \"" API_A "\", \"flow\": \"nope\"},"
		   " {\"flow\": \"etl\", \"entrypoint\": \"/no/url.py:f\"},"
		   " {\"api_url\": \"" API_A "\", \"flow\": \"etl\", \"entrypoint\": \"/a.py:f\"}],"
		   " \"other\": true}");
	expect_lookup(t->path, API_A, "etl", "/a.py:f");
	expect_lookup(t->path, API_A, "nope", NULL);
	/* recording keeps what it does not know */
	record(t->path, API_A, "new", "/b.py:g");
	expect_lookup(t->path, API_A, "etl", "/a.py:f");
	expect_lookup(t->path, API_A, "new", "/b.py:g");
}

static void
test_registry_corrupt_file(void **state)
{
	/* clang-format off */
	static const struct {
		const char *content;
		const char *reason;
	} cases[] = {
		{ "{not json", "string or '}' expected near 'not'" },
		{ "", "'[' or '{' expected near end of file" },
		{ "[]", "not a registry file" },
		{ "{}", "not a registry file" },
		{ "{\"flows\": {}}", "not a registry file" },
		{ "{\"flows\": null}", "not a registry file" },
	};
	/* clang-format on */
	struct tmp *t = *state;
	char want[512];

	snprintf(t->path, sizeof(t->path), "%s/flows.json", t->dir);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		char *out = NULL;
		write_file(t->path, cases[i].content);
		snprintf(want, sizeof(want), "cannot read the flow registry '%s': %s", t->path,
			 cases[i].reason);

		int rc = flow_registry_lookup(t->path, API_A, "etl", &out, &err);
		if (rc != -1 || strcmp(err.message, want) != 0)
			print_message("case %zu: lookup %d: %s\n", i, rc, err.message);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_IO);
		assert_string_equal(err.message, want);
		assert_null(out);

		/* recording refuses too, and leaves the file as it was */
		error_clear(&err);
		rc = flow_registry_record(t->path, API_A, "etl", "/a.py:f", &err);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_IO);
		assert_string_equal(err.message, want);
		char *after = read_file(t->path);
		assert_non_null(after);
		assert_string_equal(after, cases[i].content);
		free(after);
	}
}

static void
test_registry_unwritable(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	char want[512];

	/* the registry's directory is a regular file */
	snprintf(t->path, sizeof(t->path), "%s/file", t->dir);
	write_file(t->path, "x");
	snprintf(t->path, sizeof(t->path), "%s/file/flows.json", t->dir);
	assert_int_equal(flow_registry_record(t->path, API_A, "etl", "/a.py:f", &err), -1);
	assert_int_equal(err.kind, ERROR_IO);
	snprintf(want, sizeof(want), "cannot lock the flow registry '%s': Not a directory", t->path);
	assert_string_equal(err.message, want);
}

/* ---- daemons ---- */

/* Wait up to 5 s until the log file contains text. */
static int
wait_for_log(const char *path, const char *text)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	for (int i = 0; i < 250; i++) {
		char *log = read_file(path);
		int found = log && strstr(log, text);
		free(log);
		if (found)
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

static void
test_daemon_lifecycle(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	struct daemon_status st;
	char *const argv[] = { ARG("sleep"), ARG("30"), NULL };
	char path[512], want[512];
	pid_t pid = 0, again = 0;
	int was_running = -1;

	/* not started yet */
	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 0);
	assert_int_equal(st.pid, 0);
	assert_null(st.info);
	daemon_status_release(&st);

	/* start: the state directory is created, the three files written */
	double before = isotime_now();
	int rc = daemon_start(t->state, "sleeper", argv, NULL, API_A, &pid, &err);
	if (rc < 0)
		print_message("%s\n", err.message);
	assert_int_equal(rc, 0);
	assert_true(pid > 0);
	assert_int_equal(kill(pid, 0), 0);
	/* in a session (and process group) of its own */
	assert_int_equal(getsid(pid), pid);
	assert_int_equal(getpgid(pid), pid);

	snprintf(path, sizeof(path), "%s/sleeper.pid", t->state);
	snprintf(want, sizeof(want), "%ld ", (long)pid);
	char *text = read_file(path);
	assert_non_null(text);
	/* "PID START-TIME\n": the start time tells a reused PID apart */
	assert_memory_equal(text, want, strlen(want));
	assert_true(strtoull(text + strlen(want), NULL, 10) > 0);
	free(text);
	snprintf(path, sizeof(path), "%s/sleeper.info", t->state);
	text = read_file(path);
	assert_non_null(text);
	assert_string_equal(text, API_A "\n");
	free(text);
	snprintf(path, sizeof(path), "%s/sleeper.log", t->state);
	assert_true(exists(path));

	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.pid, pid);
	assert_non_null(st.info);
	assert_string_equal(st.info, API_A);
	assert_string_equal(st.log_path, path);
	assert_true(st.started >= (double)(long)before - 1 && st.started <= isotime_now() + 1);
	daemon_status_release(&st);
	assert_null(st.info);
	assert_null(st.log_path);

	/* a second start is refused and changes nothing */
	rc = daemon_start(t->state, "sleeper", argv, NULL, "other", &again, &err);
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	snprintf(want, sizeof(want), "sleeper is already running (PID %ld)", (long)pid);
	assert_string_equal(err.message, want);
	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.pid, pid);
	assert_string_equal(st.info, API_A);
	daemon_status_release(&st);

	/* another name is another daemon: its status is separate */
	daemon_status(t->state, "ghost", &st);
	assert_int_equal(st.running, 0);
	daemon_status_release(&st);

	/* stop */
	error_clear(&err);
	rc = daemon_stop(t->state, "sleeper", 5.0, &was_running, &err);
	if (rc < 0)
		print_message("%s\n", err.message);
	assert_int_equal(rc, 0);
	assert_int_equal(was_running, 1);
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	snprintf(path, sizeof(path), "%s/sleeper.pid", t->state);
	assert_false(exists(path));

	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 0);
	assert_null(st.info);
	daemon_status_release(&st);

	/* stopping again: nothing was running */
	was_running = -1;
	assert_int_equal(daemon_stop(t->state, "sleeper", 5.0, &was_running, &err), 0);
	assert_int_equal(was_running, 0);

	/* a new start without info drops the old info file */
	rc = daemon_start(t->state, "sleeper", argv, NULL, NULL, &again, &err);
	assert_int_equal(rc, 0);
	assert_true(again > 0 && again != pid);
	snprintf(path, sizeof(path), "%s/sleeper.info", t->state);
	assert_false(exists(path));
	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.pid, again);
	assert_null(st.info);
	daemon_status_release(&st);
	assert_int_equal(daemon_stop(t->state, "sleeper", 5.0, &was_running, &err), 0);
	assert_int_equal(was_running, 1);
}

static void
test_daemon_output_and_environment(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	struct daemon_status st;
	char *const argv[] = { ARG("/bin/sh"), ARG("-c"),
			       ARG("echo \"var=$MAHAVISHNU_UT_VAR\"; echo to-stderr >&2; "
				   "echo line3; exec sleep 30"),
			       NULL };
	char *const env_add[] = { ARG("MAHAVISHNU_UT_VAR=hello there"), NULL };
	pid_t pid = 0;
	int was_running = 0;

	assert_int_equal(daemon_start(t->state, "echoer", argv, env_add, NULL, &pid, &err), 0);
	daemon_status(t->state, "echoer", &st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.pid, pid);
	assert_true(wait_for_log(st.log_path, "line3\n"));
	/* standard output and error both go to the log, in order */
	char *log = read_file(st.log_path);
	assert_string_equal(log, "var=hello there\nto-stderr\nline3\n");
	free(log);
	char *tail = daemon_log_tail(st.log_path, 2);
	assert_string_equal(tail, "to-stderr\nline3");
	free(tail);
	daemon_status_release(&st);

	/* the variable was added for the daemon only */
	assert_null(getenv("MAHAVISHNU_UT_VAR"));

	/* stopping the process group stops the shell's children too */
	assert_int_equal(daemon_stop(t->state, "echoer", 5.0, &was_running, &err), 0);
	assert_int_equal(was_running, 1);
	assert_int_equal(kill(-pid, 0), -1);
}

/* A started program that exits at once is seen as not running (no zombie). */
static void
test_daemon_exited_child(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	struct daemon_status st = { 0 };
	char *const argv[] = { ARG("false"), NULL };
	pid_t pid = 0;
	char path[512];

	snprintf(path, sizeof(path), "%s/state", t->dir);
	assert_int_equal(mkdir(t->dir, 0700) < 0 && errno == EEXIST, 1);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(daemon_start(t->state, "quitter", argv, NULL, NULL, &pid, &err), 0);
	for (int i = 0; i < 50; i++) {
		daemon_status(t->state, "quitter", &st);
		int running = st.running;
		daemon_status_release(&st);
		if (!running)
			return;
		usleep(100 * 1000);
	}
	fail_msg("the exited child still counts as running");
}

static void
test_daemon_stale_pid_file(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	struct daemon_status st;
	char *const argv[] = { ARG("sleep"), ARG("30"), NULL };
	char path[512];
	pid_t pid = 0;
	int was_running = -1;

	/* a pid file whose process is gone (above any pid_max) */
	assert_int_equal(mkdir(t->dir, 0700) < 0 && errno == EEXIST, 1);
	snprintf(path, sizeof(path), "%s/state", t->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(mkdir(t->state, 0700), 0);
	snprintf(path, sizeof(path), "%s/sleeper.pid", t->state);
	write_file(path, "999999999\n");

	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 0);
	assert_int_equal(st.pid, 999999999);
	daemon_status_release(&st);

	/* a live process that is not the one recorded (its start time differs) */
	snprintf(path, sizeof(path), "%s/sleeper.pid", t->state);
	char reused[64];
	snprintf(reused, sizeof(reused), "%ld 1\n", (long)getpid());
	write_file(path, reused);
	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 0);
	daemon_status_release(&st);

	/* it does not block a start */
	assert_int_equal(daemon_start(t->state, "sleeper", argv, NULL, NULL, &pid, &err), 0);
	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.pid, pid);
	daemon_status_release(&st);
	assert_int_equal(daemon_stop(t->state, "sleeper", 5.0, &was_running, &err), 0);
	assert_int_equal(was_running, 1);

	/* a garbage pid file is "not running", and stop clears it */
	write_file(path, "not a pid\n");
	daemon_status(t->state, "sleeper", &st);
	assert_int_equal(st.running, 0);
	daemon_status_release(&st);
	was_running = -1;
	assert_int_equal(daemon_stop(t->state, "sleeper", 5.0, &was_running, &err), 0);
	assert_int_equal(was_running, 0);
	assert_false(exists(path));
}

static void
test_daemon_missing_program(void **state)
{
	static const char *const programs[] = { NO_SUCH_PROGRAM,
						"/nonexistent/dir/" NO_SUCH_PROGRAM };
	struct tmp *t = *state;
	char want[512], path[512];

	for (size_t i = 0; i < ARRAY_LEN(programs); i++) {
		struct error err = ERROR_INIT;
		struct daemon_status st;
		char *const argv[] = { (char *)programs[i], ARG("--flag"), NULL };
		pid_t pid = 0;

		int rc = daemon_start(t->state, "ghost", argv, NULL, "info", &pid, &err);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_IO);
		snprintf(want, sizeof(want), "cannot start '%s': No such file or directory",
			 programs[i]);
		assert_string_equal(err.message, want);

		/* nothing claims it runs */
		snprintf(path, sizeof(path), "%s/ghost.pid", t->state);
		assert_false(exists(path));
		daemon_status(t->state, "ghost", &st);
		assert_int_equal(st.running, 0);
		assert_int_equal(st.pid, 0);
		daemon_status_release(&st);
	}
}

static void
test_daemon_log_tail(void **state)
{
	/* clang-format off */
	static const struct {
		const char *content;
		int lines;
		const char *tail;
	} cases[] = {
		{ "", 5, "" },
		{ "a\nb\nc\nd\n", 2, "c\nd" },
		{ "a\nb\nc\nd\n", 1, "d" },
		{ "a\nb\nc\nd\n", 4, "a\nb\nc\nd" },
		{ "a\nb\nc\nd\n", 10, "a\nb\nc\nd" },
		/* no final newline */
		{ "a\nb\nc", 1, "c" },
		{ "a\nb\nc", 2, "b\nc" },
		/* trailing empty lines do not count */
		{ "a\nb\n\n\n", 1, "b" },
		/* empty lines inside do */
		{ "a\n\nb\n", 2, "\nb" },
		{ "only one line\n", 3, "only one line" },
	};
	/* clang-format on */
	struct tmp *t = *state;

	snprintf(t->path, sizeof(t->path), "%s/test.log", t->dir);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		write_file(t->path, cases[i].content);
		char *tail = daemon_log_tail(t->path, cases[i].lines);
		if (strcmp(tail, cases[i].tail) != 0)
			print_message("case %zu: [%s]\n", i, tail);
		assert_string_equal(tail, cases[i].tail);
		free(tail);
	}

	/* a log larger than what is read: the end of it */
	FILE *f = fopen(t->path, "w");
	assert_non_null(f);
	for (int i = 0; i < 2000; i++)
		fprintf(f, "line %04d\n", i);
	assert_int_equal(fclose(f), 0);
	char *tail = daemon_log_tail(t->path, 3);
	assert_string_equal(tail, "line 1997\nline 1998\nline 1999");
	free(tail);
	tail = daemon_log_tail(t->path, 1000);
	assert_true(strlen(tail) < 4096);
	assert_int_equal(strncmp(tail + strlen(tail) - 9, "line 1999", 9), 0);
	free(tail);

	/* a missing log is empty */
	snprintf(t->path, sizeof(t->path), "%s/missing.log", t->dir);
	tail = daemon_log_tail(t->path, 5);
	assert_string_equal(tail, "");
	free(tail);
}

/* ---- spawn ---- */

static void
test_spawn_detached(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	char want[512];
	int status = -1;

	char *const missing[] = { ARG(NO_SUCH_PROGRAM), ARG("http://example.com"), NULL };
	assert_int_equal(spawn_detached(missing, &err), -1);
	assert_int_equal(err.kind, ERROR_IO);
	assert_string_equal(err.message,
			    "cannot start '" NO_SUCH_PROGRAM "': No such file or directory");

	/* a file that is not executable */
	snprintf(t->path, sizeof(t->path), "%s/plain.txt", t->dir);
	write_file(t->path, "#!/bin/sh\nexit 0\n");
	assert_int_equal(chmod(t->path, 0600), 0);
	char *const plain[] = { t->path, NULL };
	error_clear(&err);
	assert_int_equal(spawn_detached(plain, &err), -1);
	assert_int_equal(err.kind, ERROR_IO);
	snprintf(want, sizeof(want), "cannot start '%s': Permission denied", t->path);
	assert_string_equal(err.message, want);

	/* failed starts leave no child behind */
	assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);

	/* a program that exists starts, and is not waited for */
	char *const ok[] = { ARG("true"), NULL };
	error_clear(&err);
	assert_int_equal(spawn_detached(ok, &err), 0);
	assert_int_equal(err.kind, ERROR_NONE);
	assert_true(waitpid(-1, &status, 0) > 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- url ---- */

static void
test_url_without_userinfo(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "http://127.0.0.1:4200/api", "http://127.0.0.1:4200/api" },
		{ "http://bob:s3cret@127.0.0.1:4200/api", "http://127.0.0.1:4200/api" },
		{ "https://bob@host/api", "https://host/api" },
		{ "http://u:p@ss@host/x", "http://host/x" },
		{ "http://host/a@b", "http://host/a@b" },
		{ "no-scheme@host", "no-scheme@host" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_without_userinfo(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void
test_url_redact(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		/* no user-info */
		{ "http://127.0.0.1:4200/api", "http://127.0.0.1:4200/api" },
		{ "https://api.prefect.cloud/api/accounts/a/workspaces/w",
		  "https://api.prefect.cloud/api/accounts/a/workspaces/w" },
		{ "http://host", "http://host" },
		/* a user without a password: nothing to hide */
		{ "http://bob@host/api", "http://bob@host/api" },
		{ "http://bob@host:4200/api", "http://bob@host:4200/api" },
		/* user and password */
		{ "http://bob:hunter2@host/api", "http://bob:****@host/api" },
		{ "https://bob:hunter2@host:4200/api?x=1", "https://bob:****@host:4200/api?x=1" },
		{ "http://bob:hunter2@host", "http://bob:****@host" },
		{ "http://:secret@host/", "http://:****@host/" },
		{ "http://bob:@host/", "http://bob:****@host/" },
		{ "http://bob:p:w@host/", "http://bob:****@host/" },
		/* '@' after the host is not user-info */
		{ "http://host/path@x:y", "http://host/path@x:y" },
		{ "http://host:4200/a:b@c", "http://host:4200/a:b@c" },
		{ "http://host?q=a:b@c", "http://host?q=a:b@c" },
		{ "http://host#a:b@c", "http://host#a:b@c" },
		{ "http://u:p@host/x@y:z", "http://u:****@host/x@y:z" },
		/* no scheme: left alone */
		{ "bob:hunter2@host/api", "bob:hunter2@host/api" },
		{ "host:4200", "host:4200" },
		{ "", "" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *out = url_redact(cases[i].in);
		if (strcmp(out, cases[i].out) != 0)
			print_message("case %zu: %s\n", i, out);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void
test_url_origin(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "https://hooks.slack.com/services/T0/B0/secret", "https://hooks.slack.com" },
		{ "http://127.0.0.1:8123/hook?token=x#y", "http://127.0.0.1:8123" },
		{ "https://bob:pw@example.com:8443/a", "https://example.com:8443" },
		{ "http://host", "http://host" },
		{ "http://host?k=v", "http://host" },
		{ "http://[::1]:80/x", "http://[::1]:80" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *out = url_origin(cases[i].in);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void
test_url_check_http(void **state)
{
	static const char *const good[] = { "http://h", "https://h:1/x", "HTTP://h:65535",
					    "http://u:p@h/x?y", "http://[::1]:8/" };
	static const struct {
		const char *in;
		const char *why;
	} bad[] = {
		{ "ftp://h/x", "'ftp://h/x' is not an http(s) URL" },
		{ "http://", "'http://' is not an http(s) URL" },
		{ "http://h:0/", "'http://h:0/' has a port outside 1..65535" },
		{ "http://h:99999", "'http://h:99999' has a port outside 1..65535" },
		{ "http://h x/", "'http://h x/' is not an http(s) URL" },
		{ "http://u:secret@h:x/", "'http://u:****@h:x/' is not an http(s) URL" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		struct buf why = BUF_INIT;
		assert_int_equal(url_check_http(good[i], &why), 1);
		assert_string_equal(buf_str(&why), "");
		buf_release(&why);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct buf why = BUF_INIT;
		assert_int_equal(url_check_http(bad[i].in, &why), 0);
		assert_string_equal(buf_str(&why), bad[i].why);
		buf_release(&why);
	}
}

/* ---- uuid ---- */

static int
compare_strings(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void
test_uuid_random(void **state)
{
	enum { N = 1000 };
	static char ids[N][37];
	(void)state;

	for (int n = 0; n < N; n++) {
		char *u = ids[n];
		memset(u, 'Z', 37);
		uuid_random(u);
		assert_int_equal(strlen(u), 36);
		for (int i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23)
				assert_int_equal(u[i], '-');
			else
				assert_non_null(strchr("0123456789abcdef", u[i]));
		}
		/* version 4, RFC 4122 variant */
		assert_int_equal(u[14], '4');
		assert_non_null(strchr("89ab", u[19]));
	}
	qsort(ids, N, sizeof(ids[0]), compare_strings);
	for (int n = 1; n < N; n++)
		assert_string_not_equal(ids[n - 1], ids[n]);
}

/* ---- isotime: --since and formatting ---- */

static void
test_since_ages_and_timestamps(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		double epoch;
	} cases[] = {
		{ "90s", T0 - 90 },
		{ "30m", T0 - 30 * 60 },
		{ "6h", T0 - 6 * 3600 },
		{ "2d", T0 - 2 * 86400 },
		{ "1w", T0 - 7 * 86400 },
		{ "0s", T0 },
		{ "1.5h", T0 - 5400 },
		{ "120m", T0 - 7200 },
		/* ISO date-times, UTC when no zone */
		{ "2026-11-26T07:06:56Z", T0 },
		{ "2026-11-26T07:06:56", T0 },
		{ "2026-11-26T07:06:56.5Z", T0 + 0.5 },
		{ "2026-11-26T09:06:56+02:00", T0 },
		{ "2026-11-26T02:06:56-05:00", T0 },
		{ "2024-01-01T12:00:00Z", 1704110400 },
		{ "2024-01-01 12:00:00", 1704110400 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		double t = -1;
		int rc = isotime_parse_since(cases[i].in, T0, &t);
		if (rc != 0 || t != cases[i].epoch)
			print_message("case %zu: %d %.3f\n", i, rc, t);
		assert_int_equal(rc, 0);
		assert_true(t == cases[i].epoch);
	}
}

/* Local midnight of a date, as the C library computes it. */
static double
local_midnight(int y, int mo, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

static void
test_since_dates(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		int y, mo, d;
	} dates[] = {
		{ "2024-01-01", 2024, 1, 1 },
		{ "2024-02-29", 2024, 2, 29 },
		{ "2026-07-15", 2026, 7, 15 },
		{ "1999-12-31", 1999, 12, 31 },
	};
	/* clang-format on */
	/* clang-format off */
	static const struct {
		const char *tz;
		const char *in;
		double epoch;
	} zoned[] = {
		{ "UTC0", "2024-01-01", 1704067200 },
		{ "XYZ-5", "2024-01-01", 1704067200 - 5 * 3600 },
		{ "ABC+3", "2024-01-01", 1704067200 + 3 * 3600 },
		/* the day summer time starts: midnight is still winter time */
		{ "EST5EDT,M3.2.0,M11.1.0", "2024-03-10", 1710046800 },
		/* the day it ends: midnight is still summer time */
		{ "EST5EDT,M3.2.0,M11.1.0", "2024-11-03", 1730606400 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(dates); i++) {
		double t = -1;
		assert_int_equal(isotime_parse_since(dates[i].in, T0, &t), 0);
		assert_true(t == local_midnight(dates[i].y, dates[i].mo, dates[i].d));
	}

	/* in fixed time zones, restoring the caller's afterwards */
	const char *saved = getenv("TZ");
	char *old = saved ? strdup(saved) : NULL;
	size_t failed = ARRAY_LEN(zoned);
	for (size_t i = 0; i < ARRAY_LEN(zoned) && failed == ARRAY_LEN(zoned); i++) {
		double t = -1;
		setenv("TZ", zoned[i].tz, 1);
		tzset();
		int rc = isotime_parse_since(zoned[i].in, T0, &t);
		if (rc != 0 || t != zoned[i].epoch) {
			print_message("case %zu: %d %.0f\n", i, rc, t);
			failed = i;
		}
	}
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
	assert_int_equal(failed, ARRAY_LEN(zoned));
}

static void
test_since_malformed(void **state)
{
	/* clang-format off */
	static const char *const cases[] = {
		"", "abc", "yesterday", "5", "5x", "5M", "5H", "5mm", "m", "s",
		"-5m", "+5m", " 5m", "5m ", "5 m", ".5h", "inf", "nanm",
		"2024-13-01", "2024-00-10", "2024-02-30", "2023-02-29", "2024-1-01", "2024-01-1",
		"2024/01/01", "2024-01-01x", " 2024-01-01", "20240101",
		"2024-01-01T25:00:00Z", "2024-01-01T12:00", "2024-01-01T12:00:00+2",
		"2024-01-01T12:00:00 UTC",
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		double t = 12345;
		int rc = isotime_parse_since(cases[i], T0, &t);
		if (rc != -1)
			print_message("case %zu '%s': parsed as %.3f\n", i, cases[i], t);
		assert_int_equal(rc, -1);
	}
}

static void
test_format_utc(void **state)
{
	/* clang-format off */
	static const struct {
		double epoch;
		const char *out;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ T0, "2026-11-26T07:06:56Z" },
		{ T0 + 0.999, "2026-11-26T07:06:56Z" },
		{ 1704067200, "2024-01-01T00:00:00Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ 4102444799, "2099-12-31T23:59:59Z" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char out[32];
		memset(out, 'x', sizeof(out));
		isotime_format_utc(cases[i].epoch, out);
		assert_string_equal(out, cases[i].out);
		/* and back */
		double t;
		assert_int_equal(isotime_parse(out, &t), 0);
		assert_true(t == (double)(long long)cases[i].epoch);
	}
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_from_environment),
		cmocka_unit_test_setup_teardown(test_registry_missing_file, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_registry_record_and_lookup, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_registry_replace, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_registry_servers_kept_apart, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_registry_skips_odd_entries, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_registry_corrupt_file, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_registry_unwritable, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_daemon_lifecycle, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_daemon_output_and_environment, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_daemon_stale_pid_file, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_daemon_missing_program, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_daemon_exited_child, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_daemon_log_tail, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_spawn_detached, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_url_redact),
		cmocka_unit_test(test_url_origin),
		cmocka_unit_test(test_url_check_http),
		cmocka_unit_test(test_url_without_userinfo),
		cmocka_unit_test(test_uuid_random),
		cmocka_unit_test(test_since_ages_and_timestamps),
		cmocka_unit_test(test_since_dates),
		cmocka_unit_test(test_since_malformed),
		cmocka_unit_test(test_format_utc),
	};
	/* clang-format on */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
