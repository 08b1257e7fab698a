/* Keys to commands. The table in the README and the help overlay list the same keys. */
#include "app/keys.h"

static app_key_result handle_training_key(app_state *app, SDL_Keycode sym, bool shift) {
    switch (sym) {
    case SDLK_SPACE:
        app_command_toggle_pause(app);
        break;
    case SDLK_r:
        app_command_reset(app);
        break;
    case SDLK_s:
        app_command_reseed(app);
        break;
    case SDLK_UP:
        shift ? app_command_units_scale(app, true) : app_command_units(app, +1);
        break;
    case SDLK_DOWN:
        shift ? app_command_units_scale(app, false) : app_command_units(app, -1);
        break;
    case SDLK_PAGEUP:
        app_command_layers(app, +1);
        break;
    case SDLK_PAGEDOWN:
        app_command_layers(app, -1);
        break;
    case SDLK_a:
        app_command_cycle_activation(app);
        break;
    case SDLK_l:
        app_command_cycle_loss(app);
        break;
    case SDLK_o:
        app_command_cycle_optimizer(app);
        break;
    case SDLK_n:
        app_command_toggle_normalize(app);
        break;
    case SDLK_i:
        app_command_cycle_init(app);
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        app_command_scale_lr(app, false);
        break;
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        app_command_scale_lr(app, true);
        break;
    case SDLK_LEFTBRACKET:
        app_command_scale_epochs(app, false);
        break;
    case SDLK_RIGHTBRACKET:
        app_command_scale_epochs(app, true);
        break;
    case SDLK_RIGHT:
        app_command_step(app);
        break;
    default:
        return APP_KEY_NONE;
    }
    return APP_KEY_HANDLED;
}

static app_key_result handle_view_key(app_state *app, SDL_Keycode sym, bool shift) {
    switch (sym) {
    case SDLK_F12:
        return shift ? APP_KEY_RECORD : APP_KEY_SCREENSHOT;
    case SDLK_v:
        app_command_cycle_view(app);
        break;
    case SDLK_c:
        app_command_toggle_curve(app);
        break;
    case SDLK_t:
        app_command_toggle_points(app);
        break;
    case SDLK_g:
        app_command_toggle_overlays(app);
        break;
    case SDLK_h:
    case SDLK_F1:
        app_command_toggle_help(app);
        break;
    case SDLK_f:
    case SDLK_F11:
        return APP_KEY_FULLSCREEN;
    case SDLK_0:
    case SDLK_KP_0:
    case SDLK_HOME:
        app_command_default_view(app);
        break;
    case SDLK_COMMA:
        app_command_scale_grid(app, false);
        break;
    case SDLK_PERIOD:
        app_command_scale_grid(app, true);
        break;
    case SDLK_ESCAPE:
    case SDLK_q:
        app_command_quit(app);
        break;
    default:
        return APP_KEY_NONE;
    }
    return APP_KEY_HANDLED;
}

app_key_result app_keys_handle(app_state *app, const SDL_KeyboardEvent *key) {
    /* Key repeat is welcome for sizes and rates, not for toggles. */
    SDL_Keycode sym = key->keysym.sym;
    bool shift = (key->keysym.mod & KMOD_SHIFT) != 0;
    if (key->repeat && sym != SDLK_UP && sym != SDLK_DOWN && sym != SDLK_RIGHT) {
        return APP_KEY_NONE;
    }
    app_key_result r = handle_training_key(app, sym, shift);
    return r != APP_KEY_NONE ? r : handle_view_key(app, sym, shift);
}
