/* Detached background processes tracked by pid files (see daemon.h). */
#include "core/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/spawn.h"
#include "core/xalloc.h"

char *
daemon_state_dir(const char *(*getenv_fn)(const char *name))
{
	const char *state = getenv_fn("XDG_STATE_HOME");
	const char *home = getenv_fn("HOME");
	if (state && state[0] == '/')
		return xasprintf("%s/mahavishnu", state);
	return xasprintf("%s/.local/state/mahavishnu", home && *home ? home : ".");
}

static char *
file_of(const char *dir, const char *name, const char *ext)
{
	return xasprintf("%s/%s.%s", dir, name, ext);
}

static int
make_dirs(const char *dir, struct error *err)
{
	char *p = xstrdup(dir);
	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			error_set(err, ERROR_IO, "cannot create '%s': %s", p, strerror(errno));
			free(p);
			return -1;
		}
		if (!(*s = c))
			break;
	}
	free(p);
	return 0;
}

static char *
read_small_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	if (!f)
		return NULL;
	char *text = fgets(line, sizeof(line), f) ? xstrdup(line) : NULL;
	fclose(f);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

static int
write_small_file(const char *path, const char *text, struct error *err)
{
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0)
		return error_set(err, ERROR_IO, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* The start time of a process (clock ticks since boot), or 0 when unknown. */
static unsigned long long
process_start_time(pid_t pid)
{
	char path[64], line[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	const char *p = strrchr(line, ')'); /* the command name may hold spaces */
	unsigned long long start = 0;
	/* after ")" come fields 3 (state) onwards; the start time is field 22 */
	for (int field = 3; p && field <= 22; field++) {
		p = strchr(p + 1, ' ');
		if (p && field == 22)
			start = strtoull(p + 1, NULL, 10);
	}
	return start;
}

/*
 * Whether the recorded process still runs: not a child of ours that has
 * exited (reaped here), alive, and the same process that was recorded (a
 * PID reused after a reboot or a crash has another start time).
 */
static int
still_running(pid_t pid, unsigned long long recorded_start)
{
	if (pid <= 0 || waitpid(pid, NULL, WNOHANG) == pid || kill(pid, 0) < 0)
		return 0;
	return !recorded_start || process_start_time(pid) == recorded_start;
}

void
daemon_status(const char *dir, const char *name, struct daemon_status *out)
{
	char *pid_path = file_of(dir, name, "pid"), *info_path = file_of(dir, name, "info");
	char *text = read_small_file(pid_path);
	struct stat st;
	memset(out, 0, sizeof(*out));
	out->log_path = file_of(dir, name, "log");
	if (text) {
		char *end;
		out->pid = (pid_t)strtol(text, &end, 10);
		out->running = still_running(out->pid, strtoull(end, NULL, 10));
		if (stat(pid_path, &st) == 0)
			out->started = (double)st.st_mtime;
		out->info = read_small_file(info_path);
	}
	free(text);
	free(pid_path);
	free(info_path);
}

void
daemon_status_release(struct daemon_status *st)
{
	free(st->info);
	free(st->log_path);
	st->info = st->log_path = NULL;
}

int
daemon_start(const char *dir, const char *name, char *const argv[], char *const env_add[],
	     const char *info, pid_t *pid_out, struct error *err)
{
	struct daemon_status st;
	daemon_status(dir, name, &st);
	int running = st.running;
	pid_t old = st.pid;
	daemon_status_release(&st);
	if (running)
		return error_set(err, ERROR_CONFLICT, "%s is already running (PID %ld)", name,
				 (long)old);
	if (make_dirs(dir, err) < 0)
		return -1;
	char *log_path = file_of(dir, name, "log"), *pid_path = file_of(dir, name, "pid");
	char *info_path = file_of(dir, name, "info"), pid_text[64];
	int log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = log_fd < 0 ? error_set(err, ERROR_IO, "cannot write '%s': %s", log_path,
					strerror(errno)) :
			      0;
	if (rc == 0)
		rc = spawn_process(argv, env_add, log_fd, pid_out, err);
	if (rc == 0) {
		/* the PID and the process's start time, so a reused PID is not mistaken for it */
		snprintf(pid_text, sizeof(pid_text), "%ld %llu", (long)*pid_out,
			 process_start_time(*pid_out));
		rc = write_small_file(pid_path, pid_text, err);
	}
	if (rc == 0)
		rc = info ? write_small_file(info_path, info, err) : (unlink(info_path), 0);
	if (log_fd >= 0)
		close(log_fd);
	free(log_path);
	free(pid_path);
	free(info_path);
	return rc;
}

static int
wait_gone(pid_t pid, double seconds)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	for (double waited = 0; waited < seconds; waited += 0.1) {
		waitpid(pid, NULL, WNOHANG);
		if (kill(pid, 0) < 0)
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

int
daemon_stop(const char *dir, const char *name, double grace, int *was_running, struct error *err)
{
	struct daemon_status st;
	daemon_status(dir, name, &st);
	*was_running = st.running;
	pid_t pid = st.pid;
	daemon_status_release(&st);
	char *pid_path = file_of(dir, name, "pid");
	int rc = 0;
	if (*was_running) {
		if (kill(-pid, SIGTERM) < 0)
			kill(pid, SIGTERM);
		if (!wait_gone(pid, grace)) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			if (!wait_gone(pid, 5))
				rc = error_set(err, ERROR_IO, "%s (PID %ld) did not stop", name,
					       (long)pid);
		}
	}
	if (rc == 0)
		unlink(pid_path);
	free(pid_path);
	return rc;
}

char *
daemon_log_tail(const char *path, int max_lines)
{
	char chunk[4096];
	FILE *f = max_lines > 0 ? fopen(path, "r") : NULL;
	if (!f)
		return xstrdup("");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	int cut = size > (long)sizeof(chunk) - 1;
	fseek(f, cut ? size - (long)sizeof(chunk) + 1 : 0, SEEK_SET);
	size_t n = fread(chunk, 1, sizeof(chunk) - 1, f);
	fclose(f);
	chunk[n] = '\0';
	while (n && chunk[n - 1] == '\n')
		chunk[--n] = '\0';
	/* a chunk that starts mid-file starts mid-line: skip that partial line */
	const char *first = cut && strchr(chunk, '\n') ? strchr(chunk, '\n') + 1 : chunk;
	const char *start = chunk + n;
	for (int lines = 0; start > first; start--)
		if (start[-1] == '\n' && ++lines == max_lines)
			break;
	return xstrdup(start);
}
