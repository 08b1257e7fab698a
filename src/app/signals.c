/* One pair of handlers for a clean stop; SA_RESETHAND makes the second signal fatal. */
#define _POSIX_C_SOURCE 200809L
#include "app/signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t g_stop;

static void on_stop(int sig) {
    g_stop = sig;
}

void app_signals_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int app_signals_stop_requested(void) {
    return (int)g_stop;
}
