// vmath.h — exp, log(1 + u) and tanh written as plain arithmetic, so that a loop calling them vectorizes,
// and a sum in 8 lanes.
// glibc's expf/log1pf are opaque calls, one element at a time (without -ffast-math, which we refuse):
// in a VAE step they took 15% of the time, more than every other elementwise op together.
// Both are the textbook method: reduce the argument to a small interval, then a short series.
// Accuracy: within a few float ulps of std::exp / std::log1p (tests/test_vmath.cpp checks the error over
// the whole range). The double build uses std:: itself, so gradient checks keep exact math.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#include <cstddef>

#include "autograd/tensor.h"

namespace tg {

#ifdef TAPEGRAD_DOUBLE
inline real vexp(real x) { return std::exp(x); }
inline real vlog1p(real u) { return std::log1p(u); }
inline real vtanh(real x) { return std::tanh(x); }
#else

// e^x = 2^n · e^r with n = round(x / ln 2) and r = x - n ln 2 in [-ln2/2, ln2/2]; e^r by its Taylor series
// to r^7 (the first term left out, r^8/8! < 4e-9, is below float's resolution); 2^n by writing n into the
// exponent bits. Below ln(1.2e-38) = -87.34 (float's smallest normal) the result is 0; above ln(3.4e38) = 88.72, inf.
inline float vexp(float x) {
    const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;  // ln 2 = hi + lo, hi exact in 10 bits
    float xc = x < -87.33654f ? -87.33654f : x > 88.72283f ? 88.72283f : x;
    const float round = 12582912.f;                                // 1.5·2^23: adding it rounds to an integer
    float n = (xc * 1.44269504f + round) - round;                  // round(x / ln 2)
    float r = (xc - n * ln2_hi) - n * ln2_lo;                     // two steps: n ln2 exactly enough
    float p = 1.f / 5040;                                          // Horner: 1 + r + r²/2! + ... + r⁷/7!
    p = p * r + 1.f / 720;
    p = p * r + 1.f / 120;
    p = p * r + 1.f / 24;
    p = p * r + 1.f / 6;
    p = p * r + 0.5f;
    p = p * r + 1.f;
    p = p * r + 1.f;
    float n1 = n > 127 ? 127.f : n;                                // 2^128 is not a float: 2^127 · 2
    n1 = n1 == n1 ? n1 : 0.f;                                      // x NaN: any exponent (p is NaN), not a NaN cast to int
    int32_t bits = ((int32_t)n1 + 127) << 23;                      // the float 2^n1
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    float y = p * scale;
    y = n > 127 ? y * 2.f : y;
    y = x < -87.33654f ? 0.f : y;
    y = x > 88.72283f ? INFINITY : y;
    return y;
}

// ln(1 + u) for u in [0, 1] — the range the stable softplus and BCE need, u = e^-|z|. With t = u / (2 + u)
// (no cancellation, t in [0, 1/3]): ln(1 + u) = ln((1 + t) / (1 - t)) = 2 atanh(t) = 2 (t + t³/3 + t⁵/5 + ...);
// seven terms, since t² <= 1/9 leaves the eighth below 2e-8 relative.
inline float vlog1p(float u) {
    float t = u / (2.f + u), t2 = t * t;
    float p = 1.f / 13;
    p = p * t2 + 1.f / 11;
    p = p * t2 + 1.f / 9;
    p = p * t2 + 1.f / 7;
    p = p * t2 + 1.f / 5;
    p = p * t2 + 1.f / 3;
    p = p * t2 + 1.f;
    return 2.f * t * p;
}

// tanh(x) = sign(x) (1 - e) / (1 + e) with e = e^-2|x|. Near 0 that difference cancels, so there the
// odd series x - x³/3 + 2x⁵/15 - 17x⁷/315 (the next term, 62x⁹/2835, is below 1e-9 for |x| < 1/8).
inline float vtanh(float x) {
    float a = std::fabs(x), e = vexp(-2 * a);
    float big = (1 - e) / (1 + e);
    float x2 = x * x;
    float small = a * (1 + x2 * (-1.f / 3 + x2 * (2.f / 15 + x2 * (-17.f / 315))));
    float y = a < 0.125f ? small : big;
    return x < 0 ? -y : y;
}
#endif

// σ(x) = 1 / (1 + e^-x), from e = e^-|x| so nothing overflows: σ = 1/(1+e) for x >= 0, e/(1+e) for x < 0.
inline real vsigmoid(real x) {
    real e = vexp(-std::fabs(x));
    real s = 1 / (1 + e);
    return x >= 0 ? s : e * s;
}

// ln(1 + e^x), stable: max(x, 0) + ln(1 + e^-|x|).
inline real vsoftplus(real x) { return (x > 0 ? x : 0) + vlog1p(vexp(-std::fabs(x))); }

// Σ x[i] in double, in 8 interleaved partial sums: independent additions the CPU overlaps (one running
// sum waits on itself at every step), in a fixed order, so the result is the same on every run.
inline double sum_double(const real* x, size_t n) {
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) lane[k] += x[i + k];
    for (; i < n; i++) lane[i % 8] += x[i];
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

}  // namespace tg
