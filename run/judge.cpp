// judge.cpp — load the sample-quality judge, or train and save it (run/judge.h).
#include "run/judge.h"

#include <sys/stat.h>

#include <cstdio>

#include "data/batcher.h"
#include "run/progress.h"
#include "run/training.h"

namespace tg {

void load_or_train_classifier(Classifier& c, const std::string& path, const Dataset& train, const Dataset& test,
                              int epochs, uint64_t seed) {
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
        load_classifier(c, path);
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
    printf("judge: saved %s\n", path.c_str());
    c.net.set_training(false);
}

}  // namespace tg
