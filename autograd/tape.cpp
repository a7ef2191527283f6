// tape.cpp — recording, backward in reverse, reset with buffer reuse, and anomaly checks.
#include "autograd/tape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "autograd/loops.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// Var

Node& Var::node() const {
    if (!tape) throw Error("Var: this Var is empty (default-constructed); it belongs to no tape");
    if (gen != tape->gen || id >= tape->used)
        throw Error("Var: this Var was recorded before tape.reset(); run the forward pass again after reset");
    return tape->nodes[id];
}

Tensor& Var::value() const {
    node();
    return tape->val(id);
}

Tensor& Var::grad() const {
    Node& n = node();
    if (!n.needs_grad) throw Error(std::string("grad: node '") + n.op + "' has no gradient (it is data, or was computed under NoGrad); use tape.input(x, true) for an input you want d(loss)/dx of");
    return n.param ? n.param->grad : n.grad;
}

// ----------------------------------------------------------------------------------------------
// recording

Node& Tape::next_node() {
    if (backward_done) throw Error("tape: an op was recorded after backward(); call tape.reset() before the next forward pass");
    if (used == (int)nodes.size()) nodes.emplace_back();
    Node& n = nodes[used++];
    n.where = scope;
    n.n_in = 0;
    n.param = nullptr;
    n.backward = nullptr;
    n.needs_grad = false;
    return n;
}

void Tape::check(Var v, const char* what) const {
    if (v.tape != this) throw Error(std::string(what) + ": an input belongs to a different tape (or none)");
    if (v.gen != gen || v.id >= used)
        throw Error(std::string(what) + ": an input was recorded before tape.reset(); run the forward pass again after reset");
}

Var Tape::input(const Tensor& x, bool requires_grad) {
    Node& n = next_node();
    n.op = "input";
    n.value.resize(x.shape);  // reuses the node's buffer when the shape repeats
    const real* src = x.ptr();
    real* dst = n.value.ptr();
    for_each_index(x.size(), [=](size_t i) { dst[i] = src[i]; });
    n.needs_grad = requires_grad && grad_enabled;
    return Var{this, used - 1, gen};
}

Var Tape::param(Param& p) {
    if (p.grad.shape != p.value.shape) p.grad = Tensor(p.value.shape);
    Node& n = next_node();
    n.op = "param";
    n.where = p.name.c_str();
    n.param = &p;
    n.needs_grad = grad_enabled;
    return Var{this, used - 1, gen};
}

Var Tape::push(const char* op, Shape out, std::initializer_list<Var> inputs) {
    if (inputs.size() > 3) throw Error(std::string(op) + ": a node takes at most 3 inputs");
    for (const Var& v : inputs) check(v, op);
    Node& n = next_node();
    n.op = op;
    n.value.resize(out);
    for (const Var& v : inputs) {
        n.in[n.n_in++] = v.id;
        n.needs_grad = n.needs_grad || nodes[v.id].needs_grad;
    }
    n.needs_grad = n.needs_grad && grad_enabled;
    return Var{this, used - 1, gen};
}

Var Tape::record(Var out, BackwardFn backward) {
    Node& n = nodes[out.id];
    n.backward = n.needs_grad ? backward : nullptr;
    if (detect_anomaly) anomaly_forward(n);
    return out;
}

Tensor* Tape::grad_of(int id) {
    Node& n = nodes[id];
    if (!n.needs_grad) return nullptr;
    return n.param ? &n.param->grad : &n.grad;
}

// ----------------------------------------------------------------------------------------------
// backward: seed dL/dL = 1, then every node in reverse creation order adds into its inputs' grads.
// Reverse creation order is a valid reverse topological order: a node's inputs were created before it.

void Tape::backward(Var loss) {
    check(loss, "backward");
    if (backward_done) throw Error("backward: called twice on the same graph; call tape.reset(), run the forward pass again, then backward");
    Node& L = nodes[loss.id];
    if (L.value.size() != 1)
        throw Error("backward: the loss must be a single value, got shape " + L.value.shape.str() + "; reduce it with sum() or mean() first");
    if (!L.needs_grad)
        throw Error("backward: the loss depends on no parameter (or was computed under NoGrad); nothing to differentiate");
    for (int i = 0; i <= loss.id; i++) {  // zero every intermediate gradient (params accumulate: zero_grad is explicit)
        Node& n = nodes[i];
        if (n.needs_grad && !n.param) {
            n.grad.resize(n.value.shape);
            n.grad.fill(0);
        }
    }
    L.grad[0] = 1;  // dL/dL
    for (int i = loss.id; i >= 0; i--) {
        Node& n = nodes[i];
        if (!n.backward) continue;
        n.backward(*this, n);
        if (detect_anomaly) anomaly_backward(n);
    }
    backward_done = true;
    if (after_backward) after_backward(*this);
}

void (*after_backward)(Tape&) = nullptr;

void Tape::reset() {
    used = 0;
    gen++;
    backward_done = false;
}

// ----------------------------------------------------------------------------------------------
// anomaly detection (docs/errors.md): the first op whose output or whose input gradient is not finite

bool all_finite(const Tensor& t) {
    for (real v : t.data)
        if (!std::isfinite(v)) return false;
    return true;
}

std::string describe_values(const Tensor& t) {
    size_t bad = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (real v : t.data) {
        if (!std::isfinite(v)) { bad++; continue; }
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    char buf[160];
    if (bad == t.size()) snprintf(buf, sizeof buf, "%s all %zu values NaN/Inf", t.shape.str().c_str(), bad);
    else snprintf(buf, sizeof buf, "%s range [%.4g, %.4g]%s", t.shape.str().c_str(), lo, hi,
                  bad ? (", " + std::to_string(bad) + " NaN/Inf").c_str() : "");
    return buf;
}

static std::string inputs_text(Tape& t, const Node& n) {
    std::string s;
    for (int k = 0; k < n.n_in; k++) {
        const Node& in = t[n.in[k]];
        s += std::string("\n  input ") + std::to_string(k) + " (" + in.op + (in.where[0] ? std::string(" in ") + in.where : "") +
             "): " + describe_values(t.val(n.in[k]));
    }
    return s;
}

void Tape::anomaly_forward(const Node& n) {
    if (all_finite(n.value)) return;
    throw Error(std::string("anomaly: op '") + n.op + "'" + (n.where[0] ? std::string(" in ") + n.where : "") +
                    " produced NaN/Inf in its forward output " + describe_values(n.value) + inputs_text(*this, n) +
                    "\n  fix: check the data range, lower the learning rate, or clip gradients",
                EXIT_NUMERIC);
}

void Tape::anomaly_backward(const Node& n) {
    for (int k = 0; k < n.n_in; k++) {
        const Tensor* g = grad_of(n.in[k]);
        if (!g || all_finite(*g)) continue;
        throw Error(std::string("anomaly: backward of op '") + n.op + "'" + (n.where[0] ? std::string(" in ") + n.where : "") +
                        " produced NaN/Inf in the gradient of input " + std::to_string(k) + ": " + describe_values(*g) +
                        "\n  its output gradient: " + describe_values(n.grad) + inputs_text(*this, n) +
                        "\n  fix: lower the learning rate, clip gradients, or look for log/div/sqrt of values near 0",
                    EXIT_NUMERIC);
    }
}

}  // namespace tg
