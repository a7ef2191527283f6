// dbn.h — a deep belief network: a stack of RBMs pretrained greedily, one layer at a time, each on the
// hidden probabilities of the one below (Hinton, Osindero & Teh 2006), then unrolled into a network the
// tape can fine-tune with backprop:
//   classifier   x → σ(W1 x + c1) → ... → σ(WL h + cL) → softmax layer          (cross-entropy)
//   autoencoder  encoder W1..WL with hidden biases c, decoder WLᵀ..W1ᵀ with visible biases b; the top RBM
//                has linear (Gaussian) hidden units, so the code is linear (Hinton & Salakhutdinov 2006)
// Derivations and the story: docs/dbn.md. D = input, L = RBMs, sizes[l] = width of layer l (sizes[0] = D),
// K = code size = sizes[L], B = batch.
#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "autograd/gradcheck.h"
#include "models/classifier.h"
#include "models/rbm.h"
#include "models/reducer.h"
#include "models/sizes.h"
#include "nn/layers.h"

namespace tg {

struct DBNConfig {
    std::vector<int> sizes = {784, 500, 250, 30};  // visible, then every hidden layer; the last is the top
    bool linear_top = true;     // the top RBM has Gaussian hidden units (the autoencoder's linear code)
    // pretraining, each RBM in turn
    int pretrain_epochs = 5, batch = 100, cd_k = 1, momentum_warmup = 2;
    double lr = 0.05;           // Bernoulli-Bernoulli layers
    double linear_lr = 0.005;   // the layer with Gaussian hidden units (H&S 2006: 0.001 for 10x the epochs)
    double momentum = 0.9, weight_decay = 2e-4;
    // fine-tuning, used by DBNAutoencoder::fit (the example has its own flags)
    int finetune_epochs = 10, finetune_batch = 128;
    double finetune_lr = 1e-3;
};


struct DBN {
    DBNConfig cfg;
    std::vector<std::unique_ptr<RBM>> rbms;  // rbms[l]: sizes[l] → sizes[l+1], params "dbn.rbm<l+1>.*"

    DBN(const DBNConfig& cfg, uint64_t seed);
    int layers() const { return (int)rbms.size(); }
    std::string arch() const;        // "784-500-250-30" and " linear top" when linear_top
    std::vector<Param*> params();    // every RBM's W, b, c
    double layer_lr(int l) const;    // cfg.lr, or cfg.linear_lr for a layer with Gaussian hidden units
    // The input of RBM l for data x (N, D): x for l = 0, else the hidden means propagated up through
    // rbms[0..l-1] (probabilities, not samples, as Hinton & Salakhutdinov do). (N, sizes[l])
    Tensor propagate(const Tensor& x, int l) const;
};

// Greedy pretraining one epoch at a time, so that a run can save and resume between any two epochs. RBM l
// (from 0) trains on x propagated up through the RBMs below it (computed when l is first needed), in batches
// of cfg.batch drawn with seed batch_seed + l; epoch e (from 1) sets the momentum of the schedule, and e = 1
// first initialises the RBM's biases from its data. One SGD per RBM, made here: their states are run state.
struct Pretraining {
    DBN& dbn;
    const Tensor& x;                          // (N, D): the data of the first RBM
    uint64_t batch_seed;
    std::vector<std::unique_ptr<SGD>> sgd;    // sgd[l]: RBM l's params at cfg.lr (linear_lr for a Gaussian top)

    Pretraining(DBN& dbn, const Tensor& x, uint64_t batch_seed);
    const Dataset& prepare(int l);            // RBM l's input (N, sizes[l]), made once
    int batches_per_epoch(int l) { prepare(l); return batches->batches_per_epoch(); }
    // One epoch of CD on RBM l; returns the mean first-reconstruction error. on_batch(b, error).
    double epoch(int l, int e, const std::function<void(int, double)>& on_batch = nullptr);
    void release() { batches.reset(); layer_data = Dataset(); ready = -1; }  // free the layer's copy of the data

  private:
    Dataset layer_data;
    int ready = -1;
    std::unique_ptr<Batcher> batches;
};

// Greedy layer-wise pretraining of every layer for cfg.pretrain_epochs with SGD and the momentum schedule.
// on_epoch(layer, epoch, mean CD reconstruction error) after each epoch (layer and epoch count from 1).
void pretrain(DBN& dbn, const Tensor& x, uint64_t seed,
              const std::function<void(int, int, double)>& on_epoch = nullptr);

// ---- (a) the classifier -------------------------------------------------------------------------
// Linear + sigmoid per layer of `sizes`, then a Linear to `classes` logits, with PyTorch's default
// initialisation. Layers are named <prefix>.fc1, <prefix>.sigmoid1, ..., <prefix>.out.
void build_classifier(Sequential& net, const std::string& prefix, const std::vector<int>& sizes, int classes, Rng& rng);
// Copy each RBM's W and hidden biases c into the matching Linear of a net from build_classifier (the
// softmax layer keeps its random weights). Throws if the sizes differ.
void load_pretrained(Sequential& net, const DBN& dbn);
// One epoch of fine-tuning (cross-entropy on logits); returns the mean loss. Throws if it is not finite.
double train_classifier_epoch(Sequential& net, Batcher& batches, Optimizer& opt, Tape& tape,
                              const std::function<void(int, double)>& on_batch = nullptr);
// Its test loss and accuracy: evaluate_classifier (models/classifier.h).

// ---- (b) the deep autoencoder (Reducer "dbn") -----------------------------------------------------
struct DBNAutoencoder : Reducer {
    DBNConfig cfg;
    Sequential encoder, decoder;  // encoder.fc1..fcL (σ, the top linear if linear_top); decoder.fc1..fcL (σ, logits last)

    std::string prefix;           // prepended to every layer name ("random." for a baseline beside the real one)

    DBNAutoencoder(const DBNConfig& cfg, uint64_t seed, const std::string& prefix = "");
    void build(const DBNConfig& cfg, uint64_t seed);  // random weights (PyTorch's default): the baseline
    void unroll(const DBN& dbn);  // encoder layer l ← (W_l, c_l); decoder mirror ← (W_lᵀ, b_l)
    std::string name() const override { return "dbn"; }
    std::string arch() const;     // "784-500-250-30"
    std::vector<Param*> params();

    Var encode(Var x) { return encoder(x); }           // (B, D) -> (B, K)
    Var decode_logits(Var z) { return decoder(z); }    // (B, K) -> (B, D)
    Var loss(Tape& t, const Tensor& x);                // Σ_pixels BCE(logits, x) / B: nats per image

    // ---- the Reducer interface: fit = pretrain a DBN of cfg.sizes with the top set to dim, unroll, fine-tune
    void fit(const Dataset& train, int dim, Rng& rng) override;
    Tensor encode(const Tensor& x) override;           // the code (N, K)
    bool has_decoder() const override { return true; }
    Tensor decode(const Tensor& z) override;           // sigmoid(logits) (N, D)
    void save(Checkpoint& ck) const override;
    void load(const Checkpoint& ck) override;
};

// One epoch of Adam (or any optimizer) on the reconstruction loss; returns the mean loss per image.
double train_epoch(DBNAutoencoder& ae, Batcher& batches, Optimizer& opt, Tape& tape,
                   const std::function<void(int, double)>& on_batch = nullptr);
// Mean BCE per image and squared error per image Σ_pixels (x - sigmoid(logits))² over a set (no graph).
void evaluate(DBNAutoencoder& ae, const Dataset& d, double* loss, double* sq_error);

// ---- (a) or (b), as examples/dbn fine-tunes it ----------------------------------------------------
// One unrolled network of a task, built with random weights (so a checkpoint always holds its tensors);
// unroll() copies a pretrained stack in. The pretrained net and its random baseline are two of these made
// from the same init draws: the baseline starts where the pretrained net would have without pretraining.
struct FineTuned {
    bool classify;
    Sequential net;                      // classify: <prefix>.fc1 ... <prefix>.out ("pretrained" / "random")
    std::unique_ptr<DBNAutoencoder> ae;  // autoencoder: encoder.*, decoder.* ("random." prepended for the baseline)

    FineTuned(const DBNConfig& cfg, bool classify, int classes, Rng init, bool baseline);
    std::vector<Param*> params() { return classify ? net.params() : ae->params(); }
    void unroll(const DBN& dbn);  // the classifier's softmax layer stays random
    double train_epoch(Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch = nullptr);
    // *loss: mean cross-entropy or BCE per image; *metric: accuracy, or squared error per image
    void evaluate(const Dataset& d, double* loss, double* metric);
    // --gradcheck: the loss on a few images (cross-entropy, or BCE) through the tape, every parameter checked
    GradcheckResult gradcheck(const Dataset& tiny, const GradcheckOptions& opt);
};

}  // namespace tg
