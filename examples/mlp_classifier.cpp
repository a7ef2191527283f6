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
#include "nn/layers.h"

using namespace tg;

// The network: Linear-ReLU-Dropout for each hidden size, then a Linear to the class logits.
static std::string build_mlp(Sequential& net, int in, const std::string& hidden, int classes, real p, Rng& rng) {
    std::string arch = std::to_string(in);
    size_t pos = 0;
    int layer = 1, prev = in;
    while (pos < hidden.size()) {
        size_t comma = hidden.find(',', pos);
        std::string item = hidden.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        pos = comma == std::string::npos ? hidden.size() : comma + 1;
        int h = std::atoi(item.c_str());
        if (h <= 0) throw input_error("--hidden: '" + item + "' is not a positive layer size; write sizes like 256,128");
        std::string n = "mlp.fc" + std::to_string(layer);
        net.add<Linear>(n, prev, h, rng);
        net.add<Activation>("mlp.relu" + std::to_string(layer), Act::ReLU);
        if (p > 0) net.add<Dropout>("mlp.drop" + std::to_string(layer), p, rng);
        arch += "-" + std::to_string(h);
        prev = h;
        layer++;
    }
    net.add<Linear>("mlp.fc" + std::to_string(layer), prev, classes, rng);
    return arch + "-" + std::to_string(classes);
}

// Mean cross-entropy and accuracy over a whole set, in evaluation mode (no dropout, no graph).
static void evaluate(Sequential& net, const Dataset& d, double* loss, double* accuracy) {
    net.set_training(false);
    Batcher it(d, 1000, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    double total = 0;
    long correct = 0;
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Var logits = net(tape.input(xb));
        total += cross_entropy(logits, yb, Reduce::Sum).item();
        for (int i = 0; i < xb.dim(0); i++) {
            int best = 0;
            for (int j = 1; j < logits.shape()[1]; j++) best = logits.value().at(i, j) > logits.value().at(i, best) ? j : best;
            correct += best == yb[i];
        }
    }
    *loss = total / d.size();
    *accuracy = (double)correct / d.size();
    net.set_training(true);
}

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

    Rng rng((uint64_t)f.seed);  // initialisation, then dropout masks
    Sequential net("mlp");
    RunState run;
    run.model = "mlp_classifier";
    run.arch = build_mlp(net, train.dim(), hidden, std::max(train.classes, test.classes), (real)dropout_p, rng);
    run.params = net.params();
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    run.rngs = {&rng};
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

    int start = 0;
    MetricsLog log(f.out, {"train_loss", "test_loss", "test_accuracy"});
    if (!f.resume.empty()) {
        start = load_run(f.resume, run);
        printf("resumed from %s after epoch %d\n", f.resume.c_str(), start);
    }
    log.resume(start);

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
        evaluate(net, test, &test_loss, &test_acc);
        double secs = progress.seconds();
        log.add(epoch, secs, {progress.mean_loss(), test_loss, test_acc});
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
