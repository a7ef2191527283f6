// rng.h — a small, explicit, seedable random number generator (SplitMix64).
// tapegrad never uses a hidden global RNG: every function that draws takes an Rng&. The whole state is
// one 64-bit word, so it is saved in checkpoints and a resumed run draws the same numbers. We do not
// use <random>'s distributions: their output differs between standard libraries, ours does not.
#pragma once
#include <cmath>
#include <cstdint>

namespace tg {

struct Rng {
    uint64_t state;
    explicit Rng(uint64_t seed = 0) : state(seed) {}

    // SplitMix64 (Steele, Lea & Flood 2014): a Weyl sequence passed through a bijective mixer.
    uint64_t next_u64() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // uniform in [0, 1) with 53 random bits
    double uniform() { return (next_u64() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for our n)
    uint64_t below(uint64_t n) { return (uint64_t)(((unsigned __int128)next_u64() * n) >> 64); }
    // standard normal by Box-Muller; 1 - u keeps log away from log(0)
    double normal() {
        double u1 = 1.0 - uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    double normal(double mean, double std) { return mean + std * normal(); }
    bool bernoulli(double p) { return uniform() < p; }
};

}  // namespace tg
