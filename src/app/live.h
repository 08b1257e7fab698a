/* The live view: the state one window shows, the commands the keyboard triggers, and the
 * frame (train a burst, predict the visible grid, draw). Commands take the state only, so
 * tests drive them, or whole key events, without a person at the keyboard. */
#ifndef HEROLOGO_APP_LIVE_H
#define HEROLOGO_APP_LIVE_H

#include <stdbool.h>

#include "app/options.h"
#include "data/data.h"
#include "nn/nn.h"
#include "render/render.h"

/* Epochs-per-frame setting that means "as many as fit in the frame's time budget". */
#define APP_EPF_BUDGET 0
#define APP_EPF_MAX 65536
#define APP_EPF_DEFAULT 64
/* Loss curve samples kept; older ones are thinned to every other when full. */
#define APP_HISTORY 2048

/* The visible part of the plane: centre and half the visible width, in world units;
 * the height follows from the framebuffer's aspect ratio (equal scale on both axes). */
typedef struct app_view {
    double cx, cy;
    double half_width;
} app_view;

typedef struct app_hud app_hud;

typedef struct app_state {
    app_options opt;
    data_set data;
    nn_mlp *net;

    /* Training control. */
    bool paused;
    bool still;         /* a single picture (--out): no banners, the run's training rate */
    bool step_once;     /* Right arrow while paused: one epoch on the next frame */
    int epochs_per_frame; /* APP_EPF_BUDGET or 1..APP_EPF_MAX */
    bool diverged_shown;  /* the divergence has been logged and training paused */

    /* What is shown. */
    app_view view;
    bool view_is_default; /* refit on resize while the user has not zoomed or panned */
    float point_spacing;  /* typical distance between training points, for sprite sizes */
    int fb_width, fb_height;
    render_field_mode mode;
    bool show_curve, show_points, show_overlays, show_help;
    int grid_cell_px; /* pixels per dense-grid cell; smaller is finer */
    bool fullscreen;
    bool quit;

    /* Figures. */
    nn_stats stats;
    double shape_agreement;
    double epochs_per_second, frames_per_second;
    double last_train_time;
    /* Recording: figures follow video time (fps fixed, epochs/s = epochs per frame x
     * fps) and overlays refresh every frame, so the same settings give the same frames. */
    int fixed_fps;
    /* Longest training burst of one frame in the window (seconds; 0: none, as in
     * recordings and tests, where every frame gets exactly its epochs). */
    double frame_cap;
    int history_len;
    long history_every; /* keep one sample per this many epochs */
    double history_epoch[APP_HISTORY]; /* exact far beyond float's 2^24 */
    float history_mse[APP_HISTORY];

    /* Buffers re-used every frame. */
    data_grid grid;       /* the visible dense grid */
    float *grid_p;        /* its predictions */
    int grid_capacity;
    data_grid test_grid;  /* 161 x 161 for the shape agreement */
    float *test_p;
    float *train_p;       /* predictions on the training points */
    render_point *points;
    float *curve_xy;      /* the true curve's outline, two closed strips */
    int curve_n;          /* points in each of the two strips */
    double last_agreement_time;
    /* Network version each cached result was computed for (nn_mlp_version), so a
     * paused frame does not predict again what has not changed. */
    unsigned long grid_version, points_version, agreement_version, stats_version;
} app_state;

/* Builds the state from the options: data, network, default view. Prints one error line
 * and returns false on failure. Needs no window. */
bool app_state_init(app_state *app, const app_options *opt);

/* The same around data and a network that already exist (the state takes both). */
bool app_state_adopt(app_state *app, const app_options *opt, data_set *data, nn_mlp *net);
void app_state_free(app_state *app);

/* ---- commands: each changes the state and logs one INFO line naming the new state --- */
void app_command_toggle_pause(app_state *app);
void app_command_reset(app_state *app);
void app_command_reseed(app_state *app);
void app_command_units(app_state *app, int delta);      /* +1/-1 units in the last layer */
void app_command_units_scale(app_state *app, bool up);  /* double or halve them */
void app_command_layers(app_state *app, int delta);     /* +1/-1 hidden layer */
void app_command_cycle_activation(app_state *app);
void app_command_cycle_loss(app_state *app);
void app_command_cycle_optimizer(app_state *app);
void app_command_toggle_normalize(app_state *app);
void app_command_cycle_init(app_state *app);
void app_command_scale_lr(app_state *app, bool up);
void app_command_scale_epochs(app_state *app, bool up);
void app_command_step(app_state *app);
void app_command_cycle_view(app_state *app);
void app_command_toggle_curve(app_state *app);
void app_command_toggle_points(app_state *app);
void app_command_toggle_overlays(app_state *app);
void app_command_toggle_help(app_state *app);
void app_command_default_view(app_state *app);
void app_command_scale_grid(app_state *app, bool finer);
void app_command_quit(app_state *app);

/* View mode from its name: smooth, hard, confidence or dots. */
bool app_view_mode_parse(const char *name, render_field_mode *out);

/* Zoom by `factor` (< 1 zooms in) keeping the world point under framebuffer pixel
 * (px, py) (origin top-left) where it is; pan by a pixel offset. */
void app_view_zoom_at(app_state *app, double px, double py, double factor);
void app_view_pan_pixels(app_state *app, double dx, double dy);
/* The default view for the data and the framebuffer's aspect (no log line). */
void app_view_default(app_state *app);
/* The visible world rectangle for the current framebuffer size. */
void app_view_rect(const app_state *app, double *x0, double *x1, double *y0, double *y1);

/* ---- the frame ------------------------------------------------------------------------ */

/* Runs this frame's training burst. `budget_s` bounds the time in budget mode. */
void app_frame_train(app_state *app, double budget_s);

/* Predicts the visible grid and draws the whole picture into the current framebuffer of
 * the given size. hud may be NULL (no text: tests and clean frames). */
void app_frame_draw(app_state *app, render_ctx *r, app_hud *hud, int fb_width, int fb_height);

/* Runs the live view until quit; returns the exit status. */
int app_run_live(const app_options *opt);

#endif
