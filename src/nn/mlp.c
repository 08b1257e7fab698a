/* The network object: creation, data layout, the full-batch epoch, prediction, reset,
 * reseed and topology changes. The arithmetic lives in the kernels (kernels.h) and the
 * optimisers (optim.c); this file decides what runs in which order on which buffers. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

#include "common/log.h"
#include "common/mem.h"
#include "nn/kernels.h"
#include "nn/nn_internal.h"

/* ---- names and descriptors ---------------------------------------------------------- */

static const char *const ACT_NAMES[NN_ACT_COUNT] = {"sigmoid", "tanh", "relu"};
static const char *const LOSS_NAMES[NN_LOSS_COUNT] = {"seed", "mse"};
static const char *const OPT_NAMES[NN_OPT_COUNT] = {"gd", "momentum", "adam"};

const char *nn_act_name(nn_act act) {
    return (act >= 0 && act < NN_ACT_COUNT) ? ACT_NAMES[act] : "?";
}

const char *nn_loss_name(nn_loss loss) {
    return (loss >= 0 && loss < NN_LOSS_COUNT) ? LOSS_NAMES[loss] : "?";
}

const char *nn_opt_name(nn_opt opt) {
    return (opt >= 0 && opt < NN_OPT_COUNT) ? OPT_NAMES[opt] : "?";
}

static int find_name(const char *const *names, int count, const char *name) {
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

bool nn_act_parse(const char *name, nn_act *out) {
    int i = find_name(ACT_NAMES, NN_ACT_COUNT, name);
    if (i >= 0) {
        *out = (nn_act)i;
    }
    return i >= 0;
}

bool nn_loss_parse(const char *name, nn_loss *out) {
    int i = find_name(LOSS_NAMES, NN_LOSS_COUNT, name);
    if (i >= 0) {
        *out = (nn_loss)i;
    }
    return i >= 0;
}

bool nn_opt_parse(const char *name, nn_opt *out) {
    int i = find_name(OPT_NAMES, NN_OPT_COUNT, name);
    if (i >= 0) {
        *out = (nn_opt)i;
    }
    return i >= 0;
}

float nn_opt_default_lr(nn_opt opt) {
    switch (opt) {
    case NN_OPT_MOMENTUM:
        return 0.1f;
    case NN_OPT_ADAM:
        return 0.01f;
    default:
        return 1.0f;
    }
}

nn_desc nn_desc_default(void) {
    nn_desc d = {0};
    d.n_hidden = 1;
    d.hidden[0] = 40;
    d.act = NN_ACT_SIGMOID;
    d.loss = NN_LOSS_SEED;
    d.opt = NN_OPT_GD;
    d.lr = 1.0f;
    d.init_range = 0.2f;
    d.normalize = false;
    d.seed = 1;
    return d;
}

bool nn_desc_validate(const nn_desc *desc, char *err, size_t err_size) {
    if (desc->n_hidden < 1 || desc->n_hidden > NN_MAX_LAYERS) {
        snprintf(err, err_size, "hidden layers: %d is not from 1 to %d", desc->n_hidden,
                 NN_MAX_LAYERS);
        return false;
    }
    for (int l = 0; l < desc->n_hidden; l++) {
        if (desc->hidden[l] < 1 || desc->hidden[l] > NN_MAX_UNITS) {
            snprintf(err, err_size, "hidden layer %d: %d units is not from 1 to %d", l + 1,
                     desc->hidden[l], NN_MAX_UNITS);
            return false;
        }
    }
    if (desc->act < 0 || desc->act >= NN_ACT_COUNT || desc->loss < 0 ||
        desc->loss >= NN_LOSS_COUNT || desc->opt < 0 || desc->opt >= NN_OPT_COUNT) {
        snprintf(err, err_size, "unknown activation, loss or optimiser");
        return false;
    }
    if (!(isfinite(desc->lr) && desc->lr > 0.0f)) {
        snprintf(err, err_size, "learning rate %g is not a positive number", desc->lr);
        return false;
    }
    if (!(isfinite(desc->init_range) && desc->init_range > 0.0f)) {
        snprintf(err, err_size, "init range %g is not a positive number", desc->init_range);
        return false;
    }
    return true;
}

void nn_desc_topology(const nn_desc *desc, char *buf, size_t size) {
    size_t used = (size_t)snprintf(buf, size, "%d", NN_N_INPUTS);
    for (int l = 0; l < desc->n_hidden && used < size; l++) {
        used += (size_t)snprintf(buf + used, size - used, "-%d", desc->hidden[l]);
    }
    if (used < size) {
        snprintf(buf + used, size - used, "-1");
    }
}

/* ---- parameters --------------------------------------------------------------------- */

static void free_param_blocks(nn_mlp *net) {
    mem_free(net->params);
    mem_free(net->grads);
    mem_free(net->m1);
    mem_free(net->m2);
    net->params = net->grads = net->m1 = net->m2 = NULL;
}

static void free_work_blocks(nn_mlp *net) {
    mem_free(net->act);
    mem_free(net->dz[0]);
    mem_free(net->dz[1]);
    mem_free(net->pred);
    net->act = net->dz[0] = net->dz[1] = net->pred = NULL;
}

static void free_sample_blocks(nn_mlp *net) {
    mem_free(net->X);
    mem_free(net->T);
    mem_free(net->Wt);
    net->X = net->T = net->Wt = NULL;
    free_work_blocks(net);
}

bool nn_mlp_alloc_params(nn_mlp *net) {
    const nn_desc *d = &net->desc;
    net->n_links = d->n_hidden + 1;
    size_t off = 0;
    for (int l = 0; l < net->n_links; l++) {
        net->n_in[l] = l == 0 ? NN_N_INPUTS : d->hidden[l - 1];
        net->n_out[l] = l == d->n_hidden ? 1 : d->hidden[l];
        net->w_off[l] = off;
        off += (size_t)net->n_in[l] * net->n_out[l];
        net->b_off[l] = off;
        off += (size_t)net->n_out[l];
    }
    net->n_params = off;

    net->params = mem_alloc_floats(off);
    net->grads = mem_alloc_floats(off);
    net->m1 = mem_alloc_floats(off);
    net->m2 = mem_alloc_floats(off);
    if (!net->params || !net->grads || !net->m1 || !net->m2) {
        free_param_blocks(net);
        return false;
    }
    return true;
}

static void clear_optimiser(nn_mlp *net) {
    memset(net->m1, 0, net->n_params * sizeof(float));
    memset(net->m2, 0, net->n_params * sizeof(float));
    net->opt_steps = 0;
}

void nn_mlp_init_params(nn_mlp *net) {
    rng_seed(&net->rng, net->desc.seed);
    for (size_t p = 0; p < net->n_params; p++) {
        net->params[p] = rng_symmetric(&net->rng, net->desc.init_range);
    }
    memset(net->grads, 0, net->n_params * sizeof(float));
    clear_optimiser(net);
    net->epoch = 0;
    net->diverged = false;
    net->version++;
}

static size_t max_units(const nn_mlp *net) {
    size_t m = NN_N_INPUTS;
    for (int l = 0; l < net->n_links; l++) {
        m = (size_t)net->n_out[l] > m ? (size_t)net->n_out[l] : m;
    }
    return m;
}

static size_t total_units(const nn_mlp *net) {
    size_t sum = 0;
    for (int l = 0; l < net->n_links; l++) {
        sum += (size_t)net->n_out[l];
    }
    return sum;
}

/* Activation and delta buffers depend on both the topology and the data size (ld
 * columns). All or nothing: on failure the network keeps the buffers it had. */
static bool alloc_work(nn_mlp *net, int ld) {
    float *pred = mem_alloc_floats((NN_N_INPUTS + total_units(net)) * NN_PRED_CHUNK);
    float *act = NULL, *dz0 = NULL, *dz1 = NULL;
    if (ld > 0) {
        act = mem_alloc_floats(total_units(net) * (size_t)ld);
        dz0 = mem_alloc_floats(max_units(net) * (size_t)ld);
        dz1 = mem_alloc_floats(max_units(net) * (size_t)ld);
    }
    if (!pred || (ld > 0 && (!act || !dz0 || !dz1))) {
        mem_free(pred);
        mem_free(act);
        mem_free(dz0);
        mem_free(dz1);
        return false;
    }
    free_work_blocks(net);
    net->pred = pred;
    net->act = act;
    net->dz[0] = dz0;
    net->dz[1] = dz1;
    return true;
}

/* ---- life cycle --------------------------------------------------------------------- */

static void set_identity_transform(nn_mlp *net) {
    for (int i = 0; i < NN_N_INPUTS; i++) {
        net->in_mean[i] = 0.0f;
        net->in_scale[i] = 1.0f;
    }
}

nn_mlp *nn_mlp_create(const nn_desc *desc) {
    char err[160];
    if (!nn_desc_validate(desc, err, sizeof err)) {
        LOG_ERROR("NN", "invalid network: %s", err);
        return NULL;
    }
    nn_mlp *net = mem_alloc(sizeof *net);
    if (!net) {
        return NULL;
    }
    net->desc = *desc;
    set_identity_transform(net);
    if (!nn_mlp_alloc_params(net) || !alloc_work(net, 0)) {
        nn_mlp_free(net);
        return NULL;
    }
    nn_mlp_init_params(net);
    return net;
}

void nn_mlp_free(nn_mlp *net) {
    if (!net) {
        return;
    }
    free_param_blocks(net);
    free_sample_blocks(net);
    mem_free(net);
}

/* Mean and 1/std of each input over the real samples (std of a constant input is 1). */
static void compute_data_stats(nn_mlp *net, const float *x, const float *y, int n) {
    const float *cols[NN_N_INPUTS] = {x, y};
    for (int i = 0; i < NN_N_INPUTS; i++) {
        double sum = 0.0, sum2 = 0.0;
        for (int s = 0; s < n; s++) {
            sum += cols[i][s];
        }
        double mean = sum / n;
        for (int s = 0; s < n; s++) {
            double dv = cols[i][s] - mean;
            sum2 += dv * dv;
        }
        double sd = sqrt(sum2 / n);
        net->data_mean[i] = (float)mean;
        net->data_scale[i] = sd > 1e-12 ? (float)(1.0 / sd) : 1.0f;
    }
    net->has_data_stats = true;
}

static void apply_transform(nn_mlp *net) {
    if (!net->X) {
        return;
    }
    /* Rows NN_N_INPUTS.. of X keep the raw inputs, so a change of transform rebuilds
     * the rows the kernels read. */
    size_t ld = (size_t)net->ld;
    for (int i = 0; i < NN_N_INPUTS; i++) {
        const float *raw = net->X + (NN_N_INPUTS + i) * ld;
        float *dst = net->X + i * ld;
        for (int s = 0; s < net->n_samples; s++) {
            dst[s] = (raw[s] - net->in_mean[i]) * net->in_scale[i];
        }
    }
}

static void choose_transform(nn_mlp *net) {
    if (net->desc.normalize && net->has_data_stats) {
        memcpy(net->in_mean, net->data_mean, sizeof net->in_mean);
        memcpy(net->in_scale, net->data_scale, sizeof net->in_scale);
    } else {
        set_identity_transform(net);
    }
}

bool nn_mlp_set_data(nn_mlp *net, const float *x, const float *y, const float *label,
                     int n) {
    if (n < 1 || n > INT_MAX - NN_LANES) {
        LOG_ERROR("NN", "training set of %d points is empty or too large", n);
        return false;
    }
    int ld = (n + NN_LANES - 1) / NN_LANES * NN_LANES;
    /* X holds the transformed inputs, then a copy of the raw ones for re-normalising. */
    float *X = mem_alloc_floats((size_t)2 * NN_N_INPUTS * ld);
    float *T = mem_alloc_floats((size_t)ld);
    float *Wt = mem_alloc_floats((size_t)ld);
    if (!X || !T || !Wt || !alloc_work(net, ld)) {
        mem_free(X);
        mem_free(T);
        mem_free(Wt);
        return false;
    }
    for (int s = 0; s < n; s++) {
        X[(size_t)NN_N_INPUTS * ld + s] = x[s];
        X[(size_t)(NN_N_INPUTS + 1) * ld + s] = y[s];
        T[s] = label[s];
        Wt[s] = 1.0f / (float)n;
    }

    mem_free(net->X);
    mem_free(net->T);
    mem_free(net->Wt);
    net->X = X;
    net->T = T;
    net->Wt = Wt;
    net->n_samples = n;
    net->ld = ld;

    /* A loaded network keeps the transform it was trained with. */
    if (!net->transform_from_file) {
        compute_data_stats(net, x, y, n);
        choose_transform(net);
    }
    apply_transform(net);
    net->version++;
    return true;
}

/* ---- the epoch ---------------------------------------------------------------------- */

static float *layer_act(const nn_mlp *net, float *base, int l, size_t ld) {
    size_t off = 0;
    for (int k = 0; k < l; k++) {
        off += (size_t)net->n_out[k] * ld;
    }
    return base + off;
}

static nn_act link_act(const nn_mlp *net, int l) {
    return l == net->n_links - 1 ? NN_ACT_SIGMOID : net->desc.act;
}

/* Forward pass over `ld` columns starting from X (NN_N_INPUTS x ld) into `acts`. */
static void forward_all(const nn_mlp *net, const nn_kernels *k, const float *X, float *acts,
                        int n_s, int ld) {
    const float *in = X;
    for (int l = 0; l < net->n_links; l++) {
        float *out = layer_act(net, acts, l, (size_t)ld);
        k->forward(net->n_in[l], net->n_out[l], n_s, ld, net->params + net->w_off[l],
                   net->params + net->b_off[l], in, out, link_act(net, l));
        in = out;
    }
}

static const float *output_of(const nn_mlp *net) {
    return layer_act(net, net->act, net->n_links - 1, (size_t)net->ld);
}

static void backward_all(nn_mlp *net, const nn_kernels *k) {
    int ld = net->ld;
    int cur = 0;
    k->output_delta(ld, output_of(net), net->T, net->Wt, net->desc.loss, net->dz[cur]);
    for (int l = net->n_links - 1; l >= 0; l--) {
        const float *in = l == 0 ? net->X : layer_act(net, net->act, l - 1, (size_t)ld);
        float *dx = l == 0 ? NULL : net->dz[1 - cur];
        k->backward(net->n_in[l], net->n_out[l], ld, ld, net->params + net->w_off[l], in,
                    net->dz[cur], net->grads + net->w_off[l], net->grads + net->b_off[l], dx,
                    net->desc.act);
        cur = 1 - cur;
    }
}

static void compute_stats(const nn_mlp *net, nn_stats *stats) {
    const float *P = output_of(net);
    double se = 0.0, ce = 0.0;
    int correct = 0;
    for (int s = 0; s < net->n_samples; s++) {
        double p = P[s], t = net->T[s];
        se += (p - t) * (p - t);
        /* Clamp so a saturated output costs a large but finite loss. */
        double pc = p < 1e-7 ? 1e-7 : (p > 1.0 - 1e-7 ? 1.0 - 1e-7 : p);
        ce -= t * log(pc) + (1.0 - t) * log(1.0 - pc);
        correct += (p >= 0.5) == (t >= 0.5);
    }
    int n = net->n_samples;
    stats->mse = se / n;
    stats->loss = net->desc.loss == NN_LOSS_MSE ? stats->mse : ce / n;
    stats->accuracy = (double)correct / n;
    if (!isfinite(stats->mse)) {
        stats->loss = stats->mse;
    }
}

static bool params_finite(const nn_mlp *net) {
    float acc = 0.0f;
    for (size_t p = 0; p < net->n_params; p++) {
        acc += net->params[p] * 0.0f; /* stays 0 unless some parameter is inf or NaN */
    }
    return acc == 0.0f;
}

/* Denormals slow saturated sigmoids down badly; flush them while training. */
static unsigned int enter_ftz(void) {
    unsigned int old = _mm_getcsr();
    _mm_setcsr(old | 0x8040u); /* FTZ (bit 15) and DAZ (bit 6) */
    return old;
}

long nn_mlp_train(nn_mlp *net, long epochs, nn_stats *stats) {
    if (!net->X || net->diverged || epochs <= 0) {
        if (stats && net->X) {
            nn_mlp_evaluate(net, stats);
        }
        return 0;
    }
    const nn_kernels *k = nn_kernels_active();
    unsigned int csr = enter_ftz();
    long done = 0;
    for (; done < epochs; done++) {
        forward_all(net, k, net->X, net->act, net->ld, net->ld);
        if (stats && done == epochs - 1) {
            compute_stats(net, stats);
        }
        backward_all(net, k);
        nn_optim_step(net);
        net->epoch++;
        if (!params_finite(net)) {
            net->diverged = true;
            done++;
            break;
        }
    }
    _mm_setcsr(csr);
    net->version += done > 0;
    if (net->diverged && stats) {
        stats->mse = stats->loss = stats->accuracy = NAN;
    }
    return done;
}

void nn_mlp_evaluate(nn_mlp *net, nn_stats *stats) {
    if (!net->X) {
        memset(stats, 0, sizeof *stats);
        return;
    }
    unsigned int csr = enter_ftz();
    forward_all(net, nn_kernels_active(), net->X, net->act, net->ld, net->ld);
    _mm_setcsr(csr);
    compute_stats(net, stats);
    if (!params_finite(net)) {
        stats->mse = stats->loss = stats->accuracy = NAN;
    }
}

double nn_mlp_compute_gradient(nn_mlp *net) {
    nn_stats stats;
    const nn_kernels *k = nn_kernels_active();
    forward_all(net, k, net->X, net->act, net->ld, net->ld);
    compute_stats(net, &stats);
    backward_all(net, k);
    return stats.loss;
}

void nn_mlp_predict(nn_mlp *net, const float *x, const float *y, int n, float *out) {
    const nn_kernels *k = nn_kernels_active();
    const int ld = NN_PRED_CHUNK;
    float *X = net->pred;
    float *acts = net->pred + (size_t)NN_N_INPUTS * ld;
    const float *P = layer_act(net, acts, net->n_links - 1, (size_t)ld);
    unsigned int csr = enter_ftz();

    for (int start = 0; start < n; start += ld) {
        int count = n - start < ld ? n - start : ld;
        int n_s = (count + NN_LANES - 1) / NN_LANES * NN_LANES;
        for (int s = 0; s < count; s++) {
            X[s] = (x[start + s] - net->in_mean[0]) * net->in_scale[0];
            X[ld + s] = (y[start + s] - net->in_mean[1]) * net->in_scale[1];
        }
        for (int s = count; s < n_s; s++) {
            X[s] = X[ld + s] = 0.0f;
        }
        forward_all(net, k, X, acts, n_s, ld);
        memcpy(out + start, P, (size_t)count * sizeof(float));
    }
    _mm_setcsr(csr);
}

/* ---- changes of state --------------------------------------------------------------- */

void nn_mlp_reset(nn_mlp *net) {
    nn_mlp_init_params(net);
}

void nn_mlp_reseed(nn_mlp *net, uint64_t seed) {
    net->desc.seed = seed;
    nn_mlp_init_params(net);
}

void nn_mlp_set_lr(nn_mlp *net, float lr) {
    if (isfinite(lr) && lr > 0.0f) {
        net->desc.lr = lr;
    }
}

void nn_mlp_set_act(nn_mlp *net, nn_act act) {
    net->desc.act = act;
    net->version++;
}

void nn_mlp_set_loss(nn_mlp *net, nn_loss loss) {
    net->desc.loss = loss;
}

void nn_mlp_set_opt(nn_mlp *net, nn_opt opt) {
    net->desc.opt = opt;
    clear_optimiser(net);
}

void nn_mlp_set_init_range(nn_mlp *net, float r) {
    if (isfinite(r) && r > 0.0f) {
        net->desc.init_range = r;
    }
}

void nn_mlp_set_normalize(nn_mlp *net, bool on) {
    net->desc.normalize = on;
    choose_transform(net);
    apply_transform(net);
    nn_mlp_init_params(net);
}

/* Copies the overlap of one layer's block from the old layout into the new one; new rows
 * (units) get random incoming weights and biases, new columns zero, so that adding units
 * leaves the network's function unchanged. */
static void carry_layer(const nn_mlp *old, nn_mlp *net, int l, const float *src, float *dst,
                        bool random_new) {
    int oi = old->n_in[l], oo = old->n_out[l];
    int ni = net->n_in[l], no = net->n_out[l];
    for (int j = 0; j < no; j++) {
        for (int i = 0; i < ni; i++) {
            float v = 0.0f;
            if (j < oo && i < oi) {
                v = src[old->w_off[l] + (size_t)j * oi + i];
            } else if (j >= oo && random_new) {
                v = rng_symmetric(&net->rng, net->desc.init_range);
            }
            dst[net->w_off[l] + (size_t)j * ni + i] = v;
        }
        float b = 0.0f;
        if (j < oo) {
            b = src[old->b_off[l] + j];
        } else if (random_new) {
            b = rng_symmetric(&net->rng, net->desc.init_range);
        }
        dst[net->b_off[l] + j] = b;
    }
}

bool nn_mlp_set_topology(nn_mlp *net, const int *hidden, int n_hidden) {
    nn_desc desc = net->desc;
    desc.n_hidden = n_hidden;
    for (int l = 0; l < NN_MAX_LAYERS; l++) {
        desc.hidden[l] = l < n_hidden ? hidden[l] : 0;
    }
    char err[160];
    if (!nn_desc_validate(&desc, err, sizeof err)) {
        LOG_ERROR("NN", "topology not changed: %s", err);
        return false;
    }

    nn_mlp old = *net;
    net->desc = desc;
    net->params = net->grads = net->m1 = net->m2 = NULL;
    net->act = net->dz[0] = net->dz[1] = net->pred = NULL;
    if (!nn_mlp_alloc_params(net) || !alloc_work(net, net->ld)) {
        free_param_blocks(net);
        *net = old;
        return false;
    }

    if (old.n_links == net->n_links) {
        for (int l = 0; l < net->n_links; l++) {
            carry_layer(&old, net, l, old.params, net->params, true);
            carry_layer(&old, net, l, old.m1, net->m1, false);
            carry_layer(&old, net, l, old.m2, net->m2, false);
        }
    } else {
        nn_mlp_init_params(net);
    }

    free_param_blocks(&old);
    free_work_blocks(&old);
    net->version = old.version + 1;
    return true;
}

/* ---- access ------------------------------------------------------------------------- */

const nn_desc *nn_mlp_desc(const nn_mlp *net) {
    return &net->desc;
}

long nn_mlp_epoch(const nn_mlp *net) {
    return net->epoch;
}

unsigned long nn_mlp_version(const nn_mlp *net) {
    return net->version;
}

bool nn_mlp_diverged(const nn_mlp *net) {
    return net->diverged;
}

float *nn_mlp_params(nn_mlp *net) {
    return net->params;
}

size_t nn_mlp_param_count(const nn_mlp *net) {
    return net->n_params;
}

const float *nn_mlp_grads(const nn_mlp *net) {
    return net->grads;
}
