/*
 * A YAML document read with libyaml into a small tree whose nodes remember
 * their line (1-based), for messages such as "settings/local.yaml:4: ...".
 * Aliases point at the anchored node itself, so a node may have several
 * parents; the document owns every node. Only the first document of a
 * stream is accepted: a second one is an error.
 */
#ifndef CORE_YAML_DOC_H
#define CORE_YAML_DOC_H

#include <stddef.h>

#include "core/error.h"

enum ynode_kind {
	YNODE_NULL, /* ~, null, or nothing at all */
	YNODE_SCALAR,
	YNODE_SEQUENCE,
	YNODE_MAPPING,
};

struct ynode {
	enum ynode_kind kind;
	size_t line;
	char *text;           /* scalars only */
	struct ynode **items; /* sequence items; mapping keys and values interleaved */
	size_t len;           /* entries in items (twice the pairs in a mapping) */
	size_t alloc;
	char *anchor; /* &name, or NULL */
	int complete; /* an alias may refer to it */
};

struct ydoc {
	struct ynode *root;   /* NULL for an empty stream */
	struct ynode **nodes; /* every node, in document order */
	size_t len;
	size_t alloc;
};

/* clang-format off */
#define YDOC_INIT { NULL, NULL, 0, 0 }
/* clang-format on */

/*
 * Parse len bytes of data. name is the file name used in error messages,
 * which read "NAME:LINE:COL: <problem>" (kind ERROR_CONFIG).
 * Returns 0, or -1 with err set; doc must be released either way.
 */
int ydoc_parse(struct ydoc *doc, const char *name, const char *data, size_t len, struct error *err);
/*
 * Read and parse the file at path (at most YDOC_FILE_MAX bytes); what names
 * it in messages ("cannot read config file 'x': ..."). 1 when read, 0 when
 * it is missing and optional, -1 with err (ERROR_CONFIG); release doc
 * either way.
 */
#define YDOC_FILE_MAX (1024 * 1024)
int ydoc_load(struct ydoc *doc, const char *path, const char *what, int optional, struct error *err);
void ydoc_release(struct ydoc *doc);

#endif
