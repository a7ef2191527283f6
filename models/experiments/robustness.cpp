// robustness.cpp — experiment 4: are deep codes more robust to noise? PCA, the autoencoder, the denoising
// autoencoder (trained on Gaussian noise σ = 0.2, reconstructing the clean image) and the VAE (its means),
// all with K-dimensional codes, fitted on clean training images. The linear probe and the 5-NN learn from the
// clean training codes and are tested on the codes of corrupted test images: Gaussian noise σ ∈ {0, 0.1,
// 0.2, 0.4} (clipped to [0, 1]) and 25% / 50% of the pixels masked to 0. Writes results.csv (mean and sd per
// method and condition, verdicts against PCA under the same condition) and robustness.png.
#include <cstdio>
#include <memory>

#include "io/plot.h"
#include "models/experiments/experiments.h"
#include "models/fit.h"
#include "models/pca.h"
#include "models/registry.h"

namespace tg {

namespace {
struct Condition { std::string name; Noise kind; real level; };
struct Method { std::string name; std::function<std::unique_ptr<Reducer>(uint64_t seed)> fit; };
}  // namespace

void experiment_robustness(const ExperimentSetup& s) {
    const std::vector<Condition> conds = {{"clean", Noise::None, 0},         {"gauss_0.1", Noise::Gaussian, 0.1f},
                                          {"gauss_0.2", Noise::Gaussian, 0.2f}, {"gauss_0.4", Noise::Gaussian, 0.4f},
                                          {"mask_0.25", Noise::Mask, 0.25f},    {"mask_0.5", Noise::Mask, 0.5f}};
    const std::vector<Method> methods = {
        {"pca", [&](uint64_t seed) { auto p = std::make_unique<PCA>(); Rng r(seed); p->fit(s.train, s.code, r); return std::unique_ptr<Reducer>(std::move(p)); }},
        {"ae", [&](uint64_t seed) {
             auto a = std::make_unique<Autoencoder>(experiment_ae(s), seed);
             fit_with_adam(*a, s.train, s.epochs, 128, 1e-3, seed);
             return std::unique_ptr<Reducer>(std::move(a)); }},
        {"denoising_ae", [&](uint64_t seed) {
             auto a = std::make_unique<Autoencoder>(experiment_ae(s, Noise::Gaussian, 0.2f), seed);
             fit_with_adam(*a, s.train, s.epochs, 128, 1e-3, seed);
             return std::unique_ptr<Reducer>(std::move(a)); }},
        {"vae", [&](uint64_t seed) {
             auto v = std::make_unique<VAE>(experiment_vae(s), seed);
             fit_with_adam(*v, s.train, s.epochs, 128, 1e-3, seed);
             return std::unique_ptr<Reducer>(std::move(v)); }},
    };
    std::vector<Tensor> noisy;  // the test images under each condition, the same for every method and seed
    for (size_t c = 0; c < conds.size(); c++) noisy.push_back(corrupted(s.test.x, conds[c].kind, conds[c].level, 100 + c));
    // probe[m][c], knn[m][c]: one value per seed
    std::vector<std::vector<std::vector<double>>> probe(methods.size(), std::vector<std::vector<double>>(conds.size())), knn = probe;
    for (size_t m = 0; m < methods.size(); m++)
        for (int seed = 1; seed <= s.seeds; seed++) {
            std::unique_ptr<Reducer> r = methods[m].fit((uint64_t)seed);
            Tensor train_codes = encode_rows(*r, s.train.x);
            for (size_t c = 0; c < conds.size(); c++) {
                Readout ro = read_out(s, train_codes, encode_rows(*r, noisy[c]), (uint64_t)seed);
                probe[m][c].push_back(ro.probe), knn[m][c].push_back(ro.knn);
                printf("%s seed %d %s: probe %.4f 5-NN %.4f\n", methods[m].name.c_str(), seed, conds[c].name.c_str(), ro.probe, ro.knn);
            }
        }
    ResultTable t({"method", "condition", "probe_mean", "probe_sd", "knn_mean", "knn_sd", "probe_vs_pca", "knn_vs_pca"});
    LinePlot gp, mp, gk, mk;
    for (size_t m = 0; m < methods.size(); m++) {
        std::vector<double> gx, gpy, gky, mx, mpy, mky;
        for (size_t c = 0; c < conds.size(); c++) {
            MeanSd p = mean_sd(probe[m][c]), k = mean_sd(knn[m][c]);
            t.add({methods[m].name, conds[c].name, num(p.mean), num(p.sd), num(k.mean), num(k.sd),
                   m == 0 ? "-" : verdict(p, mean_sd(probe[0][c]), true), m == 0 ? "-" : verdict(k, mean_sd(knn[0][c]), true)});
            if (conds[c].kind != Noise::Mask) gx.push_back(conds[c].level), gpy.push_back(p.mean), gky.push_back(k.mean);
            if (conds[c].kind != Noise::Gaussian) mx.push_back(conds[c].level), mpy.push_back(p.mean), mky.push_back(k.mean);
        }
        gp.add(methods[m].name, gx, gpy), gk.add(methods[m].name, gx, gky), mp.add(methods[m].name, mx, mpy), mk.add(methods[m].name, mx, mky);
    }
    t.write(s.out + "/results.csv");
    gp.title = "linear probe, Gaussian noise", gp.xlabel = "sigma";
    mp.title = "linear probe, masking", mp.xlabel = "share of pixels masked";
    gk.title = "5-NN, Gaussian noise", gk.xlabel = "sigma";
    mk.title = "5-NN, masking", mk.xlabel = "share of pixels masked";
    Figure f;
    f.title = "Test accuracy on corrupted inputs (K = " + std::to_string(s.code) + ", mean of " + std::to_string(s.seeds) + " seeds)";
    f.cols = 2;
    f.add(gp.render(520, 380)), f.add(mp.render(520, 380)), f.add(gk.render(520, 380)), f.add(mk.render(520, 380));
    f.write(s.out + "/robustness.png");
}

}  // namespace tg
