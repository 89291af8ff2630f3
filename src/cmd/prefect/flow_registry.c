/* The local flow registry file (see flow_registry.h). */
#include "cmd/prefect/flow_registry.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/url.h"
#include "core/xalloc.h"

char *
flow_registry_path(const char *(*getenv_fn)(const char *name))
{
	const char *data = getenv_fn("XDG_DATA_HOME");
	const char *home = getenv_fn("HOME");
	if (data && data[0] == '/')
		return xasprintf("%s/mahavishnu/flows.json", data);
	return xasprintf("%s/.local/share/mahavishnu/flows.json", home && *home ? home : ".");
}

/* Read the registry; a missing file is an empty registry. */
static int
load(const char *path, json_t **out, struct error *err)
{
	json_error_t jerr;
	*out = NULL;
	if (access(path, F_OK) < 0) {
		*out = json_pack("{s:[]}", "flows");
		return 0;
	}
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!json_is_object(doc) || !json_is_array(json_object_get(doc, "flows"))) {
		json_decref(doc);
		return error_set(err, ERROR_IO, "cannot read the flow registry '%s': %s", path,
				 jerr.text[0] ? jerr.text : "not a registry file");
	}
	*out = doc;
	return 0;
}

static json_t *
find(json_t *doc, const char *api_url, const char *flow_name)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "flows"), i, e) {
		const char *u = json_string_value(json_object_get(e, "api_url"));
		const char *f = json_string_value(json_object_get(e, "flow"));
		if (u && f && !strcmp(u, api_url) && !strcmp(f, flow_name))
			return e;
	}
	return NULL;
}

int
flow_registry_lookup(const char *path, const char *api_url, const char *flow_name, char **out,
		     struct error *err)
{
	json_t *doc;
	*out = NULL;
	if (load(path, &doc, err) < 0)
		return -1;
	char *key = url_without_userinfo(api_url);
	const char *ep = json_string_value(json_object_get(find(doc, key, flow_name), "entrypoint"));
	if (ep)
		*out = xstrdup(ep);
	free(key);
	json_decref(doc);
	return ep ? 1 : 0;
}

/* mkdir -p for the registry's directory. */
static int
make_parent_dirs(const char *path, struct error *err)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			error_set(err, ERROR_IO, "cannot create '%s': %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

static void
set_entry(json_t *doc, const char *api_url, const char *flow_name, const char *entrypoint)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *e = find(doc, api_url, flow_name);
	if (!e) {
		e = json_pack("{s:s,s:s}", "api_url", api_url, "flow", flow_name);
		json_array_append_new(json_object_get(doc, "flows"), e);
	}
	json_object_set_new(e, "entrypoint", json_string(entrypoint));
	json_object_set_new(e, "recorded", json_string(now));
}

static int
write_atomically(const char *path, const json_t *doc, struct error *err)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	int rc = json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (rc == 0 && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	error_set(err, ERROR_IO, "cannot write the flow registry '%s': %s", path, strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}

int
flow_registry_record(const char *path, const char *api_url, const char *flow_name,
		     const char *entrypoint, struct error *err)
{
	if (make_parent_dirs(path, err) < 0)
		return -1;
	char *lock_path = xasprintf("%s.lock", path);
	int fd = open(lock_path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	free(lock_path);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		if (fd >= 0)
			close(fd);
		return error_set(err, ERROR_IO, "cannot lock the flow registry '%s': %s", path,
				 strerror(errno));
	}
	json_t *doc = NULL;
	int rc = load(path, &doc, err);
	if (rc == 0) {
		char *key = url_without_userinfo(api_url);
		set_entry(doc, key, flow_name, entrypoint);
		free(key);
		rc = write_atomically(path, doc, err);
	}
	json_decref(doc);
	close(fd);
	return rc;
}
