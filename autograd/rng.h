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
    static constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ull;
    static uint64_t mix(uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t next_u64() { return mix(state += kGamma); }
    // uniform in [0, 1) with 53 random bits
    double uniform() { return to_unit(next_u64()); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for our n)
    uint64_t below(uint64_t n) { return (uint64_t)(((unsigned __int128)next_u64() * n) >> 64); }
    // standard normal by Box-Muller, from two uniforms
    double normal() {
        double u1 = uniform(), u2 = uniform();
        return box_muller(u1, u2);
    }
    double normal(double mean, double std) { return mean + std * normal(); }

    // Draws by position: the k-th next_u64() from here (k = 0, 1, ...) is mix(state + (k + 1) γ), so each
    // can be computed on its own. A loop over k, serial or split over threads, gets exactly the numbers
    // that k calls would, then skip(n) moves the state past them, where n calls would have left it.
    uint64_t u64_at(uint64_t k) const { return mix(state + (k + 1) * kGamma); }
    double uniform_at(uint64_t k) const { return to_unit(u64_at(k)); }                                  // the k-th uniform()
    double normal_at(uint64_t k) const { return box_muller(uniform_at(2 * k), uniform_at(2 * k + 1)); }  // the k-th normal()
    void skip(uint64_t draws) { state += draws * kGamma; }

    static double to_unit(uint64_t x) { return (x >> 11) * 0x1.0p-53; }
    // 1 - u1 keeps log away from log(0)
    static double box_muller(double u1, double u2) { return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(6.283185307179586 * u2); }
};

}  // namespace tg
