/* One frame of the live view without the window: the training burst, the figures the HUD
 * shows, the dense grid over exactly the visible rectangle, and the draw calls. The same
 * code draws the window, the tests' offscreen frames and recorded video frames. */
#include <math.h>
#include <string.h>

#include "app/hud.h"
#include "app/live.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/timer.h"

/* Epochs per step of the budget mode: small enough to stop close to the deadline. */
#define BUDGET_CHUNK 16
/* Shape agreement is refreshed at most this often while training (seconds). */
#define AGREEMENT_PERIOD 0.25

static void history_add(app_state *app) {
    long epoch = nn_mlp_epoch(app->net);
    if (!isfinite(app->stats.mse) || epoch == 0) {
        return;
    }
    if (app->history_len > 0 &&
        epoch < (long)app->history_epoch[app->history_len - 1] + app->history_every) {
        return;
    }
    if (app->history_len == APP_HISTORY) {
        /* Full: keep every other sample and halve the sampling rate from now on. */
        for (int k = 0; k < APP_HISTORY / 2; k++) {
            app->history_epoch[k] = app->history_epoch[2 * k + 1];
            app->history_mse[k] = app->history_mse[2 * k + 1];
        }
        app->history_len = APP_HISTORY / 2;
        app->history_every *= 2;
    }
    app->history_epoch[app->history_len] = (double)epoch;
    app->history_mse[app->history_len] = (float)app->stats.mse;
    app->history_len++;
}

static long train_budget(app_state *app, double budget_s) {
    double start = timer_now();
    long done = 0;
    do {
        long step = nn_mlp_train(app->net, BUDGET_CHUNK, &app->stats);
        done += step;
        if (step < BUDGET_CHUNK) {
            break;
        }
    } while (timer_now() - start < budget_s);
    return done;
}

/* A fixed number of epochs; in the window a frame still stops after frame_cap seconds, so
 * a large network at many epochs per frame cannot freeze the keyboard. */
static long train_fixed(app_state *app, long epochs) {
    if (app->frame_cap <= 0.0) {
        return nn_mlp_train(app->net, epochs, &app->stats);
    }
    double start = timer_now();
    long done = 0, chunk = BUDGET_CHUNK;
    while (done < epochs) {
        long step = epochs - done < chunk ? epochs - done : chunk;
        long got = nn_mlp_train(app->net, step, &app->stats);
        done += got;
        if (got < step || timer_now() - start > app->frame_cap) {
            break;
        }
        chunk *= 2;
    }
    return done;
}

void app_frame_train(app_state *app, double budget_s) {
    nn_mlp *net = app->net;
    long done = 0;
    double start = timer_now();
    bool run = !app->paused || app->step_once;
    if (run && !nn_mlp_diverged(net)) {
        if (app->paused) {
            done = nn_mlp_train(net, 1, &app->stats);
        } else if (app->epochs_per_frame == APP_EPF_BUDGET) {
            done = train_budget(app, budget_s);
        } else {
            done = train_fixed(app, app->epochs_per_frame);
        }
    }
    app->step_once = false;
    if (done > 0) {
        app->stats_version = nn_mlp_version(net);
    } else if (!nn_mlp_diverged(net) && app->stats_version != nn_mlp_version(net)) {
        /* Paused or just reset: show the figures of the weights on screen. */
        nn_mlp_evaluate(net, &app->stats);
        app->stats_version = nn_mlp_version(net);
    }
    /* Epochs per wall-clock second across frames, what a viewer sees; the kernels alone
     * run faster (the benchmark measures that). */
    if (app->fixed_fps > 0) {
        app->frames_per_second = app->fixed_fps;
        app->epochs_per_second = app->paused ? 0.0 : (double)done * app->fixed_fps;
    } else if (app->last_train_time > 0.0 && start > app->last_train_time) {
        double rate = done / (start - app->last_train_time);
        app->epochs_per_second = 0.9 * app->epochs_per_second + 0.1 * rate;
    }
    app->last_train_time = start;
    if (nn_mlp_diverged(net) && !app->diverged_shown) {
        app->diverged_shown = true;
        LOG_WARN("APP", "diverged (non-finite loss) at epoch=%ld: training stopped, press R "
                 "to reset", nn_mlp_epoch(net));
    }
    history_add(app);
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* Makes the dense grid cover exactly the visible rectangle at the chosen cell size, and
 * predicts it when the grid or the network changed. */
static bool update_grid(app_state *app) {
    double x0, x1, y0, y1;
    app_view_rect(app, &x0, &x1, &y0, &y1);
    /* The article's dots are sparser: at the default 4 px cells they sit 8 px apart,
     * the 0.1 spacing of its test grid over the default view. */
    int cell = app->mode == RENDER_FIELD_DOTS ? 2 * app->grid_cell_px : app->grid_cell_px;
    int nx = app->fb_width / cell + 1;
    int ny = app->fb_height / cell + 1;
    nx = nx < 2 ? 2 : nx;
    ny = ny < 2 ? 2 : ny;
    data_grid *g = &app->grid;
    bool same = g->x && g->nx == nx && g->ny == ny && g->x0 == x0 && g->x1 == x1 &&
                g->y0 == y0 && g->y1 == y1;
    if (same && app->grid_version == nn_mlp_version(app->net)) {
        return true;
    }
    if (!same) {
        data_grid_free(g);
        if (!data_grid_make(g, x0, x1, y0, y1, nx, ny)) {
            return false;
        }
    }
    if (nx * ny > app->grid_capacity) {
        mem_free(app->grid_p);
        app->grid_p = mem_alloc_floats((size_t)nx * ny);
        app->grid_capacity = app->grid_p ? nx * ny : 0;
        if (!app->grid_p) {
            return false;
        }
    }
    nn_mlp_predict(app->net, g->x, g->y, nx * ny, app->grid_p);
    app->grid_version = nn_mlp_version(app->net);
    return true;
}

static void update_points(app_state *app) {
    const data_set *d = &app->data;
    if (app->points_version == nn_mlp_version(app->net)) {
        return;
    }
    app->points_version = nn_mlp_version(app->net);
    nn_mlp_predict(app->net, d->x, d->y, d->n, app->train_p);
    for (int s = 0; s < d->n; s++) {
        /* A diverged network predicts nothing (NaN): no point is marked as wrong. */
        bool wrong = !isnan(app->train_p[s]) &&
                     (app->train_p[s] >= 0.5f) != (d->label[s] >= 0.5f);
        app->points[s] = (render_point){d->x[s], d->y[s], d->label[s], wrong ? 1.0f : 0.0f};
    }
}

static void update_agreement(app_state *app) {
    unsigned long version = nn_mlp_version(app->net);
    double now = timer_now();
    bool throttled = app->fixed_fps == 0 && !app->paused &&
                     now - app->last_agreement_time < AGREEMENT_PERIOD;
    if (!app->data.has_shape || version == app->agreement_version || throttled) {
        return;
    }
    if (nn_mlp_diverged(app->net)) {
        app->shape_agreement = NAN;
    } else {
        const data_grid *g = &app->test_grid;
        nn_mlp_predict(app->net, g->x, g->y, g->nx * g->ny, app->test_p);
        app->shape_agreement = data_grid_batman_agreement(g, app->test_p);
    }
    app->agreement_version = version;
    app->last_agreement_time = now;
}

/* Point sprites scale with the zoom: about a third of the points' typical spacing. */
static float point_size(const app_state *app) {
    float px_per_unit = (float)(app->fb_width / (2.0 * app->view.half_width));
    float size = 0.36f * app->point_spacing * px_per_unit;
    return size < 5.0f ? 5.0f : (size > 28.0f ? 28.0f : size);
}

static void draw_scene(app_state *app, render_ctx *r) {
    const data_grid *g = &app->grid;
    mat4 proj;
    render_ortho((float)g->x0, (float)g->x1, (float)g->y0, (float)g->y1, proj);
    render_grid rg = {app->grid_p, g->nx, g->ny, (float)g->x0, (float)g->x1, (float)g->y0,
                      (float)g->y1};
    render_field(r, &rg, proj, app->mode, RENDER_INSIDE_COLOR, RENDER_OUTSIDE_COLOR);

    if (app->show_curve) {
        const render_color curve = {0.2f, 0.75f, 1.0f, 1.0f};
        /* 2.5 px at 720 lines, wider at larger sizes so big images keep the outline. */
        float width = 2.5f * fmaxf(1.0f, (float)app->fb_height / 720.0f);
        render_line_strip(r, app->curve_xy, app->curve_n, proj, width, curve);
        render_line_strip(r, app->curve_xy + 2 * app->curve_n, app->curve_n, proj, width,
                          curve);
    }
    if (app->show_points) {
        render_points(r, app->points, app->data.n, proj, point_size(app),
                      RENDER_INSIDE_COLOR, RENDER_OUTSIDE_COLOR);
    }
}

void app_frame_draw(app_state *app, render_ctx *r, app_hud *hud, int fb_width,
                    int fb_height) {
    fb_width = fb_width > 0 ? fb_width : 1;
    fb_height = fb_height > 0 ? fb_height : 1;
    bool resized = fb_width != app->fb_width || fb_height != app->fb_height;
    app->fb_width = fb_width;
    app->fb_height = fb_height;
    if (resized && app->view_is_default) {
        app_view_default(app);
    }
    render_begin(r, app->fb_width, app->fb_height);
    if (!update_grid(app)) {
        return;
    }
    update_points(app);
    update_agreement(app);

    draw_scene(app, r);
    if ((app->show_overlays || app->show_help) && hud) {
        app_hud_draw(hud, r, app);
    }
}
