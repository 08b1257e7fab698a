/* Seeded random numbers: xoshiro256** seeded through splitmix64. The same seed gives the
 * same stream on every machine, which is what makes runs reproducible. Not for security. */
#ifndef HEROLOGO_COMMON_RNG_H
#define HEROLOGO_COMMON_RNG_H

#include <stdint.h>

typedef struct rng_state {
    uint64_t s[4];
} rng_state;

void rng_seed(rng_state *rng, uint64_t seed);
uint64_t rng_next(rng_state *rng);

/* Uniform double in [0, 1) with 53 random bits. */
double rng_uniform(rng_state *rng);

/* Uniform float strictly inside (-r, r). */
float rng_symmetric(rng_state *rng, float r);

/* A fresh seed from the clock and the process, for "reseed". */
uint64_t rng_fresh_seed(void);

#endif
