// beta.cpp — experiment 1: what does β do? VAEs (D-H-K) trained with β ∈ {0.25, 0.5, 1, 2, 4, 8}, each at
// every seed, measured on the test set: the negative ELBO (recon + KL, at any β the bound on -log p(x)), its
// two terms, the active latent units (Var_x E[z|x] > 0.01, Burda et al. 2016) and the linear probe on the
// means. Writes results.csv (mean and sd per β, verdicts against β = 1), beta.png, and traversal_beta_B.png:
// seed 1's decoder swept along its 8 most active units (-3..3) from one test image's code.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "io/plot.h"
#include "io/png.h"
#include "models/experiments/experiments.h"
#include "models/fit.h"

namespace tg {

// Var over rows of each column of mu (N, K)
static std::vector<double> column_variances(const Tensor& mu) {
    const int N = mu.rows(), K = mu.cols();
    std::vector<double> m(K, 0), v(K, 0);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < K; k++) m[k] += mu.at(i, k) / N;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < K; k++) v[k] += (mu.at(i, k) - m[k]) * (mu.at(i, k) - m[k]) / std::max(1, N - 1);
    return v;
}

// rows: the units of largest variance; columns: z_unit = -3..3 (9 steps), the other units at x's code
static void write_traversal(const std::string& path, VAE& vae, const Tensor& z0, const std::vector<double>& var, int h, int w) {
    const int K = z0.cols(), rows = std::min(8, K), steps = 9;
    std::vector<int> order(K);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return var[a] > var[b]; });
    Tensor z(Shape{rows * steps, K});
    GridOptions g;
    g.cols = steps;
    g.scale = 2;
    for (int r = 0; r < rows; r++) {
        for (int s = 0; s < steps; s++) {
            std::copy(z0.ptr(), z0.ptr() + K, z.ptr() + (size_t)(r * steps + s) * K);
            z.at(r * steps + s, order[r]) = (real)(-3 + 6.0 * s / (steps - 1));
        }
        g.row_labels.push_back("z" + std::to_string(order[r]) + " var " + num(var[order[r]], 2));
    }
    write_image_grid(path, vae.decode(z), h, w, 1, g);
}

void experiment_beta(const ExperimentSetup& s) {
    const std::vector<double> betas = {0.25, 0.5, 1, 2, 4, 8};
    struct Seeds { std::vector<double> nelbo, recon, kl, active, probe; };
    std::vector<Seeds> res(betas.size());
    for (size_t b = 0; b < betas.size(); b++) {
        for (int seed = 1; seed <= s.seeds; seed++) {
            VAE vae(experiment_vae(s, (real)betas[b]), (uint64_t)seed);
            fit_with_adam(vae, s.train, s.epochs, 128, 1e-3, (uint64_t)seed);
            VAEEval e = evaluate(vae, s.test);
            Tensor mu = vae.encode(s.test.x);  // (N_test, K)
            std::vector<double> var = column_variances(mu);
            double active = (double)std::count_if(var.begin(), var.end(), [](double v) { return v > 0.01; });
            Readout ro = read_out(s, vae.encode(s.train.x), mu, (uint64_t)seed);
            Seeds& r = res[b];
            r.nelbo.push_back(e.nelbo), r.recon.push_back(e.recon), r.kl.push_back(e.kl);
            r.active.push_back(active), r.probe.push_back(ro.probe);
            printf("beta %g seed %d: nelbo %.2f recon %.2f kl %.2f active %g probe %.4f\n", betas[b], seed, e.nelbo, e.recon,
                   e.kl, active, ro.probe);
            if (seed == 1)
                write_traversal(s.out + "/traversal_beta_" + num(betas[b], 2) + ".png", vae, mu.first_slice(0, 1), var,
                                s.test.height, s.test.width);
        }
    }
    ResultTable t({"beta", "nelbo_mean", "nelbo_sd", "recon_mean", "recon_sd", "kl_mean", "kl_sd", "active_mean", "active_sd",
                   "probe_mean", "probe_sd", "nelbo_vs_beta1", "probe_vs_beta1"});
    const size_t one = 2;  // β = 1
    LinePlot nats, units, probe;
    std::vector<double> lb, pn, pr, pk, pa, pp;
    for (size_t b = 0; b < betas.size(); b++) {
        MeanSd n = mean_sd(res[b].nelbo), r = mean_sd(res[b].recon), k = mean_sd(res[b].kl), a = mean_sd(res[b].active),
               p = mean_sd(res[b].probe);
        t.add({num(betas[b], 2), num(n.mean, 2), num(n.sd, 2), num(r.mean, 2), num(r.sd, 2), num(k.mean, 2), num(k.sd, 2),
               num(a.mean, 2), num(a.sd, 2), num(p.mean), num(p.sd), b == one ? "-" : verdict(n, mean_sd(res[one].nelbo), false),
               b == one ? "-" : verdict(p, mean_sd(res[one].probe), true)});
        lb.push_back(std::log2(betas[b])), pn.push_back(n.mean), pr.push_back(r.mean), pk.push_back(k.mean);
        pa.push_back(a.mean), pp.push_back(p.mean);
    }
    t.write(s.out + "/results.csv");
    nats.title = "test nats per image", nats.xlabel = "log2 beta";
    nats.add("negative ELBO", lb, pn), nats.add("reconstruction", lb, pr), nats.add("KL", lb, pk);
    units.title = "active units (Var E[z|x] > 0.01)", units.xlabel = "log2 beta";
    units.add("active units of " + std::to_string(s.code), lb, pa);
    probe.title = "linear probe accuracy", probe.xlabel = "log2 beta";
    probe.add("probe", lb, pp);
    Figure f;
    f.title = "What beta does (mean of " + std::to_string(s.seeds) + " seeds)";
    f.cols = 3;
    f.add(nats.render(520, 400)), f.add(units.render(520, 400)), f.add(probe.render(520, 400));
    f.write(s.out + "/beta.png");
}

}  // namespace tg
