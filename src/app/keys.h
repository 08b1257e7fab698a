/* The keyboard map of the live view: one key event in, one command out. */
#ifndef HEROLOGO_APP_KEYS_H
#define HEROLOGO_APP_KEYS_H

#include <SDL.h>

#include "app/live.h"

/* What the caller still has to do for a key (only what needs the window itself). */
typedef enum app_key_result {
    APP_KEY_NONE,
    APP_KEY_HANDLED,
    APP_KEY_FULLSCREEN,
    APP_KEY_SCREENSHOT, /* F12 */
    APP_KEY_RECORD      /* Shift+F12: start or stop recording */
} app_key_result;

/* Applies the command bound to the key. Modifiers come from the event, not the keyboard
 * state, so synthetic events behave like real ones. */
app_key_result app_keys_handle(app_state *app, const SDL_KeyboardEvent *key);

#endif
