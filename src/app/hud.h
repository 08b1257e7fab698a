/* Overlays of the live view: HUD text, loss curve, help and banners (SDL2_ttf). */
#ifndef HEROLOGO_APP_HUD_H
#define HEROLOGO_APP_HUD_H

#include "app/live.h"
#include "render/render.h"

/* Opens the DejaVu Sans Mono font (HEROLOGO_FONT_DIR overrides its folder). Returns NULL
 * with one ERROR line when SDL_ttf or the font is unavailable. */
app_hud *app_hud_create(void);
void app_hud_free(app_hud *hud);

/* Draws every overlay for the state into the current framebuffer. */
void app_hud_draw(app_hud *hud, render_ctx *r, const app_state *app);

/* A one-line notice at the bottom centre (files saved, recording errors). */
void app_hud_draw_toast(app_hud *hud, render_ctx *r, const char *text, int w, int h);

#endif
