/* Monotonic wall-clock time in seconds. */
#ifndef HEROLOGO_COMMON_TIMER_H
#define HEROLOGO_COMMON_TIMER_H

double timer_now(void);

#endif
