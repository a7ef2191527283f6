// mlp_classifier.cpp — an MLP that classifies Fashion-MNIST, trained with Adam: the first real training.
// 784 → 256 → 128 → 10 with ReLU and dropout; cross-entropy on logits. Later the sample-quality tool
// uses this network (saved as a checkpoint) as its judge.
//   build/mlp_classifier [--epochs 15] [--batch 128] [--lr 1e-3] [--hidden 256,128] [--dropout 0.2] [--out out/classifier]
// Writes <out>/metrics.csv (train_loss, test_loss, test_accuracy per epoch), <out>/curves.png and
// <out>/model.ckpt every epoch; --resume <out>/model.ckpt continues where a run stopped.
#include <cmath>
#include <cstdio>

#include "data/batcher.h"
#include "run/flags.h"
#include "io/idx.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/training.h"
#include "models/classifier.h"
#include "models/sizes.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/classifier";
    f.epochs = 15;
    std::string hidden = "256,128";  // hidden layer sizes
    double dropout_p = 0.2;          // dropout after each hidden layer
    Cli cli("mlp_classifier", "Train an MLP classifier on Fashion-MNIST (or any idx set laid out the same way).");
    add_common(cli, f);
    cli.add("hidden", &hidden, "hidden layer sizes, comma-separated");
    cli.add("dropout", &dropout_p, "dropout probability after each hidden layer", 0, 0.95);
    if (!cli.parse(argc, argv)) return 0;
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";

    TrainTest data = load_train_test(f);
    const Dataset &train = data.train, &test = data.test;

    // the network: Linear-ReLU-Dropout per hidden size, then a Linear to the class logits (models/classifier.h)
    std::vector<int> sizes = hidden.empty() ? std::vector<int>() : parse_sizes(hidden, "--hidden");
    sizes.insert(sizes.begin(), train.dim());
    sizes.push_back(std::max(train.classes, test.classes));
    Classifier mlp;
    mlp.build(sizes, (real)dropout_p, (uint64_t)f.seed);  // its rng: initialisation, then dropout masks
    Sequential& net = mlp.net;
    Rng& rng = mlp.rng;
    RunState run{"mlp_classifier", mlp.arch, net.params(), {}, {}, {&rng}};
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    printf("model: %s, %zu parameters, Adam lr %g, batch %d\n", run.arch.c_str(), count_params(run.params), f.lr, f.batch);

    if (f.gradcheck) {  // a tiny batch, a fixed dropout mask (the rng is reseeded each call), 30 entries per tensor
        Dataset tiny = train.subset(4);
        uint64_t keep = rng.state;
        GradcheckResult r = gradcheck("mlp cross-entropy", [&](Tape&, const std::vector<Var>& x) {
            rng.state = 12345;
            return cross_entropy(net(x[0]), tiny.y);
        }, {tiny.x}, run.params, model_check_options());
        rng.state = keep;
        if (!print_gradcheck(r)) return 1;
    }

    MetricsLog log(f.out, {"train_loss", "test_loss", "test_accuracy"});
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch

    Batcher batches = training_batches(train, f, run);  // --distributed: this rank's shard (run/distributed.h)
    Tape tape;
    tape.detect_anomaly = f.detect_anomaly;
    Tensor xb;
    std::vector<int> yb;
    for (int epoch = start + 1; epoch <= f.epochs; epoch++) {
        Progress progress(epoch, f.epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        for (int b = 1; batches.next(xb, yb); b++) {
            tape.reset();
            Var loss = cross_entropy(net(tape.input(xb)), yb);
            guard_loss(loss.item(), epoch, b, ckpt);
            opt.zero_grad();
            tape.backward(loss);
            if (long n = xb.dim(0); gradient_sync) { double l = loss.item(); gradient_sync->reduce(opt, n, l); }  // --distributed
            opt.step();
            progress.step(b, loss.item(), xb.dim(0));
        }
        if (gradient_sync) gradient_sync->end_epoch();  // --distributed: the ranks' parameters agree (run/distributed.h)
        double test_loss, test_acc;
        evaluate_classifier(net, test, &test_loss, &test_acc);
        double secs = progress.seconds();
        log.add_named(epoch, secs, {{"train_loss", progress.mean_loss()}, {"test_loss", test_loss}, {"test_accuracy", test_acc}});
        log.plot(f.out + "/curves.png", {{"cross-entropy", {"train_loss", "test_loss"}}, {"test accuracy", {"test_accuracy"}}});
        save_run(ckpt, run, epoch, cli.values());
        char line[160];
        snprintf(line, sizeof line, "epoch %d/%d  train_loss %.4f  test_loss %.4f  test_accuracy %.2f%%  (%.1f s)", epoch,
                 f.epochs, progress.mean_loss(), test_loss, 100 * test_acc, secs);
        progress.done(line);
    }
    printf("wrote %s/metrics.csv, %s/curves.png, %s\n", f.out.c_str(), f.out.c_str(), ckpt.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
