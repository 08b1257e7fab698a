/* Tests of the live view in a real window and GL context (SDL's offscreen driver with
 * Mesa): the trained picture's pixels inside and outside the shape, and every key's
 * command checked for its state change, its INFO line and its effect on the picture. */
#define _POSIX_C_SOURCE 200809L
#include <glad/gl.h>

#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image.h>
#include <unistd.h>

#include "app/capture.h"
#include "app/hud.h"
#include "app/keys.h"
#include "app/live.h"
#include "check.h"
#include "common/log.h"
#include "data/data.h"

#define W 1280
#define H 720

static unsigned char g_pixels[W * H * 4];
static unsigned char g_before[W * H * 4];
static int g_info_lines;
static char g_last_info[512];

static void count_sink(log_level level, const char *tag, const char *msg, void *user) {
    (void)user;
    if (level == LOG_LEVEL_INFO) {
        g_info_lines++;
        snprintf(g_last_info, sizeof g_last_info, "%s: %s", tag, msg);
    }
}

static void frame(app_state *app, render_ctx *r, app_hud *hud) {
    app_frame_train(app, 0.01);
    app_frame_draw(app, r, hud, W, H);
    render_read_pixels(W, H, g_pixels);
}

/* Colour at world (x, y) in the default view: x -8..8 across, y -4.5..4.5 up. */
static const unsigned char *pixel_at(double x, double y) {
    int px = (int)((x + 8.0) / 16.0 * W);
    int py = (int)((y + 4.5) / 9.0 * H); /* rows are bottom-up */
    return g_pixels + ((size_t)py * W + px) * 4;
}

static bool is_inside_colour(const unsigned char *p) {
    return p[0] < 40 && p[1] < 40 && p[2] < 40;
}

static bool is_outside_colour(const unsigned char *p) {
    return p[0] > 220 && p[1] > 170 && p[2] < 60;
}

static void press(app_state *app, SDL_Keycode sym, Uint16 mod) {
    SDL_KeyboardEvent key;
    memset(&key, 0, sizeof key);
    key.type = SDL_KEYDOWN;
    key.state = SDL_PRESSED;
    key.keysym.sym = sym;
    key.keysym.mod = mod;
    app_keys_handle(app, &key);
}

/* Presses a key and checks that exactly one INFO line was logged containing `needle`. */
static void press_logged(app_state *app, SDL_Keycode sym, Uint16 mod, const char *needle) {
    g_info_lines = 0;
    g_last_info[0] = '\0';
    press(app, sym, mod);
    CHECK_MSG(g_info_lines == 1 && strstr(g_last_info, needle),
              "key %s: %d INFO lines, last '%s' (wanted '%s')", SDL_GetKeyName(sym),
              g_info_lines, g_last_info, needle);
}

static bool picture_changed(void) {
    return memcmp(g_before, g_pixels, sizeof g_pixels) != 0;
}

static void test_trained_picture(app_state *app, render_ctx *r) {
    app->epochs_per_frame = 4096;
    for (int k = 0; k < 10; k++) {
        frame(app, r, NULL);
    }
    CHECK(nn_mlp_epoch(app->net) == 40960);
    app->show_points = false;
    frame(app, r, NULL); /* the paused-free frame trains 4096 more: fine for the picture */
    /* Inside: body, wings, head. Outside: above the head between the ears, the corners,
     * below the body, beyond the wing tips. */
    const double inside[][2] = {{0.0, 0.0}, {-5.0, 0.0}, {5.0, 0.5}, {0.0, 1.8}, {2.0, -1.0}};
    const double outside[][2] = {{0.0, 3.6}, {-7.6, 4.0}, {7.6, -4.0}, {0.0, -3.8},
                                 {7.7, 0.0}, {-7.7, 0.0}};
    for (size_t k = 0; k < sizeof inside / sizeof inside[0]; k++) {
        const unsigned char *p = pixel_at(inside[k][0], inside[k][1]);
        CHECK_MSG(is_inside_colour(p) && data_batman_inside(inside[k][0], inside[k][1]),
                  "(%g, %g) should be near-black, is %d %d %d", inside[k][0], inside[k][1],
                  p[0], p[1], p[2]);
    }
    for (size_t k = 0; k < sizeof outside / sizeof outside[0]; k++) {
        const unsigned char *p = pixel_at(outside[k][0], outside[k][1]);
        CHECK_MSG(is_outside_colour(p) && !data_batman_inside(outside[k][0], outside[k][1]),
                  "(%g, %g) should be yellow, is %d %d %d", outside[k][0], outside[k][1],
                  p[0], p[1], p[2]);
    }
    app->show_points = true;
}

static void test_training_keys(app_state *app, render_ctx *r) {
    const nn_desc *d = nn_mlp_desc(app->net);
    press_logged(app, SDLK_SPACE, 0, "paused");
    long e = nn_mlp_epoch(app->net);
    frame(app, r, NULL);
    CHECK(app->paused && nn_mlp_epoch(app->net) == e);
    press_logged(app, SDLK_RIGHT, 0, "step");
    frame(app, r, NULL);
    CHECK(nn_mlp_epoch(app->net) == e + 1);

    /* Topology: units added keep the picture exactly; the INFO line names the topology. */
    memcpy(g_before, g_pixels, sizeof g_pixels);
    press_logged(app, SDLK_UP, 0, "topology=2-41-1");
    frame(app, r, NULL);
    CHECK_MSG(!picture_changed(), "adding a unit changed the picture");
    press_logged(app, SDLK_DOWN, 0, "topology=2-40-1");
    press_logged(app, SDLK_UP, KMOD_LSHIFT, "topology=2-80-1");
    press_logged(app, SDLK_DOWN, KMOD_LSHIFT, "topology=2-40-1");
    press_logged(app, SDLK_PAGEUP, 0, "topology=2-40-40-1");
    CHECK(nn_mlp_epoch(app->net) == 0);
    press_logged(app, SDLK_PAGEDOWN, 0, "topology=2-40-1");
    for (int k = 0; k < 8; k++) {
        press(app, SDLK_PAGEUP, 0);
    }
    CHECK(d->n_hidden == NN_MAX_LAYERS);
    while (d->n_hidden > 1) {
        press(app, SDLK_PAGEDOWN, 0);
    }
    press_logged(app, SDLK_PAGEDOWN, 0, "unchanged");
    CHECK(d->n_hidden == 1);

    /* Settings. */
    frame(app, r, NULL);
    memcpy(g_before, g_pixels, sizeof g_pixels);
    press_logged(app, SDLK_a, 0, "activation=tanh");
    CHECK(d->act == NN_ACT_TANH);
    frame(app, r, NULL);
    CHECK_MSG(picture_changed(), "a new activation must change the network's picture");
    press_logged(app, SDLK_l, 0, "loss=mse");
    CHECK(d->loss == NN_LOSS_MSE);
    press_logged(app, SDLK_o, 0, "optimizer=momentum");
    CHECK(d->opt == NN_OPT_MOMENTUM && d->lr == 0.1f);
    press_logged(app, SDLK_MINUS, 0, "lr=0.05");
    press_logged(app, SDLK_EQUALS, 0, "lr=0.1");
    press_logged(app, SDLK_n, 0, "normalize=on");
    CHECK(d->normalize);
    press_logged(app, SDLK_i, 0, "init=1");
    CHECK(d->init_range == 1.0f);
    press_logged(app, SDLK_LEFTBRACKET, 0, "epochs_per_frame=2048");
    press_logged(app, SDLK_RIGHTBRACKET, 0, "epochs_per_frame=4096");

    /* Reset and reseed keep the pause state and show the fresh network at once. */
    uint64_t seed = d->seed;
    frame(app, r, NULL);
    app->paused = false;
    frame(app, r, NULL);
    CHECK(nn_mlp_epoch(app->net) > 0);
    press_logged(app, SDLK_r, 0, "reset");
    CHECK(nn_mlp_epoch(app->net) == 0 && d->seed == seed && !app->paused);
    press(app, SDLK_SPACE, 0);
    press_logged(app, SDLK_s, 0, "reseed");
    CHECK(d->seed != seed && app->paused && nn_mlp_epoch(app->net) == 0);
    memcpy(g_before, g_pixels, sizeof g_pixels);
    frame(app, r, NULL);
    CHECK_MSG(picture_changed(), "a paused view must show the reseeded network");
    CHECK(nn_mlp_epoch(app->net) == 0);
    press(app, SDLK_SPACE, 0);
}

static void test_view_keys(app_state *app, render_ctx *r, app_hud *hud) {
    frame(app, r, NULL);
    for (int mode = 0; mode < RENDER_FIELD_MODE_COUNT; mode++) {
        memcpy(g_before, g_pixels, sizeof g_pixels);
        app->paused = true;
        press_logged(app, SDLK_v, 0, "view=");
        frame(app, r, NULL);
        CHECK_MSG(picture_changed(), "view mode %d did not change the picture", mode);
    }
    CHECK(app->mode == RENDER_FIELD_SMOOTH);

    const SDL_Keycode toggles[] = {SDLK_c, SDLK_t, SDLK_h};
    const char *names[] = {"curve=", "points=", "help="};
    for (int k = 0; k < 3; k++) {
        memcpy(g_before, g_pixels, sizeof g_pixels);
        press_logged(app, toggles[k], 0, names[k]);
        frame(app, r, NULL);
        CHECK_MSG(picture_changed(), "%s did not change the picture", names[k]);
        press(app, toggles[k], 0);
    }
    press_logged(app, SDLK_F1, 0, "help=on");
    press_logged(app, SDLK_F1, 0, "help=off");
    frame(app, r, hud);
    memcpy(g_before, g_pixels, sizeof g_pixels);
    press_logged(app, SDLK_g, 0, "overlays=off");
    CHECK(!app->show_overlays);
    frame(app, r, hud);
    CHECK_MSG(picture_changed(), "G did not hide the overlays");
    press(app, SDLK_g, 0);

    /* Zoom at a pixel keeps the world point under it; 0 and Home restore the view. */
    double x0, x1, y0, y1;
    app_view_zoom_at(app, 960.0, 180.0, 0.5);
    app_view_rect(app, &x0, &x1, &y0, &y1);
    CHECK_NEAR(x0 + (x1 - x0) * 0.75, 4.0, 1e-9);
    CHECK_NEAR(y1 - (y1 - y0) * 0.25, 2.25, 1e-9);
    press_logged(app, SDLK_0, 0, "view reset");
    CHECK(app->view.half_width == 8.0 && app->view.cx == 0.0);
    app_view_pan_pixels(app, 80.0, 0.0);
    CHECK_NEAR(app->view.cx, -1.0, 1e-9);
    press_logged(app, SDLK_HOME, 0, "view reset");
    press_logged(app, SDLK_COMMA, 0, "grid=8");
    press_logged(app, SDLK_PERIOD, 0, "grid=4");

    CHECK(app_keys_handle(app, &(SDL_KeyboardEvent){.keysym = {.sym = SDLK_f}}) ==
          APP_KEY_FULLSCREEN);
    CHECK(app_keys_handle(app, &(SDL_KeyboardEvent){.keysym = {.sym = SDLK_F11}}) ==
          APP_KEY_FULLSCREEN);
    press_logged(app, SDLK_q, 0, "quit");
    CHECK(app->quit);
    app->quit = false;
    press_logged(app, SDLK_ESCAPE, 0, "quit");
    CHECK(app->quit);
}

/* F12's writer: the PNG holds exactly the framebuffer's pixels, top row first. */
static void test_screenshot_matches(app_state *app, render_ctx *r, app_hud *hud) {
    char dir[64], path[96];
    CHECK(check_temp_dir(dir, sizeof dir, "test-live") != NULL);
    snprintf(path, sizeof path, "%s/shot.png", dir);
    app->paused = true;
    frame(app, r, hud);
    char err[512];
    CHECK(app_capture_png(path, W, H, err, sizeof err));
    int w = 0, h = 0, n = 0;
    unsigned char *png = stbi_load(path, &w, &h, &n, 3);
    CHECK(png != NULL && w == W && h == H);
    int diff = 0;
    for (int y = 0; png && y < H; y++) {
        for (int x = 0; x < W; x++) {
            const unsigned char *a = png + ((size_t)y * W + x) * 3;
            const unsigned char *b = g_pixels + ((size_t)(H - 1 - y) * W + x) * 4;
            diff += memcmp(a, b, 3) != 0;
        }
    }
    CHECK_MSG(diff == 0, "%d screenshot pixels differ from the framebuffer", diff);
    stbi_image_free(png);
    unlink(path);
    rmdir(dir);

    /* F12 and Shift+F12 are handed to the window loop. */
    SDL_KeyboardEvent key = {.keysym = {.sym = SDLK_F12}};
    CHECK(app_keys_handle(app, &key) == APP_KEY_SCREENSHOT);
    key.keysym.mod = KMOD_RSHIFT;
    CHECK(app_keys_handle(app, &key) == APP_KEY_RECORD);
    app->paused = false;
}

static void test_divergence(app_state *app, render_ctx *r, app_hud *hud) {
    nn_mlp_set_act(app->net, NN_ACT_RELU);
    nn_mlp_set_init_range(app->net, 1e25f);
    static const int two[] = {20, 20};
    nn_mlp_set_topology(app->net, two, 2);
    app->paused = false;
    app->epochs_per_frame = 64;
    frame(app, r, hud);
    frame(app, r, hud);
    CHECK(nn_mlp_diverged(app->net));
    long e = nn_mlp_epoch(app->net);
    frame(app, r, hud);
    CHECK(nn_mlp_epoch(app->net) == e);
    /* R recovers: the settings that diverged go back to their defaults. */
    nn_mlp_set_lr(app->net, 4096.0f);
    press_logged(app, SDLK_r, 0, "after divergence: lr=");
    const nn_desc *d = nn_mlp_desc(app->net);
    CHECK(d->init_range == 0.2f && d->lr == nn_opt_default_lr(d->opt));
    frame(app, r, hud);
    CHECK(!nn_mlp_diverged(app->net) && nn_mlp_epoch(app->net) == 64);
}

int main(void) {
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "FAIL: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_Window *win = SDL_CreateWindow("test_live", 0, 0, W, H,
                                       SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext gl = win ? SDL_GL_CreateContext(win) : NULL;
    if (!gl || !gladLoadGL((GLADloadfunc)SDL_GL_GetProcAddress)) {
        fprintf(stderr, "FAIL: no OpenGL 3.3 core context: %s\n", SDL_GetError());
        return 1;
    }
    render_ctx *r = render_create();
    app_hud *hud = app_hud_create();
    app_options opt;
    char *argv[] = {"herologo", NULL};
    app_parse_args(1, argv, &opt);
    app_state app;
    CHECK(r != NULL && hud != NULL);
    CHECK(app_state_init(&app, &opt));
    if (r && hud) {
        log_set_sink(count_sink, NULL);
        test_trained_picture(&app, r);
        test_training_keys(&app, r);
        test_view_keys(&app, r, hud);
        test_screenshot_matches(&app, r, hud);
        test_divergence(&app, r, hud);
        log_set_sink(NULL, NULL);
    }
    app_state_free(&app);
    app_hud_free(hud);
    render_free(r);
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return check_summary("test_live");
}
