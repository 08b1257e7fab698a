/* The optimisers as flat loops over the parameter block: plain gradient descent (the
 * article), heavy-ball momentum and Adam. The block is a few thousand floats at most, so
 * these loops cost little next to the kernels and stay scalar. */
#include <math.h>

#include "nn/nn_internal.h"

#define MOMENTUM_MU 0.9f
#define ADAM_BETA1 0.9f
#define ADAM_BETA2 0.999f
#define ADAM_EPS 1e-8f

static void step_gd(size_t n, float lr, float *restrict p, const float *restrict g) {
    for (size_t i = 0; i < n; i++) {
        p[i] -= lr * g[i];
    }
}

static void step_momentum(size_t n, float lr, float *restrict p, const float *restrict g,
                          float *restrict v) {
    for (size_t i = 0; i < n; i++) {
        v[i] = MOMENTUM_MU * v[i] + g[i];
        p[i] -= lr * v[i];
    }
}

static void step_adam(size_t n, float lr, long t, float *restrict p, const float *restrict g,
                      float *restrict m, float *restrict v) {
    /* Bias corrections folded into the step size, as in the Adam paper's last form. */
    double c1 = 1.0 - pow(ADAM_BETA1, (double)t);
    double c2 = 1.0 - pow(ADAM_BETA2, (double)t);
    float step = (float)(lr * sqrt(c2) / c1);
    float eps = (float)(ADAM_EPS * sqrt(c2));
    for (size_t i = 0; i < n; i++) {
        m[i] = ADAM_BETA1 * m[i] + (1.0f - ADAM_BETA1) * g[i];
        v[i] = ADAM_BETA2 * v[i] + (1.0f - ADAM_BETA2) * g[i] * g[i];
        p[i] -= step * m[i] / (sqrtf(v[i]) + eps);
    }
}

void nn_optim_step(nn_mlp *net) {
    net->opt_steps++;
    switch (net->desc.opt) {
    case NN_OPT_MOMENTUM:
        step_momentum(net->n_params, net->desc.lr, net->params, net->grads, net->m1);
        break;
    case NN_OPT_ADAM:
        step_adam(net->n_params, net->desc.lr, net->opt_steps, net->params, net->grads,
                  net->m1, net->m2);
        break;
    default:
        step_gd(net->n_params, net->desc.lr, net->params, net->grads);
        break;
    }
}
