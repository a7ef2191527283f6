// compression.cpp — experiment 7: how well does a VAE compress? Rate-distortion on the test set: for K in
// {2, 5, 10, 20}, PCA, the DCT (K lowest frequencies) and the autoencoder with their codes quantized to
// b ∈ {4, 8} bits per coordinate (uniform over each coordinate's training range: K·b bits per image), and
// the VAE at rate = its KL in bits (KL / ln 2, the cost of sending z with bits-back coding) — each against
// the squared error per image of its (mean) reconstruction. Beside it, the VAE's (K = s.code) importance-
// sampled log p(x) with k = 1, 10, 100, 1000 samples of q(z|x) (Burda et al. 2016; k = 1 is the ELBO) on the
// first test images. Writes results.csv, log_px.csv and compression.png.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "autograd/ops.h"
#include "io/plot.h"
#include "models/dct.h"
#include "models/experiments/experiments.h"
#include "models/fit.h"
#include "models/pca.h"
#include "models/registry.h"

namespace tg {

// codes quantized to 2^bits levels per column over [lo, hi] of the training codes, values clamped to it
static Tensor quantized(const Tensor& train_codes, const Tensor& z, int bits) {
    const int K = z.cols(), levels = (1 << bits) - 1;
    Tensor q = z;
    for (int k = 0; k < K; k++) {
        real lo = train_codes.at(0, k), hi = lo;
        for (int i = 0; i < train_codes.rows(); i++) lo = std::min(lo, train_codes.at(i, k)), hi = std::max(hi, train_codes.at(i, k));
        const double step = hi > lo ? (hi - lo) / levels : 1;
        for (int i = 0; i < z.rows(); i++) {
            double c = std::min(std::max((double)z.at(i, k), (double)lo), (double)hi);
            q.at(i, k) = (real)(lo + std::round((c - lo) / step) * step);
        }
    }
    return q;
}

static double sq_error_per_image(const Tensor& x, const Tensor& xhat) {
    double e = 0;
    for (size_t i = 0; i < x.size(); i++) e += (double)(x[i] - xhat[i]) * (x[i] - xhat[i]);
    return e / x.rows();
}

// log p(x) ≈ log (1/k) Σ_i p(x|z_i) p(z_i) / q(z_i|x), z_i ~ q(z|x), for each k in ks (the first k of
// max(ks) draws), averaged over the rows of x; nats per image
static std::vector<double> importance_log_px(VAE& vae, const Tensor& x, const std::vector<int>& ks, uint64_t seed) {
    const int K = vae.cfg.latent, S = *std::max_element(ks.begin(), ks.end());
    Rng r(seed);
    Tape tape;
    std::vector<double> total(ks.size(), 0);
    for (int n = 0; n < x.rows(); n++) {
        Tensor xn = x.first_slice(n, n + 1);  // (1, D)
        tape.reset();
        NoGrad ng(tape);
        VAE::Encoded q = vae.encode(tape.input(xn));
        const Tensor mu = q.mu.value(), logvar = q.logvar.value();  // (1, K)
        Tensor eps = Tensor::normal(Shape{S, K}, 0, 1, r), z(Shape{S, K}), xs(Shape{S, x.cols()});
        std::vector<double> logw(S, 0);
        for (int s = 0; s < S; s++) {
            std::copy(xn.ptr(), xn.ptr() + x.cols(), xs.ptr() + (size_t)s * x.cols());
            for (int k = 0; k < K; k++) {
                z.at(s, k) = mu[k] + std::exp(0.5f * logvar[k]) * eps.at(s, k);
                // log p(z) - log q(z|x) = -½ z² + ½ (ε² + logvar)   (the 2π terms cancel)
                logw[s] += -0.5 * z.at(s, k) * z.at(s, k) + 0.5 * (eps.at(s, k) * eps.at(s, k) + logvar[k]);
            }
        }
        Var logits = vae.decode_logits(tape.input(z)), xv = tape.input(xs);
        const Tensor& nll = sum(softplus(logits) - logits * xv, 1).value();  // (S, 1): -log p(x|z_s)
        for (int s = 0; s < S; s++) logw[s] -= nll[s];
        for (size_t j = 0; j < ks.size(); j++) {
            double m = *std::max_element(logw.begin(), logw.begin() + ks[j]), acc = 0;
            for (int s = 0; s < ks[j]; s++) acc += std::exp(logw[s] - m);
            total[j] += m + std::log(acc / ks[j]);
        }
    }
    for (double& t : total) t /= x.rows();
    return total;
}

void experiment_compression(const ExperimentSetup& s) {
    const std::vector<int> Ks = {2, 5, 10, 20}, bits = {4, 8}, ks = {1, 10, 100, 1000};
    const int n_is = s.quick ? 50 : 500;  // test images for the importance-sampled log p(x)
    // rate[m][K index], error[m][K index]: one value per seed
    std::vector<std::string> names;
    std::vector<std::vector<std::vector<double>>> rate, error;
    auto slot = [&](const std::string& name) {
        for (size_t m = 0; m < names.size(); m++)
            if (names[m] == name) return m;
        names.push_back(name), rate.emplace_back(Ks.size()), error.emplace_back(Ks.size());
        return names.size() - 1;
    };
    auto quantize_row = [&](const std::string& name, Reducer& r, size_t ki) {
        Tensor tz = encode_rows(r, s.train.x), z = encode_rows(r, s.test.x);
        for (int b : bits) {
            size_t m = slot(name + " " + std::to_string(b) + "-bit");
            rate[m][ki].push_back(Ks[ki] * b);
            error[m][ki].push_back(sq_error_per_image(s.test.x, r.decode(quantized(tz, z, b))));
        }
    };
    ResultTable lp({"k", "log_px_mean", "log_px_sd"});
    std::vector<std::vector<double>> logpx(ks.size());
    for (size_t ki = 0; ki < Ks.size(); ki++) {
        const int K = Ks[ki];
        PCA pca;
        DCT dct;
        Rng r(1);
        pca.fit(s.train, K, r);
        dct.fit(s.train, K, r);
        for (int seed = 1; seed <= s.seeds; seed++) {  // PCA and DCT are exact: the same at every seed
            quantize_row("PCA", pca, ki), quantize_row("DCT", dct, ki);
            AutoencoderConfig ac = experiment_ae(s);
            ac.code = K;
            Autoencoder ae(ac, (uint64_t)seed);
            fit_with_adam(ae, s.train, s.epochs, 128, 1e-3, (uint64_t)seed);
            quantize_row("AE", ae, ki);
            VAEConfig vc = experiment_vae(s);
            vc.latent = K;
            VAE vae(vc, (uint64_t)seed);
            fit_with_adam(vae, s.train, s.epochs, 128, 1e-3, (uint64_t)seed);
            VAEEval e = evaluate(vae, s.test);
            size_t m = slot("VAE KL bits");
            rate[m][ki].push_back(e.kl / std::log(2.0)), error[m][ki].push_back(e.sq_error);
            printf("K %d seed %d: VAE %.1f bits, error %.2f; AE 8-bit error %.2f\n", K, seed, e.kl / std::log(2.0), e.sq_error,
                   error[slot("AE 8-bit")][ki].back());
            if (K == s.code || (ki + 1 == Ks.size() && s.code > K)) {
                std::vector<double> l = importance_log_px(vae, s.test.x.first_slice(0, std::min(n_is, s.test.size())), ks, 100 + seed);
                for (size_t j = 0; j < ks.size(); j++) logpx[j].push_back(l[j]);
                printf("  log p(x), k = 1..1000: %.2f %.2f %.2f %.2f\n", l[0], l[1], l[2], l[3]);
            }
        }
    }
    ResultTable t({"method", "K", "bits_mean", "bits_sd", "sq_error_mean", "sq_error_sd"});
    LinePlot p;
    for (size_t m = 0; m < names.size(); m++) {
        std::vector<double> xs, ys;
        for (size_t ki = 0; ki < Ks.size(); ki++) {
            MeanSd b = mean_sd(rate[m][ki]), e = mean_sd(error[m][ki]);
            t.add({names[m], std::to_string(Ks[ki]), num(b.mean, 2), num(b.sd, 2), num(e.mean, 3), num(e.sd, 3)});
            xs.push_back(std::log2(b.mean)), ys.push_back(e.mean);
        }
        p.add(names[m], xs, ys);
    }
    t.write(s.out + "/results.csv");
    for (size_t j = 0; j < ks.size(); j++) {
        MeanSd m = mean_sd(logpx[j]);
        lp.add({std::to_string(ks[j]), num(m.mean, 3), num(m.sd, 3)});
    }
    lp.write(s.out + "/log_px.csv");
    p.title = "rate-distortion on the test set (K = 2, 5, 10, 20; mean of " + std::to_string(s.seeds) + " seeds)";
    p.xlabel = "log2 bits per image";
    p.ylabel = "squared error per image";
    p.log_y = true;
    p.write(s.out + "/compression.png");
}

}  // namespace tg
