/* Counters of GPU allocations made by a render context, for tests that check textures
 * and buffers are re-used frame after frame instead of re-created. Not for the app. */
#ifndef HEROLOGO_RENDER_RENDER_DEBUG_H
#define HEROLOGO_RENDER_RENDER_DEBUG_H

#include "render/render.h"

typedef struct render_debug_counts {
    int field_texture_allocs; /* glTexImage2D calls for the prediction texture */
    int image_texture_allocs; /* the same over all image slots */
    int points_buffer_allocs; /* glBufferData calls for the points' vertex buffer */
    int flat_buffer_allocs;   /* the same for lines and rectangles */
} render_debug_counts;

render_debug_counts render_debug_get_counts(const render_ctx *r);

#endif
