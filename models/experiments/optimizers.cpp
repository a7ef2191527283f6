// optimizers.cpp — experiment 2: Adam or SGD? The autoencoder (D-H-K-H-D, BCE) trained by SGD, SGD with
// momentum 0.9, Nesterov momentum 0.9, Adam and AdamW (weight decay 1e-4), each at its own tuned learning
// rate: a grid of three, each run once (seed 1) on the training images but the last sixth, the lowest
// validation loss after the epochs wins (a diverged run loses). Then every optimizer at its rate, every seed,
// on all training images: the test loss after each epoch and the seconds it took. Writes tuning.csv,
// results.csv (per optimizer and epoch: seconds and test loss, mean and sd, the verdict against Adam) and
// optimizers.png (test loss against epochs and against seconds).
#include <chrono>
#include <cstdio>
#include <memory>

#include "io/plot.h"
#include "models/experiments/experiments.h"

namespace tg {

namespace {
struct OptimizerKind {
    std::string name;
    std::vector<double> lrs;  // the grid
    std::function<std::unique_ptr<Optimizer>(std::vector<Param*>, double lr)> make;
};
struct Curve { std::vector<double> loss, seconds; };  // after each epoch; loss inf once diverged
}  // namespace

// the autoencoder trained by `kind` at lr on train, its test loss on `eval` after each epoch
static Curve train_curve(const ExperimentSetup& s, const OptimizerKind& kind, double lr, const Dataset& train, const Dataset& eval,
                         uint64_t seed) {
    Autoencoder ae(experiment_ae(s), seed);
    std::unique_ptr<Optimizer> opt = kind.make(ae.params(), lr);
    Batcher batches(train, 128, seed);
    Tape tape;
    Curve c;
    double seconds = 0;
    bool diverged = false;
    for (int e = 0; e < s.epochs; e++) {
        if (!diverged) try {
                auto t0 = std::chrono::steady_clock::now();
                batches.start_epoch(e);
                train_epoch(ae, batches, *opt, tape);
                seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            } catch (const Error&) {  // the loss went to inf or NaN: this rate diverges
                diverged = true;
            }
        double loss = INFINITY;
        if (!diverged) evaluate(ae, eval, &loss, nullptr);
        c.loss.push_back(std::isfinite(loss) ? loss : INFINITY);
        c.seconds.push_back(seconds);
    }
    return c;
}

void experiment_optimizers(const ExperimentSetup& s) {
    const std::vector<OptimizerKind> kinds = {
        {"sgd", {1e-3, 3e-3, 1e-2}, [](std::vector<Param*> p, double lr) { return std::make_unique<SGD>(p, lr); }},
        {"momentum", {1e-4, 3e-4, 1e-3}, [](std::vector<Param*> p, double lr) { return std::make_unique<SGD>(p, lr, 0.9); }},
        {"nesterov", {1e-4, 3e-4, 1e-3}, [](std::vector<Param*> p, double lr) { return std::make_unique<SGD>(p, lr, 0.9, true); }},
        {"adam", {3e-4, 1e-3, 3e-3}, [](std::vector<Param*> p, double lr) { return std::make_unique<Adam>(p, lr); }},
        {"adamw", {3e-4, 1e-3, 3e-3}, [](std::vector<Param*> p, double lr) { return std::make_unique<AdamW>(p, lr, 0.9, 0.999, 1e-8, 1e-4); }},
    };
    // tuning: train on the first 5/6, validate on the last 1/6
    const int n_fit = s.train.size() * 5 / 6;
    Dataset fit = s.train.subset(n_fit), val = s.train;
    val.x = s.train.x.first_slice(n_fit, s.train.size());
    val.y.assign(s.train.y.begin() + n_fit, s.train.y.end());
    ResultTable tuning({"optimizer", "lr", "validation_loss", "chosen"});
    std::vector<double> best_lr(kinds.size());
    for (size_t k = 0; k < kinds.size(); k++) {
        double best = INFINITY;
        std::vector<double> losses;
        for (double lr : kinds[k].lrs) {
            losses.push_back(train_curve(s, kinds[k], lr, fit, val, 1).loss.back());
            printf("tuning %s lr %g: validation loss %.3f\n", kinds[k].name.c_str(), lr, losses.back());
            if (losses.back() < best) best = losses.back(), best_lr[k] = lr;
        }
        if (!std::isfinite(best)) best_lr[k] = kinds[k].lrs[0];  // every rate diverged: report the smallest
        for (size_t i = 0; i < losses.size(); i++)
            tuning.add({kinds[k].name, num(kinds[k].lrs[i], 4), num(losses[i], 3), kinds[k].lrs[i] == best_lr[k] ? "yes" : "no"});
    }
    tuning.write(s.out + "/tuning.csv");

    std::vector<std::vector<Curve>> runs(kinds.size());
    for (size_t k = 0; k < kinds.size(); k++)
        for (int seed = 1; seed <= s.seeds; seed++) {
            runs[k].push_back(train_curve(s, kinds[k], best_lr[k], s.train, s.test, (uint64_t)seed));
            printf("%s lr %g seed %d: test loss %.3f after %.1f s\n", kinds[k].name.c_str(), best_lr[k], seed, runs[k].back().loss.back(),
                   runs[k].back().seconds.back());
        }
    auto at = [&](size_t k, int e, bool seconds) {
        std::vector<double> v;
        for (const Curve& c : runs[k]) v.push_back(seconds ? c.seconds[e] : c.loss[e]);
        return mean_sd(v);
    };
    const size_t adam = 3;
    ResultTable t({"optimizer", "lr", "epoch", "seconds_mean", "seconds_sd", "test_loss_mean", "test_loss_sd", "loss_vs_adam"});
    LinePlot by_epoch, by_time;
    for (size_t k = 0; k < kinds.size(); k++) {
        std::vector<double> ex, sx, ly;
        for (int e = 0; e < s.epochs; e++) {
            MeanSd sec = at(k, e, true), loss = at(k, e, false);
            t.add({kinds[k].name, num(best_lr[k], 4), std::to_string(e + 1), num(sec.mean, 2), num(sec.sd, 2), num(loss.mean, 3),
                   num(loss.sd, 3), k == adam ? "-" : verdict(loss, at(adam, e, false), false)});
            ex.push_back(e + 1), sx.push_back(sec.mean), ly.push_back(std::isfinite(loss.mean) ? loss.mean : NAN);
        }
        std::string label = kinds[k].name + " lr " + num(best_lr[k], 4);
        by_epoch.add(label, ex, ly), by_time.add(label, sx, ly);
    }
    t.write(s.out + "/results.csv");
    by_epoch.title = "test loss (nats/image) by epoch", by_epoch.xlabel = "epoch";
    by_time.title = "test loss (nats/image) by training seconds", by_time.xlabel = "seconds";
    by_epoch.log_y = by_time.log_y = true;
    Figure f;
    f.title = "The autoencoder's optimizers at their tuned rates (mean of " + std::to_string(s.seeds) + " seeds)";
    f.cols = 2;
    f.add(by_epoch.render(560, 400)), f.add(by_time.render(560, 400));
    f.write(s.out + "/optimizers.png");
}

}  // namespace tg
