/* A tiny test harness shared by the test programs: CHECK records a pass or a failure
 * with file and line, check_summary prints the closing `N passed, N failed` line and gives
 * the exit status. */
#ifndef HEROLOGO_TESTS_CHECK_H
#define HEROLOGO_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed;
static int check_failed;

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (cond) {                                                                \
            check_passed++;                                                        \
        } else {                                                                   \
            check_failed++;                                                        \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
        }                                                                          \
    } while (0)

/* Like CHECK, with a printf-style explanation printed on failure. */
#define CHECK_MSG(cond, ...)                                                       \
    do {                                                                           \
        if (cond) {                                                                \
            check_passed++;                                                        \
        } else {                                                                   \
            check_failed++;                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                          \
            fputc('\n', stderr);                                                   \
        }                                                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                      \
    CHECK_MSG(fabs((double)(a) - (double)(b)) <= (tol), "%.9g vs %.9g (tol %g)",   \
              (double)(a), (double)(b), (double)(tol))

/* A fresh folder under /tmp named after the test, in buf; NULL when it cannot be made.
 * mkdtemp wants the name to end in six X, which it replaces. */
static inline char *check_temp_dir(char *buf, size_t size, const char *name) {
    int n = snprintf(buf, size, "/tmp/herologo-%s-......", name);
    if (n < 6 || (size_t)n >= size) {
        return NULL;
    }
    memset(buf + n - 6, 'X', 6);
    return mkdtemp(buf);
}

static inline int check_summary(const char *name) {
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
