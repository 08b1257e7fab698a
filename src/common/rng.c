/* xoshiro256** and splitmix64, written from their published definitions. */
#define _POSIX_C_SOURCE 200809L
#include "common/rng.h"

#include <time.h>
#include <unistd.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

void rng_seed(rng_state *rng, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        rng->s[i] = splitmix64(&x);
    }
}

uint64_t rng_next(rng_state *rng) {
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(rng_state *rng) {
    return (double)(rng_next(rng) >> 11) * 0x1.0p-53;
}

float rng_symmetric(rng_state *rng, float r) {
    /* Redraw the rare values that round onto an end of the interval. */
    for (;;) {
        float v = (float)((2.0 * rng_uniform(rng) - 1.0) * r);
        if (v > -r && v < r) {
            return v;
        }
    }
}

uint64_t rng_fresh_seed(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^
                 ((uint64_t)getpid() << 32);
    /* Keep seeds short enough to read out loud and type back with --seed. */
    return splitmix64(&x) % 1000000u;
}
