// check_gaussian_rbm.cpp — exercise 6 (docs/exercises.md): an RBM with Gaussian visible units (unit
// variance) and binary hidden ones, E(v, h) = ½‖v − b‖² − cᵀh − hᵀWv. Write its free energy
// F(v) = −log Σ_h e^(−E(v, h)) in closed form, and the visible conditional's mean E[v | h].
// Checked against a sum over every hidden state, and against models/rbm.cpp with Units::Gaussian.
#include "exercises/check.h"
#include "models/rbm.h"

namespace tg {
// W (H, D), b (D), c (H), v (D) -> F(v).   yours: exercises/gaussian_rbm.cpp
double gaussian_free_energy(const Tensor& W, const Tensor& b, const Tensor& c, const Tensor& v);
// W (H, D), b (D), h (H) -> E[v | h] (D)
Tensor gaussian_visible_mean(const Tensor& W, const Tensor& b, const Tensor& h);
}
using namespace tg;

int main() {
    const int D = 3, H = 4;
    Rng rng(8);
    Tensor W = Tensor::normal(Shape{H, D}, 0, 0.7, rng), b = Tensor::normal(Shape{D}, 0, 1, rng),
           c = Tensor::normal(Shape{H}, 0, 1, rng), v = Tensor::normal(Shape{D}, 0, 1, rng);
    double sum = 0;  // Σ over the 2^H hidden states of e^(−E(v, h))
    for (int mask = 0; mask < (1 << H); mask++) {
        double negE = 0;
        for (int i = 0; i < D; i++) negE -= 0.5 * (v[i] - b[i]) * (v[i] - b[i]);
        for (int j = 0; j < H; j++) {
            if (!(mask >> j & 1)) continue;
            negE += c[j];
            for (int i = 0; i < D; i++) negE += W.at(j, i) * v[i];
        }
        sum += std::exp(negE);
    }
    ex::near("F(v) against the sum over all 16 hidden states", gaussian_free_energy(W, b, c, v), -std::log(sum), 1e-10);
    RBMConfig cfg;
    cfg.visible = D; cfg.hidden = H; cfg.visible_units = Units::Gaussian;
    RBM rbm(cfg, 1);
    rbm.W.value = W; rbm.b.value = b; rbm.c.value = c;
    ex::near("F(v) against models/rbm.cpp", gaussian_free_energy(W, b, c, v), rbm.free_energy(v.reshaped(Shape{1, D}))[0], 1e-10);
    Tensor h(Shape{H}, {1, 0, 1, 1});
    Tensor mine = gaussian_visible_mean(W, b, h), lib;
    rbm.visible_mean(h.reshaped(Shape{1, H}), lib);
    ex::truth("E[v | h] has D values", mine.size() == (size_t)D);
    for (int i = 0; i < D && mine.size() == (size_t)D; i++) ex::near("E[v_" + std::to_string(i) + " | h]", mine[i], lib[i], 1e-12);
    return ex::verdict("exercise gaussian_rbm");
}
