// judge.cpp — load the sample-quality judge, or train and save it; which judge fits which data (run/judge.h).
#include "run/judge.h"

#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "data/batcher.h"
#include "io/checkpoint.h"
#include "io/load_any.h"
#include "run/progress.h"
#include "run/training.h"

namespace tg {

// The judge at `path` must read rows like train's, know its classes, and (when it records one) be trained on it.
static void check_judge_fits(const Classifier& c, const std::string& path, const Dataset& train, const std::string& fingerprint) {
    const int D = static_cast<const Linear&>(*c.net.layers.front()).in();
    const std::string fix = "; pass --classifier with a judge trained on this data, or a path where none is yet to train one "
                            "(the default, auto, keys the judge's path to the data)";
    if (D != train.dim())
        throw input_error("--classifier " + path + ": this judge reads rows of " + std::to_string(D) + " values, the data has " +
                          std::to_string(train.dim()) + fix);
    if (train.has_labels() && c.classes() != train.classes)
        throw input_error("--classifier " + path + ": this judge tells " + std::to_string(c.classes()) + " classes apart, the data has " +
                          std::to_string(train.classes) + fix);
    Checkpoint ck = load_checkpoint(path);
    if (!fingerprint.empty() && ck.has("data_fingerprint") && ck.get("data_fingerprint") != fingerprint)
        throw input_error("--classifier " + path + ": this judge was trained on other data (data fingerprint " + ck.get("data_fingerprint") +
                          ", this data's " + fingerprint + ")" + fix);
}

void load_or_train_classifier(Classifier& c, const std::string& path, const Dataset& train, const Dataset& test,
                              int epochs, uint64_t seed, const std::string& fingerprint) {
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
        load_classifier(c, path);
        check_judge_fits(c, path, train, fingerprint);
        printf("judge: %s (%s) from %s\n", c.arch.c_str(), "mlp_classifier", path.c_str());
        return;
    }
    if (!train.has_labels() || !test.has_labels())
        throw input_error("--classifier " + path + ": not found, and the data has no labels to train a judge with; "
                          "train one with examples/mlp_classifier and pass its model.ckpt");
    if (epochs < 1) throw input_error("--classifier " + path + ": not found; pass --epochs >= 1 to train a judge here");
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) prepare_out_dir(path.substr(0, slash));
    const int batch = 128;
    const double lr = 1e-3, p = 0.2;  // examples/mlp_classifier's defaults
    c.build({train.dim(), 256, 128, std::max(train.classes, test.classes)}, (real)p, seed);
    printf("judge: %s not found; training the classifier %s (dropout %g, Adam lr %g, batch %d) for %d epochs on %d images\n",
           path.c_str(), c.arch.c_str(), p, lr, batch, epochs, train.size());
    RunState run{"mlp_classifier", c.arch, c.net.params(), {}, {}, {&c.rng}};
    Adam opt(run.params, lr);
    run.optimizers = {&opt};
    Batcher batches(train, batch, seed);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    for (int epoch = 1; epoch <= epochs; epoch++) {
        c.net.set_training(true);
        Progress progress(epoch, epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        for (int b = 1; batches.next(xb, yb); b++) {
            tape.reset();
            Var loss = cross_entropy(c.net(tape.input(xb)), yb);
            guard_loss(loss.item(), epoch, b, path);
            opt.zero_grad();
            tape.backward(loss);
            opt.step();
            progress.step(b, loss.item(), xb.dim(0));
        }
        double test_loss, test_acc;
        evaluate_classifier(c.net, test, &test_loss, &test_acc);
        char line[160];
        snprintf(line, sizeof line, "judge epoch %d/%d  train_loss %.4f  test_accuracy %.2f%%  (%.1f s)", epoch, epochs,
                 progress.mean_loss(), 100 * test_acc, progress.seconds());
        progress.done(line);
    }
    save_run(path, run, epochs, "--epochs " + std::to_string(epochs) + " --batch 128 --lr 0.001 --hidden 256,128 --dropout 0.2 --seed " +
                                    std::to_string(seed) + " (trained by the sample-quality judge)");
    if (!fingerprint.empty()) {  // the same file again with the data it was trained on (atomic, as save_run)
        Checkpoint ck = load_checkpoint(path);
        ck.set("data_fingerprint", fingerprint);
        save_checkpoint(path, ck);
    }
    printf("judge: saved %s\n", path.c_str());
    c.net.set_training(false);
}

// ----------------------------------------------------------------------------------------------
// which judge for which data

// FNV-1a, 64 bits, over 32-bit words
static void mix(uint64_t& h, uint32_t w) { h = (h ^ w) * 1099511628211ull; }

std::string data_fingerprint(const Dataset& train, const Dataset& test) {
    uint64_t h = 14695981039346656037ull;
    for (const Dataset* d : {&train, &test}) {
        mix(h, (uint32_t)d->size());
        mix(h, (uint32_t)d->dim());
        for (size_t i = 0; i < d->x.size(); i++) {
            float v = (float)d->x[i];
            uint32_t w;
            std::memcpy(&w, &v, 4);
            mix(h, w);
        }
        for (int y : d->y) mix(h, (uint32_t)y);
    }
    char s[20];
    snprintf(s, sizeof s, "%016llx", (unsigned long long)h);
    return s;
}

std::string judge_path(const std::string& flag_value, const std::string& data_path, const std::string& fingerprint) {
    if (flag_value != "auto") return flag_value;
    const std::string dir = resolve_data_dir(data_path);
    if (is_idx_dir(dir)) return "out/classifier/model.ckpt";
    std::string name = dir;
    while (name.size() > 1 && name.back() == '/') name.pop_back();
    name = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    for (char& ch : name)
        if (!isalnum((unsigned char)ch) && ch != '-' && ch != '_') ch = '_';
    return "out/judges/" + name + "-" + fingerprint.substr(0, 8) + "/model.ckpt";
}

bool prepare_judge(SampleJudge& j, const std::string& flag_value, const std::string& data_path, const Dataset& train,
                   const Dataset& test, int epochs, uint64_t seed) {
    const std::string fp = data_fingerprint(train, test), path = judge_path(flag_value, data_path, fp);
    struct stat st;
    if ((!train.has_labels() || !test.has_labels()) && stat(path.c_str(), &st) != 0) {
        printf("judge: %s has no labels, so there is no classifier to judge the samples with: the classifier score, Frechet "
               "distance and class shares step aside (the sample pictures are still written; --classifier PATH judges with a "
               "classifier of these rows)\n", resolve_data_dir(data_path).c_str());
        return false;
    }
    load_or_train_classifier(j.net, path, train, test, epochs, seed, fp);
    j.ref = reference_quality(j.net, test);
    printf("reference: real test set score %.3f (min class share %.1f%%); Frechet distance between its halves %.3f\n",
           j.ref.test.score, 100 * j.ref.test.coverage.min_share, j.ref.halves.frechet);
    return true;
}

void check_unit_range(const Dataset& train, const Dataset& test, const std::string& program) {
    for (const Dataset* d : {&train, &test})
        for (size_t i = 0; i < d->x.size(); i++)
            if (!(d->x[i] >= 0 && d->x[i] <= 1))
                throw input_error(program + ": --data " + d->source + " has the value " + std::to_string(d->x[i]) + " in a row of its " +
                                  (d == &train ? "training" : "test") + " split; the generator makes values in [0, 1]: scale each "
                                  "column to [0, 1] first (images are; for a CSV, (x - min) / (max - min) per column)");
}

}  // namespace tg
