// cvae.h — a class-conditional VAE (Sohn, Lee & Yan 2015): models/vae.h's VAE with the label y as one more
// input to both halves, so it can draw an image of a class it is asked for:
//   encoder  [x | onehot(y)] (B, D+C) → relu(· W1ᵀ + b1) (B, H) → [mu | logvar] (B, 2K)     q(z | x, y)
//   sample   z = mu + exp(logvar / 2) ⊙ ε,  ε ~ N(0, I)
//   decoder  [z | onehot(y)] (B, K+C) → relu(· W3ᵀ + b3) (B, H) → logits (B, D)          p(x | z, y) Bernoulli
//   loss     negative conditional ELBO per image = Σ_pixels BCE(logits, x) + β · KL(q(z|x,y) ‖ N(0, I))
// The prior stays N(0, I) for every class: the label carries the class, z the rest (pose, shade, width).
// Derivation: docs/cvae.md. B = batch, D = pixels, C = classes, H = hidden units, K = latent dimensions.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "data/batcher.h"
#include "models/vae.h"

namespace tg {

struct CVAEConfig : VAEConfig {  // input, hidden, latent, beta, as the VAE's
    int classes = 10;
};

struct CVAE {
    CVAEConfig cfg;
    Rng rng;        // initialisation, then ε
    Tensor eps;     // (B, K) the training step's noise, reused from step to step (train_vae_epoch fills it)
    Tensor onehot;  // (B, C) the training step's labels, one-hot, reused likewise
    Sequential encoder, decoder;  // fc1-relu-fc2 each, as the VAE's, with C more inputs to each fc1

    CVAE(const CVAEConfig& cfg, uint64_t seed);
    std::string arch() const;  // "784-400-20-c10"
    std::vector<Param*> params();

    VAE::Encoded encode(Var x, Var y);                                       // x (B, D), y (B, C) → mu, logvar (B, K)
    Var decode_logits(Var z, Var y) { return decoder(concat(z, y, 1)); }     // (B, K), (B, C) → (B, D)
    // recon + β·KL per image (nats), its terms, with labels (B) and the noise eps (B, K) given
    VAE::Loss loss(Tape& t, const Tensor& x, const std::vector<int>& labels, const Tensor& eps);

    // no graph, whole sets: posterior means (N, K); images sigmoid(logits) (N, D) for codes and labels;
    // images of the given classes from the prior, z ~ N(0, I) drawn from r
    Tensor encode_mean(const Tensor& x, const std::vector<int>& labels);
    Tensor decode(const Tensor& z, const std::vector<int>& labels);
    Tensor generate(const std::vector<int>& labels, Rng& r);
};

// (N, C): row i is 1 at column labels[i], 0 elsewhere. input_error if a label is outside [0, C).
Tensor one_hot(const std::vector<int>& labels, int classes);
void one_hot_into(Tensor& out, const std::vector<int>& labels, int classes);  // the same into a reused buffer

// The objective train_vae_epoch (models/vae.h) minimises, for the conditional model: it reads the labels.
Var vae_objective(CVAE& vae, Tape& t, const Tensor& x, const std::vector<int>& labels, const Tensor& eps);

// One epoch of training (the VAEs' train_vae_epoch); returns the mean objective per image. The set needs labels.
double train_epoch(CVAE& vae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch = nullptr);

// Test-set negative conditional ELBO (recon + KL, whatever β), its terms in nats per image, ε from a fixed
// seed, and the squared error per image of the mean reconstruction — models/vae.h's measures.
VAEEval evaluate(CVAE& vae, const Dataset& d, uint64_t seed = 7);

}  // namespace tg
