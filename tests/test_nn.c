/* Tests of the network: finite-difference gradients for every activation and loss on
 * several topologies, determinism, reset and reseed, topology changes, optimisers,
 * divergence, save/load round trips and damaged model files, and the article's result. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/rng.h"
#include "data/data.h"
#include "nn/kernels.h"
#include "nn/nn.h"

static data_set g_batman;
static char g_dir[64];

static nn_mlp *make_net(nn_desc d) {
    nn_mlp *net = nn_mlp_create(&d);
    if (net) {
        nn_mlp_set_data(net, g_batman.x, g_batman.y, g_batman.label, g_batman.n);
    }
    return net;
}

static nn_desc desc_with(int n_hidden, const int *hidden, nn_act act, nn_loss loss) {
    nn_desc d = nn_desc_default();
    d.n_hidden = n_hidden;
    for (int l = 0; l < n_hidden; l++) {
        d.hidden[l] = hidden[l];
    }
    d.act = act;
    d.loss = loss;
    return d;
}

/* ---- gradient check ------------------------------------------------------------------ */

/* Compares the analytic gradient with central differences on a small random set, with
 * weights large enough that every unit is in its curved range. */
static void gradient_check(int n_hidden, const int *hidden, nn_act act, nn_loss loss) {
    nn_desc d = desc_with(n_hidden, hidden, act, loss);
    d.init_range = 1.0f;
    d.seed = 7;
    nn_mlp *net = nn_mlp_create(&d);
    CHECK(net != NULL);
    if (!net) {
        return;
    }
    enum { N = 37 };
    float x[N], y[N], t[N];
    rng_state rng;
    rng_seed(&rng, 99);
    for (int s = 0; s < N; s++) {
        x[s] = rng_symmetric(&rng, 2.0f);
        y[s] = rng_symmetric(&rng, 2.0f);
        t[s] = rng_uniform(&rng) < 0.5 ? 0.0f : 1.0f;
    }
    nn_mlp_set_data(net, x, y, t, N);

    size_t n = nn_mlp_param_count(net);
    float *p = nn_mlp_params(net);
    float *analytic = malloc(n * sizeof *analytic);
    nn_mlp_compute_gradient(net);
    memcpy(analytic, nn_mlp_grads(net), n * sizeof *analytic);

    const float h = act == NN_ACT_RELU ? 1e-3f : 1e-2f;
    double centre = nn_mlp_compute_gradient(net);
    int bad = 0, kinks = 0;
    double worst = 0.0;
    for (size_t k = 0; k < n; k++) {
        float saved = p[k];
        p[k] = saved + h;
        double up = nn_mlp_compute_gradient(net);
        p[k] = saved - h;
        double down = nn_mlp_compute_gradient(net);
        p[k] = saved;
        double step = (double)(saved + h) - (double)saved;
        double numeric = (up - down) / (2.0 * step);
        /* A ReLU kink inside [-h, h] makes the one-sided slopes disagree: no derivative
         * to compare there, so count it instead (it must stay rare). */
        double right = (up - centre) / step, left = (centre - down) / step;
        if (act == NN_ACT_RELU && fabs(right - left) > 0.05 * fabs(numeric) + 1e-4) {
            kinks++;
            continue;
        }
        double diff = fabs(numeric - analytic[k]);
        double tol = 0.03 * fmax(fabs(numeric), fabs(analytic[k])) + 3e-4;
        worst = fmax(worst, diff);
        bad += diff > tol;
    }
    char topo[64];
    nn_desc_topology(&d, topo, sizeof topo);
    CHECK_MSG(bad == 0, "%s %s %s (%s): %d of %zu gradients off, worst %g", topo,
              nn_act_name(act), nn_loss_name(loss), nn_simd_name(), bad, n, worst);
    CHECK_MSG(kinks * 10 <= (int)n, "%s: %d of %zu parameters sit on a kink", topo, kinks, n);
    free(analytic);
    nn_mlp_free(net);
}

static void test_gradients(void) {
    static const int topo_a[] = {5};
    static const int topo_b[] = {4, 3};
    static const int topo_c[] = {17, 6, 3};
    for (int act = 0; act < NN_ACT_COUNT; act++) {
        for (int loss = 0; loss < NN_LOSS_COUNT; loss++) {
            gradient_check(1, topo_a, (nn_act)act, (nn_loss)loss);
            gradient_check(2, topo_b, (nn_act)act, (nn_loss)loss);
            gradient_check(3, topo_c, (nn_act)act, (nn_loss)loss);
        }
    }
}

/* ---- determinism, reset, reseed ------------------------------------------------------ */

static bool same_params(nn_mlp *a, nn_mlp *b) {
    return nn_mlp_param_count(a) == nn_mlp_param_count(b) &&
           memcmp(nn_mlp_params(a), nn_mlp_params(b),
                  nn_mlp_param_count(a) * sizeof(float)) == 0;
}

static void test_determinism(void) {
    static const int h[] = {40};
    for (int opt = 0; opt < NN_OPT_COUNT; opt++) {
        nn_desc d = desc_with(1, h, NN_ACT_SIGMOID, NN_LOSS_SEED);
        d.opt = (nn_opt)opt;
        d.lr = nn_opt_default_lr(d.opt);
        nn_mlp *a = make_net(d), *b = make_net(d);
        nn_mlp_train(a, 300, NULL);
        nn_mlp_train(b, 100, NULL);
        nn_mlp_train(b, 200, NULL);
        CHECK_MSG(same_params(a, b), "%s: split bursts must give bit-identical weights",
                  nn_opt_name(d.opt));
        CHECK(nn_mlp_epoch(a) == 300 && nn_mlp_epoch(b) == 300);
        nn_mlp_free(a);
        nn_mlp_free(b);
    }

    nn_desc d = nn_desc_default();
    nn_mlp *a = make_net(d);
    nn_mlp *fresh = make_net(d);
    nn_mlp_train(a, 200, NULL);
    CHECK(!same_params(a, fresh));
    nn_mlp_reset(a);
    CHECK(same_params(a, fresh));
    CHECK(nn_mlp_epoch(a) == 0);

    nn_mlp_reseed(a, 12345);
    CHECK(!same_params(a, fresh));
    CHECK(nn_mlp_desc(a)->seed == 12345);
    float *p = nn_mlp_params(a);
    bool in_range = true;
    for (size_t k = 0; k < nn_mlp_param_count(a); k++) {
        in_range = in_range && p[k] > -0.2f && p[k] < 0.2f;
    }
    CHECK(in_range);
    nn_mlp_reseed(a, 1);
    CHECK(same_params(a, fresh));
    nn_mlp_free(a);
    nn_mlp_free(fresh);
}

/* ---- topology ------------------------------------------------------------------------ */

static void predict_grid(nn_mlp *net, const data_grid *g, float *out) {
    nn_mlp_predict(net, g->x, g->y, g->nx * g->ny, out);
}

static void test_topology(void) {
    data_grid g;
    CHECK(data_grid_make(&g, -8, 8, -5, 5, 97, 61));
    int n = g.nx * g.ny;
    float *before = mem_alloc_floats((size_t)n), *after = mem_alloc_floats((size_t)n);
    static const int h[] = {40, 10};
    nn_mlp *net = make_net(desc_with(2, h, NN_ACT_TANH, NN_LOSS_SEED));
    nn_mlp_train(net, 300, NULL);
    predict_grid(net, &g, before);

    /* Adding units anywhere keeps the function exactly. */
    static const int grown[] = {43, 12};
    CHECK(nn_mlp_set_topology(net, grown, 2));
    predict_grid(net, &g, after);
    double worst = 0.0;
    for (int k = 0; k < n; k++) {
        worst = fmax(worst, fabs(before[k] - after[k]));
    }
    CHECK_MSG(worst <= 1e-6, "adding units changed the output by %g", worst);
    CHECK(nn_mlp_epoch(net) == 300);
    char topo[64];
    nn_desc_topology(nn_mlp_desc(net), topo, sizeof topo);
    CHECK(strcmp(topo, "2-43-12-1") == 0);
    nn_stats s;
    CHECK(nn_mlp_train(net, 50, &s) == 50);
    CHECK(isfinite(s.mse));

    /* Removing units keeps working; a new layer count starts afresh. */
    static const int shrunk[] = {7, 3};
    CHECK(nn_mlp_set_topology(net, shrunk, 2));
    CHECK(nn_mlp_param_count(net) == 2 * 7 + 7 + 7 * 3 + 3 + 3 + 1);
    CHECK(nn_mlp_train(net, 20, &s) == 20 && isfinite(s.mse));
    static const int three[] = {7, 3, 5};
    CHECK(nn_mlp_set_topology(net, three, 3));
    CHECK(nn_mlp_epoch(net) == 0);
    CHECK(nn_mlp_train(net, 20, &s) == 20 && isfinite(s.mse));

    /* Bad topologies change nothing. */
    static const int zero[] = {0};
    static const int huge[] = {257};
    size_t count = nn_mlp_param_count(net);
    CHECK(!nn_mlp_set_topology(net, zero, 1));
    CHECK(!nn_mlp_set_topology(net, huge, 1));
    CHECK(!nn_mlp_set_topology(net, three, 0));
    CHECK(nn_mlp_param_count(net) == count);

    nn_mlp_free(net);
    mem_free(before);
    mem_free(after);
    data_grid_free(&g);
}

/* ---- settings, optimisers, divergence ------------------------------------------------ */

static double accuracy_after(nn_desc d, long epochs) {
    nn_mlp *net = make_net(d);
    nn_stats s;
    nn_mlp_train(net, epochs, NULL);
    nn_mlp_evaluate(net, &s);
    nn_mlp_free(net);
    return s.accuracy;
}

static void test_settings(void) {
    nn_desc d = nn_desc_default();
    nn_mlp *net = make_net(d);
    nn_stats s0, s1;
    nn_mlp_evaluate(net, &s0);
    CHECK_NEAR(s0.accuracy, 1.0 - 0.0, 1.0); /* defined */
    nn_mlp_train(net, 100, NULL);
    /* The version follows the function: a new rate changes nothing yet, training does. */
    unsigned long v = nn_mlp_version(net);
    nn_mlp_set_lr(net, 0.25f);
    CHECK(nn_mlp_desc(net)->lr == 0.25f && nn_mlp_epoch(net) == 100);
    CHECK(nn_mlp_version(net) == v);
    nn_mlp_train(net, 1, NULL);
    CHECK(nn_mlp_version(net) != v);
    v = nn_mlp_version(net);
    nn_mlp_set_act(net, NN_ACT_SIGMOID);
    CHECK(nn_mlp_version(net) != v);
    nn_mlp_set_lr(net, -1.0f);
    CHECK(nn_mlp_desc(net)->lr == 0.25f);
    nn_mlp_train(net, 100, NULL);
    nn_mlp_evaluate(net, &s1);
    CHECK(s1.loss < s0.loss);
    CHECK(s1.loss != s1.mse); /* the seed rule optimises cross-entropy */
    nn_mlp_set_loss(net, NN_LOSS_MSE);
    nn_mlp_evaluate(net, &s1);
    CHECK(s1.loss == s1.mse);
    nn_mlp_free(net);

    /* Each optimiser learns, and so does a network on standardised inputs (which, from
     * this small init at learning rate 1, is not faster than on raw ones). */
    double gd = accuracy_after(d, 1500);
    nn_desc m = d;
    m.opt = NN_OPT_MOMENTUM;
    m.lr = nn_opt_default_lr(m.opt);
    nn_desc a = d;
    a.opt = NN_OPT_ADAM;
    a.lr = nn_opt_default_lr(a.opt);
    nn_desc norm = d;
    norm.normalize = true;
    double mom = accuracy_after(m, 1500), adam = accuracy_after(a, 1500);
    double normed = accuracy_after(norm, 1500);
    CHECK_MSG(mom > 0.9 && adam > 0.95, "momentum %.3f adam %.3f", mom, adam);
    CHECK_MSG(normed > 0.85 && normed != gd, "normalised %.3f vs raw %.3f", normed, gd);

    /* Unbounded units from a huge init overflow: training stops and says so at the epoch
     * it happened, and reset recovers. */
    static const int two[] = {20, 20};
    nn_desc wild = desc_with(2, two, NN_ACT_RELU, NN_LOSS_SEED);
    wild.init_range = 1e25f;
    net = make_net(wild);
    long done = nn_mlp_train(net, 5000, &s0);
    CHECK_MSG(nn_mlp_diverged(net) && done < 5000 && nn_mlp_epoch(net) == done,
              "diverged=%d done=%ld", nn_mlp_diverged(net), done);
    CHECK(!isfinite(s0.mse));
    CHECK(nn_mlp_train(net, 10, NULL) == 0);
    char err[256];
    char path[128];
    snprintf(path, sizeof path, "%s/diverged.model", g_dir);
    CHECK(!nn_mlp_save(net, path, err, sizeof err));
    CHECK(access(path, F_OK) != 0);
    nn_mlp_set_init_range(net, 0.2f);
    nn_mlp_reset(net);
    CHECK(!nn_mlp_diverged(net) && nn_mlp_train(net, 10, NULL) == 10);
    nn_mlp_free(net);
}

/* ---- model files --------------------------------------------------------------------- */

static long file_size(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void write_bytes(const char *path, const unsigned char *data, long n) {
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, (size_t)n, f);
    fclose(f);
}

static void expect_load_error(const char *path, const char *what, const char *label) {
    char err[512] = "";
    nn_mlp *net = nn_mlp_load(path, err, sizeof err);
    CHECK_MSG(net == NULL, "%s: loaded a bad file", label);
    CHECK_MSG(strstr(err, path) && strstr(err, what), "%s: err was '%s'", label, err);
    nn_mlp_free(net);
}

static void test_model_files(void) {
    char path[128], bad[160], err[512];
    snprintf(path, sizeof path, "%s/net.model", g_dir);
    static const int h[] = {9, 4};
    nn_desc d = desc_with(2, h, NN_ACT_TANH, NN_LOSS_MSE);
    d.opt = NN_OPT_ADAM;
    d.lr = 0.01f;
    d.normalize = true;
    d.seed = 4242;
    nn_mlp *a = make_net(d);
    nn_mlp_train(a, 250, NULL);
    CHECK(nn_mlp_save(a, path, err, sizeof err));

    nn_mlp *b = nn_mlp_load(path, err, sizeof err);
    CHECK_MSG(b != NULL, "load: %s", err);
    if (!b) {
        nn_mlp_free(a);
        return;
    }
    CHECK(same_params(a, b));
    CHECK(nn_mlp_epoch(b) == 250);
    const nn_desc *da = nn_mlp_desc(a), *db = nn_mlp_desc(b);
    CHECK(da->n_hidden == 2 && db->n_hidden == 2 && db->hidden[0] == 9 && db->hidden[1] == 4);
    CHECK(db->act == da->act && db->loss == da->loss && db->opt == da->opt);
    CHECK(db->lr == da->lr && db->init_range == da->init_range && db->seed == 4242);
    CHECK(db->normalize);
    /* Predictions match before data is given, and training resumes identically. */
    float pa[3], pb[3];
    float px[3] = {0.0f, 5.0f, -3.2f}, py[3] = {0.0f, 1.0f, -2.5f};
    nn_mlp_predict(a, px, py, 3, pa);
    nn_mlp_predict(b, px, py, 3, pb);
    CHECK(memcmp(pa, pb, sizeof pa) == 0);
    nn_mlp_set_data(b, g_batman.x, g_batman.y, g_batman.label, g_batman.n);
    nn_mlp_train(a, 100, NULL);
    nn_mlp_train(b, 100, NULL);
    CHECK_MSG(same_params(a, b), "training after load must continue bit-exactly");
    nn_mlp_free(b);

    /* Damaged files: every one refused with a reason, nothing half-loaded. */
    long n = file_size(path);
    unsigned char *data = malloc((size_t)n);
    FILE *f = fopen(path, "rb");
    CHECK(fread(data, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    snprintf(bad, sizeof bad, "%s/bad.model", g_dir);
    long cuts[] = {0, 7, 100, n / 2, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(bad, data, cuts[i]);
        expect_load_error(bad, cuts[i] < 148 ? "not a herologo model" : "damaged", "cut");
    }
    for (long pos = 8; pos < n; pos += n / 13) {
        data[pos] ^= 0x10;
        write_bytes(bad, data, n);
        expect_load_error(bad, "damaged", "flipped byte");
        data[pos] ^= 0x10;
    }
    data[0] = 'X';
    write_bytes(bad, data, n);
    expect_load_error(bad, "not a herologo model", "magic");
    snprintf(bad, sizeof bad, "%s/missing.model", g_dir);
    expect_load_error(bad, "cannot open", "missing");
    expect_load_error(g_dir, "", "a folder");

    /* A failed save leaves the old file whole and no temporary behind. */
    snprintf(bad, sizeof bad, "%s/no-such-dir/x.model", g_dir);
    CHECK(!nn_mlp_save(a, bad, err, sizeof err) && strstr(err, "cannot write"));
    CHECK(file_size(path) == n);
    free(data);
    nn_mlp_free(a);
}

/* ---- the article --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_article(void) {
    enum { SEEDS = 5 };
    double early[SEEDS], late[SEEDS];
    for (int k = 0; k < SEEDS; k++) {
        nn_desc d = nn_desc_default();
        d.seed = (uint64_t)k + 1;
        nn_mlp *net = make_net(d);
        nn_stats s;
        nn_mlp_train(net, 1000, NULL);
        nn_mlp_evaluate(net, &s);
        early[k] = s.accuracy;
        nn_mlp_train(net, 39000, NULL);
        nn_mlp_evaluate(net, &s);
        late[k] = s.accuracy;
        nn_mlp_free(net);
    }
    qsort(early, SEEDS, sizeof early[0], cmp_double);
    qsort(late, SEEDS, sizeof late[0], cmp_double);
    printf("article (%s): median train accuracy %.4f after 1000 epochs, %.4f after 40000\n",
           nn_simd_name(), early[SEEDS / 2], late[SEEDS / 2]);
    CHECK_MSG(early[SEEDS / 2] < 0.95, "median %.4f after 1000 epochs", early[SEEDS / 2]);
    CHECK_MSG(late[SEEDS / 2] >= 0.99, "median %.4f after 40000 epochs", late[SEEDS / 2]);
}

int main(void) {
    log_set_level(LOG_LEVEL_NONE);
    if (!check_temp_dir(g_dir, sizeof g_dir, "test-nn") || !data_batman_training(&g_batman)) {
        fprintf(stderr, "cannot set up\n");
        return 1;
    }
    printf("kernel path: %s\n", nn_simd_name());
    test_gradients();
    test_determinism();
    test_topology();
    test_settings();
    test_model_files();
    test_article();

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", g_dir);
    }
    data_set_free(&g_batman);
    return check_summary("test_nn");
}
