/* The AVX-512 training kernels: the contract of kernels.h with 16 samples per register.
 * Outputs are computed in register blocks (a few units by a few sample registers) so each
 * loaded input and each broadcast weight feeds several FMAs, and the activations use a
 * hand-written vector exp (no libm, no fast-math). Built with -mavx512f -mavx512dq -mavx2
 * -mfma for this file only; the dispatcher calls it only on CPUs that have them. */
#include <assert.h>
#include <immintrin.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nn/kernels.h"
#include "nn/simd_exp.h"

/* Floats per register. */
#define V 16

/* Register blocks: BLOCK_ROWS output rows by BLOCK_VECS sample registers keep 16 of the 32
 * registers as accumulators. A lone row takes LONE_VECS registers instead, so that enough
 * independent FMA chains hide the FMA latency. Weight gradients are BLOCK_ROWS by GRAD_COLS
 * dot products at a time. */
#define BLOCK_ROWS 4
#define BLOCK_VECS 4
#define LONE_VECS 8
#define GRAD_COLS 4

/* The block helpers take their shape (R, S, C) as arguments that are constants at every
 * call; forcing them inline lets the compiler unroll their loops and keep the accumulator
 * arrays in registers, which it will not do across a call or over a loop left rolled. */
#define BLOCK_INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("GCC unroll 8")

/* ---- vector exp and activations ------------------------------------------------------ */

/* 1 + exp(-x) for |x| <= NN_SIG_CLAMP, with exp(-x) = 2^n exp(r), -x = n ln2 + r and
 * |r| <= ln2/2. */
static inline __m512 one_plus_exp_neg_avx512(__m512 x) {
    const __m512 shifter = _mm512_set1_ps(NN_EXP_SHIFTER);
    __m512 kn = _mm512_fmadd_ps(x, _mm512_set1_ps(-NN_LOG2E), shifter);
    __m512 n = _mm512_sub_ps(kn, shifter);

    /* n * NN_LN2_HI is exact and close to -x, so the first step loses nothing to cancellation. */
    __m512 r = _mm512_fnmsub_ps(n, _mm512_set1_ps(NN_LN2_HI), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(NN_LN2_LO), r);

    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(NN_EXP_C5), r, _mm512_set1_ps(NN_EXP_C4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(NN_EXP_C3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(NN_EXP_C2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(NN_EXP_C1));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(NN_EXP_C0));

    /* n + 127 lies in [1, 253]: shifted into the exponent field it is the float 2^n (the
     * shifter's own mantissa bit falls off the top). Scaling and adding 1 take one FMA. */
    __m512i two_n = _mm512_slli_epi32(_mm512_castps_si512(kn), 23);
    return _mm512_fmadd_ps(p, _mm512_castsi512_ps(two_n), _mm512_set1_ps(1.0f));
}

/* 1 / (1 + exp(-z)), absolute error about 1e-7. */
static inline __m512 sigmoid_avx512(__m512 z) {
    const __m512 one = _mm512_set1_ps(1.0f);
    /* The constant goes first: min and max return their second operand when either is NaN,
     * so a NaN input stays NaN and divergence remains visible. */
    z = _mm512_min_ps(_mm512_set1_ps(NN_SIG_CLAMP), z);
    z = _mm512_max_ps(_mm512_set1_ps(-NN_SIG_CLAMP), z);
    __m512 d = one_plus_exp_neg_avx512(z);

    /* 1 / d from the 14-bit estimate and one Newton step (relative error ~2^-28 plus
     * rounding). A 16-lane divide is accepted only every ~10 cycles, about the cost of the
     * whole sigmoid: measured, the estimate makes the 2-40 forward pass 7% faster. */
    __m512 y = _mm512_rcp14_ps(d);
    __m512 e = _mm512_fnmadd_ps(d, y, one);
    return _mm512_fmadd_ps(y, e, y);
}

/* tanh(z) = 2 sigmoid(2z) - 1: absolute error about 2e-7 (relative error grows near 0). */
static inline __m512 tanh_avx512(__m512 z) {
    __m512 s = sigmoid_avx512(_mm512_add_ps(z, z));
    return _mm512_fmsub_ps(_mm512_set1_ps(2.0f), s, _mm512_set1_ps(1.0f));
}

static inline __m512 act_avx512(nn_act act, __m512 z) {
    switch (act) {
    case NN_ACT_TANH:
        return tanh_avx512(z);
    case NN_ACT_RELU:
        /* max returns the second operand for NaN: 0, as the scalar z > 0 ? z : 0. */
        return _mm512_max_ps(z, _mm512_setzero_ps());
    default:
        return sigmoid_avx512(z);
    }
}

/* g * act'(a) with the derivative written in terms of the output a. */
static inline __m512 times_deriv_avx512(nn_act act, __m512 g, __m512 a) {
    switch (act) {
    case NN_ACT_TANH:
        return _mm512_mul_ps(g, _mm512_fnmadd_ps(a, a, _mm512_set1_ps(1.0f)));
    case NN_ACT_RELU: {
        __mmask16 on = _mm512_cmp_ps_mask(a, _mm512_setzero_ps(), _CMP_GT_OQ);
        return _mm512_maskz_mov_ps(on, g);
    }
    default:
        /* a (1 - a) as a - a a, one FMA. */
        return _mm512_mul_ps(g, _mm512_fnmadd_ps(a, a, a));
    }
}

/* ---- shared pieces --------------------------------------------------------------------- */

/* The layout kernels.h promises; the loads below rely on it. */
static void check_layout_avx512(int n_s, int ld, const void *rows_a, const void *rows_b) {
    assert(n_s >= 0 && n_s % NN_LANES == 0 && ld % NN_LANES == 0 && n_s <= ld);
    assert((uintptr_t)rows_a % 64 == 0 && (uintptr_t)rows_b % 64 == 0);
    (void)n_s, (void)ld, (void)rows_a, (void)rows_b;
}

/* Sum of a 64-byte aligned row of n_s floats. */
static inline float row_sum_avx512(const float *x, int n_s) {
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    int s = 0;
    for (; s + 2 * V <= n_s; s += 2 * V) {
        acc0 = _mm512_add_ps(acc0, _mm512_load_ps(x + s));
        acc1 = _mm512_add_ps(acc1, _mm512_load_ps(x + s + V));
    }
    if (s < n_s) {
        acc0 = _mm512_add_ps(acc0, _mm512_load_ps(x + s));
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}

/* Shapes: M strided [R x K] (element (u, k) at M[u * m_row + k * m_k]), In [K x ld],
 * acc [R x S registers].
 * acc[u][v] += sum_k M(u, k) In[k][v * V ...]: one block of a product, R output rows by S
 * sample registers. Forward reads W as M (m_row = n_in, m_k = 1); the delta of the layer
 * below reads W transposed (m_row = 1, m_k = n_in). R and S are constants at every call, so
 * the loops unroll and acc lives in registers. */
BLOCK_INLINE void gemm_block_avx512(int R, int S, int K, const float *M, int m_row, int m_k,
                                    const float *In, int ld,
                                    __m512 acc[BLOCK_ROWS][LONE_VECS]) {
    for (int k = 0; k < K; k++) {
        const float *in = In + (size_t)k * ld;
        __m512 x[LONE_VECS];
        UNROLL
        for (int v = 0; v < S; v++) {
            x[v] = _mm512_load_ps(in + v * V);
        }
        UNROLL
        for (int u = 0; u < R; u++) {
            __m512 w = _mm512_set1_ps(M[(size_t)u * m_row + (size_t)k * m_k]);
            UNROLL
            for (int v = 0; v < S; v++) {
                acc[u][v] = _mm512_fmadd_ps(w, x[v], acc[u][v]);
            }
        }
    }
}

/* ---- forward ------------------------------------------------------------------------- */

/* Shapes: W [R x n_in] (rows j..), b [R], X [n_in x ld] and A [R x ld] offset to sample s.
 * A = act(W X + b) for R rows and S sample registers. */
BLOCK_INLINE void forward_block_avx512(int R, int S, int n_in, int ld, const float *W,
                                       const float *b, const float *X, float *A, nn_act act) {
    __m512 acc[BLOCK_ROWS][LONE_VECS];
    UNROLL
    for (int u = 0; u < R; u++) {
        UNROLL
        for (int v = 0; v < S; v++) {
            acc[u][v] = _mm512_set1_ps(b[u]);
        }
    }
    gemm_block_avx512(R, S, n_in, W, n_in, 1, X, ld, acc);
    UNROLL
    for (int u = 0; u < R; u++) {
        UNROLL
        for (int v = 0; v < S; v++) {
            _mm512_store_ps(A + (size_t)u * ld + v * V, act_avx512(act, acc[u][v]));
        }
    }
}

/* R rows of A over all samples: blocks of S registers, then single registers. */
BLOCK_INLINE void forward_rows_avx512(int R, int S, int n_in, int n_s, int ld, const float *W,
                                      const float *b, const float *X, float *A, nn_act act) {
    int s = 0;
    for (; s + S * V <= n_s; s += S * V) {
        forward_block_avx512(R, S, n_in, ld, W, b, X + s, A + s, act);
    }
    for (; s < n_s; s += V) {
        forward_block_avx512(R, 1, n_in, ld, W, b, X + s, A + s, act);
    }
}

/* Shapes: X [n_in x ld], A [n_out x ld], W [n_out x n_in], b [n_out]. */
static void forward_avx512(int n_in, int n_out, int n_s, int ld, const float *restrict W,
                           const float *restrict b, const float *restrict X, float *restrict A,
                           nn_act act) {
    check_layout_avx512(n_s, ld, X, A);
    int j = 0;
    for (; j + BLOCK_ROWS <= n_out; j += BLOCK_ROWS) {
        forward_rows_avx512(BLOCK_ROWS, BLOCK_VECS, n_in, n_s, ld, W + (size_t)j * n_in, b + j,
                            X, A + (size_t)j * ld, act);
    }
    for (; j < n_out; j++) {
        forward_rows_avx512(1, LONE_VECS, n_in, n_s, ld, W + (size_t)j * n_in, b + j, X,
                            A + (size_t)j * ld, act);
    }
}

/* ---- output delta -------------------------------------------------------------------- */

/* Shapes: P, T, Wt, dZ [n_s]. Products in the scalar reference's order, so the results
 * match it bit for bit. */
static void output_delta_avx512(int n_s, const float *P, const float *T, const float *Wt,
                                nn_loss loss, float *dZ) {
    check_layout_avx512(n_s, n_s, P, dZ);
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512 two = _mm512_set1_ps(2.0f);
    for (int s = 0; s < n_s; s += V) {
        __m512 p = _mm512_load_ps(P + s);
        __m512 err = _mm512_sub_ps(p, _mm512_loadu_ps(T + s));
        __m512 w = _mm512_loadu_ps(Wt + s);
        __m512 g;
        if (loss == NN_LOSS_MSE) {
            g = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(w, two), err), p);
            g = _mm512_mul_ps(g, _mm512_sub_ps(one, p));
        } else {
            g = _mm512_mul_ps(w, err);
        }
        _mm512_store_ps(dZ + s, g);
    }
}

/* ---- backward: dW and db ------------------------------------------------------------- */

/* Shapes: dZ [R x ld] (rows j..), X [C x ld] (rows i..), dW [R x n_in] at column i,
 * db [R]. dW[r][c] = sum_s dZ[r][s] X[c][s], and when with_db also db[r] = sum_s dZ[r][s],
 * sharing the loads of dZ. One accumulator per output, reduced at the end. */
BLOCK_INLINE void grad_block_avx512(int R, int C, bool with_db, int n_in, int n_s, int ld,
                                    const float *dZ, const float *X, float *dW, float *db) {
    __m512 acc[BLOCK_ROWS][GRAD_COLS];
    __m512 sum[BLOCK_ROWS];
    UNROLL
    for (int r = 0; r < R; r++) {
        sum[r] = _mm512_setzero_ps();
        UNROLL
        for (int c = 0; c < C; c++) {
            acc[r][c] = _mm512_setzero_ps();
        }
    }

    for (int s = 0; s < n_s; s += V) {
        __m512 x[GRAD_COLS];
        UNROLL
        for (int c = 0; c < C; c++) {
            x[c] = _mm512_load_ps(X + (size_t)c * ld + s);
        }
        UNROLL
        for (int r = 0; r < R; r++) {
            __m512 dz = _mm512_load_ps(dZ + (size_t)r * ld + s);
            if (with_db) {
                sum[r] = _mm512_add_ps(sum[r], dz);
            }
            UNROLL
            for (int c = 0; c < C; c++) {
                acc[r][c] = _mm512_fmadd_ps(dz, x[c], acc[r][c]);
            }
        }
    }

    UNROLL
    for (int r = 0; r < R; r++) {
        UNROLL
        for (int c = 0; c < C; c++) {
            dW[(size_t)r * n_in + c] = _mm512_reduce_add_ps(acc[r][c]);
        }
        if (with_db) {
            db[r] = _mm512_reduce_add_ps(sum[r]);
        }
    }
}

/* dW and db of R rows: columns in blocks of GRAD_COLS; the last block (1 to 4 columns, a
 * constant count in each case) also yields db. */
BLOCK_INLINE void grad_rows_avx512(int R, int n_in, int n_s, int ld, const float *dZ,
                                   const float *X, float *dW, float *db) {
    int i = 0;
    for (; n_in - i > GRAD_COLS; i += GRAD_COLS) {
        grad_block_avx512(R, GRAD_COLS, false, n_in, n_s, ld, dZ, X + (size_t)i * ld, dW + i,
                          db);
    }
    const float *x = X + (size_t)i * ld;
    switch (n_in - i) {
    case 1:
        grad_block_avx512(R, 1, true, n_in, n_s, ld, dZ, x, dW + i, db);
        break;
    case 2:
        grad_block_avx512(R, 2, true, n_in, n_s, ld, dZ, x, dW + i, db);
        break;
    case 3:
        grad_block_avx512(R, 3, true, n_in, n_s, ld, dZ, x, dW + i, db);
        break;
    default:
        grad_block_avx512(R, GRAD_COLS, true, n_in, n_s, ld, dZ, x, dW + i, db);
        break;
    }
}

/* ---- backward: the delta of the layer below ------------------------------------------ */

/* Shapes: W [n_out x n_in] offset to column i, dZ [n_out x ld] and X, dX [R x ld] (rows
 * i..) offset to sample s. dX = (W^T dZ) * act'(X) for R rows and S sample registers. */
BLOCK_INLINE void delta_block_avx512(int R, int S, int n_in, int n_out, int ld, const float *W,
                                     const float *dZ, const float *X, float *dX,
                                     nn_act act_in) {
    __m512 acc[BLOCK_ROWS][LONE_VECS];
    UNROLL
    for (int u = 0; u < R; u++) {
        UNROLL
        for (int v = 0; v < S; v++) {
            acc[u][v] = _mm512_setzero_ps();
        }
    }
    gemm_block_avx512(R, S, n_out, W, 1, n_in, dZ, ld, acc);
    UNROLL
    for (int u = 0; u < R; u++) {
        UNROLL
        for (int v = 0; v < S; v++) {
            size_t at = (size_t)u * ld + v * V;
            __m512 a = _mm512_load_ps(X + at);
            _mm512_store_ps(dX + at, times_deriv_avx512(act_in, acc[u][v], a));
        }
    }
}

/* R rows of dX over all samples: blocks of S registers, then single registers. */
BLOCK_INLINE void delta_rows_avx512(int R, int S, int n_in, int n_out, int n_s, int ld,
                                    const float *W, const float *dZ, const float *X, float *dX,
                                    nn_act act_in) {
    int s = 0;
    for (; s + S * V <= n_s; s += S * V) {
        delta_block_avx512(R, S, n_in, n_out, ld, W, dZ + s, X + s, dX + s, act_in);
    }
    for (; s < n_s; s += V) {
        delta_block_avx512(R, 1, n_in, n_out, ld, W, dZ + s, X + s, dX + s, act_in);
    }
}

/* ---- backward: a layer of one unit (the output layer) -------------------------------- */

/* Shapes: W [n_in] (row 0), dZ [n_s], X and dX [R x ld] (rows i..), dW [R] at column i.
 * With a single unit dX[i] = W[i] dZ act'(X[i]) needs no sum over units, so dW and dX come
 * from one pass over X, each loaded register used twice. */
BLOCK_INLINE void lone_block_avx512(int R, int n_s, int ld, const float *W, const float *dZ,
                                    const float *X, float *dW, float *dX, nn_act act_in) {
    __m512 acc[BLOCK_ROWS];
    __m512 w[BLOCK_ROWS];
    UNROLL
    for (int r = 0; r < R; r++) {
        acc[r] = _mm512_setzero_ps();
        w[r] = _mm512_set1_ps(W[r]);
    }
    for (int s = 0; s < n_s; s += V) {
        __m512 dz = _mm512_load_ps(dZ + s);
        UNROLL
        for (int r = 0; r < R; r++) {
            size_t at = (size_t)r * ld + s;
            __m512 x = _mm512_load_ps(X + at);
            acc[r] = _mm512_fmadd_ps(dz, x, acc[r]);
            if (dX) {
                __m512 g = _mm512_mul_ps(w[r], dz);
                _mm512_store_ps(dX + at, times_deriv_avx512(act_in, g, x));
            }
        }
    }
    UNROLL
    for (int r = 0; r < R; r++) {
        dW[r] = _mm512_reduce_add_ps(acc[r]);
    }
}

static void backward_lone_avx512(int n_in, int n_s, int ld, const float *W, const float *X,
                                 const float *dZ, float *dW, float *db, float *dX,
                                 nn_act act_in) {
    db[0] = row_sum_avx512(dZ, n_s);
    int i = 0;
    for (; i + BLOCK_ROWS <= n_in; i += BLOCK_ROWS) {
        size_t row = (size_t)i * ld;
        lone_block_avx512(BLOCK_ROWS, n_s, ld, W + i, dZ, X + row, dW + i, dX ? dX + row : NULL,
                          act_in);
    }
    for (; i < n_in; i++) {
        size_t row = (size_t)i * ld;
        lone_block_avx512(1, n_s, ld, W + i, dZ, X + row, dW + i, dX ? dX + row : NULL, act_in);
    }
}

/* Shapes: X [n_in x ld], dZ [n_out x ld], dW [n_out x n_in], db [n_out].
 * dW and db of every unit: blocks of BLOCK_ROWS units, then single units. */
static void grads_avx512(int n_in, int n_out, int n_s, int ld, const float *X, const float *dZ,
                         float *dW, float *db) {
    int j = 0;
    for (; j + BLOCK_ROWS <= n_out; j += BLOCK_ROWS) {
        grad_rows_avx512(BLOCK_ROWS, n_in, n_s, ld, dZ + (size_t)j * ld, X,
                         dW + (size_t)j * n_in, db + j);
    }
    for (; j < n_out; j++) {
        grad_rows_avx512(1, n_in, n_s, ld, dZ + (size_t)j * ld, X, dW + (size_t)j * n_in,
                         db + j);
    }
}

/* Shapes: W [n_out x n_in], dZ [n_out x ld], X and dX [n_in x ld].
 * dX = (W^T dZ) * act_in'(X): blocks of BLOCK_ROWS input rows, then single rows. */
static void delta_below_avx512(int n_in, int n_out, int n_s, int ld, const float *W,
                               const float *dZ, const float *X, float *dX, nn_act act_in) {
    int i = 0;
    for (; i + BLOCK_ROWS <= n_in; i += BLOCK_ROWS) {
        size_t row = (size_t)i * ld;
        delta_rows_avx512(BLOCK_ROWS, BLOCK_VECS, n_in, n_out, n_s, ld, W + i, dZ, X + row,
                          dX + row, act_in);
    }
    for (; i < n_in; i++) {
        size_t row = (size_t)i * ld;
        delta_rows_avx512(1, LONE_VECS, n_in, n_out, n_s, ld, W + i, dZ, X + row, dX + row,
                          act_in);
    }
}

/* Shapes: X [n_in x ld], dZ [n_out x ld], W and dW [n_out x n_in], db [n_out], dX (if not
 * NULL) [n_in x ld]. */
static void backward_avx512(int n_in, int n_out, int n_s, int ld, const float *restrict W,
                            const float *restrict X, const float *restrict dZ,
                            float *restrict dW, float *restrict db, float *restrict dX,
                            nn_act act_in) {
    check_layout_avx512(n_s, ld, X, dZ);
    assert(!dX || (uintptr_t)dX % 64 == 0);
    if (n_out == 1) {
        backward_lone_avx512(n_in, n_s, ld, W, X, dZ, dW, db, dX, act_in);
        return;
    }
    grads_avx512(n_in, n_out, n_s, ld, X, dZ, dW, db);
    if (dX) {
        delta_below_avx512(n_in, n_out, n_s, ld, W, dZ, X, dX, act_in);
    }
}

const nn_kernels nn_kernels_avx512 = {
    .name = "avx512",
    .forward = forward_avx512,
    .output_delta = output_delta_avx512,
    .backward = backward_avx512,
};
