/* The training kernels behind a dispatch table: a scalar reference (the test oracle) and
 * SIMD variants, one table chosen once at start-up from the CPU's features.
 * HEROLOGO_SIMD=scalar|avx2|avx512 forces a path (a WARN is logged if it is unavailable).
 *
 * Shapes, shared by every kernel:
 *   X  [n_in  x ld]   inputs of a layer, unit-major: X[i * ld + s] is unit i, sample s
 *   A  [n_out x ld]   activations the layer produces
 *   W  [n_out x n_in] row-major weights, b [n_out] biases
 *   dZ [n_out x ld]   loss gradient w.r.t. the layer's pre-activations
 * n_s and ld are multiples of NN_LANES, n_s <= ld, and every row is 64-byte aligned.
 * Padding samples must carry zero weight in the output delta, so they add nothing. */
#ifndef HEROLOGO_NN_KERNELS_H
#define HEROLOGO_NN_KERNELS_H

#include "nn/nn.h"

typedef struct nn_kernels {
    const char *name;

    /* A[j][s] = act(b[j] + sum_i W[j][i] * X[i][s]) for s < n_s. */
    void (*forward)(int n_in, int n_out, int n_s, int ld, const float *W, const float *b,
                    const float *X, float *A, nn_act act);

    /* Output delta for s < n_s, with p = P[s], t = T[s], w = Wt[s] (1/N for a real
     * sample, 0 for padding):
     *   NN_LOSS_SEED: dZ[s] = w * (p - t)
     *   NN_LOSS_MSE:  dZ[s] = w * 2 (p - t) p (1 - p)                                  */
    void (*output_delta)(int n_s, const float *P, const float *T, const float *Wt,
                         nn_loss loss, float *dZ);

    /* Gradients of one layer:
     *   dW[j][i] = sum_s dZ[j][s] X[i][s],   db[j] = sum_s dZ[j][s]
     * and when dX is not NULL, the delta of the layer below:
     *   dX[i][s] = (sum_j W[j][i] dZ[j][s]) * act_in'(X[i][s])
     * where X holds that layer's outputs under activation act_in (the derivative is
     * written in terms of the output: a(1-a), 1-a^2, a > 0). dW and db are overwritten. */
    void (*backward)(int n_in, int n_out, int n_s, int ld, const float *W, const float *X,
                     const float *dZ, float *dW, float *db, float *dX, nn_act act_in);
} nn_kernels;

extern const nn_kernels nn_kernels_scalar;
extern const nn_kernels nn_kernels_avx2;
extern const nn_kernels nn_kernels_avx512;

/* The table in use (chosen on first call from CPU features and HEROLOGO_SIMD). */
const nn_kernels *nn_kernels_active(void);

/* A table by name if this CPU can run it, else NULL (for tests and the benchmark). */
const nn_kernels *nn_kernels_by_name(const char *name);

/* Makes `k` the table in use for the rest of the process (NULL restores the choice made
 * from CPU features). */
void nn_kernels_use(const nn_kernels *k);

/* Scalar activation and its derivative in terms of the output, shared by all variants for
 * their tails and by the reference. */
float nn_act_apply(nn_act act, float z);
float nn_act_deriv(nn_act act, float a);

#endif
