/* Private helpers shared by the harness sources (not a public header). */
#ifndef HARNESS_UTIL_H
#define HARNESS_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* mkdir -p; 0 or -1 with errno. */
int hu_mkdir_p(const char *path);
/* Name usable as a single path component: [A-Za-z0-9._-]+, not "." or "..". */
bool hu_name_ok(const char *name);
/* Monotonic seconds. */
double hu_now(void);

#endif /* HARNESS_UTIL_H */
