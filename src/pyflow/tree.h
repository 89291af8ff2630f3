/*
 * Internals of src/pyflow shared by its passes over a tree-sitter syntax
 * tree: helpers for nodes (type tests, text, positions, string literals, a
 * walk in document order) and each pass's entry point. Not for use outside
 * src/pyflow.
 */
#ifndef PYFLOW_TREE_H
#define PYFLOW_TREE_H

#include <tree_sitter/api.h>

#include "pyflow/pyflow.h"

/* One analysis of a file: the file being filled and the tree it came from. */
struct pyflow_pass {
	struct pyflow_file *file;
	TSNode root;
	TSNode *defs;               /* the function_definition node of each of file->funcs */
	struct pf_imports *imports; /* the module's import bindings (definitions pass) */
};

/* The grammar, compiled from the tree-sitter-python package. */
const TSLanguage *tree_sitter_python(void);

int pf_is(TSNode n, const char *type);
/* The child of n in field name, or a null node (also for a null n). */
TSNode pf_field(TSNode n, const char *name);
/* Source text of n (a new string; "" for a null node). */
char *pf_text(const struct pyflow_file *f, TSNode n);
int pf_text_eq(const struct pyflow_file *f, TSNode n, const char *s);
struct pyflow_pos pf_point_pos(const struct pyflow_file *f, TSPoint p);
/* Position of n's start. */
struct pyflow_pos pf_pos(const struct pyflow_file *f, TSNode n);
/* The number of named children of n; 0 for a null node. */
uint32_t pf_count(TSNode n);
/* The first named child of n that is not a comment, or a null node. */
TSNode pf_first_named(TSNode n);
/*
 * When n is a string literal without interpolation or bytes prefix (or a
 * concatenation of such), set *out to its value (the caller frees it) and
 * return 1; otherwise return 0.
 */
int pf_string_value(const struct pyflow_file *f, TSNode n, char **out);
/*
 * Call visit for n and every node below it in document order, with the
 * name of the field the node fills in its parent (NULL for none and for n).
 * When visit returns 0 the node's children are skipped.
 */
void pf_walk(TSNode n, int (*visit)(TSNode node, const char *field, void *data), void *data);

/* Names bound to string or int constants, as their text. */
struct pf_consts {
	char **names;
	char **values; /* NULL: bound to something else */
	size_t len;
};

void pf_consts_set(struct pf_consts *c, const char *name, const char *value);
const char *pf_consts_get(const struct pf_consts *c, const char *name);
void pf_consts_release(struct pf_consts *c);
/* The text of a string or int literal node (str() of it), or NULL. */
char *pf_const_text(const struct pyflow_file *f, TSNode n);
/*
 * The value of an f-string node whose interpolations are all {NAME} with
 * NAME bound in one of envs (a NULL-terminated list, first wins), or NULL.
 */
char *pf_fstring_value(const struct pyflow_file *f, TSNode n, const struct pf_consts *const *envs);

/*
 * The dotted path an identifier or attribute chain stands for through the
 * module's imports ("dt.date" is "datetime.date" after `import datetime as
 * dt`; an unbound name is itself), or NULL for any other node.
 */
char *pf_resolve(const struct pyflow_pass *pass, TSNode n);
void pf_release_imports(struct pyflow_pass *pass);

/* The passes, in the order pyflow_analyze runs them. */
void pf_find_syntax_errors(struct pyflow_pass *pass);
void pf_find_definitions(struct pyflow_pass *pass);
void pf_find_calls(struct pyflow_pass *pass);
void pf_find_schemas(struct pyflow_pass *pass);

#endif
