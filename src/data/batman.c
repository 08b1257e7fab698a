/* The Batman curve of the seed article: its upper and lower boundary, the point-in-shape
 * test, and the 627-point training grid labelled by it. Everything is computed in double;
 * only the stored coordinates and labels are float. */
#include "data/data.h"

#include <assert.h>
#include <math.h>

#include "common/log.h"

/* Square root that treats a tiny negative argument as 0: the expressions under the roots
 * are exactly 0 at the ends of their pieces, and rounding can push them just below. */
static double sqrt_clamped(double v) {
    return v > 0.0 ? sqrt(v) : 0.0;
}

/* The two ellipse pieces (the wings) shared by top and bottom, 0 at |x| = 7. */
static double wing(double ax) {
    double r = ax / 7.0;
    return 3.0 * sqrt_clamped(1.0 - r * r);
}

double data_batman_top(double x) {
    double ax = fabs(x);
    if (!(ax <= 7.0)) {
        return NAN;
    }
    if (ax > 3.0) {
        return wing(ax);
    }
    if (ax > 1.0) {
        /* The shoulders: 3 - x^2 + 2|x| is 4 at |x| = 1 and 0 at |x| = 3. */
        double k = 6.0 * sqrt(10.0) / 14.0;
        return 1.5 - 0.5 * ax - k * (sqrt_clamped(3.0 - ax * ax + 2.0 * ax) - 2.0);
    }
    if (ax > 0.75) {
        return 9.0 - 8.0 * ax;
    }
    if (ax > 0.5) {
        return 3.0 * ax + 0.75;
    }
    return 2.25;
}

double data_batman_bottom(double x) {
    double ax = fabs(x);
    if (!(ax <= 7.0)) {
        return NAN;
    }
    if (ax > 4.0) {
        return -wing(ax);
    }
    /* The tail: a parabola plus two half circles centred on |x| = 1 and |x| = 3. */
    double c = (3.0 * sqrt(33.0) - 7.0) / 112.0;
    double d = fabs(ax - 2.0) - 1.0;
    return 0.5 * ax - c * x * x - 3.0 + sqrt_clamped(1.0 - d * d);
}

bool data_batman_inside(double x, double y) {
    if (!(fabs(x) <= 7.0) || isnan(y)) {
        return false;
    }
    double bottom = data_batman_bottom(x);
    double top = data_batman_top(x);
    return y >= bottom - DATA_CURVE_EPS && y <= top + DATA_CURVE_EPS;
}

bool data_batman_training(data_set *out) {
    assert(out);
    data_set set;
    if (!data_set_alloc(&set, DATA_TRAIN_N)) {
        LOG_ERROR("DATA", "cannot allocate the training set n=%d", DATA_TRAIN_N);
        return false;
    }

    /* Each coordinate from its index, not by repeated addition: all are exact in float. */
    for (int j = 0; j < DATA_TRAIN_NY; j++) {
        double y = -4.5 + 0.5 * j;
        for (int i = 0; i < DATA_TRAIN_NX; i++) {
            double x = -8.0 + 0.5 * i;
            int k = j * DATA_TRAIN_NX + i;
            set.x[k] = (float)x;
            set.y[k] = (float)y;
            set.label[k] = data_batman_inside(x, y) ? 1.0f : 0.0f;
        }
    }
    set.has_shape = true;
    *out = set;
    return true;
}
