/* The live window: SDL2 with an OpenGL 3.3 core context, the event loop, the keyboard
 * and mouse, the frame pacing, and one clean shutdown path for Esc, closing the window,
 * SIGINT and SIGTERM. Everything the keys do is a command from commands.c. */
#define _POSIX_C_SOURCE 200809L
#include <glad/gl.h>

#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app/capture.h"
#include "app/hud.h"
#include "app/keys.h"
#include "app/live.h"
#include "common/log.h"
#include "common/timer.h"

#define WINDOW_W 1280
#define WINDOW_H 720

static volatile sig_atomic_t g_stop_signal;

static void on_stop_signal(int sig) {
    g_stop_signal = sig;
}

static void install_signal_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

typedef struct live_window {
    SDL_Window *window;
    SDL_GLContext gl;
    render_ctx *render;
    app_hud *hud;
    double frame_period; /* seconds per display refresh */
    bool vsync;
    double deadline; /* when the next frame is due, without vsync */
    bool dragging;
} live_window;

static void live_window_close(live_window *lw) {
    app_hud_free(lw->hud);
    render_free(lw->render);
    if (lw->gl) {
        SDL_GL_DeleteContext(lw->gl);
    }
    if (lw->window) {
        SDL_DestroyWindow(lw->window);
    }
    SDL_Quit();
}

static bool live_window_open(live_window *lw, bool fullscreen) {
    memset(lw, 0, sizeof *lw);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        LOG_ERROR("SDL", "cannot start video: %s", SDL_GetError());
        return false;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI |
                   (fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    lw->window = SDL_CreateWindow("herologo", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                  WINDOW_W, WINDOW_H, flags);
    lw->gl = lw->window ? SDL_GL_CreateContext(lw->window) : NULL;
    if (!lw->gl) {
        LOG_ERROR("SDL", "cannot open an OpenGL 3.3 core window: %s", SDL_GetError());
        live_window_close(lw);
        return false;
    }
    if (!gladLoadGL((GLADloadfunc)SDL_GL_GetProcAddress)) {
        LOG_ERROR("GL", "cannot load OpenGL functions");
        live_window_close(lw);
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
    lw->render = render_create();
    lw->hud = lw->render ? app_hud_create() : NULL;
    if (!lw->hud) {
        live_window_close(lw);
        return false;
    }
    return true;
}

static void handle_mouse(live_window *lw, app_state *app, const SDL_Event *ev) {
    int ww, wh, dw, dh;
    SDL_GetWindowSize(lw->window, &ww, &wh);
    SDL_GL_GetDrawableSize(lw->window, &dw, &dh);
    double sx = ww > 0 ? (double)dw / ww : 1.0, sy = wh > 0 ? (double)dh / wh : 1.0;
    if (ev->type == SDL_MOUSEWHEEL && ev->wheel.y != 0) {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        double factor = ev->wheel.y > 0 ? 1.0 / 1.15 : 1.15;
        app_view_zoom_at(app, mx * sx, my * sy, factor);
    } else if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        lw->dragging = true;
    } else if (ev->type == SDL_MOUSEBUTTONUP && ev->button.button == SDL_BUTTON_LEFT) {
        lw->dragging = false;
    } else if (ev->type == SDL_MOUSEMOTION && lw->dragging) {
        app_view_pan_pixels(app, ev->motion.xrel * sx, ev->motion.yrel * sy);
    }
}

static void toggle_fullscreen(live_window *lw, app_state *app) {
    app->fullscreen = !app->fullscreen;
    SDL_SetWindowFullscreen(lw->window, app->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    LOG_INFO("APP", "fullscreen=%s", app->fullscreen ? "on" : "off");
}

static void poll_events(live_window *lw, app_state *app) {
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_QUIT) {
            app_command_quit(app);
        } else if (ev.type == SDL_KEYDOWN) {
            if (app_keys_handle(app, &ev.key) == APP_KEY_FULLSCREEN) {
                toggle_fullscreen(lw, app);
            }
        } else {
            handle_mouse(lw, app, &ev);
        }
    }
    if (g_stop_signal && !app->quit) {
        LOG_INFO("APP", "signal %d: shutting down", (int)g_stop_signal);
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

static bool save_screenshot(const char *path, int w, int h) {
    char err[512];
    if (!app_capture_png(path, w, h, err, sizeof err)) {
        LOG_ERROR("CAPTURE", "%s", err);
        return false;
    }
    LOG_INFO("CAPTURE", "screenshot saved file=%s size=%dx%d", path, w, h);
    return true;
}

int app_run_live(const app_options *opt) {
    app_state app;
    if (!app_state_init(&app, opt)) {
        return 1;
    }
    live_window lw;
    if (!live_window_open(&lw, opt->fullscreen)) {
        app_state_free(&app);
        return 1;
    }
    app.fullscreen = opt->fullscreen;
    install_signal_handlers();
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
        SDL_GL_GetDrawableSize(lw.window, &w, &h);
        app_frame_draw(&app, lw.render, lw.hud, w, h);
        bool last = opt->frames > 0 && frame + 1 >= opt->frames;
        if ((last || app.quit) && opt->screenshot_path &&
            !save_screenshot(opt->screenshot_path, w, h)) {
            status = 1;
        }
        SDL_GL_SwapWindow(lw.window);
        draw_time = 0.8 * draw_time + 0.2 * (timer_now() - draw_start);
        pace_frame(&lw, &app, start);
        if (last) {
            app.quit = true;
        }
    }
    live_window_close(&lw);
    app_state_free(&app);
    return status;
}
