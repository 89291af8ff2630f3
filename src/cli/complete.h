/*
 * Shell completion: what may come next on a mahavishnu command line. The
 * generated bash, zsh and fish scripts hand the words typed so far to
 * `mahavishnu completion --words -- WORDS...` and show what this answers:
 * command words, options (from each command's own option table, see
 * introspect.h), an option's choices, or live names from the server
 * (flows, deployments, work pools, runs) when a lookup is given.
 */
#ifndef CLI_COMPLETE_H
#define CLI_COMPLETE_H

#include <stddef.h>

#include "core/strlist.h"

/* What a value is, by the name its option or argument gives it. */
enum complete_kind {
	COMPLETE_NONE,
	COMPLETE_WORDS,       /* the candidates listed */
	COMPLETE_FILES,       /* the shell completes file names */
	COMPLETE_DIRS,        /* ... folder names */
	COMPLETE_FLOWS,       /* live names */
	COMPLETE_DEPLOYMENTS, /* FLOW/NAME */
	COMPLETE_POOLS,
	COMPLETE_RUNS,
	COMPLETE_STATES, /* the words --state takes */
};

/* Live names of a kind, added to out as "value\tdescription" (or "value"). */
typedef void (*complete_lookup_fn)(void *data, enum complete_kind kind, struct strlist *out);

struct completion {
	enum complete_kind kind; /* COMPLETE_WORDS, _FILES, _DIRS or _NONE */
	struct strlist items;    /* "value" or "value\tdescription", matching the current word */
};

/*
 * Complete words[len - 1] (the word under the cursor, maybe "") after
 * words[0 .. len - 2] (those after the program name). lookup (may be NULL)
 * is asked for live names only when a value of that kind is wanted.
 */
void complete_words(char **words, size_t len, complete_lookup_fn lookup, void *data,
		    struct completion *out);
void completion_release(struct completion *c);

#endif
