/* The prediction field: the grid goes into one R32F texture (allocated once per grid
 * size, updated in place after that) and is painted either by a covering triangle whose
 * fragment shader samples it, or as one GPU point per grid point for the dots look. */
#include "render/render_internal.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include <cglm/cglm.h>

/* Dots take this share of the spacing between grid points, so background shows between
 * them; the clamp keeps them visible on very fine grids and sane on very coarse ones. */
#define DOT_SHARE 0.6f
#define DOT_MIN_PX 1.0f
#define DOT_MAX_PX 64.0f

bool render_field_init(render_ctx *r) {
    r->field_prog =
        render_program_build("field", render_shader_field_vert, render_shader_field_frag);
    r->dots_prog = render_program_build("dots", render_shader_dots_vert, render_shader_dots_frag);
    if (!r->field_prog || !r->dots_prog) {
        return false;
    }
    r->field_u_clip_to_world = render_uniform(r->field_prog, "u_clip_to_world");
    r->field_u_origin = render_uniform(r->field_prog, "u_grid_origin");
    r->field_u_extent = render_uniform(r->field_prog, "u_grid_extent");
    r->field_u_count = render_uniform(r->field_prog, "u_grid_count");
    r->field_u_mode = render_uniform(r->field_prog, "u_mode");
    r->field_u_inside = render_uniform(r->field_prog, "u_inside");
    r->field_u_outside = render_uniform(r->field_prog, "u_outside");
    r->dots_u_origin = render_uniform(r->dots_prog, "u_grid_origin");
    r->dots_u_step = render_uniform(r->dots_prog, "u_grid_step");
    r->dots_u_nx = render_uniform(r->dots_prog, "u_grid_nx");
    r->dots_u_proj = render_uniform(r->dots_prog, "u_proj");
    r->dots_u_size = render_uniform(r->dots_prog, "u_size");
    r->dots_u_inside = render_uniform(r->dots_prog, "u_inside");
    r->dots_u_outside = render_uniform(r->dots_prog, "u_outside");

    /* Every mode reads the field filtered; "hard" is a hard step on it, sharp but not
     * blocky. */
    r->field_tex = render_texture_make(GL_LINEAR);
    return true;
}

void render_field_free(render_ctx *r) {
    glDeleteProgram(r->field_prog);
    glDeleteProgram(r->dots_prog);
    glDeleteTextures(1, &r->field_tex);
}

/* Leaves the field texture bound to unit 0 with the grid's values in it. */
static void upload(render_ctx *r, const render_grid *grid) {
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->field_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    if (grid->nx != r->field_nx || grid->ny != r->field_ny) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, grid->nx, grid->ny, 0, GL_RED, GL_FLOAT,
                     grid->p);
        r->field_nx = grid->nx;
        r->field_ny = grid->ny;
        r->counts.field_texture_allocs++;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, grid->nx, grid->ny, GL_RED, GL_FLOAT, grid->p);
    }
}

static void set_color(GLint loc, render_color c) {
    glUniform4f(loc, c.r, c.g, c.b, c.a);
}

static void draw_covering(render_ctx *r, const render_grid *grid, const mat4 proj,
                          render_field_mode mode, render_color inside, render_color outside) {
    /* The fragment shader needs world positions back from clip space. */
    mat4 m, clip_to_world;
    memcpy(m, proj, sizeof m);
    glm_mat4_inv(m, clip_to_world);

    static const int mode_index[] = {
        [RENDER_FIELD_SMOOTH] = 0, [RENDER_FIELD_HARD] = 1, [RENDER_FIELD_CONFIDENCE] = 2};

    glUseProgram(r->field_prog);
    glUniformMatrix4fv(r->field_u_clip_to_world, 1, GL_FALSE, (const GLfloat *)clip_to_world);
    glUniform2f(r->field_u_origin, grid->x0, grid->y0);
    glUniform2f(r->field_u_extent, grid->x1 - grid->x0, grid->y1 - grid->y0);
    glUniform2f(r->field_u_count, (float)grid->nx, (float)grid->ny);
    glUniform1i(r->field_u_mode, mode_index[mode]);
    set_color(r->field_u_inside, inside);
    set_color(r->field_u_outside, outside);

    glBindVertexArray(r->empty_vao);
    glDrawArrays(GL_TRIANGLES, 0, 3);
}

static void draw_dots(render_ctx *r, const render_grid *grid, const mat4 proj,
                      render_color inside, render_color outside) {
    mat4 identity = GLM_MAT4_IDENTITY_INIT;
    render_rect(r, -1.0f, -1.0f, 1.0f, 1.0f, identity, RENDER_BACKGROUND);

    /* Dot size from the on-screen spacing of grid points (proj is an orthographic view,
     * so one world unit spans |proj[i][i]| * size / 2 pixels along each axis). */
    float step_x = (grid->x1 - grid->x0) / (float)(grid->nx - 1);
    float step_y = (grid->y1 - grid->y0) / (float)(grid->ny - 1);
    float px_x = fabsf(step_x * proj[0][0]) * 0.5f * (float)r->fb_width;
    float px_y = fabsf(step_y * proj[1][1]) * 0.5f * (float)r->fb_height;
    float size = glm_clamp(DOT_SHARE * fminf(px_x, px_y), DOT_MIN_PX, DOT_MAX_PX);

    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->field_tex);
    glUseProgram(r->dots_prog);
    glUniform2f(r->dots_u_origin, grid->x0, grid->y0);
    glUniform2f(r->dots_u_step, step_x, step_y);
    glUniform1i(r->dots_u_nx, grid->nx);
    glUniformMatrix4fv(r->dots_u_proj, 1, GL_FALSE, (const GLfloat *)proj);
    glUniform1f(r->dots_u_size, size);
    set_color(r->dots_u_inside, inside);
    set_color(r->dots_u_outside, outside);

    render_blend(true);
    glBindVertexArray(r->empty_vao);
    glDrawArrays(GL_POINTS, 0, grid->nx * grid->ny);
    render_blend(false);
}

void render_field(render_ctx *r, const render_grid *grid, const mat4 proj,
                  render_field_mode mode, render_color inside, render_color outside) {
    assert(r && r->fb_width > 0 && "call render_begin first");
    assert(grid && grid->p && grid->nx >= 2 && grid->ny >= 2);
    assert(grid->x1 != grid->x0 && grid->y1 != grid->y0);
    assert((unsigned)mode < RENDER_FIELD_MODE_COUNT);

    upload(r, grid);
    render_blend(false);
    if (mode == RENDER_FIELD_DOTS) {
        draw_dots(r, grid, proj, inside, outside);
    } else {
        draw_covering(r, grid, proj, mode, inside, outside);
    }
    glBindVertexArray(0);
    glUseProgram(0);
    glBindTexture(GL_TEXTURE_2D, 0);
}
