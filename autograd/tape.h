// tape.h — the reverse-mode tape: Params (leaves that outlive it), Nodes (one per op), Vars (handles).
// During the forward pass every op appends a Node holding its output and a pointer to its backward
// function; Tape::backward(loss) seeds dloss/dloss = 1 and runs those functions in reverse order, each
// *adding* into its inputs' gradients. Tape::reset() forgets the graph but keeps every Node and buffer,
// so the next step, built in the same order, reuses them in place and allocates nothing.
// derivation and a worked example: docs/autodiff.md
#pragma once
#include <deque>
#include <initializer_list>
#include <string>

#include "autograd/tensor.h"

namespace tg {

// A learnable tensor: its value and the gradient that backward accumulates into it.
struct Param {
    std::string name;  // "encoder.fc1.weight": used by optimizers, checkpoints and gradcheck reports
    Tensor value, grad;
    Param() = default;
    Param(std::string name, Tensor init) : name(std::move(name)), value(std::move(init)), grad(value.shape) {}
    void zero_grad() { grad.fill(0); }
};

struct Tape;
struct Node;
using BackwardFn = void (*)(Tape&, Node&);

struct Node {
    const char* op = "";     // the op's name, e.g. "matmul" (a string literal)
    const char* where = "";  // the module that recorded it, e.g. "encoder.fc1" (see Scope)
    Tensor value;            // the forward output
    Tensor grad;             // d(loss)/d(value), zeroed and then filled by Tape::backward
    Tensor saved;            // whatever backward needs besides inputs and output (a mask, softmax, labels)
    int in[3] = {-1, -1, -1};  // the input nodes' ids
    int n_in = 0;
    // the op's settings: each op sets the ones its comment names and reads them in backward
    real scale = 0;          // a constant factor: mul by a scalar, a sum's or a loss's reduction (1/n, 1/rows)
    real exponent = 0;       // pow
    real slope = 0;          // leaky_relu's slope below 0
    real lo = 0, hi = 0;     // clamp's bounds
    int axis = 0;            // sum/mean along an axis, concat
    int first_col = 0;       // slice_cols
    bool trans_a = false, trans_b = false;  // matmul: an operand used transposed
    int k = 0, stride = 0, pad = 0;         // convolution and pooling geometry (autograd/ops_conv.cpp)
    Param* param = nullptr;  // a parameter leaf: its value and grad live in the Param, not here
    bool needs_grad = false; // does anything this node depends on want a gradient?
    BackwardFn backward = nullptr;
};

// A handle to a node: which tape, which node, and which generation of the tape (so a Var kept across
// reset() is caught instead of silently reading another step's node).
struct Var {
    Tape* tape = nullptr;
    int id = -1;
    unsigned gen = 0;

    Node& node() const;
    Tensor& value() const;  // the forward value
    const Shape& shape() const { return value().shape; }
    real item() const { return value().item(); }
    Tensor& grad() const;   // after backward: d(loss)/d(this) (an input made with requires_grad, or any op)
    bool valid() const { return tape != nullptr; }
};

struct Tape {
    // ---- building the graph
    Var input(const Tensor& x, bool requires_grad = false);  // data, targets, noise: copied in
    Var param(Param& p);                                     // a leaf that reads p.value, adds into p.grad
    void backward(Var loss);                                 // loss must be a single value
    void reset();                                            // forget the graph, keep the buffers

    // ---- switches
    bool grad_enabled = true;    // false inside a NoGrad scope: ops compute values, record no graph
    bool detect_anomaly = false; // check every op's output and every gradient for NaN/Inf (docs/errors.md)
    const char* scope = "";      // label copied into each new node (set by Scope)

    // ---- for op implementers (autograd/ops_*.cpp): push, compute, then record
    Var push(const char* op, Shape out, std::initializer_list<Var> inputs);
    Var record(Var out, BackwardFn backward);  // attach backward (if a gradient is wanted), check anomaly
    Tensor& val(int id) { Node& n = nodes[id]; return n.param ? n.param->value : n.value; }
    Tensor* grad_of(int id);                   // where to add input id's gradient; nullptr if not wanted
    Node& operator[](int id) { return nodes[id]; }
    int size() const { return used; }

    std::deque<Node> nodes;  // a deque: growing it never moves existing nodes
    int used = 0;            // nodes[0, used) belong to the current graph
    unsigned gen = 1;        // bumped by reset()
    bool backward_done = false;

  private:
    Node& next_node();
    void check(Var v, const char* what) const;
    void anomaly_forward(const Node& n);
    void anomaly_backward(const Node& n);
};

// If set, called at the end of every Tape::backward, graph and gradients in place (--dump-tape sets it).
extern void (*after_backward)(Tape&);

// Evaluation, sampling, and updates that are not gradients: ops record no graph inside this scope.
struct NoGrad {
    Tape& tape;
    bool prev;
    explicit NoGrad(Tape& t) : tape(t), prev(t.grad_enabled) { t.grad_enabled = false; }
    ~NoGrad() { tape.grad_enabled = prev; }
};

// Labels every node recorded inside it with `label`, which must outlive the step: a string literal or a
// module's own name (a temporary string is refused at compile time).
struct Scope {
    Tape& tape;
    const char* prev;
    Scope(Tape& t, const char* label) : tape(t), prev(t.scope) { t.scope = label; }
    Scope(Tape& t, const std::string& label) : Scope(t, label.c_str()) {}
    Scope(Tape& t, std::string&& label) = delete;
    ~Scope() { tape.scope = prev; }
};

// Range of a tensor's finite values and count of NaN/Inf, for anomaly and guard messages.
std::string describe_values(const Tensor& t);
bool all_finite(const Tensor& t);

}  // namespace tg
