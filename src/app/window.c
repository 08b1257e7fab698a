/* Opening and closing the GL window shared by the live view and offscreen rendering. */
#include <glad/gl.h>

#include "app/window.h"

#include <string.h>

#include "common/log.h"

void app_gl_close(app_gl *g) {
    app_hud_free(g->hud);
    render_free(g->render);
    if (g->gl) {
        SDL_GL_DeleteContext(g->gl);
    }
    if (g->window) {
        SDL_DestroyWindow(g->window);
    }
    SDL_Quit();
    memset(g, 0, sizeof *g);
}

bool app_gl_open(app_gl *g, int w, int h, Uint32 window_flags) {
    memset(g, 0, sizeof *g);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        LOG_ERROR("SDL", "cannot start video: %s", SDL_GetError());
        return false;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    g->window = SDL_CreateWindow("herologo", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w,
                                 h, SDL_WINDOW_OPENGL | window_flags);
    g->gl = g->window ? SDL_GL_CreateContext(g->window) : NULL;
    if (!g->gl) {
        LOG_ERROR("SDL", "cannot open an OpenGL 3.3 core window: %s", SDL_GetError());
        app_gl_close(g);
        return false;
    }
    if (!gladLoadGL((GLADloadfunc)SDL_GL_GetProcAddress)) {
        LOG_ERROR("GL", "cannot load OpenGL functions");
        app_gl_close(g);
        return false;
    }
    g->render = render_create();
    g->hud = g->render ? app_hud_create() : NULL;
    if (!g->hud) {
        app_gl_close(g);
        return false;
    }
    return true;
}
