/*
 * C library functions this tree does not call, as git's banned.h does it:
 * each is declared again as deprecated, and -Werror makes a use an error.
 * The build includes this file first in every project source file
 * (CMakeLists.txt, -include), so nobody has to remember to.
 *   strcpy strcat strncpy strncat  no bound, or a bound that does not
 *                                  terminate: use snprintf or struct buf
 *   sprintf vsprintf               no bound: snprintf, vsnprintf, buf_addf
 *   strtok                         hidden state: strtok_r or strlist_split
 *   asctime ctime gmtime localtime shared static results: the _r forms
 *   atoi atol atoll                no error report: strtol, strtoll
 */
#ifndef CORE_BANNED_H
#define CORE_BANNED_H

#define BANNED(why) __attribute__((deprecated("banned in mahavishnu: " why)))

/* Before <stdlib.h>, whose inline definitions of these (glibc, when optimising)
 * clang will not deprecate afterwards. */
BANNED("use strtol") int atoi(const char *);
BANNED("use strtol") long atol(const char *);
BANNED("use strtoll") long long atoll(const char *);

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

BANNED("use snprintf or struct buf") char *strcpy(char *, const char *);
BANNED("use snprintf or struct buf") char *strcat(char *, const char *);
BANNED("use snprintf or struct buf") char *strncpy(char *, const char *, size_t);
BANNED("use snprintf or struct buf") char *strncat(char *, const char *, size_t);
BANNED("use snprintf or buf_addf") int sprintf(char *, const char *, ...);
BANNED("use vsnprintf") int vsprintf(char *, const char *, va_list);
BANNED("use strtok_r or strlist_split") char *strtok(char *, const char *);
BANNED("use asctime_r") char *asctime(const struct tm *);
BANNED("use ctime_r") char *ctime(const time_t *);
BANNED("use gmtime_r") struct tm *gmtime(const time_t *);
BANNED("use localtime_r") struct tm *localtime(const time_t *);

#undef BANNED

#endif
