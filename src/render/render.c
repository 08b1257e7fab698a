/* The render context's life (create, free, begin a frame) and the small helpers every
 * kind of draw shares. The draws themselves live in field.c, points.c, flat.c and
 * image.c; the caller owns the window, the context and the buffer swap. */
#include "render/render_internal.h"

#include <assert.h>
#include <stdlib.h>

#include <cglm/cglm.h>

#include "common/log.h"

static const char *gl_string(GLenum name) {
    const GLubyte *s = glGetString(name);
    return s ? (const char *)s : "?";
}

render_ctx *render_create(void) {
    /* glad sets this flag only when gladLoadGL found a 3.3 context current. */
    if (!GLAD_GL_VERSION_3_3) {
        LOG_ERROR("RENDER", "no OpenGL 3.3 functions loaded; make a 3.3 core context "
                            "current and call gladLoadGL before render_create");
        return NULL;
    }
    /* Errors the caller left pending would be taken for ours by the check below. */
    while (glGetError() != GL_NO_ERROR) {
    }
    LOG_INFO("RENDER", "GL vendor=\"%s\" renderer=\"%s\" version=\"%s\" glsl=\"%s\"",
             gl_string(GL_VENDOR), gl_string(GL_RENDERER), gl_string(GL_VERSION),
             gl_string(GL_SHADING_LANGUAGE_VERSION));

    render_ctx *r = calloc(1, sizeof *r);
    if (!r) {
        LOG_ERROR("RENDER", "out of memory for the render context");
        return NULL;
    }
    glGenVertexArrays(1, &r->empty_vao);
    /* Sprites take their size from gl_PointSize; only programs that write it notice. */
    glEnable(GL_PROGRAM_POINT_SIZE);

    if (!render_field_init(r) || !render_points_init(r) || !render_flat_init(r) ||
        !render_image_init(r)) {
        render_free(r);
        return NULL;
    }
    GLenum err = glGetError();
    if (err != GL_NO_ERROR) {
        LOG_ERROR("RENDER", "GL error 0x%04x while creating the render context", err);
        render_free(r);
        return NULL;
    }
    return r;
}

void render_free(render_ctx *r) {
    if (!r) {
        return;
    }
    /* Each part deletes what it created; deleting GL name 0 is a no-op, so a context
     * that failed half-way through render_create is freed the same way. */
    render_field_free(r);
    render_points_free(r);
    render_flat_free(r);
    render_image_free(r);
    glDeleteVertexArrays(1, &r->empty_vao);
    free(r);
}

void render_begin(render_ctx *r, int fb_width, int fb_height) {
    assert(r && fb_width > 0 && fb_height > 0);
    r->fb_width = fb_width;
    r->fb_height = fb_height;
    glViewport(0, 0, fb_width, fb_height);

    render_color bg = RENDER_BACKGROUND;
    glClearColor(bg.r, bg.g, bg.b, bg.a);
    glClear(GL_COLOR_BUFFER_BIT);
}

void render_ortho(float x0, float x1, float y0, float y1, mat4 out) {
    glm_ortho(x0, x1, y0, y1, -1.0f, 1.0f, out);
}

void render_read_pixels(int w, int h, unsigned char *out) {
    assert(w > 0 && h > 0 && out);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, out);
}

render_debug_counts render_debug_get_counts(const render_ctx *r) {
    return r->counts;
}

void render_blend(bool on) {
    if (on) {
        glEnable(GL_BLEND);
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE,
                            GL_ONE_MINUS_SRC_ALPHA);
    } else {
        glDisable(GL_BLEND);
    }
}

GLuint render_texture_make(GLint filter) {
    GLuint tex;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glBindTexture(GL_TEXTURE_2D, 0);
    return tex;
}

bool render_buffer_reserve(GLuint vbo, size_t *capacity, size_t bytes) {
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    if (bytes <= *capacity) {
        return false;
    }
    size_t grown = *capacity * 2 > bytes ? *capacity * 2 : bytes;
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)grown, NULL, GL_DYNAMIC_DRAW);
    *capacity = grown;
    return true;
}
