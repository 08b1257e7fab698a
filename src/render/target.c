/* Offscreen framebuffers of an exact size, for recordings and rendered images that must
 * not depend on the window or the display; and scaling the window's picture into one. */
#include <assert.h>
#include <stdlib.h>

#include <glad/gl.h>

#include "common/log.h"
#include "render/render.h"

struct render_target {
    GLuint fbo, color;
    int w, h;
};

render_target *render_target_create(int w, int h) {
    GLint max_size = 0;
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_size);
    if (w < 1 || h < 1 || w > max_size || h > max_size) {
        LOG_ERROR("RENDER", "offscreen size %dx%d is beyond this GL's limit of %d", w, h,
                  (int)max_size);
        return NULL;
    }
    render_target *t = calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    t->w = w;
    t->h = h;
    glGenRenderbuffers(1, &t->color);
    glBindRenderbuffer(GL_RENDERBUFFER, t->color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glGenFramebuffers(1, &t->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, t->color);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE || glGetError() != GL_NO_ERROR) {
        LOG_ERROR("RENDER", "cannot make a %dx%d offscreen framebuffer (status 0x%x)", w, h,
                  (unsigned)status);
        render_target_free(t);
        return NULL;
    }
    return t;
}

void render_target_free(render_target *t) {
    if (!t) {
        return;
    }
    glDeleteFramebuffers(1, &t->fbo);
    glDeleteRenderbuffers(1, &t->color);
    free(t);
}

void render_target_bind(const render_target *t) {
    glBindFramebuffer(GL_FRAMEBUFFER, t ? t->fbo : 0);
}

void render_target_blit_from_window(const render_target *t, int win_w, int win_h) {
    assert(t && win_w > 0 && win_h > 0);
    /* Fit the window inside the target at equal scale, centred, with black bars: a window
     * resized mid-recording must not stretch circles into ellipses. */
    double scale = (double)t->w / win_w < (double)t->h / win_h ? (double)t->w / win_w
                                                                : (double)t->h / win_h;
    int w = (int)(win_w * scale + 0.5), h = (int)(win_h * scale + 0.5);
    int x = (t->w - w) / 2, y = (t->h - h) / 2;
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
    if (w != t->w || h != t->h) {
        glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, t->fbo);
    glBlitFramebuffer(0, 0, win_w, win_h, x, y, x + w, y + h, GL_COLOR_BUFFER_BIT, GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
}
