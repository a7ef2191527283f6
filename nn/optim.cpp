// optim.cpp — SGD, Adam/AdamW, gradient clipping, L1/L2 penalties, learning-rate schedules.
// Each step() is one plain loop over a param's elements that does the whole update for that element
// (weight decay, moments, bias-corrected step), so it reads like the paper and the compiler can keep it
// in registers; for_each_part (optim.h) hands each thread its share of every param's elements. Scalar hyper-parameters and bias corrections are doubles, computed once per step outside
// the loop; element math is in `real`. The formulas follow torch.optim (see nn/optim.h and docs/optimizers.md).
#include "nn/optim.h"

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
    offset.push_back(0);
    for (Param* p : params) offset.push_back(offset.back() + p->value.size());
}

void Optimizer::zero_grad() {
    for (size_t k = 0; k < params.size(); k++) check_sizes("zero_grad", k, nullptr, nullptr);
    for_each_part([&](size_t k, size_t i0, size_t i1) {
        real* g = params[k]->grad.ptr();
        std::fill(g + i0, g + i1, real(0));  // a memset
    });
}

void Optimizer::check_sizes(const char* who, size_t k, const Tensor* s1, const Tensor* s2) const {
    const Param& p = *params[k];
    const size_t n = p.value.size();
    if (n != offset[k + 1] - offset[k])
        throw Error(std::string(who) + ": param '" + p.name + "' has " + std::to_string(n) + " values, " +
                    std::to_string(offset[k + 1] - offset[k]) + " when the optimizer was built; a param must keep its shape once the optimizer is built");
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

// One SGD update of the elements [i0, i1) of a param (w, its grad, its momentum buffer or null); scalars
// by value, as adam_update below. One loop per case, so that each is a straight line the compiler vectorizes.
static void sgd_update(real* w, const real* grad, real* buf, size_t i0, size_t i1, const real step_lr, const real mu,
                       const real wd, const bool nesterov) {
    if (!buf) {
        for (size_t i = i0; i < i1; i++) w[i] -= step_lr * (grad[i] + wd * w[i]);  // g = grad + wd w (L2, PyTorch's weight_decay)
    } else if (!nesterov) {
        for (size_t i = i0; i < i1; i++) {
            const real b = mu * buf[i] + (grad[i] + wd * w[i]);  // b = μ b + g
            buf[i] = b;
            w[i] -= step_lr * b;
        }
    } else {
        for (size_t i = i0; i < i1; i++) {
            const real g = grad[i] + wd * w[i];
            const real b = mu * buf[i] + g;
            buf[i] = b;
            w[i] -= step_lr * (g + mu * b);  // Nesterov: g + μ b
        }
    }
}

void SGD::step() {
    const bool use_momentum = momentum != 0;
    for (size_t k = 0; k < params.size(); k++) check_sizes("SGD", k, use_momentum ? &b[k] : nullptr, nullptr);
    for_each_part([&](size_t k, size_t i0, size_t i1) {  // the elements [i0, i1) of params[k], on each thread
        sgd_update(params[k]->value.ptr(), params[k]->grad.ptr(), use_momentum ? b[k].ptr() : nullptr, i0, i1, (real)lr,
                   (real)momentum, (real)weight_decay, nesterov);
    });
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

// One Adam update of the elements [i0, i1) of a param (w, its grad, its moments m and v). The scalars come
// by value: stores into w, m, v cannot alias them, so the compiler keeps them in registers and vectorizes.
struct AdamScalars {
    real b1, b2, one_minus_b1, one_minus_b2, inv_bc1, inv_bc2, step_lr, epsilon, l2, decay;
};
static void adam_update(real* w, const real* grad, real* m, real* v, size_t i0, size_t i1, const AdamScalars c) {
    for (size_t i = i0; i < i1; i++) {  // each array read once and written once (locals: no reloads)
        const real wi = w[i] * c.decay;
        const real g = grad[i] + c.l2 * wi;
        const real mi = c.b1 * m[i] + c.one_minus_b1 * g;      // first moment:  running mean of g
        const real vi = c.b2 * v[i] + c.one_minus_b2 * g * g;  // second moment: running mean of g²
        m[i] = mi;
        v[i] = vi;
        const real m_hat = mi * c.inv_bc1;                     // unbiased: m was started at 0
        const real v_hat = vi * c.inv_bc2;
        w[i] = wi - c.step_lr * m_hat / (std::sqrt(v_hat) + c.epsilon);
    }
}

void Adam::step() {
    if (t.size() != 1) throw Error("Adam: the state tensor 'adam.t' has " + std::to_string(t.size()) + " values, expected 1; was the optimizer state restored from a different optimizer?");
    const double step_t = (double)t[0] + 1;  // t = 1 on the first step
    // once per step, in double: the bias corrections 1 - β^t (β2^t stays near 1 for thousands of steps)
    const double bias_correction1 = 1 - std::pow(beta1, step_t);
    const double bias_correction2 = 1 - std::pow(beta2, step_t);
    AdamScalars c;
    c.b1 = (real)beta1, c.b2 = (real)beta2;
    c.one_minus_b1 = (real)(1 - beta1), c.one_minus_b2 = (real)(1 - beta2);
    c.inv_bc1 = (real)(1 / bias_correction1), c.inv_bc2 = (real)(1 / bias_correction2);
    c.step_lr = (real)lr, c.epsilon = (real)eps;
    // Exactly one form of weight decay is active; the other is the identity (l2 = 0, or decay = 1).
    c.l2 = decoupled ? real(0) : (real)weight_decay;             // Adam:  g = grad + wd w
    c.decay = decoupled ? (real)(1 - lr * weight_decay) : real(1); // AdamW: w = w - lr wd w

    for (size_t k = 0; k < params.size(); k++) check_sizes(decoupled ? "AdamW" : "Adam", k, &m[k], &v[k]);
    t[0] = (real)step_t;
    for_each_part([&](size_t k, size_t i0, size_t i1) {  // the elements [i0, i1) of params[k], on each thread
        adam_update(params[k]->value.ptr(), params[k]->grad.ptr(), m[k].ptr(), v[k].ptr(), i0, i1, c);
    });
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
