/* Tests of data/: the Batman curve against formulas written a second, independent way, the
 * training and test grids point by point, the prediction scores, and the CSV reader and
 * writer, including one malformed file per error the reader reports. Fixture files are
 * written at run time into a fresh folder under /tmp, which is removed at the end. */
#define _POSIX_C_SOURCE 200809L
#include "data/data.h"

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/log.h"

/* Points of the 627-point training grid inside the shape; an independent computation from
 * the published formulas gives the same count, and ref_inside below checks it here too. */
#define EXPECTED_TRAIN_INSIDE 199

/* The folder the fixtures are written to, made by main. */
static char tmp_dir[64];

/* ---- the curve, written a second way ------------------------------------------------- */

/* The same published pieces, rearranged: the roots are factored and the constants reduced,
 * so a typo in one version does not hide in the other. */
static double ref_top(double x) {
    double a = fabs(x);
    if (a > 7.0) {
        return NAN;
    } else if (a > 3.0) {
        return 3.0 / 7.0 * sqrt(fmax(0.0, (7.0 - a) * (7.0 + a)));
    } else if (a > 1.0) {
        double root = sqrt(fmax(0.0, (3.0 - a) * (1.0 + a)));
        return (3.0 - a) / 2.0 - 3.0 * sqrt(10.0) / 7.0 * (root - 2.0);
    } else if (a > 0.75) {
        return 9.0 - 8.0 * a;
    } else if (a > 0.5) {
        return 0.75 + 3.0 * a;
    }
    return 2.25;
}

static double ref_bottom(double x) {
    double a = fabs(x);
    if (a > 7.0) {
        return NAN;
    } else if (a > 4.0) {
        return -3.0 / 7.0 * sqrt(fmax(0.0, (7.0 - a) * (7.0 + a)));
    }
    double e = fabs(a - 2.0);
    double parabola = a / 2.0 - 3.0 - a * a * (3.0 * sqrt(33.0) - 7.0) / 112.0;
    return parabola + sqrt(fmax(0.0, e * (2.0 - e)));
}

static bool ref_inside(double x, double y) {
    if (fabs(x) > 7.0) {
        return false;
    }
    return ref_bottom(x) - y <= 1e-9 && y - ref_top(x) <= 1e-9;
}

static void test_curve_known_points(void) {
    CHECK(data_batman_inside(0.0, 0.0));
    CHECK(data_batman_inside(0.0, 2.25)); /* on the top edge */
    CHECK(!data_batman_inside(0.0, 2.3));
    CHECK(!data_batman_inside(7.5, 0.0));
    CHECK(data_batman_inside(5.0, 0.0));
    CHECK(data_batman_inside(-5.0, 0.0));
    CHECK(data_batman_inside(7.0, 0.0)); /* the wing tip, where top and bottom meet */
    CHECK(!data_batman_inside(7.0 + 1e-6, 0.0));
    CHECK(!data_batman_inside(NAN, 0.0));
    CHECK(!data_batman_inside(0.0, NAN));

    /* Under the middle the bottom is -3 exactly: -2.9 is inside, -3 on the edge. */
    CHECK_NEAR(data_batman_bottom(0.0), -3.0, 1e-15);
    CHECK(data_batman_inside(0.0, -2.9));
    CHECK(data_batman_inside(0.0, -3.0));
    CHECK(!data_batman_inside(0.0, -3.01));

    CHECK_NEAR(data_batman_top(0.6), 2.55, 1e-12);
    CHECK_NEAR(data_batman_top(0.0), 2.25, 0.0);
    CHECK_NEAR(data_batman_top(0.75), 3.0, 1e-12);
    CHECK_NEAR(data_batman_top(1.0), 1.0, 1e-12);
    CHECK_NEAR(data_batman_top(3.0), 6.0 * sqrt(10.0) / 7.0, 1e-12);
    CHECK_NEAR(data_batman_top(7.0), 0.0, 0.0);
    CHECK_NEAR(data_batman_bottom(7.0), 0.0, 0.0);
    CHECK_NEAR(data_batman_bottom(4.0), -3.0 * sqrt(33.0) / 7.0, 1e-12);
    CHECK(isnan(data_batman_top(7.01)));
    CHECK(isnan(data_batman_bottom(-8.0)));
    CHECK(isnan(data_batman_top(INFINITY)));
    CHECK(isnan(data_batman_bottom(NAN)));
}

static void test_curve_against_reference(void) {
    int top_off = 0, bottom_off = 0, mirror_off = 0, edge_off = 0;
    for (int k = -700; k <= 700; k++) {
        double x = k / 100.0;
        double top = data_batman_top(x);
        double bottom = data_batman_bottom(x);
        top_off += !(fabs(top - ref_top(x)) <= 1e-12);
        bottom_off += !(fabs(bottom - ref_bottom(x)) <= 1e-12);
        mirror_off += top != data_batman_top(-x) || bottom != data_batman_bottom(-x);

        /* The curve itself is inside; a millionth beyond it is not. */
        edge_off += !data_batman_inside(x, top) || !data_batman_inside(x, bottom);
        edge_off += data_batman_inside(x, top + 1e-6) || data_batman_inside(x, bottom - 1e-6);
    }
    CHECK_MSG(top_off == 0, "top differs from the reference at %d points", top_off);
    CHECK_MSG(bottom_off == 0, "bottom differs from the reference at %d points", bottom_off);
    CHECK_MSG(mirror_off == 0, "curve not symmetric at %d points", mirror_off);
    CHECK_MSG(edge_off == 0, "edge handled wrongly at %d points", edge_off);

    /* The pieces join: no jump where the formula changes. Near 3 and 4 a root is about to
     * vanish, so 1e-12 away the curve has moved by a few 1e-6. */
    const double joins[] = {0.5, 0.75, 1.0, 3.0, 4.0};
    for (size_t i = 0; i < sizeof(joins) / sizeof(joins[0]); i++) {
        double b = joins[i];
        CHECK_NEAR(data_batman_top(b - 1e-12), data_batman_top(b + 1e-12), 1e-5);
        CHECK_NEAR(data_batman_bottom(b - 1e-12), data_batman_bottom(b + 1e-12), 1e-5);
    }
}

/* ---- grids and scores ---------------------------------------------------------------- */

static void test_training_grid(void) {
    data_set set;
    CHECK(data_batman_training(&set));
    CHECK(set.n == DATA_TRAIN_N && set.n == 627);
    CHECK(set.has_shape);
    CHECK(set.x[0] == -8.0f && set.y[0] == -4.5f);
    CHECK(set.x[1] == -7.5f && set.y[1] == -4.5f);
    CHECK(set.x[33] == -8.0f && set.y[33] == -4.0f);
    CHECK(set.x[626] == 8.0f && set.y[626] == 4.5f);

    int coord_off = 0, label_off = 0, mirror_off = 0, inside = 0, ref_count = 0;
    for (int j = 0; j < DATA_TRAIN_NY; j++) {
        for (int i = 0; i < DATA_TRAIN_NX; i++) {
            int k = j * DATA_TRAIN_NX + i;
            int mirror = j * DATA_TRAIN_NX + (DATA_TRAIN_NX - 1 - i);
            double x = (i - 16) / 2.0;
            double y = (j - 9) / 2.0;
            coord_off += set.x[k] != (float)x || set.y[k] != (float)y;
            label_off += set.label[k] != (ref_inside(x, y) ? 1.0f : 0.0f);
            mirror_off += set.label[k] != set.label[mirror];
            inside += set.label[k] == 1.0f;
            ref_count += ref_inside(x, y);
        }
    }
    CHECK_MSG(coord_off == 0, "%d coordinates are not exact", coord_off);
    CHECK_MSG(label_off == 0, "%d labels differ from the reference", label_off);
    CHECK_MSG(mirror_off == 0, "%d labels break the left-right symmetry", mirror_off);
    CHECK_MSG(inside == EXPECTED_TRAIN_INSIDE, "inside=%d", inside);
    CHECK_MSG(ref_count == EXPECTED_TRAIN_INSIDE, "reference inside=%d", ref_count);

    /* Boundary points of the grid that must count as inside. */
    CHECK(set.label[9 * 33 + 30] == 1.0f);  /* (7, 0): the wing tip */
    CHECK(set.label[3 * 33 + 16] == 1.0f);  /* (0, -3): bottom of the tail */
    CHECK(set.label[11 * 33 + 14] == 1.0f); /* (-1, 1): foot of the ear */

    float *zeros = calloc(DATA_TRAIN_N, sizeof(float));
    CHECK(zeros != NULL);
    if (zeros) {
        CHECK_NEAR(data_set_accuracy(&set, set.label), 1.0, 0.0);
        CHECK_NEAR(data_set_accuracy(&set, zeros), (627.0 - inside) / 627.0, 1e-15);
        free(zeros);
    }

    data_set again;
    CHECK(data_batman_training(&again));
    CHECK(memcmp(set.x, again.x, sizeof(float) * DATA_TRAIN_N) == 0);
    CHECK(memcmp(set.label, again.label, sizeof(float) * DATA_TRAIN_N) == 0);
    data_set_free(&again);
    data_set_free(&set);
    CHECK(set.x == NULL && set.n == 0);
}

static void test_test_grid(void) {
    data_grid grid;
    CHECK(data_grid_test(&grid));
    CHECK(grid.nx == 161 && grid.ny == 161);
    int n = grid.nx * grid.ny;
    CHECK(grid.x[0] == -8.0f && grid.y[0] == -8.0f);
    CHECK(grid.x[n - 1] == 8.0f && grid.y[n - 1] == 8.0f);
    CHECK(grid.x[80 * 161 + 80] == 0.0f && grid.y[80 * 161 + 80] == 0.0f);
    CHECK(grid.x[160] == 8.0f && grid.y[160] == -8.0f); /* end of the bottom row */

    int off = 0;
    for (int j = 0; j < grid.ny; j++) {
        for (int i = 0; i < grid.nx; i++) {
            int k = j * grid.nx + i;
            off += !(fabs(grid.x[k] - (-8.0 + 0.1 * i)) <= 1e-6);
            off += !(fabs(grid.y[k] - (-8.0 + 0.1 * j)) <= 1e-6);
        }
    }
    CHECK_MSG(off == 0, "%d coordinates off the 0.1 spacing", off);

    /* A perfect predictor agrees everywhere; constant ones agree on one side only. */
    float *perfect = calloc((size_t)n, sizeof(float));
    float *zeros = calloc((size_t)n, sizeof(float));
    float *ones = calloc((size_t)n, sizeof(float));
    CHECK(perfect && zeros && ones);
    if (perfect && zeros && ones) {
        int inside = 0;
        for (int k = 0; k < n; k++) {
            bool in = ref_inside(grid.x[k], grid.y[k]);
            perfect[k] = in ? 0.9f : 0.1f;
            ones[k] = 0.5f; /* 0.5 itself counts as "inside" */
            inside += in;
        }
        CHECK(inside > 0 && inside < n);
        CHECK_NEAR(data_grid_batman_agreement(&grid, perfect), 1.0, 0.0);
        CHECK_NEAR(data_grid_batman_agreement(&grid, zeros), (double)(n - inside) / n, 1e-15);
        CHECK_NEAR(data_grid_batman_agreement(&grid, ones), (double)inside / n, 1e-15);
    }
    free(perfect);
    free(zeros);
    free(ones);
    data_grid_free(&grid);
    CHECK(grid.x == NULL && grid.y == NULL);
}

static int errors_logged;

static void count_errors(log_level level, const char *tag, const char *msg, void *user) {
    (void)msg;
    (void)user;
    errors_logged += level == LOG_LEVEL_ERROR && strcmp(tag, "DATA") == 0;
}

/* data_grid_make on bad arguments: false, one ERROR line, the grid left as it was. */
static void check_grid_rejected(double x0, double x1, double y0, double y1, int nx, int ny) {
    data_grid grid = {.nx = 77};
    int before = errors_logged;
    CHECK_MSG(!data_grid_make(&grid, x0, x1, y0, y1, nx, ny), "accepted %g %g %g %g %d %d",
              x0, x1, y0, y1, nx, ny);
    CHECK(grid.nx == 77 && grid.x == NULL);
    CHECK(errors_logged == before + 1);
}

static void test_grid_make(void) {
    data_grid grid;
    CHECK(data_grid_make(&grid, 0.0, 1.0, 10.0, 20.0, 3, 2));
    const float want_x[] = {0.0f, 0.5f, 1.0f, 0.0f, 0.5f, 1.0f};
    const float want_y[] = {10.0f, 10.0f, 10.0f, 20.0f, 20.0f, 20.0f};
    CHECK(memcmp(grid.x, want_x, sizeof(want_x)) == 0);
    CHECK(memcmp(grid.y, want_y, sizeof(want_y)) == 0);
    data_grid_free(&grid);

    /* One point along an axis sits at the low end; a flat range repeats its value. */
    CHECK(data_grid_make(&grid, 2.0, 2.0, -1.0, 1.0, 1, 3));
    CHECK(grid.x[0] == 2.0f && grid.y[0] == -1.0f && grid.y[2] == 1.0f);
    data_grid_free(&grid);
    CHECK(data_grid_make(&grid, 0.1, 0.3, 5.0, 5.0, 7, 2));
    CHECK(grid.x[6] == 0.3f && grid.y[13] == 5.0f);
    data_grid_free(&grid);

    log_set_sink(count_errors, NULL);
    check_grid_rejected(0.0, 1.0, 0.0, 1.0, 0, 2);
    check_grid_rejected(0.0, 1.0, 0.0, 1.0, 2, -1);
    check_grid_rejected(1.0, 0.0, 0.0, 1.0, 2, 2);
    check_grid_rejected(0.0, 1.0, 1.0, 0.9, 2, 2);
    check_grid_rejected(NAN, 1.0, 0.0, 1.0, 2, 2);
    check_grid_rejected(0.0, INFINITY, 0.0, 1.0, 2, 2);
    check_grid_rejected(0.0, 1.0, -1e300, 1.0, 2, 2);
    check_grid_rejected(0.0, 1.0, 0.0, 1.0, 65536, 65536);
    log_set_sink(NULL, NULL);
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* Writes `len` bytes into a fixture file; returns its path (static, valid until next call). */
static const char *write_fixture(const char *name, const char *text, size_t len) {
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        perror(path);
        exit(2);
    }
    bool ok = fwrite(text, 1, len, fp) == len;
    ok = fclose(fp) == 0 && ok;
    if (!ok) {
        perror(path);
        exit(2);
    }
    return path;
}

/* Counts the entries of the fixture folder, to see that no temporary file stays behind. */
static int count_dir_entries(void) {
    DIR *dir = opendir(tmp_dir);
    int n = 0;
    if (!dir) {
        return -1;
    }
    for (struct dirent *e = readdir(dir); e; e = readdir(dir)) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(dir);
    return n;
}

static bool same_sets(const data_set *a, const data_set *b) {
    size_t bytes = sizeof(float) * (size_t)a->n;
    return a->n == b->n && memcmp(a->x, b->x, bytes) == 0 && memcmp(a->y, b->y, bytes) == 0 &&
           memcmp(a->label, b->label, bytes) == 0;
}

static void test_csv_round_trip(void) {
    char err[512] = "";
    char path[128];
    snprintf(path, sizeof(path), "%s/train.csv", tmp_dir);
    data_set train, back;
    CHECK(data_batman_training(&train));
    CHECK_MSG(data_csv_save(path, &train, err, sizeof(err)), "%s", err);
    CHECK_MSG(data_csv_load(path, &back, err, sizeof(err)), "%s", err);
    CHECK(same_sets(&train, &back));
    CHECK(!back.has_shape);
    data_set_free(&back);

    /* Floats that are hard to print: random bit patterns, extremes, subnormals, -0. */
    data_set odd;
    CHECK(data_set_alloc(&odd, 4000));
    uint32_t state = 12345u;
    for (int i = 0; i < odd.n; i++) {
        float v[2];
        for (int c = 0; c < 2; c++) {
            do {
                state = state * 1664525u + 1013904223u;
                uint32_t bits = state ^ (state >> 15) * 2654435761u;
                memcpy(&v[c], &bits, sizeof(float));
            } while (!isfinite(v[c]));
        }
        odd.x[i] = v[0];
        odd.y[i] = v[1];
        odd.label[i] = (float)(i % 2);
    }
    const float special[] = {-0.0f, FLT_MAX, -FLT_MAX, FLT_MIN, 1e-45f, 0.1f, 1.0f / 3.0f};
    for (int i = 0; i < 7; i++) {
        odd.x[i] = special[i];
        odd.y[i] = -special[i];
    }
    CHECK_MSG(data_csv_save(path, &odd, err, sizeof(err)), "%s", err);
    CHECK_MSG(data_csv_load(path, &back, err, sizeof(err)), "%s", err);
    CHECK(same_sets(&odd, &back)); /* also shows that the second save replaced the first */
    data_set_free(&back);
    CHECK(count_dir_entries() == 1);

    /* Refused sets and unwritable places: false, a message, nothing left behind. */
    float kept = odd.x[3];
    odd.x[3] = NAN;
    CHECK(!data_csv_save(path, &odd, err, sizeof(err)));
    CHECK(strstr(err, path) && strstr(err, "cannot write"));
    odd.x[3] = kept;
    odd.label[5] = 0.5f;
    CHECK(!data_csv_save(path, &odd, err, sizeof(err)));
    CHECK(strstr(err, "label"));
    odd.label[5] = 1.0f;
    data_set none = {0};
    CHECK(!data_csv_save(path, &none, err, sizeof(err)));
    CHECK(strstr(err, "no points") != NULL);
    char bad[160];
    snprintf(bad, sizeof(bad), "%s/no/such/dir.csv", tmp_dir);
    CHECK(!data_csv_save(bad, &train, err, sizeof(err)));
    CHECK(strstr(err, bad) && strstr(err, "cannot write"));
    CHECK(!data_csv_save(tmp_dir, &train, err, sizeof(err))); /* a folder cannot be replaced */
    CHECK(strstr(err, "cannot write") != NULL);
    CHECK(count_dir_entries() == 1);
    CHECK(data_csv_load(path, &back, err, sizeof(err)) && same_sets(&odd, &back));
    data_set_free(&back);

    remove(path);
    data_set_free(&odd);
    data_set_free(&train);
}

/* Loads `text` and checks it gives `n` points whose x are 1, 2, ... and y are -x. */
static void check_csv_accepts(const char *name, const char *text, int n) {
    char err[512] = "";
    data_set set;
    const char *path = write_fixture(name, text, strlen(text));
    bool ok = data_csv_load(path, &set, err, sizeof(err));
    CHECK_MSG(ok, "%s: %s", name, err);
    if (!ok) {
        return;
    }
    CHECK_MSG(set.n == n, "%s: n=%d", name, set.n);
    int off = 0;
    for (int i = 0; i < set.n && set.n == n; i++) {
        off += set.x[i] != (float)(i + 1) || set.y[i] != -(float)(i + 1);
        off += set.label[i] != (float)(i % 2);
    }
    CHECK_MSG(off == 0, "%s: %d values wrong", name, off);
    data_set_free(&set);
    remove(path);
}

static void test_csv_variants(void) {
    check_csv_accepts("plain.csv", "1,-1,0\n2,-2,1\n3,-3,0\n", 3);
    check_csv_accepts("blanks.csv", "1 -1 0\n2\t-2\t1\n  3   -3 \t 0  \n", 3);
    check_csv_accepts("mixed.csv", "1, -1, 0\n2 ,-2 ,1\n3 , -3,0\n", 3);
    check_csv_accepts("comments.csv",
                      "# x,y,label\n\n1,-1,0\n   \n\t\n# another\n2,-2,1 # trailing\n"
                      "3,-3,0#tight\n",
                      3);
    check_csv_accepts("crlf.csv", "1,-1,0\r\n2,-2,1\r\n\r\n3,-3,0\r\n", 3);
    check_csv_accepts("no_final_newline.csv", "1,-1,0\n2,-2,1", 2);
    check_csv_accepts("label_forms.csv", "1,-1,0.0\n2.0,-2,1.0\n3e0,-0.3e1,0\n4,-4,1e0\n", 4);
    check_csv_accepts("bom.csv", "\xef\xbb\xbf" "1,-1,0\n", 1);
    check_csv_accepts("header.csv", "x,y,label\n1,-1,0\n2,-2,1\n", 2);
    check_csv_accepts("header_after_comment.csv", "# data\nX Y Class\n1 -1 0\n", 1);

    /* The longest line accepted: exactly 4096 characters before the newline. */
    char *text = malloc(4096 + 2);
    CHECK(text != NULL);
    if (text) {
        memset(text, ' ', 4096);
        memcpy(text, "1,-1,0", 6);
        memcpy(text + 4096, "\n", 2);
        check_csv_accepts("long_ok.csv", text, 1);
        free(text);
    }
}

/* Loads a malformed file: false, `out` untouched, and one line naming the file, the line
 * number and `what`. */
static void check_csv_rejects(const char *name, const char *text, size_t len, int line,
                              const char *what) {
    char err[512] = "";
    char where[160];
    const char *path = write_fixture(name, text, len);
    data_set out = {.n = -5};
    CHECK_MSG(!data_csv_load(path, &out, err, sizeof(err)), "%s was accepted", name);
    CHECK(out.n == -5 && out.x == NULL);
    snprintf(where, sizeof(where), "%s:%d: ", path, line);
    CHECK_MSG(strncmp(err, where, strlen(where)) == 0, "%s: want '%s...' got '%s'", name,
              where, err);
    CHECK_MSG(strstr(err, what) != NULL, "%s: want '%s' in '%s'", name, what, err);
    CHECK_MSG(strchr(err, '\n') == NULL, "%s: message has a newline", name);
    remove(path);
}

#define REJECT(name, text, line, what) check_csv_rejects(name, text, sizeof(text) - 1, line, what)

static void test_csv_errors(void) {
    REJECT("two_fields.csv", "1,2,1\n1,2\n", 2, "expected 3 fields");
    REJECT("four_fields.csv", "1,2,1,0\n", 1, "got 4 (found '1,2,1,0')");
    REJECT("one_field.csv", "# c\n\n7\n", 3, "got 1");
    REJECT("not_number.csv", "1,2,1\n# c\n1,abc,0\n", 3, "y is not a number (found 'abc')");
    REJECT("garbage.csv", "1.5x,2,1\n", 1, "x is not a number (found '1.5x')");
    REJECT("label2.csv", "\n1,2,2\n", 2, "label must be 0 or 1 (found '2')");
    REJECT("label_half.csv", "1,2,0.5\n", 1, "label must be 0 or 1");
    REJECT("label_nan.csv", "1,2,nan\n", 1, "label");
    REJECT("nan.csv", "1,2,1\r\nnan,2,1\r\n", 2, "x is not a finite number (found 'nan')");
    REJECT("inf.csv", "1,-inf,1\n", 1, "y is not a finite number");
    REJECT("huge.csv", "1e39,0,1\n", 1, "too large for a float");
    REJECT("just_over.csv", "3.4028236e38,0,1\n", 1, "too large for a float");
    REJECT("overflow.csv", "1e999,0,1\n", 1, "not a finite number");
    REJECT("empty_field.csv", "1,,1\n", 1, "empty field");
    REJECT("trailing_comma.csv", "1,2,1,\n", 1, "empty field");
    REJECT("leading_comma.csv", "1,2,1\n,1,2,1\n", 2, "empty field");
    REJECT("empty.csv", "", 1, "no data points");
    REJECT("late_header.csv", "1,2,1\nx,y,label\n", 2, "x is not a number");
    REJECT("header_only.csv", "x,y,label\n", 1, "no data points");
    REJECT("only_comments.csv", "# a\n\n# b\n", 3, "no data points");
    REJECT("nul.csv", "1,2,1\n1,\0002,1\n", 2, "NUL");

    /* A line far past the limit is reported, not overflowed. */
    size_t len = 6 + 100000;
    char *text = malloc(len + 1);
    CHECK(text != NULL);
    if (text) {
        memcpy(text, "1,2,1\n", 6);
        memset(text + 6, '7', len - 6);
        text[len] = '\0';
        check_csv_rejects("long.csv", text, len, 2, "longer than 4096 characters");
        /* One character over the limit is already too long. */
        memset(text + 6, ' ', 4097);
        memcpy(text + 6, "1,2,1", 5);
        check_csv_rejects("long_by_one.csv", text, 6 + 4097, 2, "longer than");
        free(text);
    }

    /* Missing file and a folder given as a file. */
    char err[512] = "";
    char path[160];
    data_set out = {.n = -5};
    snprintf(path, sizeof(path), "%s/missing.csv", tmp_dir);
    CHECK(!data_csv_load(path, &out, err, sizeof(err)));
    CHECK(out.n == -5);
    CHECK_MSG(strstr(err, path) && strstr(err, ": cannot open: No such file"), "%s", err);
    CHECK(!data_csv_load(tmp_dir, &out, err, sizeof(err)));
    CHECK_MSG(strstr(err, tmp_dir) != NULL, "%s", err);
    CHECK(out.n == -5);

    /* A small or absent message buffer is truncated or skipped, never overrun. */
    char tiny[8];
    memset(tiny, 'z', sizeof(tiny));
    CHECK(!data_csv_load(path, &out, tiny, 5));
    CHECK(strlen(tiny) == 4 && tiny[5] == 'z');
    CHECK(!data_csv_load(path, &out, NULL, 0));
}

int main(void) {
    if (!check_temp_dir(tmp_dir, sizeof(tmp_dir), "test-data")) {
        perror("mkdtemp");
        return 2;
    }

    test_curve_known_points();
    test_curve_against_reference();
    test_training_grid();
    test_test_grid();
    test_grid_make();
    test_csv_round_trip();
    test_csv_variants();
    test_csv_errors();

    CHECK_MSG(count_dir_entries() == 0, "fixtures left in %s", tmp_dir);
    if (rmdir(tmp_dir) != 0) {
        perror(tmp_dir);
    }
    return check_summary("test_data");
}
