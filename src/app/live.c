/* The live window: SDL2 with an OpenGL 3.3 core context, the event loop, the keyboard
 * and mouse, the frame pacing, and one clean shutdown path for Esc, closing the window,
 * SIGINT and SIGTERM. Everything the keys do is a command from commands.c. */
#define _POSIX_C_SOURCE 200809L
#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "app/capture.h"
#include "app/record.h"
#include "app/signals.h"
#include "app/hud.h"
#include "app/keys.h"
#include "app/live.h"
#include "app/window.h"
#include "common/log.h"
#include "common/timer.h"

#define WINDOW_W 1280
#define WINDOW_H 720
/* Training never holds one frame longer than this, whatever the epochs per frame. */
#define FRAME_CAP 0.1
#define TOAST_SECONDS 4.0

/* A recording from the window: frames are scaled into a target of the size the
 * recording started with, so resizing the window does not break the video. */
typedef struct live_recording {
    app_recorder *rec;
    render_target *target;
    unsigned char *pixels;
    int w, h;
} live_recording;

typedef struct live_window {
    app_gl g;
    live_recording recording;
    bool want_screenshot;
    int windowed_x, windowed_y, windowed_w, windowed_h; /* to return to from full-screen */
    char toast[4400];
    double toast_until;
    double frame_period; /* seconds per display refresh */
    bool vsync;
    double deadline; /* when the next frame is due, without vsync */
    bool dragging;
    bool dragged; /* the view moved during this drag */
} live_window;

static bool live_window_open(live_window *lw, const app_options *opt) {
    memset(lw, 0, sizeof *lw);
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = opt->size_w ? opt->size_w : WINDOW_W, h = opt->size_h ? opt->size_h : WINDOW_H;
    if (!app_gl_open(&lw->g, w, h, flags)) {
        return false;
    }
    lw->vsync = SDL_GL_SetSwapInterval(1) == 0;
    if (!lw->vsync) {
        LOG_WARN("GL", "no vsync here: frames are paced by the clock instead");
    }
    SDL_DisplayMode mode;
    int hz = SDL_GetCurrentDisplayMode(0, &mode) == 0 && mode.refresh_rate > 0
                 ? mode.refresh_rate : 60;
    lw->frame_period = 1.0 / hz;
    return true;
}

static void log_view(const app_state *app, const char *what) {
    double x0, x1, y0, y1;
    app_view_rect(app, &x0, &x1, &y0, &y1);
    LOG_INFO("APP", "%s view x=%.6g..%.6g y=%.6g..%.6g", what, x0, x1, y0, y1);
}

static void handle_mouse(live_window *lw, app_state *app, const SDL_Event *ev) {
    int ww, wh, dw, dh;
    SDL_GetWindowSize(lw->g.window, &ww, &wh);
    SDL_GL_GetDrawableSize(lw->g.window, &dw, &dh);
    double sx = ww > 0 ? (double)dw / ww : 1.0, sy = wh > 0 ? (double)dh / wh : 1.0;
    if (ev->type == SDL_MOUSEWHEEL && ev->wheel.y != 0) {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        double factor = ev->wheel.y > 0 ? 1.0 / 1.15 : 1.15;
        app_view_zoom_at(app, mx * sx, my * sy, factor);
        log_view(app, "zoom");
    } else if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        lw->dragging = true;
    } else if (ev->type == SDL_MOUSEBUTTONUP && ev->button.button == SDL_BUTTON_LEFT) {
        if (lw->dragged) {
            log_view(app, "pan"); /* once per drag, not per mouse motion */
        }
        lw->dragging = lw->dragged = false;
    } else if (ev->type == SDL_MOUSEMOTION && lw->dragging) {
        app_view_pan_pixels(app, ev->motion.xrel * sx, ev->motion.yrel * sy);
        lw->dragged = true;
    }
}

/* Full-screen is asked of the window manager, and without one (Xvfb, kiosks) nothing
 * would resize the window while SDL draws at the display's size. So the window is also
 * moved and sized to cover the display itself, and put back on leaving. */
static void toggle_fullscreen(live_window *lw, app_state *app) {
    SDL_Window *win = lw->g.window;
    app->fullscreen = !app->fullscreen;
    if (app->fullscreen) {
        SDL_Rect bounds;
        SDL_GetWindowSize(win, &lw->windowed_w, &lw->windowed_h);
        SDL_GetWindowPosition(win, &lw->windowed_x, &lw->windowed_y);
        if (SDL_GetDisplayBounds(SDL_GetWindowDisplayIndex(win), &bounds) == 0) {
            SDL_SetWindowPosition(win, bounds.x, bounds.y);
            SDL_SetWindowSize(win, bounds.w, bounds.h);
        }
        SDL_SetWindowFullscreen(win, SDL_WINDOW_FULLSCREEN_DESKTOP);
    } else {
        SDL_SetWindowFullscreen(win, 0);
        if (lw->windowed_w > 0) {
            SDL_SetWindowSize(win, lw->windowed_w, lw->windowed_h);
            SDL_SetWindowPosition(win, lw->windowed_x, lw->windowed_y);
        }
    }
    LOG_INFO("APP", "fullscreen=%s", app->fullscreen ? "on" : "off");
}

/* A short message on screen for what happens outside the picture (files saved, a
 * recording that failed), so a full-screen user sees it; drawn after the capture. */
static void toast(live_window *lw, const char *fmt, const char *what) {
    snprintf(lw->toast, sizeof lw->toast, fmt, what);
    lw->toast_until = timer_now() + TOAST_SECONDS;
}

/* What an error says after its "PATH: " prefix, and a path's last part: the notice has
 * room for one short line; the log keeps the whole message. */
static const char *after_path(const char *err, const char *path) {
    size_t n = strlen(path);
    return strncmp(err, path, n) == 0 && strncmp(err + n, ": ", 2) == 0 ? err + n + 2 : err;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool save_screenshot(live_window *lw, const char *path, int w, int h) {
    char err[512];
    if (!app_capture_png(path, w, h, err, sizeof err)) {
        LOG_ERROR("CAPTURE", "%s", err);
        toast(lw, "Screenshot failed: %s", after_path(err, path));
        return false;
    }
    LOG_INFO("CAPTURE", "screenshot saved file=%s size=%dx%d", path, w, h);
    toast(lw, "Screenshot saved: %s", base_name(path));
    return true;
}

static void stop_recording(live_window *lw) {
    live_recording *r = &lw->recording;
    if (!r->rec) {
        return;
    }
    char err[1024], path[4096];
    snprintf(path, sizeof path, "%s", app_recorder_path(r->rec));
    if (!app_recorder_finish(r->rec, err, sizeof err)) {
        LOG_ERROR("RECORD", "%s", err);
        toast(lw, "Recording failed: %s", after_path(err, path));
    } else {
        toast(lw, "Recording saved: %s", base_name(path));
    }
    render_target_free(r->target);
    free(r->pixels);
    memset(r, 0, sizeof *r);
}

static void start_recording(live_window *lw, const app_state *app) {
    live_recording *r = &lw->recording;
    int w, h;
    SDL_GL_GetDrawableSize(lw->g.window, &w, &h);
    r->w = w & ~1; /* H.264 in yuv420p needs even sides */
    r->h = h & ~1;
    char path[4096], err[1024];
    app_timestamped_path(app->opt.output_dir, "mp4", path, sizeof path);
    r->pixels = malloc((size_t)r->w * r->h * 4);
    r->target = r->pixels ? render_target_create(r->w, r->h) : NULL;
    render_target_bind(NULL);
    int fps = (int)lround(1.0 / lw->frame_period);
    r->rec = r->target ? app_recorder_start(path, r->w, r->h, fps, true, err, sizeof err)
                       : NULL;
    if (!r->rec) {
        const char *why = r->target ? err : "cannot make the recording buffer";
        LOG_ERROR("RECORD", "%s", why);
        toast(lw, "Recording failed: %s", after_path(why, path));
        render_target_free(r->target);
        free(r->pixels);
        memset(r, 0, sizeof *r);
        return;
    }
    toast(lw, "Recording %s (Shift+F12 stops)", base_name(path));
}

static void toggle_recording(live_window *lw, const app_state *app) {
    if (lw->recording.rec) {
        stop_recording(lw);
    } else {
        start_recording(lw, app);
    }
}

/* Captures what the frame drew (before the recording mark) for a screenshot or video. */
static void capture_frame(live_window *lw, const app_state *app, int w, int h) {
    if (lw->want_screenshot) {
        char path[4096];
        app_timestamped_path(app->opt.output_dir, "png", path, sizeof path);
        save_screenshot(lw, path, w, h);
        lw->want_screenshot = false;
    }
    live_recording *r = &lw->recording;
    if (!r->rec) {
        return;
    }
    render_target_blit_from_window(r->target, w, h);
    render_read_pixels(r->w, r->h, r->pixels);
    render_target_bind(NULL);
    if (!app_recorder_write(r->rec, r->pixels)) {
        stop_recording(lw); /* says why; the live view carries on */
    }
}

/* A red dot in the top-right corner while recording; drawn after the capture. */
static void draw_recording_mark(live_window *lw, int w, int h) {
    if (!lw->recording.rec) {
        return;
    }
    mat4 px;
    render_ortho(0.0f, (float)w, 0.0f, (float)h, px);
    float s = 0.022f * (float)h, m = 0.03f * (float)h;
    render_rect(lw->g.render, (float)w - m - s, (float)h - m - s, (float)w - m, (float)h - m,
                px, (render_color){0.9f, 0.1f, 0.1f, 1.0f});
}

static void poll_events(live_window *lw, app_state *app) {
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_QUIT) {
            app_command_quit(app);
        } else if (ev.type == SDL_KEYDOWN) {
            app_key_result k = app_keys_handle(app, &ev.key);
            if (k == APP_KEY_FULLSCREEN) {
                toggle_fullscreen(lw, app);
            } else if (k == APP_KEY_SCREENSHOT) {
                lw->want_screenshot = true;
            } else if (k == APP_KEY_RECORD) {
                toggle_recording(lw, app);
            }
        } else {
            handle_mouse(lw, app, &ev);
        }
    }
    if (app_signals_stop_requested() && !app->quit) {
        LOG_INFO("APP", "signal %d: shutting down", app_signals_stop_requested());
        app->quit = true;
    }
}

/* Frame rate as a moving average, and pacing by the clock where vsync is missing: each
 * frame has a deadline one display period after the previous one. */
static void pace_frame(live_window *lw, app_state *app, double frame_start) {
    double now = timer_now();
    if (!lw->vsync) {
        lw->deadline = lw->deadline > 0.0 ? lw->deadline + lw->frame_period
                                          : frame_start + lw->frame_period;
        if (lw->deadline < now - lw->frame_period) {
            lw->deadline = now; /* fell far behind: do not race to catch up */
        }
        while (now < lw->deadline) {
            double left = lw->deadline - now;
            SDL_Delay(left > 0.002 ? (Uint32)((left - 0.001) * 1000.0) : 0);
            now = timer_now();
        }
    }
    double fps = now > frame_start ? 1.0 / (now - frame_start) : 0.0;
    app->frames_per_second = app->frames_per_second > 0.0
                                 ? 0.95 * app->frames_per_second + 0.05 * fps
                                 : fps;
}

int app_run_live(const app_options *opt) {
    char shot_path[4096] = "";
    if (opt->screenshot_path &&
        !app_prepare_output(opt->output_dir, opt->screenshot_path, shot_path, sizeof shot_path)) {
        return 1;
    }
    app_state app;
    if (!app_state_init(&app, opt)) {
        return 1;
    }
    live_window lw;
    if (!live_window_open(&lw, opt)) {
        app_state_free(&app);
        return 1;
    }
    if (opt->fullscreen) {
        toggle_fullscreen(&lw, &app); /* the same path as F, which works without a WM */
    }
    app.frame_cap = FRAME_CAP;
    app_signals_install();
    char topo[96];
    nn_desc_topology(nn_mlp_desc(app.net), topo, sizeof topo);
    LOG_INFO("APP", "live view topology=%s data=%s simd=%s (press H for keys)", topo,
             opt->data, nn_simd_name());

    int status = 0;
    double draw_time = 0.0;

    for (long frame = 0; !app.quit; frame++) {
        double start = timer_now();
        poll_events(&lw, &app);
        double budget = lw.frame_period - draw_time - 0.002;
        app_frame_train(&app, budget > 0.001 ? budget : 0.001);

        double draw_start = timer_now();
        int w, h;
        SDL_GL_GetDrawableSize(lw.g.window, &w, &h);
        app_frame_draw(&app, lw.g.render, lw.g.hud, w, h);
        bool last = opt->frames > 0 && frame + 1 >= opt->frames;
        if ((last || app.quit) && opt->screenshot_path &&
            !save_screenshot(&lw, shot_path, w, h)) {
            status = 1;
        }
        capture_frame(&lw, &app, w, h);
        draw_recording_mark(&lw, w, h);
        if (timer_now() < lw.toast_until) {
            app_hud_draw_toast(lw.g.hud, lw.g.render, lw.toast, w, h);
        }
        SDL_GL_SwapWindow(lw.g.window);
        draw_time = 0.8 * draw_time + 0.2 * (timer_now() - draw_start);
        pace_frame(&lw, &app, start);
        if (last) {
            app.quit = true;
        }
    }
    stop_recording(&lw); /* a video is finalised by every way out */
    app_gl_close(&lw.g);
    app_state_free(&app);
    return status;
}
