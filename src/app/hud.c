/* The overlays: figures and settings (SDL2_ttf text with the DejaVu font), the loss curve
 * in a corner, the help panel, and the paused and diverged banners. Text is rasterised
 * only when it changes, at most about ten times a second, and handed to render/ as RGBA
 * images; everything scales with the framebuffer height so recordings stay legible. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/hud.h"
#include "common/log.h"
#include "common/timer.h"

#define HUD_FONT_DIR "/usr/share/fonts/truetype/dejavu/"
#define HUD_FONT_FILE "DejaVuSansMono.ttf"
#define HUD_MAX_LINES 40
#define HUD_LINE_CHARS 160
#define HUD_REFRESH 0.1
#define HUD_CENTRE (-1)

enum { SLOT_STATS, SLOT_HELP, SLOT_BANNER, SLOT_PLOT_LABEL, SLOT_TOAST, SLOT_COUNT };

typedef struct hud_text {
    char text[HUD_MAX_LINES * HUD_LINE_CHARS];
    unsigned char *rgba;
    int w, h;
    double made_at;
} hud_text;

struct app_hud {
    TTF_Font *font;
    int font_px;
    char font_path[512];
    hud_text texts[SLOT_COUNT];
    bool every_frame; /* recording: no rate limit, so frames depend on the state only */
    int fb_w;         /* width of the frame being drawn, for centring */
};

static const char HELP_TEXT[] =
    "Keys\n"
    "Space        pause / resume\n"
    "R            reset (same seed)\n"
    "S            reseed (new seed) and reset\n"
    "Right        one epoch while paused\n"
    "Up / Down    add / remove a unit in the last layer\n"
    "Shift+Up/Dn  double / halve the last layer\n"
    "PgUp / PgDn  add / remove a hidden layer\n"
    "A            cycle activation\n"
    "L            cycle loss\n"
    "O            cycle optimiser\n"
    "N            toggle input normalisation\n"
    "I            cycle init range (0.2, 1, 10)\n"
    "- / =        halve / double learning rate\n"
    "[ / ]        halve / double epochs per frame\n"
    ", / .        coarser / finer prediction grid\n"
    "V            cycle view: smooth, hard, confidence, dots\n"
    "C            true curve outline\n"
    "T            training points\n"
    "G            hide / show all overlays\n"
    "H or F1      this help\n"
    "F or F11     full-screen\n"
    "0 or Home    default view (wheel zooms, drag pans)\n"
    "F12          screenshot (PNG)\n"
    "Shift+F12    start / stop recording a video\n"
    "Esc or Q     quit";

static bool open_font(app_hud *hud, int px) {
    if (hud->font && hud->font_px == px) {
        return true;
    }
    TTF_Font *font = TTF_OpenFont(hud->font_path, px);
    if (!font) {
        LOG_ERROR("HUD", "cannot open font %s: %s", hud->font_path, TTF_GetError());
        return false;
    }
    if (hud->font) {
        TTF_CloseFont(hud->font);
    }
    hud->font = font;
    hud->font_px = px;
    for (int k = 0; k < SLOT_COUNT; k++) {
        hud->texts[k].text[0] = '\0'; /* force re-rasterising at the new size */
    }
    return true;
}

app_hud *app_hud_create(void) {
    if (!TTF_WasInit() && TTF_Init() != 0) {
        LOG_ERROR("HUD", "SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    app_hud *hud = calloc(1, sizeof *hud);
    if (!hud) {
        return NULL;
    }
    const char *dir = getenv("HEROLOGO_FONT_DIR");
    dir = dir && *dir ? dir : HUD_FONT_DIR;
    size_t len = strlen(dir);
    snprintf(hud->font_path, sizeof hud->font_path, "%s%s%s", dir,
             len && dir[len - 1] == '/' ? "" : "/", HUD_FONT_FILE);
    if (!open_font(hud, 16)) {
        free(hud);
        return NULL;
    }
    return hud;
}

void app_hud_free(app_hud *hud) {
    if (!hud) {
        return;
    }
    for (int k = 0; k < SLOT_COUNT; k++) {
        free(hud->texts[k].rgba);
    }
    if (hud->font) {
        TTF_CloseFont(hud->font);
    }
    free(hud);
    TTF_Quit();
}

/* Rasterises multi-line text into one RGBA image (rows top-down, tightly packed). */
static bool rasterise(app_hud *hud, hud_text *t, const char *text, SDL_Color color) {
    char copy[sizeof t->text];
    snprintf(copy, sizeof copy, "%s", text);
    SDL_Surface *lines[HUD_MAX_LINES];
    int n = 0, w = 1;
    int skip = TTF_FontLineSkip(hud->font);
    for (char *line = strtok(copy, "\n"); line && n < HUD_MAX_LINES; line = strtok(NULL, "\n")) {
        SDL_Surface *s = TTF_RenderUTF8_Blended(hud->font, *line ? line : " ", color);
        SDL_Surface *rgba = s ? SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0) : NULL;
        SDL_FreeSurface(s);
        if (!rgba) {
            continue;
        }
        lines[n++] = rgba;
        w = rgba->w > w ? rgba->w : w;
    }
    int h = n * skip > 0 ? n * skip : 1;
    unsigned char *img = calloc((size_t)w * h * 4, 1);
    for (int k = 0; k < n; k++) {
        SDL_Surface *s = lines[k];
        for (int row = 0; img && row < s->h && k * skip + row < h; row++) {
            memcpy(img + ((size_t)(k * skip + row) * w) * 4,
                   (const unsigned char *)s->pixels + (size_t)row * s->pitch,
                   (size_t)s->w * 4);
        }
        SDL_FreeSurface(s);
    }
    if (!img) {
        return false;
    }
    free(t->rgba);
    t->rgba = img;
    t->w = w;
    t->h = h;
    snprintf(t->text, sizeof t->text, "%s", text);
    t->made_at = timer_now();
    return true;
}

/* Draws text in a dark panel at pixel (x, y) from the top-left, or centred across the
 * frame when x is HUD_CENTRE (placed after rasterising, so a new text is centred on its
 * first frame); re-rasterises when the text changed (rate-limited unless `now`). */
static void draw_text(app_hud *hud, render_ctx *r, int slot, const char *text, int x, int y,
                      const mat4 px_proj, int fb_h, bool now, float panel_alpha) {
    hud_text *t = &hud->texts[slot];
    now = now || hud->every_frame;
    bool stale = strcmp(t->text, text) != 0;
    if (stale && (now || !t->rgba || timer_now() - t->made_at >= HUD_REFRESH)) {
        rasterise(hud, t, text, (SDL_Color){235, 235, 235, 255});
    }
    if (!t->rgba) {
        return;
    }
    if (x == HUD_CENTRE) {
        x = (hud->fb_w - t->w) / 2 > 0 ? (hud->fb_w - t->w) / 2 : 0;
    }
    int pad = hud->font_px / 2;
    render_rect(r, (float)(x - pad), (float)(fb_h - y + pad), (float)(x + t->w + pad),
                (float)(fb_h - y - t->h - pad), px_proj, (render_color){0, 0, 0, panel_alpha});
    render_image(r, slot, t->rgba, t->w, t->h, x, y);
}

/* Lines of the figures panel that format_stats writes. */
#define STATS_LINES 6

static int count_lines(const char *text) {
    int n = 1;
    for (const char *p = text; *p; p++) {
        n += *p == '\n';
    }
    return n;
}

static void format_stats(const app_state *app, char *buf, size_t size) {
    const nn_desc *d = nn_mlp_desc(app->net);
    char topo[96], epf[32], agree[32];
    nn_desc_topology(d, topo, sizeof topo);
    if (app->epochs_per_frame == APP_EPF_BUDGET) {
        snprintf(epf, sizeof epf, "max");
    } else {
        snprintf(epf, sizeof epf, "%d", app->epochs_per_frame);
    }
    char rates[96];
    if (app->still && app->epochs_per_second > 0.0) {
        snprintf(rates, sizeof rates, "trained at %.0f epochs/s", app->epochs_per_second);
    } else if (app->still) {
        snprintf(rates, sizeof rates, "not trained in this run");
    } else {
        snprintf(rates, sizeof rates, "%s epochs/frame  %.0f epochs/s  %.0f fps", epf,
                 app->paused ? 0.0 : app->epochs_per_second, app->frames_per_second);
    }
    char accuracy[32];
    if (isfinite(app->stats.accuracy)) {
        snprintf(accuracy, sizeof accuracy, "%.1f%%", 100.0 * app->stats.accuracy);
    } else {
        snprintf(accuracy, sizeof accuracy, "n/a");
    }
    if (isfinite(app->shape_agreement)) {
        snprintf(agree, sizeof agree, "%.1f%%", 100.0 * app->shape_agreement);
    } else {
        snprintf(agree, sizeof agree, "n/a");
    }
    snprintf(buf, size,
             "epoch %ld%s\n"
             "MSE %.5f   loss %.5f\n"
             "train accuracy %s   shape agreement %s\n"
             "%s  %s  loss %s  opt %s\n"
             "lr %g  init %g  %s  seed %llu\n"
             "%s  [%s]",
             nn_mlp_epoch(app->net), app->paused && !app->still ? "  (paused)" : "",
             app->stats.mse, app->stats.loss, accuracy, agree, topo, nn_act_name(d->act),
             nn_loss_name(d->loss), nn_opt_name(d->opt), d->lr, d->init_range,
             d->normalize ? "normalised" : "raw inputs", (unsigned long long)d->seed, rates,
             nn_simd_name());
}

/* MSE against epoch on a log scale, in a panel at the bottom-right corner. */
static void draw_loss_plot(app_hud *hud, render_ctx *r, const app_state *app,
                           const mat4 px_proj) {
    int w = app->fb_width, h = app->fb_height;
    float margin = 0.02f * (float)h, ph = 0.2f * (float)h;
    /* Wide enough for its title at any window shape. */
    float pw = fmaxf(0.26f * (float)w, 13.0f * (float)hud->font_px);
    pw = fminf(pw, (float)w - 2.0f * margin);
    float x0 = (float)w - pw - margin, y0 = margin;
    render_rect(r, x0, y0, x0 + pw, y0 + ph, px_proj, (render_color){0, 0, 0, 0.62f});
    /* The title's own panel reaches half a font beyond its text: keep it inside. */
    int pad = hud->font_px / 2 + 2;
    draw_text(hud, r, SLOT_PLOT_LABEL, "MSE (log) / epoch", (int)x0 + pad,
              (int)((float)h - y0 - ph) + pad, px_proj, h, false, 0.62f);
    int n = app->history_len;
    if (n < 2) {
        return;
    }
    float lo = INFINITY, hi = -INFINITY;
    for (int k = 0; k < n; k++) {
        float v = log10f(app->history_mse[k] > 1e-12f ? app->history_mse[k] : 1e-12f);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (hi - lo < 1.0f) {
        lo = hi - 1.0f;
    }
    /* From the first epoch recorded: a loaded model's curve starts where it resumed. */
    double e_min = app->history_epoch[0];
    double e_span = app->history_epoch[n - 1] - e_min > 0.0 ? app->history_epoch[n - 1] - e_min
                                                            : 1.0;
    float xy[2 * APP_HISTORY];
    float inner = 0.08f * ph;
    for (int k = 0; k < n; k++) {
        float v = log10f(app->history_mse[k] > 1e-12f ? app->history_mse[k] : 1e-12f);
        xy[2 * k] = x0 + inner + (pw - 2 * inner) *
                                     (float)((app->history_epoch[k] - e_min) / e_span);
        xy[2 * k + 1] = y0 + inner + (ph * 0.75f - inner) * (v - lo) / (hi - lo);
    }
    render_line_strip(r, xy, n, px_proj, 2.0f, (render_color){1.0f, 0.82f, 0.06f, 1.0f});
}

/* Banners sit above the loss-curve panel, notices above them, so nothing overlaps at
 * any window shape. Returns the top of the banner line in pixels from the top. */
static int banner_top(const app_hud *hud, int h) {
    return h - (int)(0.22 * h) - 3 * hud->font_px;
}

void app_hud_draw(app_hud *hud, render_ctx *r, const app_state *app) {
    int w = app->fb_width, h = app->fb_height;
    hud->every_frame = app->fixed_fps > 0;
    hud->fb_w = w;
    /* Text follows the smaller of the two scales, so a narrow window does not get text
     * sized for its height; 12 px keeps it legible in small windows, and only frames too
     * small for that (a thumbnail-sized video) go down to 8 px. */
    double scale = fmin(w / 1280.0, h / 720.0);
    int px = (int)lround(16.0 * scale);
    int least = w < 480 || h < 270 ? 8 : 12;
    if (!open_font(hud, px < least ? least : px)) {
        return;
    }
    mat4 px_proj;
    render_ortho(0.0f, (float)w, 0.0f, (float)h, px_proj);
    int margin = (int)(0.02 * h) + hud->font_px / 2;

    /* In a short window the help panel cannot sit below the figures: it then has the
     * frame to itself. Help shows even with the overlays hidden, since it was asked for. */
    int skip = TTF_FontLineSkip(hud->font);
    int help_h = app->show_help ? count_lines(HELP_TEXT) * skip : 0;
    int below_stats = margin + STATS_LINES * skip + 2 * hud->font_px;
    bool figures = app->show_overlays && !(app->show_help && below_stats + help_h > h);
    if (figures) {
        char stats[HUD_MAX_LINES * HUD_LINE_CHARS];
        format_stats(app, stats, sizeof stats);
        draw_text(hud, r, SLOT_STATS, stats, margin, margin, px_proj, h, false, 0.62f);
        /* A frame too small for both keeps the figures and drops the curve. */
        bool room = w >= 480 && h >= 270;
        if (room && (!app->still || app->history_len >= 2)) {
            draw_loss_plot(hud, r, app, px_proj);
        }
    }
    if (app->show_help) {
        int centred = (h - help_h) / 2;
        int floor = figures ? below_stats : 0;
        int top = centred > floor ? centred : floor;
        draw_text(hud, r, SLOT_HELP, HELP_TEXT, HUD_CENTRE, top, px_proj, h, true, 0.88f);
    }

    /* The paused banner gives way to the help; a divergence is always said. */
    const char *banner = NULL;
    if (nn_mlp_diverged(app->net)) {
        banner = "DIVERGED: the loss is not finite. Training stopped; press R to reset.";
    } else if (app->paused && !app->still && !app->show_help) {
        banner = "PAUSED  (Space resumes, Right steps one epoch)";
    }
    if (banner && app->show_overlays) {
        draw_text(hud, r, SLOT_BANNER, banner, HUD_CENTRE, banner_top(hud, h), px_proj, h, true,
                  0.75f);
    }
}

void app_hud_draw_toast(app_hud *hud, render_ctx *r, const char *text, int w, int h) {
    mat4 px_proj;
    render_ortho(0.0f, (float)w, 0.0f, (float)h, px_proj);
    hud->fb_w = w;
    draw_text(hud, r, SLOT_TOAST, text, HUD_CENTRE, banner_top(hud, h) - 3 * hud->font_px,
              px_proj, h, true, 0.85f);
}
