// optim.h — optimizers (SGD with momentum/Nesterov, Adam, AdamW), gradient clipping, L1/L2 penalties
// and learning-rate schedules. An optimizer holds pointers to the model's Params and, each step(), moves
// every value against its grad; the formulas, defaults and order of operations are PyTorch's torch.optim.
// Training loop: opt.zero_grad(); loss = model(...); tape.backward(loss); opt.step(); tape.reset().
// Optimizer state lives in named tensors (state()) allocated up front, so checkpoints can save and
// restore it by name and a step allocates nothing. Derivations (Adam's bias correction, AdamW): docs/optimizers.md
#pragma once
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "autograd/ops.h"
#include "autograd/fast/threads.h"  // parallel_chunks
#include "autograd/tape.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// The common interface. `lr` is public so a schedule can set it before each epoch.
struct Optimizer {
    std::vector<Param*> params;
    double lr;

    Optimizer(std::vector<Param*> params, double lr, const char* who);
    virtual ~Optimizer() = default;

    virtual void step() = 0;  // one update of every param from its current grad (grads are not cleared)
    void zero_grad();         // every param's grad = 0; explicit, as in PyTorch: grads accumulate otherwise

    // Named state tensors, e.g. "adam.m.encoder.fc1.weight", "adam.v.encoder.fc1.weight", "adam.t".
    // They are allocated with their final shapes in the constructor, so a checkpoint restore can copy
    // values into them; a step count is stored as a 1-element tensor (exact up to 2^24 steps in float).
    virtual std::vector<std::pair<std::string, Tensor*>> state() = 0;

  protected:
    // Throws if params[k], its grad or one of its state tensors no longer has the size it had when the
    // optimizer was built.
    void check_sizes(const char* who, size_t k, const Tensor* s1, const Tensor* s2) const;

    // update(k, i0, i1) for parts [i0, i1) of params[k] that together cover every element of every param
    // once. The params' elements are laid end to end (params[k] is [offset[k], offset[k + 1])) and cut into
    // chunks of 64k that tapegrad's threads share (parallel_chunks: autograd/fast/threads.h). Each element's
    // update is its own arithmetic, so the result is bit-identical for any --threads.
    std::vector<size_t> offset;
    template <class F>
    void for_each_part(F update) {
        parallel_chunks(offset.back(), size_t(1) << 16, [&](size_t begin, size_t end) {
            for (size_t k = 0; k < params.size(); k++) {
                const size_t lo = std::max(begin, offset[k]), hi = std::min(end, offset[k + 1]);
                if (lo < hi) update(k, lo - offset[k], hi - offset[k]);
            }
        });
    }
};

// ----------------------------------------------------------------------------------------------
// SGD (torch.optim.SGD with dampening 0):
//   g = grad + weight_decay * w
//   momentum μ > 0:  b = μ b + g  (b starts at 0, so b = g on the first step);  g = nesterov ? g + μ b : b
//   w -= lr * g
// State: "sgd.b.<param>", the momentum buffers; none when momentum = 0.
struct SGD : Optimizer {
    double momentum, weight_decay;
    bool nesterov;
    std::vector<Tensor> b;  // momentum buffer per param (same shape); empty when momentum = 0

    SGD(std::vector<Param*> params, double lr, double momentum = 0, bool nesterov = false, double weight_decay = 0);
    void step() override;
    std::vector<std::pair<std::string, Tensor*>> state() override;
};

// ----------------------------------------------------------------------------------------------
// Adam (Kingma & Ba 2015; torch.optim.Adam), and AdamW when `decoupled` (Loshchilov & Hutter 2019):
//   Adam:   g = grad + weight_decay * w                        (L2 folded into the gradient: coupled)
//   AdamW:  w = w - lr * weight_decay * w;  g = grad           (decay applied to w directly: decoupled)
//   m = β1 m + (1 - β1) g;   v = β2 v + (1 - β2) g²
//   m_hat = m / (1 - β1^t);  v_hat = v / (1 - β2^t)            (bias correction, t = 1, 2, ...)
//   w -= lr * m_hat / (√v_hat + eps)
// State: "adam.m.<param>", "adam.v.<param>", "adam.t" (the same names for Adam and AdamW).
struct Adam : Optimizer {
    double beta1, beta2, eps, weight_decay;
    bool decoupled;
    std::vector<Tensor> m, v;  // first and second moment per param (same shapes as the params)
    Tensor t;                  // (1): steps taken so far

    Adam(std::vector<Param*> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
         double weight_decay = 0, bool decoupled = false);
    void step() override;
    std::vector<std::pair<std::string, Tensor*>> state() override;
};

// AdamW = Adam with decoupled weight decay; PyTorch's defaults (weight_decay 1e-2).
struct AdamW : Adam {
    AdamW(std::vector<Param*> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
          double weight_decay = 1e-2)
        : Adam(std::move(params), lr, beta1, beta2, eps, weight_decay, true) {}
};

// ----------------------------------------------------------------------------------------------
// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_):
//   norm = √(Σ over all params and elements grad²);  if norm > max_norm: grad *= max_norm / (norm + 1e-6)
// Returns the norm before clipping. A NaN/Inf norm is returned with the grads untouched: the caller
// decides (skip the step, stop with a message). PyTorch would scale the grads by NaN instead.
double clip_grad_norm(const std::vector<Param*>& params, double max_norm);

// ----------------------------------------------------------------------------------------------
// Penalties to add to the loss, built from tape ops so backward gives their gradients:
//   l1_penalty = λ Σ|w|        d/dw = λ sign(w)    (sign(0) = 0)
//   l2_penalty = (λ/2) Σ w²    d/dw = λ w          (with SGD, the same update as weight_decay = λ)
Var l1_penalty(Tape& t, const std::vector<Param*>& params, double lambda);
Var l2_penalty(Tape& t, const std::vector<Param*>& params, double lambda);

// ----------------------------------------------------------------------------------------------
// Learning-rate schedules: pure functions of the epoch (0 = first), so a resumed run needs no state.
// Use: opt.lr = cosine_lr(base_lr, epoch, epochs);  at the start of each epoch.
//   step_lr   = base * gamma^floor(epoch / step_size)                                (torch StepLR)
//   cosine_lr = min_lr + (base - min_lr) (1 + cos(π epoch / total_epochs)) / 2      (torch CosineAnnealingLR)
//               held at min_lr after total_epochs (PyTorch's closed form would rise again)
double step_lr(double base, int epoch, int step_size, double gamma);
double cosine_lr(double base, int epoch, int total_epochs, double min_lr = 0);

}  // namespace tg
