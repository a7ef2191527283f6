// gan.h — a generative adversarial network (Goodfellow et al. 2014), the classic MLP GAN:
//   generator      z (B, Z) ~ N(0, I) → 128 → 256 → 512 → 1024 → tanh → x (B, D) in [-1, 1]   (LeakyReLU 0.2)
//   discriminator  x (B, D) → 1024 → 512 → 256 → 128 → 1 logit    (LeakyReLU 0.2, dropout 0.3 after each)
// Training alternates, per batch, a D step (real → 1, the fake batch cut off from G's graph → 0) and a G
// step with the non-saturating loss -log D(G(z)), each net with its own Adam. Images are x·2 - 1.
// Derivations, and the common wrong versions: docs/gan.md.  B = batch, Z = noise size, D = pixels.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/gradcheck.h"
#include "data/batcher.h"
#include "io/checkpoint.h"
#include "nn/layers.h"
#include "nn/optim.h"
#include "models/sizes.h"

namespace tg {

struct GANConfig {
    int input = 784, latent = 100;
    std::vector<int> g_hidden = {128, 256, 512, 1024};  // generator sizes, from z to the image
    std::vector<int> d_hidden = {1024, 512, 256, 128};  // discriminator sizes, from the image to the logit
    real slope = 0.2;       // LeakyReLU's negative slope, both nets
    real dropout = 0.3;     // after each hidden layer of D
    real real_label = 1;    // D's target for real images; 0.9 = one-sided label smoothing
    bool d_split = false;   // D sees the real and the fake batch in two passes (a D with BatchNorm: each its own statistics)
};

struct GAN {
    GANConfig cfg;
    Rng rng;  // initialisation, then D's dropout masks
    Sequential generator, discriminator;
    Tensor z, d_target, g_target;  // training's noise and the losses' label columns: buffers reused step to step

    GAN(const GANConfig& cfg, uint64_t seed);
    // "100-128-256-512-1024-784/784-1024-512-256-128-1": G's sizes, then D's (parse_gan_arch reads it)
    std::string arch() const;
    std::vector<Param*> g_params() { return generator.params(); }
    std::vector<Param*> d_params() { return discriminator.params(); }

    Var generate(Var z) { return generator(z); }          // (B, Z) -> (B, D) in [-1, 1]
    Var discriminate(Var x) { return discriminator(x); }  // (B, D) -> (B, 1) logits: log D/(1 - D)
    Tensor sample(const Tensor& z);                       // G(z) with no graph: (N, Z) -> (N, D)
    Tensor sample_images(const Tensor& z);                // the same mapped from tanh's [-1, 1] to [0, 1] (x + 1) / 2
};

// The GANConfig sizes an arch() string describes (input_error naming `where` if it is malformed).
GANConfig parse_gan_arch(const std::string& arch, const std::string& where);

// ----------------------------------------------------------------------------------------------
// The two losses. Each BCE is a batch mean; bce_with_logits(l, t) = -t log σ(l) - (1-t) log(1-σ(l)).

// L_D = BCE(D(x), real_label) + BCE(D(G(z)), 0), PyTorch's errD_real + errD_fake, computed as one pass of
// D over the real and fake batches stacked (2B, D): the same loss and gradients as two passes (D has no
// batch statistics), but one GEMM per layer of twice the rows, which runs faster. The fake batch is made
// under NoGrad: it enters the tape as data, so backward reaches D's params and never G's.
struct DLoss { Var loss, logits; };  // logits (2B, 1): rows [0, B) real, [B, 2B) fake
DLoss discriminator_loss(GAN& gan, Tape& t, const Tensor& real_x, const Tensor& z);  // z (B, Z): as many as real_x
DLoss discriminator_loss(GAN& gan, Tape& t, const Tensor& real_x, Var fake);        // fake (B, D) already made

// L_G = BCE(D(G(z)), 1) = -mean log D(G(z)): the non-saturating loss. Backward also adds into D's grads
// (the path to G runs through D); the D step zeroes them before its own backward.
Var generator_loss(GAN& gan, Tape& t, const Tensor& z);
Var generator_loss(GAN& gan, Var fake);  // fake = G(z) recorded on a tape: D's verdict on it, on that tape

// The checks behind examples/gan's --gradcheck, on a few real images x (B, D) in [-1, 1] and noise z (B, Z):
// L_D over D's params, then L_G over G's, with D's dropout masks fixed by reseeding gan.rng before every
// evaluation (its state is restored after).
std::vector<GradcheckResult> gradcheck_gan(GAN& gan, const Tensor& x, const Tensor& z, const GradcheckOptions& opt);

// ----------------------------------------------------------------------------------------------
// One update of each net: zero its optimizer's grads, forward, backward, step. opt_d must hold D's
// params only, opt_g G's only. The D step resets its tape and takes the fakes as data (B, D); the G step
// continues the tape on which fake = G(z) was recorded (train_epoch runs G's forward once for both).
struct DStep { double loss; int real_right, fake_right; };  // D(x) > ½ on real, < ½ on fake
DStep discriminator_step(GAN& gan, Tape& t, Optimizer& opt_d, const Tensor& real_x, const Tensor& fake_x);
double generator_step(GAN& gan, Optimizer& opt_g, Var fake);

// One epoch: per batch of real images (in [0, 1], scaled here to [-1, 1]), one D step and one G step on
// the same noise. on_batch(b, d_loss, g_loss) after each batch (progress line, loss guard).
struct GANEpoch { double d_loss, g_loss, d_real_acc, d_fake_acc; };  // means over the epoch
GANEpoch train_epoch(GAN& gan, Batcher& batches, Optimizer& opt_d, Optimizer& opt_g, Tape& tape_d, Tape& tape_g,
                     const std::function<void(int, double, double)>& on_batch = nullptr);

}  // namespace tg
