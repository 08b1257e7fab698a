/* Command-line parsing: every flag and value is checked here, and a bad one is reported
 * in one line naming the flag (exit status 2 is the caller's). Accepts `--flag value` and
 * `--flag=value`. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/live.h"
#include "app/options.h"

/* HEROLOGO_VERSION comes from the build (CMake's project version). */

void app_print_usage(void) {
    printf("herologo %s: a small neural network learns the Batman logo, live.\n\n"
           "usage: herologo [options]            live view (the default)\n"
           "       herologo --headless [options] train without a window\n\n"
           "network and training:\n"
           "  --epochs N            epochs to train headless (default 40000)\n"
           "  --seed N              random seed for the initial weights (default 1)\n"
           "  --hidden 40[,20...]   hidden layer sizes, 1 to 8 layers of 1 to 256 units\n"
           "  --activation NAME     sigmoid (default), tanh or relu\n"
           "  --loss NAME           seed (the original rule, default) or mse\n"
           "  --optimizer NAME      gd (default), momentum or adam\n"
           "  --lr X                learning rate (default 1 for gd, 0.1 momentum, 0.01 adam)\n"
           "  --init R              initial weights uniform in (-R, R) (default 0.2)\n"
           "  --normalize           standardise the inputs (off by default)\n"
           "data and files:\n"
           "  --data batman|FILE    training data: the Batman grid or a CSV of x,y,label\n"
           "  --metrics FILE        write the final figures as JSON\n"
           "  --export-dataset FILE write the training set as x,y,label\n"
           "  --predict-grid FILE   write x,y,p over the 161x161 grid on [-8,8]^2\n"
           "  --save-model FILE     save the trained network\n"
           "  --load-model FILE     start from a saved network (--epochs 0: predict only)\n"
           "live view:\n"
           "  --epochs-per-frame N  training epochs per frame, 1 to 65536 or max (default 64)\n"
           "  --fullscreen          start full-screen\n"
           "  --view MODE           smooth (default), hard, confidence or dots\n"
           "  --curve               show the true curve's outline\n"
           "  --no-points           hide the training points\n"
           "  --no-overlays         hide HUD, loss curve and banners (a clean frame)\n"
           "  --frames N            quit after N frames\n"
           "  --screenshot FILE     save the last frame as PNG when quitting\n"
           "  keys: press H in the window for the list (F12 screenshot, Shift+F12 video)\n"
           "recording and pictures:\n"
           "  --record FILE.mp4     render offscreen and encode a video with ffmpeg, then exit\n"
           "  --frames N | --seconds S  length of the video (default 10 seconds)\n"
           "  --fps N               video frame rate (default 60)\n"
           "  --size WxH            video or image size (default 1920x1080, up to 8192);\n"
           "                        in the live view, the window's first size\n"
           "  --out FILE.png        with --headless: the trained picture as an image\n"
           "  --overlays            include the HUD in --out images (videos have it unless\n"
           "                        --no-overlays)\n"
           "  --output-dir DIR      folder for screenshots, videos and relative output names\n"
           "other:\n"
           "  --headless            no window; progress on stderr\n"
           "  --help, --version\n"
           "Environment: HEROLOGO_SIMD=scalar|avx2|avx512 forces a kernel path.\n",
           HEROLOGO_VERSION);
}

static void usage_error(const char *flag, const char *value, const char *what) {
    if (value) {
        fprintf(stderr, "herologo: error: %s: '%s' %s (see --help)\n", flag, value, what);
    } else {
        fprintf(stderr, "herologo: error: %s: %s (see --help)\n", flag, what);
    }
}

static bool parse_long(const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (*s == '-' || *s == '+' || *s == ' ') {
        return false;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end) {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

static bool parse_positive(const char *s, float *out) {
    char *end;
    errno = 0;
    if (strspn(s, "0123456789.eE+-") != strlen(s)) {
        return false; /* decimal only: strtod would take hex and "inf" */
    }
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v <= 0.0 || v > 1e30) {
        return false;
    }
    *out = (float)v;
    return *out > 0.0f;
}

static bool parse_hidden(const char *s, nn_desc *d) {
    int n = 0;
    const char *p = s;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (errno || end == p || v < 1 || v > NN_MAX_UNITS || n == NN_MAX_LAYERS) {
            return false;
        }
        d->hidden[n++] = (int)v;
        if (*end == '\0') {
            break;
        }
        if (*end != ',') {
            return false;
        }
        p = end + 1;
    }
    for (int l = n; l < NN_MAX_LAYERS; l++) {
        d->hidden[l] = 0;
    }
    d->n_hidden = n;
    return true;
}

static bool parse_size(const char *s, int *w, int *h) {
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X')) {
        return false;
    }
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (errno || end == p || *end || a < 16 || b < 16 || a > 8192 || b > 8192) {
        return false;
    }
    *w = (int)a;
    *h = (int)b;
    return true;
}

/* The flags given, for checking that each applies to the chosen mode. */
#define MAX_GIVEN 64
static const char *g_given[MAX_GIVEN];
static int g_n_given;

static void note_given(const char *flag) {
    static char names[MAX_GIVEN][64];
    if (g_n_given < MAX_GIVEN) {
        snprintf(names[g_n_given], sizeof names[0], "%s", flag);
        g_given[g_n_given] = names[g_n_given];
        g_n_given++;
    }
}

/* Flags that take a value; the rest are switches. */
static const char *const VALUE_FLAGS[] = {
    "--epochs", "--seed", "--hidden", "--activation", "--loss", "--optimizer", "--lr",
    "--init", "--data", "--metrics", "--export-dataset", "--predict-grid", "--save-model",
    "--load-model", "--epochs-per-frame", "--frames", "--screenshot", "--view", "--record",
    "--out", "--size", "--fps", "--seconds", "--output-dir",
};

static bool takes_value(const char *flag) {
    for (size_t i = 0; i < sizeof VALUE_FLAGS / sizeof VALUE_FLAGS[0]; i++) {
        if (strcmp(flag, VALUE_FLAGS[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The network and training flags; returns false after printing the error. Flags it does
 * not know are left to apply_other_value. */
static bool apply_network_value(app_options *o, const char *flag, const char *v,
                                bool *known) {
    nn_desc *d = &o->desc;
    *known = true;
    if (strcmp(flag, "--epochs") == 0) {
        if (!parse_long(v, 0, LONG_MAX, &o->epochs)) {
            usage_error(flag, v, "is not a whole number of epochs >= 0");
            return false;
        }
    } else if (strcmp(flag, "--seed") == 0) {
        if (!parse_u64(v, &d->seed)) {
            usage_error(flag, v, "is not a seed (a whole number >= 0)");
            return false;
        }
        o->set_seed = true;
    } else if (strcmp(flag, "--hidden") == 0) {
        if (!parse_hidden(v, d)) {
            usage_error(flag, v, "is not 1 to 8 comma-separated layer sizes from 1 to 256");
            return false;
        }
        o->set_hidden = true;
    } else if (strcmp(flag, "--activation") == 0) {
        if (!nn_act_parse(v, &d->act)) {
            usage_error(flag, v, "is not sigmoid, tanh or relu");
            return false;
        }
        o->set_act = true;
    } else if (strcmp(flag, "--loss") == 0) {
        if (!nn_loss_parse(v, &d->loss)) {
            usage_error(flag, v, "is not seed or mse");
            return false;
        }
        o->set_loss = true;
    } else if (strcmp(flag, "--optimizer") == 0) {
        if (!nn_opt_parse(v, &d->opt)) {
            usage_error(flag, v, "is not gd, momentum or adam");
            return false;
        }
        o->set_opt = true;
    } else if (strcmp(flag, "--lr") == 0) {
        if (!parse_positive(v, &d->lr)) {
            usage_error(flag, v, "is not a positive learning rate (at most 1e30)");
            return false;
        }
        o->set_lr = true;
    } else if (strcmp(flag, "--init") == 0) {
        if (!parse_positive(v, &d->init_range)) {
            usage_error(flag, v, "is not a positive init range (at most 1e30)");
            return false;
        }
        o->set_init = true;
    } else {
        *known = false;
    }
    return true;
}

/* Data, files, live view and recording flags. */
static bool apply_other_value(app_options *o, const char *flag, const char *v) {
    if (strcmp(flag, "--data") == 0) {
        o->data = v;
    } else if (strcmp(flag, "--metrics") == 0) {
        o->metrics_path = v;
    } else if (strcmp(flag, "--export-dataset") == 0) {
        o->export_path = v;
    } else if (strcmp(flag, "--predict-grid") == 0) {
        o->predict_path = v;
    } else if (strcmp(flag, "--save-model") == 0) {
        o->save_path = v;
    } else if (strcmp(flag, "--load-model") == 0) {
        o->load_path = v;
    } else if (strcmp(flag, "--epochs-per-frame") == 0) {
        long e;
        if (strcmp(v, "max") == 0) {
            o->epochs_per_frame = -1;
        } else if (parse_long(v, 1, 65536, &e)) {
            o->epochs_per_frame = (int)e;
        } else {
            usage_error(flag, v, "is not max or a whole number from 1 to 65536");
            return false;
        }
    } else if (strcmp(flag, "--frames") == 0) {
        if (!parse_long(v, 1, LONG_MAX, &o->frames)) {
            usage_error(flag, v, "is not a whole number of frames >= 1");
            return false;
        }
    } else if (strcmp(flag, "--screenshot") == 0) {
        o->screenshot_path = v;
    } else if (strcmp(flag, "--record") == 0) {
        o->record_path = v;
    } else if (strcmp(flag, "--out") == 0) {
        o->out_path = v;
    } else if (strcmp(flag, "--output-dir") == 0) {
        o->output_dir = v;
    } else if (strcmp(flag, "--size") == 0) {
        if (!parse_size(v, &o->size_w, &o->size_h)) {
            usage_error(flag, v, "is not a size WxH with sides from 16 to 8192");
            return false;
        }
    } else if (strcmp(flag, "--fps") == 0) {
        long fps;
        if (!parse_long(v, 1, 240, &fps)) {
            usage_error(flag, v, "is not a frame rate from 1 to 240");
            return false;
        }
        o->fps = (int)fps;
    } else if (strcmp(flag, "--seconds") == 0) {
        float sec;
        if (!parse_positive(v, &sec) || sec > 86400.0f) {
            usage_error(flag, v, "is not a positive number of seconds (at most 86400)");
            return false;
        }
        o->seconds = sec;
    } else if (strcmp(flag, "--view") == 0) {
        render_field_mode mode;
        if (!app_view_mode_parse(v, &mode)) {
            usage_error(flag, v, "is not smooth, hard, confidence or dots");
            return false;
        }
        o->view_mode = (int)mode;
    }
    return true;
}

/* Applies one flag with its value; prints the error and returns false when bad. */
static bool apply_value(app_options *o, const char *flag, const char *v) {
    if (*v == '\0') {
        usage_error(flag, NULL, "needs a non-empty value");
        return false;
    }
    bool known;
    if (!apply_network_value(o, flag, v, &known)) {
        return false;
    }
    return known || apply_other_value(o, flag, v);
}

static bool apply_switch(app_options *o, const char *flag) {
    if (strcmp(flag, "--headless") == 0) {
        o->headless = true;
    } else if (strcmp(flag, "--fullscreen") == 0) {
        o->fullscreen = true;
    } else if (strcmp(flag, "--overlays") == 0) {
        o->show_overlays = true;
    } else if (strcmp(flag, "--no-overlays") == 0) {
        o->hide_overlays = true;
    } else if (strcmp(flag, "--no-points") == 0) {
        o->hide_points = true;
    } else if (strcmp(flag, "--curve") == 0) {
        o->show_curve = true;
    } else if (strcmp(flag, "--normalize") == 0) {
        o->desc.normalize = true;
        o->set_normalize = true;
    } else {
        usage_error(flag, NULL, "unknown option");
        return false;
    }
    return true;
}

/* A loaded model fixes its topology, seed, init range and input transform. */
static bool check_conflicts(const app_options *o) {
    if (!o->load_path) {
        return true;
    }
    const char *flag = o->set_hidden ? "--hidden" : o->set_seed ? "--seed"
                     : o->set_init ? "--init" : o->set_normalize ? "--normalize" : NULL;
    if (flag) {
        usage_error(flag, NULL, "cannot be combined with --load-model (the model file sets it)");
        return false;
    }
    return true;
}

/* The modes a flag applies to; a flag given where it does nothing is an error rather
 * than silently ignored. */
enum { M_LIVE = 1, M_RECORD = 2, M_HEADLESS = 4, M_OUT = 8 };

static const struct {
    const char *flag;
    int modes;
    const char *where;
} FLAG_MODES[] = {
    {"--epochs", M_HEADLESS, "--headless (the live view trains until you quit)"},
    {"--metrics", M_HEADLESS, "--headless"},
    {"--export-dataset", M_HEADLESS, "--headless"},
    {"--predict-grid", M_HEADLESS, "--headless"},
    {"--save-model", M_HEADLESS, "--headless"},
    {"--epochs-per-frame", M_LIVE | M_RECORD, "the live view and --record"},
    {"--frames", M_LIVE | M_RECORD, "the live view and --record"},
    {"--seconds", M_RECORD, "--record"},
    {"--fps", M_RECORD, "--record"},
    {"--screenshot", M_LIVE, "the live view"},
    {"--fullscreen", M_LIVE, "the live view"},
    {"--view", M_LIVE | M_RECORD | M_OUT, "the live view, --record and --out"},
    {"--curve", M_LIVE | M_RECORD | M_OUT, "the live view, --record and --out"},
    {"--no-points", M_LIVE | M_RECORD | M_OUT, "the live view, --record and --out"},
    {"--no-overlays", M_LIVE | M_RECORD, "the live view and --record"},
    {"--overlays", M_OUT, "--out (elsewhere the overlays are on unless --no-overlays)"},
    {"--size", M_LIVE | M_RECORD | M_OUT, "the live view (window), --record and --out"},
    {"--output-dir", M_LIVE | M_RECORD | M_OUT, "the live view, --record and --out"},
};

static bool check_flag_modes(const app_options *o) {
    int mode = o->headless ? (M_HEADLESS | (o->out_path ? M_OUT : 0))
               : o->record_path ? M_RECORD
                                : M_LIVE;
    for (int g = 0; g < g_n_given; g++) {
        for (size_t k = 0; k < sizeof FLAG_MODES / sizeof FLAG_MODES[0]; k++) {
            if (strcmp(g_given[g], FLAG_MODES[k].flag) == 0 && !(FLAG_MODES[k].modes & mode)) {
                char what[160];
                snprintf(what, sizeof what, "applies only to %s", FLAG_MODES[k].where);
                usage_error(g_given[g], NULL, what);
                return false;
            }
        }
    }
    return true;
}

static bool ends_with_png(const char *path) {
    size_t n = strlen(path);
    return n > 4 && (strcmp(path + n - 4, ".png") == 0 || strcmp(path + n - 4, ".PNG") == 0);
}

/* Flags that only make sense together, and the recording's exact-epochs rule. */
static bool check_modes(const app_options *o) {
    if (o->out_path && !o->headless) {
        usage_error("--out", NULL, "needs --headless (the live view saves with F12)");
        return false;
    }
    if (o->record_path && o->headless) {
        usage_error("--record", NULL, "cannot be combined with --headless");
        return false;
    }
    if (!check_flag_modes(o)) {
        return false;
    }
    if (o->show_curve && strcmp(o->data, "batman") != 0) {
        usage_error("--curve", NULL, "only the Batman data has a true curve to draw");
        return false;
    }
    const char *png = o->out_path ? o->out_path : o->screenshot_path;
    if (png && !ends_with_png(png)) {
        usage_error(o->out_path ? "--out" : "--screenshot", png, "must end in .png");
        return false;
    }
    if (o->record_path && o->epochs_per_frame < 0) {
        usage_error("--epochs-per-frame", "max",
                    "depends on the machine's speed; a recording needs a number");
        return false;
    }
    if (o->record_path && o->size_w && (o->size_w % 2 || o->size_h % 2)) {
        usage_error("--size", NULL, "a video needs an even width and height (H.264 yuv420p)");
        return false;
    }
    struct stat st;
    if (strcmp(o->output_dir, ".") != 0 &&
        (stat(o->output_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        usage_error("--output-dir", o->output_dir, "is not an existing folder");
        return false;
    }
    if (o->frames && o->seconds > 0.0) {
        usage_error("--seconds", NULL, "cannot be combined with --frames");
        return false;
    }
    return true;
}

app_parse_result app_parse_args(int argc, char **argv, app_options *o) {
    memset(o, 0, sizeof *o);
    g_n_given = 0;
    o->epochs = APP_DEFAULT_EPOCHS;
    o->desc = nn_desc_default();
    o->data = "batman";
    o->fps = 60;
    o->output_dir = ".";

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            app_print_usage();
            return APP_PARSE_EXIT_OK;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("herologo %s\n", HEROLOGO_VERSION);
            return APP_PARSE_EXIT_OK;
        }
        char flag[64];
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (strncmp(arg, "--", 2) != 0 || len >= sizeof flag) {
            usage_error(arg, NULL, "unexpected argument");
            return APP_PARSE_ERROR;
        }
        memcpy(flag, arg, len);
        flag[len] = '\0';

        note_given(flag);
        if (!takes_value(flag)) {
            if (eq) {
                usage_error(flag, NULL, "takes no value");
                return APP_PARSE_ERROR;
            }
            if (!apply_switch(o, flag)) {
                return APP_PARSE_ERROR;
            }
            continue;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        /* "--data --epochs 5" lacks the data, rather than naming a file "--epochs". */
        if (!value || (!eq && strncmp(value, "--", 2) == 0)) {
            usage_error(flag, NULL, "needs a value");
            return APP_PARSE_ERROR;
        }
        if (!apply_value(o, flag, value)) {
            return APP_PARSE_ERROR;
        }
    }

    if (!check_modes(o)) {
        return APP_PARSE_ERROR;
    }
    if (o->set_opt && !o->set_lr) {
        o->desc.lr = nn_opt_default_lr(o->desc.opt);
    }
    return check_conflicts(o) ? APP_PARSE_RUN : APP_PARSE_ERROR;
}
