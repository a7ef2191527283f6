// vae_log_px.cpp — reference solution of exercise 4: importance sampling with q(z|x) as the proposal.
// For each of S samples z_s = μ + σ ε_s: log w_s = log p(x|z_s) + log N(z_s; 0, I) − log N(z_s; μ, σ²),
// then log p(x) ≈ log-sum-exp(log w) − log S, computed around the largest term so nothing overflows.
#include <algorithm>
#include <cmath>

#include "autograd/ops.h"
#include "models/vae.h"

namespace tg {

double vae_log_px(VAE& vae, const Tensor& x, int S, Rng& rng) {
    const int K = vae.cfg.latent, D = x.cols();
    Tape t;
    NoGrad ng(t);
    VAE::Encoded q = vae.encode(t.input(x));  // (1, K) each
    Tensor eps = Tensor::normal(Shape{S, K}, 0, 1, rng), z(Shape{S, K}), xs(Shape{S, D});
    std::vector<double> log_w(S, 0.0);
    for (int s = 0; s < S; s++) {
        for (int k = 0; k < K; k++) {
            double mu = q.mu.value()[k], lv = q.logvar.value()[k], e = eps.at(s, k);
            double zk = mu + std::exp(0.5 * lv) * e;
            z.at(s, k) = (real)zk;
            log_w[s] += -0.5 * zk * zk - (-0.5 * lv - 0.5 * e * e);  // log N(z; 0, 1) − log N(z; μ, σ²), 2π cancels
        }
        for (int i = 0; i < D; i++) xs.at(s, i) = x[i];
    }
    Var logits = vae.decode_logits(t.input(z));  // (S, D)
    for (int s = 0; s < S; s++)
        for (int i = 0; i < D; i++) {
            double l = logits.value().at(s, i);
            log_w[s] += x[i] * l - (std::max(l, 0.0) + std::log1p(std::exp(-std::fabs(l))));  // log p(x_i | z)
        }
    double top = *std::max_element(log_w.begin(), log_w.end()), acc = 0;
    for (double lw : log_w) acc += std::exp(lw - top);
    return top + std::log(acc / S);
}

}  // namespace tg
