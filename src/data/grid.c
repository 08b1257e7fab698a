/* Point containers: labelled sets and dense evaluation grids, with the two scores that
 * compare a network's predictions against them. Grids are laid out for a GL texture (bottom
 * row first); nothing here knows about GL itself. */
#include "data/data.h"

#include <assert.h>
#include <float.h>
#include <limits.h>
#include <math.h>

#include "common/log.h"
#include "common/mem.h"

bool data_set_alloc(data_set *set, int n) {
    assert(set);
    if (n < 0) {
        LOG_ERROR("DATA", "negative set size n=%d", n);
        return false;
    }
    data_set s = {.n = n, .has_shape = false};
    s.x = mem_alloc_floats((size_t)n);
    s.y = mem_alloc_floats((size_t)n);
    s.label = mem_alloc_floats((size_t)n);
    if (!s.x || !s.y || !s.label) {
        data_set_free(&s);
        return false;
    }
    *set = s;
    return true;
}

void data_set_free(data_set *set) {
    if (!set) {
        return;
    }
    mem_free(set->x);
    mem_free(set->y);
    mem_free(set->label);
    *set = (data_set){0};
}

double data_set_accuracy(const data_set *set, const float *predicted) {
    assert(set && (predicted || set->n == 0));
    if (set->n == 0) {
        return 0.0;
    }
    int agree = 0;
    for (int i = 0; i < set->n; i++) {
        /* A NaN prediction compares false, so it counts as "outside". */
        bool said_inside = predicted[i] >= 0.5f;
        bool is_inside = set->label[i] >= 0.5f;
        agree += said_inside == is_inside;
    }
    return (double)agree / set->n;
}

double data_grid_coord(double a, double b, int k, int n) {
    if (n == 1 || k == 0) {
        return a;
    }
    if (k == n - 1) {
        return b;
    }
    return a + (b - a) * k / (n - 1);
}

/* Checks one axis of the rectangle; `name` is "x" or "y" for the log line. */
static bool grid_axis_ok(const char *name, double lo, double hi, int n) {
    if (n < 1) {
        LOG_ERROR("DATA", "grid needs at least one point along %s n%s=%d", name, name, n);
        return false;
    }
    if (!(fabs(lo) <= FLT_MAX) || !(fabs(hi) <= FLT_MAX)) {
        LOG_ERROR("DATA", "grid %s range is not a finite float %s0=%g %s1=%g", name, name, lo,
                  name, hi);
        return false;
    }
    if (lo > hi) {
        LOG_ERROR("DATA", "grid %s range is reversed %s0=%g %s1=%g", name, name, lo, name, hi);
        return false;
    }
    return true;
}

bool data_grid_make(data_grid *grid, double x0, double x1, double y0, double y1, int nx,
                    int ny) {
    assert(grid);
    if (!grid_axis_ok("x", x0, x1, nx) || !grid_axis_ok("y", y0, y1, ny)) {
        return false;
    }
    if ((long long)nx * ny > INT_MAX) {
        LOG_ERROR("DATA", "grid too large nx=%d ny=%d", nx, ny);
        return false;
    }

    data_grid g = {.nx = nx, .ny = ny, .x0 = x0, .x1 = x1, .y0 = y0, .y1 = y1};
    size_t n = (size_t)nx * (size_t)ny;
    g.x = mem_alloc_floats(n);
    g.y = mem_alloc_floats(n);
    if (!g.x || !g.y) {
        data_grid_free(&g);
        return false;
    }

    for (int j = 0; j < ny; j++) {
        float y = (float)data_grid_coord(y0, y1, j, ny);
        for (int i = 0; i < nx; i++) {
            size_t k = (size_t)j * (size_t)nx + (size_t)i;
            g.x[k] = (float)data_grid_coord(x0, x1, i, nx);
            g.y[k] = y;
        }
    }
    *grid = g;
    return true;
}

bool data_grid_test(data_grid *grid) {
    return data_grid_make(grid, -8.0, 8.0, -8.0, 8.0, DATA_TEST_N_SIDE, DATA_TEST_N_SIDE);
}

void data_grid_free(data_grid *grid) {
    if (!grid) {
        return;
    }
    mem_free(grid->x);
    mem_free(grid->y);
    *grid = (data_grid){0};
}

double data_grid_batman_agreement(const data_grid *grid, const float *predicted) {
    assert(grid && predicted);
    int n = grid->nx * grid->ny;
    if (n <= 0) {
        return 0.0;
    }
    int agree = 0;
    for (int k = 0; k < n; k++) {
        bool said_inside = predicted[k] >= 0.5f;
        agree += said_inside == data_batman_inside(grid->x[k], grid->y[k]);
    }
    return (double)agree / n;
}
