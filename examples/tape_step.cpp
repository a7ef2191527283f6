// tape_step.cpp — one training step of the VAE, walked node by node through the tape (docs/one-step.md
// quotes this program's output, and scripts/test-one-step.sh checks that the page still matches it).
// The VAE of examples/vae.cpp (784-400-20, seed 1) on the first 4 Fashion-MNIST training images: the
// forward pass as the tape recorded it, the backward pass in reverse with what each node adds into its
// inputs' gradients (the same loop as Tape::backward, checked against it), and Adam's first update of
// one weight, by hand beside the optimizer's.
//   build/tape_step [--data DIR] [--dump-tape tape.dot]      then: dot -Tpng tape.dot -o tape.png
#include <cmath>
#include <cstdio>
#include <sstream>

#include "autograd/tape_dot.h"
#include "io/atomic_file.h"
#include "models/vae.h"
#include "run/flags.h"
#include "run/training.h"

using namespace tg;

// "[0.1234, -0.5, 0.25, ...]": the first n values of a tensor
static std::string head(const Tensor& t, int n = 3) {
    std::string s = "[";
    char buf[32];
    for (int i = 0; i < n && i < (int)t.size(); i++) {
        snprintf(buf, sizeof buf, "%s%.4g", i ? ", " : "", (double)t[i]);
        s += buf;
    }
    return s + ((int)t.size() > n ? ", ...]" : "]");
}

static double norm(const Tensor& t) {
    double s = 0;
    for (real v : t.data) s += (double)v * v;
    return std::sqrt(s);
}

static std::string node_name(Tape& t, int id) {
    const Node& n = t[id];
    return "#" + std::to_string(id) + " " + n.op + (n.where[0] ? std::string(n.param ? " " : " in ") + n.where : "");
}

int main(int argc, char** argv) try {
    CommonFlags f;
    f.train_limit = 4;  // the batch: the first 4 training images
    std::string dump;
    Cli cli("tape_step", "One VAE training step (batch 4), printed node by node: forward, backward, one Adam update.");
    cli.add("data", &f.data, "directory of idx files (default: $TAPEGRAD_DATA, else /usr/share/datasets/fashion-mnist)");
    cli.add("seed", &f.seed, "random seed of the weights and the noise ε", 0, (int64_t)1 << 53);
    cli.add("dump-tape", &dump, "also write the step's graph, with gradient norms, as Graphviz DOT to this file");
    if (!cli.parse(argc, argv)) return 0;
    start_run(1);
    const int B = 4;
    Dataset train = load_train_test(f).train;  // (4, 784)

    VAEConfig cfg;  // examples/vae.cpp's defaults: 784-400-20, β = 1
    cfg.input = train.dim();
    VAE vae(cfg, (uint64_t)f.seed);
    std::vector<Param*> params = vae.params();
    Adam opt(params, 1e-3);
    Rng noise((uint64_t)f.seed + 1);
    Tensor eps = Tensor::normal(Shape{B, cfg.latent}, 0, 1, noise);  // ε of the reparameterization

    // ---- forward: the model records one node per op
    Tape t;
    VAE::Loss L = vae.loss(t, train.x, eps);
    printf("== forward: %d nodes, in the order the ops ran\n", t.size());
    for (int i = 0; i < t.size(); i++) {
        Node& n = t[i];
        std::string ins;
        for (int k = 0; k < n.n_in; k++) ins += (k ? ", #" : "#") + std::to_string(n.in[k]);
        char line[256];
        snprintf(line, sizeof line, "%-34s %-16s -> %-10s %s", node_name(t, i).c_str(), n.n_in ? ("(" + ins + ")").c_str() : "",
                 t.val(i).shape.str().c_str(), n.param ? "" : head(t.val(i)).c_str());
        std::string text = line;
        if (!n.param && n.saved.size()) text += "  saves " + n.saved.shape.str();
        text.erase(text.find_last_not_of(' ') + 1);  // no trailing spaces: the page quotes these lines
        printf("%s\n", text.c_str());
    }
    printf("loss = recon %.4f + kl %.4f = %.4f nats per image\n", L.recon.item(), L.kl.item(), L.objective.item());

    // ---- backward: what Tape::backward does, one node at a time, printing what each adds
    printf("\n== backward: from #%d down to #0, each node adds dy * (its local derivative) into its inputs\n", L.objective.id);
    for (Param* p : params) p->zero_grad();
    for (int i = 0; i <= L.objective.id; i++) {  // intermediate gradients start at 0
        Node& n = t[i];
        if (n.needs_grad && !n.param) { n.grad.resize(n.value.shape); n.grad.fill(0); }
    }
    t[L.objective.id].grad[0] = 1;  // dL/dL
    for (int i = L.objective.id; i >= 0; i--) {
        Node& n = t[i];
        if (!n.backward) continue;
        Tensor before[3];
        for (int k = 0; k < n.n_in; k++)
            if (Tensor* g = t.grad_of(n.in[k])) before[k] = *g;
        n.backward(t, n);
        printf("%s: dy %s\n", node_name(t, i).c_str(), head(n.grad).c_str());
        for (int k = 0; k < n.n_in; k++) {
            if (k == 1 && n.in[1] == n.in[0]) continue;  // x * x: both operands add into one gradient, shown once
            Tensor* g = t.grad_of(n.in[k]);
            if (!g) { printf("    -> %-30s (data: no gradient)\n", node_name(t, n.in[k]).c_str()); continue; }
            Tensor added = *g;
            for (size_t j = 0; j < added.size(); j++) added[j] -= before[k][j];
            printf("    -> %-30s += %s  |added| %.4g%s\n", node_name(t, n.in[k]).c_str(), head(added).c_str(), norm(added),
                   n.n_in > 1 && n.in[1] == n.in[0] ? "  (both operands)" : "");
        }
    }
    t.backward_done = true;

    // the same step through Tape::backward itself: the same gradients, to the last bit
    std::vector<Tensor> walked;
    for (Param* p : params) { walked.push_back(p->grad); p->zero_grad(); }
    Tape check;
    check.backward(vae.loss(check, train.x, eps).objective);
    double worst = 0;
    for (size_t k = 0; k < params.size(); k++)
        for (size_t j = 0; j < walked[k].size(); j++) worst = std::max(worst, (double)std::fabs(walked[k][j] - params[k]->grad[j]));
    printf("Tape::backward on the same step gives the same parameter gradients: largest difference %g\n", worst);

    // ---- Adam's first step on one weight: the first-layer weight with the largest |gradient|
    Param& W = *params[0];
    size_t j = 0;
    for (size_t i = 0; i < W.grad.size(); i++)
        if (std::fabs(W.grad[i]) > std::fabs(W.grad[j])) j = i;
    const double g = W.grad[j], w0 = W.value[j];
    const double m = (1 - opt.beta1) * g, v = (1 - opt.beta2) * g * g;        // moments start at 0
    const double m_hat = m / (1 - opt.beta1), v_hat = v / (1 - opt.beta2);     // bias correction at t = 1
    const double w1 = w0 - opt.lr * m_hat / (std::sqrt(v_hat) + opt.eps);
    printf("\n== Adam, step 1, on %s[%zu, %zu] (the largest |gradient| of the layer)\n", W.name.c_str(), j / W.value.cols(), j % W.value.cols());
    printf("g = %.6g   m = (1 - 0.9) g = %.6g   v = (1 - 0.999) g^2 = %.6g\n", g, m, v);
    printf("m_hat = m / (1 - 0.9^1) = %.6g   v_hat = v / (1 - 0.999^1) = %.6g\n", m_hat, v_hat);
    printf("w = %.6g - 0.001 * m_hat / (sqrt(v_hat) + 1e-8) = %.6g   (by hand)\n", w0, w1);
    opt.step();
    printf("w = %.6g   (after Adam::step)\n", (double)W.value[j]);

    if (!dump.empty()) {
        std::ostringstream dot;
        write_dot(check, dot, true);
        write_file_atomically(dump, dot.str(), "--dump-tape");
        printf("wrote %s (render: dot -Tpng %s -o tape.png)\n", dump.c_str(), dump.c_str());
    }
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
