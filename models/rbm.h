// rbm.h — a restricted Boltzmann machine: D visible and H hidden units joined by weights W, no links
// inside a layer, trained by contrastive divergence (CD-k) or persistent CD (PCD, Tieleman 2008).
//   energy       E(v, h) = -bᵀv - cᵀh - hᵀWv                    (both layers Bernoulli: binary units)
//                a Gaussian layer trades its linear bias term for a quadratic one: -bᵀv → ½‖v - b‖², -cᵀh → ½‖h - c‖²
//   conditionals p(h_j = 1 | v) = σ(c_j + W_j v),   p(v_i = 1 | h) = σ(b_i + Σ_j W_ji h_j)   (Bernoulli)
//                h_j | v ~ N(c_j + W_j v, 1),         v_i | h ~ N(b_i + Σ_j W_ji h_j, 1)       (Gaussian)
//   free energy  F(v) = -log Σ_h e^(-E(v, h)) = -bᵀv - Σ_j softplus(c_j + W_j v)            (Bernoulli)
// CD is not the gradient of a loss the tape could differentiate, so its update is written here with
// gemm directly, into the Params' grad, and an SGD optimizer applies it. Derivations: docs/rbm.md
// D = visible units, H = hidden units, N = rows, B = batch, C = persistent chains.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "data/batcher.h"
#include "io/checkpoint.h"
#include "nn/optim.h"

namespace tg {

enum class Units { Bernoulli, Gaussian };  // Gaussian: unit variance, mean = the unit's total input
Units parse_units(const std::string& name, const std::string& flag);  // "bernoulli" | "gaussian"
const char* units_name(Units u);

struct RBMConfig {
    int visible = 784, hidden = 500;
    Units visible_units = Units::Bernoulli, hidden_units = Units::Bernoulli;
    int cd_k = 1;                // Gibbs steps in the negative phase
    bool persistent = false;     // PCD: the negative phase continues C fantasy chains between updates
    int chains = 100;            // C, used when persistent
    double weight_decay = 2e-4;  // L2 on W only (biases are not decayed), added to W's update
    double init_std = 0.01;      // W ~ N(0, init_std²) (Hinton's guide; H&S 2006 used 0.1)
};

struct RBM {
    RBMConfig cfg;
    std::string prefix;  // "rbm", "dbn.rbm2": the params are <prefix>.weight, .visible_bias, .hidden_bias
    Param W;             // (H, D): row j holds hidden unit j's weights (a Linear layer's layout)
    Param b;             // (D) visible biases
    Param c;             // (H) hidden biases
    Tensor chains;       // (C, D) the fantasy chains' visible states when persistent, else empty
    Rng rng;             // initialisation, then every Gibbs draw

    // W ~ N(0, init_std²), b = c = 0. Sizes and units are checked (input_error naming the flag).
    RBM(const RBMConfig& cfg, uint64_t seed, const std::string& prefix = "rbm");
    std::string arch() const;       // "784-500 bernoulli-bernoulli"
    std::vector<Param*> params();   // W, b, c

    // Visible biases from the data, as Hinton's guide suggests: b_i = log(p_i / (1 - p_i)) with p_i the
    // mean of column i (clamped to [0.001, 0.999]) for Bernoulli units, b_i = the mean for Gaussian ones.
    // PCD chains (when persistent) start from the first C rows of `data`, sampled. data (N, D).
    void init_from_data(const Tensor& data);

    // ---- the two conditionals, as means: probabilities for Bernoulli units, Gaussian means otherwise
    void hidden_mean(const Tensor& v, Tensor& ph) const;   // v (N, D) -> ph (N, H): E[h | v]
    void visible_mean(const Tensor& h, Tensor& pv) const;  // h (N, H) -> pv (N, D): E[v | h]
    // A draw given the means: s = [u < mean] with u ~ U(0, 1) (Bernoulli), or s = mean + N(0, 1).
    void sample(Units u, const Tensor& mean, Tensor& s);
    // `steps` full Gibbs steps h ~ p(h | v), v ~ p(v | h), in place on v (N, D) (sampled states).
    void gibbs(Tensor& v, int steps);

    // F(v) per row: (N, D) -> (N), exactly -log Σ_h e^(-E(v, h)) (∫ dh for Gaussian hidden units).
    Tensor free_energy(const Tensor& v) const;
    // The same on the tape, (N, D) -> (N, 1), reading W, b, c as Params: its gradient at the data is the
    // positive phase of CD (∂F/∂W = -E[h | v] vᵀ), which --gradcheck and the tests use to check cd_gradient.
    Var free_energy(Tape& t, Var v);

    // The CD-k (or PCD) estimate of -∂(mean log-likelihood of v0)/∂θ, plus weight_decay·W for W, written
    // into W.grad, b.grad, c.grad (replacing them): data statistics minus model statistics after k Gibbs
    // steps, with hidden *probabilities* in both. v0 (B, D). Returns the squared error per image of the
    // first reconstruction E[v | h0] (h0 sampled), the number Hinton's code prints while training.
    double cd_gradient(const Tensor& v0);
    Tensor negative;  // (M, D) the negative phase's last visible samples (M = B, or C when persistent)

    void save(Checkpoint& ck) const;  // meta <prefix>.arch; tensors <prefix>.* (and the chains)
    void load(const Checkpoint& ck);  // rebuilds to the stored sizes and units

  private:
    void hidden_input(const Tensor& v, Tensor& x) const;  // x = v Wᵀ + c (N, H): the hidden units' input
    Tensor ph0, h, pv, ph;         // scratch for cd_gradient, reused: a step allocates nothing
};

// The momentum schedule of Hinton's guide: 0.5 for the first `warmup` epochs (epoch counts from 1),
// then `final_momentum`.
double rbm_momentum(int epoch, int warmup, double final_momentum);

// One epoch of CD/PCD over `batches` (already started): cd_gradient, then opt.step() (an SGD; its
// momentum is the schedule's). Returns the mean first-reconstruction error per image.
double train_epoch(RBM& rbm, Batcher& batches, SGD& opt, const std::function<void(int, double)>& on_batch = nullptr);

// The check behind the examples' --gradcheck: cd_gradient(v0) against the tape's gradient of the surrogate
// mean F(v0) - mean F(negative) + (λ/2)‖W‖², with the negative samples held fixed (docs/rbm.md). Returns
// the largest |difference| over all entries, relative to the largest |entry|.
double cd_vs_tape(RBM& rbm, const Tensor& v0);

// The first `count` hidden units' weights W_j as images (count, D), each mapped from its own
// [min, max] to [0, 1] so that faint and strong filters are both visible (filters.png).
Tensor filter_images(const RBM& rbm, int count);

// Gibbs chains from `start` (C, D): labelled rows of E[v | h] at the start, after 1, 10, 100, ... and `steps`
// steps (gibbs_samples.png), drawn from a fixed seed so every epoch's picture is comparable; the training
// RNG is left as it was.
std::vector<std::pair<std::string, Tensor>> gibbs_rows(RBM& rbm, const Tensor& start, int steps);

// ---- monitors (docs/rbm.md, "Watching an RBM learn")
// Squared error per image after one deterministic up-down pass: Σ_i (x_i - E[v_i | E[h | x]])², mean over rows.
double reconstruction_error(const RBM& rbm, const Tensor& x);
// The mean of F over rows. The overfitting monitor is mean F(held-out) - mean F(train subset).
double mean_free_energy(const RBM& rbm, const Tensor& x);
// Stochastic pseudo-log-likelihood per row (scikit-learn's BernoulliRBM.score_samples): for each row
// flip one bit i drawn from rng, D · log σ(F(x with x_i flipped) - F(x)); the mean over rows. x binary.
double pseudo_log_likelihood(const RBM& rbm, const Tensor& x, Rng& rng);

}  // namespace tg
