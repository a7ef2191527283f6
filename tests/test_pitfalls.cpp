// test_pitfalls.cpp — docs/pitfalls.md, pinned: each wrong formula that circulates in tutorials for these
// models gives the number the page quotes, the right one (tapegrad's) gives its number, and an independent
// computation (numerical integration, enumeration of every state, a short training run) says which is
// right. Numbers are checked to the digits the page prints.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "autograd/ops.h"
#include "models/rbm.h"
#include "models/vae.h"
#include "nn/optim.h"

using namespace tg;

namespace {

// KL(N(mu, s²) ‖ N(0, 1)) by the trapezoid rule on [-12, 12]: the definition ∫ q log(q / p), no algebra.
double kl_by_integration(double mu, double s) {
    const double pi = 3.14159265358979323846;
    double acc = 0, h = 1e-4;
    for (double z = -12; z <= 12; z += h) {
        double log_q = -0.5 * std::log(2 * pi * s * s) - (z - mu) * (z - mu) / (2 * s * s);
        double log_p = -0.5 * std::log(2 * pi) - z * z / 2;
        acc += std::exp(log_q) * (log_q - log_p) * h;
    }
    return acc;
}

// tapegrad's KL for one latent dimension, from mu and log σ²
double kl_tapegrad(double mu, double s) {
    Tape t;
    Var m = t.input(Tensor(Shape{1, 1}, {(real)mu}));
    Var lv = t.input(Tensor(Shape{1, 1}, {(real)(2 * std::log(s))}));
    return gaussian_kl(m, lv).item();
}

double bce(double logit, double target) {
    Tape t;
    return bce_with_logits(t.input(Tensor(Shape{1, 1}, {(real)logit})), t.input(Tensor(Shape{1, 1}, {(real)target})), Reduce::Sum).item();
}

double bce_grad(double logit, double target) {  // d BCE / d logit = σ(l) − t
    Tape t;
    Var l = t.input(Tensor(Shape{1, 1}, {(real)logit}), true);
    t.backward(bce_with_logits(l, t.input(Tensor(Shape{1, 1}, {(real)target})), Reduce::Sum));
    return l.grad()[0];
}

}  // namespace

TEST_CASE("pitfall 1-2: the Gaussian KL, right and wrong, at mu = 1, sigma = 0.5", "[pitfalls]") {
    const double mu = 1, s = 0.5;
    double truth = kl_by_integration(mu, s);
    double right = 0.5 * (s * s + mu * mu - 1) - std::log(s);            // ½(σ² + μ² − 1) − log σ
    double std_as_var = 0.5 * (s + mu * mu - 1 - std::log(s));           // σ read as a variance
    double mangled = std::log(s) - s + mu * mu / (2 * s);                // log σ − σ + μ²/(2σ)
    double no_mu = 0.5 * (s * s - 1) - std::log(s);                      // μ dropped
    CHECK(truth == Approx(0.8181).margin(5e-5));
    CHECK(right == Approx(truth).margin(1e-6));
    CHECK(kl_tapegrad(mu, s) == Approx(truth).margin(1e-5));
    CHECK(std_as_var == Approx(0.5966).margin(5e-5));
    CHECK(mangled == Approx(-0.1931).margin(5e-5));  // negative: no KL is
    CHECK(no_mu == Approx(0.3181).margin(5e-5));
    CHECK(no_mu == Approx(kl_by_integration(0, s)).margin(1e-6));  // μ dropped = the KL as if μ were 0
    // and at mu = 0, s = 2 the mangled form gives log 2 − 2 = −1.307 where the KL is 0.807
    CHECK(std::log(2.0) - 2 + 0 == Approx(-1.3069).margin(5e-5));
    CHECK(kl_by_integration(0, 2) == Approx(0.8069).margin(5e-5));
    CHECK(kl_tapegrad(0, 2) == Approx(0.8069).margin(5e-5));
}

TEST_CASE("pitfall 3: a 'VAE' without the KL term is an autoencoder: its codes leave the prior", "[pitfalls]") {
    // two VAEs on the same 64 synthetic 16-pixel images, 300 Adam steps: β = 1 and β = 0 (MSE-like AE)
    Rng r(5);
    Tensor x = Tensor::uniform(Shape{64, 16}, 0, 1, r);
    for (real& v : x.data) v = v > real(0.5) ? 1 : 0;
    double kl_at[2];
    for (int k = 0; k < 2; k++) {
        VAEConfig c;
        c.input = 16; c.hidden = 32; c.latent = 2; c.beta = k == 0 ? 1 : 0;
        VAE vae(c, 3);
        Adam opt(vae.params(), 1e-2);
        Tape t;
        for (int step = 0; step < 300; step++) {
            t.reset();
            Var loss = vae.loss(t, x).objective;
            for (Param* p : vae.params()) p->zero_grad();
            t.backward(loss);
            opt.step();
        }
        Rng fixed(9);
        Tensor eps = Tensor::normal(Shape{64, 2}, 0, 1, fixed);
        t.reset();
        kl_at[k] = vae.loss(t, x, eps).kl.item();
    }
    INFO("KL per image: beta 1 " << kl_at[0] << ", beta 0 " << kl_at[1]);
    CHECK(kl_at[1] > 5 * kl_at[0]);  // without the KL, q(z|x) drifts far from N(0, I): prior samples decode to nothing seen
}

TEST_CASE("pitfall 4: BCE on targets in [-1, 1] has no minimum", "[pitfalls]") {
    // t = 0.3 in [0, 1]: the loss is smallest, with zero gradient, at l = logit(0.3)
    double l_star = std::log(0.3 / 0.7);
    CHECK(bce_grad(l_star, 0.3) == Approx(0).margin(1e-6));
    CHECK(bce(l_star, 0.3) == Approx(0.6109).margin(5e-5));  // the entropy of Bernoulli(0.3)
    // t = −1 (a black pixel scaled to [-1, 1]): the "loss" falls without end and goes negative
    CHECK(bce(-10, -1) == Approx(-9.99995).margin(1e-4));
    CHECK(bce(-20, -1) < bce(-10, -1));
    for (double l : {-20.0, -5.0, 0.0, 5.0}) CHECK(bce_grad(l, -1) >= 1.0 - 1e-6);  // σ(l) + 1: never 0
}

TEST_CASE("pitfall 5: GAN steps with the wrong loss or the wrong gradients push the wrong way", "[pitfalls]") {
    // on a fake's logit l = 0 (D undecided): D's loss BCE(l, 0) has dL/dl = +0.5 (lower l: call it fake);
    // G's loss BCE(l, 1) has dL/dl = −0.5 (raise l: make D call it real)
    CHECK(bce_grad(0, 0) == Approx(0.5));
    CHECK(bce_grad(0, 1) == Approx(-0.5));
    // a G step that minimises D's loss moves G so that D calls its fakes more fake: the sign of every G
    // gradient is flipped. A D step on G's gradients raises D's logit on fakes: D learns to be fooled.
    CHECK(bce_grad(0, 0) == Approx(-bce_grad(0, 1)));
    // one backward of L_D + L_G stepping both: on the fake's logit σ(l) + σ(l) − 1 = 2σ(l) − 1, zero at
    // D(G(z)) = ½, so both nets aim at an undecided D
    CHECK(bce_grad(0, 0) + bce_grad(0, 1) == Approx(0).margin(1e-7));
}

TEST_CASE("pitfall 6: sigmoid then log gives inf at |logit| 17 in float; BCE with logits does not", "[pitfalls]") {
    float p = 1.0f / (1.0f + std::exp(-20.0f));  // σ(20) in float
    CHECK(p == 1.0f);
    CHECK(std::isinf(-std::log(1.0f - p)));        // −log(1 − σ(20)) for t = 0: inf, and NaN gradients
    CHECK(bce(20, 0) == Approx(20.0).margin(1e-5));  // the right value, 20 + log(1 + e^-20)
    float q = 1.0f / (1.0f + std::exp(17.0f));     // σ(−17) in float is not 0
    CHECK(q == Approx(4.14e-8).epsilon(1e-2));
}

TEST_CASE("pitfall 7: the RBM conditionals, checked by enumerating every state", "[pitfalls]") {
    // D = 2 visible, H = 2 hidden (so a wrong bias or a transpose still runs). E(v, h) = −bᵀv − cᵀh − hᵀWv
    RBMConfig cfg;
    cfg.visible = 2; cfg.hidden = 2;
    RBM rbm(cfg, 1);
    rbm.W.value = Tensor(Shape{2, 2}, {1.0, -2.0, 0.5, 1.5});  // W[j][i]: hidden j, visible i
    rbm.b.value = Tensor(Shape{2}, {0.3, -0.7});
    rbm.c.value = Tensor(Shape{2}, {-0.2, 0.4});
    const double W[2][2] = {{1.0, -2.0}, {0.5, 1.5}}, b[2] = {0.3, -0.7}, c[2] = {-0.2, 0.4};
    const int v[2] = {1, 0};
    // p(h_0 = 1 | v) by enumeration: Σ_h1 e^{−E(v, (1, h1))} / Σ_h e^{−E(v, h)}
    auto neg_energy = [&](int h0, int h1) {
        int h[2] = {h0, h1};
        double e = 0;
        for (int i = 0; i < 2; i++) e += b[i] * v[i];
        for (int j = 0; j < 2; j++) e += c[j] * h[j];
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 2; i++) e += h[j] * W[j][i] * v[i];
        return e;
    };
    double num = std::exp(neg_energy(1, 0)) + std::exp(neg_energy(1, 1));
    double den = num + std::exp(neg_energy(0, 0)) + std::exp(neg_energy(0, 1));
    double truth = num / den;
    auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
    double right = sig(c[0] + W[0][0] * v[0] + W[0][1] * v[1]);    // σ(c + W v)
    double wrong_bias = sig(b[0] + W[0][0] * v[0] + W[0][1] * v[1]);  // σ(b + W v)
    double transposed = sig(c[0] + W[0][0] * v[0] + W[1][0] * v[1]);  // σ(c + Wᵀ v)
    Tensor ph;
    rbm.hidden_mean(Tensor(Shape{1, 2}, {1, 0}), ph);
    CHECK(truth == Approx(0.6900).margin(5e-5));
    CHECK(right == Approx(truth).margin(1e-9));
    CHECK(ph[0] == Approx(truth).margin(1e-6));
    CHECK(wrong_bias == Approx(0.7858).margin(5e-5));
    CHECK(transposed == Approx(0.6900).margin(5e-5));  // v = (1, 0) reads only column 0: the same here
    // with v = (0, 1) the transpose shows: σ(c0 + W[0][1]) vs σ(c0 + W[1][0])
    CHECK(sig(c[0] + W[0][1]) == Approx(0.0998).margin(5e-5));
    CHECK(sig(c[0] + W[1][0]) == Approx(0.5744).margin(5e-5));
    rbm.hidden_mean(Tensor(Shape{1, 2}, {0, 1}), ph);
    CHECK(ph[0] == Approx(0.0998).margin(5e-5));
}

TEST_CASE("pitfall 8: averaging the VAE's reconstruction over pixels is a beta of 784", "[pitfalls]") {
    Rng r(2);
    Tensor logits = Tensor::normal(Shape{4, 784}, 0, 2, r), x = Tensor::uniform(Shape{4, 784}, 0, 1, r);
    Tape t;
    Var l = t.input(logits), xv = t.input(x);
    double per_image = bce_with_logits(l, xv, Reduce::BatchMean).item();  // Σ pixels, mean over images
    double per_pixel = bce_with_logits(l, xv, Reduce::Mean).item();       // mean over pixels and images
    double summed = bce_with_logits(l, xv, Reduce::Sum).item();           // Σ over pixels and images
    CHECK(per_image == Approx(784 * per_pixel).epsilon(1e-5));
    CHECK(summed == Approx(4 * per_image).epsilon(1e-5));
    // recon_mean + KL = (recon + 784·KL) / 784: the same minimiser as a β-VAE with β = 784, and summing over
    // the batch instead of averaging only multiplies both terms by B (a learning rate change, no β change)
    const double kl = 12.5;
    CHECK(per_pixel + kl == Approx((per_image + 784 * kl) / 784).epsilon(1e-6));
}
