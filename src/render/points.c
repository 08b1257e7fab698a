/* Training points as round GPU point sprites. The render_point array is uploaded as it
 * lies in memory into one vertex buffer, grown when a larger set arrives; colours, ring
 * and edge smoothing are decided in points.vert and points.frag. */
#include "render/render_internal.h"

#include <assert.h>

bool render_points_init(render_ctx *r) {
    r->points_prog =
        render_program_build("points", render_shader_points_vert, render_shader_points_frag);
    if (!r->points_prog) {
        return false;
    }
    r->points_u_proj = render_uniform(r->points_prog, "u_proj");
    r->points_u_size = render_uniform(r->points_prog, "u_size");
    r->points_u_inside = render_uniform(r->points_prog, "u_inside");
    r->points_u_outside = render_uniform(r->points_prog, "u_outside");

    glGenVertexArrays(1, &r->points_vao);
    glGenBuffers(1, &r->points_vbo);
    glBindVertexArray(r->points_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->points_vbo);
    /* Attribute layout = struct render_point: x, y, label, state. */
    GLsizei stride = (GLsizei)sizeof(render_point);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(render_point, x));
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(render_point, label));
    glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(render_point, state));
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return true;
}

void render_points_free(render_ctx *r) {
    glDeleteProgram(r->points_prog);
    glDeleteVertexArrays(1, &r->points_vao);
    glDeleteBuffers(1, &r->points_vbo);
}

void render_points(render_ctx *r, const render_point *pts, int n, const mat4 proj,
                   float size_px, render_color inside, render_color outside) {
    assert(r && n >= 0 && (pts || n == 0) && size_px > 0.0f);
    if (n == 0) {
        return;
    }
    size_t bytes = (size_t)n * sizeof *pts;
    if (render_buffer_reserve(r->points_vbo, &r->points_capacity, bytes)) {
        r->counts.points_buffer_allocs++;
    }
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)bytes, pts);

    glUseProgram(r->points_prog);
    glUniformMatrix4fv(r->points_u_proj, 1, GL_FALSE, (const GLfloat *)proj);
    glUniform1f(r->points_u_size, size_px);
    glUniform4f(r->points_u_inside, inside.r, inside.g, inside.b, inside.a);
    glUniform4f(r->points_u_outside, outside.r, outside.g, outside.b, outside.a);

    render_blend(true);
    glBindVertexArray(r->points_vao);
    glDrawArrays(GL_POINTS, 0, n);
    render_blend(false);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glUseProgram(0);
}
