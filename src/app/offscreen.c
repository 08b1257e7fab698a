/* Rendering without showing a window: `--record` draws every frame into an offscreen
 * framebuffer of the requested size and pipes it to ffmpeg, each frame advancing training
 * by exactly the set epochs, so a video depends on the settings and not on the machine;
 * `--headless --out` draws the trained network's picture once and saves it as a PNG. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "app/capture.h"
#include "app/live.h"
#include "app/offscreen.h"
#include "app/record.h"
#include "app/signals.h"
#include "app/window.h"
#include "common/log.h"

#define DEFAULT_W 1920
#define DEFAULT_H 1080
#define DEFAULT_SECONDS 10.0

/* A hidden window only to own the context; drawing goes to the target. With no display
 * at all (a server, an SSH session) SDL's offscreen driver provides the context, so
 * recordings and images never need one. */
static bool open_offscreen(app_gl *g, int w, int h, render_target **target) {
    const char *driver = getenv("SDL_VIDEODRIVER");
    const char *x11 = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    if ((!driver || !*driver) && (!x11 || !*x11) && (!wayland || !*wayland)) {
        LOG_INFO("RENDER", "no display: using SDL's offscreen video driver");
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    }
    if (!app_gl_open(g, 64, 64, SDL_WINDOW_HIDDEN)) {
        return false;
    }
    *target = render_target_create(w, h);
    if (!*target) {
        app_gl_close(g);
        return false;
    }
    render_target_bind(*target);
    return true;
}

static unsigned char *frame_buffer(int w, int h) {
    unsigned char *p = malloc((size_t)w * h * 4);
    if (!p) {
        LOG_ERROR("RENDER", "out of memory for a %dx%d frame", w, h);
    }
    return p;
}

static long frame_count(const app_options *opt) {
    if (opt->frames > 0) {
        return opt->frames;
    }
    double seconds = opt->seconds > 0.0 ? opt->seconds : DEFAULT_SECONDS;
    long n = lround(seconds * opt->fps);
    return n > 0 ? n : 1;
}

/* Draws and sends frames until done, a signal, or ffmpeg's end; returns frames sent. */
static long record_frames(app_state *app, app_gl *g, app_recorder *rec, long frames,
                          unsigned char *pixels, int w, int h) {
    long sent = 0;
    for (; sent < frames && !app_signals_stop_requested(); sent++) {
        app_frame_train(app, 0.0);
        app_frame_draw(app, g->render, g->hud, w, h);
        render_read_pixels(w, h, pixels);
        if (!app_recorder_write(rec, pixels)) {
            break;
        }
        if ((sent + 1) % (app->fixed_fps * 5) == 0) {
            LOG_INFO("RECORD", "frame=%ld of %ld epoch=%ld", sent + 1, frames,
                     nn_mlp_epoch(app->net));
        }
    }
    return sent;
}

int app_run_record(const app_options *opt) {
    int w = opt->size_w ? opt->size_w : DEFAULT_W;
    int h = opt->size_h ? opt->size_h : DEFAULT_H;
    long frames = frame_count(opt);
    char path[4096], err[1024];
    if (!app_prepare_output(opt->output_dir, opt->record_path, path, sizeof path)) {
        return 1;
    }

    app_state app;
    if (!app_state_init(&app, opt)) {
        return 1;
    }
    app.fixed_fps = opt->fps;
    app_gl g;
    render_target *target = NULL;
    unsigned char *pixels = frame_buffer(w, h);
    if (!pixels || !open_offscreen(&g, w, h, &target)) {
        free(pixels);
        app_state_free(&app);
        return 1;
    }
    app_recorder *rec = app_recorder_start(path, w, h, opt->fps, false, err, sizeof err);
    int status = 1;
    if (!rec) {
        LOG_ERROR("RECORD", "%s", err);
    } else {
        app_signals_install();
        long sent = record_frames(&app, &g, rec, frames, pixels, w, h);
        bool ok = app_recorder_finish(rec, err, sizeof err);
        if (!ok) {
            LOG_ERROR("RECORD", "%s", err);
        } else if (app_signals_stop_requested()) {
            LOG_WARN("RECORD", "stopped by signal %d after %ld of %ld frames; the video is "
                     "complete up to there", app_signals_stop_requested(), sent, frames);
        }
        status = ok ? 0 : 1;
    }
    render_target_free(target);
    app_gl_close(&g);
    free(pixels);
    app_state_free(&app);
    return status;
}

bool app_render_out(const app_options *opt, data_set *data, nn_mlp *net,
                    double epochs_per_second) {
    int w = opt->size_w ? opt->size_w : DEFAULT_W;
    int h = opt->size_h ? opt->size_h : DEFAULT_H;
    char path[4096], err[1024];
    app_output_path(opt->output_dir, opt->out_path, path, sizeof path);

    app_options view = *opt;
    view.hide_overlays = !opt->show_overlays;
    app_state app;
    if (!app_state_adopt(&app, &view, data, net)) {
        return false;
    }
    app.paused = true;
    app.still = true;
    app.epochs_per_second = epochs_per_second;
    app_gl g;
    render_target *target = NULL;
    unsigned char *pixels = frame_buffer(w, h);
    bool ok = pixels && open_offscreen(&g, w, h, &target);
    if (ok) {
        app_frame_train(&app, 0.0); /* paused: only refreshes the figures */
        app_frame_draw(&app, g.render, g.hud, w, h);
        render_read_pixels(w, h, pixels);
        ok = app_write_png(path, pixels, w, h, err, sizeof err);
        if (ok) {
            LOG_INFO("CAPTURE", "image saved file=%s size=%dx%d", path, w, h);
        } else {
            LOG_ERROR("CAPTURE", "%s", err);
        }
        render_target_free(target);
        app_gl_close(&g);
    }
    free(pixels);
    app_state_free(&app);
    return ok;
}
