/* Pixel checks of the render module through a real OpenGL 3.3 core context (Mesa's
 * offscreen driver unless SDL_VIDEODRIVER says otherwise): each kind of draw lands where
 * and how it should, shader errors are reported, textures and buffers are re-used. With
 * no context to be had the test fails and says why; it never skips. */
#define _POSIX_C_SOURCE 200809L
#define SDL_MAIN_HANDLED
#include <glad/gl.h>

#include <SDL.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/log.h"
#include "render/render.h"
#include "render/render_debug.h"
#include "render/render_internal.h"

#define W 640
#define H 360
/* The default view: [-8, 8] x [-4.5, 4.5], 40 pixels a world unit on both axes. */
#define VIEW_X0 -8.0f
#define VIEW_X1 8.0f
#define VIEW_Y0 -4.5f
#define VIEW_Y1 4.5f

static unsigned char g_pixels[W * H * 4];

/* ---- helpers -------------------------------------------------------------------------- */

static void read_frame(void) {
    render_read_pixels(W, H, g_pixels);
    /* A frame dump for a person to look at: HEROLOGO_TEST_DUMP=1 writes last_frame.ppm. */
    if (getenv("HEROLOGO_TEST_DUMP")) {
        FILE *f = fopen("last_frame.ppm", "wb");
        if (f) {
            fprintf(f, "P6 %d %d 255\n", W, H);
            for (int y = H - 1; y >= 0; y--) {
                for (int x = 0; x < W; x++) {
                    fwrite(g_pixels + 4 * (y * W + x), 1, 3, f);
                }
            }
            fclose(f);
        }
    }
}

/* Pixel (x, y) with y counted from the bottom row, as GL reads them. */
static const unsigned char *pixel(int x, int y) {
    return g_pixels + 4 * (y * W + x);
}

static int to_byte(float c) {
    return (int)lroundf(c * 255.0f);
}

/* Largest channel difference between a pixel and a colour. */
static int color_diff(const unsigned char *p, render_color c) {
    int d = abs(p[0] - to_byte(c.r));
    int dg = abs(p[1] - to_byte(c.g));
    int db = abs(p[2] - to_byte(c.b));
    d = dg > d ? dg : d;
    return db > d ? db : d;
}

#define CHECK_COLOR(x, y, color, tol)                                                     \
    do {                                                                                  \
        const unsigned char *p_ = pixel((x), (y));                                        \
        render_color c_ = (color);                                                        \
        CHECK_MSG(color_diff(p_, c_) <= (tol),                                            \
                  "pixel (%d, %d) = (%d, %d, %d), want (%d, %d, %d)", (x), (y), p_[0],    \
                  p_[1], p_[2], to_byte(c_.r), to_byte(c_.g), to_byte(c_.b));             \
    } while (0)

/* Pixels that are neither colour within tol. */
static int count_other(render_color a, render_color b, int tol) {
    int n = 0;
    for (int i = 0; i < W * H; i++) {
        const unsigned char *p = g_pixels + 4 * i;
        n += color_diff(p, a) > tol && color_diff(p, b) > tol;
    }
    return n;
}

static int count_color(render_color c, int tol) {
    int n = 0;
    for (int i = 0; i < W * H; i++) {
        n += color_diff(g_pixels + 4 * i, c) <= tol;
    }
    return n;
}

static render_color mix_color(render_color a, render_color b, float t) {
    return (render_color){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                          a.b + (b.b - a.b) * t, 1.0f};
}

/* A grid over [x0, x1] x [y0, y1] whose value at each point comes from f. */
static render_grid make_grid(float *p, int nx, int ny, float x0, float x1, float y0, float y1,
                             float (*f)(float x, float y, int i, int j)) {
    for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
            float x = x0 + (x1 - x0) * (float)i / (float)(nx - 1);
            float y = y0 + (y1 - y0) * (float)j / (float)(ny - 1);
            p[j * nx + i] = f(x, y, i, j);
        }
    }
    return (render_grid){p, nx, ny, x0, x1, y0, y1};
}

static float circle3(float x, float y, int i, int j) {
    (void)i, (void)j;
    return x * x + y * y <= 9.0f ? 1.0f : 0.0f;
}

static float ramp_x(float x, float y, int i, int j) {
    (void)x, (void)y, (void)j;
    return (float)i / 4.0f; /* the ramp grid is 5 points wide */
}

static float odd_columns(float x, float y, int i, int j) {
    (void)x, (void)y, (void)j;
    return (float)(i % 2);
}

static float ones(float x, float y, int i, int j) {
    (void)x, (void)y, (void)i, (void)j;
    return 1.0f;
}

static float not_a_number(float x, float y, int i, int j) {
    (void)x, (void)y, (void)i, (void)j;
    return NAN;
}

/* Captures log lines so the test can count them. */
typedef struct log_capture {
    int errors, infos;
    char last_error[1024];
    char last_info[1024];
} log_capture;

static void capture_sink(log_level level, const char *tag, const char *msg, void *user) {
    log_capture *cap = user;
    if (level == LOG_LEVEL_ERROR) {
        cap->errors++;
        snprintf(cap->last_error, sizeof cap->last_error, "%s: %s", tag, msg);
    } else if (level == LOG_LEVEL_INFO) {
        cap->infos++;
        snprintf(cap->last_info, sizeof cap->last_info, "%s: %s", tag, msg);
    }
}

/* ---- the field ------------------------------------------------------------------------ */

static const render_color INSIDE = RENDER_INSIDE_COLOR;
static const render_color OUTSIDE = RENDER_OUTSIDE_COLOR;
static const render_color BG = RENDER_BACKGROUND;

static void test_field_circle(render_ctx *r, mat4 proj) {
    static float p[161 * 91];
    render_grid grid = make_grid(p, 161, 91, -8.0f, 8.0f, -4.5f, 4.5f, circle3);
    int allocs_before = render_debug_get_counts(r).field_texture_allocs;

    /* Smooth: inside at the centre, outside in the corners, the boundary near radius 3
     * (120 pixels) and anti-aliased: many pixels between the two colours. */
    render_begin(r, W, H);
    render_field(r, &grid, proj, RENDER_FIELD_SMOOTH, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(W / 2, H / 2, INSIDE, 3);
    CHECK_COLOR(2, 2, OUTSIDE, 3);
    CHECK_COLOR(W - 3, H - 3, OUTSIDE, 3);
    CHECK_COLOR(W / 2 + 110, H / 2, INSIDE, 3);
    CHECK_COLOR(W / 2 + 130, H / 2, OUTSIDE, 3);
    CHECK_COLOR(W / 2, H / 2 - 110, INSIDE, 3);
    CHECK_COLOR(W / 2, H / 2 - 130, OUTSIDE, 3);
    int smooth_mid = count_other(INSIDE, OUTSIDE, 8);
    CHECK_MSG(smooth_mid > 300, "smooth boundary has %d blended pixels", smooth_mid);
    /* About one pixel of blend: the circumference is about 750 pixels. */
    CHECK_MSG(smooth_mid < 2000, "smooth boundary is blurred over %d pixels", smooth_mid);
    static unsigned char smooth[W * H * 4];
    memcpy(smooth, g_pixels, sizeof smooth);

    /* Drawing the same size again re-uses the texture. */
    render_field(r, &grid, proj, RENDER_FIELD_SMOOTH, INSIDE, OUTSIDE);
    CHECK(render_debug_get_counts(r).field_texture_allocs == allocs_before + 1);

    /* Hard: every pixel is exactly one of the two colours. */
    render_begin(r, W, H);
    render_field(r, &grid, proj, RENDER_FIELD_HARD, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(W / 2, H / 2, INSIDE, 1);
    CHECK_COLOR(2, 2, OUTSIDE, 1);
    int hard_mid = count_other(INSIDE, OUTSIDE, 1);
    CHECK_MSG(hard_mid == 0, "hard mode has %d pixels of neither colour", hard_mid);

    /* Confidence: a 0/1 field differs from the smooth picture around the boundary only. */
    render_begin(r, W, H);
    render_field(r, &grid, proj, RENDER_FIELD_CONFIDENCE, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(W / 2, H / 2, INSIDE, 3);
    CHECK_COLOR(2, 2, OUTSIDE, 3);
    CHECK(memcmp(smooth, g_pixels, sizeof smooth) != 0);
    CHECK(render_debug_get_counts(r).field_texture_allocs == allocs_before + 1);
}

/* A 5-point ramp p = i / 4 across x checks the texel-centre mapping: linear filtering must
 * give back p = (x - x0) / (x1 - x0) exactly, which a half-texel slip would break by 0.1. */
static void test_field_mapping(render_ctx *r, mat4 proj) {
    static float p[5 * 4];
    render_grid ramp = make_grid(p, 5, 4, -8.0f, 8.0f, -4.5f, 4.5f, ramp_x);
    const render_color neutral = {0.5f, 0.5f, 0.5f, 1.0f};

    render_begin(r, W, H);
    render_field(r, &ramp, proj, RENDER_FIELD_CONFIDENCE, INSIDE, OUTSIDE);
    read_frame();
    const int xs[] = {0, 64, 160, 250, 400, 500, 639};
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        float pv = ((float)xs[k] + 0.5f) / (float)W;
        render_color cls = pv >= 0.5f ? INSIDE : OUTSIDE;
        CHECK_COLOR(xs[k], H / 3, mix_color(neutral, cls, fabsf(2.0f * pv - 1.0f)), 2);
    }

    /* The hard step on the filtered field falls halfway between grid points: 4 world units
     * apart = 160 pixels, so odd columns (inside) cover pixels 80..239 and 400..559. */
    render_grid stripes = make_grid(p, 5, 4, -8.0f, 8.0f, -4.5f, 4.5f, odd_columns);
    render_begin(r, W, H);
    render_field(r, &stripes, proj, RENDER_FIELD_HARD, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(78, H / 2, OUTSIDE, 1);
    CHECK_COLOR(81, H / 2, INSIDE, 1);
    CHECK_COLOR(238, H / 2, INSIDE, 1);
    CHECK_COLOR(241, H / 2, OUTSIDE, 1);
    CHECK_COLOR(401, H / 2, INSIDE, 1);
    CHECK_COLOR(561, H / 2, OUTSIDE, 1);

    /* Beyond the grid's rectangle the field is the outside colour, not a smeared edge:
     * an all-inside grid over [-8, 8] x [-4.5, 4.5] seen in a view twice as large. */
    render_grid all_in = make_grid(p, 5, 4, -8.0f, 8.0f, -4.5f, 4.5f, ones);
    mat4 wide;
    render_ortho(-16.0f, 16.0f, -9.0f, 9.0f, wide);
    for (int mode = 0; mode < RENDER_FIELD_DOTS; mode++) {
        render_begin(r, W, H);
        render_field(r, &all_in, wide, (render_field_mode)mode, INSIDE, OUTSIDE);
        read_frame();
        CHECK_COLOR(W / 2, H / 2, INSIDE, 2);
        CHECK_COLOR(W / 2 + 100, H / 2 + 50, INSIDE, 2);
        CHECK_COLOR(W / 2 + 200, H / 2, OUTSIDE, 2);
        CHECK_COLOR(10, 10, OUTSIDE, 2);
        CHECK_COLOR(W / 2, H - 10, OUTSIDE, 2);
    }

    /* A diverged network's NaN predictions read as undecided (p = 0.5), not garbage. */
    render_grid nan_grid = make_grid(p, 5, 4, -8.0f, 8.0f, -4.5f, 4.5f, not_a_number);
    render_begin(r, W, H);
    render_field(r, &nan_grid, proj, RENDER_FIELD_CONFIDENCE, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(W / 2, H / 2, neutral, 2);
    render_begin(r, W, H);
    render_field(r, &nan_grid, proj, RENDER_FIELD_SMOOTH, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(W / 2, H / 2, mix_color(OUTSIDE, INSIDE, 0.5f), 2);
}

static void test_field_dots(render_ctx *r, mat4 proj) {
    static float p[161 * 91];
    render_grid grid = make_grid(p, 161, 91, -8.0f, 8.0f, -4.5f, 4.5f, circle3);

    /* Grid points are 4 pixels apart; world (0, 0) is the corner shared by pixels
     * (319..320, 179..180), and (322, 182) lies between four dots. */
    render_begin(r, W, H);
    render_field(r, &grid, proj, RENDER_FIELD_DOTS, INSIDE, OUTSIDE);
    read_frame();
    CHECK_COLOR(W / 2, H / 2, INSIDE, 2);
    CHECK_COLOR(W / 2 - 1, H / 2 - 1, INSIDE, 2);
    CHECK_COLOR(W / 2 + 2, H / 2 + 2, BG, 2);
    CHECK_COLOR(0, 0, OUTSIDE, 2);
    CHECK_COLOR(2, 2, BG, 2);
    CHECK(color_diff(pixel(2, 2), INSIDE) > 20 && color_diff(pixel(2, 2), OUTSIDE) > 20);
    int n_bg = count_color(BG, 2), n_in = count_color(INSIDE, 2);
    int n_out = count_color(OUTSIDE, 2);
    CHECK_MSG(n_bg > W * H / 2, "background pixels %d", n_bg);
    CHECK_MSG(n_in > 500 && n_out > 5000, "inside %d, outside %d dot pixels", n_in, n_out);
}

/* ---- points, lines, rectangles, images ------------------------------------------------ */

static void test_points(render_ctx *r, mat4 proj) {
    const render_point pts[] = {
        {-4.0f, 0.0f, 0.0f, 0.0f}, /* outside, correct: window (160, 180) */
        {4.0f, 0.0f, 1.0f, 0.0f},  /* inside, correct: window (480, 180) */
        {0.0f, 2.0f, 1.0f, 1.0f},  /* inside, misclassified: window (320, 260) */
    };
    const render_color red = {0.95f, 0.15f, 0.15f, 1.0f};

    render_begin(r, W, H);
    render_points(r, pts, 3, proj, 20.0f, INSIDE, OUTSIDE);
    read_frame();
    CHECK(!glIsEnabled(GL_BLEND));
    /* Fills at the centres, rings of the other class's colour 9.5 pixels out, red 7.5
     * pixels out on the misclassified one, background beyond the 10-pixel radius. */
    CHECK_COLOR(160, 180, OUTSIDE, 3);
    CHECK_COLOR(169, 180, INSIDE, 4);
    CHECK_COLOR(160, 170, INSIDE, 4);
    CHECK_COLOR(172, 180, BG, 2);
    CHECK_COLOR(480, 180, INSIDE, 3);
    CHECK_COLOR(489, 180, OUTSIDE, 4);
    CHECK_COLOR(320, 260, INSIDE, 3);
    CHECK_COLOR(327, 260, red, 3);
    CHECK_COLOR(320, 252, red, 3);
    CHECK_COLOR(332, 260, BG, 2);

    /* A second, smaller set re-uses the buffer; a larger one grows it. */
    int allocs = render_debug_get_counts(r).points_buffer_allocs;
    render_points(r, pts, 2, proj, 20.0f, INSIDE, OUTSIDE);
    CHECK(render_debug_get_counts(r).points_buffer_allocs == allocs);
    static render_point many[1000];
    render_points(r, many, 1000, proj, 4.0f, INSIDE, OUTSIDE);
    CHECK(render_debug_get_counts(r).points_buffer_allocs == allocs + 1);
}

static void test_lines_and_rects(render_ctx *r, mat4 proj) {
    const float strip[] = {-6.0f, -3.0f, 0.0f, -3.0f, 0.0f, 3.0f};
    const render_color blue = {0.2f, 0.4f, 0.9f, 1.0f};
    const render_color green = {0.1f, 0.8f, 0.2f, 1.0f};
    const render_color half_white = {1.0f, 1.0f, 1.0f, 0.5f};

    /* A 4-pixel line along y = -3 (window row 60) from x = 80 to 320, then up to row 300. */
    render_begin(r, W, H);
    render_line_strip(r, strip, 3, proj, 4.0f, blue);
    read_frame();
    CHECK(!glIsEnabled(GL_BLEND));
    CHECK_COLOR(200, 60, blue, 2);
    CHECK_COLOR(200, 58, blue, 2);
    CHECK_COLOR(200, 61, blue, 2);
    CHECK_COLOR(200, 63, BG, 2);
    CHECK_COLOR(200, 56, BG, 2);
    CHECK_COLOR(70, 60, BG, 2);
    CHECK_COLOR(320, 200, blue, 2);
    CHECK_COLOR(321, 60, blue, 2);
    CHECK_COLOR(326, 200, BG, 2);
    CHECK_COLOR(320, 306, BG, 2);
    /* The fading edge gives partly covered pixels: smooth, not stair-stepped. */
    const float diagonal[] = {-6.0f, 1.0f, -2.0f, 4.0f};
    render_line_strip(r, diagonal, 2, proj, 3.0f, blue);
    read_frame();
    CHECK_MSG(count_other(BG, blue, 8) > 100, "diagonal line has %d blended pixels",
              count_other(BG, blue, 8));

    /* An opaque rectangle over world [1, 2] x [1, 2] = pixels 360..399 x 220..259, and a
     * half-transparent white one blended over the background. */
    render_begin(r, W, H);
    render_rect(r, 1.0f, 1.0f, 2.0f, 2.0f, proj, green);
    render_rect(r, -2.0f, 1.0f, -1.0f, 2.0f, proj, half_white);
    read_frame();
    CHECK(!glIsEnabled(GL_BLEND));
    CHECK_COLOR(380, 240, green, 1);
    CHECK_COLOR(360, 220, green, 1);
    CHECK_COLOR(399, 259, green, 1);
    CHECK_COLOR(359, 240, BG, 1);
    CHECK_COLOR(380, 260, BG, 1);
    CHECK_COLOR(260, 240, mix_color(BG, half_white, 0.5f), 2);

    /* Missing points and repeats do not break the strip. */
    const float odd[] = {-6.0f, 0.0f, NAN, 1.0f, -6.0f, 0.0f, -4.0f, 0.0f};
    render_begin(r, W, H);
    render_line_strip(r, odd, 4, proj, 2.0f, blue);
    read_frame();
    CHECK_COLOR(120, 180, blue, 2);
    CHECK(glGetError() == GL_NO_ERROR);
}

static void test_images(render_ctx *r) {
    /* 4 x 3 pixels, each one distinct, opaque but for the last one of the bottom row. */
    enum { IW = 4, IH = 3, X = 10, Y = 20 };
    unsigned char img[IW * IH * 4];
    for (int row = 0; row < IH; row++) {
        for (int col = 0; col < IW; col++) {
            unsigned char *q = img + 4 * (row * IW + col);
            q[0] = (unsigned char)(40 + 50 * col);
            q[1] = (unsigned char)(30 + 90 * row);
            q[2] = 200;
            q[3] = 255;
        }
    }
    img[4 * (IW * IH - 1) + 3] = 128;

    int allocs = render_debug_get_counts(r).image_texture_allocs;
    render_begin(r, W, H);
    render_image(r, 2, img, IW, IH, X, Y);
    read_frame();
    CHECK(!glIsEnabled(GL_BLEND));
    /* Image row `row` from the top lands on window row H - 1 - (Y + row) from the bottom. */
    for (int row = 0; row < IH; row++) {
        for (int col = 0; col < IW; col++) {
            if (row == IH - 1 && col == IW - 1) {
                continue;
            }
            const unsigned char *q = img + 4 * (row * IW + col);
            const unsigned char *got = pixel(X + col, H - 1 - (Y + row));
            CHECK_MSG(got[0] == q[0] && got[1] == q[1] && got[2] == q[2],
                      "image pixel (%d, %d) = (%d, %d, %d), want (%d, %d, %d)", col, row,
                      got[0], got[1], got[2], q[0], q[1], q[2]);
        }
    }
    const unsigned char *last = img + 4 * (IW * IH - 1);
    render_color src = {last[0] / 255.0f, last[1] / 255.0f, last[2] / 255.0f, 1.0f};
    CHECK_COLOR(X + IW - 1, H - 1 - (Y + IH - 1), mix_color(BG, src, 128.0f / 255.0f), 2);
    CHECK_COLOR(X - 1, H - 1 - Y, BG, 1);
    CHECK_COLOR(X + IW, H - 1 - Y, BG, 1);
    CHECK_COLOR(X, H - Y, BG, 1);
    CHECK_COLOR(X, H - 1 - (Y + IH), BG, 1);

    /* Same size again: no new texture; another size: one more. */
    render_image(r, 2, img, IW, IH, X, Y);
    CHECK(render_debug_get_counts(r).image_texture_allocs == allocs + 1);
    render_image(r, 2, img, IW, IH - 1, X, Y);
    CHECK(render_debug_get_counts(r).image_texture_allocs == allocs + 2);
    render_image(r, 3, img, IW, IH, X, Y);
    CHECK(render_debug_get_counts(r).image_texture_allocs == allocs + 3);
}

/* ---- shaders, projection, start-up ---------------------------------------------------- */

static void test_shader_error(void) {
    const char *bad_frag = "#version 330 core\nout vec4 o_color;\n"
                           "void main() { o_color = vec4(undeclared_thing); }\n";
    log_capture cap = {0};
    log_set_sink(capture_sink, &cap);
    GLuint prog = render_program_build("broken", render_shader_flat_vert, bad_frag);
    log_set_sink(NULL, NULL);
    CHECK(prog == 0);
    CHECK(cap.errors == 1);
    CHECK_MSG(strstr(cap.last_error, "SHADER: ") == cap.last_error &&
                  strstr(cap.last_error, "program=broken") &&
                  strstr(cap.last_error, "undeclared_thing") && !strchr(cap.last_error, '\n'),
              "error line: %s", cap.last_error);
    CHECK(glGetError() == GL_NO_ERROR);
}

static void test_ortho(void) {
    mat4 m;
    render_ortho(-8.0f, 8.0f, -4.5f, 4.5f, m);
    /* (8, 4.5) goes to the clip corner (1, 1), the origin to the centre. */
    CHECK_NEAR(m[0][0] * 8.0f + m[3][0], 1.0, 1e-6);
    CHECK_NEAR(m[1][1] * 4.5f + m[3][1], 1.0, 1e-6);
    CHECK_NEAR(m[3][0], 0.0, 1e-6);
    CHECK_NEAR(m[3][3], 1.0, 1e-6);
}

/* Makes a hidden window with a 3.3 core context and loads GL; says why on failure. */
static bool open_gl(SDL_Window **win, SDL_GLContext *ctx) {
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "test_render: SDL_Init failed (driver %s): %s\n",
                getenv("SDL_VIDEODRIVER"), SDL_GetError());
        return false;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_RED_SIZE, 8);
    SDL_GL_SetAttribute(SDL_GL_GREEN_SIZE, 8);
    SDL_GL_SetAttribute(SDL_GL_BLUE_SIZE, 8);
    *win = SDL_CreateWindow("test_render", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, W,
                            H, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    if (!*win) {
        fprintf(stderr, "test_render: no window: %s\n", SDL_GetError());
        return false;
    }
    *ctx = SDL_GL_CreateContext(*win);
    if (!*ctx) {
        fprintf(stderr, "test_render: no OpenGL 3.3 core context: %s\n", SDL_GetError());
        return false;
    }
    if (!gladLoadGL((GLADloadfunc)SDL_GL_GetProcAddress)) {
        fprintf(stderr, "test_render: gladLoadGL failed\n");
        return false;
    }
    int dw = 0, dh = 0;
    SDL_GL_GetDrawableSize(*win, &dw, &dh);
    if (dw != W || dh != H) {
        fprintf(stderr, "test_render: drawable is %dx%d, want %dx%d\n", dw, dh, W, H);
        return false;
    }
    return true;
}

int main(void) {
    /* Without a display the offscreen driver still gives Mesa's software GL. */
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    SDL_SetMainReady();

    SDL_Window *win = NULL;
    SDL_GLContext ctx = NULL;
    bool have_gl = open_gl(&win, &ctx);
    CHECK_MSG(have_gl, "no OpenGL 3.3 core context, so nothing could be drawn (see above)");

    render_ctx *r = NULL;
    if (have_gl) {
        log_capture cap = {0};
        log_set_sink(capture_sink, &cap);
        r = render_create();
        log_set_sink(NULL, NULL);
        CHECK_MSG(r != NULL, "render_create failed: %s", cap.last_error);
        CHECK(cap.infos == 1 && strstr(cap.last_info, "renderer="));
        if (cap.infos > 0) {
            printf("%s\n", cap.last_info);
        }
    }
    if (r) {
        mat4 proj;
        render_ortho(VIEW_X0, VIEW_X1, VIEW_Y0, VIEW_Y1, proj);
        test_ortho();
        test_field_circle(r, proj);
        test_field_mapping(r, proj);
        test_field_dots(r, proj);
        test_points(r, proj);
        test_lines_and_rects(r, proj);
        test_images(r);
        test_shader_error();
        CHECK(glGetError() == GL_NO_ERROR);
    }

    render_free(r);
    if (ctx) {
        SDL_GL_DeleteContext(ctx);
    }
    if (win) {
        SDL_DestroyWindow(win);
    }
    SDL_Quit();
    return check_summary("test_render");
}
