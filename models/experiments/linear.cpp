// linear.cpp — experiment 8b: does a linear autoencoder find PCA's subspace, and what does each added
// nonlinearity buy? Part 1: an autoencoder with no activation and no bias (z = x Wₑ^T, x̂ = z W_d^T, squared
// error, Adam) on centred images, as PCA sees them, for K in {2, 10, 30}; the principal angles
// (models/subspace.h) between its decoder's columns (and its encoder's rows) and PCA's top K components, and
// its test squared error per image against PCA's. Part 2, a ladder at K = 30 and one budget: linear, a ReLU
// hidden layer in the encoder, ReLU hidden layers in both halves, then the autoencoder of models/autoencoder
// (sigmoid output, BCE). Writes results.csv (part 1), ladder.csv (part 2), angles.png and ladder.png.
// D = pixels, H = hidden units, K = code size, N = images.
#include <algorithm>
#include <cstdio>
#include <functional>

#include "autograd/ops.h"
#include "io/plot.h"
#include "models/experiments/experiments.h"
#include "models/linalg.h"
#include "models/pca.h"
#include "models/subspace.h"
#include "nn/train.h"

namespace tg {

namespace {
const int kBatch = 128, kLadderK = 30;
const double kLr = 2e-3;  // Adam's, decayed to 0 by a cosine over the run's epochs (nn/optim.h's cosine_lr)

// the ladder: each rung adds one nonlinearity to the rung above it
enum class Rung { Linear, EncoderReLU, BothReLU, SigmoidBCE };
struct RungInfo { Rung rung; const char* name; const char* adds; };
const RungInfo kRungs[] = {
    {Rung::Linear, "linear", "nothing: D-K-D, no activation, no bias"},
    {Rung::EncoderReLU, "relu_encoder", "a ReLU hidden layer in the encoder: D-H-K-D"},
    {Rung::BothReLU, "relu_both", "a ReLU hidden layer in the decoder too: D-H-K-H-D"},
    {Rung::SigmoidBCE, "sigmoid_bce", "a sigmoid output trained with BCE (models/autoencoder)"},
};

// The nets of the first three rungs: centred x in, centred x̂ out (a linear output), squared error.
struct Net {
    Sequential encoder{"encoder"}, decoder{"decoder"};
    std::vector<Param*> params() {
        std::vector<Param*> p = encoder.params(), d = decoder.params();
        p.insert(p.end(), d.begin(), d.end());
        return p;
    }
};

void build_net(Net& n, Rung r, int D, int H, int K, Rng& rng) {
    const bool linear = r == Rung::Linear;  // no bias: on centred data PCA has none either
    if (!linear) n.encoder.add<Linear>("encoder.fc1", D, H, rng), n.encoder.add<Activation>("encoder.relu1", Act::ReLU);
    n.encoder.add<Linear>("encoder.code", linear ? D : H, K, rng, Init::PyTorchDefault, !linear);
    if (r == Rung::BothReLU) n.decoder.add<Linear>("decoder.fc1", K, H, rng), n.decoder.add<Activation>("decoder.relu1", Act::ReLU);
    n.decoder.add<Linear>("decoder.out", r == Rung::BothReLU ? H : K, D, rng, Init::PyTorchDefault, !linear);
}

// `epochs` epochs of Adam (kLr, cosine decay) on loss_of(tape, xb); after_epoch(e) after each
template <class LossFn>
void train(std::vector<Param*> params, const Dataset& d, int epochs, uint64_t seed, LossFn loss_of,
           const std::function<void(int)>& after_epoch = nullptr) {
    Adam opt(params, kLr);
    Batcher batches(d, kBatch, seed);
    Tape tape;
    for (int e = 0; e < epochs; e++) {
        opt.lr = cosine_lr(kLr, e, epochs);
        batches.start_epoch(e);
        optimize_epoch("linear experiment", batches, opt, tape, [&](Tape& t, const Tensor& xb, const std::vector<int>&) { return loss_of(t, xb); },
                       nullptr);
        if (after_epoch) after_epoch(e);
    }
}

// Σ_pixels (x - net(x))² / N over the centred rows xc (N, D), in blocks without a graph
double sq_error(Net& n, const Tensor& xc) {
    double se = 0;
    Tape tape;
    for (int i = 0; i < xc.rows(); i += 1000) {
        tape.reset();
        NoGrad ng(tape);
        Var x = tape.input(xc.first_slice(i, std::min(i + 1000, xc.rows())));
        se += mse(n.decoder(n.encoder(x)), x, Reduce::Sum).item();
    }
    return se / xc.rows();
}

// PCA's top-K part of a fit with more components
PCA first_components(const PCA& full, int K) {
    PCA p = full;
    p.components = full.components.first_slice(0, K);
    p.explained_variance = full.explained_variance.first_slice(0, K);
    p.explained_variance_ratio = full.explained_variance_ratio.first_slice(0, K);
    return p;
}

double sq_error_per_image(const Tensor& x, const Tensor& xhat) {
    double e = 0;
    for (size_t i = 0; i < x.size(); i++) e += (double)(x[i] - xhat[i]) * (x[i] - xhat[i]);
    return e / x.rows();
}

double mean_of(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.size();
}
}  // namespace

void experiment_linear(const ExperimentSetup& s) {
    const std::vector<int> Ks = {2, 10, kLadderK};
    const int D = s.train.dim(), linear_epochs = 3 * s.epochs;  // part 1 runs 3x the ladder's budget: see docs/experiments.md
    PCA full;
    Rng r(1);
    full.fit(s.train, Ks.back() + 1, r);  // + 1: the eigenvalue after the K-th, for the gap
    Dataset train_c = s.train;
    train_c.x = centred(s.train.x, full.mean);
    const Tensor test_c = centred(s.test.x, full.mean);

    // ---- part 1: the linear autoencoder against PCA
    ResultTable t({"K", "epochs", "eigengap", "pca_error", "ae_error_mean", "ae_error_sd", "excess_pct_mean", "excess_pct_sd", "max_angle_deg_mean",
                   "max_angle_deg_sd", "mean_angle_deg_mean", "mean_angle_deg_sd", "encoder_max_angle_deg_mean", "encoder_max_angle_deg_sd", "bar"});
    Figure fig;
    LinePlot spectrum, trajectory;
    for (int K : Ks) {
        PCA pca = first_components(full, K);
        const double pca_error = sq_error_per_image(s.test.x, pca.decode(pca.encode(s.test.x)));
        const double gap = full.explained_variance[K - 1] - full.explained_variance[K];  // λ_K - λ_K+1
        std::vector<double> err, excess, max_angle, mean_angle, enc_angle;
        for (int seed = 1; seed <= s.seeds; seed++) {
            Rng init((uint64_t)seed);
            Net n;
            build_net(n, Rung::Linear, D, s.hidden, K, init);
            Param& W_e = static_cast<Linear&>(*n.encoder.layers[0]).weight;  // (K, D)
            Param& W_d = static_cast<Linear&>(*n.decoder.layers[0]).weight;  // (D, K): its columns span x̂
            std::vector<double> ep, traj_max, traj_mean, traj_excess;
            train(n.params(), train_c, linear_epochs, (uint64_t)seed,
                  [&](Tape& tp, const Tensor& xb) { Var x = tp.input(xb); return mse(n.decoder(n.encoder(x)), x, Reduce::BatchMean); },
                  [&](int e) {
                      if (K != kLadderK || seed != 1) return;  // the trajectory of one run
                      std::vector<double> th = principal_angles(transposed(W_d.value), pca.components);
                      ep.push_back(e + 1), traj_max.push_back(degrees(th.back())), traj_mean.push_back(degrees(mean_of(th)));
                      traj_excess.push_back(100 * (sq_error(n, test_c) / pca_error - 1));
                  });
            std::vector<double> th = principal_angles(transposed(W_d.value), pca.components);
            err.push_back(sq_error(n, test_c));
            excess.push_back(100 * (err.back() / pca_error - 1));
            max_angle.push_back(degrees(th.back())), mean_angle.push_back(degrees(mean_of(th)));
            enc_angle.push_back(degrees(principal_angles(W_e.value, pca.components).back()));
            printf("K %d seed %d: error %.4f (PCA %.4f, %+.3f%%), decoder angles: largest %.3f°, mean %.3f°; encoder largest %.2f°\n", K, seed,
                   err.back(), pca_error, excess.back(), max_angle.back(), mean_angle.back(), enc_angle.back());
            if (seed == 1) {
                std::vector<double> idx, deg;
                for (size_t i = 0; i < th.size(); i++) idx.push_back(i + 1), deg.push_back(degrees(th[i]));
                spectrum.add("K = " + std::to_string(K), idx, deg);
            }
            if (!ep.empty()) {
                trajectory.add("largest angle (deg)", ep, traj_max), trajectory.add("mean angle (deg)", ep, traj_mean);
                trajectory.add("error above PCA's (%)", ep, traj_excess);
            }
        }
        MeanSd e = mean_sd(err), x = mean_sd(excess), a = mean_sd(max_angle), m = mean_sd(mean_angle), c = mean_sd(enc_angle);
        const bool met = a.mean < 1 && x.mean < 0.5;  // the bar: largest angle < 1°, error within 0.5% of PCA's
        t.add({std::to_string(K), std::to_string(linear_epochs), num(gap, 4), num(pca_error, 4), num(e.mean, 4), num(e.sd, 4), num(x.mean, 3), num(x.sd, 3),
               num(a.mean, 3), num(a.sd, 3), num(m.mean, 3), num(m.sd, 3), num(c.mean, 2), num(c.sd, 2), met ? "met" : "missed"});
    }
    t.write(s.out + "/results.csv");
    spectrum.title = "principal angles to PCA's subspace (seed 1)";
    spectrum.xlabel = "i (angles ascending)";
    spectrum.ylabel = "angle i, degrees";
    spectrum.log_y = true;
    trajectory.title = "K = " + std::to_string(kLadderK) + ", seed 1, by epoch";
    trajectory.xlabel = "epoch";
    trajectory.log_y = true;
    fig.add(spectrum.render(), "decoder columns vs PCA, after " + std::to_string(linear_epochs) + " epochs");
    fig.add(trajectory.render(), "largest and mean angle, and the error above PCA's, by epoch");
    fig.cols = 2;
    fig.title = "experiment 8b: a linear autoencoder against PCA";
    fig.write(s.out + "/angles.png");

    // ---- part 2: the ladder at K = 30, s.epochs epochs each
    printf("the ladder: K = %d, %d epochs each, %d seeds\n", kLadderK, s.epochs, s.seeds);
    PCA pca = first_components(full, kLadderK);
    const double pca_error = sq_error_per_image(s.test.x, pca.decode(pca.encode(s.test.x)));
    std::vector<MeanSd> rung_error;
    ResultTable lt({"rung", "adds", "sq_error_mean", "sq_error_sd", "vs_previous", "vs_pca"});
    lt.add({"pca", "the baseline: exact, the same at every seed", num(pca_error, 3), num(0, 3), "-", "-"});
    LinePlot lp;
    std::vector<double> rx, lo, mid, hi;
    for (const RungInfo& ri : kRungs) {
        std::vector<double> err;
        for (int seed = 1; seed <= s.seeds; seed++) {
            if (ri.rung == Rung::SigmoidBCE) {  // raw pixels in, sigmoid(logits) out
                AutoencoderConfig c = experiment_ae(s);
                c.code = kLadderK;
                Autoencoder ae(c, (uint64_t)seed);
                train(ae.params(), s.train, s.epochs, (uint64_t)seed, [&](Tape& tp, const Tensor& xb) { return ae.loss(tp, xb, xb); });
                double loss = 0, sq = 0;
                evaluate(ae, s.test, &loss, &sq);
                err.push_back(sq);
            } else {
                Rng init((uint64_t)seed);
                Net n;
                build_net(n, ri.rung, D, s.hidden, kLadderK, init);
                train(n.params(), train_c, s.epochs, (uint64_t)seed,
                      [&](Tape& tp, const Tensor& xb) { Var x = tp.input(xb); return mse(n.decoder(n.encoder(x)), x, Reduce::BatchMean); });
                err.push_back(sq_error(n, test_c));
            }
            printf("%s seed %d: test squared error %.3f per image\n", ri.name, seed, err.back());
        }
        MeanSd e = mean_sd(err);
        lt.add({ri.name, ri.adds, num(e.mean, 3), num(e.sd, 3), rung_error.empty() ? "-" : verdict(e, rung_error.back(), false),
                verdict(e, MeanSd{pca_error, 0}, false)});
        rung_error.push_back(e);
        rx.push_back(rung_error.size()), lo.push_back(e.mean - e.sd), mid.push_back(e.mean), hi.push_back(e.mean + e.sd);
    }
    lt.write(s.out + "/ladder.csv");
    lp.add("mean - sd", rx, lo), lp.add("mean", rx, mid), lp.add("mean + sd", rx, hi);
    lp.add("PCA", {1.0, (double)rx.size()}, {pca_error, pca_error});
    lp.title = "test error by rung, K = " + std::to_string(kLadderK) + ", " + std::to_string(s.epochs) + " epochs";
    lp.xlabel = "rung: 1 linear, 2 +ReLU encoder, 3 +ReLU decoder, 4 +sigmoid/BCE";
    lp.ylabel = "test squared error per image";
    lp.write(s.out + "/ladder.png", 1100, 500);
}

}  // namespace tg
