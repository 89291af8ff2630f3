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
	TSNode *defs; /* the function_definition node of each of file->funcs */
};

/* The grammar, compiled from the tree-sitter-python package. */
const TSLanguage *tree_sitter_python(void);

int pf_is(TSNode n, const char *type);
/* Source text of n (a new string). */
char *pf_text(const struct pyflow_file *f, TSNode n);
int pf_text_eq(const struct pyflow_file *f, TSNode n, const char *s);
struct pyflow_pos pf_point_pos(const struct pyflow_file *f, TSPoint p);
/* Position of n's start. */
struct pyflow_pos pf_pos(const struct pyflow_file *f, TSNode n);
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

/* The passes, in the order pyflow_analyze runs them. */
void pf_find_syntax_errors(struct pyflow_pass *pass);
void pf_find_definitions(struct pyflow_pass *pass);
void pf_find_calls(struct pyflow_pass *pass);

#endif
