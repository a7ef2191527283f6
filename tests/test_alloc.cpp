// test_alloc.cpp — a steady-state training step allocates nothing on the heap.
// This file replaces the global operator new with one that counts while `counting` is on; the tape
// reuses its nodes and buffers from the previous step (docs/autodiff.md), the optimizer allocated its
// state up front, and the batcher fills the caller's buffers, so steps after the first two must count 0.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "autograd/blas.h"
#include "data/batcher.h"
#include "data/synthetic.h"
#include "models/autoencoder.h"
#include "models/gan.h"
#include "models/vae.h"
#include "nn/conv.h"
#include "nn/train.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

// AddressSanitizer replaces operator new with its own allocator; a second replacement here would mix the
// two (ASan reports alloc-dealloc-mismatch), so under `make sanitize` the counter is left out and the
// test below says so. The normal float and double suites run it.
#ifndef __SANITIZE_ADDRESS__
#define COUNTING_NEW 1
void* operator new(std::size_t n) {
    if (counting) allocations++;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

using namespace tg;

TEST_CASE("steady-state training steps allocate nothing", "[alloc]") {
#ifndef COUNTING_NEW
    WARN("skipped under AddressSanitizer: the allocation counter needs its own operator new");
    return;
#endif
    Rng rng(1);
    Dataset data = noisy_manifold(300, 3, 64, 0.05, rng);
    for (real& v : data.x.data) v = 1 / (1 + std::exp(-v));  // squash into (0, 1): BCE targets
    struct Row { const char* name; int threads; std::function<double(Batcher&, Tape&)> epoch; };
    VAEConfig vc;
    vc.input = 64; vc.hidden = 32; vc.latent = 4;
    VAE vae(vc, 1);
    Adam vopt(vae.params(), 1e-3);
    AutoencoderConfig ac;
    ac.input = 64; ac.hidden = {32, 16}; ac.code = 4; ac.noise = Noise::Mask; ac.noise_level = 0.2;
    Autoencoder ae(ac, 1);
    Adam aopt(ae.params(), 1e-3);
    GANConfig gc;
    gc.input = 64; gc.latent = 8; gc.g_hidden = {16, 32}; gc.d_hidden = {32, 16};
    GAN gan(gc, 1);
    Adam gdopt(gan.d_params(), 2e-4, 0.5), ggopt(gan.g_params(), 2e-4, 0.5);
    Tape gan_tape_g;
    VAEConfig wide = vc;  // 72,776 params: Adam and zero_grad split over 2 threads (autograd/fast/threads.h)
    wide.hidden = 512;
    VAE wide_vae(wide, 1);
    Adam wopt(wide_vae.params(), 1e-3);
    // a small conv autoencoder through every conv op: (B, 64) -> (B, 1, 8, 8) -> conv s2 -> BatchNorm2d ->
    // max-pool -> upsample -> avg-pool s1 -> transposed conv -> (B, 64); the im2col buffers live in the nodes
    Rng crng(2);
    Unflatten c_unflat("cae.unflat", 1, 8, 8);
    Conv2d c_conv("cae.conv", 1, 4, 3, 2, 1, crng);                 // 8x8 -> 4x4
    BatchNorm2d c_bn("cae.bn", 4);
    MaxPool2d c_pool("cae.pool", 2);                                // -> 2x2
    Upsample2d c_up("cae.up", 3);                                   // -> 6x6
    AvgPool2d c_avg("cae.avg", 3, 1);                               // -> 4x4
    ConvTranspose2d c_deconv("cae.deconv", 4, 1, 3, 2, 1, 1, crng); // -> 8x8
    Flatten c_flat("cae.flat");
    std::vector<Param*> c_params = c_conv.params();
    for (Module* m : std::initializer_list<Module*>{&c_bn, &c_deconv})
        for (Param* p : m->params()) c_params.push_back(p);
    Adam copt(c_params, 1e-3);
    auto cae_loss = [&](Tape& t, const Tensor& xb, const std::vector<int>&) {
        Var h = c_pool(relu(c_bn(c_conv(c_unflat(t.input(xb))))));
        return bce_with_logits(c_flat(c_deconv(c_avg(c_up(h)))), t.input(xb));
    };
    const Row rows[] = {
        {"conv autoencoder (every conv op)", 1, [&](Batcher& b, Tape& t) { return optimize_epoch("cae", b, copt, t, cae_loss, {}); }},
        {"VAE", 1, [&](Batcher& b, Tape& t) { return train_epoch(vae, b, vopt, t); }},
        {"denoising autoencoder", 1, [&](Batcher& b, Tape& t) { return train_epoch(ae, b, aopt, t); }},
        {"GAN (D and G steps, dropout)", 1, [&](Batcher& b, Tape& t) { return train_epoch(gan, b, gdopt, ggopt, t, gan_tape_g).d_loss; }},
        {"wide VAE at 2 threads", 2, [&](Batcher& b, Tape& t) { return train_epoch(wide_vae, b, wopt, t); }},
    };
    const int threads_before = get_threads();
    for (const Row& row : rows) {
        set_threads(row.threads);  // starts the workers, outside the counted epochs
        Batcher batches(data, 32, 1);  // 300 = 9 full batches and one of 12: the shapes change and come back
        Tape tape;
        std::vector<long> per_epoch;
        for (int e = 0; e < 4; e++) {
            batches.start_epoch(e);
            allocations = 0;
            counting = true;
            row.epoch(batches, tape);
            counting = false;
            per_epoch.push_back(allocations);
        }
        INFO(row.name << ": allocations per epoch " << per_epoch[0] << ", " << per_epoch[1] << ", " << per_epoch[2] << ", " << per_epoch[3]);
        CHECK(per_epoch[0] > 0);   // the first step builds the tape (and shows the counter works)
        CHECK(per_epoch[2] == 0);  // every step of a later epoch reuses it
        CHECK(per_epoch[3] == 0);
    }
    set_threads(threads_before);
}
