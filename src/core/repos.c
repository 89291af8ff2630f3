/* The repository registry (see repos.h). */
#include "core/repos.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "core/yaml_doc.h"

/* Nodes an entry's other fields may expand to (aliases can multiply them). */
#define EXTRA_NODES_MAX 10000

struct reading {
	struct repo_registry *r;
	const char *dir; /* the file's folder, absolute */
	const char *home;
	struct error *err;
};

static int fail_at(const struct reading *rd, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "FILE:LINE: <problem>"; returns -1. */
static int
fail_at(const struct reading *rd, size_t line, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	buf_addf(&m, "%s:%zu: ", rd->r->file, line);
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	error_set(rd->err, ERROR_CONFIG, "%s", buf_str(&m));
	buf_release(&m);
	return -1;
}

/* Append path's parts to out ("/a/b"), "." dropped and ".." undoing one. */
static void
add_parts(struct buf *out, const char *path)
{
	const char *p = path;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2)) {
			char *slash = strrchr(out->data ? out->data : "", '/');
			if (slash)
				out->len = (size_t)(slash - out->data);
			if (out->data)
				out->data[out->len] = '\0';
		} else if (n && !(n == 1 && *p == '.')) {
			buf_addc(out, '/');
			buf_add(out, p, n);
		}
		p += n + (p[n] == '/');
	}
}

/* The absolute, lexically clean form of a path the file gives. */
static char *
resolve(const struct reading *rd, const char *path, size_t line)
{
	struct buf out = BUF_INIT;
	if (path[0] == '~' && (path[1] == '/' || !path[1])) {
		if (!rd->home || rd->home[0] != '/') {
			fail_at(rd, line, "cannot expand '%s': HOME is not set", path);
			return NULL;
		}
		add_parts(&out, rd->home);
		add_parts(&out, path + 1);
	} else {
		if (path[0] != '/')
			add_parts(&out, rd->dir);
		add_parts(&out, path);
	}
	if (!out.len)
		buf_addc(&out, '/');
	return buf_detach(&out);
}

static int
key_is(const struct ynode *key, const char *name)
{
	return key->kind == YNODE_SCALAR && !strcmp(key->text, name);
}

static json_t *
to_json(const struct ynode *n, size_t *budget)
{
	if (!*budget)
		return NULL;
	--*budget;
	if (n->kind == YNODE_NULL)
		return json_null();
	if (n->kind == YNODE_SCALAR)
		return json_string(n->text);
	json_t *v = n->kind == YNODE_SEQUENCE ? json_array() : json_object();
	for (size_t i = 0; v && i < n->len; i += n->kind == YNODE_SEQUENCE ? 1 : 2) {
		json_t *item = to_json(n->items[i + (n->kind == YNODE_MAPPING)], budget);
		if (!item) {
			json_decref(v);
			return NULL;
		}
		if (n->kind == YNODE_SEQUENCE)
			json_array_append_new(v, item);
		else if (n->items[i]->kind == YNODE_SCALAR)
			json_object_set_new(v, n->items[i]->text, item);
		else
			json_decref(item);
	}
	return v;
}

/* A field that must be a non-empty string, or absent (*out stays NULL). */
static int
text_field(const struct reading *rd, const struct ynode *key, const struct ynode *value,
	   const char *who, char **out)
{
	if (value->kind == YNODE_NULL)
		return 0;
	if (value->kind != YNODE_SCALAR || !*value->text)
		return fail_at(rd, key->line, "'%s' of %s must be a string", key->text, who);
	free(*out); /* a key given twice: the last one counts */
	*out = xstrdup(value->text);
	return 0;
}

static int
tags_field(const struct reading *rd, const struct ynode *key, const struct ynode *value,
	   const char *who, struct strlist *tags)
{
	if (value->kind == YNODE_NULL)
		return 0;
	if (value->kind != YNODE_SEQUENCE)
		return fail_at(rd, key->line, "'tags' of %s must be a list of strings", who);
	for (size_t i = 0; i < value->len; i++) {
		const struct ynode *tag = value->items[i];
		if (tag->kind != YNODE_SCALAR || !*tag->text)
			return fail_at(rd, tag->line, "a tag of %s must be a string", who);
		if (!strlist_contains(tags, tag->text))
			strlist_add(tags, tag->text);
	}
	return 0;
}

/* "repository 'x'" once the name is known, "a repository" before. */
static void
describe(struct buf *who, const struct repo *repo)
{
	buf_reset(who);
	if (repo->name)
		buf_addf(who, "repository '%s'", repo->name);
	else
		buf_adds(who, "a repository");
}

static int
read_field(const struct reading *rd, const struct ynode *key, const struct ynode *value,
	   struct repo *repo, size_t *budget)
{
	struct buf who = BUF_INIT;
	char *path = NULL;
	int rc = 0;
	describe(&who, repo);
	if (key_is(key, "name"))
		rc = repo->name ? 0 : text_field(rd, key, value, buf_str(&who), &repo->name);
	else if (key_is(key, "path"))
		rc = text_field(rd, key, value, buf_str(&who), &path);
	else if (key_is(key, "description"))
		rc = text_field(rd, key, value, buf_str(&who), &repo->description);
	else if (key_is(key, "tags"))
		rc = tags_field(rd, key, value, buf_str(&who), &repo->tags);
	else if (key->kind == YNODE_SCALAR) {
		json_t *v = to_json(value, budget);
		rc = v ? json_object_set_new(repo->extra, key->text, v) :
			 fail_at(rd, key->line, "'%s' of %s is too large", key->text, buf_str(&who));
	}
	if (rc == 0 && path) {
		free(repo->path);
		repo->path = resolve(rd, path, key->line);
		rc = repo->path ? 0 : -1;
	}
	free(path);
	buf_release(&who);
	return rc;
}

static int
read_entry(const struct reading *rd, const struct ynode *entry, struct repo *repo)
{
	size_t budget = EXTRA_NODES_MAX;
	repo->line = entry->line;
	repo->extra = json_object();
	if (entry->kind != YNODE_MAPPING)
		return fail_at(rd, entry->line,
			       "each repository must be a mapping (name, path, tags, description)");
	/* the name first, so that every later message can name the repository */
	for (size_t i = 0; i + 1 < entry->len; i += 2)
		if (key_is(entry->items[i], "name") &&
		    read_field(rd, entry->items[i], entry->items[i + 1], repo, &budget) < 0)
			return -1;
	for (size_t i = 0; i + 1 < entry->len; i += 2)
		if (!key_is(entry->items[i], "name") &&
		    read_field(rd, entry->items[i], entry->items[i + 1], repo, &budget) < 0)
			return -1;
	if (!repo->name)
		return fail_at(rd, entry->line, "a repository has no 'name'");
	if (!repo->path)
		return fail_at(rd, entry->line, "repository '%s' has no 'path'", repo->name);
	return 0;
}

/* A second repository with the same name or path is an error naming both lines. */
static int
check_unique(const struct reading *rd, const struct repo *repo)
{
	for (size_t i = 0; i + 1 < rd->r->len; i++) {
		const struct repo *o = &rd->r->repos[i];
		if (!strcmp(o->name, repo->name))
			return fail_at(rd, repo->line,
				       "repository name '%s' is also used at line %zu", repo->name,
				       o->line);
		if (!strcmp(o->path, repo->path))
			return fail_at(rd, repo->line, "path '%s' is also the path of line %zu",
				       repo->path, o->line);
	}
	return 0;
}

static const struct ynode *
repos_list(const struct reading *rd, const struct ynode *root)
{
	if (!root || root->kind != YNODE_MAPPING) {
		fail_at(rd, root ? root->line : 1,
			"a repository registry is a mapping with a 'repos' list");
		return NULL;
	}
	for (size_t i = 0; i + 1 < root->len; i += 2)
		if (key_is(root->items[i], "repos")) {
			const struct ynode *list = root->items[i + 1];
			if (list->kind == YNODE_SEQUENCE)
				return list;
			fail_at(rd, root->items[i]->line, "'repos' must be a list of repositories");
			return NULL;
		}
	fail_at(rd, root->line, "no 'repos' list");
	return NULL;
}

static int
read_document(const struct reading *rd, const struct ynode *root)
{
	const struct ynode *list = repos_list(rd, root);
	if (!list)
		return -1;
	rd->r->repos = xcalloc(list->len ? list->len : 1, sizeof(struct repo));
	for (size_t i = 0; i < list->len; i++) {
		struct repo *repo = &rd->r->repos[rd->r->len++];
		if (read_entry(rd, list->items[i], repo) < 0 || check_unique(rd, repo) < 0)
			return -1;
	}
	return 0;
}

/* Which file to read, made absolute: the one given, or the first of settings/ that exists. */
static char *
registry_file(const char *file, const char *base_dir)
{
	static const char *const tried[] = { "settings/ecosystem.yaml", "settings/repos.yaml" };
	char cwd[PATH_MAX];
	const char *chosen = file;
	char *candidate = NULL;
	for (size_t i = 0; !chosen && i < sizeof(tried) / sizeof(tried[0]); i++) {
		free(candidate);
		candidate = xasprintf("%s/%s", base_dir, tried[i]);
		if (access(candidate, F_OK) == 0 || i + 1 == sizeof(tried) / sizeof(tried[0]))
			chosen = candidate;
	}
	struct buf out = BUF_INIT;
	if (chosen[0] != '/' && getcwd(cwd, sizeof(cwd)))
		add_parts(&out, cwd);
	add_parts(&out, chosen);
	free(candidate);
	return buf_detach(&out);
}

int
repo_registry_load(struct repo_registry *r, const char *file, const char *base_dir,
		   const char *home, struct error *err)
{
	struct ydoc doc = YDOC_INIT;
	r->file = registry_file(file, base_dir);
	char *dir = xstrdup(r->file);
	*strrchr(dir, '/') = '\0';
	struct reading rd = { r, *dir ? dir : "/", home, err };
	int rc = ydoc_load(&doc, r->file, "repository registry", 0, err);
	if (rc < 0 && !file)
		error_hint(err, "list your repositories in settings/repos.yaml, or name the file "
				"with 'repos_path' in your settings");
	if (rc > 0)
		rc = read_document(&rd, doc.root);
	ydoc_release(&doc);
	free(dir);
	return rc < 0 ? -1 : 0;
}

void
repo_registry_release(struct repo_registry *r)
{
	for (size_t i = 0; i < r->len; i++) {
		free(r->repos[i].name);
		free(r->repos[i].path);
		free(r->repos[i].description);
		strlist_release(&r->repos[i].tags);
		json_decref(r->repos[i].extra);
	}
	free(r->repos);
	free(r->file);
	*r = (struct repo_registry)REPO_REGISTRY_INIT;
}

const struct repo *
repo_registry_find(const struct repo_registry *r, const char *name)
{
	for (size_t i = 0; i < r->len; i++)
		if (!strcmp(r->repos[i].name, name))
			return &r->repos[i];
	return NULL;
}

int
repo_has_tag(const struct repo *repo, const char *tag)
{
	return strlist_contains(&repo->tags, tag);
}

json_t *
repo_json(const struct repo *repo)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(repo->name));
	json_object_set_new(o, "path", json_string(repo->path));
	json_t *tags = json_array();
	for (size_t i = 0; i < repo->tags.len; i++)
		json_array_append_new(tags, json_string(repo->tags.items[i]));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "description",
			    repo->description ? json_string(repo->description) : json_null());
	const char *key;
	json_t *v;
	json_object_foreach(repo->extra, key, v)
		if (!json_object_get(o, key))
			json_object_set(o, key, v);
	return o;
}
