// novelty.cpp — experiment 5: can reconstruction find what the model never saw? For each class c, PCA, the
// autoencoder and the VAE are fitted on the training images of the other classes; every test image is then
// scored (higher = more novel) by PCA's residual Σ (x - x̂)², the autoencoder's squared error, and the VAE's
// negative ELBO (one sample of z from a fixed seed). The AUROC of the held-out class against the rest is the
// chance that a random held-out image scores above a random seen one (0.5 = blind). Writes results.csv (a row
// per held-out class, mean and sd over seeds, verdicts against PCA) and novelty.png.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "autograd/ops.h"
#include "io/figures.h"
#include "io/plot.h"
#include "models/experiments/experiments.h"
#include "models/fit.h"
#include "models/pca.h"
#include "models/registry.h"

namespace tg {

// AUROC of score for positives (is_pos) against the rest: the Mann-Whitney U over n_pos · n_neg, ties at half
static double auroc(const std::vector<double>& score, const std::vector<bool>& is_pos) {
    std::vector<int> idx(score.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](int a, int b) { return score[a] < score[b]; });
    double rank_sum = 0, n_pos = 0;
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j < idx.size() && score[idx[j]] == score[idx[i]]) j++;
        double mid_rank = (i + 1 + j) / 2.0;  // ranks i+1..j share their mean
        for (size_t k = i; k < j; k++)
            if (is_pos[idx[k]]) rank_sum += mid_rank, n_pos++;
        i = j;
    }
    double n_neg = score.size() - n_pos;
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg);
}

// Σ_pixels (x - x̂)² per row of x (N, D) against xhat (N, D)
static std::vector<double> row_squared_error(const Tensor& x, const Tensor& xhat) {
    std::vector<double> e(x.rows(), 0);
    for (int i = 0; i < x.rows(); i++)
        for (int j = 0; j < x.cols(); j++) e[i] += (double)(x.at(i, j) - xhat.at(i, j)) * (x.at(i, j) - xhat.at(i, j));
    return e;
}

// recon + KL per image: Σ_pixels BCE(logits, x) - ½ Σ_k (1 + logvar - mu² - e^logvar), z = mu + σ ε, ε from `seed`
static std::vector<double> per_image_nelbo(VAE& vae, const Tensor& x, uint64_t seed) {
    Rng r(seed);
    Tape tape;
    std::vector<double> out;
    for (int i0 = 0; i0 < x.rows(); i0 += 1000) {
        Tensor xb = x.first_slice(i0, std::min(x.rows(), i0 + 1000));
        tape.reset();
        NoGrad ng(tape);
        Var xv = tape.input(xb);
        VAE::Encoded q = vae.encode(xv);
        Var z = q.mu + exp(q.logvar * 0.5) * tape.input(Tensor::normal(Shape{xb.rows(), vae.cfg.latent}, 0, 1, r));
        Var logits = vae.decode_logits(z);
        Var recon = sum(softplus(logits) - logits * xv, 1);                               // (B, 1) BCE with logits
        Var kl = sum(1.0 + q.logvar - q.mu * q.mu - exp(q.logvar), 1) * real(-0.5);      // (B, 1)
        const Tensor& v = (recon + kl).value();
        out.insert(out.end(), v.data.begin(), v.data.end());
    }
    return out;
}

void experiment_novelty(const ExperimentSetup& s) {
    const int C = s.train.classes;
    const std::vector<std::string> methods = {"pca_residual", "ae_error", "vae_nelbo"};
    const std::vector<std::string> names = class_names_for(s.test);
    ResultTable t({"held_out", "class", "pca_residual_auroc", "ae_error_auroc_mean", "ae_error_auroc_sd", "vae_nelbo_auroc_mean",
                   "vae_nelbo_auroc_sd", "ae_vs_pca", "vae_vs_pca"});
    std::vector<double> xs, py, ay, vy;
    for (int c = 0; c < C; c++) {
        Dataset seen = without_class(s.train, c);
        std::vector<bool> is_pos(s.test.size());
        for (int i = 0; i < s.test.size(); i++) is_pos[i] = s.test.y[i] == c;
        PCA pca;
        Rng r(1);
        pca.fit(seen, s.code, r);
        double pca_auc = auroc(row_squared_error(s.test.x, pca.decode(pca.encode(s.test.x))), is_pos);
        std::vector<double> ae_auc, vae_auc;
        for (int seed = 1; seed <= s.seeds; seed++) {
            Autoencoder ae(experiment_ae(s), (uint64_t)seed);
            fit_with_adam(ae, seen, s.epochs, 128, 1e-3, (uint64_t)seed);
            ae_auc.push_back(auroc(row_squared_error(s.test.x, ae.decode(encode_rows(ae, s.test.x))), is_pos));
            VAE vae(experiment_vae(s), (uint64_t)seed);
            fit_with_adam(vae, seen, s.epochs, 128, 1e-3, (uint64_t)seed);
            vae_auc.push_back(auroc(per_image_nelbo(vae, s.test.x, 7), is_pos));
            printf("held out %d (%s) seed %d: AUROC pca %.4f ae %.4f vae %.4f\n", c, names[c].c_str(), seed, pca_auc, ae_auc.back(),
                   vae_auc.back());
        }
        MeanSd pca_m{pca_auc, 0}, a = mean_sd(ae_auc), v = mean_sd(vae_auc);  // PCA is exact: no spread over seeds
        t.add({std::to_string(c), names[c], num(pca_auc), num(a.mean), num(a.sd), num(v.mean), num(v.sd), verdict(a, pca_m, true),
               verdict(v, pca_m, true)});
        xs.push_back(c), py.push_back(pca_auc), ay.push_back(a.mean), vy.push_back(v.mean);
    }
    t.write(s.out + "/results.csv");
    LinePlot p;
    p.title = "AUROC of the held-out class (mean of " + std::to_string(s.seeds) + " seeds; 0.5 = chance)";
    p.xlabel = "held-out class";
    p.add("PCA residual", xs, py), p.add("autoencoder error", xs, ay), p.add("VAE negative ELBO", xs, vy);
    p.add("chance", {0.0, (double)(C - 1)}, {0.5, 0.5});
    p.write(s.out + "/novelty.png");
}

}  // namespace tg
