// gemm_threads.cpp — bench: who should split a GEMM over the cores, OpenBLAS or tapegrad? Records one
// VAE training step's GEMMs (bench/tg_common.h's StepRecorder), then times those calls alone, laid out
// as in training, three ways on 2 threads — OpenBLAS's own threads; tapegrad's blocks (autograd/blas.cpp:
// one block of C per thread, OpenBLAS at one thread each); OpenBLAS's threads while a third thread spins
// as a waiting worker would — and on 1 thread. Seconds per epoch of 60,000 images (docs/performance.md,
// "Threading policy").   gemm_threads [--data DIR]
#include <cblas.h>

#include <atomic>
#include <thread>

#include "bench/tg_common.h"
#include "models/vae.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 128;
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "gemm_threads", "Bench: a VAE step's GEMMs split by OpenBLAS or by tapegrad.", f)) return 0;
    f.batches = 4;  // a recorded step needs three batches only
    Dataset train = tgbench::load_train(f, kBatch);
    VAEConfig cfg;
    cfg.input = train.dim();
    VAE vae(cfg, 1);
    Adam opt(vae.params(), 1e-3);
    Batcher batches(train, kBatch, 1);
    Tape tape;
    tgbench::StepRecorder rec;
    set_threads(1);
    batches.start_epoch(1);
    train_epoch(vae, batches, opt, tape, [&](int b, double) { rec.after_batch(1, b); });
    const double steps = 60000.0 / kBatch;
    auto epoch_seconds = [&] { return rec.replay_seconds(1.0) * steps; };

    printf("OpenBLAS kernels: %s; one VAE step's %zu GEMM calls alone, seconds per epoch of 60,000 images\n",
           openblas_get_corename(), rec.step.size());
    printf("  1 thread                                  %.3f\n", epoch_seconds());
    openblas_set_num_threads(2);  // tapegrad's pool at one thread: gemm() makes one call, OpenBLAS splits it
    printf("  2 threads, OpenBLAS's own                 %.3f\n", epoch_seconds());
    set_threads(2);  // tapegrad's pool: one block of C per thread, OpenBLAS at one thread
    printf("  2 threads, tapegrad's blocks              %.3f\n", epoch_seconds());
    set_threads(1);
    openblas_set_num_threads(2);
    std::atomic<bool> stop{false};
    std::thread spinner([&] { while (!stop.load(std::memory_order_relaxed)) {} });  // a waiting worker of another pool
    printf("  2 threads, OpenBLAS's, a 3rd thread spins %.3f\n", epoch_seconds());
    stop = true;
    spinner.join();
    openblas_set_num_threads(1);
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
