/* Model files: a small versioned little-endian format that stores everything needed to
 * resume or reproduce a network bit-exactly (descriptor, input transform, epoch, parameters,
 * optimiser moments), closed by a CRC-32 of all that precedes it. Loading checks every
 * field before building anything, so a damaged file never yields a half-loaded network.
 *
 *   "HEROLOGO" u32 version  u32 n_hidden  u32 hidden[8]  u32 act, loss, opt, normalize
 *   f32 lr, init  u64 seed  i64 epoch, opt_steps  f32 in_mean[2], in_scale[2],
 *   data_mean[2], data_scale[2]  u32 has_data_stats, reserved  u64 n_params
 *   f32 params[n], m1[n], m2[n]  u32 crc32                                              */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/afile.h"
#include "nn/nn_internal.h"

#define MODEL_MAGIC "HEROLOGO"
#define MODEL_VERSION 1u
#define MODEL_HEADER_BYTES 144u
/* Largest possible network: NN_MAX_LAYERS layers of NN_MAX_UNITS units, three blocks of
 * floats, plus the header and the checksum. */
#define MODEL_MAX_PARAMS                                                                   \
    ((NN_N_INPUTS + 1u) * NN_MAX_UNITS + (NN_MAX_LAYERS - 1u) * (NN_MAX_UNITS + 1u) *      \
         NN_MAX_UNITS + NN_MAX_UNITS + 1u)
#define MODEL_MAX_BYTES (MODEL_HEADER_BYTES + 3u * 4u * MODEL_MAX_PARAMS + 4u)

/* ---- CRC-32 (IEEE, reflected), computed bitwise: files are small ---------------------- */

static uint32_t crc32_bytes(const unsigned char *data, size_t n) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

/* ---- little-endian buffer ----------------------------------------------------------- */

typedef struct byte_buf {
    unsigned char *data;
    size_t size;
    size_t pos;
} byte_buf;

static void put_u32(byte_buf *b, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        b->data[b->pos++] = (unsigned char)(v >> (8 * i));
    }
}

static void put_u64(byte_buf *b, uint64_t v) {
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_f32(byte_buf *b, float f) {
    uint32_t v;
    memcpy(&v, &f, sizeof v);
    put_u32(b, v);
}

static uint32_t get_u32(byte_buf *b) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        v |= (uint32_t)b->data[b->pos++] << (8 * i);
    }
    return v;
}

static uint64_t get_u64(byte_buf *b) {
    uint64_t lo = get_u32(b);
    return lo | (uint64_t)get_u32(b) << 32;
}

static float get_f32(byte_buf *b) {
    uint32_t v = get_u32(b);
    float f;
    memcpy(&f, &v, sizeof f);
    return f;
}

static size_t file_bytes(size_t n_params) {
    return MODEL_HEADER_BYTES + 3 * 4 * n_params + 4;
}

/* ---- save --------------------------------------------------------------------------- */

static void encode(const nn_mlp *net, byte_buf *b) {
    const nn_desc *d = &net->desc;
    memcpy(b->data, MODEL_MAGIC, 8);
    b->pos = 8;
    put_u32(b, MODEL_VERSION);
    put_u32(b, (uint32_t)d->n_hidden);
    for (int l = 0; l < NN_MAX_LAYERS; l++) {
        put_u32(b, (uint32_t)(l < d->n_hidden ? d->hidden[l] : 0));
    }
    put_u32(b, (uint32_t)d->act);
    put_u32(b, (uint32_t)d->loss);
    put_u32(b, (uint32_t)d->opt);
    put_u32(b, d->normalize ? 1u : 0u);
    put_f32(b, d->lr);
    put_f32(b, d->init_range);
    put_u64(b, d->seed);
    put_u64(b, (uint64_t)net->epoch);
    put_u64(b, (uint64_t)net->opt_steps);
    for (int i = 0; i < NN_N_INPUTS; i++) {
        put_f32(b, net->in_mean[i]);
        put_f32(b, net->in_scale[i]);
        put_f32(b, net->data_mean[i]);
        put_f32(b, net->data_scale[i]);
    }
    put_u32(b, net->has_data_stats ? 1u : 0u);
    put_u32(b, 0u);
    put_u64(b, (uint64_t)net->n_params);
    const float *blocks[3] = {net->params, net->m1, net->m2};
    for (int k = 0; k < 3; k++) {
        for (size_t p = 0; p < net->n_params; p++) {
            put_f32(b, blocks[k][p]);
        }
    }
    put_u32(b, crc32_bytes(b->data, b->pos));
}

static bool write_all(const char *path, const unsigned char *data, size_t n, char *err,
                      size_t err_size) {
    afile out;
    if (!afile_open(&out, path, err, err_size)) {
        return false;
    }
    fwrite(data, 1, n, out.f);
    return afile_commit(&out, err, err_size);
}

bool nn_mlp_save(const nn_mlp *net, const char *path, char *err, size_t err_size) {
    if (net->diverged) {
        snprintf(err, err_size, "%s: not saved: the network has diverged", path);
        return false;
    }
    byte_buf b = {0};
    b.size = file_bytes(net->n_params);
    b.data = malloc(b.size);
    if (!b.data) {
        snprintf(err, err_size, "%s: cannot write: out of memory", path);
        return false;
    }
    encode(net, &b);
    bool ok = write_all(path, b.data, b.pos, err, err_size);
    free(b.data);
    return ok;
}

/* ---- load --------------------------------------------------------------------------- */

static unsigned char *read_file(const char *path, size_t *size, char *err, size_t err_size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    unsigned char *data = malloc(MODEL_MAX_BYTES + 1);
    size_t n = data ? fread(data, 1, MODEL_MAX_BYTES + 1, f) : 0;
    bool bad = !data || ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, err_size, "%s: cannot read model file", path);
        free(data);
        return NULL;
    }
    if (n > MODEL_MAX_BYTES) {
        snprintf(err, err_size, "%s: not a herologo model (file too large)", path);
        free(data);
        return NULL;
    }
    *size = n;
    return data;
}

/* Reads and checks the header fields into net (no allocation yet). */
static bool decode_header(byte_buf *b, nn_mlp *net, uint64_t *n_params, const char *path,
                          char *err, size_t err_size) {
    nn_desc *d = &net->desc;
    b->pos = 8;
    uint32_t version = get_u32(b);
    if (version != MODEL_VERSION) {
        snprintf(err, err_size, "%s: model format version %u is not supported (this build "
                 "reads %u)", path, version, MODEL_VERSION);
        return false;
    }
    d->n_hidden = (int)get_u32(b);
    for (int l = 0; l < NN_MAX_LAYERS; l++) {
        d->hidden[l] = (int)get_u32(b);
    }
    uint32_t act = get_u32(b), loss = get_u32(b), opt = get_u32(b), norm = get_u32(b);
    d->act = act < NN_ACT_COUNT ? (nn_act)act : NN_ACT_COUNT;
    d->loss = loss < NN_LOSS_COUNT ? (nn_loss)loss : NN_LOSS_COUNT;
    d->opt = opt < NN_OPT_COUNT ? (nn_opt)opt : NN_OPT_COUNT;
    d->normalize = norm != 0;
    d->lr = get_f32(b);
    d->init_range = get_f32(b);
    d->seed = get_u64(b);
    net->epoch = (long)get_u64(b);
    net->opt_steps = (long)get_u64(b);
    for (int i = 0; i < NN_N_INPUTS; i++) {
        net->in_mean[i] = get_f32(b);
        net->in_scale[i] = get_f32(b);
        net->data_mean[i] = get_f32(b);
        net->data_scale[i] = get_f32(b);
    }
    net->has_data_stats = get_u32(b) != 0;
    get_u32(b);
    *n_params = get_u64(b);

    char why[160];
    if (!nn_desc_validate(d, why, sizeof why) || norm > 1) {
        snprintf(err, err_size, "%s: damaged model file: %s", path,
                 norm > 1 ? "bad normalisation flag" : why);
        return false;
    }
    if (net->epoch < 0 || net->opt_steps < 0) {
        snprintf(err, err_size, "%s: damaged model file: negative epoch count", path);
        return false;
    }
    for (int i = 0; i < NN_N_INPUTS; i++) {
        if (!isfinite(net->in_mean[i]) || !isfinite(net->in_scale[i]) ||
            !isfinite(net->data_mean[i]) || !isfinite(net->data_scale[i])) {
            snprintf(err, err_size, "%s: damaged model file: bad input transform", path);
            return false;
        }
    }
    return true;
}

nn_mlp *nn_mlp_load(const char *path, char *err, size_t err_size) {
    size_t size = 0;
    unsigned char *data = read_file(path, &size, err, err_size);
    if (!data) {
        return NULL;
    }
    byte_buf b = {data, size, 0};
    nn_mlp *net = NULL;
    nn_mlp head;
    memset(&head, 0, sizeof head);
    uint64_t n_params = 0;

    if (size < MODEL_HEADER_BYTES + 4 || memcmp(data, MODEL_MAGIC, 8) != 0) {
        snprintf(err, err_size, "%s: not a herologo model file", path);
        goto done;
    }
    uint32_t stored_crc = (uint32_t)data[size - 4] | (uint32_t)data[size - 3] << 8 |
                          (uint32_t)data[size - 2] << 16 | (uint32_t)data[size - 1] << 24;
    if (crc32_bytes(data, size - 4) != stored_crc) {
        snprintf(err, err_size, "%s: damaged model file: checksum mismatch (truncated or "
                 "altered)", path);
        goto done;
    }
    if (!decode_header(&b, &head, &n_params, path, err, err_size)) {
        goto done;
    }

    net = nn_mlp_create(&head.desc);
    if (!net) {
        snprintf(err, err_size, "%s: cannot build the network it describes", path);
        goto done;
    }
    if (n_params != net->n_params || size != file_bytes(net->n_params)) {
        snprintf(err, err_size, "%s: damaged model file: %llu parameters for topology "
                 "needing %zu", path, (unsigned long long)n_params, net->n_params);
        nn_mlp_free(net);
        net = NULL;
        goto done;
    }
    float *blocks[3] = {net->params, net->m1, net->m2};
    for (int k = 0; k < 3; k++) {
        for (size_t p = 0; p < net->n_params; p++) {
            blocks[k][p] = get_f32(&b);
            if (!isfinite(blocks[k][p])) {
                snprintf(err, err_size, "%s: damaged model file: value %zu is not finite",
                         path, p);
                nn_mlp_free(net);
                net = NULL;
                goto done;
            }
        }
    }
    net->epoch = head.epoch;
    net->opt_steps = head.opt_steps;
    memcpy(net->in_mean, head.in_mean, sizeof net->in_mean);
    memcpy(net->in_scale, head.in_scale, sizeof net->in_scale);
    memcpy(net->data_mean, head.data_mean, sizeof net->data_mean);
    memcpy(net->data_scale, head.data_scale, sizeof net->data_scale);
    net->has_data_stats = head.has_data_stats;
    net->transform_from_file = true;

done:
    free(data);
    return net;
}
