/* Benchmark: epochs per second of full-batch training of 2-40-1 on the 627 Batman points,
 * for herologo's scalar path, each SIMD path this CPU can run, and FANN 2.2's batch trainer,
 * plus the time of one dense 161 x 161 prediction. It prints figures and asserts nothing.
 * The trainers take turns over several rounds because the CPU clock drifts: only ratios
 * measured in the same run are worth comparing. */
#include <floatfann.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/timer.h"
#include "data/data.h"
#include "nn/kernels.h"
#include "nn/nn.h"

/* The original experiment's Octave code, measured once on this kind of machine (a quoted
 * figure, not measured by this program); the aim is 30 to 40 times that rate. */
#define OCTAVE_EPS 2470.0
#define TARGET_LO 30.0
#define TARGET_HI 40.0

#define MAX_ROUNDS 64
#define N_PATHS 3
#define MAX_TRAINERS (N_PATHS + 1)
#define GRID_REPS 15 /* <= MAX_ROUNDS: median() sorts both in one buffer */

static const char *const PATH_NAMES[N_PATHS] = {"scalar", "avx2", "avx512"};

typedef struct trainer {
    const char *name;
    const nn_kernels *kernels; /* herologo path; NULL for FANN */
    nn_mlp *net;
    struct fann *ann;
    struct fann_train_data *data;
    long chunk; /* epochs per timed call, sized at warm-up so the clock is read rarely */
    double rates[MAX_ROUNDS];
    double eps;     /* median over the rounds */
    double spread;  /* (max - min) / median over the rounds */
    double grid_ms; /* median time of one 161 x 161 prediction */
} trainer;

typedef struct bench_opts {
    double seconds; /* timed wall time per trainer, split over the rounds */
    int rounds;
    const char *json;
} bench_opts;

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n, double *spread) {
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double m = (n % 2) ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    if (spread) {
        *spread = m > 0.0 ? (s[n - 1] - s[0]) / m : 0.0;
    }
    return m;
}

static long trainer_run(trainer *t, long epochs) {
    if (t->ann) {
        for (long e = 0; e < epochs; e++) {
            fann_train_epoch(t->ann, t->data);
        }
        return epochs;
    }
    nn_kernels_use(t->kernels);
    return nn_mlp_train(t->net, epochs, NULL);
}

/* Trains in chunks until `seconds` have passed and returns epochs per second. A diverged
 * network trains no more epochs and so reads as 0. */
static double trainer_time(trainer *t, double seconds) {
    long done = 0;
    double t0 = timer_now(), elapsed;
    do {
        done += trainer_run(t, t->chunk);
        elapsed = timer_now() - t0;
    } while (elapsed < seconds);
    return (double)done / elapsed;
}

static void trainer_warm_up(trainer *t, double seconds) {
    /* Double the chunk until one call takes ~5 ms: the overshoot of a round stays small
     * and the clock costs nothing next to the work. */
    t->chunk = 1;
    for (;;) {
        double t0 = timer_now();
        trainer_run(t, t->chunk);
        if (timer_now() - t0 >= 0.005 || t->chunk >= (1L << 20)) {
            break;
        }
        t->chunk *= 2;
    }
    trainer_time(t, seconds);
}

static bool fann_setup(trainer *t, const data_set *set) {
    t->name = "fann-batch";
    t->ann = fann_create_standard(3, 2u, 40u, 1u);
    t->data = fann_create_train((unsigned)set->n, 2, 1);
    if (!t->ann || !t->data) {
        return false;
    }
    for (int i = 0; i < set->n; i++) {
        t->data->input[i][0] = set->x[i];
        t->data->input[i][1] = set->y[i];
        t->data->output[i][0] = set->label[i];
    }
    fann_set_activation_function_hidden(t->ann, FANN_SIGMOID);
    fann_set_activation_function_output(t->ann, FANN_SIGMOID);
    fann_set_training_algorithm(t->ann, FANN_TRAIN_BATCH);
    fann_set_learning_rate(t->ann, 1.0f);
    /* Plain output error like herologo's, instead of FANN's default tanh-shaped one. */
    fann_set_train_error_function(t->ann, FANN_ERRORFUNC_LINEAR);
    srand(1); /* FANN draws its weights with rand(); fix them so runs repeat */
    fann_randomize_weights(t->ann, -0.2f, 0.2f);
    return true;
}

/* Median time of one prediction over the dense grid with this trainer's network. */
static double grid_time_ms(trainer *t, const data_grid *g, float *out) {
    int n = g->nx * g->ny;
    double ms[GRID_REPS];
    if (!t->ann) {
        nn_kernels_use(t->kernels);
    }
    for (int r = -2; r < GRID_REPS; r++) { /* two untimed calls warm the caches */
        double t0 = timer_now();
        if (t->ann) {
            for (int i = 0; i < n; i++) {
                fann_type in[2] = {g->x[i], g->y[i]};
                out[i] = fann_run(t->ann, in)[0];
            }
        } else {
            nn_mlp_predict(t->net, g->x, g->y, n, out);
        }
        if (r >= 0) {
            ms[r] = (timer_now() - t0) * 1e3;
        }
    }
    return median(ms, GRID_REPS, NULL);
}

static void print_table(const trainer *ts, int n, const bench_opts *o) {
    const trainer *scalar = &ts[0], *fann = &ts[n - 1];
    printf("2-40-1 sigmoid, 627 Batman points, full-batch gd, lr 1; %d rounds of %.2f s per "
           "trainer\n\n",
           o->rounds, o->seconds / o->rounds);
    printf("%-11s %9s %8s %9s %9s %7s %8s\n", "trainer", "epochs/s", "vs FANN", "vs scalar",
           "vs Octave", "spread", "grid ms");
    for (int i = 0; i < n; i++) {
        const trainer *t = &ts[i];
        printf("%-11s %9.0f %7.2fx %8.2fx %8.2fx %6.1f%% %8.3f\n", t->name, t->eps,
               t->eps / fann->eps, t->eps / scalar->eps, t->eps / OCTAVE_EPS, 100.0 * t->spread,
               t->grid_ms);
    }
    printf("\nOctave: %.0f epochs/s, the original code (a quoted reference, not measured)\n"
           "target: %.0f-%.0fx Octave = %.0f-%.0f epochs/s\n",
           OCTAVE_EPS, TARGET_LO, TARGET_HI, TARGET_LO * OCTAVE_EPS, TARGET_HI * OCTAVE_EPS);
}

static bool write_json(const trainer *ts, int n, const bench_opts *o) {
    const trainer *scalar = &ts[0], *fann = &ts[n - 1];
    FILE *f = fopen(o->json, "w");
    if (!f) {
        return false;
    }
    fprintf(f,
            "{\n  \"topology\": \"2-40-1\",\n  \"points\": 627,\n  \"rounds\": %d,\n"
            "  \"seconds_per_trainer\": %g,\n  \"octave_reference_eps\": %.0f,\n"
            "  \"target_eps\": [%.0f, %.0f],\n  \"trainers\": [\n",
            o->rounds, o->seconds, OCTAVE_EPS, TARGET_LO * OCTAVE_EPS, TARGET_HI * OCTAVE_EPS);
    for (int i = 0; i < n; i++) {
        const trainer *t = &ts[i];
        fprintf(f,
                "    {\"name\": \"%s\", \"epochs_per_s\": %.1f, \"vs_fann\": %.4f, "
                "\"vs_scalar\": %.4f, \"vs_octave\": %.4f, \"spread\": %.4f, "
                "\"grid_ms\": %.4f}%s\n",
                t->name, t->eps, t->eps / fann->eps, t->eps / scalar->eps, t->eps / OCTAVE_EPS,
                t->spread, t->grid_ms, i + 1 < n ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return fclose(f) == 0;
}

static void usage(void) {
    printf("usage: herologo_bench [--seconds S] [--rounds N] [--json FILE]\n\n"
           "Epochs per second of full-batch training of 2-40-1 on the 627 Batman points:\n"
           "herologo's scalar and SIMD paths against FANN 2.2's batch trainer, plus the\n"
           "time of one 161 x 161 grid prediction.\n\n"
           "  --seconds S   timed seconds per trainer, split over the rounds (default 1.5)\n"
           "  --rounds N    interleaved rounds, 1 to %d; the median is reported (default 5)\n"
           "  --json FILE   also write the figures as JSON to FILE\n"
           "  --help        this text\n",
           MAX_ROUNDS);
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, bench_opts *o) {
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(arg, "--help") == 0) {
            usage();
            return 0;
        } else if (strcmp(arg, "--seconds") == 0 && val) {
            o->seconds = strtod(val, &end);
            if (*end || !(o->seconds > 0.0 && o->seconds <= 3600.0)) {
                fprintf(stderr, "herologo_bench: --seconds wants 0 < S <= 3600\n");
                return 2;
            }
        } else if (strcmp(arg, "--rounds") == 0 && val) {
            long r = strtol(val, &end, 10);
            if (*end || r < 1 || r > MAX_ROUNDS) {
                fprintf(stderr, "herologo_bench: --rounds wants 1 to %d\n", MAX_ROUNDS);
                return 2;
            }
            o->rounds = (int)r;
        } else if (strcmp(arg, "--json") == 0 && val) {
            o->json = val;
        } else {
            fprintf(stderr, "herologo_bench: bad or incomplete option '%s' (see --help)\n", arg);
            return 2;
        }
        i++; /* every option but --help takes a value */
    }
    return -1;
}

/* One network per path this CPU runs, all from the same seed so every path does the same
 * work, then FANN. The scalar path always exists and comes first and FANN comes last: the
 * ratio columns rely on that. Returns the count, or 0 when something cannot be created. */
static int trainers_create(trainer *ts, const data_set *set) {
    nn_desc desc = nn_desc_default();
    int n = 0;
    for (int p = 0; p < N_PATHS; p++) {
        const nn_kernels *k = nn_kernels_by_name(PATH_NAMES[p]);
        if (!k) {
            printf("%s: not supported by this CPU, skipped\n", PATH_NAMES[p]);
            continue;
        }
        trainer *t = &ts[n++];
        t->name = PATH_NAMES[p];
        t->kernels = k;
        t->net = nn_mlp_create(&desc);
        if (!t->net || !nn_mlp_set_data(t->net, set->x, set->y, set->label, set->n)) {
            fprintf(stderr, "herologo_bench: cannot create the %s network\n", t->name);
            return 0;
        }
    }
    if (!fann_setup(&ts[n++], set)) {
        fprintf(stderr, "herologo_bench: cannot create the FANN network\n");
        return 0;
    }
    return n;
}

static void trainers_measure(trainer *ts, int n, const bench_opts *o, const data_grid *grid,
                             float *out) {
    for (int i = 0; i < n; i++) {
        trainer_warm_up(&ts[i], 0.2);
    }
    /* Rotate the order as well, so no trainer always runs right after the same one. */
    for (int r = 0; r < o->rounds; r++) {
        for (int i = 0; i < n; i++) {
            trainer *t = &ts[(i + r) % n];
            t->rates[r] = trainer_time(t, o->seconds / o->rounds);
        }
    }
    for (int i = 0; i < n; i++) {
        ts[i].eps = median(ts[i].rates, o->rounds, &ts[i].spread);
        ts[i].grid_ms = grid_time_ms(&ts[i], grid, out);
        if (ts[i].net && nn_mlp_diverged(ts[i].net)) {
            printf("%s: the network diverged, its rate means nothing\n", ts[i].name);
        }
    }
}

static void trainers_free(trainer *ts, int n) {
    for (int i = 0; i < n; i++) {
        nn_mlp_free(ts[i].net); /* all three accept NULL */
        fann_destroy_train(ts[i].data);
        fann_destroy(ts[i].ann);
    }
}

int main(int argc, char **argv) {
    bench_opts o = {1.5, 5, NULL};
    int status = parse_args(argc, argv, &o);
    if (status >= 0) {
        return status;
    }

    data_set set = {0};
    data_grid grid = {0};
    float *out = NULL;
    trainer ts[MAX_TRAINERS] = {{0}};
    int n = 0;
    status = 1;
    if (!data_batman_training(&set) || !data_grid_test(&grid) ||
        !(out = mem_alloc_floats((size_t)DATA_TEST_N_SIDE * DATA_TEST_N_SIDE))) {
        fprintf(stderr, "herologo_bench: out of memory\n");
    } else if ((n = trainers_create(ts, &set)) > 0) {
        trainers_measure(ts, n, &o, &grid, out);
        print_table(ts, n, &o);
        status = 0;
        if (o.json && !write_json(ts, n, &o)) {
            fprintf(stderr, "herologo_bench: cannot write %s\n", o.json);
            status = 1;
        }
    }

    trainers_free(ts, MAX_TRAINERS);
    nn_kernels_use(NULL);
    mem_free(out);
    data_grid_free(&grid);
    data_set_free(&set);
    return status;
}
