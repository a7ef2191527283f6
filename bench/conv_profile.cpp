// conv_profile.cpp — bench: where a training step of the two conv rows of `make bench` goes (the CNN
// classifier of models/cnn.h, the conv autoencoder of models/conv_autoencoder.h, as tg_cnn / tg_cae train
// them): each layer's forward, the loss, zero_grad, each node's backward (Tape::backward's loop written out
// here with a clock read around every node) and Adam's step, in microseconds per step, and of each the part
// spent inside gemm(); the rest of a convolution is its im2col / col2im and bias loops. Averaged over every
// full batch after the first epoch (docs/performance.md, "The conv rows"). Times are CPU time of the
// process (every thread's, CLOCK_PROCESS_CPUTIME_ID), not wall-clock: on a shared machine a process that is
// waiting for a core is not charged, so the shares hold under load (caches shared with other work still
// slow everything a little). At 1 thread that is the step's time; at N > 1 it is the sum over threads,
// idle workers' spinning included.
//   conv_profile [--epochs 2] [--batches 40] [--threads 1] [--data DIR]
#include <time.h>

#include <map>
#include <mutex>

#include "autograd/ops.h"
#include "bench/tg_common.h"
#include "models/cnn.h"
#include "models/conv_autoencoder.h"

using namespace tg;

namespace {

double cpu_now() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

// The process's CPU seconds while at least one gemm() runs (installed in place of gemm_probe.h's timer).
struct CpuGemmTimer : GemmProbe {
    std::mutex mu;
    int active = 0;
    double seconds = 0, t0 = 0;
    void before(bool, bool, int, int, int, real, const real*, int, const real*, int, real, const real*, int) override {
        std::lock_guard<std::mutex> lock(mu);
        if (active++ == 0) t0 = cpu_now();
    }
    void after() override {
        std::lock_guard<std::mutex> lock(mu);
        if (--active == 0) seconds += cpu_now() - t0;
    }
};
CpuGemmTimer cpu_gemm_timer;

// CPU seconds per entry, in the order entries first appear, and of them the seconds inside gemm().
struct Profile {
    std::vector<std::string> names;
    std::map<std::string, size_t> index;
    std::vector<double> total, gemm;
    double t0 = 0, g0 = 0;
    bool on = false;  // false in the warm-up epoch

    static double gemm_now() { return cpu_gemm_timer.seconds; }
    void start() { t0 = cpu_now(), g0 = gemm_now(); }
    void stop(const std::string& name) {  // charges the time since start() to `name`, then starts again
        double t = cpu_now(), g = gemm_now();
        auto it = index.find(name);
        if (it == index.end()) {
            it = index.emplace(name, names.size()).first;
            names.push_back(name), total.push_back(0), gemm.push_back(0);
        }
        if (on) total[it->second] += t - t0, gemm[it->second] += g - g0;
        t0 = t, g0 = g;
    }
};

// Tape::backward (autograd/tape.cpp) with every node's backward timed apart, charged to "backward <op>
// (<where>)"; the gradients' zeroing to one entry.
void profiled_backward(Tape& tape, Var loss, Profile& prof) {
    for (int i = 0; i <= loss.id; i++) {
        Node& n = tape.nodes[(size_t)i];
        if (n.needs_grad && !n.param) {
            n.grad.resize(n.value.shape);
            n.grad.fill(0);
        }
    }
    tape.nodes[(size_t)loss.id].grad.data[0] = 1;
    prof.stop("backward: zero the gradients");
    for (int i = loss.id; i >= 0; i--) {
        Node& n = tape.nodes[(size_t)i];
        if (!n.backward) continue;
        n.backward(tape, n);
        prof.stop(std::string("backward ") + n.op + " (" + n.where + ")");
    }
    tape.backward_done = true;
}

// One model's steps: forward layer by layer (each charged to "forward <layer name>"), the loss, zero_grad,
// backward node by node, Adam's step.
template <class Layers, class LossOf>
void profile(const char* title, const tgbench::Flags& f, Dataset& train, std::vector<Param*> params, Layers layers, LossOf loss_of) {
    const int kBatch = 128;
    Adam opt(params, 1e-3);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tape tape;
    Profile prof;
    long steps = 0;
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        prof.on = epoch > 1;
        batches.start_epoch(epoch);
        for (;;) {
            prof.start();
            if (!batches.next()) break;
            if (batches.xb.dim(0) != kBatch) continue;  // the ragged last batch: not profiled
            prof.stop("batch gather");
            tape.reset();
            Var x = tape.input(batches.xb);
            prof.stop("input copy");
            Var h = x;
            for (Module* m : layers) {
                h = m->forward(h);
                prof.stop("forward " + m->name);
            }
            Var loss = loss_of(h, x, batches.yb);
            volatile double l = loss.item();
            (void)l;
            prof.stop("loss");
            opt.zero_grad();
            prof.stop("zero_grad");
            profiled_backward(tape, loss, prof);
            opt.step();
            prof.stop("adam step");
            if (prof.on) steps++;
        }
    }
    double sum = 0, gsum = 0;
    printf("%s, batch %d, %d thread(s), OpenBLAS kernels %s: CPU microseconds per step over %ld steps (all / in gemm / rest)\n", title, kBatch,
           f.threads, openblas_get_corename(), steps);
    for (size_t k = 0; k < prof.names.size(); k++) {
        printf("  %-48s %9.1f %9.1f %9.1f\n", prof.names[k].c_str(), prof.total[k] / steps * 1e6, prof.gemm[k] / steps * 1e6,
               (prof.total[k] - prof.gemm[k]) / steps * 1e6);
        sum += prof.total[k], gsum += prof.gemm[k];
    }
    const double per_epoch = 60000.0 / kBatch;
    printf("  %-48s %9.1f %9.1f %9.1f   (x %.2f steps = %.2f CPU s per whole epoch, %.0f%% in gemm)\n\n", "total", sum / steps * 1e6,
           gsum / steps * 1e6, (sum - gsum) / steps * 1e6, per_epoch, sum / steps * per_epoch, 100 * gsum / sum);
    fflush(stdout);
}

template <class Seq>
std::vector<Module*> layers_of(std::initializer_list<Seq*> seqs) {
    std::vector<Module*> out;
    for (Seq* s : seqs)
        for (auto& m : s->layers) out.push_back(m.get());
    return out;
}

}  // namespace

int main(int argc, char** argv) try {
    tgbench::Flags f;
    f.epochs = 2, f.batches = 40;
    if (!tgbench::parse_flags(argc, argv, "conv_profile", "Bench: a CNN and a conv autoencoder training step's time, layer by layer and node by node.", f))
        return 0;
    if (f.epochs < 2) throw input_error("--epochs: at least 2 (the first is warm-up), got " + std::to_string(f.epochs));
    Dataset train = tgbench::load_train(f, 128);
    gemm_probe = &cpu_gemm_timer;

    CNN cnn(CNNConfig{}, (uint64_t)f.seed);
    profile("CNN classifier 1x28x28-c32-c64-128-10", f, train, cnn.params(), layers_of({&cnn.net}),
            [](Var logits, Var, const std::vector<int>& y) { return cross_entropy(logits, y); });

    ConvAutoencoderConfig cfg;
    cfg.body = conv_body_for(train, "conv_profile");
    ConvAutoencoder ae(cfg, (uint64_t)f.seed);
    profile("conv autoencoder 1x28x28-c32-c64-30", f, train, ae.params(), layers_of({&ae.encoder, &ae.decoder}),
            [](Var logits, Var x, const std::vector<int>&) { return bce_with_logits(logits, x, Reduce::BatchMean); });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
