// optim.cpp — SGD, Adam/AdamW, gradient clipping, L1/L2 penalties, learning-rate schedules.
// Each step() is one plain loop over each param's elements that does the whole update for that element
// (weight decay, moments, bias-corrected step), so it reads like the paper and the compiler can keep it
// in registers. Scalar hyper-parameters and bias corrections are doubles, computed once per step outside
// the loop; element math is in `real`. The formulas follow torch.optim (see nn/optim.h and docs/optimizers.md).
#include "optim.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace tg {

// "0.001" for messages
static std::string num(double x) {
    char buf[32];
    snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

// A hyper-parameter comes from a flag or a config: a bad value is bad input (exit code 2).
static void need(bool ok, const char* who, const char* name, double value, const char* rule) {
    if (!ok) throw input_error(std::string(who) + ": " + name + " = " + num(value) + " is invalid; it must be " + rule);
}

// ----------------------------------------------------------------------------------------------
// Optimizer

Optimizer::Optimizer(std::vector<Param*> params_, double lr_, const char* who) : params(std::move(params_)), lr(lr_) {
    need(std::isfinite(lr) && lr >= 0, who, "lr", lr, "a finite number >= 0 (typical: 0.1 for SGD, 1e-3 for Adam)");
    if (params.empty())
        throw Error(std::string(who) + ": the parameter list is empty; pass the model's params (e.g. from its registry) when building the optimizer");
    std::set<const Param*> seen_ptr;
    std::set<std::string> seen_name;
    for (Param* p : params) {
        if (!p) throw Error(std::string(who) + ": the parameter list holds a null pointer; pass only live Params");
        if (!seen_ptr.insert(p).second)
            throw Error(std::string(who) + ": param '" + p->name + "' is listed twice; it would be updated twice per step, list it once");
        if (!seen_name.insert(p->name).second)
            throw Error(std::string(who) + ": two params are named '" + p->name + "'; state tensors are saved by name, give each param a unique name");
        if (p->grad.shape != p->value.shape) p->grad = Tensor(p->value.shape);  // as Tape::param does
    }
}

void Optimizer::zero_grad() {
    for (Param* p : params) p->grad.fill(0);
}

void Optimizer::check_sizes(const char* who, const Param& p, const Tensor* s1, const Tensor* s2) const {
    const size_t n = p.value.size();
    if (p.grad.size() != n)
        throw Error(std::string(who) + ": param '" + p.name + "' has " + std::to_string(n) + " values but its grad has " +
                    std::to_string(p.grad.size()) + "; a param must keep its shape once the optimizer is built");
    for (const Tensor* s : {s1, s2})
        if (s && s->size() != n)
            throw Error(std::string(who) + ": the state tensor for param '" + p.name + "' has " + std::to_string(s->size()) +
                        " values, the param has " + std::to_string(n) + "; was the optimizer state restored from a different model?");
}

// ----------------------------------------------------------------------------------------------
// SGD:  g = grad + wd w;  [momentum: b = μ b + g;  g = nesterov ? g + μ b : b];  w -= lr g
// PyTorch sets b = g on the first step; with no dampening, μ·0 + g = g is the same, so b simply starts at 0.

SGD::SGD(std::vector<Param*> params_, double lr_, double momentum_, bool nesterov_, double weight_decay_)
    : Optimizer(std::move(params_), lr_, "SGD"), momentum(momentum_), weight_decay(weight_decay_), nesterov(nesterov_) {
    need(std::isfinite(momentum) && momentum >= 0, "SGD", "momentum", momentum, ">= 0 (0 = plain SGD; typical: 0.9)");
    need(std::isfinite(weight_decay) && weight_decay >= 0, "SGD", "weight_decay", weight_decay, ">= 0 (typical: 0 or 5e-4)");
    if (nesterov && momentum == 0) throw input_error("SGD: nesterov = true needs momentum > 0; set a momentum (e.g. 0.9) or turn nesterov off");
    if (momentum != 0)
        for (Param* p : params) b.emplace_back(p->value.shape);
}

void SGD::step() {
    const real step_lr = (real)lr, mu = (real)momentum, wd = (real)weight_decay;
    const bool use_momentum = momentum != 0;
    for (size_t k = 0; k < params.size(); k++) {
        Param& p = *params[k];
        check_sizes("SGD", p, use_momentum ? &b[k] : nullptr, nullptr);
        real* w = p.value.ptr();
        const real* grad = p.grad.ptr();
        real* buf = use_momentum ? b[k].ptr() : nullptr;
        const size_t n = p.value.size();
        for (size_t i = 0; i < n; i++) {
            real g = grad[i] + wd * w[i];  // L2 in the gradient (PyTorch's SGD weight_decay)
            if (use_momentum) {
                buf[i] = mu * buf[i] + g;
                g = nesterov ? g + mu * buf[i] : buf[i];
            }
            w[i] -= step_lr * g;
        }
    }
}

std::vector<std::pair<std::string, Tensor*>> SGD::state() {
    std::vector<std::pair<std::string, Tensor*>> out;
    for (size_t k = 0; k < b.size(); k++) out.push_back({"sgd.b." + params[k]->name, &b[k]});
    return out;
}

// ----------------------------------------------------------------------------------------------
// Adam / AdamW (derivation of the bias correction and of decoupling: docs/optimizers.md)

Adam::Adam(std::vector<Param*> params_, double lr_, double beta1_, double beta2_, double eps_, double weight_decay_, bool decoupled_)
    : Optimizer(std::move(params_), lr_, decoupled_ ? "AdamW" : "Adam"),
      beta1(beta1_), beta2(beta2_), eps(eps_), weight_decay(weight_decay_), decoupled(decoupled_), t(Shape{1}) {
    const char* who = decoupled ? "AdamW" : "Adam";
    need(beta1 >= 0 && beta1 < 1, who, "beta1", beta1, "in [0, 1) (typical: 0.9)");
    need(beta2 >= 0 && beta2 < 1, who, "beta2", beta2, "in [0, 1) (typical: 0.999)");
    need(std::isfinite(eps) && eps >= 0, who, "eps", eps, "a finite number >= 0 (typical: 1e-8)");
    need(std::isfinite(weight_decay) && weight_decay >= 0, who, "weight_decay", weight_decay, ">= 0 (typical: 0 for Adam, 1e-2 for AdamW)");
    for (Param* p : params) {
        m.emplace_back(p->value.shape);
        v.emplace_back(p->value.shape);
    }
}

void Adam::step() {
    if (t.size() != 1) throw Error("Adam: the state tensor 'adam.t' has " + std::to_string(t.size()) + " values, expected 1; was the optimizer state restored from a different optimizer?");
    const double step_t = (double)t[0] + 1;  // t = 1 on the first step
    t[0] = (real)step_t;
    // once per step, in double: the bias corrections 1 - β^t (β2^t stays near 1 for thousands of steps)
    const double bias_correction1 = 1 - std::pow(beta1, step_t);
    const double bias_correction2 = 1 - std::pow(beta2, step_t);

    const real b1 = (real)beta1, b2 = (real)beta2;
    const real one_minus_b1 = (real)(1 - beta1), one_minus_b2 = (real)(1 - beta2);
    const real inv_bc1 = (real)(1 / bias_correction1), inv_bc2 = (real)(1 / bias_correction2);
    const real step_lr = (real)lr, epsilon = (real)eps;
    // Exactly one form of weight decay is active; the other is the identity (l2 = 0, or decay = 1).
    const real l2 = decoupled ? real(0) : (real)weight_decay;            // Adam:  g = grad + wd w
    const real decay = decoupled ? (real)(1 - lr * weight_decay) : real(1); // AdamW: w = w - lr wd w

    for (size_t k = 0; k < params.size(); k++) {
        Param& p = *params[k];
        check_sizes(decoupled ? "AdamW" : "Adam", p, &m[k], &v[k]);
        real* w = p.value.ptr();
        const real* grad = p.grad.ptr();
        real *mk = m[k].ptr(), *vk = v[k].ptr();
        const size_t n = p.value.size();
        for (size_t i = 0; i < n; i++) {  // each array read once and written once (locals: no reloads)
            const real wi = w[i] * decay;
            const real g = grad[i] + l2 * wi;
            const real mi = b1 * mk[i] + one_minus_b1 * g;      // first moment:  running mean of g
            const real vi = b2 * vk[i] + one_minus_b2 * g * g;  // second moment: running mean of g²
            mk[i] = mi;
            vk[i] = vi;
            const real m_hat = mi * inv_bc1;                    // unbiased: m was started at 0
            const real v_hat = vi * inv_bc2;
            w[i] = wi - step_lr * m_hat / (std::sqrt(v_hat) + epsilon);
        }
    }
}

std::vector<std::pair<std::string, Tensor*>> Adam::state() {
    std::vector<std::pair<std::string, Tensor*>> out;
    for (size_t k = 0; k < params.size(); k++) {
        out.push_back({"adam.m." + params[k]->name, &m[k]});
        out.push_back({"adam.v." + params[k]->name, &v[k]});
    }
    out.push_back({"adam.t", &t});
    return out;
}

// ----------------------------------------------------------------------------------------------
// clip_grad_norm: norm = √(Σ grad²) over every element of every param (summed in double)

double clip_grad_norm(const std::vector<Param*>& params, double max_norm) {
    need(max_norm > 0 && !std::isnan(max_norm), "clip_grad_norm", "max_norm", max_norm, "> 0 (typical: 1 to 5)");
    double sum_sq = 0;
    for (const Param* p : params) {
        if (!p) throw Error("clip_grad_norm: the parameter list holds a null pointer; pass only live Params");
        for (real g : p->grad.data) sum_sq += (double)g * g;
    }
    const double norm = std::sqrt(sum_sq);
    if (!std::isfinite(norm)) return norm;  // grads untouched: the caller decides what to do
    const double clip_coef = max_norm / (norm + 1e-6);  // PyTorch's 1e-6 keeps 0/0 away
    if (clip_coef < 1) {
        const real scale = (real)clip_coef;
        for (Param* p : params)
            for (real& g : p->grad.data) g *= scale;
    }
    return norm;
}

// ----------------------------------------------------------------------------------------------
// penalties: λ Σ|w| and (λ/2) Σ w², from tape ops so that backward adds λ sign(w) or λ w into each grad

static Var penalty(Tape& t, const std::vector<Param*>& params, double lambda, bool l1, const char* who) {
    need(std::isfinite(lambda) && lambda >= 0, who, "lambda", lambda, "a finite number >= 0 (typical: 1e-5 to 1e-3)");
    if (params.empty()) throw Error(std::string(who) + ": the parameter list is empty; pass the params to penalize (usually the weights, not the biases)");
    Var total;
    for (Param* p : params) {
        if (!p) throw Error(std::string(who) + ": the parameter list holds a null pointer; pass only live Params");
        Var w = t.param(*p);
        Var s = l1 ? sum(abs(w)) : sum(mul(w, w));  // Σ|w|  or  Σ w²
        total = total.valid() ? add(total, s) : s;
    }
    return mul(total, (real)(l1 ? lambda : lambda / 2));
}

Var l1_penalty(Tape& t, const std::vector<Param*>& params, double lambda) { return penalty(t, params, lambda, true, "l1_penalty"); }
Var l2_penalty(Tape& t, const std::vector<Param*>& params, double lambda) { return penalty(t, params, lambda, false, "l2_penalty"); }

// ----------------------------------------------------------------------------------------------
// learning-rate schedules

double step_lr(double base, int epoch, int step_size, double gamma) {
    need(epoch >= 0, "step_lr", "epoch", epoch, ">= 0 (the first epoch is 0)");
    need(step_size > 0, "step_lr", "step_size", step_size, "> 0 epochs");
    return base * std::pow(gamma, epoch / step_size);  // integer division: floor for epoch >= 0
}

double cosine_lr(double base, int epoch, int total_epochs, double min_lr) {
    need(epoch >= 0, "cosine_lr", "epoch", epoch, ">= 0 (the first epoch is 0)");
    need(total_epochs > 0, "cosine_lr", "total_epochs", total_epochs, "> 0");
    const int e = epoch < total_epochs ? epoch : total_epochs;  // hold at min_lr after the last epoch
    const double pi = 3.14159265358979323846;
    return min_lr + (base - min_lr) * (1 + std::cos(pi * e / total_epochs)) / 2;
}

}  // namespace tg
