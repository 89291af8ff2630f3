/*
 * A set of identifiers kept as 64-bit hashes (8 bytes each, whatever the
 * identifier's length): which rows of a long list were seen already. Two
 * identifiers sharing a hash are taken for one; for UUIDs among millions the
 * odds are below one in ten million.
 */
#ifndef CORE_IDSET_H
#define CORE_IDSET_H

#include <stddef.h>
#include <stdint.h>

struct idset {
	uint64_t *slots; /* open addressing; 0 is an empty slot */
	size_t len;
	size_t cap; /* a power of two, or 0 */
};

#define IDSET_INIT         \
	{                  \
		NULL, 0, 0 \
	}

/* Add id: 1 when it is new, 0 when the set had it. */
int idset_add(struct idset *s, const char *id);
/* Whether the set has id. */
int idset_has(const struct idset *s, const char *id);
void idset_release(struct idset *s);

#endif
