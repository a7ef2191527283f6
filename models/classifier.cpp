// classifier.cpp — the MLP classifier: build, load as the judge, evaluate (models/classifier.h).
#include "models/classifier.h"

#include "autograd/ops.h"
#include "data/batcher.h"
#include "io/checkpoint.h"
#include "models/sizes.h"

namespace tg {

void Classifier::build(const std::vector<int>& sizes, real dropout, uint64_t seed) {
    if (sizes.size() < 2) throw Error("classifier: needs at least an input and an output size");
    rng = Rng(seed);
    net.layers.clear();
    arch = std::to_string(sizes[0]);
    int L = (int)sizes.size() - 1;  // Linear layers
    for (int k = 1; k <= L; k++) {
        net.add<Linear>("mlp.fc" + std::to_string(k), sizes[k - 1], sizes[k], rng);
        arch += "-" + std::to_string(sizes[k]);
        if (k == L) break;
        net.add<Activation>("mlp.relu" + std::to_string(k), Act::ReLU);
        if (dropout > 0) net.add<Dropout>("mlp.drop" + std::to_string(k), dropout, rng);
    }
}

int Classifier::classes() const { return static_cast<const Linear&>(*net.layers.back()).out(); }

void load_classifier(Classifier& c, const std::string& path) {
    Checkpoint ck = load_checkpoint(path);
    if (ck.get("model") != "mlp_classifier")
        throw input_error("--classifier " + path + ": holds a '" + ck.get("model") +
                          "' model, not the judge; pass the model.ckpt written by examples/mlp_classifier");
    std::vector<int> sizes = parse_sizes(ck.get("arch"), "--classifier " + path + ": architecture");
    if (sizes.size() < 3)
        throw input_error("--classifier " + path + ": architecture " + ck.get("arch") +
                          " has no hidden layer, so no penultimate features; train the judge with examples/mlp_classifier");
    c.build(sizes, 0.2, 0);
    restore_params(ck, c.net.params());
    c.net.set_training(false);
}

void evaluate_classifier(Sequential& net, const Dataset& d, double* loss, double* accuracy) {
    const bool was_training = net.training;
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
        Var logits = net(tape.input(xb));  // (B, C)
        total += cross_entropy(logits, yb, Reduce::Sum).item();
        const Tensor& z = logits.value();
        for (int i = 0; i < z.rows(); i++) {
            int best = 0;  // the first of equal largest logits, as torch.argmax
            for (int j = 1; j < z.cols(); j++) best = z.at(i, j) > z.at(i, best) ? j : best;
            correct += best == yb[i];
        }
    }
    *loss = total / d.size();
    *accuracy = (double)correct / d.size();
    net.set_training(was_training);
}

}  // namespace tg
