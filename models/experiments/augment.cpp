// augment.cpp — experiment 6: do generated samples help a classifier with few labels? For each seed, 60
// labelled training images per class (600 of Fashion-MNIST's 60,000, 1%) are drawn; the MLP classifier of
// examples/mlp_classifier (D-256-128-C, ReLU, dropout 0.2, Adam 1e-3) trains on them alone, with images a
// class-conditional VAE (models/cvae.h) generates, with shifted copies (classic augmentation), and, as the
// ceiling, on every labelled image. Every variant gets the same number of gradient steps. Writes results.csv
// (test accuracy mean and sd per variant, verdicts against the 600 alone and against the shifts) and
// augment.png (the accuracies with their spread, and what each variant adds, one row per class).
#include <algorithm>
#include <cstdio>
#include <memory>

#include "autograd/ops.h"
#include "io/figures.h"
#include "io/plot.h"
#include "io/png.h"
#include "models/classifier.h"
#include "models/cvae.h"
#include "models/experiments/experiments.h"

namespace tg {

namespace {
const int kPerClass = 60;   // labelled images per class
const int kBatch = 64;      // the classifier's batch
struct Variant { std::string name, what; };
}  // namespace

// kPerClass items of each class, the first ones of a seeded shuffle of d, grouped class by class
static Dataset pick_labelled(const Dataset& d, uint64_t seed) {
    std::vector<int> order(d.size()), taken(d.classes, 0), keep;
    for (int i = 0; i < d.size(); i++) order[i] = i;
    Rng r(seed);
    for (int i = d.size() - 1; i > 0; i--) std::swap(order[i], order[r.below(i + 1)]);
    for (int i : order)
        if (taken[d.y[i]] < kPerClass) taken[d.y[i]]++, keep.push_back(i);
    for (int c = 0; c < d.classes; c++)
        if (taken[c] < kPerClass)
            throw input_error("augment: class " + std::to_string(c) + " has " + std::to_string(taken[c]) + " training images, fewer than the " +
                              std::to_string(kPerClass) + " labelled ones the experiment draws; raise --train-limit (0 = all)");
    std::stable_sort(keep.begin(), keep.end(), [&](int a, int b) { return d.y[a] < d.y[b]; });  // class by class
    return d.rows(keep);
}

// d with the images x (N, D) and labels y appended
static Dataset with_extra(const Dataset& d, const Tensor& x, const std::vector<int>& y) {
    Dataset out = d;
    out.x = Tensor(Shape{d.size() + x.rows(), d.dim()});
    std::copy(d.x.data.begin(), d.x.data.end(), out.x.data.begin());
    std::copy(x.data.begin(), x.data.end(), out.x.data.begin() + d.x.size());
    out.y.insert(out.y.end(), y.begin(), y.end());
    return out;
}

// classic augmentation: every image moved by ±1 and ±2 pixels along each axis (8 copies), zeros shifted in
static Dataset with_shifts(const Dataset& d) {
    const int H = d.height, W = d.width, D = d.dim();
    const int shifts[8][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {2, 0}, {-2, 0}, {0, 2}, {0, -2}};
    Tensor x(Shape{8 * d.size(), D});  // zeros
    std::vector<int> y;
    for (int s = 0; s < 8; s++)
        for (int i = 0; i < d.size(); i++) {
            real* dst = x.ptr() + (size_t)(s * d.size() + i) * D;
            const real* src = d.x.ptr() + (size_t)i * D;
            for (int r = 0; r < H; r++)
                for (int c = 0; c < W; c++) {
                    const int rs = r - shifts[s][0], cs = c - shifts[s][1];  // out(r, c) = in(r - dy, c - dx)
                    if (rs >= 0 && rs < H && cs >= 0 && cs < W) dst[r * W + c] = src[rs * W + cs];
                }
            y.push_back(d.y[i]);
        }
    return with_extra(d, x, y);
}

static std::unique_ptr<CVAE> train_cvae(const ExperimentSetup& s, const Dataset& d, int epochs, uint64_t seed) {
    CVAEConfig c;
    static_cast<VAEConfig&>(c) = experiment_vae(s);  // D-256-20, as every model of the tour
    c.classes = s.train.classes;
    auto v = std::make_unique<CVAE>(c, seed);
    Adam opt(v->params(), 1e-3);
    Batcher batches(d, 128, seed);
    Tape tape;
    for (int e = 0; e < epochs; e++) {
        batches.start_epoch(e);
        train_epoch(*v, batches, opt, tape);
    }
    return v;
}

// per_class images of every class from the cVAE's prior: the Bernoulli means, labels the class asked for
static Dataset generated(CVAE& v, const Dataset& like, int per_class, uint64_t seed) {
    std::vector<int> y;
    for (int c = 0; c < like.classes; c++) y.insert(y.end(), per_class, c);
    Rng r(seed);
    Dataset g = like.rows({});
    return with_extra(g, v.generate(y, r), y);
}

// the MLP classifier trained for `steps` Adam steps of kBatch images; its test accuracy
static double classifier_accuracy(const Dataset& train, const Dataset& test, int steps, uint64_t seed) {
    Classifier mlp;
    mlp.build({train.dim(), 256, 128, train.classes}, 0.2, seed);
    Adam opt(mlp.net.params(), 1e-3);
    Batcher batches(train, kBatch, seed);
    Tape tape;
    for (int epoch = 0, step = 0; step < steps; epoch++) {
        batches.start_epoch(epoch);
        for (; step < steps && batches.next(); step++) {
            tape.reset();
            Var loss = cross_entropy(mlp.net(tape.input(batches.xb)), batches.yb);  // mean over the batch
            opt.zero_grad();
            tape.backward(loss);
            opt.step();
        }
    }
    double loss, acc;
    evaluate_classifier(mlp.net, test, &loss, &acc);
    return acc;
}

void experiment_augment(const ExperimentSetup& s) {
    if (!s.train.has_labels() || s.train.classes < 2) throw input_error("augment: needs a labelled training set");
    const int C = s.train.classes, labelled = kPerClass * C;
    const int steps = s.quick ? 500 : 2000;                   // every variant: the same gradient steps
    const int small_epochs = std::max(50, 20 * s.epochs);     // the cVAE of the 600: 5 steps an epoch, 1000 steps at 10 epochs
    const std::vector<Variant> variants = {
        {"labelled_only", std::to_string(labelled) + " labelled images"},
        {"shifts", "+ 8 shifted copies of each (+-1 and +-2 px)"},
        {"cvae_all_x1", "+ " + std::to_string(labelled) + " generated by the cVAE of all labelled images"},
        {"cvae_all_x10", "+ " + std::to_string(10 * labelled) + " generated by the cVAE of all labelled images"},
        {"cvae_600_x10", "+ " + std::to_string(10 * labelled) + " generated by a cVAE of the " + std::to_string(labelled) + " only"},
        {"all_labels", "all " + std::to_string(s.train.size()) + " labelled images (the ceiling)"},
    };
    std::vector<std::vector<double>> acc(variants.size());
    Tensor shown;  // seed 1: per class, 4 labelled, 4 generated by each cVAE, 4 shifted
    for (int seed = 1; seed <= s.seeds; seed++) {
        const uint64_t sd = (uint64_t)seed;
        Dataset few = pick_labelled(s.train, 100 + sd);
        std::unique_ptr<CVAE> big = train_cvae(s, s.train, s.epochs, sd);   // sees every training label: the premise
        std::unique_ptr<CVAE> small = train_cvae(s, few, small_epochs, sd);  // sees the 600 only
        Dataset shifted = with_shifts(few), g1 = generated(*big, few, kPerClass, 200 + sd), g10 = generated(*big, few, 10 * kPerClass, 300 + sd),
                gs = generated(*small, few, 10 * kPerClass, 400 + sd);
        const std::vector<const Dataset*> sets = {&few, &shifted, nullptr, nullptr, nullptr, &s.train};
        Dataset joined[3] = {with_extra(few, g1.x, g1.y), with_extra(few, g10.x, g10.y), with_extra(few, gs.x, gs.y)};
        for (size_t v = 0; v < variants.size(); v++) {
            const Dataset& train = sets[v] ? *sets[v] : joined[v - 2];
            acc[v].push_back(classifier_accuracy(train, s.test, steps, sd));
            printf("seed %d %-14s %6d training images: test accuracy %.4f\n", seed, variants[v].name.c_str(), train.size(), acc[v].back());
        }
        if (seed == 1) {
            const int D = s.train.dim(), n = 4, per_row = 4 * n;
            shown = Tensor(Shape{C * per_row, D});
            for (int c = 0; c < C; c++)
                for (int j = 0; j < n; j++) {
                    const Dataset* src[4] = {&few, &g10, &gs, &shifted};
                    const int idx[4] = {c * kPerClass + j, c * 10 * kPerClass + j, c * 10 * kPerClass + j,
                                        labelled * (1 + 2 * j) + c * kPerClass + j};  // shifts s = 0, 2, 4, 6 of labelled item j
                    for (int k = 0; k < 4; k++) {
                        const real* p = src[k]->x.ptr() + (size_t)idx[k] * D;
                        std::copy(p, p + D, shown.ptr() + (size_t)(c * per_row + k * n + j) * D);
                    }
                }
        }
    }
    ResultTable t({"variant", "training_images", "accuracy_mean", "accuracy_sd", "vs_labelled_only", "vs_shifts", "what"});
    LinePlot p;
    const int base_n = labelled;
    const int sizes[6] = {base_n, 9 * base_n, 2 * base_n, 11 * base_n, 11 * base_n, s.train.size()};
    for (size_t v = 0; v < variants.size(); v++) {
        MeanSd m = mean_sd(acc[v]);
        t.add({variants[v].name, std::to_string(sizes[v]), num(m.mean), num(m.sd), v == 0 ? "-" : verdict(m, mean_sd(acc[0]), true),
               v == 1 ? "-" : verdict(m, mean_sd(acc[1]), true), variants[v].what});
        // one series per variant: a bar from mean - sd to mean + sd, a tick at the mean, a dot per seed
        const double x = (double)v + 1;
        std::vector<double> xs = {x, x, NAN, x - 0.25, x + 0.25}, ys = {m.mean - m.sd, m.mean + m.sd, NAN, m.mean, m.mean};
        for (double a : acc[v]) xs.push_back(NAN), ys.push_back(NAN), xs.push_back(x), ys.push_back(a);
        p.add(std::to_string(v + 1) + " " + variants[v].name, xs, ys);
    }
    t.write(s.out + "/results.csv");
    p.title = "test accuracy, " + std::to_string(s.seeds) + " seeds";
    p.xlabel = "variant (bar: mean +- sd, dots: seeds)";
    p.ylabel = "accuracy";
    GridOptions g;
    g.cols = 16;
    g.row_labels = class_names_for(s.test);
    g.row_labels.resize(C);
    Figure f;
    f.title = "Experiment 6: " + std::to_string(labelled) + " labels, plus generated or shifted images";
    f.cols = 2;
    f.add(p.render(640, 460));
    f.add(image_grid(shown, s.train.height, s.train.width, 1, g), "labelled | cVAE, all labels | cVAE, 600 | shifted");
    f.write(s.out + "/augment.png");
}

}  // namespace tg
