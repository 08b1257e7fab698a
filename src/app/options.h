/* Everything the command line can say, parsed and checked in one place so that the
 * headless run, the live view and the recorder all read the same settings. */
#ifndef HEROLOGO_APP_OPTIONS_H
#define HEROLOGO_APP_OPTIONS_H

#include <stdbool.h>

#include "nn/nn.h"

#define APP_DEFAULT_EPOCHS 40000L

typedef struct app_options {
    bool headless;
    long epochs;
    nn_desc desc;
    /* Which network settings were given explicitly (a loaded model keeps the rest). */
    bool set_hidden, set_act, set_loss, set_opt, set_lr, set_init, set_normalize, set_seed;
    const char *data;          /* "batman" or a CSV path */
    const char *metrics_path;
    const char *export_path;
    const char *predict_path;
    const char *save_path;
    const char *load_path;

    /* Live view. */
    int epochs_per_frame;   /* 0: the default; -1: as many as fit in the frame */
    bool fullscreen;
    long frames;            /* quit after this many frames (0: run until closed) */
    const char *screenshot_path; /* PNG of the last frame, written when quitting */
    int view_mode;          /* a render_field_mode */
    bool hide_overlays, hide_points, show_curve;
    bool show_overlays;     /* --overlays: HUD in --out images and recordings too */

    /* Recording and pictures. */
    const char *record_path;
    const char *out_path;   /* --headless --out FILE.png */
    int size_w, size_h;     /* --size, 0 when not given */
    int fps;
    double seconds;         /* 0 when not given */
    const char *output_dir; /* where files go; "." by default */
} app_options;

/* Outcome of parsing: run, stop successfully (help or version printed), or stop on a
 * usage error (one line already printed). */
typedef enum app_parse_result {
    APP_PARSE_RUN,
    APP_PARSE_EXIT_OK,
    APP_PARSE_ERROR
} app_parse_result;

app_parse_result app_parse_args(int argc, char **argv, app_options *opt);

void app_print_usage(void);

#endif
