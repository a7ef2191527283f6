// sparsity.cpp — experiment 3: do sparsity and weight penalties give better codes? The autoencoder (BCE, Adam)
// trained with no penalty, with an L1 activity penalty on its code (a sparse autoencoder, λ Σ_k |z_k| per
// image), with an L1 penalty on its weights (λ Σ |W|) and with an L2 penalty on its weights (λ Σ W²), biases
// never penalised. Measured on the test set: code sparsity (share of |z| < 0.01), squared error per image,
// the linear probe and the 5-NN. Writes results.csv (mean and sd, verdicts against no penalty) and
// sparsity.png (a histogram of |z| per variant, seed 1).
#include <cstdio>

#include "autograd/ops.h"
#include "io/plot.h"
#include "models/experiments/experiments.h"
#include "models/registry.h"
#include "nn/train.h"

namespace tg {

namespace {
enum class Penalty { None, L1Code, L1Weights, L2Weights };
struct Variant { std::string name; Penalty penalty; double lambda; };
}  // namespace

// the weight matrices (not the biases) of the autoencoder
static std::vector<Param*> weights_of(Autoencoder& ae) {
    std::vector<Param*> w;
    for (Param* p : ae.params())
        if (p->name.size() > 7 && p->name.compare(p->name.size() - 7, 7, ".weight") == 0) w.push_back(p);
    return w;
}

static void train_penalised(Autoencoder& ae, const Variant& v, const Dataset& train, int epochs, uint64_t seed) {
    Adam opt(ae.params(), 1e-3);
    Batcher batches(train, 128, seed);
    Tape tape;
    const std::vector<Param*> W = weights_of(ae);
    const real lambda = (real)v.lambda;
    for (int e = 0; e < epochs; e++) {
        batches.start_epoch(e);
        optimize_epoch("sparse autoencoder", batches, opt, tape, [&](Tape& t, const Tensor& xb, const std::vector<int>&) {
            Var x = t.input(xb);                                         // (B, D)
            Var z = ae.encode(x);                                        // (B, K)
            Var loss = bce_with_logits(ae.decode_logits(z), x, Reduce::BatchMean);  // nats per image
            if (v.penalty == Penalty::L1Code) loss = loss + sum(abs(z)) * (lambda / xb.rows());  // λ Σ_k |z_k| per image
            for (Param* p : W) {
                if (v.penalty == Penalty::L1Weights) loss = loss + sum(abs(t.param(*p))) * lambda;
                if (v.penalty == Penalty::L2Weights) { Var w = t.param(*p); loss = loss + sum(w * w) * lambda; }
            }
            return loss;
        }, nullptr);
    }
}

void experiment_sparsity(const ExperimentSetup& s) {
    const std::vector<Variant> variants = {{"none", Penalty::None, 0},
                                           {"l1_code", Penalty::L1Code, 0.5},
                                           {"l1_weights", Penalty::L1Weights, 1e-3},
                                           {"l2_weights", Penalty::L2Weights, 1e-2}};
    struct Seeds { std::vector<double> sparsity, error, probe, knn; };
    std::vector<Seeds> res(variants.size());
    LinePlot hist;
    for (size_t v = 0; v < variants.size(); v++)
        for (int seed = 1; seed <= s.seeds; seed++) {
            Autoencoder ae(experiment_ae(s), (uint64_t)seed);
            train_penalised(ae, variants[v], s.train, s.epochs, (uint64_t)seed);
            Tensor z = encode_rows(ae, s.test.x);  // (N_test, K)
            double small = 0;
            for (real c : z.data) small += std::fabs(c) < 0.01f;
            double loss = 0, sq = 0;
            evaluate(ae, s.test, &loss, &sq);
            Readout ro = read_out(s, encode_rows(ae, s.train.x), z, (uint64_t)seed);
            Seeds& r = res[v];
            r.sparsity.push_back(small / z.size()), r.error.push_back(sq), r.probe.push_back(ro.probe), r.knn.push_back(ro.knn);
            printf("%s seed %d: sparsity %.3f error %.2f probe %.4f 5-NN %.4f\n", variants[v].name.c_str(), seed, r.sparsity.back(), sq,
                   ro.probe, ro.knn);
            if (seed == 1) {  // share of code values with |z| in each bin of log10 |z|, from -4 to 2
                std::vector<double> bx, by;
                for (double lo = -4; lo < 2; lo += 0.25) {
                    double n = 0;
                    for (real c : z.data) n += std::log10(std::fabs(c) + 1e-12) >= lo && std::log10(std::fabs(c) + 1e-12) < lo + 0.25;
                    bx.push_back(lo + 0.125), by.push_back(n / z.size());
                }
                hist.add(variants[v].name, bx, by);
            }
        }
    ResultTable t({"variant", "lambda", "sparsity_mean", "sparsity_sd", "sq_error_mean", "sq_error_sd", "probe_mean", "probe_sd", "knn_mean",
                   "knn_sd", "error_vs_none", "probe_vs_none", "knn_vs_none"});
    for (size_t v = 0; v < variants.size(); v++) {
        MeanSd sp = mean_sd(res[v].sparsity), e = mean_sd(res[v].error), p = mean_sd(res[v].probe), k = mean_sd(res[v].knn);
        bool base = v == 0;
        t.add({variants[v].name, num(variants[v].lambda, 4), num(sp.mean), num(sp.sd), num(e.mean, 2), num(e.sd, 2), num(p.mean), num(p.sd),
               num(k.mean), num(k.sd), base ? "-" : verdict(e, mean_sd(res[0].error), false), base ? "-" : verdict(p, mean_sd(res[0].probe), true),
               base ? "-" : verdict(k, mean_sd(res[0].knn), true)});
    }
    t.write(s.out + "/results.csv");
    hist.title = "test code values: share per bin of log10 |z| (seed 1)";
    hist.xlabel = "log10 |z|  (|z| < 0.01 left of -2)";
    hist.write(s.out + "/sparsity.png");
}

}  // namespace tg
