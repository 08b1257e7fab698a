/* The live view's state and every command the keyboard can give, without SDL: each
 * command changes the state and logs one INFO line naming the new state. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/live.h"
#include "app/session.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/rng.h"

/* The default view: x from -8 to 8 across the width, centred on the origin. */
#define VIEW_HALF_WIDTH 8.0
#define GRID_CELL_PX_DEFAULT 4
#define GRID_CELL_PX_MAX 32
static const float INIT_RANGES[] = {0.2f, 1.0f, 10.0f};

static void topology_string(const app_state *app, char *buf, size_t size) {
    nn_desc_topology(nn_mlp_desc(app->net), buf, size);
}

static void history_clear(app_state *app) {
    app->history_len = 0;
    app->history_every = 1;
    app->diverged_shown = false;
}

/* The true curve's outline as two strips (top and bottom), sampled finely enough that
 * the corners of the ears and shoulders stay sharp. */
static bool build_curve(app_state *app) {
    enum { SAMPLES = 1401 };
    app->curve_xy = mem_alloc_floats(4 * SAMPLES);
    if (!app->curve_xy) {
        return false;
    }
    float *top = app->curve_xy, *bottom = app->curve_xy + 2 * SAMPLES;
    for (int k = 0; k < SAMPLES; k++) {
        double x = -7.0 + 14.0 * k / (SAMPLES - 1);
        top[2 * k] = bottom[2 * k] = (float)x;
        top[2 * k + 1] = (float)data_batman_top(x);
        bottom[2 * k + 1] = (float)data_batman_bottom(x);
    }
    app->curve_n = SAMPLES;
    return true;
}

/* The Batman view is the article's: x from -8 to 8 across the width. Other data is framed
 * with a margin, whichever of its width or height decides, at equal scale. */
void app_view_default(app_state *app) {
    app->view_is_default = true;
    app->point_spacing = 0.5f;
    app->view.cx = app->view.cy = 0.0;
    app->view.half_width = VIEW_HALF_WIDTH;
    const data_set *d = &app->data;
    if (d->has_shape || d->n == 0) {
        return;
    }
    double x0 = d->x[0], x1 = d->x[0], y0 = d->y[0], y1 = d->y[0];
    for (int s = 1; s < d->n; s++) {
        x0 = fmin(x0, d->x[s]);
        x1 = fmax(x1, d->x[s]);
        y0 = fmin(y0, d->y[s]);
        y1 = fmax(y1, d->y[s]);
    }
    /* Points spread evenly over the box would sit this far apart (0.5 for the grid); a
     * set on one line spreads along it, a single point gets a unit. */
    double bw = x1 - x0, bh = y1 - y0;
    double spacing = bw > 0.0 && bh > 0.0 ? sqrt(bw * bh / d->n)
                     : fmax(bw, bh) > 0.0 ? fmax(bw, bh) / d->n
                                          : 1.0;
    app->point_spacing = (float)spacing;
    double aspect = (double)app->fb_width / (app->fb_height > 0 ? app->fb_height : 1);
    double half = fmax(0.5 * bw, 0.5 * bh * aspect);
    half = half > 0.0 ? half : 1.0;
    /* Room for the sprites at the edges: 15% and at least 24 pixels a side. */
    double pad = fmax(0.15, 24.0 * 2.0 / (app->fb_width - 48.0 > 1.0 ? app->fb_width - 48.0
                                                                      : 1.0));
    app->view.cx = 0.5 * (x0 + x1);
    app->view.cy = 0.5 * (y0 + y1);
    app->view.half_width = half * (1.0 + pad);
}

bool app_state_init(app_state *app, const app_options *opt) {
    data_set data = {0};
    if (!app_load_data(opt, &data)) {
        return false;
    }
    nn_mlp *net = app_create_network(opt, &data);
    if (!net) {
        data_set_free(&data);
        return false;
    }
    return app_state_adopt(app, opt, &data, net);
}

bool app_state_adopt(app_state *app, const app_options *opt, data_set *data, nn_mlp *net) {
    memset(app, 0, sizeof *app);
    app->opt = *opt;
    app->data = *data;
    memset(data, 0, sizeof *data);
    app->net = net;
    int n = app->data.n;
    app->train_p = mem_alloc_floats((size_t)n);
    app->points = mem_alloc(sizeof(render_point) * (size_t)n);
    if (!app->train_p || !app->points || !data_grid_test(&app->test_grid) ||
        !(app->test_p = mem_alloc_floats((size_t)app->test_grid.nx * app->test_grid.ny)) ||
        !build_curve(app)) {
        fprintf(stderr, "herologo: error: out of memory\n");
        app_state_free(app);
        return false;
    }
    app->epochs_per_frame = opt->epochs_per_frame > 0 ? opt->epochs_per_frame
                            : opt->epochs_per_frame == 0 ? APP_EPF_DEFAULT
                                                         : APP_EPF_BUDGET;
    app->fb_width = 1280;
    app->fb_height = 720;
    app_view_default(app);
    app->mode = (render_field_mode)opt->view_mode;
    app->show_points = !opt->hide_points;
    app->show_overlays = !opt->hide_overlays;
    app->show_curve = opt->show_curve && app->data.has_shape;
    app->grid_cell_px = GRID_CELL_PX_DEFAULT;
    app->shape_agreement = NAN;
    history_clear(app);
    return true;
}

void app_state_free(app_state *app) {
    nn_mlp_free(app->net);
    data_set_free(&app->data);
    data_grid_free(&app->grid);
    data_grid_free(&app->test_grid);
    mem_free(app->grid_p);
    mem_free(app->test_p);
    mem_free(app->train_p);
    mem_free(app->points);
    mem_free(app->curve_xy);
    memset(app, 0, sizeof *app);
}

/* ---- training commands ---------------------------------------------------------------- */

void app_command_toggle_pause(app_state *app) {
    app->paused = !app->paused;
    LOG_INFO("APP", "%s epoch=%ld%s", app->paused ? "paused" : "running",
             nn_mlp_epoch(app->net),
             nn_mlp_diverged(app->net) ? " (training stays stopped: diverged, R resets)" : "");
}

/* After a divergence the same settings would only diverge again, so a reset also brings
 * the learning rate and init range back to their defaults and says so. */
static const char *recover_settings(app_state *app, char *buf, size_t size) {
    if (!nn_mlp_diverged(app->net)) {
        return "";
    }
    const nn_desc *d = nn_mlp_desc(app->net);
    nn_mlp_set_lr(app->net, nn_opt_default_lr(d->opt));
    nn_mlp_set_init_range(app->net, INIT_RANGES[0]);
    snprintf(buf, size, " (after divergence: lr=%g init=%g)", d->lr, d->init_range);
    return buf;
}

void app_command_reset(app_state *app) {
    char note[96];
    const char *recovered = recover_settings(app, note, sizeof note);
    nn_mlp_reset(app->net);
    history_clear(app);
    LOG_INFO("APP", "reset seed=%llu paused=%s%s",
             (unsigned long long)nn_mlp_desc(app->net)->seed, app->paused ? "yes" : "no",
             recovered);
}

void app_command_reseed(app_state *app) {
    char note[96];
    const char *recovered = recover_settings(app, note, sizeof note);
    uint64_t seed = nn_mlp_desc(app->net)->seed;
    uint64_t fresh = rng_fresh_seed();
    nn_mlp_reseed(app->net, fresh == seed ? fresh + 1 : fresh);
    history_clear(app);
    LOG_INFO("APP", "reseed seed=%llu paused=%s%s",
             (unsigned long long)nn_mlp_desc(app->net)->seed, app->paused ? "yes" : "no",
             recovered);
}

static bool topology_allowed(const nn_desc *d, const int *hidden, int n_hidden) {
    if (n_hidden < 1 || n_hidden > NN_MAX_LAYERS) {
        return false;
    }
    bool same = n_hidden == d->n_hidden;
    for (int l = 0; l < n_hidden; l++) {
        if (hidden[l] < 1 || hidden[l] > NN_MAX_UNITS) {
            return false;
        }
        same = same && hidden[l] == d->hidden[l];
    }
    return !same;
}

static void set_hidden(app_state *app, const int *hidden, int n_hidden, const char *what) {
    int before = nn_mlp_desc(app->net)->n_hidden;
    int before_last = nn_mlp_desc(app->net)->hidden[before - 1];
    char topo[96];
    if (!topology_allowed(nn_mlp_desc(app->net), hidden, n_hidden) ||
        !nn_mlp_set_topology(app->net, hidden, n_hidden)) {
        topology_string(app, topo, sizeof topo);
        LOG_INFO("APP", "topology unchanged topology=%s (%s: limits are 1 to %d layers of 1 "
                 "to %d units)", topo, what, NN_MAX_LAYERS, NN_MAX_UNITS);
        return;
    }
    bool kept = before == n_hidden;
    if (!kept) {
        history_clear(app);
    }
    topology_string(app, topo, sizeof topo);
    const char *effect = !kept ? "network re-initialised"
                         : hidden[n_hidden - 1] > before_last
                             ? "learned weights kept, function unchanged"
                             : "remaining weights kept, function changed";
    LOG_INFO("APP", "topology=%s (%s, %s)", topo, what, effect);
}

void app_command_units(app_state *app, int delta) {
    const nn_desc *d = nn_mlp_desc(app->net);
    int hidden[NN_MAX_LAYERS];
    memcpy(hidden, d->hidden, sizeof hidden);
    hidden[d->n_hidden - 1] += delta;
    set_hidden(app, hidden, d->n_hidden, delta > 0 ? "unit added" : "unit removed");
}

void app_command_units_scale(app_state *app, bool up) {
    const nn_desc *d = nn_mlp_desc(app->net);
    int hidden[NN_MAX_LAYERS];
    memcpy(hidden, d->hidden, sizeof hidden);
    int *last = &hidden[d->n_hidden - 1];
    *last = up ? *last * 2 : (*last + 1) / 2;
    if (up && *last > NN_MAX_UNITS) {
        *last = NN_MAX_UNITS;
    }
    set_hidden(app, hidden, d->n_hidden, up ? "units doubled" : "units halved");
}

void app_command_layers(app_state *app, int delta) {
    const nn_desc *d = nn_mlp_desc(app->net);
    int hidden[NN_MAX_LAYERS] = {0};
    memcpy(hidden, d->hidden, sizeof hidden);
    int n = d->n_hidden + delta;
    if (delta > 0 && n <= NN_MAX_LAYERS) {
        hidden[n - 1] = hidden[n - 2]; /* the new layer copies the last one's width */
    }
    set_hidden(app, hidden, n, delta > 0 ? "layer added" : "layer removed");
}

void app_command_cycle_activation(app_state *app) {
    nn_act act = (nn_act)((nn_mlp_desc(app->net)->act + 1) % NN_ACT_COUNT);
    nn_mlp_set_act(app->net, act);
    LOG_INFO("APP", "activation=%s", nn_act_name(act));
}

void app_command_cycle_loss(app_state *app) {
    nn_loss loss = (nn_loss)((nn_mlp_desc(app->net)->loss + 1) % NN_LOSS_COUNT);
    nn_mlp_set_loss(app->net, loss);
    app->stats_version = 0; /* the same outputs, but the loss figure is another one */
    LOG_INFO("APP", "loss=%s", nn_loss_name(loss));
}

void app_command_cycle_optimizer(app_state *app) {
    nn_opt opt = (nn_opt)((nn_mlp_desc(app->net)->opt + 1) % NN_OPT_COUNT);
    nn_mlp_set_opt(app->net, opt);
    /* Each optimiser has its own sensible step: Adam at gd's rate of 1 would explode. */
    nn_mlp_set_lr(app->net, nn_opt_default_lr(opt));
    LOG_INFO("APP", "optimizer=%s lr=%g", nn_opt_name(opt), nn_mlp_desc(app->net)->lr);
}

void app_command_toggle_normalize(app_state *app) {
    bool on = !nn_mlp_desc(app->net)->normalize;
    nn_mlp_set_normalize(app->net, on);
    history_clear(app);
    LOG_INFO("APP", "normalize=%s (network re-initialised)", on ? "on" : "off");
}

void app_command_cycle_init(app_state *app) {
    float r = nn_mlp_desc(app->net)->init_range;
    int count = (int)(sizeof INIT_RANGES / sizeof INIT_RANGES[0]);
    int next = 0;
    for (int k = 0; k < count; k++) {
        if (INIT_RANGES[k] == r) {
            next = (k + 1) % count;
        }
    }
    nn_mlp_set_init_range(app->net, INIT_RANGES[next]);
    nn_mlp_reset(app->net);
    history_clear(app);
    LOG_INFO("APP", "init=%g (network reset)", INIT_RANGES[next]);
}

void app_command_scale_lr(app_state *app, bool up) {
    float lr = nn_mlp_desc(app->net)->lr;
    float next = up ? lr * 2.0f : lr * 0.5f;
    if (next >= 1e-6f && next <= 1e6f) {
        nn_mlp_set_lr(app->net, next);
    }
    LOG_INFO("APP", "lr=%g", nn_mlp_desc(app->net)->lr);
}

void app_command_scale_epochs(app_state *app, bool up) {
    int e = app->epochs_per_frame;
    if (up) {
        e = e == APP_EPF_BUDGET ? APP_EPF_BUDGET : (e >= APP_EPF_MAX ? APP_EPF_BUDGET : e * 2);
    } else {
        e = e == APP_EPF_BUDGET ? APP_EPF_MAX : (e > 1 ? e / 2 : 1);
    }
    app->epochs_per_frame = e;
    if (e == APP_EPF_BUDGET) {
        LOG_INFO("APP", "epochs_per_frame=max (as many as fit in the frame)");
    } else {
        LOG_INFO("APP", "epochs_per_frame=%d", e);
    }
}

void app_command_step(app_state *app) {
    if (nn_mlp_diverged(app->net)) {
        LOG_INFO("APP", "step ignored: the network diverged (R resets)");
        return;
    }
    if (!app->paused) {
        LOG_INFO("APP", "step ignored: running (pause with Space first)");
        return;
    }
    app->step_once = true;
    LOG_INFO("APP", "step epoch=%ld", nn_mlp_epoch(app->net) + 1);
}

/* ---- view commands --------------------------------------------------------------------- */

static const char *const MODE_NAMES[RENDER_FIELD_MODE_COUNT] = {"smooth", "hard",
                                                                "confidence", "dots"};

void app_command_cycle_view(app_state *app) {
    app->mode = (render_field_mode)((app->mode + 1) % RENDER_FIELD_MODE_COUNT);
    LOG_INFO("APP", "view=%s", MODE_NAMES[app->mode]);
}

static void log_toggle(const char *what, bool on) {
    LOG_INFO("APP", "%s=%s", what, on ? "on" : "off");
}

void app_command_toggle_curve(app_state *app) {
    if (!app->data.has_shape) {
        LOG_INFO("APP", "curve=off (this data has no true curve)");
        return;
    }
    app->show_curve = !app->show_curve;
    log_toggle("curve", app->show_curve);
}

void app_command_toggle_points(app_state *app) {
    app->show_points = !app->show_points;
    log_toggle("points", app->show_points);
}

void app_command_toggle_overlays(app_state *app) {
    app->show_overlays = !app->show_overlays;
    log_toggle("overlays", app->show_overlays);
}

void app_command_toggle_help(app_state *app) {
    app->show_help = !app->show_help;
    log_toggle("help", app->show_help);
}

void app_command_default_view(app_state *app) {
    app_view_default(app);
    LOG_INFO("APP", "view reset x=%g..%g", app->view.cx - app->view.half_width,
             app->view.cx + app->view.half_width);
}

void app_command_scale_grid(app_state *app, bool finer) {
    int c = app->grid_cell_px;
    int next = finer ? (c > 1 ? c / 2 : 1) : (c < GRID_CELL_PX_MAX ? c * 2 : GRID_CELL_PX_MAX);
    app->grid_cell_px = next;
    LOG_INFO("APP", "grid=%d px per cell%s", next,
             next == c ? (finer ? " (the finest)" : " (the coarsest)") : "");
}

void app_command_quit(app_state *app) {
    app->quit = true;
    LOG_INFO("APP", "quit");
}

bool app_view_mode_parse(const char *name, render_field_mode *out) {
    for (int k = 0; k < RENDER_FIELD_MODE_COUNT; k++) {
        if (strcmp(name, MODE_NAMES[k]) == 0) {
            *out = (render_field_mode)k;
            return true;
        }
    }
    return false;
}

/* ---- view geometry ---------------------------------------------------------------------- */

void app_view_rect(const app_state *app, double *x0, double *x1, double *y0, double *y1) {
    double hw = app->view.half_width;
    double hh = hw * (double)app->fb_height / (double)(app->fb_width > 0 ? app->fb_width : 1);
    *x0 = app->view.cx - hw;
    *x1 = app->view.cx + hw;
    *y0 = app->view.cy - hh;
    *y1 = app->view.cy + hh;
}

void app_view_zoom_at(app_state *app, double px, double py, double factor) {
    double x0, x1, y0, y1;
    app_view_rect(app, &x0, &x1, &y0, &y1);
    double wx = x0 + (x1 - x0) * px / app->fb_width;
    double wy = y1 - (y1 - y0) * py / app->fb_height;
    double hw = app->view.half_width * factor;
    if (hw < 0.05 || hw > 200.0) {
        return;
    }
    /* Keep (wx, wy) under the cursor: the centre moves toward it by the same factor. */
    app->view.cx = wx + (app->view.cx - wx) * factor;
    app->view.cy = wy + (app->view.cy - wy) * factor;
    app->view.half_width = hw;
    app->view_is_default = false;
}

void app_view_pan_pixels(app_state *app, double dx, double dy) {
    double units_per_px = 2.0 * app->view.half_width / app->fb_width;
    app->view.cx -= dx * units_per_px;
    app->view.cy += dy * units_per_px;
    app->view_is_default = false;
}
