/* Start-up choice of the kernel table from CPU features, with HEROLOGO_SIMD to force one. */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "nn/kernels.h"

static const nn_kernels *g_active;

static bool cpu_has_avx2(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static bool cpu_has_avx512(void) {
    return cpu_has_avx2() && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq");
}

const nn_kernels *nn_kernels_by_name(const char *name) {
    if (strcmp(name, "scalar") == 0) {
        return &nn_kernels_scalar;
    }
    if (strcmp(name, "avx2") == 0) {
        return cpu_has_avx2() ? &nn_kernels_avx2 : NULL;
    }
    if (strcmp(name, "avx512") == 0) {
        return cpu_has_avx512() ? &nn_kernels_avx512 : NULL;
    }
    return NULL;
}

static const nn_kernels *choose(void) {
    const nn_kernels *best = cpu_has_avx512() ? &nn_kernels_avx512
                           : cpu_has_avx2()   ? &nn_kernels_avx2
                                              : &nn_kernels_scalar;
    const char *forced = getenv("HEROLOGO_SIMD");
    if (!forced || !*forced) {
        return best;
    }
    const nn_kernels *k = nn_kernels_by_name(forced);
    if (!k) {
        LOG_WARN("SIMD", "HEROLOGO_SIMD=%s is not available here, using %s", forced,
                 best->name);
        return best;
    }
    return k;
}

const nn_kernels *nn_kernels_active(void) {
    if (!g_active) {
        g_active = choose();
    }
    return g_active;
}

void nn_kernels_use(const nn_kernels *k) {
    g_active = k ? k : choose();
}

const char *nn_simd_name(void) {
    return nn_kernels_active()->name;
}
