/* The fuzz targets' scratch directory and file (see scratch.h). */
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static void
remove_scratch(void)
{
	unlink(path);
	rmdir(dir);
}

const char *
scratch_dir(void)
{
	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "/tmp/mahavishnu-fuzz-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	atexit(remove_scratch);
	return dir;
}

const char *
scratch_file(const char *name, const uint8_t *data, size_t size)
{
	snprintf(path, sizeof(path), "%s/%s", scratch_dir(), name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	return path;
}
