// check_vae_log_px.cpp — exercise 4 (docs/exercises.md): the importance-sampled log p(x) of a VAE,
//   log p(x) ≈ log (1/S) Σ_s p(x|z_s) p(z_s) / q(z_s|x),   z_s ~ q(z|x)      (Burda et al. 2016)
// checked on a VAE with a 1-D latent, where log p(x) = log ∫ p(x|z) p(z) dz can be computed exactly
// enough by quadrature, and against the ELBO, which it must not fall below (for large S).
#include "autograd/ops.h"
#include "exercises/check.h"
#include "models/vae.h"

namespace tg {
// x: one image (1, D) in [0, 1]; S samples from q(z|x) drawn with rng. yours: exercises/vae_log_px.cpp
double vae_log_px(VAE& vae, const Tensor& x, int S, Rng& rng);
}
using namespace tg;

int main() {
    VAEConfig c;
    c.input = 6; c.hidden = 8; c.latent = 1;
    VAE vae(c, 5);
    for (Param* p : vae.params())  // a decoder with larger weights than the initialiser's, so p(x|z) depends
        if (p->name.rfind("decoder", 0) == 0)  // on z clearly; the encoder's q(z|x) stays broad, a good proposal
            for (real& w : p->value.data) w *= 3;
    Tensor x(Shape{1, 6}, {1, 0, 1, 1, 0, 0});

    // exact: log ∫ N(z; 0, 1) Π_i Bernoulli(x_i; σ(logit_i(z))) dz on [-10, 10], step 0.005 (log-sum-exp)
    const int N = 4001;
    Tensor z(Shape{N, 1});
    for (int k = 0; k < N; k++) z[k] = -10 + 20.0 * k / (N - 1);
    Tape t;
    NoGrad ng(t);
    Var logits = vae.decode_logits(t.input(z));  // (N, D)
    std::vector<double> terms(N);
    double top = -1e300;
    for (int k = 0; k < N; k++) {
        double lp = -0.5 * std::log(2 * M_PI) - 0.5 * z[k] * z[k];
        for (int i = 0; i < 6; i++) {
            double l = logits.value().at(k, i);
            lp += x[i] * l - (std::max(l, 0.0) + std::log1p(std::exp(-std::fabs(l))));  // log Bernoulli(x | σ(l))
        }
        terms[k] = lp;
        top = std::max(top, lp);
    }
    double acc = 0;
    for (double lp : terms) acc += std::exp(lp - top);
    const double exact = top + std::log(acc * 20.0 / (N - 1));

    Rng rng(1);
    double est = vae_log_px(vae, x, 20000, rng);
    ex::near("log p(x) with S = 20000, against quadrature", est, exact, 0.01);
    // the ELBO (S = 1, averaged over many draws of ε) is a lower bound, below the estimate
    double elbo = 0;
    Rng r2(2);
    for (int k = 0; k < 200; k++) {
        Tensor eps = Tensor::normal(Shape{1, 1}, 0, 1, r2);
        Tape t2;
        elbo -= vae.loss(t2, x, eps).objective.item() / 200;
    }
    ex::truth("the ELBO (" + std::to_string(elbo) + ") lies below log p(x) (" + std::to_string(exact) + ")", elbo < exact);
    printf("  log p(x): quadrature %.4f, yours (S = 20000) %.4f, ELBO %.4f nats\n", exact, est, elbo);
    return ex::verdict("exercise vae_log_px");
}
