/* Datasets for the network: the Batman curve and its training grid, dense evaluation grids,
 * and the original CSV format (`x,y,label` a line). Plain C, no SDL or GL. Points are kept
 * as separate x, y and label arrays so the network can copy them into its own layout. */
#ifndef HEROLOGO_DATA_DATA_H
#define HEROLOGO_DATA_DATA_H

#include <stdbool.h>
#include <stddef.h>

/* Tolerance for "on the curve counts as inside". */
#define DATA_CURVE_EPS 1e-9

/* The training grid of the article: x = -8..8, y = -4.5..4.5, step 0.5. */
#define DATA_TRAIN_NX 33
#define DATA_TRAIN_NY 19
#define DATA_TRAIN_N (DATA_TRAIN_NX * DATA_TRAIN_NY)

/* The article's test grid: [-8, 8]^2 at 0.1 spacing. */
#define DATA_TEST_N_SIDE 161

/* A labelled set of 2D points. Arrays are owned by the set (mem_alloc'd). */
typedef struct data_set {
    int n;
    float *x;
    float *y;
    float *label;   /* 0 (outside) or 1 (inside) */
    bool has_shape; /* true when data_batman_inside is the ground truth (built-in data) */
} data_set;

/* A dense grid of nx * ny points over [x0, x1] x [y0, y1], ends included, stored row by
 * row from the bottom row (y0) up: point (i, j) is at index j * nx + i. That is the order
 * of a GL texture with its first row at the bottom. */
typedef struct data_grid {
    int nx, ny;
    double x0, x1, y0, y1;
    float *x; /* nx * ny coordinates */
    float *y;
} data_grid;

/* Batman curve: the upper and lower boundary at x (NaN outside |x| <= 7 for the bottom
 * and top), and the point-in-shape test with points on the curve counted as inside. */
double data_batman_top(double x);
double data_batman_bottom(double x);
bool data_batman_inside(double x, double y);

/* The 627-point training grid labelled by data_batman_inside, x varying fastest.
 * Returns false (ERROR logged) only when memory runs out. */
bool data_batman_training(data_set *out);

/* Allocates a set of n zeroed points. */
bool data_set_alloc(data_set *set, int n);
void data_set_free(data_set *set);

/* Fraction of points whose label agrees with `predicted[i] >= 0.5`. */
double data_set_accuracy(const data_set *set, const float *predicted);

/* Fills `grid` with nx * ny points over the rectangle (nx, ny >= 2 unless the rectangle
 * is flat in that direction; 1 puts the single point at x0 or y0). */
bool data_grid_make(data_grid *grid, double x0, double x1, double y0, double y1, int nx,
                    int ny);

/* Coordinate k of n evenly spaced values from a to b, in double: the one grids are made
 * from. The last one is b itself, since a + (b - a) need not round back to b. */
double data_grid_coord(double a, double b, int k, int n);

/* The 161 x 161 test grid over [-8, 8]^2. */
bool data_grid_test(data_grid *grid);

void data_grid_free(data_grid *grid);

/* Fraction of grid points where `predicted[i] >= 0.5` agrees with the Batman shape. */
double data_grid_batman_agreement(const data_grid *grid, const float *predicted);

/* Reads a CSV in the original format: `x,y,label` a line, commas or whitespace as
 * separators, `#` comment lines and blank lines skipped, labels 0 or 1. On failure writes
 * one message naming the file and line into err ("FILE:LINE: what is wrong") and returns
 * false with `out` untouched. */
bool data_csv_load(const char *path, data_set *out, char *err, size_t err_size);

/* Writes the set as `x,y,label` lines with no header, to a temporary name then renamed, so
 * a failure never leaves half a file at `path`. err as above. */
bool data_csv_save(const char *path, const data_set *set, char *err, size_t err_size);

#endif
