/* Builds GL programs from the embedded shader sources. A failure is reported as a single
 * ERROR line that carries the driver's log with its line breaks folded, so a log reader
 * sees the cause next to the shader's name. */
#include "render/render_internal.h"

#include <assert.h>

#include "common/log.h"

/* Drivers end log lines with '\n'; fold them into " | " so the ERROR stays one line. */
static void fold_log(const char *in, char *out, size_t out_size) {
    size_t n = 0;
    for (const char *c = in; *c != '\0' && n + 4 < out_size; c++) {
        if (*c == '\n' || *c == '\r') {
            bool last = c[1] == '\0' || c[1] == '\n' || c[1] == '\r';
            if (!last && n > 0) {
                out[n++] = ' ';
                out[n++] = '|';
                out[n++] = ' ';
            }
        } else {
            out[n++] = *c;
        }
    }
    out[n] = '\0';
}

static GLuint compile(const char *name, GLenum stage, const char *src) {
    GLuint shader = glCreateShader(stage);
    glShaderSource(shader, 1, &src, NULL);
    glCompileShader(shader);

    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok) {
        return shader;
    }
    char log[1024] = "";
    char folded[1024];
    glGetShaderInfoLog(shader, sizeof log, NULL, log);
    fold_log(log, folded, sizeof folded);
    LOG_ERROR("SHADER", "compile failed program=%s stage=%s log=%s", name,
              stage == GL_VERTEX_SHADER ? "vertex" : "fragment", folded);
    glDeleteShader(shader);
    return 0;
}

GLuint render_program_build(const char *name, const char *vert_src, const char *frag_src) {
    GLuint vert = compile(name, GL_VERTEX_SHADER, vert_src);
    GLuint frag = vert ? compile(name, GL_FRAGMENT_SHADER, frag_src) : 0;
    if (!frag) {
        glDeleteShader(vert);
        return 0;
    }

    GLuint prog = glCreateProgram();
    glAttachShader(prog, vert);
    glAttachShader(prog, frag);
    glLinkProgram(prog);
    /* The program keeps what it linked; the shader objects go once detached. */
    glDetachShader(prog, vert);
    glDetachShader(prog, frag);
    glDeleteShader(vert);
    glDeleteShader(frag);

    GLint ok = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        char folded[1024];
        glGetProgramInfoLog(prog, sizeof log, NULL, log);
        fold_log(log, folded, sizeof folded);
        LOG_ERROR("SHADER", "link failed program=%s log=%s", name, folded);
        glDeleteProgram(prog);
        return 0;
    }
    return prog;
}

GLint render_uniform(GLuint prog, const char *name) {
    GLint loc = glGetUniformLocation(prog, name);
    assert(loc >= 0 && "uniform missing from the shader (or optimised away)");
    return loc;
}
