/*
 * -o yaml: JSON values written as YAML, with libyaml's emitter, so that a
 * YAML reader gets back exactly the value -o json writes. Mappings and
 * sequences are block style (empty ones flow: {} and []); null, booleans and
 * numbers are plain scalars; a string is plain only when no reader could
 * take it for anything but that string (an identifier-like word that is not
 * null or a boolean, or a UUID), else double-quoted. Nothing reaches the
 * terminal raw that could steer it: controls are escaped by libyaml, the
 * bidirectional controls it writes as they are become \uXXXX here.
 *
 * A document can be written whole (yaml_out_document) or as events, a page
 * at a time (yaml_out_new ... yaml_out_end), in constant memory.
 */
#ifndef UI_YAML_OUT_H
#define UI_YAML_OUT_H

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"

/* Append doc as one YAML document ending in a newline. */
int yaml_out_document(struct buf *out, const json_t *doc, struct error *err);

/* A document being written. */
struct yaml_out;

/* Start a stream with one document. */
struct yaml_out *yaml_out_new(void);
/* Open a block sequence (or, with mapping, a block mapping). */
void yaml_out_open(struct yaml_out *y, int mapping);
/* Close the innermost open sequence (or mapping). */
void yaml_out_close(struct yaml_out *y, int mapping);
/* A mapping's key: the next value (or open) is its value. */
void yaml_out_key(struct yaml_out *y, const char *key);
/* A whole value: an element of a sequence, or the value of the key just given. */
void yaml_out_value(struct yaml_out *y, const json_t *v);
/* Append to out what has been written so far (its last line may end with what follows). */
int yaml_out_take(struct yaml_out *y, struct buf *out, struct error *err);
/* End the document and the stream, append the rest to out, free y. */
int yaml_out_end(struct yaml_out *y, struct buf *out, struct error *err);
/* Free y without ending it (what was taken stays as it is); NULL is ignored. */
void yaml_out_free(struct yaml_out *y);

#endif
