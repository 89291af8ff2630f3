/*
 * A scratch file for fuzz targets whose code under test reads files: one
 * directory per process under /tmp, removed at exit, and the fuzzer's input
 * written to a file in it before each run.
 */
#ifndef FUZZ_SCRATCH_H
#define FUZZ_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

/* The scratch directory, made on first use (abort when it cannot be). */
const char *scratch_dir(void);
/* Write data to name in the scratch directory and return its path (static storage). */
const char *scratch_file(const char *name, const uint8_t *data, size_t size);

#endif
