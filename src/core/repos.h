/*
 * The repository registry: the repositories mahavishnu sweeps, read from a
 * YAML file of this shape (the original mahavishnu's):
 *
 *   repos:
 *     - name: backend-api
 *       path: ~/src/backend-api      # ~ expanded; relative to the file's folder
 *       tags: [backend, python]
 *       description: The public API
 *       owner: platform              # other fields are kept as they are
 *
 * The file is the configured repos_path, else settings/ecosystem.yaml when
 * it exists, else settings/repos.yaml. Names and paths are unique; every
 * problem is an error naming file:line (kind ERROR_CONFIG).
 */
#ifndef CORE_REPOS_H
#define CORE_REPOS_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strlist.h"

struct repo {
	char *name;
	char *path;        /* absolute, as the file gives it resolved */
	char *description; /* NULL when it has none */
	struct strlist tags;
	json_t *extra; /* the entry's other fields (an object, owned) */
	size_t line;   /* of the entry in the file */
};

struct repo_registry {
	char *file; /* the file read */
	struct repo *repos;
	size_t len;
};

/* clang-format off */
#define REPO_REGISTRY_INIT { NULL, NULL, 0 }
/* clang-format on */

/*
 * Read the registry: from file when it is not NULL (the configured
 * repos_path; a relative one is relative to the current directory), else
 * from settings/ecosystem.yaml or settings/repos.yaml under base_dir. home
 * expands "~". 0, or -1 with err; release r either way.
 */
int repo_registry_load(struct repo_registry *r, const char *file, const char *base_dir,
		       const char *home, struct error *err);
void repo_registry_release(struct repo_registry *r);

/* The repository called name, or NULL. */
const struct repo *repo_registry_find(const struct repo_registry *r, const char *name);
/* Whether the repository carries tag (exactly, as the original matched). */
int repo_has_tag(const struct repo *repo, const char *tag);
/* {"name", "path", "tags", "description", ...the other fields} (a new object). */
json_t *repo_json(const struct repo *repo);

#endif
