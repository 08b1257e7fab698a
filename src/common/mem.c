/* Aligned allocation with one error path. */
#include "common/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

void *mem_alloc(size_t size) {
    size_t rounded = (size + MEM_ALIGN - 1) / MEM_ALIGN * MEM_ALIGN;
    if (size == 0) {
        rounded = MEM_ALIGN;
    }
    if (rounded < size) {
        LOG_ERROR("MEM", "allocation too large bytes=%zu", size);
        return NULL;
    }
    void *ptr = aligned_alloc(MEM_ALIGN, rounded);
    if (!ptr) {
        LOG_ERROR("MEM", "out of memory bytes=%zu", size);
        return NULL;
    }
    memset(ptr, 0, rounded);
    return ptr;
}

float *mem_alloc_floats(size_t count) {
    if (count > SIZE_MAX / sizeof(float)) {
        LOG_ERROR("MEM", "allocation too large floats=%zu", count);
        return NULL;
    }
    return mem_alloc(count * sizeof(float));
}

void mem_free(void *ptr) {
    free(ptr);
}
