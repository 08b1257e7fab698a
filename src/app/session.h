/* Setting up a run from the options: the training data and the network (fresh or loaded,
 * with command-line overrides), shared by the headless run and the live view. */
#ifndef HEROLOGO_APP_SESSION_H
#define HEROLOGO_APP_SESSION_H

#include "app/options.h"
#include "data/data.h"
#include "nn/nn.h"

/* Loads the data named by --data; on failure prints one error line and returns false. */
bool app_load_data(const app_options *opt, data_set *set);

/* Creates the network (from --load-model when given) and hands it the data. Prints one
 * error line and returns NULL on failure. */
nn_mlp *app_create_network(const app_options *opt, const data_set *set);

/* Runs the headless mode; returns the process exit status. */
int app_run_headless(const app_options *opt);

#endif
