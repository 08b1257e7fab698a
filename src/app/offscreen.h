/* Offscreen rendering: recordings (--record) and the trained picture (--out). */
#ifndef HEROLOGO_APP_OFFSCREEN_H
#define HEROLOGO_APP_OFFSCREEN_H

#include "app/options.h"
#include "data/data.h"
#include "nn/nn.h"

/* Records the video the options describe; returns the process exit status. */
int app_run_record(const app_options *opt);

/* Draws the picture of `net` on `data` at --size into --out (taking both, which it
 * frees); with --overlays the HUD shows the training rate of the run. Logs one ERROR line
 * and returns false on failure. */
bool app_render_out(const app_options *opt, data_set *data, nn_mlp *net,
                    double epochs_per_second);

#endif
