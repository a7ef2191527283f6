// autoencoder.h — a dense autoencoder: encoder D → hidden... → K (the code), decoder K → ...hidden → D.
// The decoder outputs logits; the reconstruction is sigmoid(logits), for pixel values in [0, 1].
// Loss: BCE with logits or squared error, summed over pixels and averaged over images (per image).
// Denoising (Vincent et al. 2008): corrupt the input (Gaussian noise, or masking: zero a fraction of
// pixels), reconstruct the *clean* image. Derivations: docs/autoencoder.md
// D = input dimension, H = hidden sizes, K = code size, B = batch.
#pragma once
#include <functional>
#include <vector>

#include "data/batcher.h"
#include "models/reducer.h"
#include "nn/layers.h"
#include "nn/optim.h"

namespace tg {

enum class Recon { BCE, MSE };
enum class Noise { None, Gaussian, Mask };

struct AutoencoderConfig {
    int input = 784;
    std::vector<int> hidden = {512, 256};  // encoder sizes; the decoder mirrors them
    int code = 30;
    Recon loss = Recon::BCE;
    Noise noise = Noise::None;
    real noise_level = 0;                  // Gaussian: σ; Mask: each pixel zeroed with this probability
    // used by fit() (the Reducer interface); the example has its own flags
    int epochs = 10, batch = 128;
    double lr = 1e-3;
};

struct Autoencoder : Reducer {
    AutoencoderConfig cfg;
    Sequential encoder, decoder;
    Rng rng;        // initialisation, then corruption noise
    Tensor noisy;   // (B, D) the training step's corrupted batch, a buffer reused from step to step

    Autoencoder(const AutoencoderConfig& cfg, uint64_t seed);
    void build(const AutoencoderConfig& cfg, uint64_t seed);  // (re)create the layers with fresh weights
    std::string name() const override { return "ae"; }
    std::string arch() const;             // "784-512-256-30"
    std::vector<Param*> params();

    Var encode(Var x) { return encoder(x); }                  // (B, D) -> (B, K)
    Var decode_logits(Var z) { return decoder(z); }           // (B, K) -> (B, D) logits
    // x with noise added: Gaussian (clipped to [0, 1]) or masked; x itself when cfg.noise is None
    Tensor corrupt(const Tensor& x, Rng& r) const { Tensor y; corrupt_into(x, y, r); return y; }
    Tensor corrupt(const Tensor& x) { return corrupt(x, rng); }
    void corrupt_into(const Tensor& x, Tensor& out, Rng& r) const;  // into a reused buffer
    // reconstruction loss per image of clean x from its (possibly corrupted) input
    Var loss(Tape& t, const Tensor& input, const Tensor& clean);

    // ---- the Reducer interface
    void fit(const Dataset& train, int dim, Rng& rng) override;
    Tensor encode(const Tensor& x) override;
    bool has_decoder() const override { return true; }
    Tensor decode(const Tensor& z) override;                  // sigmoid(logits): pixels in [0, 1]
    void save(Checkpoint& ck) const override;
    void load(const Checkpoint& ck) override;
};

// One epoch of `opt` over `batches` (already started); returns the mean loss per image.
// `on_batch(b, loss)` is called after each batch (a progress line). Throws if the loss is not finite.
double train_epoch(Autoencoder& ae, Batcher& batches, Optimizer& opt, Tape& tape,
                   const std::function<void(int, double)>& on_batch = nullptr);

// Mean reconstruction loss per image and squared error per image on a set (no graph), from clean inputs.
// noisy_sq_error (if given): the squared error of a denoising autoencoder on its task, inputs corrupted
// with a fixed seed, targets clean (for a plain autoencoder it equals sq_error).
void evaluate(Autoencoder& ae, const Dataset& d, double* loss, double* sq_error, double* noisy_sq_error = nullptr);

}  // namespace tg
