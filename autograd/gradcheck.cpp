// gradcheck.cpp — central differences against the tape, entry by entry (docs/gradcheck.md).
#include "autograd/gradcheck.h"

#include <cmath>
#include <cstdio>

#include "autograd/ops.h"

namespace tg {

GradcheckOptions::GradcheckOptions() {
    if (sizeof(real) == sizeof(double)) {
        // double: truncation ~eps^2 f''' ~ 1e-12; rounding ~1e-16 |L| / eps ~ 1e-10 |L|, which is 1e-7 of a
        // gradient at the floor (1e-3 |L|): tol 1e-5 leaves room, and a 1% error is 1000x above it
        eps = 1e-6; tol = 1e-5; floor = 1e-3;
    } else {
        // float: rounding ~1e-7 |L| / ε dominates; ε = 1e-2 balances it against truncation (~1e-4)
        eps = 1e-2; tol = 3e-2; floor = 3e-2;
    }
}

std::string GradcheckResult::report() const {
    std::string s;
    char buf[320];
    for (const GradcheckTensor& t : tensors) {
        snprintf(buf, sizeof buf, "%-4s %s %-28s checked %6zu  worst [%zu]: analytic %+.6e numeric %+.6e rel.err %.2e%s%s\n",
                 t.ok ? "ok" : "FAIL", op.c_str(), t.name.c_str(), t.checked, t.worst_index, t.analytic, t.numeric,
                 t.rel_error, t.all_zero ? "  (analytic gradient is all zero)" : "",
                 t.at_kinks ? ("  (" + std::to_string(t.at_kinks) + " near a kink: one-sided difference used)").c_str() : "");
        s += buf;
    }
    return s;
}

namespace {
struct Checker {
    const GradcheckFn& f;
    std::vector<Tensor>& inputs;
    const std::vector<Param*>& params;
    Tensor R;  // the fixed random weights of L = Σ R ⊙ f
    Tape tape;

    // L for the current values; with `grads`, also run backward.
    double loss(bool grads) {
        tape.reset();
        std::vector<Var> xs;
        for (Tensor& x : inputs) xs.push_back(tape.input(x, grads));
        Var y = f(tape, xs);
        if (R.size() != y.value().size()) throw Error("gradcheck: f's output changed size between calls; f must be deterministic");
        double L = 0;  // accumulated in double, whatever `real` is
        for (size_t i = 0; i < R.size(); i++) L += (double)R[i] * y.value()[i];
        if (grads) {
            Var l = sum(mul(y, tape.input(R.reshaped(y.shape()))));
            tape.backward(l);
            for (size_t k = 0; k < inputs.size(); k++) analytic[k] = xs[k].grad();
        }
        return L;
    }
    std::vector<Tensor> analytic;
};
}  // namespace

// |a - n| / max(|a|, |n|, floor); a NaN or Inf on either side is an infinite error: it must fail, never hide
static double rel_error(double a, double n, double floor) {
    if (!std::isfinite(a) || !std::isfinite(n)) return INFINITY;
    return std::fabs(a - n) / std::max({std::fabs(a), std::fabs(n), floor});
}

GradcheckResult gradcheck(const std::string& op, const GradcheckFn& f, std::vector<Tensor> inputs,
                          const std::vector<Param*>& params, GradcheckOptions opt) {
    Checker c{f, inputs, params, Tensor(), Tape(), {}};
    c.analytic.resize(inputs.size());
    Rng rng(opt.seed);
    {   // one forward pass to learn the output's size, then draw R
        c.tape.reset();
        std::vector<Var> xs;
        for (Tensor& x : inputs) xs.push_back(c.tape.input(x));
        NoGrad ng(c.tape);
        Var y = f(c.tape, xs);
        c.R = Tensor::normal(Shape{(int)y.value().size()}, 0, 1, rng);
    }
    for (Param* p : params) p->grad = Tensor(p->value.shape);  // zero: we read exactly this call's gradient
    // rounding noise in the numeric derivative grows with |L|: the floor scales with it
    double floor = opt.floor * std::max(1.0, std::fabs(c.loss(true)));

    // L(x + ε) and L(x - ε) for entry i of `value`; returns the step actually taken, 2ε up to rounding
    // (in float, x ± ε is rounded)
    auto step = [&](Tensor& value, size_t i, double* lp, double* lm) {
        real keep = value[i];
        value[i] = (real)(keep + opt.eps);
        *lp = c.loss(false);
        value[i] = (real)(keep - opt.eps);
        *lm = c.loss(false);
        value[i] = keep;
        return (double)(real)(keep + opt.eps) - (double)(real)(keep - opt.eps);
    };
    double L0 = c.loss(false);  // L at the unperturbed point, for one-sided differences
    GradcheckResult res;
    res.op = op;
    res.floor = floor;
    auto check_tensor = [&](const std::string& name, Tensor& value, const Tensor& grad) {
        GradcheckTensor t;
        t.name = name;
        t.all_zero = true;
        for (real g : grad.data) t.all_zero = t.all_zero && g == 0;
        size_t n = value.size();
        std::vector<size_t> idx;
        if (opt.max_per_tensor <= 0 || (size_t)opt.max_per_tensor >= n) for (size_t i = 0; i < n; i++) idx.push_back(i);
        else for (int k = 0; k < opt.max_per_tensor; k++) idx.push_back((size_t)rng.below(n));
        for (size_t i : idx) {
            double ana = grad[i], lp, lm, h = step(value, i, &lp, &lm);
            double num = (lp - lm) / h;
            double err = rel_error(ana, num, floor);
            if (err > opt.tol && std::isfinite(err)) {
                // A kink (relu at 0) inside [x - ε, x + ε] makes the central difference a blend of two slopes.
                // Then one one-sided difference lies wholly on the kink-free side: if the analytic gradient
                // matches it, the backward is right and x is just near a kink. A wrong backward matches neither.
                double fwd = (lp - L0) / (h / 2), bwd = (L0 - lm) / (h / 2);
                double one_sided = std::min(rel_error(ana, fwd, floor), rel_error(ana, bwd, floor));
                if (one_sided <= opt.tol) { t.at_kinks++; err = one_sided; num = rel_error(ana, fwd, floor) <= opt.tol ? fwd : bwd; }
            }
            if (t.checked == 0 || err > t.rel_error) { t.rel_error = err; t.worst_index = i; t.analytic = ana; t.numeric = num; }
            t.checked++;
        }
        t.ok = t.rel_error <= opt.tol && !(opt.require_nonzero && t.all_zero);
        res.ok = res.ok && t.ok;
        res.worst = std::max(res.worst, t.rel_error);
        res.tensors.push_back(t);
    };
    for (size_t k = 0; k < inputs.size(); k++) check_tensor("input " + std::to_string(k), inputs[k], c.analytic[k]);
    for (Param* p : params) {
        Tensor g = p->grad;  // copy: the perturbed evaluations run no backward, but keep it stable anyway
        check_tensor(p->name, p->value, g);
    }
    return res;
}

}  // namespace tg
