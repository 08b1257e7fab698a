/* Monotonic clock for progress lines, epoch rates and frame budgets. */
#define _POSIX_C_SOURCE 200809L
#include "common/timer.h"

#include <time.h>

double timer_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
