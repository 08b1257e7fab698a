/* The logger behind log.h: a threshold, a sink, and the default stderr writer. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>

static log_level g_level = LOG_LEVEL_INFO;
static log_sink_fn g_sink;
static void *g_sink_user;

const char *log_level_name(log_level level) {
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR", "NONE"};
    return (level >= LOG_LEVEL_DEBUG && level <= LOG_LEVEL_NONE) ? names[level] : "?";
}

void log_set_level(log_level level) {
    g_level = level;
}

void log_set_sink(log_sink_fn sink, void *user) {
    g_sink = sink;
    g_sink_user = user;
}

void log_msg(log_level level, const char *tag, const char *fmt, ...) {
    if (level < g_level || level >= LOG_LEVEL_NONE) {
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    if (g_sink) {
        g_sink(level, tag, msg, g_sink_user);
        return;
    }
    fprintf(stderr, "%s %s: %s\n", log_level_name(level), tag, msg);
}
