// conv_autoencoder.h — a convolutional autoencoder, and the conv body it shares with the conv VAE:
//   encoder  x (B, D) → (B, 1, 28, 28) → conv 1→32 3x3 stride 2 pad 1, ReLU → (B, 32, 14, 14)
//            → conv 32→64 3x3 stride 2 pad 1, ReLU → (B, 64, 7, 7) → flatten (B, 3136) → linear → (B, K)
//   decoder  the mirror: linear K → 3136, ReLU → (B, 64, 7, 7) → conv-transpose 64→32 (stride 2), ReLU
//            → (B, 32, 14, 14) → conv-transpose 32→1 (stride 2) → (B, 1, 28, 28) logits → (B, D)
//   loss     BCE with logits summed over pixels, averaged over images; the reconstruction is sigmoid(logits).
// As a Reducer it is `cae` in the registry (reduce, compare). Ops and layers: docs/conv.md
// B = batch, D = C·H·W pixels, K = code size.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "models/reducer.h"
#include "nn/layers.h"
#include "nn/optim.h"

namespace tg {

struct ConvBodyConfig {
    int channels = 1, height = 28, width = 28;  // the input image
    int conv1 = 32, conv2 = 64;                 // filters of the two stride-2 convolutions
    // the feature map after the two stride-2 convolutions: ceil(H / 4) x ceil(W / 4) (7 x 7 for 28 x 28)
    int small_h() const { return (((height - 1) / 2 + 1) - 1) / 2 + 1; }
    int small_w() const { return (((width - 1) / 2 + 1) - 1) / 2 + 1; }
    int features() const { return conv2 * small_h() * small_w(); }  // 3136
    std::string str() const;                                       // "1x28x28-c32-c64"
};
// Reads ConvBodyConfig::str() at the start of `text`; returns the rest (after the '-' that follows) or throws
// an input_error naming `where`.
std::string parse_conv_body(const std::string& text, ConvBodyConfig& c, const std::string& where);
// The image geometry of a Dataset as a body (an input_error naming `what` if its rows are not images).
ConvBodyConfig conv_body_for(const Dataset& d, const std::string& what);

// (B, D) → conv, ReLU, conv, ReLU → (B, features) → linear → (B, out). Layer names start with `prefix`.
void build_conv_encoder(Sequential& net, const std::string& prefix, const ConvBodyConfig& c, int out, Rng& rng);
// (B, in) → linear, ReLU → (B, conv2, h, w) → conv-transpose, ReLU → conv-transpose → (B, D) logits.
void build_conv_decoder(Sequential& net, const std::string& prefix, const ConvBodyConfig& c, int in, Rng& rng);

struct ConvAutoencoderConfig {
    ConvBodyConfig body;
    int code = 30;
    // used by fit() (the Reducer interface); the example has its own flags
    int epochs = 10, batch = 128;
    double lr = 1e-3;
};

struct ConvAutoencoder : Reducer {
    ConvAutoencoderConfig cfg;
    Rng rng;  // initialisation
    Sequential encoder, decoder;

    ConvAutoencoder(const ConvAutoencoderConfig& cfg, uint64_t seed);
    void build(const ConvAutoencoderConfig& cfg, uint64_t seed);  // (re)create the layers with fresh weights
    std::string name() const override { return "cae"; }
    std::string arch() const;  // "1x28x28-c32-c64-30"
    std::vector<Param*> params();

    Var encode(Var x) { return encoder(x); }         // (B, D) -> (B, K)
    Var decode_logits(Var z) { return decoder(z); }  // (B, K) -> (B, D) logits
    Var loss(Tape& t, const Tensor& x);              // Σ_pixels BCE(logits, x) / B: nats per image

    // ---- the Reducer interface
    void fit(const Dataset& train, int dim, Rng& rng) override;
    Tensor encode(const Tensor& x) override;
    bool has_decoder() const override { return true; }
    Tensor decode(const Tensor& z) override;         // sigmoid(logits): pixels in [0, 1]
    void save(Checkpoint& ck) const override;
    void load(const Checkpoint& ck) override;
};

// One epoch of `opt` over `batches` (already started); returns the mean loss per image.
double train_epoch(ConvAutoencoder& ae, Batcher& batches, Optimizer& opt, Tape& tape,
                   const std::function<void(int, double)>& on_batch = nullptr);

// Mean BCE per image and squared error per image (of sigmoid(logits)) on a set, no graph.
struct CAEEval { double loss, sq_error; };
CAEEval evaluate(ConvAutoencoder& ae, const Dataset& d);

}  // namespace tg
