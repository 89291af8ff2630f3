/*
 * Driver for the schedule oracle (tests/oracle/sched_oracle.py): reads one
 * case a line on stdin and answers each with one line on stdout, so that
 * thousands of cases run in one process.
 *
 *   cron N START END DAY_OR ZONE EXPR        next N fire times
 *   interval N START END SECONDS ANCHOR ZONE  next N fire times
 *   rrule N START END ZONE TEXT               next N fire times of an RRULE
 *   valid DAY_OR EXPR                         does the expression parse
 *
 * START, END and ANCHOR are UTC epoch seconds; END is "-" for none. EXPR and
 * TEXT are one word: spaces, backslashes and any byte that is not printable ASCII
 * are written \xHH. The answer is "ok" followed by one
 * EPOCH@LOCAL+OFFSET#FLAGS word a fire time (LOCAL as 2026-03-08T03:30:00,
 * FLAGS the SCHED_DST_* bits), or "error MESSAGE".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sched/sched.h"

#define LINE_MAX_LEN 65536

static void
print_times(const struct sched_time *t, size_t count)
{
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];

	printf("ok");
	for (size_t i = 0; i < count; i++) {
		sched_format(&t[i], local, offset);
		local[10] = 'T';
		printf(" %" PRId64 "@%s%s#%u", t[i].at, local, offset, t[i].dst);
	}
	printf("\n");
}

static int
run(const struct sched *s, long n, int64_t start, int64_t end, struct error *err)
{
	struct sched_time *t = xcalloc((size_t)n + 1, sizeof(*t));
	size_t count;

	if (sched_next(s, start, end, (size_t)n, t, &count, err) < 0) {
		free(t);
		return -1;
	}
	print_times(t, count);
	free(t);
	return 0;
}

/* Split line in place into at most max words; returns how many. */
static int
words(char *line, char **w, int max)
{
	int n = 0;
	char *rest = NULL;
	for (char *p = strtok_r(line, " ", &rest); p && n < max; p = strtok_r(NULL, " ", &rest))
		w[n++] = p;
	return n;
}

/* Undo the \xHH escapes of an expression, in place. */
static char *
unescape(char *s)
{
	char *out = s;
	for (const char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			char hex[3] = { p[2], p[3], '\0' };
			*out++ = (char)strtol(hex, NULL, 16);
			p += 3;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	return s;
}

static int
do_case(char *line, struct error *err)
{
	char *w[8];
	int n = words(line, w, 8);
	struct sched s;
	struct cron c;

	if (n == 3 && strcmp(w[0], "valid") == 0) {
		if (cron_parse(&c, unescape(w[2]), (int)strtol(w[1], NULL, 10), err) < 0)
			return -1;
		printf("ok\n");
		return 0;
	}
	if (n != 7 && !(n == 6 && strcmp(w[0], "rrule") == 0))
		return error_set(err, ERROR_USAGE, "bad case line");
	int64_t start = strtoll(w[2], NULL, 10);
	int64_t end = strcmp(w[3], "-") == 0 ? SCHED_NO_END : strtoll(w[3], NULL, 10);
	if (strcmp(w[0], "rrule") == 0) {
		if (sched_rrule(&s, unescape(w[5]), w[4], err) < 0)
			return -1;
	} else if (strcmp(w[0], "cron") == 0) {
		if (sched_cron(&s, unescape(w[6]), (int)strtol(w[4], NULL, 10), w[5], err) < 0)
			return -1;
	} else if (strcmp(w[0], "interval") == 0) {
		if (sched_interval(&s, strtoll(w[4], NULL, 10), strtoll(w[5], NULL, 10), w[6],
				   err) < 0)
			return -1;
	} else {
		return error_set(err, ERROR_USAGE, "bad case line");
	}
	if (strtol(w[1], NULL, 10) < 0) {
		sched_release(&s);
		return error_set(err, ERROR_USAGE, "bad case line");
	}
	int rc = run(&s, strtol(w[1], NULL, 10), start, end, err);
	sched_release(&s);
	return rc;
}

int
main(void)
{
	char *line = xmalloc(LINE_MAX_LEN);

	while (fgets(line, LINE_MAX_LEN, stdin)) {
		struct error err = ERROR_INIT;
		line[strcspn(line, "\n")] = '\0';
		if (do_case(line, &err) < 0)
			printf("error %s\n", err.message);
	}
	free(line);
	return 0;
}
