/* The flow-run selection options (see run_filter_options.h). */
#include "cmd/prefect/run_filter_options.h"

#include <string.h>

#include "cli/command.h"
#include "core/isotime.h"

/* Whether a comma-separated list has a blank item: "", ",", "failed,,late", "failed,". */
static int
has_empty_item(const char *s)
{
	for (;;) {
		size_t n = strcspn(s, ","), blank = strspn(s, " \t");
		if (blank >= n)
			return 1;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

int
run_filter_add_states(struct flow_run_filter *f, const struct strlist *states, struct error *err)
{
	for (size_t i = 0; i < states->len; i++) {
		struct strlist words = STRLIST_INIT;
		int rc = 0;
		if (has_empty_item(states->items[i]))
			return error_set(err, ERROR_USAGE,
					 "option '--state': '%s' has an empty state (give state "
					 "names separated by commas)",
					 states->items[i]);
		strlist_split(&words, states->items[i], ',');
		for (size_t j = 0; rc == 0 && j < words.len; j++)
			rc = flow_run_filter_add_state(f, words.items[j], err);
		strlist_release(&words);
		if (rc < 0)
			return cmd_option_error(err, "state");
	}
	return 0;
}

int
run_filter_time(const char *option, const char *value, double now, double *t, struct error *err)
{
	if (isotime_parse_since(value, now, t) < 0)
		return error_set(err, ERROR_USAGE,
				 "option '--%s': '%s' is not a date, a date-time or an age such as "
				 "30m, 6h, 2d",
				 option, value);
	if (*t < ISOTIME_MIN || *t > ISOTIME_MAX)
		return error_set(err, ERROR_USAGE,
				 "option '--%s': '%s' is out of range: times from 0001-01-01 to "
				 "9999-12-31 UTC are accepted",
				 option, value);
	return 0;
}

int
run_filter_time_iso(const char *option, const char *value, char iso[32], struct error *err)
{
	double t;
	if (run_filter_time(option, value, isotime_now(), &t, err) < 0)
		return -1;
	isotime_format_utc(t, iso);
	return 0;
}
