// conv_vae.h — a convolutional variational autoencoder: the conv autoencoder's body
// (models/conv_autoencoder.h) with a Gaussian latent and a Bernoulli decoder, trained as models/vae.h is:
//   encoder  x (B, D) → conv 1→32 s2, ReLU → conv 32→64 s2, ReLU → flatten (B, 3136) → [mu | logvar] (B, 2K)
//   sample   z = mu + exp(logvar / 2) ⊙ ε,  ε ~ N(0, I)
//   decoder  z (B, K) → linear 3136, ReLU → conv-transpose 64→32 s2, ReLU → conv-transpose 32→1 s2 → logits (B, D)
//   loss     negative ELBO per image = Σ_pixels BCE(logits, x) + KL(q(z|x) ‖ N(0, I)) (gaussian_kl, docs/vae.md)
// B = batch, D = C·H·W pixels, K = latent dimensions.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "models/conv_autoencoder.h"
#include "models/vae.h"

namespace tg {

struct ConvVAEConfig {
    ConvBodyConfig body;
    int latent = 20;
};

struct ConvVAE {
    ConvVAEConfig cfg;
    Rng rng;     // initialisation, then ε
    Tensor eps;  // (B, K) the training step's noise, a buffer reused from step to step
    Sequential encoder, decoder;

    ConvVAE(const ConvVAEConfig& cfg, uint64_t seed);
    std::string arch() const;  // "1x28x28-c32-c64-20"
    std::vector<Param*> params();

    VAE::Encoded encode(Var x);                       // mu, logvar (B, K) each; logvar clamped to [-30, 20] as in vae.cpp
    Var decode_logits(Var z) { return decoder(z); }   // (B, K) -> (B, D)
    // recon + KL per image with the given noise eps (B, K) (fixed: gradcheck, evaluation)
    VAE::Loss loss(Tape& t, const Tensor& x, const Tensor& eps);

    Tensor encode_mean(const Tensor& x);  // mu (N, K), no graph
    Tensor decode(const Tensor& z);       // sigmoid(logits) (N, D), no graph
};

// The ConvVAEConfig an arch() string describes (input_error naming `where` if it is malformed).
ConvVAEConfig parse_conv_vae_arch(const std::string& arch, const std::string& where);

// One epoch of training; returns the mean negative ELBO per image. on_batch(b, loss) after each batch.
double train_epoch(ConvVAE& vae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch = nullptr);

// Test-set negative ELBO, its two terms (nats per image) with ε from a fixed seed, and the squared error per
// image of the mean reconstruction — the same measures as models/vae.h's evaluate.
VAEEval evaluate(ConvVAE& vae, const Dataset& d, uint64_t seed = 7);

}  // namespace tg
