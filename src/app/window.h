/* A window with an OpenGL 3.3 core context, its renderer and its HUD: shown for the live
 * view, hidden for offscreen work (recordings and images), which then draws into an
 * offscreen framebuffer of its own size. */
#ifndef HEROLOGO_APP_WINDOW_H
#define HEROLOGO_APP_WINDOW_H

#include <SDL.h>
#include <stdbool.h>

#include "app/hud.h"
#include "render/render.h"

typedef struct app_gl {
    SDL_Window *window;
    SDL_GLContext gl;
    render_ctx *render;
    app_hud *hud;
} app_gl;

/* Starts SDL video, opens the window and context, loads GL, creates the renderer and
 * the HUD. Logs one ERROR line and returns false on failure (everything released). */
bool app_gl_open(app_gl *g, int w, int h, Uint32 window_flags);
void app_gl_close(app_gl *g);

#endif
