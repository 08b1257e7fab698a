/* One small logger for the whole program: levels, a threshold and a replaceable sink.
 * Lines read `LEVEL TAG: message key=value` on stderr by default. Never call it from
 * kernels or once per frame. */
#ifndef HEROLOGO_COMMON_LOG_H
#define HEROLOGO_COMMON_LOG_H

typedef enum log_level {
    LOG_LEVEL_DEBUG,
    LOG_LEVEL_INFO,
    LOG_LEVEL_WARN,
    LOG_LEVEL_ERROR,
    LOG_LEVEL_NONE
} log_level;

/* A sink receives every line at or above the threshold; `msg` is already formatted. */
typedef void (*log_sink_fn)(log_level level, const char *tag, const char *msg, void *user);

void log_set_level(log_level level);

/* Replace the sink (NULL restores stderr). Tests use this to capture lines. */
void log_set_sink(log_sink_fn sink, void *user);

void log_msg(log_level level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const char *log_level_name(log_level level);

#define LOG_DEBUG(tag, ...) log_msg(LOG_LEVEL_DEBUG, tag, __VA_ARGS__)
#define LOG_INFO(tag, ...) log_msg(LOG_LEVEL_INFO, tag, __VA_ARGS__)
#define LOG_WARN(tag, ...) log_msg(LOG_LEVEL_WARN, tag, __VA_ARGS__)
#define LOG_ERROR(tag, ...) log_msg(LOG_LEVEL_ERROR, tag, __VA_ARGS__)

#endif
