/* Saving what is on screen: PNG files written whole or not at all. */
#ifndef HEROLOGO_APP_CAPTURE_H
#define HEROLOGO_APP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the current framebuffer (w x h) and writes it as an RGB PNG, top row first,
 * through a temporary file renamed into place. err names the file on failure. */
bool app_capture_png(const char *path, int w, int h, char *err, size_t err_size);

/* Writes RGBA8 pixels given bottom row first (as glReadPixels returns them) as a PNG. */
bool app_write_png(const char *path, const unsigned char *rgba_bottom_up, int w, int h,
                   char *err, size_t err_size);

/* Resolves a name the user gave against the output folder (absolute names stay). */
void app_output_path(const char *output_dir, const char *name, char *buf, size_t size);

/* A name that does not exist yet in the output folder: herologo-YYYYMMDD-HHMMSS.EXT, with
 * -2, -3... added when two files fall in the same second. */
void app_timestamped_path(const char *output_dir, const char *ext, char *buf, size_t size);

/* Resolves `name` against the output folder into `path` and checks it can be written;
 * prints one error line and returns false when not. The front ends' shared start. */
bool app_prepare_output(const char *output_dir, const char *name, char *path, size_t size);

#endif
