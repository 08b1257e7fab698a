/* Checked, aligned allocation. Every numeric block of the program (parameters, gradients,
 * optimiser state, activations, datasets) comes from here, 64-byte aligned and zeroed, so
 * that any SIMD kernel may use aligned loads. */
#ifndef HEROLOGO_COMMON_MEM_H
#define HEROLOGO_COMMON_MEM_H

#include <stddef.h>

#define MEM_ALIGN 64

/* Zeroed block of `size` bytes aligned to MEM_ALIGN; logs an ERROR and returns NULL on
 * failure or overflow. Free with mem_free. */
void *mem_alloc(size_t size);

/* Same for `count` floats. */
float *mem_alloc_floats(size_t count);

void mem_free(void *ptr);

#endif
