/* A sweep's repositories, parameters and identity (see sweep_plan.h). */
#include "cmd/sweep/sweep_plan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/parameters.h"
#include "api/schedules.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/xalloc.h"

/* The tags the registry has, "a, b, c", for the message when none matches. */
static void
known_tags(const struct repo_registry *r, struct buf *out)
{
	struct strlist all = STRLIST_INIT;
	for (size_t i = 0; i < r->len; i++)
		for (size_t t = 0; t < r->repos[i].tags.len; t++)
			if (!strlist_contains(&all, r->repos[i].tags.items[t]))
				strlist_add(&all, r->repos[i].tags.items[t]);
	for (size_t i = 0; i < all.len; i++)
		buf_addf(out, "%s%s", i ? ", " : "", all.items[i]);
	strlist_release(&all);
}

int
sweep_plan_repos(struct sweep *s, const struct repo_registry *r, const char *tag, struct error *err)
{
	s->tag = tag;
	s->repos = xcalloc(r->len ? r->len : 1, sizeof(*s->repos));
	for (size_t i = 0; i < r->len; i++)
		if (repo_has_tag(&r->repos[i], tag)) {
			s->repos[s->len].name = r->repos[i].name;
			s->repos[s->len++].path = r->repos[i].path;
		}
	if (s->len)
		return 0;
	struct buf tags = BUF_INIT;
	known_tags(r, &tags);
	error_set(err, ERROR_INVALID, "no repository in %s has the tag '%s'", r->file, tag);
	if (tags.len)
		error_hint(err, "its tags are: %s", buf_str(&tags));
	buf_release(&tags);
	return -1;
}

/* Each name the sweep fills must be a parameter of the deployment's flow. */
static int
check_names(const json_t *schema, const struct sweep_param_names *names, struct error *err)
{
	const char *const given[] = { names->name, names->path, names->tag };
	const char *const keys[] = { "sweep.name_param", "sweep.path_param", "sweep.tag_param" };
	for (size_t i = 0; i < 3; i++) {
		struct strlist types = STRLIST_INIT;
		int known = prefect_param_types(schema, given[i], &types);
		strlist_release(&types);
		if (!known) {
			error_set(err, ERROR_INVALID,
				  "the deployment's flow has no parameter '%s' for the repository's "
				  "%s",
				  given[i],
				  i == 0 ? "name" :
				  i == 1 ? "path" :
					   "tag");
			return error_hint(err, "set '%s' in your settings to the parameter to use",
					  keys[i]);
		}
	}
	return 0;
}

int
sweep_plan_params(struct sweep *s, const struct param_args *a,
		  const struct sweep_param_names *names, struct error *err)
{
	const json_t *schema = prefect_deployment_schema(s->deployment);
	const json_t *defaults = prefect_deployment_parameters(s->deployment);
	if (check_names(schema, names, err) < 0)
		return -1;
	for (size_t i = 0; i < s->len; i++) {
		struct sweep_repo *r = &s->repos[i];
		json_t *given = defaults ? json_deep_copy(defaults) : json_object();
		json_object_set_new(given, names->name, json_string(r->name));
		json_object_set_new(given, names->path, json_string(r->path));
		json_object_set_new(given, names->tag, json_string(s->tag));
		int rc = param_args_build(a, schema, given, &r->params, err);
		if (rc == 0) {
			json_object_set_new(r->params, names->name, json_string(r->name));
			json_object_set_new(r->params, names->path, json_string(r->path));
			json_object_set_new(r->params, names->tag, json_string(s->tag));
			rc = prefect_deployment_check_params(s->deployment, r->params, err);
		}
		json_decref(given);
		if (rc < 0)
			return error_prefix(err, "repository '%s'", r->name);
	}
	return 0;
}

/* 64-bit FNV-1a over a string and its terminating zero. */
static uint64_t
fnv(uint64_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	} while (*s++);
	return h;
}

static void
plan_hash(struct sweep *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv(h, json_str(s->deployment, "id"));
	h = fnv(h, s->tag);
	for (size_t i = 0; i < s->len; i++) {
		char *params = json_dumps(s->repos[i].params, JSON_SORT_KEYS | JSON_COMPACT);
		h = fnv(fnv(fnv(h, s->repos[i].name), s->repos[i].path), params ? params : "");
		free(params);
	}
	snprintf(s->plan, sizeof(s->plan), "%016llx", (unsigned long long)h);
}

static void
make_keys(struct sweep *s)
{
	for (size_t i = 0; i < s->len; i++) {
		free(s->repos[i].key);
		s->repos[i].key = xasprintf("mahavishnu-sweep:%s:%s", s->id, s->repos[i].name);
	}
}

static json_t *
keys_of(const struct sweep *s)
{
	json_t *keys = json_array();
	for (size_t i = 0; i < s->len; i++)
		json_array_append_new(keys, json_string(s->repos[i].key));
	return keys;
}

const char *
sweep_plan_tag_value(const json_t *run, const char *prefix)
{
	size_t i, n = strlen(prefix);
	json_t *tag;
	json_array_foreach(json_object_get(run, "tags"), i, tag) {
		const char *t = json_string_value(tag);
		if (t && !strncmp(t, prefix, n) && t[n] == ':')
			return t + n + 1;
	}
	return NULL;
}

/* The ID of the latest sweep of this plan, or NULL (then *latest is NULL). */
static int
latest_of_plan(struct api *api, const struct sweep *s, json_t **latest, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	f.deployment_id = json_str(s->deployment, "id");
	strlist_add(&f.tags, SWEEP_TAG);
	strlist_addf(&f.tags, SWEEP_TAG "-plan:%s", s->plan);
	int rc = prefect_flow_run_list(api, &f, 1, latest, err);
	flow_run_filter_release(&f);
	return rc;
}

/* How many of the sweep's runs exist (read back by key). */
static int
count_existing(struct api *api, const struct sweep *s, size_t *out, struct error *err)
{
	json_t *keys = keys_of(s), *by_key = NULL;
	int rc = prefect_runs_by_keys(api, json_str(s->deployment, "id"), keys, &by_key, err);
	*out = json_object_size(by_key);
	json_decref(by_key);
	json_decref(keys);
	return rc;
}

static void
new_id(struct sweep *s)
{
	char stamp[32];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	free(s->id);
	/* milliseconds: the same command run twice within a second is two sweeps */
	s->id = xasprintf("%.8s-%s.%03ldZ", s->plan, stamp, now.tv_nsec / 1000000);
}

int
sweep_plan_identity(struct api *api, struct sweep *s, struct error *err)
{
	json_t *latest = NULL;
	plan_hash(s);
	if (latest_of_plan(api, s, &latest, err) < 0)
		return -1;
	const char *id = sweep_plan_tag_value(json_array_get(latest, 0), SWEEP_TAG);
	s->existed = 0;
	if (id) {
		s->id = xstrdup(id);
		make_keys(s);
		if (count_existing(api, s, &s->existed, err) < 0) {
			json_decref(latest);
			return -1;
		}
	}
	json_decref(latest);
	if (!id || s->existed == s->len) {
		s->existed = 0;
		new_id(s);
		make_keys(s);
	}
	return 0;
}

void
sweep_plan_tags(const struct sweep *s, size_t i, struct strlist *out)
{
	strlist_add(out, SWEEP_TAG);
	strlist_addf(out, "repo:%s", s->repos[i].name);
	strlist_addf(out, SWEEP_TAG ":%s", s->id);
	strlist_addf(out, SWEEP_TAG "-plan:%s", s->plan);
}

void
sweep_release(struct sweep *s)
{
	for (size_t i = 0; i < s->len; i++) {
		json_decref(s->repos[i].params);
		json_decref(s->repos[i].run);
		free(s->repos[i].key);
	}
	free(s->repos);
	free(s->id);
	json_decref(s->deployment);
}
