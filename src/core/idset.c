/* Sets of identifiers by hash (see idset.h). */
#include "core/idset.h"

#include <stdlib.h>

#include "core/xalloc.h"

/* FNV-1a, with 0 (the empty slot) moved to 1. */
static uint64_t
hash(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h ? h : 1;
}

/* The slot that holds h, or the empty one where it would go. */
static size_t
find(const uint64_t *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 32)) & (cap - 1);
	while (slots[i] && slots[i] != h)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
grow(struct idset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	uint64_t *slots = xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i])
			slots[find(slots, cap, s->slots[i])] = s->slots[i];
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
}

int
idset_add(struct idset *s, const char *id)
{
	uint64_t h = hash(id);
	if ((s->len + 1) * 2 > s->cap)
		grow(s);
	size_t i = find(s->slots, s->cap, h);
	if (s->slots[i])
		return 0;
	s->slots[i] = h;
	s->len++;
	return 1;
}

int
idset_has(const struct idset *s, const char *id)
{
	return s->cap && s->slots[find(s->slots, s->cap, hash(id))] != 0;
}

void
idset_release(struct idset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->len = s->cap = 0;
}
