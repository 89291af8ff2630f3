/* Random (version 4) UUIDs, for idempotency keys. */
#ifndef CORE_UUID_H
#define CORE_UUID_H

/* Write a new random UUID as 36 characters and a NUL. */
void uuid_random(char out[37]);

#endif
