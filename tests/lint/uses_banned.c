/*
 * A file that calls a banned function: tests/CMakeLists.txt compiles it as
 * the project's files are compiled and expects the build to refuse it, so
 * that src/core/banned.h is known to bite.
 */
#include <string.h>

void copy_name(char *to, const char *from);

void
copy_name(char *to, const char *from)
{
	strcpy(to, from);
}
