/* Files the user makes from the picture: PNG output through stb_image_write into an
 * all-or-nothing file, and where such files go (the output folder, timestamped names). */
#define _POSIX_C_SOURCE 200809L
#include "app/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stb_image_write.h>

#include "common/afile.h"
#include "render/render.h"

static void write_to_file(void *context, void *data, int size) {
    fwrite(data, 1, (size_t)size, (FILE *)context);
}

bool app_write_png(const char *path, const unsigned char *rgba_bottom_up, int w, int h,
                   char *err, size_t err_size) {
    unsigned char *rgb = malloc((size_t)w * h * 3);
    if (!rgb) {
        snprintf(err, err_size, "%s: cannot write: out of memory", path);
        return false;
    }
    /* Flip to top row first and drop alpha: screenshots are opaque. */
    for (int y = 0; y < h; y++) {
        const unsigned char *src = rgba_bottom_up + (size_t)(h - 1 - y) * w * 4;
        unsigned char *dst = rgb + (size_t)y * w * 3;
        for (int x = 0; x < w; x++) {
            memcpy(dst + 3 * x, src + 4 * x, 3);
        }
    }
    afile out;
    bool ok = afile_open(&out, path, err, err_size);
    if (ok && !stbi_write_png_to_func(write_to_file, out.f, w, h, 3, rgb, w * 3)) {
        snprintf(err, err_size, "%s: cannot write: PNG encoding failed", path);
        afile_abort(&out);
        ok = false;
    } else if (ok) {
        ok = afile_commit(&out, err, err_size);
    }
    free(rgb);
    return ok;
}

bool app_capture_png(const char *path, int w, int h, char *err, size_t err_size) {
    unsigned char *rgba = malloc((size_t)w * h * 4);
    if (!rgba) {
        snprintf(err, err_size, "%s: cannot write: out of memory", path);
        return false;
    }
    render_read_pixels(w, h, rgba);
    bool ok = app_write_png(path, rgba, w, h, err, err_size);
    free(rgba);
    return ok;
}

void app_output_path(const char *output_dir, const char *name, char *buf, size_t size) {
    if (name[0] == '/' || !output_dir || strcmp(output_dir, ".") == 0) {
        snprintf(buf, size, "%s", name);
    } else {
        snprintf(buf, size, "%s/%s", output_dir, name);
    }
}

void app_timestamped_path(const char *output_dir, const char *ext, char *buf, size_t size) {
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[64], name[96];
    strftime(stamp, sizeof stamp, "herologo-%Y%m%d-%H%M%S", &tm);
    for (int n = 1; n < 1000; n++) {
        if (n == 1) {
            snprintf(name, sizeof name, "%s.%s", stamp, ext);
        } else {
            snprintf(name, sizeof name, "%s-%d.%s", stamp, n, ext);
        }
        app_output_path(output_dir, name, buf, size);
        if (access(buf, F_OK) != 0) {
            return;
        }
    }
}

bool app_prepare_output(const char *output_dir, const char *name, char *path, size_t size) {
    char err[4200];
    app_output_path(output_dir, name, path, size);
    if (!afile_check_writable(path, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    return true;
}
