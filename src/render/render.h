/* Drawing with OpenGL 3.3 core and cglm: the prediction field, GPU points, lines, flat
 * rectangles and text images. It draws what it is given into the current framebuffer and
 * decides nothing about training; it never includes SDL (the caller creates the context
 * and loads GL through glad before render_create). */
#ifndef HEROLOGO_RENDER_RENDER_H
#define HEROLOGO_RENDER_RENDER_H

#include <stdbool.h>

#include <cglm/types.h>

/* How the field is painted. */
typedef enum render_field_mode {
    RENDER_FIELD_SMOOTH,     /* two colours, anti-aliased boundary at p = 0.5 */
    RENDER_FIELD_HARD,       /* two colours, a hard step at p = 0.5, no anti-aliasing */
    RENDER_FIELD_CONFIDENCE, /* colour by class, shaded by |p - 0.5| */
    RENDER_FIELD_DOTS,       /* the article's look: one GPU point per grid point */
    RENDER_FIELD_MODE_COUNT
} render_field_mode;

typedef struct render_color {
    float r, g, b, a;
} render_color;

/* Colours of the two classes: inside (1) near-black, outside (0) bright yellow. */
#define RENDER_INSIDE_COLOR ((render_color){0.06f, 0.06f, 0.07f, 1.0f})
#define RENDER_OUTSIDE_COLOR ((render_color){1.0f, 0.82f, 0.06f, 1.0f})

/* A dense grid of predictions: nx * ny values, row by row from the bottom row; point
 * (i, j) sits at x0 + (x1 - x0) i / (nx - 1), y0 + (y1 - y0) j / (ny - 1). */
typedef struct render_grid {
    const float *p;
    int nx, ny;
    float x0, x1, y0, y1;
} render_grid;

/* One training point. `state`: 0 correct, 1 misclassified by the current network. */
typedef struct render_point {
    float x, y;
    float label;
    float state;
} render_point;

typedef struct render_ctx render_ctx;

/* Compiles the shaders (embedded at build time) and creates buffers. Returns NULL with
 * one ERROR line (the driver's log for shader errors) on failure. */
render_ctx *render_create(void);
void render_free(render_ctx *r);

/* Sets the viewport to the whole framebuffer of that size and clears it. */
void render_begin(render_ctx *r, int fb_width, int fb_height);

/* The field over the world rectangle shown by `proj` (world to clip space). The grid's
 * texture is allocated once per size and updated in place after that. */
void render_field(render_ctx *r, const render_grid *grid, const mat4 proj,
                  render_field_mode mode, render_color inside, render_color outside);

/* Training points as round sprites of `size_px` pixels, filled by label with a thin
 * outline; misclassified points get a red ring. */
void render_points(render_ctx *r, const render_point *pts, int n, const mat4 proj,
                   float size_px, render_color inside, render_color outside);

/* A connected line strip through n (x, y) pairs, `width_px` wide (drawn as quads, since
 * core profiles cap glLineWidth at 1). */
void render_line_strip(render_ctx *r, const float *xy, int n, const mat4 proj,
                       float width_px, render_color color);

/* A filled rectangle in the coordinates of proj (blended by color.a). */
void render_rect(render_ctx *r, float x0, float y0, float x1, float y1, const mat4 proj,
                 render_color color);

/* An RGBA8 image (rows top-down, `w` pixels a row, tightly packed) drawn with its top-left
 * corner at pixel (x, y) from the top-left of the framebuffer, alpha-blended. `slot`
 * names a cached texture (0..RENDER_IMAGE_SLOTS-1) re-used while the size stays. */
#define RENDER_IMAGE_SLOTS 8
void render_image(render_ctx *r, int slot, const unsigned char *rgba, int w, int h, int x,
                  int y);

/* Orthographic projection of the rectangle [x0, x1] x [y0, y1] to clip space: a world
 * rectangle, or framebuffer pixels with the origin at the bottom-left. */
void render_ortho(float x0, float x1, float y0, float y1, mat4 out);

/* An offscreen framebuffer of exactly w x h (RGBA8). Returns NULL with one ERROR line when
 * the size is beyond the GL's limit or the framebuffer is incomplete. */
typedef struct render_target render_target;
render_target *render_target_create(int w, int h);
void render_target_free(render_target *t);

/* Draws go to the target from now on (NULL: back to the window's framebuffer). */
void render_target_bind(const render_target *t);

/* Scales the window's framebuffer (win_w x win_h) into the target at equal scale, centred
 * with black bars when the shapes differ, and leaves the target bound: a picture of a
 * fixed size whatever the window's size. */
void render_target_blit_from_window(const render_target *t, int win_w, int win_h);

/* Reads the framebuffer's RGBA8 pixels, rows bottom-up, into out (w * h * 4 bytes). */
void render_read_pixels(int w, int h, unsigned char *out);

#endif
