/* Recording video with the ffmpeg program (H.264, yuv420p, fragmented MP4). */
#ifndef HEROLOGO_APP_RECORD_H
#define HEROLOGO_APP_RECORD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct app_recorder app_recorder;

/* Starts ffmpeg writing `path` (through a temporary name) at w x h (both even) and fps.
 * `realtime` stamps frames by the clock as they arrive (the live window, whose frame rate
 * varies) and ffmpeg repeats or drops frames to keep fps; otherwise every frame is one
 * video frame. Returns NULL with one message in err when ffmpeg is missing or cannot
 * start. */
app_recorder *app_recorder_start(const char *path, int w, int h, int fps, bool realtime,
                                 char *err, size_t err_size);

/* Sends one frame of RGBA8 pixels, rows bottom-up. Returns false once ffmpeg is gone. */
bool app_recorder_write(app_recorder *rec, const unsigned char *rgba);

const char *app_recorder_path(const app_recorder *rec);

/* Ends the recording: closes the pipe, waits for ffmpeg and puts the file in place (kept,
 * and playable up to its last fragment, even if ffmpeg failed). Returns false with the
 * reason in err when ffmpeg did not finish cleanly. Always frees `rec`. */
bool app_recorder_finish(app_recorder *rec, char *err, size_t err_size);

#endif
