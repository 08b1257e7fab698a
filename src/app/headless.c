/* The headless run: train for a number of epochs with progress about once a second, then
 * report and write the requested files (metrics, dataset, grid predictions, model). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/capture.h"
#include "app/offscreen.h"
#include "app/session.h"
#include "app/signals.h"
#include "common/afile.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/timer.h"

/* Training runs in chunks sized to take about this long, so progress lines stay about a
 * second apart and Ctrl+C is answered quickly for any network size. */
#define CHUNK_SECONDS 0.05

bool app_load_data(const app_options *opt, data_set *set) {
    char err[512];
    if (strcmp(opt->data, "batman") == 0) {
        if (!data_batman_training(set)) {
            fprintf(stderr, "herologo: error: out of memory building the Batman data\n");
            return false;
        }
        return true;
    }
    if (!data_csv_load(opt->data, set, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    return true;
}

/* Settings given with --load-model replace the file's only where they differ: naming
 * the optimiser the model already uses must keep its moments and step count. */
static void apply_overrides(const app_options *opt, nn_mlp *net) {
    const nn_desc *d = &opt->desc;
    const nn_desc *now = nn_mlp_desc(net);
    if (opt->set_act && d->act != now->act) {
        nn_mlp_set_act(net, d->act);
    }
    if (opt->set_loss) {
        nn_mlp_set_loss(net, d->loss);
    }
    bool new_opt = opt->set_opt && d->opt != now->opt;
    if (new_opt) {
        nn_mlp_set_opt(net, d->opt);
    }
    if (opt->set_lr || new_opt) {
        nn_mlp_set_lr(net, d->lr);
    }
}

nn_mlp *app_create_network(const app_options *opt, const data_set *set) {
    nn_mlp *net;
    if (opt->load_path) {
        char err[512];
        net = nn_mlp_load(opt->load_path, err, sizeof err);
        if (!net) {
            fprintf(stderr, "herologo: error: %s\n", err);
            return NULL;
        }
        apply_overrides(opt, net);
    } else {
        net = nn_mlp_create(&opt->desc);
        if (!net) {
            fprintf(stderr, "herologo: error: cannot create the network\n");
            return NULL;
        }
    }
    if (!nn_mlp_set_data(net, set->x, set->y, set->label, set->n)) {
        fprintf(stderr, "herologo: error: out of memory for the training data\n");
        nn_mlp_free(net);
        return NULL;
    }
    return net;
}

typedef struct run_result {
    long epochs;
    double seconds;
    nn_stats stats;
    double grid_accuracy; /* NaN when the data has no true shape */
} run_result;

/* Trains with progress lines; SIGINT or SIGTERM stops early, and the run still reports
 * and writes its files for the epochs done. */
static void train_with_progress(nn_mlp *net, long epochs, run_result *r) {
    double start = timer_now();
    double next_report = start + 1.0;
    long done = 0, chunk = 1;
    app_signals_install();
    while (done < epochs && !nn_mlp_diverged(net) && !app_signals_stop_requested()) {
        long step = epochs - done < chunk ? epochs - done : chunk;
        double chunk_start = timer_now();
        done += nn_mlp_train(net, step, NULL);
        double now = timer_now();
        if (now - chunk_start < CHUNK_SECONDS && chunk < (1L << 20)) {
            chunk *= 2;
        }
        if (now >= next_report && done < epochs) {
            nn_stats s;
            nn_mlp_evaluate(net, &s);
            LOG_INFO("TRAIN", "epoch=%ld mse=%.6f train_accuracy=%.4f epochs_per_second=%.0f",
                     nn_mlp_epoch(net), s.mse, s.accuracy, done / (now - start));
            next_report = now + 1.0;
        }
    }
    if (app_signals_stop_requested()) {
        LOG_WARN("TRAIN", "interrupted by signal %d after %ld of %ld epochs; reporting those",
                 app_signals_stop_requested(), done, epochs);
    }
    r->epochs = done;
    r->seconds = timer_now() - start;
}

static bool write_predict_grid(const data_grid *grid, const float *p, const char *path) {
    char err[512];
    afile out;
    if (!afile_open(&out, path, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    /* Coordinates from the grid's definition in double, so 0.1 steps print as -7.9, not
     * as the float nearest to it; a diverged network's outputs print as plain nan. */
    for (int j = 0; j < grid->ny; j++) {
        double y = data_grid_coord(grid->y0, grid->y1, j, grid->ny);
        for (int i = 0; i < grid->nx; i++) {
            double x = data_grid_coord(grid->x0, grid->x1, i, grid->nx);
            float v = p[j * grid->nx + i];
            if (isnan(v)) {
                fprintf(out.f, "%.10g,%.10g,nan\n", x, y);
            } else {
                fprintf(out.f, "%.10g,%.10g,%.9g\n", x, y, v);
            }
        }
    }
    if (!afile_commit(&out, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    return true;
}

/* Shortest decimal that reads back as the same float, so 0.2f prints as 0.2. */
static void json_float(FILE *f, const char *key, float v) {
    char buf[32];
    for (int digits = 6; digits <= 9; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtof(buf, NULL) == v) {
            break;
        }
    }
    fprintf(f, "  \"%s\": %s,\n", key, buf);
}

static void json_number(FILE *f, const char *key, double v, bool last) {
    if (isfinite(v)) {
        fprintf(f, "  \"%s\": %.17g%s\n", key, v, last ? "" : ",");
    } else {
        fprintf(f, "  \"%s\": null%s\n", key, last ? "" : ",");
    }
}

static bool write_metrics(const app_options *opt, nn_mlp *net, const data_set *set,
                          const run_result *r) {
    const nn_desc *d = nn_mlp_desc(net);
    char topo[96], err[512];
    nn_desc_topology(d, topo, sizeof topo);
    afile out;
    if (!afile_open(&out, opt->metrics_path, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    FILE *f = out.f;
    fprintf(f, "{\n  \"epochs\": %ld,\n  \"total_epochs\": %ld,\n", r->epochs, nn_mlp_epoch(net));
    json_number(f, "seconds", r->seconds, false);
    json_number(f, "epochs_per_second", r->seconds > 0 ? r->epochs / r->seconds : NAN, false);
    json_number(f, "mse", r->stats.mse, false);
    json_number(f, "loss", r->stats.loss, false);
    json_number(f, "train_accuracy", r->stats.accuracy, false);
    json_number(f, "grid_accuracy", r->grid_accuracy, false);
    fprintf(f, "  \"topology\": \"%s\",\n  \"activation\": \"%s\",\n  \"loss_name\": \"%s\",\n"
               "  \"optimizer\": \"%s\",\n", topo, nn_act_name(d->act), nn_loss_name(d->loss),
            nn_opt_name(d->opt));
    json_float(f, "learning_rate", d->lr);
    json_float(f, "init_range", d->init_range);
    fprintf(f, "  \"normalize\": %s,\n  \"seed\": %" PRIu64 ",\n  \"samples\": %d,\n",
            d->normalize ? "true" : "false", d->seed, set->n);
    fprintf(f, "  \"simd\": \"%s\",\n  \"interrupted\": %s,\n  \"diverged\": %s\n}\n",
            nn_simd_name(), app_signals_stop_requested() ? "true" : "false",
            nn_mlp_diverged(net) ? "true" : "false");
    if (!afile_commit(&out, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    return true;
}

static bool export_dataset(const app_options *opt, const data_set *set) {
    char err[512];
    if (!data_csv_save(opt->export_path, set, err, sizeof err)) {
        fprintf(stderr, "herologo: error: %s\n", err);
        return false;
    }
    return true;
}

/* Predicts the 161 x 161 test grid; fills grid agreement when the data has a true shape
 * and writes --predict-grid when asked. */
static bool evaluate_grid(const app_options *opt, nn_mlp *net, const data_set *set,
                          run_result *r) {
    r->grid_accuracy = NAN;
    if (!set->has_shape && !opt->predict_path) {
        return true;
    }
    data_grid grid;
    if (!data_grid_test(&grid)) {
        return false;
    }
    int n = grid.nx * grid.ny;
    float *p = mem_alloc_floats((size_t)n);
    bool ok = p != NULL;
    if (ok) {
        nn_mlp_predict(net, grid.x, grid.y, n, p);
        if (set->has_shape && !nn_mlp_diverged(net)) {
            r->grid_accuracy = data_grid_batman_agreement(&grid, p);
        }
        if (opt->predict_path) {
            ok = write_predict_grid(&grid, p, opt->predict_path);
        }
    }
    mem_free(p);
    data_grid_free(&grid);
    return ok;
}

static void log_summary(nn_mlp *net, const run_result *r) {
    char topo[96];
    nn_desc_topology(nn_mlp_desc(net), topo, sizeof topo);
    if (nn_mlp_diverged(net)) {
        LOG_WARN("TRAIN", "diverged (non-finite loss) after epoch=%ld; try a smaller --lr",
                 nn_mlp_epoch(net));
    }
    LOG_INFO("TRAIN", "done topology=%s epochs=%ld seconds=%.3f epochs_per_second=%.0f "
             "simd=%s", topo, r->epochs, r->seconds,
             r->seconds > 0 ? r->epochs / r->seconds : 0.0, nn_simd_name());
    char grid[32] = "n/a";
    if (isfinite(r->grid_accuracy)) {
        snprintf(grid, sizeof grid, "%.4f", r->grid_accuracy);
    }
    LOG_INFO("TRAIN", "result mse=%.6f loss=%.6f train_accuracy=%.4f grid_accuracy=%s",
             r->stats.mse, r->stats.loss, r->stats.accuracy, grid);
}

/* Every file the run will write, checked before training so a bad path costs nothing. */
static bool check_outputs(const app_options *opt) {
    /* These names are taken as given; only --out goes inside --output-dir. */
    const char *paths[] = {opt->metrics_path, opt->predict_path, opt->save_path, opt->out_path};
    const char *dirs[] = {".", ".", ".", opt->output_dir};
    char path[4096];
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        if (paths[k] && !app_prepare_output(dirs[k], paths[k], path, sizeof path)) {
            return false;
        }
    }
    return true;
}

int app_run_headless(const app_options *opt) {
    if (!check_outputs(opt)) {
        return 1;
    }
    data_set set = {0};
    if (!app_load_data(opt, &set)) {
        return 1;
    }
    if (opt->export_path && !export_dataset(opt, &set)) {
        data_set_free(&set);
        return 1;
    }
    nn_mlp *net = app_create_network(opt, &set);
    if (!net) {
        data_set_free(&set);
        return 1;
    }

    char topo[96];
    nn_desc_topology(nn_mlp_desc(net), topo, sizeof topo);
    LOG_INFO("TRAIN", "start topology=%s samples=%d epochs=%ld simd=%s", topo, set.n,
             opt->epochs, nn_simd_name());
    run_result r = {0};
    train_with_progress(net, opt->epochs, &r);
    nn_mlp_evaluate(net, &r.stats);

    bool ok = evaluate_grid(opt, net, &set, &r);
    log_summary(net, &r);
    if (ok && opt->metrics_path) {
        ok = write_metrics(opt, net, &set, &r);
    }
    if (ok && opt->save_path) {
        char err[512];
        ok = nn_mlp_save(net, opt->save_path, err, sizeof err);
        if (!ok) {
            fprintf(stderr, "herologo: error: %s\n", err);
        }
    }
    if (ok && opt->out_path) {
        double rate = r.seconds > 0.0 ? r.epochs / r.seconds : 0.0;
        return app_render_out(opt, &set, net, rate) ? 0 : 1; /* takes set and net */
    }
    nn_mlp_free(net);
    data_set_free(&set);
    return ok ? 0 : 1;
}
