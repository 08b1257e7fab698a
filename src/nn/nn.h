/* The multilayer perceptron: 2 inputs, 1 to NN_MAX_LAYERS hidden layers of 1 to
 * NN_MAX_UNITS units, 1 sigmoid output, trained full batch. Parameters, gradients and each
 * optimiser moment live in one aligned block apiece, laid out layer by layer as W [n_out x
 * n_in] row-major then b [n_out]; samples are stored unit-major (all samples of one unit
 * contiguous, padded to NN_LANES) so kernels vectorise across samples. No SDL, no GL. */
#ifndef HEROLOGO_NN_NN_H
#define HEROLOGO_NN_NN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NN_MAX_LAYERS 8
#define NN_MAX_UNITS 256
#define NN_N_INPUTS 2
/* Sample arrays are padded to a multiple of this (one AVX-512 register of floats). */
#define NN_LANES 16

typedef enum nn_act { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU, NN_ACT_COUNT } nn_act;

/* NN_LOSS_SEED is the original rule: output delta = output - target, the gradient of
 * cross-entropy on a sigmoid output. NN_LOSS_MSE is the true mean squared error. */
typedef enum nn_loss { NN_LOSS_SEED, NN_LOSS_MSE, NN_LOSS_COUNT } nn_loss;

typedef enum nn_opt { NN_OPT_GD, NN_OPT_MOMENTUM, NN_OPT_ADAM, NN_OPT_COUNT } nn_opt;

/* Everything that defines a run. nn_desc_default() gives the article's settings. */
typedef struct nn_desc {
    int n_hidden;               /* hidden layers, 1..NN_MAX_LAYERS */
    int hidden[NN_MAX_LAYERS];  /* units per hidden layer, 1..NN_MAX_UNITS */
    nn_act act;                 /* hidden activation; the output is always sigmoid */
    nn_loss loss;
    nn_opt opt;
    float lr;                   /* learning rate, > 0 */
    float init_range;           /* weights and biases uniform in (-init_range, init_range) */
    bool normalize;             /* standardise inputs with the training set's mean and std */
    uint64_t seed;
} nn_desc;

/* Figures of one pass over the training set. */
typedef struct nn_stats {
    double mse;      /* mean of (output - target)^2, always reported */
    double loss;     /* the loss being optimised (cross-entropy for SEED, MSE for MSE) */
    double accuracy; /* fraction with (output >= 0.5) == target */
} nn_stats;

typedef struct nn_mlp nn_mlp;

nn_desc nn_desc_default(void);

/* Default learning rate of an optimiser: 1 for gd (the article), 0.1 for momentum (0.9),
 * 0.01 for Adam. */
float nn_opt_default_lr(nn_opt opt);

/* Names used on the command line, in the HUD, in metrics and in model files. */
const char *nn_act_name(nn_act act);
const char *nn_loss_name(nn_loss loss);
const char *nn_opt_name(nn_opt opt);
bool nn_act_parse(const char *name, nn_act *out);
bool nn_loss_parse(const char *name, nn_loss *out);
bool nn_opt_parse(const char *name, nn_opt *out);

/* Checks a descriptor; on failure writes which field is wrong into err. */
bool nn_desc_validate(const nn_desc *desc, char *err, size_t err_size);

/* Writes the topology as "2-40-1" or "2-40-20-1". */
void nn_desc_topology(const nn_desc *desc, char *buf, size_t size);

/* Creates and initialises a network from the seed. Returns NULL (ERROR logged) on an
 * invalid descriptor or out of memory. The network has no data until nn_mlp_set_data. */
nn_mlp *nn_mlp_create(const nn_desc *desc);
void nn_mlp_free(nn_mlp *net);

/* Copies the training set (n >= 1 points, labels 0 or 1) into the network's layout and
 * computes the normalisation statistics. The normalisation in use is kept with the
 * weights, so reset keeps it and predictions use it. Returns false when memory runs out. */
bool nn_mlp_set_data(nn_mlp *net, const float *x, const float *y, const float *label, int n);

/* Runs `epochs` full-batch steps (stops early on divergence). If stats is not NULL it gets
 * the figures of the last forward pass (the weights before the last update). Returns the
 * number of epochs done. Sets flush-to-zero on the calling thread while it runs. */
long nn_mlp_train(nn_mlp *net, long epochs, nn_stats *stats);

/* Figures of the current weights on the training set (one forward pass). */
void nn_mlp_evaluate(nn_mlp *net, nn_stats *stats);

/* Network output for n points (any n); the input normalisation is applied. */
void nn_mlp_predict(nn_mlp *net, const float *x, const float *y, int n, float *out);

/* Reset: weights drawn again from the same seed, optimiser state and epoch count zeroed,
 * divergence cleared. Reseed: the same with a new seed. */
void nn_mlp_reset(nn_mlp *net);
void nn_mlp_reseed(nn_mlp *net, uint64_t seed);

/* Changes the hidden layers. When the number of layers stays the same, units kept keep
 * their weights and optimiser moments, and new units get random incoming and zero
 * outgoing weights, so adding units leaves the function unchanged (removing units drops
 * theirs); the epoch count carries on. When the number of layers changes the network is
 * initialised afresh from the seed, at epoch 0. Returns false (nothing changed) on an
 * invalid topology or out of memory. */
bool nn_mlp_set_topology(nn_mlp *net, const int *hidden, int n_hidden);

/* Settings that change without a reset. Changing the activation or loss takes effect on
 * the next epoch with the current weights. */
void nn_mlp_set_lr(nn_mlp *net, float lr);
void nn_mlp_set_act(nn_mlp *net, nn_act act);
void nn_mlp_set_loss(nn_mlp *net, nn_loss loss);
void nn_mlp_set_opt(nn_mlp *net, nn_opt opt); /* clears optimiser moments */
void nn_mlp_set_init_range(nn_mlp *net, float r); /* takes effect at the next reset */
/* Switches input normalisation; the weights are re-initialised from the seed because
 * they were learned for the other input scale. */
void nn_mlp_set_normalize(nn_mlp *net, bool on);

const nn_desc *nn_mlp_desc(const nn_mlp *net);
long nn_mlp_epoch(const nn_mlp *net);

/* A number that changes whenever the outputs may have changed (training, reset, reseed,
 * topology, activation, normalisation, data), so callers can keep predictions until it
 * does. */
unsigned long nn_mlp_version(const nn_mlp *net);
bool nn_mlp_diverged(const nn_mlp *net);

/* Direct access to the parameter block (for tests, the benchmark and model files). */
float *nn_mlp_params(nn_mlp *net);
size_t nn_mlp_param_count(const nn_mlp *net);
/* Gradient block of the last epoch, same layout. */
const float *nn_mlp_grads(const nn_mlp *net);
/* Computes the loss gradient of the current weights into the gradient block without
 * updating, and returns the loss (for the gradient check). */
double nn_mlp_compute_gradient(nn_mlp *net);

/* Saves the network (descriptor, normalisation, epoch, parameters, optimiser state) to
 * `path` bit-exactly, through a temporary file renamed into place. */
bool nn_mlp_save(const nn_mlp *net, const char *path, char *err, size_t err_size);

/* Loads a saved network; on any problem returns NULL with the reason in err and nothing
 * half-loaded. The loaded network has no data yet. */
nn_mlp *nn_mlp_load(const char *path, char *err, size_t err_size);

/* Name of the kernel path in use: "scalar", "avx2" or "avx512". */
const char *nn_simd_name(void);

#endif
