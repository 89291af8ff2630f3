/* pyflow_analyze: parse a flow file with tree-sitter and run the passes. */
#include <stdlib.h>

#include "pyflow/tree.h"

static TSParser *
new_parser(struct error *err)
{
	const TSLanguage *python = tree_sitter_python();
	TSParser *parser = ts_parser_new();
	if (!ts_parser_set_language(parser, python)) {
		ts_parser_delete(parser);
		error_set(err, ERROR_INVALID,
			  "cannot parse Python: the tree-sitter-python "
			  "grammar has language ABI %u, which this tree-sitter library "
			  "(ABI %u to %u) does not accept",
			  ts_language_version(python), TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
			  TREE_SITTER_LANGUAGE_VERSION);
		return NULL;
	}
	return parser;
}

int
pyflow_analyze(struct pyflow_file *f, struct error *err)
{
	TSParser *parser = new_parser(err);
	if (!parser)
		return -1;
	TSTree *tree = ts_parser_parse_string(parser, NULL, f->source, (uint32_t)f->source_len);
	struct pyflow_pass pass = { f, ts_tree_root_node(tree), NULL, NULL };
	pf_find_syntax_errors(&pass);
	pf_find_definitions(&pass);
	pf_find_calls(&pass);
	pf_find_schemas(&pass);
	pf_release_imports(&pass);
	free(pass.defs);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return 0;
}
