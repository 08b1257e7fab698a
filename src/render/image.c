/* RGBA8 images (text rendered elsewhere, handed in as pixels) drawn pixel for pixel at a
 * position from the framebuffer's top-left. Each slot keeps its texture and only
 * re-allocates it when the image's size changes. */
#include "render/render_internal.h"

#include <assert.h>

bool render_image_init(render_ctx *r) {
    r->image_prog =
        render_program_build("image", render_shader_image_vert, render_shader_image_frag);
    if (!r->image_prog) {
        return false;
    }
    r->image_u_fb_size = render_uniform(r->image_prog, "u_fb_size");
    r->image_u_rect = render_uniform(r->image_prog, "u_rect");

    /* Nearest texels on a pixel-aligned quad copy the image exactly. */
    for (int i = 0; i < RENDER_IMAGE_SLOTS; i++) {
        r->image_tex[i] = render_texture_make(GL_NEAREST);
    }
    return true;
}

void render_image_free(render_ctx *r) {
    glDeleteProgram(r->image_prog);
    glDeleteTextures(RENDER_IMAGE_SLOTS, r->image_tex);
}

void render_image(render_ctx *r, int slot, const unsigned char *rgba, int w, int h, int x,
                  int y) {
    assert(r && r->fb_width > 0 && "call render_begin first");
    assert(slot >= 0 && slot < RENDER_IMAGE_SLOTS);
    assert(w >= 0 && h >= 0 && (rgba || w * h == 0));
    if (w == 0 || h == 0) {
        return;
    }

    /* Rows go in top-down, so texture row 0 is the image's top row. */
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->image_tex[slot]);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    if (w != r->image_w[slot] || h != r->image_h[slot]) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        r->image_w[slot] = w;
        r->image_h[slot] = h;
        r->counts.image_texture_allocs++;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    }

    glUseProgram(r->image_prog);
    glUniform2f(r->image_u_fb_size, (float)r->fb_width, (float)r->fb_height);
    glUniform4f(r->image_u_rect, (float)x, (float)y, (float)w, (float)h);

    render_blend(true);
    glBindVertexArray(r->empty_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    render_blend(false);
    glBindVertexArray(0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glUseProgram(0);
}
