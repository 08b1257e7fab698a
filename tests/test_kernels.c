/* The SIMD kernel tables against the scalar reference: every table this CPU can run, on odd
 * sizes, for each activation and loss, within tolerances scaled by the magnitude of the
 * terms summed. Also the accuracy of the vector sigmoid and tanh over a wide range, and the
 * HEROLOGO_SIMD switch. A table the CPU cannot run is reported as SKIP, never silently. */
#define _POSIX_C_SOURCE 200809L

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/rng.h"
#include "nn/kernels.h"

/* Rounding differs from the reference only through the order of the sums, so errors are
 * measured against the sum of the magnitudes of the terms; the activations add their own
 * approximation error (below 3e-7 for tanh). */
#define TOL_ABS 1e-6
#define TOL_REL 1e-5
#define TOL_SUM 2e-6

/* Written into padding and into outputs before a call, to catch stray or missing writes. */
#define SENTINEL 12345.0f

static const int k_n_in[] = {1, 2, 3, 7, 40, 41};
static const int k_n_out[] = {1, 5, 40, 63};
static const int k_n_s[] = {16, 48, 640};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Largest error seen, as a fraction of its tolerance, for the closing report. */
static double g_worst;

/* Buffers of one layer, sized for the largest case; every row starts 64-byte aligned. */
typedef struct layer_bufs {
    float *W, *b, *X, *dZ;
    float *A_ref, *A_simd;
    float *dW_ref, *dW_simd, *db_ref, *db_simd;
    float *dX_ref, *dX_simd;
} layer_bufs;

/* Largest sizes: 63 x 41 weights, rows of up to 640 + 16 samples. */
#define MAX_UNITS 63
#define MAX_LD (640 + 16)

static bool bufs_alloc(layer_bufs *l) {
    /* 16 spare floats past the largest case hold a sentinel against overruns. */
    size_t act = (size_t)MAX_UNITS * MAX_LD + 16;
    size_t w = (size_t)MAX_UNITS * MAX_UNITS + 16;
    float **blocks[] = {&l->X, &l->dZ,     &l->A_ref,   &l->A_simd, &l->dX_ref, &l->dX_simd,
                        &l->W, &l->dW_ref, &l->dW_simd, &l->b,      &l->db_ref, &l->db_simd};
    size_t units = MAX_UNITS + 16;
    size_t sizes[] = {act, act, act, act, act, act, w, w, w, units, units, units};
    for (int k = 0; k < COUNT(blocks); k++) {
        *blocks[k] = mem_alloc_floats(sizes[k]);
        if (!*blocks[k]) {
            return false;
        }
    }
    return true;
}

static void bufs_free(layer_bufs *l) {
    float *blocks[] = {l->X, l->dZ,     l->A_ref,   l->A_simd, l->dX_ref, l->dX_simd,
                       l->W, l->dW_ref, l->dW_simd, l->b,      l->db_ref, l->db_simd};
    for (int k = 0; k < COUNT(blocks); k++) {
        mem_free(blocks[k]);
    }
}

static void fill(float *x, size_t n, float value) {
    for (size_t k = 0; k < n; k++) {
        x[k] = value;
    }
}

/* Rows of n_s random values in (-r, r), padding [n_s, ld) set to SENTINEL. When act is a
 * valid activation the values are passed through it, as a layer's outputs would be. */
static void fill_rows(rng_state *rng, float *x, int rows, int n_s, int ld, float r, int act) {
    for (int i = 0; i < rows; i++) {
        for (int s = 0; s < ld; s++) {
            float v = s < n_s ? rng_symmetric(rng, r) : SENTINEL;
            if (s < n_s && act >= 0) {
                v = nn_act_apply((nn_act)act, v);
            }
            x[(size_t)i * ld + s] = v;
        }
    }
}

static double tolerance(double ref, double sum_abs) {
    return TOL_ABS + TOL_REL * fabs(ref) + TOL_SUM * sum_abs;
}

/* Largest error of `got` against `ref` as a fraction of the tolerance (<= 1 passes), over
 * rows x n_s entries with row stride ld; `scale` gives each entry's sum of |terms|. Also
 * fails if the padding [n_s, ld) or the 16 floats after the last row lost their sentinel. */
typedef double (*scale_fn)(const void *ctx, int row, int s);

static double worst_ratio(const float *ref, const float *got, int rows, int n_s, int ld,
                          scale_fn scale, const void *ctx) {
    double worst = 0.0;
    for (int r = 0; r < rows; r++) {
        for (int s = 0; s < ld; s++) {
            size_t at = (size_t)r * ld + s;
            if (s >= n_s) {
                worst = got[at] == SENTINEL ? worst : INFINITY;
                continue;
            }
            double err = fabs((double)got[at] - (double)ref[at]);
            double ratio = err / tolerance(ref[at], scale(ctx, r, s));
            worst = fmax(worst, isnan(ratio) ? INFINITY : ratio);
        }
    }
    for (int k = 0; k < 16; k++) {
        worst = got[(size_t)rows * ld + k] == SENTINEL ? worst : INFINITY;
    }
    g_worst = fmax(g_worst, worst);
    return worst;
}

/* Context for the scale of each kind of output. */
typedef struct case_desc {
    int n_in, n_out, n_s, ld;
    nn_act act;
    const layer_bufs *l;
} case_desc;

/* Forward: sum |b| + sum_i |W[j][i] X[i][s]| (the activations have slope <= 1). */
static double forward_scale(const void *ctx, int j, int s) {
    const case_desc *c = ctx;
    double sum = fabs(c->l->b[j]);
    for (int i = 0; i < c->n_in; i++) {
        sum += fabs(c->l->W[j * c->n_in + i] * c->l->X[(size_t)i * c->ld + s]);
    }
    return sum;
}

/* dW[j][i]: sum_s |dZ[j][s] X[i][s]|, laid out as rows j of n_in entries. */
static double dw_scale(const void *ctx, int j, int i) {
    const case_desc *c = ctx;
    double sum = 0.0;
    for (int s = 0; s < c->n_s; s++) {
        sum += fabs(c->l->dZ[(size_t)j * c->ld + s] * c->l->X[(size_t)i * c->ld + s]);
    }
    return sum;
}

/* db[j]: sum_s |dZ[j][s]|. */
static double db_scale(const void *ctx, int row, int j) {
    (void)row;
    const case_desc *c = ctx;
    double sum = 0.0;
    for (int s = 0; s < c->n_s; s++) {
        sum += fabs(c->l->dZ[(size_t)j * c->ld + s]);
    }
    return sum;
}

/* dX[i][s]: sum_j |W[j][i] dZ[j][s]| times |act'(X[i][s])|. */
static double dx_scale(const void *ctx, int i, int s) {
    const case_desc *c = ctx;
    double sum = 0.0;
    for (int j = 0; j < c->n_out; j++) {
        sum += fabs(c->l->W[j * c->n_in + i] * c->l->dZ[(size_t)j * c->ld + s]);
    }
    return sum * fabs(nn_act_deriv(c->act, c->l->X[(size_t)i * c->ld + s]));
}

static const char *act_label(nn_act act) {
    static const char *names[] = {"sigmoid", "tanh", "relu"};
    return names[act];
}

static void check_forward(const nn_kernels *k, const case_desc *c) {
    const layer_bufs *l = c->l;
    size_t n = (size_t)c->n_out * c->ld + 16;
    fill(l->A_ref, n, SENTINEL);
    fill(l->A_simd, n, SENTINEL);
    nn_kernels_scalar.forward(c->n_in, c->n_out, c->n_s, c->ld, l->W, l->b, l->X, l->A_ref,
                              c->act);
    k->forward(c->n_in, c->n_out, c->n_s, c->ld, l->W, l->b, l->X, l->A_simd, c->act);
    double r = worst_ratio(l->A_ref, l->A_simd, c->n_out, c->n_s, c->ld, forward_scale, c);
    CHECK_MSG(r <= 1.0, "%s forward %s n_in=%d n_out=%d n_s=%d ld=%d: error %.3g x tol",
              k->name, act_label(c->act), c->n_in, c->n_out, c->n_s, c->ld, r);
}

/* Backward with dX (when with_dx) and without, dW and db prefilled to check they are
 * overwritten rather than added to. */
static void check_backward(const nn_kernels *k, const case_desc *c, bool with_dx) {
    const layer_bufs *l = c->l;
    size_t nw = (size_t)c->n_out * c->n_in + 16;
    size_t nx = (size_t)c->n_in * c->ld + 16;
    fill(l->dW_ref, nw, SENTINEL);
    fill(l->dW_simd, nw, SENTINEL);
    fill(l->db_ref, (size_t)c->n_out + 16, SENTINEL);
    fill(l->db_simd, (size_t)c->n_out + 16, SENTINEL);
    fill(l->dX_ref, nx, SENTINEL);
    fill(l->dX_simd, nx, SENTINEL);

    nn_kernels_scalar.backward(c->n_in, c->n_out, c->n_s, c->ld, l->W, l->X, l->dZ, l->dW_ref,
                               l->db_ref, with_dx ? l->dX_ref : NULL, c->act);
    k->backward(c->n_in, c->n_out, c->n_s, c->ld, l->W, l->X, l->dZ, l->dW_simd, l->db_simd,
                with_dx ? l->dX_simd : NULL, c->act);

    double r_dw = worst_ratio(l->dW_ref, l->dW_simd, c->n_out, c->n_in, c->n_in, dw_scale, c);
    double r_db = worst_ratio(l->db_ref, l->db_simd, 1, c->n_out, c->n_out, db_scale, c);
    double r_dx = 0.0;
    if (with_dx) {
        r_dx = worst_ratio(l->dX_ref, l->dX_simd, c->n_in, c->n_s, c->ld, dx_scale, c);
    } else {
        for (size_t k2 = 0; k2 < nx; k2++) {
            r_dx = l->dX_simd[k2] == SENTINEL ? r_dx : INFINITY;
        }
    }
    CHECK_MSG(r_dw <= 1.0 && r_db <= 1.0 && r_dx <= 1.0,
              "%s backward %s%s n_in=%d n_out=%d n_s=%d ld=%d: error dW %.3g db %.3g "
              "dX %.3g x tol",
              k->name, act_label(c->act), with_dx ? "" : " (no dX)", c->n_in, c->n_out, c->n_s,
              c->ld, r_dw, r_db, r_dx);
}

/* Random layer data for one case: inputs for forward are plain values in (-2, 2); for
 * backward X must be outputs of act, so X is refilled through the activation. */
static void check_case(const nn_kernels *k, rng_state *rng, const case_desc *c) {
    layer_bufs *l = (layer_bufs *)c->l;
    for (int w = 0; w < c->n_out * c->n_in; w++) {
        l->W[w] = rng_symmetric(rng, 1.0f);
    }
    for (int j = 0; j < c->n_out; j++) {
        l->b[j] = rng_symmetric(rng, 1.0f);
    }
    fill_rows(rng, l->X, c->n_in, c->n_s, c->ld, 2.0f, -1);
    check_forward(k, c);

    fill_rows(rng, l->X, c->n_in, c->n_s, c->ld, 3.0f, (int)c->act);
    fill_rows(rng, l->dZ, c->n_out, c->n_s, c->ld, 1.0f, -1);
    check_backward(k, c, true);
    check_backward(k, c, false);
}

static void check_layers(const nn_kernels *k, layer_bufs *l) {
    rng_state rng;
    rng_seed(&rng, 20240611);
    for (int a = 0; a < NN_ACT_COUNT; a++) {
        for (int ni = 0; ni < COUNT(k_n_in); ni++) {
            for (int no = 0; no < COUNT(k_n_out); no++) {
                for (int ns = 0; ns < COUNT(k_n_s); ns++) {
                    for (int pad = 0; pad <= 16; pad += 16) {
                        case_desc c = {k_n_in[ni],      k_n_out[no], k_n_s[ns],
                                       k_n_s[ns] + pad, (nn_act)a,   l};
                        check_case(k, &rng, &c);
                    }
                }
            }
        }
    }
}

/* Output delta for each loss: padding samples carry weight 0; the same products in the
 * same order as the reference, so only a last-bit difference is allowed. */
static void check_output_delta(const nn_kernels *k, layer_bufs *l) {
    rng_state rng;
    rng_seed(&rng, 7);
    for (int ns = 0; ns < COUNT(k_n_s); ns++) {
        int n_s = k_n_s[ns];
        int n_real = n_s - 5;
        float *P = l->A_ref, *T = l->A_simd, *Wt = l->X;
        for (int s = 0; s < n_s; s++) {
            P[s] = nn_act_apply(NN_ACT_SIGMOID, rng_symmetric(&rng, 6.0f));
            T[s] = rng_uniform(&rng) < 0.5 ? 0.0f : 1.0f;
            Wt[s] = s < n_real ? 1.0f / (float)n_real : 0.0f;
        }
        for (int loss = 0; loss < NN_LOSS_COUNT; loss++) {
            fill(l->dX_ref, (size_t)n_s + 16, SENTINEL);
            fill(l->dX_simd, (size_t)n_s + 16, SENTINEL);
            nn_kernels_scalar.output_delta(n_s, P, T, Wt, (nn_loss)loss, l->dX_ref);
            k->output_delta(n_s, P, T, Wt, (nn_loss)loss, l->dX_simd);
            double worst = 0.0;
            for (int s = 0; s < n_s + 16; s++) {
                double err = fabs((double)l->dX_simd[s] - (double)l->dX_ref[s]);
                double tol = 1e-7 * fabs(l->dX_ref[s]);
                if (!(err <= tol)) {
                    worst = isnan(err) ? INFINITY : fmax(worst, err);
                }
            }
            CHECK_MSG(worst == 0.0, "%s output_delta loss=%d n_s=%d: error %.3g", k->name, loss,
                      n_s, worst);
        }
    }
}

/* Runs act through the table's forward on a single row: W = 1 and b = 0 make z exact. */
static void act_row(const nn_kernels *k, nn_act act, const float *z, float *a, int n_s) {
    const float one = 1.0f, zero = 0.0f;
    k->forward(1, 1, n_s, n_s, &one, &zero, z, a, act);
}

/* The vector sigmoid and tanh over z in [-100, 100] plus extremes: finite, within [0, 1]
 * (or [-1, 1]) and close to the exact value; relu exact; NaN stays NaN. */
static void check_activation_accuracy(const nn_kernels *k, layer_bufs *l) {
    enum { N = MAX_UNITS * MAX_LD / 16 * 16 };
    float *z = l->X, *a = l->A_simd;
    const float extremes[] = {-INFINITY, -FLT_MAX, -1e30f,  -100.0f, -89.0f, -88.0f, -87.5f,
                              -87.0f,    -86.9f,   -50.0f,  -1e-30f, -0.0f,  0.0f,   1e-30f,
                              1e-7f,     50.0f,    86.9f,   87.0f,   87.5f,  88.0f,  89.0f,
                              100.0f,    1e30f,    FLT_MAX, INFINITY};
    int n = 0;
    for (; n < COUNT(extremes); n++) {
        z[n] = extremes[n];
    }
    for (; n < N; n++) {
        z[n] =
            -100.0f + 200.0f * (float)(n - COUNT(extremes)) / (float)(N - 1 - COUNT(extremes));
    }

    for (int act = 0; act < NN_ACT_COUNT; act++) {
        act_row(k, (nn_act)act, z, a, N);
        double worst = 0.0, worst_z = 0.0;
        bool in_range = true;
        for (int s = 0; s < N; s++) {
            double zd = z[s], exact;
            if (act == NN_ACT_SIGMOID) {
                exact = 1.0 / (1.0 + exp(-zd));
                in_range = in_range && a[s] >= 0.0f && a[s] <= 1.0f;
            } else if (act == NN_ACT_TANH) {
                exact = tanh(zd);
                in_range = in_range && a[s] >= -1.0f && a[s] <= 1.0f;
            } else {
                exact = zd > 0.0 ? zd : 0.0;
            }
            /* Equal infinities (relu of inf) count as exact; a NaN as the worst error. */
            double err = (double)a[s] == exact ? 0.0 : fabs((double)a[s] - exact);
            err = isnan(err) ? INFINITY : err;
            if (err > worst) {
                worst = err;
                worst_z = zd;
            }
        }
        double bound = act == NN_ACT_SIGMOID ? 2e-7 : act == NN_ACT_TANH ? 3e-7 : 0.0;
        printf("%s %s: max abs error %.3g at z=%.9g\n", k->name, act_label((nn_act)act), worst,
               worst_z);
        CHECK_MSG(worst <= bound && in_range, "%s %s: max abs error %.3g at z=%.9g", k->name,
                  act_label((nn_act)act), worst, worst_z);
    }

    /* A NaN pre-activation stays NaN, as in the reference, so divergence stays visible. */
    fill(z, 16, NAN);
    act_row(k, NN_ACT_SIGMOID, z, a, 16);
    CHECK(isnan(a[0]) && isnan(a[15]));
    act_row(k, NN_ACT_TANH, z, a, 16);
    CHECK(isnan(a[0]) && isnan(a[15]));
}

static void check_table(const char *name, layer_bufs *l) {
    const nn_kernels *k = nn_kernels_by_name(name);
    if (!k) {
        printf("SKIP %s: not supported by this CPU\n", name);
        return;
    }
    CHECK(strcmp(k->name, name) == 0);
    check_activation_accuracy(k, l);
    check_output_delta(k, l);
    g_worst = 0.0;
    check_layers(k, l);
    printf("%s forward/backward: largest error %.3g of its tolerance\n", name, g_worst);
}

/* Availability follows the CPU's features, and unknown names give NULL. */
static void check_lookup(void) {
    bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    bool avx512 =
        avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    CHECK(nn_kernels_by_name("scalar") == &nn_kernels_scalar);
    CHECK((nn_kernels_by_name("avx2") != NULL) == avx2);
    CHECK((nn_kernels_by_name("avx512") != NULL) == avx512);
    CHECK(nn_kernels_by_name("sse9") == NULL);
    CHECK(nn_kernels_by_name("") == NULL);
}

static int g_warnings;

static void count_warnings(log_level level, const char *tag, const char *msg, void *user) {
    (void)tag, (void)msg, (void)user;
    g_warnings += level == LOG_LEVEL_WARN;
}

/* HEROLOGO_SIMD forces a table when the choice is made again, and an unavailable or
 * unknown one falls back to the best table with one WARN. */
static void check_forcing(void) {
    const char *saved = getenv("HEROLOGO_SIMD");
    char *saved_copy = saved ? strdup(saved) : NULL;

    unsetenv("HEROLOGO_SIMD");
    nn_kernels_use(NULL);
    const nn_kernels *best = nn_kernels_active();
    CHECK(strcmp(nn_simd_name(), best->name) == 0);

    setenv("HEROLOGO_SIMD", "scalar", 1);
    nn_kernels_use(NULL);
    CHECK(nn_kernels_active() == &nn_kernels_scalar);

    if (nn_kernels_by_name("avx2")) {
        setenv("HEROLOGO_SIMD", "avx2", 1);
        nn_kernels_use(NULL);
        CHECK(nn_kernels_active() == &nn_kernels_avx2);
    }

    log_set_sink(count_warnings, NULL);
    g_warnings = 0;
    setenv("HEROLOGO_SIMD", "sse9", 1);
    nn_kernels_use(NULL);
    CHECK(nn_kernels_active() == best);
    CHECK(g_warnings == 1);
    log_set_sink(NULL, NULL);

    nn_kernels_use(&nn_kernels_scalar);
    CHECK(nn_kernels_active() == &nn_kernels_scalar);

    if (saved_copy) {
        setenv("HEROLOGO_SIMD", saved_copy, 1);
    } else {
        unsetenv("HEROLOGO_SIMD");
    }
    free(saved_copy);
    nn_kernels_use(NULL);
}

int main(void) {
    layer_bufs l = {0};
    if (!bufs_alloc(&l)) {
        bufs_free(&l);
        CHECK_MSG(false, "out of memory");
        return check_summary("test_kernels");
    }
    check_lookup();
    check_forcing();
    check_table("avx2", &l);
    check_table("avx512", &l);
    bufs_free(&l);
    return check_summary("test_kernels");
}
