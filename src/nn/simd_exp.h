/* Constants of the vector sigmoid shared by every SIMD kernel file: the input clamp, the
 * range reduction of exp and its polynomial. Each ISA writes its own intrinsics around them;
 * the scalar reference uses the C library instead. */
#ifndef HEROLOGO_NN_SIMD_EXP_H
#define HEROLOGO_NN_SIMD_EXP_H

/* Sigmoid inputs are clamped to +-NN_SIG_CLAMP: e^87 < FLT_MAX and e^-87 > FLT_MIN, so exp and
 * 2^n stay finite and normal, and the sigmoid out there is 0 or 1 to float precision. */
#define NN_SIG_CLAMP 87.0f
#define NN_LOG2E 1.44269502f
/* ln2 split in two (Cody-Waite): NN_LN2_HI has its low 9 mantissa bits zero, so n * NN_LN2_HI is
 * exact for every |n| <= 126 met here, and NN_LN2_LO = ln2 - NN_LN2_HI. */
#define NN_LN2_HI 0.693145751953125f
#define NN_LN2_LO 1.42860677e-6f
/* 1.5 * 2^23 + 127: added to a float of magnitude < 2^22 it rounds it to an integer n and
 * leaves n + 127 (the biased exponent of 2^n) in the low mantissa bits. */
#define NN_EXP_SHIFTER 12583039.0f
/* exp(r) on [-ln2/2, ln2/2], degree-5 minimax for relative error (Remez exchange): 7.5e-8
 * with exact coefficients, 1.35e-7 once rounded to float. */
#define NN_EXP_C0 1.000000119e+00f
#define NN_EXP_C1 9.999997020e-01f
#define NN_EXP_C2 4.999889433e-01f
#define NN_EXP_C3 1.666757464e-01f
#define NN_EXP_C4 4.191538319e-02f
#define NN_EXP_C5 8.297654800e-03f

#endif
