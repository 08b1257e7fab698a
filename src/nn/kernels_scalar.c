/* The scalar reference kernels: the plainest correct loops, kept as the oracle every SIMD
 * variant is tested against, and the path HEROLOGO_SIMD=scalar forces. */
#include <math.h>

#include "nn/kernels.h"

float nn_act_apply(nn_act act, float z) {
    switch (act) {
    case NN_ACT_TANH:
        return tanhf(z);
    case NN_ACT_RELU:
        return z > 0.0f ? z : 0.0f;
    default:
        return 1.0f / (1.0f + expf(-z));
    }
}

float nn_act_deriv(nn_act act, float a) {
    switch (act) {
    case NN_ACT_TANH:
        return 1.0f - a * a;
    case NN_ACT_RELU:
        return a > 0.0f ? 1.0f : 0.0f;
    default:
        return a * (1.0f - a);
    }
}

static void forward_scalar(int n_in, int n_out, int n_s, int ld, const float *W,
                           const float *b, const float *X, float *A, nn_act act) {
    for (int j = 0; j < n_out; j++) {
        const float *w = W + (size_t)j * n_in;
        float *a = A + (size_t)j * ld;
        for (int s = 0; s < n_s; s++) {
            a[s] = b[j];
        }
        /* Row by row, so every inner loop walks contiguous samples. */
        for (int i = 0; i < n_in; i++) {
            const float *x = X + (size_t)i * ld;
            for (int s = 0; s < n_s; s++) {
                a[s] += w[i] * x[s];
            }
        }
        for (int s = 0; s < n_s; s++) {
            a[s] = nn_act_apply(act, a[s]);
        }
    }
}

static void output_delta_scalar(int n_s, const float *P, const float *T, const float *Wt,
                                nn_loss loss, float *dZ) {
    for (int s = 0; s < n_s; s++) {
        float p = P[s];
        float err = p - T[s];
        if (loss == NN_LOSS_MSE) {
            dZ[s] = Wt[s] * 2.0f * err * p * (1.0f - p);
        } else {
            dZ[s] = Wt[s] * err;
        }
    }
}

static void backward_scalar(int n_in, int n_out, int n_s, int ld, const float *W,
                            const float *X, const float *dZ, float *dW, float *db, float *dX,
                            nn_act act_in) {
    for (int j = 0; j < n_out; j++) {
        const float *dz = dZ + (size_t)j * ld;
        float sum = 0.0f;
        for (int s = 0; s < n_s; s++) {
            sum += dz[s];
        }
        db[j] = sum;
        for (int i = 0; i < n_in; i++) {
            const float *x = X + (size_t)i * ld;
            float acc = 0.0f;
            for (int s = 0; s < n_s; s++) {
                acc += dz[s] * x[s];
            }
            dW[(size_t)j * n_in + i] = acc;
        }
    }
    if (!dX) {
        return;
    }

    for (int i = 0; i < n_in; i++) {
        const float *x = X + (size_t)i * ld;
        float *dx = dX + (size_t)i * ld;
        for (int s = 0; s < n_s; s++) {
            dx[s] = 0.0f;
        }
        for (int j = 0; j < n_out; j++) {
            const float w = W[(size_t)j * n_in + i];
            const float *dz = dZ + (size_t)j * ld;
            for (int s = 0; s < n_s; s++) {
                dx[s] += w * dz[s];
            }
        }
        for (int s = 0; s < n_s; s++) {
            dx[s] *= nn_act_deriv(act_in, x[s]);
        }
    }
}

const nn_kernels nn_kernels_scalar = {
    .name = "scalar",
    .forward = forward_scalar,
    .output_delta = output_delta_scalar,
    .backward = backward_scalar,
};
