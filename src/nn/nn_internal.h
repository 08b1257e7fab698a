/* The network's private layout, shared by mlp.c, optim.c and model_io.c only. */
#ifndef HEROLOGO_NN_INTERNAL_H
#define HEROLOGO_NN_INTERNAL_H

#include "common/rng.h"
#include "nn/nn.h"

#define NN_MAX_LINKS (NN_MAX_LAYERS + 1)
/* Points predicted per pass; bounds the prediction workspace for any grid size. */
#define NN_PRED_CHUNK 1024

struct nn_mlp {
    nn_desc desc;

    /* Layer l maps n_in[l] units to n_out[l]; the last one is the output. */
    int n_links;
    int n_in[NN_MAX_LINKS];
    int n_out[NN_MAX_LINKS];
    size_t w_off[NN_MAX_LINKS]; /* offsets into the parameter block */
    size_t b_off[NN_MAX_LINKS];
    size_t n_params;

    /* One block each: parameters, gradients, first and second optimiser moments. */
    float *params;
    float *grads;
    float *m1;
    float *m2;

    long epoch;
    unsigned long version; /* changes whenever the network's function may have changed */
    long opt_steps; /* steps since the optimiser state was cleared (Adam's t) */
    bool diverged;
    rng_state rng;

    /* Input transform applied to every point: (v - mean) * scale. Identity when
     * normalisation is off; data_* hold the training set's statistics. */
    float in_mean[NN_N_INPUTS];
    float in_scale[NN_N_INPUTS];
    float data_mean[NN_N_INPUTS];
    float data_scale[NN_N_INPUTS];
    bool has_data_stats;
    bool transform_from_file; /* loaded networks keep the transform they learned with */

    /* Training set in kernel layout: ld = n_samples rounded up to NN_LANES. */
    int n_samples;
    int ld;
    float *X;   /* NN_N_INPUTS x ld, transformed inputs */
    float *T;   /* ld targets */
    float *Wt;  /* ld sample weights: 1/n, 0 for padding */
    float *act; /* activations of every layer, layer after layer, n_out[l] x ld each */
    float *dz[2];

    /* Prediction workspace: inputs then every layer, NN_PRED_CHUNK columns each. */
    float *pred;
};

/* Flat update of the parameter block by the optimiser in desc. */
void nn_optim_step(nn_mlp *net);

/* Allocates parameter, gradient and moment blocks for the topology in desc and fills the
 * layer tables; frees nothing on failure (the caller owns the old blocks). */
bool nn_mlp_alloc_params(nn_mlp *net);

/* Draws every weight and bias from the seed and clears the optimiser state. */
void nn_mlp_init_params(nn_mlp *net);

#endif
