/* Flat one-colour geometry: wide line strips and rectangles. Lines are built on the CPU
 * as a triangle strip in pixel space (core profiles cap glLineWidth at 1), mitred at the
 * joins and one pixel wider than asked so flat.frag can fade the edge. */
#include "render/render_internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include <cglm/cglm.h>

#include "common/log.h"

/* Floats per vertex: x, y, signed distance in pixels from the line's centre. */
#define FLAT_STRIDE 3
/* Points closer than this (pixels) to the previous one are dropped: no direction. */
#define MIN_SEGMENT_PX 1e-3f
/* Mitre length cap, as a multiple of the half width: sharp turns get a bevel-like end
 * instead of a long spike. */
#define MITER_LIMIT 2.0f

bool render_flat_init(render_ctx *r) {
    r->flat_prog = render_program_build("flat", render_shader_flat_vert, render_shader_flat_frag);
    if (!r->flat_prog) {
        return false;
    }
    r->flat_u_proj = render_uniform(r->flat_prog, "u_proj");
    r->flat_u_color = render_uniform(r->flat_prog, "u_color");
    r->flat_u_half_width = render_uniform(r->flat_prog, "u_half_width");

    glGenVertexArrays(1, &r->flat_vao);
    glGenBuffers(1, &r->flat_vbo);
    glBindVertexArray(r->flat_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->flat_vbo);
    GLsizei stride = FLAT_STRIDE * (GLsizei)sizeof(float);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)0);
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, (const void *)(2 * sizeof(float)));
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return true;
}

void render_flat_free(render_ctx *r) {
    glDeleteProgram(r->flat_prog);
    glDeleteVertexArrays(1, &r->flat_vao);
    glDeleteBuffers(1, &r->flat_vbo);
    free(r->flat_scratch);
}

/* A triangle strip of `count` FLAT_STRIDE vertices, blended. half_width 0 means a fill. */
static void draw_strip(render_ctx *r, const float *verts, int count, const mat4 proj,
                       float half_width, render_color color) {
    size_t bytes = (size_t)count * FLAT_STRIDE * sizeof(float);
    if (render_buffer_reserve(r->flat_vbo, &r->flat_capacity, bytes)) {
        r->counts.flat_buffer_allocs++;
    }
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)bytes, verts);

    glUseProgram(r->flat_prog);
    glUniformMatrix4fv(r->flat_u_proj, 1, GL_FALSE, (const GLfloat *)proj);
    glUniform4f(r->flat_u_color, color.r, color.g, color.b, color.a);
    glUniform1f(r->flat_u_half_width, half_width);

    render_blend(true);
    glBindVertexArray(r->flat_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, count);
    render_blend(false);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glUseProgram(0);
}

void render_rect(render_ctx *r, float x0, float y0, float x1, float y1, const mat4 proj,
                 render_color color) {
    assert(r);
    const float verts[4 * FLAT_STRIDE] = {x0, y0, 0, x1, y0, 0, x0, y1, 0, x1, y1, 0};
    draw_strip(r, verts, 4, proj, 0.0f, color);
}

static bool reserve_scratch(render_ctx *r, size_t floats) {
    if (floats <= r->flat_scratch_floats) {
        return true;
    }
    float *grown = realloc(r->flat_scratch, floats * sizeof *grown);
    if (!grown) {
        LOG_ERROR("RENDER", "out of memory for a line strip floats=%zu", floats);
        return false;
    }
    r->flat_scratch = grown;
    r->flat_scratch_floats = floats;
    return true;
}

/* Projects the strip to pixels, dropping non-finite points and repeats; returns how many
 * (x, y) pairs it wrote to px. */
static int to_pixels(const render_ctx *r, const float *xy, int n, const mat4 proj, float *px) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        float x = xy[2 * i], y = xy[2 * i + 1];
        float w = proj[0][3] * x + proj[1][3] * y + proj[3][3];
        float cx = (proj[0][0] * x + proj[1][0] * y + proj[3][0]) / w;
        float cy = (proj[0][1] * x + proj[1][1] * y + proj[3][1]) / w;
        float sx = (cx * 0.5f + 0.5f) * (float)r->fb_width;
        float sy = (cy * 0.5f + 0.5f) * (float)r->fb_height;
        if (!isfinite(sx) || !isfinite(sy)) {
            continue;
        }
        if (m > 0 && hypotf(sx - px[2 * m - 2], sy - px[2 * m - 1]) < MIN_SEGMENT_PX) {
            continue;
        }
        px[2 * m] = sx;
        px[2 * m + 1] = sy;
        m++;
    }
    return m;
}

/* Unit normal (left of the direction) of the segment from point a to point b. */
static void segment_normal(const float *a, const float *b, float *nx, float *ny) {
    float dx = b[0] - a[0], dy = b[1] - a[1];
    float len = hypotf(dx, dy);
    *nx = -dy / len;
    *ny = dx / len;
}

void render_line_strip(render_ctx *r, const float *xy, int n, const mat4 proj,
                       float width_px, render_color color) {
    assert(r && r->fb_width > 0 && "call render_begin first");
    assert(n >= 0 && (xy || n == 0) && width_px > 0.0f);
    if (n < 2 || !reserve_scratch(r, (size_t)n * (2 + 2 * FLAT_STRIDE))) {
        return;
    }
    float *px = r->flat_scratch;
    float *verts = px + 2 * n;
    int m = to_pixels(r, xy, n, proj, px);
    if (m < 2) {
        return;
    }

    /* Each point gets two vertices, pushed out along the mitre of its two segments. */
    float half = 0.5f * width_px;
    float reach = half + 1.0f;
    for (int k = 0; k < m; k++) {
        const float *p = px + 2 * k;
        float ax = 0, ay = 0, bx = 0, by = 0;
        if (k > 0) {
            segment_normal(p - 2, p, &ax, &ay);
        }
        if (k < m - 1) {
            segment_normal(p, p + 2, &bx, &by);
        }
        float mx = ax + bx, my = ay + by;
        float mlen = hypotf(mx, my);
        float len = reach;
        if (k > 0 && k < m - 1 && mlen > 1e-3f) {
            mx /= mlen;
            my /= mlen;
            /* cos of the half-turn angle; the mitre grows as 1 / cos up to the limit. */
            float cos_half = mx * bx + my * by;
            len = reach / fmaxf(cos_half, 1.0f / MITER_LIMIT);
        } else {
            /* An end, or a full U-turn: the one normal there is. */
            mx = k > 0 ? ax : bx;
            my = k > 0 ? ay : by;
        }
        for (int side = 0; side < 2; side++) {
            float s = side == 0 ? 1.0f : -1.0f;
            float *v = verts + (2 * k + side) * FLAT_STRIDE;
            v[0] = 2.0f * (p[0] + s * mx * len) / (float)r->fb_width - 1.0f;
            v[1] = 2.0f * (p[1] + s * my * len) / (float)r->fb_height - 1.0f;
            v[2] = s * reach;
        }
    }
    mat4 identity = GLM_MAT4_IDENTITY_INIT;
    draw_strip(r, verts, 2 * m, identity, half, color);
}
